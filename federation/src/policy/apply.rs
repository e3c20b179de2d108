//! Applying a merged policy to metadata (§6.1.4.2): per parameter, the
//! operators run in the fixed order value, add, default, one_of, subset_of,
//! superset_of, essential. The first three shape the value, the others check
//! it (subset_of also narrows it).

use serde_json::{Map, Value};

use super::MetadataError;
use super::operators::{ParameterPolicy, TypePolicy, contains, is_subset, split_scope};

/// Applies the policy of one entity type to that type's metadata, returning
/// the resolved metadata. Parameters without a policy pass unchanged.
pub fn apply_type(entity_type: &str, policy: &TypePolicy, metadata: &Map<String, Value>) -> Result<Map<String, Value>, MetadataError> {
    let mut out = metadata.clone();
    for (parameter, p) in policy {
        let current = out.remove(parameter);
        if let Some(v) = apply_parameter(entity_type, parameter, p, current)? {
            out.insert(parameter.clone(), v);
        }
    }
    Ok(out)
}

/// Applies the operators of one parameter to its current value (`None` when
/// absent) and returns the new value (`None` when it is removed or stays absent).
pub fn apply_parameter(entity_type: &str, parameter: &str, policy: &ParameterPolicy, current: Option<Value>) -> Result<Option<Value>, MetadataError> {
    let fail = |operator: &'static str, problem: &'static str| MetadataError::Rejected {
        entity_type: entity_type.to_owned(),
        parameter: parameter.to_owned(),
        operator,
        problem,
    };
    // `scope` is a space-separated string; the operators see its tokens.
    let is_scope = parameter == "scope";
    let tokens = |v: Value| match v {
        Value::String(s) if is_scope => Value::Array(split_scope(&s)),
        other => other,
    };
    let mut current = current.map(tokens);

    if let Some(v) = &policy.value {
        current = if v.is_null() { None } else { Some(tokens(v.clone())) };
    }
    if let Some(add) = &policy.add {
        current = match current {
            None => Some(Value::Array(add.clone())),
            Some(Value::Array(mut items)) => {
                for v in add {
                    if !contains(&items, v) {
                        items.push(v.clone());
                    }
                }
                Some(Value::Array(items))
            }
            Some(_) => return Err(fail("add", "the parameter is not an array")),
        };
    }
    if let Some(d) = &policy.default
        && current.is_none()
    {
        current = Some(tokens(d.clone()));
    }
    if let Some(one_of) = &policy.one_of
        && let Some(v) = &current
        && (v.is_array() || !contains(one_of, v))
    {
        return Err(fail("one_of", "the value is not one of the permitted values"));
    }
    if let Some(subset_of) = &policy.subset_of
        && let Some(v) = current.take()
    {
        let Value::Array(items) = v else {
            return Err(fail("subset_of", "the parameter is not an array"));
        };
        // The intersection keeps the metadata's order; it may be empty.
        current = Some(Value::Array(items.into_iter().filter(|i| contains(subset_of, i)).collect()));
    }
    if let Some(superset_of) = &policy.superset_of
        && let Some(v) = &current
    {
        let Value::Array(items) = v else {
            return Err(fail("superset_of", "the parameter is not an array"));
        };
        if !is_subset(superset_of, items) {
            return Err(fail("superset_of", "the value does not contain all the required values"));
        }
    }
    if policy.essential == Some(true) && current.is_none() {
        return Err(fail("essential", "the parameter is essential but absent"));
    }

    if is_scope && let Some(Value::Array(items)) = &current {
        let words: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
        if let Some(words) = words {
            current = Some(Value::String(words.join(" ")));
        }
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(policy: Value, current: Option<Value>) -> Result<Option<Value>, MetadataError> {
        let p = ParameterPolicy::parse("grant_types", &policy, &[]).unwrap();
        apply_parameter("openid_relying_party", "grant_types", &p, current)
    }

    #[test]
    fn shaping_operators() {
        assert_eq!(apply(json!({"value": null}), Some(json!(["a"]))).unwrap(), None);
        assert_eq!(apply(json!({"value": ["b"]}), Some(json!(["a"]))).unwrap(), Some(json!(["b"])));
        assert_eq!(apply(json!({"add": ["b"]}), Some(json!(["a"]))).unwrap(), Some(json!(["a", "b"])));
        assert_eq!(apply(json!({"add": ["b"]}), None).unwrap(), Some(json!(["b"])));
        assert_eq!(apply(json!({"default": ["d"]}), None).unwrap(), Some(json!(["d"])));
        assert_eq!(apply(json!({"default": ["d"]}), Some(json!(["a"]))).unwrap(), Some(json!(["a"])));
        assert_eq!(apply(json!({"subset_of": ["a", "c"]}), Some(json!(["c", "b", "a"]))).unwrap(), Some(json!(["c", "a"])));
        assert_eq!(apply(json!({"subset_of": ["x"]}), Some(json!(["a"]))).unwrap(), Some(json!([])));
        assert_eq!(apply(json!({"subset_of": ["x"]}), None).unwrap(), None);
    }

    #[test]
    fn checking_operators() {
        let rejected = |r: Result<Option<Value>, MetadataError>, op: &str| match r {
            Err(MetadataError::Rejected { operator, .. }) => assert_eq!(operator, op),
            other => panic!("{op}: {other:?}"),
        };
        rejected(apply(json!({"one_of": ["a"]}), Some(json!("b"))), "one_of");
        rejected(apply(json!({"one_of": ["a"]}), Some(json!(["a"]))), "one_of");
        rejected(apply(json!({"superset_of": ["a", "b"]}), Some(json!(["a"]))), "superset_of");
        rejected(apply(json!({"essential": true}), None), "essential");
        rejected(apply(json!({"add": ["a"]}), Some(json!("a"))), "add");
        rejected(apply(json!({"subset_of": ["a"]}), Some(json!("a"))), "subset_of");
        // essential is checked last: after value removed the parameter.
        rejected(apply(json!({"subset_of": ["a"], "essential": true}), None), "essential");
        assert_eq!(apply(json!({"one_of": ["a"]}), None).unwrap(), None);
        assert_eq!(apply(json!({"essential": false}), None).unwrap(), None);
        assert_eq!(apply(json!({"essential": true, "subset_of": ["x"]}), Some(json!(["a"]))).unwrap(), Some(json!([])));
    }

    #[test]
    fn scope_is_a_space_separated_array() {
        let p = ParameterPolicy::parse("scope", &json!({"subset_of": ["openid", "email"], "superset_of": ["openid"]}), &[]).unwrap();
        let r = apply_parameter("openid_relying_party", "scope", &p, Some(json!("openid phone email"))).unwrap();
        assert_eq!(r, Some(json!("openid email")));
        let p = ParameterPolicy::parse("scope", &json!({"add": ["profile"]}), &[]).unwrap();
        let r = apply_parameter("openid_relying_party", "scope", &p, Some(json!("openid"))).unwrap();
        assert_eq!(r, Some(json!("openid profile")));
        let p = ParameterPolicy::parse("scope", &json!({"superset_of": ["openid"]}), &[]).unwrap();
        assert!(apply_parameter("openid_relying_party", "scope", &p, Some(json!("email"))).is_err());
    }
}
