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

/// Ready when the server is not stopping and the database and the
/// ephemeral store answer.
pub async fn ready(State(state): State<AppState>) -> Response {
    let r = state.readiness().await;
    let status = if r.ready() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(json!({"database": r.database, "ephemeral": r.ephemeral, "draining": r.draining, "tenants": state.catalog.tenant_count()}))).into_response()
}
