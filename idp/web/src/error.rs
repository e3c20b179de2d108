//! The one error type of the HTTP layer, with an exhaustive mapping to
//! responses: OAuth JSON, Bearer challenges, redirects to a validated
//! redirect URI, or themed pages. Infrastructure failures are logged once,
//! here, and answered without internal detail.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use trame_app::TenantEntry;
use trame_core::authorize::{PageError, ReplyTo};
use trame_core::oauth::ErrorCode;
use trame_store::{EphemeralError, StoreError};

use crate::render::Deferred;

/// Where an infrastructure error surfaced, which decides its rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Json,
    Html,
    /// The admin API: RFC 9457 problem details.
    Problem,
}

#[derive(Debug)]
pub enum ApiError {
    /// An OAuth error response body (RFC 6749 §5.2, RFC 7009, RFC 7662).
    OAuth {
        code: ErrorCode,
        description: String,
        basic_challenge: bool,
    },
    /// A protected-resource error (RFC 6750 §3).
    Bearer {
        status: StatusCode,
        error: Option<ErrorCode>,
        description: String,
    },
    /// A page shown to the person in the browser; `message` is a translation id.
    Page {
        status: StatusCode,
        message: &'static str,
        detail: Option<String>,
    },
    /// An authorization error returned to the client's validated redirect URI.
    Redirect {
        issuer: String,
        reply: ReplyTo,
        error: ErrorCode,
        description: String,
    },
    Store {
        surface: Surface,
        source: StoreError,
    },
    Ephemeral {
        surface: Surface,
        source: EphemeralError,
    },
    Signing {
        surface: Surface,
        source: trame_jose::Error,
    },
    /// An admin API refusal (RFC 9457).
    Problem(crate::problem::Problem),
}

impl From<crate::problem::Problem> for ApiError {
    fn from(p: crate::problem::Problem) -> Self {
        ApiError::Problem(p)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An OAuth error answered as JSON, with the code's status.
    pub fn oauth(code: ErrorCode, description: impl Into<String>) -> Self {
        ApiError::OAuth { code, description: description.into(), basic_challenge: false }
    }
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::oauth(ErrorCode::InvalidRequest, description)
    }
    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::oauth(ErrorCode::InvalidGrant, description)
    }
    pub fn invalid_client(description: impl Into<String>, basic_challenge: bool) -> Self {
        ApiError::OAuth { code: ErrorCode::InvalidClient, description: description.into(), basic_challenge }
    }
    pub fn invalid_token(description: impl Into<String>) -> Self {
        ApiError::Bearer { status: StatusCode::UNAUTHORIZED, error: Some(ErrorCode::InvalidToken), description: description.into() }
    }
    pub fn page(status: StatusCode, message: &'static str) -> Self {
        ApiError::Page { status, message, detail: None }
    }
    pub fn page_detail(status: StatusCode, message: &'static str, detail: impl Into<String>) -> Self {
        ApiError::Page { status, message, detail: Some(detail.into()) }
    }
}

/// Conversions that name the surface, so `?` picks the right rendering.
pub trait OrApi<T> {
    fn json_err(self) -> ApiResult<T>;
    fn html_err(self) -> ApiResult<T>;
    fn problem_err(self) -> ApiResult<T>;
}

macro_rules! or_api {
    ($err:ty, $variant:ident) => {
        impl<T> OrApi<T> for Result<T, $err> {
            fn json_err(self) -> ApiResult<T> {
                self.map_err(|source| ApiError::$variant { surface: Surface::Json, source })
            }
            fn html_err(self) -> ApiResult<T> {
                self.map_err(|source| ApiError::$variant { surface: Surface::Html, source })
            }
            fn problem_err(self) -> ApiResult<T> {
                self.map_err(|source| ApiError::$variant { surface: Surface::Problem, source })
            }
        }
    };
}
or_api!(StoreError, Store);
or_api!(EphemeralError, Ephemeral);
or_api!(trame_jose::Error, Signing);

/// The one mapping of the application layer's errors to HTTP: the caller
/// names the surface, the variant decides the rest.
impl<T> OrApi<T> for Result<T, trame_app::Error> {
    fn json_err(self) -> ApiResult<T> {
        self.map_err(|e| ApiError::from_app(e, Surface::Json))
    }
    fn html_err(self) -> ApiResult<T> {
        self.map_err(|e| ApiError::from_app(e, Surface::Html))
    }
    fn problem_err(self) -> ApiResult<T> {
        self.map_err(|e| ApiError::from_app(e, Surface::Problem))
    }
}

impl ApiError {
    pub(crate) fn from_app(e: trame_app::Error, surface: Surface) -> Self {
        match e {
            trame_app::Error::Store(source) => ApiError::Store { surface, source },
            trame_app::Error::Ephemeral(source) => ApiError::Ephemeral { surface, source },
            trame_app::Error::Signing(source) => ApiError::Signing { surface, source },
        }
    }
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Logs an infrastructure failure with its whole source chain, once.
fn log_internal(e: &dyn std::error::Error) {
    let mut chain = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        src = s.source();
    }
    tracing::error!(error = %chain, "internal failure");
}

fn internal(surface: Surface, unavailable: bool) -> Response {
    let (status, code, msg) = if unavailable {
        (StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable", "error-unavailable")
    } else {
        (StatusCode::INTERNAL_SERVER_ERROR, "server_error", "error-internal")
    };
    match surface {
        Surface::Json => no_store((status, Json(json!({"error": code}))).into_response()),
        Surface::Html => ApiError::page(status, msg).into_response(),
        Surface::Problem => {
            let detail = if unavailable { "a service Trame depends on is unavailable; try again later" } else { "an internal error occurred" };
            crate::problem::Problem::new(status, code, detail).into_response()
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::OAuth { code, description, basic_challenge } => {
                let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::BAD_REQUEST);
                let mut r = no_store((status, Json(json!({"error": code.as_str(), "error_description": description}))).into_response());
                if basic_challenge {
                    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"trame\""));
                }
                r
            }
            ApiError::Bearer { status, error, description } => {
                let challenge = match error {
                    Some(code) => format!("Bearer error=\"{code}\", error_description=\"{}\"", description.replace(['"', '\\'], "'")),
                    None => "Bearer".to_owned(),
                };
                let body = match error {
                    Some(code) => json!({"error": code.as_str(), "error_description": description}),
                    // No credentials at all: no error information (RFC 6750 §3.1).
                    None => json!({}),
                };
                let mut r = no_store((status, Json(body)).into_response());
                if let Ok(v) = HeaderValue::from_str(&challenge) {
                    r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
                }
                r
            }
            ApiError::Page { status, message, detail } => Deferred::ErrorPage { status, message, detail }.into_response(),
            ApiError::Problem(p) => p.into_response(),
            ApiError::Redirect { issuer, reply, error, description } => {
                let mut params = vec![("error", error.as_str().to_owned()), ("error_description", description)];
                if let Some(s) = &reply.state {
                    params.push(("state", s.clone()));
                }
                params.push(("iss", issuer));
                crate::respond::reply_to_client(&reply, params)
            }
            ApiError::Store { surface, source } => {
                log_internal(&source);
                crate::telemetry::durable_error(&source);
                internal(surface, source.is_unavailable())
            }
            ApiError::Ephemeral { surface, source } => {
                log_internal(&source);
                crate::telemetry::ephemeral_error(&source);
                internal(surface, true)
            }
            ApiError::Signing { surface, source } => {
                log_internal(&source);
                internal(surface, false)
            }
        }
    }
}

impl From<trame_app::password_work::WorkError> for ApiError {
    /// Password work happens behind pages (sign-in, account).
    fn from(e: trame_app::password_work::WorkError) -> Self {
        use trame_app::password_work::WorkError;
        match e {
            WorkError::Busy => {
                tracing::warn!("password check refused: too many in progress");
                ApiError::page(StatusCode::SERVICE_UNAVAILABLE, "error-unavailable")
            }
            WorkError::Crashed => {
                tracing::error!(error = %e, "internal failure");
                ApiError::page(StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
            }
        }
    }
}

/// The page shown for an authorization request whose client or redirect
/// URI cannot be trusted: never a redirect.
pub(crate) fn page_error(e: PageError) -> ApiError {
    let (msg, detail) = match &e {
        PageError::MissingClientId => ("error-missing-client-id", None),
        PageError::UnknownClient => ("error-unknown-client", None),
        PageError::MissingRedirectUri => ("error-missing-redirect-uri", None),
        PageError::RedirectUriMismatch => ("error-redirect-uri", None),
        PageError::Duplicate(p) => ("error-duplicate-param", Some(p.clone())),
        PageError::TooLong(p) => ("error-param-too-long", Some(p.clone())),
    };
    ApiError::Page { status: StatusCode::BAD_REQUEST, message: msg, detail }
}

/// An authorization error sent to the client's validated redirect URI.
pub(crate) fn redirect_error(tenant: &TenantEntry, reply: &ReplyTo, error: ErrorCode, description: &str) -> ApiError {
    ApiError::Redirect { issuer: tenant.tenant.issuer.as_str().to_owned(), reply: reply.clone(), error, description: description.to_owned() }
}
