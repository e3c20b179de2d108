//! RP-Initiated Logout 1.0.

use crate::common::*;
use axum::http::StatusCode;

/// Signs in with the basic client and returns (browser, id_token).
async fn signed_in(env: &Env) -> (Browser, String) {
    let mut b = env.browser();
    let loc = b.sign_in(&basic_params("openid"), USERNAME, PASSWORD).await;
    let code = query_param(&loc, "code").unwrap();
    let r = env.token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
    (b, r.json()["id_token"].as_str().unwrap().to_owned())
}

fn logout_query(pairs: &[(&str, &str)]) -> String {
    format!("/logout?{}", encode(pairs))
}

backend_test!(
    async fn hint_and_registered_redirect(env) {
        let (mut b, id_token) = signed_in(&env).await;
        assert!(b.cookie("trame_session").is_some());
        let r = b.get(&logout_query(&[("id_token_hint", &id_token), ("post_logout_redirect_uri", BASIC_LOGOUT), ("state", "bye-1")])).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let loc = r.location().unwrap();
        assert!(loc.starts_with(&format!("{BASIC_LOGOUT}?")), "{loc}");
        assert_eq!(query_param(&loc, "state").as_deref(), Some("bye-1"));
        assert!(r.set_cookies().iter().any(|c| c.starts_with("trame_session_ville=;") && c.contains("Max-Age=0")), "{:?}", r.set_cookies());
        assert!(b.cookie("trame_session").is_none());
        // The session is gone on the server side too.
        b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "login_required",
            Some("st-123"),
        );
    }
);

backend_test!(
    async fn server_side_session_is_gone_even_with_old_cookie(env) {
        let (mut b, id_token) = signed_in(&env).await;
        let saved = b.cookies.clone();
        let r = b.post("/logout", &[("id_token_hint", &id_token), ("post_logout_redirect_uri", BASIC_LOGOUT)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location().as_deref(), Some(BASIC_LOGOUT));
        // Replaying the old cookie does not bring the session back.
        b.cookies = saved;
        b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "login_required",
            Some("st-123"),
        );
    }
);

backend_test!(
    async fn unregistered_redirect_is_a_page(env) {
        let (mut b, id_token) = signed_in(&env).await;
        for uri in ["https://evil.example/bye", "http://localhost:3000/bye/", BASIC_REDIRECT, "http://localhost:3000/byebye"] {
            let r = b.get(&logout_query(&[("id_token_hint", &id_token), ("post_logout_redirect_uri", uri), ("state", "s")])).await;
            r.assert_page(StatusCode::BAD_REQUEST);
        }
        // Without any client identification, a redirect URI cannot be checked.
        let r = b.get(&logout_query(&[("post_logout_redirect_uri", BASIC_LOGOUT)])).await;
        r.assert_page(StatusCode::BAD_REQUEST);
        // client_id contradicting the hint.
        let r = b.get(&logout_query(&[("id_token_hint", &id_token), ("client_id", POST_ID)])).await;
        r.assert_page(StatusCode::BAD_REQUEST);
        // Still signed in after all those refusals.
        let r = b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await;
        assert!(query_param(&r.location().unwrap(), "code").is_some());
    }
);

backend_test!(
    async fn invalid_hint_is_a_page(env) {
        let (mut b, id_token) = signed_in(&env).await;
        let (head, sig) = id_token.rsplit_once('.').unwrap();
        let first = if sig.starts_with('A') { 'B' } else { 'A' };
        let tampered = format!("{head}.{first}{}", &sig[1..]);
        let t = env.tokens_basic("openid").await;
        let access_token = t["access_token"].as_str().unwrap().to_owned();
        for hint in ["garbage", "a.b.c", tampered.as_str(), access_token.as_str()] {
            let r = b.get(&logout_query(&[("id_token_hint", hint), ("post_logout_redirect_uri", BASIC_LOGOUT)])).await;
            r.assert_page(StatusCode::BAD_REQUEST);
        }
        let r = b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await;
        assert!(query_param(&r.location().unwrap(), "code").is_some(), "still signed in");
    }
);

backend_test!(
    async fn without_hint_asks_for_confirmation(env) {
        let (mut b, _) = signed_in(&env).await;
        let r = b.get("/logout").await;
        assert_eq!(r.status, StatusCode::OK);
        let id = r.input("logout").expect("a confirmation form");
        let csrf = r.input("csrf").unwrap();
        // Still signed in until confirmed; a wrong CSRF does nothing.
        let bad = b.post("/logout", &[("logout", &id), ("csrf", "wrong")]).await;
        bad.assert_page(StatusCode::FORBIDDEN);
        let r = b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await;
        assert!(query_param(&r.location().unwrap(), "code").is_some(), "still signed in");
        // A fresh confirmation works.
        let r = b.get("/logout").await;
        let id = r.input("logout").unwrap();
        let csrf2 = r.input("csrf").unwrap();
        assert_ne!(csrf, csrf2);
        let r = b.post("/logout", &[("logout", &id), ("csrf", &csrf2)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "login_required",
            Some("st-123"),
        );
    }
);

backend_test!(
    async fn logout_revokes_nothing_it_should_not(env) {
        // Logout without a session: the signed-out page, or the redirect.
        let mut b = env.browser();
        let r = b.get("/logout").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.is_html());
        let r = b.get(&logout_query(&[("client_id", BASIC_ID), ("post_logout_redirect_uri", BASIC_LOGOUT), ("state", "x")])).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(query_param(&r.location().unwrap(), "state").as_deref(), Some("x"));
    }
);
