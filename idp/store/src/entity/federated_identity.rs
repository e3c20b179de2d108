use sea_orm::entity::prelude::*;

/// A citizen of a peer provider (its issuer and the subject it gave this
/// tenant), linked to the local user that stands for them here.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "federated_identities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub issuer: String,
    pub subject: String,
    pub user_id: String,
    pub created_at: i64,
    pub last_used_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
