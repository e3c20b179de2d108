//! Helpers shared by the integration tests: entities with fresh keys, and a
//! fixed clock.
#![allow(dead_code)]

use serde_json::{Map, Value, json};
use trame_federation::statement::{EntityStatement, ValidationOptions};
use trame_jose::{Alg, Jwks, SigningKey};

/// The tests' "now": every statement is issued around it.
pub const NOW: i64 = 1_750_000_000;
pub const HOUR: i64 = 3600;

pub struct Entity {
    pub id: String,
    pub key: SigningKey,
}

impl Entity {
    pub fn new(id: &str) -> Self {
        let (key, _) = SigningKey::generate(Alg::ES256, None).expect("key generation");
        Self { id: id.to_owned(), key }
    }

    pub fn jwks(&self) -> Jwks {
        Jwks::from_keys(std::slice::from_ref(self.key.public_jwk())).expect("jwks")
    }

    /// An Entity Configuration valid for an hour.
    pub fn ec(&self) -> EntityStatement {
        EntityStatement::new(&self.id, &self.id, NOW, NOW + HOUR, self.jwks())
    }

    /// A Subordinate Statement by this entity about `sub`.
    pub fn ss(&self, sub: &Entity) -> EntityStatement {
        EntityStatement::new(&self.id, &sub.id, NOW, NOW + HOUR, sub.jwks())
    }

    /// Signs raw claims with any header: for statements the library would
    /// refuse to produce.
    pub fn sign_raw(&self, typ: &str, claims: &Value, header: &Value) -> String {
        let c = claims.as_object().cloned().unwrap_or_default();
        let h = header.as_object().cloned().unwrap_or_default();
        self.key.sign_with_header(typ, &c, &h).expect("signing")
    }

    /// The claims of a minimal Entity Configuration, as JSON.
    pub fn ec_claims(&self) -> Value {
        json!({"iss": self.id, "sub": self.id, "iat": NOW, "exp": NOW + HOUR, "jwks": self.jwks().to_json()})
    }
}

pub fn opts() -> ValidationOptions {
    ValidationOptions::at(NOW)
}

pub fn with(mut base: Value, extra: Value) -> Value {
    let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) else {
        return base;
    };
    for (k, v) in e {
        b.insert(k.clone(), v.clone());
    }
    base
}

pub fn metadata_fe(fetch: &str) -> Map<String, Value> {
    json!({"federation_entity": {"federation_fetch_endpoint": fetch, "federation_list_endpoint": format!("{fetch}/list")}})
        .as_object()
        .cloned()
        .unwrap_or_default()
}

/// Polls a future to completion on this thread. The test fetchers answer
/// at once, so no reactor is needed.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::yield_now();
    }
}
