//! The UserInfo endpoint (OIDC Core §5.3): GET or POST, the bearer token in
//! the Authorization header or, for POST, in the form body (RFC 6750 §2).

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use trame_core::claims::{ClaimsRequest, userinfo_claims};
use trame_core::oauth::ErrorCode;
use trame_core::scope::Scopes;

use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::FormParams;
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::tokens;

pub async fn userinfo(State(state): State<AppState>, tenant: TenantCtx, req: Request) -> ApiResult<Response> {
    let from_header = crate::extract::bearer_token(req.headers())?;
    let has_form = req.method() == Method::POST
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    let from_body = if has_form {
        let FormParams(p) = <FormParams as axum::extract::FromRequest<AppState>>::from_request(req, &state).await?;
        let mut it = p.into_iter().filter(|(k, _)| k == "access_token").map(|(_, v)| v);
        let first = it.next();
        if it.next().is_some() {
            return Err(ApiError::Bearer {
                status: StatusCode::BAD_REQUEST,
                error: Some(ErrorCode::InvalidRequest),
                description: "access_token appears more than once".into(),
            });
        }
        first
    } else {
        None
    };
    let token = match (from_header, from_body) {
        (Some(_), Some(_)) => {
            return Err(ApiError::Bearer {
                status: StatusCode::BAD_REQUEST,
                error: Some(ErrorCode::InvalidRequest),
                description: "send the token in one place only".into(),
            });
        }
        (Some(t), None) | (None, Some(t)) => t,
        (None, None) => return Err(ApiError::Bearer { status: StatusCode::UNAUTHORIZED, error: None, description: "an access token is required".into() }),
    };
    let keys = tenant.keys(&state.store, state.now()).await.json_err()?;
    // Any failure is `invalid_token`: the caller does not learn which check
    // failed.
    let v = tokens::inspect_access(&state, &tenant.tenant, &keys, &token, tokens::Need::GrantAndUser)
        .await
        .json_err()?
        .ok_or_else(|| ApiError::invalid_token("the access token is invalid or expired"))?;
    let Some(grant) = &v.grant else {
        return Err(ApiError::invalid_token("this access token does not represent a user"));
    };
    let scopes = Scopes::parse(&v.scope).unwrap_or_default();
    if !scopes.contains("openid") {
        return Err(ApiError::Bearer {
            status: StatusCode::FORBIDDEN,
            error: Some(ErrorCode::InsufficientScope),
            description: "the openid scope is required".into(),
        });
    }
    let user = v.user.as_ref().ok_or_else(|| ApiError::invalid_token("the user no longer exists"))?;
    let claims_req = ClaimsRequest::from_json(&grant.claims).unwrap_or_default();
    let mut body = userinfo_claims(user, &scopes, &claims_req);
    body.insert("sub".into(), json!(v.sub));
    // A client registered for signed responses gets a JWT (OIDC Core
    // §5.3.2: with `iss` and `aud`), signed with the tenant's key of its
    // algorithm.
    let client = tenant.client(&state.store, &v.client_id, state.now()).await.json_err()?;
    let mut r = match client.and_then(|c| c.userinfo_alg) {
        Some(alg) => {
            body.insert("iss".into(), json!(tenant.tenant.issuer.as_str()));
            body.insert("aud".into(), json!(v.client_id));
            let jwt = tokens::sign_jwt(&keys, alg, body).json_err()?;
            let mut r = jwt.into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/jwt"));
            r
        }
        None => Json(body).into_response(),
    };
    r.headers_mut().insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(r)
}
