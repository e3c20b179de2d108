//! Liveness and readiness.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::AppState;

pub async fn live() -> &'static str {
    "ok"
}

/// Ready when the database and the ephemeral store answer.
pub async fn ready(State(state): State<AppState>) -> Response {
    let db = state.store.ping().await.is_ok();
    let eph = state.ephemeral.ping().await.is_ok();
    let status = if db && eph { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(json!({"database": db, "ephemeral": eph, "tenants": state.catalog.tenant_count()}))).into_response()
}
