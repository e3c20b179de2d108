//! Cookies: `HttpOnly`, `SameSite=Lax`, `Secure` whenever the issuer is
//! https, scoped to the tenant's path.

use axum::http::{HeaderMap, HeaderValue, header};
use trame_core::tenant::Tenant;

pub const SESSION: &str = "trame_session";
pub const BROWSER: &str = "trame_browser";

/// The cookie name is per tenant so tenants sharing a host never read each
/// other's cookies.
pub fn name(base: &str, tenant: &Tenant) -> String {
    format!("{base}_{}", tenant.slug.as_str().replace('-', "_"))
}

pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn path_of(tenant: &Tenant) -> String {
    let p = tenant.issuer.path_prefix();
    if p.is_empty() { "/".into() } else { p }
}

pub fn set(tenant: &Tenant, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if tenant.issuer.is_https() { "; Secure" } else { "" };
    let v = format!("{name}={value}; Path={}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}", path_of(tenant));
    HeaderValue::from_str(&v).expect("cookie values are base64url and names are ASCII")
}

pub fn clear(tenant: &Tenant, name: &str) -> HeaderValue {
    set(tenant, name, "", 0)
}
