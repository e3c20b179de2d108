//! Every key of the ephemeral store, in one place: no two uses can share a
//! prefix by accident, and a reader sees at once what Redis holds. Secrets
//! (codes, cookies, tokens, challenges) appear only as their SHA-256
//! digest, so a look at Redis gives nothing redeemable; user names and
//! addresses only as digests too (the throttle keys), so it holds no
//! personal data in clear. The strings are a contract between nodes of
//! different versions during a rolling upgrade: change one only with a
//! migration of the data it names (or accept losing it).

use trame_core::crypto::secret_digest;

/// An authorization code's record, until the token endpoint takes it.
pub fn code(code: &str) -> String {
    format!("code:{}", secret_digest(code))
}

/// Left behind by a redeemed code, so a second redemption revokes the grant.
pub fn code_used(code: &str) -> String {
    format!("code-used:{}", secret_digest(code))
}

/// A CAS service ticket's record, until the service validates it.
pub fn cas_ticket(ticket: &str) -> String {
    format!("cas-st:{}", secret_digest(ticket))
}

/// A browser session, under its cookie's digest.
pub fn session(cookie: &str) -> String {
    format!("sess:{}", secret_digest(cookie))
}

/// A pending sign-in ("interaction"); its id is random and not a secret
/// on its own (the browser binding and CSRF token guard it).
pub fn interaction(id: &str) -> String {
    format!("ia:{id}")
}

/// A WebAuthn ceremony's server state, under its challenge's digest.
pub fn ceremony(challenge: &str) -> String {
    format!("wa:{}", secret_digest(challenge))
}

/// A pushed authorization request (RFC 9126), under its `request_uri`'s digest.
pub fn pushed_request(request_uri: &str) -> String {
    format!("par:{}", secret_digest(request_uri))
}

/// A Request Object's `jti`, seen once per tenant and client.
pub fn request_object_jti(tenant_id: &str, client_id: &str, jti: &str) -> String {
    format!("reqobj:{tenant_id}:{}:{}", secret_digest(client_id), secret_digest(jti))
}

/// A client assertion's `jti` (`private_key_jwt`), seen once per tenant and client.
pub fn client_assertion_jti(tenant_id: &str, client_id: &str, jti: &str) -> String {
    format!("jti:{tenant_id}:{client_id}:{jti}")
}

/// A sign-in sent to a peer provider, under its `state`'s digest.
pub fn peer_sign_in(state: &str) -> String {
    format!("peer-signin:{}", secret_digest(state))
}

/// A logout in progress (the confirmation page and its front-channel frames).
pub fn logout(id: &str) -> String {
    format!("lo:{id}")
}

/// A TOTP secret shown for enrolment, until the first code confirms it.
pub fn totp_setup(sid: &str) -> String {
    format!("totp-setup:{sid}")
}

/// The kinds of mailed links ([`mail_link`]).
pub mod link_kind {
    /// E-mail verification.
    pub const VERIFY: &str = "ev";
    /// Credential upgrade.
    pub const UPGRADE: &str = "cu";
    /// Account recovery.
    pub const RECOVERY: &str = "rec";
}

/// A mailed one-time link of `kind` ([`link_kind`]), under its token's digest.
pub fn mail_link(kind: &str, token: &str) -> String {
    format!("{kind}:{}", secret_digest(token))
}

/// A throttle counter: `kind` names what is counted, `subject` is already
/// a digest (or a digest-based composite) of who or what.
pub fn throttle(kind: &str, tenant_id: &str, subject: &str) -> String {
    format!("thr:{kind}:{tenant_id}:{subject}")
}

/// The unknown-key-id refetches of one client `jwks_uri`, per node window.
pub fn key_refetch(jwks_uri: &str) -> String {
    format!("thr:kid:{}", secret_digest(jwks_uri))
}
