//! Trust marks (OpenID Federation §7): `trust_mark::validate` of a trust
//! mark JWT (and of the delegation it may carry) against a Trust Anchor that
//! recognises the fixture key's issuer for one type and names an owner for
//! another.
//!
//! Invariants: an accepted mark is about the expected subject, within its
//! times, of a type the Trust Anchor lists with that issuer.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use trame_federation::statement::{EntityStatement, TrustMarkEntry, ValidationOptions};
use trame_federation::trust_mark;
use trame_fuzz::NOW;
use trame_jose::Jwks;

const SUBJECT: &str = "https://rp.example.fr";

fn anchor() -> &'static (EntityStatement, Jwks) {
    static TA: OnceLock<(EntityStatement, Jwks)> = OnceLock::new();
    TA.get_or_init(|| {
        let keys = Jwks::parse(&json!({ "keys": trame_fuzz::public_jwks() })).expect("fixture keys");
        let mut ta = EntityStatement::new("https://ta.example.fr", "https://ta.example.fr", NOW, NOW + 86_400, keys.clone());
        ta.trust_mark_issuers = json!({
            "https://ta.example.fr/tm/member": ["https://tmi.example.fr"],
            "https://ta.example.fr/tm/open": [],
            "https://ta.example.fr/tm/delegated": ["https://tmi.example.fr"],
        })
        .as_object()
        .cloned();
        ta.trust_mark_owners = json!({
            "https://ta.example.fr/tm/delegated": { "sub": "https://owner.example.fr", "jwks": keys.to_json() },
        })
        .as_object()
        .cloned();
        (ta, keys)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(jwt) = std::str::from_utf8(data) else { return };
    let (ta, keys) = anchor();
    let opts = ValidationOptions::at(NOW);
    if let Ok(mark) = trust_mark::validate(jwt, SUBJECT, keys, ta, &opts) {
        assert_eq!(mark.sub, SUBJECT);
        assert!(mark.iat <= NOW + opts.leeway && mark.exp.is_none_or(|e| e > NOW - opts.leeway));
        let issuers = ta.trust_mark_issuers.as_ref().and_then(|m| m.get(&mark.trust_mark_type)).and_then(Value::as_array).expect("a listed type");
        assert!(issuers.is_empty() || issuers.iter().any(|i| i.as_str() == Some(mark.iss.as_str())));
        if ta.trust_mark_owners.as_ref().is_some_and(|o| o.contains_key(&mark.trust_mark_type)) {
            assert!(mark.delegation.is_some(), "an owned type without delegation");
        }
        let entry = TrustMarkEntry { trust_mark_type: mark.trust_mark_type.clone(), trust_mark: jwt.to_owned() };
        assert!(trust_mark::validate_entry(&entry, SUBJECT, keys, ta, &opts).is_ok());
    }
});
