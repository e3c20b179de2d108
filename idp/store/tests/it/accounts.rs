//! Passkeys, recovery codes, TOTP, invitations and account sessions, on
//! both backends: uniqueness, single use under concurrency, and "never lock
//! the person out".

use trame_store::{AccountSession, NewPasskey, NewUser, RemovedCredentials, StoreError};

use crate::common::*;

pub(crate) fn key(cred: &[u8]) -> NewPasskey {
    NewPasskey {
        credential_id: cred.to_vec(),
        name: "Phone".into(),
        public_key: vec![1, 2, 3],
        dynamic_state: vec![4, 5],
        sign_count: 0,
        backup_eligible: true,
        backup_state: true,
        aaguid: [7; 16],
        transports: vec!["internal".into()],
        max_acr: None,
    }
}

fn new_user(name: &str) -> NewUser {
    NewUser { username: name.into(), ..NewUser::default() }
}

backend_test!(sign_up_is_all_or_nothing(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let u = s.create_user_with_passkey(&t.id, new_user("camille"), key(b"cred-1"), &["d1".into(), "d2".into()], None, T0).await.unwrap();
    let keys = s.passkeys_of(&t.id, &u.id).await.unwrap();
    assert_eq!(keys.len(), 1, "{b}");
    assert_eq!(keys[0].credential_id, b"cred-1", "{b}");
    assert_eq!(keys[0].aaguid, [7; 16], "{b}");
    assert_eq!(s.recovery_codes_left(&t.id, &u.id).await.unwrap(), 2, "{b}");
    assert!(s.account(&t.id, &u.id).await.unwrap().unwrap().password_hash.is_none(), "{b}: passwordless");

    // A replayed registration (same credential id) creates nothing.
    let users = s.list_users(&t.id).await.unwrap().len();
    let e = s.create_user_with_passkey(&t.id, new_user("other"), key(b"cred-1"), &["d3".into()], None, T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: {e:?}");
    assert_eq!(s.list_users(&t.id).await.unwrap().len(), users, "{b}: the user row was rolled back");
    // A taken username too.
    let e = s.create_user_with_passkey(&t.id, new_user("CAMILLE"), key(b"cred-2"), &[], None, T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: {e:?}");
    assert!(s.passkey_by_credential(&t.id, b"cred-2").await.unwrap().is_none(), "{b}: the passkey was rolled back");
    // Another tenant cannot find this tenant's passkey.
    let t2 = tenant(s, "ville-b").await;
    assert!(s.passkey_by_credential(&t2.id, b"cred-1").await.unwrap().is_none(), "{b}");
});

backend_test!(the_last_way_to_sign_in_is_kept(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let u = s.create_user_with_passkey(&t.id, new_user("dom"), key(b"k1"), &[], None, T0).await.unwrap();
    let only = s.passkeys_of(&t.id, &u.id).await.unwrap()[0].id.clone();
    assert!(matches!(s.remove_passkey(&t.id, &u.id, &only, false).await, Err(StoreError::Invalid(_))), "{b}");
    assert!(matches!(s.set_password_of(&t.id, &u.id, None, T0).await, Ok(())), "{b}: no password to remove is fine");
    s.add_passkey(&t.id, &u.id, key(b"k2"), T0 + 1).await.unwrap();
    s.remove_passkey(&t.id, &u.id, &only, false).await.unwrap();
    let left = s.passkeys_of(&t.id, &u.id).await.unwrap();
    assert_eq!(left.len(), 1, "{b}");
    // Confirmed removal of the last one is the person's choice.
    s.remove_passkey(&t.id, &u.id, &left[0].id, true).await.unwrap();
    assert!(s.passkeys_of(&t.id, &u.id).await.unwrap().is_empty(), "{b}");
    // Removing the password of an account without passkeys is refused.
    s.set_password_of(&t.id, &u.id, Some("$argon2id$x"), T0).await.unwrap();
    assert!(matches!(s.set_password_of(&t.id, &u.id, None, T0).await, Err(StoreError::Invalid(_))), "{b}");
    // Others' passkeys are out of reach.
    let v = s.create_user(&t.id, new_user("eve"), T0).await.unwrap();
    let k = s.add_passkey(&t.id, &u.id, key(b"k3"), T0).await.unwrap();
    assert!(matches!(s.remove_passkey(&t.id, &v.id, &k.id, true).await, Err(StoreError::NotFound(_))), "{b}");
    assert!(matches!(s.rename_passkey(&t.id, &v.id, &k.id, "mine").await, Err(StoreError::NotFound(_))), "{b}");
    s.rename_passkey(&t.id, &u.id, &k.id, "Laptop").await.unwrap();
    s.record_passkey_use(&t.id, &k.id, &[9, 9], 5, false, T0 + 50).await.unwrap();
    let k = s.passkey_by_credential(&t.id, b"k3").await.unwrap().unwrap();
    assert_eq!((k.name.as_str(), k.sign_count, k.backup_state, k.last_used_at, k.dynamic_state), ("Laptop", 5, false, Some(T0 + 50), vec![9, 9]), "{b}");
});

backend_test!(recovery_codes_are_single_use_under_concurrency(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let u = s.create_user_with_passkey(&t.id, new_user("fanny"), key(b"k"), &["code-a".into(), "code-b".into()], None, T0).await.unwrap();
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(8));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (store, tid, uid, start) = (s.clone(), t.id.clone(), u.id.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                store.use_recovery_code(&tid, &uid, "code-a", T0 + 1).await.unwrap()
            })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        wins += usize::from(task.await.unwrap());
    }
    assert_eq!(wins, 1, "{b}: exactly one use");
    assert_eq!(s.recovery_codes_left(&t.id, &u.id).await.unwrap(), 1, "{b}");
    // Not another user's code, not an unknown one.
    let v = s.create_user(&t.id, new_user("gael"), T0).await.unwrap();
    assert!(!s.use_recovery_code(&t.id, &v.id, "code-b", T0).await.unwrap(), "{b}");
    assert!(!s.use_recovery_code(&t.id, &u.id, "nope", T0).await.unwrap(), "{b}");
    s.replace_recovery_codes(&t.id, &u.id, &["code-c".into()], T0).await.unwrap();
    assert!(!s.use_recovery_code(&t.id, &u.id, "code-b", T0).await.unwrap(), "{b}: replaced codes are gone");
    assert!(s.use_recovery_code(&t.id, &u.id, "code-c", T0).await.unwrap(), "{b}");
});

backend_test!(totp_secret_is_sealed_and_steps_used_once(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let u = s.create_user(&t.id, new_user("hugo"), T0).await.unwrap();
    assert!(s.second_factor_of(&t.id, &u.id).await.unwrap().totp_secret.is_none(), "{b}");
    s.set_totp_secret(&t.id, &u.id, Some(b"0123456789abcdefghij"), Some("eidas1"), T0).await.unwrap();
    assert!(s.account(&t.id, &u.id).await.unwrap().unwrap().has_totp, "{b}");
    let conn = raw(&be.db).await;
    let stored = query_strings(&conn, "SELECT totp_secret_sealed FROM users WHERE username = 'hugo'", 1).await;
    assert!(!stored[0][0].contains("0123456789"), "{b}: sealed at rest");
    assert_eq!(s.second_factor_of(&t.id, &u.id).await.unwrap().totp_secret.as_deref().map(|v| v.as_slice()), Some(&b"0123456789abcdefghij"[..]), "{b}");
    assert!(s.claim_totp_step(&t.id, &u.id, 100).await.unwrap(), "{b}");
    assert!(!s.claim_totp_step(&t.id, &u.id, 100).await.unwrap(), "{b}: same step twice");
    assert!(!s.claim_totp_step(&t.id, &u.id, 99).await.unwrap(), "{b}: an earlier step");
    assert!(s.claim_totp_step(&t.id, &u.id, 101).await.unwrap(), "{b}");
    s.set_totp_secret(&t.id, &u.id, None, None, T0).await.unwrap();
    assert!(!s.account(&t.id, &u.id).await.unwrap().unwrap().has_totp, "{b}");
    assert!(s.second_factor_of(&t.id, &u.id).await.unwrap().totp_secret.is_none(), "{b}");
});

backend_test!(invitations_yield_one_account(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    s.create_invitation(&t.id, "inv", Some("ines@example.fr"), T0 + 100, T0).await.unwrap();
    assert_eq!(s.invitation(&t.id, "inv", T0).await.unwrap().unwrap().email.as_deref(), Some("ines@example.fr"), "{b}");
    assert!(s.invitation(&t.id, "inv", T0 + 100).await.unwrap().is_none(), "{b}: expired");
    s.create_user_with_passkey(&t.id, new_user("ines"), key(b"i1"), &[], Some("inv"), T0 + 1).await.unwrap();
    let e = s.create_user_with_passkey(&t.id, new_user("ines2"), key(b"i2"), &[], Some("inv"), T0 + 2).await.unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{b}: {e:?}");
    assert!(s.user_for_sign_in(&t.id, "ines2").await.unwrap().is_none(), "{b}: nothing created");
    assert!(!s.use_invitation(&t.id, "inv", T0 + 3).await.unwrap(), "{b}");
});

backend_test!(account_sessions_are_listed_and_ended_by_their_owner(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let sess = |sid: &str, user: &str, at: i64| AccountSession {
        sid: sid.into(),
        user_id: user.into(),
        store_key: format!("sess:{sid}"),
        label: "Firefox, Linux".into(),
        amr: vec!["pwd".into()],
        created_at: at,
        expires_at: at + 100,
    };
    s.record_account_session(&t.id, &sess("s1", "u1", T0)).await.unwrap();
    s.record_account_session(&t.id, &sess("s2", "u1", T0 + 10)).await.unwrap();
    s.record_account_session(&t.id, &sess("s3", "u2", T0)).await.unwrap();
    let list = s.account_sessions(&t.id, "u1", T0 + 50).await.unwrap();
    assert_eq!(list.iter().map(|x| x.sid.as_str()).collect::<Vec<_>>(), ["s2", "s1"], "{b}: newest first");
    assert_eq!(s.account_sessions(&t.id, "u1", T0 + 105).await.unwrap().len(), 1, "{b}: expired ones hidden");
    assert_eq!(s.remove_account_session(&t.id, Some("u2"), "s1").await.unwrap(), None, "{b}: not another's");
    assert_eq!(s.remove_account_session(&t.id, Some("u1"), "s1").await.unwrap().as_deref(), Some("sess:s1"), "{b}");
    assert_eq!(s.account_sessions(&t.id, "u1", T0 + 50).await.unwrap().len(), 1, "{b}");
});

backend_test!(tenant_settings_round_trip(be, b) {
    use trame_core::assurance::AcrPolicy;
    use trame_core::client::PkcePolicy;
    use trame_core::tenant::{CounterPolicy, DynamicRegistration, Registration, TenantSettings};
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    assert_eq!(t.settings, TenantSettings::default(), "{b}");
    let v = s.catalog_version().await.unwrap();
    let want = TenantSettings { registration: Registration::Invite, counter_policy: CounterPolicy::Allow, acr_policy: AcrPolicy::parse(&["eidas3=hwk+user".into()]).unwrap(),
        dynamic_registration: DynamicRegistration::Token,
        dynamic_client_pkce: PkcePolicy::Optional,
        credential_upgrade: trame_core::tenant::CredentialUpgrade::Never,
        usernames: trame_core::tenant::Usernames::Addresses,
        default_subject_type: trame_core::subject::SubjectType::Public,
        time_zone: "Indian/Reunion".parse().unwrap(),
    };
    let got = s.set_tenant_settings("ville-a", &want).await.unwrap();
    assert_eq!(got.settings, want, "{b}");
    assert_eq!(s.tenant_by_slug("ville-a").await.unwrap().unwrap().settings, want, "{b}");
    assert!(s.catalog_version().await.unwrap() > v, "{b}: every node reloads");
    assert!(matches!(s.set_tenant_settings("nope", &want).await, Err(StoreError::NotFound(_))), "{b}");
    // The zone alone, the other settings as they are.
    let got = s.set_tenant_identity("ville-a", trame_store::TenantChange { time_zone: Some(&"Pacific/Noumea".parse().unwrap()), ..Default::default() }).await.unwrap();
    assert_eq!(got.settings, TenantSettings { time_zone: "Pacific/Noumea".parse().unwrap(), ..want }, "{b}");
});

backend_test!(a_verified_address_belongs_to_one_account(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let t2 = tenant(s, "ville-b").await;
    let a = s.create_user(&t.id, new_user("ana"), T0).await.unwrap();
    let m = s.create_user(&t.id, new_user("mallory"), T0).await.unwrap();
    let other = s.create_user(&t2.id, new_user("ana"), T0).await.unwrap();
    s.set_email(&t.id, &a.id, Some("ana@example.fr"), true, T0).await.unwrap();
    // Unverified, the same address is anyone's to claim…
    s.set_email(&t.id, &m.id, Some("ANA@example.fr"), false, T0).await.unwrap();
    // …but a second verification of it is a conflict, whatever the case.
    let e = s.set_email(&t.id, &m.id, Some("ANA@example.fr"), true, T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: {e:?}");
    assert!(!s.user_by_id(&t.id, &m.id).await.unwrap().unwrap().email_verified, "{b}: nothing changed");
    // Recovery finds the one account, without regard to case.
    assert_eq!(s.user_by_verified_email(&t.id, "Ana@Example.fr").await.unwrap().map(|u| u.id), Some(a.id.clone()), "{b}");
    // Another tenant is another namespace.
    s.set_email(&t2.id, &other.id, Some("ana@example.fr"), true, T0).await.unwrap();
    // Once ana lets it go, mallory may verify it.
    s.set_email(&t.id, &a.id, Some("ana@other.example"), false, T0).await.unwrap();
    s.set_email(&t.id, &m.id, Some("ANA@example.fr"), true, T0).await.unwrap();
});

backend_test!(credentials_keep_the_level_that_bound_them(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let u = s.create_user_with_passkey(&t.id, new_user("lea"), key(b"k1"), &[], None, T0).await.unwrap();
    assert_eq!(s.passkeys_of(&t.id, &u.id).await.unwrap()[0].max_acr, None, "{b}: the first credential of a sign-up");
    let added = s.add_passkey(&t.id, &u.id, NewPasskey { max_acr: Some("eidas1".into()), ..key(b"k2") }, T0).await.unwrap();
    assert_eq!(s.passkey_by_credential(&t.id, b"k2").await.unwrap().unwrap().max_acr.as_deref(), Some("eidas1"), "{b}");
    s.set_passkey_max_acr(&t.id, &u.id, &added.id, Some("eidas2")).await.unwrap();
    assert_eq!(s.passkey_by_credential(&t.id, b"k2").await.unwrap().unwrap().max_acr.as_deref(), Some("eidas2"), "{b}");
    let e = s.set_passkey_max_acr(&t.id, "someone-else", &added.id, None).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{b}: only the owner's");
    s.set_totp_secret(&t.id, &u.id, Some(b"0123456789abcdefghij"), Some("eidas1"), T0).await.unwrap();
    assert_eq!(s.second_factor_of(&t.id, &u.id).await.unwrap().totp_max_acr.as_deref(), Some("eidas1"), "{b}");
    s.set_totp_max_acr(&t.id, &u.id, Some("eidas2")).await.unwrap();
    assert_eq!(s.second_factor_of(&t.id, &u.id).await.unwrap().totp_max_acr.as_deref(), Some("eidas2"), "{b}");
});

backend_test!(credentials_are_removed_all_at_once(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let u = s.create_user_with_passkey(&t.id, new_user("gael"), key(b"g1"), &["r1".into(), "r2".into(), "r3".into()], None, T0).await.unwrap();
    s.add_passkey(&t.id, &u.id, key(b"g2"), T0).await.unwrap();
    assert!(s.use_recovery_code(&t.id, &u.id, "r1", T0).await.unwrap());
    s.set_password_of(&t.id, &u.id, Some("$argon2id$x"), T0).await.unwrap();
    s.set_totp_secret(&t.id, &u.id, Some(b"0123456789abcdef0123"), Some("eidas1"), T0).await.unwrap();
    let other = s.create_user_with_passkey(&t.id, new_user("hugo"), key(b"h1"), &["r4".into()], None, T0).await.unwrap();
    let version = s.account(&t.id, &u.id).await.unwrap().unwrap().version;

    let removed = s.remove_credentials(&t.id, &u.id, T0 + 1).await.unwrap().expect("an account");
    assert_eq!(removed, RemovedCredentials { passkeys: 2, password: true, totp: true, recovery_codes: 2 }, "{b}");
    let a = s.account(&t.id, &u.id).await.unwrap().unwrap();
    assert!(a.password_hash.is_none() && !a.has_totp && a.version > version, "{b}");
    assert!(s.passkeys_of(&t.id, &u.id).await.unwrap().is_empty() && s.passkey_by_credential(&t.id, b"g1").await.unwrap().is_none(), "{b}");
    assert_eq!(s.recovery_codes_left(&t.id, &u.id).await.unwrap(), 0, "{b}");
    assert!(s.second_factor_of(&t.id, &u.id).await.unwrap().totp_secret.is_none(), "{b}");
    // Nothing of another account, and nothing left a second time.
    assert_eq!((s.passkeys_of(&t.id, &other.id).await.unwrap().len(), s.recovery_codes_left(&t.id, &other.id).await.unwrap()), (1, 1), "{b}");
    assert_eq!(s.remove_credentials(&t.id, &u.id, T0 + 2).await.unwrap(), Some(RemovedCredentials::default()), "{b}");
    let t2 = tenant(s, "ville-b").await;
    assert_eq!(s.remove_credentials(&t2.id, &other.id, T0).await.unwrap(), None, "{b}: another tenant's account");
    assert_eq!(s.passkeys_of(&t.id, &other.id).await.unwrap().len(), 1, "{b}");
});
