//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).
//!
//! With a valid `id_token_hint` for the browser's current session, the
//! person is signed out at once; otherwise Trame asks for confirmation, so
//! a third-party page cannot sign people out by linking here.
//!
//! Ending the session notifies its clients' back channels
//! ([`trame_app::logout_channels`]). When some of them registered a
//! front-channel logout URI, the answer is a page that loads those in hidden
//! frames before going on (Front-Channel Logout 1.0 §3).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use trame_core::crypto::{constant_time_eq, random_token};
use trame_core::keys;
use trame_core::subject::client_sid;

use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{Params, single};
use crate::respond::with_cookie;
use crate::session;
use crate::signed_out::{ServiceLink, signed_out};
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::catalog::TenantEntry;

#[derive(Serialize, Deserialize)]
struct PendingLogout {
    tenant_id: String,
    binding: String,
    csrf: String,
    /// The validated post-logout redirect, with `state` already appended.
    target: Option<String>,
    /// The client that asked, so the signed-out page links back to it.
    #[serde(default)]
    client_id: Option<String>,
}

fn key(id: &str) -> String {
    trame_store::ephemeral_keys::logout(id)
}

struct HintFacts {
    client_id: Option<String>,
    sid: Option<String>,
}

async fn read_hint(state: &AppState, tenant: &TenantEntry, hint: &str) -> ApiResult<HintFacts> {
    let bad = || ApiError::page(StatusCode::BAD_REQUEST, "error-logout-hint");
    let ks = tenant.keys(&state.store, state.now()).await.html_err()?;
    // Expired ID tokens are accepted as hints: logout often comes late.
    let v = ks.verifiers.verify(hint, &keys::ISSUED).map_err(|_| bad())?;
    if v.claims.get("iss").and_then(Value::as_str) != Some(tenant.tenant.issuer.as_str()) || v.typ.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("at+jwt"))
    {
        return Err(bad());
    }
    let client_id = match v.claims.get("aud") {
        Some(Value::String(a)) => Some(a.clone()),
        Some(Value::Array(l)) => l.first().and_then(Value::as_str).map(str::to_owned),
        _ => None,
    };
    Ok(HintFacts { client_id, sid: v.claims.get("sid").and_then(Value::as_str).map(str::to_owned) })
}

async fn service_link(state: &AppState, tenant: &TenantEntry, client_id: Option<&str>) -> ApiResult<ServiceLink> {
    let Some(id) = client_id else { return Ok(ServiceLink::default()) };
    let Some(client) = tenant.client(&state.store, id, state.now()).await.html_err()? else { return Ok(ServiceLink::default()) };
    match &client.info.client_uri {
        Some(uri) => Ok(ServiceLink { url: Some(uri.clone()), name: client.name.clone() }),
        None => Ok(ServiceLink::default()),
    }
}

pub async fn start(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Params(p): Params) -> ApiResult<Response> {
    begin(&state, &tenant, &headers, &p).await
}

async fn begin(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, p: &[(String, String)]) -> ApiResult<Response> {
    let page_err = |_| ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request");
    let hint = single(p, "id_token_hint").map_err(page_err)?;
    let redirect = single(p, "post_logout_redirect_uri").map_err(page_err)?;
    let logout_state = single(p, "state").map_err(page_err)?;
    let client_id_param = single(p, "client_id").map_err(page_err)?;

    let facts = match hint {
        Some(h) => Some(read_hint(state, tenant, h).await?),
        None => None,
    };
    let client_id = match (facts.as_ref().and_then(|f| f.client_id.clone()), client_id_param) {
        (Some(a), Some(b)) if a != b => {
            return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-logout-hint"));
        }
        (Some(a), _) => Some(a),
        (None, b) => b.map(str::to_owned),
    };
    let target = match redirect {
        None => None,
        Some(uri) => {
            let bad = || ApiError::page(StatusCode::BAD_REQUEST, "error-logout-redirect");
            let cid = client_id.as_deref().ok_or_else(bad)?;
            let client = tenant.client(&state.store, cid, state.now()).await.html_err()?.ok_or_else(bad)?;
            let registered = client.post_logout_redirect_uri(uri).ok_or_else(bad)?;
            let mut t = registered.as_str().to_owned();
            if let Some(s) = logout_state {
                let sep = if t.contains('?') { '&' } else { '?' };
                t = format!("{t}{sep}{}", serde_urlencoded::to_string([("state", s)]).expect("encodes"));
            }
            Some(t)
        }
    };

    let current = session::current(state, &tenant.tenant, headers).await?;
    // The hint carries the sid its client was given, derived from the
    // session's own.
    let hint_is_current = match (&current, facts.as_ref().and_then(|f| Some((f.sid.as_deref()?, f.client_id.as_deref()?)))) {
        (Some(s), Some((sid, aud))) => constant_time_eq(client_sid(&s.sid, aud).as_bytes(), sid.as_bytes()),
        _ => false,
    };
    let service = service_link(state, tenant, client_id.as_deref()).await?;
    if hint_is_current || current.is_none() {
        // Nothing to protect when there is no session; with a matching hint
        // the relying party proved it knows this session.
        let ended = session::end(state, tenant, headers).await?;
        tracing::info!(tenant = %tenant.tenant.slug, "signed out");
        return Ok(signed_out(state, tenant, headers, target, &service, ended));
    }

    let (binding, new_cookie) = session::binding(state, &tenant.tenant, headers);
    let id = random_token(state.rng.as_ref());
    let pending = PendingLogout { tenant_id: tenant.tenant.id.clone(), binding, csrf: random_token(state.rng.as_ref()), target, client_id };
    state.ephemeral.put(&key(&id), &serde_json::to_string(&pending).expect("serializes"), 600).await.html_err()?;
    // Cancelling goes back to the service's site when it has one, else to
    // the account page: the person is signed in here.
    let cancel = service.url.clone().unwrap_or_else(|| tenant.tenant.issuer.endpoint("/account"));
    let r = state.themes.page(
        StatusCode::OK,
        "logout.html",
        context! {
            lang => crate::render::lang_of(&state.themes, headers),
            tenant => crate::branding::view(&tenant.tenant),
            logout => id,
            csrf => pending.csrf,
            cancel => cancel,
            cancel_name => service.url.as_ref().and(service.name.clone()),
        },
    );
    Ok(with_cookie(r, new_cookie))
}

/// POST: either the confirmation form, or an RP-initiated logout sent as a
/// form (the spec allows both methods).
pub async fn confirm(State(state): State<AppState>, tenant: TenantCtx, req: Request) -> ApiResult<Response> {
    let headers = req.headers().clone();
    let Params(p) = <Params as axum::extract::FromRequest<AppState>>::from_request(req, &state).await?;
    let Some(id) = single(&p, "logout").ok().flatten() else {
        return begin(&state, &tenant, &headers, &p).await;
    };
    let expired = || ApiError::page(StatusCode::BAD_REQUEST, "error-interaction-expired");
    let raw = state.ephemeral.take(&key(id)).await.html_err()?.ok_or_else(expired)?;
    let pending: PendingLogout = serde_json::from_str(&raw).map_err(|_| expired())?;
    let bound = session::binding_of(&tenant.tenant, &headers).is_some_and(|b| constant_time_eq(b.as_bytes(), pending.binding.as_bytes()));
    let csrf_ok = single(&p, "csrf").ok().flatten().is_some_and(|c| constant_time_eq(c.as_bytes(), pending.csrf.as_bytes()));
    let same_origin = crate::csrf::is_same_origin(&tenant.tenant, &headers);
    if pending.tenant_id != tenant.tenant.id || !bound || !csrf_ok || !same_origin {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "error-csrf"));
    }
    let service = service_link(&state, &tenant, pending.client_id.as_deref()).await?;
    let ended = session::end(&state, &tenant, &headers).await?;
    tracing::info!(tenant = %tenant.tenant.slug, "signed out");
    Ok(signed_out(&state, &tenant, &headers, pending.target, &service, ended))
}
