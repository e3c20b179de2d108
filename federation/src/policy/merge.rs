//! Merging the policy of a Superior with the policy of its Subordinate
//! (§6.1.4.1). Merging goes from the Trust Anchor down: operators missing on
//! one side are copied, operators on both sides are merged by each
//! operator's rule, and the result must again be a legal combination.

use serde_json::Value;

use super::PolicyError;
use super::operators::{ParameterPolicy, TypePolicy, contains, same_set};

/// Merges the policy of one parameter: `superior` is the policy already
/// merged from above, `subordinate` the one of the next statement down.
pub fn merge_parameter(parameter: &str, superior: &ParameterPolicy, subordinate: &ParameterPolicy) -> Result<ParameterPolicy, PolicyError> {
    let mismatch = |operator: &'static str| PolicyError::MergeConflict { parameter: parameter.to_owned(), operator };
    let merged = ParameterPolicy {
        value: equal_or_one(&superior.value, &subordinate.value).ok_or_else(|| mismatch("value"))?,
        add: merge_arrays(&superior.add, &subordinate.add, union),
        default: equal_or_one(&superior.default, &subordinate.default).ok_or_else(|| mismatch("default"))?,
        one_of: merge_arrays(&superior.one_of, &subordinate.one_of, intersection),
        subset_of: merge_arrays(&superior.subset_of, &subordinate.subset_of, intersection),
        superset_of: merge_arrays(&superior.superset_of, &subordinate.superset_of, union),
        // essential=true set above cannot be undone below.
        essential: match (superior.essential, subordinate.essential) {
            (Some(a), Some(b)) => Some(a || b),
            (a, b) => a.or(b),
        },
    };
    // An empty one_of could match nothing: the two policies contradict.
    if merged.one_of.as_ref().is_some_and(Vec::is_empty) {
        return Err(PolicyError::EmptyOneOf { parameter: parameter.to_owned() });
    }
    merged.check_combinations(parameter)?;
    Ok(merged)
}

/// Merges the policies of one entity type, parameter by parameter.
pub fn merge_type(superior: &TypePolicy, subordinate: &TypePolicy) -> Result<TypePolicy, PolicyError> {
    let mut out = superior.clone();
    for (parameter, sub) in subordinate {
        let merged = match superior.get(parameter) {
            Some(sup) => merge_parameter(parameter, sup, sub)?,
            None => sub.clone(),
        };
        out.insert(parameter.clone(), merged);
    }
    Ok(out)
}

/// `value` and `default` merge only when equal (arrays as sets).
fn equal_or_one(a: &Option<Value>, b: &Option<Value>) -> Option<Option<Value>> {
    match (a, b) {
        (Some(x), Some(y)) => json_equal(x, y).then(|| Some(x.clone())),
        (x, y) => Some(x.clone().or_else(|| y.clone())),
    }
}

fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => same_set(x, y),
        _ => a == b,
    }
}

fn merge_arrays(a: &Option<Vec<Value>>, b: &Option<Vec<Value>>, f: fn(&[Value], &[Value]) -> Vec<Value>) -> Option<Vec<Value>> {
    match (a, b) {
        (Some(x), Some(y)) => Some(f(x, y)),
        (x, y) => x.clone().or_else(|| y.clone()),
    }
}

fn union(a: &[Value], b: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(a.len() + b.len());
    for v in a.iter().chain(b) {
        if !contains(&out, v) {
            out.push(v.clone());
        }
    }
    out
}

fn intersection(a: &[Value], b: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in a {
        if contains(b, v) && !contains(&out, v) {
            out.push(v.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: Value) -> ParameterPolicy {
        ParameterPolicy::parse("x", &v, &[]).unwrap()
    }

    fn merge(a: Value, b: Value) -> Result<Value, PolicyError> {
        merge_parameter("x", &p(a), &p(b)).map(|m| m.to_json())
    }

    #[test]
    fn operator_merge_rules() {
        assert_eq!(merge(json!({"value": ["a", "b"]}), json!({"value": ["b", "a"]})).unwrap(), json!({"value": ["a", "b"]}));
        assert_eq!(merge(json!({"add": ["a"]}), json!({"add": ["b", "a"]})).unwrap(), json!({"add": ["a", "b"]}));
        assert_eq!(merge(json!({"default": 1}), json!({"default": 1})).unwrap(), json!({"default": 1}));
        assert_eq!(merge(json!({"one_of": ["a", "b"]}), json!({"one_of": ["b", "c"]})).unwrap(), json!({"one_of": ["b"]}));
        assert_eq!(merge(json!({"subset_of": ["a"]}), json!({"subset_of": ["b"]})).unwrap(), json!({"subset_of": []}));
        assert_eq!(merge(json!({"superset_of": ["a"]}), json!({"superset_of": ["b"]})).unwrap(), json!({"superset_of": ["a", "b"]}));
        assert_eq!(merge(json!({"essential": true}), json!({"essential": false})).unwrap(), json!({"essential": true}));
        assert_eq!(merge(json!({"essential": false}), json!({"essential": true})).unwrap(), json!({"essential": true}));
    }

    #[test]
    fn merge_conflicts() {
        assert!(matches!(merge(json!({"value": "a"}), json!({"value": "b"})), Err(PolicyError::MergeConflict { operator: "value", .. })));
        assert!(matches!(merge(json!({"default": ["a"]}), json!({"default": ["a", "b"]})), Err(PolicyError::MergeConflict { operator: "default", .. })));
        assert!(matches!(merge(json!({"one_of": ["a"]}), json!({"one_of": ["b"]})), Err(PolicyError::EmptyOneOf { .. })));
    }

    #[test]
    fn combination_rechecked_after_merge() {
        // Each side is legal alone; together add escapes subset_of.
        assert!(matches!(
            merge(json!({"subset_of": ["a"]}), json!({"add": ["b"]})),
            Err(PolicyError::IncompatibleValues { first: "add", second: "subset_of", .. })
        ));
        assert!(matches!(merge(json!({"one_of": ["a"]}), json!({"subset_of": ["a"]})), Err(PolicyError::ForbiddenCombination { .. })));
    }
}
