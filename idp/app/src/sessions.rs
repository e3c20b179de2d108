//! Browser sessions (SSO), whatever carries their cookie.
//!
//! The session cookie holds a random 256-bit value; the ephemeral store
//! keeps the session under that value's SHA-256, so a store dump does not
//! yield usable cookies. A new cookie is issued at every sign-in (session
//! fixation), and the old one is deleted.
//!
//! Every way a session ends goes through this module, which tells the
//! clients of the session ([`crate::logout_channels`]).

use serde::{Deserialize, Serialize};
use trame_core::crypto::{random_id, random_token};
use trame_core::lifetimes;
use trame_core::tenant::Tenant;
use trame_store::{AccountSession, Store, StoreError};

use crate::catalog::TenantEntry;
use crate::error::Result;
use crate::{App, logout_channels};

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
    /// The passkey (its stored id) this session signed in with, so the
    /// account page can say which one was just used. Absent for other
    /// methods and for sessions stored before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passkey: Option<String>,
    /// Where the session is kept (the digest of its cookie): what the
    /// account pages' CSRF tokens are bound to. Not stored: known from the
    /// cookie.
    #[serde(skip)]
    pub store_key: String,
}

fn key(cookie: &str) -> String {
    trame_store::ephemeral_keys::session(cookie)
}

/// Whether the account may sign in or keep a session: it exists in the
/// tenant and is not disabled. Every way of signing in, and every session
/// read, asks this one question.
pub async fn can_sign_in(store: &Store, tenant_id: &str, user_id: &str) -> Result<bool, StoreError> {
    Ok(store.account(tenant_id, user_id).await?.is_some_and(|a| a.disabled_at.is_none()))
}

/// The session behind a cookie, if it is alive, of this tenant, and its
/// account still exists and is not disabled (a session outlives neither:
/// the ephemeral store of another process may still hold it).
pub async fn find(app: &App, tenant: &Tenant, cookie: &str) -> Result<Option<Session>> {
    let store_key = key(cookie);
    let Some(raw) = app.ephemeral.get(&store_key).await? else {
        return Ok(None);
    };
    let Some(session) = serde_json::from_str::<Session>(&raw).ok().filter(|s| s.tenant_id == tenant.id) else {
        return Ok(None);
    };
    let usable = can_sign_in(&app.store, &tenant.id, &session.user_id).await?;
    Ok(usable.then_some(Session { store_key, ..session }))
}

/// Who just authenticated, and how.
pub struct SignedIn<'a> {
    pub user_id: &'a str,
    pub amr: Vec<String>,
    pub acr: String,
    /// What the person recognizes the device by ([`device_label`]).
    pub device: String,
}

/// A new session and the cookie value that carries it.
pub struct Started {
    pub session: Session,
    pub cookie: String,
}

/// Starts a session for a user who just authenticated, in the browser
/// whose session cookie (if any) was `previous`.
///
/// A browser that already had a session: the same person signing in again
/// (step-up, `prompt=login`) keeps its `sid`, so the clients it signed in to
/// stay part of it and hear when it ends; another person's session ends.
pub async fn start(app: &App, tenant: &TenantEntry, previous: Option<&str>, who: SignedIn<'_>) -> Result<Started> {
    let t = &tenant.tenant;
    let mut kept_sid = None;
    if let Some(old_cookie) = previous
        && let Some(old) = take(app, t, old_cookie).await?
    {
        if old.user_id == who.user_id {
            kept_sid = Some(old.sid);
        } else {
            logout_channels::session_ended(app, tenant, &old.user_id, &old.sid).await;
        }
    }
    let cookie = random_token(app.rng.as_ref());
    let store_key = key(&cookie);
    let session = Session {
        tenant_id: t.id.clone(),
        user_id: who.user_id.to_owned(),
        auth_time: app.now(),
        amr: who.amr,
        acr: who.acr,
        sid: kept_sid.unwrap_or_else(|| random_id(app.rng.as_ref())),
        passkey: None,
        store_key: store_key.clone(),
    };
    let json = serde_json::to_string(&session).expect("a session serializes");
    app.ephemeral.put(&store_key, &json, lifetimes::SESSION).await?;
    // The durable record lets the person see and end their sessions on the
    // account page; it holds the store key (a digest), never the cookie.
    let record = AccountSession {
        sid: session.sid.clone(),
        user_id: who.user_id.to_owned(),
        store_key,
        label: who.device,
        amr: session.amr.clone(),
        created_at: session.auth_time,
        expires_at: session.auth_time + lifetimes::SESSION,
    };
    app.store.record_account_session(&t.id, &record).await?;
    Ok(Started { session, cookie })
}

/// Notes on a session just started which passkey signed it in
/// ([`Session::passkey`]); it keeps its remaining lifetime. A separate
/// write rather than a field of [`SignedIn`]: only the passkey sign-in
/// knows the passkey, and every way of signing in starts sessions alike.
pub async fn note_passkey(app: &App, session: &Session, passkey_id: &str) -> Result<()> {
    let noted = Session { passkey: Some(passkey_id.to_owned()), ..session.clone() };
    let json = serde_json::to_string(&noted).expect("a session serializes");
    let left = noted.auth_time + lifetimes::SESSION - app.now();
    app.ephemeral.put(&noted.store_key, &json, left).await?;
    Ok(())
}

/// Ends the session behind a cookie (its browser signs out) and tells its
/// clients; returns the front-channel logout addresses of those clients,
/// for the browser to load (empty when there was no session).
pub async fn end(app: &App, tenant: &TenantEntry, cookie: &str) -> Result<Vec<String>> {
    Ok(match take(app, &tenant.tenant, cookie).await? {
        Some(s) => logout_channels::session_ended(app, tenant, &s.user_id, &s.sid).await,
        None => Vec::new(),
    })
}

/// Deletes the session behind a cookie, in both stores; returns it.
async fn take(app: &App, tenant: &Tenant, cookie: &str) -> Result<Option<Session>> {
    let Some(raw) = app.ephemeral.take(&key(cookie)).await? else {
        return Ok(None);
    };
    let Some(s) = serde_json::from_str::<Session>(&raw).ok().filter(|s| s.tenant_id == tenant.id) else {
        return Ok(None);
    };
    app.store.remove_account_session(&tenant.id, None, &s.sid).await?;
    Ok(Some(s))
}

/// Ends one of the user's sessions from the account page (another device)
/// and tells its clients. False when the user has no such session.
pub async fn end_by_sid(app: &App, tenant: &TenantEntry, user_id: &str, sid: &str) -> Result<bool> {
    match app.store.remove_account_session(&tenant.tenant.id, Some(user_id), sid).await? {
        Some(store_key) => {
            app.ephemeral.delete(&store_key).await?;
            logout_channels::session_ended(app, tenant, user_id, sid).await;
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
pub async fn end_others(app: &App, tenant: &TenantEntry, user_id: &str, keep: &Session) -> Result<()> {
    let t = &tenant.tenant;
    let others = app.store.account_sessions(&t.id, user_id, app.now()).await?;
    for s in others.iter().filter(|s| s.sid != keep.sid) {
        end_by_sid(app, tenant, user_id, &s.sid).await?;
    }
    let revoked = app.store.revoke_grants_of_user(&t.id, user_id, Some(&keep.sid), app.now()).await?;
    tracing::info!(tenant = %t.slug, sessions = others.len().saturating_sub(1), grants = revoked.len(), "other sessions ended after an account change");
    Ok(())
}

/// A label the person recognizes their device by ("Firefox, Linux"), from
/// the User-Agent; deliberately coarse: no versions, nothing that
/// fingerprints.
pub fn device_label(user_agent: &str) -> String {
    let ua = user_agent;
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
