//! RFC 9457 problem details (`application/problem+json`): how the admin
//! API answers every error, its own refusals and the infrastructure's
//! failures alike. `type` stays `about:blank` (the status says what kind
//! of problem it is); `code` is a stable machine-readable name and `field`
//! the request member at fault, so a script can act without parsing the
//! English `detail`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The status's reason phrase.
    pub title: &'static str,
    pub status: u16,
    /// What went wrong and, when it helps, what to do.
    pub detail: String,
    /// A stable name for the problem, e.g. `not_found`, `invalid_body`,
    /// `stale_version`.
    pub code: &'static str,
    /// The request member at fault, for validation problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// RFC 6750 challenge for 401 and 403 answers (a header, not a member).
    #[serde(skip)]
    #[schema(ignore)]
    pub challenge: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or(""),
            status: status.as_u16(),
            detail: detail.into(),
            code,
            field: None,
            challenge: None,
        }
    }
    pub fn at(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("no such {what}"))
    }
    pub fn invalid(code: &'static str, field: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail).at(field)
    }
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", detail)
    }
    /// No valid token (RFC 6750 §3.1: `invalid_token`, or a bare challenge
    /// when none was sent).
    pub fn unauthorized(sent: bool, detail: impl Into<String>) -> Self {
        let challenge = if sent { "Bearer error=\"invalid_token\"" } else { "Bearer" };
        Self { challenge: Some(challenge.to_owned()), ..Self::new(StatusCode::UNAUTHORIZED, "invalid_token", detail) }
    }
    /// A valid token without the rights (RFC 6750 §3.1
    /// `insufficient_scope`).
    pub fn forbidden(detail: impl Into<String>) -> Self {
        let challenge = "Bearer error=\"insufficient_scope\", scope=\"trame:admin\"".to_owned();
        Self { challenge: Some(challenge), ..Self::new(StatusCode::FORBIDDEN, "insufficient_rights", detail) }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let challenge = self.challenge.clone();
        let mut r = (status, Json(self)).into_response();
        let h = r.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(v) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            h.insert(header::WWW_AUTHENTICATE, v);
        }
        r
    }
}
