//! A tenant: one collectivité, with its own issuer, keys, users and clients.

use crate::ids::{Issuer, TenantSlug};

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: String,
    pub slug: TenantSlug,
    pub issuer: Issuer,
    pub display_name: String,
    /// Secret salt for pairwise subject identifiers; never leaves the server.
    pub pairwise_salt: Vec<u8>,
}
