use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kid: String,
    pub tenant_id: String,
    pub alg: String,
    /// AES-256-GCM under the master key: base64url(nonce ‖ ciphertext).
    pub private_key_sealed: String,
    /// Public JWK, JSON text.
    pub public_jwk: String,
    /// From this moment the key signs (it is published from creation).
    pub activates_at: i64,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
