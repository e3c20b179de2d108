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
