use sea_orm::entity::prelude::*;

/// A tenant's federation signing key (OpenID Federation statements), kept
/// apart from the token-signing keys: a relying party never sees it in the
/// JWKS, and rotating one does not disturb the other.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "federation_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kid: String,
    pub tenant_id: String,
    pub alg: String,
    /// AES-256-GCM under the master key: base64url(nonce ‖ ciphertext).
    pub private_key_sealed: String,
    /// Public JWK, JSON text.
    pub public_jwk: String,
    pub activates_at: i64,
    pub created_at: i64,
    /// Set when the operator revoked the key (it leaves publication at once
    /// and is listed as revoked by the historical keys endpoint).
    pub revoked_at: Option<i64>,
    pub revoked_reason: Option<String>,
    /// `federation` (statements) or `relying_party` (what the tenant signs
    /// as a relying party of peer providers: Request Objects, client
    /// assertions). One key never serves both.
    pub purpose: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
