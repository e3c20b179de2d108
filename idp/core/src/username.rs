//! Usernames: one written form, and none that looks like another.
//!
//! A username is kept in Unicode NFKC (a full-width `ａlice` is `alice`),
//! compared without case, and refused when its confusable skeleton
//! (Unicode TR39: `a1ice` with a digit one, `аlice` with a Cyrillic а, and
//! `alice` all give one skeleton) is another account's: the name a person
//! sees on a page must name one account.

use unicode_normalization::UnicodeNormalization;

/// The stored form: NFKC, without surrounding spaces.
pub fn normalize(name: &str) -> String {
    name.nfkc().collect::<String>().trim().to_owned()
}

/// What sign-in looks a name up by: the stored form, lowercased.
pub fn lookup_key(name: &str) -> String {
    normalize(name).to_lowercase()
}

/// What an administrator's search compares names and addresses by: no
/// case and no accents (`Hélène` is found as `helene`), compatibility
/// forms folded. A prefix of a name's key is the key of its prefix, so a
/// search can range over an index.
pub fn search_key(text: &str) -> String {
    text.trim().nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect::<String>().to_lowercase()
}

/// The TR39 skeleton of the name, then lowercased: two names with the same
/// skeleton look alike. The skeleton comes first because case carries
/// confusables (a capital I looks like a small l, a small i does not);
/// names that differ only in case are told apart by [`lookup_key`].
pub fn skeleton(name: &str) -> String {
    unicode_security::confusable_detection::skeleton(&normalize(name)).collect::<String>().to_lowercase()
}

/// Why a name cannot be a new account's username.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("a username must not contain invisible characters")]
    Invisible,
    #[error("a username must not look like an address (name@host) on this tenant")]
    Address,
}

/// Checks a new username (after [`normalize`]); lengths are the caller's.
pub fn check_new(name: &str, addresses_allowed: bool) -> Result<(), UsernameError> {
    if name.chars().any(is_invisible) {
        return Err(UsernameError::Invisible);
    }
    if !addresses_allowed && looks_like_an_address(name) {
        return Err(UsernameError::Address);
    }
    Ok(())
}

/// Characters that change nothing on screen: zero-width, joiners,
/// direction marks and overrides, soft hyphen, byte order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}')
        || c.is_control()
}

/// Whether the name has the shape of an account of a peer provider
/// (`name@host`) or of an e-mail address; tenants refuse those unless they
/// use e-mail addresses as usernames.
pub fn looks_like_an_address(name: &str) -> bool {
    name.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_ignore_case_accents_and_compatibility_forms() {
        assert_eq!(search_key(" Hélène "), "helene");
        assert_eq!(search_key("ÉLODIE"), "elodie");
        assert_eq!(search_key("ｆｉｌｅ"), "file");
        assert!(search_key("Héloïse").starts_with(&search_key("Hélo")));
    }

    #[test]
    fn names_are_kept_in_one_form() {
        assert_eq!(normalize(" ａｌｉｃｅ "), "alice");
        assert_eq!(normalize("ﬁlou"), "filou");
        assert_eq!(lookup_key("Élise"), "élise");
        // É as one code point or as E + combining accent: one name.
        assert_eq!(lookup_key("E\u{301}lise"), lookup_key("\u{c9}lise"));
    }

    #[test]
    fn names_that_look_alike_share_a_skeleton() {
        let alice = skeleton("alice");
        for lookalike in ["a1ice", "aIice", "\u{430}lice", "Alice", "ａlice"] {
            assert_eq!(skeleton(lookalike), alice, "{lookalike:?}");
        }
        assert_eq!(skeleton("rnarie"), skeleton("marie"), "rn looks like m");
        assert_ne!(skeleton("alicia"), alice);
        assert_ne!(skeleton("bob"), alice);
    }

    #[test]
    fn new_names_are_visible_and_not_addresses_unless_allowed() {
        assert_eq!(check_new("ali\u{200b}ce", true), Err(UsernameError::Invisible));
        assert_eq!(check_new("ali\u{202e}ce", true), Err(UsernameError::Invisible));
        assert_eq!(check_new("camille@ville-b.fr", false), Err(UsernameError::Address));
        assert_eq!(check_new("camille@ville-b.fr", true), Ok(()));
        assert_eq!(check_new("Élise-Marie", false), Ok(()));
    }

    #[test]
    fn addresses_are_told_apart() {
        assert!(looks_like_an_address("camille@ville-b.fr"));
        assert!(!looks_like_an_address("camille.martin"));
    }
}
