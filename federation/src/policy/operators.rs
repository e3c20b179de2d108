//! The seven standard policy operators of one metadata parameter (§6.1.3.1):
//! parsing with the type of each operator's value, and the rules on which
//! operators may appear together (checked on each policy and again after a
//! merge, §6.1.4.1).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::PolicyError;

/// Names of the standard operators, in the order they are applied (§6.1.4.2).
pub const STANDARD_OPERATORS: [&str; 7] = ["value", "add", "default", "one_of", "subset_of", "superset_of", "essential"];

/// The policy of one metadata parameter: each standard operator at most once.
///
/// Array operands are kept in the order they were written; their order has no
/// meaning (§6.1.3.1), comparisons treat them as sets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParameterPolicy {
    /// `value`: `Some(Value::Null)` removes the parameter.
    pub value: Option<Value>,
    pub add: Option<Vec<Value>>,
    pub default: Option<Value>,
    pub one_of: Option<Vec<Value>>,
    pub subset_of: Option<Vec<Value>>,
    pub superset_of: Option<Vec<Value>>,
    pub essential: Option<bool>,
}

impl ParameterPolicy {
    /// Parses the operators of `parameter`. Operators this library does not
    /// implement are ignored unless `crit` lists them (§6.1.3.2): then the
    /// policy cannot be honoured and is rejected.
    pub fn parse(parameter: &str, operators: &Value, crit: &[String]) -> Result<Self, PolicyError> {
        let Value::Object(map) = operators else {
            return Err(PolicyError::NotAnObject { at: format!("the policy of parameter {parameter}") });
        };
        let mut p = ParameterPolicy::default();
        for (op, v) in map {
            match op.as_str() {
                "value" => {
                    // Any JSON value, null included (it removes the parameter).
                    p.value = Some(v.clone());
                }
                "add" => p.add = Some(array_of_scalars(parameter, "add", v)?),
                "default" => {
                    if v.is_null() {
                        return Err(type_error(parameter, "default", "a non-null value"));
                    }
                    p.default = Some(v.clone());
                }
                "one_of" => p.one_of = Some(array_of_scalars(parameter, "one_of", v)?),
                "subset_of" => p.subset_of = Some(array_of_scalars(parameter, "subset_of", v)?),
                "superset_of" => p.superset_of = Some(array_of_scalars(parameter, "superset_of", v)?),
                "essential" => {
                    let Value::Bool(b) = v else {
                        return Err(type_error(parameter, "essential", "a boolean"));
                    };
                    p.essential = Some(*b);
                }
                other => {
                    if crit.iter().any(|c| c == other) {
                        return Err(PolicyError::CriticalOperatorNotUnderstood { parameter: parameter.to_owned(), operator: other.to_owned() });
                    }
                    // Not critical: ignored, as §6.1.3.2 requires.
                }
            }
        }
        p.check_combinations(parameter)?;
        Ok(p)
    }

    /// True when no operator is set.
    pub fn is_empty(&self) -> bool {
        *self == ParameterPolicy::default()
    }

    /// The policy as a JSON object, operators in application order.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Some(v) = &self.value {
            m.insert("value".into(), v.clone());
        }
        if let Some(v) = &self.add {
            m.insert("add".into(), Value::Array(v.clone()));
        }
        if let Some(v) = &self.default {
            m.insert("default".into(), v.clone());
        }
        if let Some(v) = &self.one_of {
            m.insert("one_of".into(), Value::Array(v.clone()));
        }
        if let Some(v) = &self.subset_of {
            m.insert("subset_of".into(), Value::Array(v.clone()));
        }
        if let Some(v) = &self.superset_of {
            m.insert("superset_of".into(), Value::Array(v.clone()));
        }
        if let Some(v) = self.essential {
            m.insert("essential".into(), Value::Bool(v));
        }
        Value::Object(m)
    }

    /// Checks which operators may be combined, and the relations their
    /// values must then satisfy (§6.1.3.1.1 to §6.1.3.1.7).
    pub fn check_combinations(&self, parameter: &str) -> Result<(), PolicyError> {
        let forbidden = |a: &'static str, b: &'static str| PolicyError::ForbiddenCombination { parameter: parameter.to_owned(), first: a, second: b };
        let broken = |a: &'static str, b: &'static str, rule: &'static str| PolicyError::IncompatibleValues {
            parameter: parameter.to_owned(),
            first: a,
            second: b,
            rule,
        };

        // one_of works on single values, the set operators on arrays: they
        // never describe the same parameter.
        if self.one_of.is_some() {
            if self.add.is_some() {
                return Err(forbidden("one_of", "add"));
            }
            if self.subset_of.is_some() {
                return Err(forbidden("one_of", "subset_of"));
            }
            if self.superset_of.is_some() {
                return Err(forbidden("one_of", "superset_of"));
            }
        }

        if let Some(value) = &self.value {
            let values = value_as_set(parameter, value);
            if let Some(add) = &self.add {
                match &values {
                    Some(vs) if is_subset(add, vs) => {}
                    _ => {
                        return Err(broken("value", "add", "the values of add must be a subset of value"));
                    }
                }
            }
            if self.default.is_some() && value.is_null() {
                return Err(broken("value", "default", "value must not be null when default is present"));
            }
            if let Some(one_of) = &self.one_of
                && (value.is_null() || value.is_array() || !contains(one_of, value))
            {
                return Err(broken("value", "one_of", "value must be one of the one_of values"));
            }
            if let Some(subset_of) = &self.subset_of {
                match &values {
                    Some(vs) if is_subset(vs, subset_of) => {}
                    _ => {
                        return Err(broken("value", "subset_of", "value must be a subset of subset_of"));
                    }
                }
            }
            if let Some(superset_of) = &self.superset_of {
                match &values {
                    Some(vs) if is_subset(superset_of, vs) => {}
                    _ => {
                        return Err(broken("value", "superset_of", "value must be a superset of superset_of"));
                    }
                }
            }
            if value.is_null() && self.essential == Some(true) {
                return Err(broken("value", "essential", "value must not be null when essential is true"));
            }
        }
        if let (Some(add), Some(subset_of)) = (&self.add, &self.subset_of)
            && !is_subset(add, subset_of)
        {
            return Err(broken("add", "subset_of", "the values of add must be a subset of subset_of"));
        }
        if let (Some(subset_of), Some(superset_of)) = (&self.subset_of, &self.superset_of)
            && !is_subset(superset_of, subset_of)
        {
            return Err(broken("subset_of", "superset_of", "subset_of must be a superset of superset_of"));
        }
        Ok(())
    }
}

/// The per-parameter policies of one entity type (e.g. `openid_relying_party`).
pub type TypePolicy = BTreeMap<String, ParameterPolicy>;

/// Parses the policy of one entity type: an object of parameter → operators.
pub fn parse_type_policy(entity_type: &str, policy: &Value, crit: &[String]) -> Result<TypePolicy, PolicyError> {
    let Value::Object(map) = policy else {
        return Err(PolicyError::NotAnObject { at: format!("the policy of entity type {entity_type}") });
    };
    let mut out = TypePolicy::new();
    for (parameter, operators) in map {
        let p = ParameterPolicy::parse(parameter, operators, crit)?;
        out.insert(parameter.clone(), p);
    }
    Ok(out)
}

/// A type policy as JSON (parameter → operators).
pub fn type_policy_to_json(policy: &TypePolicy) -> Value {
    Value::Object(policy.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
}

fn type_error(parameter: &str, operator: &'static str, expected: &'static str) -> PolicyError {
    PolicyError::OperatorType { parameter: parameter.to_owned(), operator, expected }
}

/// The operand of add, one_of, subset_of and superset_of: an array of
/// strings, numbers or booleans (strings are the ones every implementation
/// must support; nothing in the spec allows nested arrays, objects or null).
fn array_of_scalars(parameter: &str, operator: &'static str, v: &Value) -> Result<Vec<Value>, PolicyError> {
    let Value::Array(items) = v else {
        return Err(type_error(parameter, operator, "an array"));
    };
    if items.iter().any(|i| i.is_null() || i.is_array() || i.is_object()) {
        return Err(type_error(parameter, operator, "an array of strings, numbers or booleans"));
    }
    Ok(items.clone())
}

/// The members of `value` when it can be compared with array operands:
/// an array, or a space-separated `scope` string (§6.1.3.1.8 / scope rule).
fn value_as_set(parameter: &str, value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::Array(items) => Some(items.clone()),
        Value::String(s) if parameter == "scope" => Some(split_scope(s)),
        _ => None,
    }
}

/// `scope` is a space-separated string in OAuth metadata; the policy
/// language treats it as an array of its tokens.
pub(crate) fn split_scope(s: &str) -> Vec<Value> {
    s.split(' ').filter(|t| !t.is_empty()).map(|t| Value::String(t.to_owned())).collect()
}

pub(crate) fn contains(set: &[Value], v: &Value) -> bool {
    set.iter().any(|x| x == v)
}

/// Every member of `a` is in `b`.
pub(crate) fn is_subset(a: &[Value], b: &[Value]) -> bool {
    a.iter().all(|x| contains(b, x))
}

/// Same members, ignoring order and repetition.
pub(crate) fn same_set(a: &[Value], b: &[Value]) -> bool {
    is_subset(a, b) && is_subset(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<ParameterPolicy, PolicyError> {
        ParameterPolicy::parse("grant_types", &v, &[])
    }

    #[test]
    fn operand_types_are_checked() {
        let cases = [
            (json!({"add": "code"}), "add"),
            (json!({"one_of": "RS256"}), "one_of"),
            (json!({"subset_of": {"a": 1}}), "subset_of"),
            (json!({"superset_of": [null]}), "superset_of"),
            (json!({"subset_of": [["nested"]]}), "subset_of"),
            (json!({"essential": "true"}), "essential"),
            (json!({"default": null}), "default"),
        ];
        for (policy, op) in cases {
            match parse(policy.clone()) {
                Err(PolicyError::OperatorType { operator, .. }) => {
                    assert_eq!(operator, op, "{policy}")
                }
                other => panic!("{policy}: {other:?}"),
            }
        }
        assert!(matches!(ParameterPolicy::parse("p", &json!(["value"]), &[]), Err(PolicyError::NotAnObject { .. })));
    }

    #[test]
    fn value_may_be_anything_including_null() {
        for v in [json!(null), json!(1), json!(true), json!("x"), json!(["x"]), json!({"k": 1})] {
            let p = parse(json!({ "value": v })).unwrap();
            assert_eq!(p.value, Some(v));
        }
    }

    #[test]
    fn one_of_only_with_value_default_essential() {
        for other in ["add", "subset_of", "superset_of"] {
            let policy = json!({"one_of": ["a"], other: ["a"]});
            match parse(policy) {
                Err(PolicyError::ForbiddenCombination { first: "one_of", second, .. }) => assert_eq!(second, other),
                r => panic!("{other}: {r:?}"),
            }
        }
        parse(json!({"one_of": ["a", "b"], "value": "a", "default": "b", "essential": true})).unwrap();
    }

    #[test]
    fn value_relations() {
        let bad = [
            (json!({"value": ["a"], "add": ["b"]}), "add"),
            (json!({"value": null, "add": ["b"]}), "add"),
            (json!({"value": null, "default": ["b"]}), "default"),
            (json!({"value": "c", "one_of": ["a", "b"]}), "one_of"),
            (json!({"value": ["a", "c"], "subset_of": ["a", "b"]}), "subset_of"),
            (json!({"value": ["a"], "superset_of": ["a", "b"]}), "superset_of"),
            (json!({"value": null, "essential": true}), "essential"),
        ];
        for (policy, op) in bad {
            match parse(policy.clone()) {
                Err(PolicyError::IncompatibleValues { first: "value", second, .. }) => assert_eq!(second, op),
                r => panic!("{policy}: {r:?}"),
            }
        }
        parse(json!({"value": null, "essential": false})).unwrap();
        parse(json!({"value": ["a", "b"], "add": ["a"], "subset_of": ["a", "b", "c"], "superset_of": ["b"]})).unwrap();
    }

    #[test]
    fn set_operator_relations() {
        assert!(matches!(parse(json!({"add": ["x"], "subset_of": ["a"]})), Err(PolicyError::IncompatibleValues { first: "add", second: "subset_of", .. })));
        assert!(matches!(
            parse(json!({"subset_of": ["a"], "superset_of": ["a", "b"]})),
            Err(PolicyError::IncompatibleValues { first: "subset_of", second: "superset_of", .. })
        ));
        parse(json!({"add": ["a"], "subset_of": ["a", "b"], "superset_of": ["b"]})).unwrap();
    }

    #[test]
    fn unknown_operator_ignored_unless_critical() {
        let p = parse(json!({"regexp": "^a", "essential": true})).unwrap();
        assert_eq!(p.essential, Some(true));
        let crit = vec!["regexp".to_owned()];
        assert!(matches!(
            ParameterPolicy::parse("grant_types", &json!({"regexp": "^a"}), &crit),
            Err(PolicyError::CriticalOperatorNotUnderstood { operator, .. }) if operator == "regexp"
        ));
    }

    #[test]
    fn scope_value_compared_as_tokens() {
        let p = ParameterPolicy::parse("scope", &json!({"value": "openid email", "subset_of": ["openid", "email", "phone"]}), &[]);
        assert!(p.is_ok());
        let p = ParameterPolicy::parse("scope", &json!({"value": "openid address", "subset_of": ["openid", "email"]}), &[]);
        assert!(matches!(p, Err(PolicyError::IncompatibleValues { second: "subset_of", .. })));
    }
}
