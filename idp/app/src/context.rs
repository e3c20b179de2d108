//! What the use cases share: one [`App`], cloned cheaply (one `Arc`), made
//! once by the binary (or a test) and passed explicitly.

use std::sync::Arc;

use trame_core::{Clock, Randomness};
use trame_store::{Ephemeral, Store};

use crate::catalog::Catalog;
use crate::client_keys::KeyCache;
use crate::federation::ChainResolver;
use crate::federation::peers::{LogoCache, PeerDirectory};
use crate::mail::Mailer;
use crate::outbound::{self, ProxyUrl, Reach};
use crate::password_work::PasswordWork;
use crate::usage::{Counter, Usage};

/// Where Trame's own requests may go, from the configuration.
#[derive(Debug, Clone, Default)]
pub struct OutboundConfig {
    /// Which addresses Trame's own requests may reach, for every tenant;
    /// when unset, decided per tenant from its issuer
    /// ([`outbound::for_issuer`]).
    pub reach: Option<Reach>,
    /// The proxy Trame's own requests go through; the environment's
    /// proxies are never used ([`crate::outbound`]).
    pub proxy: Option<ProxyUrl>,
}

/// The application: the stores and what is kept in memory beside them.
#[derive(Clone)]
pub struct App(Arc<AppInner>);

impl std::ops::Deref for App {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

/// What [`App`] holds.
#[derive(Clone)]
pub struct AppInner {
    pub store: Store,
    pub ephemeral: Ephemeral,
    pub catalog: Arc<Catalog>,
    pub rng: Arc<dyn Randomness>,
    pub clock: Arc<dyn Clock>,
    /// Outgoing mail; disabled unless [`App::with_mailer`] sets one.
    pub mailer: Arc<Mailer>,
    /// Federation trust chains resolved by this node, until they expire.
    pub chains: Arc<ChainResolver>,
    /// The peer providers of each tenant that accepts them, as last read.
    pub peers: Arc<PeerDirectory>,
    /// The bound on argon2 runs at once; one per core unless
    /// [`App::with_password_work`] sets another.
    pub password_work: Arc<PasswordWork>,
    pub outbound_config: OutboundConfig,
    /// The outbound HTTP clients, one per reach, built on first use.
    outbound: Arc<outbound::Clients>,
    /// Clients' key sets fetched from their `jwks_uri`.
    pub client_keys: Arc<KeyCache>,
    /// Peer logos fetched for the sign-in page, briefly.
    pub peer_logos: Arc<LogoCache>,
    /// The transparency figures not yet in the store ([`crate::usage`]).
    pub usage: Arc<Usage>,
    /// The hosts the transparency page counts as configured, for a minute.
    pub configured_hosts: Arc<crate::transparency::ConfiguredHosts>,
    /// The languages installed on this node (discovery lists them).
    pub languages: Arc<crate::i18n::Installed>,
}

impl App {
    pub fn new(store: Store, ephemeral: Ephemeral, outbound_config: OutboundConfig, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Self {
        let usage = Arc::new(Usage::new(clock.clone()));
        let outbound = Arc::new(outbound::Clients::new(outbound_config.proxy.clone(), usage.clone()));
        Self(Arc::new(AppInner {
            store,
            ephemeral,
            catalog: Arc::new(Catalog::default()),
            rng,
            clock,
            mailer: Arc::new(Mailer::disabled()),
            chains: Arc::default(),
            peers: Arc::default(),
            password_work: Arc::new(PasswordWork::per_core()),
            outbound_config,
            outbound,
            client_keys: Arc::default(),
            peer_logos: Arc::default(),
            usage,
            configured_hosts: Arc::default(),
            languages: Arc::default(),
        }))
    }

    /// Replaces the (disabled) mailer.
    pub fn with_mailer(mut self, mailer: Mailer) -> Self {
        // An App already shared keeps its own: this one gets a copy.
        Arc::make_mut(&mut self.0).mailer = Arc::new(mailer);
        self
    }

    /// Replaces the bound on argon2 work (the `password_hash_concurrency`
    /// setting).
    pub fn with_password_work(mut self, work: PasswordWork) -> Self {
        Arc::make_mut(&mut self.0).password_work = Arc::new(work);
        self
    }

    /// Which addresses `tenant`'s outbound requests may reach.
    pub fn reach(&self, tenant: &trame_core::tenant::Tenant) -> Reach {
        outbound::for_issuer(self.outbound_config.reach, tenant.issuer.as_str())
    }

    /// The outbound HTTP client of a reach ([`crate::outbound`]).
    pub fn outbound(&self, reach: Reach) -> &outbound::Client {
        self.outbound.get(reach)
    }

    /// The outbound HTTP client of `tenant`'s requests.
    pub fn outbound_for(&self, tenant: &trame_core::tenant::Tenant) -> &outbound::Client {
        self.outbound(self.reach(tenant))
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// At the end of a process (after the server's last request, or a
    /// command): the transparency figures not yet written go to the store
    /// and the ephemeral store writes what it must keep.
    pub async fn finish(&self) {
        if let Err(e) = self.usage.flush(&self.store).await {
            tracing::warn!(error = %e, "the last transparency figures could not be written");
        }
        self.ephemeral.shutdown().await;
    }

    /// Sends a mail of `tenant_id`, counted on the transparency page with
    /// the relay it went through.
    pub async fn send_mail(&self, tenant_id: &str, to: &str, subject: &str, text_body: &str) -> Result<(), crate::mail::MailError> {
        self.mailer.send(to, subject, text_body).await?;
        self.usage.count(tenant_id, Counter::Mail);
        if let Some(relay) = self.mailer.relay() {
            self.usage.host(relay);
        }
        Ok(())
    }
}
