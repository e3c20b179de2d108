//! Agents who sign in with their LDAP directory's password, against a real
//! OpenLDAP `slapd` started per test (StartTLS and LDAPS under a test CA):
//! the bind as the agent, the account made and kept up to date from the
//! entry, the same answer for every refusal, filter injection, a directory
//! that cannot answer, and the sync that disables agents the directory no
//! longer lets in.

use crate::common::*;
use axum::http::StatusCode;
use trame_app::audit::Actor;
use trame_app::catalog::TenantEntry;
use trame_app::{directory, users};
use trame_core::directory::DirectoryRequest;
use trame_store::Directory;
use trame_testkit::directory::{BASE_DN, JEANNE, LOCKED, PAUL, SERVICE_DN, SERVICE_PASSWORD, TestDirectory};

fn entry(env: &Env) -> std::sync::Arc<TenantEntry> {
    env.state.catalog.by_id(&env.tenant.id).unwrap()
}

fn request(url: &str, starttls: bool, ca_pem: &str) -> DirectoryRequest {
    DirectoryRequest {
        name: "agents".into(),
        preset: Some("openldap".into()),
        url: url.into(),
        starttls,
        ca_pem: Some(ca_pem.into()),
        bind_dn: SERVICE_DN.into(),
        base_dn: BASE_DN.into(),
        ..Default::default()
    }
}

async fn connect(env: &Env, req: DirectoryRequest) -> Directory {
    let settings = directory::check(req).unwrap();
    directory::add(env.state.app(), &entry(env), "agents", &settings, SERVICE_PASSWORD, Actor::Cli("test".into())).await.unwrap()
}

/// The test directory over StartTLS, connected to the tenant.
async fn with_directory(backend: trame_testkit::Backend) -> (Env, TestDirectory, Directory) {
    let env = Env::new(backend).await;
    let ldap = TestDirectory::start();
    let dir = connect(&env, request(&ldap.ldap_url, true, &ldap.ca_pem)).await;
    (env, ldap, dir)
}

/// A password sign-in attempt through the login page.
async fn attempt(env: &Env, username: &str, password: &str) -> Resp {
    let mut b = env.browser();
    let (_, page) = b.login_page(&basic_params("openid profile email")).await;
    b.submit_login(&page, username, password).await
}

fn refused(r: &Resp) {
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert!(r.body.contains("Identifiant ou mot de passe incorrect"), "{}", r.body);
}

backend_test_raw!(
    async fn an_agent_signs_in_with_the_directory_password_and_gets_an_account(backend) {
        let (env, ldap, dir) = with_directory(backend).await;
        let mut b = env.browser();
        let redirect = b.sign_in(&basic_params("openid profile email"), JEANNE.uid, JEANNE.password).await;
        assert!(query_param(&redirect, "code").is_some(), "{redirect}");

        let account = env.state.store.user_for_sign_in(&env.tenant.id, JEANNE.uid).await.unwrap().expect("an account made at sign-in");
        assert_eq!(account.directory_id.as_deref(), Some(dir.id.as_str()));
        assert_eq!(account.password_hash, None, "the directory's password is never kept");
        assert_eq!(account.profile.given_name.as_deref(), Some(JEANNE.given_name));
        assert_eq!(account.profile.family_name.as_deref(), Some(JEANNE.family_name));
        assert_eq!(account.profile.email.as_deref(), Some(JEANNE.email));
        assert!(!account.profile.email_verified, "Trame did not verify the directory's address");

        // The directory stays the source: a change there reaches the account
        // at the next sign-in, which keeps the same account.
        ldap.replace(JEANNE.uid, "sn", "Dupont-Moreau");
        ldap.replace(JEANNE.uid, "mail", "jeanne.moreau@mairie.test");
        let redirect = env.browser().sign_in(&basic_params("openid"), JEANNE.uid, JEANNE.password).await;
        assert!(query_param(&redirect, "code").is_some(), "{redirect}");
        let again = env.state.store.user_for_sign_in(&env.tenant.id, JEANNE.uid).await.unwrap().unwrap();
        assert_eq!(again.profile.id, account.profile.id);
        assert_eq!(again.profile.family_name.as_deref(), Some("Dupont-Moreau"));
        assert_eq!(again.profile.email.as_deref(), Some("jeanne.moreau@mairie.test"));
    }
);

backend_test_raw!(
    async fn ldaps_works_and_a_certificate_from_another_authority_is_refused(backend) {
        let env = Env::new(backend).await;
        let ldap = TestDirectory::start();
        let dir = connect(&env, request(&ldap.ldaps_url, false, &ldap.ca_pem)).await;
        let report = directory::test(&dir, Some(PAUL.uid)).await.unwrap();
        assert_eq!(report.user.map(|u| u.username).as_deref(), Some(PAUL.uid));
        let r = attempt(&env, PAUL.uid, PAUL.password).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // The same server, trusted through another CA: no connection.
        let other = trame_testkit::tls::TestCa::new();
        let settings = directory::check(DirectoryRequest { name: "other".into(), ..request(&ldap.ldaps_url, false, &other.pem) }).unwrap();
        let untrusted = Directory { id: String::new(), name: "other".into(), settings, bind_password: SERVICE_PASSWORD.to_owned().into(), created_at: 0 };
        let e = directory::test(&untrusted, None).await.unwrap_err();
        assert!(matches!(e, directory::DirectoryError::Unreachable { .. }), "{e}");
        // And a wrong service password is named as such.
        let wrong = Directory { bind_password: "nope".to_owned().into(), ..dir };
        let e = directory::test(&wrong, None).await.unwrap_err();
        assert!(matches!(e, directory::DirectoryError::ServiceBind { .. }), "{e}");
    }
);

backend_test_raw!(
    async fn every_refusal_gets_the_same_answer_and_filters_cannot_be_injected(backend) {
        let (env, _ldap, _dir) = with_directory(backend).await;
        refused(&attempt(&env, JEANNE.uid, "wrong password").await);
        refused(&attempt(&env, JEANNE.uid, "").await);
        refused(&attempt(&env, "nobody", JEANNE.password).await);
        // Locked in the directory: the right password is refused too.
        refused(&attempt(&env, LOCKED.uid, LOCKED.password).await);
        // Filter metacharacters are escaped (RFC 4515): none of these finds
        // an entry, whichever password goes with it.
        for name in ["*", "j*", "jdupont)(uid=*", "*)(|(uid=*", "jdupont\\", "pmartin)(!(uid=x"] {
            refused(&attempt(&env, name, JEANNE.password).await);
            refused(&attempt(&env, name, PAUL.password).await);
        }
        assert!(env.state.store.user_for_sign_in(&env.tenant.id, LOCKED.uid).await.unwrap().is_none());
        // The local account is untouched by all this.
        let r = attempt(&env, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
);

backend_test_raw!(
    async fn a_directory_that_cannot_answer_gets_a_page_and_local_accounts_still_sign_in(backend) {
        let env = Env::new(backend).await;
        let ldap = TestDirectory::start();
        connect(&env, request(&ldap.ldap_url, true, &ldap.ca_pem)).await;
        drop(ldap);
        let r = attempt(&env, JEANNE.uid, JEANNE.password).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(r.body.contains("L’annuaire de votre organisation ne répond pas"), "{}", r.body);
        let r = attempt(&env, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
);

backend_test_raw!(
    async fn a_directory_entry_never_takes_over_a_local_account(backend) {
        let (env, ldap, _dir) = with_directory(backend).await;
        ldap.modify(&format!(
            "dn: uid={USERNAME},{BASE_DN}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: {USERNAME}\ncn: Impostor\nsn: Impostor\nuserPassword: impostor-password\n"
        ));
        refused(&attempt(&env, USERNAME, "impostor-password").await);
        let local = env.state.store.user_for_sign_in(&env.tenant.id, USERNAME).await.unwrap().unwrap();
        assert_eq!(local.directory_id, None);
        let r = attempt(&env, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
);

backend_test_raw!(
    async fn a_sync_disables_agents_the_directory_no_longer_lets_in(backend) {
        let (env, ldap, dir) = with_directory(backend).await;
        let app = env.state.app();
        for a in [&JEANNE, &PAUL] {
            let r = attempt(&env, a.uid, a.password).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let jeanne = env.state.store.user_for_sign_in(&env.tenant.id, JEANNE.uid).await.unwrap().unwrap().profile.id;
        let paul = env.state.store.user_for_sign_in(&env.tenant.id, PAUL.uid).await.unwrap().unwrap().profile.id;
        let report = directory::sync(app, &entry(&env), &dir).await.unwrap();
        assert_eq!((report.checked, report.suspended), (2, 0));

        // Jeanne signs in in a browser; then the directory locks her out.
        let mut b = env.browser();
        b.sign_in(&basic_params("openid"), JEANNE.uid, JEANNE.password).await;
        assert!(!env.state.store.account_sessions(&env.tenant.id, &jeanne, env.clock.now()).await.unwrap().is_empty());
        ldap.lock(JEANNE.uid);
        ldap.delete(PAUL.uid);
        let report = directory::sync(app, &entry(&env), &dir).await.unwrap();
        assert_eq!((report.checked, report.suspended), (2, 2));
        for id in [&jeanne, &paul] {
            assert!(env.state.store.account(&env.tenant.id, id).await.unwrap().unwrap().disabled_at.is_some());
        }
        assert!(env.state.store.account_sessions(&env.tenant.id, &jeanne, env.clock.now()).await.unwrap().is_empty(), "her session ended");
        refused(&attempt(&env, JEANNE.uid, JEANNE.password).await);

        // Unlocked in the directory, she signs in again: the sync's
        // disabling is lifted by the directory, not an administrator's.
        ldap.modify(&format!("dn: uid={},{BASE_DN}\nchangetype: modify\ndelete: pwdAccountLockedTime\n", JEANNE.uid));
        let r = attempt(&env, JEANNE.uid, JEANNE.password).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(env.state.store.account(&env.tenant.id, &jeanne).await.unwrap().unwrap().disabled_at.is_none());
        let report = directory::sync(app, &entry(&env), &dir).await.unwrap();
        assert_eq!((report.checked, report.suspended), (1, 0), "Paul's account stays disabled and is not checked");

        // An administrator's disabling stays whatever the directory says.
        users::disable(app, &entry(&env), &jeanne, Actor::Cli("test".into())).await.unwrap();
        let r = attempt(&env, JEANNE.uid, JEANNE.password).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(env.state.store.account(&env.tenant.id, &jeanne).await.unwrap().unwrap().disabled_at.is_some());
    }
);

backend_test_raw!(
    async fn the_account_page_shows_what_the_directory_manages_and_keeps_passkeys_and_totp(backend) {
        let (env, _ldap, _dir) = with_directory(backend).await;
        let mut b = env.browser();
        b.sign_in(&basic_params("openid"), JEANNE.uid, JEANNE.password).await;
        let page = b.get("/account").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Votre nom vient de l’annuaire de votre organisation"), "{}", page.body);
        assert!(page.body.contains("Votre mot de passe est celui de l’annuaire"), "{}", page.body);
        assert!(page.input("given_name").is_none() && page.input("email").is_none(), "no form for the directory's fields");
        assert!(page.input("password").is_none(), "no local password for a directory account");
        assert!(page.body.contains("/account/totp"), "TOTP can be added");
        let csrf = page.input("csrf").unwrap();
        let version = page.input("version").unwrap_or_else(|| "0".into());

        // The forms' endpoints refuse too, whatever a page shows.
        let notice = |r: &Resp| {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            query_param(&r.location().unwrap(), "notice").unwrap_or_default()
        };
        let r = b.post("/account/profile", &[("csrf", &csrf), ("version", &version), ("given_name", "Usurpée"), ("family_name", "X")]).await;
        assert_eq!(notice(&r), "directory-managed");
        assert_eq!(notice(&b.post("/account/email", &[("csrf", &csrf), ("email", "autre@exemple.fr")]).await), "directory-managed");
        assert_eq!(notice(&b.post("/account/password", &[("csrf", &csrf), ("password", "a long enough local password")]).await), "directory-managed");
        let a = env.state.store.user_for_sign_in(&env.tenant.id, JEANNE.uid).await.unwrap().unwrap();
        assert_eq!((a.profile.given_name.as_deref(), a.profile.email.as_deref(), a.password_hash), (Some(JEANNE.given_name), Some(JEANNE.email), None));
        let totp = b.get("/account/totp").await;
        assert_eq!(totp.status, StatusCode::OK, "{}", totp.body);
    }
);
