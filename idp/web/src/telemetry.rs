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
use trame_federation::chain::FetchError;
use trame_store::{EphemeralError, StoreError};

use crate::state::AppState;

/// Every metric name Trame emits.
pub mod names {
    /// Counter: HTTP requests by `route` (template), `method`, `status` (class).
    pub const HTTP_REQUESTS: &str = "trame_http_requests_total";
    /// Histogram (seconds): time to the response head, by `route` and `method`.
    pub const HTTP_DURATION: &str = "trame_http_request_duration_seconds";
    /// Counter: sign-in attempts by `method` and `outcome`.
    pub const SIGN_INS: &str = "trame_sign_ins_total";
    /// Counter: token responses by `grant_type`.
    pub const TOKENS_ISSUED: &str = "trame_tokens_issued_total";
    /// Counter: statements fetched from other federation entities over HTTP,
    /// by `outcome`.
    pub const FEDERATION_FETCHES: &str = "trame_federation_fetches_total";
    /// Counter: store failures by `store` (`durable`, `ephemeral`) and `kind`.
    pub const STORE_ERRORS: &str = "trame_store_errors_total";
    /// Gauge: 1 when the node is ready (as `/_trame/ready`), else 0.
    pub const READY: &str = "trame_ready";
    /// Gauge: 1 when the `store` (`durable`, `ephemeral`) answered its last check.
    pub const STORE_UP: &str = "trame_store_up";
    /// Gauge, always 1: the running `version`.
    pub const BUILD_INFO: &str = "trame_build_info";
}

/// Bucket bounds (seconds) of [`names::HTTP_DURATION`]: a discovery answer
/// takes a millisecond, a password sign-in (argon2) a few hundred, an
/// outbound fetch up to its 5 s timeout.
pub const DURATION_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// How a person tried to sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    Password,
    Totp,
    Passkey,
    RecoveryCode,
    EmailLink,
    /// At a peer provider of the federation.
    Peer,
}

impl SignInMethod {
    fn as_str(self) -> &'static str {
        match self {
            SignInMethod::Password => "password",
            SignInMethod::Totp => "totp",
            SignInMethod::Passkey => "passkey",
            SignInMethod::RecoveryCode => "recovery_code",
            SignInMethod::EmailLink => "email_link",
            SignInMethod::Peer => "peer",
        }
    }
}

/// How a sign-in attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInOutcome {
    Success,
    /// Wrong or unknown credential.
    Failure,
    /// Refused before checking: too many failures.
    Throttled,
    /// The password was right; the TOTP step follows.
    SecondFactor,
    /// Right credential, but below the level the client asked for.
    BelowLevel,
}

impl SignInOutcome {
    fn as_str(self) -> &'static str {
        match self {
            SignInOutcome::Success => "success",
            SignInOutcome::Failure => "failure",
            SignInOutcome::Throttled => "throttled",
            SignInOutcome::SecondFactor => "second_factor",
            SignInOutcome::BelowLevel => "below_level",
        }
    }
}

pub fn sign_in(method: SignInMethod, outcome: SignInOutcome) {
    metrics::counter!(names::SIGN_INS, "method" => method.as_str(), "outcome" => outcome.as_str()).increment(1);
}

/// `grant_type` is one of the token endpoint's few grant names.
pub fn tokens_issued(grant_type: &'static str) {
    metrics::counter!(names::TOKENS_ISSUED, "grant_type" => grant_type).increment(1);
}

/// Counts a statement fetched over HTTP from another federation entity
/// (`ok`, `not_found`, or `failed`: unreachable, refused, wrong media type,
/// too large), and hands the result on. Statements of this instance's own
/// tenants are read in-process and not counted.
pub fn federation_fetch<T>(result: Result<T, FetchError>) -> Result<T, FetchError> {
    let outcome = match &result {
        Ok(_) => "ok",
        Err(FetchError::NotFound) => "not_found",
        Err(FetchError::Other(_)) => "failed",
    };
    metrics::counter!(names::FEDERATION_FETCHES, "outcome" => outcome).increment(1);
    result
}

/// The kind label of a durable store failure: an outage (`unavailable`)
/// is told apart from a query that failed.
pub fn durable_error_kind(e: &StoreError) -> &'static str {
    match e {
        StoreError::Db(db) if crate::error::is_connection_error(db) => "unavailable",
        StoreError::Db(_) => "database",
        StoreError::Conflict(_) => "conflict",
        StoreError::NotFound(_) => "not_found",
        StoreError::Corrupt(_) => "corrupt",
        StoreError::Unseal => "unseal",
        StoreError::Key(_) => "key",
        StoreError::Invalid(_) => "invalid",
    }
}

pub fn durable_error(e: &StoreError) {
    metrics::counter!(names::STORE_ERRORS, "store" => "durable", "kind" => durable_error_kind(e)).increment(1);
}

pub fn ephemeral_error(e: &EphemeralError) {
    let kind = match e {
        EphemeralError::Unavailable(_) => "unavailable",
    };
    metrics::counter!(names::STORE_ERRORS, "store" => "ephemeral", "kind" => kind).increment(1);
}

/// The result of a readiness check, as gauges.
pub fn readiness(database: bool, ephemeral: bool, ready: bool) {
    metrics::gauge!(names::STORE_UP, "store" => "durable").set(f64::from(u8::from(database)));
    metrics::gauge!(names::STORE_UP, "store" => "ephemeral").set(f64::from(u8::from(ephemeral)));
    metrics::gauge!(names::READY).set(f64::from(u8::from(ready)));
}

pub fn build_info() {
    metrics::gauge!(names::BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
}

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
    crate::routes::health::check(&state).await;
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

    #[test]
    fn sign_ins_and_store_errors_have_bounded_labels() {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            sign_in(SignInMethod::Password, SignInOutcome::Failure);
            sign_in(SignInMethod::Password, SignInOutcome::Failure);
            sign_in(SignInMethod::RecoveryCode, SignInOutcome::Throttled);
            durable_error(&StoreError::Corrupt("user 42".into()));
            durable_error(&StoreError::Conflict("username camille".into()));
            let _ = federation_fetch::<()>(Err(FetchError::Other("https://rp.example/private".into())));
        });
        let text = handle.render();
        for line in [
            r#"trame_sign_ins_total{method="password",outcome="failure"} 2"#,
            r#"trame_sign_ins_total{method="recovery_code",outcome="throttled"} 1"#,
            r#"trame_store_errors_total{store="durable",kind="corrupt"} 1"#,
            r#"trame_store_errors_total{store="durable",kind="conflict"} 1"#,
            r#"trame_federation_fetches_total{outcome="failed"} 1"#,
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line} in:\n{text}");
        }
        assert!(!text.contains("42") && !text.contains("camille") && !text.contains("rp.example"), "{text}");
    }
}
