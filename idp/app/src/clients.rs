//! Clients as the operator (`trame client add`), a relying party
//! registering itself (`POST /register`) and later the admin API create
//! them: one set of rules, [`trame_core::registration`], applied here the
//! same way for all, with the sector identifier document fetched when the
//! metadata names one.

use trame_core::client::{Client, ClientSettings, PkcePolicy};
use trame_core::crypto::{random_token, secret_digest};
use trame_core::ids::ClientId;
use trame_core::registration::{ClientRequest, MetadataError, Rules, sector_identifier_url, validate};
use trame_core::tenant::Tenant;
use trame_jose::Alg;
use trame_store::{NewClient, StoreError};

use crate::audit::{self, By, Event};
use crate::catalog::TenantEntry;
use crate::error::Error;
use crate::registration::fetch_sector_document;
use crate::{App, outbound};

/// The rules of clients the operator (or a tenant's administrator) adds:
/// PKCE required unless the operator relaxes it in the request, ES256 ID
/// tokens and the tenant's default subject type, administration scopes
/// allowed.
pub fn operator_rules(t: &Tenant) -> Rules {
    Rules {
        default_id_token_alg: Alg::ES256,
        default_subject_type: t.settings.default_subject_type,
        administration: true,
        ..Rules::dynamic(PkcePolicy::Required)
    }
}

/// The rules of clients that register themselves, under the tenant's PKCE
/// policy for them.
pub fn self_registration_rules(pkce: PkcePolicy) -> Rules {
    Rules::dynamic(pkce)
}

/// Applies `rules` to `req`, fetching the sector identifier document
/// through `outbound` when there is one (OIDC Core §8.1). The error names
/// the metadata field at fault.
pub async fn settle(outbound: &outbound::Client, req: ClientRequest, mut rules: Rules) -> Result<ClientSettings, MetadataError> {
    if let Some(url) = sector_identifier_url(&req)? {
        rules.sector_redirect_uris = Some(fetch_sector_document(outbound, &url).await?);
    }
    validate(req, &rules)
}

/// The shortest client secret an operator may choose (generated ones are
/// 256-bit random).
pub const MIN_SECRET_LEN: usize = 32;

/// Why [`create`] made no client.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    #[error("client '{0}' already exists")]
    Taken(String),
    #[error("the client secret must be at least {MIN_SECRET_LEN} characters")]
    ShortSecret,
    #[error("a client secret is only for client_secret_basic and client_secret_post clients")]
    SecretNotUsed,
    #[error(transparent)]
    Failed(#[from] Error),
}

/// A client made, with its secret when Trame generated one (shown once;
/// only its digest is kept).
pub struct Created {
    pub client: Client,
    pub generated_secret: Option<String>,
}

/// Registers a client of `tenant` with the operator's rules (the CLI's
/// `client add`, the admin API): its metadata settled as a registration
/// request's, a secret generated unless one is given, the change audited.
pub async fn create(
    app: &App,
    tenant: &Tenant,
    client_id: ClientId,
    req: ClientRequest,
    secret: Option<String>,
    by: impl Into<By>,
) -> Result<Created, CreateError> {
    let settings = settle(app.outbound_for(tenant), req, operator_rules(tenant)).await?;
    let secret = match (settings.auth_method.uses_secret(), secret) {
        (true, Some(s)) if s.chars().count() < MIN_SECRET_LEN => return Err(CreateError::ShortSecret),
        (true, Some(s)) => Some((s, false)),
        (true, None) => Some((random_token(app.rng.as_ref()), true)),
        (false, Some(_)) => return Err(CreateError::SecretNotUsed),
        (false, None) => None,
    };
    let asked = client_id.as_str().to_owned();
    let new = NewClient { client_id, secret_digest: secret.as_ref().map(|(s, _)| secret_digest(s)), registration_token_digest: None, settings };
    let client = match app.store.create_client(&tenant.id, new, app.now()).await {
        Ok(c) => c,
        Err(StoreError::Conflict(_)) => return Err(CreateError::Taken(asked)),
        Err(e) => return Err(Error::from(e).into()),
    };
    audit::record(&app.store, app.now(), Event::new(&tenant.id, by, "client.created").on(audit::client(client.id.as_str()))).await;
    Ok(Created { generated_secret: secret.and_then(|(s, generated)| generated.then_some(s)), client })
}

/// Replaces the secret of a `client_secret_*` client with a new generated
/// one, returned once; its tokens already issued keep working until they
/// expire. `None` when the tenant has no such client or it uses no secret.
pub async fn rotate_secret(app: &App, tenant: &TenantEntry, client_id: &str, by: impl Into<By>) -> Result<Option<String>, Error> {
    let t = &tenant.tenant;
    let Some(client) = app.store.client(&t.id, client_id).await? else {
        return Ok(None);
    };
    if !client.settings.auth_method.uses_secret() {
        return Ok(None);
    }
    let secret = random_token(app.rng.as_ref());
    app.store.update_client(&t.id, client_id, &client.settings, Some(Some(secret_digest(&secret))), app.now()).await?;
    tenant.forget_client(client_id);
    audit::record(&app.store, app.now(), Event::new(&t.id, by, "client.secret_rotated").on(audit::client(client_id))).await;
    Ok(Some(secret))
}

/// Removes a client: its tokens stop working. False when there was none.
pub async fn remove(app: &App, tenant: &TenantEntry, client_id: &str, by: impl Into<By>) -> Result<bool, Error> {
    let t = &tenant.tenant;
    match app.store.remove_client(&t.id, client_id).await {
        Ok(()) => {}
        Err(StoreError::NotFound(_)) => return Ok(false),
        Err(e) => return Err(e.into()),
    }
    tenant.forget_client(client_id);
    audit::record(&app.store, app.now(), Event::new(&t.id, by, "client.removed").on(audit::client(client_id))).await;
    Ok(true)
}

/// The registration request that would make `client` as it is now: its
/// RFC 7591 metadata ([`crate::registration::metadata`]) plus the
/// operator's choices a request cannot carry. An update starts from it and
/// changes what it is asked to, so what is not mentioned stays.
pub fn request_of(client: &Client) -> Result<ClientRequest, MetadataError> {
    let mut req = ClientRequest::from_json(&serde_json::Value::Object(crate::registration::metadata(client)))?;
    req.pkce = Some(client.settings.pkce);
    req.skip_consent = client.settings.skip_consent;
    req.refresh_reuse_grace = Some(client.settings.refresh_reuse_grace);
    req.cas = client.settings.cas.as_ref().map(trame_core::cas::CasService::to_request);
    Ok(req)
}

/// What happens to a client's secret in an [`update`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretChange {
    /// Kept while the authentication method still uses one; generated when
    /// the client starts to use one, removed when it stops.
    Follow,
    /// A new generated secret, returned once.
    Rotate,
    /// The operator's own (at least [`MIN_SECRET_LEN`] characters).
    Given(String),
}

/// Why [`update`] changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("client '{0}' not found")]
    NotFound(String),
    /// A federation relying party's metadata come from its trust chain,
    /// renewed with it: an operator's change would be lost at the next.
    #[error("client '{0}' registered through its OpenID Federation trust chain: its metadata come from the chain")]
    Federation(String),
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    /// The client changed since the caller read it (`read`).
    #[error("the client changed meanwhile")]
    Stale,
    /// Consent is what stands between a client anyone registered and the
    /// citizens' data.
    #[error("a client that registered itself never skips consent")]
    SelfRegisteredSkipsConsent,
    #[error("the client secret must be at least {MIN_SECRET_LEN} characters")]
    ShortSecret,
    #[error("a client secret is only for client_secret_basic and client_secret_post clients")]
    SecretNotUsed,
    #[error(transparent)]
    Failed(#[from] Error),
}

impl From<StoreError> for UpdateError {
    fn from(e: StoreError) -> Self {
        Self::Failed(e.into())
    }
}

/// A client changed, with its new secret when Trame generated one (shown
/// once).
pub struct Updated {
    pub client: Client,
    pub generated_secret: Option<String>,
    /// False when the request asked for what the client already had:
    /// nothing was written nor audited.
    pub changed: bool,
}

/// Replaces the settings of a client of `tenant` with those `req` asks for,
/// under the same rules as a new client's ([`operator_rules`], through
/// [`settle`]): the caller builds `req` from [`request_of`] the current
/// client and the changes. With `read` (the settings as the caller read
/// them: the admin API's `If-Match`), only if they are still those,
/// checked again under the row's lock ([`UpdateError::Stale`] otherwise). The settings and the secret are written in one
/// transaction, the client is forgotten by this node's catalog entry (the
/// others see the catalog version move) and the change is audited.
pub async fn update(
    app: &App,
    tenant: &TenantEntry,
    client_id: &str,
    req: ClientRequest,
    secret: SecretChange,
    read: Option<&ClientSettings>,
    by: impl Into<By>,
) -> Result<Updated, UpdateError> {
    let t = &tenant.tenant;
    let Some(current) = app.store.client(&t.id, client_id).await? else {
        return Err(UpdateError::NotFound(client_id.to_owned()));
    };
    if read.is_some_and(|r| *r != current.settings) {
        return Err(UpdateError::Stale);
    }
    if current.federation.is_some() {
        return Err(UpdateError::Federation(client_id.to_owned()));
    }
    let settings = settle(app.outbound_for(t), req, operator_rules(t)).await?;
    if settings.skip_consent && current.registration_token_digest.is_some() {
        return Err(UpdateError::SelfRegisteredSkipsConsent);
    }
    let (generated, digest) = match (settings.auth_method.uses_secret(), secret) {
        (false, SecretChange::Follow) => (None, current.secret_digest.is_some().then_some(None)),
        (false, _) => return Err(UpdateError::SecretNotUsed),
        (true, SecretChange::Given(s)) if s.chars().count() < MIN_SECRET_LEN => return Err(UpdateError::ShortSecret),
        (true, SecretChange::Given(s)) => (None, Some(Some(secret_digest(&s)))),
        (true, SecretChange::Follow) if current.secret_digest.is_some() => (None, None),
        (true, SecretChange::Follow | SecretChange::Rotate) => {
            let s = random_token(app.rng.as_ref());
            let d = secret_digest(&s);
            (Some(s), Some(Some(d)))
        }
    };
    if settings == current.settings && digest.is_none() {
        return Ok(Updated { client: current, generated_secret: None, changed: false });
    }
    let Some(client) = app.store.update_client_if(&t.id, client_id, &settings, digest, read, app.now()).await? else {
        return Err(UpdateError::Stale);
    };
    tenant.forget_client(client_id);
    audit::record(&app.store, app.now(), Event::new(&t.id, by, "client.updated").on(audit::client(client_id))).await;
    Ok(Updated { client, generated_secret: generated, changed: true })
}
