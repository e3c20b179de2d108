//! A tenant's logo and stylesheet, as its pages link them
//! (`crate::branding::view`): `<issuer>/brand/logo` and
//! `<issuer>/brand/style.css`. Both addresses carry a version, so browsers
//! may keep them for a day. And the assets of the tenant's themes folder
//! (`<themes_dir>/<slug>/static/`), at `<issuer>/brand/static/<name>`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ApiResult, OrApi};
use crate::state::AppState;
use crate::tenancy::TenantCtx;

const CACHE: &str = "public, max-age=86400";
/// Opened on its own, an SVG runs no script and loads nothing.
const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// Whether the browser's copy is this version (`If-None-Match`).
fn is_fresh(headers: &HeaderMap, etag: &str) -> bool {
    headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
}

pub async fn logo(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap) -> ApiResult<Response> {
    let not_found = || ApiError::page(StatusCode::NOT_FOUND, "error-not-found");
    let logo = state.store.tenant_logo(&tenant.tenant.id).await.html_err()?.ok_or_else(not_found)?;
    let etag = format!("\"{}\"", logo.digest);
    if is_fresh(&headers, &etag) {
        return Ok(not_modified(&etag));
    }
    let mut r = logo.bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(logo.kind.content_type()));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    h.insert(header::ETAG, HeaderValue::from_str(&etag).map_err(|_| not_found())?);
    // Opened on its own, an SVG runs no script and loads nothing (it was
    // also rewritten when it was set: trame_app::branding).
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(SVG_CSP));
    Ok(r)
}

fn not_modified(etag: &str) -> Response {
    let mut r = StatusCode::NOT_MODIFIED.into_response();
    if let Ok(v) = HeaderValue::from_str(etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    r
}

/// The tenant's colour over the default theme's accent (buttons, links,
/// notices): checked against white text (4.5:1) when it was set. A
/// stylesheet, not an inline style: the pages' CSP allows none.
pub async fn style(tenant: TenantCtx) -> ApiResult<Response> {
    let Some(c) = tenant.tenant.branding.primary_color else {
        return Err(ApiError::page(StatusCode::NOT_FOUND, "error-not-found"));
    };
    let css = format!(":root {{ --accent: {c}; }}\n");
    let mut res = css.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    Ok(res)
}

#[derive(serde::Deserialize)]
pub struct AssetQuery {
    v: Option<String>,
}

/// An asset of the tenant's themes folder; its ETag is its digest. Kept a
/// day when asked for by its versioned address (`?v=<digest>`, as pages
/// link it: `theme_assets[name]`), revalidated at each use otherwise,
/// since the folder may change at any time.
pub async fn asset(
    State(state): State<AppState>,
    tenant: TenantCtx,
    Path(name): Path<String>,
    axum::extract::Query(q): axum::extract::Query<AssetQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let not_found = || ApiError::page(StatusCode::NOT_FOUND, "error-not-found");
    let (asset, version) = state.themes.tenant_asset(tenant.tenant.slug.as_str(), &name).ok_or_else(not_found)?;
    let etag = format!("\"{version}\"");
    if is_fresh(&headers, &etag) {
        return Ok(not_modified(&etag));
    }
    let mut r = asset.body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(if q.v.as_deref() == Some(version.as_str()) { CACHE } else { "no-cache" }));
    h.insert(header::ETAG, HeaderValue::from_str(&etag).map_err(|_| not_found())?);
    if asset.content_type == "image/svg+xml" {
        // As for the logo: opened on its own, an SVG runs nothing.
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(SVG_CSP));
    }
    Ok(r)
}
