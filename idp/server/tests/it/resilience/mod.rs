//! Resilience (issue 6): nodes behind nginx, a rolling restart under load,
//! Redis and PostgreSQL taken away under load, credential stuffing.
//!
//! Every request the load generator sends is counted as ok, failed cleanly
//! (Trame's 503 page or `temporarily_unavailable` JSON: the outage is
//! said, nothing is wrongly answered) or failed badly (anything else: a
//! 500, a proxy's 502/504, a wrong answer, a refused connection, no answer
//! within `REQUEST_BOUND`). The counts are printed (`cargo test -- --nocapture`
//! shows them) and failed-badly must stay 0.
//!
//! The load tests take `HEAVY` so that they do not run at the same time as
//! one another: on a two-core machine, two of them together would measure
//! each other rather than Trame.

mod outage;
mod proxy;
mod stuffing;

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::watch;

use crate::common::{Install, PKCE_VERIFIER, secret_of, sign_in_across};

/// One load test at a time (see the module's documentation).
static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// No request may take longer than this, outages included: the database
/// pool gives up after 5 s, Redis commands after 2 s.
pub const REQUEST_BOUND: Duration = Duration::from_secs(10);

pub enum Outcome {
    Ok,
    /// The outage was reported as such (503 page or `temporarily_unavailable`).
    Clean,
    Bad(String),
}

#[derive(Default, Clone)]
pub struct Counts {
    pub sent: usize,
    pub ok: usize,
    pub clean: usize,
    pub bad: usize,
    /// The slowest answer.
    pub slowest: Duration,
    /// The first few bad answers, to say what went wrong.
    pub bad_samples: Vec<String>,
}

/// Counts per phase of a test; a request counts in the phase in which it
/// was sent.
pub struct Tally {
    names: Vec<&'static str>,
    phase: AtomicUsize,
    counts: Mutex<Vec<Counts>>,
}

impl Tally {
    pub fn new(names: &[&'static str]) -> Arc<Self> {
        Arc::new(Self { names: names.to_vec(), phase: AtomicUsize::new(0), counts: Mutex::new(vec![Counts::default(); names.len()]) })
    }

    pub fn set_phase(&self, name: &str) {
        let i = self.names.iter().position(|n| *n == name).expect("a phase of this tally");
        self.phase.store(i, Ordering::SeqCst);
    }

    fn current(&self) -> usize {
        self.phase.load(Ordering::SeqCst)
    }

    fn record(&self, phase: usize, what: &str, outcome: Outcome, took: Duration) {
        let mut all = self.counts.lock().unwrap();
        let c = &mut all[phase];
        c.sent += 1;
        c.slowest = c.slowest.max(took);
        match outcome {
            Outcome::Ok => c.ok += 1,
            Outcome::Clean => c.clean += 1,
            Outcome::Bad(why) => {
                c.bad += 1;
                if c.bad_samples.len() < 5 {
                    c.bad_samples.push(format!("{what}: {why}"));
                }
            }
        }
    }

    pub fn phase(&self, name: &str) -> Counts {
        let i = self.names.iter().position(|n| *n == name).expect("a phase of this tally");
        self.counts.lock().unwrap()[i].clone()
    }

    pub fn total(&self) -> Counts {
        let all = self.counts.lock().unwrap();
        let mut t = Counts::default();
        for c in all.iter() {
            t.sent += c.sent;
            t.ok += c.ok;
            t.clean += c.clean;
            t.bad += c.bad;
            t.slowest = t.slowest.max(c.slowest);
            t.bad_samples.extend(c.bad_samples.iter().cloned());
        }
        t
    }

    /// Prints the counts of every phase and the total.
    pub fn report(&self, test: &str) -> String {
        let all = self.counts.lock().unwrap();
        let mut out = format!("{test}:\n  {:<12} {:>6} {:>6} {:>14} {:>13} {:>12}\n", "phase", "sent", "ok", "failed cleanly", "failed badly", "slowest ms");
        for (name, c) in self.names.iter().zip(all.iter()) {
            out.push_str(&format!("  {name:<12} {:>6} {:>6} {:>14} {:>13} {:>12}\n", c.sent, c.ok, c.clean, c.bad, c.slowest.as_millis()));
            for s in &c.bad_samples {
                out.push_str(&format!("    bad: {s}\n"));
            }
        }
        drop(all);
        let t = self.total();
        out.push_str(&format!("  {:<12} {:>6} {:>6} {:>14} {:>13} {:>12}\n", "total", t.sent, t.ok, t.clean, t.bad, t.slowest.as_millis()));
        println!("{out}");
        out
    }
}

/// Sorts a response into ok, failed cleanly or failed badly. `ok` says
/// whether a 2xx answer is the right one.
pub async fn classify(res: Result<reqwest::Response, reqwest::Error>, ok: impl FnOnce(&str) -> bool) -> (Outcome, String) {
    let res = match res {
        Ok(r) => r,
        Err(e) => return (Outcome::Bad(format!("no answer: {e}")), String::new()),
    };
    let status = res.status().as_u16();
    let html = res.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    let body = match res.text().await {
        Ok(b) => b,
        Err(e) => return (Outcome::Bad(format!("{status}, body cut: {e}")), String::new()),
    };
    let outcome = match status {
        200..=299 if ok(&body) => Outcome::Ok,
        // Trame's page or JSON; nginx answers 502/504 and its pages say "nginx".
        503 if html && !body.contains("<center>nginx") => Outcome::Clean,
        503 if serde_json::from_str::<Value>(&body).is_ok_and(|v| v["error"] == "temporarily_unavailable") => Outcome::Clean,
        _ => Outcome::Bad(format!("{status} {}", body.chars().take(160).collect::<String>())),
    };
    (outcome, body)
}

/// What the machine load needs: a confidential client for the
/// client-credentials grant and introspection, and a signed-in user's
/// access token for userinfo.
pub struct Fixture {
    pub m2m_secret: String,
    pub user_access_token: String,
}

pub const REDIRECT: &str = "http://localhost:9/cb";
pub const PASSWORD: &str = "correct horse battery staple";

/// Creates the user `alice`, the clients `rp` (code flow) and `m2m`
/// (client credentials) through the CLI.
pub fn create_clients_and_user(i: &Install) -> String {
    i.ok_with_input(&["user", "add", "--username", "alice", "--given-name", "Alice", "--password-stdin"], &format!("{PASSWORD}\n"));
    i.ok(&["client", "add", "--client-id", "rp", "--redirect-uri", REDIRECT, "--public", "--skip-consent"]);
    secret_of(&i.ok(&["client", "add", "--client-id", "m2m", "--grant-type", "client_credentials", "--scope", "api"]))
}

/// Signs `alice` in at `base` and redeems the code there: her access token.
pub async fn user_token(i: &Install, base: &str) -> String {
    let browser = crate::common::http();
    let code = sign_in_across(&[base.to_owned()], &i.public_url, &browser, "rp", REDIRECT, "alice", PASSWORD).await;
    let form = [("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", REDIRECT), ("code_verifier", PKCE_VERIFIER), ("client_id", "rp")];
    let res = reqwest::Client::new().post(format!("{base}/token")).form(&form).send().await.unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// `tasks` tasks, each repeating discovery, a client-credentials token,
/// the introspection of that token, userinfo with the user's token and a
/// pushed authorization request,
/// against `base`, until `stop` turns true. Returns when they have all
/// finished their current request.
pub fn machine_load(base: String, fixture: Arc<Fixture>, tally: Arc<Tally>, tasks: usize, stop: watch::Receiver<bool>) -> tokio::task::JoinSet<()> {
    let http = reqwest::Client::builder().timeout(REQUEST_BOUND).build().unwrap();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..tasks {
        let (http, base, f, tally, stop) = (http.clone(), base.clone(), fixture.clone(), tally.clone(), stop.clone());
        set.spawn(async move {
            // A client-credentials token to introspect when the grant itself fails.
            let mut last_token: Option<String> = None;
            while !*stop.borrow() {
                let (p, started) = (tally.current(), Instant::now());
                let r = http.get(format!("{base}/.well-known/openid-configuration")).send().await;
                let (o, _) = classify(r, |b| b.contains("\"issuer\"")).await;
                tally.record(p, "discovery", o, started.elapsed());

                let (p, started) = (tally.current(), Instant::now());
                let r = http.post(format!("{base}/token")).basic_auth("m2m", Some(&f.m2m_secret)).form(&[("grant_type", "client_credentials")]).send().await;
                let (o, body) = classify(r, |b| b.contains("\"access_token\"")).await;
                if matches!(o, Outcome::Ok) {
                    last_token = serde_json::from_str::<Value>(&body).ok().and_then(|v| v["access_token"].as_str().map(str::to_owned));
                }
                tally.record(p, "token (client_credentials)", o, started.elapsed());

                if let Some(t) = &last_token {
                    let (p, started) = (tally.current(), Instant::now());
                    let r = http.post(format!("{base}/introspect")).basic_auth("m2m", Some(&f.m2m_secret)).form(&[("token", t.as_str())]).send().await;
                    let (o, _) = classify(r, |b| b.contains("\"active\":true")).await;
                    tally.record(p, "introspect", o, started.elapsed());
                }

                let (p, started) = (tally.current(), Instant::now());
                let r = http.get(format!("{base}/userinfo")).bearer_auth(&f.user_access_token).send().await;
                let (o, _) = classify(r, |b| b.contains("\"sub\"")).await;
                tally.record(p, "userinfo", o, started.elapsed());

                // A pushed authorization request: kept in the ephemeral
                // store, so it needs Redis (revocation no longer does).
                let (p, started) = (tally.current(), Instant::now());
                let form = [
                    ("client_id", "rp"),
                    ("response_type", "code"),
                    ("redirect_uri", REDIRECT),
                    ("scope", "openid"),
                    ("code_challenge", crate::common::PKCE_CHALLENGE),
                    ("code_challenge_method", "S256"),
                ];
                let r = http.post(format!("{base}/par")).form(&form).send().await;
                let (o, _) = classify(r, |b| b.contains("\"request_uri\"")).await;
                tally.record(p, "par", o, started.elapsed());
            }
        });
    }
    set
}

/// Polls `/_trame/ready` at `base` until it answers `want`.
pub async fn wait_ready(base: &str, want: u16, limit: Duration) -> Duration {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(3)).build().unwrap();
    let start = std::time::Instant::now();
    loop {
        if let Ok(r) = http.get(format!("{base}/_trame/ready")).send().await
            && r.status().as_u16() == want
        {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "{base}/_trame/ready did not answer {want} within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
