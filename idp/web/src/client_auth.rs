//! Client authentication at the token, revocation and introspection
//! endpoints (RFC 6749 §2.3, OIDC Core §9): `client_secret_basic`,
//! `client_secret_post`, `private_key_jwt`, and `none` for public clients.
//! A client must use the one method it registered.

use std::sync::Arc;

use axum::http::{HeaderMap, header};
use serde_json::Value;
use trame_core::client::{AuthMethod, Client};
use trame_core::crypto::{constant_time_eq, secret_digest};
use trame_core::keys;
use trame_core::lifetimes::{CLIENT_ASSERTION_MAX, CLOCK_SKEW};
use trame_core::tenant::Tenant;
use trame_jose::Alg;

use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::single;
use crate::state::AppState;
use trame_app::catalog::TenantEntry;
use trame_app::client_keys::{self, KeyFailure};
use trame_core::form::basic_credentials;

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

enum Presented {
    Basic { id: String, secret: String },
    Post { id: String, secret: String },
    Assertion { assertion: String },
    None { id: String },
}

fn parse_basic(headers: &HeaderMap) -> ApiResult<Option<(String, String)>> {
    let Some(h) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let h = h.to_str().map_err(|_| ApiError::invalid_client("malformed Authorization header", true))?;
    let Some(b64) = h.strip_prefix("Basic ").or_else(|| h.strip_prefix("basic ")) else { return Ok(None) };
    let credentials = basic_credentials(b64).ok_or_else(|| ApiError::invalid_client("malformed Basic credentials", true))?;
    Ok(Some(credentials))
}

fn presented(headers: &HeaderMap, params: &[(String, String)]) -> ApiResult<Presented> {
    let basic = parse_basic(headers)?;
    let body_id = single(params, "client_id")?;
    let body_secret = single(params, "client_secret")?;
    let assertion = single(params, "client_assertion")?;
    let assertion_type = single(params, "client_assertion_type")?;
    let used = [basic.is_some(), body_secret.is_some(), assertion.is_some()].iter().filter(|b| **b).count();
    if used > 1 {
        return Err(ApiError::invalid_request("use exactly one client authentication method"));
    }
    if let Some((id, secret)) = basic {
        if body_id.is_some_and(|b| b != id) {
            return Err(ApiError::invalid_request("client_id in the body differs from the Basic credentials"));
        }
        return Ok(Presented::Basic { id, secret });
    }
    if let Some(secret) = body_secret {
        let id = body_id.ok_or_else(|| ApiError::invalid_client("client_id is missing", false))?;
        return Ok(Presented::Post { id: id.to_owned(), secret: secret.to_owned() });
    }
    if let Some(a) = assertion {
        if assertion_type != Some(JWT_BEARER) {
            return Err(ApiError::invalid_request("client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
        }
        return Ok(Presented::Assertion { assertion: a.to_owned() });
    }
    match body_id {
        Some(id) => Ok(Presented::None { id: id.to_owned() }),
        None => Err(ApiError::invalid_client("client authentication is missing", true)),
    }
}

/// Who the caller says it is, and how it means to prove it.
fn identify(p: &Presented) -> ApiResult<(String, AuthMethod)> {
    Ok(match p {
        Presented::Basic { id, .. } => (id.clone(), AuthMethod::ClientSecretBasic),
        Presented::Post { id, .. } => (id.clone(), AuthMethod::ClientSecretPost),
        Presented::None { id } => (id.clone(), AuthMethod::None),
        Presented::Assertion { assertion } => {
            let claims = trame_jose::peek_claims(assertion).ok_or_else(|| ApiError::invalid_client("client_assertion is not a JWT", false))?;
            let iss = claims.get("iss").and_then(Value::as_str).ok_or_else(|| ApiError::invalid_client("client_assertion has no iss", false))?;
            (iss.to_owned(), AuthMethod::PrivateKeyJwt)
        }
    })
}

/// Authenticates the calling client; `endpoint` is this endpoint's URL, an
/// acceptable audience for client assertions.
pub async fn authenticate(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, params: &[(String, String)], endpoint: &str) -> ApiResult<Arc<Client>> {
    let p = presented(headers, params)?;
    let (id, method) = identify(&p)?;
    let basic = method == AuthMethod::ClientSecretBasic;
    let client = match tenant.client(&state.store, &id, state.now()).await.json_err()? {
        Some(c) => c,
        None => {
            // Spend the same comparison as for a known client.
            let _ = constant_time_eq(secret_digest("").as_bytes(), secret_digest("x").as_bytes());
            return Err(ApiError::invalid_client("client authentication failed", basic));
        }
    };
    prove(state, tenant, p, method, &client, endpoint).await?;
    Ok(client)
}

/// The client id the caller claims, before any check: the pushed
/// authorization request endpoint needs it to register a federation
/// relying party before authenticating it.
pub fn claimed_client_id(headers: &HeaderMap, params: &[(String, String)]) -> ApiResult<String> {
    Ok(identify(&presented(headers, params)?)?.0)
}

/// Authenticates the caller as `client`, a client not stored yet (a
/// federation relying party registering with its keys).
pub async fn authenticate_as(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    params: &[(String, String)],
    endpoint: &str,
    client: &Client,
) -> ApiResult<()> {
    let p = presented(headers, params)?;
    let (id, method) = identify(&p)?;
    if id != client.id.as_str() {
        return Err(ApiError::invalid_client("client authentication failed", false));
    }
    prove(state, tenant, p, method, client, endpoint).await
}

async fn prove(state: &AppState, tenant: &TenantEntry, p: Presented, method: AuthMethod, client: &Client, endpoint: &str) -> ApiResult<()> {
    let failed = || ApiError::invalid_client("client authentication failed", method == AuthMethod::ClientSecretBasic);
    if client.auth_method != method {
        return Err(failed());
    }
    match p {
        Presented::Basic { secret, .. } | Presented::Post { secret, .. } => {
            let stored = client.secret_digest.as_deref().unwrap_or("");
            if stored.is_empty() || !constant_time_eq(secret_digest(&secret).as_bytes(), stored.as_bytes()) {
                return Err(failed());
            }
        }
        Presented::None { .. } => {}
        Presented::Assertion { assertion } => verify_assertion(state, &tenant.tenant, client, &assertion, endpoint).await?,
    }
    Ok(())
}

async fn verify_assertion(state: &AppState, tenant: &Tenant, client: &Client, assertion: &str, endpoint: &str) -> ApiResult<()> {
    let failed = || ApiError::invalid_client("client assertion is invalid", false);
    // A registered `token_endpoint_auth_signing_alg` is the only one accepted.
    let algs: Vec<Alg> = match &client.token_auth_alg {
        Some(a) => Alg::parse(a).into_iter().collect(),
        None => keys::ACCEPTED_INBOUND.to_vec(),
    };
    let v = client_keys::verify(state, state.reach(tenant), client, assertion, &algs).await.map_err(|e| match e {
        // One text whatever went wrong with the fetch (logged there).
        KeyFailure::Unavailable => ApiError::invalid_client("the client's keys cannot be fetched", false),
        KeyFailure::Invalid => failed(),
    })?;
    let c = &v.claims;
    let s = |n: &str| c.get(n).and_then(Value::as_str);
    let id = client.id.as_str();
    if s("iss") != Some(id) || s("sub") != Some(id) {
        return Err(failed());
    }
    let aud_ok = |a: &str| a == endpoint || a == tenant.issuer.as_str();
    let aud_ok = match c.get("aud") {
        Some(Value::String(a)) => aud_ok(a),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).any(aud_ok),
        _ => false,
    };
    let now = state.now();
    let exp = c.get("exp").and_then(Value::as_i64).ok_or_else(failed)?;
    if !aud_ok || exp + CLOCK_SKEW < now || exp > now + CLIENT_ASSERTION_MAX {
        return Err(failed());
    }
    if c.get("nbf").and_then(Value::as_i64).is_some_and(|nbf| nbf > now + CLOCK_SKEW) {
        return Err(failed());
    }
    let jti = s("jti").ok_or_else(failed)?;
    if jti.len() > 256 {
        return Err(failed());
    }
    let fresh = state
        .ephemeral
        .put_if_absent(&trame_store::ephemeral_keys::client_assertion_jti(&tenant.id, id, jti), "1", (exp - now + CLOCK_SKEW).max(1))
        .await
        .json_err()?;
    if !fresh {
        return Err(ApiError::invalid_client("client assertion was already used", false));
    }
    Ok(())
}
