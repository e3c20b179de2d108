//! `trame serve`: the HTTP(S) listener, the catalog poller, the logout
//! notification retries (and, on the same loop, the pruning of expired
//! revocations), graceful shutdown (the ephemeral entries of an embedded
//! node written last), certificate reloading, and the metrics listener when
//! `metrics_listen` is set.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;
use tokio::sync::watch;
use trame_app::mail::Mailer;
use trame_app::password_work::{self, PasswordWork};
use trame_core::{Clock, Randomness};
use trame_settings::{Config, Tls};
use trame_store::{Store, StoreError};
use trame_web::{AppState, WebConfig};

use crate::{exporter, storage};

/// How often a node checks whether the CLI or another node changed tenants,
/// clients or keys. One indexed read of one row per second per node.
const CATALOG_POLL: Duration = Duration::from_secs(1);
/// How often a node adds its transparency figures to the store: one short
/// transaction per period when it served anything, none when idle.
const USAGE_FLUSH: Duration = Duration::from_secs(10);
/// How often the themes folder is looked at for changes (names, sizes and
/// times only; it is read again when they change).
const THEMES_POLL: Duration = Duration::from_secs(2);
/// How often a node looks for back-channel logout notifications due for a
/// retry (first attempts are made at once, by the request that ends the
/// session).
const LOGOUT_DELIVERY_POLL: Duration = Duration::from_secs(2);
/// How often a node deletes the revocation records of access tokens that
/// have expired anyway. Several nodes doing it is harmless.
const REVOCATION_PRUNE: Duration = Duration::from_secs(600);
/// How often certificate files are checked for changes.
const TLS_POLL: Duration = Duration::from_secs(10);
/// In-flight requests get this long to finish on SIGTERM.
const DRAIN: Duration = Duration::from_secs(20);

pub async fn run(config: Config, store: Store, rng: Arc<dyn Randomness>, clock: Arc<dyn Clock>) -> Result<()> {
    // First, so that nothing recorded during start-up is lost.
    let metrics = config.metrics_listen.map(|addr| exporter::install().map(|h| (addr, h))).transpose()?;
    let web_config = WebConfig {
        public_url: config.public_url.clone(),
        public_authority: config.public_url.authority(),
        trusted_proxies: config.trusted_proxies.clone(),
        outbound_reach: config.outbound_reach,
        outbound_proxy: config.outbound_proxy.clone(),
        console_acr: config.console_acr.clone(),
        providers: config.providers.clone(),
        themes_dir: config.themes_dir.clone(),
    };
    tracing::info!(
        outbound_reach = trame_app::outbound::describe_policy(config.outbound_reach),
        outbound_proxy = config.outbound_proxy.as_ref().map_or_else(|| "none".to_owned(), |p| p.redacted()),
        "outbound requests"
    );
    let mailer = Mailer::from_config(&config.mail).context("cannot set up mail (smtp_url, mail_from, mail_outbox_dir)")?;
    match mailer.outbox_dir() {
        Some(dir) => tracing::info!(outbox = %dir.display(), "mail is written to files, not sent"),
        None => tracing::info!(transport = mailer.kind(), "mail"),
    }
    let password_work = PasswordWork::new(config.password_hash_concurrency, password_work::DEFAULT_MAX_WAIT);
    let ephemeral = storage::ephemeral(&config, &store).await?;
    if config.redis_url.is_none() && !config.embedded_database() {
        tracing::warn!(
            "no redis_url: sessions, pending sign-ins and codes live in this node's memory only; a restart signs everyone out and other nodes do not see them"
        );
    }
    let state = AppState::new(store.clone(), ephemeral, web_config, rng, clock.clone()).with_mailer(mailer).with_password_work(password_work);
    state.catalog.refresh(&store, clock.now()).await.context("cannot load tenants")?;

    let (stop_tx, stop_rx) = watch::channel(false);
    let metrics_task = match metrics {
        Some((addr, handle)) => Some(exporter::serve(addr, handle, state.clone(), stop_rx.clone()).await?),
        None => None,
    };
    let poller = tokio::spawn(poll_catalog(state.clone(), stop_rx.clone()));
    let retention = AuditRetention { records_days: config.audit_retention_days, address_days: config.audit_address_days };
    let deliverer = tokio::spawn(deliver_logout_notifications(state.clone(), retention, stop_rx.clone()));
    let usage = tokio::spawn(flush_usage(state.clone(), stop_rx.clone()));
    let directories = tokio::spawn(sync_directories(state.clone(), Duration::from_secs(60 * u64::from(config.directory_sync_minutes)), stop_rx.clone()));
    let themes = config.themes_dir.is_some().then(|| tokio::spawn(reload_themes(state.clone(), stop_rx.clone())));
    let handle: Handle<SocketAddr> = Handle::new();
    tokio::spawn(shutdown_on_signal(state.clone(), handle.clone(), stop_tx));

    let app = trame_web::app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let scheme = if config.tls.is_some() { "https" } else { "http" };
    let announce = {
        let handle = handle.clone();
        let state = state.clone();
        tokio::spawn(async move {
            if let Some(addr) = handle.listening().await {
                tracing::info!(%addr, scheme, tenants = state.catalog.tenant_count(), "listening");
            }
        })
    };
    let served = match &config.tls {
        None => axum_server::bind(config.listen).handle(handle).serve(app).await,
        Some(tls) => {
            let rustls = RustlsConfig::from_pem_file(&tls.cert_file, &tls.key_file)
                .await
                .with_context(|| format!("cannot load the TLS certificate and key ({} / {})", tls.cert_file.display(), tls.key_file.display()))?;
            tokio::spawn(reload_certificates(rustls.clone(), tls.clone(), stop_rx));
            axum_server::bind_rustls(config.listen, rustls).handle(handle).serve(app).await
        }
    };
    announce.abort();
    poller.abort();
    deliverer.abort();
    usage.abort();
    directories.abort();
    if let Some(t) = themes {
        t.abort();
    }
    if let Some(t) = metrics_task {
        t.abort();
    }
    // After the last request: what it changed is written before the exit.
    state.finish().await;
    served.with_context(|| format!("cannot listen on {} (listen)", config.listen))?;
    tracing::info!("stopped");
    Ok(())
}

/// Runs `work` every `period` until `stop`, for the background duties of a
/// node. A failure (a store briefly unreachable) is counted, logged once
/// with `failed` until the work succeeds again (then `recovered`), and
/// retried at the next tick: the node keeps serving meanwhile.
async fn every<F, Fut>(period: Duration, mut stop: watch::Receiver<bool>, failed: &'static str, recovered: &'static str, mut work: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), StoreError>>,
{
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        match work().await {
            Ok(()) => {
                if failing {
                    tracing::info!("{recovered}");
                    failing = false;
                }
            }
            Err(e) => {
                trame_web::telemetry::durable_error(&e);
                if !failing {
                    tracing::warn!(error = %e, "{failed}");
                }
                failing = true;
            }
        }
    }
}

/// Adds this node's transparency figures to the store every few seconds
/// (`trame_app::usage`); on failure they wait for the next flush.
async fn flush_usage(state: AppState, stop: watch::Receiver<bool>) {
    every(USAGE_FLUSH, stop, "transparency figures not written; kept for the next try", "transparency figures written again", || async {
        state.usage.flush(&state.store).await
    })
    .await
}

/// Reads the themes folder again when it changes, so a theme's change
/// shows without a restart. The walk and reads are file IO: off the
/// request workers.
async fn reload_themes(state: AppState, stop: watch::Receiver<bool>) {
    every(THEMES_POLL, stop, "themes not reloaded", "themes reloaded again", || async {
        let themes = state.themes.clone();
        if let Err(e) = tokio::task::spawn_blocking(move || themes.reload_if_changed()).await {
            tracing::error!(error = %e, "themes reload failed");
        }
        Ok(())
    })
    .await
}

/// Keeps the catalog in step with the database; on failure the node serves
/// the tenants it last read.
async fn poll_catalog(state: AppState, stop: watch::Receiver<bool>) {
    every(CATALOG_POLL, stop, "catalog refresh failed; serving the last known tenants", "catalog refresh works again", || async {
        if state.catalog.refresh(&state.store, state.now()).await? {
            tracing::info!(tenants = state.catalog.tenant_count(), "catalog reloaded");
        }
        Ok(())
    })
    .await
}

/// Checks the accounts of every tenant's directories every `period`
/// (`directory_sync_minutes`): an agent disabled or deleted in the
/// directory is disabled here and signed out. A directory that cannot
/// answer is skipped until the next round (an outage locks nobody out).
/// Several nodes doing it at once disable each account once.
async fn sync_directories(state: AppState, period: Duration, stop: watch::Receiver<bool>) {
    every(period, stop, "cannot read the directories; will retry", "the directories are readable again", || async {
        for (tenant_id, dir) in state.store.all_directories().await? {
            let Some(entry) = state.catalog.by_id(&tenant_id) else { continue };
            match trame_app::directory::sync(state.app(), &entry, &dir).await {
                Ok(r) if r.suspended > 0 => {
                    tracing::info!(tenant = %entry.tenant.slug, directory = %dir.name, checked = r.checked, disabled = r.suspended, "directory sync")
                }
                Ok(_) => {}
                Err(trame_app::directory::DirectoryError::Failed(trame_app::Error::Store(e))) => return Err(e),
                Err(e) => tracing::warn!(tenant = %entry.tenant.slug, error = %e, "directory sync skipped"),
            }
        }
        Ok(())
    })
    .await
}

/// How long the audit trail keeps records and full addresses.
#[derive(Debug, Clone, Copy)]
struct AuditRetention {
    records_days: u32,
    address_days: u32,
}

/// Retries back-channel logout notifications that failed. Several nodes
/// may run this at once: each notification is claimed before an attempt.
/// Every [`REVOCATION_PRUNE`] (and at start) it also prunes expired
/// revocations and keeps the audit trail to its retention.
async fn deliver_logout_notifications(state: AppState, retention: AuditRetention, stop: watch::Receiver<bool>) {
    let pruned: std::sync::Mutex<Option<Instant>> = std::sync::Mutex::new(None);
    every(LOGOUT_DELIVERY_POLL, stop, "cannot read the logout notification queue; will retry", "the logout notification queue is readable again", || async {
        let due = {
            let mut last = pruned.lock().unwrap_or_else(|p| p.into_inner());
            let due = last.is_none_or(|at| at.elapsed() >= REVOCATION_PRUNE);
            if due {
                *last = Some(Instant::now());
            }
            due
        };
        if due {
            prune_revocations(&state).await;
            keep_audit_to_retention(&state, retention).await;
        }
        trame_app::logout_delivery::deliver_due(&state).await.map(|_| ())
    })
    .await
}

/// Deletes revocation records past their token's expiry; a failure waits
/// for the next round (the rows only take space meanwhile).
async fn prune_revocations(state: &AppState) {
    match state.store.prune_revocations(state.now()).await {
        Ok(0) => {}
        Ok(n) => tracing::debug!(records = n, "expired revocations pruned"),
        Err(e) => {
            trame_web::telemetry::durable_error(&e);
            tracing::warn!(error = %e, "cannot prune expired revocations; will retry");
        }
    }
    // A session lives at most `SESSION` from its sign-in; one signing in
    // again keeps its sid, hence twice that before a CAS service's record
    // can no longer belong to a live session.
    let before = state.now() - 2 * trame_core::lifetimes::SESSION;
    match state.store.prune_cas_service_sessions(before).await {
        Ok(0) => {}
        Ok(n) => tracing::debug!(records = n, "CAS service sessions of expired sessions pruned"),
        Err(e) => {
            trame_web::telemetry::durable_error(&e);
            tracing::warn!(error = %e, "cannot prune CAS service sessions; will retry");
        }
    }
}

/// Purges audit records past their retention and cuts older addresses to
/// their network; a failure waits for the next round. Several nodes doing
/// it at once do the same work twice, nothing worse.
async fn keep_audit_to_retention(state: &AppState, r: AuditRetention) {
    const DAY: i64 = 86_400;
    let now = state.now();
    let kept = async {
        let purged = state.store.purge_audit(now - i64::from(r.records_days) * DAY).await?;
        let truncated = state.store.truncate_audit_addresses(now - i64::from(r.address_days) * DAY, trame_app::audit::truncated).await?;
        Ok::<_, trame_store::StoreError>((purged, truncated))
    };
    match kept.await {
        Ok((0, 0)) => {}
        Ok((purged, truncated)) => tracing::debug!(purged, truncated, "audit trail kept to its retention"),
        Err(e) => {
            trame_web::telemetry::durable_error(&e);
            tracing::warn!(error = %e, "cannot keep the audit trail to its retention; will retry");
        }
    }
}

/// SIGTERM or Ctrl-C: readiness turns 503, the listener stops accepting,
/// in-flight requests finish.
async fn shutdown_on_signal(state: AppState, handle: Handle<SocketAddr>, stop: watch::Sender<bool>) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!(drain_seconds = DRAIN.as_secs(), "shutting down: finishing in-flight requests");
    // First, so a probe on a kept-alive connection already sees it.
    state.start_draining();
    let _ = stop.send(true);
    handle.graceful_shutdown(Some(DRAIN));
}

fn modified(tls: &Tls) -> Option<(SystemTime, SystemTime)> {
    let m = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    Some((m(&tls.cert_file)?, m(&tls.key_file)?))
}

/// Reloads the certificate when its files change (a renewal by certbot or
/// an ACME client) or on SIGHUP. A broken pair is refused and the old one
/// kept.
async fn reload_certificates(config: RustlsConfig, tls: Tls, mut stop: watch::Receiver<bool>) {
    let mut last = modified(&tls);
    let mut tick = tokio::time::interval(TLS_POLL);
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    loop {
        let forced = tokio::select! {
            _ = tick.tick() => false,
            Some(()) = async { match hup.as_mut() { Some(h) => h.recv().await, None => std::future::pending().await } } => true,
            _ = stop.changed() => return,
        };
        let now = modified(&tls);
        if now.is_none() || (now == last && !forced) {
            continue;
        }
        match config.reload_from_pem_file(&tls.cert_file, &tls.key_file).await {
            Ok(()) => {
                tracing::info!("TLS certificate reloaded");
                last = now;
            }
            Err(e) => tracing::warn!(error = %e, "the new TLS certificate or key is unusable; keeping the previous one"),
        }
    }
}
