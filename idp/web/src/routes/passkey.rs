//! Signing in with a passkey, from the sign-in page's script: `options`
//! starts a ceremony (discoverable for autofill and the passkey button, or
//! with an allow list once a username is known), `finish` verifies the
//! browser's answer, starts the session and tells the page where to go.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use trame_core::assurance::Method;
use trame_core::oauth::ErrorCode;
use trame_core::tenant::CounterPolicy;

use crate::ceremony::{self, Purpose};
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::ClientIp;
use crate::extract::json_body;
use crate::interaction::{self, Interaction};
use crate::respond::with_cookie;
use crate::signin::{self, Authenticated, SignedIn};
use crate::state::AppState;
use crate::telemetry::{self, SignInMethod, SignInOutcome};
use crate::tenancy::TenantCtx;
use trame_webauthn::{self as webauthn, StoredPasskey};

/// Reads a JSON request body into `T`, with an OAuth-style error.

#[derive(Deserialize)]
struct OptionsRequest {
    interaction: String,
    csrf: String,
    #[serde(default)]
    username: Option<String>,
}

/// Loads the interaction a script request belongs to (JSON errors).
async fn interaction_for(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, id: &str, csrf: &str) -> ApiResult<Interaction> {
    let ia = interaction::load(state, &tenant.tenant, headers, id)
        .await
        .map_err(|_| ApiError::oauth(ErrorCode::InteractionExpired, "the sign-in page has expired: reload it"))?;
    interaction::check_csrf(&ia, Some(csrf)).map_err(|_| ApiError::oauth(ErrorCode::ForbiddenRequest, "bad CSRF token"))?;
    Ok(ia)
}

pub async fn options(State(state): State<AppState>, tenant: TenantCtx, ClientIp(ip): ClientIp, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let req: OptionsRequest = json_body(&body)?;
    interaction_for(&state, &tenant, &headers, &req.interaction, &req.csrf).await?;
    let t = &tenant.tenant;
    let rp = ceremony::relying_party(t)?;
    let username = req.username.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let (started, user_id) = match username {
        None => (webauthn::start_sign_in(&rp, None).map_err(|e| ceremony::refused(t, "passkey sign-in", &e))?, None),
        Some(name) => {
            // Username first: the allow list names the user's passkeys. An
            // unknown user gets a stable made-up credential id, so the
            // answer does not tell whether the account exists.
            let user = if name.len() > 200 { None } else { state.store.user_for_sign_in(&t.id, name).await.json_err()?.map(|a| a.profile) };
            let mut allow = Vec::new();
            if let Some(u) = &user {
                for p in state.store.passkeys_of(&t.id, &u.id).await.json_err()? {
                    allow.push((p.credential_id, p.transports));
                }
            }
            if allow.is_empty() {
                allow = made_up_credentials(t, name);
            }
            let started = webauthn::start_sign_in(&rp, Some(&allow)).map_err(|e| ceremony::refused(t, "passkey sign-in", &e))?;
            (started, Some(user.map(|u| u.id).unwrap_or_default()))
        }
    };
    let options = ceremony::begin(&state, t, &headers, ip, started, Purpose::SignIn { interaction: req.interaction, user_id }).await?;
    Ok(Json(options).into_response())
}

/// The allow list of an unknown username, made to look like a real one:
/// one or two credential ids of the lengths real authenticators make (16
/// to 64 bytes), with their usual transports, the same at every request
/// for the same name. Keyed by the tenant's secret pairwise salt, so
/// nobody can compute them to tell made-up ids from real ones.
fn made_up_credentials(t: &trame_core::tenant::Tenant, name: &str) -> Vec<(Vec<u8>, Vec<String>)> {
    const LENGTHS: [usize; 4] = [16, 20, 32, 64];
    const TRANSPORTS: [&[&str]; 3] = [&["internal", "hybrid"], &["internal"], &["usb", "nfc"]];
    let seed = trame_core::crypto::hmac_sha256(&t.pairwise_salt, "made-up passkeys", name.to_lowercase().as_bytes());
    let count = 1 + usize::from(seed[0].is_multiple_of(4));
    (0..count)
        .map(|i| {
            let id = trame_core::crypto::hmac_sha256(&t.pairwise_salt, "made-up passkey id", &[name.to_lowercase().as_bytes(), &[i as u8]].concat());
            let mut bytes = id.to_vec();
            bytes.extend_from_slice(&trame_core::crypto::sha256(&id));
            bytes.truncate(LENGTHS[usize::from(seed[1 + i]) % LENGTHS.len()]);
            let transports = TRANSPORTS[usize::from(seed[3 + i]) % TRANSPORTS.len()].iter().map(|s| (*s).to_owned()).collect();
            (bytes, transports)
        })
        .collect()
}

#[derive(Deserialize)]
struct FinishRequest {
    interaction: String,
    csrf: String,
    credential: Value,
}

pub async fn finish(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let req: FinishRequest = json_body(&body)?;
    let mut ia = interaction_for(&state, &tenant, &headers, &req.interaction, &req.csrf).await?;
    let t = &tenant.tenant;
    let rp = ceremony::relying_party(t)?;
    let raw = serde_json::to_vec(&req.credential).expect("a JSON value serializes");
    let assertion = webauthn::parse_assertion(&raw).map_err(|e| ceremony::refused(t, "passkey sign-in", &e))?;
    let c = ceremony::take(&state, t, &headers, assertion.challenge()).await?;
    let Purpose::SignIn { interaction: for_ia, user_id: expected } = c.purpose.clone() else {
        return Err(ceremony::refused(t, "passkey sign-in", &webauthn::CeremonyError::WrongCeremony));
    };
    if for_ia != req.interaction {
        return Err(ceremony::refused(t, "passkey sign-in", &webauthn::CeremonyError::WrongCeremony));
    }
    let unknown = || {
        tracing::info!(tenant = %t.slug, outcome = "failure", method = "passkey", reason = "unknown_credential", "passkey sign-in");
        telemetry::sign_in(SignInMethod::Passkey, SignInOutcome::Failure);
        ApiError::oauth(ErrorCode::UnknownCredential, "this passkey is not registered here")
    };
    let passkey = state.store.passkey_by_credential(&t.id, assertion.credential_id()).await.json_err()?.ok_or_else(unknown)?;
    if expected.is_some_and(|u| u != passkey.user_id) {
        return Err(unknown());
    }
    let handle = ceremony::user_handle(&passkey.user_id).ok_or_else(unknown)?;
    let stored = StoredPasskey { credential_id: &passkey.credential_id, user_handle: handle, public_key: &passkey.public_key, dynamic: &passkey.dynamic_state };
    let policy = match t.settings.counter_policy {
        CounterPolicy::Refuse => webauthn::CounterPolicy::Refuse,
        CounterPolicy::Allow => webauthn::CounterPolicy::Allow,
    };
    let done = webauthn::finish_sign_in(&rp, &c.state(), &assertion, &stored, policy).map_err(|e| {
        if matches!(e, webauthn::CeremonyError::CounterRegression) {
            tracing::warn!(tenant = %t.slug, passkey = %passkey.id, "signature counter went backwards: possible cloned authenticator; sign-in refused");
        }
        telemetry::sign_in(SignInMethod::Passkey, SignInOutcome::Failure);
        ceremony::refused(t, "passkey sign-in", &e)
    })?;
    if done.counter_regressed {
        tracing::warn!(tenant = %t.slug, passkey = %passkey.id, "signature counter went backwards: possible cloned authenticator; allowed by tenant policy");
    }
    state.store.record_passkey_use(&t.id, &passkey.id, &done.dynamic, done.sign_count, done.backup_state, state.now()).await.json_err()?;
    let method = Method::Passkey { device_bound: !passkey.backup_eligible, user_verified: done.user_verified };
    match signin::establish(
        &state,
        &tenant,
        &headers,
        &req.interaction,
        &mut ia,
        &passkey.user_id,
        Authenticated { methods: &[method], cap: passkey.max_acr.as_deref() },
    )
    .await?
    {
        SignedIn::BelowRequiredLevel(_) => {
            // The page's script then opens the level page (`/login/level`).
            telemetry::sign_in(SignInMethod::Passkey, SignInOutcome::BelowLevel);
            Err(ApiError::oauth(ErrorCode::BelowRequiredLevel, "this service asks for a stronger sign-in"))
        }
        SignedIn::AccountDisabled => {
            telemetry::sign_in(SignInMethod::Passkey, SignInOutcome::Failure);
            Err(ApiError::oauth(ErrorCode::AccessDenied, "this account is disabled"))
        }
        SignedIn::Done((session, cookie)) => {
            // Only shown on the account page: a failure to note it does
            // not undo the sign-in.
            if let Err(e) = trame_app::sessions::note_passkey(&state, &session, &passkey.id).await {
                tracing::warn!(tenant = %t.slug, error = %e, "the session's passkey could not be noted");
            }
            tracing::info!(tenant = %t.slug, outcome = "success", method = "passkey", "sign-in");
            telemetry::sign_in(SignInMethod::Passkey, SignInOutcome::Success);
            state.usage.sign_in(&t.id, SignInMethod::Passkey);
            let next = t.issuer.endpoint(&format!("/login/continue?interaction={}", req.interaction));
            Ok(with_cookie(Json(json!({ "location": next })).into_response(), Some(cookie)))
        }
    }
}
