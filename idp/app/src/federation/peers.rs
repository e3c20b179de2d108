//! The peer providers whose citizens may sign in at a tenant: the
//! `openid_provider` entities the configured authority lists (§8.2), each
//! with a trust chain to one of the tenant's Trust Anchors and every Trust
//! Mark the tenant requires, verified. Names and logos come from the
//! resolved `federation_entity` metadata, never from the list itself.
//!
//! A node keeps a tenant's directory for a few minutes (and never past
//! the first chain's expiry), so the "Where is your account?" page does
//! not ask the authority on every view.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::FetchFor;
use serde_json::{Map, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use trame_core::federation::PeerSignIn;
use trame_core::lifetimes::PEER_DIRECTORY;
use trame_federation::chain::{ChainError, TrustAnchor, TrustChain};

use super::fetcher::trust_anchors;
use super::local;
use crate::App;
use crate::catalog::TenantEntry;
use crate::memo::Memo;
use crate::outbound;
use bytes::Bytes;

/// Peers read from one list, at most: a directory is a page people read.
const MAX_PEERS: usize = 200;

/// Peers resolved at once when the directory is read.
const CONCURRENT_RESOLUTIONS: usize = 8;

/// The longest one peer's chain may take to resolve.
const PEER_RESOLUTION: std::time::Duration = std::time::Duration::from_secs(10);

/// A peer provider, as the directory shows it and the sign-in uses it.
#[derive(Debug, Clone)]
pub struct Peer {
    /// Its Entity Identifier, which is also its issuer.
    pub entity_id: String,
    pub name: String,
    pub logo_uri: Option<String>,
    /// The resolved `openid_provider` metadata (Trust Anchor policy applied).
    pub provider: Map<String, Value>,
    pub trust_anchor: String,
    pub expires_at: i64,
}

/// Why the directory (or one peer) is not available.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    #[error("peer sign-in is not set up for this tenant")]
    NotConfigured,
    #[error("the list authority {0} cannot be trusted: {1}")]
    ListSource(String, ChainError),
    #[error("the list authority {0} publishes no list endpoint")]
    NoListEndpoint(String),
    #[error("the list of peers could not be read: {0}")]
    List(String),
    #[error("the list of peers could not be read: {0}")]
    ListLocal(#[source] super::local::LocalError),
    #[error("the list of peers could not be read: {0}")]
    ListFetch(#[source] crate::outbound::FetchError),
    #[error("{0} is not one of the peer providers offered here")]
    NotAPeer(String),
}

/// A directory as read, and when it must be read again.
type Cached = (i64, Arc<Vec<Peer>>);

/// Directories by tenant (and its peer settings).
#[derive(Default)]
pub struct PeerDirectory {
    cached: Mutex<HashMap<String, Cached>>,
}

impl PeerDirectory {
    /// The tenant's peers, from this node's copy while it is fresh.
    pub async fn peers(&self, state: &App, tenant: &TenantEntry) -> Result<Arc<Vec<Peer>>, PeerError> {
        let config = tenant.tenant.federation.peer_sign_in.as_ref().ok_or(PeerError::NotConfigured)?;
        let now = state.now();
        let key = format!("{}\n{}", tenant.tenant.id, serde_json::to_string(config).unwrap_or_default());
        if let Some((until, peers)) = self.cached.lock().unwrap_or_else(|p| p.into_inner()).get(&key)
            && *until > now
        {
            return Ok(peers.clone());
        }
        let peers = Arc::new(read(state, tenant, config).await?);
        let until = peers.iter().map(|p| p.expires_at).fold(now + PEER_DIRECTORY, i64::min);
        self.cached.lock().unwrap_or_else(|p| p.into_inner()).insert(key, (until, peers.clone()));
        Ok(peers)
    }

    /// One peer of the directory, by Entity Identifier.
    pub async fn peer(&self, state: &App, tenant: &TenantEntry, entity_id: &str) -> Result<Peer, PeerError> {
        let peers = self.peers(state, tenant).await?;
        peers.iter().find(|p| p.entity_id == entity_id).cloned().ok_or_else(|| PeerError::NotAPeer(entity_id.to_owned()))
    }
}

async fn read(state: &App, tenant: &TenantEntry, config: &PeerSignIn) -> Result<Vec<Peer>, PeerError> {
    let anchors = trust_anchors(&tenant.tenant.federation);
    if anchors.is_empty() {
        return Err(PeerError::NotConfigured);
    }
    let by = FetchFor::tenant(state, &tenant.tenant);
    let ids = listed_providers(state, &by, &config.list_from, &anchors).await?;
    // Resolved a few at once, each within a bound: an unreachable peer
    // (5 s per fetch) must not hold the page up for the others.
    let gate = Arc::new(Semaphore::new(CONCURRENT_RESOLUTIONS));
    let mut tasks = JoinSet::new();
    for id in ids.into_iter().filter(|id| id != tenant.tenant.issuer.as_str()).take(MAX_PEERS) {
        let (state, by, anchors, marks, gate) = (state.clone(), by.clone(), anchors.clone(), config.required_trust_marks.clone(), gate.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await;
            let peer = match tokio::time::timeout(PEER_RESOLUTION, peer_of(&state, &by, &id, &anchors, &marks)).await {
                Ok(r) => r,
                Err(_) => Err("its chain took too long to resolve".to_owned()),
            };
            (id, peer)
        });
    }
    let mut peers = Vec::new();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok((_, Ok(peer))) => peers.push(peer),
            Ok((id, Err(why))) => tracing::info!(tenant = %tenant.tenant.slug, peer = %id, why, "listed provider not offered for sign-in"),
            Err(e) => tracing::error!(error = %e, "peer resolution task failed"),
        }
    }
    peers.sort_by_key(|p| p.name.to_lowercase());
    Ok(peers)
}

/// The `openid_provider` entities the authority lists. The authority is
/// trusted only through its own chain to one of the tenant's anchors.
async fn listed_providers(state: &App, by: &FetchFor, list_from: &str, anchors: &[TrustAnchor]) -> Result<Vec<String>, PeerError> {
    let chain = state.chains.resolve(state, by, list_from, anchors).await.map_err(|e| PeerError::ListSource(list_from.to_owned(), e))?;
    // An authority of this instance answers in-process.
    if let Some(entry) = state.catalog.by_entity_id(list_from) {
        return local::listed(state, &entry, "openid_provider").await.map_err(PeerError::ListLocal);
    }
    let endpoint = chain
        .metadata
        .get("federation_entity")
        .and_then(|m| m.get("federation_list_endpoint"))
        .and_then(Value::as_str)
        .ok_or_else(|| PeerError::NoListEndpoint(list_from.to_owned()))?;
    let mut url = url::Url::parse(endpoint).map_err(|_| PeerError::NoListEndpoint(list_from.to_owned()))?;
    url.query_pairs_mut().append_pair("entity_type", "openid_provider");
    let body = outbound::get_document(state.outbound(by.reach), url.as_str()).await.map_err(PeerError::ListFetch)?;
    let ids: Vec<String> = serde_json::from_slice(&body).map_err(|_| PeerError::List("the list is not a JSON array of strings".into()))?;
    Ok(ids)
}

/// A listed provider as a peer: its chain, its provider metadata naming
/// it as issuer, and the required Trust Marks. `Err` says why not.
async fn peer_of(state: &App, by: &FetchFor, id: &str, anchors: &[TrustAnchor], required_marks: &[String]) -> Result<Peer, String> {
    let chain = state.chains.resolve(state, by, id, anchors).await.map_err(|e| format!("no trust chain: {e}"))?;
    let provider = provider_metadata(&chain)?;
    if !required_marks.is_empty() {
        let held = super::marks::verified(state, by, &chain, anchors).await;
        if let Some(missing) = required_marks.iter().find(|t| !held.iter().any(|(m, _)| &m.trust_mark_type == *t)) {
            return Err(format!("no valid Trust Mark of type {missing}"));
        }
    }
    let entity = chain.metadata.get("federation_entity").and_then(Value::as_object);
    let text = |name: &str| entity.and_then(|m| m.get(name)).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    let name = text("display_name").or_else(|| text("organization_name")).unwrap_or_else(|| host_of(id));
    let logo_uri = text("logo_uri").filter(|u| u.starts_with("https://"));
    Ok(Peer { entity_id: id.to_owned(), name, logo_uri, provider, trust_anchor: chain.trust_anchor.clone(), expires_at: chain.expires_at })
}

/// The chain's `openid_provider` metadata, with what a sign-in needs.
fn provider_metadata(chain: &TrustChain) -> Result<Map<String, Value>, String> {
    let provider = chain.metadata.get("openid_provider").and_then(Value::as_object).ok_or("no openid_provider metadata")?;
    // §5.1.1: an OP's issuer is its Entity Identifier.
    if provider.get("issuer").and_then(Value::as_str) != Some(chain.subject.as_str()) {
        return Err("its issuer is not its Entity Identifier".into());
    }
    for member in ["authorization_endpoint", "token_endpoint"] {
        if !provider.get(member).and_then(Value::as_str).is_some_and(|u| u.starts_with("https://")) {
            return Err(format!("no https {member}"));
        }
    }
    Ok(provider.clone())
}

fn host_of(id: &str) -> String {
    url::Url::parse(id).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| id.to_owned())
}

/// Logos kept per node.
pub const LOGO_CAPACITY: usize = 512;

/// Peer logos by tenant and `logo_uri`: the media type and the image, or
/// `None` when it could not be fetched or is not an image.
pub struct LogoCache(pub Memo<(String, String), Option<(String, Bytes)>>);

impl Default for LogoCache {
    fn default() -> Self {
        Self(Memo::new(LOGO_CAPACITY))
    }
}
