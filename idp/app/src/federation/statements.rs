//! What a tenant signs as a federation entity. Each function takes what it
//! needs (the tenant, its federation keys, the time) and returns the compact
//! JWS; nothing here reads the store or the network.

use serde_json::{Map, Value, json};
use trame_core::federation::FederationSettings;
use trame_core::lifetimes::FEDERATION_STATEMENT;
use trame_core::tenant::Tenant;
use trame_federation::chain::TrustChain;
use trame_federation::statement::{EntityStatement, TrustMarkEntry};
use trame_federation::trust_mark::TrustMark;
use trame_jose::{Jwks, SigningKey};
use trame_store::{FederationKeys, IssuedTrustMark, Subordinate};

/// Media types (and so JWT `typ` values, §15) of the federation answers.
pub mod media {
    pub const ENTITY_STATEMENT: &str = "application/entity-statement+jwt";
    pub const RESOLVE_RESPONSE: &str = "application/resolve-response+jwt";
    pub const TRUST_MARK: &str = "application/trust-mark+jwt";
    pub const TRUST_MARK_STATUS: &str = "application/trust-mark-status-response+jwt";
    pub const JWK_SET: &str = "application/jwk-set+jwt";
    pub const TRUST_CHAIN: &str = "application/trust-chain+json";
    pub const EXPLICIT_REGISTRATION_RESPONSE: &str = "application/explicit-registration-response+jwt";
}

/// Why a statement could not be signed: no usable key (a tenant created
/// before federation existed, until start-up gives it one) or a signing
/// failure.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("the tenant has no federation key that signs")]
    NoKey,
    #[error("signing failed: {0}")]
    Sign(#[from] trame_jose::Error),
    #[error("signing failed: {0}")]
    Statement(#[from] trame_federation::statement::StatementError),
    #[error("signing failed: {0}")]
    TrustMark(#[from] trame_federation::trust_mark::TrustMarkError),
    #[error("signing failed: stored constraints: {0}")]
    Constraints(#[from] trame_federation::constraints::ConstraintError),
    #[error("stored federation keys are not a valid key set")]
    BadKeys,
}

/// The federation endpoints a tenant serves, relative to its issuer.
pub mod paths {
    pub const FETCH: &str = "/federation/fetch";
    pub const LIST: &str = "/federation/list";
    pub const RESOLVE: &str = "/federation/resolve";
    pub const TRUST_MARK: &str = "/federation/trust_mark";
    pub const TRUST_MARK_STATUS: &str = "/federation/trust_mark_status";
    pub const TRUST_MARK_LIST: &str = "/federation/trust_mark_list";
    pub const HISTORICAL_KEYS: &str = "/federation/historical_keys";
    pub const REGISTRATION: &str = "/federation/register";
}

fn signer(keys: &FederationKeys) -> Result<&SigningKey, SignError> {
    keys.signing.as_ref().ok_or(SignError::NoKey)
}

fn jwks_of(keys: &FederationKeys) -> Result<Jwks, SignError> {
    Jwks::from_keys(&keys.jwks).map_err(|_| SignError::BadKeys)
}

/// The `federation_entity` metadata: the operator's descriptive members,
/// the tenant's name by default, and the endpoints this tenant serves.
fn federation_entity_metadata(tenant: &Tenant) -> Value {
    let fed = &tenant.federation;
    let iss = &tenant.issuer;
    let mut m: Map<String, Value> = fed.entity_metadata.clone();
    m.entry("organization_name").or_insert_with(|| json!(tenant.display_name));
    if fed.authority {
        m.insert("federation_fetch_endpoint".into(), json!(iss.endpoint(paths::FETCH)));
        m.insert("federation_list_endpoint".into(), json!(iss.endpoint(paths::LIST)));
    }
    if !fed.trust_anchors.is_empty() {
        m.insert("federation_resolve_endpoint".into(), json!(iss.endpoint(paths::RESOLVE)));
    }
    m.insert("federation_trust_mark_endpoint".into(), json!(iss.endpoint(paths::TRUST_MARK)));
    m.insert("federation_trust_mark_status_endpoint".into(), json!(iss.endpoint(paths::TRUST_MARK_STATUS)));
    m.insert("federation_trust_mark_list_endpoint".into(), json!(iss.endpoint(paths::TRUST_MARK_LIST)));
    m.insert("federation_historical_keys_endpoint".into(), json!(iss.endpoint(paths::HISTORICAL_KEYS)));
    Value::Object(m)
}

/// The tenant's Entity Configuration (§3, §9): `iss` = `sub` = its issuer,
/// its federation keys, `openid_provider` metadata (the discovery document
/// plus the federation members), `federation_entity` metadata, and
/// `openid_relying_party` metadata when it signs in citizens of peers.
pub fn entity_configuration(
    tenant: &Tenant,
    keys: &FederationKeys,
    provider_metadata: Value,
    relying_party_metadata: Option<Value>,
    now: i64,
) -> Result<String, SignError> {
    let id = tenant.issuer.as_str();
    let fed: &FederationSettings = &tenant.federation;
    let mut st = EntityStatement::new(id, id, now, now + FEDERATION_STATEMENT, jwks_of(keys)?);
    if !fed.authority_hints.is_empty() {
        st.authority_hints = Some(fed.authority_hints.clone());
    }
    let mut metadata = Map::new();
    metadata.insert("openid_provider".into(), provider_metadata);
    if let Some(rp) = relying_party_metadata {
        metadata.insert("openid_relying_party".into(), rp);
    }
    metadata.insert("federation_entity".into(), federation_entity_metadata(tenant));
    st.metadata = Some(metadata);
    if !fed.trust_marks.is_empty() {
        st.trust_marks =
            Some(fed.trust_marks.iter().map(|m| TrustMarkEntry { trust_mark_type: m.trust_mark_type.clone(), trust_mark: m.trust_mark.clone() }).collect());
    }
    if !fed.trust_mark_issuers.is_empty() {
        st.trust_mark_issuers = Some(fed.trust_mark_issuers.clone());
    }
    if !fed.trust_mark_owners.is_empty() {
        st.trust_mark_owners = Some(fed.trust_mark_owners.clone());
    }
    Ok(st.sign(signer(keys)?)?)
}

/// A Subordinate Statement about an enrolled entity (§3, §8.1.2).
pub fn subordinate_statement(tenant: &Tenant, keys: &FederationKeys, sub: &Subordinate, now: i64) -> Result<String, SignError> {
    let id = tenant.issuer.as_str();
    let sub_jwks = Jwks::parse(&sub.jwks).map_err(|_| SignError::BadKeys)?;
    let mut st = EntityStatement::new(id, &sub.entity_id, now, now + FEDERATION_STATEMENT, sub_jwks);
    st.metadata_policy = sub.metadata_policy.clone();
    st.metadata_policy_crit = sub.metadata_policy_crit.clone();
    st.metadata = sub.metadata.as_ref().and_then(|m| m.as_object().cloned());
    st.constraints = match &sub.constraints {
        Some(c) => Some(trame_federation::constraints::Constraints::parse(c)?),
        None => None,
    };
    st.source_endpoint = Some(tenant.issuer.endpoint(paths::FETCH));
    Ok(st.sign(signer(keys)?)?)
}

/// A Trust Mark the tenant issued (§7.1). Signed on request from the
/// record, with the record's times, so the same mark is the same JWT
/// claims each time and the status endpoint can find it by `iat`.
pub fn trust_mark(tenant: &Tenant, keys: &FederationKeys, mark: &IssuedTrustMark) -> Result<String, SignError> {
    let mut m = TrustMark::new(tenant.issuer.as_str(), &mark.subject, &mark.trust_mark_type, mark.issued_at);
    m.exp = mark.expires_at;
    Ok(m.sign(signer(keys)?)?)
}

/// Status of a Trust Mark (§8.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkStatus {
    Active,
    Expired,
    Revoked,
    Invalid,
}

impl MarkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MarkStatus::Active => "active",
            MarkStatus::Expired => "expired",
            MarkStatus::Revoked => "revoked",
            MarkStatus::Invalid => "invalid",
        }
    }
}

pub fn trust_mark_status(tenant: &Tenant, keys: &FederationKeys, trust_mark: &str, status: MarkStatus, now: i64) -> Result<String, SignError> {
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(tenant.issuer.as_str()));
    claims.insert("iat".into(), json!(now));
    claims.insert("trust_mark".into(), json!(trust_mark));
    claims.insert("status".into(), json!(status.as_str()));
    Ok(signer(keys)?.sign("trust-mark-status-response+jwt", &claims)?)
}

/// The historical keys answer (§8.7): keys no longer published, with when
/// they stopped being valid and, for revoked ones, why.
pub fn historical_keys(tenant: &Tenant, keys: &FederationKeys, now: i64) -> Result<String, SignError> {
    let list: Vec<Value> = keys
        .historical
        .iter()
        .map(|h| {
            let mut k = h.jwk.as_object().cloned().unwrap_or_default();
            k.insert("iat".into(), json!(h.iat));
            k.insert("exp".into(), json!(h.exp));
            if let Some((at, reason)) = &h.revoked {
                k.insert("revoked".into(), json!({"revoked_at": at, "reason": reason}));
            }
            Value::Object(k)
        })
        .collect();
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(tenant.issuer.as_str()));
    claims.insert("iat".into(), json!(now));
    claims.insert("keys".into(), Value::Array(list));
    Ok(signer(keys)?.sign("jwk-set+jwt", &claims)?)
}

/// The resolve answer (§8.3.2): the subject's resolved metadata (only the
/// asked entity types, when some were asked), the chain, the verified
/// Trust Marks; it expires with the first of them.
pub fn resolve_response(
    tenant: &Tenant,
    keys: &FederationKeys,
    chain: &TrustChain,
    entity_types: &[String],
    marks: &[(TrustMarkEntry, Option<i64>)],
    now: i64,
) -> Result<String, SignError> {
    let metadata: Map<String, Value> = if entity_types.is_empty() {
        chain.metadata.clone()
    } else {
        chain.metadata.iter().filter(|(k, _)| entity_types.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let exp = marks.iter().filter_map(|(_, exp)| *exp).fold(chain.expires_at, i64::min);
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(tenant.issuer.as_str()));
    claims.insert("sub".into(), json!(chain.subject));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(exp));
    claims.insert("metadata".into(), Value::Object(metadata));
    claims.insert("trust_chain".into(), json!(chain.statements));
    if !marks.is_empty() {
        claims.insert(
            "trust_marks".into(),
            Value::Array(marks.iter().map(|(m, _)| json!({"trust_mark_type": m.trust_mark_type, "trust_mark": m.trust_mark})).collect()),
        );
    }
    Ok(signer(keys)?.sign("resolve-response+jwt", &claims)?)
}

/// The explicit registration answer (§12.2.3): the registration as this
/// provider stored it (`client_metadata`, with its `client_id`), under the
/// chain's Trust Anchor, until the registration lapses with the chain.
pub fn explicit_registration_response(
    tenant: &Tenant,
    keys: &FederationKeys,
    chain: &TrustChain,
    client_metadata: Map<String, Value>,
    now: i64,
) -> Result<String, SignError> {
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(tenant.issuer.as_str()));
    claims.insert("sub".into(), json!(chain.subject));
    claims.insert("aud".into(), json!(chain.subject));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(chain.expires_at));
    claims.insert("trust_anchor".into(), json!(chain.trust_anchor));
    // The relying party's Immediate Superior on the chosen chain: the
    // issuer of the statement about it.
    let superior = chain.statements.get(1).and_then(|s| trame_jose::decode(s).ok()).and_then(|d| d.claims.get("iss").cloned());
    if let Some(superior) = superior {
        claims.insert("authority_hints".into(), json!([superior]));
    }
    claims.insert("metadata".into(), json!({ "openid_relying_party": client_metadata }));
    Ok(signer(keys)?.sign("explicit-registration-response+jwt", &claims)?)
}

/// Where a peer provider sends the browser back after a peer sign-in.
pub const PEER_SIGN_IN_CALLBACK: &str = "/federation/callback";

/// The `openid_relying_party` metadata of a tenant that accepts peer
/// sign-ins, or `None` when it does not (or has no key yet).
pub fn relying_party_metadata(tenant: &Tenant, keys: &FederationKeys) -> Option<Value> {
    tenant.federation.peer_sign_in.as_ref()?;
    if keys.signing.is_none() {
        tracing::warn!(tenant = %tenant.slug, "peer sign-in is on but the tenant has no relying party key; no openid_relying_party metadata");
        return None;
    }
    Some(json!({
        "client_name": tenant.display_name,
        "client_registration_types": ["automatic"],
        "redirect_uris": [tenant.issuer.endpoint(PEER_SIGN_IN_CALLBACK)],
        "response_types": ["code"],
        "grant_types": ["authorization_code"],
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "ES256",
        "request_object_signing_alg": "ES256",
        "jwks": {"keys": keys.jwks},
    }))
}
