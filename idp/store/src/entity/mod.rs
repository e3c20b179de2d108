//! sea-orm entities, one per table. Timestamps are Unix seconds (BIGINT) and
//! structured values are JSON text, so one schema serves SQLite and PostgreSQL.

pub mod account_session;
pub mod admin_role;
pub mod audit_event;
pub mod cas_service_session;
pub mod catalog_version;
pub mod client;
pub mod consent;
pub mod directory;
pub mod federated_identity;
pub mod federation_key;
pub mod federation_subordinate;
pub mod grant;
pub mod initial_access_token;
pub mod invitation;
pub mod logout_delivery;
pub mod outbound_host;
pub mod passkey;
pub mod recovery_code;
pub mod refresh_token;
pub mod revoked_access_token;
pub mod signing_key;
pub mod tenant;
pub mod tenant_logo;
pub mod trust_mark;
pub mod usage_count;
pub mod usage_service;
pub mod user;
