use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub slug: String,
    #[sea_orm(unique)]
    pub issuer: String,
    pub display_name: String,
    pub pairwise_salt: String,
    pub created_at: i64,
    pub registration: String,
    pub counter_policy: String,
    /// JSON list of `LEVEL=AMR+AMR` rules.
    pub acr_policy: String,
    pub dynamic_registration: String,
    pub dynamic_client_pkce: String,
    pub credential_upgrade: String,
    pub usernames: String,
    pub default_subject_type: String,
    /// IANA name (`TimeZoneName`).
    pub time_zone: String,
    /// `FederationSettings` as JSON text.
    pub federation: String,
    /// Set by the operator; otherwise the default tenant's issuer follows
    /// `public_url`.
    pub issuer_explicit: bool,
    /// `Branding` as JSON text.
    pub branding: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
