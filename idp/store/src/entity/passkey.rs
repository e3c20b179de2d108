use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "passkeys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub user_id: String,
    /// base64url; unique across the database, which is what stops a replayed registration.
    pub credential_id: String,
    pub name: String,
    /// webauthn_rp static state, base64url.
    pub public_key: String,
    /// webauthn_rp dynamic state (counter, flags), base64url.
    pub dynamic_state: String,
    pub sign_count: i64,
    pub backup_eligible: bool,
    pub backup_state: bool,
    /// hex, as the authenticator reported it (unverified: attestation is none).
    pub aaguid: String,
    /// JSON list.
    pub transports: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    /// The highest level a sign-in with it reaches: the level of the
    /// session that added it (none: no cap, e.g. the passkey of a sign-up).
    pub max_acr: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
