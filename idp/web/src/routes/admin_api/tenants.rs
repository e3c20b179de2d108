//! The operator's API at `/_trame/admin/api/v1`: the installation's
//! tenants, listed by pages however many there are. Its tokens are the
//! default tenant's, and only an operator's open it.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use serde::{Deserialize, Serialize};
use trame_core::tenant::Tenant;
use utoipa::{IntoParams, ToSchema};

use super::caller::Admin;
use super::input;
use crate::error::{ApiResult, OrApi};
use crate::problem::Problem;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantView {
    pub slug: String,
    pub issuer: String,
    pub display_name: String,
    /// Who may create an account: `open`, `invite` or `closed`.
    pub registration: String,
    pub users: u64,
    pub clients: u64,
}

async fn view(state: &AppState, t: Tenant) -> ApiResult<TenantView> {
    let users = state.store.count_users(&t.id).await.problem_err()?;
    let clients = state.store.count_clients(&t.id).await.problem_err()?;
    Ok(TenantView {
        slug: t.slug.to_string(),
        issuer: t.issuer.as_str().to_owned(),
        display_name: t.display_name,
        registration: t.settings.registration.as_str().to_owned(),
        users,
        clients,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Page {
    cursor: Option<String>,
    /// 1 to 200 (default 50).
    limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantPage {
    pub items: Vec<TenantView>,
    pub next_cursor: Option<String>,
}

/// Lists the tenants, in slug order, with their counts.
#[utoipa::path(get, path = "/tenants", tag = "tenants", params(Page),
    responses((status = 200, body = TenantPage), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(State(state): State<AppState>, admin: Admin, RawQuery(raw): RawQuery) -> ApiResult<Json<TenantPage>> {
    admin.operator()?;
    let p: Page = input::query(raw.as_deref())?;
    let after = input::cursor_in(p.cursor.as_deref())?;
    let (tenants, more) = state.store.tenants_page(after.as_deref(), input::limit(p.limit, 50, 200)?).await.problem_err()?;
    let next_cursor = if more { tenants.last().map(|t| input::cursor_out(t.slug.as_str())) } else { None };
    let mut items = Vec::with_capacity(tenants.len());
    for t in tenants {
        items.push(view(&state, t).await?);
    }
    Ok(Json(TenantPage { items, next_cursor }))
}

/// Reads a tenant.
#[utoipa::path(get, path = "/tenants/{slug}", tag = "tenants", params(("slug" = String, Path)),
    responses((status = 200, body = TenantView), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, admin: Admin, Path(slug): Path<String>) -> ApiResult<Json<TenantView>> {
    admin.operator()?;
    let t = state.store.tenant_by_slug(&slug).await.problem_err()?.ok_or_else(|| Problem::not_found("tenant"))?;
    Ok(Json(view(&state, t).await?))
}
