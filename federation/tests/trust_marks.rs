//! Trust Marks (§7; digest §7: wrong sub, expired, issuer not listed,
//! missing or forged delegation). Each case asserts its error variant.

mod common;

use common::{Entity, HOUR, NOW, opts};
use serde_json::json;
use trame_federation::statement::{EntityStatement, TrustMarkEntry};
use trame_federation::trust_mark::{Delegation, TrustMark, TrustMarkError, validate, validate_entry};
use trame_jose::Error as JwsError;

const TYPE: &str = "https://ta.example.com/marks/certified";

struct World {
    ta: Entity,
    issuer: Entity,
    owner: Entity,
    holder: Entity,
}

fn world() -> World {
    World {
        ta: Entity::new("https://ta.example.com"),
        issuer: Entity::new("https://tmi.example.com"),
        owner: Entity::new("https://owner.example.com"),
        holder: Entity::new("https://rp.example.org"),
    }
}

/// The TA's EC with the given trust_mark_issuers / trust_mark_owners.
fn ta_ec(w: &World, issuers: serde_json::Value, owners: Option<serde_json::Value>) -> EntityStatement {
    let mut ec = w.ta.ec();
    ec.trust_mark_issuers = issuers.as_object().cloned();
    ec.trust_mark_owners = owners.and_then(|o| o.as_object().cloned());
    ec
}

fn mark(w: &World) -> TrustMark {
    let mut m = TrustMark::new(&w.issuer.id, &w.holder.id, TYPE, NOW);
    m.exp = Some(NOW + HOUR);
    m
}

fn delegation(w: &World) -> Delegation {
    Delegation { iss: w.owner.id.clone(), sub: w.issuer.id.clone(), trust_mark_type: TYPE.into(), iat: NOW, exp: Some(NOW + HOUR), reference: None }
}

fn owners(w: &World) -> Option<serde_json::Value> {
    Some(json!({ TYPE: {"sub": w.owner.id, "jwks": w.owner.jwks().to_json()} }))
}

#[test]
fn a_listed_issuer_is_accepted() {
    let w = world();
    let ta = ta_ec(&w, json!({ TYPE: [w.issuer.id] }), None);
    let jwt = mark(&w).sign(&w.issuer.key).unwrap();
    let m = validate(&jwt, &w.holder.id, &w.issuer.jwks(), &ta, &opts()).unwrap();
    assert_eq!(m, mark(&w));
    // `[]`: anyone may issue this type.
    let open = ta_ec(&w, json!({ TYPE: [] }), None);
    validate(&jwt, &w.holder.id, &w.issuer.jwks(), &open, &opts()).unwrap();
    // No exp: the mark does not expire.
    let mut forever = mark(&w);
    forever.exp = None;
    let jwt = forever.sign(&w.issuer.key).unwrap();
    let later = trame_federation::statement::ValidationOptions { now: NOW + 1000 * HOUR, ..opts() };
    validate(&jwt, &w.holder.id, &w.issuer.jwks(), &ta, &later).unwrap();
}

#[test]
fn rejections() {
    let w = world();
    let ta = ta_ec(&w, json!({ TYPE: [w.issuer.id] }), None);
    let jwt = mark(&w).sign(&w.issuer.key).unwrap();
    assert!(matches!(validate(&jwt, "https://someone-else.example.org", &w.issuer.jwks(), &ta, &opts()), Err(TrustMarkError::WrongSubject { .. })));
    let mut expired = mark(&w);
    expired.iat = NOW - 2 * HOUR;
    expired.exp = Some(NOW - HOUR);
    let e = expired.sign(&w.issuer.key).unwrap();
    assert!(matches!(validate(&e, &w.holder.id, &w.issuer.jwks(), &ta, &opts()), Err(TrustMarkError::Expired { .. })));
    let mut future = mark(&w);
    future.iat = NOW + HOUR;
    let f = future.sign(&w.issuer.key).unwrap();
    assert!(matches!(validate(&f, &w.holder.id, &w.issuer.jwks(), &ta, &opts()), Err(TrustMarkError::IssuedInFuture { .. })));
    // Signed by a key that is not the issuer's.
    let forged = mark(&w).sign(&w.holder.key).unwrap();
    assert!(matches!(validate(&forged, &w.holder.id, &w.issuer.jwks(), &ta, &opts()), Err(TrustMarkError::Jws(JwsError::UnknownKid(_)))));
    // Wrong typ: an Entity Statement is not a Trust Mark.
    let claims = json!({"iss": w.issuer.id, "sub": w.holder.id, "trust_mark_type": TYPE, "iat": NOW});
    let as_statement = w.issuer.sign_raw("entity-statement+jwt", &claims, &json!({}));
    assert!(matches!(validate(&as_statement, &w.holder.id, &w.issuer.jwks(), &ta, &opts()), Err(TrustMarkError::Jws(JwsError::WrongType { .. }))));
    // The pre-final claim name `id` is not `trust_mark_type`.
    let old = w.issuer.sign_raw("trust-mark+jwt", &json!({"iss": w.issuer.id, "sub": w.holder.id, "id": TYPE, "iat": NOW}), &json!({}));
    assert!(matches!(validate(&old, &w.holder.id, &w.issuer.jwks(), &ta, &opts()), Err(TrustMarkError::MissingClaim("trust_mark_type"))));
}

#[test]
fn issuer_must_be_listed_by_the_anchor() {
    let w = world();
    let jwt = mark(&w).sign(&w.issuer.key).unwrap();
    for issuers in [json!({ TYPE: ["https://other-tmi.example.com"] }), json!({"https://other/type": [w.issuer.id]}), json!({})] {
        let ta = ta_ec(&w, issuers.clone(), None);
        assert!(matches!(validate(&jwt, &w.holder.id, &w.issuer.jwks(), &ta, &opts()), Err(TrustMarkError::IssuerNotAuthorized { .. })), "{issuers}");
    }
}

#[test]
fn delegation_rules() {
    let w = world();
    let ta = ta_ec(&w, json!({ TYPE: [w.issuer.id] }), owners(&w));
    let with_delegation = |d: Option<String>| {
        let mut m = mark(&w);
        m.delegation = d;
        m.sign(&w.issuer.key).unwrap()
    };
    let check = |jwt: &str| validate(jwt, &w.holder.id, &w.issuer.jwks(), &ta, &opts());

    // A type with an owner needs a delegation.
    assert!(matches!(check(&with_delegation(None)), Err(TrustMarkError::DelegationRequired(_))));
    // A valid one.
    let good = delegation(&w).sign(&w.owner.key).unwrap();
    check(&with_delegation(Some(good))).unwrap();
    // Forged: signed by the issuer itself.
    let forged = delegation(&w).sign(&w.issuer.key).unwrap();
    assert!(matches!(check(&with_delegation(Some(forged))), Err(TrustMarkError::Delegation(e)) if matches!(*e, TrustMarkError::Jws(JwsError::UnknownKid(_)))));
    // Delegated to someone else.
    let mut d = delegation(&w);
    d.sub = "https://other-tmi.example.com".into();
    let to_other = d.sign(&w.owner.key).unwrap();
    assert!(matches!(check(&with_delegation(Some(to_other))), Err(TrustMarkError::Delegation(e)) if matches!(*e, TrustMarkError::WrongSubject { .. })));
    // For another type.
    let mut d = delegation(&w);
    d.trust_mark_type = "https://other/type".into();
    let other_type = d.sign(&w.owner.key).unwrap();
    assert!(matches!(check(&with_delegation(Some(other_type))), Err(TrustMarkError::Delegation(e)) if matches!(*e, TrustMarkError::TypeMismatch { .. })));
    // Issued by someone claiming to be another owner.
    let mut d = delegation(&w);
    d.iss = "https://fake-owner.example.com".into();
    let wrong_owner = d.sign(&w.owner.key).unwrap();
    assert!(matches!(check(&with_delegation(Some(wrong_owner))), Err(TrustMarkError::Delegation(e)) if matches!(*e, TrustMarkError::WrongIssuer(_))));
    // Expired.
    let mut d = delegation(&w);
    d.iat = NOW - 2 * HOUR;
    d.exp = Some(NOW - HOUR);
    let expired = d.sign(&w.owner.key).unwrap();
    assert!(matches!(check(&with_delegation(Some(expired))), Err(TrustMarkError::Delegation(e)) if matches!(*e, TrustMarkError::Expired { .. })));
    // A delegation JWT typed as a Trust Mark.
    let claims = json!({"iss": w.owner.id, "sub": w.issuer.id, "trust_mark_type": TYPE, "iat": NOW});
    let mistyped = w.owner.sign_raw("trust-mark+jwt", &claims, &json!({}));
    assert!(
        matches!(check(&with_delegation(Some(mistyped))), Err(TrustMarkError::Delegation(e)) if matches!(*e, TrustMarkError::Jws(JwsError::WrongType { .. })))
    );
}

#[test]
fn entity_configuration_entry_type_must_match() {
    let w = world();
    let ta = ta_ec(&w, json!({ TYPE: [w.issuer.id] }), None);
    let jwt = mark(&w).sign(&w.issuer.key).unwrap();
    let entry = TrustMarkEntry { trust_mark_type: TYPE.into(), trust_mark: jwt.clone() };
    validate_entry(&entry, &w.holder.id, &w.issuer.jwks(), &ta, &opts()).unwrap();
    let lying = TrustMarkEntry { trust_mark_type: "https://other/type".into(), trust_mark: jwt };
    assert!(matches!(validate_entry(&lying, &w.holder.id, &w.issuer.jwks(), &ta, &opts()), Err(TrustMarkError::TypeMismatch { .. })));
}
