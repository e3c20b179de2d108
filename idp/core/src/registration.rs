//! Client registration rules, one set for every way a client comes to be:
//! the operator's `trame client add` and the dynamic registration endpoint
//! (RFC 7591, OpenID Connect Dynamic Client Registration 1.0, RFC 7592
//! updates). Both fill a [`ClientRequest`] and call [`validate`], so a
//! client the CLI refuses is refused over HTTP too, with the same reason.
//!
//! Fetching a `sector_identifier_uri` is IO: the caller fetches it (after
//! [`sector_identifier_url`] accepted the URL) and passes the redirect URIs
//! it lists in [`Rules::sector_redirect_uris`].

use serde_json::Value;
use trame_jose::Alg;
use url::Url;

use crate::cas::{ATTRIBUTES, CasRequest, CasService, CasUser};
use crate::client::{ApplicationType, AuthMethod, ClientInfo, ClientSettings, GrantType, LogoutChannels, MAX_REFRESH_REUSE_GRACE, PkcePolicy};
use crate::ids::{RedirectUri, is_loopback_or_localhost};
use crate::keys;
use crate::scope::{self, Scopes};
use crate::subject::{SubjectType, sector_of_redirect};

/// A refused registration, with the RFC 7591 §3.2.2 error code it maps to
/// and a description naming the metadata field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    /// `invalid_redirect_uri`
    #[error("{field}: {reason}")]
    RedirectUri { field: &'static str, reason: String },
    /// `invalid_client_metadata`
    #[error("{field}: {reason}")]
    Metadata { field: &'static str, reason: String },
}

impl MetadataError {
    pub fn code(&self) -> crate::oauth::ErrorCode {
        match self {
            Self::RedirectUri { .. } => crate::oauth::ErrorCode::InvalidRedirectUri,
            Self::Metadata { .. } => crate::oauth::ErrorCode::InvalidClientMetadata,
        }
    }
    pub fn field(&self) -> &'static str {
        match self {
            Self::RedirectUri { field, .. } | Self::Metadata { field, .. } => field,
        }
    }
}

fn bad(field: &'static str, reason: impl Into<String>) -> MetadataError {
    MetadataError::Metadata { field, reason: reason.into() }
}

fn bad_redirect(field: &'static str, reason: impl Into<String>) -> MetadataError {
    MetadataError::RedirectUri { field, reason: reason.into() }
}

/// Client metadata as asked for, before any rule is applied. Field names
/// are those of the registration specifications.
#[derive(Debug, Clone, Default)]
pub struct ClientRequest {
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub response_types: Option<Vec<String>>,
    pub grant_types: Option<Vec<String>>,
    pub application_type: Option<String>,
    pub client_name: Option<String>,
    pub client_uri: Option<String>,
    pub logo_uri: Option<String>,
    pub policy_uri: Option<String>,
    pub tos_uri: Option<String>,
    pub contacts: Vec<String>,
    pub jwks_uri: Option<String>,
    pub jwks: Option<Value>,
    pub sector_identifier_uri: Option<String>,
    pub subject_type: Option<String>,
    pub id_token_signed_response_alg: Option<String>,
    pub userinfo_signed_response_alg: Option<String>,
    pub token_endpoint_auth_method: Option<String>,
    pub token_endpoint_auth_signing_alg: Option<String>,
    pub default_max_age: Option<i64>,
    pub require_auth_time: Option<bool>,
    pub default_acr_values: Vec<String>,
    pub initiate_login_uri: Option<String>,
    pub scope: Option<String>,
    pub backchannel_logout_uri: Option<String>,
    pub backchannel_logout_session_required: Option<bool>,
    pub frontchannel_logout_uri: Option<String>,
    pub frontchannel_logout_session_required: Option<bool>,
    pub software_id: Option<String>,
    pub software_version: Option<String>,
    /// The first encryption parameter present (`id_token_encrypted_response_alg`…):
    /// Trame does not encrypt tokens, and silently sending them unencrypted
    /// would betray what the client asked for.
    pub encryption_asked: Option<&'static str>,
    /// Operator-only choices (`trame client add`); a registration request
    /// cannot set them.
    pub pkce: Option<PkcePolicy>,
    pub skip_consent: bool,
    /// Seconds (at most [`MAX_REFRESH_REUSE_GRACE`]); see
    /// [`ClientSettings::refresh_reuse_grace`].
    pub refresh_reuse_grace: Option<u32>,
    /// A CAS service's settings (`trame client add --protocol cas`).
    pub cas: Option<crate::cas::CasRequest>,
}

/// Registration metadata that asks for encryption, which Trame refuses.
const ENCRYPTION_FIELDS: [&str; 6] = [
    "id_token_encrypted_response_alg",
    "id_token_encrypted_response_enc",
    "userinfo_encrypted_response_alg",
    "userinfo_encrypted_response_enc",
    "request_object_encryption_alg",
    "request_object_encryption_enc",
];

impl ClientRequest {
    /// Reads a registration request body. Types are checked here (a string
    /// where an array belongs is refused, naming the field); unknown fields
    /// are ignored, as RFC 7591 §2 asks.
    pub fn from_json(body: &Value) -> Result<Self, MetadataError> {
        let Value::Object(o) = body else { return Err(bad("body", "the registration request must be a JSON object")) };
        let string = |f: &'static str| -> Result<Option<String>, MetadataError> {
            match o.get(f) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(bad(f, "must be a string")),
            }
        };
        let strings = |f: &'static str| -> Result<Option<Vec<String>>, MetadataError> {
            match o.get(f) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Array(a)) => {
                    a.iter().map(|v| v.as_str().map(str::to_owned).ok_or_else(|| bad(f, "must be an array of strings"))).collect::<Result<_, _>>().map(Some)
                }
                Some(_) => Err(bad(f, "must be an array of strings")),
            }
        };
        let boolean = |f: &'static str| -> Result<Option<bool>, MetadataError> {
            match o.get(f) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Bool(b)) => Ok(Some(*b)),
                Some(_) => Err(bad(f, "must be true or false")),
            }
        };
        let redirect_uris = match o.get("redirect_uris") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| bad_redirect("redirect_uris", "must be an array of strings")))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(bad_redirect("redirect_uris", "must be an array of strings")),
        };
        let default_max_age = match o.get("default_max_age") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.as_i64().ok_or_else(|| bad("default_max_age", "must be an integer number of seconds"))?),
        };
        let jwks = match o.get("jwks") {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => Some(v.clone()),
            Some(_) => return Err(bad("jwks", "must be a JWK set (a JSON object)")),
        };
        Ok(Self {
            redirect_uris,
            post_logout_redirect_uris: strings("post_logout_redirect_uris")?.unwrap_or_default(),
            response_types: strings("response_types")?,
            grant_types: strings("grant_types")?,
            application_type: string("application_type")?,
            client_name: string("client_name")?,
            client_uri: string("client_uri")?,
            logo_uri: string("logo_uri")?,
            policy_uri: string("policy_uri")?,
            tos_uri: string("tos_uri")?,
            contacts: strings("contacts")?.unwrap_or_default(),
            jwks_uri: string("jwks_uri")?,
            jwks,
            sector_identifier_uri: string("sector_identifier_uri")?,
            subject_type: string("subject_type")?,
            id_token_signed_response_alg: string("id_token_signed_response_alg")?,
            userinfo_signed_response_alg: string("userinfo_signed_response_alg")?,
            token_endpoint_auth_method: string("token_endpoint_auth_method")?,
            token_endpoint_auth_signing_alg: string("token_endpoint_auth_signing_alg")?,
            default_max_age,
            require_auth_time: boolean("require_auth_time")?,
            default_acr_values: strings("default_acr_values")?.unwrap_or_default(),
            initiate_login_uri: string("initiate_login_uri")?,
            scope: string("scope")?,
            backchannel_logout_uri: string("backchannel_logout_uri")?,
            backchannel_logout_session_required: boolean("backchannel_logout_session_required")?,
            frontchannel_logout_uri: string("frontchannel_logout_uri")?,
            frontchannel_logout_session_required: boolean("frontchannel_logout_session_required")?,
            software_id: string("software_id")?,
            software_version: string("software_version")?,
            encryption_asked: ENCRYPTION_FIELDS.into_iter().find(|f| o.get(*f).is_some_and(|v| !v.is_null())),
            pkce: None,
            skip_consent: false,
            refresh_reuse_grace: None,
            cas: None,
        })
    }
}

/// What the caller knows that the request does not say.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The redirect URIs listed at `sector_identifier_uri`, fetched by the
    /// caller; `None` when the request has no sector identifier URI.
    pub sector_redirect_uris: Option<Vec<String>>,
    /// PKCE for confidential clients that did not get an operator's choice
    /// (public clients always require it).
    pub confidential_pkce: PkcePolicy,
    /// Used when the request names no `id_token_signed_response_alg`:
    /// RS256 for registration requests (OIDC Registration §2), the
    /// operator's default for the CLI.
    pub default_id_token_alg: Alg,
    /// Used when the request names no `subject_type`.
    pub default_subject_type: SubjectType,
    /// Used when the request names no `scope`.
    pub default_scope: &'static str,
    /// Whether the administration scopes (`trame:admin`,
    /// `trame:admin:read`) may be given: only by the operator or a tenant's
    /// administrator, never to a client registering itself.
    pub administration: bool,
}

impl Rules {
    /// The defaults of a registration request over HTTP.
    pub fn dynamic(confidential_pkce: PkcePolicy) -> Self {
        Self {
            sector_redirect_uris: None,
            confidential_pkce,
            default_id_token_alg: Alg::RS256,
            // Neutrality toward services: unlinkable identifiers unless the
            // client asks for the same `sub` everywhere.
            default_subject_type: SubjectType::Pairwise,
            default_scope: "openid profile email address phone offline_access",
            administration: false,
        }
    }
}

const MAX_TEXT: usize = 200;
const MAX_URL: usize = 2000;
const MAX_LIST: usize = 20;

/// A URL that may be shown to people or fetched: absolute, http(s), no
/// credentials, no fragment; `https_only` unless on a loopback host.
fn web_url(field: &'static str, s: &str, https_only: bool) -> Result<Url, MetadataError> {
    if s.len() > MAX_URL {
        return Err(bad(field, format!("longer than {MAX_URL} characters")));
    }
    let url = Url::parse(s).map_err(|_| bad(field, format!("'{s}' is not an absolute URL")))?;
    match url.scheme() {
        "https" => {}
        "http" if !https_only || is_loopback_or_localhost(&url) => {}
        _ if https_only => return Err(bad(field, format!("'{s}' must be an https URL"))),
        _ => return Err(bad(field, format!("'{s}' must be an http or https URL"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad(field, format!("'{s}' has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(field, "must not contain credentials"));
    }
    if url.fragment().is_some() || s.contains('#') {
        return Err(bad(field, "must not contain a fragment"));
    }
    Ok(url)
}

/// The `sector_identifier_uri` of a request, checked before the caller
/// fetches it: https (http only on loopback hosts, for development).
pub fn sector_identifier_url(req: &ClientRequest) -> Result<Option<Url>, MetadataError> {
    req.sector_identifier_uri.as_deref().map(|s| web_url("sector_identifier_uri", s, true)).transpose()
}

/// Reads the document at a `sector_identifier_uri`: a JSON array of
/// redirect URIs (OIDC Registration §5).
pub fn parse_sector_document(body: &[u8]) -> Result<Vec<String>, MetadataError> {
    let field = "sector_identifier_uri";
    let v: Value = serde_json::from_slice(body).map_err(|_| bad(field, "the document is not JSON"))?;
    let Value::Array(a) = v else { return Err(bad(field, "the document must be a JSON array of redirect URIs")) };
    a.into_iter().map(|u| u.as_str().map(str::to_owned).ok_or_else(|| bad(field, "the document must be a JSON array of redirect URIs"))).collect()
}

fn text(field: &'static str, v: Option<String>) -> Result<Option<String>, MetadataError> {
    match v {
        None => Ok(None),
        Some(s) => {
            let t = s.trim();
            if t.is_empty() || t.chars().count() > MAX_TEXT || t.chars().any(char::is_control) {
                return Err(bad(field, format!("must be 1 to {MAX_TEXT} printable characters")));
            }
            Ok(Some(t.to_owned()))
        }
    }
}

fn list_limit<T>(field: &'static str, v: &[T]) -> Result<(), MetadataError> {
    if v.len() > MAX_LIST { Err(bad(field, format!("at most {MAX_LIST} values"))) } else { Ok(()) }
}

fn alg(field: &'static str, v: Option<&str>) -> Result<Option<Alg>, MetadataError> {
    match v {
        None => Ok(None),
        Some("none") => Err(bad(field, "unsigned tokens are not issued: 'none' is refused")),
        Some(a) => keys::issued(a).map(Some).ok_or_else(|| {
            let known: Vec<&str> = keys::ISSUED.iter().map(|a| a.as_str()).collect();
            bad(field, format!("'{a}' is not supported (supported: {})", known.join(", ")))
        }),
    }
}

/// Private members of EC/OKP/RSA keys ("d", "p", "q"…) and symmetric keys ("k").
const PRIVATE_JWK_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

/// A client's public JWK set: a `keys` array of objects with `kty`, and no
/// private or symmetric key.
pub fn public_jwks(field: &'static str, v: &Value) -> Result<(), MetadataError> {
    let Some(keys) = v.get("keys").and_then(Value::as_array) else { return Err(bad(field, "not a JWK set (no \"keys\" array)")) };
    if keys.is_empty() || keys.len() > MAX_LIST {
        return Err(bad(field, format!("a JWK set of 1 to {MAX_LIST} keys")));
    }
    for k in keys {
        if k.get("kty").and_then(Value::as_str).is_none() {
            return Err(bad(field, "every key needs a \"kty\""));
        }
        if PRIVATE_JWK_MEMBERS.iter().any(|m| k.get(m).is_some()) {
            return Err(bad(field, "contains a private or symmetric key; give the public keys only"));
        }
    }
    Ok(())
}

fn redirect_list(field: &'static str, uris: &[String], app: ApplicationType) -> Result<Vec<RedirectUri>, MetadataError> {
    list_limit(field, uris).map_err(|e| bad_redirect(field, e.to_string()))?;
    let mut out: Vec<RedirectUri> = Vec::new();
    for u in uris {
        let uri = RedirectUri::parse(u).map_err(|e| bad_redirect(field, e.to_string()))?;
        // Custom schemes belong to apps on a device (RFC 8252 §7.1).
        if app == ApplicationType::Web && !matches!(uri.as_str().split(':').next(), Some("https" | "http")) {
            return Err(bad_redirect(field, format!("'{u}': a web client's redirect URIs are https URLs (custom schemes need application_type native)")));
        }
        if !out.contains(&uri) {
            out.push(uri);
        }
    }
    Ok(out)
}

/// The operator's refresh reuse grace, checked against the client's grants
/// (also when an update changes it alone: `trame client update`).
pub fn refresh_reuse_grace(seconds: u32, grant_types: &[GrantType]) -> Result<u32, MetadataError> {
    let field = "refresh_reuse_grace";
    if seconds > MAX_REFRESH_REUSE_GRACE {
        return Err(bad(field, format!("at most {MAX_REFRESH_REUSE_GRACE} seconds")));
    }
    if seconds > 0 && !grant_types.contains(&GrantType::RefreshToken) {
        return Err(bad(field, "only meaningful with the refresh_token grant"));
    }
    Ok(seconds)
}

/// Applies the rules of a CAS service's settings (`trame client add
/// --protocol cas`).
pub fn cas_service(req: CasRequest) -> Result<CasService, MetadataError> {
    list_limit("service_url", &req.service_urls)?;
    list_limit("service_url_prefix", &req.service_prefixes)?;
    if req.service_urls.is_empty() && req.service_prefixes.is_empty() {
        return Err(bad("service_url", "a CAS service needs at least one service URL or prefix"));
    }
    for u in &req.service_urls {
        web_url("service_url", u, true)?;
    }
    for p in &req.service_prefixes {
        let url = web_url("service_url_prefix", p, true)?;
        if url.query().is_some() || !p.ends_with('/') || url.as_str() != p {
            return Err(bad(
                "service_url_prefix",
                format!("'{p}' must be a normalised URL whose path ends with '/' (a prefix stops at a path segment) and has no query"),
            ));
        }
    }
    let mut attributes = Vec::new();
    for a in req.attributes {
        if !ATTRIBUTES.contains(&a.as_str()) {
            return Err(bad("attribute", format!("'{a}' is not an attribute Trame releases (known: {})", ATTRIBUTES.join(", "))));
        }
        if !attributes.contains(&a) {
            attributes.push(a);
        }
    }
    let user = match req.user.as_deref() {
        None => CasUser::default(),
        Some(u) => CasUser::parse(u).ok_or_else(|| bad("cas_user", format!("'{u}' is not username or subject")))?,
    };
    Ok(CasService { service_urls: req.service_urls, service_prefixes: req.service_prefixes, attributes, user })
}

/// Applies every registration rule; the result is what gets stored.
pub fn validate(req: ClientRequest, rules: &Rules) -> Result<ClientSettings, MetadataError> {
    if let Some(f) = req.encryption_asked {
        return Err(bad(f, "Trame does not encrypt tokens; register without encryption"));
    }
    let application_type = match req.application_type.as_deref() {
        None => ApplicationType::Web,
        Some(a) => ApplicationType::parse(a).ok_or_else(|| bad("application_type", format!("'{a}' is not web or native")))?,
    };
    let auth_method = match req.token_endpoint_auth_method.as_deref() {
        None => AuthMethod::ClientSecretBasic,
        Some("client_secret_jwt") => return Err(bad("token_endpoint_auth_method", "client_secret_jwt is not supported: use private_key_jwt")),
        Some(m) => AuthMethod::parse(m).ok_or_else(|| bad("token_endpoint_auth_method", format!("'{m}' is not supported")))?,
    };

    let grant_types: Vec<GrantType> = match req.grant_types {
        None => vec![GrantType::AuthorizationCode],
        Some(g) => {
            list_limit("grant_types", &g)?;
            let mut out = Vec::new();
            for name in &g {
                let t = GrantType::parse(name).ok_or_else(|| bad("grant_types", format!("'{name}' is not supported")))?;
                if !out.contains(&t) {
                    out.push(t);
                }
            }
            out
        }
    };
    // RFC 7591 §2.1: response type `code` goes with the authorization_code
    // grant (and is the default when that grant is asked for).
    let response_types =
        req.response_types.unwrap_or_else(|| if grant_types.contains(&GrantType::AuthorizationCode) { vec!["code".to_owned()] } else { Vec::new() });
    if let Some(r) = response_types.iter().find(|r| *r != "code") {
        return Err(bad("response_types", format!("'{r}' is not supported: only the authorization code flow (code)")));
    }
    if !response_types.is_empty() && !grant_types.contains(&GrantType::AuthorizationCode) {
        return Err(bad("grant_types", "response type code needs the authorization_code grant"));
    }
    if grant_types.contains(&GrantType::RefreshToken) && !grant_types.contains(&GrantType::AuthorizationCode) {
        return Err(bad("grant_types", "refresh_token is only issued with the authorization_code grant"));
    }
    if auth_method == AuthMethod::None && grant_types.contains(&GrantType::ClientCredentials) {
        return Err(bad("grant_types", "client_credentials needs a confidential client (it would let anyone obtain tokens)"));
    }

    let redirect_uris = redirect_list("redirect_uris", &req.redirect_uris, application_type)?;
    if grant_types.contains(&GrantType::AuthorizationCode) && redirect_uris.is_empty() {
        return Err(bad_redirect("redirect_uris", "at least one redirect URI is required for the authorization_code grant"));
    }
    let post_logout_redirect_uris = redirect_list("post_logout_redirect_uris", &req.post_logout_redirect_uris, application_type)?;

    let jwks_uri = req.jwks_uri.as_deref().map(|u| web_url("jwks_uri", u, true).map(|_| u.to_owned())).transpose()?;
    if let Some(j) = &req.jwks {
        public_jwks("jwks", j)?;
    }
    if jwks_uri.is_some() && req.jwks.is_some() {
        return Err(bad("jwks", "give jwks_uri or jwks, not both"));
    }
    if auth_method == AuthMethod::PrivateKeyJwt && jwks_uri.is_none() && req.jwks.is_none() {
        return Err(bad("jwks_uri", "private_key_jwt needs the client's keys: jwks_uri or jwks"));
    }
    let token_auth_alg = match req.token_endpoint_auth_signing_alg {
        None => None,
        Some(a) if Alg::parse(&a).is_some_and(|a| keys::ACCEPTED_INBOUND.contains(&a)) => Some(a),
        Some(a) => {
            let accepted: Vec<&str> = keys::ACCEPTED_INBOUND.iter().map(|a| a.as_str()).collect();
            return Err(bad("token_endpoint_auth_signing_alg", format!("'{a}' is not accepted (accepted: {})", accepted.join(", "))));
        }
    };
    if token_auth_alg.is_some() && auth_method != AuthMethod::PrivateKeyJwt {
        return Err(bad("token_endpoint_auth_signing_alg", "only meaningful with private_key_jwt"));
    }
    let id_token_alg = alg("id_token_signed_response_alg", req.id_token_signed_response_alg.as_deref())?.unwrap_or(rules.default_id_token_alg);
    let userinfo_alg = alg("userinfo_signed_response_alg", req.userinfo_signed_response_alg.as_deref())?;

    let scope_text = req.scope.as_deref().unwrap_or(rules.default_scope);
    let asked = Scopes::parse(scope_text).map_err(|e| bad("scope", e.to_string()))?;
    // Unknown scopes are dropped rather than refused (RFC 7591 §2 lets the
    // server narrow what was asked); the response says what was granted.
    let known = scope::SUPPORTED.iter().chain(if rules.administration { scope::ADMINISTRATION } else { &[] });
    let scopes = asked.restricted_to(&Scopes::from_tokens(known.copied()));
    if scope::ADMINISTRATION.iter().any(|s| scopes.contains(s)) && (auth_method == AuthMethod::None || !grant_types.contains(&GrantType::ClientCredentials)) {
        return Err(bad("scope", "the administration scopes need a confidential client with the client_credentials grant"));
    }
    if !scopes.contains(scope::OPENID) && grant_types.contains(&GrantType::AuthorizationCode) {
        return Err(bad("scope", "must include openid"));
    }

    let subject_type = match req.subject_type.as_deref() {
        None => rules.default_subject_type,
        Some(s) => SubjectType::parse(s).ok_or_else(|| bad("subject_type", format!("'{s}' is not public or pairwise")))?,
    };
    let sector_url = sector_identifier_url(&ClientRequest { sector_identifier_uri: req.sector_identifier_uri.clone(), ..Default::default() })?;
    let sector_identifier = match (&sector_url, &rules.sector_redirect_uris) {
        (Some(url), Some(listed)) => {
            // OIDC Registration §5: every redirect URI must be in the list.
            if let Some(missing) = redirect_uris.iter().find(|r| !listed.iter().any(|l| r.matches(l))) {
                return Err(bad("sector_identifier_uri", format!("the document does not list the redirect URI '{missing}'")));
            }
            url.host_str().map(str::to_owned)
        }
        (Some(_), None) => return Err(bad("sector_identifier_uri", "the document could not be read")),
        (None, _) => None,
    };
    if subject_type == SubjectType::Pairwise && sector_identifier.is_none() {
        // OIDC Core §8.1: with several redirect hosts the sector must be declared.
        let mut hosts: Vec<String> = redirect_uris.iter().map(|u| sector_of_redirect(u.as_str())).collect();
        hosts.sort();
        hosts.dedup();
        if hosts.len() > 1 {
            return Err(bad(
                "sector_identifier_uri",
                "pairwise subjects with redirect URIs on several hosts need a sector_identifier_uri (or subject_type public)",
            ));
        }
    }

    let default_max_age = match req.default_max_age {
        None => None,
        Some(a) if (0..=i64::from(u32::MAX)).contains(&a) => Some(a as u32),
        Some(_) => return Err(bad("default_max_age", "must be a number of seconds, 0 or more")),
    };
    list_limit("default_acr_values", &req.default_acr_values)?;
    if req.default_acr_values.iter().any(|a| a.is_empty() || a.len() > MAX_TEXT || a.contains(' ')) {
        return Err(bad("default_acr_values", "each value is a non-empty token without spaces"));
    }

    let backchannel_uri = req.backchannel_logout_uri.as_deref().map(|u| web_url("backchannel_logout_uri", u, true).map(|_| u.to_owned())).transpose()?;
    let frontchannel_uri = match req.frontchannel_logout_uri.as_deref() {
        None => None,
        Some(u) => {
            let url = web_url("frontchannel_logout_uri", u, true)?;
            // Front-Channel Logout §2: same scheme, host and port as a redirect URI.
            let same_origin = redirect_uris.iter().filter_map(|r| Url::parse(r.as_str()).ok()).any(|r| r.origin() == url.origin());
            if !same_origin {
                return Err(bad("frontchannel_logout_uri", "must have the scheme, host and port of a registered redirect URI"));
            }
            Some(u.to_owned())
        }
    };

    let shown_url =
        |field: &'static str, v: Option<String>| -> Result<Option<String>, MetadataError> { v.map(|u| web_url(field, &u, false).map(|_| u)).transpose() };
    list_limit("contacts", &req.contacts)?;
    if req.contacts.iter().any(|c| c.is_empty() || c.len() > 254 || c.chars().any(char::is_control)) {
        return Err(bad("contacts", "each contact is 1 to 254 printable characters"));
    }
    let info = ClientInfo {
        application_type,
        client_uri: shown_url("client_uri", req.client_uri)?,
        logo_uri: shown_url("logo_uri", req.logo_uri)?,
        policy_uri: shown_url("policy_uri", req.policy_uri)?,
        tos_uri: shown_url("tos_uri", req.tos_uri)?,
        contacts: req.contacts,
        sector_identifier_uri: sector_url.map(|_| req.sector_identifier_uri.unwrap_or_default()),
        initiate_login_uri: req.initiate_login_uri.as_deref().map(|u| web_url("initiate_login_uri", u, true).map(|_| u.to_owned())).transpose()?,
        software_id: text("software_id", req.software_id)?,
        software_version: text("software_version", req.software_version)?,
        require_auth_time: req.require_auth_time.unwrap_or(false),
    };
    let refresh_reuse_grace = refresh_reuse_grace(req.refresh_reuse_grace.unwrap_or(0), &grant_types)?;
    let pkce = match (auth_method, req.pkce) {
        (AuthMethod::None, _) => PkcePolicy::Required,
        (_, Some(p)) => p,
        (_, None) => rules.confidential_pkce,
    };
    Ok(ClientSettings {
        name: text("client_name", req.client_name)?,
        auth_method,
        token_auth_alg,
        redirect_uris,
        post_logout_redirect_uris,
        grant_types,
        scopes,
        subject_type,
        sector_identifier,
        pkce,
        skip_consent: req.skip_consent,
        id_token_alg,
        userinfo_alg,
        jwks_uri,
        jwks: req.jwks,
        default_max_age,
        default_acr_values: req.default_acr_values,
        logout: LogoutChannels {
            backchannel_session_required: backchannel_uri.is_some() && req.backchannel_logout_session_required.unwrap_or(false),
            backchannel_uri,
            frontchannel_session_required: frontchannel_uri.is_some() && req.frontchannel_logout_session_required.unwrap_or(false),
            frontchannel_uri,
        },
        info,
        refresh_reuse_grace,
        cas: req.cas.map(cas_service).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn register(body: Value) -> Result<ClientSettings, MetadataError> {
        validate(ClientRequest::from_json(&body)?, &Rules::dynamic(PkcePolicy::Required))
    }

    #[test]
    fn administration_scopes_only_from_the_operator_and_only_for_machines() {
        let machine = json!({ "grant_types": ["client_credentials"], "scope": "trame:admin trame:admin:read" });
        assert!(register(machine.clone()).unwrap().scopes.is_empty(), "a registration request never gets them");
        let operator = Rules { administration: true, ..Rules::dynamic(PkcePolicy::Required) };
        let c = validate(ClientRequest::from_json(&machine).unwrap(), &operator).unwrap();
        assert_eq!(c.scopes.to_string_sorted(), "trame:admin trame:admin:read");
        let person = json!({ "redirect_uris": ["https://rp.example.fr/cb"], "scope": "openid trame:admin" });
        assert_eq!(validate(ClientRequest::from_json(&person).unwrap(), &operator).unwrap_err().field(), "scope");
        let public = json!({ "grant_types": ["client_credentials"], "token_endpoint_auth_method": "none", "scope": "trame:admin" });
        assert!(validate(ClientRequest::from_json(&public).unwrap(), &operator).is_err());
    }

    fn refused(body: Value) -> (String, &'static str) {
        let e = register(body.clone()).expect_err(&format!("{body} should be refused"));
        (e.code().as_str().to_owned(), e.field())
    }

    #[test]
    fn a_minimal_registration_gets_the_specified_defaults() {
        let c = register(json!({ "redirect_uris": ["https://rp.example.fr/cb"] })).unwrap();
        assert_eq!(c.auth_method, AuthMethod::ClientSecretBasic);
        assert_eq!(c.grant_types, vec![GrantType::AuthorizationCode]);
        assert_eq!(c.id_token_alg, Alg::RS256, "OIDC Registration §2 default");
        assert_eq!(c.subject_type, SubjectType::Pairwise);
        assert_eq!(c.info.application_type, ApplicationType::Web);
        assert!(c.scopes.contains("openid") && c.scopes.contains("phone"));
        assert_eq!(c.pkce, PkcePolicy::Required);
        assert!(!c.skip_consent);
    }

    #[test]
    fn every_rule_names_its_field_and_error_code() {
        let rp = "https://rp.example.fr/cb";
        let table: Vec<(Value, &str, &str)> = vec![
            (json!([]), "invalid_client_metadata", "body"),
            (json!({ "redirect_uris": rp }), "invalid_redirect_uri", "redirect_uris"),
            (json!({}), "invalid_redirect_uri", "redirect_uris"),
            (json!({ "redirect_uris": ["https://rp.example.fr/cb#frag"] }), "invalid_redirect_uri", "redirect_uris"),
            (json!({ "redirect_uris": ["http://rp.example.fr/cb"] }), "invalid_redirect_uri", "redirect_uris"),
            (json!({ "redirect_uris": ["com.example.app:/cb"] }), "invalid_redirect_uri", "redirect_uris"),
            (json!({ "redirect_uris": [rp], "post_logout_redirect_uris": ["javascript:alert(1)"] }), "invalid_redirect_uri", "post_logout_redirect_uris"),
            (json!({ "redirect_uris": [rp], "response_types": ["id_token"] }), "invalid_client_metadata", "response_types"),
            (json!({ "redirect_uris": [rp], "grant_types": ["implicit"] }), "invalid_client_metadata", "grant_types"),
            (json!({ "redirect_uris": [rp], "grant_types": ["refresh_token"] }), "invalid_client_metadata", "grant_types"),
            (
                json!({ "redirect_uris": [rp], "token_endpoint_auth_method": "none", "grant_types": ["authorization_code", "client_credentials"] }),
                "invalid_client_metadata",
                "grant_types",
            ),
            (json!({ "redirect_uris": [rp], "token_endpoint_auth_method": "client_secret_jwt" }), "invalid_client_metadata", "token_endpoint_auth_method"),
            (json!({ "redirect_uris": [rp], "token_endpoint_auth_method": "tls_client_auth" }), "invalid_client_metadata", "token_endpoint_auth_method"),
            (json!({ "redirect_uris": [rp], "token_endpoint_auth_method": "private_key_jwt" }), "invalid_client_metadata", "jwks_uri"),
            (json!({ "redirect_uris": [rp], "jwks_uri": "http://keys.example.fr/jwks" }), "invalid_client_metadata", "jwks_uri"),
            (json!({ "redirect_uris": [rp], "jwks": { "keys": [{ "kty": "EC", "d": "secret" }] } }), "invalid_client_metadata", "jwks"),
            (json!({ "redirect_uris": [rp], "jwks": { "keys": [{ "kty": "oct", "k": "c2VjcmV0" }] } }), "invalid_client_metadata", "jwks"),
            (json!({ "redirect_uris": [rp], "jwks": [] }), "invalid_client_metadata", "jwks"),
            (json!({ "redirect_uris": [rp], "jwks": { "keys": [] } }), "invalid_client_metadata", "jwks"),
            (
                json!({ "redirect_uris": [rp], "jwks_uri": "https://rp.example.fr/jwks", "jwks": { "keys": [{ "kty": "EC" }] } }),
                "invalid_client_metadata",
                "jwks",
            ),
            (json!({ "redirect_uris": [rp], "id_token_signed_response_alg": "none" }), "invalid_client_metadata", "id_token_signed_response_alg"),
            (json!({ "redirect_uris": [rp], "id_token_signed_response_alg": "HS256" }), "invalid_client_metadata", "id_token_signed_response_alg"),
            (json!({ "redirect_uris": [rp], "userinfo_signed_response_alg": "none" }), "invalid_client_metadata", "userinfo_signed_response_alg"),
            (json!({ "redirect_uris": [rp], "id_token_encrypted_response_alg": "RSA-OAEP" }), "invalid_client_metadata", "id_token_encrypted_response_alg"),
            (json!({ "redirect_uris": [rp], "token_endpoint_auth_signing_alg": "ES256" }), "invalid_client_metadata", "token_endpoint_auth_signing_alg"),
            (json!({ "redirect_uris": [rp], "subject_type": "secret" }), "invalid_client_metadata", "subject_type"),
            (json!({ "redirect_uris": [rp, "https://other.example.fr/cb"], "subject_type": "pairwise" }), "invalid_client_metadata", "sector_identifier_uri"),
            (json!({ "redirect_uris": [rp], "sector_identifier_uri": "http://rp.example.fr/sector.json" }), "invalid_client_metadata", "sector_identifier_uri"),
            (json!({ "redirect_uris": [rp], "application_type": "desktop" }), "invalid_client_metadata", "application_type"),
            (json!({ "redirect_uris": [rp], "logo_uri": "javascript:alert(1)" }), "invalid_client_metadata", "logo_uri"),
            (json!({ "redirect_uris": [rp], "policy_uri": "data:text/html,hi" }), "invalid_client_metadata", "policy_uri"),
            (json!({ "redirect_uris": [rp], "tos_uri": 7 }), "invalid_client_metadata", "tos_uri"),
            (json!({ "redirect_uris": [rp], "client_name": "" }), "invalid_client_metadata", "client_name"),
            (json!({ "redirect_uris": [rp], "client_name": "a\u{7}b" }), "invalid_client_metadata", "client_name"),
            (json!({ "redirect_uris": [rp], "default_max_age": -1 }), "invalid_client_metadata", "default_max_age"),
            (json!({ "redirect_uris": [rp], "default_max_age": "60" }), "invalid_client_metadata", "default_max_age"),
            (json!({ "redirect_uris": [rp], "require_auth_time": "yes" }), "invalid_client_metadata", "require_auth_time"),
            (json!({ "redirect_uris": [rp], "scope": "profile email" }), "invalid_client_metadata", "scope"),
            (json!({ "redirect_uris": [rp], "backchannel_logout_uri": "http://rp.example.fr/bc" }), "invalid_client_metadata", "backchannel_logout_uri"),
            (
                json!({ "redirect_uris": [rp], "frontchannel_logout_uri": "https://elsewhere.example.fr/fc" }),
                "invalid_client_metadata",
                "frontchannel_logout_uri",
            ),
            (json!({ "redirect_uris": [rp], "initiate_login_uri": "http://rp.example.fr/login" }), "invalid_client_metadata", "initiate_login_uri"),
            (json!({ "redirect_uris": [rp], "contacts": "ops@rp.example.fr" }), "invalid_client_metadata", "contacts"),
        ];
        for (body, code, field) in table {
            assert_eq!(refused(body.clone()), (code.to_owned(), field), "{body}");
        }
    }

    #[test]
    fn unknown_fields_are_ignored_and_unknown_scopes_dropped() {
        let c = register(json!({ "redirect_uris": ["https://rp.example.fr/cb"], "x-vendor": { "a": 1 }, "scope": "openid email payments" })).unwrap();
        assert_eq!(c.scopes, Scopes::parse("openid email").unwrap());
    }

    #[test]
    fn native_apps_may_use_custom_schemes_and_loopback() {
        let c = register(json!({ "application_type": "native", "redirect_uris": ["fr.mairie.app:/cb", "http://127.0.0.1:4711/cb"], "subject_type": "public" }))
            .unwrap();
        assert_eq!(c.redirect_uris.len(), 2);
    }

    #[test]
    fn the_sector_identifier_document_must_list_every_redirect_uri() {
        let body =
            json!({ "redirect_uris": ["https://a.example.fr/cb", "https://b.example.fr/cb"], "sector_identifier_uri": "https://sector.example.fr/uris.json" });
        let req = || ClientRequest::from_json(&body).unwrap();
        let mut rules = Rules::dynamic(PkcePolicy::Required);
        rules.sector_redirect_uris = Some(vec!["https://a.example.fr/cb".into(), "https://b.example.fr/cb".into(), "https://c.example.fr/cb".into()]);
        let c = validate(req(), &rules).unwrap();
        assert_eq!(c.sector_identifier.as_deref(), Some("sector.example.fr"));
        assert_eq!(c.info.sector_identifier_uri.as_deref(), Some("https://sector.example.fr/uris.json"));

        rules.sector_redirect_uris = Some(vec!["https://a.example.fr/cb".into()]);
        let e = validate(req(), &rules).unwrap_err();
        assert_eq!((e.code().as_str(), e.field()), ("invalid_client_metadata", "sector_identifier_uri"));
        assert!(e.to_string().contains("https://b.example.fr/cb"), "{e}");

        rules.sector_redirect_uris = None;
        assert_eq!(validate(req(), &rules).unwrap_err().field(), "sector_identifier_uri");
    }

    #[test]
    fn sector_documents_are_arrays_of_strings() {
        assert_eq!(parse_sector_document(br#"["https://a/cb"]"#).unwrap(), vec!["https://a/cb".to_owned()]);
        for bad_doc in [&b"{}"[..], b"[1]", b"not json", b""] {
            assert!(parse_sector_document(bad_doc).is_err());
        }
    }

    #[test]
    fn confidential_pkce_follows_the_rules_public_clients_always_require_it() {
        let rules = Rules::dynamic(PkcePolicy::Optional);
        let conf = validate(ClientRequest::from_json(&json!({ "redirect_uris": ["https://rp.example.fr/cb"] })).unwrap(), &rules).unwrap();
        assert_eq!(conf.pkce, PkcePolicy::Optional);
        let public = validate(
            ClientRequest::from_json(&json!({ "redirect_uris": ["https://rp.example.fr/cb"], "token_endpoint_auth_method": "none" })).unwrap(),
            &rules,
        )
        .unwrap();
        assert_eq!(public.pkce, PkcePolicy::Required);
    }

    #[test]
    fn logout_channels_keep_session_required_only_with_their_uri() {
        let c = register(json!({
            "redirect_uris": ["https://rp.example.fr/cb"],
            "backchannel_logout_uri": "https://rp.example.fr/bc", "backchannel_logout_session_required": true,
            "frontchannel_logout_session_required": true,
        }))
        .unwrap();
        assert_eq!(c.logout.backchannel_uri.as_deref(), Some("https://rp.example.fr/bc"));
        assert!(c.logout.backchannel_session_required);
        assert!(!c.logout.frontchannel_session_required);
    }

    #[test]
    fn client_credentials_only_clients_need_no_redirect_uri() {
        let c = register(json!({ "grant_types": ["client_credentials"], "scope": "openid" })).unwrap();
        assert!(c.redirect_uris.is_empty());
    }
    #[test]
    fn cas_settings_rules() {
        let refused = |urls: &[&str], prefixes: &[&str]| {
            cas_service(CasRequest {
                service_urls: urls.iter().map(|s| s.to_string()).collect(),
                service_prefixes: prefixes.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            })
            .unwrap_err()
        };
        assert_eq!(refused(&[], &[]).field(), "service_url");
        assert_eq!(refused(&["http://glpi.ville.fr/"], &[]).field(), "service_url", "https, except on loopback");
        assert_eq!(refused(&["https://u:p@glpi.ville.fr/"], &[]).field(), "service_url");
        assert_eq!(refused(&["https://glpi.ville.fr/#x"], &[]).field(), "service_url");
        assert_eq!(refused(&["not a url"], &[]).field(), "service_url");
        assert_eq!(refused(&[], &["https://glpi.ville.fr/app"]).field(), "service_url_prefix", "a prefix ends at a segment");
        assert_eq!(refused(&[], &["https://glpi.ville.fr"]).field(), "service_url_prefix", "not even at the host");
        assert_eq!(refused(&[], &["https://glpi.ville.fr/a/?x=1"]).field(), "service_url_prefix");
        assert_eq!(refused(&[], &["https://glpi.ville.fr/a/../b/"]).field(), "service_url_prefix", "normalised only");
        assert_eq!(refused(&[], &["https://GLPI.ville.fr/a/"]).field(), "service_url_prefix", "normalised only");
        cas_service(CasRequest {
            service_urls: vec!["http://localhost:8081/app/".into()],
            service_prefixes: vec!["http://127.0.0.1:8081/".into()],
            ..Default::default()
        })
        .unwrap();
        let e = cas_service(CasRequest { service_urls: vec!["https://a.fr/".into()], attributes: vec!["password".into()], ..Default::default() });
        assert_eq!(e.unwrap_err().field(), "attribute");
        let e = cas_service(CasRequest { service_urls: vec!["https://a.fr/".into()], user: Some("email".into()), ..Default::default() });
        assert_eq!(e.unwrap_err().field(), "cas_user");
        let ok = cas_service(CasRequest {
            service_urls: vec!["https://a.fr/".into()],
            attributes: vec!["email".into(), "email".into(), "given_name".into()],
            user: Some("subject".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.attributes, ["email", "given_name"]);
        assert_eq!(ok.user, CasUser::Subject);
        assert_eq!(cas_service(ok.to_request()).unwrap(), ok);
    }
}
