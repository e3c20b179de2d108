//! The in-process ephemeral store persisted in its file (an embedded node
//! without Redis): what a restart finds again, with what is left of its
//! TTL; what it never finds again (expired, taken or deleted entries, even
//! without a graceful stop); a removal that cannot be written is not
//! handed out; and what the file holds is sealed under the master key.
//! "A restart" is a new store over new connections, as a new process
//! would open it. The durable database only lends its master key: these
//! tests need one backend, not both.

use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use trame_core::OsRandom;
use trame_store::{Ephemeral, EphemeralError, MasterKey, Store};
use trame_testkit::{Backend, TempDir, TestDb};

use crate::common::{query_i64, query_strings};
use crate::ephemeral::race_to_take;

/// An embedded node's storage: its database, its data directory and its
/// master key file, the same at every start.
struct Node {
    db: TestDb,
    dir: TempDir,
    key: MasterKey,
}

impl Node {
    async fn new() -> Self {
        Node { db: TestDb::new(Backend::Sqlite).await, dir: TempDir::new("trame-ephemeral"), key: MasterKey::generate(&OsRandom) }
    }

    async fn store(&self) -> Store {
        self.db.store_with_key(self.key.clone()).await
    }

    fn file(&self) -> std::path::PathBuf {
        self.dir.path.join("ephemeral.db")
    }

    /// What a (re)started node opens: new connections, the entries read back.
    async fn start(&self) -> Ephemeral {
        Ephemeral::persisted(&self.store().await, &self.file()).await.unwrap()
    }

    /// A connection of its own to the file (one, so that a transaction
    /// begun on it stays on it).
    async fn raw(&self) -> DatabaseConnection {
        let mut opts = ConnectOptions::new(format!("sqlite://{}?mode=rw", self.file().display()));
        opts.max_connections(1);
        Database::connect(opts).await.unwrap()
    }

    async fn rows(&self, key: &str) -> i64 {
        query_i64(&self.raw().await, &format!("SELECT COUNT(*) FROM ephemeral_entries WHERE key = '{key}'")).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn entries_survive_a_restart_with_their_ttls() {
    let node = Node::new().await;
    let e = node.start().await;
    e.put("sess:a", "{\"user\":\"alice\"}", 3600).await.unwrap();
    e.put("short", "soon gone", 2).await.unwrap();
    e.put("interaction", "first", 3600).await.unwrap();
    e.put("interaction", "second", 3600).await.unwrap();
    assert!(e.put_if_absent("jti", "seen", 3600).await.unwrap());
    for _ in 0..3 {
        e.incr("fails", 3600).await.unwrap();
    }
    e.incr("window", 2).await.unwrap();
    e.put("code", "payload", 60).await.unwrap();
    e.put("deleted", "v", 60).await.unwrap();
    e.delete("deleted").await.unwrap();
    e.put("taken", "v", 60).await.unwrap();
    assert_eq!(e.take("taken").await.unwrap().as_deref(), Some("v"));
    e.shutdown().await;

    let e = node.start().await;
    assert_eq!(e.get("sess:a").await.unwrap().as_deref(), Some("{\"user\":\"alice\"}"));
    assert_eq!(e.get("short").await.unwrap().as_deref(), Some("soon gone"));
    assert_eq!(e.get("interaction").await.unwrap().as_deref(), Some("second"), "the last put wins");
    assert!(!e.put_if_absent("jti", "replayed", 3600).await.unwrap(), "the replay guard holds after a restart");
    assert_eq!(e.count("fails").await.unwrap(), 3);
    assert_eq!(e.incr("fails", 3600).await.unwrap(), 4, "the counter goes on");
    assert_eq!(e.count("window").await.unwrap(), 1);
    assert_eq!(e.get("deleted").await.unwrap(), None);
    assert_eq!(e.get("taken").await.unwrap(), None);
    assert_eq!(node.rows("taken").await, 0);

    // The TTLs went on running: the two-second entries die on time, the
    // window restarts at 1, the others stay.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert_eq!(e.get("short").await.unwrap(), None, "expired on time after the restart");
    assert_eq!(e.count("window").await.unwrap(), 0, "the window ended on time");
    assert_eq!(e.incr("window", 60).await.unwrap(), 1);
    assert!(e.get("sess:a").await.unwrap().is_some());
    assert_eq!(e.take("code").await.unwrap().as_deref(), Some("payload"), "a code survives a restart");
    e.shutdown().await;

    let e = node.start().await;
    assert_eq!(e.get("short").await.unwrap(), None, "an expired entry is not read back");
    assert_eq!(node.rows("short").await, 0, "and its row is purged at start");
    assert_eq!(e.count("window").await.unwrap(), 1, "the new window is kept");
    assert_eq!(e.count("fails").await.unwrap(), 4);
    assert_eq!(e.take("code").await.unwrap(), None, "taken before the restart");
    e.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_entry_expiring_while_stopped_does_not_come_back() {
    let node = Node::new().await;
    let e = node.start().await;
    e.put("brief", "v", 1).await.unwrap();
    assert!(e.put_if_absent("guard", "v", 1).await.unwrap());
    e.incr("counter", 1).await.unwrap();
    e.put("kept", "v", 60).await.unwrap();
    e.shutdown().await;
    assert_eq!(node.rows("brief").await, 1, "written at the stop");

    tokio::time::sleep(Duration::from_millis(1200)).await;
    let e = node.start().await;
    assert_eq!(e.get("brief").await.unwrap(), None);
    assert!(e.put_if_absent("guard", "again", 60).await.unwrap(), "an expired guard is not read back");
    assert_eq!(e.count("counter").await.unwrap(), 0);
    assert_eq!(e.get("kept").await.unwrap().as_deref(), Some("v"));
    e.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn take_after_a_restart_is_single_use_and_durable() {
    let node = Node::new().await;
    let e = node.start().await;
    for round in 0..3 {
        e.put(&format!("code-{round}"), "secret", 60).await.unwrap();
    }
    e.shutdown().await;

    let e = node.start().await;
    for round in 0..3 {
        assert_eq!(race_to_take(&e, &format!("code-{round}")).await, ["secret"], "round {round}: exactly one taker");
    }
    // No graceful stop this time (a crash): a take is written before it
    // returns, so the next start does not bring the codes back.
    drop(e);
    let e = node.start().await;
    for round in 0..3 {
        assert_eq!(e.take(&format!("code-{round}")).await.unwrap(), None, "round {round}");
    }
    e.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_changes_are_kept_as_memory_decided_them() {
    let node = Node::new().await;
    let e = node.start().await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let e = e.clone();
            tokio::spawn(async move {
                let won = e.put_if_absent("race", &i.to_string(), 60).await.unwrap();
                e.incr("burst", 60).await.unwrap();
                won
            })
        })
        .collect();
    let mut winners = 0;
    for t in tasks {
        winners += usize::from(t.await.unwrap());
    }
    assert_eq!(winners, 1);
    let winner = e.get("race").await.unwrap().unwrap();
    e.shutdown().await;

    let e = node.start().await;
    assert_eq!(e.get("race").await.unwrap().as_deref(), Some(winner.as_str()), "the winner's value, not a loser's");
    assert_eq!(e.count("burst").await.unwrap(), 20, "no increment lost");
    e.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_removal_that_cannot_be_written_is_not_handed_out() {
    let node = Node::new().await;
    let e = node.start().await;
    e.put("code", "payload", 60).await.unwrap();
    // A removal makes the writer write at once, the put with it.
    e.put("other", "v", 60).await.unwrap();
    assert!(e.take("other").await.unwrap().is_some());
    assert_eq!(node.rows("code").await, 1);

    // Another connection holds the file's write lock past busy_timeout:
    // the take fails, and nobody gets the code.
    let lock = node.raw().await;
    lock.execute_unprepared("BEGIN EXCLUSIVE").await.unwrap();
    assert!(matches!(e.take("code").await, Err(EphemeralError::NotRecorded)));
    assert_eq!(e.get("code").await.unwrap(), None, "not in memory either");
    // The writer tries the removal again once the file is free.
    lock.execute_unprepared("ROLLBACK").await.unwrap();
    e.shutdown().await;
    let e = node.start().await;
    assert_eq!(e.take("code").await.unwrap(), None, "removed by the retry: never handed out");
    e.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn values_are_sealed_under_the_master_key() {
    let node = Node::new().await;
    let e = node.start().await;
    e.put("totp-setup:s1", "JBSWY3DPEHPK3PXP", 900).await.unwrap();
    e.incr("thr:n", 60).await.unwrap();
    e.shutdown().await;
    let stored = query_strings(&node.raw().await, "SELECT key, value FROM ephemeral_entries ORDER BY key", 2).await;
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|r| !r[1].contains("JBSWY3DPEHPK3PXP") && r[1] != "1"), "{stored:?}");

    // Another master key opens nothing: the entries are lost, not garbled.
    let other = Node { key: MasterKey::generate(&OsRandom), ..node };
    let e = other.start().await;
    assert_eq!(e.get("totp-setup:s1").await.unwrap(), None);
    assert_eq!(e.count("thr:n").await.unwrap(), 0);
    e.shutdown().await;
}
