//! A tenant: one collectivité, with its own issuer, keys, users and clients.

use std::fmt;
use std::str::FromStr;

use crate::assurance::AcrPolicy;
use crate::client::PkcePolicy;
use crate::ids::{Issuer, TenantSlug};

/// The tenant every installation has, made at first start: the operator's
/// own (installation-wide roles are held there).
pub const DEFAULT_SLUG: &str = "default";

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: String,
    pub slug: TenantSlug,
    pub issuer: Issuer,
    pub display_name: String,
    /// Secret salt for pairwise subject identifiers; never leaves the server.
    pub pairwise_salt: Vec<u8>,
    pub settings: TenantSettings,
    /// Its part in an OpenID Federation.
    pub federation: crate::federation::FederationSettings,
    /// Its look and its public-sector mentions.
    pub branding: crate::branding::Branding,
}

/// What a tenant's operator decides about accounts and sign-in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantSettings {
    pub registration: Registration,
    pub counter_policy: CounterPolicy,
    pub acr_policy: AcrPolicy,
    /// Who may register a client at `<issuer>/register` (RFC 7591).
    pub dynamic_registration: DynamicRegistration,
    /// PKCE for confidential clients that register themselves (public
    /// clients always need it).
    pub dynamic_client_pkce: PkcePolicy,
    /// How a credential bound from a session below the level it could reach
    /// (a passkey added after a password sign-in) may be raised to it.
    pub credential_upgrade: CredentialUpgrade,
    /// Whether usernames may have the shape of an address (`name@host`).
    pub usernames: Usernames,
    /// The subject type of the clients the operator or an administrator
    /// adds without naming one: pairwise for new tenants, so services
    /// cannot correlate citizens; public for tenants created before the
    /// setting existed (their clients keep their behaviour).
    pub default_subject_type: crate::subject::SubjectType,
    /// Where the collectivité is: the pages write times in this zone.
    pub time_zone: TimeZoneName,
}

/// An IANA time zone name (`Europe/Paris`, `Indian/Reunion`), known to the
/// time zone database bundled in the binary (jiff's), so every node reads
/// it the same way whatever the system's tzdata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZoneName(String);

/// Most collectivités are in metropolitan France: tenants that existed
/// before the setting, and new ones, are there until told otherwise.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Paris";

impl TimeZoneName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The zone's rules (DST included). The name was found in the same
    /// bundled database when it was parsed; UTC is only a fallback that
    /// cannot happen.
    pub fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::db().get(&self.0).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

impl Default for TimeZoneName {
    fn default() -> Self {
        Self(DEFAULT_TIME_ZONE.to_owned())
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TimeZoneName {
    type Err = String;
    /// The database's own spelling of the name (its lookup ignores case).
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let unknown = || format!("'{s}' is not a time zone of the IANA database (e.g. Europe/Paris, Indian/Reunion, America/Cayenne, Pacific/Noumea)");
        // A POSIX TZ string or a path is not a name: only what the database lists.
        if s.is_empty() || s.len() > 64 || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b)) {
            return Err(unknown());
        }
        let tz = jiff::tz::db().get(s).map_err(|_| unknown())?;
        Ok(Self(tz.iana_name().unwrap_or(s).to_owned()))
    }
}

/// The shape of the usernames of a tenant's accounts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Usernames {
    /// Plain names: one with an `@` could pass for the account of a peer
    /// provider's citizen (`name@host`, see peer sign-in) or for an e-mail
    /// address, so sign-up and the CLI refuse them.
    #[default]
    Plain,
    /// E-mail addresses are usernames (a tenant that signs people in by
    /// their address).
    Addresses,
}

/// A credential (passkey, TOTP) counts for no more than the session that
/// bound it: NIST SP 800-63B §6.1, eIDAS "substantial" binding. This is the
/// one way a tenant may let such a credential count in full.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CredentialUpgrade {
    /// A link mailed to the account's verified address, opened in the
    /// same session, raises it: the mailbox is the second proof.
    #[default]
    Mail,
    /// Never: only a credential bound from a session at the level counts.
    Never,
}

/// Dynamic client registration (RFC 7591) of a tenant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DynamicRegistration {
    /// No registration endpoint: clients are made by the operator.
    #[default]
    Closed,
    /// Anyone may register a client (throttled per address).
    Open,
    /// Only holders of an initial access token (`trame client token`).
    Token,
}

/// Who may create an account at `<issuer>/signup`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Registration {
    /// Anyone.
    Open,
    /// Only holders of an invitation link (`trame user invite`).
    Invite,
    /// Nobody: accounts are made by the operator.
    #[default]
    Closed,
}

/// What to do when a passkey's signature counter goes backwards, the sign
/// of a cloned authenticator. Either way it is logged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CounterPolicy {
    #[default]
    Refuse,
    Allow,
}

macro_rules! keyword_enum {
    ($t:ty, $what:literal, $($v:ident => $s:literal),+) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($s => Ok(Self::$v),)+
                    _ => Err(format!(concat!("'{}' is not a ", $what, " (", $($s, " ",)+ ")"), s)),
                }
            }
        }
    };
}

keyword_enum!(Registration, "registration mode", Open => "open", Invite => "invite", Closed => "closed");
keyword_enum!(Usernames, "username policy", Plain => "plain", Addresses => "addresses");
keyword_enum!(CredentialUpgrade, "credential upgrade policy", Mail => "mail", Never => "never");
keyword_enum!(CounterPolicy, "counter policy", Refuse => "refuse", Allow => "allow");
keyword_enum!(DynamicRegistration, "dynamic registration mode", Closed => "closed", Open => "open", Token => "token");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_iana_names_of_the_bundled_database() {
        assert_eq!(TimeZoneName::default().as_str(), "Europe/Paris");
        for name in ["Europe/Paris", "Indian/Reunion", "America/Cayenne", "Pacific/Noumea", "America/Martinique", "Indian/Mayotte", "UTC"] {
            assert_eq!(name.parse::<TimeZoneName>().unwrap().as_str(), name);
        }
        assert_eq!(" europe/paris ".parse::<TimeZoneName>().unwrap().as_str(), "Europe/Paris", "the database's spelling");
        for bad in ["", "Paris", "Europe/Lutece", "CET-1CEST,M3.5.0,M10.5.0/3", "../../etc/passwd", "Europe/\nParis", "Europe/Paris\u{7}", &"A/".repeat(40)] {
            let e = bad.parse::<TimeZoneName>().unwrap_err();
            assert!(e.contains("IANA"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_zone_has_its_summer_time() {
        let paris = TimeZoneName::default().zone();
        let winter = jiff::Timestamp::from_second(1_796_515_200).unwrap(); // 2026-12-06
        let summer = jiff::Timestamp::from_second(1_783_296_000).unwrap(); // 2026-07-06
        assert_eq!(paris.to_offset(winter).seconds(), 3_600);
        assert_eq!(paris.to_offset(summer).seconds(), 7_200);
        let reunion: TimeZoneName = "Indian/Reunion".parse().unwrap();
        assert_eq!(reunion.zone().to_offset(summer).seconds(), 4 * 3_600, "no DST there");
    }
}
