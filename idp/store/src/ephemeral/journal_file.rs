//! The SQLite file behind an embedded node's in-process ephemeral store
//! ([`super::journal`] decides what is written and when): read back once at
//! start, written in batches, purged of expired rows now and then.
//!
//! A file of its own, beside the embedded database rather than a table in
//! it. SQLite has one writer per file, and a transaction that reads before
//! it writes fails at once ("database is locked", code 517) when another
//! connection commits in between: the journal commits after nearly every
//! request, so in the same file it made such transactions of the durable
//! store fail (a federation registration did, in the server's tests) and
//! made every durable write queue behind it. Apart, neither waits for the
//! other. It also keeps sessions out of the database's backups: restoring
//! one does not bring back sessions ended since.
//!
//! The file holds one table and nothing durable: its schema is created
//! when missing, and a future change of it can drop and recreate it (the
//! entries lost are what any restart lost before).
//!
//! Values are sealed under the master key, bound to their key: some are
//! secrets while they live (a TOTP secret shown for enrolment, the state of
//! a sign-in at a peer), and a copy of the file must not give them away.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::sea_query::OnConflict;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Schema, Set,
    TransactionTrait,
};
use trame_core::Randomness;

use crate::{MasterKey, Result, StoreError};

/// Rows per statement: a multi-row INSERT binds three values a row, well
/// under SQLite's limit on bound values.
const CHUNK: usize = 300;
/// Rows read per query at start, so a large file is never held in memory
/// twice (its rows and the map they go to).
const PAGE: u64 = 1_000;

mod entry {
    use sea_orm::entity::prelude::*;

    /// One entry; a counter is kept as its decimal text, which the memory
    /// store reads back the same way.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ephemeral_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        /// Sealed under the master key, bound to `key`.
        #[sea_orm(column_type = "Text")]
        pub value: String,
        /// Unix seconds; the entry is dead from then on.
        pub expires_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entry::Column;

/// One entry as the file keeps it, its value open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StoredEntry {
    pub key: String,
    pub value: String,
    /// Unix seconds.
    pub expires_at: i64,
}

pub(super) struct JournalFile {
    db: DatabaseConnection,
    master_key: MasterKey,
    rng: Arc<dyn Randomness>,
}

impl JournalFile {
    /// Opens (creating it when missing) the file at `path`.
    pub(super) async fn open(path: &Path, master_key: MasterKey, rng: Arc<dyn Randomness>) -> Result<Self> {
        let file = path.to_owned();
        let mut opts = ConnectOptions::new(format!("sqlite://{}?mode=rwc", path.display()));
        // One connection: the writer is the only one to use it after the
        // start. WAL and busy_timeout let a CLI command beside a running
        // server read and write the same file; synchronous=NORMAL, as the
        // durable store, makes a commit a write to the log, not an fsync.
        opts.sqlx_logging(false).max_connections(1).min_connections(1).connect_timeout(Duration::from_secs(5)).map_sqlx_sqlite_opts(move |o| {
            o.filename(&file)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
        });
        let db = Database::connect(opts).await.map_err(StoreError::Db)?;
        let create = Schema::new(db.get_database_backend()).create_table_from_entity(entry::Entity).if_not_exists().to_owned();
        db.execute(&create).await.map_err(StoreError::Db)?;
        Ok(Self { db, master_key, rng })
    }

    /// Calls `each` with every entry still alive at `now`, page by page in
    /// key order; returns how many there were.
    pub(super) async fn each_live(&self, now: i64, mut each: impl FnMut(StoredEntry)) -> Result<u64> {
        let mut after: Option<String> = None;
        let (mut count, mut unopened) = (0, 0);
        loop {
            let mut q = entry::Entity::find().filter(Column::ExpiresAt.gt(now)).order_by_asc(Column::Key).limit(PAGE);
            if let Some(last) = &after {
                q = q.filter(Column::Key.gt(last.as_str()));
            }
            let rows = q.all(&self.db).await.map_err(StoreError::Db)?;
            let full = rows.len() as u64 == PAGE;
            after = rows.last().map(|r| r.key.clone());
            for r in rows {
                // A row the master key does not open (written under another
                // key) is skipped: an entry lost, as on any restart before.
                let Some(value) = self.master_key.open(&r.value, &aad(&r.key)).ok().and_then(|v| String::from_utf8(v.to_vec()).ok()) else {
                    unopened += 1;
                    continue;
                };
                count += 1;
                each(StoredEntry { key: r.key, value, expires_at: r.expires_at });
            }
            if !full {
                if unopened > 0 {
                    tracing::warn!(entries = unopened, "ephemeral entries the master key does not open were not read back");
                }
                return Ok(count);
            }
        }
    }

    /// Writes `upserts` and deletes `removals`, all or nothing. A key
    /// appears at most once in the two lists together, so their order
    /// does not matter.
    pub(super) async fn write(&self, upserts: &[StoredEntry], removals: &[String]) -> Result<()> {
        // One statement is atomic on its own: a batch that needs only one
        // (a removal alone, what a lone take waits for) saves the BEGIN
        // and COMMIT round trips.
        if upserts.len().div_ceil(CHUNK) + removals.len().div_ceil(CHUNK) <= 1 {
            return self.write_chunks(&self.db, upserts, removals).await;
        }
        // Writes only, no read first: the transaction takes the write lock
        // at its first statement, waiting on busy_timeout if need be.
        let tx = self.db.begin().await.map_err(StoreError::Db)?;
        self.write_chunks(&tx, upserts, removals).await?;
        tx.commit().await.map_err(StoreError::Db)
    }

    async fn write_chunks(&self, db: &impl ConnectionTrait, upserts: &[StoredEntry], removals: &[String]) -> Result<()> {
        for chunk in upserts.chunks(CHUNK) {
            let rows = chunk.iter().map(|e| entry::ActiveModel {
                key: Set(e.key.clone()),
                value: Set(self.master_key.seal(e.value.as_bytes(), &aad(&e.key), self.rng.as_ref())),
                expires_at: Set(e.expires_at),
            });
            let on_conflict = OnConflict::column(Column::Key).update_columns([Column::Value, Column::ExpiresAt]).to_owned();
            entry::Entity::insert_many(rows).on_conflict(on_conflict).exec_without_returning(db).await.map_err(StoreError::Db)?;
        }
        for chunk in removals.chunks(CHUNK) {
            entry::Entity::delete_many().filter(Column::Key.is_in(chunk.iter().map(String::as_str))).exec(db).await.map_err(StoreError::Db)?;
        }
        Ok(())
    }

    /// Deletes the entries dead at `now`; returns how many.
    pub(super) async fn purge(&self, now: i64) -> Result<u64> {
        let res = entry::Entity::delete_many().filter(Column::ExpiresAt.lte(now)).exec(&self.db).await.map_err(StoreError::Db)?;
        Ok(res.rows_affected)
    }
}

/// What a value is bound to: its key, in this table (a value cannot be
/// moved to another key, nor passed off as another sealed column).
fn aad(key: &str) -> Vec<u8> {
    format!("ephemeral_entries:{key}").into_bytes()
}
