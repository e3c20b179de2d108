//! The person's rights on their account page (GDPR arts. 15 to 17 and 20):
//! their names changed, the services they consented to withdrawn, all
//! their data downloaded, and the account deleted. Each is a post with the
//! page's CSRF token from a recent session, like every account change;
//! the work is `trame_app`'s, the same functions the admin API calls.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use trame_app::audit::Actor;
use trame_app::users::{self, AccountChange, ChangeError};
use trame_app::{consents, personal_data};
use trame_store::ProfileChange;

use crate::account_guard::{audited, back, form_session, signed_in};
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams, single};
use crate::render::lang_of;
use crate::session;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// Their given and family names. The version the page showed comes back,
/// so a change made meanwhile elsewhere (an administrator) is not
/// overwritten: the page shows it again instead.
pub async fn profile(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    let field = |n: &str| single(&f, n).ok().flatten().map(str::to_owned);
    let version = field("version").and_then(|v| v.parse::<i64>().ok());
    let change = ProfileChange { given_name: Some(field("given_name")), family_name: Some(field("family_name")), ..ProfileChange::default() };
    match users::change_profile(&state, &tenant.tenant, &s.user_id, version, change, Actor::User(s.user_id.clone())).await {
        Ok(_) => Ok(back(&tenant, "profile-saved")),
        Err(ChangeError::Refused(_)) => Ok(back(&tenant, "profile-invalid")),
        Err(ChangeError::Stale) => Ok(back(&tenant, "profile-stale")),
        Err(ChangeError::DirectoryManaged) => Ok(back(&tenant, "directory-managed")),
        Err(ChangeError::NotFound) => Err(ApiError::page(StatusCode::UNAUTHORIZED, "error-signed-out")),
        Err(ChangeError::Failed(e)) => Err(e).html_err(),
    }
}

/// Leaves a service: its access stops and it is told the sessions it got
/// ended; it asks for consent again next time.
pub async fn withdraw(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    let client_id = single(&f, "client_id").ok().flatten().unwrap_or_default();
    if !consents::withdraw(&state, &tenant, &s.user_id, client_id, Actor::User(s.user_id.clone())).await.html_err()? {
        return Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found"));
    }
    Ok(back(&tenant, "consent-withdrawn"))
}

/// Everything held about them, as a JSON file (the administrators' GDPR
/// export). A GET from a recent session: the link is on the page, and it
/// changes nothing but the audit trail.
pub async fn export(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, headers: HeaderMap) -> ApiResult<Response> {
    let s = match signed_in(&state, &tenant, &headers, ip).await? {
        Ok(s) => s,
        Err(redirect) => return Ok(redirect),
    };
    let data =
        personal_data::export(&state, &tenant, &s.user_id).await.html_err()?.ok_or_else(|| ApiError::page(StatusCode::UNAUTHORIZED, "error-signed-out"))?;
    audited(&state, &tenant, &s.user_id, "user.exported", ip).await;
    let body = serde_json::to_string_pretty(&data).unwrap_or_default();
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"mes-donnees.json\""));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// Deletes the account, from a recent sign-in and with the box ticked
/// that says what it means. The services are told, the session ends.
pub async fn delete(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    if single(&f, "confirm").ok().flatten() != Some("yes") {
        return Ok(back(&tenant, "delete-unconfirmed"));
    }
    match users::remove(&state, &tenant, &s.user_id, Actor::User(s.user_id.clone())).await.html_err()? {
        AccountChange::Done => {}
        AccountChange::LastOperator => return Ok(back(&tenant, "delete-last-operator")),
        AccountChange::NotFound => return Err(ApiError::page(StatusCode::UNAUTHORIZED, "error-signed-out")),
    }
    // Its sessions went with it; the browser forgets its cookie.
    let ended = session::end(&state, &tenant, &headers).await?;
    let mut page = state.themes.page(
        StatusCode::OK,
        "message.html",
        context! { lang => lang_of(&state.themes, &headers), tenant => crate::branding::view(&tenant.tenant), title => "account-deleted-title", message => "account-deleted-message" },
    );
    page.headers_mut().append(header::SET_COOKIE, ended.clear_cookie);
    Ok(page)
}
