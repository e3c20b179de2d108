//! Clients: exact round-trip of every field, per-tenant uniqueness, removal,
//! the key for the ID-token algorithm, and the catalog version.


use crate::common::*;
use trame_core::client::{AuthMethod, GrantType, PkcePolicy};
use trame_core::ids::ClientId;
use trame_core::keys::Alg;
use trame_core::scope::Scopes;
use trame_core::subject::SubjectType;
use trame_store::{NewClient, StoreError};

fn full_client() -> NewClient {
    NewClient {
        client_id: ClientId::parse("portail-citoyen").unwrap(),
        name: Some("Portail « citoyen » été".into()),
        secret_digest: Some("q1w2e3-digest".into()),
        auth_method: AuthMethod::PrivateKeyJwt,
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
        jwks: Some(serde_json::json!({"keys": [{"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", "kid": "k1", "use": "sig", "n": 1.5, "nested": {"a": [true, null]}}]})),
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
        assert_eq!(c.name, new.name, "{b}");
        assert_eq!(c.secret_digest, new.secret_digest, "{b}");
        assert_eq!(c.auth_method, new.auth_method, "{b}");
        assert_eq!(c.redirect_uris, new.redirect_uris, "{b}: redirect URIs in order");
        assert_eq!(c.post_logout_redirect_uris, new.post_logout_redirect_uris, "{b}");
        assert_eq!(c.grant_types, new.grant_types, "{b}: grant types in order");
        assert_eq!(c.scopes, new.scopes, "{b}");
        assert_eq!(c.scopes.to_string_sorted(), "email offline_access openid profile", "{b}");
        assert_eq!(c.subject_type, new.subject_type, "{b}");
        assert_eq!(c.sector_identifier, new.sector_identifier, "{b}");
        assert_eq!(c.pkce, new.pkce, "{b}");
        assert_eq!(c.skip_consent, new.skip_consent, "{b}");
        assert_eq!(c.id_token_alg, new.id_token_alg, "{b}");
        assert_eq!(c.userinfo_alg, new.userinfo_alg, "{b}");
        assert_eq!(c.jwks_uri, new.jwks_uri, "{b}");
        assert_eq!(c.jwks, new.jwks, "{b}: jwks JSON round-trips");
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
    again.name = Some("second".into());
    let e = s.create_client(&a.id, again, T0).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{b}: duplicate client_id gave {e:?}");
    assert_eq!(s.catalog_version().await.unwrap(), v, "{b}: a failed creation does not bump");
    let kept = s.client(&a.id, "app").await.unwrap().unwrap();
    assert_eq!(kept.name, None, "{b}: the first client is untouched");
    assert_eq!(s.list_clients(&a.id).await.unwrap().len(), 1, "{b}");

    // Same client_id in another tenant is a different client.
    let mut other = client("app");
    other.name = Some("Z's app".into());
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
    rs.id_token_alg = Alg::RS256;
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
    dup.id_token_alg = Alg::EdDSA;
    assert!(matches!(s.create_client(&t.id, dup, T0).await, Err(StoreError::Conflict(_))), "{b}");
    assert_eq!(algs(s.list_keys(&t.id, T0).await.unwrap()), ["ES256", "RS256"], "{b}: no EdDSA key from a failed creation");
});
