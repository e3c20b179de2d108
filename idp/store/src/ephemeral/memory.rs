//! The in-process store, for a single node without Redis.
//!
//! Memory is the authority: every read and every atomic operation (take,
//! put-if-absent, increment) is decided here, under one lock, exactly as
//! without a journal. When the store is journaled (an embedded node, see
//! [`super::journal`]), each change is also recorded for the journal's
//! writer under that same lock, so the table receives the changes of a key
//! in the order memory made them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant, SystemTime};

use super::EphemeralError;
use super::batches::{Change, Changes, Journal};

#[derive(Clone, Debug)]
pub(super) enum Value {
    Text(String),
    Count(i64),
}

impl Value {
    pub(super) fn text(self) -> Option<String> {
        match self {
            Value::Text(s) => Some(s),
            Value::Count(n) => Some(n.to_string()),
        }
    }
    pub(super) fn count(self) -> i64 {
        match self {
            Value::Count(n) => n,
            Value::Text(s) => s.parse().unwrap_or(0),
        }
    }
    /// The text the table keeps: a counter as its decimal digits, which
    /// [`Value::count`] and [`Value::text`] read back as they read the
    /// counter itself, so a restored entry behaves as it did.
    fn stored(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Count(n) => n.to_string(),
        }
    }
}

/// When an entry dies: on the monotonic clock, which memory goes by, and
/// in Unix seconds, which the table keeps. The Unix second is rounded
/// down, so an entry read back after a restart dies no later than it would
/// have: it may lose part of a second, never gain one.
#[derive(Clone, Copy, Debug)]
struct Deadline {
    at: Instant,
    unix: i64,
}

impl Deadline {
    fn after(now: Instant, ttl: u64) -> Self {
        let ttl_unix = i64::try_from(ttl).unwrap_or(i64::MAX);
        Deadline { at: now + Duration::from_secs(ttl), unix: unix_now().as_secs().try_into().unwrap_or(i64::MAX).saturating_add(ttl_unix) }
    }
}

/// The time since the Unix epoch (zero on a clock set before 1970).
pub(super) fn unix_now() -> Duration {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default()
}

#[derive(Debug)]
struct Entry {
    value: Value,
    dies: Deadline,
}

/// The in-process store for a single node without Redis.
#[derive(Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Mutex<MemoryInner>>,
    /// Present when changes are also written to a file.
    journal: Option<Arc<Journal>>,
}

#[derive(Default)]
pub(super) struct MemoryInner {
    entries: HashMap<String, Entry>,
    ops: u64,
    /// The changes not yet handed to the journal's writer (journaled
    /// stores only).
    pub(super) changes: Option<Changes>,
}

impl MemoryInner {
    /// Drops expired entries now and then, so memory stays bounded by what
    /// is live rather than by what was ever written. Nothing is journaled:
    /// the table's row died at the same time (its deadline is never later)
    /// and is never read back.
    fn maintain(&mut self, now: Instant) {
        self.ops += 1;
        if self.ops.is_multiple_of(1024) {
            self.entries.retain(|_, e| e.dies.at > now);
        }
    }
    fn live(&mut self, key: &str, now: Instant) -> Option<&mut Entry> {
        if self.entries.get(key).is_some_and(|e| e.dies.at <= now) {
            self.entries.remove(key);
        }
        self.entries.get_mut(key)
    }
    /// Records a change for the journal, if there is one; the batch it
    /// will be written in, and whether the writer must be woken.
    fn record(&mut self, key: &str, change: impl FnOnce() -> Change) -> Option<(u64, bool)> {
        self.changes.as_mut().map(|c| c.record(key, change()))
    }
}

/// A removal, and the batch that makes it durable (journaled stores).
pub(super) struct Removed {
    value: Option<Value>,
    batch: Option<(u64, bool)>,
}

impl MemoryStore {
    /// A store whose changes are recorded for `journal`; the journal's
    /// writer reaches the recorded changes through the returned handle.
    pub(super) fn journaled(journal: Arc<Journal>) -> (Self, Weak<Mutex<MemoryInner>>) {
        let inner = Arc::new(Mutex::new(MemoryInner { changes: Some(Changes::default()), ..MemoryInner::default() }));
        let weak = Arc::downgrade(&inner);
        (Self { inner, journal: Some(journal) }, weak)
    }

    pub(super) fn journal(&self) -> Option<&Arc<Journal>> {
        self.journal.as_ref()
    }

    fn lock(&self) -> MutexGuard<'_, MemoryInner> {
        lock(&self.inner)
    }

    /// Puts back an entry read from the table at start (not journaled: the
    /// table has it). `left` is how long it has to live.
    pub(super) fn restore(&self, key: String, value: String, left: Duration, unix: i64) {
        let now = Instant::now();
        self.lock().entries.insert(key, Entry { value: Value::Text(value), dies: Deadline { at: now + left, unix } });
    }

    /// Wakes the journal's writer when the change asks for it.
    fn wake(&self, recorded: Option<(u64, bool)>) {
        if let (Some(j), Some((_, true))) = (&self.journal, recorded) {
            j.wake();
        }
    }

    pub(super) fn insert(&self, key: &str, v: Value, ttl: u64) {
        let now = Instant::now();
        let dies = Deadline::after(now, ttl);
        let recorded = {
            let mut g = self.lock();
            g.maintain(now);
            let recorded = g.record(key, || Change::Upsert { value: v.stored(), expires_at: dies.unix });
            g.entries.insert(key.to_owned(), Entry { value: v, dies });
            recorded
        };
        self.wake(recorded);
    }

    pub(super) fn insert_if_absent(&self, key: &str, v: Value, ttl: u64) -> bool {
        let now = Instant::now();
        let dies = Deadline::after(now, ttl);
        let recorded = {
            let mut g = self.lock();
            g.maintain(now);
            if g.live(key, now).is_some() {
                return false;
            }
            let recorded = g.record(key, || Change::Upsert { value: v.stored(), expires_at: dies.unix });
            g.entries.insert(key.to_owned(), Entry { value: v, dies });
            recorded
        };
        self.wake(recorded);
        true
    }

    pub(super) fn get(&self, key: &str) -> Option<Value> {
        let now = Instant::now();
        let mut g = self.lock();
        g.live(key, now).map(|e| e.value.clone())
    }

    /// Removes a live entry, atomically: of two callers, one gets it.
    /// Journaled, the caller must then wait for [`MemoryStore::durable`].
    fn remove_now(&self, key: &str) -> Removed {
        let now = Instant::now();
        let mut g = self.lock();
        if g.live(key, now).is_none() {
            // Nothing live: the table holds nothing live either.
            return Removed { value: None, batch: None };
        }
        let value = g.entries.remove(key).map(|e| e.value);
        let batch = g.record(key, || Change::Remove);
        Removed { value, batch }
    }

    /// Removes a live entry and returns it once its removal is durable.
    ///
    /// A removal is the one change a journal must not lose: replayed after
    /// a crash, a lost one would bring back a code already redeemed or a
    /// session already ended. So it is written (with whatever else is
    /// queued: group commit) before the caller sees the value; if it
    /// cannot be written, the caller gets an error and not the value, and
    /// the writer retries the removal. Either way no two callers get it.
    pub(super) async fn remove(&self, key: &str) -> Result<Option<Value>, EphemeralError> {
        let Removed { value, batch } = self.remove_now(key);
        self.wake(batch);
        if let (Some(j), Some((batch, _))) = (&self.journal, batch) {
            j.durable(batch).await?;
        }
        Ok(value)
    }

    pub(super) fn incr(&self, key: &str, ttl: u64) -> i64 {
        let now = Instant::now();
        let (n, recorded) = {
            let mut g = self.lock();
            g.maintain(now);
            let (n, dies) = match g.live(key, now) {
                Some(e) => {
                    let n = e.value.clone().count() + 1;
                    e.value = Value::Count(n);
                    (n, e.dies)
                }
                None => {
                    let dies = Deadline::after(now, ttl);
                    g.entries.insert(key.to_owned(), Entry { value: Value::Count(1), dies });
                    (1, dies)
                }
            };
            // The window's end is the first increment's, in the table too.
            (n, g.record(key, || Change::Upsert { value: n.to_string(), expires_at: dies.unix }))
        };
        self.wake(recorded);
        n
    }
}

pub(super) fn lock(inner: &Mutex<MemoryInner>) -> MutexGuard<'_, MemoryInner> {
    // A panic while holding this lock cannot leave an entry half-written
    // (an operation is one or two map calls, the journal's record and the
    // entry, with nothing that panics between them), so poisoning is
    // ignored.
    inner.lock().unwrap_or_else(|p| p.into_inner())
}
