//! `/audit`: the tenant's audit trail, newest first, filtered.

use axum::Json;
use axum::extract::{RawQuery, State};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use trame_store::AuditQuery;
use utoipa::{IntoParams, ToSchema};

use super::caller::Admin;
use super::input;
use crate::error::{ApiResult, OrApi};
use crate::problem::Problem;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Who acted: `user:<id>`, `client:<client id>` or `cli:<os user>`.
    actor: Option<String>,
    /// What it was done to: `user:<id>`, `client:<client id>`.
    target: Option<String>,
    /// An account's whole trail: what was done to it and what it did.
    user: Option<String>,
    /// The event type, e.g. `user.disabled`, `sign_in`.
    action: Option<String>,
    /// From this time (Unix seconds, included).
    since: Option<i64>,
    /// Until this time (Unix seconds, excluded).
    until: Option<i64>,
    cursor: Option<String>,
    /// 1 to 1000 (default 100).
    limit: Option<u64>,
}

/// One audit record. Addresses are truncated to their network after the
/// installation's `audit_address_days`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditRecord {
    pub id: String,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    /// `success` or `failure`.
    pub outcome: String,
    pub address: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub detail: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditRecord>,
    pub next_cursor: Option<String>,
}

/// Lists audit records, newest first.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditFilter),
    responses((status = 200, body = AuditPage), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(State(state): State<AppState>, admin: Admin, RawQuery(raw): RawQuery) -> ApiResult<Json<AuditPage>> {
    let f: AuditFilter = input::query(raw.as_deref())?;
    if f.since.zip(f.until).is_some_and(|(s, u)| s >= u) {
        return Err(Problem::bad_request("since must come before until").at("since").into());
    }
    let limit = input::limit(f.limit, 100, 1000)?;
    let q = AuditQuery {
        tenant_id: Some(admin.tenant.tenant.id.clone()),
        subject: f.user.map(|u| trame_app::audit::user(&u)),
        actor: f.actor,
        target: f.target,
        action: f.action,
        since: f.since,
        until: f.until,
        before: input::cursor_in(f.cursor.as_deref())?,
        // One more than asked, to know whether a next page exists.
        limit: limit + 1,
    };
    let mut rows = state.store.audit_events(&q).await.problem_err()?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|r| input::cursor_out(&r.id)) } else { None };
    let items = rows
        .into_iter()
        .map(|e| AuditRecord {
            id: e.id,
            at: e.at,
            actor: e.actor,
            action: e.action,
            target: e.target,
            outcome: e.outcome,
            address: e.address,
            detail: e.detail,
        })
        .collect();
    Ok(Json(AuditPage { items, next_cursor }))
}
