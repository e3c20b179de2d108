//! The pushed authorization request endpoint (RFC 9126): an authenticated
//! client posts its authorization request (plain parameters or a Request
//! Object) and gets a short-lived, single-use `request_uri` to send the
//! browser with. The request is validated here as the authorization
//! endpoint would, so errors come back to the client as JSON instead of to
//! the browser.
//!
//! A relying party of the tenant's federation that is not registered yet
//! registers here (OpenID Federation §12.1.1.2): its trust chain gives its
//! keys, it authenticates with `private_key_jwt` against them, and only then
//! is the registration stored.

use std::sync::Arc;
use trame_core::oauth::ErrorCode;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use trame_core::authorize::{self as rules, AuthorizeError, RawParams};
use trame_core::client::{Client, RegistrationKind};
use trame_core::crypto::random_token;
use trame_core::lifetimes::PUSHED_REQUEST;

use crate::client_auth;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams, single};
use crate::request_object::{self, PUSHED_URN, PushedRequest};
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::catalog::TenantEntry;
use trame_app::federation::FetchFor;
use trame_app::federation::registration::{self, RegistrationError};
use trame_app::throttle;

/// Client authentication parameters: they authenticate the push and are
/// not part of the authorization request.
const AUTHENTICATION: [&str; 3] = ["client_secret", "client_assertion", "client_assertion_type"];

pub async fn par(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(p): FormParams,
) -> ApiResult<Response> {
    let endpoint = tenant.tenant.issuer.endpoint("/par");
    if single(&p, "request_uri")?.is_some() {
        return Err(ApiError::invalid_request("request_uri cannot be pushed"));
    }
    let client = authenticated(&state, &tenant, ip, &headers, &p, &endpoint).await?;
    if single(&p, "client_id")?.is_some_and(|id| id != client.id.as_str()) {
        return Err(ApiError::invalid_request("client_id differs from the authenticated client"));
    }
    let mut params: Vec<(String, String)> = p.iter().filter(|(k, _)| !AUTHENTICATION.contains(&k.as_str())).cloned().collect();
    if !params.iter().any(|(k, _)| k == "client_id") {
        params.push(("client_id".into(), client.id.as_str().to_owned()));
    }
    if let Some(jwt) = single(&p, "request")? {
        let raw = RawParams::new(&params);
        params = request_object::from_object(&state, &tenant, ip, &raw, &params, client.id.as_str(), jwt, true).await?.params;
    }
    match rules::validate(&RawParams::new(&params), &client) {
        Ok(_) => {}
        Err(AuthorizeError::Page(e)) => return Err(ApiError::invalid_request(e.to_string())),
        Err(AuthorizeError::Redirect(_, e)) => return Err(ApiError::oauth(e.code, e.description)),
    }

    let uri = format!("{PUSHED_URN}{}", random_token(state.rng.as_ref()));
    let pushed =
        PushedRequest { tenant_id: tenant.tenant.id.clone(), client_id: client.id.as_str().to_owned(), params, expires_at: state.now() + PUSHED_REQUEST };
    let json = serde_json::to_string(&pushed).expect("a pushed request serializes");
    state.ephemeral.put(&request_object::pushed_key(&uri), &json, PUSHED_REQUEST).await.json_err()?;
    let mut r = (StatusCode::CREATED, Json(json!({ "request_uri": uri, "expires_in": PUSHED_REQUEST }))).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// The calling client, authenticated; a federation relying party unknown
/// so far is registered once it has proven it holds the keys its chain
/// names.
async fn authenticated(
    state: &AppState,
    tenant: &TenantEntry,
    ip: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    p: &[(String, String)],
    endpoint: &str,
) -> ApiResult<Arc<Client>> {
    let claimed = client_auth::claimed_client_id(headers, p)?;
    let anchors = match tenant.client(&state.store, &claimed, state.now()).await.json_err()? {
        Some(_) => None,
        None => registration::anchors_for(tenant, &claimed),
    };
    let Some(anchors) = anchors else {
        return client_auth::authenticate(state, tenant, headers, p, endpoint).await;
    };
    // The Request Object's `trust_chain` header, when there is one, is the
    // path to verify; without it the chain is resolved, which fetches
    // statements from other servers (bounded per address).
    let header_chain = single(p, "request")?.and_then(|jwt| trame_jose::decode(jwt).ok()).and_then(|d| d.header.get("trust_chain").cloned());
    let supplied = match header_chain {
        Some(v) => Some(
            registration::supplied_statements(&v)
                .ok_or_else(|| ApiError::oauth(ErrorCode::InvalidTrustChain, "the trust_chain header is not an array of statements"))?,
        ),
        None => None,
    };
    if supplied.is_none() && !throttle::allow_federation_resolve(state, &tenant.tenant.id, ip).await.json_err()? {
        return Err(ApiError::oauth(ErrorCode::RateLimited, "too many registration attempts from this address; try again later"));
    }
    let refused = |e: RegistrationError| match e {
        RegistrationError::Store(source) => ApiError::Store { surface: crate::error::Surface::Json, source },
        other => {
            tracing::info!(client_id = %claimed, error = %other, "automatic registration refused");
            ApiError::oauth(other.code(), other.to_string())
        }
    };
    let chain =
        registration::relying_party_chain(state, &FetchFor::tenant(state, &tenant.tenant), &claimed, &anchors, supplied.as_deref()).await.map_err(refused)?;
    let prepared = registration::prepare(state, tenant, &chain, RegistrationKind::Automatic).await.map_err(refused)?;
    client_auth::authenticate_as(state, tenant, headers, p, endpoint, &prepared.client).await?;
    registration::save(state, tenant, &prepared).await.map_err(refused)
}
