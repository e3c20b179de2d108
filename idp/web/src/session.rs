//! Browser sessions (SSO) and the browser binding cookie.
//!
//! The session cookie holds a random 256-bit value; the ephemeral store
//! keeps the session under that value's SHA-256, so a store dump does not
//! yield usable cookies. A new cookie is issued at every sign-in (session
//! fixation), and the old one is deleted.
//!
//! Every way a session ends goes through this module, which tells the
//! clients of the session ([`crate::logout_channels`]).

use axum::http::{HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};
use trame_core::crypto::{random_id, random_token, secret_digest};
use trame_core::lifetimes;
use trame_core::tenant::Tenant;

use trame_store::AccountSession;

use crate::error::{ApiResult, OrApi};
use crate::state::AppState;
use crate::{cookies, logout_channels};
use trame_app::catalog::TenantEntry;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub tenant_id: String,
    pub user_id: String,
    pub auth_time: i64,
    pub amr: Vec<String>,
    pub acr: String,
    /// Session id, not the cookie. Each client sees its own digest of it
    /// as `sid` ([`trame_core::subject::client_sid`]).
    pub sid: String,
    /// Where the session is kept (the digest of its cookie): what the
    /// account pages' CSRF tokens are bound to. Not stored: known from the
    /// cookie.
    #[serde(skip)]
    pub store_key: String,
}

fn key(cookie: &str) -> String {
    trame_store::ephemeral_keys::session(cookie)
}

pub async fn current(state: &AppState, tenant: &Tenant, headers: &HeaderMap) -> ApiResult<Option<Session>> {
    let Some(cookie) = cookies::read(headers, &cookies::name(cookies::SESSION, tenant)) else {
        return Ok(None);
    };
    let store_key = key(&cookie);
    let Some(raw) = state.ephemeral.get(&store_key).await.html_err()? else {
        return Ok(None);
    };
    let session: Option<Session> = serde_json::from_str(&raw).ok();
    Ok(session.filter(|s| s.tenant_id == tenant.id).map(|s| Session { store_key, ..s }))
}

/// Starts a session for a user who just authenticated; returns the
/// Set-Cookie header.
///
/// A browser that already had a session: the same person signing in again
/// (step-up, `prompt=login`) keeps its `sid`, so the clients it signed in to
/// stay part of it and hear when it ends; another person's session ends.
pub async fn start(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    user_id: &str,
    amr: Vec<String>,
    acr: String,
) -> ApiResult<(Session, HeaderValue)> {
    let t = &tenant.tenant;
    let mut kept_sid = None;
    if let Some(old_cookie) = cookies::read(headers, &cookies::name(cookies::SESSION, t))
        && let Some(old) = take(state, t, &old_cookie).await?
    {
        if old.user_id == user_id {
            kept_sid = Some(old.sid);
        } else {
            logout_channels::session_ended(state, tenant, &old.user_id, &old.sid).await;
        }
    }
    let cookie = random_token(state.rng.as_ref());
    let session = Session {
        tenant_id: t.id.clone(),
        user_id: user_id.to_owned(),
        auth_time: state.now(),
        amr,
        acr,
        sid: kept_sid.unwrap_or_else(|| random_id(state.rng.as_ref())),
        store_key: key(&cookie),
    };
    let json = serde_json::to_string(&session).expect("a session serializes");
    state.ephemeral.put(&key(&cookie), &json, lifetimes::SESSION).await.html_err()?;
    // The durable record lets the person see and end their sessions on the
    // account page; it holds the store key (a digest), never the cookie.
    let record = AccountSession {
        sid: session.sid.clone(),
        user_id: user_id.to_owned(),
        store_key: key(&cookie),
        label: device_label(headers),
        amr: session.amr.clone(),
        created_at: session.auth_time,
        expires_at: session.auth_time + lifetimes::SESSION,
    };
    state.store.record_account_session(&t.id, &record).await.html_err()?;
    Ok((session, cookies::set(t, &cookies::name(cookies::SESSION, t), &cookie, lifetimes::SESSION)))
}

/// A session ended by the browser that held it.
pub struct Ended {
    /// Clears the session cookie.
    pub clear_cookie: HeaderValue,
    /// The front-channel logout addresses of the session's clients, for the
    /// browser to load (empty when there was no session).
    pub frontchannel: Vec<String>,
}

/// Ends the browser's session and tells its clients.
pub async fn end(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap) -> ApiResult<Ended> {
    let name = cookies::name(cookies::SESSION, &tenant.tenant);
    let mut frontchannel = Vec::new();
    if let Some(cookie) = cookies::read(headers, &name)
        && let Some(s) = take(state, &tenant.tenant, &cookie).await?
    {
        frontchannel = logout_channels::session_ended(state, tenant, &s.user_id, &s.sid).await;
    }
    Ok(Ended { clear_cookie: cookies::clear(&tenant.tenant, &name), frontchannel })
}

/// Deletes the session behind a cookie, in both stores; returns it.
async fn take(state: &AppState, tenant: &Tenant, cookie: &str) -> ApiResult<Option<Session>> {
    let Some(raw) = state.ephemeral.take(&key(cookie)).await.html_err()? else {
        return Ok(None);
    };
    let Some(s) = serde_json::from_str::<Session>(&raw).ok().filter(|s| s.tenant_id == tenant.id) else {
        return Ok(None);
    };
    state.store.remove_account_session(&tenant.id, None, &s.sid).await.html_err()?;
    Ok(Some(s))
}

/// Ends one of the user's sessions from the account page (another device)
/// and tells its clients. False when the user has no such session.
pub async fn end_by_sid(state: &AppState, tenant: &TenantEntry, user_id: &str, sid: &str) -> ApiResult<bool> {
    match state.store.remove_account_session(&tenant.tenant.id, Some(user_id), sid).await.html_err()? {
        Some(store_key) => {
            state.ephemeral.delete(&store_key).await.html_err()?;
            logout_channels::session_ended(state, tenant, user_id, sid).await;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// After a password change, a credential removal or a recovery: every
/// other session of the user ends (its clients told, back channel
/// included), and every grant obtained outside the session `keep` is
/// revoked, refresh tokens with it. Failures to notify are logged by
/// [`logout_channels`]; a store failure is an error.
pub async fn end_others(state: &AppState, tenant: &TenantEntry, user_id: &str, keep: &Session) -> ApiResult<()> {
    let t = &tenant.tenant;
    let others = state.store.account_sessions(&t.id, user_id, state.now()).await.html_err()?;
    for s in others.iter().filter(|s| s.sid != keep.sid) {
        end_by_sid(state, tenant, user_id, &s.sid).await?;
    }
    let revoked = state.store.revoke_grants_of_user(&t.id, user_id, Some(&keep.sid), state.now()).await.html_err()?;
    tracing::info!(tenant = %t.slug, sessions = others.len().saturating_sub(1), grants = revoked.len(), "other sessions ended after an account change");
    Ok(())
}

/// A label the person recognizes their device by ("Firefox, Linux"), from
/// the User-Agent; deliberately coarse: no versions, nothing that
/// fingerprints.
pub fn device_label(headers: &HeaderMap) -> String {
    let ua = headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let browser = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari")]
        .iter()
        .find(|(k, _)| ua.contains(k))
        .map_or("?", |(_, v)| v);
    let os =
        [("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"), ("Mac OS", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]
            .iter()
            .find(|(k, _)| ua.contains(k))
            .map_or("?", |(_, v)| v);
    format!("{browser}, {os}")
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

/// The binding digest of this browser, if it has the cookie (exactly one,
/// of the length Trame makes).
pub fn binding_of(tenant: &Tenant, headers: &HeaderMap) -> Option<String> {
    cookies::read(headers, &cookies::name(cookies::BROWSER, tenant)).filter(|v| v.len() == 43).map(|v| secret_digest(&v))
}

/// The CSRF token of pages outside a pending sign-in and without a
/// session (sign-up, recovery): bound to the browser binding
/// ([`crate::csrf::for_browser`]).
pub fn page_csrf(state: &AppState, binding_digest: &str) -> String {
    crate::csrf::for_browser(state, binding_digest)
}

/// Checks a submitted page CSRF token against this browser's binding.
pub fn check_page_csrf(state: &AppState, tenant: &Tenant, headers: &HeaderMap, submitted: &str) -> bool {
    binding_of(tenant, headers).is_some_and(|b| crate::csrf::matches(&page_csrf(state, &b), submitted))
}
