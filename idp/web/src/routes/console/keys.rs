//! `/admin/keys`: the tenant's token-signing keys, and their rotation.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use minijinja::context;
use trame_app::keys::{self, RotateError};

use super::{NoticeQuery, back, field, guard, notice, page};
use crate::dates::Dates;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams};
use crate::render::lang_of;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// The algorithms a new key may have, the default first.
const ALGS: &[&str] = &["ES256", "RS256", "EdDSA"];
/// When a new key starts signing: now, or after relying parties that
/// cache the key set for a day have seen it.
const DELAYS_HOURS: &[i64] = &[0, 24];

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
    let dates = Dates::new(&state.themes, &lang_of(&state.themes, &headers), &tenant.tenant.settings.time_zone);
    let date_time = |ts| dates.date_time(ts);
    let rows: Vec<_> = state
        .store
        .list_keys(&tenant.tenant.id, state.now())
        .await
        .html_err()?
        .into_iter()
        .map(|k| {
            context! {
                kid => k.kid,
                alg => k.alg.as_str(),
                status => format!("console-key-{}", k.status.as_str()),
                activates => date_time(k.activates_at),
                created => date_time(k.created_at),
            }
        })
        .collect();
    Ok(page(
        &state,
        &tenant,
        &headers,
        &c,
        "keys",
        "console_keys.html",
        context! { keys => rows, algs => ALGS.to_vec(), delays => DELAYS_HOURS.to_vec(), notice => notice(q.notice) },
    ))
}

pub async fn rotate(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let c = guard::act(&state, &tenant, &headers, ip, &f).await?;
    let bad = || ApiError::page(axum::http::StatusCode::BAD_REQUEST, "console-invalid-form");
    let alg = trame_core::keys::issued(field(&f, "alg").unwrap_or("ES256")).ok_or_else(bad)?;
    let hours = field(&f, "delay_hours").unwrap_or("0").parse::<i64>().ok().filter(|h| DELAYS_HOURS.contains(h)).ok_or_else(bad)?;
    match keys::rotate(&state.store, &tenant.tenant, alg, hours * 3_600, state.now(), c.by()).await {
        Ok(_) => Ok(back(&tenant, "/admin/keys", "console-key-rotated")),
        Err(RotateError::Delay) => Err(bad()),
        Err(RotateError::Failed(e)) => Err(e).html_err(),
    }
}
