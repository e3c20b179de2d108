//! Test support for the store, web and server crates.
//!
//! - [`TestDb`]: a fresh, migrated database per test. SQLite: a file in a
//!   temporary directory. PostgreSQL: `CREATE DATABASE … TEMPLATE` from a
//!   template migrated once per test process (crates.io's approach), so a
//!   test costs a file copy rather than a migration run.
//! - [`TestRedis`]: a Redis key prefix per test, so tests run in parallel
//!   against one Redis without seeing each other.
//! - [`directory::TestDirectory`]: a real OpenLDAP `slapd` per test, with
//!   StartTLS and LDAPS under a [`tls::TestCa`].
//!
//! The services are found through `TRAME_TEST_DATABASE_URL` (an admin URL,
//! default `postgres://postgres@127.0.0.1:5432/postgres`) and
//! `TRAME_TEST_REDIS_URL` (default `redis://127.0.0.1:6379/`). A missing
//! service fails the test loudly: nothing is skipped.

pub mod authenticator;
pub mod directory;
pub mod relay;
pub mod tls;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tokio::sync::OnceCell;
use trame_core::{OsRandom, Randomness};
use trame_store::{Ephemeral, MasterKey, Store};

/// Which durable backend a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub const ALL: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];
}

/// Turns one test into two `#[tokio::test]`s, `<name>::sqlite` (SQLite and
/// the in-process ephemeral store) and `<name>::postgres` (PostgreSQL and
/// Redis), so a failure names its backend and the two run in parallel:
///
/// `trame_testkit::backend_test!(name, workers = 2, |backend| async move { ... });`
///
/// The closure gets the [`Backend`]; the crates' test helpers wrap this
/// macro with their own set-up (a store, a whole web application).
#[macro_export]
macro_rules! backend_test {
    ($name:ident, workers = $workers:literal, |$backend:ident| $run:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = $workers)]
            async fn sqlite() {
                let $backend = $crate::Backend::Sqlite;
                $run.await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = $workers)]
            async fn postgres() {
                let $backend = $crate::Backend::Postgres;
                $run.await
            }
        }
    };
}

pub fn postgres_admin_url() -> String {
    std::env::var("TRAME_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn redis_url() -> String {
    std::env::var("TRAME_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into())
}

static COUNTER: AtomicU64 = AtomicU64::new(0);
static TEMPLATE: OnceCell<String> = OnceCell::const_new();

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// The admin URL with another database name.
fn pg_url(db: &str) -> String {
    let admin = postgres_admin_url();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{db}")
}

async fn admin() -> DatabaseConnection {
    let url = postgres_admin_url();
    Database::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL is required for this test and is not reachable at {url} ({e}); start it or set TRAME_TEST_DATABASE_URL"))
}

/// Drops databases left by test processes that no longer run (a test run
/// killed before its clean-up).
async fn drop_leftovers(admin: &DatabaseConnection) {
    let rows = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'trame_t_%' OR datname LIKE 'trame_tpl_%'",
        ))
        .await
        .unwrap_or_default();
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else { continue };
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|p| p != std::process::id() && !std::path::Path::new(&format!("/proc/{p}")).exists()) {
            let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
        }
    }
}

/// The per-process template: created and migrated once, then closed (a
/// template must have no connections while it is copied).
async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let admin = admin().await;
            drop_leftovers(&admin).await;
            let name = format!("trame_tpl_{}", std::process::id());
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await.expect("drop stale template");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create template database");
            let store = Store::connect(&pg_url(&name), MasterKey::generate(&OsRandom), Arc::new(OsRandom)).await.expect("connect to template");
            store.migrate().await.expect("migrate template");
            store.close().await;
            name
        })
        .await
}

/// A fresh, migrated database, dropped when the value is dropped.
pub struct TestDb {
    pub backend: Backend,
    /// The URL Trame connects to (`sqlite://…?mode=rwc` or `postgres://…`).
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<TempDir>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = TempDir::new("trame-test-db");
                let url = format!("sqlite://{}?mode=rwc", dir.path.join("trame.db").display());
                Self { backend, url, pg_name: None, _dir: Some(dir) }
            }
            Backend::Postgres => {
                let template = template().await;
                let name = unique("trame_t");
                admin().await.execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}")).await.expect("clone the template database");
                Self { backend, url: pg_url(&name), pg_name: Some(name), _dir: None }
            }
        }
    }

    /// A store on this database with a new master key; migrations applied.
    pub async fn store(&self) -> Store {
        self.store_with_key(MasterKey::generate(&OsRandom)).await
    }

    pub async fn store_with_key(&self, key: MasterKey) -> Store {
        let rng: Arc<dyn Randomness> = Arc::new(OsRandom);
        let store = Store::connect(&self.url, key, rng).await.unwrap_or_else(|e| panic!("connect to {}: {e}", self.url));
        store.migrate().await.expect("migrate");
        store
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else { return };
        // Drop runs outside any runtime guarantee: use a thread of its own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                if let Ok(admin) = Database::connect(postgres_admin_url()).await {
                    let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                }
            });
        })
        .join();
    }
}

/// A key prefix of its own on the test Redis.
pub struct TestRedis {
    pub url: String,
    pub prefix: String,
}

impl TestRedis {
    pub fn new() -> Self {
        Self { url: redis_url(), prefix: format!("{}:", unique("trame-test")) }
    }

    pub async fn ephemeral(&self) -> Ephemeral {
        Ephemeral::redis(&self.url, &self.prefix)
            .await
            .unwrap_or_else(|e| panic!("Redis is required for this test and is not reachable at {} ({e}); start it or set TRAME_TEST_REDIS_URL", self.url))
    }

    /// Deletes every key of this test's prefix: what a node sees after
    /// Redis restarted empty. Returns how many keys there were.
    pub async fn clear(&self) -> usize {
        let client = redis::Client::open(self.url.as_str()).expect("a valid Redis URL");
        let mut conn = client.get_multiplexed_async_connection().await.expect("Redis answers");
        let keys: Vec<String> = redis::cmd("KEYS").arg(format!("{}*", self.prefix)).query_async(&mut conn).await.expect("KEYS");
        if !keys.is_empty() {
            redis::cmd("DEL").arg(&keys).query_async::<()>(&mut conn).await.expect("DEL");
        }
        keys.len()
    }
}

impl Default for TestRedis {
    fn default() -> Self {
        Self::new()
    }
}

/// The two ephemeral stores a test can run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EphemeralKind {
    Memory,
    Redis,
}

/// A durable store and an ephemeral store of one backend combination:
/// SQLite with the in-process store (the zero-configuration default) or
/// PostgreSQL with Redis (the scaled-out deployment).
pub struct Backends {
    pub db: TestDb,
    pub store: Store,
    pub ephemeral: Ephemeral,
    pub redis: Option<TestRedis>,
}

impl Backends {
    pub async fn new(backend: Backend) -> Self {
        let db = TestDb::new(backend).await;
        let store = db.store().await;
        let (ephemeral, redis) = match backend {
            Backend::Sqlite => (Ephemeral::memory(), None),
            Backend::Postgres => {
                let r = TestRedis::new();
                (r.ephemeral().await, Some(r))
            }
        };
        Self { db, store, ephemeral, redis }
    }
}

/// A temporary directory removed on drop.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new(prefix: &str) -> Self {
        let path = std::env::temp_dir().join(unique(prefix));
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        Self { path }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
