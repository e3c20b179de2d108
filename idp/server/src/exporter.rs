//! The Prometheus exporter behind `metrics_listen`: a listener of its own,
//! apart from the public one, serving `GET /metrics` only.
//!
//! The `metrics` facade keeps its recorder in a process-wide slot: that is
//! how the web layer's `metrics::counter!` calls reach it without a handle
//! passed through every function. It is the one global Trame has, set once
//! here, when `trame serve` starts with `metrics_listen`; without it the
//! calls do nothing. Everything else (the handle that renders, the
//! listener) is passed explicitly.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::sync::watch;
use trame_web::AppState;
use trame_web::telemetry::{self, names};

/// How often histogram data is folded in (the exporter leaves this to the
/// caller when it does not run its own listener).
const UPKEEP: Duration = Duration::from_secs(5);

/// Installs the recorder. Fails if one is already installed (a second
/// `serve` in one process, which the binary never does).
pub fn install() -> Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(names::HTTP_DURATION.to_owned()), telemetry::DURATION_BUCKETS)
        .context("histogram buckets")?
        .install_recorder()
        .context("cannot install the metrics recorder")?;
    telemetry::build_info();
    Ok(handle)
}

/// Binds `addr` now (so a port in use stops the start, named by its
/// setting), then serves until `stop` turns true.
pub async fn serve(addr: SocketAddr, handle: PrometheusHandle, state: AppState, mut stop: watch::Receiver<bool>) -> Result<tokio::task::JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr} (metrics_listen)"))?;
    tracing::info!(addr = %listener.local_addr().unwrap_or(addr), "metrics listening");
    let upkeep = handle.clone();
    let render: telemetry::Render = Arc::new(move || handle.render());
    let app = telemetry::metrics_app(state, render);
    Ok(tokio::spawn(async move {
        let mut tick = tokio::time::interval(UPKEEP);
        let keep = async {
            loop {
                tick.tick().await;
                upkeep.run_upkeep();
            }
        };
        let served = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        });
        tokio::select! {
            r = served => if let Err(e) = r {
                tracing::warn!(error = %e, "the metrics listener stopped");
            },
            () = keep => {}
        }
    }))
}
