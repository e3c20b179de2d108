//! Passkey registration responses (`PublicKeyCredential.toJSON()` posted to
//! `/signup` and `/account`): `webauthn::registration_challenge` and
//! `webauthn::finish_registration` over webauthn_rp, after a real
//! `start_registration`.
//!
//! Two input shapes. A JSON body (first byte `{`) is fed as posted. Anything
//! else is structured, `[u16 len][client data JSON][u16 len][credential
//! id][attestation object]`: `{{challenge}}` in the client data becomes the
//! ceremony's challenge, and the body is assembled around the parts, so
//! mutations reach the client data, CBOR and authenticator data checks
//! behind the challenge comparison.
//!
//! Invariants of an accepted passkey: the challenge read from the body is
//! the ceremony's; the user was verified; the credential id is the body's;
//! the user handle is the one the ceremony was started for.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trame_fuzz::{ISSUER, split3, webauthn as body, with_challenge};
use trame_webauthn::{self as webauthn, RelyingParty, UserEntity};

const HANDLE: [u8; 16] = *b"fuzz-user-handle";

fn rp() -> &'static RelyingParty {
    static RP: OnceLock<RelyingParty> = OnceLock::new();
    RP.get_or_init(|| RelyingParty::for_issuer(ISSUER, "Trame").expect("fixture RP"))
}

fuzz_target!(|data: &[u8]| {
    let user = UserEntity { handle: HANDLE, name: "alice@example.fr", display_name: "Alice" };
    let started = webauthn::start_registration(rp(), &user, &[]).expect("registration starts");
    let (posted, id) = if data.first() == Some(&b'{') {
        (with_challenge(data, &started.challenge), None)
    } else {
        let (client_data, id, attestation) = split3(data);
        let client_data = with_challenge(client_data, &started.challenge);
        (body::registration_body(id, &client_data, attestation), Some(id))
    };
    let challenge = webauthn::registration_challenge(&posted);
    match webauthn::finish_registration(rp(), &started.state, &posted) {
        Ok(p) => {
            assert_eq!(challenge.ok().as_deref(), Some(started.challenge.as_str()), "accepted an answer to another challenge");
            assert!(p.user_verified, "registered without user verification");
            assert_eq!(p.user_handle, HANDLE);
            if let Some(id) = id {
                assert_eq!(p.credential_id, id);
            }
        }
        Err(e) => {
            let _ = e.code();
        }
    }
});
