//! The tenant as an OpenID Federation 1.0 entity, over the
//! `trame-federation` library:
//!
//! - [`statements`]: what the tenant signs (its Entity Configuration,
//!   Subordinate Statements as an authority, Trust Marks, status answers,
//!   historical keys, resolve responses);
//! - [`fetcher`]: how the tenant reads other entities' statements (its own
//!   instance's tenants in-process, everyone else over HTTP through
//!   [`crate::outbound`]) and a cache of resolved chains;
//! - [`registration`]: relying parties registering through their trust
//!   chain (automatic and explicit registration).
//!
//! The endpoints are in [`crate::routes::federation`].

pub mod fetcher;
pub mod local;
pub mod registration;
pub mod statements;

pub use fetcher::{ChainResolver, FederationFetcher};
