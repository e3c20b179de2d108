//! What Trame counts, for Prometheus: the metric names (the exporter's
//! contract with dashboards and alert rules, `ops/observability/`, checked
//! by `ops/validate.py`) and the counters the use cases record. The HTTP
//! layer times requests on its own (`trame-web`'s telemetry).
//!
//! Everything records through the `metrics` facade's macros; the binary
//! decides whether anything listens (`metrics_listen`): without an
//! installed recorder every call here is a no-op.
//!
//! Labels are bounded by construction: enums, route templates (never the
//! raw path), status classes. Never a user, an e-mail address, a client
//! address, a token, nor a tenant (10,000 tenants would mean 10,000 series
//! per metric).

use trame_federation::chain::FetchError;
use trame_store::{EphemeralError, StoreError};

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
    /// Audit records that could not be written (counter, by `action`):
    /// the action itself went on.
    pub const AUDIT_LOST: &str = "trame_audit_records_lost_total";
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
        e if e.is_unavailable() => "unavailable",
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

/// An audit record that could not be written.
pub fn audit_lost(action: &'static str) {
    metrics::counter!(names::AUDIT_LOST, "action" => action).increment(1);
}

pub fn ephemeral_error(e: &EphemeralError) {
    let kind = match e {
        EphemeralError::Unavailable(_) => "unavailable",
        EphemeralError::NotRecorded => "unrecorded",
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

#[cfg(test)]
mod tests {
    use super::*;

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
