//! Statements of this instance's own tenants, built from the catalog and
//! the store. The endpoints serve them, and the fetcher uses them instead
//! of HTTP when a chain passes through a tenant of the same instance (an
//! operator hosting both a région's Trust Anchor and its communes).

use trame_store::StoreError;

use super::statements::{self, SignError};
use crate::App;
use crate::catalog::TenantEntry;
use crate::discovery::provider_metadata;

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

pub async fn entity_configuration(state: &App, entry: &TenantEntry) -> Result<String, LocalError> {
    let now = state.now();
    let keys = entry.federation_keys(&state.store, now).await?;
    let relying_party = match entry.tenant.federation.peer_sign_in {
        Some(_) => statements::relying_party_metadata(&entry.tenant, &*entry.relying_party_keys(&state.store, now).await?),
        None => None,
    };
    Ok(statements::entity_configuration(&entry.tenant, &keys, provider_metadata(&entry.tenant, true, &state.languages.current()), relying_party, now)?)
}

pub async fn subordinate_statement(state: &App, entry: &TenantEntry, sub: &str) -> Result<String, LocalError> {
    if !entry.tenant.federation.authority {
        return Err(LocalError::NotFound);
    }
    let now = state.now();
    let subordinate = state.store.subordinate(&entry.tenant.id, sub).await?.ok_or(LocalError::NotFound)?;
    let keys = entry.federation_keys(&state.store, now).await?;
    Ok(statements::subordinate_statement(&entry.tenant, &keys, &subordinate, now)?)
}

/// The subordinates of a tenant of this instance that are of `entity_type`,
/// as its list endpoint would answer.
pub async fn listed(state: &App, entry: &TenantEntry, entity_type: &str) -> Result<Vec<String>, LocalError> {
    if !entry.tenant.federation.authority {
        return Err(LocalError::NotFound);
    }
    let subs = state.store.list_subordinates(&entry.tenant.id).await?;
    Ok(subs.into_iter().filter(|s| s.entity_types.iter().any(|t| t == entity_type)).map(|s| s.entity_id).collect())
}
