//! The audit trail: who did what to which account, client or tenant, and
//! the security events of citizens. Recording never fails the action it
//! records (a sign-in is not refused because the log is unavailable): a
//! record that cannot be written is logged and counted
//! ([`crate::telemetry::audit_lost`]), and the action goes on.

use std::net::IpAddr;

use serde_json::Value;
use trame_store::{NewAuditEvent, Outcome, Store};

use crate::telemetry;

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A person, by account id.
    User(String),
    /// A client (machine access), by client id.
    Client(String),
    /// The operator's CLI, by the operating system's user.
    Cli(String),
    /// A tenant's directory, by name: what its sync changed.
    Directory(String),
}

impl Actor {
    /// The CLI run by the current operating system user (`USER`, else
    /// `LOGNAME`).
    pub fn cli_from_env() -> Self {
        let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "unknown".to_owned());
        Actor::Cli(user)
    }

    pub fn as_string(&self) -> String {
        match self {
            Actor::User(id) => format!("user:{id}"),
            Actor::Client(id) => format!("client:{id}"),
            Actor::Cli(who) => format!("cli:{who}"),
            Actor::Directory(name) => format!("directory:{name}"),
        }
    }
}

/// What an action was done to, as the log writes it.
pub fn user(id: &str) -> String {
    format!("user:{id}")
}
pub fn client(id: &str) -> String {
    format!("client:{id}")
}
pub fn tenant(slug: &str) -> String {
    format!("tenant:{slug}")
}

/// Who made a change and from where: what the use cases that record their
/// own audit events take, so a change made through the console or the
/// admin API carries the administrator's address as a person's own
/// changes do. An [`Actor`] alone (the CLI) is one with no address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct By {
    pub actor: Actor,
    pub address: Option<IpAddr>,
}

impl By {
    pub fn at(actor: Actor, address: Option<IpAddr>) -> Self {
        Self { actor, address }
    }
}

impl From<Actor> for By {
    fn from(actor: Actor) -> Self {
        Self { actor, address: None }
    }
}

/// One audited action.
#[derive(Debug, Clone)]
pub struct Event {
    pub tenant_id: Option<String>,
    pub actor: Actor,
    pub action: &'static str,
    pub target: Option<String>,
    pub outcome: Outcome,
    pub address: Option<IpAddr>,
    /// Never a secret, a token, a password or a username.
    pub detail: Option<Value>,
}

impl Event {
    /// A successful `action` by `actor` in the tenant `tenant_id`.
    pub fn new(tenant_id: &str, by: impl Into<By>, action: &'static str) -> Self {
        let By { actor, address } = by.into();
        Self { tenant_id: Some(tenant_id.to_owned()), actor, action, target: None, outcome: Outcome::Success, address, detail: None }
    }
    /// A successful installation-wide `action` (no tenant: a tenant
    /// created, say).
    pub fn installation(by: impl Into<By>, action: &'static str) -> Self {
        Self { tenant_id: None, ..Self::new("", by, action) }
    }
    pub fn on(mut self, target: String) -> Self {
        self.target = Some(target);
        self
    }
    pub fn failed(mut self) -> Self {
        self.outcome = Outcome::Failure;
        self
    }
    pub fn from_address(mut self, ip: Option<IpAddr>) -> Self {
        self.address = ip;
        self
    }
    pub fn with(mut self, detail: Value) -> Self {
        self.detail = Some(detail);
        self
    }
}

/// Appends `event` at `now`; a failure is logged and counted, never
/// returned.
pub async fn record(store: &Store, now: i64, event: Event) {
    let action = event.action;
    let new = NewAuditEvent {
        tenant_id: event.tenant_id,
        at: now,
        actor: event.actor.as_string(),
        action: action.to_owned(),
        target: event.target,
        outcome: event.outcome,
        address: event.address.map(|ip| ip.to_string()),
        detail: event.detail,
    };
    if let Err(e) = store.record_audit(new).await {
        telemetry::audit_lost(action);
        telemetry::durable_error(&e);
        tracing::warn!(action, error = %e, "audit record not written");
    }
}

/// The network an address belongs to once `audit_address_days` have
/// passed: /24 for IPv4, /48 for IPv6 (enough to see where a flood came
/// from, not who).
pub fn truncated(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => {
            let [x, y, z, _] = a.octets();
            format!("{x}.{y}.{z}.0/24")
        }
        Ok(IpAddr::V6(a)) => {
            let s = a.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        Err(_) => "unknown/0".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_truncated_to_their_network() {
        assert_eq!(truncated("192.0.2.77"), "192.0.2.0/24");
        assert_eq!(truncated("2001:db8:abcd:12::1"), "2001:db8:abcd::/48");
        assert_eq!(truncated("not an address"), "unknown/0");
    }

    #[test]
    fn actors_and_targets_are_written_with_their_kind() {
        assert_eq!(Actor::User("u1".into()).as_string(), "user:u1");
        assert_eq!(Actor::Client("c".into()).as_string(), "client:c");
        assert_eq!(Actor::Cli("root".into()).as_string(), "cli:root");
        assert_eq!((user("u1"), client("c"), tenant("ville")), ("user:u1".into(), "client:c".into(), "tenant:ville".into()));
    }
}
