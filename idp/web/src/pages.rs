//! Helpers the pages of a pending sign-in share: the interaction query,
//! the page's language, the client's name, the sign-in form (shown by the
//! sign-in page and again by the pages that fall back to it).

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use trame_app::catalog::TenantEntry;
use trame_core::authorize::RawParams;
use trame_core::tenant::Registration;

use crate::error::{ApiResult, OrApi};
use crate::interaction::Interaction;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct InteractionQuery {
    pub interaction: String,
}

/// What the sign-in page says above its form, by Fluent id: only these
/// (a query parameter names one; anything else shows nothing).
const NOTICES: &[&str] = &["credential-confirmed"];

/// The notice a query asks for, when it is one of [`NOTICES`].
pub fn notice(asked: Option<&str>) -> Option<&'static str> {
    asked.and_then(|n| NOTICES.iter().copied().find(|k| *k == n))
}

/// The page's language: the one the person chose with the switcher, then
/// the request's `ui_locales` (so every page of the sign-in keeps it), then
/// Accept-Language.
pub fn lang_for(state: &AppState, ia: &Interaction, headers: &HeaderMap) -> String {
    if let Some(chosen) = crate::render::chosen_lang(&state.themes, headers) {
        return chosen;
    }
    let raw = RawParams::new(&ia.params);
    let ui: Vec<String> = raw.single("ui_locales").ok().flatten().map(|v| v.split(' ').map(str::to_owned).collect()).unwrap_or_default();
    state.themes.negotiate(&ui, headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

pub async fn client_name(state: &AppState, tenant: &TenantEntry, ia: &Interaction) -> ApiResult<String> {
    let raw = RawParams::new(&ia.params);
    let id = raw.single("client_id").ok().flatten().unwrap_or_default();
    let client = tenant.client(&state.store, id, state.now()).await.html_err()?;
    Ok(client.map(|c| c.name.clone().unwrap_or_else(|| c.id.as_str().to_owned())).unwrap_or_default())
}

/// What the sign-in page shows besides the form.
pub struct PageCtx<'a> {
    pub status: StatusCode,
    pub error: Option<&'a str>,
    pub username: &'a str,
    pub notice: Option<&'static str>,
}

pub async fn sign_in_form(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, id: &str, ia: &Interaction, p: PageCtx<'_>) -> ApiResult<Response> {
    let lang = lang_for(state, ia, headers);
    let client_name = client_name(state, tenant, ia).await?;
    let t = &tenant.tenant;
    Ok(state.themes.page(
        p.status,
        "login.html",
        context! {
            lang => lang,
            tenant => crate::branding::view(t),
            client_name => client_name,
            interaction => id,
            csrf => ia.csrf.clone(),
            error => p.error,
            notice => p.notice,
            username => p.username,
            base => t.issuer.path_prefix(),
            step_up => ia.required_acr.is_some(),
            signup => t.settings.registration == Registration::Open,
            peers => t.federation.peer_sign_in.is_some(),
        },
    ))
}
