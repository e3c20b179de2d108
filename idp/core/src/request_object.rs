//! Request Objects (RFC 9101, OIDC Core §6.1, OpenID Federation §12.1.1.1):
//! the checks on the claims of a Request Object whose signature the caller
//! has verified, and the authorization parameters it stands for.
//!
//! Only the Request Object's parameters are used (RFC 9101 §5): a value
//! given beside it in the query is ignored, so nothing outside the signed
//! object can change what the client asked for. Two exceptions keep OIDC
//! Core clients working: `client_id` is the outer one (it chose the keys),
//! and `response_type` and `scope` are taken from the query when the object
//! leaves them out; when both carry `response_type` they must agree.

use serde_json::{Map, Value};

use crate::lifetimes::{CLOCK_SKEW, REQUEST_OBJECT_MAX};

/// Claims that describe the object itself, not the authorization request.
const ENVELOPE: [&str; 6] = ["iss", "aud", "exp", "iat", "nbf", "jti"];

/// Longest `jti` kept in the replay memory.
const MAX_JTI: usize = 256;

/// What the Request Object is checked against.
#[derive(Debug, Clone, Copy)]
pub struct Expectations<'a> {
    pub client_id: &'a str,
    /// This provider's issuer, the audience.
    pub issuer: &'a str,
    pub now: i64,
    /// A federation relying party registering automatically (§12.1.1.1.1):
    /// `aud` only the provider, `exp` and `jti` required, no `sub`.
    pub federation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestObjectError {
    /// `invalid_request_object`.
    #[error("{0}")]
    Invalid(String),
    /// `invalid_request`: the object and the query disagree.
    #[error("{0}")]
    Mismatch(String),
}

/// The parameters a valid Request Object stands for, and what the caller
/// must remember so it is used once.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub params: Vec<(String, String)>,
    /// To be spent once, until `expires_at`.
    pub jti: Option<String>,
    pub expires_at: Option<i64>,
}

fn invalid(why: impl Into<String>) -> RequestObjectError {
    RequestObjectError::Invalid(why.into())
}

fn audience_ok(aud: Option<&Value>, issuer: &str, only: bool) -> bool {
    match aud {
        Some(Value::String(a)) => a == issuer,
        Some(Value::Array(list)) if only => list.len() == 1 && list[0].as_str() == Some(issuer),
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(issuer)),
        _ => false,
    }
}

fn time(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, RequestObjectError> {
    match claims.get(name) {
        None => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or_else(|| invalid(format!("{name} is not a number"))),
    }
}

/// A claim as an authorization parameter: strings as they are, numbers and
/// booleans written out, objects (`claims`) as JSON.
fn as_param(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Checks the claims of a verified Request Object and returns the
/// authorization parameters it carries.
pub fn accept(claims: &Map<String, Value>, outer: &[(String, String)], e: &Expectations<'_>) -> Result<Accepted, RequestObjectError> {
    let s = |n: &str| claims.get(n).and_then(Value::as_str);
    match claims.get("iss") {
        None if e.federation => return Err(invalid("iss is missing")),
        None => {}
        Some(_) if s("iss") != Some(e.client_id) => return Err(invalid("iss is not the client")),
        Some(_) => {}
    }
    if claims.get("client_id").is_some() && s("client_id") != Some(e.client_id) {
        return Err(invalid("client_id differs from the request's"));
    }
    let aud = claims.get("aud");
    if (e.federation || aud.is_some()) && !audience_ok(aud, e.issuer, e.federation) {
        let why = if e.federation { "aud must be this provider's issuer, alone" } else { "aud does not name this provider" };
        return Err(invalid(why));
    }
    if e.federation && claims.contains_key("sub") {
        return Err(invalid("sub must not be present"));
    }
    if claims.contains_key("request") || claims.contains_key("request_uri") {
        return Err(invalid("a Request Object cannot contain request or request_uri"));
    }
    let exp = time(claims, "exp")?;
    match exp {
        None if e.federation => return Err(invalid("exp is missing")),
        Some(exp) if exp + CLOCK_SKEW < e.now => return Err(invalid("the Request Object has expired")),
        Some(exp) if exp > e.now + REQUEST_OBJECT_MAX + CLOCK_SKEW => return Err(invalid("exp is too far in the future")),
        _ => {}
    }
    if time(claims, "nbf")?.is_some_and(|nbf| nbf > e.now + CLOCK_SKEW) {
        return Err(invalid("the Request Object is not valid yet (nbf)"));
    }
    if time(claims, "iat")?.is_some_and(|iat| iat > e.now + CLOCK_SKEW) {
        return Err(invalid("iat is in the future"));
    }
    let jti = match claims.get("jti") {
        None if e.federation => return Err(invalid("jti is missing")),
        None => None,
        Some(Value::String(j)) if !j.is_empty() && j.len() <= MAX_JTI => Some(j.clone()),
        Some(_) => return Err(invalid("jti must be a string of at most 256 characters")),
    };
    // A jti kept for replay detection needs an end.
    if jti.is_some() && exp.is_none() {
        return Err(invalid("a Request Object with jti needs exp"));
    }

    let outer_value = |n: &str| outer.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty());
    if let (Some(o), Some(inner)) = (outer_value("response_type"), claims.get("response_type"))
        && inner.as_str() != Some(o)
    {
        return Err(RequestObjectError::Mismatch("response_type differs between the request and the Request Object".into()));
    }

    let mut params: Vec<(String, String)> = claims
        .iter()
        .filter(|(k, _)| !ENVELOPE.contains(&k.as_str()) && k.as_str() != "client_id" && k.as_str() != "sub")
        .filter_map(|(k, v)| as_param(v).map(|v| (k.clone(), v)))
        .collect();
    params.push(("client_id".into(), e.client_id.to_owned()));
    for name in ["response_type", "scope"] {
        if !claims.contains_key(name)
            && let Some(v) = outer_value(name)
        {
            params.push((name.into(), v.to_owned()));
        }
    }
    Ok(Accepted { params, jti, expires_at: exp })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const OP: &str = "https://op.example";
    const RP: &str = "https://rp.example";
    const NOW: i64 = 1_000_000;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn good() -> Value {
        json!({
            "iss": RP, "aud": OP, "exp": NOW + 60, "iat": NOW, "jti": "j1",
            "client_id": RP, "response_type": "code", "scope": "openid",
            "redirect_uri": "https://rp.example/cb", "max_age": 30,
            "claims": {"id_token": {"acr": {"essential": true}}}
        })
    }

    fn with(mut v: Value, k: &str, x: Option<Value>) -> Value {
        match x {
            Some(x) => v[k] = x,
            None => {
                v.as_object_mut().unwrap().remove(k);
            }
        }
        v
    }

    fn run(v: Value, federation: bool) -> Result<Accepted, RequestObjectError> {
        let outer = vec![("client_id".to_owned(), RP.to_owned()), ("response_type".to_owned(), "code".to_owned()), ("state".to_owned(), "outer".to_owned())];
        accept(&claims(v), &outer, &Expectations { client_id: RP, issuer: OP, now: NOW, federation })
    }

    #[test]
    fn parameters_come_from_the_object_only() {
        let a = run(good(), true).unwrap();
        let get = |n: &str| a.params.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
        assert_eq!(get("redirect_uri"), Some("https://rp.example/cb"));
        assert_eq!(get("max_age"), Some("30"));
        assert_eq!(get("claims"), Some(r#"{"id_token":{"acr":{"essential":true}}}"#));
        assert_eq!(get("client_id"), Some(RP));
        assert_eq!(get("state"), None, "an outer parameter is ignored");
        assert_eq!(get("iss"), None);
        assert_eq!(get("jti"), None);
        assert_eq!(a.params.iter().filter(|(k, _)| k == "client_id").count(), 1);
        assert_eq!((a.jti.as_deref(), a.expires_at), (Some("j1"), Some(NOW + 60)));
    }

    #[test]
    fn outer_response_type_and_scope_fill_in_but_never_contradict() {
        let a = run(with(with(good(), "response_type", None), "scope", None), false).unwrap();
        assert!(a.params.contains(&("response_type".into(), "code".into())));
        assert_eq!(
            run(with(good(), "response_type", Some(json!("token"))), false).unwrap_err(),
            RequestObjectError::Mismatch("response_type differs between the request and the Request Object".into())
        );
    }

    #[test]
    fn federation_rules() {
        let err = |v: Value| run(v, true).unwrap_err();
        assert_eq!(err(with(good(), "aud", Some(json!([OP, "https://other.example"])))), invalid("aud must be this provider's issuer, alone"));
        assert_eq!(err(with(good(), "aud", None)), invalid("aud must be this provider's issuer, alone"));
        assert_eq!(err(with(good(), "sub", Some(json!(RP)))), invalid("sub must not be present"));
        assert_eq!(err(with(good(), "jti", None)), invalid("jti is missing"));
        assert_eq!(err(with(good(), "exp", None)), invalid("exp is missing"));
        assert_eq!(err(with(good(), "iss", None)), invalid("iss is missing"));
        // Outside federation the same object is fine with a multi-valued aud.
        assert!(run(with(good(), "aud", Some(json!([OP, "https://other.example"]))), false).is_ok());
        assert!(run(with(with(with(good(), "jti", None), "exp", None), "aud", None), false).is_ok());
    }

    #[test]
    fn envelope_checks() {
        let err = |v: Value| run(v, false).unwrap_err();
        assert_eq!(err(with(good(), "iss", Some(json!("https://evil.example")))), invalid("iss is not the client"));
        assert_eq!(err(with(good(), "client_id", Some(json!("other")))), invalid("client_id differs from the request's"));
        assert_eq!(err(with(good(), "aud", Some(json!("https://other.example")))), invalid("aud does not name this provider"));
        assert_eq!(err(with(good(), "exp", Some(json!(NOW - CLOCK_SKEW - 1)))), invalid("the Request Object has expired"));
        assert!(run(with(good(), "exp", Some(json!(NOW - CLOCK_SKEW))), false).is_ok(), "skew edge");
        assert_eq!(err(with(good(), "exp", Some(json!(NOW + 2 * REQUEST_OBJECT_MAX)))), invalid("exp is too far in the future"));
        assert_eq!(err(with(good(), "exp", Some(json!("soon")))), invalid("exp is not a number"));
        assert_eq!(err(with(good(), "nbf", Some(json!(NOW + CLOCK_SKEW + 1)))), invalid("the Request Object is not valid yet (nbf)"));
        assert_eq!(err(with(good(), "iat", Some(json!(NOW + CLOCK_SKEW + 1)))), invalid("iat is in the future"));
        assert_eq!(err(with(good(), "request_uri", Some(json!("https://x")))), invalid("a Request Object cannot contain request or request_uri"));
        assert_eq!(err(with(good(), "jti", Some(json!(7)))), invalid("jti must be a string of at most 256 characters"));
        assert_eq!(err(with(good(), "jti", Some(json!("x".repeat(257))))), invalid("jti must be a string of at most 256 characters"));
        assert_eq!(err(with(good(), "exp", None)), invalid("a Request Object with jti needs exp"));
    }
}
