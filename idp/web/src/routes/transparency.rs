//! The public transparency page: `<issuer>/transparence` for people and
//! `<issuer>/transparence.json` for anyone who wants the figures
//! (`trame_app::transparency` computes both). Public, without a session:
//! nothing on it is about a person.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;

use crate::error::{ApiResult, OrApi};
use crate::render::lang_of;
use crate::state::AppState;
use crate::tenancy::TenantCtx;
use trame_app::transparency::{self, SMALL};
use trame_app::usage::Counter;

pub async fn page(State(state): State<AppState>, tenant: TenantCtx, headers: HeaderMap) -> ApiResult<Response> {
    let report = transparency::report(&state, &tenant, &state.config.providers).await.html_err()?;
    let columns: Vec<&str> = Counter::ALL.iter().map(|c| c.as_str()).collect();
    Ok(state.themes.page(
        StatusCode::OK,
        "transparency.html",
        context! {
            lang => lang_of(&state.themes, &headers),
            tenant => crate::branding::view(&tenant.tenant),
            report => minijinja::Value::from(minijinja::value::Serde(&report)),
            columns => columns,
            json => tenant.tenant.issuer.endpoint("/transparence.json"),
        },
    ))
}

pub async fn json(State(state): State<AppState>, tenant: TenantCtx) -> ApiResult<Response> {
    let report = transparency::report(&state, &tenant, &state.config.providers).await.json_err()?;
    let mut body = serde_json::to_value(&report).unwrap_or_default();
    if let Some(o) = body.as_object_mut() {
        // Says what "<10" means to a reader of the JSON alone.
        o.insert("small_counts_below".into(), SMALL.into());
    }
    let mut r = axum::Json(body).into_response();
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // Open data: any site may read it.
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    Ok(r)
}
