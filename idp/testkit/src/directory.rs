//! A real OpenLDAP server for a test: Debian's `slapd`, started with its own
//! configuration, data and TLS certificates (a test CA made here), on two
//! free ports: `ldap://` (StartTLS) and `ldaps://`. It stops when the value
//! is dropped.
//!
//! The data is a small mairie: agents under `ou=people`, one of them
//! locked by ppolicy's `pwdAccountLockedTime`, a service account Trame
//! binds as, and a group.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BASE_DN: &str = "ou=people,dc=mairie,dc=test";
pub const SERVICE_DN: &str = "cn=trame,ou=services,dc=mairie,dc=test";
pub const SERVICE_PASSWORD: &str = "service-account-secret";
const ROOT_DN: &str = "cn=admin,dc=mairie,dc=test";
const ROOT_PASSWORD: &str = "root-secret";

/// An agent of the test directory.
pub struct Agent {
    pub uid: &'static str,
    pub password: &'static str,
    pub given_name: &'static str,
    pub family_name: &'static str,
    pub email: &'static str,
}

/// Active, with a full profile.
pub const JEANNE: Agent =
    Agent { uid: "jdupont", password: "agent-password-1", given_name: "Jeanne", family_name: "Dupont", email: "jeanne.dupont@mairie.test" };
/// Active; another agent whose name a filter injection would aim at.
pub const PAUL: Agent = Agent { uid: "pmartin", password: "agent-password-2", given_name: "Paul", family_name: "Martin", email: "paul.martin@mairie.test" };
/// Locked by ppolicy (`pwdAccountLockedTime`): the directory's "disabled".
pub const LOCKED: Agent = Agent { uid: "locked", password: "agent-password-3", given_name: "Lou", family_name: "Verrou", email: "lou.verrou@mairie.test" };

pub struct TestDirectory {
    child: Child,
    dir: PathBuf,
    /// `ldap://127.0.0.1:<port>`: StartTLS.
    pub ldap_url: String,
    /// `ldaps://127.0.0.1:<port>`.
    pub ldaps_url: String,
    /// The test CA's certificate (PEM): what `--ca-file` names.
    pub ca_pem: String,
    pub ca_file: PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("its address").port()
}

fn entry(a: &Agent, extra: &str) -> String {
    format!(
        "dn: uid={uid},{BASE_DN}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {g} {f}\ngivenName: {g}\nsn: {f}\nmail: {m}\nuserPassword: {p}\n{extra}\n",
        uid = a.uid,
        g = a.given_name,
        f = a.family_name,
        m = a.email,
        p = a.password
    )
}

fn data() -> String {
    let mut ldif = String::from(
        "dn: dc=mairie,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: Mairie\ndc: mairie\n\n\
         dn: ou=people,dc=mairie,dc=test\nobjectClass: organizationalUnit\nou: people\n\n\
         dn: ou=services,dc=mairie,dc=test\nobjectClass: organizationalUnit\nou: services\n\n\
         dn: ou=groups,dc=mairie,dc=test\nobjectClass: organizationalUnit\nou: groups\n\n",
    );
    ldif.push_str(&format!("dn: {SERVICE_DN}\nobjectClass: person\ncn: trame\nsn: service\nuserPassword: {SERVICE_PASSWORD}\n\n"));
    ldif.push_str(&entry(&JEANNE, ""));
    ldif.push('\n');
    ldif.push_str(&entry(&PAUL, ""));
    ldif.push('\n');
    ldif.push_str(&entry(&LOCKED, "pwdAccountLockedTime: 000001010000Z\n"));
    ldif.push('\n');
    ldif.push_str(&format!("dn: cn=dsi,ou=groups,dc=mairie,dc=test\nobjectClass: groupOfNames\ncn: dsi\nmember: uid={},{BASE_DN}\n", JEANNE.uid));
    ldif
}

fn config(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "include /etc/ldap/schema/core.schema\n\
         include /etc/ldap/schema/cosine.schema\n\
         include /etc/ldap/schema/inetorgperson.schema\n\
         modulepath /usr/lib/ldap\n\
         moduleload back_mdb\n\
         moduleload ppolicy\n\
         pidfile {d}/slapd.pid\n\
         TLSCACertificateFile {d}/ca.pem\n\
         TLSCertificateFile {d}/server.pem\n\
         TLSCertificateKeyFile {d}/server.key\n\
         database mdb\n\
         suffix \"dc=mairie,dc=test\"\n\
         rootdn \"{ROOT_DN}\"\n\
         rootpw {ROOT_PASSWORD}\n\
         directory {d}/db\n\
         overlay ppolicy\n\
         access to attrs=userPassword by anonymous auth by self write by * none\n\
         access to * by users read by * none\n"
    )
}

impl TestDirectory {
    /// Starts a fresh server; panics with what to install when `slapd` is
    /// missing.
    pub fn start() -> Self {
        let (plain, tls) = (free_port(), free_port());
        // Named by its ports: unique while the server runs.
        let dir = std::env::temp_dir().join(format!("trame-slapd-{plain}-{tls}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("db")).expect("a directory for slapd");
        let ca = crate::tls::TestCa::new();
        let (cert, key, _) = ca.leaf_for(&["localhost", "127.0.0.1"]);
        let ca = ca.pem;
        std::fs::write(dir.join("ca.pem"), &ca).unwrap();
        std::fs::write(dir.join("server.pem"), cert).unwrap();
        std::fs::write(dir.join("server.key"), key).unwrap();
        std::fs::write(dir.join("slapd.conf"), config(&dir)).unwrap();
        std::fs::write(dir.join("data.ldif"), data()).unwrap();
        let conf = dir.join("slapd.conf");
        let loaded = Command::new("/usr/sbin/slapadd")
            .arg("-f")
            .arg(&conf)
            .arg("-l")
            .arg(dir.join("data.ldif"))
            .output()
            .expect("slapadd (Debian package slapd) must be installed");
        assert!(loaded.status.success(), "slapadd: {}", String::from_utf8_lossy(&loaded.stderr));
        let ldap_url = format!("ldap://127.0.0.1:{plain}");
        let ldaps_url = format!("ldaps://127.0.0.1:{tls}");
        // -d 0: in the foreground, so the test owns the process.
        let child = Command::new("/usr/sbin/slapd")
            .arg("-d")
            .arg("0")
            .arg("-f")
            .arg(&conf)
            .arg("-h")
            .arg(format!("{ldap_url}/ {ldaps_url}/"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("slapd (Debian package slapd) must be installed");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", plain)).is_err() || TcpStream::connect(("127.0.0.1", tls)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "slapd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, ca_file: dir.join("ca.pem"), dir, ldap_url, ldaps_url, ca_pem: ca }
    }

    /// Applies an LDIF change as the directory's administrator.
    pub fn modify(&self, ldif: &str) {
        let path = self.dir.join("change.ldif");
        std::fs::write(&path, ldif).unwrap();
        let out = Command::new("ldapmodify")
            .args(["-x", "-H", &self.ldap_url, "-D", ROOT_DN, "-w", ROOT_PASSWORD, "-f"])
            .arg(&path)
            .output()
            .expect("ldapmodify (Debian package ldap-utils) must be installed");
        assert!(out.status.success(), "ldapmodify: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Locks an agent as an administrator would (ppolicy).
    pub fn lock(&self, uid: &str) {
        self.modify(&format!("dn: uid={uid},{BASE_DN}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n"));
    }

    /// Deletes an agent's entry.
    pub fn delete(&self, uid: &str) {
        self.modify(&format!("dn: uid={uid},{BASE_DN}\nchangetype: delete\n"));
    }

    /// Changes one attribute of an agent's entry.
    pub fn replace(&self, uid: &str, attribute: &str, value: &str) {
        self.modify(&format!("dn: uid={uid},{BASE_DN}\nchangetype: modify\nreplace: {attribute}\n{attribute}: {value}\n"));
    }
}

impl Drop for TestDirectory {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
