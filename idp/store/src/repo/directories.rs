//! A tenant's LDAP directories and the accounts they manage.
//!
//! The service account's password is sealed under the master key like a
//! signing key; it is opened only when a directory is read for use. An
//! account a directory manages is found by the entry's lasting identifier,
//! so a renamed agent keeps their account (and their passkeys).

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use trame_core::directory::DirectorySettings;
use zeroize::Zeroizing;

use super::new_id;
use super::users::{Account, NewUser, conflict_name, new_user_row, username_columns};
use crate::entity::{directory, user};
use crate::{Result, Store, StoreError};

/// A directory as read for use.
#[derive(Clone)]
pub struct Directory {
    pub id: String,
    pub name: String,
    pub settings: DirectorySettings,
    pub bind_password: Zeroizing<String>,
    pub created_at: i64,
}

impl std::fmt::Debug for Directory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory").field("id", &self.id).field("name", &self.name).field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// What a directory says of an agent, written to their account at each
/// sign-in and by each sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryProfile {
    /// The entry's lasting identifier.
    pub entry: String,
    pub username: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
}

/// An account a directory manages, as a sync sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedAccount {
    pub user_id: String,
    pub username: String,
    pub entry: String,
    pub disabled: bool,
    /// Disabled by a sync, not by an administrator.
    pub suspended: bool,
}

fn aad(directory_id: &str) -> Vec<u8> {
    format!("directory:{directory_id}").into_bytes()
}

impl Store {
    fn open_directory(&self, m: directory::Model) -> Result<Directory> {
        let settings = serde_json::from_str(&m.settings).map_err(|_| StoreError::Corrupt(format!("directory {}: unreadable settings", m.name)))?;
        let password = self.master_key.open(&m.bind_password_sealed, &aad(&m.id))?;
        let password = String::from_utf8(password.to_vec()).map_err(|_| StoreError::Corrupt(format!("directory {}: unreadable password", m.name)))?;
        Ok(Directory { id: m.id, name: m.name, settings, bind_password: Zeroizing::new(password), created_at: m.created_at })
    }

    /// Adds a directory; [`StoreError::Conflict`] when the tenant has one of
    /// that name.
    pub async fn add_directory(&self, tenant_id: &str, name: &str, settings: &DirectorySettings, bind_password: &str, now: i64) -> Result<Directory> {
        let id = new_id();
        let row = directory::ActiveModel {
            id: Set(id.clone()),
            tenant_id: Set(tenant_id.to_owned()),
            name: Set(name.to_owned()),
            settings: Set(serde_json::to_string(settings).expect("directory settings serialize")),
            bind_password_sealed: Set(self.master_key.seal(bind_password.as_bytes(), &aad(&id), self.rng())),
            created_at: Set(now),
        };
        let m = row.insert(&self.db).await.map_err(|e| StoreError::from_db(e, format!("directory '{name}'")))?;
        self.open_directory(m)
    }

    /// The tenant's directories, oldest first: the order sign-in asks them.
    pub async fn directories(&self, tenant_id: &str) -> Result<Vec<Directory>> {
        let rows = directory::Entity::find()
            .filter(directory::Column::TenantId.eq(tenant_id))
            .order_by_asc(directory::Column::CreatedAt)
            .order_by_asc(directory::Column::Id)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        rows.into_iter().map(|m| self.open_directory(m)).collect()
    }

    /// Every tenant's directories, with their tenant's id: what a sync pass
    /// goes through (one query, whatever the number of tenants).
    pub async fn all_directories(&self) -> Result<Vec<(String, Directory)>> {
        let rows = directory::Entity::find().order_by_asc(directory::Column::CreatedAt).all(&self.db).await.map_err(StoreError::Db)?;
        rows.into_iter().map(|m| Ok((m.tenant_id.clone(), self.open_directory(m)?))).collect()
    }

    pub async fn directory_by_name(&self, tenant_id: &str, name: &str) -> Result<Option<Directory>> {
        let row = directory::Entity::find()
            .filter(directory::Column::TenantId.eq(tenant_id))
            .filter(directory::Column::Name.eq(name))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?;
        row.map(|m| self.open_directory(m)).transpose()
    }

    /// Removes a directory. Its accounts stay, as local accounts without a
    /// password (passkeys still sign them in; an administrator may disable
    /// or remove them): `None` when there was no such directory, else how
    /// many accounts it managed.
    pub async fn remove_directory(&self, tenant_id: &str, name: &str) -> Result<Option<u64>> {
        let txn = self.begin().await?;
        let Some(row) = directory::Entity::find()
            .filter(directory::Column::TenantId.eq(tenant_id))
            .filter(directory::Column::Name.eq(name))
            .one(&txn)
            .await
            .map_err(StoreError::Db)?
        else {
            return Ok(None);
        };
        let unlinked = user::Entity::update_many()
            .col_expr(user::Column::DirectoryId, Expr::value(Option::<String>::None))
            .col_expr(user::Column::DirectoryEntry, Expr::value(Option::<String>::None))
            .col_expr(user::Column::DirectorySuspended, Expr::value(false))
            .col_expr(user::Column::Version, Expr::col(user::Column::Version).add(1))
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::DirectoryId.eq(&row.id))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        directory::Entity::delete_by_id(row.id).exec(&txn).await.map_err(StoreError::Db)?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(Some(unlinked.rows_affected))
    }

    /// Creates or updates the account of a directory entry after a good
    /// sign-in: names, e-mail address and phone number are the
    /// directory's; an account a sync suspended is enabled again (one an
    /// administrator disabled stays disabled). [`StoreError::Conflict`]
    /// when the username is a local account's (the local account is never
    /// taken over).
    pub async fn upsert_directory_account(&self, tenant_id: &str, directory_id: &str, p: &DirectoryProfile, now: i64) -> Result<Account> {
        let existing = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::DirectoryId.eq(directory_id))
            .filter(user::Column::DirectoryEntry.eq(p.entry.as_str()))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?;
        let name = conflict_name(&p.username);
        let Some(row) = existing else {
            let new = NewUser {
                username: p.username.clone(),
                email: p.email.clone(),
                given_name: p.given_name.clone(),
                family_name: p.family_name.clone(),
                phone_number: p.phone_number.clone(),
                ..Default::default()
            };
            let mut am = new_user_row(tenant_id, new, now)?;
            am.directory_id = Set(Some(directory_id.to_owned()));
            am.directory_entry = Set(Some(p.entry.clone()));
            let m = am.insert(&self.db).await.map_err(|e| StoreError::from_db(e, name))?;
            return Ok(Account::of(m));
        };
        let suspended = row.directory_suspended;
        let mut am: user::ActiveModel = row.clone().into();
        let columns = username_columns(&p.username)?;
        if columns.username != row.username {
            am.username = Set(columns.username);
            am.username_key = Set(columns.key);
            am.username_skeleton = Set(Some(columns.skeleton));
        }
        let set = |col: &mut sea_orm::ActiveValue<Option<String>>, current: &Option<String>, new: &Option<String>| {
            if current != new {
                *col = Set(new.clone());
            }
        };
        set(&mut am.given_name, &row.given_name, &p.given_name);
        set(&mut am.family_name, &row.family_name, &p.family_name);
        set(&mut am.phone_number, &row.phone_number, &p.phone_number);
        if row.email != p.email {
            am.email = Set(p.email.clone());
            am.email_verified = Set(false);
        }
        if suspended {
            am.disabled_at = Set(None);
            am.directory_suspended = Set(false);
        }
        if !am.is_changed() {
            return Ok(Account::of(row));
        }
        am.updated_at = Set(now);
        let m = am.update(&self.db).await.map_err(|e| StoreError::from_db(e, name))?;
        Ok(Account::of(m))
    }

    /// The account of a directory entry, if it has one yet.
    pub async fn directory_account(&self, tenant_id: &str, directory_id: &str, entry: &str) -> Result<Option<Account>> {
        let row = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::DirectoryId.eq(directory_id))
            .filter(user::Column::DirectoryEntry.eq(entry))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(row.map(Account::of))
    }

    /// The accounts a directory manages, for a sync.
    pub async fn directory_accounts(&self, tenant_id: &str, directory_id: &str) -> Result<Vec<ManagedAccount>> {
        let rows = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::DirectoryId.eq(directory_id))
            .order_by_asc(user::Column::UsernameKey)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows
            .into_iter()
            .map(|m| ManagedAccount {
                user_id: m.id,
                username: m.username,
                entry: m.directory_entry.unwrap_or_default(),
                disabled: m.disabled_at.is_some(),
                suspended: m.directory_suspended,
            })
            .collect())
    }

    /// Disables an account its directory no longer lets sign in; false when
    /// it was disabled already (by anyone) or is not that directory's.
    pub async fn suspend_directory_account(&self, tenant_id: &str, directory_id: &str, user_id: &str, now: i64) -> Result<bool> {
        let r = user::Entity::update_many()
            .col_expr(user::Column::DisabledAt, Expr::value(Some(now)))
            .col_expr(user::Column::DirectorySuspended, Expr::value(true))
            .col_expr(user::Column::UpdatedAt, Expr::value(now))
            .col_expr(user::Column::Version, Expr::col(user::Column::Version).add(1))
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::Id.eq(user_id))
            .filter(user::Column::DirectoryId.eq(directory_id))
            .filter(user::Column::DisabledAt.is_null())
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(r.rows_affected > 0)
    }
}
