//! Tenant resolution: runs before routing, finds the tenant from the host
//! and path, strips the tenant's path prefix, and hands the request to the
//! tenant routers with the tenant in its extensions.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Uri;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::Layer;

use crate::catalog::TenantEntry;
use crate::error::ApiError;
use crate::extract::effective_host;
use crate::state::AppState;

/// The tenant a request is for, and the prefix its URLs carry.
#[derive(Clone)]
pub struct TenantCtx(pub Arc<TenantEntry>);

impl std::ops::Deref for TenantCtx {
    type Target = TenantEntry;
    fn deref(&self) -> &TenantEntry {
        &self.0
    }
}

pub fn layer(state: AppState, inner: Router) -> Router {
    // The middleware wraps the router as a whole (not per route), so it runs
    // before routing and its URI rewrite is what the router matches.
    let svc = middleware::from_fn_with_state(state, resolve).layer(inner);
    Router::new().fallback_service(svc)
}

async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let host = effective_host(&req, &state.config.trusted_proxies);
    let path = req.uri().path().to_owned();
    let Some((entry, rest)) = state.catalog.resolve(&host, &state.config.public_authority, &path) else {
        return ApiError::page(axum::http::StatusCode::NOT_FOUND, "error-not-found").into_response();
    };
    let new_uri = match req.uri().query() {
        Some(q) => format!("{rest}?{q}"),
        None => rest,
    };
    match new_uri.parse::<Uri>() {
        Ok(uri) => *req.uri_mut() = uri,
        Err(_) => return ApiError::page(axum::http::StatusCode::BAD_REQUEST, "error-bad-request").into_response(),
    }
    req.extensions_mut().insert(TenantCtx(entry));
    next.run(req).await
}
