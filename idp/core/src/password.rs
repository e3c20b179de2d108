//! Human passwords: argon2id with OWASP's parameters (19 MiB, t=2, p=1).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::crypto::Randomness;

/// A well-formed hash with the same parameters, verified against when there
/// is no real hash, so the work done is the same.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1lbYw7zmu8a5s5nxWOu8x1DsBCWAl4eRtzvqVDHR9W8";

/// OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("a password must be between 8 and 1024 characters")]
    Length,
    #[error("password hashing failed")]
    Hash,
}

/// Length rule from ANSSI and NIST SP 800-63B: at least 8 characters, no
/// composition rules; an upper bound so hashing cost stays bounded.
pub fn check_policy(password: &str) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if (8..=1024).contains(&n) { Ok(()) } else { Err(PasswordError::Length) }
}

pub fn hash(password: &str, rng: &dyn Randomness) -> Result<String, PasswordError> {
    check_policy(password)?;
    let mut salt = [0u8; 16];
    rng.fill(&mut salt);
    let h: PasswordHash = hasher().hash_password_with_salt(password.as_bytes(), &salt).map_err(|_| PasswordError::Hash)?;
    Ok(h.to_string())
}

/// Verifies a password against a stored PHC string. With no stored hash
/// (unknown user, or an account without a password) it still spends the
/// same work on a fixed hash, so timing does not reveal which case it was.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let (phc, real) = match stored {
        Some(s) => (s, true),
        None => (DUMMY, false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else { return false };
    let ok = hasher().verify_password(password.as_bytes(), &parsed).is_ok();
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::OsRandom;

    #[test]
    fn hash_and_verify() {
        let h = hash("correct horse battery", &OsRandom).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", Some(&h)));
        assert!(!verify("wrong horse battery", Some(&h)));
        assert!(!verify("correct horse battery", None));
        assert!(!verify("x", Some("not a phc string")));
    }

    #[test]
    fn dummy_hash_parses_so_unknown_users_cost_the_same() {
        let parsed = PasswordHash::new(DUMMY).unwrap();
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert_eq!(parsed.params.get_decimal("m"), Some(19456));
    }

    #[test]
    fn policy() {
        assert!(check_policy("short").is_err());
        assert!(check_policy(&"a".repeat(1025)).is_err());
        assert!(check_policy("eight ch").is_ok());
        assert!(hash("short", &OsRandom).is_err());
    }
}
