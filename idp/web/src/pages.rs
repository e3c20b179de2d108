//! Helpers the pages of a pending sign-in share: the interaction query,
//! the page's language, the client's name, the sign-in form (shown by the
//! sign-in page and again by the pages that fall back to it), and the page
//! of a sign-in that fell short of the level asked for.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use trame_app::catalog::TenantEntry;
use trame_core::authorize::RawParams;
use trame_core::tenant::Registration;

use crate::error::{ApiResult, OrApi};
use crate::interaction::{Interaction, Purpose};
use crate::state::AppState;
use trame_app::signin::Way;

#[derive(Deserialize)]
pub struct InteractionQuery {
    pub interaction: String,
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
            username => p.username,
            base => t.issuer.path_prefix(),
            step_up => ia.required_acr.is_some(),
            signup => t.settings.registration == Registration::Open,
            peers => t.federation.peer_sign_in.is_some(),
        },
    ))
}

/// The page of a sign-in whose methods fell short of the level the
/// pending sign-in requires: which ways would reach it, another try, and
/// a way back. For a service, the way back is a form that ends the
/// pending sign-in with `unmet_authentication_requirements`
/// (`/login/abandon`); for the account pages, the collectivité's site.
pub async fn level_not_reached(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, id: &str, ia: &Interaction) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let ways: Vec<&str> = match &ia.required_acr {
        Some(level) => trame_app::signin::ways_reaching(&t.settings.acr_policy, level).into_iter().map(way_message).collect(),
        None => Vec::new(),
    };
    let to_service = ia.purpose == Purpose::Authorize;
    let client_name = if to_service { client_name(state, tenant, ia).await? } else { String::new() };
    let base = t.issuer.path_prefix();
    Ok(state.themes.page(
        StatusCode::FORBIDDEN,
        "message.html",
        context! {
            lang => lang_for(state, ia, headers),
            tenant => crate::branding::view(t),
            title => "level-needed-title",
            message => "level-needed-message",
            is_error => true,
            ways => ways,
            retry => format!("{base}/login?interaction={id}"),
            abandon => to_service.then(|| format!("{base}/login/abandon")),
            interaction => id,
            csrf => ia.csrf.clone(),
            client_name => client_name,
        },
    ))
}

fn way_message(way: Way) -> &'static str {
    match way {
        Way::Passkey => "level-way-passkey",
        Way::PasswordAndTotp => "level-way-password-totp",
    }
}
