//! Credential stuffing: wrong passwords for many accounts from a few
//! addresses, under which a legitimate sign-in keeps its latency.
//!
//! The one timed assertion of the suite, asked for by the issue: the p99
//! of legitimate sign-ins during the flood stays within twice the p99
//! before it. Robustness: both phases use the same client and the same
//! sequence, 40 sign-ins each, measured from a runtime of their own (the p99 of 40 is their maximum); a round
//! that misses the goal is run once more with fresh accounts and
//! addresses (a burst of CI noise, such as another job's compiler, rarely
//! hits both), and the test fails only if both rounds miss it.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::{HEAVY, PASSWORD, REDIRECT, REQUEST_BOUND, create_clients_and_user};
use crate::common::{Install, PKCE_CHALLENGE, hidden, sign_in_across, urlencode};

const ACCOUNTS: usize = 20;
const ATTACKERS: usize = 8;
const ADDRESSES: u8 = 4;
const SAMPLES: usize = 40;
/// Each attacker sends at most one attempt per this interval (8 × 40 per
/// second in all). An unpaced loop of eight tasks saturates a two-core
/// machine on which the load generator itself runs: it then measures how
/// the kernel shares the CPU, not what Trame does against stuffing. A
/// volumetric flood is for the edge (a proxy's rate limit).
const ATTACK_INTERVAL: Duration = Duration::from_millis(25);

/// A browser whose requests come, for a server trusting 127.0.0.1 as a
/// proxy, from `ip`.
fn browser_from(ip: Ipv4Addr) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", ip.to_string().parse().unwrap());
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).default_headers(headers).timeout(REQUEST_BOUND).build().unwrap()
}

/// Seconds taken by `n` sequential sign-ins of alice, each in a new browser
/// (authorize, sign-in page, password, code). They run on a thread and
/// runtime of their own, so that the attackers' tasks in this process do
/// not delay the measuring client itself.
async fn legit_sign_ins(i: &Install, base: &str, n: usize) -> Vec<f64> {
    let (public_url, base) = (i.public_url.clone(), base.to_owned());
    tokio::task::spawn_blocking(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let mut times = Vec::with_capacity(n);
            for _ in 0..n {
                let browser = browser_from(Ipv4Addr::new(192, 0, 2, 10));
                let start = Instant::now();
                sign_in_across(std::slice::from_ref(&base), &public_url, &browser, "rp", REDIRECT, "alice", PASSWORD).await;
                times.push(start.elapsed().as_secs_f64());
            }
            times
        })
    })
    .await
    .unwrap()
}

fn p99(times: &[f64]) -> f64 {
    let mut t = times.to_vec();
    t.sort_by(f64::total_cmp);
    t[((t.len() as f64 * 0.99).ceil() as usize).max(1) - 1]
}

fn median(times: &[f64]) -> f64 {
    let mut t = times.to_vec();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

#[derive(Default)]
struct AttackCounts {
    sent: AtomicUsize,
    /// 401: the password was checked and refused.
    refused: AtomicUsize,
    /// 429: throttled before any password check.
    throttled: AtomicUsize,
    /// 503: the node said it was overloaded (allowed, but counted).
    unavailable: AtomicUsize,
    other: AtomicUsize,
}

/// Opens a sign-in page at `base` from `browser`: the form's URL and fields.
async fn open_sign_in(browser: &reqwest::Client, base: &str) -> (String, String, String) {
    let url = format!(
        "{base}/authorize?response_type=code&client_id=rp&redirect_uri={}&scope=openid&state=s&nonce=n&code_challenge={PKCE_CHALLENGE}&code_challenge_method=S256",
        urlencode(REDIRECT)
    );
    let res = browser.get(url).send().await.unwrap();
    let loc = res.headers()["location"].to_str().unwrap().to_owned();
    let page_url = if loc.starts_with('/') { format!("{base}{loc}") } else { loc };
    let html = browser.get(&page_url).send().await.unwrap().text().await.unwrap();
    (page_url, hidden(&html, "interaction").expect("interaction"), hidden(&html, "csrf").expect("csrf"))
}

/// `ATTACKERS` tasks, spread over `ADDRESSES` addresses, each with one
/// sign-in page, posting wrong passwords for the accounts in turn.
fn flood(base: &str, round: u8, counts: Arc<AttackCounts>, stop: watch::Receiver<bool>) -> tokio::task::JoinSet<()> {
    let mut set = tokio::task::JoinSet::new();
    for k in 0..ATTACKERS {
        let (base, counts, stop) = (base.to_owned(), counts.clone(), stop.clone());
        set.spawn(async move {
            let browser = browser_from(Ipv4Addr::new(10, 66, round, 1 + (k as u8 % ADDRESSES)));
            let (url, interaction, csrf) = open_sign_in(&browser, &base).await;
            let mut n = k;
            let mut pace = tokio::time::interval(ATTACK_INTERVAL);
            pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while !*stop.borrow() {
                pace.tick().await;
                let form = [
                    ("interaction", interaction.as_str()),
                    ("csrf", csrf.as_str()),
                    ("username", &format!("victim{round}-{}", n % ACCOUNTS)),
                    ("password", &format!("guess-{n}")),
                ];
                n += 1;
                counts.sent.fetch_add(1, Ordering::Relaxed);
                let status = match browser.post(&url).form(&form).send().await {
                    Ok(r) => r.status().as_u16(),
                    Err(_) => 0,
                };
                match status {
                    401 => &counts.refused,
                    429 => &counts.throttled,
                    503 => &counts.unavailable,
                    _ => &counts.other,
                }
                .fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    set
}

/// One round: unloaded p99, then p99 under the flood. Returns both.
async fn round(i: &Install, base: &str, round: u8) -> (f64, f64) {
    // Real accounts: the flood tries them with wrong passwords.
    for n in 0..ACCOUNTS {
        i.ok_with_input(&["user", "add", "--username", &format!("victim{round}-{n}"), "--password-stdin"], "the victim's own password\n");
    }
    legit_sign_ins(i, base, 3).await; // warm-up
    let before = legit_sign_ins(i, base, SAMPLES).await;

    let counts = Arc::new(AttackCounts::default());
    let (stop_tx, stop) = watch::channel(false);
    let mut attack = flood(base, round, counts.clone(), stop);
    // Let the attackers open their pages and start.
    let deadline = Instant::now() + Duration::from_secs(20);
    while counts.sent.load(Ordering::Relaxed) < ATTACKERS * 2 {
        if let Some(Err(e)) = attack.try_join_next() {
            std::panic::resume_unwind(e.into_panic());
        }
        assert!(Instant::now() < deadline, "the attackers did not start");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let during = legit_sign_ins(i, base, SAMPLES).await;
    let checked_during = counts.refused.load(Ordering::Relaxed);
    // The flood goes on until the accounts' limits stop it (the fair
    // queueing slows the attackers' own checks down, so this can come
    // after the measurement).
    let deadline = Instant::now() + Duration::from_secs(30);
    while counts.throttled.load(Ordering::Relaxed) < ATTACKERS * 10 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop_tx.send(true).unwrap();
    while attack.join_next().await.is_some() {}

    let (sent, refused, throttled, unavailable, other) = (
        counts.sent.load(Ordering::Relaxed),
        counts.refused.load(Ordering::Relaxed),
        counts.throttled.load(Ordering::Relaxed),
        counts.unavailable.load(Ordering::Relaxed),
        counts.other.load(Ordering::Relaxed),
    );
    let (p_before, p_during) = (p99(&before), p99(&during));
    println!(
        "credential stuffing, round {round}: {ACCOUNTS} accounts, {ATTACKERS} attackers from {ADDRESSES} addresses: \
         {sent} attempts, {refused} refused after a password check, {throttled} throttled (429), {unavailable} overloaded (503), {other} other\n  \
         legitimate sign-ins ({SAMPLES} each): p99 {:.1} ms before (median {:.1} ms), p99 {:.1} ms during the flood (median {:.1} ms): ratio {:.2}",
        p_before * 1e3,
        median(&before) * 1e3,
        p_during * 1e3,
        median(&during) * 1e3,
        p_during / p_before
    );
    assert_eq!(other, 0, "attempts answered neither 401, 429 nor 503");
    assert!(throttled > 0, "the flood is throttled");
    assert!(checked_during > 0, "the flood made Trame check passwords while the legitimate sign-ins were measured");
    (p_before, p_during)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credential_stuffing_is_throttled_and_legitimate_sign_ins_keep_their_latency() {
    let _heavy = HEAVY.lock().await;
    let mut i = Install::scaled_out().await;
    i.extra_env.insert("TRAME_TRUSTED_PROXIES".into(), "127.0.0.1/32".into());
    // The address the test's browsers use, so that redirects keep their cookies.
    i.public_url = format!("http://127.0.0.1:{}", i.port);
    create_clients_and_user(&i);
    let server = i.serve().await;
    let base = server.base();

    let (b, d) = round(&i, &base, 1).await;
    if d <= 2.0 * b {
        return;
    }
    println!("p99 ratio {:.2} above 2: once more, with fresh accounts and addresses", d / b);
    let (b, d) = round(&i, &base, 2).await;
    assert!(d <= 2.0 * b, "legitimate sign-ins under the flood: p99 {:.1} ms, unloaded {:.1} ms (more than twice)", d * 1e3, b * 1e3);
}
