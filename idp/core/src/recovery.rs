//! Single-use account recovery codes.
//!
//! A code is 80 random bits written as 16 characters of Crockford's base32
//! alphabet (digits and lowercase letters without i, l, o and u), in four
//! groups of four: `7kq2-m9xd-04hz-tr5b`. The alphabet leaves out the letters
//! people confuse with digits, and [`normalize`] maps them back when typed
//! anyway, so a code read off paper or a screen still works.
//!
//! Only [`digest`]s are stored. 80 bits from a CSPRNG cannot be guessed
//! offline, so a fast hash is right here; using each code once and limiting
//! attempts are the caller's.

use crate::crypto::{Randomness, secret_digest};

/// Crockford's base32 alphabet, lowercase. 32 symbols: 5 bits each.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Characters in a code, dashes aside: 16 × 5 bits = 80 bits.
const CHARS: usize = 16;
const GROUP: usize = 4;

/// `n` new codes, in the display form (`xxxx-xxxx-xxxx-xxxx`), which is
/// also their normalized form.
pub fn generate(rng: &dyn Randomness, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let mut bytes = [0u8; CHARS];
            rng.fill(&mut bytes);
            // 32 divides 256, so the low five bits of a uniform byte are a
            // uniform symbol: no modulo bias.
            let chars: Vec<u8> = bytes.iter().map(|b| ALPHABET[usize::from(b & 31)]).collect();
            grouped(&chars)
        })
        .collect()
}

/// The canonical form of a code as typed, or `None` if it cannot be one.
///
/// Case is ignored, as are spaces and dashes anywhere (missing, extra or
/// misplaced). As in Crockford's decoding, `o` reads as `0` and `i`, `l` as
/// `1`. Anything else outside the alphabet (including `u`), or a length other
/// than 16 symbols, gives `None`.
pub fn normalize(input: &str) -> Option<String> {
    let mut chars = Vec::with_capacity(CHARS);
    for c in input.chars() {
        if c == '-' || c.is_whitespace() {
            continue;
        }
        let c = match c.to_ascii_lowercase() {
            'o' => '0',
            'i' | 'l' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || chars.len() == CHARS {
            return None;
        }
        chars.push(c as u8);
    }
    (chars.len() == CHARS).then(|| grouped(&chars))
}

/// What is stored in place of a code: the digest of its normalized form.
pub fn digest(code_normalized: &str) -> String {
    secret_digest(code_normalized)
}

/// `abcd-efgh-…` from 16 alphabet bytes.
fn grouped(chars: &[u8]) -> String {
    let groups: Vec<String> = chars.chunks(GROUP).map(|g| g.iter().map(|&b| char::from(b)).collect()).collect();
    groups.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OsRandom;

    /// Returns 0, 1, 2, … so the output is predictable.
    struct Counting;
    impl Randomness for Counting {
        fn fill(&self, buf: &mut [u8]) {
            for (i, b) in buf.iter_mut().enumerate() {
                *b = i as u8 + 28;
            }
        }
    }

    #[test]
    fn codes_have_the_documented_shape() {
        let codes = generate(&OsRandom, 10);
        assert_eq!(codes.len(), 10);
        for code in &codes {
            assert_eq!(code.len(), 19, "{code}");
            let groups: Vec<&str> = code.split('-').collect();
            assert_eq!(groups.len(), 4);
            assert!(groups.iter().all(|g| g.len() == 4));
            assert!(code.bytes().all(|b| b == b'-' || ALPHABET.contains(&b)));
            assert_eq!(normalize(code).as_deref(), Some(code.as_str()), "generated codes are normalized");
        }
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
        assert!(generate(&OsRandom, 0).is_empty());
    }

    #[test]
    fn every_symbol_comes_from_five_bits() {
        // Bytes 28..44: low five bits 28..31 then 0..11.
        assert_eq!(generate(&Counting, 1), ["wxyz-0123-4567-89ab"]);
    }

    #[test]
    fn the_alphabet_has_no_confusable_letters() {
        for c in [b'i', b'l', b'o', b'u'] {
            assert!(!ALPHABET.contains(&c));
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), 32);
    }

    #[test]
    fn normalize_tolerates_case_spacing_dashes_and_confusables() {
        let want = Some("7kq2-m9xd-04hz-tr5b".to_owned());
        for typed in
            ["7kq2-m9xd-04hz-tr5b", "7KQ2-M9XD-04HZ-TR5B", "7kq2m9xd04hztr5b", " 7kq2 m9xd 04hz tr5b ", "7kq2--m9xd-0-4hz-tr5b-", "7kq2-m9xd-O4hz-tr5b"]
        {
            assert_eq!(normalize(typed), want, "{typed:?}");
        }
        assert_eq!(normalize("1111-1111-1111-1111").as_deref(), Some("1111-1111-1111-1111"));
        assert_eq!(normalize("iIlL-1111-1111-1111").as_deref(), Some("1111-1111-1111-1111"));
    }

    #[test]
    fn normalize_refuses_wrong_length_or_alphabet() {
        for bad in [
            "",
            "7kq2-m9xd-04hz-tr5",
            "7kq2-m9xd-04hz-tr5bb",
            "7kq2-m9xd-04hz-tr5u",
            "7kq2-m9xd-04hz-tr5!",
            "7kq2-m9xd-04hz-tr5é",
            "7kq2_m9xd_04hz_tr5b",
            "７kq2-m9xd-04hz-tr5b",
            &"a".repeat(10_000),
        ] {
            assert_eq!(normalize(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn digest_is_of_the_normalized_form() {
        let code = &generate(&OsRandom, 1)[0];
        let typed = code.to_uppercase().replace('-', " ");
        assert_eq!(digest(&normalize(&typed).unwrap()), digest(code));
        assert_eq!(digest(code), secret_digest(code));
        assert_ne!(digest(code), *code);
    }
}
