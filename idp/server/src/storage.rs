//! Opening storage: the data directory, the master key file, the database
//! (migrated), the default tenant, and the ephemeral store.
//!
//! Every command goes through [`open`], so the first command on a fresh
//! machine, whichever it is, leaves a working installation behind.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use trame_core::ids::TenantSlug;
use trame_core::tenant::Tenant;
use trame_core::{Clock, Randomness};
use trame_settings::Config;
use trame_store::{Ephemeral, MasterKey, Store, StoreError};

pub const DEFAULT_TENANT: &str = trame_core::tenant::DEFAULT_SLUG;
/// The SQLite file, in the data directory, of the short-lived entries of
/// an embedded node without Redis (sessions, pending sign-ins, codes): not
/// worth a backup, and a restored backup must not bring sessions back.
pub const EPHEMERAL_FILE: &str = "ephemeral.db";

/// Connects to the database, applies migrations and makes sure a default
/// tenant exists. Returns the names of the migrations it applied.
pub async fn open(config: &Config, rng: Arc<dyn Randomness>, clock: &dyn Clock) -> Result<(Store, Vec<String>)> {
    let master_key = master_key(config, rng.as_ref())?;
    if config.embedded_database() {
        create_private_dir(&config.data_dir)?;
    }
    let store = Store::connect(&config.database_url, master_key, rng).await.context("cannot connect to the database (database_url)")?;
    let applied = migrate(&store).await?;
    if let Some(tenant) = ensure_default_tenant(config, &store, clock.now()).await? {
        check_master_key(&store, &tenant, clock.now()).await?;
    }
    // Tenants made before federation support get their federation key here.
    let made = store.ensure_federation_keys(clock.now()).await.context("cannot create federation keys")?;
    if made > 0 {
        tracing::info!(tenants = made, "federation keys created for tenants that had none");
    }
    Ok((store, applied))
}

/// Applies migrations. Two nodes starting together may race on them; the
/// loser sees an error, waits and finds nothing left to do.
async fn migrate(store: &Store) -> Result<Vec<String>> {
    let pending = store.pending_migrations().await.context("cannot read the migration table")?;
    let mut attempt = 0;
    loop {
        match store.migrate().await {
            Ok(()) => {
                for name in &pending {
                    tracing::info!(migration = %name, "applied database migration");
                }
                return Ok(pending);
            }
            Err(e) if attempt < 3 => {
                attempt += 1;
                tracing::debug!(error = %e, attempt, "migration failed, retrying");
                tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
            }
            Err(e) => return Err(e).context("database migration failed"),
        }
    }
}

/// The ephemeral store: Redis when `redis_url` is set, in-process otherwise.
///
/// In process with the embedded database, the entries are also kept in
/// [`EPHEMERAL_FILE`] beside it ([`Ephemeral::persisted`]), so that a
/// restart (an upgrade) signs nobody out and loses no pending sign-in: an
/// embedded database has one node. With PostgreSQL and no Redis they stay
/// in memory only, as they always have: several nodes may share that
/// database, and were their entries kept, one reading back the entries of
/// another still running could hand out a code the other also hands out.
/// Those nodes need Redis anyway to share sessions and codes. Whoever
/// opens a persisted store calls [`Ephemeral::shutdown`] before the
/// process ends.
pub async fn ephemeral(config: &Config, store: &Store) -> Result<Ephemeral> {
    match &config.redis_url {
        Some(_) => redis(config),
        None if config.embedded_database() => {
            let file = config.data_dir.join(EPHEMERAL_FILE);
            Ephemeral::persisted(store, &file).await.with_context(|| format!("cannot open the ephemeral store's file {}", file.display()))
        }
        None => Ok(Ephemeral::memory()),
    }
}

/// Redis, from `redis_url`. Redis is not waited for: a node starts while
/// it is down, answers readiness with 503 until it answers, and reconnects
/// by itself.
pub fn redis(config: &Config) -> Result<Ephemeral> {
    let url = config.redis_url.as_deref().context("no redis_url")?;
    Ephemeral::redis_lazy(url, &config.redis_prefix).context("cannot use Redis (redis_url)")
}

/// On a first start there are no tenants: create `default`, whose issuer is
/// the public URL. Another process doing the same at the same moment is fine.
/// Returns a tenant of the database (none only if it cannot be read back).
async fn ensure_default_tenant(config: &Config, store: &Store, now: i64) -> Result<Option<Tenant>> {
    if let Some(t) = store.first_tenant().await? {
        return Ok(Some(t));
    }
    let slug = TenantSlug::parse(DEFAULT_TENANT).expect("the default slug is valid");
    match store.create_tenant(&slug, &config.public_url, "Trame", now).await {
        Ok(t) => {
            tracing::info!(issuer = %t.issuer, "created the default tenant");
            Ok(Some(t))
        }
        Err(StoreError::Conflict(_)) => Ok(store.first_tenant().await?),
        Err(e) => Err(e).context("cannot create the default tenant"),
    }
}

/// The default tenant's issuer follows `public_url` unless the operator
/// set it (`trame tenant update default --issuer`). Only the server
/// (`follow`) makes the change: a command run from another folder, with
/// other settings, must not move the issuer of a running installation, so
/// it only warns that its settings differ from what is stored.
pub async fn reconcile_default_issuer(config: &Config, store: &Store, follow: bool) -> Result<()> {
    let Some(t) = store.tenant_by_slug(DEFAULT_TENANT).await? else { return Ok(()) };
    let public_url = &config.public_url;
    if t.issuer == *public_url {
        return Ok(());
    }
    let explicit = store.issuer_is_explicit(DEFAULT_TENANT).await?;
    match (follow, explicit) {
        (true, true) => tracing::warn!(
            issuer = %t.issuer, %public_url,
            "the default tenant's issuer was set explicitly (trame tenant update default --issuer) and stays in force; public_url is not its issuer"
        ),
        (true, false) => match store.follow_issuer(DEFAULT_TENANT, public_url).await {
            Ok(_) => tracing::warn!(
                old = %t.issuer, issuer = %public_url,
                "the default tenant's issuer follows public_url: its relying parties must be reconfigured"
            ),
            Err(StoreError::Conflict(_)) => tracing::warn!(
                issuer = %t.issuer, %public_url,
                "public_url is another tenant's issuer: the default tenant keeps its stored issuer, which stays in force"
            ),
            Err(e) => return Err(e).context("cannot update the default tenant's issuer"),
        },
        (false, true) => eprintln!(
            "warning: public_url is {public_url} but the default tenant's issuer, set explicitly, is {}: does this command read the server's settings (its folder, or --config)?",
            t.issuer
        ),
        (false, false) => eprintln!(
            "warning: public_url is {public_url} but the default tenant's issuer is {}: the server, started with these settings, would move it to {public_url}; does this command read the server's settings (its folder, or --config)?",
            t.issuer
        ),
    }
    Ok(())
}

/// The default tenant's issuer a server started with `config` uses, and
/// why, for `trame check-config`: `None` when the database cannot be read
/// (an embedded one not created yet: then it will be `public_url`).
pub async fn issuer_in_force(config: &Config) -> Option<(String, &'static str)> {
    let database = config.data_dir.join("trame.db");
    if config.embedded_database() && !database.exists() {
        return None;
    }
    // A throwaway key: nothing is unsealed, only the tenant row is read.
    let key = MasterKey::generate(&trame_core::OsRandom);
    let store = Store::connect(&config.database_url, key, Arc::new(trame_core::OsRandom)).await.ok()?;
    let t = store.tenant_by_slug(DEFAULT_TENANT).await.ok()??;
    // Before the migration that records it, no issuer was explicit.
    let explicit = store.issuer_is_explicit(DEFAULT_TENANT).await.unwrap_or(false);
    Some(match (explicit, t.issuer == config.public_url) {
        (true, true) => (t.issuer.to_string(), "set explicitly, the same as public_url"),
        (true, false) => (t.issuer.to_string(), "set explicitly (trame tenant update default --issuer); public_url is not used for it"),
        (false, true) => (t.issuer.to_string(), "public_url"),
        (false, false) => (config.public_url.to_string(), "public_url, replacing the stored issuer at the next start"),
    })
}

/// A master key that does not match the database would only show up as
/// failures on the first sign-in; say it at start-up instead, by unsealing
/// one tenant's keys.
async fn check_master_key(store: &Store, tenant: &Tenant, now: i64) -> Result<()> {
    match store.tenant_keys(&tenant.id, now).await {
        Err(StoreError::Unseal) => {
            bail!("the master key file does not open this database's signing keys: use the master key file this database was created with (master_key_file)")
        }
        other => other.map(drop).context("cannot read the signing keys"),
    }
}

/// Reads the master key file, or creates it (mode 0600) on first use.
fn master_key(config: &Config, rng: &dyn Randomness) -> Result<MasterKey> {
    let path = &config.master_key_file;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(mut f) => {
            let key = MasterKey::generate(rng);
            f.write_all(key.to_file_contents().as_bytes()).and_then(|()| f.sync_all()).with_context(|| format!("cannot write {}", path.display()))?;
            tracing::info!(path = %path.display(), "created a new master key file; back it up: without it the signing keys cannot be read");
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_master_key(path),
        Err(e) => Err(e).with_context(|| format!("cannot create the master key file {} (master_key_file)", path.display())),
    }
}

fn read_master_key(path: &Path) -> Result<MasterKey> {
    // A file another process is creating right now may still be empty.
    for _ in 0..20 {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the master key file {}", path.display()))?;
        if !text.trim().is_empty() {
            let mode = std::fs::metadata(path)?.permissions().mode();
            if mode & 0o077 != 0 {
                tracing::warn!(path = %path.display(), mode = format!("{:o}", mode & 0o777), "the master key file is readable by other users; chmod 600 it");
            }
            return MasterKey::from_file_contents(&text).with_context(|| format!("{} is not a Trame master key file", path.display()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("the master key file {} is empty", path.display())
}

fn create_private_dir(dir: &Path) -> Result<()> {
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("cannot create the data directory {} (data_dir)", dir.display()))?;
    }
    Ok(())
}
