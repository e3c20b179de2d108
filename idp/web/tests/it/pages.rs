//! Security headers on every HTML page, cookie attributes, and the
//! language of the pages.

use crate::common::*;
use axum::http::StatusCode;

#[track_caller]
fn assert_page_headers(r: &Resp, what: &str) {
    assert!(r.is_html(), "{what}: not HTML");
    let csp = r.header("content-security-policy").unwrap_or_else(|| panic!("{what}: no CSP"));
    assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(r.header("x-frame-options").as_deref(), Some("DENY"), "{what}");
    assert!(r.header("referrer-policy").is_some(), "{what}: no Referrer-Policy");
    assert_eq!(r.header("x-content-type-options").as_deref(), Some("nosniff"), "{what}");
}

backend_test!(
    async fn every_page_has_security_headers(env) {
        let mut b = env.browser();
        let mut pages: Vec<(&str, Resp)> = vec![];
        pages.push(("authorize error page", b.authorize(&with_param(basic_params("openid"), "client_id", None)).await));
        pages.push(("not found page", b.get("/nope").await));
        pages.push(("interaction expired page", b.get("/login?interaction=x").await));
        let (_, login) = b.login_page(&basic_params("openid")).await;
        let failed = b.submit_login(&login, USERNAME, "wrong").await;
        pages.push(("login page", login));
        let ok = b.submit_login(&failed, USERNAME, PASSWORD).await;
        pages.push(("failed login page", failed));
        let consent = b.get(&ok.location().unwrap()).await;
        assert!(consent.body.contains("name=\"decision\""));
        let ia = consent.input("interaction").unwrap();
        let csrf = consent.input("csrf").unwrap();
        pages.push(("consent page", consent));
        let r = b.post("/consent", &[("interaction", &ia), ("csrf", &csrf), ("decision", "approve")]).await;
        assert!(query_param(&r.location().unwrap(), "code").is_some());
        pages.push(("form_post page", b.authorize(&with_param(basic_params("openid"), "response_mode", Some("form_post"))).await));
        pages.push(("logout confirmation page", b.get("/logout").await));
        pages.push(("logout error page", b.get("/logout?id_token_hint=x").await));
        let mut anon = env.browser();
        pages.push(("signed out page", anon.get("/logout").await));
        for (what, r) in &pages {
            assert_page_headers(r, what);
        }
        // JSON responses carry them too (harmless), and token responses are not cached.
        let r = env.token_basic(&[("grant_type", "authorization_code"), ("code", "x")]).await;
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(r.header("x-frame-options").as_deref(), Some("DENY"));
    }
);

backend_test!(
    async fn cookies_http(env) {
        let mut b = env.browser();
        let r = b.authorize(&basic_params("openid")).await;
        let cookies = r.set_cookies();
        let browser_cookie = cookies.iter().find(|c| c.starts_with("trame_browser_ville=")).expect("binding cookie");
        assert!(browser_cookie.contains("HttpOnly"), "{browser_cookie}");
        assert!(browser_cookie.contains("SameSite=Lax"), "{browser_cookie}");
        assert!(!browser_cookie.contains("Secure"), "http issuer: no Secure ({browser_cookie})");
        let page = b.get(&r.location().unwrap()).await;
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        let session = r.set_cookies().into_iter().find(|c| c.starts_with("trame_session_ville=")).expect("session cookie");
        assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
        // A new session cookie at every sign-in (fixation).
        let first = b.cookie("trame_session").unwrap().clone();
        let (_, page) = b.login_page(&with_param(basic_params("openid"), "prompt", Some("login"))).await;
        b.submit_login(&page, USERNAME, PASSWORD).await;
        assert_ne!(b.cookie("trame_session").unwrap(), &first);
    }
);

backend_test_raw!(
    async fn cookies_https(backend) {
        let env = Env::with(backend, "https://login.ville-exemple.fr", "login.ville-exemple.fr", vec![]).await;
        let mut b = Browser::new(env.app.clone(), "login.ville-exemple.fr");
        let r = b.authorize(&basic_params("openid")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().unwrap().starts_with("https://login.ville-exemple.fr/login?"));
        let c = r.set_cookies();
        let bc = c.iter().find(|c| c.starts_with("__Host-trame_browser_ville=")).unwrap();
        assert!(bc.contains("; Secure") && bc.contains("HttpOnly") && bc.contains("SameSite=Lax"), "{bc}");
        let page = b.get(&r.location().unwrap()).await;
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let sc = r.set_cookies().into_iter().find(|c| c.starts_with("__Host-trame_session_ville=")).unwrap();
        assert!(sc.contains("; Secure") && sc.contains("HttpOnly") && sc.contains("SameSite=Lax"), "{sc}");
        let loc = b.follow(r, USERNAME, PASSWORD).await;
        assert_eq!(query_param(&loc, "iss").as_deref(), Some("https://login.ville-exemple.fr"));
    }
);

backend_test!(
    async fn french_by_default_english_on_request(env) {
        let mut b = env.browser();
        let (_, page) = b.login_page(&basic_params("openid")).await;
        assert!(page.body.contains("<html lang=\"fr\" dir=\"ltr\">"), "{}", page.body);
        assert!(page.body.contains("Connexion"));
        assert!(page.body.contains("Se connecter"));

        let (_, page) = b.login_page(&with_param(basic_params("openid"), "ui_locales", Some("en"))).await;
        assert!(page.body.contains("<html lang=\"en\" dir=\"ltr\">"), "{}", page.body);
        assert!(page.body.contains("Sign in"));
        let failed = b.submit_login(&page, USERNAME, "wrong").await;
        assert!(failed.body.contains("Incorrect username or password."), "{}", failed.body);

        // ui_locales with an unsupported language first.
        let (_, page) = b.login_page(&with_param(basic_params("openid"), "ui_locales", Some("nl-NL en-GB"))).await;
        assert!(page.body.contains("<html lang=\"en\" dir=\"ltr\">"));
        // Every shipped language; Arabic right to left.
        let (_, page) = b.login_page(&with_param(basic_params("openid"), "ui_locales", Some("de-DE en-GB"))).await;
        assert!(page.body.contains("<html lang=\"de\" dir=\"ltr\">") && page.body.contains("Anmelden"), "{}", page.body);
        let (_, page) = b.login_page(&with_param(basic_params("openid"), "ui_locales", Some("ar"))).await;
        assert!(page.body.contains("<html lang=\"ar\" dir=\"rtl\">"), "{}", page.body);

        let mut en = env.browser();
        en.accept_language = Some("en-US,en;q=0.9".into());
        let (_, page) = en.login_page(&basic_params("openid")).await;
        assert!(page.body.contains("<html lang=\"en\" dir=\"ltr\">"));
        assert!(page.body.contains("Sign in"));
        // ui_locales wins over Accept-Language.
        let (_, page) = en.login_page(&with_param(basic_params("openid"), "ui_locales", Some("fr"))).await;
        assert!(page.body.contains("<html lang=\"fr\" dir=\"ltr\">"));
        // Error pages follow Accept-Language.
        let r = en.authorize(&with_param(basic_params("openid"), "client_id", None)).await;
        assert!(r.body.contains("<html lang=\"en\" dir=\"ltr\">"));
        assert!(r.body.contains("client_id is missing"), "{}", r.body);
        let r = b.authorize(&with_param(basic_params("openid"), "client_id", None)).await;
        assert!(r.body.contains("<html lang=\"fr\" dir=\"ltr\">"));
        // q=0 excludes a language.
        let mut zero = env.browser();
        zero.accept_language = Some("en;q=0, nl".into());
        let (_, page) = zero.login_page(&basic_params("openid")).await;
        assert!(page.body.contains("<html lang=\"fr\" dir=\"ltr\">"));
    }
);

backend_test!(
    async fn the_switcher_keeps_the_chosen_language_across_pages(env) {
        let mut b = env.browser();
        let (login, page) = b.login_page(&with_param(basic_params("openid"), "ui_locales", Some("en"))).await;
        let html = unescape(&page.body);
        assert!(html.contains(r#"<nav class="languages" aria-label="Language">"#), "{html}");
        // Each language by its own name, current one marked, back to this very page.
        assert!(html.contains("العربية") && html.contains(r#"aria-current="true">English</a>"#), "{html}");
        let href = input_href(&html, "de").expect("a link to German");
        assert!(href.starts_with("/language?set=de&back=%2F"), "{href}");
        let r = b.get(&href).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location().as_deref(), Some(login.trim_start_matches(ISSUER)), "back to the same sign-in");
        assert!(r.set_cookies().iter().any(|c| c.starts_with("trame_lang=de;") && c.contains("HttpOnly") && c.contains("SameSite=Lax")), "{:?}", r.set_cookies());
        // The choice wins over the relying party's ui_locales and the browser's language, on every page.
        let page = b.get(&login).await;
        assert!(page.body.contains("<html lang=\"de\" dir=\"ltr\">") && page.body.contains("Anmelden"), "{}", page.body);
        let failed = b.submit_login(&page, USERNAME, "wrong").await;
        assert!(failed.body.contains("<html lang=\"de\""), "{}", failed.body);
        let r = b.authorize(&with_param(basic_params("openid"), "client_id", None)).await;
        assert!(r.body.contains("<html lang=\"de\""), "error pages too: {}", r.body);
        let t = b.get("/transparence").await;
        assert!(t.body.contains("<html lang=\"de\""));
        // Back to French.
        let r = b.get("/language?set=fr&back=%2Ftransparence").await;
        assert_eq!(r.location().as_deref(), Some("/transparence"));
        assert!(b.get("/transparence").await.body.contains("<html lang=\"fr\""));
        // No way back given: the account page.
        assert_eq!(b.get("/language?set=it").await.location().as_deref(), Some("/account"));
    }
);

backend_test!(
    async fn the_switcher_refuses_other_sites_and_unknown_languages(env) {
        for bad in [
            "/language?set=nl&back=%2Faccount",
            "/language?set=de&back=%2F%2Fevil.example%2F",
            "/language?set=de&back=https%3A%2F%2Fevil.example%2F",
            "/language?set=de&back=%2F%5Cevil.example",
            "/language?set=de&back=%2Fx%0D%0ASet-Cookie%3A%20a%3Db",
            "/language?back=%2Faccount",
            "/language",
        ] {
            let r = env.get(bad).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.body);
            assert!(r.location().is_none() && r.set_cookies().is_empty(), "{bad}");
        }
        // A planted second cookie makes the choice absent, not the planted one.
        let mut b = env.browser();
        b.get("/language?set=de&back=%2Ftransparence").await;
        let r = env
            .send(
                axum::http::Request::get("/transparence")
                    .header(axum::http::header::HOST, HOST)
                    .header(axum::http::header::COOKIE, "trame_lang=de; trame_lang=ar")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(r.body.contains("<html lang=\"fr\""), "{}", r.body);
        let r = env
            .send(
                axum::http::Request::get("/transparence")
                    .header(axum::http::header::HOST, HOST)
                    .header(axum::http::header::COOKIE, "trame_lang=xx")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(r.body.contains("<html lang=\"fr\""), "an unknown language is ignored");
    }
);

/// The href of the switcher's link to `lang`, unescaped.
fn input_href(html: &str, lang: &str) -> Option<String> {
    let marker = format!(r#"" hreflang="{lang}""#);
    let end = html.find(&marker)?;
    let start = html[..end].rfind("href=\"")? + 6;
    Some(html[start..end].replace("&amp;", "&"))
}
