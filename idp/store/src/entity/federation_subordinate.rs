use sea_orm::entity::prelude::*;

/// An entity enrolled under a tenant acting as Trust Anchor or
/// Intermediate: what its Subordinate Statement says.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "federation_subordinates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub entity_id: String,
    /// The subordinate's federation JWK Set, JSON text.
    pub jwks: String,
    /// Entity types it was enrolled with (JSON list), for the list filter.
    pub entity_types: String,
    /// Whether it is itself an authority (list filter `intermediate`).
    pub intermediate: bool,
    /// JSON texts, absent when not set.
    pub metadata_policy: Option<String>,
    pub metadata_policy_crit: Option<String>,
    pub constraints: Option<String>,
    pub metadata: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
