//! Operator commands: tenants, clients, users, keys.
//!
//! Each command validates all of its arguments before it writes anything,
//! and each write is one store call (one transaction), so a refused command
//! leaves the database as it was. Running servers pick up the change through
//! the catalog version (see `trame_web::Catalog`).

use std::io::BufRead;

use anyhow::{Context as _, Result, anyhow, bail};
use std::sync::Arc;
use trame_app::mail::{Mailer, valid_email};

use trame_app::audit::{self, Actor, Event};
use trame_app::users::{self, AccountRefusal, Creator, NewAccount};
use trame_app::{App, OutboundConfig, TenantEntry};
use trame_app::{branding, clients, tenants};
use trame_core::assurance::AcrPolicy;
use trame_core::client::{AuthMethod, Client, GrantType, PkcePolicy};
use trame_core::crypto::{random_token, secret_digest};
use trame_core::ids::{ClientId, RedirectUri};
use trame_core::registration::ClientRequest;
use trame_core::tenant::{DynamicRegistration, Registration, Tenant};
use trame_core::user::Address;
use trame_core::{Clock, Randomness, password};
use trame_jose::Alg;
use trame_settings::Config;
use trame_store::Store;
use trame_store::{Account, AuditQuery, ProfileChange};

use crate::cli::{AdminCommand, AuditCommand, HolderArg, ListArgs, ProfileArgs, RoleArg};
use crate::cli::{
    AlgArg, AuthMethodArg, ClientAdd, ClientCommand, ClientUpdate, GrantTypeArg, KeysCommand, PkceArg, ProtocolArg, SubjectTypeArg, TenantCommand, UserAdd,
    UserArg, UserCommand, UserSet,
};

/// What a command needs: storage, the settings, randomness, the clock, and
/// standard input (one line for secrets and passwords).
pub struct Context<'a> {
    pub store: &'a Store,
    pub config: &'a Config,
    pub rng: &'a dyn Randomness,
    pub clock: &'a dyn Clock,
    pub stdin: &'a mut dyn BufRead,
}

impl Context<'_> {
    fn now(&self) -> i64 {
        self.clock.now()
    }

    pub(crate) async fn tenant(&self, slug: &str) -> Result<Tenant> {
        self.store.tenant_by_slug(slug).await?.ok_or_else(|| anyhow!("no tenant '{slug}' (see `trame tenant list`)"))
    }

    /// The account `username` of `tenant`.
    pub(crate) async fn account(&self, tenant: &Tenant, username: &str) -> Result<Account> {
        self.store
            .user_for_sign_in(&tenant.id, username)
            .await?
            .ok_or_else(|| anyhow!("no user '{username}' in tenant {} (see `trame user list`)", tenant.slug))
    }

    /// The application over this command's storage, for the use cases
    /// that tell relying parties (logout notifications, queued in the
    /// database and sent by the server when this process cannot), with
    /// the tenant entry and account `u` names.
    async fn app_and_account(&self, u: &UserArg, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<(App, Arc<TenantEntry>, Account)> {
        let (app, entry) = self.app_and_tenant(&u.tenant.tenant, rng, clock).await?;
        let account = self.account(&entry.tenant, &u.username).await?;
        Ok((app, entry, account))
    }

    /// The application over this command's storage and the entry of the
    /// tenant `slug`.
    pub(crate) async fn app_and_tenant(&self, slug: &str, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<(App, Arc<TenantEntry>)> {
        let tenant = self.tenant(slug).await?;
        // With the embedded database, the persisted entries: what this
        // command removes (the sessions it ends) must not come back when
        // the server restarts. A running server keeps its own copy in
        // memory until then. The caller shuts the store down.
        let ephemeral = crate::storage::ephemeral(self.config, self.store).await?;
        let outbound = OutboundConfig { reach: self.config.outbound_reach, proxy: self.config.outbound_proxy.clone() };
        let app = App::new(self.store.clone(), ephemeral, outbound, rng, clock);
        app.catalog.refresh(self.store, self.now()).await.context("cannot load tenants")?;
        let entry = app.catalog.by_id(&tenant.id).ok_or_else(|| anyhow!("tenant {} is not loaded", tenant.slug))?;
        Ok((app, entry))
    }

    /// Records an operator change in the audit trail, by the OS user
    /// running the command.
    async fn audited(&self, tenant_id: Option<&str>, action: &'static str, target: String) {
        let actor = Actor::cli_from_env();
        let event = match tenant_id {
            Some(t) => Event::new(t, actor, action),
            None => Event::installation(actor, action),
        };
        audit::record(self.store, self.now(), event.on(target)).await;
    }

    /// One line of standard input, without its line ending.
    pub(crate) fn read_line(&mut self, what: &str) -> Result<String> {
        let mut line = String::new();
        self.stdin.read_line(&mut line).with_context(|| format!("cannot read the {what} from standard input"))?;
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            bail!("expected the {what} on standard input, got an empty line");
        }
        Ok(line.to_owned())
    }
}

pub async fn tenant(cx: &mut Context<'_>, cmd: TenantCommand) -> Result<()> {
    match cmd {
        TenantCommand::Add { slug, issuer, display_name } => {
            let new = tenants::check(&cx.config.public_url, &slug, issuer.as_deref(), display_name.as_deref()).map_err(|e| anyhow!("{e}"))?;
            let t = tenants::create(cx.store, new, cx.now(), Actor::cli_from_env()).await?;
            println!("tenant {}: issuer {}", t.slug, t.issuer);
        }
        TenantCommand::Update { slug, issuer, display_name } => {
            if issuer.is_none() && display_name.is_none() {
                bail!("nothing to change: give --issuer or --display-name");
            }
            let done = tenants::update(
                cx.store,
                &slug,
                tenants::Change { issuer: issuer.as_deref(), display_name: display_name.as_deref(), time_zone: None },
                None,
                cx.now(),
                Actor::cli_from_env(),
            )
            .await;
            let done = done.map_err(|e| match e {
                tenants::ChangeError::Refused(r @ tenants::TenantRefusal::DisplayName) => anyhow!("--display-name: {r}"),
                tenants::ChangeError::Refused(r) => anyhow!("--issuer: {r}"),
                tenants::ChangeError::IssuerTaken { .. } => anyhow!("--issuer: {e}"),
                e => anyhow!("{e}"),
            })?;
            let t = done.tenant;
            println!("tenant {}: issuer {}, display name {}", t.slug, t.issuer, t.display_name);
            if done.issuer_changed {
                println!(
                    "the issuer changed: reconfigure every relying party of {} (discovery at {}), tokens issued under the old issuer are no longer accepted",
                    t.slug,
                    t.issuer.endpoint("/.well-known/openid-configuration")
                );
                if t.slug.as_str() == tenants::DEFAULT_TENANT {
                    println!("the default tenant's issuer is now set explicitly: it no longer follows public_url");
                }
            }
        }
        TenantCommand::Remove { slug, yes } => {
            if !yes {
                bail!("--yes: removing tenant {slug} deletes its accounts, clients, keys and audit records and cannot be undone; add --yes to confirm");
            }
            let t = tenants::remove(cx.store, &slug, cx.now(), Actor::cli_from_env()).await.map_err(|e| anyhow!("{e}"))?;
            println!("tenant {} removed (issuer {}), with its accounts, clients, keys and audit records", t.slug, t.issuer);
        }
        TenantCommand::List { json } => {
            let tenants = cx.store.list_tenants().await?;
            if json {
                for t in tenants {
                    let line = serde_json::json!({
                        "slug": t.slug.as_str(), "issuer": t.issuer.as_str(), "display_name": t.display_name,
                        "registration": t.settings.registration.to_string(), "usernames": t.settings.usernames.to_string(),
                        "default_subject_type": t.settings.default_subject_type.as_str(),
                        "time_zone": t.settings.time_zone.as_str(),
                    });
                    println!("{line}");
                }
                return Ok(());
            }
            println!("{:<24} {:<48} {:<12} NAME", "SLUG", "ISSUER", "SIGN-UP");
            for t in tenants {
                println!("{:<24} {:<48} {:<12} {}", t.slug, t.issuer, t.settings.registration, t.display_name);
            }
        }
        TenantCommand::Set {
            slug,
            registration,
            counter_policy,
            acr_rules,
            dynamic_registration,
            dynamic_client_pkce,
            credential_upgrade,
            usernames,
            default_subject_type,
            time_zone,
            display_name,
            branding,
        } => {
            let t = cx.tenant(&slug).await?;
            let sign_in_given = registration.is_some()
                || counter_policy.is_some()
                || !acr_rules.is_empty()
                || dynamic_registration.is_some()
                || dynamic_client_pkce.is_some()
                || credential_upgrade.is_some()
                || usernames.is_some()
                || default_subject_type.is_some()
                || time_zone.is_some();
            // Everything is checked before anything is written.
            let (change, logo) = branding_change(&branding)?;
            let mut settings = t.settings.clone();
            if let Some(r) = registration {
                settings.registration = r.parse().map_err(|e: String| anyhow::anyhow!("--registration: {e}"))?;
            }
            if let Some(c) = counter_policy {
                settings.counter_policy = c.parse().map_err(|e: String| anyhow::anyhow!("--counter-policy: {e}"))?;
            }
            if !acr_rules.is_empty() {
                settings.acr_policy = AcrPolicy::parse(&acr_rules).map_err(|e| anyhow::anyhow!("--acr-rule: {e}"))?;
            }
            if let Some(d) = dynamic_registration {
                settings.dynamic_registration = d.parse().map_err(|e: String| anyhow::anyhow!("--dynamic-registration: {e}"))?;
            }
            if let Some(p) = dynamic_client_pkce {
                settings.dynamic_client_pkce = p.parse().map_err(|e: String| anyhow::anyhow!("--dynamic-client-pkce: {e}"))?;
            }
            if let Some(u) = usernames {
                settings.usernames = u.parse().map_err(|e: String| anyhow::anyhow!("--usernames: {e}"))?;
            }
            if let Some(s) = default_subject_type {
                settings.default_subject_type = trame_core::subject::SubjectType::parse(subject_type(s)).unwrap_or_default();
            }
            if let Some(z) = time_zone {
                settings.time_zone = z.parse().map_err(|e: String| anyhow::anyhow!("--time-zone: {e}"))?;
            }
            if let Some(u) = credential_upgrade {
                settings.credential_upgrade = u.parse().map_err(|e: String| anyhow::anyhow!("--credential-upgrade: {e}"))?;
            }
            if let Some(n) = &display_name {
                tenants::checked_name(n).map_err(|e| anyhow!("--display-name: {e}"))?;
            }
            let branding_given = !change.settings().is_empty() || !matches!(logo, branding::LogoChange::Keep);
            if !sign_in_given && !branding_given && display_name.is_none() {
                // Nothing asked: the settings as they are.
                print_tenant_settings(&t);
                return Ok(());
            }
            if sign_in_given {
                let t = cx.store.set_tenant_settings(&slug, &settings).await?;
                cx.audited(Some(&t.id), "tenant.updated", audit::tenant(t.slug.as_str())).await;
            }
            if let Some(n) = &display_name {
                tenants::update(cx.store, &slug, tenants::Change { display_name: Some(n), ..Default::default() }, None, cx.now(), Actor::cli_from_env())
                    .await
                    .map_err(|e| anyhow!("--display-name: {e}"))?;
            }
            if branding_given {
                branding::set(cx.store, &slug, &change, logo, None, cx.now(), Actor::cli_from_env()).await.map_err(|e| anyhow!("{e}"))?;
            }
            print_tenant_settings(&cx.tenant(&slug).await?);
        }
    }
    Ok(())
}

pub async fn client(cx: &mut Context<'_>, cmd: ClientCommand, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<()> {
    match cmd {
        ClientCommand::Add(args) => add_client(cx, *args, rng, clock).await,
        ClientCommand::Update(args) => update_client(cx, *args, rng, clock).await,
        ClientCommand::Show { tenant, client_id, json } => {
            let tenant = cx.tenant(&tenant.tenant).await?;
            let client = cx.store.client(&tenant.id, &client_id).await?.ok_or_else(|| anyhow!("client '{client_id}' not found"))?;
            show_client(&client, cx.now(), json);
            Ok(())
        }
        ClientCommand::List(ListArgs { tenant: t, json }) => {
            let tenant = cx.tenant(&t.tenant).await?;
            let clients = cx.store.list_clients(&tenant.id).await?;
            if json {
                for c in clients {
                    let line = serde_json::json!({
                        "client_id": c.id.as_str(),
                        "auth_method": c.auth_method.as_str(),
                        "grant_types": c.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
                        "redirect_uris": c.redirect_uris.iter().map(RedirectUri::as_str).collect::<Vec<_>>(),
                        "federation": c.federation.as_ref().map(|f| serde_json::json!({"kind": f.kind.as_str(), "trust_anchor": f.trust_anchor, "expires_at": rfc3339(f.expires_at)})),
                    });
                    println!("{line}");
                }
                return Ok(());
            }
            println!("{:<32} {:<20} {:<45} REDIRECT URIS", "CLIENT ID", "AUTH", "GRANTS");
            for c in clients {
                let grants: Vec<&str> = c.grant_types.iter().map(|g| g.as_str()).collect();
                let uris: Vec<&str> = c.redirect_uris.iter().map(RedirectUri::as_str).collect();
                println!("{:<32} {:<20} {:<45} {}", c.id, c.auth_method.as_str(), grants.join(","), uris.join(" "));
                // A federation relying party registered itself through its
                // trust chain, and lapses with it.
                if let Some(f) = &c.federation {
                    let state = if c.is_expired(cx.now()) { "lapsed" } else { "until" };
                    println!("{:<32} federation ({}) under {}, {state} {}", "", f.kind.as_str(), f.trust_anchor, rfc3339(f.expires_at));
                }
            }
            Ok(())
        }
        ClientCommand::Token { tenant, days, uses } => {
            let tenant = cx.tenant(&tenant.tenant).await?;
            if days == 0 || days > 366 {
                bail!("--days must be 1 to 366");
            }
            if uses == Some(0) {
                bail!("--uses must be at least 1");
            }
            let token = random_token(cx.rng);
            let expires = cx.now() + i64::from(days) * 86_400;
            cx.store.create_initial_access_token(&tenant.id, &secret_digest(&token), expires, uses.map(i64::from), cx.now()).await?;
            if tenant.settings.dynamic_registration != DynamicRegistration::Token {
                eprintln!(
                    "note: tenant {} does not take initial access tokens yet (dynamic registration is {}); see `trame tenant set --dynamic-registration token`",
                    tenant.slug, tenant.settings.dynamic_registration
                );
            }
            println!("initial_access_token: {token}");
            println!("registration_endpoint: {}", tenant.issuer.endpoint("/register"));
            eprintln!("The token is shown only this once; Trame keeps only a digest of it.");
            Ok(())
        }
        ClientCommand::Remove { tenant, client_id } => {
            let (app, entry) = cx.app_and_tenant(&tenant.tenant, rng, clock).await?;
            let done = clients::remove(&app, &entry, &client_id, Actor::cli_from_env()).await;
            app.finish().await;
            if !done? {
                bail!("client '{client_id}' not found");
            }
            println!("client {client_id} removed");
            Ok(())
        }
    }
}

async fn add_client(cx: &mut Context<'_>, a: ClientAdd, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<()> {
    let client_id = ClientId::parse(&a.client_id)?;
    let auth_method = match (a.auth_method, a.public) {
        (None, true) | (Some(AuthMethodArg::None), _) => AuthMethod::None,
        (Some(_), true) => bail!("--public clients have no credentials: drop --auth-method or use --auth-method none"),
        (None, false) => AuthMethod::ClientSecretBasic,
        (Some(AuthMethodArg::ClientSecretBasic), false) => AuthMethod::ClientSecretBasic,
        (Some(AuthMethodArg::ClientSecretPost), false) => AuthMethod::ClientSecretPost,
        (Some(AuthMethodArg::PrivateKeyJwt), false) => AuthMethod::PrivateKeyJwt,
    };
    let cas = a.protocol == ProtocolArg::Cas;
    if a.cas.given() && !cas {
        bail!("--service-url, --service-url-prefix, --attribute and --cas-user are for CAS services: add --protocol cas");
    }
    // A CAS service uses no grant and authenticates nowhere, unless the
    // operator also makes it an OpenID Connect client.
    let auth_method = if cas && a.auth_method.is_none() && !a.public && a.grant_types.is_empty() { AuthMethod::None } else { auth_method };
    let grant_types: Vec<&str> = match (a.grant_types.is_empty(), cas) {
        (true, true) => Vec::new(),
        (true, false) => vec!["authorization_code", "refresh_token"],
        (false, _) => a.grant_types.iter().map(|t| grant_type(*t).as_str()).collect(),
    };
    let cas = cas.then(|| trame_core::cas::CasRequest {
        service_urls: a.cas.service_urls,
        service_prefixes: a.cas.service_url_prefixes,
        attributes: a.cas.attributes,
        user: a.cas.cas_user.map(|u| u.as_str().to_owned()),
    });
    let jwks = a.jwks_file.as_deref().map(read_jwks).transpose()?;
    let req = ClientRequest {
        redirect_uris: a.redirect_uris,
        post_logout_redirect_uris: a.post_logout_redirect_uris,
        grant_types: Some(grant_types.into_iter().map(str::to_owned).collect()),
        client_name: a.name,
        policy_uri: a.policy_uri,
        tos_uri: a.tos_uri,
        jwks_uri: a.jwks_uri,
        jwks,
        sector_identifier_uri: a.sector_identifier_uri,
        subject_type: a.subject_type.map(|t| subject_type(t).into()),
        id_token_signed_response_alg: Some(alg(a.id_token_alg).as_str().into()),
        userinfo_signed_response_alg: a.userinfo_alg.map(|x| alg(x).as_str().into()),
        token_endpoint_auth_method: Some(auth_method.as_str().into()),
        scope: Some(if a.scopes.is_empty() { "openid profile email offline_access".to_owned() } else { a.scopes.join(" ") }),
        backchannel_logout_uri: a.backchannel_logout_uri,
        backchannel_logout_session_required: Some(a.backchannel_logout_session_required),
        frontchannel_logout_uri: a.frontchannel_logout_uri,
        frontchannel_logout_session_required: Some(a.frontchannel_logout_session_required),
        pkce: Some(pkce(a.pkce)),
        skip_consent: a.skip_consent,
        refresh_reuse_grace: a.refresh_reuse_grace,
        default_acr_values: a.acr_values,
        cas,
        ..Default::default()
    };
    // The same rules as a registration request over HTTP, with the
    // operator's defaults; errors name the metadata field.
    let secret = if a.secret_stdin { Some(cx.read_line("client secret")?) } else { None };
    let (app, entry) = cx.app_and_tenant(&a.tenant.tenant, rng, clock).await?;
    let made = clients::create(&app, &entry.tenant, client_id, req, secret, Actor::cli_from_env()).await;
    app.finish().await;
    let made = match made {
        Ok(m) => m,
        Err(clients::CreateError::Metadata(e)) => bail!("{}", e.to_string().replacen(e.field(), &flag_of(e.field()), 1)),
        Err(clients::CreateError::SecretNotUsed) => bail!("--secret-stdin is only for client_secret_basic and client_secret_post clients"),
        Err(e) => return Err(e.into()),
    };
    let c = made.client;
    println!("client_id: {}", c.id);
    println!("auth_method: {}", c.auth_method.as_str());
    if let Some(s) = made.generated_secret {
        println!("client_secret: {s}");
        eprintln!("The client secret is shown only this once; Trame keeps only a digest of it.");
    }
    Ok(())
}

/// `trame client update`: the client's current registration request with
/// the flags given laid over it, then the same rules as `client add`.
async fn update_client(cx: &mut Context<'_>, u: ClientUpdate, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<()> {
    let tenant = cx.tenant(&u.tenant.tenant).await?;
    let id = u.client_id.as_str();
    let current = cx.store.client(&tenant.id, id).await?.ok_or_else(|| anyhow!("client '{id}' not found"))?;
    let mut req = clients::request_of(&current).map_err(|e| anyhow!("client '{id}': its stored settings do not read back: {e}"))?;
    // An empty value clears an optional setting.
    let text = |v: String| (!v.is_empty()).then_some(v);
    if let Some(n) = u.name {
        req.client_name = text(n);
    }
    edit_list(&mut req.redirect_uris, u.redirect_uris, u.add_redirect_uris, u.remove_redirect_uris, "redirect-uri")?;
    edit_list(
        &mut req.post_logout_redirect_uris,
        u.post_logout_redirect_uris,
        u.add_post_logout_redirect_uris,
        u.remove_post_logout_redirect_uris,
        "post-logout-redirect-uri",
    )?;
    let method = match (u.auth_method, u.public) {
        (Some(m), _) => Some(auth_method_of(m)),
        (None, true) => Some(AuthMethod::None),
        (None, false) => None,
    };
    if let Some(m) = method {
        req.token_endpoint_auth_method = Some(m.as_str().into());
        // The assertion algorithm belongs to private_key_jwt only.
        if m != AuthMethod::PrivateKeyJwt {
            req.token_endpoint_auth_signing_alg = None;
        }
    }
    if let Some(uri) = u.jwks_uri {
        req.jwks_uri = text(uri);
        req.jwks = None;
    }
    if let Some(path) = &u.jwks_file {
        req.jwks = Some(read_jwks(path)?);
        req.jwks_uri = None;
    }
    if !u.grant_types.is_empty() {
        req.grant_types = Some(u.grant_types.iter().map(|g| grant_type(*g).as_str().to_owned()).collect());
        // Derived again from the grants: `code` only with authorization_code.
        req.response_types = None;
    }
    if !u.scopes.is_empty() {
        req.scope = Some(u.scopes.join(" "));
    }
    if let Some(t) = u.subject_type {
        req.subject_type = Some(subject_type(t).into());
    }
    if let Some(p) = u.pkce {
        req.pkce = Some(pkce(p));
    }
    if let Some(b) = u.skip_consent {
        req.skip_consent = b;
    }
    if let Some(a) = u.id_token_alg {
        req.id_token_signed_response_alg = Some(alg(a).as_str().into());
    }
    if let Some(a) = u.userinfo_alg {
        req.userinfo_signed_response_alg = Some(alg(a).as_str().into());
    }
    if u.plain_userinfo {
        req.userinfo_signed_response_alg = None;
    }
    if let Some(v) = u.sector_identifier_uri {
        req.sector_identifier_uri = text(v);
    }
    if let Some(v) = u.backchannel_logout_uri {
        req.backchannel_logout_uri = text(v);
    }
    if let Some(b) = u.backchannel_logout_session_required {
        req.backchannel_logout_session_required = Some(b);
    }
    if let Some(v) = u.frontchannel_logout_uri {
        req.frontchannel_logout_uri = text(v);
    }
    if let Some(b) = u.frontchannel_logout_session_required {
        req.frontchannel_logout_session_required = Some(b);
    }
    if let Some(v) = u.policy_uri {
        req.policy_uri = text(v);
    }
    if let Some(v) = u.tos_uri {
        req.tos_uri = text(v);
    }
    if let Some(g) = u.refresh_reuse_grace {
        req.refresh_reuse_grace = Some(g);
    }
    if !u.acr_values.is_empty() {
        req.default_acr_values = u.acr_values.into_iter().filter(|v| !v.is_empty()).collect();
    }
    if u.cas.given() {
        let Some(cas) = req.cas.as_mut() else {
            bail!("--service-url, --service-url-prefix, --attribute and --cas-user are for CAS services, and '{id}' is not one");
        };
        let replace = |list: &mut Vec<String>, given: Vec<String>| {
            if !given.is_empty() {
                *list = given.into_iter().filter(|v| !v.is_empty()).collect();
            }
        };
        replace(&mut cas.service_urls, u.cas.service_urls);
        replace(&mut cas.service_prefixes, u.cas.service_url_prefixes);
        replace(&mut cas.attributes, u.cas.attributes);
        if let Some(user) = u.cas.cas_user {
            cas.user = Some(user.as_str().to_owned());
        }
    }
    let secret = match (u.rotate_secret, u.secret_stdin) {
        (true, _) => clients::SecretChange::Rotate,
        (false, true) => clients::SecretChange::Given(cx.read_line("client secret")?),
        (false, false) => clients::SecretChange::Follow,
    };
    let (app, entry) = cx.app_and_tenant(&u.tenant.tenant, rng, clock).await?;
    let done = clients::update(&app, &entry, id, req, secret, None, Actor::cli_from_env()).await;
    app.finish().await;
    let done = match done {
        Ok(d) => d,
        Err(clients::UpdateError::Metadata(e)) => bail!("{}", e.to_string().replacen(e.field(), &flag_of(e.field()), 1)),
        Err(e @ clients::UpdateError::SelfRegisteredSkipsConsent) => bail!("--skip-consent: {e}"),
        Err(clients::UpdateError::SecretNotUsed) => {
            bail!("--rotate-secret, --secret-stdin: the client would use no secret (its auth method is none or private_key_jwt)")
        }
        Err(e) => return Err(e.into()),
    };
    // A pairwise `sub` is derived from the sector: a new sector gives every
    // account another subject at this client.
    let pairwise = |c: &Client| c.subject_type == trame_core::subject::SubjectType::Pairwise;
    if pairwise(&done.client) && pairwise(&current) && done.client.sector_identifier != current.sector_identifier {
        eprintln!(
            "warning: the client's pairwise sector changed from {} to {}: every account has another subject (sub) at this client now",
            current.sector_identifier.as_deref().unwrap_or("-"),
            done.client.sector_identifier.as_deref().unwrap_or("-")
        );
    }
    println!("client {}: {}", done.client.id, if done.changed { "updated" } else { "unchanged (the settings given are the ones it has)" });
    show_client(&done.client, cx.now(), false);
    if let Some(s) = done.generated_secret {
        println!("client_secret: {s}");
        eprintln!("The client secret is shown only this once; Trame keeps only a digest of it.");
    }
    Ok(())
}

/// A list flag of `client update`: given values replace the list, or
/// others are added to and removed from it.
fn edit_list(list: &mut Vec<String>, replace: Vec<String>, add: Vec<String>, remove: Vec<String>, flag: &str) -> Result<()> {
    if !replace.is_empty() {
        *list = replace;
    }
    for r in remove {
        if !list.contains(&r) {
            bail!("--remove-{flag}: {r} is not in the client's list");
        }
        list.retain(|x| *x != r);
    }
    for a in add {
        if !list.contains(&a) {
            list.push(a);
        }
    }
    Ok(())
}

/// Every setting of a client: its registration metadata (RFC 7591, as the
/// registration endpoint shows it) and what only the operator sets.
fn show_client(c: &Client, now: i64, json: bool) {
    let federation = c.federation.as_ref().map(
        |f| serde_json::json!({ "kind": f.kind.as_str(), "trust_anchor": f.trust_anchor, "expires_at": rfc3339(f.expires_at), "lapsed": c.is_expired(now) }),
    );
    if json {
        let mut m = trame_app::registration::metadata(c);
        m.insert("pkce".into(), serde_json::json!(c.pkce.as_str()));
        m.insert("skip_consent".into(), serde_json::json!(c.skip_consent));
        m.insert("refresh_reuse_grace".into(), serde_json::json!(c.refresh_reuse_grace));
        m.insert("cas".into(), serde_json::json!(c.cas));
        m.insert("sector_identifier".into(), serde_json::json!(c.sector_identifier));
        m.insert("has_secret".into(), serde_json::json!(c.secret_digest.is_some()));
        m.insert("self_registered".into(), serde_json::json!(c.registration_token_digest.is_some()));
        m.insert("federation".into(), federation.unwrap_or(serde_json::Value::Null));
        println!("{}", serde_json::Value::Object(m));
        return;
    }
    let list = |v: &[RedirectUri]| if v.is_empty() { "-".to_owned() } else { v.iter().map(RedirectUri::as_str).collect::<Vec<_>>().join(" ") };
    let opt = |v: Option<&str>| v.unwrap_or("-").to_owned();
    let secret = match (c.auth_method.uses_secret(), c.secret_digest.is_some()) {
        (true, true) => "set (only its digest is kept)",
        (true, false) => "missing",
        (false, _) => "none",
    };
    let jwks = c.jwks.as_ref().map(|k| format!("{} key(s) inline", k["keys"].as_array().map_or(0, Vec::len)));
    let rows: Vec<(&str, String)> = vec![
        ("name", opt(c.name.as_deref())),
        ("application type", c.info.application_type.as_str().to_owned()),
        ("redirect uris", list(&c.redirect_uris)),
        ("post-logout redirect uris", list(&c.post_logout_redirect_uris)),
        ("grant types", c.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(" ")),
        ("scopes", c.scopes.to_string_sorted()),
        ("auth method", c.auth_method.as_str().to_owned()),
        ("secret", secret.to_owned()),
        ("assertion alg", opt(c.token_auth_alg.as_deref())),
        ("jwks uri", opt(c.jwks_uri.as_deref())),
        ("jwks", jwks.unwrap_or_else(|| "-".to_owned())),
        ("subject type", c.subject_type.as_str().to_owned()),
        ("sector", opt(c.sector_identifier.as_deref())),
        ("sector identifier uri", opt(c.info.sector_identifier_uri.as_deref())),
        ("pkce", c.pkce.as_str().to_owned()),
        ("skip consent", yes_no(c.skip_consent).to_owned()),
        ("id token alg", c.id_token_alg.as_str().to_owned()),
        ("userinfo alg", c.userinfo_alg.map_or_else(|| "- (plain JSON)".to_owned(), |a| a.as_str().to_owned())),
        ("default max age", c.default_max_age.map_or_else(|| "-".to_owned(), |s| format!("{s}s"))),
        ("default acr values", if c.default_acr_values.is_empty() { "-".to_owned() } else { c.default_acr_values.join(" ") }),
        (
            "back-channel logout",
            c.logout
                .backchannel_uri
                .as_deref()
                .map_or_else(|| "-".to_owned(), |u| format!("{u}{}", if c.logout.backchannel_session_required { " (sid required)" } else { "" })),
        ),
        (
            "front-channel logout",
            c.logout
                .frontchannel_uri
                .as_deref()
                .map_or_else(|| "-".to_owned(), |u| format!("{u}{}", if c.logout.frontchannel_session_required { " (iss and sid)" } else { "" })),
        ),
        ("client uri", opt(c.info.client_uri.as_deref())),
        ("logo uri", opt(c.info.logo_uri.as_deref())),
        ("policy uri", opt(c.info.policy_uri.as_deref())),
        ("tos uri", opt(c.info.tos_uri.as_deref())),
        ("contacts", if c.info.contacts.is_empty() { "-".to_owned() } else { c.info.contacts.join(" ") }),
        ("refresh reuse grace", format!("{}s", c.refresh_reuse_grace)),
        ("cas", c.cas.as_ref().map_or_else(|| "-".to_owned(), cas_summary)),
        ("registered by", if c.registration_token_digest.is_some() { "itself (RFC 7591)" } else { "the operator" }.to_owned()),
    ];
    println!("client {}", c.id);
    for (label, value) in rows {
        println!("  {label}: {value}");
    }
    if let Some(f) = &c.federation {
        let state = if c.is_expired(now) { "lapsed" } else { "until" };
        println!("  federation: {} registration under {}, {state} {}", f.kind.as_str(), f.trust_anchor, rfc3339(f.expires_at));
    }
}

/// A CAS service's settings on one line of `client show`.
fn cas_summary(s: &trame_core::cas::CasService) -> String {
    let mut parts: Vec<String> = s.service_urls.iter().map(|u| format!("service {u}")).collect();
    parts.extend(s.service_prefixes.iter().map(|p| format!("prefix {p}")));
    parts.push(format!("user: {}", s.user.as_str()));
    parts.push(format!("attributes: {}", if s.attributes.is_empty() { "-".to_owned() } else { s.attributes.join(" ") }));
    parts.join("; ")
}

fn read_jwks(path: &std::path::Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("--jwks-file: cannot read {}", path.display()))?;
    serde_json::from_str::<serde_json::Value>(&text).with_context(|| format!("--jwks-file: {} is not JSON", path.display()))
}

fn auth_method_of(m: AuthMethodArg) -> AuthMethod {
    match m {
        AuthMethodArg::ClientSecretBasic => AuthMethod::ClientSecretBasic,
        AuthMethodArg::ClientSecretPost => AuthMethod::ClientSecretPost,
        AuthMethodArg::PrivateKeyJwt => AuthMethod::PrivateKeyJwt,
        AuthMethodArg::None => AuthMethod::None,
    }
}

fn subject_type(t: SubjectTypeArg) -> &'static str {
    match t {
        SubjectTypeArg::Public => "public",
        SubjectTypeArg::Pairwise => "pairwise",
    }
}

fn pkce(p: PkceArg) -> PkcePolicy {
    match p {
        PkceArg::Required => PkcePolicy::Required,
        PkceArg::Optional => PkcePolicy::Optional,
    }
}

/// The `trame client add` flag that sets a registration metadata field,
/// so a refusal names what the operator typed.
fn flag_of(field: &str) -> String {
    let flag = match field {
        "redirect_uris" => "redirect-uri",
        "post_logout_redirect_uris" => "post-logout-redirect-uri",
        "grant_types" => "grant-type",
        "jwks" => "jwks-file",
        "token_endpoint_auth_method" => "auth-method",
        "id_token_signed_response_alg" => "id-token-alg",
        "userinfo_signed_response_alg" => "userinfo-alg",
        "client_name" => "name",
        "default_acr_values" => "acr-value",
        other => return format!("--{}", other.replace('_', "-")),
    };
    format!("--{flag}")
}

fn grant_type(g: GrantTypeArg) -> GrantType {
    match g {
        GrantTypeArg::AuthorizationCode => GrantType::AuthorizationCode,
        GrantTypeArg::RefreshToken => GrantType::RefreshToken,
        GrantTypeArg::ClientCredentials => GrantType::ClientCredentials,
    }
}

fn alg(a: AlgArg) -> Alg {
    match a {
        AlgArg::Es256 => Alg::ES256,
        AlgArg::Rs256 => Alg::RS256,
        AlgArg::EdDsa => Alg::EdDSA,
    }
}

/// The account was just read, so only the last-operator rule can refuse.
fn refused_if_last_operator(change: users::AccountChange) -> Result<()> {
    match change {
        users::AccountChange::LastOperator => bail!("this is the installation's last operator: grant the role to another account first (trame admin grant)"),
        users::AccountChange::NotFound => bail!("no such user"),
        users::AccountChange::Done => Ok(()),
    }
}

pub async fn user(cx: &mut Context<'_>, cmd: UserCommand, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<()> {
    match cmd {
        UserCommand::Show { user, json } => {
            let tenant = cx.tenant(&user.tenant.tenant).await?;
            let account = cx.account(&tenant, &user.username).await?;
            show_user(cx, &tenant, account, json).await?;
        }
        UserCommand::Disable(u) => {
            let (app, entry, account) = cx.app_and_account(&u, rng, clock).await?;
            let done = users::disable(&app, &entry, &account.profile.id, Actor::cli_from_env()).await;
            app.finish().await;
            refused_if_last_operator(done?)?;
            println!("user {} disabled: its sessions ended and its tokens stopped working", account.profile.username);
        }
        UserCommand::Enable(u) => {
            let (app, entry, account) = cx.app_and_account(&u, rng, clock).await?;
            let done = users::enable(&app, &entry, &account.profile.id, Actor::cli_from_env()).await;
            app.finish().await;
            refused_if_last_operator(done?)?;
            println!("user {} enabled", account.profile.username);
        }
        UserCommand::Remove { user, yes } => {
            if !yes {
                bail!("--yes: erasing an account cannot be undone; add --yes to confirm");
            }
            let (app, entry, account) = cx.app_and_account(&user, rng, clock).await?;
            let done = users::remove(&app, &entry, &account.profile.id, Actor::cli_from_env()).await;
            app.finish().await;
            refused_if_last_operator(done?)?;
            println!("user {} erased (id {})", account.profile.username, account.profile.id);
        }
        UserCommand::EndSessions(u) => {
            let (app, entry, account) = cx.app_and_account(&u, rng, clock).await?;
            let ended = users::end_sessions(&app, &entry, &account.profile.id).await;
            app.finish().await;
            let n = ended?;
            audit::record(cx.store, cx.now(), Event::new(&entry.tenant.id, Actor::cli_from_env(), "user.sessions_ended").on(audit::user(&account.profile.id)))
                .await;
            println!("{n} session(s) of {} ended; its tokens stopped working", account.profile.username);
        }
        UserCommand::ResetCredentials { user, yes } => {
            if !yes {
                bail!("--yes: resetting removes the account's passkeys, password, TOTP and recovery codes and ends its sessions; add --yes to confirm");
            }
            let (app, entry, account) = cx.app_and_account(&user, rng, clock).await?;
            // The link is kept in the ephemeral store: only Redis is shared
            // with the running server. Without it, the server would never
            // see a link made here (an embedded node reads its file only at
            // start), so none is sent.
            let app = match &cx.config.redis_url {
                Some(_) => app.with_mailer(Mailer::from_config(&cx.config.mail).context("cannot set up mail (smtp_url, mail_from, mail_outbox_dir)")?),
                None => app,
            };
            let done = users::reset_credentials(&app, &entry, &account.profile.id, Actor::cli_from_env()).await;
            app.finish().await;
            let name = &account.profile.username;
            let (reset, sent) = match done? {
                users::ResetOutcome::LinkSent(r) => (r, true),
                users::ResetOutcome::NoAddress(r) => (r, false),
                users::ResetOutcome::NotFound => bail!("no such user"),
                users::ResetOutcome::LastOperator => {
                    bail!("this account is the installation's last operator: it keeps its credentials; grant the role to another account first")
                }
            };
            let r = reset.removed;
            println!(
                "credentials of {name} reset: {} passkey(s), password {}, TOTP {}, {} recovery code(s) removed; {} session(s) ended, its tokens stopped working",
                r.passkeys,
                if r.password { "removed" } else { "none" },
                if r.totp { "removed" } else { "none" },
                r.recovery_codes,
                reset.sessions_ended
            );
            let t = &entry.tenant;
            if sent {
                println!("a recovery link was mailed to its verified address: the person signs in with it once and adds a new passkey");
            } else if !account.profile.email_verified || account.profile.email.is_none() {
                println!(
                    "no recovery link was sent: the account has no verified e-mail address; until given a way to sign in the person cannot, e.g. a password: `trame user set-password --tenant {} --username <name>`",
                    t.slug
                );
            } else if cx.config.redis_url.is_none() {
                println!(
                    "no recovery link was sent: without Redis the server does not see links made by the CLI; the person asks for one at {} with their address (or set a password: `trame user set-password`)",
                    t.issuer.endpoint("/recover")
                );
            } else {
                println!(
                    "no recovery link was sent: mail is not set up, or the mail could not be sent (see the log); the person can be given a password with `trame user set-password`"
                );
            }
        }
        UserCommand::Add(add) => {
            let UserAdd {
                tenant,
                username,
                profile: ProfileArgs { email, given_name, family_name, phone_number },
                phone_number_verified,
                address,
                password_stdin,
            } = *add;
            let tenant = cx.tenant(&tenant.tenant).await?;
            let address = Address {
                // A street of several lines, as `--address-street 'a\nb'` gives it.
                street_address: address.address_street.map(|s| s.replace("\\n", "\n")),
                locality: address.address_locality,
                region: address.address_region,
                postal_code: address.address_postal_code,
                country: address.address_country,
                formatted: None,
            };
            let account = NewAccount { username, email, given_name, family_name, phone_number, phone_number_verified, address: Some(address) };
            let checked = users::check(&tenant, Creator::Operator, account).map_err(refusal)?;
            // Checked before the password is read: a refused command asks
            // for nothing.
            if !users::available(cx.store, &tenant, checked.username()).await? {
                return Err(refusal(AccountRefusal::Taken));
            }
            let password_hash = if password_stdin {
                let pw = cx.read_line("password")?;
                Some(password::hash(&pw, cx.rng)?)
            } else {
                None
            };
            let u = match users::create(cx.store, &tenant, checked, password_hash, cx.now(), Actor::cli_from_env()).await {
                Ok(u) => u,
                Err(users::CreateError::Refused(r)) => return Err(refusal(r)),
                Err(users::CreateError::Failed(e)) => return Err(e.into()),
            };
            println!("user {} created (id {})", u.username, u.id);
        }
        UserCommand::List(ListArgs { tenant: t, json }) => {
            let tenant = cx.tenant(&t.tenant).await?;
            let users = cx.store.list_users(&tenant.id).await?;
            if json {
                for u in users {
                    println!("{}", serde_json::json!({ "id": u.id, "username": u.username, "email": u.email, "email_verified": u.email_verified }));
                }
                return Ok(());
            }
            println!("{:<32} {:<36} EMAIL", "USERNAME", "ID");
            for u in users {
                println!("{:<32} {:<36} {}", u.username, u.id, u.email.unwrap_or_default());
            }
        }
        UserCommand::Invite { tenant, email, days } => {
            let tenant = cx.tenant(&tenant.tenant).await?;
            let email = email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
            if email.as_deref().is_some_and(|e| !valid_email(e)) {
                return Err(refusal(AccountRefusal::Email));
            }
            if !(1..=90).contains(&days) {
                bail!("--days must be 1 to 90");
            }
            if tenant.settings.registration != Registration::Invite {
                eprintln!(
                    "note: tenant {} has registration '{}'; the link works only with 'invite' (trame tenant set {} --registration invite)",
                    tenant.slug, tenant.settings.registration, tenant.slug
                );
            }
            let token = random_token(cx.rng);
            let now = cx.now();
            cx.store.create_invitation(&tenant.id, &secret_digest(&token), email.as_deref(), now + i64::from(days) * 86_400, now).await?;
            cx.audited(Some(&tenant.id), "user.invited", audit::tenant(tenant.slug.as_str())).await;
            println!("{}", tenant.issuer.endpoint(&format!("/signup?invitation={token}")));
        }
        UserCommand::Set(set) => {
            let UserSet { user, profile: ProfileArgs { email, given_name, family_name, phone_number }, phone_number_verified, address } = *set;
            let (app, entry, account) = cx.app_and_account(&user, rng, clock).await?;
            let a = address;
            let address_given =
                [&a.address_street, &a.address_locality, &a.address_region, &a.address_postal_code, &a.address_country].iter().any(|f| f.is_some());
            // Each field given replaces that field of the stored address;
            // an address left with no field is removed.
            let address = address_given.then(|| {
                let mut addr = account.profile.address.clone().unwrap_or_default();
                let set = |field: &mut Option<String>, v: Option<String>| {
                    if let Some(v) = v {
                        *field = (!v.is_empty()).then_some(v);
                    }
                };
                set(&mut addr.street_address, a.address_street.map(|s| s.replace("\\n", "\n")));
                set(&mut addr.locality, a.address_locality);
                set(&mut addr.region, a.address_region);
                set(&mut addr.postal_code, a.address_postal_code);
                set(&mut addr.country, a.address_country);
                // A stored `formatted` would no longer match its fields.
                addr.formatted = None;
                Some(addr)
            });
            let change = ProfileChange {
                given_name: given_name.map(Some),
                family_name: family_name.map(Some),
                email: email.map(Some),
                phone_number: phone_number.map(Some),
                phone_number_verified,
                address,
            };
            let done = users::change_profile(&app, &entry.tenant, &account.profile.id, None, change, Actor::cli_from_env()).await;
            app.finish().await;
            match done {
                Ok(_) => {}
                Err(users::ChangeError::Refused(r)) => return Err(refusal(r)),
                Err(users::ChangeError::NotFound | users::ChangeError::Stale) => bail!("user '{}' changed or went away meanwhile; try again", user.username),
                Err(e @ users::ChangeError::DirectoryManaged) => bail!("user '{}': {e}", user.username),
                Err(users::ChangeError::Failed(e)) => return Err(e.into()),
            }
            let account = cx.account(&entry.tenant, &user.username).await?;
            show_user(cx, &entry.tenant, account, false).await?;
        }
        UserCommand::SetPassword { tenant, username } => {
            let tenant = cx.tenant(&tenant.tenant).await?;
            let pw = cx.read_line("password")?;
            let hash = password::hash(&pw, cx.rng)?;
            cx.store.set_password_hash(&tenant.id, &username, &hash, cx.now()).await?;
            if let Some(a) = cx.store.user_for_sign_in(&tenant.id, &username).await? {
                cx.audited(Some(&tenant.id), "user.password_set", audit::user(&a.profile.id)).await;
            }
            println!("password of {username} set");
        }
    }
    Ok(())
}

/// A refused account detail, named by its flag (`--given-name: ...`).
fn refusal(r: AccountRefusal) -> anyhow::Error {
    let hint = if matches!(r, AccountRefusal::UsernameAddress) { " (see `trame tenant set --usernames`)" } else { "" };
    anyhow!("--{}: {r}{hint}", r.field().replace('_', "-"))
}

pub async fn keys(cx: &mut Context<'_>, cmd: KeysCommand) -> Result<()> {
    match cmd {
        KeysCommand::List(ListArgs { tenant: t, json }) => {
            let tenant = cx.tenant(&t.tenant).await?;
            let keys = cx.store.list_keys(&tenant.id, cx.now()).await?;
            if json {
                for k in keys {
                    let line = serde_json::json!({
                        "kid": k.kid, "alg": k.alg.as_str(), "status": k.status.as_str(),
                        "signs_from": rfc3339(k.activates_at), "created_at": rfc3339(k.created_at),
                    });
                    println!("{line}");
                }
                return Ok(());
            }
            println!("{:<28} {:<6} {:<9} {:<22} CREATED", "KID", "ALG", "STATUS", "SIGNS FROM");
            for k in keys {
                println!("{:<28} {:<6} {:<9} {:<22} {}", k.kid, k.alg.as_str(), k.status.as_str(), rfc3339(k.activates_at), rfc3339(k.created_at));
            }
        }
        KeysCommand::Rotate { tenant, alg: a, delay } => {
            let tenant = cx.tenant(&tenant.tenant).await?;
            let now = cx.now();
            let kid = match trame_app::keys::rotate(cx.store, &tenant, alg(a), delay, now, Actor::cli_from_env()).await {
                Err(trame_app::keys::RotateError::Delay) => bail!("--delay must be between 0 and {} seconds", trame_app::keys::MAX_DELAY),
                r => r?,
            };
            println!("new {} key {kid}, signing from {}", alg(a).as_str(), rfc3339(now + delay));
        }
    }
    Ok(())
}

async fn show_user(cx: &Context<'_>, tenant: &Tenant, account: Account, json: bool) -> Result<()> {
    let u = &account.profile;
    let passkeys = cx.store.passkeys_of(&tenant.id, &u.id).await?;
    let sessions = cx.store.account_sessions(&tenant.id, &u.id, cx.now()).await?;
    let address = u.address.as_ref().map(|a| serde_json::to_value(a).expect("an address serializes"));
    let out = serde_json::json!({
        "id": u.id,
        "username": u.username,
        "email": u.email,
        "email_verified": u.email_verified,
        "given_name": u.given_name,
        "family_name": u.family_name,
        "phone_number": u.phone_number,
        "phone_number_verified": u.phone_number_verified,
        "address": address,
        "updated_at": rfc3339(u.updated_at),
        "disabled_at": account.disabled_at.map(rfc3339),
        "password": account.password_hash.is_some(),
        "totp": account.has_totp,
        "passkeys": passkeys.iter().map(|p| serde_json::json!({"name": p.name, "created_at": rfc3339(p.created_at), "last_used_at": p.last_used_at.map(rfc3339)})).collect::<Vec<_>>(),
        "sessions": sessions.iter().map(|s| serde_json::json!({"device": s.label, "started_at": rfc3339(s.created_at), "expires_at": rfc3339(s.expires_at)})).collect::<Vec<_>>(),
    });
    if json {
        println!("{out}");
        return Ok(());
    }
    println!("user {} (id {})", u.username, u.id);
    println!("  state: {}", account.disabled_at.map_or_else(|| "enabled".to_owned(), |t| format!("disabled since {}", rfc3339(t))));
    let email = u.email.as_deref().map(|e| format!("{e}{}", if u.email_verified { " (verified)" } else { "" }));
    for (label, value) in [
        ("e-mail", email),
        ("given name", u.given_name.clone()),
        ("family name", u.family_name.clone()),
        ("phone", u.phone_number.as_deref().map(|p| format!("{p}{}", if u.phone_number_verified { " (verified)" } else { "" }))),
        ("address", address.map(|a| a.to_string())),
    ] {
        if let Some(v) = value {
            println!("  {label}: {v}");
        }
    }
    println!("  password: {}, TOTP: {}, passkeys: {}", yes_no(account.password_hash.is_some()), yes_no(account.has_totp), passkeys.len());
    for p in &passkeys {
        println!("    - {} (added {})", p.name, rfc3339(p.created_at));
    }
    println!("  sessions: {}", sessions.len());
    for s in &sessions {
        println!("    - {} since {}", s.label, rfc3339(s.created_at));
    }
    Ok(())
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

pub async fn audit(cx: &mut Context<'_>, cmd: AuditCommand) -> Result<()> {
    let AuditCommand::List { tenant, since, user, action, limit, json } = cmd;
    let tenant = match tenant {
        Some(slug) => Some(cx.tenant(&slug).await?),
        None => None,
    };
    let subject = match (&tenant, user) {
        (Some(t), Some(username)) => Some(audit::user(&cx.account(t, &username).await?.profile.id)),
        _ => None,
    };
    if !(1..=1000).contains(&limit) {
        bail!("--limit must be 1 to 1000");
    }
    let since = since.map(|s| parse_time(&s)).transpose().map_err(|e| anyhow!("--since: {e}"))?;
    let q = AuditQuery { tenant_id: tenant.as_ref().map(|t| t.id.clone()), subject, action, since, limit, ..AuditQuery::default() };
    let events = cx.store.audit_events(&q).await?;
    let slugs: std::collections::HashMap<String, String> = cx.store.list_tenants().await?.into_iter().map(|t| (t.id, t.slug.to_string())).collect();
    for e in events {
        let tenant = e.tenant_id.as_ref().and_then(|id| slugs.get(id)).cloned();
        if json {
            let line = serde_json::json!({
                "id": e.id, "at": rfc3339(e.at), "tenant": tenant, "actor": e.actor, "action": e.action,
                "target": e.target, "outcome": e.outcome, "address": e.address, "detail": e.detail,
            });
            println!("{line}");
        } else {
            println!(
                "{}  {:<12} {:<24} {:<22} {:<44} {}{}",
                rfc3339(e.at),
                tenant.unwrap_or_else(|| "-".to_owned()),
                e.actor,
                e.action,
                e.target.unwrap_or_else(|| "-".to_owned()),
                e.outcome,
                e.address.map(|a| format!(" from {a}")).unwrap_or_default()
            );
        }
    }
    Ok(())
}

pub async fn admin(cx: &mut Context<'_>, cmd: AdminCommand) -> Result<()> {
    use trame_app::admin::{self, Role};
    let role_of = |r: RoleArg| match r {
        RoleArg::Operator => Role::Operator,
        RoleArg::TenantAdmin => Role::TenantAdmin,
        RoleArg::Auditor => Role::Auditor,
    };
    match cmd {
        AdminCommand::Grant { holder, tenant, role } => {
            let t = cx.tenant(&tenant.tenant).await?;
            let new = admin::grant(cx.store, &t, holder_of(&holder), role_of(role), cx.now(), Actor::cli_from_env()).await?;
            let who = holder.username.as_deref().or(holder.client.as_deref()).unwrap_or_default();
            let role = role_of(role).as_str();
            println!("{}", if new { format!("{who} is now {role} ({})", t.slug) } else { format!("{who} was already {role} ({})", t.slug) });
        }
        AdminCommand::Revoke { holder, tenant, role } => {
            let t = cx.tenant(&tenant.tenant).await?;
            let gone = admin::revoke(cx.store, &t, holder_of(&holder), role_of(role), cx.now(), Actor::cli_from_env()).await?;
            let who = holder.username.as_deref().or(holder.client.as_deref()).unwrap_or_default();
            let role = role_of(role).as_str();
            println!("{}", if gone { format!("{who} is no longer {role} ({})", t.slug) } else { format!("{who} was not {role} ({})", t.slug) });
        }
        AdminCommand::List { tenant, json } => {
            let only = match tenant {
                Some(slug) => Some(cx.tenant(&slug).await?),
                None => None,
            };
            let tenants: std::collections::HashMap<String, String> = cx.store.list_tenants().await?.into_iter().map(|t| (t.id, t.slug.to_string())).collect();
            for g in admin::list(cx.store, only.as_ref().map(|t| t.id.as_str())).await? {
                let slug = tenants.get(&g.tenant_id).cloned().unwrap_or_default();
                // People are named by username, as in the other commands.
                let who = match g.principal.strip_prefix("user:") {
                    Some(id) => cx.store.account(&g.tenant_id, id).await?.map(|a| a.profile.username).unwrap_or_else(|| g.principal.clone()),
                    None => g.principal.clone(),
                };
                if json {
                    println!(
                        "{}",
                        serde_json::json!({ "tenant": slug, "holder": who, "principal": g.principal, "role": g.role, "granted_at": rfc3339(g.granted_at) })
                    );
                } else {
                    println!("{slug:<16} {:<14} {who}", g.role);
                }
            }
        }
        AdminCommand::Openapi { tenant } => {
            let t = cx.tenant(&tenant.tenant).await?;
            println!("{}", serde_json::to_string_pretty(&trame_web::admin_api_document(t.issuer.as_str(), &t.display_name))?);
        }
    }
    Ok(())
}

/// The account or client named on the command line (clap requires one).
fn holder_of(h: &HolderArg) -> trame_app::admin::Holder<'_> {
    use trame_app::admin::Holder;
    match (&h.username, &h.client) {
        (Some(u), _) => Holder::Username(u.as_str()),
        (None, Some(c)) => Holder::Client(c.as_str()),
        (None, None) => Holder::Username(""),
    }
}

/// A day (`2026-12-01`, midnight UTC) or an RFC 3339 time, as Unix seconds.
fn parse_time(s: &str) -> Result<i64, String> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t.unix_timestamp());
    }
    let day = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &day)
        .map(|d| d.midnight().assume_utc().unix_timestamp())
        .map_err(|_| format!("'{s}' is neither a day (2026-12-01) nor an RFC 3339 time"))
}

pub(crate) fn rfc3339(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

fn print_tenant_settings(t: &trame_core::tenant::Tenant) {
    let s = &t.settings;
    println!(
        "tenant {}: registration {}, counter policy {}, acr rules {}, dynamic registration {} (pkce {}), credential upgrade {}, usernames {}, default subject type {}, time zone {}",
        t.slug,
        s.registration,
        s.counter_policy,
        s.acr_policy.to_rules().join(" "),
        s.dynamic_registration,
        s.dynamic_client_pkce,
        s.credential_upgrade,
        s.usernames,
        s.default_subject_type.as_str(),
        s.time_zone,
    );
    let b = &t.branding;
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_owned());
    println!(
        "branding: display name {}, logo {}, primary colour {}, legal notice {}, personal data {}, accessibility {} ({}), contact {}, site {}",
        t.display_name,
        b.logo.as_ref().map_or("none", |l| l.kind.content_type()),
        b.primary_color.map_or_else(|| "default".to_owned(), |c| c.to_string()),
        or_none(&b.legal_notice_url),
        or_none(&b.privacy_url),
        b.accessibility_status.as_str(),
        or_none(&b.accessibility_url),
        or_none(&b.contact_url),
        or_none(&b.service_url),
    );
}

/// `trame tenant set`'s branding options, checked (the logo read and
/// checked too), each refusal naming its option.
fn branding_change(a: &crate::cli::BrandingArgs) -> anyhow::Result<(branding::CheckedChange, branding::LogoChange)> {
    let change = branding::BrandingChange {
        primary_color: a.primary_color.clone(),
        legal_notice_url: a.legal_notice_url.clone(),
        privacy_url: a.privacy_url.clone(),
        accessibility_url: a.accessibility_url.clone(),
        accessibility_status: a.accessibility_status.clone(),
        contact_url: a.contact_url.clone(),
        service_url: a.service_url.clone(),
    };
    let checked = change.check().map_err(|refused| {
        let e = refused.first();
        let option = match e {
            trame_core::branding::BrandingRefusal::Url { field, .. } => field.replace('_', "-"),
            trame_core::branding::BrandingRefusal::AccessibilityStatus(_) => "accessibility-status".to_owned(),
            _ => "primary-color".to_owned(),
        };
        anyhow!("--{option}: {e}")
    })?;
    let logo = match (&a.logo_file, a.no_logo) {
        (Some(path), _) => {
            let meta = std::fs::metadata(path).map_err(|e| anyhow!("--logo-file {}: {e}", path.display()))?;
            if meta.len() > branding::MAX_LOGO_BYTES as u64 {
                bail!("--logo-file {}: {}", path.display(), branding::LogoRefusal::TooLarge);
            }
            let bytes = std::fs::read(path).map_err(|e| anyhow!("--logo-file {}: {e}", path.display()))?;
            branding::LogoChange::Set(branding::check_logo(&bytes).map_err(|e| anyhow!("--logo-file {}: {e}", path.display()))?)
        }
        (None, true) => branding::LogoChange::Remove,
        (None, false) => branding::LogoChange::Keep,
    };
    Ok((checked, logo))
}
