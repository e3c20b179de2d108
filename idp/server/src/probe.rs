//! `trame probe`: asks a running server whether it is ready, for container
//! health checks in images that have no HTTP client (curl, wget) to do it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use trame_settings::Config;

/// Under a container engine's usual 5 s health check timeout, and above
/// readiness' own 1 s per store, so a slow store reads as "not ready", not
/// as a probe that hung.
const TIMEOUT: Duration = Duration::from_secs(4);

/// The readiness URL of the server these settings describe: its `listen`
/// address (loopback when it listens on every address), `https` with the
/// built-in TLS.
pub fn default_url(config: &Config) -> String {
    let ip = match config.listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let scheme = if config.tls.is_some() { "https" } else { "http" };
    format!("{scheme}://{}/_trame/ready", SocketAddr::new(ip, config.listen.port()))
}

/// Ok when the server answers 2xx; the error says what it answered.
pub async fn run(config: &Config, url: Option<&str>) -> Result<()> {
    let url = url.map_or_else(|| default_url(config), str::to_owned);
    let parsed = url::Url::parse(&url).with_context(|| format!("'{url}' is not a URL"))?;
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    // The server's certificate names its public host, not 127.0.0.1. On the
    // loopback interface the probe sends nothing secret and only reads a
    // status, so the name is not checked there; anywhere else it is.
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(loopback)
        .build()
        .context("cannot set up the HTTP client")?;
    let res = client.get(parsed).send().await.with_context(|| format!("no answer from {url}"))?;
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    if !status.is_success() {
        bail!("not ready: {url} answered {status}: {}", body.trim());
    }
    println!("ready: {}", body.trim());
    Ok(())
}
