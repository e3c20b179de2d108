//! JWT verification (`core::keys`): the client assertions of
//! `private_key_jwt` (`keys::peek_claims` to find the client, then
//! `keys::verify` against its keys) and every other inbound JWS.
//!
//! Invariants: a token verifies only with an accepted algorithm (never
//! `none` or HMAC), and the claims handed out are exactly the signed
//! payload; what is refused is refused without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use trame_core::keys::{self, ACCEPTED_INBOUND};

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else { return };
    let peeked = keys::peek_claims(token);
    let jwks = trame_fuzz::public_jwks();
    for allowed in [ACCEPTED_INBOUND, &["ES256"][..], &["HS256", "none"][..]] {
        if let Ok(v) = keys::verify(token, jwks, allowed) {
            assert!(allowed.contains(&v.alg.as_str()) && ACCEPTED_INBOUND.contains(&v.alg.as_str()), "verified with {}", v.alg);
            assert_eq!(peeked.as_ref(), Some(&v.claims), "verified claims differ from the payload");
            let header = token.split('.').next().and_then(trame_core::crypto::b64url_decode).and_then(|h| serde_json::from_slice::<Value>(&h).ok());
            assert_eq!(header.as_ref().and_then(|h| h["alg"].as_str()), Some(v.alg.as_str()));
        }
    }
    // With no key nothing verifies.
    assert!(keys::verify(token, &[], ACCEPTED_INBOUND).is_err());
});
