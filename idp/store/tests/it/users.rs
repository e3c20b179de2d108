//! Users: creation, case-insensitive unique usernames, sign-in lookup,
//! password changes, tenant scoping.

use crate::common::*;
use trame_store::{Account, NewUser, StoreError};

fn user(name: &str) -> NewUser {
    NewUser {
        username: name.into(),
        email: Some(format!("{}@example.fr", name.to_lowercase())),
        given_name: Some("Alice".into()),
        family_name: Some("Martin".into()),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        ..NewUser::default()
    }
}

backend_test!(create_and_read(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let u = s.create_user(&t.id, NewUser { username: "  Alice ".into(), ..user("Alice") }, T0).await.unwrap();
    assert_eq!(u.username, "Alice", "{b}: trimmed");
    assert_eq!(u.email.as_deref(), Some("alice@example.fr"), "{b}");
    assert_eq!(u.given_name.as_deref(), Some("Alice"), "{b}");
    assert_eq!(u.family_name.as_deref(), Some("Martin"), "{b}");
    assert!(!u.email_verified, "{b}");
    assert_eq!(u.updated_at, T0, "{b}");
    assert_eq!((u.phone_number.as_deref(), u.phone_number_verified, u.address.as_ref()), (None, false, None), "{b}: no contact given, none made up");

    let by_id = s.user_by_id(&t.id, &u.id).await.unwrap().expect("user by id");
    assert_eq!(by_id, u, "{b}");

    // Sign-in finds the user whatever the case, with the hash.
    for name in ["Alice", "alice", "ALICE", " alice "] {
        let Account { profile: p, password_hash: hash, .. } = s.user_for_sign_in(&t.id, name).await.unwrap().unwrap_or_else(|| panic!("{b}: sign-in as {name:?}"));
        assert_eq!(p.id, u.id, "{b}");
        assert_eq!(hash.as_deref(), Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"), "{b}");
    }
    assert!(s.user_for_sign_in(&t.id, "bob").await.unwrap().is_none(), "{b}");

    // A user without a password.
    let bob = s.create_user(&t.id, NewUser { username: "bob".into(), ..Default::default() }, T0).await.unwrap();
    let Account { profile: p, password_hash: hash, .. } = s.user_for_sign_in(&t.id, "bob").await.unwrap().unwrap();
    assert_eq!(p.id, bob.id, "{b}");
    assert_eq!(hash, None, "{b}");
    assert_eq!(p.email, None, "{b}");

    let names: Vec<String> = s.list_users(&t.id).await.unwrap().into_iter().map(|u| u.username).collect();
    assert_eq!(names, ["Alice", "bob"], "{b}");

    for bad in ["", "   ", "a\u{7}b"] {
        let e = s.create_user(&t.id, user(bad), T0).await.unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{b}: {bad:?} gave {e:?}");
    }
});

backend_test!(usernames_are_unique_without_regard_to_case(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let z = tenant(s, "ville-z").await;
    s.create_user(&t.id, user("Alice"), T0).await.unwrap();
    for dup in ["alice", "ALICE", "Alice", " alice"] {
        let e = s.create_user(&t.id, user(dup), T0).await.unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{b}: {dup:?} gave {e:?}");
    }
    assert_eq!(s.list_users(&t.id).await.unwrap().len(), 1, "{b}");
    // Another tenant may have its own alice.
    s.create_user(&z.id, user("alice"), T0).await.unwrap();
    assert_eq!(s.list_users(&z.id).await.unwrap().len(), 1, "{b}");
});

backend_test!(set_password_hash(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let z = tenant(s, "ville-z").await;
    s.create_user(&t.id, user("Alice"), T0).await.unwrap();
    s.set_password_hash(&t.id, "ALICE", "$argon2id$new", T0 + 60).await.unwrap();
    let Account { profile: p, password_hash: hash, .. } = s.user_for_sign_in(&t.id, "alice").await.unwrap().unwrap();
    assert_eq!(hash.as_deref(), Some("$argon2id$new"), "{b}");
    assert_eq!(p.updated_at, T0 + 60, "{b}");

    let e = s.set_password_hash(&t.id, "nobody", "x", T0).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{b}: unknown user gave {e:?}");
    let e = s.set_password_hash(&z.id, "alice", "x", T0).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{b}: another tenant's user gave {e:?}");
    assert_eq!(s.user_for_sign_in(&t.id, "alice").await.unwrap().unwrap().password_hash.as_deref(), Some("$argon2id$new"), "{b}");
});

backend_test!(users_are_scoped_to_their_tenant(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let z = tenant(s, "ville-z").await;
    let u = s.create_user(&t.id, user("Alice"), T0).await.unwrap();
    assert!(s.user_by_id(&z.id, &u.id).await.unwrap().is_none(), "{b}: another tenant's id");
    assert!(s.user_for_sign_in(&z.id, "alice").await.unwrap().is_none(), "{b}");
    assert!(s.list_users(&z.id).await.unwrap().is_empty(), "{b}");
    assert!(s.user_by_id(&t.id, "00000000-0000-0000-0000-000000000000").await.unwrap().is_none(), "{b}");
    assert!(s.user_by_id(&t.id, &u.id).await.unwrap().is_some(), "{b}");
});

backend_test!(phone_number_and_postal_address_are_kept(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let address = trame_core::user::Address {
        street_address: Some("1 place de la Mairie".into()),
        locality: Some("Trame-sur-Loire".into()),
        postal_code: Some("45000".into()),
        country: Some("FR".into()),
        ..Default::default()
    };
    let new = NewUser { phone_number: Some("+33612345678".into()), phone_number_verified: true, address: Some(address.clone()), ..user("Alice") };
    let u = s.create_user(&t.id, new, T0).await.unwrap();
    let read = s.user_by_id(&t.id, &u.id).await.unwrap().expect("user by id");
    assert_eq!(read.phone_number.as_deref(), Some("+33612345678"), "{b}");
    assert!(read.phone_number_verified, "{b}");
    assert_eq!(read.address, Some(address), "{b}");
    // A verification without a number is no verification.
    let new = NewUser { phone_number_verified: true, ..user("Bob") };
    let u = s.create_user(&t.id, new, T0).await.unwrap();
    assert!(!s.user_by_id(&t.id, &u.id).await.unwrap().unwrap().phone_number_verified, "{b}");
});
