//! The token endpoint (RFC 6749 §3.2): one function per grant type.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use trame_core::claims::{ClaimsRequest, id_token_claims};
use trame_core::client::{Client, GrantType};
use trame_core::crypto::{random_token, secret_digest};
use trame_core::lifetimes;
use trame_core::oauth::ErrorCode;
use trame_core::pkce::{self, CodeChallenge};
use trame_core::scope::{self, Scopes};
use trame_core::user::UserProfile;
use trame_store::{Grant, NewGrant, RefreshOutcome, Rotation};

use crate::client_auth;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{FormParams, single};
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::catalog::TenantEntry;
use trame_app::codes::{CodeRecord, code_key};
use trame_app::tokens::{self, AuthFacts};

pub async fn token(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(p): FormParams) -> ApiResult<Response> {
    let endpoint = tenant.tenant.issuer.endpoint("/token");
    let client = client_auth::authenticate(&state, &tenant, &headers, &p, &endpoint).await?;
    let grant_type = single(&p, "grant_type")?.ok_or_else(|| ApiError::invalid_request("grant_type is missing"))?;
    let Some(grant_type) = GrantType::parse(grant_type) else {
        return Err(ApiError::oauth(ErrorCode::UnsupportedGrantType, "this grant type is not supported"));
    };
    if !client.allows_grant(grant_type) {
        return Err(ApiError::oauth(ErrorCode::UnauthorizedClient, "this client may not use this grant type"));
    }
    let body = match grant_type {
        GrantType::AuthorizationCode => authorization_code(&state, &tenant, &client, &p).await?,
        GrantType::RefreshToken => refresh_token(&state, &tenant, &client, &p).await?,
        GrantType::ClientCredentials => client_credentials(&state, &tenant, &client, &p).await?,
    };
    // Per token, so below `info`: at the default level a line per request
    // cost about a quarter of the client_credentials throughput. The
    // metric counts tokens; the log keeps what an operator must act on.
    tracing::debug!(client_id = %client.id, grant = grant_type.as_str(), "tokens issued");
    crate::telemetry::tokens_issued(grant_type.as_str());
    state.usage.token(&tenant.tenant.id, client.id.as_str());
    let mut r = Json(body).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(r)
}

fn code_used_key(code: &str) -> String {
    trame_store::ephemeral_keys::code_used(code)
}

async fn authorization_code(state: &AppState, tenant: &TenantEntry, client: &Client, p: &[(String, String)]) -> ApiResult<Map<String, Value>> {
    let code = single(p, "code")?.ok_or_else(|| ApiError::invalid_request("code is missing"))?;
    let redirect_uri = single(p, "redirect_uri")?;
    let verifier = single(p, "code_verifier")?;
    let now = state.now();

    let Some(raw) = state.ephemeral.take(&code_key(code)).await.json_err()? else {
        // A code seen before: revoke what its first redemption issued
        // (RFC 6749 §4.1.2, RFC 9700 §4.2.4).
        if let Some(grant_id) = state.ephemeral.get(&code_used_key(code)).await.json_err()? {
            state.store.revoke_grant(&grant_id, now).await.json_err()?;
            tracing::warn!(client_id = %client.id, "authorization code replayed; its grant is revoked");
        }
        return Err(ApiError::invalid_grant("the code is invalid, expired or already used"));
    };
    let rec: CodeRecord = serde_json::from_str(&raw).map_err(|_| ApiError::invalid_grant("the code is invalid"))?;
    if rec.expires_at <= now {
        return Err(ApiError::invalid_grant("the code is invalid, expired or already used"));
    }
    if rec.tenant_id != tenant.tenant.id || rec.client_id != client.id.as_str() {
        return Err(ApiError::invalid_grant("the code was issued to another client"));
    }
    if redirect_uri != Some(rec.redirect_uri.as_str()) {
        return Err(ApiError::invalid_grant("redirect_uri does not match the authorization request"));
    }
    let challenge = rec.code_challenge.clone().map(CodeChallenge::from_stored);
    pkce::check(challenge.as_ref(), verifier).map_err(|e| ApiError::invalid_grant(e.to_string()))?;

    let scopes = Scopes::parse(&rec.scopes).map_err(|_| ApiError::invalid_grant("the code is invalid"))?;
    let offline = scopes.contains(scope::OFFLINE_ACCESS) && client.allows_grant(GrantType::RefreshToken);
    let expires_at = now + if offline { lifetimes::REFRESH_TOKEN } else { lifetimes::ACCESS_TOKEN };
    let grant = state
        .store
        .create_grant(
            NewGrant {
                tenant_id: tenant.tenant.id.clone(),
                client_id: client.id.as_str().to_owned(),
                user_id: rec.user_id.clone(),
                scopes: rec.scopes.clone(),
                claims: rec.claims.clone(),
                auth_time: rec.auth_time,
                acr: rec.acr.clone(),
                amr: rec.amr.clone(),
                sid: rec.sid.clone(),
                expires_at,
            },
            now,
        )
        .await
        .json_err()?;
    state.ephemeral.put(&code_used_key(code), &grant.id, lifetimes::CODE_REPLAY_MEMORY).await.json_err()?;
    let refresh = if offline {
        let rt = random_token(state.rng.as_ref());
        state.store.add_refresh_token(&grant.id, &secret_digest(&rt), now, now + lifetimes::REFRESH_TOKEN).await.json_err()?;
        Some(rt)
    } else {
        None
    };
    issue_user_tokens(state, tenant, client, &grant, rec.nonce.as_deref(), refresh, None).await
}

/// Access token, ID token (when `openid` was granted) and, for offline
/// access, the refresh token of the grant's family the caller stored.
/// `user`: the grant's user when the caller read it already (else it is
/// read here, when the ID token needs it).
async fn issue_user_tokens(
    state: &AppState,
    tenant: &TenantEntry,
    client: &Client,
    grant: &Grant,
    nonce: Option<&str>,
    refresh: Option<String>,
    user: Option<UserProfile>,
) -> ApiResult<Map<String, Value>> {
    let now = state.now();
    let keys = tenant.keys(&state.store, now).await.json_err()?;
    let sub = tenant.subject(client, &grant.user_id);
    let facts = AuthFacts::of(grant);
    let at = tokens::access_token(state, &tenant.tenant, &keys, client.id.as_str(), &sub, &grant.scopes, Some(&grant.id), Some(&facts)).json_err()?;
    let mut body = Map::new();
    body.insert("access_token".into(), json!(at.token));
    body.insert("token_type".into(), json!("Bearer"));
    body.insert("expires_in".into(), json!(at.expires_in));
    body.insert("scope".into(), json!(grant.scopes));
    if grant.scopes.split(' ').any(|s| s == scope::OPENID) {
        let user = match user {
            Some(u) => u,
            None => state
                .store
                .user_by_id(&tenant.tenant.id, &grant.user_id)
                .await
                .json_err()?
                .ok_or_else(|| ApiError::invalid_grant("the user no longer exists"))?,
        };
        let claims_req = ClaimsRequest::from_json(&grant.claims).unwrap_or_default();
        let extra = id_token_claims(&user, &claims_req);
        let id_token =
            tokens::id_token(state, &tenant.tenant, &keys, client.id_token_alg, client.id.as_str(), &sub, &facts, nonce, &at.token, extra).json_err()?;
        body.insert("id_token".into(), json!(id_token));
    }
    if let Some(rt) = refresh {
        body.insert("refresh_token".into(), json!(rt));
    }
    Ok(body)
}

async fn refresh_token(state: &AppState, tenant: &TenantEntry, client: &Client, p: &[(String, String)]) -> ApiResult<Map<String, Value>> {
    let rt = single(p, "refresh_token")?.ok_or_else(|| ApiError::invalid_request("refresh_token is missing"))?;
    let digest = secret_digest(rt);
    let now = state.now();
    let asked = match single(p, "scope")? {
        Some(s) => Some(Scopes::parse(s).map_err(|e| ApiError::oauth(ErrorCode::InvalidScope, e.to_string()))?),
        None => None,
    };
    let successor = random_token(state.rng.as_ref());
    let rotation = Rotation {
        presented: rt,
        successor: &successor,
        successor_expires_at: now + lifetimes::REFRESH_TOKEN,
        reuse_grace: i64::from(client.refresh_reuse_grace),
    };
    // The common case in one step: this client's unused token, no
    // narrower scope asked. Anything else changes nothing there and goes
    // the long way below, which tells reuse, retries and refusals apart.
    if asked.is_none()
        && let Some(r) = state.store.rotate_refresh_token(rotation, &tenant.tenant.id, client.id.as_str(), now).await.json_err()?
    {
        return issue_user_tokens(state, tenant, client, &r.grant, None, Some(successor), r.user).await;
    }
    // Check ownership and the requested scope before using the token, so
    // another client presenting it, or a refused request, cannot burn it
    // (the next legitimate use would then look like reuse and revoke the grant).
    if let Some(g) = state.store.refresh_token_grant(&digest, now).await.json_err()? {
        if g.client_id != client.id.as_str() || g.tenant_id != tenant.tenant.id {
            return Err(ApiError::invalid_grant("the refresh token was issued to another client"));
        }
        if asked.as_ref().is_some_and(|a| !a.is_subset_of(&Scopes::parse(&g.scopes).unwrap_or_default())) {
            return Err(ApiError::oauth(ErrorCode::InvalidScope, "the requested scope exceeds the granted scope"));
        }
    }
    // The successor is stored with the rotation, in one transaction.
    let (grant, refresh) = match state.store.use_refresh_token(rotation, now).await.json_err()? {
        RefreshOutcome::Rotated(g) => (g, successor),
        // The answer to the first presentation was lost: the same successor
        // again, with fresh access and ID tokens.
        RefreshOutcome::Retried { grant, successor } => {
            tracing::info!(client_id = %client.id, "refresh token presented again within the client's grace; same successor issued");
            (grant, successor)
        }
        RefreshOutcome::Reused => {
            tracing::warn!(client_id = %client.id, "refresh token reused; its grant is revoked");
            return Err(ApiError::invalid_grant("the refresh token was already used; the grant is revoked"));
        }
        RefreshOutcome::Invalid => return Err(ApiError::invalid_grant("the refresh token is invalid or expired")),
    };
    if grant.client_id != client.id.as_str() || grant.tenant_id != tenant.tenant.id {
        return Err(ApiError::invalid_grant("the refresh token was issued to another client"));
    }
    // A narrower scope may be asked for (RFC 6749 §6), never a wider one.
    let mut g = grant.clone();
    if let Some(asked) = asked {
        let granted = Scopes::parse(&grant.scopes).unwrap_or_default();
        if !asked.is_subset_of(&granted) {
            return Err(ApiError::oauth(ErrorCode::InvalidScope, "the requested scope exceeds the granted scope"));
        }
        g.scopes = asked.to_string_sorted();
    }
    issue_user_tokens(state, tenant, client, &g, None, Some(refresh), None).await
}

async fn client_credentials(state: &AppState, tenant: &TenantEntry, client: &Client, p: &[(String, String)]) -> ApiResult<Map<String, Value>> {
    if client.is_public() {
        return Err(ApiError::oauth(ErrorCode::UnauthorizedClient, "public clients cannot use client_credentials"));
    }
    // User-related scopes mean nothing without a user.
    let allowed = Scopes::from_tokens(client.scopes.iter().filter(|s| !matches!(*s, "openid" | "offline_access" | "profile" | "email" | "phone" | "address")));
    let scopes = match single(p, "scope")? {
        Some(s) => {
            let asked = Scopes::parse(s).map_err(|e| ApiError::oauth(ErrorCode::InvalidScope, e.to_string()))?;
            if !asked.is_subset_of(&allowed) {
                return Err(ApiError::oauth(ErrorCode::InvalidScope, "the requested scope is not allowed for this client"));
            }
            asked
        }
        None => allowed,
    };
    let keys = tenant.keys(&state.store, state.now()).await.json_err()?;
    let at = tokens::access_token(state, &tenant.tenant, &keys, client.id.as_str(), client.id.as_str(), &scopes.to_string_sorted(), None, None).json_err()?;
    let mut body = Map::new();
    body.insert("access_token".into(), json!(at.token));
    body.insert("token_type".into(), json!("Bearer"));
    body.insert("expires_in".into(), json!(at.expires_in));
    if !scopes.is_empty() {
        body.insert("scope".into(), json!(scopes.to_string_sorted()));
    }
    Ok(body)
}
