//! All of this crate's integration tests, in one binary: one link instead of
//! one per file, and one PostgreSQL template per run.

#[macro_use]
mod common;
mod accounts;
mod audit;
mod clients;
mod directories;
mod ephemeral;
mod ephemeral_persisted;
mod federated_identities;
mod grants;
mod keys;
mod migrations;
mod refresh_grace;
mod revocations;
mod smoke;
mod tenants;
mod usage;
mod users;
