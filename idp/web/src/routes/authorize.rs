//! The authorization endpoint (OIDC Core §3.1.2) and the decision that
//! every step of a sign-in comes back to: [`proceed`] looks at the request,
//! the session and the interaction, and either asks the person for
//! something (sign in, consent) or answers the client.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use trame_core::assurance;
use trame_core::authorize::{self as rules, AuthorizationRequest, AuthorizeError, PageError, RawParams, ReplyTo, ResponseMode};
use trame_core::client::Client;
use trame_core::crypto::{random_token, secret_digest};
use trame_core::keys;
use trame_core::lifetimes;
use trame_core::scope::Scopes;
use trame_core::subject::subject_for;

use crate::catalog::TenantEntry;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{ClientIp, Params};
use crate::interaction::{self, Interaction, Purpose, Starter};
use crate::render::Deferred;
use crate::request_object;
use crate::routes::with_cookie;
use crate::session::{self, Session};
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// What the token endpoint needs to redeem a code. Stored in the ephemeral
/// store under the code's digest, taken atomically.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeRecord {
    pub tenant_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub user_id: String,
    pub scopes: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: i64,
    pub acr: String,
    pub amr: Vec<String>,
    pub sid: String,
    pub claims: Value,
    /// When the code stops being redeemable, by the application clock (the
    /// ephemeral store's TTL is only a clean-up bound).
    pub expires_at: i64,
}

pub fn code_key(code: &str) -> String {
    format!("code:{}", secret_digest(code))
}

pub async fn authorize(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    params: Result<Params, ApiError>,
) -> ApiResult<Response> {
    // Unreadable parameters mean the redirect URI cannot be trusted either:
    // a page, never JSON or a redirect (this endpoint talks to browsers).
    let Params(params) = params.map_err(|_| ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"))?;
    // A Request Object or a pushed request becomes plain parameters here,
    // once; every later step of the sign-in validates those.
    let params = request_object::effective_params(&state, &tenant, ip, params).await?;
    let (binding, new_cookie) = session::binding(&state, &tenant.tenant, &headers);
    let current = session::current(&state, &tenant.tenant, &headers).await?;
    let r = proceed(&state, &tenant, current, params, None, Starter { binding, ip }).await?;
    Ok(with_cookie(r, new_cookie))
}

pub(crate) fn page_error(e: PageError) -> ApiError {
    let (msg, detail) = match &e {
        PageError::MissingClientId => ("error-missing-client-id", None),
        PageError::UnknownClient => ("error-unknown-client", None),
        PageError::MissingRedirectUri => ("error-missing-redirect-uri", None),
        PageError::RedirectUriMismatch => ("error-redirect-uri", None),
        PageError::Duplicate(p) => ("error-duplicate-param", Some(p.clone())),
        PageError::TooLong(p) => ("error-param-too-long", Some(p.clone())),
    };
    ApiError::Page { status: StatusCode::BAD_REQUEST, message: msg, detail }
}

/// Validates the request against its client, as it is registered now.
pub async fn validated(state: &AppState, tenant: &TenantEntry, params: &[(String, String)]) -> ApiResult<(Arc<Client>, AuthorizationRequest)> {
    let raw = RawParams::new(params);
    let client_id = rules::client_id(&raw).map_err(page_error)?;
    let client = tenant.client(&state.store, client_id, state.now()).await.html_err()?.ok_or_else(|| page_error(PageError::UnknownClient))?;
    match rules::validate(&raw, &client) {
        Ok(req) => Ok((client, req)),
        Err(AuthorizeError::Page(e)) => Err(page_error(e)),
        Err(AuthorizeError::Redirect(reply, e)) => Err(redirect_error(tenant, &reply, e.code, &e.description)),
    }
}

pub fn redirect_error(tenant: &TenantEntry, reply: &ReplyTo, error: &'static str, description: &str) -> ApiError {
    ApiError::Redirect { issuer: tenant.tenant.issuer.as_str().to_owned(), reply: reply.clone(), error, description: description.to_owned() }
}

/// The subject a client sees for a user.
pub fn subject(tenant: &TenantEntry, client: &Client, user_id: &str) -> String {
    subject_for(client.subject_type, user_id, &client.sector(), &tenant.tenant.pairwise_salt)
}

/// Whether an `id_token_hint` names the session's user (for this client).
/// `Err` when the hint is not a token this tenant issued to this client.
async fn hint_matches(state: &AppState, tenant: &TenantEntry, client: &Client, hint: &str, session: Option<&Session>) -> ApiResult<Result<bool, ()>> {
    let keys = tenant.keys(&state.store, state.now()).await.html_err()?;
    // An expired hint is still a valid hint (OIDC Core §3.1.2.1).
    let Ok(v) = keys.verifiers.verify(hint, &keys::ISSUED) else {
        return Ok(Err(()));
    };
    let iss_ok = v.claims.get("iss").and_then(Value::as_str) == Some(tenant.tenant.issuer.as_str());
    let aud_ok = match v.claims.get("aud") {
        Some(Value::String(a)) => a == client.id.as_str(),
        Some(Value::Array(l)) => l.iter().any(|a| a.as_str() == Some(client.id.as_str())),
        _ => false,
    };
    if !iss_ok || !aud_ok || v.typ.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("at+jwt")) {
        return Ok(Err(()));
    }
    let sub = v.claims.get("sub").and_then(Value::as_str);
    Ok(Ok(session.is_some_and(|s| sub == Some(subject(tenant, client, &s.user_id).as_str()))))
}

/// The decision point of a sign-in.
pub async fn proceed(
    state: &AppState,
    tenant: &TenantEntry,
    session: Option<Session>,
    params: Vec<(String, String)>,
    ia: Option<(String, Interaction)>,
    by: Starter,
) -> ApiResult<Response> {
    let (client, req) = validated(state, tenant, &params).await?;
    let now = state.now();
    let fresh_login = ia.as_ref().and_then(|(_, i)| i.login_at).is_some();

    // The level asked for (essential or voluntary): a session below it
    // signs in again with a stronger method, never a silent downgrade. A
    // level no method reaches under the tenant's policy is refused now
    // rather than after a sign-in that cannot succeed.
    let (required, essential) = requested_level(&req);
    let essential_unknown = essential && required.is_none() && req.claims.acr().is_some_and(|a| a.values.as_ref().is_some_and(|v| !v.is_empty()));
    if essential_unknown || required.is_some_and(|level| !tenant.tenant.settings.acr_policy.reachable(level)) {
        return Err(redirect_error(tenant, &req.reply, "unmet_authentication_requirements", "the requested assurance level cannot be reached"));
    }
    let below = |s: &Session| required.is_some_and(|l| !assurance::satisfies(&s.acr, &[l.to_owned()]));

    let mut needs_login = match &session {
        None => true,
        Some(s) => {
            // max_age=0 is prompt=login (OIDC Core §3.1.2.1), even within the
            // second of the last sign-in.
            let too_old = req.max_age.is_some_and(|m| m == 0 || now - s.auth_time > m);
            (!fresh_login && (req.prompt.login || too_old)) || below(s)
        }
    };
    if let Some(hint) = &req.id_token_hint {
        match hint_matches(state, tenant, &client, hint, session.as_ref()).await? {
            Err(()) => {
                return Err(redirect_error(tenant, &req.reply, "invalid_request", "id_token_hint is not a valid ID token of this issuer for this client"));
            }
            Ok(false) => needs_login = true,
            Ok(true) => {}
        }
    }
    let stepping_up = session.as_ref().is_some_and(below);
    if needs_login && (!fresh_login || stepping_up) {
        if req.prompt.none {
            let error = if stepping_up { "interaction_required" } else { "login_required" };
            return Err(redirect_error(tenant, &req.reply, error, "the user must sign in"));
        }
        if fresh_login {
            // Signed in just now and still below the level: the sign-in
            // step refuses such methods, so this only happens if the policy
            // changed meanwhile.
            let error = if essential { "unmet_authentication_requirements" } else { "access_denied" };
            return Err(redirect_error(tenant, &req.reply, error, "the requested assurance level was not reached"));
        }
        let id = match ia {
            Some((id, _)) => id,
            None => interaction::create_for(state, &tenant.tenant, params, by, Purpose::Authorize, required.map(str::to_owned)).await?,
        };
        return Ok(see_other(&tenant.tenant.issuer.endpoint(&format!("/login?interaction={id}"))));
    }
    let session = session.ok_or_else(|| redirect_error(tenant, &req.reply, "login_required", "the user is not signed in"))?;

    let consented = ia.as_ref().is_some_and(|(_, i)| i.consented);
    if !client.skip_consent && !consented {
        let stored = state.store.consented_scopes(&tenant.tenant.id, &session.user_id, client.id.as_str()).await.html_err()?;
        let covered = stored.and_then(|s| Scopes::parse(&s).ok()).is_some_and(|s| req.scopes.is_subset_of(&s));
        if req.prompt.consent || !covered {
            if req.prompt.none {
                return Err(redirect_error(tenant, &req.reply, "consent_required", "the user has not consented"));
            }
            let id = match ia {
                Some((id, _)) => id,
                None => interaction::create(state, &tenant.tenant, params, by).await?,
            };
            return Ok(see_other(&tenant.tenant.issuer.endpoint(&format!("/consent?interaction={id}"))));
        }
    }

    if let Some((id, _)) = &ia {
        interaction::delete(state, id).await?;
    }
    let code = random_token(state.rng.as_ref());
    let record = CodeRecord {
        tenant_id: tenant.tenant.id.clone(),
        client_id: client.id.as_str().to_owned(),
        redirect_uri: req.reply.redirect_uri.as_str().to_owned(),
        user_id: session.user_id.clone(),
        scopes: req.scopes.to_string_sorted(),
        nonce: req.nonce.clone(),
        code_challenge: req.code_challenge.as_ref().map(|c| c.as_str().to_owned()),
        auth_time: session.auth_time,
        acr: session.acr.clone(),
        amr: session.amr.clone(),
        sid: session.sid.clone(),
        claims: req.claims.to_json(),
        expires_at: now + lifetimes::AUTHORIZATION_CODE,
    };
    let json = serde_json::to_string(&record).expect("a code record serializes");
    state.ephemeral.put(&code_key(&code), &json, lifetimes::AUTHORIZATION_CODE).await.html_err()?;
    tracing::info!(client_id = %client.id, "authorization code issued");

    let mut out = vec![("code", code)];
    if let Some(s) = &req.reply.state {
        out.push(("state", s.clone()));
    }
    out.push(("iss", tenant.tenant.issuer.as_str().to_owned()));
    Ok(reply_to_client(&req.reply, out))
}

/// The lowest known level the request asks for, through `acr_values` or
/// the `acr` claim, and whether the claim request is essential. Unknown
/// values (`urn:...` of other schemes) are ignored, as OIDC Core lets a
/// provider do for voluntary requests; an essential request made only of
/// unknown values cannot be met.
fn requested_level(req: &AuthorizationRequest) -> (Option<&'static str>, bool) {
    let mut wanted = req.acr_values.clone();
    let mut essential = false;
    if let Some(acr) = req.claims.acr() {
        essential = acr.essential;
        wanted.extend(acr.values.iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)));
    }
    (assurance::required_level(&wanted), essential)
}

pub fn see_other(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Sends an authorization response (success or error) to the client's
/// validated redirect URI, in the requested response mode.
pub fn reply_to_client(reply: &ReplyTo, params: Vec<(&str, String)>) -> Response {
    match reply.response_mode {
        ResponseMode::Query => {
            let uri = reply.redirect_uri.as_str();
            let sep = if uri.contains('?') { '&' } else { '?' };
            let query = serde_urlencoded::to_string(&params).expect("string pairs encode");
            let mut r = see_other(&format!("{uri}{sep}{query}"));
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        ResponseMode::FormPost => {
            Deferred::FormPost { action: reply.redirect_uri.as_str().to_owned(), fields: params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect() }
                .into_response()
        }
    }
}
