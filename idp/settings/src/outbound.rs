//! The settings of Trame's own requests to other servers: which addresses
//! they may reach (`outbound_reach`) and the proxy they go through
//! (`outbound_proxy`). The HTTP client that applies them is trame-app's
//! `outbound` module.

use url::Url;

/// The outbound reach of an installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    /// Only globally routable addresses (the production rule).
    PublicOnly,
    /// Any address (development on localhost, tests).
    Anywhere,
}

/// The `outbound_proxy` setting, checked: an `http://` or `https://` URL
/// with a host, which the HTTP library accepts as a proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyUrl(Url);

impl ProxyUrl {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let url = Url::parse(s).map_err(|_| "is not a URL such as http://proxy.internal:3128")?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err("must be an http:// or https:// URL with a host");
        }
        if !usable_as_proxy(&url) {
            return Err("is not usable as a proxy");
        }
        Ok(Self(url))
    }

    /// The URL, for the HTTP client.
    pub fn url(&self) -> &Url {
        &self.0
    }

    /// The proxy's address without its credentials, for logs.
    pub fn redacted(&self) -> String {
        let mut u = self.0.clone();
        let _ = u.set_username("");
        let _ = u.set_password(None);
        u.to_string()
    }
}

/// What reqwest 0.13 (with hyper-util 0.1) asks of an `http(s)://` proxy
/// URL with a host, step by step:
///
/// - `reqwest::Proxy::all(url)` parses the URL's text again and wants a
///   host (`IntoProxy`, `IntoUrlSealed`): its only refusal, so a URL that
///   passes here never makes it fail;
/// - the client builder then parses that text as an `http::Uri` and keeps
///   its authority, without the user and password, as the proxy
///   (`hyper_util::client::proxy::matcher`, `parse_env_uri`), and silently
///   drops a proxy it cannot parse: requests would then go out directly.
///   Such URLs exist (a host with `{` or `"`, which the URL standard keeps
///   as they are); they are refused here instead.
fn usable_as_proxy(url: &Url) -> bool {
    if !Url::parse(url.as_str()).is_ok_and(|u| u.has_host()) {
        return false;
    }
    let Ok(uri) = url.as_str().parse::<http::Uri>() else {
        return false;
    };
    let Some(authority) = uri.authority() else {
        return false;
    };
    let host_port = authority.as_str().split_once('@').map_or(authority.as_str(), |(_, h)| h);
    http::Uri::builder().scheme(url.scheme()).authority(host_port).path_and_query("/").build().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_settings_are_checked() {
        assert!(ProxyUrl::parse("http://proxy.internal:3128").is_ok());
        assert!(ProxyUrl::parse("https://10.0.0.1:3128").is_ok());
        assert!(ProxyUrl::parse("http://[fd00::1]:3128").is_ok());
        assert!(ProxyUrl::parse("http://us%40r:p%3Ass@proxy:3128/ignored?x#y").is_ok());
        assert_eq!(ProxyUrl::parse("socks5://proxy:1080"), Err("must be an http:// or https:// URL with a host"));
        assert!(ProxyUrl::parse("proxy:3128").is_err());
        assert_eq!(ProxyUrl::parse("http://user:secret@proxy:3128").unwrap().redacted(), "http://proxy:3128/");
        assert_eq!(ProxyUrl::parse("http://proxy:3128").unwrap().url().as_str(), "http://proxy:3128/");
    }

    #[test]
    fn proxies_the_http_stack_would_drop_are_refused() {
        // Valid URLs whose host is not a valid URI host.
        for bad in ["http://a{b:3128", "http://pro\"xy:3128", "http://pro`xy/"] {
            assert!(Url::parse(bad).is_ok_and(|u| u.has_host()), "{bad} is a URL with a host");
            assert_eq!(ProxyUrl::parse(bad), Err("is not usable as a proxy"), "{bad}");
        }
    }
}
