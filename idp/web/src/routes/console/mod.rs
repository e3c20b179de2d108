//! The administration console at `<issuer>/admin`: the tenant's accounts,
//! clients, settings, branding, signing keys and audit trail, and for operators the
//! installation's tenants. Server-rendered pages of the theme, for the
//! people whose account holds a role ([`guard`]); every change is a form
//! post with the session's CSRF token, answered by a redirect back with a
//! notice. The work is `trame_app`'s: the same functions the admin API and
//! the CLI call.

mod audit_log;
mod branding;
mod clients;
mod guard;
mod keys;
mod settings;
mod tenants;
mod upload;
mod users;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use minijinja::{Value, context};

use self::guard::Console;
use crate::error::ApiResult;
use crate::extract::ClientIp;
use crate::render::lang_of;
use crate::respond::see_other;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/users", get(users::list))
        .route("/admin/users/{id}", get(users::show))
        .route("/admin/users/{id}/disable", post(users::disable))
        .route("/admin/users/{id}/enable", post(users::enable))
        .route("/admin/users/{id}/end-sessions", post(users::end_sessions))
        .route("/admin/users/{id}/reset", post(users::reset))
        .route("/admin/users/{id}/delete", post(users::delete))
        .route("/admin/clients", get(clients::list).post(clients::create))
        .route("/admin/clients/new", get(clients::new))
        .route("/admin/clients/{id}", get(clients::show))
        .route("/admin/clients/{id}/secret", post(clients::rotate_secret))
        .route("/admin/clients/{id}/delete", post(clients::delete))
        .route("/admin/keys", get(keys::list))
        .route("/admin/keys/rotate", post(keys::rotate))
        .route("/admin/audit", get(audit_log::list))
        .route("/admin/settings", get(settings::show).post(settings::update))
        .route("/admin/settings/time-zone", post(settings::time_zone))
        .route("/admin/branding", get(branding::show).post(branding::update))
        .route("/admin/tenants", get(tenants::list))
}

/// The console opens on its accounts.
async fn home(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, headers: HeaderMap) -> ApiResult<Response> {
    match guard::enter(&state, &tenant, &headers, ip).await? {
        Ok(_) => Ok(see_other(&tenant.tenant.issuer.endpoint("/admin/users"))),
        Err(redirect) => Ok(redirect),
    }
}

/// The notices a page may show after a change (a fixed list: the query
/// string never puts arbitrary text on the page).
const NOTICES: &[&str] = &[
    "console-user-disabled",
    "console-user-enabled",
    "console-user-deleted",
    "console-user-sessions-ended",
    "console-user-reset-link-sent",
    "console-user-reset-no-address",
    "console-last-operator",
    "console-unconfirmed",
    "console-client-deleted",
    "console-key-rotated",
    "console-settings-saved",
    "console-settings-stale",
    "console-time-zone-saved",
    "console-branding-saved",
    "console-branding-stale",
];

/// The query of a page that may show a notice.
#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

fn notice(q: Option<String>) -> Option<String> {
    q.filter(|n| NOTICES.contains(&n.as_str()))
}

/// A console page: the template with what every console page shows (the
/// tenant, the navigation with `section` current, the CSRF token, whether
/// the person may change things or is an operator). Never cached: it
/// shows personal data.
fn page(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, c: &Console, section: &str, template: &'static str, ctx: Value) -> Response {
    page_with(state, tenant, headers, c, StatusCode::OK, section, template, ctx)
}

#[allow(clippy::too_many_arguments)]
fn page_with(
    state: &AppState,
    tenant: &TenantCtx,
    headers: &HeaderMap,
    c: &Console,
    status: StatusCode,
    section: &str,
    template: &'static str,
    ctx: Value,
) -> Response {
    let t = &tenant.tenant;
    let common = context! {
        lang => lang_of(&state.themes, headers),
        tenant => crate::branding::view(t),
        base => t.issuer.path_prefix(),
        csrf => c.csrf.clone(),
        section => section,
        may_write => c.may_write(tenant),
        operator => c.rights.operator,
    };
    let mut r = state.themes.page(status, template, context! { ..common, ..ctx });
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Back to a console page after a change, with a notice.
fn back(tenant: &TenantCtx, path: &str, notice: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    see_other(&tenant.tenant.issuer.endpoint(&format!("{path}{sep}notice={notice}")))
}

/// A query string from pairs (for the "next page" links).
fn query_string(pairs: &[(&str, Option<&str>)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

/// What a path segment keeps as is: RFC 3986's unreserved characters.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A path segment from data (an id), escaped.
fn segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

/// Records what the person did, from their address (for the actions the
/// use case itself does not record).
async fn audited(state: &AppState, tenant: &TenantCtx, c: &Console, action: &'static str, target: String) {
    use trame_app::audit::{self, Event};
    let event = Event::new(&tenant.tenant.id, c.by(), action).on(target);
    audit::record(&state.store, state.now(), event).await;
}

fn not_found() -> crate::error::ApiError {
    crate::error::ApiError::page(StatusCode::NOT_FOUND, "error-not-found")
}

/// The form's value of a field, trimmed; `None` when absent or blank.
fn field<'a>(f: &'a [(String, String)], name: &str) -> Option<&'a str> {
    crate::extract::single(f, name).ok().flatten().map(str::trim).filter(|v| !v.is_empty())
}
