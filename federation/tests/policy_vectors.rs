//! Runs every vector of Connect2id's metadata policy corpus (see
//! tests/data/README.md): parse and merge the TA and INT policies, compare
//! with `merged`, apply to `metadata`, compare with `resolved`, or expect the
//! `error` the vector names (`invalid_policy` from parsing or merging,
//! `invalid_metadata` from applying).

use serde_json::Value;
use trame_federation::policy::apply::apply_type;
use trame_federation::policy::merge::merge_type;
use trame_federation::policy::operators::{parse_type_policy, type_policy_to_json};

const VECTORS: &str = include_str!("data/openid-federation-metadata-policy-test-vectors-2025-02-13.json");

/// JSON equality where arrays compare as sets: the order of merged and
/// resolved arrays is undefined (§6.1.3.1).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().all(|i| y.iter().any(|j| same(i, j))) && y.iter().all(|j| x.iter().any(|i| same(i, j)))
        }
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

/// Runs one vector; `Err` says why it failed.
fn run(v: &Value) -> Result<(), String> {
    let expected_error = v.get("error").and_then(Value::as_str);
    let merged = parse_type_policy("openid_relying_party", &v["TA"], &[])
        .and_then(|ta| Ok((ta, parse_type_policy("openid_relying_party", &v["INT"], &[])?)))
        .and_then(|(ta, int)| merge_type(&ta, &int));
    let merged = match (merged, expected_error) {
        (Err(_), Some("invalid_policy")) => return Ok(()),
        (Err(e), _) => return Err(format!("policy error {e}, expected {expected_error:?}")),
        (Ok(_), Some("invalid_policy")) => {
            return Err("expected invalid_policy, merge succeeded".into());
        }
        (Ok(m), _) => m,
    };
    if let Some(want) = v.get("merged") {
        let got = type_policy_to_json(&merged);
        if !same(&got, want) {
            return Err(format!("merged {got}, expected {want}"));
        }
    }
    let Some(metadata) = v["metadata"].as_object() else {
        return Err("metadata is not an object".into());
    };
    match (apply_type("openid_relying_party", &merged, metadata), expected_error) {
        (Err(_), Some("invalid_metadata")) => Ok(()),
        (Err(e), _) => Err(format!("metadata error {e}, expected {expected_error:?}")),
        (Ok(r), Some(e)) => Err(format!("expected {e}, resolved {}", Value::Object(r))),
        (Ok(r), None) => {
            let got = Value::Object(r);
            if same(&got, &v["resolved"]) { Ok(()) } else { Err(format!("resolved {got}, expected {}", v["resolved"])) }
        }
    }
}

#[test]
fn connect2id_metadata_policy_vectors() {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).expect("the vector file is JSON");
    assert_eq!(vectors.len(), 2019, "the 2025-02-13 corpus has 2019 vectors");
    let mut failed = Vec::new();
    for v in &vectors {
        if let Err(why) = run(v) {
            failed.push((v["n"].clone(), why));
        }
    }
    println!("metadata policy vectors: {} of {} passed", vectors.len() - failed.len(), vectors.len());
    for (n, why) in failed.iter().take(30) {
        println!("vector {n}: {why}");
    }
    let numbers: Vec<String> = failed.iter().map(|(n, _)| n.to_string()).collect();
    assert!(failed.is_empty(), "{} vectors failed: {}", failed.len(), numbers.join(", "));
}
