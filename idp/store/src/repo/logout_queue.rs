//! The back-channel logout queue: notifications to relying parties, kept
//! durably until delivered or given up, so a node stopping or a relying
//! party being down does not lose them.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::new_id;
use crate::entity::logout_delivery as ld;
use crate::{Result, Store, StoreError};

/// What a notification carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DeliveryKind {
    /// An OpenID Connect logout token (Back-Channel Logout 1.0).
    #[default]
    BackChannel,
    /// A CAS single-logout `LogoutRequest` (SAML), for a CAS service.
    Cas,
}

impl DeliveryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BackChannel => "back_channel",
            Self::Cas => "cas",
        }
    }
    /// An unknown kind (written by a newer version) is delivered as a
    /// logout token would be.
    fn parse(s: &str) -> Self {
        if s == "cas" { Self::Cas } else { Self::BackChannel }
    }
}

/// A notification to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutDelivery {
    pub id: String,
    pub tenant_id: String,
    pub client_id: String,
    pub uri: String,
    /// The logout token, or the CAS `LogoutRequest` ([`DeliveryKind`]).
    pub logout_token: String,
    pub kind: DeliveryKind,
    pub attempts: i32,
    pub next_attempt_at: i64,
}

/// A notification to queue.
#[derive(Debug, Clone)]
pub struct NewLogoutDelivery {
    pub tenant_id: String,
    pub client_id: String,
    pub uri: String,
    pub logout_token: String,
    pub kind: DeliveryKind,
}

impl From<ld::Model> for LogoutDelivery {
    fn from(m: ld::Model) -> Self {
        Self {
            id: m.id,
            tenant_id: m.tenant_id,
            client_id: m.client_id,
            uri: m.uri,
            logout_token: m.logout_token,
            kind: DeliveryKind::parse(&m.kind),
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
        }
    }
}

impl Store {
    /// Queues notifications, due now, in one transaction; returns them as
    /// queued, so the caller can attempt them at once.
    pub async fn queue_logout_deliveries(&self, items: Vec<NewLogoutDelivery>, now: i64) -> Result<Vec<LogoutDelivery>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let mut queued = Vec::with_capacity(items.len());
        let txn = self.begin().await?;
        for i in items {
            let m = ld::ActiveModel {
                id: Set(new_id()),
                tenant_id: Set(i.tenant_id),
                client_id: Set(i.client_id),
                uri: Set(i.uri),
                logout_token: Set(i.logout_token),
                kind: Set(i.kind.as_str().to_owned()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                created_at: Set(now),
            }
            .insert(&txn)
            .await
            .map_err(StoreError::Db)?;
            queued.push(m.into());
        }
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(queued)
    }

    /// Notifications due at `now`, oldest first.
    pub async fn due_logout_deliveries(&self, now: i64, limit: u64) -> Result<Vec<LogoutDelivery>> {
        let rows = ld::Entity::find()
            .filter(ld::Column::NextAttemptAt.lte(now))
            .order_by_asc(ld::Column::NextAttemptAt)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Takes a due notification for one attempt: moves its next attempt to
    /// `lease_until` if nobody else did since it was read (compare and
    /// set), so two nodes do not deliver the same notification at once.
    /// A node that dies mid-attempt leaves it to be retried after the lease.
    pub async fn claim_logout_delivery(&self, d: &LogoutDelivery, lease_until: i64) -> Result<bool> {
        let res = ld::Entity::update_many()
            .col_expr(ld::Column::NextAttemptAt, Expr::value(lease_until))
            .col_expr(ld::Column::Attempts, Expr::value(d.attempts + 1))
            .filter(ld::Column::Id.eq(&d.id))
            .filter(ld::Column::NextAttemptAt.eq(d.next_attempt_at))
            .filter(ld::Column::Attempts.eq(d.attempts))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(res.rows_affected == 1)
    }

    /// Delivered, or given up: the notification leaves the queue.
    pub async fn remove_logout_delivery(&self, id: &str) -> Result<()> {
        ld::Entity::delete_by_id(id.to_owned()).exec(&self.db).await.map_err(StoreError::Db)?;
        Ok(())
    }

    /// Schedules the next attempt of a claimed notification.
    pub async fn retry_logout_delivery(&self, id: &str, next_attempt_at: i64) -> Result<()> {
        ld::Entity::update_many()
            .col_expr(ld::Column::NextAttemptAt, Expr::value(next_attempt_at))
            .filter(ld::Column::Id.eq(id))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(())
    }
}
