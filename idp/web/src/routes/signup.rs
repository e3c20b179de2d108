//! Creating an account with a passkey at `<issuer>/signup`, when the tenant
//! allows it (open, or with an invitation). The account has a discoverable
//! passkey and no password; the recovery codes are shown once, in the
//! answer that completes the sign-up, and stored only as digests.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use serde_json::json;
use trame_core::assurance::{self, Method};
use trame_core::crypto::secret_digest;
use trame_core::oauth::ErrorCode;
use trame_core::tenant::{Registration, Tenant};
use trame_core::{lifetimes, recovery};
use trame_store::{NewUser, StoreError};

use crate::ceremony::{self, Purpose};
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::{ClientIp, FormParams, json_body, single};
use crate::interaction;
use crate::render::lang_of;
use crate::respond::with_cookie;
use crate::session;
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::mail_link::send_verification;
use trame_app::passkeys::to_new_passkey_named;
use trame_app::throttle;
use trame_app::users::{self, AccountRefusal, Creator, NewAccount};
use trame_webauthn::{self as webauthn, UserEntity};

#[derive(Deserialize)]
pub struct SignupQuery {
    #[serde(default)]
    interaction: Option<String>,
    #[serde(default)]
    invitation: Option<String>,
}

/// Whether this tenant lets this request sign up; the invitation digest
/// when one is needed and valid.
async fn allowed(state: &AppState, t: &Tenant, invitation: Option<&str>) -> ApiResult<Result<Option<String>, &'static str>> {
    match t.settings.registration {
        Registration::Closed => Ok(Err("signup-closed")),
        Registration::Open => Ok(Ok(None)),
        Registration::Invite => {
            let Some(token) = invitation.filter(|i| i.len() == 43) else {
                return Ok(Err("signup-invitation-needed"));
            };
            let digest = secret_digest(token);
            match state.store.invitation(&t.id, &digest, state.now()).await.html_err()? {
                Some(_) => Ok(Ok(Some(digest))),
                None => Ok(Err("signup-invitation-invalid")),
            }
        }
    }
}

pub async fn show(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, Query(q): Query<SignupQuery>) -> ApiResult<Response> {
    let t = &tenant.tenant;
    if let Err(msg) = allowed(&state, t, q.invitation.as_deref()).await? {
        return Err(ApiError::page(StatusCode::FORBIDDEN, msg));
    }
    let email = match q.invitation.as_deref() {
        Some(i) => state.store.invitation(&t.id, &secret_digest(i), state.now()).await.html_err()?.and_then(|i| i.email),
        None => None,
    };
    let form = Form {
        interaction: q.interaction.unwrap_or_default(),
        invitation: q.invitation.unwrap_or_default(),
        email: email.unwrap_or_default(),
        ..Form::default()
    };
    Ok(form_page(&state, &tenant, &headers, StatusCode::OK, &form, &FieldErrors::default()))
}

/// The sign-up form as filled in, shown again with its errors.
#[derive(Default)]
struct Form {
    username: String,
    email: String,
    interaction: String,
    invitation: String,
}

/// The message of each field's error, by Fluent id; `None`: the field is
/// fine. `other` is an error about no field (a passkey needs JavaScript).
#[derive(Default)]
struct FieldErrors {
    username: Option<&'static str>,
    email: Option<&'static str>,
    other: Option<&'static str>,
}

fn form_page(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, status: StatusCode, form: &Form, errors: &FieldErrors) -> Response {
    let t = &tenant.tenant;
    let (binding, cookie) = session::binding(state, t, headers);
    // The first field in error takes the focus (`autofocus`), so the
    // person lands where the problem is, with or without JavaScript.
    let focus = if errors.username.is_some() {
        "username"
    } else if errors.email.is_some() {
        "email"
    } else {
        ""
    };
    let page = state.themes.page(
        status,
        "signup.html",
        context! {
            lang => lang_of(&state.themes, headers),
            tenant => crate::branding::view(t),
            csrf => session::page_csrf(state, &binding),
            base => t.issuer.path_prefix(),
            interaction => form.interaction.clone(),
            invitation => form.invitation.clone(),
            username => form.username.clone(),
            email => form.email.clone(),
            mail_enabled => state.mailer.is_enabled(),
            username_error => errors.username,
            email_error => errors.email,
            form_error => errors.other,
            focus => focus,
        },
    );
    with_cookie(page, cookie)
}

/// The form posted without the page's script (which creates the passkey
/// and never posts it): the fields are checked by the same rules as the
/// script's request, and each error is shown at its field. A form with no
/// error still needs the script, which the page then says.
pub async fn check(
    State(state): State<AppState>,
    tenant: TenantCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormParams(f): FormParams,
) -> ApiResult<Response> {
    let get = |n: &str| single(&f, n).ok().flatten().unwrap_or_default().to_owned();
    let t = &tenant.tenant;
    session::page_form_csrf(&state, t, &headers, &get("csrf"))?;
    let form = Form { username: get("username"), email: get("email"), interaction: get("interaction"), invitation: get("invitation") };
    if let Err(msg) = allowed(&state, t, Some(form.invitation.as_str()).filter(|i| !i.is_empty())).await? {
        return Err(ApiError::page(StatusCode::FORBIDDEN, msg));
    }
    let mut errors = FieldErrors::default();
    let account = NewAccount { username: form.username.clone(), email: Some(form.email.clone()), ..NewAccount::default() };
    match users::check(t, Creator::Person, account) {
        Err(AccountRefusal::Email) => errors.email = Some("email-invalid"),
        Err(_) => {
            errors.username = Some("signup-username-invalid");
            // The rules stop at the first refusal: the address is checked
            // on its own too, so both errors show at once.
            let email = form.email.trim();
            if !email.is_empty() && !trame_app::mail::valid_email(email) {
                errors.email = Some("email-invalid");
            }
        }
        Ok(checked) => {
            // Counted per address, as the script's request is: the answer
            // says whether a name is taken.
            if !throttle::allow_username_check(&state, &t.id, ip).await.html_err()? {
                return Err(ApiError::page(StatusCode::TOO_MANY_REQUESTS, "too-many-attempts"));
            }
            if !users::available(&state.store, t, checked.username()).await.html_err()? {
                errors.username = Some("signup-username-taken");
            }
        }
    }
    let status = if errors.username.is_some() || errors.email.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        errors.other = Some("passkey-needs-script");
        StatusCode::OK
    };
    Ok(form_page(&state, &tenant, &headers, status, &form, &errors))
}

#[derive(Deserialize)]
struct OptionsRequest {
    csrf: String,
    username: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    interaction: Option<String>,
    #[serde(default)]
    invitation: Option<String>,
}

fn refused(error: ErrorCode, description: &str) -> ApiError {
    ApiError::oauth(error, description)
}

pub async fn options(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let req: OptionsRequest = json_body(&body)?;
    let t = &tenant.tenant;
    session::script_csrf(&state, t, &headers, &req.csrf)?;
    let invitation = match allowed(&state, t, req.invitation.as_deref()).await.map_err(|_| refused(ErrorCode::ServerError, "try again"))? {
        Ok(i) => i,
        Err(_) => {
            return Err(ApiError::oauth(ErrorCode::SignupNotAllowed, "this service does not accept new accounts here"));
        }
    };
    let account = NewAccount { username: req.username, email: req.email, ..NewAccount::default() };
    let checked = users::check(t, Creator::Person, account).map_err(|r| {
        let code = if r == AccountRefusal::Email { ErrorCode::InvalidEmail } else { ErrorCode::InvalidUsername };
        refused(code, &r.to_string())
    })?;
    let (username, email) = (checked.username().to_owned(), checked.email().map(str::to_owned));
    // Asking for a username is the one place a sign-up must say it is
    // taken: counted per address first, so it cannot list the accounts.
    if !throttle::allow_username_check(&state, &t.id, ip).await.json_err()? {
        return Err(ApiError::oauth(ErrorCode::SlowDown, "too many attempts: try again later"));
    }
    if !users::available(&state.store, t, &username).await.json_err()? {
        return Err(refused(ErrorCode::UsernameTaken, &AccountRefusal::Taken.to_string()));
    }
    let user_id = uuid::Uuid::now_v7();
    let rp = ceremony::relying_party(t)?;
    let user = UserEntity { handle: *user_id.as_bytes(), name: &username, display_name: &username };
    let started = webauthn::start_registration(&rp, &user, &[]).map_err(|e| ceremony::refused(t, "passkey sign-up", &e))?;
    let purpose = Purpose::SignUp { interaction: req.interaction.filter(|i| !i.is_empty()), user_id: user_id.to_string(), username, email, invitation };
    let options = ceremony::begin(&state, t, &headers, ip, started, purpose).await?;
    Ok(Json(options).into_response())
}

#[derive(Deserialize)]
struct FinishRequest {
    csrf: String,
    credential: serde_json::Value,
    /// The name the page proposes for the passkey (browser and device, in
    /// the page's language); the authenticator's model name otherwise.
    #[serde(default)]
    name: Option<String>,
}

pub async fn finish(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let req: FinishRequest = json_body(&body)?;
    let t = &tenant.tenant;
    session::script_csrf(&state, t, &headers, &req.csrf)?;
    let (purpose, key) =
        ceremony::finish_registration(&state, t, &headers, &req.credential, "passkey sign-up", |p| matches!(p, Purpose::SignUp { .. })).await?;
    let Purpose::SignUp { interaction: ia_id, user_id, username, email, invitation } = purpose else {
        return Err(ceremony::refused(t, "passkey sign-up", &webauthn::CeremonyError::WrongCeremony));
    };
    let method = Method::Passkey { device_bound: !key.backup_eligible, user_verified: key.user_verified };
    let codes = recovery::generate(state.rng.as_ref(), lifetimes::RECOVERY_CODES);
    let digests: Vec<String> = codes.iter().map(|c| recovery::digest(c)).collect();
    let new_user = NewUser { id: Some(user_id.clone()), username, email: email.clone(), ..NewUser::default() };
    let now = state.now();
    let user = match state
        .store
        .create_user_with_passkey(&t.id, new_user, to_new_passkey_named(key, None, req.name.as_deref()), &digests, invitation.as_deref(), now)
        .await
    {
        Ok(u) => u,
        Err(StoreError::Conflict(what)) => {
            // The username was taken meanwhile, or the same registration was
            // replayed (the credential id is unique).
            tracing::info!(tenant = %t.slug, outcome = "failure", reason = "conflict", "passkey sign-up");
            return Err(refused(ErrorCode::Conflict, &format!("{what} already exists")));
        }
        Err(StoreError::Invalid(why)) => return Err(refused(ErrorCode::SignupNotAllowed, &why)),
        Err(e) => return Err(e).json_err(),
    };
    tracing::info!(tenant = %t.slug, outcome = "success", method = "passkey", "sign-up");
    if let Some(addr) = &email {
        send_verification(&state, t, &user.id, addr, &crate::render::lang_of(&state.themes, &headers)).await;
    }

    // Signed in at once, with the passkey just made.
    let amr = assurance::amr(&[method]);
    let acr = t.settings.acr_policy.level_reached(&amr);
    let (session, cookie) = session::start(&state, &tenant, &headers, &user.id, amr, acr.to_owned())
        .await
        .map_err(|_| refused(ErrorCode::ServerError, "the account exists: sign in"))?;
    // The account page shows the passkey just made as the one used; a
    // failure to note it does not undo the sign-up.
    let noted = match state.store.passkeys_of(&t.id, &user.id).await {
        Ok(keys) => match keys.first() {
            Some(k) => trame_app::sessions::note_passkey(&state, &session, &k.id).await.map_err(|e| e.to_string()),
            None => Ok(()),
        },
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = noted {
        tracing::warn!(tenant = %t.slug, error = %e, "the session's passkey could not be noted");
    }
    let mut location = t.issuer.endpoint("/account");
    if let Some(id) = ia_id
        && let Ok(mut ia) = interaction::load(&state, t, &headers, &id).await
    {
        // Below the level the service asked for (a tenant rule the new
        // passkey does not meet): back to the sign-in page, which says
        // why, rather than an error sent to the service.
        let enough = ia.required_acr.as_ref().is_none_or(|r| assurance::satisfies(acr, std::slice::from_ref(r)));
        if enough {
            ia.login_at = Some(now);
            interaction::save(&state, &id, &ia).await.html_err()?;
            location = t.issuer.endpoint(&format!("/login/continue?interaction={id}"));
        } else {
            location = t.issuer.endpoint(&format!("/login?interaction={id}"));
        }
    }
    Ok(with_cookie(Json(json!({ "recovery_codes": codes, "location": location })).into_response(), Some(cookie)))
}
