//! Trame's one JOSE layer: every JWS Trame signs or verifies goes through
//! this crate, over `josekit`, whether it is a token of the OpenID Provider
//! (`trame-core`'s rules, signed and checked in `trame-web`) or a statement
//! of OpenID Federation (`trame-federation`). It depends on nothing of
//! Trame, so the federation library stays apart from `idp/`.
//!
//! - [`Alg`]: the asymmetric JWS algorithms (RFC 7518, RFC 8037); `none`
//!   and HMAC have no variant, so nothing here verifies with them.
//! - [`SigningKey`]: a private key ready to sign, loaded from PKCS#8 PEM or
//!   generated, with its public JWK; [`thumbprint`] (RFC 7638).
//! - [`Jwks`]: a set of public keys. The verifier of a key is built once
//!   per algorithm, on first use, and kept with the set (and its clones):
//!   building one from a JWK costs twice the ECDSA verification itself
//!   (ops/bench/limits). Keep a set where its JWKS is kept (a catalog
//!   snapshot, a fetched client key set, a resolved chain), not per call.
//! - [`decode`] / [`DecodedJwt`]: a compact JWS split and decoded before its
//!   signature is checked, the header rules, and the check against the key
//!   its `kid` names ([`DecodedJwt::verify_signature`], federation);
//!   [`Jwks::verify`] picks the key itself (`kid` optional: OpenID Connect);
//!   [`peek_claims`] for choosing keys, never for trusting.
//!
//! What this crate does not decide: which algorithms a caller accepts, the
//! `typ` it expects, the claims (`iss`, `aud`, times...). Those are the
//! callers' rules.

mod alg;
mod ecdsa_ring;
mod jwks;
mod jwt;
mod signing;

pub use alg::Alg;
pub use jwks::{Jwks, VerifiedJwt};
pub use jwt::{DecodedJwt, decode, peek_claims};
pub use signing::{SigningKey, thumbprint};

/// Largest JWT accepted from outside: bounds the work an attacker can
/// cause. The largest Trame reads is a Request Object carrying a trust
/// chain in its header (OpenID Federation §12.1.1.1.2).
pub const MAX_JWT_BYTES: usize = 64 * 1024;

/// Why a key could not be made or used, or a JWS was not verified.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the JWT is not a well-formed compact JWS")]
    Malformed,
    #[error("the JWT is larger than {MAX_JWT_BYTES} bytes")]
    TooLarge,
    #[error("header typ is {found:?}, expected {expected}")]
    WrongType { expected: String, found: Option<String> },
    #[error("header alg {0:?} is not accepted")]
    AlgNotAllowed(String),
    #[error("header kid is missing or empty")]
    MissingKid,
    #[error("no key with kid {0:?} in the JWKS that must sign this JWT")]
    UnknownKid(String),
    /// With the `kid` the token named, if any.
    #[error("the signature does not verify with {}", key_named(.0.as_deref()))]
    BadSignature(Option<String>),
    #[error("the JWKS is invalid: {0}")]
    BadJwks(&'static str),
    #[error("key material is invalid")]
    BadKey(#[source] josekit::JoseError),
    #[error("signing failed")]
    Sign(#[source] josekit::JoseError),
    /// For callers that keep keys by algorithm and have none for this one.
    #[error("no active {0} key")]
    NoKey(Alg),
}

fn key_named(kid: Option<&str>) -> String {
    kid.map_or_else(|| "any known key".to_owned(), |k| format!("key {k:?}"))
}
