//! Private keys: generated or loaded from PKCS#8 PEM, and signing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use josekit::jws::{JwsHeader, JwsSigner};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::{Alg, Error};

/// A private key ready to sign, with its public JWK.
pub struct SigningKey {
    kid: String,
    alg: Alg,
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
    /// Generates a key for `alg` (P-256/384/521, RSA 2048 or Ed25519) and
    /// returns it with its PKCS#8 PEM, for the caller to store (sealed).
    ///
    /// Randomness: the key material comes from OpenSSL's CSPRNG
    /// (`RAND_bytes`, through josekit's key generation), the only source
    /// josekit can use, so it is not a parameter. What the caller controls
    /// is the `kid`: given (trame-core draws a random one from its own
    /// `Randomness`), or, with `None`, the RFC 7638 thumbprint of the
    /// public key (what OpenID Federation §3.1 recommends).
    pub fn generate(alg: Alg, kid: Option<&str>) -> Result<(Self, Vec<u8>), Error> {
        let pem = alg.generate_pem()?;
        let key = Self::from_pem(alg, kid, &pem)?;
        Ok((key, pem))
    }

    /// Loads a PKCS#8 PEM private key to sign with `alg`. Without `kid`,
    /// the RFC 7638 thumbprint of the public key is used.
    pub fn from_pem(alg: Alg, kid: Option<&str>, pem: &[u8]) -> Result<Self, Error> {
        let mut public_jwk = alg.public_jwk(pem)?.as_ref().clone();
        let signer = alg.signer(pem)?;
        let kid = match kid {
            Some(k) if !k.is_empty() => k.to_owned(),
            Some(_) => return Err(Error::MissingKid),
            None => thumbprint(&public_jwk).ok_or(Error::BadJwks("cannot compute the key thumbprint"))?,
        };
        public_jwk.insert("kid".into(), Value::String(kid.clone()));
        public_jwk.insert("alg".into(), Value::String(alg.as_str().into()));
        public_jwk.insert("use".into(), Value::String("sig".into()));
        Ok(Self { kid, alg, signer, public_jwk: Value::Object(public_jwk) })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// The public JWK, with `kid`, `alg` and `use: sig`.
    pub fn public_jwk(&self) -> &Value {
        &self.public_jwk
    }

    /// Signs `claims` as a compact JWS with the headers `typ` (`JWT`,
    /// `at+jwt`, `entity-statement+jwt`...), `alg` and `kid`.
    pub fn sign(&self, typ: &str, claims: &Map<String, Value>) -> Result<String, Error> {
        self.sign_with_header(typ, claims, &Map::new())
    }

    /// [`sign`](Self::sign) with `extra_header` members too (such as a
    /// Request Object's `trust_chain`); `typ`, `alg` and `kid` win over
    /// members of the same name.
    pub fn sign_with_header(&self, typ: &str, claims: &Map<String, Value>, extra_header: &Map<String, Value>) -> Result<String, Error> {
        let mut header = JwsHeader::new();
        for (k, v) in extra_header {
            header.set_claim(k, Some(v.clone())).map_err(Error::Sign)?;
        }
        header.set_token_type(typ);
        header.set_key_id(&self.kid);
        let payload = serde_json::to_vec(claims).expect("a JSON object serialises");
        josekit::jws::serialize_compact(&payload, &header, self.signer.as_ref()).map_err(Error::Sign)
    }
}

/// RFC 7638 JWK thumbprint (SHA-256, base64url): the required members in
/// lexicographic order, no whitespace. `None` for a key type it does not
/// define or a member missing.
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn generated_keys_load_back_and_publish_no_secret() {
        for alg in Alg::ALL {
            let (key, pem) = SigningKey::generate(alg, None).unwrap();
            // The PEM loads back to the same kid (thumbprint).
            let again = SigningKey::from_pem(alg, None, &pem).unwrap();
            assert_eq!(again.kid(), key.kid(), "{alg:?}");
            assert_eq!(key.alg(), alg);
            let jwk = key.public_jwk();
            assert_eq!((jwk["kid"].as_str(), jwk["alg"].as_str(), jwk["use"].as_str()), (Some(key.kid()), Some(alg.as_str()), Some("sig")));
            assert!(jwk.get("d").is_none(), "public JWK must not leak the private part");
        }
        let (named, pem) = SigningKey::generate(Alg::ES256, Some("k1")).unwrap();
        assert_eq!(named.kid(), "k1");
        assert!(matches!(SigningKey::from_pem(Alg::ES256, Some(""), &pem), Err(Error::MissingKid)));
        assert!(matches!(SigningKey::from_pem(Alg::ES256, None, b"not a key"), Err(Error::BadKey(_))));
        assert!(matches!(SigningKey::from_pem(Alg::EdDSA, None, &pem), Err(Error::BadKey(_))), "a P-256 key does not sign EdDSA");
    }

    #[test]
    fn headers_carry_typ_kid_and_extra_members() {
        let (key, _) = SigningKey::generate(Alg::ES256, Some("k1")).unwrap();
        let mut extra = Map::new();
        extra.insert("trust_chain".into(), json!(["a", "b"]));
        extra.insert("typ".into(), json!("overridden"));
        let jwt = crate::decode(&key.sign_with_header("oauth-authz-req+jwt", &Map::new(), &extra).unwrap()).unwrap();
        assert_eq!((jwt.typ(), jwt.alg(), jwt.kid()), (Some("oauth-authz-req+jwt"), Some("ES256"), Some("k1")));
        assert_eq!(jwt.header["trust_chain"], json!(["a", "b"]));
    }

    /// RFC 7638 §3.1 example.
    #[test]
    fn thumbprint_matches_rfc7638() {
        let jwk = json!({"kty": "RSA", "e": "AQAB", "alg": "RS256", "kid": "2011-04-29",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"});
        assert_eq!(thumbprint(jwk.as_object().unwrap()).unwrap(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
        assert_eq!(thumbprint(json!({"kty": "oct", "k": "AA"}).as_object().unwrap()), None);
    }
}
