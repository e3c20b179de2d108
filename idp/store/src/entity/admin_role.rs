use sea_orm::entity::prelude::*;

/// A role held in a tenant: by an account (`user:<id>`) or by a client
/// (`client:<client id>`, operator only: a client's tenant rights come
/// from its `trame:admin` scopes). An operator's role is held in the
/// tenant of its account and reaches the whole installation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_roles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub principal: String,
    /// `operator`, `tenant-admin` or `auditor`.
    pub role: String,
    pub granted_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
