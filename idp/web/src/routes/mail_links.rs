//! The pages that mailed links open, for links that change an account:
//! confirming an e-mail address, and raising a credential bound from a
//! weaker session ([`trame_core::tenant::CredentialUpgrade::Mail`]).
//!
//! A link alone changes nothing. It opens a page with a button, and the
//! button's post needs the session of the account the mail was sent for
//! (and for an upgrade, the very session that asked), with that session's
//! CSRF token: mail scanners that follow links, and a person tricked into
//! opening someone else's link, change nothing.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use serde_json::{Map, Value};
use trame_core::tenant::Tenant;
use trame_store::StoreError;

use crate::csrf;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{FormParams, single};
use crate::render::lang_of;
use crate::respond::see_other;
use crate::session::{self, Session};
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::mail_link::{self, Credential, UPGRADE, UPGRADED_LEVEL, VERIFY};

#[derive(Deserialize)]
pub struct TokenQuery {
    token: String,
}

fn message(state: &AppState, t: &Tenant, headers: &HeaderMap, status: StatusCode, title: &str, msg: &str) -> Response {
    state.themes.page(
        status,
        "message.html",
        context! { lang => lang_of(&state.themes, headers), tenant => crate::branding::view(t), title => title, message => msg, is_error => status.is_client_error(), account => t.issuer.endpoint("/account") },
    )
}

fn invalid() -> ApiError {
    ApiError::page(StatusCode::BAD_REQUEST, "email-link-invalid")
}

fn text<'a>(record: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    record.get(key).and_then(Value::as_str)
}

/// The session of the link's account, if this browser has it.
async fn session_of(state: &AppState, t: &Tenant, headers: &HeaderMap, record: &Map<String, Value>) -> ApiResult<Option<Session>> {
    let s = session::current(state, t, headers).await?;
    Ok(s.filter(|s| Some(s.user_id.as_str()) == text(record, "user")))
}

/// The confirmation page of a link, or a page asking to sign in first.
fn confirm_page(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, s: Option<&Session>, token: &str, title: &str, intro: &str) -> Response {
    let t = &tenant.tenant;
    let Some(s) = s else {
        return message(state, t, headers, StatusCode::FORBIDDEN, title, "mail-link-sign-in-first");
    };
    state.themes.page(
        StatusCode::OK,
        "confirm_link.html",
        context! {
            lang => lang_of(&state.themes, headers),
            tenant => crate::branding::view(t),
            title => title,
            intro => intro,
            csrf => csrf::for_session(state, &s.store_key),
            token => token,
        },
    )
}

/// The session and its CSRF token, for a confirmation post.
async fn posting_session(state: &AppState, t: &Tenant, headers: &HeaderMap, f: &[(String, String)]) -> ApiResult<Session> {
    let s = session::current(state, t, headers).await?.ok_or_else(|| ApiError::page(StatusCode::FORBIDDEN, "mail-link-sign-in-first"))?;
    let submitted = single(f, "csrf").ok().flatten().unwrap_or_default();
    if !csrf::matches(&csrf::for_session(state, &s.store_key), submitted) {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "error-csrf"));
    }
    Ok(s)
}

// --- E-mail verification ------------------------------------------------

pub async fn verify_show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<TokenQuery>) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let record = mail_link::peek(&state, t, VERIFY, &q.token).await.html_err()?.ok_or_else(invalid)?;
    let s = session_of(&state, t, &headers, &record).await?;
    Ok(confirm_page(&state, &tenant, &headers, s.as_ref(), &q.token, "email-verify-title", "email-verify-confirm"))
}

pub async fn verify_confirm(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let s = posting_session(&state, t, &headers, &f).await?;
    let token = single(&f, "token").ok().flatten().unwrap_or_default();
    // Checked before the link is used, so the right person can still use
    // it after a wrong browser tried.
    let record = mail_link::peek(&state, t, VERIFY, token).await.html_err()?.ok_or_else(invalid)?;
    if text(&record, "user") != Some(s.user_id.as_str()) {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "mail-link-other-account"));
    }
    let record = mail_link::redeem(&state, t, VERIFY, token).await.html_err()?.ok_or_else(invalid)?;
    let addr = text(&record, "email").ok_or_else(invalid)?;
    let user = state.store.user_by_id(&t.id, &s.user_id).await.html_err()?.ok_or_else(invalid)?;
    if user.email.as_deref() != Some(addr) {
        return Err(invalid());
    }
    match state.store.set_email(&t.id, &s.user_id, Some(addr), true, state.now()).await {
        Ok(()) => Ok(message(&state, t, &headers, StatusCode::OK, "email-verified-title", "email-verified")),
        Err(StoreError::Conflict(_)) => Ok(message(&state, t, &headers, StatusCode::CONFLICT, "email-verify-title", "email-taken")),
        Err(e) => Err(e).html_err(),
    }
}

// --- Credential upgrade ---------------------------------------------------

/// The upgrade link's record, for this very session.
fn upgrade_for(record: &Map<String, Value>, s: &Session) -> Option<Credential> {
    if text(record, "user") != Some(s.user_id.as_str()) || text(record, "sid") != Some(s.sid.as_str()) {
        return None;
    }
    match text(record, "credential")? {
        "passkey" => Some(Credential::Passkey(text(record, "id")?.to_owned())),
        "totp" => Some(Credential::Totp),
        _ => None,
    }
}

pub async fn upgrade_show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<TokenQuery>) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let record = mail_link::peek(&state, t, UPGRADE, &q.token).await.html_err()?.ok_or_else(invalid)?;
    let s = session::current(&state, t, &headers).await?.filter(|s| upgrade_for(&record, s).is_some());
    Ok(confirm_page(&state, &tenant, &headers, s.as_ref(), &q.token, "upgrade-title", "upgrade-confirm"))
}

pub async fn upgrade_confirm(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let s = posting_session(&state, t, &headers, &f).await?;
    let token = single(&f, "token").ok().flatten().unwrap_or_default();
    let record = mail_link::peek(&state, t, UPGRADE, token).await.html_err()?.ok_or_else(invalid)?;
    let credential = upgrade_for(&record, &s).ok_or_else(|| ApiError::page(StatusCode::FORBIDDEN, "mail-link-other-account"))?;
    let record = mail_link::redeem(&state, t, UPGRADE, token).await.html_err()?.ok_or_else(invalid)?;
    match credential {
        Credential::Passkey(id) => match state.store.set_passkey_max_acr(&t.id, &s.user_id, &id, Some(UPGRADED_LEVEL)).await {
            Ok(()) => {}
            Err(StoreError::NotFound(_)) => {
                return Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found"));
            }
            Err(e) => return Err(e).html_err(),
        },
        Credential::Totp => state.store.set_totp_max_acr(&t.id, &s.user_id, Some(UPGRADED_LEVEL)).await.html_err()?,
    }
    tracing::info!(tenant = %t.slug, "credential upgraded by mailed link");
    // Added from the level page: the sign-in it was added for goes on.
    let next = match mail_link::pending_of(&record) {
        Some(id) => crate::enrolment::after_upgrade(&state, &tenant, &headers, id).await,
        None => None,
    };
    Ok(see_other(&next.unwrap_or_else(|| t.issuer.endpoint("/account?notice=credential-upgraded"))))
}
