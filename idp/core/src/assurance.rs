//! Authentication methods (RFC 8176 `amr`) and assurance levels (`acr`).
//!
//! The foundation knows one method, the password; passkeys and second factors
//! add theirs. The level reached is computed from the methods used, never
//! copied from what the client asked for.

/// eIDAS-style levels, as FranceConnect uses them, lowest first.
pub const LEVELS: &[&str] = &["eidas1", "eidas2", "eidas3"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Password,
}

impl Method {
    pub fn amr(self) -> &'static str {
        match self {
            Method::Password => "pwd",
        }
    }
}

/// The level a set of methods reaches.
pub fn level_reached(methods: &[Method]) -> &'static str {
    // A password alone is a single knowledge factor: the lowest level.
    let _ = methods;
    LEVELS[0]
}

fn rank(level: &str) -> Option<usize> {
    LEVELS.iter().position(|l| *l == level)
}

/// Whether the reached level satisfies one of the requested values. Unknown
/// values cannot be satisfied.
pub fn satisfies(reached: &str, requested: &[String]) -> bool {
    let Some(have) = rank(reached) else { return false };
    requested.iter().any(|r| rank(r).is_some_and(|want| have >= want))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_compare() {
        assert!(satisfies("eidas2", &["eidas1".into()]));
        assert!(satisfies("eidas1", &["eidas1".into(), "eidas3".into()]));
        assert!(!satisfies("eidas1", &["eidas2".into()]));
        assert!(!satisfies("eidas1", &["urn:unknown".into()]));
        assert_eq!(level_reached(&[Method::Password]), "eidas1");
    }
}
