//! The token endpoint: client authentication, the authorization code grant
//! (PKCE, replay, expiry, binding), malformed bodies, refresh rotation and
//! reuse detection, client credentials.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

fn code_form(code: &str) -> Vec<(&str, &str)> {
    vec![("grant_type", "authorization_code"), ("code", code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]
}

backend_test!(
    async fn code_exchange_success(env) {
        let t = env.tokens_basic("openid profile").await;
        assert_eq!(t["token_type"], "Bearer");
        assert!(t["access_token"].as_str().is_some());
        assert!(t["id_token"].as_str().is_some());
        assert!(t["expires_in"].as_i64().is_some_and(|e| e > 0));
        assert!(t.get("refresh_token").is_none(), "no offline_access, no refresh token");
        assert_eq!(env.userinfo(t["access_token"].as_str().unwrap()).await.status, StatusCode::OK);
    }
);

backend_test!(
    async fn grant_type_errors(env) {
        env.token_basic(&[("code", "x")]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        env.token_basic(&[("grant_type", "password"), ("username", "a"), ("password", "b")]).await.assert_oauth(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
        );
        env.token_basic(&[("grant_type", "urn:ietf:params:oauth:grant-type:device_code")]).await.assert_oauth(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
        );
        // The basic client may not use client_credentials.
        env.token_basic(&[("grant_type", "client_credentials")]).await.assert_oauth(StatusCode::BAD_REQUEST, "unauthorized_client");
        // Public clients: unauthorized_client too.
        env.post_form("/token", &[("grant_type", "client_credentials"), ("client_id", PUBLIC_ID)], None).await.assert_oauth(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
        );
        env.token_basic(&[("grant_type", "authorization_code")]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    }
);

backend_test!(
    async fn client_authentication_errors(env) {
        let form = [("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", BASIC_REDIRECT)];
        // Wrong secret with Basic: 401 invalid_client and a Basic challenge.
        let r = env.post_form("/token", &form, Some((BASIC_ID, "wrong"))).await;
        r.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        assert!(r.header("www-authenticate").is_some_and(|h| h.starts_with("Basic")), "{:?}", r.headers);
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        // Unknown client with Basic: same answer.
        let r = env.post_form("/token", &form, Some(("nobody", "x"))).await;
        r.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        assert!(r.header("www-authenticate").is_some());
        // No client authentication at all.
        let r = env.post_form("/token", &form, None).await;
        r.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        // Wrong secret with client_secret_post.
        let mut f = form.to_vec();
        f.extend([("client_id", POST_ID), ("client_secret", "wrong")]);
        env.post_form("/token", &f, None).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        // A basic client using post (a method it did not register).
        let mut f = form.to_vec();
        f.extend([("client_id", BASIC_ID), ("client_secret", BASIC_SECRET)]);
        env.post_form("/token", &f, None).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        // A confidential client presenting no secret (as if public).
        let mut f = form.to_vec();
        f.push(("client_id", BASIC_ID));
        env.post_form("/token", &f, None).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        // Two methods at once.
        let mut f = form.to_vec();
        f.extend([("client_id", BASIC_ID), ("client_secret", BASIC_SECRET)]);
        env.post_form("/token", &f, Some((BASIC_ID, BASIC_SECRET))).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        // Basic credentials and a different client_id in the body.
        let mut f = form.to_vec();
        f.push(("client_id", POST_ID));
        env.post_form("/token", &f, Some((BASIC_ID, BASIC_SECRET))).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        // A malformed Basic header.
        let r = env
            .send(
                Request::post("/token")
                    .header(header::HOST, HOST)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::AUTHORIZATION, "Basic !!!notbase64")
                    .body(Body::from(encode(&form)))
                    .unwrap(),
            )
            .await;
        r.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
    }
);

backend_test!(
    async fn pkce_at_the_token_endpoint(env) {
        let (code, _) = env.code_for(&basic_params("openid")).await;
        let r = env.token_basic(&with_param(code_form(&code), "code_verifier", Some(OTHER_VERIFIER))).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        // The code was consumed by the failed attempt.
        env.token_basic(&code_form(&code)).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");

        let (code, _) = env.code_for(&basic_params("openid")).await;
        env.token_basic(&with_param(code_form(&code), "code_verifier", None)).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");

        // A verifier for a code issued without a challenge.
        let p = with_param(with_param(basic_params("openid"), "code_challenge", None), "code_challenge_method", None);
        let (code, _) = env.code_for(&p).await;
        env.token_basic(&code_form(&code)).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        // Without the verifier it works (PKCE optional for this client).
        let (code, _) = env.code_for(&p).await;
        let r = env.token_basic(&with_param(code_form(&code), "code_verifier", None)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // Public client, right verifier.
        let mut b = env.browser();
        let loc = b.sign_in(&public_params(), USERNAME, PASSWORD).await;
        let code = query_param(&loc, "code").unwrap();
        let f = [("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", PUBLIC_REDIRECT), ("client_id", PUBLIC_ID), ("code_verifier", VERIFIER)];
        let r = env.post_form("/token", &f, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
);

backend_test!(
    async fn replayed_code_revokes_the_grant(env) {
        let (code, _) = env.code_for(&basic_params("openid offline_access")).await;
        let r = env.token_basic(&code_form(&code)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let t = r.json();
        let at = t["access_token"].as_str().unwrap();
        let rt = t["refresh_token"].as_str().unwrap();
        assert_eq!(env.userinfo(at).await.status, StatusCode::OK);
        assert_eq!(env.introspect(at).await["active"], true);

        env.token_basic(&code_form(&code)).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        // Everything the first redemption issued is now refused.
        let r = env.userinfo(at).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.header("www-authenticate").unwrap().contains("invalid_token"));
        assert_eq!(env.introspect(at).await["active"], false);
        assert_eq!(env.introspect(rt).await["active"], false);
        env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", rt)]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
    }
);

backend_test!(
    async fn expired_code(env) {
        let (code, _) = env.code_for(&basic_params("openid")).await;
        env.clock.advance(trame_core::lifetimes::AUTHORIZATION_CODE + 1);
        env.token_basic(&code_form(&code)).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        // Just inside the lifetime it is fine.
        let (code, _) = env.code_for(&basic_params("openid")).await;
        env.clock.advance(trame_core::lifetimes::AUTHORIZATION_CODE - 1);
        assert_eq!(env.token_basic(&code_form(&code)).await.status, StatusCode::OK);
    }
);

backend_test!(
    async fn code_bound_to_client_and_redirect_uri(env) {
        // Issued to the basic client, redeemed by the post client.
        let (code, _) = env.code_for(&basic_params("openid")).await;
        let f = [
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", BASIC_REDIRECT),
            ("code_verifier", VERIFIER),
            ("client_id", POST_ID),
            ("client_secret", POST_SECRET),
        ];
        env.post_form("/token", &f, None).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        // ... and the code is not usable by its owner afterwards either
        // (it was single-use), which is the safe outcome.
        // redirect_uri mismatch / missing.
        let (code, _) = env.code_for(&basic_params("openid")).await;
        env.token_basic(&with_param(code_form(&code), "redirect_uri", Some("http://localhost:3000/cb/"))).await.assert_oauth(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
        );
        let (code, _) = env.code_for(&basic_params("openid")).await;
        env.token_basic(&with_param(code_form(&code), "redirect_uri", None)).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        // Unknown code.
        env.token_basic(&code_form("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
    }
);

backend_test!(
    async fn malformed_bodies(env) {
        let send = |ct: &'static str, body: Vec<u8>| {
            Request::post("/token")
                .header(header::HOST, HOST)
                .header(header::CONTENT_TYPE, ct)
                .header(header::AUTHORIZATION, basic(BASIC_ID, BASIC_SECRET))
                .body(Body::from(body))
                .unwrap()
        };
        let r = env.send(send("application/json", br#"{"grant_type":"client_credentials"}"#.to_vec())).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        let r = env.send(send("text/plain", b"grant_type=client_credentials".to_vec())).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        let r = env.send(Request::post("/token").header(header::HOST, HOST).body(Body::from("grant_type=client_credentials")).unwrap()).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        // Invalid UTF-8, raw and percent-encoded.
        let r = env.send(send("application/x-www-form-urlencoded", b"grant_type=\xff\xfe&code=x".to_vec())).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        let r = env.send(send("application/x-www-form-urlencoded", b"grant_type=%FF%FE&code=x".to_vec())).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        // The charset parameter is allowed.
        let r = env.send(send("application/x-www-form-urlencoded; charset=UTF-8", b"grant_type=client_credentials".to_vec())).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "unauthorized_client");
        // Duplicated parameters.
        let (code, _) = env.code_for(&basic_params("openid")).await;
        let mut f = code_form(&code);
        f.push(("code", &code));
        env.token_basic(&f).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        let mut f = code_form(&code);
        f.push(("grant_type", "authorization_code"));
        env.token_basic(&f).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        // The code survived the refused requests (they failed before it was used).
        assert_eq!(env.token_basic(&code_form(&code)).await.status, StatusCode::OK);
        // A duplicated client_secret.
        let f = [("grant_type", "client_credentials"), ("client_id", POST_ID), ("client_secret", POST_SECRET), ("client_secret", POST_SECRET)];
        env.post_form("/token", &f, None).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
    }
);

backend_test!(
    async fn oversized_body_is_413(env) {
        let big = format!("grant_type=client_credentials&pad={}", "a".repeat(70 * 1024));
        let req = Request::post("/token")
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, big.len())
            .header(header::AUTHORIZATION, basic(BASIC_ID, BASIC_SECRET))
            .body(Body::from(big.clone()))
            .unwrap();
        let r = env.send(req).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
        // The refused request did nothing; a normal one still works.
        let f = [("grant_type", "client_credentials"), ("client_id", POST_ID), ("client_secret", POST_SECRET)];
        assert_eq!(env.post_form("/token", &f, None).await.status, StatusCode::OK);
    }
);

backend_test!(
    async fn refresh_rotation_and_reuse_detection(env) {
        let t = env.tokens_basic("openid offline_access profile").await;
        let rt1 = t["refresh_token"].as_str().unwrap().to_owned();
        let at1 = t["access_token"].as_str().unwrap().to_owned();
        let r = env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", &rt1)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let t2 = r.json();
        let rt2 = t2["refresh_token"].as_str().unwrap().to_owned();
        let at2 = t2["access_token"].as_str().unwrap().to_owned();
        assert_ne!(rt1, rt2, "refresh tokens rotate");
        assert_eq!(env.userinfo(&at2).await.status, StatusCode::OK);
        // A narrower scope is allowed, a wider one is not.
        let r = env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", &rt2), ("scope", "openid email")]).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_scope");
        // Another client cannot use it (and does not burn it).
        let f = [("grant_type", "refresh_token"), ("refresh_token", rt2.as_str()), ("client_id", POST_ID), ("client_secret", POST_SECRET)];
        env.post_form("/token", &f, None).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        let r = env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", &rt2), ("scope", "openid")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let t3 = r.json();
        assert_eq!(t3["scope"], "openid");
        let rt3 = t3["refresh_token"].as_str().unwrap().to_owned();
        let at3 = t3["access_token"].as_str().unwrap().to_owned();

        // Reusing rt1 (already rotated) revokes the whole family.
        env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", &rt1)]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", &rt3)]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        for at in [&at1, &at2, &at3] {
            assert_eq!(env.userinfo(at).await.status, StatusCode::UNAUTHORIZED);
            assert_eq!(env.introspect(at).await["active"], false);
        }
        // Missing or unknown refresh token.
        env.token_basic(&[("grant_type", "refresh_token")]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_request");
        env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", "nope")]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
    }
);

// A client with a refresh reuse grace: an exact retry of a just-rotated
// refresh token gets the same successor and fresh access and ID tokens;
// after the grace, or once the successor was used, it is reuse as ever.
backend_test!(
    async fn refresh_retry_within_the_client_grace(env) {
        let mut c = env.state.store.client(&env.tenant.id, BASIC_ID).await.unwrap().unwrap();
        c.settings.refresh_reuse_grace = 30;
        env.state.store.update_client(&env.tenant.id, BASIC_ID, &c.settings, None, env.clock.now()).await.unwrap();
        env.refresh_catalog().await;
        let refresh = |rt: &str| [("grant_type", "refresh_token"), ("refresh_token", rt)].map(|(k, v)| (k, v.to_owned()));
        let send = |rt: String| {
            let env = &env;
            async move {
                let f = refresh(&rt);
                let form: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                env.token_basic(&form).await
            }
        };

        let t = env.tokens_basic("openid offline_access").await;
        let rt1 = t["refresh_token"].as_str().unwrap().to_owned();
        let first = send(rt1.clone()).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let first = first.json();
        // The answer was lost; the client retries a few seconds later.
        env.clock.advance(5);
        let retry = send(rt1.clone()).await;
        assert_eq!(retry.status, StatusCode::OK, "{}", retry.body);
        let retry = retry.json();
        assert_eq!(retry["refresh_token"], first["refresh_token"], "the same successor");
        assert_ne!(retry["access_token"], first["access_token"], "a fresh access token");
        assert!(retry["id_token"].as_str().is_some_and(|i| Some(i) != first["id_token"].as_str()), "a fresh ID token");
        for at in [&first["access_token"], &retry["access_token"]] {
            assert_eq!(env.userinfo(at.as_str().unwrap()).await.status, StatusCode::OK, "the grant lives");
        }
        // The successor is used: the old token is now a reuse.
        let rt2 = retry["refresh_token"].as_str().unwrap().to_owned();
        let third = send(rt2).await;
        assert_eq!(third.status, StatusCode::OK, "{}", third.body);
        let at3 = third.json()["access_token"].as_str().unwrap().to_owned();
        send(rt1).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        assert_eq!(env.userinfo(&at3).await.status, StatusCode::UNAUTHORIZED, "the family is revoked");

        // Later than the grace: reuse.
        let t = env.tokens_basic("openid offline_access").await;
        let rt1 = t["refresh_token"].as_str().unwrap().to_owned();
        let next = send(rt1.clone()).await;
        assert_eq!(next.status, StatusCode::OK, "{}", next.body);
        let next = next.json();
        env.clock.advance(31);
        send(rt1).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        send(next["refresh_token"].as_str().unwrap().to_owned()).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        assert_eq!(env.introspect(next["access_token"].as_str().unwrap()).await["active"], false);
    }
);

backend_test!(
    async fn client_credentials(env) {
        let f = [("grant_type", "client_credentials"), ("client_id", POST_ID), ("client_secret", POST_SECRET)];
        let r = env.post_form("/token", &f, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let t = r.json();
        assert!(t.get("id_token").is_none());
        assert!(t.get("refresh_token").is_none());
        let at = t["access_token"].as_str().unwrap();
        // Not a user token: userinfo refuses it.
        let r = env.userinfo(at).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        // User scopes cannot be asked for.
        let f = [("grant_type", "client_credentials"), ("client_id", POST_ID), ("client_secret", POST_SECRET), ("scope", "openid")];
        env.post_form("/token", &f, None).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_scope");
    }
);

backend_test!(
    async fn clients_changed_elsewhere_follow_the_catalog(env) {
        let cc = |secret: &'static str| [("grant_type", "client_credentials"), ("client_id", POST_ID), ("client_secret", secret)];
        assert_eq!(env.post_form("/token", &cc(POST_SECRET), None).await.status, StatusCode::OK);

        // A new secret set by the CLI or another node: this node answers
        // from its catalog's copy of the client until the catalog reloads
        // (every second in `trame serve`), the same promise as for tenants.
        let c = env.state.store.client(&env.tenant.id, POST_ID).await.unwrap().unwrap();
        let new_digest = trame_core::crypto::secret_digest("post-secret-rotated-0123");
        env.state.store.update_client(&env.tenant.id, POST_ID, &c.settings, Some(Some(new_digest)), env.clock.now()).await.unwrap();
        assert_eq!(env.post_form("/token", &cc(POST_SECRET), None).await.status, StatusCode::OK, "cached until the catalog reloads");
        env.refresh_catalog().await;
        env.post_form("/token", &cc(POST_SECRET), None).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
        assert_eq!(env.post_form("/token", &cc("post-secret-rotated-0123"), None).await.status, StatusCode::OK);

        // Removed elsewhere: refused once the catalog reloads.
        env.state.store.remove_client(&env.tenant.id, POST_ID).await.unwrap();
        env.refresh_catalog().await;
        env.post_form("/token", &cc("post-secret-rotated-0123"), None).await.assert_oauth(StatusCode::UNAUTHORIZED, "invalid_client");
    }
);
