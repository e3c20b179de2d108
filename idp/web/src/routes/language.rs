//! The language switcher's target, `<issuer>/language?set=<lang>&back=<path>`:
//! keeps the choice in a cookie for a year and goes back to the page the
//! person was on. A plain link, so it works without JavaScript; a GET that
//! changes only which language pages are shown in, which no other site can
//! turn against anyone.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::render::{LANG_COOKIE, LANG_COOKIE_SECURE};
use crate::respond::see_other;
use crate::state::AppState;
use crate::tenancy::TenantCtx;

/// A year: a language is a lasting preference.
const KEPT: i64 = 365 * 24 * 3600;

#[derive(Deserialize)]
pub struct LanguageQuery {
    set: String,
    #[serde(default)]
    back: Option<String>,
}

/// Whether `back` is a page of this tenant: a path of this host under the
/// tenant's issuer path, never another site (`//host`, `/\host`, an
/// absolute URL), so the switcher is no open redirector.
fn is_own_page(back: &str, prefix: &str) -> bool {
    let under_prefix = prefix.is_empty() || back == prefix || back.starts_with(&format!("{prefix}/")) || back.starts_with(&format!("{prefix}?"));
    back.starts_with('/') && !back.starts_with("//") && !back.contains('\\') && !back.chars().any(char::is_control) && back.len() <= 4096 && under_prefix
}

pub async fn switch(State(state): State<AppState>, tenant: TenantCtx, Query(q): Query<LanguageQuery>) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let Some(lang) = state.themes.installed(&q.set) else {
        return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"));
    };
    let prefix = t.issuer.path_prefix();
    let back = match q.back {
        Some(b) if is_own_page(&b, &prefix) => b,
        Some(_) => return Err(ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request")),
        None => format!("{prefix}/account"),
    };
    let cookie = if t.issuer.is_https() {
        format!("{LANG_COOKIE_SECURE}={lang}; Path=/; Max-Age={KEPT}; HttpOnly; SameSite=Lax; Secure")
    } else {
        format!("{LANG_COOKIE}={lang}; Path=/; Max-Age={KEPT}; HttpOnly; SameSite=Lax")
    };
    let mut r = see_other(&back);
    r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|_| ApiError::page(StatusCode::BAD_REQUEST, "error-bad-request"))?);
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::is_own_page;

    #[test]
    fn only_pages_of_the_tenant_are_ways_back() {
        for ok in ["/login?interaction=abc", "/", "/account"] {
            assert!(is_own_page(ok, ""), "{ok}");
        }
        for ok in ["/ville/login?interaction=abc", "/ville", "/ville?x=1"] {
            assert!(is_own_page(ok, "/ville"), "{ok}");
        }
        for bad in ["//evil.example/x", "/\\evil.example", "https://evil.example/", "evil", "/villeneuve/login", "/autre/login", "/x\r\nSet-Cookie: a=b", ""] {
            assert!(!is_own_page(bad, "/ville"), "{bad:?}");
        }
        assert!(!is_own_page("//evil.example", ""));
    }
}
