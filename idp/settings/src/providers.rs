//! The providers an installation depends on, as the operator declares
//! them (`[[providers]]` in `trame.toml`): who hosts the machines, the
//! database, the mail relay… with their country, so the public
//! transparency page can list them and compute the share of transactions
//! that involved no provider outside the EU/EEA.

use serde::{Deserialize, Serialize};

/// The member states of the European Economic Area (the EU's 27, Iceland,
/// Liechtenstein and Norway), as ISO 3166-1 alpha-2 codes; Greece is `GR`
/// (its EU code `EL` is accepted and read as `GR`).
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI",
    "SK", "IS", "LI", "NO",
];

/// Which transactions a provider takes part in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsedFor {
    /// Every transaction: hosting, database, network, cache.
    Every,
    /// Mails (the SMTP relay).
    Mail,
    /// Federation exchanges and sign-ins at peers.
    Federation,
    /// Sign-ins at upstream identity providers.
    Upstream,
}

/// One declared provider, as written in the settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub name: String,
    /// ISO 3166-1 alpha-2, of the provider's legal seat (the law it
    /// answers to), not only of its machines.
    pub country: String,
    /// What it does for the installation, in the operator's words.
    pub role: String,
    /// The hosts of it that Trame's outbound requests reach (an SMTP relay,
    /// an upstream provider), matched against the hosts Trame records.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Default: every transaction.
    #[serde(default)]
    pub used_for: Vec<UsedFor>,
    /// Only this tenant (by slug); default every tenant.
    #[serde(default)]
    pub tenant: Option<String>,
}

/// A declared provider, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub name: String,
    /// Upper case, `GR` for Greece.
    pub country: String,
    pub role: String,
    /// Lower case.
    pub hosts: Vec<String>,
    /// Never empty.
    pub used_for: Vec<UsedFor>,
    pub tenant: Option<String>,
}

impl Provider {
    /// Whether its country is in the EU/EEA.
    pub fn in_eea(&self) -> bool {
        EEA.contains(&self.country.as_str())
    }

    /// Whether `tenant` (a slug) depends on it.
    pub fn serves(&self, tenant: &str) -> bool {
        self.tenant.as_deref().is_none_or(|t| t == tenant)
    }
}

fn short_text(what: &str, s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 100 || s.chars().any(char::is_control) {
        return Err(format!("{what} must be 1 to 100 characters, without control characters"));
    }
    Ok(s.to_owned())
}

/// Checks one declared provider; the error names the field.
pub fn check(raw: &RawProvider) -> Result<Provider, String> {
    let name = short_text("name", &raw.name)?;
    let role = short_text("role", &raw.role)?;
    let mut country = raw.country.trim().to_ascii_uppercase();
    if country == "EL" {
        country = "GR".into();
    }
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("country of {name}: '{}' is not an ISO 3166-1 alpha-2 code such as FR", raw.country));
    }
    let mut hosts = Vec::new();
    for h in &raw.hosts {
        let h = h.trim().to_ascii_lowercase();
        let (name, port) = match h.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (h.as_str(), None),
        };
        let valid = !name.is_empty()
            && h.len() <= 253
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
        if !valid {
            return Err(format!("hosts of {name}: '{h}' is not a host name (with an optional :port)"));
        }
        hosts.push(h);
    }
    let used_for = if raw.used_for.is_empty() { vec![UsedFor::Every] } else { raw.used_for.clone() };
    Ok(Provider { name, country, role, hosts, used_for, tenant: raw.tenant.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(country: &str) -> RawProvider {
        RawProvider {
            name: "Hébergeur".into(),
            country: country.into(),
            role: "hosting".into(),
            hosts: vec!["SMTP.example.fr:587".into()],
            used_for: vec![],
            tenant: None,
        }
    }

    #[test]
    fn checks_and_normalises() {
        let p = check(&raw("fr")).unwrap();
        assert_eq!(p.country, "FR");
        assert_eq!(p.hosts, ["smtp.example.fr:587"]);
        assert_eq!(p.used_for, [UsedFor::Every]);
        assert!(p.in_eea() && p.serves("any"));
        assert_eq!(check(&raw("EL")).unwrap().country, "GR");
        assert!(!check(&raw("US")).unwrap().in_eea());
        assert!(check(&raw("NO")).unwrap().in_eea(), "the EEA, not only the EU");
        for bad in ["FRA", "", "F1"] {
            assert!(check(&raw(bad)).unwrap_err().contains("ISO 3166"), "{bad}");
        }
        let mut r = raw("FR");
        r.name = " ".into();
        assert!(check(&r).unwrap_err().starts_with("name"));
        r = raw("FR");
        for bad in ["https://x", "x:", "x:99999", "x/y", "x:80:80", ""] {
            r.hosts = vec![bad.into()];
            assert!(check(&r).unwrap_err().contains("not a host name"), "{bad}");
        }
        r = raw("FR");
        r.tenant = Some("ville".into());
        let p = check(&r).unwrap();
        assert!(p.serves("ville") && !p.serves("autre"));
    }
}
