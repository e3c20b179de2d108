//! The `claims` request parameter (OIDC Core §5.5) and the choice of which
//! claims to release where: minimal disclosure, so scope claims go to the
//! UserInfo endpoint only, and the ID token carries a profile claim only
//! when the client asked for it there by name.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::scope::{Scopes, claims_of_scope};
use crate::user::UserProfile;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimsError {
    #[error("the claims parameter is not valid JSON")]
    NotJson,
    #[error("the claims parameter must be a JSON object with optional userinfo and id_token members")]
    BadShape,
    #[error("the claims parameter is too large")]
    TooLarge,
}

/// One requested claim: `null` or `{essential, value, values}`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClaimRequest {
    pub essential: bool,
    pub values: Option<Vec<Value>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClaimsRequest {
    pub userinfo: Vec<(String, ClaimRequest)>,
    pub id_token: Vec<(String, ClaimRequest)>,
}

impl ClaimsRequest {
    pub fn parse(s: &str) -> Result<Self, ClaimsError> {
        if s.len() > 8192 {
            return Err(ClaimsError::TooLarge);
        }
        let v: Value = serde_json::from_str(s).map_err(|_| ClaimsError::NotJson)?;
        Self::from_json(&v)
    }

    pub fn from_json(v: &Value) -> Result<Self, ClaimsError> {
        let obj = v.as_object().ok_or(ClaimsError::BadShape)?;
        let mut out = ClaimsRequest::default();
        for (member, target) in [("userinfo", &mut out.userinfo), ("id_token", &mut out.id_token)] {
            match obj.get(member) {
                None | Some(Value::Null) => {}
                Some(Value::Object(claims)) => {
                    for (name, spec) in claims {
                        target.push((name.clone(), parse_one(spec)?));
                    }
                }
                Some(_) => return Err(ClaimsError::BadShape),
            }
        }
        Ok(out)
    }

    /// The JSON form, stored with a grant so UserInfo can honour it later.
    pub fn to_json(&self) -> Value {
        let part = |list: &Vec<(String, ClaimRequest)>| {
            let mut m = Map::new();
            for (name, r) in list {
                let mut spec = Map::new();
                if r.essential {
                    spec.insert("essential".into(), Value::Bool(true));
                }
                if let Some(values) = &r.values {
                    spec.insert("values".into(), Value::Array(values.clone()));
                }
                m.insert(name.clone(), if spec.is_empty() { Value::Null } else { Value::Object(spec) });
            }
            Value::Object(m)
        };
        let mut m = Map::new();
        if !self.userinfo.is_empty() {
            m.insert("userinfo".into(), part(&self.userinfo));
        }
        if !self.id_token.is_empty() {
            m.insert("id_token".into(), part(&self.id_token));
        }
        Value::Object(m)
    }

    /// The `acr` request made through `claims.id_token.acr`, if any.
    pub fn acr(&self) -> Option<&ClaimRequest> {
        self.id_token.iter().find(|(n, _)| n == "acr").map(|(_, r)| r)
    }
}

fn parse_one(spec: &Value) -> Result<ClaimRequest, ClaimsError> {
    match spec {
        Value::Null => Ok(ClaimRequest::default()),
        Value::Object(o) => {
            let essential = match o.get("essential") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(ClaimsError::BadShape),
            };
            let values = match (o.get("value"), o.get("values")) {
                (Some(v), None) => Some(vec![v.clone()]),
                (None, Some(Value::Array(vs))) => Some(vs.clone()),
                (None, None) => None,
                _ => return Err(ClaimsError::BadShape),
            };
            Ok(ClaimRequest { essential, values })
        }
        _ => Err(ClaimsError::BadShape),
    }
}

/// Claims that describe the authentication event, not the user; they are
/// placed by the token builder, never copied from the profile.
const PROTOCOL_CLAIMS: &[&str] = &["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid", "at_hash"];

/// The profile claims to release at the UserInfo endpoint: those of the
/// granted scopes plus those named in `claims.userinfo`.
pub fn userinfo_claims(user: &UserProfile, scopes: &Scopes, request: &ClaimsRequest) -> Map<String, Value> {
    let mut names: BTreeSet<&str> = scopes.iter().flat_map(claims_of_scope).copied().collect();
    names.extend(request.userinfo.iter().map(|(n, _)| n.as_str()));
    collect(user, names)
}

/// The profile claims to put in the ID token: only those named in
/// `claims.id_token`.
pub fn id_token_claims(user: &UserProfile, request: &ClaimsRequest) -> Map<String, Value> {
    collect(user, request.id_token.iter().map(|(n, _)| n.as_str()).collect())
}

fn collect(user: &UserProfile, names: BTreeSet<&str>) -> Map<String, Value> {
    names.into_iter().filter(|n| !PROTOCOL_CLAIMS.contains(n)).filter_map(|n| user.claim(n).map(|v| (n.to_owned(), v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> UserProfile {
        UserProfile {
            id: "u1".into(),
            username: "alice".into(),
            email: Some("alice@example.fr".into()),
            email_verified: true,
            given_name: Some("Alice".into()),
            family_name: Some("Martin".into()),
            ..Default::default()
        }
    }

    #[test]
    fn parse_valid_requests() {
        let r = ClaimsRequest::parse(r#"{"userinfo":{"email":{"essential":true},"name":null},"id_token":{"acr":{"values":["eidas2"]}}}"#).unwrap();
        assert_eq!(r.userinfo.len(), 2);
        assert_eq!(r.acr().unwrap().values.as_ref().unwrap()[0], "eidas2");
        let again = ClaimsRequest::from_json(&r.to_json()).unwrap();
        assert_eq!(again, r);
    }

    #[test]
    fn parse_invalid_requests() {
        for bad in [
            "[",
            "[]",
            r#"{"userinfo":[]}"#,
            r#"{"id_token":{"x":3}}"#,
            r#"{"id_token":{"x":{"essential":"yes"}}}"#,
            r#"{"id_token":{"x":{"value":1,"values":[1]}}}"#,
        ] {
            assert!(ClaimsRequest::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scope_claims_go_to_userinfo_only() {
        let scopes = Scopes::parse("openid profile email").unwrap();
        let none = ClaimsRequest::default();
        let ui = userinfo_claims(&user(), &scopes, &none);
        assert_eq!(ui["email"], "alice@example.fr");
        assert_eq!(ui["name"], "Alice Martin");
        assert!(!ui.contains_key("phone_number"));
        assert!(id_token_claims(&user(), &none).is_empty());
    }

    #[test]
    fn named_claims_are_released_where_asked() {
        let r = ClaimsRequest::parse(r#"{"id_token":{"email":null,"sub":null,"acr":null}}"#).unwrap();
        let it = id_token_claims(&user(), &r);
        assert_eq!(it.len(), 1);
        assert_eq!(it["email"], "alice@example.fr");
        let only_openid = Scopes::parse("openid").unwrap();
        let r = ClaimsRequest::parse(r#"{"userinfo":{"given_name":null}}"#).unwrap();
        let ui = userinfo_claims(&user(), &only_openid, &r);
        assert_eq!(ui.len(), 1);
    }
}
