//! Trame's own requests and proxies (issue 22): a proxy named in the
//! environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`) is never used,
//! since through a proxy a name travels unresolved and the check that it
//! is a public address would never run; the `outbound_proxy` setting is
//! used, and a name of a private address is refused before it reaches it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use trame_core::OsRandom;
use trame_core::keys::generate;
use trame_jose::{Alg, SigningKey};

use crate::common::{Install, Server};

/// A "proxy" that counts connections and answers each with a 502.
async fn proxy() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            let _ = s.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
        }
    });
    (url, hits)
}

/// The client's JWKS server, counting requests that reach it directly.
async fn jwks_server(jwks: Value) -> (u16, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let counted = counted.clone();
        let jwks = jwks.clone();
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            axum::Json(jwks)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, hits)
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A `/token` call of `client_id` with a valid assertion; the status.
async fn token(server: &Server, public_url: &str, key: &SigningKey, client_id: &str) -> (u16, Value) {
    let jti = trame_core::crypto::random_token(&OsRandom);
    let claims: Map<String, Value> =
        json!({"iss": client_id, "sub": client_id, "aud": format!("{public_url}/token"), "jti": jti, "exp": now() + 60}).as_object().unwrap().clone();
    let res = reqwest::Client::new()
        .post(format!("{}/token", server.base()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", &key.sign("JWT", &claims).unwrap()),
        ])
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn proxies_never_carry_requests_past_the_address_check() {
    for mut i in [Install::embedded(), Install::scaled_out().await] {
        let g = generate(Alg::ES256, &OsRandom).unwrap();
        let key = SigningKey::from_pem(Alg::ES256, Some(&g.kid), &g.private_pem).unwrap();
        let (port, jwks_hits) = jwks_server(json!({"keys": [g.public_jwk]})).await;
        // `localhost` resolves to a private address; http goes through
        // HTTP_PROXY, https through HTTPS_PROXY (CONNECT).
        for (id, uri) in [("by-http", format!("http://localhost:{port}/jwks")), ("by-https", format!("https://localhost:{port}/jwks"))] {
            i.ok(&[
                "client",
                "add",
                "--client-id",
                id,
                "--auth-method",
                "private_key_jwt",
                "--jwks-uri",
                &uri,
                "--grant-type",
                "client_credentials",
                "--scope",
                "api",
            ]);
        }

        // 1. A proxy in the environment, public addresses only.
        let (env_proxy, env_proxy_hits) = proxy().await;
        i.extra_env.insert("TRAME_OUTBOUND_REACH".into(), "public".into());
        for var in ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"] {
            i.extra_env.insert(var.into(), env_proxy.clone());
        }
        let mut server = i.serve().await;
        for id in ["by-http", "by-https"] {
            let (status, body) = token(&server, &i.public_url, &key, id).await;
            assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "{id}: {body}");
            assert_eq!(body["error_description"], "the client's keys cannot be fetched");
        }
        assert_eq!(env_proxy_hits.load(Ordering::SeqCst), 0, "the environment's proxy got no connection");
        assert_eq!(jwks_hits.load(Ordering::SeqCst), 0, "nor did the private address");
        let log = server.log_text();
        assert!(log.contains("outbound requests") && log.contains("public: every tenant reaches public addresses only"), "the policy is logged: {log}");
        server.terminate();

        // 2. The configured proxy: a private name is refused before it.
        let (proxy_url, proxy_hits) = proxy().await;
        i.extra_env.insert("TRAME_OUTBOUND_PROXY".into(), proxy_url);
        let mut server = i.serve_on(crate::common::free_port()).await;
        for id in ["by-http", "by-https"] {
            let (status, body) = token(&server, &i.public_url, &key, id).await;
            assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "{id}: {body}");
        }
        assert_eq!(proxy_hits.load(Ordering::SeqCst), 0, "refused before the proxy");
        server.terminate();

        // 3. With any address allowed, requests do go through the
        // configured proxy (and never around it, nor through the
        // environment's).
        i.extra_env.insert("TRAME_OUTBOUND_REACH".into(), "any".into());
        let mut server = i.serve_on(crate::common::free_port()).await;
        let (status, _) = token(&server, &i.public_url, &key, "by-http").await;
        assert_eq!(status, 401, "the proxy answered 502");
        assert_eq!(proxy_hits.load(Ordering::SeqCst), 1, "the configured proxy carried the request");
        assert_eq!((env_proxy_hits.load(Ordering::SeqCst), jwks_hits.load(Ordering::SeqCst)), (0, 0));
        server.terminate();
    }
}
