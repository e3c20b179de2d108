//! Back-Channel Logout 1.0 and Front-Channel Logout 1.0: logout tokens
//! posted to a real relying-party endpoint, their retries and the give-up,
//! per-client `sid`s, and the front-channel page.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};
use trame_app::logout_delivery::{DeliveryReport, deliver_due};
use trame_core::client::{AuthMethod, ClientSettings, GrantType, LogoutChannels, PkcePolicy};
use trame_core::crypto::{b64url, secret_digest};
use trame_core::ids::{ClientId, RedirectUri};
use trame_core::lifetimes;
use trame_core::scope::Scopes;
use trame_core::subject::{SubjectType, client_sid};
use trame_jose::Alg;
use trame_store::{LogoutDelivery, NewClient, NewLogoutDelivery};

use crate::common::*;

const SECRET: &str = "logout-channels-secret-0123";
const EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";
/// The policy of every page, before a front-channel page adds `frame-src`.
const BASE_CSP: &str =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// A relying party's back-channel endpoint on a real port: records every
/// POST (content type, `logout_token`) and answers with the scripted
/// statuses, then with `then`.
struct Rp {
    base: String,
    seen: Arc<Mutex<Vec<(String, String)>>>,
}

struct RpState {
    seen: Arc<Mutex<Vec<(String, String)>>>,
    script: Mutex<VecDeque<StatusCode>>,
    then: StatusCode,
}

async fn receive(State(s): State<Arc<RpState>>, headers: HeaderMap, body: String) -> StatusCode {
    let content_type = headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let token = url::form_urlencoded::parse(body.as_bytes()).find(|(k, _)| k == "logout_token").map(|(_, v)| v.into_owned()).unwrap_or_default();
    s.seen.lock().unwrap().push((content_type, token));
    s.script.lock().unwrap().pop_front().unwrap_or(s.then)
}

impl Rp {
    async fn start(script: &[StatusCode], then: StatusCode) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::new(RpState { seen: seen.clone(), script: Mutex::new(script.iter().copied().collect()), then });
        let app = axum::Router::new().route("/bc", axum::routing::post(receive)).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { base: format!("http://{addr}"), seen }
    }

    fn backchannel(&self) -> LogoutChannels {
        LogoutChannels { backchannel_uri: Some(format!("{}/bc", self.base)), ..LogoutChannels::default() }
    }

    /// The logout tokens received so far.
    fn tokens(&self) -> Vec<String> {
        self.seen.lock().unwrap().iter().map(|(_, t)| t.clone()).collect()
    }

    /// Waits (up to 10 s) until `n` notifications have arrived.
    async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..500 {
            if self.tokens().len() >= n {
                return self.tokens();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("expected {n} notifications, got {}", self.tokens().len());
    }
}

/// Registers a confidential, pairwise client (its own sector) that skips
/// consent, with `logout` channels; its post-logout URI is `<origin>/bye`.
async fn add_rp(env: &Env, id: &str, origin: &str, logout: LogoutChannels, alg: Alg) {
    let settings = ClientSettings {
        name: Some(format!("Service {id}")),
        redirect_uris: vec![RedirectUri::parse(&format!("{origin}/cb")).unwrap()],
        post_logout_redirect_uris: vec![RedirectUri::parse(&format!("{origin}/bye")).unwrap()],
        grant_types: vec![GrantType::AuthorizationCode],
        scopes: Scopes::parse("openid").unwrap(),
        pkce: PkcePolicy::Optional,
        skip_consent: true,
        subject_type: SubjectType::Pairwise,
        sector_identifier: Some(format!("{id}.example.fr")),
        id_token_alg: alg,
        logout,
        ..ClientSettings::new(AuthMethod::ClientSecretBasic)
    };
    let client = NewClient { client_id: ClientId::parse(id).unwrap(), secret_digest: Some(secret_digest(SECRET)), registration_token_digest: None, settings };
    env.state.store.create_client(&env.tenant.id, client, env.clock.now()).await.unwrap();
}

/// Signs alice in to `client` in browser `b` (a new session or the
/// browser's current one) and returns the client's ID token.
async fn id_token_for(env: &Env, b: &mut Browser, client: &str, origin: &str) -> String {
    let redirect = format!("{origin}/cb");
    let params = [("client_id", client), ("redirect_uri", &redirect), ("response_type", "code"), ("scope", "openid"), ("state", "st-1"), ("nonce", "n-1")];
    let loc = b.sign_in(&params, USERNAME, PASSWORD).await;
    let code = query_param(&loc, "code").unwrap_or_else(|| panic!("no code in {loc}"));
    let r = env.post_form("/token", &[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", &redirect)], Some((client, SECRET))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["id_token"].as_str().unwrap().to_owned()
}

/// Everything in the queue, due or not.
async fn queued(env: &Env) -> Vec<LogoutDelivery> {
    env.state.store.due_logout_deliveries(env.clock.now() + 1_000_000, 100).await.unwrap()
}

/// Waits until the queue holds exactly what `done` accepts.
async fn wait_queue(env: &Env, done: impl Fn(&[LogoutDelivery]) -> bool) -> Vec<LogoutDelivery> {
    for _ in 0..500 {
        let q = queued(env).await;
        if done(&q) {
            return q;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the queue never settled: {:?}", queued(env).await);
}

/// A logout token verified against the tenant's JWKS with `alg` only;
/// returns its claims after checking its type.
async fn verified(env: &Env, token: &str, alg: Alg) -> serde_json::Map<String, Value> {
    let jwks = env.get("/jwks").await.json()["keys"].as_array().unwrap().clone();
    let v = trame_jose::Jwks::lenient(&jwks).verify(token, &[alg]).expect("signed by the tenant with the client's algorithm");
    assert_eq!(v.typ.as_deref(), Some("logout+jwt"));
    v.claims
}

fn logout_url(pairs: &[(&str, &str)]) -> String {
    format!("/logout?{}", encode(pairs))
}

fn report(delivered: usize, retried: usize, given_up: usize, skipped: usize) -> DeliveryReport {
    DeliveryReport { delivered, retried, given_up, skipped }
}

/// The `src` of every iframe of a page, unescaped.
fn frame_sources(body: &str) -> Vec<String> {
    body.split("<iframe").skip(1).map(|t| unescape(t.split("src=\"").nth(1).unwrap().split('"').next().unwrap())).collect()
}

backend_test!(
    async fn discovery_announces_both_channels(env) {
        let d = env.get("/.well-known/openid-configuration").await.json();
        for k in ["backchannel_logout_supported", "backchannel_logout_session_supported", "frontchannel_logout_supported", "frontchannel_logout_session_supported"] {
            assert_eq!(d[k], json!(true), "{k}");
        }
    }
);

backend_test!(
    async fn a_logout_token_reaches_the_relying_party_at_once(env) {
        let rp = Rp::start(&[], StatusCode::OK).await;
        let origin = "https://rp-a.example.fr";
        add_rp(&env, "rp-a", origin, rp.backchannel(), Alg::RS256).await;
        let mut b = env.browser();
        let id_token = id_token_for(&env, &mut b, "rp-a", origin).await;
        let id_claims = jwt_claims(&id_token);

        let bye = format!("{origin}/bye");
        let r = b.get(&logout_url(&[("id_token_hint", &id_token), ("post_logout_redirect_uri", &bye), ("state", "s-9")])).await;
        // No front channel registered: straight back to the client.
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location().as_deref(), Some(format!("{bye}?state=s-9").as_str()));
        assert_eq!(r.header("content-security-policy").as_deref(), Some(BASE_CSP));
        assert!(r.set_cookies().iter().any(|c| c.starts_with("trame_session_ville=;") && c.contains("Max-Age=0")), "{:?}", r.set_cookies());

        let tokens = rp.wait_for(1).await;
        assert_eq!(tokens.len(), 1);
        assert_eq!(rp.seen.lock().unwrap()[0].0, "application/x-www-form-urlencoded");
        let c = verified(&env, &tokens[0], Alg::RS256).await;
        let now = env.clock.now();
        assert_eq!(c["iss"], ISSUER);
        assert_eq!(c["aud"], "rp-a");
        assert_eq!(c["iat"], json!(now));
        assert_eq!(c["exp"], json!(now + 120));
        assert_eq!(c["jti"].as_str().unwrap().len(), 22, "128 random bits");
        assert_eq!(c["events"], json!({ EVENT: {} }));
        assert_eq!(c["sub"], id_claims["sub"], "the client's pairwise subject");
        assert_ne!(c["sub"], json!(env.user_id), "pairwise, not the user id");
        assert_eq!(c["sid"], id_claims["sid"]);
        assert!(c.get("nonce").is_none(), "never a nonce: {c:?}");
        let mut names: Vec<&str> = c.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["aud", "events", "exp", "iat", "iss", "jti", "sid", "sub"]);

        // Delivered, so no longer queued; the session is over.
        wait_queue(&env, |q| q.is_empty()).await;
        b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await.assert_redirect_error(BASIC_REDIRECT, "login_required", Some("st-123"));
    }
);

backend_test!(
    async fn only_the_clients_of_the_ended_session_are_told_each_with_its_own_sid(env) {
        let rp = Rp::start(&[], StatusCode::OK).await;
        for (id, origin) in [("rp-a", "https://rp-a.example.fr"), ("rp-b", "https://rp-b.example.fr"), ("rp-c", "https://rp-c.example.fr")] {
            add_rp(&env, id, origin, rp.backchannel(), Alg::ES256).await;
        }
        let mut b = env.browser();
        let token_a = id_token_for(&env, &mut b, "rp-a", "https://rp-a.example.fr").await;
        let token_b = id_token_for(&env, &mut b, "rp-b", "https://rp-b.example.fr").await;
        // The same person in another browser, signed in to rp-c only.
        let mut other = env.browser();
        let token_c = id_token_for(&env, &mut other, "rp-c", "https://rp-c.example.fr").await;

        // One session, two clients: two sids, each derived from the session's own.
        let (a, bb, cc) = (jwt_claims(&token_a), jwt_claims(&token_b), jwt_claims(&token_c));
        assert_ne!(a["sid"], bb["sid"]);
        let page = b.get("/account").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let current = page.body.split("<li>").find(|li| li.contains("name=\"sid\"") && li.contains("<strong>")).unwrap();
        let session_sid = current.split("name=\"sid\" value=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(a["sid"], client_sid(session_sid, "rp-a"));
        assert_eq!(bb["sid"], client_sid(session_sid, "rp-b"));
        assert_ne!(a["sid"], json!(session_sid));

        let r = b.get(&logout_url(&[("id_token_hint", &token_b)])).await;
        assert_eq!(r.status, StatusCode::OK, "the signed-out page: {}", r.body);
        assert!(r.input("logout").is_none() && r.body.contains("Votre session est fermée."), "signed out without a confirmation: {}", r.body);
        rp.wait_for(2).await;
        wait_queue(&env, |q| q.is_empty()).await;
        let mut got: Vec<(String, Value, Value)> = Vec::new();
        for t in rp.tokens() {
            let c = verified(&env, &t, Alg::ES256).await;
            got.push((c["aud"].as_str().unwrap().to_owned(), c["sid"].clone(), c["sub"].clone()));
        }
        got.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(got, [("rp-a".to_owned(), a["sid"].clone(), a["sub"].clone()), ("rp-b".to_owned(), bb["sid"].clone(), bb["sub"].clone())]);
        assert_ne!(a["sub"], bb["sub"], "pairwise subjects of two sectors");

        // The other browser's session is untouched, and told nothing.
        let r = other.authorize(&[("client_id", "rp-c"), ("redirect_uri", "https://rp-c.example.fr/cb"), ("response_type", "code"), ("scope", "openid"), ("prompt", "none")]).await;
        assert!(query_param(&r.location().unwrap(), "code").is_some(), "{:?}", r.location());
        assert_eq!(rp.tokens().len(), 2);
        assert_ne!(cc["sid"], a["sid"]);
    }
);

backend_test!(
    async fn a_refused_notification_is_retried_after_the_wait_then_removed(env) {
        let rp = Rp::start(&[StatusCode::INTERNAL_SERVER_ERROR], StatusCode::OK).await;
        add_rp(&env, "rp-a", "https://rp-a.example.fr", rp.backchannel(), Alg::ES256).await;
        let mut b = env.browser();
        let id_token = id_token_for(&env, &mut b, "rp-a", "https://rp-a.example.fr").await;
        b.get(&logout_url(&[("id_token_hint", &id_token)])).await;
        let t0 = env.clock.now();

        let first = rp.wait_for(1).await;
        let q = wait_queue(&env, |q| q.len() == 1 && q[0].attempts == 1 && q[0].next_attempt_at == t0 + 10).await;
        assert_eq!((q[0].client_id.as_str(), q[0].uri.clone()), ("rp-a", format!("{}/bc", rp.base)));

        assert_eq!(deliver_due(&env.state).await.unwrap(), report(0, 0, 0, 0), "not due yet");
        env.clock.advance(9);
        assert_eq!(deliver_due(&env.state).await.unwrap(), report(0, 0, 0, 0), "still not due");
        env.clock.advance(1);
        assert_eq!(deliver_due(&env.state).await.unwrap(), report(1, 0, 0, 0));
        let tokens = rp.tokens();
        assert_eq!(tokens.len(), 2);
        assert_eq!(tokens[1], first[0], "the same token while it is still valid");
        assert!(queued(&env).await.is_empty());
        env.clock.advance(3600);
        assert_eq!(deliver_due(&env.state).await.unwrap(), report(0, 0, 0, 0));
        assert_eq!(rp.tokens().len(), 2);
    }
);

backend_test!(
    async fn a_relying_party_that_never_accepts_is_given_up_after_the_last_attempt(env) {
        let rp = Rp::start(&[], StatusCode::SERVICE_UNAVAILABLE).await;
        add_rp(&env, "rp-a", "https://rp-a.example.fr", rp.backchannel(), Alg::EdDSA).await;
        let mut b = env.browser();
        let id_token = id_token_for(&env, &mut b, "rp-a", "https://rp-a.example.fr").await;
        let id_claims = jwt_claims(&id_token);
        b.get(&logout_url(&[("id_token_hint", &id_token)])).await;
        let t0 = env.clock.now();
        rp.wait_for(1).await;
        wait_queue(&env, |q| q.len() == 1 && q[0].attempts == 1 && q[0].next_attempt_at == t0 + 10).await;

        let waits = lifetimes::LOGOUT_RETRIES;
        assert_eq!(waits, [10, 60, 300, 1800, 7200]);
        let mut attempt_times = vec![t0];
        for (i, wait) in waits.iter().enumerate() {
            env.clock.advance(wait - 1);
            assert_eq!(deliver_due(&env.state).await.unwrap(), report(0, 0, 0, 0), "retry {i} not due a second early");
            env.clock.advance(1);
            attempt_times.push(env.clock.now());
            let last = i == waits.len() - 1;
            assert_eq!(deliver_due(&env.state).await.unwrap(), if last { report(0, 0, 1, 0) } else { report(0, 1, 0, 0) }, "retry {i}");
            assert_eq!(rp.tokens().len(), i + 2);
            if !last {
                let q = queued(&env).await;
                assert_eq!((q.len(), q[0].attempts, q[0].next_attempt_at), (1, i as i32 + 2, env.clock.now() + waits[i + 1]));
            }
        }
        assert!(queued(&env).await.is_empty(), "given up: removed");
        env.clock.advance(24 * 3600);
        assert_eq!(deliver_due(&env.state).await.unwrap(), report(0, 0, 0, 0));
        assert_eq!(rp.tokens().len(), 6, "six attempts in all");

        // Each attempt carries a token the relying party can accept: the
        // stored one while it lives, then the same claims signed anew.
        let tokens = rp.tokens();
        assert_eq!(tokens[0], tokens[1]);
        assert_eq!(tokens[0], tokens[2], "at t0+70 the first token has 50 s left");
        let mut jtis = Vec::new();
        for (t, at) in tokens.iter().zip(&attempt_times).skip(2) {
            let c = verified(&env, t, Alg::EdDSA).await;
            let issued = if *at - t0 < lifetimes::LOGOUT_TOKEN - 30 { t0 } else { *at };
            assert_eq!((c["iat"].as_i64(), c["exp"].as_i64()), (Some(issued), Some(issued + 120)), "attempt at {}", at - t0);
            assert!(c["exp"].as_i64().unwrap() > *at, "never sent expired");
            assert_eq!((&c["sub"], &c["sid"], &c["aud"], &c["iss"]), (&id_claims["sub"], &id_claims["sid"], &json!("rp-a"), &json!(ISSUER)));
            assert_eq!(c["events"], json!({ EVENT: {} }));
            assert!(c.get("nonce").is_none());
            jtis.push(c["jti"].as_str().unwrap().to_owned());
        }
        jtis.dedup();
        assert_eq!(jtis.len(), 4, "each new signature is a new token");
    }
);

/// A token-shaped value (the worker reads `exp` to decide whether to sign
/// again) that a test RP tells apart by `n`.
fn fake_token(exp: i64, n: usize) -> String {
    format!("e30.{}.c2ln", b64url(json!({ "exp": exp, "n": n }).to_string().as_bytes()))
}

backend_test!(
    async fn a_claimed_notification_is_not_delivered_twice(env) {
        let rp = Rp::start(&[], StatusCode::OK).await;
        let now = env.clock.now();
        let item = |n: usize| NewLogoutDelivery { tenant_id: env.tenant.id.clone(), client_id: "rp-a".into(), uri: format!("{}/bc", rp.base), logout_token: fake_token(now + 120, n), kind: Default::default() };
        env.state.store.queue_logout_deliveries((0..20).map(item).collect(), now).await.unwrap();

        // Two rounds at once, as two nodes would run them.
        let (x, y) = tokio::join!(deliver_due(&env.state), deliver_due(&env.state));
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(x.delivered + y.delivered, 20, "{x:?} {y:?}");
        assert_eq!((x.retried + y.retried, x.given_up + y.given_up), (0, 0));
        let mut tokens = rp.tokens();
        tokens.sort();
        let mut expected: Vec<String> = (0..20).map(|n| fake_token(now + 120, n)).collect();
        expected.sort();
        assert_eq!(tokens, expected, "each exactly once");
        assert!(queued(&env).await.is_empty());

        // A notification another node has claimed is left alone until its
        // lease runs out, then attempted again.
        let d = env.state.store.queue_logout_deliveries(vec![item(99)], now).await.unwrap().remove(0);
        assert!(env.state.store.claim_logout_delivery(&d, now + 30).await.unwrap());
        assert_eq!(deliver_due(&env.state).await.unwrap(), report(0, 0, 0, 0));
        env.clock.advance(29);
        assert_eq!(deliver_due(&env.state).await.unwrap(), report(0, 0, 0, 0));
        assert_eq!(rp.tokens().len(), 20);
        env.clock.advance(1);
        assert_eq!(deliver_due(&env.state).await.unwrap(), report(1, 0, 0, 0));
        assert_eq!(rp.tokens().last(), Some(&fake_token(now + 120, 99)));
    }
);

backend_test!(
    async fn ending_a_session_from_the_account_page_tells_its_clients(env) {
        let rp = Rp::start(&[], StatusCode::OK).await;
        add_rp(&env, "rp-a", "https://rp-a.example.fr", rp.backchannel(), Alg::ES256).await;
        let mut there = env.browser();
        let id_token = id_token_for(&env, &mut there, "rp-a", "https://rp-a.example.fr").await;
        let mut here = env.browser();
        let r = here.get("/account").await;
        let page = here.get(&r.location().unwrap()).await;
        here.submit_login(&page, USERNAME, PASSWORD).await;
        let page = here.get("/account").await;
        let csrf = page.input("csrf").unwrap();
        let other = page.body.split("<li>").find(|li| li.contains("name=\"sid\"") && !li.contains("<strong>")).unwrap();
        let other_sid = other.split("name=\"sid\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();

        let r = here.post("/account/sessions/end", &[("csrf", &csrf), ("sid", &other_sid)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let tokens = rp.wait_for(1).await;
        let c = verified(&env, &tokens[0], Alg::ES256).await;
        let id_claims = jwt_claims(&id_token);
        assert_eq!((&c["aud"], &c["sub"], &c["sid"]), (&json!("rp-a"), &id_claims["sub"], &id_claims["sid"]));
        assert_eq!(c["sid"], client_sid(&other_sid, "rp-a"));
        wait_queue(&env, |q| q.is_empty()).await;
        assert_eq!(rp.tokens().len(), 1, "the session that ended it had no clients to tell");
    }
);

backend_test!(
    async fn signing_in_again_keeps_the_session_and_its_clients(env) {
        let rp = Rp::start(&[], StatusCode::OK).await;
        add_rp(&env, "rp-a", "https://rp-a.example.fr", rp.backchannel(), Alg::ES256).await;
        let mut b = env.browser();
        let first = jwt_claims(&id_token_for(&env, &mut b, "rp-a", "https://rp-a.example.fr").await);
        // prompt=login: a new cookie, the same session for the clients.
        let params = [("client_id", "rp-a"), ("redirect_uri", "https://rp-a.example.fr/cb"), ("response_type", "code"), ("scope", "openid"), ("prompt", "login")];
        let old_cookie = b.cookie("trame_session").unwrap().clone();
        b.sign_in(&params, USERNAME, PASSWORD).await;
        assert_ne!(b.cookie("trame_session"), Some(&old_cookie));
        let again = jwt_claims(&id_token_for(&env, &mut b, "rp-a", "https://rp-a.example.fr").await);
        assert_eq!(again["sid"], first["sid"]);
        assert!(queued(&env).await.is_empty(), "nobody was signed out");
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(rp.tokens().is_empty(), "nobody was signed out");

        // Another person signing in in this browser ends the first session.
        add_user(&env.state.store, &env.tenant.id, "bob", PASSWORD, env.clock.now()).await;
        b.sign_in(&params, "bob", PASSWORD).await;
        let tokens = rp.wait_for(1).await;
        let c = verified(&env, &tokens[0], Alg::ES256).await;
        assert_eq!((&c["sub"], &c["sid"]), (&first["sub"], &first["sid"]));
    }
);

backend_test!(
    async fn the_front_channel_page_loads_each_client_then_goes_on(env) {
        let one = "https://rp-one.example.fr";
        let two = "https://rp-two.example.fr:8443";
        let fc = |uri: String, required: bool| LogoutChannels { frontchannel_uri: Some(uri), frontchannel_session_required: required, ..LogoutChannels::default() };
        add_rp(&env, "rp-one", one, fc(format!("{one}/fc?app=1"), true), Alg::ES256).await;
        add_rp(&env, "rp-two", two, fc(format!("{two}/fc"), false), Alg::ES256).await;
        add_rp(&env, "rp-none", "https://rp-none.example.fr", LogoutChannels::default(), Alg::ES256).await;
        let mut b = env.browser();
        let token_one = id_token_for(&env, &mut b, "rp-one", one).await;
        id_token_for(&env, &mut b, "rp-two", two).await;
        id_token_for(&env, &mut b, "rp-none", "https://rp-none.example.fr").await;
        let sid_one = jwt_claims(&token_one)["sid"].as_str().unwrap().to_owned();

        let bye = format!("{one}/bye");
        let r = b.get(&logout_url(&[("id_token_hint", &token_one), ("post_logout_redirect_uri", &bye), ("state", "s&1")])).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.is_html());
        let iss = url::form_urlencoded::byte_serialize(ISSUER.as_bytes()).collect::<String>();
        assert_eq!(frame_sources(&r.body), [format!("{one}/fc?app=1&iss={iss}&sid={sid_one}"), format!("{two}/fc")]);
        assert_eq!(r.body.matches("<iframe").count(), 2);
        assert!(r.body.contains(" hidden></iframe>"), "{}", r.body);
        assert_eq!(r.header("content-security-policy"), Some(format!("{BASE_CSP}; frame-src {one} {two}")));
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        // The way on: the validated post-logout URI with its state, by
        // script and by a visible link.
        let link = r.body.split("id=\"logout-continue\" href=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(unescape(link), format!("{bye}?state=s%261"));
        assert!(r.body.contains("<script src=\"/_trame/assets/frontchannel_logout.js\"></script>"));
        let script = env.get("/_trame/assets/frontchannel_logout.js").await;
        assert_eq!((script.status, script.header("content-type").as_deref()), (StatusCode::OK, Some("text/javascript; charset=utf-8")));
        assert!(script.body.contains("logout-continue") && script.body.contains("3000"));
        // The session is over, and its cookie cleared by this very page.
        assert!(r.set_cookies().iter().any(|c| c.starts_with("trame_session_ville=;") && c.contains("Max-Age=0")), "{:?}", r.set_cookies());
        let again = b.get(&logout_url(&[("id_token_hint", &token_one), ("post_logout_redirect_uri", &bye)])).await;
        assert_eq!(again.location().as_deref(), Some(bye.as_str()), "no session left, so no frames");
    }
);

backend_test!(
    async fn after_a_confirmation_the_front_channel_page_is_the_signed_out_page(env) {
        let one = "https://rp-one.example.fr";
        add_rp(&env, "rp-one", one, LogoutChannels { frontchannel_uri: Some(format!("{one}/fc")), frontchannel_session_required: true, ..LogoutChannels::default() }, Alg::ES256).await;
        let mut b = env.browser();
        let sid = jwt_claims(&id_token_for(&env, &mut b, "rp-one", one).await)["sid"].as_str().unwrap().to_owned();
        b.accept_language = Some("fr".into());
        let page = b.get("/logout").await;
        let r = b.post("/logout", &[("logout", &page.input("logout").unwrap()), ("csrf", &page.input("csrf").unwrap())]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let iss = url::form_urlencoded::byte_serialize(ISSUER.as_bytes()).collect::<String>();
        assert_eq!(frame_sources(&r.body), [format!("{one}/fc?iss={iss}&sid={sid}")]);
        assert_eq!(r.header("content-security-policy"), Some(format!("{BASE_CSP}; frame-src {one}")));
        assert!(r.body.contains("Votre session est fermée."), "{}", r.body);
        assert!(!r.body.contains("logout-continue") && !r.body.contains("<script"), "nowhere to go on to");
        assert!(r.set_cookies().iter().any(|c| c.starts_with("trame_session_ville=;") && c.contains("Max-Age=0")), "{:?}", r.set_cookies());
    }
);
