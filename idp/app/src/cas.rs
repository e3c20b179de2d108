//! The CAS server's use cases: which client a service URL belongs to, the
//! service tickets (kept in the ephemeral store under their digest, taken
//! once, atomically, so any node validates a ticket another issued), and
//! what a validation answers. The wire formats are `trame_core::cas`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use trame_core::cas::{self, CasUser, Failure, SERVICE_TICKET_PREFIX, Success};
use trame_core::client::Client;
use trame_core::lifetimes;
use trame_store::CasServiceSession;

use crate::App;
use crate::catalog::TenantEntry;
use crate::error::Result;
use crate::sessions::Session;
use crate::usage::Counter;

/// What a service ticket stands for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TicketRecord {
    pub tenant_id: String,
    pub client_id: String,
    /// The service URL exactly as the login request named it: validation
    /// must name the same.
    pub service: String,
    pub user_id: String,
    pub sid: String,
    pub auth_time: i64,
    pub acr: String,
    pub amr: Vec<String>,
    /// Whether the person typed their credentials for this ticket rather
    /// than coming with an existing session (`renew=true` asks for it).
    pub new_login: bool,
    /// By the application clock (the store's TTL is only a clean-up bound).
    pub expires_at: i64,
}

/// The CAS client of the tenant that `service` belongs to, if any.
pub async fn client_for(app: &App, tenant: &TenantEntry, service: &str) -> Result<Option<Arc<Client>>> {
    let clients = app.store.cas_clients(&tenant.tenant.id).await?;
    let now = app.now();
    Ok(clients
        .into_iter()
        .filter(|c| c.federation.as_ref().is_none_or(|f| f.expires_at > now))
        .find(|c| c.cas.as_ref().is_some_and(|s| s.accepts(service)))
        .map(Arc::new))
}

/// Issues a service ticket for `service` from `session`.
pub async fn issue(app: &App, client: &Client, service: &str, session: &Session, new_login: bool) -> Result<String> {
    let ticket = cas::new_service_ticket(app.rng.as_ref());
    let record = TicketRecord {
        tenant_id: session.tenant_id.clone(),
        client_id: client.id.as_str().to_owned(),
        service: service.to_owned(),
        user_id: session.user_id.clone(),
        sid: session.sid.clone(),
        auth_time: session.auth_time,
        acr: session.acr.clone(),
        amr: session.amr.clone(),
        new_login,
        expires_at: app.now() + lifetimes::CAS_TICKET,
    };
    let json = serde_json::to_string(&record).expect("a ticket record serializes");
    app.ephemeral.put(&trame_store::ephemeral_keys::cas_ticket(&ticket), &json, lifetimes::CAS_TICKET).await?;
    Ok(ticket)
}

/// A validation request's parameters.
pub struct Validation<'a> {
    pub service: Option<&'a str>,
    pub ticket: Option<&'a str>,
    /// `renew=true`: only a ticket from a fresh sign-in is accepted.
    pub renew: bool,
}

/// Why a validation failed, as CAS says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub failure: Failure,
    pub description: String,
}

fn refuse(failure: Failure, description: impl Into<String>) -> Refusal {
    Refusal { failure, description: description.into() }
}

/// Validates a service ticket (`/validate`, `/serviceValidate`,
/// `/p3/serviceValidate`). The ticket is spent by the attempt whatever its
/// outcome (CAS 3.0 §3.1.1): a ticket tried against the wrong service is
/// gone.
pub async fn validate(app: &App, tenant: &TenantEntry, v: Validation<'_>) -> Result<Result<Success, Refusal>> {
    let (Some(service), Some(ticket)) = (v.service.filter(|s| !s.is_empty()), v.ticket.filter(|t| !t.is_empty())) else {
        return Ok(Err(refuse(Failure::InvalidRequest, "service and ticket are required")));
    };
    if ticket.starts_with("PT-") {
        return Ok(Err(refuse(Failure::InvalidTicketSpec, "a proxy ticket cannot be validated here")));
    }
    if !ticket.starts_with(SERVICE_TICKET_PREFIX) || ticket.len() > cas::MAX_TICKET {
        return Ok(Err(refuse(Failure::InvalidTicket, "the ticket is not recognised")));
    }
    let Some(raw) = app.ephemeral.take(&trame_store::ephemeral_keys::cas_ticket(ticket)).await? else {
        return Ok(Err(refuse(Failure::InvalidTicket, "the ticket is not recognised")));
    };
    let Some(record) = serde_json::from_str::<TicketRecord>(&raw).ok().filter(|r| r.tenant_id == tenant.tenant.id && r.expires_at > app.now()) else {
        return Ok(Err(refuse(Failure::InvalidTicket, "the ticket is not recognised")));
    };
    if record.service != service {
        return Ok(Err(refuse(Failure::InvalidService, "the ticket was issued for another service")));
    }
    if v.renew && !record.new_login {
        return Ok(Err(refuse(Failure::InvalidTicket, "renew was asked and the ticket comes from an existing session")));
    }
    // The service may have been removed or changed since the ticket was
    // issued, and the account disabled.
    let client = tenant.client(&app.store, &record.client_id, app.now()).await?;
    let Some((client, settings)) = client.as_ref().and_then(|c| c.cas.as_ref().map(|s| (c, s))).filter(|(_, s)| s.accepts(service)) else {
        return Ok(Err(refuse(Failure::InvalidService, "the service is no longer registered")));
    };
    let account = app.store.account(&tenant.tenant.id, &record.user_id).await?;
    let Some(account) = account.filter(|a| a.disabled_at.is_none()) else {
        return Ok(Err(refuse(Failure::InvalidTicket, "the account can no longer sign in")));
    };
    let user = match settings.user {
        CasUser::Username => account.profile.username.clone(),
        CasUser::Subject => tenant.subject(client, &record.user_id),
    };
    let mut attributes = cas::authentication_attributes(record.auth_time, record.new_login, &record.acr, &record.amr);
    attributes.extend(cas::account_attributes(&account.profile, &settings.attributes));
    // The service now has a session of its own: single logout will name
    // this ticket to it when the person's session ends.
    let signed_in = CasServiceSession {
        tenant_id: record.tenant_id,
        user_id: record.user_id,
        sid: record.sid,
        client_id: record.client_id,
        service: record.service,
        ticket: ticket.to_owned(),
        created_at: app.now(),
    };
    app.store.record_cas_service_session(&signed_in).await?;
    app.usage.count(&tenant.tenant.id, Counter::Token);
    Ok(Ok(Success { user, attributes }))
}

/// Whether a session satisfies what the service asks of a sign-in: its
/// `default_acr_values`, the level it needs (one of them at least).
pub fn level_met(client: &Client, session: &Session) -> bool {
    client.default_acr_values.is_empty() || trame_core::assurance::satisfies(&session.acr, &client.default_acr_values)
}

/// The level to ask for when the session falls short: the lowest the
/// service accepts.
pub fn required_level(client: &Client) -> Option<String> {
    trame_core::assurance::required_level(&client.default_acr_values).map(str::to_owned)
}
