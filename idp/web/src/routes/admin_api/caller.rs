//! Who calls the admin API, from the bearer token: checked once per
//! request, before any handler runs.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use trame_app::TenantEntry;
use trame_app::admin::{self, Caller, Rights};

use crate::error::{ApiError, ApiResult, OrApi};
use crate::problem::Problem;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// An authenticated administrator of the tenant the request is for.
pub struct Admin {
    pub rights: Rights,
    pub tenant: Arc<TenantEntry>,
    pub address: Option<IpAddr>,
}

impl Admin {
    /// Who acts, from where, as the audit trail records it.
    pub fn by(&self) -> trame_app::audit::By {
        trame_app::audit::By::at(self.rights.actor.clone(), self.address)
    }

    /// Refuses a read-only caller.
    pub fn may_write(&self) -> ApiResult<()> {
        if self.rights.may_write(&self.tenant.tenant.id) { Ok(()) } else { Err(Problem::forbidden("this token may only read (trame:admin:read)").into()) }
    }
}

impl Admin {
    /// Records what this caller did to `target`, from its address (for
    /// the actions the use case itself does not record).
    pub async fn audited(&self, state: &AppState, action: &'static str, target: String) {
        use trame_app::audit::{self, Event};
        let event = Event::new(&self.tenant.tenant.id, self.by(), action).on(target);
        audit::record(&state.store, state.now(), event).await;
    }

    /// Refuses anyone but an operator.
    pub fn operator(&self) -> ApiResult<()> {
        if self.rights.operator {
            Ok(())
        } else {
            Err(Problem::forbidden("only an operator (a client of the default tenant made operator with trame admin grant --client) may do this").into())
        }
    }

    /// Refuses anyone but an operator who may change things: tenants
    /// made, changed or removed.
    pub fn may_operate(&self) -> ApiResult<()> {
        self.operator()?;
        if self.rights.may_operate() { Ok(()) } else { Err(Problem::forbidden("this token may only read (trame:admin:read)").into()) }
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let tenant = parts.extensions.get::<TenantCtx>().cloned().ok_or_else(|| Problem::not_found("tenant"))?;
        let token = match crate::extract::bearer_token(&parts.headers) {
            Ok(Some(t)) => t,
            Ok(None) => {
                return Err(
                    Problem::unauthorized(false, "a bearer token is required: an access token of this tenant (client_credentials, scope trame:admin)").into()
                );
            }
            Err(_) => return Err(Problem::unauthorized(true, "the Authorization header is malformed").into()),
        };
        let keys = tenant.keys(&state.store, state.now()).await.problem_err()?;
        match admin::caller(state.app(), &tenant, &keys, &token).await.problem_err()? {
            Caller::Invalid => {
                Err(Problem::unauthorized(true, "the access token is invalid or expired, is not this tenant's, or was not obtained with client_credentials")
                    .into())
            }
            Caller::NoRights => Err(Problem::forbidden("this token has neither the trame:admin nor the trame:admin:read scope").into()),
            Caller::Admin(rights) => {
                let address = crate::extract::client_ip(&parts.extensions, &parts.headers, &state.config.trusted_proxies);
                Ok(Admin { rights, tenant: tenant.0, address })
            }
        }
    }
}
