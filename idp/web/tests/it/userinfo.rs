//! The UserInfo endpoint (OIDC Core §5.3, RFC 6750): token transport,
//! Bearer challenges, expiry and revocation, claims per scope.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

fn req(method: &str, auth: Option<&str>, form: Option<&str>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri("/userinfo").header(header::HOST, HOST);
    if let Some(a) = auth {
        b = b.header(header::AUTHORIZATION, a);
    }
    match form {
        Some(f) => b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(f.to_owned())).unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

backend_test!(
    async fn transports(env) {
        let t = env.tokens_basic("openid").await;
        let at = t["access_token"].as_str().unwrap();
        let bearer = format!("Bearer {at}");
        let get = env.send(req("GET", Some(&bearer), None)).await;
        assert_eq!(get.status, StatusCode::OK, "{}", get.body);
        assert!(get.json()["sub"].as_str().is_some_and(|s| !s.is_empty()));
        assert_eq!(get.header("cache-control").as_deref(), Some("no-store"));
        let post = env.send(req("POST", Some(&bearer), None)).await;
        assert_eq!(post.status, StatusCode::OK);
        let body = env.send(req("POST", None, Some(&encode(&[("access_token", at)])))).await;
        assert_eq!(body.status, StatusCode::OK, "{}", body.body);
        assert_eq!(get.json(), body.json());
        // The scheme is case-insensitive.
        assert_eq!(env.send(req("GET", Some(&format!("bearer {at}")), None)).await.status, StatusCode::OK);
    }
);

backend_test!(
    async fn errors(env) {
        let t = env.tokens_basic("openid").await;
        let at = t["access_token"].as_str().unwrap();
        // No token: 401 with a bare Bearer challenge (RFC 6750 §3.1).
        for r in [env.send(req("GET", None, None)).await, env.send(req("POST", None, None)).await] {
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            let ch = r.header("www-authenticate").unwrap();
            assert!(ch.starts_with("Bearer"), "{ch}");
            assert!(!ch.contains("error="), "no error code without a token: {ch}");
            assert!(r.json().get("error").is_none(), "no error code without a token: {}", r.body);
        }
        // Malformed tokens.
        for bad in ["Bearer abc", "Bearer a.b.c", &format!("Bearer {at}x")] {
            let r = env.send(req("GET", Some(bad), None)).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{bad}");
            assert!(r.header("www-authenticate").unwrap().contains("error=\"invalid_token\""), "{bad}");
        }
        // An ID token is not an access token.
        let r = env.send(req("GET", Some(&format!("Bearer {}", t["id_token"].as_str().unwrap())), None)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.header("www-authenticate").unwrap().contains("invalid_token"));
        // Token in the header and in the body: 400 invalid_request.
        let r = env.send(req("POST", Some(&format!("Bearer {at}")), Some(&encode(&[("access_token", at)])))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert!(r.header("www-authenticate").unwrap().contains("error=\"invalid_request\""));
        // A token in the query string is not accepted.
        let r = env.send(Request::get(format!("/userinfo?access_token={at}")).header(header::HOST, HOST).body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        // A non-Bearer scheme carries no bearer credential: 401 with a bare
        // challenge (RFC 6750 §3.1).
        let r = env.send(req("GET", Some("Basic dXNlcjpwYXNz"), None)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let challenge = r.header("www-authenticate").unwrap();
        assert!(challenge.starts_with("Bearer") && !challenge.contains("error="), "{challenge}");
    }
);

backend_test!(
    async fn expired_and_revoked(env) {
        let t = env.tokens_basic("openid").await;
        let at = t["access_token"].as_str().unwrap().to_owned();
        let t2 = env.tokens_basic("openid").await;
        let at2 = t2["access_token"].as_str().unwrap().to_owned();
        // Revoked by its client.
        let r = env.post_form("/revoke", &[("token", &at2)], Some((BASIC_ID, BASIC_SECRET))).await;
        assert_eq!(r.status, StatusCode::OK);
        let r = env.userinfo(&at2).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.header("www-authenticate").unwrap().contains("error=\"invalid_token\""));
        // Expired.
        assert_eq!(env.userinfo(&at).await.status, StatusCode::OK);
        env.clock.advance(trame_core::lifetimes::ACCESS_TOKEN + 1);
        let r = env.userinfo(&at).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.header("www-authenticate").unwrap().contains("error=\"invalid_token\""));
        assert_eq!(env.introspect(&at).await["active"], false);
    }
);

backend_test!(
    async fn claims_follow_scopes(env) {
        let t = env.tokens_basic("openid").await;
        let c = env.userinfo(t["access_token"].as_str().unwrap()).await.json();
        assert!(c.get("email").is_none(), "{c}");
        assert!(c.get("given_name").is_none(), "{c}");
        assert!(c.get("preferred_username").is_none(), "{c}");

        let t = env.tokens_basic("openid email").await;
        let c = env.userinfo(t["access_token"].as_str().unwrap()).await.json();
        assert_eq!(c["email"], "alice@example.fr", "{c}");
        assert!(c.get("given_name").is_none(), "{c}");

        let t = env.tokens_basic("openid profile").await;
        let c = env.userinfo(t["access_token"].as_str().unwrap()).await.json();
        assert_eq!(c["given_name"], "Alice", "{c}");
        assert_eq!(c["family_name"], "Martin", "{c}");
        assert!(c.get("email").is_none(), "{c}");

        let t = env.tokens_basic("openid profile email").await;
        let c = env.userinfo(t["access_token"].as_str().unwrap()).await.json();
        assert_eq!(c["email"], "alice@example.fr");
        assert_eq!(c["given_name"], "Alice");
        // sub in userinfo equals sub in the ID token.
        let id_claims = jwt_claims(t["id_token"].as_str().unwrap());
        assert_eq!(c["sub"], id_claims["sub"]);
    }
);

backend_test!(
    async fn signed_responses_for_clients_that_registered_them(env) {
        use trame_core::client::{AuthMethod, ClientSettings, PkcePolicy};
        use trame_core::ids::{ClientId, RedirectUri};
        use trame_jose::Alg;
        let now = env.clock.now();
        let mut new = trame_store::NewClient {
            client_id: ClientId::parse("rp-signed").unwrap(),
            secret_digest: Some(trame_core::crypto::secret_digest(BASIC_SECRET)),
            registration_token_digest: None,
            settings: ClientSettings {
                redirect_uris: vec![RedirectUri::parse(BASIC_REDIRECT).unwrap()],
                scopes: trame_core::scope::Scopes::parse("openid email").unwrap(),
                pkce: PkcePolicy::Optional,
                skip_consent: true,
                userinfo_alg: Some(Alg::RS256),
                ..ClientSettings::new(AuthMethod::ClientSecretBasic)
            },
        };
        env.state.store.create_client(&env.tenant.id, new.clone(), now).await.unwrap();
        env.refresh_catalog().await;
        let params = [("response_type", "code"), ("client_id", "rp-signed"), ("redirect_uri", BASIC_REDIRECT), ("scope", "openid email"), ("state", "s")];
        let (code, _) = env.code_for(&params).await;
        let t = env.post_form("/token", &[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT)], Some(("rp-signed", BASIC_SECRET))).await;
        assert_eq!(t.status, StatusCode::OK, "{}", t.body);
        let at = t.json()["access_token"].as_str().unwrap().to_owned();
        let r = env.send(req("GET", Some(&format!("Bearer {at}")), None)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.header("content-type").as_deref(), Some("application/jwt"));
        let jwks = env.get("/jwks").await.json();
        let jwks = jwks["keys"].as_array().unwrap().clone();
        let v = trame_jose::Jwks::lenient(&jwks).verify(&r.body, &[Alg::RS256]).expect("signed with the tenant's RS256 key");
        assert_eq!(v.claims["iss"], ISSUER);
        assert_eq!(v.claims["aud"], "rp-signed");
        assert_eq!(v.claims["email"], "alice@example.fr");
        assert!(v.claims["sub"].as_str().is_some());
        // Other clients keep plain JSON.
        let t = env.tokens_basic("openid").await;
        let r = env.send(req("GET", Some(&format!("Bearer {}", t["access_token"].as_str().unwrap())), None)).await;
        assert!(r.header("content-type").unwrap().starts_with("application/json"));
        new.client_id = ClientId::parse("rp-signed-2").unwrap();
        new.settings.userinfo_alg = Some(Alg::EdDSA);
        env.state.store.create_client(&env.tenant.id, new, now).await.unwrap();
        assert!(env.state.store.list_keys(&env.tenant.id, now).await.unwrap().iter().any(|k| k.alg == Alg::EdDSA), "a key for the UserInfo algorithm");
    }
);
