//! Which addresses outbound requests may reach. A registration (open to
//! anyone on some tenants) names URLs that Trame then fetches or posts to:
//! without a rule, that is a way to make the server call the operator's
//! internal network (server-side request forgery). In production only
//! public addresses are reached; a development tenant on localhost also
//! reaches loopback and private addresses, where its test relying parties
//! live.
//!
//! The reach is decided per tenant, from its own issuer ([`for_issuer`]):
//! an installation whose public URL is localhost may still hold tenants
//! with public issuers, and those must not reach the private network. The
//! `outbound_reach` setting, when given, applies to every tenant.
//!
//! Names are checked after resolution, in the resolver, so a name that
//! resolves to a private address is refused whatever it looks like; URLs
//! with an address instead of a name never meet the resolver and are
//! checked by [`check_url`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use trame_settings::outbound::Reach;

/// Whether an issuer is on this machine (`localhost`, `*.localhost`, a
/// loopback address): a development tenant.
pub fn is_local_issuer(issuer: &str) -> bool {
    match url::Url::parse(issuer).ok().as_ref().and_then(url::Url::host) {
        Some(url::Host::Domain(d)) => {
            let d = d.to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The reach of a tenant: the `outbound_reach` setting when it is given,
/// otherwise [`Reach::Anywhere`] for a development tenant (its issuer on
/// localhost) and [`Reach::PublicOnly`] for every other.
pub fn for_issuer(setting: Option<Reach>, issuer: &str) -> Reach {
    match setting {
        Some(r) => r,
        None if is_local_issuer(issuer) => Reach::Anywhere,
        None => Reach::PublicOnly,
    }
}

/// The policy in words, for the start-up log and `check-config`.
pub fn describe_policy(setting: Option<Reach>) -> &'static str {
    match setting {
        None => "per tenant: tenants whose issuer is on localhost reach any address, all others public addresses only",
        Some(Reach::PublicOnly) => "public: every tenant reaches public addresses only",
        Some(Reach::Anywhere) => "any: every tenant reaches any address, private networks included",
    }
}

/// A destination outside the installation's reach.
#[derive(Debug, thiserror::Error)]
#[error("the destination address is not public")]
pub struct NotPublic;

fn v4_is_public(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space, RFC 6598
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking, RFC 2544
        || a >= 240) // reserved
}

fn v6_is_public(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_is_public(v4);
    }
    let s = ip.segments();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local, fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local, fe80::/10
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x0064 && s[1] == 0xff9b) // NAT64: would reach an IPv4 address unchecked
        || (s[0] == 0x2002)) // 6to4: the same
}

/// True for globally routable addresses.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_is_public(v4),
        IpAddr::V6(v6) => v6_is_public(v6),
    }
}

/// Checks a URL whose host is an address literal (names are checked by
/// [`PublicResolver`] once resolved).
pub fn check_url(url: &str, reach: Reach) -> Result<(), NotPublic> {
    if reach == Reach::Anywhere {
        return Ok(());
    }
    let host = url::Url::parse(url).ok().and_then(|u| match u.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    });
    match host {
        Some(ip) if !is_public(ip) => Err(NotPublic),
        _ => Ok(()),
    }
}

/// A resolver that keeps the public addresses of a name and fails when
/// there are none.
pub struct PublicResolver;

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.filter(|a| is_public(a.ip())).collect();
            if addrs.is_empty() {
                return Err(Box::new(NotPublic) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_globally_routable_addresses_are_public() {
        for a in ["93.184.216.34", "2a00:1450:4007:80b::200e", "1.1.1.1", "::ffff:93.184.216.34"] {
            assert!(is_public(a.parse().unwrap()), "{a}");
        }
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "2001:db8::1",
            "64:ff9b::a9fe:a9fe",
            "2002:a9fe:a9fe::1",
            "ff02::1",
        ] {
            assert!(!is_public(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn address_literals_are_checked_names_are_left_to_the_resolver() {
        assert!(check_url("http://169.254.169.254/latest/meta-data", Reach::PublicOnly).is_err());
        assert!(check_url("https://[::1]:8443/jwks", Reach::PublicOnly).is_err());
        assert!(check_url("https://10.0.0.5/jwks", Reach::PublicOnly).is_err());
        assert!(check_url("https://93.184.216.34/jwks", Reach::PublicOnly).is_ok());
        assert!(check_url("https://rp.example.fr/jwks", Reach::PublicOnly).is_ok());
        assert!(check_url("http://127.0.0.1:9/jwks", Reach::Anywhere).is_ok());
    }

    #[test]
    fn the_reach_of_a_tenant_follows_its_own_issuer_unless_set() {
        for local in ["http://localhost:8080", "http://app.localhost", "http://127.0.0.1:8080/t/a", "http://[::1]:8080", "http://LOCALHOST"] {
            assert_eq!(for_issuer(None, local), Reach::Anywhere, "{local}");
        }
        for public in ["https://login.ville.fr", "https://login.ville.fr/t/localhost", "https://localhost.ville.fr", "http://10.0.0.1", "not a url"] {
            assert_eq!(for_issuer(None, public), Reach::PublicOnly, "{public}");
        }
        assert_eq!(for_issuer(Some(Reach::PublicOnly), "http://localhost:8080"), Reach::PublicOnly);
        assert_eq!(for_issuer(Some(Reach::Anywhere), "https://login.ville.fr"), Reach::Anywhere);
    }

    #[tokio::test]
    async fn the_resolver_refuses_names_of_private_addresses() {
        use reqwest::dns::Resolve as _;
        let name: reqwest::dns::Name = "localhost".parse().unwrap();
        assert!(PublicResolver.resolve(name).await.is_err());
    }
}
