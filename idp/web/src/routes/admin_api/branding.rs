//! `/branding`: the tenant's look and its public-sector mentions (logo,
//! primary colour, footer links, RGAA status), with the rules of
//! `trame tenant set`. The display name is the tenant's identity: the
//! operator's API (`PATCH /tenants/{slug}`) and the console change it.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use trame_app::branding::{self, BrandingChange, CheckedChange, LogoChange, SetError};
use trame_core::branding::{Branding, BrandingRefusal, LogoKind};
use utoipa::ToSchema;

use super::caller::Admin;
use super::input::{self, IfMatch};
use crate::error::{ApiError, ApiResult, OrApi, Surface};
use crate::problem::Problem;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingView {
    /// The logo shown in every page's header, or null.
    pub logo: Option<LogoView>,
    /// `#RRGGBB`, or null for the default theme's.
    pub primary_color: Option<String>,
    pub legal_notice_url: Option<String>,
    pub privacy_url: Option<String>,
    pub accessibility_url: Option<String>,
    /// The RGAA mention: `full`, `partial` or `none`.
    pub accessibility_status: String,
    pub contact_url: Option<String>,
    /// The collectivité's site, linked from the header.
    pub service_url: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LogoView {
    /// `image/svg+xml` or `image/png`.
    pub content_type: String,
    /// Where pages load it from.
    pub url: String,
}

fn view(admin: &Admin, b: &Branding) -> BrandingView {
    let t = &admin.tenant.tenant;
    BrandingView {
        logo: b
            .logo
            .as_ref()
            .map(|l| LogoView { content_type: l.kind.content_type().to_owned(), url: t.issuer.endpoint(&format!("/brand/logo?v={}", l.digest)) }),
        primary_color: b.primary_color.map(|c| c.to_string()),
        legal_notice_url: b.legal_notice_url.clone(),
        privacy_url: b.privacy_url.clone(),
        accessibility_url: b.accessibility_url.clone(),
        accessibility_status: b.accessibility_status.as_str().to_owned(),
        contact_url: b.contact_url.clone(),
        service_url: b.service_url.clone(),
    }
}

/// A digest of the whole branding (the logo's digest included): the
/// update compares the branding itself under the row's lock.
fn etag(b: &Branding) -> String {
    input::digest_etag(b.to_json().as_bytes())
}

fn versioned(admin: &Admin, status: StatusCode, b: &Branding) -> Response {
    let mut r = (status, Json(view(admin, b))).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(b)) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

/// The branding as stored now (the catalog's copy may be a poll behind).
async fn current(state: &AppState, admin: &Admin) -> ApiResult<Branding> {
    let slug = admin.tenant.tenant.slug.as_str();
    Ok(state.store.tenant_by_slug(slug).await.problem_err()?.ok_or_else(|| Problem::not_found("tenant"))?.branding)
}

/// Reads the tenant's branding.
#[utoipa::path(get, path = "/branding", tag = "branding", responses((status = 200, body = BrandingView, headers(("ETag" = String))), (status = 401, body = Problem)))]
pub async fn get(State(state): State<AppState>, admin: Admin) -> ApiResult<Response> {
    let b = current(&state, &admin).await?;
    Ok(versioned(&admin, StatusCode::OK, &b))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandingPatch {
    /// `#RRGGBB` with a contrast of at least 4.5:1 against white text; null
    /// for the default.
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub primary_color: Option<Option<String>>,
    /// https; null removes the link.
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub legal_notice_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub privacy_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub accessibility_url: Option<Option<String>>,
    /// `full`, `partial` or `none`.
    pub accessibility_status: Option<String>,
    /// https or mailto:.
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub contact_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "input::present")]
    #[schema(value_type = Option<String>)]
    pub service_url: Option<Option<String>>,
}

/// A refused setting, as the field at fault.
fn refusal(r: BrandingRefusal) -> ApiError {
    let field = match &r {
        BrandingRefusal::Url { field, .. } => field,
        BrandingRefusal::AccessibilityStatus(_) => "accessibility_status",
        BrandingRefusal::Color(_) | BrandingRefusal::Contrast { .. } => "primary_color",
    };
    Problem::invalid("invalid_value", field, r.to_string()).into()
}

fn failed(e: SetError) -> ApiError {
    match e {
        SetError::NotFound(_) => Problem::not_found("tenant").into(),
        SetError::Stale => input::stale().into(),
        SetError::Failed(source) => ApiError::Store { surface: Surface::Problem, source },
    }
}

/// Changes the settings given (JSON merge patch: a member left out stays,
/// null removes it), if the branding is still what the `If-Match` tag was
/// read from. Pages show it within a second on every node.
#[utoipa::path(patch, path = "/branding", tag = "branding", params(("If-Match" = String, Header, description = "The ETag read, or *")),
    request_body(content = BrandingPatch, content_type = "application/merge-patch+json"),
    responses((status = 200, body = BrandingView, headers(("ETag" = String))), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 412, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(State(state): State<AppState>, admin: Admin, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    admin.may_write()?;
    let condition = IfMatch::from_headers(&headers)?;
    let p: BrandingPatch = input::body(&headers, &body)?;
    // null clears, as an empty value does for the CLI.
    let given = |v: Option<Option<String>>| v.map(Option::unwrap_or_default);
    let change = BrandingChange {
        primary_color: given(p.primary_color),
        legal_notice_url: given(p.legal_notice_url),
        privacy_url: given(p.privacy_url),
        accessibility_url: given(p.accessibility_url),
        accessibility_status: p.accessibility_status,
        contact_url: given(p.contact_url),
        service_url: given(p.service_url),
    };
    let checked = change.check().map_err(|r| refusal(r.first().clone()))?;
    let read = current(&state, &admin).await?;
    if !condition.matches(&etag(&read)) {
        return Err(input::stale().into());
    }
    let read = matches!(condition, IfMatch::Tags(_)).then_some(&read);
    let b = branding::set(&state.store, admin.tenant.tenant.slug.as_str(), &checked, LogoChange::Keep, read, state.now(), admin.by()).await.map_err(failed)?;
    super::tenants::refresh(&state).await;
    Ok(versioned(&admin, StatusCode::OK, &b))
}

/// Sets the logo: the body is the image, `image/svg+xml` (rewritten
/// without scripts, links or external references; text must be converted
/// to paths) or `image/png`, at most 60 KiB. `If-Match` is honoured when
/// sent.
#[utoipa::path(put, path = "/branding/logo", tag = "branding",
    request_body(content((Vec<u8> = "image/svg+xml"), (Vec<u8> = "image/png"))),
    responses((status = 200, body = BrandingView, headers(("ETag" = String))), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 412, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn put_logo(State(state): State<AppState>, admin: Admin, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    admin.may_write()?;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let Some(declared) = LogoKind::from_content_type(ct) else {
        return Err(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send the logo as image/svg+xml or image/png").into());
    };
    if body.len() > branding::MAX_LOGO_BYTES {
        return Err(Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", branding::LogoRefusal::TooLarge.to_string()).into());
    }
    let logo = branding::check_logo(&body).map_err(|e| Problem::invalid("invalid_logo", "logo", e.to_string()))?;
    if logo.kind != declared {
        return Err(Problem::invalid("invalid_logo", "logo", format!("the body is not {}", declared.content_type())).into());
    }
    change_logo(&state, &admin, &headers, LogoChange::Set(logo)).await
}

/// Removes the logo.
#[utoipa::path(delete, path = "/branding/logo", tag = "branding",
    responses((status = 200, body = BrandingView, headers(("ETag" = String))), (status = 401, body = Problem), (status = 403, body = Problem), (status = 412, body = Problem)))]
pub async fn remove_logo(State(state): State<AppState>, admin: Admin, headers: HeaderMap) -> ApiResult<Response> {
    admin.may_write()?;
    change_logo(&state, &admin, &headers, LogoChange::Remove).await
}

async fn change_logo(state: &AppState, admin: &Admin, headers: &HeaderMap, logo: LogoChange) -> ApiResult<Response> {
    let read = if headers.contains_key(header::IF_MATCH) {
        let condition = IfMatch::from_headers(headers)?;
        let read = current(state, admin).await?;
        if !condition.matches(&etag(&read)) {
            return Err(input::stale().into());
        }
        matches!(condition, IfMatch::Tags(_)).then_some(read)
    } else {
        None
    };
    let slug = admin.tenant.tenant.slug.as_str();
    let b = branding::set(&state.store, slug, &CheckedChange::default(), logo, read.as_ref(), state.now(), admin.by()).await.map_err(failed)?;
    super::tenants::refresh(state).await;
    Ok(versioned(admin, StatusCode::OK, &b))
}
