//! Citizens of peer providers: the (issuer, subject) a peer asserted,
//! linked to the local user that stands for them in this tenant. The
//! link is made once, at the first sign-in through the peer; a peer's
//! subject never moves to another local user.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use trame_core::user::UserProfile;

use super::new_id;
use super::users::{NewUser, conflict_name, new_user_row, to_domain, user_row};
use crate::entity::federated_identity;
use crate::{Result, Store, StoreError};

impl Store {
    /// The local user linked to this peer identity, if any, marking the
    /// link as used now.
    pub async fn federated_user(&self, tenant_id: &str, issuer: &str, subject: &str, now: i64) -> Result<Option<UserProfile>> {
        let link = federated_identity::Entity::find()
            .filter(federated_identity::Column::TenantId.eq(tenant_id))
            .filter(federated_identity::Column::Issuer.eq(issuer))
            .filter(federated_identity::Column::Subject.eq(subject))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?;
        let Some(link) = link else { return Ok(None) };
        let Some(user) = user_row(&self.db, tenant_id, &link.user_id).await? else { return Ok(None) };
        let mut am: federated_identity::ActiveModel = link.into();
        am.last_used_at = Set(now);
        am.update(&self.db).await.map_err(StoreError::Db)?;
        Ok(Some(to_domain(&user)))
    }

    /// Creates a local user for a peer identity seen for the first time
    /// and links them, in one transaction. When another node linked the
    /// same identity meanwhile, that link wins and its user is returned.
    pub async fn link_new_federated_user(&self, tenant_id: &str, issuer: &str, subject: &str, new: NewUser, now: i64) -> Result<UserProfile> {
        let name = conflict_name(&new.username);
        let row = new_user_row(tenant_id, new, now)?;
        let txn = self.begin().await?;
        let user = row.insert(&txn).await.map_err(|e| StoreError::from_db(e, name))?;
        let link = federated_identity::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(tenant_id.to_owned()),
            issuer: Set(issuer.to_owned()),
            subject: Set(subject.to_owned()),
            user_id: Set(user.id.clone()),
            created_at: Set(now),
            last_used_at: Set(now),
        };
        match link.insert(&txn).await.map_err(|e| StoreError::from_db(e, "federated identity")) {
            Ok(_) => {
                txn.commit().await.map_err(StoreError::Db)?;
                Ok(to_domain(&user))
            }
            Err(StoreError::Conflict(_)) => {
                txn.rollback().await.map_err(StoreError::Db)?;
                self.federated_user(tenant_id, issuer, subject, now)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("a federated identity link without its user".into()))
            }
            Err(e) => Err(e),
        }
    }

    /// The peer identities linked to a user: (issuer, subject).
    pub async fn federated_identities_of(&self, tenant_id: &str, user_id: &str) -> Result<Vec<(String, String)>> {
        let rows = federated_identity::Entity::find()
            .filter(federated_identity::Column::TenantId.eq(tenant_id))
            .filter(federated_identity::Column::UserId.eq(user_id))
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(|r| (r.issuer, r.subject)).collect())
    }
}
