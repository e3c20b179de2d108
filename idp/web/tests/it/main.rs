//! All of this crate's integration tests, in one binary: one link instead of
//! one per file, and one PostgreSQL template per run.

#[macro_use]
mod common;
mod account;
mod account_data;
mod accounts_admin;
mod admin_api;
mod authorize;
mod branding;
mod cas;
mod console;
mod console_branding;
mod dead_ends;
mod directory;
mod discovery;
mod federation;
mod federation_registration;
mod hardening;
mod instruction_budget;
mod level_enrolment;
mod login_consent;
mod logout;
mod logout_channels;
mod oidc_flow;
mod operation_budget;
mod outbound;
mod pages;
mod passkeys;
mod peer_signin;
mod register;
mod request_objects;
mod revoke_introspect;
mod themes;
mod token;
mod transparency;
mod typography;
mod userinfo;
