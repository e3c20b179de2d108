//! Token introspection (RFC 7662), for confidential clients of the tenant.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use trame_core::crypto::secret_digest;
use trame_core::oauth::ErrorCode;

use crate::client_auth;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{FormParams, single};
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::tokens;

pub async fn introspect(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(p): FormParams) -> ApiResult<Response> {
    let endpoint = tenant.tenant.issuer.endpoint("/introspect");
    let client = client_auth::authenticate(&state, &tenant, &headers, &p, &endpoint).await?;
    if client.is_public() {
        return Err(ApiError::oauth(ErrorCode::InvalidClient, "public clients cannot introspect tokens"));
    }
    let token = single(&p, "token")?.ok_or_else(|| ApiError::invalid_request("token is missing"))?;
    let now = state.now();
    let keys = tenant.keys(&state.store, now).await.json_err()?;
    let mut body = Map::new();
    // Only the client a token was issued to learns about it: another client
    // gets `active: false`, as for an unknown token. A check that cannot be
    // made (Redis down: is it revoked?) is a 503, never `active: false`,
    // which a resource server may cache as final.
    let access = tokens::inspect_access(&state, &tenant.tenant, &keys, token, tokens::Need::Grant).await.json_err()?;
    if let Some(v) = access.filter(|v| v.client_id == client.id.as_str()) {
        body.insert("active".into(), json!(true));
        body.insert("token_type".into(), json!("Bearer"));
        for k in ["scope", "client_id", "sub", "exp", "iat", "iss", "aud", "jti", "auth_time", "acr"] {
            if let Some(val) = v.claims.get(k) {
                body.insert(k.into(), val.clone());
            }
        }
    } else if let Some(g) = state.store.refresh_token_grant(&secret_digest(token), now).await.json_err()?
        && g.tenant_id == tenant.tenant.id
        && g.client_id == client.id.as_str()
    {
        let owner = tenant.client(&state.store, &g.client_id, state.now()).await.json_err()?;
        if let Some(owner) = owner {
            body.insert("active".into(), json!(true));
            body.insert("token_type".into(), json!("refresh_token"));
            body.insert("scope".into(), json!(g.scopes));
            body.insert("client_id".into(), json!(g.client_id));
            body.insert("sub".into(), json!(tenant.subject(&owner, &g.user_id)));
            body.insert("exp".into(), json!(g.expires_at));
            body.insert("iss".into(), json!(tenant.tenant.issuer.as_str()));
        }
    }
    if body.is_empty() {
        body.insert("active".into(), Value::Bool(false));
    }
    let mut r = Json(body).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}
