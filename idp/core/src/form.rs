//! `application/x-www-form-urlencoded`, strictly: query strings and form
//! bodies (`extract.rs`), and the two halves of `Authorization: Basic`
//! credentials (`client_auth.rs`). No dependency on the HTTP stack, so the
//! fuzz targets (`fuzz/`) compile this file as it is.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// Strict `application/x-www-form-urlencoded` parsing: invalid UTF-8, raw
/// or percent-encoded, is refused instead of being silently replaced by
/// U+FFFD (which would alter codes, secrets and tokens).
pub fn parse_urlencoded(input: &[u8]) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for part in input.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match part.iter().position(|b| *b == b'=') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (part, &[][..]),
        };
        out.push((percent_decode(k)?, percent_decode(v)?));
    }
    Some(out)
}

fn percent_decode(s: &[u8]) -> Option<String> {
    let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(s.get(i + 1)), hex(s.get(i + 2))) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The client id and secret of `Authorization: Basic <b64>` (RFC 6749
/// §2.3.1: each form-urlencoded, then joined by `:`); `None` if `b64` is not
/// base64 of UTF-8 text with a colon, or a half does not decode.
pub fn basic_credentials(b64: &str) -> Option<(String, String)> {
    let decoded = STANDARD.decode(b64.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    // Without '%', '+' or '&' form decoding is the identity: no second
    // parse then (it was 7,000 instructions of a client_credentials
    // request, callgrind); otherwise the form decoder, as always.
    let dec = |s: &str| {
        if !s.bytes().any(|b| matches!(b, b'%' | b'+' | b'&')) {
            return Some(s.to_owned());
        }
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={s}")).ok().and_then(|v| v.into_iter().next()).map(|(_, v)| v)
    };
    Some((dec(id)?, dec(secret)?))
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    use super::basic_credentials;

    /// The shortcut for plain halves gives what the form decoder gives.
    #[test]
    fn basic_credentials_plain_and_encoded_halves() {
        let b = |s: &str| basic_credentials(&STANDARD.encode(s));
        assert_eq!(b("bench-m2m:s3cr=t.~_"), Some(("bench-m2m".into(), "s3cr=t.~_".into())));
        assert_eq!(b("a%3Ab:c+d%25"), Some(("a:b".into(), "c d%".into())));
        assert_eq!(b("a&b:c"), Some(("a".into(), "c".into())), "as the form decoder: '&' ends the value");
        assert_eq!(b(":"), Some((String::new(), String::new())));
        assert_eq!(b("no-colon"), None);
    }
}
