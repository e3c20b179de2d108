//! A pending sign-in in the browser ([`trame_app::interactions`]): loaded
//! only by the browser that started it, its forms checked against its CSRF
//! token.

use axum::http::{HeaderMap, StatusCode};
use trame_core::crypto::constant_time_eq;
use trame_core::tenant::Tenant;

use trame_app::interactions::{self, CreateError};
pub use trame_app::interactions::{Interaction, Purpose, Starter, delete, mark_seen, save};

use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::single;
use crate::session;
use crate::state::AppState;

/// Stores a new pending sign-in for an authorization request.
pub async fn create(state: &AppState, tenant: &Tenant, params: Vec<(String, String)>, by: Starter) -> ApiResult<String> {
    create_for(state, tenant, params, by, Purpose::Authorize, None).await
}

/// Stores a new pending sign-in ([`interactions::create_for`]); a refusal
/// is a page.
pub async fn create_for(
    state: &AppState,
    tenant: &Tenant,
    params: Vec<(String, String)>,
    by: Starter,
    purpose: Purpose,
    required_acr: Option<String>,
) -> ApiResult<String> {
    match interactions::create_for(state, tenant, params, by, purpose, required_acr).await {
        Ok(id) => Ok(id),
        Err(CreateError::TooMany) => Err(ApiError::page(StatusCode::TOO_MANY_REQUESTS, "too-many-attempts")),
        Err(CreateError::TooLarge) => Err(ApiError::Page { status: StatusCode::BAD_REQUEST, message: "error-param-too-long", detail: None }),
        Err(CreateError::Failed(e)) => Err(e).html_err(),
    }
}

/// Loads an interaction for this tenant and this browser.
pub async fn load(state: &AppState, tenant: &Tenant, headers: &HeaderMap, id: &str) -> ApiResult<Interaction> {
    let ia = interactions::find(state, tenant, id).await.html_err()?.ok_or_else(|| ApiError::page(StatusCode::BAD_REQUEST, "error-interaction-expired"))?;
    let bound = session::binding_of(tenant, headers).is_some_and(|b| constant_time_eq(b.as_bytes(), ia.binding.as_bytes()));
    if !bound {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "error-csrf"));
    }
    Ok(ia)
}

/// A post from a page of a pending sign-in: the interaction its form
/// names (`interaction`), loaded for this browser, with the form's token
/// (`csrf`) checked against it. Returns its id and the interaction.
pub async fn posted(state: &AppState, tenant: &Tenant, headers: &HeaderMap, form: &[(String, String)]) -> ApiResult<(String, Interaction)> {
    let field = |n: &str| single(form, n).ok().flatten().unwrap_or_default();
    let id = field("interaction").to_owned();
    let ia = load(state, tenant, headers, &id).await?;
    check_csrf(&ia, Some(field("csrf")))?;
    Ok((id, ia))
}

/// Checks the form's CSRF token against the interaction's.
pub fn check_csrf(ia: &Interaction, submitted: Option<&str>) -> ApiResult<()> {
    match submitted {
        Some(s) if constant_time_eq(s.as_bytes(), ia.csrf.as_bytes()) => Ok(()),
        _ => Err(ApiError::page(StatusCode::FORBIDDEN, "error-csrf")),
    }
}
