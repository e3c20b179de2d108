//! A whole sign-in with the `openidconnect` crate as the relying party,
//! against a real listener: discovery, code + PKCE S256 + nonce, ID token
//! verification, UserInfo.

use std::net::SocketAddr;

use crate::common::*;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl, Scope,
    TokenResponse,
};

/// Starts the app on 127.0.0.1:<random port>; returns the env and issuer.
async fn serve(backend: trame_testkit::Backend) -> (Env, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let issuer = format!("http://{addr}");
    let env = Env::with(backend, &issuer, &addr.to_string(), vec![]).await;
    let app = env.app.clone();
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    (env, issuer)
}

/// Drives the browser part over real HTTP: follows the issuer's redirects,
/// fills the sign-in form and approves consent; returns the redirect to
/// the client.
async fn browse(auth_url: &str, issuer: &str) -> url::Url {
    let browser = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut res = browser.get(auth_url).send().await.unwrap();
    for _ in 0..10 {
        let status = res.status();
        assert_ne!(status.as_u16(), 500);
        if status.as_u16() == 303 {
            let loc = res.headers()["location"].to_str().unwrap().to_owned();
            if !loc.starts_with(issuer) {
                return url::Url::parse(&loc).unwrap();
            }
            res = browser.get(&loc).send().await.unwrap();
            continue;
        }
        assert_eq!(status.as_u16(), 200);
        let page_url = res.url().clone();
        let html = res.text().await.unwrap();
        let ia = input_value(&html, "interaction").expect("a form");
        let csrf = input_value(&html, "csrf").unwrap();
        let form: Vec<(&str, &str)> = if html.contains("name=\"password\"") {
            vec![("interaction", &ia), ("csrf", &csrf), ("username", USERNAME), ("password", PASSWORD)]
        } else {
            vec![("interaction", &ia), ("csrf", &csrf), ("decision", "approve")]
        };
        let action = page_url.join(page_url.path()).unwrap();
        res = browser.post(action).form(&form).send().await.unwrap();
    }
    panic!("too many steps");
}

fn http_client() -> openidconnect::reqwest::Client {
    openidconnect::reqwest::ClientBuilder::new().redirect(openidconnect::reqwest::redirect::Policy::none()).build().unwrap()
}

backend_test_raw!(
    async fn confidential_client(backend) {
        let (_env, issuer) = serve(backend).await;
        let http = http_client();
        let meta = CoreProviderMetadata::discover_async(IssuerUrl::new(issuer.clone()).unwrap(), &http).await.expect("discovery");
        let client = CoreClient::from_provider_metadata(meta, ClientId::new(BASIC_ID.into()), Some(ClientSecret::new(BASIC_SECRET.into())))
            .set_redirect_uri(RedirectUrl::new(BASIC_REDIRECT.into()).unwrap());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (auth_url, csrf, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let back = browse(auth_url.as_str(), &issuer).await;
        let q: std::collections::HashMap<String, String> = back.query_pairs().into_owned().collect();
        assert_eq!(q.get("state"), Some(csrf.secret()));
        assert_eq!(q.get("iss"), Some(&issuer), "RFC 9207");
        let code = q["code"].clone();

        let tr = client
            .exchange_code(AuthorizationCode::new(code))
            .unwrap()
            .set_pkce_verifier(verifier)
            .request_async(&http)
            .await
            .expect("token exchange");
        let id_token = tr.id_token().expect("an ID token");
        let verifier = client.id_token_verifier();
        let claims = id_token.claims(&verifier, &nonce).expect("the ID token verifies");
        assert_eq!(claims.issuer().as_str(), issuer);
        assert!(claims.audiences().iter().any(|a| a.as_str() == BASIC_ID));
        assert!(claims.auth_time().is_some());
        let expected = claims.access_token_hash().expect("at_hash");
        let actual = AccessTokenHash::from_token(tr.access_token(), id_token.signing_alg().unwrap(), id_token.signing_key(&verifier).unwrap()).unwrap();
        assert_eq!(&actual, expected);
        // A wrong nonce is refused by the RP library.
        assert!(id_token.claims(&verifier, &Nonce::new("other".into())).is_err());

        let info: CoreUserInfoClaims = client
            .user_info(tr.access_token().to_owned(), Some(claims.subject().clone()))
            .unwrap()
            .request_async(&http)
            .await
            .expect("userinfo");
        assert_eq!(info.subject(), claims.subject());
        assert_eq!(info.email().map(|e| e.as_str()), Some("alice@example.fr"));
        assert_eq!(info.given_name().and_then(|n| n.get(None)).map(|n| n.as_str()), Some("Alice"));
    }
);

backend_test_raw!(
    async fn public_client(backend) {
        let (_env, issuer) = serve(backend).await;
        let http = http_client();
        let meta = CoreProviderMetadata::discover_async(IssuerUrl::new(issuer.clone()).unwrap(), &http).await.expect("discovery");
        let client = CoreClient::from_provider_metadata(meta, ClientId::new(PUBLIC_ID.into()), None)
            .set_auth_type(openidconnect::AuthType::RequestBody)
            .set_redirect_uri(RedirectUrl::new(PUBLIC_REDIRECT.into()).unwrap());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (auth_url, _csrf, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_pkce_challenge(challenge)
            .url();
        let back = browse(auth_url.as_str(), &issuer).await;
        let code = back.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
        let tr = client.exchange_code(AuthorizationCode::new(code)).unwrap().set_pkce_verifier(verifier).request_async(&http).await.expect("token exchange");
        let claims = tr.id_token().unwrap().claims(&client.id_token_verifier(), &nonce).expect("ID token verifies");
        let info: CoreUserInfoClaims =
            client.user_info(tr.access_token().to_owned(), Some(claims.subject().clone())).unwrap().request_async(&http).await.expect("userinfo");
        assert!(info.email().is_none(), "no email scope, no email");
    }
);
