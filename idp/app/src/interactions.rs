//! A pending sign-in: the authorization request waiting for the person to
//! sign in or consent. It lives in the ephemeral store under a random id,
//! bound to the browser that started it (the digest of its binding
//! cookie), with its own CSRF token.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use trame_core::authorize::FLOW_PARAMETERS;
use trame_core::crypto::random_token;
use trame_core::lifetimes;
use trame_core::tenant::Tenant;

use crate::error::{Error, Result};
use crate::{App, throttle};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Interaction {
    pub tenant_id: String,
    /// The original authorization parameters; validated again on every
    /// step, so a client changed meanwhile is seen as it is now.
    pub params: Vec<(String, String)>,
    pub binding: String,
    pub csrf: String,
    /// Set when the person authenticated during this interaction, which
    /// satisfies `prompt=login` and `max_age`.
    pub login_at: Option<i64>,
    pub consented: bool,
    /// When the pending sign-in lapses, by the application clock.
    pub expires_at: i64,
    /// What the sign-in is for.
    #[serde(default)]
    pub purpose: Purpose,
    /// The assurance level the client asked for and the session lacks:
    /// only methods that reach it are accepted (step-up).
    #[serde(default)]
    pub required_acr: Option<String>,
    /// The user whose password was right, waiting for the second factor.
    #[serde(default)]
    pub pending_user: Option<String>,
    /// Whether a page of it was shown: until then it lives only
    /// [`lifetimes::INTERACTION_UNSEEN`].
    #[serde(default)]
    pub seen: bool,
    /// A sign-in of this interaction that fell short of `required_acr`:
    /// who it was and how far it got. The level page may then start a
    /// session at that level for adding a credential, never more.
    #[serde(default)]
    pub below: Option<BelowLevel>,
}

/// Who signed in below the required level, and how (see
/// [`Interaction::below`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BelowLevel {
    pub user_id: String,
    pub amr: Vec<String>,
    pub acr: String,
    /// When: a session started from it must follow it closely.
    pub at: i64,
}

/// The most a pending sign-in may store (its parameters, JSON): enough for
/// a `claims` request, a long `state` and an ID token hint.
pub const MAX_STORED: usize = 16 * 1024;

/// Why the person is signing in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    /// An authorization request: afterwards, back to the client.
    #[default]
    Authorize,
    /// The account page: afterwards, to `<issuer>/account`.
    Account,
    /// The administration console: afterwards, to `<issuer>/admin`.
    Console,
    /// A CAS service's login (`/cas/login`): afterwards, to the service
    /// with a ticket. Its parameters are `client_id`, `service` and
    /// `renew`.
    Cas,
}

impl Purpose {
    /// Whether the sign-in goes back to a service (OpenID Connect or CAS)
    /// once done: its pages name the service.
    pub fn for_service(self) -> bool {
        matches!(self, Self::Authorize | Self::Cas)
    }

    /// The parameters a pending sign-in of this purpose keeps.
    fn kept(self, name: &str) -> bool {
        match self {
            Self::Cas => CAS_PARAMETERS.contains(&name),
            _ => FLOW_PARAMETERS.contains(&name),
        }
    }
}

/// What a CAS login keeps of its request.
const CAS_PARAMETERS: &[&str] = &["client_id", "service", "renew"];

fn key(id: &str) -> String {
    trame_store::ephemeral_keys::interaction(id)
}

/// Who starts a pending sign-in: the browser's binding and address.
pub struct Starter {
    pub binding: String,
    pub ip: Option<IpAddr>,
}

/// Why a pending sign-in was not created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// The address started too many in the window.
    #[error("too many pending sign-ins from this address")]
    TooMany,
    /// Its parameters exceed [`MAX_STORED`].
    #[error("the request is too large to keep")]
    TooLarge,
    #[error(transparent)]
    Failed(#[from] Error),
}

/// Stores a new pending sign-in. Only the parameters the flow reads are
/// kept ([`FLOW_PARAMETERS`]), at most [`MAX_STORED`] bytes, for
/// [`lifetimes::INTERACTION_UNSEEN`] until a page of it is shown, and an
/// address may start [`throttle::INTERACTIONS_PER_ADDRESS`] per window.
pub async fn create_for(
    app: &App,
    tenant: &Tenant,
    params: Vec<(String, String)>,
    by: Starter,
    purpose: Purpose,
    required_acr: Option<String>,
) -> Result<String, CreateError> {
    if !throttle::allow_interaction(app, &tenant.id, by.ip).await? {
        return Err(CreateError::TooMany);
    }
    let params: Vec<(String, String)> = params.into_iter().filter(|(k, _)| purpose.kept(k)).collect();
    let id = random_token(app.rng.as_ref());
    let ia = Interaction {
        purpose,
        required_acr,
        pending_user: None,
        tenant_id: tenant.id.clone(),
        params,
        binding: by.binding,
        csrf: random_token(app.rng.as_ref()),
        login_at: None,
        consented: false,
        expires_at: app.now() + lifetimes::INTERACTION_UNSEEN,
        seen: false,
        below: None,
    };
    let json = serde_json::to_string(&ia).expect("an interaction serializes");
    if json.len() > MAX_STORED {
        return Err(CreateError::TooLarge);
    }
    app.ephemeral.put(&key(&id), &json, lifetimes::INTERACTION_UNSEEN).await.map_err(Error::from)?;
    Ok(id)
}

/// Saves a changed interaction, keeping its expiry.
pub async fn save(app: &App, id: &str, ia: &Interaction) -> Result<()> {
    let json = serde_json::to_string(ia).expect("an interaction serializes");
    let ttl = (ia.expires_at - app.now()).max(1);
    Ok(app.ephemeral.put(&key(id), &json, ttl).await?)
}

/// A page of the interaction is being shown: from now on it lives the
/// full [`lifetimes::INTERACTION`], time enough to sign in.
pub async fn mark_seen(app: &App, id: &str, ia: &mut Interaction) -> Result<()> {
    if ia.seen {
        return Ok(());
    }
    ia.seen = true;
    ia.expires_at = app.now() + lifetimes::INTERACTION;
    save(app, id, ia).await
}

pub async fn delete(app: &App, id: &str) -> Result<()> {
    Ok(app.ephemeral.delete(&key(id)).await?)
}

/// The pending sign-in `id` of this tenant, unless it is malformed,
/// unknown, or expired. Whether the browser may continue it is for the
/// caller to check against [`Interaction::binding`].
pub async fn find(app: &App, tenant: &Tenant, id: &str) -> Result<Option<Interaction>> {
    if id.len() != 43 {
        return Ok(None);
    }
    let Some(raw) = app.ephemeral.get(&key(id)).await? else {
        return Ok(None);
    };
    let ia: Option<Interaction> = serde_json::from_str(&raw).ok();
    Ok(ia.filter(|ia| ia.tenant_id == tenant.id && ia.expires_at > app.now()))
}
