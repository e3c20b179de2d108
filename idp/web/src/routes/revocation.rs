//! Token revocation (RFC 7009). Unknown tokens, and tokens of other
//! clients, get the same 200 as revoked ones: the answer tells nothing.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use trame_core::crypto::secret_digest;

use crate::client_auth;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{FormParams, single};
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::tokens;

pub async fn revoke(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(p): FormParams) -> ApiResult<Response> {
    let endpoint = tenant.tenant.issuer.endpoint("/revoke");
    let client = client_auth::authenticate(&state, &tenant, &headers, &p, &endpoint).await?;
    let token = single(&p, "token")?.ok_or_else(|| ApiError::invalid_request("token is missing"))?;
    // The hint is only a hint: an unknown value is ignored (RFC 7009 §2.1).
    let _hint = single(&p, "token_type_hint")?;
    let now = state.now();
    // A refresh token revokes its whole grant (and so every access token of it).
    if let Some(g) = state.store.refresh_token_grant(&secret_digest(token), now).await.json_err()? {
        if g.client_id == client.id.as_str() && g.tenant_id == tenant.tenant.id {
            state.store.revoke_grant(&g.id, now).await.json_err()?;
            tracing::info!(client_id = %client.id, "refresh token revoked");
        }
        return Ok(StatusCode::OK.into_response());
    }
    let keys = tenant.keys(&state.store, now).await.json_err()?;
    // An unreachable store is a 503, not a 200 for a token left valid.
    if let Some(v) = tokens::inspect_access(&state, &tenant.tenant, &keys, token, tokens::Need::Grant).await.json_err()?
        && v.client_id == client.id.as_str()
    {
        tokens::revoke_access(&state, &v.jti, v.exp).await.json_err()?;
        tracing::info!(client_id = %client.id, "access token revoked");
    }
    Ok(StatusCode::OK.into_response())
}
