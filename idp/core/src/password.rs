//! Human passwords: argon2id with OWASP's parameters (19 MiB, t=2, p=1).
//!
//! A run works in 19 MiB of memory. [`Memory`] lets the caller keep that
//! block from one run to the next (`password_work` keeps one per worker
//! thread) rather than allocating and freeing it each time: freeing it is
//! what raised glibc's mmap threshold to 19 MiB for the whole process (see
//! [`Memory`]).

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::crypto::Randomness;

/// A well-formed hash with the same parameters, verified against when there
/// is no real hash, so the work done is the same.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1lbYw7zmu8a5s5nxWOu8x1DsBCWAl4eRtzvqVDHR9W8";

/// OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
const M_COST_KIB: u32 = 19 * 1024;

fn params() -> Params {
    Params::new(M_COST_KIB, 2, 1, None).expect("constant argon2 parameters are valid")
}

/// The working memory of argon2 runs, kept between runs by whoever runs
/// them many times (one per `password_work` thread).
///
/// Why: with glibc's malloc, freeing a block that was allocated with
/// `mmap` (the 19 MiB one, the first time) raises the process-wide mmap
/// threshold to its size and the trim threshold to twice that. From then
/// on every allocation under 19 MiB, from any thread, comes from the malloc
/// arenas, and each arena keeps up to 38 MiB free without giving it back.
/// Measured with `trame serve` pinned to one CPU, 32 connections
/// (ops/bench/README.md): peak RSS 115 MB in the password code flow and
/// 96 MB in refresh-token rotation (embedded), 113 MB and 94 MB on
/// PostgreSQL + Redis, against 56–58 MB once that threshold stays put.
/// Kept, the block is allocated once per thread and never freed: the
/// threshold stays at its default.
#[derive(Default)]
pub struct Memory(Vec<Block>);

impl Memory {
    /// Runs `argon` into `out` in this memory, grown to the parameters'
    /// block count if needed. Parameters larger than Trame's (a hash made
    /// elsewhere) get memory of their own for that run, so a kept block
    /// never grows past 19 MiB.
    fn run(&mut self, argon: &Argon2<'_>, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), argon2::Error> {
        let count = argon.params().block_count();
        if count > self.0.len() {
            if count > params().block_count() {
                return argon.hash_password_into(password, salt, out);
            }
            self.0 = vec![Block::new(); count];
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut self.0[..])
    }
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

/// [`hash_in`] with memory of its own (operator commands, tests).
pub fn hash(password: &str, rng: &dyn Randomness) -> Result<String, PasswordError> {
    hash_in(&mut Memory::default(), password, rng)
}

/// Hashes a password into a PHC string, working in `memory`.
pub fn hash_in(memory: &mut Memory, password: &str, rng: &dyn Randomness) -> Result<String, PasswordError> {
    check_policy(password)?;
    let mut salt = [0u8; 16];
    rng.fill(&mut salt);
    let params = params();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    memory.run(&argon, password.as_bytes(), &salt, &mut out).map_err(|_| PasswordError::Hash)?;
    let h = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|_| PasswordError::Hash)?,
        salt: Some(Salt::new(&salt).map_err(|_| PasswordError::Hash)?),
        hash: Some(Output::new(&out).map_err(|_| PasswordError::Hash)?),
    };
    Ok(h.to_string())
}

/// [`verify_in`] with memory of its own (tests).
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    verify_in(&mut Memory::default(), password, stored)
}

/// Verifies a password against a stored PHC string, working in `memory`.
/// With no stored hash (unknown user, or an account without a password) it
/// still spends the same work on a fixed hash, so timing does not reveal
/// which case it was.
pub fn verify_in(memory: &mut Memory, password: &str, stored: Option<&str>) -> bool {
    let (phc, real) = match stored {
        Some(s) => (s, true),
        None => (DUMMY, false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else { return false };
    let ok = matches_hash(memory, password, &parsed).unwrap_or(false);
    ok && real
}

/// What argon2's `PasswordVerifier` does (the hash's own algorithm,
/// version, parameters and output length; outputs compared in constant
/// time by `Output`'s `PartialEq`), in the caller's memory.
fn matches_hash(memory: &mut Memory, password: &str, parsed: &PasswordHash) -> Option<bool> {
    let (salt, expected) = (parsed.salt.as_ref()?, parsed.hash.as_ref()?);
    let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).ok()?;
    let version = parsed.version.map(Version::try_from).transpose().ok()?.unwrap_or_default();
    let params = Params::try_from(parsed).ok()?;
    let argon = Argon2::new(algorithm, version, params);
    let mut buffer = [0u8; Output::MAX_LENGTH];
    let out = buffer.get_mut(..expected.len())?;
    memory.run(&argon, password.as_bytes(), salt.as_ref(), out).ok()?;
    Some(Output::new(out).ok()? == *expected)
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
    fn kept_memory_gives_the_same_hashes() {
        let mut memory = Memory::default();
        let h = hash_in(&mut memory, "correct horse battery", &OsRandom).unwrap();
        assert!(verify("correct horse battery", Some(&h)), "verified with memory of its own");
        assert!(verify_in(&mut memory, "correct horse battery", Some(&h)));
        assert!(!verify_in(&mut memory, "wrong horse battery", Some(&h)));
        assert!(!verify_in(&mut memory, "correct horse battery", None));
        assert_eq!(memory.0.len(), params().block_count(), "one block of 19 MiB, kept");
        // The dummy hash verifies against its own password, made with
        // argon2's own verifier: the output is the same as the crate's.
        use argon2::password_hash::PasswordVerifier;
        let reference = Argon2::default();
        let parsed = PasswordHash::new(&h).unwrap();
        assert!(reference.verify_password(b"correct horse battery", &parsed).is_ok(), "argon2's verifier accepts what hash_in makes");
    }

    #[test]
    fn other_parameters_verify_without_growing_the_kept_memory() {
        use argon2::password_hash::PasswordHasher;
        let mut memory = Memory::default();
        for (m, t) in [(8 * 1024, 3), (32 * 1024, 1)] {
            let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(m, t, 1, None).unwrap());
            let h = other.hash_password_with_salt(b"correct horse battery", b"somesaltsomesalt").unwrap().to_string();
            assert!(verify_in(&mut memory, "correct horse battery", Some(&h)), "m={m}");
            assert!(!verify_in(&mut memory, "wrong horse battery", Some(&h)), "m={m}");
        }
        assert!(memory.0.len() <= params().block_count());
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::new(8 * 1024, 2, 1, None).unwrap());
        let h = argon2i.hash_password_with_salt(b"correct horse battery", b"somesaltsomesalt").unwrap().to_string();
        assert!(verify_in(&mut memory, "correct horse battery", Some(&h)), "the hash's own algorithm");
    }

    #[test]
    fn policy() {
        assert!(check_policy("short").is_err());
        assert!(check_policy(&"a".repeat(1025)).is_err());
        assert!(check_policy("eight ch").is_ok());
        assert!(hash("short", &OsRandom).is_err());
    }
}
