//! Fixtures shared by the fuzz targets: fixed keys (test keys, published
//! here on purpose: they sign nothing outside the fuzz corpus), a registered
//! client, a relying party, and the byte framing of the structured targets.
//!
//! The seed corpus under `corpus/` is made with the same keys
//! (`make_corpus.py`), so seeded JWTs verify and the fuzzer mutates valid
//! tokens, not only garbage.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use josekit::jws::{EdDSA, ES256, JwsSigner};
use serde_json::Value;
use trame_core::client::{Client, PkcePolicy};
use trame_core::ids::ClientId;
use trame_core::registration::{self, ClientRequest, Rules};

/// P-256 key of the JWT and entity statement seeds (kid [`ES256_KID`]).
pub const ES256_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZPShRn33kezOixxj
oy7L/i6tuK04oGBqoR8d6EHyu5ihRANCAARXKMDh0FRVCYovvGZ912BOR3g1NqL/
R+rL8y859OWBNT7Rw0R8IWI2KvVPFBd3vcubW5KKx4dTqOaGwgK2rgHa
-----END PRIVATE KEY-----
";
pub const ES256_KID: &str = "fuzz-es256";

/// Ed25519 key: EdDSA JWTs (kid [`ED25519_KID`]) and the software
/// authenticator of the WebAuthn targets.
pub const ED25519_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJu3KFDcsxltjitx1IrA01dL3Ce0pRIwQsK8xmXm28UE
-----END PRIVATE KEY-----
";
pub const ED25519_KID: &str = "fuzz-ed25519";

/// The fixed clock of the targets (2025-06-15), the `iat` of the seeds.
pub const NOW: i64 = 1_750_000_000;

/// The issuer and relying party of the targets.
pub const ISSUER: &str = "https://login.example.fr";
pub const RP_ID: &str = "login.example.fr";

pub fn b64(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// The public JWKs of the two fixed keys, with `kid`, `alg` and `use`.
pub fn public_jwks() -> &'static [Value] {
    static JWKS: OnceLock<Vec<Value>> = OnceLock::new();
    JWKS.get_or_init(|| {
        let es = ES256.key_pair_from_pem(ES256_PEM).expect("ES256 fixture").to_jwk_public_key();
        let ed = EdDSA.key_pair_from_pem(ED25519_PEM).expect("Ed25519 fixture").to_jwk_public_key();
        [(es, ES256_KID, "ES256"), (ed, ED25519_KID, "EdDSA")]
            .into_iter()
            .map(|(mut jwk, kid, alg)| {
                jwk.set_key_id(kid);
                jwk.set_algorithm(alg);
                jwk.set_key_use("sig");
                Value::Object(jwk.as_ref().clone())
            })
            .collect()
    })
}

/// The raw 32-byte Ed25519 public key (the COSE key of the authenticator).
pub fn ed25519_public() -> [u8; 32] {
    let x = public_jwks()[1]["x"].as_str().expect("x");
    URL_SAFE_NO_PAD.decode(x).expect("x is base64url").try_into().expect("32 bytes")
}

/// An Ed25519 signature by the fixed key.
pub fn ed25519_sign(message: &[u8]) -> Vec<u8> {
    static SIGNER: OnceLock<josekit::jws::alg::eddsa::EddsaJwsSigner> = OnceLock::new();
    SIGNER.get_or_init(|| EdDSA.signer_from_pem(ED25519_PEM).expect("Ed25519 fixture")).sign(message).expect("Ed25519 signs")
}

/// Registered clients the authorization target validates against: a
/// confidential one that may skip PKCE, and a public one (PKCE required).
pub fn clients() -> &'static [Client; 2] {
    static CLIENTS: OnceLock<[Client; 2]> = OnceLock::new();
    CLIENTS.get_or_init(|| {
        let make = |id: &str, method: &str, pkce: PkcePolicy| {
            let req = ClientRequest {
                redirect_uris: vec!["https://rp.example/cb".into(), "com.example.app:/cb".into(), "http://127.0.0.1:8000/cb".into()],
                grant_types: Some(vec!["authorization_code".into(), "refresh_token".into()]),
                application_type: Some("native".into()),
                scope: Some("openid profile email offline_access".into()),
                token_endpoint_auth_method: Some(method.into()),
                subject_type: Some("public".into()),
                pkce: Some(pkce),
                ..Default::default()
            };
            let settings = registration::validate(req, &Rules::dynamic(pkce)).expect("fixture client is valid");
            Client { id: ClientId::parse(id).expect("client id"), tenant_id: "t".into(), secret_digest: None, registration_token_digest: None, federation: None, settings }
        };
        [make("rp", "client_secret_basic", PkcePolicy::Optional), make("app", "none", PkcePolicy::Optional)]
    })
}

/// Splits `[u16 BE length][a][u16 BE length][b][rest]` into `(a, b, rest)`;
/// lengths past the end are cut to what is there.
pub fn split3(data: &[u8]) -> (&[u8], &[u8], &[u8]) {
    fn take(d: &[u8]) -> (&[u8], &[u8]) {
        if d.len() < 2 {
            return (&[], d);
        }
        let n = usize::from(u16::from_be_bytes([d[0], d[1]])).min(d.len() - 2);
        (&d[2..2 + n], &d[2 + n..])
    }
    let (a, rest) = take(data);
    let (b, rest) = take(rest);
    (a, b, rest)
}

/// Replaces every `{{challenge}}` in `template` by `challenge`.
pub fn with_challenge(template: &[u8], challenge: &str) -> Vec<u8> {
    const MARK: &[u8] = b"{{challenge}}";
    let mut out = Vec::with_capacity(template.len() + 16);
    let mut i = 0;
    while i < template.len() {
        if template[i..].starts_with(MARK) {
            out.extend_from_slice(challenge.as_bytes());
            i += MARK.len();
        } else {
            out.push(template[i]);
            i += 1;
        }
    }
    out
}

/// A minimal CBOR writer for attestation objects and COSE keys.
pub mod cbor {
    fn head(out: &mut Vec<u8>, major: u8, n: usize) {
        let m = major << 5;
        match n {
            0..=23 => out.push(m | n as u8),
            24..=0xff => out.extend_from_slice(&[m | 24, n as u8]),
            0x100..=0xffff => {
                out.push(m | 25);
                out.extend_from_slice(&(n as u16).to_be_bytes());
            }
            _ => {
                out.push(m | 26);
                out.extend_from_slice(&(n as u32).to_be_bytes());
            }
        }
    }
    pub fn text(out: &mut Vec<u8>, s: &str) {
        head(out, 3, s.len());
        out.extend_from_slice(s.as_bytes());
    }
    pub fn bytes(out: &mut Vec<u8>, b: &[u8]) {
        head(out, 2, b.len());
        out.extend_from_slice(b);
    }
    pub fn map(out: &mut Vec<u8>, entries: usize) {
        head(out, 5, entries);
    }
    /// `{"fmt": "none", "attStmt": {}, "authData": auth_data}`.
    pub fn none_attestation(auth_data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        map(&mut out, 3);
        text(&mut out, "fmt");
        text(&mut out, "none");
        text(&mut out, "attStmt");
        map(&mut out, 0);
        text(&mut out, "authData");
        bytes(&mut out, auth_data);
        out
    }
    /// The COSE_Key of an Ed25519 public key (kty OKP, alg EdDSA, crv Ed25519).
    pub fn ed25519_key(x: &[u8; 32]) -> Vec<u8> {
        let mut out = vec![0xa4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x06, 0x21];
        bytes(&mut out, x);
        out
    }
}

/// WebAuthn bodies as `PublicKeyCredential.toJSON()` gives them.
pub mod webauthn {
    use serde_json::json;

    use super::*;

    /// Authenticator data: RP ID hash, flags, counter, then `rest`
    /// (attested credential data, extensions).
    pub fn auth_data(flags: u8, counter: u32, rest: &[u8]) -> Vec<u8> {
        let mut out = trame_core::crypto::sha256(RP_ID.as_bytes()).to_vec();
        out.push(flags);
        out.extend_from_slice(&counter.to_be_bytes());
        out.extend_from_slice(rest);
        out
    }

    /// Attested credential data with the fixed Ed25519 key.
    pub fn attested_credential(credential_id: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; 16]; // aaguid: zeros, as synced passkeys say
        out.extend_from_slice(&(credential_id.len() as u16).to_be_bytes());
        out.extend_from_slice(credential_id);
        out.extend_from_slice(&cbor::ed25519_key(&ed25519_public()));
        out
    }

    /// Without `authenticatorData`, `publicKey` and `publicKeyAlgorithm`
    /// (optional to webauthn_rp's relaxed parser): with `publicKey` but no
    /// `authenticatorData`, webauthn_rp 0.3.0 compares the credential id
    /// with the wrong bytes and refuses the body. The JSON seeds carry all
    /// three, as browsers send them.
    pub fn registration_body(credential_id: &[u8], client_data: &[u8], attestation_object: &[u8]) -> Vec<u8> {
        json!({
            "id": b64(credential_id),
            "rawId": b64(credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": b64(client_data),
                "attestationObject": b64(attestation_object),
                "transports": ["internal", "hybrid"],
            },
            "clientExtensionResults": {"credProps": {"rk": true}},
        })
        .to_string()
        .into_bytes()
    }

    pub fn assertion_body(credential_id: &[u8], client_data: &[u8], auth_data: &[u8], signature: &[u8], user_handle: Option<&[u8]>) -> Vec<u8> {
        let mut response = json!({
            "clientDataJSON": b64(client_data),
            "authenticatorData": b64(auth_data),
            "signature": b64(signature),
        });
        if let Some(h) = user_handle {
            response["userHandle"] = json!(b64(h));
        }
        json!({
            "id": b64(credential_id),
            "rawId": b64(credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": response,
            "clientExtensionResults": {},
        })
        .to_string()
        .into_bytes()
    }
}
