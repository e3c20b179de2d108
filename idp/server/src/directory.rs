//! `trame directory`: a tenant's LDAP directories.
//!
//! `add` checks the settings, then binds and reads the base DN before
//! storing anything, so a directory that is stored is one Trame could
//! reach when it was added.

use std::sync::Arc;

use anyhow::{Context as _, Result, anyhow, bail};
use trame_app::audit::Actor;
use trame_app::directory::{self, AddError};
use trame_core::directory::DirectoryRequest;
use trame_core::{Clock, Randomness};
use trame_store::Directory;
use zeroize::Zeroizing;

use crate::cli::{DirectoryAdd, DirectoryArg, DirectoryCommand, ListArgs};
use crate::commands::{Context, rfc3339};

pub async fn run(cx: &mut Context<'_>, cmd: DirectoryCommand, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<()> {
    match cmd {
        DirectoryCommand::Add(a) => add(cx, a, rng, clock).await,
        DirectoryCommand::List(ListArgs { tenant, json }) => {
            let tenant = cx.tenant(&tenant.tenant).await?;
            let dirs = cx.store.directories(&tenant.id).await?;
            if json {
                for d in dirs {
                    let s = &d.settings;
                    let line = serde_json::json!({
                        "name": d.name, "url": s.url, "transport": s.transport, "custom_ca": s.ca_pem.is_some(),
                        "bind_dn": s.bind_dn, "base_dn": s.base_dn, "user_filter": s.user_filter, "disabled_filter": s.disabled_filter,
                        "username_attribute": s.username_attribute, "id_attribute": s.id_attribute, "attributes": s.attributes,
                        "created_at": rfc3339(d.created_at),
                    });
                    println!("{line}");
                }
                return Ok(());
            }
            println!("{:<16} {:<40} {:<32} CREATED", "NAME", "URL", "BASE DN");
            for d in dirs {
                let url = match d.settings.transport {
                    trame_core::directory::Transport::StartTls => format!("{} (StartTLS)", d.settings.url),
                    trame_core::directory::Transport::Ldaps => d.settings.url.clone(),
                };
                println!("{:<16} {:<40} {:<32} {}", d.name, url, d.settings.base_dn, rfc3339(d.created_at));
            }
            Ok(())
        }
        DirectoryCommand::Test { directory, username } => {
            let dir = stored(cx, &directory).await?;
            let report = directory::test(&dir, username.as_deref()).await?;
            println!("directory {}: connected to {} and bound as {}", dir.name, dir.settings.host(), dir.settings.bind_dn);
            match (username, report.user) {
                (None, _) => println!("base DN {} is readable", dir.settings.base_dn),
                (Some(u), None) if report.excluded_as_disabled => bail!(
                    "'{u}' matches the user filter, but the disabled filter {} excludes it: the entry is disabled, or the server cannot evaluate that filter (an OpenLDAP without the ppolicy overlay does not know pwdAccountLockedTime: give --disabled-filter '' or one it knows)",
                    dir.settings.disabled_filter.as_deref().unwrap_or_default()
                ),
                (Some(u), None) => bail!("no active entry matches '{u}' (the user filter, without disabled entries)"),
                (Some(_), Some(p)) => {
                    println!("found: username {}", p.username);
                    for (field, value) in
                        [("given_name", &p.given_name), ("family_name", &p.family_name), ("email", &p.email), ("phone_number", &p.phone_number)]
                    {
                        println!("  {field}: {}", value.as_deref().unwrap_or("(none)"));
                    }
                }
            }
            Ok(())
        }
        DirectoryCommand::Sync { directory } => {
            let (app, entry) = cx.app_and_tenant(&directory.tenant.tenant, rng, clock).await?;
            let dir = stored(cx, &directory).await?;
            let report = directory::sync(&app, &entry, &dir).await;
            app.finish().await;
            let report = report?;
            println!("directory {}: {} account(s) checked, {} disabled", dir.name, report.checked, report.suspended);
            Ok(())
        }
        DirectoryCommand::Remove { directory } => {
            let (app, entry) = cx.app_and_tenant(&directory.tenant.tenant, rng, clock).await?;
            let removed = directory::remove(&app, &entry, &directory.name, Actor::cli_from_env()).await;
            app.finish().await;
            match removed? {
                None => bail!("no directory '{}' in tenant {} (see `trame directory list`)", directory.name, directory.tenant.tenant),
                Some(n) => println!("directory {} removed; its {n} account(s) stay, without a password (passkeys still sign them in)", directory.name),
            }
            Ok(())
        }
    }
}

async fn stored(cx: &Context<'_>, d: &DirectoryArg) -> Result<Directory> {
    let tenant = cx.tenant(&d.tenant.tenant).await?;
    cx.store
        .directory_by_name(&tenant.id, &d.name)
        .await?
        .ok_or_else(|| anyhow!("no directory '{}' in tenant {} (see `trame directory list`)", d.name, tenant.slug))
}

async fn add(cx: &mut Context<'_>, a: DirectoryAdd, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<()> {
    let ca_pem = match &a.ca_file {
        Some(path) => Some(std::fs::read_to_string(path).with_context(|| format!("cannot read --ca-file {}", path.display()))?),
        None => None,
    };
    let name = a.directory.name.clone();
    let req = DirectoryRequest {
        name: name.clone(),
        preset: a.preset.map(|p| p.as_str().to_owned()),
        url: a.url,
        starttls: a.starttls,
        ca_pem,
        bind_dn: a.bind_dn,
        base_dn: a.base_dn,
        user_filter: a.user_filter,
        disabled_filter: a.disabled_filter,
        username_attribute: a.username_attr,
        id_attribute: a.id_attr,
        attributes: a.attributes,
    };
    let settings = directory::check(req).map_err(|e| anyhow!("--{}: {}", e.field.replace('_', "-"), e.reason))?;
    let password = Zeroizing::new(cx.read_line("service account's password")?);
    // Reach it before storing it: a typo in the URL, the CA or the bind
    // DN shows now, not at an agent's first sign-in.
    let trial = Directory { id: String::new(), name: name.clone(), settings: settings.clone(), bind_password: password.clone(), created_at: 0 };
    directory::test(&trial, None).await.context("the directory was not added")?;
    let (app, entry) = cx.app_and_tenant(&a.directory.tenant.tenant, rng, clock).await?;
    let added = directory::add(&app, &entry, &name, &settings, &password, Actor::cli_from_env()).await;
    app.finish().await;
    match added {
        Ok(d) => println!("directory {} added: {} ({}), accounts under {}", d.name, d.settings.url, d.settings.host(), d.settings.base_dn),
        Err(AddError::Refused(e)) => bail!("--{}: {}", e.field.replace('_', "-"), e.reason),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
