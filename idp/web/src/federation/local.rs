//! Statements of this instance's own tenants, built from the catalog and
//! the store. The endpoints serve them, and the fetcher uses them instead
//! of HTTP when a chain passes through a tenant of the same instance (an
//! operator hosting both a région's Trust Anchor and its communes).

use trame_store::StoreError;

use super::statements::{self, SignError};
use crate::catalog::TenantEntry;
use crate::routes::wellknown::provider_metadata;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// No such subordinate, or the tenant is not an authority.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sign(#[from] SignError),
}

pub async fn entity_configuration(state: &AppState, entry: &TenantEntry) -> Result<String, LocalError> {
    let now = state.now();
    let keys = entry.federation_keys(&state.store, now).await?;
    Ok(statements::entity_configuration(&entry.tenant, &keys, provider_metadata(&entry.tenant, true), now)?)
}

pub async fn subordinate_statement(state: &AppState, entry: &TenantEntry, sub: &str) -> Result<String, LocalError> {
    if !entry.tenant.federation.authority {
        return Err(LocalError::NotFound);
    }
    let now = state.now();
    let subordinate = state.store.subordinate(&entry.tenant.id, sub).await?.ok_or(LocalError::NotFound)?;
    let keys = entry.federation_keys(&state.store, now).await?;
    Ok(statements::subordinate_statement(&entry.tenant, &keys, &subordinate, now)?)
}
