//! What a browser sees once its session is over, whoever ended it
//! (RP-initiated logout, CAS logout): the service's post-logout page or the
//! signed-out page, through the front-channel logout page when clients of
//! the session registered one.

use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;

use crate::headers::FrameSources;
use crate::respond::{see_other, with_cookie};
use crate::session::Ended;
use crate::state::AppState;
use trame_app::catalog::TenantEntry;

/// The service a logout came from, as far as a page can link back to it:
/// its own site (`client_uri`) and name. A client that registered no
/// site has none; its post-logout redirect, when asked for, is already
/// where the person goes.
#[derive(Default)]
pub struct ServiceLink {
    pub url: Option<String>,
    pub name: Option<String>,
}

/// The signed-out page, with a way back: the service's site when it is
/// known, else (in the template) the collectivité's.
fn signed_out_page(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, back: &ServiceLink) -> Response {
    state.themes.page(
        StatusCode::OK,
        "message.html",
        context! {
            lang => crate::render::lang_of(&state.themes, headers),
            tenant => crate::branding::view(&tenant.tenant),
            title => "signed-out-title",
            message => "signed-out-message",
            back_url => back.url.clone(),
            back_name => back.name.clone(),
        },
    )
}

/// The answer once the session is over: to the client's post-logout page
/// (or the signed-out page), through the front-channel page when clients of
/// the session registered a front-channel logout URI. Always clears the
/// session cookie.
pub fn signed_out(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, target: Option<String>, service: &ServiceLink, ended: Ended) -> Response {
    let r = if ended.frontchannel.is_empty() {
        match target {
            Some(t) => see_other(&t),
            None => signed_out_page(state, tenant, headers, service),
        }
    } else {
        frontchannel_page(state, tenant, headers, target, service, &ended.frontchannel)
    };
    with_cookie(r, Some(ended.clear_cookie))
}

/// A page with one hidden frame per front-channel logout URI; its script
/// goes on to `target` once every frame has loaded (or after 3 s), and a
/// visible link does the same without JavaScript. Without a target, the page
/// itself says the person is signed out. Its CSP allows frames from exactly
/// these origins.
fn frontchannel_page(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, target: Option<String>, service: &ServiceLink, uris: &[String]) -> Response {
    let mut frames = Vec::new();
    let mut origins = Vec::new();
    for uri in uris {
        // A frame whose origin cannot be written into the CSP would be
        // blocked anyway: leave it out rather than loosen the policy.
        let Some(origin) = url::Url::parse(uri).ok().map(|u| u.origin().ascii_serialization()).filter(|o| FrameSources::is_safe(o)) else {
            continue;
        };
        frames.push(uri.clone());
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    let mut r = state.themes.page(
        StatusCode::OK,
        "frontchannel_logout.html",
        context! {
            lang => crate::render::lang_of(&state.themes, headers),
            tenant => crate::branding::view(&tenant.tenant),
            frames => frames,
            next => target,
            back_url => service.url.clone(),
            back_name => service.name.clone(),
        },
    );
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    r.extensions_mut().insert(FrameSources(origins));
    r
}
