//! A registered OAuth client and its policy choices.

use trame_jose::Alg;

use crate::ids::{ClientId, RedirectUri};
use crate::scope::Scopes;
use crate::subject::SubjectType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
    None,
}

impl AuthMethod {
    pub const ALL: [AuthMethod; 4] = [Self::ClientSecretBasic, Self::ClientSecretPost, Self::PrivateKeyJwt, Self::None];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
            Self::PrivateKeyJwt => "private_key_jwt",
            Self::None => "none",
        }
    }
    pub fn uses_secret(self) -> bool {
        matches!(self, Self::ClientSecretBasic | Self::ClientSecretPost)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantType {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
}

impl GrantType {
    pub const ALL: [GrantType; 3] = [Self::AuthorizationCode, Self::RefreshToken, Self::ClientCredentials];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
            Self::ClientCredentials => "client_credentials",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PkcePolicy {
    /// Every authorization request must carry an S256 challenge.
    #[default]
    Required,
    /// A confidential client may omit PKCE (legacy services); if it sends a
    /// challenge it is still enforced.
    Optional,
}

impl std::str::FromStr for PkcePolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s).ok_or_else(|| format!("'{s}' is not a PKCE policy (required optional)"))
    }
}

impl std::fmt::Display for PkcePolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PkcePolicy {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "required" => Some(Self::Required),
            "optional" => Some(Self::Optional),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Optional => "optional",
        }
    }
}

/// A registered client: its identity and credentials, and its settings
/// (everything a registration request or the operator's command chose).
#[derive(Debug, Clone)]
pub struct Client {
    pub id: ClientId,
    pub tenant_id: String,
    /// SHA-256 of the secret for `client_secret_*`; never the secret itself.
    pub secret_digest: Option<String>,
    /// SHA-256 of the registration access token (RFC 7592), for clients that
    /// registered themselves; operator-made clients have none.
    pub registration_token_digest: Option<String>,
    /// Set for a relying party registered through an OpenID Federation
    /// trust chain; its client id is its Entity Identifier.
    pub federation: Option<FederationRegistration>,
    pub settings: ClientSettings,
}

/// How a federation relying party registered (OpenID Federation §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationKind {
    /// With its first Request Object or pushed request (§12.1).
    Automatic,
    /// By posting its Entity Configuration (§12.2).
    Explicit,
}

impl RegistrationKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "automatic" => Some(Self::Automatic),
            "explicit" => Some(Self::Explicit),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Automatic => "automatic",
            Self::Explicit => "explicit",
        }
    }
}

/// A federation registration: which Trust Anchor vouched for the relying
/// party, and until when. A registration never outlives the trust chain it
/// was made from (§12.3): past `expires_at` the client is unknown until it
/// registers again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederationRegistration {
    pub kind: RegistrationKind,
    pub trust_anchor: String,
    pub expires_at: i64,
}

/// `client.redirect_uris` rather than `client.settings.redirect_uris`: the
/// settings are most of what a client is.
impl std::ops::Deref for Client {
    type Target = ClientSettings;
    fn deref(&self) -> &ClientSettings {
        &self.settings
    }
}

/// What a client registered, validated ([`crate::registration`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientSettings {
    pub name: Option<String>,
    pub auth_method: AuthMethod,
    /// `token_endpoint_auth_signing_alg`: the one algorithm accepted for
    /// `private_key_jwt` assertions when set.
    pub token_auth_alg: Option<String>,
    pub redirect_uris: Vec<RedirectUri>,
    pub post_logout_redirect_uris: Vec<RedirectUri>,
    pub grant_types: Vec<GrantType>,
    pub scopes: Scopes,
    pub subject_type: SubjectType,
    /// The pairwise sector: the host of `sector_identifier_uri` when one was
    /// registered, otherwise derived from the redirect URIs.
    pub sector_identifier: Option<String>,
    pub pkce: PkcePolicy,
    pub skip_consent: bool,
    pub id_token_alg: Alg,
    /// When set, UserInfo answers with a JWT signed with this algorithm
    /// (`userinfo_signed_response_alg`) instead of plain JSON.
    pub userinfo_alg: Option<Alg>,
    pub jwks_uri: Option<String>,
    pub jwks: Option<serde_json::Value>,
    /// Applied when an authorization request has no `max_age`.
    pub default_max_age: Option<u32>,
    /// Applied when an authorization request has no `acr_values`.
    pub default_acr_values: Vec<String>,
    pub logout: LogoutChannels,
    pub info: ClientInfo,
    /// Seconds during which an exact retry of a just-rotated refresh token
    /// gets the same successor again rather than revoking the grant: a
    /// client that lost the answer to a refresh is not logged out for it.
    /// 0 (the default): every second use is a reuse. Operator-only.
    pub refresh_reuse_grace: u32,
    /// Set for a CAS service (operator-only): its service URLs, the
    /// attributes it gets, and what `<cas:user>` holds.
    pub cas: Option<crate::cas::CasService>,
}

/// The longest refresh reuse grace an operator may give: long enough for a
/// client's retries of one request, short enough that a stolen token's
/// replay is still caught.
pub const MAX_REFRESH_REUSE_GRACE: u32 = 60;

impl ClientSettings {
    /// A client that may do nothing yet: no redirect URI, the
    /// authorization code grant, scope `openid`, public subjects, ES256,
    /// PKCE required. For building settings field by field (tests, fixtures);
    /// registrations go through [`crate::registration::validate`].
    pub fn new(auth_method: AuthMethod) -> Self {
        Self {
            name: None,
            auth_method,
            token_auth_alg: None,
            redirect_uris: Vec::new(),
            post_logout_redirect_uris: Vec::new(),
            grant_types: vec![GrantType::AuthorizationCode],
            scopes: Scopes::from_tokens(["openid"]),
            subject_type: SubjectType::Public,
            sector_identifier: None,
            pkce: PkcePolicy::Required,
            skip_consent: false,
            id_token_alg: Alg::ES256,
            userinfo_alg: None,
            jwks_uri: None,
            jwks: None,
            default_max_age: None,
            default_acr_values: Vec::new(),
            logout: LogoutChannels::default(),
            info: ClientInfo::default(),
            refresh_reuse_grace: 0,
            cas: None,
        }
    }
}

/// Where the client wants to hear that a session ended (OpenID Connect
/// Back-Channel and Front-Channel Logout 1.0).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogoutChannels {
    pub backchannel_uri: Option<String>,
    pub backchannel_session_required: bool,
    pub frontchannel_uri: Option<String>,
    pub frontchannel_session_required: bool,
}

impl LogoutChannels {
    /// The address the browser loads, in a hidden frame, to sign the person
    /// out of this client: the registered URI, with `iss` and the client's
    /// `sid` added when the client asked for them (Front-Channel Logout §2),
    /// after its own query if it has one.
    pub fn frontchannel_url(&self, issuer: &str, client_sid: &str) -> Option<String> {
        let uri = self.frontchannel_uri.as_deref()?;
        if !self.frontchannel_session_required {
            return Some(uri.to_owned());
        }
        let sep = match uri.split_once('?') {
            None => "?",
            Some((_, q)) if q.is_empty() || q.ends_with('&') => "",
            Some(_) => "&",
        };
        let params = url::form_urlencoded::Serializer::new(String::new()).append_pair("iss", issuer).append_pair("sid", client_sid).finish();
        Some(format!("{uri}{sep}{params}"))
    }
}

/// Registered metadata Trame keeps and shows but does not act on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub application_type: ApplicationType,
    pub client_uri: Option<String>,
    pub logo_uri: Option<String>,
    pub policy_uri: Option<String>,
    pub tos_uri: Option<String>,
    pub contacts: Vec<String>,
    pub sector_identifier_uri: Option<String>,
    pub initiate_login_uri: Option<String>,
    pub software_id: Option<String>,
    pub software_version: Option<String>,
    /// Trame always sends `auth_time`; kept to echo the registration.
    pub require_auth_time: bool,
}

/// OIDC Registration §2 `application_type`: which redirect URIs make sense.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ApplicationType {
    #[default]
    Web,
    Native,
}

impl ApplicationType {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "web" => Some(Self::Web),
            "native" => Some(Self::Native),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Native => "native",
        }
    }
}

impl Client {
    /// Whether the registration has lapsed (only federation registrations
    /// do).
    pub fn is_expired(&self, now: i64) -> bool {
        self.federation.as_ref().is_some_and(|f| f.expires_at <= now)
    }

    pub fn is_public(&self) -> bool {
        self.auth_method == AuthMethod::None
    }

    pub fn allows_grant(&self, g: GrantType) -> bool {
        self.grant_types.contains(&g)
    }

    pub fn redirect_uri(&self, requested: &str) -> Option<&RedirectUri> {
        self.redirect_uris.iter().find(|r| r.matches(requested))
    }

    pub fn post_logout_redirect_uri(&self, requested: &str) -> Option<&RedirectUri> {
        self.post_logout_redirect_uris.iter().find(|r| r.matches(requested))
    }

    /// PKCE is mandatory for public clients whatever their setting.
    pub fn requires_pkce(&self) -> bool {
        self.is_public() || self.pkce == PkcePolicy::Required
    }

    /// The sector used for pairwise subjects.
    pub fn sector(&self) -> String {
        match &self.sector_identifier {
            Some(s) => s.clone(),
            None => self.redirect_uris.first().map(|r| crate::subject::sector_of_redirect(r.as_str())).unwrap_or_else(|| self.id.as_str().to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontchannel_url_adds_iss_and_sid_only_when_required() {
        let channels = |uri: &str, required: bool| LogoutChannels {
            frontchannel_uri: Some(uri.into()),
            frontchannel_session_required: required,
            ..LogoutChannels::default()
        };
        let iss = "https://login.ville.fr/t?x";
        assert_eq!(channels("https://rp.fr/fc", false).frontchannel_url(iss, "s1").as_deref(), Some("https://rp.fr/fc"));
        assert_eq!(
            channels("https://rp.fr/fc", true).frontchannel_url(iss, "s1").as_deref(),
            Some("https://rp.fr/fc?iss=https%3A%2F%2Flogin.ville.fr%2Ft%3Fx&sid=s1")
        );
        assert_eq!(
            channels("https://rp.fr/fc?app=2", true).frontchannel_url(iss, "s1").as_deref(),
            Some("https://rp.fr/fc?app=2&iss=https%3A%2F%2Flogin.ville.fr%2Ft%3Fx&sid=s1")
        );
        assert_eq!(
            channels("https://rp.fr/fc?", true).frontchannel_url(iss, "s1").as_deref(),
            Some("https://rp.fr/fc?iss=https%3A%2F%2Flogin.ville.fr%2Ft%3Fx&sid=s1")
        );
        assert_eq!(LogoutChannels { frontchannel_session_required: true, ..LogoutChannels::default() }.frontchannel_url(iss, "s1"), None);
    }
}
