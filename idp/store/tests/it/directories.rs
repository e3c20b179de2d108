//! Directories and the accounts they manage: the service password sealed
//! at rest, accounts found by the entry's lasting identifier (a rename
//! keeps them), a local account never taken over, suspension by a sync
//! lifted by the next good sign-in but never an administrator's, and
//! removal that leaves the accounts.

use crate::common::*;
use trame_core::directory::{DirectoryRequest, check};
use trame_store::{DirectoryProfile, NewUser, StoreError};

/// A directory with the OpenLDAP preset, for any test that needs one.
pub(crate) fn settings() -> trame_core::directory::DirectorySettings {
    check(DirectoryRequest {
        name: "agents".into(),
        preset: Some("openldap".into()),
        url: "ldaps://ldap.example".into(),
        bind_dn: "cn=trame,dc=example".into(),
        base_dn: "dc=example".into(),
        ..Default::default()
    })
    .unwrap()
}

fn jeanne() -> DirectoryProfile {
    DirectoryProfile {
        entry: "5f91d8d6-870a".into(),
        username: "jdupont".into(),
        given_name: Some("Jeanne".into()),
        email: Some("j@example.fr".into()),
        ..Default::default()
    }
}

backend_test!(directories_and_their_accounts(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let d = s.add_directory(&t.id, "agents", &settings(), "service-secret", T0).await.unwrap();
    assert_eq!(d.bind_password.as_str(), "service-secret", "{b}");
    assert!(matches!(s.add_directory(&t.id, "agents", &settings(), "x", T0).await, Err(StoreError::Conflict(_))), "{b}: one name per tenant");
    let conn = raw(&be.db).await;
    let stored = query_strings(&conn, "SELECT bind_password_sealed, settings FROM directories", 2).await;
    assert!(!stored[0][0].contains("service-secret") && !stored[0][1].contains("service-secret"), "{b}: sealed at rest");
    let listed = s.directories(&t.id).await.unwrap();
    assert_eq!(listed.len(), 1, "{b}");
    assert_eq!(listed[0].settings, settings(), "{b}");
    assert!(!format!("{:?}", listed[0]).contains("service-secret"), "{b}: not in Debug");

    // First sign-in makes the account; a rename in the directory keeps it.
    let a = s.upsert_directory_account(&t.id, &d.id, &jeanne(), T0).await.unwrap();
    assert_eq!((a.directory_id.as_deref(), a.password_hash.as_deref()), (Some(d.id.as_str()), None), "{b}");
    let renamed = DirectoryProfile { username: "jdupont-moreau".into(), family_name: Some("Moreau".into()), ..jeanne() };
    let r = s.upsert_directory_account(&t.id, &d.id, &renamed, T0 + 1).await.unwrap();
    assert_eq!((r.profile.id.as_str(), r.profile.username.as_str(), r.profile.family_name.as_deref()), (a.profile.id.as_str(), "jdupont-moreau", Some("Moreau")), "{b}");

    // A local account's name is never taken.
    s.create_user(&t.id, NewUser { username: "alice".into(), ..Default::default() }, T0).await.unwrap();
    let impostor = DirectoryProfile { entry: "other".into(), username: "Alice".into(), ..Default::default() };
    assert!(matches!(s.upsert_directory_account(&t.id, &d.id, &impostor, T0).await, Err(StoreError::Conflict(_))), "{b}");

    // Suspended by a sync, enabled by the next good sign-in.
    assert!(s.suspend_directory_account(&t.id, &d.id, &a.profile.id, T0 + 2).await.unwrap(), "{b}");
    assert!(!s.suspend_directory_account(&t.id, &d.id, &a.profile.id, T0 + 2).await.unwrap(), "{b}: once");
    let managed = s.directory_accounts(&t.id, &d.id).await.unwrap();
    assert_eq!((managed.len(), managed[0].disabled, managed[0].suspended), (1, true, true), "{b}");
    let back = s.upsert_directory_account(&t.id, &d.id, &renamed, T0 + 3).await.unwrap();
    assert_eq!(back.disabled_at, None, "{b}");
    // An administrator's disabling is not the directory's to lift.
    s.set_user_disabled(&t.id, &a.profile.id, Some(T0 + 4), T0 + 4).await.unwrap();
    let still = s.upsert_directory_account(&t.id, &d.id, &renamed, T0 + 5).await.unwrap();
    assert_eq!(still.disabled_at, Some(T0 + 4), "{b}");

    // Removing the directory leaves its accounts, unlinked.
    assert_eq!(s.remove_directory(&t.id, "agents").await.unwrap(), Some(1), "{b}");
    assert_eq!(s.remove_directory(&t.id, "agents").await.unwrap(), None, "{b}");
    assert_eq!(s.account(&t.id, &a.profile.id).await.unwrap().unwrap().directory_id, None, "{b}");
});
