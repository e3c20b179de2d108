//! The typography of the shipped translations, checked on the files
//! themselves so a new or edited message cannot bring back a plain space
//! before a French colon or a straight apostrophe: French puts a narrow
//! no-break space (U+202F) before `? ! ;`, a no-break space (U+00A0)
//! before `:` and inside « », and writes the apostrophe ’; Italian writes
//! the apostrophe ’ too. Only the text is checked, not the placeables
//! (`{ $name }`) or the message ids.

const FR: &str = include_str!("../../../../themes/default/locales/fr/main.ftl");
const IT: &str = include_str!("../../../../themes/default/locales/it/main.ftl");

const NARROW_NBSP: char = '\u{202f}';
const NBSP: char = '\u{a0}';
/// What stands for a placeable in the text left to check: not a space and
/// not punctuation, so it neither hides nor causes a finding.
const PLACEABLE: char = '\u{fffc}';

/// The text of each message line of a Fluent file (values, variants and
/// continuations), its placeables replaced by [`PLACEABLE`], with its line
/// number. Comments, blank lines, ids and variant keys are left out.
fn texts(ftl: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in ftl.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        // `id = value`: only the value.
        let value = match line.split_once(" = ") {
            Some((id, v)) if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => v,
            _ => line,
        };
        // A variant `[one] text` or `*[other] text`: only the text.
        let value = value.trim_start();
        let value = match value.strip_prefix('*').unwrap_or(value).strip_prefix('[') {
            Some(rest) => rest.split_once(']').map_or(rest, |(_, text)| text),
            None => value,
        };
        // Placeables closed on this line become one character; a select
        // expression opened (`{ $n ->`) or closed (`}`) on its own line
        // leaves no text.
        let mut text = String::new();
        let mut depth = 0usize;
        for c in value.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        text.push(PLACEABLE);
                    }
                }
                '}' => {}
                c if depth == 0 => text.push(c),
                _ => {}
            }
        }
        out.push((i + 1, text));
    }
    out
}

/// What is wrong with the French typography of one text, if anything.
fn french_faults(text: &str) -> Vec<String> {
    let mut faults = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let wanted = match c {
            '?' | '!' | ';' => Some(NARROW_NBSP),
            ':' | '»' => Some(NBSP),
            _ => None,
        };
        if let (Some(wanted), Some(b)) = (wanted, before)
            && b.is_whitespace()
            && b != wanted
        {
            faults.push(format!("{b:?} before {c:?} (wanted U+{:04X})", u32::from(wanted)));
        }
        if c == '«' && after.is_some_and(|a| a.is_whitespace() && a != NBSP) {
            faults.push("a breaking space after «".to_owned());
        }
        if c == '\'' {
            faults.push("a straight apostrophe (wanted ’)".to_owned());
        }
    }
    faults
}

fn report(lang: &str, ftl: &str, check: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    texts(ftl).into_iter().flat_map(|(line, text)| check(&text).into_iter().map(move |f| format!("{lang}:{line}: {f}"))).collect()
}

#[test]
fn french_messages_use_french_typography() {
    let faults = report("fr", FR, french_faults);
    assert!(faults.is_empty(), "themes/default/locales/fr/main.ftl:\n{}", faults.join("\n"));
}

#[test]
fn italian_messages_use_the_typographic_apostrophe() {
    let faults = report("it", IT, |t| if t.contains('\'') { vec!["a straight apostrophe (wanted ’)".to_owned()] } else { Vec::new() });
    assert!(faults.is_empty(), "themes/default/locales/it/main.ftl:\n{}", faults.join("\n"));
}

/// The check finds what it is meant to find, and only in the text.
#[test]
fn the_check_finds_plain_spaces_and_straight_apostrophes() {
    let bad = "a = Vous êtes là ? Oui ! Non ; voici : « { $name } » l'accès\n";
    let found = report("xx", bad, french_faults);
    assert_eq!(found.len(), 7, "{found:?}");
    let good = "a = Vous êtes là\u{202f}? Oui\u{202f}! Non\u{202f}; voici\u{a0}: «\u{a0}{ $name }\u{a0}» l’accès\n";
    assert_eq!(report("xx", good, french_faults), Vec::<String>::new());
    // Placeables, ids and variant keys are not text.
    let selector = "b = { $n ->\n    [one] un ;{ $x ? }\n   *[other] { $n } l’accès\n  }\n";
    assert_eq!(report("xx", selector, french_faults), vec!["xx:2: ' ' before ';' (wanted U+202F)".to_owned()]);
}
