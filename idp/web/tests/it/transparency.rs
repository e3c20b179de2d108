//! The public transparency page: the figures after a known number of
//! flows, small counts not shown exactly, the declared providers and the
//! share of transactions within the EU/EEA, the hosts the outbound client
//! reached (an undeclared one flagged), and its refusals.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use trame_app::outbound::Reach;
use trame_app::transparency::{Provider, UsedFor};
use trame_web::AppState;

async fn report(env: &Env) -> Value {
    let r = env.get("/transparence.json").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("access-control-allow-origin").as_deref(), Some("*"));
    assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));
    r.json()
}

fn provider(name: &str, country: &str, used_for: Vec<UsedFor>, hosts: &[&str]) -> Provider {
    trame_settings::providers::check(&trame_settings::providers::RawProvider {
        name: name.into(),
        country: country.into(),
        role: "rôle".into(),
        hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
        used_for,
        tenant: None,
    })
    .unwrap()
}

/// Another node over the same storage, with declared providers.
async fn with_providers(env: &Env, providers: Vec<Provider>) -> (AppState, axum::Router) {
    let mut config = (*env.state.config).clone();
    config.providers = providers;
    let state = AppState::new(env.state.store.clone(), env.state.ephemeral.clone(), config, env.state.rng.clone(), env.state.clock.clone());
    state.catalog.refresh(&state.store, env.clock.now()).await.unwrap();
    (state.clone(), trame_web::app(state))
}

backend_test!(
    async fn the_figures_follow_the_flows_and_small_counts_are_hidden(env) {
        let before = report(&env).await;
        assert_eq!(before["days"][0]["transactions"]["sign_in_password"], json!(0));
        assert_eq!(before["within_eea_percent"], Value::Null, "no transactions yet");
        assert_eq!(before["small_counts_below"], json!(10));
        assert_eq!(before["days"].as_array().unwrap().len(), 31);
        assert_eq!(before["months"].as_array().unwrap().len(), 12);

        for _ in 0..3 {
            env.tokens_basic("openid").await;
        }
        let r = report(&env).await;
        let today = &r["days"][0];
        assert_eq!(today["transactions"]["sign_in_password"], json!("<10"), "{today}");
        assert_eq!(today["transactions"]["tokens"], json!("<10"));
        assert_eq!(today["services"], json!("<10"));
        assert_eq!(today["transactions"]["sign_in_passkey"], json!(0));

        for _ in 0..9 {
            env.tokens_basic("openid").await;
        }
        let r = report(&env).await;
        let today = &r["days"][0];
        assert_eq!(today["transactions"]["sign_in_password"], json!(12), "{today}");
        assert_eq!(today["transactions"]["tokens"], json!(12));
        assert_eq!(r["months"][0]["transactions"]["tokens"], json!(12));
        assert_eq!(today["within_eea_percent"], json!(100.0), "no provider declared: nothing outside");
        assert!(r["months"][0]["period"].as_str().unwrap().len() == 7 && today["period"].as_str().unwrap().len() == 10);
        // In the store, not only in this node's memory: another node (a new
        // state over the same storage) reads the same figures.
        let (_, other) = with_providers(&env, vec![]).await;
        let again = send(&other, Request::get("/transparence.json").header(header::HOST, HOST).body(Body::empty()).unwrap()).await.json();
        assert_eq!(again["days"][0]["transactions"]["tokens"], json!(12));
        // Another tenant's page has none of them.
        seed(&env.state.store, "autre", &format!("{ISSUER}/autre"), env.clock.now()).await;
        env.refresh_catalog().await;
        let autre = env.get("/autre/transparence.json").await.json();
        assert_eq!(autre["tenant"], json!("autre"));
        assert_eq!(autre["days"][0]["transactions"]["tokens"], json!(0));
    }
);

backend_test!(
    async fn the_page_shows_providers_dependency_and_flagged_hosts(env) {
        let (state, app) = with_providers(
            &env,
            vec![
                provider("Hébergeur public", "FR", vec![], &[]),
                provider("Relais courriel", "US", vec![UsedFor::Mail], &["smtp.relay.example:587"]),
            ],
        )
        .await;
        for _ in 0..10 {
            env.tokens_basic("openid").await;
        }
        // Served by the first node: its figures reach the store.
        env.state.usage.flush(&env.state.store).await.unwrap();
        // Hosts as the outbound client counts them, before it connects
        // (nothing listens there: the count is the attempt).
        let client = state.outbound(Reach::Anywhere);
        client.guard("https://smtp.relay.example:587/").await.unwrap();
        client.guard("https://tracker.example/pixel").await.unwrap();
        client.guard("https://tracker.example/again").await.unwrap();
        // A refused destination is not contacted, so not listed.
        assert!(state.outbound(Reach::PublicOnly).guard("https://127.0.0.1/").await.is_err());
        let r = send(&app, Request::get("/transparence.json").header(header::HOST, HOST).body(Body::empty()).unwrap()).await;
        let r = r.json();
        assert_eq!(r["within_eea_percent"], json!(100.0), "no mail sent: the US relay took part in nothing");
        let providers = r["providers"].as_array().unwrap();
        assert_eq!(providers.len(), 2);
        assert_eq!(providers[1]["in_eea"], json!(false));
        let hosts: Vec<(String, u64, bool, Value)> = r["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["host"].as_str().unwrap().to_owned(), h["requests"].as_u64().unwrap(), h["unexpected"].as_bool().unwrap(), h["provider"].clone()))
            .collect();
        assert_eq!(
            hosts,
            [
                ("smtp.relay.example:587".to_owned(), 1, false, json!("Relais courriel")),
                ("tracker.example".to_owned(), 2, true, Value::Null)
            ]
        );

        let page = send(&app, Request::get("/transparence").header(header::HOST, HOST).body(Body::empty()).unwrap()).await;
        page.assert_page(StatusCode::OK);
        let html = unescape(&page.body);
        for part in [
            "<title>Transparence · ",
            "Relais courriel",
            "<td>Non</td>",
            "Ni configuré ni déclaré",
            "tracker.example",
            "100\u{202f}% des opérations",
            r#"<abbr title="entre 1 et 9">< 10</abbr>"#,
            r#"href="http://localhost:8080/transparence.json""#,
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
        // Every page links it from its footer.
        let (_, login) = env.browser().login_page(&basic_params("openid")).await;
        let html = unescape(&login.body);
        assert!(html.contains(r#"<a href="/transparence">Transparence</a>"#), "{html}");
    }
);

backend_test!(
    async fn refusals(env) {
        let r = env.post_form("/transparence.json", &[], None).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.body);
        let r = env.post_form("/transparence", &[], None).await;
        assert!(r.status == StatusCode::METHOD_NOT_ALLOWED || r.status == StatusCode::FORBIDDEN, "{}: {}", r.status, r.body);
        let r = env.get("/nowhere/transparence.json").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        // Query parameters change nothing and break nothing.
        let r = env.get("/transparence.json?days=99999&tenant=autre").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["tenant"], json!("ville"));
    }
);
