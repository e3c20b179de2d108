//! Subject identifiers (OIDC Core §8): `public` gives every client the same
//! `sub`; `pairwise` gives each sector its own, so two services of different
//! sectors cannot correlate a citizen by identifier.

use crate::crypto::{b64url, sha256};

/// The default, for a new tenant's clients: pairwise (neutrality toward
/// services: unlinkable unless a client asks for the same `sub` everywhere).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SubjectType {
    Public,
    #[default]
    Pairwise,
}

impl SubjectType {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Self::Public),
            "pairwise" => Some(Self::Pairwise),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Pairwise => "pairwise",
        }
    }
}

/// The `sub` a client sees for a user. For pairwise subjects this is
/// SHA-256(sector ‖ 0 ‖ user id ‖ 0 ‖ tenant salt), as OIDC Core §8.1
/// suggests: stable for a sector, unlinkable across sectors without the salt.
pub fn subject_for(kind: SubjectType, user_id: &str, sector: &str, tenant_salt: &[u8]) -> String {
    match kind {
        SubjectType::Public => user_id.to_owned(),
        SubjectType::Pairwise => {
            let mut input = Vec::with_capacity(sector.len() + user_id.len() + tenant_salt.len() + 2);
            input.extend_from_slice(sector.as_bytes());
            input.push(0);
            input.extend_from_slice(user_id.as_bytes());
            input.push(0);
            input.extend_from_slice(tenant_salt);
            b64url(&sha256(&input))
        }
    }
}

/// The session id (`sid`) a client sees: SHA-256(session sid ‖ 0 ‖ client
/// id). Each client gets its own, so two services given the same session
/// cannot link the person through it despite pairwise subjects; Trame
/// recomputes it from the session to recognise it in `id_token_hint`.
pub fn client_sid(session_sid: &str, client_id: &str) -> String {
    let mut input = Vec::with_capacity(session_sid.len() + client_id.len() + 1);
    input.extend_from_slice(session_sid.as_bytes());
    input.push(0);
    input.extend_from_slice(client_id.as_bytes());
    b64url(&sha256(&input))
}

/// The sector of a client without a `sector_identifier_uri`: the host of its
/// redirect URIs (OIDC Core §8.1). Callers ensure all redirect URIs share it.
pub fn sector_of_redirect(uri: &str) -> String {
    url::Url::parse(uri).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| uri.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_is_stable_per_sector_and_differs_across_sectors() {
        let a1 = subject_for(SubjectType::Pairwise, "user-1", "rp-a.fr", b"salt");
        let a2 = subject_for(SubjectType::Pairwise, "user-1", "rp-a.fr", b"salt");
        let b = subject_for(SubjectType::Pairwise, "user-1", "rp-b.fr", b"salt");
        let other_user = subject_for(SubjectType::Pairwise, "user-2", "rp-a.fr", b"salt");
        assert_eq!(a1, a2);
        assert_ne!(a1, b);
        assert_ne!(a1, other_user);
        assert_ne!(a1, "user-1");
        assert_eq!(subject_for(SubjectType::Public, "user-1", "rp-a.fr", b"salt"), "user-1");
    }

    #[test]
    fn client_sid_differs_per_client_and_per_session() {
        let a = client_sid("session-1", "rp-a");
        assert_eq!(a, client_sid("session-1", "rp-a"));
        assert_eq!(a.len(), 43);
        assert_ne!(a, client_sid("session-1", "rp-b"));
        assert_ne!(a, client_sid("session-2", "rp-a"));
        assert_ne!(a, "session-1");
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(client_sid("ab", "c"), client_sid("a", "bc"));
    }

    #[test]
    fn sector_from_redirect_uri() {
        assert_eq!(sector_of_redirect("https://rp.example.fr/cb?x"), "rp.example.fr");
    }
}
