//! Redis and PostgreSQL stopped and started again under load: requests
//! that need the missing service fail cleanly (503), none fails badly, and
//! service comes back by itself, with nothing durable lost.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::{Fixture, HEAVY, Tally, create_clients_and_user, machine_load, user_token, wait_ready};
use crate::common::services::{PrivatePostgres, PrivateRedis};
use crate::common::{Install, Server};
use trame_testkit::TestRedis;

/// How long Redis stays away under load.
const REDIS_OUTAGE: Duration = Duration::from_secs(4);
/// How long PostgreSQL stays away: longer than the pool's 5 s wait for a
/// connection, since a request that needs the database waits that long
/// before it is answered 503 (a shorter outage only slows requests down).
const POSTGRES_OUTAGE: Duration = Duration::from_secs(8);

/// Which service a test takes away.
enum Victim {
    Redis(PrivateRedis),
    Postgres(PrivatePostgres),
}

impl Victim {
    async fn stop(&mut self) {
        match self {
            Victim::Redis(r) => r.stop().await,
            Victim::Postgres(p) => p.stop().await,
        }
    }
    async fn start(&mut self) {
        match self {
            Victim::Redis(r) => r.restart().await,
            Victim::Postgres(p) => p.restart().await,
        }
    }
}

/// Before (all must succeed), outage (from the stop until readiness is
/// back), after (all must succeed again, without restarting Trame).
async fn outage_under_load(name: &str, outage: Duration, i: &Install, server: &Server, mut victim: Victim) {
    let base = server.base();
    let m2m_secret = create_clients_and_user(i);
    let fixture = Arc::new(Fixture { m2m_secret, user_access_token: user_token(i, &base).await });

    let tally = Tally::new(&["before", "outage", "after"]);
    let (stop_tx, stop) = watch::channel(false);
    let mut load = machine_load(base.clone(), fixture, tally.clone(), 8, stop);
    tokio::time::sleep(Duration::from_secs(2)).await;

    // Requests sent from here on count in the outage, including those
    // still in flight when the service goes (their connection is cut).
    tally.set_phase("outage");
    tokio::time::sleep(Duration::from_millis(300)).await;
    victim.stop().await;
    let down = Instant::now();
    wait_ready(&base, 503, Duration::from_secs(8)).await;
    tokio::time::sleep(outage.saturating_sub(down.elapsed())).await;
    victim.start().await;
    let back = wait_ready(&base, 200, Duration::from_secs(20)).await;
    println!("{name}: readiness back {back:?} after the service restarted");
    tally.set_phase("after");
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop_tx.send(true).unwrap();
    while load.join_next().await.is_some() {}

    let report = tally.report(&format!("{name} stopped for {outage:?} under load (one node, 8 tasks)"));
    let log = server.log_text();
    assert!(!log.contains("panicked"), "no panic:\n{log}");
    let (before, during, after) = (tally.phase("before"), tally.phase("outage"), tally.phase("after"));
    assert_eq!(tally.total().bad, 0, "no request fails badly\n{report}");
    assert!(before.sent > 50 && before.ok == before.sent, "all requests succeed before the outage\n{report}");
    assert!(during.clean > 0, "the outage was felt (a test that cannot fail proves nothing)\n{report}");
    assert!(after.sent > 50 && after.ok == after.sent, "service resumes without a restart\n{report}");

    // Nothing durable was lost: the user signs in again, the clients work
    // (the machine client throughout the last phase, above).
    user_token(i, &base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_outage_under_load() {
    let _heavy = HEAVY.lock().await;
    let redis = PrivateRedis::start().await;
    let mut i = Install::scaled_out().await;
    i.redis = None;
    i.extra_env.insert("TRAME_REDIS_URL".into(), redis.url());
    let server = i.serve().await;
    outage_under_load("Redis", REDIS_OUTAGE, &i, &server, Victim::Redis(redis)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outage_under_load() {
    let _heavy = HEAVY.lock().await;
    let pg = PrivatePostgres::start().await;
    let mut i = Install::embedded();
    i.redis = Some(TestRedis::new());
    i.extra_env.insert("TRAME_DATABASE_URL".into(), pg.url());
    let server = i.serve().await;
    outage_under_load("PostgreSQL", POSTGRES_OUTAGE, &i, &server, Victim::Postgres(pg)).await;
}

/// A node started while Redis is down: it starts (alive, not ready),
/// connects when Redis comes, without a restart, and then serves a sign-in
/// and tokens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_starts_while_redis_is_down() {
    let mut redis = PrivateRedis::reserved();
    let mut i = Install::embedded();
    i.extra_env.insert("TRAME_REDIS_URL".into(), redis.url());
    let m2m_secret = create_clients_and_user(&i);
    let server = i.serve().await;
    let base = server.base();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();

    let r = http.get(format!("{base}/_trame/ready")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!((body["ephemeral"].as_bool(), body["database"].as_bool()), (Some(false), Some(true)), "{body}");
    assert_eq!(http.get(format!("{base}/_trame/health")).send().await.unwrap().status(), 200, "alive all the same");

    redis.restart().await;
    let took = wait_ready(&base, 200, Duration::from_secs(10)).await;
    println!("ready {took:?} after Redis came");
    let form = [("grant_type", "client_credentials")];
    let r = http.post(format!("{base}/token")).basic_auth("m2m", Some(&m2m_secret)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    let at = user_token(&i, &base).await;
    let r = http.get(format!("{base}/userinfo")).bearer_auth(&at).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(server.log_text().lines().all(|l| !l.contains("panicked")), "{}", server.log_text());
}
