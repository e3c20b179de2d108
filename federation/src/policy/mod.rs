//! Metadata policy (§6.1): parsing (`operators`), merging down a chain
//! (`merge`) and applying the result to an entity's metadata (`apply`).
//!
//! A policy that cannot be parsed or merged is a [`PolicyError`]
//! (`invalid_policy`); metadata that a valid policy rejects is a
//! [`MetadataError`] (`invalid_metadata`).

pub mod apply;
pub mod merge;
pub mod operators;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

pub use operators::{ParameterPolicy, STANDARD_OPERATORS, TypePolicy};

/// An invalid policy, or policies that cannot be merged (`invalid_policy`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("{at} is not a JSON object")]
    NotAnObject { at: String },
    #[error("operator {operator} of parameter {parameter} must be {expected}")]
    OperatorType { parameter: String, operator: &'static str, expected: &'static str },
    #[error("operators {first} and {second} may not be combined (parameter {parameter})")]
    ForbiddenCombination { parameter: String, first: &'static str, second: &'static str },
    #[error("illegal {first} / {second} combination for parameter {parameter}: {rule}")]
    IncompatibleValues { parameter: String, first: &'static str, second: &'static str, rule: &'static str },
    #[error("the {operator} operators of parameter {parameter} differ between a superior and a subordinate policy")]
    MergeConflict { parameter: String, operator: &'static str },
    #[error("the merged one_of of parameter {parameter} is empty")]
    EmptyOneOf { parameter: String },
    #[error("critical operator {operator} (parameter {parameter}) is not understood")]
    CriticalOperatorNotUnderstood { parameter: String, operator: String },
    #[error("metadata_policy_crit must be a non-empty array of strings")]
    BadPolicyCrit,
}

/// Metadata that the policy rejects (`invalid_metadata`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error("{entity_type}.{parameter} fails the {operator} operator: {problem}")]
    Rejected { entity_type: String, parameter: String, operator: &'static str, problem: &'static str },
    #[error("the metadata of entity type {entity_type} is not a JSON object")]
    NotAnObject { entity_type: String },
}

/// A `metadata_policy`: entity type → parameter → operators.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetadataPolicy {
    pub types: BTreeMap<String, TypePolicy>,
}

impl MetadataPolicy {
    /// Parses a `metadata_policy` claim. `crit` is every operator named in a
    /// `metadata_policy_crit` of the chain (§6.1.4.1 gathers them first).
    pub fn parse(policy: &Value, crit: &[String]) -> Result<Self, PolicyError> {
        let Value::Object(map) = policy else {
            return Err(PolicyError::NotAnObject { at: "metadata_policy".into() });
        };
        let mut types = BTreeMap::new();
        for (entity_type, p) in map {
            types.insert(entity_type.clone(), operators::parse_type_policy(entity_type, p, crit)?);
        }
        Ok(Self { types })
    }

    /// Merges the policy of the next statement down into this one.
    pub fn merge(&self, subordinate: &MetadataPolicy) -> Result<MetadataPolicy, PolicyError> {
        let mut types = self.types.clone();
        for (entity_type, sub) in &subordinate.types {
            let merged = match self.types.get(entity_type) {
                Some(sup) => merge::merge_type(sup, sub)?,
                None => sub.clone(),
            };
            types.insert(entity_type.clone(), merged);
        }
        Ok(Self { types })
    }

    /// Applies the policy to metadata (entity type → parameters). Policies
    /// for entity types the metadata does not have are not used.
    pub fn apply(&self, metadata: &Map<String, Value>) -> Result<Map<String, Value>, MetadataError> {
        let mut out = Map::new();
        for (entity_type, params) in metadata {
            let Value::Object(params) = params else {
                return Err(MetadataError::NotAnObject { entity_type: entity_type.clone() });
            };
            let resolved = match self.types.get(entity_type) {
                Some(p) => apply::apply_type(entity_type, p, params)?,
                None => params.clone(),
            };
            out.insert(entity_type.clone(), Value::Object(resolved));
        }
        Ok(out)
    }

    /// The policy as a `metadata_policy` JSON object.
    pub fn to_json(&self) -> Value {
        Value::Object(self.types.iter().map(|(t, p)| (t.clone(), operators::type_policy_to_json(p))).collect())
    }
}

/// Reads a `metadata_policy_crit` claim: a non-empty array of operator names.
pub fn parse_policy_crit(v: &Value) -> Result<Vec<String>, PolicyError> {
    let Value::Array(items) = v else {
        return Err(PolicyError::BadPolicyCrit);
    };
    if items.is_empty() {
        return Err(PolicyError::BadPolicyCrit);
    }
    items.iter().map(|i| i.as_str().map(str::to_owned).ok_or(PolicyError::BadPolicyCrit)).collect()
}

/// Resolves the policy of a chain (§6.1.4.1): `policies` are the
/// `metadata_policy` claims of the Subordinate Statements ordered from the
/// Trust Anchor's down, `crit` the union of their `metadata_policy_crit`.
pub fn resolve_chain_policy<'a>(policies: impl IntoIterator<Item = &'a Value>, crit: &[String]) -> Result<MetadataPolicy, PolicyError> {
    let mut merged = MetadataPolicy::default();
    for p in policies {
        let next = MetadataPolicy::parse(p, crit)?;
        merged = merged.merge(&next)?;
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The worked example of §6.1.5 (RP metadata under a TA and an
    /// Intermediate policy), shortened to the parameters it exercises.
    #[test]
    fn chain_example() {
        let ta = json!({"openid_relying_party": {
            "grant_types": {"default": ["authorization_code"], "subset_of": ["authorization_code", "refresh_token"], "superset_of": ["authorization_code"]},
            "token_endpoint_auth_method": {"one_of": ["private_key_jwt", "self_signed_tls_client_auth"], "essential": true},
            "token_endpoint_auth_signing_alg": {"one_of": ["PS256", "ES256"]},
            "subject_type": {"value": "pairwise"},
            "contacts": {"add": ["helpdesk@federation.example.org"]}
        }});
        let int = json!({"openid_relying_party": {
            "grant_types": {"subset_of": ["authorization_code"]},
            "token_endpoint_auth_method": {"one_of": ["self_signed_tls_client_auth"]},
            "contacts": {"add": ["helpdesk@org.example.org"]}
        }});
        let merged = resolve_chain_policy([&ta, &int], &[]).unwrap();
        let rp = &merged.types["openid_relying_party"];
        assert_eq!(rp["grant_types"].subset_of, Some(vec![json!("authorization_code")]));
        assert_eq!(rp["token_endpoint_auth_method"].one_of, Some(vec![json!("self_signed_tls_client_auth")]));
        let metadata = json!({"openid_relying_party": {
            "grant_types": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_method": "self_signed_tls_client_auth",
            "contacts": ["rp_admins@cs.example.com"],
            "redirect_uris": ["https://rp.example.com/cb"]
        }, "federation_entity": {"organization_name": "RP"}});
        let resolved = merged.apply(metadata.as_object().unwrap()).unwrap();
        assert_eq!(
            resolved["openid_relying_party"],
            json!({
                "grant_types": ["authorization_code"],
                "token_endpoint_auth_method": "self_signed_tls_client_auth",
                "subject_type": "pairwise",
                "contacts": ["rp_admins@cs.example.com", "helpdesk@federation.example.org", "helpdesk@org.example.org"],
                "redirect_uris": ["https://rp.example.com/cb"]
            })
        );
        assert_eq!(resolved["federation_entity"], json!({"organization_name": "RP"}));
    }

    #[test]
    fn critical_operator_anywhere_in_the_chain() {
        let ta = json!({"openid_provider": {"id_token_signing_alg_values_supported": {"regexp": "^ES"}}});
        assert!(resolve_chain_policy([&ta], &[]).is_ok());
        let crit = parse_policy_crit(&json!(["regexp"])).unwrap();
        assert!(matches!(resolve_chain_policy([&ta], &crit), Err(PolicyError::CriticalOperatorNotUnderstood { .. })));
        assert_eq!(parse_policy_crit(&json!([])), Err(PolicyError::BadPolicyCrit));
        assert_eq!(parse_policy_crit(&json!("regexp")), Err(PolicyError::BadPolicyCrit));
    }

    #[test]
    fn metadata_must_be_objects() {
        let p = MetadataPolicy::default();
        let m = json!({"openid_provider": "x"});
        assert!(matches!(p.apply(m.as_object().unwrap()), Err(MetadataError::NotAnObject { .. })));
        assert!(matches!(MetadataPolicy::parse(&json!({"openid_provider": []}), &[]), Err(PolicyError::NotAnObject { .. })));
    }
}
