//! Discovery (OpenID Connect Discovery 1.0 §3) and the JWKS.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

use crate::error::{ApiResult, OrApi};
use crate::state::AppState;
use crate::tenancy::TenantCtx;

pub async fn discovery(State(state): State<AppState>, tenant: TenantCtx) -> Response {
    cached_json(tenant.discovery_json(&state.languages), "application/json")
}

/// A document serialised once ([`trame_app::catalog::TenantEntry`]), public and
/// cacheable. The header map is made with room for these headers and the
/// security headers (`headers.rs`), so it is not grown and rehashed twice.
fn cached_json(body: Bytes, content_type: &'static str) -> Response {
    let mut r = Response::new(Body::from(body));
    let mut h = HeaderMap::with_capacity(12);
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    *r.headers_mut() = h;
    r
}

pub async fn jwks(State(state): State<AppState>, tenant: TenantCtx) -> ApiResult<Response> {
    let body = tenant.jwks_json(&state.store, state.now()).await.json_err()?;
    Ok(cached_json(body, "application/jwk-set+json"))
}
