//! What an account holds besides its profile and passkeys: recovery codes,
//! the TOTP second factor, the password, the e-mail verification, the
//! browser sessions the person can see and end, and invitations.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use trame_core::user::UserProfile;
use zeroize::Zeroizing;

use super::users::{to_domain as user_to_domain, user_row};
use super::{json_list, parse_list};
use crate::entity::{account_session, invitation, passkey, recovery_code, user};
use crate::{Result, Store, StoreError};

/// A browser session as the account page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSession {
    pub sid: String,
    pub user_id: String,
    pub store_key: String,
    pub label: String,
    pub amr: Vec<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// An unused invitation to create an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub email: Option<String>,
    pub expires_at: i64,
}

/// What a sign-in with a password needs besides the hash.
#[derive(Debug, Clone)]
pub struct SecondFactor {
    pub totp_secret: Option<Zeroizing<Vec<u8>>>,
    /// The level of the session that enabled TOTP (`None`: no cap).
    pub totp_max_acr: Option<String>,
}

/// What [`Store::remove_credentials`] took from an account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RemovedCredentials {
    pub passkeys: u64,
    pub password: bool,
    pub totp: bool,
    /// The unused recovery codes (the used ones went too: they open nothing).
    pub recovery_codes: u64,
}

fn totp_aad(user_id: &str) -> Vec<u8> {
    format!("totp:{user_id}").into_bytes()
}

/// Records recovery codes (their digests) for a user, inside the caller's
/// transaction.
pub(crate) async fn insert_recovery_codes(db: &impl ConnectionTrait, tenant_id: &str, user_id: &str, digests: &[String], now: i64) -> Result<()> {
    for d in digests {
        recovery_code::ActiveModel {
            digest: Set(d.clone()),
            tenant_id: Set(tenant_id.to_owned()),
            user_id: Set(user_id.to_owned()),
            created_at: Set(now),
            used_at: Set(None),
        }
        .insert(db)
        .await
        .map_err(StoreError::Db)?;
    }
    Ok(())
}

/// Uses an invitation if it is unused and unexpired (a conditional update:
/// one account per invitation), on the caller's connection or transaction.
pub(crate) async fn use_invitation_in(db: &impl ConnectionTrait, tenant_id: &str, digest: &str, now: i64) -> Result<bool> {
    let r = invitation::Entity::update_many()
        .col_expr(invitation::Column::UsedAt, Expr::value(now))
        .filter(invitation::Column::TenantId.eq(tenant_id))
        .filter(invitation::Column::Digest.eq(digest))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .exec(db)
        .await
        .map_err(StoreError::Db)?;
    Ok(r.rows_affected == 1)
}

impl Store {
    async fn update_user(&self, tenant_id: &str, user_id: &str, f: impl FnOnce(&mut user::ActiveModel)) -> Result<()> {
        let row = user_row(&self.db, tenant_id, user_id).await?.ok_or_else(|| StoreError::NotFound("user".into()))?;
        let mut am: user::ActiveModel = row.into();
        f(&mut am);
        am.update(&self.db).await.map_err(StoreError::Db)?;
        Ok(())
    }

    /// Sets (`Some`) or removes (`None`) the password. Removing it is
    /// refused when the account has no passkey: it would lock the person out.
    pub async fn set_password_of(&self, tenant_id: &str, user_id: &str, hash: Option<&str>, now: i64) -> Result<()> {
        if hash.is_none() && self.passkeys_of(tenant_id, user_id).await?.is_empty() {
            return Err(StoreError::Invalid("the password is the last way to sign in".into()));
        }
        self.update_user(tenant_id, user_id, |am| {
            am.password_hash = Set(hash.map(str::to_owned));
            if hash.is_none() {
                // A second factor without a first one means nothing.
                am.totp_secret_sealed = Set(None);
            }
            am.updated_at = Set(now);
        })
        .await
    }

    /// Sets the address. A verified address belongs to one account of the
    /// tenant at most (compared without case): verifying one that another
    /// account verified is a [`StoreError::Conflict`], enforced by a unique
    /// index so two verifications at once cannot both succeed.
    pub async fn set_email(&self, tenant_id: &str, user_id: &str, email: Option<&str>, verified: bool, now: i64) -> Result<()> {
        let row = user_row(&self.db, tenant_id, user_id).await?.ok_or_else(|| StoreError::NotFound("user".into()))?;
        let mut am: user::ActiveModel = row.into();
        am.email = Set(email.map(str::to_owned));
        am.email_verified = Set(verified && email.is_some());
        am.updated_at = Set(now);
        am.update(&self.db).await.map_err(|e| StoreError::from_db(e, "this verified e-mail address"))?;
        Ok(())
    }

    /// The user with this verified e-mail address, if exactly one has it.
    pub async fn user_by_verified_email(&self, tenant_id: &str, email: &str) -> Result<Option<UserProfile>> {
        let rows = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(sea_orm::sea_query::ExprTrait::eq(Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(user::Column::Email))), email.trim().to_lowercase()))
            .filter(user::Column::EmailVerified.eq(true))
            .limit(2)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(if rows.len() == 1 { Some(user_to_domain(&rows[0])) } else { None })
    }

    /// Removes every way the account signs in by itself: its passkeys,
    /// password, TOTP and recovery codes, in one transaction (a credential
    /// added meanwhile is either removed or added after: never half of
    /// one). `None` when the tenant has no such account. The account
    /// row's version moves on, so an administrator's `If-Match` read
    /// before no longer matches.
    pub async fn remove_credentials(&self, tenant_id: &str, user_id: &str, now: i64) -> Result<Option<RemovedCredentials>> {
        let txn = self.begin().await?;
        let Some(row) = user_row(&txn, tenant_id, user_id).await? else {
            return Ok(None);
        };
        let passkeys = passkey::Entity::delete_many()
            .filter(passkey::Column::TenantId.eq(tenant_id))
            .filter(passkey::Column::UserId.eq(user_id))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?
            .rows_affected;
        let recovery_codes = recovery_code::Entity::find()
            .filter(recovery_code::Column::TenantId.eq(tenant_id))
            .filter(recovery_code::Column::UserId.eq(user_id))
            .filter(recovery_code::Column::UsedAt.is_null())
            .count(&txn)
            .await
            .map_err(StoreError::Db)?;
        recovery_code::Entity::delete_many()
            .filter(recovery_code::Column::TenantId.eq(tenant_id))
            .filter(recovery_code::Column::UserId.eq(user_id))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        let removed = RemovedCredentials { passkeys, password: row.password_hash.is_some(), totp: row.totp_secret_sealed.is_some(), recovery_codes };
        let mut am: user::ActiveModel = row.into();
        am.password_hash = Set(None);
        am.totp_secret_sealed = Set(None);
        am.totp_max_acr = Set(None);
        am.updated_at = Set(now);
        am.update(&txn).await.map_err(StoreError::Db)?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(Some(removed))
    }

    // --- TOTP -----------------------------------------------------------

    /// Sets (sealed under the master key) or removes the TOTP secret;
    /// `max_acr` is the level of the session that enabled it.
    pub async fn set_totp_secret(&self, tenant_id: &str, user_id: &str, secret: Option<&[u8]>, max_acr: Option<&str>, now: i64) -> Result<()> {
        let sealed = secret.map(|s| self.master_key.seal(s, &totp_aad(user_id), self.rng()));
        self.update_user(tenant_id, user_id, |am| {
            am.totp_secret_sealed = Set(sealed);
            am.totp_max_acr = Set(max_acr.map(str::to_owned));
            am.totp_last_step = Set(0);
            am.updated_at = Set(now);
        })
        .await
    }

    /// Sets the cap of the account's TOTP (see [`SecondFactor`]).
    pub async fn set_totp_max_acr(&self, tenant_id: &str, user_id: &str, max_acr: Option<&str>) -> Result<()> {
        self.update_user(tenant_id, user_id, |am| am.totp_max_acr = Set(max_acr.map(str::to_owned))).await
    }

    pub async fn second_factor_of(&self, tenant_id: &str, user_id: &str) -> Result<SecondFactor> {
        let row = user_row(&self.db, tenant_id, user_id).await?.ok_or_else(|| StoreError::NotFound("user".into()))?;
        let totp_secret = match row.totp_secret_sealed {
            Some(s) => Some(self.master_key.open(&s, &totp_aad(user_id))?),
            None => None,
        };
        Ok(SecondFactor { totp_secret, totp_max_acr: row.totp_max_acr })
    }

    /// Accepts a TOTP time step once: true when `step` is later than every
    /// step used before (a conditional update, so two nodes cannot both
    /// accept the same code).
    pub async fn claim_totp_step(&self, tenant_id: &str, user_id: &str, step: i64) -> Result<bool> {
        let r = user::Entity::update_many()
            .col_expr(user::Column::TotpLastStep, Expr::value(step))
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::Id.eq(user_id))
            .filter(user::Column::TotpLastStep.lt(step))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(r.rows_affected == 1)
    }

    // --- Recovery codes ---------------------------------------------------

    /// Replaces the user's recovery codes by new ones (their digests).
    pub async fn replace_recovery_codes(&self, tenant_id: &str, user_id: &str, digests: &[String], now: i64) -> Result<()> {
        let txn = self.begin().await?;
        recovery_code::Entity::delete_many()
            .filter(recovery_code::Column::TenantId.eq(tenant_id))
            .filter(recovery_code::Column::UserId.eq(user_id))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        insert_recovery_codes(&txn, tenant_id, user_id, digests, now).await?;
        txn.commit().await.map_err(StoreError::Db)
    }

    /// Uses a recovery code: true when it was the user's and unused, and it
    /// is now used (a conditional update: single use across nodes).
    pub async fn use_recovery_code(&self, tenant_id: &str, user_id: &str, digest: &str, now: i64) -> Result<bool> {
        let r = recovery_code::Entity::update_many()
            .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
            .filter(recovery_code::Column::TenantId.eq(tenant_id))
            .filter(recovery_code::Column::UserId.eq(user_id))
            .filter(recovery_code::Column::Digest.eq(digest))
            .filter(recovery_code::Column::UsedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(r.rows_affected == 1)
    }

    pub async fn recovery_codes_left(&self, tenant_id: &str, user_id: &str) -> Result<u64> {
        recovery_code::Entity::find()
            .filter(recovery_code::Column::TenantId.eq(tenant_id))
            .filter(recovery_code::Column::UserId.eq(user_id))
            .filter(recovery_code::Column::UsedAt.is_null())
            .count(&self.db)
            .await
            .map_err(StoreError::Db)
    }

    // --- Sessions ---------------------------------------------------------

    pub async fn record_account_session(&self, tenant_id: &str, s: &AccountSession) -> Result<()> {
        account_session::ActiveModel {
            sid: Set(s.sid.clone()),
            tenant_id: Set(tenant_id.to_owned()),
            user_id: Set(s.user_id.clone()),
            store_key: Set(s.store_key.clone()),
            label: Set(s.label.clone()),
            amr: Set(json_list(&s.amr)),
            created_at: Set(s.created_at),
            expires_at: Set(s.expires_at),
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::Db)?;
        Ok(())
    }

    /// The user's sessions that have not expired, newest first.
    pub async fn account_sessions(&self, tenant_id: &str, user_id: &str, now: i64) -> Result<Vec<AccountSession>> {
        let rows = account_session::Entity::find()
            .filter(account_session::Column::TenantId.eq(tenant_id))
            .filter(account_session::Column::UserId.eq(user_id))
            .filter(account_session::Column::ExpiresAt.gt(now))
            .order_by_desc(account_session::Column::CreatedAt)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        rows.into_iter()
            .map(|m| {
                Ok(AccountSession {
                    amr: parse_list(&m.amr, "session amr")?,
                    sid: m.sid,
                    user_id: m.user_id,
                    store_key: m.store_key,
                    label: m.label,
                    created_at: m.created_at,
                    expires_at: m.expires_at,
                })
            })
            .collect()
    }

    /// Forgets a session; returns its ephemeral-store key so the caller can
    /// end it there too. `user_id` scopes it: nobody ends another's session.
    pub async fn remove_account_session(&self, tenant_id: &str, user_id: Option<&str>, sid: &str) -> Result<Option<String>> {
        let mut q = account_session::Entity::find_by_id(sid.to_owned()).filter(account_session::Column::TenantId.eq(tenant_id));
        if let Some(u) = user_id {
            q = q.filter(account_session::Column::UserId.eq(u));
        }
        let Some(row) = q.one(&self.db).await.map_err(StoreError::Db)? else {
            return Ok(None);
        };
        account_session::Entity::delete_by_id(sid.to_owned()).exec(&self.db).await.map_err(StoreError::Db)?;
        Ok(Some(row.store_key))
    }

    // --- Invitations ------------------------------------------------------

    pub async fn create_invitation(&self, tenant_id: &str, digest: &str, email: Option<&str>, expires_at: i64, now: i64) -> Result<()> {
        invitation::ActiveModel {
            digest: Set(digest.to_owned()),
            tenant_id: Set(tenant_id.to_owned()),
            email: Set(email.map(str::to_owned)),
            created_at: Set(now),
            expires_at: Set(expires_at),
            used_at: Set(None),
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::Db)?;
        Ok(())
    }

    /// An invitation that can still be used (not used, not expired).
    pub async fn invitation(&self, tenant_id: &str, digest: &str, now: i64) -> Result<Option<Invitation>> {
        let row = invitation::Entity::find_by_id(digest.to_owned())
            .filter(invitation::Column::TenantId.eq(tenant_id))
            .filter(invitation::Column::UsedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(now))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(row.map(|m| Invitation { email: m.email, expires_at: m.expires_at }))
    }

    /// Marks an invitation used; false when it was already used or expired
    /// (a conditional update: one account per invitation).
    pub async fn use_invitation(&self, tenant_id: &str, digest: &str, now: i64) -> Result<bool> {
        use_invitation_in(&self.db, tenant_id, digest, now).await
    }
}
