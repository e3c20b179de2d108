//! Tenants: creation, listing, lookup by slug, conflicts without partial
//! writes, and the catalog version.

use crate::common::*;
use trame_core::branding::{AccessibilityStatus, Branding, LogoKind, LogoRef};
use trame_store::{StoreError, TenantChange};

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

/// Every table that holds rows of a tenant, by its `tenant_id` column.
const TENANT_TABLES: [&str; 22] = [
    "users",
    "passkeys",
    "recovery_codes",
    "account_sessions",
    "invitations",
    "clients",
    "signing_keys",
    "consents",
    "grants",
    "initial_access_tokens",
    "logout_deliveries",
    "federation_keys",
    "federation_subordinates",
    "trust_marks",
    "federated_identities",
    "cas_service_sessions",
    "directories",
    "admin_roles",
    "audit_events",
    "tenant_logos",
    "usage_counts",
    "usage_services",
];

/// A tenant with a row in most of its tables: an account with a passkey
/// and recovery codes, a role, a client, a grant with a refresh token, a
/// consent, an invitation, an initial access token, audit records.
async fn populated(s: &trame_store::Store, name: &str) -> trame_core::tenant::Tenant {
    use trame_store::{NewAuditEvent, NewUser, Outcome};
    let t = tenant(s, name).await;
    let u = s
        .create_user_with_passkey(
            &t.id,
            NewUser { username: "camille".into(), ..NewUser::default() },
            crate::accounts::key(format!("cred-{name}").as_bytes()),
            &[format!("{name}-1"), format!("{name}-2")],
            None,
            T0,
        )
        .await
        .unwrap();
    s.grant_role(&t.id, &format!("user:{}", u.id), "tenant-admin", T0).await.unwrap();
    s.create_client(&t.id, client("app"), T0).await.unwrap();
    let g = s.create_grant(grant(&t.id, "app", &u.id, T0 + 86_400), T0).await.unwrap();
    s.add_refresh_token(&g.id, &d(&format!("rt-{name}")), T0, T0 + 86_400).await.unwrap();
    s.save_consent(&t.id, &u.id, "app", "openid", T0).await.unwrap();
    let cas = trame_store::CasServiceSession {
        tenant_id: t.id.clone(),
        user_id: u.id.clone(),
        sid: "sid-1".into(),
        client_id: "app".into(),
        service: "https://app.example/".into(),
        ticket: format!("ST-{name}"),
        created_at: T0,
    };
    s.record_cas_service_session(&cas).await.unwrap();
    s.add_directory(&t.id, "agents", &crate::directories::settings(), "service-secret", T0).await.unwrap();
    s.create_invitation(&t.id, &format!("inv-{name}"), None, T0 + 100, T0).await.unwrap();
    s.create_initial_access_token(&t.id, &format!("iat-{name}"), T0 + 100, None, T0).await.unwrap();
    let event = |tenant_id: Option<&str>| NewAuditEvent {
        tenant_id: tenant_id.map(str::to_owned),
        at: T0,
        actor: "cli:root".into(),
        action: "user.created".into(),
        target: Some(format!("user:{}", u.id)),
        outcome: Outcome::Success,
        address: None,
        detail: None,
    };
    s.record_audit(event(Some(&t.id))).await.unwrap();
    s.record_audit(event(None)).await.unwrap();
    let logo = LogoRef { kind: LogoKind::Png, digest: format!("logo-{name}") };
    s.set_tenant_branding(name, None, Branding::clone, Some(Some((logo, b"png bytes".as_slice())))).await.unwrap();
    let usage = trame_store::UsageBatch {
        counts: vec![trame_store::UsageCount { tenant_id: t.id.clone(), day: 20_000, counter: "sign_in.passkey".into(), count: 3 }],
        services: vec![trame_store::ServedService { tenant_id: t.id.clone(), day: 20_000, client_id: "app".into() }],
        hosts: vec![],
    };
    s.add_usage(&usage).await.unwrap();
    t
}

backend_test!(removing_a_tenant_leaves_no_row_of_it_and_touches_no_other(be, b) {
    let s = &be.store;
    let gone = populated(s, "ville-a").await;
    let kept = populated(s, "ville-b").await;
    let conn = raw(&be.db).await;
    let count = |table: &str, tenant_id: &str| format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = '{tenant_id}'");
    let mut before = Vec::new();
    for table in TENANT_TABLES {
        before.push(query_i64(&conn, &count(table, &kept.id)).await);
    }
    for table in ["users", "passkeys", "recovery_codes", "clients", "signing_keys", "consents", "grants", "cas_service_sessions", "directories", "admin_roles", "audit_events", "federation_keys", "tenant_logos", "usage_counts", "usage_services"] {
        assert!(query_i64(&conn, &count(table, &gone.id)).await > 0, "{b}: the test fills {table}");
    }
    let refresh = "SELECT COUNT(*) FROM refresh_tokens";
    assert_eq!(query_i64(&conn, refresh).await, 2, "{b}");
    let installation = "SELECT COUNT(*) FROM audit_events WHERE tenant_id IS NULL";
    let installation_before = query_i64(&conn, installation).await;
    let v = s.catalog_version().await.unwrap();

    assert!(s.remove_tenant(&gone.id).await.unwrap(), "{b}");
    for table in TENANT_TABLES {
        assert_eq!(query_i64(&conn, &count(table, &gone.id)).await, 0, "{b}: a row of the removed tenant is left in {table}");
    }
    assert_eq!(query_i64(&conn, &format!("SELECT COUNT(*) FROM tenants WHERE id = '{}'", gone.id)).await, 0, "{b}");
    assert_eq!(query_i64(&conn, refresh).await, 1, "{b}: its grants' refresh tokens went with them");
    for (table, n) in TENANT_TABLES.iter().zip(before) {
        assert_eq!(query_i64(&conn, &count(table, &kept.id)).await, n, "{b}: the other tenant's {table}");
    }
    assert_eq!(query_i64(&conn, installation).await, installation_before, "{b}: installation records stay");
    assert!(s.refresh_token_grant(&d("rt-ville-b"), T0 + 1).await.unwrap().is_some(), "{b}: the other tenant's tokens still work");
    assert!(s.catalog_version().await.unwrap() > v, "{b}: running nodes drop it from their catalog");
    assert!(s.tenant_by_slug("ville-a").await.unwrap().is_none(), "{b}");
    assert!(!s.remove_tenant(&gone.id).await.unwrap(), "{b}: nothing left to remove");
    // Its slug and issuer can be used again.
    tenant(s, "ville-a").await;
});

backend_test!(tenant_identity_and_the_issuer_that_follows_public_url(be, b) {
    let s = &be.store;
    let a = tenant(s, "ville-a").await;
    tenant(s, "ville-b").await;
    assert!(!s.issuer_is_explicit("ville-a").await.unwrap(), "{b}");
    let moved = s.follow_issuer("ville-a", &issuer("https://new.example")).await.unwrap().expect("moved");
    assert_eq!((moved.id.as_str(), moved.issuer.as_str()), (a.id.as_str(), "https://new.example"), "{b}");
    assert!(s.follow_issuer("ville-a", &issuer("https://new.example")).await.unwrap().is_none(), "{b}: already there");
    let e = s.follow_issuer("ville-a", &issuer("https://ville-b.example")).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: another tenant's issuer: {e:?}");

    let t = s.set_tenant_identity("ville-a", TenantChange { issuer: Some(&issuer("https://login.ville-a.fr")), display_name: Some("Ville A"), time_zone: None }).await.unwrap();
    assert_eq!((t.issuer.as_str(), t.display_name.as_str()), ("https://login.ville-a.fr", "Ville A"), "{b}");
    assert!(s.issuer_is_explicit("ville-a").await.unwrap(), "{b}");
    assert!(s.follow_issuer("ville-a", &issuer("https://new.example")).await.unwrap().is_none(), "{b}: an explicit issuer stays");
    assert_eq!(s.tenant_by_slug("ville-a").await.unwrap().unwrap().issuer.as_str(), "https://login.ville-a.fr", "{b}");
    let e = s.set_tenant_identity("ville-a", TenantChange { issuer: Some(&issuer("https://ville-b.example")), ..TenantChange::default() }).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: {e:?}");
    let t = s.set_tenant_identity("ville-b", TenantChange { display_name: Some("Ville B"), ..TenantChange::default() }).await.unwrap();
    assert!(!s.issuer_is_explicit("ville-b").await.unwrap() && t.issuer.as_str() == "https://ville-b.example", "{b}: a name alone leaves the issuer");
});

backend_test!(counts_of_a_page_of_tenants(be, b) {
    let s = &be.store;
    let (a, c, empty) = (tenant(s, "ville-a").await, tenant(s, "ville-c").await, tenant(s, "ville-e").await);
    for i in 0..7 {
        s.create_user(&a.id, trame_store::NewUser { username: format!("a{i}"), ..Default::default() }, T0).await.unwrap();
    }
    for i in 0..3 {
        s.create_user(&c.id, trame_store::NewUser { username: format!("c{i}"), ..Default::default() }, T0).await.unwrap();
    }
    s.create_client(&c.id, client("one"), T0).await.unwrap();
    s.create_client(&c.id, client("two"), T0).await.unwrap();
    let ids = vec![a.id.clone(), c.id.clone(), empty.id.clone(), "no-such-tenant".to_owned()];
    let counts = s.tenant_counts(&ids, 5).await.unwrap();
    let got = |id: &str| counts[id];
    assert_eq!((got(&a.id).users, got(&a.id).users_capped, got(&a.id).clients), (5, true, 0), "{b}: accounts counted up to the cap");
    assert_eq!((got(&c.id).users, got(&c.id).users_capped, got(&c.id).clients), (3, false, 2), "{b}");
    assert_eq!(got(&empty.id), trame_store::TenantCounts::default(), "{b}");
    assert_eq!(got("no-such-tenant"), trame_store::TenantCounts::default(), "{b}");
    assert!(!s.tenant_counts(std::slice::from_ref(&a.id), 7).await.unwrap()[&a.id].users_capped, "{b}: exactly the cap is not more");
    assert!(s.tenant_counts(&[], 5).await.unwrap().is_empty(), "{b}");
});

backend_test!(a_conditional_identity_change_wins_once(be, b) {
    let s = &be.store;
    let read = tenant(s, "ville-a").await;
    let version = s.catalog_version().await.unwrap();
    // Eight writers from the same reading, as administrators on several
    // nodes: exactly one finds what it read.
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(8));
    let tasks: Vec<_> = (0..8)
        .map(|n| {
            let (store, read, start) = (s.clone(), read.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                let name = format!("Ville {n}");
                store.set_tenant_identity_if("ville-a", TenantChange { display_name: Some(&name), ..TenantChange::default() }, &read).await.unwrap().is_some()
            })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        wins += usize::from(task.await.unwrap());
    }
    assert_eq!(wins, 1, "{b}: one write");
    assert!(s.catalog_version().await.unwrap() > version, "{b}: every node reloads");
    let now = s.tenant_by_slug("ville-a").await.unwrap().unwrap();
    assert!(now.display_name.starts_with("Ville "), "{b}");
    // From the current reading it applies, the issuer with it (explicit).
    let t = s.set_tenant_identity_if("ville-a", TenantChange { issuer: Some(&issuer("https://login.ville-a.fr")), ..TenantChange::default() }, &now).await.unwrap().unwrap();
    assert_eq!((t.issuer.as_str(), t.display_name.as_str()), ("https://login.ville-a.fr", now.display_name.as_str()), "{b}");
    assert!(s.issuer_is_explicit("ville-a").await.unwrap(), "{b}");
    tenant(s, "ville-b").await;
    let e = s.set_tenant_identity_if("ville-a", TenantChange { issuer: Some(&issuer("https://ville-b.example")), ..TenantChange::default() }, &t).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: another tenant's issuer: {e:?}");
    assert!(s.set_tenant_identity_if("nowhere", TenantChange { display_name: Some("x"), ..TenantChange::default() }, &t).await.unwrap().is_none(), "{b}");
    // The time zone is part of what was read: a change of it since is a
    // lost race, and from the current reading it applies.
    let reunion: trame_core::tenant::TimeZoneName = "Indian/Reunion".parse().unwrap();
    let zoned = s.set_tenant_identity("ville-a", TenantChange { time_zone: Some(&reunion), ..TenantChange::default() }).await.unwrap();
    assert_eq!((zoned.settings.time_zone.as_str(), zoned.display_name.as_str()), ("Indian/Reunion", t.display_name.as_str()), "{b}");
    assert!(s.set_tenant_identity_if("ville-a", TenantChange { display_name: Some("y"), ..TenantChange::default() }, &t).await.unwrap().is_none(), "{b}");
    let cayenne: trame_core::tenant::TimeZoneName = "America/Cayenne".parse().unwrap();
    let t = s.set_tenant_identity_if("ville-a", TenantChange { time_zone: Some(&cayenne), ..TenantChange::default() }, &zoned).await.unwrap().unwrap();
    assert_eq!((t.settings.time_zone.as_str(), t.display_name.as_str()), ("America/Cayenne", zoned.display_name.as_str()), "{b}");
});

backend_test!(branding_is_changed_whole_or_not_at_all_and_the_logo_with_it(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    assert_eq!(t.branding, Branding::default(), "{b}");
    assert!(s.tenant_logo(&t.id).await.unwrap().is_none(), "{b}");
    let v = s.catalog_version().await.unwrap();
    let logo = LogoRef { kind: LogoKind::Svg, digest: "d1".into() };
    let partial = |b: &Branding| Branding { accessibility_status: AccessibilityStatus::Partial, ..b.clone() };
    let (id, written) = s.set_tenant_branding("ville-a", None, partial, Some(Some((logo.clone(), b"<svg/>".as_slice())))).await.unwrap().unwrap();
    assert_eq!((id.as_str(), written.logo.as_ref(), written.accessibility_status), (t.id.as_str(), Some(&logo), AccessibilityStatus::Partial), "{b}");
    assert!(s.catalog_version().await.unwrap() > v, "{b}: every node sees it");
    let stored = s.tenant_logo(&t.id).await.unwrap().unwrap();
    assert_eq!((stored.kind, stored.digest.as_str(), stored.bytes.as_slice()), (LogoKind::Svg, "d1", b"<svg/>".as_slice()), "{b}");
    assert_eq!(s.tenant_by_slug("ville-a").await.unwrap().unwrap().branding, written, "{b}: read back");

    // From a stale reading: nothing written, the logo kept.
    let full = |b: &Branding| Branding { accessibility_status: AccessibilityStatus::Full, ..b.clone() };
    assert!(s.set_tenant_branding("ville-a", Some(&Branding::default()), full, Some(None)).await.unwrap().is_none(), "{b}");
    assert_eq!(s.tenant_by_slug("ville-a").await.unwrap().unwrap().branding, written, "{b}");
    assert!(s.tenant_logo(&t.id).await.unwrap().is_some(), "{b}");
    // From the current one: written; the logo removed.
    let (_, after) = s.set_tenant_branding("ville-a", Some(&written), full, Some(None)).await.unwrap().unwrap();
    assert_eq!((after.logo, after.accessibility_status), (None, AccessibilityStatus::Full), "{b}");
    assert!(s.tenant_logo(&t.id).await.unwrap().is_none(), "{b}");
    let e = s.set_tenant_branding("nowhere", None, Branding::clone, None).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{b}: {e:?}");
});
