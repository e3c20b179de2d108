//! The authorization endpoint (OIDC Core §3.1.2): the request is read
//! (a Request Object or a pushed request becomes plain parameters here,
//! once), then [`crate::signin::proceed`] decides what comes next.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientIp, Params};
use crate::interaction::Starter;
use crate::request_object;
use crate::respond::with_cookie;
use crate::session;
use crate::signin::proceed;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

pub async fn authorize(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    params: Result<Params, ApiError>,
) -> ApiResult<Response> {
    // Unreadable parameters mean the redirect URI cannot be trusted either:
    // a page, never JSON or a redirect (this endpoint talks to browsers).
    let Params(params) = params.map_err(|_| ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"))?;
    // A Request Object or a pushed request becomes plain parameters here,
    // once; every later step of the sign-in validates those.
    let params = request_object::effective_params(&state, &tenant, ip, params).await?;
    let (binding, new_cookie) = session::binding(&state, &tenant.tenant, &headers);
    let current = session::current(&state, &tenant.tenant, &headers).await?;
    let r = proceed(&state, &tenant, current, params, None, Starter { binding, ip }).await?;
    Ok(with_cookie(r, new_cookie))
}
