//! Small response builders the pages share: a redirect, a cookie added to
//! an answer, and the authorization response sent back to a client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use trame_core::authorize::{ReplyTo, ResponseMode};

use crate::render::Deferred;

/// A 303 to `location` (a form post or a page moving on).
pub fn see_other(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// `r` with one more `Set-Cookie`, when there is one.
pub fn with_cookie(mut r: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(c) = cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

/// Sends an authorization response (success or error) to the client's
/// validated redirect URI, in the requested response mode.
pub fn reply_to_client(reply: &ReplyTo, params: Vec<(&str, String)>) -> Response {
    match reply.response_mode {
        ResponseMode::Query => {
            let uri = reply.redirect_uri.as_str();
            let sep = if uri.contains('?') { '&' } else { '?' };
            let query = serde_urlencoded::to_string(&params).expect("string pairs encode");
            let mut r = see_other(&format!("{uri}{sep}{query}"));
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        ResponseMode::FormPost => {
            Deferred::FormPost { action: reply.redirect_uri.as_str().to_owned(), fields: params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect() }
                .into_response()
        }
    }
}
