//! Requests Trame makes to other servers: a client's `jwks_uri`, a
//! `sector_identifier_uri`, back-channel logout notifications, federation
//! statements, peer logos. One client per reach with a short timeout and no
//! redirects (a redirect could lead a request somewhere the registration
//! did not name), and bodies read with a size limit, chunk by chunk, so a
//! hostile server cannot exhaust memory.
//!
//! Proxies: the environment's (`HTTPS_PROXY`, `ALL_PROXY`…) are never used.
//! Through a proxy a name travels unresolved, so the resolver that keeps
//! only public addresses would never run. Only the `outbound_proxy` setting
//! sends requests through a proxy, and then, under [`Reach::PublicOnly`],
//! [`Client::guard`] resolves the name first and refuses it unless *every*
//! address is public (the proxy resolves it again: the proxy should refuse
//! private destinations as well, against a name that changes its answer).

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use url::Url;

mod reach;

use crate::usage::Usage;

pub use reach::{NotPublic, check_url, describe_policy, for_issuer, is_local_issuer, is_public};
/// The settings' types (trame-settings): the reach, and the proxy checked
/// as the HTTP library will take it.
pub use trame_settings::outbound::{ProxyUrl, Reach};

/// Largest document Trame reads from another server.
pub const MAX_DOCUMENT: usize = 64 * 1024;

/// The longest any outbound request takes, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The outbound HTTP client of one reach.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    reach: Reach,
    proxied: bool,
    /// Where the hosts this client reaches are counted (the transparency
    /// page lists them); none in tests that build a bare client.
    usage: Option<Arc<Usage>>,
}

impl Client {
    /// With [`Reach::PublicOnly`] and no proxy, names resolve to public
    /// addresses only (address literals: [`check_url`]); with a proxy, see
    /// [`Client::guard`].
    pub fn new(reach: Reach, proxy: Option<&ProxyUrl>) -> Self {
        // Never the environment's proxies (see the module's comment).
        let mut builder = reqwest::Client::builder().no_proxy();
        match (proxy, reach) {
            // The proxy's own name resolves normally: it usually is on the
            // private network. Destinations are checked by `guard`.
            // `ProxyUrl::parse` refuses what `Proxy::all` refuses (see
            // `usable_as_proxy` in trame-settings, and the test below).
            (Some(p), _) => builder = builder.proxy(reqwest::Proxy::all(p.url().clone()).expect("ProxyUrl::parse checked it")),
            (None, Reach::PublicOnly) => builder = builder.dns_resolver(reach::PublicResolver),
            (None, Reach::Anywhere) => {}
        }
        let http = builder
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(3))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("trame/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("an HTTP client with default TLS settings builds");
        Self { http, reach, proxied: proxy.is_some(), usage: None }
    }

    /// Counts every host this client is allowed to reach in `usage`.
    pub fn counted_in(mut self, usage: Arc<Usage>) -> Self {
        self.usage = Some(usage);
        self
    }

    pub fn reach(&self) -> Reach {
        self.reach
    }

    /// The underlying client, for requests built by hand: call
    /// [`Client::guard`] on their URL first.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Refuses a URL outside the reach before anything is sent: address
    /// literals always, names too when a proxy would resolve them.
    /// Every request goes through here, so this is where the host it is
    /// about to reach is counted.
    pub async fn guard(&self, url: &str) -> Result<(), FetchError> {
        self.check(url).await?;
        if let (Some(usage), Some(host)) = (&self.usage, host_of(url)) {
            usage.host(&host);
        }
        Ok(())
    }

    async fn check(&self, url: &str) -> Result<(), FetchError> {
        check_url(url, self.reach).map_err(|_| FetchError::NotPublic)?;
        if !self.proxied || self.reach == Reach::Anywhere {
            return Ok(());
        }
        let u = Url::parse(url).map_err(|_| FetchError::NotPublic)?;
        let Some(url::Host::Domain(name)) = u.host() else {
            return Ok(());
        };
        let port = u.port_or_known_default().unwrap_or(443);
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((name, port)).await.map_err(|_| FetchError::Unresolved)?.collect();
        if addrs.is_empty() || addrs.iter().any(|a| !is_public(a.ip())) {
            return Err(FetchError::NotPublic);
        }
        Ok(())
    }
}

/// The host of a URL as the transparency page lists it: the name or
/// address, and the port when it is not the scheme's default.
pub fn host_of(url: &str) -> Option<String> {
    let u = Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(match u.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// A node's outbound clients, one per reach, each built on first use
/// (loading the system's trust store costs more than the rest of start-up).
pub struct Clients {
    proxy: Option<ProxyUrl>,
    usage: Arc<Usage>,
    public: OnceLock<Client>,
    anywhere: OnceLock<Client>,
}

impl Clients {
    pub fn new(proxy: Option<ProxyUrl>, usage: Arc<Usage>) -> Self {
        Self { proxy, usage, public: OnceLock::new(), anywhere: OnceLock::new() }
    }

    pub fn get(&self, reach: Reach) -> &Client {
        let cell = match reach {
            Reach::PublicOnly => &self.public,
            Reach::Anywhere => &self.anywhere,
        };
        cell.get_or_init(|| Client::new(reach, self.proxy.as_ref()).counted_in(self.usage.clone()))
    }
}

/// Why a fetch failed, for logs (never the body). Callers answering an
/// outside party give one fixed text whatever the variant, so that nobody
/// learns through Trame which ports of which hosts are open.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("the request failed")]
    Request(#[source] reqwest::Error),
    #[error("the destination is not a public address")]
    NotPublic,
    #[error("the name does not resolve")]
    Unresolved,
    #[error("the server answered with status {0}")]
    Status(u16),
    #[error("the document is larger than {MAX_DOCUMENT} bytes")]
    TooLarge,
}

/// A fetched document.
#[derive(Debug)]
pub struct Document {
    /// Without parameters, lowercase.
    pub media_type: Option<String>,
    /// How long the server allows the document to be kept, in seconds
    /// (`Cache-Control: max-age`; 0 for `no-store` and `no-cache`).
    pub max_age: Option<u64>,
    pub body: Vec<u8>,
}

/// GETs `url` and returns its body, refusing non-2xx answers and bodies
/// over [`MAX_DOCUMENT`].
pub async fn get_document(client: &Client, url: &str) -> Result<Vec<u8>, FetchError> {
    fetch(client, url, "application/json").await.map(|d| d.body)
}

/// Like [`get_document`], asking for `accept` and returning the media type
/// of the answer beside the body.
pub async fn get_typed(client: &Client, url: &str, accept: &str) -> Result<(Option<String>, Vec<u8>), FetchError> {
    fetch(client, url, accept).await.map(|d| (d.media_type, d.body))
}

/// GETs `url` asking for `accept`: the body, its media type and how long
/// it may be kept.
pub async fn fetch(client: &Client, url: &str, accept: &str) -> Result<Document, FetchError> {
    client.guard(url).await?;
    let mut res = client.http.get(url).header(reqwest::header::ACCEPT, accept).send().await.map_err(|e| FetchError::Request(e.without_url()))?;
    if !res.status().is_success() {
        return Err(FetchError::Status(res.status().as_u16()));
    }
    let media_type = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    let max_age = res.headers().get(reqwest::header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).and_then(max_age);
    Ok(Document { media_type, max_age, body: read_limited(&mut res).await? })
}

/// The lifetime a `Cache-Control` value gives, if it gives one.
fn max_age(cache_control: &str) -> Option<u64> {
    let mut age = None;
    for directive in cache_control.split(',').map(str::trim) {
        let lower = directive.to_ascii_lowercase();
        if lower == "no-store" || lower == "no-cache" {
            return Some(0);
        }
        if let Some(n) = lower.strip_prefix("max-age=") {
            age = n.trim_matches('"').parse().ok();
        }
    }
    age
}

/// The body, refusing more than [`MAX_DOCUMENT`] bytes, read chunk by
/// chunk so a hostile server cannot exhaust memory.
async fn read_limited(res: &mut reqwest::Response) -> Result<Vec<u8>, FetchError> {
    if res.content_length().is_some_and(|n| n > MAX_DOCUMENT as u64) {
        return Err(FetchError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(|e| FetchError::Request(e.without_url()))? {
        if body.len() + chunk.len() > MAX_DOCUMENT {
            return Err(FetchError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Sends a request built elsewhere (by the `openidconnect` crate, for the
/// tenant's sign-ins at peer providers) with the same client, reach rules
/// and size limit. Any status comes back: the caller reads error bodies.
pub async fn send(client: &Client, req: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, FetchError> {
    let url = req.uri().to_string();
    client.guard(&url).await?;
    let (parts, body) = req.into_parts();
    let mut res = client.http.request(parts.method, &url).headers(parts.headers).body(body).send().await.map_err(|e| FetchError::Request(e.without_url()))?;
    let mut out = http::Response::builder().status(res.status().as_u16());
    for (name, value) in res.headers() {
        out = out.header(name, value);
    }
    let body = read_limited(&mut res).await?;
    out.body(body).map_err(|_| FetchError::Status(res.status().as_u16()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_control_lifetimes() {
        assert_eq!(max_age("public, max-age=3600"), Some(3600));
        assert_eq!(max_age("Max-Age=\"60\""), Some(60));
        assert_eq!(max_age("max-age=3600, no-store"), Some(0));
        assert_eq!(max_age("no-cache"), Some(0));
        assert_eq!(max_age("public"), None);
        assert_eq!(max_age("max-age=soon"), None);
    }

    #[test]
    fn reqwest_takes_every_proxy_the_settings_take() {
        // `Client::new` counts on it (its `expect`): of an http(s):// URL
        // with a host, `Proxy::all` only asks that its text parse again,
        // which `ProxyUrl::parse` checks too (trame-settings' outbound.rs).
        for s in ["http://proxy.internal:3128", "https://10.0.0.1:3128", "http://[fd00::1]:3128", "http://us%40r:p%3Ass@proxy:3128/x?y#z"] {
            let p = ProxyUrl::parse(s).unwrap();
            assert!(reqwest::Proxy::all(p.url().clone()).is_ok(), "{s}");
            Client::new(Reach::PublicOnly, Some(&p));
        }
        // Stricter than `Proxy::all`: a host the URL standard keeps but an
        // HTTP URI cannot hold, which the client builder would drop (and
        // then connect directly).
        let odd = Url::parse("http://a{b:3128").unwrap();
        assert!(reqwest::Proxy::all(odd.clone()).is_ok());
        assert_eq!(ProxyUrl::parse(odd.as_str()), Err("is not usable as a proxy"));
    }

    #[tokio::test]
    async fn a_proxied_public_only_client_refuses_private_names_before_sending() {
        // Nothing listens on the proxy's port: had the request been sent,
        // the error would be Request, not NotPublic.
        let proxy = ProxyUrl::parse("http://127.0.0.1:9").unwrap();
        let client = Client::new(Reach::PublicOnly, Some(&proxy));
        assert!(matches!(client.guard("http://localhost:8080/jwks").await, Err(FetchError::NotPublic)));
        assert!(matches!(get_document(&client, "https://localhost/jwks").await, Err(FetchError::NotPublic)));
        assert!(matches!(get_document(&client, "https://10.0.0.1/jwks").await, Err(FetchError::NotPublic)));
        let anywhere = Client::new(Reach::Anywhere, Some(&proxy));
        assert!(anywhere.guard("http://localhost:8080/jwks").await.is_ok());
    }
}
