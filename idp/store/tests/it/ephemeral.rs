//! The ephemeral store, in process (with SQLite) and in Redis (with
//! PostgreSQL), and in process persisted in its file: values, TTLs, single
//! use under concurrency, counters and key prefixes. What the persisted
//! store keeps across a restart is in `ephemeral_persisted.rs`.

use std::time::Duration;

use trame_store::Ephemeral;
use trame_testkit::{Backends, TempDir, TestRedis};

/// What 16 tasks let go at once to take `key` got between them.
pub async fn race_to_take(e: &Ephemeral, key: &str) -> Vec<String> {
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(16));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (e, key, start) = (e.clone(), key.to_owned(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                e.take(&key).await.unwrap()
            })
        })
        .collect();
    let mut got = Vec::new();
    for t in tasks {
        got.extend(t.await.unwrap());
    }
    got
}

/// The backend's ephemeral store, then the in-process store persisted in
/// a file of the returned directory: the same rules hold for both.
async fn stores(be: &Backends, b: &str) -> ([(Ephemeral, String); 2], TempDir) {
    let dir = TempDir::new("trame-ephemeral");
    let persisted = Ephemeral::persisted(&be.store, &dir.path.join("ephemeral.db")).await.unwrap();
    ([(be.ephemeral.clone(), b.to_owned()), (persisted, format!("{b}, persisted in process"))], dir)
}

backend_test!(put_get_delete(be, b) {
    let (stores, _dir) = stores(&be, b).await;
    for (e, b) in stores {
        let e = &e;
        assert_eq!(e.get("k").await.unwrap(), None, "{b}");
        e.put("k", "v1", 60).await.unwrap();
        assert_eq!(e.get("k").await.unwrap().as_deref(), Some("v1"), "{b}");
        assert_eq!(e.get("k").await.unwrap().as_deref(), Some("v1"), "{b}: get does not consume");
        e.put("k", "v2 with spaces — and ünïcode", 60).await.unwrap();
        assert_eq!(e.get("k").await.unwrap().as_deref(), Some("v2 with spaces — and ünïcode"), "{b}: put overwrites");
        e.delete("k").await.unwrap();
        assert_eq!(e.get("k").await.unwrap(), None, "{b}: deleted");
        e.delete("k").await.unwrap();
        e.delete("never-there").await.unwrap();
        e.shutdown().await;
    }
});

backend_test!(put_if_absent_stores_once(be, b) {
    let (stores, _dir) = stores(&be, b).await;
    for (e, b) in stores {
        let e = &e;
        assert!(e.put_if_absent("jti", "first", 60).await.unwrap(), "{b}");
        assert!(!e.put_if_absent("jti", "second", 60).await.unwrap(), "{b}");
        assert_eq!(e.get("jti").await.unwrap().as_deref(), Some("first"), "{b}: the first value stays");

        // Under concurrency: exactly one of 16 stores.
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let e = e.clone();
                tokio::spawn(async move { e.put_if_absent("race", &i.to_string(), 60).await.unwrap() })
            })
            .collect();
        let mut won = 0;
        for t in tasks {
            won += usize::from(t.await.unwrap());
        }
        assert_eq!(won, 1, "{b}");
        e.shutdown().await;
    }
});

backend_test!(take_is_single_use(be, b) {
    let (stores, _dir) = stores(&be, b).await;
    for (e, b) in stores {
        let e = &e;
        e.put("code", "payload", 60).await.unwrap();
        assert_eq!(e.take("code").await.unwrap().as_deref(), Some("payload"), "{b}");
        assert_eq!(e.take("code").await.unwrap(), None, "{b}: second take");
        assert_eq!(e.get("code").await.unwrap(), None, "{b}");
        assert_eq!(e.take("missing").await.unwrap(), None, "{b}");

        for round in 0..5 {
            let key = format!("code-{round}");
            e.put(&key, "secret", 60).await.unwrap();
            assert_eq!(race_to_take(e, &key).await, ["secret"], "{b}: round {round}: exactly one taker");
        }
        e.shutdown().await;
    }
});

backend_test!(counters(be, b) {
    let (stores, _dir) = stores(&be, b).await;
    for (e, b) in stores {
        let e = &e;
        assert_eq!(e.count("fails").await.unwrap(), 0, "{b}");
        for n in 1..=5 {
            assert_eq!(e.incr("fails", 60).await.unwrap(), n, "{b}");
        }
        assert_eq!(e.count("fails").await.unwrap(), 5, "{b}");
        assert_eq!(e.count("fails").await.unwrap(), 5, "{b}: count does not change it");
        assert_eq!(e.count("other").await.unwrap(), 0, "{b}");

        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let e = e.clone();
                tokio::spawn(async move { e.incr("burst", 60).await.unwrap() })
            })
            .collect();
        let mut seen = Vec::new();
        for t in tasks {
            seen.push(t.await.unwrap());
        }
        seen.sort();
        assert_eq!(seen, (1..=20).collect::<Vec<i64>>(), "{b}: concurrent increments are not lost");
        assert_eq!(e.count("burst").await.unwrap(), 20, "{b}");
        e.delete("burst").await.unwrap();
        assert_eq!(e.count("burst").await.unwrap(), 0, "{b}");
        e.shutdown().await;
    }
});

backend_test!(entries_expire(be, b) {
    let (stores, _dir) = stores(&be, b).await;
    for (e, b) in stores {
        let e = &e;
        e.put("short", "v", 1).await.unwrap();
        e.put("long", "v", 60).await.unwrap();
        assert!(e.put_if_absent("guard", "v", 1).await.unwrap(), "{b}");
        e.put("taken", "v", 1).await.unwrap();
        assert_eq!(e.incr("window", 1).await.unwrap(), 1, "{b}");
        assert_eq!(e.incr("window", 1).await.unwrap(), 2, "{b}: within the window");
        // A TTL below one second is rounded up, not "no expiry".
        e.put("zero", "v", 0).await.unwrap();
        assert_eq!(e.get("short").await.unwrap().as_deref(), Some("v"), "{b}");

        tokio::time::sleep(Duration::from_millis(2200)).await;

        assert_eq!(e.get("short").await.unwrap(), None, "{b}: expired");
        assert_eq!(e.get("zero").await.unwrap(), None, "{b}: expired");
        assert_eq!(e.take("taken").await.unwrap(), None, "{b}: an expired entry cannot be taken");
        assert_eq!(e.get("long").await.unwrap().as_deref(), Some("v"), "{b}: still there");
        assert!(e.put_if_absent("guard", "again", 60).await.unwrap(), "{b}: an expired guard can be set again");
        assert_eq!(e.count("window").await.unwrap(), 0, "{b}: the window has passed");
        assert_eq!(e.incr("window", 60).await.unwrap(), 1, "{b}: a new window starts at 1");
        e.shutdown().await;
    }
});

backend_test!(prefixes_are_isolated(be, b) {
    let (one, two): (Ephemeral, Ephemeral) = match &be.redis {
        Some(r) => {
            let other = TestRedis::new();
            assert_ne!(other.prefix, r.prefix, "{b}");
            (be.ephemeral.clone(), other.ephemeral().await)
        }
        None => (be.ephemeral.clone(), Ephemeral::memory()),
    };
    one.put("shared-name", "one", 60).await.unwrap();
    assert_eq!(two.get("shared-name").await.unwrap(), None, "{b}");
    assert_eq!(two.take("shared-name").await.unwrap(), None, "{b}");
    assert!(two.put_if_absent("shared-name", "two", 60).await.unwrap(), "{b}: not present for the other prefix");
    one.incr("n", 60).await.unwrap();
    assert_eq!(two.count("n").await.unwrap(), 0, "{b}");
    two.delete("shared-name").await.unwrap();
    assert_eq!(one.get("shared-name").await.unwrap().as_deref(), Some("one"), "{b}: the other prefix's delete did not touch it");
    assert_eq!(one.count("n").await.unwrap(), 1, "{b}");

    // A clone shares the same store.
    let same = one.clone();
    assert_eq!(same.get("shared-name").await.unwrap().as_deref(), Some("one"), "{b}");
});
