//! Trame's protocol and domain rules.
//!
//! Nothing in this crate does IO: no network, no files, no database, no clock
//! reads and no ambient randomness. The clock ([`Clock`]) and the random
//! source ([`Randomness`]) are passed in, so every rule here can be tested
//! with fixed inputs. Wire formats (the JSON the web layer sends) are built in
//! `trame-web`; this crate holds the decisions.

pub mod aaguid;
pub mod assurance;
pub mod authorize;
pub mod branding;
pub mod cas;
pub mod claims;
pub mod client;
pub mod crypto;
pub mod directory;
pub mod federation;
pub mod form;
pub mod ids;
pub mod keys;
pub mod lifetimes;
pub mod oauth;
pub mod password;
pub mod pkce;
pub mod recovery;
pub mod registration;
pub mod request_object;
pub mod scope;
pub mod subject;
pub mod tenant;
pub mod totp;
pub mod user;
pub mod username;

pub use crypto::{Clock, OsRandom, Randomness, SystemClock};
