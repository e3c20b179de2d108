//! The `request` and `request_uri` parameters of an authorization request
//! (RFC 9101, RFC 9126, OpenID Federation §12.1): turned, once, at the
//! authorization endpoint, into the plain parameters the rest of the flow
//! validates (`signin::proceed`). A sign-in that goes through
//! several pages keeps those parameters in its interaction, so the object
//! is verified and its `jti` spent exactly once.
//!
//! - `request`: a JWS signed with one of the client's keys (`jwks` or
//!   `jwks_uri`); unsigned and encrypted objects are refused. For a relying
//!   party of the tenant's federation that is not registered yet, its trust
//!   chain (the `trust_chain` header, verified in full, or resolved) gives
//!   the keys and the registration, which is stored only once the object
//!   verified (automatic registration, §12.1).
//! - `request_uri`: only the `urn:ietf:params:oauth:request_uri:` values the
//!   pushed authorization request endpoint handed out, single use.
//!
//! Trust failures never redirect (§12.1.3): the redirect URI of a relying
//! party the tenant cannot trust is not trusted either.

use std::net::IpAddr;
use trame_core::oauth::ErrorCode;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use trame_core::authorize::{self as rules, PageError, RawParams};
use trame_core::client::{Client, RegistrationKind};
use trame_core::keys;
use trame_core::lifetimes::CLOCK_SKEW;
use trame_core::request_object::{Accepted, Expectations, RequestObjectError, accept};

use crate::error::{ApiError, ApiResult, OrApi, Surface};
use crate::error::{page_error, redirect_error};
use crate::state::AppState;
use trame_app::catalog::TenantEntry;
use trame_app::client_keys::{self, KeyFailure};
use trame_app::federation::FetchFor;
use trame_app::federation::registration::{self, Prepared, RegistrationError};
use trame_app::throttle;

/// The prefix of the `request_uri` values of pushed requests (RFC 9126 §2.2).
pub const PUSHED_URN: &str = "urn:ietf:params:oauth:request_uri:";

/// `typ` values a Request Object may carry (RFC 9101 §10.8 registers
/// `oauth-authz-req+jwt`; older clients send `JWT` or nothing). Any other
/// type is some other JWT replayed as a request.
const ACCEPTED_TYPES: [&str; 2] = ["oauth-authz-req+jwt", "jwt"];

/// A pushed authorization request, kept in the ephemeral store under the
/// digest of its `request_uri` until it is used or expires.
#[derive(Debug, Serialize, Deserialize)]
pub struct PushedRequest {
    pub tenant_id: String,
    pub client_id: String,
    /// Already the plain parameters (a pushed Request Object was verified
    /// when it was pushed).
    pub params: Vec<(String, String)>,
    pub expires_at: i64,
}

pub fn pushed_key(request_uri: &str) -> String {
    trame_store::ephemeral_keys::pushed_request(request_uri)
}

/// The parameters the authorization request stands for: `params` itself
/// when it has neither `request` nor `request_uri`.
pub async fn effective_params(state: &AppState, tenant: &TenantEntry, ip: Option<IpAddr>, params: Vec<(String, String)>) -> ApiResult<Vec<(String, String)>> {
    let raw = RawParams::new(&params);
    let request = raw.single("request").map_err(page_error)?;
    let request_uri = raw.single("request_uri").map_err(page_error)?;
    let jwt = match (request, request_uri) {
        (None, None) => return Ok(params.clone()),
        (Some(_), Some(_)) => {
            let client = known_client(state, tenant, rules::client_id(&raw).map_err(page_error)?).await?;
            return Err(refuse(tenant, &raw, &client, ErrorCode::InvalidRequest, "use request or request_uri, not both"));
        }
        (None, Some(uri)) => return pushed(state, tenant, &raw, rules::client_id(&raw).map_err(page_error)?, uri).await,
        (Some(jwt), None) => jwt,
    };
    let client_id = rules::client_id(&raw).map_err(page_error)?;
    Ok(from_object(state, tenant, ip, &raw, &params, client_id, jwt, false).await?.params)
}

async fn known_client(state: &AppState, tenant: &TenantEntry, client_id: &str) -> ApiResult<std::sync::Arc<Client>> {
    tenant.client(&state.store, client_id, state.now()).await.html_err()?.ok_or_else(|| page_error(PageError::UnknownClient))
}

/// An error about the request as a whole: to the query's redirect URI when
/// the client registered it, else on a page.
fn refuse(tenant: &TenantEntry, raw: &RawParams<'_>, client: &Client, error: ErrorCode, description: &str) -> ApiError {
    match rules::outer_reply(raw, client) {
        Some(reply) => redirect_error(tenant, &reply, error, description),
        None => ApiError::page_detail(StatusCode::BAD_REQUEST, "error-request-object", description),
    }
}

async fn pushed(state: &AppState, tenant: &TenantEntry, raw: &RawParams<'_>, client_id: &str, uri: &str) -> ApiResult<Vec<(String, String)>> {
    let client = known_client(state, tenant, client_id).await?;
    if !uri.starts_with(PUSHED_URN) {
        return Err(refuse(
            tenant,
            raw,
            &client,
            ErrorCode::RequestUriNotSupported,
            "only request_uri values from the pushed authorization request endpoint are accepted",
        ));
    }
    let stored = state.ephemeral.take(&pushed_key(uri)).await.html_err()?;
    let pushed = stored.and_then(|json| serde_json::from_str::<PushedRequest>(&json).ok());
    match pushed {
        Some(p) if p.tenant_id == tenant.tenant.id && p.client_id == client.id.as_str() && p.expires_at > state.now() => Ok(p.params),
        _ => Err(refuse(tenant, raw, &client, ErrorCode::InvalidRequestUri, "the request_uri is unknown, expired, already used or not this client's")),
    }
}

/// Why a Request Object was refused: an error code and its description.
struct Refusal {
    code: ErrorCode,
    why: String,
}

/// Verifies a Request Object and returns the parameters it carries,
/// registering a federation relying party on its first request. `pushed`:
/// the object came to the PAR endpoint, whose errors are JSON.
#[allow(clippy::too_many_arguments)]
pub async fn from_object(
    state: &AppState,
    tenant: &TenantEntry,
    ip: Option<IpAddr>,
    raw: &RawParams<'_>,
    outer: &[(String, String)],
    client_id: &str,
    jwt: &str,
    pushed: bool,
) -> ApiResult<Accepted> {
    if let Some(client) = tenant.client(&state.store, client_id, state.now()).await.html_err()? {
        return match verify(state, tenant, &client, jwt, outer).await {
            Ok(accepted) => Ok(accepted),
            Err(Refusal { code, why }) if pushed => Err(ApiError::oauth(code, why)),
            Err(Refusal { code, why }) => Err(refuse(tenant, raw, &client, code, &why)),
        };
    }
    let Some(anchors) = registration::anchors_for(tenant, client_id) else {
        return Err(if pushed { ApiError::invalid_client("unknown client", false) } else { page_error(PageError::UnknownClient) });
    };
    let supplied = match trame_jose::decode(jwt).ok().and_then(|d| d.header.get("trust_chain").cloned()) {
        None => None,
        Some(v) => Some(
            registration::supplied_statements(&v)
                .ok_or_else(|| trust_failure(pushed, ErrorCode::InvalidTrustChain, "the trust_chain header is not an array of statements"))?,
        ),
    };
    // Resolving fetches statements from other servers: bounded per
    // address, as for the resolve endpoint. A supplied chain costs no
    // fetch.
    if supplied.is_none() && !throttle::allow_federation_resolve(state, &tenant.tenant.id, ip).await.json_err()? {
        return Err(trust_failure(pushed, ErrorCode::RateLimited, "too many registration attempts from this address; try again later"));
    }
    let prepared = match prepare(state, tenant, client_id, &anchors, supplied.as_deref()).await {
        Ok(p) => p,
        Err(e) => {
            tracing::info!(client_id, error = %e, "automatic registration refused");
            return Err(trust_failure(pushed, e.code(), &e.to_string()));
        }
    };
    // Nothing is stored for an object that does not verify.
    let accepted = verify(state, tenant, &prepared.client, jwt, outer).await.map_err(|r| {
        tracing::info!(client_id, reason = %r.why, "request object of an unregistered relying party refused");
        trust_failure(pushed, r.code, &r.why)
    })?;
    registration::save(state, tenant, &prepared).await.map_err(|e| match e {
        RegistrationError::Store(source) => ApiError::Store { surface: if pushed { Surface::Json } else { Surface::Html }, source },
        other => trust_failure(pushed, other.code(), &other.to_string()),
    })?;
    Ok(accepted)
}

async fn prepare(
    state: &AppState,
    tenant: &TenantEntry,
    client_id: &str,
    anchors: &[trame_federation::chain::TrustAnchor],
    supplied: Option<&[String]>,
) -> Result<Prepared, RegistrationError> {
    let chain = registration::relying_party_chain(state, &FetchFor::tenant(state, &tenant.tenant), client_id, anchors, supplied).await?;
    registration::prepare(state, tenant, &chain, RegistrationKind::Automatic).await
}

/// A refusal that must not reach the relying party's redirect URI.
fn trust_failure(pushed: bool, code: ErrorCode, description: &str) -> ApiError {
    if pushed { ApiError::oauth(code, description) } else { ApiError::page_detail(StatusCode::BAD_REQUEST, "error-federation-trust", description) }
}

/// The signature (with the client's keys), the type, and the claims.
async fn verify(state: &AppState, tenant: &TenantEntry, client: &Client, jwt: &str, outer: &[(String, String)]) -> Result<Accepted, Refusal> {
    let object = |why: &str| Refusal { code: ErrorCode::InvalidRequestObject, why: why.to_owned() };
    if jwt.split('.').count() != 3 {
        return Err(object("the Request Object is not a signed JWT (unsigned and encrypted objects are not accepted)"));
    }
    let v = client_keys::verify(state, state.reach(&tenant.tenant), client, jwt, &keys::ACCEPTED_INBOUND).await.map_err(|e| match e {
        KeyFailure::Unavailable => object("the client's keys cannot be fetched"),
        KeyFailure::Invalid => object("the Request Object's signature does not verify with the client's keys"),
    })?;
    if v.typ.as_deref().is_some_and(|t| !ACCEPTED_TYPES.iter().any(|a| t.eq_ignore_ascii_case(a))) {
        return Err(object("the Request Object's typ is not oauth-authz-req+jwt"));
    }
    let now = state.now();
    let e = Expectations { client_id: client.id.as_str(), issuer: tenant.tenant.issuer.as_str(), now, federation: client.federation.is_some() };
    let accepted = accept(&v.claims, outer, &e).map_err(|e| match e {
        RequestObjectError::Invalid(why) => object(&why),
        RequestObjectError::Mismatch(why) => Refusal { code: ErrorCode::InvalidRequest, why },
    })?;
    if let (Some(jti), Some(exp)) = (&accepted.jti, accepted.expires_at) {
        let key = trame_store::ephemeral_keys::request_object_jti(&tenant.tenant.id, client.id.as_str(), jti);
        let fresh = state
            .ephemeral
            .put_if_absent(&key, "1", (exp - now + CLOCK_SKEW).max(1))
            .await
            .map_err(|_| Refusal { code: ErrorCode::TemporarilyUnavailable, why: "the request cannot be checked now".into() })?;
        if !fresh {
            return Err(object("the Request Object was already used (jti)"));
        }
    }
    Ok(accepted)
}
