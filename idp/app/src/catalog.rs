//! The in-memory catalog of tenants and their keys.
//!
//! Routing needs every tenant on every request, so tenants live in memory.
//! The catalog reloads when the store's catalog version moves (any node or
//! the CLI changed a tenant, client or key) or when a scheduled key event
//! (activation, end of publication) comes due. Keys are unsealed lazily, on
//! a tenant's first request, so start-up does not grow with the tenant count;
//! clients are cached the same way, on first use, per snapshot.

mod client_cache;
mod tenant_index;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use bytes::Bytes;
use tokio::sync::OnceCell;
use trame_core::client::Client;
use trame_core::tenant::Tenant;
use trame_store::{FederationKeys, KeyPurpose, Store, StoreError, TenantKeys};

use client_cache::ClientCache;
use tenant_index::TenantIndex;

pub struct TenantEntry {
    pub tenant: Tenant,
    keys: OnceCell<Arc<TenantKeys>>,
    /// The discovery document and the JWKS as served, serialised once per
    /// snapshot like the keys they are made of: building and serialising
    /// the discovery document's JSON was 125,000 of the 200,000
    /// instructions of a discovery request (callgrind), the JWKS' copy and
    /// serialisation 15,000 of 83,000. Kept with the generation of the
    /// installed languages it lists (a themes folder may add one).
    discovery: std::sync::RwLock<Option<(u64, Bytes)>>,
    jwks: OnceLock<Bytes>,
    federation_keys: OnceCell<Arc<FederationKeys>>,
    relying_party_keys: OnceCell<Arc<FederationKeys>>,
    clients: ClientCache,
}

impl TenantEntry {
    /// The subject a client sees for a user: the user's id, or a pairwise
    /// identifier per sector (OIDC Core §8.1).
    pub fn subject(&self, client: &Client, user_id: &str) -> String {
        trame_core::subject::subject_for(client.subject_type, user_id, &client.sector(), &self.tenant.pairwise_salt)
    }

    fn new(tenant: Tenant) -> Self {
        Self {
            tenant,
            keys: OnceCell::new(),
            discovery: Default::default(),
            jwks: OnceLock::new(),
            federation_keys: OnceCell::new(),
            relying_party_keys: OnceCell::new(),
            clients: ClientCache::default(),
        }
    }

    pub async fn keys(&self, store: &Store, now: i64) -> Result<Arc<TenantKeys>, StoreError> {
        self.keys.get_or_try_init(|| async { store.tenant_keys(&self.tenant.id, now).await.map(Arc::new) }).await.cloned()
    }

    /// The discovery document (OpenID Connect Discovery 1.0 §3), as JSON.
    /// It depends on the tenant, which a snapshot never changes, and on
    /// the languages installed, which a themes reload may change.
    pub fn discovery_json(&self, languages: &crate::i18n::Installed) -> Bytes {
        let generation = languages.generation();
        if let Some((g, body)) = &*self.discovery.read().unwrap_or_else(|p| p.into_inner())
            && *g == generation
        {
            return body.clone();
        }
        let doc = crate::discovery::provider_metadata(&self.tenant, false, &languages.current());
        let body = Bytes::from(serde_json::to_vec(&doc).expect("a JSON value serialises"));
        *self.discovery.write().unwrap_or_else(|p| p.into_inner()) = Some((generation, body.clone()));
        body
    }

    /// The published keys as a JWK Set, as JSON: made from the same keys as
    /// [`TenantEntry::keys`], which a snapshot keeps until the next key
    /// event reloads the catalog.
    pub async fn jwks_json(&self, store: &Store, now: i64) -> Result<Bytes, StoreError> {
        if let Some(b) = self.jwks.get() {
            return Ok(b.clone());
        }
        let keys = self.keys(store, now).await?;
        let body = Bytes::from(serde_json::to_vec(&serde_json::json!({ "keys": keys.jwks })).expect("a JSON value serialises"));
        Ok(self.jwks.get_or_init(|| body).clone())
    }

    /// The tenant's federation keys (statements it signs as a federation
    /// entity), unsealed on first use like [`TenantEntry::keys`].
    pub async fn federation_keys(&self, store: &Store, now: i64) -> Result<Arc<FederationKeys>, StoreError> {
        self.federation_keys.get_or_try_init(|| async { store.federation_keys(&self.tenant.id, now).await.map(Arc::new) }).await.cloned()
    }

    /// The keys the tenant signs with as a relying party of peer providers
    /// (peer sign-in), apart from both its token and federation keys.
    pub async fn relying_party_keys(&self, store: &Store, now: i64) -> Result<Arc<FederationKeys>, StoreError> {
        self.relying_party_keys.get_or_try_init(|| async { store.keys_for(&self.tenant.id, KeyPurpose::RelyingParty, now).await.map(Arc::new) }).await.cloned()
    }

    /// One of the tenant's clients, from this snapshot's cache or the store.
    /// A registered client; a federation registration past its expiry is
    /// no client at all (it registers again through its trust chain).
    pub async fn client(&self, store: &Store, client_id: &str, now: i64) -> Result<Option<Arc<Client>>, StoreError> {
        Ok(self.clients.get(store, &self.tenant.id, client_id).await?.filter(|c| !c.is_expired(now)))
    }

    /// After this node changed or removed a client: the next read goes to
    /// the store. (Other nodes see the change at their next catalog poll.)
    pub fn forget_client(&self, client_id: &str) {
        self.clients.forget(client_id);
    }
}

#[derive(Default)]
struct Snapshot {
    version: i64,
    reload_at: Option<i64>,
    /// By authority and issuer path prefix, for requests.
    routes: TenantIndex<Arc<TenantEntry>>,
    /// The same entries by tenant id, for work done outside a request
    /// (logout notifications signed again for a late retry).
    by_id: HashMap<String, Arc<TenantEntry>>,
    by_slug: HashMap<String, Arc<TenantEntry>>,
}

#[derive(Default)]
pub struct Catalog {
    snapshot: RwLock<Arc<Snapshot>>,
}

impl Catalog {
    fn current(&self) -> Arc<Snapshot> {
        self.snapshot.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Reloads when the version moved or a key event is due. Returns whether
    /// it reloaded.
    pub async fn refresh(&self, store: &Store, now: i64) -> Result<bool, StoreError> {
        let version = store.catalog_version().await?;
        let cur = self.current();
        let due = cur.reload_at.is_some_and(|t| t <= now);
        if version == cur.version && !due && cur.version != 0 {
            return Ok(false);
        }
        let tenants = store.list_tenants().await?;
        let mut routes = TenantIndex::default();
        let mut by_id = HashMap::new();
        let mut by_slug = HashMap::new();
        for t in tenants {
            let entry = Arc::new(TenantEntry::new(t));
            by_id.insert(entry.tenant.id.clone(), entry.clone());
            by_slug.insert(entry.tenant.slug.as_str().to_owned(), entry.clone());
            routes.insert(entry.tenant.issuer.authority(), entry.tenant.issuer.path_prefix(), entry);
        }
        let reload_at = store.next_key_event(now).await?;
        let mut current = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
        // Two refreshes may run at once (the poller, and a node's own
        // change refreshing at once): the one that read an older version
        // must not replace the newer snapshot the other installed.
        if current.version > version {
            return Ok(false);
        }
        *current = Arc::new(Snapshot { version, reload_at, routes, by_id, by_slug });
        Ok(true)
    }

    /// Finds the tenant for a request: the tenants claiming this authority
    /// (or, if none does, those on the public URL's authority), then the
    /// longest issuer path that prefixes the request path at a segment
    /// boundary. Returns the tenant and the path left after its prefix.
    pub fn resolve(&self, authority: &str, public_authority: &str, path: &str) -> Option<(Arc<TenantEntry>, String)> {
        self.current().routes.resolve(authority, public_authority, path).map(|(e, rest)| (e.clone(), rest))
    }

    /// The tenant whose issuer is exactly `entity_id` (a federation Entity
    /// Identifier: compared code point by code point, §1.2).
    pub fn by_entity_id(&self, entity_id: &str) -> Option<Arc<TenantEntry>> {
        let url = url::Url::parse(entity_id).ok()?;
        let authority = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str()?),
            None => url.host_str()?.to_owned(),
        };
        let authority = authority.to_ascii_lowercase();
        let (entry, _) = self.resolve(&authority, &authority, url.path())?;
        (entry.tenant.issuer.as_str() == entity_id).then_some(entry)
    }

    /// A tenant by its id.
    pub fn by_id(&self, tenant_id: &str) -> Option<Arc<TenantEntry>> {
        self.current().by_id.get(tenant_id).cloned()
    }

    /// A tenant by its slug.
    pub fn by_slug(&self, slug: &str) -> Option<Arc<TenantEntry>> {
        self.current().by_slug.get(slug).cloned()
    }

    /// Every tenant, in no particular order.
    pub fn entries(&self) -> Vec<Arc<TenantEntry>> {
        self.current().by_id.values().cloned().collect()
    }

    pub fn tenant_count(&self) -> usize {
        self.current().routes.len()
    }
}
