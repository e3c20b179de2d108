//! Validation of an authorization request (RFC 6749 §4.1.1, OIDC Core
//! §3.1.2.1), in the order that decides where an error may go.
//!
//! Until the client and its redirect URI are established, an error must never
//! redirect (RFC 6749 §4.1.2.1, RFC 9700 §4.11): it is shown on a page. After
//! that, errors go back to the client with `state` and `iss`.

use crate::oauth::ErrorCode;
use std::collections::HashMap;

use crate::claims::ClaimsRequest;
use crate::client::{Client, GrantType};
use crate::ids::RedirectUri;
use crate::pkce::{CodeChallenge, PkceError};
use crate::scope::Scopes;

/// Longest single parameter value we accept; longer values are refused, not
/// truncated.
pub const MAX_PARAM_LEN: usize = 4096;

/// Longest Request Object (`request`): a federation relying party's carries
/// its whole trust chain in its header.
pub const MAX_REQUEST_OBJECT_LEN: usize = 48 * 1024;

fn max_len(name: &str) -> usize {
    if name == "request" { MAX_REQUEST_OBJECT_LEN } else { MAX_PARAM_LEN }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMode {
    Query,
    FormPost,
}

impl ResponseMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::FormPost => "form_post",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "query" => Some(Self::Query),
            "form_post" => Some(Self::FormPost),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prompt {
    pub none: bool,
    pub login: bool,
    pub consent: bool,
    pub select_account: bool,
}

/// Errors shown on a page because no trustworthy redirect target exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("the request has no client_id")]
    MissingClientId,
    #[error("the client_id is not known")]
    UnknownClient,
    #[error("the request has no redirect_uri")]
    MissingRedirectUri,
    #[error("the redirect_uri is not registered for this client")]
    RedirectUriMismatch,
    #[error("the parameter {0} appears more than once")]
    Duplicate(String),
    #[error("the parameter {0} is too long")]
    TooLong(String),
}

/// Errors returned to the client at its redirect URI (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectError {
    pub code: ErrorCode,
    pub description: String,
}

impl RedirectError {
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        Self { code, description: description.into() }
    }
    fn invalid(description: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, description)
    }
}

/// What is known once the client and redirect URI are trusted: enough to send
/// an error back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTo {
    pub redirect_uri: RedirectUri,
    pub state: Option<String>,
    pub response_mode: ResponseMode,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuthorizationRequest {
    pub client_id: String,
    pub reply: ReplyTo,
    pub scopes: Scopes,
    pub nonce: Option<String>,
    pub code_challenge: Option<CodeChallenge>,
    pub prompt: Prompt,
    pub max_age: Option<i64>,
    pub login_hint: Option<String>,
    pub ui_locales: Vec<String>,
    pub acr_values: Vec<String>,
    pub claims: ClaimsRequest,
    pub id_token_hint: Option<String>,
}

/// Raw parameters as received, duplicates kept so they can be refused.
pub struct RawParams<'a> {
    map: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> RawParams<'a> {
    pub fn new(pairs: &'a [(String, String)]) -> Self {
        let mut map: HashMap<&str, Vec<&str>> = HashMap::new();
        for (k, v) in pairs {
            map.entry(k.as_str()).or_default().push(v.as_str());
        }
        Self { map }
    }

    /// A parameter that must appear at most once; empty values count as absent
    /// (RFC 6749 §3.1).
    pub fn single(&self, name: &str) -> Result<Option<&'a str>, PageError> {
        match self.map.get(name).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([v]) if v.len() > max_len(name) => Err(PageError::TooLong(name.to_owned())),
            Some([v]) => Ok(if v.is_empty() { None } else { Some(v) }),
            Some(_) => Err(PageError::Duplicate(name.to_owned())),
        }
    }

    fn names(&self) -> impl Iterator<Item = &&'a str> {
        self.map.keys()
    }
}

/// Step one: find the client id and the redirect URI. The caller looks the
/// client up between the two steps.
pub fn client_id<'a>(params: &RawParams<'a>) -> Result<&'a str, PageError> {
    params.single("client_id")?.ok_or(PageError::MissingClientId)
}

/// Where an authorization error goes.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthorizeError {
    /// Shown to the user: the redirect target is not trustworthy.
    Page(PageError),
    /// Sent back to the client's validated redirect URI.
    Redirect(ReplyTo, RedirectError),
}

/// Where an error about the request as a whole (a bad Request Object, an
/// unknown `request_uri`) may be sent: the redirect URI of the query when
/// the client registered it, with the query's `state`. `None`: show a page.
pub fn outer_reply(params: &RawParams<'_>, client: &Client) -> Option<ReplyTo> {
    let redirect_uri = client.redirect_uri(params.single("redirect_uri").ok().flatten()?)?.clone();
    let state = params.single("state").ok()?.map(str::to_owned);
    Some(ReplyTo { redirect_uri, state, response_mode: ResponseMode::Query })
}

/// Step two: with the client known, establish where replies go, then check
/// everything else.
pub fn validate(params: &RawParams<'_>, client: &Client) -> Result<AuthorizationRequest, AuthorizeError> {
    let requested = params.single("redirect_uri").map_err(AuthorizeError::Page)?;
    let requested = requested.ok_or(AuthorizeError::Page(PageError::MissingRedirectUri))?;
    let redirect_uri = client.redirect_uri(requested).ok_or(AuthorizeError::Page(PageError::RedirectUriMismatch))?.clone();

    // A duplicated state makes it impossible to echo the right one: page.
    let state = params.single("state").map_err(AuthorizeError::Page)?.map(str::to_owned);
    let mode = params.single("response_mode").map_err(AuthorizeError::Page)?;
    // An unsupported response_mode is reported with the default mode.
    let response_mode = mode.and_then(ResponseMode::parse).unwrap_or(ResponseMode::Query);
    let reply = ReplyTo { redirect_uri, state, response_mode };
    check_rest(params, client, &reply, mode).map_err(|e| AuthorizeError::Redirect(reply, e))
}

fn check_rest(params: &RawParams<'_>, client: &Client, reply: &ReplyTo, mode: Option<&str>) -> Result<AuthorizationRequest, RedirectError> {
    // Any duplicated parameter is refused (RFC 6749 §3.1).
    for name in params.names() {
        params.single(name).map_err(|e| RedirectError::invalid(e.to_string()))?;
    }
    let get = |n: &str| params.single(n).ok().flatten();

    if let Some(m) = mode
        && ResponseMode::parse(m).is_none()
    {
        return Err(RedirectError::invalid(format!("response_mode '{m}' is not supported; use query or form_post")));
    }
    match get("response_type") {
        None => return Err(RedirectError::invalid("response_type is missing")),
        Some("code") => {}
        Some(_) => {
            return Err(RedirectError::new(ErrorCode::UnsupportedResponseType, "only response_type=code is supported"));
        }
    }
    if !client.allows_grant(GrantType::AuthorizationCode) {
        return Err(RedirectError::new(ErrorCode::UnauthorizedClient, "this client may not use the authorization code flow"));
    }
    if get("request").is_some() {
        return Err(RedirectError::new(ErrorCode::RequestNotSupported, "request objects are not supported"));
    }
    if get("request_uri").is_some() {
        return Err(RedirectError::new(ErrorCode::RequestUriNotSupported, "request_uri is not supported"));
    }

    let scopes = Scopes::parse(get("scope").unwrap_or("")).map_err(|e| RedirectError::new(ErrorCode::InvalidScope, e.to_string()))?;
    if scopes.is_empty() {
        return Err(RedirectError::new(ErrorCode::InvalidScope, "scope is missing"));
    }
    // Administration scopes never reach a person's token.
    let scopes = scopes.restricted_to(&client.scopes).without_administration();
    if !scopes.contains(crate::scope::OPENID) {
        return Err(RedirectError::new(ErrorCode::InvalidScope, "the openid scope is required"));
    }

    let code_challenge = match (get("code_challenge"), get("code_challenge_method")) {
        (Some(c), m) => Some(CodeChallenge::parse(c, m).map_err(|e| match e {
            PkceError::UnsupportedMethod => RedirectError::invalid("code_challenge_method must be S256 (plain is not allowed)"),
            other => RedirectError::invalid(other.to_string()),
        })?),
        (None, Some(_)) => {
            return Err(RedirectError::invalid("code_challenge_method without code_challenge"));
        }
        (None, None) if client.requires_pkce() => {
            return Err(RedirectError::invalid("code_challenge is required (PKCE with S256)"));
        }
        (None, None) => None,
    };

    let prompt = parse_prompt(get("prompt"))?;
    let max_age = match get("max_age") {
        None => None,
        Some(s) => Some(s.parse::<i64>().ok().filter(|v| *v >= 0).ok_or_else(|| RedirectError::invalid("max_age must be a non-negative integer"))?),
    }
    // OIDC Registration §2: the registered defaults stand in for absent values.
    .or(client.default_max_age.map(i64::from));
    let claims = match get("claims") {
        None => ClaimsRequest::default(),
        Some(c) => ClaimsRequest::parse(c).map_err(|e| RedirectError::invalid(e.to_string()))?,
    };
    if let Some(d) = get("display")
        && !matches!(d, "page" | "popup" | "touch" | "wap")
    {
        return Err(RedirectError::invalid("display must be page, popup, touch or wap"));
    }
    let words = |n: &str| get(n).map(|v| v.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect()).unwrap_or_default();

    Ok(AuthorizationRequest {
        client_id: client.id.as_str().to_owned(),
        reply: reply.clone(),
        scopes,
        nonce: get("nonce").map(str::to_owned),
        code_challenge,
        prompt,
        max_age,
        login_hint: get("login_hint").map(str::to_owned),
        ui_locales: words("ui_locales"),
        acr_values: match words("acr_values") {
            v if v.is_empty() => client.default_acr_values.clone(),
            v => v,
        },
        claims,
        id_token_hint: get("id_token_hint").map(str::to_owned),
    })
}

/// The parameters a sign-in needs kept while the person signs in: every
/// one [`validate`] reads. A pending sign-in stores these only, so unknown
/// parameters cost nothing (they are ignored, as OAuth 2.0 §3.1 says).
/// `request` and `request_uri` are absent: they were turned into plain
/// parameters before anything is stored.
pub const FLOW_PARAMETERS: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "response_mode",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "max_age",
    "claims",
    "display",
    "login_hint",
    "ui_locales",
    "acr_values",
    "id_token_hint",
];

fn parse_prompt(p: Option<&str>) -> Result<Prompt, RedirectError> {
    let mut prompt = Prompt::default();
    for v in p.unwrap_or("").split(' ').filter(|s| !s.is_empty()) {
        match v {
            "none" => prompt.none = true,
            "login" => prompt.login = true,
            "consent" => prompt.consent = true,
            "select_account" => prompt.select_account = true,
            other => {
                return Err(RedirectError::invalid(format!("prompt value '{other}' is not supported")));
            }
        }
    }
    if prompt.none && (prompt.login || prompt.consent || prompt.select_account) {
        return Err(RedirectError::invalid("prompt=none cannot be combined with other values"));
    }
    Ok(prompt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{AuthMethod, PkcePolicy};
    use crate::ids::ClientId;

    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn client(method: AuthMethod, pkce: PkcePolicy) -> Client {
        let req = crate::registration::ClientRequest {
            redirect_uris: vec!["https://rp.example/cb".into()],
            grant_types: Some(vec!["authorization_code".into(), "refresh_token".into()]),
            scope: Some("openid profile email offline_access".into()),
            token_endpoint_auth_method: Some(method.as_str().into()),
            subject_type: Some("public".into()),
            id_token_signed_response_alg: Some("ES256".into()),
            pkce: Some(pkce),
            ..Default::default()
        };
        let settings = crate::registration::validate(req, &crate::registration::Rules::dynamic(pkce)).unwrap();
        Client { id: ClientId::parse("rp").unwrap(), tenant_id: "t".into(), secret_digest: None, registration_token_digest: None, federation: None, settings }
    }

    fn params(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut base: Vec<(String, String)> = [
            ("client_id", "rp"),
            ("redirect_uri", "https://rp.example/cb"),
            ("response_type", "code"),
            ("scope", "openid profile"),
            ("state", "xyz"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        for (k, v) in extra {
            base.retain(|(bk, _)| bk != k);
            if !v.is_empty() {
                base.push((k.to_string(), v.to_string()));
            }
        }
        base
    }

    fn run(p: &[(String, String)], c: &Client) -> Result<AuthorizationRequest, AuthorizeError> {
        let raw = RawParams::new(p);
        client_id(&raw).map_err(AuthorizeError::Page)?;
        validate(&raw, c)
    }

    fn redirect_code(r: Result<AuthorizationRequest, AuthorizeError>) -> &'static str {
        match r {
            Err(AuthorizeError::Redirect(reply, e)) => {
                assert_eq!(reply.state.as_deref(), Some("xyz"));
                e.code.as_str()
            }
            other => panic!("expected a redirect error, got {other:?}"),
        }
    }

    #[test]
    fn valid_request() {
        let c = client(AuthMethod::ClientSecretBasic, PkcePolicy::Required);
        let r = run(&params(&[("nonce", "n"), ("prompt", "login consent"), ("max_age", "0"), ("ui_locales", "en fr")]), &c).unwrap();
        assert_eq!(r.scopes.to_string_sorted(), "openid profile");
        assert!(r.prompt.login && r.prompt.consent);
        assert_eq!(r.max_age, Some(0));
        assert_eq!(r.ui_locales, vec!["en", "fr"]);
        assert_eq!(r.reply.response_mode, ResponseMode::Query);
    }

    #[test]
    fn registered_defaults_stand_in_for_absent_max_age_and_acr_values() {
        let mut c = client(AuthMethod::ClientSecretBasic, PkcePolicy::Required);
        c.settings.default_max_age = Some(600);
        c.settings.default_acr_values = vec!["eidas2".into()];
        let r = run(&params(&[]), &c).unwrap();
        assert_eq!((r.max_age, r.acr_values.clone()), (Some(600), vec!["eidas2".to_owned()]));
        let r = run(&params(&[("max_age", "5"), ("acr_values", "eidas1")]), &c).unwrap();
        assert_eq!((r.max_age, r.acr_values), (Some(5), vec!["eidas1".to_owned()]), "the request wins");
    }

    #[test]
    fn errors_before_the_redirect_uri_is_trusted_never_redirect() {
        let c = client(AuthMethod::ClientSecretBasic, PkcePolicy::Required);
        let page = |p: Vec<(String, String)>| match run(&p, &c) {
            Err(AuthorizeError::Page(e)) => e,
            other => panic!("expected a page error, got {other:?}"),
        };
        assert_eq!(page(params(&[("client_id", "")])), PageError::MissingClientId);
        assert_eq!(page(params(&[("redirect_uri", "")])), PageError::MissingRedirectUri);
        assert_eq!(page(params(&[("redirect_uri", "https://evil.example/cb")])), PageError::RedirectUriMismatch);
        assert_eq!(page(params(&[("redirect_uri", "https://rp.example/cb/")])), PageError::RedirectUriMismatch);
        let mut dup = params(&[]);
        dup.push(("redirect_uri".into(), "https://rp.example/cb".into()));
        assert!(matches!(page(dup), PageError::Duplicate(_)));
        let long = "x".repeat(MAX_PARAM_LEN + 1);
        assert!(matches!(page(params(&[("state", &long)])), PageError::TooLong(_)));
        // A Request Object may be longer (a trust chain in its header), to a bound.
        let raw_long = [("request".to_owned(), "x".repeat(MAX_PARAM_LEN + 1))];
        assert_eq!(RawParams::new(&raw_long).single("request").unwrap().map(str::len), Some(MAX_PARAM_LEN + 1));
        let too_long = [("request".to_owned(), "x".repeat(MAX_REQUEST_OBJECT_LEN + 1))];
        assert_eq!(RawParams::new(&too_long).single("request"), Err(PageError::TooLong("request".into())));
    }

    #[test]
    fn errors_after_are_redirected_with_state() {
        let c = client(AuthMethod::ClientSecretBasic, PkcePolicy::Required);
        assert_eq!(redirect_code(run(&params(&[("response_type", "")]), &c)), "invalid_request");
        assert_eq!(redirect_code(run(&params(&[("response_type", "token")]), &c)), "unsupported_response_type");
        assert_eq!(redirect_code(run(&params(&[("scope", "profile")]), &c)), "invalid_scope");
        assert_eq!(redirect_code(run(&params(&[("scope", "")]), &c)), "invalid_scope");
        assert_eq!(redirect_code(run(&params(&[("code_challenge_method", "plain")]), &c)), "invalid_request");
        assert_eq!(redirect_code(run(&params(&[("code_challenge", "")]), &c)), "invalid_request");
        assert_eq!(redirect_code(run(&params(&[("code_challenge", ""), ("code_challenge_method", "")]), &c)), "invalid_request");
        assert_eq!(redirect_code(run(&params(&[("prompt", "none login")]), &c)), "invalid_request");
        assert_eq!(redirect_code(run(&params(&[("prompt", "bogus")]), &c)), "invalid_request");
        assert_eq!(redirect_code(run(&params(&[("max_age", "-1")]), &c)), "invalid_request");
        assert_eq!(redirect_code(run(&params(&[("claims", "{")]), &c)), "invalid_request");
        assert_eq!(redirect_code(run(&params(&[("response_mode", "fragment")]), &c)), "invalid_request");
        assert_eq!(redirect_code(run(&params(&[("request", "eyJ...")]), &c)), "request_not_supported");
        assert_eq!(redirect_code(run(&params(&[("request_uri", "urn:x")]), &c)), "request_uri_not_supported");
        let mut dup = params(&[]);
        dup.push(("scope".into(), "openid".into()));
        assert_eq!(redirect_code(run(&dup, &c)), "invalid_request");
    }

    #[test]
    fn pkce_policy() {
        let optional = client(AuthMethod::ClientSecretBasic, PkcePolicy::Optional);
        let no_pkce = params(&[("code_challenge", ""), ("code_challenge_method", "")]);
        assert!(run(&no_pkce, &optional).unwrap().code_challenge.is_none());
        // A public client needs PKCE whatever its setting says.
        let public = client(AuthMethod::None, PkcePolicy::Optional);
        assert_eq!(redirect_code(run(&no_pkce, &public)), "invalid_request");
    }

    #[test]
    fn unknown_parameters_are_ignored_and_form_post_kept() {
        let c = client(AuthMethod::ClientSecretBasic, PkcePolicy::Required);
        let r = run(&params(&[("extra", "1"), ("response_mode", "form_post")]), &c).unwrap();
        assert_eq!(r.reply.response_mode, ResponseMode::FormPost);
    }
}
