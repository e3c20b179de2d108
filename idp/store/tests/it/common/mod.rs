//! Shared helpers for the store's integration tests.
//!
//! [`backend_test!`] turns one test body into two `#[tokio::test]`s,
//! `<name>::sqlite` (SQLite + in-process ephemeral store) and
//! `<name>::postgres` (PostgreSQL + Redis), so a failure names its backend
//! and the two run in parallel.

#![allow(dead_code)]

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use trame_core::client::{AuthMethod, ClientSettings};
use trame_core::ids::{ClientId, Issuer, RedirectUri, TenantSlug};
use trame_core::tenant::Tenant;
use trame_store::{NewClient, NewGrant, RefreshOutcome, Rotation, Store};
use trame_testkit::{Backend, TestDb};

/// A fixed "now" (2023-11-14): the store takes time as an argument.
pub const T0: i64 = 1_700_000_000;

/// `backend_test!(name(be, b) { body })`: `be` is a fresh
/// [`trame_testkit::Backends`], `b` the backend's name for messages
/// (`trame_testkit::backend_test!` makes the two tests).
#[macro_export]
macro_rules! backend_test {
    ($name:ident($be:ident, $b:ident) $body:block) => {
        trame_testkit::backend_test!($name, workers = 4, |backend| async move {
            #[allow(unused_variables)]
            let $b = $crate::common::name(backend);
            #[allow(unused_mut)]
            let mut $be = trame_testkit::Backends::new(backend).await;
            $body
        });
    };
}

pub fn name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite+memory",
        Backend::Postgres => "postgres+redis",
    }
}

pub fn slug(s: &str) -> TenantSlug {
    TenantSlug::parse(s).unwrap()
}

pub fn issuer(s: &str) -> Issuer {
    Issuer::parse(s).unwrap()
}

/// A tenant `<s>` with issuer `https://<s>.example`.
pub async fn tenant(store: &Store, s: &str) -> Tenant {
    store.create_tenant(&slug(s), &issuer(&format!("https://{s}.example")), &format!("Tenant {s}"), T0).await.unwrap()
}

pub fn uri(s: &str) -> RedirectUri {
    RedirectUri::parse(s).unwrap()
}

/// A minimal public client.
pub fn client(id: &str) -> NewClient {
    NewClient {
        client_id: ClientId::parse(id).unwrap(),
        secret_digest: None,
        registration_token_digest: None,
        settings: ClientSettings { redirect_uris: vec![uri("https://rp.example/cb")], ..ClientSettings::new(AuthMethod::None) },
    }
}

pub fn grant(tenant_id: &str, client_id: &str, user_id: &str, expires_at: i64) -> NewGrant {
    NewGrant {
        tenant_id: tenant_id.to_owned(),
        client_id: client_id.to_owned(),
        user_id: user_id.to_owned(),
        scopes: "openid offline_access".to_owned(),
        claims: serde_json::json!({"userinfo": {"email": null}}),
        auth_time: T0 - 30,
        acr: "urn:trame:loa:1".to_owned(),
        amr: vec!["pwd".to_owned()],
        sid: "sid-1".to_owned(),
        expires_at,
    }
}

/// A second, raw connection to the test database, to look at rows the
/// store's API does not expose.
pub async fn raw(db: &TestDb) -> DatabaseConnection {
    Database::connect(&db.url).await.unwrap()
}

pub async fn query_i64(conn: &DatabaseConnection, sql: &str) -> i64 {
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap().expect("one row");
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Every row of `sql`, its first `cols` columns read as text.
pub async fn query_strings(conn: &DatabaseConnection, sql: &str, cols: usize) -> Vec<Vec<String>> {
    let rows = conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap();
    rows.iter().map(|r| (0..cols).map(|i| r.try_get_by_index::<String>(i).unwrap()).collect()).collect()
}

/// The digest a refresh token is stored under.
pub fn d(token: &str) -> String {
    trame_core::crypto::secret_digest(token)
}

/// Presents the refresh token `token` at `now`, with `next` as the
/// successor should it rotate, under a reuse grace of `grace` seconds.
pub async fn present(s: &Store, token: &str, next: &str, grace: i64, now: i64) -> RefreshOutcome {
    s.use_refresh_token(Rotation { presented: token, successor: next, successor_expires_at: now + 3600, reuse_grace: grace }, now).await.unwrap()
}

pub fn kind(o: &RefreshOutcome) -> &'static str {
    match o {
        RefreshOutcome::Rotated(_) => "rotated",
        RefreshOutcome::Retried { .. } => "retried",
        RefreshOutcome::Reused => "reused",
        RefreshOutcome::Invalid => "invalid",
    }
}
