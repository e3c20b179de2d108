//! Security headers on every response, and the request span.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Strict CSP: our own assets only, no framing (clickjacking), no inline
/// script. `form-action` is left out on purpose: a sign-in form redirects to
/// the client, and browsers apply `form-action` to that redirect.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(h, HeaderName::from_static("permissions-policy"), "interest-cohort=()");
    res
}

/// One span per request: method, path without query (queries carry codes
/// and tokens), and a request id. Never headers or bodies.
pub fn make_span(req: &Request) -> tracing::Span {
    let id = uuid::Uuid::new_v4();
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
}
