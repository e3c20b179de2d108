//! Administrative roles: who may administer what. The rules (which role
//! reaches what, never removing the last operator) are `trame_app::admin`'s;
//! this is their storage.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::new_id;
use crate::entity::admin_role;
use crate::{Result, Store, StoreError};

/// A role held in a tenant by a principal (`user:<id>` or
/// `client:<client id>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    pub tenant_id: String,
    pub principal: String,
    pub role: String,
    pub granted_at: i64,
}

fn to_domain(m: admin_role::Model) -> RoleGrant {
    RoleGrant { tenant_id: m.tenant_id, principal: m.principal, role: m.role, granted_at: m.granted_at }
}

impl Store {
    /// Grants a role; false when the principal already held it.
    pub async fn grant_role(&self, tenant_id: &str, principal: &str, role: &str, now: i64) -> Result<bool> {
        let row = admin_role::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(tenant_id.to_owned()),
            principal: Set(principal.to_owned()),
            role: Set(role.to_owned()),
            granted_at: Set(now),
        };
        match row.insert(&self.db).await.map_err(|e| StoreError::from_db(e, "this role")) {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Revokes a role; false when the principal did not hold it. When
    /// `keep_one_of` names a role, the revocation is refused with
    /// [`StoreError::Invalid`] if it would leave no principal holding that
    /// role anywhere (checked and done in one transaction).
    pub async fn revoke_role(&self, tenant_id: &str, principal: &str, role: &str, keep_one_of: Option<&str>) -> Result<bool> {
        let txn = self.begin().await?;
        let found = admin_role::Entity::find()
            .filter(admin_role::Column::TenantId.eq(tenant_id))
            .filter(admin_role::Column::Principal.eq(principal))
            .filter(admin_role::Column::Role.eq(role))
            .one(&txn)
            .await
            .map_err(StoreError::Db)?;
        let Some(found) = found else {
            return Ok(false);
        };
        if let Some(kept) = keep_one_of.filter(|k| *k == role) {
            // Locked (PostgreSQL: FOR UPDATE; SQLite writes one at a time
            // anyway), so two administrators revoking the last two holders
            // at once cannot both succeed.
            let holders = admin_role::Entity::find().filter(admin_role::Column::Role.eq(kept)).lock_exclusive().all(&txn).await.map_err(StoreError::Db)?;
            if holders.len() <= 1 {
                return Err(StoreError::Invalid(format!("the last {kept} cannot be removed")));
            }
        }
        admin_role::Entity::delete_by_id(found.id).exec(&txn).await.map_err(StoreError::Db)?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(true)
    }

    /// The roles a principal holds in a tenant.
    pub async fn roles_of(&self, tenant_id: &str, principal: &str) -> Result<Vec<String>> {
        let rows = admin_role::Entity::find()
            .filter(admin_role::Column::TenantId.eq(tenant_id))
            .filter(admin_role::Column::Principal.eq(principal))
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(|r| r.role).collect())
    }

    /// Every role held: in one tenant, or (`None`) anywhere.
    pub async fn role_grants(&self, tenant_id: Option<&str>) -> Result<Vec<RoleGrant>> {
        let mut find = admin_role::Entity::find();
        if let Some(t) = tenant_id {
            find = find.filter(admin_role::Column::TenantId.eq(t));
        }
        let rows = find
            .order_by_asc(admin_role::Column::TenantId)
            .order_by_asc(admin_role::Column::Principal)
            .order_by_asc(admin_role::Column::Role)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(to_domain).collect())
    }

    /// How many principals hold `role`, installation-wide.
    pub async fn role_holders(&self, role: &str) -> Result<u64> {
        admin_role::Entity::find().filter(admin_role::Column::Role.eq(role)).count(&self.db).await.map_err(StoreError::Db)
    }
}
