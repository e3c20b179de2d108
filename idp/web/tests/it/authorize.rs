//! The authorization endpoint: page errors before the redirect URI is
//! trusted, redirect errors with `state` and `iss` after, RFC 9207 `iss`
//! on success.

use crate::common::*;
use axum::http::StatusCode;

backend_test!(
    async fn success_carries_code_state_and_iss(env) {
        let (_, b) = env.code_for(&basic_params("openid")).await;
        drop(b);
        let mut b = env.browser();
        let loc = b.sign_in(&basic_params("openid profile"), USERNAME, PASSWORD).await;
        assert!(loc.starts_with(&format!("{BASIC_REDIRECT}?")), "{loc}");
        assert_eq!(query_param(&loc, "state").as_deref(), Some("st-123"));
        assert_eq!(query_param(&loc, "iss").as_deref(), Some(ISSUER));
        assert!(query_param(&loc, "code").is_some_and(|c| c.len() >= 43));
        // With a session and stored consent, the next request answers at once.
        let r = b.authorize(&basic_params("openid profile")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let loc = r.location().unwrap();
        assert!(loc.starts_with(BASIC_REDIRECT));
        assert_eq!(query_param(&loc, "iss").as_deref(), Some(ISSUER));
    }
);

backend_test!(
    async fn post_authorize_works_like_get(env) {
        let mut b = env.browser();
        let r = b.post("/authorize", &basic_params("openid")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().unwrap().contains("/login?interaction="));
    }
);

backend_test!(
    async fn errors_before_the_redirect_uri_is_trusted_are_pages(env) {
        let mut b = env.browser();
        let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("missing client_id", with_param(basic_params("openid"), "client_id", None)),
            ("empty client_id", with_param(basic_params("openid"), "client_id", Some(""))),
            ("unknown client_id", with_param(basic_params("openid"), "client_id", Some("nobody"))),
            ("missing redirect_uri", with_param(basic_params("openid"), "redirect_uri", None)),
            ("unregistered", with_param(basic_params("openid"), "redirect_uri", Some("https://evil.example/cb"))),
            ("prefix", with_param(basic_params("openid"), "redirect_uri", Some("http://localhost:3000/cb/evil"))),
            ("shorter prefix", with_param(basic_params("openid"), "redirect_uri", Some("http://localhost:3000/c"))),
            ("trailing slash", with_param(basic_params("openid"), "redirect_uri", Some("http://localhost:3000/cb/"))),
            ("different case", with_param(basic_params("openid"), "redirect_uri", Some("http://localhost:3000/CB"))),
            ("different host case", with_param(basic_params("openid"), "redirect_uri", Some("http://LOCALHOST:3000/cb"))),
            ("extra query", with_param(basic_params("openid"), "redirect_uri", Some("http://localhost:3000/cb?x=1"))),
            ("another client's uri", with_param(basic_params("openid"), "redirect_uri", Some(POST_REDIRECT))),
        ];
        for (what, params) in cases {
            let r = b.authorize(&params).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{what}: {}", r.body);
            assert!(r.location().is_none(), "{what} redirected to {:?}", r.location());
            assert!(r.is_html(), "{what}");
        }
        // Duplicated client_id or redirect_uri: page too.
        let mut dup = basic_params("openid");
        dup.push(("redirect_uri", BASIC_REDIRECT));
        b.authorize(&dup).await.assert_page(StatusCode::BAD_REQUEST);
        let mut dup = basic_params("openid");
        dup.push(("client_id", BASIC_ID));
        b.authorize(&dup).await.assert_page(StatusCode::BAD_REQUEST);
        // A duplicated state cannot be echoed: page.
        let mut dup = basic_params("openid");
        dup.push(("state", "other"));
        b.authorize(&dup).await.assert_page(StatusCode::BAD_REQUEST);
    }
);

backend_test!(
    async fn duplicated_and_oversized_parameters(env) {
        let mut b = env.browser();
        let mut dup = basic_params("openid");
        dup.push(("scope", "openid"));
        b.authorize(&dup).await.assert_redirect_error(BASIC_REDIRECT, "invalid_request", Some("st-123"));
        let mut dup = basic_params("openid");
        dup.push(("nonce", "other"));
        b.authorize(&dup).await.assert_redirect_error(BASIC_REDIRECT, "invalid_request", Some("st-123"));

        let long = "n".repeat(5000);
        b.authorize(&with_param(basic_params("openid"), "nonce", Some(&long))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_request",
            Some("st-123"),
        );
        // Oversized state: it cannot be echoed, so it is a page.
        b.authorize(&with_param(basic_params("openid"), "state", Some(&long))).await.assert_page(StatusCode::BAD_REQUEST);
        // Oversized redirect_uri: a page.
        let long_uri = format!("{BASIC_REDIRECT}?{long}");
        b.authorize(&with_param(basic_params("openid"), "redirect_uri", Some(&long_uri))).await.assert_page(StatusCode::BAD_REQUEST);
    }
);

backend_test!(
    async fn errors_after_are_redirected_with_state_and_iss(env) {
        let mut b = env.browser();
        let p = basic_params("openid");
        b.authorize(&with_param(p.clone(), "response_type", Some("token"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "unsupported_response_type",
            Some("st-123"),
        );
        b.authorize(&with_param(p.clone(), "response_type", Some("code id_token"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "unsupported_response_type",
            Some("st-123"),
        );
        b.authorize(&with_param(p.clone(), "response_type", None)).await.assert_redirect_error(BASIC_REDIRECT, "invalid_request", Some("st-123"));
        // Without state, no state comes back, but iss does.
        b.authorize(&with_param(with_param(p.clone(), "response_type", Some("token")), "state", None)).await.assert_redirect_error(
            BASIC_REDIRECT,
            "unsupported_response_type",
            None,
        );
        b.authorize(&with_param(p.clone(), "code_challenge_method", Some("plain"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_request",
            Some("st-123"),
        );
        b.authorize(&with_param(p.clone(), "code_challenge_method", None)).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_request",
            Some("st-123"),
        );
        b.authorize(&with_param(p.clone(), "code_challenge", Some("too-short"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_request",
            Some("st-123"),
        );
        b.authorize(&with_param(p.clone(), "prompt", Some("none login"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_request",
            Some("st-123"),
        );
        b.authorize(&with_param(p.clone(), "prompt", Some("bogus"))).await.assert_redirect_error(BASIC_REDIRECT, "invalid_request", Some("st-123"));
        b.authorize(&with_param(p.clone(), "max_age", Some("-1"))).await.assert_redirect_error(BASIC_REDIRECT, "invalid_request", Some("st-123"));
        // A client with no registered keys cannot sign a Request Object.
        b.authorize(&with_param(p.clone(), "request", Some("eyJ.x.y"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_request_object",
            Some("st-123"),
        );
        b.authorize(&with_param(p.clone(), "request_uri", Some("https://x.example/r"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "request_uri_not_supported",
            Some("st-123"),
        );
        b.authorize(&with_param(p.clone(), "claims", Some("{not json"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_request",
            Some("st-123"),
        );
        b.authorize(&with_param(p.clone(), "response_mode", Some("fragment"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_request",
            Some("st-123"),
        );
        b.authorize(&with_param(p.clone(), "id_token_hint", Some("not-a-jwt"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_request",
            Some("st-123"),
        );
    }
);

backend_test!(
    async fn pkce_required_client(env) {
        let mut b = env.browser();
        let p = public_params();
        let no_pkce = with_param(with_param(p.clone(), "code_challenge", None), "code_challenge_method", None);
        b.authorize(&no_pkce).await.assert_redirect_error(PUBLIC_REDIRECT, "invalid_request", Some("st-pub"));
        b.authorize(&with_param(p.clone(), "code_challenge_method", Some("plain"))).await.assert_redirect_error(
            PUBLIC_REDIRECT,
            "invalid_request",
            Some("st-pub"),
        );
        // plain with a plain-looking challenge as well.
        let plain = with_param(with_param(p.clone(), "code_challenge", Some(VERIFIER)), "code_challenge_method", Some("plain"));
        b.authorize(&plain).await.assert_redirect_error(PUBLIC_REDIRECT, "invalid_request", Some("st-pub"));
        // The optional-PKCE confidential client may omit it.
        let r = b.authorize(&with_param(with_param(basic_params("openid"), "code_challenge", None), "code_challenge_method", None)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().unwrap().contains("/login?interaction="));
    }
);

backend_test!(
    async fn prompt_none_without_session_is_login_required(env) {
        let mut b = env.browser();
        b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "login_required",
            Some("st-123"),
        );
        // With a session but no consent: consent_required.
        b.sign_in(&with_param(public_params(), "scope", Some("openid")), USERNAME, PASSWORD).await;
        b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "consent_required",
            Some("st-123"),
        );
        // The post client skips consent: prompt=none succeeds.
        let p = vec![
            ("client_id", POST_ID),
            ("redirect_uri", POST_REDIRECT),
            ("response_type", "code"),
            ("scope", "openid"),
            ("state", "s"),
            ("prompt", "none"),
        ];
        let r = b.authorize(&p).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let loc = r.location().unwrap();
        assert!(query_param(&loc, "code").is_some(), "{loc}");
        assert_eq!(query_param(&loc, "iss").as_deref(), Some(ISSUER));
    }
);

backend_test!(
    async fn scopes(env) {
        let mut b = env.browser();
        // Unknown scopes are dropped, not refused; the grant holds known ones.
        let t = {
            let loc = b.sign_in(&basic_params("openid calendar.read email"), USERNAME, PASSWORD).await;
            let code = query_param(&loc, "code").unwrap();
            let r = env
                .token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)])
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
        };
        assert_eq!(t["scope"], "email openid");
        // Without openid (after dropping unknown ones) the request is refused.
        b.authorize(&with_param(basic_params("x"), "scope", Some("calendar.read"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_scope",
            Some("st-123"),
        );
        b.authorize(&with_param(basic_params("x"), "scope", None)).await.assert_redirect_error(BASIC_REDIRECT, "invalid_scope", Some("st-123"));
        b.authorize(&with_param(basic_params("x"), "scope", Some("openid \"bad"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "invalid_scope",
            Some("st-123"),
        );
    }
);

backend_test!(
    async fn max_age_forces_a_new_sign_in(env) {
        let mut b = env.browser();
        b.sign_in(&basic_params("openid"), USERNAME, PASSWORD).await;
        env.clock.advance(120);
        // max_age=60 with a 120 s old session: back to the login page.
        let r = b.authorize(&with_param(basic_params("openid"), "max_age", Some("60"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().unwrap().contains("/login?interaction="), "{:?}", r.location());
        // and prompt=none with max_age exceeded: login_required.
        let p = with_param(with_param(basic_params("openid"), "max_age", Some("60")), "prompt", Some("none"));
        b.authorize(&p).await.assert_redirect_error(BASIC_REDIRECT, "login_required", Some("st-123"));
        // max_age=600 is satisfied.
        let r = b.authorize(&with_param(basic_params("openid"), "max_age", Some("600"))).await;
        assert!(query_param(&r.location().unwrap(), "code").is_some());
        // max_age=0 is prompt=login, even in the second of a sign-in.
        let mut fresh = env.browser();
        fresh.sign_in(&basic_params("openid"), USERNAME, PASSWORD).await;
        let r = fresh.authorize(&with_param(basic_params("openid"), "max_age", Some("0"))).await;
        assert!(r.location().unwrap().contains("/login?interaction="), "{:?}", r.location());
        // Signing in there satisfies it.
        let redirect = fresh.follow(r, USERNAME, PASSWORD).await;
        assert!(query_param(&redirect, "code").is_some(), "{redirect}");
    }
);

backend_test!(
    async fn form_post_response_mode(env) {
        let mut b = env.browser();
        let p = with_param(basic_params("openid"), "response_mode", Some("form_post"));
        let loc = b.sign_in(&with_param(basic_params("openid"), "response_type", Some("code")), USERNAME, PASSWORD).await;
        assert!(loc.contains("code="));
        let r = b.authorize(&p).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.is_html());
        assert!(unescape(&r.body).contains(&format!("action=\"{BASIC_REDIRECT}\"")), "{}", r.body);
        assert!(r.input("code").is_some());
        assert_eq!(r.input("iss").as_deref(), Some(ISSUER));
        assert_eq!(r.input("state").as_deref(), Some("st-123"));
        // An error in form_post mode also carries iss.
        let r = b.authorize(&with_param(p, "response_type", Some("token"))).await;
        assert_eq!(r.input("error").as_deref(), Some("unsupported_response_type"));
        assert_eq!(r.input("iss").as_deref(), Some(ISSUER));
    }
);

backend_test!(
    async fn undecodable_query_is_an_error_page(env) {
        // %FF is not UTF-8: nothing in the request can be trusted, so the
        // answer is a page, never JSON and never a redirect.
        let r = env.get("/authorize?client_id=%FF&response_type=code").await;
        r.assert_page(StatusCode::BAD_REQUEST);
        assert!(r.header("location").is_none());
    }
);
