//! One-time links sent by mail (e-mail verification, account recovery,
//! credential upgrade): a
//! 256-bit token in the link; its record in the ephemeral store under the
//! token's digest, with a TTL, bound to the tenant, taken on use.

use serde_json::{Map, Value, json};
use trame_core::crypto::random_token;
use trame_core::lifetimes;
use trame_core::tenant::Tenant;

use crate::App;
use crate::error::Result;
use crate::sessions::Session;

fn key(kind: &str, token: &str) -> String {
    trame_store::ephemeral_keys::mail_link(kind, token)
}

/// Stores `record` for a new link of this `kind` and tenant; returns the
/// token to put in the link.
pub async fn issue(app: &App, tenant: &Tenant, kind: &str, mut record: Map<String, Value>, ttl: i64) -> Result<String> {
    let token = random_token(app.rng.as_ref());
    record.insert("tenant".into(), Value::String(tenant.id.clone()));
    app.ephemeral.put(&key(kind, &token), &Value::Object(record).to_string(), ttl).await?;
    Ok(token)
}

/// Reads the record of a link without using it (the page the link opens
/// shows what it would do; only its form's post takes it).
pub async fn peek(app: &App, tenant: &Tenant, kind: &str, token: &str) -> Result<Option<Map<String, Value>>> {
    if token.len() != 43 {
        return Ok(None);
    }
    let raw = app.ephemeral.get(&key(kind, token)).await?;
    Ok(raw.and_then(|raw| record_of(tenant, &raw)))
}

/// Takes the record of a link: `None` when the token is malformed, unknown,
/// used, expired, or of another tenant.
pub async fn redeem(app: &App, tenant: &Tenant, kind: &str, token: &str) -> Result<Option<Map<String, Value>>> {
    if token.len() != 43 {
        return Ok(None);
    }
    let raw = app.ephemeral.take(&key(kind, token)).await?;
    Ok(raw.and_then(|raw| record_of(tenant, &raw)))
}

/// A stored record, if it is one and of this tenant.
fn record_of(tenant: &Tenant, raw: &str) -> Option<Map<String, Value>> {
    let record = serde_json::from_str::<Map<String, Value>>(raw).ok()?;
    (record.get("tenant").and_then(Value::as_str) == Some(tenant.id.as_str())).then_some(record)
}

/// Kind of the account recovery links.
pub const RECOVERY: &str = trame_store::ephemeral_keys::link_kind::RECOVERY;
/// Kind of the e-mail verification links.
pub const VERIFY: &str = trame_store::ephemeral_keys::link_kind::VERIFY;
/// Kind of the credential upgrade links.
pub const UPGRADE: &str = trame_store::ephemeral_keys::link_kind::UPGRADE;
/// The level a credential reaches once its upgrade link is confirmed: a
/// mailbox is a second proof, enough for "substantial", never for "high".
pub const UPGRADED_LEVEL: &str = "eidas2";

/// Mails a verification link; a failure is logged, not fatal: the address
/// can be verified later from the account page.
pub async fn send_verification(app: &App, t: &Tenant, user_id: &str, addr: &str, lang: &str) {
    let record = json!({ "user": user_id, "email": addr });
    let token = match issue(app, t, VERIFY, record.as_object().cloned().unwrap_or_default(), lifetimes::EMAIL_VERIFICATION).await {
        Ok(token) => token,
        Err(e) => {
            tracing::warn!(error = %e, "e-mail verification not stored");
            return;
        }
    };
    let link = t.issuer.endpoint(&format!("/verify-email?token={token}"));
    let (subject, body) = compose(app, ("mail-verify-subject", "mail-verify-body"), lang, t, &link);
    if let Err(e) = app.send_mail(&t.id, addr, &subject, &body).await {
        tracing::warn!(error = %e, tenant = %t.slug, "verification mail not sent");
    }
}

/// A new recovery link for the account: opened and confirmed (in any
/// browser, within [`lifetimes::RECOVERY_LINK`]), it signs the person in
/// once at the lowest level and opens the account page, where they add a
/// passkey (`/recover/email`). The person asking for it on the recovery
/// page and an administrator resetting the account's credentials get the
/// same kind of link. `pending` is the sign-in the person was in when
/// they asked ("Clé d'accès perdue ?"): opened in that same browser, the
/// link continues it.
pub async fn recovery_link(app: &App, t: &Tenant, user_id: &str, pending: Option<&str>) -> Result<String> {
    let mut record = json!({ "user": user_id }).as_object().cloned().unwrap_or_default();
    with_pending(&mut record, pending);
    let token = issue(app, t, RECOVERY, record, lifetimes::RECOVERY_LINK).await?;
    Ok(t.issuer.endpoint(&format!("/recover/email?token={token}")))
}

/// Notes the pending sign-in a link continues. Only its id: the link's
/// page loads it for the browser that opens the link, and no other.
fn with_pending(record: &mut Map<String, Value>, pending: Option<&str>) {
    // An interaction id is a 43-character token; anything else a form
    // sent is not one, and is not stored.
    if let Some(id) = pending.filter(|id| id.len() == 43) {
        record.insert(PENDING.into(), Value::String(id.to_owned()));
    }
}

/// The pending sign-in a link's record continues, if any.
pub fn pending_of(record: &Map<String, Value>) -> Option<&str> {
    record.get(PENDING).and_then(Value::as_str)
}

const PENDING: &str = "interaction";

/// The mail of a recovery link the person asked for: (subject, body).
pub fn recovery_mail(app: &App, t: &Tenant, link: &str, lang: &str) -> (String, String) {
    compose(app, ("mail-recovery-subject", "mail-recovery-body"), lang, t, link)
}

/// A mail's subject and body in `lang` (the page's, or the person's
/// `locale`), from the translations: the messages `ids`, with the
/// collectivité's name and the link.
fn compose(app: &App, ids: (&str, &str), lang: &str, t: &Tenant, link: &str) -> (String, String) {
    let texts = app.languages.texts();
    let args = crate::i18n::args(&[("name", crate::i18n::Arg::Text(t.display_name.clone())), ("link", crate::i18n::Arg::Text(link.to_owned()))]);
    let body = texts.t(lang, ids.1, Some(&args));
    (texts.t(lang, ids.0, Some(&args)), format!("{}\n", body.trim_end()))
}

/// Mails a recovery link after an administrator removed the account's
/// ways of signing in. False when the mailer refused it (logged): the
/// administrator must reach the person another way.
pub async fn send_reset(app: &App, t: &Tenant, user_id: &str, addr: &str, lang: &str) -> Result<bool> {
    let link = recovery_link(app, t, user_id, None).await?;
    let (subject, body) = compose(app, ("mail-reset-subject", "mail-reset-body"), lang, t, &link);
    match app.send_mail(&t.id, addr, &subject, &body).await {
        Ok(()) => Ok(true),
        Err(e) => {
            tracing::warn!(error = %e, tenant = %t.slug, "credentials reset mail not sent");
            Ok(false)
        }
    }
}

/// Which credential an upgrade link raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Passkey(String),
    Totp,
}

/// Mails the link that raises `credential` of the session's account to its
/// verified address. False when there is no such address. `pending` is the
/// sign-in the credential was added for (from the level page): once raised,
/// that sign-in continues.
pub async fn send_upgrade(app: &App, t: &Tenant, s: &Session, credential: &Credential, lang: &str, pending: Option<&str>) -> Result<bool> {
    let Some(addr) = app.store.user_by_id(&t.id, &s.user_id).await?.filter(|u| u.email_verified).and_then(|u| u.email) else {
        return Ok(false);
    };
    let (kind, id) = match credential {
        Credential::Passkey(id) => ("passkey", id.as_str()),
        Credential::Totp => ("totp", ""),
    };
    let mut record = json!({ "user": s.user_id, "sid": s.sid, "credential": kind, "id": id }).as_object().cloned().unwrap_or_default();
    with_pending(&mut record, pending);
    let token = issue(app, t, UPGRADE, record, lifetimes::RECOVERY_LINK).await?;
    let link = t.issuer.endpoint(&format!("/account/upgrade?token={token}"));
    let (subject, body) = compose(app, ("mail-upgrade-subject", "mail-upgrade-body"), lang, t, &link);
    if let Err(e) = app.send_mail(&t.id, &addr, &subject, &body).await {
        tracing::warn!(error = %e, tenant = %t.slug, "upgrade mail not sent");
    }
    Ok(true)
}
