//! Dynamic client registration's wire side: fetching a
//! `sector_identifier_uri` and writing a client's metadata as the
//! registration response (RFC 7591 §3.2.1, RFC 7592 §3). The rules
//! themselves are `trame_core::registration`.

use serde_json::{Map, Value, json};
use trame_core::client::Client;
use trame_core::ids::Issuer;
use trame_core::registration::{MetadataError, parse_sector_document};
use url::Url;

use crate::outbound;

/// Fetches the redirect URIs listed at a `sector_identifier_uri` (already
/// checked by `trame_core::registration::sector_identifier_url`). Whatever
/// went wrong (closed port, timeout, error status, not a JSON array of
/// URIs), the error says the same, the cause goes to the log: the answer
/// must not tell which ports of which hosts are open.
pub async fn fetch_sector_document(client: &outbound::Client, url: &Url) -> Result<Vec<String>, MetadataError> {
    let fetched = match outbound::get_document(client, url.as_str()).await {
        Ok(body) => parse_sector_document(&body).map_err(SectorFailure::Document),
        Err(e) => Err(SectorFailure::Fetch(e)),
    };
    fetched.map_err(|reason| {
        tracing::info!(%reason, "sector_identifier_uri document refused");
        MetadataError::Metadata { field: "sector_identifier_uri", reason: SECTOR_UNAVAILABLE.into() }
    })
}

/// Why a sector document was refused, for the log only.
#[derive(Debug, thiserror::Error)]
enum SectorFailure {
    #[error(transparent)]
    Fetch(outbound::FetchError),
    #[error(transparent)]
    Document(MetadataError),
}

/// The one description of every failure to read a sector document.
pub const SECTOR_UNAVAILABLE: &str = "the document could not be fetched or is not a JSON array of redirect URIs";

/// The URL where a client reads, updates and deletes its registration.
pub fn client_uri(issuer: &Issuer, client_id: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(client_id.as_bytes()).collect();
    issuer.endpoint(&format!("/register/{encoded}"))
}

/// Every registered metadata field of a client, as the registration
/// specifications name them; absent values are left out.
pub fn metadata(c: &Client) -> Map<String, Value> {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            m.insert(k.to_owned(), v);
        }
    };
    let uris = |v: &[trame_core::ids::RedirectUri]| json!(v.iter().map(|u| u.as_str()).collect::<Vec<_>>());
    put("client_id", json!(c.id.as_str()));
    put("client_name", json!(c.name));
    put("application_type", json!(c.info.application_type.as_str()));
    put("redirect_uris", uris(&c.redirect_uris));
    if !c.post_logout_redirect_uris.is_empty() {
        put("post_logout_redirect_uris", uris(&c.post_logout_redirect_uris));
    }
    put("grant_types", json!(c.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>()));
    let code = c.grant_types.contains(&trame_core::client::GrantType::AuthorizationCode);
    put("response_types", if code { json!(["code"]) } else { json!([]) });
    put("scope", json!(c.scopes.to_string_sorted()));
    put("token_endpoint_auth_method", json!(c.auth_method.as_str()));
    put("token_endpoint_auth_signing_alg", json!(c.token_auth_alg));
    put("jwks_uri", json!(c.jwks_uri));
    put("jwks", c.jwks.clone().unwrap_or(Value::Null));
    put("subject_type", json!(c.subject_type.as_str()));
    put("sector_identifier_uri", json!(c.info.sector_identifier_uri));
    put("id_token_signed_response_alg", json!(c.id_token_alg.as_str()));
    put("userinfo_signed_response_alg", json!(c.userinfo_alg.map(|a| a.as_str())));
    put("default_max_age", json!(c.default_max_age));
    put("require_auth_time", json!(c.info.require_auth_time));
    if !c.default_acr_values.is_empty() {
        put("default_acr_values", json!(c.default_acr_values));
    }
    put("client_uri", json!(c.info.client_uri));
    put("logo_uri", json!(c.info.logo_uri));
    put("policy_uri", json!(c.info.policy_uri));
    put("tos_uri", json!(c.info.tos_uri));
    if !c.info.contacts.is_empty() {
        put("contacts", json!(c.info.contacts));
    }
    put("initiate_login_uri", json!(c.info.initiate_login_uri));
    put("software_id", json!(c.info.software_id));
    put("software_version", json!(c.info.software_version));
    if let Some(u) = &c.logout.backchannel_uri {
        put("backchannel_logout_uri", json!(u));
        put("backchannel_logout_session_required", json!(c.logout.backchannel_session_required));
    }
    if let Some(u) = &c.logout.frontchannel_uri {
        put("frontchannel_logout_uri", json!(u));
        put("frontchannel_logout_session_required", json!(c.logout.frontchannel_session_required));
    }
    m
}
