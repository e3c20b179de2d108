//! The themes folder (`themes_dir`): a tenant's template, message and
//! asset overrides, a language added as a folder, a change shown without a
//! restart, and a broken override that never takes a page down.

use crate::common::*;
use axum::http::StatusCode;

/// A folder removed when the test ends.
struct Folder(std::path::PathBuf);

impl Folder {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let p = std::env::temp_dir().join(format!("trame-themes-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const MESSAGE: &str = r#"{% extends "base.html" %}
{% block title %}{{ t(title) }}{% endblock %}
{% block main %}<h1>{{ t(title) }}</h1><p class="ville-theme">Mairie de Ville</p><p>{{ t(message) }}</p>{% endblock %}
"#;

backend_test!(
    async fn a_tenant_folder_replaces_a_template_a_message_and_adds_assets(env) {
        seed(&env.state.store, "autre", &format!("{ISSUER}/autre"), env.clock.now()).await;
        let folder = Folder::new();
        folder.write("ville/templates/message.html", MESSAGE);
        folder.write("ville/locales/fr/ville.ftl", "error-not-found = Cette page n’existe pas à la mairie.\n");
        folder.write("ville/static/theme.css", ".ville-theme { color: #123456; }\n");
        folder.write("ville/static/blason.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        folder.write("ville/static/run.sh", "echo no");
        let env = env.with_themes(&folder.0).await;
        env.refresh_catalog().await;

        let page = env.get_with("/nothing-here", &[("accept-language", "fr")]).await;
        page.assert_page(StatusCode::NOT_FOUND);
        assert!(page.body.contains("Mairie de Ville"), "the tenant's template: {}", page.body);
        assert!(page.body.contains("Cette page n’existe pas à la mairie."), "the tenant's message");
        let body = unescape(&page.body);
        let css = body.split("href=\"").filter_map(|s| s.split('"').next()).find(|h| h.starts_with("/brand/static/theme.css?v=")).expect("theme.css linked").to_owned();
        // In English, the template is still the tenant's, the message the built-in one.
        let en = env.get_with("/nothing-here", &[("accept-language", "en")]).await;
        assert!(en.body.contains("Mairie de Ville") && !en.body.contains("mairie."), "{}", en.body);

        // The other tenant keeps the built-in theme.
        let other = env.get_with("/autre/nothing-here", &[]).await;
        other.assert_page(StatusCode::NOT_FOUND);
        assert!(!other.body.contains("Mairie de Ville") && !other.body.contains("brand/static/theme.css"), "{}", other.body);

        // The assets: kept a day at their versioned address, revalidated otherwise.
        let r = env.get_with(&css, &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header("content-type").as_deref(), Some("text/css; charset=utf-8"));
        assert_eq!(r.header("cache-control").as_deref(), Some("public, max-age=86400"));
        let etag = r.header("etag").unwrap();
        assert_eq!(env.get_with("/brand/static/theme.css", &[("if-none-match", &etag)]).await.status, StatusCode::NOT_MODIFIED);
        assert_eq!(env.get_with("/brand/static/theme.css", &[]).await.header("cache-control").as_deref(), Some("no-cache"));
        let svg = env.get_with("/brand/static/blason.svg", &[]).await;
        assert!(svg.header("content-security-policy").unwrap().contains("sandbox"));
        for missing in ["/brand/static/run.sh", "/brand/static/..%2Fville%2Fstatic%2Ftheme.css", "/brand/static/nothing.css"] {
            env.get_with(missing, &[]).await.assert_page(StatusCode::NOT_FOUND);
        }
        let other = env.get_with("/autre/brand/static/theme.css", &[]).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "another tenant's assets are not served");
    }
);

backend_test!(
    async fn a_language_is_a_folder(env) {
        let folder = Folder::new();
        folder.write("locales/br/main.ftl", "language-name = Brezhoneg\nerror-title = Fazi\nerror-not-found = N’eo ket bet kavet ar bajenn-mañ.\n");
        folder.write("locales/Klingon/main.ftl", "language-name = tlhIngan\n");
        let env = env.with_themes(&folder.0).await;
        let doc = env.get("/.well-known/openid-configuration").await.json();
        let langs: Vec<&str> = doc["ui_locales_supported"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(langs, ["fr", "en", "de", "es", "it", "pt", "ar", "br"], "discovery follows what is installed");

        let page = env.get_with("/nothing-here", &[("accept-language", "br, fr;q=0.5")]).await;
        assert!(page.body.contains("lang=\"br\"") && page.body.contains("N’eo ket bet kavet"), "{}", page.body);
        assert!(page.body.contains("Brezhoneg"), "the switcher lists it by its own name");
        // What the pack lacks comes from French.
        assert!(page.body.contains("Accessibilité"), "{}", page.body);
        let r = env.get_with("/language?set=br&back=/account", &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.set_cookies().iter().any(|c| c.starts_with("trame_lang=br;")));
        let chosen = env.get_with("/nothing-here", &[("cookie", "trame_lang=br"), ("accept-language", "de")]).await;
        assert!(chosen.body.contains("lang=\"br\""), "the choice wins");
        env.get_with("/language?set=xx&back=/account", &[]).await.assert_page(StatusCode::BAD_REQUEST);
    }
);

backend_test!(
    async fn a_change_shows_without_a_restart_and_a_broken_override_never_takes_a_page_down(env) {
        let folder = Folder::new();
        folder.write("ville/templates/message.html", MESSAGE);
        let env = env.with_themes(&folder.0).await;
        assert!(!env.state.themes.reload_if_changed(), "nothing changed");
        assert!(env.get_with("/nothing-here", &[]).await.body.contains("Mairie de Ville"));

        folder.write("ville/templates/message.html", &MESSAGE.replace("Mairie de Ville", "Hôtel de ville de Ville"));
        assert!(env.state.themes.reload_if_changed());
        assert!(env.get_with("/nothing-here", &[]).await.body.contains("Hôtel de ville de Ville"));

        // A template that does not parse: the built-in one is used.
        folder.write("ville/templates/message.html", "{% extends \"base.html\" %}{% block main %}{% if %}{% endblock %}");
        assert!(env.state.themes.reload_if_changed());
        let page = env.get_with("/nothing-here", &[]).await;
        page.assert_page(StatusCode::NOT_FOUND);
        assert!(!page.body.contains("Hôtel de ville") && page.body.contains("<main"), "{}", page.body);
        assert!(env.state.themes.current().problems.iter().any(|p| p.contains("ville/templates/message.html")), "{:?}", env.state.themes.current().problems);

        // One that parses and fails when drawn: the built-in one, same status.
        folder.write("ville/templates/message.html", "{% extends \"base.html\" %}{% block main %}{% include \"missing.html\" %}{% endblock %}");
        assert!(env.state.themes.reload_if_changed());
        let page = env.get_with("/nothing-here", &[]).await;
        page.assert_page(StatusCode::NOT_FOUND);
        assert!(page.body.contains("<main"), "{}", page.body);

        // The folder removed: built-in theme again.
        std::fs::remove_dir_all(folder.0.join("ville")).unwrap();
        assert!(env.state.themes.reload_if_changed());
        assert!(env.state.themes.current().tenants.is_empty());
    }
);
