//! PKCE (RFC 7636), S256 only: `plain` gives no protection against a leaked
//! authorization request and is refused (RFC 9700 §2.1.1).

use crate::crypto::{b64url, constant_time_eq, sha256};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PkceError {
    #[error("code_challenge_method must be S256")]
    UnsupportedMethod,
    #[error("code_challenge must be 43 base64url characters")]
    BadChallenge,
    #[error("code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]")]
    BadVerifier,
    #[error("code_verifier does not match the code_challenge")]
    Mismatch,
    #[error("code_verifier is required: the authorization request carried a code_challenge")]
    MissingVerifier,
    #[error("code_verifier was sent but the authorization request carried no code_challenge")]
    UnexpectedVerifier,
}

/// A validated S256 challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChallenge(String);

impl CodeChallenge {
    /// `method` defaults to `plain` per RFC 7636 §4.3 when absent, which we refuse.
    pub fn parse(challenge: &str, method: Option<&str>) -> Result<Self, PkceError> {
        match method {
            Some("S256") => {}
            _ => return Err(PkceError::UnsupportedMethod),
        }
        // SHA-256 output is 32 bytes: exactly 43 base64url characters.
        let ok = challenge.len() == 43 && challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok { Ok(Self(challenge.to_owned())) } else { Err(PkceError::BadChallenge) }
    }

    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn verify(&self, verifier: &str) -> Result<(), PkceError> {
        let ok = (43..=128).contains(&verifier.len()) && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
        if !ok {
            return Err(PkceError::BadVerifier);
        }
        let computed = b64url(&sha256(verifier.as_bytes()));
        if constant_time_eq(computed.as_bytes(), self.0.as_bytes()) { Ok(()) } else { Err(PkceError::Mismatch) }
    }
}

/// The token-endpoint rule: a challenge demands its verifier; a verifier
/// without a challenge is an injection attempt (RFC 9700 §4.8.2).
pub fn check(challenge: Option<&CodeChallenge>, verifier: Option<&str>) -> Result<(), PkceError> {
    match (challenge, verifier) {
        (Some(c), Some(v)) => c.verify(v),
        (Some(_), None) => Err(PkceError::MissingVerifier),
        (None, Some(_)) => Err(PkceError::UnexpectedVerifier),
        (None, None) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 appendix B.
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn rfc_example_verifies() {
        let c = CodeChallenge::parse(CHALLENGE, Some("S256")).unwrap();
        assert_eq!(c.verify(VERIFIER), Ok(()));
        assert_eq!(check(Some(&c), Some(VERIFIER)), Ok(()));
    }

    #[test]
    fn refusals() {
        assert_eq!(CodeChallenge::parse(CHALLENGE, Some("plain")), Err(PkceError::UnsupportedMethod));
        assert_eq!(CodeChallenge::parse(CHALLENGE, None), Err(PkceError::UnsupportedMethod));
        assert_eq!(CodeChallenge::parse("short", Some("S256")), Err(PkceError::BadChallenge));
        assert_eq!(CodeChallenge::parse(&format!("{}=", &CHALLENGE[..42]), Some("S256")), Err(PkceError::BadChallenge));
        let c = CodeChallenge::parse(CHALLENGE, Some("S256")).unwrap();
        assert_eq!(c.verify(&VERIFIER.replace('d', "e")), Err(PkceError::Mismatch));
        assert_eq!(c.verify("tooshort"), Err(PkceError::BadVerifier));
        assert_eq!(c.verify(&format!("{VERIFIER}!")), Err(PkceError::BadVerifier));
        assert_eq!(check(Some(&c), None), Err(PkceError::MissingVerifier));
        assert_eq!(check(None, Some(VERIFIER)), Err(PkceError::UnexpectedVerifier));
        assert_eq!(check(None, None), Ok(()));
    }
}
