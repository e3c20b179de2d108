use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    /// SHA-256 of the token; the token itself is never stored.
    #[sea_orm(primary_key, auto_increment = false)]
    pub digest: String,
    pub grant_id: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// Set when the token is exchanged; a second use revokes the grant.
    pub used_at: Option<i64>,
    /// Digest of the token the exchange issued (set with `used_at`).
    pub successor_digest: Option<String>,
    /// That token, sealed under a key derived from this token, for an exact
    /// retry within the client's grace; only when the client has one.
    pub successor_sealed: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
