//! An account disabled, enabled and erased (`trame_app::users`, what the
//! CLI and the admin API call): a disabled account cannot sign in by any
//! way, its browser session and its tokens stop at once; an erased one
//! leaves nothing behind but audit records without addresses.

use crate::common::*;
use axum::http::StatusCode;
use trame_app::audit::Actor;
use trame_app::users::{self, AccountChange};
use trame_store::AuditQuery;

fn operator() -> Actor {
    Actor::Cli("test".into())
}

backend_test!(
    async fn a_disabled_account_signs_in_nowhere_and_its_tokens_stop(env) {
        let entry = env.state.catalog.by_id(&env.tenant.id).expect("tenant entry");
        // Signed in, with tokens and a session.
        let mut b = env.browser();
        let redirect = b.sign_in(&basic_params("openid profile"), USERNAME, PASSWORD).await;
        let code = query_param(&redirect, "code").unwrap();
        let r = env.token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let at = r.json()["access_token"].as_str().unwrap().to_owned();
        assert_eq!(env.userinfo(&at).await.status, StatusCode::OK);

        assert_eq!(users::disable(env.state.app(), &entry, &env.user_id, operator()).await.unwrap(), AccountChange::Done);
        // The access token stops at once; the session too: the browser is
        // asked to sign in again, and the right password is refused.
        assert_eq!(env.userinfo(&at).await.status, StatusCode::UNAUTHORIZED);
        let (_, page) = b.login_page(&basic_params("openid")).await;
        let refused = b.submit_login(&page, USERNAME, PASSWORD).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(refused.body.contains("désactivé"), "the page says why: {}", refused.body);
        // prompt=none finds no session either.
        let none = b.authorize(&with_param(basic_params("openid"), "prompt", Some("none"))).await;
        none.assert_redirect_error(BASIC_REDIRECT, "login_required", Some("st-123"));

        assert_eq!(users::enable(env.state.app(), &entry, &env.user_id, operator()).await.unwrap(), AccountChange::Done);
        let redirect = b.sign_in(&basic_params("openid"), USERNAME, PASSWORD).await;
        assert!(query_param(&redirect, "code").is_some(), "{redirect}");

        let trail = env.state.store.audit_events(&AuditQuery { tenant_id: Some(env.tenant.id.clone()), subject: Some(format!("user:{}", env.user_id)), limit: 10, ..AuditQuery::default() }).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["sign_in", "user.enabled", "user.disabled", "consent.given", "sign_in"], "newest first; the refused sign-in started no session");
        assert!(trail.iter().filter(|e| e.action.starts_with("user.")).all(|e| e.actor == "cli:test" && e.outcome == "success"));
        assert!(trail.iter().filter(|e| e.action == "sign_in").all(|e| e.actor == format!("user:{}", env.user_id)));
        // A wrong password is on the account's trail too, as a failure.
        let (_, page) = b.login_page(&with_param(basic_params("openid"), "prompt", Some("login"))).await;
        assert_eq!(b.submit_login(&page, USERNAME, "not the password").await.status, StatusCode::UNAUTHORIZED);
        let last = env.state.store.audit_events(&AuditQuery { tenant_id: Some(env.tenant.id.clone()), action: Some("sign_in".into()), limit: 1, ..AuditQuery::default() }).await.unwrap();
        assert_eq!(last[0].outcome, "failure");
        // Unknown accounts: nothing done, nothing recorded.
        assert_eq!(users::disable(env.state.app(), &entry, "no-such-user", operator()).await.unwrap(), AccountChange::NotFound);
        assert_eq!(users::remove(env.state.app(), &entry, "no-such-user", operator()).await.unwrap(), AccountChange::NotFound);
    }
);

backend_test!(
    async fn an_erased_account_leaves_nothing_but_its_audit_records(env) {
        let entry = env.state.catalog.by_id(&env.tenant.id).expect("tenant entry");
        let t = env.tokens_basic("openid offline_access").await;
        let at = t["access_token"].as_str().unwrap().to_owned();
        let refresh = t["refresh_token"].as_str().unwrap().to_owned();
        let store = &env.state.store;
        store
            .record_audit(trame_store::NewAuditEvent {
                tenant_id: Some(env.tenant.id.clone()),
                at: env.clock.now(),
                actor: format!("user:{}", env.user_id),
                action: "sign_in".into(),
                target: None,
                outcome: trame_store::Outcome::Success,
                address: Some("192.0.2.7".into()),
                detail: None,
            })
            .await
            .unwrap();

        assert_eq!(users::remove(env.state.app(), &entry, &env.user_id, operator()).await.unwrap(), AccountChange::Done);
        assert!(store.user_by_id(&env.tenant.id, &env.user_id).await.unwrap().is_none());
        assert!(store.user_for_sign_in(&env.tenant.id, USERNAME).await.unwrap().is_none(), "the username is free again");
        assert!(store.account_sessions(&env.tenant.id, &env.user_id, env.clock.now()).await.unwrap().is_empty());
        assert_eq!(env.userinfo(&at).await.status, StatusCode::UNAUTHORIZED);
        let r = env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)]).await;
        r.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        let trail = store.audit_events(&AuditQuery { tenant_id: Some(env.tenant.id.clone()), subject: Some(format!("user:{}", env.user_id)), limit: 10, ..AuditQuery::default() }).await.unwrap();
        assert_eq!(trail.first().map(|e| e.action.as_str()), Some("user.removed"));
        assert!(trail.iter().all(|e| e.address.is_none()), "no address left about the erased account: {trail:?}");
        // Erasing twice: nothing to erase.
        assert_eq!(users::remove(env.state.app(), &entry, &env.user_id, operator()).await.unwrap(), AccountChange::NotFound);
    }
);
