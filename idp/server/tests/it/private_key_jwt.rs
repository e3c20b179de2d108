//! `private_key_jwt` client authentication (RFC 7523), with a client whose
//! keys were registered by the CLI: a valid assertion works once; replays,
//! wrong audiences, expired assertions and unknown keys are refused.

use crate::common::Install;
use serde_json::{Map, Value, json};
use trame_core::OsRandom;
use trame_core::keys::generate;
use trame_jose::{Alg, SigningKey};

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn assertion(key: &SigningKey, client_id: &str, aud: &str, jti: &str, exp: i64) -> String {
    let claims: Map<String, Value> = json!({"iss": client_id, "sub": client_id, "aud": aud, "jti": jti, "exp": exp, "iat": now()}).as_object().unwrap().clone();
    key.sign("JWT", &claims).unwrap()
}

async fn token(base: &str, assertion: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(format!("{base}/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion),
        ])
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn private_key_jwt_client_authentication() {
    for i in [Install::embedded(), Install::scaled_out().await] {
        let generated = generate(Alg::ES256, &OsRandom).unwrap();
        let key = SigningKey::from_pem(Alg::ES256, Some(&generated.kid), &generated.private_pem).unwrap();
        let jwks_file = i.dir.path.join("client-jwks.json");
        std::fs::write(&jwks_file, json!({"keys": [generated.public_jwk]}).to_string()).unwrap();
        i.ok(&[
            "client",
            "add",
            "--client-id",
            "pkjwt",
            "--auth-method",
            "private_key_jwt",
            "--jwks-file",
            jwks_file.to_str().unwrap(),
            "--grant-type",
            "client_credentials",
            "--scope",
            "api",
        ]);
        // A private key in the file is refused: the server must never hold it.
        let private_file = i.dir.path.join("private.json");
        std::fs::write(&private_file, r#"{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"secret"}]}"#).unwrap();
        assert!(
            !i.cli(&[
                "client",
                "add",
                "--client-id",
                "leaky",
                "--auth-method",
                "private_key_jwt",
                "--jwks-file",
                private_file.to_str().unwrap(),
                "--grant-type",
                "client_credentials"
            ])
            .status
            .success()
        );
        std::fs::write(&private_file, r#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#).unwrap();
        assert!(
            !i.cli(&[
                "client",
                "add",
                "--client-id",
                "leaky",
                "--auth-method",
                "private_key_jwt",
                "--jwks-file",
                private_file.to_str().unwrap(),
                "--grant-type",
                "client_credentials"
            ])
            .status
            .success()
        );
        // Neither refused client was written.
        assert!(i.ok(&["client", "list"]).contains("pkjwt") && !i.ok(&["client", "list"]).contains("leaky"));

        let server = i.serve().await;
        let base = server.base();
        let endpoint = format!("{}/token", i.public_url);

        let a = assertion(&key, "pkjwt", &endpoint, "jti-1", now() + 60);
        let (status, body) = token(&base, &a).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["token_type"], "Bearer");

        // The issuer is an accepted audience too.
        let (status, _) = token(&base, &assertion(&key, "pkjwt", &i.public_url, "jti-2", now() + 60)).await;
        assert_eq!(status, 200);

        let (status, body) = token(&base, &a).await;
        assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "a replayed assertion is refused");

        let cases = [
            ("wrong audience", assertion(&key, "pkjwt", "https://elsewhere.example/token", "jti-3", now() + 60)),
            ("expired", assertion(&key, "pkjwt", &endpoint, "jti-4", now() - 600)),
            ("too long-lived", assertion(&key, "pkjwt", &endpoint, "jti-5", now() + 86_400)),
            ("not a JWT", "not.a.jwt".to_owned()),
        ];
        for (what, a) in cases {
            let (status, body) = token(&base, &a).await;
            assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "{what}: {body}");
        }
        // Signed by a key the client did not register.
        let other = generate(Alg::ES256, &OsRandom).unwrap();
        let other = SigningKey::from_pem(Alg::ES256, Some(&generated.kid), &other.private_pem).unwrap();
        let (status, _) = token(&base, &assertion(&other, "pkjwt", &endpoint, "jti-6", now() + 60)).await;
        assert_eq!(status, 401, "an assertion signed by an unregistered key is refused");
        // A client_secret_basic header for this client is the wrong method.
        let res = reqwest::Client::new()
            .post(format!("{base}/token"))
            .basic_auth("pkjwt", Some("guess"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }
}
