//! Dynamic client registration (RFC 7591, OIDC Registration 1.0) and the
//! client's management of its registration (RFC 7592): tenant opt-in, open
//! and initial-access-token modes, every refusal with its error code and
//! nothing stored, the registered client working end to end, the sector
//! identifier document fetched from a real HTTP server.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use trame_core::crypto::secret_digest;
use trame_core::tenant::DynamicRegistration;

use crate::common::*;

async fn set_mode(env: &Env, mode: DynamicRegistration) {
    let mut settings = env.tenant.settings.clone();
    settings.dynamic_registration = mode;
    env.state.store.set_tenant_settings("ville", &settings).await.unwrap();
    env.refresh_catalog().await;
}

async fn send_json(env: &Env, method: &str, path: &str, body: Option<&Value>, bearer: Option<&str>) -> Resp {
    let mut b = Request::builder().method(method).uri(path).header(header::HOST, HOST);
    if let Some(t) = bearer {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = match body {
        Some(v) => {
            b = b.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    env.send(b.body(body).unwrap()).await
}

async fn register(env: &Env, body: &Value) -> Resp {
    send_json(env, "POST", "/register", Some(body), None).await
}

fn minimal() -> Value {
    json!({ "redirect_uris": [BASIC_REDIRECT], "client_name": "Cantine scolaire", "grant_types": ["authorization_code", "refresh_token"] })
}

async fn client_count(env: &Env) -> usize {
    env.state.store.list_clients(&env.tenant.id).await.unwrap().len()
}

/// `path` of the registration client URI.
fn path_of(uri: &str) -> String {
    uri.strip_prefix(ISSUER).unwrap().to_owned()
}

backend_test!(
    async fn closed_by_default(env) {
        let r = register(&env, &minimal()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(env.get("/.well-known/openid-configuration").await.json().get("registration_endpoint").is_none());
        assert_eq!(client_count(&env).await, 3);
    }
);

backend_test!(
    async fn open_registration_gives_a_working_client(env) {
        set_mode(&env, DynamicRegistration::Open).await;
        let disco = env.get("/.well-known/openid-configuration").await.json();
        assert_eq!(disco["registration_endpoint"], format!("{ISSUER}/register"));

        let r = register(&env, &minimal()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        let reg = r.json();
        let client_id = reg["client_id"].as_str().unwrap().to_owned();
        let secret = reg["client_secret"].as_str().unwrap().to_owned();
        assert!(client_id.len() >= 43 && secret.len() >= 43, "{reg}");
        assert_eq!(reg["client_secret_expires_at"], 0);
        assert_eq!(reg["token_endpoint_auth_method"], "client_secret_basic");
        assert_eq!(reg["id_token_signed_response_alg"], "RS256", "the specified default");
        assert_eq!(reg["subject_type"], "pairwise");
        assert_eq!(reg["response_types"], json!(["code"]));
        assert_eq!(reg["redirect_uris"], json!([BASIC_REDIRECT]));
        assert_eq!(reg["registration_client_uri"], format!("{ISSUER}/register/{client_id}"));
        assert!(reg["client_id_issued_at"].as_i64().unwrap() > 0);

        // Stored with digests only; never skips consent.
        let stored = env.state.store.client(&env.tenant.id, &client_id).await.unwrap().unwrap();
        assert_eq!(stored.secret_digest.as_deref(), Some(secret_digest(&secret).as_str()));
        assert_eq!(stored.registration_token_digest.as_deref(), Some(secret_digest(reg["registration_access_token"].as_str().unwrap()).as_str()));
        assert!(!stored.skip_consent);

        // The new client signs alice in (consent shown) and gets tokens.
        env.refresh_catalog().await;
        let params = vec![
            ("client_id", client_id.as_str()),
            ("redirect_uri", BASIC_REDIRECT),
            ("response_type", "code"),
            ("scope", "openid email"),
            ("state", "s1"),
            ("nonce", "n1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ];
        let (code, _) = env.code_for(&params).await;
        let t = env
            .post_form("/token", &[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)], Some((&client_id, &secret)))
            .await;
        assert_eq!(t.status, StatusCode::OK, "{}", t.body);
        let id = jwt_claims(t.json()["id_token"].as_str().unwrap());
        assert_eq!(id["aud"], client_id.as_str());
        assert_ne!(id["sub"], env.user_id.as_str(), "pairwise by default");
        let header = jwt_header(t.json()["id_token"].as_str().unwrap());
        assert_eq!(header["alg"], "RS256");
    }
);

backend_test!(
    async fn refusals_name_the_field_and_store_nothing(env) {
        set_mode(&env, DynamicRegistration::Open).await;
        let before = client_count(&env).await;
        let cases: Vec<(Value, &str)> = vec![
            (json!({ "redirect_uris": ["https://rp.example.fr/cb#x"] }), "invalid_redirect_uri"),
            (json!({ "redirect_uris": ["http://rp.example.fr/cb"] }), "invalid_redirect_uri"),
            (json!({ "redirect_uris": "https://rp.example.fr/cb" }), "invalid_redirect_uri"),
            (json!({}), "invalid_redirect_uri"),
            (json!({ "redirect_uris": [BASIC_REDIRECT], "id_token_signed_response_alg": "none" }), "invalid_client_metadata"),
            (json!({ "redirect_uris": [BASIC_REDIRECT], "token_endpoint_auth_method": "private_key_jwt" }), "invalid_client_metadata"),
            (json!({ "redirect_uris": [BASIC_REDIRECT], "userinfo_encrypted_response_alg": "RSA-OAEP-256" }), "invalid_client_metadata"),
            (json!({ "redirect_uris": [BASIC_REDIRECT], "response_types": ["code id_token"] }), "invalid_client_metadata"),
            (json!({ "redirect_uris": [BASIC_REDIRECT], "jwks": { "keys": [{ "kty": "RSA", "n": "x", "e": "AQAB", "d": "private" }] } }), "invalid_client_metadata"),
            (json!({ "redirect_uris": [BASIC_REDIRECT], "sector_identifier_uri": "http://sector.example.fr/s.json" }), "invalid_client_metadata"),
            (json!([1, 2]), "invalid_client_metadata"),
        ];
        for (body, code) in cases {
            let r = register(&env, &body).await;
            r.assert_oauth(StatusCode::BAD_REQUEST, code);
            assert!(!r.json()["error_description"].as_str().unwrap().is_empty(), "{body}");
        }
        // Not JSON at all, or not declared as JSON.
        let raw = |ct: &'static str, body: &'static str| Request::post("/register").header(header::HOST, HOST).header(header::CONTENT_TYPE, ct).body(Body::from(body)).unwrap();
        env.send(raw("application/json", "{not json")).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_client_metadata");
        env.send(raw("application/x-www-form-urlencoded", "redirect_uris=x")).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        assert_eq!(client_count(&env).await, before, "nothing stored");
    }
);

backend_test!(
    async fn initial_access_tokens_gate_registration(env) {
        set_mode(&env, DynamicRegistration::Token).await;
        let now = env.clock.now();
        env.state.store.create_initial_access_token(&env.tenant.id, &secret_digest("iat-once"), now + 3600, Some(1), now).await.unwrap();
        env.state.store.create_initial_access_token(&env.tenant.id, &secret_digest("iat-old"), now - 1, None, now - 100).await.unwrap();

        let r = register(&env, &minimal()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
        for bad in ["nope", "iat-old"] {
            let r = send_json(&env, "POST", "/register", Some(&minimal()), Some(bad)).await;
            r.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_token");
        }
        // Invalid metadata does not spend the token…
        let r = send_json(&env, "POST", "/register", Some(&json!({ "redirect_uris": ["nope"] })), Some("iat-once")).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_redirect_uri");
        // …a registration does, once.
        let r = send_json(&env, "POST", "/register", Some(&minimal()), Some("iat-once")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = send_json(&env, "POST", "/register", Some(&minimal()), Some("iat-once")).await;
        r.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_token");
        assert_eq!(client_count(&env).await, 4);
    }
);

backend_test!(
    async fn the_registration_access_token_reads_updates_and_deletes(env) {
        set_mode(&env, DynamicRegistration::Open).await;
        let reg = register(&env, &minimal()).await.json();
        let token = reg["registration_access_token"].as_str().unwrap().to_owned();
        let secret = reg["client_secret"].as_str().unwrap().to_owned();
        let client_id = reg["client_id"].as_str().unwrap().to_owned();
        let path = path_of(reg["registration_client_uri"].as_str().unwrap());

        // Read: the registered metadata, without the secret.
        let r = send_json(&env, "GET", &path, None, Some(&token)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let read = r.json();
        assert_eq!(read["client_id"], client_id.as_str());
        assert_eq!(read["client_name"], "Cantine scolaire");
        assert!(read.get("client_secret").is_none() && read.get("registration_access_token").is_none());

        // Wrong, missing, or another client's token: the same 401.
        assert_eq!(send_json(&env, "GET", &path, None, None).await.status, StatusCode::UNAUTHORIZED);
        send_json(&env, "GET", &path, None, Some("wrong")).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_token");
        send_json(&env, "GET", &format!("/register/{BASIC_ID}"), None, Some(&token)).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_token");
        send_json(&env, "GET", "/register/unknown", None, Some(&token)).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_token");
        // Operator-made clients have no registration token at all.
        send_json(&env, "DELETE", &format!("/register/{BASIC_ID}"), None, Some("")).await;
        assert!(env.state.store.client(&env.tenant.id, BASIC_ID).await.unwrap().is_some());

        // The client authenticates at the token endpoint (this node now
        // holds it in its catalog's cache): invalid_grant, not invalid_client.
        let bogus_code = [("grant_type", "authorization_code"), ("code", "nope"), ("redirect_uri", BASIC_REDIRECT)];
        env.post_form("/token", &bogus_code, Some((&client_id, &secret))).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");

        // Update: refusals first, nothing changed by them.
        let mut upd = json!({ "client_id": client_id, "redirect_uris": [POST_REDIRECT], "client_name": "Cantine" });
        let r = send_json(&env, "PUT", &path, Some(&json!({ "redirect_uris": [POST_REDIRECT] })), Some(&token)).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        let mut with_issued = upd.clone();
        with_issued["registration_access_token"] = json!(token);
        send_json(&env, "PUT", &path, Some(&with_issued), Some(&token)).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        let mut wrong_secret = upd.clone();
        wrong_secret["client_secret"] = json!("guess");
        send_json(&env, "PUT", &path, Some(&wrong_secret), Some(&token)).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        let mut bad_meta = upd.clone();
        bad_meta["redirect_uris"] = json!(["https://x.example/cb#f"]);
        send_json(&env, "PUT", &path, Some(&bad_meta), Some(&token)).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_redirect_uri");
        assert_eq!(env.state.store.client(&env.tenant.id, &client_id).await.unwrap().unwrap().redirect_uris[0].as_str(), BASIC_REDIRECT);

        upd["client_secret"] = json!(secret);
        let r = send_json(&env, "PUT", &path, Some(&upd), Some(&token)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["redirect_uris"], json!([POST_REDIRECT]));
        assert!(r.json().get("client_secret").is_none(), "the secret is kept, not re-issued");
        let stored = env.state.store.client(&env.tenant.id, &client_id).await.unwrap().unwrap();
        assert_eq!(stored.name.as_deref(), Some("Cantine"));
        assert_eq!(stored.secret_digest.as_deref(), Some(secret_digest(&secret).as_str()));
        // A replacement: what was not sent is back to its default.
        assert_eq!(stored.grant_types, vec![trame_core::client::GrantType::AuthorizationCode]);

        // Becoming public removes the secret; becoming confidential issues one.
        let public = json!({ "client_id": client_id, "redirect_uris": [POST_REDIRECT], "token_endpoint_auth_method": "none" });
        assert_eq!(send_json(&env, "PUT", &path, Some(&public), Some(&token)).await.status, StatusCode::OK);
        assert_eq!(env.state.store.client(&env.tenant.id, &client_id).await.unwrap().unwrap().secret_digest, None);
        let post = json!({ "client_id": client_id, "redirect_uris": [POST_REDIRECT], "token_endpoint_auth_method": "client_secret_post" });
        let r = send_json(&env, "PUT", &path, Some(&post), Some(&token)).await;
        let new_secret = r.json()["client_secret"].as_str().unwrap().to_owned();
        assert_ne!(new_secret, secret);
        let stored = env.state.store.client(&env.tenant.id, &client_id).await.unwrap().unwrap();
        assert_eq!(stored.secret_digest.as_deref(), Some(secret_digest(&new_secret).as_str()));
        // This node sees its own updates at once, before any catalog reload.
        env.post_form("/token", &bogus_code, Some((&client_id, &secret))).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        let form = [bogus_code[0], bogus_code[1], bogus_code[2], ("client_id", client_id.as_str()), ("client_secret", new_secret.as_str())];
        env.post_form("/token", &form, None).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");

        // Delete, then the token and the client are gone.
        let r = send_json(&env, "DELETE", &path, None, Some(&token)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert!(env.state.store.client(&env.tenant.id, &client_id).await.unwrap().is_none());
        send_json(&env, "GET", &path, None, Some(&token)).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_token");
        env.post_form("/token", &form, None).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
    }
);

backend_test!(
    async fn open_registration_is_throttled_per_address(env) {
        set_mode(&env, DynamicRegistration::Open).await;
        let body = json!({ "grant_types": ["client_credentials"], "scope": "openid" });
        for i in 0..30 {
            assert_eq!(register(&env, &body).await.status, StatusCode::CREATED, "registration {i}");
        }
        register(&env, &body).await.assert_oauth(StatusCode::TOO_MANY_REQUESTS, "temporarily_unavailable");
    }
);

/// Serves `body` at http://127.0.0.1:<port>/sector.json.
async fn serve_document(status: StatusCode, body: String) -> String {
    let app =
        axum::Router::new().route("/sector.json", axum::routing::get(move || async move { (status, [(header::CONTENT_TYPE, "application/json")], body) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/sector.json")
}

backend_test!(
    async fn sector_identifier_documents_are_fetched_and_checked(env) {
        set_mode(&env, DynamicRegistration::Open).await;
        let uris = json!([BASIC_REDIRECT, POST_REDIRECT]);
        let good = serve_document(StatusCode::OK, uris.to_string()).await;
        let body = |sector: &str| json!({ "redirect_uris": [BASIC_REDIRECT, POST_REDIRECT], "subject_type": "pairwise", "sector_identifier_uri": sector });

        let r = register(&env, &body(&good)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["sector_identifier_uri"], good.as_str());
        let stored = env.state.store.client(&env.tenant.id, r.json()["client_id"].as_str().unwrap()).await.unwrap().unwrap();
        assert_eq!(stored.sector_identifier.as_deref(), Some("127.0.0.1"), "the sector is the document's host");

        let before = client_count(&env).await;
        let missing = serve_document(StatusCode::OK, json!([BASIC_REDIRECT]).to_string()).await;
        let not_found = serve_document(StatusCode::NOT_FOUND, "[]".into()).await;
        let not_a_list = serve_document(StatusCode::OK, json!({ "redirect_uris": uris }).to_string()).await;
        let huge = serve_document(StatusCode::OK, format!("[{}\"x\"]", "\"https://a.example/cb\",".repeat(5000))).await;
        let r = register(&env, &body(&missing)).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_client_metadata");
        assert!(r.json()["error_description"].as_str().unwrap().contains("does not list"), "{}", r.body);
        // Whatever went wrong with the document, the same answer: no
        // probing of ports through registration (issue 22).
        let mut answers = Vec::new();
        for sector in [&not_found, &not_a_list, &huge, &"http://127.0.0.1:9/none.json".to_owned()] {
            let r = register(&env, &body(sector)).await;
            r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_client_metadata");
            let d = r.json()["error_description"].as_str().unwrap().to_owned();
            assert!(d.starts_with("sector_identifier_uri") && d.contains(trame_app::registration::SECTOR_UNAVAILABLE), "{sector}: {d}");
            answers.push(r.bytes);
        }
        assert!(answers.windows(2).all(|w| w[0] == w[1]), "byte-identical answers");
        assert_eq!(client_count(&env).await, before);
    }
);

backend_test!(
    async fn production_reach_refuses_private_destinations(env) {
        set_mode(&env, DynamicRegistration::Open).await;
        let state = trame_web::AppState::new(
            env.backends.store.clone(),
            env.backends.ephemeral.clone(),
            trame_web::WebConfig {
                public_url: trame_core::ids::Issuer::parse(ISSUER).unwrap(),
                public_authority: HOST.into(),
                trusted_proxies: vec![],
                outbound_reach: Some(trame_app::outbound::Reach::PublicOnly),
                outbound_proxy: None,
                console_acr: "eidas2".into(),
                providers: Vec::new(),
                themes_dir: None,
            },
            std::sync::Arc::new(trame_core::OsRandom),
            env.clock.clone(),
        );
        state.catalog.refresh(&state.store, env.clock.now()).await.unwrap();
        let app = trame_web::app(state);
        let good = serve_document(StatusCode::OK, json!([BASIC_REDIRECT]).to_string()).await;
        let by_name = good.replace("127.0.0.1", "localhost");
        for sector in [good.as_str(), by_name.as_str(), "http://[::1]:9/s.json"] {
            let body = json!({ "redirect_uris": [BASIC_REDIRECT], "subject_type": "pairwise", "sector_identifier_uri": sector });
            let req = Request::post("/register").header(header::HOST, HOST).header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())).unwrap();
            let r = send(&app, req).await;
            r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_client_metadata");
            let d = r.json()["error_description"].as_str().unwrap().to_owned();
            assert!(d.contains("could not be fetched"), "{sector}: {d}");
        }
        // The same document is fetched when the installation may reach it.
        let r = register(&env, &json!({ "redirect_uris": [BASIC_REDIRECT], "subject_type": "pairwise", "sector_identifier_uri": good })).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
);
