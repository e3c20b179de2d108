//! What Trame counts and times, for Prometheus.
//!
//! The web layer only records through the `metrics` facade's macros; the
//! binary decides whether anything listens (`metrics_listen`): without an
//! installed recorder every call here is a no-op. The names are the
//! exporter's contract with dashboards and alert rules
//! (`ops/observability/`, checked by `ops/validate.py` against [`names`]).
//!
//! Labels are bounded by construction: enums, route templates (never the
//! raw path), status classes. Never a user, an e-mail address, a client
//! address, a token, nor a tenant (10,000 tenants would mean 10,000 series
//! per metric).

use std::collections::HashSet;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

pub use trame_app::telemetry::*;

/// Where the innermost router writes the route template it matched, for
/// [`track_http`] (outside every router) to read: the tenant routers sit
/// behind a fallback, so the outer request never carries a `MatchedPath`.
#[derive(Clone, Default)]
struct RouteSlot(Arc<OnceLock<&'static str>>);

/// A route template as a `&'static str`, so that the labels of each request
/// are borrowed, not two `String`s made and dropped per request. Each
/// template is leaked once: they are the routers' own (about 50), never a
/// raw path, so the set is bounded.
fn interned(template: &str) -> &'static str {
    static TEMPLATES: OnceLock<RwLock<HashSet<&'static str>>> = OnceLock::new();
    let set = TEMPLATES.get_or_init(Default::default);
    if let Some(t) = set.read().unwrap_or_else(|p| p.into_inner()).get(template) {
        return t;
    }
    let mut set = set.write().unwrap_or_else(|p| p.into_inner());
    if let Some(t) = set.get(template) {
        return t;
    }
    let t: &'static str = Box::leak(template.into());
    set.insert(t);
    t
}

/// Counts and times every request; the route is `unmatched` when no route
/// template matched (unknown paths and hosts), which bounds the label.
pub async fn track_http(mut req: Request, next: Next) -> Response {
    let tracked = Tracked::start(&mut req);
    let res = next.run(req).await;
    tracked.finish(&res);
    res
}

/// One request being counted and timed ([`track_http`], or the middleware
/// around every request in [`crate::app`]).
pub struct Tracked {
    slot: RouteSlot,
    method: &'static str,
    start: Instant,
}

impl Tracked {
    /// Before the request goes in: the slot the matched route is written to.
    pub fn start(req: &mut Request) -> Self {
        let slot = RouteSlot::default();
        req.extensions_mut().insert(slot.clone());
        Self { slot, method: method_label(req.method()), start: Instant::now() }
    }

    /// Once the response is there.
    pub fn finish(self, res: &Response) {
        let elapsed = self.start.elapsed().as_secs_f64();
        let route: &'static str = self.slot.0.get().copied().unwrap_or("unmatched");
        let (method, status) = (self.method, status_class(res.status()));
        metrics::histogram!(names::HTTP_DURATION, "route" => route, "method" => method).record(elapsed);
        metrics::counter!(names::HTTP_REQUESTS, "route" => route, "method" => method, "status" => status).increment(1);
    }
}

/// A `route_layer` of each router: records the matched template. A plain
/// tower layer, not `from_fn`: that one boxed and cloned the route and its
/// future once more on every request (2,000 of the 46,000 instructions of
/// a JWKS request, callgrind).
#[derive(Clone, Copy, Default)]
pub struct StampRoute;

impl<S> tower::Layer<S> for StampRoute {
    type Service = Stamped<S>;
    fn layer(&self, inner: S) -> Stamped<S> {
        Stamped(inner)
    }
}

/// A route behind [`StampRoute`].
#[derive(Clone)]
pub struct Stamped<S>(S);

impl<S: tower::Service<Request>> tower::Service<Request> for Stamped<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> S::Future {
        if let (Some(slot), Some(path)) = (req.extensions().get::<RouteSlot>(), req.extensions().get::<MatchedPath>()) {
            let _ = slot.0.set(interned(path.as_str()));
        }
        self.0.call(req)
    }
}

/// Methods outside the standard set would be unbounded label values.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

fn status_class(s: StatusCode) -> &'static str {
    match s.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// Renders the current metrics in the Prometheus text format.
pub type Render = Arc<dyn Fn() -> String + Send + Sync>;

/// The metrics listener's application: `GET /metrics` only. Readiness is
/// checked at each scrape, so `trame_ready` is current even where no probe
/// asks `/_trame/ready` (systemd).
pub fn metrics_app(state: AppState, render: Render) -> Router {
    Router::new().route("/metrics", get(scrape)).with_state((state, render))
}

async fn scrape(State((state, render)): State<(AppState, Render)>) -> Response {
    state.readiness().await;
    let mut r = (StatusCode::OK, render()).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    r
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::routing::post;
    use tower::ServiceExt;

    use super::*;

    /// The shape of `app()`: an outer router whose fallback is a router of
    /// its own (the tenant routes), both stamping, timed outside.
    fn app() -> Router {
        let inner = Router::new()
            .route("/register/{client_id}", get(|| async { "client" }))
            .route("/token", post(|| async { StatusCode::BAD_REQUEST }))
            .route_layer(StampRoute)
            .fallback(|| async { StatusCode::NOT_FOUND });
        Router::new()
            .route("/_trame/health", get(|| async { "ok" }))
            .route_layer(StampRoute)
            .fallback_service(inner)
            .layer(axum::middleware::from_fn(track_http))
    }

    async fn send(app: &Router, method: &str, uri: &str) {
        let req = Request::builder().method(method).uri(uri).body(Body::empty()).unwrap();
        app.clone().oneshot(req).await.unwrap();
    }

    #[test]
    fn requests_are_counted_by_route_template_never_by_raw_path() {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // A recorder for this thread only: no global, tests stay apart. The
        // current-thread runtime keeps every task on this thread.
        metrics::with_local_recorder(&recorder, || {
            let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
            rt.block_on(async {
                let app = app();
                send(&app, "GET", "/register/secret-client-1").await;
                send(&app, "GET", "/register/secret-client-2").await;
                send(&app, "POST", "/token").await;
                send(&app, "GET", "/_trame/health").await;
                send(&app, "GET", "/camille@example.fr").await;
                send(&app, "BREW", "/token").await;
            });
        });
        let text = handle.render();
        for line in [
            r#"trame_http_requests_total{route="/register/{client_id}",method="GET",status="2xx"} 2"#,
            r#"trame_http_requests_total{route="/token",method="POST",status="4xx"} 1"#,
            r#"trame_http_requests_total{route="/_trame/health",method="GET",status="2xx"} 1"#,
            r#"trame_http_requests_total{route="unmatched",method="GET",status="4xx"} 1"#,
            // A known path with an unknown method: the route matched (405).
            r#"trame_http_requests_total{route="/token",method="other",status="4xx"} 1"#,
            r#"trame_http_request_duration_seconds_count{route="/register/{client_id}",method="GET"} 2"#,
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line} in:\n{text}");
        }
        for raw in ["secret-client", "camille", "BREW"] {
            assert!(!text.contains(raw), "{raw} leaked into a label:\n{text}");
        }
    }
}
