//! The console's branding page (`/admin/branding`) and time zone setting:
//! the branding changed through the admin API's rules and audit event, each
//! refused value answered at its field in the page's language (the first
//! one focused), a logo too large or not an image refused there too, never
//! a 500; and the pages' times in the tenant's zone.

use axum::http::StatusCode;
use trame_app::admin::Role;
use trame_app::branding::MAX_LOGO_BYTES;
use trame_core::branding::{AccessibilityStatus, LogoKind};
use trame_store::AuditQuery;

use crate::common::*;
use crate::console::{console_user, console_user_as};

const HOSTILE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10" fill="#1e3a8a"/></svg>"##;

/// The page's form as shown: its CSRF token and version, every field as
/// it is, then `changes` over them (the logo, when given, last).
async fn submit(b: &mut Browser, csrf: &str, changes: &[(&str, &str)], logo: Option<(&str, &[u8])>) -> Resp {
    let page = b.get("/admin/branding").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let version = page.input("version").expect("the page's version");
    let fields = ["primary_color", "service_url", "legal_notice_url", "privacy_url", "accessibility_url", "contact_url"];
    let mut values: Vec<(String, String)> = fields.iter().map(|f| (f.to_string(), page.input(f).unwrap_or_default())).collect();
    let status = if page.body.contains(r#"value="full" selected"#) {
        "full"
    } else if page.body.contains(r#"value="partial" selected"#) {
        "partial"
    } else {
        "none"
    };
    values.push(("accessibility_status".into(), status.into()));
    for (k, v) in changes {
        match values.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = (*v).to_owned(),
            None => values.push(((*k).to_owned(), (*v).to_owned())),
        }
    }
    let mut parts: Vec<(&str, Part<'_>)> = vec![("csrf", Part::Text(csrf)), ("version", Part::Text(&version))];
    parts.extend(values.iter().map(|(k, v)| (k.as_str(), Part::Text(v.as_str()))));
    let file = logo.map(|(content_type, bytes)| Part::File { file_name: "logo", content_type, bytes });
    parts.push(("logo", file.unwrap_or(Part::File { file_name: "", content_type: "application/octet-stream", bytes: b"" })));
    b.post_multipart("/admin/branding", &parts).await
}

fn notice(r: &Resp) -> String {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    query_param(&r.location().unwrap(), "notice").unwrap_or_default()
}

/// The refusal is at the field `id`: marked invalid, described by its
/// error, which says `says`.
fn refused_at(r: &Resp, id: &str, says: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let input = r.body.split(&format!(r#"id="{id}""#)).nth(1).and_then(|rest| rest.split('>').next()).unwrap_or_else(|| panic!("no field {id}"));
    assert!(input.contains(r#"aria-invalid="true""#) && input.contains(&format!("{id}-error")), "{id}: {input}");
    let error = r.body.split(&format!(r#"id="{id}-error">"#)).nth(1).and_then(|rest| rest.split("</p>").next()).unwrap_or_else(|| panic!("no error for {id}"));
    assert!(error.contains(says), "{id}: {error}");
    assert!(r.body.contains(r#"role="alert""#), "the form says it has errors");
}

fn focused(r: &Resp) -> Vec<String> {
    r.body.split("<").filter(|tag| tag.contains(" autofocus")).filter_map(|tag| tag.split(r#"id=""#).nth(1)?.split('"').next().map(str::to_owned)).collect()
}

async fn branding_events(env: &Env) -> Vec<trame_store::AuditEvent> {
    let q = AuditQuery { tenant_id: Some(env.tenant.id.clone()), action: Some("tenant.branding_changed".into()), limit: 20, ..AuditQuery::default() };
    env.state.store.audit_events(&q).await.unwrap()
}

async fn stored(env: &Env) -> trame_core::branding::Branding {
    env.state.store.tenant_by_slug(env.tenant.slug.as_str()).await.unwrap().unwrap().branding
}

backend_test!(async fn an_administrator_changes_the_branding_from_the_console(env) {
    let (mut b, csrf) = console_user(&env, Some(Role::TenantAdmin)).await;
    let page = b.get("/admin/branding").await;
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    assert!(page.body.contains(r#"enctype="multipart/form-data""#) && page.body.contains("Aucun logo"), "{}", page.body);
    let changes = [
        ("primary_color", "#1E3A8A"),
        ("service_url", "https://ville.example/"),
        ("legal_notice_url", "https://ville.example/mentions-legales"),
        ("privacy_url", "https://ville.example/donnees"),
        ("accessibility_url", "https://ville.example/accessibilite"),
        ("contact_url", "mailto:mairie@ville.example"),
        ("accessibility_status", "partial"),
    ];
    let r = submit(&mut b, &csrf, &changes, Some(("image/svg+xml", HOSTILE_SVG.as_bytes()))).await;
    assert_eq!(notice(&r), "console-branding-saved");
    let s = stored(&env).await;
    assert_eq!(s.primary_color.unwrap().to_string(), "#1e3a8a");
    assert_eq!(s.contact_url.as_deref(), Some("mailto:mairie@ville.example"));
    assert_eq!(s.accessibility_status, AccessibilityStatus::Partial);
    let logo = env.state.store.tenant_logo(&env.tenant.id).await.unwrap().expect("the logo");
    assert_eq!(logo.kind, LogoKind::Svg);
    let svg = String::from_utf8(logo.bytes).unwrap();
    assert!(!svg.contains("script") && !svg.contains("alert") && svg.contains("<path"), "rewritten as the API does: {svg}");
    // The admin API's audit event, by the administrator, naming settings only.
    let events = branding_events(&env).await;
    assert_eq!(events.len(), 1, "{events:?}");
    let detail = events[0].detail.as_ref().unwrap().to_string();
    assert!(detail.contains("primary_color") && detail.contains("logo") && !detail.contains("ville.example"), "{detail}");
    assert!(events[0].actor.contains("camille") || events[0].actor.contains("user:"), "{:?}", events[0].actor);

    // Shown at once on this node: the page with its logo, every page's footer.
    let page = b.get("/admin/branding").await;
    assert!(page.body.contains(r#"class="logo-preview"><img src="&#x2f;brand&#x2f;logo?v="#), "the logo's preview: {}", page.body);
    assert!(page.body.contains(r#"value="partial" selected"#));
    assert!(b.get("/admin/users").await.body.contains("https:&#x2f;&#x2f;ville.example&#x2f;mentions-legales"), "in every page's footer");

    // Nothing changed: nothing written, nothing recorded.
    assert_eq!(notice(&submit(&mut b, &csrf, &[], None).await), "console-branding-saved");
    assert_eq!(branding_events(&env).await.len(), 1, "nothing to record");
    assert_eq!(stored(&env).await, s);

    // Empty fields clear; the logo is removed on request.
    let r = submit(&mut b, &csrf, &[("service_url", ""), ("primary_color", ""), ("remove_logo", "yes")], None).await;
    assert_eq!(notice(&r), "console-branding-saved");
    let s = stored(&env).await;
    assert_eq!((s.service_url, s.primary_color, s.logo), (None, None, None));
    assert!(env.state.store.tenant_logo(&env.tenant.id).await.unwrap().is_none());
    assert_eq!(s.privacy_url.as_deref(), Some("https://ville.example/donnees"), "the others stay");

    // A PNG is taken as sent.
    let png = png(40, 20);
    assert_eq!(notice(&submit(&mut b, &csrf, &[], Some(("image/png", png.as_slice()))).await), "console-branding-saved");
    assert_eq!(env.state.store.tenant_logo(&env.tenant.id).await.unwrap().unwrap().bytes, png);

    // A change made meanwhile (the API, another administrator) is not
    // overwritten: the page as it was comes back stale.
    let old = b.get("/admin/branding").await.input("version").unwrap();
    assert_eq!(notice(&submit(&mut b, &csrf, &[("service_url", "https://ville.example/a")], None).await), "console-branding-saved");
    let parts = [("csrf", Part::Text(&csrf)), ("version", Part::Text(&old)), ("service_url", Part::Text("https://ville.example/b"))];
    assert_eq!(notice(&b.post_multipart("/admin/branding", &parts).await), "console-branding-stale");
    assert_eq!(stored(&env).await.service_url.as_deref(), Some("https://ville.example/a"));
});

fn png(width: u32, height: u32) -> Vec<u8> {
    // A valid PNG from the logo test of the app crate, made here with the
    // same encoder the server decodes with.
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().unwrap();
    w.write_image_data(&vec![0x40; (width * height * 4) as usize]).unwrap();
    w.finish().unwrap();
    out
}

backend_test!(async fn each_refused_value_is_said_at_its_field(env) {
    let (mut b, csrf) = console_user(&env, Some(Role::TenantAdmin)).await;
    let before = stored(&env).await;

    // Too little contrast: the ratio found, in the page's words.
    let r = submit(&mut b, &csrf, &[("primary_color", "#ffff00")], None).await;
    refused_at(&r, "primary-color", "1,07:1");
    assert_eq!(focused(&r), ["primary-color"]);
    assert_eq!(r.input("primary_color").as_deref(), Some("#ffff00"), "the value comes back as typed");
    // Not a colour.
    refused_at(&submit(&mut b, &csrf, &[("primary_color", "bleu")], None).await, "primary-color", "#RRGGBB");
    // http, not a URL, a script: each at its own field, the first focused.
    let r = submit(&mut b, &csrf, &[("legal_notice_url", "http://ville.example/mentions"), ("privacy_url", "mairie"), ("contact_url", "javascript:alert(1)")], None).await;
    refused_at(&r, "legal-notice-url", "https");
    refused_at(&r, "privacy-url", "https");
    refused_at(&r, "contact-url", "mailto:");
    assert_eq!(focused(&r), ["legal-notice-url"]);
    assert!(!r.body.contains(r#"id="service-url-error""#), "no error where there is none");
    // A status that is not one of the three.
    refused_at(&submit(&mut b, &csrf, &[("accessibility_status", "mostly")], None).await, "accessibility-status", "trois");

    // Logos: text, a DTD, nothing drawn, not an image, a broken PNG, too large.
    let svg = |body: &str| format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{body}</svg>"#);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (svg(r#"<text x="0" y="5">Ville</text>"#).into_bytes(), "tracés"),
        (format!(r#"<!DOCTYPE svg [<!ENTITY a "b">]>{}"#, svg("<rect width='1' height='1'/>")).into_bytes(), "DTD"),
        (svg("").into_bytes(), "ne dessine rien"),
        (b"GIF89a\x01\x00\x01\x00".to_vec(), "ni une image SVG ni une image PNG"),
        (png(10, 10)[..40].to_vec(), "PNG est illisible"),
        (svg(&format!("<desc>{}</desc><rect width='1' height='1'/>", "x".repeat(MAX_LOGO_BYTES))).into_bytes(), "60"),
    ];
    for (bytes, says) in cases {
        let r = submit(&mut b, &csrf, &[("service_url", "https://ville.example/")], Some(("image/svg+xml", bytes.as_slice()))).await;
        refused_at(&r, "logo", says);
        assert_eq!(focused(&r), ["logo"], "{says}");
        assert_eq!(r.input("service_url").as_deref(), Some("https://ville.example/"), "{says}: the other fields come back as typed");
    }
    // Far beyond the form's limit: still the field's error, not a bare 413 or a 500.
    let huge = vec![b'x'; 3 * 1024 * 1024];
    refused_at(&submit(&mut b, &csrf, &[], Some(("image/png", huge.as_slice()))).await, "logo", "60");
    assert_eq!(stored(&env).await, before, "nothing refused was written");
    assert!(env.state.store.tenant_logo(&env.tenant.id).await.unwrap().is_none());
    assert!(branding_events(&env).await.is_empty());

    // In English, the same refusal in English.
    b.accept_language = Some("en".into());
    refused_at(&submit(&mut b, &csrf, &[("primary_color", "#ffff00")], None).await, "primary-color", "contrast of 1.07:1");
});

backend_test!(async fn the_branding_form_needs_the_token_and_a_role_that_writes(env) {
    let (mut b, csrf) = console_user(&env, Some(Role::TenantAdmin)).await;
    let version = b.get("/admin/branding").await.input("version").unwrap();
    let with = |token: &'static str| vec![("csrf", Part::Text(token)), ("version", Part::Text("")), ("service_url", Part::Text("https://evil.example/"))];
    b.post_multipart("/admin/branding", &with("forged")).await.assert_page(StatusCode::FORBIDDEN);
    let no_token = [("version", Part::Text(&version)), ("service_url", Part::Text("https://evil.example/"))];
    b.post_multipart("/admin/branding", &no_token).await.assert_page(StatusCode::FORBIDDEN);
    // Not multipart: not this page's form.
    b.post("/admin/branding", &[("csrf", &csrf), ("version", &version)]).await.assert_page(StatusCode::BAD_REQUEST);
    assert_eq!(stored(&env).await.service_url, None);
    // An auditor sees the branding, without a form, and cannot post it.
    let (mut a, csrf) = console_user_as(&env, "dominique", Some(Role::Auditor)).await;
    let page = a.get("/admin/branding").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("multipart/form-data") && page.body.contains("<dl class=\"facts\">"), "no form for an auditor: {}", page.body);
    let parts = [("csrf", Part::Text(&csrf)), ("version", Part::Text(&version)), ("service_url", Part::Text("https://evil.example/"))];
    a.post_multipart("/admin/branding", &parts).await.assert_page(StatusCode::FORBIDDEN);
    // No session: nothing.
    let mut stranger = env.browser();
    assert_eq!(stranger.get("/admin/branding").await.status, StatusCode::SEE_OTHER);
    assert_ne!(stranger.post_multipart("/admin/branding", &parts).await.status, StatusCode::SEE_OTHER);
    assert_eq!(stored(&env).await.service_url, None);
    assert!(branding_events(&env).await.is_empty());

    // A field twice: not this page's form either, and nothing is cleared.
    let csrf = b.get("/admin/branding").await.input("csrf").unwrap();
    let set = submit(&mut b, &csrf, &[("service_url", "https://ville.example/")], None).await;
    assert_eq!(notice(&set), "console-branding-saved");
    let version = b.get("/admin/branding").await.input("version").unwrap();
    let twice = [
        ("csrf", Part::Text(&csrf)),
        ("version", Part::Text(&version)),
        ("service_url", Part::Text("https://ville.example/")),
        ("service_url", Part::Text("")),
    ];
    b.post_multipart("/admin/branding", &twice).await.assert_page(StatusCode::BAD_REQUEST);
    assert_eq!(stored(&env).await.service_url.as_deref(), Some("https://ville.example/"));
});

backend_test!(async fn pages_write_times_in_the_tenants_zone(env) {
    let (mut b, csrf) = console_user(&env, Some(Role::TenantAdmin)).await;
    let page = b.get("/admin/settings").await;
    assert_eq!(page.input("time_zone").as_deref(), Some("Europe/Paris"), "the default");
    let user = "/admin/keys";
    let paris = b.get(user).await.body;
    assert!(paris.contains("(UTC+1)") || paris.contains("(UTC+2)"), "{paris}");
    assert!(!paris.contains("(UTC)"));

    assert_eq!(notice(&b.post("/admin/settings/time-zone", &[("csrf", &csrf), ("time_zone", "Indian/Reunion")]).await), "console-time-zone-saved");
    let t = env.state.store.tenant_by_slug(env.tenant.slug.as_str()).await.unwrap().unwrap();
    assert_eq!(t.settings.time_zone.as_str(), "Indian/Reunion");
    assert!(b.get(user).await.body.contains("(UTC+4)"), "shown at once on this node");
    let q = AuditQuery { tenant_id: Some(env.tenant.id.clone()), action: Some("tenant.updated".into()), limit: 5, ..AuditQuery::default() };
    let events = env.state.store.audit_events(&q).await.unwrap();
    assert!(events.iter().any(|e| e.detail.as_ref().is_some_and(|d| d.to_string().contains("time_zone"))), "{events:?}");

    // An unknown zone: refused at its field, as typed, nothing changed.
    let r = b.post("/admin/settings/time-zone", &[("csrf", &csrf), ("time_zone", "Europe/Lutece")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"aria-invalid="true""#) && r.body.contains("time-zone-error"), "{}", r.body);
    assert_eq!(r.input("time_zone").as_deref(), Some("Europe/Lutece"), "as typed");
    assert!(r.body.contains("fuseau horaire est inconnu"));
    b.post("/admin/settings/time-zone", &[("csrf", "forged"), ("time_zone", "UTC")]).await.assert_page(StatusCode::FORBIDDEN);
    let t = env.state.store.tenant_by_slug(env.tenant.slug.as_str()).await.unwrap().unwrap();
    assert_eq!(t.settings.time_zone.as_str(), "Indian/Reunion");
    // The audit filter's days are the zone's too: today's records are found.
    let today = b.get("/admin/audit?since=2026-01-01").await;
    assert_eq!(today.status, StatusCode::OK);
});
