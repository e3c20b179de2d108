//! Dynamic client registration (RFC 7591): initial access tokens.

use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, Set};

use crate::entity::initial_access_token as iat;
use crate::{Result, Store, StoreError};

impl Store {
    /// Records an initial access token (its digest) that allows `uses`
    /// registrations (`None`: any number) until `expires_at`.
    pub async fn create_initial_access_token(&self, tenant_id: &str, digest: &str, expires_at: i64, uses: Option<i64>, now: i64) -> Result<()> {
        iat::ActiveModel {
            digest: Set(digest.to_owned()),
            tenant_id: Set(tenant_id.to_owned()),
            created_at: Set(now),
            expires_at: Set(expires_at),
            uses_left: Set(uses),
        }
        .insert(&self.db)
        .await
        .map_err(|e| StoreError::from_db(e, "initial access token"))?;
        Ok(())
    }

    /// Spends one use of an initial access token, atomically (one UPDATE
    /// with the conditions, so two registrations cannot share a last use).
    /// False when the token is unknown, expired or used up.
    pub async fn use_initial_access_token(&self, tenant_id: &str, digest: &str, now: i64) -> Result<bool> {
        let res = iat::Entity::update_many()
            .col_expr(iat::Column::UsesLeft, Expr::col(iat::Column::UsesLeft).sub(1))
            .filter(iat::Column::Digest.eq(digest))
            .filter(iat::Column::TenantId.eq(tenant_id))
            .filter(iat::Column::ExpiresAt.gt(now))
            .filter(Condition::any().add(iat::Column::UsesLeft.is_null()).add(iat::Column::UsesLeft.gt(0)))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(res.rows_affected == 1)
    }

    /// Sets the digest of a client's registration access token (RFC 7592:
    /// issued at registration, rotated on update).
    /// Like every client write, it moves the catalog version: nodes cache
    /// clients until it moves.
    pub async fn set_registration_token(&self, tenant_id: &str, client_id: &str, digest: &str) -> Result<()> {
        use crate::entity::client;
        let txn = self.begin().await?;
        let res = client::Entity::update_many()
            .col_expr(client::Column::RegistrationTokenDigest, Expr::value(digest.to_owned()))
            .filter(client::Column::TenantId.eq(tenant_id))
            .filter(client::Column::ClientId.eq(client_id))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound(format!("client '{client_id}'")));
        }
        crate::repo::catalog::bump(&txn).await?;
        txn.commit().await.map_err(StoreError::Db)
    }
}
