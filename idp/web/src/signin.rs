//! What every way of signing in ends with: the methods used become `amr` and
//! a level through the tenant's policy; a level below what the client asked
//! for is refused (step-up, never a silent downgrade); otherwise a new
//! session starts and the pending sign-in continues where it was going.

use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use trame_core::assurance::{self, Method};

use crate::catalog::TenantEntry;
use crate::error::ApiResult;
use crate::interaction::{self, Interaction, Purpose, Starter};
use crate::routes::authorize::{proceed, see_other};
use crate::routes::with_cookie;
use crate::session::{self, Session};
use crate::state::AppState;

/// The methods did not reach the level the pending sign-in requires.
#[derive(Debug)]
pub struct BelowRequiredLevel;

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
) -> ApiResult<Result<(Session, HeaderValue), BelowRequiredLevel>> {
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
) -> ApiResult<Result<(Session, HeaderValue), BelowRequiredLevel>> {
    let acr = acr.as_str();
    if let Some(required) = &ia.required_acr
        && !assurance::satisfies(acr, std::slice::from_ref(required))
    {
        return Ok(Err(BelowRequiredLevel));
    }
    let (sess, cookie) = session::start(state, tenant, headers, user_id, amr, acr.to_owned()).await?;
    ia.login_at = Some(state.now());
    ia.pending_user = None;
    interaction::save(state, id, ia).await?;
    Ok(Ok((sess, cookie)))
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
        Purpose::Account => {
            interaction::delete(state, &id).await?;
            Ok(see_other(&tenant.tenant.issuer.endpoint("/account")))
        }
    }
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
) -> ApiResult<Result<Response, BelowRequiredLevel>> {
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
) -> ApiResult<Result<Response, BelowRequiredLevel>> {
    match establish_with(state, tenant, headers, &id, &mut ia, user_id, amr, acr).await? {
        Err(e) => Ok(Err(e)),
        Ok((sess, cookie)) => Ok(Ok(with_cookie(resume(state, tenant, sess, id, ia).await?, Some(cookie)))),
    }
}
