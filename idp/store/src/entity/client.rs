use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub client_id: String,
    pub name: Option<String>,
    pub secret_digest: Option<String>,
    pub auth_method: String,
    /// JSON array of strings.
    pub redirect_uris: String,
    /// JSON array of strings.
    pub post_logout_redirect_uris: String,
    /// JSON array of strings.
    pub grant_types: String,
    pub scopes: String,
    pub subject_type: String,
    pub sector_identifier: Option<String>,
    pub pkce: String,
    pub skip_consent: bool,
    pub id_token_alg: String,
    pub userinfo_alg: Option<String>,
    pub jwks_uri: Option<String>,
    /// JSON object (a JWKS), when the client registered its keys by value.
    pub jwks: Option<String>,
    pub created_at: i64,
    pub registration_token_digest: Option<String>,
    pub token_auth_alg: Option<String>,
    pub default_max_age: Option<i64>,
    /// JSON array of strings.
    pub default_acr_values: String,
    pub backchannel_logout_uri: Option<String>,
    pub backchannel_logout_session_required: bool,
    pub frontchannel_logout_uri: Option<String>,
    pub frontchannel_logout_session_required: bool,
    pub application_type: String,
    pub client_uri: Option<String>,
    pub logo_uri: Option<String>,
    pub policy_uri: Option<String>,
    pub tos_uri: Option<String>,
    /// JSON array of strings.
    pub contacts: String,
    pub sector_identifier_uri: Option<String>,
    pub initiate_login_uri: Option<String>,
    pub software_id: Option<String>,
    pub software_version: Option<String>,
    pub require_auth_time: bool,
    /// `automatic` or `explicit` for a federation relying party.
    pub federation_kind: Option<String>,
    pub trust_anchor: Option<String>,
    /// When a federation registration lapses (its trust chain's expiry).
    pub expires_at: Option<i64>,
    /// Seconds during which an exact retry of a rotated refresh token gets
    /// the same successor instead of revoking the grant (0: never).
    pub refresh_reuse_grace: i64,
    /// JSON object: the CAS settings of a CAS service.
    pub cas: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
