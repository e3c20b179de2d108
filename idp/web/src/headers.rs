//! Security headers on every response, and the request span.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

/// Strict CSP: our own assets only, no framing (clickjacking), no inline
/// script. `form-action` is left out on purpose: a sign-in form redirects to
/// the client, and browsers apply `form-action` to that redirect.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Origins a page may load in frames (`frame-src`), put in the response's
/// extensions by the one page that needs it: the front-channel logout page.
/// Every other page may frame nothing but itself (`default-src 'self'`).
#[derive(Debug, Clone)]
pub struct FrameSources(pub Vec<String>);

impl FrameSources {
    /// Whether an origin (`scheme://host[:port]`) can be written into the
    /// policy as it is: nothing that could end the directive or add a
    /// source.
    pub fn is_safe(origin: &str) -> bool {
        (origin.starts_with("https://") || origin.starts_with("http://")) && origin.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:/[]".contains(&b))
    }

    fn policy(&self) -> Option<HeaderValue> {
        if self.0.is_empty() || !self.0.iter().all(|o| Self::is_safe(o)) {
            return None;
        }
        HeaderValue::from_str(&format!("{CSP}; frame-src {}", self.0.join(" "))).ok()
    }
}

/// The fixed headers, built at compile time (`from_static` at run time
/// checks every byte of each name and value on every response).
const FIXED: [(HeaderName, HeaderValue); 5] = [
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
    (HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")),
    (HeaderName::from_static("permissions-policy"), HeaderValue::from_static("interest-cohort=()")),
];
const CSP_VALUE: HeaderValue = HeaderValue::from_static(CSP);

/// Adds the security headers a handler did not set itself. Called by the
/// middleware around every request ([`crate::app`]).
pub fn security_headers(mut res: Response) -> Response {
    let frames = res.extensions_mut().remove::<FrameSources>().and_then(|f| f.policy());
    let h = res.headers_mut();
    // Room for all six at once: a JSON answer has 1–3 headers, and adding
    // six one by one grew and rehashed the map (3,000 instructions of a
    // JWKS request's 83,000, callgrind).
    h.reserve(1 + FIXED.len());
    match frames {
        Some(csp) => {
            h.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
        None => {
            h.entry(header::CONTENT_SECURITY_POLICY).or_insert(CSP_VALUE);
        }
    }
    for (k, v) in FIXED {
        h.entry(k).or_insert(v);
    }
    res
}

/// One span per request: method, path without query (queries carry codes
/// and tokens), and a request id. Never headers or bodies. The id is made
/// inside the macro, so only when the span is enabled; it comes from a
/// user-space generator seeded by the system (uuid's `fast-rng`), not from a
/// `getrandom` system call per request.
pub fn make_span(req: &Request) -> tracing::Span {
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %uuid::Uuid::new_v4())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_sources_extend_the_policy_only_with_plain_origins() {
        let p = FrameSources(vec!["https://rp.example.fr".into(), "http://127.0.0.1:8081".into(), "http://[::1]:3000".into()]).policy().unwrap();
        assert_eq!(p.to_str().unwrap(), format!("{CSP}; frame-src https://rp.example.fr http://127.0.0.1:8081 http://[::1]:3000"));
        for bad in ["https://a;script-src *", "https://a b", "null", "javascript:x", "https://a,b", "https://a'b"] {
            assert!(!FrameSources::is_safe(bad), "{bad}");
            assert!(FrameSources(vec!["https://ok.fr".into(), bad.into()]).policy().is_none(), "{bad}");
        }
        assert!(FrameSources(vec![]).policy().is_none());
    }
}
