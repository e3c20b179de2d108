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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
