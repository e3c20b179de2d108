//! The master key: 256 bits that seal private signing keys at rest with
//! AES-256-GCM. It lives in a file (mode 0600) outside the database, so a
//! database dump alone does not reveal signing keys.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use trame_core::Randomness;
use trame_core::crypto::{b64url, b64url_decode};
use zeroize::Zeroizing;

use crate::StoreError;

#[derive(Clone)]
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

impl MasterKey {
    pub fn generate(rng: &dyn Randomness) -> Self {
        let mut k = Zeroizing::new([0u8; 32]);
        rng.fill(k.as_mut());
        Self(k)
    }

    /// Reads the file format: base64url of the 32 bytes, optional newline.
    pub fn from_file_contents(s: &str) -> Result<Self, StoreError> {
        let bytes = Zeroizing::new(b64url_decode(s.trim()).ok_or_else(|| StoreError::Invalid("master key file is not base64url".into()))?);
        let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| StoreError::Invalid("master key must be 32 bytes".into()))?;
        Ok(Self(Zeroizing::new(arr)))
    }

    /// A secret for one purpose (`label`), derived from the master key, so
    /// every node of an installation computes the same one without storing
    /// it (HMAC-SHA256 as a key derivation function).
    pub fn derive(&self, label: &str) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(trame_core::crypto::hmac_sha256(self.0.as_ref(), "trame derived secret", label.as_bytes()))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new_from_slice(self.0.as_ref()).expect("the master key is 32 bytes")
    }

    pub fn to_file_contents(&self) -> String {
        format!("{}\n", b64url(self.0.as_ref()))
    }

    /// base64url(nonce ‖ ciphertext); `aad` binds the ciphertext to its row
    /// (the key id), so a sealed key cannot be moved to another row.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8], rng: &dyn Randomness) -> String {
        let cipher = self.cipher();
        let mut nonce = [0u8; 12];
        rng.fill(&mut nonce);
        let ct = cipher
            .encrypt(&Nonce::try_from(&nonce[..]).expect("12-byte nonce"), aes_gcm::aead::Payload { msg: plaintext, aad })
            .expect("AES-GCM encryption of a small buffer cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        b64url(&out)
    }

    pub fn open(&self, sealed: &str, aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let raw = b64url_decode(sealed).ok_or(StoreError::Unseal)?;
        if raw.len() < 12 + 16 {
            return Err(StoreError::Unseal);
        }
        let (nonce, ct) = raw.split_at(12);
        let cipher = self.cipher();
        cipher
            .decrypt(&Nonce::try_from(nonce).expect("12-byte nonce"), aes_gcm::aead::Payload { msg: ct, aad })
            .map(Zeroizing::new)
            .map_err(|_| StoreError::Unseal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trame_core::OsRandom;

    #[test]
    fn seal_round_trip_and_refusals() {
        let k = MasterKey::generate(&OsRandom);
        let sealed = k.seal(b"private", b"kid-1", &OsRandom);
        assert_eq!(k.open(&sealed, b"kid-1").unwrap().as_slice(), b"private");
        assert!(k.open(&sealed, b"kid-2").is_err(), "AAD must bind the row");
        let other = MasterKey::generate(&OsRandom);
        assert!(other.open(&sealed, b"kid-1").is_err());
        assert!(k.open("!!", b"kid-1").is_err());
        let again = MasterKey::from_file_contents(&k.to_file_contents()).unwrap();
        assert_eq!(again.open(&sealed, b"kid-1").unwrap().as_slice(), b"private");
        assert!(MasterKey::from_file_contents("c2hvcnQ").is_err());
    }
}
