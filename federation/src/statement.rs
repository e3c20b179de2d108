//! Entity Statements (§3): the typed claims, signing, and the checks of
//! §3.2 (header, required claims, placement of claims that belong only in
//! Entity Configurations or only in Subordinate Statements, `crit`, nulls,
//! times). The clock is a parameter: nothing here reads the system time.

use serde_json::{Map, Value};
use trame_jose::{Alg, DecodedJwt, Jwks, SigningKey};

use crate::constraints::{ConstraintError, Constraints};
use crate::entity_id;
use crate::policy::{self, MetadataPolicy, PolicyError};

/// The `typ` of Entity Statements (§3).
pub const ENTITY_STATEMENT_TYP: &str = "entity-statement+jwt";

/// Claims defined by the specification: `crit` may not name them (§13.4).
pub const SPEC_CLAIMS: [&str; 18] = [
    "iss",
    "sub",
    "iat",
    "exp",
    "jwks",
    "aud",
    "authority_hints",
    "trust_anchor_hints",
    "metadata",
    "metadata_policy",
    "metadata_policy_crit",
    "constraints",
    "crit",
    "trust_marks",
    "trust_mark_issuers",
    "trust_mark_owners",
    "source_endpoint",
    "trust_anchor",
];

/// Claims only an Entity Configuration may carry.
const EC_ONLY: [&str; 5] = ["authority_hints", "trust_anchor_hints", "trust_marks", "trust_mark_issuers", "trust_mark_owners"];
/// Claims only a Subordinate Statement may carry.
const SS_ONLY: [&str; 4] = ["constraints", "metadata_policy", "metadata_policy_crit", "source_endpoint"];

/// Why an Entity Statement is rejected.
#[derive(Debug, thiserror::Error)]
pub enum StatementError {
    #[error(transparent)]
    Jws(#[from] trame_jose::Error),
    #[error("header parameter {0} is not allowed in an Entity Statement")]
    ForbiddenHeader(&'static str),
    #[error("required claim {0} is missing")]
    MissingClaim(&'static str),
    #[error("claim {claim} is invalid: {problem}")]
    BadClaim { claim: String, problem: &'static str },
    #[error("claim {0} is null")]
    NullClaim(String),
    #[error("claim {0} is not allowed in an Entity Configuration")]
    NotAllowedInEntityConfiguration(&'static str),
    #[error("claim {0} is not allowed in a Subordinate Statement")]
    NotAllowedInSubordinateStatement(&'static str),
    #[error("critical claim {0} is not understood")]
    CritNotUnderstood(String),
    #[error("crit is invalid: {0}")]
    BadCrit(&'static str),
    #[error("issued at {iat}, after now ({now}) plus the allowed clock skew")]
    IssuedInFuture { iat: i64, now: i64 },
    #[error("expired at {exp} (now {now})")]
    Expired { exp: i64, now: i64 },
    #[error("an Entity Configuration must have iss equal to sub")]
    NotEntityConfiguration,
    #[error("a Subordinate Statement must have iss different from sub")]
    NotSubordinateStatement,
    #[error("{claim} is {found}, expected {expected}")]
    Unexpected { claim: &'static str, expected: String, found: String },
    #[error("the signing key {0} is not in the statement's own jwks")]
    SigningKeyNotInJwks(String),
    #[error("invalid metadata_policy: {0}")]
    Policy(#[from] PolicyError),
    #[error("invalid constraints: {0}")]
    Constraints(#[from] ConstraintError),
}

/// How strictly to validate: the clock, the tolerated skew, the accepted
/// algorithms and the extension claims the caller understands.
#[derive(Debug, Clone)]
pub struct ValidationOptions {
    /// Current time, Unix seconds.
    pub now: i64,
    /// Clock skew tolerated on `iat` and `exp`, seconds.
    pub leeway: i64,
    pub algorithms: Vec<Alg>,
    /// Claim names the caller understands when a statement lists them in `crit`.
    pub understood_crit: Vec<String>,
    /// Accept the `trust_chain` and `peer_trust_chain` headers on the
    /// subject's Entity Configuration: only a relying party's explicit
    /// registration request carries them (§12.2.1); everywhere else a
    /// chain travels in the header of other JWTs (§4.3). Never applied to
    /// the statements above the subject.
    pub allow_chain_headers: bool,
}

impl ValidationOptions {
    /// Every asymmetric algorithm, 60 s of skew, no extension claim understood.
    pub fn at(now: i64) -> Self {
        Self { now, leeway: 60, algorithms: Alg::ALL.to_vec(), understood_crit: Vec::new(), allow_chain_headers: false }
    }

    /// The same, for a statement above the subject.
    pub fn above_subject(&self) -> Self {
        Self { allow_chain_headers: false, ..self.clone() }
    }
}

/// One entry of `trust_marks` (§3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustMarkEntry {
    pub trust_mark_type: String,
    pub trust_mark: String,
}

/// The claims of an Entity Statement (§3.1), typed. Claims the
/// specification does not define are kept in `extra`.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityStatement {
    pub iss: String,
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    pub jwks: Jwks,
    pub authority_hints: Option<Vec<String>>,
    pub trust_anchor_hints: Option<Vec<String>>,
    pub metadata: Option<Map<String, Value>>,
    /// Kept as JSON: its operators are parsed when the chain's
    /// `metadata_policy_crit` is known (§6.1.4.1).
    pub metadata_policy: Option<Value>,
    pub metadata_policy_crit: Option<Vec<String>>,
    pub constraints: Option<Constraints>,
    pub crit: Option<Vec<String>>,
    pub trust_marks: Option<Vec<TrustMarkEntry>>,
    pub trust_mark_issuers: Option<Map<String, Value>>,
    pub trust_mark_owners: Option<Map<String, Value>>,
    pub source_endpoint: Option<String>,
    pub extra: Map<String, Value>,
}

impl EntityStatement {
    /// A statement with the required claims only.
    pub fn new(iss: &str, sub: &str, iat: i64, exp: i64, jwks: Jwks) -> Self {
        Self {
            iss: iss.to_owned(),
            sub: sub.to_owned(),
            iat,
            exp,
            jwks,
            authority_hints: None,
            trust_anchor_hints: None,
            metadata: None,
            metadata_policy: None,
            metadata_policy_crit: None,
            constraints: None,
            crit: None,
            trust_marks: None,
            trust_mark_issuers: None,
            trust_mark_owners: None,
            source_endpoint: None,
            extra: Map::new(),
        }
    }

    /// An Entity Configuration is issued by its subject about itself.
    pub fn is_entity_configuration(&self) -> bool {
        self.iss == self.sub
    }

    /// The `federation_fetch_endpoint` of the `federation_entity` metadata.
    pub fn fetch_endpoint(&self) -> Option<&str> {
        self.metadata.as_ref()?.get("federation_entity")?.get("federation_fetch_endpoint")?.as_str()
    }

    /// Reads and checks the claims (everything of §3.2 except the header,
    /// the signature and the times).
    pub fn from_claims(claims: &Map<String, Value>, understood_crit: &[String]) -> Result<Self, StatementError> {
        if let Some((name, _)) = claims.iter().find(|(_, v)| v.is_null()) {
            return Err(StatementError::NullClaim(name.clone()));
        }
        let iss = entity_id_claim(claims, "iss")?;
        let sub = entity_id_claim(claims, "sub")?;
        let is_ec = iss == sub;
        let present = |c: &str| claims.contains_key(c);
        if is_ec {
            if let Some(c) = SS_ONLY.iter().find(|c| present(c)) {
                return Err(StatementError::NotAllowedInEntityConfiguration(c));
            }
        } else if let Some(c) = EC_ONLY.iter().find(|c| present(c)) {
            return Err(StatementError::NotAllowedInSubordinateStatement(c));
        }

        let jwks_value = claims.get("jwks").ok_or(StatementError::MissingClaim("jwks"))?;
        let jwks = Jwks::parse(jwks_value)?;
        if jwks.is_empty() {
            return Err(bad("jwks", "has no key"));
        }

        let metadata = match claims.get("metadata") {
            None => None,
            Some(Value::Object(m)) => {
                for (entity_type, params) in m {
                    let Value::Object(params) = params else {
                        return Err(bad("metadata", "an entity type is not an object"));
                    };
                    if let Some((p, _)) = params.iter().find(|(_, v)| contains_null(v)) {
                        return Err(StatementError::NullClaim(format!("metadata.{entity_type}.{p}")));
                    }
                }
                Some(m.clone())
            }
            Some(_) => return Err(bad("metadata", "not an object")),
        };

        let metadata_policy = match claims.get("metadata_policy") {
            None => None,
            Some(v) => {
                // Structure and operator combinations now; critical operators
                // are judged with the whole chain's metadata_policy_crit.
                MetadataPolicy::parse(v, &[])?;
                Some(v.clone())
            }
        };
        let metadata_policy_crit = claims.get("metadata_policy_crit").map(policy::parse_policy_crit).transpose()?;
        let constraints = claims.get("constraints").map(Constraints::parse).transpose()?;

        let crit = match claims.get("crit") {
            None => None,
            Some(v) => Some(check_crit(v, claims, understood_crit)?),
        };

        let trust_marks = match claims.get("trust_marks") {
            None => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|i| {
                        let t = i.get("trust_mark_type").and_then(Value::as_str);
                        let m = i.get("trust_mark").and_then(Value::as_str);
                        match (t, m) {
                            (Some(t), Some(m)) => Ok(TrustMarkEntry { trust_mark_type: t.to_owned(), trust_mark: m.to_owned() }),
                            _ => Err(bad("trust_marks", "an entry lacks trust_mark_type or trust_mark")),
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => return Err(bad("trust_marks", "not an array")),
        };

        let object = |c: &'static str| match claims.get(c) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m.clone())),
            Some(_) => Err(bad(c, "not an object")),
        };
        let source_endpoint = match claims.get("source_endpoint") {
            None => None,
            Some(Value::String(s)) if url::Url::parse(s).is_ok() => Some(s.clone()),
            Some(_) => return Err(bad("source_endpoint", "not a URL")),
        };

        Ok(Self {
            iat: numeric_date(claims, "iat")?,
            exp: numeric_date(claims, "exp")?,
            jwks,
            authority_hints: entity_id_list(claims, "authority_hints")?,
            trust_anchor_hints: entity_id_list(claims, "trust_anchor_hints")?,
            metadata,
            metadata_policy,
            metadata_policy_crit,
            constraints,
            crit,
            trust_marks,
            trust_mark_issuers: object("trust_mark_issuers")?,
            trust_mark_owners: object("trust_mark_owners")?,
            source_endpoint,
            extra: claims.iter().filter(|(k, _)| !SPEC_CLAIMS.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect(),
            iss,
            sub,
        })
    }

    /// The claims as a JSON object.
    pub fn to_claims(&self) -> Map<String, Value> {
        let mut m = self.extra.clone();
        m.insert("iss".into(), self.iss.clone().into());
        m.insert("sub".into(), self.sub.clone().into());
        m.insert("iat".into(), self.iat.into());
        m.insert("exp".into(), self.exp.into());
        m.insert("jwks".into(), self.jwks.to_json());
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.into(), v);
            }
        };
        put("authority_hints", self.authority_hints.clone().map(Value::from));
        put("trust_anchor_hints", self.trust_anchor_hints.clone().map(Value::from));
        put("metadata", self.metadata.clone().map(Value::Object));
        put("metadata_policy", self.metadata_policy.clone());
        put("metadata_policy_crit", self.metadata_policy_crit.clone().map(Value::from));
        put("constraints", self.constraints.as_ref().map(Constraints::to_json));
        put("crit", self.crit.clone().map(Value::from));
        put(
            "trust_marks",
            self.trust_marks
                .as_ref()
                .map(|t| t.iter().map(|e| serde_json::json!({"trust_mark_type": e.trust_mark_type, "trust_mark": e.trust_mark})).collect()),
        );
        put("trust_mark_issuers", self.trust_mark_issuers.clone().map(Value::Object));
        put("trust_mark_owners", self.trust_mark_owners.clone().map(Value::Object));
        put("source_endpoint", self.source_endpoint.clone().map(Value::from));
        m
    }

    /// Signs the statement with `typ: entity-statement+jwt` and the key's
    /// `kid`. The claims are checked as a verifier would check them first,
    /// so a malformed statement is never published; an Entity Configuration
    /// must be signed with a key of its own `jwks`.
    pub fn sign(&self, key: &SigningKey) -> Result<String, StatementError> {
        let claims = self.to_claims();
        let understood: Vec<String> = self.crit.clone().unwrap_or_default();
        Self::from_claims(&claims, &understood)?;
        if self.is_entity_configuration() && self.jwks.find(key.kid()).is_none() {
            return Err(StatementError::SigningKeyNotInJwks(key.kid().to_owned()));
        }
        Ok(key.sign(ENTITY_STATEMENT_TYP, &claims)?)
    }
}

/// An Entity Statement whose header and claims passed every check of §3.2
/// except the signature: verify it with [`verify_signature`](Self::verify_signature)
/// (or use [`verify_entity_configuration`] / [`verify_subordinate_statement`]).
#[derive(Debug, Clone)]
pub struct ParsedStatement {
    pub statement: EntityStatement,
    jwt: DecodedJwt,
}

impl ParsedStatement {
    /// Decodes and checks header, claims and times.
    pub fn parse(token: &str, opts: &ValidationOptions) -> Result<Self, StatementError> {
        let jwt = trame_jose::decode(token)?;
        jwt.check_header(ENTITY_STATEMENT_TYP, &opts.algorithms)?;
        // A chain travels in the header of other JWTs only (§4.3).
        for h in ["trust_chain", "peer_trust_chain"] {
            if jwt.header.contains_key(h) && !opts.allow_chain_headers {
                return Err(StatementError::ForbiddenHeader(h));
            }
        }
        let statement = EntityStatement::from_claims(&jwt.claims, &opts.understood_crit)?;
        if statement.iat > opts.now + opts.leeway {
            return Err(StatementError::IssuedInFuture { iat: statement.iat, now: opts.now });
        }
        if statement.exp <= opts.now - opts.leeway {
            return Err(StatementError::Expired { exp: statement.exp, now: opts.now });
        }
        Ok(Self { statement, jwt })
    }

    /// Verifies the signature with the key `kid` names in `jwks`.
    pub fn verify_signature(&self, jwks: &Jwks, algorithms: &[Alg]) -> Result<(), StatementError> {
        Ok(self.jwt.verify_signature(jwks, algorithms)?)
    }

    /// The `kid` of the signing key.
    pub fn kid(&self) -> &str {
        self.jwt.kid().unwrap_or_default()
    }

    /// The compact JWS.
    pub fn raw(&self) -> &str {
        self.jwt.raw()
    }
}

/// Verifies an Entity Configuration: `iss == sub` (and equal to
/// `entity_id` when given), signed by a key of its own `jwks`.
pub fn verify_entity_configuration(token: &str, entity_id: Option<&str>, opts: &ValidationOptions) -> Result<ParsedStatement, StatementError> {
    let p = ParsedStatement::parse(token, opts)?;
    if !p.statement.is_entity_configuration() {
        return Err(StatementError::NotEntityConfiguration);
    }
    if let Some(id) = entity_id
        && p.statement.sub != id
    {
        return Err(StatementError::Unexpected { claim: "sub", expected: id.to_owned(), found: p.statement.sub.clone() });
    }
    p.verify_signature(&p.statement.jwks, &opts.algorithms)?;
    Ok(p)
}

/// Verifies a Subordinate Statement issued by `issuer` (with `issuer_jwks`)
/// about `subject`.
pub fn verify_subordinate_statement(
    token: &str,
    issuer: &str,
    subject: &str,
    issuer_jwks: &Jwks,
    opts: &ValidationOptions,
) -> Result<ParsedStatement, StatementError> {
    let p = ParsedStatement::parse(token, opts)?;
    if p.statement.is_entity_configuration() {
        return Err(StatementError::NotSubordinateStatement);
    }
    if p.statement.iss != issuer {
        return Err(StatementError::Unexpected { claim: "iss", expected: issuer.to_owned(), found: p.statement.iss.clone() });
    }
    if p.statement.sub != subject {
        return Err(StatementError::Unexpected { claim: "sub", expected: subject.to_owned(), found: p.statement.sub.clone() });
    }
    p.verify_signature(issuer_jwks, &opts.algorithms)?;
    Ok(p)
}

fn bad(claim: &str, problem: &'static str) -> StatementError {
    StatementError::BadClaim { claim: claim.to_owned(), problem }
}

fn contains_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.iter().any(contains_null),
        Value::Object(o) => o.values().any(contains_null),
        _ => false,
    }
}

fn entity_id_claim(claims: &Map<String, Value>, name: &'static str) -> Result<String, StatementError> {
    let v = claims.get(name).ok_or(StatementError::MissingClaim(name))?;
    match v.as_str() {
        Some(s) if entity_id::is_valid(s) => Ok(s.to_owned()),
        _ => Err(bad(name, "not an Entity Identifier (https URL without query or fragment)")),
    }
}

fn entity_id_list(claims: &Map<String, Value>, name: &'static str) -> Result<Option<Vec<String>>, StatementError> {
    let Some(v) = claims.get(name) else {
        return Ok(None);
    };
    let items = v.as_array().ok_or_else(|| bad(name, "not an array"))?;
    if items.is_empty() {
        return Err(bad(name, "empty"));
    }
    items
        .iter()
        .map(|i| match i.as_str() {
            Some(s) if entity_id::is_valid(s) => Ok(s.to_owned()),
            _ => Err(bad(name, "an entry is not an Entity Identifier")),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// NumericDate (RFC 7519): seconds, possibly fractional; fractions are dropped.
fn numeric_date(claims: &Map<String, Value>, name: &'static str) -> Result<i64, StatementError> {
    let v = claims.get(name).ok_or(StatementError::MissingClaim(name))?;
    if let Some(i) = v.as_i64() {
        return Ok(i);
    }
    match v.as_f64() {
        Some(f) if f.is_finite() && f.abs() < 1e15 => Ok(f.floor() as i64),
        _ => Err(bad(name, "not a NumericDate")),
    }
}

fn check_crit(v: &Value, claims: &Map<String, Value>, understood: &[String]) -> Result<Vec<String>, StatementError> {
    let items = v.as_array().ok_or(StatementError::BadCrit("not an array"))?;
    if items.is_empty() {
        return Err(StatementError::BadCrit("empty"));
    }
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        let name = i.as_str().ok_or(StatementError::BadCrit("an entry is not a string"))?;
        if SPEC_CLAIMS.contains(&name) {
            return Err(StatementError::BadCrit("lists a claim defined by the specification"));
        }
        if !claims.contains_key(name) {
            return Err(StatementError::BadCrit("lists a claim the statement does not carry"));
        }
        if !understood.iter().any(|u| u == name) {
            return Err(StatementError::CritNotUnderstood(name.to_owned()));
        }
        out.push(name.to_owned());
    }
    Ok(out)
}
