//! The tenant as a relying party of a peer provider (OpenID Federation
//! §12.1, automatic registration): a citizen whose account lives at the
//! peer signs in there, and comes back here with an ID token that this
//! tenant verifies against the peer's resolved metadata.
//!
//! - The tenant publishes `openid_relying_party` metadata in its Entity
//!   Configuration ([`relying_party_metadata`]): one redirect URI
//!   ([`CALLBACK`]), `automatic` registration, `private_key_jwt`, and its
//!   relying party keys (never its token or federation keys, so nothing it
//!   signs as a provider can pass for a Request Object or an assertion).
//! - [`start`]: a Request Object signed with those keys, carrying the
//!   tenant's own trust chain in its `trust_chain` header, pushed to the
//!   peer's PAR endpoint when it has one (a chain makes a long URL), else
//!   sent as `request`. PKCE S256, `nonce` and `state` as usual; the pending
//!   sign-in is kept under the digest of `state`, taken once.
//! - [`finish`]: the code exchange and the ID token through the
//!   `openidconnect` crate, with a client assertion signed by the tenant;
//!   the provider's keys come from its resolved metadata.

use std::sync::Arc;

use openidconnect::core::{CoreClient, CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreUserInfoClaims};
use openidconnect::{AuthType, AuthorizationCode, ClientId, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, TokenResponse};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use trame_core::authorize::RawParams;
use trame_core::crypto::random_token;
use trame_core::lifetimes::{PEER_SIGN_IN, PUSHED_REQUEST};
use trame_core::tenant::Tenant;
use trame_federation::chain::TrustAnchor;
use trame_jose::SigningKey;
use trame_store::FederationKeys;

use crate::catalog::TenantEntry;
use crate::federation::FetchFor;
use crate::federation::fetcher::trust_anchors;
use crate::federation::peers::Peer;
use crate::interactions::Interaction;
use crate::{App, outbound};

/// Where peers send the citizen back, relative to the issuer.
pub const CALLBACK: &str = crate::federation::statements::PEER_SIGN_IN_CALLBACK;

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Scopes asked of a peer: `openid`, and those of the service's request
/// that a peer can answer for a new local account (minimal disclosure).
const FORWARDED_SCOPES: [&str; 2] = ["profile", "email"];

/// Why a sign-in through a peer failed. Shown on a page; the descriptions
/// hold no token, code or personal data.
#[derive(Debug, thiserror::Error)]
pub enum PeerSignInError {
    #[error("this service has no relying party key for sign-in at other providers")]
    NoKey,
    #[error("this service's own trust chain cannot be built: {0}")]
    OwnChain(#[source] trame_federation::chain::ChainError),
    #[error("the request could not be signed: {0}")]
    Sign(#[source] trame_jose::Error),
    #[error("the request could not be signed: {0}")]
    Encode(#[source] serde_urlencoded::ser::Error),
    #[error("the provider refused the pushed request: {0}")]
    PushFailed(#[source] outbound::FetchError),
    #[error("the provider refused the pushed request: {0}")]
    Pushed(String),
    #[error("the provider's metadata is not usable: {0}")]
    Metadata(String),
    #[error("the provider's metadata is not usable: {0}")]
    MetadataInvalid(#[source] serde_json::Error),
    #[error("the provider's metadata is not usable: {0}")]
    RedirectUri(#[source] url::ParseError),
    #[error("the provider's metadata is not usable: {0}")]
    Configuration(#[source] openidconnect::ConfigurationError),
    #[error("the provider's keys could not be read: {0}")]
    Keys(String),
    #[error("the provider's keys could not be read: {0}")]
    KeysFetch(#[source] outbound::FetchError),
    #[error("the provider's keys could not be read: {0}")]
    KeysInvalid(#[source] serde_json::Error),
    #[error("the code exchange failed: {0}")]
    Token(String),
    #[error("the ID token does not verify: {0}")]
    IdToken(String),
    #[error("the ID token does not verify: {0}")]
    IdTokenInvalid(#[source] openidconnect::ClaimsVerificationError),
    #[error("the sign-in cannot be kept now")]
    Unavailable(#[source] crate::Error),
}

impl PeerSignInError {
    /// Whether the failure is this side's (its keys, its chain, its
    /// storage) rather than the peer's.
    pub fn is_ours(&self) -> bool {
        matches!(self, Self::NoKey | Self::OwnChain(_) | Self::Sign(_) | Self::Encode(_) | Self::Unavailable(_))
    }
}

/// A sign-in sent to a peer, until its callback.
#[derive(Debug, Serialize, Deserialize)]
pub struct Pending {
    pub tenant_id: String,
    /// The pending sign-in (interaction) it continues.
    pub interaction: String,
    /// The peer's Entity Identifier (= issuer).
    pub peer: String,
    nonce: String,
    verifier: String,
    /// Scopes beyond `openid` were asked: the UserInfo answer is read.
    profile_asked: bool,
}

fn pending_key(state_param: &str) -> String {
    trame_store::ephemeral_keys::peer_sign_in(state_param)
}

/// Takes the pending sign-in `state` stands for, once.
pub async fn take_pending(app: &App, tenant: &Tenant, state_param: &str) -> Result<Option<Pending>, PeerSignInError> {
    if state_param.is_empty() || state_param.len() > 128 {
        return Ok(None);
    }
    let raw = app.ephemeral.take(&pending_key(state_param)).await.map_err(|e| PeerSignInError::Unavailable(e.into()))?;
    Ok(raw.and_then(|j| serde_json::from_str::<Pending>(&j).ok()).filter(|p| p.tenant_id == tenant.id))
}

/// The relying party key that signs now.
async fn signer(app: &App, tenant: &TenantEntry) -> Result<Arc<FederationKeys>, PeerSignInError> {
    let keys = tenant.relying_party_keys(&app.store, app.now()).await.map_err(|e| PeerSignInError::Unavailable(e.into()))?;
    if keys.signing.is_none() {
        return Err(PeerSignInError::NoKey);
    }
    Ok(keys)
}

fn key_of(keys: &FederationKeys) -> Result<&SigningKey, PeerSignInError> {
    keys.signing.as_ref().ok_or(PeerSignInError::NoKey)
}

/// Starts the sign-in at `peer` for the pending sign-in `interaction`;
/// returns where to send the browser.
pub async fn start(app: &App, tenant: &TenantEntry, peer: &Peer, interaction: &str, ia: &Interaction) -> Result<String, PeerSignInError> {
    let t = &tenant.tenant;
    let me = t.issuer.as_str();
    let now = app.now();
    let keys = signer(app, tenant).await?;
    let key = key_of(&keys)?;
    let anchors: Vec<TrustAnchor> = trust_anchors(&t.federation).into_iter().filter(|a| a.entity_id == peer.trust_anchor).collect();
    let own_chain = app.chains.resolve(app, &FetchFor::tenant(app, t), me, &anchors).await.map_err(PeerSignInError::OwnChain)?;

    let state_param = random_token(app.rng.as_ref());
    let nonce = random_token(app.rng.as_ref());
    let verifier = random_token(app.rng.as_ref());
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(verifier.clone()));

    let raw = RawParams::new(&ia.params);
    let asked = |name: &str| raw.single(name).ok().flatten().map(str::to_owned);
    let mut scope = vec!["openid".to_owned()];
    let service_scopes = asked("scope").unwrap_or_default();
    scope.extend(FORWARDED_SCOPES.iter().filter(|s| service_scopes.split(' ').any(|x| x == **s)).map(|s| (*s).to_owned()));

    let mut claims = Map::new();
    claims.insert("iss".into(), json!(me));
    claims.insert("aud".into(), json!(peer.entity_id));
    claims.insert("client_id".into(), json!(me));
    claims.insert("response_type".into(), json!("code"));
    claims.insert("redirect_uri".into(), json!(t.issuer.endpoint(CALLBACK)));
    claims.insert("scope".into(), json!(scope.join(" ")));
    claims.insert("state".into(), json!(state_param));
    claims.insert("nonce".into(), json!(nonce));
    claims.insert("code_challenge".into(), json!(challenge.as_str()));
    claims.insert("code_challenge_method".into(), json!("S256"));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + PUSHED_REQUEST));
    claims.insert("jti".into(), json!(random_token(app.rng.as_ref())));
    // What the service asked about the sign-in itself goes on to the peer,
    // which does the authenticating: the level (its answer caps ours),
    // a fresh sign-in, the language.
    if let Some(acr) = ia.required_acr.clone().or_else(|| asked("acr_values")) {
        claims.insert("acr_values".into(), json!(acr));
    }
    if asked("prompt").is_some_and(|p| p.split(' ').any(|v| v == "login")) {
        claims.insert("prompt".into(), json!("login"));
    }
    if let Some(max_age) = asked("max_age").and_then(|v| v.parse::<u64>().ok()) {
        claims.insert("max_age".into(), json!(max_age));
    }
    if let Some(locales) = asked("ui_locales") {
        claims.insert("ui_locales".into(), json!(locales));
    }
    let mut header = Map::new();
    header.insert("trust_chain".into(), json!(own_chain.statements));
    let object = key.sign_with_header("oauth-authz-req+jwt", &claims, &header).map_err(PeerSignInError::Sign)?;

    let authorization_endpoint = endpoint(peer, "authorization_endpoint")?;
    let mut url = url::Url::parse(&authorization_endpoint).map_err(|_| PeerSignInError::Metadata("authorization_endpoint is not a URL".into()))?;
    match peer.provider.get("pushed_authorization_request_endpoint").and_then(Value::as_str) {
        Some(par) => {
            let assertion = client_assertion(app, key, me, &peer.entity_id)?;
            let request_uri = push(app.outbound_for(t), par, me, &object, &assertion).await?;
            url.query_pairs_mut().append_pair("client_id", me).append_pair("request_uri", &request_uri);
        }
        None => {
            url.query_pairs_mut()
                .append_pair("client_id", me)
                .append_pair("response_type", "code")
                .append_pair("scope", &scope.join(" "))
                .append_pair("request", &object);
        }
    }

    let pending =
        Pending { tenant_id: t.id.clone(), interaction: interaction.to_owned(), peer: peer.entity_id.clone(), nonce, verifier, profile_asked: scope.len() > 1 };
    let json = serde_json::to_string(&pending).expect("a pending peer sign-in serializes");
    app.ephemeral.put(&pending_key(&state_param), &json, PEER_SIGN_IN).await.map_err(|e| PeerSignInError::Unavailable(e.into()))?;
    Ok(url.into())
}

fn endpoint(peer: &Peer, name: &str) -> Result<String, PeerSignInError> {
    peer.provider.get(name).and_then(Value::as_str).map(str::to_owned).ok_or_else(|| PeerSignInError::Metadata(format!("no {name}")))
}

/// A `private_key_jwt` assertion (RFC 7523) for `audience`.
fn client_assertion(app: &App, key: &SigningKey, me: &str, audience: &str) -> Result<String, PeerSignInError> {
    let now = app.now();
    let mut c = Map::new();
    c.insert("iss".into(), json!(me));
    c.insert("sub".into(), json!(me));
    c.insert("aud".into(), json!(audience));
    c.insert("iat".into(), json!(now));
    c.insert("exp".into(), json!(now + PUSHED_REQUEST));
    c.insert("jti".into(), json!(random_token(app.rng.as_ref())));
    key.sign("JWT", &c).map_err(PeerSignInError::Sign)
}

/// Pushes the Request Object (RFC 9126) and returns its `request_uri`.
async fn push(client: &outbound::Client, par: &str, me: &str, object: &str, assertion: &str) -> Result<String, PeerSignInError> {
    let form = [("client_id", me), ("request", object), ("client_assertion_type", JWT_BEARER), ("client_assertion", assertion)];
    let body = serde_urlencoded::to_string(form).map_err(PeerSignInError::Encode)?;
    let req = http::Request::post(par)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body.into_bytes())
        .map_err(|_| PeerSignInError::Metadata("the PAR endpoint is not a URL".into()))?;
    let res = outbound::send(client, req).await.map_err(PeerSignInError::PushFailed)?;
    let answer: Value = serde_json::from_slice(res.body()).unwrap_or(Value::Null);
    if !res.status().is_success() {
        let code = answer.get("error").and_then(Value::as_str).unwrap_or("no error code");
        let description = answer.get("error_description").and_then(Value::as_str).unwrap_or_default();
        return Err(PeerSignInError::Pushed(format!("{} {code}: {description}", res.status().as_u16())));
    }
    answer.get("request_uri").and_then(Value::as_str).map(str::to_owned).ok_or_else(|| PeerSignInError::Pushed("no request_uri in the answer".into()))
}

/// Who the peer says signed in, and how.
#[derive(Debug)]
pub struct PeerIdentity {
    pub issuer: String,
    pub subject: String,
    /// The `acr` the peer asserted, if any.
    pub acr: Option<String>,
    pub amr: Vec<String>,
    pub preferred_username: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<(String, bool)>,
}

/// The code exchange and the ID token, then the UserInfo claims a new
/// local account may start from.
pub async fn finish(app: &App, tenant: &TenantEntry, peer: &Peer, pending: &Pending, code: &str) -> Result<PeerIdentity, PeerSignInError> {
    let me = tenant.tenant.issuer.as_str();
    let keys = signer(app, tenant).await?;
    let key = key_of(&keys)?;
    let outbound = app.outbound_for(&tenant.tenant);
    let jwks = provider_keys(outbound, peer).await?;
    let metadata: CoreProviderMetadata = serde_json::from_value(Value::Object(peer.provider.clone())).map_err(PeerSignInError::MetadataInvalid)?;
    let client = CoreClient::from_provider_metadata(metadata.set_jwks(jwks), ClientId::new(me.to_owned()), None)
        .set_auth_type(AuthType::RequestBody)
        .set_redirect_uri(RedirectUrl::new(tenant.tenant.issuer.endpoint(CALLBACK)).map_err(PeerSignInError::RedirectUri)?);
    let http = Outbound(outbound.clone());

    let assertion = client_assertion(app, key, me, &endpoint(peer, "token_endpoint")?)?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(PeerSignInError::Configuration)?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
        .add_extra_param("client_assertion_type", JWT_BEARER)
        .add_extra_param("client_assertion", assertion)
        .request_async(&http)
        .await
        .map_err(|e| PeerSignInError::Token(token_error(&e)))?;
    let id_token = tokens.id_token().ok_or_else(|| PeerSignInError::IdToken("the token response has no ID token".into()))?;
    // Asymmetric algorithms only: the peer has no secret shared with us.
    let verifier = client.id_token_verifier().set_allowed_algs(vec![
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        CoreJwsSigningAlgorithm::EcdsaP384Sha384,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        CoreJwsSigningAlgorithm::RsaSsaPssSha256,
        CoreJwsSigningAlgorithm::EdDsa,
    ]);
    let claims = id_token.claims(&verifier, &Nonce::new(pending.nonce.clone())).map_err(PeerSignInError::IdTokenInvalid)?;
    let mut identity = PeerIdentity {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        acr: claims.auth_context_ref().map(|a| a.as_str().to_owned()),
        amr: claims.auth_method_refs().map(|v| v.iter().map(|a| a.as_str().to_owned()).collect()).unwrap_or_default(),
        preferred_username: claims.preferred_username().map(|u| u.as_str().to_owned()),
        given_name: claims.given_name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned()),
        family_name: claims.family_name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned()),
        email: claims.email().map(|e| (e.as_str().to_owned(), claims.email_verified().unwrap_or(false))),
    };
    // Scope claims are UserInfo's (OIDC Core §5.4): read only when a scope
    // beyond openid was asked and not refused; a failure leaves the new
    // account with less.
    let granted_more = pending.profile_asked && tokens.scopes().is_none_or(|s| s.iter().any(|s| s.as_str() != "openid"));
    if granted_more && let Ok(request) = client.user_info(tokens.access_token().clone(), Some(claims.subject().clone())) {
        let answer: Result<CoreUserInfoClaims, _> = request.request_async(&http).await;
        match answer {
            Ok(info) => {
                identity.preferred_username = identity.preferred_username.or_else(|| info.preferred_username().map(|u| u.as_str().to_owned()));
                identity.given_name = identity.given_name.or_else(|| info.given_name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned()));
                identity.family_name = identity.family_name.or_else(|| info.family_name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned()));
                identity.email = identity.email.or_else(|| info.email().map(|e| (e.as_str().to_owned(), info.email_verified().unwrap_or(false))));
            }
            Err(e) => tracing::info!(peer = %peer.entity_id, error = %e, "peer userinfo not read"),
        }
    }
    Ok(identity)
}

/// The `openidconnect` crate's requests, through [`outbound::send`].
struct Outbound(outbound::Client);

impl<'c> openidconnect::AsyncHttpClient<'c> for Outbound {
    type Error = outbound::FetchError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<openidconnect::HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: openidconnect::HttpRequest) -> Self::Future {
        Box::pin(outbound::send(&self.0, request))
    }
}

/// The error code and description of a failed token request, never the
/// body of an answer that is not an OAuth error.
fn token_error<E: std::error::Error>(
    e: &openidconnect::RequestTokenError<E, openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>>,
) -> String {
    match e {
        openidconnect::RequestTokenError::ServerResponse(r) => {
            format!("{}{}", r.error().as_ref(), r.error_description().map(|d| format!(": {d}")).unwrap_or_default())
        }
        openidconnect::RequestTokenError::Request(e) => format!("the request failed: {e}"),
        openidconnect::RequestTokenError::Parse(_, _) => "the answer is not a token response".into(),
        openidconnect::RequestTokenError::Other(e) => e.clone(),
    }
}

/// The peer's token-signing keys: `jwks` in its resolved metadata, or its
/// `jwks_uri` fetched (with the outbound limits).
async fn provider_keys(client: &outbound::Client, peer: &Peer) -> Result<CoreJsonWebKeySet, PeerSignInError> {
    let doc = match (peer.provider.get("jwks"), peer.provider.get("jwks_uri").and_then(Value::as_str)) {
        (Some(jwks), _) => jwks.clone(),
        (None, Some(uri)) => {
            let body = outbound::get_document(client, uri).await.map_err(PeerSignInError::KeysFetch)?;
            serde_json::from_slice(&body).map_err(|_| PeerSignInError::Keys("jwks_uri is not a JWK Set".into()))?
        }
        (None, None) => return Err(PeerSignInError::Keys("no jwks or jwks_uri".into())),
    };
    serde_json::from_value(doc).map_err(PeerSignInError::KeysInvalid)
}
