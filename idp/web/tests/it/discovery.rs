//! Discovery, JWKS, and tenant resolution (host, path prefix, trusted
//! proxies).

use std::net::SocketAddr;

use crate::common::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use trame_core::crypto::secret_digest;

async fn get_on(env: &Env, host: &str, path: &str, peer: SocketAddr, extra: &[(&str, &str)]) -> Resp {
    let mut b = Request::get(path).header(header::HOST, host);
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    let mut req = b.body(Body::empty()).unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    env.send(req).await
}

fn check_discovery(d: &Value, issuer: &str) {
    assert_eq!(d["issuer"], issuer);
    for k in
        ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "revocation_endpoint", "introspection_endpoint", "end_session_endpoint"]
    {
        let v = d[k].as_str().unwrap_or_else(|| panic!("{k} missing"));
        assert!(v.starts_with(&format!("{issuer}/")), "{k} = {v} is not under {issuer}");
    }
    assert_eq!(d["authorization_endpoint"], format!("{issuer}/authorize"));
    assert_eq!(d["token_endpoint"], format!("{issuer}/token"));
    assert_eq!(d["jwks_uri"], format!("{issuer}/jwks"));
    assert_eq!(d["authorization_response_iss_parameter_supported"], true);
    assert_eq!(d["code_challenge_methods_supported"], serde_json::json!(["S256"]));
    assert_eq!(d["response_types_supported"], serde_json::json!(["code"]));
    assert!(d["subject_types_supported"].as_array().unwrap().contains(&"public".into()));
    assert!(d["id_token_signing_alg_values_supported"].as_array().unwrap().contains(&"ES256".into()));
    assert!(d["scopes_supported"].as_array().unwrap().contains(&"openid".into()));
    let grants = d["grant_types_supported"].as_array().unwrap();
    assert!(!grants.contains(&"implicit".into()) && !grants.contains(&"password".into()));
    assert!(!d["token_endpoint_auth_methods_supported"].as_array().unwrap().contains(&"client_secret_jwt".into()));
}

backend_test!(
    async fn discovery_and_jwks(env) {
        let r = env.get("/.well-known/openid-configuration").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.header("content-type").unwrap().starts_with("application/json"));
        check_discovery(&r.json(), ISSUER);

        let r = env.get("/jwks").await;
        assert_eq!(r.status, StatusCode::OK);
        let jwks = r.json();
        let keys = jwks["keys"].as_array().unwrap();
        assert!(!keys.is_empty());
        for k in keys {
            for private in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] {
                assert!(k.get(private).is_none(), "private member {private} published: {k}");
            }
            assert!(k["kid"].as_str().is_some_and(|s| !s.is_empty()));
            assert!(k["alg"].as_str().is_some());
            assert!(k.get("use").is_none_or(|u| u == "sig"));
        }
        // The ID token's kid is in the JWKS.
        let t = env.tokens_basic("openid").await;
        let id = t["id_token"].as_str().unwrap();
        use base64::Engine as _;
        let header: Value = serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id.split('.').next().unwrap()).unwrap()).unwrap();
        assert!(keys.iter().any(|k| k["kid"] == header["kid"]), "{header}");
        assert_eq!(jwt_claims(id)["iss"], ISSUER);
    }
);

backend_test!(
    async fn health_and_assets(env) {
        assert_eq!(env.get("/_trame/health").await.status, StatusCode::OK);
        let r = env.get("/_trame/ready").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["database"], true);
        let r = env.get("/_trame/assets/trame.css").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.header("content-type").unwrap().starts_with("text/css"));
        env.get("/_trame/assets/nope.css").await.assert_page(StatusCode::NOT_FOUND);
        env.get("/_trame/assets/..%2F..%2FCargo.toml").await.assert_page(StatusCode::NOT_FOUND);
    }
);

backend_test_raw!(
    async fn path_tenants(backend) {
        let env = Env::with(backend, "http://localhost:8080/ville", HOST, vec![]).await;
        let now = env.clock.now();
        seed(&env.state.store, "ville-b", "http://localhost:8080/ville-b", now).await;
        env.refresh_catalog().await;

        let r = env.get("/ville/.well-known/openid-configuration").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        check_discovery(&r.json(), "http://localhost:8080/ville");
        let r = env.get("/ville-b/.well-known/openid-configuration").await;
        assert_eq!(r.status, StatusCode::OK);
        check_discovery(&r.json(), "http://localhost:8080/ville-b");
        // Unknown tenant paths, and the prefix only at a segment boundary.
        for p in ["/.well-known/openid-configuration", "/autre/.well-known/openid-configuration", "/villex/jwks", "/jwks", "/"] {
            env.get(p).await.assert_page(StatusCode::NOT_FOUND);
        }
        // Unknown path under a tenant.
        env.get("/ville/nope").await.assert_page(StatusCode::NOT_FOUND);
        // An unknown Host falls back to the public authority.
        let r = get_on(&env, "other.example", "/ville/.well-known/openid-configuration", "198.51.100.2:1".parse().unwrap(), &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["issuer"], "http://localhost:8080/ville");

        // A whole flow under the prefix: cookies are per tenant.
        let mut b = env.browser();
        let r = b.get(&format!("/ville/authorize?{}", encode(&basic_params("openid")))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let loc = r.location().unwrap();
        assert!(loc.starts_with("http://localhost:8080/ville/login?interaction="), "{loc}");
        let cookies = r.set_cookies();
        assert!(cookies.iter().any(|c| c.starts_with("trame_browser_ville=") && c.contains("Path=/ville;")), "{cookies:?}");
        let page = b.get(&loc).await;
        let ia = page.input("interaction").unwrap();
        let csrf = page.input("csrf").unwrap();
        let r = b.post("/ville/login", &[("interaction", &ia), ("csrf", &csrf), ("username", USERNAME), ("password", PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().unwrap().starts_with("http://localhost:8080/ville/consent?"));
        // The other tenant's pages do not accept this tenant's interaction.
        b.get(&format!("/ville-b/login?interaction={ia}")).await.assert_page(StatusCode::BAD_REQUEST);
    }
);

backend_test!(
    async fn host_tenant_and_trusted_proxies(env) {
        let now = env.clock.now();
        seed(&env.state.store, "exemple", "https://login.ville-exemple.fr", now).await;
        env.refresh_catalog().await;
        let outside: SocketAddr = "198.51.100.2:1".parse().unwrap();
        let r = get_on(&env, "login.ville-exemple.fr", "/.well-known/openid-configuration", outside, &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        check_discovery(&r.json(), "https://login.ville-exemple.fr");
        // Host is case-insensitive.
        let r = get_on(&env, "LOGIN.Ville-Exemple.FR", "/.well-known/openid-configuration", outside, &[]).await;
        assert_eq!(r.json()["issuer"], "https://login.ville-exemple.fr");
        let r = get_on(&env, HOST, "/.well-known/openid-configuration", outside, &[]).await;
        assert_eq!(r.json()["issuer"], ISSUER);
        // X-Forwarded-Host from an untrusted peer is ignored.
        let r = get_on(&env, HOST, "/.well-known/openid-configuration", outside, &[("x-forwarded-host", "login.ville-exemple.fr")]).await;
        assert_eq!(r.json()["issuer"], ISSUER);
    }
);

backend_test_raw!(
    async fn forwarded_headers_from_trusted_proxies_only(backend) {
        let env = Env::with(backend, ISSUER, HOST, vec!["10.0.0.0/8".parse().unwrap()]).await;
        seed(&env.state.store, "exemple", "https://login.ville-exemple.fr", env.clock.now()).await;
        env.refresh_catalog().await;
        let proxy: SocketAddr = "10.1.2.3:5555".parse().unwrap();
        let outside: SocketAddr = "198.51.100.2:1".parse().unwrap();
        let r = get_on(&env, HOST, "/.well-known/openid-configuration", proxy, &[("x-forwarded-host", "login.ville-exemple.fr")]).await;
        assert_eq!(r.json()["issuer"], "https://login.ville-exemple.fr");
        let r = get_on(&env, HOST, "/.well-known/openid-configuration", outside, &[("x-forwarded-host", "login.ville-exemple.fr")]).await;
        assert_eq!(r.json()["issuer"], ISSUER);

        // X-Forwarded-For decides the address sign-in failures are counted
        // against, only when the peer is a trusted proxy.
        let addr_count = |ip: &str| {
            let key = format!("thr:i:{}:{}", env.tenant.id, secret_digest(ip));
            let eph = env.state.ephemeral.clone();
            async move { eph.count(&key).await.unwrap() }
        };
        let mut b = env.browser();
        b.peer = proxy;
        let (_, page) = b.login_page(&basic_params("openid")).await;
        let ia = page.input("interaction").unwrap();
        let csrf = page.input("csrf").unwrap();
        let form = encode(&[("interaction", &ia), ("csrf", &csrf), ("username", USERNAME), ("password", "wrong")]);
        let cookie = b.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let post = |peer: SocketAddr, xff: &str| {
            let mut req = Request::post("/login")
                .header(header::HOST, HOST)
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("x-forwarded-for", xff)
                .body(Body::from(form.clone()))
                .unwrap();
            req.extensions_mut().insert(ConnectInfo(peer));
            req
        };
        assert_eq!(env.send(post(proxy, "192.0.2.50")).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(addr_count("192.0.2.50").await, 1);
        assert_eq!(addr_count("10.1.2.3").await, 0);
        // A spoofed left-most entry is skipped: the right-most untrusted one counts.
        assert_eq!(env.send(post(proxy, "6.6.6.6, 192.0.2.50, 10.9.9.9")).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(addr_count("192.0.2.50").await, 2);
        assert_eq!(addr_count("6.6.6.6").await, 0);
        // From an untrusted peer the header is ignored.
        assert_eq!(env.send(post(outside, "192.0.2.50")).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(addr_count("192.0.2.50").await, 2);
        assert_eq!(addr_count("198.51.100.2").await, 1);
    }
);

backend_test!(
    async fn not_ready_while_draining_or_without_the_database(env) {
        env.state.start_draining();
        let r = env.get("/_trame/ready").await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.json()["draining"], true);
        assert_eq!(r.json()["database"], true);
        // Alive, and still serving the requests that reach it.
        assert_eq!(env.get("/_trame/health").await.status, StatusCode::OK);
        assert_eq!(env.get("/.well-known/openid-configuration").await.status, StatusCode::OK);

        let env = Env::new(env.backend).await;
        env.state.store.clone().close().await;
        let r = env.get("/_trame/ready").await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!((r.json()["database"].as_bool(), r.json()["draining"].as_bool()), (Some(false), Some(false)));
    }
);
