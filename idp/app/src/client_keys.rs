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
//! built once per key set, fetched or registered inline, and kept with it.

use std::sync::Arc;

use serde_json::Value;
use trame_core::client::Client;
use trame_jose::{Alg, Jwks, VerifiedJwt};

use crate::App;
use crate::memo::Memo;
use crate::outbound::{self, Reach};

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
/// tenant that reaches private addresses is not another tenant's), and the
/// inline ones by tenant and client, with the `jwks` they were built from.
pub struct KeyCache(Memo<(Reach, String), Fetched>, Memo<(String, String), Arc<(Value, Jwks)>>);

impl Default for KeyCache {
    fn default() -> Self {
        Self(Memo::new(CAPACITY), Memo::new(CAPACITY))
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

/// Why a `jwks_uri` gave no key set, for the log only.
#[derive(Debug, thiserror::Error)]
enum FetchFailure {
    #[error(transparent)]
    Fetch(#[from] outbound::FetchError),
    #[error("the document is not a JWK Set")]
    NotAKeySet,
}

/// Fetches `uri` now; the result, or why not (for the log).
async fn fetch(state: &App, reach: Reach, uri: &str) -> Result<(Jwks, i64), FetchFailure> {
    let doc = outbound::fetch(state.outbound(reach), uri, "application/json").await?;
    let keys = key_set(&doc.body).ok_or(FetchFailure::NotAKeySet)?;
    Ok((Jwks::lenient(&keys), lifetime(doc.max_age)))
}

impl KeyCache {
    /// The cached set of `uri`, or a fresh one; `previous`: the set to keep
    /// for another floor period if the fetch fails.
    async fn load(&self, state: &App, reach: Reach, client: &Client, uri: &str, previous: Option<Arc<Jwks>>) -> Fetched {
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

    /// The set of a client's inline `jwks`, built once while the client
    /// registers the same keys (a changed client brings its new `jwks`).
    fn inline(&self, client: &Client, jwks: &Value, now: i64) -> Jwks {
        let key = (client.tenant_id.clone(), client.id.as_str().to_owned());
        if let Some(kept) = self.1.get(&key, now)
            && kept.0 == *jwks
        {
            return kept.1.clone();
        }
        let set = Jwks::lenient(&inline_keys(jwks));
        self.1.insert(key, Arc::new((jwks.clone(), set.clone())), now + CEILING, now);
        set
    }
}

/// Verifies `jwt` with the keys of `client`, allowing `algs`.
pub async fn verify(state: &App, reach: Reach, client: &Client, jwt: &str, algs: &[Alg]) -> Result<VerifiedJwt, KeyFailure> {
    if let Some(jwks) = &client.jwks {
        return state.client_keys.inline(client, jwks, state.now()).verify(jwt, algs).map_err(|_| KeyFailure::Invalid);
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
async fn allow_unknown_kid_refetch(state: &App, uri: &str) -> bool {
    let key = trame_store::ephemeral_keys::key_refetch(uri);
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
    fn inline_sets_are_kept_while_the_client_keeps_its_jwks() {
        use serde_json::{Map, json};
        use trame_core::client::{AuthMethod, ClientSettings};
        use trame_jose::SigningKey;

        let mut client = Client {
            id: trame_core::ids::ClientId::parse("rp").unwrap(),
            tenant_id: "t".into(),
            secret_digest: None,
            registration_token_digest: None,
            federation: None,
            settings: ClientSettings::new(AuthMethod::PrivateKeyJwt),
        };
        let (a, _) = SigningKey::generate(Alg::ES256, Some("a")).unwrap();
        let (b, _) = SigningKey::generate(Alg::ES256, Some("b")).unwrap();
        let token = |k: &SigningKey| k.sign("JWT", &Map::new()).unwrap();
        let cache = KeyCache::default();
        let key = ("t".to_owned(), "rp".to_owned());

        client.settings.jwks = Some(json!({ "keys": [a.public_jwk()] }));
        let jwks = client.jwks.clone().unwrap();
        assert!(cache.inline(&client, &jwks, 0).verify(&token(&a), &[Alg::ES256]).is_ok());
        let kept = cache.1.get(&key, 0).unwrap();
        assert!(cache.inline(&client, &jwks, 10).verify(&token(&a), &[Alg::ES256]).is_ok());
        assert!(Arc::ptr_eq(&kept, &cache.1.get(&key, 10).unwrap()), "the same set, its verifier built once");

        // The client registered other keys: a set of those, at once.
        client.settings.jwks = Some(json!({ "keys": [b.public_jwk()] }));
        let jwks = client.jwks.clone().unwrap();
        let now = cache.inline(&client, &jwks, 20);
        assert!(now.verify(&token(&b), &[Alg::ES256]).is_ok());
        assert!(now.verify(&token(&a), &[Alg::ES256]).is_err());
        assert_eq!(cache.1.len(), 1);
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
