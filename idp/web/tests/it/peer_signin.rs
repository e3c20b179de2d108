//! Sign-in through a peer provider, as far as one instance can take it:
//! the test tenant (`ville`, commune A) accepts the citizens of the
//! providers its Trust Anchor lists; commune B is another tenant of the
//! same instance, so its chain, its list entry and its automatic
//! registration of commune A all happen in-process. The code exchange
//! needs commune B over the network: the whole round trip is the server's
//! loopback test (federation_peers.rs); here it fails as a peer that
//! cannot be reached fails.

use axum::http::StatusCode;
use serde_json::{Value, json};
use trame_core::federation::{HeldTrustMark, PeerSignIn, TrustAnchorConfig};
use trame_core::ids::{Issuer, TenantSlug};
use trame_core::tenant::Tenant;
use trame_federation::chain::{TrustAnchor, validate_chain};
use trame_federation::statement::ValidationOptions;
use trame_jose::{Alg, Jwks};
use trame_store::Subordinate;

use crate::common::*;

const A: &str = "https://idp.example";
const A_HOST: &str = "idp.example";
const TA: &str = "https://ta.example";
const B: &str = "https://b.example";
const B_HOST: &str = "b.example";
const MARK: &str = "https://ta.example/marks/commune";

async fn env_for(backend: trame_testkit::Backend) -> Env {
    Env::with(backend, A, A_HOST, vec![]).await
}

async fn tenant(env: &Env, slug: &str, issuer: &str) -> Tenant {
    env.state.store.create_tenant(&TenantSlug::parse(slug).unwrap(), &Issuer::parse(issuer).unwrap(), slug, env.clock.now()).await.unwrap()
}

async fn fed_jwks(env: &Env, t: &Tenant) -> Value {
    json!({ "keys": env.state.store.federation_keys(&t.id, env.clock.now()).await.unwrap().jwks })
}

async fn set(env: &Env, t: &Tenant, f: impl FnOnce(&mut trame_core::federation::FederationSettings)) -> Tenant {
    let mut s = t.federation.clone();
    f(&mut s);
    let t = env.state.store.set_federation_settings(t.slug.as_str(), &s).await.unwrap();
    env.refresh_catalog().await;
    t
}

fn subordinate(id: &str, jwks: Value, types: &[&str], policy: Option<Value>, now: i64) -> Subordinate {
    Subordinate {
        entity_id: id.into(),
        jwks,
        entity_types: types.iter().map(|t| (*t).to_owned()).collect(),
        intermediate: false,
        metadata_policy: policy,
        metadata_policy_crit: None,
        constraints: None,
        metadata: None,
        updated_at: now,
    }
}

/// TA lists A and B; B holds the TA's mark; A accepts peers holding
/// `required` marks. The TA's policy takes B's PAR endpoint out of its
/// metadata, so A sends its Request Object by the front channel and the
/// test can read it.
async fn federation(env: &Env, required: &[&str]) -> Tenant {
    let now = env.clock.now();
    let ta = tenant(env, "ta", TA).await;
    let b = tenant(env, "commune-b", B).await;
    let ta = set(env, &ta, |s| {
        s.authority = true;
        s.trust_mark_issuers.insert(MARK.into(), json!([TA]));
    })
    .await;
    let anchor = TrustAnchorConfig { entity_id: TA.into(), jwks: fed_jwks(env, &ta).await };
    let b = set(env, &b, |s| {
        s.authority_hints = vec![TA.into()];
        s.trust_anchors = vec![anchor.clone()];
        s.set_entity_metadata("organization_name", Some(json!("Ville de B"))).unwrap();
        s.set_entity_metadata("logo_uri", Some(json!("https://b.example/logo.png"))).unwrap();
    })
    .await;
    env.state.store.ensure_relying_party_key(&env.tenant.id, now).await.unwrap();
    let a = set(env, &env.tenant, |s| {
        s.authority_hints = vec![TA.into()];
        s.trust_anchors = vec![anchor];
        s.peer_sign_in = Some(PeerSignIn { list_from: TA.into(), required_trust_marks: required.iter().map(|m| (*m).to_owned()).collect() });
    })
    .await;
    let no_par = json!({"openid_provider": {"pushed_authorization_request_endpoint": {"value": null}}});
    env.state
        .store
        .put_subordinate(&ta.id, &subordinate(A, fed_jwks(env, &a).await, &["openid_provider", "openid_relying_party"], None, now), now)
        .await
        .unwrap();
    env.state.store.put_subordinate(&ta.id, &subordinate(B, fed_jwks(env, &b).await, &["openid_provider"], Some(no_par), now), now).await.unwrap();
    env.state.store.issue_trust_mark(&ta.id, MARK, B, None, now).await.unwrap();
    let mark = get_at(env, TA, &format!("/federation/trust_mark?{}", encode(&[("trust_mark_type", MARK), ("sub", B)]))).await;
    assert_eq!(mark.status, StatusCode::OK, "{}", mark.body);
    set(env, &b, |s| s.trust_marks = vec![HeldTrustMark { trust_mark_type: MARK.into(), trust_mark: mark.body.clone() }]).await;
    add_user(&env.state.store, &b.id, "marie", "un mot de passe long", now).await;
    b
}

/// A browser at commune A on the sign-in page of the basic client;
/// returns it with the interaction id.
async fn at_login(env: &Env, scope: &str) -> (Browser, String, Resp) {
    let mut browser = Browser::new(env.app.clone(), A_HOST);
    let (loc, page) = browser.login_page(&basic_params(scope)).await;
    let interaction = query_param(&loc, "interaction").unwrap();
    (browser, interaction, page)
}

/// Chooses commune B on the peers page; returns the redirect to B.
async fn choose_b(browser: &mut Browser, interaction: &str) -> Resp {
    let peers = browser.get(&format!("{A}/federation/peers?interaction={interaction}")).await;
    assert_eq!(peers.status, StatusCode::OK, "{}", peers.body);
    let csrf = peers.input("csrf").unwrap();
    browser.post(&format!("{A}/federation/peers"), &[("interaction", interaction), ("csrf", &csrf), ("peer", B)]).await
}

/// The Request Object A sent to B, from the redirect.
fn request_object(to_b: &str) -> String {
    query_param(to_b, "request").expect("a Request Object in the redirect to B")
}

backend_test_raw!(
    async fn the_sign_in_page_leads_to_the_peers_of_the_federation(backend) {
        let env = env_for(backend).await;
        federation(&env, &[MARK]).await;
        let (mut browser, interaction, login) = at_login(&env, "openid").await;
        assert!(login.body.contains(&format!("/federation/peers?interaction={interaction}")), "{}", login.body);
        let peers = browser.get(&format!("{A}/federation/peers?interaction={interaction}")).await;
        assert_eq!(peers.status, StatusCode::OK, "{}", peers.body);
        assert!(peers.body.contains("Ville de B"));
        assert_eq!(peers.input("peer").as_deref(), Some(B));
        assert!(!peers.body.contains("idp.example\""), "a provider is not its own peer");
        let found = browser.get(&format!("{A}/federation/peers?interaction={interaction}&q=b")).await;
        assert_eq!(found.input("peer").as_deref(), Some(B));
        let none = browser.get(&format!("{A}/federation/peers?interaction={interaction}&q=nantes")).await;
        assert_eq!(none.input("peer"), None);
        assert!(none.body.contains("nantes"));
        // Another browser cannot read this sign-in's page.
        let mut stranger = Browser::new(env.app.clone(), A_HOST);
        assert_eq!(stranger.get(&format!("{A}/federation/peers?interaction={interaction}")).await.status, StatusCode::FORBIDDEN);

        // The Entity Configuration: A as a relying party, with its own keys.
        let ec = trame_jose::decode(&get_at(&env, A, "/.well-known/openid-federation").await.body).unwrap().claims;
        let rp = &ec["metadata"]["openid_relying_party"];
        assert_eq!(rp["redirect_uris"], json!([format!("{A}/federation/callback")]));
        assert_eq!((rp["client_registration_types"].clone(), rp["token_endpoint_auth_method"].clone()), (json!(["automatic"]), json!("private_key_jwt")));
        let rp_kid = rp["jwks"]["keys"][0]["kid"].clone();
        let token_keys: Value = serde_json::from_str(&get_at(&env, A, "/jwks").await.body).unwrap();
        assert!(!ec["jwks"]["keys"].as_array().unwrap().iter().chain(token_keys["keys"].as_array().unwrap()).any(|k| k["kid"] == rp_kid));
        // B does not accept peers: no relying party metadata, no page.
        let b_ec = trame_jose::decode(&get_at(&env, B, "/.well-known/openid-federation").await.body).unwrap().claims;
        assert!(b_ec["metadata"].get("openid_relying_party").is_none());
        let mut at_b = Browser::new(env.app.clone(), B_HOST);
        assert_eq!(at_b.get(&format!("{B}/federation/peers?interaction={interaction}")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(at_b.get(&format!("{B}/federation/callback?state=x&code=y")).await.status, StatusCode::NOT_FOUND);
    }
);

backend_test_raw!(
    async fn a_peer_without_the_required_mark_is_not_offered(backend) {
        let env = env_for(backend).await;
        federation(&env, &["https://ta.example/marks/other"]).await;
        let (mut browser, interaction, _) = at_login(&env, "openid").await;
        let peers = browser.get(&format!("{A}/federation/peers?interaction={interaction}")).await;
        assert_eq!(peers.status, StatusCode::OK, "{}", peers.body);
        assert_eq!(peers.input("peer"), None, "{}", peers.body);
        // Nor accepted when chosen anyway.
        let csrf = peers.input("csrf").unwrap();
        let r = browser.post(&format!("{A}/federation/peers"), &[("interaction", &interaction), ("csrf", &csrf), ("peer", B)]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert!(r.location().is_none());
    }
);

backend_test_raw!(
    async fn choosing_a_peer_sends_a_request_object_with_the_tenants_own_chain(backend) {
        let env = env_for(backend).await;
        federation(&env, &[MARK]).await;
        let (mut browser, interaction, _) = at_login(&env, "openid profile").await;
        let r = choose_b(&mut browser, &interaction).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let to_b = r.location().unwrap();
        assert!(to_b.starts_with(&format!("{B}/authorize?")), "{to_b}");
        assert_eq!(query_param(&to_b, "client_id").as_deref(), Some(A));
        assert!(browser.cookies.keys().any(|k| k.trim_start_matches("__Host-").starts_with("trame_peer")), "the choice is remembered");

        let object = request_object(&to_b);
        let decoded = trame_jose::decode(&object).unwrap();
        assert_eq!(decoded.typ(), Some("oauth-authz-req+jwt"));
        // Its chain: A's Entity Configuration up to the anchor, valid.
        let chain: Vec<String> = serde_json::from_value(decoded.header["trust_chain"].clone()).unwrap();
        let ta_ec = trame_jose::decode(&get_at(&env, TA, "/.well-known/openid-federation").await.body).unwrap();
        let anchors = [TrustAnchor { entity_id: TA.into(), jwks: Jwks::parse(&ta_ec.claims["jwks"]).unwrap() }];
        let refs: Vec<&str> = chain.iter().map(String::as_str).collect();
        let valid = validate_chain(&refs, &anchors, &ValidationOptions::at(env.clock.now())).expect("A's chain validates");
        assert_eq!(valid.subject, A);
        // Signed with the relying party key the chain publishes.
        let rp_jwks = Jwks::parse(&valid.metadata["openid_relying_party"]["jwks"]).unwrap();
        decoded.verify_signature(&rp_jwks, &Alg::ALL).expect("signed with A's relying party key");
        let c = &decoded.claims;
        assert_eq!((c["iss"].as_str(), c["aud"].as_str(), c["client_id"].as_str()), (Some(A), Some(B), Some(A)));
        assert_eq!(c["redirect_uri"], format!("{A}/federation/callback"));
        assert_eq!(c["scope"], "openid profile", "what the service asked of the profile, and no more");
        assert_eq!(c["code_challenge_method"], "S256");
        assert!(c["nonce"].as_str().is_some_and(|n| n.len() >= 32) && c["state"].as_str().is_some_and(|s| s.len() >= 32) && c["jti"].is_string());

        // B takes it as an automatic registration of A, then signs marie in.
        let mut at_b = Browser::new(env.app.clone(), B_HOST);
        let r = at_b.get(&to_b).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let back = at_b.follow(r, "marie", "un mot de passe long").await;
        assert!(back.starts_with(&format!("{A}/federation/callback?")), "{back}");
        assert_eq!(query_param(&back, "iss").as_deref(), Some(B));
        assert_eq!(query_param(&back, "state"), c["state"].as_str().map(str::to_owned));
        let registered = env.state.store.list_clients(&env.state.catalog.by_entity_id(B).unwrap().tenant.id).await.unwrap();
        assert!(registered.iter().any(|cl| cl.id.as_str() == A && cl.federation.is_some()), "A registered at B automatically");

        // The code exchange needs B over the network, which this test has
        // not: back on A's sign-in page with the reason, nothing signed in.
        let r = browser.get(&back).await;
        assert_eq!(r.status, StatusCode::BAD_GATEWAY, "{}", r.body);
        assert!(r.body.contains("name=\"password\""), "back on the sign-in page");
        assert!(browser.cookie("trame_session").is_none());
        // The callback is single use.
        let again = browser.get(&back).await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
    }
);

backend_test_raw!(
    async fn callbacks_that_do_not_match_a_sign_in_of_this_browser_are_refused(backend) {
        let env = env_for(backend).await;
        federation(&env, &[MARK]).await;
        let state_of = |to_b: &str| trame_jose::decode(&request_object(to_b)).unwrap().claims["state"].as_str().unwrap().to_owned();
        let callback = |state: &str, rest: &str| format!("{A}/federation/callback?state={state}{rest}");

        // A state nobody issued.
        let (mut browser, interaction, _) = at_login(&env, "openid").await;
        let r = browser.get(&callback("forged", "&code=x")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);

        // Another browser brings the answer: refused, and the state is spent.
        let to_b = choose_b(&mut browser, &interaction).await.location().unwrap();
        let state = state_of(&to_b);
        let mut stranger = Browser::new(env.app.clone(), A_HOST);
        let r = stranger.get(&callback(&state, &format!("&code=x&iss={}", encode_component(B)))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(browser.get(&callback(&state, "&code=x")).await.status, StatusCode::BAD_REQUEST);

        // An answer naming another issuer (mix-up, RFC 9207).
        let to_b = choose_b(&mut browser, &interaction).await.location().unwrap();
        let r = browser.get(&callback(&state_of(&to_b), "&code=x&iss=https%3A%2F%2Fevil.example")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("name=\"password\""));

        // The citizen cancelled at B: back to the choices, with a word.
        let to_b = choose_b(&mut browser, &interaction).await.location().unwrap();
        let r = browser.get(&callback(&state_of(&to_b), "&error=access_denied")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("name=\"password\"") && r.body.contains("role=\"alert\""), "{}", r.body);
        assert!(browser.cookie("trame_session").is_none());
    }
);

backend_test_raw!(
    async fn bad_choices_and_logo_requests_are_refused(backend) {
        let env = env_for(backend).await;
        federation(&env, &[MARK]).await;
        let (mut browser, interaction, login) = at_login(&env, "openid").await;
        let csrf = login.input("csrf").unwrap();
        for (peer, csrf, status) in [
            ("https://unknown.example", csrf.as_str(), StatusCode::BAD_REQUEST),
            (TA, csrf.as_str(), StatusCode::BAD_REQUEST),
            (B, "wrong", StatusCode::FORBIDDEN),
            ("", csrf.as_str(), StatusCode::BAD_REQUEST),
        ] {
            let r = browser.post(&format!("{A}/federation/peers"), &[("interaction", &interaction), ("csrf", csrf), ("peer", peer)]).await;
            assert_eq!(r.status, status, "peer {peer:?}: {}", r.body);
            assert!(r.location().is_none());
        }
        // Logos: only a listed peer's, fetched by the server (B's cannot be
        // reached from this test: not found, not an error page of B's).
        let logo = |peer: &str| format!("{A}/federation/peers/logo?peer={}", encode_component(peer));
        let peers = browser.get(&format!("{A}/federation/peers?interaction={interaction}")).await;
        assert!(unescape(&peers.body).contains(&logo(B).replace(A, "")), "the page shows the logo from this origin: {}", peers.body);
        assert!(!peers.body.contains("b.example&#x2f;logo.png"), "never the peer's own URL");
        assert_eq!(browser.get(&logo("https://unknown.example")).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(browser.get(&logo(B)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(browser.get(&format!("{A}/federation/peers/logo")).await.status, StatusCode::BAD_REQUEST);
        // A page without its interaction.
        assert_eq!(browser.get(&format!("{A}/federation/peers")).await.status, StatusCode::BAD_REQUEST);
    }
);

backend_test_raw!(
    async fn the_peer_logo_proxy_is_throttled_per_address(backend) {
        let env = env_for(backend).await;
        federation(&env, &[MARK]).await;
        let mut browser = Browser::new(env.app.clone(), A_HOST);
        let logo = |peer: &str| format!("{A}/federation/peers/logo?peer={}", encode_component(peer));
        // B's logo cannot be reached from the test (logo_uri must be https):
        // not found, and the failure is kept like a logo.
        for _ in 0..3 {
            assert_eq!(browser.get(&logo(B)).await.status, StatusCode::NOT_FOUND);
        }
        // 300 requests per address and window, whatever they ask for.
        for _ in 3..300 {
            assert_eq!(browser.get(&logo("https://unknown.example")).await.status, StatusCode::BAD_REQUEST);
        }
        assert_eq!(browser.get(&logo(B)).await.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(browser.get(&logo("https://unknown.example")).await.status, StatusCode::TOO_MANY_REQUESTS);
        // Another address is not held back.
        browser.peer = std::net::SocketAddr::from(([198, 51, 100, 2], 50000));
        assert_eq!(browser.get(&logo(B)).await.status, StatusCode::NOT_FOUND);
    }
);

fn encode_component(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
