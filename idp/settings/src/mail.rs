//! The mail settings and the syntax of the two that can be wrong: the SMTP
//! URL and the `From:` mailbox. Sending (the SMTP transport, the outbox) is
//! trame-app's `mail` module, which builds its transport from these
//! settings and checks them again as it does.
//!
//! SMTP URLs must keep the connection encrypted: `smtps://` (TLS from the
//! first byte, port 465 by default) or `smtp://…?tls=required` (STARTTLS,
//! port 587 by default). Plain `smtp://` is accepted only to a relay on this
//! machine (`localhost`, `127.0.0.1`, `::1`), where nothing crosses a network;
//! `tls=opportunistic` is refused because anyone on the path can strip the
//! STARTTLS offer and read the password and the messages.

use std::path::PathBuf;

use lettre::message::Mailbox;
use url::{Host, Url};

/// What the mailer needs from the settings.
#[derive(Clone)]
pub struct MailConfig {
    /// `smtps://user:password@host[:port]` or
    /// `smtp://user:password@host[:port]?tls=required`. A secret: never
    /// printed, not even by `Debug`.
    pub smtp_url: Option<String>,
    /// The `From:` mailbox, `noreply@example.com` or
    /// `Example <noreply@example.com>`.
    pub from: String,
    /// Where messages are written as `.eml` files when there is no SMTP server.
    pub outbox_dir: Option<PathBuf>,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "<redacted>"))
            .field("from", &self.from)
            .field("outbox_dir", &self.outbox_dir)
            .finish()
    }
}

/// Why a mail setting is refused. Neither variant carries the setting: the
/// SMTP URL holds the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MailSettingError {
    #[error("smtp_url {0}")]
    SmtpUrl(&'static str),
    #[error("the sender is not a valid mailbox (noreply@example.com or Name <noreply@example.com>)")]
    InvalidFrom,
}

/// Checks a `From:` mailbox (`noreply@example.com` or
/// `Name <noreply@example.com>`).
pub fn check_from(from: &str) -> Result<(), MailSettingError> {
    parse_from(from).map(drop)
}

/// The `From:` mailbox, parsed as the messages' builder takes it.
pub fn parse_from(from: &str) -> Result<Mailbox, MailSettingError> {
    from.parse().map_err(|_| MailSettingError::InvalidFrom)
}

/// Checks an SMTP URL against the rules in the module documentation, and
/// against what the mail library's `from_url` refuses of a URL they let
/// through (a user or password that does not percent-decode to UTF-8), so
/// that `trame check-config` names the problem. What else that library can
/// refuse does not depend on the URL (building the TLS connector): the
/// mailer reports it when it is built.
pub fn check_smtp_url(url: &str) -> Result<(), MailSettingError> {
    // lettre accepts plain and opportunistic SMTP: these are our rules.
    let parsed = Url::parse(url).map_err(|_| MailSettingError::SmtpUrl("is not a URL"))?;
    let host = parsed.host().filter(|h| !matches!(h, Host::Domain(""))).ok_or(MailSettingError::SmtpUrl("has no host"))?;
    let tls = parsed.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
    match (parsed.scheme(), tls.as_deref()) {
        ("smtps", None) | ("smtp", Some("required")) => {}
        ("smtp", None) if is_loopback(&host) => {}
        ("smtp", None | Some("opportunistic")) => {
            return Err(MailSettingError::SmtpUrl("must encrypt: use smtps:// or smtp://…?tls=required (plain smtp:// only to localhost)"));
        }
        ("smtp" | "smtps", Some(_)) => return Err(MailSettingError::SmtpUrl("has an unknown tls= value (use tls=required)")),
        _ => return Err(MailSettingError::SmtpUrl("must start with smtps:// or smtp://")),
    }
    // lettre 0.11 (`transport::smtp::connection_url`) decodes the user and
    // the password, when there is a password, and fails unless both are
    // UTF-8.
    if let Some(password) = parsed.password() {
        let utf8 = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8().is_ok();
        if !(utf8(parsed.username()) && utf8(password)) {
            return Err(MailSettingError::SmtpUrl(UNUSABLE));
        }
    }
    Ok(())
}

/// The problem with an SMTP URL that passes the rules above but that the
/// mail library cannot use.
pub const UNUSABLE: &str = "is not usable (check the host and the percent-encoding of the user and password)";

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        // `smtp:` is not a special scheme to the URL standard, so its IPv4
        // hosts stay text.
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost") || d.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback()),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_smtp_urls_are_accepted() {
        for url in [
            "smtps://mail.example.com",
            "smtps://user:p%40ss@mail.example.com:465",
            "smtp://user:pass@mail.example.com:587?tls=required",
            "smtp://localhost:25",
            "smtp://127.0.0.1:1025",
            "smtp://127.0.0.2",
            "smtp://[::1]:25",
            // lettre decodes the user only with a password.
            "smtps://%FF@mail.example.com",
        ] {
            assert_eq!(check_smtp_url(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn bad_or_unencrypted_smtp_urls_are_refused_without_echoing_them() {
        for url in [
            "",
            "not a url",
            "mail.example.com:587",
            "http://mail.example.com",
            "smtp://user:hunter2@mail.example.com",
            "smtp://user:hunter2@mail.example.com:587?tls=opportunistic",
            "smtp://user:hunter2@mail.example.com?tls=yes",
            "smtps://",
            "smtps://:465",
            "smtp://10.0.0.1:25",
            "smtp://localhost.example.com",
            "smtps://user:hunter2%FF@mail.example.com",
            "smtps://%C3%28:hunter2@mail.example.com",
        ] {
            let e = check_smtp_url(url).unwrap_err();
            assert!(matches!(e, MailSettingError::SmtpUrl(_)), "{url}: {e}");
            assert!(!e.to_string().contains("hunter2"), "{e}");
        }
        assert_eq!(check_smtp_url("smtps://u:%FF@mail.example.com"), Err(MailSettingError::SmtpUrl(UNUSABLE)));
    }

    #[test]
    fn from_mailboxes() {
        assert!(check_from("noreply@localhost").is_ok(), "the zero-configuration sender");
        assert!(check_from("Trame <noreply@example.com>").is_ok());
        assert_eq!(check_from("noreply"), Err(MailSettingError::InvalidFrom));
        assert_eq!(parse_from("Trame <noreply@example.com>").unwrap().email.domain(), "example.com");
    }

    #[test]
    fn debug_output_hides_the_smtp_url() {
        let c = MailConfig { smtp_url: Some("smtps://user:hunter2@mail.example.com".into()), from: "noreply@example.com".into(), outbox_dir: None };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
