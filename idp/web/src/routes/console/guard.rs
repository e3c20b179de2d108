//! Who may use the console: a person of this tenant, signed in recently
//! (the account pages' rule, [`crate::account_guard`]) at the level the
//! installation asks (`console_acr`, a passkey by default), whose account
//! holds a role. Checked on every page and every post; posts also need
//! the session's CSRF token and a role that may change things.

use std::net::IpAddr;

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use trame_app::admin::{self, Rights};
use trame_app::audit::By;
use trame_core::assurance;

use crate::account_guard::{Refused, checked_session, recent_session};
use crate::csrf;
use crate::error::{ApiError, ApiResult, OrApi};
use crate::extract::single;
use crate::interaction::{self, Purpose, Starter};
use crate::respond::{see_other, with_cookie};
use crate::session::{self, Session};
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// A person allowed in, and what they may do.
pub struct Console {
    pub rights: Rights,
    /// The token every form of the page carries.
    pub csrf: String,
    pub address: Option<IpAddr>,
}

impl Console {
    /// Who acts, from where, as the audit trail records it.
    pub fn by(&self) -> By {
        By::at(self.rights.actor.clone(), self.address)
    }

    pub fn may_write(&self, tenant: &TenantCtx) -> bool {
        self.rights.may_write(&tenant.tenant.id)
    }
}

fn at_level(state: &AppState, s: &Session) -> bool {
    assurance::satisfies(&s.acr, std::slice::from_ref(&state.config.console_acr))
}

async fn rights(state: &AppState, tenant: &TenantCtx, s: &Session) -> ApiResult<Rights> {
    // Another tenant's operator has no session here: only this tenant's
    // accounts (and the default tenant's operators on their own tenant).
    admin::rights_of_user(&state.store, &tenant.tenant.id, &s.user_id)
        .await
        .html_err()?
        .ok_or_else(|| ApiError::page(StatusCode::FORBIDDEN, "console-forbidden"))
}

/// For pages: the person, or a redirect to sign in (again, or higher)
/// and come back to the console.
pub async fn enter(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, ip: Option<IpAddr>) -> ApiResult<Result<Console, Response>> {
    if let Some(s) = recent_session(state, tenant, headers).await?.filter(|s| at_level(state, s)) {
        let rights = rights(state, tenant, &s).await?;
        let csrf = csrf::for_session(state, &s.store_key);
        return Ok(Ok(Console { rights, csrf, address: ip }));
    }
    let (binding, cookie) = session::binding(state, &tenant.tenant, headers);
    let level = Some(state.config.console_acr.clone());
    let id = interaction::create_for(state, &tenant.tenant, Vec::new(), Starter { binding, ip }, Purpose::Console, level).await?;
    Ok(Err(with_cookie(see_other(&tenant.tenant.issuer.endpoint(&format!("/login?interaction={id}"))), cookie)))
}

/// For posts: the session with its CSRF token, at the level, with a role
/// that may change this tenant.
pub async fn act(state: &AppState, tenant: &TenantCtx, headers: &HeaderMap, ip: Option<IpAddr>, f: &[(String, String)]) -> ApiResult<Console> {
    let submitted = single(f, "csrf").ok().flatten().unwrap_or_default();
    let s = checked_session(state, tenant, headers, submitted).await?.map_err(|r| match r {
        Refused::Csrf => ApiError::page(StatusCode::FORBIDDEN, "error-csrf"),
        Refused::SignInAgain => ApiError::page(StatusCode::UNAUTHORIZED, "error-sign-in-again"),
    })?;
    if !at_level(state, &s) {
        return Err(ApiError::page(StatusCode::UNAUTHORIZED, "error-sign-in-again"));
    }
    let rights = rights(state, tenant, &s).await?;
    if !rights.may_write(&tenant.tenant.id) {
        return Err(ApiError::page(StatusCode::FORBIDDEN, "console-read-only"));
    }
    let csrf = csrf::for_session(state, &s.store_key);
    Ok(Console { rights, csrf, address: ip })
}
