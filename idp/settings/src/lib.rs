//! Settings: built-in defaults, then `trame.toml`, then `TRAME_*` variables.
//!
//! Every setting has a zero-configuration default, so `trame serve` on an
//! empty directory runs. [`Config::load`] returns every problem it finds,
//! each named by its key, which is what `trame check-config` prints.
//!
//! A crate of its own, apart from the `trame` binary that loads the
//! settings and from trame-app that acts on them, so that the settings'
//! parsers can be fuzzed without the HTTP and storage stack: it holds the
//! syntax of the mail settings ([`mail`]) and the outbound ones
//! ([`outbound`]), which trame-app re-exports where it uses them.

pub mod mail;
pub mod outbound;
pub mod providers;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use trame_core::ids::Issuer;

use crate::mail::{MailConfig, MailSettingError};
use crate::outbound::{ProxyUrl, Reach};
use crate::providers::{Provider, RawProvider};

/// The keys a `TRAME_` variable may set. Other `TRAME_*` variables (for
/// instance a test harness's own) are not ours and are left alone.
const KEYS: &[&str] = &[
    "listen",
    "public_url",
    "data_dir",
    "database_url",
    "database_url_file",
    "redis_url",
    "redis_url_file",
    "redis_prefix",
    "log_format",
    "log_level",
    "trusted_proxies",
    "tls_cert_file",
    "tls_key_file",
    "master_key_file",
    "smtp_url",
    "smtp_url_file",
    "mail_from",
    "mail_outbox_dir",
    "outbound_reach",
    "outbound_proxy",
    "password_hash_concurrency",
    "metrics_listen",
    "audit_retention_days",
    "audit_address_days",
    "directory_sync_minutes",
    "console_acr",
    "themes_dir",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The settings file as written; `Option`s stay unset when absent so that
/// derived defaults (database under `data_dir`…) can be filled in later.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    listen: String,
    public_url: String,
    data_dir: PathBuf,
    database_url: Option<String>,
    redis_url: Option<String>,
    /// `<secret>_file`: a file holding the secret setting (container and
    /// systemd credentials), instead of the value in the environment.
    database_url_file: Option<PathBuf>,
    redis_url_file: Option<PathBuf>,
    smtp_url_file: Option<PathBuf>,
    redis_prefix: String,
    log_format: LogFormat,
    log_level: String,
    trusted_proxies: Vec<String>,
    tls_cert_file: Option<PathBuf>,
    tls_key_file: Option<PathBuf>,
    master_key_file: Option<PathBuf>,
    /// A secret (it holds the SMTP password): never echoed in a problem.
    smtp_url: Option<String>,
    mail_from: Option<String>,
    mail_outbox_dir: Option<PathBuf>,
    /// `public` or `any`: which addresses Trame's own requests (a client's
    /// jwks_uri, sector identifier, logout URIs) may reach.
    outbound_reach: Option<String>,
    /// An HTTP proxy for those requests; the environment's proxies
    /// (`HTTPS_PROXY`…) are never used.
    outbound_proxy: Option<String>,
    /// Argon2 runs at once (sign-ins, password changes); default one per core.
    password_hash_concurrency: Option<usize>,
    /// Where Prometheus scrapes `/metrics`; no metrics when unset or empty.
    metrics_listen: Option<String>,
    /// How long audit records are kept; default 365 days.
    audit_retention_days: Option<u32>,
    /// After how many days an audit record's client address is cut to its
    /// network (/24, /48); default 30.
    audit_address_days: Option<u32>,
    /// How often the accounts of LDAP directories are checked against
    /// them (disabled or deleted entries); default 15 minutes.
    directory_sync_minutes: Option<u32>,
    /// The level a person must have signed in at to use the
    /// administration console; default `eidas2` (a passkey).
    console_acr: Option<String>,
    /// A folder of theme overrides and language packs (`<slug>/templates`,
    /// `<slug>/static`, `<slug>/locales/<lang>`, `locales/<lang>`), read
    /// again when it changes; none by default.
    themes_dir: Option<PathBuf>,
    /// The providers the installation depends on (`[[providers]]`), for
    /// the transparency page; in the file only.
    providers: Vec<RawProvider>,
}

impl Default for Raw {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            public_url: "http://localhost:8080".into(),
            data_dir: PathBuf::from("trame-data"),
            database_url: None,
            redis_url: None,
            database_url_file: None,
            redis_url_file: None,
            smtp_url_file: None,
            redis_prefix: "trame:".into(),
            log_format: LogFormat::Text,
            log_level: "info".into(),
            trusted_proxies: Vec::new(),
            tls_cert_file: None,
            tls_key_file: None,
            master_key_file: None,
            smtp_url: None,
            mail_from: None,
            mail_outbox_dir: None,
            outbound_reach: None,
            outbound_proxy: None,
            password_hash_concurrency: None,
            metrics_listen: None,
            audit_retention_days: None,
            audit_address_days: None,
            directory_sync_minutes: None,
            console_acr: None,
            themes_dir: None,
            providers: Vec::new(),
        }
    }
}

/// Certificate and key files for the built-in TLS listener.
#[derive(Debug, Clone)]
pub struct Tls {
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// The default tenant's issuer, and the base of new tenants' issuers.
    pub public_url: Issuer,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub redis_url: Option<String>,
    pub redis_prefix: String,
    pub log_format: LogFormat,
    pub log_level: String,
    pub trusted_proxies: Vec<IpNet>,
    pub tls: Option<Tls>,
    pub master_key_file: PathBuf,
    /// Outgoing mail. Its `Debug` hides `smtp_url`.
    pub mail: MailConfig,
    /// Which addresses outbound requests may reach, for every tenant; when
    /// unset, per tenant: any for a tenant whose issuer is on localhost
    /// (development), public only for the others.
    pub outbound_reach: Option<Reach>,
    /// The proxy of outbound requests, if any.
    pub outbound_proxy: Option<ProxyUrl>,
    /// Argon2 runs at once; more wait (each holds 19 MiB and a core).
    pub password_hash_concurrency: usize,
    /// The metrics listener (`GET /metrics`), apart from `listen` so that
    /// the public never reaches it; none when unset.
    pub metrics_listen: Option<SocketAddr>,
    /// Days audit records are kept (at least 1).
    pub audit_retention_days: u32,
    /// Days an audit record keeps its full client address (at most the
    /// retention).
    pub audit_address_days: u32,
    /// Minutes between two checks of directory accounts (at least 1).
    pub directory_sync_minutes: u32,
    /// The level ([`trame_core::assurance::LEVELS`]) the console asks of
    /// the people who use it.
    pub console_acr: String,
    /// The declared providers (`[[providers]]`), checked.
    pub providers: Vec<Provider>,
    /// The themes folder, if any (an existing directory).
    pub themes_dir: Option<PathBuf>,
}

/// One problem in the settings, named by its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// All the problems found; loading fails if there is any.
#[derive(Debug)]
pub struct ConfigError(pub Vec<Problem>);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self.0.iter().map(Problem::to_string).collect();
        write!(f, "invalid configuration: {}", lines.join("; "))
    }
}

impl std::error::Error for ConfigError {}

fn problem(key: &str, message: impl Into<String>) -> Problem {
    Problem { key: key.to_owned(), message: message.into() }
}

impl Config {
    /// Loads the settings. `file` is the `--config` path: when given it must
    /// exist; when not, `./trame.toml` is read if present.
    pub fn load(file: Option<&Path>, env: &[(String, String)]) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Raw::default()));
        if let Some(path) = file
            && !path.exists()
        {
            return Err(ConfigError(vec![problem("--config", format!("{} does not exist", path.display()))]));
        }
        let implicit = Path::new("trame.toml");
        if let Some(path) = file.or(implicit.exists().then_some(implicit)) {
            figment = figment.merge(Toml::file_exact(path));
        }
        Self::extract(figment, env)
    }

    /// The settings from TOML text instead of a file, otherwise as
    /// [`Config::load`] reads them (the fuzz target `config_toml` feeds it).
    pub fn from_toml(text: &str, env: &[(String, String)]) -> Result<Self, ConfigError> {
        Self::extract(Figment::from(Serialized::defaults(Raw::default())).merge(Toml::string(text)), env)
    }

    fn extract(mut figment: Figment, env: &[(String, String)]) -> Result<Self, ConfigError> {
        // The environment is passed in rather than read here so that tests
        // do not depend on the process environment.
        let vars: Vec<(String, String)> = env
            .iter()
            .filter_map(|(k, v)| {
                let key = k.strip_prefix("TRAME_")?.to_ascii_lowercase();
                KEYS.contains(&key.as_str()).then(|| (key, v.clone()))
            })
            .collect();
        for (key, value) in &vars {
            figment = figment.merge(Serialized::default(key, env_value(key, value)));
        }
        let raw: Raw = figment.extract().map_err(|e| ConfigError(e.into_iter().map(figment_problem).collect()))?;
        Self::validate(raw)
    }

    fn validate(mut raw: Raw) -> Result<Self, ConfigError> {
        let mut problems = Vec::new();
        raw.database_url = secret_setting("database_url", raw.database_url.take(), raw.database_url_file.as_deref(), &mut problems);
        raw.redis_url = secret_setting("redis_url", raw.redis_url.take(), raw.redis_url_file.as_deref(), &mut problems);
        raw.smtp_url = secret_setting("smtp_url", raw.smtp_url.take(), raw.smtp_url_file.as_deref(), &mut problems);
        let listen = raw.listen.parse::<SocketAddr>().map_err(|_| problem("listen", format!("'{}' is not an address such as 127.0.0.1:8080", raw.listen)));
        let public_url = Issuer::parse(raw.public_url.trim_end_matches('/'))
            .map_err(|e| problem("public_url", format!("'{}' is not usable as an issuer: {e}", raw.public_url)));
        let database_url = raw.database_url.clone().unwrap_or_else(|| sqlite_url(&raw.data_dir.join("trame.db")));
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            problems.push(problem("database_url", "must start with sqlite: or postgres://"));
        }
        if let Some(r) = &raw.redis_url
            && !(r.starts_with("redis://") || r.starts_with("rediss://") || r.starts_with("redis+unix://"))
        {
            problems.push(problem("redis_url", "must start with redis://, rediss:// or redis+unix://"));
        }
        if raw.log_level.parse::<tracing_subscriber::EnvFilter>().is_err() {
            problems.push(problem("log_level", format!("'{}' is not a level or filter (error, warn, info, debug, trace)", raw.log_level)));
        }
        let mut trusted_proxies = Vec::new();
        for p in &raw.trusted_proxies {
            match p.parse::<IpNet>().or_else(|_| p.parse::<IpAddr>().map(IpNet::from)) {
                Ok(net) => trusted_proxies.push(net),
                Err(_) => problems.push(problem("trusted_proxies", format!("'{p}' is not an IP address or CIDR network"))),
            }
        }
        let mail = mail_config(&raw, &mut problems);
        let tls = match (raw.tls_cert_file, raw.tls_key_file) {
            (None, None) => None,
            (Some(cert_file), Some(key_file)) => {
                for (key, path) in [("tls_cert_file", &cert_file), ("tls_key_file", &key_file)] {
                    if !path.is_file() {
                        problems.push(problem(key, format!("{} is not a readable file", path.display())));
                    }
                }
                Some(Tls { cert_file, key_file })
            }
            (Some(_), None) => {
                problems.push(problem("tls_key_file", "is required when tls_cert_file is set"));
                None
            }
            (None, Some(_)) => {
                problems.push(problem("tls_cert_file", "is required when tls_key_file is set"));
                None
            }
        };
        if raw.redis_prefix.is_empty() {
            problems.push(problem("redis_prefix", "must not be empty"));
        }
        let reach_setting = match raw.outbound_reach.as_deref() {
            None => None,
            Some("public") => Some(Reach::PublicOnly),
            Some("any") => Some(Reach::Anywhere),
            Some(other) => {
                problems.push(problem("outbound_reach", format!("'{other}' is not public or any")));
                None
            }
        };
        // Empty counts as unset, as for metrics_listen.
        let outbound_proxy = match raw.outbound_proxy.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => match ProxyUrl::parse(p) {
                Ok(u) => Some(u),
                Err(why) => {
                    // Never quoted: a proxy URL may hold a password.
                    problems.push(problem("outbound_proxy", why));
                    None
                }
            },
        };
        // Empty counts as unset, so `TRAME_METRICS_LISTEN=` turns off one
        // set in the file.
        let metrics_listen = match raw.metrics_listen.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(addr) => match addr.parse::<SocketAddr>() {
                Ok(a) => Some(a),
                Err(_) => {
                    problems.push(problem("metrics_listen", format!("'{addr}' is not an address such as 127.0.0.1:9464")));
                    None
                }
            },
        };
        if raw.password_hash_concurrency == Some(0) {
            problems.push(problem("password_hash_concurrency", "must be at least 1"));
        }
        let audit_retention_days = raw.audit_retention_days.unwrap_or(365);
        let audit_address_days = raw.audit_address_days.unwrap_or(30);
        if audit_retention_days == 0 {
            problems.push(problem("audit_retention_days", "must be at least 1"));
        } else if audit_address_days > audit_retention_days {
            problems.push(problem("audit_address_days", format!("must not exceed audit_retention_days ({audit_retention_days})")));
        }
        let directory_sync_minutes = raw.directory_sync_minutes.unwrap_or(15);
        if directory_sync_minutes == 0 {
            problems.push(problem("directory_sync_minutes", "must be at least 1"));
        }
        let console_acr = raw.console_acr.clone().unwrap_or_else(|| "eidas2".to_owned());
        if !trame_core::assurance::LEVELS.contains(&console_acr.as_str()) {
            problems.push(problem("console_acr", format!("'{console_acr}' is not one of {}", trame_core::assurance::LEVELS.join(", "))));
        }
        // Empty counts as unset, as for metrics_listen.
        let themes_dir = raw.themes_dir.clone().filter(|d| !d.as_os_str().is_empty());
        if let Some(d) = &themes_dir
            && !d.is_dir()
        {
            problems.push(problem("themes_dir", format!("{} is not a directory", d.display())));
        }
        let mut providers = Vec::new();
        for p in &raw.providers {
            match providers::check(p) {
                Ok(p) => providers.push(p),
                Err(why) => problems.push(problem("providers", why)),
            }
        }
        let (listen, public_url) = match (listen, public_url) {
            (Ok(l), Ok(_))
                if problems.is_empty()
                    && metrics_listen.is_some_and(|m| m.port() == l.port() && (m.ip() == l.ip() || m.ip().is_unspecified() || l.ip().is_unspecified())) =>
            {
                // Metrics on the public listener would publish them.
                return Err(ConfigError(vec![problem("metrics_listen", format!("must not be the address of listen ({l})"))]));
            }
            (Ok(l), Ok(p)) if problems.is_empty() => (l, p),
            (l, p) => {
                problems.extend(l.err());
                problems.extend(p.err());
                return Err(ConfigError(problems));
            }
        };
        Ok(Self {
            // Unset: decided per tenant from its issuer (trame_app::outbound::for_issuer).
            outbound_reach: reach_setting,
            outbound_proxy,
            password_hash_concurrency: raw.password_hash_concurrency.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)),
            audit_retention_days,
            audit_address_days,
            directory_sync_minutes,
            console_acr,
            providers,
            themes_dir,
            listen,
            metrics_listen,
            public_url,
            master_key_file: raw.master_key_file.unwrap_or_else(|| raw.data_dir.join("master.key")),
            data_dir: raw.data_dir,
            database_url,
            redis_url: raw.redis_url,
            redis_prefix: raw.redis_prefix,
            log_format: raw.log_format,
            log_level: raw.log_level,
            trusted_proxies,
            tls,
            mail,
        })
    }

    /// Whether the database is the embedded SQLite file (which lives in
    /// `data_dir`, created on first use).
    pub fn embedded_database(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

/// A secret setting given as its value or as `<key>_file`, a file whose
/// content, trimmed, is the value (Docker and Kubernetes secrets, systemd
/// credentials): not both. Problems never quote the content.
fn secret_setting(key: &str, value: Option<String>, file: Option<&Path>, problems: &mut Vec<Problem>) -> Option<String> {
    let file_key = format!("{key}_file");
    match (value, file) {
        (value, None) => value,
        (Some(_), Some(_)) => {
            problems.push(problem(&file_key, format!("cannot be set together with {key}: set one or the other")));
            None
        }
        (None, Some(path)) => match std::fs::read_to_string(path) {
            Ok(content) => Some(content.trim().to_owned()),
            Err(e) => {
                problems.push(problem(&file_key, format!("cannot read {}: {}", path.display(), e.kind())));
                None
            }
        },
    }
}

/// The mail settings, each problem named by its key.
///
/// An empty `smtp_url` counts as unset (so `TRAME_SMTP_URL=` clears one set
/// in the file); an empty `mail_outbox_dir` turns the outbox off, which
/// without `smtp_url` disables mail altogether.
fn mail_config(raw: &Raw, problems: &mut Vec<Problem>) -> MailConfig {
    let smtp_url = raw.smtp_url.clone().filter(|u| !u.trim().is_empty());
    if let Some(url) = &smtp_url
        && let Err(e) = mail::check_smtp_url(url)
    {
        // Only our own wording: the URL holds the password.
        let message = match e {
            MailSettingError::SmtpUrl(reason) => reason,
            MailSettingError::InvalidFrom => "is not usable",
        };
        problems.push(problem("smtp_url", message));
    }
    let from = raw.mail_from.clone().unwrap_or_else(|| default_mail_from(&raw.public_url));
    if mail::check_from(&from).is_err() {
        problems.push(problem("mail_from", format!("'{from}' is not an address such as noreply@example.com or Name <noreply@example.com>")));
    }
    let outbox_dir = match (&raw.mail_outbox_dir, &smtp_url) {
        (Some(dir), _) if dir.as_os_str().is_empty() => None,
        (Some(_), Some(_)) => {
            problems.push(problem("mail_outbox_dir", "cannot be set together with smtp_url: mail goes to one or the other"));
            None
        }
        (Some(dir), None) => Some(dir.clone()),
        // Zero-configuration development: mail lands in files to read.
        (None, None) => Some(raw.data_dir.join("outbox")),
        (None, Some(_)) => None,
    };
    if let Some(dir) = &outbox_dir
        && dir.exists()
        && !dir.is_dir()
    {
        problems.push(problem("mail_outbox_dir", format!("{} exists and is not a directory", dir.display())));
    }
    MailConfig { smtp_url, from, outbox_dir }
}

/// `noreply@` the host of the public URL. An IP address is not accepted
/// after `@` by the mail library, so then `noreply@localhost`.
fn default_mail_from(public_url: &str) -> String {
    let host = url::Url::parse(public_url).ok().and_then(|u| match u.host() {
        Some(url::Host::Domain(d)) => Some(d.to_owned()),
        _ => None,
    });
    format!("noreply@{}", host.as_deref().unwrap_or("localhost"))
}

/// A variable's value: lists (`trusted_proxies`) are comma-separated,
/// numbers are numbers when they parse (else the string, which the type
/// check then reports by key), the rest are plain strings.
fn env_value(key: &str, value: &str) -> figment::value::Value {
    if matches!(key, "password_hash_concurrency" | "audit_retention_days" | "audit_address_days" | "directory_sync_minutes") {
        value.trim().parse::<u64>().map_or_else(|_| figment::value::Value::from(value.to_owned()), figment::value::Value::from)
    } else if key == "trusted_proxies" {
        let items: Vec<String> = value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        figment::value::Value::from(items)
    } else {
        figment::value::Value::from(value.to_owned())
    }
}

fn figment_problem(e: figment::Error) -> Problem {
    let key = if e.path.is_empty() { "(file)".to_owned() } else { e.path.iter().map(|k| toml_key(k)).collect::<Vec<_>>().join(".") };
    let origin = e.metadata.as_ref().map(|m| format!(" (from {})", m.name)).unwrap_or_default();
    let message = match &e.kind {
        figment::error::Kind::UnknownField(field, _) => {
            return problem(&toml_key(field), format!("unknown setting; known settings are {}", KEYS.join(", ")));
        }
        kind => format!("{kind}{origin}"),
    };
    problem(&key, message)
}

/// A key as it would be written in TOML: bare when it can be, quoted
/// otherwise, so that a problem about `"" = 1` or `"a b" = 1` still names
/// a key the operator can find in the file.
fn toml_key(key: &str) -> String {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') { key.to_owned() } else { format!("{key:?}") }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(toml: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = std::env::temp_dir().join(format!("trame-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Named by content: tests run in parallel, and two settings of the
        // same length must not overwrite each other's file.
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            toml.hash(&mut h);
            h.finish()
        };
        let path = dir.join(format!("{hash:016x}.toml"));
        std::fs::write(&path, toml).unwrap();
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::load(Some(&path), &env)
    }

    fn keys(e: ConfigError) -> Vec<String> {
        e.0.into_iter().map(|p| p.key).collect()
    }

    #[test]
    fn zero_configuration_defaults() {
        let c = load_str("", &[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.public_url.as_str(), "http://localhost:8080");
        assert_eq!(c.database_url, "sqlite://trame-data/trame.db?mode=rwc");
        assert_eq!(c.master_key_file, PathBuf::from("trame-data/master.key"));
        assert!(c.redis_url.is_none());
        assert!(c.tls.is_none());
        assert_eq!(c.outbound_reach, None, "decided per tenant: a development tenant on localhost reaches its local relying parties");
        assert_eq!(c.outbound_proxy, None);
    }

    #[test]
    fn the_outbound_reach_is_per_tenant_unless_set() {
        // The public URL does not decide for every tenant (issue 22).
        let c = load_str("public_url = \"https://login.ville.fr\"\n", &[]).unwrap();
        assert_eq!(c.outbound_reach, None);
        let c = load_str("public_url = \"https://login.ville.fr\"\n", &[("TRAME_OUTBOUND_REACH", "any")]).unwrap();
        assert_eq!(c.outbound_reach, Some(Reach::Anywhere), "an operator with relying parties on a private network says so");
        let c = load_str("outbound_reach = \"public\"\n", &[]).unwrap();
        assert_eq!(c.outbound_reach, Some(Reach::PublicOnly), "localhost can be held to the production rule");
    }

    #[test]
    fn outbound_proxy() {
        let c = load_str("outbound_proxy = \"http://proxy.internal:3128\"\n", &[]).unwrap();
        assert_eq!(c.outbound_proxy, Some(ProxyUrl::parse("http://proxy.internal:3128").unwrap()));
        assert_eq!(
            load_str("outbound_proxy = \"http://proxy.internal:3128\"\n", &[("TRAME_OUTBOUND_PROXY", "")]).unwrap().outbound_proxy,
            None,
            "empty counts as unset"
        );
        for bad in ["socks5://p:1080", "proxy.internal:3128", "http://"] {
            let e = load_str("", &[("TRAME_OUTBOUND_PROXY", bad)]).unwrap_err();
            assert_eq!(keys(e), ["outbound_proxy"], "{bad}");
        }
        let e = load_str("outbound_proxy = \"ftp://user:hunter2@p\"\n", &[]).unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "the setting is never quoted: {e}");
    }

    #[test]
    fn environment_overrides_the_file() {
        let c = load_str(
            "listen = \"0.0.0.0:9000\"\ndata_dir = \"/var/lib/trame\"\n",
            &[("TRAME_LISTEN", "127.0.0.1:9001"), ("TRAME_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1"), ("TRAME_E2E_OTHER", "x")],
        )
        .unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:9001");
        assert_eq!(c.database_url, "sqlite:///var/lib/trame/trame.db?mode=rwc");
        assert_eq!(c.trusted_proxies.len(), 2);
    }

    #[test]
    fn problems_are_named_by_key() {
        let e = load_str("listen = \"nowhere\"\npublic_url = \"ftp://x\"\nredis_url = \"http://r\"\n", &[]).unwrap_err();
        let mut k = keys(e);
        k.sort();
        assert_eq!(k, ["listen", "public_url", "redis_url"]);
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_reported() {
        assert_eq!(keys(load_str("lisen = \"x\"\n", &[]).unwrap_err()), ["lisen"]);
        assert_eq!(keys(load_str("log_format = \"xml\"\n", &[]).unwrap_err()), ["log_format"]);
        assert_eq!(keys(load_str("trusted_proxies = [\"not-an-ip\"]\n", &[]).unwrap_err()), ["trusted_proxies"]);
        assert_eq!(keys(load_str("outbound_reach = \"intranet\"\n", &[]).unwrap_err()), ["outbound_reach"]);
        assert_eq!(keys(load_str("this is not toml", &[]).unwrap_err()).len(), 1);
        // Keys that are not bare TOML keys are named quoted, never as an
        // empty or ambiguous name (the fuzzer found `"" = ""`).
        assert_eq!(keys(load_str("\"\" = \"\"\n", &[]).unwrap_err()), ["\"\""]);
        assert_eq!(keys(load_str("\"log level\" = \"info\"\n", &[]).unwrap_err()), ["\"log level\""]);
    }

    #[test]
    fn audit_retention() {
        let c = load_str("", &[]).unwrap();
        assert_eq!((c.audit_retention_days, c.audit_address_days), (365, 30), "defaults");
        assert_eq!(c.directory_sync_minutes, 15, "default");
        assert_eq!(keys(load_str("directory_sync_minutes = 0\n", &[]).unwrap_err()), ["directory_sync_minutes"]);
        let c = load_str("audit_retention_days = 90\n", &[("TRAME_AUDIT_ADDRESS_DAYS", "7")]).unwrap();
        assert_eq!((c.audit_retention_days, c.audit_address_days), (90, 7));
        assert_eq!(keys(load_str("audit_retention_days = 0\n", &[]).unwrap_err()), ["audit_retention_days"]);
        assert_eq!(keys(load_str("audit_retention_days = 10\n", &[]).unwrap_err()), ["audit_address_days"], "30 days of addresses in 10 days of records");
        assert_eq!(keys(load_str("", &[("TRAME_AUDIT_RETENTION_DAYS", "a year")]).unwrap_err()), ["audit_retention_days"]);
    }

    #[test]
    fn console_level() {
        assert_eq!(load_str("", &[]).unwrap().console_acr, "eidas2", "the console asks for a passkey by default");
        assert_eq!(load_str("console_acr = \"eidas3\"\n", &[]).unwrap().console_acr, "eidas3");
        assert_eq!(load_str("", &[("TRAME_CONSOLE_ACR", "eidas1")]).unwrap().console_acr, "eidas1");
        assert_eq!(keys(load_str("console_acr = \"high\"\n", &[]).unwrap_err()), ["console_acr"]);
    }

    #[test]
    fn themes_dir() {
        assert_eq!(load_str("", &[]).unwrap().themes_dir, None, "none by default");
        let here = std::env::temp_dir();
        let c = load_str(&format!("themes_dir = {:?}\n", here.display().to_string()), &[]).unwrap();
        assert_eq!(c.themes_dir.as_deref(), Some(here.as_path()));
        assert_eq!(load_str("", &[("TRAME_THEMES_DIR", "")]).unwrap().themes_dir, None, "empty is unset");
        assert_eq!(keys(load_str("", &[("TRAME_THEMES_DIR", "/nonexistent/themes")]).unwrap_err()), ["themes_dir"]);
    }

    #[test]
    fn password_hash_concurrency() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        assert_eq!(load_str("", &[]).unwrap().password_hash_concurrency, cores, "one per core by default");
        assert_eq!(load_str("password_hash_concurrency = 3\n", &[]).unwrap().password_hash_concurrency, 3);
        assert_eq!(load_str("", &[("TRAME_PASSWORD_HASH_CONCURRENCY", "5")]).unwrap().password_hash_concurrency, 5);
        assert_eq!(keys(load_str("password_hash_concurrency = 0\n", &[]).unwrap_err()), ["password_hash_concurrency"]);
        assert_eq!(keys(load_str("", &[("TRAME_PASSWORD_HASH_CONCURRENCY", "many")]).unwrap_err()), ["password_hash_concurrency"]);
    }

    #[test]
    fn metrics_listen() {
        assert_eq!(load_str("", &[]).unwrap().metrics_listen, None, "off by default");
        let c = load_str("metrics_listen = \"127.0.0.1:9464\"\n", &[]).unwrap();
        assert_eq!(c.metrics_listen, Some("127.0.0.1:9464".parse().unwrap()));
        let c = load_str("metrics_listen = \"127.0.0.1:9464\"\n", &[("TRAME_METRICS_LISTEN", "0.0.0.0:9100")]).unwrap();
        assert_eq!(c.metrics_listen, Some("0.0.0.0:9100".parse().unwrap()));
        let c = load_str("metrics_listen = \"127.0.0.1:9464\"\n", &[("TRAME_METRICS_LISTEN", "")]).unwrap();
        assert_eq!(c.metrics_listen, None, "an empty variable turns it off");
        let e = load_str("metrics_listen = \"localhost:metrics\"\n", &[]).unwrap_err();
        assert_eq!(e.0[0].key, "metrics_listen");
        assert!(e.0[0].message.contains("'localhost:metrics' is not an address"), "{e}");
        // The public listener's address, or the same port on every address.
        for same in ["127.0.0.1:8080", "0.0.0.0:8080"] {
            assert_eq!(keys(load_str(&format!("metrics_listen = \"{same}\"\n"), &[]).unwrap_err()), ["metrics_listen"], "{same}");
        }
        assert!(load_str("metrics_listen = \"127.0.0.1:8081\"\n", &[]).is_ok());
    }

    #[test]
    fn secrets_from_files() {
        let dir = std::env::temp_dir().join(format!("trame-config-secrets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, content: &str| {
            let p = dir.join(name);
            std::fs::write(&p, content).unwrap();
            p.display().to_string()
        };
        let db = write("db", "postgres://trame:s3cret@db.internal/trame\n");
        let redis = write("redis", "  redis://:s3cret@redis.internal:6379/\n");
        let smtp = write("smtp", "smtps://trame:s3cret@mail.example.com\n");
        let c = load_str(&format!("database_url_file = \"{db}\"\n"), &[("TRAME_REDIS_URL_FILE", &redis), ("TRAME_SMTP_URL_FILE", &smtp)]).unwrap();
        assert_eq!(c.database_url, "postgres://trame:s3cret@db.internal/trame", "trimmed");
        assert_eq!(c.redis_url.as_deref(), Some("redis://:s3cret@redis.internal:6379/"));
        assert_eq!(c.mail.smtp_url.as_deref(), Some("smtps://trame:s3cret@mail.example.com"));

        // Both the value and the file: refused, by the file's key.
        let e = load_str(&format!("database_url_file = \"{db}\"\n"), &[("TRAME_DATABASE_URL", "postgres://other/db")]).unwrap_err();
        assert_eq!(keys(e), ["database_url_file"]);
        // A file that cannot be read: named, its content never quoted.
        let e = load_str("smtp_url_file = \"/nonexistent/smtp\"\n", &[]).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].key, "smtp_url_file");
        assert!(e.0[0].message.contains("/nonexistent/smtp"), "{e}");
        // A bad value from a file is reported under the setting, without the secret.
        let bad = write("bad-smtp", "http://trame:s3cret@mail.example.com");
        let e = load_str("", &[("TRAME_SMTP_URL_FILE", &bad)]).unwrap_err();
        assert!(!e.to_string().contains("s3cret"), "{e}");
        assert_eq!(keys(e), ["smtp_url"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn tls_needs_both_files() {
        assert_eq!(keys(load_str("tls_cert_file = \"/nonexistent.pem\"\n", &[]).unwrap_err()), ["tls_key_file"]);
        let e = load_str("tls_cert_file = \"/nonexistent.pem\"\ntls_key_file = \"/nonexistent.key\"\n", &[]).unwrap_err();
        assert_eq!(keys(e), ["tls_cert_file", "tls_key_file"]);
    }

    #[test]
    fn mail_defaults_to_an_outbox_under_the_data_dir() {
        let c = load_str("public_url = \"https://id.example.com/\"\n", &[]).unwrap();
        assert_eq!(c.mail.smtp_url, None);
        assert_eq!(c.mail.from, "noreply@id.example.com");
        assert_eq!(c.mail.outbox_dir, Some(PathBuf::from("trame-data/outbox")));
        let c = load_str("", &[]).unwrap();
        assert_eq!(c.mail.from, "noreply@localhost");
        let c = load_str("public_url = \"http://127.0.0.1:8080\"\n", &[]).unwrap();
        assert_eq!(c.mail.from, "noreply@localhost");
    }

    #[test]
    fn mail_settings_from_file_and_environment() {
        let c = load_str("smtp_url = \"smtps://trame:s3cret@mail.example.com\"\nmail_from = \"Example ID <id@example.com>\"\n", &[]).unwrap();
        assert_eq!(c.mail.smtp_url.as_deref(), Some("smtps://trame:s3cret@mail.example.com"));
        assert_eq!(c.mail.from, "Example ID <id@example.com>");
        assert_eq!(c.mail.outbox_dir, None, "no outbox when SMTP is configured");
        assert!(!format!("{c:?}").contains("s3cret"), "Debug must not print the SMTP password");

        let c = load_str("", &[("TRAME_SMTP_URL", "smtp://mail.example.com:587?tls=required"), ("TRAME_MAIL_FROM", "noreply@example.org")]).unwrap();
        assert_eq!(c.mail.smtp_url.as_deref(), Some("smtp://mail.example.com:587?tls=required"));
        assert_eq!(c.mail.from, "noreply@example.org");

        let c = load_str("mail_outbox_dir = \"/var/spool/trame\"\n", &[]).unwrap();
        assert_eq!(c.mail.outbox_dir, Some(PathBuf::from("/var/spool/trame")));
        // Empty values: SMTP unset, outbox off, hence no mail at all.
        let c = load_str("smtp_url = \"smtps://mail.example.com\"\n", &[("TRAME_SMTP_URL", ""), ("TRAME_MAIL_OUTBOX_DIR", "")]).unwrap();
        assert_eq!((c.mail.smtp_url, c.mail.outbox_dir), (None, None));
    }

    #[test]
    fn mail_problems_are_named_by_key_and_keep_the_url_secret() {
        let e = load_str("smtp_url = \"smtp://trame:s3cret@mail.example.com\"\n", &[]).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].key, "smtp_url");
        assert!(!e.to_string().contains("s3cret"), "{e}");
        assert_eq!(keys(load_str("smtp_url = \"http://mail.example.com\"\n", &[]).unwrap_err()), ["smtp_url"]);
        assert_eq!(keys(load_str("mail_from = \"nobody\"\n", &[]).unwrap_err()), ["mail_from"]);
        assert_eq!(keys(load_str("smtp_url = \"smtps://mail.example.com\"\nmail_outbox_dir = \"/tmp/outbox\"\n", &[]).unwrap_err()), ["mail_outbox_dir"]);
        let file = std::env::temp_dir().join(format!("trame-config-test-{}-not-a-dir", std::process::id()));
        std::fs::write(&file, "").unwrap();
        let e = load_str(&format!("mail_outbox_dir = \"{}\"\n", file.display()), &[]).unwrap_err();
        std::fs::remove_file(&file).unwrap();
        assert_eq!(keys(e), ["mail_outbox_dir"]);
    }

    #[test]
    fn missing_config_file_is_an_error() {
        let e = Config::load(Some(Path::new("/nonexistent/trame.toml")), &[]).unwrap_err();
        assert_eq!(keys(e), ["--config"]);
    }
}
