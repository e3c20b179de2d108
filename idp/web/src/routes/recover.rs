//! Getting back into an account without its passkey: a single-use
//! recovery code, or a link mailed to the account's verified address. Both
//! sign the person in at the lowest level and open the account page, where
//! they add a new passkey; a code entered, or a link asked for, from a
//! pending sign-in ("Clé d'accès perdue ?" on the sign-in page) continues
//! that sign-in instead (the link only in the browser that has it), so the
//! person reaches the service they were going to. Neither tells
//! whether an account exists.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use trame_core::assurance::{self, Method};
use trame_core::recovery;

use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams, single};
use crate::render::lang_of;
use crate::respond::see_other;
use crate::respond::with_cookie;
use crate::session;
use crate::state::AppState;
use crate::telemetry::{self, SignInMethod, SignInOutcome};
use crate::tenancy::TenantCtx;
use trame_app::mail_link;
use trame_app::throttle;

/// What the recovery page shows besides its forms.
struct Shown<'a> {
    status: StatusCode,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    /// The pending sign-in the person came from ("Clé d'accès perdue ?"),
    /// carried through the form so the recovery continues it.
    interaction: &'a str,
}

fn page(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, shown: Shown<'_>) -> Response {
    let Shown { status, notice, error, interaction } = shown;
    let t = &tenant.tenant;
    let (binding, cookie) = session::binding(state, t, headers);
    let page = state.themes.page(
        status,
        "recover.html",
        context! {
            lang => lang_of(&state.themes, headers),
            tenant => crate::branding::view(t),
            csrf => session::page_csrf(state, &binding),
            mail_enabled => state.mailer.is_enabled(),
            notice => notice,
            error => error,
            interaction => interaction,
        },
    );
    with_cookie(page, cookie)
}

#[derive(Deserialize)]
pub struct RecoverQuery {
    #[serde(default)]
    interaction: Option<String>,
}

pub async fn show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<RecoverQuery>) -> Response {
    let interaction = q.interaction.unwrap_or_default();
    page(&state, &tenant, &headers, Shown { status: StatusCode::OK, notice: None, error: None, interaction: &interaction })
}

/// Signs the person in by recovery, then continues the pending sign-in it
/// came from (`interaction`, when it is this browser's and the level
/// reached is enough for it) or opens the account page.
async fn recovered(
    state: &AppState,
    tenant: &TenantCtx,
    headers: &HeaderMap,
    user_id: &str,
    method: SignInMethod,
    ip: Option<std::net::IpAddr>,
    interaction: &str,
) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let amr = assurance::amr(&[Method::Recovery]);
    let acr = t.settings.acr_policy.level_reached(&amr);
    // A disabled account is not opened by its recovery codes or links either.
    if !trame_app::sessions::can_sign_in(&state.store, &t.id, user_id).await.html_err()? {
        telemetry::sign_in(method, SignInOutcome::Failure);
        let shown = Shown { status: StatusCode::FORBIDDEN, notice: None, error: Some("account-disabled"), interaction };
        return Ok(page(state, tenant, headers, shown));
    }
    let (session, cookie) = session::start(state, tenant, headers, user_id, amr, acr.to_owned()).await?;
    // Whoever held the account before the recovery is signed out.
    trame_app::sessions::end_others(state, tenant, user_id, &session).await.html_err()?;
    tracing::info!(tenant = %t.slug, outcome = "success", method = "recovery", "sign-in");
    let how = match method {
        SignInMethod::EmailLink => "email_link",
        _ => "recovery_code",
    };
    crate::account_guard::audited_with(state, tenant, user_id, "recovery.used", ip, Some(serde_json::json!({ "method": how }))).await;
    telemetry::sign_in(method, SignInOutcome::Success);
    state.usage.sign_in(&t.id, method);
    let next = match interaction {
        "" => None,
        id => crate::signin::continue_pending(state, tenant, headers, id, acr).await?,
    };
    let next = next.unwrap_or_else(|| t.issuer.endpoint("/account?notice=recovered"));
    Ok(with_cookie(see_other(&next), Some(cookie)))
}

pub async fn submit(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let get = |n: &str| single(&f, n).ok().flatten().unwrap_or_default().trim().to_owned();
    let t = &tenant.tenant;
    session::page_form_csrf(&state, t, &headers, &get("csrf"))?;
    let interaction = get("interaction");
    let shown = |status, notice, error| Shown { status, notice, error, interaction: &interaction };
    match get("method").as_str() {
        "code" => {
            let username = get("username");
            // Their own counter: failed passwords must not block recovery,
            // the way out for someone whose password is being guessed.
            let counted_as = format!("recovery:{username}");
            if throttle::is_blocked(&state, &t.id, &counted_as, ip).await.html_err()? {
                telemetry::sign_in(SignInMethod::RecoveryCode, SignInOutcome::Throttled);
                return Ok(page(&state, &tenant, &headers, shown(StatusCode::TOO_MANY_REQUESTS, None, Some("too-many-attempts"))));
            }
            let user = if username.is_empty() || username.len() > 200 {
                None
            } else {
                state.store.user_for_sign_in(&t.id, &username).await.html_err()?.map(|a| a.profile)
            };
            let code = recovery::normalize(&get("code"));
            let ok = match (&user, &code) {
                (Some(u), Some(c)) => state.store.use_recovery_code(&t.id, &u.id, &recovery::digest(c), state.now()).await.html_err()?,
                _ => false,
            };
            match (ok, user) {
                (true, Some(u)) => {
                    throttle::clear_account(&state, &t.id, &counted_as, ip).await.html_err()?;
                    recovered(&state, &tenant, &headers, &u.id, SignInMethod::RecoveryCode, ip, &interaction).await
                }
                _ => {
                    throttle::record_failure(&state, &t.id, &counted_as, ip).await.html_err()?;
                    tracing::info!(tenant = %t.slug, outcome = "failure", method = "recovery", "sign-in");
                    telemetry::sign_in(SignInMethod::RecoveryCode, SignInOutcome::Failure);
                    Ok(page(&state, &tenant, &headers, shown(StatusCode::UNAUTHORIZED, None, Some("recovery-failed"))))
                }
            }
        }
        "email" if state.mailer.is_enabled() => {
            let addr = get("email");
            // Counted per address too: mail is not free, and not for spam.
            if throttle::is_blocked(&state, &t.id, &format!("mail:{addr}"), ip).await.html_err()? {
                return Ok(page(&state, &tenant, &headers, shown(StatusCode::TOO_MANY_REQUESTS, None, Some("too-many-attempts"))));
            }
            throttle::record_failure(&state, &t.id, &format!("mail:{addr}"), ip).await.html_err()?;
            if let Some(user) = state.store.user_by_verified_email(&t.id, &addr).await.html_err()? {
                let link = mail_link::recovery_link(&state, t, &user.id, Some(&interaction)).await.html_err()?;
                let (subject, body) = mail_link::recovery_mail(&state, t, &link, &lang_of(&state.themes, &headers));
                // Sent after the answer: the time an SMTP exchange takes
                // must not tell that the address has an account.
                let (app, tenant_id, slug) = (state.app().clone(), t.id.clone(), t.slug.to_string());
                tokio::spawn(async move {
                    if let Err(e) = app.send_mail(&tenant_id, &addr, &subject, &body).await {
                        tracing::warn!(error = %e, tenant = %slug, "recovery mail not sent");
                    }
                });
            }
            // The same answer whether or not an account matched.
            Ok(page(&state, &tenant, &headers, shown(StatusCode::OK, Some("recovery-mail-sent"), None)))
        }
        _ => Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request")),
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: String,
}

/// The mailed link opens a page with a button, and only the button's post
/// uses the token: mail scanners that follow links must not consume it.
pub async fn email_link(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<TokenQuery>) -> Response {
    let t = &tenant.tenant;
    let (binding, cookie) = session::binding(&state, t, &headers);
    let page = state.themes.page(
        StatusCode::OK,
        "recover_email.html",
        context! {
            lang => lang_of(&state.themes, &headers),
            tenant => crate::branding::view(t),
            csrf => session::page_csrf(&state, &binding),
            token => q.token,
        },
    );
    with_cookie(page, cookie)
}

pub async fn email_confirm(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let get = |n: &str| single(&f, n).ok().flatten().unwrap_or_default().to_owned();
    let t = &tenant.tenant;
    session::page_form_csrf(&state, t, &headers, &get("csrf"))?;
    let invalid = || ApiError::page(StatusCode::BAD_REQUEST, "email-link-invalid");
    let v = mail_link::redeem(&state, t, mail_link::RECOVERY, &get("token")).await.html_err()?.ok_or_else(invalid)?;
    // The pending sign-in it was asked from continues in the browser that
    // has it (`recovered` checks); in another browser, the account page.
    let pending = mail_link::pending_of(&v).unwrap_or_default();
    match v.get("user").and_then(|u| u.as_str()) {
        Some(uid) => recovered(&state, &tenant, &headers, uid, SignInMethod::EmailLink, ip, pending).await,
        None => Err(invalid()),
    }
}
