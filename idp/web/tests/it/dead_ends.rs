//! No page of a sign-in is a dead end: the signed-out and error pages lead
//! back to the service or the collectivité, the logout confirmation can be
//! cancelled, a recovery started from a pending sign-in continues it, a
//! sign-in below the level a service asks for says what would reach it
//! and can go back to the service, and sign-up errors show at their field.

use axum::http::StatusCode;
use trame_app::audit::Actor;
use trame_app::branding::{self, BrandingChange, LogoChange};
use trame_core::client::{AuthMethod, ClientInfo, ClientSettings, GrantType, PkcePolicy};
use trame_core::ids::{ClientId, RedirectUri};
use trame_core::scope::Scopes;
use trame_core::tenant::Registration;
use trame_store::NewClient;
use trame_testkit::authenticator::SoftAuthenticator;

use crate::common::*;
use crate::passkeys::*;

const SITE_ID: &str = "rp-site";
const SITE_URI: &str = "https://service.example/";
const SITE_REDIRECT: &str = "http://localhost:3002/cb";
const HOME: &str = "https://ville.example/";

/// A client that registered its own site (`client_uri`), consent skipped.
async fn add_client_with_site(env: &Env) {
    let settings = ClientSettings {
        name: Some("Cantine scolaire".into()),
        redirect_uris: vec![RedirectUri::parse(SITE_REDIRECT).unwrap()],
        grant_types: vec![GrantType::AuthorizationCode],
        scopes: Scopes::parse("openid").unwrap(),
        pkce: PkcePolicy::Optional,
        skip_consent: true,
        info: ClientInfo { client_uri: Some(SITE_URI.into()), ..ClientInfo::default() },
        ..ClientSettings::new(AuthMethod::ClientSecretBasic)
    };
    let new = NewClient { client_id: ClientId::parse(SITE_ID).unwrap(), secret_digest: None, registration_token_digest: None, settings };
    env.state.store.create_client(&env.tenant.id, new, env.clock.now()).await.unwrap();
    env.refresh_catalog().await;
}

/// The collectivité's site, as its operator sets it.
async fn set_home(env: &Env) {
    let change = BrandingChange { service_url: Some(HOME.into()), ..BrandingChange::default() }.check().unwrap();
    branding::set(&env.state.store, env.tenant.slug.as_str(), &change, LogoChange::Keep, None, env.clock.now(), Actor::Cli("test".into())).await.unwrap();
    env.refresh_catalog().await;
}

fn links_to(r: &Resp, href: &str) -> bool {
    unescape(&r.body).contains(&format!("<a href=\"{href}\""))
}

backend_test!(async fn signed_out_and_error_pages_lead_back(env) {
    add_client_with_site(&env).await;
    // No site known: the signed-out page has no way back to offer.
    let mut anon = env.browser();
    let bare = anon.get("/logout").await;
    bare.assert_page(StatusCode::OK);
    assert!(!links_to(&bare, HOME) && !links_to(&bare, SITE_URI), "{}", bare.body);
    // The client that asked, when it has a site of its own.
    let r = anon.get(&format!("/logout?client_id={SITE_ID}")).await;
    r.assert_page(StatusCode::OK);
    assert!(links_to(&r, SITE_URI), "{}", r.body);
    assert!(r.body.contains("Revenir à Cantine scolaire"), "{}", r.body);
    // A client without a site, or an unknown one: the collectivité's.
    set_home(&env).await;
    for client in [BASIC_ID, "nobody"] {
        let r = anon.get(&format!("/logout?client_id={client}")).await;
        r.assert_page(StatusCode::OK);
        assert!(links_to(&r, HOME) && !links_to(&r, SITE_URI), "{client}: {}", r.body);
    }
    // Error pages (here an unknown client) lead to the collectivité.
    let err = anon.authorize(&with_param(basic_params("openid"), "client_id", Some("nobody"))).await;
    err.assert_page(StatusCode::BAD_REQUEST);
    assert!(links_to(&err, HOME), "{}", err.body);
    // In the page's language.
    let mut en = env.browser();
    en.accept_language = Some("en".into());
    let r = en.get(&format!("/logout?client_id={SITE_ID}")).await;
    assert!(r.body.contains("Go back to Cantine scolaire") && links_to(&r, SITE_URI), "{}", r.body);
});

backend_test!(async fn the_logout_confirmation_can_be_cancelled(env) {
    add_client_with_site(&env).await;
    let mut b = env.browser();
    b.sign_in(&basic_params("openid"), USERNAME, PASSWORD).await;
    // No client named: cancelling goes back to the account page.
    let page = b.get("/logout").await;
    page.assert_page(StatusCode::OK);
    assert!(links_to(&page, &format!("{ISSUER}/account")), "{}", page.body);
    // A client with a site: back there, and after signing out too.
    let page = b.get(&format!("/logout?client_id={SITE_ID}")).await;
    assert!(links_to(&page, SITE_URI), "{}", page.body);
    assert!(page.body.contains("Annuler et revenir à Cantine scolaire"), "{}", page.body);
    // Cancelling ended nothing: the session is still there.
    assert_eq!(b.get("/account").await.status, StatusCode::OK);
    let done = b.post("/logout", &[("logout", &page.input("logout").unwrap()), ("csrf", &page.input("csrf").unwrap())]).await;
    done.assert_page(StatusCode::OK);
    assert!(done.body.contains("Votre session est fermée"), "{}", done.body);
    assert!(links_to(&done, SITE_URI), "{}", done.body);
    assert_eq!(b.get("/account").await.status, StatusCode::SEE_OTHER, "signed out");
});

backend_test!(async fn a_password_sign_in_below_the_level_says_what_would_reach_it(env) {
    let mut b = env.browser();
    let params = with_param(basic_params("openid"), "acr_values", Some("eidas2"));
    let (_, login) = b.login_page(&params).await;
    let page = b.submit_login(&login, USERNAME, PASSWORD).await;
    page.assert_page(StatusCode::FORBIDDEN);
    let html = unescape(&page.body);
    assert!(html.contains("Connexion plus sûre demandée"), "{html}");
    assert!(html.contains("une clé d’accès") && html.contains("suivi d’un code"), "both ways are listed: {html}");
    let ia = page.input("interaction").unwrap();
    assert!(html.contains(&format!("href=\"/login?interaction={ia}\"")), "another try: {html}");
    assert!(html.contains("action=\"/login/abandon\"") && html.contains("Revenir à Service rp-basic"), "{html}");
    // Nobody was signed in.
    assert_eq!(b.get("/account").await.status, StatusCode::SEE_OTHER);
    // A forged form does not end the sign-in, another browser cannot.
    let csrf = page.input("csrf").unwrap();
    b.post("/login/abandon", &[("interaction", &ia), ("csrf", "forged")]).await.assert_page(StatusCode::FORBIDDEN);
    env.browser().post("/login/abandon", &[("interaction", &ia), ("csrf", &csrf)]).await.assert_page(StatusCode::FORBIDDEN);
    // Back to the service with the error OpenID Connect has for it.
    let r = b.post("/login/abandon", &[("interaction", &ia), ("csrf", &csrf)]).await;
    r.assert_redirect_error(BASIC_REDIRECT, "unmet_authentication_requirements", Some("st-123"));
    // Once.
    b.post("/login/abandon", &[("interaction", &ia), ("csrf", &csrf)]).await.assert_page(StatusCode::BAD_REQUEST);
});

backend_test!(async fn the_level_page_follows_the_tenant_policy_and_purpose(env) {
    // Only device-bound keys reach eidas2 here: password and TOTP are
    // not offered.
    set_settings(&env, |s| s.acr_policy = trame_core::assurance::AcrPolicy::parse(&["eidas2=hwk+user".to_owned()]).unwrap()).await;
    let mut b = env.browser();
    let params = with_param(basic_params("openid"), "claims", Some(r#"{"id_token":{"acr":{"essential":true,"value":"eidas2"}}}"#));
    let (_, login) = b.login_page(&params).await;
    let page = b.submit_login(&login, USERNAME, PASSWORD).await;
    page.assert_page(StatusCode::FORBIDDEN);
    let html = unescape(&page.body);
    assert!(html.contains("une clé d’accès") && !html.contains("suivi d’un code"), "{html}");
    // The console's sign-in has no service to go back to.
    let mut c = env.browser();
    let r = c.get("/admin").await;
    let login = c.get(&r.location().unwrap()).await;
    let (ia, csrf) = (login.input("interaction").unwrap(), login.input("csrf").unwrap());
    let page = c.submit_login(&login, USERNAME, PASSWORD).await;
    page.assert_page(StatusCode::FORBIDDEN);
    assert!(unescape(&page.body).contains("Connexion plus sûre demandée"), "{}", page.body);
    assert!(!unescape(&page.body).contains("/login/abandon"), "{}", page.body);
    c.post("/login/abandon", &[("interaction", &ia), ("csrf", &csrf)]).await.assert_page(StatusCode::BAD_REQUEST);
});

backend_test!(async fn a_recovery_from_the_sign_in_page_continues_to_the_service(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new();
    let mut owner = env.browser();
    let done = sign_up(&mut owner, &mut auth, "eli").await;
    let codes: Vec<String> = done.json()["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();

    // "Clé d'accès perdue ?" on the sign-in page carries the pending sign-in.
    let mut b = env.browser();
    let (_, login) = b.login_page(&basic_params("openid")).await;
    let ia = login.input("interaction").unwrap();
    assert!(links_to(&login, &format!("/recover?interaction={ia}")), "{}", login.body);
    let page = b.get(&format!("/recover?interaction={ia}")).await;
    page.assert_page(StatusCode::OK);
    assert_eq!(page.input("interaction").as_deref(), Some(ia.as_str()));
    let csrf = page.input("csrf").unwrap();
    // A wrong code keeps it for the next try.
    let wrong = b.post("/recover", &[("csrf", &csrf), ("method", "code"), ("interaction", &ia), ("username", "eli"), ("code", "aaaa-bbbb-cccc-dddd")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.input("interaction").as_deref(), Some(ia.as_str()));
    let r = b.post("/recover", &[("csrf", &csrf), ("method", "code"), ("interaction", &ia), ("username", "eli"), ("code", &codes[0])]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location().unwrap(), format!("{ISSUER}/login/continue?interaction={ia}"));
    // On to consent, then the service.
    let next = b.get(&r.location().unwrap()).await;
    let to_client = b.follow(next, "", "").await;
    assert!(to_client.starts_with(BASIC_REDIRECT) && query_param(&to_client, "code").is_some(), "{to_client}");

    // Not continued: another browser's pending sign-in, an unknown one, or
    // one asking for more than a recovery reaches (the account page then).
    let (_, other_login) = env.browser().login_page(&basic_params("openid")).await;
    let foreign = other_login.input("interaction").unwrap();
    let (_, strong_login) = b.login_page(&with_param(basic_params("openid"), "acr_values", Some("eidas2"))).await;
    let strong = strong_login.input("interaction").unwrap();
    for (what, id, code) in [("foreign", foreign.as_str(), &codes[1]), ("unknown", "nope", &codes[2]), ("above the level", strong.as_str(), &codes[3])] {
        let r = b.post("/recover", &[("csrf", &csrf), ("method", "code"), ("interaction", id), ("username", "eli"), ("code", code)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}: {}", r.body);
        assert_eq!(r.location().unwrap(), format!("{ISSUER}/account?notice=recovered"), "{what}");
    }
});

backend_test!(async fn sign_up_errors_show_at_their_field(env) {
    open_signup(&env).await;
    let mut b = env.browser();
    let page = b.get("/signup").await;
    let csrf = page.input("csrf").unwrap();
    assert!(!page.body.contains("aria-invalid"), "no error before a post");
    assert!(unescape(&page.body).contains("method=\"post\" action=\"/signup\""), "{}", page.body);

    // A bad username and a bad address: both marked, the first focused.
    let r = b.post("/signup", &[("csrf", &csrf), ("username", "a b"), ("email", "not-an-address")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY);
    let html = unescape(&r.body);
    let username = input_tag(&html, "username");
    assert!(username.contains("aria-invalid=\"true\"") && username.contains("aria-describedby=\"username-error username-help\""), "{username}");
    assert!(username.contains(" autofocus") && username.contains("value=\"a b\""), "{username}");
    let email = input_tag(&html, "email");
    assert!(email.contains("aria-invalid=\"true\"") && email.contains("aria-describedby=\"email-error email-help\""), "{email}");
    assert!(!email.contains("autofocus"), "only the first field in error is focused: {email}");
    assert!(html.contains("<p class=\"error\" id=\"username-error\">") && html.contains("<p class=\"error\" id=\"email-error\">"), "{html}");

    // Only the address: it takes the focus.
    let r = b.post("/signup", &[("csrf", &csrf), ("username", "dora"), ("email", "not-an-address")]).await;
    let html = unescape(&r.body);
    assert!(!input_tag(&html, "username").contains("aria-invalid"));
    assert!(input_tag(&html, "email").contains(" autofocus"));

    // A taken name says so at the field.
    let r = b.post("/signup", &[("csrf", &csrf), ("username", USERNAME), ("email", "")]).await;
    r.assert_page(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unescape(&r.body).contains("Cet identifiant est déjà pris"), "{}", r.body);

    // Fields that pass: the page says a passkey needs its script, nothing is created.
    let before = count_users(&env).await;
    let r = b.post("/signup", &[("csrf", &csrf), ("username", "dora"), ("email", "dora@example.fr")]).await;
    r.assert_page(StatusCode::OK);
    assert!(r.body.contains("id=\"signup-error\"") && !r.body.contains("aria-invalid"), "{}", r.body);
    assert_eq!(count_users(&env).await, before);

    // Refusals: a forged form, a closed tenant.
    b.post("/signup", &[("csrf", "forged"), ("username", "dora")]).await.assert_page(StatusCode::FORBIDDEN);
    set_settings(&env, |s| s.registration = Registration::Closed).await;
    b.post("/signup", &[("csrf", &csrf), ("username", "dora")]).await.assert_page(StatusCode::FORBIDDEN);
});

/// The `<input …>` tag of the field `name`.
fn input_tag(html: &str, name: &str) -> String {
    let needle = format!("<input id=\"{name}\"");
    let start = html.find(&needle).unwrap_or_else(|| panic!("no field {name}"));
    html[start..].split('>').next().unwrap().to_owned()
}
