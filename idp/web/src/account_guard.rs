//! What every account page checks before it shows or changes anything: a
//! recent enough session (else a sign-in first), and for posts the CSRF
//! token bound to that session. Shared by the account routes.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use trame_core::lifetimes;

use crate::csrf;
use crate::error::{ApiError, ApiResult};
use crate::extract::single;
use crate::interaction::{self, Purpose as IaPurpose, Starter};
use crate::respond::{see_other, with_cookie};
use crate::session::{self, Session};
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// Back to the account page, with one of its notices.
pub(crate) fn back(tenant: &TenantCtx, notice: &str) -> Response {
    see_other(&tenant.tenant.issuer.endpoint(&format!("/account?notice={notice}")))
}

/// A session recent enough to change the account: a browser left signed in
/// for hours must not let someone passing by add their own passkey or
/// remove the owner's (OWASP ASVS V3.7: re-authentication before sensitive
/// changes). Sign-ins at services keep using the whole session.
pub(crate) async fn recent_session(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap) -> ApiResult<Option<Session>> {
    let s = session::current(state, &tenant.tenant, headers).await?;
    Ok(s.filter(|s| is_recent(state, s)))
}

/// Whether the session signed in recently enough to change the account.
pub(crate) fn is_recent(state: &AppState, s: &Session) -> bool {
    state.now() - s.auth_time <= lifetimes::ACCOUNT_CHANGES
}

/// The session, or a redirect to sign in first (then back here).
pub(crate) async fn signed_in(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, ip: Option<std::net::IpAddr>) -> ApiResult<Result<Session, Response>> {
    if let Some(s) = recent_session(state, tenant, headers).await? {
        return Ok(Ok(s));
    }
    let (binding, cookie) = session::binding(state, &tenant.tenant, headers);
    let id = interaction::create_for(state, &tenant.tenant, Vec::new(), Starter { binding, ip }, IaPurpose::Account, None).await?;
    Ok(Err(with_cookie(see_other(&tenant.tenant.issuer.endpoint(&format!("/login?interaction={id}"))), cookie)))
}

/// Why a post to the account pages was refused.
pub(crate) enum Refused {
    /// No session, or one too old for changes.
    SignInAgain,
    /// The form's token is not this session's.
    Csrf,
}

/// For posts: a recent session and the CSRF token bound to it
/// ([`crate::csrf::for_session`]).
pub(crate) async fn checked_session(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, submitted: &str) -> ApiResult<Result<Session, Refused>> {
    let Some(s) = session::current(state, &tenant.tenant, headers).await? else {
        return Ok(Err(Refused::SignInAgain));
    };
    if !csrf::matches(&csrf::for_session(state, &s.store_key), submitted) {
        return Ok(Err(Refused::Csrf));
    }
    if !is_recent(state, &s) {
        return Ok(Err(Refused::SignInAgain));
    }
    Ok(Ok(s))
}

/// For form posts: the session and a valid CSRF token, or a refusal page.
pub(crate) async fn form_session(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, f: &[(String, String)]) -> ApiResult<Session> {
    let csrf = single(f, "csrf").ok().flatten().unwrap_or_default();
    checked_session(state, tenant, headers, csrf).await?.map_err(|r| match r {
        Refused::Csrf => ApiError::page(StatusCode::FORBIDDEN, "error-csrf"),
        Refused::SignInAgain => ApiError::page(StatusCode::UNAUTHORIZED, "error-sign-in-again"),
    })
}

/// Records a change the person made to their own account (a security
/// event of the audit trail: credentials, e-mail, sessions, consents),
/// from the address it came from.
pub(crate) async fn audited(state: &AppState, tenant: &TenantCtx, user_id: &str, action: &'static str, ip: Option<std::net::IpAddr>) {
    audited_with(state, tenant, user_id, action, ip, None).await;
}

/// The same, with what the record says besides (never a secret).
pub(crate) async fn audited_with(
    state: &AppState,
    tenant: &TenantCtx,
    user_id: &str,
    action: &'static str,
    ip: Option<std::net::IpAddr>,
    detail: Option<serde_json::Value>,
) {
    use trame_app::audit::{self, Actor, Event};
    let mut event = Event::new(&tenant.tenant.id, Actor::User(user_id.to_owned()), action).on(audit::user(user_id)).from_address(ip);
    event.detail = detail;
    audit::record(&state.store, state.now(), event).await;
}
