//! What an operator observes: Prometheus metrics on their own listener
//! (`metrics_listen`), and JSON logs without personal data.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{self, Install, PKCE_CHALLENGE, PKCE_VERIFIER, free_port, hidden, secret_of, sign_in_across, urlencode};

const REDIRECT: &str = "http://localhost:9/cb";
const USERNAME: &str = "Camille.Durand";
const EMAIL: &str = "camille.durand@example.fr";
const PASSWORD: &str = "un mot de passe assez long";
const WRONG_PASSWORD: &str = "pas-le-bon-mot-de-passe-42";

/// The samples of a Prometheus text exposition: (name, labels) → value.
fn samples(text: &str) -> BTreeMap<(String, BTreeMap<String, String>), f64> {
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {line}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("not a value: {line}"));
        let (name, labels) = match series.split_once('{') {
            Some((name, rest)) => {
                let body = rest.strip_suffix('}').unwrap_or_else(|| panic!("unclosed labels: {line}"));
                let labels = body
                    .split(',')
                    .map(|kv| {
                        let (k, v) = kv.split_once('=').unwrap_or_else(|| panic!("bad label: {line}"));
                        (k.to_owned(), v.trim_matches('"').to_owned())
                    })
                    .collect();
                (name.to_owned(), labels)
            }
            None => (series.to_owned(), BTreeMap::new()),
        };
        assert!(out.insert((name, labels), value).is_none(), "duplicate series: {line}");
    }
    out
}

fn value(s: &BTreeMap<(String, BTreeMap<String, String>), f64>, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let labels = labels.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    s.get(&(name.to_owned(), labels)).copied()
}

/// An installation with a user, a confidential client for the browser
/// flow and one for client credentials. Returns (rp secret, m2m secret).
fn populate(i: &Install) -> (String, String) {
    i.ok_with_input(&["user", "add", "--username", USERNAME, "--email", EMAIL, "--given-name", "Camille", "--password-stdin"], &format!("{PASSWORD}\n"));
    let rp = secret_of(&i.ok(&["client", "add", "--client-id", "rp", "--redirect-uri", REDIRECT, "--scope", "openid profile"]));
    let m2m = secret_of(&i.ok(&["client", "add", "--client-id", "m2m", "--grant-type", "client_credentials", "--scope", "api"]));
    (rp, m2m)
}

async fn client_credentials(base: &str, secret: &str) -> u16 {
    let res = reqwest::Client::new()
        .post(format!("{base}/token"))
        .basic_auth("m2m", Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    res.status().as_u16()
}

/// Starts a sign-in at `/authorize` and posts a wrong password for
/// [`USERNAME`]: the page answers 401.
async fn failed_sign_in(base: &str, public_url: &str) {
    let browser = common::http();
    let url = format!(
        "{base}/authorize?response_type=code&client_id=rp&redirect_uri={}&scope=openid&state=s&nonce=n&code_challenge={PKCE_CHALLENGE}&code_challenge_method=S256",
        urlencode(REDIRECT)
    );
    let res = browser.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let login = res.headers()["location"].to_str().unwrap().to_owned();
    let login = if login.starts_with('/') { format!("{base}{login}") } else { login.replacen(public_url, base, 1) };
    let html = browser.get(&login).send().await.unwrap().text().await.unwrap();
    let form = [
        ("interaction", hidden(&html, "interaction").expect("interaction field")),
        ("csrf", hidden(&html, "csrf").expect("csrf field")),
        ("username", USERNAME.to_owned()),
        ("password", WRONG_PASSWORD.to_owned()),
    ];
    let res = browser.post(&login).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 401, "a wrong password is refused");
}

#[tokio::test]
async fn metrics_are_served_on_their_own_listener() {
    let mut i = Install::embedded();
    // The OS may hand out the same free port twice in a row.
    let metrics_port = std::iter::repeat_with(free_port).find(|p| *p != i.port).expect("a second free port");
    i.extra_env.insert("TRAME_METRICS_LISTEN".into(), format!("127.0.0.1:{metrics_port}"));
    let (_, m2m) = populate(&i);
    let server = i.serve().await;
    let base = server.base();
    let scrape = || async move {
        let res = reqwest::get(format!("http://127.0.0.1:{metrics_port}/metrics")).await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
        res.text().await.unwrap()
    };

    assert_eq!(reqwest::get(format!("{base}/.well-known/openid-configuration")).await.unwrap().status(), 200);
    assert_eq!(client_credentials(&base, &m2m).await, 200);
    assert_eq!(client_credentials(&base, "not-the-secret").await, 401, "refused: no token counted");
    failed_sign_in(&base, &i.public_url).await;
    // The public listener does not publish metrics.
    assert_eq!(reqwest::get(format!("{base}/metrics")).await.unwrap().status(), 404);
    // The metrics listener serves nothing else.
    assert_eq!(reqwest::get(format!("http://127.0.0.1:{metrics_port}/")).await.unwrap().status(), 404);

    let text = scrape().await;
    let s = samples(&text);
    let http = |route: &str, method: &str, status: &str| value(&s, "trame_http_requests_total", &[("route", route), ("method", method), ("status", status)]);
    assert_eq!(http("/.well-known/openid-configuration", "GET", "2xx"), Some(1.0), "{text}");
    assert_eq!(http("/token", "POST", "2xx"), Some(1.0), "{text}");
    assert_eq!(http("/token", "POST", "4xx"), Some(1.0), "{text}");
    assert_eq!(http("/authorize", "GET", "3xx"), Some(1.0), "{text}");
    assert_eq!(http("/login", "GET", "2xx"), Some(1.0), "{text}");
    assert_eq!(http("/login", "POST", "4xx"), Some(1.0), "{text}");
    assert_eq!(http("/login", "POST", "2xx"), None, "no sign-in succeeded");
    // The public /metrics matched no route: counted under one bounded label.
    assert_eq!(http("unmatched", "GET", "4xx"), Some(1.0), "{text}");
    // Health probes of the test harness went through the outer router.
    assert!(http("/_trame/health", "GET", "2xx").is_some_and(|n| n >= 1.0), "{text}");
    // Latency: a histogram per route and method, whose count matches.
    let count = |route: &str, method: &str| value(&s, "trame_http_request_duration_seconds_count", &[("route", route), ("method", method)]);
    assert_eq!(count("/token", "POST"), Some(2.0), "{text}");
    assert_eq!(value(&s, "trame_http_request_duration_seconds_bucket", &[("route", "/token"), ("method", "POST"), ("le", "+Inf")]), Some(2.0));

    assert_eq!(value(&s, "trame_tokens_issued_total", &[("grant_type", "client_credentials")]), Some(1.0), "{text}");
    assert_eq!(value(&s, "trame_tokens_issued_total", &[("grant_type", "authorization_code")]), None);
    assert_eq!(value(&s, "trame_sign_ins_total", &[("method", "password"), ("outcome", "failure")]), Some(1.0), "{text}");
    assert_eq!(value(&s, "trame_sign_ins_total", &[("method", "password"), ("outcome", "success")]), None);
    assert_eq!(value(&s, "trame_build_info", &[("version", env!("CARGO_PKG_VERSION"))]), Some(1.0), "{text}");
    assert_eq!(value(&s, "trame_ready", &[]), Some(1.0), "{text}");
    assert_eq!(value(&s, "trame_store_up", &[("store", "durable")]), Some(1.0));
    assert_eq!(value(&s, "trame_store_up", &[("store", "ephemeral")]), Some(1.0));
    assert!(!s.keys().any(|(n, _)| n == "trame_store_errors_total"), "no store failed: {text}");

    // Labels carry nothing personal and no raw path.
    for needle in [USERNAME, &USERNAME.to_lowercase(), EMAIL, WRONG_PASSWORD, "127.0.0.1", "interaction=", "m2m"] {
        assert!(!text.contains(needle), "the metrics contain {needle}:\n{text}");
    }
    // Every label belongs to the documented, bounded set.
    for (name, labels) in s.keys() {
        for k in labels.keys() {
            assert!(["route", "method", "status", "le", "grant_type", "outcome", "store", "kind", "version"].contains(&k.as_str()), "{name} has label {k}");
        }
    }

    // Counters only grow: a second scrape after one more request.
    assert_eq!(client_credentials(&base, &m2m).await, 200);
    let s = samples(&scrape().await);
    assert_eq!(value(&s, "trame_tokens_issued_total", &[("grant_type", "client_credentials")]), Some(2.0));
}

#[tokio::test]
async fn metrics_settings_are_checked_at_start() {
    let mut i = Install::embedded();
    let refused = |i: &Install| {
        let out = i.cli(&["serve"]);
        assert!(!out.status.success(), "serve must refuse to start");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    i.extra_env.insert("TRAME_METRICS_LISTEN".into(), "localhost:metrics".into());
    let err = refused(&i);
    assert!(err.contains("metrics_listen: 'localhost:metrics' is not an address such as 127.0.0.1:9464"), "{err}");
    // Not on the public listener.
    i.extra_env.insert("TRAME_METRICS_LISTEN".into(), format!("0.0.0.0:{}", i.port));
    let err = refused(&i);
    assert!(err.contains("metrics_listen: must not be the address of listen"), "{err}");
    // A port already taken stops the start, named by its setting.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    i.extra_env.insert("TRAME_METRICS_LISTEN".into(), addr.to_string());
    let err = refused(&i);
    assert!(err.contains(&format!("cannot listen on {addr} (metrics_listen)")), "{err}");
    // check-config names the problem too.
    i.extra_env.insert("TRAME_METRICS_LISTEN".into(), "9464".into());
    let out = i.cli(&["check-config"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("metrics_listen: '9464' is not an address"), "{}", String::from_utf8_lossy(&out.stdout));
}

#[tokio::test]
async fn json_logs_carry_no_personal_data() {
    let mut i = Install::embedded();
    i.extra_env.insert("TRAME_LOG_FORMAT".into(), "json".into());
    // Debug, so that request spans and library events are written too.
    i.extra_env.insert("TRAME_LOG_LEVEL".into(), "debug".into());
    let (rp, m2m) = populate(&i);
    let mut server = i.serve().await;
    let base = server.base();

    failed_sign_in(&base, &i.public_url).await;
    let browser = common::http();
    let code = sign_in_across(std::slice::from_ref(&base), &i.public_url, &browser, "rp", REDIRECT, USERNAME, PASSWORD).await;
    let res = reqwest::Client::new()
        .post(format!("{base}/token"))
        .basic_auth("rp", Some(&rp))
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", REDIRECT), ("code_verifier", PKCE_VERIFIER)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let tokens: Value = res.json().await.unwrap();
    let access_token = tokens["access_token"].as_str().unwrap().to_owned();
    let res = reqwest::Client::new().get(format!("{base}/userinfo")).bearer_auth(&access_token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(client_credentials(&base, &m2m).await, 200);
    assert!(server.terminate().success());

    let log = server.log_text();
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines.len() > 10, "{log}");
    let mut messages = Vec::new();
    for line in &lines {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(v["timestamp"].is_string() && v["level"].is_string(), "{line}");
        messages.push(v["message"].as_str().unwrap_or_default().to_owned());
    }
    // The events this test caused are there, so their absence of data means something.
    assert!(messages.iter().filter(|m| *m == "sign-in").count() >= 2, "a failed and a successful sign-in: {log}");
    assert!(messages.iter().any(|m| m == "tokens issued"), "{log}");
    assert!(!messages.iter().any(|m| m == "metrics listening"), "no metrics listener without metrics_listen");
    let lower = log.to_lowercase();
    for needle in [USERNAME, EMAIL, PASSWORD, WRONG_PASSWORD, &code, &access_token, &rp, &m2m, "camille"] {
        assert!(!lower.contains(&needle.to_lowercase()), "the log contains {needle}:\n{log}");
    }
}
