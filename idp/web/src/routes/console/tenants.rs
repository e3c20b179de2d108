//! `/admin/tenants`, for operators: the installation's tenants by slug,
//! with how many accounts and clients each has, a page at a time (an
//! installation may have 10,000).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

use super::{guard, page, query_string};
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::ClientIp;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// Tenants per page.
const PAGE: u64 = 50;
/// Accounts are counted up to this many ("10000+" beyond): the list stays
/// as fast with a tenant of a million accounts.
const COUNT_CAP: u64 = 10_000;

#[derive(Deserialize)]
pub struct PageQuery {
    after: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> ApiResult<Response> {
    let c = match guard::enter(&state, &tenant, &headers, ip).await? {
        Ok(c) => c,
        Err(redirect) => return Ok(redirect),
    };
    if !c.rights.operator {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "console-operators-only"));
    }
    let (tenants, more) = state.store.tenants_page(q.after.as_deref(), PAGE).await.html_err()?;
    let ids: Vec<String> = tenants.iter().map(|t| t.id.clone()).collect();
    let counts = state.store.tenant_counts(&ids, COUNT_CAP).await.html_err()?;
    let rows: Vec<_> = tenants
        .iter()
        .map(|t| {
            let n = counts.get(&t.id).copied().unwrap_or_default();
            context! {
                slug => t.slug.as_str(),
                name => t.display_name.clone(),
                issuer => t.issuer.as_str(),
                console => t.issuer.endpoint("/admin"),
                users => n.users,
                users_capped => n.users_capped,
                clients => n.clients,
            }
        })
        .collect();
    let next = if more { tenants.last().map(|t| format!("?{}", query_string(&[("after", Some(t.slug.as_str()))]))) } else { None };
    Ok(page(&state, &tenant, &headers, &c, "tenants", "console_tenants.html", context! { tenants => rows, next => next }))
}
