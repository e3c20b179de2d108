//! The admin REST API (`<issuer>/admin/api/v1`) as a script would use it:
//! a client of the tenant with `client_credentials` and `trame:admin`, and
//! every refusal a careless or hostile caller meets.

use crate::account::mailed_links;
use crate::common::*;
use crate::passkeys::{open_signup, sign_up};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use trame_app::admin::{self, Holder, Role, RoleError};
use trame_app::audit::Actor;
use trame_app::mail::{MailConfig, Mailer};
use trame_core::client::{AuthMethod, GrantType, PkcePolicy};
use trame_core::ids::{Issuer, TenantSlug};
use trame_testkit::authenticator::SoftAuthenticator;

pub(crate) const OPS_ID: &str = "ops-script";
pub(crate) const OPS_SECRET: &str = "ops-secret-0123456789abcdef";
const READER_ID: &str = "ops-reader";
const READER_SECRET: &str = "reader-secret-0123456789abcdef";
pub(crate) const API: &str = "/admin/api/v1";

pub(crate) fn machine<'a>(id: &'a str, secret: &'a str, scopes: &'a str) -> ClientSpec<'a> {
    ClientSpec {
        id,
        secret: Some(secret),
        method: AuthMethod::ClientSecretBasic,
        redirects: &[],
        post_logout: &[],
        grants: &[GrantType::ClientCredentials],
        scopes,
        pkce: PkcePolicy::Required,
        skip_consent: true,
    }
}

/// An access token of `id` from the tenant at `prefix`.
pub(crate) async fn token(env: &Env, prefix: &str, id: &str, secret: &str, scope: &str) -> String {
    let r = env.post_form(&format!("{prefix}/token"), &[("grant_type", "client_credentials"), ("scope", scope)], Some((id, secret))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["access_token"].as_str().unwrap().to_owned()
}

pub(crate) async fn admin_env(env: &Env) -> (String, String) {
    let now = env.clock.now();
    add_client(&env.state.store, &env.tenant.id, machine(OPS_ID, OPS_SECRET, "trame:admin"), now).await;
    add_client(&env.state.store, &env.tenant.id, machine(READER_ID, READER_SECRET, "trame:admin:read"), now).await;
    env.refresh_catalog().await;
    (token(env, "", OPS_ID, OPS_SECRET, "trame:admin").await, token(env, "", READER_ID, READER_SECRET, "trame:admin:read").await)
}

pub(crate) async fn call(env: &Env, method: Method, path: &str, token: Option<&str>, body: Option<Value>, extra: &[(&str, &str)]) -> Resp {
    call_at(&env.app, method, path, token, body, extra).await
}

/// [`call`], on `app` (the env's state with a mailer, say).
pub(crate) async fn call_at(app: &axum::Router, method: Method, path: &str, token: Option<&str>, body: Option<Value>, extra: &[(&str, &str)]) -> Resp {
    let mut b = Request::builder().method(method).uri(path).header(header::HOST, HOST);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    let body = match body {
        Some(v) => {
            b = b.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    send(app, b.body(body).unwrap()).await
}

#[track_caller]
pub(crate) fn assert_problem(r: &Resp, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.header("content-type").as_deref(), Some("application/problem+json"), "{}", r.body);
    let p = r.json();
    assert_eq!((p["code"].as_str(), p["status"].as_u64(), p["type"].as_str()), (Some(code), Some(u64::from(status.as_u16())), Some("about:blank")), "{p}");
    assert!(p["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

backend_test!(
    async fn only_an_administration_token_of_this_tenant_opens_the_api(env) {
        let (ops, reader) = admin_env(&env).await;
        let users = format!("{API}/users");
        let r = call(&env, Method::GET, &users, None, None, &[]).await;
        assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid_token");
        assert_eq!(r.header("www-authenticate").as_deref(), Some("Bearer"));
        assert_problem(&call(&env, Method::GET, &users, Some("not-a-token"), None, &[]).await, StatusCode::UNAUTHORIZED, "invalid_token");
        // A client without the scope, and a person's token (even one whose
        // client holds the scope would not do: they name a person).
        let r = env.post_form("/token", &[("grant_type", "client_credentials"), ("client_id", POST_ID), ("client_secret", POST_SECRET)], None).await;
        let plain = r.json()["access_token"].as_str().unwrap().to_owned();
        let r = call(&env, Method::GET, &users, Some(&plain), None, &[]).await;
        assert_problem(&r, StatusCode::FORBIDDEN, "insufficient_rights");
        assert!(r.header("www-authenticate").unwrap().contains("insufficient_scope"));
        let person = env.tokens_basic("openid profile").await["access_token"].as_str().unwrap().to_owned();
        assert_problem(&call(&env, Method::GET, &users, Some(&person), None, &[]).await, StatusCode::UNAUTHORIZED, "invalid_token");
        // Reading with either; changing only with trame:admin.
        assert_eq!(call(&env, Method::GET, &users, Some(&reader), None, &[]).await.status, StatusCode::OK);
        assert_eq!(call(&env, Method::GET, &users, Some(&ops), None, &[]).await.status, StatusCode::OK);
        let new = json!({ "username": "camille" });
        assert_problem(&call(&env, Method::POST, &users, Some(&reader), Some(new.clone()), &[]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        let alice = format!("{API}/users/{}", env.user_id);
        assert_problem(&call(&env, Method::DELETE, &alice, Some(&reader), None, &[]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        // Another tenant's administration token is no token here, and this
        // tenant's accounts are not found through the other's API.
        let now = env.clock.now();
        let other = env.state.store.create_tenant(&TenantSlug::parse("autre").unwrap(), &Issuer::parse(&format!("{ISSUER}/autre")).unwrap(), "Autre", now).await.unwrap();
        add_client(&env.state.store, &other.id, machine(OPS_ID, OPS_SECRET, "trame:admin"), now).await;
        env.refresh_catalog().await;
        let foreign = token(&env, "/autre", OPS_ID, OPS_SECRET, "trame:admin").await;
        assert_problem(&call(&env, Method::GET, &users, Some(&foreign), None, &[]).await, StatusCode::UNAUTHORIZED, "invalid_token");
        let r = call(&env, Method::GET, &format!("/autre{API}/users/{}", env.user_id), Some(&foreign), None, &[]).await;
        assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
        let listed = call(&env, Method::GET, &format!("/autre{API}/users"), Some(&foreign), None, &[]).await.json();
        assert_eq!(listed["items"], json!([]), "nothing of the other tenant");
        // Removing the client (or its scope) ends its rights at once.
        env.state.store.remove_client(&env.tenant.id, READER_ID).await.unwrap();
        env.state.catalog.by_id(&env.tenant.id).unwrap().forget_client(READER_ID);
        assert_problem(&call(&env, Method::GET, &users, Some(&reader), None, &[]).await, StatusCode::UNAUTHORIZED, "invalid_token");
        // Unknown paths and methods answer as problems too.
        assert_problem(&call(&env, Method::GET, &format!("{API}/nothing"), Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");
        assert_problem(&call(&env, Method::PUT, &users, Some(&ops), None, &[]).await, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    }
);

backend_test!(
    async fn accounts_are_created_found_by_any_name_and_paged(env) {
        let (ops, _) = admin_env(&env).await;
        let users = format!("{API}/users");
        let new = json!({ "username": "hdurand", "email": "Helene.Durand@ville.example", "given_name": "Hélène", "family_name": "Durand",
            "phone_number": "+33 6 12 34 56 78", "address": { "locality": "Saint-Exemple", "country": "FR" } });
        let r = call(&env, Method::POST, &users, Some(&ops), Some(new), &[]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let made = r.json();
        let id = made["id"].as_str().unwrap().to_owned();
        assert_eq!(r.location().as_deref(), Some(format!("{ISSUER}{API}/users/{id}").as_str()));
        assert!(r.header("etag").is_some());
        assert_eq!((made["phone_number"].as_str(), made["has_password"].as_bool(), made["disabled"].as_bool()), (Some("+33612345678"), Some(false), Some(false)));
        for extra in ["bmartin", "cmartin", "dmartin"] {
            let r = call(&env, Method::POST, &users, Some(&ops), Some(json!({ "username": extra, "family_name": "Martin" })), &[]).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        // Found by the start of a username, an address or a name, without
        // case or accents.
        for q in ["hdur", "helene.d", "HÉL", "dura"] {
            let found = call(&env, Method::GET, &format!("{users}?q={}", urlencode(q)), Some(&ops), None, &[]).await.json();
            let names: Vec<&str> = found["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
            assert_eq!(names, ["hdurand"], "{q}");
        }
        let none = call(&env, Method::GET, &format!("{users}?q=%25"), Some(&ops), None, &[]).await.json();
        assert_eq!(none["items"], json!([]), "a LIKE wildcard is a character like any other");
        // Pages of two, in username order: alice (seeded, family name
        // Martin) then the three Martins.
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("{users}?q=martin&limit=2&cursor={c}"),
                None => format!("{users}?q=martin&limit=2"),
            };
            let page = call(&env, Method::GET, &path, Some(&ops), None, &[]).await.json();
            seen.extend(page["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap().to_owned()));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen, ["alice", "bmartin", "cmartin", "dmartin"]);
        // Refusals, each naming its problem.
        assert_problem(&call(&env, Method::GET, &format!("{users}?limit=0"), Some(&ops), None, &[]).await, StatusCode::BAD_REQUEST, "invalid_request");
        assert_problem(&call(&env, Method::GET, &format!("{users}?cursor=@@"), Some(&ops), None, &[]).await, StatusCode::BAD_REQUEST, "invalid_request");
        assert_problem(&call(&env, Method::GET, &format!("{users}?sort=name"), Some(&ops), None, &[]).await, StatusCode::BAD_REQUEST, "invalid_request");
        let taken = call(&env, Method::POST, &users, Some(&ops), Some(json!({ "username": "HDurand" })), &[]).await;
        assert_problem(&taken, StatusCode::CONFLICT, "username_taken");
        let bad = call(&env, Method::POST, &users, Some(&ops), Some(json!({ "username": "x1", "email": "not an address" })), &[]).await;
        assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value");
        assert_eq!(bad.json()["field"], "email");
        let typo = call(&env, Method::POST, &users, Some(&ops), Some(json!({ "username": "x2", "familyname": "Typo" })), &[]).await;
        assert_problem(&typo, StatusCode::BAD_REQUEST, "invalid_body");
        let r = env
            .send(
                Request::post(&users)
                    .header(header::HOST, HOST)
                    .header(header::AUTHORIZATION, format!("Bearer {ops}"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("username=x3"))
                    .unwrap(),
            )
            .await;
        assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        assert_problem(&call(&env, Method::GET, &format!("{users}/no-such-id"), Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");
    }
);

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

backend_test!(
    async fn an_update_needs_the_version_it_changes(env) {
        let (ops, _) = admin_env(&env).await;
        let alice = format!("{API}/users/{}", env.user_id);
        let read = call(&env, Method::GET, &alice, Some(&ops), None, &[]).await;
        let tag = read.header("etag").unwrap();
        let change = json!({ "given_name": "Alicia", "email": "alicia@ville.example", "phone_number": null });
        assert_problem(&call(&env, Method::PATCH, &alice, Some(&ops), Some(change.clone()), &[]).await, StatusCode::PRECONDITION_REQUIRED, "precondition_required");
        let r = call(&env, Method::PATCH, &alice, Some(&ops), Some(change.clone()), &[("if-match", &tag)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let new_tag = r.header("etag").unwrap();
        assert_ne!(new_tag, tag);
        let changed = r.json();
        assert_eq!((changed["given_name"].as_str(), changed["family_name"].as_str()), (Some("Alicia"), Some("Martin")), "absent members stay");
        assert_eq!((changed["email"].as_str(), changed["email_verified"].as_bool()), (Some("alicia@ville.example"), Some(false)));
        // A second administrator working from the first version is told,
        // and nothing is overwritten.
        let late = call(&env, Method::PATCH, &alice, Some(&ops), Some(json!({ "given_name": "Alix" })), &[("if-match", &tag)]).await;
        assert_problem(&late, StatusCode::PRECONDITION_FAILED, "stale_version");
        assert_problem(&call(&env, Method::PATCH, &alice, Some(&ops), Some(json!({ "given_name": "Alix" })), &[("if-match", &format!("W/{new_tag}"))]).await, StatusCode::PRECONDITION_FAILED, "stale_version");
        assert_eq!(call(&env, Method::GET, &alice, Some(&ops), None, &[]).await.json()["given_name"], "Alicia");
        // Disabling moves the version on too.
        assert_eq!(call(&env, Method::POST, &format!("{alice}/disable"), Some(&ops), None, &[]).await.status, StatusCode::OK);
        assert_problem(&call(&env, Method::PATCH, &alice, Some(&ops), Some(json!({ "given_name": "Alix" })), &[("if-match", &new_tag)]).await, StatusCode::PRECONDITION_FAILED, "stale_version");
        let r = call(&env, Method::PATCH, &alice, Some(&ops), Some(json!({ "given_name": "Alix", "address": { "locality": "Lyon" } })), &[("if-match", "*")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["address"]["locality"], "Lyon");
        let bad = call(&env, Method::PATCH, &alice, Some(&ops), Some(json!({ "phone_number": "06 12" })), &[("if-match", "*")]).await;
        assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value");
        assert_eq!(bad.json()["field"], "phone_number");
        assert_problem(&call(&env, Method::PATCH, &format!("{API}/users/nobody"), Some(&ops), Some(json!({})), &[("if-match", "*")]).await, StatusCode::NOT_FOUND, "not_found");
        // The audit trail names the fields, never their values.
        let trail = call(&env, Method::GET, &format!("{API}/audit?action=user.updated&target=user:{}", env.user_id), Some(&ops), None, &[]).await.json();
        let first = &trail["items"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(first["actor"], format!("client:{OPS_ID}"));
        assert_eq!(first["detail"]["fields"], json!(["given_name", "email", "phone_number"]));
        assert!(!trail.to_string().contains("alicia@"), "no values in the trail");
    }
);

backend_test!(
    async fn disabling_erasing_and_the_audit_trail(env) {
        let (ops, reader) = admin_env(&env).await;
        let tokens = env.tokens_basic("openid profile offline_access").await;
        let at = tokens["access_token"].as_str().unwrap().to_owned();
        let alice = format!("{API}/users/{}", env.user_id);
        let sessions = call(&env, Method::GET, &format!("{alice}/sessions"), Some(&ops), None, &[]).await.json();
        assert_eq!(sessions.as_array().unwrap().len(), 1, "{sessions}");
        assert!(sessions[0]["methods"].as_array().unwrap().contains(&json!("pwd")));
        let consents = call(&env, Method::GET, &format!("{alice}/consents"), Some(&reader), None, &[]).await.json();
        assert_eq!(consents[0]["client_id"], BASIC_ID);

        let r = call(&env, Method::POST, &format!("{alice}/disable"), Some(&ops), None, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["disabled"], true);
        assert_eq!(env.userinfo(&at).await.status, StatusCode::UNAUTHORIZED, "its tokens stop at once");
        assert_eq!(call(&env, Method::GET, &format!("{alice}/sessions"), Some(&ops), None, &[]).await.json(), json!([]));
        let r = call(&env, Method::POST, &format!("{alice}/enable"), Some(&ops), None, &[]).await;
        assert_eq!(r.json()["disabled"], false);

        // The export holds what is kept about the person.
        let export = call(&env, Method::GET, &format!("{alice}/export"), Some(&reader), None, &[]).await;
        assert_eq!(export.status, StatusCode::OK, "{}", export.body);
        let data = export.json();
        assert_eq!(data["account"]["username"], USERNAME);
        assert_eq!(data["consents"][0]["client_id"], BASIC_ID);
        assert_eq!(data["credentials"]["password"], true);
        assert!(data["audit_events"].as_array().unwrap().iter().any(|e| e["action"] == "user.disabled"));
        assert!(!export.body.contains("argon2"), "no secret in an export");

        // Withdrawing the consent stops the service's refresh token.
        assert_eq!(call(&env, Method::DELETE, &format!("{alice}/consents/{BASIC_ID}"), Some(&ops), None, &[]).await.status, StatusCode::NO_CONTENT);
        let rt = tokens["refresh_token"].as_str().unwrap();
        env.token_basic(&[("grant_type", "refresh_token"), ("refresh_token", rt)]).await.assert_oauth(StatusCode::BAD_REQUEST, "invalid_grant");
        assert_problem(&call(&env, Method::DELETE, &format!("{alice}/consents/{BASIC_ID}"), Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");

        // Erased: gone, and the trail says so without naming the person.
        assert_eq!(call(&env, Method::DELETE, &alice, Some(&ops), None, &[]).await.status, StatusCode::NO_CONTENT);
        assert_problem(&call(&env, Method::GET, &alice, Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");
        assert_problem(&call(&env, Method::DELETE, &alice, Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");
        let trail = call(&env, Method::GET, &format!("{API}/audit?user={}", env.user_id), Some(&reader), None, &[]).await.json();
        let actions: Vec<&str> = trail["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(&actions[..5], ["user.removed", "consent.withdrawn", "user.exported", "user.enabled", "user.disabled"], "{actions:?}");
        assert!(!trail.to_string().contains(USERNAME));
        // Filters and pages.
        let page = call(&env, Method::GET, &format!("{API}/audit?actor=client:{OPS_ID}&limit=2"), Some(&reader), None, &[]).await.json();
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let next = page["next_cursor"].as_str().unwrap();
        let rest = call(&env, Method::GET, &format!("{API}/audit?actor=client:{OPS_ID}&cursor={next}"), Some(&reader), None, &[]).await.json();
        assert!(rest["items"].as_array().unwrap().iter().all(|e| e["actor"] == format!("client:{OPS_ID}")));
        assert_ne!(rest["items"][0]["id"], page["items"][1]["id"]);
        assert_problem(&call(&env, Method::GET, &format!("{API}/audit?since=20&until=10"), Some(&reader), None, &[]).await, StatusCode::BAD_REQUEST, "invalid_request");
    }
);

backend_test!(
    async fn the_last_operator_stays(env) {
        let now = env.clock.now();
        let store = &env.state.store;
        let default = store.create_tenant(&TenantSlug::parse("default").unwrap(), &Issuer::parse(&format!("{ISSUER}/default")).unwrap(), "Opérateur", now).await.unwrap();
        let op = add_user(store, &default.id, "operatrice", PASSWORD, now).await;
        let cli = || Actor::Cli("test".into());
        // Operators are the default tenant's; a client gets only that role.
        assert!(matches!(admin::grant(store, &env.tenant, Holder::Username(USERNAME), Role::Operator, now, cli()).await, Err(RoleError::OperatorOutsideDefault)));
        assert!(matches!(admin::grant(store, &env.tenant, Holder::Client(BASIC_ID), Role::Auditor, now, cli()).await, Err(RoleError::ClientTenantRole)));
        assert!(admin::grant(store, &default, Holder::Username("operatrice"), Role::Operator, now, cli()).await.unwrap());
        assert!(!admin::grant(store, &default, Holder::Username("operatrice"), Role::Operator, now, cli()).await.unwrap(), "already held");
        assert!(matches!(admin::revoke(store, &default, Holder::Username("operatrice"), Role::Operator, now, cli()).await, Err(RoleError::LastOperator)));

        add_client(store, &default.id, machine(OPS_ID, OPS_SECRET, "trame:admin"), now).await;
        env.refresh_catalog().await;
        let ops = token(&env, "/default", OPS_ID, OPS_SECRET, "trame:admin").await;
        let r = call(&env, Method::DELETE, &format!("/default{API}/users/{op}"), Some(&ops), None, &[]).await;
        assert_problem(&r, StatusCode::CONFLICT, "last_operator");
        assert_problem(&call(&env, Method::POST, &format!("/default{API}/users/{op}/disable"), Some(&ops), None, &[]).await, StatusCode::CONFLICT, "last_operator");
        let r = call(&env, Method::POST, &format!("/default{API}/users/{op}/reset-credentials"), Some(&ops), None, &[]).await;
        assert_problem(&r, StatusCode::CONFLICT, "last_operator");
        assert!(store.account(&default.id, &op).await.unwrap().unwrap().password_hash.is_some(), "the last operator keeps its password");
        // With a second operator, the first may go.
        add_user(store, &default.id, "second", PASSWORD, now).await;
        assert!(admin::grant(store, &default, Holder::Username("second"), Role::Operator, now, cli()).await.unwrap());
        assert_eq!(call(&env, Method::DELETE, &format!("/default{API}/users/{op}"), Some(&ops), None, &[]).await.status, StatusCode::NO_CONTENT);
        assert!(admin::list(store, None).await.unwrap().iter().all(|g| !g.principal.ends_with(&op)), "its roles went with it");
        assert!(matches!(admin::revoke(store, &default, Holder::Username("second"), Role::Operator, now, cli()).await, Err(RoleError::LastOperator)));
    }
);

backend_test!(
    async fn the_openapi_document_describes_this_tenants_api(env) {
        let r = env.get(&format!("{API}/openapi.json")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let doc = r.json();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert_eq!(doc["servers"][0]["url"], format!("{ISSUER}{API}"));
        assert_eq!(doc["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["tokenUrl"], format!("{ISSUER}/token"));
        for path in ["/users", "/users/{id}", "/users/{id}/disable", "/users/{id}/export", "/users/{id}/consents/{client_id}", "/audit"] {
            assert!(doc["paths"][path].is_object(), "{path} documented");
        }
        assert!(doc["components"]["schemas"]["Problem"].is_object());
    }
);

backend_test!(
    async fn clients_and_keys(env) {
        let (ops, reader) = admin_env(&env).await;
        let clients = format!("{API}/clients");
        let listed = call(&env, Method::GET, &clients, Some(&reader), None, &[]).await.json();
        assert!(listed.as_array().unwrap().iter().any(|c| c["client_id"] == BASIC_ID && c["redirect_uris"][0] == BASIC_REDIRECT), "{listed}");
        let new = json!({ "client_id": "portail", "client_name": "Portail citoyen", "redirect_uris": ["https://portail.example/cb"], "scope": "openid profile" });
        assert_problem(&call(&env, Method::POST, &clients, Some(&reader), Some(new.clone()), &[]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        let r = call(&env, Method::POST, &clients, Some(&ops), Some(new.clone()), &[]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        let made = r.json();
        let secret = made["client_secret"].as_str().unwrap().to_owned();
        assert_eq!((made["client"]["client_name"].as_str(), made["client"]["id_token_signed_response_alg"].as_str()), (Some("Portail citoyen"), Some("ES256")));
        assert_eq!(call(&env, Method::GET, &format!("{clients}/portail"), Some(&reader), None, &[]).await.json()["client_id"], "portail");
        assert!(!call(&env, Method::GET, &clients, Some(&reader), None, &[]).await.body.contains(&secret), "a secret is shown once");
        // The same rules as the CLI, each refusal naming its field.
        assert_problem(&call(&env, Method::POST, &clients, Some(&ops), Some(new), &[]).await, StatusCode::CONFLICT, "client_id_taken");
        let bad = call(&env, Method::POST, &clients, Some(&ops), Some(json!({ "client_id": "x", "redirect_uris": ["http://evil.example/cb"] })), &[]).await;
        assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_client_metadata");
        assert_eq!(bad.json()["field"], "redirect_uris");
        assert_eq!(call(&env, Method::POST, &clients, Some(&ops), Some(json!({ "redirect_uris": [] })), &[]).await.json()["field"], "client_id");
        // A machine client with the administration scope; a person's one
        // cannot have it.
        let m2m = json!({ "client_id": "annuaire", "grant_types": ["client_credentials"], "scope": "trame:admin:read" });
        let r = call(&env, Method::POST, &clients, Some(&ops), Some(m2m), &[]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let annuaire_secret = r.json()["client_secret"].as_str().unwrap().to_owned();
        env.refresh_catalog().await;
        let its = token(&env, "", "annuaire", &annuaire_secret, "trame:admin:read").await;
        assert_eq!(call(&env, Method::GET, &format!("{API}/keys"), Some(&its), None, &[]).await.status, StatusCode::OK);
        let person = json!({ "client_id": "y", "redirect_uris": ["https://y.example/cb"], "scope": "openid trame:admin" });
        assert_eq!(call(&env, Method::POST, &clients, Some(&ops), Some(person), &[]).await.json()["field"], "scope");

        // A new secret, shown once; the old one stops.
        let r = call(&env, Method::POST, &format!("{clients}/annuaire/secret"), Some(&ops), None, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let fresh = r.json()["client_secret"].as_str().unwrap().to_owned();
        let old = env.post_form("/token", &[("grant_type", "client_credentials")], Some(("annuaire", &annuaire_secret))).await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED, "{}", old.body);
        token(&env, "", "annuaire", &fresh, "trame:admin:read").await;
        assert_problem(&call(&env, Method::POST, &format!("{clients}/nobody/secret"), Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");

        assert_eq!(call(&env, Method::DELETE, &format!("{clients}/portail"), Some(&ops), None, &[]).await.status, StatusCode::NO_CONTENT);
        assert_problem(&call(&env, Method::GET, &format!("{clients}/portail"), Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");
        assert_problem(&call(&env, Method::DELETE, &format!("{clients}/portail"), Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");

        // Keys: listed, rotated with a delay, refusals named.
        let keys = call(&env, Method::GET, &format!("{API}/keys"), Some(&reader), None, &[]).await.json();
        assert_eq!(keys.as_array().unwrap().iter().filter(|k| k["status"] == "active").count(), 1, "{keys}");
        let r = call(&env, Method::POST, &format!("{API}/keys/rotate"), Some(&ops), Some(json!({ "alg": "EdDSA", "delay": 3600 })), &[]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let kid = r.json()["kid"].as_str().unwrap().to_owned();
        let keys = call(&env, Method::GET, &format!("{API}/keys"), Some(&reader), None, &[]).await.json();
        assert!(keys.as_array().unwrap().iter().any(|k| k["kid"] == kid.as_str() && k["status"] == "next" && k["alg"] == "EdDSA"), "{keys}");
        assert_eq!(call(&env, Method::POST, &format!("{API}/keys/rotate"), Some(&ops), Some(json!({ "alg": "HS256" })), &[]).await.json()["field"], "alg");
        assert_eq!(call(&env, Method::POST, &format!("{API}/keys/rotate"), Some(&ops), Some(json!({ "delay": -1 })), &[]).await.json()["field"], "delay");
        assert_problem(&call(&env, Method::POST, &format!("{API}/keys/rotate"), Some(&reader), None, &[]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        let trail = call(&env, Method::GET, &format!("{API}/audit?actor=client:{OPS_ID}"), Some(&reader), None, &[]).await.json();
        let actions: Vec<&str> = trail["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["keys.rotated", "client.removed", "client.secret_rotated", "client.created", "client.created"]);
    }
);

backend_test!(
    async fn a_client_is_changed_only_from_the_version_read(env) {
        let (ops, reader) = admin_env(&env).await;
        let clients = format!("{API}/clients");
        let new = json!({ "client_id": "portail", "client_name": "Portail", "redirect_uris": ["https://portail.example/cb"], "scope": "openid profile" });
        let made = call(&env, Method::POST, &clients, Some(&ops), Some(new), &[]).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let tag = made.header("etag").expect("an ETag");
        let one = format!("{clients}/portail");
        assert_eq!(call(&env, Method::GET, &one, Some(&reader), None, &[]).await.header("etag"), Some(tag.clone()), "the same tag when read");
        let change = json!({ "client_name": "Portail famille", "redirect_uris": ["https://portail.example/cb", "https://portail.example/cb2"],
            "post_logout_redirect_uris": ["https://portail.example/bye"], "scope": "openid profile email" });
        // No If-Match: 428; a read-only token: 403; another tag: 412.
        assert_problem(&call(&env, Method::PUT, &one, Some(&ops), Some(change.clone()), &[]).await, StatusCode::PRECONDITION_REQUIRED, "precondition_required");
        assert_problem(&call(&env, Method::PUT, &one, Some(&reader), Some(change.clone()), &[("if-match", &tag)]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        assert_problem(&call(&env, Method::PUT, &one, Some(&ops), Some(change.clone()), &[("if-match", "\"old\"")]).await, StatusCode::PRECONDITION_FAILED, "stale_version");
        let r = call(&env, Method::PUT, &one, Some(&ops), Some(change.clone()), &[("if-match", &tag)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let now = r.json();
        assert_eq!(now["client"]["client_name"], "Portail famille");
        assert_eq!(now["client"]["redirect_uris"].as_array().unwrap().len(), 2);
        assert!(now["client_secret"].is_null(), "the secret stays, unshown");
        let new_tag = r.header("etag").unwrap();
        assert_ne!(new_tag, tag);
        // The old tag no longer changes anything: the first writer's change stays.
        let again = json!({ "client_name": "Écrasé", "redirect_uris": ["https://portail.example/cb"] });
        assert_problem(&call(&env, Method::PUT, &one, Some(&ops), Some(again), &[("if-match", &tag)]).await, StatusCode::PRECONDITION_FAILED, "stale_version");
        assert_eq!(call(&env, Method::GET, &one, Some(&reader), None, &[]).await.json()["client_name"], "Portail famille");
        // The CLI's rules, naming the field; the id and secret are not the body's to change.
        let bad = call(&env, Method::PUT, &one, Some(&ops), Some(json!({ "redirect_uris": ["http://evil.example/cb"] })), &[("if-match", &new_tag)]).await;
        assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_client_metadata");
        assert_eq!(bad.json()["field"], "redirect_uris");
        let renamed = call(&env, Method::PUT, &one, Some(&ops), Some(json!({ "client_id": "autre", "redirect_uris": ["https://portail.example/cb"] })), &[("if-match", &new_tag)]).await;
        assert_eq!(renamed.json()["field"], "client_id");
        let secret = call(&env, Method::PUT, &one, Some(&ops), Some(json!({ "client_secret": "x", "redirect_uris": ["https://portail.example/cb"] })), &[("if-match", &new_tag)]).await;
        assert_eq!(secret.json()["field"], "client_secret");
        assert_problem(&call(&env, Method::PUT, &format!("{clients}/nobody"), Some(&ops), Some(change), &[("if-match", "*")]).await, StatusCode::NOT_FOUND, "not_found");
        let trail = call(&env, Method::GET, &format!("{API}/audit?action=client.updated"), Some(&reader), None, &[]).await.json();
        assert_eq!(trail["items"].as_array().unwrap().len(), 1, "one change, audited");
    }
);

backend_test!(
    async fn the_operator_lists_every_tenant_by_pages(env) {
        let now = env.clock.now();
        let store = &env.state.store;
        let default = store.create_tenant(&TenantSlug::parse("default").unwrap(), &Issuer::parse(&format!("{ISSUER}/default")).unwrap(), "Opérateur", now).await.unwrap();
        for slug in ["a-ville", "b-ville", "c-ville"] {
            store.create_tenant(&TenantSlug::parse(slug).unwrap(), &Issuer::parse(&format!("{ISSUER}/{slug}")).unwrap(), slug, now).await.unwrap();
        }
        add_client(store, &default.id, machine(OPS_ID, OPS_SECRET, "trame:admin"), now).await;
        add_client(store, &env.tenant.id, machine(OPS_ID, OPS_SECRET, "trame:admin"), now).await;
        env.refresh_catalog().await;
        let tenants = "/_trame/admin/api/v1/tenants";
        // Not an operator yet: a tenant-admin of the default tenant is not
        // one, nor is another tenant's administrator.
        let plain = token(&env, "/default", OPS_ID, OPS_SECRET, "trame:admin").await;
        assert_problem(&call(&env, Method::GET, tenants, Some(&plain), None, &[]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        let ville = token(&env, "", OPS_ID, OPS_SECRET, "trame:admin").await;
        assert_problem(&call(&env, Method::GET, tenants, Some(&ville), None, &[]).await, StatusCode::UNAUTHORIZED, "invalid_token");
        assert_problem(&call(&env, Method::GET, tenants, None, None, &[]).await, StatusCode::UNAUTHORIZED, "invalid_token");

        admin::grant(store, &default, Holder::Client(OPS_ID), Role::Operator, now, Actor::Cli("test".into())).await.unwrap();
        let mut seen = Vec::new();
        let mut path = format!("{tenants}?limit=2");
        loop {
            let page = call(&env, Method::GET, &path, Some(&plain), None, &[]).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let page = page.json();
            seen.extend(page["items"].as_array().unwrap().iter().map(|t| (t["slug"].as_str().unwrap().to_owned(), t["users"].as_u64().unwrap())));
            match page["next_cursor"].as_str() {
                Some(c) => path = format!("{tenants}?limit=2&cursor={c}"),
                None => break,
            }
        }
        let slugs: Vec<&str> = seen.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(slugs, ["a-ville", "b-ville", "c-ville", "default", "ville"]);
        assert_eq!(seen.last().unwrap().1, 1, "ville has alice");
        let one = call(&env, Method::GET, &format!("{tenants}/ville"), Some(&plain), None, &[]).await.json();
        assert_eq!((one["issuer"].as_str(), one["clients"].as_u64()), (Some(ISSUER), Some(4)));
        assert_problem(&call(&env, Method::GET, &format!("{tenants}/nowhere"), Some(&plain), None, &[]).await, StatusCode::NOT_FOUND, "not_found");
        let doc = env.get("/_trame/admin/api/v1/openapi.json").await.json();
        assert!(doc["paths"]["/tenants"].is_object());
        assert_eq!(doc["servers"][0]["url"], format!("{ISSUER}/_trame/admin/api/v1"));
    }
);

backend_test!(
    async fn resetting_credentials_removes_them_all_ends_sessions_and_mails_a_link(env) {
        let (ops, reader) = admin_env(&env).await;
        let store = &env.state.store;
        let outbox = trame_testkit::TempDir::new("outbox");
        let mailer = Mailer::from_config(&MailConfig { smtp_url: None, from: "noreply@localhost".into(), outbox_dir: Some(outbox.path.clone()) }).unwrap();
        let app = trame_web::app(env.state.clone().with_mailer(mailer));
        // camille: a passkey and ten recovery codes (sign-up, signed in on
        // this browser), a password (signed in with it at a service on
        // another), TOTP and a verified address.
        open_signup(&env).await;
        let mut auth = SoftAuthenticator::new();
        let mut first = Browser::new(app.clone(), HOST);
        assert_eq!(sign_up(&mut first, &mut auth, "camille").await.status, StatusCode::OK);
        let id = store.user_for_sign_in(&env.tenant.id, "camille").await.unwrap().unwrap().profile.id;
        let now = env.clock.now();
        let password = "un mot de passe assez long";
        store.set_password_of(&env.tenant.id, &id, Some(&trame_core::password::hash(password, &trame_core::OsRandom).unwrap()), now).await.unwrap();
        let mut second = Browser::new(app.clone(), HOST);
        let redirect = second.sign_in(&basic_params("openid"), "camille", password).await;
        let code = query_param(&redirect, "code").unwrap();
        let tokens = env.token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
        assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.body);
        let at = tokens.json()["access_token"].as_str().unwrap().to_owned();
        store.set_totp_secret(&env.tenant.id, &id, Some(&[7u8; 20][..]), None, now).await.unwrap();
        store.set_email(&env.tenant.id, &id, Some("camille@ville.example"), true, now).await.unwrap();
        assert_eq!(first.get("/account").await.status, StatusCode::OK);

        let reset = format!("{API}/users/{id}/reset-credentials");
        assert_problem(&call_at(&app, Method::POST, &reset, None, None, &[]).await, StatusCode::UNAUTHORIZED, "invalid_token");
        assert_problem(&call_at(&app, Method::POST, &reset, Some(&reader), None, &[]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        let r = call_at(&app, Method::POST, &reset, Some(&ops), None, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            r.json(),
            json!({ "link_sent": true, "removed": { "passkeys": 1, "password": true, "totp": true, "recovery_codes": 10 }, "sessions_ended": 2 })
        );
        let account = store.account(&env.tenant.id, &id).await.unwrap().unwrap();
        assert!(account.password_hash.is_none() && !account.has_totp);
        assert!(store.passkeys_of(&env.tenant.id, &id).await.unwrap().is_empty());
        assert_eq!(store.recovery_codes_left(&env.tenant.id, &id).await.unwrap(), 0);
        // Signed out everywhere, its tokens stopped, its old password refused.
        assert_eq!(first.get("/account").await.status, StatusCode::SEE_OTHER);
        assert_eq!(second.get("/account").await.status, StatusCode::SEE_OTHER);
        assert_eq!(env.userinfo(&at).await.status, StatusCode::UNAUTHORIZED);
        let mut third = Browser::new(app.clone(), HOST);
        let (_, page) = third.login_page(&basic_params("openid")).await;
        assert_eq!(third.submit_login(&page, "camille", password).await.status, StatusCode::UNAUTHORIZED);

        // The mailed link signs the person in once, on the account page
        // where they add a new passkey.
        let links = mailed_links(&outbox.path, "/recover/email?token=");
        assert_eq!(links.len(), 1, "one mail");
        let mut back = Browser::new(app.clone(), HOST);
        let page = back.get(&links[0]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let form = [("csrf", page.input("csrf").unwrap()), ("token", page.input("token").unwrap())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = back.post("/recover/email", &form).await;
        assert_eq!(query_param(&r.location().unwrap(), "notice").as_deref(), Some("recovered"));
        let account_page = back.get("/account").await;
        assert_eq!(account_page.status, StatusCode::OK, "{}", account_page.body);
        assert!(account_page.body.contains("Moyens de connexion réinitialisés"), "the reset among the account's activity: {}", account_page.body);
        back.post("/recover/email", &form).await.assert_page(StatusCode::BAD_REQUEST);

        // The trail: by the administrator, on the account, counts only.
        let trail = call_at(&app, Method::GET, &format!("{API}/audit?action=user.credentials_reset&target=user:{id}"), Some(&reader), None, &[]).await.json();
        let items = trail["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{trail}");
        assert_eq!(items[0]["actor"], format!("client:{OPS_ID}"));
        assert_eq!((items[0]["detail"]["passkeys"].as_u64(), items[0]["detail"]["link_sent"].as_bool()), (Some(1), Some(true)));
        assert!(!trail.to_string().contains("camille"));

        // alice has no verified address: her credentials go, no link does.
        let alice = format!("{API}/users/{}/reset-credentials", env.user_id);
        let r = call_at(&app, Method::POST, &alice, Some(&ops), None, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let done = r.json();
        assert_eq!((done["link_sent"].as_bool(), done["removed"]["password"].as_bool()), (Some(false), Some(true)));
        assert_eq!(mailed_links(&outbox.path, "/recover/email?token=").len(), 1, "no second mail");
        let mut b = env.browser();
        let (_, page) = b.login_page(&basic_params("openid")).await;
        assert_eq!(b.submit_login(&page, USERNAME, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        // Nor with mail turned off (the env's own state has no mailer).
        store.set_email(&env.tenant.id, &env.user_id, Some("alice@ville.example"), true, now).await.unwrap();
        assert_eq!(call(&env, Method::POST, &alice, Some(&ops), None, &[]).await.json()["link_sent"], false);

        // Unknown here, and another tenant's administrator finds nothing.
        assert_problem(&call(&env, Method::POST, &format!("{API}/users/nobody/reset-credentials"), Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");
        let other = store.create_tenant(&TenantSlug::parse("autre").unwrap(), &Issuer::parse(&format!("{ISSUER}/autre")).unwrap(), "Autre", now).await.unwrap();
        add_client(store, &other.id, machine(OPS_ID, OPS_SECRET, "trame:admin"), now).await;
        env.refresh_catalog().await;
        let foreign = token(&env, "/autre", OPS_ID, OPS_SECRET, "trame:admin").await;
        let r = call(&env, Method::POST, &format!("/autre{API}/users/{id}/reset-credentials"), Some(&foreign), None, &[]).await;
        assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
        assert_problem(&call(&env, Method::POST, &reset, Some(&foreign), None, &[]).await, StatusCode::UNAUTHORIZED, "invalid_token");
        let doc = env.get(&format!("{API}/openapi.json")).await.json();
        assert!(doc["paths"]["/users/{id}/reset-credentials"]["post"].is_object());
    }
);

/// The default tenant with an operator client (`OPS_ID`, may change), a
/// read-only operator client (`READER_ID`) and a tenant-admin client that
/// is no operator (`PLAIN_ID`); their tokens.
/// A change of the display name alone.
fn named(name: &str) -> trame_app::tenants::Change<'_> {
    trame_app::tenants::Change { display_name: Some(name), ..Default::default() }
}

async fn operator_env(env: &Env) -> (trame_core::tenant::Tenant, String, String, String) {
    const PLAIN_ID: &str = "not-operator";
    let now = env.clock.now();
    let store = &env.state.store;
    let default =
        store.create_tenant(&TenantSlug::parse("default").unwrap(), &Issuer::parse(&format!("{ISSUER}/default")).unwrap(), "Opérateur", now).await.unwrap();
    add_client(store, &default.id, machine(OPS_ID, OPS_SECRET, "trame:admin"), now).await;
    add_client(store, &default.id, machine(READER_ID, READER_SECRET, "trame:admin:read"), now).await;
    add_client(store, &default.id, machine(PLAIN_ID, OPS_SECRET, "trame:admin"), now).await;
    for id in [OPS_ID, READER_ID] {
        admin::grant(store, &default, Holder::Client(id), Role::Operator, now, Actor::Cli("test".into())).await.unwrap();
    }
    env.refresh_catalog().await;
    let ops = token(env, "/default", OPS_ID, OPS_SECRET, "trame:admin").await;
    let reader = token(env, "/default", READER_ID, READER_SECRET, "trame:admin:read").await;
    let plain = token(env, "/default", PLAIN_ID, OPS_SECRET, "trame:admin").await;
    (default, ops, reader, plain)
}

const TENANTS: &str = "/_trame/admin/api/v1/tenants";

backend_test!(
    async fn the_operator_creates_a_tenant_served_at_once(env) {
        let (_, ops, reader, plain) = operator_env(&env).await;
        let ville = {
            add_client(&env.state.store, &env.tenant.id, machine(OPS_ID, OPS_SECRET, "trame:admin"), env.clock.now()).await;
            env.refresh_catalog().await;
            token(&env, "", OPS_ID, OPS_SECRET, "trame:admin").await
        };
        let new = json!({ "slug": "mairie" });
        // Only an operator who may change things.
        assert_problem(&call(&env, Method::POST, TENANTS, None, Some(new.clone()), &[]).await, StatusCode::UNAUTHORIZED, "invalid_token");
        assert_problem(&call(&env, Method::POST, TENANTS, Some(&reader), Some(new.clone()), &[]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        assert_problem(&call(&env, Method::POST, TENANTS, Some(&plain), Some(new.clone()), &[]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        assert_problem(&call(&env, Method::POST, TENANTS, Some(&ville), Some(new.clone()), &[]).await, StatusCode::UNAUTHORIZED, "invalid_token");
        assert_eq!(env.get("/mairie/.well-known/openid-configuration").await.status, StatusCode::NOT_FOUND);

        let r = call(&env, Method::POST, TENANTS, Some(&ops), Some(new.clone()), &[]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.location().as_deref(), Some(format!("{ISSUER}{TENANTS}/mairie").as_str()));
        assert!(r.header("etag").is_some());
        let made = r.json();
        let issuer = format!("{ISSUER}/mairie");
        assert_eq!((made["issuer"].as_str(), made["display_name"].as_str(), made["users"].as_u64()), (Some(issuer.as_str()), Some("mairie"), Some(0)));
        assert_eq!(made["time_zone"].as_str(), Some("Europe/Paris"), "a new tenant's zone");
        // Served by this node without waiting for a catalog poll.
        let discovery = env.get("/mairie/.well-known/openid-configuration").await;
        assert_eq!(discovery.status, StatusCode::OK, "{}", discovery.body);
        assert_eq!(discovery.json()["issuer"], issuer);
        let r = call(&env, Method::POST, TENANTS, Some(&ops), Some(json!({ "slug": "quai", "issuer": format!("{ISSUER}/quai-x/"), "display_name": " Quai " })), &[]).await;
        assert_eq!((r.status, r.json()["display_name"].as_str()), (StatusCode::CREATED, Some("Quai")), "{}", r.body);
        assert_eq!(r.json()["issuer"], format!("{ISSUER}/quai-x"));

        // Taken, and invalid: each refusal names its member.
        let taken = call(&env, Method::POST, TENANTS, Some(&ops), Some(new), &[]).await;
        assert_problem(&taken, StatusCode::CONFLICT, "tenant_exists");
        assert_eq!(taken.json()["field"], "slug");
        let taken = call(&env, Method::POST, TENANTS, Some(&ops), Some(json!({ "slug": "autre", "issuer": issuer })), &[]).await;
        assert_problem(&taken, StatusCode::CONFLICT, "tenant_exists");
        assert_eq!(taken.json()["field"], "issuer");
        for (body, field) in [
            (json!({ "slug": "Bad Slug" }), "slug"),
            (json!({ "slug": "jwks" }), "slug"),
            (json!({ "slug": "x", "issuer": "ftp://x.example" }), "issuer"),
            (json!({ "slug": "y", "display_name": " " }), "display_name"),
        ] {
            let bad = call(&env, Method::POST, TENANTS, Some(&ops), Some(body.clone()), &[]).await;
            assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value");
            assert_eq!(bad.json()["field"], field, "{body}");
        }
        assert_problem(&call(&env, Method::POST, TENANTS, Some(&ops), Some(json!({ "slug": "z", "name": "typo" })), &[]).await, StatusCode::BAD_REQUEST, "invalid_body");
        assert_problem(&call(&env, Method::POST, TENANTS, Some(&ops), Some(json!({ "issuer": "http://x.example" })), &[]).await, StatusCode::BAD_REQUEST, "invalid_body");
        assert_problem(&call(&env, Method::POST, TENANTS, Some(&ops), None, &[]).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        assert!(env.state.store.tenant_by_slug("z").await.unwrap().is_none() && env.state.store.tenant_by_slug("y").await.unwrap().is_none());

        // The installation's trail: by the operator's client.
        let q = trame_store::AuditQuery { action: Some("tenant.created".into()), limit: 10, ..Default::default() };
        let created = env.state.store.audit_events(&q).await.unwrap();
        let targets: Vec<(&str, &str)> = created.iter().map(|e| (e.actor.as_str(), e.target.as_deref().unwrap())).collect();
        assert_eq!(targets, [("client:ops-script", "tenant:quai"), ("client:ops-script", "tenant:mairie")]);
        // Documented.
        let doc = env.get("/_trame/admin/api/v1/openapi.json").await.json();
        for (path, method) in [("/tenants", "post"), ("/tenants/{slug}", "patch"), ("/tenants/{slug}", "delete")] {
            assert!(doc["paths"][path][method]["responses"].is_object(), "{method} {path} documented");
        }
        assert!(doc["paths"]["/tenants/{slug}"]["patch"]["responses"]["412"].is_object());
    }
);

backend_test!(
    async fn a_tenant_is_changed_only_from_the_version_read(env) {
        let (_, ops, reader, _) = operator_env(&env).await;
        assert_eq!(call(&env, Method::POST, TENANTS, Some(&ops), Some(json!({ "slug": "mairie" })), &[]).await.status, StatusCode::CREATED);
        let one = format!("{TENANTS}/mairie");
        let read = call(&env, Method::GET, &one, Some(&reader), None, &[]).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        let tag = read.header("etag").unwrap();
        let change = json!({ "display_name": "Mairie de Test" });
        assert_problem(&call(&env, Method::PATCH, &one, Some(&ops), Some(change.clone()), &[]).await, StatusCode::PRECONDITION_REQUIRED, "precondition_required");
        assert_problem(&call(&env, Method::PATCH, &one, Some(&reader), Some(change.clone()), &[("if-match", &tag)]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        let r = call(&env, Method::PATCH, &one, Some(&ops), Some(change), &[("if-match", &tag)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let new_tag = r.header("etag").unwrap();
        assert_ne!(new_tag, tag);
        assert_eq!((r.json()["display_name"].as_str(), r.json()["issuer"].as_str()), (Some("Mairie de Test"), Some(format!("{ISSUER}/mairie").as_str())));
        assert_eq!(call(&env, Method::GET, &one, Some(&reader), None, &[]).await.header("etag").as_deref(), Some(new_tag.as_str()));
        // A second operator working from the first reading is told, and
        // nothing is overwritten.
        let late = call(&env, Method::PATCH, &one, Some(&ops), Some(json!({ "display_name": "Autre" })), &[("if-match", &tag)]).await;
        assert_problem(&late, StatusCode::PRECONDITION_FAILED, "stale_version");
        let weak = call(&env, Method::PATCH, &one, Some(&ops), Some(json!({ "display_name": "Autre" })), &[("if-match", &format!("W/{new_tag}"))]).await;
        assert_problem(&weak, StatusCode::PRECONDITION_FAILED, "stale_version");
        // Two updates from the same reading, through the app as two nodes
        // would: the second finds what it read gone.
        let current = env.state.store.tenant_by_slug("mairie").await.unwrap().unwrap();
        let by = || Actor::Cli("test".into());
        let now = env.clock.now();
        trame_app::tenants::update(&env.state.store, "mairie", named("Premier"), Some(&current), now, by()).await.unwrap();
        let second = trame_app::tenants::update(&env.state.store, "mairie", named("Second"), Some(&current), now, by()).await;
        assert!(matches!(second, Err(trame_app::tenants::ChangeError::Stale)), "{:?}", second.err());
        // The write itself checks what was read, for the one that passed
        // the check before another's write landed.
        let raced = env.state.store.set_tenant_identity_if("mairie", trame_store::TenantChange { display_name: Some("Second"), ..Default::default() }, &current).await.unwrap();
        assert!(raced.is_none());
        assert_eq!(env.state.store.tenant_by_slug("mairie").await.unwrap().unwrap().display_name, "Premier");
        assert_problem(&call(&env, Method::PATCH, &one, Some(&ops), Some(json!({ "display_name": "Autre" })), &[("if-match", &new_tag)]).await, StatusCode::PRECONDITION_FAILED, "stale_version");

        // Invalid changes, each naming its member; another tenant's issuer.
        for (body, status, code, field) in [
            (json!({ "issuer": "not a URL" }), StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", "issuer"),
            (json!({ "display_name": null }), StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", "display_name"),
            (json!({ "display_name": "" }), StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", "display_name"),
            (json!({ "issuer": ISSUER }), StatusCode::CONFLICT, "tenant_exists", "issuer"),
            (json!({ "time_zone": "Europe/Lutece" }), StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", "time_zone"),
            (json!({ "time_zone": null }), StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", "time_zone"),
        ] {
            let bad = call(&env, Method::PATCH, &one, Some(&ops), Some(body.clone()), &[("if-match", "*")]).await;
            assert_problem(&bad, status, code);
            assert_eq!(bad.json()["field"], field, "{body}");
        }
        for body in [json!({ "slug": "x" }), json!({ "time_zone": 4 })] {
            assert_problem(&call(&env, Method::PATCH, &one, Some(&ops), Some(body), &[("if-match", "*")]).await, StatusCode::BAD_REQUEST, "invalid_body");
        }
        assert_problem(&call(&env, Method::PATCH, &format!("{TENANTS}/nowhere"), Some(&ops), Some(json!({})), &[("if-match", "*")]).await, StatusCode::NOT_FOUND, "not_found");

        // The time zone: changed with the rest of the identity, under the
        // same tag; refused ones left nothing behind.
        let before = env.state.store.tenant_by_slug("mairie").await.unwrap().unwrap();
        assert_eq!(before.settings.time_zone.as_str(), "Europe/Paris");
        let read = call(&env, Method::GET, &one, Some(&reader), None, &[]).await;
        assert_eq!(read.json()["time_zone"], "Europe/Paris");
        let tag = read.header("etag").unwrap();
        let r = call(&env, Method::PATCH, &one, Some(&ops), Some(json!({ "time_zone": "Indian/Reunion" })), &[("if-match", &tag)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["time_zone"], "Indian/Reunion");
        assert_ne!(r.header("etag").unwrap(), tag, "the tag covers the time zone");
        assert_eq!(env.state.store.tenant_by_slug("mairie").await.unwrap().unwrap().settings.time_zone.as_str(), "Indian/Reunion");
        let late = call(&env, Method::PATCH, &one, Some(&ops), Some(json!({ "display_name": "Autre" })), &[("if-match", &tag)]).await;
        assert_problem(&late, StatusCode::PRECONDITION_FAILED, "stale_version");
        let q = trame_store::AuditQuery { action: Some("tenant.updated".into()), target: Some("tenant:mairie".into()), limit: 10, ..Default::default() };
        let events = env.state.store.audit_events(&q).await.unwrap();
        assert!(events.iter().any(|e| e.detail == Some(json!({ "settings": ["time_zone"] }))), "the event names the setting: {events:?}");

        // A new issuer is served at once, the old one no more.
        let moved = format!("{ISSUER}/hotel-de-ville");
        let r = call(&env, Method::PATCH, &one, Some(&ops), Some(json!({ "issuer": moved })), &[("if-match", "*")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(env.get("/hotel-de-ville/.well-known/openid-configuration").await.json()["issuer"], moved);
        assert_eq!(env.get("/mairie/.well-known/openid-configuration").await.status, StatusCode::NOT_FOUND);
        let q = trame_store::AuditQuery { action: Some("tenant.updated".into()), target: Some("tenant:mairie".into()), limit: 10, ..Default::default() };
        assert_eq!(env.state.store.audit_events(&q).await.unwrap().iter().filter(|e| e.actor == format!("client:{OPS_ID}")).count(), 3);
    }
);

backend_test!(
    async fn a_removed_tenant_stops_at_once_and_its_sessions_with_it(env) {
        let (_, ops, reader, _) = operator_env(&env).await;
        assert_eq!(call(&env, Method::POST, TENANTS, Some(&ops), Some(json!({ "slug": "quartier" })), &[]).await.status, StatusCode::CREATED);
        let quartier = env.state.store.tenant_by_slug("quartier").await.unwrap().unwrap();
        add_user(&env.state.store, &quartier.id, "zoe", PASSWORD, env.clock.now()).await;
        // zoe signs in to her account page there.
        let mut b = env.browser();
        let r = b.get("/quartier/account").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = b.get(&r.location().unwrap()).await;
        let form = [("interaction", page.input("interaction").unwrap()), ("csrf", page.input("csrf").unwrap())];
        let r = b.post("/quartier/login", &[("interaction", &form[0].1), ("csrf", &form[1].1), ("username", "zoe"), ("password", PASSWORD)]).await;
        assert_eq!(r.location().as_deref(), Some(format!("{ISSUER}/quartier/account").as_str()), "{}", r.body);
        assert_eq!(b.get("/quartier/account").await.status, StatusCode::OK);

        let one = format!("{TENANTS}/quartier");
        // A confirmation, the slug again, is required.
        for q in ["", "?confirm=", "?confirm=autre", "?confirm=quartier&confirm=quartier"] {
            let r = call(&env, Method::DELETE, &format!("{one}{q}"), Some(&ops), None, &[]).await;
            assert_problem(&r, StatusCode::BAD_REQUEST, "invalid_request");
        }
        assert_eq!(call(&env, Method::DELETE, &one, Some(&ops), None, &[]).await.json()["field"], "confirm");
        assert_problem(&call(&env, Method::DELETE, &format!("{one}?confirm=quartier"), Some(&reader), None, &[]).await, StatusCode::FORBIDDEN, "insufficient_rights");
        assert_problem(&call(&env, Method::DELETE, &format!("{TENANTS}/default?confirm=default"), Some(&ops), None, &[]).await, StatusCode::CONFLICT, "default_tenant");
        assert!(env.state.store.tenant_by_slug("quartier").await.unwrap().is_some(), "nothing removed yet");

        assert_eq!(call(&env, Method::DELETE, &format!("{one}?confirm=quartier"), Some(&ops), None, &[]).await.status, StatusCode::NO_CONTENT);
        assert_eq!(env.get("/quartier/.well-known/openid-configuration").await.status, StatusCode::NOT_FOUND, "no longer served");
        assert_problem(&call(&env, Method::GET, &one, Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");
        assert_problem(&call(&env, Method::DELETE, &format!("{one}?confirm=quartier"), Some(&ops), None, &[]).await, StatusCode::NOT_FOUND, "not_found");
        assert!(env.state.store.user_for_sign_in(&quartier.id, "zoe").await.unwrap().is_none(), "its accounts went with it");
        let q = trame_store::AuditQuery { action: Some("tenant.removed".into()), limit: 10, ..Default::default() };
        assert_eq!(env.state.store.audit_events(&q).await.unwrap()[0].actor, format!("client:{OPS_ID}"));

        // A tenant made again under the same slug and issuer does not take
        // the old one's sessions: zoe's cookie opens nothing.
        assert_eq!(call(&env, Method::POST, TENANTS, Some(&ops), Some(json!({ "slug": "quartier" })), &[]).await.status, StatusCode::CREATED);
        let again = env.state.store.tenant_by_slug("quartier").await.unwrap().unwrap();
        add_user(&env.state.store, &again.id, "zoe", PASSWORD, env.clock.now()).await;
        assert!(!b.cookies.is_empty());
        let r = b.get("/quartier/account").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "a sign-in first: {}", r.body);
        assert!(r.location().unwrap().contains("/quartier/login?interaction="));
    }
);
