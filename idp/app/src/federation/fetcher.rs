//! How a tenant reads other entities' statements while building a chain:
//! tenants of this instance in-process ([`super::local`]), everyone else
//! over HTTP through [`crate::outbound`] (size limit, timeout, no
//! redirects, public addresses only where configured), checking the media
//! type of the answer. [`ChainResolver`] keeps resolved chains until they
//! expire, per tenant: two tenants may configure different keys for the
//! same Trust Anchor, so one's chains are never the other's.

use std::collections::HashMap;
use std::sync::Mutex;

use trame_core::federation::FederationSettings;
use trame_federation::chain::{self, ChainCache, ChainError, FetchError, Fetcher, ResolveOptions, TrustAnchor, TrustChain};
use trame_federation::entity_id::entity_configuration_url;
use trame_jose::Jwks;

use super::local::{self, LocalError};
use super::statements::{media, paths};
use crate::App;
use crate::outbound::{self, Reach};
use crate::usage::Counter;
use trame_core::tenant::Tenant;

/// On whose behalf statements are fetched: the reach of the tenant the
/// chain is built for, and its id, under which the fetches count as
/// federation exchanges on its transparency page (none for the operator's
/// commands).
#[derive(Debug, Clone)]
pub struct FetchFor {
    pub reach: Reach,
    pub tenant_id: Option<String>,
}

impl FetchFor {
    /// For `tenant`, with its reach.
    pub fn tenant(state: &App, tenant: &Tenant) -> Self {
        Self { reach: state.reach(tenant), tenant_id: Some(tenant.id.clone()) }
    }

    /// For the installation's operator (the CLI): not counted.
    pub fn operator(reach: Reach) -> Self {
        Self { reach, tenant_id: None }
    }
}

pub struct FederationFetcher<'a> {
    state: &'a App,
    by: &'a FetchFor,
}

impl<'a> FederationFetcher<'a> {
    pub fn new(state: &'a App, by: &'a FetchFor) -> Self {
        Self { state, by }
    }

    async fn get(&self, url: &str) -> Result<String, FetchError> {
        // The cause goes to the log; callers (the resolve endpoint) answer
        // with one text, so no one learns which ports are open where.
        if let Some(tenant_id) = &self.by.tenant_id {
            self.state.usage.count(tenant_id, Counter::FederationOut);
        }
        let (media_type, body) = outbound::get_typed(self.state.outbound(self.by.reach), url, media::ENTITY_STATEMENT).await.map_err(|e| {
            tracing::info!(error = %e, "federation statement not fetched");
            FetchError::Other("the statement could not be fetched".into())
        })?;
        if media_type.as_deref() != Some(media::ENTITY_STATEMENT) {
            return Err(FetchError::Other(format!("the answer is {}, not {}", media_type.as_deref().unwrap_or("untyped"), media::ENTITY_STATEMENT)));
        }
        String::from_utf8(body).map(|s| s.trim().to_owned()).map_err(|_| FetchError::Other("the answer is not text".into()))
    }
}

fn local_error(e: LocalError) -> FetchError {
    match e {
        LocalError::NotFound => FetchError::NotFound,
        other => FetchError::Other(other.to_string()),
    }
}

impl Fetcher for FederationFetcher<'_> {
    async fn fetch_entity_configuration(&self, entity_id: &str) -> Result<String, FetchError> {
        if let Some(entry) = self.state.catalog.by_entity_id(entity_id) {
            return local::entity_configuration(self.state, &entry).await.map_err(local_error);
        }
        crate::telemetry::federation_fetch(self.get(&entity_configuration_url(entity_id)).await)
    }

    async fn fetch_subordinate_statement(&self, fetch_endpoint: &str, sub: &str) -> Result<String, FetchError> {
        if let Some(issuer) = fetch_endpoint.strip_suffix(paths::FETCH)
            && let Some(entry) = self.state.catalog.by_entity_id(issuer)
            && entry.tenant.issuer.endpoint(paths::FETCH) == fetch_endpoint
        {
            return local::subordinate_statement(self.state, &entry, sub).await.map_err(local_error);
        }
        let mut url = url::Url::parse(fetch_endpoint).map_err(|_| FetchError::Other("the fetch endpoint is not a URL".into()))?;
        url.query_pairs_mut().append_pair("sub", sub);
        crate::telemetry::federation_fetch(self.get(url.as_str()).await)
    }
}

/// The Trust Anchors a tenant accepts, with their configured keys. An
/// anchor whose stored keys no longer parse is left out (and logged), not
/// trusted with no keys.
pub fn trust_anchors(settings: &FederationSettings) -> Vec<TrustAnchor> {
    settings
        .trust_anchors
        .iter()
        .filter_map(|a| match Jwks::parse(&a.jwks) {
            Ok(jwks) => Some(TrustAnchor { entity_id: a.entity_id.clone(), jwks }),
            Err(e) => {
                tracing::warn!(trust_anchor = %a.entity_id, error = %e, "configured trust anchor keys are unusable; anchor ignored");
                None
            }
        })
        .collect()
}

/// Resolved chains until they expire, per set of trusted anchors (their
/// identifiers and keys).
#[derive(Default)]
pub struct ChainResolver {
    caches: Mutex<HashMap<String, ChainCache>>,
}

fn cache_key(anchors: &[TrustAnchor]) -> String {
    anchors.iter().map(|a| format!("{}\n{}\n", a.entity_id, a.jwks.to_json())).collect()
}

impl ChainResolver {
    /// A chain from `subject` to one of `anchors`, from the cache or
    /// resolved now.
    pub async fn resolve(&self, state: &App, by: &FetchFor, subject: &str, anchors: &[TrustAnchor]) -> Result<TrustChain, ChainError> {
        let now = state.now();
        // A chain fetched from private addresses is not for a tenant that
        // may not reach them.
        let key = format!("{:?}\n{}", by.reach, cache_key(anchors));
        {
            let mut caches = self.caches.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(cache) = caches.get_mut(&key) {
                for a in anchors {
                    if let Some(c) = cache.get(subject, Some(&a.entity_id), now) {
                        return Ok(c.clone());
                    }
                }
            }
        }
        let fetcher = FederationFetcher::new(state, by);
        let chain = chain::resolve(&fetcher, subject, anchors, &ResolveOptions::at(now)).await?;
        self.caches.lock().unwrap_or_else(|p| p.into_inner()).entry(key).or_default().insert(chain.clone());
        Ok(chain)
    }
}
