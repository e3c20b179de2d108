//! Trust Chains (§4, §10): collecting statements from a subject up to a
//! configured Trust Anchor through a caller-supplied [`Fetcher`], validating
//! a chain link by link, and resolving the subject's metadata (constraints,
//! then merged metadata policy). [`ChainCache`] keeps resolved chains until
//! they expire.

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;

use serde_json::{Map, Value};
use trame_jose::Jwks;

use crate::constraints::{self, ConstraintError, Constraints};
use crate::policy::{self, MetadataError, PolicyError};
use crate::statement::{EntityStatement, ParsedStatement, StatementError, ValidationOptions, verify_entity_configuration};

/// What a [`Fetcher`] reports when it cannot deliver a statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Other(String),
}

/// Fetches federation statements; the caller supplies it (HTTP client,
/// test double, a local store...). Both methods return the compact JWS.
pub trait Fetcher {
    /// The Entity Configuration of `entity_id` (§9), usually from
    /// [`entity_configuration_url`](crate::entity_id::entity_configuration_url).
    fn fetch_entity_configuration(&self, entity_id: &str) -> impl Future<Output = Result<String, FetchError>> + Send;

    /// The Subordinate Statement about `sub` from a fetch endpoint (§8.1).
    fn fetch_subordinate_statement(&self, fetch_endpoint: &str, sub: &str) -> impl Future<Output = Result<String, FetchError>> + Send;
}

/// A Trust Anchor known out of band: its Entity ID and federation keys.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustAnchor {
    pub entity_id: String,
    pub jwks: Jwks,
}

/// Why a chain is invalid or could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error("the chain is empty")]
    Empty,
    #[error("statement {index} of the chain is invalid: {source}")]
    Statement { index: usize, source: StatementError },
    #[error("the Entity Configuration of {entity_id} is invalid: {source}")]
    EntityConfiguration { entity_id: String, source: StatementError },
    #[error("fetching {what} failed: {source}")]
    Fetch { what: String, source: FetchError },
    #[error("{0} is not a configured Trust Anchor")]
    UnknownTrustAnchor(String),
    #[error("the Entity Configuration of Trust Anchor {entity_id} is not signed by its configured keys: {source}")]
    TrustAnchorKeys { entity_id: String, source: trame_jose::Error },
    #[error("statement {index} is about {found}, expected {expected}")]
    BrokenLink { index: usize, expected: String, found: String },
    #[error("the chain has no Subordinate Statement between the subject and the Trust Anchor")]
    MissingSubordinateStatement,
    #[error("the subject's Entity Configuration is not signed by a key its superior attests: {source}")]
    SubjectKeyNotBound { source: trame_jose::Error },
    #[error("{issuer} is not in the subject's authority_hints")]
    IssuerNotInAuthorityHints { issuer: String },
    #[error("{0} publishes no federation_fetch_endpoint")]
    NoFetchEndpoint(String),
    #[error("authority hint {0} loops back into the chain")]
    Loop(String),
    #[error("more than {0} fetches in one resolution")]
    FetchBudgetExhausted(usize),
    #[error("invalid metadata policy: {0}")]
    Policy(#[from] PolicyError),
    #[error("the metadata violates the policy: {0}")]
    Metadata(#[from] MetadataError),
    #[error("constraint violated: {0}")]
    Constraints(#[from] ConstraintError),
    #[error("no valid Trust Chain from {subject} to a configured Trust Anchor ({} path(s) tried)", failures.len())]
    NoTrustChain { subject: String, failures: Vec<PathFailure> },
}

impl ChainError {
    /// The federation error code (§8.9) a resolver would answer with.
    pub fn error_code(&self) -> &'static str {
        match self {
            ChainError::Metadata(_) => "invalid_metadata",
            ChainError::UnknownTrustAnchor(_) => "invalid_trust_anchor",
            _ => "invalid_trust_chain",
        }
    }
}

/// One path from the subject toward a Trust Anchor that did not give a
/// valid chain, and why.
#[derive(Debug)]
pub struct PathFailure {
    /// Entity IDs from the subject up to where the path ended.
    pub path: Vec<String>,
    pub error: ChainError,
}

/// A validated Trust Chain and what it resolves to.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustChain {
    pub subject: String,
    pub trust_anchor: String,
    /// `[EC(subject), SS…, EC(Trust Anchor)]` as compact JWS, the form of a
    /// `trust_chain` parameter (§4.3). The Trust Anchor's EC is absent when
    /// the chain was supplied without it.
    pub statements: Vec<String>,
    /// The minimum `exp` of all statements (§10.4).
    pub expires_at: i64,
    /// Number of Intermediates between the subject and the Trust Anchor.
    pub intermediates: usize,
    /// The subject's Entity Configuration.
    pub subject_configuration: EntityStatement,
    /// Resolved metadata: the EC's, with the superior's metadata, allowed
    /// entity types and merged policy applied.
    pub metadata: Map<String, Value>,
}

/// Limits of a resolution, against hostile or broken federations (§18.1).
#[derive(Debug, Clone)]
pub struct ResolveOptions {
    pub validation: ValidationOptions,
    /// Intermediates allowed between the subject and a Trust Anchor.
    pub max_intermediates: usize,
    /// Authority hints followed per entity; the rest are ignored.
    pub max_authority_hints: usize,
    /// Statements fetched in one resolution.
    pub max_fetches: usize,
    /// Candidate paths examined in one resolution.
    pub max_paths: usize,
}

impl ResolveOptions {
    /// Defaults: 4 Intermediates, 5 hints per entity, 50 fetches, 32 paths.
    pub fn at(now: i64) -> Self {
        Self { validation: ValidationOptions::at(now), max_intermediates: 4, max_authority_hints: 5, max_fetches: 50, max_paths: 32 }
    }
}

/// Validates a chain given as compact JWS, `[EC(subject), SS…, EC(TA)]` or
/// without the final EC(TA) (§10.2): each statement well-formed and
/// current, each link `ES[j].iss == ES[j+1].sub`, each statement signed by
/// the keys the next one up attests, the top one by a configured Trust
/// Anchor; then the constraints and the metadata policy.
pub fn validate_chain(statements: &[&str], anchors: &[TrustAnchor], opts: &ValidationOptions) -> Result<TrustChain, ChainError> {
    let at = |index: usize| move |source: StatementError| ChainError::Statement { index, source };
    let first = statements.first().ok_or(ChainError::Empty)?;
    let subject = verify_entity_configuration(first, None, opts).map_err(at(0))?;
    let above = opts.above_subject();
    let parsed: Vec<ParsedStatement> =
        statements.iter().enumerate().skip(1).map(|(i, s)| ParsedStatement::parse(s, &above).map_err(at(i))).collect::<Result<_, _>>()?;

    // The top: the Trust Anchor's EC (checked with the configured keys) or,
    // when omitted, its statement about the entity below it.
    let (top_id, mut keys, subordinates): (String, Jwks, &[ParsedStatement]) = match parsed.split_last() {
        None => {
            // A one-statement chain: the subject is itself a Trust Anchor.
            let anchor = find_anchor(anchors, &subject.statement.iss)?;
            check_anchor_signature(anchor, &subject, opts, 0)?;
            let metadata = subject.statement.metadata.clone().unwrap_or_default();
            return Ok(TrustChain {
                subject: subject.statement.sub.clone(),
                trust_anchor: anchor.entity_id.clone(),
                statements: vec![subject.raw().to_owned()],
                expires_at: subject.statement.exp,
                intermediates: 0,
                subject_configuration: subject.statement,
                metadata,
            });
        }
        Some((last, below)) if last.statement.is_entity_configuration() => {
            let anchor = find_anchor(anchors, &last.statement.iss)?;
            check_anchor_signature(anchor, last, opts, statements.len() - 1)?;
            (anchor.entity_id.clone(), last.statement.jwks.clone(), below)
        }
        Some((last, _)) => {
            let anchor = find_anchor(anchors, &last.statement.iss)?;
            (anchor.entity_id.clone(), anchor.jwks.clone(), &parsed[..])
        }
    };
    if subordinates.is_empty() {
        return Err(ChainError::MissingSubordinateStatement);
    }

    // Links, bottom up: ES[j].iss == ES[j+1].sub.
    let mut expected_sub = subject.statement.sub.clone();
    for (j, s) in subordinates.iter().enumerate() {
        if s.statement.is_entity_configuration() {
            return Err(at(j + 1)(StatementError::NotSubordinateStatement));
        }
        if s.statement.sub != expected_sub {
            return Err(ChainError::BrokenLink { index: j + 1, expected: expected_sub, found: s.statement.sub.clone() });
        }
        expected_sub = s.statement.iss.clone();
    }
    if expected_sub != top_id {
        return Err(ChainError::BrokenLink { index: subordinates.len(), expected: top_id.clone(), found: expected_sub });
    }

    // Signatures, top down: each statement with the keys attested above it.
    for (j, s) in subordinates.iter().enumerate().rev() {
        s.verify_signature(&keys, &opts.algorithms).map_err(at(j + 1))?;
        keys = s.statement.jwks.clone();
    }
    // The subject's own key must be one its superior attests (§10.2 step 3).
    subject.verify_signature(&keys, &opts.algorithms).map_err(|e| match e {
        StatementError::Jws(source) => ChainError::SubjectKeyNotBound { source },
        other => at(0)(other),
    })?;
    let issuer = &subordinates[0].statement.iss;
    if !subject.statement.authority_hints.iter().flatten().any(|h| h == issuer) {
        return Err(ChainError::IssuerNotInAuthorityHints { issuer: issuer.clone() });
    }

    let expires_at = std::iter::once(&subject).chain(parsed.iter()).map(|p| p.statement.exp).min().unwrap_or(i64::MIN);
    let subordinate_claims: Vec<&EntityStatement> = subordinates.iter().map(|p| &p.statement).collect();
    let metadata = resolve_metadata(&subject.statement, &subordinate_claims)?;

    Ok(TrustChain {
        subject: subject.statement.sub.clone(),
        trust_anchor: top_id,
        statements: statements.iter().map(|s| (*s).to_owned()).collect(),
        expires_at,
        intermediates: subordinates.len() - 1,
        subject_configuration: subject.statement,
        metadata,
    })
}

/// Resolved metadata (§6.1.4, §6.2): `subordinates` are the Subordinate
/// Statements from the subject's Immediate Superior up.
pub fn resolve_metadata(subject: &EntityStatement, subordinates: &[&EntityStatement]) -> Result<Map<String, Value>, ChainError> {
    let ids: Vec<&str> = subordinates.iter().map(|s| s.sub.as_str()).collect();
    let cs: Vec<Option<&Constraints>> = subordinates.iter().map(|s| s.constraints.as_ref()).collect();
    constraints::check_chain(&ids, &cs)?;

    let mut metadata = subject.metadata.clone().unwrap_or_default();
    // The Immediate Superior may override parameters of the entity types the
    // subject has (§3.1.3); it cannot add entity types.
    if let Some(over) = subordinates.first().and_then(|s| s.metadata.as_ref()) {
        for (entity_type, params) in over {
            if let (Some(Value::Object(target)), Value::Object(params)) = (metadata.get_mut(entity_type), params) {
                for (k, v) in params {
                    target.insert(k.clone(), v.clone());
                }
            }
        }
    }
    constraints::filter_entity_types(&mut metadata, &cs);

    let mut crit: Vec<String> = Vec::new();
    for c in subordinates.iter().filter_map(|s| s.metadata_policy_crit.as_ref()).flatten() {
        if !crit.contains(c) {
            crit.push(c.clone());
        }
    }
    // Merged from the Trust Anchor's statement down (§6.1.4.1).
    let policies = subordinates.iter().rev().filter_map(|s| s.metadata_policy.as_ref());
    let merged = policy::resolve_chain_policy(policies, &crit)?;
    Ok(merged.apply(&metadata)?)
}

fn find_anchor<'a>(anchors: &'a [TrustAnchor], id: &str) -> Result<&'a TrustAnchor, ChainError> {
    anchors.iter().find(|a| a.entity_id == id).ok_or_else(|| ChainError::UnknownTrustAnchor(id.to_owned()))
}

fn check_anchor_signature(anchor: &TrustAnchor, ec: &ParsedStatement, opts: &ValidationOptions, index: usize) -> Result<(), ChainError> {
    if ec.statement.sub != anchor.entity_id {
        return Err(ChainError::UnknownTrustAnchor(ec.statement.sub.clone()));
    }
    ec.verify_signature(&anchor.jwks, &opts.algorithms).map_err(|e| match e {
        StatementError::Jws(source) => ChainError::TrustAnchorKeys { entity_id: anchor.entity_id.clone(), source },
        other => ChainError::Statement { index, source: other },
    })
}

/// Builds a Trust Chain for `subject` by fetching its Entity Configuration
/// and following `authority_hints` (§10.1), then validates it (§10.2). The
/// shortest valid chain wins (§10.3); paths are tried shortest first.
pub async fn resolve<F: Fetcher>(fetcher: &F, subject: &str, anchors: &[TrustAnchor], opts: &ResolveOptions) -> Result<TrustChain, ChainError> {
    let mut c = Collector::new(fetcher, anchors, opts);
    c.entity_configuration(subject).await?;
    c.run(subject).await
}

/// Like [`resolve`], with the subject's Entity Configuration supplied (for
/// instance posted in an explicit registration request) instead of fetched.
pub async fn resolve_with_configuration<F: Fetcher>(
    fetcher: &F,
    subject_configuration: &str,
    anchors: &[TrustAnchor],
    opts: &ResolveOptions,
) -> Result<TrustChain, ChainError> {
    let p = verify_entity_configuration(subject_configuration, None, &opts.validation).map_err(|source| ChainError::Statement { index: 0, source })?;
    let subject = p.statement.sub.clone();
    let mut c = Collector::new(fetcher, anchors, opts);
    c.configurations.insert(subject.clone(), p);
    c.run(&subject).await
}

/// The state of one resolution: what was fetched (never fetched twice)
/// and the fetch budget.
struct Collector<'a, F> {
    fetcher: &'a F,
    anchors: &'a [TrustAnchor],
    opts: &'a ResolveOptions,
    configurations: HashMap<String, ParsedStatement>,
    failed_configurations: HashSet<String>,
    subordinates: HashMap<(String, String), String>,
    fetches: usize,
}

impl<'a, F: Fetcher> Collector<'a, F> {
    fn new(fetcher: &'a F, anchors: &'a [TrustAnchor], opts: &'a ResolveOptions) -> Self {
        Self { fetcher, anchors, opts, configurations: HashMap::new(), failed_configurations: HashSet::new(), subordinates: HashMap::new(), fetches: 0 }
    }

    fn is_anchor(&self, id: &str) -> bool {
        self.anchors.iter().any(|a| a.entity_id == id)
    }

    fn spend(&mut self) -> Result<(), ChainError> {
        if self.fetches >= self.opts.max_fetches {
            return Err(ChainError::FetchBudgetExhausted(self.opts.max_fetches));
        }
        self.fetches += 1;
        Ok(())
    }

    /// The verified Entity Configuration of `id`, fetched at most once.
    async fn entity_configuration(&mut self, id: &str) -> Result<&ParsedStatement, ChainError> {
        if !self.configurations.contains_key(id) {
            if self.failed_configurations.contains(id) {
                return Err(ChainError::Fetch {
                    what: format!("the Entity Configuration of {id}"),
                    source: FetchError::Other("failed earlier in this resolution".into()),
                });
            }
            let r = self.fetch_configuration(id).await;
            match r {
                Ok(p) => {
                    self.configurations.insert(id.to_owned(), p);
                }
                Err(e) => {
                    self.failed_configurations.insert(id.to_owned());
                    return Err(e);
                }
            }
        }
        self.configurations.get(id).ok_or(ChainError::Empty)
    }

    async fn fetch_configuration(&mut self, id: &str) -> Result<ParsedStatement, ChainError> {
        self.spend()?;
        let jwt = self
            .fetcher
            .fetch_entity_configuration(id)
            .await
            .map_err(|source| ChainError::Fetch { what: format!("the Entity Configuration of {id}"), source })?;
        verify_entity_configuration(&jwt, Some(id), &self.opts.validation.above_subject())
            .map_err(|source| ChainError::EntityConfiguration { entity_id: id.to_owned(), source })
    }

    async fn subordinate_statement(&mut self, issuer: &str, sub: &str) -> Result<String, ChainError> {
        let key = (issuer.to_owned(), sub.to_owned());
        if let Some(s) = self.subordinates.get(&key) {
            return Ok(s.clone());
        }
        let endpoint =
            self.entity_configuration(issuer).await?.statement.fetch_endpoint().ok_or_else(|| ChainError::NoFetchEndpoint(issuer.to_owned()))?.to_owned();
        self.spend()?;
        let jwt = self
            .fetcher
            .fetch_subordinate_statement(&endpoint, sub)
            .await
            .map_err(|source| ChainError::Fetch { what: format!("the statement of {issuer} about {sub}"), source })?;
        self.subordinates.insert(key, jwt.clone());
        Ok(jwt)
    }

    /// Breadth-first over paths from the subject up, so the first valid
    /// chain found is a shortest one.
    async fn run(&mut self, subject: &str) -> Result<TrustChain, ChainError> {
        if self.is_anchor(subject) {
            let ec = self.entity_configuration(subject).await?.raw().to_owned();
            return validate_chain(&[&ec], self.anchors, &self.opts.validation);
        }
        let mut failures: Vec<PathFailure> = Vec::new();
        let mut queue: VecDeque<Vec<String>> = VecDeque::from([vec![subject.to_owned()]]);
        let mut examined = 0usize;
        while let Some(path) = queue.pop_front() {
            let Some(last) = path.last().cloned() else {
                continue;
            };
            if path.len() > 1 && self.is_anchor(&last) {
                match self.try_path(&path).await {
                    Ok(chain) => return Ok(chain),
                    Err(error) => failures.push(PathFailure { path, error }),
                }
                continue;
            }
            let hints = match self.entity_configuration(&last).await {
                Ok(ec) => ec.statement.authority_hints.clone().unwrap_or_default(),
                Err(error) => {
                    failures.push(PathFailure { path, error });
                    continue;
                }
            };
            for hint in hints.into_iter().take(self.opts.max_authority_hints) {
                if path.contains(&hint) {
                    // §17.1: a hint that loops is dropped.
                    let mut p = path.clone();
                    p.push(hint.clone());
                    failures.push(PathFailure { path: p, error: ChainError::Loop(hint) });
                    continue;
                }
                // The path's Intermediates are all but its first entry; a
                // non-anchor hint adds one more.
                if !self.is_anchor(&hint) && path.len() > self.opts.max_intermediates {
                    continue;
                }
                examined += 1;
                if examined > self.opts.max_paths {
                    break;
                }
                let mut p = path.clone();
                p.push(hint);
                queue.push_back(p);
            }
        }
        Err(ChainError::NoTrustChain { subject: subject.to_owned(), failures })
    }

    /// Fetches the statements along `path` (subject … Trust Anchor) and
    /// validates the chain they form.
    async fn try_path(&mut self, path: &[String]) -> Result<TrustChain, ChainError> {
        let mut jwts: Vec<String> = Vec::with_capacity(path.len() + 1);
        let subject = path.first().ok_or(ChainError::Empty)?;
        jwts.push(self.entity_configuration(subject).await?.raw().to_owned());
        for pair in path.windows(2) {
            jwts.push(self.subordinate_statement(&pair[1], &pair[0]).await?);
        }
        let ta = path.last().ok_or(ChainError::Empty)?;
        jwts.push(self.entity_configuration(ta).await?.raw().to_owned());
        let refs: Vec<&str> = jwts.iter().map(String::as_str).collect();
        validate_chain(&refs, self.anchors, &self.opts.validation)
    }
}

/// Resolved chains kept until they expire (§10.4, §11): a plain map the
/// caller owns, keyed by subject and Trust Anchor.
#[derive(Debug, Default)]
pub struct ChainCache {
    entries: HashMap<(String, String), TrustChain>,
}

impl ChainCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// A chain for `subject` (to `trust_anchor`, or to any) that has not
    /// expired at `now`; expired entries met on the way are dropped.
    pub fn get(&mut self, subject: &str, trust_anchor: Option<&str>, now: i64) -> Option<&TrustChain> {
        self.entries.retain(|_, c| c.expires_at > now);
        self.entries.iter().filter(|((s, ta), _)| s == subject && trust_anchor.is_none_or(|t| t == ta)).map(|(_, c)| c).min_by_key(|c| c.statements.len())
    }

    /// Keeps a chain, replacing any earlier one for the same subject and anchor.
    pub fn insert(&mut self, chain: TrustChain) {
        self.entries.insert((chain.subject.clone(), chain.trust_anchor.clone()), chain);
    }

    /// Forgets every chain of `subject` (e.g. when its registration changes).
    pub fn remove(&mut self, subject: &str) {
        self.entries.retain(|(s, _), _| s != subject);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
