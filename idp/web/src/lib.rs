//! Trame's HTTP layer: the only crate that knows HTTP.
//!
//! A request first meets [`tenancy`], which finds the tenant from the host
//! and path prefix and strips the prefix; then the per-area routers in
//! [`routes`] handle it. Handlers return [`ApiError`] on failure, which
//! renders as OAuth JSON, a redirect to a validated redirect URI, or a themed
//! page.

mod catalog;
mod ceremony;
mod client_auth;
mod cookies;
mod error;
mod extract;
pub mod federation;
mod headers;
mod i18n;
mod interaction;
mod logout_channels;
pub mod logout_delivery;
pub mod mail;
mod mail_link;
pub mod outbound;
pub mod password_work;
pub mod registration;
mod render;
mod request_object;
mod routes;
mod session;
mod signin;
mod state;
pub mod telemetry;
mod tenancy;
mod throttle;
mod tokens;
mod urlencoded;
pub mod webauthn;

pub use catalog::Catalog;
pub use error::ApiError;
pub use render::Themes;
pub use state::{AppState, AppStateInner, WebConfig};

use axum::Router;

/// The whole HTTP application: tenant resolution in front of the routers,
/// every request counted and timed by its route template ([`telemetry`]).
pub fn app(state: AppState) -> Router {
    let tenant_routes = routes::router(state.clone());
    let tenant_routes = tenancy::layer(state.clone(), tenant_routes);
    Router::new()
        .route("/_trame/health", axum::routing::get(routes::health::live))
        .route("/_trame/ready", axum::routing::get(routes::health::ready))
        .route("/_trame/assets/{name}", axum::routing::get(routes::asset))
        .route_layer(axum::middleware::from_fn(telemetry::stamp_route))
        .fallback_service(tenant_routes)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(state, render::render_deferred))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(64 * 1024))
        .layer(axum::middleware::from_fn(telemetry::track_http))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(headers::make_span))
}
