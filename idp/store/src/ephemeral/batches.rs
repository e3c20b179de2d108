//! What the in-process ephemeral store ([`super::memory`]) and its
//! journal's writer ([`super::journal`]) share: the changes recorded under
//! the store's lock, batch by batch, and how far the writer got. A module
//! of its own so that the store does not depend on the writer, which
//! depends on the store.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use super::EphemeralError;

/// One key's change, the last one made.
#[derive(Debug)]
pub(super) enum Change {
    Upsert { value: String, expires_at: i64 },
    Remove,
}

/// The changes recorded since the writer last took a batch. It lives
/// under the memory store's lock, so recording is part of the change.
#[derive(Debug)]
pub(super) struct Changes {
    by_key: HashMap<String, Change>,
    /// The number of the batch these changes will be written in.
    batch: u64,
    /// A removal is waiting for this batch: write it without lingering.
    urgent: bool,
}

impl Default for Changes {
    fn default() -> Self {
        Changes { by_key: HashMap::new(), batch: 1, urgent: false }
    }
}

impl Changes {
    /// Records `change` of `key`; returns the batch it goes in and whether
    /// the writer must be woken (the first change of a batch, or its first
    /// removal). A map grows only while the file refuses writes, and
    /// then by no more keys than memory holds or removed meanwhile.
    pub(super) fn record(&mut self, key: &str, change: Change) -> (u64, bool) {
        let removal = matches!(change, Change::Remove);
        let wake = self.by_key.is_empty() || (removal && !self.urgent);
        self.urgent |= removal;
        self.by_key.insert(key.to_owned(), change);
        (self.batch, wake)
    }

    /// Nothing recorded since the last batch.
    pub(super) fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// A removal waits: the writer must not linger.
    pub(super) fn is_urgent(&self) -> bool {
        self.urgent
    }

    pub(super) fn take_batch(&mut self) -> Option<(u64, HashMap<String, Change>)> {
        if self.by_key.is_empty() {
            return None;
        }
        let batch = self.batch;
        self.batch += 1;
        self.urgent = false;
        Some((batch, std::mem::take(&mut self.by_key)))
    }

    /// A batch that could not be written goes back, behind any newer
    /// change of the same key.
    pub(super) fn put_back(&mut self, failed: HashMap<String, Change>) {
        for (key, change) in failed {
            self.by_key.entry(key).or_insert(change);
        }
    }
}

/// How far the writer got: every batch up to `durable` is written; the
/// batch `failed` (if not also durable) could not be.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Progress {
    pub(super) durable: u64,
    pub(super) failed: u64,
}

/// What the memory store and the writer share.
#[derive(Debug)]
pub(super) struct Journal {
    pub(super) wake: Notify,
    pub(super) closing: AtomicBool,
    /// The writer holds the sender: once it has stopped, waiting for a
    /// batch fails at once instead of forever.
    pub(super) progress: watch::Receiver<Progress>,
    pub(super) writer: Mutex<Option<JoinHandle<()>>>,
}

impl Journal {
    pub(super) fn wake(&self) {
        self.wake.notify_one();
    }

    /// Waits until `batch` is written; an error when it could not be (the
    /// file refused it, or the writer has stopped).
    pub(super) async fn durable(&self, batch: u64) -> Result<(), EphemeralError> {
        let mut progress = self.progress.clone();
        let written = match progress.wait_for(|p| p.durable >= batch || p.failed >= batch).await {
            Ok(p) => p.durable >= batch,
            Err(_) => false,
        };
        if written { Ok(()) } else { Err(EphemeralError::NotRecorded) }
    }

    /// Writes what is queued and stops the writer. Changes made afterwards
    /// stay in memory only (a removal then fails).
    pub(super) async fn close(&self) {
        self.closing.store(true, Ordering::Release);
        self.wake();
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(w) = writer {
            let _ = w.await;
        }
    }
}
