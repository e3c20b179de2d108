//! Delivering queued back-channel logout notifications (Back-Channel Logout
//! §2.5): `POST` of `logout_token` to the client's URI; a 2xx answer
//! delivers it, anything else is retried after the waits of
//! [`lifetimes::LOGOUT_RETRIES`], then given up.
//!
//! Every node runs [`deliver_due`] in a loop; a notification is claimed
//! (compare and set in the store) before each attempt, so two nodes never
//! deliver it at the same time. The claim is a lease: a node that dies
//! mid-attempt leaves the notification to be retried when it runs out.

use tokio::task::JoinSet;
use trame_core::lifetimes;
use trame_jose::peek_claims;
use trame_store::{DeliveryKind, LogoutDelivery, StoreError};

use crate::{App, outbound, tokens};

/// Notifications attempted per round.
const BATCH: u64 = 100;
/// How long a claim holds a notification, in seconds.
const LEASE: i64 = 30;
// A lease shorter than an attempt would let another node start a second
// delivery while the first is still in flight.
const _: () = assert!(LEASE as u64 > outbound::TIMEOUT.as_secs());
/// A stored token with less life left than this is signed again before
/// being sent: the relying party must not receive an expired one.
const MIN_TOKEN_LIFE: i64 = 30;

/// What a round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Accepted by the relying party, and removed.
    pub delivered: usize,
    /// Failed, scheduled again.
    pub retried: usize,
    /// Failed for the last time, or its client is gone: removed.
    pub given_up: usize,
    /// Claimed by another node (or another round) first.
    pub skipped: usize,
}

enum Outcome {
    Delivered,
    Retried,
    GivenUp,
    Skipped,
}

/// Attempts every notification due now. Errors only when the queue cannot
/// be read; a failure on one notification is logged and counted.
pub async fn deliver_due(app: &App) -> Result<DeliveryReport, StoreError> {
    let due = app.store.due_logout_deliveries(app.now(), BATCH).await?;
    Ok(attempt_all(app, due).await)
}

/// Attempts the given notifications concurrently, so one slow relying
/// party does not hold back the others.
pub(crate) async fn attempt_all(app: &App, items: Vec<LogoutDelivery>) -> DeliveryReport {
    let mut tasks = JoinSet::new();
    for d in items {
        let app = app.clone();
        tasks.spawn(async move { attempt(&app, d).await });
    }
    let mut report = DeliveryReport::default();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(Outcome::Delivered) => report.delivered += 1,
            Ok(Outcome::Retried) => report.retried += 1,
            Ok(Outcome::GivenUp) => report.given_up += 1,
            Ok(Outcome::Skipped) => report.skipped += 1,
            Err(e) => tracing::error!(error = %e, "a back-channel logout delivery task failed"),
        }
    }
    report
}

/// Why an attempt failed, for the logs: never the token or the answer's body.
#[derive(Debug, thiserror::Error)]
enum AttemptError {
    #[error("the request failed: {0}")]
    Request(#[source] reqwest::Error),
    #[error("the relying party answered with status {0}")]
    Status(u16),
    #[error("the logout URI is not a public address")]
    NotPublic,
    #[error("the stored token is unreadable")]
    Unreadable,
    #[error("the client or the keys cannot be read: {0}")]
    Store(#[source] StoreError),
    #[error("the token cannot be signed again: {0}")]
    Sign(#[source] trame_jose::Error),
}

async fn attempt(app: &App, d: LogoutDelivery) -> Outcome {
    match app.store.claim_logout_delivery(&d, app.now() + LEASE).await {
        Ok(true) => {}
        Ok(false) => return Outcome::Skipped,
        Err(e) => {
            tracing::warn!(error = %e, "cannot claim a back-channel logout notification; it stays queued");
            return Outcome::Skipped;
        }
    }
    let tenant = tenant_name(app, &d.tenant_id);
    let attempts = d.attempts + 1;
    let sent = match current_token(app, &d).await {
        Ok(Some(token)) => send(app, &d, &token).await,
        Ok(None) => {
            tracing::info!(%tenant, client_id = %d.client_id, "back-channel logout notification dropped: its tenant or client no longer exists");
            return remove(app, &d, Outcome::GivenUp).await;
        }
        Err(e) => Err(e),
    };
    let Err(e) = sent else {
        tracing::debug!(%tenant, client_id = %d.client_id, attempts, "back-channel logout notification delivered");
        return remove(app, &d, Outcome::Delivered).await;
    };
    let wait = usize::try_from(d.attempts).ok().and_then(|i| lifetimes::LOGOUT_RETRIES.get(i));
    match wait {
        Some(wait) => {
            tracing::info!(%tenant, client_id = %d.client_id, attempts, retry_in_seconds = wait, error = %e, "back-channel logout notification failed; will retry");
            if let Err(e) = app.store.retry_logout_delivery(&d.id, app.now() + wait).await {
                // The lease runs out and the notification is attempted again.
                tracing::warn!(error = %e, "cannot schedule the retry of a back-channel logout notification");
            }
            Outcome::Retried
        }
        None => {
            tracing::warn!(%tenant, client_id = %d.client_id, attempts, error = %e, "back-channel logout notification given up after its last attempt");
            remove(app, &d, Outcome::GivenUp).await
        }
    }
}

async fn remove(app: &App, d: &LogoutDelivery, outcome: Outcome) -> Outcome {
    if let Err(e) = app.store.remove_logout_delivery(&d.id).await {
        // It comes back when the lease runs out: delivered twice rather
        // than lost; relying parties treat a logout as idempotent.
        tracing::warn!(error = %e, "cannot remove a back-channel logout notification from the queue");
    }
    outcome
}

/// The tenant's slug for logs, or its id when it is gone.
fn tenant_name(app: &App, tenant_id: &str) -> String {
    app.catalog.by_id(tenant_id).map_or_else(|| tenant_id.to_owned(), |t| t.tenant.slug.as_str().to_owned())
}

/// The token to send: the stored one while it has life left, otherwise the
/// same claims signed again now, with the client's current algorithm and
/// the tenant's current key. `None` when the tenant or client is gone.
async fn current_token(app: &App, d: &LogoutDelivery) -> Result<Option<String>, AttemptError> {
    if d.kind == DeliveryKind::Cas {
        // A CAS logout request does not expire; it goes only to a service
        // still registered.
        let client = app.store.client(&d.tenant_id, &d.client_id).await.map_err(AttemptError::Store)?;
        return Ok(client.filter(|c| c.cas.is_some()).map(|_| d.logout_token.clone()));
    }
    // The stored token is Trame's own, read back from its own database: its
    // claims need no verification to be signed again.
    let claims = peek_claims(&d.logout_token).ok_or_else(|| AttemptError::Unreadable)?;
    let exp = claims.get("exp").and_then(serde_json::Value::as_i64).unwrap_or(0);
    if exp - app.now() >= MIN_TOKEN_LIFE {
        return Ok(Some(d.logout_token.clone()));
    }
    let Some(tenant) = app.catalog.by_id(&d.tenant_id) else { return Ok(None) };
    let client = app.store.client(&d.tenant_id, &d.client_id).await.map_err(AttemptError::Store)?;
    let Some(client) = client else { return Ok(None) };
    let keys = tenant.keys(&app.store, app.now()).await.map_err(AttemptError::Store)?;
    tokens::resign_logout_token(app, &keys, client.id_token_alg, claims).map(Some).map_err(AttemptError::Sign)
}

async fn send(app: &App, d: &LogoutDelivery, token: &str) -> Result<(), AttemptError> {
    let (tenant_id, uri) = (d.tenant_id.as_str(), d.uri.as_str());
    let field = match d.kind {
        DeliveryKind::BackChannel => "logout_token",
        DeliveryKind::Cas => "logoutRequest",
    };
    // A tenant gone since gets the strictest reach the settings allow.
    let reach = app.catalog.by_id(tenant_id).map_or_else(|| outbound::for_issuer(app.outbound_config.reach, ""), |t| app.reach(&t.tenant));
    let client = app.outbound(reach);
    client.guard(uri).await.map_err(|_| AttemptError::NotPublic)?;
    let res = client.http().post(uri).form(&[(field, token)]).send().await.map_err(|e| AttemptError::Request(e.without_url()))?;
    if res.status().is_success() { Ok(()) } else { Err(AttemptError::Status(res.status().as_u16())) }
}
