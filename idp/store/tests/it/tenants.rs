//! Tenants: creation, listing, lookup by slug, conflicts without partial
//! writes, and the catalog version.

use crate::common::*;
use trame_store::StoreError;

backend_test!(create_list_and_find_by_slug(be, b) {
    let s = &be.store;
    let v0 = s.catalog_version().await.unwrap();
    let created = s.create_tenant(&slug("ville-b"), &issuer("https://login.ville-b.fr/"), "Ville B", T0).await.unwrap();
    assert_eq!(created.slug.as_str(), "ville-b", "{b}");
    assert_eq!(created.issuer.as_str(), "https://login.ville-b.fr", "{b}: issuer without trailing slash");
    assert_eq!(created.display_name, "Ville B", "{b}");
    assert_eq!(created.pairwise_salt.len(), 32, "{b}: 256-bit pairwise salt");
    assert_eq!(s.catalog_version().await.unwrap(), v0 + 1, "{b}: creating a tenant bumps the catalog version");

    let a = tenant(s, "ville-a").await;
    assert_ne!(a.id, created.id, "{b}");
    assert_ne!(a.pairwise_salt, created.pairwise_salt, "{b}: each tenant has its own salt");
    assert_eq!(s.catalog_version().await.unwrap(), v0 + 2, "{b}");

    let list = s.list_tenants().await.unwrap();
    let slugs: Vec<&str> = list.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["ville-a", "ville-b"], "{b}: listed by slug");

    let found = s.tenant_by_slug("ville-b").await.unwrap().expect("tenant by slug");
    assert_eq!(found.id, created.id, "{b}");
    assert_eq!(found.issuer, created.issuer, "{b}");
    assert_eq!(found.display_name, created.display_name, "{b}");
    assert_eq!(found.pairwise_salt, created.pairwise_salt, "{b}: salt round-trips");
    assert!(s.tenant_by_slug("ville-c").await.unwrap().is_none(), "{b}");
    assert!(s.tenant_by_slug("VILLE-B").await.unwrap().is_none(), "{b}: slugs are exact");
});

backend_test!(duplicate_slug_or_issuer_is_a_conflict_and_writes_nothing(be, b) {
    let s = &be.store;
    let first = tenant(s, "ville-a").await;
    let conn = raw(&be.db).await;
    let keys_before = query_i64(&conn, "SELECT COUNT(*) FROM signing_keys").await;
    assert_eq!(keys_before, 1, "{b}: one key for the one tenant");
    let v = s.catalog_version().await.unwrap();

    // Same slug, other issuer.
    let e = s.create_tenant(&slug("ville-a"), &issuer("https://other.example"), "Other", T0 + 1).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: duplicate slug gave {e:?}");
    // Other slug, same issuer (the issuer is normalised without its trailing slash).
    let e = s.create_tenant(&slug("ville-z"), &issuer("https://ville-a.example/"), "Other", T0 + 1).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: duplicate issuer gave {e:?}");

    assert_eq!(query_i64(&conn, "SELECT COUNT(*) FROM signing_keys").await, keys_before, "{b}: no orphan signing key");
    assert_eq!(query_i64(&conn, "SELECT COUNT(*) FROM tenants").await, 1, "{b}");
    assert_eq!(s.list_keys(&first.id, T0 + 1).await.unwrap().len(), 1, "{b}");
    assert_eq!(s.catalog_version().await.unwrap(), v, "{b}: a failed creation does not bump the catalog version");
    let list = s.list_tenants().await.unwrap();
    assert_eq!(list.len(), 1, "{b}");
    assert_eq!(list[0].issuer.as_str(), "https://ville-a.example", "{b}: the first tenant is untouched");
    assert!(s.tenant_by_slug("ville-z").await.unwrap().is_none(), "{b}");

    // The store still works after the failed transactions.
    tenant(s, "ville-z").await;
    assert_eq!(query_i64(&conn, "SELECT COUNT(*) FROM signing_keys").await, 2, "{b}");
    assert_eq!(s.catalog_version().await.unwrap(), v + 1, "{b}");
});
