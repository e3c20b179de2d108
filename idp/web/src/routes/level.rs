//! The pages of a sign-in below the level a service asks for
//! ([`crate::enrolment`]): the level page again (`/login/level`), the
//! choice of a way to add (`POST /login/enrol`), adding a passkey
//! (`/login/enrol`), and the page that says the mail is on its way.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use trame_app::signin::Way;

use crate::enrolment::{addable, enrolling_for, level_not_reached};
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{FormParams, single};
use crate::interaction::{self, Purpose};
use crate::pages::{InteractionQuery, client_name, lang_for};
use crate::respond::{see_other, with_cookie};
use crate::session;
use crate::signin;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// `GET /login/level`: the level page again (the sign-in page's script
/// comes here after a passkey below the level).
pub async fn show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<InteractionQuery>) -> ApiResult<Response> {
    let ia = interaction::load(&state, &tenant.tenant, &headers, &q.interaction).await?;
    if ia.required_acr.is_none() {
        return Ok(see_other(&tenant.tenant.issuer.endpoint(&format!("/login?interaction={}", q.interaction))));
    }
    level_not_reached(&state, &tenant, &headers, &q.interaction, &ia, StatusCode::OK).await
}

/// `POST /login/enrol`: the person chose a way to add. A session starts at
/// the level the sign-in reached, for the account pages that add it.
pub async fn start(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let get = |n: &str| single(&f, n).ok().flatten().unwrap_or_default().to_owned();
    let (id, ia) = interaction::posted(&state, &tenant.tenant, &headers, &f).await?;
    let way = match get("method").as_str() {
        "passkey" => Way::Passkey,
        "totp" => Way::PasswordAndTotp,
        _ => return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request")),
    };
    // Offered on the page is not enough: the facts are checked again.
    let Some(below) = ia.below.clone() else {
        return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"));
    };
    if !addable(&state, &tenant, &ia).await?.contains(&way) {
        return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"));
    }
    if !trame_app::sessions::can_sign_in(&state.store, &tenant.tenant.id, &below.user_id).await.html_err()? {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "account-disabled"));
    }
    let (_, cookie) = signin::start_at(&state, &tenant, &headers, &below.user_id, below.amr, below.acr).await?;
    tracing::info!(tenant = %tenant.tenant.slug, outcome = "below-level", "sign-in, to add a credential");
    let next = match way {
        Way::Passkey => format!("/login/enrol?interaction={id}"),
        Way::PasswordAndTotp => format!("/account/totp?interaction={id}"),
    };
    Ok(with_cookie(see_other(&tenant.tenant.issuer.endpoint(&next)), Some(cookie)))
}

/// `GET /login/enrol`: adding a passkey for the pending sign-in.
pub async fn enrol_show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<InteractionQuery>) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let s = session::current(&state, t, &headers).await?;
    let found = match &s {
        Some(s) => enrolling_for(&state, &tenant, &headers, Some(&q.interaction), s).await,
        None => None,
    };
    let (Some(s), Some((id, ia))) = (s, found) else {
        // The session ended or is another account's: back to the sign-in.
        return Ok(see_other(&t.issuer.endpoint(&format!("/login?interaction={}", q.interaction))));
    };
    let client_name = client_name(&state, &tenant, &ia).await?;
    let base = t.issuer.path_prefix();
    Ok(state.themes.page(
        StatusCode::OK,
        "enrol.html",
        context! {
            lang => lang_for(&state, &ia, &headers),
            tenant => crate::branding::view(t),
            base => base.clone(),
            interaction => id.clone(),
            csrf => crate::csrf::for_session(&state, &s.store_key),
            client_name => client_name,
            level_page => format!("{base}/login/level?interaction={id}"),
        },
    ))
}

/// `GET /login/enrol/sent`: the credential is added and the mail that
/// raises it is on its way.
pub async fn sent(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<InteractionQuery>) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let ia = interaction::load(&state, t, &headers, &q.interaction).await?;
    let to_service = ia.purpose == Purpose::Authorize;
    let client_name = if to_service { client_name(&state, &tenant, &ia).await? } else { String::new() };
    Ok(state.themes.page(
        StatusCode::OK,
        "message.html",
        context! {
            lang => lang_for(&state, &ia, &headers),
            tenant => crate::branding::view(t),
            title => "level-mail-sent-title",
            message => "level-mail-sent",
            abandon => to_service.then(|| format!("{}/login/abandon", t.issuer.path_prefix())),
            interaction => q.interaction,
            csrf => ia.csrf.clone(),
            client_name => client_name,
        },
    ))
}
