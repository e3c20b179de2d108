//! Cookies: `HttpOnly`, `SameSite=Lax`, and, whenever the issuer is https,
//! `Secure` with the `__Host-` prefix.
//!
//! The prefix is what stops a sibling subdomain (`www.ville.fr` next to
//! `login.ville.fr`) from planting a cookie of the same name with
//! `Domain=ville.fr`: browsers accept a `__Host-` cookie only from the host
//! itself, secure, with `Path=/` and no `Domain`. On a plain-http issuer
//! (development) the prefix is not available, so the cookie keeps a
//! per-tenant name and the tenant's path. Either way a request carrying two
//! cookies of one name is read as carrying none: the server cannot tell
//! which one it set.

use axum::http::{HeaderMap, HeaderValue, header};
use trame_core::tenant::Tenant;

pub const SESSION: &str = "trame_session";
pub const BROWSER: &str = "trame_browser";

/// The cookie name is per tenant so tenants sharing a host never read each
/// other's cookies.
pub fn name(base: &str, tenant: &Tenant) -> String {
    let prefix = if tenant.issuer.is_https() { "__Host-" } else { "" };
    format!("{prefix}{base}_{}", tenant.slug.as_str().replace('-', "_"))
}

/// The value of the cookie `name`, unless the request carries none or more
/// than one (a planted duplicate).
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    let mut values = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v);
    let first = values.next()?;
    match values.next() {
        None => Some(first.to_owned()),
        Some(_) => None,
    }
}

/// `__Host-` cookies must have `Path=/`; others are scoped to the tenant.
fn path_of(tenant: &Tenant) -> String {
    let p = tenant.issuer.path_prefix();
    if tenant.issuer.is_https() || p.is_empty() { "/".into() } else { p }
}

pub fn set(tenant: &Tenant, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if tenant.issuer.is_https() { "; Secure" } else { "" };
    let v = format!("{name}={value}; Path={}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}", path_of(tenant));
    HeaderValue::from_str(&v).expect("cookie values are base64url and names are ASCII")
}

pub fn clear(tenant: &Tenant, name: &str) -> HeaderValue {
    set(tenant, name, "", 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie_lines: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for l in cookie_lines {
            h.append(header::COOKIE, HeaderValue::from_str(l).unwrap());
        }
        h
    }

    #[test]
    fn a_duplicated_cookie_is_read_as_absent() {
        assert_eq!(read(&headers(&["a=1; b=2"]), "b").as_deref(), Some("2"));
        assert_eq!(read(&headers(&["b=planted; a=1; b=2"]), "b"), None);
        assert_eq!(read(&headers(&["b=planted", "b=2"]), "b"), None);
        assert_eq!(read(&headers(&["ab=1"]), "b"), None);
    }
}
