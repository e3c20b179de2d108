//! Trust Chain constraints (§6.2): `max_path_length`, `naming_constraints`
//! and `allowed_entity_types`, set in a Subordinate Statement and binding its
//! subject and everything below it. Unknown constraint parameters are
//! ignored (§6.2).

use serde_json::{Map, Value};

/// A constraint that is malformed or that the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConstraintError {
    #[error("constraints parameter {parameter} must be {expected}")]
    Malformed { parameter: &'static str, expected: &'static str },
    #[error("max_path_length {max} allows fewer than the {actual} Intermediates below the issuer of the constraint")]
    PathTooLong { max: u64, actual: usize },
    #[error("Entity ID {entity_id} is not within the permitted names")]
    NameNotPermitted { entity_id: String },
    #[error("Entity ID {entity_id} is excluded by naming constraint {constraint}")]
    NameExcluded { entity_id: String, constraint: String },
    #[error("Entity ID {entity_id} has no host to check naming constraints against")]
    NoHost { entity_id: String },
}

/// The `constraints` claim of a Subordinate Statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    /// Intermediates allowed between the issuer of the statement and the
    /// subject of the chain; 0 means the next entity down is the last.
    pub max_path_length: Option<u64>,
    pub naming_constraints: Option<NamingConstraints>,
    /// Entity types kept in the resolved metadata; `federation_entity` is
    /// always kept, so `[]` leaves only it.
    pub allowed_entity_types: Option<Vec<String>>,
}

/// `naming_constraints` (§6.2.2), with the URI name-constraint semantics of
/// RFC 5280 §4.2.1.10 applied to the host of Entity IDs: `example.com`
/// matches that host only, `.example.com` matches any host below it but not
/// `example.com` itself. `excluded` wins over `permitted`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamingConstraints {
    /// `None`: every name is permitted. `Some([])` permits no name: an empty
    /// list is read literally rather than as "no constraint" (fail closed).
    pub permitted: Option<Vec<String>>,
    pub excluded: Option<Vec<String>>,
}

impl Constraints {
    /// Parses a `constraints` claim; parameters it does not know are ignored.
    pub fn parse(v: &Value) -> Result<Self, ConstraintError> {
        let Value::Object(m) = v else {
            return Err(ConstraintError::Malformed { parameter: "constraints", expected: "a JSON object" });
        };
        let max_path_length = match m.get("max_path_length") {
            None => None,
            Some(v) => Some(v.as_u64().ok_or(ConstraintError::Malformed { parameter: "max_path_length", expected: "a non-negative integer" })?),
        };
        let naming_constraints = match m.get("naming_constraints") {
            None => None,
            Some(Value::Object(nc)) => Some(NamingConstraints { permitted: string_list(nc, "permitted")?, excluded: string_list(nc, "excluded")? }),
            Some(_) => {
                return Err(ConstraintError::Malformed { parameter: "naming_constraints", expected: "a JSON object" });
            }
        };
        let allowed_entity_types = match m.get("allowed_entity_types") {
            None => None,
            Some(v) => Some(strings(v).ok_or(ConstraintError::Malformed { parameter: "allowed_entity_types", expected: "an array of strings" })?),
        };
        Ok(Self { max_path_length, naming_constraints, allowed_entity_types })
    }

    /// The claim as JSON.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Some(n) = self.max_path_length {
            m.insert("max_path_length".into(), n.into());
        }
        if let Some(nc) = &self.naming_constraints {
            let mut o = Map::new();
            if let Some(p) = &nc.permitted {
                o.insert("permitted".into(), p.clone().into());
            }
            if let Some(e) = &nc.excluded {
                o.insert("excluded".into(), e.clone().into());
            }
            m.insert("naming_constraints".into(), Value::Object(o));
        }
        if let Some(t) = &self.allowed_entity_types {
            m.insert("allowed_entity_types".into(), t.clone().into());
        }
        Value::Object(m)
    }
}

impl NamingConstraints {
    /// Checks one Entity ID.
    pub fn check(&self, entity_id: &str) -> Result<(), ConstraintError> {
        let host = url::Url::parse(entity_id)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .ok_or_else(|| ConstraintError::NoHost { entity_id: entity_id.to_owned() })?;
        if let Some(c) = self.excluded.iter().flatten().find(|c| host_matches(&host, c)) {
            return Err(ConstraintError::NameExcluded { entity_id: entity_id.to_owned(), constraint: c.clone() });
        }
        if let Some(permitted) = &self.permitted
            && !permitted.iter().any(|c| host_matches(&host, c))
        {
            return Err(ConstraintError::NameNotPermitted { entity_id: entity_id.to_owned() });
        }
        Ok(())
    }
}

/// RFC 5280 URI constraint on a host: a leading dot means "strictly below".
fn host_matches(host: &str, constraint: &str) -> bool {
    let constraint = constraint.to_ascii_lowercase();
    match constraint.strip_prefix('.') {
        // Label boundary: the host ends with ".example.com" and has at least
        // one more label before it.
        Some(_) => host.len() > constraint.len() && host.ends_with(&constraint),
        None => host == constraint,
    }
}

/// Checks the constraints of a chain. `entity_ids` are the subjects from the
/// bottom up: `[subject, first Intermediate, …, top Intermediate]`;
/// `constraints[j]` is the `constraints` claim of the Subordinate Statement
/// about `entity_ids[j]` (issued by the entity above it).
pub fn check_chain(entity_ids: &[&str], constraints: &[Option<&Constraints>]) -> Result<(), ConstraintError> {
    for (j, c) in constraints.iter().enumerate() {
        let Some(c) = c else { continue };
        // Below the issuer of statement j sit entity_ids[0..=j]; all but the
        // subject itself are Intermediates.
        if let Some(max) = c.max_path_length
            && j as u64 > max
        {
            return Err(ConstraintError::PathTooLong { max, actual: j });
        }
        if let Some(nc) = &c.naming_constraints {
            for id in entity_ids.iter().take(j + 1) {
                nc.check(id)?;
            }
        }
    }
    Ok(())
}

/// Removes from resolved metadata the entity types that some
/// `allowed_entity_types` in the chain does not list (§6.2.3).
pub fn filter_entity_types(metadata: &mut Map<String, Value>, constraints: &[Option<&Constraints>]) {
    for allowed in constraints.iter().flatten().filter_map(|c| c.allowed_entity_types.as_ref()) {
        metadata.retain(|t, _| t == "federation_entity" || allowed.iter().any(|a| a == t));
    }
}

fn string_list(m: &Map<String, Value>, key: &'static str) -> Result<Option<Vec<String>>, ConstraintError> {
    match m.get(key) {
        None => Ok(None),
        Some(v) => strings(v).map(Some).ok_or(ConstraintError::Malformed { parameter: key, expected: "an array of strings" }),
    }
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array()?.iter().map(|s| s.as_str().map(str::to_owned)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nc(permitted: Option<&[&str]>, excluded: Option<&[&str]>) -> NamingConstraints {
        let own = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        NamingConstraints { permitted: permitted.map(own), excluded: excluded.map(own) }
    }

    #[test]
    fn naming_constraint_edges() {
        let sub = nc(Some(&[".example.com"]), None);
        let host = nc(Some(&["example.com"]), None);
        let table: &[(&NamingConstraints, &str, bool)] = &[
            (&sub, "https://op.example.com", true),
            (&sub, "https://a.b.example.com/path", true),
            (&sub, "https://example.com", false),    // leading dot: subdomains only
            (&sub, "https://badexample.com", false), // label boundary
            (&sub, "https://example.com.evil.org", false),
            (&sub, "https://OP.EXAMPLE.COM", true), // hosts compare case-insensitively
            (&host, "https://example.com", true),
            (&host, "https://example.com:8443/x", true),
            (&host, "https://op.example.com", false), // no dot: that host only
            (&host, "https://127.0.0.1", false),
        ];
        for (c, id, ok) in table {
            assert_eq!(c.check(id).is_ok(), *ok, "{id} against {c:?}");
        }
        assert!(matches!(sub.check("https://example.com"), Err(ConstraintError::NameNotPermitted { .. })));
    }

    #[test]
    fn excluded_wins() {
        let c = nc(Some(&[".example.com"]), Some(&["bad.example.com", ".test.example.com"]));
        assert!(c.check("https://good.example.com").is_ok());
        assert!(matches!(c.check("https://bad.example.com"), Err(ConstraintError::NameExcluded { constraint, .. }) if constraint == "bad.example.com"));
        assert!(matches!(c.check("https://x.test.example.com"), Err(ConstraintError::NameExcluded { .. })));
        assert!(c.check("https://test.example.com").is_ok());
        // Only exclusions: everything else passes.
        let only = nc(None, Some(&[".evil.org"]));
        assert!(only.check("https://example.com").is_ok());
        assert!(only.check("https://x.evil.org").is_err());
        // An empty permitted list permits nothing.
        assert!(matches!(nc(Some(&[]), None).check("https://example.com"), Err(ConstraintError::NameNotPermitted { .. })));
        assert!(matches!(nc(None, None).check("not a url"), Err(ConstraintError::NoHost { .. })));
    }

    /// §6.2.1: TA → I1 → I2 → leaf, with max_path_length set by the TA in
    /// its statement about I1 (index 2 of the subjects leaf, I2, I1).
    #[test]
    fn max_path_length_examples() {
        let ids = ["https://leaf.example", "https://i2.example", "https://i1.example"];
        let with = |n: u64| Constraints { max_path_length: Some(n), ..Default::default() };
        for (max, ok) in [(0, false), (1, false), (2, true), (3, true)] {
            let c = with(max);
            let r = check_chain(&ids, &[None, None, Some(&c)]);
            assert_eq!(r.is_ok(), ok, "max_path_length {max}");
            if !ok {
                assert_eq!(r, Err(ConstraintError::PathTooLong { max, actual: 2 }));
            }
        }
        // In the statement about the leaf itself, 0 is enough.
        let c = with(0);
        assert!(check_chain(&ids, &[Some(&c), None, None]).is_ok());
    }

    #[test]
    fn naming_constraints_bind_everything_below() {
        let ids = ["https://leaf.other.org", "https://i.example.com"];
        let c = Constraints { naming_constraints: Some(nc(Some(&[".example.com"]), None)), ..Default::default() };
        // Set by the TA about the Intermediate: the leaf below is outside.
        assert!(matches!(check_chain(&ids, &[None, Some(&c)]), Err(ConstraintError::NameNotPermitted { entity_id }) if entity_id == "https://leaf.other.org"));
        // Nothing above the issuer is checked: an Intermediate's constraint
        // about the leaf does not judge the Intermediate.
        let ids = ["https://leaf.example.com", "https://i.other.org"];
        assert!(check_chain(&ids, &[Some(&c), None]).is_ok());
    }

    #[test]
    fn allowed_entity_types_filter() {
        let mut md = json!({"openid_provider": {}, "openid_relying_party": {}, "federation_entity": {}});
        let c = Constraints { allowed_entity_types: Some(vec!["openid_provider".into()]), ..Default::default() };
        let md_map = md.as_object_mut().unwrap();
        filter_entity_types(md_map, &[Some(&c)]);
        assert_eq!(md, json!({"openid_provider": {}, "federation_entity": {}}));
        let empty = Constraints { allowed_entity_types: Some(vec![]), ..Default::default() };
        let md_map = md.as_object_mut().unwrap();
        filter_entity_types(md_map, &[None, Some(&empty)]);
        assert_eq!(md, json!({"federation_entity": {}}));
    }

    #[test]
    fn parse_checks_types_and_ignores_unknown() {
        let c = Constraints::parse(&json!({
            "max_path_length": 1,
            "naming_constraints": {"permitted": [".example.com"], "excluded": ["x.example.com"]},
            "allowed_entity_types": ["openid_provider"],
            "future_constraint": true
        }))
        .unwrap();
        assert_eq!(c.max_path_length, Some(1));
        assert_eq!(Constraints::parse(&c.to_json()).unwrap(), c);
        let bad = [
            (json!({"max_path_length": -1}), "max_path_length"),
            (json!({"max_path_length": "2"}), "max_path_length"),
            (json!({"naming_constraints": []}), "naming_constraints"),
            (json!({"naming_constraints": {"permitted": "example.com"}}), "permitted"),
            (json!({"naming_constraints": {"excluded": [1]}}), "excluded"),
            (json!({"allowed_entity_types": "openid_provider"}), "allowed_entity_types"),
            (json!([]), "constraints"),
        ];
        for (v, p) in bad {
            assert!(matches!(Constraints::parse(&v), Err(ConstraintError::Malformed { parameter, .. }) if parameter == p), "{v}");
        }
    }
}
