use sea_orm::ActiveValue::NotSet;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use trame_core::user::{Address, UserProfile};

use super::new_id;
use crate::entity::{account_session, admin_role, cas_service_session, consent, federated_identity, grant, passkey, recovery_code, refresh_token, user};
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
    pub created_at: i64,
    /// Changes with every write of the account: what an administrator's
    /// `If-Match` compares.
    pub version: i64,
    /// The directory that manages the account, if one does: its password
    /// is checked there and its names and e-mail address are read there.
    pub directory_id: Option<String>,
}

impl Account {
    pub(crate) fn of(m: user::Model) -> Self {
        Self {
            profile: to_domain(&m),
            has_totp: m.totp_secret_sealed.is_some(),
            disabled_at: m.disabled_at,
            created_at: m.created_at,
            version: m.version,
            password_hash: m.password_hash,
            directory_id: m.directory_id,
        }
    }
}

/// One page of a tenant's accounts, in username order.
#[derive(Debug, Clone, Default)]
pub struct UserSearch {
    /// Accounts whose username, e-mail address, given name or family name
    /// starts with this (without case or accents); all when `None`.
    pub prefix: Option<String>,
    /// Accounts after this username key (the previous page's
    /// [`UserPage::next`]).
    pub after: Option<String>,
    /// At most this many (1 to 200).
    pub limit: u64,
}

#[derive(Debug, Clone)]
pub struct UserPage {
    pub accounts: Vec<Account>,
    /// Where the next page starts, when there may be one.
    pub next: Option<String>,
}

/// The profile fields an administrator or the person may change; `None`
/// leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    pub given_name: Option<Option<String>>,
    pub family_name: Option<Option<String>>,
    /// A changed address is no longer verified.
    pub email: Option<Option<String>>,
    pub phone_number: Option<Option<String>>,
    pub phone_number_verified: Option<bool>,
    pub address: Option<Option<Address>>,
}

/// The first string after every string that starts with `prefix`, in code
/// point order (the order of SQLite's BINARY and PostgreSQL's C
/// collations): `dup` gives `duq`. `None` when there is none to give.
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = (last as u32 + 1..=char::MAX as u32).find_map(char::from_u32) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// Rows whose `col` starts with `prefix`: a range an index can serve,
/// checked again by an escaped `LIKE` so a collation with another order
/// than code points can only cost speed, never return a wrong row.
fn starts_with(col: user::Column, prefix: &str) -> sea_orm::Condition {
    let mut c = sea_orm::Condition::all().add(col.gte(prefix));
    if let Some(end) = prefix_end(prefix) {
        c = c.add(col.lt(end));
    }
    let escaped = prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    c.add(Expr::col(col).like(sea_orm::sea_query::LikeExpr::new(format!("{escaped}%")).escape('\\')))
}

/// The user row with this id in this tenant.
pub(crate) async fn user_row(db: &impl ConnectionTrait, tenant_id: &str, id: &str) -> Result<Option<user::Model>> {
    user::Entity::find_by_id(id.to_owned()).filter(user::Column::TenantId.eq(tenant_id)).one(db).await.map_err(StoreError::Db)
}

/// Usernames are unique without regard to case (and in one Unicode form).
fn username_key(username: &str) -> String {
    trame_core::username::lookup_key(username)
}

/// A username as stored, after checking it: the name (normalised), its
/// uniqueness key and its confusable skeleton.
pub(crate) struct UsernameColumns {
    pub username: String,
    pub key: String,
    pub skeleton: String,
}

pub(crate) fn username_columns(username: &str) -> Result<UsernameColumns> {
    let username = trame_core::username::normalize(username);
    if username.is_empty() || username.chars().count() > 200 || username.chars().any(char::is_control) {
        return Err(StoreError::Invalid("a username is 1 to 200 printable characters".into()));
    }
    Ok(UsernameColumns { key: username_key(&username), skeleton: trame_core::username::skeleton(&username), username })
}

/// The row for a new user, after checking the username.
pub(crate) fn new_user_row(tenant_id: &str, new: NewUser, now: i64) -> Result<user::ActiveModel> {
    let name = username_columns(&new.username)?;
    Ok(user::ActiveModel {
        id: Set(new.id.unwrap_or_else(new_id)),
        tenant_id: Set(tenant_id.to_owned()),
        username: Set(name.username),
        username_key: Set(name.key),
        username_skeleton: Set(Some(name.skeleton)),
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
        // Set by the model's before_save.
        email_key: NotSet,
        given_key: NotSet,
        family_key: NotSet,
        version: NotSet,
        directory_id: Set(None),
        directory_entry: Set(None),
        directory_suspended: Set(false),
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

    /// A page of the tenant's accounts matching `q`, in username order:
    /// each of the four prefixes is a range over its own index.
    pub async fn search_users(&self, tenant_id: &str, q: &UserSearch) -> Result<UserPage> {
        let limit = q.limit.clamp(1, 200);
        let mut find = user::Entity::find().filter(user::Column::TenantId.eq(tenant_id));
        if let Some(p) = q.prefix.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            let key = trame_core::username::search_key(p);
            find = find.filter(
                sea_orm::Condition::any()
                    .add(starts_with(user::Column::UsernameKey, &username_key(p)))
                    .add(starts_with(user::Column::EmailKey, &key))
                    .add(starts_with(user::Column::GivenKey, &key))
                    .add(starts_with(user::Column::FamilyKey, &key)),
            );
        }
        if let Some(after) = &q.after {
            find = find.filter(user::Column::UsernameKey.gt(after.as_str()));
        }
        let mut rows = find.order_by_asc(user::Column::UsernameKey).limit(limit + 1).all(&self.db).await.map_err(StoreError::Db)?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next = if more { rows.last().map(|r| r.username_key.clone()) } else { None };
        Ok(UserPage { accounts: rows.into_iter().map(Account::of).collect(), next })
    }

    /// Changes an account's profile if it is still at `version` (`None`:
    /// whatever its version). `Ok(None)` when the tenant has no such
    /// account; [`StoreError::Conflict`] when its version moved on (another
    /// change came first) or the new verified address is another's;
    /// [`StoreError::Invalid`] for a field a directory manages on its
    /// account.
    pub async fn change_profile(&self, tenant_id: &str, user_id: &str, version: Option<i64>, change: &ProfileChange, now: i64) -> Result<Option<Account>> {
        let Some(row) = user_row(&self.db, tenant_id, user_id).await? else {
            return Ok(None);
        };
        if version.is_some_and(|v| v != row.version) {
            return Err(StoreError::Conflict("a newer version of this account".into()));
        }
        // The directory is the source of these: a change here would be
        // undone at the next sign-in.
        let directory_fields = change.given_name.is_some() || change.family_name.is_some() || change.email.is_some() || change.phone_number.is_some();
        if row.directory_id.is_some() && directory_fields {
            return Err(StoreError::Invalid("names, e-mail address and phone number of this account come from its directory".into()));
        }
        let read_version = row.version;
        let mut am: user::ActiveModel = row.into();
        if let Some(v) = &change.given_name {
            am.given_name = Set(v.clone());
        }
        if let Some(v) = &change.family_name {
            am.family_name = Set(v.clone());
        }
        if let Some(v) = &change.email {
            if am.email.as_ref() != v {
                am.email_verified = Set(false);
            }
            am.email = Set(v.clone());
        }
        if let Some(v) = &change.phone_number {
            am.phone_number = Set(v.clone());
        }
        if let Some(v) = change.phone_number_verified {
            am.phone_number_verified = Set(v);
        }
        if let Some(v) = &change.address {
            am.address = Set(v.as_ref().map(|a| serde_json::to_string(a).expect("an address serializes")));
        }
        am.updated_at = Set(now);
        // Compare and set: the update applies only to the version read, so
        // a change committed in between (another administrator, the person
        // on their account page) makes it miss instead of being
        // overwritten. The model's hook (search keys, version) runs first,
        // as `update` would run it.
        let am = am.before_save(&self.db, false).await.map_err(StoreError::Db)?;
        let updated = user::Entity::update(am).validate().map_err(StoreError::Db)?.filter(user::Column::Version.eq(read_version)).exec(&self.db).await;
        match updated {
            Ok(m) => Ok(Some(Account::of(m))),
            Err(sea_orm::DbErr::RecordNotUpdated) => Err(StoreError::Conflict("a newer version of this account".into())),
            Err(e) => Err(StoreError::from_db(e, "this verified e-mail address")),
        }
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

    /// The usernames of these accounts (by id), in one query; accounts
    /// that no longer exist are absent.
    pub async fn usernames_of(&self, tenant_id: &str, ids: &[String]) -> Result<std::collections::HashMap<String, String>> {
        if ids.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        let rows: Vec<(String, String)> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::Username)
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::Id.is_in(ids.iter().map(String::as_str)))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(StoreError::Db)?;
        Ok(rows.into_iter().collect())
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
            .col_expr(user::Column::Version, Expr::col(user::Column::Version).add(1))
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
        let txn = self.begin().await?;
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
        delete_of_user!(cas_service_session);
        admin_role::Entity::delete_many()
            .filter(admin_role::Column::TenantId.eq(tenant_id))
            .filter(admin_role::Column::Principal.eq(format!("user:{user_id}")))
            .exec(&txn)
            .await
            .map_err(StoreError::Db)?;
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
