//! The session cookie and the browser binding cookie: what carries a
//! session ([`trame_app::sessions`]) in a browser, and binds pending
//! sign-ins and pages to the browser that started them.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use trame_core::crypto::{random_token, secret_digest};
use trame_core::lifetimes;
use trame_core::tenant::Tenant;

use trame_app::catalog::TenantEntry;
pub use trame_app::sessions::Session;
use trame_app::sessions::{self, SignedIn};

use crate::cookies;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::state::AppState;

fn session_cookie(tenant: &Tenant, headers: &HeaderMap) -> Option<String> {
    cookies::read(headers, &cookies::name(cookies::SESSION, tenant))
}

/// The session of this browser, if any.
pub async fn current(state: &AppState, tenant: &Tenant, headers: &HeaderMap) -> ApiResult<Option<Session>> {
    let Some(cookie) = session_cookie(tenant, headers) else {
        return Ok(None);
    };
    sessions::find(state, tenant, &cookie).await.html_err()
}

/// Starts a session for a user who just authenticated in this browser
/// ([`sessions::start`]); returns it with its Set-Cookie header.
pub async fn start(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    user_id: &str,
    amr: Vec<String>,
    acr: String,
) -> ApiResult<(Session, HeaderValue)> {
    let t = &tenant.tenant;
    let previous = session_cookie(t, headers);
    let user_agent = headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let who = SignedIn { user_id, amr, acr, device: sessions::device_label(user_agent) };
    let started = sessions::start(state, tenant, previous.as_deref(), who).await.html_err()?;
    Ok((started.session, cookies::set(t, &cookies::name(cookies::SESSION, t), &started.cookie, lifetimes::SESSION)))
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
    let frontchannel = match session_cookie(&tenant.tenant, headers) {
        Some(cookie) => sessions::end(state, tenant, &cookie).await.html_err()?,
        None => Vec::new(),
    };
    Ok(Ended { clear_cookie: cookies::clear(&tenant.tenant, &cookies::name(cookies::SESSION, &tenant.tenant)), frontchannel })
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
fn check_page_csrf(state: &AppState, tenant: &Tenant, headers: &HeaderMap, submitted: &str) -> bool {
    binding_of(tenant, headers).is_some_and(|b| crate::csrf::matches(&page_csrf(state, &b), submitted))
}

/// A page form's CSRF token, checked: refused, the forbidden page.
pub fn page_form_csrf(state: &AppState, tenant: &Tenant, headers: &HeaderMap, submitted: &str) -> ApiResult<()> {
    if check_page_csrf(state, tenant, headers, submitted) { Ok(()) } else { Err(ApiError::page(StatusCode::FORBIDDEN, "error-csrf")) }
}

/// The CSRF token a page's script sent (JSON): refused, an error the
/// script shows, telling to reload the page.
pub fn script_csrf(state: &AppState, tenant: &Tenant, headers: &HeaderMap, submitted: &str) -> ApiResult<()> {
    if check_page_csrf(state, tenant, headers, submitted) {
        Ok(())
    } else {
        Err(ApiError::oauth(trame_core::oauth::ErrorCode::ForbiddenRequest, "bad CSRF token: reload the page"))
    }
}
