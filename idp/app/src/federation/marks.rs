//! Trust Marks of a resolved entity, checked (§7.3) before anything
//! relies on them: the resolve endpoint's answer, the peers a tenant
//! accepts for sign-in.

use trame_federation::chain::{TrustAnchor, TrustChain};
use trame_federation::statement::{TrustMarkEntry, ValidationOptions};
use trame_federation::trust_mark as tm;

use crate::App;

/// The subject's Trust Marks that check out (§7.3): issuer allowed by the
/// anchor, issuer's keys from its own chain to the same anchor, signature,
/// times, delegation. The others are left out of the answer (§8.3.2).
pub async fn verified(state: &App, by: &super::FetchFor, chain: &TrustChain, anchors: &[TrustAnchor]) -> Vec<(TrustMarkEntry, Option<i64>)> {
    let Some(entries) = chain.subject_configuration.trust_marks.clone() else { return Vec::new() };
    let Some(ta_statement) =
        chain.statements.last().and_then(|s| trame_federation::statement::ParsedStatement::parse(s, &ValidationOptions::at(state.now())).ok())
    else {
        return Vec::new();
    };
    if ta_statement.statement.iss != chain.trust_anchor || !ta_statement.statement.is_entity_configuration() {
        return Vec::new();
    }
    let ta_anchor: Vec<_> = anchors.iter().filter(|a| a.entity_id == chain.trust_anchor).cloned().collect();
    let opts = ValidationOptions::at(state.now());
    let mut out = Vec::new();
    // A bounded number: each may need a chain of its own.
    for entry in entries.into_iter().take(8) {
        let Ok(decoded) = trame_jose::decode(&entry.trust_mark) else { continue };
        let Some(issuer) = decoded.claims.get("iss").and_then(|v| v.as_str()).map(str::to_owned) else { continue };
        let issuer_jwks = if issuer == chain.trust_anchor {
            ta_statement.statement.jwks.clone()
        } else {
            match state.chains.resolve(state, by, &issuer, &ta_anchor).await {
                Ok(c) => c.subject_configuration.jwks.clone(),
                Err(_) => continue,
            }
        };
        if let Ok(mark) = tm::validate_entry(&entry, &chain.subject, &issuer_jwks, &ta_statement.statement, &opts) {
            out.push((entry, mark.exp));
        }
    }
    out
}
