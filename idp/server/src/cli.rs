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
    /// The audit trail: who changed what, and citizens' security events.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Administration roles (who may use the admin API and console) and
    /// the admin API's OpenAPI document.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// OpenID Federation: superiors, trust anchors, subordinates, trust
    /// marks and federation keys of a tenant; resolving any entity.
    #[command(subcommand)]
    Federation(FederationCommand),
    /// LDAP directories (OpenLDAP, Active Directory) whose agents sign in
    /// with their directory password.
    #[command(subcommand)]
    Directory(DirectoryCommand),
    /// Translations of the pages: checking, exporting and importing a
    /// language pack.
    #[command(subcommand)]
    I18n(I18nCommand),
    /// The themes folder (`themes_dir`): checking it, starting an override.
    #[command(subcommand)]
    Theme(ThemeCommand),
}

#[derive(Debug, Subcommand)]
pub enum I18nCommand {
    /// Checks language packs against the reference (French): Fluent syntax
    /// errors, messages missing or extra (unused: the pages never show
    /// them), variables that differ; the themes folder's packs and
    /// overrides too. Exits non-zero on any problem.
    Check {
        /// Only this language (default: every installed one).
        #[arg(long)]
        lang: Option<String>,
        /// A pack file (main.ftl) to check instead of the installed one: a
        /// translation in progress.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Writes a language's pack for translators: every message of the
    /// reference, with this language's translation where it has one
    /// (`po`: a gettext catalogue, the French text as msgid and the
    /// message id as msgctxt; `ftl`: a Fluent file, untranslated messages
    /// in French and marked).
    Export {
        #[arg(long)]
        lang: String,
        #[arg(long, value_enum, default_value = "po")]
        format: PackFormat,
        /// Where to write (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Reads a translated pack (po or ftl, by its extension unless
    /// --format says), checks it against the reference, and installs it
    /// as `<themes_dir>/locales/<lang>/main.ftl` (or --out), where a
    /// running server picks it up. Refused on syntax errors or variables
    /// that differ; untranslated messages are listed and shown in French.
    Import {
        #[arg(long)]
        lang: String,
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        #[arg(long, value_enum)]
        format: Option<PackFormat>,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PackFormat {
    Po,
    Ftl,
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Reports what to look at in the themes folder: template overrides
    /// whose built-in template changed since they were written (their
    /// version stamp) or that have no stamp, templates that fail to parse
    /// or render in some language, message overrides of ids that no longer
    /// exist or with other variables, files left out. Exits non-zero on
    /// any problem.
    Check {
        /// Only this tenant's overrides.
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Copies built-in templates into a tenant's folder
    /// (`<themes_dir>/<slug>/templates/`), stamped with their version, to
    /// start an override from; the built-in names are listed when none is
    /// given.
    Init {
        #[arg(long)]
        tenant: String,
        templates: Vec<String>,
        /// Replace an existing override (after an upgrade, to start again
        /// from the new built-in template).
        #[arg(long)]
        force: bool,
    },
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
    List {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Changes a tenant's issuer or display name (the ones given). A new
    /// issuer moves every endpoint of the tenant: its relying parties must
    /// be reconfigured, and tokens already issued stop being accepted.
    Update {
        slug: String,
        /// The new issuer URL. Set this way, the default tenant's issuer no
        /// longer follows `public_url`.
        #[arg(long)]
        issuer: Option<String>,
        /// Name shown on the sign-in pages.
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Removes a tenant and everything it holds: accounts, clients, keys,
    /// grants, consents and its audit records. Cannot be undone.
    Remove {
        slug: String,
        /// Confirms the removal.
        #[arg(long)]
        yes: bool,
    },
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
        /// A passkey or TOTP added after a sign-in with one factor counts
        /// as one factor; mail (the default): a link mailed to the
        /// account's verified address, opened in the same session, lets it
        /// count in full; never: only one added at level does.
        #[arg(long, value_name = "mail|never")]
        credential_upgrade: Option<String>,
        /// plain (the default): usernames with '@' are refused, so none can
        /// pass for a peer provider's citizen (name@host) or an address;
        /// addresses: e-mail addresses are the usernames.
        #[arg(long, value_name = "plain|addresses")]
        usernames: Option<String>,
        /// The subject type of clients added without --subject-type:
        /// pairwise (new tenants' default; services cannot correlate
        /// citizens by identifier) or public.
        #[arg(long, value_enum)]
        default_subject_type: Option<SubjectTypeArg>,
        /// The IANA time zone the tenant's pages write times in (default
        /// Europe/Paris; e.g. Indian/Reunion, America/Cayenne,
        /// Pacific/Noumea).
        #[arg(long, value_name = "NAME")]
        time_zone: Option<String>,
        /// Name shown on the sign-in pages.
        #[arg(long)]
        display_name: Option<String>,
        /// Boxed: the enum stays small (clippy's large_enum_variant).
        #[command(flatten)]
        branding: Box<BrandingArgs>,
    },
}

/// A tenant's look and its public-sector mentions (`trame tenant set`).
/// An empty value ('') removes a link or the colour.
#[derive(Debug, Args, Default)]
pub struct BrandingArgs {
    /// The collectivité's logo, shown in every page's header: an SVG
    /// (rewritten without scripts or external references; text must be
    /// converted to paths) or a PNG, at most 60 KiB.
    #[arg(long, value_name = "FILE", conflicts_with = "no_logo")]
    pub logo_file: Option<std::path::PathBuf>,
    /// Removes the logo.
    #[arg(long)]
    pub no_logo: bool,
    /// Buttons and links, #RRGGBB; refused when white text on it would
    /// have a contrast below 4.5:1 (WCAG AA).
    #[arg(long, value_name = "#RRGGBB")]
    pub primary_color: Option<String>,
    /// The footer's "Mentions légales" link (https).
    #[arg(long, value_name = "URL")]
    pub legal_notice_url: Option<String>,
    /// The footer's "Données personnelles" link (https), also on sign-up.
    #[arg(long, value_name = "URL")]
    pub privacy_url: Option<String>,
    /// The accessibility statement the footer's RGAA mention links to.
    #[arg(long, value_name = "URL")]
    pub accessibility_url: Option<String>,
    /// The RGAA compliance the footer states: full (totalement conforme),
    /// partial (partiellement) or none (non conforme, the default until an
    /// audit).
    #[arg(long, value_name = "full|partial|none")]
    pub accessibility_status: Option<String>,
    /// The footer's contact link (https, or mailto:).
    #[arg(long, value_name = "URL")]
    pub contact_url: Option<String>,
    /// The collectivité's site: the header's name and logo link there.
    #[arg(long, value_name = "URL")]
    pub service_url: Option<String>,
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
    /// public: every service sees the same `sub`; pairwise: one per
    /// sector (default: the tenant's, see `tenant set --default-subject-type`).
    #[arg(long, value_enum)]
    pub subject_type: Option<SubjectTypeArg>,
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
    /// Seconds during which an exact retry of a just-rotated refresh token
    /// gets the same new refresh token again instead of revoking the grant
    /// (0 to 60; default 0: every second use revokes).
    #[arg(long, value_name = "SECONDS")]
    pub refresh_reuse_grace: Option<u32>,
    /// The level a sign-in for this service must reach (repeatable; any
    /// one listed is enough): `eidas1`, `eidas2`, `eidas3`.
    #[arg(long = "acr-value", value_name = "LEVEL")]
    pub acr_values: Vec<String>,
    /// oidc (default): an OpenID Connect client; cas: a CAS service (CAS
    /// protocol 3.0), which needs --service-url or --service-url-prefix.
    #[arg(long, value_enum, default_value = "oidc")]
    pub protocol: ProtocolArg,
    #[command(flatten)]
    pub cas: CasFlags,
}

/// A CAS service's settings, for `client add --protocol cas` and `client
/// update` (where a list given replaces the stored one; given once empty,
/// it is cleared).
#[derive(Debug, Args)]
pub struct CasFlags {
    /// CAS: a service URL accepted exactly (repeatable).
    #[arg(long = "service-url", value_name = "URL")]
    pub service_urls: Vec<String>,
    /// CAS: a prefix ending in '/': every service URL under it, on the same
    /// origin, is accepted (repeatable).
    #[arg(long = "service-url-prefix", value_name = "URL")]
    pub service_url_prefixes: Vec<String>,
    /// CAS: an account attribute released to the service (repeatable):
    /// preferred_username, name, given_name, family_name, email,
    /// email_verified, phone_number, phone_number_verified, locale.
    #[arg(long = "attribute", value_name = "NAME")]
    pub attributes: Vec<String>,
    /// CAS: what <cas:user> holds: the account's username (default; what
    /// legacy applications match their accounts by) or its subject
    /// identifier (pairwise unless --subject-type public).
    #[arg(long, value_enum)]
    pub cas_user: Option<CasUserArg>,
}

impl CasFlags {
    /// Whether any CAS flag was given.
    pub fn given(&self) -> bool {
        !self.service_urls.is_empty() || !self.service_url_prefixes.is_empty() || !self.attributes.is_empty() || self.cas_user.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum ProtocolArg {
    Oidc,
    Cas,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum CasUserArg {
    Username,
    Subject,
}

impl CasUserArg {
    /// The value of `trame_core::cas::CasUser` it names.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Subject => "subject",
        }
    }
}

/// `trame client update`: the flags of `client add`, each optional; a
/// string flag given empty clears the setting, a repeated list flag
/// replaces the list.
#[derive(Debug, Args)]
pub struct ClientUpdate {
    #[command(flatten)]
    pub tenant: TenantArg,
    #[arg(long)]
    pub client_id: String,
    /// Human-readable name shown on the consent page ("" removes it).
    #[arg(long)]
    pub name: Option<String>,
    /// Exact redirect URI (repeatable; replaces the list).
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub redirect_uris: Vec<String>,
    /// Adds a redirect URI to the list (repeatable).
    #[arg(long = "add-redirect-uri", value_name = "URI", conflicts_with = "redirect_uris")]
    pub add_redirect_uris: Vec<String>,
    /// Removes a redirect URI from the list (repeatable).
    #[arg(long = "remove-redirect-uri", value_name = "URI", conflicts_with = "redirect_uris")]
    pub remove_redirect_uris: Vec<String>,
    /// Where RP-initiated logout may return (repeatable; replaces the list).
    #[arg(long = "post-logout-redirect-uri", value_name = "URI")]
    pub post_logout_redirect_uris: Vec<String>,
    /// Adds a post-logout redirect URI (repeatable).
    #[arg(long = "add-post-logout-redirect-uri", value_name = "URI", conflicts_with = "post_logout_redirect_uris")]
    pub add_post_logout_redirect_uris: Vec<String>,
    /// Removes a post-logout redirect URI (repeatable).
    #[arg(long = "remove-post-logout-redirect-uri", value_name = "URI", conflicts_with = "post_logout_redirect_uris")]
    pub remove_post_logout_redirect_uris: Vec<String>,
    /// Makes it a public client (no secret; PKCE required).
    #[arg(long, conflicts_with = "auth_method")]
    pub public: bool,
    /// Generates a new client secret, printed once; tokens already issued
    /// keep working until they expire.
    #[arg(long, conflicts_with = "secret_stdin")]
    pub rotate_secret: bool,
    /// Reads a new client secret from one line of standard input (at
    /// least 32 characters).
    #[arg(long)]
    pub secret_stdin: bool,
    /// Client authentication at the token endpoint.
    #[arg(long, value_enum)]
    pub auth_method: Option<AuthMethodArg>,
    /// The client's key set URL, for private_key_jwt ("" removes it).
    #[arg(long, conflicts_with = "jwks_file")]
    pub jwks_uri: Option<String>,
    /// The client's key set as a JSON file, for private_key_jwt.
    #[arg(long, value_name = "FILE")]
    pub jwks_file: Option<PathBuf>,
    /// Allowed grant type (repeatable; replaces the list).
    #[arg(long = "grant-type", value_enum)]
    pub grant_types: Vec<GrantTypeArg>,
    /// Allowed scopes, space-separated or repeated (replaces them).
    #[arg(long = "scope")]
    pub scopes: Vec<String>,
    #[arg(long, value_enum)]
    pub subject_type: Option<SubjectTypeArg>,
    /// PKCE policy; public clients always require it.
    #[arg(long, value_enum)]
    pub pkce: Option<PkceArg>,
    /// Skips the consent page (first-party services); `--skip-consent
    /// false` asks for consent again.
    #[arg(long, value_name = "true|false", num_args = 0..=1, default_missing_value = "true")]
    pub skip_consent: Option<bool>,
    /// ID token signature algorithm.
    #[arg(long, value_enum)]
    pub id_token_alg: Option<AlgArg>,
    /// Signs UserInfo responses with this algorithm.
    #[arg(long, value_enum, conflicts_with = "plain_userinfo")]
    pub userinfo_alg: Option<AlgArg>,
    /// UserInfo answers plain JSON again.
    #[arg(long)]
    pub plain_userinfo: bool,
    /// Pairwise sector: an https URL listing the redirect URIs ("" removes it).
    #[arg(long, value_name = "URL")]
    pub sector_identifier_uri: Option<String>,
    /// Back-channel logout URL ("" removes it).
    #[arg(long, value_name = "URL")]
    pub backchannel_logout_uri: Option<String>,
    #[arg(long, value_name = "true|false", num_args = 0..=1, default_missing_value = "true")]
    pub backchannel_logout_session_required: Option<bool>,
    /// Front-channel logout URL ("" removes it).
    #[arg(long, value_name = "URL")]
    pub frontchannel_logout_uri: Option<String>,
    #[arg(long, value_name = "true|false", num_args = 0..=1, default_missing_value = "true")]
    pub frontchannel_logout_session_required: Option<bool>,
    /// The service's privacy policy ("" removes it).
    #[arg(long, value_name = "URL")]
    pub policy_uri: Option<String>,
    /// The service's terms of use ("" removes it).
    #[arg(long, value_name = "URL")]
    pub tos_uri: Option<String>,
    /// Seconds during which an exact retry of a just-rotated refresh
    /// token gets the same new refresh token again (0 to 60).
    #[arg(long, value_name = "SECONDS")]
    pub refresh_reuse_grace: Option<u32>,
    /// Replaces the levels a sign-in for this service must reach; given
    /// once empty, clears them.
    #[arg(long = "acr-value", value_name = "LEVEL")]
    pub acr_values: Vec<String>,
    #[command(flatten)]
    pub cas: CasFlags,
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Registers a client; a generated secret is printed once.
    Add(Box<ClientAdd>),
    /// Changes a client's settings (only the ones given), under the same
    /// rules as `client add`; `set` is the same command.
    #[command(alias = "set")]
    Update(Box<ClientUpdate>),
    /// Shows every setting of a client.
    Show {
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long)]
        client_id: String,
        /// One JSON object: the client's RFC 7591 metadata and the
        /// operator's settings.
        #[arg(long)]
        json: bool,
    },
    /// Lists a tenant's clients.
    List(ListArgs),
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

/// `trame user add`.
#[derive(Debug, Args)]
pub struct UserAdd {
    #[command(flatten)]
    pub tenant: TenantArg,
    #[arg(long)]
    pub username: String,
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// The number was checked (Trame sends no SMS: nothing else
    /// verifies one); released as `phone_number_verified: true`.
    #[arg(long, requires = "phone_number")]
    pub phone_number_verified: bool,
    #[command(flatten)]
    pub address: AddressArgs,
    /// Reads a password from one line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

/// `trame user set`.
#[derive(Debug, Args)]
pub struct UserSet {
    #[command(flatten)]
    pub user: UserArg,
    /// An empty value clears the field.
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// Whether the number was checked (Trame sends no SMS).
    #[arg(long, value_name = "true|false")]
    pub phone_number_verified: Option<bool>,
    /// Each field replaces that field of the stored address.
    #[command(flatten)]
    pub address: AddressArgs,
}

/// The profile fields of `user add` and `user set`.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub given_name: Option<String>,
    #[arg(long)]
    pub family_name: Option<String>,
    /// In international form (E.164), e.g. +33612345678.
    #[arg(long)]
    pub phone_number: Option<String>,
}

/// A postal address (the `address` claim), one flag per field.
#[derive(Debug, Args)]
pub struct AddressArgs {
    /// Street, number, building: several lines separated by \n.
    #[arg(long)]
    pub address_street: Option<String>,
    #[arg(long)]
    pub address_locality: Option<String>,
    #[arg(long)]
    pub address_region: Option<String>,
    #[arg(long)]
    pub address_postal_code: Option<String>,
    /// A country name or code, e.g. FR.
    #[arg(long)]
    pub address_country: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Creates an account.
    Add(Box<UserAdd>),
    /// Lists a tenant's accounts.
    List(ListArgs),
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
    /// Shows an account: profile, state, credentials and sessions.
    Show {
        #[command(flatten)]
        user: UserArg,
        #[arg(long)]
        json: bool,
    },
    /// Disables an account: it cannot sign in until enabled, its sessions
    /// end (its services are told) and its tokens stop working.
    Disable(UserArg),
    /// Enables a disabled account.
    Enable(UserArg),
    /// Erases an account and everything kept about it (GDPR art. 17);
    /// the audit trail keeps its records, without their addresses.
    Remove {
        #[command(flatten)]
        user: UserArg,
        /// Confirms the erasure (it cannot be undone).
        #[arg(long)]
        yes: bool,
    },
    /// Ends every session of an account (its services are told) and
    /// revokes its tokens.
    EndSessions(UserArg),
    /// Resets an account's credentials (one may be stolen, or the person
    /// lost them): removes its passkeys, password, TOTP and recovery codes,
    /// ends its sessions, and mails a recovery link to its verified address
    /// (with Redis and mail set up), with which the person signs in once
    /// and adds a new passkey.
    ResetCredentials {
        #[command(flatten)]
        user: UserArg,
        /// Confirms the reset (the person cannot sign in with what they
        /// had any more).
        #[arg(long)]
        yes: bool,
    },
    /// Changes an account's profile: only the fields given, with the rules
    /// of a new account; an empty value ("") clears a field. A new e-mail
    /// address is unverified.
    Set(Box<UserSet>),
    /// Sets an account's password, read from one line of standard input.
    SetPassword {
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long)]
        username: String,
    },
}

/// A tenant's list, as a table or as JSON.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

/// One account of a tenant, by username.
#[derive(Debug, Args)]
pub struct UserArg {
    #[command(flatten)]
    pub tenant: TenantArg,
    #[arg(long)]
    pub username: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// The whole installation (accounts and clients of the default tenant).
    Operator,
    /// One tenant: its accounts, clients and settings.
    TenantAdmin,
    /// One tenant, read only.
    Auditor,
}

/// Who holds a role: an account, or (operator only) a client.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct HolderArg {
    /// The account's username.
    pub username: Option<String>,
    /// A client instead (operator only: a client's rights over its tenant
    /// come from its trame:admin scope).
    #[arg(long)]
    pub client: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Grants a role to an account (or the operator role to a client).
    Grant {
        #[command(flatten)]
        holder: HolderArg,
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Revokes a role; the last operator keeps theirs.
    Revoke {
        #[command(flatten)]
        holder: HolderArg,
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Lists who holds which role.
    List {
        /// One tenant's roles; every tenant's when absent.
        #[arg(long)]
        tenant: Option<String>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Prints the OpenAPI 3.1 document of a tenant's admin API.
    Openapi {
        #[command(flatten)]
        tenant: TenantArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Lists audit records, newest first.
    List {
        /// One tenant's records; all tenants' when absent.
        #[arg(long)]
        tenant: Option<String>,
        /// Records from this day or time on (2026-12-01, or RFC 3339).
        #[arg(long)]
        since: Option<String>,
        /// Records made by or about this account (with --tenant).
        #[arg(long, requires = "tenant")]
        user: Option<String>,
        /// Records of this action only (e.g. user.disabled, sign_in).
        #[arg(long)]
        action: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u64,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Lists signing keys with their state (next, active, retiring, retired).
    List(ListArgs),
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

#[derive(Debug, Subcommand)]
pub enum FederationCommand {
    /// Shows a tenant's federation settings, subordinates and keys.
    Show(TenantArg),
    /// Changes a tenant's federation settings (only the ones given).
    Set {
        #[command(flatten)]
        tenant: TenantArg,
        /// Acts as a Trust Anchor or Intermediate: serves the fetch and
        /// list endpoints for its enrolled subordinates.
        #[arg(long, value_name = "true|false")]
        authority: Option<bool>,
        /// Immediate superior's Entity ID (repeatable; replaces the list).
        #[arg(long = "authority-hint", value_name = "ENTITY_ID")]
        authority_hints: Vec<String>,
        /// Removes every authority hint (the tenant is then a Trust Anchor).
        #[arg(long, conflicts_with = "authority_hints")]
        no_authority_hints: bool,
        /// federation_entity metadata NAME=VALUE (organization_name,
        /// contacts (comma-separated), logo_uri, policy_uri, ...); repeatable.
        #[arg(long = "metadata", value_name = "NAME=VALUE")]
        metadata: Vec<String>,
        /// Removes a federation_entity metadata member (repeatable).
        #[arg(long = "unset-metadata", value_name = "NAME")]
        unset_metadata: Vec<String>,
    },
    /// Trust Anchors the tenant accepts chains to.
    #[command(subcommand)]
    TrustAnchor(TrustAnchorCommand),
    /// Entities enrolled under the tenant (as Trust Anchor or Intermediate).
    #[command(subcommand)]
    Subordinate(SubordinateCommand),
    /// Trust Marks: issued by the tenant, or held and shown by it.
    #[command(subcommand)]
    TrustMark(TrustMarkCommand),
    /// Federation signing keys (separate from token-signing keys).
    #[command(subcommand)]
    Keys(FederationKeysCommand),
    /// Citizens of peer OpenID Providers of the federation sign in here:
    /// the peers are the providers an authority lists, with a chain to one
    /// of the tenant's Trust Anchors and the required Trust Marks.
    Peers {
        #[command(flatten)]
        tenant: TenantArg,
        /// The Trust Anchor or Intermediate whose list endpoint names the peers.
        #[arg(long, value_name = "ENTITY_ID")]
        list_from: Option<String>,
        /// A Trust Mark type every peer must hold (repeatable).
        #[arg(long = "require-mark", value_name = "TYPE")]
        require_marks: Vec<String>,
        /// Stops accepting peers' citizens.
        #[arg(long, conflicts_with_all = ["list_from", "require_marks"])]
        off: bool,
    },
    /// Resolves an entity's metadata through a trust chain and prints it
    /// with the chain.
    Resolve {
        entity_id: String,
        #[arg(long, value_name = "ENTITY_ID")]
        trust_anchor: String,
        /// Use this tenant's configured keys for the anchor (when it has
        /// it); without, --trust-anchor-jwks or, failing that, the anchor's
        /// own published keys (printed, to compare out of band).
        #[arg(long)]
        tenant: Option<String>,
        /// The anchor's JWK Set (JSON file).
        #[arg(long, value_name = "FILE")]
        trust_anchor_jwks: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TrustAnchorCommand {
    /// Trusts an anchor. Its keys come from --jwks-file (out of band, the
    /// safe way) or, without it, from its Entity Configuration, fetched
    /// now: compare the printed thumbprints with what the anchor's operator
    /// publishes.
    Add {
        #[command(flatten)]
        tenant: TenantArg,
        entity_id: String,
        #[arg(long, value_name = "FILE")]
        jwks_file: Option<PathBuf>,
    },
    Remove {
        #[command(flatten)]
        tenant: TenantArg,
        entity_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SubordinateCommand {
    /// Enrolls an entity (or replaces what is stated about it). Without
    /// --jwks-file its keys, entity types and role are read from its Entity
    /// Configuration, fetched now.
    Add {
        #[command(flatten)]
        tenant: TenantArg,
        entity_id: String,
        #[arg(long, value_name = "FILE")]
        jwks_file: Option<PathBuf>,
        /// metadata_policy (JSON file), checked before it is stored.
        #[arg(long, value_name = "FILE")]
        policy_file: Option<PathBuf>,
        /// Policy operators beyond the standard ones that the entity's
        /// resolvers must understand (metadata_policy_crit; repeatable).
        #[arg(long = "policy-crit", value_name = "OPERATOR")]
        policy_crit: Vec<String>,
        /// constraints (JSON file: max_path_length, naming_constraints,
        /// allowed_entity_types).
        #[arg(long, value_name = "FILE")]
        constraints_file: Option<PathBuf>,
        /// metadata the superior asserts about the entity (JSON file).
        #[arg(long, value_name = "FILE")]
        metadata_file: Option<PathBuf>,
        /// Entity types (repeatable; default: those in its Entity Configuration).
        #[arg(long = "entity-type", value_name = "TYPE")]
        entity_types: Vec<String>,
        /// It is an Intermediate (default: whether it publishes a fetch endpoint).
        #[arg(long, value_name = "true|false")]
        intermediate: Option<bool>,
    },
    Remove {
        #[command(flatten)]
        tenant: TenantArg,
        entity_id: String,
    },
    List(TenantArg),
}

#[derive(Debug, Subcommand)]
pub enum TrustMarkCommand {
    /// Issues a Trust Mark to an entity (served at the trust mark endpoint).
    Issue {
        #[command(flatten)]
        tenant: TenantArg,
        /// The Trust Mark type (a URL).
        #[arg(long = "type", value_name = "TYPE")]
        trust_mark_type: String,
        #[arg(long, value_name = "ENTITY_ID")]
        sub: String,
        /// Days until it expires (default: no expiry).
        #[arg(long)]
        days: Option<i64>,
    },
    Revoke {
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long = "type", value_name = "TYPE")]
        trust_mark_type: String,
        #[arg(long, value_name = "ENTITY_ID")]
        sub: String,
    },
    /// Lists the Trust Marks the tenant issued.
    List(TenantArg),
    /// Shows a Trust Mark the tenant received in its Entity Configuration
    /// (the JWT on standard input).
    Hold(TenantArg),
    /// Stops showing a held Trust Mark.
    Drop {
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long = "type", value_name = "TYPE")]
        trust_mark_type: String,
    },
    /// For a Trust Anchor: who may issue a Trust Mark type
    /// (trust_mark_issuers). No --issuer: anyone.
    Issuers {
        #[command(flatten)]
        tenant: TenantArg,
        #[arg(long = "type", value_name = "TYPE")]
        trust_mark_type: String,
        #[arg(long = "issuer", value_name = "ENTITY_ID")]
        issuers: Vec<String>,
        /// Removes the type from trust_mark_issuers.
        #[arg(long, conflicts_with = "issuers")]
        remove: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum FederationKeysCommand {
    List {
        #[command(flatten)]
        tenant: TenantArg,
        /// The relying party keys (peer sign-in) instead.
        #[arg(long)]
        relying_party: bool,
    },
    /// Adds a federation key; superiors copy keys into their statements,
    /// so give them time (--delay) before it signs.
    Rotate {
        #[command(flatten)]
        tenant: TenantArg,
        /// Seconds before the new key signs (0 = at once).
        #[arg(long, default_value_t = 0)]
        delay: i64,
        /// A relying party key (peer sign-in): peers keep its metadata as
        /// long as its chain, so give it a day (--delay 86400).
        #[arg(long)]
        relying_party: bool,
    },
    /// Revokes a key: unpublished at once, listed by the historical keys
    /// endpoint with the reason.
    Revoke {
        #[command(flatten)]
        tenant: TenantArg,
        /// Key ids are base64url: one may start with '-'.
        #[arg(allow_hyphen_values = true)]
        kid: String,
        #[arg(long, value_name = "unspecified|compromised|superseded", default_value = "unspecified")]
        reason: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PresetArg {
    /// OpenLDAP: uid, inetOrgPerson, entryUUID, ppolicy's lock.
    Openldap,
    /// Active Directory: sAMAccountName or userPrincipalName, objectGUID,
    /// the userAccountControl disabled bit.
    ActiveDirectory,
}

impl PresetArg {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Openldap => "openldap",
            Self::ActiveDirectory => "active-directory",
        }
    }
}

/// One directory of a tenant, by name.
#[derive(Debug, Args)]
pub struct DirectoryArg {
    #[command(flatten)]
    pub tenant: TenantArg,
    #[arg(long, default_value = "directory")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct DirectoryAdd {
    #[command(flatten)]
    pub directory: DirectoryArg,
    /// The attribute names of a kind of directory; each can be overridden.
    #[arg(long, value_enum)]
    pub preset: Option<PresetArg>,
    /// ldaps://host[:port], or ldap://host[:port] with --starttls.
    #[arg(long)]
    pub url: String,
    /// Upgrade an ldap:// connection with StartTLS before any bind.
    #[arg(long)]
    pub starttls: bool,
    /// The certificate authorities (PEM) of the directory's certificate;
    /// the system's when absent.
    #[arg(long)]
    pub ca_file: Option<std::path::PathBuf>,
    /// The service account that searches.
    #[arg(long)]
    pub bind_dn: String,
    /// Read the service account's password from standard input (one line).
    #[arg(long, required = true)]
    pub bind_password_stdin: bool,
    /// Where accounts are searched (the whole subtree).
    #[arg(long)]
    pub base_dn: String,
    /// The user filter, with {username} where the typed name goes.
    #[arg(long)]
    pub user_filter: Option<String>,
    /// Entries this filter matches cannot sign in.
    #[arg(long)]
    pub disabled_filter: Option<String>,
    /// The attribute whose value becomes the account's username.
    #[arg(long)]
    pub username_attr: Option<String>,
    /// The attribute that names an entry for life.
    #[arg(long)]
    pub id_attr: Option<String>,
    /// A profile field and the attribute it comes from
    /// (given_name=givenName, family_name=sn, email=mail,
    /// phone_number=telephoneNumber), over the preset's.
    #[arg(long = "attr")]
    pub attributes: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum DirectoryCommand {
    /// Adds a directory, after checking that Trame can bind to it and
    /// read its base DN.
    Add(DirectoryAdd),
    /// Lists a tenant's directories.
    List(ListArgs),
    /// Binds as the service account and reads the base DN; with
    /// --username, looks the agent up as a sign-in would.
    Test {
        #[command(flatten)]
        directory: DirectoryArg,
        #[arg(long)]
        username: Option<String>,
    },
    /// Checks every account a directory manages now: those whose entry is
    /// gone, disabled or out of the user filter are disabled and signed
    /// out (the server does it periodically).
    Sync {
        #[command(flatten)]
        directory: DirectoryArg,
    },
    /// Removes a directory; its accounts stay, without a password.
    Remove {
        #[command(flatten)]
        directory: DirectoryArg,
    },
}
