//! `/admin/audit`: the tenant's audit trail, newest first, filtered by
//! account (its username), action, who acted and days.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::{Value, context};
use serde::Deserialize;
use trame_store::{AuditEvent, AuditQuery};

use super::{guard, page_with, query_string};
use crate::dates::{Dates, day_end, day_start};
use crate::error::{ApiResult, OrApi};
use crate::extract::ClientIp;
use crate::render::lang_of;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// Records per page.
const PAGE: u64 = 50;

#[derive(Deserialize)]
pub struct Filter {
    /// A username: what was done to the account and what it did.
    user: Option<String>,
    action: Option<String>,
    /// `user:<id>`, `client:<id>`, `cli:<os user>`.
    actor: Option<String>,
    /// Days, `YYYY-MM-DD`, both included.
    since: Option<String>,
    until: Option<String>,
    /// The last record of the previous page.
    before: Option<String>,
}

fn blank(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Records as rows of the tables (here and on an account's page), the
/// accounts named by their username where they still exist.
pub async fn rows(state: &AppState, tenant_id: &str, events: Vec<AuditEvent>, dates: &Dates) -> ApiResult<Vec<Value>> {
    let names = usernames(state, tenant_id, &events).await?;
    Ok(events.into_iter().map(|e| row_named(e, &names, dates)).collect())
}

fn row_named(e: AuditEvent, names: &HashMap<String, String>, dates: &Dates) -> Value {
    let name = |who: &str| names.get(who).cloned().unwrap_or_else(|| who.to_owned());
    context! {
        when => dates.date_time(e.at),
        actor => name(&e.actor),
        action => e.action,
        target => e.target.as_deref().map(name),
        failed => e.outcome == "failure",
        address => e.address,
    }
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(f): Query<Filter>,
) -> ApiResult<Response> {
    let c = match guard::enter(&state, &tenant, &headers, ip).await? {
        Ok(c) => c,
        Err(redirect) => return Ok(redirect),
    };
    let t = &tenant.tenant;
    let (user, action, actor) = (blank(f.user), blank(f.action), blank(f.actor));
    let (since_day, until_day) = (blank(f.since), blank(f.until));
    let since = since_day.as_deref().map(|d| day_start(d, &t.settings.time_zone));
    let until = until_day.as_deref().map(|d| day_end(d, &t.settings.time_zone));
    let mut invalid = Vec::new();
    if since == Some(None) {
        invalid.push("since");
    }
    if until == Some(None) {
        invalid.push("until");
    }
    let (since, until) = (since.flatten(), until.flatten());
    if since.zip(until).is_some_and(|(s, u)| s >= u) {
        invalid.push("until");
    }
    // A username that is no account: nothing to show (not every record).
    let subject = match &user {
        Some(u) => Some(match state.store.user_for_sign_in(&t.id, u).await.html_err()? {
            Some(a) => trame_app::audit::user(&a.profile.id),
            None => String::new(),
        }),
        None => None,
    };
    let mut rows = Vec::new();
    let mut next = None;
    if invalid.is_empty() && subject.as_deref() != Some("") {
        let q = AuditQuery {
            tenant_id: Some(t.id.clone()),
            subject,
            actor: actor.clone(),
            action: action.clone(),
            since,
            until,
            before: blank(f.before),
            limit: PAGE + 1,
            ..Default::default()
        };
        let mut events = state.store.audit_events(&q).await.html_err()?;
        if events.len() as u64 > PAGE {
            events.truncate(PAGE as usize);
            let last = events.last().map(|e| e.id.clone());
            let pairs = [
                ("user", user.as_deref()),
                ("action", action.as_deref()),
                ("actor", actor.as_deref()),
                ("since", since_day.as_deref()),
                ("until", until_day.as_deref()),
                ("before", last.as_deref()),
            ];
            next = Some(format!("?{}", query_string(&pairs)));
        }
        rows = self::rows(&state, &t.id, events, &Dates::new(&state.themes, &lang_of(&state.themes, &headers), &t.settings.time_zone)).await?;
    }
    let status = if invalid.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let ctx = context! {
        user => user, action => action, actor => actor, since => since_day, until => until_day,
        invalid => invalid, records => rows, next => next,
    };
    Ok(page_with(&state, &tenant, &headers, &c, status, "audit", "console_audit.html", ctx))
}

/// The usernames of the accounts a page of records names, in one read
/// (erased accounts keep their id).
async fn usernames(state: &AppState, tenant_id: &str, events: &[AuditEvent]) -> ApiResult<HashMap<String, String>> {
    let mut ids: Vec<String> = Vec::new();
    for e in events {
        for who in std::iter::once(&e.actor).chain(e.target.as_ref()) {
            if let Some(id) = who.strip_prefix("user:")
                && !ids.iter().any(|x| x == id)
            {
                ids.push(id.to_owned());
            }
        }
    }
    let names = state.store.usernames_of(tenant_id, &ids).await.html_err()?;
    Ok(names.into_iter().map(|(id, name)| (trame_app::audit::user(&id), name)).collect())
}
