//! The ephemeral store: short-lived entries with a TTL, in Redis when one is
//! configured (shared by every node) or in this process otherwise.
//!
//! Single-use entries are taken with one atomic operation (GETDEL), never
//! read-then-delete, so two nodes racing on the same code cannot both win.
//!
//! In process, the entries may also be kept across a restart in a SQLite
//! file ([`Ephemeral::persisted`], the journal in `journal.rs`), for a
//! single embedded node: memory still decides everything, the file is
//! written behind it and read only at start.

mod batches;
mod journal;
mod journal_file;
mod memory;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::ConnectionManager;

use crate::{Operations, Store, StoreError};

pub use memory::MemoryStore;
use memory::Value;

#[derive(Debug, thiserror::Error)]
pub enum EphemeralError {
    #[error("the ephemeral store is unavailable")]
    Unavailable(#[source] redis::RedisError),
    /// A persisted in-process store could not write a removal to its
    /// file (the cause is logged by its writer); the value was not handed
    /// out.
    #[error("the ephemeral store could not record a change in its file")]
    NotRecorded,
}

type Result<T> = std::result::Result<T, EphemeralError>;

#[derive(Clone)]
pub struct Ephemeral {
    backend: Backend,
    /// Every operation counted ([`Operations`]): one Redis round trip each.
    ops: Arc<Operations>,
}

#[derive(Clone)]
enum Backend {
    Memory(MemoryStore),
    Redis(RedisStore),
}

impl std::fmt::Debug for Ephemeral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match &self.backend {
            Backend::Memory(m) if m.journal().is_some() => "Ephemeral::Memory (persisted)",
            Backend::Memory(_) => "Ephemeral::Memory",
            Backend::Redis(_) => "Ephemeral::Redis",
        })
    }
}

impl Ephemeral {
    fn of(backend: Backend) -> Self {
        Self { backend, ops: Arc::default() }
    }

    pub fn memory() -> Self {
        Self::of(Backend::Memory(MemoryStore::default()))
    }

    /// What this store (every clone of it) has done.
    pub fn operations(&self) -> &Arc<Operations> {
        &self.ops
    }

    /// In process, with the entries kept in the SQLite file `file`
    /// (created when missing; values sealed under `store`'s master key) so
    /// that a restart finds them again with what is left of their TTLs:
    /// the live ones are read back now, and every change is written behind
    /// memory in batches. For one node serving from that file (see
    /// `journal.rs` for why, and for what a crash loses). Call
    /// [`Ephemeral::shutdown`] before the process ends.
    pub async fn persisted(store: &Store, file: &Path) -> std::result::Result<Self, StoreError> {
        Ok(Self::of(Backend::Memory(journal::open(store, file).await?)))
    }

    /// Writes what a persisted store still has queued and stops its writer;
    /// nothing to do for the others. Removals made afterwards fail.
    pub async fn shutdown(&self) {
        if let Backend::Memory(m) = &self.backend
            && let Some(j) = m.journal()
        {
            j.close().await;
        }
    }

    /// Connects to Redis; every key is prefixed with `prefix` so several
    /// deployments (or test runs) can share one server. Fails when Redis
    /// does not answer now.
    pub async fn redis(url: &str, prefix: &str) -> Result<Self> {
        let store = Self::redis_lazy(url, prefix)?;
        store.ping().await?;
        Ok(store)
    }

    /// The same without waiting for Redis: the connection is made on first
    /// use and made again after any loss, so a server starts while Redis is
    /// down (each operation fails until it answers) and recovers by itself.
    /// Fails only on a malformed URL.
    pub fn redis_lazy(url: &str, prefix: &str) -> Result<Self> {
        let client = redis::Client::open(url).map_err(EphemeralError::Unavailable)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(2);
        let conn = ConnectionManager::new_lazy_with_config(client, config).map_err(EphemeralError::Unavailable)?;
        Ok(Self::of(Backend::Redis(RedisStore { conn, prefix: prefix.to_owned() })))
    }

    pub async fn put(&self, key: &str, value: &str, ttl_secs: i64) -> Result<()> {
        let ttl = ttl_secs.max(1) as u64;
        self.ops.ephemeral("put");
        match &self.backend {
            Backend::Memory(m) => {
                m.insert(key, Value::Text(value.to_owned()), ttl);
                Ok(())
            }
            Backend::Redis(r) => {
                let mut c = r.conn.clone();
                c.set_ex::<_, _, ()>(r.key(key), value, ttl).await.map_err(EphemeralError::Unavailable)
            }
        }
    }

    /// Stores only if the key does not exist yet; true when stored. Used for
    /// replay guards (`jti`).
    pub async fn put_if_absent(&self, key: &str, value: &str, ttl_secs: i64) -> Result<bool> {
        let ttl = ttl_secs.max(1) as u64;
        self.ops.ephemeral("put_if_absent");
        match &self.backend {
            Backend::Memory(m) => Ok(m.insert_if_absent(key, Value::Text(value.to_owned()), ttl)),
            Backend::Redis(r) => {
                let mut c = r.conn.clone();
                let opts = redis::SetOptions::default().conditional_set(redis::ExistenceCheck::NX).with_expiration(redis::SetExpiry::EX(ttl));
                let res: Option<String> = c.set_options(r.key(key), value, opts).await.map_err(EphemeralError::Unavailable)?;
                Ok(res.is_some())
            }
        }
    }

    pub async fn get(&self, key: &str) -> Result<Option<String>> {
        self.ops.ephemeral("get");
        match &self.backend {
            Backend::Memory(m) => Ok(m.get(key).and_then(Value::text)),
            Backend::Redis(r) => {
                let mut c = r.conn.clone();
                c.get(r.key(key)).await.map_err(EphemeralError::Unavailable)
            }
        }
    }

    /// Reads and deletes in one atomic step. Persisted in process, the
    /// value is returned only once its removal is written.
    pub async fn take(&self, key: &str) -> Result<Option<String>> {
        self.ops.ephemeral("take");
        match &self.backend {
            Backend::Memory(m) => Ok(m.remove(key).await?.and_then(Value::text)),
            Backend::Redis(r) => {
                let mut c = r.conn.clone();
                c.get_del(r.key(key)).await.map_err(EphemeralError::Unavailable)
            }
        }
    }

    /// Deletes an entry; persisted in process, returns once the deletion
    /// is written (as [`Ephemeral::take`]).
    pub async fn delete(&self, key: &str) -> Result<()> {
        self.ops.ephemeral("delete");
        match &self.backend {
            Backend::Memory(m) => m.remove(key).await.map(drop),
            Backend::Redis(r) => {
                let mut c = r.conn.clone();
                c.del::<_, ()>(r.key(key)).await.map_err(EphemeralError::Unavailable)
            }
        }
    }

    /// Increments a counter that expires `window_secs` after its first
    /// increment; returns the new count. Used for throttling.
    pub async fn incr(&self, key: &str, window_secs: i64) -> Result<i64> {
        let ttl = window_secs.max(1) as u64;
        self.ops.ephemeral("incr");
        match &self.backend {
            Backend::Memory(m) => Ok(m.incr(key, ttl)),
            Backend::Redis(r) => {
                let script = redis::Script::new("local v = redis.call('INCR', KEYS[1]) if v == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return v");
                let mut c = r.conn.clone();
                script.key(r.key(key)).arg(ttl).invoke_async(&mut c).await.map_err(EphemeralError::Unavailable)
            }
        }
    }

    /// Reads a counter without changing it.
    pub async fn count(&self, key: &str) -> Result<i64> {
        self.ops.ephemeral("count");
        match &self.backend {
            Backend::Memory(m) => Ok(m.get(key).map(|v| v.count()).unwrap_or(0)),
            Backend::Redis(r) => {
                let mut c = r.conn.clone();
                let v: Option<i64> = c.get(r.key(key)).await.map_err(EphemeralError::Unavailable)?;
                Ok(v.unwrap_or(0))
            }
        }
    }

    pub async fn ping(&self) -> Result<()> {
        self.ops.ephemeral("ping");
        match &self.backend {
            Backend::Memory(_) => Ok(()),
            Backend::Redis(r) => {
                let mut c = r.conn.clone();
                redis::cmd("PING").query_async::<()>(&mut c).await.map_err(EphemeralError::Unavailable)
            }
        }
    }
}

#[derive(Clone)]
pub struct RedisStore {
    conn: ConnectionManager,
    prefix: String,
}

impl RedisStore {
    fn key(&self, k: &str) -> String {
        format!("{}{}", self.prefix, k)
    }
}
