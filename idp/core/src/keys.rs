//! Every signature and verification Trame makes goes through this module,
//! with `josekit`. Private keys enter and leave it as PKCS#8 PEM (the store
//! encrypts them at rest); public keys leave it as JWKs.

use josekit::jwk::Jwk;
use josekit::jwk::alg::ed::EdCurve;
use josekit::jws::{ES256, EdDSA, JwsHeader, JwsSigner, JwsVerifier, PS256, RS256};
use josekit::jwt::{self, JwtPayload};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256, Sha512};

use crate::crypto::{Randomness, b64url, random_id};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("unsupported algorithm {0}")]
    UnsupportedAlg(String),
    #[error("key material is invalid: {0}")]
    BadKey(#[source] josekit::JoseError),
    #[error("signing failed: {0}")]
    Sign(#[source] josekit::JoseError),
    #[error("the token is not a well-formed JWS")]
    Malformed,
    #[error("the token's signature does not verify with any known key")]
    BadSignature,
    #[error("the token is signed with an algorithm that is not accepted here")]
    AlgNotAllowed,
}

/// Signing algorithms Trame issues tokens with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alg {
    ES256,
    RS256,
    EdDSA,
}

impl Alg {
    pub const ALL: [Alg; 3] = [Alg::ES256, Alg::RS256, Alg::EdDSA];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Alg::ES256 => "ES256",
            Alg::RS256 => "RS256",
            Alg::EdDSA => "EdDSA",
        }
    }

    /// `at_hash`/`c_hash` (OIDC Core §3.1.3.6): the left half of the hash
    /// that the signature algorithm uses. Ed25519 signs with SHA-512.
    pub fn half_hash(self, data: &str) -> String {
        match self {
            Alg::ES256 | Alg::RS256 => {
                let h = Sha256::digest(data.as_bytes());
                b64url(&h[..16])
            }
            Alg::EdDSA => {
                let h = Sha512::digest(data.as_bytes());
                b64url(&h[..32])
            }
        }
    }
}

/// A freshly generated key pair, as the store keeps it.
pub struct GeneratedKey {
    pub kid: String,
    pub alg: Alg,
    /// PKCS#8 PEM of the private key; encrypt before storing.
    pub private_pem: Vec<u8>,
    /// The public JWK with `kid`, `alg` and `use` set.
    pub public_jwk: Value,
}

pub fn generate(alg: Alg, rng: &dyn Randomness) -> Result<GeneratedKey, KeyError> {
    let kid = random_id(rng);
    let (private_pem, jwk) = match alg {
        Alg::ES256 => {
            let kp = ES256.generate_key_pair().map_err(KeyError::BadKey)?;
            (kp.to_pem_private_key(), kp.to_jwk_public_key())
        }
        Alg::RS256 => {
            let kp = RS256.generate_key_pair(2048).map_err(KeyError::BadKey)?;
            (kp.to_pem_private_key(), kp.to_jwk_public_key())
        }
        Alg::EdDSA => {
            let kp = EdDSA.generate_key_pair(EdCurve::Ed25519).map_err(KeyError::BadKey)?;
            (kp.to_pem_private_key(), kp.to_jwk_public_key())
        }
    };
    Ok(GeneratedKey { public_jwk: public_jwk_value(jwk, &kid, alg), kid, alg, private_pem })
}

fn public_jwk_value(mut jwk: Jwk, kid: &str, alg: Alg) -> Value {
    jwk.set_key_id(kid);
    jwk.set_algorithm(alg.as_str());
    jwk.set_key_use("sig");
    Value::Object(jwk.as_ref().clone())
}

/// A private key ready to sign.
pub struct SigningKey {
    pub kid: String,
    pub alg: Alg,
    signer: Box<dyn JwsSigner>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).field("alg", &self.alg).finish_non_exhaustive()
    }
}

impl SigningKey {
    pub fn from_pem(alg: Alg, kid: &str, pem: &[u8]) -> Result<Self, KeyError> {
        let signer: Box<dyn JwsSigner> = match alg {
            Alg::ES256 => Box::new(ES256.signer_from_pem(pem).map_err(KeyError::BadKey)?),
            Alg::RS256 => Box::new(RS256.signer_from_pem(pem).map_err(KeyError::BadKey)?),
            Alg::EdDSA => Box::new(EdDSA.signer_from_pem(pem).map_err(KeyError::BadKey)?),
        };
        Ok(Self { kid: kid.to_owned(), alg, signer })
    }

    /// Signs `claims` as a compact JWS with the given `typ` header
    /// (`JWT`, `at+jwt`, `logout+jwt`...).
    pub fn sign(&self, typ: &str, claims: Map<String, Value>) -> Result<String, KeyError> {
        let mut header = JwsHeader::new();
        header.set_token_type(typ);
        header.set_key_id(&self.kid);
        let payload = JwtPayload::from_map(claims).map_err(KeyError::Sign)?;
        jwt::encode_with_signer(&payload, &header, self.signer.as_ref()).map_err(KeyError::Sign)
    }
}

/// The header fields a caller needs after verification.
#[derive(Debug, Clone)]
pub struct VerifiedJwt {
    pub typ: Option<String>,
    pub alg: String,
    pub kid: Option<String>,
    pub claims: Map<String, Value>,
}

/// Algorithms accepted from outside (client assertions). Never `none`, never
/// HMAC with a public key.
pub const ACCEPTED_INBOUND: &[&str] = &["ES256", "RS256", "PS256", "EdDSA"];

/// Verifies a compact JWS against a set of public JWKs (a JWKS `keys`
/// array), choosing by `kid` when the token names one. Builds a verifier
/// for each candidate key: for keys used many times (a tenant's own), build
/// a [`Verifiers`] once instead.
pub fn verify(token: &str, jwks: &[Value], allowed_algs: &[&str]) -> Result<VerifiedJwt, KeyError> {
    let header = Header::read(token, allowed_algs)?;
    let candidates = jwks.iter().filter(|k| header.may_be_signed_by(k.get("kid").and_then(Value::as_str)));
    for jwk in candidates {
        let Some(verifier) = verifier_for(&header.alg, jwk) else { continue };
        if let Some(v) = header.verify_with(token, verifier.as_ref()) {
            return Ok(v);
        }
    }
    Err(KeyError::BadSignature)
}

/// Verifiers built once from a set of public JWKs: building one from a JWK
/// costs more than the ECDSA verification itself (3,100 against 8,600
/// verifications per second and core, ops/bench/report.md).
#[derive(Default)]
pub struct Verifiers {
    keys: Vec<PublicKey>,
}

struct PublicKey {
    kid: Option<String>,
    alg: &'static str,
    verifier: Box<dyn JwsVerifier>,
}

impl std::fmt::Debug for Verifiers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.keys.iter().map(|k| (k.kid.as_deref(), k.alg))).finish()
    }
}

impl Verifiers {
    /// One verifier per key and algorithm it may verify (its `alg`, or every
    /// inbound algorithm its type allows when it names none); keys that fit
    /// none are left out, as [`verify`] would skip them.
    pub fn from_jwks(jwks: &[Value]) -> Self {
        let mut keys = Vec::new();
        for jwk in jwks {
            let kid = jwk.get("kid").and_then(Value::as_str).map(str::to_owned);
            for &alg in ACCEPTED_INBOUND {
                if let Some(verifier) = verifier_for(alg, jwk) {
                    keys.push(PublicKey { kid: kid.clone(), alg, verifier });
                }
            }
        }
        Self { keys }
    }

    /// Whether the token names a key (`kid`) this set lacks: then the set
    /// may be out of date (the signer rotated its keys), where a bad
    /// signature with a known key says nothing of the kind. A token without
    /// `kid`, or unreadable, does not count.
    pub fn lacks_key_of(&self, token: &str) -> bool {
        let Ok(header) = jwt::decode_header(token) else { return false };
        match header.claim("kid").and_then(Value::as_str) {
            Some(kid) => !self.keys.iter().any(|k| k.kid.as_deref() == Some(kid)),
            None => false,
        }
    }

    /// The same checks as [`verify`], with the verifiers already built.
    pub fn verify(&self, token: &str, allowed_algs: &[&str]) -> Result<VerifiedJwt, KeyError> {
        let header = Header::read(token, allowed_algs)?;
        self.keys
            .iter()
            .filter(|k| k.alg == header.alg && header.may_be_signed_by(k.kid.as_deref()))
            .find_map(|k| header.verify_with(token, k.verifier.as_ref()))
            .ok_or(KeyError::BadSignature)
    }
}

/// A token's JOSE header, read before its signature is checked.
struct Header {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
}

impl Header {
    fn read(token: &str, allowed_algs: &[&str]) -> Result<Self, KeyError> {
        // The largest JWT Trame reads is a Request Object carrying a trust
        // chain in its header (OpenID Federation §12.1.1.1.2).
        if token.len() > crate::authorize::MAX_REQUEST_OBJECT_LEN || token.split('.').count() != 3 {
            return Err(KeyError::Malformed);
        }
        let header = jwt::decode_header(token).map_err(|_| KeyError::Malformed)?;
        let alg = header.claim("alg").and_then(Value::as_str).ok_or(KeyError::Malformed)?.to_owned();
        if !allowed_algs.contains(&alg.as_str()) {
            return Err(KeyError::AlgNotAllowed);
        }
        let kid = header.claim("kid").and_then(Value::as_str).map(str::to_owned);
        let typ = header.claim("typ").and_then(Value::as_str).map(str::to_owned);
        Ok(Self { alg, kid, typ })
    }

    /// Whether a key with this `kid` may have signed: when both name one,
    /// they must be equal.
    fn may_be_signed_by(&self, key_kid: Option<&str>) -> bool {
        match (&self.kid, key_kid) {
            (Some(want), Some(have)) => want == have,
            _ => true,
        }
    }

    fn verify_with(&self, token: &str, verifier: &dyn JwsVerifier) -> Option<VerifiedJwt> {
        let (payload, _) = jwt::decode_with_verifier(token, verifier).ok()?;
        Some(VerifiedJwt { typ: self.typ.clone(), alg: self.alg.clone(), kid: self.kid.clone(), claims: payload.claims_set().clone() })
    }
}

/// A verifier of `alg` for one JWK, if the key allows it (its `alg`, if
/// any, is this one; its `use`, if any, is `sig`) and is well-formed.
fn verifier_for(alg: &str, jwk: &Value) -> Option<Box<dyn JwsVerifier>> {
    let map = jwk.as_object()?.clone();
    if let Some(key_alg) = map.get("alg").and_then(Value::as_str)
        && key_alg != alg
    {
        return None;
    }
    if map.get("use").and_then(Value::as_str).is_some_and(|u| u != "sig") {
        return None;
    }
    let jwk = Jwk::from_map(map).ok()?;
    let v: Box<dyn JwsVerifier> = match alg {
        "ES256" => Box::new(ES256.verifier_from_jwk(&jwk).ok()?),
        "RS256" => Box::new(RS256.verifier_from_jwk(&jwk).ok()?),
        "PS256" => Box::new(PS256.verifier_from_jwk(&jwk).ok()?),
        "EdDSA" => Box::new(EdDSA.verifier_from_jwk(&jwk).ok()?),
        _ => return None,
    };
    Some(v)
}

/// Reads a JWT's claims without verifying anything. Only for choosing which
/// keys to verify with (e.g. the `iss` of a client assertion); the result
/// must never be trusted on its own.
pub fn peek_claims(token: &str) -> Option<Map<String, Value>> {
    let payload = token.split('.').nth(1)?;
    let bytes = crate::crypto::b64url_decode(payload)?;
    serde_json::from_slice::<Value>(&bytes).ok()?.as_object().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::OsRandom;
    use serde_json::json;

    #[test]
    fn sign_and_verify_each_alg() {
        for alg in Alg::ALL {
            let k = generate(alg, &OsRandom).unwrap();
            let signer = SigningKey::from_pem(alg, &k.kid, &k.private_pem).unwrap();
            let mut claims = Map::new();
            claims.insert("sub".into(), json!("alice"));
            let token = signer.sign("at+jwt", claims).unwrap();
            let v = verify(&token, std::slice::from_ref(&k.public_jwk), &[alg.as_str()]).unwrap();
            assert_eq!(v.claims["sub"], "alice");
            assert_eq!(v.typ.as_deref(), Some("at+jwt"));
            assert_eq!(v.kid.as_deref(), Some(k.kid.as_str()));
            assert_eq!(k.public_jwk["alg"], alg.as_str());
            assert!(k.public_jwk.get("d").is_none(), "public JWK must not leak the private part");
        }
    }

    #[test]
    fn prebuilt_verifiers_agree_with_verify() {
        let es = generate(Alg::ES256, &OsRandom).unwrap();
        let ed = generate(Alg::EdDSA, &OsRandom).unwrap();
        let other = generate(Alg::ES256, &OsRandom).unwrap();
        let jwks = vec![es.public_jwk.clone(), ed.public_jwk.clone()];
        let set = Verifiers::from_jwks(&jwks);
        for k in [&es, &ed] {
            let signer = SigningKey::from_pem(k.alg, &k.kid, &k.private_pem).unwrap();
            let mut claims = Map::new();
            claims.insert("sub".into(), json!("alice"));
            let token = signer.sign("at+jwt", claims).unwrap();
            let v = set.verify(&token, ACCEPTED_INBOUND).unwrap();
            assert_eq!(v.claims["sub"], "alice");
            assert_eq!(v.alg, k.alg.as_str());
            assert_eq!(v.kid.as_deref(), Some(k.kid.as_str()));
            assert_eq!(verify(&token, &jwks, ACCEPTED_INBOUND).unwrap().claims, v.claims);
            assert!(matches!(set.verify(&token, &["RS256"]), Err(KeyError::AlgNotAllowed)));
        }
        // A key outside the set, and a token naming a kid the set lacks.
        let stranger = SigningKey::from_pem(Alg::ES256, &other.kid, &other.private_pem).unwrap().sign("JWT", Map::new()).unwrap();
        assert!(matches!(set.verify(&stranger, ACCEPTED_INBOUND), Err(KeyError::BadSignature)));
        let renamed = SigningKey::from_pem(Alg::ES256, "not-es", &es.private_pem).unwrap().sign("JWT", Map::new()).unwrap();
        assert!(matches!(set.verify(&renamed, ACCEPTED_INBOUND), Err(KeyError::BadSignature)));
        // A key without alg verifies what its type allows.
        let mut bare = es.public_jwk.clone();
        bare.as_object_mut().unwrap().remove("alg");
        bare.as_object_mut().unwrap().remove("kid");
        let token = SigningKey::from_pem(Alg::ES256, &es.kid, &es.private_pem).unwrap().sign("JWT", Map::new()).unwrap();
        assert!(Verifiers::from_jwks(&[bare]).verify(&token, ACCEPTED_INBOUND).is_ok());
        assert!(matches!(Verifiers::default().verify(&token, ACCEPTED_INBOUND), Err(KeyError::BadSignature)));
        assert!(matches!(set.verify("garbage", ACCEPTED_INBOUND), Err(KeyError::Malformed)));
    }

    #[test]
    fn verification_refusals() {
        let k = generate(Alg::ES256, &OsRandom).unwrap();
        let other = generate(Alg::ES256, &OsRandom).unwrap();
        let signer = SigningKey::from_pem(Alg::ES256, &k.kid, &k.private_pem).unwrap();
        let token = signer.sign("JWT", Map::new()).unwrap();
        // Wrong key.
        assert!(matches!(verify(&token, std::slice::from_ref(&other.public_jwk), &["ES256"]), Err(KeyError::BadSignature)));
        // Algorithm not allowed.
        assert!(matches!(verify(&token, std::slice::from_ref(&k.public_jwk), &["RS256"]), Err(KeyError::AlgNotAllowed)));
        // Tampered payload.
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = b64url(br#"{"sub":"mallory"}"#);
        parts[1] = &forged;
        assert!(verify(&parts.join("."), std::slice::from_ref(&k.public_jwk), &["ES256"]).is_err());
        // alg=none.
        let none = format!("{}.{}.", b64url(br#"{"alg":"none"}"#), b64url(b"{}"));
        assert!(matches!(verify(&none, std::slice::from_ref(&k.public_jwk), ACCEPTED_INBOUND), Err(KeyError::AlgNotAllowed)));
        assert!(matches!(verify("garbage", &[], ACCEPTED_INBOUND), Err(KeyError::Malformed)));
    }

    #[test]
    fn at_hash_matches_spec_example() {
        // OIDC Core appendix A.3 uses RS256: at_hash of "jHkWEdUXMU1BwAsC4vtUsZwnNjsuwplDIC3T6xzWmVs" ... we
        // check the rule itself: left half of SHA-256, base64url.
        let h = Alg::RS256.half_hash("abc");
        assert_eq!(h, b64url(&Sha256::digest(b"abc")[..16]));
        assert_eq!(Alg::EdDSA.half_hash("abc").len(), 43);
    }
}
