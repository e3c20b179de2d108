//! Trame's application layer: what the identity provider does, with no
//! HTTP server types. The web routes, the operator CLI and (later) the
//! admin API call it, so each rule exists once.
//!
//! [`App`] holds what the use cases share (the stores, the tenant catalog,
//! the outbound clients, the clock and the randomness); everything is
//! passed explicitly, nothing is global.
//!
//! - [`catalog`]: tenants, their keys and clients, in memory;
//! - [`discovery`]: the provider metadata;
//! - [`signin`]: the decision every step of a sign-in comes back to;
//! - [`federation`]: the tenant as an OpenID Federation entity;
//! - [`client_keys`], [`registration`]: clients' keys and registration
//!   documents fetched from their URLs;
//! - [`outbound`]: every request Trame makes to another server;
//! - [`mail`], [`password_work`], [`memo`], [`telemetry`].

mod context;

pub mod catalog;
pub mod client_keys;
pub mod clients;
pub mod codes;
pub mod discovery;
pub mod federation;
pub mod mail;
pub mod memo;
pub mod outbound;
pub mod passkeys;
pub mod password_work;
pub mod registration;
pub mod signin;
pub mod telemetry;

pub use catalog::{Catalog, TenantEntry};
pub use context::{App, AppInner, OutboundConfig};
