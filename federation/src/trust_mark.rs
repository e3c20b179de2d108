//! Trust Marks (§7): issuing, delegation by a Trust Mark owner (§7.2.1),
//! and validation (§7.3) against the Trust Anchor's `trust_mark_issuers`
//! and `trust_mark_owners`. Resolving the issuer's keys (a chain for the
//! issuer) is the caller's: they come in as a [`Jwks`].

use serde_json::{Map, Value};
use trame_jose::{Jwks, SigningKey};

use crate::statement::{EntityStatement, TrustMarkEntry, ValidationOptions};

/// The `typ` of a Trust Mark.
pub const TRUST_MARK_TYP: &str = "trust-mark+jwt";
/// The `typ` of a Trust Mark delegation.
pub const DELEGATION_TYP: &str = "trust-mark-delegation+jwt";

/// Why a Trust Mark (or its delegation) is rejected.
#[derive(Debug, thiserror::Error)]
pub enum TrustMarkError {
    #[error(transparent)]
    Jws(#[from] trame_jose::Error),
    #[error("required claim {0} is missing or not a string/number as required")]
    MissingClaim(&'static str),
    #[error("claim {0} is invalid")]
    BadClaim(&'static str),
    #[error("the Trust Mark is about {found}, not {expected}")]
    WrongSubject { expected: String, found: String },
    #[error("trust_mark_type {found} does not match {expected}")]
    TypeMismatch { expected: String, found: String },
    #[error("issued at {iat}, after now ({now}) plus the allowed clock skew")]
    IssuedInFuture { iat: i64, now: i64 },
    #[error("expired at {exp} (now {now})")]
    Expired { exp: i64, now: i64 },
    #[error("{issuer} is not an issuer of {trust_mark_type} that the Trust Anchor recognises")]
    IssuerNotAuthorized { issuer: String, trust_mark_type: String },
    #[error("Trust Marks of type {0} need a delegation from their owner")]
    DelegationRequired(String),
    #[error("the delegation is invalid: {0}")]
    Delegation(Box<TrustMarkError>),
    #[error("the Trust Mark was not issued by {0}")]
    WrongIssuer(String),
}

/// The claims of a Trust Mark (§7.1).
#[derive(Debug, Clone, PartialEq)]
pub struct TrustMark {
    pub iss: String,
    pub sub: String,
    pub trust_mark_type: String,
    pub iat: i64,
    /// Absent: the mark does not expire.
    pub exp: Option<i64>,
    pub logo_uri: Option<String>,
    pub reference: Option<String>,
    /// A delegation JWT from the owner of the type (§7.2.1).
    pub delegation: Option<String>,
    pub extra: Map<String, Value>,
}

/// The claims of a delegation: the owner (`iss`) lets `sub` issue marks of
/// `trust_mark_type`.
#[derive(Debug, Clone, PartialEq)]
pub struct Delegation {
    pub iss: String,
    pub sub: String,
    pub trust_mark_type: String,
    pub iat: i64,
    pub exp: Option<i64>,
    pub reference: Option<String>,
}

impl TrustMark {
    pub fn new(iss: &str, sub: &str, trust_mark_type: &str, iat: i64) -> Self {
        Self {
            iss: iss.to_owned(),
            sub: sub.to_owned(),
            trust_mark_type: trust_mark_type.to_owned(),
            iat,
            exp: None,
            logo_uri: None,
            reference: None,
            delegation: None,
            extra: Map::new(),
        }
    }

    /// Signs the mark with `typ: trust-mark+jwt` and the key's `kid`.
    pub fn sign(&self, key: &SigningKey) -> Result<String, TrustMarkError> {
        let mut m = self.extra.clone();
        m.insert("iss".into(), self.iss.clone().into());
        m.insert("sub".into(), self.sub.clone().into());
        m.insert("trust_mark_type".into(), self.trust_mark_type.clone().into());
        m.insert("iat".into(), self.iat.into());
        put(&mut m, "exp", self.exp.map(Value::from));
        put(&mut m, "logo_uri", self.logo_uri.clone().map(Value::from));
        put(&mut m, "ref", self.reference.clone().map(Value::from));
        put(&mut m, "delegation", self.delegation.clone().map(Value::from));
        Ok(key.sign(TRUST_MARK_TYP, &m)?)
    }

    pub fn from_claims(c: &Map<String, Value>) -> Result<Self, TrustMarkError> {
        Ok(Self {
            iss: string(c, "iss")?,
            sub: string(c, "sub")?,
            trust_mark_type: string(c, "trust_mark_type")?,
            iat: int(c, "iat")?,
            exp: optional_int(c, "exp")?,
            logo_uri: optional_string(c, "logo_uri")?,
            reference: optional_string(c, "ref")?,
            delegation: optional_string(c, "delegation")?,
            extra: c
                .iter()
                .filter(|(k, _)| !["iss", "sub", "trust_mark_type", "iat", "exp", "logo_uri", "ref", "delegation"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
    }
}

impl Delegation {
    /// Signs the delegation with the owner's key.
    pub fn sign(&self, owner_key: &SigningKey) -> Result<String, TrustMarkError> {
        let mut m = Map::new();
        m.insert("iss".into(), self.iss.clone().into());
        m.insert("sub".into(), self.sub.clone().into());
        m.insert("trust_mark_type".into(), self.trust_mark_type.clone().into());
        m.insert("iat".into(), self.iat.into());
        put(&mut m, "exp", self.exp.map(Value::from));
        put(&mut m, "ref", self.reference.clone().map(Value::from));
        Ok(owner_key.sign(DELEGATION_TYP, &m)?)
    }
}

/// Validates a Trust Mark (§7.3) carried by `subject`:
/// header, claims, times, the signature with `issuer_jwks` (the issuer's
/// federation keys from its resolved chain), and the Trust Anchor's policy:
/// the issuer listed in `trust_mark_issuers` for that type (`[]`: anyone),
/// and a valid delegation when the type has an owner in `trust_mark_owners`.
pub fn validate(jwt: &str, subject: &str, issuer_jwks: &Jwks, trust_anchor: &EntityStatement, opts: &ValidationOptions) -> Result<TrustMark, TrustMarkError> {
    let d = trame_jose::decode(jwt)?;
    d.check_header(TRUST_MARK_TYP, &opts.algorithms)?;
    let mark = TrustMark::from_claims(&d.claims)?;
    if mark.sub != subject {
        return Err(TrustMarkError::WrongSubject { expected: subject.to_owned(), found: mark.sub });
    }
    check_times(mark.iat, mark.exp, opts)?;
    d.verify_signature(issuer_jwks, &opts.algorithms)?;

    let issuers = trust_anchor.trust_mark_issuers.as_ref().and_then(|m| m.get(&mark.trust_mark_type));
    let listed = match issuers {
        Some(Value::Array(list)) => list.is_empty() || list.iter().any(|i| i.as_str() == Some(mark.iss.as_str())),
        _ => false,
    };
    if !listed {
        return Err(TrustMarkError::IssuerNotAuthorized { issuer: mark.iss.clone(), trust_mark_type: mark.trust_mark_type.clone() });
    }

    if let Some(owner) = trust_anchor.trust_mark_owners.as_ref().and_then(|m| m.get(&mark.trust_mark_type)) {
        let delegation = mark.delegation.as_deref().ok_or_else(|| TrustMarkError::DelegationRequired(mark.trust_mark_type.clone()))?;
        validate_delegation(delegation, &mark, owner, opts).map_err(|e| TrustMarkError::Delegation(Box::new(e)))?;
    }
    Ok(mark)
}

/// Validates an entry of an Entity Configuration's `trust_marks`: the mark
/// itself, and that the entry's `trust_mark_type` is the mark's.
pub fn validate_entry(
    entry: &TrustMarkEntry,
    subject: &str,
    issuer_jwks: &Jwks,
    trust_anchor: &EntityStatement,
    opts: &ValidationOptions,
) -> Result<TrustMark, TrustMarkError> {
    let mark = validate(&entry.trust_mark, subject, issuer_jwks, trust_anchor, opts)?;
    if mark.trust_mark_type != entry.trust_mark_type {
        return Err(TrustMarkError::TypeMismatch { expected: entry.trust_mark_type.clone(), found: mark.trust_mark_type });
    }
    Ok(mark)
}

/// §7.2.2: the owner (`trust_mark_owners[type]` = `{sub, jwks}`) signed a
/// delegation to the mark's issuer, for the same type, still valid.
fn validate_delegation(jwt: &str, mark: &TrustMark, owner: &Value, opts: &ValidationOptions) -> Result<(), TrustMarkError> {
    let owner_id = owner.get("sub").and_then(Value::as_str).ok_or(TrustMarkError::BadClaim("trust_mark_owners.sub"))?;
    let owner_jwks = Jwks::parse(owner.get("jwks").ok_or(TrustMarkError::BadClaim("trust_mark_owners.jwks"))?)?;
    let d = trame_jose::decode(jwt)?;
    d.check_header(DELEGATION_TYP, &opts.algorithms)?;
    let c = &d.claims;
    let iss = string(c, "iss")?;
    if iss != owner_id {
        return Err(TrustMarkError::WrongIssuer(owner_id.to_owned()));
    }
    let sub = string(c, "sub")?;
    if sub != mark.iss {
        return Err(TrustMarkError::WrongSubject { expected: mark.iss.clone(), found: sub });
    }
    let t = string(c, "trust_mark_type")?;
    if t != mark.trust_mark_type {
        return Err(TrustMarkError::TypeMismatch { expected: mark.trust_mark_type.clone(), found: t });
    }
    check_times(int(c, "iat")?, optional_int(c, "exp")?, opts)?;
    d.verify_signature(&owner_jwks, &opts.algorithms)?;
    Ok(())
}

fn check_times(iat: i64, exp: Option<i64>, opts: &ValidationOptions) -> Result<(), TrustMarkError> {
    if iat > opts.now + opts.leeway {
        return Err(TrustMarkError::IssuedInFuture { iat, now: opts.now });
    }
    if let Some(exp) = exp
        && exp <= opts.now - opts.leeway
    {
        return Err(TrustMarkError::Expired { exp, now: opts.now });
    }
    Ok(())
}

fn put(m: &mut Map<String, Value>, k: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(k.into(), v);
    }
}

fn string(c: &Map<String, Value>, k: &'static str) -> Result<String, TrustMarkError> {
    c.get(k).and_then(Value::as_str).map(str::to_owned).ok_or(TrustMarkError::MissingClaim(k))
}

fn optional_string(c: &Map<String, Value>, k: &'static str) -> Result<Option<String>, TrustMarkError> {
    match c.get(k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(TrustMarkError::BadClaim(k)),
    }
}

fn int(c: &Map<String, Value>, k: &'static str) -> Result<i64, TrustMarkError> {
    c.get(k).and_then(Value::as_i64).ok_or(TrustMarkError::MissingClaim(k))
}

fn optional_int(c: &Map<String, Value>, k: &'static str) -> Result<Option<i64>, TrustMarkError> {
    match c.get(k) {
        None => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or(TrustMarkError::BadClaim(k)),
    }
}
