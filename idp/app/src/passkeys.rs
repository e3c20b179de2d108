//! Passkeys as the store keeps them.

use trame_core::aaguid;
use trame_store::NewPasskey;

/// What the stored passkey is called until the person renames it.
pub fn default_name(aaguid_bytes: &[u8; 16]) -> String {
    aaguid::model_name(aaguid_bytes).unwrap_or("Passkey").to_owned()
}

/// The stored form of a new passkey; `max_acr` is the level of the
/// session that binds it (`None` for an account's first credential).
pub fn to_new_passkey(p: trame_webauthn::NewPasskey, max_acr: Option<String>) -> NewPasskey {
    NewPasskey {
        max_acr,
        name: default_name(&p.aaguid),
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
