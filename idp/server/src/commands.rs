//! Operator commands: tenants, clients, users, keys.
//!
//! Each command validates all of its arguments before it writes anything,
//! and each write is one store call (one transaction), so a refused command
//! leaves the database as it was. Running servers pick up the change through
//! the catalog version (see `trame_web::Catalog`).

use std::io::BufRead;

use anyhow::{Context as _, Result, anyhow, bail};
use trame_core::client::{AuthMethod, GrantType, PkcePolicy};
use trame_core::crypto::{random_token, secret_digest};
use trame_core::ids::{ClientId, Issuer, RedirectUri, TenantSlug};
use trame_core::keys::Alg;
use trame_core::scope::Scopes;
use trame_core::subject::{SubjectType, sector_of_redirect};
use trame_core::assurance::AcrPolicy;
use trame_core::tenant::{Registration, Tenant};
use trame_core::{Clock, Randomness, password};
use trame_store::{NewClient, NewUser, Store};

use crate::cli::{AlgArg, AuthMethodArg, ClientAdd, ClientCommand, GrantTypeArg, KeysCommand, PkceArg, SubjectTypeArg, TenantCommand, UserCommand};
use crate::config::Config;

/// What a command needs: storage, the settings, randomness, the clock, and
/// standard input (one line for secrets and passwords).
pub struct Context<'a> {
    pub store: &'a Store,
    pub config: &'a Config,
    pub rng: &'a dyn Randomness,
    pub clock: &'a dyn Clock,
    pub stdin: &'a mut dyn BufRead,
}

/// Generated client secrets are random tokens; a secret given on stdin must
/// be as hard to guess, because it is stored as a fast digest.
const MIN_SECRET_LEN: usize = 32;

impl Context<'_> {
    fn now(&self) -> i64 {
        self.clock.now()
    }

    async fn tenant(&self, slug: &str) -> Result<Tenant> {
        self.store.tenant_by_slug(slug).await?.ok_or_else(|| anyhow!("no tenant '{slug}' (see `trame tenant list`)"))
    }

    /// One line of standard input, without its line ending.
    fn read_line(&mut self, what: &str) -> Result<String> {
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
            let slug = TenantSlug::parse(&slug)?;
            let issuer = match issuer {
                Some(i) => Issuer::parse(i.trim_end_matches('/'))?,
                None => Issuer::parse(&format!("{}/{}", cx.config.public_url, slug))?,
            };
            let name = display_name.unwrap_or_else(|| slug.to_string());
            if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
                bail!("--display-name must be 1 to 200 printable characters");
            }
            let t = cx.store.create_tenant(&slug, &issuer, name.trim(), cx.now()).await?;
            println!("tenant {}: issuer {}", t.slug, t.issuer);
        }
        TenantCommand::List => {
            println!("{:<24} {:<48} {:<12} NAME", "SLUG", "ISSUER", "SIGN-UP");
            for t in cx.store.list_tenants().await? {
                println!("{:<24} {:<48} {:<12} {}", t.slug, t.issuer, t.settings.registration, t.display_name);
            }
        }
        TenantCommand::Set { slug, registration, counter_policy, acr_rules } => {
            let t = cx.tenant(&slug).await?;
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
            let t = cx.store.set_tenant_settings(&slug, &settings).await?;
            println!(
                "tenant {}: registration {}, counter policy {}, acr rules {}",
                t.slug,
                t.settings.registration,
                t.settings.counter_policy,
                t.settings.acr_policy.to_rules().join(" ")
            );
        }
    }
    Ok(())
}

pub async fn client(cx: &mut Context<'_>, cmd: ClientCommand) -> Result<()> {
    match cmd {
        ClientCommand::Add(args) => add_client(cx, *args).await,
        ClientCommand::List(t) => {
            let tenant = cx.tenant(&t.tenant).await?;
            println!("{:<32} {:<20} {:<45} REDIRECT URIS", "CLIENT ID", "AUTH", "GRANTS");
            for c in cx.store.list_clients(&tenant.id).await? {
                let grants: Vec<&str> = c.grant_types.iter().map(|g| g.as_str()).collect();
                let uris: Vec<&str> = c.redirect_uris.iter().map(RedirectUri::as_str).collect();
                println!("{:<32} {:<20} {:<45} {}", c.id, c.auth_method.as_str(), grants.join(","), uris.join(" "));
            }
            Ok(())
        }
        ClientCommand::Remove { tenant, client_id } => {
            let tenant = cx.tenant(&tenant.tenant).await?;
            cx.store.remove_client(&tenant.id, &client_id).await?;
            println!("client {client_id} removed");
            Ok(())
        }
    }
}

async fn add_client(cx: &mut Context<'_>, a: ClientAdd) -> Result<()> {
    let tenant = cx.tenant(&a.tenant.tenant).await?;
    let client_id = ClientId::parse(&a.client_id)?;
    let auth_method = match (a.auth_method, a.public) {
        (None, true) | (Some(AuthMethodArg::None), _) => AuthMethod::None,
        (Some(_), true) => bail!("--public clients have no credentials: drop --auth-method or use --auth-method none"),
        (None, false) => AuthMethod::ClientSecretBasic,
        (Some(AuthMethodArg::ClientSecretBasic), false) => AuthMethod::ClientSecretBasic,
        (Some(AuthMethodArg::ClientSecretPost), false) => AuthMethod::ClientSecretPost,
        (Some(AuthMethodArg::PrivateKeyJwt), false) => AuthMethod::PrivateKeyJwt,
    };
    let grant_types: Vec<GrantType> = if a.grant_types.is_empty() {
        vec![GrantType::AuthorizationCode, GrantType::RefreshToken]
    } else {
        let mut g: Vec<GrantType> = Vec::new();
        for t in a.grant_types.iter().map(|t| grant_type(*t)) {
            if !g.contains(&t) {
                g.push(t);
            }
        }
        g
    };
    if auth_method == AuthMethod::None && grant_types.contains(&GrantType::ClientCredentials) {
        bail!("--grant-type client_credentials needs a confidential client (it would let anyone obtain tokens)");
    }
    let redirect_uris = parse_uris(&a.redirect_uris, "--redirect-uri")?;
    if grant_types.contains(&GrantType::AuthorizationCode) && redirect_uris.is_empty() {
        bail!("--redirect-uri is required for the authorization_code grant");
    }
    let post_logout_redirect_uris = parse_uris(&a.post_logout_redirect_uris, "--post-logout-redirect-uri")?;
    let scope_text = if a.scopes.is_empty() { "openid profile email offline_access".to_owned() } else { a.scopes.join(" ") };
    let scopes = Scopes::parse(&scope_text).map_err(|e| anyhow!("--scope: {e}"))?;
    let subject_type = match a.subject_type {
        SubjectTypeArg::Public => SubjectType::Public,
        SubjectTypeArg::Pairwise => SubjectType::Pairwise,
    };
    // OpenID Connect Core §8.1: with several redirect hosts the sector must
    // be declared; one host is its own sector.
    if subject_type == SubjectType::Pairwise {
        let mut sectors: Vec<String> = redirect_uris.iter().map(|u| sector_of_redirect(u.as_str())).collect();
        sectors.dedup();
        if sectors.len() > 1 {
            bail!("--subject-type pairwise needs all redirect URIs on one host (sector identifier URIs are not supported yet)");
        }
    }
    let pkce = match (auth_method, a.pkce) {
        (AuthMethod::None, _) | (_, PkceArg::Required) => PkcePolicy::Required,
        (_, PkceArg::Optional) => PkcePolicy::Optional,
    };
    let jwks = match &a.jwks_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("--jwks-file: cannot read {}", path.display()))?;
            let v: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("--jwks-file: {} is not JSON", path.display()))?;
            let Some(keys) = v.get("keys").and_then(serde_json::Value::as_array) else {
                bail!("--jwks-file: {} is not a JWK set (no \"keys\" array)", path.display());
            };
            // Private members of EC/OKP/RSA ("d", "p", "q"…) and symmetric keys ("k").
            const PRIVATE: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];
            if keys.iter().any(|k| PRIVATE.iter().any(|m| k.get(m).is_some())) {
                bail!("--jwks-file: {} contains a private key; give the public keys only", path.display());
            }
            Some(v)
        }
        None => None,
    };
    if let Some(uri) = &a.jwks_uri {
        let url = url::Url::parse(uri).map_err(|_| anyhow!("--jwks-uri: '{uri}' is not an absolute URL"))?;
        let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        if url.scheme() != "https" && !(url.scheme() == "http" && local) {
            bail!("--jwks-uri must be an https URL");
        }
    }
    if a.jwks_uri.is_some() && jwks.is_some() {
        bail!("give --jwks-uri or --jwks-file, not both");
    }
    if auth_method == AuthMethod::PrivateKeyJwt && a.jwks_uri.is_none() && jwks.is_none() {
        bail!("--auth-method private_key_jwt needs --jwks-uri or --jwks-file");
    }
    let secret = if auth_method.uses_secret() {
        if a.secret_stdin {
            let s = cx.read_line("client secret")?;
            if s.chars().count() < MIN_SECRET_LEN {
                bail!("the client secret must be at least {MIN_SECRET_LEN} characters");
            }
            Some((s, false))
        } else {
            Some((random_token(cx.rng), true))
        }
    } else {
        if a.secret_stdin {
            bail!("--secret-stdin is only for client_secret_basic and client_secret_post clients");
        }
        None
    };
    let new = NewClient {
        client_id,
        name: a.name,
        secret_digest: secret.as_ref().map(|(s, _)| secret_digest(s)),
        auth_method,
        redirect_uris,
        post_logout_redirect_uris,
        grant_types,
        scopes,
        subject_type,
        sector_identifier: None,
        pkce,
        skip_consent: a.skip_consent,
        id_token_alg: alg(a.id_token_alg),
        userinfo_alg: a.userinfo_alg.map(alg),
        jwks_uri: a.jwks_uri,
        jwks,
    };
    let c = cx.store.create_client(&tenant.id, new, cx.now()).await?;
    println!("client_id: {}", c.id);
    println!("auth_method: {}", c.auth_method.as_str());
    if let Some((s, true)) = secret {
        println!("client_secret: {s}");
        eprintln!("The client secret is shown only this once; Trame keeps only a digest of it.");
    }
    Ok(())
}

fn parse_uris(uris: &[String], flag: &str) -> Result<Vec<RedirectUri>> {
    let mut out: Vec<RedirectUri> = Vec::new();
    for u in uris {
        let uri = RedirectUri::parse(u).map_err(|e| anyhow!("{flag}: {e}"))?;
        if !out.contains(&uri) {
            out.push(uri);
        }
    }
    Ok(out)
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

fn check_text(flag: &str, value: &Option<String>, max: usize) -> Result<()> {
    if let Some(v) = value
        && (v.trim().is_empty() || v.chars().count() > max || v.chars().any(char::is_control))
    {
        bail!("{flag} must be 1 to {max} printable characters");
    }
    Ok(())
}

pub async fn user(cx: &mut Context<'_>, cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add { tenant, username, email, given_name, family_name, password_stdin } => {
            let tenant = cx.tenant(&tenant.tenant).await?;
            check_text("--username", &Some(username.clone()), 254)?;
            if username.trim() != username {
                bail!("--username must not start or end with spaces");
            }
            check_text("--email", &email, 254)?;
            if let Some(e) = &email
                && !is_plausible_email(e)
            {
                bail!("--email: '{e}' is not an e-mail address");
            }
            check_text("--given-name", &given_name, 200)?;
            check_text("--family-name", &family_name, 200)?;
            let password_hash = if password_stdin {
                let pw = cx.read_line("password")?;
                Some(password::hash(&pw, cx.rng)?)
            } else {
                None
            };
            let u = cx.store.create_user(&tenant.id, NewUser { id: None, username, email, given_name, family_name, password_hash }, cx.now()).await?;
            println!("user {} created (id {})", u.username, u.id);
        }
        UserCommand::List(t) => {
            let tenant = cx.tenant(&t.tenant).await?;
            println!("{:<32} {:<36} EMAIL", "USERNAME", "ID");
            for u in cx.store.list_users(&tenant.id).await? {
                println!("{:<32} {:<36} {}", u.username, u.id, u.email.unwrap_or_default());
            }
        }
        UserCommand::Invite { tenant, email, days } => {
            let tenant = cx.tenant(&tenant.tenant).await?;
            check_text("--email", &email, 254)?;
            if let Some(e) = &email
                && !is_plausible_email(e)
            {
                bail!("--email: '{e}' is not an e-mail address");
            }
            if !(1..=90).contains(&days) {
                bail!("--days must be 1 to 90");
            }
            if tenant.settings.registration != Registration::Invite {
                eprintln!("note: tenant {} has registration '{}'; the link works only with 'invite' (trame tenant set {} --registration invite)", tenant.slug, tenant.settings.registration, tenant.slug);
            }
            let token = random_token(cx.rng);
            let now = cx.now();
            cx.store.create_invitation(&tenant.id, &secret_digest(&token), email.as_deref(), now + i64::from(days) * 86_400, now).await?;
            println!("{}", tenant.issuer.endpoint(&format!("/signup?invitation={token}")));
        }
        UserCommand::SetPassword { tenant, username } => {
            let tenant = cx.tenant(&tenant.tenant).await?;
            let pw = cx.read_line("password")?;
            let hash = password::hash(&pw, cx.rng)?;
            cx.store.set_password_hash(&tenant.id, &username, &hash, cx.now()).await?;
            println!("password of {username} set");
        }
    }
    Ok(())
}

/// Syntax only (one `@`, a dotted domain): whether the address works is for
/// the verification mail to find out.
fn is_plausible_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.contains('@') && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !e.contains(char::is_whitespace),
        None => false,
    }
}

pub async fn keys(cx: &mut Context<'_>, cmd: KeysCommand) -> Result<()> {
    match cmd {
        KeysCommand::List(t) => {
            let tenant = cx.tenant(&t.tenant).await?;
            println!("{:<28} {:<6} {:<9} {:<22} CREATED", "KID", "ALG", "STATUS", "SIGNS FROM");
            for k in cx.store.list_keys(&tenant.id, cx.now()).await? {
                println!("{:<28} {:<6} {:<9} {:<22} {}", k.kid, k.alg.as_str(), k.status.as_str(), rfc3339(k.activates_at), rfc3339(k.created_at));
            }
        }
        KeysCommand::Rotate { tenant, alg: a, delay } => {
            if !(0..=30 * 24 * 3600).contains(&delay) {
                bail!("--delay must be between 0 and 2592000 seconds");
            }
            let tenant = cx.tenant(&tenant.tenant).await?;
            let now = cx.now();
            let kid = cx.store.rotate_key(&tenant.id, alg(a), now + delay, now).await?;
            println!("new {} key {kid}, signing from {}", alg(a).as_str(), rfc3339(now + delay));
        }
    }
    Ok(())
}

fn rfc3339(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::is_plausible_email;

    #[test]
    fn email_syntax() {
        assert!(is_plausible_email("alice@example.fr"));
        for bad in ["alice", "@example.fr", "a@b", "a@@b.fr", "a b@c.fr", "a@.fr", "a@fr."] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }
}
