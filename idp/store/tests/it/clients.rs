//! Clients: exact round-trip of every field, per-tenant uniqueness, removal,
//! the key for the ID-token algorithm, and the catalog version.

use crate::common::*;
use trame_core::client::{ApplicationType, AuthMethod, ClientInfo, ClientSettings, GrantType, LogoutChannels, PkcePolicy};
use trame_core::ids::ClientId;
use trame_core::scope::Scopes;
use trame_core::subject::SubjectType;
use trame_jose::Alg;
use trame_store::NewLogoutDelivery;
use trame_store::{NewClient, StoreError};

fn full_client() -> NewClient {
    NewClient {
        client_id: ClientId::parse("portail-citoyen").unwrap(),
        secret_digest: Some("q1w2e3-digest".into()),
        registration_token_digest: Some("rat-digest".into()),
        settings: ClientSettings {
            name: Some("Portail « citoyen » été".into()),
            auth_method: AuthMethod::PrivateKeyJwt,
            token_auth_alg: Some("PS256".into()),
            // Deliberately not sorted: order must be kept.
            redirect_uris: vec![uri("https://z.example/cb"), uri("fr.ville.app:/cb"), uri("http://127.0.0.1:8080/cb?x=1"), uri("https://a.example/cb")],
            post_logout_redirect_uris: vec![uri("https://z.example/bye"), uri("https://a.example/bye")],
            grant_types: vec![GrantType::RefreshToken, GrantType::AuthorizationCode, GrantType::ClientCredentials],
            scopes: Scopes::parse("profile openid email offline_access").unwrap(),
            subject_type: SubjectType::Pairwise,
            sector_identifier: Some("https://sector.example/uris.json".into()),
            pkce: PkcePolicy::Optional,
            skip_consent: true,
            id_token_alg: Alg::EdDSA,
            userinfo_alg: Some(Alg::RS256),
            jwks_uri: Some("https://rp.example/jwks.json".into()),
            jwks: Some(
                serde_json::json!({"keys": [{"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", "kid": "k1", "use": "sig", "n": 1.5, "nested": {"a": [true, null]}}]}),
            ),
            default_max_age: Some(3600),
            default_acr_values: vec!["eidas2".into(), "eidas1".into()],
            logout: LogoutChannels {
                backchannel_uri: Some("https://z.example/bc?x=1".into()),
                backchannel_session_required: true,
                frontchannel_uri: Some("https://z.example/fc".into()),
                frontchannel_session_required: true,
            },
            info: ClientInfo {
                application_type: ApplicationType::Native,
                client_uri: Some("https://z.example/".into()),
                logo_uri: Some("https://z.example/logo.png".into()),
                policy_uri: Some("https://z.example/privacy".into()),
                tos_uri: Some("https://z.example/tos".into()),
                contacts: vec!["dpo@z.example".into(), "ops@z.example".into()],
                sector_identifier_uri: Some("https://sector.example/uris.json".into()),
                initiate_login_uri: Some("https://z.example/login".into()),
                software_id: Some("portail".into()),
                software_version: Some("2.1".into()),
                require_auth_time: true,
            },
            refresh_reuse_grace: 30,
            cas: Some(trame_core::cas::CasService {
                service_urls: vec!["https://z.example/cas?x=« é »".into()],
                service_prefixes: vec!["https://z.example/apps/".into()],
                attributes: vec!["email".into(), "given_name".into()],
                user: trame_core::cas::CasUser::Subject,
            }),
        },
    }
}

backend_test!(create_round_trips_every_field(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let new = full_client();
    let created = s.create_client(&t.id, new.clone(), T0).await.unwrap();
    let fetched = s.client(&t.id, "portail-citoyen").await.unwrap().expect("client");
    for c in [&created, &fetched] {
        assert_eq!(c.id, new.client_id, "{b}");
        assert_eq!(c.tenant_id, t.id, "{b}");
        assert_eq!(c.secret_digest, new.secret_digest, "{b}");
        assert_eq!(c.registration_token_digest, new.registration_token_digest, "{b}");
        // Every setting, lists in their order, the JWK set as JSON.
        assert_eq!(c.settings, new.settings, "{b}");
        assert_eq!(c.scopes.to_string_sorted(), "email offline_access openid profile", "{b}");
    }

    // The minimal shape round-trips too (empty lists, no options).
    let min = client("spa");
    let got = s.create_client(&t.id, min.clone(), T0).await.unwrap();
    let got2 = s.client(&t.id, "spa").await.unwrap().unwrap();
    for c in [&got, &got2] {
        assert!(c.post_logout_redirect_uris.is_empty(), "{b}");
        assert_eq!(c.name, None, "{b}");
        assert_eq!(c.jwks, None, "{b}");
        assert_eq!(c.sector_identifier, None, "{b}");
        assert_eq!(c.auth_method, AuthMethod::None, "{b}");
        assert_eq!(c.pkce, PkcePolicy::Required, "{b}");
        assert!(!c.skip_consent, "{b}");
    }

    let ids: Vec<String> = s.list_clients(&t.id).await.unwrap().iter().map(|c| c.id.to_string()).collect();
    assert_eq!(ids, ["portail-citoyen", "spa"], "{b}: listed by client_id");
    assert!(s.client(&t.id, "nope").await.unwrap().is_none(), "{b}");
});

backend_test!(client_id_is_unique_per_tenant(be, b) {
    let s = &be.store;
    let a = tenant(s, "ville-a").await;
    let z = tenant(s, "ville-z").await;
    s.create_client(&a.id, client("app"), T0).await.unwrap();
    let v = s.catalog_version().await.unwrap();

    let mut again = client("app");
    again.settings.name = Some("second".into());
    let e = s.create_client(&a.id, again, T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: duplicate client_id gave {e:?}");
    assert_eq!(s.catalog_version().await.unwrap(), v, "{b}: a failed creation does not bump");
    let kept = s.client(&a.id, "app").await.unwrap().unwrap();
    assert_eq!(kept.name, None, "{b}: the first client is untouched");
    assert_eq!(s.list_clients(&a.id).await.unwrap().len(), 1, "{b}");

    // Same client_id in another tenant is a different client.
    let mut other = client("app");
    other.settings.name = Some("Z's app".into());
    s.create_client(&z.id, other, T0).await.unwrap();
    assert_eq!(s.client(&z.id, "app").await.unwrap().unwrap().name.as_deref(), Some("Z's app"), "{b}");
    assert_eq!(s.client(&a.id, "app").await.unwrap().unwrap().name, None, "{b}");
    assert_eq!(s.list_clients(&z.id).await.unwrap().len(), 1, "{b}");
    assert_eq!(s.list_clients(&a.id).await.unwrap().len(), 1, "{b}");
});

backend_test!(remove_then_not_found(be, b) {
    let s = &be.store;
    let a = tenant(s, "ville-a").await;
    let z = tenant(s, "ville-z").await;
    s.create_client(&a.id, client("app"), T0).await.unwrap();
    s.create_client(&z.id, client("app"), T0).await.unwrap();

    // Removing from the wrong tenant does nothing.
    let e = s.remove_client(&a.id, "other").await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{b}: {e:?}");

    let v = s.catalog_version().await.unwrap();
    s.remove_client(&a.id, "app").await.unwrap();
    assert_eq!(s.catalog_version().await.unwrap(), v + 1, "{b}: removal bumps the catalog version");
    assert!(s.client(&a.id, "app").await.unwrap().is_none(), "{b}: removed");
    assert!(s.client(&z.id, "app").await.unwrap().is_some(), "{b}: the other tenant's client stays");
    let e = s.remove_client(&a.id, "app").await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{b}: second remove gave {e:?}");
    assert_eq!(s.catalog_version().await.unwrap(), v + 1, "{b}: a failed removal does not bump");

    // The client_id can be registered again.
    s.create_client(&a.id, client("app"), T0).await.unwrap();
});

backend_test!(id_token_alg_ensures_a_key(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let v = s.catalog_version().await.unwrap();
    let algs = |keys: Vec<trame_store::KeyInfo>| {
        let mut a: Vec<&str> = keys.iter().map(|k| k.alg.as_str()).collect();
        a.sort();
        a
    };
    s.create_client(&t.id, client("es"), T0).await.unwrap();
    assert_eq!(algs(s.list_keys(&t.id, T0).await.unwrap()), ["ES256"], "{b}: ES256 already there");
    assert_eq!(s.catalog_version().await.unwrap(), v + 1, "{b}");

    let mut rs = client("rs");
    rs.settings.id_token_alg = Alg::RS256;
    s.create_client(&t.id, rs.clone(), T0).await.unwrap();
    assert_eq!(algs(s.list_keys(&t.id, T0).await.unwrap()), ["ES256", "RS256"], "{b}: RS256 key created");
    let tk = s.tenant_keys(&t.id, T0).await.unwrap();
    assert!(tk.signing.contains_key(&Alg::RS256), "{b}: the RS256 key signs");
    assert_eq!(s.catalog_version().await.unwrap(), v + 2, "{b}");

    rs.client_id = ClientId::parse("rs2").unwrap();
    s.create_client(&t.id, rs, T0).await.unwrap();
    assert_eq!(s.list_keys(&t.id, T0).await.unwrap().len(), 2, "{b}: no second RS256 key");

    // A failed creation does not leave a key behind.
    let mut dup = client("es");
    dup.settings.id_token_alg = Alg::EdDSA;
    assert!(matches!(s.create_client(&t.id, dup, T0).await, Err(StoreError::Conflict(_))), "{b}");
    assert_eq!(algs(s.list_keys(&t.id, T0).await.unwrap()), ["ES256", "RS256"], "{b}: no EdDSA key from a failed creation");
});

backend_test!(update_replaces_settings_and_optionally_the_secret(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let z = tenant(s, "ville-z").await;
    s.create_client(&t.id, full_client(), T0).await.unwrap();
    let v = s.catalog_version().await.unwrap();

    let replaced = ClientSettings { redirect_uris: vec![uri("https://new.example/cb")], ..ClientSettings::new(AuthMethod::ClientSecretBasic) };
    let c = s.update_client(&t.id, "portail-citoyen", &replaced, None, T0 + 1).await.unwrap();
    assert_eq!(c.settings, replaced, "{b}");
    assert_eq!(c.secret_digest.as_deref(), Some("q1w2e3-digest"), "{b}: secret kept when not given");
    assert_eq!(s.client(&t.id, "portail-citoyen").await.unwrap().unwrap().settings, replaced, "{b}");
    assert!(s.catalog_version().await.unwrap() > v, "{b}: an update bumps the catalog");

    let c = s.update_client(&t.id, "portail-citoyen", &replaced, Some(None), T0 + 2).await.unwrap();
    assert_eq!(c.secret_digest, None, "{b}: secret removed");
    let e = s.update_client(&z.id, "portail-citoyen", &replaced, None, T0).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{b}: other tenant's client: {e:?}");

    let v = s.catalog_version().await.unwrap();
    s.set_registration_token(&t.id, "portail-citoyen", "rotated").await.unwrap();
    assert_eq!(s.client(&t.id, "portail-citoyen").await.unwrap().unwrap().registration_token_digest.as_deref(), Some("rotated"), "{b}");
    assert_eq!(s.catalog_version().await.unwrap(), v + 1, "{b}: nodes cache clients until the version moves");
    assert!(matches!(s.set_registration_token(&z.id, "portail-citoyen", "x").await, Err(StoreError::NotFound(_))), "{b}");
    assert_eq!(s.catalog_version().await.unwrap(), v + 1, "{b}: a failed write does not bump");
});

backend_test!(initial_access_tokens_are_spent_atomically(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let z = tenant(s, "ville-z").await;
    s.create_initial_access_token(&t.id, "twice", T0 + 100, Some(2), T0).await.unwrap();
    s.create_initial_access_token(&t.id, "unlimited", T0 + 100, None, T0).await.unwrap();
    assert!(!s.use_initial_access_token(&z.id, "twice", T0).await.unwrap(), "{b}: another tenant's token");
    assert!(s.use_initial_access_token(&t.id, "twice", T0).await.unwrap(), "{b}");
    assert!(s.use_initial_access_token(&t.id, "twice", T0).await.unwrap(), "{b}");
    assert!(!s.use_initial_access_token(&t.id, "twice", T0).await.unwrap(), "{b}: used up");
    for _ in 0..5 {
        assert!(s.use_initial_access_token(&t.id, "unlimited", T0 + 99).await.unwrap(), "{b}");
    }
    assert!(!s.use_initial_access_token(&t.id, "unlimited", T0 + 100).await.unwrap(), "{b}: expired");
    assert!(!s.use_initial_access_token(&t.id, "unknown", T0).await.unwrap(), "{b}");

    // Concurrent spending of a single use: exactly one wins.
    s.create_initial_access_token(&t.id, "once", T0 + 100, Some(1), T0).await.unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (s, id) = (s.clone(), t.id.clone());
            tokio::spawn(async move { s.use_initial_access_token(&id, "once", T0).await.unwrap() })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        wins += usize::from(task.await.unwrap());
    }
    assert_eq!(wins, 1, "{b}");
});

backend_test!(logout_queue_claims_each_delivery_once(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let item = |c: &str| NewLogoutDelivery { tenant_id: t.id.clone(), client_id: c.into(), uri: format!("https://{c}.example/bc"), logout_token: format!("token-{c}"), kind: Default::default() };
    let queued = s.queue_logout_deliveries(vec![item("a"), item("b")], T0).await.unwrap();
    assert_eq!(queued.iter().map(|q| (q.client_id.as_str(), q.attempts, q.next_attempt_at)).collect::<Vec<_>>(), [("a", 0, T0), ("b", 0, T0)], "{b}");
    assert!(s.queue_logout_deliveries(vec![], T0).await.unwrap().is_empty(), "{b}");
    assert!(s.due_logout_deliveries(T0 - 1, 10).await.unwrap().is_empty(), "{b}: not due before now");
    let due = s.due_logout_deliveries(T0, 10).await.unwrap();
    assert_eq!(due.len(), 2, "{b}");
    let d = due.iter().find(|d| d.client_id == "a").unwrap();
    assert_eq!(d, &queued[0], "{b}: what was queued is what is due");
    assert_eq!((d.attempts, d.logout_token.as_str()), (0, "token-a"), "{b}");

    assert!(s.claim_logout_delivery(d, T0 + 30).await.unwrap(), "{b}");
    assert!(!s.claim_logout_delivery(d, T0 + 30).await.unwrap(), "{b}: a second claim of the same read fails");
    assert_eq!(s.due_logout_deliveries(T0, 10).await.unwrap().len(), 1, "{b}: leased while in flight");
    s.retry_logout_delivery(&d.id, T0 + 60).await.unwrap();
    let again = s.due_logout_deliveries(T0 + 60, 10).await.unwrap();
    let d2 = again.iter().find(|x| x.id == d.id).unwrap();
    assert_eq!(d2.attempts, 1, "{b}");
    s.remove_logout_delivery(&d.id).await.unwrap();
    assert!(s.due_logout_deliveries(T0 + 1000, 10).await.unwrap().iter().all(|x| x.id != d.id), "{b}");
});

backend_test!(federation_registrations_replace_each_other_never_an_operator_client(be, b) {
    use trame_core::client::{FederationRegistration, RegistrationKind};
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let rp = ClientId::parse("https://rp.example").unwrap();
    let reg = |kind, expires_at| FederationRegistration { kind, trust_anchor: "https://ta.example".into(), expires_at };
    let mut settings = full_client().settings;
    let first = s.register_federation_client(&t.id, &rp, &settings, &reg(RegistrationKind::Automatic, T0 + 3600), T0).await.unwrap();
    assert_eq!(first.federation, Some(reg(RegistrationKind::Automatic, T0 + 3600)), "{b}");
    assert_eq!((first.secret_digest.as_deref(), first.registration_token_digest.as_deref()), (None, None), "{b}");
    assert!(!first.is_expired(T0 + 3599) && first.is_expired(T0 + 3600), "{b}: lapses with the chain");

    // Registering again replaces settings and registration: still one client.
    let v = s.catalog_version().await.unwrap();
    settings.name = Some("renamed".into());
    s.register_federation_client(&t.id, &rp, &settings, &reg(RegistrationKind::Explicit, T0 + 7200), T0 + 10).await.unwrap();
    let got = s.client(&t.id, rp.as_str()).await.unwrap().unwrap();
    assert_eq!((got.name.as_deref(), got.federation.clone()), (Some("renamed"), Some(reg(RegistrationKind::Explicit, T0 + 7200))), "{b}");
    assert_eq!(s.list_clients(&t.id).await.unwrap().len(), 1, "{b}");
    assert!(s.catalog_version().await.unwrap() > v, "{b}: other nodes see it");

    // An operator's client of the same id is never taken over.
    let op = client("https://op-made.example");
    s.create_client(&t.id, op, T0).await.unwrap();
    let id = ClientId::parse("https://op-made.example").unwrap();
    let e = s.register_federation_client(&t.id, &id, &settings, &reg(RegistrationKind::Automatic, T0 + 3600), T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: {e:?}");
    let kept = s.client(&t.id, id.as_str()).await.unwrap().unwrap();
    assert_eq!((kept.federation.clone(), kept.name.clone()), (None, None), "{b}: untouched");
});

backend_test!(a_conditional_client_change_wins_once(be, b) {
    let s = &be.store;
    let t = tenant(s, "ville-a").await;
    let read = s.create_client(&t.id, client("app"), T0).await.unwrap().settings;
    // Eight writers from the same reading, as administrators on several
    // nodes: exactly one finds what it read.
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(8));
    let tasks: Vec<_> = (0..8)
        .map(|n| {
            let (store, read, tenant_id, start) = (s.clone(), read.clone(), t.id.clone(), start.clone());
            tokio::spawn(async move {
                let mine = ClientSettings { name: Some(format!("writer {n}")), ..read.clone() };
                start.wait().await;
                // SQLite refuses a second writer outright ("database is
                // locked") where PostgreSQL makes it wait: both leave one.
                matches!(store.update_client_if(&tenant_id, "app", &mine, None, Some(&read), T0 + 1).await, Ok(Some(_)))
            })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        wins += usize::from(task.await.unwrap());
    }
    assert_eq!(wins, 1, "{b}: one write");
    let now = s.client(&t.id, "app").await.unwrap().unwrap().settings;
    assert!(now.name.as_deref().is_some_and(|n| n.starts_with("writer ")), "{b}");
    // From the current reading it applies; from the first, never again.
    let next = ClientSettings { name: Some("again".into()), ..now.clone() };
    assert!(s.update_client_if(&t.id, "app", &next, None, Some(&read), T0 + 2).await.unwrap().is_none(), "{b}");
    assert!(s.update_client_if(&t.id, "app", &next, None, Some(&now), T0 + 2).await.unwrap().is_some(), "{b}");
});
