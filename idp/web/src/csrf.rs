//! Cross-site request forgery defences of the pages' forms, in two layers.
//!
//! 1. Every state-changing post of a page must come from a page of the
//!    issuer's own origin ([`same_origin_only`]): `Sec-Fetch-Site` when the
//!    browser sends it, else `Origin`. This is what stops a sibling
//!    subdomain, which `SameSite=Lax` counts as the same site.
//! 2. Every form carries a token only this server can compute
//!    (HMAC-SHA256 under a secret derived from the master key). On the
//!    account pages it is bound to the server-side session (the digest of
//!    the session cookie, which changes at every sign-in), so knowing or
//!    planting the browser-binding cookie does not reveal it. Pages used
//!    before any session exists (sign-up, recovery) bind it to the browser
//!    binding; there, layer 1 is what keeps other origins out.
//!
//! Pending sign-ins and logouts carry their own random tokens
//! ([`crate::interaction`], `routes/logout.rs`).

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use trame_core::crypto::{constant_time_eq, keyed_digest};
use trame_core::tenant::Tenant;

use crate::error::ApiError;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// The token of the account pages, bound to the session whose store key
/// is `session_key`.
pub fn for_session(state: &AppState, session_key: &str) -> String {
    keyed_digest(state.csrf_key.as_ref(), "csrf session", session_key.as_bytes())
}

/// The token of pages without a session, bound to the browser binding.
pub fn for_browser(state: &AppState, binding_digest: &str) -> String {
    keyed_digest(state.csrf_key.as_ref(), "csrf browser", binding_digest.as_bytes())
}

/// Compares a submitted token with the expected one, in constant time.
pub fn matches(expected: &str, submitted: &str) -> bool {
    constant_time_eq(expected.as_bytes(), submitted.as_bytes())
}

/// Whether a post comes from a page of the tenant's own origin.
///
/// `Sec-Fetch-Site` is set by the browser and cannot be forged by a page:
/// only `same-origin` (and `none`, a user's own action) pass. Browsers
/// without it send `Origin` on every post; it must be the issuer's origin
/// (`null`, which a page gets by hiding its origin, does not pass). A
/// request with neither header is not from a browser, and forging requests
/// needs one.
pub fn is_same_origin(tenant: &Tenant, headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    match headers.get(header::ORIGIN) {
        Some(origin) => origin.as_bytes() == tenant.issuer.origin().as_bytes(),
        None => true,
    }
}

/// Middleware of the pages' routes: a post (or any method but GET/HEAD)
/// from another origin is refused before its handler runs, and no answer
/// is kept by a cache (they hold CSRF tokens, recovery codes, TOTP secrets,
/// personal data).
pub async fn same_origin_only(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let allowed = match req.extensions().get::<TenantCtx>() {
            Some(t) => is_same_origin(&t.tenant, req.headers()),
            None => false,
        };
        if !allowed {
            tracing::info!("cross-origin post to a page refused");
            return no_store(ApiError::page(StatusCode::FORBIDDEN, "error-csrf").into_response());
        }
    }
    no_store(next.run(req).await)
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn tenant() -> Tenant {
        Tenant {
            id: "t".into(),
            slug: trame_core::ids::TenantSlug::parse("ville").unwrap(),
            issuer: trame_core::ids::Issuer::parse("https://login.ville.fr").unwrap(),
            display_name: "Ville".into(),
            pairwise_salt: Vec::new(),
            settings: Default::default(),
            federation: Default::default(),
            branding: Default::default(),
        }
    }

    fn h(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        m
    }

    #[test]
    fn only_the_issuers_own_origin_may_post() {
        let t = tenant();
        assert!(is_same_origin(&t, &h(&[("sec-fetch-site", "same-origin"), ("origin", "null")])));
        assert!(is_same_origin(&t, &h(&[("origin", "https://login.ville.fr")])));
        assert!(is_same_origin(&t, &h(&[])), "not a browser");
        assert!(!is_same_origin(&t, &h(&[("sec-fetch-site", "same-site"), ("origin", "https://login.ville.fr")])), "a sibling subdomain");
        assert!(!is_same_origin(&t, &h(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_origin(&t, &h(&[("origin", "https://www.ville.fr")])));
        assert!(!is_same_origin(&t, &h(&[("origin", "null")])));
        assert!(!is_same_origin(&t, &h(&[("origin", "http://login.ville.fr")])), "another scheme is another origin");
    }
}
