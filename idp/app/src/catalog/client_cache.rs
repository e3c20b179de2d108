//! A tenant's clients, kept for as long as the catalog snapshot that holds
//! them.
//!
//! Every client write bumps the catalog version, and a new version makes a
//! new snapshot with empty caches, so a cached client is never older than
//! the catalog poll (about a second), the same promise as for tenants.
//! Without it the token endpoint read the client on every request and the
//! PostgreSQL pool ran dry under load (p99 1.2 s, ops/bench/report.md).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use trame_core::client::Client;
use trame_store::{Store, StoreError};

/// Clients cached per tenant at most: past it, clients are read from the
/// store each time. Only clients that exist are cached, so made-up client
/// ids cannot fill memory.
const MAX_CACHED: usize = 10_000;

#[derive(Default)]
pub(super) struct ClientCache {
    clients: RwLock<HashMap<String, Arc<Client>>>,
}

impl ClientCache {
    pub(super) async fn get(&self, store: &Store, tenant_id: &str, client_id: &str) -> Result<Option<Arc<Client>>, StoreError> {
        if let Some(c) = self.clients.read().unwrap_or_else(|p| p.into_inner()).get(client_id) {
            return Ok(Some(c.clone()));
        }
        let Some(client) = store.client(tenant_id, client_id).await? else { return Ok(None) };
        let client = Arc::new(client);
        let mut clients = self.clients.write().unwrap_or_else(|p| p.into_inner());
        if clients.len() < MAX_CACHED {
            clients.insert(client_id.to_owned(), client.clone());
        }
        Ok(Some(client))
    }

    /// Drops a client this node changed, so this node sees the change at
    /// once instead of at the next poll.
    pub(super) fn forget(&self, client_id: &str) {
        self.clients.write().unwrap_or_else(|p| p.into_inner()).remove(client_id);
    }
}
