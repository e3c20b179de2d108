//! The pages that mailed links open, for links that change an account:
//! confirming an e-mail address, and raising a credential bound from a
//! weaker session ([`trame_core::tenant::CredentialUpgrade::Mail`]).
//!
//! A link alone changes nothing. It opens a page with a button, and the
//! button's post needs the session of the account the mail was sent for
//! (and for an upgrade, the very session that asked), with that session's
//! CSRF token: mail scanners that follow links, and a person tricked into
//! opening someone else's link, change nothing.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use trame_core::lifetimes;
use trame_core::tenant::Tenant;
use trame_store::StoreError;

use super::authorize::see_other;
use crate::csrf;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{FormParams, single};
use crate::mail_link;
use crate::render::lang_of;
use crate::session::{self, Session};
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// Kind of the e-mail verification links.
const VERIFY: &str = "ev";
/// Kind of the credential upgrade links.
const UPGRADE: &str = "cu";
/// The level a credential reaches once its upgrade link is confirmed: a
/// mailbox is a second proof, enough for "substantial", never for "high".
pub const UPGRADED_LEVEL: &str = "eidas2";

#[derive(Deserialize)]
pub struct TokenQuery {
    token: String,
}

fn message(state: &AppState, t: &Tenant, headers: &HeaderMap, status: StatusCode, title: &str, msg: &str) -> Response {
    state.themes.page(
        status,
        "message.html",
        context! { lang => lang_of(&state.themes, headers), tenant_name => t.display_name.clone(), title => title, message => msg, is_error => status.is_client_error(), account => t.issuer.endpoint("/account") },
    )
}

fn invalid() -> ApiError {
    ApiError::page(StatusCode::BAD_REQUEST, "email-link-invalid")
}

fn text<'a>(record: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    record.get(key).and_then(Value::as_str)
}

/// The session of the link's account, if this browser has it.
async fn session_of(state: &AppState, t: &Tenant, headers: &HeaderMap, record: &Map<String, Value>) -> ApiResult<Option<Session>> {
    let s = session::current(state, t, headers).await?;
    Ok(s.filter(|s| Some(s.user_id.as_str()) == text(record, "user")))
}

/// The confirmation page of a link, or a page asking to sign in first.
fn confirm_page(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, s: Option<&Session>, token: &str, title: &str, intro: &str) -> Response {
    let t = &tenant.tenant;
    let Some(s) = s else {
        return message(state, t, headers, StatusCode::FORBIDDEN, title, "mail-link-sign-in-first");
    };
    state.themes.page(
        StatusCode::OK,
        "confirm_link.html",
        context! {
            lang => lang_of(&state.themes, headers),
            tenant_name => t.display_name.clone(),
            title => title,
            intro => intro,
            csrf => csrf::for_session(state, s),
            token => token,
        },
    )
}

/// The session and its CSRF token, for a confirmation post.
async fn posting_session(state: &AppState, t: &Tenant, headers: &HeaderMap, f: &[(String, String)]) -> ApiResult<Session> {
    let s = session::current(state, t, headers).await?.ok_or_else(|| ApiError::page(StatusCode::FORBIDDEN, "mail-link-sign-in-first"))?;
    let submitted = single(f, "csrf").ok().flatten().unwrap_or_default();
    if !csrf::matches(&csrf::for_session(state, &s), submitted) {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "error-csrf"));
    }
    Ok(s)
}

// --- E-mail verification ------------------------------------------------

/// Mails a verification link; a failure is logged, not fatal: the address
/// can be verified later from the account page.
pub async fn send_verification(state: &AppState, t: &Tenant, user_id: &str, addr: &str) {
    let record = json!({ "user": user_id, "email": addr });
    let token = match mail_link::issue(state, t, VERIFY, record.as_object().cloned().unwrap_or_default(), lifetimes::EMAIL_VERIFICATION).await {
        Ok(token) => token,
        Err(e) => {
            tracing::warn!(error = %e, "e-mail verification not stored");
            return;
        }
    };
    let link = t.issuer.endpoint(&format!("/verify-email?token={token}"));
    let body = format!(
        "Bonjour,\n\nPour confirmer votre adresse pour {name}, ouvrez ce lien dans le navigateur où vous êtes connecté(e) à votre compte :\n{link}\n\nTo confirm your address for {name}, open this link in the browser where you are signed in to your account:\n{link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n",
        name = t.display_name
    );
    if let Err(e) = state.mailer.send(addr, &format!("{} : confirmez votre adresse / confirm your address", t.display_name), &body).await {
        tracing::warn!(error = %e, tenant = %t.slug, "verification mail not sent");
    }
}

pub async fn verify_show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<TokenQuery>) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let record = mail_link::peek(&state, t, VERIFY, &q.token).await?.ok_or_else(invalid)?;
    let s = session_of(&state, t, &headers, &record).await?;
    Ok(confirm_page(&state, &tenant, &headers, s.as_ref(), &q.token, "email-verify-title", "email-verify-confirm"))
}

pub async fn verify_confirm(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let s = posting_session(&state, t, &headers, &f).await?;
    let token = single(&f, "token").ok().flatten().unwrap_or_default();
    // Checked before the link is used, so the right person can still use
    // it after a wrong browser tried.
    let record = mail_link::peek(&state, t, VERIFY, token).await?.ok_or_else(invalid)?;
    if text(&record, "user") != Some(s.user_id.as_str()) {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "mail-link-other-account"));
    }
    let record = mail_link::redeem(&state, t, VERIFY, token).await?.ok_or_else(invalid)?;
    let addr = text(&record, "email").ok_or_else(invalid)?;
    let user = state.store.user_by_id(&t.id, &s.user_id).await.html_err()?.ok_or_else(invalid)?;
    if user.email.as_deref() != Some(addr) {
        return Err(invalid());
    }
    match state.store.set_email(&t.id, &s.user_id, Some(addr), true, state.now()).await {
        Ok(()) => Ok(message(&state, t, &headers, StatusCode::OK, "email-verified-title", "email-verified")),
        Err(StoreError::Conflict(_)) => Ok(message(&state, t, &headers, StatusCode::CONFLICT, "email-verify-title", "email-taken")),
        Err(e) => Err(e).html_err(),
    }
}

// --- Credential upgrade ---------------------------------------------------

/// Which credential an upgrade link raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Passkey(String),
    Totp,
}

/// Mails the link that raises `credential` of the session's account to its
/// verified address. False when there is no such address.
pub async fn send_upgrade(state: &AppState, t: &Tenant, s: &Session, credential: &Credential) -> ApiResult<bool> {
    let Some(addr) = state.store.user_by_id(&t.id, &s.user_id).await.html_err()?.filter(|u| u.email_verified).and_then(|u| u.email) else {
        return Ok(false);
    };
    let (kind, id) = match credential {
        Credential::Passkey(id) => ("passkey", id.as_str()),
        Credential::Totp => ("totp", ""),
    };
    let record = json!({ "user": s.user_id, "sid": s.sid, "credential": kind, "id": id });
    let token = mail_link::issue(state, t, UPGRADE, record.as_object().cloned().unwrap_or_default(), lifetimes::RECOVERY_LINK).await.html_err()?;
    let link = t.issuer.endpoint(&format!("/account/upgrade?token={token}"));
    let body = format!(
        "Bonjour,\n\nPour que votre nouveau moyen de connexion à {name} compte pleinement, ouvrez ce lien dans les 30 minutes, dans le navigateur où vous l'avez ajouté :\n{link}\n\nTo make your new way of signing in to {name} count in full, open this link within 30 minutes, in the browser where you added it:\n{link}\n\nSi vous n'avez rien ajouté, quelqu'un connaît peut-être votre mot de passe : changez-le et retirez ce moyen de connexion.\nIf you added nothing, someone may know your password: change it and remove that way of signing in.\n",
        name = t.display_name
    );
    if let Err(e) = state.mailer.send(&addr, &format!("{} : confirmez votre moyen de connexion / confirm your way of signing in", t.display_name), &body).await
    {
        tracing::warn!(error = %e, tenant = %t.slug, "upgrade mail not sent");
    }
    Ok(true)
}

/// The upgrade link's record, for this very session.
fn upgrade_for(record: &Map<String, Value>, s: &Session) -> Option<Credential> {
    if text(record, "user") != Some(s.user_id.as_str()) || text(record, "sid") != Some(s.sid.as_str()) {
        return None;
    }
    match text(record, "credential")? {
        "passkey" => Some(Credential::Passkey(text(record, "id")?.to_owned())),
        "totp" => Some(Credential::Totp),
        _ => None,
    }
}

pub async fn upgrade_show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<TokenQuery>) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let record = mail_link::peek(&state, t, UPGRADE, &q.token).await?.ok_or_else(invalid)?;
    let s = session::current(&state, t, &headers).await?.filter(|s| upgrade_for(&record, s).is_some());
    Ok(confirm_page(&state, &tenant, &headers, s.as_ref(), &q.token, "upgrade-title", "upgrade-confirm"))
}

pub async fn upgrade_confirm(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let s = posting_session(&state, t, &headers, &f).await?;
    let token = single(&f, "token").ok().flatten().unwrap_or_default();
    let record = mail_link::peek(&state, t, UPGRADE, token).await?.ok_or_else(invalid)?;
    let credential = upgrade_for(&record, &s).ok_or_else(|| ApiError::page(StatusCode::FORBIDDEN, "mail-link-other-account"))?;
    mail_link::redeem(&state, t, UPGRADE, token).await?.ok_or_else(invalid)?;
    match credential {
        Credential::Passkey(id) => match state.store.set_passkey_max_acr(&t.id, &s.user_id, &id, Some(UPGRADED_LEVEL)).await {
            Ok(()) => {}
            Err(StoreError::NotFound(_)) => {
                return Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found"));
            }
            Err(e) => return Err(e).html_err(),
        },
        Credential::Totp => state.store.set_totp_max_acr(&t.id, &s.user_id, Some(UPGRADED_LEVEL)).await.html_err()?,
    }
    tracing::info!(tenant = %t.slug, "credential upgraded by mailed link");
    Ok(see_other(&t.issuer.endpoint("/account?notice=credential-upgraded")))
}
