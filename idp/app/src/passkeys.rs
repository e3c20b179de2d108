//! Passkeys as the store keeps them.

use trame_core::aaguid;
use trame_store::NewPasskey;

/// The longest name a passkey may have, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// What the stored passkey is called until the person renames it.
pub fn default_name(aaguid_bytes: &[u8; 16]) -> String {
    aaguid::model_name(aaguid_bytes).unwrap_or("Passkey").to_owned()
}

/// A name a person (or their page, for a new passkey) gave: trimmed, not
/// empty, at most [`MAX_NAME_CHARS`] characters and without control
/// characters (it is shown in lists and in the console); `None` otherwise.
pub fn valid_name(name: &str) -> Option<&str> {
    let name = name.trim();
    let fits = !name.is_empty() && name.chars().count() <= MAX_NAME_CHARS && !name.chars().any(char::is_control);
    fits.then_some(name)
}

/// The stored form of a new passkey; `max_acr` is the level of the
/// session that binds it (`None` for an account's first credential).
pub fn to_new_passkey(p: trame_webauthn::NewPasskey, max_acr: Option<String>) -> NewPasskey {
    to_new_passkey_named(p, max_acr, None)
}

/// [`to_new_passkey`] with the name the page proposed (the browser and
/// device, in the page's language: "Clé d’accès – Chrome sur Android");
/// the authenticator's model name when it proposed none or one that is
/// not [`valid_name`].
pub fn to_new_passkey_named(p: trame_webauthn::NewPasskey, max_acr: Option<String>, proposed: Option<&str>) -> NewPasskey {
    let name = proposed.and_then(valid_name).map_or_else(|| default_name(&p.aaguid), str::to_owned);
    NewPasskey {
        max_acr,
        name,
        credential_id: p.credential_id,
        public_key: p.public_key,
        dynamic_state: p.dynamic,
        sign_count: p.sign_count,
        backup_eligible: p.backup_eligible,
        backup_state: p.backup_state,
        aaguid: p.aaguid,
        transports: p.transports,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(valid_name("  Clé d’accès – Chrome sur Android "), Some("Clé d’accès – Chrome sur Android"));
        assert_eq!(valid_name("مفتاح المرور – Chrome على Android"), Some("مفتاح المرور – Chrome على Android"));
        assert_eq!(valid_name(&"é".repeat(MAX_NAME_CHARS)), Some("é".repeat(MAX_NAME_CHARS).as_str()));
        assert_eq!(valid_name(&"é".repeat(MAX_NAME_CHARS + 1)), None);
        assert_eq!(valid_name("   "), None);
        assert_eq!(valid_name("a\u{0}b"), None);
        assert_eq!(valid_name("a\nb"), None);
    }
}
