use sea_orm::entity::prelude::*;

/// A tenant's LDAP directory.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "directories")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    /// Unique within the tenant: what the operator's commands name.
    pub name: String,
    /// `trame_core::directory::DirectorySettings` as JSON.
    pub settings: String,
    /// The service account's password, sealed under the master key (the
    /// directory id as associated data).
    pub bind_password_sealed: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
