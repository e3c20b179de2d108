use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ipnet::IpNet;
use trame_core::{Clock, Randomness};
use trame_store::{Ephemeral, Store};

use trame_app::mail::Mailer;
use trame_app::password_work::PasswordWork;
use trame_app::{App, OutboundConfig};

use crate::themes::Themes;

/// What the web layer needs from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The `public_url` setting: where a tenant created through the
    /// operator's API goes when no issuer is given (`<public_url>/<slug>`,
    /// as `trame tenant add` does).
    pub public_url: trame_core::ids::Issuer,
    /// The authority (`host:port`) of the public URL: requests for a host no
    /// tenant claims are routed as if they came to this one.
    pub public_authority: String,
    /// Peers whose `X-Forwarded-For`/`X-Forwarded-Host` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Which addresses Trame's own requests may reach, for every tenant;
    /// when unset, decided per tenant from its issuer
    /// ([`trame_app::outbound::for_issuer`]).
    pub outbound_reach: Option<trame_app::outbound::Reach>,
    /// The proxy Trame's own requests go through; the environment's
    /// proxies are never used ([`trame_app::outbound`]).
    pub outbound_proxy: Option<trame_app::outbound::ProxyUrl>,
    /// The level people must have signed in at to use the console
    /// (`console_acr`).
    pub console_acr: String,
    /// The providers the operator declared (`[[providers]]`), for the
    /// transparency page.
    pub providers: Vec<trame_app::transparency::Provider>,
    /// The themes folder (`themes_dir`), if any ([`crate::themes`]).
    pub themes_dir: Option<std::path::PathBuf>,
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

/// What [`AppState`] holds: the application ([`App`], reached through
/// `Deref`) and what only the HTTP layer needs.
#[derive(Clone)]
pub struct AppStateInner {
    app: App,
    pub themes: Arc<Themes>,
    pub config: Arc<WebConfig>,
    /// The key of the pages' CSRF tokens ([`crate::csrf`]), derived from the
    /// master key so every node computes the same tokens.
    pub csrf_key: Arc<[u8; 32]>,
    /// Set when the server stops (SIGTERM): readiness answers 503 from
    /// then on, so load balancers stop sending while requests drain.
    draining: Arc<AtomicBool>,
}

impl std::ops::Deref for AppStateInner {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl AppState {
    pub fn new(store: Store, ephemeral: Ephemeral, config: WebConfig, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Self {
        let outbound = OutboundConfig { reach: config.outbound_reach, proxy: config.outbound_proxy.clone() };
        Self::from_app(App::new(store, ephemeral, outbound, rng, clock), config)
    }

    /// The HTTP layer over an application made elsewhere.
    pub fn from_app(app: App, config: WebConfig) -> Self {
        let csrf_key = Arc::new(*app.store.derived_secret("csrf"));
        let themes = Arc::new(Themes::load(config.themes_dir.clone(), app.languages.clone()));
        Self(Arc::new(AppStateInner { app, themes, config: Arc::new(config), csrf_key, draining: Arc::default() }))
    }

    /// The application under the HTTP layer.
    pub fn app(&self) -> &App {
        &self.0.app
    }

    /// Replaces the (disabled) mailer.
    pub fn with_mailer(mut self, mailer: Mailer) -> Self {
        // A state already shared keeps its own: this one gets a copy.
        let inner = Arc::make_mut(&mut self.0);
        inner.app = inner.app.clone().with_mailer(mailer);
        self
    }

    /// Replaces the bound on argon2 work (the `password_hash_concurrency`
    /// setting).
    pub fn with_password_work(mut self, work: PasswordWork) -> Self {
        let inner = Arc::make_mut(&mut self.0);
        inner.app = inner.app.clone().with_password_work(work);
        self
    }

    /// The server is stopping: not ready any more.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    /// Asks both stores (at most [`PING_TIMEOUT`] each, at once) and records
    /// the answer as gauges; used by `/_trame/ready` and by each metrics scrape.
    pub async fn readiness(&self) -> Readiness {
        let draining = self.is_draining();
        let (db, eph) = tokio::join!(tokio::time::timeout(PING_TIMEOUT, self.store.ping()), tokio::time::timeout(PING_TIMEOUT, self.ephemeral.ping()));
        let r = Readiness { database: matches!(db, Ok(Ok(()))), ephemeral: matches!(eph, Ok(Ok(()))), draining };
        trame_app::telemetry::readiness(r.database, r.ephemeral, r.ready());
        r
    }
}

/// How long readiness waits for each store. Probes time out in a second or
/// two: a store that has not answered by then counts as down, rather than
/// the probe itself timing out (the database pool alone waits 5 s for a
/// connection).
const PING_TIMEOUT: Duration = Duration::from_secs(1);

/// What readiness found.
pub struct Readiness {
    pub database: bool,
    pub ephemeral: bool,
    pub draining: bool,
}

impl Readiness {
    pub fn ready(&self) -> bool {
        self.database && self.ephemeral && !self.draining
    }
}
