//! Names of well-known authenticator models, by AAGUID, so a passkey can be
//! listed as "Bitwarden" rather than as a hex string.
//!
//! Trame asks for no attestation (`none`), so the AAGUID is what the
//! authenticator claims, never verified: these names are shown as a hint
//! ("probably …"), and nothing is decided on them.
//!
//! Origin: the community list at github.com/passkeydeveloper/
//! passkey-authenticator-aaguids (`aaguid.json`, and `combined_aaguid.json`,
//! which adds names taken from the FIDO Metadata Service, for the security
//! keys), checked entry by entry against the repository's `aaguid.json` and
//! `dist/<aaguid>/meta.json` files (2026 versions). Only the AAGUID → name pairs
//! are kept, no icons. License: the repository publishes no license file;
//! its README describes the list as community-driven, meant for naming
//! passkeys in account-management interfaces, and liable to be withdrawn.
//! What is kept here are product names and identifiers, i.e. facts, used for
//! exactly that purpose. Names follow upstream, which renames products (the
//! "iCloud Keychain" AAGUID is now "Apple Passwords").
//!
//! The table is deliberately short: the providers and keys people use most.
//! An unknown AAGUID simply has no name.

/// `(AAGUID, model name)`, sorted by AAGUID (lowercase, hyphenated), so
/// lookups are a binary search. The tests check the order and the syntax.
const MODELS: &[(&str, &str)] = &[
    ("08987058-cadc-4b81-b6e1-30de50dcbe96", "Windows Hello"),
    ("0ea242b4-43c4-4a1b-8b17-dd6d0b6baec6", "Keeper"),
    // FIDO MDS name (firmware 5.7), via the combined list.
    ("19083c3d-8383-4b18-bc03-8f1c9ab2fd1b", "YubiKey 5 Series"),
    ("2fc0579f-8113-47ea-b116-bb5a8db9202a", "YubiKey 5 Series with NFC"),
    ("39a5647e-1853-446c-a1f6-a79bae9f5bc7", "IDmelon"),
    ("42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3", "Google Titan Security Key v2"),
    ("50726f74-6f6e-5061-7373-50726f746f6e", "Proton Pass"),
    ("531126d6-e717-415c-9320-3d9aa6981239", "Dashlane"),
    ("53414d53-554e-4700-0000-000000000000", "Samsung Pass"),
    ("6028b017-b1d4-4c02-b4b3-afcdafc96bb2", "Windows Hello"),
    ("73bb0cd4-e502-49b8-9c6f-b59445bf720b", "YubiKey 5 FIPS Series"),
    ("771b48fd-d3d4-4f74-9232-fc157ab0507a", "Edge on Mac"),
    ("891494da-2c90-4d31-a9cd-4eab0aed1309", "Sésame"),
    ("9ddd1817-af5a-4672-a2b9-3e3dd95000a9", "Windows Hello"),
    // FIDO MDS name (firmware 5.7), via the combined list.
    ("a25342c0-3cdc-4414-8e46-f4807fca511c", "YubiKey 5 Series with NFC"),
    ("adce0002-35bc-c60a-648b-0b25f1f05503", "Chrome on Mac"),
    ("b5397666-4885-aa6b-cebf-e52262a439a2", "Chromium Browser"),
    ("b84e4048-15dc-4dd0-8640-f4f60813c8af", "NordPass"),
    ("bada5566-a7aa-401f-bd96-45619a55120d", "1Password"),
    ("c1f9a0bc-1dd2-404a-b27f-8e29047a43fd", "YubiKey 5 FIPS Series with NFC"),
    ("d3452668-01fd-4c12-926c-83a4204853aa", "Microsoft Password Manager"),
    ("d548826e-79b4-db40-a3d8-11116f7e8349", "Bitwarden"),
    ("dd4ec289-e01d-41c9-bb89-70fa845d4bf2", "iCloud Keychain (Managed)"),
    ("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", "Google Password Manager"),
    ("eaecdef2-1c31-5634-8639-f1cbd9c00a08", "KeePassDX"),
    ("ee882879-721c-4913-9775-3dfcce97072a", "YubiKey 5 Series"),
    ("f3809540-7f14-49c1-a8b3-8f813b225541", "Enpass"),
    ("fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "Apple Passwords"),
    ("fdb141b2-5d84-443e-8a35-4698c205a502", "KeePassXC"),
];

/// The model name claimed by `aaguid`, if it is a well-known one. The
/// all-zero AAGUID (what many authenticators send to stay anonymous) has no
/// name.
pub fn model_name(aaguid: &[u8; 16]) -> Option<&'static str> {
    let id = format_aaguid(aaguid);
    MODELS.binary_search_by(|(k, _)| (*k).cmp(id.as_str())).ok().map(|i| MODELS[i].1)
}

/// The usual text form: lowercase hex, hyphenated 8-4-4-4-12.
pub fn format_aaguid(aaguid: &[u8; 16]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(36);
    for (i, b) in aaguid.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(id: &str) -> Option<[u8; 16]> {
        let bytes = id.as_bytes();
        if bytes.len() != 36 || [8, 13, 18, 23].iter().any(|&i| bytes[i] != b'-') {
            return None;
        }
        let hex: String = id.chars().filter(|&c| c != '-').collect();
        if !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        let mut out = [0u8; 16];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(out)
    }

    #[test]
    fn table_is_sorted_without_duplicates_and_every_id_parses() {
        for pair in MODELS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} must come before {}", pair[0].0, pair[1].0);
        }
        for (id, name) in MODELS {
            let bytes = parse(id).unwrap_or_else(|| panic!("{id} is not a lowercase hyphenated UUID"));
            assert_ne!(bytes, [0; 16]);
            assert_eq!(format_aaguid(&bytes), *id);
            assert_eq!(model_name(&bytes), Some(*name));
            assert!(!name.is_empty() && name.trim() == *name);
        }
    }

    #[test]
    fn known_and_unknown_aaguids() {
        let bitwarden = parse("d548826e-79b4-db40-a3d8-11116f7e8349").unwrap();
        assert_eq!(model_name(&bitwarden), Some("Bitwarden"));
        assert_eq!(model_name(&[0; 16]), None);
        assert_eq!(model_name(&[0xff; 16]), None);
        let mut close = bitwarden;
        close[15] ^= 1;
        assert_eq!(model_name(&close), None);
    }

    #[test]
    fn formatting() {
        let id: [u8; 16] = core::array::from_fn(|i| i as u8 * 17);
        assert_eq!(format_aaguid(&id), "00112233-4455-6677-8899-aabbccddeeff");
    }
}
