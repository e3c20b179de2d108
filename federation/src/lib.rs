//! OpenID Federation 1.0 (Final) as a library: no HTTP server and no IO
//! inside. The caller fetches statements through the [`chain::Fetcher`]
//! trait and passes the clock in (`now`, Unix seconds); nothing here reads
//! the system time or keeps global state.
//!
//! Signing and verifying go through `trame-jose`, the JWS layer the OpenID
//! Provider uses too: federation keys (`SigningKey`, ES256 by default; RS*,
//! PS*, ES384/512, EdDSA; `kid` the RFC 7638 thumbprint), key sets (`Jwks`,
//! whose verifiers are built once per key and shared by clones, so the keys
//! of a cached chain verify without being rebuilt), and the header rules
//! every federation JWT follows (`DecodedJwt::check_header`: `typ`, `kid`,
//! `alg` never `none`).
//!
//! Modules, bottom up:
//!
//! - [`entity_id`]: Entity Identifier rules (§1.2) and the well-known URL of
//!   an Entity Configuration (§9).
//! - [`policy`]: metadata policy (§6.1): the seven operators and their
//!   allowed combinations (`policy::operators`), merging from the Trust
//!   Anchor down (`policy::merge`), applying to metadata (`policy::apply`),
//!   `metadata_policy_crit`. Passes all 2,019 Connect2id test vectors.
//! - [`constraints`]: `max_path_length`, `naming_constraints`,
//!   `allowed_entity_types` (§6.2).
//! - [`statement`]: Entity Statements (§3): typed claims, signing, and the
//!   validation of §3.2 (claim placement, `crit`, nulls, times).
//! - [`chain`]: Trust Chains (§10): collection from a subject up to a
//!   configured Trust Anchor, link-by-link validation, resolved metadata,
//!   and a cache of chains until they expire.
//! - [`trust_mark`]: Trust Marks and their delegations (§7).
//!
//! ```
//! use serde_json::json;
//! use trame_federation::policy::resolve_chain_policy;
//!
//! let ta = json!({"openid_relying_party": {"grant_types": {"subset_of": ["authorization_code", "refresh_token"]}}});
//! let ia = json!({"openid_relying_party": {"grant_types": {"default": ["authorization_code"]}}});
//! let policy = resolve_chain_policy([&ta, &ia], &[]).unwrap();
//! let metadata = json!({"openid_relying_party": {"grant_types": ["authorization_code", "implicit"]}});
//! let resolved = policy.apply(metadata.as_object().unwrap()).unwrap();
//! assert_eq!(resolved["openid_relying_party"]["grant_types"], json!(["authorization_code"]));
//! ```

pub mod chain;
pub mod constraints;
pub mod entity_id;
pub mod policy;
pub mod statement;
pub mod trust_mark;
