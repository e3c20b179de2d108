//! ES256 and ES384 signatures made and checked by `ring`, behind josekit's
//! signer and verifier traits: the tokens are still put together and taken
//! apart by josekit, only the ECDSA computation changes hands.
//!
//! Why: every ES256 token Trame issues costs a signature, the largest share
//! of a token request, and OpenSSL 3 (josekit's engine) looks the algorithm
//! up in its provider tables and encodes the signature in DER, which
//! josekit then decodes, for each one. Through ring (BoringSSL's P-256 and
//! P-384 code, fixed-size `r ‖ s` as JWS wants it), measured on one core:
//! a signature 223,000 instructions instead of 292,000 (callgrind),
//! 81,000 signatures/s instead of 58,000; a verification 755,000 instead of
//! 877,000, 26,800/s instead of 22,700. ES512 (P-521), RSA and EdDSA stay
//! with josekit: ring has no P-521, and no Trame default uses the others.
//!
//! The keys are read and validated by josekit as before (PKCS#8 PEM for a
//! private key, a JWK for a public one); ring gets the same key material
//! and checks it again: a private key whose public half does not match is
//! refused, and a public point not on the curve fails every verification.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use josekit::JoseError;
use josekit::jwk::Jwk;
use josekit::jws::alg::ecdsa::EcdsaJwsAlgorithm;
use josekit::jws::{JwsAlgorithm, JwsSigner, JwsVerifier};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, EcdsaSigningAlgorithm, UnparsedPublicKey, VerificationAlgorithm};
use std::sync::Arc;

/// The two curves ring signs on, with what each side needs.
fn ring_algs(alg: EcdsaJwsAlgorithm) -> Option<(&'static EcdsaSigningAlgorithm, &'static dyn VerificationAlgorithm, usize)> {
    match alg {
        EcdsaJwsAlgorithm::Es256 => Some((&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &signature::ECDSA_P256_SHA256_FIXED, 32)),
        EcdsaJwsAlgorithm::Es384 => Some((&signature::ECDSA_P384_SHA384_FIXED_SIGNING, &signature::ECDSA_P384_SHA384_FIXED, 48)),
        _ => None,
    }
}

/// A coordinate or scalar of a JWK, exactly `len` bytes (RFC 7518 §6.2.1.2
/// and §6.2.2.1 fix the length by the curve).
fn member(jwk: &Jwk, name: &str, len: usize) -> Result<Vec<u8>, JoseError> {
    let bytes = jwk
        .parameter(name)
        .and_then(|v| v.as_str())
        .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
        .ok_or_else(|| JoseError::InvalidKeyFormat(anyhow::anyhow!("the EC key has no valid {name}")))?;
    if bytes.len() != len {
        return Err(JoseError::InvalidKeyFormat(anyhow::anyhow!("the EC key's {name} is not {len} bytes")));
    }
    Ok(bytes)
}

/// The uncompressed SEC 1 point `04 ‖ x ‖ y` of an EC JWK.
fn public_point(jwk: &Jwk, len: usize) -> Result<Vec<u8>, JoseError> {
    let mut point = Vec::with_capacity(1 + 2 * len);
    point.push(0x04);
    point.extend(member(jwk, "x", len)?);
    point.extend(member(jwk, "y", len)?);
    Ok(point)
}

#[derive(Debug, Clone)]
pub(crate) struct RingSigner {
    alg: EcdsaJwsAlgorithm,
    key: Arc<EcdsaKeyPair>,
    rng: SystemRandom,
    signature_len: usize,
}

impl RingSigner {
    /// A signer for a PKCS#8 PEM private key of `alg` (ES256 or ES384).
    pub(crate) fn from_pem(alg: EcdsaJwsAlgorithm, pem: &[u8]) -> Result<Self, JoseError> {
        let (signing, _, len) =
            ring_algs(alg).ok_or_else(|| JoseError::UnsupportedSignatureAlgorithm(anyhow::anyhow!("{} is not signed with ring", alg.name())))?;
        let private = alg.key_pair_from_pem(pem)?.to_jwk_key_pair();
        let rng = SystemRandom::new();
        let key = EcdsaKeyPair::from_private_key_and_public_key(signing, &member(&private, "d", len)?, &public_point(&private, len)?, &rng)
            .map_err(|e| JoseError::InvalidKeyFormat(anyhow::anyhow!("ring refused the key: {e}")))?;
        Ok(Self { alg, key: Arc::new(key), rng, signature_len: 2 * len })
    }
}

impl JwsSigner for RingSigner {
    fn algorithm(&self) -> &dyn JwsAlgorithm {
        &self.alg
    }

    fn key_id(&self) -> Option<&str> {
        None
    }

    fn signature_len(&self) -> usize {
        self.signature_len
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, JoseError> {
        let sig = self.key.sign(&self.rng, message).map_err(|_| JoseError::InvalidSignature(anyhow::anyhow!("ECDSA signing failed")))?;
        Ok(sig.as_ref().to_vec())
    }

    fn box_clone(&self) -> Box<dyn JwsSigner> {
        Box::new(self.clone())
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RingVerifier {
    alg: EcdsaJwsAlgorithm,
    key: UnparsedPublicKey<Vec<u8>>,
    /// The JWK's `kid`, as josekit's verifier keeps it: josekit then
    /// refuses a token whose header names no key or another one.
    kid: Option<String>,
}

impl RingVerifier {
    /// A verifier for a public JWK of `alg` (ES256 or ES384), which josekit
    /// validates first (key type, curve, `use` and `key_ops`), as for every
    /// other algorithm.
    pub(crate) fn from_jwk(alg: EcdsaJwsAlgorithm, jwk: &Jwk) -> Result<Self, JoseError> {
        let (_, verification, len) =
            ring_algs(alg).ok_or_else(|| JoseError::UnsupportedSignatureAlgorithm(anyhow::anyhow!("{} is not verified with ring", alg.name())))?;
        alg.verifier_from_jwk(jwk)?;
        Ok(Self { alg, key: UnparsedPublicKey::new(verification, public_point(jwk, len)?), kid: jwk.key_id().map(str::to_owned) })
    }
}

impl JwsVerifier for RingVerifier {
    fn algorithm(&self) -> &dyn JwsAlgorithm {
        &self.alg
    }

    fn key_id(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), JoseError> {
        self.key.verify(message, signature).map_err(|_| JoseError::InvalidSignature(anyhow::anyhow!("the signature does not match")))
    }

    fn box_clone(&self) -> Box<dyn JwsVerifier> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use josekit::jws::{ES256, ES384};

    /// What ring signs, OpenSSL (josekit) accepts, and the other way
    /// round: same format, same keys.
    #[test]
    fn ring_and_openssl_agree_both_ways() {
        for alg in [ES256, ES384] {
            let kp = alg.generate_key_pair().unwrap();
            let pem = kp.to_pem_private_key();
            let public = kp.to_jwk_public_key();
            let ring_signer = RingSigner::from_pem(alg, &pem).unwrap();
            let ring_verifier = RingVerifier::from_jwk(alg, &public).unwrap();
            let ossl_signer = alg.signer_from_pem(&pem).unwrap();
            let ossl_verifier = alg.verifier_from_jwk(&public).unwrap();
            let msg = b"header.payload";
            let by_ring = ring_signer.sign(msg).unwrap();
            assert_eq!(by_ring.len(), ring_signer.signature_len());
            ossl_verifier.verify(msg, &by_ring).unwrap();
            ring_verifier.verify(msg, &ossl_signer.sign(msg).unwrap()).unwrap();
            ring_verifier.verify(msg, &by_ring).unwrap();
            assert!(ring_verifier.verify(b"header.other", &by_ring).is_err());
            let mut bent = by_ring.clone();
            bent[5] ^= 1;
            assert!(ring_verifier.verify(msg, &bent).is_err());
            assert!(ring_verifier.verify(msg, &by_ring[..by_ring.len() - 1]).is_err());
        }
    }

    #[test]
    fn keys_of_another_curve_or_off_the_curve_are_refused() {
        let p384 = ES384.generate_key_pair().unwrap();
        assert!(RingSigner::from_pem(ES256, &p384.to_pem_private_key()).is_err());
        assert!(RingVerifier::from_jwk(ES256, &p384.to_jwk_public_key()).is_err());

        // A point that is not on P-256: every signature fails against it.
        let p256 = ES256.generate_key_pair().unwrap();
        let mut jwk = p256.to_jwk_public_key();
        let y = jwk.parameter("y").and_then(|v| v.as_str()).unwrap().to_owned();
        let mut bytes = URL_SAFE_NO_PAD.decode(y).unwrap();
        bytes[31] ^= 1;
        jwk.set_parameter("y", Some(URL_SAFE_NO_PAD.encode(bytes).into())).unwrap();
        let signed = RingSigner::from_pem(ES256, &p256.to_pem_private_key()).unwrap().sign(b"m").unwrap();
        if let Ok(v) = RingVerifier::from_jwk(ES256, &jwk) {
            assert!(v.verify(b"m", &signed).is_err());
        }
    }
}
