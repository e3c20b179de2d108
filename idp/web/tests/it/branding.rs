//! A tenant's branding: what its pages show (header, footer mentions,
//! colour, logo), the logo and stylesheet they load, and the admin API
//! that changes them, with every refusal.

use crate::admin_api::{API, OPS_ID, OPS_SECRET, admin_env, assert_problem, call, call_at, machine, token};
use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use trame_app::audit::Actor;
use trame_app::branding::{self, BrandingChange, LogoChange};
use trame_store::AuditQuery;

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10" fill="#1e3a8a"/></svg>"##;

async fn brand(env: &Env, slug: &str, change: BrandingChange, logo: LogoChange) {
    let checked = change.check().unwrap();
    branding::set(&env.state.store, slug, &checked, logo, None, env.clock.now(), Actor::Cli("test".into())).await.unwrap();
    env.refresh_catalog().await;
}

backend_test!(
    async fn two_tenants_of_one_installation_show_two_collectivites(env) {
        seed(&env.state.store, "autre", &format!("{ISSUER}/autre"), env.clock.now()).await;
        env.state.store.set_tenant_identity("autre", trame_store::TenantChange { display_name: Some("Autre-sur-Mer"), ..Default::default() }).await.unwrap();
        let logo = branding::check_logo(LOGO.as_bytes()).unwrap();
        let digest = logo.reference().digest;
        brand(
            &env,
            "ville",
            BrandingChange {
                primary_color: Some("#1e3a8a".into()),
                legal_notice_url: Some("https://ville.example/mentions".into()),
                privacy_url: Some("https://ville.example/donnees".into()),
                accessibility_url: Some("https://ville.example/accessibilite".into()),
                accessibility_status: Some("partial".into()),
                contact_url: Some("mailto:mairie@ville.example".into()),
                service_url: Some("https://ville.example/".into()),
            },
            LogoChange::Set(logo),
        )
        .await;
        let (_, page) = env.browser().login_page(&basic_params("openid")).await;
        page.assert_page(StatusCode::OK);
        let html = unescape(&page.body);
        for part in [
            &format!(r#"<img class="brand-logo" src="/brand/logo?v={digest}""#),
            r#"<link rel="stylesheet" href="/brand/style.css?v=1e3a8a">"#,
            r#"<a class="brand-link" href="https://ville.example/">"#,
            r#"<a href="https://ville.example/mentions">Mentions légales</a>"#,
            r#"<a href="https://ville.example/donnees">Données personnelles</a>"#,
            "<a href=\"https://ville.example/accessibilite\">Accessibilité\u{a0}: partiellement conforme</a>",
            r#"<a href="mailto:mairie@ville.example">Contact</a>"#,
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
        // An error page too (rendered after the handler, in the request's
        // language).
        let error = env.get_with("/authorize?client_id=nobody&response_type=code&scope=openid", &[]).await;
        error.assert_page(StatusCode::BAD_REQUEST);
        let html = unescape(&error.body);
        assert!(html.contains(r#"<span class="brand-name">Ville d'Exemple</span>"#) && html.contains("partiellement conforme"), "{html}");
        // The other tenant: its own name, no logo, no colour, the default
        // RGAA mention, no links it did not set.
        let mut b = env.browser();
        let params = basic_params("openid");
        let r = b.request(Method::GET, &format!("/autre/authorize?{}", encode(&params)), None).await;
        let login = r.location().unwrap();
        let page = b.get(&login).await;
        page.assert_page(StatusCode::OK);
        let html = unescape(&page.body);
        assert!(html.contains("Autre-sur-Mer") && !html.contains("Ville d'Exemple"), "{html}");
        assert!(!html.contains("brand-logo") && !html.contains("/brand/style.css") && !html.contains("Mentions légales"), "{html}");
        assert!(html.contains("Accessibilité\u{a0}: non conforme"), "{html}");
        assert!(html.contains("<title>") && html.contains(" · Autre-sur-Mer</title>"), "the title names the collectivité: {html}");
        assert_eq!(env.get_with("/autre/brand/logo", &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(env.get_with("/autre/brand/style.css", &[]).await.status, StatusCode::NOT_FOUND);
    }
);

backend_test!(
    async fn the_logo_and_colour_are_served_safely_and_cached(env) {
        brand(&env, "ville", BrandingChange { primary_color: Some("#1E3A8A".into()), ..BrandingChange::default() }, LogoChange::Set(branding::check_logo(LOGO.as_bytes()).unwrap())).await;
        let r = env.get_with("/brand/logo?v=x", &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header("content-type").as_deref(), Some("image/svg+xml"));
        assert_eq!(r.header("content-security-policy").as_deref(), Some("default-src 'none'; style-src 'unsafe-inline'; sandbox"));
        assert_eq!(r.header("x-content-type-options").as_deref(), Some("nosniff"));
        assert!(!r.body.contains("script") && !r.body.contains("alert") && !r.body.contains("onload") && r.body.contains("#1e3a8a"), "{}", r.body);
        let etag = r.header("etag").unwrap();
        let again = env.get_with("/brand/logo", &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert!(again.body.is_empty());
        let css = env.get_with("/brand/style.css?v=1e3a8a", &[]).await;
        assert_eq!(css.status, StatusCode::OK);
        assert_eq!(css.header("content-type").as_deref(), Some("text/css; charset=utf-8"));
        assert_eq!(css.body.trim(), ":root { --accent: #1e3a8a; }");
        // Removed: gone from the pages and from its address.
        brand(&env, "ville", BrandingChange { primary_color: Some(String::new()), ..BrandingChange::default() }, LogoChange::Remove).await;
        assert_eq!(env.get_with("/brand/logo", &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(env.get_with("/brand/style.css", &[]).await.status, StatusCode::NOT_FOUND);
    }
);

backend_test!(
    async fn sign_up_says_what_is_done_with_the_data(env) {
        let mut settings = env.tenant.settings.clone();
        settings.registration = trame_core::tenant::Registration::Open;
        env.state.store.set_tenant_settings("ville", &settings).await.unwrap();
        brand(&env, "ville", BrandingChange { privacy_url: Some("https://ville.example/donnees".into()), ..BrandingChange::default() }, LogoChange::Keep).await;
        let page = env.browser().get("/signup").await;
        page.assert_page(StatusCode::OK);
        let html = unescape(&page.body);
        assert!(html.contains(r#"id="signup-privacy">Ville d'Exemple utilise votre identifiant"#), "{html}");
        assert!(html.contains(r#"<a href="https://ville.example/donnees">Données personnelles</a></p>"#), "{html}");
    }
);

backend_test!(
    async fn the_admin_api_changes_the_branding_with_its_rules(env) {
        let (ops, reader) = admin_env(&env).await;
        let path = format!("{API}/branding");
        let r = call(&env, Method::GET, &path, Some(&reader), None, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["accessibility_status"], "none");
        assert_eq!(r.json()["logo"], json!(null));
        let tag = r.header("etag").unwrap();
        let change = json!({ "primary_color": "#1e3a8a", "privacy_url": "https://ville.example/donnees", "accessibility_status": "full" });
        // Refusals: read-only, no If-Match, a stale one, each bad value, an
        // unknown member, a body that is not JSON.
        assert_problem(&call(&env, Method::PATCH, &path, Some(&reader), Some(change.clone()), &[("if-match", &tag)]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        assert_problem(&call(&env, Method::PATCH, &path, Some(&ops), Some(change.clone()), &[]).await, StatusCode::PRECONDITION_REQUIRED, "precondition_required");
        assert_problem(&call(&env, Method::PATCH, &path, Some(&ops), Some(change.clone()), &[("if-match", "\"old\"")]).await, StatusCode::PRECONDITION_FAILED, "stale_version");
        for (body, field) in [
            (json!({ "primary_color": "#ffff00" }), "primary_color"),
            (json!({ "primary_color": "navy" }), "primary_color"),
            (json!({ "legal_notice_url": "http://ville.example/" }), "legal_notice_url"),
            (json!({ "contact_url": "javascript:alert(1)" }), "contact_url"),
            (json!({ "accessibility_status": "mostly" }), "accessibility_status"),
        ] {
            let r = call(&env, Method::PATCH, &path, Some(&ops), Some(body.clone()), &[("if-match", &tag)]).await;
            assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value");
            assert_eq!(r.json()["field"], field, "{body}");
        }
        assert_problem(&call(&env, Method::PATCH, &path, Some(&ops), Some(json!({ "colour": "#000000" })), &[("if-match", &tag)]).await, StatusCode::BAD_REQUEST, "invalid_body");
        let r = call(&env, Method::GET, &path, Some(&ops), None, &[]).await;
        assert_eq!(r.header("etag").unwrap(), tag, "the refusals changed nothing");

        let r = call(&env, Method::PATCH, &path, Some(&ops), Some(change), &[("if-match", &tag)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!((v["primary_color"].as_str(), v["accessibility_status"].as_str()), (Some("#1e3a8a"), Some("full")));
        let tag2 = r.header("etag").unwrap();
        assert_ne!(tag, tag2);
        // The old tag is stale now; null removes a link.
        assert_problem(&call(&env, Method::PATCH, &path, Some(&ops), Some(json!({ "privacy_url": null })), &[("if-match", &tag)]).await, StatusCode::PRECONDITION_FAILED, "stale_version");
        let r = call(&env, Method::PATCH, &path, Some(&ops), Some(json!({ "privacy_url": null })), &[("if-match", &tag2)]).await;
        assert_eq!(r.json()["privacy_url"], json!(null));
        assert_eq!(r.json()["primary_color"], "#1e3a8a", "what was not given stays");

        // The logo: its type declared and checked, its size bounded.
        let logo_path = format!("{path}/logo");
        let put = |ct: &'static str, body: Vec<u8>, bearer: String| {
            let req = Request::put(&logo_path).header(header::HOST, HOST).header(header::AUTHORIZATION, format!("Bearer {bearer}")).header(header::CONTENT_TYPE, ct).body(Body::from(body)).unwrap();
            let app = env.app.clone();
            async move { send(&app, req).await }
        };
        assert_problem(&put("image/svg+xml", LOGO.into(), reader.clone()).await, StatusCode::FORBIDDEN, "insufficient_rights");
        assert_problem(&put("image/gif", b"GIF89a".to_vec(), ops.clone()).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        assert_problem(&put("image/png", LOGO.into(), ops.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_logo");
        assert_problem(&put("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'><text>Ville</text></svg>".to_vec(), ops.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_logo");
        assert_problem(&put("image/svg+xml", vec![b' '; branding::MAX_LOGO_BYTES + 1], ops.clone()).await, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
        let r = put("image/svg+xml", LOGO.into(), ops.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let url = r.json()["logo"]["url"].as_str().unwrap().to_owned();
        assert!(url.starts_with(&format!("{ISSUER}/brand/logo?v=")), "{url}");
        // This node serves it at once.
        let served = env.get_with(url.strip_prefix(ISSUER).unwrap(), &[]).await;
        assert_eq!(served.status, StatusCode::OK);
        assert!(!served.body.contains("script"));
        let r = call(&env, Method::DELETE, &logo_path, Some(&ops), None, &[("if-match", "\"old\"")]).await;
        assert_problem(&r, StatusCode::PRECONDITION_FAILED, "stale_version");
        let r = call(&env, Method::DELETE, &logo_path, Some(&ops), None, &[]).await;
        assert_eq!(r.json()["logo"], json!(null));
        assert_eq!(env.get_with("/brand/logo", &[]).await.status, StatusCode::NOT_FOUND);

        // Audited with the names of the settings, never their values.
        let records = env.state.store.audit_events(&AuditQuery { tenant_id: Some(env.tenant.id.clone()), action: Some("tenant.branding_changed".into()), limit: 100, ..AuditQuery::default() }).await.unwrap();
        assert_eq!(records.len(), 4, "{records:?}");
        let detail = serde_json::to_string(&records.iter().map(|r| r.detail.clone()).collect::<Vec<_>>()).unwrap();
        assert!(detail.contains("primary_color") && detail.contains("logo") && !detail.contains("ville.example"), "{detail}");
        // And the OpenAPI document names the operations.
        let doc = call(&env, Method::GET, &format!("{API}/openapi.json"), None, None, &[]).await.json();
        assert!(doc["paths"]["/branding"]["patch"].is_object() && doc["paths"]["/branding/logo"]["put"].is_object(), "{doc}");
        let _ = (call_at, machine, token, OPS_ID, OPS_SECRET);
    }
);
