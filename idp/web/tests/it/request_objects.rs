//! Request Objects (RFC 9101) of registered clients and pushed
//! authorization requests (RFC 9126).

use axum::http::StatusCode;
use serde_json::{Value, json};
use trame_core::client::{AuthMethod, ClientSettings, GrantType};
use trame_core::ids::{ClientId, RedirectUri};
use trame_core::scope::Scopes;
use trame_jose::{Alg, SigningKey};
use trame_store::NewClient;

use crate::common::*;

const JWT_ID: &str = "rp-jwt";
const JWT_REDIRECT: &str = "https://jwt.example/cb";

/// A client that registered its keys, and its signing key.
async fn jwt_client(env: &Env) -> SigningKey {
    let key = SigningKey::generate(Alg::ES256, None).unwrap().0;
    let settings = ClientSettings {
        redirect_uris: vec![RedirectUri::parse(JWT_REDIRECT).unwrap()],
        grant_types: vec![GrantType::AuthorizationCode],
        scopes: Scopes::parse("openid profile").unwrap(),
        jwks: Some(json!({ "keys": [key.public_jwk()] })),
        ..ClientSettings::new(AuthMethod::PrivateKeyJwt)
    };
    let new = NewClient { client_id: ClientId::parse(JWT_ID).unwrap(), secret_digest: None, registration_token_digest: None, settings };
    env.state.store.create_client(&env.tenant.id, new, env.clock.now()).await.unwrap();
    env.refresh_catalog().await;
    key
}

fn object(env: &Env, extra: Value) -> Value {
    let now = env.clock.now();
    let mut v = json!({
        "iss": JWT_ID, "aud": ISSUER, "iat": now, "exp": now + 60, "jti": trame_core::crypto::random_token(&trame_core::OsRandom),
        "client_id": JWT_ID, "response_type": "code", "scope": "openid profile", "redirect_uri": JWT_REDIRECT,
        "state": "st", "code_challenge": CHALLENGE, "code_challenge_method": "S256",
    });
    for (k, x) in extra.as_object().unwrap() {
        if x.is_null() {
            v.as_object_mut().unwrap().remove(k);
        } else {
            v[k] = x.clone();
        }
    }
    v
}

fn sign(key: &SigningKey, typ: &str, v: &Value) -> String {
    key.sign(typ, v.as_object().unwrap()).unwrap()
}

backend_test!(async fn a_signed_request_object_carries_the_request(env) {
    let key = jwt_client(&env).await;
    let d = env.get("/.well-known/openid-configuration").await.json();
    assert_eq!(d["request_parameter_supported"], true);
    assert_eq!(d["request_uri_parameter_supported"], false);
    assert!(d["request_object_signing_alg_values_supported"].as_array().unwrap().iter().all(|a| a != "none"));
    let req = sign(&key, "oauth-authz-req+jwt", &object(&env, json!({"claims": {"id_token": {"email": null}}})));
    let mut b = env.browser();
    let r = b.authorize(&[("client_id", JWT_ID), ("response_type", "code"), ("scope", "openid"), ("redirect_uri", "https://evil.example/cb"), ("request", &req)]).await;
    let to_rp = b.follow(r, USERNAME, PASSWORD).await;
    assert!(to_rp.starts_with(&format!("{JWT_REDIRECT}?")), "the object's redirect URI, not the query's: {to_rp}");
    assert_eq!(query_param(&to_rp, "state").as_deref(), Some("st"));
    // An untyped object (OIDC Core clients) is accepted as well.
    let untyped = key.sign("JWT", object(&env, json!({})).as_object().unwrap()).unwrap();
    let r = b.authorize(&[("client_id", JWT_ID), ("request", &untyped)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().unwrap().starts_with(JWT_REDIRECT));
});

backend_test!(async fn bad_request_objects_are_refused(env) {
    let key = jwt_client(&env).await;
    let other = SigningKey::generate(Alg::ES256, None).unwrap().0;
    let good = object(&env, json!({}));
    let unsigned = {
        use base64::Engine;
        let b = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.", b(&json!({"alg": "none"})), b(&good))
    };
    let cases: Vec<(&str, String, &str)> = vec![
        ("another key", sign(&other, "oauth-authz-req+jwt", &good), "invalid_request_object"),
        ("alg none", unsigned, "invalid_request_object"),
        ("another JWT type", sign(&key, "entity-statement+jwt", &good), "invalid_request_object"),
        ("iss not the client", sign(&key, "JWT", &object(&env, json!({"iss": "someone"}))), "invalid_request_object"),
        ("aud elsewhere", sign(&key, "JWT", &object(&env, json!({"aud": "https://other.example"}))), "invalid_request_object"),
        ("expired", sign(&key, "JWT", &object(&env, json!({"exp": env.clock.now() - 3600}))), "invalid_request_object"),
        ("nested request_uri", sign(&key, "JWT", &object(&env, json!({"request_uri": "https://x.example/r"}))), "invalid_request_object"),
        ("response_type contradicts", sign(&key, "JWT", &object(&env, json!({"response_type": "token"}))), "invalid_request"),
        ("not a JWT", "eyJ.x.y".into(), "invalid_request_object"),
    ];
    for (why, req, error) in cases {
        // With the query's registered redirect URI the error goes there…
        let r = env.browser().authorize(&[("client_id", JWT_ID), ("response_type", "code"), ("redirect_uri", JWT_REDIRECT), ("state", "q"), ("request", &req)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{why}: {}", r.body);
        r.assert_redirect_error(JWT_REDIRECT, error, Some("q"));
        // …without it, to a page (a contradicting response_type needs the
        // query's; alone, the object's is refused at its own redirect URI).
        if error != "invalid_request" {
            let r = env.browser().authorize(&[("client_id", JWT_ID), ("request", &req)]).await;
            r.assert_page(StatusCode::BAD_REQUEST);
        }
    }
    // Replay of a jti.
    let once = sign(&key, "JWT", &good);
    assert_eq!(env.browser().authorize(&[("client_id", JWT_ID), ("request", &once)]).await.status, StatusCode::SEE_OTHER);
    env.browser().authorize(&[("client_id", JWT_ID), ("response_type", "code"), ("redirect_uri", JWT_REDIRECT), ("request", &once)]).await.assert_redirect_error(JWT_REDIRECT, "invalid_request_object", None);
    // request and request_uri together; a request_uri that is not a pushed one.
    let both = env.browser().authorize(&[("client_id", JWT_ID), ("redirect_uri", JWT_REDIRECT), ("request", &sign(&key, "JWT", &object(&env, json!({})))), ("request_uri", "urn:x")]).await;
    both.assert_redirect_error(JWT_REDIRECT, "invalid_request", None);
    let by_ref = env.browser().authorize(&[("client_id", JWT_ID), ("redirect_uri", JWT_REDIRECT), ("request_uri", "https://jwt.example/req")]).await;
    by_ref.assert_redirect_error(JWT_REDIRECT, "request_uri_not_supported", None);
    // An unknown client is a page whatever it sends.
    env.browser().authorize(&[("client_id", "nobody"), ("redirect_uri", JWT_REDIRECT), ("request", &once)]).await.assert_page(StatusCode::BAD_REQUEST);
});

backend_test!(async fn pushed_requests_are_single_use_and_bound_to_their_client(env) {
    let params = basic_params("openid profile");
    let form = with_param(params, "state", Some("pushed"));
    let r = env.post_form("/par", &form, Some((BASIC_ID, BASIC_SECRET))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    let body = r.json();
    assert_eq!(body["expires_in"], 60);
    let uri = body["request_uri"].as_str().unwrap().to_owned();

    // Another client cannot use it; taking it is atomic, so the attempt
    // spends it: push again.
    env.browser().authorize(&[("client_id", POST_ID), ("redirect_uri", POST_REDIRECT), ("request_uri", &uri)]).await.assert_redirect_error(POST_REDIRECT, "invalid_request_uri", None);
    let r = env.post_form("/par", &form, Some((BASIC_ID, BASIC_SECRET))).await;
    let uri = r.json()["request_uri"].as_str().unwrap().to_owned();

    let mut b = env.browser();
    let r = b.authorize(&[("client_id", BASIC_ID), ("request_uri", &uri)]).await;
    let to_rp = b.follow(r, USERNAME, PASSWORD).await;
    assert_eq!(query_param(&to_rp, "state").as_deref(), Some("pushed"));
    let code = query_param(&to_rp, "code").unwrap();
    let t = env.token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.body);
    // Used once.
    env.browser().authorize(&[("client_id", BASIC_ID), ("redirect_uri", BASIC_REDIRECT), ("request_uri", &uri)]).await.assert_redirect_error(BASIC_REDIRECT, "invalid_request_uri", None);
    env.browser().authorize(&[("client_id", BASIC_ID), ("request_uri", &uri)]).await.assert_page(StatusCode::BAD_REQUEST);

    // Expired.
    let r = env.post_form("/par", &form, Some((BASIC_ID, BASIC_SECRET))).await;
    let uri = r.json()["request_uri"].as_str().unwrap().to_owned();
    env.clock.advance(61);
    env.browser().authorize(&[("client_id", BASIC_ID), ("redirect_uri", BASIC_REDIRECT), ("request_uri", &uri)]).await.assert_redirect_error(BASIC_REDIRECT, "invalid_request_uri", None);
});

backend_test!(async fn pushed_request_refusals_are_json(env) {
    let params = basic_params("openid");
    env.post_form("/par", &params, None).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
    env.post_form("/par", &params, Some((BASIC_ID, "wrong"))).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (with_param(params.clone(), "request_uri", Some("urn:ietf:params:oauth:request_uri:x")), "invalid_request"),
        (with_param(params.clone(), "redirect_uri", Some("https://evil.example/cb")), "invalid_request"),
        (with_param(params.clone(), "client_id", Some(POST_ID)), "invalid_request"),
        (with_param(params.clone(), "scope", Some("profile")), "invalid_scope"),
        (with_param(params.clone(), "response_type", Some("token")), "unsupported_response_type"),
        (with_param(params.clone(), "code_challenge_method", Some("plain")), "invalid_request"),
        (with_param(params.clone(), "request", Some("eyJ.x.y")), "invalid_request_object"),
    ];
    for (form, error) in cases {
        env.post_form("/par", &form, Some((BASIC_ID, BASIC_SECRET))).await.assert_oauth(StatusCode::BAD_REQUEST, error);
    }
});
