//! The provider metadata every relying party reads first: the discovery
//! document (OpenID Connect Discovery 1.0 §3), and the same members in a
//! federation Entity Configuration.

use serde_json::{Value, json};
use trame_core::keys;
use trame_core::tenant::Tenant;

/// How relying parties of a federation may register with a tenant that
/// trusts some Trust Anchor (OpenID Federation §5.1.3, §12).
pub const FEDERATION_REGISTRATION_TYPES: [&str; 2] = ["automatic", "explicit"];

/// The provider metadata: the discovery document, and in a federation
/// Entity Configuration (`federation`) the federation members too;
/// `languages`: those installed on this node ([`crate::i18n::Installed`]).
pub fn provider_metadata(tenant: &Tenant, federation: bool, languages: &[String]) -> Value {
    let iss = &tenant.issuer;
    let algs = keys::ISSUED.map(|a| a.as_str());
    let doc = json!({
        "issuer": iss.as_str(),
        "authorization_endpoint": iss.endpoint("/authorize"),
        "token_endpoint": iss.endpoint("/token"),
        "userinfo_endpoint": iss.endpoint("/userinfo"),
        "jwks_uri": iss.endpoint("/jwks"),
        "revocation_endpoint": iss.endpoint("/revoke"),
        "introspection_endpoint": iss.endpoint("/introspect"),
        "end_session_endpoint": iss.endpoint("/logout"),
        "scopes_supported": trame_core::scope::SUPPORTED,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public", "pairwise"],
        "id_token_signing_alg_values_supported": algs,
        "userinfo_signing_alg_values_supported": algs,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        "token_endpoint_auth_signing_alg_values_supported": keys::ACCEPTED_INBOUND.map(|a| a.as_str()),
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "code_challenge_methods_supported": ["S256"],
        "claims_parameter_supported": true,
        "request_parameter_supported": true,
        "request_object_signing_alg_values_supported": keys::ACCEPTED_INBOUND.map(|a| a.as_str()),
        // By reference only as a pushed request's URN (RFC 9126), never a
        // URL Trame would have to fetch.
        "request_uri_parameter_supported": false,
        "pushed_authorization_request_endpoint": iss.endpoint("/par"),
        "require_pushed_authorization_requests": false,
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid", "at_hash",
            "name", "given_name", "family_name", "preferred_username", "locale", "updated_at",
            "email", "email_verified", "phone_number", "phone_number_verified", "address"],
        "acr_values_supported": trame_core::assurance::LEVELS,
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "display_values_supported": ["page", "popup", "touch", "wap"],
        "ui_locales_supported": languages,
        "claim_types_supported": ["normal"],
        "authorization_response_iss_parameter_supported": true,
        "frontchannel_logout_supported": true,
        "frontchannel_logout_session_supported": true,
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
    });
    let mut doc = doc;
    if tenant.settings.dynamic_registration != trame_core::tenant::DynamicRegistration::Closed {
        doc["registration_endpoint"] = json!(iss.endpoint("/register"));
    }
    if federation {
        // Relying parties register through a chain only to a tenant that
        // trusts some Trust Anchor.
        let registers = !tenant.federation.trust_anchors.is_empty();
        let types: &[&str] = if registers { &FEDERATION_REGISTRATION_TYPES } else { &[] };
        doc["client_registration_types_supported"] = json!(types);
        if registers {
            doc["federation_registration_endpoint"] = json!(iss.endpoint(crate::federation::statements::paths::REGISTRATION));
            doc["request_authentication_methods_supported"] = json!({
                "authorization_endpoint": ["request_object"],
                "pushed_authorization_request_endpoint": ["request_object", "private_key_jwt"],
            });
        }
    }
    doc
}
