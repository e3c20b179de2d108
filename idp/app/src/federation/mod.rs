//! The tenant as an OpenID Federation 1.0 entity, over the
//! `trame-federation` library:
//!
//! - [`statements`]: what the tenant signs (its Entity Configuration,
//!   Subordinate Statements as an authority, Trust Marks, status answers,
//!   historical keys, resolve responses);
//! - [`fetcher`]: how the tenant reads other entities' statements (its own
//!   instance's tenants in-process ([`local`]), everyone else over HTTP
//!   through [`crate::outbound`]) and a cache of resolved chains;
//! - [`registration`]: relying parties registering through their trust
//!   chain (automatic and explicit registration);
//! - [`marks`]: Trust Marks checked before anything relies on them;
//! - [`peers`]: the peer providers whose citizens may sign in here (the
//!   "Where is your account?" directory);
//! - [`peer_signin`]: the tenant as the relying party of a peer provider,
//!   for the sign-in of a citizen whose account lives there.
//!
//! The endpoints are in `trame-web`.

pub mod fetcher;
pub mod local;
pub mod marks;
pub mod peer_signin;
pub mod peers;
pub mod registration;
pub mod statements;

pub use fetcher::{ChainResolver, FederationFetcher, FetchFor};
