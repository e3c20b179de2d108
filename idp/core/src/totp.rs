//! RFC 6238 time-based one-time passwords, the optional second factor.
//!
//! The parameters are fixed to what every authenticator app accepts: HMAC-SHA1,
//! 6 digits, 30-second steps. Apps that are handed SHA-256 or 8 digits in an
//! `otpauth://` URI often ignore them silently and show codes that never match.
//!
//! The arithmetic is `totp-rs`'s; this module only fixes the parameters, keeps
//! the clock and the random source outside (core does no IO) and turns user
//! input into something `totp-rs` can check. Refusing a code used twice is the
//! caller's job: [`verify`] returns the time step that matched, the caller
//! stores the last accepted step per account and refuses any step not after it.

use totp_rs::{Algorithm, Builder, Totp};

use crate::crypto::Randomness;

/// Length of a new secret: 160 bits, what RFC 4226 §4 recommends.
pub const SECRET_LEN: usize = 20;
/// Seconds per time step.
pub const STEP_SECONDS: u64 = 30;
/// Digits in a code.
pub const DIGITS: usize = 6;
/// Steps accepted on either side of the current one: a phone clock a little
/// off, or a code typed just as it rolled over. RFC 6238 §5.2 recommends one.
const SKEW_STEPS: u16 = 1;

/// A new random secret for one account.
pub fn new_secret(rng: &dyn Randomness) -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_LEN];
    rng.fill(&mut secret);
    secret
}

/// The secret in RFC 4648 base32 without padding, as apps expect it when
/// typed in by hand (32 characters for a 20-byte secret).
pub fn secret_base32(secret: &[u8]) -> String {
    totp_rs::Secret::from(secret.to_vec()).to_base32()
}

/// [`secret_base32`] in groups of four separated by spaces, for display only:
/// easier to read aloud and to type. Apps accept the spaces.
pub fn secret_base32_grouped(secret: &[u8]) -> String {
    let plain = secret_base32(secret);
    let groups: Vec<&str> = plain.as_bytes().chunks(4).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    groups.join(" ")
}

/// The `otpauth://totp/…` URI an app scans to enrol the secret.
///
/// `issuer_label` is what the app shows as the service (the tenant's display
/// name) and `account` the account in it. The key URI format reserves `:` as
/// the separator between the two, so colons in either are replaced; an empty
/// account is replaced too, because apps refuse it.
pub fn otpauth_uri(secret: &[u8], issuer_label: &str, account: &str) -> String {
    let issuer = label_part(issuer_label);
    let account = match label_part(account) {
        a if a.is_empty() => "account".to_owned(),
        a => a,
    };
    // `build_noncompliant` skips only the checks already settled here
    // (digits, step) or that `verify` applies (secret length), so the URI
    // exists even for a secret `verify` would refuse; `to_url` then fails
    // only on an empty or colon-bearing account name, which cannot happen.
    let totp = base(secret.to_vec()).with_issuer((!issuer.is_empty()).then_some(issuer)).with_account_name(account).build_noncompliant();
    totp.to_url().unwrap_or_default()
}

/// Checks a code typed by the user at time `now` (Unix seconds).
///
/// Returns the time step (`now / 30`, give or take one) whose code matched,
/// or `None`. White space anywhere in the input is ignored (apps display
/// "123 456"); anything else that is not exactly six ASCII digits is refused.
/// Secrets shorter than 128 bits are refused (RFC 4226 §4). The comparison
/// is constant-time (`totp_rs::Token`'s equality).
pub fn verify(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = u64::try_from(now).ok()?;
    let totp = totp(secret)?;
    totp.check(&code, now).and_then(|step| i64::try_from(step).ok())
}

/// The code an authenticator app shows at `now`: what tests and tools need
/// to play the app's part.
pub fn code_at(secret: &[u8], now: i64) -> Option<String> {
    let now = u64::try_from(now).ok()?;
    Some(totp(secret)?.generate(now).to_string())
}

/// The SVG of a QR code for `uri`, to inline in a page next to the
/// base32 secret. `None` only when the text is too long for a QR code
/// (about 2,900 bytes; an `otpauth` URI is a few hundred).
pub fn qr_svg(uri: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code.render::<svg::Color>().min_dimensions(200, 200).dark_color(svg::Color("#000")).light_color(svg::Color("#fff")).build();
    // The XML declaration is noise inside an HTML document.
    Some(match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    })
}

/// The fixed parameters, without the labels only the URI needs.
fn base(secret: Vec<u8>) -> Builder {
    Builder::new().with_algorithm(Algorithm::SHA1).with_digits(DIGITS as u8).with_step_duration(STEP_SECONDS).with_skew(SKEW_STEPS).with_secret(secret)
}

/// A checker for `secret`, or `None` when `totp-rs` finds the secret too short.
fn totp(secret: &[u8]) -> Option<Totp> {
    base(secret.to_vec()).build().ok()
}

fn label_part(s: &str) -> String {
    s.trim().replace(':', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 6238 Appendix B key for SHA1.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    /// Appendix B, SHA1 column: (time, 8-digit TOTP).
    const RFC_VECTORS: &[(u64, &str)] = &[
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ];

    struct Fixed(u8);
    impl Randomness for Fixed {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(self.0);
        }
    }

    #[test]
    fn totp_rs_reproduces_the_rfc_vectors_with_8_digits() {
        let totp = Builder::new().with_algorithm(Algorithm::SHA1).with_digits(8).with_secret(RFC_SECRET.to_vec()).build().unwrap();
        for (time, expected) in RFC_VECTORS {
            assert_eq!(totp.generate(*time).to_string(), *expected, "t = {time}");
        }
    }

    #[test]
    fn six_digit_codes_are_the_last_six_digits_of_the_rfc_vectors() {
        for (time, expected) in RFC_VECTORS {
            let code = &expected[2..];
            let step = (*time / STEP_SECONDS) as i64;
            assert_eq!(verify(RFC_SECRET, code, *time as i64), Some(step), "t = {time}");
        }
    }

    #[test]
    fn one_step_of_clock_skew_is_allowed_either_way_and_no_more() {
        // 287082 is the code of step 1 (t = 30..59).
        assert_eq!(verify(RFC_SECRET, "287082", 59), Some(1));
        assert_eq!(verify(RFC_SECRET, "287082", 0), Some(1), "a code one step ahead of the server");
        assert_eq!(verify(RFC_SECRET, "287082", 89), Some(1), "a code one step behind the server");
        assert_eq!(verify(RFC_SECRET, "287082", 90), None, "two steps behind");
        assert_eq!(verify(RFC_SECRET, "287082", 119), None);
    }

    #[test]
    fn the_matched_step_is_reported_so_the_caller_can_refuse_replays() {
        // The same code at different moments of its window reports the same
        // step: a caller that stored step 1 refuses it each time.
        let steps: Vec<_> = [30, 45, 59, 70].iter().map(|t| verify(RFC_SECRET, "287082", *t)).collect();
        assert_eq!(steps, [Some(1); 4]);
        // The next step's code reports the next step.
        let next = Builder::new().with_secret(RFC_SECRET.to_vec()).build().unwrap().generate(60).to_string();
        assert_eq!(verify(RFC_SECRET, &next, 60), Some(2));
    }

    #[test]
    fn spaces_are_tolerated() {
        assert_eq!(verify(RFC_SECRET, "287 082", 59), Some(1));
        assert_eq!(verify(RFC_SECRET, " 287082\n", 59), Some(1));
        assert_eq!(verify(RFC_SECRET, "2 8 7\u{a0}0 8 2", 59), Some(1));
    }

    #[test]
    fn anything_but_six_digits_is_refused() {
        for bad in ["", "28708", "2870820", "94287082", "287-082", "+28708", "28708a", "２８７０８２", "287082\u{0}", "-287082"] {
            assert_eq!(verify(RFC_SECRET, bad, 59), None, "{bad:?}");
        }
        assert_eq!(verify(RFC_SECRET, "287082", -1), None, "negative time");
        assert_eq!(verify(RFC_SECRET, "287082", i64::MAX), None);
    }

    #[test]
    fn short_secrets_are_refused() {
        let short = &RFC_SECRET[..15];
        let code = Builder::new().with_secret(short.to_vec()).build_noncompliant().generate(59).to_string();
        assert_eq!(verify(short, &code, 59), None);
        assert_eq!(verify(&[], "000000", 59), None);
    }

    #[test]
    fn new_secrets_are_20_bytes_from_the_random_source() {
        assert_eq!(new_secret(&Fixed(7)), vec![7u8; 20]);
        assert_ne!(new_secret(&crate::OsRandom), new_secret(&crate::OsRandom));
    }

    #[test]
    fn base32_plain_and_grouped() {
        assert_eq!(secret_base32(RFC_SECRET), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(secret_base32_grouped(RFC_SECRET), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        assert_eq!(totp_rs::Secret::try_from_base32(secret_base32(&[1, 2, 3, 250])).unwrap().as_bytes(), [1, 2, 3, 250]);
    }

    #[test]
    fn otpauth_uri_carries_the_labels_and_default_parameters() {
        let uri = otpauth_uri(RFC_SECRET, "Acme Corp", "alice@example.com");
        assert_eq!(uri, "otpauth://totp/Acme%20Corp:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20Corp");
        // SHA1, 6 digits and 30 s are the defaults, so they are left out;
        // totp-rs reads the URI back with exactly those.
        let back = Totp::from_url(&uri).unwrap();
        assert_eq!((back.algorithm(), back.digits(), back.step()), (Algorithm::SHA1, 6, 30));
        assert_eq!(back.secret().as_bytes(), RFC_SECRET);
        assert_eq!(back.issuer(), Some("Acme Corp"));
        assert_eq!(back.account_name(), "alice@example.com");
    }

    #[test]
    fn otpauth_uri_survives_awkward_labels() {
        let uri = otpauth_uri(RFC_SECRET, "Acme: Staff", " bob:smith ");
        let back = Totp::from_url(&uri).unwrap();
        assert_eq!(back.issuer(), Some("Acme Staff"));
        assert_eq!(back.account_name(), "bob smith");
        let uri = otpauth_uri(RFC_SECRET, "", "");
        let back = Totp::from_url(&uri).unwrap();
        assert_eq!(back.issuer(), None);
        assert_eq!(back.account_name(), "account");
        let uri = otpauth_uri(RFC_SECRET, "Ç&?#/", "é/?&=");
        let back = Totp::from_url(&uri).unwrap();
        assert_eq!((back.issuer(), back.account_name()), (Some("Ç&?#/"), "é/?&="));
    }

    #[test]
    fn qr_code_is_an_inline_svg() {
        let svg = qr_svg(&otpauth_uri(RFC_SECRET, "Acme", "alice")).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
        assert!(qr_svg(&"x".repeat(5000)).is_none());
    }
}
