//! Two `trame serve` processes on one PostgreSQL database and one Redis:
//! any node finishes a flow another node started, and CLI changes reach
//! both.

use std::time::{Duration, Instant};

use crate::common::{Install, PKCE_VERIFIER, free_port, secret_of, sign_in_across};
use serde_json::Value;

#[tokio::test]
async fn a_flow_split_across_two_nodes() {
    let i = Install::scaled_out().await;
    i.ok_with_input(&["user", "add", "--username", "alice", "--given-name", "Alice", "--password-stdin"], "correct horse battery staple\n");
    let redirect = "http://localhost:9/cb";
    let secret = secret_of(&i.ok(&["client", "add", "--client-id", "rp", "--redirect-uri", redirect, "--scope", "openid profile offline_access"]));

    let a = i.serve_on(i.port).await;
    let b = i.serve_on(free_port()).await;
    let nodes = vec![a.base(), b.base()];
    let browser = crate::common::http();
    let code = sign_in_across(&nodes, &i.public_url, &browser, "rp", redirect, "alice", "correct horse battery staple").await;

    // The code, issued by one node, is redeemed at the other.
    let http = reqwest::Client::new();
    let token = |node: String, form: Vec<(&'static str, String)>| {
        let http = http.clone();
        let secret = secret.clone();
        async move {
            let res = http.post(format!("{node}/token")).basic_auth("rp", Some(&secret)).form(&form).send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        }
    };
    let (status, tokens) = token(
        b.base(),
        vec![("grant_type", "authorization_code".into()), ("code", code.clone()), ("redirect_uri", redirect.into()), ("code_verifier", PKCE_VERIFIER.into())],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();

    // Replaying the code at the first node fails: single use across nodes.
    let (status, err) = token(
        a.base(),
        vec![("grant_type", "authorization_code".into()), ("code", code), ("redirect_uri", redirect.into()), ("code_verifier", PKCE_VERIFIER.into())],
    )
    .await;
    assert_eq!((status, err["error"].as_str()), (400, Some("invalid_grant")));

    // The replay revoked the grant (RFC 9700 §4.5): the access token is dead on both nodes.
    for node in &nodes {
        let res = http.get(format!("{node}/userinfo")).bearer_auth(&access).send().await.unwrap();
        assert_eq!(res.status(), 401, "{node}");
    }
    let (status, _) = token(a.base(), vec![("grant_type", "refresh_token".into()), ("refresh_token", refresh)]).await;
    assert_eq!(status, 400);

    // A fresh sign-in, this time starting on node B: the SSO session made on
    // the two nodes is recognised and the refresh token rotates across nodes.
    let nodes_b_first = vec![b.base(), a.base()];
    let code = sign_in_across(&nodes_b_first, &i.public_url, &browser, "rp", redirect, "alice", "correct horse battery staple").await;
    let (status, tokens) = token(
        a.base(),
        vec![("grant_type", "authorization_code".into()), ("code", code), ("redirect_uri", redirect.into()), ("code_verifier", PKCE_VERIFIER.into())],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let res = http.get(format!("{}/userinfo", b.base())).bearer_auth(tokens["access_token"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["given_name"], "Alice");
    let (status, rotated) =
        token(b.base(), vec![("grant_type", "refresh_token".into()), ("refresh_token", tokens["refresh_token"].as_str().unwrap().into())]).await;
    assert_eq!(status, 200, "{rotated}");
    let (status, _) = token(a.base(), vec![("grant_type", "refresh_token".into()), ("refresh_token", rotated["refresh_token"].as_str().unwrap().into())]).await;
    assert_eq!(status, 200);

    // A tenant added by the CLI appears on both nodes within seconds.
    i.ok(&["tenant", "add", "ville"]);
    let start = Instant::now();
    for node in &nodes {
        loop {
            let res = http.get(format!("{node}/ville/.well-known/openid-configuration")).send().await.unwrap();
            if res.status() == 200 {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(5), "{node} did not see the new tenant");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
