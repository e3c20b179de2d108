//! Getting back into an account without its passkey: a single-use
//! recovery code, or a link mailed to the account's verified address. Both
//! sign the person in at the lowest level and open the account page, where
//! they add a new passkey. Neither tells whether an account exists.

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

fn page(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, status: StatusCode, notice: Option<&str>, error: Option<&str>) -> Response {
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
        },
    );
    with_cookie(page, cookie)
}

pub async fn show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap) -> Response {
    page(&state, &tenant, &headers, StatusCode::OK, None, None)
}

/// Signs the person in by recovery and opens the account page.
async fn recovered(
    state: &AppState,
    tenant: &TenantCtx,
    headers: &HeaderMap,
    user_id: &str,
    method: SignInMethod,
    ip: Option<std::net::IpAddr>,
) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let amr = assurance::amr(&[Method::Recovery]);
    let acr = t.settings.acr_policy.level_reached(&amr);
    // A disabled account is not opened by its recovery codes or links either.
    if !trame_app::sessions::can_sign_in(&state.store, &t.id, user_id).await.html_err()? {
        telemetry::sign_in(method, SignInOutcome::Failure);
        return Ok(page(state, tenant, headers, StatusCode::FORBIDDEN, None, Some("account-disabled")));
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
    Ok(with_cookie(see_other(&t.issuer.endpoint("/account?notice=recovered")), Some(cookie)))
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
    if !session::check_page_csrf(&state, t, &headers, &get("csrf")) {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "error-csrf"));
    }
    match get("method").as_str() {
        "code" => {
            let username = get("username");
            // Their own counter: failed passwords must not block recovery,
            // the way out for someone whose password is being guessed.
            let counted_as = format!("recovery:{username}");
            if throttle::is_blocked(&state, &t.id, &counted_as, ip).await.html_err()? {
                telemetry::sign_in(SignInMethod::RecoveryCode, SignInOutcome::Throttled);
                return Ok(page(&state, &tenant, &headers, StatusCode::TOO_MANY_REQUESTS, None, Some("too-many-attempts")));
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
                    recovered(&state, &tenant, &headers, &u.id, SignInMethod::RecoveryCode, ip).await
                }
                _ => {
                    throttle::record_failure(&state, &t.id, &counted_as, ip).await.html_err()?;
                    tracing::info!(tenant = %t.slug, outcome = "failure", method = "recovery", "sign-in");
                    telemetry::sign_in(SignInMethod::RecoveryCode, SignInOutcome::Failure);
                    Ok(page(&state, &tenant, &headers, StatusCode::UNAUTHORIZED, None, Some("recovery-failed")))
                }
            }
        }
        "email" if state.mailer.is_enabled() => {
            let addr = get("email");
            // Counted per address too: mail is not free, and not for spam.
            if throttle::is_blocked(&state, &t.id, &format!("mail:{addr}"), ip).await.html_err()? {
                return Ok(page(&state, &tenant, &headers, StatusCode::TOO_MANY_REQUESTS, None, Some("too-many-attempts")));
            }
            throttle::record_failure(&state, &t.id, &format!("mail:{addr}"), ip).await.html_err()?;
            if let Some(user) = state.store.user_by_verified_email(&t.id, &addr).await.html_err()? {
                let link = mail_link::recovery_link(&state, t, &user.id).await.html_err()?;
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
            Ok(page(&state, &tenant, &headers, StatusCode::OK, Some("recovery-mail-sent"), None))
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
    if !session::check_page_csrf(&state, t, &headers, &get("csrf")) {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "error-csrf"));
    }
    let invalid = || ApiError::page(StatusCode::BAD_REQUEST, "email-link-invalid");
    let v = mail_link::redeem(&state, t, mail_link::RECOVERY, &get("token")).await.html_err()?.ok_or_else(invalid)?;
    match v.get("user").and_then(|u| u.as_str()) {
        Some(uid) => recovered(&state, &tenant, &headers, uid, SignInMethod::EmailLink, ip).await,
        None => Err(invalid()),
    }
}
