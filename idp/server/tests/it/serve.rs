//! `trame serve` as a process: zero configuration, changes made by the CLI
//! reaching a running server, host-based tenants, TLS with reloading, and
//! shutdown on SIGTERM.

use std::time::{Duration, Instant};

use crate::common::{self, Install, TestCa, secret_of};
use serde_json::Value;

async fn get_json(url: &str, host: Option<&str>) -> (u16, Value) {
    let mut req = reqwest::Client::new().get(url);
    if let Some(h) = host {
        req = req.header("host", h);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Polls `check` until it holds or `limit` passes; returns the time taken.
async fn within<F, Fut>(limit: Duration, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < limit, "condition not met within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    start.elapsed()
}

async fn client_credentials(base: &str, id: &str, secret: &str) -> u16 {
    let res =
        reqwest::Client::new().post(format!("{base}/token")).basic_auth(id, Some(secret)).form(&[("grant_type", "client_credentials")]).send().await.unwrap();
    res.status().as_u16()
}

#[tokio::test]
async fn zero_configuration_server_and_sigterm() {
    let i = Install::embedded();
    let mut server = i.serve().await;
    let (status, doc) = get_json(&format!("{}/.well-known/openid-configuration", server.base()), None).await;
    assert_eq!(status, 200);
    assert_eq!(doc["issuer"], i.public_url.as_str());
    assert_eq!(doc["token_endpoint"], format!("{}/token", i.public_url));
    let (status, ready) = get_json(&format!("{}/_trame/ready", server.base()), None).await;
    assert_eq!(status, 200, "{ready}");
    assert_eq!(ready["draining"], false);
    // The container health check: the same settings find the server.
    let probe = i.cli(&["probe"]);
    assert!(probe.status.success(), "{}", String::from_utf8_lossy(&probe.stderr));
    assert!(String::from_utf8_lossy(&probe.stdout).starts_with("ready"));
    let status = server.terminate();
    assert!(status.success(), "SIGTERM ends the server cleanly: {status:?}\n{}", server.log_text());
    assert!(server.log_text().contains("shutting down"));
    let probe = i.cli(&["probe"]);
    assert_eq!(probe.status.code(), Some(1), "no server, not ready");
    let other = i.cli(&["probe", "--url", &format!("http://127.0.0.1:{}/_trame/ready", common::free_port())]);
    assert_eq!(other.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&other.stderr).contains("no answer from"));
}

#[tokio::test]
async fn cli_changes_reach_running_servers() {
    for i in [Install::embedded(), Install::scaled_out().await] {
        let server = i.serve().await;
        let base = server.base();

        // A new tenant appears without a restart.
        i.ok(&["tenant", "add", "ville"]);
        let url = format!("{base}/ville/.well-known/openid-configuration");
        within(Duration::from_secs(5), || async { get_json(&url, None).await.0 == 200 }).await;
        assert_eq!(get_json(&url, None).await.1["issuer"], format!("{}/ville", i.public_url));

        // A new client can use the token endpoint; once removed, it cannot.
        let secret = secret_of(&i.ok(&["client", "add", "--tenant", "ville", "--client-id", "m2m", "--grant-type", "client_credentials", "--scope", "api"]));
        let tb = format!("{base}/ville");
        within(Duration::from_secs(5), || async { client_credentials(&tb, "m2m", &secret).await == 200 }).await;
        i.ok(&["client", "remove", "--tenant", "ville", "--client-id", "m2m"]);
        within(Duration::from_secs(5), || async { client_credentials(&tb, "m2m", &secret).await == 401 }).await;

        // A rotated key is published.
        let jwks_url = format!("{base}/ville/jwks");
        let out = i.ok(&["keys", "rotate", "--tenant", "ville", "--alg", "RS256"]);
        let kid = out.split_whitespace().nth(3).unwrap().trim_end_matches(',').to_owned();
        within(Duration::from_secs(5), || async {
            let (_, jwks) = get_json(&jwks_url, None).await;
            jwks["keys"].as_array().is_some_and(|k| k.iter().any(|k| k["kid"] == kid.as_str()))
        })
        .await;

        // A host-based tenant is chosen by the Host header.
        i.ok(&["tenant", "add", "metropole", "--issuer", "https://login.metropole.example"]);
        let url = format!("{base}/.well-known/openid-configuration");
        within(Duration::from_secs(5), || async { get_json(&url, Some("login.metropole.example")).await.1["issuer"] == "https://login.metropole.example" })
            .await;
        // The default tenant still answers on the public host.
        assert_eq!(get_json(&url, None).await.1["issuer"], i.public_url.as_str());
    }
}

async fn served_certificate(port: u16, root: &str) -> Vec<u8> {
    let b = reqwest::Client::builder().tls_info(true).add_root_certificate(reqwest::Certificate::from_pem(root.as_bytes()).unwrap());
    let res = b.build().unwrap().get(format!("https://localhost:{port}/_trame/health")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.extensions().get::<reqwest::tls::TlsInfo>().and_then(|t| t.peer_certificate()).unwrap().to_vec()
}

#[tokio::test]
async fn builtin_tls_serves_and_reloads_the_certificate() {
    let mut i = Install::embedded();
    i.public_url = format!("https://localhost:{}", i.port);
    let ca = TestCa::new();
    let (cert1, key1, der1) = ca.leaf("localhost");
    let cert_file = i.dir.path.join("cert.pem");
    let key_file = i.dir.path.join("key.pem");
    std::fs::write(&cert_file, &cert1).unwrap();
    std::fs::write(&key_file, &key1).unwrap();
    i.extra_env.insert("TRAME_TLS_CERT_FILE".into(), cert_file.display().to_string());
    i.extra_env.insert("TRAME_TLS_KEY_FILE".into(), key_file.display().to_string());

    let server = i.serve_tls().await;
    let (cert2, key2, der2) = ca.leaf("localhost");
    assert_eq!(served_certificate(server.port, &ca.pem).await, der1);

    // Renewal: new files are picked up without a restart (SIGHUP, or the
    // periodic check).
    std::fs::write(&key_file, &key2).unwrap();
    std::fs::write(&cert_file, &cert2).unwrap();
    let _ = std::process::Command::new("kill").args(["-HUP", &server.pid().to_string()]).status();
    within(Duration::from_secs(15), || async { served_certificate(server.port, &ca.pem).await == der2 }).await;
}
