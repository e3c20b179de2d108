//! The in-process store, for a single node without Redis.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
}

/// The in-process store for a single node without Redis.
#[derive(Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Mutex<MemoryInner>>,
}

#[derive(Default)]
struct MemoryInner {
    entries: HashMap<String, (Value, Instant)>,
    ops: u64,
}

impl MemoryInner {
    /// Drops expired entries now and then, so memory stays bounded by what
    /// is live rather than by what was ever written.
    fn maintain(&mut self, now: Instant) {
        self.ops += 1;
        if self.ops.is_multiple_of(1024) {
            self.entries.retain(|_, (_, exp)| *exp > now);
        }
    }
    fn live(&mut self, key: &str, now: Instant) -> Option<&mut (Value, Instant)> {
        if self.entries.get(key).is_some_and(|(_, exp)| *exp <= now) {
            self.entries.remove(key);
        }
        self.entries.get_mut(key)
    }
}

impl MemoryStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryInner> {
        // A panic while holding this lock cannot leave an entry half-written
        // (every operation is a single map call), so poisoning is ignored.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn insert(&self, key: &str, v: Value, ttl: u64) {
        let now = Instant::now();
        let mut g = self.lock();
        g.maintain(now);
        g.entries.insert(key.to_owned(), (v, now + Duration::from_secs(ttl)));
    }

    pub(super) fn insert_if_absent(&self, key: &str, v: Value, ttl: u64) -> bool {
        let now = Instant::now();
        let mut g = self.lock();
        g.maintain(now);
        if g.live(key, now).is_some() {
            return false;
        }
        g.entries.insert(key.to_owned(), (v, now + Duration::from_secs(ttl)));
        true
    }

    pub(super) fn get(&self, key: &str) -> Option<Value> {
        let now = Instant::now();
        let mut g = self.lock();
        g.live(key, now).map(|(v, _)| v.clone())
    }

    pub(super) fn remove(&self, key: &str) -> Option<Value> {
        let now = Instant::now();
        let mut g = self.lock();
        g.live(key, now)?;
        g.entries.remove(key).map(|(v, _)| v)
    }

    pub(super) fn incr(&self, key: &str, ttl: u64) -> i64 {
        let now = Instant::now();
        let mut g = self.lock();
        g.maintain(now);
        if let Some((v, _)) = g.live(key, now) {
            let n = v.clone().count() + 1;
            *v = Value::Count(n);
            return n;
        }
        g.entries.insert(key.to_owned(), (Value::Count(1), now + Duration::from_secs(ttl)));
        1
    }
}
