//! Explicit registration (OpenID Federation §12.2): `POST
//! /federation/register` with the relying party's Entity Configuration
//! (`application/entity-statement+jwt`, addressed to this provider in
//! `aud`) or a whole trust chain (`application/trust-chain+json`). The
//! chain is resolved or verified, the registration stored (replacing any
//! earlier one of the same relying party) and described in a signed
//! answer that expires with the chain. Errors are the JSON of §8.9.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use trame_core::client::RegistrationKind;
use trame_core::oauth::ErrorCode;
use trame_federation::chain::{self, ChainError, TrustAnchor, TrustChain};
use trame_federation::statement::{ValidationOptions, verify_entity_configuration};

use crate::error::{ApiError, ApiResult, OrApi, Surface};
use crate::extract::ClientIp;
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::federation::fetcher::trust_anchors;
use trame_app::federation::registration::{self, RegistrationError};
use trame_app::federation::statements::{self, media};
use trame_app::federation::{FederationFetcher, FetchFor};
use trame_app::registration::metadata;
use trame_app::throttle;
use trame_app::usage::Counter;

fn refused(code: ErrorCode, description: impl Into<String>) -> ApiError {
    ApiError::oauth(code, description)
}

fn registration_error(e: RegistrationError) -> ApiError {
    match e {
        RegistrationError::Store(source) => ApiError::Store { surface: Surface::Json, source },
        other => {
            tracing::info!(error = %other, "explicit registration refused");
            refused(other.code(), other.to_string())
        }
    }
}

fn chain_error(e: ChainError) -> ApiError {
    registration_error(RegistrationError::Chain(e))
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

pub async fn register(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    state.usage.count(&tenant.tenant.id, Counter::FederationIn);
    let anchors = trust_anchors(&tenant.tenant.federation);
    if anchors.is_empty() {
        return Err(ApiError::oauth(ErrorCode::NotFound, "this entity registers no relying party through a federation"));
    }
    let body = std::str::from_utf8(&body).map_err(|_| ApiError::invalid_request("the body is not text"))?.trim();
    let chain = match media_type(&headers).as_deref() {
        Some(media::ENTITY_STATEMENT) => {
            // Resolving makes outbound fetches: bounded per address.
            if !throttle::allow_federation_resolve(&state, &tenant.tenant.id, ip).await.json_err()? {
                return Err(ApiError::oauth(ErrorCode::RateLimited, "too many requests from this address; try again later"));
            }
            from_configuration(&state, &tenant, &anchors, body).await?
        }
        Some(media::TRUST_CHAIN) => from_chain(&state, &tenant, &anchors, body)?,
        _ => return Err(ApiError::invalid_request(format!("the body must be {} or {}", media::ENTITY_STATEMENT, media::TRUST_CHAIN))),
    };
    let prepared = registration::prepare(&state, &tenant, &chain, RegistrationKind::Explicit).await.map_err(registration_error)?;
    let client = registration::save(&state, &tenant, &prepared).await.map_err(registration_error)?;

    let now = state.now();
    let keys = tenant.federation_keys(&state.store, now).await.map_err(|source| ApiError::Store { surface: Surface::Json, source })?;
    let answer = statements::explicit_registration_response(&tenant.tenant, &keys, &chain, metadata(&client), now).map_err(|e| {
        tracing::error!(error = %e, "explicit registration response not signed");
        ApiError::oauth(ErrorCode::ServerError, "the answer could not be signed")
    })?;
    let mut r = answer.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media::EXPLICIT_REGISTRATION_RESPONSE));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// The Entity Configuration must be addressed to this provider alone, so
/// one posted to another provider cannot be replayed here.
fn check_audience(tenant: &TenantCtx, ec: &str) -> ApiResult<()> {
    let claims = trame_jose::decode(ec).map_err(|e| refused(ErrorCode::InvalidRequest, format!("the Entity Configuration is not a JWS: {e}")))?.claims;
    let ok = match claims.get("aud") {
        Some(Value::String(a)) => a == tenant.tenant.issuer.as_str(),
        Some(Value::Array(l)) => l.len() == 1 && l[0].as_str() == Some(tenant.tenant.issuer.as_str()),
        _ => false,
    };
    if ok { Ok(()) } else { Err(refused(ErrorCode::InvalidRequest, "the Entity Configuration's aud must be this provider")) }
}

/// From a posted Entity Configuration: with its `trust_chain` header as
/// the path (verified in full, the posted statement in first place), or
/// resolved through its `authority_hints`. The metadata always comes from
/// the posted statement.
async fn from_configuration(state: &AppState, tenant: &TenantCtx, anchors: &[TrustAnchor], ec: &str) -> ApiResult<TrustChain> {
    let opts = ValidationOptions { allow_chain_headers: true, ..ValidationOptions::at(state.now()) };
    verify_entity_configuration(ec, None, &opts).map_err(|e| refused(ErrorCode::InvalidRequest, format!("the Entity Configuration is invalid: {e}")))?;
    check_audience(tenant, ec)?;
    let header_chain = trame_jose::decode(ec).ok().and_then(|d| d.header.get("trust_chain").cloned());
    match header_chain {
        Some(v) => {
            let list = registration::supplied_statements(&v)
                .ok_or_else(|| refused(ErrorCode::InvalidTrustChain, "the trust_chain header is not an array of statements"))?;
            let mut refs: Vec<&str> = list.iter().map(String::as_str).collect();
            refs[0] = ec;
            chain::validate_chain(&refs, anchors, &opts).map_err(chain_error)
        }
        None => {
            let resolve = chain::ResolveOptions { validation: opts, ..chain::ResolveOptions::at(state.now()) };
            chain::resolve_with_configuration(&FederationFetcher::new(state, &FetchFor::tenant(state, &tenant.tenant)), ec, anchors, &resolve)
                .await
                .map_err(chain_error)
        }
    }
}

/// From a posted chain, `[EC(RP), SS…, EC(TA)?]`, verified in full.
fn from_chain(state: &AppState, tenant: &TenantCtx, anchors: &[TrustAnchor], body: &str) -> ApiResult<TrustChain> {
    let v: Value = serde_json::from_str(body).map_err(|_| refused(ErrorCode::InvalidRequest, "the body is not a JSON array of statements"))?;
    let list = registration::supplied_statements(&v).ok_or_else(|| refused(ErrorCode::InvalidRequest, "the body is not a JSON array of statements"))?;
    check_audience(tenant, &list[0])?;
    let refs: Vec<&str> = list.iter().map(String::as_str).collect();
    chain::validate_chain(&refs, anchors, &ValidationOptions::at(state.now())).map_err(chain_error)
}
