//! The attacks of the security review (issue 22), each replayed against the
//! real router: they must fail. Each test names the attack it replays.

use axum::http::StatusCode;
use serde_json::json;
use trame_app::mail::{MailConfig, Mailer};
use trame_core::tenant::CredentialUpgrade;
use trame_testkit::authenticator::SoftAuthenticator;

use crate::account::mailed_links;
use crate::common::*;
use crate::passkeys::*;

/// alice, signed in on the account page: (browser, the page's CSRF token).
async fn alice_on_account_page(env: &Env) -> (Browser, String) {
    let mut b = env.browser();
    let r = b.get("/account").await;
    let page = b.get(&r.location().unwrap()).await;
    let r = b.submit_login(&page, USERNAME, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = b.get("/account").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page.input("csrf").unwrap();
    (b, csrf)
}

async fn email_of(env: &Env, user_id: &str) -> Option<String> {
    env.state.store.user_by_id(&env.tenant.id, user_id).await.unwrap().unwrap().email
}

backend_test!(async fn a_planted_browser_cookie_does_not_open_the_account_forms(env) {
    // The attacker loads a page without a session and learns the token that
    // the old scheme derived from the browser cookie alone.
    let mut attacker = env.browser();
    let attacker_token = attacker.get("/recover").await.input("csrf").unwrap();
    let planted = attacker.cookie("trame_browser").unwrap().clone();
    // The victim is signed in; a sibling subdomain plants the attacker's
    // cookie (`Domain=ville.fr; Path=/account`), which the browser sends
    // before its own.
    let (mut victim, _) = alice_on_account_page(&env).await;
    victim.extra_headers.push(("cookie", format!("trame_browser_ville={planted}")));
    let forged = victim.post("/account/email", &[("csrf", &attacker_token), ("email", "attacker@evil.example")]).await;
    forged.assert_page(StatusCode::FORBIDDEN);
    // Even with the victim's own binding cookie replaced by the planted one.
    victim.extra_headers.clear();
    victim.cookies.insert("trame_browser_ville".into(), planted.clone());
    let forged = victim.post("/account/email", &[("csrf", &attacker_token), ("email", "attacker@evil.example")]).await;
    forged.assert_page(StatusCode::FORBIDDEN);
    assert_eq!(email_of(&env, &env.user_id).await.as_deref(), Some("alice@example.fr"), "nothing changed");
    // The victim's own page still works: its token is bound to the session.
    let csrf = victim.get("/account").await.input("csrf").unwrap();
    assert_ne!(csrf, attacker_token);
    let ok = victim.post("/account/email", &[("csrf", &csrf), ("email", "alice2@example.fr")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    // A token of another session of the same person does not work either.
    let (_, other_csrf) = alice_on_account_page(&env).await;
    victim.post("/account/email", &[("csrf", &other_csrf), ("email", "x@example.fr")]).await.assert_page(StatusCode::FORBIDDEN);
});

backend_test!(async fn a_duplicated_cookie_is_not_read(env) {
    let mut b = env.browser();
    let (_, page) = b.login_page(&basic_params("openid")).await;
    // Another cookie of the same name arrives beside the real one: the
    // server cannot tell which it set, and reads neither.
    b.extra_headers.push(("cookie", "trame_browser_ville=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into()));
    b.submit_login(&page, USERNAME, PASSWORD).await.assert_page(StatusCode::FORBIDDEN);
    assert!(b.cookie("trame_session").is_none());
});

backend_test!(async fn posts_from_other_origins_are_refused(env) {
    let (mut b, csrf) = alice_on_account_page(&env).await;
    for (header, value) in [
        ("sec-fetch-site", "same-site"),
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://www.ville.fr"),
        ("origin", "null"),
        ("origin", "https://localhost:8080"),
    ] {
        b.extra_headers = vec![(header, value.to_owned())];
        let r = b.post("/account/email", &[("csrf", &csrf), ("email", "attacker@evil.example")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{header}: {value}");
        let r = b.post_json("/account/passkeys/options", &json!({ "csrf": csrf })).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{header}: {value}");
    }
    assert_eq!(email_of(&env, &env.user_id).await.as_deref(), Some("alice@example.fr"));
    // The sign-in form too (login CSRF), while clients may still post
    // authorization requests from their own sites.
    let mut c = env.browser();
    let (_, page) = c.login_page(&basic_params("openid")).await;
    c.extra_headers = vec![("origin", "https://www.ville.fr".into())];
    c.submit_login(&page, USERNAME, PASSWORD).await.assert_page(StatusCode::FORBIDDEN);
    let r = c.post("/authorize", &basic_params("openid")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // From the issuer's own pages, both ways browsers say it.
    for (header, value) in [("sec-fetch-site", "same-origin"), ("origin", ISSUER)] {
        b.extra_headers = vec![(header, value.to_owned())];
        let r = b.post("/account/email", &[("csrf", &csrf), ("email", "alice@example.fr")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{header}: {}", r.body);
    }
});

backend_test_raw!(async fn https_issuers_use_host_prefixed_cookies(backend) {
    let env = Env::with(backend, "https://login.ville.fr", "login.ville.fr", vec![]).await;
    let mut b = Browser::new(env.app.clone(), "login.ville.fr");
    let r = b.authorize(&basic_params("openid")).await;
    let cookies = r.set_cookies();
    let browser = cookies.iter().find(|c| c.starts_with("__Host-trame_browser_ville=")).unwrap_or_else(|| panic!("{cookies:?}"));
    assert!(browser.contains("; Path=/;") && browser.contains("; Secure") && !browser.contains("Domain"), "{browser}");
    let page = b.get(&r.location().unwrap()).await;
    let r = b.submit_login(&page, USERNAME, PASSWORD).await;
    let session = r.set_cookies().into_iter().find(|c| c.starts_with("__Host-trame_session_ville=")).expect("a __Host- session cookie");
    assert!(session.contains("; Path=/;") && session.contains("; Secure") && session.contains("HttpOnly"), "{session}");
    // A cookie without the prefix, as a sibling subdomain could plant, is
    // not the session.
    let value = b.cookies.remove("__Host-trame_session_ville").unwrap();
    b.cookies.insert("trame_session_ville".into(), value);
    let r = b.get("/account").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "not signed in without the prefixed cookie");
});

/// alice's account with a mailer writing to `outbox`, alice's e-mail
/// verified: the app to browse with.
pub async fn with_outbox(env: &Env, outbox: &std::path::Path) -> axum::Router {
    let mailer = Mailer::from_config(&MailConfig { smtp_url: None, from: "noreply@localhost".into(), outbox_dir: Some(outbox.to_path_buf()) }).unwrap();
    trame_web::app(env.state.clone().with_mailer(mailer))
}

/// Signs alice in with her password on `b` and adds a passkey from the
/// account page; returns the authenticator holding it.
async fn password_session_adds_a_passkey(b: &mut Browser) -> SoftAuthenticator {
    let r = b.get("/account").await;
    let page = b.get(&r.location().unwrap()).await;
    b.submit_login(&page, USERNAME, PASSWORD).await;
    let csrf = b.get("/account").await.input("csrf").unwrap();
    let mut auth = SoftAuthenticator::new();
    let options = b.post_json("/account/passkeys/options", &json!({ "csrf": csrf })).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.body);
    let credential = auth.register(&options.json(), ORIGIN).await.unwrap();
    let done = b.post_json("/account/passkeys/finish", &json!({ "csrf": csrf, "credential": credential })).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    auth
}

/// A passkey sign-in at the basic client; the ID token's claims, or the
/// refusal.
async fn passkey_at_service(env: &Env, auth: &mut SoftAuthenticator, acr: Option<&str>) -> Result<serde_json::Value, Resp> {
    let mut b = env.browser();
    let params = with_param(basic_params("openid"), "acr_values", acr);
    let (ia, csrf) = login_fields(&mut b, &params).await;
    let done = passkey_sign_in(&mut b, auth, &ia, &csrf, None).await;
    if done.status != StatusCode::OK {
        return Err(done);
    }
    Ok(finish_to_tokens(env, &mut b, &done).await)
}

backend_test!(async fn a_passkey_added_by_a_password_session_counts_as_one_factor(env) {
    let mut b = env.browser();
    let mut auth = password_session_adds_a_passkey(&mut b).await;
    let claims = passkey_at_service(&env, &mut auth, None).await.unwrap();
    assert_eq!(claims["acr"], "eidas1", "capped at the level of the session that bound it");
    assert!(claims["amr"].as_array().unwrap().iter().any(|v| v == "user"), "amr still says what was used: {claims}");
    let refused = passkey_at_service(&env, &mut auth, Some("eidas2")).await.unwrap_err();
    refused.assert_oauth(StatusCode::FORBIDDEN, "below_required_level");
    // The account page says so; without a verified address (or without
    // mail), nothing offers to raise it.
    let page = b.get("/account").await;
    assert!(page.body.contains("credential-limited") || page.body.contains("un seul facteur"), "{}", page.body);
    assert!(!page.body.contains("/account/credentials/upgrade"));
});

backend_test!(async fn a_mailed_link_opened_in_the_same_session_raises_the_passkey(env) {
    let outbox = trame_testkit::TempDir::new("outbox");
    let app = with_outbox(&env, &outbox.path).await;
    env.state.store.set_email(&env.tenant.id, &env.user_id, Some("alice@example.fr"), true, env.clock.now()).await.unwrap();
    let mut b = Browser::new(app.clone(), HOST);
    let mut auth = password_session_adds_a_passkey(&mut b).await;
    let page = b.get("/account").await;
    assert!(page.body.contains("/account/credentials/upgrade"), "{}", page.body);
    let id = env.state.store.passkeys_of(&env.tenant.id, &env.user_id).await.unwrap()[0].id.clone();
    let csrf = page.input("csrf").unwrap();
    // Only the account's own credentials, of a kind that exists.
    b.post("/account/credentials/upgrade", &[("csrf", &csrf), ("credential", "passkey"), ("id", "not-mine")]).await.assert_page(StatusCode::NOT_FOUND);
    b.post("/account/credentials/upgrade", &[("csrf", &csrf), ("credential", "password")]).await.assert_page(StatusCode::BAD_REQUEST);
    b.post("/account/credentials/upgrade", &[("csrf", "forged"), ("credential", "passkey"), ("id", &id)]).await.assert_page(StatusCode::FORBIDDEN);
    assert!(mailed_links(&outbox.path, "/account/upgrade?token=").is_empty(), "no mail for a refused request");
    let r = b.post("/account/credentials/upgrade", &[("csrf", &csrf), ("credential", "passkey"), ("id", &id)]).await;
    assert_eq!(query_param(&r.location().unwrap(), "notice").as_deref(), Some("upgrade-mail-sent"));
    let link = mailed_links(&outbox.path, "/account/upgrade?token=").pop().expect("an upgrade mail");
    // Another browser, even signed in as alice, cannot use it: it is bound
    // to the session that asked.
    let (mut other, _) = {
        let mut o = Browser::new(app.clone(), HOST);
        let r = o.get("/account").await;
        let page = o.get(&r.location().unwrap()).await;
        o.submit_login(&page, USERNAME, PASSWORD).await;
        (o, ())
    };
    assert_eq!(other.get(&link).await.status, StatusCode::FORBIDDEN);
    let other_csrf = other.get("/account").await.input("csrf").unwrap();
    let token = query_param(&link, "token").unwrap();
    other.post("/account/upgrade", &[("csrf", &other_csrf), ("token", &token)]).await.assert_page(StatusCode::FORBIDDEN);
    assert_eq!(passkey_at_service(&env, &mut auth, None).await.unwrap()["acr"], "eidas1", "still capped");
    // Opening the link changes nothing; its button, in the same session, does.
    let confirm = b.get(&link).await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    assert_eq!(passkey_at_service(&env, &mut auth, None).await.unwrap()["acr"], "eidas1", "a GET changes nothing");
    let r = b.post("/account/upgrade", &[("csrf", &confirm.input("csrf").unwrap()), ("token", &confirm.input("token").unwrap())]).await;
    assert_eq!(query_param(&r.location().unwrap(), "notice").as_deref(), Some("credential-upgraded"), "{}", r.body);
    assert_eq!(passkey_at_service(&env, &mut auth, Some("eidas2")).await.unwrap()["acr"], "eidas2");
    // Single use.
    b.post("/account/upgrade", &[("csrf", &confirm.input("csrf").unwrap()), ("token", &confirm.input("token").unwrap())]).await.assert_page(StatusCode::BAD_REQUEST);
});

backend_test!(async fn a_tenant_may_refuse_every_upgrade(env) {
    let outbox = trame_testkit::TempDir::new("outbox");
    let app = with_outbox(&env, &outbox.path).await;
    set_settings(&env, |s| s.credential_upgrade = CredentialUpgrade::Never).await;
    env.state.store.set_email(&env.tenant.id, &env.user_id, Some("alice@example.fr"), true, env.clock.now()).await.unwrap();
    let mut b = Browser::new(app, HOST);
    password_session_adds_a_passkey(&mut b).await;
    let page = b.get("/account").await;
    assert!(!page.body.contains("/account/credentials/upgrade"));
    let id = env.state.store.passkeys_of(&env.tenant.id, &env.user_id).await.unwrap()[0].id.clone();
    let r = b.post("/account/credentials/upgrade", &[("csrf", &page.input("csrf").unwrap()), ("credential", "passkey"), ("id", &id)]).await;
    r.assert_page(StatusCode::BAD_REQUEST);
    assert!(mailed_links(&outbox.path, "/account/upgrade").is_empty());
});

backend_test!(async fn a_sign_up_passkey_and_one_added_at_level_count_in_full(env) {
    // A passkey account adds a second passkey from its passkey session.
    open_signup(&env).await;
    let mut first = SoftAuthenticator::new();
    let mut b = env.browser();
    assert_eq!(sign_up(&mut b, &mut first, "camille").await.status, StatusCode::OK);
    let csrf = b.get("/account").await.input("csrf").unwrap();
    let mut second = SoftAuthenticator::new();
    let options = b.post_json("/account/passkeys/options", &json!({ "csrf": csrf })).await;
    let credential = second.register(&options.json(), ORIGIN).await.unwrap();
    assert_eq!(b.post_json("/account/passkeys/finish", &json!({ "csrf": csrf, "credential": credential })).await.status, StatusCode::OK);
    assert_eq!(passkey_at_service(&env, &mut first, Some("eidas2")).await.unwrap()["acr"], "eidas2");
    assert_eq!(passkey_at_service(&env, &mut second, Some("eidas2")).await.unwrap()["acr"], "eidas2");
});

backend_test!(async fn a_passkey_added_after_a_recovery_counts_as_one_factor(env) {
    open_signup(&env).await;
    let mut lost = SoftAuthenticator::new();
    let mut b = env.browser();
    let done = sign_up(&mut b, &mut lost, "dana").await;
    let code = done.json()["recovery_codes"][0].as_str().unwrap().to_owned();
    // Someone with a recovery code (stolen, or the owner) recovers and binds
    // a new passkey.
    let mut r = env.browser();
    let csrf = r.get("/recover").await.input("csrf").unwrap();
    let res = r.post("/recover", &[("csrf", &csrf), ("method", "code"), ("username", "dana"), ("code", &code)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let csrf = r.get("/account").await.input("csrf").unwrap();
    let mut new = SoftAuthenticator::new();
    let options = r.post_json("/account/passkeys/options", &json!({ "csrf": csrf })).await;
    let credential = new.register(&options.json(), ORIGIN).await.unwrap();
    assert_eq!(r.post_json("/account/passkeys/finish", &json!({ "csrf": csrf, "credential": credential })).await.status, StatusCode::OK);
    assert_eq!(passkey_at_service(&env, &mut new, None).await.unwrap()["acr"], "eidas1");
    passkey_at_service(&env, &mut new, Some("eidas2")).await.unwrap_err().assert_oauth(StatusCode::FORBIDDEN, "below_required_level");
});

backend_test!(async fn e_mail_verification_needs_the_accounts_own_session(env) {
    let outbox = trame_testkit::TempDir::new("outbox");
    let app = with_outbox(&env, &outbox.path).await;
    // The attacker's account asks to verify the victim's address.
    add_user(&env.state.store, &env.tenant.id, "mallory", "mallory's long password", env.clock.now()).await;
    let mut attacker = Browser::new(app.clone(), HOST);
    let r = attacker.get("/account").await;
    let page = attacker.get(&r.location().unwrap()).await;
    attacker.submit_login(&page, "mallory", "mallory's long password").await;
    let csrf = attacker.get("/account").await.input("csrf").unwrap();
    attacker.post("/account/email", &[("csrf", &csrf), ("email", "victim@example.fr")]).await;
    let link = mailed_links(&outbox.path, "/verify-email?token=").pop().expect("a verification mail");
    // The victim (or their mail scanner) opens it: a bare GET verifies
    // nothing, and without mallory's session there is no button.
    let mut victim = Browser::new(app.clone(), HOST);
    let page = victim.get(&link).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert!(page.input("token").is_none(), "no confirmation form");
    // Signed in as alice, the victim cannot confirm it for mallory either.
    let r = victim.get("/account").await;
    let login = victim.get(&r.location().unwrap()).await;
    victim.submit_login(&login, USERNAME, PASSWORD).await;
    assert_eq!(victim.get(&link).await.status, StatusCode::FORBIDDEN);
    let csrf = victim.get("/account").await.input("csrf").unwrap();
    let token = query_param(&link, "token").unwrap();
    victim.post("/verify-email", &[("csrf", &csrf), ("token", &token)]).await.assert_page(StatusCode::FORBIDDEN);
    let mallory = env.state.store.user_for_sign_in(&env.tenant.id, "mallory").await.unwrap().unwrap().profile;
    assert!(!mallory.email_verified);
    // mallory's own session can confirm; the address becomes verified.
    let page = attacker.get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let r = attacker.post("/verify-email", &[("csrf", &page.input("csrf").unwrap()), ("token", &page.input("token").unwrap())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A verified address is one account's: alice verifying it is refused.
    let csrf = victim.get("/account").await.input("csrf").unwrap();
    victim.post("/account/email", &[("csrf", &csrf), ("email", "Victim@example.fr")]).await;
    let link = mailed_links(&outbox.path, "/verify-email?token=").pop().unwrap();
    let page = victim.get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let r = victim.post("/verify-email", &[("csrf", &page.input("csrf").unwrap()), ("token", &page.input("token").unwrap())]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let alice = env.state.store.user_by_id(&env.tenant.id, &env.user_id).await.unwrap().unwrap();
    assert!(!alice.email_verified);
});

backend_test!(async fn pending_sign_ins_keep_little_for_little_time(env) {
    // Unknown parameters are not kept; the page's expiry is short until the
    // page is shown.
    let mut b = env.browser();
    let junk = "x".repeat(3000);
    let mut params = basic_params("openid");
    let names: Vec<String> = (0..10).map(|i| format!("junk{i}")).collect();
    for n in &names {
        params.push((n.as_str(), junk.as_str()));
    }
    let r = b.authorize(&params).await;
    let loc = r.location().unwrap();
    let id = query_param(&loc, "interaction").unwrap();
    let raw = env.state.ephemeral.get(&format!("ia:{id}")).await.unwrap().unwrap();
    assert!(raw.len() < 2048, "{} bytes stored", raw.len());
    assert!(!raw.contains("junk"));
    let stored: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert!(stored["expires_at"].as_i64().unwrap() - env.clock.now() <= 5 * 60);
    b.get(&loc).await;
    let stored: serde_json::Value = serde_json::from_str(&env.state.ephemeral.get(&format!("ia:{id}")).await.unwrap().unwrap()).unwrap();
    assert_eq!(stored["expires_at"].as_i64().unwrap() - env.clock.now(), 30 * 60, "a shown page lives the full time");
    // A pending sign-in nobody looked at is gone after five minutes.
    let r = b.authorize(&basic_params("openid")).await;
    let unseen = r.location().unwrap();
    env.clock.advance(5 * 60 + 1);
    b.get(&unseen).await.assert_page(StatusCode::BAD_REQUEST);
});

backend_test!(async fn a_burst_of_authorization_requests_is_bounded(env) {
    let mut b = env.browser();
    let junk = "y".repeat(3000);
    let params = with_param(basic_params("openid"), "state", Some(&junk));
    let mut ids = Vec::new();
    let mut refused = 0;
    for _ in 0..620 {
        let r = b.authorize(&params).await;
        match r.status {
            StatusCode::SEE_OTHER => ids.push(query_param(&r.location().unwrap(), "interaction").unwrap()),
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            s => panic!("{s}: {}", r.body),
        }
    }
    assert_eq!(ids.len(), 600, "the allowance of one address");
    assert_eq!(refused, 20);
    let mut total = 0;
    for id in &ids {
        total += env.state.ephemeral.get(&format!("ia:{id}")).await.unwrap().unwrap().len();
    }
    assert!(total < 600 * 4096, "{total} bytes for 600 pending sign-ins");
    // Another address is not affected.
    let mut other = env.browser();
    other.peer = "203.0.113.9:1234".parse().unwrap();
    assert_eq!(other.authorize(&params).await.status, StatusCode::SEE_OTHER);
    // An oversized pending sign-in is refused, not stored.
    let huge = "z".repeat(4000);
    let mut big = basic_params("openid");
    big.push(("state", huge.as_str()));
    big.push(("login_hint", huge.as_str()));
    big.push(("nonce", huge.as_str()));
    big.push(("ui_locales", huge.as_str()));
    let r = other.authorize(&big).await;
    assert_ne!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
});

backend_test!(async fn guessing_a_password_locks_nobody_out(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new();
    let mut owner = env.browser();
    let codes = sign_up(&mut owner, &mut auth, "lou").await.json()["recovery_codes"].clone();
    let csrf = owner.get("/account").await.input("csrf").unwrap();
    owner.post("/account/password", &[("csrf", &csrf), ("password", "le mot de passe de lou")]).await;
    // Attackers at many addresses guess lou's password.
    for i in 0..40u8 {
        let mut a = env.browser();
        a.peer = std::net::SocketAddr::from(([203, 0, 113, i], 4000));
        let (_, page) = a.login_page(&basic_params("openid")).await;
        let r = a.submit_login(&page, "lou", "guess").await;
        assert!(matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS), "{}", r.status);
    }
    // The password is throttled for now…
    let mut b = env.browser();
    b.peer = "192.0.2.7:1".parse().unwrap();
    let (_, page) = b.login_page(&basic_params("openid")).await;
    assert_eq!(b.submit_login(&page, "lou", "le mot de passe de lou").await.status, StatusCode::TOO_MANY_REQUESTS);
    // …but the passkey signs in at once,
    let claims = passkey_at_service(&env, &mut auth, None).await.unwrap();
    assert_eq!(claims["acr"], "eidas2");
    // a recovery code has its own counter,
    let mut r = env.browser();
    r.peer = "192.0.2.7:1".parse().unwrap();
    let csrf = r.get("/recover").await.input("csrf").unwrap();
    let res = r.post("/recover", &[("csrf", &csrf), ("method", "code"), ("username", "lou"), ("code", codes[0].as_str().unwrap())]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // and the password works again after a bounded wait.
    env.clock.advance(trame_web_throttle_max_delay());
    let (_, page) = b.login_page(&basic_params("openid")).await;
    assert_eq!(b.submit_login(&page, "lou", "le mot de passe de lou").await.status, StatusCode::SEE_OTHER);
});

/// The longest wait between two attempts on one account (15 minutes).
fn trame_web_throttle_max_delay() -> i64 {
    15 * 60 + 1
}

backend_test!(async fn wrong_totp_codes_slow_down_and_are_reported(env) {
    // alice turns TOTP on.
    let mut b = env.browser();
    let r = b.get("/account").await;
    let page = b.get(&r.location().unwrap()).await;
    b.submit_login(&page, USERNAME, PASSWORD).await;
    let setup = b.get("/account/totp").await;
    let secret_b32 = setup.body.split("id=\"totp-secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let secret = crate::account::base32_decode(&secret_b32);
    let code = trame_core::totp::code_at(&secret, env.clock.now()).unwrap();
    b.post("/account/totp", &[("csrf", &setup.input("csrf").unwrap()), ("code", &code)]).await;
    // Someone with her password tries codes.
    let mut a = env.browser();
    a.peer = "203.0.113.50:1".parse().unwrap();
    let (_, page) = a.login_page(&basic_params("openid")).await;
    let r = a.submit_login(&page, USERNAME, PASSWORD).await;
    let otp = a.get(&r.location().unwrap()).await;
    let (ia, csrf) = (otp.input("interaction").unwrap(), otp.input("csrf").unwrap());
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(a.post("/login/otp", &[("interaction", &ia), ("csrf", &csrf), ("code", "000000")]).await.status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count(), 6, "five free failures, then a wait: {statuses:?}");
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    // The account page tells alice, once.
    env.clock.advance(60);
    let r = b.get("/account").await;
    let page = if r.status == StatusCode::SEE_OTHER {
        let login = b.get(&r.location().unwrap()).await;
        b.submit_login(&login, USERNAME, PASSWORD).await;
        b.get("/account").await
    } else {
        r
    };
    assert!(page.body.contains("6 codes"), "{}", page.body);
    assert!(!b.get("/account").await.body.contains("6 codes"), "said once");
});

backend_test!(async fn pages_with_secrets_are_never_cached(env) {
    let (mut b, csrf) = alice_on_account_page(&env).await;
    for path in ["/account", "/account/totp"] {
        let r = b.get(path).await;
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"), "{path}");
    }
    let r = b.post("/account/recovery-codes", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"), "recovery codes");
    let mut c = env.browser();
    let (_, page) = c.login_page(&basic_params("openid email")).await;
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"), "sign-in page");
    let r = c.submit_login(&page, USERNAME, PASSWORD).await;
    let consent = c.get(&r.location().unwrap()).await;
    assert!(consent.body.contains("decision"), "{}", consent.body);
    assert_eq!(consent.header("cache-control").as_deref(), Some("no-store"), "consent page");
    // Plain http (development): no HSTS, which would lock localhost to https.
    assert!(env.get("/jwks").await.header("strict-transport-security").is_none());
});

backend_test_raw!(async fn https_issuers_send_hsts(backend) {
    let env = Env::with(backend, "https://login.ville.fr", "login.ville.fr", vec![]).await;
    let mut b = Browser::new(env.app.clone(), "login.ville.fr");
    for path in ["/jwks", "/.well-known/openid-configuration", "/recover"] {
        let r = b.get(path).await;
        assert_eq!(r.header("strict-transport-security").as_deref(), Some("max-age=31536000"), "{path}");
    }
});

backend_test!(async fn a_password_change_signs_out_everywhere_else(env) {
    // alice at a service on one device, with a refresh token.
    let tokens = env.tokens_basic("openid offline_access").await;
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    // And on her account page on another.
    let (mut b, csrf) = alice_on_account_page(&env).await;
    let r = b.post("/account/password", &[("csrf", &csrf), ("password", "un tout nouveau mot de passe")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
    assert_eq!(env.userinfo(&access).await.status, StatusCode::UNAUTHORIZED);
    // This session goes on.
    assert_eq!(b.get("/account").await.status, StatusCode::OK);
});

backend_test!(async fn a_recovery_signs_out_whoever_held_the_account(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new();
    let mut thief = env.browser();
    let codes = sign_up(&mut thief, &mut auth, "noa").await.json()["recovery_codes"].clone();
    assert_eq!(thief.get("/account").await.status, StatusCode::OK);
    let mut owner = env.browser();
    let csrf = owner.get("/recover").await.input("csrf").unwrap();
    let r = owner.post("/recover", &[("csrf", &csrf), ("method", "code"), ("username", "noa"), ("code", codes[0].as_str().unwrap())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(thief.get("/account").await.status, StatusCode::SEE_OTHER, "the other session ended");
    assert_eq!(owner.get("/account").await.status, StatusCode::OK);
});

backend_test!(async fn an_http_issuer_is_no_federation_entity(env) {
    let r = env.get("/.well-known/openid-federation").await;
    r.assert_oauth(StatusCode::NOT_FOUND, "not_found");
});

backend_test!(async fn sign_up_does_not_list_the_accounts(env) {
    open_signup(&env).await;
    let mut b = env.browser();
    let csrf = signup_csrf(&mut b).await;
    let mut taken = 0;
    let mut last = StatusCode::OK;
    for i in 0..25 {
        let name = if i % 2 == 0 { USERNAME.to_owned() } else { format!("free{i}") };
        let r = b.post_json("/signup/options", &json!({ "csrf": csrf, "username": name })).await;
        if r.status == StatusCode::BAD_REQUEST {
            taken += 1;
        }
        last = r.status;
    }
    assert_eq!(taken, 10, "the first twenty checks answer, then none");
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
});

backend_test!(async fn unknown_usernames_get_passkey_options_like_real_ones(env) {
    let mut b = env.browser();
    let (ia, csrf) = login_fields(&mut b, &basic_params("openid")).await;
    let ids = |r: &Resp| -> Vec<(usize, Vec<String>)> {
        r.json()["publicKey"]["allowCredentials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let id = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, c["id"].as_str().unwrap()).unwrap();
                let t = c["transports"].as_array().map(|t| t.iter().map(|v| v.as_str().unwrap().to_owned()).collect()).unwrap_or_default();
                (id.len(), t)
            })
            .collect()
    };
    let mut lengths = std::collections::BTreeSet::new();
    for name in ["nobody", "personne", "jean-claude", "x", "marie.curie", "anon1", "anon2", "anon3", "anon4", "anon5", "anon6", "anon7"] {
        let first = b.post_json("/passkey/options", &json!({ "interaction": ia, "csrf": csrf, "username": name })).await;
        let again = b.post_json("/passkey/options", &json!({ "interaction": ia, "csrf": csrf, "username": name })).await;
        assert_eq!(ids(&first), ids(&again), "stable for {name}");
        for (len, transports) in ids(&first) {
            assert!([16, 20, 32, 64].contains(&len), "{len}");
            assert!(!transports.is_empty());
            lengths.insert(len);
        }
    }
    assert!(lengths.len() > 1, "not one telltale length: {lengths:?}");
});

backend_test!(async fn usernames_cannot_pass_for_others(env) {
    open_signup(&env).await;
    let mut b = env.browser();
    let csrf = signup_csrf(&mut b).await;
    let options = |name: &str| json!({ "csrf": csrf, "username": name });
    for lookalike in ["a1ice", "aIice", "\u{430}lice", "ａｌｉｃｅ", "ALICE"] {
        b.post_json("/signup/options", &options(lookalike)).await.assert_oauth(StatusCode::BAD_REQUEST, "username_taken");
    }
    b.post_json("/signup/options", &options("ali\u{200b}ce2")).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_username");
    // A name shaped like a peer provider's citizen (name@host) is refused…
    b.post_json("/signup/options", &options("camille@ville-b.fr")).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_username");
    // …unless the tenant's usernames are addresses.
    set_settings(&env, |s| s.usernames = trame_core::tenant::Usernames::Addresses).await;
    let r = b.post_json("/signup/options", &options("camille@ville-b.fr")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Sign-in takes any Unicode form of the name.
    let mut c = env.browser();
    let (_, page) = c.login_page(&basic_params("openid")).await;
    let r = c.submit_login(&page, "ａｌｉｃｅ", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
});
