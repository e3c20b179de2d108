//! The authorization request (`GET /authorize` query): the strict query
//! decoding of `trame-web`, then `core::authorize` against a registered
//! client, as `routes/authorize.rs` does.
//!
//! Invariants: an error may go to a redirect URI only if that URI is one the
//! client registered and the request named exactly once; an accepted
//! request asks for `openid` within the client's scopes, with `code`, an S256
//! challenge when PKCE is required, and no `prompt=none` mixed with others.
#![no_main]
use libfuzzer_sys::fuzz_target;
use trame_core::authorize::{self, AuthorizeError, RawParams};

fuzz_target!(|data: &[u8]| {
    let Some(pairs) = trame_core::form::parse_urlencoded(data) else { return };
    let raw = RawParams::new(&pairs);
    let Ok(client_id) = authorize::client_id(&raw) else { return };
    let values = |name: &str| pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
    for client in trame_fuzz::clients() {
        // The caller looks the client up by id; try both whatever the id says.
        let _ = client_id;
        let result = authorize::validate(&raw, client);
        let reply = match &result {
            Ok(r) => Some(&r.reply),
            Err(AuthorizeError::Redirect(reply, e)) => {
                assert!(!e.code.as_str().is_empty());
                Some(reply)
            }
            Err(AuthorizeError::Page(_)) => None,
        };
        if let Some(reply) = reply {
            assert!(client.redirect_uris.iter().any(|u| u.as_str() == reply.redirect_uri.as_str()), "redirect to an unregistered URI");
            assert_eq!(values("redirect_uri"), vec![reply.redirect_uri.as_str()], "redirect URI not named exactly once");
            let states = values("state");
            assert!(states.len() <= 1, "a duplicated state reached the redirect");
            assert_eq!(reply.state.as_deref(), states.first().copied().filter(|s| !s.is_empty()));
        }
        if let Ok(r) = result {
            assert_eq!(values("response_type"), vec!["code"]);
            assert!(r.scopes.contains("openid") && r.scopes.is_subset_of(&client.scopes));
            if client.requires_pkce() {
                assert!(r.code_challenge.is_some(), "PKCE required but no challenge");
            }
            if let Some(c) = &r.code_challenge {
                assert_eq!(c.as_str().len(), 43);
            }
            assert!(!(r.prompt.none && (r.prompt.login || r.prompt.consent || r.prompt.select_account)));
            assert!(r.max_age.is_none_or(|a| a >= 0));
            assert_eq!(r.client_id, client.id.as_str());
        }
    }
});
