//! The default theme, compiled into the binary so `trame serve` needs no
//! files beside it: what a themes folder overrides, name by name.

use sha2::{Digest, Sha256};

pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../../themes/default/templates/base.html")),
    ("login.html", include_str!("../../../../themes/default/templates/login.html")),
    ("peers.html", include_str!("../../../../themes/default/templates/peers.html")),
    ("consent.html", include_str!("../../../../themes/default/templates/consent.html")),
    ("logout.html", include_str!("../../../../themes/default/templates/logout.html")),
    ("message.html", include_str!("../../../../themes/default/templates/message.html")),
    ("level.html", include_str!("../../../../themes/default/templates/level.html")),
    ("enrol.html", include_str!("../../../../themes/default/templates/enrol.html")),
    ("form_post.html", include_str!("../../../../themes/default/templates/form_post.html")),
    ("frontchannel_logout.html", include_str!("../../../../themes/default/templates/frontchannel_logout.html")),
    ("otp.html", include_str!("../../../../themes/default/templates/otp.html")),
    ("signup.html", include_str!("../../../../themes/default/templates/signup.html")),
    ("account.html", include_str!("../../../../themes/default/templates/account.html")),
    ("totp.html", include_str!("../../../../themes/default/templates/totp.html")),
    ("recovery_codes.html", include_str!("../../../../themes/default/templates/recovery_codes.html")),
    ("recover.html", include_str!("../../../../themes/default/templates/recover.html")),
    ("recover_email.html", include_str!("../../../../themes/default/templates/recover_email.html")),
    ("confirm_link.html", include_str!("../../../../themes/default/templates/confirm_link.html")),
    ("console_base.html", include_str!("../../../../themes/default/templates/console_base.html")),
    ("console_records.html", include_str!("../../../../themes/default/templates/console_records.html")),
    ("console_users.html", include_str!("../../../../themes/default/templates/console_users.html")),
    ("console_user.html", include_str!("../../../../themes/default/templates/console_user.html")),
    ("console_clients.html", include_str!("../../../../themes/default/templates/console_clients.html")),
    ("console_client_new.html", include_str!("../../../../themes/default/templates/console_client_new.html")),
    ("console_client.html", include_str!("../../../../themes/default/templates/console_client.html")),
    ("console_client_secret.html", include_str!("../../../../themes/default/templates/console_client_secret.html")),
    ("console_keys.html", include_str!("../../../../themes/default/templates/console_keys.html")),
    ("console_audit.html", include_str!("../../../../themes/default/templates/console_audit.html")),
    ("console_settings.html", include_str!("../../../../themes/default/templates/console_settings.html")),
    ("console_branding.html", include_str!("../../../../themes/default/templates/console_branding.html")),
    ("console_tenants.html", include_str!("../../../../themes/default/templates/console_tenants.html")),
    ("transparency.html", include_str!("../../../../themes/default/templates/transparency.html")),
];
pub const ASSETS: &[(&str, &str, &str)] = &[
    ("trame.css", "text/css; charset=utf-8", include_str!("../../../../themes/default/static/trame.css")),
    ("form_post.js", "text/javascript; charset=utf-8", include_str!("../../../../themes/default/static/form_post.js")),
    ("passkey.js", "text/javascript; charset=utf-8", include_str!("../../../../themes/default/static/passkey.js")),
    ("frontchannel_logout.js", "text/javascript; charset=utf-8", include_str!("../../../../themes/default/static/frontchannel_logout.js")),
];
/// Per language (`trame_app::i18n::BUILT_IN`), its Fluent files: the
/// application's, which its mails use too.
pub const LOCALES: &[(&str, &[&str])] = trame_app::i18n::PACKS;

/// The built-in template `name`.
pub fn template(name: &str) -> Option<&'static str> {
    TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, src)| *src)
}

/// The version of the built-in template `name`: the start of its SHA-256,
/// which changes whenever the template does. An override's stamp
/// (`{# trame-theme: based on login.html 1a2b3c4d5e6f #}`) names the
/// version it was written from, so `trame theme check` tells which
/// overrides to look at again after an upgrade.
pub fn version(name: &str) -> Option<String> {
    let src = template(name)?;
    Some(Sha256::digest(src.as_bytes())[..6].iter().map(|b| format!("{b:02x}")).collect())
}

/// The stamp line an override of `name` starts with.
pub fn stamp(name: &str) -> Option<String> {
    version(name).map(|v| format!("{{# trame-theme: based on {name} {v} #}}"))
}

/// The version an override says it was written from: its first line's
/// stamp, if it has one for this template.
pub fn stamped_version<'a>(name: &str, source: &'a str) -> Option<&'a str> {
    let line = source.lines().next()?.trim();
    let rest = line.strip_prefix("{# trame-theme: based on ")?.strip_suffix("#}")?.trim();
    let (n, v) = rest.split_once(' ')?;
    (n == name).then_some(v.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message of the reference pack is used somewhere: named as a
    /// quoted literal in a template, a script or the Rust sources of the
    /// crates that show pages, or under a prefix they complete at run time
    /// (`"footer-accessibility-" ~ status`, `format!("transparency-col-{…}")`).
    /// A message nothing names is a translator's work for nothing.
    #[test]
    fn every_message_of_the_reference_is_used() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut sources = String::new();
        for dir in ["themes/default/templates", "themes/default/static", "idp/web/src", "idp/app/src", "idp/core/src"] {
            collect(&root.join(dir), &mut sources);
        }
        let (literals, prefixes) = quoted(&sources);
        let reference = LOCALES[0].1.join("\n");
        let keys: Vec<&str> = reference
            .lines()
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim_end()))
            .filter(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
            .collect();
        assert!(keys.len() > 100, "the reference's keys were read");
        let unused: Vec<&&str> = keys.iter().filter(|k| !literals.contains(**k) && !prefixes.iter().any(|p| k.starts_with(p.as_str()))).collect();
        assert!(unused.is_empty(), "messages nothing uses (remove them from every pack): {unused:?}");
    }

    fn collect(dir: &std::path::Path, out: &mut String) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs" || x == "html" || x == "js") {
                out.push_str(&std::fs::read_to_string(&p).unwrap());
                out.push('\n');
            }
        }
    }

    /// The quoted literals made of lowercase letters, digits and dashes,
    /// and the prefixes completed at run time (a literal ending in a dash
    /// followed by `~`, or a format string's text before its first `{`).
    fn quoted(src: &str) -> (std::collections::HashSet<String>, Vec<String>) {
        let mut literals = std::collections::HashSet::new();
        let mut prefixes = Vec::new();
        let bytes = src.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'"' {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && (bytes[j].is_ascii_lowercase() || bytes[j].is_ascii_digit() || bytes[j] == b'-') {
                    j += 1;
                }
                if j > start && j < bytes.len() {
                    let word = &src[start..j];
                    if bytes[j] == b'"' {
                        literals.insert(word.to_owned());
                        let after = src[j + 1..].trim_start();
                        if word.ends_with('-') && after.starts_with('~') {
                            prefixes.push(word.to_owned());
                        }
                        i = j + 1;
                        continue;
                    }
                    if bytes[j] == b'{' && word.ends_with('-') {
                        prefixes.push(word.to_owned());
                    }
                }
            }
            i += 1;
        }
        (literals, prefixes)
    }

    #[test]
    fn an_override_reads_back_its_stamp() {
        let stamp = stamp("login.html").unwrap();
        let src = format!("{stamp}\n{{% extends \"base.html\" %}}");
        assert_eq!(stamped_version("login.html", &src), version("login.html").as_deref());
        assert_eq!(stamped_version("consent.html", &src), None, "a stamp names its template");
        assert_eq!(stamped_version("login.html", "{% extends \"base.html\" %}"), None);
        assert_eq!(version("login.html").unwrap().len(), 12);
        assert_ne!(version("login.html"), version("consent.html"));
        assert_eq!(version("nothing.html"), None);
    }
}
