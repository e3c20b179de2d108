//! Requests Trame makes to other servers: a client's `jwks_uri`, a
//! `sector_identifier_uri`, back-channel logout notifications. One client
//! with a short timeout and no redirects (a redirect could lead a request
//! somewhere the registration did not name), and bodies read with a size
//! limit, chunk by chunk, so a hostile server cannot exhaust memory.

use std::time::Duration;

mod reach;

pub use reach::{NotPublic, Reach, check_url, is_public};

/// Largest document Trame reads from another server.
pub const MAX_DOCUMENT: usize = 64 * 1024;

/// The longest any outbound request takes, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The outbound HTTP client; with [`Reach::PublicOnly`] names resolve to
/// public addresses only (address literals: [`check_url`]).
pub fn client(reach: Reach) -> reqwest::Client {
    let builder = match reach {
        Reach::PublicOnly => reqwest::Client::builder().dns_resolver(reach::PublicResolver),
        Reach::Anywhere => reqwest::Client::builder(),
    };
    builder
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(3))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("trame/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("an HTTP client with default TLS settings builds")
}

/// Why a fetch failed, for logs and error descriptions (never the body).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("the request failed")]
    Request(#[source] reqwest::Error),
    #[error("the destination is not a public address")]
    NotPublic,
    #[error("the server answered with status {0}")]
    Status(u16),
    #[error("the document is larger than {MAX_DOCUMENT} bytes")]
    TooLarge,
}

/// GETs `url` and returns its body, refusing non-2xx answers and bodies
/// over [`MAX_DOCUMENT`].
pub async fn get_document(http: &reqwest::Client, reach: Reach, url: &str) -> Result<Vec<u8>, FetchError> {
    get_typed(http, reach, url, "application/json").await.map(|(_, body)| body)
}

/// Like [`get_document`], asking for `accept` and returning the media type
/// of the answer (without parameters, lowercase) beside the body.
pub async fn get_typed(http: &reqwest::Client, reach: Reach, url: &str, accept: &str) -> Result<(Option<String>, Vec<u8>), FetchError> {
    check_url(url, reach).map_err(|_| FetchError::NotPublic)?;
    let mut res = http.get(url).header(reqwest::header::ACCEPT, accept).send().await.map_err(FetchError::Request)?;
    if !res.status().is_success() {
        return Err(FetchError::Status(res.status().as_u16()));
    }
    let media_type = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    Ok((media_type, read_limited(&mut res).await?))
}

/// The body, refusing more than [`MAX_DOCUMENT`] bytes, read chunk by
/// chunk so a hostile server cannot exhaust memory.
async fn read_limited(res: &mut reqwest::Response) -> Result<Vec<u8>, FetchError> {
    if res.content_length().is_some_and(|n| n > MAX_DOCUMENT as u64) {
        return Err(FetchError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(FetchError::Request)? {
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
pub async fn send(http: &reqwest::Client, reach: Reach, req: axum::http::Request<Vec<u8>>) -> Result<axum::http::Response<Vec<u8>>, FetchError> {
    let url = req.uri().to_string();
    check_url(&url, reach).map_err(|_| FetchError::NotPublic)?;
    let (parts, body) = req.into_parts();
    let mut res = http.request(parts.method, &url).headers(parts.headers).body(body).send().await.map_err(FetchError::Request)?;
    let mut out = axum::http::Response::builder().status(res.status().as_u16());
    for (name, value) in res.headers() {
        out = out.header(name, value);
    }
    let body = read_limited(&mut res).await?;
    out.body(body).map_err(|_| FetchError::Status(res.status().as_u16()))
}
