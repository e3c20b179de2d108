use sea_orm::entity::prelude::*;

/// One audit record: append-only (rows are only ever inserted, then purged
/// past the retention). The id is a UUIDv7, so ids sort by time and serve
/// as the pagination cursor.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `None` for installation-wide events (a tenant created or removed).
    pub tenant_id: Option<String>,
    pub at: i64,
    /// Who acted: `user:<id>`, `client:<id>`, `cli:<os user>`.
    pub actor: String,
    /// What happened, e.g. `user.disabled`, `sign_in`.
    pub action: String,
    /// What it happened to: `user:<id>`, `client:<id>`, `tenant:<slug>`.
    pub target: Option<String>,
    /// `success` or `failure`.
    pub outcome: String,
    /// The client address, truncated after `audit_address_days`.
    pub address: Option<String>,
    /// More about the event (JSON object), never a secret.
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
