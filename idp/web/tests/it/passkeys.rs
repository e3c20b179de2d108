//! Passkeys through the real router, with a software authenticator
//! (1Password's passkey-* crates): sign-up, discoverable and username-first
//! sign-in, and every refusal, each leaving nothing stored.

use axum::http::StatusCode;
use serde_json::{Value, json};
use trame_core::tenant::{CounterPolicy, Registration, TenantSettings};
use trame_testkit::authenticator::{SoftAuthenticator, rewrite_client_data, tamper_signature};

use crate::common::*;

/// The origin of the test issuer (`http://localhost:8080`).
pub const ORIGIN: &str = "http://localhost:8080";

pub async fn set_settings(env: &Env, f: impl FnOnce(&mut TenantSettings)) {
    let mut s = env.state.store.tenant_by_slug(env.tenant.slug.as_str()).await.unwrap().unwrap().settings;
    f(&mut s);
    env.state.store.set_tenant_settings(env.tenant.slug.as_str(), &s).await.unwrap();
    env.refresh_catalog().await;
}

pub async fn open_signup(env: &Env) {
    set_settings(env, |s| s.registration = Registration::Open).await;
}

/// The sign-up page's CSRF token (and the browser cookie it sets).
pub async fn signup_csrf(b: &mut Browser) -> String {
    let page = b.get("/signup").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.input("csrf").unwrap()
}

/// Signs up `username` with `auth`; returns the finish response.
pub async fn sign_up(b: &mut Browser, auth: &mut SoftAuthenticator, username: &str) -> Resp {
    let csrf = signup_csrf(b).await;
    let options = b.post_json("/signup/options", &json!({ "csrf": csrf, "username": username })).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.body);
    let credential = auth.register(&options.json(), ORIGIN).await.unwrap();
    b.post_json("/signup/finish", &json!({ "csrf": csrf, "credential": credential })).await
}

pub async fn count_users(env: &Env) -> usize {
    env.state.store.list_users(&env.tenant.id).await.unwrap().len()
}

/// Starts an authorization for the basic client and returns the login
/// page's interaction and CSRF token.
pub async fn login_fields(b: &mut Browser, params: &[(&str, &str)]) -> (String, String) {
    let (_, page) = b.login_page(params).await;
    (page.input("interaction").unwrap(), page.input("csrf").unwrap())
}

/// A passkey sign-in from the login page: options, authenticator, finish.
pub async fn passkey_sign_in(b: &mut Browser, auth: &mut SoftAuthenticator, ia: &str, csrf: &str, username: Option<&str>) -> Resp {
    let mut req = json!({ "interaction": ia, "csrf": csrf });
    if let Some(u) = username {
        req["username"] = json!(u);
    }
    let options = b.post_json("/passkey/options", &req).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.body);
    let credential = auth.sign_in(&options.json(), ORIGIN).await.unwrap();
    b.post_json("/passkey/finish", &json!({ "interaction": ia, "csrf": csrf, "credential": credential })).await
}

/// Follows a successful passkey finish to the client; returns the ID token
/// claims.
pub async fn finish_to_tokens(env: &Env, b: &mut Browser, done: &Resp) -> Value {
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let next = done.json()["location"].as_str().unwrap().to_owned();
    let r = b.get(&next).await;
    let redirect = b.follow(r, "", "").await;
    let code = query_param(&redirect, "code").expect("a code");
    let t = env.token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.body);
    jwt_claims(t.json()["id_token"].as_str().unwrap())
}

backend_test!(async fn sign_up_then_sign_in_with_the_passkey_alone(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new();
    let mut b = env.browser();
    let before = count_users(&env).await;
    let done = sign_up(&mut b, &mut auth, "camille").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let body = done.json();
    let codes = body["recovery_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    assert!(body["location"].as_str().unwrap().ends_with("/account"));
    assert_eq!(count_users(&env).await, before + 1);
    // Signed in at once: the account page lists the passkey.
    let account = b.get("/account").await;
    assert_eq!(account.status, StatusCode::OK, "{}", account.body);
    assert!(account.body.contains("camille"));
    assert!(account.body.contains("passkey-list"));

    // Another browser signs in at a service with the passkey alone.
    let mut b2 = env.browser();
    let (ia, csrf) = login_fields(&mut b2, &basic_params("openid")).await;
    let done = passkey_sign_in(&mut b2, &mut auth, &ia, &csrf, None).await;
    let claims = finish_to_tokens(&env, &mut b2, &done).await;
    let amr: Vec<&str> = claims["amr"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(amr, ["swk", "user", "mfa"]);
    assert_eq!(claims["acr"], "eidas2");
    let passkeys = env.state.store.passkeys_of(&env.tenant.id, &env.state.store.user_for_sign_in(&env.tenant.id, "camille").await.unwrap().unwrap().profile.id).await.unwrap();
    assert!(passkeys[0].last_used_at.is_some());
});

backend_test!(async fn username_first_sign_in_uses_an_allow_list(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new();
    let mut b = env.browser();
    assert_eq!(sign_up(&mut b, &mut auth, "dominique").await.status, StatusCode::OK);
    let mut b2 = env.browser();
    let (ia, csrf) = login_fields(&mut b2, &basic_params("openid")).await;
    let options = b2.post_json("/passkey/options", &json!({ "interaction": ia, "csrf": csrf, "username": "dominique" })).await;
    let allow = options.json()["publicKey"]["allowCredentials"].as_array().unwrap().clone();
    assert_eq!(allow.len(), 1);
    assert_eq!(options.json()["publicKey"]["userVerification"], "required");
    // An unknown user gets the same shape: no account enumeration.
    let unknown = b2.post_json("/passkey/options", &json!({ "interaction": ia, "csrf": csrf, "username": "nobody-here" })).await;
    assert_eq!(unknown.status, StatusCode::OK);
    // One or two made-up credentials, as real accounts have (which, and
    // how many, follow from the tenant's secret and the name).
    let made_up = unknown.json()["publicKey"]["allowCredentials"].as_array().unwrap().len();
    assert!((1..=2).contains(&made_up), "{made_up} made-up credentials");
    let again = b2.post_json("/passkey/options", &json!({ "interaction": ia, "csrf": csrf, "username": "nobody-here" })).await;
    assert_eq!(again.json()["publicKey"]["allowCredentials"], unknown.json()["publicKey"]["allowCredentials"], "stable across requests");

    let done = passkey_sign_in(&mut b2, &mut auth, &ia, &csrf, Some("dominique")).await;
    let claims = finish_to_tokens(&env, &mut b2, &done).await;
    assert_eq!(claims["acr"], "eidas2");
});

/// Runs a sign-in whose authenticator answer `tamper` spoils, and checks
/// the refusal: the error code, no session cookie, the passkey unchanged.
async fn refused_sign_in(env: &Env, error: &str, tamper: impl FnOnce(&mut Value)) {
    refused_sign_in_with(env, error, async |auth, options| {
        let mut c = auth.sign_in(options, ORIGIN).await.unwrap();
        tamper(&mut c);
        c
    })
    .await;
}

/// The same, with the authenticator's answer made by `answer`.
async fn refused_sign_in_with(env: &Env, error: &str, answer: impl AsyncFnOnce(&mut SoftAuthenticator, &Value) -> Value) {
    let mut auth = SoftAuthenticator::new();
    let mut b = env.browser();
    assert_eq!(sign_up(&mut b, &mut auth, "eli").await.status, StatusCode::OK);
    let user = env.state.store.user_for_sign_in(&env.tenant.id, "eli").await.unwrap().unwrap().profile;
    let before = env.state.store.passkeys_of(&env.tenant.id, &user.id).await.unwrap();
    let mut b2 = env.browser();
    let (ia, csrf) = login_fields(&mut b2, &basic_params("openid")).await;
    let options = b2.post_json("/passkey/options", &json!({ "interaction": ia, "csrf": csrf })).await;
    let credential = answer(&mut auth, &options.json()).await;
    let r = b2.post_json("/passkey/finish", &json!({ "interaction": ia, "csrf": csrf, "credential": credential })).await;
    r.assert_oauth(StatusCode::BAD_REQUEST, error);
    assert!(b2.cookie("trame_session").is_none(), "no session after a refusal");
    assert_eq!(env.state.store.passkeys_of(&env.tenant.id, &user.id).await.unwrap(), before, "nothing stored");
}

backend_test!(async fn wrong_origin_is_refused(env) {
    open_signup(&env).await;
    // Signed by the authenticator for a page of another origin (same RP ID).
    refused_sign_in_with(&env, "wrong_origin", async |auth, options| auth.sign_in(options, "http://localhost:9999").await.unwrap()).await;
});

backend_test!(async fn wrong_rp_id_is_refused(env) {
    open_signup(&env).await;
    refused_sign_in_with(&env, "wrong_rp_id", async |auth, options| auth.sign_in_for_rp_id(options, ORIGIN, "evil.localhost").await.unwrap()).await;
});

backend_test!(async fn rewritten_client_data_is_refused(env) {
    open_signup(&env).await;
    // The client data is signed: changing it breaks the signature.
    refused_sign_in(&env, "bad_signature", |c| rewrite_client_data(c, |cd| cd["origin"] = json!("https://evil.example"))).await;
});

backend_test!(async fn tampered_signature_is_refused(env) {
    open_signup(&env).await;
    refused_sign_in(&env, "bad_signature", tamper_signature).await;
});

backend_test!(async fn unknown_credential_is_refused(env) {
    open_signup(&env).await;
    refused_sign_in(&env, "unknown_credential", |c| {
        c["id"] = json!("AAAAAAAAAAAAAAAAAAAAAA");
        c["rawId"] = json!("AAAAAAAAAAAAAAAAAAAAAA");
    })
    .await;
});

backend_test!(async fn malformed_answers_are_refused_cleanly(env) {
    open_signup(&env).await;
    let mut b = env.browser();
    let (ia, csrf) = login_fields(&mut b, &basic_params("openid")).await;
    for credential in [json!(null), json!({}), json!({"id": "x", "response": {"clientDataJSON": "!!!"}}), json!("text")] {
        let r = b.post_json("/passkey/finish", &json!({ "interaction": ia, "csrf": csrf, "credential": credential })).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    }
    let r = b.post_json("/passkey/finish", &json!({ "nothing": true })).await;
    r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    let r = b.post_json("/passkey/options", &json!({ "interaction": ia, "csrf": "wrong" })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
});

backend_test!(async fn a_replayed_or_expired_ceremony_is_refused(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new();
    let mut b = env.browser();
    assert_eq!(sign_up(&mut b, &mut auth, "fanny").await.status, StatusCode::OK);

    let mut b2 = env.browser();
    let (ia, csrf) = login_fields(&mut b2, &basic_params("openid")).await;
    let options = b2.post_json("/passkey/options", &json!({ "interaction": ia, "csrf": csrf })).await;
    let credential = auth.sign_in(&options.json(), ORIGIN).await.unwrap();
    let body = json!({ "interaction": ia, "csrf": csrf, "credential": credential });
    assert_eq!(b2.post_json("/passkey/finish", &body).await.status, StatusCode::OK);
    // The same answer again: the state was taken on first use.
    b2.post_json("/passkey/finish", &body).await.assert_oauth(StatusCode::BAD_REQUEST, "ceremony_expired");

    // A ceremony answered after its timeout.
    let mut b3 = env.browser();
    let (ia, csrf) = login_fields(&mut b3, &basic_params("openid")).await;
    let options = b3.post_json("/passkey/options", &json!({ "interaction": ia, "csrf": csrf })).await;
    let credential = auth.sign_in(&options.json(), ORIGIN).await.unwrap();
    env.clock.advance(6 * 60);
    let r = b3.post_json("/passkey/finish", &json!({ "interaction": ia, "csrf": csrf, "credential": credential })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(b3.cookie("trame_session").is_none());

    // A registration answer replayed: refused, still one account.
    let mut auth2 = SoftAuthenticator::new();
    let mut b4 = env.browser();
    let csrf = signup_csrf(&mut b4).await;
    let options = b4.post_json("/signup/options", &json!({ "csrf": csrf, "username": "gael" })).await;
    let credential = auth2.register(&options.json(), ORIGIN).await.unwrap();
    let body = json!({ "csrf": csrf, "credential": credential });
    assert_eq!(b4.post_json("/signup/finish", &body).await.status, StatusCode::OK);
    let users = count_users(&env).await;
    b4.post_json("/signup/finish", &body).await.assert_oauth(StatusCode::BAD_REQUEST, "ceremony_expired");
    assert_eq!(count_users(&env).await, users);
});

backend_test!(async fn registration_without_user_verification_stores_nothing(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new().without_user_verification();
    let mut b = env.browser();
    let before = count_users(&env).await;
    let r = sign_up(&mut b, &mut auth, "hugo").await;
    r.assert_oauth(StatusCode::BAD_REQUEST, "user_not_verified");
    assert_eq!(count_users(&env).await, before);
    assert!(b.cookie("trame_session").is_none());
});

backend_test!(async fn registration_for_another_rp_id_is_refused(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new();
    let mut b = env.browser();
    let csrf = signup_csrf(&mut b).await;
    let options = b.post_json("/signup/options", &json!({ "csrf": csrf, "username": "ines" })).await;
    let credential = auth.register_for_rp_id(&options.json(), ORIGIN, "evil.localhost").await.unwrap();
    let before = count_users(&env).await;
    let r = b.post_json("/signup/finish", &json!({ "csrf": csrf, "credential": credential })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.error(), "wrong_rp_id", "{}", r.body);
    assert_eq!(count_users(&env).await, before);
});

backend_test!(async fn counter_regression_follows_the_tenant_policy(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new().with_counter();
    let mut b = env.browser();
    assert_eq!(sign_up(&mut b, &mut auth, "jules").await.status, StatusCode::OK);
    for _ in 0..2 {
        let mut b2 = env.browser();
        let (ia, csrf) = login_fields(&mut b2, &basic_params("openid")).await;
        assert_eq!(passkey_sign_in(&mut b2, &mut auth, &ia, &csrf, None).await.status, StatusCode::OK);
    }
    // A clone of the authenticator, behind in its count.
    auth.set_counter(1);
    let mut b3 = env.browser();
    let (ia, csrf) = login_fields(&mut b3, &basic_params("openid")).await;
    passkey_sign_in(&mut b3, &mut auth, &ia, &csrf, None).await.assert_oauth(StatusCode::BAD_REQUEST, "counter_regression");
    assert!(b3.cookie("trame_session").is_none());

    set_settings(&env, |s| s.counter_policy = CounterPolicy::Allow).await;
    auth.set_counter(1);
    let mut b4 = env.browser();
    let (ia, csrf) = login_fields(&mut b4, &basic_params("openid")).await;
    assert_eq!(passkey_sign_in(&mut b4, &mut auth, &ia, &csrf, None).await.status, StatusCode::OK);
});

backend_test!(async fn sign_up_follows_the_registration_setting(env) {
    // Closed by default.
    let mut b = env.browser();
    b.get("/signup").await.assert_page(StatusCode::FORBIDDEN);
    let csrf = {
        let p = b.get("/recover").await;
        p.input("csrf").unwrap()
    };
    b.post_json("/signup/options", &json!({ "csrf": csrf, "username": "karim" })).await.assert_oauth(StatusCode::FORBIDDEN, "signup_not_allowed");

    // By invitation: the link works once.
    set_settings(&env, |s| s.registration = Registration::Invite).await;
    b.get("/signup").await.assert_page(StatusCode::FORBIDDEN);
    let token = trame_core::crypto::random_token(&trame_core::OsRandom);
    let now = env.clock.now();
    env.state.store.create_invitation(&env.tenant.id, &trame_core::crypto::secret_digest(&token), Some("karim@example.fr"), now + 3600, now).await.unwrap();
    let page = b.get(&format!("/signup?invitation={token}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.input("email").as_deref(), Some("karim@example.fr"));
    let csrf = page.input("csrf").unwrap();
    let mut auth = SoftAuthenticator::new();
    let options = b.post_json("/signup/options", &json!({ "csrf": csrf, "username": "karim", "invitation": token })).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.body);
    let credential = auth.register(&options.json(), ORIGIN).await.unwrap();
    assert_eq!(b.post_json("/signup/finish", &json!({ "csrf": csrf, "credential": credential })).await.status, StatusCode::OK);
    b.get(&format!("/signup?invitation={token}")).await.assert_page(StatusCode::FORBIDDEN);
    let r = b.post_json("/signup/options", &json!({ "csrf": csrf, "username": "karim2", "invitation": token })).await;
    r.assert_oauth(StatusCode::FORBIDDEN, "signup_not_allowed");
});

backend_test!(async fn taken_and_invalid_usernames_are_refused(env) {
    open_signup(&env).await;
    let mut b = env.browser();
    let csrf = signup_csrf(&mut b).await;
    b.post_json("/signup/options", &json!({ "csrf": csrf, "username": USERNAME })).await.assert_oauth(StatusCode::BAD_REQUEST, "username_taken");
    b.post_json("/signup/options", &json!({ "csrf": csrf, "username": "with space" })).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_username");
    b.post_json("/signup/options", &json!({ "csrf": csrf, "username": "x" })).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_username");
    b.post_json("/signup/options", &json!({ "csrf": csrf, "username": "lou", "email": "not-an-address" })).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_email");
    b.post_json("/signup/options", &json!({ "csrf": "forged", "username": "lou" })).await.assert_oauth(StatusCode::FORBIDDEN, "invalid_request");
});

backend_test!(async fn step_up_asks_a_password_session_for_a_passkey(env) {
    open_signup(&env).await;
    // alice signs in with her password: eidas1.
    let (code, mut b) = env.code_for(&basic_params("openid")).await;
    let t = env.token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
    assert_eq!(jwt_claims(t.json()["id_token"].as_str().unwrap())["acr"], "eidas1");
    // The service asks for eidas2: the session is not enough, and the
    // password alone is refused on the sign-in page.
    let params = with_param(basic_params("openid"), "acr_values", Some("eidas2"));
    let r = b.authorize(&params).await;
    assert!(r.location().unwrap().contains("/login?interaction="), "step-up goes to the sign-in page");
    let page = b.get(&r.location().unwrap()).await;
    let r = b.submit_login(&page, USERNAME, PASSWORD).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("role=\"alert\""));
    // prompt=none cannot step up silently.
    let none = with_param(params.clone(), "prompt", Some("none"));
    b.authorize(&none).await.assert_redirect_error(BASIC_REDIRECT, "interaction_required", Some("st-123"));
    // A level no method reaches under the default policy.
    let high = with_param(basic_params("openid"), "claims", Some(r#"{"id_token":{"acr":{"essential":true,"value":"eidas3"}}}"#));
    b.authorize(&high).await.assert_redirect_error(BASIC_REDIRECT, "unmet_authentication_requirements", Some("st-123"));
});

backend_test!(async fn ceremony_starts_are_throttled_per_address(env) {
    let mut b = env.browser();
    let (ia, csrf) = login_fields(&mut b, &basic_params("openid")).await;
    let body = json!({ "interaction": ia, "csrf": csrf });
    for i in 0..600 {
        let r = b.post_json("/passkey/options", &body).await;
        assert_eq!(r.status, StatusCode::OK, "request {i}: {}", r.body);
    }
    b.post_json("/passkey/options", &body).await.assert_oauth(StatusCode::TOO_MANY_REQUESTS, "slow_down");
    // Another address is not affected.
    b.peer = std::net::SocketAddr::from(([198, 51, 100, 2], 50000));
    assert_eq!(b.post_json("/passkey/options", &body).await.status, StatusCode::OK);
});

backend_test!(async fn sign_up_below_the_required_level_goes_back_to_the_sign_in_page(env) {
    open_signup(&env).await;
    set_settings(&env, |s| s.acr_policy = trame_core::assurance::AcrPolicy::parse(&["eidas3=hwk+user".into()]).unwrap()).await;
    let mut b = env.browser();
    let params = with_param(basic_params("openid"), "acr_values", Some("eidas3"));
    let (ia, _) = login_fields(&mut b, &params).await;
    let page = b.get(&format!("/signup?interaction={ia}")).await;
    let csrf = page.input("csrf").unwrap();
    let mut auth = SoftAuthenticator::new(); // synced: swk, below eidas3
    let options = b.post_json("/signup/options", &json!({ "csrf": csrf, "username": "lina", "interaction": ia })).await;
    let credential = auth.register(&options.json(), ORIGIN).await.unwrap();
    let done = b.post_json("/signup/finish", &json!({ "csrf": csrf, "credential": credential })).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let location = done.json()["location"].as_str().unwrap().to_owned();
    assert!(location.ends_with(&format!("/login?interaction={ia}")), "{location}");
    // The client is not answered with a lower level.
    let r = b.get(&format!("/login/continue?interaction={ia}")).await;
    assert!(r.location().is_some_and(|l| l.contains("/login?interaction=")), "no code: {} {}", r.status, r.body);
});

backend_test!(async fn a_ceremony_is_finished_only_where_it_was_started(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new();
    let mut b = env.browser();
    assert_eq!(sign_up(&mut b, &mut auth, "nour").await.status, StatusCode::OK);
    // A passkey being added to an account cannot create a new account.
    let csrf = b.get("/account").await.input("csrf").unwrap();
    let options = b.post_json("/account/passkeys/options", &json!({ "csrf": csrf })).await;
    let mut other = SoftAuthenticator::new();
    let credential = other.register(&options.json(), ORIGIN).await.unwrap();
    let users = count_users(&env).await;
    // (The sign-up page's token: the account page's is bound to the session.)
    let signup_token = signup_csrf(&mut b).await;
    b.post_json("/signup/finish", &json!({ "csrf": signup_token, "credential": credential })).await.assert_oauth(StatusCode::BAD_REQUEST, "wrong_ceremony");
    assert_eq!(count_users(&env).await, users);
    // A sign-in started for one pending sign-in cannot finish another.
    let mut b2 = env.browser();
    let (ia1, csrf1) = login_fields(&mut b2, &basic_params("openid")).await;
    let options = b2.post_json("/passkey/options", &json!({ "interaction": ia1, "csrf": csrf1 })).await;
    let credential = auth.sign_in(&options.json(), ORIGIN).await.unwrap();
    let (ia2, csrf2) = login_fields(&mut b2, &basic_params("openid")).await;
    let r = b2.post_json("/passkey/finish", &json!({ "interaction": ia2, "csrf": csrf2, "credential": credential })).await;
    r.assert_oauth(StatusCode::BAD_REQUEST, "wrong_ceremony");
    assert!(b2.cookie("trame_session").is_none());
});

/// The passkeys listed on an account page, each as its `<li>`'s HTML.
fn listed_passkeys(page: &str) -> Vec<&str> {
    page.split("<li class=\"passkey\">").skip(1).map(|li| li.split("</li>").next().unwrap_or_default()).collect()
}

backend_test!(async fn a_new_passkey_takes_the_proposed_name_and_the_account_page_names_the_one_just_used(env) {
    open_signup(&env).await;
    let mut first = SoftAuthenticator::new();
    let mut b = env.browser();
    assert_eq!(sign_up(&mut b, &mut first, "sacha").await.status, StatusCode::OK);
    // Two more passkeys: one named by the page (trimmed), one whose
    // proposed name is not a name (the authenticator's model instead).
    let proposed = ["  Clé d’accès – Firefox sur Windows ", "bad\u{7}name"];
    let mut others = Vec::new();
    for name in proposed {
        let csrf = b.get("/account").await.input("csrf").unwrap();
        let options = b.post_json("/account/passkeys/options", &json!({ "csrf": csrf })).await;
        let mut auth = SoftAuthenticator::new();
        let credential = auth.register(&options.json(), ORIGIN).await.unwrap();
        let done = b.post_json("/account/passkeys/finish", &json!({ "csrf": csrf, "credential": credential, "name": name })).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        others.push(auth);
    }
    let user = env.state.store.user_for_sign_in(&env.tenant.id, "sacha").await.unwrap().unwrap().profile.id;
    let names: Vec<String> = env.state.store.passkeys_of(&env.tenant.id, &user).await.unwrap().into_iter().map(|p| p.name).collect();
    assert!(names.iter().any(|n| n == "Clé d’accès – Firefox sur Windows"), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("bad")), "{names:?}");

    // Another browser signs in with the page-named passkey, then opens
    // its account page: that passkey, and only it, is the one just used.
    let used_now = "utilisée pour cette connexion";
    let mut b2 = env.browser();
    let (ia, csrf) = login_fields(&mut b2, &basic_params("openid")).await;
    let done = passkey_sign_in(&mut b2, &mut others[0], &ia, &csrf, None).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let account = b2.get("/account").await;
    assert_eq!(account.status, StatusCode::OK, "{}", account.body);
    let items = listed_passkeys(&account.body);
    assert_eq!(items.len(), 3, "{}", account.body);
    let marked: Vec<&&str> = items.iter().filter(|li| li.contains(used_now)).collect();
    assert_eq!(marked.len(), 1, "{}", account.body);
    assert!(marked[0].contains("Firefox sur Windows"), "{}", marked[0]);
});
