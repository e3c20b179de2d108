use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sid: String,
    pub tenant_id: String,
    pub user_id: String,
    /// The ephemeral-store key of the session (a digest of the cookie, not the cookie).
    pub store_key: String,
    /// What the person sees to recognize the device, e.g. "Firefox, Linux".
    pub label: String,
    /// JSON list.
    pub amr: String,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
