//! The admin REST API of a tenant, at `<issuer>/admin/api/v1`: accounts,
//! their sessions, consents and data, and the audit trail. Machines call
//! it with an access token from the tenant's own token endpoint (the
//! `client_credentials` grant with the `trame:admin` or `trame:admin:read`
//! scope); the rules of who may do what are `trame_app::admin`'s, the work
//! is `trame_app`'s (the same functions the CLI calls); this layer only
//! speaks HTTP: JSON in, JSON out, RFC 9457 problems, `ETag`/`If-Match`.
//!
//! The OpenAPI 3.1 document at `…/openapi.json` is generated from these
//! handlers and types (utoipa), so it cannot drift from them.

mod audit_log;
mod branding;
mod caller;
mod clients;
mod input;
mod keys;
mod tenants;
mod users;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::{Value, json};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::Problem;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// Where the API sits under a tenant's issuer.
pub const BASE: &str = "/admin/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trame admin API",
        version = "1",
        description = "Administration of one Trame tenant: accounts, their sessions, consents and personal data, clients, signing keys, and the audit trail. \
Authenticate with an access token from the tenant's token endpoint (grant client_credentials, scope trame:admin, or trame:admin:read for reading only). \
Errors are RFC 9457 problem details; updates need the ETag of the version they change (If-Match).",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2")
    ),
    security(("oauth2" = ["trame:admin"])),
    tags(
        (name = "users", description = "Accounts of the tenant"),
        (name = "clients", description = "Relying parties of the tenant"),
        (name = "keys", description = "Token-signing keys of the tenant"),
        (name = "branding", description = "The tenant's logo, colour and footer mentions"),
        (name = "audit", description = "The audit trail")
    )
)]
struct ApiDoc;

/// The API's routes and its OpenAPI document (without a tenant's
/// addresses).
fn parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::get, users::update, users::remove))
        .routes(routes!(users::disable))
        .routes(routes!(users::enable))
        .routes(routes!(users::sessions, users::end_sessions))
        .routes(routes!(users::reset_credentials))
        .routes(routes!(users::export))
        .routes(routes!(users::consents))
        .routes(routes!(users::withdraw_consent))
        .routes(routes!(clients::list, clients::create))
        .routes(routes!(clients::get, clients::update, clients::remove))
        .routes(routes!(clients::rotate_secret))
        .routes(routes!(keys::list))
        .routes(routes!(keys::rotate))
        .routes(routes!(audit_log::list))
        .routes(routes!(branding::get, branding::update))
        .routes(routes!(branding::put_logo, branding::remove_logo))
        .split_for_parts()
}

/// The API's routes, with its OpenAPI document served at `/openapi.json`.
pub fn router() -> Router<AppState> {
    let (router, api) = parts();
    let doc = Arc::new(serde_json::to_value(&api).expect("the OpenAPI document serializes"));
    router.route("/openapi.json", get(openapi)).layer(Extension(doc)).fallback(not_found).method_not_allowed_fallback(method_not_allowed)
}

/// Where the operator's API sits.
pub const OPERATOR_BASE: &str = "/_trame/admin/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trame operator API",
        version = "1",
        description = "The installation's tenants: listed, created, changed, removed. Authenticate with an access token of the default tenant (client_credentials) from a client the operator made operator (trame admin grant --client <id> --role operator) with the trame:admin scope (trame:admin:read to read only). \
Errors are RFC 9457 problem details; updates need the ETag of the settings they change (If-Match).",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2")
    ),
    security(("oauth2" = ["trame:admin"])),
    tags((name = "tenants", description = "The installation's tenants"))
)]
struct OperatorDoc;

/// The operator's routes, for the default tenant's tokens, with their
/// document at `/openapi.json`.
pub fn operator_router(state: AppState) -> Router {
    let (router, api) = OpenApiRouter::with_openapi(OperatorDoc::openapi())
        .routes(routes!(tenants::list, tenants::create))
        .routes(routes!(tenants::get, tenants::update, tenants::remove))
        .split_for_parts();
    let doc = Arc::new(serde_json::to_value(&api).expect("the OpenAPI document serializes"));
    router
        .route("/openapi.json", get(operator_openapi))
        .layer(Extension(doc))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), default_tenant))
        .with_state(state)
}

/// The operator's API is the default tenant's: its tokens, its audit
/// trail.
async fn default_tenant(State(state): State<AppState>, mut req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    match state.catalog.by_slug(trame_core::tenant::DEFAULT_SLUG) {
        Some(entry) => {
            req.extensions_mut().insert(TenantCtx(entry));
            next.run(req).await
        }
        None => Problem::not_found("default tenant").into_response(),
    }
}

async fn operator_openapi(tenant: TenantCtx, Extension(doc): Extension<Arc<Value>>) -> Response {
    let mut doc = for_tenant((*doc).clone(), tenant.tenant.issuer.as_str(), "Operator");
    // The token endpoint is the default tenant's; the server is the
    // installation's own path.
    doc["servers"] = json!([{ "url": format!("{}{OPERATOR_BASE}", tenant.tenant.issuer.origin()), "description": "Operator" }]);
    let mut r = Json(doc).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// The OpenAPI document of the admin API of the tenant at `issuer` (what
/// `trame admin openapi` prints for validators and code generators).
pub fn document(issuer: &str, name: &str) -> Value {
    let doc = serde_json::to_value(parts().1).expect("the OpenAPI document serializes");
    for_tenant(doc, issuer, name)
}

/// The document, with this tenant's API address and token endpoint filled
/// in: a client needs nothing else to find its way.
fn for_tenant(mut doc: Value, issuer: &str, name: &str) -> Value {
    let issuer = issuer.trim_end_matches('/');
    doc["servers"] = json!([{ "url": format!("{issuer}{BASE}"), "description": name }]);
    doc["components"]["securitySchemes"] = json!({
        "oauth2": {
            "type": "oauth2",
            "description": "A client of this tenant with the client_credentials grant and an administration scope, given by the operator (trame client add --grant-type client_credentials --scope trame:admin).",
            "flows": { "clientCredentials": {
                "tokenUrl": format!("{issuer}/token"),
                "scopes": {
                    "trame:admin": "Read and change the tenant's accounts (tenant-admin rights)",
                    "trame:admin:read": "Read only (auditor rights)"
                }
            } }
        }
    });
    doc
}

async fn openapi(State(_): State<AppState>, tenant: TenantCtx, Extension(doc): Extension<Arc<Value>>) -> Response {
    let doc = for_tenant((*doc).clone(), tenant.tenant.issuer.as_str(), &tenant.tenant.display_name);
    let mut r = Json(doc).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

async fn not_found() -> Problem {
    Problem::not_found("resource in the admin API")
}

async fn method_not_allowed() -> Problem {
    Problem::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this resource does not take this method")
}
