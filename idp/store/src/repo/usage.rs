//! The transparency figures: counts added by each node's tally
//! (`trame_app::usage`) in one transaction per flush, and read back per
//! tenant and range of days. Adding is an upsert that sums (`count =
//! count + excluded.count`), so any number of nodes flush into the same
//! rows without reading them first.

use sea_orm::sea_query::{Alias, Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, Set};

use crate::entity::{outbound_host, usage_count, usage_service};
use crate::{Result, Store, StoreError};

/// Transactions of one kind a tenant served on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageCount {
    pub tenant_id: String,
    /// Unix day (UTC): seconds since the epoch / 86,400.
    pub day: i32,
    pub counter: String,
    pub count: u64,
}

/// A service (client id) that got a token from a tenant on a day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServedService {
    pub tenant_id: String,
    pub day: i32,
    pub client_id: String,
}

/// Requests sent to one host on a day, by the whole installation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCount {
    pub day: i32,
    pub host: String,
    pub count: u64,
}

/// What one flush adds. Keys are unique within a batch (the tally
/// aggregates before it flushes): PostgreSQL refuses an upsert that
/// touches one row twice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageBatch {
    pub counts: Vec<UsageCount>,
    pub services: Vec<ServedService>,
    pub hosts: Vec<HostCount>,
}

impl UsageBatch {
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty() && self.services.is_empty() && self.hosts.is_empty()
    }
}

/// Rows per statement: four parameters a row stays far below SQLite's and
/// PostgreSQL's limits on parameters per statement.
const ROWS_PER_STATEMENT: usize = 500;

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn as_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// `ON CONFLICT (<key>) DO UPDATE SET count = <table>.count + excluded.count`.
fn summing<C: sea_orm::ColumnTrait>(key: impl IntoIterator<Item = C>, table: &'static str, count: C) -> OnConflict {
    let mut on = OnConflict::columns(key);
    on.value(count, Expr::col((Alias::new(table), count)).add(Expr::col((Alias::new("excluded"), count))));
    on
}

impl Store {
    /// Adds a node's tally to the stored figures, all or nothing.
    pub async fn add_usage(&self, batch: &UsageBatch) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let txn = self.begin().await?;
        for chunk in batch.counts.chunks(ROWS_PER_STATEMENT) {
            let rows = chunk.iter().map(|c| usage_count::ActiveModel {
                tenant_id: Set(c.tenant_id.clone()),
                day: Set(c.day),
                counter: Set(c.counter.clone()),
                count: Set(as_i64(c.count)),
            });
            let key = [usage_count::Column::TenantId, usage_count::Column::Day, usage_count::Column::Counter];
            let on = summing(key, "usage_counts", usage_count::Column::Count);
            usage_count::Entity::insert_many(rows).on_conflict(on).exec_without_returning(&txn).await.map_err(StoreError::Db)?;
        }
        for chunk in batch.services.chunks(ROWS_PER_STATEMENT) {
            let rows =
                chunk.iter().map(|s| usage_service::ActiveModel { tenant_id: Set(s.tenant_id.clone()), day: Set(s.day), client_id: Set(s.client_id.clone()) });
            let on =
                OnConflict::columns([usage_service::Column::TenantId, usage_service::Column::Day, usage_service::Column::ClientId]).do_nothing().to_owned();
            usage_service::Entity::insert_many(rows).on_conflict(on).exec_without_returning(&txn).await.map_err(StoreError::Db)?;
        }
        for chunk in batch.hosts.chunks(ROWS_PER_STATEMENT) {
            let rows = chunk.iter().map(|h| outbound_host::ActiveModel { day: Set(h.day), host: Set(h.host.clone()), count: Set(as_i64(h.count)) });
            let on = summing([outbound_host::Column::Day, outbound_host::Column::Host], "outbound_hosts", outbound_host::Column::Count);
            outbound_host::Entity::insert_many(rows).on_conflict(on).exec_without_returning(&txn).await.map_err(StoreError::Db)?;
        }
        txn.commit().await.map_err(StoreError::Db)
    }

    /// A tenant's counts from `from` to `to` (Unix days, inclusive).
    pub async fn usage_counts(&self, tenant_id: &str, from: i32, to: i32) -> Result<Vec<UsageCount>> {
        let rows = usage_count::Entity::find()
            .filter(usage_count::Column::TenantId.eq(tenant_id))
            .filter(usage_count::Column::Day.between(from, to))
            .order_by_asc(usage_count::Column::Day)
            .order_by_asc(usage_count::Column::Counter)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(|r| UsageCount { tenant_id: r.tenant_id, day: r.day, counter: r.counter, count: as_u64(r.count) }).collect())
    }

    /// The services a tenant served from `from` to `to` (inclusive), one
    /// row per service and day.
    pub async fn services_served(&self, tenant_id: &str, from: i32, to: i32) -> Result<Vec<ServedService>> {
        let rows = usage_service::Entity::find()
            .filter(usage_service::Column::TenantId.eq(tenant_id))
            .filter(usage_service::Column::Day.between(from, to))
            .order_by_asc(usage_service::Column::Day)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(|r| ServedService { tenant_id: r.tenant_id, day: r.day, client_id: r.client_id }).collect())
    }

    /// The hosts the installation reached from `from` to `to` (inclusive).
    pub async fn outbound_hosts(&self, from: i32, to: i32) -> Result<Vec<HostCount>> {
        let rows = outbound_host::Entity::find()
            .filter(outbound_host::Column::Day.between(from, to))
            .order_by_asc(outbound_host::Column::Day)
            .order_by_asc(outbound_host::Column::Host)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(|r| HostCount { day: r.day, host: r.host, count: as_u64(r.count) }).collect())
    }
}

/// A client id, its federation kind, its `jwks_uri`,
/// `sector_identifier_uri` and `backchannel_logout_uri`, and its CAS
/// settings.
type OutboundUrls = (String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

impl Store {
    /// Every URL a registered client (of any tenant) gave that Trame's
    /// outbound client may fetch or post to: `jwks_uri`,
    /// `sector_identifier_uri`, `backchannel_logout_uri`, a CAS service's
    /// URLs (single logout), and the Entity Identifier of clients
    /// registered through the federation. The
    /// transparency page flags hosts reached outside these.
    pub async fn client_outbound_urls(&self) -> Result<Vec<String>> {
        use crate::entity::client::Column;
        use sea_orm::QuerySelect;
        let rows: Vec<OutboundUrls> = crate::entity::client::Entity::find()
            .select_only()
            .column(Column::ClientId)
            .column(Column::FederationKind)
            .column(Column::JwksUri)
            .column(Column::SectorIdentifierUri)
            .column(Column::BackchannelLogoutUri)
            .column(Column::Cas)
            .filter(
                sea_orm::Condition::any()
                    .add(Column::FederationKind.is_not_null())
                    .add(Column::JwksUri.is_not_null())
                    .add(Column::SectorIdentifierUri.is_not_null())
                    .add(Column::BackchannelLogoutUri.is_not_null())
                    .add(Column::Cas.is_not_null()),
            )
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        let mut out = Vec::new();
        for (client_id, federation_kind, jwks, sector, logout, cas) in rows {
            if federation_kind.is_some() {
                out.push(client_id);
            }
            out.extend([jwks, sector, logout].into_iter().flatten());
            // A CAS service's URLs get its single-logout requests.
            if let Some(cas) = cas.and_then(|c| serde_json::from_str::<trame_core::cas::CasService>(&c).ok()) {
                out.extend(cas.service_urls.into_iter().chain(cas.service_prefixes));
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}
