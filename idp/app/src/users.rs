//! User accounts: the rules of a new account, whoever makes it (the
//! sign-up page, the operator's CLI, later the admin API), so each rule
//! exists once.
//!
//! The one difference is by who creates the account ([`Creator`]): a
//! person signing up gets a username an authenticator accepts (2 to 64
//! characters, no spaces: PRECIS), while an operator may import the names
//! an existing directory already uses (up to 200 printable characters).
//! Everything else (one written form, no invisible characters, no
//! look-alike of another account, no `name@host` unless the tenant uses
//! e-mail addresses as usernames, a deliverable e-mail address) is the
//! same.

use trame_core::tenant::{Tenant, Usernames};
use trame_core::user::{Address, UserProfile};
use trame_core::username::{self, UsernameError};
use trame_store::{NewUser, ProfileChange, Store, StoreError};

use crate::audit::{self, By, Event};
use crate::catalog::TenantEntry;
use crate::error::Error;
use crate::mail::valid_email;
use crate::{App, admin, mail_link, sessions};

/// Who creates an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creator {
    /// The person, at the sign-up page.
    Person,
    /// The operator (CLI, later the admin API).
    Operator,
}

/// Why an account cannot be made as asked. The messages say what to do and
/// never echo the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountRefusal {
    #[error("a username has 2 to 64 characters and no spaces")]
    UsernameShape,
    #[error("a username has 1 to 200 printable characters, without spaces around it")]
    UsernameLength,
    #[error("a username must not contain invisible characters")]
    UsernameInvisible,
    #[error("a username here must not contain '@' (this tenant does not use e-mail addresses as usernames)")]
    UsernameAddress,
    #[error("this e-mail address is not valid")]
    Email,
    #[error("a phone number is written in international form: + then the country code and the number, e.g. +33 6 12 34 56 78")]
    Phone,
    #[error("{field} must be 1 to {max} printable characters")]
    Text { field: &'static str, max: usize },
    #[error("this username, or one that looks the same, already exists")]
    Taken,
}

impl AccountRefusal {
    /// The field the refusal is about (`username`, `email`, `given_name`,
    /// `family_name`).
    pub fn field(&self) -> &'static str {
        match self {
            Self::UsernameShape | Self::UsernameLength | Self::UsernameInvisible | Self::UsernameAddress | Self::Taken => "username",
            Self::Email => "email",
            Self::Phone => "phone_number",
            Self::Text { field, .. } => field,
        }
    }
}

/// A new account's details as given.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub username: String,
    pub email: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// E.164 (`+33612345678`); spaces, dots, dashes and parentheses between
    /// the digits are dropped.
    pub phone_number: Option<String>,
    /// Whether whoever creates the account vouches for the number.
    pub phone_number_verified: bool,
    pub address: Option<Address>,
}

/// Details that passed [`check`], in their stored form.
#[derive(Debug, Clone)]
pub struct Checked(NewAccount);

impl Checked {
    pub fn username(&self) -> &str {
        &self.0.username
    }
    pub fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    pub fn into_inner(self) -> NewAccount {
        self.0
    }
}

/// Checks a new account's details against the tenant's rules (not yet
/// whether the username is free: [`available`]); returns them in their
/// stored form (username normalized, e-mail trimmed, empty fields gone).
pub fn check(tenant: &Tenant, by: Creator, account: NewAccount) -> Result<Checked, AccountRefusal> {
    let raw = account.username;
    match by {
        Creator::Person => {}
        Creator::Operator => {
            if raw.trim() != raw || !printable(&raw, 200) {
                return Err(AccountRefusal::UsernameLength);
            }
        }
    }
    let name = username::normalize(&raw);
    let fits_an_authenticator = (2..=64).contains(&name.chars().count()) && !name.chars().any(|c| c.is_whitespace() || c.is_control());
    if by == Creator::Person && !fits_an_authenticator {
        return Err(AccountRefusal::UsernameShape);
    }
    match username::check_new(&name, tenant.settings.usernames == Usernames::Addresses) {
        Ok(()) => {}
        Err(UsernameError::Invisible) => return Err(AccountRefusal::UsernameInvisible),
        Err(UsernameError::Address) => return Err(AccountRefusal::UsernameAddress),
    }
    let email = account.email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
    if email.as_deref().is_some_and(|e| !valid_email(e)) {
        return Err(AccountRefusal::Email);
    }
    let given_name = text("given_name", account.given_name)?;
    let family_name = text("family_name", account.family_name)?;
    let phone_number = checked_phone(account.phone_number)?;
    let address = account.address.map(checked_address).transpose()?.flatten();
    let phone_number_verified = phone_number.is_some() && account.phone_number_verified;
    Ok(Checked(NewAccount { username: name, email, given_name, family_name, phone_number, phone_number_verified, address }))
}

/// A name or address line: trimmed, printable, at most 200 characters.
fn text(field: &'static str, v: Option<String>) -> Result<Option<String>, AccountRefusal> {
    match v {
        Some(v) if !printable(v.trim(), 200) => Err(AccountRefusal::Text { field, max: 200 }),
        v => Ok(v.map(|v| v.trim().to_owned())),
    }
}

/// A phone number in E.164 form, or none when empty.
fn checked_phone(p: Option<String>) -> Result<Option<String>, AccountRefusal> {
    match p.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Ok(Some(phone_number(p).ok_or(AccountRefusal::Phone)?)),
        None => Ok(None),
    }
}

/// An address with every line checked, or none when every line is empty.
fn checked_address(a: Address) -> Result<Option<Address>, AccountRefusal> {
    let a = Address {
        formatted: text("address_formatted", a.formatted)?,
        street_address: text("address_street", a.street_address)?,
        locality: text("address_locality", a.locality)?,
        region: text("address_region", a.region)?,
        postal_code: text("address_postal_code", a.postal_code)?,
        country: text("address_country", a.country)?,
    };
    Ok((a != Address::default()).then_some(a))
}

/// A phone number in E.164 form: `+`, then 6 to 15 digits (the country
/// code first); the separators people write between digits are dropped.
fn phone_number(p: &str) -> Option<String> {
    let digits = p.strip_prefix('+')?;
    let digits: String = digits.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
    let ok = (6..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) && !digits.starts_with('0');
    ok.then(|| format!("+{digits}"))
}

/// 1 to `max` characters, none of them a control character.
fn printable(v: &str, max: usize) -> bool {
    (1..=max).contains(&v.chars().count()) && !v.chars().any(char::is_control)
}

/// Whether no account of the tenant has this username (stored form) or
/// one that looks the same.
pub async fn available(store: &Store, tenant: &Tenant, username: &str) -> Result<bool, StoreError> {
    Ok(!store.username_in_use(&tenant.id, username).await?)
}

/// Why [`create`] made no account.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error(transparent)]
    Refused(#[from] AccountRefusal),
    #[error(transparent)]
    Failed(#[from] StoreError),
}

/// Creates an account from checked details, with a password (an argon2id
/// PHC string) or no credential yet. A username taken meanwhile is
/// [`AccountRefusal::Taken`].
pub async fn create(
    store: &Store,
    tenant: &Tenant,
    account: Checked,
    password_hash: Option<String>,
    now: i64,
    by: impl Into<By>,
) -> Result<UserProfile, CreateError> {
    if !available(store, tenant, account.username()).await? {
        return Err(AccountRefusal::Taken.into());
    }
    let a = account.into_inner();
    let new = NewUser {
        id: None,
        username: a.username,
        email: a.email,
        given_name: a.given_name,
        family_name: a.family_name,
        phone_number: a.phone_number,
        phone_number_verified: a.phone_number_verified,
        address: a.address,
        password_hash,
    };
    match store.create_user(&tenant.id, new, now).await {
        Ok(u) => {
            audit::record(store, now, Event::new(&tenant.id, by, "user.created").on(audit::user(&u.id))).await;
            Ok(u)
        }
        Err(StoreError::Conflict(_)) => Err(AccountRefusal::Taken.into()),
        Err(e) => Err(e.into()),
    }
}

/// Ends every session of the account (its clients told, back channel
/// included) and revokes every grant, so its tokens stop working at once.
/// Returns how many sessions ended.
pub async fn end_sessions(app: &App, tenant: &TenantEntry, user_id: &str) -> Result<usize, Error> {
    let t = &tenant.tenant;
    let open = app.store.account_sessions(&t.id, user_id, app.now()).await?;
    // The clients of a session are found through its grants: tell them
    // before the grants go.
    for s in &open {
        sessions::end_by_sid(app, tenant, user_id, &s.sid).await?;
    }
    app.store.revoke_grants_of_user(&t.id, user_id, None, app.now()).await?;
    Ok(open.len())
}

/// Why [`change_profile`] changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Refused(#[from] AccountRefusal),
    #[error("no such account")]
    NotFound,
    /// The account changed since the version the caller read.
    #[error("the account changed meanwhile")]
    Stale,
    /// Names, e-mail address and phone number of a directory's account are
    /// the directory's.
    #[error("names, e-mail address and phone number of this account come from its directory")]
    DirectoryManaged,
    #[error(transparent)]
    Failed(#[from] Error),
}

/// Changes an account's profile (an administrator, later the person on
/// their account page), with the rules of a new account for each field
/// given; an empty value clears the field. With `version`, only if the
/// account is still at that version. A new e-mail address is unverified.
pub async fn change_profile(
    app: &App,
    tenant: &Tenant,
    user_id: &str,
    version: Option<i64>,
    change: ProfileChange,
    by: impl Into<By>,
) -> Result<trame_store::Account, ChangeError> {
    let cleared = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    let mut fields = Vec::new();
    let mut checked = ProfileChange::default();
    if let Some(v) = change.given_name {
        fields.push("given_name");
        checked.given_name = Some(text("given_name", cleared(v))?);
    }
    if let Some(v) = change.family_name {
        fields.push("family_name");
        checked.family_name = Some(text("family_name", cleared(v))?);
    }
    if let Some(v) = change.email {
        fields.push("email");
        let e = cleared(v).map(|e| e.trim().to_owned());
        if e.as_deref().is_some_and(|e| !valid_email(e)) {
            return Err(AccountRefusal::Email.into());
        }
        checked.email = Some(e);
    }
    if let Some(v) = change.phone_number {
        fields.push("phone_number");
        checked.phone_number = Some(checked_phone(v)?);
    }
    if let Some(v) = change.phone_number_verified {
        fields.push("phone_number_verified");
        checked.phone_number_verified = Some(v);
    }
    if let Some(v) = change.address {
        fields.push("address");
        checked.address = Some(v.map(checked_address).transpose()?.flatten());
    }
    let account = match app.store.change_profile(&tenant.id, user_id, version, &checked, app.now()).await {
        Ok(Some(a)) => a,
        Ok(None) => return Err(ChangeError::NotFound),
        Err(StoreError::Conflict(_)) => return Err(ChangeError::Stale),
        Err(StoreError::Invalid(_)) => return Err(ChangeError::DirectoryManaged),
        Err(e) => return Err(Error::from(e).into()),
    };
    let event = Event::new(&tenant.id, by, "user.updated").on(audit::user(user_id)).with(serde_json::json!({ "fields": fields }));
    audit::record(&app.store, app.now(), event).await;
    Ok(account)
}

/// What became of an administrator's change to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    Done,
    /// The tenant has no such account.
    NotFound,
    /// Refused: the installation would be left without an operator able to
    /// sign in ([`crate::admin`]).
    LastOperator,
}

/// Disables an account: it cannot sign in until enabled, its sessions end
/// and its tokens stop working. The last operator's account stays enabled.
pub async fn disable(app: &App, tenant: &TenantEntry, user_id: &str, by: impl Into<By>) -> Result<AccountChange, Error> {
    let t = &tenant.tenant;
    if admin::is_last_operator(&app.store, &t.id, user_id).await? {
        return Ok(AccountChange::LastOperator);
    }
    if !app.store.set_user_disabled(&t.id, user_id, Some(app.now()), app.now()).await? {
        return Ok(AccountChange::NotFound);
    }
    end_sessions(app, tenant, user_id).await?;
    audit::record(&app.store, app.now(), Event::new(&t.id, by, "user.disabled").on(audit::user(user_id))).await;
    Ok(AccountChange::Done)
}

/// Enables a disabled account.
pub async fn enable(app: &App, tenant: &TenantEntry, user_id: &str, by: impl Into<By>) -> Result<AccountChange, Error> {
    let t = &tenant.tenant;
    if !app.store.set_user_disabled(&t.id, user_id, None, app.now()).await? {
        return Ok(AccountChange::NotFound);
    }
    audit::record(&app.store, app.now(), Event::new(&t.id, by, "user.enabled").on(audit::user(user_id))).await;
    Ok(AccountChange::Done)
}

/// Erases an account (GDPR art. 17): its clients are told its sessions
/// ended, its tokens stop working, everything kept about it is deleted,
/// and the audit trail keeps its records without their addresses, plus
/// one saying it was erased (by its random id: nothing that names the
/// person). The last operator's account stays.
pub async fn remove(app: &App, tenant: &TenantEntry, user_id: &str, by: impl Into<By>) -> Result<AccountChange, Error> {
    let t = &tenant.tenant;
    if app.store.account(&t.id, user_id).await?.is_none() {
        return Ok(AccountChange::NotFound);
    }
    if admin::is_last_operator(&app.store, &t.id, user_id).await? {
        return Ok(AccountChange::LastOperator);
    }
    end_sessions(app, tenant, user_id).await?;
    if !app.store.remove_user(&t.id, user_id).await? {
        return Ok(AccountChange::NotFound);
    }
    app.store.forget_audit_addresses_of(&t.id, &audit::user(user_id)).await?;
    audit::record(&app.store, app.now(), Event::new(&t.id, by, "user.removed").on(audit::user(user_id))).await;
    Ok(AccountChange::Done)
}

/// What an administrator's credential reset took from the account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reset {
    pub removed: trame_store::RemovedCredentials,
    /// Sessions ended (their services told).
    pub sessions_ended: usize,
}

/// What became of [`reset_credentials`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetOutcome {
    /// Credentials removed, sessions ended, and a recovery link mailed to
    /// the account's verified address.
    LinkSent(Reset),
    /// Credentials removed and sessions ended, but no link went out: the
    /// account has no verified address, mail is disabled, or the mailer
    /// refused the message (logged). The person has no way to sign in until
    /// an administrator gives them one (`trame user set-password`, or a
    /// verified address and the recovery page); `trame user invite` makes
    /// a new account, not a way back into this one.
    NoAddress(Reset),
    /// The tenant has no such account.
    NotFound,
    /// Refused: the installation's last operator would be left without a
    /// way to sign in ([`crate::admin`]).
    LastOperator,
}

/// Resets an account's credentials, when one may be stolen or the person
/// lost them all: its passkeys, password, TOTP and recovery codes are
/// removed (so whatever someone else holds stops working), every session
/// ends with its services told and its tokens stop, then a recovery link
/// goes to the account's verified address, if it has one and mail is on:
/// the person signs in once with it and adds a new passkey. The web console,
/// the admin API and `trame user reset-credentials` call this. Audited as
/// `user.credentials_reset` (counts only).
pub async fn reset_credentials(app: &App, tenant: &TenantEntry, user_id: &str, by: impl Into<By>) -> Result<ResetOutcome, Error> {
    let t = &tenant.tenant;
    let Some(account) = app.store.account(&t.id, user_id).await? else {
        return Ok(ResetOutcome::NotFound);
    };
    if admin::is_last_operator(&app.store, &t.id, user_id).await? {
        return Ok(ResetOutcome::LastOperator);
    }
    // Credentials first: a session started meanwhile with one of them is
    // ended just after, and none can start another.
    let Some(removed) = app.store.remove_credentials(&t.id, user_id, app.now()).await? else {
        return Ok(ResetOutcome::NotFound);
    };
    let sessions_ended = end_sessions(app, tenant, user_id).await?;
    let reset = Reset { removed, sessions_ended };
    let address = account.profile.email.filter(|_| account.profile.email_verified);
    let sent = match address {
        // In the language the person's account says, if installed.
        Some(addr) if app.mailer.is_enabled() => {
            let lang = app.languages.or_default(account.profile.locale.as_deref());
            mail_link::send_reset(app, t, user_id, &addr, &lang).await?
        }
        _ => false,
    };
    let detail = serde_json::json!({
        "passkeys": removed.passkeys,
        "password": removed.password,
        "totp": removed.totp,
        "recovery_codes": removed.recovery_codes,
        "sessions_ended": sessions_ended,
        "link_sent": sent,
    });
    audit::record(&app.store, app.now(), Event::new(&t.id, by, "user.credentials_reset").on(audit::user(user_id)).with(detail)).await;
    Ok(if sent { ResetOutcome::LinkSent(reset) } else { ResetOutcome::NoAddress(reset) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use trame_core::ids::{Issuer, TenantSlug};
    use trame_core::tenant::TenantSettings;

    fn tenant(usernames: Usernames) -> Tenant {
        Tenant {
            id: "t1".into(),
            slug: TenantSlug::for_new_tenant("ville").unwrap(),
            issuer: Issuer::parse("https://id.ville.example").unwrap(),
            display_name: "Ville".into(),
            pairwise_salt: vec![0; 32],
            settings: TenantSettings { usernames, ..TenantSettings::default() },
            federation: Default::default(),
            branding: Default::default(),
        }
    }

    fn account(username: &str) -> NewAccount {
        NewAccount { username: username.to_owned(), ..NewAccount::default() }
    }

    #[test]
    fn the_same_username_rules_for_everyone_but_the_shape() {
        let t = tenant(Usernames::Plain);
        for by in [Creator::Person, Creator::Operator] {
            assert_eq!(check(&t, by, account("ali\u{200b}ce")).unwrap_err(), AccountRefusal::UsernameInvisible, "{by:?}");
            assert_eq!(check(&t, by, account("camille@ville-b.fr")).unwrap_err(), AccountRefusal::UsernameAddress, "{by:?}");
            assert_eq!(check(&t, by, account("ａlice")).unwrap().username(), "alice", "{by:?}: NFKC");
        }
        assert!(check(&tenant(Usernames::Addresses), Creator::Person, account("camille@ville-b.fr")).is_ok());
        // A person's username goes to authenticators: no spaces, 2 to 64.
        assert_eq!(check(&t, Creator::Person, account("Jean Dupont")).unwrap_err(), AccountRefusal::UsernameShape);
        assert_eq!(check(&t, Creator::Person, account("j")).unwrap_err(), AccountRefusal::UsernameShape);
        assert_eq!(check(&t, Creator::Person, account(&"a".repeat(65))).unwrap_err(), AccountRefusal::UsernameShape);
        // An operator may import a directory's names.
        assert_eq!(check(&t, Creator::Operator, account("Jean Dupont")).unwrap().username(), "Jean Dupont");
        assert_eq!(check(&t, Creator::Operator, account(" jean")).unwrap_err(), AccountRefusal::UsernameLength);
        assert_eq!(check(&t, Creator::Operator, account(&"é".repeat(201))).unwrap_err(), AccountRefusal::UsernameLength);
        assert!(check(&t, Creator::Operator, account(&"é".repeat(200))).is_ok());
        assert_eq!(check(&t, Creator::Operator, account("")).unwrap_err(), AccountRefusal::UsernameLength);
    }

    #[test]
    fn e_mail_and_names() {
        let t = tenant(Usernames::Plain);
        for by in [Creator::Person, Creator::Operator] {
            let with = |email: &str| NewAccount { email: Some(email.to_owned()), ..account("camille") };
            assert_eq!(check(&t, by, with("pas une adresse")).unwrap_err(), AccountRefusal::Email, "{by:?}");
            assert_eq!(check(&t, by, with("  camille@ville.example ")).unwrap().email(), Some("camille@ville.example"), "{by:?}");
            assert_eq!(check(&t, by, with("  ")).unwrap().email(), None, "{by:?}: an empty address is none");
        }
        let named = |g: &str| NewAccount { given_name: Some(g.to_owned()), ..account("camille") };
        assert_eq!(check(&t, Creator::Operator, named("Ca\u{7}mille")).unwrap_err(), AccountRefusal::Text { field: "given_name", max: 200 });
        assert_eq!(check(&t, Creator::Operator, named(&"é".repeat(201))).unwrap_err().field(), "given_name");
        assert!(check(&t, Creator::Operator, named(&"é".repeat(200))).is_ok());
    }

    #[test]
    fn phone_numbers_in_international_form_and_addresses() {
        let t = tenant(Usernames::Plain);
        let phone = |p: &str, verified: bool| NewAccount { phone_number: Some(p.to_owned()), phone_number_verified: verified, ..account("camille") };
        let c = check(&t, Creator::Operator, phone(" +33 6 12.34-56 (78) ", true)).unwrap().into_inner();
        assert_eq!((c.phone_number.as_deref(), c.phone_number_verified), (Some("+33612345678"), true));
        for bad in ["06 12 34 56 78", "+", "+33 6 12 34 56 78 90 12 34", "+0612345678", "+33 6a12345678", "+12345"] {
            assert_eq!(check(&t, Creator::Operator, phone(bad, false)).unwrap_err(), AccountRefusal::Phone, "{bad}");
        }
        let c = check(&t, Creator::Operator, phone("  ", true)).unwrap().into_inner();
        assert_eq!((c.phone_number, c.phone_number_verified), (None, false), "no number, nothing verified");

        let with = |a: Address| NewAccount { address: Some(a), ..account("camille") };
        let a = Address { street_address: Some(" 1 place de la Mairie ".into()), country: Some("FR".into()), ..Address::default() };
        let c = check(&t, Creator::Operator, with(a)).unwrap().into_inner();
        assert_eq!(c.address.and_then(|a| a.street_address).as_deref(), Some("1 place de la Mairie"));
        assert!(check(&t, Creator::Operator, with(Address::default())).unwrap().into_inner().address.is_none(), "an empty address is none");
        let bad = Address { locality: Some("a\u{0}b".into()), ..Address::default() };
        assert_eq!(check(&t, Creator::Operator, with(bad)).unwrap_err().field(), "address_locality");
    }
}
