//! Small cryptographic helpers every layer uses: randomness, hashing of
//! generated secrets, constant-time comparison.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A source of cryptographically secure random bytes, passed in so tests can
/// substitute a deterministic one.
pub trait Randomness: Send + Sync {
    fn fill(&self, buf: &mut [u8]);
}

/// The operating system's CSPRNG.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

impl Randomness for OsRandom {
    fn fill(&self, buf: &mut [u8]) {
        // getrandom only fails when the OS has no entropy source at all; there
        // is no safe way to continue issuing secrets then.
        getrandom::fill(buf).expect("the operating system's random source failed");
    }
}

/// Seconds since the Unix epoch, passed in so lifetimes can be tested.
pub trait Clock: Send + Sync {
    fn now(&self) -> i64;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    }
}

/// A high-entropy secret (256 bits), base64url without padding: authorization
/// codes, refresh tokens, client secrets, session identifiers.
pub fn random_token(rng: &dyn Randomness) -> String {
    let mut buf = [0u8; 32];
    rng.fill(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// A shorter random identifier that is not a secret on its own (key ids,
/// session ids shown in tokens).
pub fn random_id(rng: &dyn Randomness) -> String {
    let mut buf = [0u8; 16];
    rng.fill(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// SHA-256 of a generated secret, base64url: what is stored at rest in place
/// of the secret itself. Generated secrets carry 256 bits of entropy, so a
/// fast hash is enough (a slow hash is only needed for human passwords).
pub fn secret_digest(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

pub fn b64url(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

pub fn b64url_decode(data: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(data).ok()
}

/// HMAC-SHA256 of `message` under `key`, base64url: a value only the
/// holder of `key` can compute (CSRF tokens bound to a session, secrets
/// derived from the master key). `label` separates the uses of one key.
pub fn keyed_digest(key: &[u8], label: &str, message: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(hmac_sha256(key, label, message))
}

/// The raw HMAC-SHA256 of `label ‖ 0 ‖ message` under `key`.
pub fn hmac_sha256(key: &[u8], label: &str, message: &[u8]) -> [u8; 32] {
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(label.as_bytes());
    mac.update(&[0]);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Compares two byte strings without leaking, through timing, where they
/// differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_digests_depend_on_key_label_and_message() {
        let a = keyed_digest(b"k1", "csrf", b"session");
        assert_eq!(a.len(), 43);
        assert_eq!(a, keyed_digest(b"k1", "csrf", b"session"));
        assert_ne!(a, keyed_digest(b"k2", "csrf", b"session"));
        assert_ne!(a, keyed_digest(b"k1", "other", b"session"));
        assert_ne!(a, keyed_digest(b"k1", "csrf", b"session2"));
        // RFC 4231 test case 2 (empty label and separator left out by hand).
        use hmac::{KeyInit, Mac};
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let out: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(out[..4], [0x5b, 0xdc, 0xc1, 0x46]);
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token(&OsRandom);
        let b = random_token(&OsRandom);
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }

    #[test]
    fn digest_is_stable_and_not_the_secret() {
        assert_eq!(secret_digest("abc"), secret_digest("abc"));
        assert_ne!(secret_digest("abc"), "abc");
        assert_eq!(secret_digest("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }

    #[test]
    fn constant_time_eq_compares_lengths_and_bytes() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
