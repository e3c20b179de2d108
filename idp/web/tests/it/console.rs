//! The administration console at `<issuer>/admin`: who gets in (a role and
//! a passkey sign-in), and what an administrator does there: find an
//! account, disable, enable and delete it (typing its name), register and
//! remove services, rotate keys, rename the tenant, read the audit trail.

use axum::http::StatusCode;
use trame_app::admin::{self, Holder, Role};
use trame_app::audit::Actor;
use trame_store::AuditQuery;
use trame_testkit::authenticator::SoftAuthenticator;

use crate::common::*;
use crate::passkeys::{open_signup, sign_up};

const ADMIN: &str = "camille";

/// `camille` signed up with a passkey (a session at `eidas2`), holding
/// `role` when one is given: the browser and the console's CSRF token.
pub async fn console_user(env: &Env, role: Option<Role>) -> (Browser, String) {
    console_user_as(env, ADMIN, role).await
}

/// [`console_user`] with another name.
pub async fn console_user_as(env: &Env, name: &str, role: Option<Role>) -> (Browser, String) {
    open_signup(env).await;
    let mut auth = SoftAuthenticator::new();
    let mut b = env.browser();
    let done = sign_up(&mut b, &mut auth, name).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let Some(role) = role else { return (b, String::new()) };
    admin::grant(&env.state.store, &env.tenant, Holder::Username(name), role, env.clock.now(), Actor::Cli("test".into())).await.unwrap();
    let page = b.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The session's token, as every form of the console and the account
    // page carries it (an auditor's console pages have no form).
    let csrf = b.get("/account").await.input("csrf").unwrap();
    (b, csrf)
}

fn notice(r: &Resp) -> String {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    query_param(&r.location().unwrap(), "notice").unwrap_or_default()
}

async fn actions(env: &Env, action: &str) -> Vec<trame_store::AuditEvent> {
    let q = AuditQuery { tenant_id: Some(env.tenant.id.clone()), action: Some(action.into()), limit: 10, ..AuditQuery::default() };
    env.state.store.audit_events(&q).await.unwrap()
}

backend_test!(async fn the_console_asks_a_role_and_a_passkey(env) {
    // No session: to the sign-in page, then back to the console.
    let mut stranger = env.browser();
    let r = stranger.get("/admin/users").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().unwrap().contains("/login?interaction="));
    // A password session (eidas1) is not enough, even with a role: the
    // sign-in page asks for more, and the password alone is refused there.
    admin::grant(&env.state.store, &env.tenant, Holder::Username(USERNAME), Role::TenantAdmin, env.clock.now(), Actor::Cli("test".into())).await.unwrap();
    let (_, mut b) = env.code_for(&basic_params("openid")).await;
    let r = b.get("/admin").await;
    let login = r.location().expect("a step-up");
    assert!(login.contains("/login?interaction="), "{login}");
    let page = b.get(&login).await;
    let r = b.submit_login(&page, USERNAME, PASSWORD).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // A passkey session without a role: refused, saying why.
    let (mut b, _) = console_user(&env, None).await;
    let r = b.get("/admin/users").await;
    r.assert_page(StatusCode::FORBIDDEN);
    assert!(r.body.contains("pas de rôle d’administration"), "{}", r.body);
    // With a role: the console, which opens on the accounts.
    admin::grant(&env.state.store, &env.tenant, Holder::Username(ADMIN), Role::TenantAdmin, env.clock.now(), Actor::Cli("test".into())).await.unwrap();
    let r = b.get("/admin").await;
    assert!(r.location().unwrap().ends_with("/admin/users"));
    let page = b.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    assert!(page.body.contains(USERNAME));
    // The sign-in is recent for 15 minutes only (the account pages' rule).
    env.clock.advance(16 * 60);
    assert_eq!(b.get("/admin/users").await.status, StatusCode::SEE_OTHER);
});

backend_test!(async fn an_administrator_finds_disables_and_deletes_an_account(env) {
    let (mut b, csrf) = console_user(&env, Some(Role::TenantAdmin)).await;
    // Found by the start of a name, without case or accents.
    let page = b.get("/admin/users?q=ALI").await;
    assert!(page.body.contains(&env.user_id) && page.body.contains(">alice</a>"), "{}", page.body);
    assert!(!page.body.contains(&format!(">{ADMIN}<")), "only the accounts that match");
    assert!(b.get("/admin/users?q=nobody-here").await.body.contains("Aucun compte ne correspond"));
    let user = format!("/admin/users/{}", env.user_id);
    let page = b.get(&user).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Historique"));
    b.get("/admin/users/no-such-account").await.assert_page(StatusCode::NOT_FOUND);

    // Disabled: alice can no longer sign in; then enabled again.
    assert_eq!(notice(&b.post(&format!("{user}/disable"), &[("csrf", &csrf)]).await), "console-user-disabled");
    assert!(env.state.store.account(&env.tenant.id, &env.user_id).await.unwrap().unwrap().disabled_at.is_some());
    let mut other = env.browser();
    let (_, page) = other.login_page(&basic_params("openid")).await;
    assert_ne!(other.submit_login(&page, USERNAME, PASSWORD).await.status, StatusCode::SEE_OTHER, "a disabled account signs in nowhere");
    assert!(b.get(&user).await.body.contains("Désactivé depuis"));
    assert_eq!(notice(&b.post(&format!("{user}/enable"), &[("csrf", &csrf)]).await), "console-user-enabled");
    assert!(env.state.store.account(&env.tenant.id, &env.user_id).await.unwrap().unwrap().disabled_at.is_none());

    // A forged form changes nothing.
    b.post(&format!("{user}/disable"), &[("csrf", "forged")]).await.assert_page(StatusCode::FORBIDDEN);
    // Deletion needs the username typed.
    assert_eq!(notice(&b.post(&format!("{user}/delete"), &[("csrf", &csrf), ("confirm", "alic")]).await), "console-unconfirmed");
    assert_eq!(notice(&b.post(&format!("{user}/delete"), &[("csrf", &csrf)]).await), "console-unconfirmed");
    assert!(env.state.store.account(&env.tenant.id, &env.user_id).await.unwrap().is_some());
    assert_eq!(notice(&b.post(&format!("{user}/delete"), &[("csrf", &csrf), ("confirm", USERNAME)]).await), "console-user-deleted");
    assert!(env.state.store.account(&env.tenant.id, &env.user_id).await.unwrap().is_none());
    b.post(&format!("{user}/disable"), &[("csrf", &csrf)]).await.assert_page(StatusCode::NOT_FOUND);

    // Each step is in the trail, by the administrator.
    for action in ["user.disabled", "user.enabled", "user.removed"] {
        let found = actions(&env, action).await;
        assert_eq!(found.len(), 1, "{action}");
        assert!(found[0].actor.starts_with("user:"), "{action}: {}", found[0].actor);
    }
    let page = b.get("/admin/audit?action=user.disabled").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("user.disabled") && page.body.contains(ADMIN), "the actor by username");
    assert!(!page.body.contains("<code>user.enabled</code>"), "filtered by action");
});

backend_test!(async fn an_auditor_reads_and_changes_nothing(env) {
    let (mut b, csrf) = console_user(&env, Some(Role::Auditor)).await;
    let user = format!("/admin/users/{}", env.user_id);
    let page = b.get(&user).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("/disable\""), "no action offered");
    b.post(&format!("{user}/disable"), &[("csrf", &csrf)]).await.assert_page(StatusCode::FORBIDDEN);
    b.post("/admin/keys/rotate", &[("csrf", &csrf)]).await.assert_page(StatusCode::FORBIDDEN);
    assert!(env.state.store.account(&env.tenant.id, &env.user_id).await.unwrap().unwrap().disabled_at.is_none());
    // The tenants of the installation are the operators'.
    b.get("/admin/tenants").await.assert_page(StatusCode::FORBIDDEN);
});

backend_test!(async fn services_are_registered_with_the_cli_rules_and_removed_by_name(env) {
    let (mut b, csrf) = console_user(&env, Some(Role::TenantAdmin)).await;
    assert_eq!(b.get("/admin/clients/new").await.status, StatusCode::OK);
    let form = |uri: &'static str| -> Vec<(&'static str, String)> {
        let fields = [("client_id", "portail"), ("client_name", "Portail famille"), ("kind", "web"), ("redirect_uris", uri), ("scope", "openid profile")];
        std::iter::once(("csrf", csrf.clone())).chain(fields.map(|(k, v)| (k, v.to_owned()))).collect()
    };
    // Not https away from localhost: refused, naming the field, nothing made.
    let f = form("http://portail.example.fr/cb");
    let r = b.post("/admin/clients", &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("redirect_uris"), "{}", r.body);
    assert!(env.state.store.client(&env.tenant.id, "portail").await.unwrap().is_none());
    // Made: the secret is shown once and works.
    let f = form("https://portail.example.fr/cb");
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post("/admin/clients", &pairs).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    let secret = r.input("client_secret").expect("the secret on the page");
    let t = env.post_form("/token", &[("grant_type", "client_credentials")], Some(("portail", &secret))).await;
    assert_ne!(t.status, StatusCode::UNAUTHORIZED, "the secret authenticates the client: {}", t.body);
    // The same id again is refused.
    let r = b.post("/admin/clients", &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b.get("/admin/clients").await.body.contains("Portail famille"));
    assert!(b.get("/admin/clients/portail").await.body.contains("portail.example.fr"), "its redirect URI");
    // A new secret; the old one stops.
    assert_eq!(notice(&b.post("/admin/clients/portail/secret", &[("csrf", &csrf)]).await), "console-unconfirmed", "the id typed first");
    let r = b.post("/admin/clients/portail/secret", &[("csrf", &csrf), ("confirm", "portail")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_ne!(r.input("client_secret").as_deref(), Some(secret.as_str()), "a new secret, shown once");
    let t = env.post_form("/token", &[("grant_type", "client_credentials")], Some(("portail", &secret))).await;
    assert_eq!(t.status, StatusCode::UNAUTHORIZED);
    // Removed once its id is typed.
    assert_eq!(notice(&b.post("/admin/clients/portail/delete", &[("csrf", &csrf), ("confirm", "Portail")]).await), "console-unconfirmed");
    assert!(env.state.store.client(&env.tenant.id, "portail").await.unwrap().is_some());
    assert_eq!(notice(&b.post("/admin/clients/portail/delete", &[("csrf", &csrf), ("confirm", "portail")]).await), "console-client-deleted");
    assert!(env.state.store.client(&env.tenant.id, "portail").await.unwrap().is_none());
    // A service without people: client_credentials, no redirect URI.
    let r = b.post("/admin/clients", &[("csrf", &csrf), ("client_id", "batch"), ("kind", "service"), ("scope", "openid")]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    b.post("/admin/clients", &[("csrf", &csrf), ("client_id", "bell\u{7}"), ("kind", "service")]).await.assert_page(StatusCode::UNPROCESSABLE_ENTITY);
    b.post("/admin/clients", &[("csrf", &csrf), ("client_id", "z"), ("kind", "robot")]).await.assert_page(StatusCode::UNPROCESSABLE_ENTITY);
});

backend_test!(async fn keys_settings_and_the_audit_filters(env) {
    let (mut b, csrf) = console_user(&env, Some(Role::TenantAdmin)).await;
    let before = env.state.store.list_keys(&env.tenant.id, env.clock.now()).await.unwrap().len();
    assert_eq!(b.get("/admin/keys").await.status, StatusCode::OK);
    assert_eq!(notice(&b.post("/admin/keys/rotate", &[("csrf", &csrf), ("alg", "ES256"), ("delay_hours", "24")]).await), "console-key-rotated");
    assert_eq!(env.state.store.list_keys(&env.tenant.id, env.clock.now()).await.unwrap().len(), before + 1);
    b.post("/admin/keys/rotate", &[("csrf", &csrf), ("alg", "HS256")]).await.assert_page(StatusCode::BAD_REQUEST);
    b.post("/admin/keys/rotate", &[("csrf", &csrf), ("delay_hours", "-3")]).await.assert_page(StatusCode::BAD_REQUEST);

    let shown = env.tenant.display_name.clone();
    assert_eq!(notice(&b.post("/admin/settings", &[("csrf", &csrf), ("shown", &shown), ("display_name", "Mairie de Trame")]).await), "console-settings-saved");
    // The same form again, from the page as it was: nothing overwritten.
    assert_eq!(notice(&b.post("/admin/settings", &[("csrf", &csrf), ("shown", &shown), ("display_name", "Autre nom")]).await), "console-settings-stale");
    assert!(b.get("/admin/settings").await.body.contains("Mairie de Trame"), "shown at once on this node");
    let r = b.post("/admin/settings", &[("csrf", &csrf), ("shown", "Mairie de Trame"), ("display_name", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("role=\"alert\""));

    let r = b.get("/admin/audit?since=2026-13-01").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("aria-invalid"));
    assert_eq!(b.get("/admin/audit?since=2026-12-06&until=2026-12-01").await.status, StatusCode::BAD_REQUEST);
    let r = b.get(&format!("/admin/audit?user={ADMIN}")).await;
    assert!(r.body.contains("role.granted"), "the account's own trail: {}", r.body);
    assert!(b.get("/admin/audit?user=nobody-at-all").await.body.contains("Aucun événement"));
});

backend_test!(async fn a_reset_takes_every_credential(env) {
    let (mut b, csrf) = console_user(&env, Some(Role::TenantAdmin)).await;
    let user = format!("/admin/users/{}", env.user_id);
    // No mail here: the credentials go, no link is sent, the page says so.
    assert_eq!(notice(&b.post(&format!("{user}/reset"), &[("csrf", &csrf)]).await), "console-unconfirmed", "the username typed first");
    assert!(env.state.store.account(&env.tenant.id, &env.user_id).await.unwrap().unwrap().password_hash.is_some());
    assert_eq!(notice(&b.post(&format!("{user}/reset"), &[("csrf", &csrf), ("confirm", USERNAME)]).await), "console-user-reset-no-address");
    let account = env.state.store.account(&env.tenant.id, &env.user_id).await.unwrap().unwrap();
    assert!(account.password_hash.is_none() && !account.has_totp, "password and TOTP removed");
    let mut other = env.browser();
    let (_, page) = other.login_page(&basic_params("openid")).await;
    assert_ne!(other.submit_login(&page, USERNAME, PASSWORD).await.status, StatusCode::SEE_OTHER, "the old password no longer signs in");
    let found = actions(&env, "user.credentials_reset").await;
    assert_eq!(found.len(), 1);
    assert!(found[0].actor.starts_with("user:"));
    b.post("/admin/users/nobody/reset", &[("csrf", &csrf), ("confirm", "nobody")]).await.assert_page(StatusCode::NOT_FOUND);
});
