use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait};
use trame_core::user::{Address, UserProfile};

use super::new_id;
use crate::entity::{account_session, consent, federated_identity, grant, passkey, recovery_code, refresh_token, user};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    /// A chosen id (a passkey sign-up fixes the user handle, hence the id,
    /// before the account exists); a new UUID when `None`.
    pub id: Option<String>,
    pub username: String,
    pub email: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub phone_number: Option<String>,
    pub phone_number_verified: bool,
    pub address: Option<Address>,
    /// An argon2id PHC string, never a plain password.
    pub password_hash: Option<String>,
}

pub(crate) fn to_domain(m: &user::Model) -> UserProfile {
    UserProfile {
        id: m.id.clone(),
        username: m.username.clone(),
        email: m.email.clone(),
        email_verified: m.email_verified,
        given_name: m.given_name.clone(),
        family_name: m.family_name.clone(),
        phone_number: m.phone_number.clone(),
        phone_number_verified: m.phone_number.is_some() && m.phone_number_verified,
        // Written by Trame from an `Address`; unreadable JSON is no address.
        address: m.address.as_deref().and_then(|a| serde_json::from_str(a).ok()),
        locale: None,
        updated_at: m.updated_at,
    }
}

/// A user with what signing in needs to know besides the profile.
#[derive(Debug, Clone)]
pub struct Account {
    pub profile: UserProfile,
    /// An argon2id PHC string; `None` for a passwordless account.
    pub password_hash: Option<String>,
    /// Whether a TOTP second factor is set (the secret stays sealed).
    pub has_totp: bool,
    /// When the account was disabled (it cannot sign in), if it is.
    pub disabled_at: Option<i64>,
}

impl Account {
    fn of(m: user::Model) -> Self {
        Self { profile: to_domain(&m), has_totp: m.totp_secret_sealed.is_some(), disabled_at: m.disabled_at, password_hash: m.password_hash }
    }
}

/// The user row with this id in this tenant.
pub(crate) async fn user_row(db: &impl ConnectionTrait, tenant_id: &str, id: &str) -> Result<Option<user::Model>> {
    user::Entity::find_by_id(id.to_owned()).filter(user::Column::TenantId.eq(tenant_id)).one(db).await.map_err(StoreError::Db)
}

/// Usernames are unique without regard to case (and in one Unicode form).
fn username_key(username: &str) -> String {
    trame_core::username::lookup_key(username)
}

/// The row for a new user, after checking the username.
pub(crate) fn new_user_row(tenant_id: &str, new: NewUser, now: i64) -> Result<user::ActiveModel> {
    let username = trame_core::username::normalize(&new.username);
    let username = username.as_str();
    if username.is_empty() || username.chars().count() > 200 || username.chars().any(char::is_control) {
        return Err(StoreError::Invalid("a username is 1 to 200 printable characters".into()));
    }
    Ok(user::ActiveModel {
        id: Set(new.id.unwrap_or_else(new_id)),
        tenant_id: Set(tenant_id.to_owned()),
        username: Set(username.to_owned()),
        username_key: Set(username_key(username)),
        username_skeleton: Set(Some(trame_core::username::skeleton(username))),
        email: Set(new.email),
        email_verified: Set(false),
        given_name: Set(new.given_name),
        family_name: Set(new.family_name),
        phone_number_verified: Set(new.phone_number.is_some() && new.phone_number_verified),
        phone_number: Set(new.phone_number),
        address: Set(new.address.as_ref().map(|a| serde_json::to_string(a).expect("an address serializes"))),
        password_hash: Set(new.password_hash),
        totp_secret_sealed: Set(None),
        totp_last_step: Set(0),
        totp_max_acr: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        disabled_at: Set(None),
    })
}

pub(crate) fn conflict_name(username: &str) -> String {
    format!("user '{}'", username.trim())
}

impl Store {
    pub async fn create_user(&self, tenant_id: &str, new: NewUser, now: i64) -> Result<UserProfile> {
        let name = conflict_name(&new.username);
        let row = new_user_row(tenant_id, new, now)?;
        let m = row.insert(&self.db).await.map_err(|e| StoreError::from_db(e, name))?;
        Ok(to_domain(&m))
    }

    pub async fn list_users(&self, tenant_id: &str) -> Result<Vec<UserProfile>> {
        let rows = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .order_by_asc(user::Column::UsernameKey)
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.iter().map(to_domain).collect())
    }

    /// The account behind a username, for sign-in: one read gives what
    /// the password step and the decision about a second step need.
    pub async fn user_for_sign_in(&self, tenant_id: &str, username: &str) -> Result<Option<Account>> {
        let row = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::UsernameKey.eq(username_key(username)))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(row.map(Account::of))
    }

    /// Whether a new account could not take this name: another has it, or
    /// one that looks the same.
    pub async fn username_in_use(&self, tenant_id: &str, username: &str) -> Result<bool> {
        let n = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(
                sea_orm::Condition::any()
                    .add(user::Column::UsernameKey.eq(username_key(username)))
                    .add(user::Column::UsernameSkeleton.eq(trame_core::username::skeleton(username))),
            )
            .count(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(n > 0)
    }

    /// The account behind a user id (the account page's one read).
    pub async fn account(&self, tenant_id: &str, id: &str) -> Result<Option<Account>> {
        Ok(user_row(&self.db, tenant_id, id).await?.map(Account::of))
    }

    pub async fn user_by_id(&self, tenant_id: &str, id: &str) -> Result<Option<UserProfile>> {
        Ok(user_row(&self.db, tenant_id, id).await?.as_ref().map(to_domain))
    }

    pub async fn set_password_hash(&self, tenant_id: &str, username: &str, hash: &str, now: i64) -> Result<()> {
        let row = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::UsernameKey.eq(username_key(username)))
            .one(&self.db)
            .await
            .map_err(StoreError::Db)?
            .ok_or_else(|| StoreError::NotFound(format!("user '{username}'")))?;
        let mut am: user::ActiveModel = row.into();
        am.password_hash = Set(Some(hash.to_owned()));
        am.updated_at = Set(now);
        am.update(&self.db).await.map_err(StoreError::Db)?;
        Ok(())
    }

    /// Disables (`Some(when)`) or enables (`None`) an account; false when
    /// the tenant has no such account. Ending its sessions and grants is
    /// the caller's (`trame_app::users::disable`).
    pub async fn set_user_disabled(&self, tenant_id: &str, user_id: &str, disabled_at: Option<i64>, now: i64) -> Result<bool> {
        let r = user::Entity::update_many()
            .col_expr(user::Column::DisabledAt, Expr::value(disabled_at))
            .col_expr(user::Column::UpdatedAt, Expr::value(now))
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::Id.eq(user_id))
            .exec(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(r.rows_affected > 0)
    }

    /// Erases an account and everything kept about it, in one transaction:
    /// its passkeys, recovery codes, sessions, consents, grants with their
    /// refresh tokens, links to peer providers, and the account itself.
    /// False when the tenant has no such account. Telling its clients
    /// first is the caller's (`trame_app::users::remove`).
    pub async fn remove_user(&self, tenant_id: &str, user_id: &str) -> Result<bool> {
        let txn = self.db.begin().await.map_err(StoreError::Db)?;
        let grants: Vec<String> = grant::Entity::find()
            .select_only()
            .column(grant::Column::Id)
            .filter(grant::Column::TenantId.eq(tenant_id))
            .filter(grant::Column::UserId.eq(user_id))
            .into_tuple()
            .all(&txn)
            .await
            .map_err(StoreError::Db)?;
        if !grants.is_empty() {
            refresh_token::Entity::delete_many().filter(refresh_token::Column::GrantId.is_in(grants)).exec(&txn).await.map_err(StoreError::Db)?;
        }
        macro_rules! delete_of_user {
            ($entity:ident) => {
                $entity::Entity::delete_many()
                    .filter($entity::Column::TenantId.eq(tenant_id))
                    .filter($entity::Column::UserId.eq(user_id))
                    .exec(&txn)
                    .await
                    .map_err(StoreError::Db)?;
            };
        }
        delete_of_user!(grant);
        delete_of_user!(passkey);
        delete_of_user!(recovery_code);
        delete_of_user!(account_session);
        delete_of_user!(consent);
        delete_of_user!(federated_identity);
        let r = user::Entity::delete_many()
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::Id.eq(user_id))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
        txn.commit().await.map_err(StoreError::Db)?;
        Ok(r.rows_affected > 0)
    }
}
