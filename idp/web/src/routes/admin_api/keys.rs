//! `/keys`: the tenant's token-signing keys, and their rotation.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use trame_app::keys::{self, RotateError};
use utoipa::ToSchema;

use super::caller::Admin;
use super::input;
use crate::error::{ApiResult, OrApi};
use crate::problem::Problem;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Key {
    pub kid: String,
    /// ES256, RS256 or EdDSA.
    pub alg: String,
    /// `next` (published, not signing yet), `active`, `retiring` (published
    /// for verification only) or `retired`.
    pub status: String,
    pub activates_at: i64,
    pub created_at: i64,
}

/// Lists the signing keys.
#[utoipa::path(get, path = "/keys", tag = "keys", responses((status = 200, body = Vec<Key>), (status = 401, body = Problem)))]
pub async fn list(State(state): State<AppState>, admin: Admin) -> ApiResult<Json<Vec<Key>>> {
    let all = state.store.list_keys(&admin.tenant.tenant.id, state.now()).await.problem_err()?;
    Ok(Json(
        all.into_iter()
            .map(|k| Key {
                kid: k.kid,
                alg: k.alg.as_str().to_owned(),
                status: k.status.as_str().to_owned(),
                activates_at: k.activates_at,
                created_at: k.created_at,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    /// ES256 (default), RS256 or EdDSA.
    pub alg: Option<String>,
    /// Seconds before the new key signs (0 to 2592000; default 0), so
    /// relying parties that cache the key set see it first.
    pub delay: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Rotated {
    pub kid: String,
}

/// Rotates a signing key: the new one is published at once and signs after
/// the delay; the previous one stays published until what it signed
/// expired.
#[utoipa::path(post, path = "/keys/rotate", tag = "keys", request_body = Rotation,
    responses((status = 201, body = Rotated), (status = 422, body = Problem)))]
pub async fn rotate(State(state): State<AppState>, admin: Admin, headers: HeaderMap, body: Bytes) -> ApiResult<(StatusCode, Json<Rotated>)> {
    admin.may_write()?;
    let r: Rotation = if body.is_empty() { Rotation { alg: None, delay: None } } else { input::body(&headers, &body)? };
    let alg = match r.alg.as_deref() {
        None => trame_jose::Alg::ES256,
        Some(a) => trame_core::keys::issued(a).ok_or_else(|| Problem::invalid("invalid_value", "alg", format!("'{a}' is not ES256, RS256 or EdDSA")))?,
    };
    let t = &admin.tenant.tenant;
    match keys::rotate(&state.store, t, alg, r.delay.unwrap_or(0), state.now(), admin.by()).await {
        Ok(kid) => Ok((StatusCode::CREATED, Json(Rotated { kid }))),
        Err(e @ RotateError::Delay) => Err(Problem::invalid("invalid_value", "delay", e.to_string()).into()),
        Err(RotateError::Failed(e)) => Err(e).problem_err(),
    }
}
