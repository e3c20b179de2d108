//! The catalog version: one number bumped by every change to tenants,
//! clients and keys. Nodes poll it and reload their caches when it moves,
//! which is how a CLI change reaches every running node within seconds.

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entity::catalog_version;
use crate::{Result, Store, StoreError};

impl Store {
    pub async fn catalog_version(&self) -> Result<i64> {
        let row = catalog_version::Entity::find_by_id(1).one(&self.db).await.map_err(StoreError::Db)?;
        Ok(row.map(|r| r.version).unwrap_or(0))
    }
}

pub(crate) async fn bump<C: ConnectionTrait>(db: &C) -> Result<()> {
    db.execute_unprepared("UPDATE catalog_version SET version = version + 1 WHERE id = 1").await.map_err(StoreError::Db)?;
    Ok(())
}
