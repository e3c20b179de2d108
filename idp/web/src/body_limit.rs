//! How much of a request body is read. Every body is held to 64 KiB, and
//! refused at once (413) when its declared length says more. One form is
//! larger: the console's branding form carries a logo (at most
//! `trame_app::branding::MAX_LOGO_BYTES`) with its fields, and a logo too
//! large must be answered at its field, not with a bare 413. Its body is
//! read up to [`UPLOAD_LIMIT`] whatever it declares, so its handler reads
//! an oversized logo to the end (and refuses it) instead of leaving the
//! browser's upload cut off.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::Limited;

/// Every request body but the upload's.
pub const BODY_LIMIT: usize = 64 * 1024;
/// The branding form's body.
pub const UPLOAD_LIMIT: usize = 1024 * 1024;
/// The branding form's path, under the tenant's issuer.
const UPLOAD_PATH: &str = "/admin/branding";

/// A body declared larger than its limit: answered 413 at once.
#[derive(Debug)]
pub struct TooLarge;

impl IntoResponse for TooLarge {
    fn into_response(self) -> Response {
        (StatusCode::PAYLOAD_TOO_LARGE, "length limit exceeded").into_response()
    }
}

/// The request with its body limited, or the refusal.
pub fn limited(req: Request) -> Result<Request, TooLarge> {
    let upload = req.method() == Method::POST && req.uri().path().ends_with(UPLOAD_PATH);
    let limit = if upload { UPLOAD_LIMIT } else { BODY_LIMIT };
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if !upload && declared.is_some_and(|n| n > limit as u64) {
        return Err(TooLarge);
    }
    Ok(req.map(|b| Body::new(Limited::new(b, limit))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(path: &str, length: usize) -> Request {
        axum::http::Request::post(path).header(header::CONTENT_LENGTH, length.to_string()).body(Body::empty()).unwrap()
    }

    #[test]
    fn only_the_upload_may_declare_more() {
        assert_eq!(limited(post("/ville/token", BODY_LIMIT + 1)).unwrap_err().into_response().status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(limited(post("/ville/token", BODY_LIMIT)).is_ok());
        assert!(limited(post("/ville/admin/branding", 10 * UPLOAD_LIMIT)).is_ok(), "read to its limit, refused at its field");
        let get = axum::http::Request::get("/ville/admin/branding").header(header::CONTENT_LENGTH, "1000000").body(Body::empty()).unwrap();
        assert!(limited(get).is_err(), "only the form's post");
    }
}
