//! Browser sessions (SSO) and the browser binding cookie.
//!
//! The session cookie holds a random 256-bit value; the ephemeral store
//! keeps the session under that value's SHA-256, so a store dump does not
//! yield usable cookies. A new cookie is issued at every sign-in (session
//! fixation), and the old session is deleted.

use axum::http::{HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};
use trame_core::crypto::{random_id, random_token, secret_digest};
use trame_core::lifetimes;
use trame_core::tenant::Tenant;

use crate::cookies;
use crate::error::{ApiResult, OrApi};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub tenant_id: String,
    pub user_id: String,
    pub auth_time: i64,
    pub amr: Vec<String>,
    pub acr: String,
    /// Session id as shown to clients (`sid` claim), not the cookie.
    pub sid: String,
}

fn key(cookie: &str) -> String {
    format!("sess:{}", secret_digest(cookie))
}

pub async fn current(state: &AppState, tenant: &Tenant, headers: &HeaderMap) -> ApiResult<Option<Session>> {
    let Some(cookie) = cookies::read(headers, &cookies::name(cookies::SESSION, tenant)) else { return Ok(None) };
    let Some(raw) = state.ephemeral.get(&key(&cookie)).await.html_err()? else { return Ok(None) };
    let session: Option<Session> = serde_json::from_str(&raw).ok();
    Ok(session.filter(|s| s.tenant_id == tenant.id))
}

/// Starts a session for a user who just authenticated; returns the
/// Set-Cookie header.
pub async fn start(
    state: &AppState,
    tenant: &Tenant,
    headers: &HeaderMap,
    user_id: &str,
    amr: Vec<String>,
    acr: String,
) -> ApiResult<(Session, HeaderValue)> {
    if let Some(old) = cookies::read(headers, &cookies::name(cookies::SESSION, tenant)) {
        state.ephemeral.delete(&key(&old)).await.html_err()?;
    }
    let cookie = random_token(state.rng.as_ref());
    let session = Session {
        tenant_id: tenant.id.clone(),
        user_id: user_id.to_owned(),
        auth_time: state.now(),
        amr,
        acr,
        sid: random_id(state.rng.as_ref()),
    };
    let json = serde_json::to_string(&session).expect("a session serializes");
    state.ephemeral.put(&key(&cookie), &json, lifetimes::SESSION).await.html_err()?;
    Ok((session, cookies::set(tenant, &cookies::name(cookies::SESSION, tenant), &cookie, lifetimes::SESSION)))
}

/// Ends the browser's session; returns the header that clears the cookie.
pub async fn end(state: &AppState, tenant: &Tenant, headers: &HeaderMap) -> ApiResult<HeaderValue> {
    let name = cookies::name(cookies::SESSION, tenant);
    if let Some(cookie) = cookies::read(headers, &name) {
        state.ephemeral.delete(&key(&cookie)).await.html_err()?;
    }
    Ok(cookies::clear(tenant, &name))
}

/// The browser binding: a long-lived random cookie whose digest is written
/// into every pending sign-in and logout, so a form can only be completed
/// by the browser that started it (login CSRF). Returns the digest and, when
/// the cookie had to be created, its Set-Cookie header.
pub fn binding(state: &AppState, tenant: &Tenant, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    let name = cookies::name(cookies::BROWSER, tenant);
    match cookies::read(headers, &name).filter(|v| v.len() == 43) {
        Some(v) => (secret_digest(&v), None),
        None => {
            let v = random_token(state.rng.as_ref());
            (secret_digest(&v), Some(cookies::set(tenant, &name, &v, 365 * 24 * 3600)))
        }
    }
}

/// The binding digest of this browser, if it has the cookie.
pub fn binding_of(tenant: &Tenant, headers: &HeaderMap) -> Option<String> {
    cookies::read(headers, &cookies::name(cookies::BROWSER, tenant)).map(|v| secret_digest(&v))
}
