//! Private service processes for tests that take them away: a Redis
//! server, a PostgreSQL cluster and an nginx reverse proxy, each on a free
//! port in a temporary directory, each stopped by its guard's `Drop` (so a
//! failed assertion does not leave them running). The shared PostgreSQL
//! and Redis of the test suite are never stopped.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use trame_testkit::TempDir;

use super::free_port;

/// Waits until something accepts TCP connections on `port`.
async fn wait_listening(port: u16, what: &str, log: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start on port {port}:\n{}", std::fs::read_to_string(log).unwrap_or_default());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits (without blocking the runtime) for `child` to exit.
async fn wait_exit(child: &mut Child, limit: Duration, what: &str) {
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what} did not stop within {limit:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A `redis-server` of its own, without persistence: a restart comes back
/// empty, the worst case for Trame.
pub struct PrivateRedis {
    pub port: u16,
    dir: TempDir,
    child: Option<Child>,
}

impl PrivateRedis {
    pub async fn start() -> Self {
        let mut r = Self::reserved();
        r.restart().await;
        r
    }

    /// A port for a Redis not started yet (`restart` starts it): nothing
    /// listens there until then.
    pub fn reserved() -> Self {
        Self { port: free_port(), dir: TempDir::new("trame-redis"), child: None }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Starts the server again on the same port (after `stop`).
    pub async fn restart(&mut self) {
        assert!(self.child.is_none(), "already running");
        let log = self.dir.path.join("redis.log");
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir"])
            .arg(&self.dir.path)
            .args(["--logfile"])
            .arg(&log)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is needed by this test (Debian package redis-server)");
        self.child = Some(child);
        wait_listening(self.port, "redis-server", &log).await;
    }

    /// Stops the server (SIGTERM; nothing is saved).
    pub async fn stop(&mut self) {
        let mut child = self.child.take().expect("running");
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        wait_exit(&mut child, Duration::from_secs(10), "redis-server").await;
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A PostgreSQL cluster of its own (`initdb` + `pg_ctl`), trust
/// authentication on 127.0.0.1. PostgreSQL refuses to run as root: then
/// the cluster belongs to the `postgres` user and the commands run as it.
pub struct PrivatePostgres {
    pub port: u16,
    dir: TempDir,
    bin: std::path::PathBuf,
    as_postgres: bool,
    running: bool,
}

impl PrivatePostgres {
    pub async fn start() -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL server binaries are needed by this test (/usr/lib/postgresql/*/bin)")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|p| p.join("initdb").exists())
            .max()
            .expect("no initdb under /usr/lib/postgresql/*/bin");
        let uid = Command::new("id").arg("-u").output().expect("id -u");
        let as_postgres = String::from_utf8_lossy(&uid.stdout).trim() == "0";
        let dir = TempDir::new("trame-pg");
        if as_postgres {
            assert!(Command::new("chown").args(["postgres:postgres"]).arg(&dir.path).status().unwrap().success(), "chown the cluster directory to postgres");
        }
        let pg = Self { port: free_port(), dir, bin, as_postgres, running: false };
        let data = pg.data();
        let out = pg.command("initdb").args(["--auth=trust", "--username=postgres", "--no-sync", "--encoding=UTF8", "-D", &data]).output().expect("run initdb");
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        let mut pg = pg;
        pg.restart().await;
        pg
    }

    fn data(&self) -> String {
        self.dir.path.join("data").display().to_string()
    }

    fn command(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl start`, on the same port as before.
    pub async fn restart(&mut self) {
        let options = format!("-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c full_page_writes=off", self.port, self.dir.path.display());
        let log = self.dir.path.join("postgres.log");
        let out = self
            .command("pg_ctl")
            .args(["start", "-w", "-t", "30", "-D", &self.data(), "-l"])
            .arg(&log)
            .args(["-o", &options])
            .output()
            .expect("run pg_ctl start");
        assert!(out.status.success(), "pg_ctl start failed: {}\n{}", String::from_utf8_lossy(&out.stderr), std::fs::read_to_string(&log).unwrap_or_default());
        self.running = true;
        wait_listening(self.port, "PostgreSQL", &log).await;
    }

    /// `pg_ctl stop -m fast`: sessions are cut, as in a failover.
    pub async fn stop(&mut self) {
        let mut c = self.command("pg_ctl");
        c.args(["stop", "-w", "-m", "fast", "-D", &self.data()]);
        let out = tokio::task::spawn_blocking(move || c.output()).await.unwrap().expect("run pg_ctl stop");
        assert!(out.status.success(), "pg_ctl stop failed: {}", String::from_utf8_lossy(&out.stderr));
        self.running = false;
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        if self.running {
            let _ = self.command("pg_ctl").args(["stop", "-w", "-m", "immediate", "-D", &self.data()]).output();
        }
    }
}

/// Debian's nginx as a reverse proxy in front of Trame nodes, in the
/// foreground as a single process (`master_process off`), so the child is
/// the whole proxy and killing it leaves nothing behind.
pub struct Nginx {
    pub port: u16,
    pub dir: TempDir,
    child: Option<Child>,
}

impl Nginx {
    /// Round robin over `upstreams` (ports on 127.0.0.1). A refused
    /// connection, a connect timeout or a connection the node closed or
    /// reset before answering moves the request to the next node, and the
    /// failed node is left out for a second.
    ///
    /// `non_idempotent`: without it nginx moves only GETs once a request
    /// has been written, and a rolling restart failed POSTs (/token,
    /// /introspect) with 502: a node that stops closes the connections it
    /// accepted but had not read a request from yet ("upstream prematurely
    /// closed"), and the kernel resets those still in its accept queue
    /// ("connection reset by peer"). In both cases Trame never saw the
    /// request. nginx cannot tell them from a node that died while handling
    /// one; for Trame such a duplicate is harmless or does what the
    /// client's own retry would do (a second code or refresh-token use
    /// revokes the grant, a second wrong password counts twice). See
    /// ops/README.md, rolling restart.
    pub async fn start(upstreams: &[u16]) -> Self {
        let port = free_port();
        let dir = TempDir::new("trame-nginx");
        let d = dir.path.display();
        let servers: String = upstreams.iter().map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=1s;\n")).collect();
        let conf = format!(
            r#"daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  log_format upstream '$status $request_method $uri | $upstream_status | $upstream_addr';
  access_log {d}/access.log upstream;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  upstream trame {{
{servers}  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://trame;
      proxy_next_upstream error timeout non_idempotent;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
"#
        );
        let conf_file = dir.path.join("nginx.conf");
        std::fs::write(&conf_file, conf).unwrap();
        let log = dir.path.join("error.log");
        let child = Command::new("nginx")
            .arg("-p")
            .arg(&dir.path)
            .arg("-c")
            .arg(&conf_file)
            .arg("-e")
            .arg(&log)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx is needed by this test (Debian package nginx)");
        let n = Self { port, dir, child: Some(child) };
        wait_listening(port, "nginx", &log).await;
        n
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many requests nginx passed to each upstream address (the last
    /// one tried, for a request moved to another node), and how many were
    /// moved to another node after an error.
    pub fn requests_per_upstream(&self) -> (std::collections::BTreeMap<String, usize>, usize) {
        let log = std::fs::read_to_string(self.dir.path.join("access.log")).unwrap_or_default();
        let mut m = std::collections::BTreeMap::new();
        let mut moved = 0;
        for line in log.lines() {
            let Some(addrs) = line.rsplit(" | ").next() else { continue };
            moved += usize::from(addrs.contains(", "));
            let last = addrs.rsplit(", ").next().unwrap_or(addrs).to_owned();
            *m.entry(last).or_insert(0) += 1;
        }
        (m, moved)
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path.join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
