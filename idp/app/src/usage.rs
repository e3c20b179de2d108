//! What the public transparency page counts, as it happens: transactions
//! (sign-ins by method, tokens, federation exchanges, mails), the services
//! that got a token, and every host the outbound client reached. Counts
//! only: never who, never which account.
//!
//! Each node tallies in memory ([`Usage`]) and adds its tally to the store
//! every few seconds and when it stops (`trame serve` runs the flushes),
//! in one transaction that sums into the stored rows, so nodes never read
//! before they write and a request pays one short lock, not a statement.
//! A node that crashes loses at most its last seconds of figures: these
//! are statistics, not records (the audit trail is the record).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use trame_core::Clock;
use trame_store::{HostCount, ServedService, Store, StoreError, UsageBatch, UsageCount};

use crate::telemetry::SignInMethod;

/// Seconds in a (UTC) day: figures are kept per Unix day.
pub const DAY: i64 = 86_400;

/// The Unix day (UTC) of a time in Unix seconds.
pub fn day_of(now: i64) -> i32 {
    i32::try_from(now.div_euclid(DAY)).unwrap_or(i32::MAX)
}

/// A kind of transaction the page counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Counter {
    /// A sign-in completed with a passkey.
    SignInPasskey,
    /// With a password (alone, or followed by a TOTP code).
    SignInPassword,
    /// At a peer provider of the federation.
    SignInPeer,
    /// At an upstream identity provider (FranceConnect, an OpenID provider).
    SignInUpstream,
    /// With a recovery code or a mailed link.
    SignInOther,
    /// A token response (any grant).
    Token,
    /// A request another federation entity made to this tenant's
    /// federation endpoints, or a registration through the federation.
    FederationIn,
    /// A statement this tenant fetched from another federation entity.
    FederationOut,
    /// A mail sent (address verification, recovery, confirmation).
    Mail,
}

impl Counter {
    pub const ALL: [Counter; 9] = [
        Counter::SignInPasskey,
        Counter::SignInPassword,
        Counter::SignInPeer,
        Counter::SignInUpstream,
        Counter::SignInOther,
        Counter::Token,
        Counter::FederationIn,
        Counter::FederationOut,
        Counter::Mail,
    ];

    /// The stored name (and the JSON member of `/transparence.json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Counter::SignInPasskey => "sign_in_passkey",
            Counter::SignInPassword => "sign_in_password",
            Counter::SignInPeer => "sign_in_peer",
            Counter::SignInUpstream => "sign_in_upstream",
            Counter::SignInOther => "sign_in_other",
            Counter::Token => "tokens",
            Counter::FederationIn => "federation_in",
            Counter::FederationOut => "federation_out",
            Counter::Mail => "mails",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The counter of a completed sign-in.
    pub fn sign_in(method: SignInMethod) -> Self {
        match method {
            SignInMethod::Passkey => Counter::SignInPasskey,
            SignInMethod::Password | SignInMethod::Totp => Counter::SignInPassword,
            SignInMethod::Peer => Counter::SignInPeer,
            SignInMethod::RecoveryCode | SignInMethod::EmailLink => Counter::SignInOther,
        }
    }
}

/// One tenant's figures not yet flushed.
#[derive(Debug, Default)]
struct TenantTally {
    counts: HashMap<(i32, Counter), u64>,
    /// Client ids that got a token, per day.
    services: HashMap<i32, HashSet<String>>,
}

#[derive(Debug, Default)]
struct Tally {
    /// By tenant id: looked up by `&str`, allocated once per tenant and flush.
    tenants: HashMap<String, TenantTally>,
    hosts: HashMap<(i32, String), u64>,
}

/// A node's figures not yet in the store. Shared by the requests (one per
/// [`crate::App`]) and by the outbound clients.
pub struct Usage {
    clock: Arc<dyn Clock>,
    tally: Mutex<Tally>,
}

impl std::fmt::Debug for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Usage")
    }
}

impl Usage {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self { clock, tally: Mutex::default() }
    }

    fn lock(&self) -> MutexGuard<'_, Tally> {
        // A panic while holding the lock leaves counts, not broken
        // invariants: go on with them.
        self.tally.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn tenant<'a>(tally: &'a mut Tally, tenant_id: &str) -> &'a mut TenantTally {
        if !tally.tenants.contains_key(tenant_id) {
            tally.tenants.insert(tenant_id.to_owned(), TenantTally::default());
        }
        tally.tenants.get_mut(tenant_id).expect("inserted above")
    }

    /// Counts one transaction of `tenant_id`.
    pub fn count(&self, tenant_id: &str, counter: Counter) {
        let day = day_of(self.clock.now());
        let mut tally = self.lock();
        *Self::tenant(&mut tally, tenant_id).counts.entry((day, counter)).or_default() += 1;
    }

    /// Counts a completed sign-in.
    pub fn sign_in(&self, tenant_id: &str, method: SignInMethod) {
        self.count(tenant_id, Counter::sign_in(method));
    }

    /// Counts a token response to `client_id`, and the client as a service
    /// served that day.
    pub fn token(&self, tenant_id: &str, client_id: &str) {
        let day = day_of(self.clock.now());
        let mut tally = self.lock();
        let t = Self::tenant(&mut tally, tenant_id);
        *t.counts.entry((day, Counter::Token)).or_default() += 1;
        let served = t.services.entry(day).or_default();
        if !served.contains(client_id) {
            served.insert(client_id.to_owned());
        }
    }

    /// Counts a request the outbound client sends to `host`.
    pub fn host(&self, host: &str) {
        let day = day_of(self.clock.now());
        *self.lock().hosts.entry((day, host.to_owned())).or_default() += 1;
    }

    /// Takes everything tallied so far, leaving the tally empty.
    pub fn take(&self) -> UsageBatch {
        let tally = std::mem::take(&mut *self.lock());
        let mut batch = UsageBatch::default();
        for (tenant_id, t) in tally.tenants {
            for ((day, counter), count) in t.counts {
                batch.counts.push(UsageCount { tenant_id: tenant_id.clone(), day, counter: counter.as_str().to_owned(), count });
            }
            for (day, clients) in t.services {
                batch.services.extend(clients.into_iter().map(|client_id| ServedService { tenant_id: tenant_id.clone(), day, client_id }));
            }
        }
        batch.hosts = tally.hosts.into_iter().map(|((day, host), count)| HostCount { day, host, count }).collect();
        batch
    }

    /// Puts back a batch the store did not take, to be flushed with the next.
    fn restore(&self, batch: UsageBatch) {
        let mut tally = self.lock();
        for c in batch.counts {
            if let Some(counter) = Counter::parse(&c.counter) {
                *Self::tenant(&mut tally, &c.tenant_id).counts.entry((c.day, counter)).or_default() += c.count;
            }
        }
        for s in batch.services {
            Self::tenant(&mut tally, &s.tenant_id).services.entry(s.day).or_default().insert(s.client_id);
        }
        for h in batch.hosts {
            *tally.hosts.entry((h.day, h.host)).or_default() += h.count;
        }
    }

    /// Adds the tally to the store; on failure it stays for the next flush.
    pub async fn flush(&self, store: &Store) -> Result<(), StoreError> {
        let batch = self.take();
        if batch.is_empty() {
            return Ok(());
        }
        match store.add_usage(&batch).await {
            Ok(()) => Ok(()),
            Err(e) => {
                self.restore(batch);
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, Ordering};

    struct TestClock(AtomicI64);

    impl Clock for TestClock {
        fn now(&self) -> i64 {
            self.0.load(Ordering::Relaxed)
        }
    }

    fn sorted(mut b: UsageBatch) -> UsageBatch {
        b.counts.sort_by(|a, b| (&a.tenant_id, a.day, &a.counter).cmp(&(&b.tenant_id, b.day, &b.counter)));
        b.services.sort_by(|a, b| (&a.tenant_id, a.day, &a.client_id).cmp(&(&b.tenant_id, b.day, &b.client_id)));
        b.hosts.sort_by(|a, b| (a.day, &a.host).cmp(&(b.day, &b.host)));
        b
    }

    #[test]
    fn tallies_per_tenant_day_and_kind_and_takes_everything() {
        let clock = Arc::new(TestClock(AtomicI64::new(10 * DAY + 5)));
        let usage = Usage::new(clock.clone());
        usage.sign_in("t1", SignInMethod::Passkey);
        usage.sign_in("t1", SignInMethod::Passkey);
        usage.sign_in("t1", SignInMethod::Totp);
        usage.token("t1", "app");
        usage.token("t1", "app");
        usage.count("t2", Counter::Mail);
        usage.host("rp.example");
        clock.0.store(11 * DAY, Ordering::Relaxed);
        usage.token("t1", "app");
        usage.host("rp.example");

        let b = sorted(usage.take());
        let c = |t: &str, day, counter: &str, count| UsageCount { tenant_id: t.into(), day, counter: counter.into(), count };
        assert_eq!(
            b.counts,
            [
                c("t1", 10, "sign_in_passkey", 2),
                c("t1", 10, "sign_in_password", 1),
                c("t1", 10, "tokens", 2),
                c("t1", 11, "tokens", 1),
                c("t2", 10, "mails", 1)
            ]
        );
        let s = |day| ServedService { tenant_id: "t1".into(), day, client_id: "app".into() };
        assert_eq!(b.services, [s(10), s(11)]);
        assert_eq!(b.hosts, [HostCount { day: 10, host: "rp.example".into(), count: 1 }, HostCount { day: 11, host: "rp.example".into(), count: 1 }]);
        assert!(usage.take().is_empty(), "taken once");
    }

    #[test]
    fn a_batch_put_back_adds_to_what_came_since() {
        let usage = Usage::new(Arc::new(TestClock(AtomicI64::new(DAY))));
        usage.token("t1", "app");
        let batch = usage.take();
        usage.token("t1", "app");
        usage.restore(batch);
        let b = usage.take();
        assert_eq!(b.counts, [UsageCount { tenant_id: "t1".into(), day: 1, counter: "tokens".into(), count: 2 }]);
        assert_eq!(b.services.len(), 1);
    }

    #[test]
    fn counter_names_round_trip() {
        for c in Counter::ALL {
            assert_eq!(Counter::parse(c.as_str()), Some(c));
        }
        assert_eq!(Counter::parse("users"), None);
        assert_eq!(day_of(-1), -1, "before 1970 is the day before, not day 0");
    }
}
