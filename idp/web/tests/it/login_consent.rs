//! The sign-in and consent pages: CSRF and browser binding, unknown
//! interactions, indistinguishable failures, throttling, denial.

use crate::common::*;
use axum::http::StatusCode;

backend_test!(
    async fn csrf_is_required(env) {
        let mut b = env.browser();
        let (_, page) = b.login_page(&basic_params("openid")).await;
        let ia = page.input("interaction").unwrap();
        for csrf in [None, Some("wrong-csrf-token"), Some("")] {
            let mut form = vec![("interaction", ia.as_str()), ("username", USERNAME), ("password", PASSWORD)];
            if let Some(c) = csrf {
                form.push(("csrf", c));
            }
            let r = b.post("/login", &form).await;
            r.assert_page(StatusCode::FORBIDDEN);
            assert!(b.cookie("trame_session").is_none(), "no session after a CSRF failure");
        }
        // Another browser (no binding cookie) cannot complete this sign-in,
        // even with the right CSRF token.
        let mut other = env.browser();
        let csrf = page.input("csrf").unwrap();
        let r = other.post("/login", &[("interaction", &ia), ("csrf", &csrf), ("username", USERNAME), ("password", PASSWORD)]).await;
        r.assert_page(StatusCode::FORBIDDEN);
        assert!(other.cookie("trame_session").is_none());
        // The right form still works afterwards.
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(b.cookie("trame_session").is_some());
    }
);

backend_test!(
    async fn consent_csrf_is_required(env) {
        let mut b = env.browser();
        let (_, page) = b.login_page(&basic_params("openid")).await;
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        let consent = b.get(&r.location().unwrap()).await;
        assert!(consent.body.contains("name=\"decision\""));
        let ia = consent.input("interaction").unwrap();
        let r = b.post("/consent", &[("interaction", &ia), ("csrf", "nope"), ("decision", "approve")]).await;
        r.assert_page(StatusCode::FORBIDDEN);
        let r = b.post("/consent", &[("interaction", &ia), ("decision", "approve")]).await;
        r.assert_page(StatusCode::FORBIDDEN);
        // An unknown decision is refused too.
        let csrf = consent.input("csrf").unwrap();
        let r = b.post("/consent", &[("interaction", &ia), ("csrf", &csrf), ("decision", "maybe")]).await;
        r.assert_page(StatusCode::BAD_REQUEST);
        // No consent was recorded: prompt=none still says consent_required.
        b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await.assert_redirect_error(
            BASIC_REDIRECT,
            "consent_required",
            Some("st-123"),
        );
    }
);

backend_test!(
    async fn unknown_or_used_interaction(env) {
        let mut b = env.browser();
        for id in ["", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
            b.get(&format!("/login?interaction={id}")).await.assert_page(StatusCode::BAD_REQUEST);
            b.get(&format!("/consent?interaction={id}")).await.assert_page(StatusCode::BAD_REQUEST);
            let r = b.post("/login", &[("interaction", id), ("csrf", "x"), ("username", USERNAME), ("password", PASSWORD)]).await;
            r.assert_page(StatusCode::BAD_REQUEST);
            assert!(b.cookie("trame_session").is_none());
        }
        // Missing interaction parameter: a client error, not a 500.
        let r = b.get("/login").await;
        assert!(r.status.is_client_error(), "{}", r.status);
        // An interaction is gone once it produced a code.
        let (_, page) = b.login_page(&with_param(basic_params("openid"), "client_id", Some(BASIC_ID))).await;
        let ia = page.input("interaction").unwrap();
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        let loc = b.follow(r, USERNAME, PASSWORD).await;
        assert!(loc.contains("code="));
        b.get(&format!("/login?interaction={ia}")).await.assert_page(StatusCode::BAD_REQUEST);
    }
);

backend_test!(
    async fn expired_interaction(env) {
        let mut b = env.browser();
        let (loc, page) = b.login_page(&basic_params("openid")).await;
        env.clock.advance(trame_core::lifetimes::INTERACTION + 1);
        b.get(&loc).await.assert_page(StatusCode::BAD_REQUEST);
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        r.assert_page(StatusCode::BAD_REQUEST);
        assert!(b.cookie("trame_session").is_none());
        // Starting again works.
        let loc = b.sign_in(&basic_params("openid"), USERNAME, PASSWORD).await;
        assert!(query_param(&loc, "code").is_some());
    }
);

backend_test!(
    async fn unknown_user_and_wrong_password_look_the_same(env) {
        let mut b = env.browser();
        let (_, page) = b.login_page(&basic_params("openid")).await;
        let wrong_pw = b.submit_login(&page, USERNAME, "not the password").await;
        let (_, page2) = b.login_page(&basic_params("openid")).await;
        let unknown = b.submit_login(&page2, "mallory", "not the password").await;
        assert_eq!(wrong_pw.status, StatusCode::UNAUTHORIZED);
        assert_eq!(unknown.status, wrong_pw.status);
        assert!(b.cookie("trame_session").is_none());
        let normalize = |r: &Resp, user: &str| {
            let ia = r.input("interaction").unwrap();
            let csrf = r.input("csrf").unwrap();
            r.body.replace(&ia, "IA").replace(&csrf, "CSRF").replace(&format!("value=\"{user}\""), "value=\"USER\"")
        };
        assert_eq!(normalize(&wrong_pw, USERNAME), normalize(&unknown, "mallory"));
        assert!(wrong_pw.body.contains("Identifiant ou mot de passe incorrect"), "{}", wrong_pw.body);
        let hdrs = |r: &Resp| {
            let mut h: Vec<String> = r.headers.keys().map(|k| k.as_str().to_owned()).filter(|k| k != "content-length").collect();
            h.sort();
            h
        };
        assert_eq!(hdrs(&wrong_pw), hdrs(&unknown));
    }
);

backend_test!(
    async fn throttling_per_account(env) {
        let mut b = env.browser();
        let (_, page) = b.login_page(&basic_params("openid")).await;
        let mut page = page;
        for i in 0..10 {
            let r = b.submit_login(&page, USERNAME, "wrong").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
            page = r;
            // Past five failures the account's attempts are spaced out
            // (2 s, 4 s, …): this guesser waits for each.
            env.clock.advance(20);
        }
        // Ten from one address: the right password is now refused from it
        // too, whatever the wait.
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert!(r.body.contains("Trop de tentatives"), "{}", r.body);
        assert!(b.cookie("trame_session").is_none());
        // Per account: the count ignores case and surrounding spaces.
        let r = b.submit_login(&page, " ALICE ", PASSWORD).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // From another address the account is not blocked, but its
        // attempts are spaced out: 32 s after ten failures.
        let mut b_again = env.browser();
        let (_, p0) = b_again.login_page(&basic_params("openid")).await;
        b_again.submit_login(&p0, USERNAME, "wrong again").await;
        let mut other = env.browser();
        other.peer = "192.0.2.99:1234".parse().unwrap();
        let (_, p2) = other.login_page(&basic_params("openid")).await;
        let r = other.submit_login(&p2, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        env.clock.advance(33);
        let r = other.submit_login(&r, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "the owner gets in once the delay is over: {}", r.body);
        // Another account is not affected.
        add_user(&env.state.store, &env.tenant.id, "bob", PASSWORD, env.clock.now()).await;
        let r = b.submit_login(&page, "bob", PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
);

backend_test!(
    async fn consent_deny_is_access_denied(env) {
        let mut b = env.browser();
        let (_, page) = b.login_page(&basic_params("openid email")).await;
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        let consent = b.get(&r.location().unwrap()).await;
        assert_eq!(consent.status, StatusCode::OK);
        let ia = consent.input("interaction").unwrap();
        let csrf = consent.input("csrf").unwrap();
        let r = b.post("/consent", &[("interaction", &ia), ("csrf", &csrf), ("decision", "deny")]).await;
        r.assert_redirect_error(BASIC_REDIRECT, "access_denied", Some("st-123"));
        // The interaction is gone.
        let r = b.post("/consent", &[("interaction", &ia), ("csrf", &csrf), ("decision", "approve")]).await;
        r.assert_page(StatusCode::BAD_REQUEST);
    }
);

backend_test!(
    async fn consent_is_remembered_per_scope_set(env) {
        let mut b = env.browser();
        b.sign_in(&basic_params("openid profile"), USERNAME, PASSWORD).await;
        // Same scopes: no consent page.
        let r = b.authorize(&basic_params("openid")).await;
        assert!(query_param(&r.location().unwrap(), "code").is_some());
        // Wider scopes: consent again.
        let r = b.authorize(&basic_params("openid profile email")).await;
        assert!(r.location().unwrap().contains("/consent?interaction="), "{:?}", r.location());
        // prompt=consent: consent again.
        let r = b.authorize(&with_param(basic_params("openid"), "prompt", Some("consent"))).await;
        assert!(r.location().unwrap().contains("/consent?interaction="));
        // prompt=login: sign in again.
        let r = b.authorize(&with_param(basic_params("openid"), "prompt", Some("login"))).await;
        assert!(r.location().unwrap().contains("/login?interaction="));
    }
);

backend_test!(
    async fn password_checks_wait_for_a_permit_then_give_up(env) {
        use std::time::Duration;
        use trame_app::password_work::PasswordWork;
        // One argon2 run at a time, and a short wait for it.
        let state = env.state.clone().with_password_work(PasswordWork::new(1, Duration::from_millis(50)));
        let env = Env { app: trame_web::app(state.clone()), state, ..env };
        let mut b = env.browser();
        let (_, page) = b.login_page(&basic_params("openid")).await;

        // Another sign-in holds the only permit.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let work = env.state.password_work.clone();
        let busy = tokio::spawn(async move { work.run(move |_| held.recv()).await });
        while env.state.password_work.run(|_| ()).await.is_ok() {
            tokio::task::yield_now().await;
        }
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        r.assert_page(StatusCode::SERVICE_UNAVAILABLE);
        assert!(b.cookie("trame_session").is_none());

        // Once it is done, the same form signs in.
        release.send(()).unwrap();
        busy.await.unwrap().unwrap().unwrap();
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(b.cookie("trame_session").is_some());
    }
);

backend_test!(
    async fn consent_lists_the_scopes_in_reading_order_each_explained(env) {
        let mut b = env.browser();
        // Asked for in an order no one would read them in.
        let params = with_param(basic_params("offline_access email profile openid"), "prompt", Some("consent"));
        let (_, page) = b.login_page(&params).await;
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        let consent = b.get(&r.location().unwrap()).await;
        assert_eq!(consent.status, StatusCode::OK, "{}", consent.body);
        let listed: Vec<&str> =
            consent.body.split("data-scope=\"").skip(1).map(|rest| rest.split('"').next().unwrap_or_default()).collect();
        assert_eq!(listed, ["openid", "profile", "email", "offline_access"], "who you are, how to reach you, access in your absence last");
        // Each with its explanation, in the page's language (French here).
        let fr = include_str!("../../../../themes/default/locales/fr/main.ftl");
        for scope in listed {
            let help = fr.lines().find_map(|l| l.strip_prefix(&format!("scope-{scope}-help = "))).expect("an explanation in fr");
            assert!(consent.body.contains(help), "{scope}: {help}\n{}", consent.body);
        }
    }
);
