//! The account page and what hangs off it: managing passkeys, password,
//! TOTP, sessions; recovery by code and by e-mail; e-mail verification.

use axum::http::StatusCode;
use serde_json::json;
use trame_app::mail::{MailConfig, Mailer};
use trame_testkit::authenticator::SoftAuthenticator;

use crate::common::*;
use crate::passkeys::*;

/// A passkey account signed in on a fresh browser: (browser, authenticator, recovery codes).
async fn passkey_account(env: &Env, username: &str) -> (Browser, SoftAuthenticator, Vec<String>) {
    open_signup(env).await;
    let mut auth = SoftAuthenticator::new();
    let mut b = env.browser();
    let done = sign_up(&mut b, &mut auth, username).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let codes = done.json()["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    (b, auth, codes)
}

/// The account page, asserted to be there, and its CSRF token.
async fn account(b: &mut Browser) -> (Resp, String) {
    let page = b.get("/account").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page.input("csrf").unwrap();
    (page, csrf)
}

fn notice(r: &Resp) -> String {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    query_param(&r.location().unwrap(), "notice").unwrap_or_default()
}

/// The ids of the passkeys listed on the page, in order.
fn passkey_ids(page: &Resp) -> Vec<String> {
    page.body.split("name=\"id\" value=\"").skip(1).map(|s| s.split('"').next().unwrap().to_owned()).step_by(2).collect()
}

backend_test!(async fn the_account_page_needs_a_sign_in_and_comes_back(env) {
    let mut b = env.browser();
    let r = b.get("/account").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let login = r.location().unwrap();
    assert!(login.contains("/login?interaction="), "{login}");
    let page = b.get(&login).await;
    let r = b.submit_login(&page, USERNAME, PASSWORD).await;
    assert_eq!(r.location().as_deref(), Some(format!("{ISSUER}/account").as_str()));
    let (page, _) = account(&mut b).await;
    assert!(page.body.contains(USERNAME));
    // Forms without the page's token, or without a session, are refused.
    b.post("/account/password", &[("csrf", "forged"), ("password", "a long enough password")]).await.assert_page(StatusCode::FORBIDDEN);
    let mut stranger = env.browser();
    let csrf = stranger.get("/recover").await.input("csrf").unwrap();
    stranger.post("/account/password", &[("csrf", &csrf), ("password", "a long enough password")]).await.assert_page(StatusCode::UNAUTHORIZED);
});

backend_test!(async fn passkeys_are_added_renamed_and_removed(env) {
    let (mut b, _auth, _) = passkey_account(&env, "camille").await;
    let (_, csrf) = account(&mut b).await;
    // A second passkey from another authenticator.
    let mut other = SoftAuthenticator::new();
    let options = b.post_json("/account/passkeys/options", &json!({ "csrf": csrf })).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.body);
    assert_eq!(options.json()["publicKey"]["excludeCredentials"].as_array().unwrap().len(), 1, "the first passkey is excluded");
    let credential = other.register(&options.json(), ORIGIN).await.unwrap();
    let done = b.post_json("/account/passkeys/finish", &json!({ "csrf": csrf, "credential": credential })).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let (page, csrf) = account(&mut b).await;
    let ids = passkey_ids(&page);
    assert_eq!(ids.len(), 2, "{}", page.body);

    assert_eq!(notice(&b.post("/account/passkeys/rename", &[("csrf", &csrf), ("id", &ids[1]), ("name", "Tablette")]).await), "passkey-renamed");
    assert!(account(&mut b).await.0.body.contains("Tablette"));
    b.post("/account/passkeys/rename", &[("csrf", &csrf), ("id", &ids[1]), ("name", "")]).await.assert_page(StatusCode::BAD_REQUEST);
    b.post("/account/passkeys/rename", &[("csrf", &csrf), ("id", "not-mine"), ("name", "x")]).await.assert_page(StatusCode::NOT_FOUND);

    assert_eq!(notice(&b.post("/account/passkeys/remove", &[("csrf", &csrf), ("id", &ids[1])]).await), "passkey-removed");
    // The last way to sign in goes only with a confirmation.
    assert_eq!(notice(&b.post("/account/passkeys/remove", &[("csrf", &csrf), ("id", &ids[0])]).await), "passkey-last-confirm");
    assert_eq!(passkey_ids(&account(&mut b).await.0).len(), 1);
    assert_eq!(notice(&b.post("/account/passkeys/remove", &[("csrf", &csrf), ("id", &ids[0]), ("confirm_last", "yes")]).await), "passkey-removed");
    assert!(passkey_ids(&account(&mut b).await.0).is_empty());
});

backend_test!(async fn a_password_can_be_set_used_and_removed(env) {
    let (mut b, _auth, _) = passkey_account(&env, "dominique").await;
    let (_, csrf) = account(&mut b).await;
    assert_eq!(notice(&b.post("/account/password", &[("csrf", &csrf), ("password", "short")]).await), "password-too-short");
    assert_eq!(notice(&b.post("/account/password", &[("csrf", &csrf), ("password", "une phrase assez longue")]).await), "password-set");
    // The new password signs in.
    let mut b2 = env.browser();
    let redirect = b2.sign_in(&basic_params("openid"), "dominique", "une phrase assez longue").await;
    assert!(query_param(&redirect, "code").is_some(), "{redirect}");
    assert_eq!(notice(&b.post("/account/password", &[("csrf", &csrf), ("action", "remove")]).await), "password-removed");
    let mut b3 = env.browser();
    let (_, page) = b3.login_page(&basic_params("openid")).await;
    assert_eq!(b3.submit_login(&page, "dominique", "une phrase assez longue").await.status, StatusCode::UNAUTHORIZED);
});

backend_test!(async fn totp_protects_a_password_sign_in(env) {
    // alice (password) turns TOTP on from her account page.
    let mut b = env.browser();
    let r = b.get("/account").await;
    let page = b.get(&r.location().unwrap()).await;
    b.submit_login(&page, USERNAME, PASSWORD).await;
    let setup = b.get("/account/totp").await;
    assert_eq!(setup.status, StatusCode::OK, "{}", setup.body);
    assert!(setup.body.contains("<svg"), "a QR code");
    let secret_b32 = setup.body.split("id=\"totp-secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let secret = base32_decode(&secret_b32);
    let csrf = setup.input("csrf").unwrap();
    let now = env.clock.now();
    let wrong = b.post("/account/totp", &[("csrf", &csrf), ("code", "000000")]).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.body);
    let code = trame_core::totp::code_at(&secret, now).unwrap();
    assert_eq!(notice(&b.post("/account/totp", &[("csrf", &csrf), ("code", &code)]).await), "totp-enabled");

    // Sign-in now asks for a code after the password.
    env.clock.advance(30);
    let mut b2 = env.browser();
    let (_, page) = b2.login_page(&basic_params("openid")).await;
    let r = b2.submit_login(&page, USERNAME, PASSWORD).await;
    let otp_url = r.location().unwrap();
    assert!(otp_url.contains("/login/otp?interaction="), "{otp_url}");
    let otp = b2.get(&otp_url).await;
    let (ia, csrf) = (otp.input("interaction").unwrap(), otp.input("csrf").unwrap());
    let bad = b2.post("/login/otp", &[("interaction", &ia), ("csrf", &csrf), ("code", "123")]).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(b2.cookie("trame_session").is_none());
    let code = trame_core::totp::code_at(&secret, env.clock.now()).unwrap();
    let r = b2.post("/login/otp", &[("interaction", &ia), ("csrf", &csrf), ("code", &code)]).await;
    let redirect = b2.follow(r, "", "").await;
    let c = query_param(&redirect, "code").unwrap();
    let t = env.token_basic(&[("grant_type", "authorization_code"), ("code", &c), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
    let claims = jwt_claims(t.json()["id_token"].as_str().unwrap());
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa"]));
    // Bound from a password-only session: TOTP counts for no more than that
    // session did (hardening.rs has the way to raise it).
    assert_eq!(claims["acr"], "eidas1");

    // The same code cannot be used twice.
    let mut b3 = env.browser();
    let (_, page) = b3.login_page(&basic_params("openid")).await;
    let r = b3.submit_login(&page, USERNAME, PASSWORD).await;
    let otp = b3.get(&r.location().unwrap()).await;
    let r = b3.post("/login/otp", &[("interaction", &otp.input("interaction").unwrap()), ("csrf", &otp.input("csrf").unwrap()), ("code", &code)]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "replayed code");
});

pub fn base32_decode(s: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = alphabet.iter().position(|a| *a == c).unwrap() as u64;
        bits = (bits << 5) | v;
        n += 5;
        if n >= 8 {
            out.push((bits >> (n - 8)) as u8);
            n -= 8;
        }
    }
    out
}

backend_test!(async fn a_recovery_code_opens_the_account_once(env) {
    let (_, _, codes) = passkey_account(&env, "eli").await;
    let mut b = env.browser();
    let page = b.get("/recover").await;
    let csrf = page.input("csrf").unwrap();
    let wrong = b.post("/recover", &[("csrf", &csrf), ("method", "code"), ("username", "eli"), ("code", "aaaa-bbbb-cccc-dddd")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let unknown = b.post("/recover", &[("csrf", &csrf), ("method", "code"), ("username", "nobody"), ("code", &codes[0])]).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.body.len(), wrong.body.len(), "unknown user and wrong code read the same");
    // Typed loosely: upper case, spaces.
    let typed = codes[0].to_uppercase().replace('-', " ");
    let r = b.post("/recover", &[("csrf", &csrf), ("method", "code"), ("username", "eli"), ("code", &typed)]).await;
    assert_eq!(notice(&r), "recovered");
    let (page, _) = account(&mut b).await;
    assert!(page.body.contains("eli"));
    let mut b2 = env.browser();
    let csrf = b2.get("/recover").await.input("csrf").unwrap();
    let again = b2.post("/recover", &[("csrf", &csrf), ("method", "code"), ("username", "eli"), ("code", &codes[0])]).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "single use");
    b2.post("/recover", &[("csrf", "forged"), ("method", "code"), ("username", "eli"), ("code", &codes[1])]).await.assert_page(StatusCode::FORBIDDEN);
});

/// A mail of an outbox as its reader sees it: its subject, then its text
/// bodies, decoded whatever the transfer encoding (quoted-printable for
/// Latin text, base64 for Arabic, say).
fn read_mail(f: &std::path::Path) -> String {
    let raw = std::fs::read(f).unwrap();
    let message = mail_parser::MessageParser::new().parse(&raw).unwrap_or_else(|| panic!("{}: not a message", f.display()));
    let mut text = format!("Subject: {}\n", message.subject().unwrap_or_default());
    for body in (0..).map_while(|i| message.body_text(i)) {
        text.push_str(&body);
        text.push('\n');
    }
    text
}

/// The mails of an outbox directory, oldest first, decoded.
pub fn mail_texts(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files.iter().map(|f| read_mail(f)).collect()
}

/// The links in the mails of an outbox directory, oldest first.
pub fn mailed_links(dir: &std::path::Path, path: &str) -> Vec<String> {
    let prefix = format!("{ISSUER}{path}");
    let mut links: Vec<String> =
        mail_texts(dir).iter().flat_map(|m| m.lines().filter_map(|line| line.find(&prefix).map(|i| line[i..].trim().to_owned())).collect::<Vec<_>>()).collect();
    links.dedup();
    links
}

backend_test!(async fn e_mail_verification_and_recovery_by_link(env) {
    let outbox = trame_testkit::TempDir::new("outbox");
    let mailer = Mailer::from_config(&MailConfig { smtp_url: None, from: "noreply@localhost".into(), outbox_dir: Some(outbox.path.clone()) }).unwrap();
    let state = env.state.clone().with_mailer(mailer);
    let app = trame_web::app(state);
    open_signup(&env).await;
    let mut b = Browser::new(app.clone(), HOST);
    let csrf = b.get("/signup").await.input("csrf").unwrap();
    let mut auth = SoftAuthenticator::new();
    let options = b.post_json("/signup/options", &json!({ "csrf": csrf, "username": "fanny", "email": "fanny@example.fr" })).await;
    let credential = auth.register(&options.json(), ORIGIN).await.unwrap();
    assert_eq!(b.post_json("/signup/finish", &json!({ "csrf": csrf, "credential": credential })).await.status, StatusCode::OK);
    let links = mailed_links(&outbox.path, "/verify-email?token=");
    assert_eq!(links.len(), 1, "one verification mail");
    let user = || async { env.state.store.user_for_sign_in(&env.tenant.id, "fanny").await.unwrap().unwrap().profile };
    assert!(!user().await.email_verified);
    // The link opens a confirmation in the account's own session.
    let r = b.get(&links[0]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!user().await.email_verified, "opening the link changes nothing");
    let confirmed = b.post("/verify-email", &[("csrf", &r.input("csrf").unwrap()), ("token", &r.input("token").unwrap())]).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert!(user().await.email_verified);
    b.get(&links[0]).await.assert_page(StatusCode::BAD_REQUEST);

    // Recovery by e-mail: the same answer for an unknown address, and no mail.
    let mut b2 = Browser::new(app.clone(), HOST);
    // This person reads German: the mail they ask for is in German.
    assert_eq!(b2.get("/language?set=de&back=/recover").await.status, StatusCode::SEE_OTHER);
    let csrf = b2.get("/recover").await.input("csrf").unwrap();
    let unknown = b2.post("/recover", &[("csrf", &csrf), ("method", "email"), ("email", "nobody@example.fr")]).await;
    let known = b2.post("/recover", &[("csrf", &csrf), ("method", "email"), ("email", "fanny@example.fr")]).await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(unknown.body, known.body, "no account enumeration");
    // The mail leaves after the answer: wait for it.
    let mut links = Vec::new();
    for _ in 0..50 {
        links = mailed_links(&outbox.path, "/recover/email?token=");
        if !links.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let links = if links.len() == 1 { mailed_links(&outbox.path, "/recover/email?token=") } else { links };
    assert_eq!(links.len(), 1, "one recovery mail, for the known address");
    // Mails speak the language of the page they were asked from: French
    // for the sign-up (no preference), German for the recovery.
    let mails = mail_texts(&outbox.path);
    let verification = mails.iter().find(|m| m.contains("/verify-email?token=")).unwrap();
    assert!(verification.contains("Bonjour") && !verification.contains("Hello") && !verification.contains("Guten"), "{verification}");
    let recovery = mails.iter().find(|m| m.contains("/recover/email?token=")).unwrap();
    assert!(recovery.contains("Guten Tag") && recovery.contains("Kontowiederherstellung") && !recovery.contains("Bonjour"), "{recovery}");
    // Opening the link does not use it (mail scanners follow links).
    let page = b2.get(&links[0]).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = b2.get(&links[0]).await;
    let r = b2.post("/recover/email", &[("csrf", &page.input("csrf").unwrap()), ("token", &page.input("token").unwrap())]).await;
    assert_eq!(notice(&r), "recovered");
    let r = b2.post("/recover/email", &[("csrf", &page.input("csrf").unwrap()), ("token", &page.input("token").unwrap())]).await;
    r.assert_page(StatusCode::BAD_REQUEST);
});

backend_test!(async fn sessions_are_listed_and_ended_from_another_device(env) {
    let mut here = env.browser();
    let mut there = env.browser();
    for b in [&mut here, &mut there] {
        let r = b.get("/account").await;
        let page = b.get(&r.location().unwrap()).await;
        b.submit_login(&page, USERNAME, PASSWORD).await;
    }
    let (page, csrf) = account(&mut here).await;
    let sids: Vec<String> = page.body.split("name=\"sid\" value=\"").skip(1).map(|s| s.split('"').next().unwrap().to_owned()).collect();
    assert_eq!(sids.len(), 2, "{}", page.body);
    let current = page.body.split("<li>").filter(|li| li.contains("name=\"sid\"")).find(|li| li.contains("<strong>")).unwrap();
    let other = sids.iter().find(|s| !current.contains(s.as_str())).unwrap();
    assert_eq!(notice(&here.post("/account/sessions/end", &[("csrf", &csrf), ("sid", other)]).await), "session-ended");
    assert_eq!(there.get("/account").await.status, StatusCode::SEE_OTHER, "the other device is signed out");
    assert_eq!(here.get("/account").await.status, StatusCode::OK, "this one is not");
    here.post("/account/sessions/end", &[("csrf", &csrf), ("sid", other)]).await.assert_page(StatusCode::NOT_FOUND);
    // Signing out removes the session from the list.
    let (page, _) = account(&mut here).await;
    assert_eq!(page.body.matches("name=\"sid\"").count(), 1);
});

backend_test!(async fn step_up_with_a_passkey_reaches_the_level(env) {
    let (mut b, mut auth, _) = passkey_account(&env, "gael").await;
    // gael adds a password and signs in with it at a service: eidas1.
    let (_, csrf) = account(&mut b).await;
    b.post("/account/password", &[("csrf", &csrf), ("password", "mot de passe assez long")]).await;
    let mut b2 = env.browser();
    let redirect = b2.sign_in(&basic_params("openid"), "gael", "mot de passe assez long").await;
    assert!(redirect.contains("code="));
    // Then the service asks for eidas2: the passkey on the step-up page.
    let params = with_param(basic_params("openid"), "acr_values", Some("eidas2"));
    let r = b2.authorize(&params).await;
    let page = b2.get(&r.location().unwrap()).await;
    assert!(page.body.contains("role=\"status\""), "the page says why");
    let (ia, csrf) = (page.input("interaction").unwrap(), page.input("csrf").unwrap());
    let done = passkey_sign_in(&mut b2, &mut auth, &ia, &csrf, None).await;
    let claims = finish_to_tokens(&env, &mut b2, &done).await;
    assert_eq!(claims["acr"], "eidas2");
});

backend_test!(async fn account_changes_need_a_recent_sign_in(env) {
    let (mut b, _auth, _) = passkey_account(&env, "hana").await;
    let (_, csrf) = account(&mut b).await;
    env.clock.advance(16 * 60);
    // The session still signs in at services, but the account page asks
    // for a new sign-in, and changes are refused.
    let r = b.get("/account").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().unwrap().contains("/login?interaction="));
    b.post("/account/password", &[("csrf", &csrf), ("password", "une phrase assez longue")]).await.assert_page(StatusCode::UNAUTHORIZED);
    b.post_json("/account/passkeys/options", &json!({ "csrf": csrf })).await.assert_oauth(StatusCode::UNAUTHORIZED, "signed_out");
    let redirect = b.sign_in(&basic_params("openid"), "", "").await;
    assert!(redirect.contains("code="), "SSO still works: {redirect}");
});
