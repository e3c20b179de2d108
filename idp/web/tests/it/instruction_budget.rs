//! Instructions per request on the hot endpoints, counted by valgrind's
//! callgrind and compared with the committed budget
//! `instruction_budget.txt` beside this file, within a tolerance.
//!
//! Instructions, not seconds: the count is the same from one run to the
//! next whatever else the machine does, so a change that makes a hot
//! endpoint do much more work fails CI anywhere, where a timed test would
//! fail at random. The test runs this same test binary again under
//! callgrind (only this test, marked by `TRAME_UNDER_CALLGRIND`); there
//! each endpoint is called in a function of its own, and that function's
//! inclusive cost divided by the number of calls is the figure. What the
//! database does on its own threads is not in it: the storage budget
//! (`operation_budget.rs`) counts the statements.
//!
//! The embedded setup (SQLite, in-process ephemeral store) and a log
//! subscriber at `info`, the defaults an operator runs. The figures hold
//! for a release build (`cargo test --release`, as `./test.sh` runs);
//! under a debug build the test says so and checks nothing.
//! After a deliberate change, `TRAME_BUDGET_UPDATE=1` rewrites the file.

use std::fmt::Write as _;
use std::process::Command;

use axum::http::StatusCode;
use tokio::runtime::Runtime;
use trame_testkit::{Backend, TempDir};

use crate::common::*;

const BUDGET_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/instruction_budget.txt");
const UNDER_CALLGRIND: &str = "TRAME_UNDER_CALLGRIND";
/// Calls counted per endpoint, after as many uncounted ones to warm caches.
const CALLS: u64 = 40;
/// How far a count may stray from its budget, either way, before the test
/// fails: compilers and libraries move counts by a few percent; doubling
/// the work is far outside.
const TOLERANCE: f64 = 0.20;

type Call = fn(&Runtime, &Env, &mut Tokens);

struct Tokens {
    access: String,
    refresh: String,
}

// One non-generic, never-inlined function per endpoint, so each is a
// symbol of its own in callgrind's profile.

#[inline(never)]
fn measured_discovery(rt: &Runtime, env: &Env, _: &mut Tokens) {
    let r = rt.block_on(env.get("/.well-known/openid-configuration"));
    assert_eq!(r.status, StatusCode::OK);
}

#[inline(never)]
fn measured_jwks(rt: &Runtime, env: &Env, _: &mut Tokens) {
    let r = rt.block_on(env.get("/jwks"));
    assert_eq!(r.status, StatusCode::OK);
}

#[inline(never)]
fn measured_client_credentials(rt: &Runtime, env: &Env, _: &mut Tokens) {
    let r = rt.block_on(env.post_form("/token", &[("grant_type", "client_credentials"), ("client_id", POST_ID), ("client_secret", POST_SECRET)], None));
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[inline(never)]
fn measured_userinfo(rt: &Runtime, env: &Env, t: &mut Tokens) {
    let r = rt.block_on(env.userinfo(&t.access));
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[inline(never)]
fn measured_introspection(rt: &Runtime, env: &Env, t: &mut Tokens) {
    let r = rt.block_on(env.post_form("/introspect", &[("token", &t.access)], Some((BASIC_ID, BASIC_SECRET))));
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[inline(never)]
fn measured_refresh(rt: &Runtime, env: &Env, t: &mut Tokens) {
    let r = rt.block_on(env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", &t.refresh)]));
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    t.refresh = r.json()["refresh_token"].as_str().unwrap().to_owned();
}

const ENDPOINTS: [(&str, &str, Call); 6] = [
    ("GET /.well-known/openid-configuration", "measured_discovery", measured_discovery),
    ("GET /jwks", "measured_jwks", measured_jwks),
    ("POST /token client_credentials", "measured_client_credentials", measured_client_credentials),
    ("GET /userinfo", "measured_userinfo", measured_userinfo),
    ("POST /introspect", "measured_introspection", measured_introspection),
    ("POST /token refresh_token", "measured_refresh", measured_refresh),
];

/// Under callgrind: every endpoint, warm, then counted.
fn calls_under_callgrind() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let env = rt.block_on(Env::new(Backend::Sqlite));
    let t = rt.block_on(env.tokens_basic("openid profile email offline_access"));
    let mut tokens = Tokens { access: t["access_token"].as_str().unwrap().to_owned(), refresh: t["refresh_token"].as_str().unwrap().to_owned() };
    // The server's default: `info`, formatted lines without colours (as
    // `trame serve` writes them to a file or journald; written nowhere here).
    let logs = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("info,sea_orm_migration=warn,sqlx=warn"))
        .with_ansi(false)
        .with_writer(std::io::sink)
        .finish();
    tracing::subscriber::with_default(logs, || {
        for (_, _, call) in ENDPOINTS {
            for _ in 0..CALLS {
                call(&rt, &env, &mut tokens);
            }
            for _ in 0..CALLS {
                call(&rt, &env, &mut tokens);
            }
        }
    });
}

/// Inclusive instructions of each `measured_*` function in the profile.
fn read_profile(file: &std::path::Path) -> Vec<(String, u64)> {
    let out = Command::new("callgrind_annotate")
        .args(["--inclusive=yes", "--threshold=100"])
        .arg(file)
        .output()
        .expect("callgrind_annotate runs (Debian package valgrind)");
    assert!(out.status.success(), "callgrind_annotate: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    ENDPOINTS
        .iter()
        .map(|(name, symbol, _)| {
            let line = text
                .lines()
                .find(|l| l.contains(&format!("::{symbol} ")) || l.contains(&format!("::{symbol}[")) || l.ends_with(&format!("::{symbol}")))
                .unwrap_or_else(|| panic!("{symbol} is not in the profile:\n{text}"));
            let total: u64 = line.split_whitespace().next().unwrap().replace(',', "").parse().unwrap();
            // The first half of the calls warmed caches; both halves ran
            // inside the function, so the figure is the mean of all.
            (name.to_string(), total / (2 * CALLS))
        })
        .collect()
}

fn read_budget(text: &str) -> Vec<(String, u64)> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, n) = l.rsplit_once('|').unwrap_or_else(|| panic!("a budget line is `request | instructions`: {l}"));
            (name.trim().to_owned(), n.trim().parse().unwrap_or_else(|_| panic!("not a count: {l}")))
        })
        .collect()
}

#[test]
fn hot_endpoints_stay_within_their_instruction_budget() {
    if std::env::var_os(UNDER_CALLGRIND).is_some() {
        return calls_under_callgrind();
    }
    if cfg!(debug_assertions) {
        eprintln!("instruction budget: a debug build's counts mean nothing against the release budget; run `cargo test --release`");
        return;
    }
    let dir = TempDir::new("trame-callgrind");
    let profile = dir.path.join("callgrind.out");
    let me = std::env::current_exe().unwrap();
    let run = Command::new("valgrind")
        .args(["--tool=callgrind", "--quiet"])
        .arg(format!("--callgrind-out-file={}", profile.display()))
        .arg(&me)
        .args(["--exact", "instruction_budget::hot_endpoints_stay_within_their_instruction_budget", "--test-threads=1", "--nocapture"])
        .env(UNDER_CALLGRIND, "1")
        .output()
        .expect("valgrind runs (Debian package valgrind)");
    assert!(run.status.success(), "the calls under callgrind failed:\n{}\n{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    let counted = read_profile(&profile);

    if std::env::var_os("TRAME_BUDGET_UPDATE").is_some() {
        let mut out = String::from(
            "# Instructions per request, counted by callgrind in idp/web/tests/it/instruction_budget.rs\n\
             # (release build, embedded storage, logs at info). Rewrite with TRAME_BUDGET_UPDATE=1\n\
             # after a deliberate change, and say why.\n#\n# request | instructions\n",
        );
        let width = counted.iter().map(|c| c.0.len()).max().unwrap_or(0);
        for (name, n) in &counted {
            writeln!(out, "{name:width$} | {n}").unwrap();
        }
        std::fs::write(BUDGET_FILE, out).unwrap();
        return;
    }
    let budget = read_budget(&std::fs::read_to_string(BUDGET_FILE).unwrap_or_default());
    let mut problems = String::new();
    for (name, n) in &counted {
        let Some((_, b)) = budget.iter().find(|b| b.0 == *name) else {
            writeln!(problems, "{name}: no budget (counted {n})").unwrap();
            continue;
        };
        let ratio = *n as f64 / *b as f64;
        if (ratio - 1.0).abs() > TOLERANCE {
            writeln!(problems, "{name}: budget {b}, counted {n} ({:+.0} %)", (ratio - 1.0) * 100.0).unwrap();
        }
    }
    assert!(
        problems.is_empty(),
        "instructions per request differ from {BUDGET_FILE} by more than {:.0} %; if the change is deliberate, rerun with TRAME_BUDGET_UPDATE=1:\n{problems}",
        TOLERANCE * 100.0
    );
}
