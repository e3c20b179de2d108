//! trame-web's parsers of outside input, from their source files (see
//! Cargo.toml): the same code the server runs.

/// Passkey ceremonies (client data, authenticator data, attestation).
#[path = "../../idp/web/src/webauthn.rs"]
pub mod webauthn;

/// Query strings, form bodies, Basic credentials.
#[path = "../../idp/web/src/urlencoded.rs"]
pub mod urlencoded;

/// SMTP URL and `From:` checks of the settings loader.
#[allow(dead_code)]
#[path = "../../idp/web/src/mail.rs"]
pub mod mail;

/// What config.rs names of `trame_web::outbound`. The real module also
/// holds the HTTP client (reqwest); only this enum is needed here, so it is
/// repeated: keep it as in idp/web/src/outbound/reach.rs.
pub mod outbound {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Reach {
        PublicOnly,
        Anywhere,
    }
}
