use sea_orm::entity::prelude::*;

/// A back-channel logout notification waiting to be delivered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "logout_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub client_id: String,
    pub uri: String,
    /// The signed logout token (it names a subject and a session, nothing more).
    pub logout_token: String,
    /// `back_channel` (an OpenID Connect logout token) or `cas` (a CAS
    /// single-logout `LogoutRequest`, in `logout_token`).
    pub kind: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
