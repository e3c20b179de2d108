//! What the settings loader names of trame-app, from its source files (see
//! Cargo.toml): the same code the server runs.

/// SMTP URL and `From:` checks of the settings loader.
#[allow(dead_code)]
#[path = "../../idp/app/src/mail.rs"]
pub mod mail;

/// What config.rs names of `trame_app::outbound`. The real module also
/// holds the HTTP client (reqwest); only these are needed here, so they
/// are repeated: keep them as in idp/app/src/outbound.rs and reach.rs
/// (`ProxyUrl::parse` without the HTTP library's own check).
pub mod outbound {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Reach {
        PublicOnly,
        Anywhere,
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ProxyUrl(url::Url);

    impl ProxyUrl {
        pub fn parse(s: &str) -> Result<Self, &'static str> {
            let url = url::Url::parse(s).map_err(|_| "is not a URL such as http://proxy.internal:3128")?;
            if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                return Err("must be an http:// or https:// URL with a host");
            }
            Ok(Self(url))
        }
    }
}
