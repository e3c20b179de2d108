//! Liveness and readiness.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::AppState;

/// How long readiness waits for each store. Probes time out in a second or
/// two: a store that has not answered by then counts as down, rather than
/// the probe itself timing out (the database pool alone waits 5 s for a
/// connection).
const PING_TIMEOUT: Duration = Duration::from_secs(1);

pub async fn live() -> &'static str {
    "ok"
}

/// Ready when the server is not stopping and the database and the
/// ephemeral store answer.
pub async fn ready(State(state): State<AppState>) -> Response {
    let draining = state.is_draining();
    let (db, eph) = tokio::join!(
        tokio::time::timeout(PING_TIMEOUT, state.store.ping()),
        tokio::time::timeout(PING_TIMEOUT, state.ephemeral.ping()),
    );
    let db = matches!(db, Ok(Ok(())));
    let eph = matches!(eph, Ok(Ok(())));
    let status = if db && eph && !draining { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(json!({"database": db, "ephemeral": eph, "draining": draining, "tenants": state.catalog.tenant_count()}))).into_response()
}
