//! Passkeys (WebAuthn credentials). The credential id is unique across the
//! database: a replayed registration fails on it. What the passkey library
//! needs to verify a sign-in (static and dynamic state) is kept as opaque
//! bytes next to the columns the account page shows.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use trame_core::crypto::{b64url, b64url_decode};
use trame_core::user::UserProfile;

use super::account::{insert_recovery_codes, use_invitation_in};
use super::users::{conflict_name, new_user_row, to_domain as user_to_domain, user_row};
use super::{json_list, new_id, parse_list};
use crate::entity::passkey;
use crate::repo::NewUser;
use crate::{Result, Store, StoreError};

/// A passkey to record, as the registration ceremony produced it.
#[derive(Debug, Clone)]
pub struct NewPasskey {
    pub credential_id: Vec<u8>,
    pub name: String,
    pub public_key: Vec<u8>,
    pub dynamic_state: Vec<u8>,
    pub sign_count: u32,
    pub backup_eligible: bool,
    pub backup_state: bool,
    pub aaguid: [u8; 16],
    pub transports: Vec<String>,
    /// The level of the session that binds it; `None` for the first
    /// credential of a new account, which no session preceded.
    pub max_acr: Option<String>,
}

/// A stored passkey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passkey {
    pub id: String,
    pub user_id: String,
    pub credential_id: Vec<u8>,
    pub name: String,
    pub public_key: Vec<u8>,
    pub dynamic_state: Vec<u8>,
    pub sign_count: u32,
    pub backup_eligible: bool,
    pub backup_state: bool,
    pub aaguid: [u8; 16],
    pub transports: Vec<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    /// The highest level a sign-in with it reaches (see [`NewPasskey`]).
    pub max_acr: Option<String>,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex16(s: &str) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    if s.len() != 32 {
        return None;
    }
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn to_domain(m: passkey::Model) -> Result<Passkey> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("passkey {}: {what}", m.id));
    Ok(Passkey {
        credential_id: b64url_decode(&m.credential_id).ok_or_else(|| corrupt("credential id"))?,
        public_key: b64url_decode(&m.public_key).ok_or_else(|| corrupt("public key"))?,
        dynamic_state: b64url_decode(&m.dynamic_state).ok_or_else(|| corrupt("dynamic state"))?,
        aaguid: unhex16(&m.aaguid).ok_or_else(|| corrupt("aaguid"))?,
        transports: parse_list(&m.transports, "passkey transports")?,
        sign_count: u32::try_from(m.sign_count).map_err(|_| corrupt("sign count"))?,
        id: m.id,
        user_id: m.user_id,
        name: m.name,
        backup_eligible: m.backup_eligible,
        backup_state: m.backup_state,
        created_at: m.created_at,
        last_used_at: m.last_used_at,
        max_acr: m.max_acr,
    })
}

fn row(tenant_id: &str, user_id: &str, p: NewPasskey, now: i64) -> passkey::ActiveModel {
    passkey::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(tenant_id.to_owned()),
        user_id: Set(user_id.to_owned()),
        credential_id: Set(b64url(&p.credential_id)),
        name: Set(p.name),
        public_key: Set(b64url(&p.public_key)),
        dynamic_state: Set(b64url(&p.dynamic_state)),
        sign_count: Set(i64::from(p.sign_count)),
        backup_eligible: Set(p.backup_eligible),
        backup_state: Set(p.backup_state),
        aaguid: Set(hex(&p.aaguid)),
        transports: Set(json_list(&p.transports)),
        created_at: Set(now),
        last_used_at: Set(None),
        max_acr: Set(p.max_acr),
    }
}

const PASSKEY_CONFLICT: &str = "this passkey";

impl Store {
    /// Creates an account with its first passkey and its recovery codes, in
    /// one transaction: a sign-up either happened entirely or not at all.
    /// With an invitation (its digest), the invitation is used in the same
    /// transaction, so it yields one account at most.
    pub async fn create_user_with_passkey(
        &self,
        tenant_id: &str,
        new: NewUser,
        key: NewPasskey,
        recovery_digests: &[String],
        invitation: Option<&str>,
        now: i64,
    ) -> Result<UserProfile> {
        let name = conflict_name(&new.username);
        let user_row = new_user_row(tenant_id, new, now)?;
        let txn = self.begin().await?;
        if let Some(digest) = invitation
            && !use_invitation_in(&txn, tenant_id, digest, now).await?
        {
            return Err(StoreError::Invalid("the invitation is used or expired".into()));
        }
        let u = user_row.insert(&txn).await.map_err(|e| StoreError::from_db(e, name))?;
        row(tenant_id, &u.id, key, now).insert(&txn).await.map_err(|e| StoreError::from_db(e, PASSKEY_CONFLICT))?;
        insert_recovery_codes(&txn, tenant_id, &u.id, recovery_digests, now).await?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(user_to_domain(&u))
    }

    /// Adds a passkey to an existing account.
    pub async fn add_passkey(&self, tenant_id: &str, user_id: &str, key: NewPasskey, now: i64) -> Result<Passkey> {
        let m = row(tenant_id, user_id, key, now).insert(&self.db).await.map_err(|e| StoreError::from_db(e, PASSKEY_CONFLICT))?;
        to_domain(m)
    }

    /// Lifts the cap of one of the user's passkeys to `max_acr` (`None`:
    /// no cap), once the tenant's upgrade rule was met.
    pub async fn set_passkey_max_acr(&self, tenant_id: &str, user_id: &str, id: &str, max_acr: Option<&str>) -> Result<()> {
        let r = passkey::Entity::update_many()
            .col_expr(passkey::Column::MaxAcr, sea_orm::sea_query::Expr::value(max_acr.map(str::to_owned)))
            .filter(passkey::Column::TenantId.eq(tenant_id))
            .filter(passkey::Column::UserId.eq(user_id))
            .filter(passkey::Column::Id.eq(id))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        if r.rows_affected == 0 {
            return Err(StoreError::NotFound("passkey".into()));
        }
        Ok(())
    }

    pub async fn passkey_by_credential(&self, tenant_id: &str, credential_id: &[u8]) -> Result<Option<Passkey>> {
        let m = passkey::Entity::find()
            .filter(passkey::Column::TenantId.eq(tenant_id))
            .filter(passkey::Column::CredentialId.eq(b64url(credential_id)))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?;
        m.map(to_domain).transpose()
    }

    /// A user's passkeys, oldest first.
    pub async fn passkeys_of(&self, tenant_id: &str, user_id: &str) -> Result<Vec<Passkey>> {
        let rows = passkey::Entity::find()
            .filter(passkey::Column::TenantId.eq(tenant_id))
            .filter(passkey::Column::UserId.eq(user_id))
            .order_by_asc(passkey::Column::CreatedAt)
            .order_by_asc(passkey::Column::Id)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        rows.into_iter().map(to_domain).collect()
    }

    /// Records a successful sign-in with a passkey: its new dynamic state
    /// (counter, backup state) and the time of use.
    pub async fn record_passkey_use(&self, tenant_id: &str, id: &str, dynamic_state: &[u8], sign_count: u32, backup_state: bool, now: i64) -> Result<()> {
        passkey::Entity::update_many()
            .col_expr(passkey::Column::DynamicState, Expr::value(b64url(dynamic_state)))
            .col_expr(passkey::Column::SignCount, Expr::value(i64::from(sign_count)))
            .col_expr(passkey::Column::BackupState, Expr::value(backup_state))
            .col_expr(passkey::Column::LastUsedAt, Expr::value(now))
            .filter(passkey::Column::TenantId.eq(tenant_id))
            .filter(passkey::Column::Id.eq(id))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(())
    }

    pub async fn rename_passkey(&self, tenant_id: &str, user_id: &str, id: &str, name: &str) -> Result<()> {
        let r = passkey::Entity::update_many()
            .col_expr(passkey::Column::Name, Expr::value(name.to_owned()))
            .filter(passkey::Column::TenantId.eq(tenant_id))
            .filter(passkey::Column::UserId.eq(user_id))
            .filter(passkey::Column::Id.eq(id))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        if r.rows_affected == 0 {
            return Err(StoreError::NotFound("passkey".into()));
        }
        Ok(())
    }

    /// Removes a passkey. Refused with `Invalid` when it is the account's
    /// last way to sign in (no other passkey and no password) unless
    /// `allow_last`: the caller asks the person to confirm first.
    pub async fn remove_passkey(&self, tenant_id: &str, user_id: &str, id: &str, allow_last: bool) -> Result<()> {
        let txn = self.begin().await?;
        let count = passkey::Entity::find()
            .filter(passkey::Column::TenantId.eq(tenant_id))
            .filter(passkey::Column::UserId.eq(user_id))
            .count(&txn)
            .await
            .map_err(StoreError::Db)?;
        let has_password = user_row(&txn, tenant_id, user_id).await?.is_some_and(|u| u.password_hash.is_some());
        if count <= 1 && !has_password && !allow_last {
            return Err(StoreError::Invalid("this passkey is the last way to sign in".into()));
        }
        let r = passkey::Entity::delete_many()
            .filter(passkey::Column::TenantId.eq(tenant_id))
            .filter(passkey::Column::UserId.eq(user_id))
            .filter(passkey::Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        if r.rows_affected == 0 {
            return Err(StoreError::NotFound("passkey".into()));
        }
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(())
    }
}
