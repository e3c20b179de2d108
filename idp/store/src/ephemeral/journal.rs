//! The journal of an embedded node's in-process ephemeral store: what keeps
//! sessions, pending sign-ins, codes, replay guards and counters across a
//! restart when there is no Redis, in a SQLite file beside the embedded
//! database ([`super::journal_file`] says why not in it).
//!
//! Memory stays the authority ([`super::memory`]): reads never touch the
//! database and every atomic decision is made in memory, as without a
//! journal. Each change is also recorded here, the last change of each key
//! replacing the ones before it (a code put then taken within a batch is
//! one removal), and a background writer applies what was recorded in
//! batches, one transaction per batch (group commit). At start the live
//! rows are read back ([`open`]); expired ones are never read and are
//! purged every [`PURGE`]. A graceful stop ([`Journal::close`]) writes
//! everything still queued.
//!
//! What a crash loses is bounded, and never brings anything back:
//! - a put, put-if-absent or increment made in the last batch not yet
//!   written (at most [`LINGER`] plus one write, usually a few
//!   milliseconds) is lost, as every entry was lost on any restart before;
//! - a take or delete is never lost: it returns only once its removal is
//!   written (see [`super::memory::MemoryStore::remove`]), because losing
//!   one would bring back a redeemed code or an ended session.
//!
//! Only one node may serve from a journal file: a second would read the
//! entries of the first and both could then hand out the same single-use
//! value. That is why the server journals only with its embedded database,
//! which has one node (`idp/server/src/storage.rs`). A CLI command beside
//! it may open the file too: it only removes what it ends.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::time::Instant;

use super::batches::{Change, Changes, Journal, Progress};
use super::journal_file::{JournalFile, StoredEntry};
use super::memory::{MemoryInner, MemoryStore, lock, unix_now};
use crate::{Store, StoreError};

/// How long the writer waits for more changes before it writes the ones it
/// has, unless a removal is waiting (then at once). Batches of a busy node
/// are larger, and a short-lived entry (a code taken within this time) is
/// often never written at all.
pub(super) const LINGER: Duration = Duration::from_millis(50);
/// After a failed write, the batch is tried again this much later.
const RETRY: Duration = Duration::from_secs(1);
/// How often rows past their deadline are deleted. Nothing reads them
/// meanwhile: they only take space.
pub(super) const PURGE: Duration = Duration::from_secs(600);
/// At a graceful stop, how many failed writes before giving up.
const CLOSING_ATTEMPTS: u32 = 3;

/// A memory store holding the live entries of the journal file at `path`
/// (created when missing), journaled into it from now on, its values
/// sealed under `store`'s master key. Rows already dead are deleted first.
pub(super) async fn open(store: &Store, path: &Path) -> Result<MemoryStore, StoreError> {
    let file = JournalFile::open(path, store.master_key.clone(), store.rng.clone()).await?;
    let now = unix_now();
    let now_secs = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
    file.purge(now_secs).await?;
    let (progress_tx, progress) = watch::channel(Progress::default());
    let journal = Arc::new(Journal { wake: Notify::new(), closing: AtomicBool::new(false), progress, writer: Mutex::new(None) });
    let (memory, inner) = MemoryStore::journaled(journal.clone());
    let restored = file
        .each_live(now_secs, |e| {
            // What is left of its life, to the millisecond: a row read a
            // little before its deadline gets only the rest.
            let left = Duration::from_secs(u64::try_from(e.expires_at).unwrap_or(0)).saturating_sub(now);
            if !left.is_zero() {
                memory.restore(e.key, e.value, left, e.expires_at);
            }
        })
        .await?;
    tracing::info!(entries = restored, "ephemeral entries read back from their file");
    let writer = tokio::spawn(write_changes(file, inner, journal.clone(), progress_tx));
    *journal.writer.lock().unwrap_or_else(|p| p.into_inner()) = Some(writer);
    Ok(memory)
}

/// The writer: waits for changes, lets more join them, writes them in one
/// transaction, and so on until closed (or until the memory store is gone,
/// which loses what was queued, as a crash would).
async fn write_changes(file: JournalFile, memory: Weak<Mutex<MemoryInner>>, journal: Arc<Journal>, progress: watch::Sender<Progress>) {
    let mut next_purge = Instant::now() + PURGE;
    let mut failing = false;
    let mut closing_failures = 0;
    loop {
        let closing = journal.closing.load(Ordering::Acquire);
        let Some((empty, urgent)) = with_changes(&memory, |c| (c.is_empty(), c.is_urgent())) else { return };
        if empty && closing {
            return;
        }
        if empty {
            tokio::select! {
                () = journal.wake.notified() => {}
                () = tokio::time::sleep_until(next_purge) => {}
            }
        } else if !urgent && !closing {
            // Woken early only by a removal (or the close).
            tokio::select! {
                () = journal.wake.notified() => {}
                () = tokio::time::sleep(LINGER) => {}
            }
        }
        if Instant::now() >= next_purge {
            purge(&file).await;
            next_purge = Instant::now() + PURGE;
        }
        let Some(Some((batch, changes))) = with_changes(&memory, Changes::take_batch) else { continue };
        match write(&file, changes).await {
            Ok(()) => {
                progress.send_modify(|p| p.durable = batch);
                if failing {
                    tracing::info!("ephemeral entries are written to their file again");
                    failing = false;
                }
            }
            Err((e, changes)) => {
                progress.send_modify(|p| p.failed = batch);
                let lost = changes.len();
                with_changes(&memory, |c| c.put_back(changes));
                if !failing {
                    tracing::warn!(error = %e, "cannot write ephemeral entries to their file; will retry");
                    failing = true;
                }
                if closing {
                    closing_failures += 1;
                    if closing_failures >= CLOSING_ATTEMPTS {
                        tracing::warn!(changes = lost, "stopping without writing the last ephemeral changes: a restart will not see them");
                        return;
                    }
                }
                tokio::time::sleep(RETRY).await;
            }
        }
    }
}

/// Runs `f` on the recorded changes; `None` once the memory store is gone.
fn with_changes<T>(memory: &Weak<Mutex<MemoryInner>>, f: impl FnOnce(&mut Changes) -> T) -> Option<T> {
    let memory = memory.upgrade()?;
    let mut g = lock(&memory);
    g.changes.as_mut().map(f)
}

/// Writes one batch; on failure gives it back, to be tried again.
async fn write(file: &JournalFile, changes: HashMap<String, Change>) -> Result<(), (StoreError, HashMap<String, Change>)> {
    let mut upserts = Vec::new();
    let mut removals = Vec::new();
    for (key, change) in changes {
        match change {
            Change::Upsert { value, expires_at } => upserts.push(StoredEntry { key, value, expires_at }),
            Change::Remove => removals.push(key),
        }
    }
    file.write(&upserts, &removals).await.map_err(|e| {
        let back = upserts
            .into_iter()
            .map(|u| (u.key, Change::Upsert { value: u.value, expires_at: u.expires_at }))
            .chain(removals.into_iter().map(|k| (k, Change::Remove)))
            .collect();
        (e, back)
    })
}

async fn purge(file: &JournalFile) {
    let now = i64::try_from(unix_now().as_secs()).unwrap_or(i64::MAX);
    match file.purge(now).await {
        Ok(n) => tracing::debug!(rows = n, "expired ephemeral entries purged"),
        Err(e) => tracing::warn!(error = %e, "cannot purge expired ephemeral entries; will retry"),
    }
}
