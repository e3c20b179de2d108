//! A citizen whose account lives at one provider of the federation signs in
//! to a service of another, end to end, through the real pages: three
//! installations (the federation's anchor and région; commune A; commune B
//! on PostgreSQL and Redis), each its own process and database, over HTTPS
//! on loopback, set up with the `trame federation` commands of
//! federation/README.md. The service is a relying party of the federation
//! that registers with commune A automatically.

use serde_json::{Value, json};

use crate::common::{PKCE_VERIFIER, TestCa, hidden, http_trusting};
use crate::federation::{RelyingParty, get, three_installations, until_configuration, urlencode, wait_https};

const MARK: &str = "https://federation.example/marks/collectivite";

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A browser: its own cookies, the test CA trusted, redirects by hand.
fn browser(ca: &TestCa) -> reqwest::Client {
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca.pem.as_bytes()).unwrap())
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

async fn page(b: &reqwest::Client, url: &str) -> String {
    let r = b.get(url).send().await.unwrap();
    let status = r.status().as_u16();
    let body = r.text().await.unwrap();
    assert_eq!(status, 200, "GET {url}: {body}");
    body
}

/// Posts the page's form (its interaction and CSRF fields, plus `fields`)
/// to `url`; returns the redirect.
async fn submit(b: &reqwest::Client, url: &str, html: &str, fields: &[(&str, &str)]) -> String {
    let mut form = vec![("interaction", hidden(html, "interaction").expect("an interaction field")), ("csrf", hidden(html, "csrf").expect("a csrf field"))];
    form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let r = b.post(url).form(&form).send().await.unwrap();
    let loc = location(&r);
    assert_eq!(r.status().as_u16(), 303, "POST {url}: {}", r.text().await.unwrap());
    loc
}

/// Follows redirects with GET while they stay on `host_prefix`; returns
/// the first URL outside it, or the page where they stop.
async fn follow(b: &reqwest::Client, mut url: String, host_prefix: &str) -> (String, Option<String>) {
    for _ in 0..8 {
        if !url.starts_with(host_prefix) {
            return (url, None);
        }
        let r = b.get(&url).send().await.unwrap();
        if r.status().as_u16() == 303 {
            url = location(&r);
            continue;
        }
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        assert_eq!(status, 200, "GET {url}: {body}");
        return (url, Some(body));
    }
    panic!("too many redirects");
}

/// How the pages write a URL in an attribute (minijinja escapes `/`).
fn esc(s: &str) -> String {
    s.replace('/', "&#x2f;")
}

/// `https://host:port` of a tenant's issuer.
fn op_origin(issuer: &str) -> String {
    let u = url::Url::parse(issuer).unwrap();
    format!("https://{}:{}", u.host_str().unwrap(), u.port().unwrap())
}

/// The citizen of commune B at the service of commune A, in `browser`, as
/// far as commune B's sign-in page: the service's request (its Request
/// Object with `extra` members), commune A's peer directory, the choice
/// of commune B. Returns that page's URL and HTML.
async fn to_b_sign_in(browser: &reqwest::Client, rp: &RelyingParty, a: &str, b_url: &str, jti: &str, extra: &Value) -> (String, String) {
    let r = browser.get(format!("{a}/authorize?client_id={}&request={}", urlencode(&rp.id), rp.request_object_with(a, jti, extra))).send().await.unwrap();
    let login_url = location(&r);
    assert!(login_url.contains("/login?interaction="), "{login_url}");
    let login = page(browser, &login_url).await;
    let peers_link = login
        .split("href=\"")
        .find(|s| s.contains("/federation/peers?"))
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .unwrap_or_else(|| panic!("the sign-in page offers peers: {login}"));
    let peers_url = format!("{}{}", op_origin(a), peers_link.replace("&#x2f;", "/").replace("&amp;", "&"));

    // "Where is your account?": commune B, not A itself; searchable.
    let peers = page(browser, &peers_url).await;
    assert!(peers.contains("Ville de B") && peers.contains(&format!("value=\"{}\"", esc(b_url))), "{peers}");
    assert!(!peers.contains(&format!("value=\"{}\"", esc(a))), "a provider is not its own peer");
    let searched = page(browser, &format!("{peers_url}&q=ville")).await;
    assert!(searched.contains("Ville de B"));
    let none = page(browser, &format!("{peers_url}&q=zzz")).await;
    assert!(!none.contains(&format!("value=\"{}\"", esc(b_url))) && none.contains("zzz"), "{none}");

    // The choice: off to commune B, the request pushed there (PAR), which
    // registers commune A there automatically.
    let to_b = submit(browser, &format!("{a}/federation/peers"), &peers, &[("peer", b_url)]).await;
    assert!(to_b.starts_with(&format!("{b_url}/authorize?")) && to_b.contains("request_uri=urn"), "{to_b}");
    let (at_b, login_b) = follow(browser, to_b, b_url).await;
    (at_b, login_b.expect("commune B's sign-in page"))
}

/// Posts a page's form whose answer is a page, not a redirect; returns
/// its status and HTML.
async fn post_page(b: &reqwest::Client, url: &str, html: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let mut form = vec![("interaction", hidden(html, "interaction").expect("an interaction field")), ("csrf", hidden(html, "csrf").expect("a csrf field"))];
    form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let r = b.post(url).form(&form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// One full sign-in of the citizen of commune B at the service of commune
/// A, in a fresh browser; returns the ID token commune A issued.
async fn sign_in_through_b(ca: &TestCa, rp: &RelyingParty, a: &str, b_url: &str, jti: &str) -> serde_json::Map<String, Value> {
    let browser = browser(ca);
    let (at_b, login_b) = to_b_sign_in(&browser, rp, a, b_url, jti, &json!({})).await;
    let next = submit(&browser, &at_b, &login_b, &[("username", "marie"), ("password", "un mot de passe long")]).await;
    // Commune B asks the citizen to consent to sharing with commune A.
    let (consent_url, consent) = follow(&browser, next, b_url).await;
    let back = match consent {
        Some(html) => submit(&browser, &consent_url, &html, &[("decision", "approve")]).await,
        None => consent_url,
    };
    assert!(back.starts_with(&format!("{a}/federation/callback?")) && back.contains(&format!("iss={}", urlencode(b_url))), "{back}");

    // Back at commune A: the account, then commune A's own consent for the
    // service, then the code at the service.
    let (url, html) = follow(&browser, back, a).await;
    let to_rp = match html {
        Some(html) => submit(&browser, &url, &html, &[("decision", "approve")]).await,
        None => url,
    };
    assert!(to_rp.starts_with(&format!("{}/cb?", rp.id)), "{to_rp}");
    let code = url::Url::parse(&to_rp).unwrap().query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();

    // The service redeems it with its private_key_jwt.
    let http = http_trusting(ca);
    let now = now();
    let assertion = rp
        .key
        .sign(
            "JWT",
            json!({"iss": rp.id, "sub": rp.id, "aud": format!("{a}/token"), "iat": now, "exp": now + 60, "jti": format!("{jti}-assertion")})
                .as_object()
                .unwrap(),
        )
        .unwrap();
    let r = http
        .post(format!("{a}/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", &format!("{}/cb", rp.id)),
            ("code_verifier", PKCE_VERIFIER),
            ("client_id", rp.id.as_str()),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let tokens: Value = r.json().await.unwrap();
    let id_token = tokens["id_token"].as_str().unwrap_or_else(|| panic!("{tokens}"));
    trame_jose::decode(id_token).unwrap().claims
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_of_commune_b_signs_in_to_a_service_of_commune_a() {
    let ca = TestCa::new();
    let (fed, op_a, op_b) = three_installations(&ca).await;
    let ta = format!("{}/ta", fed.public_url);
    let region = format!("{}/region", fed.public_url);
    // Two communes, each a tenant of its own installation.
    let a = format!("{}/commune-a", op_a.public_url);
    let b = format!("{}/commune-b", op_b.public_url);

    fed.ok(&["tenant", "add", "ta"]);
    fed.ok(&["tenant", "add", "region"]);
    fed.ok(&["federation", "set", "--tenant", "ta", "--authority", "true"]);
    fed.ok(&["federation", "set", "--tenant", "region", "--authority", "true", "--authority-hint", &ta]);
    fed.ok(&["federation", "subordinate", "add", "--tenant", "ta", &region]);
    fed.ok(&["federation", "trust-mark", "issuers", "--tenant", "ta", "--type", MARK, "--issuer", &ta]);
    op_a.ok(&["tenant", "add", "commune-a", "--display-name", "Commune A"]);
    op_b.ok(&["tenant", "add", "commune-b", "--display-name", "Ville de B"]);
    op_b.ok(&["federation", "set", "--tenant", "commune-b", "--metadata", "organization_name=Ville de B"]);
    op_b.ok_with_input(&["user", "add", "--tenant", "commune-b", "--username", "marie", "--given-name", "Marie", "--password-stdin"], "un mot de passe long\n");
    let _fed_server = fed.serve_tls().await;
    let _a_server = op_a.serve_tls().await;
    let _b_server = op_b.serve_tls().await;
    let http = http_trusting(&ca);
    wait_https(&http, &[&ta, &a, &b]).await;

    for (op, slug) in [(&op_a, "commune-a"), (&op_b, "commune-b")] {
        op.ok(&["federation", "set", "--tenant", slug, "--authority-hint", &region]);
        op.ok(&["federation", "trust-anchor", "add", "--tenant", slug, &ta]);
    }
    // Commune A accepts the citizens of the providers the région lists
    // that hold the federation's mark: it becomes a relying party too.
    let out = op_a.ok(&["federation", "peers", "--tenant", "commune-a", "--list-from", &region, "--require-mark", MARK]);
    assert!(out.contains("relying party key created") && out.contains(&format!("peers listed by {region}")), "{out}");
    until_configuration(&http, &a, |c| c["metadata"].get("openid_relying_party").is_some() && c.get("authority_hints").is_some()).await;
    until_configuration(&http, &b, |c| {
        c.get("authority_hints").is_some() && c["metadata"]["openid_provider"].get("federation_registration_endpoint").is_some()
    })
    .await;
    for url in [&a, &b] {
        fed.ok(&["federation", "subordinate", "add", "--tenant", "region", url]);
    }
    // Its relying party keys are neither its federation keys nor its token keys.
    let a_ec = trame_jose::decode(&get(&http, &format!("{a}/.well-known/openid-federation")).await.2).unwrap().claims;
    let rp_meta = &a_ec["metadata"]["openid_relying_party"];
    assert_eq!(rp_meta["redirect_uris"], json!([format!("{a}/federation/callback")]));
    assert_eq!(rp_meta["client_registration_types"], json!(["automatic"]));
    let rp_kid = rp_meta["jwks"]["keys"][0]["kid"].as_str().unwrap().to_owned();
    let token_keys: Value = serde_json::from_str(&get(&http, &format!("{a}/jwks")).await.2).unwrap();
    assert!(!a_ec["jwks"]["keys"].as_array().unwrap().iter().chain(token_keys["keys"].as_array().unwrap()).any(|k| k["kid"] == rp_kid.as_str()));

    // The service: a relying party under the anchor, registering with A.
    let (rp, rp_server) = RelyingParty::serve(&ca, ta.clone()).await;
    wait_https(&http, &[&rp.id]).await;
    fed.ok(&["federation", "subordinate", "add", "--tenant", "ta", &rp.id]);

    // Without the mark, commune B is not offered.
    let browser0 = browser(&ca);
    let r = browser0.get(format!("{a}/authorize?client_id={}&request={}", urlencode(&rp.id), rp.request_object(&a, "j0"))).send().await.unwrap();
    let interaction = location(&r).split("interaction=").nth(1).unwrap().to_owned();
    let peers = page(&browser0, &format!("{}/commune-a/federation/peers?interaction={interaction}", op_a.public_url)).await;
    assert!(!peers.contains(&format!("value=\"{}\"", esc(&b))), "B holds no mark yet: {peers}");

    // The anchor issues the mark to B, B shows it; A reads its directory
    // again after a few minutes, or at once after a restart: restart A.
    fed.ok(&["federation", "trust-mark", "issue", "--tenant", "ta", "--type", MARK, "--sub", &b, "--days", "30"]);
    let (_, _, mark) = get(&http, &format!("{ta}/federation/trust_mark?trust_mark_type={}&sub={}", urlencode(MARK), urlencode(&b))).await;
    op_b.ok_with_input(&["federation", "trust-mark", "hold", "--tenant", "commune-b"], &format!("{mark}\n"));
    until_configuration(&http, &b, |c| c.get("trust_marks").is_some()).await;
    drop(_a_server);
    let _a_server = op_a.serve_tls().await;
    wait_https(&http, &[&a]).await;

    let first = sign_in_through_b(&ca, &rp, &a, &b, "j1").await;
    assert_eq!(first["iss"], a.as_str(), "the service sees commune A's ID token");
    assert_eq!(first["acr"], "eidas1", "a password at B is worth no more than B asserted");
    let sub = first["sub"].as_str().unwrap().to_owned();
    // Commune A made one local account, linked to B's citizen.
    let users = op_a.ok(&["user", "list", "--tenant", "commune-a"]);
    assert_eq!(users.lines().filter(|l| l.contains("@localhost")).count(), 1, "{users}");

    // A second sign-in, in another browser: the same account, the same sub.
    let second = sign_in_through_b(&ca, &rp, &a, &b, "j2").await;
    assert_eq!(second["sub"], sub.as_str());
    let users = op_a.ok(&["user", "list", "--tenant", "commune-a"]);
    assert_eq!(users.lines().filter(|l| l.contains("@localhost")).count(), 1, "{users}");

    // The service asks for eidas2, which a password does not reach at
    // commune B: B's level page says so, and its way back leads to commune
    // A's sign-in page, which says why, with no session at A.
    let third = browser(&ca);
    let (at_b, login_b) = to_b_sign_in(&third, &rp, &a, &b, "j3", &json!({ "acr_values": "eidas2" })).await;
    let (status, level_b) = post_page(&third, &at_b, &login_b, &[("username", "marie"), ("password", "un mot de passe long")]).await;
    assert_eq!(status, 403, "{level_b}");
    assert!(level_b.contains("/login/abandon"), "commune B offers the way back: {level_b}");
    let abandon = format!("{}/commune-b/login/abandon", op_b.public_url);
    let back = submit(&third, &abandon, &level_b, &[]).await;
    assert!(back.starts_with(&format!("{a}/federation/callback?")) && back.contains("error=unmet_authentication_requirements"), "{back}");
    let r = third.get(&back).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let at_a = r.text().await.unwrap();
    assert!(at_a.contains("n’a pas atteint le niveau de sécurité que ce service demande"), "commune A says why: {at_a}");
    assert!(third.get(format!("{a}/account")).send().await.unwrap().headers().get("location").is_some(), "no session at commune A");

    // Commune B asks less of a password than commune A does (eidas2 there,
    // where A's default wants two factors): B's eidas2 falls short at A,
    // whose level page leads back to the service with
    // unmet_authentication_requirements.
    op_b.ok(&["tenant", "set", "commune-b", "--acr-rule", "eidas2=pwd"]);
    drop(_b_server);
    let _b_server = op_b.serve_tls().await;
    wait_https(&http, &[&b]).await;
    let fourth = browser(&ca);
    let (at_b, login_b) = to_b_sign_in(&fourth, &rp, &a, &b, "j4", &json!({ "acr_values": "eidas2" })).await;
    let next = submit(&fourth, &at_b, &login_b, &[("username", "marie"), ("password", "un mot de passe long")]).await;
    assert!(next.starts_with(&format!("{a}/federation/callback?")), "consent was given before: {next}");
    let r = fourth.get(&next).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let level_a = r.text().await.unwrap();
    assert!(level_a.contains("/login/abandon"), "commune A offers the way back: {level_a}");
    let to_rp = submit(&fourth, &format!("{a}/login/abandon"), &level_a, &[]).await;
    assert!(to_rp.starts_with(&format!("{}/cb?", rp.id)) && to_rp.contains("error=unmet_authentication_requirements"), "{to_rp}");
    assert!(to_rp.contains("state=s") && to_rp.contains(&format!("iss={}", urlencode(&a))), "{to_rp}");

    // A callback with a state nobody issued: refused, nothing signed in.
    let stranger = browser(&ca);
    let r = stranger.get(format!("{a}/federation/callback?state=forged&code=x&iss={}", urlencode(&b))).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    rp_server.shutdown();
}
