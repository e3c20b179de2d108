//! Metadata policy (OpenID Federation §6.1) on arbitrary JSON: the input is
//! `{"policies": [...], "crit": [...], "metadata": {...}}` (anything else is
//! taken as one policy). Parsing, merging down the chain
//! (`resolve_chain_policy`) and applying to metadata; plus the constraints
//! claim (§6.2) when the input has `constraints`.
//!
//! Invariants: a parsed policy survives its JSON form; merging a policy
//! into the empty one changes nothing; applying the empty policy returns
//! the metadata unchanged; parsed constraints survive their JSON form and
//! an Entity ID that passes naming constraints has a host.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use trame_federation::constraints::{self, Constraints};
use trame_federation::policy::{self, MetadataPolicy};

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<Value>(data) else { return };
    let crit: Vec<String> = v.get("crit").map(|c| policy::parse_policy_crit(c).unwrap_or_default()).unwrap_or_default();
    let single = [v.clone()];
    let policies = v.get("policies").and_then(Value::as_array).map_or(&single[..], Vec::as_slice);

    for p in policies {
        if let Ok(parsed) = MetadataPolicy::parse(p, &crit) {
            assert_eq!(MetadataPolicy::parse(&parsed.to_json(), &crit).as_ref().ok(), Some(&parsed), "policy changed through its JSON");
            assert_eq!(MetadataPolicy::default().merge(&parsed).as_ref().ok(), Some(&parsed));
        }
    }
    let resolved = policy::resolve_chain_policy(policies, &crit);
    if let Some(Value::Object(metadata)) = v.get("metadata") {
        if let Ok(p) = &resolved {
            let _ = p.apply(metadata);
        }
        let all_objects = metadata.values().all(Value::is_object);
        assert_eq!(MetadataPolicy::default().apply(metadata).ok().as_ref(), all_objects.then_some(metadata));
    }

    if let Some(c) = v.get("constraints")
        && let Ok(parsed) = Constraints::parse(c)
    {
        assert_eq!(Constraints::parse(&parsed.to_json()).as_ref(), Ok(&parsed));
        let ids: Vec<&str> = v.get("entity_ids").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        if let Some(nc) = &parsed.naming_constraints {
            for id in &ids {
                if nc.check(id).is_ok() {
                    assert!(url::Url::parse(id).ok().and_then(|u| u.host_str().map(str::to_owned)).is_some());
                }
            }
        }
        let list = vec![Some(&parsed); ids.len()];
        let _ = constraints::check_chain(&ids, &list);
        if let Some(Value::Object(m)) = v.get("metadata") {
            let mut m = m.clone();
            constraints::filter_entity_types(&mut m, &[Some(&parsed)]);
            if let Some(allowed) = &parsed.allowed_entity_types {
                assert!(m.keys().all(|t| t == "federation_entity" || allowed.contains(t)));
            }
        }
    }
});
