//! A tenant's LDAP directories at work: checking an agent's password by
//! binding as the agent, creating or updating their account from the
//! entry (just in time), testing a directory's settings, and the sync that
//! disables the accounts of agents the directory no longer lets in.
//!
//! Every operation opens its own connection (TLS from the first byte, or
//! StartTLS before any bind), binds as the service account, and ends with
//! an unbind: nothing is pooled, so a changed setting or a restarted
//! directory takes effect at the next sign-in. The password an agent types
//! goes to the directory in the bind and nowhere else: it is neither
//! stored nor cached nor hashed here.

use std::sync::Arc;
use std::time::Duration;

use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, Scope, SearchEntry, ldap_escape};
use trame_core::directory::{DirectoryRequest, DirectorySettings, MAX_USERNAME, USERNAME_PLACEHOLDER};
use trame_store::{Account, Directory, DirectoryProfile, StoreError};

use crate::App;
use crate::audit::{self, Actor, Event};
use crate::catalog::TenantEntry;

/// How long a connection (TCP and TLS) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one operation (bind, search) may take.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(10);
/// The most entries a sign-in search takes: more than one is ambiguous.
const SIGN_IN_SIZE_LIMIT: i32 = 2;

/// Why a directory could not answer. Never says whose sign-in it was.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// The connection, TLS or StartTLS failed, or an operation timed out.
    #[error("directory {name} ({host}) is unreachable: {reason}")]
    Unreachable { name: String, host: String, reason: String },
    /// The service account's bind was refused.
    #[error("directory {name}: the service account's bind was refused ({reason})")]
    ServiceBind { name: String, reason: String },
    /// A search failed (a wrong base DN, a filter the server refuses).
    #[error("directory {name}: the search failed ({reason})")]
    Search { name: String, reason: String },
    /// What the use case stands on failed (the database, the ephemeral
    /// store): not the directory's doing.
    #[error(transparent)]
    Failed(#[from] crate::Error),
}

impl From<StoreError> for DirectoryError {
    fn from(e: StoreError) -> Self {
        Self::Failed(e.into())
    }
}

/// What a directory sign-in came to.
#[derive(Debug)]
pub enum SignIn {
    /// No directory of the tenant knows the name (or the tenant has none).
    Unknown,
    /// A directory knows it, and the password is wrong.
    WrongPassword { account: Option<Account> },
    /// The password is right: the account, created or brought up to date.
    Accepted(Account),
    /// The name is a local account's: a directory entry never takes it over.
    LocalNameTaken,
}

/// The directories' answer, or why one of them could not give it.
pub type Outcome = Result<SignIn, DirectoryError>;

fn unreachable(dir: &Directory, e: impl std::fmt::Display) -> DirectoryError {
    DirectoryError::Unreachable { name: dir.name.clone(), host: dir.settings.host(), reason: e.to_string() }
}

/// The TLS settings: the directory's own certificate authorities when it
/// has them, the system's otherwise.
fn tls_config(dir: &Directory) -> Result<Arc<rustls::ClientConfig>, DirectoryError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    match &dir.settings.ca_pem {
        Some(pem) => {
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let cert = cert.map_err(|e| unreachable(dir, format!("its CA file: {e}")))?;
                roots.add(cert).map_err(|e| unreachable(dir, format!("its CA file: {e}")))?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                // A system certificate rustls cannot use is one fewer root.
                let _ = roots.add(cert);
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| unreachable(dir, e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// A connection bound as the service account.
async fn service_connection(dir: &Directory) -> Result<Ldap, DirectoryError> {
    let settings = LdapConnSettings::new()
        .set_conn_timeout(CONNECT_TIMEOUT)
        .set_config(tls_config(dir)?)
        .set_starttls(dir.settings.transport == trame_core::directory::Transport::StartTls);
    let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &dir.settings.url).await.map_err(|e| unreachable(dir, e))?;
    ldap3::drive!(conn);
    let bound = ldap.with_timeout(OPERATION_TIMEOUT).simple_bind(&dir.settings.bind_dn, &dir.bind_password).await.map_err(|e| unreachable(dir, e))?;
    if bound.rc != 0 {
        return Err(DirectoryError::ServiceBind { name: dir.name.clone(), reason: result_text(bound.rc, &bound.text) });
    }
    Ok(ldap)
}

fn result_text(rc: u32, text: &str) -> String {
    if text.is_empty() { format!("LDAP result {rc}") } else { format!("LDAP result {rc}: {text}") }
}

/// An entry's attribute, whatever case the server wrote its name in.
fn attribute<'a>(entry: &'a SearchEntry, name: &str) -> Option<&'a str> {
    entry.attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.first()).map(String::as_str).filter(|v| !v.is_empty())
}

/// The entry's lasting identifier: the attribute's text, or `bin:` and its
/// bytes in hex when it is binary (Active Directory's `objectGUID`).
fn entry_id(entry: &SearchEntry, name: &str) -> Option<String> {
    if let Some(v) = attribute(entry, name) {
        return Some(v.to_owned());
    }
    let (_, values) = entry.bin_attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?;
    let bytes = values.first().filter(|b| !b.is_empty())?;
    Some(format!("bin:{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

/// An identifier as an assertion value in a filter (RFC 4515 §3): binary
/// ones byte by byte.
fn escaped_id(id: &str) -> String {
    match id.strip_prefix("bin:") {
        Some(hex) => hex.as_bytes().chunks(2).map(|pair| format!("\\{}", String::from_utf8_lossy(pair))).collect(),
        None => ldap_escape(id).into_owned(),
    }
}

fn profile_of(dir: &Directory, entry: &SearchEntry) -> Option<DirectoryProfile> {
    let s = &dir.settings;
    let field = |claim: &str| s.attributes.get(claim).and_then(|a| attribute(entry, a)).map(str::to_owned);
    Some(DirectoryProfile {
        entry: entry_id(entry, &s.id_attribute)?,
        username: attribute(entry, &s.username_attribute)?.to_owned(),
        given_name: field("given_name"),
        family_name: field("family_name"),
        email: field("email"),
        phone_number: field("phone_number"),
    })
}

/// Searches the directory; `Ok(None)` unless exactly one entry matches.
async fn find_one(dir: &Directory, ldap: &mut Ldap, filter: &str) -> Result<Option<SearchEntry>, DirectoryError> {
    let wanted = dir.settings.wanted_attributes();
    let found = ldap
        .with_timeout(OPERATION_TIMEOUT)
        .with_search_options(ldap3::SearchOptions::new().sizelimit(SIGN_IN_SIZE_LIMIT))
        .search(&dir.settings.base_dn, Scope::Subtree, filter, wanted)
        .await
        .map_err(|e| unreachable(dir, e))?;
    let ldap3::SearchResult(entries, result) = found;
    // 4: sizeLimitExceeded, more than one entry: ambiguous, nobody's.
    if result.rc == 4 || entries.len() > 1 {
        tracing::warn!(directory = %dir.name, "a user filter matched more than one entry: refused as unknown");
        return Ok(None);
    }
    if result.rc != 0 {
        return Err(DirectoryError::Search { name: dir.name.clone(), reason: result_text(result.rc, &result.text) });
    }
    Ok(entries.into_iter().next().map(SearchEntry::construct))
}

/// What a directory says of a name: nothing (no entry, or one Trame cannot
/// use), or the entry and whether the password binds as it.
enum Lookup {
    Unknown,
    Found { password_ok: bool, profile: DirectoryProfile },
}

/// The one entry a sign-in's filter finds for `username`, with what it
/// says of the agent; `None` when there is none, or when it lacks the
/// username or identifier attribute (refused as unknown).
async fn lookup(dir: &Directory, ldap: &mut Ldap, username: &str) -> Result<Option<(SearchEntry, DirectoryProfile)>, DirectoryError> {
    let Some(entry) = find_one(dir, ldap, &dir.settings.sign_in_filter(&ldap_escape(username))).await? else {
        return Ok(None);
    };
    let Some(profile) = profile_of(dir, &entry) else {
        tracing::warn!(directory = %dir.name, "an entry lacks the username or id attribute: refused as unknown");
        return Ok(None);
    };
    Ok(Some((entry, profile)))
}

/// Checks a password against one directory, binding as the entry the name
/// finds.
async fn bind_as_user(dir: &Directory, username: &str, password: &str) -> Result<Lookup, DirectoryError> {
    let mut ldap = service_connection(dir).await?;
    let (entry, profile) = match lookup(dir, &mut ldap, username).await {
        Ok(Some(found)) => found,
        other => {
            let _ = ldap.unbind().await;
            return other.map(|_| Lookup::Unknown);
        }
    };
    // An empty password would be an unauthenticated bind (RFC 4513
    // §5.1.2), which many servers answer with success: never sent.
    let ok = if password.is_empty() {
        false
    } else {
        let bound = ldap.with_timeout(OPERATION_TIMEOUT).simple_bind(&entry.dn, password).await.map_err(|e| unreachable(dir, e))?;
        match bound.rc {
            0 => true,
            // invalidCredentials; also what a locked account gets.
            49 => false,
            rc => {
                tracing::info!(directory = %dir.name, rc, "a user bind was refused");
                false
            }
        }
    };
    let _ = ldap.unbind().await;
    Ok(Lookup::Found { password_ok: ok, profile })
}

/// Signs an agent in with the password their directory knows: the
/// tenant's directories in turn, until one knows the name. A directory
/// that cannot answer stops the sign-in ([`DirectoryError`]): trying the
/// next might let someone else's entry of the same name in.
pub async fn sign_in(app: &App, tenant: &TenantEntry, username: &str, password: &str) -> Outcome {
    let t = &tenant.tenant;
    if username.is_empty() || username.len() > MAX_USERNAME {
        return Ok(SignIn::Unknown);
    }
    for dir in app.store.directories(&t.id).await? {
        let Lookup::Found { password_ok, profile } = bind_as_user(&dir, username, password).await? else {
            continue;
        };
        if !password_ok {
            let account = app.store.directory_account(&t.id, &dir.id, &profile.entry).await?;
            return Ok(SignIn::WrongPassword { account });
        }
        return match app.store.upsert_directory_account(&t.id, &dir.id, &profile, app.now()).await {
            Ok(account) => Ok(SignIn::Accepted(account)),
            Err(StoreError::Conflict(_)) => Ok(SignIn::LocalNameTaken),
            Err(e) => Err(e.into()),
        };
    }
    Ok(SignIn::Unknown)
}

/// What `trame directory test` found.
#[derive(Debug, Clone)]
pub struct TestReport {
    /// The entry the given username found, if one was given and found.
    pub user: Option<DirectoryProfile>,
    /// When none was: whether the user filter alone finds one (the disabled
    /// filter excludes it: disabled, or a filter the server cannot
    /// evaluate).
    pub excluded_as_disabled: bool,
}

/// Connects, binds as the service account and, given a username, looks
/// the agent up as a sign-in would (without a password).
pub async fn test(dir: &Directory, username: Option<&str>) -> Result<TestReport, DirectoryError> {
    let mut ldap = service_connection(dir).await?;
    let mut excluded_as_disabled = false;
    let user = match username {
        Some(u) => {
            let found = lookup(dir, &mut ldap, u).await?.map(|(_, profile)| profile);
            if found.is_none() && dir.settings.disabled_filter.is_some() {
                let alone = dir.settings.user_filter_with(&ldap_escape(u));
                excluded_as_disabled = find_one(dir, &mut ldap, &alone).await?.is_some();
            }
            found
        }
        None => {
            unknown_to_the_server(dir, &mut ldap).await?;
            // The base DN must exist and be readable.
            let base = ldap
                .with_timeout(OPERATION_TIMEOUT)
                .search(&dir.settings.base_dn, Scope::Base, "(objectClass=*)", vec!["1.1"])
                .await
                .map_err(|e| unreachable(dir, e))?;
            if base.1.rc != 0 {
                return Err(DirectoryError::Search { name: dir.name.clone(), reason: result_text(base.1.rc, &base.1.text) });
            }
            None
        }
    };
    let _ = ldap.unbind().await;
    Ok(TestReport { user, excluded_as_disabled })
}

/// The values of one attribute of the entry `dn`; none when it cannot be read.
async fn values(dir: &Directory, ldap: &mut Ldap, dn: &str, attribute: &str) -> Result<Vec<String>, DirectoryError> {
    let r = ldap.with_timeout(OPERATION_TIMEOUT).search(dn, Scope::Base, "(objectClass=*)", vec![attribute]).await.map_err(|e| unreachable(dir, e))?;
    Ok(r.0.into_iter().map(SearchEntry::construct).flat_map(|e| e.attrs.into_values().flatten()).collect())
}

/// Refuses a disabled filter on attributes the server's schema lacks: it
/// would match nothing there, so no entry would ever be "active" and every
/// agent would be refused. Servers that do not let the service account
/// read their schema are taken at their word.
async fn unknown_to_the_server(dir: &Directory, ldap: &mut Ldap) -> Result<(), DirectoryError> {
    let names = dir.settings.disabled_filter_attributes();
    if names.is_empty() {
        return Ok(());
    }
    let Some(subschema) = values(dir, ldap, "", "subschemaSubentry").await?.into_iter().next() else {
        return Ok(());
    };
    let types = values(dir, ldap, &subschema, "attributeTypes").await?;
    if types.is_empty() {
        return Ok(());
    }
    for name in names {
        let quoted = format!("'{}'", name.to_ascii_lowercase());
        if !types.iter().any(|t| t.to_ascii_lowercase().contains(&quoted)) {
            return Err(DirectoryError::Search {
                name: dir.name.clone(),
                reason: format!(
                    "the server does not know the attribute {name} of the disabled filter, so the filter would exclude every agent (an OpenLDAP without the ppolicy overlay has no pwdAccountLockedTime): give --disabled-filter '' or a filter on an attribute it knows"
                ),
            });
        }
    }
    Ok(())
}

/// Why a directory's settings were refused.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error(transparent)]
    Refused(#[from] trame_core::directory::DirectoryError),
    #[error("a directory named '{0}' exists already")]
    Exists(String),
    #[error(transparent)]
    Store(StoreError),
}

/// Checks a filter template's syntax with the LDAP library's own parser,
/// on the template with a sample name put in.
fn parses(field: &'static str, template: &str) -> Result<(), trame_core::directory::DirectoryError> {
    match ldap3::parse_filter(template.replace(USERNAME_PLACEHOLDER, "sample")) {
        Ok(_) => Ok(()),
        Err(()) => Err(trame_core::directory::DirectoryError { field, reason: format!("'{template}' is not a valid LDAP filter (RFC 4515)") }),
    }
}

/// A directory's settings as asked for, after the rules of
/// `trame_core::directory::check` and the filters' syntax.
pub fn check(req: DirectoryRequest) -> Result<DirectorySettings, trame_core::directory::DirectoryError> {
    let settings = trame_core::directory::check(req)?;
    parses("user_filter", &settings.user_filter)?;
    if let Some(d) = &settings.disabled_filter {
        parses("disabled_filter", d)?;
    }
    Ok(settings)
}

/// Adds a directory ([`check`]ed settings) to a tenant.
pub async fn add(
    app: &App,
    tenant: &TenantEntry,
    name: &str,
    settings: &DirectorySettings,
    bind_password: &str,
    by: impl Into<audit::By>,
) -> Result<Directory, AddError> {
    trame_core::directory::check_name(name)?;
    let t = &tenant.tenant;
    let dir = match app.store.add_directory(&t.id, name, settings, bind_password, app.now()).await {
        Ok(d) => d,
        Err(StoreError::Conflict(_)) => return Err(AddError::Exists(name.to_owned())),
        Err(e) => return Err(AddError::Store(e)),
    };
    let event = Event::new(&t.id, by, "directory.added").on(format!("directory:{name}")).with(serde_json::json!({ "host": settings.host() }));
    audit::record(&app.store, app.now(), event).await;
    Ok(dir)
}

/// Removes a directory; its accounts stay as local accounts without a
/// password. `None` when the tenant has no such directory, else how many
/// accounts it managed.
pub async fn remove(app: &App, tenant: &TenantEntry, name: &str, by: impl Into<audit::By>) -> Result<Option<u64>, StoreError> {
    let t = &tenant.tenant;
    let removed = app.store.remove_directory(&t.id, name).await?;
    if let Some(n) = removed {
        let event = Event::new(&t.id, by, "directory.removed").on(format!("directory:{name}")).with(serde_json::json!({ "accounts": n }));
        audit::record(&app.store, app.now(), event).await;
    }
    Ok(removed)
}

/// What one sync pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub checked: usize,
    /// Accounts disabled because their entry is gone, disabled or no
    /// longer matches the user filter.
    pub suspended: usize,
}

/// Checks every account a directory manages against it: an entry gone,
/// disabled or out of the user filter disables the account and ends its
/// sessions. An unreachable directory changes nothing (an outage must not
/// lock every agent out).
pub async fn sync(app: &App, tenant: &TenantEntry, dir: &Directory) -> Result<SyncReport, DirectoryError> {
    let t = &tenant.tenant;
    let accounts = app.store.directory_accounts(&t.id, &dir.id).await?;
    let mut report = SyncReport::default();
    let mut ldap = service_connection(dir).await?;
    for a in accounts.iter().filter(|a| !a.disabled) {
        report.checked += 1;
        let filter = dir.settings.sync_filter(&ldap_escape(&a.username), &escaped_id(&a.entry));
        if find_one(dir, &mut ldap, &filter).await?.is_some() {
            continue;
        }
        if app.store.suspend_directory_account(&t.id, &dir.id, &a.user_id, app.now()).await? {
            report.suspended += 1;
            crate::users::end_sessions(app, tenant, &a.user_id).await?;
            let event = Event::new(&t.id, Actor::Directory(dir.name.clone()), "user.disabled").on(audit::user(&a.user_id));
            audit::record(&app.store, app.now(), event.with(serde_json::json!({ "reason": "directory" }))).await;
        }
    }
    let _ = ldap.unbind().await;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_are_escaped_per_rfc_4515() {
        // The characters that would change a filter's meaning become
        // escapes: no name can widen a search or add a clause.
        assert_eq!(ldap_escape("*"), "\\2a");
        assert_eq!(ldap_escape("jdupont)(uid=*"), "jdupont\\29\\28uid=\\2a");
        assert_eq!(ldap_escape("a\\b\0"), "a\\5cb\\00");
        assert_eq!(escaped_id("bin:0aff"), "\\0a\\ff");
        assert_eq!(escaped_id("5f91d8d6-870a*"), "5f91d8d6-870a\\2a");
    }
}
