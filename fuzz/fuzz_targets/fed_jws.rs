//! Federation JWS decoding (`trame_jose`): the split and decode every
//! entity statement, trust mark and delegation goes through, the header
//! rules, the signature check against a key set, and JWK set parsing.
//!
//! Invariants: a decoded JWT is exactly the three-part input with object
//! header and claims; a header that passes names an allowed algorithm and a
//! kid; a signature that verifies covers exactly the decoded claims.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use trame_jose::{Alg, Jwks};

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else { return };
    if let Ok(v) = serde_json::from_str::<Value>(token) {
        if let Ok(set) = Jwks::parse(&v) {
            assert_eq!(Jwks::parse(&set.to_json()).as_ref().ok(), Some(&set));
        }
    }
    let Ok(d) = trame_jose::decode(token) else { return };
    assert_eq!(d.raw(), token);
    assert_eq!(token.split('.').count(), 3);
    assert!(!token.rsplit('.').next().unwrap_or("").is_empty(), "an unsigned JWS was decoded");
    let keys = Jwks::parse(&json!({ "keys": trame_fuzz::public_jwks() })).expect("fixture keys");
    for allowed in [&Alg::ALL[..], &[Alg::ES256][..]] {
        for typ in ["entity-statement+jwt", "trust-mark+jwt", "trust-mark-delegation+jwt"] {
            if let Ok(alg) = d.check_header(typ, allowed) {
                assert!(allowed.contains(&alg) && d.typ() == Some(typ) && d.kid().is_some_and(|k| !k.is_empty()));
            }
        }
        if d.verify_signature(&keys, allowed).is_ok() {
            let alg = Alg::parse(d.alg().unwrap_or("")).expect("verified with a named algorithm");
            assert!(allowed.contains(&alg));
            let payload = token.split('.').nth(1).and_then(trame_core::crypto::b64url_decode).expect("payload");
            assert_eq!(serde_json::from_slice::<Value>(&payload).ok().as_ref().and_then(Value::as_object), Some(&d.claims));
        }
    }
});
