//! Signing and verifying the compact JWS every federation JWT is, with
//! `josekit`: federation keys ([`SigningKey`]), key sets ([`Jwks`]), and the
//! header rules common to all of them (explicit `typ`, `kid` required,
//! `alg` never `none` and from an allowed list).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use josekit::jwk::Jwk;
use josekit::jwk::alg::ed::EdCurve;
use josekit::jws::{ES256, ES384, ES512, EdDSA, JwsHeader, JwsSigner, JwsVerifier, PS256, PS384, PS512, RS256, RS384, RS512};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Largest JWT accepted from outside: bounds the work an attacker can cause.
pub const MAX_JWT_BYTES: usize = 64 * 1024;

/// A JWS that is malformed, unsigned, or not signed by an expected key.
#[derive(Debug, thiserror::Error)]
pub enum JwsError {
    #[error("the JWT is not a well-formed compact JWS")]
    Malformed,
    #[error("the JWT is larger than {MAX_JWT_BYTES} bytes")]
    TooLarge,
    #[error("header typ is {found:?}, expected {expected}")]
    WrongType { expected: String, found: Option<String> },
    #[error("header alg {0:?} is not accepted")]
    AlgNotAllowed(String),
    #[error("header kid is missing or empty")]
    MissingKid,
    #[error("no key with kid {0:?} in the JWKS that must sign this JWT")]
    UnknownKid(String),
    #[error("the signature does not verify with key {0:?}")]
    BadSignature(String),
    #[error("key material is invalid: {0}")]
    BadKey(#[source] josekit::JoseError),
    #[error("signing failed: {0}")]
    Sign(#[source] josekit::JoseError),
    #[error("the JWKS is invalid: {0}")]
    BadJwks(&'static str),
}

/// Asymmetric JWS algorithms (RFC 7518, RFC 8037). Symmetric ones and `none`
/// have no place in a federation: every statement is verified with public keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SigningAlg {
    ES256,
    ES384,
    ES512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    EdDSA,
}

impl SigningAlg {
    /// Every supported algorithm: the default list of accepted algorithms.
    pub const ALL: [SigningAlg; 10] = [
        SigningAlg::ES256,
        SigningAlg::ES384,
        SigningAlg::ES512,
        SigningAlg::RS256,
        SigningAlg::RS384,
        SigningAlg::RS512,
        SigningAlg::PS256,
        SigningAlg::PS384,
        SigningAlg::PS512,
        SigningAlg::EdDSA,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::ES256 => "ES256",
            SigningAlg::ES384 => "ES384",
            SigningAlg::ES512 => "ES512",
            SigningAlg::RS256 => "RS256",
            SigningAlg::RS384 => "RS384",
            SigningAlg::RS512 => "RS512",
            SigningAlg::PS256 => "PS256",
            SigningAlg::PS384 => "PS384",
            SigningAlg::PS512 => "PS512",
            SigningAlg::EdDSA => "EdDSA",
        }
    }

    fn verifier(self, jwk: &Jwk) -> Result<Box<dyn JwsVerifier>, josekit::JoseError> {
        Ok(match self {
            SigningAlg::ES256 => Box::new(ES256.verifier_from_jwk(jwk)?),
            SigningAlg::ES384 => Box::new(ES384.verifier_from_jwk(jwk)?),
            SigningAlg::ES512 => Box::new(ES512.verifier_from_jwk(jwk)?),
            SigningAlg::RS256 => Box::new(RS256.verifier_from_jwk(jwk)?),
            SigningAlg::RS384 => Box::new(RS384.verifier_from_jwk(jwk)?),
            SigningAlg::RS512 => Box::new(RS512.verifier_from_jwk(jwk)?),
            SigningAlg::PS256 => Box::new(PS256.verifier_from_jwk(jwk)?),
            SigningAlg::PS384 => Box::new(PS384.verifier_from_jwk(jwk)?),
            SigningAlg::PS512 => Box::new(PS512.verifier_from_jwk(jwk)?),
            SigningAlg::EdDSA => Box::new(EdDSA.verifier_from_jwk(jwk)?),
        })
    }
}

/// A private federation key ready to sign, with its public JWK.
pub struct SigningKey {
    kid: String,
    alg: SigningAlg,
    signer: Box<dyn JwsSigner>,
    public_jwk: Value,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the private key.
        f.debug_struct("SigningKey").field("kid", &self.kid).field("alg", &self.alg).finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Generates a key (P-256/384/521, RSA 2048 or Ed25519 by algorithm);
    /// its `kid` is the RFC 7638 thumbprint of the public key (§3.1
    /// recommends it). Returns the key and its PKCS#8 PEM for storage.
    pub fn generate(alg: SigningAlg) -> Result<(Self, Vec<u8>), JwsError> {
        let pem = match alg {
            SigningAlg::ES256 => key_pem(ES256.generate_key_pair())?,
            SigningAlg::ES384 => key_pem(ES384.generate_key_pair())?,
            SigningAlg::ES512 => key_pem(ES512.generate_key_pair())?,
            SigningAlg::RS256 | SigningAlg::RS384 | SigningAlg::RS512 => key_pem(RS256.generate_key_pair(2048))?,
            // A plain RSA key serves PS* too, and every verifier reads its JWK.
            SigningAlg::PS256 | SigningAlg::PS384 | SigningAlg::PS512 => key_pem(RS256.generate_key_pair(2048))?,
            SigningAlg::EdDSA => key_pem(EdDSA.generate_key_pair(EdCurve::Ed25519))?,
        };
        let key = Self::from_pem(alg, None, &pem)?;
        Ok((key, pem))
    }

    /// Loads a PKCS#8 PEM private key. Without `kid`, the RFC 7638
    /// thumbprint of the public key is used.
    pub fn from_pem(alg: SigningAlg, kid: Option<&str>, pem: &[u8]) -> Result<Self, JwsError> {
        use josekit::jwk::KeyPair;
        let public: Jwk = match alg {
            SigningAlg::ES256 => ES256.key_pair_from_pem(pem).map_err(JwsError::BadKey)?.to_jwk_public_key(),
            SigningAlg::ES384 => ES384.key_pair_from_pem(pem).map_err(JwsError::BadKey)?.to_jwk_public_key(),
            SigningAlg::ES512 => ES512.key_pair_from_pem(pem).map_err(JwsError::BadKey)?.to_jwk_public_key(),
            SigningAlg::RS256 | SigningAlg::RS384 | SigningAlg::RS512 | SigningAlg::PS256 | SigningAlg::PS384 | SigningAlg::PS512 => {
                RS256.key_pair_from_pem(pem).map_err(JwsError::BadKey)?.to_jwk_public_key()
            }
            SigningAlg::EdDSA => EdDSA.key_pair_from_pem(pem).map_err(JwsError::BadKey)?.to_jwk_public_key(),
        };
        let signer: Box<dyn JwsSigner> = match alg {
            SigningAlg::ES256 => Box::new(ES256.signer_from_pem(pem).map_err(JwsError::BadKey)?),
            SigningAlg::ES384 => Box::new(ES384.signer_from_pem(pem).map_err(JwsError::BadKey)?),
            SigningAlg::ES512 => Box::new(ES512.signer_from_pem(pem).map_err(JwsError::BadKey)?),
            SigningAlg::RS256 => Box::new(RS256.signer_from_pem(pem).map_err(JwsError::BadKey)?),
            SigningAlg::RS384 => Box::new(RS384.signer_from_pem(pem).map_err(JwsError::BadKey)?),
            SigningAlg::RS512 => Box::new(RS512.signer_from_pem(pem).map_err(JwsError::BadKey)?),
            // josekit reads only RSA-PSS-typed PKCS#8 for PS*; an ordinary RSA
            // key goes through its JWK instead.
            SigningAlg::PS256 => Box::new(PS256.signer_from_jwk(&rsa_private_jwk(pem)?).map_err(JwsError::BadKey)?),
            SigningAlg::PS384 => Box::new(PS384.signer_from_jwk(&rsa_private_jwk(pem)?).map_err(JwsError::BadKey)?),
            SigningAlg::PS512 => Box::new(PS512.signer_from_jwk(&rsa_private_jwk(pem)?).map_err(JwsError::BadKey)?),
            SigningAlg::EdDSA => Box::new(EdDSA.signer_from_pem(pem).map_err(JwsError::BadKey)?),
        };
        let mut public_jwk = public.as_ref().clone();
        let kid = match kid {
            Some(k) if !k.is_empty() => k.to_owned(),
            Some(_) => return Err(JwsError::MissingKid),
            None => thumbprint(&public_jwk).ok_or(JwsError::BadJwks("cannot compute the key thumbprint"))?,
        };
        public_jwk.insert("kid".into(), Value::String(kid.clone()));
        public_jwk.insert("alg".into(), Value::String(alg.as_str().into()));
        public_jwk.insert("use".into(), Value::String("sig".into()));
        Ok(Self { kid, alg, signer, public_jwk: Value::Object(public_jwk) })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn alg(&self) -> SigningAlg {
        self.alg
    }

    /// The public JWK, with `kid`, `alg` and `use: sig`.
    pub fn public_jwk(&self) -> &Value {
        &self.public_jwk
    }

    /// Signs `claims` as a compact JWS with headers `typ`, `alg`, `kid`, plus
    /// `extra_header` members (such as `trust_chain`).
    pub fn sign(&self, typ: &str, claims: &Map<String, Value>, extra_header: &Map<String, Value>) -> Result<String, JwsError> {
        let mut header = JwsHeader::new();
        for (k, v) in extra_header {
            header.set_claim(k, Some(v.clone())).map_err(JwsError::Sign)?;
        }
        header.set_token_type(typ);
        header.set_key_id(&self.kid);
        let payload = serde_json::to_vec(claims).map_err(|_| JwsError::Malformed)?;
        josekit::jws::serialize_compact(&payload, &header, self.signer.as_ref()).map_err(JwsError::Sign)
    }
}

fn rsa_private_jwk(pem: &[u8]) -> Result<Jwk, JwsError> {
    use josekit::jwk::KeyPair;
    let mut map = RS256.key_pair_from_pem(pem).map_err(JwsError::BadKey)?.to_jwk_private_key().as_ref().clone();
    map.remove("alg");
    Jwk::from_map(map).map_err(JwsError::BadKey)
}

fn key_pem<K: josekit::jwk::KeyPair>(kp: Result<K, josekit::JoseError>) -> Result<Vec<u8>, JwsError> {
    Ok(kp.map_err(JwsError::BadKey)?.to_pem_private_key())
}

/// RFC 7638 JWK thumbprint (SHA-256, base64url): the required members in
/// lexicographic order, no whitespace.
pub fn thumbprint(jwk: &Map<String, Value>) -> Option<String> {
    let kty = jwk.get("kty")?.as_str()?;
    let members: &[&str] = match kty {
        "EC" => &["crv", "kty", "x", "y"],
        "RSA" => &["e", "kty", "n"],
        "OKP" => &["crv", "kty", "x"],
        _ => return None,
    };
    let mut canonical = Map::new();
    for m in members {
        canonical.insert((*m).to_owned(), Value::String(jwk.get(*m)?.as_str()?.to_owned()));
    }
    // serde_json's Map is ordered by key without `preserve_order`, which is
    // the order RFC 7638 requires; the members here are sorted anyway.
    let json = serde_json::to_string(&Value::Object(canonical)).ok()?;
    Some(URL_SAFE_NO_PAD.encode(Sha256::digest(json.as_bytes())))
}

/// A set of public keys (`{"keys": [...]}`): every key has a unique,
/// non-empty `kid`, and none carries private material.
#[derive(Debug, Clone, PartialEq)]
pub struct Jwks {
    keys: Vec<Map<String, Value>>,
}

/// JWK members that only a private key has.
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

impl Jwks {
    /// Parses and checks a JWKS object.
    pub fn parse(v: &Value) -> Result<Self, JwsError> {
        let keys = v.get("keys").and_then(Value::as_array).ok_or(JwsError::BadJwks("keys must be an array"))?;
        Self::from_keys(keys)
    }

    /// Builds a JWKS from public JWKs.
    pub fn from_keys(keys: &[Value]) -> Result<Self, JwsError> {
        let mut out: Vec<Map<String, Value>> = Vec::with_capacity(keys.len());
        for k in keys {
            let Value::Object(k) = k else {
                return Err(JwsError::BadJwks("a key is not an object"));
            };
            if !k.get("kty").is_some_and(Value::is_string) {
                return Err(JwsError::BadJwks("a key has no kty"));
            }
            let kid = k.get("kid").and_then(Value::as_str).filter(|s| !s.is_empty());
            let Some(kid) = kid else {
                return Err(JwsError::BadJwks("a key has no kid"));
            };
            if out.iter().any(|o| o.get("kid").and_then(Value::as_str) == Some(kid)) {
                return Err(JwsError::BadJwks("two keys share a kid"));
            }
            if PRIVATE_MEMBERS.iter().any(|m| k.contains_key(*m)) {
                return Err(JwsError::BadJwks("a key carries private key material"));
            }
            out.push(k.clone());
        }
        Ok(Self { keys: out })
    }

    /// The key with this `kid`.
    pub fn find(&self, kid: &str) -> Option<&Map<String, Value>> {
        self.keys.iter().find(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
    }

    /// The `kid`s in this set.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().filter_map(|k| k.get("kid").and_then(Value::as_str))
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The set as a JWKS object.
    pub fn to_json(&self) -> Value {
        serde_json::json!({ "keys": self.keys.iter().cloned().map(Value::Object).collect::<Vec<_>>() })
    }
}

/// A JWT split and decoded, not yet verified.
#[derive(Debug, Clone)]
pub struct DecodedJwt {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    raw: String,
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

    /// Checks the header rules every federation JWT follows: `typ` exactly
    /// `typ`, `alg` in `allowed` (so never `none`), `kid` present.
    pub fn check_header(&self, typ: &str, allowed: &[SigningAlg]) -> Result<SigningAlg, JwsError> {
        if self.typ() != Some(typ) {
            return Err(JwsError::WrongType { expected: typ.to_owned(), found: self.typ().map(str::to_owned) });
        }
        let alg_name = self.alg().unwrap_or("");
        let alg = SigningAlg::parse(alg_name).filter(|a| allowed.contains(a)).ok_or_else(|| JwsError::AlgNotAllowed(alg_name.to_owned()))?;
        if self.kid().is_none_or(str::is_empty) {
            return Err(JwsError::MissingKid);
        }
        Ok(alg)
    }

    /// Verifies the signature with the key of `jwks` that the header's `kid`
    /// names. Call [`check_header`](Self::check_header) first.
    pub fn verify_signature(&self, jwks: &Jwks, allowed: &[SigningAlg]) -> Result<(), JwsError> {
        let alg_name = self.alg().unwrap_or("");
        let alg = SigningAlg::parse(alg_name).filter(|a| allowed.contains(a)).ok_or_else(|| JwsError::AlgNotAllowed(alg_name.to_owned()))?;
        let kid = self.kid().filter(|k| !k.is_empty()).ok_or(JwsError::MissingKid)?;
        let key = jwks.find(kid).ok_or_else(|| JwsError::UnknownKid(kid.to_owned()))?;
        // A key that declares its algorithm or a non-signing use is only
        // good for that.
        if key.get("alg").and_then(Value::as_str).is_some_and(|a| a != alg.as_str()) || key.get("use").and_then(Value::as_str).is_some_and(|u| u != "sig") {
            return Err(JwsError::BadSignature(kid.to_owned()));
        }
        let jwk = Jwk::from_map(key.clone()).map_err(JwsError::BadKey)?;
        let verifier = alg.verifier(&jwk).map_err(|_| JwsError::BadSignature(kid.to_owned()))?;
        let (payload, _) = josekit::jws::deserialize_compact(&self.raw, verifier.as_ref()).map_err(|_| JwsError::BadSignature(kid.to_owned()))?;
        // josekit verified the same bytes we decoded; compare to be sure the
        // claims we hand out are the ones signed.
        let signed: Value = serde_json::from_slice(&payload).map_err(|_| JwsError::Malformed)?;
        if signed.as_object() != Some(&self.claims) {
            return Err(JwsError::BadSignature(kid.to_owned()));
        }
        Ok(())
    }
}

/// Splits and decodes a compact JWS without verifying it.
pub fn decode(token: &str) -> Result<DecodedJwt, JwsError> {
    if token.len() > MAX_JWT_BYTES {
        return Err(JwsError::TooLarge);
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(JwsError::Malformed);
    };
    if s.is_empty() {
        // An unsecured JWS (alg none) has an empty signature.
        return Err(JwsError::AlgNotAllowed("none".into()));
    }
    let object = |part: &str| -> Result<Map<String, Value>, JwsError> {
        let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| JwsError::Malformed)?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(JwsError::Malformed),
        }
    };
    Ok(DecodedJwt { header: object(h)?, claims: object(p)?, raw: token.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims() -> Map<String, Value> {
        json!({"iss": "https://a.example", "n": 1}).as_object().cloned().unwrap()
    }

    #[test]
    fn sign_and_verify_each_alg() {
        for alg in SigningAlg::ALL {
            let (key, pem) = SigningKey::generate(alg).unwrap();
            let jwt = key.sign("entity-statement+jwt", &claims(), &Map::new()).unwrap();
            let d = decode(&jwt).unwrap();
            assert_eq!(d.check_header("entity-statement+jwt", &SigningAlg::ALL).unwrap(), alg);
            let jwks = Jwks::from_keys(std::slice::from_ref(key.public_jwk())).unwrap();
            d.verify_signature(&jwks, &SigningAlg::ALL).unwrap();
            assert_eq!(d.claims, claims());
            // The PEM loads back to the same kid (thumbprint).
            let again = SigningKey::from_pem(alg, None, &pem).unwrap();
            assert_eq!(again.kid(), key.kid(), "{alg:?}");
            assert!(key.public_jwk().get("d").is_none());
        }
    }

    #[test]
    fn header_rules() {
        let (key, _) = SigningKey::generate(SigningAlg::ES256).unwrap();
        let jwt = key.sign("trust-mark+jwt", &claims(), &Map::new()).unwrap();
        let d = decode(&jwt).unwrap();
        assert!(matches!(d.check_header("entity-statement+jwt", &SigningAlg::ALL), Err(JwsError::WrongType { .. })));
        assert!(matches!(d.check_header("trust-mark+jwt", &[SigningAlg::RS256]), Err(JwsError::AlgNotAllowed(a)) if a == "ES256"));
        let b64 = |v: Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap());
        let none = format!("{}.{}.", b64(json!({"alg": "none", "typ": "entity-statement+jwt"})), b64(json!({})));
        assert!(matches!(decode(&none), Err(JwsError::AlgNotAllowed(_))));
        let none_sig = format!("{}.{}.AAAA", b64(json!({"alg": "none", "typ": "x", "kid": "k"})), b64(json!({})));
        assert!(matches!(decode(&none_sig).unwrap().check_header("x", &SigningAlg::ALL), Err(JwsError::AlgNotAllowed(_))));
        let no_kid = format!("{}.{}.AAAA", b64(json!({"alg": "ES256", "typ": "x"})), b64(json!({})));
        assert!(matches!(decode(&no_kid).unwrap().check_header("x", &SigningAlg::ALL), Err(JwsError::MissingKid)));
        let empty_kid = format!("{}.{}.AAAA", b64(json!({"alg": "ES256", "typ": "x", "kid": ""})), b64(json!({})));
        assert!(matches!(decode(&empty_kid).unwrap().check_header("x", &SigningAlg::ALL), Err(JwsError::MissingKid)));
        assert!(matches!(decode("a.b"), Err(JwsError::Malformed)));
        assert!(matches!(decode("!!.!!.!!"), Err(JwsError::Malformed)));
        assert!(matches!(decode(&"a".repeat(MAX_JWT_BYTES + 1)), Err(JwsError::TooLarge)));
    }

    #[test]
    fn key_selection_and_forgery() {
        let (key, _) = SigningKey::generate(SigningAlg::ES256).unwrap();
        let (other, _) = SigningKey::generate(SigningAlg::ES256).unwrap();
        let jwt = key.sign("x", &claims(), &Map::new()).unwrap();
        let d = decode(&jwt).unwrap();
        let only_other = Jwks::from_keys(std::slice::from_ref(other.public_jwk())).unwrap();
        assert!(matches!(d.verify_signature(&only_other, &SigningAlg::ALL), Err(JwsError::UnknownKid(_))));
        // The right kid on the wrong key material.
        let mut impostor = other.public_jwk().clone();
        impostor["kid"] = json!(key.kid());
        let impostor = Jwks::from_keys(&[impostor]).unwrap();
        assert!(matches!(d.verify_signature(&impostor, &SigningAlg::ALL), Err(JwsError::BadSignature(_))));
        // Tampered payload.
        let parts: Vec<&str> = jwt.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(br#"{"iss":"https://evil.example"}"#), parts[2]);
        let good = Jwks::from_keys(std::slice::from_ref(key.public_jwk())).unwrap();
        assert!(matches!(decode(&forged).unwrap().verify_signature(&good, &SigningAlg::ALL), Err(JwsError::BadSignature(_))));
    }

    #[test]
    fn jwks_rules() {
        let (a, _) = SigningKey::generate(SigningAlg::ES256).unwrap();
        let dup = Jwks::from_keys(&[a.public_jwk().clone(), a.public_jwk().clone()]);
        assert!(matches!(dup, Err(JwsError::BadJwks("two keys share a kid"))));
        let mut no_kid = a.public_jwk().clone();
        no_kid.as_object_mut().unwrap().remove("kid");
        assert!(matches!(Jwks::from_keys(&[no_kid]), Err(JwsError::BadJwks("a key has no kid"))));
        let mut private = a.public_jwk().clone();
        private["d"] = json!("secret");
        assert!(matches!(Jwks::from_keys(&[private]), Err(JwsError::BadJwks(_))));
        assert!(matches!(Jwks::parse(&json!({"keys": {}})), Err(JwsError::BadJwks(_))));
        let ok = Jwks::parse(&json!({"keys": [a.public_jwk()]})).unwrap();
        assert_eq!(ok.kids().collect::<Vec<_>>(), vec![a.kid()]);
        assert_eq!(Jwks::parse(&ok.to_json()).unwrap(), ok);
    }

    /// RFC 7638 §3.1 example.
    #[test]
    fn thumbprint_matches_rfc7638() {
        let jwk = json!({"kty": "RSA", "e": "AQAB", "alg": "RS256", "kid": "2011-04-29",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"});
        assert_eq!(thumbprint(jwk.as_object().unwrap()).unwrap(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }
}
