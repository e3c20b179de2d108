//! The public keys of a client, for its `private_key_jwt` assertions and
//! its Request Objects: registered inline (`jwks`), or fetched from its
//! `jwks_uri` and kept per node. Without the cache, anyone could make
//! Trame fetch a client's `jwks_uri` with every unauthenticated `/token`
//! call.
//!
//! A fetched set is kept as long as its `Cache-Control: max-age` says,
//! within [`FLOOR`] and [`CEILING`] (`no-store` and no header count as the
//! floor); a failed fetch is remembered for the floor too. When a signature
//! does not verify with a set fetched at least [`FLOOR`] ago, the set is
//! fetched again once: the client may have rotated its keys. Verifiers are
//! built once per fetched set.

use std::sync::Arc;

use serde_json::Value;
use trame_core::client::Client;
use trame_jose::{Alg, Jwks, VerifiedJwt};

use crate::memo::Memo;
use crate::outbound::{self, Reach};
use crate::state::AppState;

/// The shortest time a fetched set (or a failure) is kept, in seconds.
pub const FLOOR: i64 = 60;
/// The longest time a fetched set is kept, whatever the server says.
pub const CEILING: i64 = 24 * 3600;
/// Key sets kept per node.
const CAPACITY: usize = 1024;

/// What the last fetch of a `jwks_uri` gave.
#[derive(Clone)]
struct Fetched {
    verifiers: Option<Arc<Jwks>>,
    fetched_at: i64,
}

/// The fetched key sets of a node, by reach and URL (a set fetched for a
/// tenant that reaches private addresses is not another tenant's).
pub struct KeyCache(Memo<(Reach, String), Fetched>);

impl Default for KeyCache {
    fn default() -> Self {
        Self(Memo::new(CAPACITY))
    }
}

/// Why a token was not verified with the client's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFailure {
    /// The `jwks_uri` could not be fetched or is not a JWK Set. Callers
    /// answer with one fixed text whatever the cause (the cause is logged):
    /// closed port, timeout, garbage and error statuses look the same.
    Unavailable,
    /// No key of the client verifies the token.
    Invalid,
}

/// How long a document with this `max-age` is kept.
fn lifetime(max_age: Option<u64>) -> i64 {
    max_age.map_or(FLOOR, |a| i64::try_from(a).unwrap_or(CEILING)).clamp(FLOOR, CEILING)
}

/// The `keys` of a JWK Set document; `None` unless it is one.
fn key_set(body: &[u8]) -> Option<Vec<Value>> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let keys = v.get("keys")?.as_array()?;
    keys.iter().all(Value::is_object).then(|| keys.clone())
}

fn inline_keys(jwks: &Value) -> Vec<Value> {
    jwks.get("keys").and_then(Value::as_array).cloned().unwrap_or_default()
}

/// Fetches `uri` now; the result, or why not (for the log).
async fn fetch(state: &AppState, reach: Reach, uri: &str) -> Result<(Jwks, i64), String> {
    let doc = outbound::fetch(state.outbound(reach), uri, "application/json").await.map_err(|e| e.to_string())?;
    let keys = key_set(&doc.body).ok_or("the document is not a JWK Set")?;
    Ok((Jwks::lenient(&keys), lifetime(doc.max_age)))
}

impl KeyCache {
    /// The cached set of `uri`, or a fresh one; `previous`: the set to keep
    /// for another floor period if the fetch fails.
    async fn load(&self, state: &AppState, reach: Reach, client: &Client, uri: &str, previous: Option<Arc<Jwks>>) -> Fetched {
        let now = state.now();
        let (fetched, expires_at) = match fetch(state, reach, uri).await {
            Ok((verifiers, lifetime)) => (Fetched { verifiers: Some(Arc::new(verifiers)), fetched_at: now }, now + lifetime),
            Err(reason) => {
                tracing::warn!(client_id = %client.id, %reason, "cannot fetch the client's jwks_uri");
                (Fetched { verifiers: previous, fetched_at: now }, now + FLOOR)
            }
        };
        self.0.insert((reach, uri.to_owned()), fetched.clone(), expires_at, now);
        fetched
    }
}

/// Verifies `jwt` with the keys of `client`, allowing `algs`.
pub async fn verify(state: &AppState, reach: Reach, client: &Client, jwt: &str, algs: &[Alg]) -> Result<VerifiedJwt, KeyFailure> {
    if let Some(jwks) = &client.jwks {
        return Jwks::lenient(&inline_keys(jwks)).verify(jwt, algs).map_err(|_| KeyFailure::Invalid);
    }
    let Some(uri) = client.jwks_uri.as_deref() else {
        return Err(KeyFailure::Invalid);
    };
    let cache = &state.client_keys;
    let entry = match cache.0.get(&(reach, uri.to_owned()), state.now()) {
        Some(e) => e,
        None => cache.load(state, reach, client, uri, None).await,
    };
    let verifiers = entry.verifiers.ok_or(KeyFailure::Unavailable)?;
    if let Ok(v) = verifiers.verify(jwt, algs) {
        return Ok(v);
    }
    if state.now() - entry.fetched_at < FLOOR {
        // A key id the set lacks: the client may have rotated its keys just
        // now (OIDF oidcc-refresh-token-rp-key-rotation). Fetched again at
        // once, but a few times a minute per URL at most, whatever callers
        // send, so made-up key ids cannot make Trame fetch at will.
        if !(verifiers.lacks_key_of(jwt) && allow_unknown_kid_refetch(state, uri).await) {
            return Err(KeyFailure::Invalid);
        }
    }
    // Perhaps a new key: once per floor period, whatever the callers send.
    let fresh = cache.load(state, reach, client, uri, Some(verifiers.clone())).await;
    match fresh.verifiers {
        Some(v) if !Arc::ptr_eq(&v, &verifiers) => v.verify(jwt, algs).map_err(|_| KeyFailure::Invalid),
        _ => Err(KeyFailure::Invalid),
    }
}

/// Refetches of one `jwks_uri` for unknown key ids allowed per minute.
pub const UNKNOWN_KID_REFETCHES_PER_MINUTE: i64 = 6;

/// Counts a refetch for an unknown key id, across nodes; false over the
/// allowance (or when the count cannot be kept: no fetch then).
async fn allow_unknown_kid_refetch(state: &AppState, uri: &str) -> bool {
    let key = format!("thr:kid:{}", trame_core::crypto::secret_digest(uri));
    state.ephemeral.incr(&key, 60).await.is_ok_and(|n| n <= UNKNOWN_KID_REFETCHES_PER_MINUTE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_stay_between_the_floor_and_the_ceiling() {
        assert_eq!(lifetime(None), FLOOR);
        assert_eq!(lifetime(Some(0)), FLOOR, "no-store still keeps the set for the floor");
        assert_eq!(lifetime(Some(600)), 600);
        assert_eq!(lifetime(Some(u64::MAX)), CEILING);
    }

    #[test]
    fn only_jwk_sets_are_key_sets() {
        assert_eq!(key_set(br#"{"keys":[{"kty":"EC"}]}"#).map(|k| k.len()), Some(1));
        assert!(key_set(br#"{"keys":[]}"#).is_some());
        for garbage in [&b"<html>"[..], b"[]", br#"{"keys":{}}"#, br#"{"keys":[1]}"#, b""] {
            assert!(key_set(garbage).is_none());
        }
    }
}
