//! Everything Trame holds about a person, as one JSON document: the GDPR
//! export (art. 15 and 20) an administrator downloads for a citizen's
//! request and the person downloads from their account page. Secrets are
//! described, never included: a password or a TOTP secret is "set", a
//! passkey is its name, model and dates, not its public key.

use serde_json::{Value, json};
use trame_store::{AuditQuery, StoreError};

use crate::App;
use crate::audit;
use crate::catalog::TenantEntry;

/// The audit records an export carries at most (the newest).
const AUDIT_RECORDS: u64 = 1000;

/// The export of the account `user_id`, or `None` when the tenant has no
/// such account. Times are Unix seconds, as in the rest of the API.
pub async fn export(app: &App, tenant: &TenantEntry, user_id: &str) -> Result<Option<Value>, StoreError> {
    let t = &tenant.tenant;
    let store = &app.store;
    let Some(account) = store.account(&t.id, user_id).await? else {
        return Ok(None);
    };
    let p = &account.profile;
    let passkeys: Vec<Value> = store
        .passkeys_of(&t.id, user_id)
        .await?
        .into_iter()
        .map(|k| {
            json!({
                "name": k.name,
                "model": trame_core::aaguid::model_name(&k.aaguid),
                "synced": k.backup_state,
                "created_at": k.created_at,
                "last_used_at": k.last_used_at,
            })
        })
        .collect();
    let sessions: Vec<Value> = store
        .account_sessions(&t.id, user_id, app.now())
        .await?
        .into_iter()
        .map(|s| json!({ "device": s.label, "methods": s.amr, "created_at": s.created_at, "expires_at": s.expires_at }))
        .collect();
    let consents: Vec<Value> = store
        .consents_of(&t.id, user_id)
        .await?
        .into_iter()
        .map(|c| json!({ "client_id": c.client_id, "scopes": c.scopes.split(' ').collect::<Vec<_>>(), "granted_at": c.granted_at }))
        .collect();
    let peers: Vec<Value> =
        store.federated_identities_of(&t.id, user_id).await?.into_iter().map(|(issuer, subject)| json!({ "issuer": issuer, "subject": subject })).collect();
    // The ticket is left out: spent, it is a secret of no use to anyone,
    // the person included.
    let cas_services: Vec<Value> = store
        .cas_service_sessions_of(&t.id, user_id)
        .await?
        .into_iter()
        .map(|s| json!({ "client_id": s.client_id, "service": s.service, "signed_in_at": s.created_at }))
        .collect();
    let trail = store
        .audit_events(&AuditQuery { tenant_id: Some(t.id.clone()), subject: Some(audit::user(user_id)), limit: AUDIT_RECORDS, ..AuditQuery::default() })
        .await?;
    let events: Vec<Value> = trail
        .into_iter()
        .map(|e| json!({ "at": e.at, "action": e.action, "actor": e.actor, "outcome": e.outcome, "address": e.address, "detail": e.detail }))
        .collect();
    Ok(Some(json!({
        "exported_at": app.now(),
        "provider": { "issuer": t.issuer.as_str(), "name": t.display_name },
        "account": {
            "id": p.id,
            "username": p.username,
            "email": p.email,
            "email_verified": p.email_verified,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "phone_number": p.phone_number,
            "phone_number_verified": p.phone_number_verified,
            "address": p.address,
            "created_at": account.created_at,
            "updated_at": p.updated_at,
            "disabled_at": account.disabled_at,
        },
        "credentials": {
            "password": account.password_hash.is_some(),
            "totp": account.has_totp,
            "recovery_codes_left": store.recovery_codes_left(&t.id, user_id).await?,
            "passkeys": passkeys,
        },
        "sessions": sessions,
        "consents": consents,
        "linked_accounts": peers,
        "cas_services": cas_services,
        "audit_events": events,
    })))
}
