//! Strict `application/x-www-form-urlencoded` decoding
//! (`idp/core/src/form.rs` `parse_urlencoded`): every query string and
//! form body (authorize, token, revocation, introspection, login forms); and
//! the `Authorization: Basic` credentials of the token endpoint
//! (`basic_credentials`, the input after `Basic `).
//!
//! Invariants: what the strict decoder accepts, the lenient WHATWG decoder
//! (`url::form_urlencoded`) reads the same way (strictness only refuses,
//! never changes a value); decoded pairs survive re-encoding; Basic
//! credentials survive their own encoding.
#![no_main]
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;
use trame_core::form::{basic_credentials, parse_urlencoded};

fuzz_target!(|data: &[u8]| {
    if let Some(pairs) = parse_urlencoded(data) {
        let lenient: Vec<(String, String)> = url::form_urlencoded::parse(data).into_owned().collect();
        assert_eq!(pairs, lenient, "strict and lenient decoding disagree");
        let encoded = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
        assert_eq!(parse_urlencoded(encoded.as_bytes()).as_ref(), Some(&pairs), "pairs changed through re-encoding");
    } else {
        assert!(std::str::from_utf8(data).is_err() || data.contains(&b'%'), "valid UTF-8 without escapes refused");
    }

    if let Some(b64) = std::str::from_utf8(data).ok().and_then(|h| h.strip_prefix("Basic "))
        && let Some((id, secret)) = basic_credentials(b64)
    {
        let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let again = STANDARD.encode(format!("{}:{}", enc(&id), enc(&secret)));
        assert_eq!(basic_credentials(&again), Some((id, secret)), "Basic credentials changed through their encoding");
    }
});
