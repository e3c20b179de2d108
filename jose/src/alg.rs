//! The JWS algorithms: names, hash functions, and what josekit (or, for
//! ES256 and ES384, ring) builds for each.

use josekit::JoseError;
use josekit::jwk::alg::ed::EdCurve;
use josekit::jwk::{Jwk, KeyPair};
use josekit::jws::{ES256, ES384, ES512, EdDSA, JwsSigner, JwsVerifier, PS256, PS384, PS512, RS256, RS384, RS512};
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::Error;
use crate::ecdsa_ring::{RingSigner, RingVerifier};

/// Asymmetric JWS algorithms (RFC 7518 §3, RFC 8037). Symmetric ones and
/// `none` have no variant: every signature Trame checks is checked with a
/// public key. Which of these a caller signs with or accepts is its own
/// rule (`trame_core::keys::ISSUED`, `ACCEPTED_INBOUND`; a federation's
/// `ValidationOptions::algorithms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alg {
    ES256,
    ES384,
    ES512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    EdDSA,
}

impl Alg {
    /// Every algorithm, in declaration order.
    pub const ALL: [Alg; 10] = [Alg::ES256, Alg::ES384, Alg::ES512, Alg::RS256, Alg::RS384, Alg::RS512, Alg::PS256, Alg::PS384, Alg::PS512, Alg::EdDSA];

    /// The algorithm of a JOSE `alg` value (case-sensitive, RFC 7515 §4.1.1).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Alg::ES256 => "ES256",
            Alg::ES384 => "ES384",
            Alg::ES512 => "ES512",
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
            Alg::EdDSA => "EdDSA",
        }
    }

    /// `data` hashed with the function the algorithm signs with: SHA-256,
    /// -384 or -512 by its suffix (RFC 7518 §3), SHA-512 for EdDSA (Ed25519,
    /// RFC 8032 §5.1). OpenID Connect's `at_hash` and `c_hash` take the left
    /// half of it.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Alg::ES256 | Alg::RS256 | Alg::PS256 => Sha256::digest(data).to_vec(),
            Alg::ES384 | Alg::RS384 | Alg::PS384 => Sha384::digest(data).to_vec(),
            Alg::ES512 | Alg::RS512 | Alg::PS512 | Alg::EdDSA => Sha512::digest(data).to_vec(),
        }
    }

    /// Position in [`Alg::ALL`]: the slot of a key's cached verifier.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// A verifier of this algorithm for a public JWK; an error when the key
    /// is not of the algorithm's type or is malformed.
    pub(crate) fn verifier(self, jwk: &Jwk) -> Result<Box<dyn JwsVerifier>, JoseError> {
        Ok(match self {
            Alg::ES256 => Box::new(RingVerifier::from_jwk(ES256, jwk)?),
            Alg::ES384 => Box::new(RingVerifier::from_jwk(ES384, jwk)?),
            Alg::ES512 => Box::new(ES512.verifier_from_jwk(jwk)?),
            Alg::RS256 => Box::new(RS256.verifier_from_jwk(jwk)?),
            Alg::RS384 => Box::new(RS384.verifier_from_jwk(jwk)?),
            Alg::RS512 => Box::new(RS512.verifier_from_jwk(jwk)?),
            Alg::PS256 => Box::new(PS256.verifier_from_jwk(jwk)?),
            Alg::PS384 => Box::new(PS384.verifier_from_jwk(jwk)?),
            Alg::PS512 => Box::new(PS512.verifier_from_jwk(jwk)?),
            Alg::EdDSA => Box::new(EdDSA.verifier_from_jwk(jwk)?),
        })
    }

    /// A signer of this algorithm for a PKCS#8 PEM private key.
    pub(crate) fn signer(self, pem: &[u8]) -> Result<Box<dyn JwsSigner>, Error> {
        let signer: Box<dyn JwsSigner> = match self {
            // ring for the two NIST curves it has (see `ecdsa_ring`).
            Alg::ES256 => Box::new(RingSigner::from_pem(ES256, pem).map_err(Error::BadKey)?),
            Alg::ES384 => Box::new(RingSigner::from_pem(ES384, pem).map_err(Error::BadKey)?),
            Alg::ES512 => Box::new(ES512.signer_from_pem(pem).map_err(Error::BadKey)?),
            Alg::RS256 => Box::new(RS256.signer_from_pem(pem).map_err(Error::BadKey)?),
            Alg::RS384 => Box::new(RS384.signer_from_pem(pem).map_err(Error::BadKey)?),
            Alg::RS512 => Box::new(RS512.signer_from_pem(pem).map_err(Error::BadKey)?),
            // josekit reads only RSA-PSS-typed PKCS#8 for PS*; an ordinary
            // RSA key goes through its JWK instead.
            Alg::PS256 => Box::new(PS256.signer_from_jwk(&rsa_private_jwk(pem)?).map_err(Error::BadKey)?),
            Alg::PS384 => Box::new(PS384.signer_from_jwk(&rsa_private_jwk(pem)?).map_err(Error::BadKey)?),
            Alg::PS512 => Box::new(PS512.signer_from_jwk(&rsa_private_jwk(pem)?).map_err(Error::BadKey)?),
            Alg::EdDSA => Box::new(EdDSA.signer_from_pem(pem).map_err(Error::BadKey)?),
        };
        Ok(signer)
    }

    /// The public JWK of a PKCS#8 PEM private key of this algorithm.
    pub(crate) fn public_jwk(self, pem: &[u8]) -> Result<Jwk, Error> {
        let jwk = match self {
            Alg::ES256 => ES256.key_pair_from_pem(pem).map_err(Error::BadKey)?.to_jwk_public_key(),
            Alg::ES384 => ES384.key_pair_from_pem(pem).map_err(Error::BadKey)?.to_jwk_public_key(),
            Alg::ES512 => ES512.key_pair_from_pem(pem).map_err(Error::BadKey)?.to_jwk_public_key(),
            Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => {
                RS256.key_pair_from_pem(pem).map_err(Error::BadKey)?.to_jwk_public_key()
            }
            Alg::EdDSA => EdDSA.key_pair_from_pem(pem).map_err(Error::BadKey)?.to_jwk_public_key(),
        };
        Ok(jwk)
    }

    /// A new private key for this algorithm, as PKCS#8 PEM: P-256, P-384 or
    /// P-521 for ES*, RSA 2048 for RS* and PS* (a plain RSA key serves
    /// both), Ed25519 for EdDSA. The key material comes from OpenSSL's
    /// random generator, through josekit: see [`crate::SigningKey::generate`].
    pub(crate) fn generate_pem(self) -> Result<Vec<u8>, Error> {
        fn pem<K: KeyPair>(kp: Result<K, JoseError>) -> Result<Vec<u8>, Error> {
            Ok(kp.map_err(Error::BadKey)?.to_pem_private_key())
        }
        match self {
            Alg::ES256 => pem(ES256.generate_key_pair()),
            Alg::ES384 => pem(ES384.generate_key_pair()),
            Alg::ES512 => pem(ES512.generate_key_pair()),
            Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => pem(RS256.generate_key_pair(2048)),
            Alg::EdDSA => pem(EdDSA.generate_key_pair(EdCurve::Ed25519)),
        }
    }
}

impl std::fmt::Display for Alg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn rsa_private_jwk(pem: &[u8]) -> Result<Jwk, Error> {
    let mut map = RS256.key_pair_from_pem(pem).map_err(Error::BadKey)?.to_jwk_private_key().as_ref().clone();
    map.remove("alg");
    Jwk::from_map(map).map_err(Error::BadKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_index_all() {
        for (i, a) in Alg::ALL.into_iter().enumerate() {
            assert_eq!(Alg::parse(a.as_str()), Some(a));
            assert_eq!(a.index(), i);
            assert_eq!(a.to_string(), a.as_str());
        }
        for other in ["none", "HS256", "es256", ""] {
            assert_eq!(Alg::parse(other), None);
        }
    }

    #[test]
    fn digests_follow_the_algorithm() {
        assert_eq!(Alg::ES256.digest(b"abc"), Sha256::digest(b"abc").to_vec());
        assert_eq!(Alg::PS384.digest(b"abc").len(), 48);
        assert_eq!(Alg::RS512.digest(b"abc").len(), 64);
        assert_eq!(Alg::EdDSA.digest(b"abc"), Sha512::digest(b"abc").to_vec());
    }
}
