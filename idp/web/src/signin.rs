//! The steps of a sign-in, over HTTP. [`proceed`] gathers the facts of
//! the pending sign-in and acts on what `trame_app::signin::next_step`
//! decides: a sign-in or consent page, an error for the client, or a code.
//! Every way of signing in ends in [`establish`]: the methods used become
//! `amr` and a level through the tenant's policy; a level below what the
//! client asked for is refused (step-up, never a silent downgrade);
//! otherwise a new session starts and the pending sign-in continues where
//! it was going.

use std::sync::Arc;
use trame_core::oauth::ErrorCode;

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use trame_app::codes::{self, CodeRecord};
use trame_app::signin::{self as decision, Hint, SessionFacts, Situation, Step};
use trame_core::assurance::{self, Method};
use trame_core::authorize::{self as rules, AuthorizationRequest, AuthorizeError, PageError, RawParams};
use trame_core::client::Client;
use trame_core::lifetimes;
use trame_core::scope::Scopes;

use crate::error::{ApiError, ApiResult, OrApi, page_error, redirect_error};
use crate::interaction::{self, Interaction, Purpose, Starter};
use crate::respond::{reply_to_client, see_other, with_cookie};
use crate::session::{self, Session};
use crate::state::AppState;
use trame_app::audit::{self, Actor, Event};
use trame_app::cas;
use trame_app::catalog::TenantEntry;
use trame_app::interactions::BelowLevel;
use trame_core::cas::service_with_ticket;

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

/// The decision point of a sign-in: after the authorization request, each
/// sign-in page and the consent page. `ia` is the pending sign-in, when
/// there is one already.
pub async fn proceed(
    state: &AppState,
    tenant: &TenantEntry,
    session: Option<Session>,
    params: Vec<(String, String)>,
    ia: Option<(String, Interaction)>,
    by: Starter,
) -> ApiResult<Response> {
    let (client, req) = validated(state, tenant, &params).await?;
    let signed_in_now = ia.as_ref().and_then(|(_, i)| i.login_at).is_some();
    let consented_now = ia.as_ref().is_some_and(|(_, i)| i.consented);
    let hint = match &req.id_token_hint {
        None => Hint::Absent,
        Some(h) => decision::hint(state, tenant, &client, h, session.as_ref().map(|s| s.user_id.as_str())).await.html_err()?,
    };
    let stored_consent = match &session {
        Some(s) if decision::consent_matters(true, client.skip_consent, consented_now) => {
            let stored = state.store.consented_scopes(&tenant.tenant.id, &s.user_id, client.id.as_str()).await.html_err()?;
            stored.and_then(|s| Scopes::parse(&s).ok())
        }
        _ => None,
    };
    let step = decision::next_step(&Situation {
        request: &req,
        policy: &tenant.tenant.settings.acr_policy,
        session: session.as_ref().map(|s| SessionFacts { auth_time: s.auth_time, acr: &s.acr }),
        hint,
        signed_in_now,
        consented_now,
        skip_consent: client.skip_consent,
        stored_consent: stored_consent.as_ref(),
        now: state.now(),
    });
    match step {
        Step::Refuse(r) => Err(redirect_error(tenant, &req.reply, r.error, r.description)),
        Step::SignIn { required_acr } => {
            let id = match ia {
                Some((id, _)) => id,
                None => interaction::create_for(state, &tenant.tenant, params, by, Purpose::Authorize, required_acr.map(str::to_owned)).await?,
            };
            Ok(see_other(&tenant.tenant.issuer.endpoint(&format!("/login?interaction={id}"))))
        }
        Step::Consent => {
            let id = match ia {
                Some((id, _)) => id,
                None => interaction::create(state, &tenant.tenant, params, by).await?,
            };
            Ok(see_other(&tenant.tenant.issuer.endpoint(&format!("/consent?interaction={id}"))))
        }
        Step::Issue => {
            // The decision issues only with a session.
            let Some(session) = session else {
                return Err(redirect_error(tenant, &req.reply, ErrorCode::LoginRequired, "the user is not signed in"));
            };
            if let Some((id, _)) = &ia {
                interaction::delete(state, id).await.html_err()?;
            }
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
                expires_at: state.now() + lifetimes::AUTHORIZATION_CODE,
            };
            let code = codes::issue(state, &record).await.html_err()?;
            // Per request, so `debug`: the sign-in itself is logged and
            // counted where it happens.
            tracing::debug!(client_id = %client.id, "authorization code issued");
            let mut out = vec![("code", code)];
            if let Some(s) = &req.reply.state {
                out.push(("state", s.clone()));
            }
            out.push(("iss", tenant.tenant.issuer.as_str().to_owned()));
            Ok(reply_to_client(&req.reply, out))
        }
    }
}

/// What a sign-in came to: done (`T`: the session, or the response that
/// continues), or refused because the methods did not reach the level the
/// pending sign-in requires (the pending sign-in as it now is, noting how
/// far it got: the level page offers what would reach it).
#[derive(Debug)]
pub enum SignedIn<T> {
    Done(T),
    BelowRequiredLevel(Box<Interaction>),
    /// The account is disabled (or was erased meanwhile).
    AccountDisabled,
}

/// How a sign-in authenticated: the methods, and the cap of the credential
/// used (the level of the session that bound it, see
/// `routes/account.rs`): a credential never counts for more.
pub struct Authenticated<'a> {
    pub methods: &'a [Method],
    pub cap: Option<&'a str>,
}

impl Authenticated<'_> {
    /// `amr`, and the level reached under the tenant's policy, capped.
    fn outcome(&self, tenant: &TenantEntry) -> (Vec<String>, String) {
        let amr = assurance::amr(self.methods);
        let reached = tenant.tenant.settings.acr_policy.level_reached(&amr);
        let acr = match self.cap {
            Some(cap) => assurance::at_most(reached, Some(cap)),
            None => reached,
        };
        (amr, acr.to_owned())
    }
}

/// Starts a session for `user_id`, authenticated as `how`, and marks the
/// interaction as freshly signed in. Returns the session and its cookie.
#[allow(clippy::too_many_arguments)]
pub async fn establish(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    id: &str,
    ia: &mut Interaction,
    user_id: &str,
    how: Authenticated<'_>,
) -> ApiResult<SignedIn<(Session, HeaderValue)>> {
    let (amr, acr) = how.outcome(tenant);
    establish_with(state, tenant, headers, id, ia, user_id, amr, acr).await
}

/// [`establish`] with the `amr` and level already known (a sign-in at a
/// peer provider, whose answer caps the level).
#[allow(clippy::too_many_arguments)]
async fn establish_with(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    id: &str,
    ia: &mut Interaction,
    user_id: &str,
    amr: Vec<String>,
    acr: String,
) -> ApiResult<SignedIn<(Session, HeaderValue)>> {
    if !trame_app::sessions::can_sign_in(&state.store, &tenant.tenant.id, user_id).await.html_err()? {
        tracing::info!(tenant = %tenant.tenant.slug, outcome = "failure", reason = "disabled", "sign-in");
        return Ok(SignedIn::AccountDisabled);
    }
    if let Some(required) = &ia.required_acr
        && !assurance::satisfies(&acr, std::slice::from_ref(required))
    {
        // No session yet: the level page may start one at this level, if
        // the person chooses to add a credential there.
        ia.below = Some(BelowLevel { user_id: user_id.to_owned(), amr, acr, at: state.now() });
        interaction::save(state, id, ia).await.html_err()?;
        return Ok(SignedIn::BelowRequiredLevel(Box::new(ia.clone())));
    }
    let (sess, cookie) = start_at(state, tenant, headers, user_id, amr, acr).await?;
    ia.login_at = Some(state.now());
    ia.pending_user = None;
    interaction::save(state, id, ia).await.html_err()?;
    Ok(SignedIn::Done((sess, cookie)))
}

/// Starts a session for `user_id` at the level its methods reached, noted
/// in the account's trail. Returns the session and its cookie.
pub async fn start_at(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    user_id: &str,
    amr: Vec<String>,
    acr: String,
) -> ApiResult<(Session, HeaderValue)> {
    let detail = serde_json::json!({ "amr": amr, "acr": acr });
    let started = session::start(state, tenant, headers, user_id, amr, acr).await?;
    let event = Event::new(&tenant.tenant.id, Actor::User(user_id.to_owned()), "sign_in").on(audit::user(user_id)).with(detail);
    audit::record(&state.store, state.now(), event).await;
    Ok(started)
}

/// Where the browser goes once signed in: the authorization continues, or
/// the account page opens.
pub async fn resume(state: &AppState, tenant: &TenantEntry, session: Session, id: String, ia: Interaction) -> ApiResult<Response> {
    match ia.purpose {
        Purpose::Authorize => {
            let binding = ia.binding.clone();
            let params = ia.params.clone();
            proceed(state, tenant, Some(session), params, Some((id, ia)), Starter { binding, ip: None }).await
        }
        Purpose::Cas => resume_cas(state, tenant, session, id, ia).await,
        Purpose::Account => {
            interaction::delete(state, &id).await.html_err()?;
            Ok(see_other(&tenant.tenant.issuer.endpoint("/account")))
        }
        Purpose::Console => {
            interaction::delete(state, &id).await.html_err()?;
            Ok(see_other(&tenant.tenant.issuer.endpoint("/admin")))
        }
    }
}

/// Once signed in: back to the service with a ticket. The service is
/// looked up again, as it is now.
async fn resume_cas(state: &AppState, tenant: &TenantEntry, session: Session, id: String, ia: Interaction) -> ApiResult<Response> {
    interaction::delete(state, &id).await.html_err()?;
    let raw = RawParams::new(&ia.params);
    let service = raw.single("service").ok().flatten().ok_or_else(|| ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"))?;
    let client = cas::client_for(state, tenant, service).await.html_err()?;
    let Some(client) = client.filter(|c| raw.single("client_id").ok().flatten() == Some(c.id.as_str())) else {
        return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-cas-service"));
    };
    if !cas::level_met(&client, &session) {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "error-cas-level"));
    }
    let ticket = cas::issue(state, &client, service, &session, ia.login_at.is_some()).await.html_err()?;
    tracing::debug!(tenant = %tenant.tenant.slug, client_id = %client.id, "CAS ticket issued after sign-in");
    Ok(see_other(&service_with_ticket(service, &ticket)))
}

/// `establish` then `resume`, for the form posts that can answer with a
/// redirect directly.
#[allow(clippy::too_many_arguments)]
pub async fn complete(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    id: String,
    ia: Interaction,
    user_id: &str,
    how: Authenticated<'_>,
) -> ApiResult<SignedIn<Response>> {
    let (amr, acr) = how.outcome(tenant);
    complete_with(state, tenant, headers, id, ia, user_id, amr, acr).await
}

/// [`complete`] with the `amr` and level already known.
#[allow(clippy::too_many_arguments)]
pub async fn complete_with(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    id: String,
    mut ia: Interaction,
    user_id: &str,
    amr: Vec<String>,
    acr: String,
) -> ApiResult<SignedIn<Response>> {
    match establish_with(state, tenant, headers, &id, &mut ia, user_id, amr, acr).await? {
        SignedIn::BelowRequiredLevel(ia) => Ok(SignedIn::BelowRequiredLevel(ia)),
        SignedIn::AccountDisabled => Ok(SignedIn::AccountDisabled),
        SignedIn::Done((sess, cookie)) => Ok(SignedIn::Done(with_cookie(resume(state, tenant, sess, id, ia).await?, Some(cookie)))),
    }
}

/// Where a sign-in made away from the sign-in page (a recovery code) goes
/// next: back into the pending sign-in `id` when it is this browser's, a
/// service's, and the level reached is enough for it (marked as signed in,
/// so it goes on to the service), else nowhere in particular (`None`: the
/// caller's own page). A pending sign-in that is gone or foreign is not an
/// error here: the person is signed in either way.
pub async fn continue_pending(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, id: &str, acr: &str) -> ApiResult<Option<String>> {
    let Ok(mut ia) = interaction::load(state, &tenant.tenant, headers, id).await else {
        return Ok(None);
    };
    // Only a service's sign-in: the account pages are where a recovery
    // leads anyway, with the notice that asks for a new passkey.
    let enough = ia.required_acr.as_ref().is_none_or(|r| assurance::satisfies(acr, std::slice::from_ref(r)));
    if !ia.purpose.for_service() || !enough {
        return Ok(None);
    }
    ia.login_at = Some(state.now());
    ia.pending_user = None;
    interaction::save(state, id, &ia).await.html_err()?;
    Ok(Some(tenant.tenant.issuer.endpoint(&format!("/login/continue?interaction={id}"))))
}
