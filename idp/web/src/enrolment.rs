//! The level page of a sign-in that fell short of the level a service
//! asks for, and adding a credential for that sign-in: what the route
//! modules share (`routes/level.rs` has the pages; `routes/login.rs`,
//! `routes/passkey.rs` and `routes/peers.rs` fall back to the level page;
//! `routes/account.rs` adds the credential; `routes/mail_links.rs` raises
//! it).
//!
//! When the account can add a way now ([`ways_to_add`]), the page's button
//! starts a session at the level the sign-in did reach (never more), the
//! person adds a passkey (`/login/enrol`) or sets up TOTP
//! (`/account/totp?interaction=…`), and a link mailed to their verified
//! address raises the new credential: until then it counts only at that
//! weaker session's level (NIST SP 800-63B §6.1). Opened in this browser,
//! the link leads back to the sign-in, where the new credential now
//! reaches the level and the sign-in goes on to the service.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use minijinja::context;
use trame_app::catalog::TenantEntry;
use trame_app::mail_link::{self, Credential};
use trame_app::signin::{Enrolment, Way, ways_reaching, ways_to_add};
use trame_core::lifetimes;

use crate::error::{ApiResult, OrApi};
use crate::interaction::{self, Interaction, Purpose};
use crate::pages::{client_name, lang_for};
use crate::session::Session;
use crate::state::AppState;

/// The level page, after a sign-in below the level (`status` 403) or when
/// the page's script lands here after a passkey below it (200).
pub async fn level_not_reached(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    id: &str,
    ia: &Interaction,
    status: StatusCode,
) -> ApiResult<Response> {
    let t = &tenant.tenant;
    let ways = match &ia.required_acr {
        Some(level) => ways_reaching(&t.settings.acr_policy, level),
        None => Vec::new(),
    };
    let additions: Vec<_> = addable(state, tenant, ia)
        .await?
        .into_iter()
        .map(|w| match w {
            Way::Passkey => context! { method => "passkey", label => "level-add-passkey" },
            Way::PasswordAndTotp => context! { method => "totp", label => "level-add-totp" },
        })
        .collect();
    let to_service = ia.purpose == Purpose::Authorize;
    let client_name = if to_service { client_name(state, tenant, ia).await? } else { String::new() };
    let base = t.issuer.path_prefix();
    Ok(state.themes.page(
        status,
        "level.html",
        context! {
            lang => lang_for(state, ia, headers),
            tenant => crate::branding::view(t),
            base => base.clone(),
            ways => ways.into_iter().map(way_message).collect::<Vec<_>>(),
            additions => additions,
            retry => format!("{base}/login?interaction={id}"),
            to_service => to_service,
            interaction => id,
            csrf => ia.csrf.clone(),
            client_name => client_name,
        },
    ))
}

fn way_message(way: Way) -> &'static str {
    match way {
        Way::Passkey => "level-way-passkey",
        Way::PasswordAndTotp => "level-way-password-totp",
    }
}

/// The ways the account that signed in below the level can add now.
pub async fn addable(state: &AppState, tenant: &TenantEntry, ia: &Interaction) -> ApiResult<Vec<Way>> {
    let (Some(level), Some(below)) = (&ia.required_acr, &ia.below) else {
        return Ok(Vec::new());
    };
    // As for any change to an account: only right after the sign-in
    // (the session it starts counts from now).
    if state.now() - below.at > lifetimes::ACCOUNT_CHANGES {
        return Ok(Vec::new());
    }
    let t = &tenant.tenant;
    let Some(account) = state.store.account(&t.id, &below.user_id).await.html_err()? else {
        return Ok(Vec::new());
    };
    Ok(ways_to_add(&Enrolment {
        policy: &t.settings.acr_policy,
        level,
        upgrade: t.settings.credential_upgrade,
        mail_enabled: state.mailer.is_enabled(),
        verified_email: account.profile.email_verified && account.profile.email.is_some(),
        has_password: account.password_hash.is_some(),
    }))
}

/// The pending sign-in a credential is being added for, when `id` names
/// one of this browser's that fell short for this session's account;
/// `None` otherwise (the account page's own additions).
pub async fn enrolling_for(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, id: Option<&str>, s: &Session) -> Option<(String, Interaction)> {
    let id = id.filter(|i| !i.is_empty())?;
    let ia = interaction::load(state, &tenant.tenant, headers, id).await.ok()?;
    let mine = ia.below.as_ref().is_some_and(|b| b.user_id == s.user_id);
    mine.then(|| (id.to_owned(), ia))
}

/// After a credential was added for the pending sign-in `pending`: the
/// link that raises it is mailed (in the sign-in's language, noting the
/// sign-in it continues), and the browser goes to the page that says so.
/// Without a verified address to mail (changed meanwhile), the account
/// page says what is missing.
pub async fn credential_added(
    state: &AppState,
    tenant: &TenantEntry,
    headers: &HeaderMap,
    s: &Session,
    credential: &Credential,
    pending: (&str, &Interaction),
) -> trame_app::Result<String> {
    let (id, ia) = pending;
    let t = &tenant.tenant;
    let lang = lang_for(state, ia, headers);
    if mail_link::send_upgrade(state, t, s, credential, &lang, Some(id)).await? {
        Ok(t.issuer.endpoint(&format!("/login/enrol/sent?interaction={id}")))
    } else {
        Ok(t.issuer.endpoint("/account?notice=upgrade-needs-email"))
    }
}

/// Where a mailed link that raised a credential leads: back into the
/// pending sign-in it was added for, when it is this browser's (the new
/// credential now reaches the level there); `None` otherwise.
pub async fn after_upgrade(state: &AppState, tenant: &TenantEntry, headers: &HeaderMap, id: &str) -> Option<String> {
    interaction::load(state, &tenant.tenant, headers, id).await.ok()?;
    Some(tenant.tenant.issuer.endpoint(&format!("/login?interaction={id}&notice=credential-confirmed")))
}
