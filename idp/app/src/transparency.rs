//! The public transparency page of a tenant (`<issuer>/transparence` and
//! `.json`): transactions per day and per month (sign-ins by method,
//! tokens, federation exchanges, mails, services served), the providers
//! the operator declared, the share of transactions that involved no
//! provider outside the EU/EEA, and the hosts Trame's outbound requests
//! actually reached, those nobody configured or declared flagged.
//!
//! Transactions, not people: the figures are counts of exchanges
//! ([`crate::usage`]), never of accounts, and a count from 1 to 9 is shown
//! as "fewer than 10" so that a small commune's figures say nothing about
//! one person.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
/// The declared providers' types (trame-settings).
pub use trame_settings::providers::{Provider, UsedFor};
use trame_store::{StoreError, UsageCount};

use crate::App;
use crate::catalog::TenantEntry;
use crate::outbound::host_of;
use crate::usage::{Counter, day_of};

/// Days shown one by one.
pub const DAYS: i32 = 31;
/// Months shown, the current one included.
pub const MONTHS: u32 = 12;
/// Counts from 1 to `SMALL - 1` are not shown exactly.
pub const SMALL: u64 = 10;

/// A count as published: exact, or "fewer than 10" (serialised as the
/// string `"<10"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Exact(u64),
    FewerThanTen,
}

impl Shown {
    pub fn of(n: u64) -> Self {
        if n > 0 && n < SMALL { Shown::FewerThanTen } else { Shown::Exact(n) }
    }
}

impl Serialize for Shown {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Shown::Exact(n) => s.serialize_u64(*n),
            Shown::FewerThanTen => s.serialize_str("<10"),
        }
    }
}

/// The figures of one day or month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// `2026-12-07` or `2026-12`.
    pub period: String,
    /// By counter name ([`Counter::as_str`]), every counter present.
    pub transactions: BTreeMap<&'static str, Shown>,
    /// Services (clients) that got at least one token.
    pub services: Shown,
    /// The share of the period's transactions that involved no provider
    /// outside the EU/EEA, in percent with one decimal; none without
    /// transactions.
    pub within_eea_percent: Option<f64>,
}

/// A declared provider, as published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderView {
    pub name: String,
    pub country: String,
    pub role: String,
    pub in_eea: bool,
    pub used_for: Vec<&'static str>,
}

/// A host the installation's outbound requests reached in the last
/// [`DAYS`] days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostView {
    pub host: String,
    /// Requests (not rounded: a host is not a person).
    pub requests: u64,
    /// The declared provider operating it, if one declares it.
    pub provider: Option<String>,
    /// Neither configured (a client's registered URL, a federation
    /// setting, the mail relay) nor declared.
    pub unexpected: bool,
}

/// The page's content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub tenant: String,
    pub generated_at: i64,
    /// Newest first.
    pub days: Vec<Period>,
    /// Newest first.
    pub months: Vec<Period>,
    /// The share over the months shown.
    pub within_eea_percent: Option<f64>,
    pub providers: Vec<ProviderView>,
    pub hosts: Vec<HostView>,
}

/// `YYYY-MM-DD` of a Unix day (proleptic Gregorian, UTC).
pub fn date_of(day: i32) -> (i32, u32, u32) {
    // Howard Hinnant's days-to-civil.
    let z = i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (i32::try_from(y).unwrap_or(i32::MAX), m, d)
}

/// The Unix day of a date.
fn day_of_date(y: i32, m: u32, d: u32) -> i32 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).unwrap_or(i32::MIN)
}

/// Which transactions a provider takes part in.
fn involves(used_for: &[UsedFor], counter: Counter) -> bool {
    used_for.iter().any(|u| match u {
        UsedFor::Every => true,
        UsedFor::Mail => counter == Counter::Mail,
        UsedFor::Federation => matches!(counter, Counter::FederationIn | Counter::FederationOut | Counter::SignInPeer),
        UsedFor::Upstream => counter == Counter::SignInUpstream,
    })
}

/// The counters whose transactions involve a provider outside the EU/EEA.
fn outside_eea(providers: &[&Provider]) -> HashSet<Counter> {
    Counter::ALL.into_iter().filter(|c| providers.iter().any(|p| !p.in_eea() && involves(&p.used_for, *c))).collect()
}

fn percent_within(counts: &HashMap<Counter, u64>, outside: &HashSet<Counter>) -> Option<f64> {
    let total: u64 = counts.values().sum();
    if total == 0 {
        return None;
    }
    let out: u64 = counts.iter().filter(|(c, _)| outside.contains(c)).map(|(_, n)| n).sum();
    let share = (total - out) as f64 * 100.0 / total as f64;
    Some((share * 10.0).round() / 10.0)
}

fn period(label: String, counts: &HashMap<Counter, u64>, services: usize, outside: &HashSet<Counter>) -> Period {
    Period {
        period: label,
        transactions: Counter::ALL.into_iter().map(|c| (c.as_str(), Shown::of(counts.get(&c).copied().unwrap_or(0)))).collect(),
        services: Shown::of(services as u64),
        within_eea_percent: percent_within(counts, outside),
    }
}

/// The months shown, newest first, as (year, month, first day, last day).
fn months_back(today: i32) -> Vec<(i32, u32, i32, i32)> {
    let (mut y, mut m, _) = date_of(today);
    let mut out = Vec::new();
    for _ in 0..MONTHS {
        let first = day_of_date(y, m, 1);
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        out.push((y, m, first, day_of_date(ny, nm, 1) - 1));
        (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    }
    out
}

/// The figures from the stored rows (pure: tested without a store).
pub fn build(
    slug: &str,
    now: i64,
    counts: &[UsageCount],
    services: &[(i32, String)],
    hosts: &[(String, u64)],
    providers: &[Provider],
    configured: &HashSet<String>,
) -> Report {
    let today = day_of(now);
    let mine: Vec<&Provider> = providers.iter().filter(|p| p.serves(slug)).collect();
    let outside = outside_eea(&mine);
    let mut per_day: HashMap<i32, HashMap<Counter, u64>> = HashMap::new();
    for c in counts {
        if let Some(counter) = Counter::parse(&c.counter) {
            *per_day.entry(c.day).or_default().entry(counter).or_default() += c.count;
        }
    }
    let mut served: HashMap<i32, HashSet<&str>> = HashMap::new();
    for (day, client) in services {
        served.entry(*day).or_default().insert(client);
    }
    let empty = HashMap::new();
    let days = (0..DAYS)
        .map(|back| {
            let day = today - back;
            let (y, m, d) = date_of(day);
            period(format!("{y:04}-{m:02}-{d:02}"), per_day.get(&day).unwrap_or(&empty), served.get(&day).map_or(0, HashSet::len), &outside)
        })
        .collect();
    let mut all = HashMap::new();
    let months = months_back(today)
        .into_iter()
        .map(|(y, m, first, last)| {
            let mut sums: HashMap<Counter, u64> = HashMap::new();
            let mut clients: HashSet<&str> = HashSet::new();
            for day in first..=last {
                for (c, n) in per_day.get(&day).unwrap_or(&empty) {
                    *sums.entry(*c).or_default() += n;
                    *all.entry(*c).or_default() += n;
                }
                clients.extend(served.get(&day).into_iter().flatten());
            }
            period(format!("{y:04}-{m:02}"), &sums, clients.len(), &outside)
        })
        .collect();
    let declared: HashMap<&str, &str> = providers.iter().flat_map(|p| p.hosts.iter().map(|h| (h.as_str(), p.name.as_str()))).collect();
    let hosts = hosts
        .iter()
        .map(|(host, requests)| {
            let provider = declared.get(host.as_str()).map(|n| (*n).to_owned());
            HostView { host: host.clone(), requests: *requests, unexpected: provider.is_none() && !configured.contains(host), provider }
        })
        .collect();
    Report {
        tenant: slug.to_owned(),
        generated_at: now,
        days,
        months,
        within_eea_percent: percent_within(&all, &outside),
        providers: mine
            .iter()
            .map(|p| ProviderView {
                name: p.name.clone(),
                country: p.country.clone(),
                role: p.role.clone(),
                in_eea: p.in_eea(),
                used_for: p
                    .used_for
                    .iter()
                    .map(|u| match u {
                        UsedFor::Every => "every",
                        UsedFor::Mail => "mail",
                        UsedFor::Federation => "federation",
                        UsedFor::Upstream => "upstream",
                    })
                    .collect(),
            })
            .collect(),
        hosts,
    }
}

/// How long a node reuses the configured hosts it computed: the page is
/// public, and computing them reads every client's URLs.
pub const CONFIGURED_HOSTS_KEPT: i64 = 60;

/// The configured hosts as last computed, and when.
#[derive(Default)]
pub struct ConfiguredHosts(std::sync::Mutex<Option<(i64, std::sync::Arc<HashSet<String>>)>>);

impl ConfiguredHosts {
    /// The set computed less than [`CONFIGURED_HOSTS_KEPT`] seconds ago,
    /// else a new one.
    async fn get(&self, app: &App, now: i64) -> Result<std::sync::Arc<HashSet<String>>, StoreError> {
        if let Some((at, hosts)) = self.0.lock().unwrap_or_else(|p| p.into_inner()).as_ref()
            && now - at < CONFIGURED_HOSTS_KEPT
            && *at <= now
        {
            return Ok(hosts.clone());
        }
        let hosts = std::sync::Arc::new(configured_hosts(app).await?);
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((now, hosts.clone()));
        Ok(hosts)
    }
}

/// The hosts someone configured: clients' registered URLs (every tenant:
/// the outbound record is the installation's), every tenant's federation
/// settings, the mail relay.
async fn configured_hosts(app: &App) -> Result<HashSet<String>, StoreError> {
    let mut urls = app.store.client_outbound_urls().await?;
    for entry in app.catalog.entries() {
        let f = &entry.tenant.federation;
        urls.extend(f.authority_hints.iter().cloned());
        urls.extend(f.trust_anchors.iter().map(|a| a.entity_id.clone()));
        urls.extend(f.peer_sign_in.iter().map(|p| p.list_from.clone()));
    }
    let mut hosts: HashSet<String> = urls.iter().filter_map(|u| host_of(u)).collect();
    hosts.extend(app.mailer.relay().map(str::to_owned));
    Ok(hosts)
}

/// The report of `t` now: this node's tally is flushed first, so the
/// figures include what it just served (other nodes flush within seconds).
pub async fn report(app: &App, t: &TenantEntry, providers: &[Provider]) -> Result<Report, StoreError> {
    let now = app.now();
    app.usage.flush(&app.store).await?;
    let today = day_of(now);
    let first = months_back(today).last().map_or(today, |m| m.2);
    let counts = app.store.usage_counts(&t.tenant.id, first, today).await?;
    let services: Vec<(i32, String)> = app.store.services_served(&t.tenant.id, first, today).await?.into_iter().map(|s| (s.day, s.client_id)).collect();
    let mut hosts: BTreeMap<String, u64> = BTreeMap::new();
    for h in app.store.outbound_hosts(today - DAYS + 1, today).await? {
        *hosts.entry(h.host).or_default() += h.count;
    }
    let hosts: Vec<(String, u64)> = hosts.into_iter().collect();
    let configured = app.configured_hosts.get(app, now).await?;
    Ok(build(t.tenant.slug.as_str(), now, &counts, &services, &hosts, providers, &configured))
}

#[cfg(test)]
mod tests {
    use super::*;
    use trame_settings::providers::{RawProvider, check};

    fn provider(name: &str, country: &str, used_for: Vec<UsedFor>, hosts: &[&str]) -> Provider {
        check(&RawProvider {
            name: name.into(),
            country: country.into(),
            role: "r".into(),
            hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
            used_for,
            tenant: None,
        })
        .unwrap()
    }

    fn count(day: i32, counter: Counter, n: u64) -> UsageCount {
        UsageCount { tenant_id: "t".into(), day, counter: counter.as_str().into(), count: n }
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(date_of(0), (1970, 1, 1));
        assert_eq!(date_of(20_429), (2025, 12, 7));
        assert_eq!(date_of(day_of_date(2024, 2, 29)), (2024, 2, 29));
        for day in [-1000, 0, 11_016, 19_782, 20_794] {
            let (y, m, d) = date_of(day);
            assert_eq!(day_of_date(y, m, d), day);
        }
    }

    #[test]
    fn small_counts_are_not_published_exactly() {
        assert_eq!(Shown::of(0), Shown::Exact(0));
        assert_eq!(Shown::of(1), Shown::FewerThanTen);
        assert_eq!(Shown::of(9), Shown::FewerThanTen);
        assert_eq!(Shown::of(10), Shown::Exact(10));
        assert_eq!(serde_json::to_string(&[Shown::of(3), Shown::of(12)]).unwrap(), r#"["<10",12]"#);
    }

    #[test]
    fn figures_per_day_and_month_with_the_share_within_the_eea() {
        let today = day_of_date(2026, 12, 7);
        let now = i64::from(today) * 86_400 + 3600;
        let counts = [
            count(today, Counter::SignInPasskey, 30),
            count(today, Counter::Token, 60),
            count(today, Counter::Mail, 10),
            count(today - 1, Counter::SignInPassword, 4),
            // Last month: only in the months.
            count(day_of_date(2026, 11, 2), Counter::Token, 100),
        ];
        let services = [(today, "a".to_owned()), (today, "b".to_owned()), (today - 1, "a".to_owned())];
        let providers = [
            provider("Hébergeur", "FR", vec![], &[]),
            provider("Relais", "US", vec![UsedFor::Mail], &["smtp.example.com:587"]),
            provider("Autre ville", "FR", vec![], &[]),
        ];
        let hosts = [("smtp.example.com:587".to_owned(), 10), ("rp.example.fr".to_owned(), 3), ("tracker.example".to_owned(), 1)];
        let configured: HashSet<String> = ["rp.example.fr".to_owned()].into();
        let r = build("ville", now, &counts, &services, &hosts, &providers, &configured);

        assert_eq!(r.days.len(), DAYS as usize);
        assert_eq!(r.days[0].period, "2026-12-07");
        assert_eq!(r.days[0].transactions["sign_in_passkey"], Shown::Exact(30));
        assert_eq!(r.days[0].transactions["mails"], Shown::Exact(10));
        assert_eq!(r.days[0].transactions["sign_in_peer"], Shown::Exact(0));
        assert_eq!(r.days[0].services, Shown::FewerThanTen);
        // 100 transactions, 10 of them mails through the US relay.
        assert_eq!(r.days[0].within_eea_percent, Some(90.0));
        assert_eq!(r.days[1].transactions["sign_in_password"], Shown::FewerThanTen);
        assert_eq!(r.days[1].within_eea_percent, Some(100.0));
        assert_eq!(r.days[2].within_eea_percent, None);
        assert_eq!(r.months.len(), MONTHS as usize);
        assert_eq!(r.months[0].period, "2026-12");
        assert_eq!(r.months[0].transactions["tokens"], Shown::Exact(60));
        assert_eq!(r.months[1].period, "2026-11");
        assert_eq!(r.months[1].transactions["tokens"], Shown::Exact(100));
        assert_eq!(r.months[11].period, "2026-01");
        // 204 transactions, 10 outside: 95.1 %.
        assert_eq!(r.within_eea_percent, Some(95.1));
        assert_eq!(r.providers.len(), 3);
        assert!(!r.providers[1].in_eea);
        let flags: Vec<(&str, bool, Option<&str>)> = r.hosts.iter().map(|h| (h.host.as_str(), h.unexpected, h.provider.as_deref())).collect();
        assert_eq!(flags, [("smtp.example.com:587", false, Some("Relais")), ("rp.example.fr", false, None), ("tracker.example", true, None)]);
    }

    #[test]
    fn a_provider_of_another_tenant_is_not_this_ones() {
        let mut p = provider("Cloud", "US", vec![], &[]);
        p.tenant = Some("autre".into());
        let r = build("ville", 86_400, &[count(1, Counter::Token, 20)], &[], &[], &[p], &HashSet::new());
        assert!(r.providers.is_empty());
        assert_eq!(r.within_eea_percent, Some(100.0));
    }
}
