//! Which tenant a request is for, by authority and issuer path prefix.
//!
//! A lookup hashes the request path's prefixes at segment boundaries,
//! longest first, so it costs O(path segments) whatever the number of
//! tenants: with 10,000 path-prefixed tenants on one authority, a linear
//! scan made every request 78 times slower (ops/bench/report.md).

use std::collections::HashMap;

/// authority (lowercase `host[:port]`) → issuer path prefix (no trailing
/// slash, "" for a host-only issuer) → entry.
pub(super) struct TenantIndex<T> {
    by_authority: HashMap<String, HashMap<String, T>>,
}

impl<T> Default for TenantIndex<T> {
    fn default() -> Self {
        Self { by_authority: HashMap::new() }
    }
}

impl<T> TenantIndex<T> {
    /// Adds an entry; the first one for an (authority, prefix) pair stays.
    pub(super) fn insert(&mut self, authority: String, prefix: String, entry: T) {
        self.by_authority.entry(authority).or_default().entry(prefix).or_insert(entry);
    }

    pub(super) fn len(&self) -> usize {
        self.by_authority.values().map(HashMap::len).sum()
    }

    /// The entries claiming this authority (or, if none does, those on the
    /// public authority), then the longest prefix of `path` that ends at a
    /// segment boundary. Returns the entry and the path left after its
    /// prefix ("/" when nothing is left).
    pub(super) fn resolve(&self, authority: &str, public_authority: &str, path: &str) -> Option<(&T, String)> {
        // Hosts arrive lowercased already (`effective_host`): no copy then.
        let authority: std::borrow::Cow<'_, str> =
            if authority.bytes().any(|b| b.is_ascii_uppercase()) { authority.to_ascii_lowercase().into() } else { authority.into() };
        let prefixes = self.by_authority.get(authority.as_ref()).or_else(|| self.by_authority.get(public_authority))?;
        // The whole path first, then every cut just before a '/', longest
        // first: exactly the prefixes after which the rest is empty or
        // starts with '/'.
        let cuts = std::iter::once(path.len()).chain(path.match_indices('/').map(|(i, _)| i).rev());
        cuts.filter_map(|i| {
            let (prefix, rest) = path.split_at(i);
            let entry = prefixes.get(prefix)?;
            Some((entry, if rest.is_empty() { "/".to_owned() } else { rest.to_owned() }))
        })
        .next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TenantIndex<&'static str> {
        let mut i = TenantIndex::default();
        i.insert("localhost:8080".into(), "/ville".into(), "ville");
        i.insert("localhost:8080".into(), "/ville-b".into(), "ville-b");
        i.insert("localhost:8080".into(), "/ville/quartier".into(), "quartier");
        i.insert("login.ville.fr".into(), "".into(), "host");
        i.insert("deep.example".into(), "/a//b".into(), "double-slash");
        i
    }

    fn resolve(i: &TenantIndex<&'static str>, authority: &str, path: &str) -> Option<(&'static str, String)> {
        i.resolve(authority, "localhost:8080", path).map(|(e, rest)| (*e, rest))
    }

    #[test]
    fn longest_prefix_at_a_segment_boundary() {
        let i = index();
        assert_eq!(resolve(&i, "localhost:8080", "/ville/jwks"), Some(("ville", "/jwks".into())));
        assert_eq!(resolve(&i, "localhost:8080", "/ville"), Some(("ville", "/".into())));
        assert_eq!(resolve(&i, "localhost:8080", "/ville/"), Some(("ville", "/".into())));
        assert_eq!(resolve(&i, "localhost:8080", "/ville-b/token"), Some(("ville-b", "/token".into())));
        assert_eq!(resolve(&i, "localhost:8080", "/ville/quartier/jwks"), Some(("quartier", "/jwks".into())));
        assert_eq!(resolve(&i, "localhost:8080", "/ville/quartiers/jwks"), Some(("ville", "/quartiers/jwks".into())));
        // Not at a segment boundary, or no tenant at all.
        assert_eq!(resolve(&i, "localhost:8080", "/villex/jwks"), None);
        assert_eq!(resolve(&i, "localhost:8080", "/jwks"), None);
        assert_eq!(resolve(&i, "localhost:8080", "/"), None);
        assert_eq!(resolve(&i, "deep.example", "/a//b/jwks"), Some(("double-slash", "/jwks".into())));
        assert_eq!(resolve(&i, "deep.example", "/a/b/jwks"), None);
    }

    #[test]
    fn host_tenants_and_the_public_authority_fallback() {
        let i = index();
        assert_eq!(resolve(&i, "login.ville.fr", "/.well-known/openid-configuration"), Some(("host", "/.well-known/openid-configuration".into())));
        assert_eq!(resolve(&i, "login.ville.fr", "/"), Some(("host", "/".into())));
        assert_eq!(resolve(&i, "LOGIN.Ville.FR", "/jwks"), Some(("host", "/jwks".into())));
        // An authority nobody claims is the public one.
        assert_eq!(resolve(&i, "other.example", "/ville/jwks"), Some(("ville", "/jwks".into())));
        // An authority somebody claims is not: no fallback by path.
        assert_eq!(resolve(&i, "login.ville.fr", "/ville/jwks"), Some(("host", "/ville/jwks".into())));
    }

    #[test]
    fn the_first_entry_of_a_pair_stays() {
        let mut i = index();
        i.insert("login.ville.fr".into(), "".into(), "second");
        assert_eq!(resolve(&i, "login.ville.fr", "/jwks"), Some(("host", "/jwks".into())));
        assert_eq!(i.len(), 5);
    }
}
