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
    /// Which addresses Trame's own requests may reach ([`crate::outbound`]).
    pub outbound_reach: crate::outbound::Reach,
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
    /// For fetching client `jwks_uri` documents; built on first use, because
    /// loading the system's trust store costs more than the rest of start-up.
    http: Arc<std::sync::OnceLock<reqwest::Client>>,
}

impl AppState {
    pub fn new(store: Store, ephemeral: Ephemeral, config: WebConfig, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Self {
        let csrf_key = Arc::new(*store.derived_secret("csrf"));
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
            http: Arc::default(),
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

    /// The outbound HTTP client ([`crate::outbound`]).
    pub fn http(&self) -> &reqwest::Client {
        self.http.get_or_init(|| crate::outbound::client(self.config.outbound_reach))
    }

    pub fn outbound_reach(&self) -> crate::outbound::Reach {
        self.config.outbound_reach
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}
