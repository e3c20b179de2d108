//! WebAuthn ceremonies in the browser ([`trame_app::ceremonies`]): bound
//! to the browser's binding cookie, their refusals answered as JSON.

use std::net::IpAddr;

use axum::http::HeaderMap;
use trame_core::oauth::ErrorCode;
use trame_core::tenant::Tenant;

use trame_app::ceremonies::{self, CeremonyError};
pub use trame_app::ceremonies::{Ceremony, Purpose, user_handle};
use trame_webauthn::{self as webauthn, RelyingParty, Started};

use crate::error::{ApiError, ApiResult, Surface};
use crate::session;
use crate::state::AppState;

/// The relying party of a tenant: its issuer's host and origin.
pub fn relying_party(tenant: &Tenant) -> ApiResult<RelyingParty> {
    ceremonies::relying_party(tenant).map_err(|e| failed(tenant, "passkeys", e))
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
    ceremonies::begin(state, tenant, session::binding_of(tenant, headers), ip, started, purpose).await.map_err(|e| failed(tenant, "passkey ceremony", e))
}

/// Takes the ceremony a response answers: single use, this tenant, this
/// browser, not expired. Every failure reads the same to the client.
pub async fn take(state: &AppState, tenant: &Tenant, headers: &HeaderMap, challenge: &str) -> ApiResult<Ceremony> {
    let binding = session::binding_of(tenant, headers);
    ceremonies::take(state, tenant, binding.as_deref(), challenge).await.map_err(|e| failed(tenant, "passkey ceremony", e))
}

/// Finishes a registration ceremony ([`ceremonies::finish_registration`]).
/// `what` names the ceremony in the logs.
pub async fn finish_registration(
    state: &AppState,
    tenant: &Tenant,
    headers: &HeaderMap,
    credential: &serde_json::Value,
    what: &'static str,
    accept: impl FnOnce(&Purpose) -> bool,
) -> ApiResult<(Purpose, webauthn::NewPasskey)> {
    let binding = session::binding_of(tenant, headers);
    ceremonies::finish_registration(state, tenant, binding.as_deref(), credential, accept).await.map_err(|e| failed(tenant, what, e))
}

/// The answer to a ceremony that did not start or finish.
fn failed(tenant: &Tenant, what: &'static str, e: CeremonyError) -> ApiError {
    match e {
        CeremonyError::Throttled => ApiError::oauth(ErrorCode::SlowDown, e.to_string()),
        CeremonyError::Unbound => ApiError::oauth(ErrorCode::ForbiddenRequest, e.to_string()),
        CeremonyError::Unknown => ApiError::oauth(ErrorCode::CeremonyExpired, e.to_string()),
        CeremonyError::NoRelyingParty(ref reason) => {
            tracing::warn!(tenant = %tenant.slug, reason = %reason, "the issuer cannot be a WebAuthn relying party");
            ApiError::oauth(ErrorCode::PasskeysUnavailable, e.to_string())
        }
        CeremonyError::Refused(e) => refused(tenant, what, &e),
        CeremonyError::Failed(e) => ApiError::from_app(e, Surface::Json),
    }
}

/// A refused ceremony, logged with its reason (never the payload).
pub fn refused(tenant: &Tenant, what: &'static str, e: &webauthn::CeremonyError) -> ApiError {
    tracing::info!(tenant = %tenant.slug, outcome = "failure", method = "passkey", reason = e.code(), "{what}");
    // Every ceremony code is a listed ErrorCode (a test in trame-core).
    ApiError::oauth(ErrorCode::parse(e.code()).unwrap_or(ErrorCode::Malformed), e.to_string())
}
