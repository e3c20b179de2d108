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
//! - [`sessions`], [`interactions`], [`ceremonies`]: browser sessions,
//!   pending sign-ins and WebAuthn ceremonies, whatever carries their
//!   cookies;
//! - [`consents`], [`personal_data`]: what a person agreed to and what
//!   is held about them (the GDPR export);
//! - [`tenants`], [`users`]: the rules of a new tenant and of a new
//!   account, whoever makes them (the CLI, the pages, the admin API);
//! - [`tokens`]: the tokens Trame issues, built and checked;
//! - [`logout_channels`], [`logout_delivery`]: telling relying parties a
//!   session ended;
//! - [`throttle`]: counters against guessing and floods;
//! - [`admin`]: administration rights (roles, admin tokens);
//! - [`audit`]: the audit trail, which never fails what it records;
//! - [`mail`], [`mail_link`], [`i18n`], [`password_work`], [`memo`],
//!   [`telemetry`].
//!
//! Errors: a use case fails with [`Error`] when what it stands on fails;
//! what it refuses is part of its answer.

mod context;
mod error;

pub mod admin;
pub mod audit;
pub mod branding;
pub mod cas;
pub mod catalog;
pub mod ceremonies;
pub mod client_keys;
pub mod clients;
pub mod codes;
pub mod consents;
pub mod directory;
pub mod discovery;
pub mod federation;
pub mod i18n;
pub mod interactions;
pub mod keys;
pub mod logout_channels;
pub mod logout_delivery;
pub mod mail;
pub mod mail_link;
pub mod memo;
pub mod outbound;
pub mod passkeys;
pub mod password_work;
pub mod personal_data;
pub mod registration;
pub mod sessions;
pub mod signin;
pub mod telemetry;
pub mod tenants;
pub mod throttle;
pub mod tokens;
pub mod transparency;
pub mod usage;
pub mod users;

pub use catalog::{Catalog, TenantEntry};
pub use context::{App, AppInner, OutboundConfig};
pub use error::{Error, Result};
