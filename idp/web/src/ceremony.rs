//! WebAuthn ceremony state in the ephemeral store. The state never travels
//! to the browser (webauthn_rp's serialized state is not authenticated): it
//! is kept under a digest of the ceremony's challenge, bound to the tenant
//! and the browser, and taken atomically on first use, because webauthn_rp
//! would verify the same state twice for authenticators without a counter.

use std::net::IpAddr;
use trame_core::oauth::ErrorCode;

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use trame_core::crypto::{b64url, b64url_decode, constant_time_eq};
use trame_core::tenant::Tenant;

use crate::error::{ApiError, ApiResult, OrApi};
use crate::session;
use crate::state::AppState;
use crate::throttle;
use trame_webauthn::{self as webauthn, RelyingParty, Started};

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

fn key(challenge: &str) -> String {
    trame_store::ephemeral_keys::ceremony(challenge)
}

/// The relying party of a tenant: its issuer's host and origin.
pub fn relying_party(tenant: &Tenant) -> ApiResult<RelyingParty> {
    RelyingParty::for_issuer(tenant.issuer.as_str(), &tenant.display_name).map_err(|e| {
        tracing::warn!(tenant = %tenant.slug, reason = %e, "the issuer cannot be a WebAuthn relying party");
        ApiError::oauth(ErrorCode::PasskeysUnavailable, "passkeys need an issuer whose host is a domain name")
    })
}

/// Stores a started ceremony for this browser and returns its options.
pub async fn begin(
    state: &AppState,
    tenant: &Tenant,
    headers: &HeaderMap,
    ip: Option<IpAddr>,
    started: Started,
    purpose: Purpose,
) -> ApiResult<serde_json::Value> {
    if !throttle::allow_ceremony(state, &tenant.id, ip).await? {
        tracing::warn!(tenant = %tenant.slug, "passkey ceremonies throttled for one address");
        return Err(ApiError::oauth(ErrorCode::SlowDown, "too many passkey requests: try again in a few minutes"));
    }
    let binding = session::binding_of(tenant, headers)
        .ok_or_else(|| ApiError::oauth(ErrorCode::ForbiddenRequest, "this browser has no binding cookie: reload the page"))?;
    let c = Ceremony { tenant_id: tenant.id.clone(), binding, purpose, state: b64url(&started.state), expires_at: state.now() + started.timeout_secs };
    let json = serde_json::to_string(&c).expect("a ceremony serializes");
    state.ephemeral.put(&key(&started.challenge), &json, started.timeout_secs.max(1)).await.json_err()?;
    Ok(started.options)
}

/// Takes the ceremony a response answers: single use, this tenant, this
/// browser, not expired. Every failure reads the same to the client.
pub async fn take(state: &AppState, tenant: &Tenant, headers: &HeaderMap, challenge: &str) -> ApiResult<Ceremony> {
    let unknown = || ApiError::oauth(ErrorCode::CeremonyExpired, "this passkey request is unknown, used or expired: try again");
    if challenge.is_empty() || challenge.len() > 256 {
        return Err(unknown());
    }
    let raw = state.ephemeral.take(&key(challenge)).await.json_err()?.ok_or_else(unknown)?;
    let c: Ceremony = serde_json::from_str(&raw).map_err(|_| unknown())?;
    let bound = session::binding_of(tenant, headers).is_some_and(|b| constant_time_eq(b.as_bytes(), c.binding.as_bytes()));
    if c.tenant_id != tenant.id || !bound || c.expires_at <= state.now() {
        return Err(unknown());
    }
    Ok(c)
}

/// Finishes a registration ceremony (sign-up or a passkey added to an
/// account): takes the state the browser's answer belongs to, checks that
/// the ceremony was started for what `accept` expects, and verifies the
/// answer. `what` names the ceremony in the logs.
pub async fn finish_registration(
    state: &AppState,
    tenant: &Tenant,
    headers: &HeaderMap,
    credential: &serde_json::Value,
    what: &'static str,
    accept: impl FnOnce(&Purpose) -> bool,
) -> ApiResult<(Purpose, webauthn::NewPasskey)> {
    let raw = serde_json::to_vec(credential).expect("a JSON value serializes");
    let challenge = webauthn::registration_challenge(&raw).map_err(|e| refused(tenant, what, &e))?;
    let c = take(state, tenant, headers, &challenge).await?;
    if !accept(&c.purpose) {
        return Err(refused(tenant, what, &webauthn::CeremonyError::WrongCeremony));
    }
    let rp = relying_party(tenant)?;
    let key = webauthn::finish_registration(&rp, &c.state(), &raw).map_err(|e| refused(tenant, what, &e))?;
    Ok((c.purpose, key))
}

/// A refused ceremony, logged with its reason (never the payload).
pub fn refused(tenant: &Tenant, what: &'static str, e: &webauthn::CeremonyError) -> ApiError {
    tracing::info!(tenant = %tenant.slug, outcome = "failure", method = "passkey", reason = e.code(), "{what}");
    // Every ceremony code is a listed ErrorCode (a test in trame-core).
    ApiError::oauth(ErrorCode::parse(e.code()).unwrap_or(ErrorCode::Malformed), e.to_string())
}

/// The 16-byte user handle of a user id (a UUID).
pub fn user_handle(user_id: &str) -> Option<[u8; webauthn::USER_HANDLE_LEN]> {
    uuid::Uuid::parse_str(user_id).ok().map(|u| *u.as_bytes())
}
