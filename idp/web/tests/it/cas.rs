//! The CAS server (CAS protocol 3.0): login through Trame's own sign-in
//! and session, service tickets (single use, bound to their service, 10
//! seconds), the validation answers (CAS 1, XML, JSON), `renew`,
//! `gateway`, the level a service requires, logout, and the refusals:
//! unregistered services and prefix tricks never get a redirect.

use crate::common::*;
use axum::http::StatusCode;
use trame_app::audit::Actor;
use trame_app::users;
use trame_core::cas::CasRequest;
use trame_core::client::{AuthMethod, ClientSettings};
use trame_core::ids::ClientId;
use trame_core::subject::SubjectType;
use trame_store::NewClient;

const GLPI: &str = "https://glpi.ville.fr/index.php";
const INTRANET_PREFIX: &str = "https://intranet.ville.fr/apps/";
const PORTAL: &str = "https://portail.ville.fr/cas";

async fn add_cas(env: &Env, id: &str, urls: &[&str], prefixes: &[&str], user: &str, acr: &[&str]) {
    let cas = trame_core::registration::cas_service(CasRequest {
        service_urls: urls.iter().map(|s| s.to_string()).collect(),
        service_prefixes: prefixes.iter().map(|s| s.to_string()).collect(),
        attributes: vec!["email".into(), "given_name".into(), "family_name".into()],
        user: Some(user.into()),
    })
    .unwrap();
    let settings = ClientSettings {
        name: Some(format!("Application {id}")),
        grant_types: Vec::new(),
        default_acr_values: acr.iter().map(|s| s.to_string()).collect(),
        subject_type: SubjectType::Pairwise,
        cas: Some(cas),
        ..ClientSettings::new(AuthMethod::None)
    };
    let new = NewClient { client_id: ClientId::parse(id).unwrap(), secret_digest: None, registration_token_digest: None, settings };
    env.state.store.create_client(&env.tenant.id, new, env.clock.now()).await.unwrap();
}

async fn cas_env(backend: trame_testkit::Backend) -> Env {
    let env = Env::new(backend).await;
    add_cas(&env, "glpi", &[GLPI], &[INTRANET_PREFIX], "username", &[]).await;
    add_cas(&env, "portail", &[PORTAL], &[], "subject", &[]).await;
    add_cas(&env, "paie", &["https://paie.ville.fr/"], &[], "username", &["eidas2"]).await;
    env
}

fn login_path(service: &str, extra: &[(&str, &str)]) -> String {
    let mut p = vec![("service", service)];
    p.extend_from_slice(extra);
    format!("/cas/login?{}", encode(&p))
}

/// The ticket in a redirect to `service`.
fn ticket_of(location: &str, service: &str) -> String {
    assert!(location.starts_with(service), "{location}");
    let t = query_param(location, "ticket").expect("a ticket");
    assert!(t.starts_with("ST-") && t.len() <= 256, "{t}");
    assert!(t.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'), "CAS 3.0 §3.7: {t}");
    t
}

async fn validate(env: &Env, endpoint: &str, pairs: &[(&str, &str)]) -> Resp {
    env.get(&format!("/cas/{endpoint}?{}", encode(pairs))).await
}

fn between<'a>(body: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = body.find(open)? + open.len();
    Some(&body[start..start + body[start..].find(close)?])
}

fn failure_code(body: &str) -> Option<&str> {
    between(body, "<cas:authenticationFailure code=\"", "\"")
}

/// Signs in through the CAS login page with the password; returns the
/// browser and the redirect to the service.
async fn signed_in_by_cas(env: &Env, service: &str) -> (Browser, String) {
    let mut b = env.browser();
    let r = b.get(&login_path(service, &[])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location().unwrap();
    assert!(loc.contains("/login?interaction="), "{loc}");
    let page = b.get(&loc).await;
    assert_eq!(page.status, StatusCode::OK);
    let r = b.submit_login(&page, USERNAME, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location().unwrap();
    (b, loc)
}

backend_test_raw!(
    async fn sign_in_then_the_ticket_validates_once_with_attributes(backend) {
        let env = cas_env(backend).await;
        let mut b = env.browser();
        let r = b.get(&login_path(GLPI, &[])).await;
        let page = b.get(&r.location().unwrap()).await;
        assert!(page.body.contains("Application glpi"), "the sign-in page names the service");
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let ticket = ticket_of(&r.location().unwrap(), GLPI);

        let v = validate(&env, "p3/serviceValidate", &[("service", GLPI), ("ticket", &ticket)]).await;
        assert_eq!(v.status, StatusCode::OK);
        assert!(v.header("content-type").unwrap().starts_with("application/xml"), "{:?}", v.header("content-type"));
        assert_eq!(v.header("cache-control").as_deref(), Some("no-store"));
        assert!(v.body.contains("xmlns:cas=\"http://www.yale.edu/tp/cas\""), "{}", v.body);
        assert_eq!(between(&v.body, "<cas:user>", "</cas:user>"), Some(USERNAME), "{}", v.body);
        assert_eq!(between(&v.body, "<cas:email>", "</cas:email>"), Some("alice@example.fr"));
        assert_eq!(between(&v.body, "<cas:given_name>", "</cas:given_name>"), Some("Alice"));
        assert_eq!(between(&v.body, "<cas:isFromNewLogin>", "</cas:isFromNewLogin>"), Some("true"));
        assert_eq!(between(&v.body, "<cas:acr>", "</cas:acr>"), Some("eidas1"));
        assert_eq!(between(&v.body, "<cas:amr>", "</cas:amr>"), Some("pwd"));
        assert!(between(&v.body, "<cas:authenticationDate>", "</cas:authenticationDate>").is_some_and(|d| d.ends_with('Z')));

        // Single use, whatever the endpoint.
        for endpoint in ["p3/serviceValidate", "serviceValidate"] {
            let again = validate(&env, endpoint, &[("service", GLPI), ("ticket", &ticket)]).await;
            assert_eq!(failure_code(&again.body), Some("INVALID_TICKET"), "{}", again.body);
        }
        let again = validate(&env, "validate", &[("service", GLPI), ("ticket", &ticket)]).await;
        assert_eq!(again.body, "no\n\n");
    }
);

backend_test_raw!(
    async fn an_oidc_session_signs_in_to_cas_services_without_a_second_prompt(backend) {
        let env = cas_env(backend).await;
        let mut b = env.browser();
        b.sign_in(&basic_params("openid"), USERNAME, PASSWORD).await;
        // Exact URL, and a URL under a registered prefix, with its query.
        let under_prefix = "https://intranet.ville.fr/apps/courrier/index.php?page=1&x=%C3%A9";
        for service in [GLPI, under_prefix] {
            let r = b.get(&login_path(service, &[])).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            let loc = r.location().unwrap();
            let ticket = ticket_of(&loc, service);
            if service == under_prefix {
                assert!(loc.starts_with(&format!("{under_prefix}&ticket=ST-")), "{loc}");
            }
            // CAS 2 answer carries the attributes too; JSON on request.
            let v = validate(&env, "serviceValidate", &[("service", service), ("ticket", &ticket), ("format", "JSON")]).await;
            assert_eq!(v.status, StatusCode::OK);
            let j = v.json();
            let ok = &j["serviceResponse"]["authenticationSuccess"];
            assert_eq!(ok["user"], USERNAME, "{j}");
            assert_eq!(ok["attributes"]["isFromNewLogin"], "false", "from the session, not from credentials");
            assert_eq!(ok["attributes"]["family_name"], "Martin");
        }
        // CAS 1.
        let r = b.get(&login_path(GLPI, &[])).await;
        let ticket = ticket_of(&r.location().unwrap(), GLPI);
        let v = validate(&env, "validate", &[("service", GLPI), ("ticket", &ticket)]).await;
        assert_eq!((v.status, v.body.as_str()), (StatusCode::OK, "yes\nalice\n"));
        assert!(v.header("content-type").unwrap().starts_with("text/plain"));
    }
);

backend_test_raw!(
    async fn a_ticket_is_bound_to_its_service_and_lives_ten_seconds(backend) {
        let env = cas_env(backend).await;
        let (mut b, loc) = signed_in_by_cas(&env, GLPI).await;
        let ticket = ticket_of(&loc, GLPI);
        // Another registered service cannot use it, and the attempt spends it.
        let v = validate(&env, "serviceValidate", &[("service", PORTAL), ("ticket", &ticket)]).await;
        assert_eq!(failure_code(&v.body), Some("INVALID_SERVICE"), "{}", v.body);
        let v = validate(&env, "serviceValidate", &[("service", GLPI), ("ticket", &ticket)]).await;
        assert_eq!(failure_code(&v.body), Some("INVALID_TICKET"));

        // Expired after ten seconds.
        let r = b.get(&login_path(GLPI, &[])).await;
        let ticket = ticket_of(&r.location().unwrap(), GLPI);
        env.clock.advance(11);
        let v = validate(&env, "serviceValidate", &[("service", GLPI), ("ticket", &ticket)]).await;
        assert_eq!(failure_code(&v.body), Some("INVALID_TICKET"), "{}", v.body);

        // A service URL differing in any byte is another service.
        let r = b.get(&login_path(GLPI, &[])).await;
        let ticket = ticket_of(&r.location().unwrap(), GLPI);
        let v = validate(&env, "serviceValidate", &[("service", &format!("{GLPI}?")), ("ticket", &ticket)]).await;
        assert_eq!(failure_code(&v.body), Some("INVALID_SERVICE"));
    }
);

backend_test_raw!(
    async fn unregistered_services_get_a_page_never_a_redirect(backend) {
        let env = cas_env(backend).await;
        let mut b = env.browser();
        b.sign_in(&basic_params("openid"), USERNAME, PASSWORD).await;
        for service in [
            "https://evil.example/steal",
            "https://glpi.ville.fr/index.php.evil.example",
            "https://glpi.ville.fr/",
            "https://intranet.ville.fr/apps",
            "https://intranet.ville.fr/apps/../admin/",
            "https://intranet.ville.fr/apps/%2e%2e/admin/",
            "https://intranet.ville.fr.evil.example/apps/",
            "https://attacker@intranet.ville.fr/apps/x",
            "http://intranet.ville.fr/apps/x",
            "//evil.example/apps/",
            "javascript:alert(1)",
        ] {
            for extra in [&[][..], &[("gateway", "true")][..]] {
                let r = b.get(&login_path(service, extra)).await;
                assert_eq!(r.status, StatusCode::BAD_REQUEST, "{service}: {}", r.body);
                assert!(r.location().is_none(), "{service}");
                assert!(r.is_html());
            }
        }
        // A repeated service, and a malformed query: pages too.
        let r = b.get(&format!("/cas/login?service={}&service={}", urlencode(GLPI), urlencode(PORTAL))).await;
        r.assert_page(StatusCode::BAD_REQUEST);
        let r = b.get("/cas/login?service=%ff").await;
        r.assert_page(StatusCode::BAD_REQUEST);
        // Without a service, the account page.
        let r = b.get("/cas/login").await;
        assert_eq!(r.location().as_deref(), Some(&*format!("{ISSUER}/account")));
    }
);

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

backend_test_raw!(
    async fn validation_refusals_say_what_cas_says(backend) {
        let env = cas_env(backend).await;
        let missing = [vec![], vec![("service", GLPI)], vec![("ticket", "ST-x")], vec![("service", ""), ("ticket", "ST-x")]];
        for pairs in &missing {
            let v = validate(&env, "serviceValidate", pairs).await;
            assert_eq!((v.status, failure_code(&v.body)), (StatusCode::OK, Some("INVALID_REQUEST")), "{pairs:?}: {}", v.body);
        }
        let v = validate(&env, "serviceValidate", &[("service", GLPI), ("ticket", "ST-a"), ("ticket", "ST-b")]).await;
        assert_eq!(failure_code(&v.body), Some("INVALID_REQUEST"));
        let v = validate(&env, "serviceValidate", &[("service", GLPI), ("ticket", "PT-abc")]).await;
        assert_eq!(failure_code(&v.body), Some("INVALID_TICKET_SPEC"));
        let long = format!("ST-{}", "a".repeat(300));
        for ticket in ["ST-unknown", "TGT-1", "abc", long.as_str(), "ST-<x>&\""] {
            let v = validate(&env, "p3/serviceValidate", &[("service", GLPI), ("ticket", ticket)]).await;
            assert_eq!(failure_code(&v.body), Some("INVALID_TICKET"), "{ticket}");
            assert!(!v.body.contains("<x>"), "nothing of the request is echoed unescaped");
        }
        let v = env.get("/cas/serviceValidate?service=%ff&ticket=ST-1").await;
        assert_eq!((v.status, failure_code(&v.body)), (StatusCode::OK, Some("INVALID_REQUEST")));
        let v = validate(&env, "serviceValidate", &[("service", GLPI), ("ticket", "ST-unknown"), ("format", "json")]).await;
        assert_eq!(v.json()["serviceResponse"]["authenticationFailure"]["code"], "INVALID_TICKET");
        let v = validate(&env, "validate", &[("service", GLPI)]).await;
        assert_eq!(v.body, "no\n\n");
    }
);

backend_test_raw!(
    async fn renew_asks_for_credentials_and_gateway_never_shows_a_page(backend) {
        let env = cas_env(backend).await;
        // Not signed in: gateway goes back to the service without a ticket.
        let mut b = env.browser();
        let r = b.get(&login_path(GLPI, &[("gateway", "true")])).await;
        assert_eq!(r.location().as_deref(), Some(GLPI));

        let (mut b, loc) = signed_in_by_cas(&env, GLPI).await;
        validate(&env, "serviceValidate", &[("service", GLPI), ("ticket", &ticket_of(&loc, GLPI))]).await;
        // Signed in: gateway gets a ticket.
        let r = b.get(&login_path(GLPI, &[("gateway", "true")])).await;
        let sso_ticket = ticket_of(&r.location().unwrap(), GLPI);
        // A ticket from the session is refused where renew is asked.
        let v = validate(&env, "serviceValidate", &[("service", GLPI), ("ticket", &sso_ticket), ("renew", "true")]).await;
        assert_eq!(failure_code(&v.body), Some("INVALID_TICKET"), "{}", v.body);
        // renew shows the sign-in page despite the session, and its ticket passes.
        let r = b.get(&login_path(GLPI, &[("renew", "true")])).await;
        let loc = r.location().unwrap();
        assert!(loc.contains("/login?interaction="), "{loc}");
        let page = b.get(&loc).await;
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        let fresh = ticket_of(&r.location().unwrap(), GLPI);
        let v = validate(&env, "serviceValidate", &[("service", GLPI), ("ticket", &fresh), ("renew", "true")]).await;
        assert_eq!(between(&v.body, "<cas:user>", "</cas:user>"), Some(USERNAME), "{}", v.body);
        // renew and gateway together: no page and no ticket.
        let r = b.get(&login_path(GLPI, &[("renew", "true"), ("gateway", "true")])).await;
        assert_eq!(r.location().as_deref(), Some(GLPI));
    }
);

backend_test_raw!(
    async fn a_service_can_require_a_level(backend) {
        let env = cas_env(backend).await;
        // A password session is eidas1; the payroll service needs eidas2.
        let mut b = env.browser();
        b.sign_in(&basic_params("openid"), USERNAME, PASSWORD).await;
        let r = b.get(&login_path("https://paie.ville.fr/", &[])).await;
        let loc = r.location().unwrap();
        assert!(loc.contains("/login?interaction="), "step-up, never a ticket below the level: {loc}");
        // The password alone does not reach it: the level page, no ticket.
        let page = b.get(&loc).await;
        let r = b.submit_login(&page, USERNAME, PASSWORD).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(r.location().is_none());
    }
);

backend_test_raw!(
    async fn the_user_is_the_subject_when_the_service_says_so(backend) {
        let env = cas_env(backend).await;
        let (_, loc) = signed_in_by_cas(&env, PORTAL).await;
        let v = validate(&env, "p3/serviceValidate", &[("service", PORTAL), ("ticket", &ticket_of(&loc, PORTAL))]).await;
        let user = between(&v.body, "<cas:user>", "</cas:user>").unwrap();
        assert_ne!(user, USERNAME);
        assert_ne!(user, env.user_id, "pairwise, not the internal id");
        assert_eq!(user.len(), 43, "{user}");
    }
);

backend_test_raw!(
    async fn a_disabled_account_gets_no_answer_from_a_ticket_issued_before(backend) {
        let env = cas_env(backend).await;
        let (_, loc) = signed_in_by_cas(&env, GLPI).await;
        let entry = env.state.catalog.by_id(&env.tenant.id).unwrap();
        users::disable(env.state.app(), &entry, &env.user_id, Actor::Cli("test".into())).await.unwrap();
        let v = validate(&env, "serviceValidate", &[("service", GLPI), ("ticket", &ticket_of(&loc, GLPI))]).await;
        assert_eq!(failure_code(&v.body), Some("INVALID_TICKET"), "{}", v.body);
    }
);

backend_test_raw!(
    async fn logout_ends_the_session_and_returns_only_to_a_registered_service(backend) {
        let env = cas_env(backend).await;
        let (mut b, _) = signed_in_by_cas(&env, GLPI).await;
        let r = b.get(&format!("/cas/logout?{}", encode(&[("service", GLPI)]))).await;
        assert_eq!(r.location().as_deref(), Some(GLPI));
        assert!(b.cookie("trame_session").is_none());
        // Signed out: the next login asks again.
        let r = b.get(&login_path(GLPI, &[])).await;
        assert!(r.location().unwrap().contains("/login?interaction="));

        let (mut b, _) = signed_in_by_cas(&env, GLPI).await;
        let r = b.get(&format!("/cas/logout?{}", encode(&[("service", "https://evil.example/")]))).await;
        assert_eq!(r.status, StatusCode::OK, "the signed-out page, no redirect");
        assert!(r.location().is_none());
        assert!(b.cookie("trame_session").is_none());
    }
);

/// A CAS service's server on a real port: records the `logoutRequest` of
/// every POST it receives.
struct Service {
    url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Service {
    async fn start() -> Self {
        use axum::extract::State;
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        async fn receive(State(seen): State<std::sync::Arc<std::sync::Mutex<Vec<String>>>>, body: String) -> StatusCode {
            let request = url::form_urlencoded::parse(body.as_bytes()).find(|(k, _)| k == "logoutRequest").map(|(_, v)| v.into_owned());
            seen.lock().unwrap().push(request.unwrap_or_default());
            StatusCode::OK
        }
        let app = axum::Router::new().route("/app/", axum::routing::post(receive)).with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url: format!("http://{addr}/app/"), seen }
    }

    /// The logout requests received, waiting up to 5 s for `n` of them.
    async fn logout_requests(&self, n: usize) -> Vec<String> {
        for _ in 0..100 {
            if self.seen.lock().unwrap().len() >= n {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        self.seen.lock().unwrap().clone()
    }
}

backend_test_raw!(
    async fn single_logout_tells_every_cas_service_of_the_session(backend) {
        let env = cas_env(backend).await;
        let app = Service::start().await;
        add_cas(&env, "intranet", &[&app.url], &[], "username", &[]).await;
        // Signed in at two CAS services, one of them twice (two tickets).
        let (mut b, loc) = signed_in_by_cas(&env, &app.url).await;
        let first = ticket_of(&loc, &app.url);
        assert!(validate(&env, "serviceValidate", &[("service", &app.url), ("ticket", &first)]).await.body.contains("authenticationSuccess"));
        let r = b.get(&login_path(GLPI, &[])).await;
        let glpi_ticket = ticket_of(&r.location().unwrap(), GLPI);
        validate(&env, "serviceValidate", &[("service", GLPI), ("ticket", &glpi_ticket)]).await;
        let r = b.get(&login_path(&app.url, &[])).await;
        let second = ticket_of(&r.location().unwrap(), &app.url);
        validate(&env, "p3/serviceValidate", &[("service", &app.url), ("ticket", &second)]).await;
        // A ticket never validated gave the service no session: nothing to end.
        let r = b.get(&login_path(&app.url, &[])).await;
        let unused = ticket_of(&r.location().unwrap(), &app.url);

        let r = b.get(&format!("/cas/logout?{}", encode(&[("service", &app.url)]))).await;
        assert_eq!(r.location().as_deref(), Some(app.url.as_str()));
        let got = app.logout_requests(2).await;
        assert_eq!(got.len(), 2, "{got:?}");
        // Sent at once, concurrently: in any order.
        for ticket in [&first, &second] {
            let index = format!("<samlp:SessionIndex>{ticket}</samlp:SessionIndex>");
            assert_eq!(got.iter().filter(|r| r.starts_with("<samlp:LogoutRequest ") && r.contains(&index)).count(), 1, "{ticket}: {got:?}");
        }
        assert!(!got.iter().any(|r| r.contains(&unused)));
        // GLPI's notification (its host is not reachable from here) is in
        // the durable queue, for its retries.
        let queued = env.state.store.due_logout_deliveries(env.clock.now() + 86_400, 100).await.unwrap();
        let glpi: Vec<_> = queued.iter().filter(|d| d.uri == GLPI).collect();
        assert_eq!(glpi.len(), 1, "{queued:?}");
        assert_eq!(glpi[0].kind, trame_store::DeliveryKind::Cas);
        assert!(glpi[0].logout_token.contains(&glpi_ticket));
    }
);

backend_test_raw!(
    async fn an_openid_connect_logout_ends_the_cas_services_too(backend) {
        let env = cas_env(backend).await;
        let app = Service::start().await;
        add_cas(&env, "intranet", &[&app.url], &[], "username", &[]).await;
        let mut b = env.browser();
        let loc = b.sign_in(&basic_params("openid"), USERNAME, PASSWORD).await;
        let code = query_param(&loc, "code").unwrap();
        let t = env.token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
        let id_token = t.json()["id_token"].as_str().unwrap().to_owned();
        let r = b.get(&login_path(&app.url, &[])).await;
        let ticket = ticket_of(&r.location().unwrap(), &app.url);
        validate(&env, "serviceValidate", &[("service", &app.url), ("ticket", &ticket)]).await;

        let r = b.get(&format!("/logout?{}", encode(&[("id_token_hint", &id_token), ("post_logout_redirect_uri", BASIC_LOGOUT)]))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let got = app.logout_requests(1).await;
        assert_eq!(got.len(), 1);
        assert!(got[0].contains(&ticket));
        // The person's data export lists the CAS service while signed in;
        // the ended session leaves nothing behind.
        assert!(env.state.store.cas_service_sessions_of(&env.tenant.id, &env.user_id).await.unwrap().is_empty());
    }
);

fn saml_request(artifact: &str) -> String {
    format!(
        "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Header/><SOAP-ENV:Body>\
         <samlp:Request xmlns:samlp=\"urn:oasis:names:tc:SAML:1.0:protocol\" MajorVersion=\"1\" MinorVersion=\"1\" RequestID=\"_1\" \
         IssueInstant=\"2026-01-01T00:00:00Z\"><samlp:AssertionArtifact>{artifact}</samlp:AssertionArtifact></samlp:Request>\
         </SOAP-ENV:Body></SOAP-ENV:Envelope>"
    )
}

async fn saml_validate(env: &Env, target: Option<&str>, body: String) -> Resp {
    let path = match target {
        Some(t) => format!("/cas/samlValidate?{}", encode(&[("TARGET", t)])),
        None => "/cas/samlValidate".to_owned(),
    };
    let req = axum::http::Request::post(path).header("host", HOST).header("content-type", "text/xml").body(axum::body::Body::from(body)).unwrap();
    env.send(req).await
}

backend_test_raw!(
    async fn saml_validation_answers_saml_1_1(backend) {
        let env = cas_env(backend).await;
        let (_, loc) = signed_in_by_cas(&env, GLPI).await;
        let ticket = ticket_of(&loc, GLPI);
        let v = saml_validate(&env, Some(GLPI), saml_request(&ticket)).await;
        assert_eq!(v.status, StatusCode::OK, "{}", v.body);
        assert!(v.header("content-type").unwrap().starts_with("text/xml"));
        assert!(v.body.contains("<StatusCode Value=\"samlp:Success\">"), "{}", v.body);
        assert!(v.body.contains("<NameIdentifier>alice</NameIdentifier>"), "{}", v.body);
        assert!(v.body.contains("<Audience>https://glpi.ville.fr/index.php</Audience>"), "{}", v.body);
        assert!(v.body.contains("AttributeName=\"email\" AttributeNamespace=\"http://www.ja-sig.org/products/cas/\"><AttributeValue>alice@example.fr</AttributeValue>"));
        // Spent, like any ticket.
        let again = saml_validate(&env, Some(GLPI), saml_request(&ticket)).await;
        assert!(again.body.contains("samlp:Responder") && again.body.contains("INVALID_TICKET"), "{}", again.body);

        let r = env.browser().get(&login_path(GLPI, &[])).await;
        assert!(r.location().unwrap().contains("/login?"), "a new browser signs in first");
        for (target, body, code) in [
            (None, saml_request("ST-x"), "samlp:Requester"),
            (Some(GLPI), "not xml".to_owned(), "samlp:Requester"),
            (Some(GLPI), saml_request(""), "samlp:Requester"),
            (Some(GLPI), format!("<!DOCTYPE x [<!ENTITY t \"{ticket}\">]>{}", saml_request("&t;")), "samlp:Requester"),
            (Some(GLPI), saml_request("ST-unknown"), "samlp:Responder"),
        ] {
            let v = saml_validate(&env, target, body).await;
            assert_eq!(v.status, StatusCode::OK);
            assert!(v.body.contains(&format!("<StatusCode Value=\"{code}\">")), "{target:?}: {}", v.body);
            assert!(!v.body.contains("samlp:Success"));
        }
    }
);
