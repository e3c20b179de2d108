//! Typed identifiers with their validity rules checked once, at construction.

use std::fmt;

use url::Url;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("a tenant slug is 1 to 63 characters: lowercase letters, digits and '-', not starting or ending with '-'")]
    BadSlug,
    #[error("'{0}' is reserved: a tenant at /{0} would hide the endpoint of that name of the tenant at the root")]
    ReservedSlug(String),
    #[error("a client id is 1 to 255 visible ASCII characters")]
    BadClientId,
    #[error("'{0}' is not a valid redirect URI: {1}")]
    BadRedirectUri(String, &'static str),
    #[error("'{0}' is not a valid issuer URL: {1}")]
    BadIssuer(String, &'static str),
}

/// A tenant's short name, used in paths (`/<slug>`) and on the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let ok = !s.is_empty()
            && s.len() <= 63
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok { Ok(Self(s.to_owned())) } else { Err(IdError::BadSlug) }
    }
    /// The slug of a tenant being created: [`TenantSlug::parse`], and not
    /// one of [`RESERVED_SLUGS`]. (Stored tenants are read with `parse`, so
    /// a name reserved later does not make an existing tenant unreadable.)
    pub fn for_new_tenant(s: &str) -> Result<Self, IdError> {
        let slug = Self::parse(s)?;
        if RESERVED_SLUGS.contains(&s) {
            return Err(IdError::ReservedSlug(s.to_owned()));
        }
        Ok(slug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// First path segments of Trame's own endpoints and pages, now or planned
/// (admin API, CAS): a tenant whose issuer is `<public_url>/<slug>` must
/// not take one of them from the tenant at the root. Names with `.` or `_`
/// (`.well-known`, `_trame`) are no valid slugs anyway.
pub const RESERVED_SLUGS: &[&str] = &[
    "account",
    "admin",
    "api",
    "assets",
    "authorize",
    "callback",
    "cas",
    "consent",
    "federation",
    "health",
    "introspect",
    "jwks",
    "login",
    "logout",
    "metrics",
    "oauth",
    "oauth2",
    "oidc",
    "par",
    "passkey",
    "ready",
    "recover",
    "register",
    "revoke",
    "saml",
    "signup",
    "static",
    "token",
    "userinfo",
    "verify-email",
    "well-known",
];

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// An OAuth client identifier as registered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        // RFC 6749 appendix A.1: client_id = *VSCHAR. We also refuse the empty id.
        let ok = !s.is_empty() && s.len() <= 255 && s.bytes().all(|b| (0x20..=0x7e).contains(&b));
        if ok { Ok(Self(s.to_owned())) } else { Err(IdError::BadClientId) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// A redirect URI as registered by a client. Matching against a request is
/// exact string comparison (RFC 9700 §2.1): no normalisation, no wildcard.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RedirectUri(String);

impl RedirectUri {
    /// Validates a URI at registration time: absolute, no fragment
    /// (RFC 6749 §3.1.2), http only for loopback hosts (RFC 8252 §7.3) and
    /// custom schemes allowed for native apps (RFC 8252 §7.1) as long as they
    /// contain a dot (reverse domain name).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let bad = |why| IdError::BadRedirectUri(s.to_owned(), why);
        if s.len() > 2000 {
            return Err(bad("longer than 2000 characters"));
        }
        let url = Url::parse(s).map_err(|_| bad("not an absolute URI"))?;
        if url.fragment().is_some() || s.contains('#') {
            return Err(bad("it must not contain a fragment"));
        }
        match url.scheme() {
            "https" => {}
            "http" => {
                if !is_loopback_or_localhost(&url) {
                    return Err(bad("http is allowed only for localhost and loopback addresses"));
                }
            }
            "javascript" | "data" | "file" | "vbscript" => {
                return Err(bad("this scheme is not allowed"));
            }
            other if other.contains('.') => {}
            _ => {
                return Err(bad("custom schemes must be reverse domain names (com.example.app)"));
            }
        }
        if url.username() != "" || url.password().is_some() {
            return Err(bad("it must not contain credentials"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Exact comparison, the only matching rule Trame applies.
    pub fn matches(&self, requested: &str) -> bool {
        self.0 == requested
    }
}

impl fmt::Display for RedirectUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

pub(crate) fn is_loopback_or_localhost(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// An issuer identifier (OIDC Discovery §3): https (or http on localhost for
/// development), no query, no fragment, no trailing slash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Issuer(String);

impl Issuer {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let bad = |why| IdError::BadIssuer(s.to_owned(), why);
        let url = Url::parse(s).map_err(|_| bad("not an absolute URL"))?;
        match url.scheme() {
            "https" => {}
            "http" => {} // allowed; the server warns when an http issuer is not local
            _ => return Err(bad("the scheme must be https or http")),
        }
        if url.host_str().is_none() {
            return Err(bad("it has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it must not have a query or a fragment"));
        }
        if url.username() != "" || url.password().is_some() {
            return Err(bad("it must not contain credentials"));
        }
        let trimmed = s.trim_end_matches('/');
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn url(&self) -> Url {
        Url::parse(&self.0).expect("issuer was validated")
    }

    /// `host[:port]` as it appears in a Host header.
    pub fn authority(&self) -> String {
        let url = self.url();
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host,
        }
    }

    /// The path part without a trailing slash ("" for a host-only issuer).
    pub fn path_prefix(&self) -> String {
        self.url().path().trim_end_matches('/').to_owned()
    }

    /// `scheme://host[:port]`, as browsers send it in `Origin`.
    pub fn origin(&self) -> String {
        self.url().origin().ascii_serialization()
    }

    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// An endpoint URL under this issuer.
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }
}

impl fmt::Display for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_slugs_are_refused_for_new_tenants_only() {
        for r in ["jwks", "token", "authorize", "userinfo", "admin", "federation", "cas", "account", "login"] {
            assert!(matches!(TenantSlug::for_new_tenant(r), Err(IdError::ReservedSlug(_))), "{r}");
            assert!(TenantSlug::parse(r).is_ok(), "an existing tenant stays readable: {r}");
        }
        assert!(TenantSlug::for_new_tenant("saint-exemple").is_ok());
        assert!(TenantSlug::for_new_tenant("_trame").is_err());
        assert!(TenantSlug::for_new_tenant(".well-known").is_err());
    }

    #[test]
    fn slugs() {
        for ok in ["default", "ville-a", "a", "x1"] {
            assert!(TenantSlug::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a", "a-", "Ville", "a_b", "a/b", &"a".repeat(64)] {
            assert!(TenantSlug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn redirect_uris() {
        for ok in [
            "https://rp.example/cb",
            "https://rp.example/cb?x=1",
            "http://localhost:3000/cb",
            "http://127.0.0.1/cb",
            "http://[::1]:8080/cb",
            "fr.ville.app:/cb",
        ] {
            assert!(RedirectUri::parse(ok).is_ok(), "{ok}");
        }
        for bad in
            ["/cb", "https://rp.example/cb#frag", "http://rp.example/cb", "javascript:alert(1)", "myapp:/cb", "https://user:pw@rp.example/cb", "not a uri"]
        {
            assert!(RedirectUri::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn redirect_matching_is_exact() {
        let uri = RedirectUri::parse("https://rp.example/cb").unwrap();
        assert!(uri.matches("https://rp.example/cb"));
        for other in ["https://rp.example/cb/", "https://rp.example/cb?x", "https://RP.example/cb", "https://rp.example/c"] {
            assert!(!uri.matches(other), "{other}");
        }
    }

    #[test]
    fn issuers() {
        let i = Issuer::parse("https://login.ville.fr/").unwrap();
        assert_eq!(i.as_str(), "https://login.ville.fr");
        assert_eq!(i.path_prefix(), "");
        assert_eq!(i.authority(), "login.ville.fr");
        let i = Issuer::parse("http://localhost:8080/ville-a").unwrap();
        assert_eq!(i.path_prefix(), "/ville-a");
        assert_eq!(i.authority(), "localhost:8080");
        assert!(Issuer::parse("ftp://x").is_err());
        assert!(Issuer::parse("https://x/?q=1").is_err());
        assert!(Issuer::parse("https://x/#f").is_err());
    }
}
