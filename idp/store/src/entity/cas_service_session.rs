use sea_orm::entity::prelude::*;

/// A CAS service a session signed its user in to: the ticket it
/// validated, which single logout names back to it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cas_service_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub user_id: String,
    /// The Trame session's id (not its cookie).
    pub sid: String,
    pub client_id: String,
    /// The service URL the ticket was validated for: where the logout
    /// request is posted.
    pub service: String,
    /// The service ticket, already spent: it identifies the service's own
    /// session in the logout request and opens nothing.
    pub ticket: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
