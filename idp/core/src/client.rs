//! A registered OAuth client and its policy choices.

use crate::ids::{ClientId, RedirectUri};
use crate::keys::Alg;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkcePolicy {
    /// Every authorization request must carry an S256 challenge.
    Required,
    /// A confidential client may omit PKCE (legacy services); if it sends a
    /// challenge it is still enforced.
    Optional,
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

#[derive(Debug, Clone)]
pub struct Client {
    pub id: ClientId,
    pub tenant_id: String,
    pub name: Option<String>,
    /// SHA-256 of the secret for `client_secret_*`; never the secret itself.
    pub secret_digest: Option<String>,
    pub auth_method: AuthMethod,
    pub redirect_uris: Vec<RedirectUri>,
    pub post_logout_redirect_uris: Vec<RedirectUri>,
    pub grant_types: Vec<GrantType>,
    pub scopes: Scopes,
    pub subject_type: SubjectType,
    pub sector_identifier: Option<String>,
    pub pkce: PkcePolicy,
    pub skip_consent: bool,
    pub id_token_alg: Alg,
    /// When set, UserInfo answers with a JWT signed with this algorithm
    /// (`userinfo_signed_response_alg`) instead of plain JSON.
    pub userinfo_alg: Option<Alg>,
    pub jwks_uri: Option<String>,
    pub jwks: Option<serde_json::Value>,
}

impl Client {
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
            None => self
                .redirect_uris
                .first()
                .map(|r| crate::subject::sector_of_redirect(r.as_str()))
                .unwrap_or_else(|| self.id.as_str().to_owned()),
        }
    }
}
