//! Trame's own requests to clients' servers (issue 22): the reach of a
//! tenant follows its own issuer, failures to fetch a `jwks_uri` all look
//! the same to the caller, and fetched key sets are kept so that
//! unauthenticated `/token` calls do not make Trame fetch each time.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use trame_core::OsRandom;
use trame_core::client::{AuthMethod, ClientSettings, GrantType};
use trame_core::ids::{ClientId, Issuer, TenantSlug};
use trame_core::keys::generate;
use trame_core::scope::Scopes;
use trame_jose::{Alg, SigningKey};
use trame_store::NewClient;

use crate::common::*;

const PUBLIC_ISSUER: &str = "https://login.ville.fr";
const PUBLIC_HOST: &str = "login.ville.fr";

/// A key pair: the signing key and its public JWK Set.
fn key_pair() -> (SigningKey, Value) {
    let g = generate(Alg::ES256, &OsRandom).unwrap();
    (SigningKey::from_pem(Alg::ES256, Some(&g.kid), &g.private_pem).unwrap(), json!({"keys": [g.public_jwk]}))
}

/// A server answering every request with `status`, `cache_control` and
/// `body`; returns its port and the number of requests it got.
async fn serve(status: u16, cache_control: &'static str, body: String) -> (u16, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let counted = counted.clone();
        let body = body.clone();
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            (StatusCode::from_u16(status).unwrap(), [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, cache_control)], body)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, hits)
}

/// A server that answers anything with bytes that are not HTTP.
async fn serve_garbage() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf).await;
            let _ = s.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01garbage").await;
        }
    });
    port
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn add_key_client(env: &Env, tenant_id: &str, id: &str, jwks_uri: &str) {
    let settings = ClientSettings {
        grant_types: vec![GrantType::ClientCredentials],
        scopes: Scopes::parse("api").unwrap(),
        jwks_uri: Some(jwks_uri.to_owned()),
        ..ClientSettings::new(AuthMethod::PrivateKeyJwt)
    };
    let new = NewClient { client_id: ClientId::parse(id).unwrap(), secret_digest: None, registration_token_digest: None, settings };
    env.state.store.create_client(tenant_id, new, env.clock.now()).await.unwrap();
}

fn assertion(env: &Env, key: &SigningKey, client_id: &str, aud: &str) -> String {
    let jti = trame_core::crypto::random_token(&OsRandom);
    let claims: Map<String, Value> =
        json!({"iss": client_id, "sub": client_id, "aud": aud, "jti": jti, "exp": env.clock.now() + 60, "iat": env.clock.now()}).as_object().unwrap().clone();
    key.sign("JWT", &claims).unwrap()
}

async fn token_at(env: &Env, host: &str, assertion: &str) -> Resp {
    let form = encode(&[
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion),
    ]);
    env.send(
        Request::post("/token").header(header::HOST, host).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(form)).unwrap(),
    )
    .await
}

backend_test_raw!(
    async fn a_public_tenant_of_a_localhost_installation_does_not_reach_private_addresses(backend) {
        // The default: no outbound_reach setting, public_url on localhost.
        let env = Env::with_reach(backend, ISSUER, HOST, vec![], None).await;
        let public = env.state.store.create_tenant(&TenantSlug::parse("ville").unwrap(), &Issuer::parse(PUBLIC_ISSUER).unwrap(), "Ville", env.clock.now()).await;
        let public = match public {
            Ok(t) => t,
            // The seeded tenant took the slug: another one.
            Err(_) => env.state.store.create_tenant(&TenantSlug::parse("ville-fr").unwrap(), &Issuer::parse(PUBLIC_ISSUER).unwrap(), "Ville", env.clock.now()).await.unwrap(),
        };
        let (key, jwks) = key_pair();
        let (port, hits) = serve(200, "max-age=3600", jwks.to_string()).await;
        // A name of a private address (the resolver's check) and an address
        // literal (the URL's check).
        add_key_client(&env, &public.id, "by-name", &format!("http://localhost:{port}/jwks")).await;
        add_key_client(&env, &public.id, "by-address", &format!("http://127.0.0.1:{port}/jwks")).await;
        add_key_client(&env, &env.tenant.id, "local", &format!("http://localhost:{port}/jwks")).await;
        env.refresh_catalog().await;

        for id in ["by-name", "by-address"] {
            let r = token_at(&env, PUBLIC_HOST, &assertion(&env, &key, id, &format!("{PUBLIC_ISSUER}/token"))).await;
            r.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
            assert_eq!(r.json()["error_description"], "the client's keys cannot be fetched", "{id}");
        }
        assert_eq!(hits.load(Ordering::SeqCst), 0, "the private address was never reached");
        // The development tenant on localhost reaches its local client.
        let r = token_at(&env, HOST, &assertion(&env, &key, "local", &format!("{ISSUER}/token"))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(hits.load(Ordering::SeqCst), 1);
    }
);

backend_test!(
    async fn every_failure_to_fetch_a_jwks_uri_gives_the_same_answer(env) {
        let (key, _) = key_pair();
        let garbage = serve_garbage().await;
        let (not_found, _) = serve(404, "no-store", "{\"error\":\"not here\"}".into()).await;
        let (not_jwks, _) = serve(200, "no-store", "<html>hello</html>".into()).await;
        let (server_error, _) = serve(503, "no-store", "down".into()).await;
        let targets = [
            ("closed port", format!("http://127.0.0.1:{}/jwks", closed_port())),
            ("garbage", format!("http://127.0.0.1:{garbage}/jwks")),
            ("404", format!("http://127.0.0.1:{not_found}/jwks")),
            ("not a JWK Set", format!("http://127.0.0.1:{not_jwks}/jwks")),
            ("503", format!("http://127.0.0.1:{server_error}/jwks")),
        ];
        let mut answers = Vec::new();
        for (i, (what, uri)) in targets.iter().enumerate() {
            let id = format!("probe-{i}");
            add_key_client(&env, &env.tenant.id, &id, uri).await;
            let r = token_at(&env, HOST, &assertion(&env, &key, &id, &format!("{ISSUER}/token"))).await;
            answers.push((what, r.status, r.header("www-authenticate"), r.bytes));
        }
        for (what, status, challenge, body) in &answers[1..] {
            assert_eq!((status, challenge, body), (&answers[0].1, &answers[0].2, &answers[0].3), "{what} vs {}: {}", answers[0].0, String::from_utf8_lossy(body));
        }
        assert_eq!(answers[0].1, StatusCode::UNAUTHORIZED);
    }
);

backend_test!(
    async fn fetched_client_keys_are_kept(env) {
        let g = generate(Alg::ES256, &OsRandom).unwrap();
        let key = SigningKey::from_pem(Alg::ES256, Some(&g.kid), &g.private_pem).unwrap();
        let jwks = json!({"keys": [g.public_jwk]});
        // Another key under the same key id: a bad signature, not a rotation.
        let impostor = SigningKey::from_pem(Alg::ES256, Some(&g.kid), &generate(Alg::ES256, &OsRandom).unwrap().private_pem).unwrap();
        let (port, hits) = serve(200, "max-age=600", jwks.to_string()).await;
        add_key_client(&env, &env.tenant.id, "keyed", &format!("http://localhost:{port}/jwks")).await;
        let aud = format!("{ISSUER}/token");
        // Unauthenticated calls with assertions no key verifies: one fetch.
        for _ in 0..5 {
            token_at(&env, HOST, &assertion(&env, &impostor, "keyed", &aud)).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        }
        assert_eq!(hits.load(Ordering::SeqCst), 1, "one fetch for five calls");
        let r = token_at(&env, HOST, &assertion(&env, &key, "keyed", &aud)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(hits.load(Ordering::SeqCst), 1, "the kept set verifies");
        // A key id the set lacks may be a rotation: fetched again at once,
        // but a few times a minute at most, whatever is sent.
        let (other, _) = key_pair();
        for _ in 0..20 {
            token_at(&env, HOST, &assertion(&env, &other, "keyed", &aud)).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        }
        let after_unknown = hits.load(Ordering::SeqCst);
        assert_eq!(after_unknown, 1 + 6, "twenty made-up key ids: six refetches a minute (client_keys::UNKNOWN_KID_REFETCHES_PER_MINUTE)");
        // After the floor, a signature that does not verify fetches again,
        // once (the client may have rotated its keys).
        env.clock.advance(61);
        for _ in 0..3 {
            token_at(&env, HOST, &assertion(&env, &impostor, "keyed", &aud)).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        }
        assert_eq!(hits.load(Ordering::SeqCst), after_unknown + 1);
        // A failed fetch is remembered too.
        add_key_client(&env, &env.tenant.id, "unreachable", &format!("http://127.0.0.1:{}/jwks", closed_port())).await;
        let (dead, dead_hits) = serve(404, "max-age=600", String::new()).await;
        add_key_client(&env, &env.tenant.id, "missing", &format!("http://127.0.0.1:{dead}/jwks")).await;
        for _ in 0..3 {
            token_at(&env, HOST, &assertion(&env, &key, "missing", &aud)).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        }
        assert_eq!(dead_hits.load(Ordering::SeqCst), 1);
    }
);
