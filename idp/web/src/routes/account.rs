//! The account page at `<issuer>/account`, for the signed-in person: their
//! passkeys (add, rename, remove), password, TOTP, recovery codes, e-mail
//! address and sessions. Every change is a form post with the page's CSRF
//! token, answered by a redirect back to the page with a notice.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use serde_json::json;
use trame_core::crypto::b64url;
use trame_core::oauth::ErrorCode;
use trame_core::tenant::CredentialUpgrade;
use trame_core::{aaguid, assurance, lifetimes, password, recovery, totp};
use trame_store::StoreError;

use crate::account_guard::{Refused, audited, back, checked_session, form_session, signed_in};
use crate::ceremony::{self, Purpose};
use crate::csrf;
use crate::dates::Dates;
use crate::enrolment;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::json_body;
use crate::extract::{ClientIp, FormParams, single};
use crate::render::lang_of;
use crate::respond::see_other;
use crate::session::Session;
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::mail::valid_email;
use trame_app::mail_link::{self, Credential, send_verification};
use trame_app::passkeys::{to_new_passkey_named, valid_name};
use trame_app::throttle;
use trame_webauthn::{self as webauthn, UserEntity};

/// Notices the page can show after a change (a fixed list: the query
/// string never puts arbitrary text on the page).
const NOTICES: &[&str] = &[
    "passkey-added",
    "passkey-renamed",
    "passkey-removed",
    "passkey-last-confirm",
    "password-set",
    "password-removed",
    "password-too-short",
    "password-last",
    "totp-enabled",
    "totp-disabled",
    "session-ended",
    "email-sent",
    "email-invalid",
    "recovered",
    "upgrade-mail-sent",
    "upgrade-needs-email",
    "credential-upgraded",
    "profile-saved",
    "profile-invalid",
    "profile-stale",
    "directory-managed",
    "consent-withdrawn",
    "delete-unconfirmed",
    "delete-last-operator",
];

/// The audit actions the page's "recent activity" names (each has an
/// `activity-` translation); others are not shown.
const ACTIVITY: &[&str] = &[
    "sign_in",
    "recovery.used",
    "passkey.added",
    "passkey.removed",
    "password.set",
    "password.removed",
    "totp.enabled",
    "totp.disabled",
    "recovery_codes.renewed",
    "email.changed",
    "session.ended",
    "consent.given",
    "consent.withdrawn",
    "user.updated",
    "user.disabled",
    "user.enabled",
    "user.sessions_ended",
    "user.credentials_reset",
    "user.exported",
    "role.granted",
    "role.revoked",
];

#[derive(Deserialize)]
pub struct AccountQuery {
    #[serde(default)]
    notice: Option<String>,
}

/// Whether a credential's cap keeps it below two-factor sign-in.
fn is_limited(max_acr: Option<&str>) -> bool {
    max_acr.is_some_and(|cap| !assurance::satisfies(cap, &[mail_link::UPGRADED_LEVEL.to_owned()]))
}

pub async fn show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<AccountQuery>,
) -> ApiResult<Response> {
    let s = match signed_in(&state, &tenant, &headers, ip).await? {
        Ok(s) => s,
        Err(redirect) => return Ok(redirect),
    };
    let t = &tenant.tenant;
    let account = state.store.account(&t.id, &s.user_id).await.html_err()?.ok_or_else(|| ApiError::page(StatusCode::UNAUTHORIZED, "error-signed-out"))?;
    let (user, has_password, has_totp) = (account.profile, account.password_hash.is_some(), account.has_totp);
    // A directory's account: its password, names and e-mail address are the
    // directory's (shown, not changed here); passkeys and TOTP are Trame's.
    let directory_managed = account.directory_id.is_some();
    let passkeys = state.store.passkeys_of(&t.id, &s.user_id).await.html_err()?;
    let codes_left = state.store.recovery_codes_left(&t.id, &s.user_id).await.html_err()?;
    let sessions = state.store.account_sessions(&t.id, &s.user_id, state.now()).await.html_err()?;
    let only_way = passkeys.len() == 1 && !has_password && !directory_managed;
    let totp_limited = has_totp && is_limited(state.store.second_factor_of(&t.id, &s.user_id).await.html_err()?.totp_max_acr.as_deref());
    let otp_failures = if has_totp { throttle::take_otp_failures(&state, &t.id, &s.user_id).await.html_err()? } else { 0 };
    let can_upgrade = t.settings.credential_upgrade == CredentialUpgrade::Mail && state.mailer.is_enabled() && user.email_verified;
    let lang = lang_of(&state.themes, &headers);
    let dates = Dates::new(&state.themes, &lang, &tenant.tenant.settings.time_zone);
    let date = |ts| dates.date(ts);
    let passkeys: Vec<_> = passkeys
        .iter()
        .map(|p| {
            context! {
                id => p.id.clone(),
                name => p.name.clone(),
                created => date(p.created_at),
                last_used => p.last_used_at.map(date),
                // The passkey this session signed in with: "used for this
                // sign-in" says more than today's date.
                just_used => s.passkey.as_deref() == Some(p.id.as_str()),
                model => aaguid::model_name(&p.aaguid),
                synced => p.backup_eligible,
                limited => is_limited(p.max_acr.as_deref()),
            }
        })
        .collect();
    let sessions: Vec<_> = sessions
        .iter()
        .map(|x| context! { sid => x.sid.clone(), label => x.label.clone(), created => date(x.created_at), current => x.sid == s.sid })
        .collect();
    let mut services = Vec::new();
    for c in trame_app::consents::of_user(&state, &tenant, &s.user_id).await.html_err()? {
        let name = tenant.client(&state.store, &c.client_id, state.now()).await.html_err()?.and_then(|k| k.settings.name.clone());
        let scopes: Vec<String> =
            c.scopes.split(' ').filter(|x| trame_core::scope::SUPPORTED.contains(x) && *x != "openid").map(|x| format!("scope-{x}")).collect();
        services.push(context! { client_id => c.client_id.clone(), name => name.unwrap_or(c.client_id), since => date(c.granted_at), scopes => scopes });
    }
    let query = trame_store::AuditQuery { tenant_id: Some(t.id.clone()), subject: Some(trame_app::audit::user(&s.user_id)), limit: 50, ..Default::default() };
    let activity: Vec<_> = state
        .store
        .audit_events(&query)
        .await
        .html_err()?
        .into_iter()
        .filter(|e| ACTIVITY.contains(&e.action.as_str()))
        .take(10)
        .map(|e| {
            context! {
                what => format!("activity-{}", e.action.replace(['.', '_'], "-")),
                when => dates.date_time(e.at),
                failed => e.outcome == "failure",
                by_admin => !e.actor.ends_with(&s.user_id),
                address => e.address,
            }
        })
        .collect();
    let notice = q.notice.filter(|n| NOTICES.contains(&n.as_str()));
    let page = state.themes.page(
        StatusCode::OK,
        "account.html",
        context! {
            lang => lang,
            tenant => crate::branding::view(t),
            csrf => csrf::for_session(&state, &s.store_key),
            base => t.issuer.path_prefix(),
            username => user.username,
            given_name => user.given_name,
            family_name => user.family_name,
            version => account.version,
            services => services,
            activity => activity,
            email => user.email,
            email_verified => user.email_verified,
            mail_enabled => state.mailer.is_enabled(),
            passkeys => passkeys,
            only_way => only_way,
            has_password => has_password,
            directory_managed => directory_managed,
            has_totp => has_totp,
            totp_limited => totp_limited,
            otp_failures => otp_failures,
            can_upgrade => can_upgrade,
            codes_left => codes_left,
            sessions => sessions,
            notice => notice,
        },
    );
    Ok(page)
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

/// JSON endpoints' check: the session and its CSRF token.
async fn json_session(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, csrf: &str) -> ApiResult<Session> {
    checked_session(state, tenant, headers, csrf).await?.map_err(|r| match r {
        Refused::Csrf => ApiError::oauth(ErrorCode::ForbiddenRequest, "bad CSRF token: reload the page"),
        Refused::SignInAgain => ApiError::oauth(ErrorCode::SignedOut, "sign in again"),
    })
}

pub async fn passkey_options(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let req: CsrfOnly = json_body(&body)?;
    let s = json_session(&state, &tenant, &headers, &req.csrf).await?;
    let t = &tenant.tenant;
    let user = state.store.user_by_id(&t.id, &s.user_id).await.json_err()?.ok_or_else(|| ApiError::oauth(ErrorCode::SignedOut, "sign in again"))?;
    let handle = ceremony::user_handle(&user.id).ok_or_else(|| ApiError::oauth(ErrorCode::PasskeysUnavailable, "this account cannot hold passkeys"))?;
    // The authenticator refuses to make a second passkey for this account.
    let exclude: Vec<Vec<u8>> = state.store.passkeys_of(&t.id, &user.id).await.json_err()?.into_iter().map(|p| p.credential_id).collect();
    let rp = ceremony::relying_party(t)?;
    let name: String = user.username.chars().filter(|c| !c.is_whitespace()).collect();
    let entity = UserEntity { handle, name: &name, display_name: &user.username };
    let started = webauthn::start_registration(&rp, &entity, &exclude).map_err(|e| ceremony::refused(t, "passkey registration", &e))?;
    let options = ceremony::begin(&state, t, &headers, ip, started, Purpose::AddPasskey { user_id: user.id }).await?;
    Ok(Json(options).into_response())
}

#[derive(Deserialize)]
struct FinishRequest {
    csrf: String,
    credential: serde_json::Value,
    /// The name the page proposes (browser and device, in the page's
    /// language); the authenticator's model name without one.
    #[serde(default)]
    name: Option<String>,
    /// The pending sign-in the passkey is added for, from the level page.
    #[serde(default)]
    interaction: Option<String>,
}

pub async fn passkey_finish(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let req: FinishRequest = json_body(&body)?;
    let s = json_session(&state, &tenant, &headers, &req.csrf).await?;
    let t = &tenant.tenant;
    let for_this_user = |p: &Purpose| matches!(p, Purpose::AddPasskey { user_id } if *user_id == s.user_id);
    let (_, key) = ceremony::finish_registration(&state, t, &headers, &req.credential, "passkey registration", for_this_user).await?;
    // The passkey counts for no more than the session that added it
    // (NIST SP 800-63B §6.1): a password-only session cannot mint a
    // two-factor credential. `/account/passkeys/upgrade` may raise it.
    let added = match state.store.add_passkey(&t.id, &s.user_id, to_new_passkey_named(key, Some(s.acr.clone()), req.name.as_deref()), state.now()).await {
        Ok(p) => p,
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::oauth(ErrorCode::Conflict, "this passkey is already registered"));
        }
        Err(e) => return Err(e).json_err(),
    };
    tracing::info!(tenant = %t.slug, outcome = "success", "passkey added");
    audited(&state, &tenant, &s.user_id, "passkey.added", ip).await;
    let next = match enrolment::enrolling_for(&state, &tenant, &headers, req.interaction.as_deref(), &s).await {
        Some((id, ia)) => enrolment::credential_added(&state, &tenant, &headers, &s, &Credential::Passkey(added.id), (&id, &ia)).await.json_err()?,
        None => t.issuer.endpoint("/account?notice=passkey-added"),
    };
    Ok(Json(json!({ "location": next })).into_response())
}

pub async fn passkey_rename(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    let id = single(&f, "id").ok().flatten().unwrap_or_default();
    let Some(name) = valid_name(single(&f, "name").ok().flatten().unwrap_or_default()) else {
        return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"));
    };
    match state.store.rename_passkey(&tenant.tenant.id, &s.user_id, id, name).await {
        Ok(()) => Ok(back(&tenant, "passkey-renamed")),
        Err(StoreError::NotFound(_)) => Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found")),
        Err(e) => Err(e).html_err(),
    }
}

pub async fn passkey_remove(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    let id = single(&f, "id").ok().flatten().unwrap_or_default();
    let confirmed = single(&f, "confirm_last").ok().flatten() == Some("yes");
    match state.store.remove_passkey(&tenant.tenant.id, &s.user_id, id, confirmed).await {
        Ok(()) => {
            tracing::info!(tenant = %tenant.tenant.slug, "passkey removed");
            audited(&state, &tenant, &s.user_id, "passkey.removed", ip).await;
            trame_app::sessions::end_others(&state, &tenant, &s.user_id, &s).await.html_err()?;
            Ok(back(&tenant, "passkey-removed"))
        }
        Err(StoreError::Invalid(_)) => Ok(back(&tenant, "passkey-last-confirm")),
        Err(StoreError::NotFound(_)) => Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found")),
        Err(e) => Err(e).html_err(),
    }
}

/// Whether a directory manages the account: its password and e-mail
/// address are changed there, not here.
async fn directory_managed(state: &AppState, t: &trame_core::tenant::Tenant, user_id: &str) -> ApiResult<bool> {
    Ok(state.store.account(&t.id, user_id).await.html_err()?.is_some_and(|a| a.directory_id.is_some()))
}

pub async fn password(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    let t = &tenant.tenant;
    if directory_managed(&state, t, &s.user_id).await? {
        return Ok(back(&tenant, "directory-managed"));
    }
    if single(&f, "action").ok().flatten() == Some("remove") {
        return match state.store.set_password_of(&t.id, &s.user_id, None, state.now()).await {
            Ok(()) => {
                trame_app::sessions::end_others(&state, &tenant, &s.user_id, &s).await.html_err()?;
                audited(&state, &tenant, &s.user_id, "password.removed", ip).await;
                Ok(back(&tenant, "password-removed"))
            }
            Err(StoreError::Invalid(_)) => Ok(back(&tenant, "password-last")),
            Err(e) => Err(e).html_err(),
        };
    }
    let new = single(&f, "password").ok().flatten().unwrap_or_default().to_owned();
    // ANSSI and NIST: length matters, composition rules do not.
    if new.chars().count() < 12 || new.len() > 1024 {
        return Ok(back(&tenant, "password-too-short"));
    }
    let rng = state.rng.clone();
    let hash = state.password_work.run(move |memory| password::hash_in(memory, &new, rng.as_ref())).await?;
    let hash = hash.map_err(|_| ApiError::page(StatusCode::INTERNAL_SERVER_ERROR, "error-internal"))?;
    state.store.set_password_of(&t.id, &s.user_id, Some(&hash), state.now()).await.html_err()?;
    trame_app::sessions::end_others(&state, &tenant, &s.user_id, &s).await.html_err()?;
    audited(&state, &tenant, &s.user_id, "password.set", ip).await;
    Ok(back(&tenant, "password-set"))
}

/// The TOTP set-up page: a new secret, kept in the ephemeral store until
/// the person proves their app has it by entering a code.
#[derive(Deserialize)]
pub struct TotpQuery {
    /// The pending sign-in TOTP is set up for, from the level page.
    #[serde(default)]
    interaction: Option<String>,
}

pub async fn totp_show(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(q): Query<TotpQuery>,
) -> ApiResult<Response> {
    let s = match signed_in(&state, &tenant, &headers, ip).await? {
        Ok(s) => s,
        Err(redirect) => return Ok(redirect),
    };
    let t = &tenant.tenant;
    let user = state.store.user_by_id(&t.id, &s.user_id).await.html_err()?.ok_or_else(|| ApiError::page(StatusCode::UNAUTHORIZED, "error-signed-out"))?;
    let secret = totp::new_secret(state.rng.as_ref());
    state.ephemeral.put(&trame_store::ephemeral_keys::totp_setup(&s.sid), &b64url(&secret), 15 * 60).await.html_err()?;
    let enrolling = enrolment::enrolling_for(&state, &tenant, &headers, q.interaction.as_deref(), &s).await.map(|(id, _)| id);
    let shown = TotpShown { secret: &secret, username: &user.username, status: StatusCode::OK, error: None, interaction: enrolling.as_deref() };
    totp_page(&state, &tenant, &headers, &s, shown)
}

/// What the TOTP set-up page shows.
struct TotpShown<'a> {
    secret: &'a [u8],
    username: &'a str,
    status: StatusCode,
    error: Option<&'a str>,
    /// The pending sign-in it is set up for, carried through the form.
    interaction: Option<&'a str>,
}

fn totp_page(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, s: &Session, shown: TotpShown<'_>) -> ApiResult<Response> {
    let TotpShown { secret, username, status, error, interaction } = shown;
    let t = &tenant.tenant;
    let uri = totp::otpauth_uri(secret, &t.display_name, username);
    let page = state.themes.page(
        status,
        "totp.html",
        context! {
            lang => lang_of(&state.themes, headers),
            tenant => crate::branding::view(t),
            csrf => csrf::for_session(state, &s.store_key),
            secret => totp::secret_base32(secret),
            qr => minijinja::Value::from_safe_string(totp::qr_svg(&uri).unwrap_or_default()),
            uri => uri,
            error => error,
            interaction => interaction,
        },
    );
    Ok(page)
}

pub async fn totp_submit(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    let t = &tenant.tenant;
    if single(&f, "action").ok().flatten() == Some("disable") {
        state.store.set_totp_secret(&t.id, &s.user_id, None, None, state.now()).await.html_err()?;
        trame_app::sessions::end_others(&state, &tenant, &s.user_id, &s).await.html_err()?;
        audited(&state, &tenant, &s.user_id, "totp.disabled", ip).await;
        return Ok(back(&tenant, "totp-disabled"));
    }
    if state.store.account(&t.id, &s.user_id).await.html_err()?.is_none_or(|a| a.password_hash.is_none() && a.directory_id.is_none()) {
        // A second factor belongs to password accounts; passkeys already
        // are two factors.
        return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"));
    }
    let key = trame_store::ephemeral_keys::totp_setup(&s.sid);
    let secret = state
        .ephemeral
        .get(&key)
        .await
        .html_err()?
        .and_then(|v| trame_core::crypto::b64url_decode(&v))
        .ok_or_else(|| ApiError::page(StatusCode::BAD_REQUEST, "error-interaction-expired"))?;
    let code = single(&f, "code").ok().flatten().unwrap_or_default();
    let enrolling = enrolment::enrolling_for(&state, &tenant, &headers, single(&f, "interaction").ok().flatten(), &s).await;
    match totp::verify(&secret, code, state.now()) {
        Some(step) => {
            state.ephemeral.delete(&key).await.html_err()?;
            state.store.set_totp_secret(&t.id, &s.user_id, Some(&secret), Some(&s.acr), state.now()).await.html_err()?;
            state.store.claim_totp_step(&t.id, &s.user_id, step).await.html_err()?;
            audited(&state, &tenant, &s.user_id, "totp.enabled", ip).await;
            match enrolling {
                Some((id, ia)) => Ok(see_other(&enrolment::credential_added(&state, &tenant, &headers, &s, &Credential::Totp, (&id, &ia)).await.html_err()?)),
                None => Ok(back(&tenant, "totp-enabled")),
            }
        }
        None => {
            let user = state.store.user_by_id(&t.id, &s.user_id).await.html_err()?.map(|u| u.username).unwrap_or_default();
            let id = enrolling.map(|(id, _)| id);
            let shown = TotpShown { secret: &secret, username: &user, status: StatusCode::BAD_REQUEST, error: Some("otp-failed"), interaction: id.as_deref() };
            totp_page(&state, &tenant, &headers, &s, shown)
        }
    }
}

/// New recovery codes, shown once on the page that answers this post.
pub async fn recovery_codes(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    let t = &tenant.tenant;
    let codes = recovery::generate(state.rng.as_ref(), lifetimes::RECOVERY_CODES);
    let digests: Vec<String> = codes.iter().map(|c| recovery::digest(c)).collect();
    state.store.replace_recovery_codes(&t.id, &s.user_id, &digests, state.now()).await.html_err()?;
    audited(&state, &tenant, &s.user_id, "recovery_codes.renewed", ip).await;
    Ok(state.themes.page(
        StatusCode::OK,
        "recovery_codes.html",
        context! { lang => lang_of(&state.themes, &headers), tenant => crate::branding::view(t), codes => codes, next => t.issuer.endpoint("/account") },
    ))
}

pub async fn session_end(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    let sid = single(&f, "sid").ok().flatten().unwrap_or_default();
    if !trame_app::sessions::end_by_sid(&state, &tenant, &s.user_id, sid).await.html_err()? {
        return Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found"));
    }
    audited(&state, &tenant, &s.user_id, "session.ended", ip).await;
    Ok(back(&tenant, "session-ended"))
}

pub async fn email(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    let t = &tenant.tenant;
    if directory_managed(&state, t, &s.user_id).await? {
        return Ok(back(&tenant, "directory-managed"));
    }
    let addr = single(&f, "email").ok().flatten().unwrap_or_default().trim().to_owned();
    if !valid_email(&addr) {
        return Ok(back(&tenant, "email-invalid"));
    }
    state.store.set_email(&t.id, &s.user_id, Some(&addr), false, state.now()).await.html_err()?;
    send_verification(&state, t, &s.user_id, &addr, &lang_of(&state.themes, &headers)).await;
    audited(&state, &tenant, &s.user_id, "email.changed", ip).await;
    Ok(back(&tenant, "email-sent"))
}

/// Asks for the mailed link that lets a credential bound from a weaker
/// session count in full, when the tenant allows it.
pub async fn upgrade(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, FormParams(f): FormParams) -> ApiResult<Response> {
    let s = form_session(&state, &tenant, &headers, &f).await?;
    let t = &tenant.tenant;
    if t.settings.credential_upgrade != CredentialUpgrade::Mail || !state.mailer.is_enabled() {
        return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"));
    }
    let credential = match single(&f, "credential").ok().flatten() {
        Some("totp") => Credential::Totp,
        Some("passkey") => {
            let id = single(&f, "id").ok().flatten().unwrap_or_default();
            let passkeys = state.store.passkeys_of(&t.id, &s.user_id).await.html_err()?;
            if !passkeys.iter().any(|p| p.id == id) {
                return Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found"));
            }
            Credential::Passkey(id.to_owned())
        }
        _ => return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request")),
    };
    if mail_link::send_upgrade(&state, t, &s, &credential, &lang_of(&state.themes, &headers), None).await.html_err()? {
        Ok(back(&tenant, "upgrade-mail-sent"))
    } else {
        Ok(back(&tenant, "upgrade-needs-email"))
    }
}
