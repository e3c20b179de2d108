//! Migrations: none pending after migrate, and migrating again changes
//! nothing.

use crate::common::*;

backend_test!(migrate_is_complete_and_idempotent(be, b) {
    let s = &be.store;
    assert!(s.pending_migrations().await.unwrap().is_empty(), "{b}");
    let t = tenant(s, "ville-a").await;
    let v = s.catalog_version().await.unwrap();
    let conn = raw(&be.db).await;
    let applied = query_strings(&conn, "SELECT version FROM seaql_migrations ORDER BY version", 1).await;
    assert_eq!(applied, [["m0001_foundation"], ["m0002_passkeys"], ["m0003_client_metadata"], ["m0004_dynamic_clients"], ["m0005_federation"], ["m0006_federation_clients"], ["m0007_peer_sign_in"], ["m0008_durable_revocations"], ["m0009_credential_binding"], ["m0010_contact"], ["m0011_audit"], ["m0012_admin"], ["m0013_tenant_issuer"], ["m0014_branding"], ["m0015_transparency"], ["m0016_time_zone"], ["m0017_cas"], ["m0018_directories"]], "{b}");

    s.migrate().await.unwrap();
    s.migrate().await.unwrap();
    assert!(s.pending_migrations().await.unwrap().is_empty(), "{b}");
    assert_eq!(query_strings(&conn, "SELECT version FROM seaql_migrations ORDER BY version", 1).await, applied, "{b}: nothing re-applied");
    assert_eq!(s.catalog_version().await.unwrap(), v, "{b}: the catalog row is not reset");
    assert_eq!(s.list_tenants().await.unwrap().len(), 1, "{b}: data kept");
    assert_eq!(s.list_keys(&t.id, T0).await.unwrap().len(), 1, "{b}");

    // A second store opening the same database (it migrates on open) also changes nothing.
    let again = be.db.store().await;
    assert!(again.pending_migrations().await.unwrap().is_empty(), "{b}");
    assert_eq!(again.list_tenants().await.unwrap()[0].id, t.id, "{b}");
});

backend_test!(fresh_database_starts_empty(be, b) {
    let s = &be.store;
    assert!(s.list_tenants().await.unwrap().is_empty(), "{b}");
    assert_eq!(s.catalog_version().await.unwrap(), 1, "{b}: the catalog version row exists from the start");
    assert_eq!(s.next_key_event(T0).await.unwrap(), None, "{b}");
    s.ping().await.unwrap();
    be.ephemeral.ping().await.unwrap();
});
