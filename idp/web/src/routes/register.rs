//! Dynamic client registration: `POST /register` (RFC 7591, OpenID Connect
//! Dynamic Client Registration 1.0) and the client's own management of its
//! registration at `/register/<client_id>` (RFC 7592: read, update,
//! delete), authorized by the registration access token it received.
//!
//! A tenant opts in (`trame tenant set --dynamic-registration open|token`);
//! closed, the endpoint does not exist. Registrations go through the same
//! rules as `trame client add` (`trame_core::registration`). Registered
//! clients never skip consent.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use trame_app::clients;
use trame_core::client::Client;
use trame_core::crypto::{constant_time_eq, random_token, secret_digest};
use trame_core::ids::ClientId;
use trame_core::oauth::ErrorCode;
use trame_core::registration::{ClientRequest, MetadataError};
use trame_core::tenant::DynamicRegistration;
use trame_store::{NewClient, StoreError};

use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{ClientIp, bearer_token};
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::registration::{client_uri, metadata};
use trame_app::throttle;

fn metadata_error(e: MetadataError) -> ApiError {
    ApiError::oauth(e.code(), e.to_string())
}

fn no_store(status: StatusCode, body: Value) -> Response {
    let mut r = (status, Json(body)).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

/// The JSON body of a registration request (RFC 7591 §3.1: `application/json`).
fn json_body(headers: &HeaderMap, body: &Bytes) -> ApiResult<Value> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::invalid_request("the registration request must be application/json"));
    }
    serde_json::from_slice(body).map_err(|_| ApiError::oauth(ErrorCode::InvalidClientMetadata, "body: not valid JSON"))
}

/// Applies the registration rules, fetching the sector identifier document
/// when there is one.
async fn settle(state: &AppState, tenant: &TenantCtx, body: &Value) -> ApiResult<trame_core::client::ClientSettings> {
    let req = ClientRequest::from_json(body).map_err(metadata_error)?;
    let rules = clients::self_registration_rules(tenant.tenant.settings.dynamic_client_pkce);
    clients::settle(state.outbound_for(&tenant.tenant), req, rules).await.map_err(metadata_error)
}

/// A refused initial access token: RFC 7591 §3 leaves the error to RFC 6750.
fn bad_initial_token() -> ApiError {
    ApiError::invalid_token("the initial access token is invalid, expired or used up")
}

pub async fn register(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let initial_token = match t.settings.dynamic_registration {
        DynamicRegistration::Closed => return Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found")),
        DynamicRegistration::Token => {
            let Some(token) = bearer_token(&headers)? else {
                return Err(ApiError::Bearer { status: StatusCode::UNAUTHORIZED, error: None, description: "an initial access token is required".into() });
            };
            Some(token)
        }
        DynamicRegistration::Open => {
            if !throttle::allow_registration(&state, &t.id, ip).await.json_err()? {
                return Err(ApiError::oauth(ErrorCode::RateLimited, "too many registrations from this address; try again later"));
            }
            None
        }
    };
    let body = json_body(&headers, &body)?;
    let settings = settle(&state, &tenant, &body).await?;
    // Spent only by a registration that is going to succeed.
    if let Some(token) = initial_token
        && !state.store.use_initial_access_token(&t.id, &secret_digest(&token), state.now()).await.json_err()?
    {
        return Err(bad_initial_token());
    }

    let client_id = ClientId::parse(&random_token(state.rng.as_ref())).expect("a random token is a valid client id");
    let secret = settings.auth_method.uses_secret().then(|| random_token(state.rng.as_ref()));
    let access_token = random_token(state.rng.as_ref());
    let now = state.now();
    let new =
        NewClient { client_id, secret_digest: secret.as_deref().map(secret_digest), registration_token_digest: Some(secret_digest(&access_token)), settings };
    let client = state.store.create_client(&t.id, new, now).await.json_err()?;
    tracing::info!(tenant = %t.slug, client_id = %client.id, "client registered");

    let mut body = metadata(&client);
    body.insert("client_id_issued_at".into(), json!(now));
    if let Some(s) = secret {
        body.insert("client_secret".into(), json!(s));
        body.insert("client_secret_expires_at".into(), json!(0));
    }
    body.insert("registration_access_token".into(), json!(access_token));
    body.insert("registration_client_uri".into(), json!(client_uri(&t.issuer, client.id.as_str())));
    Ok(no_store(StatusCode::CREATED, Value::Object(body)))
}

/// The client a registration access token manages. Every failure is the
/// same `invalid_token`: whether a client id exists is not revealed.
async fn managed_client(state: &AppState, tenant: &TenantCtx, client_id: &str, headers: &HeaderMap) -> ApiResult<Client> {
    let Some(token) = bearer_token(headers)? else {
        return Err(ApiError::Bearer { status: StatusCode::UNAUTHORIZED, error: None, description: "a registration access token is required".into() });
    };
    // From the store, not the catalog's cache: registration management is
    // rare, and must see an update made a moment ago on another node.
    let client = state.store.client(&tenant.tenant.id, client_id).await.json_err()?;
    let presented = secret_digest(&token);
    match client {
        Some(c) if c.registration_token_digest.as_deref().is_some_and(|d| constant_time_eq(d.as_bytes(), presented.as_bytes())) => Ok(c),
        _ => Err(ApiError::invalid_token("the registration access token is invalid")),
    }
}

fn read_response(tenant: &TenantCtx, client: &Client) -> Map<String, Value> {
    let mut body = metadata(client);
    body.insert("registration_client_uri".into(), json!(client_uri(&tenant.tenant.issuer, client.id.as_str())));
    if client.auth_method.uses_secret() {
        body.insert("client_secret_expires_at".into(), json!(0));
    }
    body
}

pub async fn read(State(state): State<AppState>, tenant: TenantCtx, Path(client_id): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let client = managed_client(&state, &tenant, &client_id, &headers).await?;
    Ok(no_store(StatusCode::OK, Value::Object(read_response(&tenant, &client))))
}

/// Fields a client must not send in an update (RFC 7592 §2.2): they are
/// the server's to issue.
const SERVER_ISSUED: [&str; 4] = ["registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at"];

pub async fn update(State(state): State<AppState>, tenant: TenantCtx, Path(client_id): Path<String>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let client = managed_client(&state, &tenant, &client_id, &headers).await?;
    let body = json_body(&headers, &body)?;
    if body.get("client_id").and_then(Value::as_str) != Some(client.id.as_str()) {
        return Err(ApiError::invalid_request("client_id must be present and match the registration"));
    }
    if let Some(f) = SERVER_ISSUED.iter().find(|f| body.get(**f).is_some()) {
        return Err(ApiError::invalid_request(format!("{f} is issued by the server and must not be sent")));
    }
    // RFC 7592 §2.2: a client_secret sent must be the current one.
    if let Some(sent) = body.get("client_secret") {
        let matches = sent.as_str().zip(client.secret_digest.as_deref()).is_some_and(|(s, d)| constant_time_eq(secret_digest(s).as_bytes(), d.as_bytes()));
        if !matches {
            return Err(ApiError::invalid_request("client_secret does not match"));
        }
    }
    let mut settings = settle(&state, &tenant, &body).await?;
    // The operator's choice, which a registration request cannot make, is
    // kept while it still applies.
    if settings.grant_types.contains(&trame_core::client::GrantType::RefreshToken) {
        settings.refresh_reuse_grace = client.refresh_reuse_grace;
    }
    // The secret follows the authentication method: kept while it uses one,
    // issued when it starts to, removed when it stops.
    let (new_secret, digest_change) = match (client.auth_method.uses_secret(), settings.auth_method.uses_secret()) {
        (true, true) => (None, None),
        (false, true) => {
            let s = random_token(state.rng.as_ref());
            let d = secret_digest(&s);
            (Some(s), Some(Some(d)))
        }
        (_, false) => (None, Some(None)),
    };
    let updated = state.store.update_client(&tenant.tenant.id, client.id.as_str(), &settings, digest_change, state.now()).await.json_err()?;
    tenant.forget_client(client.id.as_str());
    tracing::info!(tenant = %tenant.tenant.slug, client_id = %updated.id, "client registration updated");
    let mut body = read_response(&tenant, &updated);
    if let Some(s) = new_secret {
        body.insert("client_secret".into(), json!(s));
    }
    Ok(no_store(StatusCode::OK, Value::Object(body)))
}

pub async fn delete(State(state): State<AppState>, tenant: TenantCtx, Path(client_id): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let client = managed_client(&state, &tenant, &client_id, &headers).await?;
    match state.store.remove_client(&tenant.tenant.id, client.id.as_str()).await {
        // Deleted concurrently: the outcome the client asked for.
        Ok(()) | Err(StoreError::NotFound(_)) => {}
        Err(e) => return Err(e).json_err(),
    }
    tenant.forget_client(client.id.as_str());
    tracing::info!(tenant = %tenant.tenant.slug, client_id = %client.id, "client registration deleted");
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}
