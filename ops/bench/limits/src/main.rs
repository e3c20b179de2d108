//! Prints one JSON object: operations per second on one thread for
//!
//! - `es256_sign`: an ES256 access token signed as Trame does
//!   (josekit `jwt::encode_with_signer`, a signer built once);
//! - `es256_verify`: the same token verified with a verifier built once;
//! - `es256_verify_from_jwk`: verified with a verifier built from the JWK
//!   for each token;
//! - `jose_sign`: the token signed through `trame_jose::SigningKey`, as
//!   Trame signs (ES256 computed by ring since issue 21);
//! - `jose_verify_cached`: verified through `trame_jose::Jwks::verify` with
//!   the set built once, as Trame verifies (a tenant's keys per catalog
//!   snapshot, a client's key set while it is cached): the verifier is
//!   built on the first token and kept;
//! - `jose_verify_new_set`: the same with a new set for each token, so a
//!   verifier built each time (what verifying against a JWKS held as JSON
//!   costs; `trame_core::keys::verify` and clients' inline keys did so
//!   before trame-jose kept verifiers);
//! - `argon2id`: one password hash/verification at Trame's parameters
//!   (m = 19456 KiB, t = 2, p = 1; `idp/core/src/password.rs`);
//! - `p256_assertion_verify`: the signature check of a passkey sign-in as
//!   webauthn_rp makes it (the `p256` crate, RustCrypto, not OpenSSL): the
//!   stored public key decompressed from its 33-byte form, the DER signature
//!   parsed, ECDSA P-256 / SHA-256 verified over authenticator data (37
//!   bytes) followed by the SHA-256 of the client data.
//!
//! Usage: trame-bench-limits [SECONDS per measurement, default 3]
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use josekit::jwk::Jwk;
use josekit::jws::{ES256, JwsHeader};
use josekit::jwt::{self, JwtPayload};
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::ecdsa::{DerSignature, Signature, SigningKey, VerifyingKey};
use trame_jose::{Alg, Jwks};

fn rate(secs: f64, mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    let budget = Duration::from_secs_f64(secs);
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        f();
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let secs: f64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(3.0);

    let kp = ES256.generate_key_pair().expect("key pair");
    let signer = ES256.signer_from_pem(kp.to_pem_private_key()).expect("signer");
    let jwk: Jwk = kp.to_jwk_public_key();
    let verifier = ES256.verifier_from_jwk(&jwk).expect("verifier");
    let claims = serde_json::json!({
        "iss": "http://localhost:8080", "sub": "bench-m2m", "aud": "http://localhost:8080",
        "client_id": "bench-m2m", "iat": 1_700_000_000, "exp": 1_700_000_300,
        "jti": "0123456789abcdef0123456789abcdef", "scope": "openid profile email"
    });
    let sign_once = || {
        let mut header = JwsHeader::new();
        header.set_token_type("at+jwt");
        header.set_key_id("kid-0123456789");
        let payload = JwtPayload::from_map(claims.as_object().unwrap().clone()).unwrap();
        jwt::encode_with_signer(&payload, &header, &signer).unwrap()
    };
    let token = sign_once();
    let es256_sign = rate(secs, || {
        std::hint::black_box(sign_once());
    });
    let es256_verify = rate(secs, || {
        std::hint::black_box(jwt::decode_with_verifier(&token, &verifier).unwrap());
    });
    let es256_verify_from_jwk = rate(secs, || {
        let v = ES256.verifier_from_jwk(&jwk).unwrap();
        std::hint::black_box(jwt::decode_with_verifier(&token, &v).unwrap());
    });

    let jose_key = trame_jose::SigningKey::from_pem(Alg::ES256, Some("kid-0123456789"), &kp.to_pem_private_key()).expect("trame-jose key");
    let jose_sign = rate(secs, || {
        std::hint::black_box(jose_key.sign("at+jwt", claims.as_object().unwrap()).unwrap());
    });
    let public = [jose_key.public_jwk().clone()];
    let set = Jwks::lenient(&public);
    let jose_verify_cached = rate(secs, || {
        std::hint::black_box(set.verify(&token, &[Alg::ES256]).unwrap());
    });
    let jose_verify_new_set = rate(secs, || {
        std::hint::black_box(Jwks::lenient(&public).verify(&token, &[Alg::ES256]).unwrap());
    });

    let params = Params::new(19 * 1024, 2, 1, None).unwrap();
    let a2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = [0u8; 32];
    let argon2id = rate(secs.max(2.0), || {
        a2.hash_password_into(b"un long mot de passe", b"somesaltsomesalt", &mut out).unwrap();
        std::hint::black_box(&out);
    });

    // A passkey assertion: fixed key and message (the work does not depend
    // on their values); the key stored compressed, as webauthn_rp keeps it.
    let passkey = SigningKey::from_slice(&[0x42; 32]).expect("P-256 scalar");
    let stored = passkey.verifying_key().to_encoded_point(true);
    let signed: Vec<u8> = (0u8..69).collect(); // authenticatorData ‖ SHA-256(clientDataJSON)
    let der = { let s: Signature = passkey.sign(&signed); s.to_der() };
    let p256_assertion_verify = rate(secs, || {
        let key = VerifyingKey::from_sec1_bytes(stored.as_bytes()).unwrap();
        let sig = DerSignature::from_bytes(der.as_bytes()).unwrap();
        key.verify(&signed, &sig).unwrap();
    });

    println!(
        "{}",
        serde_json::json!({
            "seconds_per_measure": secs,
            "es256_sign_per_s": es256_sign,
            "es256_verify_per_s": es256_verify,
            "es256_verify_from_jwk_per_s": es256_verify_from_jwk,
            "jose_sign_per_s": jose_sign,
            "jose_verify_cached_per_s": jose_verify_cached,
            "jose_verify_new_set_per_s": jose_verify_new_set,
            "argon2id_per_s": argon2id,
            "p256_assertion_verify_per_s": p256_assertion_verify,
        })
    );
}
