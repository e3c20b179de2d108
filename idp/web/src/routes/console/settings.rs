//! `/admin/settings`: the tenant as its people see it (display name, the
//! time zone its pages write times in) and its policies. The display name
//! and the time zone are changed here; the policies, which change what
//! citizens may do, are shown with the CLI command that changes them
//! (`trame tenant set`), run by the installation's operator.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use trame_app::tenants::{self, ChangeError};

use super::guard::Console;
use super::{NoticeQuery, back, field, guard, notice, page_with};
use crate::error::{ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams};
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// The zones the field suggests: metropolitan France and the overseas
/// collectivités (any other IANA name is taken too).
const SUGGESTED_ZONES: &[&str] = &[
    "Europe/Paris",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
    "America/Miquelon",
    "America/St_Barthelemy",
    "America/Marigot",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "Pacific/Marquesas",
    "Pacific/Gambier",
    "Pacific/Wallis",
    "Indian/Kerguelen",
];

/// What the page shows in error, if anything: the display name, or the time
/// zone as it was typed.
enum Invalid {
    None,
    DisplayName,
    TimeZone(String),
}

fn settings_page(
    state: &AppState,
    tenant: &TenantCtx,
    headers: &HeaderMap,
    c: &Console,
    status: StatusCode,
    notice: Option<String>,
    invalid: Invalid,
) -> Response {
    let t = &tenant.tenant;
    let s = &t.settings;
    let policies = [
        ("registration", s.registration.as_str().to_owned()),
        ("dynamic-registration", s.dynamic_registration.as_str().to_owned()),
        ("usernames", s.usernames.as_str().to_owned()),
        ("credential-upgrade", s.credential_upgrade.as_str().to_owned()),
        ("acr-rules", s.acr_policy.to_rules().join(", ")),
    ];
    let policies: Vec<_> = policies.into_iter().map(|(k, v)| context! { label => format!("console-policy-{k}"), value => v }).collect();
    let ctx = context! {
        slug => t.slug.as_str(),
        issuer => t.issuer.as_str(),
        display_name => t.display_name.clone(),
        policies => policies,
        invalid => matches!(invalid, Invalid::DisplayName),
        time_zone => match &invalid { Invalid::TimeZone(typed) => typed.clone(), _ => s.time_zone.to_string() },
        time_zone_invalid => matches!(invalid, Invalid::TimeZone(_)),
        zones => SUGGESTED_ZONES.to_vec(),
        notice => notice,
    };
    page_with(state, tenant, headers, c, status, "settings", "console_settings.html", ctx)
}

pub async fn show(
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
    Ok(settings_page(&state, &tenant, &headers, &c, StatusCode::OK, notice(q.notice), Invalid::None))
}

pub async fn update(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let c = guard::act(&state, &tenant, &headers, ip, &f).await?;
    let name = field(&f, "display_name").unwrap_or_default();
    // The name the page showed comes back: a change made meanwhile (another
    // administrator, the API) is not overwritten, the page shows it instead.
    let mut read = tenant.tenant.clone();
    read.display_name = field(&f, "shown").unwrap_or_default().to_owned();
    match tenants::update(
        &state.store,
        tenant.tenant.slug.as_str(),
        tenants::Change { display_name: Some(name), ..Default::default() },
        Some(&read),
        state.now(),
        c.by(),
    )
    .await
    {
        Ok(_) => {}
        Err(ChangeError::Stale) => {
            state.catalog.refresh(&state.store, state.now()).await.html_err()?;
            return Ok(back(&tenant, "/admin/settings", "console-settings-stale"));
        }
        Err(ChangeError::Refused(_)) => return Ok(settings_page(&state, &tenant, &headers, &c, StatusCode::UNPROCESSABLE_ENTITY, None, Invalid::DisplayName)),
        Err(ChangeError::NotFound(_)) => return Err(super::not_found()),
        Err(ChangeError::Failed(e)) => return Err(e).html_err(),
        // The issuer is not changed here, and the default tenant stays.
        Err(ChangeError::IssuerTaken { .. } | ChangeError::Default) => return Err(crate::error::ApiError::page(StatusCode::CONFLICT, "console-invalid-form")),
    }
    // This node shows the new name at once; the others at their next
    // catalog refresh.
    state.catalog.refresh(&state.store, state.now()).await.html_err()?;
    Ok(back(&tenant, "/admin/settings", "console-settings-saved"))
}

/// Changes the time zone the tenant's pages write times in.
pub async fn time_zone(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let c = guard::act(&state, &tenant, &headers, ip, &f).await?;
    let name = field(&f, "time_zone").unwrap_or_default();
    match tenants::set_time_zone(&state.store, tenant.tenant.slug.as_str(), name, state.now(), c.by()).await {
        Ok(_) => {}
        Err(ChangeError::Refused(_)) => {
            let invalid = Invalid::TimeZone(name.to_owned());
            return Ok(settings_page(&state, &tenant, &headers, &c, StatusCode::UNPROCESSABLE_ENTITY, None, invalid));
        }
        Err(ChangeError::NotFound(_)) => return Err(super::not_found()),
        Err(ChangeError::Failed(e)) => return Err(e).html_err(),
        Err(ChangeError::IssuerTaken { .. } | ChangeError::Default | ChangeError::Stale) => {
            return Err(crate::error::ApiError::page(StatusCode::CONFLICT, "console-invalid-form"));
        }
    }
    state.catalog.refresh(&state.store, state.now()).await.html_err()?;
    Ok(back(&tenant, "/admin/settings", "console-time-zone-saved"))
}
