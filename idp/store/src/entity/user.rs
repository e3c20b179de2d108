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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
