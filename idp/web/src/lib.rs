//! Trame's HTTP layer: the only crate that knows HTTP.
//!
//! A request first meets [`tenancy`], which finds the tenant from the host
//! and path prefix and strips the prefix; then the per-area routers in
//! [`routes`] handle it. Handlers return [`ApiError`] on failure, which
//! renders as OAuth JSON, a redirect to a validated redirect URI, or a themed
//! page.

mod account_guard;
mod body_limit;
mod branding;
mod ceremony;
mod client_auth;
mod cookies;
mod csrf;
mod dates;
mod enrolment;
mod error;
mod extract;
mod headers;
mod interaction;
mod pages;
mod problem;
mod render;
mod request_object;
mod respond;
mod routes;
mod session;
mod signed_out;
mod signin;
mod state;
pub mod telemetry;
mod tenancy;
pub mod themes;

pub use error::ApiError;
pub use themes::Themes;

/// The built-in languages and their Fluent files, French (the reference)
/// first.
pub fn built_in_locales() -> &'static [(&'static str, &'static [&'static str])] {
    themes::builtin::LOCALES
}
pub use routes::admin_api::document as admin_api_document;
pub use state::{AppState, AppStateInner, WebConfig};
pub use trame_app::Catalog;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// The whole HTTP application: tenant resolution in front of the routers,
/// every request counted and timed by its route template ([`telemetry`]).
pub fn app(state: AppState) -> Router {
    let tenant_routes = routes::router(state.clone());
    let tenant_routes = tenancy::layer(state.clone(), tenant_routes);
    Router::new()
        .route("/_trame/health", axum::routing::get(routes::health::live))
        .route("/_trame/ready", axum::routing::get(routes::health::ready))
        .route("/_trame/assets/{name}", axum::routing::get(routes::asset))
        .nest_service(routes::admin_api::OPERATOR_BASE, routes::admin_api::operator_router(state.clone()))
        .route_layer(telemetry::StampRoute)
        .fallback_service(tenant_routes)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(state, around))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(headers::make_span))
}

/// What is done around every request, outside in: counted and timed by its
/// route template ([`telemetry`]), security headers ([`headers`]), deferred
/// pages rendered in the request's language ([`render`]), the body's size
/// limited ([`body_limit`]). One middleware
/// rather than three: each `from_fn` level boxes and clones the service
/// inside it and boxes its future, on every request; the two levels fewer
/// took a JWKS request from 55,900 to 46,400 instructions (callgrind). The
/// body limit's own 413 answers are counted and carry the security headers
/// too.
async fn around(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let tracked = telemetry::Tracked::start(&mut req);
    let page = render::PageRequest::of(&state.themes, &req);
    let res = match body_limit::limited(req) {
        Ok(req) => next.run(req).await,
        Err(refused) => axum::response::IntoResponse::into_response(refused),
    };
    let res = headers::security_headers(render::render_deferred(&state.themes, &page, res));
    tracked.finish(&res);
    res
}
