//! The audit log: append-only records of who did what to which account,
//! client or tenant, and of citizens' security events. Rows are inserted,
//! read, and purged past the retention; an erased account's records keep
//! its (random) id and lose their addresses.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::Value;

use super::new_id;
use crate::entity::audit_event;
use crate::{Result, Store, StoreError};

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }
}

/// A record to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEvent {
    pub tenant_id: Option<String>,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub outcome: Outcome,
    pub address: Option<String>,
    /// Never a secret, a token or a password.
    pub detail: Option<Value>,
}

/// A stored record.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    /// Sorts by time: the cursor of [`AuditQuery::before`].
    pub id: String,
    pub tenant_id: Option<String>,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub outcome: String,
    pub address: Option<String>,
    pub detail: Option<Value>,
}

/// Which records to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// One tenant's records; `None`: the whole installation's.
    pub tenant_id: Option<String>,
    /// Records about this target, or made by it as actor.
    pub subject: Option<String>,
    /// Records made by this actor (`user:<id>`, `client:<id>`, `cli:<who>`).
    pub actor: Option<String>,
    /// Records about this target.
    pub target: Option<String>,
    pub action: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// Records older than this id (the last of the previous page).
    pub before: Option<String>,
    /// At most this many (1 to 1000).
    pub limit: u64,
}

fn to_domain(m: audit_event::Model) -> AuditEvent {
    AuditEvent {
        id: m.id,
        tenant_id: m.tenant_id,
        at: m.at,
        actor: m.actor,
        action: m.action,
        target: m.target,
        outcome: m.outcome,
        address: m.address,
        detail: m.detail.and_then(|d| serde_json::from_str(&d).ok()),
    }
}

impl Store {
    /// Appends a record; returns its id.
    pub async fn record_audit(&self, e: NewAuditEvent) -> Result<String> {
        let id = new_id();
        let row = audit_event::ActiveModel {
            id: Set(id.clone()),
            tenant_id: Set(e.tenant_id),
            at: Set(e.at),
            actor: Set(e.actor),
            action: Set(e.action),
            target: Set(e.target),
            outcome: Set(e.outcome.as_str().to_owned()),
            address: Set(e.address),
            detail: Set(e.detail.map(|d| d.to_string())),
        };
        audit_event::Entity::insert(row).exec(&self.db).await.map_err(StoreError::Db)?;
        Ok(id)
    }

    /// Records matching `q`, newest first.
    pub async fn audit_events(&self, q: &AuditQuery) -> Result<Vec<AuditEvent>> {
        let mut find = audit_event::Entity::find();
        if let Some(t) = &q.tenant_id {
            find = find.filter(audit_event::Column::TenantId.eq(t.as_str()));
        }
        if let Some(s) = &q.subject {
            find = find.filter(Condition::any().add(audit_event::Column::Target.eq(s.as_str())).add(audit_event::Column::Actor.eq(s.as_str())));
        }
        if let Some(a) = &q.actor {
            find = find.filter(audit_event::Column::Actor.eq(a.as_str()));
        }
        if let Some(t) = &q.target {
            find = find.filter(audit_event::Column::Target.eq(t.as_str()));
        }
        if let Some(a) = &q.action {
            find = find.filter(audit_event::Column::Action.eq(a.as_str()));
        }
        if let Some(since) = q.since {
            find = find.filter(audit_event::Column::At.gte(since));
        }
        if let Some(until) = q.until {
            find = find.filter(audit_event::Column::At.lt(until));
        }
        if let Some(before) = &q.before {
            find = find.filter(audit_event::Column::Id.lt(before.as_str()));
        }
        let rows = find.order_by_desc(audit_event::Column::Id).limit(q.limit.clamp(1, 1000)).all(&self.db).await.map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(to_domain).collect())
    }

    /// Deletes the records older than `before`; returns how many.
    pub async fn purge_audit(&self, before: i64) -> Result<u64> {
        let r = audit_event::Entity::delete_many().filter(audit_event::Column::At.lt(before)).exec(&self.db).await.map_err(StoreError::Db)?;
        Ok(r.rows_affected)
    }

    /// Replaces the full client addresses of the records older than
    /// `before` by what `truncate` makes of them (a network, which holds a
    /// `/`); returns how many changed.
    pub async fn truncate_audit_addresses(&self, before: i64, truncate: impl Fn(&str) -> String) -> Result<u64> {
        let mut changed = 0;
        loop {
            let rows: Vec<(String, String)> = audit_event::Entity::find()
                .select_only()
                .column(audit_event::Column::Id)
                .column(audit_event::Column::Address)
                .filter(audit_event::Column::At.lt(before))
                .filter(audit_event::Column::Address.is_not_null())
                .filter(audit_event::Column::Address.not_like("%/%"))
                .limit(500)
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(StoreError::Db)?;
            if rows.is_empty() {
                return Ok(changed);
            }
            for (id, address) in rows {
                let mut network = truncate(&address);
                if !network.contains('/') {
                    // Never left as it was: that would be read again forever.
                    network = "unknown/0".to_owned();
                }
                audit_event::Entity::update_many()
                    .col_expr(audit_event::Column::Address, Expr::value(network))
                    .filter(audit_event::Column::Id.eq(id))
                    .exec(&self.db)
                    .await
                    .map_err(StoreError::Db)?;
                changed += 1;
            }
        }
    }

    /// Forgets the client addresses of every record `subject` (an erased
    /// account) made: where the person connected from, their sign-ins and
    /// failed attempts included; the records stay. Records others made
    /// about them keep their address, which is the other's (an
    /// administrator who disabled the account), not the person's.
    pub async fn forget_audit_addresses_of(&self, tenant_id: &str, subject: &str) -> Result<u64> {
        let r = audit_event::Entity::update_many()
            .col_expr(audit_event::Column::Address, Expr::value(Option::<String>::None))
            .filter(audit_event::Column::TenantId.eq(tenant_id))
            .filter(audit_event::Column::Actor.eq(subject))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(r.rows_affected)
    }
}
