//! The operator's API at `/_trame/admin/api/v1`: the installation's
//! tenants, listed by pages however many there are, created, changed and
//! removed with the rules of `trame tenant add|update|remove`. Its tokens
//! are the default tenant's, and only an operator's open it.
//!
//! A change takes effect on this node at once: it refreshes its catalog
//! before answering, so the next request (a discovery document of a new
//! tenant, a removed tenant's 404) already sees it. Every other node sees
//! it at its next catalog poll, within about a second (the store's catalog
//! version, bumped in the change's transaction).

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use trame_app::tenants::{self, ChangeError, TenantRefusal};
use trame_core::ids::IdError;
use trame_core::tenant::Tenant;
use trame_store::{StoreError, TenantCounts};
use utoipa::{IntoParams, ToSchema};

use super::caller::Admin;
use super::input::{self, IfMatch};
use crate::error::{ApiError, ApiResult, OrApi, Surface};
use crate::problem::Problem;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantView {
    pub slug: String,
    pub issuer: String,
    pub display_name: String,
    /// Who may create an account: `open`, `invite` or `closed`.
    pub registration: String,
    /// Accounts, counted up to 10,000 (see `users_capped`).
    pub users: u64,
    /// The tenant has more accounts than `users`: counting stops at
    /// 10,000, so a page of tenants costs the same whatever their size.
    pub users_capped: bool,
    pub clients: u64,
    /// The IANA time zone its pages write times in (`trame tenant set
    /// --time-zone`, or its console's settings page).
    pub time_zone: String,
}

/// Accounts are counted up to this many.
const COUNT_CAP: u64 = 10_000;

fn view_with(t: Tenant, counts: &HashMap<String, TenantCounts>) -> TenantView {
    let n = counts.get(&t.id).copied().unwrap_or_default();
    TenantView {
        slug: t.slug.to_string(),
        issuer: t.issuer.as_str().to_owned(),
        display_name: t.display_name,
        registration: t.settings.registration.as_str().to_owned(),
        time_zone: t.settings.time_zone.to_string(),
        users: n.users,
        users_capped: n.users_capped,
        clients: n.clients,
    }
}

async fn view(state: &AppState, t: Tenant) -> ApiResult<TenantView> {
    let counts = state.store.tenant_counts(std::slice::from_ref(&t.id), COUNT_CAP).await.problem_err()?;
    Ok(view_with(t, &counts))
}

/// The entity tag of a tenant's settings this API changes (issuer,
/// display name, time zone): a digest of them rather than a version
/// column, since the update compares the same values in its one
/// conditional `UPDATE`
/// (`Store::set_tenant_identity_if`). Two administrators who read the same
/// settings cannot both write: the second's `UPDATE` finds no row with
/// what it read, whichever node each is on; a digest only ever matches the
/// very values it was made of. The counts in the body are not covered: they
/// change without the tenant's settings changing.
fn etag(t: &Tenant) -> String {
    let zone = t.settings.time_zone.as_str();
    let mut seen = Vec::with_capacity(t.issuer.as_str().len() + t.display_name.len() + zone.len() + 2);
    seen.extend_from_slice(t.issuer.as_str().as_bytes());
    seen.push(0);
    seen.extend_from_slice(t.display_name.as_bytes());
    seen.push(0);
    seen.extend_from_slice(zone.as_bytes());
    input::digest_etag(&seen)
}

/// A tenant as the API shows it, with its `ETag`.
async fn versioned(state: &AppState, status: StatusCode, t: Tenant) -> ApiResult<Response> {
    let tag = etag(&t);
    let mut r = (status, Json(view(state, t).await?)).into_response();
    if let Ok(v) = HeaderValue::from_str(&tag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    Ok(r)
}

/// After a change: this node serves it from now on (the others within a
/// catalog poll). The change is made whatever happens here: a refresh
/// that fails is logged, not answered as a failure, and this node's
/// poller catches up within a second like the others.
pub(super) async fn refresh(state: &AppState) {
    if let Err(e) = state.catalog.refresh(&state.store, state.now()).await {
        tracing::warn!(error = %e, "catalog not refreshed after a tenant change; the next poll will");
    }
}

/// A refused slug, issuer, display name or time zone, as the field at
/// fault.
fn refusal(r: TenantRefusal) -> Problem {
    let field = match &r {
        TenantRefusal::Id(IdError::BadSlug | IdError::ReservedSlug(_)) => "slug",
        TenantRefusal::Id(_) => "issuer",
        TenantRefusal::DisplayName => "display_name",
        TenantRefusal::TimeZone(_) => "time_zone",
    };
    Problem::invalid("invalid_value", field, r.to_string())
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
    // The page's counts in two statements, not two per tenant.
    let ids: Vec<String> = tenants.iter().map(|t| t.id.clone()).collect();
    let counts = state.store.tenant_counts(&ids, COUNT_CAP).await.problem_err()?;
    let items = tenants.into_iter().map(|t| view_with(t, &counts)).collect();
    Ok(Json(TenantPage { items, next_cursor }))
}

/// A new tenant. It gets its signing and federation keys at once, and no
/// account nor client.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    /// 1 to 63 lowercase letters, digits and `-`; not an endpoint's name.
    pub slug: String,
    /// Its issuer URL; by default `<public_url>/<slug>`.
    pub issuer: Option<String>,
    /// 1 to 200 printable characters; by default the slug.
    pub display_name: Option<String>,
}

/// Creates a tenant, served at once.
#[utoipa::path(post, path = "/tenants", tag = "tenants", request_body = NewTenant,
    responses((status = 201, body = TenantView, headers(("ETag" = String), ("Location" = String))), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 409, body = Problem, description = "The slug or the issuer is another tenant's"), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create(State(state): State<AppState>, admin: Admin, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    admin.may_operate()?;
    let n: NewTenant = input::body(&headers, &body)?;
    let new = tenants::check(&state.config.public_url, &n.slug, n.issuer.as_deref(), n.display_name.as_deref()).map_err(refusal)?;
    let t = match tenants::create(&state.store, new, state.now(), admin.by()).await {
        Ok(t) => t,
        Err(StoreError::Conflict(_)) => {
            // Which of the two: the slug, or else the issuer.
            let field = if state.store.tenant_by_slug(&n.slug).await.problem_err()?.is_some() { "slug" } else { "issuer" };
            return Err(Problem::new(StatusCode::CONFLICT, "tenant_exists", format!("another tenant has this {field}")).at(field).into());
        }
        Err(e) => return Err(e).problem_err(),
    };
    refresh(&state).await;
    let location = format!("{}{}/tenants/{}", admin.tenant.tenant.issuer.origin(), super::OPERATOR_BASE, t.slug);
    let mut r = versioned(&state, StatusCode::CREATED, t).await?;
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// Reads a tenant; its `ETag` is what an update's `If-Match` names.
#[utoipa::path(get, path = "/tenants/{slug}", tag = "tenants", params(("slug" = String, Path)),
    responses((status = 200, body = TenantView, headers(("ETag" = String))), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, admin: Admin, Path(slug): Path<String>) -> ApiResult<Response> {
    admin.operator()?;
    let t = state.store.tenant_by_slug(&slug).await.problem_err()?.ok_or_else(|| Problem::not_found("tenant"))?;
    versioned(&state, StatusCode::OK, t).await
}

/// The settings to change (JSON merge patch, RFC 7396): absent members
/// stay. None may be cleared (`null`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantChange {
    /// A new issuer: every relying party of the tenant must then be
    /// reconfigured (discovery moves, tokens carry the old `iss`). Set this
    /// way, the default tenant's issuer no longer follows `public_url`.
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub issuer: Option<Option<String>>,
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub display_name: Option<Option<String>>,
    /// The IANA time zone its pages write times in (`Europe/Paris`,
    /// `Indian/Reunion`, `America/Cayenne`…).
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub time_zone: Option<Option<String>>,
}

/// A member of a merge patch that may be changed, not removed.
fn kept(v: Option<Option<String>>, field: &'static str) -> ApiResult<Option<String>> {
    match v {
        Some(None) => Err(Problem::invalid("invalid_value", field, format!("a tenant always has its {field}: it cannot be removed (null)")).into()),
        v => Ok(v.flatten()),
    }
}

/// Changes a tenant's issuer, display name or time zone, if they are
/// still what the `If-Match` tag was read from.
#[utoipa::path(patch, path = "/tenants/{slug}", tag = "tenants", params(("slug" = String, Path), ("If-Match" = String, Header, description = "The ETag read, or *")),
    request_body(content = TenantChange, content_type = "application/merge-patch+json"),
    responses((status = 200, body = TenantView, headers(("ETag" = String))), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "The issuer is another tenant's"), (status = 412, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(State(state): State<AppState>, admin: Admin, Path(slug): Path<String>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    admin.may_operate()?;
    let condition = IfMatch::from_headers(&headers)?;
    let c: TenantChange = input::body(&headers, &body)?;
    let (issuer, display_name, time_zone) = (kept(c.issuer, "issuer")?, kept(c.display_name, "display_name")?, kept(c.time_zone, "time_zone")?);
    let current = state.store.tenant_by_slug(&slug).await.problem_err()?.ok_or_else(|| Problem::not_found("tenant"))?;
    if !condition.matches(&etag(&current)) {
        return Err(input::stale().into());
    }
    // With `*`, whatever is stored; otherwise only what was read.
    let read = match condition {
        IfMatch::Any => None,
        IfMatch::Tags(_) => Some(&current),
    };
    let change = tenants::Change { issuer: issuer.as_deref(), display_name: display_name.as_deref(), time_zone: time_zone.as_deref() };
    let done = tenants::update(&state.store, &slug, change, read, state.now(), admin.by()).await;
    let updated = done.map_err(refused)?;
    refresh(&state).await;
    versioned(&state, StatusCode::OK, updated.tenant).await
}

/// Why an update or a removal changed nothing, as a problem.
fn refused(e: ChangeError) -> ApiError {
    match e {
        ChangeError::Refused(r) => refusal(r).into(),
        ChangeError::NotFound(_) => Problem::not_found("tenant").into(),
        e @ ChangeError::IssuerTaken { .. } => Problem::new(StatusCode::CONFLICT, "tenant_exists", e.to_string()).at("issuer").into(),
        ChangeError::Stale => input::stale().into(),
        ChangeError::Default => Problem::new(
            StatusCode::CONFLICT,
            "default_tenant",
            "the default tenant cannot be removed: it holds the installation's operators, and its issuer is public_url's",
        )
        .into(),
        ChangeError::Failed(e) => ApiError::from_app(e, Surface::Problem),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Confirm {
    /// The tenant's slug again: removal cannot be undone.
    confirm: Option<String>,
}

/// Removes a tenant and everything it holds (accounts, clients, keys,
/// grants, consents, its audit records) in one transaction; the removal
/// itself stays in the installation's audit trail. It stops being served
/// at once; its people's sessions and tokens stop working with it. The
/// default tenant stays.
#[utoipa::path(delete, path = "/tenants/{slug}", tag = "tenants", params(("slug" = String, Path), Confirm),
    responses((status = 204), (status = 400, body = Problem, description = "confirm is missing or is not the slug"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "The default tenant")))]
pub async fn remove(State(state): State<AppState>, admin: Admin, Path(slug): Path<String>, RawQuery(raw): RawQuery) -> ApiResult<StatusCode> {
    admin.may_operate()?;
    let q: Confirm = input::query(raw.as_deref())?;
    if q.confirm.as_deref() != Some(slug.as_str()) {
        return Err(Problem::bad_request(
            "removing a tenant deletes its accounts, clients, keys and audit records and cannot be undone: confirm with ?confirm=<the tenant's slug>",
        )
        .at("confirm")
        .into());
    }
    tenants::remove(&state.store, &slug, state.now(), admin.by()).await.map_err(refused)?;
    refresh(&state).await;
    Ok(StatusCode::NO_CONTENT)
}
