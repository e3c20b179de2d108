//! A tenant's token-signing keys, rotated by the operator (`trame keys
//! rotate`) or an administrator (the admin API): one rule for both.

use trame_core::tenant::Tenant;
use trame_jose::Alg;
use trame_store::{Store, StoreError};

use crate::audit::{self, By, Event};

/// The longest a new key may wait before it signs: 30 days.
pub const MAX_DELAY: i64 = 30 * 24 * 3600;

#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error("the delay is 0 to {MAX_DELAY} seconds")]
    Delay,
    #[error(transparent)]
    Failed(#[from] StoreError),
}

/// A new key for `alg`, published at once and signing `delay` seconds from
/// `now` (so relying parties that cache the JWKS see it first); the
/// previous key stays published until what it signed expired. Returns the
/// new key's id.
pub async fn rotate(store: &Store, tenant: &Tenant, alg: Alg, delay: i64, now: i64, by: impl Into<By>) -> Result<String, RotateError> {
    if !(0..=MAX_DELAY).contains(&delay) {
        return Err(RotateError::Delay);
    }
    let kid = store.rotate_key(&tenant.id, alg, now + delay, now).await?;
    let event = Event::new(&tenant.id, by, "keys.rotated").on(audit::tenant(tenant.slug.as_str())).with(serde_json::json!({ "kid": kid, "alg": alg.as_str() }));
    audit::record(store, now, event).await;
    Ok(kid)
}
