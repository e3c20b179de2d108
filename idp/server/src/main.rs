//! The `trame` binary. Parsing, settings and logging happen here; each
//! command lives in its own module.

mod cli;
mod commands;
mod directory;
mod exporter;
mod federation;
mod i18n;
mod probe;
mod serve;
mod storage;
mod theme;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use trame_core::{Clock, OsRandom, Randomness, SystemClock};
use trame_settings::{Config, LogFormat};

use crate::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env: Vec<(String, String)> = std::env::vars().collect();
    let config = match Config::load(cli.config.as_deref(), &env) {
        Ok(c) => c,
        Err(e) => {
            if matches!(cli.command, Command::CheckConfig) {
                for p in &e.0 {
                    println!("{p}");
                }
            } else {
                eprintln!("error: {e}");
            }
            return ExitCode::FAILURE;
        }
    };
    init_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    let rng: Arc<dyn Randomness> = Arc::new(OsRandom);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match &command {
        Command::CheckConfig => return check_config(&config).await,
        // No storage: the probe only asks the server.
        Command::Probe { url } => return probe::run(&config, url.as_deref()).await,
        // Files only.
        Command::I18n(c) => return i18n::run(c, &config),
        Command::Theme(c) => return theme::run(c, &config),
        _ => {}
    }
    let (store, applied) = storage::open(&config, rng.clone(), clock.as_ref()).await?;
    storage::reconcile_default_issuer(&config, &store, matches!(command, Command::Serve)).await?;
    let stdin = std::io::stdin();
    let mut stdin = stdin.lock();
    let mut cx = commands::Context { store: &store, config: &config, rng: rng.as_ref(), clock: clock.as_ref(), stdin: &mut stdin };
    match command {
        Command::Serve => {
            drop(stdin);
            serve::run(config.clone(), store.clone(), rng.clone(), clock.clone()).await
        }
        Command::Migrate => {
            // `open` has applied whatever was pending; say what that was.
            for name in &applied {
                println!("applied {name}");
            }
            println!("database is up to date");
            Ok(())
        }
        Command::CheckConfig | Command::Probe { .. } | Command::I18n(_) | Command::Theme(_) => unreachable!("handled above"),
        Command::Tenant(c) => commands::tenant(&mut cx, c).await,
        Command::Client(c) => commands::client(&mut cx, c, rng.clone(), clock.clone()).await,
        Command::User(c) => commands::user(&mut cx, c, rng.clone(), clock.clone()).await,
        Command::Keys(c) => commands::keys(&mut cx, c).await,
        Command::Audit(c) => commands::audit(&mut cx, c).await,
        Command::Admin(c) => commands::admin(&mut cx, c).await,
        Command::Federation(c) => federation::run(&mut cx, c, rng.clone(), clock.clone()).await,
        Command::Directory(c) => directory::run(&mut cx, c, rng.clone(), clock.clone()).await,
    }
}

/// The settings parsed (or `main` would have printed the problems); check
/// that the services they name answer.
async fn check_config(config: &Config) -> anyhow::Result<()> {
    let mut problems = Vec::new();
    if !config.embedded_database() {
        let key = trame_store::MasterKey::generate(&OsRandom);
        match trame_store::Store::connect(&config.database_url, key, Arc::new(OsRandom)).await {
            Ok(s) => match s.pending_migrations().await {
                Ok(p) if !p.is_empty() => println!("database_url: reachable, {} migration(s) pending (applied by `trame migrate` or at start)", p.len()),
                Ok(_) => println!("database_url: reachable, up to date"),
                Err(e) => problems.push(format!("database_url: reachable but unreadable: {:#}", anyhow::Error::from(e))),
            },
            Err(e) => problems.push(format!("database_url: cannot connect: {:#}", anyhow::Error::from(e))),
        }
    }
    if config.redis_url.is_some() {
        match storage::redis(config) {
            Ok(e) if e.ping().await.is_ok() => println!("redis_url: reachable"),
            Ok(_) => problems.push("redis_url: does not answer PING".to_owned()),
            Err(e) => problems.push(format!("redis_url: {e:#}")),
        }
    }
    // Sign-in works without mail, so an SMTP server that does not answer is
    // reported but does not fail the check (systemd runs it before start).
    match trame_app::mail::Mailer::from_config(&config.mail) {
        Ok(m) if m.kind() == "smtp" => match m.test_connection().await {
            Ok(()) => println!("smtp_url: reachable, login accepted"),
            Err(e) => println!("smtp_url: warning: {e}; mail fails until it is fixed"),
        },
        Ok(m) => match m.outbox_dir() {
            Some(dir) => println!("mail: written as files to {} (no smtp_url)", dir.display()),
            None => println!("mail: disabled (no smtp_url, mail_outbox_dir empty)"),
        },
        Err(e) => problems.push(format!("mail: {e}")),
    }
    println!("outbound_reach: {}", trame_app::outbound::describe_policy(config.outbound_reach));
    match &config.outbound_proxy {
        Some(p) => println!("outbound_proxy: {} (names resolved and checked against the reach before they go to the proxy)", p.redacted()),
        None => println!("outbound_proxy: none (HTTPS_PROXY and the like are ignored)"),
    }
    for p in &problems {
        println!("{p}");
    }
    // What the default tenant's issuer is, which is not always public_url.
    let issuer = match storage::issuer_in_force(config).await {
        Some((issuer, why)) => {
            println!("issuer of the default tenant: {issuer} ({why})");
            issuer
        }
        None => {
            println!("issuer of the default tenant: {} (public_url)", config.public_url);
            config.public_url.to_string()
        }
    };
    if problems.is_empty() {
        println!(
            "configuration OK: listen {}, issuer {issuer}, database {}",
            config.listen,
            if config.embedded_database() { "embedded SQLite" } else { "PostgreSQL" }
        );
        Ok(())
    } else {
        std::process::exit(1)
    }
}

fn init_logging(config: &Config) {
    // The migrator and the SQL driver narrate every start at info level;
    // operators want to hear from them only when something is wrong.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("{},sea_orm_migration=warn,sqlx=warn", config.log_level)));
    // Colours only for a person at a terminal: a log file or journald gets
    // plain text, and the escape codes cost time on every request's span.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    match config.log_format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text => builder.init(),
    }
}
