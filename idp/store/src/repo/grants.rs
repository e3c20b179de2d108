//! Grants (what a user let a client do), their refresh tokens, and consents.
//!
//! A grant is the refresh-token family: every refresh token belongs to one,
//! rotation adds a token and marks the old one used, and the reuse of a used
//! token revokes the whole grant (RFC 9700 §4.14.2; `refresh_tokens.rs`).

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::{json_list, new_id, parse_list};
use crate::entity::{consent, grant, refresh_token, user};
use crate::{Result, Store, StoreError};
use trame_core::user::UserProfile;

#[derive(Debug, Clone)]
pub struct NewGrant {
    pub tenant_id: String,
    pub client_id: String,
    pub user_id: String,
    pub scopes: String,
    pub claims: serde_json::Value,
    pub auth_time: i64,
    pub acr: String,
    pub amr: Vec<String>,
    pub sid: String,
    pub expires_at: i64,
}

/// A consent a user gave to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub client_id: String,
    /// Space-separated, as granted.
    pub scopes: String,
    pub granted_at: i64,
}

#[derive(Debug, Clone)]
pub struct Grant {
    pub id: String,
    pub tenant_id: String,
    pub client_id: String,
    pub user_id: String,
    pub scopes: String,
    pub claims: serde_json::Value,
    pub auth_time: i64,
    pub acr: String,
    pub amr: Vec<String>,
    pub sid: String,
    pub expires_at: i64,
    pub revoked: bool,
}

impl Grant {
    pub fn is_active(&self, now: i64) -> bool {
        !self.revoked && self.expires_at > now
    }
}

pub(super) fn to_domain(m: grant::Model) -> Result<Grant> {
    Ok(Grant {
        claims: serde_json::from_str(&m.claims).map_err(|_| StoreError::Corrupt("grant claims".into()))?,
        amr: parse_list(&m.amr, "grant amr")?,
        id: m.id,
        tenant_id: m.tenant_id,
        client_id: m.client_id,
        user_id: m.user_id,
        scopes: m.scopes,
        auth_time: m.auth_time,
        acr: m.acr,
        sid: m.sid,
        expires_at: m.expires_at,
        revoked: m.revoked_at.is_some(),
    })
}

impl Store {
    pub async fn create_grant(&self, g: NewGrant, now: i64) -> Result<Grant> {
        let m = grant::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(g.tenant_id),
            client_id: Set(g.client_id),
            user_id: Set(g.user_id),
            scopes: Set(g.scopes),
            claims: Set(g.claims.to_string()),
            auth_time: Set(g.auth_time),
            acr: Set(g.acr),
            amr: Set(json_list(&g.amr)),
            sid: Set(g.sid),
            created_at: Set(now),
            expires_at: Set(g.expires_at),
            revoked_at: Set(None),
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::Db)?;
        to_domain(m)
    }

    pub async fn grant(&self, id: &str) -> Result<Option<Grant>> {
        let row = grant::Entity::find_by_id(id.to_owned()).one(&self.db).await.map_err(StoreError::Db)?;
        row.map(to_domain).transpose()
    }

    /// A grant and the user it was made for, in one query (UserInfo needs
    /// both; two round trips cost a third of its throughput on PostgreSQL).
    /// The user is `None` when it no longer exists or belongs to another
    /// tenant than the grant.
    pub async fn grant_with_user(&self, id: &str) -> Result<Option<(Grant, Option<UserProfile>)>> {
        let Some((g, u)) = grant::Entity::find_by_id(id.to_owned()).find_also_related(user::Entity).one(&self.db).await.map_err(StoreError::Db)? else {
            return Ok(None);
        };
        let user = u.filter(|u| u.tenant_id == g.tenant_id).as_ref().map(super::users::to_domain);
        Ok(Some((to_domain(g)?, user)))
    }

    pub async fn revoke_grant(&self, id: &str, now: i64) -> Result<()> {
        grant::Entity::update_many()
            .col_expr(grant::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
            .filter(grant::Column::Id.eq(id))
            .filter(grant::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(())
    }

    /// Revokes every active grant of a user except those of the session
    /// `keep_sid` (after a password change, a credential removal or a
    /// recovery: whatever another session obtained stops working, refresh
    /// tokens included). Returns the ids of the grants revoked.
    pub async fn revoke_grants_of_user(&self, tenant_id: &str, user_id: &str, keep_sid: Option<&str>, now: i64) -> Result<Vec<String>> {
        let mut q = grant::Entity::find()
            .select_only()
            .column(grant::Column::Id)
            .filter(grant::Column::TenantId.eq(tenant_id))
            .filter(grant::Column::UserId.eq(user_id))
            .filter(grant::Column::RevokedAt.is_null());
        if let Some(sid) = keep_sid {
            q = q.filter(grant::Column::Sid.ne(sid));
        }
        let ids: Vec<String> = q.into_tuple().all(&self.db).await.map_err(StoreError::Db)?;
        for id in &ids {
            self.revoke_grant(id, now).await?;
        }
        Ok(ids)
    }

    /// For introspection and revocation: the grant of a refresh token that is
    /// still usable.
    pub async fn refresh_token_grant(&self, digest: &str, now: i64) -> Result<Option<Grant>> {
        let Some(row) = refresh_token::Entity::find_by_id(digest.to_owned()).one(&self.db).await.map_err(StoreError::Db)? else {
            return Ok(None);
        };
        if row.used_at.is_some() || row.expires_at <= now {
            return Ok(None);
        }
        Ok(self.grant(&row.grant_id).await?.filter(|g| g.is_active(now)))
    }

    /// The clients a browser session signed a user in to (each grant
    /// records its session's `sid`), for the logout notifications. Revoked
    /// and expired grants count: the client may still hold its own session.
    pub async fn session_client_ids(&self, tenant_id: &str, user_id: &str, sid: &str) -> Result<Vec<String>> {
        let rows: Vec<String> = grant::Entity::find()
            .select_only()
            .column(grant::Column::ClientId)
            .distinct()
            .filter(grant::Column::TenantId.eq(tenant_id))
            .filter(grant::Column::UserId.eq(user_id))
            .filter(grant::Column::Sid.eq(sid))
            .order_by_asc(grant::Column::ClientId)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows)
    }

    /// The scopes a user already consented to for a client.
    pub async fn consented_scopes(&self, tenant_id: &str, user_id: &str, client_id: &str) -> Result<Option<String>> {
        let row = consent::Entity::find()
            .filter(consent::Column::TenantId.eq(tenant_id))
            .filter(consent::Column::UserId.eq(user_id))
            .filter(consent::Column::ClientId.eq(client_id))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(row.map(|r| r.scopes))
    }

    /// Every consent a user gave, by client.
    pub async fn consents_of(&self, tenant_id: &str, user_id: &str) -> Result<Vec<Consent>> {
        let rows = consent::Entity::find()
            .filter(consent::Column::TenantId.eq(tenant_id))
            .filter(consent::Column::UserId.eq(user_id))
            .order_by_asc(consent::Column::ClientId)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.into_iter().map(|r| Consent { client_id: r.client_id, scopes: r.scopes, granted_at: r.granted_at }).collect())
    }

    /// Withdraws a user's consent to a client and revokes the grants that
    /// client holds for the user (their refresh tokens and access tokens
    /// stop), in one transaction. Returns the sessions (`sid`) those
    /// grants came from, whose logout the client is to be told of; `None`
    /// when there was no such consent.
    pub async fn withdraw_consent(&self, tenant_id: &str, user_id: &str, client_id: &str, now: i64) -> Result<Option<Vec<String>>> {
        let txn = self.begin().await?;
        let gone = consent::Entity::delete_many()
            .filter(consent::Column::TenantId.eq(tenant_id))
            .filter(consent::Column::UserId.eq(user_id))
            .filter(consent::Column::ClientId.eq(client_id))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        if gone.rows_affected == 0 {
            return Ok(None);
        }
        let of_client = || {
            grant::Entity::find()
                .filter(grant::Column::TenantId.eq(tenant_id))
                .filter(grant::Column::UserId.eq(user_id))
                .filter(grant::Column::ClientId.eq(client_id))
        };
        let sids: Vec<String> = of_client().select_only().column(grant::Column::Sid).distinct().into_tuple().all(&txn).await.map_err(StoreError::Db)?;
        grant::Entity::update_many()
            .col_expr(grant::Column::RevokedAt, Expr::value(now))
            .filter(grant::Column::TenantId.eq(tenant_id))
            .filter(grant::Column::UserId.eq(user_id))
            .filter(grant::Column::ClientId.eq(client_id))
            .filter(grant::Column::RevokedAt.is_null())
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(Some(sids))
    }

    pub async fn save_consent(&self, tenant_id: &str, user_id: &str, client_id: &str, scopes: &str, now: i64) -> Result<()> {
        let am = consent::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(tenant_id.to_owned()),
            user_id: Set(user_id.to_owned()),
            client_id: Set(client_id.to_owned()),
            scopes: Set(scopes.to_owned()),
            granted_at: Set(now),
        };
        consent::Entity::insert(am)
            .on_conflict(
                OnConflict::columns([consent::Column::TenantId, consent::Column::UserId, consent::Column::ClientId])
                    .update_columns([consent::Column::Scopes, consent::Column::GrantedAt])
                    .to_owned(),
            )
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(())
    }
}
