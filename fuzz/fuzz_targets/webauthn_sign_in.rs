//! Passkey sign-in responses (`POST /passkey/finish`):
//! `webauthn::parse_assertion` then `webauthn::finish_sign_in` against a
//! passkey registered once with the fixture's Ed25519 key.
//!
//! Two input shapes. A JSON body (first byte `{`) is fed as posted (a
//! discoverable ceremony). Anything else is structured, `[u16 len][client
//! data JSON][u16 len][authenticator data][options]`: `{{challenge}}` in the
//! client data becomes the ceremony's challenge, and the harness signs
//! authenticator data ‖ SHA-256(client data) with the passkey's key, so
//! mutations reach the flag, counter, extension and origin checks behind
//! the signature. Option bits: 1 username-first ceremony, 2 counter
//! regressions allowed, 4 no user handle, 8 the signature is the rest of
//! the options instead.
//!
//! Invariants of an accepted sign-in: the authenticator data is for our RP
//! ID, with user presence and verification; the counter stored is the one
//! signed (unless it is 0); a refused regression is never reported.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trame_core::crypto::sha256;
use trame_fuzz::{ISSUER, RP_ID, cbor, ed25519_sign, split3, webauthn as body, with_challenge};
use trame_webauthn::{self as webauthn, CounterPolicy, NewPasskey, RelyingParty, StoredPasskey, UserEntity};

const HANDLE: [u8; 16] = *b"fuzz-user-handle";
const CREDENTIAL_ID: &[u8] = b"fuzz-credential-0001";
/// The counter at registration: sign-ins must go above it.
const REGISTERED_COUNT: u32 = 5;

fn rp() -> &'static RelyingParty {
    static RP: OnceLock<RelyingParty> = OnceLock::new();
    RP.get_or_init(|| RelyingParty::for_issuer(ISSUER, "Trame").expect("fixture RP"))
}

/// The passkey, registered through the real registration path.
fn passkey() -> &'static NewPasskey {
    static PASSKEY: OnceLock<NewPasskey> = OnceLock::new();
    PASSKEY.get_or_init(|| {
        let user = UserEntity { handle: HANDLE, name: "alice@example.fr", display_name: "Alice" };
        let started = webauthn::start_registration(rp(), &user, &[]).expect("registration starts");
        let client_data = format!(r#"{{"type":"webauthn.create","challenge":"{}","origin":"{ISSUER}","crossOrigin":false}}"#, started.challenge);
        let auth_data = body::auth_data(0x45 | 0x08, REGISTERED_COUNT, &body::attested_credential(CREDENTIAL_ID));
        let posted = body::registration_body(CREDENTIAL_ID, client_data.as_bytes(), &cbor::none_attestation(&auth_data));
        webauthn::finish_registration(rp(), &started.state, &posted).expect("the fixture passkey registers")
    })
}

fuzz_target!(|data: &[u8]| {
    let pk = passkey();
    let stored = StoredPasskey { credential_id: &pk.credential_id, user_handle: pk.user_handle, public_key: &pk.public_key, dynamic: &pk.dynamic };
    let (posted, options, auth_data) = if data.first() == Some(&b'{') {
        (data.to_vec(), 0u8, None)
    } else {
        let (client_data, auth_data, rest) = split3(data);
        let options = rest.first().copied().unwrap_or(0);
        (Vec::new(), options, Some((client_data, auth_data, rest)))
    };
    let allow = [(pk.credential_id.clone(), pk.transports.clone())];
    let started = webauthn::start_sign_in(rp(), if options & 1 != 0 { Some(&allow[..]) } else { None }).expect("sign-in starts");
    let posted = match auth_data {
        None => with_challenge(&posted, &started.challenge),
        Some((client_data, auth_data, rest)) => {
            let client_data = with_challenge(client_data, &started.challenge);
            let signature = if options & 8 != 0 {
                rest.get(1..).unwrap_or_default().to_vec()
            } else {
                let mut signed = auth_data.to_vec();
                signed.extend_from_slice(&sha256(&client_data));
                ed25519_sign(&signed)
            };
            let handle = (options & 4 == 0).then_some(&HANDLE[..]);
            body::assertion_body(CREDENTIAL_ID, &client_data, auth_data, &signature, handle)
        }
    };
    let Ok(assertion) = webauthn::parse_assertion(&posted) else { return };
    if assertion.challenge() != started.challenge || assertion.credential_id() != CREDENTIAL_ID {
        return; // the caller would find no state or no passkey
    }
    let policy = if options & 2 != 0 { CounterPolicy::Allow } else { CounterPolicy::Refuse };
    if let Ok(signed_in) = webauthn::finish_sign_in(rp(), &started.state, &assertion, &stored, policy) {
        assert!(signed_in.user_verified);
        if policy == CounterPolicy::Refuse {
            assert!(!signed_in.counter_regressed, "a refused regression was accepted");
        }
        if let Some((_, auth_data, _)) = auth_data {
            assert!(auth_data.len() >= 37, "short authenticator data accepted");
            assert_eq!(auth_data[..32], sha256(RP_ID.as_bytes()), "authenticator data of another RP accepted");
            assert_eq!(auth_data[32] & 0x05, 0x05, "sign-in without user presence and verification");
            let counter = u32::from_be_bytes([auth_data[33], auth_data[34], auth_data[35], auth_data[36]]);
            if counter != 0 {
                assert_eq!(signed_in.sign_count, counter);
            }
        }
    }
});
