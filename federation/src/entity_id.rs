//! Entity Identifiers (§1.2): https URLs with a host, optional port and
//! path, and no query or fragment. They are compared as strings, code point
//! by code point, never normalised (§16), so this module only checks them.

/// Whether `s` is a well-formed Entity Identifier.
pub fn is_valid(s: &str) -> bool {
    let Ok(u) = url::Url::parse(s) else {
        return false;
    };
    // The url crate accepts some inputs it rewrites (e.g. "HTTPS://A"); an
    // identifier is only valid if it reads the same as what was parsed, up
    // to the "/" the parser adds to an empty path.
    u.scheme() == "https"
        && u.host_str().is_some_and(|h| !h.is_empty())
        && u.username().is_empty()
        && u.password().is_none()
        && u.query().is_none()
        && u.fragment().is_none()
        && (u.as_str() == s || u.as_str().strip_suffix('/') == Some(s))
}

/// The URL of an entity's Entity Configuration (§9): the Entity ID without
/// a trailing "/", then `/.well-known/openid-federation`.
pub fn entity_configuration_url(entity_id: &str) -> String {
    format!("{}/.well-known/openid-federation", entity_id.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_id_rules() {
        for ok in ["https://example.com", "https://example.com/", "https://example.com:8443/fed/op", "https://op.example.com/a/"] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            "http://example.com",
            "https://example.com?x=1",
            "https://example.com#frag",
            "https://user@example.com",
            "HTTPS://EXAMPLE.COM",
            "https://",
            "example.com",
            "",
            "https://exa mple.com",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn well_known_location() {
        assert_eq!(entity_configuration_url("https://a.example"), "https://a.example/.well-known/openid-federation");
        assert_eq!(entity_configuration_url("https://a.example/org/"), "https://a.example/org/.well-known/openid-federation");
    }
}
