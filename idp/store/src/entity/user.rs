use sea_orm::ActiveValue::{self, Set};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub username: String,
    /// Lowercased username: the uniqueness key within a tenant.
    pub username_key: String,
    /// Its confusable skeleton (Unicode TR39): no two accounts of a tenant
    /// share one, so no name on a page can pass for another's. `None` only
    /// for accounts made before the rule that looked like an older one.
    pub username_skeleton: Option<String>,
    pub email: Option<String>,
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub phone_number: Option<String>,
    /// Whether the operator vouched for the phone number (Trame sends no
    /// SMS: nothing else verifies one).
    pub phone_number_verified: bool,
    /// The postal address, the `address` claim's JSON object (OIDC Core
    /// §5.1.1).
    pub address: Option<String>,
    pub password_hash: Option<String>,
    /// The TOTP secret, sealed under the master key (the user id as
    /// associated data).
    pub totp_secret_sealed: Option<String>,
    /// The last TOTP time step accepted: a code is good once.
    pub totp_last_step: i64,
    /// The level of the session that enabled TOTP: a password + TOTP
    /// sign-in reaches no higher (none: no cap).
    pub totp_max_acr: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// When the account was disabled: it cannot sign in until enabled.
    pub disabled_at: Option<i64>,
    /// Search keys (`trame_core::username::search_key`) of the e-mail
    /// address and the names, kept by [`ActiveModelBehavior::before_save`].
    pub email_key: Option<String>,
    pub given_key: Option<String>,
    pub family_key: Option<String>,
    /// Bumped by every change saved through the model, and compared by
    /// conditional updates (an administrator's `If-Match`).
    pub version: i64,
    /// The directory that manages the account (its password is checked
    /// there, its names and e-mail address come from there), if one does.
    pub directory_id: Option<String>,
    /// The entry's lasting identifier in that directory (`entryUUID`,
    /// `objectGUID` in hex): a rename keeps the account.
    pub directory_entry: Option<String>,
    /// Disabled by a sync (the entry was gone or disabled), not by an
    /// administrator: a later good sign-in enables it again.
    pub directory_suspended: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    /// Every write of a row through its model keeps the search keys in step
    /// with what they index and counts a new version, so no caller can
    /// forget either.
    async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        let key = |v: &ActiveValue<Option<String>>| v.try_as_ref().map(|v| v.as_deref().map(trame_core::username::search_key));
        if self.email.is_set() || insert {
            self.email_key = Set(key(&self.email).flatten());
        }
        if self.given_name.is_set() || insert {
            self.given_key = Set(key(&self.given_name).flatten());
        }
        if self.family_name.is_set() || insert {
            self.family_key = Set(key(&self.family_name).flatten());
        }
        self.version = match self.version {
            ActiveValue::Unchanged(v) if !insert => Set(v + 1),
            ActiveValue::NotSet if insert => Set(0),
            v => v,
        };
        Ok(self)
    }
}
