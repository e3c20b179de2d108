//! Repositories: the queries, grouped by what they are about. One query per
//! need, written once for both SQL backends.

pub mod account;
pub mod admin;
pub mod audit;
pub mod cas_sessions;
pub mod catalog;
pub mod clients;
pub mod directories;
pub mod federated_identities;
pub mod federation;
pub mod grants;
pub mod keys;
pub mod logout_queue;
pub mod passkeys;
pub mod refresh_tokens;
pub mod registration;
pub mod revocations;
pub mod tenant_counts;
pub mod tenants;
pub mod usage;
pub mod users;

pub use users::NewUser;

pub(crate) fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).expect("a list of strings serializes")
}

pub(crate) fn parse_list(s: &str, what: &str) -> crate::Result<Vec<String>> {
    serde_json::from_str(s).map_err(|_| crate::StoreError::Corrupt(format!("{what} is not a JSON list")))
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
