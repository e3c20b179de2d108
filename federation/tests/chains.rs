//! Trust chain collection and validation (§10; digest §7: key binding,
//! graph shapes, timing, constraints and policy along a chain, the cache).
//! Each case asserts the error variant it must produce.

mod common;

use std::collections::HashMap;
use std::future::{Future, ready};
use std::sync::Mutex;

use common::{Entity, HOUR, NOW, block_on};
use serde_json::json;
use trame_federation::chain::{
    ChainCache, ChainError, FetchError, Fetcher, PathFailure, ResolveOptions, TrustAnchor, TrustChain, resolve, resolve_with_configuration, validate_chain,
};
use trame_federation::constraints::{ConstraintError, Constraints, NamingConstraints};
use trame_federation::policy::{MetadataError, PolicyError};
use trame_federation::statement::{EntityStatement, StatementError};
use trame_jose::{Alg, Error as JwsError, Jwks, SigningKey};

/// Answers from maps and records every call.
#[derive(Default)]
struct MockFetcher {
    ecs: HashMap<String, String>,
    subs: HashMap<(String, String), String>,
    calls: Mutex<Vec<String>>,
}

impl MockFetcher {
    fn record(&self, call: String) {
        if let Ok(mut c) = self.calls.lock() {
            c.push(call);
        }
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// No statement fetched twice in one resolution.
    fn assert_no_refetch(&self) {
        let calls = self.calls();
        for c in &calls {
            assert_eq!(calls.iter().filter(|x| *x == c).count(), 1, "{c} fetched twice: {calls:?}");
        }
    }
}

impl Fetcher for MockFetcher {
    fn fetch_entity_configuration(&self, entity_id: &str) -> impl Future<Output = Result<String, FetchError>> + Send {
        self.record(format!("ec {entity_id}"));
        ready(self.ecs.get(entity_id).cloned().ok_or(FetchError::NotFound))
    }

    fn fetch_subordinate_statement(&self, endpoint: &str, sub: &str) -> impl Future<Output = Result<String, FetchError>> + Send {
        self.record(format!("ss {endpoint} {sub}"));
        ready(self.subs.get(&(endpoint.to_owned(), sub.to_owned())).cloned().ok_or(FetchError::NotFound))
    }
}

fn fetch_endpoint(e: &Entity) -> String {
    format!("{}/fetch", e.id)
}

/// Publishes the EC of an authority (TA or Intermediate), with a fetch endpoint.
fn authority(f: &mut MockFetcher, e: &Entity, hints: &[&Entity]) {
    authority_with(f, e, hints, |_| {});
}

fn authority_with(f: &mut MockFetcher, e: &Entity, hints: &[&Entity], edit: impl FnOnce(&mut EntityStatement)) {
    let mut ec = e.ec();
    if !hints.is_empty() {
        ec.authority_hints = Some(hints.iter().map(|h| h.id.clone()).collect());
    }
    ec.metadata = Some(common::metadata_fe(&fetch_endpoint(e)));
    edit(&mut ec);
    f.ecs.insert(e.id.clone(), ec.sign(&e.key).expect("sign EC"));
}

/// Publishes the EC of a leaf: an RP with a little metadata.
fn leaf(f: &mut MockFetcher, e: &Entity, hints: &[&Entity]) {
    leaf_with(f, e, hints, |_| {});
}

fn leaf_with(f: &mut MockFetcher, e: &Entity, hints: &[&Entity], edit: impl FnOnce(&mut EntityStatement)) {
    let mut ec = e.ec();
    ec.authority_hints = Some(hints.iter().map(|h| h.id.clone()).collect());
    ec.metadata = Some(
        json!({
            "openid_relying_party": {"grant_types": ["authorization_code", "refresh_token"], "redirect_uris": ["https://leaf.example.org/cb"]},
            "federation_entity": {"organization_name": "Leaf"}
        })
        .as_object()
        .cloned()
        .unwrap_or_default(),
    );
    edit(&mut ec);
    f.ecs.insert(e.id.clone(), ec.sign(&e.key).expect("sign EC"));
}

/// Publishes the statement of `sup` about `sub` at `sup`'s fetch endpoint.
fn statement(f: &mut MockFetcher, sup: &Entity, sub: &Entity) {
    statement_with(f, sup, sub, |_| {});
}

fn statement_with(f: &mut MockFetcher, sup: &Entity, sub: &Entity, edit: impl FnOnce(&mut EntityStatement)) {
    let mut ss = sup.ss(sub);
    edit(&mut ss);
    f.subs.insert((fetch_endpoint(sup), sub.id.clone()), ss.sign(&sup.key).expect("sign SS"));
}

fn anchor(e: &Entity) -> TrustAnchor {
    TrustAnchor { entity_id: e.id.clone(), jwks: e.jwks() }
}

fn opts() -> ResolveOptions {
    ResolveOptions::at(NOW)
}

fn run(f: &MockFetcher, subject: &Entity, anchors: &[TrustAnchor]) -> Result<TrustChain, ChainError> {
    block_on(resolve(f, &subject.id, anchors, &opts()))
}

fn failures(r: Result<TrustChain, ChainError>) -> Vec<PathFailure> {
    match r {
        Err(ChainError::NoTrustChain { failures, .. }) => failures,
        other => panic!("expected NoTrustChain, got {other:?}"),
    }
}

/// ta → ia → leaf, the common shape.
struct Three {
    f: MockFetcher,
    ta: Entity,
    ia: Entity,
    leaf: Entity,
}

fn three() -> Three {
    let ta = Entity::new("https://ta.example.com");
    let ia = Entity::new("https://ia.example.com");
    let lf = Entity::new("https://leaf.example.org");
    let mut f = MockFetcher::default();
    authority(&mut f, &ta, &[]);
    authority(&mut f, &ia, &[&ta]);
    leaf(&mut f, &lf, &[&ia]);
    statement(&mut f, &ta, &ia);
    statement(&mut f, &ia, &lf);
    Three { f, ta, ia, leaf: lf }
}

#[test]
fn resolves_a_three_level_chain() {
    let mut t = three();
    statement_with(&mut t.f, &t.ta, &t.ia, |s| {
        s.exp = NOW + 600;
        s.metadata_policy =
            Some(json!({"openid_relying_party": {"grant_types": {"subset_of": ["authorization_code", "implicit"]}, "contacts": {"add": ["ta@example.com"]}}}));
    });
    statement_with(&mut t.f, &t.ia, &t.leaf, |s| {
        s.metadata_policy = Some(json!({"openid_relying_party": {"contacts": {"add": ["ia@example.com"]}, "application_type": {"default": "web"}}}));
    });
    let chain = run(&t.f, &t.leaf, &[anchor(&t.ta)]).unwrap();
    assert_eq!(chain.subject, t.leaf.id);
    assert_eq!(chain.trust_anchor, t.ta.id);
    assert_eq!(chain.statements.len(), 4);
    assert_eq!(chain.intermediates, 1);
    assert_eq!(chain.expires_at, NOW + 600, "chain exp is the minimum exp");
    assert_eq!(
        chain.metadata["openid_relying_party"],
        json!({"grant_types": ["authorization_code"], "redirect_uris": ["https://leaf.example.org/cb"],
               "contacts": ["ta@example.com", "ia@example.com"], "application_type": "web"})
    );
    assert_eq!(chain.metadata["federation_entity"], json!({"organization_name": "Leaf"}));
    t.f.assert_no_refetch();
    // The chain, as carried in a trust_chain parameter, validates alone.
    let refs: Vec<&str> = chain.statements.iter().map(String::as_str).collect();
    assert_eq!(validate_chain(&refs, &[anchor(&t.ta)], &opts().validation).unwrap(), chain);
    // And without the Trust Anchor's EC.
    let short = validate_chain(&refs[..3], &[anchor(&t.ta)], &opts().validation).unwrap();
    assert_eq!(short.metadata, chain.metadata);
    assert_eq!(short.intermediates, 1);
}

#[test]
fn leaf_directly_below_the_anchor() {
    let ta = Entity::new("https://ta.example.com");
    let lf = Entity::new("https://leaf.example.org");
    let mut f = MockFetcher::default();
    authority(&mut f, &ta, &[]);
    leaf(&mut f, &lf, &[&ta]);
    statement(&mut f, &ta, &lf);
    let chain = run(&f, &lf, &[anchor(&ta)]).unwrap();
    assert_eq!(chain.statements.len(), 3);
    assert_eq!(chain.intermediates, 0);
    // A subject that is itself a configured anchor: a chain of its EC.
    let own = run(&f, &ta, &[anchor(&ta)]).unwrap();
    assert_eq!(own.statements.len(), 1);
}

#[test]
fn the_shortest_valid_chain_wins() {
    let ta = Entity::new("https://ta.example.com");
    let long1 = Entity::new("https://long1.example.com");
    let long2 = Entity::new("https://long2.example.com");
    let short = Entity::new("https://short.example.com");
    let lf = Entity::new("https://leaf.example.org");
    let mut f = MockFetcher::default();
    authority(&mut f, &ta, &[]);
    authority(&mut f, &long2, &[&ta]);
    authority(&mut f, &long1, &[&long2]);
    authority(&mut f, &short, &[&ta]);
    // The longer path is listed first.
    leaf(&mut f, &lf, &[&long1, &short]);
    statement(&mut f, &ta, &long2);
    statement(&mut f, &long2, &long1);
    statement(&mut f, &long1, &lf);
    statement(&mut f, &ta, &short);
    statement(&mut f, &short, &lf);
    let chain = run(&f, &lf, &[anchor(&ta)]).unwrap();
    assert_eq!(chain.intermediates, 1);
    let issuer = trame_jose::decode(&chain.statements[1]).unwrap().claims["iss"].clone();
    assert_eq!(issuer, json!(short.id));
    // When the short path is broken, the long one is used.
    f.subs.remove(&(fetch_endpoint(&short), lf.id.clone()));
    let chain = run(&f, &lf, &[anchor(&ta)]).unwrap();
    assert_eq!(chain.intermediates, 2);
}

#[test]
fn subject_key_not_bound_by_superior() {
    let mut t = three();
    let stranger = Entity::new("https://leaf.example.org");
    // The IA attests a key the leaf does not sign with.
    statement_with(&mut t.f, &t.ia, &t.leaf, |s| s.jwks = stranger.jwks());
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::SubjectKeyNotBound { source: JwsError::UnknownKid(_) }, .. }]), "{fs:?}");
}

#[test]
fn intermediate_key_not_bound_by_superior() {
    let mut t = three();
    let other = Entity::new("https://ia.example.com");
    // The TA attests another key for the IA than the one signing its statement.
    statement_with(&mut t.f, &t.ta, &t.ia, |s| s.jwks = other.jwks());
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(
        matches!(fs.as_slice(), [PathFailure { error: ChainError::Statement { index: 1, source: StatementError::Jws(JwsError::UnknownKid(_)) }, .. }]),
        "{fs:?}"
    );
}

#[test]
fn statement_signed_by_the_wrong_entity() {
    let mut t = three();
    // The leaf forges "the IA's" statement about itself.
    let forged = t.ia.ss(&t.leaf).sign(&t.leaf.key).unwrap();
    t.f.subs.insert((fetch_endpoint(&t.ia), t.leaf.id.clone()), forged);
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Statement { index: 1, source: StatementError::Jws(JwsError::UnknownKid(_)) }, .. }]));
}

#[test]
fn trust_anchor_keys_must_be_configured() {
    let t = three();
    let impostor = Entity::new("https://ta.example.com");
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&impostor)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::TrustAnchorKeys { .. }, .. }]), "{fs:?}");
    // A chain ending at an entity that is not an anchor.
    let other = Entity::new("https://other-ta.example.com");
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&other)]));
    assert!(fs.is_empty(), "no path reaches a configured anchor: {fs:?}");
    let chain = run(&t.f, &t.leaf, &[anchor(&t.ta)]).unwrap();
    let refs: Vec<&str> = chain.statements.iter().map(String::as_str).collect();
    assert!(matches!(validate_chain(&refs, &[anchor(&other)], &opts().validation), Err(ChainError::UnknownTrustAnchor(id)) if id == t.ta.id));
    assert!(matches!(validate_chain(&refs[..3], &[anchor(&other)], &opts().validation), Err(ChainError::UnknownTrustAnchor(_))));
}

#[test]
fn trust_anchor_key_rollover() {
    let (k1, _) = SigningKey::generate(Alg::ES256, None).unwrap();
    let (k2, _) = SigningKey::generate(Alg::ES256, None).unwrap();
    let both = Jwks::from_keys(&[k1.public_jwk().clone(), k2.public_jwk().clone()]).unwrap();
    let old_only = Jwks::from_keys(std::slice::from_ref(k1.public_jwk())).unwrap();
    let new_only = Jwks::from_keys(std::slice::from_ref(k2.public_jwk())).unwrap();
    let ta_id = "https://ta.example.com";
    let lf = Entity::new("https://leaf.example.org");
    let build = |ec_key: &SigningKey, ec_jwks: &Jwks, ss_key: &SigningKey| {
        let mut f = MockFetcher::default();
        let mut ec = EntityStatement::new(ta_id, ta_id, NOW, NOW + HOUR, ec_jwks.clone());
        ec.metadata = Some(common::metadata_fe(&format!("{ta_id}/fetch")));
        f.ecs.insert(ta_id.into(), ec.sign(ec_key).unwrap());
        let mut lec = lf.ec();
        lec.authority_hints = Some(vec![ta_id.into()]);
        f.ecs.insert(lf.id.clone(), lec.sign(&lf.key).unwrap());
        let ss = EntityStatement::new(ta_id, &lf.id, NOW, NOW + HOUR, lf.jwks());
        f.subs.insert((format!("{ta_id}/fetch"), lf.id.clone()), ss.sign(ss_key).unwrap());
        f
    };
    let configured = |jwks: &Jwks| vec![TrustAnchor { entity_id: ta_id.into(), jwks: jwks.clone() }];
    // Overlap: the EC, signed with the configured old key, publishes the new
    // one, which already signs statements.
    let f = build(&k1, &both, &k2);
    run(&f, &lf, &configured(&old_only)).unwrap();
    // The old key removed from the TA: parties still configured with only
    // the old key no longer trust it...
    let f = build(&k2, &new_only, &k2);
    let fs = failures(run(&f, &lf, &configured(&old_only)));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::TrustAnchorKeys { .. }, .. }]));
    // ...those configured with both keys, or the new one, do.
    run(&f, &lf, &configured(&both)).unwrap();
    run(&f, &lf, &configured(&new_only)).unwrap();
    // A statement signed with a key the TA's EC no longer lists fails.
    let f = build(&k2, &new_only, &k1);
    let fs = failures(run(&f, &lf, &configured(&both)));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Statement { source: StatementError::Jws(JwsError::UnknownKid(_)), .. }, .. }]));
}

#[test]
fn loops_are_dropped_and_nothing_is_fetched_twice() {
    let ta = Entity::new("https://ta.example.com");
    let a = Entity::new("https://a.example.com");
    let b = Entity::new("https://b.example.com");
    let lf = Entity::new("https://leaf.example.org");
    let mut f = MockFetcher::default();
    authority(&mut f, &ta, &[]);
    authority(&mut f, &a, &[&b]);
    authority(&mut f, &b, &[&a, &ta]);
    leaf(&mut f, &lf, &[&a]);
    statement(&mut f, &a, &lf);
    statement(&mut f, &b, &a);
    statement(&mut f, &ta, &b);
    let chain = run(&f, &lf, &[anchor(&ta)]).unwrap();
    assert_eq!(chain.intermediates, 2);
    f.assert_no_refetch();
    // Without the way out, the loop alone gives no chain, and ends.
    let mut f2 = MockFetcher::default();
    authority(&mut f2, &a, &[&b]);
    authority(&mut f2, &b, &[&a]);
    leaf(&mut f2, &lf, &[&a]);
    let fs = failures(run(&f2, &lf, &[anchor(&ta)]));
    assert!(fs.iter().any(|p| matches!(&p.error, ChainError::Loop(h) if *h == a.id)), "{fs:?}");
    f2.assert_no_refetch();
    // A leaf naming itself.
    let mut f3 = MockFetcher::default();
    leaf(&mut f3, &lf, &[&lf]);
    let fs = failures(run(&f3, &lf, &[anchor(&ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Loop(_), .. }]));
}

#[test]
fn diamonds_share_fetches() {
    let ta = Entity::new("https://ta.example.com");
    let a = Entity::new("https://a.example.com");
    let b = Entity::new("https://b.example.com");
    let c = Entity::new("https://c.example.com");
    let lf = Entity::new("https://leaf.example.org");
    let mut f = MockFetcher::default();
    authority(&mut f, &ta, &[]);
    authority(&mut f, &c, &[&ta]);
    authority(&mut f, &a, &[&c]);
    authority(&mut f, &b, &[&c]);
    leaf(&mut f, &lf, &[&a, &b]);
    // The path through a is broken at its first link; b's works.
    statement(&mut f, &b, &lf);
    statement(&mut f, &c, &a);
    statement(&mut f, &c, &b);
    statement(&mut f, &ta, &c);
    let chain = run(&f, &lf, &[anchor(&ta)]).unwrap();
    assert_eq!(chain.intermediates, 2);
    f.assert_no_refetch();
}

#[test]
fn hint_floods_and_deep_chains_are_capped() {
    let ta = Entity::new("https://ta.example.com");
    let lf = Entity::new("https://leaf.example.org");
    let decoys: Vec<Entity> = (0..20).map(|i| Entity::new(&format!("https://decoy{i}.example.com"))).collect();
    let mut f = MockFetcher::default();
    authority(&mut f, &ta, &[]);
    let mut hints: Vec<&Entity> = decoys.iter().collect();
    hints.push(&ta); // the real superior comes 21st
    leaf(&mut f, &lf, &hints);
    statement(&mut f, &ta, &lf);
    let r = run(&f, &lf, &[anchor(&ta)]);
    let fs = failures(r);
    assert_eq!(fs.len(), 5, "only max_authority_hints hints are followed");
    assert!(f.calls().len() <= 6, "{:?}", f.calls());

    // ta → i1 → … → i6 → leaf: six Intermediates.
    let chain_ids: Vec<Entity> = (1..=6).map(|i| Entity::new(&format!("https://i{i}.example.com"))).collect();
    let mut f = MockFetcher::default();
    authority(&mut f, &ta, &[]);
    for (i, e) in chain_ids.iter().enumerate() {
        let sup = if i == 0 { &ta } else { &chain_ids[i - 1] };
        authority(&mut f, e, &[sup]);
        statement(&mut f, sup, e);
    }
    let last = &chain_ids[5];
    leaf(&mut f, &lf, &[last]);
    statement(&mut f, last, &lf);
    assert!(failures(run(&f, &lf, &[anchor(&ta)])).is_empty(), "default max_intermediates is 4");
    let deep = ResolveOptions { max_intermediates: 6, ..opts() };
    let chain = block_on(resolve(&f, &lf.id, &[anchor(&ta)], &deep)).unwrap();
    assert_eq!(chain.intermediates, 6);
    // The fetch budget bounds the work whatever the limits say.
    let starved = ResolveOptions { max_intermediates: 6, max_fetches: 5, ..opts() };
    let fs = failures(block_on(resolve(&f, &lf.id, &[anchor(&ta)], &starved)));
    assert!(fs.iter().any(|p| matches!(p.error, ChainError::FetchBudgetExhausted(5))), "{fs:?}");
}

#[test]
fn expired_and_future_statements() {
    let mut t = three();
    statement_with(&mut t.f, &t.ta, &t.ia, |s| {
        s.iat = NOW - 2 * HOUR;
        s.exp = NOW - HOUR;
    });
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Statement { index: 2, source: StatementError::Expired { .. } }, .. }]), "{fs:?}");
    let mut t = three();
    statement_with(&mut t.f, &t.ia, &t.leaf, |s| s.iat = NOW + HOUR);
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Statement { index: 1, source: StatementError::IssuedInFuture { .. } }, .. }]));
    // An expired subject EC stops the resolution at once.
    let mut t = three();
    leaf_with(&mut t.f, &t.leaf, &[&t.ia], |ec| {
        ec.iat = NOW - 2 * HOUR;
        ec.exp = NOW - HOUR;
    });
    assert!(matches!(run(&t.f, &t.leaf, &[anchor(&t.ta)]), Err(ChainError::EntityConfiguration { source: StatementError::Expired { .. }, .. })));
}

#[test]
fn link_rules_of_a_supplied_chain() {
    let t = three();
    let chain = run(&t.f, &t.leaf, &[anchor(&t.ta)]).unwrap();
    let s: Vec<&str> = chain.statements.iter().map(String::as_str).collect();
    let anchors = [anchor(&t.ta)];
    let v = &opts().validation;
    // Out of order.
    assert!(matches!(validate_chain(&[s[0], s[2], s[1], s[3]], &anchors, v), Err(ChainError::BrokenLink { index: 1, .. })));
    // A missing link.
    assert!(matches!(validate_chain(&[s[0], s[2], s[3]], &anchors, v), Err(ChainError::BrokenLink { .. })));
    // Nothing between the subject and the anchor.
    assert!(matches!(validate_chain(&[s[0], s[3]], &anchors, v), Err(ChainError::MissingSubordinateStatement)));
    assert!(matches!(validate_chain(&[], &anchors, v), Err(ChainError::Empty)));
    // A chain must start with an Entity Configuration.
    assert!(matches!(
        validate_chain(&[s[1], s[2], s[3]], &anchors, v),
        Err(ChainError::Statement { index: 0, source: StatementError::NotEntityConfiguration })
    ));
    // An EC in the middle.
    let ia_ec = t.f.ecs[&t.ia.id].as_str();
    assert!(matches!(validate_chain(&[s[0], ia_ec, s[2], s[3]], &anchors, v), Err(ChainError::Statement { index: 1, .. })));
}

#[test]
fn superior_must_be_in_authority_hints() {
    let mut t = three();
    let other = Entity::new("https://other-ia.example.com");
    authority(&mut t.f, &other, &[&t.ta]);
    statement(&mut t.f, &t.ta, &other);
    statement(&mut t.f, &other, &t.leaf);
    // Assemble leaf ← other ← ta although the leaf names only ia.
    let s = [
        t.f.ecs[&t.leaf.id].clone(),
        t.f.subs[&(fetch_endpoint(&other), t.leaf.id.clone())].clone(),
        t.f.subs[&(fetch_endpoint(&t.ta), other.id.clone())].clone(),
        t.f.ecs[&t.ta.id].clone(),
    ];
    let refs: Vec<&str> = s.iter().map(String::as_str).collect();
    assert!(matches!(
        validate_chain(&refs, &[anchor(&t.ta)], &opts().validation),
        Err(ChainError::IssuerNotInAuthorityHints { issuer }) if issuer == other.id
    ));
}

#[test]
fn constraints_along_the_chain() {
    let with_constraints = |c: Constraints| {
        let mut t = three();
        statement_with(&mut t.f, &t.ta, &t.ia, |s| s.constraints = Some(c));
        t
    };
    // §6.2.1: 0 from the TA forbids anything below the IA.
    let t = with_constraints(Constraints { max_path_length: Some(0), ..Default::default() });
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Constraints(ConstraintError::PathTooLong { max: 0, actual: 1 }), .. }]));
    let t = with_constraints(Constraints { max_path_length: Some(1), ..Default::default() });
    run(&t.f, &t.leaf, &[anchor(&t.ta)]).unwrap();

    let names = |permitted: Option<Vec<&str>>, excluded: Option<Vec<&str>>| Constraints {
        naming_constraints: Some(NamingConstraints {
            permitted: permitted.map(|v| v.into_iter().map(String::from).collect()),
            excluded: excluded.map(|v| v.into_iter().map(String::from).collect()),
        }),
        ..Default::default()
    };
    // The leaf is under example.org, the IA under example.com.
    let t = with_constraints(names(Some(vec![".example.com"]), None));
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(
        matches!(fs.as_slice(), [PathFailure { error: ChainError::Constraints(ConstraintError::NameNotPermitted { entity_id }), .. }] if *entity_id == t.leaf.id)
    );
    let t = with_constraints(names(Some(vec![".example.com", ".example.org"]), Some(vec!["leaf.example.org"])));
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Constraints(ConstraintError::NameExcluded { .. }), .. }]));
    let t = with_constraints(names(Some(vec![".example.com", ".example.org"]), None));
    run(&t.f, &t.leaf, &[anchor(&t.ta)]).unwrap();

    let t = with_constraints(Constraints { allowed_entity_types: Some(vec!["openid_provider".into()]), ..Default::default() });
    let chain = run(&t.f, &t.leaf, &[anchor(&t.ta)]).unwrap();
    assert_eq!(chain.metadata.keys().collect::<Vec<_>>(), vec!["federation_entity"]);
}

#[test]
fn policy_errors_invalidate_the_chain() {
    // Each policy legal alone; merged, add escapes subset_of.
    let mut t = three();
    statement_with(&mut t.f, &t.ta, &t.ia, |s| {
        s.metadata_policy = Some(json!({"openid_relying_party": {"grant_types": {"subset_of": ["authorization_code"]}}}))
    });
    statement_with(&mut t.f, &t.ia, &t.leaf, |s| s.metadata_policy = Some(json!({"openid_relying_party": {"grant_types": {"add": ["implicit"]}}})));
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Policy(PolicyError::IncompatibleValues { .. }), .. }]), "{fs:?}");
    assert_eq!(fs[0].error.error_code(), "invalid_trust_chain");

    // Unequal values.
    let mut t = three();
    statement_with(&mut t.f, &t.ta, &t.ia, |s| s.metadata_policy = Some(json!({"openid_relying_party": {"application_type": {"value": "web"}}})));
    statement_with(&mut t.f, &t.ia, &t.leaf, |s| s.metadata_policy = Some(json!({"openid_relying_party": {"application_type": {"value": "native"}}})));
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Policy(PolicyError::MergeConflict { operator: "value", .. }), .. }]));

    // The metadata fails an essential parameter.
    let mut t = three();
    statement_with(&mut t.f, &t.ta, &t.ia, |s| s.metadata_policy = Some(json!({"openid_relying_party": {"jwks_uri": {"essential": true}}})));
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Metadata(MetadataError::Rejected { operator: "essential", .. }), .. }]));
    assert_eq!(fs[0].error.error_code(), "invalid_metadata");

    // A critical operator declared by the TA, used by the IA.
    let mut t = three();
    statement_with(&mut t.f, &t.ta, &t.ia, |s| s.metadata_policy_crit = Some(vec!["regexp".into()]));
    statement_with(&mut t.f, &t.ia, &t.leaf, |s| s.metadata_policy = Some(json!({"openid_relying_party": {"client_name": {"regexp": "^A"}}})));
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Policy(PolicyError::CriticalOperatorNotUnderstood { .. }), .. }]));
    // Not critical: ignored.
    let mut t = three();
    statement_with(&mut t.f, &t.ia, &t.leaf, |s| s.metadata_policy = Some(json!({"openid_relying_party": {"client_name": {"regexp": "^A"}}})));
    run(&t.f, &t.leaf, &[anchor(&t.ta)]).unwrap();
}

#[test]
fn superior_metadata_overrides_the_subject() {
    let mut t = three();
    statement_with(&mut t.f, &t.ia, &t.leaf, |s| {
        s.metadata = Some(
            json!({"openid_relying_party": {"grant_types": ["authorization_code"], "client_name": "Set by IA"},
                                 "openid_provider": {"issuer": "https://leaf.example.org"}})
            .as_object()
            .cloned()
            .unwrap(),
        );
    });
    let chain = run(&t.f, &t.leaf, &[anchor(&t.ta)]).unwrap();
    assert_eq!(chain.metadata["openid_relying_party"]["grant_types"], json!(["authorization_code"]));
    assert_eq!(chain.metadata["openid_relying_party"]["client_name"], "Set by IA");
    assert!(chain.metadata.get("openid_provider").is_none(), "a superior cannot add entity types");
}

#[test]
fn fetch_failures() {
    let t = three();
    let nobody = Entity::new("https://nobody.example.org");
    assert!(matches!(run(&t.f, &nobody, &[anchor(&t.ta)]), Err(ChainError::Fetch { source: FetchError::NotFound, .. })));
    // An Intermediate without a fetch endpoint.
    let mut t = three();
    authority_with(&mut t.f, &t.ia, &[&t.ta], |ec| ec.metadata = None);
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::NoFetchEndpoint(id), .. }] if *id == t.ia.id));
    // A missing statement.
    let mut t = three();
    t.f.subs.clear();
    let fs = failures(run(&t.f, &t.leaf, &[anchor(&t.ta)]));
    assert!(matches!(fs.as_slice(), [PathFailure { error: ChainError::Fetch { source: FetchError::NotFound, .. }, .. }]));
    // An EC published under another entity's ID.
    let mut t = three();
    let ia_ec = t.f.ecs[&t.ia.id].clone();
    t.f.ecs.insert(t.leaf.id.clone(), ia_ec);
    assert!(matches!(
        run(&t.f, &t.leaf, &[anchor(&t.ta)]),
        Err(ChainError::EntityConfiguration { source: StatementError::Unexpected { claim: "sub", .. }, .. })
    ));
}

#[test]
fn supplied_entity_configuration() {
    let t = three();
    let ec = t.f.ecs[&t.leaf.id].clone();
    let chain = block_on(resolve_with_configuration(&t.f, &ec, &[anchor(&t.ta)], &opts())).unwrap();
    assert_eq!(chain.subject, t.leaf.id);
    assert!(!t.f.calls().contains(&format!("ec {}", t.leaf.id)), "the supplied EC is not fetched");
}

#[test]
fn cache_keeps_chains_until_expiry() {
    let mut t = three();
    statement_with(&mut t.f, &t.ia, &t.leaf, |s| s.exp = NOW + 100);
    let chain = run(&t.f, &t.leaf, &[anchor(&t.ta)]).unwrap();
    let mut cache = ChainCache::new();
    cache.insert(chain.clone());
    assert_eq!(cache.get(&t.leaf.id, None, NOW), Some(&chain));
    assert_eq!(cache.get(&t.leaf.id, Some(&t.ta.id), NOW + 99), Some(&chain));
    assert_eq!(cache.get(&t.leaf.id, Some("https://other.example"), NOW), None);
    assert_eq!(cache.get(&t.leaf.id, None, NOW + 100), None, "gone at the chain's exp");
    assert!(cache.is_empty(), "expired entries are dropped");
    cache.insert(chain);
    cache.remove(&t.leaf.id);
    assert_eq!(cache.len(), 0);
}

/// The web layer runs resolutions on a multi-threaded executor: the future
/// must be `Send` when the fetcher is `Sync`.
#[test]
fn resolution_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let t = three();
    let o = opts();
    let anchors = [anchor(&t.ta)];
    let fut = resolve(&t.f, &t.leaf.id, &anchors, &o);
    assert_send(&fut);
    assert!(block_on(fut).is_ok());
}
