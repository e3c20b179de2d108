//! Revocation (RFC 7009) and introspection (RFC 7662).

use crate::common::*;
use axum::http::StatusCode;

/// Tokens for the post client (skip_consent) with offline access.
async fn post_client_tokens(env: &Env) -> serde_json::Value {
    let p = vec![("client_id", POST_ID), ("redirect_uri", POST_REDIRECT), ("response_type", "code"), ("scope", "openid offline_access"), ("state", "s")];
    let (code, _) = env.code_for(&p).await;
    let f = [("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", POST_REDIRECT), ("client_id", POST_ID), ("client_secret", POST_SECRET)];
    let r = env.post_form("/token", &f, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

backend_test!(
    async fn revoke(env) {
        let auth = Some((BASIC_ID, BASIC_SECRET));
        // Unknown token: 200.
        let r = env.post_form("/revoke", &[("token", "not-a-token")], auth).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = env.post_form("/revoke", &[("token", "not-a-token"), ("token_type_hint", "refresh_token")], auth).await;
        assert_eq!(r.status, StatusCode::OK);
        // An unknown hint is ignored (RFC 7009 §2.1), not an error.
        let r = env.post_form("/revoke", &[("token", "not-a-token"), ("token_type_hint", "id_token")], auth).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Missing token.
        env.post_form("/revoke", &[], auth).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        // Wrong client authentication: 401.
        let t = env.tokens_basic("openid offline_access").await;
        let at = t["access_token"].as_str().unwrap();
        let rt = t["refresh_token"].as_str().unwrap();
        let r = env.post_form("/revoke", &[("token", at)], Some((BASIC_ID, "wrong"))).await;
        r.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        env.post_form("/revoke", &[("token", at)], None).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        assert_eq!(env.userinfo(at).await.status, StatusCode::OK, "a refused revocation does nothing");

        // Another client revoking these tokens: 200, no effect.
        for tok in [at, rt] {
            let r = env.post_form("/revoke", &[("token", tok), ("client_id", POST_ID), ("client_secret", POST_SECRET)], None).await;
            assert_eq!(r.status, StatusCode::OK);
        }
        assert_eq!(env.userinfo(at).await.status, StatusCode::OK);
        assert_eq!(env.introspect(rt).await["active"], true);

        // A wrong hint does not stop the revocation of an access token.
        let t2 = env.tokens_basic("openid").await;
        let at2 = t2["access_token"].as_str().unwrap();
        let r = env.post_form("/revoke", &[("token", at2), ("token_type_hint", "refresh_token")], auth).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(env.userinfo(at2).await.status, StatusCode::UNAUTHORIZED);
        let t3 = env.tokens_basic("openid").await;
        let at3 = t3["access_token"].as_str().unwrap();
        let r = env.post_form("/revoke", &[("token", at3), ("token_type_hint", "something_else")], auth).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(env.userinfo(at3).await.status, StatusCode::UNAUTHORIZED);
        // The owner revokes the refresh token: the grant goes, access tokens too.
        let r = env.post_form("/revoke", &[("token", rt), ("token_type_hint", "refresh_token")], auth).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(env.introspect(rt).await["active"], false);
        assert_eq!(env.userinfo(at).await.status, StatusCode::UNAUTHORIZED);
        env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", rt)]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        // Revoking again: still 200.
        assert_eq!(env.post_form("/revoke", &[("token", rt)], auth).await.status, StatusCode::OK);

        // A public client can revoke its own tokens (client_id only).
        let mut b = env.browser();
        let loc = b.sign_in(&public_params(), USERNAME, PASSWORD).await;
        let code = query_param(&loc, "code").unwrap();
        let f = [("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", PUBLIC_REDIRECT), ("client_id", PUBLIC_ID), ("code_verifier", VERIFIER)];
        let t = env.post_form("/token", &f, None).await.json();
        let at = t["access_token"].as_str().unwrap();
        let r = env.post_form("/revoke", &[("token", at), ("client_id", PUBLIC_ID)], None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(env.userinfo(at).await.status, StatusCode::UNAUTHORIZED);
    }
);

backend_test!(
    async fn introspect(env) {
        let auth = Some((BASIC_ID, BASIC_SECRET));
        let t = env.tokens_basic("openid offline_access").await;
        let at = t["access_token"].as_str().unwrap();
        let rt = t["refresh_token"].as_str().unwrap();
        let v = env.introspect(at).await;
        assert_eq!(v["active"], true, "{v}");
        assert_eq!(v["client_id"], BASIC_ID);
        assert_eq!(v["iss"], ISSUER);
        assert!(v["exp"].as_i64().is_some());
        assert!(v["sub"].as_str().is_some());
        assert_eq!(env.introspect(rt).await["active"], true);
        // Inactive: unknown, ID token.
        let v = env.introspect("garbage").await;
        assert_eq!(v, serde_json::json!({"active": false}));
        assert_eq!(env.introspect(t["id_token"].as_str().unwrap()).await["active"], false);
        // Requires client authentication.
        env.post_form("/introspect", &[("token", at)], None).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        env.post_form("/introspect", &[("token", at)], Some((BASIC_ID, "wrong"))).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        // Public clients cannot introspect.
        env.post_form("/introspect", &[("token", at), ("client_id", PUBLIC_ID)], None).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        env.post_form("/introspect", &[], auth).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");

        // Another client's tokens: active false for the basic client.
        let other = post_client_tokens(&env).await;
        for tok in [other["access_token"].as_str().unwrap(), other["refresh_token"].as_str().unwrap()] {
            let v = env.introspect(tok).await;
            assert_eq!(v, serde_json::json!({"active": false}), "another client's token must not be introspectable");
        }
        // Its owner sees them active.
        let r = env.post_form("/introspect", &[("token", other["access_token"].as_str().unwrap()), ("client_id", POST_ID), ("client_secret", POST_SECRET)], None).await;
        assert_eq!(r.json()["active"], true);
    }
);

// A revocation outlives the ephemeral store: after Redis restarted empty
// (or the in-process store was lost), revoked access tokens, a user's and
// a client's own, stay revoked at introspection and UserInfo.
backend_test!(
    async fn revocation_survives_the_loss_of_the_ephemeral_store(env) {
        let auth = Some((BASIC_ID, BASIC_SECRET));
        let t = env.tokens_basic("openid offline_access").await;
        let at = t["access_token"].as_str().unwrap().to_owned();
        let kept = env.tokens_basic("openid").await["access_token"].as_str().unwrap().to_owned();
        let post = [("client_id", POST_ID), ("client_secret", POST_SECRET)];
        let cc = env.post_form("/token", &[("grant_type", "client_credentials"), post[0], post[1]], None).await.json()["access_token"].as_str().unwrap().to_owned();
        assert_eq!(env.userinfo(&at).await.status, StatusCode::OK);

        assert_eq!(env.post_form("/revoke", &[("token", &at)], auth).await.status, StatusCode::OK);
        assert_eq!(env.post_form("/revoke", &[("token", &cc), post[0], post[1]], None).await.status, StatusCode::OK);
        assert_eq!(env.introspect(&at).await["active"], false);

        let env = env.with_empty_ephemeral().await;
        assert_eq!(env.introspect(&at).await, serde_json::json!({"active": false}), "revoked before the ephemeral store was lost");
        let r = env.userinfo(&at).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        assert!(r.header("www-authenticate").is_some_and(|h| h.contains("invalid_token")), "{:?}", r.header("www-authenticate"));
        let r = env.post_form("/introspect", &[("token", &cc), post[0], post[1]], None).await;
        assert_eq!(r.json(), serde_json::json!({"active": false}), "a client credentials token too");
        // The refresh token of the grant is untouched, and so is a token
        // never revoked.
        assert_eq!(env.introspect(t["refresh_token"].as_str().unwrap()).await["active"], true);
        assert_eq!(env.userinfo(&kept).await.status, StatusCode::OK);
        assert_eq!(env.introspect(&kept).await["active"], true);
    }
);

// Expired revocation records are pruned; a token revoked after them is
// still revoked.
backend_test!(
    async fn expired_revocations_are_pruned(env) {
        let at = env.tokens_basic("openid").await["access_token"].as_str().unwrap().to_owned();
        assert_eq!(env.post_form("/revoke", &[("token", &at)], Some((BASIC_ID, BASIC_SECRET))).await.status, StatusCode::OK);
        assert_eq!(env.state.store.prune_revocations(env.clock.now()).await.unwrap(), 0, "not expired yet");
        assert_eq!(env.userinfo(&at).await.status, StatusCode::UNAUTHORIZED);
        let gone = env.state.store.prune_revocations(env.clock.now() + trame_core::lifetimes::ACCESS_TOKEN).await.unwrap();
        assert_eq!(gone, 1, "past the token's own expiry");
    }
);

/// Redis going away after start-up: revocation checks do not need it (they
/// read the database), so introspection and revocation keep answering
/// truthfully; readiness says Redis is gone. PostgreSQL + Redis only: the
/// in-process store cannot be unreachable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_unreachable_does_not_stop_revocation() {
    use trame_testkit::relay::Relay;
    let env = Env::new(trame_testkit::Backend::Postgres).await;
    let redis = env.backends.redis.as_ref().expect("Redis in this mode");
    let target = url::Url::parse(&redis.url).unwrap();
    let relay = Relay::start(&format!("{}:{}", target.host_str().unwrap(), target.port().unwrap_or(6379))).await;
    let ephemeral = trame_store::Ephemeral::redis(&format!("redis://{}/", relay.addr), &redis.prefix).await.unwrap();
    let t = env.tokens_basic("openid").await;
    let at = t["access_token"].as_str().unwrap().to_owned();
    let state = trame_web::AppState::new(env.state.store.clone(), ephemeral, (*env.state.config).clone(), env.state.rng.clone(), env.state.clock.clone());
    state.catalog.refresh(&state.store, env.clock.now()).await.unwrap();
    let env = Env { app: trame_web::app(state.clone()), state, ..env };
    assert_eq!(env.introspect(&at).await["active"], true, "through the relay while it is up");

    relay.cut();
    let auth = Some((BASIC_ID, BASIC_SECRET));
    assert_eq!(env.introspect(&at).await["active"], true, "known not revoked from the database");
    let r = env.post_form("/revoke", &[("token", &at)], auth).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(env.introspect(&at).await["active"], false, "revoked without Redis");
    assert_eq!(env.userinfo(&at).await.status, StatusCode::UNAUTHORIZED);
    let r = env.get("/_trame/ready").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.json()["ephemeral"], false);
    assert_eq!(r.json()["database"], true);
}
