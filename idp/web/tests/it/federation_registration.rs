//! Relying parties registering through their trust chain (OpenID
//! Federation §12): automatically, with a Request Object at the
//! authorization endpoint or with a pushed request, and explicitly, by
//! posting their Entity Configuration. The provider is the test tenant
//! (`ville`), trusting a Trust Anchor tenant of the same instance; the
//! relying party is not a tenant: its statements are made here and its
//! chain is supplied (a `trust_chain` header), since it has no server to
//! fetch from (the fetching path is the server's federation test).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Map, Value, json};
use trame_core::client::RegistrationKind;
use trame_core::federation::TrustAnchorConfig;
use trame_core::ids::{Issuer, TenantSlug};
use trame_core::tenant::Tenant;
use trame_federation::statement::EntityStatement;
use trame_jose::{Alg, Jwks, SigningKey};
use trame_store::Subordinate;

use crate::common::*;

const TA: &str = "https://ta.example";
const RP: &str = "https://rp.example";
const RP_REDIRECT: &str = "https://rp.example/cb";

fn claims(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

/// A relying party of the federation: its federation key (its Entity
/// Configuration) and, apart, the key it signs requests with (the `jwks`
/// of its `openid_relying_party` metadata).
struct Rp {
    federation_key: SigningKey,
    key: SigningKey,
    registration_types: Vec<&'static str>,
}

impl Rp {
    fn new() -> Self {
        Self {
            federation_key: SigningKey::generate(Alg::ES256, None).unwrap().0,
            key: SigningKey::generate(Alg::ES256, None).unwrap().0,
            registration_types: vec!["automatic", "explicit"],
        }
    }

    fn federation_jwks(&self) -> Jwks {
        Jwks::from_keys(&[self.federation_key.public_jwk().clone()]).unwrap()
    }

    fn metadata(&self) -> Map<String, Value> {
        claims(json!({"openid_relying_party": {
            "client_name": "Médiathèque",
            "redirect_uris": [RP_REDIRECT],
            "response_types": ["code"],
            "grant_types": ["authorization_code", "refresh_token"],
            "scope": "openid profile email",
            "token_endpoint_auth_method": "private_key_jwt",
            "client_registration_types": self.registration_types,
            "jwks": {"keys": [self.key.public_jwk()]},
        }}))
    }

    /// Its Entity Configuration; `aud` and the `trust_chain` header for an
    /// explicit registration.
    fn entity_configuration(&self, now: i64, aud: Option<&str>, header_chain: Option<&[String]>) -> String {
        let mut ec = EntityStatement::new(RP, RP, now, now + 3600, self.federation_jwks());
        ec.authority_hints = Some(vec![TA.into()]);
        ec.metadata = Some(self.metadata());
        let mut c = ec.to_claims();
        if let Some(aud) = aud {
            c.insert("aud".into(), json!(aud));
        }
        let mut h = Map::new();
        if let Some(chain) = header_chain {
            h.insert("trust_chain".into(), json!(chain));
        }
        self.federation_key.sign_with_header("entity-statement+jwt", &c, &h).unwrap()
    }

    /// `[EC(RP), SS(TA → RP), EC(TA)]`, the statements as the Trust Anchor
    /// serves them.
    async fn chain(&self, env: &Env) -> Vec<String> {
        let ss = get_at(env, TA, &format!("/federation/fetch?{}", encode(&[("sub", RP)]))).await;
        assert_eq!(ss.status, StatusCode::OK, "{}", ss.body);
        let ta = get_at(env, TA, "/.well-known/openid-federation").await;
        vec![self.entity_configuration(env.clock.now(), None, None), ss.body, ta.body]
    }

    fn request_object(&self, claims_: Value, chain: Option<&[String]>) -> String {
        sign_request(&self.key, claims_, chain)
    }

    fn assertion(&self, env: &Env, aud: &str) -> String {
        let now = env.clock.now();
        let c = claims(json!({"iss": RP, "sub": RP, "aud": aud, "iat": now, "exp": now + 60, "jti": format!("a-{}", rand_suffix())}));
        self.key.sign("JWT", &c).unwrap()
    }
}

fn sign_request(key: &SigningKey, claims_: Value, chain: Option<&[String]>) -> String {
    let mut h = Map::new();
    if let Some(chain) = chain {
        h.insert("trust_chain".into(), json!(chain));
    }
    key.sign_with_header("oauth-authz-req+jwt", &claims(claims_), &h).unwrap()
}

fn rand_suffix() -> String {
    trame_core::crypto::random_token(&trame_core::OsRandom)
}

/// The authorization request a federation relying party signs.
fn request_claims(env: &Env, jti: &str) -> Value {
    let now = env.clock.now();
    json!({
        "iss": RP, "aud": ISSUER, "iat": now, "exp": now + 120, "jti": jti,
        "client_id": RP, "response_type": "code", "scope": "openid profile",
        "redirect_uri": RP_REDIRECT, "state": "inside", "nonce": "n-1",
        "code_challenge": CHALLENGE, "code_challenge_method": "S256",
    })
}

fn with(mut v: Value, k: &str, x: Option<Value>) -> Value {
    match x {
        Some(x) => v[k] = x,
        None => {
            v.as_object_mut().unwrap().remove(k);
        }
    }
    v
}

/// The Trust Anchor (a tenant) with the relying party enrolled, and the
/// test tenant trusting it.
async fn federation(env: &Env, rp: &Rp) -> Tenant {
    let now = env.clock.now();
    let ta = env.state.store.create_tenant(&TenantSlug::parse("ta").unwrap(), &Issuer::parse(TA).unwrap(), "Fédération", now).await.unwrap();
    let mut s = ta.federation.clone();
    s.authority = true;
    env.state.store.set_federation_settings("ta", &s).await.unwrap();
    let sub = Subordinate {
        entity_id: RP.into(),
        jwks: rp.federation_jwks().to_json(),
        entity_types: vec!["openid_relying_party".into()],
        intermediate: false,
        metadata_policy: Some(json!({"openid_relying_party": {"contacts": {"add": ["dpo@rp.example"]}}})),
        metadata_policy_crit: None,
        constraints: None,
        metadata: None,
        updated_at: now,
    };
    env.state.store.put_subordinate(&ta.id, &sub, now).await.unwrap();
    let keys = env.state.store.federation_keys(&ta.id, now).await.unwrap();
    let mut op = env.tenant.federation.clone();
    op.trust_anchors = vec![TrustAnchorConfig { entity_id: TA.into(), jwks: json!({ "keys": keys.jwks }) }];
    env.state.store.set_federation_settings(env.tenant.slug.as_str(), &op).await.unwrap();
    env.refresh_catalog().await;
    ta
}

async fn stored(env: &Env) -> Option<trame_core::client::Client> {
    env.state.store.client(&env.tenant.id, RP).await.unwrap()
}

/// The chain's expiry: the first statement to expire.
fn chain_exp(chain: &[String]) -> i64 {
    chain.iter().map(|s| trame_jose::decode(s).unwrap().claims["exp"].as_i64().unwrap()).min().unwrap()
}

async fn redeem(env: &Env, rp: &Rp, code: &str) -> Resp {
    let assertion = rp.assertion(env, &format!("{ISSUER}/token"));
    env.post_form(
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", RP_REDIRECT),
            ("code_verifier", VERIFIER),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", &assertion),
        ],
        None,
    )
    .await
}

backend_test!(async fn a_relying_party_registers_automatically_with_its_first_request_object(env) {
    let rp = Rp::new();
    federation(&env, &rp).await;
    // (The Entity Configuration's registration members: federation.rs, whose
    // provider has an https issuer, as an Entity Identifier must.)
    let d = env.get("/.well-known/openid-configuration").await.json();
    assert_eq!(d["pushed_authorization_request_endpoint"], format!("{ISSUER}/par"));

    let chain = rp.chain(&env).await;
    let request = rp.request_object(request_claims(&env, "j-1"), Some(&chain));
    assert!(stored(&env).await.is_none());
    let mut b = env.browser();
    // Outside values are ignored: only the Request Object counts.
    let r = b.authorize(&[("client_id", RP), ("response_type", "code"), ("scope", "openid"), ("state", "outside"), ("request", &request)]).await;
    let to_rp = b.follow(r, USERNAME, PASSWORD).await;
    assert!(to_rp.starts_with(&format!("{RP_REDIRECT}?")), "{to_rp}");
    assert_eq!(query_param(&to_rp, "state").as_deref(), Some("inside"));
    let code = query_param(&to_rp, "code").unwrap();

    let client = stored(&env).await.expect("registered");
    let reg = client.federation.clone().unwrap();
    assert_eq!((reg.kind, reg.trust_anchor.as_str(), reg.expires_at), (RegistrationKind::Automatic, TA, chain_exp(&chain)));
    assert_eq!(client.auth_method.as_str(), "private_key_jwt");
    assert_eq!(client.info.contacts, vec!["dpo@rp.example".to_owned()], "the Trust Anchor's policy applied");

    let t = redeem(&env, &rp, &code).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.body);
    let id = jwt_claims(t.json()["id_token"].as_str().unwrap());
    assert_eq!((id["aud"].as_str(), id["nonce"].as_str()), (Some(RP), Some("n-1")));

    // The same object again: its jti is spent. Registered now, so the error
    // is the request's, shown on a page (no redirect URI outside it).
    let again = b.authorize(&[("client_id", RP), ("request", &request)]).await;
    again.assert_page(StatusCode::BAD_REQUEST);
    assert!(again.body.contains("already used"), "{}", again.body);

    // The registration lapses with its chain: the relying party is
    // unknown until it registers again, with a fresh chain.
    env.clock.advance(chain_exp(&chain) - env.clock.now() + 1);
    let plain = b.authorize(&[("client_id", RP), ("redirect_uri", RP_REDIRECT), ("response_type", "code"), ("scope", "openid"), ("code_challenge", CHALLENGE), ("code_challenge_method", "S256")]).await;
    plain.assert_page(StatusCode::BAD_REQUEST);
    let assertion = rp.assertion(&env, &format!("{ISSUER}/token"));
    let cc = env.post_form("/token", &[("grant_type", "refresh_token"), ("refresh_token", "x"), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", &assertion)], None).await;
    cc.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
    let fresh = rp.chain(&env).await;
    let renewed = rp.request_object(request_claims(&env, "j-2"), Some(&fresh));
    let r = b.authorize(&[("client_id", RP), ("request", &renewed)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(stored(&env).await.unwrap().federation.unwrap().expires_at, chain_exp(&fresh));
});

backend_test!(async fn trust_failures_never_redirect_and_store_nothing(env) {
    let rp = Rp::new();
    federation(&env, &rp).await;
    let chain = rp.chain(&env).await;
    let good = request_claims(&env, "j");
    let outer = |req: &str| vec![("client_id", RP.to_owned()), ("redirect_uri", RP_REDIRECT.to_owned()), ("state", "s".to_owned()), ("request", req.to_owned())];
    let mut tampered = chain.clone();
    tampered[0] = rp.entity_configuration(env.clock.now(), None, None).replace('.', ".x");
    let other_ta = {
        // A Trust Anchor this tenant does not trust, same shape.
        let key = SigningKey::generate(Alg::ES256, None).unwrap().0;
        let now = env.clock.now();
        let ec = EntityStatement::new(TA, TA, now, now + 3600, Jwks::from_keys(&[key.public_jwk().clone()]).unwrap());
        let mut c = chain.clone();
        c[2] = key.sign("entity-statement+jwt", &ec.to_claims()).unwrap();
        c
    };
    let cases: Vec<(&str, String)> = vec![
        ("tampered trust_chain", rp.request_object(good.clone(), Some(&tampered))),
        ("trust anchor with other keys", rp.request_object(good.clone(), Some(&other_ta))),
        ("no chain, and no server to fetch it from", rp.request_object(good.clone(), None)),
        ("signed with the federation key", sign_request(&rp.federation_key, good.clone(), Some(&chain))),
        ("aud with another audience", rp.request_object(with(good.clone(), "aud", Some(json!([ISSUER, "https://other.example"]))), Some(&chain))),
        ("sub present", rp.request_object(with(good.clone(), "sub", Some(json!(RP))), Some(&chain))),
        ("no jti", rp.request_object(with(good.clone(), "jti", None), Some(&chain))),
        ("expired", rp.request_object(with(good.clone(), "exp", Some(json!(env.clock.now() - 3600))), Some(&chain))),
        ("trust_chain not an array", {
            let mut h = Map::new();
            h.insert("trust_chain".into(), json!("x"));
            rp.key.sign_with_header("oauth-authz-req+jwt", &claims(good.clone()), &h).unwrap()
        }),
        ("not a JWT", "garbage".to_owned()),
    ];
    for (why, req) in cases {
        let params = outer(&req);
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = env.browser().authorize(&pairs).await;
        r.assert_page(StatusCode::BAD_REQUEST);
        assert!(r.location().is_none(), "{why}: never a redirect");
        assert!(stored(&env).await.is_none(), "{why}: nothing stored");
    }

    // A relying party whose metadata does not allow automatic registration.
    let mut explicit_only = Rp::new();
    explicit_only.registration_types = vec!["explicit"];
    let ta = env.state.store.tenant_by_slug("ta").await.unwrap().unwrap();
    let sub = env.state.store.subordinate(&ta.id, RP).await.unwrap().unwrap();
    env.state.store.put_subordinate(&ta.id, &Subordinate { jwks: explicit_only.federation_jwks().to_json(), ..sub }, env.clock.now()).await.unwrap();
    let c = explicit_only.chain(&env).await;
    let r = env.browser().authorize(&[("client_id", RP), ("request", &explicit_only.request_object(request_claims(&env, "k"), Some(&c)))]).await;
    r.assert_page(StatusCode::BAD_REQUEST);
    assert!(stored(&env).await.is_none());

    // A tenant trusting no anchor treats the entity as an unknown client.
    let mut none = env.tenant.federation.clone();
    none.trust_anchors.clear();
    env.state.store.set_federation_settings(env.tenant.slug.as_str(), &none).await.unwrap();
    env.refresh_catalog().await;
    let r = env.browser().authorize(&[("client_id", RP), ("request", &rp.request_object(request_claims(&env, "m"), Some(&chain)))]).await;
    r.assert_page(StatusCode::BAD_REQUEST);
    assert!(stored(&env).await.is_none());
});

backend_test!(async fn a_relying_party_registers_automatically_through_a_pushed_request(env) {
    let rp = Rp::new();
    federation(&env, &rp).await;
    let chain = rp.chain(&env).await;
    let push = |assertion: String, request: String| {
        let env = &env;
        async move {
            env.post_form("/par", &[("client_id", RP), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", &assertion), ("request", &request)], None).await
        }
    };
    // An assertion the relying party's keys did not sign: nothing stored.
    let impostor = SigningKey::generate(Alg::ES256, None).unwrap().0;
    let now = env.clock.now();
    let forged = impostor.sign("JWT", &claims(json!({"iss": RP, "sub": RP, "aud": ISSUER, "iat": now, "exp": now + 60, "jti": "f"}))).unwrap();
    push(forged, rp.request_object(request_claims(&env, "p0"), Some(&chain))).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
    assert!(stored(&env).await.is_none());
    // A broken chain: a federation error, as JSON.
    let mut broken = chain.clone();
    broken.remove(1);
    let r = push(rp.assertion(&env, ISSUER), rp.request_object(request_claims(&env, "p1"), Some(&broken))).await;
    r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_trust_chain");
    assert!(stored(&env).await.is_none());

    let r = push(rp.assertion(&env, ISSUER), rp.request_object(request_claims(&env, "p2"), Some(&chain))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let uri = r.json()["request_uri"].as_str().unwrap().to_owned();
    assert!(uri.starts_with("urn:ietf:params:oauth:request_uri:"));
    assert_eq!(stored(&env).await.unwrap().federation.unwrap().kind, RegistrationKind::Automatic);
    let mut b = env.browser();
    let r = b.authorize(&[("client_id", RP), ("request_uri", &uri)]).await;
    let to_rp = b.follow(r, USERNAME, PASSWORD).await;
    let code = query_param(&to_rp, "code").expect("a code");
    assert_eq!(redeem(&env, &rp, &code).await.status, StatusCode::OK);
});

async fn post_registration(env: &Env, content_type: &str, body: String) -> Resp {
    env.send(Request::post("/federation/register").header(header::HOST, HOST).header(header::CONTENT_TYPE, content_type).body(Body::from(body)).unwrap()).await
}

backend_test!(async fn explicit_registration_answers_with_a_signed_registration_bounded_by_the_chain(env) {
    let rp = Rp::new();
    federation(&env, &rp).await;
    let chain = rp.chain(&env).await;
    let now = env.clock.now();
    let ec = rp.entity_configuration(now, Some(ISSUER), Some(&chain));
    let r = post_registration(&env, "application/entity-statement+jwt", ec).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type").as_deref(), Some("application/explicit-registration-response+jwt"));
    // Signed with the provider's federation keys, not its token keys.
    let keys = env.state.store.federation_keys(&env.tenant.id, now).await.unwrap();
    let decoded = trame_jose::decode(&r.body).unwrap();
    decoded.verify_signature(&Jwks::from_keys(&keys.jwks).unwrap(), &[Alg::ES256]).expect("signed with a federation key");
    assert_eq!(decoded.typ(), Some("explicit-registration-response+jwt"));
    let c = &decoded.claims;
    assert_eq!((c["iss"].as_str(), c["sub"].as_str(), c["aud"].as_str()), (Some(ISSUER), Some(RP), Some(RP)));
    assert_eq!((c["exp"].as_i64(), c["trust_anchor"].as_str()), (Some(chain_exp(&chain)), Some(TA)));
    assert_eq!(c["authority_hints"], json!([TA]));
    assert_eq!(c["metadata"]["openid_relying_party"]["client_id"], RP);
    assert!(c["metadata"]["openid_relying_party"].get("client_secret").is_none());
    let client = stored(&env).await.unwrap();
    assert_eq!(client.federation.as_ref().unwrap().kind, RegistrationKind::Explicit);

    // A chain as the body registers again, replacing the registration.
    let later = rp.chain(&env).await;
    let mut body = later.clone();
    body[0] = rp.entity_configuration(env.clock.now(), Some(ISSUER), None);
    let r = post_registration(&env, "application/trust-chain+json", json!(body).to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(env.state.store.list_clients(&env.tenant.id).await.unwrap().iter().filter(|c| c.id.as_str() == RP).count(), 1);

    // The registered client signs in with a Request Object, no chain needed.
    let mut b = env.browser();
    let r = b.authorize(&[("client_id", RP), ("request", &rp.request_object(request_claims(&env, "e1"), None))]).await;
    let to_rp = b.follow(r, USERNAME, PASSWORD).await;
    assert!(query_param(&to_rp, "code").is_some(), "{to_rp}");
});

backend_test!(async fn explicit_registration_refusals(env) {
    let rp = Rp::new();
    federation(&env, &rp).await;
    let chain = rp.chain(&env).await;
    let now = env.clock.now();
    let ec = |aud: Option<&str>| rp.entity_configuration(now, aud, Some(&chain));
    let mut tampered = chain.clone();
    tampered[1] = tampered[1].replace('.', ".x");
    let cases: Vec<(&str, String, &str)> = vec![
        ("application/entity-statement+jwt", ec(Some("https://other.example")), "invalid_request"),
        ("application/entity-statement+jwt", ec(None), "invalid_request"),
        ("application/entity-statement+jwt", rp.entity_configuration(now, Some(ISSUER), Some(&tampered)), "invalid_trust_chain"),
        ("application/entity-statement+jwt", "garbage".into(), "invalid_request"),
        ("application/json", ec(Some(ISSUER)), "invalid_request"),
        ("application/trust-chain+json", "{}".into(), "invalid_request"),
        ("application/trust-chain+json", "[]".into(), "invalid_request"),
        ("application/trust-chain+json", json!(chain).to_string(), "invalid_request"),
    ];
    for (ct, body, error) in cases {
        let r = post_registration(&env, ct, body).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, error);
    }
    assert!(stored(&env).await.is_none());

    let mut automatic_only = Rp::new();
    automatic_only.registration_types = vec!["automatic"];
    let ta = env.state.store.tenant_by_slug("ta").await.unwrap().unwrap();
    let sub = env.state.store.subordinate(&ta.id, RP).await.unwrap().unwrap();
    env.state.store.put_subordinate(&ta.id, &Subordinate { jwks: automatic_only.federation_jwks().to_json(), ..sub }, now).await.unwrap();
    let c = automatic_only.chain(&env).await;
    let r = post_registration(&env, "application/entity-statement+jwt", automatic_only.entity_configuration(now, Some(ISSUER), Some(&c))).await;
    r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_client_metadata");
    assert!(stored(&env).await.is_none());

    // Without a trusted anchor there is no registration endpoint.
    let mut none = env.tenant.federation.clone();
    none.trust_anchors.clear();
    env.state.store.set_federation_settings(env.tenant.slug.as_str(), &none).await.unwrap();
    env.refresh_catalog().await;
    let r = post_registration(&env, "application/entity-statement+jwt", ec(Some(ISSUER))).await;
    r.assert_oauth(StatusCode::NOT_FOUND, "not_found");
});
