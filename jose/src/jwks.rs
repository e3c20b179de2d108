//! Key sets, and the verifiers built from their keys: once per key and
//! algorithm, on first use, then kept with the set.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use josekit::jwk::Jwk;
use josekit::jws::JwsVerifier;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::{Alg, DecodedJwt, Error, decode};

/// One public key of a set, with the verifiers built from it so far.
pub(crate) struct PublicKey {
    jwk: Map<String, Value>,
    /// By [`Alg::index`]: not tried yet, or the verifier (`None`: the key
    /// is not for that algorithm).
    verifiers: [OnceLock<Option<Box<dyn JwsVerifier>>>; Alg::ALL.len()],
}

impl PublicKey {
    fn new(jwk: Map<String, Value>) -> Self {
        Self { jwk, verifiers: std::array::from_fn(|_| OnceLock::new()) }
    }

    fn kid(&self) -> Option<&str> {
        self.jwk.get("kid").and_then(Value::as_str)
    }

    /// The verifier of `alg` for this key, built on first use and kept;
    /// `None` when the key is not for `alg`: it names another `alg` or a
    /// `use` other than `sig`, is of another type, or is malformed.
    pub(crate) fn verifier(&self, alg: Alg) -> Option<&dyn JwsVerifier> {
        self.verifiers[alg.index()].get_or_init(|| self.build(alg)).as_deref()
    }

    fn build(&self, alg: Alg) -> Option<Box<dyn JwsVerifier>> {
        let member = |name: &str| self.jwk.get(name).and_then(Value::as_str);
        if member("alg").is_some_and(|a| a != alg.as_str()) || member("use").is_some_and(|u| u != "sig") {
            return None;
        }
        let jwk = Jwk::from_map(self.jwk.clone()).ok()?;
        alg.verifier(&jwk).ok()
    }
}

/// A set of public keys (a JWKS's `keys`), each with its verifiers built
/// once, on first use. Clones share the keys and their verifiers: keep a
/// set where its JWKS is kept, and verify with it as often as needed.
///
/// [`Jwks::parse`] and [`Jwks::from_keys`] check a federation's rules
/// (unique `kid`s, no private material); [`Jwks::lenient`] takes a set as
/// OpenID Connect parties publish it.
#[derive(Clone, Default)]
pub struct Jwks {
    keys: Arc<[PublicKey]>,
    /// Tokens this set verified ([`Jwks::remembering`]); shared by clones.
    memo: Option<Arc<Memo>>,
}

/// Tokens a set has verified, by the SHA-256 of their bytes. The same
/// bytes against the same keys verify the same way every time, so a token
/// presented again skips its signature check: a resource server calls
/// userinfo or introspection with one access token many times during its
/// lifetime, and the ES256 verification was about 1,000,000 of a userinfo
/// request's 1,300,000 instructions (callgrind). Only successes are kept;
/// what a token's claims say (expiry, revocation) is still the caller's
/// check at each use. Bounded: emptied when full.
struct Memo {
    capacity: usize,
    seen: Mutex<HashMap<[u8; 32], VerifiedJwt>>,
}

impl std::fmt::Debug for Jwks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.keys.iter().map(PublicKey::kid)).finish()
    }
}

/// Equal when they hold the same JWKs, in the same order.
impl PartialEq for Jwks {
    fn eq(&self, other: &Self) -> bool {
        self.keys.len() == other.keys.len() && self.keys.iter().zip(other.keys.iter()).all(|(a, b)| a.jwk == b.jwk)
    }
}

/// JWK members that only a private key has.
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// A verified JWS: the header fields a caller needs, and the claims.
#[derive(Debug, Clone)]
pub struct VerifiedJwt {
    pub typ: Option<String>,
    pub alg: Alg,
    pub kid: Option<String>,
    pub claims: Map<String, Value>,
}

impl Jwks {
    /// Parses and checks a JWKS object (`{"keys": [...]}`): every key has a
    /// `kty` and a unique, non-empty `kid`, and none carries private
    /// material.
    pub fn parse(v: &Value) -> Result<Self, Error> {
        let keys = v.get("keys").and_then(Value::as_array).ok_or(Error::BadJwks("keys must be an array"))?;
        Self::from_keys(keys)
    }

    /// Builds a set from public JWKs, with the checks of [`Jwks::parse`].
    pub fn from_keys(keys: &[Value]) -> Result<Self, Error> {
        let mut out: Vec<Map<String, Value>> = Vec::with_capacity(keys.len());
        for k in keys {
            let Value::Object(k) = k else {
                return Err(Error::BadJwks("a key is not an object"));
            };
            if !k.get("kty").is_some_and(Value::is_string) {
                return Err(Error::BadJwks("a key has no kty"));
            }
            let kid = k.get("kid").and_then(Value::as_str).filter(|s| !s.is_empty());
            let Some(kid) = kid else {
                return Err(Error::BadJwks("a key has no kid"));
            };
            if out.iter().any(|o| o.get("kid").and_then(Value::as_str) == Some(kid)) {
                return Err(Error::BadJwks("two keys share a kid"));
            }
            if PRIVATE_MEMBERS.iter().any(|m| k.contains_key(*m)) {
                return Err(Error::BadJwks("a key carries private key material"));
            }
            out.push(k.clone());
        }
        Ok(Self::of(out))
    }

    /// A set of whatever JWKs `keys` holds, as a client's or a provider's
    /// JWKS may be: keys without `kid`, or sharing one, are kept; entries
    /// that are not objects are left out; a key no algorithm can use never
    /// verifies anything.
    pub fn lenient(keys: &[Value]) -> Self {
        Self::of(keys.iter().filter_map(Value::as_object).cloned().collect())
    }

    fn of(keys: Vec<Map<String, Value>>) -> Self {
        Self { keys: keys.into_iter().map(PublicKey::new).collect(), memo: None }
    }

    /// The same set, remembering up to `capacity` tokens it verified with
    /// [`Jwks::verify`] (see [`Memo`]). For a set kept as long as its keys
    /// do not change, whose tokens come back: a provider's own keys.
    pub fn remembering(self, capacity: usize) -> Self {
        Self { memo: Some(Arc::new(Memo { capacity, seen: Mutex::new(HashMap::new()) })), ..self }
    }

    pub(crate) fn key(&self, kid: &str) -> Option<&PublicKey> {
        self.keys.iter().find(|k| k.kid() == Some(kid))
    }

    /// The key with this `kid` (the first, in a lenient set).
    pub fn find(&self, kid: &str) -> Option<&Map<String, Value>> {
        self.key(kid).map(|k| &k.jwk)
    }

    /// The `kid`s in this set.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().filter_map(PublicKey::kid)
    }

    /// The JWKs of this set.
    pub fn jwks(&self) -> impl Iterator<Item = &Map<String, Value>> {
        self.keys.iter().map(|k| &k.jwk)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The set as a JWKS object.
    pub fn to_json(&self) -> Value {
        serde_json::json!({ "keys": self.jwks().cloned().map(Value::Object).collect::<Vec<_>>() })
    }

    /// Verifies a compact JWS signed with one of `allowed` by a key of this
    /// set: the key its `kid` names when both the token and the key have
    /// one, otherwise any key that verifies it. The header rules of a
    /// federation (`kid` required, `typ`) are [`DecodedJwt::check_header`]
    /// and [`DecodedJwt::verify_signature`].
    pub fn verify(&self, token: &str, allowed: &[Alg]) -> Result<VerifiedJwt, Error> {
        let Some(memo) = &self.memo else {
            return self.verify_decoded(decode(token)?, allowed);
        };
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(v) = memo.seen.lock().unwrap_or_else(|e| e.into_inner()).get(&digest)
            && allowed.contains(&v.alg)
        {
            return Ok(v.clone());
        }
        let v = self.verify_decoded(decode(token)?, allowed)?;
        let mut seen = memo.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= memo.capacity {
            seen.clear();
        }
        seen.insert(digest, v.clone());
        Ok(v)
    }

    /// [`verify`](Self::verify) for a token already decoded.
    pub fn verify_decoded(&self, jwt: DecodedJwt, allowed: &[Alg]) -> Result<VerifiedJwt, Error> {
        let alg = jwt.alg_in(allowed)?;
        let kid = jwt.kid().map(str::to_owned);
        let may_have_signed = |k: &&PublicKey| match (kid.as_deref(), k.kid()) {
            (Some(want), Some(have)) => want == have,
            _ => true,
        };
        if !self.keys.iter().filter(may_have_signed).any(|k| jwt.verified_by(k, alg)) {
            return Err(Error::BadSignature(kid));
        }
        let typ = jwt.typ().map(str::to_owned);
        Ok(VerifiedJwt { typ, alg, kid, claims: jwt.claims })
    }

    /// Whether the token names a key (`kid`) this set lacks: then the set
    /// may be out of date (the signer rotated its keys), where a bad
    /// signature with a known key says nothing of the kind. A token without
    /// `kid`, or unreadable, does not count.
    pub fn lacks_key_of(&self, token: &str) -> bool {
        match decode(token).ok().as_ref().and_then(DecodedJwt::kid) {
            Some(kid) => self.key(kid).is_none(),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SigningKey;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    fn sub(v: &str) -> Map<String, Value> {
        json!({ "sub": v }).as_object().cloned().unwrap()
    }

    #[test]
    fn sign_and_verify_each_alg() {
        for alg in Alg::ALL {
            let (key, _) = SigningKey::generate(alg, Some("k")).unwrap();
            let token = key.sign("at+jwt", &sub("alice")).unwrap();
            let v = Jwks::lenient(std::slice::from_ref(key.public_jwk())).verify(&token, &[alg]).unwrap();
            assert_eq!(v.claims["sub"], "alice");
            assert_eq!(v.typ.as_deref(), Some("at+jwt"));
            assert_eq!(v.kid.as_deref(), Some("k"));
            assert_eq!(v.alg, alg);
        }
    }

    #[test]
    fn a_remembering_set_answers_as_a_plain_one() {
        let (key, _) = SigningKey::generate(Alg::ES256, Some("k")).unwrap();
        let (other, _) = SigningKey::generate(Alg::ES256, Some("k")).unwrap();
        let set = Jwks::lenient(std::slice::from_ref(key.public_jwk())).remembering(2);
        let tokens: Vec<String> = ["a", "b", "c"].iter().map(|s| key.sign("at+jwt", &sub(s)).unwrap()).collect();
        for _ in 0..2 {
            for (t, s) in tokens.iter().zip(["a", "b", "c"]) {
                assert_eq!(set.verify(t, &[Alg::ES256]).unwrap().claims["sub"], s);
            }
        }
        // Remembered, yet an algorithm the caller does not allow is refused.
        assert!(matches!(set.verify(&tokens[2], &[Alg::RS256]), Err(Error::AlgNotAllowed(_))));
        // A failure is never remembered: a forged token (another key, the
        // same kid) and a remembered one with its signature changed.
        let forged = other.sign("at+jwt", &sub("a")).unwrap();
        for _ in 0..2 {
            assert!(matches!(set.verify(&forged, &[Alg::ES256]), Err(Error::BadSignature(_))));
        }
        let (head, sig) = tokens[2].rsplit_once('.').unwrap();
        let altered = format!("{head}.{}", if sig.starts_with('A') { sig.replacen('A', "B", 1) } else { format!("A{}", &sig[1..]) });
        assert!(set.verify(&altered, &[Alg::ES256]).is_err());
        // Clones share what was remembered; the capacity holds.
        let clone = set.clone();
        assert!(clone.verify(&tokens[0], &[Alg::ES256]).is_ok());
        assert!(set.memo.as_ref().unwrap().seen.lock().unwrap().len() <= 2);
    }

    #[test]
    fn a_set_picks_its_key_and_agrees_with_the_named_key_check() {
        let (es, es_pem) = SigningKey::generate(Alg::ES256, None).unwrap();
        let (ed, _) = SigningKey::generate(Alg::EdDSA, None).unwrap();
        let (other, other_pem) = SigningKey::generate(Alg::ES256, None).unwrap();
        let set = Jwks::from_keys(&[es.public_jwk().clone(), ed.public_jwk().clone()]).unwrap();
        let inbound = [Alg::ES256, Alg::RS256, Alg::PS256, Alg::EdDSA];
        for k in [&es, &ed] {
            let token = k.sign("at+jwt", &sub("alice")).unwrap();
            let v = set.verify(&token, &inbound).unwrap();
            assert_eq!(v.claims["sub"], "alice");
            assert_eq!(v.alg, k.alg());
            assert_eq!(v.kid.as_deref(), Some(k.kid()));
            decode(&token).unwrap().verify_signature(&set, &inbound).unwrap();
            assert!(matches!(set.verify(&token, &[Alg::RS256]), Err(Error::AlgNotAllowed(_))));
        }
        // A key outside the set, and a token naming a kid the set lacks.
        let stranger = other.sign("JWT", &Map::new()).unwrap();
        assert!(matches!(set.verify(&stranger, &inbound), Err(Error::BadSignature(_))));
        assert!(set.lacks_key_of(&stranger));
        let renamed = SigningKey::from_pem(Alg::ES256, Some(es.kid()), &other_pem).unwrap().sign("JWT", &Map::new()).unwrap();
        assert!(matches!(set.verify(&renamed, &inbound), Err(Error::BadSignature(Some(_)))));
        assert!(!set.lacks_key_of(&renamed), "a known kid with a bad signature is no sign of rotation");
        // A key without alg or kid verifies what its type allows.
        let mut bare = es.public_jwk().clone();
        bare.as_object_mut().unwrap().remove("alg");
        bare.as_object_mut().unwrap().remove("kid");
        let unnamed = Jwks::lenient(&[bare, json!("not a key")]);
        let token = es.sign("JWT", &Map::new()).unwrap();
        assert!(unnamed.verify(&token, &inbound).is_ok());
        // A token without kid: only a key without kid may have signed it.
        let kidless = {
            let signer = josekit::jws::ES256.signer_from_pem(&es_pem).unwrap();
            josekit::jws::serialize_compact(b"{}", &josekit::jws::JwsHeader::new(), &signer).unwrap()
        };
        assert!(unnamed.verify(&kidless, &inbound).is_ok());
        assert!(matches!(set.verify(&kidless, &inbound), Err(Error::BadSignature(None))));
        assert!(!set.lacks_key_of(&kidless));
        assert!(Jwks::lenient(&[]).is_empty());
        assert!(matches!(Jwks::default().verify(&token, &inbound), Err(Error::BadSignature(_))));
        assert!(matches!(set.verify("garbage", &inbound), Err(Error::Malformed)));
        assert!(!set.lacks_key_of("garbage"));
    }

    #[test]
    fn verification_refusals() {
        let (k, _) = SigningKey::generate(Alg::ES256, Some("k")).unwrap();
        let (other, _) = SigningKey::generate(Alg::ES256, Some("k")).unwrap();
        let token = k.sign("JWT", &Map::new()).unwrap();
        let mine = Jwks::lenient(std::slice::from_ref(k.public_jwk()));
        // Wrong key.
        assert!(matches!(Jwks::lenient(std::slice::from_ref(other.public_jwk())).verify(&token, &[Alg::ES256]), Err(Error::BadSignature(_))));
        // Algorithm not allowed.
        assert!(matches!(mine.verify(&token, &[Alg::RS256]), Err(Error::AlgNotAllowed(_))));
        // Tampered payload.
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(br#"{"sub":"mallory"}"#);
        parts[1] = &forged;
        assert!(mine.verify(&parts.join("."), &[Alg::ES256]).is_err());
        // alg=none, and HS256 naming the public key as its secret.
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#), URL_SAFE_NO_PAD.encode(b"{}"));
        assert!(matches!(mine.verify(&none, &Alg::ALL), Err(Error::AlgNotAllowed(_))));
        let hs = format!("{}.{}.AAAA", URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","kid":"k"}"#), URL_SAFE_NO_PAD.encode(b"{}"));
        assert!(matches!(mine.verify(&hs, &Alg::ALL), Err(Error::AlgNotAllowed(a)) if a == "HS256"));
        assert!(matches!(Jwks::default().verify("garbage", &Alg::ALL), Err(Error::Malformed)));
    }

    #[test]
    fn verifiers_are_built_once_per_key_and_algorithm_and_shared_by_clones() {
        let (k, _) = SigningKey::generate(Alg::ES256, Some("k")).unwrap();
        let mut bare = k.public_jwk().clone();
        bare.as_object_mut().unwrap().remove("alg");
        let set = Jwks::lenient(&[bare]);
        let clone = set.clone();
        let key = &set.keys[0];
        let first = key.verifier(Alg::ES256).map(|v| v as *const dyn JwsVerifier as *const ());
        assert!(first.is_some());
        let token = k.sign("JWT", &Map::new()).unwrap();
        for _ in 0..3 {
            clone.verify(&token, &[Alg::ES256]).unwrap();
        }
        let again = clone.keys[0].verifier(Alg::ES256).map(|v| v as *const dyn JwsVerifier as *const ());
        assert_eq!(first, again, "the clone verified with the verifier the set built");
        // A key of another type is tried once, and remembered as unusable.
        assert!(key.verifier(Alg::RS256).is_none());
        assert!(key.verifiers[Alg::RS256.index()].get().is_some_and(Option::is_none));
        assert!(key.verifiers[Alg::EdDSA.index()].get().is_none(), "never asked, never built");
    }

    #[test]
    fn jwks_rules() {
        let (a, _) = SigningKey::generate(Alg::ES256, None).unwrap();
        let dup = Jwks::from_keys(&[a.public_jwk().clone(), a.public_jwk().clone()]);
        assert!(matches!(dup, Err(Error::BadJwks("two keys share a kid"))));
        assert_eq!(Jwks::lenient(&[a.public_jwk().clone(), a.public_jwk().clone()]).kids().count(), 2, "a lenient set keeps both");
        let mut no_kid = a.public_jwk().clone();
        no_kid.as_object_mut().unwrap().remove("kid");
        assert!(matches!(Jwks::from_keys(&[no_kid]), Err(Error::BadJwks("a key has no kid"))));
        let mut private = a.public_jwk().clone();
        private["d"] = json!("secret");
        assert!(matches!(Jwks::from_keys(&[private]), Err(Error::BadJwks(_))));
        assert!(matches!(Jwks::parse(&json!({"keys": {}})), Err(Error::BadJwks(_))));
        let ok = Jwks::parse(&json!({"keys": [a.public_jwk()]})).unwrap();
        assert_eq!(ok.kids().collect::<Vec<_>>(), vec![a.kid()]);
        assert_eq!(ok.find(a.kid()), a.public_jwk().as_object());
        assert_eq!(Jwks::parse(&ok.to_json()).unwrap(), ok);
        assert_ne!(ok, Jwks::default());
    }
}
