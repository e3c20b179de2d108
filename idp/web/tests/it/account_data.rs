//! The person's rights on the account page: names changed, a service's
//! consent withdrawn, the data downloaded, the account deleted.

use axum::http::StatusCode;
use trame_store::AuditQuery;

use crate::common::*;

/// alice signed in at the basic client (so she consented to it), then on
/// her account page: (browser, CSRF token, the client's refresh token).
async fn signed_in(env: &Env) -> (Browser, String, String) {
    let (code, mut b) = env.code_for(&basic_params("openid profile offline_access")).await;
    let r = env.token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let refresh = r.json()["refresh_token"].as_str().unwrap().to_owned();
    let page = b.get("/account").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page.input("csrf").unwrap();
    (b, csrf, refresh)
}

fn notice(r: &Resp) -> String {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    query_param(&r.location().unwrap(), "notice").unwrap_or_default()
}

backend_test!(async fn names_change_under_the_version_the_page_showed(env) {
    let (mut b, csrf, _) = signed_in(&env).await;
    let page = b.get("/account").await;
    let version = page.input("version").unwrap();
    assert_eq!(page.input("given_name").as_deref(), Some("Alice"));
    let r = b.post("/account/profile", &[("csrf", &csrf), ("version", &version), ("given_name", "Alicia"), ("family_name", "Martin-Durand")]).await;
    assert_eq!(notice(&r), "profile-saved");
    let u = env.state.store.user_by_id(&env.tenant.id, &env.user_id).await.unwrap().unwrap();
    assert_eq!((u.given_name.as_deref(), u.family_name.as_deref()), (Some("Alicia"), Some("Martin-Durand")));
    // The same form again, from the page as it was: someone changed the
    // account meanwhile, nothing is overwritten.
    let r = b.post("/account/profile", &[("csrf", &csrf), ("version", &version), ("given_name", "Alix"), ("family_name", "")]).await;
    assert_eq!(notice(&r), "profile-stale");
    let page = b.get("/account?notice=profile-stale").await;
    assert!(page.body.contains("Alicia"), "the page shows the current names");
    let version = page.input("version").unwrap();
    let r = b.post("/account/profile", &[("csrf", &csrf), ("version", &version), ("given_name", "A\u{7}"), ("family_name", "")]).await;
    assert_eq!(notice(&r), "profile-invalid");
    b.post("/account/profile", &[("csrf", "forged"), ("version", &version), ("given_name", "X")]).await.assert_page(StatusCode::FORBIDDEN);
    let trail = env.state.store.audit_events(&AuditQuery { tenant_id: Some(env.tenant.id.clone()), action: Some("user.updated".into()), limit: 5, ..AuditQuery::default() }).await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor, format!("user:{}", env.user_id));
    // Shown in the recent activity.
    assert!(b.get("/account").await.body.contains("Identité modifiée"));
});

backend_test!(async fn a_service_is_withdrawn_and_the_data_downloaded(env) {
    let (mut b, csrf, refresh) = signed_in(&env).await;
    let page = b.get("/account").await;
    assert!(page.body.contains("Service rp-basic"), "the service by its name");
    assert!(page.body.contains("votre nom et votre profil"), "with what it may see");
    assert!(page.body.contains("Accès accordé à un service"), "the consent is in the recent activity");
    let export = b.get("/account/export").await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    assert!(export.header("content-disposition").unwrap().starts_with("attachment"));
    let data = export.json();
    assert_eq!(data["account"]["username"], USERNAME);
    assert_eq!(data["consents"][0]["client_id"], BASIC_ID);
    assert!(!export.body.contains("argon2"));

    let r = b.post("/account/consents/withdraw", &[("csrf", &csrf), ("client_id", BASIC_ID)]).await;
    assert_eq!(notice(&r), "consent-withdrawn");
    env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
    assert!(!b.get("/account").await.body.contains("Service rp-basic"));
    b.post("/account/consents/withdraw", &[("csrf", &csrf), ("client_id", BASIC_ID)]).await.assert_page(StatusCode::NOT_FOUND);
    // The export needs a session.
    let mut stranger = env.browser();
    assert_eq!(stranger.get("/account/export").await.status, StatusCode::SEE_OTHER);
});

backend_test!(async fn the_account_is_deleted_after_a_confirmation(env) {
    let (mut b, csrf, refresh) = signed_in(&env).await;
    let r = b.post("/account/delete", &[("csrf", &csrf)]).await;
    assert_eq!(notice(&r), "delete-unconfirmed");
    assert!(env.state.store.account(&env.tenant.id, &env.user_id).await.unwrap().is_some(), "nothing deleted without the box ticked");
    let r = b.post("/account/delete", &[("csrf", &csrf), ("confirm", "yes")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Compte supprimé"));
    assert!(r.set_cookies().iter().any(|c| c.contains("Max-Age=0")), "the session cookie is cleared: {:?}", r.set_cookies());
    assert!(env.state.store.account(&env.tenant.id, &env.user_id).await.unwrap().is_none());
    env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
    assert_eq!(b.get("/account").await.status, StatusCode::SEE_OTHER, "signed out");
    let trail = env.state.store.audit_events(&AuditQuery { tenant_id: Some(env.tenant.id.clone()), action: Some("user.removed".into()), limit: 5, ..AuditQuery::default() }).await.unwrap();
    assert_eq!(trail[0].actor, format!("user:{}", env.user_id));
});

backend_test!(async fn the_persons_security_events_are_in_the_audit_trail(env) {
    let (mut b, csrf, _) = signed_in(&env).await;
    assert_eq!(notice(&b.post("/account/password", &[("csrf", &csrf), ("password", "a new and long passphrase")]).await), "password-set");
    let codes = b.post("/account/recovery-codes", &[("csrf", &csrf)]).await;
    assert_eq!(codes.status, StatusCode::OK);
    let trail = env.state.store.audit_events(&AuditQuery { tenant_id: Some(env.tenant.id.clone()), subject: Some(format!("user:{}", env.user_id)), limit: 10, ..AuditQuery::default() }).await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(&actions[..4], ["recovery_codes.renewed", "password.set", "consent.given", "sign_in"], "{actions:?}");
    assert_eq!(trail[2].detail.as_ref().unwrap()["client_id"], BASIC_ID);
    let page = b.get("/account").await;
    assert!(page.body.contains("Mot de passe défini") && page.body.contains("Nouveaux codes de récupération"));
    assert!(!trail.iter().any(|e| e.detail.as_ref().is_some_and(|d| d.to_string().contains("passphrase"))), "never a secret");
});
