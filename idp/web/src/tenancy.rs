//! Tenant resolution: runs before routing, finds the tenant from the host
//! and path, strips the tenant's path prefix, and hands the request to the
//! tenant routers with the tenant in its extensions.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Uri;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use crate::error::ApiError;
use crate::extract::effective_host;
use crate::state::AppState;
use trame_app::catalog::TenantEntry;

/// The tenant a request is for, and the prefix its URLs carry.
#[derive(Clone)]
pub struct TenantCtx(pub Arc<TenantEntry>);

impl std::ops::Deref for TenantCtx {
    type Target = TenantEntry;
    fn deref(&self) -> &TenantEntry {
        &self.0
    }
}

/// The tenant routers behind [`resolve`]. The middleware wraps the router
/// as a whole (not per route), so it runs before routing and its URI
/// rewrite is what the router matches. It is handed to the outer router as
/// its fallback service as it is: wrapping it in a router of its own (a
/// router with only a fallback) cost a boxed service clone and a oneshot
/// per request for nothing.
pub fn layer(
    state: AppState,
    inner: Router,
) -> impl Service<Request, Response = Response, Error = Infallible, Future: Send + 'static> + Clone + Send + Sync + 'static {
    middleware::from_fn_with_state(state, resolve).layer(inner)
}

async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let host = effective_host(&req, &state.config.trusted_proxies);
    let Some((entry, rest)) = state.catalog.resolve(&host, &state.config.public_authority, req.uri().path()) else {
        return ApiError::page(axum::http::StatusCode::NOT_FOUND, "error-not-found").into_response();
    };
    // A tenant without a path prefix (one per host) leaves an origin-form
    // URI as it is: it is rebuilt only when a prefix was taken off (or to
    // drop the scheme and authority of an absolute-form one, as always).
    if rest != req.uri().path() || req.uri().authority().is_some() {
        let new_uri = match req.uri().query() {
            Some(q) => format!("{rest}?{q}"),
            None => rest,
        };
        match Uri::try_from(new_uri) {
            Ok(uri) => *req.uri_mut() = uri,
            Err(_) => {
                return ApiError::page(axum::http::StatusCode::BAD_REQUEST, "error-bad-request").into_response();
            }
        }
    }
    let https = entry.tenant.issuer.is_https();
    req.extensions_mut().insert(TenantCtx(entry.clone()));
    let mut res = next.run(req).await;
    // A page still to render (an error page, say) shows the tenant's
    // header and footer like the others: `render::render_deferred` takes
    // the tenant from here (the entry itself, so rendering needs nothing
    // of this module).
    if res.extensions().get::<crate::render::Deferred>().is_some() {
        res.extensions_mut().insert(entry);
    }
    if https {
        // Browsers then refuse plain http for this host for a year: no
        // downgrade that would expose cookies. Not `includeSubDomains`: the
        // collectivité's other sites are not Trame's to decide.
        res.headers_mut().insert(axum::http::header::STRICT_TRANSPORT_SECURITY, axum::http::HeaderValue::from_static("max-age=31536000"));
    }
    res
}
