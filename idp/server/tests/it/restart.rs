//! A restart of an embedded node without Redis (an upgrade): its entries
//! are kept in the embedded database, so a citizen signed in before is
//! still signed in after, a code issued before is redeemed after (once),
//! and a session the CLI ended while the server was stopped stays ended.

use serde_json::Value;

use crate::common::{Install, PKCE_CHALLENGE, PKCE_VERIFIER, http, secret_of, sign_in_across, urlencode};

const REDIRECT: &str = "http://localhost:9/cb";
const PASSWORD: &str = "correct horse battery staple";

/// Where `/authorize?prompt=none` sends the browser: the session decides.
async fn silent_authorize(browser: &reqwest::Client, base: &str) -> String {
    let url = format!(
        "{base}/authorize?response_type=code&client_id=rp&redirect_uri={}&scope=openid%20profile&state=st-2&nonce=n-2&prompt=none&code_challenge={PKCE_CHALLENGE}&code_challenge_method=S256",
        urlencode(REDIRECT)
    );
    let res = browser.get(url).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    res.headers()["location"].to_str().unwrap().to_owned()
}

async fn redeem(base: &str, secret: &str, code: &str) -> (u16, Value) {
    let form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", REDIRECT), ("code_verifier", PKCE_VERIFIER)];
    let res = reqwest::Client::new().post(format!("{base}/token")).basic_auth("rp", Some(secret)).form(&form).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_restarted_embedded_node_signs_nobody_out() {
    let i = Install::embedded();
    i.ok_with_input(&["user", "add", "--username", "alice", "--password-stdin"], &format!("{PASSWORD}\n"));
    let secret = secret_of(&i.ok(&["client", "add", "--client-id", "rp", "--redirect-uri", REDIRECT, "--scope", "openid profile offline_access"]));
    let browser = http();

    let mut server = i.serve().await;
    let code = sign_in_across(&[server.base()], &i.public_url, &browser, "rp", REDIRECT, "alice", PASSWORD).await;
    assert!(server.sigterm().await.success(), "{}", server.log_text());

    let mut server = i.serve().await;
    assert!(server.log_text().contains("ephemeral entries read back"), "{}", server.log_text());
    let (status, tokens) = redeem(&server.base(), &secret, &code).await;
    assert_eq!(status, 200, "a code issued before the restart: {tokens}");
    let (status, err) = redeem(&server.base(), &secret, &code).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("invalid_grant")), "and only once");
    let back = silent_authorize(&browser, &server.base()).await;
    assert!(back.starts_with(REDIRECT) && back.contains("code="), "the session survived the restart: {back}");

    // Ended by the CLI while the server is stopped: it does not come back.
    assert!(server.sigterm().await.success(), "{}", server.log_text());
    assert!(i.ok(&["user", "end-sessions", "--username", "alice"]).contains("1 session(s)"));
    let server = i.serve().await;
    let back = silent_authorize(&browser, &server.base()).await;
    assert!(back.starts_with(REDIRECT) && back.contains("error=login_required"), "{back}");
}
