//! `/admin/users`: find an account among a million by the start of its
//! username, e-mail address or names; see it with its sessions, passkeys
//! and trail; disable, enable, end its sessions, reset its credentials,
//! delete it (after typing its username).

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use trame_app::users::{self, AccountChange, ResetOutcome};
use trame_core::aaguid;
use trame_store::{AuditQuery, UserSearch};

use super::{Console, NoticeQuery, back, field, guard, not_found, notice, page, query_string, segment};
use crate::dates::Dates;
use crate::error::{ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams};
use crate::render::lang_of;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// Accounts per page.
const PAGE: u64 = 50;

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    after: Option<String>,
    notice: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let c = match guard::enter(&state, &tenant, &headers, ip).await? {
        Ok(c) => c,
        Err(redirect) => return Ok(redirect),
    };
    let prefix = q.q.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(|p| p.chars().take(200).collect::<String>());
    let search = UserSearch { prefix: prefix.clone(), after: q.after.clone(), limit: PAGE };
    let found = state.store.search_users(&tenant.tenant.id, &search).await.html_err()?;
    let rows: Vec<_> = found
        .accounts
        .into_iter()
        .map(|a| {
            let p = a.profile;
            let name = [p.given_name.as_deref(), p.family_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
            context! { href => format!("users/{}", segment(&p.id)), username => p.username, name => name, email => p.email, disabled => a.disabled_at.is_some() }
        })
        .collect();
    let next = found.next.map(|after| format!("?{}", query_string(&[("q", prefix.as_deref()), ("after", Some(&after))])));
    let ctx = context! { q => prefix, users => rows, next => next, notice => notice(q.notice) };
    Ok(page(&state, &tenant, &headers, &c, "users", "console_users.html", ctx))
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
    let t = &tenant.tenant;
    let account = state.store.account(&t.id, &id).await.html_err()?.ok_or_else(not_found)?;
    let dates = Dates::new(&state.themes, &lang_of(&state.themes, &headers), &tenant.tenant.settings.time_zone);
    let (date, date_time) = (|ts| dates.date(ts), |ts| dates.date_time(ts));
    let sessions: Vec<_> = state
        .store
        .account_sessions(&t.id, &id, state.now())
        .await
        .html_err()?
        .into_iter()
        .map(|s| context! { label => s.label, created => date_time(s.created_at), expires => date_time(s.expires_at) })
        .collect();
    let passkeys: Vec<_> = state
        .store
        .passkeys_of(&t.id, &id)
        .await
        .html_err()?
        .iter()
        .map(|p| {
            context! {
                name => p.name.clone(),
                created => date(p.created_at),
                last_used => p.last_used_at.map(date),
                model => aaguid::model_name(&p.aaguid),
                synced => p.backup_eligible,
            }
        })
        .collect();
    let subject = trame_app::audit::user(&id);
    let roles = state.store.roles_of(&t.id, &subject).await.html_err()?;
    let query = AuditQuery { tenant_id: Some(t.id.clone()), subject: Some(subject), limit: 20, ..Default::default() };
    let trail = super::audit_log::rows(&state, &t.id, state.store.audit_events(&query).await.html_err()?, &dates).await?;
    let p = &account.profile;
    let ctx = context! {
        user => context! {
            id => p.id.clone(),
            href => format!("users/{}", segment(&p.id)),
            username => p.username.clone(),
            given_name => p.given_name.clone(),
            family_name => p.family_name.clone(),
            email => p.email.clone(),
            email_verified => p.email_verified,
            created => date(account.created_at),
            disabled => account.disabled_at.map(date),
            has_password => account.password_hash.is_some(),
            has_totp => account.has_totp,
            roles => roles,
        },
        sessions => sessions,
        passkeys => passkeys,
        records => trail,
        trail_href => format!("audit?{}", query_string(&[("user", Some(&p.username))])),
        mail_enabled => state.mailer.is_enabled(),
        notice => notice(q.notice),
    };
    Ok(page(&state, &tenant, &headers, &c, "users", "console_user.html", ctx))
}

/// The account a post is about, and the person posting.
async fn target(
    state: &AppState,
    tenant: &TenantCtx,
    headers: &HeaderMap,
    ip: Option<std::net::IpAddr>,
    id: &str,
    f: &[(String, String)],
) -> ApiResult<(Console, trame_store::Account)> {
    let c = guard::act(state, tenant, headers, ip, f).await?;
    let account = state.store.account(&tenant.tenant.id, id).await.html_err()?.ok_or_else(not_found)?;
    Ok((c, account))
}

fn user_path(id: &str) -> String {
    format!("/admin/users/{}", segment(id))
}

/// The page's answer to a change of the account.
fn changed(tenant: &TenantCtx, id: &str, done: AccountChange, notice: &str) -> ApiResult<Response> {
    match done {
        AccountChange::Done => Ok(back(tenant, &user_path(id), notice)),
        AccountChange::LastOperator => Ok(back(tenant, &user_path(id), "console-last-operator")),
        AccountChange::NotFound => Err(not_found()),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let (c, a) = target(&state, &tenant, &headers, ip, &id, &f).await?;
    let done = users::disable(state.app(), &tenant, &a.profile.id, c.by()).await.html_err()?;
    changed(&tenant, &a.profile.id, done, "console-user-disabled")
}

pub async fn enable(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let (c, a) = target(&state, &tenant, &headers, ip, &id, &f).await?;
    let done = users::enable(state.app(), &tenant, &a.profile.id, c.by()).await.html_err()?;
    changed(&tenant, &a.profile.id, done, "console-user-enabled")
}

pub async fn end_sessions(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let (c, a) = target(&state, &tenant, &headers, ip, &id, &f).await?;
    users::end_sessions(state.app(), &tenant, &a.profile.id).await.html_err()?;
    super::audited(&state, &tenant, &c, "user.sessions_ended", trame_app::audit::user(&a.profile.id)).await;
    Ok(back(&tenant, &user_path(&a.profile.id), "console-user-sessions-ended"))
}

/// Removes every credential of the account and ends its sessions, once its
/// username is typed to confirm; a recovery link goes to its verified
/// address, if it has one.
pub async fn reset(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let (c, a) = target(&state, &tenant, &headers, ip, &id, &f).await?;
    let id = a.profile.id;
    if field(&f, "confirm") != Some(a.profile.username.as_str()) {
        return Ok(back(&tenant, &user_path(&id), "console-unconfirmed"));
    }
    match users::reset_credentials(state.app(), &tenant, &id, c.by()).await.html_err()? {
        ResetOutcome::LinkSent(_) => Ok(back(&tenant, &user_path(&id), "console-user-reset-link-sent")),
        ResetOutcome::NoAddress(_) => Ok(back(&tenant, &user_path(&id), "console-user-reset-no-address")),
        ResetOutcome::LastOperator => Ok(back(&tenant, &user_path(&id), "console-last-operator")),
        ResetOutcome::NotFound => Err(not_found()),
    }
}

/// Erases the account (GDPR), once its username is typed to confirm.
pub async fn delete(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let (c, a) = target(&state, &tenant, &headers, ip, &id, &f).await?;
    let id = a.profile.id;
    if field(&f, "confirm") != Some(a.profile.username.as_str()) {
        return Ok(back(&tenant, &user_path(&id), "console-unconfirmed"));
    }
    match users::remove(state.app(), &tenant, &id, c.by()).await.html_err()? {
        AccountChange::Done => Ok(back(&tenant, "/admin/users", "console-user-deleted")),
        AccountChange::LastOperator => Ok(back(&tenant, &user_path(&id), "console-last-operator")),
        AccountChange::NotFound => Err(not_found()),
    }
}
