//! What each request asks of the storage: database statements and
//! transactions, ephemeral-store operations (one Redis round trip each),
//! per endpoint, on both backends, compared with the committed budget
//! `operation_budget.txt` beside this file.
//!
//! Counts, not seconds: the same on every machine, so a change that adds a
//! query to a hot path fails here rather than in a benchmark months later.
//! Every flow runs twice and the second run is the one counted: caches
//! (tenant catalog, clients, keys) are warm, as on a server that has been
//! up for a while. A count above or below its budget fails; the message
//! lists what ran. After a deliberate change, rewrite the file with
//! `TRAME_BUDGET_UPDATE=1` and say why in the commit; `TRAME_BUDGET_SHOW=1`
//! prints what every request ran.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use trame_store::{Counts, Operations};
use trame_testkit::Backend;
use trame_testkit::authenticator::SoftAuthenticator;

use crate::common::*;
use crate::passkeys::{ORIGIN, open_signup, sign_up};

const BUDGET_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/operation_budget.txt");

/// Serialises rewrites of the budget file by the two backends' tests.
static UPDATING: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    name: String,
    counts: Counts,
    /// What ran, for the failure message.
    ran: Vec<String>,
}

struct Meter {
    db: Arc<Operations>,
    ephemeral: Arc<Operations>,
    /// Off during the warm-up run.
    on: bool,
    rows: Vec<Row>,
}

impl Meter {
    fn new(env: &Env) -> Self {
        Self { db: env.state.store.operations().clone(), ephemeral: env.state.ephemeral.operations().clone(), on: false, rows: Vec::new() }
    }

    fn reading(&self) -> Counts {
        let (d, e) = (self.db.counts(), self.ephemeral.counts());
        Counts { statements: d.statements, transactions: d.transactions, ephemeral: e.ephemeral }
    }

    /// Runs `f` (one request) and keeps what it asked of the storage under
    /// `name`.
    async fn count<T>(&mut self, name: impl Into<String>, f: impl Future<Output = T>) -> T {
        if !self.on {
            return f.await;
        }
        self.db.record(true);
        self.ephemeral.record(true);
        let before = self.reading();
        let out = f.await;
        let counts = self.reading() - before;
        self.db.record(false);
        self.ephemeral.record(false);
        // The two recordings interleaved would be nicer; one after the
        // other is enough to see what ran.
        let mut ran = self.db.take_recorded();
        ran.extend(self.ephemeral.take_recorded());
        let name = name.into();
        assert!(!self.rows.iter().any(|r| r.name == name), "two rows named {name}");
        self.rows.push(Row { name, counts, ran });
        out
    }
}

/// Follows the browser's redirects and pages until the response goes to
/// the client, counting each request as `"{flow} {n}: {METHOD} {path}"`;
/// returns the URL at the client.
async fn follow(m: &mut Meter, b: &mut Browser, flow: &str, mut n: usize, mut r: Resp) -> String {
    for _ in 0..10 {
        if r.status == StatusCode::SEE_OTHER {
            let loc = r.location().unwrap();
            let url = url::Url::parse(&loc).unwrap();
            if url.authority() != HOST {
                return loc;
            }
            n += 1;
            r = m.count(format!("{flow} {n}: GET {}", url.path()), b.get(&loc)).await;
            continue;
        }
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("name=\"decision\""), "unexpected page: {}", r.body);
        let ia = r.input("interaction").unwrap();
        let csrf = r.input("csrf").unwrap();
        n += 1;
        r = m.count(format!("{flow} {n}: POST /consent"), b.post("/consent", &[("interaction", &ia), ("csrf", &csrf), ("decision", "approve")])).await;
    }
    panic!("too many steps");
}

/// The password code flow in a new browser, then every token endpoint.
async fn password_flow_and_tokens(env: &Env, m: &mut Meter) {
    let flow = "password sign-in";
    let mut b = env.browser();
    let params = basic_params("openid profile email offline_access");
    let r = m.count(format!("{flow} 1: GET /authorize"), b.authorize(&params)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = m.count(format!("{flow} 2: GET /login"), b.get(&r.location().unwrap())).await;
    let r = m.count(format!("{flow} 3: POST /login"), b.submit_login(&page, USERNAME, PASSWORD)).await;
    let redirect = follow(m, &mut b, flow, 3, r).await;
    let code = query_param(&redirect, "code").expect("a code");

    let t = m
        .count(
            "POST /token authorization_code",
            env.token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]),
        )
        .await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.body);
    let t = t.json();
    let access = t["access_token"].as_str().unwrap();
    let refresh = t["refresh_token"].as_str().unwrap();

    let r = m.count("GET /userinfo", env.userinfo(access)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = m.count("POST /introspect, access token", env.post_form("/introspect", &[("token", access)], Some((BASIC_ID, BASIC_SECRET)))).await;
    assert_eq!(r.json()["active"], true, "{}", r.body);
    let r = m.count("POST /introspect, refresh token", env.post_form("/introspect", &[("token", refresh)], Some((BASIC_ID, BASIC_SECRET)))).await;
    assert_eq!(r.json()["active"], true, "{}", r.body);
    let r = m.count("POST /token refresh_token", env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", refresh)])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rotated = r.json()["refresh_token"].as_str().unwrap().to_owned();
    let r = m.count("POST /revoke, refresh token", env.post_form("/revoke", &[("token", &rotated)], Some((BASIC_ID, BASIC_SECRET)))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = m.count("POST /revoke, access token", env.post_form("/revoke", &[("token", access)], Some((BASIC_ID, BASIC_SECRET)))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The same browser, signed in: single sign-on.
    let flow = "signed in already";
    let mut state = basic_params("openid");
    state.retain(|(k, _)| *k != "state");
    state.push(("state", "again"));
    let r = m.count(format!("{flow} 1: GET /authorize"), b.authorize(&state)).await;
    let redirect = follow(m, &mut b, flow, 1, r).await;
    assert!(query_param(&redirect, "code").is_some(), "{redirect}");
}

async fn client_credentials(env: &Env, m: &mut Meter) {
    let r = m
        .count(
            "POST /token client_credentials",
            env.post_form("/token", &[("grant_type", "client_credentials"), ("client_id", POST_ID), ("client_secret", POST_SECRET)], None),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// A passkey sign-in at the login page, discoverable credential.
async fn passkey_flow(env: &Env, m: &mut Meter, auth: &mut SoftAuthenticator) {
    let flow = "passkey sign-in";
    let mut b = env.browser();
    let r = m.count(format!("{flow} 1: GET /authorize"), b.authorize(&basic_params("openid"))).await;
    let page = m.count(format!("{flow} 2: GET /login"), b.get(&r.location().unwrap())).await;
    let (ia, csrf) = (page.input("interaction").unwrap(), page.input("csrf").unwrap());
    let options = m.count(format!("{flow} 3: POST /passkey/options"), b.post_json("/passkey/options", &json!({ "interaction": ia, "csrf": csrf }))).await;
    assert_eq!(options.status, StatusCode::OK, "{}", options.body);
    let credential = auth.sign_in(&options.json(), ORIGIN).await.unwrap();
    let done = m
        .count(format!("{flow} 4: POST /passkey/finish"), b.post_json("/passkey/finish", &json!({ "interaction": ia, "csrf": csrf, "credential": credential })))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let next = done.json()["location"].as_str().unwrap().to_owned();
    let r = m.count(format!("{flow} 5: GET {}", url::Url::parse(&format!("http://{HOST}")).unwrap().join(&next).unwrap().path()), b.get(&next)).await;
    let redirect = follow(m, &mut b, flow, 5, r).await;
    assert!(query_param(&redirect, "code").is_some(), "{redirect}");
}

async fn documents(env: &Env, m: &mut Meter) {
    for path in ["/.well-known/openid-configuration", "/jwks"] {
        let r = m
            .count(format!("GET {path}"), env.send(Request::builder().method(Method::GET).uri(path).header(header::HOST, HOST).body(Body::empty()).unwrap()))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
}

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// The committed rows: (name, backend) → counts.
fn read_budget(text: &str) -> Vec<(String, String, Counts)> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('|').map(str::trim).collect();
            assert_eq!(f.len(), 5, "a budget line has five fields: {l}");
            let n = |i: usize| f[i].parse::<u64>().unwrap_or_else(|_| panic!("not a count: {l}"));
            (f[0].to_owned(), f[1].to_owned(), Counts { statements: n(2), transactions: n(3), ephemeral: n(4) })
        })
        .collect()
}

const HEADER: &str = "\
# Storage operations per request, counted by idp/web/tests/it/operation_budget.rs
# (a warm server: every flow ran once before). Rewrite with
# TRAME_BUDGET_UPDATE=1 after a deliberate change, and say why.
# SQL calls are round trips to the database: one call may carry several
# statements (on SQLite, the refresh rotation's three). Each transaction
# adds two more round trips (BEGIN, then COMMIT or ROLLBACK).
#
# request | backend | SQL calls | transactions | ephemeral-store operations
";

fn write_budget(rows: &[(String, String, Counts)]) -> String {
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut out = HEADER.to_owned();
    for (name, backend, c) in rows {
        writeln!(out, "{name:width$} | {backend:8} | {:3} | {:3} | {:3}", c.statements, c.transactions, c.ephemeral).unwrap();
    }
    out
}

crate::backend_test!(async fn every_endpoint_stays_within_its_storage_budget(env) {
    open_signup(&env).await;
    let mut auth = SoftAuthenticator::new();
    let mut b = env.browser();
    let done = sign_up(&mut b, &mut auth, "camille").await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    let mut m = Meter::new(&env);
    for on in [false, true] {
        m.on = on;
        password_flow_and_tokens(&env, &mut m).await;
        client_credentials(&env, &mut m).await;
        passkey_flow(&env, &mut m, &mut auth).await;
        documents(&env, &mut m).await;
    }

    let backend = backend_name(env.backend);
    if std::env::var_os("TRAME_BUDGET_SHOW").is_some() {
        let mut out = String::new();
        for row in &m.rows {
            writeln!(out, "{backend} {}: {:?}", row.name, row.counts).unwrap();
            for r in &row.ran {
                writeln!(out, "    {r}").unwrap();
            }
        }
        eprintln!("{out}");
    }
    let committed = read_budget(&std::fs::read_to_string(BUDGET_FILE).unwrap_or_default());
    if std::env::var_os("TRAME_BUDGET_UPDATE").is_some() {
        let _held = UPDATING.lock().unwrap_or_else(|e| e.into_inner());
        let mut all = read_budget(&std::fs::read_to_string(BUDGET_FILE).unwrap_or_default());
        all.retain(|r| r.1 != backend);
        all.extend(m.rows.iter().map(|r| (r.name.clone(), backend.to_owned(), r.counts)));
        // Rows in the order the flows run, each request's backends together.
        let order: Vec<String> = m.rows.iter().map(|r| r.name.clone()).collect();
        all.sort_by_key(|r| (order.iter().position(|n| *n == r.0).unwrap_or(usize::MAX), r.1.clone()));
        std::fs::write(BUDGET_FILE, write_budget(&all)).unwrap();
        return;
    }

    let mut problems = String::new();
    for row in &m.rows {
        match committed.iter().find(|c| c.0 == row.name && c.1 == backend) {
            None => writeln!(problems, "{}: no budget ({:?})", row.name, row.counts).unwrap(),
            Some(c) if c.2 != row.counts => {
                writeln!(problems, "{}: budget {:?}, counted {:?}; what ran:", row.name, c.2, row.counts).unwrap();
                for r in &row.ran {
                    writeln!(problems, "    {r}").unwrap();
                }
            }
            Some(_) => {}
        }
    }
    for c in committed.iter().filter(|c| c.1 == backend) {
        if !m.rows.iter().any(|r| r.name == c.0) {
            writeln!(problems, "{}: in the budget, not requested any more", c.0).unwrap();
        }
    }
    assert!(problems.is_empty(), "storage operations differ from {BUDGET_FILE} ({backend}); if the change is deliberate, rerun with TRAME_BUDGET_UPDATE=1:\n{problems}");
});
