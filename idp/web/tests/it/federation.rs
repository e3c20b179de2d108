//! The federation endpoints of a tenant (OpenID Federation 1.0): a Trust
//! Anchor, an Intermediate and an OpenID Provider, three tenants of one
//! instance, so chains are built in-process (the HTTP path is exercised by
//! the server's multi-process federation test).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use trame_core::federation::{FederationSettings, HeldTrustMark, TrustAnchorConfig};
use trame_core::ids::{Issuer, TenantSlug};
use trame_core::tenant::Tenant;
use trame_federation::chain::{TrustAnchor, validate_chain};
use trame_federation::statement::{ParsedStatement, ValidationOptions, verify_entity_configuration};
use trame_jose::{Alg, Jwks};
use trame_store::Subordinate;

use crate::common::*;

const TA: &str = "https://ta.example";
const INT: &str = "https://region.example";
const OP: &str = "https://op.example/lyon";
const MARK: &str = "https://ta.example/marks/commune";

async fn post_at(env: &Env, entity: &str, path: &str, form: &[(&str, &str)]) -> Resp {
    let (host, path) = host_path(entity, path);
    let req = Request::post(path)
        .header(header::HOST, host)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(encode(form)))
        .unwrap();
    env.send(req).await
}

async fn tenant(env: &Env, slug: &str, issuer: &str) -> Tenant {
    env.state.store.create_tenant(&TenantSlug::parse(slug).unwrap(), &Issuer::parse(issuer).unwrap(), slug, env.clock.now()).await.unwrap()
}

async fn fed_jwks(env: &Env, t: &Tenant) -> Value {
    let keys = env.state.store.federation_keys(&t.id, env.clock.now()).await.unwrap();
    json!({ "keys": keys.jwks })
}

async fn set(env: &Env, t: &Tenant, f: impl FnOnce(&mut FederationSettings)) -> Tenant {
    let mut s = t.federation.clone();
    f(&mut s);
    let t = env.state.store.set_federation_settings(t.slug.as_str(), &s).await.unwrap();
    env.refresh_catalog().await;
    t
}

fn opts(env: &Env) -> ValidationOptions {
    ValidationOptions::at(env.clock.now())
}

struct Federation {
    ta: Tenant,
    int: Tenant,
    op: Tenant,
}

/// TA ← region (Intermediate) ← OP, with a policy at the TA and a Trust
/// Mark the TA issued to the OP, which shows it.
async fn federation(env: &Env) -> Federation {
    let ta = tenant(env, "ta", TA).await;
    let int = tenant(env, "region", INT).await;
    let op = tenant(env, "lyon", OP).await;
    let ta = set(env, &ta, |s| {
        s.authority = true;
        s.trust_mark_issuers.insert(MARK.into(), json!([TA]));
        s.set_entity_metadata("organization_name", Some(json!("Fédération des collectivités"))).unwrap();
    })
    .await;
    let int = set(env, &int, |s| {
        s.authority = true;
        s.authority_hints = vec![TA.into()];
    })
    .await;
    let ta_jwks = fed_jwks(env, &ta).await;
    let op = set(env, &op, |s| {
        s.authority_hints = vec![INT.into()];
        s.trust_anchors = vec![TrustAnchorConfig { entity_id: TA.into(), jwks: ta_jwks }];
    })
    .await;
    let now = env.clock.now();
    let policy = json!({"openid_provider": {
        "id_token_signing_alg_values_supported": {"subset_of": ["ES256", "PS256"]},
        "contacts": {"add": ["federation@ta.example"]}
    }});
    let int_sub = Subordinate {
        entity_id: INT.into(),
        jwks: fed_jwks(env, &int).await,
        entity_types: vec!["federation_entity".into()],
        intermediate: true,
        metadata_policy: Some(policy),
        metadata_policy_crit: None,
        constraints: Some(json!({"max_path_length": 1})),
        metadata: None,
        updated_at: now,
    };
    env.state.store.put_subordinate(&ta.id, &int_sub, now).await.unwrap();
    let op_sub = Subordinate {
        entity_id: OP.into(),
        jwks: fed_jwks(env, &op).await,
        entity_types: vec!["openid_provider".into(), "federation_entity".into()],
        intermediate: false,
        metadata_policy: None,
        metadata_policy_crit: None,
        constraints: None,
        metadata: None,
        updated_at: now,
    };
    env.state.store.put_subordinate(&int.id, &op_sub, now).await.unwrap();
    env.state.store.issue_trust_mark(&ta.id, MARK, OP, None, now).await.unwrap();
    let mark = get_at(env, TA, &format!("/federation/trust_mark?{}", encode(&[("trust_mark_type", MARK), ("sub", OP)]))).await;
    assert_eq!(mark.status, StatusCode::OK, "{}", mark.body);
    let op = set(env, &op, |s| s.trust_marks = vec![HeldTrustMark { trust_mark_type: MARK.into(), trust_mark: mark.body.clone() }]).await;
    Federation { ta, int, op }
}

backend_test!(async fn entity_configuration_is_self_signed_with_federation_keys_apart_from_token_keys(env) {
    let f = federation(&env).await;
    let r = get_at(&env, OP, "/.well-known/openid-federation").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type").as_deref(), Some("application/entity-statement+jwt"));
    let ec = verify_entity_configuration(&r.body, None, &opts(&env)).expect("a valid, self-signed Entity Configuration").statement;
    assert_eq!((ec.iss.as_str(), ec.sub.as_str()), (OP, OP));
    assert_eq!(ec.authority_hints, Some(vec![INT.to_owned()]));
    let md = ec.metadata.as_ref().unwrap();
    assert_eq!(md["openid_provider"]["issuer"], OP);
    assert_eq!(md["openid_provider"]["token_endpoint"], format!("{OP}/token"));
    // It trusts an anchor: relying parties of the federation register with it.
    assert_eq!(md["openid_provider"]["client_registration_types_supported"], json!(["automatic", "explicit"]));
    assert_eq!(md["openid_provider"]["federation_registration_endpoint"], format!("{OP}/federation/register"));
    assert_eq!(md["openid_provider"]["request_authentication_methods_supported"]["authorization_endpoint"], json!(["request_object"]));
    let fe = &md["federation_entity"];
    assert_eq!(fe["organization_name"], "lyon");
    assert!(fe.get("federation_fetch_endpoint").is_none(), "a leaf publishes no fetch endpoint (§5.1.1)");
    assert_eq!(fe["federation_resolve_endpoint"], format!("{OP}/federation/resolve"));
    assert!(fe.get("jwks").is_none());
    assert_eq!(ec.trust_marks.as_ref().unwrap()[0].trust_mark_type, MARK);

    // Federation keys are not the token keys.
    let token_jwks = get_at(&env, OP, "/jwks").await.json();
    let token_kids: Vec<&str> = token_jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert!(ec.jwks.kids().all(|k| !token_kids.contains(&k)));
    for k in ec.jwks.to_json()["keys"].as_array().unwrap() {
        for private in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            assert!(k.get(private).is_none());
        }
    }

    let ta = verify_entity_configuration(&get_at(&env, TA, "/.well-known/openid-federation").await.body, None, &opts(&env)).unwrap().statement;
    assert!(ta.authority_hints.is_none(), "a Trust Anchor has no superiors");
    let fe = &ta.metadata.as_ref().unwrap()["federation_entity"];
    assert_eq!(fe["federation_fetch_endpoint"], format!("{TA}/federation/fetch"));
    assert_eq!(fe["federation_list_endpoint"], format!("{TA}/federation/list"));
    assert_eq!(fe["organization_name"], "Fédération des collectivités");
    assert_eq!(ta.trust_mark_issuers.as_ref().unwrap()[MARK], json!([TA]));
    let _ = f;
});

backend_test!(async fn fetch_serves_subordinate_statements_and_refuses_bad_requests(env) {
    let f = federation(&env).await;
    let r = get_at(&env, TA, &format!("/federation/fetch?{}", encode(&[("sub", INT)]))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type").as_deref(), Some("application/entity-statement+jwt"));
    let p = ParsedStatement::parse(&r.body, &opts(&env)).unwrap();
    let ta_keys = Jwks::parse(&fed_jwks(&env, &f.ta).await).unwrap();
    p.verify_signature(&ta_keys, &Alg::ALL).expect("signed by the Trust Anchor's federation key");
    let st = p.statement;
    assert_eq!((st.iss.as_str(), st.sub.as_str()), (TA, INT));
    assert_eq!(st.jwks.to_json(), fed_jwks(&env, &f.int).await, "the statement binds the subordinate's keys");
    assert_eq!(st.metadata_policy.as_ref().unwrap()["openid_provider"]["contacts"]["add"], json!(["federation@ta.example"]));
    assert_eq!(st.constraints.as_ref().unwrap().max_path_length, Some(1));
    assert_eq!(st.source_endpoint.as_deref(), Some(format!("{TA}/federation/fetch").as_str()));

    get_at(&env, TA, "/federation/fetch").await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    get_at(&env, TA, &format!("/federation/fetch?{}", encode(&[("sub", TA)]))).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    get_at(&env, TA, &format!("/federation/fetch?{}", encode(&[("sub", "https://stranger.example")]))).await.assert_oauth(StatusCode::NOT_FOUND, "not_found");
    get_at(&env, TA, &format!("/federation/fetch?{}", encode(&[("sub", INT), ("sub", OP)]))).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    get_at(&env, TA, &format!("/federation/fetch?{}", encode(&[("sub", INT), ("iss", TA)]))).await.assert_oauth(StatusCode::BAD_REQUEST, "unsupported_parameter");
    // A leaf is no authority: no fetch endpoint at all.
    assert_eq!(get_at(&env, OP, &format!("/federation/fetch?{}", encode(&[("sub", INT)]))).await.status, StatusCode::NOT_FOUND);
    // Removed: gone at once.
    assert!(env.state.store.remove_subordinate(&f.ta.id, INT).await.unwrap());
    get_at(&env, TA, &format!("/federation/fetch?{}", encode(&[("sub", INT)]))).await.assert_oauth(StatusCode::NOT_FOUND, "not_found");
});

backend_test!(async fn list_filters_by_entity_type_role_and_trust_marks(env) {
    let f = federation(&env).await;
    let now = env.clock.now();
    let leaf = Subordinate {
        entity_id: "https://rp.example".into(),
        jwks: fed_jwks(&env, &f.op).await,
        entity_types: vec!["openid_relying_party".into()],
        intermediate: false,
        metadata_policy: None,
        metadata_policy_crit: None,
        constraints: None,
        metadata: None,
        updated_at: now,
    };
    env.state.store.put_subordinate(&f.ta.id, &leaf, now).await.unwrap();
    env.state.store.issue_trust_mark(&f.ta.id, MARK, "https://rp.example", None, now).await.unwrap();
    let list = |q: Vec<(&'static str, &'static str)>| {
        let env = &env;
        async move { get_at(env, TA, &format!("/federation/list?{}", encode(&q))).await }
    };
    assert_eq!(list(vec![]).await.json(), json!([INT, "https://rp.example"]));
    assert_eq!(list(vec![("entity_type", "openid_relying_party")]).await.json(), json!(["https://rp.example"]));
    assert_eq!(list(vec![("entity_type", "openid_relying_party"), ("entity_type", "federation_entity")]).await.json(), json!([INT, "https://rp.example"]));
    assert_eq!(list(vec![("intermediate", "true")]).await.json(), json!([INT]));
    assert_eq!(list(vec![("intermediate", "false")]).await.json(), json!(["https://rp.example"]));
    assert_eq!(list(vec![("trust_marked", "true")]).await.json(), json!(["https://rp.example"]));
    assert_eq!(list(vec![("trust_mark_type", MARK)]).await.json(), json!(["https://rp.example"]));
    assert_eq!(list(vec![("trust_mark_type", "https://ta.example/marks/other")]).await.json(), json!([]));
    list(vec![("intermediate", "yes")]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    list(vec![("entity_typ", "openid_provider")]).await.assert_oauth(StatusCode::BAD_REQUEST, "unsupported_parameter");
    assert_eq!(get_at(&env, OP, "/federation/list").await.status, StatusCode::NOT_FOUND, "a leaf has no list endpoint");
});

/// Asks the TA for a mark's status; checks the answer's form and signature.
async fn status(env: &Env, ta_keys: &Jwks, jwt: String) -> String {
    let r = post_at(env, TA, "/federation/trust_mark_status", &[("trust_mark", &jwt)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type").as_deref(), Some("application/trust-mark-status-response+jwt"));
    let d = trame_jose::decode(&r.body).unwrap();
    d.verify_signature(ta_keys, &Alg::ALL).unwrap();
    assert_eq!(d.typ(), Some("trust-mark-status-response+jwt"));
    assert_eq!(d.claims["trust_mark"], jwt.as_str());
    d.claims["status"].as_str().unwrap().to_owned()
}

backend_test!(async fn trust_marks_are_issued_listed_and_their_status_follows_the_record(env) {
    let f = federation(&env).await;
    let ta_ec = verify_entity_configuration(&get_at(&env, TA, "/.well-known/openid-federation").await.body, None, &opts(&env)).unwrap().statement;
    let r = get_at(&env, TA, &format!("/federation/trust_mark?{}", encode(&[("trust_mark_type", MARK), ("sub", OP)]))).await;
    assert_eq!(r.header("content-type").as_deref(), Some("application/trust-mark+jwt"));
    let mark = trame_federation::trust_mark::validate(&r.body, OP, &ta_ec.jwks, &ta_ec, &opts(&env)).expect("a valid Trust Mark");
    assert_eq!((mark.iss.as_str(), mark.trust_mark_type.as_str(), mark.exp), (TA, MARK, None));

    assert_eq!(get_at(&env, TA, &format!("/federation/trust_mark_list?{}", encode(&[("trust_mark_type", MARK)]))).await.json(), json!([OP]));
    assert_eq!(get_at(&env, TA, &format!("/federation/trust_mark_list?{}", encode(&[("trust_mark_type", MARK), ("sub", INT)]))).await.json(), json!([]));
    get_at(&env, TA, "/federation/trust_mark_list").await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    get_at(&env, TA, &format!("/federation/trust_mark?{}", encode(&[("trust_mark_type", MARK), ("sub", INT)]))).await.assert_oauth(StatusCode::NOT_FOUND, "not_found");
    get_at(&env, TA, &format!("/federation/trust_mark?{}", encode(&[("sub", OP)]))).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");

    assert_eq!(status(&env, &ta_ec.jwks, r.body.clone()).await, "active");
    let mut forged = r.body.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(status(&env, &ta_ec.jwks, forged).await, "invalid");
    env.state.store.revoke_trust_mark(&f.ta.id, MARK, OP, env.clock.now()).await.unwrap();
    assert_eq!(status(&env, &ta_ec.jwks, r.body.clone()).await, "revoked");
    get_at(&env, TA, &format!("/federation/trust_mark?{}", encode(&[("trust_mark_type", MARK), ("sub", OP)]))).await.assert_oauth(StatusCode::NOT_FOUND, "not_found");

    // An expiring mark: active, then expired.
    env.state.store.issue_trust_mark(&f.ta.id, MARK, INT, Some(env.clock.now() + 60), env.clock.now()).await.unwrap();
    let expiring = get_at(&env, TA, &format!("/federation/trust_mark?{}", encode(&[("trust_mark_type", MARK), ("sub", INT)]))).await.body;
    assert_eq!(status(&env, &ta_ec.jwks, expiring.clone()).await, "active");
    env.clock.advance(61);
    assert_eq!(status(&env, &ta_ec.jwks, expiring).await, "expired");

    // Marks of other issuers, and what is not a mark.
    let ours_at_op = post_at(&env, OP, "/federation/trust_mark_status", &[("trust_mark", &r.body)]).await;
    ours_at_op.assert_oauth(StatusCode::NOT_FOUND, "not_found");
    post_at(&env, TA, "/federation/trust_mark_status", &[("trust_mark", "not.a.jwt")]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    post_at(&env, TA, "/federation/trust_mark_status", &[]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    let (host, path) = host_path(TA, "/federation/trust_mark_status");
    let json_body = Request::post(path).header(header::HOST, host).header(header::CONTENT_TYPE, "application/json").body(Body::from("{}")).unwrap();
    env.send(json_body).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
});

backend_test!(async fn historical_keys_list_rotated_out_and_revoked_federation_keys(env) {
    let f = federation(&env).await;
    let old = env.state.store.list_federation_keys(&f.ta.id, env.clock.now()).await.unwrap();
    assert_eq!(old.len(), 1);
    env.clock.advance(1);
    let new_kid = env.state.store.rotate_federation_key(&f.ta.id, Alg::ES256, env.clock.now(), env.clock.now()).await.unwrap();
    let err = env.state.store.revoke_federation_key(&f.ta.id, &new_kid, "superseded", env.clock.now()).await;
    assert!(err.is_err(), "the only signing key cannot be revoked");
    assert!(env.state.store.revoke_federation_key(&f.ta.id, &old[0].kid, "stolen", env.clock.now()).await.is_err(), "reasons are §8.7's");
    env.state.store.revoke_federation_key(&f.ta.id, &old[0].kid, "compromised", env.clock.now()).await.unwrap();
    env.refresh_catalog().await;

    let ec = verify_entity_configuration(&get_at(&env, TA, "/.well-known/openid-federation").await.body, None, &opts(&env)).unwrap().statement;
    assert_eq!(ec.jwks.kids().collect::<Vec<_>>(), vec![new_kid.as_str()], "the revoked key is no longer published");
    let r = get_at(&env, TA, "/federation/historical_keys").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type").as_deref(), Some("application/jwk-set+jwt"));
    let d = trame_jose::decode(&r.body).unwrap();
    assert_eq!(d.typ(), Some("jwk-set+jwt"));
    d.verify_signature(&ec.jwks, &Alg::ALL).unwrap();
    assert_eq!(d.claims["iss"], TA);
    let keys = d.claims["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kid"], old[0].kid.as_str());
    assert_eq!(keys[0]["revoked"]["reason"], "compromised");
    assert!(keys[0]["exp"].is_i64());
    assert!(keys[0].get("d").is_none());
});

backend_test!(async fn resolve_builds_the_chain_applies_policy_and_keeps_verified_trust_marks(env) {
    let f = federation(&env).await;
    let q = |sub: &str, ta: &str| format!("/federation/resolve?{}", encode(&[("sub", sub), ("trust_anchor", ta)]));
    let r = get_at(&env, OP, &q(OP, TA)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type").as_deref(), Some("application/resolve-response+jwt"));
    let d = trame_jose::decode(&r.body).unwrap();
    assert_eq!(d.typ(), Some("resolve-response+jwt"));
    let op_keys = Jwks::parse(&fed_jwks(&env, &f.op).await).unwrap();
    d.verify_signature(&op_keys, &Alg::ALL).unwrap();
    let c = &d.claims;
    assert_eq!((c["iss"].as_str(), c["sub"].as_str()), (Some(OP), Some(OP)));
    let algs = c["metadata"]["openid_provider"]["id_token_signing_alg_values_supported"].as_array().unwrap();
    assert!(!algs.is_empty() && algs.iter().all(|a| a == "ES256" || a == "PS256"), "the TA's subset_of applied: {algs:?}");
    assert_eq!(c["metadata"]["openid_provider"]["contacts"], json!(["federation@ta.example"]));
    let chain: Vec<&str> = c["trust_chain"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert_eq!(chain.len(), 4, "EC(OP), SS(region→OP), SS(TA→region), EC(TA)");
    // The chain stands on its own for anyone holding the TA's keys.
    let anchors = [TrustAnchor { entity_id: TA.into(), jwks: Jwks::parse(&fed_jwks(&env, &f.ta).await).unwrap() }];
    let validated = validate_chain(&chain, &anchors, &opts(&env)).expect("a valid chain");
    assert_eq!(c["exp"], validated.expires_at);
    assert_eq!(c["trust_marks"][0]["trust_mark_type"], MARK);

    // Only the asked entity types.
    let only = get_at(&env, OP, &format!("/federation/resolve?{}", encode(&[("sub", OP), ("trust_anchor", TA), ("entity_type", "federation_entity")]))).await;
    let only = trame_jose::decode(&only.body).unwrap();
    assert_eq!(only.claims["metadata"].as_object().unwrap().keys().collect::<Vec<_>>(), vec!["federation_entity"]);

    // A mark whose issuer the TA does not list for its type is left out.
    let int_mark_type = "https://ta.example/marks/unlisted";
    env.state.store.issue_trust_mark(&f.int.id, int_mark_type, OP, None, env.clock.now()).await.unwrap();
    let unlisted = get_at(&env, INT, &format!("/federation/trust_mark?{}", encode(&[("trust_mark_type", int_mark_type), ("sub", OP)]))).await.body;
    set(&env, &f.op, |s| s.trust_marks.push(HeldTrustMark { trust_mark_type: int_mark_type.into(), trust_mark: unlisted })).await;
    let r = trame_jose::decode(&get_at(&env, OP, &q(OP, TA)).await.body).unwrap();
    let types: Vec<&str> = r.claims["trust_marks"].as_array().unwrap().iter().map(|m| m["trust_mark_type"].as_str().unwrap()).collect();
    assert_eq!(types, vec![MARK], "a mark from an issuer the TA does not list is left out");

    // Errors.
    get_at(&env, OP, "/federation/resolve").await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    get_at(&env, OP, &format!("/federation/resolve?{}", encode(&[("sub", OP)]))).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    get_at(&env, OP, &q(OP, "https://other-ta.example")).await.assert_oauth(StatusCode::NOT_FOUND, "invalid_trust_anchor");
    get_at(&env, TA, &q(OP, TA)).await.assert_oauth(StatusCode::NOT_FOUND, "invalid_trust_anchor");
    get_at(&env, OP, &q("https://nowhere.invalid", TA)).await.assert_oauth(StatusCode::NOT_FOUND, "invalid_subject");
    get_at(&env, OP, &format!("/federation/resolve?{}", encode(&[("sub", OP), ("trust_anchor", TA), ("foo", "bar")]))).await.assert_oauth(StatusCode::BAD_REQUEST, "unsupported_parameter");
    // The TA stops vouching for the region: no chain any more (the cached
    // one is per anchor keys, so change of membership shows once it expires;
    // a fresh resolver sees it at once).
    env.state.store.remove_subordinate(&f.ta.id, INT).await.unwrap();
    let fresh = trame_app::federation::ChainResolver::default();
    assert!(fresh.resolve(&env.state, &trame_app::federation::FetchFor::operator(trame_app::outbound::Reach::Anywhere), OP, &anchors).await.is_err());
});
