//! The consents a person gave to services: listed on their account page
//! and in the admin API, withdrawn by either. Withdrawing one is leaving
//! the service: its tokens stop at once and it is told over its back
//! channel that the sessions it got from Trame ended; the next sign-in to
//! it asks for consent again.

use trame_store::{Consent, StoreError};

use crate::audit::{self, By, Event};
use crate::catalog::TenantEntry;
use crate::error::Error;
use crate::{App, logout_channels};

pub async fn of_user(app: &App, tenant: &TenantEntry, user_id: &str) -> Result<Vec<Consent>, StoreError> {
    app.store.consents_of(&tenant.tenant.id, user_id).await
}

/// Withdraws the consent a user gave to `client_id`; false when there was
/// none.
pub async fn withdraw(app: &App, tenant: &TenantEntry, user_id: &str, client_id: &str, by: impl Into<By>) -> Result<bool, Error> {
    let t = &tenant.tenant;
    let Some(sids) = app.store.withdraw_consent(&t.id, user_id, client_id, app.now()).await? else {
        return Ok(false);
    };
    logout_channels::client_dropped(app, tenant, user_id, client_id, &sids).await;
    let event = Event::new(&t.id, by, "consent.withdrawn").on(audit::user(user_id)).with(serde_json::json!({ "client_id": client_id }));
    audit::record(&app.store, app.now(), event).await;
    Ok(true)
}
