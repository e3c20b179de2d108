//! Runs the real `trame` binary: CLI commands and servers on free ports.
#![allow(dead_code)] // each test file uses a different part

pub mod services;

use std::collections::HashMap;
use std::io::Write;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use trame_testkit::{Backend, TempDir, TestDb, TestRedis};

pub const BIN: &str = env!("CARGO_BIN_EXE_trame");

/// One installation: a data directory, a database and (for PostgreSQL) a
/// Redis prefix, shared by every command and server started from it.
pub struct Install {
    pub dir: TempDir,
    pub db: Option<TestDb>,
    pub redis: Option<TestRedis>,
    pub public_url: String,
    pub port: u16,
    pub extra_env: HashMap<String, String>,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Install {
    /// The zero-configuration installation: SQLite under the data directory.
    pub fn embedded() -> Self {
        let port = free_port();
        Self { dir: TempDir::new("trame-server-test"), db: None, redis: None, public_url: format!("http://localhost:{port}"), port, extra_env: HashMap::new() }
    }

    /// PostgreSQL and Redis.
    pub async fn scaled_out() -> Self {
        let mut i = Self::embedded();
        i.db = Some(TestDb::new(Backend::Postgres).await);
        i.redis = Some(TestRedis::new());
        i
    }

    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("TRAME_DATA_DIR".to_owned(), self.dir.path.join("data").display().to_string()),
            ("TRAME_PUBLIC_URL".to_owned(), self.public_url.clone()),
            ("TRAME_LISTEN".to_owned(), format!("127.0.0.1:{}", self.port)),
            ("TRAME_LOG_FORMAT".to_owned(), "text".to_owned()),
        ];
        if let Some(db) = &self.db {
            env.push(("TRAME_DATABASE_URL".to_owned(), db.url.clone()));
        }
        if let Some(r) = &self.redis {
            env.push(("TRAME_REDIS_URL".to_owned(), r.url.clone()));
            env.push(("TRAME_REDIS_PREFIX".to_owned(), r.prefix.clone()));
        }
        env.extend(self.extra_env.iter().map(|(k, v)| (k.clone(), v.clone())));
        env
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args).current_dir(&self.dir.path).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
        for (k, v) in self.env() {
            c.env(k, v);
        }
        c
    }

    /// Runs a CLI command with `stdin` as its standard input.
    pub fn cli_with_input(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self.command(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run trame");
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    pub fn cli(&self, args: &[&str]) -> Output {
        self.cli_with_input(args, "")
    }

    /// Runs a CLI command that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_with_input(args, "")
    }

    pub fn ok_with_input(&self, args: &[&str], stdin: &str) -> String {
        let out = self.cli_with_input(args, stdin);
        assert!(out.status.success(), "trame {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Starts `trame serve` on `port` and waits until it answers.
    pub async fn serve_on(&self, port: u16) -> Server {
        let mut cmd = self.command(&["serve"]);
        cmd.env("TRAME_LISTEN", format!("127.0.0.1:{port}"));
        let log = self.dir.path.join(format!("server-{port}.log"));
        let file = std::fs::File::create(&log).unwrap();
        let child = cmd.stdout(Stdio::null()).stderr(file).spawn().expect("start trame serve");
        let server = Server { child: Some(child), port, log };
        server.wait_healthy().await;
        server
    }

    pub async fn serve(&self) -> Server {
        self.serve_on(self.port).await
    }
}

pub struct Server {
    child: Option<Child>,
    pub port: u16,
    pub log: std::path::PathBuf,
}

impl Server {
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_healthy(&self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(r) = client.get(format!("{}/_trame/health", self.base())).send().await
                && r.status().is_success()
            {
                return;
            }
            assert!(Instant::now() < deadline, "trame serve did not start; log:\n{}", self.log_text());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let (mut child, deadline) = self.send_sigterm();
        loop {
            if let Some(status) = exited(&mut child, deadline) {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGTERM; the child and the time by which it must have exited.
    fn send_sigterm(&mut self) -> (Child, Instant) {
        let child = self.child.take().unwrap();
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        (child, Instant::now() + Duration::from_secs(25))
    }
}

/// The exit status once `child` has exited; past `deadline` it is killed
/// and the test fails.
fn exited(child: &mut Child, deadline: Instant) -> Option<std::process::ExitStatus> {
    if let Some(status) = child.try_wait().unwrap() {
        return Some(status);
    }
    if Instant::now() > deadline {
        let _ = child.kill();
        panic!("trame serve did not stop within 25 s of SIGTERM");
    }
    None
}

impl Server {
    /// Sends SIGTERM and waits for the exit without blocking the runtime,
    /// so that tasks sending load meanwhile keep running.
    pub async fn sigterm(&mut self) -> std::process::ExitStatus {
        let (mut child, deadline) = self.send_sigterm();
        loop {
            if let Some(status) = exited(&mut child, deadline) {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The `client_secret: …` line printed by `trame client add`.
pub fn secret_of(out: &str) -> String {
    out.lines().find_map(|l| l.strip_prefix("client_secret: ")).expect("client add prints the secret").to_owned()
}

/// The value of `<input … name="NAME" … value="VALUE">` in a page.
pub fn hidden(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let v = tag.split("value=\"").nth(1)?;
    Some(v[..v.find('"')?].replace("&amp;", "&"))
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The PKCE pair of RFC 7636 appendix B (verifier, S256 challenge): an
/// independent reference value rather than one computed by our own code.
pub const PKCE_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const PKCE_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// Drives authorize → sign-in → consent, sending each step to the next node
/// in `nodes` (round robin), and returns the authorization code.
pub async fn sign_in_across(
    nodes: &[String],
    public_url: &str,
    client: &reqwest::Client,
    client_id: &str,
    redirect_uri: &str,
    username: &str,
    password: &str,
) -> String {
    let mut url = format!(
        "{}/authorize?response_type=code&client_id={client_id}&redirect_uri={}&scope=openid%20profile%20offline_access&state=st-1&nonce=n-1&code_challenge={PKCE_CHALLENGE}&code_challenge_method=S256",
        nodes[0],
        urlencode(redirect_uri)
    );
    for step in 0..12 {
        let node = &nodes[step % nodes.len()];
        let url_here = url.replacen(public_url, node, 1).replacen(&nodes[0], node, 1);
        let res = client.get(&url_here).send().await.unwrap();
        let status = res.status();
        if status.is_redirection() {
            let loc = res.headers()["location"].to_str().unwrap().to_owned();
            if loc.starts_with(redirect_uri) {
                assert!(loc.contains("state=st-1"), "{loc}");
                let code = loc.split("code=").nth(1).unwrap().split('&').next().unwrap();
                return code.to_owned();
            }
            url = if loc.starts_with('/') { format!("{node}{loc}") } else { loc };
            continue;
        }
        let html = res.text().await.unwrap();
        assert_eq!(status, 200, "step {step} at {url_here}: {html}");
        let mut form = vec![
            ("interaction".to_owned(), hidden(&html, "interaction").expect("interaction field")),
            ("csrf".to_owned(), hidden(&html, "csrf").expect("csrf field")),
        ];
        if html.contains("name=\"password\"") {
            form.push(("username".into(), username.into()));
            form.push(("password".into(), password.into()));
        } else {
            form.push(("decision".into(), "approve".into()));
        }
        // The form posts to its own URL; the next node receives it.
        let post_node = &nodes[(step + 1) % nodes.len()];
        let post_url = url_here.replacen(node, post_node, 1);
        let res = client.post(&post_url).form(&form).send().await.unwrap();
        assert!(res.status().is_redirection(), "step {step}: POST {post_url} gave {}", res.status());
        let loc = res.headers()["location"].to_str().unwrap().to_owned();
        if loc.starts_with(redirect_uri) {
            let code = loc.split("code=").nth(1).unwrap().split('&').next().unwrap();
            return code.to_owned();
        }
        url = if loc.starts_with('/') { format!("{post_node}{loc}") } else { loc };
    }
    panic!("the sign-in did not reach the redirect URI");
}

pub fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

impl Install {
    /// Starts `trame serve` with the TLS settings in `extra_env` and waits
    /// until the TLS listener accepts connections.
    pub async fn serve_tls(&self) -> Server {
        let mut cmd = self.command(&["serve"]);
        let log = self.dir.path.join("server-tls.log");
        let file = std::fs::File::create(&log).unwrap();
        let child = cmd.stdout(Stdio::null()).stderr(file).spawn().expect("start trame serve");
        let server = Server { child: Some(child), port: self.port, log };
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "TLS server did not start:\n{}", server.log_text());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }
}

pub use trame_testkit::tls::TestCa;

impl Install {
    /// Serves HTTPS on `https://localhost:<port>` with a certificate from
    /// `ca`; every command and server of this install trusts `ca` for its
    /// own outbound requests (OpenSSL reads SSL_CERT_FILE).
    pub fn use_tls(&mut self, ca: &TestCa) {
        self.public_url = format!("https://localhost:{}", self.port);
        let (cert, key, _) = ca.leaf("localhost");
        let (cert_file, key_file, ca_file) = (self.dir.path.join("cert.pem"), self.dir.path.join("key.pem"), self.dir.path.join("ca.pem"));
        std::fs::write(&cert_file, cert).unwrap();
        std::fs::write(&key_file, key).unwrap();
        std::fs::write(&ca_file, &ca.pem).unwrap();
        self.extra_env.insert("TRAME_TLS_CERT_FILE".into(), cert_file.display().to_string());
        self.extra_env.insert("TRAME_TLS_KEY_FILE".into(), key_file.display().to_string());
        self.extra_env.insert("SSL_CERT_FILE".into(), ca_file.display().to_string());
    }
}

/// An HTTP client that trusts `ca`.
pub fn http_trusting(ca: &TestCa) -> reqwest::Client {
    reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(ca.pem.as_bytes()).unwrap()).build().unwrap()
}
