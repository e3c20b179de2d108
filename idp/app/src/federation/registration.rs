//! Relying parties registering through their trust chain (OpenID
//! Federation §12): the chain is resolved (or a supplied one verified in
//! full), the `openid_relying_party` metadata it resolves to goes through
//! the same registration rules as any client, and the registration lasts
//! no longer than the chain (§12.3). Automatic registration (§12.1) calls
//! this from the authorization and PAR endpoints, explicit registration
//! (§12.2) from `POST /federation/register`.

use std::sync::Arc;
use trame_core::oauth::ErrorCode;

use serde_json::Value;
use trame_core::client::{AuthMethod, Client, FederationRegistration, RegistrationKind};
use trame_core::ids::ClientId;
use trame_core::registration::{ClientRequest, MetadataError};
use trame_federation::chain::{self, ChainError, TrustAnchor, TrustChain};
use trame_federation::entity_id;
use trame_federation::statement::ValidationOptions;
use trame_store::StoreError;

use super::fetcher::trust_anchors;
use crate::App;
use crate::catalog::TenantEntry;
use crate::clients;

/// Why a relying party could not register through its chain.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error("the trust chain is about {found}, not {expected}")]
    WrongSubject { expected: String, found: String },
    #[error("the resolved metadata has no openid_relying_party")]
    NotARelyingParty,
    #[error("client_registration_types does not include {0}")]
    TypeNotAllowed(&'static str),
    #[error("a federation relying party authenticates with private_key_jwt and its keys (jwks or jwks_uri)")]
    NeedsKeys,
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    #[error("the client id is taken by a client this tenant registered itself")]
    Taken,
    #[error(transparent)]
    Store(StoreError),
}

impl RegistrationError {
    /// The error code for a JSON answer (PAR, explicit registration).
    pub fn code(&self) -> ErrorCode {
        match self {
            // A registration that names an unknown anchor is a bad request
            // (400), not the resolve endpoint's "no such anchor" (404).
            Self::Chain(e) => match ErrorCode::parse(e.error_code()) {
                Some(ErrorCode::InvalidTrustAnchor) => ErrorCode::InvalidTrustAnchorRequest,
                Some(code) => code,
                None => ErrorCode::InvalidTrustChain,
            },
            Self::WrongSubject { .. } => ErrorCode::InvalidTrustChain,
            Self::Metadata(e) => e.code(),
            Self::NotARelyingParty | Self::TypeNotAllowed(_) | Self::NeedsKeys | Self::Taken => ErrorCode::InvalidClientMetadata,
            Self::Store(_) => ErrorCode::ServerError,
        }
    }
}

/// The Trust Anchors under which `client_id` may register with this
/// tenant: none unless the tenant trusts some and the id is an Entity
/// Identifier.
pub fn anchors_for(tenant: &TenantEntry, client_id: &str) -> Option<Vec<TrustAnchor>> {
    if !entity_id::is_valid(client_id) {
        return None;
    }
    let anchors = trust_anchors(&tenant.tenant.federation);
    (!anchors.is_empty()).then_some(anchors)
}

/// Statements accepted in a supplied chain.
const MAX_SUPPLIED_CHAIN: usize = 16;

/// A supplied chain (a `trust_chain` header, a posted chain): a non-empty
/// array of at most 16 strings.
pub fn supplied_statements(v: &Value) -> Option<Vec<String>> {
    let list = v.as_array()?;
    if list.is_empty() || list.len() > MAX_SUPPLIED_CHAIN {
        return None;
    }
    list.iter().map(|s| s.as_str().map(str::to_owned)).collect()
}

/// The relying party's chain: the supplied statements, verified in full
/// as if they had been fetched (a `trust_chain` header is only a hint of
/// the path, §12.1.1.1.2), or else resolved from its Entity Configuration.
pub async fn relying_party_chain(
    state: &App,
    by: &super::FetchFor,
    client_id: &str,
    anchors: &[TrustAnchor],
    supplied: Option<&[String]>,
) -> Result<TrustChain, RegistrationError> {
    let chain = match supplied {
        Some(statements) => {
            let refs: Vec<&str> = statements.iter().map(String::as_str).collect();
            chain::validate_chain(&refs, anchors, &ValidationOptions::at(state.now()))?
        }
        None => state.chains.resolve(state, by, client_id, anchors).await?,
    };
    if chain.subject != client_id {
        return Err(RegistrationError::WrongSubject { expected: client_id.to_owned(), found: chain.subject });
    }
    Ok(chain)
}

/// The client the chain's subject would be, not yet stored: its
/// `openid_relying_party` metadata through the registration rules. The
/// caller checks what the relying party signed with these keys before it
/// [`save`]s the client, so an unverified request writes nothing.
pub async fn prepare(state: &App, tenant: &TenantEntry, chain: &TrustChain, kind: RegistrationKind) -> Result<Prepared, RegistrationError> {
    let Some(Value::Object(metadata)) = chain.metadata.get("openid_relying_party") else {
        return Err(RegistrationError::NotARelyingParty);
    };
    let types = metadata.get("client_registration_types").and_then(Value::as_array);
    if !types.is_some_and(|t| t.iter().any(|v| v.as_str() == Some(kind.as_str()))) {
        return Err(RegistrationError::TypeNotAllowed(kind.as_str()));
    }
    let mut req = ClientRequest::from_json(&Value::Object(metadata.clone()))?;
    match req.token_endpoint_auth_method.as_deref() {
        None => req.token_endpoint_auth_method = Some(AuthMethod::PrivateKeyJwt.as_str().to_owned()),
        Some(m) if m == AuthMethod::PrivateKeyJwt.as_str() => {}
        Some(_) => return Err(RegistrationError::NeedsKeys),
    }
    if req.jwks.is_none() && req.jwks_uri.is_none() {
        return Err(RegistrationError::NeedsKeys);
    }
    let rules = clients::self_registration_rules(tenant.tenant.settings.dynamic_client_pkce);
    let settings = clients::settle(state.outbound_for(&tenant.tenant), req, rules).await?;
    let id = ClientId::parse(&chain.subject)
        .map_err(|_| MetadataError::Metadata { field: "client_id", reason: "the Entity Identifier cannot be a client id".into() })?;
    let registration = FederationRegistration { kind, trust_anchor: chain.trust_anchor.clone(), expires_at: chain.expires_at };
    let client = Client {
        id,
        tenant_id: tenant.tenant.id.clone(),
        secret_digest: None,
        registration_token_digest: None,
        federation: Some(registration.clone()),
        settings,
    };
    Ok(Prepared { client, registration })
}

/// A client [`prepare`] made from a chain, ready to [`save`].
pub struct Prepared {
    pub client: Client,
    registration: FederationRegistration,
}

/// Stores a [`prepare`]d client: a new registration, or a renewed one
/// replacing the relying party's earlier registration.
pub async fn save(state: &App, tenant: &TenantEntry, prepared: &Prepared) -> Result<Arc<Client>, RegistrationError> {
    let (client, registration) = (&prepared.client, &prepared.registration);
    let stored =
        state.store.register_federation_client(&tenant.tenant.id, &client.id, &client.settings, registration, state.now()).await.map_err(|e| match e {
            StoreError::Conflict(_) => RegistrationError::Taken,
            other => RegistrationError::Store(other),
        })?;
    tenant.forget_client(client.id.as_str());
    tracing::info!(
        tenant = %tenant.tenant.slug,
        client_id = %client.id,
        trust_anchor = %registration.trust_anchor,
        kind = registration.kind.as_str(),
        expires_at = registration.expires_at,
        "federation relying party registered"
    );
    Ok(Arc::new(stored))
}
