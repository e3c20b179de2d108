//! The sign-in page: passkey (autofill or button, see `passkey.rs`) or
//! username and password, then TOTP when the account has it.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use trame_core::assurance::Method;
use trame_core::authorize::RawParams;
use trame_core::oauth::ErrorCode;
use trame_core::{password, totp};

use crate::enrolment::level_not_reached;
use crate::error::{ApiError, ApiResult, OrApi, redirect_error};
use crate::extract::{ClientIp, FormParams, single};
use crate::interaction::{self, Interaction, Purpose};
use crate::pages::{InteractionQuery, PageCtx, lang_for, notice, sign_in_form};
use crate::respond::see_other;
use crate::session;
use crate::signin::{self, Authenticated, SignedIn};
use crate::state::AppState;
use crate::telemetry::{self, SignInMethod, SignInOutcome};
use crate::tenancy::TenantCtx;
use serde::Deserialize;
use trame_app::audit::{self, Actor, Event};
use trame_app::catalog::TenantEntry;
use trame_app::directory::{self, DirectoryError, SignIn};
use trame_app::password_work::Lane;
use trame_app::throttle;

#[derive(Deserialize)]
pub struct LoginQuery {
    interaction: String,
    /// A notice of the page that led here ([`notice`]).
    #[serde(default)]
    notice: Option<String>,
}

pub async fn show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<LoginQuery>) -> ApiResult<Response> {
    let mut ia = interaction::load(&state, &tenant.tenant, &headers, &q.interaction).await?;
    interaction::mark_seen(&state, &q.interaction, &mut ia).await.html_err()?;
    let hint = RawParams::new(&ia.params).single("login_hint").ok().flatten().unwrap_or_default().to_owned();
    let shown = PageCtx { status: StatusCode::OK, error: None, username: &hint, notice: notice(q.notice.as_deref()) };
    sign_in_form(&state, &tenant, &headers, &q.interaction, &ia, shown).await
}

pub async fn submit(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let get = |n: &str| single(&f, n).ok().flatten().unwrap_or_default().to_owned();
    let (id, mut ia) = interaction::posted(&state, &tenant.tenant, &headers, &f).await?;
    let username = get("username");
    let password = get("password");
    let t = &tenant.tenant;
    let refuse = |status, error| PageCtx { status, error: Some(error), username: &username, notice: None };

    let standing = throttle::standing(&state, &t.id, &username, ip).await.html_err()?;
    if standing == throttle::Standing::Blocked {
        tracing::warn!(tenant = %t.slug, "sign-in throttled");
        telemetry::sign_in(SignInMethod::Password, SignInOutcome::Throttled);
        return sign_in_form(&state, &tenant, &headers, &id, &ia, refuse(StatusCode::TOO_MANY_REQUESTS, "too-many-attempts")).await;
    }
    let found = if username.is_empty() || username.len() > 200 { None } else { state.store.user_for_sign_in(&t.id, &username).await.html_err()? };
    // A name no local account has, or a directory's account, is the
    // tenant's directories' to check (a local account is never theirs).
    let ask_directories = !username.is_empty() && found.as_ref().is_none_or(|a| a.directory_id.is_some());
    let from_directory = if ask_directories { Some(directory::sign_in(&state, &tenant, &username, &password).await) } else { None };
    let (verified, known) = match from_directory {
        Some(Ok(SignIn::Accepted(account))) => (Some(account), None),
        Some(Ok(SignIn::WrongPassword { account })) => (None, account),
        Some(Ok(SignIn::LocalNameTaken)) => {
            tracing::warn!(tenant = %t.slug, "a directory entry has the name of a local account: refused (the local account is never taken over)");
            (None, None)
        }
        Some(Err(DirectoryError::Failed(e))) => return Err(e).html_err(),
        Some(Err(e)) => {
            tracing::warn!(tenant = %t.slug, error = %e, "directory sign-in impossible");
            telemetry::sign_in(SignInMethod::Password, SignInOutcome::Failure);
            return sign_in_form(&state, &tenant, &headers, &id, &ia, refuse(StatusCode::SERVICE_UNAVAILABLE, "directory-unavailable")).await;
        }
        Some(Ok(SignIn::Unknown)) | None => {
            // Always run one argon2 verification, so an unknown user costs
            // the same time as a wrong password. It is CPU-bound and holds
            // 19 MiB: off the reactor, and a bounded number at once
            // (`password_work`). A directory's account has no hash here.
            let stored = found.as_ref().and_then(|a| a.password_hash.clone());
            let lane = if standing == throttle::Standing::Suspect { Lane::Suspect } else { Lane::Clean };
            let ok = state.password_work.run_in(lane, move |memory| password::verify_in(memory, &password, stored.as_deref())).await?;
            if ok { (found, None) } else { (None, found) }
        }
    };
    let Some(user) = verified else {
        // Only a known account's failure goes to its trail: an unknown
        // name is nobody's, and names are not logged.
        if let Some(a) = known {
            let event = Event::new(&t.id, Actor::User(a.profile.id.clone()), "sign_in").on(audit::user(&a.profile.id)).failed().from_address(ip);
            audit::record(&state.store, state.now(), event.with(serde_json::json!({ "amr": ["pwd"] }))).await;
        }
        throttle::record_failure(&state, &t.id, &username, ip).await.html_err()?;
        tracing::info!(tenant = %t.slug, outcome = "failure", method = "pwd", "sign-in");
        telemetry::sign_in(SignInMethod::Password, SignInOutcome::Failure);
        return sign_in_form(&state, &tenant, &headers, &id, &ia, refuse(StatusCode::UNAUTHORIZED, "sign-in-failed")).await;
    };
    throttle::clear_account(&state, &t.id, &username, ip).await.html_err()?;

    // A password account with TOTP goes on to the second step.
    let has_totp = user.has_totp;
    let user = user.profile;
    if has_totp {
        tracing::info!(tenant = %t.slug, outcome = "second-factor", method = "pwd", "sign-in");
        telemetry::sign_in(SignInMethod::Password, SignInOutcome::SecondFactor);
        ia.pending_user = Some(user.id.clone());
        interaction::save(&state, &id, &ia).await.html_err()?;
        return Ok(see_other(&t.issuer.endpoint(&format!("/login/otp?interaction={id}"))));
    }
    match signin::complete(&state, &tenant, &headers, id.clone(), ia.clone(), &user.id, Authenticated { methods: &[Method::Password], cap: None }).await? {
        SignedIn::Done(r) => {
            tracing::info!(tenant = %t.slug, outcome = "success", method = "pwd", "sign-in");
            telemetry::sign_in(SignInMethod::Password, SignInOutcome::Success);
            state.usage.sign_in(&t.id, SignInMethod::Password);
            Ok(r)
        }
        SignedIn::BelowRequiredLevel(ia) => {
            telemetry::sign_in(SignInMethod::Password, SignInOutcome::BelowLevel);
            level_not_reached(&state, &tenant, &headers, &id, &ia, StatusCode::FORBIDDEN).await
        }
        SignedIn::AccountDisabled => {
            telemetry::sign_in(SignInMethod::Password, SignInOutcome::Failure);
            sign_in_form(&state, &tenant, &headers, &id, &ia, refuse(StatusCode::FORBIDDEN, "account-disabled")).await
        }
    }
}

/// After a passkey sign-in: the page's script lands here with the new
/// session cookie, and the sign-in continues.
pub async fn resume(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<InteractionQuery>) -> ApiResult<Response> {
    let ia = interaction::load(&state, &tenant.tenant, &headers, &q.interaction).await?;
    let session = session::current(&state, &tenant.tenant, &headers).await?;
    match (ia.login_at, session) {
        (Some(_), Some(s)) => signin::resume(&state, &tenant, s, q.interaction, ia).await,
        _ => Ok(see_other(&tenant.tenant.issuer.endpoint(&format!("/login?interaction={}", q.interaction)))),
    }
}

async fn otp_form(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    id: &str,
    ia: &Interaction,
    status: StatusCode,
    error: Option<&str>,
) -> ApiResult<Response> {
    Ok(state.themes.page(
        status,
        "otp.html",
        context! {
            lang => lang_for(state, ia, headers),
            tenant => crate::branding::view(&tenant.tenant),
            interaction => id,
            csrf => ia.csrf.clone(),
            error => error,
        },
    ))
}

/// The second step of a password sign-in with TOTP.
pub async fn otp_show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<InteractionQuery>) -> ApiResult<Response> {
    let ia = interaction::load(&state, &tenant.tenant, &headers, &q.interaction).await?;
    if ia.pending_user.is_none() {
        return Ok(see_other(&tenant.tenant.issuer.endpoint(&format!("/login?interaction={}", q.interaction))));
    }
    otp_form(&state, &tenant, &headers, &q.interaction, &ia, StatusCode::OK, None).await
}

pub async fn otp_submit(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let get = |n: &str| single(&f, n).ok().flatten().unwrap_or_default().to_owned();
    let (id, ia) = interaction::posted(&state, &tenant.tenant, &headers, &f).await?;
    let t = &tenant.tenant;
    let Some(user_id) = ia.pending_user.clone() else {
        return Ok(see_other(&t.issuer.endpoint(&format!("/login?interaction={id}"))));
    };
    // Throttled per account like passwords: six digits are guessable.
    let throttle_key = format!("otp:{user_id}");
    if throttle::is_blocked(&state, &t.id, &throttle_key, None).await.html_err()? {
        telemetry::sign_in(SignInMethod::Totp, SignInOutcome::Throttled);
        return otp_form(&state, &tenant, &headers, &id, &ia, StatusCode::TOO_MANY_REQUESTS, Some("too-many-attempts")).await;
    }
    let factor = state.store.second_factor_of(&t.id, &user_id).await.html_err()?;
    let secret = factor.totp_secret;
    let step = secret.as_ref().and_then(|s| totp::verify(s, &get("code"), state.now()));
    let fresh = match step {
        Some(step) => state.store.claim_totp_step(&t.id, &user_id, step).await.html_err()?,
        None => false,
    };
    if !fresh {
        throttle::record_failure(&state, &t.id, &throttle_key, None).await.html_err()?;
        throttle::record_otp_failure(&state, &t.id, &user_id).await.html_err()?;
        tracing::info!(tenant = %t.slug, outcome = "failure", method = "otp", "sign-in");
        telemetry::sign_in(SignInMethod::Totp, SignInOutcome::Failure);
        return otp_form(&state, &tenant, &headers, &id, &ia, StatusCode::UNAUTHORIZED, Some("otp-failed")).await;
    }
    throttle::clear_account(&state, &t.id, &throttle_key, None).await.html_err()?;
    match signin::complete(
        &state,
        &tenant,
        &headers,
        id.clone(),
        ia.clone(),
        &user_id,
        Authenticated { methods: &[Method::Password, Method::Totp], cap: factor.totp_max_acr.as_deref() },
    )
    .await?
    {
        SignedIn::Done(r) => {
            tracing::info!(tenant = %t.slug, outcome = "success", method = "pwd+otp", "sign-in");
            telemetry::sign_in(SignInMethod::Totp, SignInOutcome::Success);
            state.usage.sign_in(&t.id, SignInMethod::Totp);
            Ok(r)
        }
        SignedIn::BelowRequiredLevel(ia) => {
            telemetry::sign_in(SignInMethod::Totp, SignInOutcome::BelowLevel);
            level_not_reached(&state, &tenant, &headers, &id, &ia, StatusCode::FORBIDDEN).await
        }
        SignedIn::AccountDisabled => {
            telemetry::sign_in(SignInMethod::Totp, SignInOutcome::Failure);
            otp_form(&state, &tenant, &headers, &id, &ia, StatusCode::FORBIDDEN, Some("account-disabled")).await
        }
    }
}

/// The way back to the service from a sign-in that cannot reach the level
/// it asks for: the pending sign-in ends and the service gets
/// `unmet_authentication_requirements` (OpenID Connect Core §3.1.2.6) at
/// its validated redirect URI, with `state` and `iss`.
pub async fn abandon(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let (id, ia) = interaction::posted(&state, &tenant.tenant, &headers, &f).await?;
    // Only a service's sign-in has somewhere to go back to.
    if ia.purpose != Purpose::Authorize {
        return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"));
    }
    let (_, req) = signin::validated(&state, &tenant, &ia.params).await?;
    interaction::delete(&state, &id).await.html_err()?;
    tracing::info!(tenant = %tenant.tenant.slug, outcome = "abandoned", "sign-in");
    Err(redirect_error(&tenant, &req.reply, ErrorCode::UnmetAuthenticationRequirements, "the requested assurance level was not reached"))
}
