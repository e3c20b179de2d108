//! Trame's rules over its JOSE layer (`trame-jose`, which signs and
//! verifies every JWS): the algorithms Trame signs its tokens with and
//! those it accepts from clients, the generation of token-signing keys
//! (their `kid` drawn from the [`Randomness`] passed in), and the OpenID
//! Connect half hash (`at_hash`, `c_hash`). Private keys leave generation
//! as PKCS#8 PEM (the store encrypts them at rest); public keys as JWKs.

use serde_json::Value;
use trame_jose::{Alg, SigningKey};

use crate::crypto::{Randomness, b64url, random_id};

/// The algorithms Trame signs its tokens with (ID tokens, access tokens,
/// signed UserInfo, logout tokens): the ones a client may register and a
/// tenant has keys for. ES256 is the default; RS256 is mandatory in OpenID
/// Connect.
pub const ISSUED: [Alg; 3] = [Alg::ES256, Alg::RS256, Alg::EdDSA];

/// The issued algorithm of this name, if Trame signs with it.
pub fn issued(name: &str) -> Option<Alg> {
    ISSUED.into_iter().find(|a| a.as_str() == name)
}

/// Algorithms accepted from outside (client assertions, Request Objects).
/// Never `none`, never HMAC with a public key (neither is an [`Alg`]).
pub const ACCEPTED_INBOUND: [Alg; 4] = [Alg::ES256, Alg::RS256, Alg::PS256, Alg::EdDSA];

/// `at_hash`/`c_hash` (OIDC Core §3.1.3.6): the left half of the hash that
/// the signature algorithm uses, base64url. Ed25519 signs with SHA-512.
pub fn half_hash(alg: Alg, data: &str) -> String {
    let h = alg.digest(data.as_bytes());
    b64url(&h[..h.len() / 2])
}

/// A freshly generated key pair, as the store keeps it.
pub struct GeneratedKey {
    pub kid: String,
    pub alg: Alg,
    /// PKCS#8 PEM of the private key; encrypt before storing.
    pub private_pem: Vec<u8>,
    /// The public JWK with `kid`, `alg` and `use` set.
    pub public_jwk: Value,
}

/// A token-signing key for `alg`. Its `kid` is 128 bits from `rng`; the key
/// material comes from OpenSSL's generator, the only one josekit can use
/// ([`SigningKey::generate`]).
pub fn generate(alg: Alg, rng: &dyn Randomness) -> Result<GeneratedKey, trame_jose::Error> {
    let kid = random_id(rng);
    let (key, private_pem) = SigningKey::generate(alg, Some(&kid))?;
    Ok(GeneratedKey { public_jwk: key.public_jwk().clone(), kid, alg, private_pem })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::OsRandom;
    use sha2::{Digest, Sha256};
    use trame_jose::Jwks;

    #[test]
    fn generated_keys_sign_what_their_jwk_verifies() {
        for alg in ISSUED {
            let k = generate(alg, &OsRandom).unwrap();
            assert_eq!(k.kid.len(), 22, "128 bits, base64url");
            let signer = SigningKey::from_pem(alg, Some(&k.kid), &k.private_pem).unwrap();
            let token = signer.sign("at+jwt", serde_json::json!({"sub": "alice"}).as_object().unwrap()).unwrap();
            let v = Jwks::lenient(std::slice::from_ref(&k.public_jwk)).verify(&token, &[alg]).unwrap();
            assert_eq!((v.claims["sub"].as_str(), v.kid.as_deref()), (Some("alice"), Some(k.kid.as_str())));
            assert_eq!(k.public_jwk["alg"], alg.as_str());
            assert!(k.public_jwk.get("d").is_none(), "public JWK must not leak the private part");
        }
    }

    #[test]
    fn issued_and_inbound_algorithms() {
        assert_eq!(issued("EdDSA"), Some(Alg::EdDSA));
        assert_eq!(issued("PS256"), None, "accepted from clients, never signed with");
        assert!(ISSUED.iter().all(|a| ACCEPTED_INBOUND.contains(a)));
    }

    #[test]
    fn at_hash_matches_spec_example() {
        // OIDC Core appendix A.3 uses RS256: at_hash of "jHkWEdUXMU1BwAsC4vtUsZwnNjsuwplDIC3T6xzWmVs" ... we
        // check the rule itself: left half of SHA-256, base64url.
        let h = half_hash(Alg::RS256, "abc");
        assert_eq!(h, b64url(&Sha256::digest(b"abc")[..16]));
        assert_eq!(half_hash(Alg::EdDSA, "abc").len(), 43);
    }
}
