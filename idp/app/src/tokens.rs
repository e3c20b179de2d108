//! Building and checking the tokens Trame issues: ID tokens (OIDC Core §2)
//! and JWT access tokens (RFC 9068).

use serde_json::{Map, Value, json};
use trame_core::crypto::random_id;
use trame_core::lifetimes;
use trame_core::subject::client_sid;
use trame_core::tenant::Tenant;
use trame_core::user::UserProfile;
use trame_jose::{Alg, Error as JoseError, SigningKey};
use trame_store::{Grant, TenantKeys};

use crate::App;
use crate::error::Result;

/// Access tokens are always signed with the tenant's default algorithm:
/// only Trame verifies them (resource servers may too, through the JWKS).
pub const ACCESS_TOKEN_ALG: Alg = Alg::ES256;

/// The authentication facts a user token carries.
pub struct AuthFacts<'a> {
    pub auth_time: i64,
    pub acr: &'a str,
    pub amr: &'a [String],
    pub sid: &'a str,
}

impl<'a> AuthFacts<'a> {
    pub fn of(g: &'a Grant) -> Self {
        Self { auth_time: g.auth_time, acr: &g.acr, amr: &g.amr, sid: &g.sid }
    }
}

fn signer(keys: &TenantKeys, alg: Alg) -> Result<&SigningKey, JoseError> {
    keys.signing.get(&alg).ok_or(JoseError::NoKey(alg))
}

pub struct AccessToken {
    pub token: String,
    pub expires_in: i64,
}

/// An RFC 9068 access token. `grant_id` ties user tokens to their grant so
/// that revoking the grant (logout, refresh reuse, code replay) stops them.
#[allow(clippy::too_many_arguments)]
pub fn access_token(
    app: &App,
    tenant: &Tenant,
    keys: &TenantKeys,
    client_id: &str,
    sub: &str,
    scope: &str,
    grant_id: Option<&str>,
    auth: Option<&AuthFacts<'_>>,
) -> Result<AccessToken> {
    let now = app.now();
    let mut c = Map::new();
    c.insert("iss".into(), json!(tenant.issuer.as_str()));
    c.insert("sub".into(), json!(sub));
    c.insert("aud".into(), json!(tenant.issuer.as_str()));
    c.insert("client_id".into(), json!(client_id));
    c.insert("iat".into(), json!(now));
    c.insert("exp".into(), json!(now + lifetimes::ACCESS_TOKEN));
    c.insert("jti".into(), json!(random_id(app.rng.as_ref())));
    c.insert("scope".into(), json!(scope));
    if let Some(g) = grant_id {
        c.insert("gid".into(), json!(g));
    }
    if let Some(a) = auth {
        c.insert("auth_time".into(), json!(a.auth_time));
        c.insert("acr".into(), json!(a.acr));
        c.insert("amr".into(), json!(a.amr));
    }
    let token = signer(keys, ACCESS_TOKEN_ALG)?.sign("at+jwt", &c)?;
    Ok(AccessToken { token, expires_in: lifetimes::ACCESS_TOKEN })
}

#[allow(clippy::too_many_arguments)]
pub fn id_token(
    app: &App,
    tenant: &Tenant,
    keys: &TenantKeys,
    alg: Alg,
    client_id: &str,
    sub: &str,
    auth: &AuthFacts<'_>,
    nonce: Option<&str>,
    access_token: &str,
    profile_claims: Map<String, Value>,
) -> Result<String> {
    let now = app.now();
    let mut c = profile_claims;
    c.insert("iss".into(), json!(tenant.issuer.as_str()));
    c.insert("sub".into(), json!(sub));
    c.insert("aud".into(), json!(client_id));
    c.insert("azp".into(), json!(client_id));
    c.insert("iat".into(), json!(now));
    c.insert("exp".into(), json!(now + lifetimes::ID_TOKEN));
    c.insert("auth_time".into(), json!(auth.auth_time));
    c.insert("acr".into(), json!(auth.acr));
    c.insert("amr".into(), json!(auth.amr));
    c.insert("sid".into(), json!(client_sid(auth.sid, client_id)));
    c.insert("at_hash".into(), json!(trame_core::keys::half_hash(alg, access_token)));
    if let Some(n) = nonce {
        c.insert("nonce".into(), json!(n));
    }
    Ok(signer(keys, alg)?.sign("JWT", &c)?)
}

/// The event a logout token announces (Back-Channel Logout §2.4).
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// A logout token (Back-Channel Logout §2.4) for a client, about the
/// session `session_sid` of the user it knows as `sub`. Both `sub` and the
/// client's `sid` are always there, whatever the client registered; never a
/// `nonce`, so it cannot pass for an ID token.
pub fn logout_token(app: &App, issuer: &str, keys: &TenantKeys, alg: Alg, client_id: &str, sub: &str, session_sid: &str) -> Result<String, JoseError> {
    let mut c = Map::new();
    c.insert("iss".into(), json!(issuer));
    c.insert("sub".into(), json!(sub));
    c.insert("aud".into(), json!(client_id));
    c.insert("sid".into(), json!(client_sid(session_sid, client_id)));
    c.insert("events".into(), json!({ BACKCHANNEL_LOGOUT_EVENT: {} }));
    resign_logout_token(app, keys, alg, c)
}

/// Signs logout token claims with a new `iat`, `exp` and `jti`: for a first
/// delivery, and again for a retry that comes after the previous copy
/// expired.
pub fn resign_logout_token(app: &App, keys: &TenantKeys, alg: Alg, mut claims: Map<String, Value>) -> Result<String, JoseError> {
    let now = app.now();
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + lifetimes::LOGOUT_TOKEN));
    claims.insert("jti".into(), json!(random_id(app.rng.as_ref())));
    signer(keys, alg)?.sign("logout+jwt", &claims)
}

/// A JWT of this tenant signed with `alg` (`typ: JWT`): signed responses.
pub fn sign_jwt(keys: &TenantKeys, alg: Alg, claims: Map<String, Value>) -> Result<String> {
    Ok(signer(keys, alg)?.sign("JWT", &claims)?)
}

/// A verified access token of this tenant.
pub struct VerifiedAccess {
    pub claims: Map<String, Value>,
    pub sub: String,
    pub client_id: String,
    pub scope: String,
    pub jti: String,
    pub exp: i64,
    pub grant: Option<Grant>,
    /// The grant's user, when [`Need::GrantAndUser`] was asked and it still
    /// exists in the tenant.
    pub user: Option<UserProfile>,
}

/// What a caller of [`inspect_access`] needs beyond the token itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Grant,
    /// UserInfo: the user too, read with the grant in one query.
    GrantAndUser,
}

/// Marks an access token revoked until it would have expired anyway, in
/// the database: a revocation must survive the loss of the ephemeral store.
pub async fn revoke_access(app: &App, jti: &str, exp: i64) -> Result<()> {
    Ok(app.store.revoke_access_token(jti, exp).await?)
}

/// Checks signature, type, issuer, expiry, revocation and the grant, for
/// every endpoint that takes an access token (UserInfo answers `None` with
/// `invalid_token`, without saying which check failed; introspection
/// answers `active: false`; revocation 200): `None` when the token is not
/// valid, an error only when a check could not be made
/// (the database is unreachable), which must not pass for "not valid".
pub async fn inspect_access(app: &App, tenant: &Tenant, keys: &TenantKeys, token: &str, need: Need) -> Result<Option<VerifiedAccess>> {
    let Ok(v) = keys.verifiers.verify(token, &trame_core::keys::ISSUED) else {
        return Ok(None);
    };
    if v.typ.as_deref().map(str::to_ascii_lowercase).as_deref() != Some("at+jwt") {
        return Ok(None);
    }
    let c = v.claims;
    let str_claim = |n: &str| c.get(n).and_then(Value::as_str).map(str::to_owned);
    if str_claim("iss").as_deref() != Some(tenant.issuer.as_str()) {
        return Ok(None);
    }
    let Some(exp) = c.get("exp").and_then(Value::as_i64) else {
        return Ok(None);
    };
    if exp <= app.now() {
        return Ok(None);
    }
    let (Some(sub), Some(client_id), Some(jti)) = (str_claim("sub"), str_claim("client_id"), str_claim("jti")) else {
        return Ok(None);
    };
    // Revocations are durable (database only, never Redis alone): a user's
    // token is checked in the same query that reads its grant, so the check
    // costs no round trip of its own (`trame_store`'s `revocations` says
    // why no cache); a token without a grant costs one primary-key read.
    let (grant, user) = match str_claim("gid") {
        None => {
            if app.store.access_token_revoked(&jti).await? {
                return Ok(None);
            }
            (None, None)
        }
        Some(gid) => {
            let Some(a) = app.store.access_grant(&gid, &jti, need == Need::GrantAndUser).await? else {
                return Ok(None);
            };
            if a.token_revoked || !a.grant.is_active(app.now()) || a.grant.tenant_id != tenant.id {
                return Ok(None);
            }
            (Some(a.grant), a.user)
        }
    };
    Ok(Some(VerifiedAccess { scope: str_claim("scope").unwrap_or_default(), sub, client_id, jti, exp, grant, user, claims: c }))
}
