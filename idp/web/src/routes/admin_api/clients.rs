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
use trame_app::clients::{self, CreateError, SecretChange, UpdateError};
use trame_app::registration::metadata;
use trame_core::client::Client;
use trame_core::ids::ClientId;
use trame_core::registration::ClientRequest;
use utoipa::ToSchema;

use super::caller::Admin;
use super::input::{self, IfMatch};
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

/// A client's entity tag: a digest of what the API shows of it, so any
/// change to its metadata changes the tag.
fn etag(c: &Client) -> String {
    input::digest_etag(view(c).to_string().as_bytes())
}

/// A client's representation with its `ETag`.
fn tagged(status: StatusCode, c: &Client, body: impl Serialize) -> Response {
    let mut r = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(c)) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
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
pub async fn get(State(state): State<AppState>, admin: Admin, Path(client_id): Path<String>) -> ApiResult<Response> {
    let c = state.store.client(&admin.tenant.tenant.id, &client_id).await.problem_err()?.ok_or_else(|| Problem::not_found("client"))?;
    Ok(tagged(StatusCode::OK, &c, view(&c)))
}

/// Replaces a client's registration metadata (RFC 7592 §2.2: the whole
/// set; what is left out goes back to its default; the operator's PKCE,
/// consent and refresh choices stay), under the operator's rules, if the client is still as read (`If-Match` with its `ETag`,
/// required). A client that moves to a secret method gets a secret, shown
/// here once; one registered through its federation trust chain is not
/// changed here.
#[utoipa::path(put, path = "/clients/{client_id}", tag = "clients",
    params(("client_id" = String, Path), ("If-Match" = String, Header, description = "the ETag of the client as read")),
    request_body(content = Object, description = "RFC 7591 client metadata, the whole set"),
    responses((status = 200, body = Registered, headers(("ETag" = String))), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(State(state): State<AppState>, admin: Admin, Path(client_id): Path<String>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    admin.may_write()?;
    let condition = IfMatch::from_headers(&headers)?;
    let mut body: Value = input::body(&headers, &body)?;
    let current = state.store.client(&admin.tenant.tenant.id, &client_id).await.problem_err()?.ok_or_else(|| Problem::not_found("client"))?;
    if !condition.matches(&etag(&current)) {
        return Err(input::stale().into());
    }
    match body.as_object_mut().and_then(|o| o.remove("client_id")) {
        None => {}
        Some(Value::String(id)) if id == client_id => {}
        Some(_) => return Err(Problem::invalid("invalid_value", "client_id", "a client's client_id does not change").into()),
    }
    if body.get("client_secret").is_some() {
        return Err(Problem::invalid("invalid_value", "client_secret", "Trame generates the secret (POST …/secret for a new one)").into());
    }
    let mut req = ClientRequest::from_json(&body).map_err(|e| Problem::invalid("invalid_client_metadata", e.field(), e.to_string()))?;
    // The operator's own choices are no registration metadata: they stay
    // as `trame client add|update` set them.
    req.pkce = Some(current.settings.pkce);
    req.skip_consent = current.settings.skip_consent;
    req.refresh_reuse_grace = Some(current.settings.refresh_reuse_grace);
    match clients::update(state.app(), &admin.tenant, &client_id, req, SecretChange::Follow, Some(&current.settings), admin.by()).await {
        Ok(u) => {
            let mut r = tagged(StatusCode::OK, &u.client, Registered { client: view(&u.client), client_secret: u.generated_secret });
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(r)
        }
        Err(UpdateError::Stale) => Err(input::stale().into()),
        Err(UpdateError::NotFound(_)) => Err(Problem::not_found("client").into()),
        Err(e @ UpdateError::Federation(_)) => Err(Problem::new(StatusCode::CONFLICT, "federation_client", e.to_string()).into()),
        Err(UpdateError::Metadata(e)) => Err(Problem::invalid("invalid_client_metadata", e.field(), e.to_string()).into()),
        Err(UpdateError::Failed(e)) => Err(e).problem_err(),
        Err(e) => Err(Problem::invalid("invalid_value", "token_endpoint_auth_method", e.to_string()).into()),
    }
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
    let mut r = tagged(StatusCode::CREATED, &made.client, Registered { client: view(&made.client), client_secret: made.generated_secret });
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
