//! A compact JWS split and decoded before its signature is checked.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::jwks::PublicKey;
use crate::{Alg, Error, Jwks, MAX_JWT_BYTES};

/// A JWT split and decoded, not yet verified.
#[derive(Debug, Clone)]
pub struct DecodedJwt {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    raw: String,
}

/// Splits and decodes a compact JWS without verifying it: three parts, a
/// JSON object as header and as payload, a signature (an unsecured JWS,
/// `alg: none`, has an empty one and is refused here), at most
/// [`MAX_JWT_BYTES`].
pub fn decode(token: &str) -> Result<DecodedJwt, Error> {
    if token.len() > MAX_JWT_BYTES {
        return Err(Error::TooLarge);
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(Error::Malformed);
    };
    if s.is_empty() {
        return Err(Error::AlgNotAllowed("none".into()));
    }
    Ok(DecodedJwt { header: object(h).ok_or(Error::Malformed)?, claims: object(p).ok_or(Error::Malformed)?, raw: token.to_owned() })
}

fn object(part: &str) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(&URL_SAFE_NO_PAD.decode(part).ok()?) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// Reads a JWT's claims (its second part) without verifying anything. Only
/// for choosing which keys to verify with (e.g. the `iss` of a client
/// assertion); the result must never be trusted on its own.
pub fn peek_claims(token: &str) -> Option<Map<String, Value>> {
    object(token.split('.').nth(1)?)
}

impl DecodedJwt {
    /// The compact serialization this was decoded from.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    pub fn typ(&self) -> Option<&str> {
        self.header.get("typ").and_then(Value::as_str)
    }

    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The header's `alg`, if it is one of `allowed`.
    pub(crate) fn alg_in(&self, allowed: &[Alg]) -> Result<Alg, Error> {
        let name = self.alg().unwrap_or("");
        Alg::parse(name).filter(|a| allowed.contains(a)).ok_or_else(|| Error::AlgNotAllowed(name.to_owned()))
    }

    /// Checks the header rules every federation JWT follows: `typ` exactly
    /// `typ`, `alg` in `allowed` (so never `none`), `kid` present.
    pub fn check_header(&self, typ: &str, allowed: &[Alg]) -> Result<Alg, Error> {
        if self.typ() != Some(typ) {
            return Err(Error::WrongType { expected: typ.to_owned(), found: self.typ().map(str::to_owned) });
        }
        let alg = self.alg_in(allowed)?;
        if self.kid().is_none_or(str::is_empty) {
            return Err(Error::MissingKid);
        }
        Ok(alg)
    }

    /// Verifies the signature with the key of `jwks` that the header's `kid`
    /// names (required), with the header's `alg` (one of `allowed`). Call
    /// [`check_header`](Self::check_header) first. For a key set whose keys
    /// may lack a `kid`, or a token that names none, see [`Jwks::verify`].
    pub fn verify_signature(&self, jwks: &Jwks, allowed: &[Alg]) -> Result<(), Error> {
        let alg = self.alg_in(allowed)?;
        let kid = self.kid().filter(|k| !k.is_empty()).ok_or(Error::MissingKid)?;
        let key = jwks.key(kid).ok_or_else(|| Error::UnknownKid(kid.to_owned()))?;
        if self.verified_by(key, alg) { Ok(()) } else { Err(Error::BadSignature(Some(kid.to_owned()))) }
    }

    /// Whether `key` verifies this JWS with `alg`, over exactly the claims
    /// decoded: josekit checks the bytes this was decoded from, the claims
    /// are compared to be sure the ones handed out are the ones signed.
    pub(crate) fn verified_by(&self, key: &PublicKey, alg: Alg) -> bool {
        let Some(verifier) = key.verifier(alg) else { return false };
        let Ok((payload, _)) = josekit::jws::deserialize_compact(&self.raw, verifier) else { return false };
        serde_json::from_slice::<Value>(&payload).ok().as_ref().and_then(Value::as_object) == Some(&self.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SigningKey;
    use serde_json::json;

    fn claims() -> Map<String, Value> {
        json!({"iss": "https://a.example", "n": 1}).as_object().cloned().unwrap()
    }

    fn b64(v: Value) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap())
    }

    #[test]
    fn sign_and_verify_each_alg() {
        for alg in Alg::ALL {
            let (key, _) = SigningKey::generate(alg, None).unwrap();
            let jwt = key.sign("entity-statement+jwt", &claims()).unwrap();
            let d = decode(&jwt).unwrap();
            assert_eq!(d.check_header("entity-statement+jwt", &Alg::ALL).unwrap(), alg);
            let jwks = Jwks::from_keys(std::slice::from_ref(key.public_jwk())).unwrap();
            d.verify_signature(&jwks, &Alg::ALL).unwrap();
            assert_eq!(d.claims, claims());
            assert_eq!(peek_claims(&jwt), Some(claims()));
        }
    }

    #[test]
    fn header_rules() {
        let (key, _) = SigningKey::generate(Alg::ES256, None).unwrap();
        let jwt = key.sign("trust-mark+jwt", &claims()).unwrap();
        let d = decode(&jwt).unwrap();
        assert!(matches!(d.check_header("entity-statement+jwt", &Alg::ALL), Err(Error::WrongType { .. })));
        assert!(matches!(d.check_header("trust-mark+jwt", &[Alg::RS256]), Err(Error::AlgNotAllowed(a)) if a == "ES256"));
        let none = format!("{}.{}.", b64(json!({"alg": "none", "typ": "entity-statement+jwt"})), b64(json!({})));
        assert!(matches!(decode(&none), Err(Error::AlgNotAllowed(_))));
        let none_sig = format!("{}.{}.AAAA", b64(json!({"alg": "none", "typ": "x", "kid": "k"})), b64(json!({})));
        assert!(matches!(decode(&none_sig).unwrap().check_header("x", &Alg::ALL), Err(Error::AlgNotAllowed(_))));
        let no_kid = format!("{}.{}.AAAA", b64(json!({"alg": "ES256", "typ": "x"})), b64(json!({})));
        assert!(matches!(decode(&no_kid).unwrap().check_header("x", &Alg::ALL), Err(Error::MissingKid)));
        let empty_kid = format!("{}.{}.AAAA", b64(json!({"alg": "ES256", "typ": "x", "kid": ""})), b64(json!({})));
        assert!(matches!(decode(&empty_kid).unwrap().check_header("x", &Alg::ALL), Err(Error::MissingKid)));
        assert!(matches!(decode("a.b"), Err(Error::Malformed)));
        assert!(matches!(decode("!!.!!.!!"), Err(Error::Malformed)));
        assert!(matches!(decode(&"a".repeat(MAX_JWT_BYTES + 1)), Err(Error::TooLarge)));
        assert_eq!(peek_claims("garbage"), None);
        assert_eq!(peek_claims(&format!("x.{}", b64(json!({"iss": "c"})))), json!({"iss": "c"}).as_object().cloned(), "peeking needs no header");
    }

    #[test]
    fn key_selection_and_forgery() {
        let (key, _) = SigningKey::generate(Alg::ES256, None).unwrap();
        let (other, _) = SigningKey::generate(Alg::ES256, None).unwrap();
        let jwt = key.sign("x", &claims()).unwrap();
        let d = decode(&jwt).unwrap();
        let only_other = Jwks::from_keys(std::slice::from_ref(other.public_jwk())).unwrap();
        assert!(matches!(d.verify_signature(&only_other, &Alg::ALL), Err(Error::UnknownKid(_))));
        // The right kid on the wrong key material.
        let mut impostor = other.public_jwk().clone();
        impostor["kid"] = json!(key.kid());
        let impostor = Jwks::from_keys(&[impostor]).unwrap();
        assert!(matches!(d.verify_signature(&impostor, &Alg::ALL), Err(Error::BadSignature(Some(k))) if k == key.kid()));
        // A key that declares another algorithm, or another use.
        for (member, value) in [("alg", "ES384"), ("use", "enc")] {
            let mut jwk = key.public_jwk().clone();
            jwk[member] = json!(value);
            let set = Jwks::from_keys(&[jwk]).unwrap();
            assert!(matches!(d.verify_signature(&set, &Alg::ALL), Err(Error::BadSignature(_))), "{member}");
        }
        // Tampered payload.
        let parts: Vec<&str> = jwt.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(br#"{"iss":"https://evil.example"}"#), parts[2]);
        let good = Jwks::from_keys(std::slice::from_ref(key.public_jwk())).unwrap();
        assert!(matches!(decode(&forged).unwrap().verify_signature(&good, &Alg::ALL), Err(Error::BadSignature(_))));
        assert!(matches!(d.verify_signature(&good, &[Alg::RS256]), Err(Error::AlgNotAllowed(_))));
    }
}
