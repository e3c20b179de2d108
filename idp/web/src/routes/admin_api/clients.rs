//! `/clients`: the tenant's relying parties, shown and registered with the
//! registration metadata names (RFC 7591, OpenID Connect Dynamic Client
//! Registration) and the operator's rules (`trame client add`'s).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value, json};
use trame_app::clients::{self, CreateError};
use trame_app::registration::metadata;
use trame_core::client::Client;
use trame_core::ids::ClientId;
use trame_core::registration::ClientRequest;
use utoipa::ToSchema;

use super::caller::Admin;
use super::input;
use crate::error::{ApiResult, OrApi};
use crate::problem::Problem;
use crate::state::AppState;

/// A client: `client_id` and its registration metadata (RFC 7591 names).
fn view(c: &Client) -> Value {
    let mut m = Map::new();
    m.insert("client_id".into(), json!(c.id.as_str()));
    m.extend(metadata(c));
    if let Some(f) = &c.federation {
        m.insert("federation".into(), json!({ "kind": f.kind.as_str(), "trust_anchor": f.trust_anchor, "expires_at": f.expires_at }));
    }
    Value::Object(m)
}

/// Lists the tenant's clients.
#[utoipa::path(get, path = "/clients", tag = "clients",
    responses((status = 200, description = "Each client's `client_id` and registration metadata (RFC 7591 names)", body = Vec<Object>), (status = 401, body = Problem)))]
pub async fn list(State(state): State<AppState>, admin: Admin) -> ApiResult<Json<Vec<Value>>> {
    let all = state.store.list_clients(&admin.tenant.tenant.id).await.problem_err()?;
    Ok(Json(all.iter().map(view).collect()))
}

/// Reads a client.
#[utoipa::path(get, path = "/clients/{client_id}", tag = "clients", params(("client_id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, admin: Admin, Path(client_id): Path<String>) -> ApiResult<Json<Value>> {
    let c = state.store.client(&admin.tenant.tenant.id, &client_id).await.problem_err()?.ok_or_else(|| Problem::not_found("client"))?;
    Ok(Json(view(&c)))
}

/// A client made: its secret, when it has one, is shown here only.
#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    /// The client's `client_id` and registration metadata.
    #[schema(value_type = Object)]
    pub client: Value,
    /// Shown once; Trame keeps only a digest.
    pub client_secret: Option<String>,
}

/// Registers a client. The body is a registration request (RFC 7591
/// metadata: `redirect_uris`, `grant_types`, `scope`,
/// `token_endpoint_auth_method`, …) with the `client_id` to give it; the
/// defaults are `trame client add`'s (ES256 ID tokens, public subjects,
/// PKCE required). The administration scopes may be given to a
/// `client_credentials` client.
#[utoipa::path(post, path = "/clients", tag = "clients", request_body(content = Object, description = "`client_id` and RFC 7591 client metadata"),
    responses((status = 201, body = Registered, headers(("Location" = String))), (status = 400, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(state): State<AppState>, admin: Admin, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    admin.may_write()?;
    let mut body: Value = input::body(&headers, &body)?;
    let id = match body.as_object_mut().and_then(|o| o.remove("client_id")) {
        Some(Value::String(id)) => id,
        _ => return Err(Problem::invalid("invalid_value", "client_id", "client_id is required: a string").into()),
    };
    let client_id = ClientId::parse(&id).map_err(|e| Problem::invalid("invalid_value", "client_id", e.to_string()))?;
    if body.get("client_secret").is_some() {
        return Err(Problem::invalid("invalid_value", "client_secret", "Trame generates the secret").into());
    }
    let req = ClientRequest::from_json(&body).map_err(|e| Problem::invalid("invalid_client_metadata", e.field(), e.to_string()))?;
    let t = &admin.tenant.tenant;
    let made = match clients::create(state.app(), t, client_id, req, None, admin.by()).await {
        Ok(m) => m,
        Err(CreateError::Metadata(e)) => return Err(Problem::invalid("invalid_client_metadata", e.field(), e.to_string()).into()),
        Err(e @ CreateError::Taken(_)) => return Err(Problem::new(StatusCode::CONFLICT, "client_id_taken", e.to_string()).at("client_id").into()),
        Err(CreateError::Failed(e)) => return Err(e).problem_err(),
        Err(e) => return Err(Problem::invalid("invalid_value", "client_secret", e.to_string()).into()),
    };
    let location = format!("{}{}/clients/{}", t.issuer.as_str().trim_end_matches('/'), super::BASE, made.client.id.as_str());
    let mut r = (StatusCode::CREATED, Json(Registered { client: view(&made.client), client_secret: made.generated_secret })).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// Removes a client: its tokens stop working.
#[utoipa::path(delete, path = "/clients/{client_id}", tag = "clients", params(("client_id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn remove(State(state): State<AppState>, admin: Admin, Path(client_id): Path<String>) -> ApiResult<StatusCode> {
    admin.may_write()?;
    if clients::remove(state.app(), &admin.tenant, &client_id, admin.by()).await.problem_err()? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found("client").into())
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewSecret {
    /// Shown once; the previous secret stops working now.
    pub client_secret: String,
}

/// Replaces a client's secret with a new one, shown once.
#[utoipa::path(post, path = "/clients/{client_id}/secret", tag = "clients", params(("client_id" = String, Path)),
    responses((status = 200, body = NewSecret), (status = 404, body = Problem)))]
pub async fn rotate_secret(State(state): State<AppState>, admin: Admin, Path(client_id): Path<String>) -> ApiResult<Response> {
    admin.may_write()?;
    let secret = clients::rotate_secret(state.app(), &admin.tenant, &client_id, admin.by()).await.problem_err()?;
    let secret = secret.ok_or_else(|| Problem::not_found("client with a secret"))?;
    let mut r = Json(NewSecret { client_secret: secret }).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}
