//! Scopes: parsing (RFC 6749 §3.3), the standard OpenID Connect scopes and
//! the claims they stand for (OIDC Core §5.4).

use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("the scope parameter contains an invalid character")]
    BadCharacter,
}

/// A set of scope tokens. Order does not matter and duplicates collapse.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(BTreeSet<String>);

pub const OPENID: &str = "openid";
pub const OFFLINE_ACCESS: &str = "offline_access";

/// The scopes Trame knows; a client may be limited to a subset.
pub const SUPPORTED: &[&str] = &["openid", "profile", "email", "phone", "address", "offline_access"];

/// Administration of the client's tenant through the admin API
/// (tenant-admin rights), and its read-only form (auditor rights). Only the
/// operator gives them to a client, never a registration request, and only
/// a `client_credentials` token carries them: they name no user.
pub const ADMIN: &str = "trame:admin";
pub const ADMIN_READ: &str = "trame:admin:read";
pub const ADMINISTRATION: &[&str] = &[ADMIN, ADMIN_READ];

impl Scopes {
    pub fn parse(s: &str) -> Result<Self, ScopeError> {
        // scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
        let mut set = BTreeSet::new();
        for token in s.split(' ').filter(|t| !t.is_empty()) {
            if !token.bytes().all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b)) {
                return Err(ScopeError::BadCharacter);
            }
            set.insert(token.to_owned());
        }
        Ok(Self(set))
    }

    pub fn from_tokens<I: IntoIterator<Item = S>, S: Into<String>>(it: I) -> Self {
        Self(it.into_iter().map(Into::into).collect())
    }

    pub fn contains(&self, s: &str) -> bool {
        self.0.contains(s)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Keeps only the scopes in `allowed` (unknown or unallowed scopes are
    /// dropped, as RFC 6749 §3.3 lets the server do, rather than refused).
    pub fn restricted_to(&self, allowed: &Scopes) -> Scopes {
        Scopes(self.0.intersection(&allowed.0).cloned().collect())
    }

    /// The same scopes without the administration ones: what a token
    /// that represents a person may carry.
    pub fn without_administration(&self) -> Scopes {
        Scopes(self.0.iter().filter(|s| !ADMINISTRATION.contains(&s.as_str())).cloned().collect())
    }

    pub fn is_subset_of(&self, other: &Scopes) -> bool {
        self.0.is_subset(&other.0)
    }

    pub fn to_string_sorted(&self) -> String {
        self.0.iter().cloned().collect::<Vec<_>>().join(" ")
    }

    /// The scopes in the order a person reads them when asked to share:
    /// who they are (`openid`, `profile`), then how to reach them (`email`,
    /// `phone`, `address`), and access in their absence (`offline_access`)
    /// last, after any scope Trame does not describe (alphabetically).
    pub fn in_reading_order(&self) -> Vec<&str> {
        let rank = |s: &str| match s {
            OFFLINE_ACCESS => SUPPORTED.len() + 1,
            s => SUPPORTED.iter().position(|k| *k == s).unwrap_or(SUPPORTED.len()),
        };
        let mut out: Vec<&str> = self.iter().collect();
        // Stable: scopes of the same rank keep the set's alphabetical order.
        out.sort_by_key(|s| rank(s));
        out
    }
}

/// The claims a standard scope releases (OIDC Core §5.4).
pub fn claims_of_scope(scope: &str) -> &'static [&'static str] {
    match scope {
        "profile" => &[
            "name",
            "family_name",
            "given_name",
            "middle_name",
            "nickname",
            "preferred_username",
            "profile",
            "picture",
            "website",
            "gender",
            "birthdate",
            "zoneinfo",
            "locale",
            "updated_at",
        ],
        "email" => &["email", "email_verified"],
        "address" => &["address"],
        "phone" => &["phone_number", "phone_number_verified"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_collapses_and_ignores_order() {
        let a = Scopes::parse("openid profile  email").unwrap();
        let b = Scopes::parse("email openid profile openid").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string_sorted(), "email openid profile");
        assert!(Scopes::parse("openid \"x").is_err());
        assert!(Scopes::parse("openid\\x").is_err());
        assert!(Scopes::parse("").unwrap().is_empty());
    }

    #[test]
    fn reading_order_puts_identity_first_and_offline_access_last() {
        let asked = Scopes::parse("offline_access address phone email profile openid").unwrap();
        assert_eq!(asked.in_reading_order(), ["openid", "profile", "email", "phone", "address", "offline_access"]);
        let with_unknown = Scopes::parse("zeta offline_access email alpha openid").unwrap();
        assert_eq!(with_unknown.in_reading_order(), ["openid", "email", "alpha", "zeta", "offline_access"]);
        assert!(Scopes::default().in_reading_order().is_empty());
    }

    #[test]
    fn restriction() {
        let asked = Scopes::parse("openid profile admin").unwrap();
        let allowed = Scopes::parse("openid profile email").unwrap();
        assert_eq!(asked.restricted_to(&allowed).to_string_sorted(), "openid profile");
    }

    #[test]
    fn scope_claims() {
        assert!(claims_of_scope("email").contains(&"email_verified"));
        assert!(claims_of_scope("openid").is_empty());
    }
}
