//! The command line: `trame serve`, `trame migrate`, `trame check-config`, `trame probe` and
//! the operator commands. Names and flags are part of the operator contract
//! documented in the README; change both together.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "trame", version, about = "Trame: an OpenID Connect provider with passkeys, for many tenants")]
pub struct Cli {
    /// Settings file (default: ./trame.toml when it exists). TRAME_*
    /// variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the provider (migrates the database first).
    Serve,
    /// Applies pending database migrations and exits.
    Migrate,
    /// Checks the settings and reports each problem by key name.
    CheckConfig,
    /// Asks the running server whether it is ready (GET /_trame/ready):
    /// exits 0 if it is, 1 if not. For container health checks.
    Probe {
        /// Readiness URL (default: http://127.0.0.1:<port of listen>/_trame/ready,
        /// https with the built-in TLS).
        #[arg(long)]
        url: Option<String>,
    },
    /// Tenants: one per collectivité, each with its own issuer.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// OAuth clients (relying parties) of a tenant.
    #[command(subcommand)]
    Client(ClientCommand),
    /// User accounts of a tenant.
    #[command(subcommand)]
    User(UserCommand),
    /// Token-signing keys of a tenant.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Creates a tenant with its first signing key.
    Add {
        /// Short name: lowercase letters, digits and hyphens.
        slug: String,
        /// Issuer URL (default: <public_url>/<slug>). A host of its own, such
        /// as https://login.ville-exemple.fr, works too.
        #[arg(long)]
        issuer: Option<String>,
        /// Name shown on the sign-in pages (default: the slug).
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Lists tenants and their issuers.
    List,
    /// Changes a tenant's sign-in settings (only the ones given).
    Set {
        slug: String,
        /// Who may create an account at <issuer>/signup: open, invite
        /// (links from `trame user invite`) or closed (the default).
        #[arg(long, value_name = "open|invite|closed")]
        registration: Option<String>,
        /// When a passkey's signature counter goes backwards (a cloned
        /// authenticator?): refuse the sign-in (default) or allow it; both log.
        #[arg(long, value_name = "refuse|allow")]
        counter_policy: Option<String>,
        /// Level rule LEVEL=AMR[+AMR...], e.g. eidas3=hwk+user (repeatable;
        /// replaces the rules given before; default: eidas2=mfa).
        #[arg(long = "acr-rule", value_name = "RULE")]
        acr_rules: Vec<String>,
        /// Who may register clients at <issuer>/register (RFC 7591): closed
        /// (the default), open (anyone, throttled) or token (holders of an
        /// initial access token from `trame client token`).
        #[arg(long, value_name = "closed|open|token")]
        dynamic_registration: Option<String>,
        /// PKCE for confidential clients that register themselves: required
        /// (the default) or optional (public clients always need it).
        #[arg(long, value_name = "required|optional")]
        dynamic_client_pkce: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum AuthMethodArg {
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum GrantTypeArg {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SubjectTypeArg {
    Public,
    Pairwise,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PkceArg {
    Required,
    Optional,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AlgArg {
    #[value(name = "ES256")]
    Es256,
    #[value(name = "RS256")]
    Rs256,
    #[value(name = "EdDSA")]
    EdDsa,
}

#[derive(Debug, Args)]
pub struct TenantArg {
    /// The tenant's slug.
    #[arg(long, default_value = "default")]
    pub tenant: String,
}

#[derive(Debug, Args)]
pub struct ClientAdd {
    #[command(flatten)]
    pub tenant: TenantArg,
    #[arg(long)]
    pub client_id: String,
    /// Human-readable name shown on the consent page.
    #[arg(long)]
    pub name: Option<String>,
    /// Exact redirect URI (repeatable).
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub redirect_uris: Vec<String>,
    /// Where RP-initiated logout may return (repeatable).
    #[arg(long = "post-logout-redirect-uri", value_name = "URI")]
    pub post_logout_redirect_uris: Vec<String>,
    /// A public client (no secret; PKCE required): a single-page or native app.
    #[arg(long)]
    pub public: bool,
    /// Reads the client secret from one line of standard input instead of
    /// generating one (at least 32 characters).
    #[arg(long)]
    pub secret_stdin: bool,
    /// Client authentication at the token endpoint.
    #[arg(long, value_enum)]
    pub auth_method: Option<AuthMethodArg>,
    /// The client's key set URL, for private_key_jwt.
    #[arg(long)]
    pub jwks_uri: Option<String>,
    /// The client's key set as a JSON file, for private_key_jwt.
    #[arg(long, value_name = "FILE")]
    pub jwks_file: Option<PathBuf>,
    /// Allowed grant type (repeatable; default: authorization_code and refresh_token).
    #[arg(long = "grant-type", value_enum)]
    pub grant_types: Vec<GrantTypeArg>,
    /// Allowed scopes, space-separated or repeated (default: openid profile email offline_access).
    #[arg(long = "scope")]
    pub scopes: Vec<String>,
    #[arg(long, value_enum, default_value = "public")]
    pub subject_type: SubjectTypeArg,
    /// PKCE policy; public clients always require it.
    #[arg(long, value_enum, default_value = "required")]
    pub pkce: PkceArg,
    /// Skips the consent page (first-party services).
    #[arg(long)]
    pub skip_consent: bool,
    /// ID token signature algorithm.
    #[arg(long, value_enum, default_value = "ES256")]
    pub id_token_alg: AlgArg,
    /// Signs UserInfo responses (a JWT, `application/jwt`) with this
    /// algorithm; plain JSON without it.
    #[arg(long, value_enum)]
    pub userinfo_alg: Option<AlgArg>,
    /// For pairwise subjects with redirect URIs on several hosts: an https
    /// URL listing them (JSON array); it is fetched now, and its host is the
    /// sector.
    #[arg(long, value_name = "URL")]
    pub sector_identifier_uri: Option<String>,
    /// Where Trame posts a logout token when a session of this client ends
    /// (OpenID Connect Back-Channel Logout).
    #[arg(long, value_name = "URL")]
    pub backchannel_logout_uri: Option<String>,
    /// Logout tokens carry the session id (`sid`).
    #[arg(long)]
    pub backchannel_logout_session_required: bool,
    /// Page Trame loads in a hidden frame when a session ends (OpenID
    /// Connect Front-Channel Logout); same origin as a redirect URI.
    #[arg(long, value_name = "URL")]
    pub frontchannel_logout_uri: Option<String>,
    /// The front-channel logout page receives `iss` and `sid`.
    #[arg(long)]
    pub frontchannel_logout_session_required: bool,
    /// The service's privacy policy, linked from the consent page.
    #[arg(long, value_name = "URL")]
    pub policy_uri: Option<String>,
    /// The service's terms of use, linked from the consent page.
    #[arg(long, value_name = "URL")]
    pub tos_uri: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Registers a client; a generated secret is printed once.
    Add(Box<ClientAdd>),
    /// Lists a tenant's clients.
    List(TenantArg),
    /// Prints an initial access token for dynamic client registration (for
    /// tenants with `--dynamic-registration token`); shown once.
    Token {
        #[command(flatten)]
        tenant: TenantArg,
        /// Days the token stays valid.
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// Registrations it allows (default: any number until it expires).
        #[arg(long)]
        uses: Option<u32>,
    },
    /// Removes a client; its tokens stop working.
    Remove {
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long)]
        client_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Creates an account.
    Add {
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        given_name: Option<String>,
        #[arg(long)]
        family_name: Option<String>,
        /// Reads a password from one line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lists a tenant's accounts.
    List(TenantArg),
    /// Prints an invitation link to create an account at <issuer>/signup
    /// (for tenants with `--registration invite`).
    Invite {
        #[command(flatten)]
        tenant: TenantArg,
        /// Pre-fills the sign-up form's e-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Days the link stays valid.
        #[arg(long, default_value_t = 7)]
        days: u32,
    },
    /// Sets an account's password, read from one line of standard input.
    SetPassword {
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Lists signing keys with their state (next, active, retiring, retired).
    List(TenantArg),
    /// Adds a new key, published at once and used for signing after the
    /// JWKS caching delay; the previous key stays published until the tokens
    /// it signed have expired.
    Rotate {
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long, value_enum, default_value = "ES256")]
        alg: AlgArg,
        /// Seconds before the new key signs (0 = at once).
        #[arg(long, default_value_t = 0)]
        delay: i64,
    },
}
