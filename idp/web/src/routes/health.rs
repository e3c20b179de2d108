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

/// What readiness found.
pub struct Readiness {
    pub database: bool,
    pub ephemeral: bool,
    pub draining: bool,
}

impl Readiness {
    pub fn ready(&self) -> bool {
        self.database && self.ephemeral && !self.draining
    }
}

/// Asks both stores (at most [`PING_TIMEOUT`] each, at once) and records
/// the answer as gauges; used by `/_trame/ready` and by each metrics scrape.
pub async fn check(state: &AppState) -> Readiness {
    let draining = state.is_draining();
    let (db, eph) = tokio::join!(tokio::time::timeout(PING_TIMEOUT, state.store.ping()), tokio::time::timeout(PING_TIMEOUT, state.ephemeral.ping()),);
    let r = Readiness { database: matches!(db, Ok(Ok(()))), ephemeral: matches!(eph, Ok(Ok(()))), draining };
    crate::telemetry::readiness(r.database, r.ephemeral, r.ready());
    r
}

/// Ready when the server is not stopping and the database and the
/// ephemeral store answer.
pub async fn ready(State(state): State<AppState>) -> Response {
    let r = check(&state).await;
    let status = if r.ready() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(json!({"database": r.database, "ephemeral": r.ephemeral, "draining": r.draining, "tenants": state.catalog.tenant_count()}))).into_response()
}
