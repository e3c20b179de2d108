//! A throw-away certificate authority for tests that speak TLS (the
//! server's own HTTPS, a test LDAP directory).

/// A certificate authority made for one test, trusted by its clients.
pub struct TestCa {
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    pub pem: String,
}

impl Default for TestCa {
    fn default() -> Self {
        Self::new()
    }
}

impl TestCa {
    pub fn new() -> Self {
        let key = rcgen::KeyPair::generate().expect("a CA key");
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        // rcgen's default subject is the same for every certificate; a leaf
        // whose issuer equals its subject would look self-signed.
        params.distinguished_name.push(rcgen::DnType::CommonName, "Trame test CA");
        let cert = params.self_signed(&key).expect("the CA certificate");
        Self { pem: cert.pem(), issuer: rcgen::Issuer::new(params, key) }
    }

    /// A server certificate for these names (DNS names or IP addresses),
    /// the first its common name: (certificate PEM, key PEM, DER).
    pub fn leaf_for(&self, names: &[&str]) -> (String, String, Vec<u8>) {
        let key = rcgen::KeyPair::generate().expect("a server key");
        let mut params = rcgen::CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).expect("server parameters");
        params.distinguished_name.push(rcgen::DnType::CommonName, names[0]);
        let cert = params.signed_by(&key, &self.issuer).expect("the server certificate");
        (cert.pem(), key.serialize_pem(), cert.der().to_vec())
    }

    /// A server certificate for `name`: (certificate PEM, key PEM, DER).
    pub fn leaf(&self, name: &str) -> (String, String, Vec<u8>) {
        self.leaf_for(&[name])
    }
}
