//! The federation endpoints of a tenant (OpenID Federation 1.0 §8, §9):
//! its Entity Configuration, and as an authority the fetch and list
//! endpoints; resolve, Trust Mark, Trust Mark status and list, historical
//! keys. Errors are the JSON of §8.9 (`error`, `error_description`).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use trame_core::oauth::ErrorCode;
use trame_federation::chain::ChainError;
use trame_federation::trust_mark::{TRUST_MARK_TYP, TrustMark};
use trame_jose::Alg;

use crate::error::{ApiError, ApiResult, OrApi, Surface};
use crate::extract::{ClientIp, FormParams, Params, single};
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::federation::FetchFor;
use trame_app::federation::fetcher::trust_anchors;
use trame_app::federation::local::{self, LocalError};
use trame_app::federation::statements::{self, MarkStatus, SignError, media};
use trame_app::usage::Counter;

fn not_found(description: impl Into<String>) -> ApiError {
    ApiError::oauth(ErrorCode::NotFound, description)
}

fn sign_error(e: SignError) -> ApiError {
    tracing::error!(error = %e, "federation statement not signed");
    ApiError::oauth(ErrorCode::ServerError, "the statement could not be signed")
}

fn local_error(e: LocalError) -> ApiError {
    match e {
        LocalError::NotFound => not_found("no such subordinate"),
        LocalError::Store(source) => ApiError::Store { surface: Surface::Json, source },
        LocalError::Sign(e) => sign_error(e),
    }
}

/// A signed answer with its media type; statements may be cached by
/// anyone for a while (they carry their own expiry), answers about a
/// particular request may not.
fn jwt(media_type: &'static str, body: String, cacheable: bool) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    let cache = if cacheable { "public, max-age=300" } else { "no-store" };
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    r
}

fn json_list(items: Vec<String>) -> Response {
    let mut r = Json(items).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    r
}

/// Refuses parameters an endpoint does not know: §8 asks for
/// `unsupported_parameter` rather than silently ignoring a filter.
fn only_known(params: &[(String, String)], known: &[&str]) -> ApiResult<()> {
    match params.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        Some((k, _)) => Err(ApiError::oauth(ErrorCode::UnsupportedParameter, format!("the parameter {k} is not supported here"))),
        None => Ok(()),
    }
}

fn all<'a>(params: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    params.iter().filter(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.as_str()).collect()
}

fn boolean(params: &[(String, String)], name: &str) -> ApiResult<Option<bool>> {
    match single(params, name)? {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(ApiError::invalid_request(format!("{name} must be true or false"))),
    }
}

/// `GET /.well-known/openid-federation` (§9).
pub async fn entity_configuration(State(state): State<AppState>, tenant: TenantCtx) -> ApiResult<Response> {
    // An Entity Identifier is an https URL (§1.2): a plain-http issuer
    // (development) is no federation entity. Said plainly, not logged: any
    // scanner asks for this path.
    if !tenant.tenant.issuer.is_https() {
        return Err(not_found("this issuer is not served over https, so it is not an OpenID Federation entity"));
    }
    state.usage.count(&tenant.tenant.id, Counter::FederationIn);
    let ec = local::entity_configuration(&state, &tenant).await.map_err(local_error)?;
    Ok(jwt(media::ENTITY_STATEMENT, ec, true))
}

fn authority(tenant: &TenantCtx) -> ApiResult<()> {
    if tenant.tenant.federation.authority { Ok(()) } else { Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found")) }
}

/// `GET /federation/fetch?sub=` (§8.1).
pub async fn fetch(State(state): State<AppState>, tenant: TenantCtx, Params(params): Params) -> ApiResult<Response> {
    state.usage.count(&tenant.tenant.id, Counter::FederationIn);
    authority(&tenant)?;
    only_known(&params, &["sub"])?;
    let sub = single(&params, "sub")?.ok_or_else(|| ApiError::invalid_request("sub is required"))?;
    if sub == tenant.tenant.issuer.as_str() {
        return Err(ApiError::invalid_request("sub is this entity itself: its Entity Configuration is at /.well-known/openid-federation"));
    }
    let st = local::subordinate_statement(&state, &tenant, sub).await.map_err(local_error)?;
    Ok(jwt(media::ENTITY_STATEMENT, st, true))
}

/// `GET /federation/list` (§8.2), with the `entity_type` and `intermediate`
/// filters, and `trust_marked` / `trust_mark_type` answered from the Trust
/// Marks this tenant issued itself.
pub async fn list(State(state): State<AppState>, tenant: TenantCtx, Params(params): Params) -> ApiResult<Response> {
    state.usage.count(&tenant.tenant.id, Counter::FederationIn);
    authority(&tenant)?;
    only_known(&params, &["entity_type", "intermediate", "trust_marked", "trust_mark_type"])?;
    let types = all(&params, "entity_type");
    let intermediate = boolean(&params, "intermediate")?;
    let trust_marked = boolean(&params, "trust_marked")?;
    let mark_type = single(&params, "trust_mark_type")?;
    let now = state.now();
    let marked: Option<Vec<String>> = if trust_marked == Some(true) || mark_type.is_some() {
        let marks = state.store.issued_trust_marks(&tenant.tenant.id, mark_type, None).await.json_err()?;
        Some(marks.into_iter().filter(|m| m.is_active(now)).map(|m| m.subject).collect())
    } else {
        None
    };
    let subs = state.store.list_subordinates(&tenant.tenant.id).await.json_err()?;
    let ids = subs
        .into_iter()
        .filter(|s| types.is_empty() || types.iter().any(|t| s.entity_types.iter().any(|e| e == t)))
        .filter(|s| intermediate.is_none_or(|i| s.intermediate == i))
        .filter(|s| marked.as_ref().is_none_or(|m| m.contains(&s.entity_id)))
        .map(|s| s.entity_id)
        .collect();
    Ok(json_list(ids))
}

/// `GET /federation/resolve?sub=&trust_anchor=[&entity_type=]` (§8.3):
/// the subject's metadata resolved through a chain to one of the given
/// anchors this tenant trusts, and its verified Trust Marks.
pub async fn resolve(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, Params(params): Params) -> ApiResult<Response> {
    state.usage.count(&tenant.tenant.id, Counter::FederationIn);
    only_known(&params, &["sub", "trust_anchor", "entity_type"])?;
    let sub = single(&params, "sub")?.ok_or_else(|| ApiError::invalid_request("sub is required"))?;
    let asked = all(&params, "trust_anchor");
    if asked.is_empty() {
        return Err(ApiError::invalid_request("trust_anchor is required"));
    }
    let entity_types: Vec<String> = all(&params, "entity_type").into_iter().map(str::to_owned).collect();
    let anchors: Vec<_> = trust_anchors(&tenant.tenant.federation).into_iter().filter(|a| asked.contains(&a.entity_id.as_str())).collect();
    if anchors.is_empty() {
        return Err(ApiError::oauth(ErrorCode::InvalidTrustAnchor, "none of the given trust anchors is one this entity trusts"));
    }
    // Each resolution may fetch dozens of statements from other servers:
    // counted per address like registrations, so the endpoint is no amplifier.
    if !trame_app::throttle::allow_federation_resolve(&state, &tenant.tenant.id, ip).await.json_err()? {
        return Err(ApiError::oauth(ErrorCode::RateLimited, "too many resolve requests from this address; try again later"));
    }
    let by = FetchFor::tenant(&state, &tenant.tenant);
    let chain = state.chains.resolve(&state, &by, sub, &anchors).await.map_err(|e| {
        tracing::info!(subject = %sub, error = %e, "federation resolve failed");
        match e {
            // The subject itself could not be read.
            ChainError::Fetch { .. } | ChainError::EntityConfiguration { .. } => {
                ApiError::oauth(ErrorCode::InvalidSubject, format!("the Entity Configuration of {sub} could not be obtained or is invalid"))
            }
            other => {
                // invalid_trust_anchor is 404 here (OpenID Federation §8.3.2).
                ApiError::oauth(ErrorCode::parse(other.error_code()).unwrap_or(ErrorCode::InvalidTrustChain), other.to_string())
            }
        }
    })?;
    let marks = trame_app::federation::marks::verified(&state, &by, &chain, &anchors).await;
    let now = state.now();
    let keys = tenant.federation_keys(&state.store, now).await.json_err()?;
    let body = statements::resolve_response(&tenant.tenant, &keys, &chain, &entity_types, &marks, now).map_err(sign_error)?;
    Ok(jwt(media::RESOLVE_RESPONSE, body, false))
}

/// `GET /federation/trust_mark?trust_mark_type=&sub=` (§8.6).
pub async fn trust_mark(State(state): State<AppState>, tenant: TenantCtx, Params(params): Params) -> ApiResult<Response> {
    only_known(&params, &["trust_mark_type", "sub"])?;
    let mark_type = single(&params, "trust_mark_type")?.ok_or_else(|| ApiError::invalid_request("trust_mark_type is required"))?;
    let sub = single(&params, "sub")?.ok_or_else(|| ApiError::invalid_request("sub is required"))?;
    let now = state.now();
    let marks = state.store.issued_trust_marks(&tenant.tenant.id, Some(mark_type), Some(sub)).await.json_err()?;
    let mark = marks.into_iter().rev().find(|m| m.is_active(now)).ok_or_else(|| not_found("this entity holds no such trust mark from this issuer"))?;
    let keys = tenant.federation_keys(&state.store, now).await.json_err()?;
    let body = statements::trust_mark(&tenant.tenant, &keys, &mark).map_err(sign_error)?;
    Ok(jwt(media::TRUST_MARK, body, false))
}

/// `GET /federation/trust_mark_list?trust_mark_type=[&sub=]` (§8.5).
pub async fn trust_mark_list(State(state): State<AppState>, tenant: TenantCtx, Params(params): Params) -> ApiResult<Response> {
    only_known(&params, &["trust_mark_type", "sub"])?;
    let mark_type = single(&params, "trust_mark_type")?.ok_or_else(|| ApiError::invalid_request("trust_mark_type is required"))?;
    let sub = single(&params, "sub")?;
    let now = state.now();
    let marks = state.store.issued_trust_marks(&tenant.tenant.id, Some(mark_type), sub).await.json_err()?;
    let mut subjects: Vec<String> = marks.into_iter().filter(|m| m.is_active(now)).map(|m| m.subject).collect();
    subjects.dedup();
    Ok(json_list(subjects))
}

/// `POST /federation/trust_mark_status` with `trust_mark=<JWT>` (§8.4).
pub async fn trust_mark_status(State(state): State<AppState>, tenant: TenantCtx, FormParams(params): FormParams) -> ApiResult<Response> {
    only_known(&params, &["trust_mark"])?;
    let raw = single(&params, "trust_mark")?.ok_or_else(|| ApiError::invalid_request("trust_mark is required"))?;
    let decoded = trame_jose::decode(raw).map_err(|e| ApiError::invalid_request(format!("trust_mark is not a JWT: {e}")))?;
    let mark = TrustMark::from_claims(&decoded.claims).map_err(|e| ApiError::invalid_request(format!("trust_mark: {e}")))?;
    if mark.iss != tenant.tenant.issuer.as_str() {
        return Err(not_found("this entity did not issue the trust mark"));
    }
    let now = state.now();
    let keys = tenant.federation_keys(&state.store, now).await.json_err()?;
    let signed_by_us = decoded.check_header(TRUST_MARK_TYP, &Alg::ALL).is_ok() && decoded.verify_signature(&keys.verifiers, &Alg::ALL).is_ok();
    let status = if !signed_by_us {
        MarkStatus::Invalid
    } else {
        let records = state.store.issued_trust_marks(&tenant.tenant.id, Some(&mark.trust_mark_type), Some(&mark.sub)).await.json_err()?;
        let record = records.into_iter().rev().find(|r| r.issued_at == mark.iat).ok_or_else(|| not_found("no such trust mark was issued"))?;
        if record.revoked_at.is_some() {
            MarkStatus::Revoked
        } else if record.expires_at.is_some_and(|e| e <= now) {
            MarkStatus::Expired
        } else {
            MarkStatus::Active
        }
    };
    let body = statements::trust_mark_status(&tenant.tenant, &keys, raw, status, now).map_err(sign_error)?;
    Ok(jwt(media::TRUST_MARK_STATUS, body, false))
}

/// `GET /federation/historical_keys` (§8.7).
pub async fn historical_keys(State(state): State<AppState>, tenant: TenantCtx) -> ApiResult<Response> {
    let now = state.now();
    let keys = tenant.federation_keys(&state.store, now).await.json_err()?;
    let body = statements::historical_keys(&tenant.tenant, &keys, now).map_err(sign_error)?;
    Ok(jwt(media::JWK_SET, body, true))
}
