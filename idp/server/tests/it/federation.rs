//! A federation across processes: a Trust Anchor and an Intermediate in one
//! installation, two OpenID Providers in two others, each its own process
//! and database, over HTTPS on loopback. Everything is set up with the
//! `trame federation` commands an operator would type (federation/README.md).

use std::time::Duration;

use serde_json::{Value, json};
use trame_federation::chain::{TrustAnchor, validate_chain};
use trame_federation::statement::{EntityStatement, ValidationOptions, verify_entity_configuration};
use trame_jose::{Alg, Jwks, SigningKey};

use crate::common::{Install, TestCa, http_trusting};

const MARK: &str = "https://federation.example/marks/collectivite";

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn refused(i: &Install, args: &[&str], needle: &str) {
    let out = i.cli(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "trame {args:?} should have been refused");
    assert!(err.contains(needle), "trame {args:?}: expected '{needle}' in: {err}");
}

pub(crate) async fn get(http: &reqwest::Client, url: &str) -> (u16, String, String) {
    let r = http.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, ct, r.text().await.unwrap())
}

/// The federation operator's installation and two members' (the second on
/// PostgreSQL and Redis), all serving HTTPS with certificates of `ca`.
pub(crate) async fn three_installations(ca: &TestCa) -> (Install, Install, Install) {
    let mut fed = Install::embedded();
    fed.use_tls(ca);
    let mut op_a = Install::embedded();
    op_a.use_tls(ca);
    let mut op_b = Install::scaled_out().await;
    op_b.use_tls(ca);
    (fed, op_a, op_b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trust_anchor_intermediate_and_two_providers_in_separate_processes() {
    let ca = TestCa::new();
    let (fed, op_a, op_b) = three_installations(&ca).await;
    let ta = format!("{}/ta", fed.public_url);
    let region = format!("{}/region", fed.public_url);
    let (a, b) = (op_a.public_url.clone(), op_b.public_url.clone());

    // The federation operator: a Trust Anchor and a région as Intermediate.
    fed.ok(&["tenant", "add", "ta", "--display-name", "Fédération"]);
    fed.ok(&["tenant", "add", "region"]);
    fed.ok(&[
        "federation",
        "set",
        "--tenant",
        "ta",
        "--authority",
        "true",
        "--metadata",
        "organization_name=Fédération des collectivités",
        "--metadata",
        "contacts=ops@federation.example",
    ]);
    fed.ok(&["federation", "set", "--tenant", "region", "--authority", "true", "--authority-hint", &ta]);
    // Same installation: read in-process, no server needed yet.
    let out = fed.ok(&["federation", "subordinate", "add", "--tenant", "ta", &region]);
    assert!(out.contains("federation_entity") && out.contains("intermediate"), "{out}");
    fed.ok(&["federation", "trust-mark", "issuers", "--tenant", "ta", "--type", MARK, "--issuer", &ta]);
    let _fed_server = fed.serve_tls().await;
    let _a_server = op_a.serve_tls().await;
    let _b_server = op_b.serve_tls().await;
    let http = http_trusting(&ca);
    wait_https(&http, &[&ta, &a, &b]).await;

    // Each provider: its superior, and the anchor it trusts (keys fetched
    // over HTTPS, thumbprints shown to compare).
    for (op, url) in [(&op_a, &a), (&op_b, &b)] {
        op.ok(&["federation", "set", "--authority-hint", &region]);
        let out = op.ok(&["federation", "trust-anchor", "add", &ta]);
        assert!(out.contains("trusts"), "{out}");
        // A running server sees CLI changes within a catalog poll (~1 s).
        until_configuration(&http, url, |c| {
            c.get("authority_hints").is_some() && c["metadata"]["federation_entity"].get("federation_resolve_endpoint").is_some()
        })
        .await;
        // The région enrolls it, from its Entity Configuration over HTTPS.
        let out = fed.ok(&["federation", "subordinate", "add", "--tenant", "region", url]);
        assert!(out.contains("openid_provider"), "{out}");
    }
    // A policy at the anchor for every provider under the région.
    let policy = fed.dir.path.join("policy.json");
    std::fs::write(&policy, r#"{"openid_provider": {"id_token_signing_alg_values_supported": {"subset_of": ["ES256", "PS256"]}, "contacts": {"add": ["federation@federation.example"]}}}"#).unwrap();
    fed.ok(&["federation", "subordinate", "add", "--tenant", "ta", &region, "--policy-file", policy.to_str().unwrap()]);

    // A Trust Mark for OP-B, fetched from the anchor's endpoint and shown by B.
    fed.ok(&["federation", "trust-mark", "issue", "--tenant", "ta", "--type", MARK, "--sub", &b, "--days", "30"]);
    let (status, ct, mark) = get(&http, &format!("{ta}/federation/trust_mark?trust_mark_type={}&sub={}", urlencode(MARK), urlencode(&b))).await;
    assert_eq!((status, ct.as_str()), (200, "application/trust-mark+jwt"), "{mark}");
    op_b.ok_with_input(&["federation", "trust-mark", "hold"], &format!("{mark}\n"));
    until_configuration(&http, &b, |c| c.get("trust_marks").is_some()).await;

    // The CLI resolves B through the chain, with A's configured anchor keys.
    let out = op_a.ok(&["federation", "resolve", &b, "--trust-anchor", &ta, "--tenant", "default"]);
    let resolved: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(resolved["metadata"]["openid_provider"]["issuer"], b.as_str());
    assert_eq!(resolved["metadata"]["openid_provider"]["contacts"], serde_json::json!(["federation@federation.example"]));
    assert_eq!(resolved["trust_chain"].as_array().unwrap().len(), 4);

    // A's resolve endpoint answers the same over HTTPS, Trust Mark verified.
    let url = format!("{a}/federation/resolve?sub={}&trust_anchor={}", urlencode(&b), urlencode(&ta));
    let (status, ct, body) = get(&http, &url).await;
    assert_eq!((status, ct.as_str()), (200, "application/resolve-response+jwt"), "{body}");
    let answer = trame_jose::decode(&body).unwrap();
    let a_ec = verify_entity_configuration(&get(&http, &format!("{a}/.well-known/openid-federation")).await.2, None, &ValidationOptions::at(now())).unwrap();
    answer.verify_signature(&a_ec.statement.jwks, &trame_jose::Alg::ALL).unwrap();
    assert_eq!(answer.claims["trust_marks"][0]["trust_mark_type"], MARK);
    let algs = answer.claims["metadata"]["openid_provider"]["id_token_signing_alg_values_supported"].as_array().unwrap().clone();
    assert!(algs.iter().all(|a| a == "ES256" || a == "PS256"), "{algs:?}");
    // Anyone holding the anchor's keys can check the chain on their own.
    let ta_ec = verify_entity_configuration(&get(&http, &format!("{ta}/.well-known/openid-federation")).await.2, None, &ValidationOptions::at(now())).unwrap();
    let anchors = [TrustAnchor { entity_id: ta.clone(), jwks: ta_ec.statement.jwks.clone() }];
    let statements: Vec<&str> = answer.claims["trust_chain"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    validate_chain(&statements, &anchors, &ValidationOptions::at(now())).expect("the chain validates");

    // The anchor lists its subordinates; the région lists both providers.
    let (_, _, list) = get(&http, &format!("{region}/federation/list?entity_type=openid_provider")).await;
    let mut listed: Vec<String> = serde_json::from_str(&list).unwrap();
    listed.sort();
    let mut expected = vec![a.clone(), b.clone()];
    expected.sort();
    assert_eq!(listed, expected);

    // Revoking the mark: its status says so, and resolve leaves it out.
    fed.ok(&["federation", "trust-mark", "revoke", "--tenant", "ta", "--type", MARK, "--sub", &b]);
    let r = http.post(format!("{ta}/federation/trust_mark_status")).form(&[("trust_mark", mark.as_str())]).send().await.unwrap();
    let status_jwt = r.text().await.unwrap();
    assert_eq!(trame_jose::decode(&status_jwt).unwrap().claims["status"], "revoked");

    // The région removes B: no chain any more (a fresh resolution by the CLI).
    fed.ok(&["federation", "subordinate", "remove", "--tenant", "region", &b]);
    refused(&op_a, &["federation", "resolve", &b, "--trust-anchor", &ta, "--tenant", "default"], "no valid trust chain");
}

/// A relying party of the federation: its Entity Configuration served
/// over HTTPS by this test (it is not a Trame), signed with its federation
/// key; its `openid_relying_party` keys apart.
pub(crate) struct RelyingParty {
    pub id: String,
    federation_key: SigningKey,
    pub key: SigningKey,
}

impl RelyingParty {
    fn entity_configuration(&self, aud: Option<&str>, authority: &str) -> String {
        let now = now();
        let jwks = Jwks::from_keys(&[self.federation_key.public_jwk().clone()]).unwrap();
        let mut ec = EntityStatement::new(&self.id, &self.id, now, now + 3600, jwks);
        ec.authority_hints = Some(vec![authority.to_owned()]);
        ec.metadata = Some(
            json!({"openid_relying_party": {
                "client_name": "Médiathèque",
                "redirect_uris": [format!("{}/cb", self.id)],
                "response_types": ["code"],
                "grant_types": ["authorization_code"],
                "token_endpoint_auth_method": "private_key_jwt",
                "client_registration_types": ["automatic", "explicit"],
                "jwks": {"keys": [self.key.public_jwk()]},
            }})
            .as_object()
            .unwrap()
            .clone(),
        );
        let mut claims = ec.to_claims();
        if let Some(aud) = aud {
            claims.insert("aud".into(), json!(aud));
        }
        self.federation_key.sign("entity-statement+jwt", &claims).unwrap()
    }

    /// Serves its Entity Configuration at `https://localhost:<port>`.
    pub async fn serve(ca: &TestCa, authority: String) -> (std::sync::Arc<Self>, axum_server::Handle<std::net::SocketAddr>) {
        let port = crate::common::free_port();
        let rp = std::sync::Arc::new(Self {
            id: format!("https://localhost:{port}"),
            federation_key: SigningKey::generate(Alg::ES256, None).unwrap().0,
            key: SigningKey::generate(Alg::ES256, None).unwrap().0,
        });
        let served = rp.clone();
        let app = axum::Router::new().route(
            "/.well-known/openid-federation",
            axum::routing::get(move || {
                let (rp, authority) = (served.clone(), authority.clone());
                async move { ([("content-type", "application/entity-statement+jwt")], rp.entity_configuration(None, &authority)) }
            }),
        );
        let (cert, key, _) = ca.leaf("localhost");
        let tls = axum_server::tls_rustls::RustlsConfig::from_pem(cert.into_bytes(), key.into_bytes()).await.unwrap();
        let handle = axum_server::Handle::new();
        let h = handle.clone();
        tokio::spawn(async move { axum_server::bind_rustls(([127, 0, 0, 1], port).into(), tls).handle(h).serve(app.into_make_service()).await });
        (rp, handle)
    }

    pub fn request_object(&self, op: &str, jti: &str) -> String {
        self.request_object_with(op, jti, &json!({}))
    }

    /// A Request Object with `extra` members too (`acr_values`, say).
    pub fn request_object_with(&self, op: &str, jti: &str, extra: &Value) -> String {
        let now = now();
        let mut claims = json!({
            "iss": self.id, "aud": op, "iat": now, "exp": now + 120, "jti": jti,
            "client_id": self.id, "response_type": "code", "scope": "openid",
            "redirect_uri": format!("{}/cb", self.id), "state": "s", "nonce": "n",
            "code_challenge": crate::common::PKCE_CHALLENGE, "code_challenge_method": "S256",
        });
        if let (Some(claims), Some(extra)) = (claims.as_object_mut(), extra.as_object()) {
            claims.extend(extra.clone());
        }
        self.key.sign("oauth-authz-req+jwt", claims.as_object().unwrap()).unwrap()
    }
}

/// A relying party registers with a provider of another installation,
/// automatically (a Request Object with no chain: the provider resolves it
/// over HTTPS, fetching the relying party's Entity Configuration and the
/// anchor's statement) and then explicitly (its Entity Configuration
/// posted, the chain resolved through its authority hints).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relying_party_registers_with_a_provider_over_https() {
    let ca = TestCa::new();
    let mut fed = Install::embedded();
    fed.use_tls(&ca);
    let mut op = Install::embedded();
    op.use_tls(&ca);
    let ta = format!("{}/ta", fed.public_url);
    let a = op.public_url.clone();
    fed.ok(&["tenant", "add", "ta"]);
    fed.ok(&["federation", "set", "--tenant", "ta", "--authority", "true"]);
    let _fed_server = fed.serve_tls().await;
    let _op_server = op.serve_tls().await;
    let (rp, rp_server) = RelyingParty::serve(&ca, ta.clone()).await;
    let http = http_trusting(&ca);
    wait_https(&http, &[&ta, &a, &rp.id]).await;

    // The anchor enrolls the relying party from its Entity Configuration;
    // the provider trusts the anchor.
    let out = fed.ok(&["federation", "subordinate", "add", "--tenant", "ta", &rp.id]);
    assert!(out.contains("openid_relying_party"), "{out}");
    op.ok(&["federation", "trust-anchor", "add", &ta]);
    until_configuration(&http, &a, |c| c["metadata"]["openid_provider"].get("federation_registration_endpoint").is_some()).await;

    let no_redirects = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca.pem.as_bytes()).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let authorize = |request: String| {
        let url = format!("{a}/authorize?client_id={}&request={request}", urlencode(&rp.id));
        let http = no_redirects.clone();
        async move { http.get(url).send().await.unwrap() }
    };
    let r = authorize(rp.request_object(&a, "j1")).await;
    let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    assert!(location.contains("/login?interaction="), "registered, on to the sign-in: {location}");
    let clients = op.ok(&["client", "list"]);
    assert!(clients.contains(&rp.id) && clients.contains(&format!("federation (automatic) under {ta}")), "{clients}");

    // Signed with a key that is not its relying-party key: refused, no redirect.
    let impostor = RelyingParty {
        id: rp.id.clone(),
        federation_key: SigningKey::generate(Alg::ES256, None).unwrap().0,
        key: SigningKey::generate(Alg::ES256, None).unwrap().0,
    };
    let r = authorize(impostor.request_object(&a, "j2")).await;
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.headers().get("location").is_none());

    // Explicit registration: the Entity Configuration addressed to the provider.
    let r = http
        .post(format!("{a}/federation/register"))
        .header("content-type", "application/entity-statement+jwt")
        .body(rp.entity_configuration(Some(&a), &ta))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let body = r.text().await.unwrap();
    assert_eq!((status, ct.as_str()), (200, "application/explicit-registration-response+jwt"), "{body}");
    let answer = trame_jose::decode(&body).unwrap();
    let op_ec = verify_entity_configuration(&get(&http, &format!("{a}/.well-known/openid-federation")).await.2, None, &ValidationOptions::at(now())).unwrap();
    answer.verify_signature(&op_ec.statement.jwks, &Alg::ALL).expect("signed with the provider's federation key");
    assert_eq!((answer.claims["sub"].as_str(), answer.claims["trust_anchor"].as_str()), (Some(rp.id.as_str()), Some(ta.as_str())));
    let clients = op.ok(&["client", "list"]);
    assert!(clients.contains(&format!("federation (explicit) under {ta}")), "{clients}");
    rp_server.shutdown();
}

#[tokio::test]
async fn federation_commands_refuse_bad_input_and_write_nothing() {
    let i = Install::embedded();
    i.ok(&["tenant", "add", "ta", "--issuer", "https://ta.example"]);
    refused(&i, &["federation", "set", "--tenant", "ta", "--authority-hint", "http://insecure.example"], "not an Entity Identifier");
    refused(&i, &["federation", "set", "--tenant", "ta", "--authority-hint", "https://ta.example"], "its own superior");
    refused(
        &i,
        &["federation", "set", "--tenant", "ta", "--metadata", "federation_fetch_endpoint=https://x.example"],
        "not a federation entity metadata member",
    );
    refused(&i, &["federation", "set", "--tenant", "ta", "--metadata", "logo_uri=http://x.example/logo.png"], "https");
    refused(&i, &["federation", "set", "--tenant", "nope", "--authority", "true"], "no tenant 'nope'");
    let bad_policy = i.dir.path.join("bad-policy.json");
    std::fs::write(&bad_policy, r#"{"openid_relying_party": {"grant_types": {"value": ["a"], "add": ["b"]}}}"#).unwrap();
    let jwks = i.dir.path.join("jwks.json");
    std::fs::write(&jwks, r#"{"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#).unwrap();
    refused(
        &i,
        &[
            "federation",
            "subordinate",
            "add",
            "--tenant",
            "ta",
            "https://rp.example",
            "--jwks-file",
            jwks.to_str().unwrap(),
            "--entity-type",
            "openid_relying_party",
            "--policy-file",
            bad_policy.to_str().unwrap(),
        ],
        "metadata policy is invalid",
    );
    refused(&i, &["federation", "subordinate", "add", "--tenant", "ta", "https://rp.example", "--jwks-file", jwks.to_str().unwrap()], "--entity-type");
    let private = i.dir.path.join("private.json");
    std::fs::write(&private, r#"{"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", "d": "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}]}"#).unwrap();
    refused(
        &i,
        &["federation", "trust-anchor", "add", "--tenant", "ta", "https://anchor.example", "--jwks-file", private.to_str().unwrap()],
        "private key material",
    );
    refused(&i, &["federation", "trust-mark", "issue", "--tenant", "ta", "--type", "not a url", "--sub", "https://rp.example"], "Trust Mark type");
    refused(&i, &["federation", "trust-mark", "issue", "--tenant", "ta", "--type", MARK, "--sub", "https://rp.example", "--days", "0"], "--days");
    refused(&i, &["federation", "trust-mark", "revoke", "--tenant", "ta", "--type", MARK, "--sub", "https://rp.example"], "no current trust mark");
    refused(&i, &["federation", "trust-mark", "hold", "--tenant", "ta"], "standard input");
    let out = i.cli_with_input(&["federation", "trust-mark", "hold", "--tenant", "ta"], "not.a.jwt\n");
    assert!(!out.status.success());
    refused(&i, &["federation", "keys", "revoke", "--tenant", "ta", "nokid"], "not found");
    let kid = i.ok(&["federation", "keys", "list", "--tenant", "ta"]).lines().nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    refused(&i, &["federation", "keys", "revoke", "--tenant", "ta", &kid], "rotate");
    // A kid is base64url: one that starts with '-' is a kid, not a flag.
    refused(&i, &["federation", "keys", "revoke", "--tenant", "ta", "-Yno-such-kid"], "not found");
    refused(&i, &["federation", "peers", "--tenant", "ta"], "--list-from is required");
    refused(&i, &["federation", "peers", "--tenant", "ta", "--list-from", "http://anchor.example"], "not an Entity Identifier");
    refused(&i, &["federation", "peers", "--tenant", "ta", "--list-from", "https://anchor.example"], "trusts no Trust Anchor");
    refused(&i, &["federation", "peers", "--tenant", "ta", "--off", "--list-from", "https://anchor.example"], "cannot be used with");
    // Nothing was written by the refused commands.
    let show = i.ok(&["federation", "show", "--tenant", "ta"]);
    assert!(show.contains("authority:       false") && show.contains("(none: a Trust Anchor)") && show.contains("subordinates:    0"), "{show}");
    assert!(i.ok(&["federation", "trust-mark", "list", "--tenant", "ta"]).lines().count() == 1);
    // And the accepted ones do what they say.
    i.ok(&[
        "federation",
        "subordinate",
        "add",
        "--tenant",
        "ta",
        "https://rp.example",
        "--jwks-file",
        jwks.to_str().unwrap(),
        "--entity-type",
        "openid_relying_party",
    ]);
    assert!(i.ok(&["federation", "subordinate", "list", "--tenant", "ta"]).contains("https://rp.example"));
    assert!(i.ok(&["federation", "show", "--tenant", "ta"]).contains("peer sign-in:    off"));
    i.ok(&["federation", "trust-anchor", "add", "--tenant", "ta", "https://anchor.example", "--jwks-file", jwks.to_str().unwrap()]);
    refused(&i, &["federation", "peers", "--tenant", "ta", "--list-from", "https://anchor.example", "--require-mark", "not a url"], "--require-mark");
    assert!(i.ok(&["federation", "keys", "list", "--tenant", "ta", "--relying-party"]).lines().count() == 1, "no relying party key until peers are on");
    let out = i.ok(&["federation", "peers", "--tenant", "ta", "--list-from", "https://anchor.example", "--require-mark", MARK]);
    assert!(out.contains("relying party key created") && out.contains("peers listed by https://anchor.example") && out.contains(MARK), "{out}");
    assert!(i.ok(&["federation", "keys", "list", "--tenant", "ta", "--relying-party"]).contains("active"));
    let out = i.ok(&["federation", "peers", "--tenant", "ta", "--list-from", "https://anchor.example"]);
    assert!(!out.contains("key created") && out.contains(MARK), "switching on again keeps the key and the marks: {out}");
    assert!(i.ok(&["federation", "peers", "--tenant", "ta", "--off"]).contains("peer sign-in:    off"));
    // Keys are ordered by the second they start signing: a rotation in the
    // tenant's first second would tie with its first key.
    std::thread::sleep(Duration::from_millis(1100));
    i.ok(&["federation", "keys", "rotate", "--tenant", "ta"]);
    i.ok(&["federation", "keys", "revoke", "--tenant", "ta", &kid, "--reason", "superseded"]);
    assert!(i.ok(&["federation", "keys", "list", "--tenant", "ta"]).contains("revoked"));
}

/// Waits (5 s at most) until `entity`'s Entity Configuration satisfies `check`.
pub(crate) async fn until_configuration(http: &reqwest::Client, entity: &str, check: impl Fn(&serde_json::Map<String, Value>) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let ec = get(http, &format!("{entity}/.well-known/openid-federation")).await.2;
        if check(&trame_jose::decode(&ec).unwrap().claims) {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{entity} did not show the change within 5 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn wait_https(http: &reqwest::Client, entities: &[&str]) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    for e in entities {
        while !http.get(format!("{e}/.well-known/openid-federation")).send().await.is_ok_and(|r| r.status().is_success()) {
            assert!(std::time::Instant::now() < deadline, "{e} is not answering");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

pub(crate) fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
