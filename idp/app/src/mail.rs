//! Outgoing mail: SMTP in production, `.eml` files in a directory for
//! development, or nothing.
//!
//! The settings ([`MailConfig`]) and the rules of SMTP URLs (encrypted
//! connections only) are trame-settings' `mail` module; the transport built
//! here checks the URL against them again.
//!
//! Nothing here logs: messages carry addresses, sign-in links and codes.
//! Errors say what failed, never to whom or what.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{Address, AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
pub use trame_settings::mail::{MailConfig, MailSettingError, check_from, check_smtp_url};

/// A request that sends mail waits at most this long for the server (lettre's
/// default is a minute).
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// Why mail could not be set up or sent. No variant carries an address, a
/// body or the SMTP URL.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// No transport is configured: pages can say "e-mail is not configured".
    #[error("e-mail is not configured")]
    NotConfigured,
    #[error("smtp_url {0}")]
    SmtpUrl(&'static str),
    #[error("smtp_url and the outbox directory are both set; mail goes to one of them")]
    BothTransports,
    #[error("the sender is not a valid mailbox (noreply@example.com or Name <noreply@example.com>)")]
    InvalidFrom,
    #[error("the recipient is not a valid e-mail address")]
    InvalidRecipient,
    #[error("the message could not be built")]
    Build(#[source] lettre::error::Error),
    #[error("the mail server {0}")]
    Smtp(SmtpFailure),
    #[error("the outbox directory cannot be created")]
    OutboxDir(#[source] std::io::Error),
    #[error("the message cannot be written to the outbox")]
    Outbox(#[source] lettre::transport::file::Error),
}

impl From<MailSettingError> for MailError {
    fn from(e: MailSettingError) -> Self {
        match e {
            MailSettingError::SmtpUrl(reason) => Self::SmtpUrl(reason),
            MailSettingError::InvalidFrom => Self::InvalidFrom,
        }
    }
}

/// How an SMTP exchange failed, without the server's words (which often
/// quote the recipient).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpFailure {
    Timeout,
    Tls,
    /// A 5xx reply: retrying will not help.
    Permanent,
    /// A 4xx reply: retrying later may.
    Transient,
    /// Connection refused, name not found, connection lost…
    Unreachable,
}

impl std::fmt::Display for SmtpFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Timeout => "did not answer in time",
            Self::Tls => "could not be reached over TLS",
            Self::Permanent => "refused the message",
            Self::Transient => "refused the message for now",
            Self::Unreachable => "could not be reached",
        })
    }
}

impl From<&lettre::transport::smtp::Error> for SmtpFailure {
    fn from(e: &lettre::transport::smtp::Error) -> Self {
        if e.is_timeout() {
            Self::Timeout
        } else if e.is_tls() {
            Self::Tls
        } else if e.is_permanent() {
            Self::Permanent
        } else if e.is_transient() {
            Self::Transient
        } else {
            Self::Unreachable
        }
    }
}

/// Sends mail the configured way. Built once at start-up, shared by requests.
pub struct Mailer {
    transport: Transport,
}

enum Transport {
    /// `relay`: the SMTP server's host (and port when not the default),
    /// for the transparency page.
    Smtp {
        smtp: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
        relay: String,
    },
    Outbox {
        dir: PathBuf,
        files: AsyncFileTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Disabled,
}

impl std::fmt::Debug for Mailer {
    // The SMTP transport holds the credentials: show the kind only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer({})", self.kind())
    }
}

impl Default for Mailer {
    fn default() -> Self {
        Self::disabled()
    }
}

impl Mailer {
    /// A mailer that sends nothing and says so.
    pub fn disabled() -> Self {
        Self { transport: Transport::Disabled }
    }

    /// SMTP when `smtp_url` is set, else the outbox when `outbox_dir` is set,
    /// else disabled. Touches neither the network nor the disk: a wrong
    /// password or a missing directory shows at the first message.
    pub fn from_config(config: &MailConfig) -> Result<Self, MailError> {
        let transport = match (&config.smtp_url, &config.outbox_dir) {
            (Some(_), Some(_)) => return Err(MailError::BothTransports),
            (Some(url), None) => {
                Transport::Smtp { smtp: smtp_transport(url)?, from: parse_from(&config.from)?, relay: crate::outbound::host_of(url).unwrap_or_default() }
            }
            (None, Some(dir)) => Transport::Outbox { dir: dir.clone(), files: AsyncFileTransport::<Tokio1Executor>::new(dir), from: parse_from(&config.from)? },
            (None, None) => Transport::Disabled,
        };
        Ok(Self { transport })
    }

    /// Whether [`send`](Self::send) can deliver anything: pages offering
    /// mail-based features check this first.
    pub fn is_enabled(&self) -> bool {
        !matches!(self.transport, Transport::Disabled)
    }

    /// `"smtp"`, `"outbox"` or `"disabled"`, for the start-up log line.
    pub fn kind(&self) -> &'static str {
        match self.transport {
            Transport::Smtp { .. } => "smtp",
            Transport::Outbox { .. } => "outbox",
            Transport::Disabled => "disabled",
        }
    }

    /// The SMTP server messages go through, when that is the transport.
    pub fn relay(&self) -> Option<&str> {
        match &self.transport {
            Transport::Smtp { relay, .. } => Some(relay),
            _ => None,
        }
    }

    /// The directory messages are written to, when that is the transport.
    pub fn outbox_dir(&self) -> Option<&Path> {
        match &self.transport {
            Transport::Outbox { dir, .. } => Some(dir),
            _ => None,
        }
    }

    /// Connects to the SMTP server, logs in and leaves, sending nothing
    /// (`trame check-config`). The other transports have nothing to reach.
    pub async fn test_connection(&self) -> Result<(), MailError> {
        match &self.transport {
            Transport::Smtp { smtp, .. } => match smtp.test_connection().await {
                Ok(true) => Ok(()),
                Ok(false) => Err(MailError::Smtp(SmtpFailure::Unreachable)),
                Err(e) => Err(MailError::Smtp(SmtpFailure::from(&e))),
            },
            Transport::Outbox { .. } => Ok(()),
            Transport::Disabled => Err(MailError::NotConfigured),
        }
    }

    /// Sends a plain-text UTF-8 message to one address.
    pub async fn send(&self, to: &str, subject: &str, text_body: &str) -> Result<(), MailError> {
        let from = match &self.transport {
            Transport::Smtp { from, .. } | Transport::Outbox { from, .. } => from,
            Transport::Disabled => return Err(MailError::NotConfigured),
        };
        let to: Address = to.parse().map_err(|_| MailError::InvalidRecipient)?;
        // Spam filters penalise a missing Message-ID. lettre would put the
        // machine's host name in it; the sender's domain says less.
        let message_id = format!("<{}@{}>", uuid::Uuid::new_v4().simple(), from.email.domain());
        let message = Message::builder()
            .message_id(Some(message_id))
            .from(from.clone())
            .to(Mailbox::new(None, to))
            .subject(one_line(subject))
            .header(ContentType::TEXT_PLAIN)
            .body(text_body.to_owned())
            .map_err(MailError::Build)?;
        match &self.transport {
            Transport::Smtp { smtp, .. } => {
                smtp.send(message).await.map_err(|e| MailError::Smtp(SmtpFailure::from(&e)))?;
            }
            Transport::Outbox { dir, files, .. } => {
                // Messages hold sign-in links and codes: the directory is
                // the owner's alone when Trame creates it.
                tokio::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).await.map_err(MailError::OutboxDir)?;
                files.send(message).await.map_err(MailError::Outbox)?;
            }
            Transport::Disabled => return Err(MailError::NotConfigured),
        }
        Ok(())
    }
}

/// Whether `e` is an e-mail address mail can be sent to.
pub fn valid_email(e: &str) -> bool {
    e.len() <= 254 && e.parse::<lettre::Address>().is_ok()
}

fn smtp_transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    // The settings' rules first: lettre accepts plain and opportunistic SMTP.
    check_smtp_url(url)?;
    // What lettre refuses of a URL is refused above already; what is left
    // is the TLS connector failing to build.
    let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|_| MailError::SmtpUrl(trame_settings::mail::UNUSABLE))?;
    Ok(builder.timeout(Some(SMTP_TIMEOUT)).build())
}

fn parse_from(from: &str) -> Result<Mailbox, MailError> {
    Ok(trame_settings::mail::parse_from(from)?)
}

/// A subject is one header line: control characters (a stray newline from a
/// translation) become spaces rather than new header lines.
fn one_line(subject: &str) -> String {
    subject.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use trame_testkit::TempDir;

    fn config(smtp_url: Option<&str>, outbox_dir: Option<&Path>) -> MailConfig {
        MailConfig { smtp_url: smtp_url.map(str::to_owned), from: "Trame <noreply@example.com>".into(), outbox_dir: outbox_dir.map(Path::to_path_buf) }
    }

    fn eml_files(dir: &Path) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "eml")).collect();
        files.sort();
        files
    }

    #[tokio::test]
    async fn the_outbox_writes_one_readable_eml_per_message() {
        let tmp = TempDir::new("trame-mail");
        let dir = tmp.path.join("outbox");
        let mailer = Mailer::from_config(&config(None, Some(&dir))).unwrap();
        assert!(mailer.is_enabled());
        assert_eq!(mailer.kind(), "outbox");
        assert_eq!(mailer.outbox_dir(), Some(dir.as_path()));

        mailer.send("alice@example.org", "Your sign-in code", "Your code is 123456.\nIt expires in 10 minutes.").await.unwrap();
        let files = eml_files(&dir);
        assert_eq!(files.len(), 1);
        let eml = std::fs::read_to_string(&files[0]).unwrap();
        assert!(eml.contains("To: alice@example.org\r\n"), "{eml}");
        assert!(eml.contains("From: Trame <noreply@example.com>\r\n"), "{eml}");
        assert!(eml.contains("Subject: Your sign-in code\r\n"), "{eml}");
        assert!(eml.contains("Content-Type: text/plain; charset=utf-8\r\n"), "{eml}");
        assert!(eml.contains("@example.com>\r\n") && eml.contains("Message-ID: <"), "{eml}");
        assert!(eml.contains("Your code is 123456.\r\nIt expires in 10 minutes."), "{eml}");

        mailer.send("bob@example.org", "Second", "Hello").await.unwrap();
        assert_eq!(eml_files(&dir).len(), 2);
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    }

    #[tokio::test]
    async fn a_subject_cannot_add_header_lines() {
        let tmp = TempDir::new("trame-mail");
        let mailer = Mailer::from_config(&config(None, Some(&tmp.path))).unwrap();
        mailer.send("alice@example.org", "Hi\r\nBcc: eve@example.net", "x").await.unwrap();
        let eml = std::fs::read_to_string(&eml_files(&tmp.path)[0]).unwrap();
        assert!(!eml.contains("\r\nBcc:"), "{eml}");
    }

    #[tokio::test]
    async fn bad_recipients_are_refused_before_anything_is_written() {
        let tmp = TempDir::new("trame-mail");
        let mailer = Mailer::from_config(&config(None, Some(&tmp.path))).unwrap();
        for bad in [
            "",
            "alice",
            "alice@",
            "@example.org",
            "alice@exa mple.org",
            "Alice <alice@example.org>",
            "alice@example.org\r\nBcc: eve@example.net",
            "a,b@example.org",
        ] {
            let e = mailer.send(bad, "s", "b").await.unwrap_err();
            assert!(matches!(e, MailError::InvalidRecipient), "{bad:?}: {e}");
        }
        assert!(eml_files(&tmp.path).is_empty());
    }

    #[tokio::test]
    async fn disabled_mail_says_so() {
        let mailer = Mailer::from_config(&config(None, None)).unwrap();
        assert!(!mailer.is_enabled());
        assert_eq!(mailer.kind(), "disabled");
        let e = mailer.send("alice@example.org", "s", "b").await.unwrap_err();
        assert!(matches!(e, MailError::NotConfigured));
        assert_eq!(e.to_string(), "e-mail is not configured");
        assert!(!Mailer::default().is_enabled());
    }

    #[test]
    fn smtp_urls_pass_the_settings_rules_then_lettre() {
        // The settings' rules (trame-settings' tests list them) refuse
        // unencrypted SMTP, which lettre would accept, without echoing it.
        let e = Mailer::from_config(&config(Some("smtp://user:hunter2@mail.example.com"), None)).unwrap_err();
        assert!(matches!(e, MailError::SmtpUrl(_)) && !e.to_string().contains("hunter2"), "{e}");
        // They refuse what lettre refuses, so that check-config says so...
        for url in ["smtps://u:%FF@mail.example.com", "smtps://%C3%28:p@mail.example.com"] {
            assert!(AsyncSmtpTransport::<Tokio1Executor>::from_url(url).is_err(), "{url}");
            assert_eq!(check_smtp_url(url), Err(MailSettingError::SmtpUrl(trame_settings::mail::UNUSABLE)), "{url}");
        }
        // ...and lettre takes what they take.
        for url in [
            "smtps://user:p%40ss@mail.example.com:465",
            "smtp://user:pass@mail.example.com:587?tls=required",
            "smtp://[::1]:25",
            "smtps://%FF@mail.example.com",
        ] {
            assert_eq!(check_smtp_url(url), Ok(()), "{url}");
            let m = Mailer::from_config(&config(Some(url), None)).unwrap();
            assert_eq!(m.kind(), "smtp");
            assert!(m.is_enabled());
        }
    }

    #[test]
    fn configuration_errors() {
        let tmp = TempDir::new("trame-mail");
        assert!(matches!(Mailer::from_config(&config(Some("smtps://mail.example.com"), Some(&tmp.path))), Err(MailError::BothTransports)));
        let mut bad_from = config(None, Some(&tmp.path));
        bad_from.from = "not an address".into();
        assert!(matches!(Mailer::from_config(&bad_from), Err(MailError::InvalidFrom)));
    }

    #[tokio::test]
    async fn an_unreachable_smtp_server_is_reported_as_such() {
        // Port 1 on this machine: nothing listens there.
        let m = Mailer::from_config(&config(Some("smtp://127.0.0.1:1"), None)).unwrap();
        let e = m.test_connection().await.unwrap_err();
        assert!(matches!(e, MailError::Smtp(SmtpFailure::Unreachable)), "{e}");
        let e = m.send("alice@example.org", "s", "b").await.unwrap_err();
        assert!(matches!(e, MailError::Smtp(SmtpFailure::Unreachable)), "{e}");
    }

    #[test]
    fn debug_output_hides_the_smtp_url() {
        let c = config(Some("smtps://user:hunter2@mail.example.com"), None);
        assert!(!format!("{c:?}").contains("hunter2"));
        let m = Mailer::from_config(&c).unwrap();
        assert_eq!(format!("{m:?}"), "Mailer(smtp)");
    }
}
