//! The sign-in page (username and password in this first version).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use trame_core::assurance::{self, Method};
use trame_core::authorize::RawParams;
use trame_core::password;

use super::authorize::proceed;
use crate::catalog::TenantEntry;
use crate::error::{ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams, single};
use crate::interaction::{self, Interaction};
use crate::routes::with_cookie;
use crate::session;
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use crate::throttle;

#[derive(Deserialize)]
pub struct InteractionQuery {
    pub interaction: String,
}

/// The page's language: the request's `ui_locales`, then Accept-Language.
pub fn lang_for(state: &AppState, ia: &Interaction, headers: &HeaderMap) -> String {
    let raw = RawParams::new(&ia.params);
    let ui: Vec<String> = raw.single("ui_locales").ok().flatten().map(|v| v.split(' ').map(str::to_owned).collect()).unwrap_or_default();
    state.themes.i18n.negotiate(&ui, headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

pub async fn client_name(state: &AppState, tenant: &TenantEntry, ia: &Interaction) -> ApiResult<String> {
    let raw = RawParams::new(&ia.params);
    let id = raw.single("client_id").ok().flatten().unwrap_or_default();
    let client = state.store.client(&tenant.tenant.id, id).await.html_err()?;
    Ok(client.map(|c| c.name.unwrap_or_else(|| c.id.as_str().to_owned())).unwrap_or_default())
}

#[allow(clippy::too_many_arguments)]
async fn form(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, id: &str, ia: &Interaction, status: StatusCode, error: Option<&str>, username: &str) -> ApiResult<Response> {
    let lang = lang_for(state, ia, headers);
    let client_name = client_name(state, tenant, ia).await?;
    Ok(state.themes.page(
        status,
        "login.html",
        context! {
            lang => lang,
            tenant_name => tenant.tenant.display_name.clone(),
            client_name => client_name,
            interaction => id,
            csrf => ia.csrf.clone(),
            error => error,
            username => username,
        },
    ))
}

pub async fn show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<InteractionQuery>) -> ApiResult<Response> {
    let ia = interaction::load(&state, &tenant.tenant, &headers, &q.interaction).await?;
    let hint = RawParams::new(&ia.params).single("login_hint").ok().flatten().unwrap_or_default().to_owned();
    form(&state, &tenant, &headers, &q.interaction, &ia, StatusCode::OK, None, &hint).await
}

pub async fn submit(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let get = |n: &str| single(&f, n).ok().flatten().unwrap_or_default().to_owned();
    let id = get("interaction");
    let mut ia = interaction::load(&state, &tenant.tenant, &headers, &id).await?;
    interaction::check_csrf(&ia, Some(&get("csrf")))?;
    let username = get("username");
    let password = get("password");
    let t = &tenant.tenant;

    if throttle::is_blocked(&state, &t.id, &username, ip).await? {
        tracing::warn!(tenant = %t.slug, "sign-in throttled");
        return form(&state, &tenant, &headers, &id, &ia, StatusCode::TOO_MANY_REQUESTS, Some("too-many-attempts"), &username).await;
    }
    let found = if username.is_empty() || username.len() > 200 { None } else { state.store.user_for_sign_in(&t.id, &username).await.html_err()? };
    // Always run one argon2 verification, so an unknown user costs the same
    // time as a wrong password. It is CPU-bound: keep it off the reactor.
    let stored = found.as_ref().and_then(|(_, h)| h.clone());
    let ok = tokio::task::spawn_blocking(move || password::verify(&password, stored.as_deref())).await.unwrap_or(false);
    let user = match (ok, found) {
        (true, Some((user, _))) => user,
        _ => {
            throttle::record_failure(&state, &t.id, &username, ip).await?;
            tracing::info!(tenant = %t.slug, outcome = "failure", method = "pwd", "sign-in");
            return form(&state, &tenant, &headers, &id, &ia, StatusCode::UNAUTHORIZED, Some("sign-in-failed"), &username).await;
        }
    };
    throttle::clear_account(&state, &t.id, &username).await?;
    tracing::info!(tenant = %t.slug, outcome = "success", method = "pwd", "sign-in");

    let methods = [Method::Password];
    let amr = methods.iter().map(|m| m.amr().to_owned()).collect();
    let (sess, cookie) = session::start(&state, t, &headers, &user.id, amr, assurance::level_reached(&methods).to_owned()).await?;
    ia.login_at = Some(state.now());
    interaction::save(&state, &id, &ia).await?;
    let binding = ia.binding.clone();
    let params = ia.params.clone();
    let r = proceed(&state, &tenant, Some(sess), params, Some((id, ia)), binding).await?;
    Ok(with_cookie(r, Some(cookie)))
}
