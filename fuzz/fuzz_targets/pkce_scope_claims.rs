//! The small parameters of the authorization and token requests: `scope`
//! (RFC 6749 §3.3), `code_challenge`/`code_verifier` (RFC 7636, S256 only)
//! and the `claims` parameter (OIDC Core §5.5).
//!
//! Invariants: scopes print and re-parse to the same set, of allowed
//! characters; an accepted challenge is 43 base64url characters and a
//! verifier is accepted only if its S256 is the challenge; a `claims`
//! request survives its own JSON form (it is stored with the grant).
#![no_main]
use libfuzzer_sys::fuzz_target;
use trame_core::claims::ClaimsRequest;
use trame_core::crypto::{b64url, sha256};
use trame_core::pkce::{self, CodeChallenge};
use trame_core::scope::Scopes;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };

    if let Ok(scopes) = Scopes::parse(s) {
        let printed = scopes.to_string_sorted();
        assert!(printed.bytes().all(|b| b == b' ' || (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\'));
        assert_eq!(Scopes::parse(&printed).as_ref(), Ok(&scopes));
    }

    // "challenge verifier" and "challenge" alone.
    let (challenge, verifier) = s.split_once(' ').map_or((s, None), |(c, v)| (c, Some(v)));
    for method in [Some("S256"), Some("plain"), None] {
        if let Ok(c) = CodeChallenge::parse(challenge, method) {
            assert_eq!(method, Some("S256"));
            assert_eq!(c.as_str().len(), 43);
            if let Some(v) = verifier
                && pkce::check(Some(&c), Some(v)).is_ok()
            {
                assert_eq!(b64url(&sha256(v.as_bytes())), c.as_str());
            }
        }
    }

    if let Ok(r) = ClaimsRequest::parse(s) {
        assert_eq!(ClaimsRequest::from_json(&r.to_json()).as_ref(), Ok(&r), "claims request changed through its stored form");
    }
});
