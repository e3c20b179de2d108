//! Revoked access tokens (RFC 7009), kept in the database so that a
//! revocation survives the loss of the ephemeral store: Redis restarted
//! empty must not bring a revoked token back to life.
//!
//! Every check reads the database rather than a Redis cache. A user's token
//! is checked together with its grant, which is read anyway (one query by
//! primary key): the revocation is one more primary-key probe inside that
//! same query (`EXISTS`), so it costs no extra round trip, where a cache
//! would add one and a way to be wrong (an emptied Redis saying "not
//! revoked"). A token without a grant (client credentials) costs one
//! primary-key read, as the Redis read it replaces did.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, QueryTrait, Set};
use trame_core::user::UserProfile;

use super::grants::{Grant, to_domain};
use crate::entity::{grant, revoked_access_token, user};
use crate::{Result, Store, StoreError};

/// The alias of the `EXISTS` column in [`Store::access_grant`].
const REVOKED: &str = "jti_revoked";

/// What an access token of a grant is checked against.
#[derive(Debug, Clone)]
pub struct AccessGrant {
    pub grant: Grant,
    /// The grant's user, when asked for and it still exists in the grant's
    /// tenant.
    pub user: Option<UserProfile>,
    /// The token itself (its `jti`) was revoked.
    pub token_revoked: bool,
}

impl Store {
    /// Records that the access token `jti` is revoked, until `expires_at`
    /// (its `exp`; past it the token is refused anyway). Revoking twice is
    /// harmless.
    pub async fn revoke_access_token(&self, jti: &str, expires_at: i64) -> Result<()> {
        let row = revoked_access_token::ActiveModel { jti: Set(jti.to_owned()), expires_at: Set(expires_at) };
        revoked_access_token::Entity::insert(row).on_conflict_do_nothing().exec_without_returning(&self.db).await.map_err(StoreError::Db)?;
        Ok(())
    }

    /// Whether the access token `jti` was revoked (for tokens without a
    /// grant; a grant's tokens are checked by [`Store::access_grant`]).
    pub async fn access_token_revoked(&self, jti: &str) -> Result<bool> {
        let row = revoked_access_token::Entity::find_by_id(jti.to_owned()).one(&self.db).await.map_err(StoreError::Db)?;
        Ok(row.is_some())
    }

    /// The grant `gid`, whether the token `jti` was revoked and, with
    /// `with_user`, the grant's user: one query (UserInfo and introspection
    /// are the hot path). `None` when the grant does not exist.
    pub async fn access_grant(&self, gid: &str, jti: &str, with_user: bool) -> Result<Option<AccessGrant>> {
        let revoked =
            Expr::exists(Query::select().expr(Expr::val(1)).from(revoked_access_token::Entity).and_where(revoked_access_token::Column::Jti.eq(jti)).to_owned());
        let backend = self.db.get_database_backend();
        let stmt = if with_user {
            grant::Entity::find_by_id(gid.to_owned()).find_also_related(user::Entity).expr_as(revoked, REVOKED).build(backend)
        } else {
            grant::Entity::find_by_id(gid.to_owned()).expr_as(revoked, REVOKED).build(backend)
        };
        let Some(row) = self.db.query_one_raw(stmt).await.map_err(StoreError::Db)? else {
            return Ok(None);
        };
        let token_revoked: bool = row.try_get("", REVOKED).map_err(StoreError::Db)?;
        // The prefixes are those sea-orm gives the two sides of a join.
        let (g, u) = if with_user {
            (grant::Model::from_query_result(&row, "A_").map_err(StoreError::Db)?, user::Model::from_query_result_optional(&row, "B_").map_err(StoreError::Db)?)
        } else {
            (grant::Model::from_query_result(&row, "").map_err(StoreError::Db)?, None)
        };
        let user = u.filter(|u| u.tenant_id == g.tenant_id).as_ref().map(super::users::to_domain);
        Ok(Some(AccessGrant { grant: to_domain(g)?, user, token_revoked }))
    }

    /// Forgets revocations of tokens that have expired anyway; returns how
    /// many. Any node may run it at any time.
    pub async fn prune_revocations(&self, now: i64) -> Result<u64> {
        let res = revoked_access_token::Entity::delete_many()
            .filter(revoked_access_token::Column::ExpiresAt.lte(now))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(res.rows_affected)
    }
}
