//! Entity Statement rules of §3 (digest §7: JWT typing, timing, placement,
//! crit, nulls, key binding of Entity Configurations). Each case asserts the
//! error variant it must produce.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Entity, HOUR, NOW, opts, with};
use serde_json::{Value, json};
use trame_federation::constraints::Constraints;
use trame_federation::statement::{
    ENTITY_STATEMENT_TYP, ParsedStatement, StatementError, TrustMarkEntry, ValidationOptions, verify_entity_configuration, verify_subordinate_statement,
};
use trame_jose::{Alg, Error as JwsError, SigningKey};

fn leaf() -> Entity {
    Entity::new("https://leaf.example.org")
}

#[test]
fn entity_configuration_round_trip() {
    let e = leaf();
    let mut ec = e.ec();
    ec.authority_hints = Some(vec!["https://ia.example.org".into()]);
    ec.metadata = Some(common::metadata_fe("https://leaf.example.org/fetch"));
    ec.trust_marks = Some(vec![TrustMarkEntry { trust_mark_type: "https://tm.example/t".into(), trust_mark: "x.y.z".into() }]);
    ec.extra.insert("ext_claim".into(), json!(1));
    let jwt = ec.sign(&e.key).unwrap();
    let p = verify_entity_configuration(&jwt, Some(&e.id), &opts()).unwrap();
    assert_eq!(p.statement, ec);
    assert_eq!(p.kid(), e.key.kid());
    assert_eq!(p.raw(), jwt);
    assert_eq!(p.statement.fetch_endpoint(), Some("https://leaf.example.org/fetch"));
}

#[test]
fn each_algorithm_signs_statements() {
    for alg in [Alg::ES256, Alg::RS256, Alg::PS256, Alg::EdDSA] {
        let (key, _) = SigningKey::generate(alg, None).unwrap();
        let e = Entity { id: "https://leaf.example.org".into(), key };
        let jwt = e.ec().sign(&e.key).unwrap();
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').next().unwrap()).unwrap()).unwrap();
        assert_eq!(header["typ"], ENTITY_STATEMENT_TYP);
        assert_eq!(header["alg"], alg.as_str());
        assert_eq!(header["kid"], e.key.kid());
        verify_entity_configuration(&jwt, None, &opts()).unwrap();
        // Not accepted when the caller allows only another algorithm.
        let only = ValidationOptions { algorithms: vec![if alg == Alg::ES256 { Alg::RS256 } else { Alg::ES256 }], ..opts() };
        assert!(matches!(verify_entity_configuration(&jwt, None, &only), Err(StatementError::Jws(JwsError::AlgNotAllowed(_)))));
    }
}

#[test]
fn wrong_or_missing_typ() {
    let e = leaf();
    for typ in ["JWT", "", "trust-mark+jwt", "trust-mark-delegation+jwt", "resolve-response+jwt", "jwk-set+jwt", "Entity-Statement+JWT"] {
        let jwt = e.sign_raw(typ, &e.ec_claims(), &json!({}));
        assert!(matches!(verify_entity_configuration(&jwt, None, &opts()), Err(StatementError::Jws(JwsError::WrongType { .. }))), "typ {typ:?}");
    }
    // No typ at all: a JWS made without the helper.
    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    let no_typ = format!("{}.{}.c2ln", b64(&json!({"alg": "ES256", "kid": e.key.kid()})), b64(&e.ec_claims()));
    assert!(matches!(verify_entity_configuration(&no_typ, None, &opts()), Err(StatementError::Jws(JwsError::WrongType { found: None, .. }))));
}

#[test]
fn alg_none_and_unsigned() {
    let e = leaf();
    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    let header = json!({"alg": "none", "typ": ENTITY_STATEMENT_TYP, "kid": e.key.kid()});
    for sig in ["", "c2ln"] {
        let jwt = format!("{}.{}.{sig}", b64(&header), b64(&e.ec_claims()));
        assert!(matches!(verify_entity_configuration(&jwt, None, &opts()), Err(StatementError::Jws(JwsError::AlgNotAllowed(_)))));
    }
    let hs = format!("{}.{}.c2ln", b64(&json!({"alg": "HS256", "typ": ENTITY_STATEMENT_TYP, "kid": e.key.kid()})), b64(&e.ec_claims()));
    assert!(matches!(verify_entity_configuration(&hs, None, &opts()), Err(StatementError::Jws(JwsError::AlgNotAllowed(_)))));
}

#[test]
fn kid_rules() {
    let e = leaf();
    let other = leaf();
    // Signed by a key that is not in the EC's own jwks.
    let jwt = other.sign_raw(ENTITY_STATEMENT_TYP, &e.ec_claims(), &json!({}));
    assert!(matches!(verify_entity_configuration(&jwt, None, &opts()), Err(StatementError::Jws(JwsError::UnknownKid(_)))));
    // The library refuses to produce such a statement.
    assert!(matches!(e.ec().sign(&other.key), Err(StatementError::SigningKeyNotInJwks(_))));
    // A kid naming a key of the set, but the signature made by another key.
    let (_, pem) = SigningKey::generate(Alg::ES256, None).unwrap();
    let impostor = SigningKey::from_pem(Alg::ES256, Some(e.key.kid()), &pem).unwrap();
    let forged = impostor.sign(ENTITY_STATEMENT_TYP, e.ec_claims().as_object().unwrap()).unwrap();
    assert!(matches!(verify_entity_configuration(&forged, None, &opts()), Err(StatementError::Jws(JwsError::BadSignature(_)))));
    // Duplicate kids in jwks.
    let dup = with(e.ec_claims(), json!({"jwks": {"keys": [e.key.public_jwk(), e.key.public_jwk()]}}));
    let jwt = e.sign_raw(ENTITY_STATEMENT_TYP, &dup, &json!({}));
    assert!(matches!(verify_entity_configuration(&jwt, None, &opts()), Err(StatementError::Jws(JwsError::BadJwks(_)))));
}

#[test]
fn timing_edges() {
    let e = leaf();
    let at = |iat: i64, exp: i64| e.sign_raw(ENTITY_STATEMENT_TYP, &with(e.ec_claims(), json!({"iat": iat, "exp": exp})), &json!({}));
    let o = opts(); // leeway 60
    assert!(verify_entity_configuration(&at(NOW + 60, NOW + HOUR), None, &o).is_ok());
    assert!(matches!(
        verify_entity_configuration(&at(NOW + 61, NOW + HOUR), None, &o),
        Err(StatementError::IssuedInFuture { iat, now: NOW }) if iat == NOW + 61
    ));
    assert!(verify_entity_configuration(&at(NOW - HOUR, NOW - 59), None, &o).is_ok());
    assert!(matches!(
        verify_entity_configuration(&at(NOW - HOUR, NOW - 60), None, &o),
        Err(StatementError::Expired { exp, now: NOW }) if exp == NOW - 60
    ));
    let strict = ValidationOptions { leeway: 0, ..opts() };
    assert!(matches!(verify_entity_configuration(&at(NOW - HOUR, NOW), None, &strict), Err(StatementError::Expired { .. })));
    assert!(verify_entity_configuration(&at(NOW, NOW + 1), None, &strict).is_ok());
    // Times must be numbers.
    let jwt = e.sign_raw(ENTITY_STATEMENT_TYP, &with(e.ec_claims(), json!({"exp": "tomorrow"})), &json!({}));
    assert!(matches!(verify_entity_configuration(&jwt, None, &o), Err(StatementError::BadClaim { claim, .. }) if claim == "exp"));
}

#[test]
fn required_claims() {
    let e = leaf();
    for claim in ["iss", "sub", "iat", "exp", "jwks"] {
        let mut c = e.ec_claims();
        c.as_object_mut().unwrap().remove(claim);
        let jwt = e.sign_raw(ENTITY_STATEMENT_TYP, &c, &json!({}));
        assert!(matches!(ParsedStatement::parse(&jwt, &opts()), Err(StatementError::MissingClaim(c)) if c == claim), "{claim}");
    }
    let jwt = e.sign_raw(ENTITY_STATEMENT_TYP, &with(e.ec_claims(), json!({"jwks": {"keys": []}})), &json!({}));
    assert!(matches!(ParsedStatement::parse(&jwt, &opts()), Err(StatementError::BadClaim { claim, .. }) if claim == "jwks"));
    for bad_id in ["http://leaf.example.org", "https://leaf.example.org?q=1", "https://leaf.example.org#f", "leaf"] {
        let jwt = e.sign_raw(ENTITY_STATEMENT_TYP, &with(e.ec_claims(), json!({"iss": bad_id, "sub": bad_id})), &json!({}));
        assert!(matches!(ParsedStatement::parse(&jwt, &opts()), Err(StatementError::BadClaim { claim, .. }) if claim == "iss"), "{bad_id}");
    }
}

#[test]
fn entity_configuration_must_be_self_issued() {
    let e = leaf();
    let ia = Entity::new("https://ia.example.org");
    let ss = ia.ss(&e).sign(&ia.key).unwrap();
    assert!(matches!(verify_entity_configuration(&ss, None, &opts()), Err(StatementError::NotEntityConfiguration)));
    let ec = e.ec().sign(&e.key).unwrap();
    assert!(matches!(verify_subordinate_statement(&ec, &ia.id, &e.id, &ia.jwks(), &opts()), Err(StatementError::NotSubordinateStatement)));
    assert!(matches!(verify_entity_configuration(&ec, Some("https://other.example.org"), &opts()), Err(StatementError::Unexpected { claim: "sub", .. })));
}

#[test]
fn subordinate_statement_checks() {
    let e = leaf();
    let ia = Entity::new("https://ia.example.org");
    let mut s = ia.ss(&e);
    s.metadata_policy = Some(json!({"openid_relying_party": {"grant_types": {"subset_of": ["authorization_code"]}}}));
    s.metadata_policy_crit = Some(vec!["regexp".into()]);
    s.constraints = Some(Constraints { max_path_length: Some(0), ..Default::default() });
    s.source_endpoint = Some("https://ia.example.org/fetch".into());
    let jwt = s.sign(&ia.key).unwrap();
    let p = verify_subordinate_statement(&jwt, &ia.id, &e.id, &ia.jwks(), &opts()).unwrap();
    assert_eq!(p.statement, s);
    // Verified with the wrong issuer's keys.
    assert!(matches!(verify_subordinate_statement(&jwt, &ia.id, &e.id, &e.jwks(), &opts()), Err(StatementError::Jws(JwsError::UnknownKid(_)))));
    assert!(matches!(
        verify_subordinate_statement(&jwt, "https://other.example.org", &e.id, &ia.jwks(), &opts()),
        Err(StatementError::Unexpected { claim: "iss", .. })
    ));
    assert!(matches!(
        verify_subordinate_statement(&jwt, &ia.id, "https://other.example.org", &ia.jwks(), &opts()),
        Err(StatementError::Unexpected { claim: "sub", .. })
    ));
}

#[test]
fn claim_placement() {
    let e = leaf();
    let ia = Entity::new("https://ia.example.org");
    let ss_claims = json!({"iss": ia.id, "sub": e.id, "iat": NOW, "exp": NOW + HOUR, "jwks": e.jwks().to_json()});
    let ec_only = [
        ("authority_hints", json!(["https://ta.example.org"])),
        ("trust_anchor_hints", json!(["https://ta.example.org"])),
        ("trust_marks", json!([{"trust_mark_type": "t", "trust_mark": "x"}])),
        ("trust_mark_issuers", json!({"t": []})),
        ("trust_mark_owners", json!({"t": {"sub": "https://o.example", "jwks": {"keys": []}}})),
    ];
    for (claim, v) in ec_only {
        let jwt = ia.sign_raw(ENTITY_STATEMENT_TYP, &with(ss_claims.clone(), json!({ claim: v })), &json!({}));
        assert!(matches!(ParsedStatement::parse(&jwt, &opts()), Err(StatementError::NotAllowedInSubordinateStatement(c)) if c == claim), "{claim}");
    }
    let ss_only = [
        ("metadata_policy", json!({"openid_provider": {}})),
        ("metadata_policy_crit", json!(["regexp"])),
        ("constraints", json!({"max_path_length": 1})),
        ("source_endpoint", json!("https://leaf.example.org/fetch")),
    ];
    for (claim, v) in ss_only {
        let jwt = e.sign_raw(ENTITY_STATEMENT_TYP, &with(e.ec_claims(), json!({ claim: v })), &json!({}));
        assert!(matches!(ParsedStatement::parse(&jwt, &opts()), Err(StatementError::NotAllowedInEntityConfiguration(c)) if c == claim), "{claim}");
    }
    // A trust chain never travels inside an Entity Statement's header.
    for h in ["trust_chain", "peer_trust_chain"] {
        let jwt = e.sign_raw(ENTITY_STATEMENT_TYP, &e.ec_claims(), &json!({ h: ["a.b.c"] }));
        assert!(matches!(ParsedStatement::parse(&jwt, &opts()), Err(StatementError::ForbiddenHeader(x)) if x == h));
        // …except on an explicit registration request (§12.2.1), and never
        // above the subject.
        let registration = ValidationOptions { allow_chain_headers: true, ..opts() };
        ParsedStatement::parse(&jwt, &registration).expect("allowed on a registration request");
        assert!(matches!(
            ParsedStatement::parse(&jwt, &registration.above_subject()),
            Err(StatementError::ForbiddenHeader(x)) if x == h
        ));
    }
}

#[test]
fn nulls_and_malformed_claims() {
    let e = leaf();
    let cases = [
        (json!({"authority_hints": null}), "null"),
        (json!({"metadata": {"openid_provider": {"issuer": null}}}), "null"),
        (json!({"metadata": {"openid_provider": {"x": [1, null]}}}), "null"),
        (json!({"authority_hints": []}), "authority_hints"),
        (json!({"authority_hints": ["not a url"]}), "authority_hints"),
        (json!({"trust_anchor_hints": []}), "trust_anchor_hints"),
        (json!({"metadata": []}), "metadata"),
        (json!({"metadata": {"openid_provider": "x"}}), "metadata"),
        (json!({"trust_marks": [{"trust_mark": "x"}]}), "trust_marks"),
    ];
    for (extra, expect) in cases {
        let jwt = e.sign_raw(ENTITY_STATEMENT_TYP, &with(e.ec_claims(), extra.clone()), &json!({}));
        let r = ParsedStatement::parse(&jwt, &opts());
        match (&r, expect) {
            (Err(StatementError::NullClaim(_)), "null") => {}
            (Err(StatementError::BadClaim { claim, .. }), c) if claim == c => {}
            _ => panic!("{extra}: {r:?}"),
        }
    }
    let ia = Entity::new("https://ia.example.org");
    let ss = json!({"iss": ia.id, "sub": e.id, "iat": NOW, "exp": NOW + HOUR, "jwks": e.jwks().to_json()});
    let bad_policy = with(ss.clone(), json!({"metadata_policy": {"openid_provider": {"x": {"one_of": ["a"], "add": ["a"]}}}}));
    let jwt = ia.sign_raw(ENTITY_STATEMENT_TYP, &bad_policy, &json!({}));
    assert!(matches!(ParsedStatement::parse(&jwt, &opts()), Err(StatementError::Policy(_))));
    let bad_constraints = with(ss.clone(), json!({"constraints": {"max_path_length": -1}}));
    let jwt = ia.sign_raw(ENTITY_STATEMENT_TYP, &bad_constraints, &json!({}));
    assert!(matches!(ParsedStatement::parse(&jwt, &opts()), Err(StatementError::Constraints(_))));
    let empty_crit = with(ss, json!({"metadata_policy_crit": []}));
    let jwt = ia.sign_raw(ENTITY_STATEMENT_TYP, &empty_crit, &json!({}));
    assert!(matches!(ParsedStatement::parse(&jwt, &opts()), Err(StatementError::Policy(_))));
}

#[test]
fn crit_rules() {
    let e = leaf();
    let claims = with(e.ec_claims(), json!({"org_ext": "x", "crit": ["org_ext"]}));
    let jwt = e.sign_raw(ENTITY_STATEMENT_TYP, &claims, &json!({}));
    assert!(matches!(ParsedStatement::parse(&jwt, &opts()), Err(StatementError::CritNotUnderstood(c)) if c == "org_ext"));
    let understood = ValidationOptions { understood_crit: vec!["org_ext".into()], ..opts() };
    let p = ParsedStatement::parse(&jwt, &understood).unwrap();
    assert_eq!(p.statement.extra["org_ext"], "x");
    assert_eq!(p.statement.crit, Some(vec!["org_ext".to_owned()]));
    let bad = [json!([]), json!("org_ext"), json!(["iss"]), json!(["metadata"]), json!(["absent_claim"]), json!([1])];
    for crit in bad {
        let jwt = e.sign_raw(ENTITY_STATEMENT_TYP, &with(e.ec_claims(), json!({"org_ext": "x", "crit": crit})), &json!({}));
        assert!(matches!(ParsedStatement::parse(&jwt, &understood), Err(StatementError::BadCrit(_))), "{jwt}");
    }
}

#[test]
fn sign_refuses_malformed_statements() {
    let e = leaf();
    let mut ec = e.ec();
    ec.constraints = Some(Constraints::default());
    assert!(matches!(ec.sign(&e.key), Err(StatementError::NotAllowedInEntityConfiguration("constraints"))));
    let ia = Entity::new("https://ia.example.org");
    let mut ss = ia.ss(&e);
    ss.authority_hints = Some(vec![ia.id.clone()]);
    assert!(matches!(ss.sign(&ia.key), Err(StatementError::NotAllowedInSubordinateStatement("authority_hints"))));
}
