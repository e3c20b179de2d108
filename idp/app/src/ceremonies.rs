//! WebAuthn ceremony state in the ephemeral store. The state never travels
//! to the browser (webauthn_rp's serialized state is not authenticated): it
//! is kept under a digest of the ceremony's challenge, bound to the tenant
//! and the browser (the digest of its binding cookie), and taken
//! atomically on first use, because webauthn_rp would verify the same
//! state twice for authenticators without a counter.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use trame_core::crypto::{b64url, b64url_decode, constant_time_eq};
use trame_core::tenant::Tenant;
use trame_webauthn::{self as webauthn, RelyingParty, Started};

use crate::error::Error;
use crate::{App, throttle};

/// What the ceremony is for, and what its finish needs to know.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Purpose {
    /// Signing in during the pending sign-in `interaction`; `user_id` when
    /// the person gave a username first (the passkey must be theirs).
    SignIn { interaction: String, user_id: Option<String> },
    /// Creating an account.
    SignUp { interaction: Option<String>, user_id: String, username: String, email: Option<String>, invitation: Option<String> },
    /// Adding a passkey to a signed-in account.
    AddPasskey { user_id: String },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ceremony {
    pub tenant_id: String,
    pub binding: String,
    pub purpose: Purpose,
    state: String,
    expires_at: i64,
}

impl Ceremony {
    pub fn state(&self) -> Vec<u8> {
        b64url_decode(&self.state).unwrap_or_default()
    }
}

/// Why a ceremony did not start or finish.
#[derive(Debug, thiserror::Error)]
pub enum CeremonyError {
    /// The address started too many ceremonies in the window.
    #[error("too many passkey requests: try again in a few minutes")]
    Throttled,
    /// The browser has no binding cookie to bind the ceremony to.
    #[error("this browser has no binding cookie: reload the page")]
    Unbound,
    /// No such ceremony for this tenant and browser: unknown, used, or
    /// expired (every case reads the same to the client).
    #[error("this passkey request is unknown, used or expired: try again")]
    Unknown,
    /// The tenant's issuer cannot be a relying party.
    #[error("passkeys need an issuer whose host is a domain name")]
    NoRelyingParty(#[source] webauthn::CeremonyError),
    /// The browser's answer was refused.
    #[error(transparent)]
    Refused(#[from] webauthn::CeremonyError),
    #[error(transparent)]
    Failed(#[from] Error),
}

fn key(challenge: &str) -> String {
    trame_store::ephemeral_keys::ceremony(challenge)
}

/// The relying party of a tenant: its issuer's host and origin.
pub fn relying_party(tenant: &Tenant) -> Result<RelyingParty, CeremonyError> {
    RelyingParty::for_issuer(tenant.issuer.as_str(), &tenant.display_name).map_err(CeremonyError::NoRelyingParty)
}

/// Stores a started ceremony for the browser `binding` (none: refused) and
/// returns its options.
pub async fn begin(
    app: &App,
    tenant: &Tenant,
    binding: Option<String>,
    ip: Option<IpAddr>,
    started: Started,
    purpose: Purpose,
) -> Result<serde_json::Value, CeremonyError> {
    if !throttle::allow_ceremony(app, &tenant.id, ip).await? {
        tracing::warn!(tenant = %tenant.slug, "passkey ceremonies throttled for one address");
        return Err(CeremonyError::Throttled);
    }
    let binding = binding.ok_or(CeremonyError::Unbound)?;
    let c = Ceremony { tenant_id: tenant.id.clone(), binding, purpose, state: b64url(&started.state), expires_at: app.now() + started.timeout_secs };
    let json = serde_json::to_string(&c).expect("a ceremony serializes");
    app.ephemeral.put(&key(&started.challenge), &json, started.timeout_secs.max(1)).await.map_err(Error::from)?;
    Ok(started.options)
}

/// Takes the ceremony a response answers: single use, this tenant, the
/// browser `binding`, not expired.
pub async fn take(app: &App, tenant: &Tenant, binding: Option<&str>, challenge: &str) -> Result<Ceremony, CeremonyError> {
    if challenge.is_empty() || challenge.len() > 256 {
        return Err(CeremonyError::Unknown);
    }
    let raw = app.ephemeral.take(&key(challenge)).await.map_err(Error::from)?.ok_or(CeremonyError::Unknown)?;
    let c: Ceremony = serde_json::from_str(&raw).map_err(|_| CeremonyError::Unknown)?;
    let bound = binding.is_some_and(|b| constant_time_eq(b.as_bytes(), c.binding.as_bytes()));
    if c.tenant_id != tenant.id || !bound || c.expires_at <= app.now() {
        return Err(CeremonyError::Unknown);
    }
    Ok(c)
}

/// Finishes a registration ceremony (sign-up or a passkey added to an
/// account): takes the state the browser's answer belongs to, checks that
/// the ceremony was started for what `accept` expects, and verifies the
/// answer.
pub async fn finish_registration(
    app: &App,
    tenant: &Tenant,
    binding: Option<&str>,
    credential: &serde_json::Value,
    accept: impl FnOnce(&Purpose) -> bool,
) -> Result<(Purpose, webauthn::NewPasskey), CeremonyError> {
    let raw = serde_json::to_vec(credential).expect("a JSON value serializes");
    let challenge = webauthn::registration_challenge(&raw)?;
    let c = take(app, tenant, binding, &challenge).await?;
    if !accept(&c.purpose) {
        return Err(webauthn::CeremonyError::WrongCeremony.into());
    }
    let rp = relying_party(tenant)?;
    let key = webauthn::finish_registration(&rp, &c.state(), &raw)?;
    Ok((c.purpose, key))
}

/// The 16-byte user handle of a user id (a UUID).
pub fn user_handle(user_id: &str) -> Option<[u8; webauthn::USER_HANDLE_LEN]> {
    uuid::Uuid::parse_str(user_id).ok().map(|u| *u.as_bytes())
}
