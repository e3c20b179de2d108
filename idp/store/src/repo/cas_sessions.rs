//! The CAS services each session signed its user in to, kept from the
//! ticket's validation until the session ends (single logout takes them)
//! or could no longer be alive ([`Store::prune_cas_service_sessions`]).

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::new_id;
use crate::entity::cas_service_session as css;
use crate::{Result, Store, StoreError};

/// A CAS service signed in to by a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasServiceSession {
    pub tenant_id: String,
    pub user_id: String,
    pub sid: String,
    pub client_id: String,
    pub service: String,
    pub ticket: String,
    pub created_at: i64,
}

impl From<css::Model> for CasServiceSession {
    fn from(m: css::Model) -> Self {
        Self { tenant_id: m.tenant_id, user_id: m.user_id, sid: m.sid, client_id: m.client_id, service: m.service, ticket: m.ticket, created_at: m.created_at }
    }
}

impl Store {
    pub async fn record_cas_service_session(&self, s: &CasServiceSession) -> Result<()> {
        css::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(s.tenant_id.clone()),
            user_id: Set(s.user_id.clone()),
            sid: Set(s.sid.clone()),
            client_id: Set(s.client_id.clone()),
            service: Set(s.service.clone()),
            ticket: Set(s.ticket.clone()),
            created_at: Set(s.created_at),
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::Db)?;
        Ok(())
    }

    /// The CAS services of a session that ended, removed as they are read
    /// (in one transaction): two nodes ending the same session do not
    /// both send the logout requests.
    pub async fn take_cas_service_sessions(&self, tenant_id: &str, user_id: &str, sid: &str) -> Result<Vec<CasServiceSession>> {
        let txn = self.begin().await?;
        let rows = css::Entity::find()
            .filter(css::Column::TenantId.eq(tenant_id))
            .filter(css::Column::UserId.eq(user_id))
            .filter(css::Column::Sid.eq(sid))
            .order_by_asc(css::Column::CreatedAt)
            .all(&txn)
            .await
            .map_err(StoreError::Db)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let deleted = css::Entity::delete_many().filter(css::Column::Id.is_in(ids)).exec(&txn).await.map_err(StoreError::Db)?;
        if deleted.rows_affected != rows.len() as u64 {
            // Another node took some meanwhile: let it send them all.
            return Ok(Vec::new());
        }
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The CAS services a user's sessions signed in to (their data export).
    pub async fn cas_service_sessions_of(&self, tenant_id: &str, user_id: &str) -> Result<Vec<CasServiceSession>> {
        let rows = css::Entity::find()
            .filter(css::Column::TenantId.eq(tenant_id))
            .filter(css::Column::UserId.eq(user_id))
            .order_by_asc(css::Column::CreatedAt)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Removes the records older than `before`: their sessions have ended
    /// by expiry, which tells no service.
    pub async fn prune_cas_service_sessions(&self, before: i64) -> Result<u64> {
        let res = css::Entity::delete_many().filter(css::Column::CreatedAt.lt(before)).exec(&self.db).await.map_err(StoreError::Db)?;
        Ok(res.rows_affected)
    }
}
