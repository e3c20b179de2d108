use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ipnet::IpNet;
use trame_core::{Clock, Randomness};
use trame_store::{Ephemeral, Store};

use crate::catalog::Catalog;
use crate::mail::Mailer;
use crate::password_work::PasswordWork;
use crate::render::Themes;

/// What the web layer needs from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The authority (`host:port`) of the public URL: requests for a host no
    /// tenant claims are routed as if they came to this one.
    pub public_authority: String,
    /// Peers whose `X-Forwarded-For`/`X-Forwarded-Host` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Which addresses Trame's own requests may reach, for every tenant;
    /// when unset, decided per tenant from its issuer
    /// ([`crate::outbound::for_issuer`]).
    pub outbound_reach: Option<crate::outbound::Reach>,
    /// The proxy Trame's own requests go through; the environment's
    /// proxies are never used ([`crate::outbound`]).
    pub outbound_proxy: Option<crate::outbound::ProxyUrl>,
}

/// The one application state, cloned into every handler: one `Arc`, so a
/// clone is one atomic increment. Each request clones it several times
/// (every `State` extractor and stateful middleware); as a struct of 13
/// `Arc`s each clone and drop cost about 3,500 instructions per request
/// (callgrind, JWKS: 4 % of the request).
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl std::ops::Deref for AppState {
    type Target = AppStateInner;
    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

/// What [`AppState`] holds.
#[derive(Clone)]
pub struct AppStateInner {
    pub store: Store,
    pub ephemeral: Ephemeral,
    pub catalog: Arc<Catalog>,
    pub themes: Arc<Themes>,
    pub config: Arc<WebConfig>,
    pub rng: Arc<dyn Randomness>,
    pub clock: Arc<dyn Clock>,
    /// Outgoing mail; disabled unless [`AppState::with_mailer`] sets one.
    pub mailer: Arc<Mailer>,
    /// Federation trust chains resolved by this node, until they expire.
    pub chains: Arc<crate::federation::ChainResolver>,
    /// The peer providers of each tenant that accepts them, as last read.
    pub peers: Arc<crate::federation::peers::PeerDirectory>,
    /// The bound on argon2 runs at once; one per core unless
    /// [`AppState::with_password_work`] sets another.
    pub password_work: Arc<PasswordWork>,
    /// The key of the pages' CSRF tokens ([`crate::csrf`]), derived from the
    /// master key so every node computes the same tokens.
    pub csrf_key: Arc<[u8; 32]>,
    /// Set when the server stops (SIGTERM): readiness answers 503 from
    /// then on, so load balancers stop sending while requests drain.
    draining: Arc<AtomicBool>,
    /// The outbound HTTP clients, one per reach, built on first use.
    outbound: Arc<crate::outbound::Clients>,
    /// Clients' key sets fetched from their `jwks_uri`.
    pub(crate) client_keys: Arc<crate::client_keys::KeyCache>,
    /// Peer logos fetched for the sign-in page, briefly.
    pub(crate) peer_logos: Arc<crate::routes::peers::LogoCache>,
}

impl AppState {
    pub fn new(store: Store, ephemeral: Ephemeral, config: WebConfig, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Self {
        let csrf_key = Arc::new(*store.derived_secret("csrf"));
        let config_proxy = config.outbound_proxy.clone();
        Self(Arc::new(AppStateInner {
            csrf_key,
            store,
            ephemeral,
            catalog: Arc::new(Catalog::default()),
            themes: Arc::new(Themes::default_theme()),
            config: Arc::new(config),
            rng,
            clock,
            mailer: Arc::new(Mailer::disabled()),
            chains: Arc::default(),
            peers: Arc::default(),
            password_work: Arc::new(PasswordWork::per_core()),
            draining: Arc::default(),
            outbound: Arc::new(crate::outbound::Clients::new(config_proxy)),
            client_keys: Arc::default(),
            peer_logos: Arc::default(),
        }))
    }

    /// Replaces the (disabled) mailer.
    pub fn with_mailer(mut self, mailer: Mailer) -> Self {
        // A state already shared keeps its own: this one gets a copy.
        Arc::make_mut(&mut self.0).mailer = Arc::new(mailer);
        self
    }

    /// Replaces the bound on argon2 work (the `password_hash_concurrency`
    /// setting).
    pub fn with_password_work(mut self, work: PasswordWork) -> Self {
        Arc::make_mut(&mut self.0).password_work = Arc::new(work);
        self
    }

    /// The server is stopping: not ready any more.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    /// Which addresses `tenant`'s outbound requests may reach.
    pub fn reach(&self, tenant: &trame_core::tenant::Tenant) -> crate::outbound::Reach {
        crate::outbound::for_issuer(self.config.outbound_reach, tenant.issuer.as_str())
    }

    /// The outbound HTTP client of a reach ([`crate::outbound`]).
    pub fn outbound(&self, reach: crate::outbound::Reach) -> &crate::outbound::Client {
        self.outbound.get(reach)
    }

    /// The outbound HTTP client of `tenant`'s requests.
    pub fn outbound_for(&self, tenant: &trame_core::tenant::Tenant) -> &crate::outbound::Client {
        self.outbound(self.reach(tenant))
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}
