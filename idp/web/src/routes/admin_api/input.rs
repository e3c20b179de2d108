//! Reading the admin API's requests: query strings and JSON bodies decoded
//! strictly (an unknown member is an error, not silently ignored: a typo
//! must not pass for a change), opaque cursors, and `If-Match`.

use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::error::ApiResult;
use crate::problem::Problem;

/// The query string as `T`.
pub fn query<T: DeserializeOwned>(raw: Option<&str>) -> ApiResult<T> {
    serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| Problem::bad_request(format!("the query string is invalid: {e}")).into())
}

/// The JSON body as `T`: `application/json` (or `application/merge-patch+json`,
/// RFC 7396, for updates).
pub fn body<T: DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> ApiResult<T> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence != "application/json" && essence != "application/merge-patch+json" {
        return Err(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send a JSON body (Content-Type: application/json)").into());
    }
    serde_json::from_slice(bytes)
        .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "invalid_body", format!("the body is not what this operation takes: {e}")).into())
}

/// A member that may be absent (`None`: unchanged), `null` (`Some(None)`:
/// cleared) or a value: JSON merge patch (RFC 7396).
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A page size: 1 to `max`, `default` when not given.
pub fn limit(asked: Option<u64>, default: u64, max: u64) -> ApiResult<u64> {
    match asked {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(Problem::bad_request(format!("limit is 1 to {max}")).at("limit").into()),
    }
}

/// A cursor as given to clients: opaque, so its form may change.
pub fn cursor_out(position: &str) -> String {
    URL_SAFE_NO_PAD.encode(position)
}

pub fn cursor_in(cursor: Option<&str>) -> ApiResult<Option<String>> {
    cursor
        .map(|c| {
            URL_SAFE_NO_PAD
                .decode(c)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| Problem::bad_request("the cursor is not one this API gave").at("cursor").into())
        })
        .transpose()
}

/// The strong entity tag of a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The strong entity tag of a representation whose version is its
/// content: a digest of `bytes`, so it matches only the very values it
/// was made of.
pub fn digest_etag(bytes: &[u8]) -> String {
    format!("\"{}\"", trame_core::crypto::b64url(&trame_core::crypto::sha256(bytes)[..16]))
}

/// What `If-Match` asks for (RFC 9110 §13.1.1): required on updates, so two
/// administrators never overwrite each other unknowingly (428 without
/// it); `*` accepts any version.
pub enum IfMatch {
    Any,
    /// The strong tags named, as sent (quotes included); weak tags never
    /// match (strong comparison).
    Tags(Vec<String>),
}

impl IfMatch {
    pub fn from_headers(headers: &HeaderMap) -> ApiResult<Self> {
        let values: Vec<&str> = headers.get_all(header::IF_MATCH).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(str::trim).collect();
        if values.is_empty() {
            return Err(Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                "send If-Match with the ETag of the version you change (or * to change any)",
            )
            .into());
        }
        if values.contains(&"*") {
            return Ok(IfMatch::Any);
        }
        Ok(IfMatch::Tags(values.iter().filter(|t| t.len() >= 2 && t.starts_with('"') && t.ends_with('"')).map(|t| (*t).to_owned()).collect()))
    }

    /// Whether the resource whose current entity tag is `current` (as
    /// [`etag`] writes it) may be changed.
    pub fn matches(&self, current: &str) -> bool {
        match self {
            IfMatch::Any => true,
            IfMatch::Tags(tags) => tags.iter().any(|t| t == current),
        }
    }

    /// The version a conditional update must find, given the current one:
    /// 412 when it is not among those named.
    pub fn expect(&self, current: i64) -> ApiResult<Option<i64>> {
        match self {
            IfMatch::Any => Ok(None),
            IfMatch::Tags(_) if self.matches(&etag(current)) => Ok(Some(current)),
            IfMatch::Tags(_) => Err(stale().into()),
        }
    }
}

/// 412: the resource moved on since the caller read it.
pub fn stale() -> Problem {
    Problem::new(StatusCode::PRECONDITION_FAILED, "stale_version", "the resource changed since you read it: read it again, then retry")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_if_match(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn if_match_takes_strong_tags_and_star() {
        let expect = |h: &str, current: i64| IfMatch::from_headers(&with_if_match(h)).and_then(|m| m.expect(current)).ok();
        assert_eq!(expect("\"7\"", 7), Some(Some(7)));
        assert_eq!(expect("\"3\", \"7\"", 7), Some(Some(7)));
        assert_eq!(expect("\"3\"", 7), None, "another version: 412");
        assert_eq!(expect("*", 7), Some(None));
        assert_eq!(expect("W/\"7\"", 7), None, "weak tags never match");
        assert!(IfMatch::from_headers(&HeaderMap::new()).is_err(), "428 without If-Match");
        let tags = IfMatch::from_headers(&with_if_match("\"a1b2\", W/\"c3\"")).ok().unwrap();
        assert!(tags.matches("\"a1b2\"") && !tags.matches("\"c3\""), "opaque tags, strong only");
    }

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let c = cursor_out("élodie");
        assert_eq!(cursor_in(Some(&c)).ok().flatten().as_deref(), Some("élodie"));
        assert!(cursor_in(Some("%%%")).is_err());
        assert!(limit(Some(0), 50, 200).is_err() && limit(Some(201), 50, 200).is_err());
        assert_eq!(limit(None, 50, 200).ok(), Some(50));
    }
}
