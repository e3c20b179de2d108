//! From the level page, adding a way that reaches the level and going on
//! to the service: a passkey or TOTP is added from a session at the level
//! the sign-in reached, counts at that level until the link mailed to the
//! verified address raises it, and the link, opened in the same browser,
//! leads back to the sign-in, where the new credential reaches the level.

use axum::http::StatusCode;
use serde_json::json;
use trame_core::tenant::CredentialUpgrade;
use trame_testkit::authenticator::SoftAuthenticator;

use crate::account::{base32_decode, mailed_links};
use crate::common::*;
use crate::hardening::with_outbox;
use crate::passkeys::*;

const ADDRESS: &str = "alice@example.fr";

/// An application that mails into `outbox`, alice with a verified address.
async fn mailing(env: &Env, outbox: &std::path::Path) -> axum::Router {
    env.state.store.set_email(&env.tenant.id, &env.user_id, Some(ADDRESS), true, env.clock.now()).await.unwrap();
    with_outbox(env, outbox).await
}

/// A password sign-in at a service asking for eidas2: the level page.
async fn below_level(b: &mut Browser) -> Resp {
    let params = with_param(basic_params("openid"), "acr_values", Some("eidas2"));
    let (_, login) = b.login_page(&params).await;
    let page = b.submit_login(&login, USERNAME, PASSWORD).await;
    page.assert_page(StatusCode::FORBIDDEN);
    page
}

fn enrol_form(page: &Resp, method: &str) -> Vec<(String, String)> {
    vec![("interaction".into(), page.input("interaction").unwrap()), ("csrf".into(), page.input("csrf").unwrap()), ("method".into(), method.into())]
}

async fn post_owned(b: &mut Browser, path: &str, form: &[(String, String)]) -> Resp {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post(path, &pairs).await
}

/// The value of a `data-<name>` attribute of the page.
fn data_attr(r: &Resp, name: &str) -> String {
    let key = format!("data-{name}=\"");
    let html = unescape(&r.body);
    html.split(&key).nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default().to_owned()
}

/// Confirms the upgrade link mailed last, in `b`; returns where it leads.
async fn confirm_mailed_link(b: &mut Browser, outbox: &std::path::Path) -> String {
    let link = mailed_links(outbox, "/account/upgrade?token=").pop().expect("an upgrade mail");
    let confirm = b.get(&link).await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    let r = b.post("/account/upgrade", &[("csrf", &confirm.input("csrf").unwrap()), ("token", &confirm.input("token").unwrap())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().unwrap()
}

backend_test!(async fn a_passkey_added_from_the_level_page_leads_on_to_the_service(env) {
    let outbox = trame_testkit::TempDir::new("outbox");
    let app = mailing(&env, &outbox.path).await;
    let mut b = Browser::new(app.clone(), HOST);
    let page = below_level(&mut b).await;
    let html = unescape(&page.body);
    assert!(html.contains("action=\"/login/enrol\"") && html.contains("value=\"passkey\"") && html.contains("value=\"totp\""), "{html}");
    assert!(html.contains("Ajouter une clé d’accès") && html.contains("confirmée"), "the page says a mail confirms it: {html}");
    let ia = page.input("interaction").unwrap();
    assert_eq!(b.get("/account").await.status, StatusCode::SEE_OTHER, "nobody is signed in yet");

    // Forged, foreign or unknown requests start nothing.
    let mut forged = enrol_form(&page, "passkey");
    forged[1].1 = "forged".into();
    post_owned(&mut b, "/login/enrol", &forged).await.assert_page(StatusCode::FORBIDDEN);
    post_owned(&mut Browser::new(app.clone(), HOST), "/login/enrol", &enrol_form(&page, "passkey")).await.assert_page(StatusCode::FORBIDDEN);
    post_owned(&mut b, "/login/enrol", &enrol_form(&page, "password")).await.assert_page(StatusCode::BAD_REQUEST);
    assert_eq!(b.get("/account").await.status, StatusCode::SEE_OTHER);

    // The choice starts a session at the level the password reached.
    let r = post_owned(&mut b, "/login/enrol", &enrol_form(&page, "passkey")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location().unwrap(), format!("{ISSUER}/login/enrol?interaction={ia}"));
    let enrol = b.get(&r.location().unwrap()).await;
    assert_eq!(enrol.status, StatusCode::OK, "{}", enrol.body);
    assert_eq!(data_attr(&enrol, "interaction"), ia);
    assert!(unescape(&enrol.body).contains("continuer vers «\u{a0}Service rp-basic\u{a0}»"), "{}", enrol.body);
    // Another browser has no such page: sent to a sign-in that is not its own.
    let mut other = Browser::new(app.clone(), HOST);
    let elsewhere = other.get(&format!("/login/enrol?interaction={ia}")).await;
    assert_eq!(elsewhere.location().unwrap(), format!("{ISSUER}/login?interaction={ia}"));
    other.get(&elsewhere.location().unwrap()).await.assert_page(StatusCode::FORBIDDEN);

    let csrf = data_attr(&enrol, "csrf");
    let mut auth = SoftAuthenticator::new();
    let options = b.post_json("/account/passkeys/options", &json!({ "csrf": csrf })).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.body);
    let credential = auth.register(&options.json(), ORIGIN).await.unwrap();
    let done = b.post_json("/account/passkeys/finish", &json!({ "csrf": csrf, "credential": credential, "interaction": ia })).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let sent = done.json()["location"].as_str().unwrap().to_owned();
    assert_eq!(sent, format!("{ISSUER}/login/enrol/sent?interaction={ia}"));
    let sent_page = b.get(&sent).await;
    assert_eq!(sent_page.status, StatusCode::OK, "{}", sent_page.body);
    assert!(unescape(&sent_page.body).contains("Confirmez depuis votre messagerie"), "{}", sent_page.body);
    let keys = env.state.store.passkeys_of(&env.tenant.id, &env.user_id).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].max_acr.as_deref(), Some("eidas1"), "capped at the session that added it");

    // Until the link is used, the new passkey is still below the level.
    let login = b.get(&format!("/login?interaction={ia}")).await;
    let csrf_ia = login.input("csrf").unwrap();
    passkey_sign_in(&mut b, &mut auth, &ia, &csrf_ia, None).await.assert_oauth(StatusCode::FORBIDDEN, "below_required_level");

    // The mailed link, confirmed in this browser, leads back to the sign-in.
    let next = confirm_mailed_link(&mut b, &outbox.path).await;
    assert_eq!(next, format!("{ISSUER}/login?interaction={ia}&notice=credential-confirmed"));
    let login = b.get(&next).await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    assert!(unescape(&login.body).contains("C’est confirmé"), "{}", login.body);
    let done = passkey_sign_in(&mut b, &mut auth, &ia, &login.input("csrf").unwrap(), None).await;
    let claims = finish_to_tokens(&env, &mut b, &done).await;
    assert_eq!(claims["acr"], "eidas2", "{claims}");
});

backend_test!(async fn totp_set_up_from_the_level_page_leads_on_to_the_service(env) {
    let outbox = trame_testkit::TempDir::new("outbox");
    let app = mailing(&env, &outbox.path).await;
    let mut b = Browser::new(app.clone(), HOST);
    let page = below_level(&mut b).await;
    let ia = page.input("interaction").unwrap();
    let r = post_owned(&mut b, "/login/enrol", &enrol_form(&page, "totp")).await;
    assert_eq!(r.location().unwrap(), format!("{ISSUER}/account/totp?interaction={ia}"));
    let setup = b.get(&r.location().unwrap()).await;
    assert_eq!(setup.status, StatusCode::OK, "{}", setup.body);
    assert_eq!(setup.input("interaction").as_deref(), Some(ia.as_str()), "carried through the form");
    let secret_b32 = setup.body.split("id=\"totp-secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let secret = base32_decode(&secret_b32);
    let csrf = setup.input("csrf").unwrap();
    // A wrong code keeps the pending sign-in on the page.
    let wrong = b.post("/account/totp", &[("csrf", &csrf), ("code", "000000"), ("interaction", &ia)]).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.input("interaction").as_deref(), Some(ia.as_str()));
    let code = trame_core::totp::code_at(&secret, env.clock.now()).unwrap();
    let r = b.post("/account/totp", &[("csrf", &csrf), ("code", &code), ("interaction", &ia)]).await;
    assert_eq!(r.location().unwrap(), format!("{ISSUER}/login/enrol/sent?interaction={ia}"));
    let factor = env.state.store.second_factor_of(&env.tenant.id, &env.user_id).await.unwrap();
    assert_eq!(factor.totp_max_acr.as_deref(), Some("eidas1"));

    let next = confirm_mailed_link(&mut b, &outbox.path).await;
    assert_eq!(next, format!("{ISSUER}/login?interaction={ia}&notice=credential-confirmed"));
    // Password, then a code of the next period: eidas2, on to the service.
    env.clock.advance(30);
    let login = b.get(&next).await;
    let r = b.submit_login(&login, USERNAME, PASSWORD).await;
    let otp = b.get(&r.location().unwrap()).await;
    let code = trame_core::totp::code_at(&secret, env.clock.now()).unwrap();
    let r = b.post("/login/otp", &[("interaction", &ia), ("csrf", &otp.input("csrf").unwrap()), ("code", &code)]).await;
    let redirect = b.follow(r, "", "").await;
    let c = query_param(&redirect, "code").expect("a code");
    let t = env.token_basic(&[("grant_type", "authorization_code"), ("code", &c), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
    assert_eq!(jwt_claims(t.json()["id_token"].as_str().unwrap())["acr"], "eidas2");
});

backend_test!(async fn nothing_is_offered_that_a_mail_could_not_raise(env) {
    // No mailer: the page lists the ways, offers none, and refuses a post.
    let mut b = env.browser();
    let page = below_level(&mut b).await;
    assert!(!page.body.contains("/login/enrol"), "{}", page.body);
    post_owned(&mut b, "/login/enrol", &enrol_form(&page, "passkey")).await.assert_page(StatusCode::BAD_REQUEST);
    assert_eq!(b.get("/account").await.status, StatusCode::SEE_OTHER, "no session was started");

    // Mail, but no verified address.
    let outbox = trame_testkit::TempDir::new("outbox");
    let app = with_outbox(&env, &outbox.path).await;
    let mut b = Browser::new(app.clone(), HOST);
    let page = below_level(&mut b).await;
    assert!(!page.body.contains("/login/enrol"), "{}", page.body);

    // A verified address, but a tenant that never raises credentials.
    env.state.store.set_email(&env.tenant.id, &env.user_id, Some(ADDRESS), true, env.clock.now()).await.unwrap();
    set_settings(&env, |s| s.credential_upgrade = CredentialUpgrade::Never).await;
    let app = with_outbox(&env, &outbox.path).await;
    let mut b = Browser::new(app, HOST);
    let page = below_level(&mut b).await;
    assert!(!page.body.contains("/login/enrol"), "{}", page.body);
    post_owned(&mut b, "/login/enrol", &enrol_form(&page, "totp")).await.assert_page(StatusCode::BAD_REQUEST);
});

backend_test!(async fn a_sign_in_below_the_level_adds_nothing_once_it_is_old(env) {
    let outbox = trame_testkit::TempDir::new("outbox");
    let app = mailing(&env, &outbox.path).await;
    let mut b = Browser::new(app, HOST);
    let page = below_level(&mut b).await;
    assert!(page.body.contains("/login/enrol"), "{}", page.body);
    // Past the window of account changes: sign in again first.
    env.clock.advance(16 * 60);
    post_owned(&mut b, "/login/enrol", &enrol_form(&page, "passkey")).await.assert_page(StatusCode::BAD_REQUEST);
    assert_eq!(b.get("/account").await.status, StatusCode::SEE_OTHER, "no session was started");
    let again = b.get(&format!("/login/level?interaction={}", page.input("interaction").unwrap())).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(!again.body.contains("/login/enrol"), "{}", again.body);
});

backend_test!(async fn a_passkey_below_the_level_gets_the_level_page(env) {
    let outbox = trame_testkit::TempDir::new("outbox");
    let app = mailing(&env, &outbox.path).await;
    // A passkey added by a password session: one factor until raised.
    let mut setup = Browser::new(app.clone(), HOST);
    let r = setup.get("/account").await;
    let page = setup.get(&r.location().unwrap()).await;
    setup.submit_login(&page, USERNAME, PASSWORD).await;
    let csrf = setup.get("/account").await.input("csrf").unwrap();
    let mut auth = SoftAuthenticator::new();
    let options = setup.post_json("/account/passkeys/options", &json!({ "csrf": csrf })).await;
    let credential = auth.register(&options.json(), ORIGIN).await.unwrap();
    setup.post_json("/account/passkeys/finish", &json!({ "csrf": csrf, "credential": credential })).await;

    let mut b = Browser::new(app.clone(), HOST);
    let params = with_param(basic_params("openid"), "acr_values", Some("eidas2"));
    let (_, login) = b.login_page(&params).await;
    let (ia, csrf) = (login.input("interaction").unwrap(), login.input("csrf").unwrap());
    assert!(unescape(&login.body).contains(&format!("data-level=\"/login/level?interaction={ia}\"")), "{}", login.body);
    passkey_sign_in(&mut b, &mut auth, &ia, &csrf, None).await.assert_oauth(StatusCode::FORBIDDEN, "below_required_level");
    // Where the page's script goes then: the level page, with the ways to
    // add (the passkey's sign-in counts as the account's).
    let level = b.get(&format!("/login/level?interaction={ia}")).await;
    assert_eq!(level.status, StatusCode::OK, "{}", level.body);
    let html = unescape(&level.body);
    assert!(html.contains("Connexion plus sûre demandée") && html.contains("action=\"/login/enrol\""), "{html}");
    // Another browser cannot see it; a sign-in that asks for no level has
    // no level page.
    assert_eq!(Browser::new(app.clone(), HOST).get(&format!("/login/level?interaction={ia}")).await.status, StatusCode::FORBIDDEN);
    let (_, plain) = b.login_page(&basic_params("openid")).await;
    let plain_ia = plain.input("interaction").unwrap();
    let r = b.get(&format!("/login/level?interaction={plain_ia}")).await;
    assert_eq!(r.location().unwrap(), format!("{ISSUER}/login?interaction={plain_ia}"));
});

/// The recovery link mailed last (sent after the page's answer).
async fn recovery_link(outbox: &std::path::Path) -> String {
    for _ in 0..100 {
        if let Some(link) = mailed_links(outbox, "/recover/email?token=").pop() {
            return link;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no recovery mail");
}

backend_test!(async fn a_recovery_link_asked_from_a_sign_in_continues_it_in_that_browser(env) {
    let outbox = trame_testkit::TempDir::new("outbox");
    let app = mailing(&env, &outbox.path).await;
    let mut b = Browser::new(app.clone(), HOST);
    let (_, login) = b.login_page(&basic_params("openid")).await;
    let ia = login.input("interaction").unwrap();
    let recover = b.get(&format!("/recover?interaction={ia}")).await;
    let csrf = recover.input("csrf").unwrap();
    assert_eq!(unescape(&recover.body).matches(&format!("name=\"interaction\" value=\"{ia}\"")).count(), 2, "both forms carry it: {}", recover.body);
    let r = b.post("/recover", &[("csrf", &csrf), ("method", "email"), ("email", ADDRESS), ("interaction", &ia)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let link = recovery_link(&outbox.path).await;
    // In the browser of the sign-in, it continues to the service.
    let page = b.get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let r = b.post("/recover/email", &[("csrf", &page.input("csrf").unwrap()), ("token", &page.input("token").unwrap())]).await;
    assert_eq!(r.location().unwrap(), format!("{ISSUER}/login/continue?interaction={ia}"), "{}", r.body);
    let redirect = b.follow(r, "", "").await;
    assert!(query_param(&redirect, "code").is_some(), "{redirect}");
});

backend_test!(async fn a_recovery_link_opened_in_another_browser_opens_the_account_page(env) {
    let outbox = trame_testkit::TempDir::new("outbox");
    let app = mailing(&env, &outbox.path).await;
    let mut b = Browser::new(app.clone(), HOST);
    let (_, login) = b.login_page(&basic_params("openid")).await;
    let ia = login.input("interaction").unwrap();
    let csrf = b.get(&format!("/recover?interaction={ia}")).await.input("csrf").unwrap();
    b.post("/recover", &[("csrf", &csrf), ("method", "email"), ("email", ADDRESS), ("interaction", &ia)]).await;
    let mut other = Browser::new(app.clone(), HOST);
    let page = other.get(&recovery_link(&outbox.path).await).await;
    let r = other.post("/recover/email", &[("csrf", &page.input("csrf").unwrap()), ("token", &page.input("token").unwrap())]).await;
    assert_eq!(r.location().unwrap(), format!("{ISSUER}/account?notice=recovered"));
});
