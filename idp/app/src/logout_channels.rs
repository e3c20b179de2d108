//! Telling relying parties that a session ended (OpenID Connect Back-Channel
//! and Front-Channel Logout 1.0).
//!
//! The clients of a session are those it signed the person in to: each
//! grant records its session's `sid`. Back-channel notifications are queued
//! durably, then attempted at once by a spawned task so the relying party
//! hears within milliseconds; [`crate::logout_delivery`] retries what
//! failed. Front-channel addresses go back to the caller, which has the
//! browser load them.
//!
//! Nothing here fails the sign-out: a person who asked to leave is signed
//! out even when a relying party cannot be told. Problems are logged.

use trame_core::client::Client;
use trame_core::crypto::random_token;
use trame_core::subject::client_sid;
use trame_store::{DeliveryKind, NewLogoutDelivery};

use crate::catalog::TenantEntry;
use crate::{App, logout_delivery, tokens};

/// Notifies the back channels of the clients of a session that just ended,
/// and returns the front-channel logout addresses the browser should load
/// (empty when no client of the session registered one).
pub async fn session_ended(app: &App, tenant: &TenantEntry, user_id: &str, sid: &str) -> Vec<String> {
    let clients = match participants(app, &tenant.tenant.id, user_id, sid).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(tenant = %tenant.tenant.slug, error = %e, "cannot list the clients of an ended session; they are not told");
            return Vec::new();
        }
    };
    notify_back_channels(app, tenant, user_id, sid, &clients).await;
    notify_cas_services(app, tenant, user_id, sid).await;
    let issuer = tenant.tenant.issuer.as_str();
    clients.iter().filter_map(|c| c.logout.frontchannel_url(issuer, &client_sid(sid, c.id.as_str()))).collect()
}

/// Tells one client, over its back channel, that the sessions `sids` of a
/// user ended for it (the person withdrew their consent to it).
pub async fn client_dropped(app: &App, tenant: &TenantEntry, user_id: &str, client_id: &str, sids: &[String]) {
    let client = match app.store.client(&tenant.tenant.id, client_id).await {
        Ok(Some(c)) => c,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(tenant = %tenant.tenant.slug, error = %e, "cannot read a client whose consent was withdrawn; it is not told");
            return;
        }
    };
    for sid in sids {
        notify_back_channels(app, tenant, user_id, sid, std::slice::from_ref(&client)).await;
    }
}

/// The clients (still registered) that a session signed its user in to.
async fn participants(app: &App, tenant_id: &str, user_id: &str, sid: &str) -> Result<Vec<Client>, trame_store::StoreError> {
    let mut clients = Vec::new();
    for id in app.store.session_client_ids(tenant_id, user_id, sid).await? {
        if let Some(c) = app.store.client(tenant_id, &id).await? {
            clients.push(c);
        }
    }
    Ok(clients)
}

/// Queues one logout token per client with a back-channel URI, then starts
/// delivering them without waiting.
async fn notify_back_channels(app: &App, tenant: &TenantEntry, user_id: &str, sid: &str, clients: &[Client]) {
    let targets: Vec<(&Client, &str)> = clients.iter().filter_map(|c| c.logout.backchannel_uri.as_deref().map(|u| (c, u))).collect();
    if targets.is_empty() {
        return;
    }
    let slug = &tenant.tenant.slug;
    let keys = match tenant.keys(&app.store, app.now()).await {
        Ok(k) => k,
        Err(e) => {
            tracing::warn!(tenant = %slug, error = %e, "cannot load the signing keys; back-channel logout notifications are not sent");
            return;
        }
    };
    let mut items = Vec::with_capacity(targets.len());
    for (client, uri) in targets {
        let sub = tenant.subject(client, user_id);
        match tokens::logout_token(app, tenant.tenant.issuer.as_str(), &keys, client.id_token_alg, client.id.as_str(), &sub, sid) {
            Ok(token) => items.push(NewLogoutDelivery {
                tenant_id: tenant.tenant.id.clone(),
                client_id: client.id.as_str().to_owned(),
                uri: uri.to_owned(),
                logout_token: token,
                kind: DeliveryKind::BackChannel,
            }),
            Err(e) => tracing::warn!(tenant = %slug, client_id = %client.id.as_str(), error = %e, "cannot sign a logout token; this client is not told"),
        }
    }
    queue_and_attempt(app, slug, items, app.now()).await;
}

/// Queues a CAS `LogoutRequest` for each service the session signed in to
/// over CAS (CAS 3.0 §2.3.3: posted to the service URL, naming the ticket
/// it validated), then starts delivering them: the same queue, retries and
/// outbound rules as logout tokens.
async fn notify_cas_services(app: &App, tenant: &TenantEntry, user_id: &str, sid: &str) {
    let slug = &tenant.tenant.slug;
    let services = match app.store.take_cas_service_sessions(&tenant.tenant.id, user_id, sid).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(tenant = %slug, error = %e, "cannot list the CAS services of an ended session; they are not told");
            return;
        }
    };
    if services.is_empty() {
        return;
    }
    let now = app.now();
    let items = services
        .into_iter()
        .map(|s| NewLogoutDelivery {
            tenant_id: s.tenant_id,
            client_id: s.client_id,
            uri: s.service,
            logout_token: trame_core::cas::logout_request(&format!("LR-{}", random_token(app.rng.as_ref())), now, &s.ticket),
            kind: DeliveryKind::Cas,
        })
        .collect();
    queue_and_attempt(app, slug, items, now).await;
}

/// Queues notifications durably, then attempts them at once in a spawned
/// task ([`logout_delivery`] retries what fails).
async fn queue_and_attempt(app: &App, slug: &trame_core::ids::TenantSlug, items: Vec<NewLogoutDelivery>, now: i64) {
    match app.store.queue_logout_deliveries(items, now).await {
        Ok(queued) => {
            let app = app.clone();
            tokio::spawn(async move { logout_delivery::attempt_all(&app, queued).await });
        }
        Err(e) => tracing::warn!(tenant = %slug, error = %e, "cannot queue logout notifications; they are not sent"),
    }
}
