//! `/admin/clients`: the tenant's services. Registered from a form with
//! the CLI's rules (the form becomes an RFC 7591 registration request, so
//! it is checked exactly as `trame client add` and the API check it); the
//! secret is shown once; removal asks for the client id to be typed.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::{Value, context};
use serde_json::json;
use trame_app::clients::{self, CreateError};
use trame_core::client::{AuthMethod, Client};
use trame_core::ids::ClientId;
use trame_core::registration::ClientRequest;

use super::guard::Console;
use super::{NoticeQuery, back, field, guard, not_found, notice, page, page_with, segment};
use crate::error::{ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams};
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// What kind of service a form registers: the registration request's
/// grant types and client authentication follow from it.
const KINDS: &[&str] = &["web", "public", "service"];

fn kind_of(c: &Client) -> &'static str {
    let s = &c.settings;
    if s.redirect_uris.is_empty() {
        "service"
    } else if s.auth_method == AuthMethod::None {
        "public"
    } else {
        "web"
    }
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> ApiResult<Response> {
    let c = match guard::enter(&state, &tenant, &headers, ip).await? {
        Ok(c) => c,
        Err(redirect) => return Ok(redirect),
    };
    let all = state.store.list_clients(&tenant.tenant.id).await.html_err()?;
    let rows: Vec<_> = all
        .iter()
        .map(|k| {
            context! {
                id => k.id.as_str(),
                href => format!("clients/{}", segment(k.id.as_str())),
                name => k.settings.name.clone(),
                kind => format!("console-kind-{}", kind_of(k)),
                federation => k.federation.is_some(),
            }
        })
        .collect();
    Ok(page(&state, &tenant, &headers, &c, "clients", "console_clients.html", context! { clients => rows, notice => notice(q.notice) }))
}

/// The registration form, empty or as it was sent with what is wrong.
fn form(
    state: &AppState,
    tenant: &TenantCtx,
    headers: &HeaderMap,
    c: &Console,
    status: StatusCode,
    values: Value,
    error: Option<(String, String)>,
) -> Response {
    let (error_field, error_detail) = error.unzip();
    let ctx = context! { kinds => KINDS.to_vec(), form => values, error_field => error_field, error_detail => error_detail };
    page_with(state, tenant, headers, c, status, "clients", "console_client_new.html", ctx)
}

pub async fn new(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, headers: HeaderMap) -> ApiResult<Response> {
    let c = match guard::enter(&state, &tenant, &headers, ip).await? {
        Ok(c) => c,
        Err(redirect) => return Ok(redirect),
    };
    let values = context! { kind => "web", scope => "openid profile email" };
    Ok(form(&state, &tenant, &headers, &c, StatusCode::OK, values, None))
}

/// One per line (or separated by spaces).
fn lines(v: Option<&str>) -> Vec<String> {
    v.unwrap_or_default().split_whitespace().map(str::to_owned).collect()
}

pub async fn create(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let c = guard::act(&state, &tenant, &headers, ip, &f).await?;
    let (id, name, kind, scope) = (field(&f, "client_id"), field(&f, "client_name"), field(&f, "kind").unwrap_or("web"), field(&f, "scope"));
    let (redirects, logouts) = (field(&f, "redirect_uris"), field(&f, "post_logout_redirect_uris"));
    let values =
        context! { client_id => id, client_name => name, kind => kind, scope => scope, redirect_uris => redirects, post_logout_redirect_uris => logouts };
    let refuse = |field: &str, detail: String| {
        Ok(form(&state, &tenant, &headers, &c, StatusCode::UNPROCESSABLE_ENTITY, values.clone(), Some((field.to_owned(), detail))))
    };
    let client_id = match ClientId::parse(id.unwrap_or_default()) {
        Ok(id) => id,
        Err(e) => return refuse("client_id", e.to_string()),
    };
    let mut body = json!({ "scope": scope.unwrap_or("openid") });
    if let Some(n) = name {
        body["client_name"] = json!(n);
    }
    match kind {
        "web" | "public" => {
            body["redirect_uris"] = json!(lines(redirects));
            body["post_logout_redirect_uris"] = json!(lines(logouts));
            body["grant_types"] = json!(["authorization_code", "refresh_token"]);
            body["token_endpoint_auth_method"] = json!(if kind == "web" { "client_secret_basic" } else { "none" });
        }
        "service" => {
            body["grant_types"] = json!(["client_credentials"]);
            body["response_types"] = json!([]);
            body["token_endpoint_auth_method"] = json!("client_secret_basic");
        }
        _ => return refuse("kind", String::new()),
    }
    let req = match ClientRequest::from_json(&body) {
        Ok(r) => r,
        Err(e) => return refuse(e.field(), e.to_string()),
    };
    let made = match clients::create(state.app(), &tenant.tenant, client_id, req, None, c.by()).await {
        Ok(m) => m,
        Err(CreateError::Metadata(e)) => return refuse(e.field(), e.to_string()),
        Err(CreateError::Taken(_)) => return refuse("client_id", String::new()),
        Err(CreateError::Failed(e)) => return Err(e).html_err(),
        Err(e) => return refuse("client_secret", e.to_string()),
    };
    let id = made.client.id.as_str().to_owned();
    let ctx = context! { client_id => id.clone(), href => format!("clients/{}", segment(&id)), secret => made.generated_secret, created => true };
    Ok(page_with(&state, &tenant, &headers, &c, StatusCode::CREATED, "clients", "console_client_secret.html", ctx))
}

/// A registration metadata value as the page lists it.
fn shown(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Array(items) => items.iter().flat_map(shown).collect(),
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> ApiResult<Response> {
    let c = match guard::enter(&state, &tenant, &headers, ip).await? {
        Ok(c) => c,
        Err(redirect) => return Ok(redirect),
    };
    let k = state.store.client(&tenant.tenant.id, &id).await.html_err()?.ok_or_else(not_found)?;
    let metadata: Vec<_> = trame_app::registration::metadata(&k).iter().map(|(name, v)| context! { name => name, values => shown(v) }).collect();
    let ctx = context! {
        client_id => k.id.as_str(),
        href => format!("clients/{}", segment(k.id.as_str())),
        name => k.settings.name.clone(),
        kind => format!("console-kind-{}", kind_of(&k)),
        has_secret => k.settings.auth_method.uses_secret(),
        federation => k.federation.is_some(),
        metadata => metadata,
        notice => notice(q.notice),
    };
    Ok(page(&state, &tenant, &headers, &c, "clients", "console_client.html", ctx))
}

/// A new secret, shown once, after the client id is typed to confirm:
/// the previous one stops working at once.
pub async fn rotate_secret(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let c = guard::act(&state, &tenant, &headers, ip, &f).await?;
    if field(&f, "confirm") != Some(id.as_str()) {
        return Ok(back(&tenant, &format!("/admin/clients/{}", segment(&id)), "console-unconfirmed"));
    }
    let secret = clients::rotate_secret(state.app(), &tenant, &id, c.by()).await.html_err()?.ok_or_else(not_found)?;
    let ctx = context! { client_id => id.clone(), href => format!("clients/{}", segment(&id)), secret => secret, created => false };
    Ok(page(&state, &tenant, &headers, &c, "clients", "console_client_secret.html", ctx))
}

/// Removes the client, once its id is typed to confirm: its tokens stop.
pub async fn delete(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let c = guard::act(&state, &tenant, &headers, ip, &f).await?;
    let k = state.store.client(&tenant.tenant.id, &id).await.html_err()?.ok_or_else(not_found)?;
    let id = k.id.as_str();
    if field(&f, "confirm") != Some(id) {
        return Ok(back(&tenant, &format!("/admin/clients/{}", segment(id)), "console-unconfirmed"));
    }
    if !clients::remove(state.app(), &tenant, id, c.by()).await.html_err()? {
        return Err(not_found());
    }
    Ok(back(&tenant, "/admin/clients", "console-client-deleted"))
}
