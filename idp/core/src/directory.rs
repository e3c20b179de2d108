//! A tenant's LDAP directory (OpenLDAP, Active Directory): the settings an
//! operator gives, their rules, and the filters Trame sends. No IO: the
//! connection, the binds and the searches are `trame_app::directory`'s.
//!
//! A directory is where an agent's password is checked (Trame binds as the
//! agent, never keeps the password) and where an agent's names and e-mail
//! address come from. The search filters are the operator's templates with
//! `{username}` (or the entry's stable identifier) put in already escaped
//! per RFC 4515 by the caller: the escape function belongs to the LDAP
//! library, the places it is applied are here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use url::Url;

/// The profile fields a directory may fill, and what they are called in
/// Trame (the claims of OpenID Connect Core §5.1).
pub const CLAIMS: &[&str] = &["given_name", "family_name", "email", "phone_number"];

/// Where the placeholder for the typed username goes in a user filter.
pub const USERNAME_PLACEHOLDER: &str = "{username}";

/// The longest username sent to a directory: a name longer than any
/// directory's is refused before any request.
pub const MAX_USERNAME: usize = 256;

/// A preset: the attribute names of a kind of directory, so `--preset
/// openldap` or `--preset active-directory` is all an operator types
/// besides where the directory is and how to bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    OpenLdap,
    ActiveDirectory,
}

impl Preset {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "openldap" => Some(Self::OpenLdap),
            "active-directory" => Some(Self::ActiveDirectory),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OpenLdap => "openldap",
            Self::ActiveDirectory => "active-directory",
        }
    }

    /// The user filter: OpenLDAP's `uid`; Active Directory's account name,
    /// either form (`jdupont` or `jdupont@mairie.fr`).
    pub fn user_filter(self) -> &'static str {
        match self {
            Self::OpenLdap => "(&(objectClass=inetOrgPerson)(uid={username}))",
            Self::ActiveDirectory => "(&(objectClass=user)(objectCategory=person)(|(sAMAccountName={username})(userPrincipalName={username})))",
        }
    }

    /// What marks an entry as disabled: ppolicy's lock on OpenLDAP, the
    /// ACCOUNTDISABLE bit (2) of `userAccountControl` on Active Directory
    /// (a bitwise-AND matching rule, OID 1.2.840.113556.1.4.803).
    pub fn disabled_filter(self) -> &'static str {
        match self {
            Self::OpenLdap => "(pwdAccountLockedTime=*)",
            Self::ActiveDirectory => "(userAccountControl:1.2.840.113556.1.4.803:=2)",
        }
    }

    /// The attribute whose value is the account's username in Trame.
    pub fn username_attribute(self) -> &'static str {
        match self {
            Self::OpenLdap => "uid",
            Self::ActiveDirectory => "sAMAccountName",
        }
    }

    /// The attribute that names an entry for life (a rename or a move keeps
    /// it): RFC 4530's `entryUUID`, Active Directory's `objectGUID`.
    pub fn id_attribute(self) -> &'static str {
        match self {
            Self::OpenLdap => "entryUUID",
            Self::ActiveDirectory => "objectGUID",
        }
    }

    /// Where the profile fields come from (`inetOrgPerson` on both).
    pub fn attributes(self) -> BTreeMap<String, String> {
        let pairs: &[(&str, &str)] = match self {
            Self::OpenLdap => &[("given_name", "givenName"), ("family_name", "sn"), ("email", "mail"), ("phone_number", "telephoneNumber")],
            Self::ActiveDirectory => &[("given_name", "givenName"), ("family_name", "sn"), ("email", "mail"), ("phone_number", "telephoneNumber")],
        };
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }
}

/// How the connection is protected. A password never crosses the network
/// in clear: plain `ldap://` is only accepted with StartTLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transport {
    /// `ldaps://`: TLS from the first byte.
    Ldaps,
    /// `ldap://` upgraded by the StartTLS extended operation (RFC 4513 §3)
    /// before any bind.
    StartTls,
}

/// A directory as stored: everything but the service account's password,
/// which is sealed apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectorySettings {
    /// `ldaps://host[:port]` or `ldap://host[:port]`, without DN or query.
    pub url: String,
    pub transport: Transport,
    /// The certificate authorities (PEM) that may sign the server's
    /// certificate; the system's when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_pem: Option<String>,
    /// The service account that searches.
    pub bind_dn: String,
    /// Where accounts are searched (the whole subtree).
    pub base_dn: String,
    /// The user filter, with [`USERNAME_PLACEHOLDER`] where the typed name
    /// goes.
    pub user_filter: String,
    /// Entries it matches cannot sign in (and their accounts are disabled
    /// by the next sync).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_filter: Option<String>,
    /// The attribute whose value becomes the account's username.
    pub username_attribute: String,
    /// The attribute that identifies an entry for life.
    pub id_attribute: String,
    /// Trame profile field → directory attribute.
    pub attributes: BTreeMap<String, String>,
}

impl DirectorySettings {
    /// The search for the account someone typed: the user filter with the
    /// name (already escaped by the caller), without disabled entries.
    pub fn sign_in_filter(&self, escaped_username: &str) -> String {
        self.active(&self.user_filter_with(escaped_username))
    }

    /// The user filter alone with the name (already escaped) put in:
    /// disabled entries included.
    pub fn user_filter_with(&self, escaped_username: &str) -> String {
        self.user_filter.replace(USERNAME_PLACEHOLDER, escaped_username)
    }

    /// The search a sync makes for one account: the user filter with its
    /// username, and the entry's identifier, without disabled entries; no
    /// entry means the account may no longer sign in.
    pub fn sync_filter(&self, escaped_username: &str, escaped_id: &str) -> String {
        let by_id = format!("({}={escaped_id})", self.id_attribute);
        self.active(&format!("(&{}{by_id})", self.user_filter_with(escaped_username)))
    }

    /// The attribute names the disabled filter tests (what a server that
    /// does not know them would evaluate as matching nothing).
    pub fn disabled_filter_attributes(&self) -> Vec<String> {
        self.disabled_filter.as_deref().map(filter_attributes).unwrap_or_default()
    }

    fn active(&self, filter: &str) -> String {
        match &self.disabled_filter {
            Some(d) => format!("(&{filter}(!{d}))"),
            None => filter.to_owned(),
        }
    }

    /// The attributes a search asks for.
    pub fn wanted_attributes(&self) -> Vec<String> {
        let mut out = vec![self.username_attribute.clone(), self.id_attribute.clone()];
        out.extend(self.attributes.values().cloned());
        out.sort();
        out.dedup();
        out
    }

    /// `host:port`, for messages and the audit trail.
    pub fn host(&self) -> String {
        Url::parse(&self.url).ok().map(|u| format!("{}:{}", u.host_str().unwrap_or_default(), u.port().unwrap_or(self.default_port()))).unwrap_or_default()
    }

    fn default_port(&self) -> u16 {
        match self.transport {
            Transport::Ldaps => 636,
            Transport::StartTls => 389,
        }
    }
}

/// The attribute names a filter's items test: what follows each `(` up to
/// the item's operator (`=`, `~=`, `>=`, `<=`, `:`), operators `&|!` left
/// out.
pub fn filter_attributes(filter: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in filter.split('(').skip(1) {
        let name: String = item.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.').collect();
        if !name.is_empty() && !out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
    }
    out
}

/// A directory as asked for (`trame directory add`, the admin API later).
#[derive(Debug, Clone, Default)]
pub struct DirectoryRequest {
    pub name: String,
    pub preset: Option<String>,
    pub url: String,
    pub starttls: bool,
    pub ca_pem: Option<String>,
    pub bind_dn: String,
    pub base_dn: String,
    pub user_filter: Option<String>,
    pub disabled_filter: Option<String>,
    pub username_attribute: Option<String>,
    pub id_attribute: Option<String>,
    /// `claim=attribute` pairs, over the preset's.
    pub attributes: Vec<String>,
}

/// A refused directory setting, named by its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct DirectoryError {
    pub field: &'static str,
    pub reason: String,
}

fn bad(field: &'static str, reason: impl Into<String>) -> DirectoryError {
    DirectoryError { field, reason: reason.into() }
}

/// The name of a directory within its tenant: what `directory test` and
/// `directory remove` are given.
pub fn check_name(name: &str) -> Result<(), DirectoryError> {
    let ok = !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok { Ok(()) } else { Err(bad("name", format!("'{name}' must be 1 to 64 lowercase letters, digits or '-'"))) }
}

/// An attribute description (RFC 4512 §2.5: a name or an OID).
fn attribute_name(field: &'static str, a: &str) -> Result<(), DirectoryError> {
    let name = !a.is_empty() && a.len() <= 64 && a.as_bytes()[0].is_ascii_alphabetic() && a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let oid = !a.is_empty() && a.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if name || oid { Ok(()) } else { Err(bad(field, format!("'{a}' is not an LDAP attribute name"))) }
}

/// A filter template's shape; its syntax is checked by the caller with the
/// LDAP library's parser, on the template with a sample value put in.
fn filter_template(field: &'static str, f: &str, needs_username: bool) -> Result<(), DirectoryError> {
    if !f.starts_with('(') || !f.ends_with(')') || f.len() > 1024 {
        return Err(bad(field, "must be one parenthesised LDAP filter (RFC 4515) of at most 1024 characters"));
    }
    if needs_username && !f.contains(USERNAME_PLACEHOLDER) {
        return Err(bad(field, format!("must contain {USERNAME_PLACEHOLDER} where the typed name goes")));
    }
    if !needs_username && f.contains(USERNAME_PLACEHOLDER) {
        return Err(bad(field, format!("has no {USERNAME_PLACEHOLDER}: it applies to every entry")));
    }
    Ok(())
}

/// A distinguished name: not empty, one line. Its syntax is the server's
/// to judge (`directory test` binds and searches with it).
fn dn(field: &'static str, d: &str) -> Result<(), DirectoryError> {
    if d.trim().is_empty() || d.len() > 1024 || d.chars().any(char::is_control) {
        return Err(bad(field, "must be a distinguished name such as cn=trame,ou=services,dc=mairie,dc=fr"));
    }
    Ok(())
}

/// Applies the rules; the result is what gets stored (with the name).
pub fn check(req: DirectoryRequest) -> Result<DirectorySettings, DirectoryError> {
    check_name(&req.name)?;
    let preset = match req.preset.as_deref() {
        None => None,
        Some(p) => Some(Preset::parse(p).ok_or_else(|| bad("preset", format!("'{p}' is not openldap or active-directory")))?),
    };
    let url = Url::parse(&req.url).map_err(|_| bad("url", format!("'{}' is not a URL", req.url)))?;
    let transport = match (url.scheme(), req.starttls) {
        ("ldaps", false) => Transport::Ldaps,
        ("ldaps", true) => return Err(bad("starttls", "an ldaps:// URL is TLS already: StartTLS is for ldap:// URLs")),
        ("ldap", true) => Transport::StartTls,
        ("ldap", false) => return Err(bad("url", "ldap:// would send passwords in clear: add --starttls, or use ldaps://")),
        (s, _) => return Err(bad("url", format!("'{s}' is not ldaps or ldap"))),
    };
    if url.host_str().is_none_or(str::is_empty)
        || !matches!(url.path(), "" | "/")
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return Err(bad("url", "must be ldaps://host[:port] or ldap://host[:port], with no DN, query or credentials"));
    }
    let url = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default()) + &url.port().map(|p| format!(":{p}")).unwrap_or_default();
    if let Some(pem) = &req.ca_pem
        && !pem.contains("-----BEGIN CERTIFICATE-----")
    {
        return Err(bad("ca_file", "holds no PEM certificate"));
    }
    dn("bind_dn", &req.bind_dn)?;
    dn("base_dn", &req.base_dn)?;
    let pick = |given: Option<String>, preset_value: Option<&str>, field: &'static str| {
        given.or_else(|| preset_value.map(str::to_owned)).ok_or_else(|| bad(field, "is needed without a --preset"))
    };
    let user_filter = pick(req.user_filter, preset.map(Preset::user_filter), "user_filter")?;
    filter_template("user_filter", &user_filter, true)?;
    // An empty --disabled-filter turns the preset's off (an OpenLDAP
    // without the ppolicy overlay does not know pwdAccountLockedTime, and
    // a filter on an unknown attribute matches nothing).
    let disabled_filter = match req.disabled_filter {
        Some(f) if f.is_empty() => None,
        Some(f) => Some(f),
        None => preset.map(|p| p.disabled_filter().to_owned()),
    };
    if let Some(d) = &disabled_filter {
        filter_template("disabled_filter", d, false)?;
    }
    let username_attribute = pick(req.username_attribute, preset.map(Preset::username_attribute), "username_attribute")?;
    attribute_name("username_attribute", &username_attribute)?;
    let id_attribute = pick(req.id_attribute, preset.map(Preset::id_attribute), "id_attribute")?;
    attribute_name("id_attribute", &id_attribute)?;
    let mut attributes = preset.map(Preset::attributes).unwrap_or_default();
    for pair in &req.attributes {
        let Some((claim, attr)) = pair.split_once('=') else {
            return Err(bad("attr", format!("'{pair}' is not claim=attribute")));
        };
        if !CLAIMS.contains(&claim) {
            return Err(bad("attr", format!("'{claim}' is not a field a directory fills (known: {})", CLAIMS.join(", "))));
        }
        attribute_name("attr", attr)?;
        attributes.insert(claim.to_owned(), attr.to_owned());
    }
    Ok(DirectorySettings {
        url,
        transport,
        ca_pem: req.ca_pem,
        bind_dn: req.bind_dn,
        base_dn: req.base_dn,
        user_filter,
        disabled_filter,
        username_attribute,
        id_attribute,
        attributes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openldap() -> DirectoryRequest {
        DirectoryRequest {
            name: "agents".into(),
            preset: Some("openldap".into()),
            url: "ldaps://ldap.mairie.fr".into(),
            bind_dn: "cn=trame,ou=services,dc=mairie,dc=fr".into(),
            base_dn: "ou=people,dc=mairie,dc=fr".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_preset_fills_the_attribute_names() {
        let s = check(openldap()).unwrap();
        assert_eq!(s.transport, Transport::Ldaps);
        assert_eq!(s.url, "ldaps://ldap.mairie.fr");
        assert_eq!(s.username_attribute, "uid");
        assert_eq!(s.id_attribute, "entryUUID");
        assert_eq!(s.attributes["email"], "mail");
        assert_eq!(s.sign_in_filter("jdupont"), "(&(&(objectClass=inetOrgPerson)(uid=jdupont))(!(pwdAccountLockedTime=*)))");
        assert_eq!(s.host(), "ldap.mairie.fr:636");
        let ad = check(DirectoryRequest { preset: Some("active-directory".into()), ..openldap() }).unwrap();
        assert!(ad.sign_in_filter("x").contains("(sAMAccountName=x)(userPrincipalName=x)"));
        assert!(ad.sign_in_filter("x").ends_with("(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"));
    }

    #[test]
    fn given_values_override_the_preset() {
        let s = check(DirectoryRequest {
            user_filter: Some("(mail={username})".into()),
            disabled_filter: Some("(employeeType=former)".into()),
            attributes: vec!["email=mailPrimaryAddress".into()],
            ..openldap()
        })
        .unwrap();
        assert_eq!(s.sync_filter("a", "b"), "(&(&(mail=a)(entryUUID=b))(!(employeeType=former)))");
        assert_eq!(s.attributes["email"], "mailPrimaryAddress");
        assert_eq!(s.attributes["given_name"], "givenName");
        assert_eq!(s.disabled_filter_attributes(), ["employeeType"]);
        assert_eq!(filter_attributes("(&(!(a=1))(|(b:1.2.3:=2)(c>=3)))"), ["a", "b", "c"]);
        let none = check(DirectoryRequest { disabled_filter: Some(String::new()), ..openldap() }).unwrap();
        assert_eq!(none.sign_in_filter("a"), "(&(objectClass=inetOrgPerson)(uid=a))", "an empty disabled filter turns the preset's off");
        assert!(s.wanted_attributes().contains(&"mailPrimaryAddress".to_owned()));
    }

    #[test]
    fn passwords_never_travel_in_clear() {
        let plain = check(DirectoryRequest { url: "ldap://ldap.mairie.fr".into(), ..openldap() }).unwrap_err();
        assert_eq!(plain.field, "url");
        let s = check(DirectoryRequest { url: "ldap://ldap.mairie.fr:3890".into(), starttls: true, ..openldap() }).unwrap();
        assert_eq!(s.transport, Transport::StartTls);
        assert_eq!(s.host(), "ldap.mairie.fr:3890");
        assert_eq!(check(DirectoryRequest { starttls: true, ..openldap() }).unwrap_err().field, "starttls");
    }

    #[test]
    fn bad_settings_are_named() {
        let field = |r: DirectoryRequest| check(r).unwrap_err().field;
        assert_eq!(field(DirectoryRequest { url: "https://ldap.mairie.fr".into(), ..openldap() }), "url");
        assert_eq!(field(DirectoryRequest { url: "ldaps://ldap.mairie.fr/dc=x".into(), ..openldap() }), "url");
        assert_eq!(field(DirectoryRequest { url: "ldaps://u:p@ldap.mairie.fr".into(), ..openldap() }), "url");
        assert_eq!(field(DirectoryRequest { name: "Agents".into(), ..openldap() }), "name");
        assert_eq!(field(DirectoryRequest { preset: Some("novell".into()), ..openldap() }), "preset");
        assert_eq!(field(DirectoryRequest { preset: None, ..openldap() }), "user_filter");
        assert_eq!(field(DirectoryRequest { user_filter: Some("(uid=jdupont)".into()), ..openldap() }), "user_filter");
        assert_eq!(field(DirectoryRequest { user_filter: Some("uid={username}".into()), ..openldap() }), "user_filter");
        assert_eq!(field(DirectoryRequest { disabled_filter: Some("(uid={username})".into()), ..openldap() }), "disabled_filter");
        assert_eq!(field(DirectoryRequest { attributes: vec!["password=userPassword".into()], ..openldap() }), "attr");
        assert_eq!(field(DirectoryRequest { attributes: vec!["email=mail)(x".into()], ..openldap() }), "attr");
        assert_eq!(field(DirectoryRequest { bind_dn: "".into(), ..openldap() }), "bind_dn");
        assert_eq!(field(DirectoryRequest { ca_pem: Some("junk".into()), ..openldap() }), "ca_file");
    }
}
