//! A pending sign-in: the authorization request waiting for the person to
//! sign in or consent. It lives in the ephemeral store under a random id,
//! bound to the browser that started it, with its own CSRF token.

use std::net::IpAddr;

use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use trame_core::authorize::FLOW_PARAMETERS;
use trame_core::crypto::{constant_time_eq, random_token};
use trame_core::lifetimes;
use trame_core::tenant::Tenant;

use crate::error::{ApiError, ApiResult, OrApi};
use crate::session;
use crate::state::AppState;
use crate::throttle;

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
    /// Whether a page of it was shown: until then it lives only
    /// [`lifetimes::INTERACTION_UNSEEN`].
    #[serde(default)]
    pub seen: bool,
}

/// The most a pending sign-in may store (its parameters, JSON): enough for
/// a `claims` request, a long `state` and an ID token hint.
pub const MAX_STORED: usize = 16 * 1024;

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
    trame_store::ephemeral_keys::interaction(id)
}

/// Who starts a pending sign-in: the browser's binding and address.
pub struct Starter {
    pub binding: String,
    pub ip: Option<IpAddr>,
}

pub async fn create(state: &AppState, tenant: &Tenant, params: Vec<(String, String)>, by: Starter) -> ApiResult<String> {
    create_for(state, tenant, params, by, Purpose::Authorize, None).await
}

/// Stores a new pending sign-in. Only the parameters the flow reads are
/// kept ([`FLOW_PARAMETERS`]), at most [`MAX_STORED`] bytes, for
/// [`lifetimes::INTERACTION_UNSEEN`] until a page of it is shown, and an
/// address may start [`throttle::INTERACTIONS_PER_ADDRESS`] per window.
pub async fn create_for(
    state: &AppState,
    tenant: &Tenant,
    params: Vec<(String, String)>,
    by: Starter,
    purpose: Purpose,
    required_acr: Option<String>,
) -> ApiResult<String> {
    if !throttle::allow_interaction(state, &tenant.id, by.ip).await? {
        return Err(ApiError::page(StatusCode::TOO_MANY_REQUESTS, "too-many-attempts"));
    }
    let params: Vec<(String, String)> = params.into_iter().filter(|(k, _)| FLOW_PARAMETERS.contains(&k.as_str())).collect();
    let id = random_token(state.rng.as_ref());
    let ia = Interaction {
        purpose,
        required_acr,
        pending_user: None,
        tenant_id: tenant.id.clone(),
        params,
        binding: by.binding,
        csrf: random_token(state.rng.as_ref()),
        login_at: None,
        consented: false,
        expires_at: state.now() + lifetimes::INTERACTION_UNSEEN,
        seen: false,
    };
    let json = serde_json::to_string(&ia).expect("an interaction serializes");
    if json.len() > MAX_STORED {
        return Err(ApiError::Page { status: StatusCode::BAD_REQUEST, message: "error-param-too-long", detail: None });
    }
    state.ephemeral.put(&key(&id), &json, lifetimes::INTERACTION_UNSEEN).await.html_err()?;
    Ok(id)
}

/// Saves a changed interaction, keeping its expiry.
pub async fn save(state: &AppState, id: &str, ia: &Interaction) -> ApiResult<()> {
    let json = serde_json::to_string(ia).expect("an interaction serializes");
    let ttl = (ia.expires_at - state.now()).max(1);
    state.ephemeral.put(&key(id), &json, ttl).await.html_err()
}

/// A page of the interaction is being shown: from now on it lives the
/// full [`lifetimes::INTERACTION`], time enough to sign in.
pub async fn mark_seen(state: &AppState, id: &str, ia: &mut Interaction) -> ApiResult<()> {
    if ia.seen {
        return Ok(());
    }
    ia.seen = true;
    ia.expires_at = state.now() + lifetimes::INTERACTION;
    save(state, id, ia).await
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
