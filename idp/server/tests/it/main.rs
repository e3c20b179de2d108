//! All of this crate's integration tests, in one binary: one link instead of
//! one per file, and one PostgreSQL template per run.

#[macro_use]
mod common;
mod cli;
mod federation;
mod federation_peers;
mod observe;
mod outbound_proxy;
mod private_key_jwt;
mod resilience;
mod restart;
mod serve;
mod two_nodes;
