//! JWT verification (`trame_jose`): the client assertions of
//! `private_key_jwt` (`peek_claims` to find the client, then
//! `Jwks::verify` against its keys) and every other inbound JWS.
//!
//! Invariants: a token verifies only with an accepted algorithm (never
//! `none` or HMAC: neither is an `Alg`, so an empty list stands for them),
//! and the claims handed out are exactly the signed payload; what is
//! refused is refused without panicking.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use trame_core::keys::ACCEPTED_INBOUND;
use trame_jose::{Alg, Jwks};

/// Built once, as a node keeps a client's key set: its verifiers too.
fn keys() -> &'static Jwks {
    static KEYS: OnceLock<Jwks> = OnceLock::new();
    KEYS.get_or_init(|| Jwks::lenient(trame_fuzz::public_jwks()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else { return };
    let peeked = trame_jose::peek_claims(token);
    for allowed in [&ACCEPTED_INBOUND[..], &[Alg::ES256][..], &[][..]] {
        if let Ok(v) = keys().verify(token, allowed) {
            assert!(allowed.contains(&v.alg) && ACCEPTED_INBOUND.contains(&v.alg), "verified with {}", v.alg);
            assert_eq!(peeked.as_ref(), Some(&v.claims), "verified claims differ from the payload");
            let header = token.split('.').next().and_then(trame_core::crypto::b64url_decode).and_then(|h| serde_json::from_slice::<Value>(&h).ok());
            assert_eq!(header.as_ref().and_then(|h| h["alg"].as_str()), Some(v.alg.as_str()));
        }
    }
    // With no key nothing verifies.
    assert!(Jwks::default().verify(token, &ACCEPTED_INBOUND).is_err());
});
