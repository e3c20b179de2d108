//! Sign-in through a peer provider of the federation, as the citizen sees
//! it:
//!
//! - `GET /federation/peers?interaction=[&q=]`: "Where is your account?",
//!   the peers of [`trame_app::federation::peers`], searchable without script,
//!   the browser's last choice first;
//! - `POST /federation/peers`: the choice; the browser goes to the peer
//!   ([`trame_app::federation::peer_signin::start`]);
//! - `GET /federation/callback`: back from the peer; the peer identity is
//!   linked to a local account and the pending sign-in goes on, at an
//!   assurance level no higher than what the peer asserted;
//! - `GET /federation/peers/logo?peer=`: a peer's logo, fetched by the
//!   server so the page loads nothing from a third party.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use minijinja::context;
use serde::Deserialize;
use trame_core::assurance;
use trame_core::crypto::random_token;
use trame_core::lifetimes::PEER_CHOICE;
use trame_store::{NewUser, StoreError};

use crate::cookies;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams, single};
use crate::interaction::{self, Interaction};
use crate::pages::{PageCtx, lang_for, sign_in_form};
use crate::respond::see_other;
use crate::respond::with_cookie;
use crate::signin::{self, SignedIn};
use crate::state::AppState;
use crate::telemetry::{self, SignInMethod, SignInOutcome};
use crate::tenancy::TenantCtx;
use trame_app::catalog::TenantEntry;
use trame_app::federation::peer_signin::{self, PeerIdentity, PeerSignInError};
use trame_app::federation::peers::{Peer, PeerError};
use trame_app::outbound;
use trame_app::throttle;

const CHOICE: &str = "trame_peer";

fn peer_error(e: PeerError) -> ApiError {
    tracing::info!(error = %e, "peer directory unavailable");
    match e {
        PeerError::NotConfigured => ApiError::page(StatusCode::NOT_FOUND, "error-not-found"),
        PeerError::NotAPeer(_) => ApiError::page(StatusCode::BAD_REQUEST, "error-peer-unknown"),
        other => ApiError::page_detail(StatusCode::BAD_GATEWAY, "error-peer-directory", other.to_string()),
    }
}

/// Every page here is 404 for a tenant that does not accept peers.
fn enabled(tenant: &TenantEntry) -> ApiResult<()> {
    match tenant.tenant.federation.peer_sign_in {
        Some(_) => Ok(()),
        None => Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found")),
    }
}

/// The browser's remembered choice, if it still names a peer.
fn remembered(tenant: &TenantEntry, headers: &HeaderMap) -> Option<String> {
    let raw = cookies::read(headers, &cookies::name(CHOICE, &tenant.tenant))?;
    String::from_utf8(URL_SAFE_NO_PAD.decode(raw).ok()?).ok()
}

#[derive(Deserialize)]
pub struct PeersQuery {
    interaction: String,
    #[serde(default)]
    q: String,
}

/// `GET /federation/peers`.
pub async fn show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(query): Query<PeersQuery>) -> ApiResult<Response> {
    enabled(&tenant)?;
    let ia = interaction::load(&state, &tenant.tenant, &headers, &query.interaction).await?;
    let peers = state.peers.peers(&state, &tenant).await.map_err(peer_error)?;
    let needle = query.q.trim().to_lowercase();
    let matches = |p: &Peer| needle.is_empty() || p.name.to_lowercase().contains(&needle) || p.entity_id.to_lowercase().contains(&needle);
    let base = tenant.tenant.issuer.path_prefix();
    let view = |p: &Peer| {
        let logo = p.logo_uri.as_ref().map(|_| {
            let mut u = url::form_urlencoded::Serializer::new(String::new());
            u.append_pair("peer", &p.entity_id);
            format!("{base}/federation/peers/logo?{}", u.finish())
        });
        context! { id => p.entity_id.clone(), name => p.name.clone(), logo => logo }
    };
    let last = remembered(&tenant, &headers).and_then(|id| peers.iter().find(|p| p.entity_id == id)).map(view);
    let listed: Vec<_> = peers.iter().filter(|p| matches(p)).map(view).collect();
    Ok(state.themes.page(
        StatusCode::OK,
        "peers.html",
        context! {
            lang => lang_for(&state, &ia, &headers),
            tenant => crate::branding::view(&tenant.tenant),
            interaction => query.interaction.clone(),
            csrf => ia.csrf.clone(),
            base => base,
            q => query.q.trim(),
            last => last,
            peers => listed,
            total => peers.len(),
        },
    ))
}

/// `POST /federation/peers`: `interaction`, `csrf`, `peer`.
pub async fn choose(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    enabled(&tenant)?;
    let get = |n: &str| single(&f, n).ok().flatten().unwrap_or_default().to_owned();
    let (id, ia) = interaction::posted(&state, &tenant.tenant, &headers, &f).await?;
    let peer = state.peers.peer(&state, &tenant, &get("peer")).await.map_err(peer_error)?;
    // Each start resolves chains and calls the peer: bounded per address.
    if !throttle::allow_federation_resolve(&state, &tenant.tenant.id, ip).await.json_err()? {
        return Err(ApiError::page(StatusCode::TOO_MANY_REQUESTS, "too-many-attempts"));
    }
    let url = peer_signin::start(&state, &tenant, &peer, &id, &ia).await.map_err(|e| {
        tracing::warn!(tenant = %tenant.tenant.slug, peer = %peer.entity_id, error = %e, "sign-in at a peer not started");
        ApiError::page_detail(peer_failure_status(&e), "error-peer-sign-in", e.to_string())
    })?;
    let choice = cookies::set(&tenant.tenant, &cookies::name(CHOICE, &tenant.tenant), &URL_SAFE_NO_PAD.encode(&peer.entity_id), PEER_CHOICE);
    Ok(with_cookie(see_other(&url), Some(choice)))
}

/// Bad gateway when the peer misbehaved; unavailable when this side's
/// storage failed; an internal error when its own keys or chain did.
fn peer_failure_status(e: &PeerSignInError) -> StatusCode {
    match e {
        PeerSignInError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        e if e.is_ours() => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_GATEWAY,
    }
}

#[derive(Deserialize)]
pub struct Callback {
    #[serde(default)]
    state: String,
    code: Option<String>,
    error: Option<String>,
    iss: Option<String>,
}

/// `GET /federation/callback`.
pub async fn callback(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(cb): Query<Callback>) -> ApiResult<Response> {
    enabled(&tenant)?;
    let t = &tenant.tenant;
    let pending = peer_signin::take_pending(&state, t, &cb.state).await.map_err(|e| {
        tracing::warn!(tenant = %t.slug, error = %e, "pending peer sign-in not read");
        ApiError::page(StatusCode::SERVICE_UNAVAILABLE, "error-unavailable")
    })?;
    let Some(pending) = pending else {
        return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-peer-expired"));
    };
    // The browser that chose the peer, and no other, comes back to it.
    let ia = interaction::load(&state, t, &headers, &pending.interaction).await?;
    let id = pending.interaction.clone();
    // RFC 9207: an answer naming another issuer is a mix-up.
    if cb.iss.as_deref().is_some_and(|iss| iss != pending.peer) {
        tracing::warn!(tenant = %t.slug, peer = %pending.peer, "peer callback with another issuer");
        telemetry::sign_in(SignInMethod::Peer, SignInOutcome::Failure);
        return back(&state, &tenant, &headers, &id, &ia, StatusCode::BAD_REQUEST, "peer-sign-in-failed").await;
    }
    let code = match (cb.code, cb.error) {
        (Some(code), None) if !code.is_empty() => code,
        (_, error) => {
            // Cancelled or refused at the peer: back to the choices here,
            // saying when it was the level the service asks for that the
            // peer could not reach (its own level page's way back).
            tracing::info!(tenant = %t.slug, peer = %pending.peer, error = error.as_deref().unwrap_or("none"), "peer sign-in not completed");
            let (outcome, why) = match error.as_deref() {
                Some("unmet_authentication_requirements") => (SignInOutcome::BelowLevel, "peer-level-not-reached"),
                _ => (SignInOutcome::Failure, "peer-sign-in-cancelled"),
            };
            telemetry::sign_in(SignInMethod::Peer, outcome);
            return back(&state, &tenant, &headers, &id, &ia, StatusCode::OK, why).await;
        }
    };
    let peer = state.peers.peer(&state, &tenant, &pending.peer).await.map_err(peer_error)?;
    let identity = match peer_signin::finish(&state, &tenant, &peer, &pending, &code).await {
        Ok(identity) => identity,
        Err(e) => {
            tracing::warn!(tenant = %t.slug, peer = %peer.entity_id, error = %e, "peer sign-in failed");
            telemetry::sign_in(SignInMethod::Peer, SignInOutcome::Failure);
            return match e {
                PeerSignInError::Unavailable(_) => Err(ApiError::page(StatusCode::SERVICE_UNAVAILABLE, "error-unavailable")),
                _ => back(&state, &tenant, &headers, &id, &ia, StatusCode::BAD_GATEWAY, "peer-sign-in-failed").await,
            };
        }
    };
    let user_id = local_user(&state, &tenant, &peer, &identity).await?;
    let (amr, acr) = assurance_of(&tenant, &identity);
    match signin::complete_with(&state, &tenant, &headers, id.clone(), ia.clone(), &user_id, amr, acr).await? {
        SignedIn::Done(r) => {
            tracing::info!(tenant = %t.slug, outcome = "success", method = "peer", peer = %peer.entity_id, "sign-in");
            telemetry::sign_in(SignInMethod::Peer, SignInOutcome::Success);
            state.usage.sign_in(&t.id, SignInMethod::Peer);
            Ok(r)
        }
        SignedIn::BelowRequiredLevel(ia) => {
            telemetry::sign_in(SignInMethod::Peer, SignInOutcome::BelowLevel);
            crate::enrolment::level_not_reached(&state, &tenant, &headers, &id, &ia, StatusCode::FORBIDDEN).await
        }
        SignedIn::AccountDisabled => {
            telemetry::sign_in(SignInMethod::Peer, SignInOutcome::Failure);
            back(&state, &tenant, &headers, &id, &ia, StatusCode::FORBIDDEN, "account-disabled").await
        }
    }
}

/// Back on the sign-in page, with why the peer sign-in did not finish.
async fn back(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    id: &str,
    ia: &Interaction,
    status: StatusCode,
    error: &'static str,
) -> ApiResult<Response> {
    sign_in_form(state, tenant, headers, id, ia, PageCtx { status, error: Some(error), username: "", notice: None }).await
}

/// The `amr` values the peer reported that this tenant knows, and the
/// level they reach by the tenant's policy, capped at the peer's `acr`
/// (a peer that asserted none, or one this tenant does not know, gives
/// the lowest level).
fn assurance_of(tenant: &TenantEntry, identity: &PeerIdentity) -> (Vec<String>, String) {
    let amr: Vec<String> = identity.amr.iter().filter(|a| assurance::is_known_amr(a)).cloned().collect();
    let reached = tenant.tenant.settings.acr_policy.level_reached(&amr);
    let acr = assurance::at_most(reached, identity.acr.as_deref());
    (amr, acr.to_owned())
}

/// The local user of a peer identity; a new account, linked, on its first
/// sign-in. Its username is the peer's, qualified by the peer's host, so it
/// can never be taken for a local account's.
async fn local_user(state: &AppState, tenant: &TenantEntry, peer: &Peer, identity: &PeerIdentity) -> ApiResult<String> {
    let t = &tenant.tenant;
    let now = state.now();
    if let Some(user) = state.store.federated_user(&t.id, &peer.entity_id, &identity.subject, now).await.html_err()? {
        return Ok(user.id);
    }
    let host = url::Url::parse(&peer.entity_id).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
    let local = identity.preferred_username.as_deref().filter(|u| !u.is_empty() && u.len() <= 64 && !u.chars().any(char::is_control)).unwrap_or("citizen");
    let mut username = format!("{local}@{host}");
    for _ in 0..2 {
        let new = NewUser {
            id: None,
            username: username.clone(),
            email: identity.email.as_ref().map(|(e, _)| e.clone()),
            given_name: identity.given_name.clone(),
            family_name: identity.family_name.clone(),
            ..NewUser::default()
        };
        match state.store.link_new_federated_user(&t.id, &peer.entity_id, &identity.subject, new, now).await {
            Ok(user) => {
                // The peer vouches for the address only when it says so.
                if let Some((email, true)) = &identity.email {
                    state.store.set_email(&t.id, &user.id, Some(email), true, now).await.html_err()?;
                }
                tracing::info!(tenant = %t.slug, peer = %peer.entity_id, "account made for a citizen of a peer provider");
                return Ok(user.id);
            }
            // The name is taken (by another peer's citizen with the same
            // name at the same host, or by a local account): another one.
            Err(StoreError::Conflict(_)) => username = format!("{local}-{}@{host}", &random_token(state.rng.as_ref())[..8]),
            Err(e) => return Err(e).html_err(),
        }
    }
    Err(ApiError::page(StatusCode::SERVICE_UNAVAILABLE, "error-unavailable"))
}

#[derive(Deserialize)]
pub struct LogoQuery {
    peer: String,
}

/// Image types a logo may be; anything else is not served.
const LOGO_TYPES: [&str; 5] = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"];

/// How long a node keeps a peer's logo (or the failure to get it), in
/// seconds: every sign-in page shows them all.
const LOGO_LIFETIME: i64 = 10 * 60;
/// The logo at `uri`, from this node's copy while it is fresh.
async fn peer_logo(state: &AppState, tenant: &TenantEntry, peer: &Peer, uri: &str) -> Option<(String, Bytes)> {
    let key = (tenant.tenant.id.clone(), uri.to_owned());
    let now = state.now();
    if let Some(kept) = state.peer_logos.0.get(&key, now) {
        return kept;
    }
    let logo = match outbound::get_typed(state.outbound_for(&tenant.tenant), uri, "image/*").await {
        Ok((media_type, body)) => media_type.filter(|m| LOGO_TYPES.contains(&m.as_str())).map(|m| (m, Bytes::from(body))),
        Err(e) => {
            tracing::info!(peer = %peer.entity_id, error = %e, "peer logo not fetched");
            None
        }
    };
    state.peer_logos.0.insert(key, logo.clone(), now + LOGO_LIFETIME, now);
    logo
}

/// `GET /federation/peers/logo?peer=`: only a listed peer's `logo_uri`.
pub async fn logo(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, Query(q): Query<LogoQuery>) -> ApiResult<Response> {
    enabled(&tenant)?;
    // Each may make Trame fetch from another server: bounded per address.
    if !throttle::allow_logo(&state, &tenant.tenant.id, ip).await.html_err()? {
        return Err(ApiError::page(StatusCode::TOO_MANY_REQUESTS, "too-many-attempts"));
    }
    let peer = state.peers.peer(&state, &tenant, &q.peer).await.map_err(peer_error)?;
    let not_found = || ApiError::page(StatusCode::NOT_FOUND, "error-not-found");
    let uri = peer.logo_uri.as_deref().ok_or_else(not_found)?;
    let (media_type, body) = peer_logo(&state, &tenant, &peer, uri).await.ok_or_else(not_found)?;
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&media_type).map_err(|_| not_found())?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    // An SVG opened on its own runs no script and loads nothing.
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"));
    Ok(r)
}
