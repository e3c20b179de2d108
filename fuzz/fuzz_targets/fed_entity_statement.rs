//! Entity statements (OpenID Federation §3): `ParsedStatement::parse` on a
//! compact JWS, `verify_entity_configuration` and
//! `verify_subordinate_statement`; when the input is a JSON object, the
//! claims alone through `EntityStatement::from_claims` (so the fuzzer need
//! not find base64 to reach the claim rules).
//!
//! Invariants: an accepted statement has valid Entity IDs, is within its
//! times, has keys, and survives its own claims (`to_claims` then
//! `from_claims` gives it back).
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use trame_federation::entity_id;
use trame_federation::statement::{self, EntityStatement, ParsedStatement, ValidationOptions};
use trame_fuzz::NOW;
use trame_jose::Jwks;

fn check(s: &EntityStatement, understood: &[String]) {
    assert!(entity_id::is_valid(&s.iss) && entity_id::is_valid(&s.sub), "invalid entity id accepted");
    assert!(!s.jwks.is_empty());
    let again = EntityStatement::from_claims(&s.to_claims(), understood);
    assert_eq!(again.as_ref().ok(), Some(s), "statement changed through its claims: {again:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let understood = vec!["jti".to_owned(), "ext".to_owned()];
    if let Ok(Value::Object(claims)) = serde_json::from_str::<Value>(text) {
        if let Ok(s) = EntityStatement::from_claims(&claims, &understood) {
            check(&s, &understood);
        }
        return;
    }
    let opts = ValidationOptions { understood_crit: understood.clone(), ..ValidationOptions::at(NOW) };
    if let Ok(p) = ParsedStatement::parse(text, &opts) {
        let s = &p.statement;
        assert!(s.iat <= NOW + opts.leeway && s.exp > NOW - opts.leeway);
        assert_eq!(p.raw(), text);
        check(s, &understood);
    }
    if let Ok(p) = statement::verify_entity_configuration(text, None, &opts) {
        assert!(p.statement.is_entity_configuration());
    }
    let issuer_jwks = Jwks::parse(&json!({ "keys": trame_fuzz::public_jwks() })).expect("fixture keys");
    if let Ok(p) = statement::verify_subordinate_statement(text, "https://ta.example.fr", "https://rp.example.fr", &issuer_jwks, &opts) {
        assert_eq!((p.statement.iss.as_str(), p.statement.sub.as_str()), ("https://ta.example.fr", "https://rp.example.fr"));
    }
});
