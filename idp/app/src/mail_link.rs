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
pub async fn send_verification(app: &App, t: &Tenant, user_id: &str, addr: &str) {
    let record = json!({ "user": user_id, "email": addr });
    let token = match issue(app, t, VERIFY, record.as_object().cloned().unwrap_or_default(), lifetimes::EMAIL_VERIFICATION).await {
        Ok(token) => token,
        Err(e) => {
            tracing::warn!(error = %e, "e-mail verification not stored");
            return;
        }
    };
    let link = t.issuer.endpoint(&format!("/verify-email?token={token}"));
    let body = format!(
        "Bonjour,\n\nPour confirmer votre adresse pour {name}, ouvrez ce lien dans le navigateur où vous êtes connecté(e) à votre compte :\n{link}\n\nTo confirm your address for {name}, open this link in the browser where you are signed in to your account:\n{link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n",
        name = t.display_name
    );
    if let Err(e) = app.send_mail(&t.id, addr, &format!("{} : confirmez votre adresse / confirm your address", t.display_name), &body).await {
        tracing::warn!(error = %e, tenant = %t.slug, "verification mail not sent");
    }
}

/// A new recovery link for the account: opened and confirmed (in any
/// browser, within [`lifetimes::RECOVERY_LINK`]), it signs the person in
/// once at the lowest level and opens the account page, where they add a
/// passkey (`/recover/email`). The person asking for it on the recovery
/// page and an administrator resetting the account's credentials get the
/// same kind of link.
pub async fn recovery_link(app: &App, t: &Tenant, user_id: &str) -> Result<String> {
    let record = json!({ "user": user_id });
    let token = issue(app, t, RECOVERY, record.as_object().cloned().unwrap_or_default(), lifetimes::RECOVERY_LINK).await?;
    Ok(t.issuer.endpoint(&format!("/recover/email?token={token}")))
}

/// The mail of a recovery link the person asked for: (subject, body).
pub fn recovery_mail(t: &Tenant, link: &str) -> (String, String) {
    let body = format!(
        "Bonjour,\n\nPour retrouver l'accès à votre compte {name}, ouvrez ce lien dans les 30 minutes :\n{link}\n\nTo recover your {name} account, open this link within 30 minutes:\n{link}\n\nSi vous n'avez rien demandé, ignorez ce message : votre compte reste protégé.\n",
        name = t.display_name
    );
    (format!("{} : récupération de compte / account recovery", t.display_name), body)
}

/// Mails a recovery link after an administrator removed the account's
/// ways of signing in. False when the mailer refused it (logged): the
/// administrator must reach the person another way.
pub async fn send_reset(app: &App, t: &Tenant, user_id: &str, addr: &str) -> Result<bool> {
    let link = recovery_link(app, t, user_id).await?;
    let body = format!(
        "Bonjour,\n\nUn administrateur de {name} a retiré les moyens de connexion de votre compte (clés d'accès, mot de passe, double authentification, codes de récupération). Pour vous connecter et ajouter une nouvelle clé d'accès, ouvrez ce lien dans les 30 minutes :\n{link}\n\nAn administrator of {name} removed the ways of signing in to your account (passkeys, password, two-step verification, recovery codes). To sign in and add a new passkey, open this link within 30 minutes:\n{link}\n\nSi vous n'attendiez pas ce message, contactez {name}.\nIf you did not expect this message, contact {name}.\n",
        name = t.display_name
    );
    let subject = format!("{} : nouveaux moyens de connexion / new ways of signing in", t.display_name);
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
/// verified address. False when there is no such address.
pub async fn send_upgrade(app: &App, t: &Tenant, s: &Session, credential: &Credential) -> Result<bool> {
    let Some(addr) = app.store.user_by_id(&t.id, &s.user_id).await?.filter(|u| u.email_verified).and_then(|u| u.email) else {
        return Ok(false);
    };
    let (kind, id) = match credential {
        Credential::Passkey(id) => ("passkey", id.as_str()),
        Credential::Totp => ("totp", ""),
    };
    let record = json!({ "user": s.user_id, "sid": s.sid, "credential": kind, "id": id });
    let token = issue(app, t, UPGRADE, record.as_object().cloned().unwrap_or_default(), lifetimes::RECOVERY_LINK).await?;
    let link = t.issuer.endpoint(&format!("/account/upgrade?token={token}"));
    let body = format!(
        "Bonjour,\n\nPour que votre nouveau moyen de connexion à {name} compte pleinement, ouvrez ce lien dans les 30 minutes, dans le navigateur où vous l'avez ajouté :\n{link}\n\nTo make your new way of signing in to {name} count in full, open this link within 30 minutes, in the browser where you added it:\n{link}\n\nSi vous n'avez rien ajouté, quelqu'un connaît peut-être votre mot de passe : changez-le et retirez ce moyen de connexion.\nIf you added nothing, someone may know your password: change it and remove that way of signing in.\n",
        name = t.display_name
    );
    if let Err(e) =
        app.send_mail(&t.id, &addr, &format!("{} : confirmez votre moyen de connexion / confirm your way of signing in", t.display_name), &body).await
    {
        tracing::warn!(error = %e, tenant = %t.slug, "upgrade mail not sent");
    }
    Ok(true)
}
