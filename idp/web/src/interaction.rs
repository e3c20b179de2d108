//! A pending sign-in: the authorization request waiting for the person to
//! sign in or consent. It lives in the ephemeral store under a random id,
//! bound to the browser that started it, with its own CSRF token.

use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use trame_core::crypto::{constant_time_eq, random_token};
use trame_core::lifetimes;
use trame_core::tenant::Tenant;

use crate::error::{ApiError, ApiResult, OrApi};
use crate::session;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Interaction {
    pub tenant_id: String,
    /// The original authorization parameters; validated again on every
    /// step, so a client changed meanwhile is seen as it is now.
    pub params: Vec<(String, String)>,
    pub binding: String,
    pub csrf: String,
    /// Set when the person authenticated during this interaction, which
    /// satisfies `prompt=login` and `max_age`.
    pub login_at: Option<i64>,
    pub consented: bool,
    /// When the pending sign-in lapses, by the application clock.
    pub expires_at: i64,
    /// What the sign-in is for.
    #[serde(default)]
    pub purpose: Purpose,
    /// The assurance level the client asked for and the session lacks:
    /// only methods that reach it are accepted (step-up).
    #[serde(default)]
    pub required_acr: Option<String>,
    /// The user whose password was right, waiting for the second factor.
    #[serde(default)]
    pub pending_user: Option<String>,
}

/// Why the person is signing in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    /// An authorization request: afterwards, back to the client.
    #[default]
    Authorize,
    /// The account page: afterwards, to `<issuer>/account`.
    Account,
}

fn key(id: &str) -> String {
    format!("ia:{id}")
}

pub async fn create(state: &AppState, tenant: &Tenant, params: Vec<(String, String)>, binding: String) -> ApiResult<String> {
    create_for(state, tenant, params, binding, Purpose::Authorize, None).await
}

pub async fn create_for(
    state: &AppState,
    tenant: &Tenant,
    params: Vec<(String, String)>,
    binding: String,
    purpose: Purpose,
    required_acr: Option<String>,
) -> ApiResult<String> {
    let id = random_token(state.rng.as_ref());
    let ia = Interaction {
        purpose,
        required_acr,
        pending_user: None,
        tenant_id: tenant.id.clone(),
        params,
        binding,
        csrf: random_token(state.rng.as_ref()),
        login_at: None,
        consented: false,
        expires_at: state.now() + lifetimes::INTERACTION,
    };
    save(state, &id, &ia).await?;
    Ok(id)
}

pub async fn save(state: &AppState, id: &str, ia: &Interaction) -> ApiResult<()> {
    let json = serde_json::to_string(ia).expect("an interaction serializes");
    state.ephemeral.put(&key(id), &json, lifetimes::INTERACTION).await.html_err()
}

pub async fn delete(state: &AppState, id: &str) -> ApiResult<()> {
    state.ephemeral.delete(&key(id)).await.html_err()
}

/// Loads an interaction for this tenant and this browser.
pub async fn load(state: &AppState, tenant: &Tenant, headers: &HeaderMap, id: &str) -> ApiResult<Interaction> {
    let expired = || ApiError::page(StatusCode::BAD_REQUEST, "error-interaction-expired");
    if id.len() != 43 {
        return Err(expired());
    }
    let raw = state.ephemeral.get(&key(id)).await.html_err()?.ok_or_else(expired)?;
    let ia: Interaction = serde_json::from_str(&raw).map_err(|_| expired())?;
    if ia.tenant_id != tenant.id || ia.expires_at <= state.now() {
        return Err(expired());
    }
    let bound = session::binding_of(tenant, headers).is_some_and(|b| constant_time_eq(b.as_bytes(), ia.binding.as_bytes()));
    if !bound {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "error-csrf"));
    }
    Ok(ia)
}

/// Checks the form's CSRF token against the interaction's.
pub fn check_csrf(ia: &Interaction, submitted: Option<&str>) -> ApiResult<()> {
    match submitted {
        Some(s) if constant_time_eq(s.as_bytes(), ia.csrf.as_bytes()) => Ok(()),
        _ => Err(ApiError::page(StatusCode::FORBIDDEN, "error-csrf")),
    }
}
