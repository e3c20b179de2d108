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

use crate::error::{ApiError, ApiResult, OrApi};
use crate::state::AppState;

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
    state: &AppState,
    tenant: &Tenant,
    keys: &TenantKeys,
    client_id: &str,
    sub: &str,
    scope: &str,
    grant_id: Option<&str>,
    auth: Option<&AuthFacts<'_>>,
) -> ApiResult<AccessToken> {
    let now = state.now();
    let mut c = Map::new();
    c.insert("iss".into(), json!(tenant.issuer.as_str()));
    c.insert("sub".into(), json!(sub));
    c.insert("aud".into(), json!(tenant.issuer.as_str()));
    c.insert("client_id".into(), json!(client_id));
    c.insert("iat".into(), json!(now));
    c.insert("exp".into(), json!(now + lifetimes::ACCESS_TOKEN));
    c.insert("jti".into(), json!(random_id(state.rng.as_ref())));
    c.insert("scope".into(), json!(scope));
    if let Some(g) = grant_id {
        c.insert("gid".into(), json!(g));
    }
    if let Some(a) = auth {
        c.insert("auth_time".into(), json!(a.auth_time));
        c.insert("acr".into(), json!(a.acr));
        c.insert("amr".into(), json!(a.amr));
    }
    let token = signer(keys, ACCESS_TOKEN_ALG).and_then(|s| s.sign("at+jwt", &c)).json_err()?;
    Ok(AccessToken { token, expires_in: lifetimes::ACCESS_TOKEN })
}

#[allow(clippy::too_many_arguments)]
pub fn id_token(
    state: &AppState,
    tenant: &Tenant,
    keys: &TenantKeys,
    alg: Alg,
    client_id: &str,
    sub: &str,
    auth: &AuthFacts<'_>,
    nonce: Option<&str>,
    access_token: &str,
    profile_claims: Map<String, Value>,
) -> ApiResult<String> {
    let now = state.now();
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
    signer(keys, alg).and_then(|s| s.sign("JWT", &c)).json_err()
}

/// The event a logout token announces (Back-Channel Logout §2.4).
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// A logout token (Back-Channel Logout §2.4) for a client, about the
/// session `session_sid` of the user it knows as `sub`. Both `sub` and the
/// client's `sid` are always there, whatever the client registered; never a
/// `nonce`, so it cannot pass for an ID token.
pub fn logout_token(state: &AppState, issuer: &str, keys: &TenantKeys, alg: Alg, client_id: &str, sub: &str, session_sid: &str) -> Result<String, JoseError> {
    let mut c = Map::new();
    c.insert("iss".into(), json!(issuer));
    c.insert("sub".into(), json!(sub));
    c.insert("aud".into(), json!(client_id));
    c.insert("sid".into(), json!(client_sid(session_sid, client_id)));
    c.insert("events".into(), json!({ BACKCHANNEL_LOGOUT_EVENT: {} }));
    resign_logout_token(state, keys, alg, c)
}

/// Signs logout token claims with a new `iat`, `exp` and `jti`: for a first
/// delivery, and again for a retry that comes after the previous copy
/// expired.
pub fn resign_logout_token(state: &AppState, keys: &TenantKeys, alg: Alg, mut claims: Map<String, Value>) -> Result<String, JoseError> {
    let now = state.now();
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + lifetimes::LOGOUT_TOKEN));
    claims.insert("jti".into(), json!(random_id(state.rng.as_ref())));
    signer(keys, alg)?.sign("logout+jwt", &claims)
}

/// A JWT of this tenant signed with `alg` (`typ: JWT`): signed responses.
pub fn sign_jwt(keys: &TenantKeys, alg: Alg, claims: Map<String, Value>) -> ApiResult<String> {
    signer(keys, alg).and_then(|s| s.sign("JWT", &claims)).json_err()
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
pub async fn revoke_access(state: &AppState, jti: &str, exp: i64) -> ApiResult<()> {
    state.store.revoke_access_token(jti, exp).await.json_err()
}

/// Checks signature, type, issuer, expiry, revocation and the grant. Any
/// failure is `invalid_token`: the caller does not learn which check failed.
pub async fn verify_access(state: &AppState, tenant: &Tenant, keys: &TenantKeys, token: &str, need: Need) -> ApiResult<VerifiedAccess> {
    inspect_access(state, tenant, keys, token, need).await?.ok_or_else(|| ApiError::invalid_token("the access token is invalid or expired"))
}

/// The same checks, for the endpoints that answer an invalid token
/// normally (introspection: `active: false`; revocation: 200): `None` when
/// the token is not valid, an error only when a check could not be made
/// (the database is unreachable), which must not pass for "not valid".
pub async fn inspect_access(state: &AppState, tenant: &Tenant, keys: &TenantKeys, token: &str, need: Need) -> ApiResult<Option<VerifiedAccess>> {
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
    if exp <= state.now() {
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
            if state.store.access_token_revoked(&jti).await.json_err()? {
                return Ok(None);
            }
            (None, None)
        }
        Some(gid) => {
            let Some(a) = state.store.access_grant(&gid, &jti, need == Need::GrantAndUser).await.json_err()? else {
                return Ok(None);
            };
            if a.token_revoked || !a.grant.is_active(state.now()) || a.grant.tenant_id != tenant.id {
                return Ok(None);
            }
            (Some(a.grant), a.user)
        }
    };
    Ok(Some(VerifiedAccess { scope: str_claim("scope").unwrap_or_default(), sub, client_id, jti, exp, grant, user, claims: c }))
}
