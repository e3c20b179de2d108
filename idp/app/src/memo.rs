//! A small per-node cache with expiry and a fixed capacity, for what Trame
//! fetched from other servers (client key sets, peer logos): outside
//! parties choose the keys, so it must not grow without bound. When full,
//! expired entries go first, then the one closest to expiring.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

pub struct Memo<K, V> {
    capacity: usize,
    entries: Mutex<HashMap<K, (V, i64)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> Memo<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self { capacity: capacity.max(1), entries: Mutex::new(HashMap::new()) }
    }

    /// The value under `key` unless it expired by `now`.
    pub fn get(&self, key: &K, now: i64) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(key).filter(|(_, expires_at)| *expires_at > now).map(|(v, _)| v.clone())
    }

    /// Keeps `value` under `key` until `expires_at`.
    pub fn insert(&self, key: K, value: V, expires_at: i64, now: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.retain(|_, (_, e)| *e > now);
        }
        while entries.len() >= self.capacity && !entries.contains_key(&key) {
            // O(capacity), only when full of live entries.
            let Some(soonest) = entries.iter().min_by_key(|(_, (_, e))| *e).map(|(k, _)| k.clone()) else {
                break;
            };
            entries.remove(&soonest);
        }
        entries.insert(key, (value, expires_at));
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_the_capacity_holds() {
        let m: Memo<&str, u32> = Memo::new(2);
        m.insert("a", 1, 100, 0);
        assert_eq!(m.get(&"a", 99), Some(1));
        assert_eq!(m.get(&"a", 100), None);
        m.insert("b", 2, 50, 0);
        m.insert("c", 3, 200, 0);
        assert_eq!(m.len(), 2);
        assert_eq!(m.get(&"b", 10), None, "the entry closest to expiring made room");
        assert_eq!((m.get(&"a", 10), m.get(&"c", 10)), (Some(1), Some(3)));
        m.insert("d", 4, 300, 150);
        assert_eq!(m.len(), 2);
        assert_eq!((m.get(&"a", 150), m.get(&"c", 150), m.get(&"d", 150)), (None, Some(3), Some(4)), "expired entries go first");
        m.insert("c", 5, 400, 150);
        assert_eq!((m.len(), m.get(&"c", 150)), (2, Some(5)), "replacing needs no room");
    }
}
