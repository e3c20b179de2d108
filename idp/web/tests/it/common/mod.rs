//! Shared harness for the HTTP tests: a seeded tenant on a fresh database of
//! each backend, a controllable clock, and a tiny cookie-keeping "browser"
//! over `tower::ServiceExt::oneshot`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use base64::Engine as _;
use serde_json::Value;
use tower::ServiceExt;
use trame_core::client::{AuthMethod, ClientSettings, GrantType, PkcePolicy};
use trame_core::crypto::secret_digest;
use trame_core::ids::{ClientId, Issuer, RedirectUri, TenantSlug};
use trame_core::scope::Scopes;
use trame_core::tenant::Tenant;
use trame_core::{Clock, OsRandom};
use trame_store::{NewClient, NewUser, Store};
use trame_testkit::{Backend, Backends};
use trame_web::{AppState, WebConfig};

pub const ISSUER: &str = "http://localhost:8080";
pub const HOST: &str = "localhost:8080";

pub const BASIC_ID: &str = "rp-basic";
pub const BASIC_SECRET: &str = "basic-secret-0123456789";
pub const BASIC_REDIRECT: &str = "http://localhost:3000/cb";
pub const BASIC_LOGOUT: &str = "http://localhost:3000/bye";

pub const POST_ID: &str = "rp-post";
pub const POST_SECRET: &str = "post-secret-0123456789";
pub const POST_REDIRECT: &str = "http://localhost:3001/cb";

pub const PUBLIC_ID: &str = "rp-public";
pub const PUBLIC_REDIRECT: &str = "http://127.0.0.1:4000/cb";

pub const USERNAME: &str = "alice";
pub const PASSWORD: &str = "correct horse battery staple";

/// RFC 7636 appendix B.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
pub const OTHER_VERIFIER: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// A clock the test moves by hand.
#[derive(Debug)]
pub struct TestClock(AtomicI64);

impl TestClock {
    pub fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Runs the test body once per backend (`trame_testkit::backend_test!`):
/// `backend_test!(async fn name(env) { ... });`
#[macro_export]
macro_rules! backend_test {
    (async fn $name:ident($env:ident) $body:block) => {
        trame_testkit::backend_test!($name, workers = 2, |backend| async move {
            let $env = $crate::common::Env::new(backend).await;
            $body
        });
    };
}

/// Runs the test body once per backend with only the backend given:
/// `backend_test_raw!(async fn name(backend) { ... });`
#[macro_export]
macro_rules! backend_test_raw {
    (async fn $name:ident($backend:ident) $body:block) => {
        trame_testkit::backend_test!($name, workers = 2, |$backend| async move { $body });
    };
}

pub struct Env {
    pub backend: Backend,
    pub backends: Backends,
    pub state: AppState,
    pub app: Router,
    pub clock: Arc<TestClock>,
    pub tenant: Tenant,
    pub user_id: String,
}

pub fn system_now() -> i64 {
    trame_core::SystemClock.now()
}

pub struct ClientSpec<'a> {
    pub id: &'a str,
    pub secret: Option<&'a str>,
    pub method: AuthMethod,
    pub redirects: &'a [&'a str],
    pub post_logout: &'a [&'a str],
    pub grants: &'a [GrantType],
    pub scopes: &'a str,
    pub pkce: PkcePolicy,
    pub skip_consent: bool,
}

pub async fn add_client(store: &Store, tenant_id: &str, c: ClientSpec<'_>, now: i64) {
    store
        .create_client(
            tenant_id,
            NewClient {
                client_id: ClientId::parse(c.id).unwrap(),
                secret_digest: c.secret.map(secret_digest),
                registration_token_digest: None,
                settings: ClientSettings {
                    name: Some(format!("Service {}", c.id)),
                    redirect_uris: c.redirects.iter().map(|u| RedirectUri::parse(u).unwrap()).collect(),
                    post_logout_redirect_uris: c.post_logout.iter().map(|u| RedirectUri::parse(u).unwrap()).collect(),
                    grant_types: c.grants.to_vec(),
                    scopes: Scopes::parse(c.scopes).unwrap(),
                    pkce: c.pkce,
                    skip_consent: c.skip_consent,
                    ..ClientSettings::new(c.method)
                },
            },
            now,
        )
        .await
        .unwrap();
}

pub async fn add_user(store: &Store, tenant_id: &str, username: &str, password: &str, now: i64) -> String {
    let hash = trame_core::password::hash(password, &OsRandom).unwrap();
    store
        .create_user(
            tenant_id,
            NewUser {
                username: username.into(),
                email: Some(format!("{username}@example.fr")),
                given_name: Some("Alice".into()),
                family_name: Some("Martin".into()),
                password_hash: Some(hash),
                ..NewUser::default()
            },
            now,
        )
        .await
        .unwrap()
        .id
}

/// Creates the standard tenant, clients and user on `store` for `issuer`.
pub async fn seed(store: &Store, slug: &str, issuer: &str, now: i64) -> (Tenant, String) {
    let tenant = store.create_tenant(&TenantSlug::parse(slug).unwrap(), &Issuer::parse(issuer).unwrap(), "Ville d'Exemple", now).await.unwrap();
    let all = "openid profile email offline_access";
    add_client(
        store,
        &tenant.id,
        ClientSpec {
            id: BASIC_ID,
            secret: Some(BASIC_SECRET),
            method: AuthMethod::ClientSecretBasic,
            redirects: &[BASIC_REDIRECT],
            post_logout: &[BASIC_LOGOUT],
            grants: &[GrantType::AuthorizationCode, GrantType::RefreshToken],
            scopes: all,
            pkce: PkcePolicy::Optional,
            skip_consent: false,
        },
        now,
    )
    .await;
    add_client(
        store,
        &tenant.id,
        ClientSpec {
            id: POST_ID,
            secret: Some(POST_SECRET),
            method: AuthMethod::ClientSecretPost,
            redirects: &[POST_REDIRECT],
            post_logout: &[],
            grants: &[GrantType::AuthorizationCode, GrantType::RefreshToken, GrantType::ClientCredentials],
            scopes: all,
            pkce: PkcePolicy::Optional,
            skip_consent: true,
        },
        now,
    )
    .await;
    add_client(
        store,
        &tenant.id,
        ClientSpec {
            id: PUBLIC_ID,
            secret: None,
            method: AuthMethod::None,
            redirects: &[PUBLIC_REDIRECT],
            post_logout: &[],
            grants: &[GrantType::AuthorizationCode, GrantType::RefreshToken],
            scopes: all,
            pkce: PkcePolicy::Required,
            skip_consent: false,
        },
        now,
    )
    .await;
    let user_id = add_user(store, &tenant.id, USERNAME, PASSWORD, now).await;
    (tenant, user_id)
}

impl Env {
    pub async fn new(backend: Backend) -> Self {
        Self::with(backend, ISSUER, HOST, vec![]).await
    }

    pub async fn with(backend: Backend, issuer: &str, public_authority: &str, trusted_proxies: Vec<ipnet::IpNet>) -> Self {
        Self::with_reach(backend, issuer, public_authority, trusted_proxies, Some(trame_app::outbound::Reach::Anywhere)).await
    }

    /// Like [`Env::with`], with the `outbound_reach` setting (`None`: per
    /// tenant, the default of an installation).
    pub async fn with_reach(
        backend: Backend,
        issuer: &str,
        public_authority: &str,
        trusted_proxies: Vec<ipnet::IpNet>,
        outbound_reach: Option<trame_app::outbound::Reach>,
    ) -> Self {
        let backends = Backends::new(backend).await;
        // Real time as the start, so tokens verified by third-party code
        // (openidconnect) are current; tests move it forward by hand.
        let clock = Arc::new(TestClock(AtomicI64::new(system_now())));
        let now = clock.now();
        let (tenant, user_id) = seed(&backends.store, "ville", issuer, now).await;
        let state = AppState::new(
            backends.store.clone(),
            backends.ephemeral.clone(),
            WebConfig {
                public_url: Issuer::parse(issuer).unwrap(),
                public_authority: public_authority.into(),
                trusted_proxies,
                outbound_reach,
                outbound_proxy: None,
                console_acr: "eidas2".into(),
                providers: Vec::new(),
                themes_dir: None,
            },
            Arc::new(OsRandom),
            clock.clone(),
        );
        state.catalog.refresh(&state.store, now).await.unwrap();
        let app = trame_web::app(state.clone());
        Self { backend, backends, state, app, clock, tenant, user_id }
    }

    /// What a node sees after its ephemeral store was lost: Redis restarted
    /// empty (this test's keys deleted), or, in process, a new empty map.
    pub async fn with_empty_ephemeral(self) -> Self {
        match &self.backends.redis {
            Some(redis) => {
                redis.clear().await;
                self
            }
            None => {
                let state = AppState::new(
                    self.state.store.clone(),
                    trame_store::Ephemeral::memory(),
                    (*self.state.config).clone(),
                    self.state.rng.clone(),
                    self.state.clock.clone(),
                );
                state.catalog.refresh(&state.store, self.clock.now()).await.unwrap();
                Self { app: trame_web::app(state.clone()), state, ..self }
            }
        }
    }

    /// The same installation with a themes folder (`themes_dir`).
    pub async fn with_themes(self, dir: &std::path::Path) -> Self {
        let mut config = (*self.state.config).clone();
        config.themes_dir = Some(dir.to_owned());
        let state = AppState::from_app(self.state.app().clone(), config);
        Self { app: trame_web::app(state.clone()), state, ..self }
    }

    pub async fn refresh_catalog(&self) {
        self.state.catalog.refresh(&self.state.store, self.clock.now()).await.unwrap();
    }

    pub fn browser(&self) -> Browser {
        Browser::new(self.app.clone(), HOST)
    }

    /// A request without cookies (a relying party's back channel).
    pub async fn send(&self, req: Request<Body>) -> Resp {
        send(&self.app, req).await
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)], auth: Option<(&str, &str)>) -> Resp {
        let mut b = Request::post(path).header(header::HOST, HOST).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some((id, secret)) = auth {
            b = b.header(header::AUTHORIZATION, basic(id, secret));
        }
        self.send(b.body(Body::from(encode(form))).unwrap()).await
    }

    /// A GET without cookies, with these headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut b = Request::get(path).header(header::HOST, HOST);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Request::get(path).header(header::HOST, HOST).body(Body::empty()).unwrap()).await
    }

    /// Token request authenticated as the basic client.
    pub async fn token_basic(&self, form: &[(&str, &str)]) -> Resp {
        self.post_form("/token", form, Some((BASIC_ID, BASIC_SECRET))).await
    }

    /// Signs alice in through a new browser for `client` and returns the
    /// code and the browser.
    pub async fn code_for(&self, params: &[(&str, &str)]) -> (String, Browser) {
        let mut b = self.browser();
        let redirect = b.sign_in(params, USERNAME, PASSWORD).await;
        let code = query_param(&redirect, "code").expect("a code in the redirect");
        (code, b)
    }

    /// The full code flow for the basic client; returns the token response.
    pub async fn tokens_basic(&self, scope: &str) -> Value {
        let (code, _) = self.code_for(&basic_params(scope)).await;
        let r = self.token_basic(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BASIC_REDIRECT), ("code_verifier", VERIFIER)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    pub async fn userinfo(&self, token: &str) -> Resp {
        self.send(Request::get("/userinfo").header(header::HOST, HOST).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap())
            .await
    }

    pub async fn introspect(&self, token: &str) -> Value {
        let r = self.post_form("/introspect", &[("token", token)], Some((BASIC_ID, BASIC_SECRET))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
}

/// Authorization parameters of the basic client with PKCE.
pub fn basic_params(scope: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("client_id", BASIC_ID),
        ("redirect_uri", BASIC_REDIRECT),
        ("response_type", "code"),
        ("scope", scope),
        ("state", "st-123"),
        ("nonce", "n-456"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

pub fn public_params() -> Vec<(&'static str, &'static str)> {
    vec![
        ("client_id", PUBLIC_ID),
        ("redirect_uri", PUBLIC_REDIRECT),
        ("response_type", "code"),
        ("scope", "openid"),
        ("state", "st-pub"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

pub fn with_param<'a>(mut p: Vec<(&'a str, &'a str)>, k: &'a str, v: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    p.retain(|(pk, _)| *pk != k);
    if let Some(v) = v {
        p.push((k, v));
    }
    p
}

pub fn encode(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

pub fn basic(id: &str, secret: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", enc(id), enc(secret))))
}

pub fn query_param(u: &str, name: &str) -> Option<String> {
    url::Url::parse(u).ok()?.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// A response, body read.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn location(&self) -> Option<String> {
        self.headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned())
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_owned())
    }
    pub fn is_html(&self) -> bool {
        self.header("content-type").is_some_and(|c| c.starts_with("text/html"))
    }
    /// The value of a hidden (or any) input by name.
    pub fn input(&self, name: &str) -> Option<String> {
        input_value(&self.body, name)
    }
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect()
    }
    /// Asserts an OAuth JSON error.
    #[track_caller]
    pub fn assert_oauth(&self, status: StatusCode, error: &str) {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(self.error(), error, "body: {}", self.body);
    }
    /// Asserts an HTML error page (never a redirect).
    #[track_caller]
    pub fn assert_page(&self, status: StatusCode) {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert!(self.location().is_none(), "unexpected redirect to {:?}", self.location());
        assert!(self.is_html(), "not an HTML page: {:?} {}", self.headers, self.body);
    }
    /// Asserts a redirect to `redirect_uri` carrying `error`, `state` and `iss`.
    #[track_caller]
    pub fn assert_redirect_error(&self, redirect_uri: &str, error: &str, state: Option<&str>) {
        assert_eq!(self.status, StatusCode::SEE_OTHER, "body: {}", self.body);
        let loc = self.location().unwrap();
        assert!(loc.starts_with(&format!("{redirect_uri}?")), "{loc}");
        assert_eq!(query_param(&loc, "error").as_deref(), Some(error), "{loc}");
        assert_eq!(query_param(&loc, "state").as_deref(), state, "{loc}");
        assert_eq!(query_param(&loc, "iss").as_deref(), Some(ISSUER), "{loc}");
        assert!(query_param(&loc, "code").is_none());
    }
}

pub fn unescape(v: &str) -> String {
    v.replace("&#x2f;", "/").replace("&#x27;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

pub fn input_value(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\"");
    for tag in html.split('<').filter(|t| t.starts_with("input") || t.starts_with("button")) {
        if tag.contains(&needle) {
            let v = tag.split("value=\"").nth(1)?.split('"').next()?;
            return Some(unescape(v));
        }
    }
    None
}

pub async fn send(app: &Router, mut req: Request<Body>) -> Resp {
    if req.extensions().get::<ConnectInfo<SocketAddr>>().is_none() {
        req.extensions_mut().insert(ConnectInfo(SocketAddr::from(([203, 0, 113, 7], 40000))));
    }
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec();
    assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "500: {}", String::from_utf8_lossy(&bytes));
    Resp { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes }
}

/// A browser over `oneshot` that keeps cookies (ignoring paths and
/// domains: one authority per browser).
pub struct Browser {
    app: Router,
    pub host: String,
    pub cookies: HashMap<String, String>,
    pub accept_language: Option<String>,
    pub peer: SocketAddr,
    /// Headers sent with every request besides the usual ones (`Origin`,
    /// `Sec-Fetch-Site`, a second `Cookie` line planted by another site).
    pub extra_headers: Vec<(&'static str, String)>,
}

/// A part of a `multipart/form-data` body.
pub enum Part<'a> {
    Text(&'a str),
    File { file_name: &'a str, content_type: &'a str, bytes: &'a [u8] },
}

impl Browser {
    pub fn new(app: Router, host: &str) -> Self {
        Self {
            app,
            host: host.into(),
            cookies: HashMap::new(),
            accept_language: None,
            peer: SocketAddr::from(([198, 51, 100, 1], 50000)),
            extra_headers: Vec::new(),
        }
    }

    /// Sends a request with this browser's Host, cookies and peer address;
    /// `target` is a path or an absolute URL on this browser's host.
    pub async fn request(&mut self, method: Method, target: &str, form: Option<String>) -> Resp {
        self.request_with(method, target, form.map(|f| ("application/x-www-form-urlencoded".to_owned(), f.into_bytes()))).await
    }

    async fn request_with(&mut self, method: Method, target: &str, body: Option<(String, Vec<u8>)>) -> Resp {
        let path = match url::Url::parse(target) {
            Ok(u) => {
                assert_eq!(u.authority(), self.host, "the browser stays on its host: {target}");
                match u.query() {
                    Some(q) => format!("{}?{q}", u.path()),
                    None => u.path().to_owned(),
                }
            }
            Err(_) => target.to_owned(),
        };
        let mut b = Request::builder().method(method).uri(path).header(header::HOST, &self.host);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            b = b.header(header::COOKIE, c.join("; "));
        }
        if let Some(l) = &self.accept_language {
            b = b.header(header::ACCEPT_LANGUAGE, l);
        }
        for (k, v) in &self.extra_headers {
            b = b.header(*k, v);
        }
        let body = match body {
            Some((content_type, f)) => {
                b = b.header(header::CONTENT_TYPE, content_type).header(header::CONTENT_LENGTH, f.len());
                Body::from(f)
            }
            None => Body::empty(),
        };
        let mut req = b.body(body).unwrap();
        req.extensions_mut().insert(ConnectInfo(self.peer));
        let r = send(&self.app, req).await;
        for c in r.set_cookies() {
            let first = c.split(';').next().unwrap();
            let (k, v) = first.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        r
    }

    pub async fn get(&mut self, target: &str) -> Resp {
        self.request(Method::GET, target, None).await
    }

    pub async fn post(&mut self, target: &str, form: &[(&str, &str)]) -> Resp {
        self.request(Method::POST, target, Some(encode(form))).await
    }

    /// POST with a JSON body, as the pages' script does.
    pub async fn post_json(&mut self, target: &str, body: &Value) -> Resp {
        self.request_with(Method::POST, target, Some(("application/json".to_owned(), body.to_string().into_bytes()))).await
    }

    /// POST `multipart/form-data`, as a form with a file field sends it
    /// (the parts in the order given).
    pub async fn post_multipart(&mut self, target: &str, parts: &[(&str, Part<'_>)]) -> Resp {
        const BOUNDARY: &str = "----trame-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, part) in parts {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match part {
                Part::Text(v) => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{v}").as_bytes()),
                Part::File { file_name, content_type, bytes } => {
                    let head = format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n");
                    body.extend_from_slice(head.as_bytes());
                    body.extend_from_slice(bytes);
                }
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        self.request_with(Method::POST, target, Some((format!("multipart/form-data; boundary={BOUNDARY}"), body))).await
    }

    pub async fn authorize(&mut self, params: &[(&str, &str)]) -> Resp {
        self.get(&format!("/authorize?{}", encode(params))).await
    }

    /// GET /authorize, expecting the redirect to the login page; returns
    /// the login page.
    pub async fn login_page(&mut self, params: &[(&str, &str)]) -> (String, Resp) {
        let r = self.authorize(params).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let loc = r.location().unwrap();
        assert!(loc.contains("/login?interaction="), "{loc}");
        let page = self.get(&loc).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        (loc, page)
    }

    /// Submits the login form of `page`.
    pub async fn submit_login(&mut self, page: &Resp, username: &str, password: &str) -> Resp {
        let ia = page.input("interaction").expect("interaction field");
        let csrf = page.input("csrf").expect("csrf field");
        self.post("/login", &[("interaction", &ia), ("csrf", &csrf), ("username", username), ("password", password)]).await
    }

    /// Follows redirects under the issuer, signing in and approving
    /// consent, until the response goes to the client; returns that URL.
    pub async fn follow(&mut self, mut r: Resp, username: &str, password: &str) -> String {
        for _ in 0..10 {
            if r.status == StatusCode::SEE_OTHER {
                let loc = r.location().unwrap();
                if url::Url::parse(&loc).unwrap().authority() != self.host {
                    return loc;
                }
                r = self.get(&loc).await;
                continue;
            }
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            if r.body.contains("name=\"password\"") {
                r = self.submit_login(&r, username, password).await;
            } else if r.body.contains("name=\"decision\"") {
                let ia = r.input("interaction").unwrap();
                let csrf = r.input("csrf").unwrap();
                r = self.post("/consent", &[("interaction", &ia), ("csrf", &csrf), ("decision", "approve")]).await;
            } else {
                panic!("unexpected page: {}", r.body);
            }
        }
        panic!("too many steps");
    }

    /// The whole sign-in; returns the URL the browser is sent to at the client.
    pub async fn sign_in(&mut self, params: &[(&str, &str)], username: &str, password: &str) -> String {
        let r = self.authorize(params).await;
        self.follow(r, username, password).await
    }

    pub fn cookie(&self, base: &str) -> Option<&String> {
        self.cookies.get(&format!("{base}_ville"))
    }
}

/// The header of a JWT, unverified.
pub fn jwt_header(jwt: &str) -> Value {
    let part = jwt.split('.').next().unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// The payload of a JWT, unverified.
pub fn jwt_claims(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// The Host header and path of `path` under `entity` (a tenant's issuer).
pub fn host_path(entity: &str, path: &str) -> (String, String) {
    let u = url::Url::parse(entity).unwrap();
    (u.host_str().unwrap().to_owned(), format!("{}{path}", u.path().trim_end_matches('/')))
}

/// A GET to another tenant than the test's, by its issuer.
pub async fn get_at(env: &Env, entity: &str, path_and_query: &str) -> Resp {
    let (host, path) = host_path(entity, path_and_query);
    env.send(Request::get(path).header(header::HOST, host).body(Body::empty()).unwrap()).await
}
