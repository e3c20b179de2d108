//! Extractors with the application's own rejections, and the request facts
//! that depend on trusting a proxy (client address, host).

use std::net::{IpAddr, SocketAddr};
use trame_core::oauth::ErrorCode;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, header};
use ipnet::IpNet;

use crate::error::{ApiError, ApiResult};
use trame_core::form::parse_urlencoded;

/// Request parameters as an ordered list, duplicates kept (OAuth refuses
/// duplicates, so they must be visible). From the query for GET, from the
/// urlencoded body for POST.
pub struct Params(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if req.method() == Method::GET || req.method() == Method::HEAD {
            let q = req.uri().query().unwrap_or("");
            return parse_urlencoded(q.as_bytes()).map(Params).ok_or_else(|| ApiError::invalid_request("the query string is malformed"));
        }
        Ok(Params(form_body(req, state).await?))
    }
}

/// A urlencoded body only (token, revocation, introspection endpoints).
pub struct FormParams(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for FormParams {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Ok(FormParams(form_body(req, state).await?))
    }
}

async fn form_body<S: Send + Sync>(req: Request, state: &S) -> Result<Vec<(String, String)>, ApiError> {
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(ApiError::invalid_request("the body must be application/x-www-form-urlencoded"));
    }
    let body = axum::body::Bytes::from_request(req, state).await.map_err(|_| ApiError::invalid_request("the body is too large or unreadable"))?;
    parse_urlencoded(&body).ok_or_else(|| ApiError::invalid_request("the form body is malformed"))
}

/// The only-once lookup used by JSON endpoints: duplicated parameters are
/// refused (RFC 6749 §3.2), empty values count as absent.
pub fn single<'a>(params: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ApiError> {
    let mut found = params.iter().filter(|(k, _)| k == name);
    let first = found.next();
    if found.next().is_some() {
        return Err(ApiError::invalid_request(format!("the parameter {name} appears more than once")));
    }
    Ok(first.map(|(_, v)| v.as_str()).filter(|v| !v.is_empty()))
}

fn peer(parts_ext: &axum::http::Extensions) -> Option<IpAddr> {
    parts_ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

fn trusted(ip: Option<IpAddr>, proxies: &[IpNet]) -> bool {
    ip.is_some_and(|ip| proxies.iter().any(|n| n.contains(&ip)))
}

/// The client's address: the peer, or, when the peer is a trusted proxy,
/// the right-most address in X-Forwarded-For that is not itself trusted.
pub fn client_ip(ext: &axum::http::Extensions, headers: &axum::http::HeaderMap, proxies: &[IpNet]) -> Option<IpAddr> {
    let peer_ip = peer(ext);
    if !trusted(peer_ip, proxies) {
        return peer_ip;
    }
    let chain: Vec<IpAddr> =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).filter_map(|s| s.trim().parse().ok()).collect();
    chain.into_iter().rev().find(|ip| !trusted(Some(*ip), proxies)).or(peer_ip)
}

/// The host the request was addressed to (X-Forwarded-Host from a trusted
/// proxy, else Host), lowercase, with port.
pub fn effective_host(req: &Request, proxies: &[IpNet]) -> String {
    let h = req.headers();
    let forwarded = if trusted(peer(req.extensions()), proxies) { h.get("x-forwarded-host") } else { None };
    forwarded
        .or_else(|| h.get(header::HOST))
        .and_then(|v| v.to_str().ok())
        .map(|s| s.split(',').next().unwrap_or("").trim().to_ascii_lowercase())
        .or_else(|| req.uri().authority().map(|a| a.as_str().to_ascii_lowercase()))
        .unwrap_or_default()
}

/// The token of an `Authorization: Bearer` header (RFC 6750 §2.1); `None`
/// without the header or with another scheme (RFC 6750 §3.1 answers both
/// with a bare challenge).
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(h) = headers.get(axum::http::header::AUTHORIZATION) else { return Ok(None) };
    let h = h.to_str().map_err(|_| ApiError::invalid_token("malformed Authorization header"))?;
    let (scheme, token) = h.split_once(' ').unwrap_or((h, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Ok(None);
    }
    if token.trim().is_empty() {
        return Err(ApiError::Bearer {
            status: axum::http::StatusCode::BAD_REQUEST,
            error: Some(ErrorCode::InvalidRequest),
            description: "the Bearer scheme needs a token".into(),
        });
    }
    Ok(Some(token.trim().to_owned()))
}

/// The client address as an extractor (None in tests without a socket).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<crate::state::AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &crate::state::AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(&parts.extensions, &parts.headers, &state.config.trusted_proxies)))
    }
}

/// A JSON body of the pages' scripts; anything else is `invalid_request`.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|_| ApiError::invalid_request("the body is not the expected JSON"))
}
