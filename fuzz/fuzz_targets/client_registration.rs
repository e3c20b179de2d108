//! Client registration metadata (`POST /register` body, RFC 7591):
//! `ClientRequest::from_json` then `registration::validate`, with and without
//! a fetched sector identifier document; and the sector document parser.
//!
//! Invariants of an accepted client: its redirect URIs pass the redirect
//! URI rules again; a public client requires PKCE; scopes are supported
//! ones, with `openid` for the code flow; `private_key_jwt` comes with keys;
//! a JWK set has no private member; every list is bounded.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use trame_core::client::{AuthMethod, GrantType, PkcePolicy};
use trame_core::ids::RedirectUri;
use trame_core::registration::{self, ClientRequest, Rules};
use trame_core::scope::{SUPPORTED, Scopes};

fuzz_target!(|data: &[u8]| {
    let _ = registration::parse_sector_document(data);
    let Ok(body) = serde_json::from_slice::<Value>(data) else { return };
    let Ok(req) = ClientRequest::from_json(&body) else { return };
    let listed = body.get("redirect_uris").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect());
    for (pkce, sector) in [(PkcePolicy::Required, None), (PkcePolicy::Optional, listed)] {
        let rules = Rules { sector_redirect_uris: sector, ..Rules::dynamic(pkce) };
        let Ok(s) = registration::validate(req.clone(), &rules) else { continue };
        for u in s.redirect_uris.iter().chain(&s.post_logout_redirect_uris) {
            assert_eq!(RedirectUri::parse(u.as_str()).as_ref(), Ok(u));
        }
        assert!(s.redirect_uris.len() <= 20 && s.post_logout_redirect_uris.len() <= 20 && s.info.contacts.len() <= 20);
        if s.auth_method == AuthMethod::None {
            assert_eq!(s.pkce, PkcePolicy::Required, "a public client without PKCE");
            assert!(!s.grant_types.contains(&GrantType::ClientCredentials));
        }
        assert!(s.scopes.is_subset_of(&Scopes::from_tokens(SUPPORTED.iter().copied())));
        if s.grant_types.contains(&GrantType::AuthorizationCode) {
            assert!(s.scopes.contains("openid") && !s.redirect_uris.is_empty());
        }
        if s.auth_method == AuthMethod::PrivateKeyJwt {
            assert!(s.jwks.is_some() || s.jwks_uri.is_some());
        }
        if let Some(keys) = s.jwks.as_ref().and_then(|j| j["keys"].as_array()) {
            assert!(keys.iter().all(|k| ["d", "p", "q", "dp", "dq", "qi", "k"].iter().all(|m| k.get(m).is_none())), "private key accepted");
        }
        if let Some(a) = s.default_max_age {
            assert!(i64::from(a) >= 0);
        }
    }
});
