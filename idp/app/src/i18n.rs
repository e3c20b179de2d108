//! Translations with Fluent. Every visible string goes through here; French
//! is the default, English the fallback for any missing message.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use unic_langid::LanguageIdentifier;

pub const DEFAULT_LANG: &str = "fr";

/// The languages built into the binary, in fallback order (French, then
/// English, then the others): the pages negotiate among them and
/// discovery's `ui_locales_supported` lists them.
pub const BUILT_IN: &[&str] = &["fr", "en", "de", "es", "it", "pt", "ar"];

/// Per built-in language (in [`BUILT_IN`]'s order), its Fluent files,
/// compiled into the binary: the pages' and the mails' texts.
pub const PACKS: &[(&str, &[&str])] = &[
    ("fr", &[include_str!("../../../themes/default/locales/fr/main.ftl")]),
    ("en", &[include_str!("../../../themes/default/locales/en/main.ftl")]),
    ("de", &[include_str!("../../../themes/default/locales/de/main.ftl")]),
    ("es", &[include_str!("../../../themes/default/locales/es/main.ftl")]),
    ("it", &[include_str!("../../../themes/default/locales/it/main.ftl")]),
    ("pt", &[include_str!("../../../themes/default/locales/pt/main.ftl")]),
    ("ar", &[include_str!("../../../themes/default/locales/ar/main.ftl")]),
];

/// The languages written right to left (a pack a themes folder adds may
/// be one of them).
pub fn is_rtl(lang: &str) -> bool {
    matches!(lang, "ar" | "he" | "fa" | "ur" | "ps" | "yi" | "dv" | "ckb" | "sd" | "ug" | "syr")
}

/// Whether `tag` can name a language pack: a primary language subtag
/// (ISO 639, two or three lowercase letters), what the pages negotiate
/// on.
pub fn is_pack_name(tag: &str) -> bool {
    (2..=3).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_lowercase())
}

/// The languages this node has installed (the built-in ones, and those a
/// themes folder adds) and their texts, for discovery's
/// `ui_locales_supported` and the mails. The web layer sets them when it
/// loads its themes; the generation tells caches built from an older
/// list.
pub struct Installed {
    current: std::sync::RwLock<Current>,
    /// Bumped by every change of the list, so a cache compares one number.
    generation: std::sync::atomic::AtomicU64,
}

/// The languages, and their texts once set or first read.
struct Current {
    languages: std::sync::Arc<[String]>,
    texts: Option<std::sync::Arc<I18n>>,
}

impl Default for Installed {
    fn default() -> Self {
        let current = Current { languages: BUILT_IN.iter().map(|l| (*l).to_owned()).collect(), texts: None };
        Self { current: std::sync::RwLock::new(current), generation: Default::default() }
    }
}

impl Installed {
    pub fn current(&self) -> std::sync::Arc<[String]> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).languages.clone()
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The texts: those set, else the built-in packs (read on first use).
    pub fn texts(&self) -> std::sync::Arc<I18n> {
        if let Some(t) = &self.current.read().unwrap_or_else(|p| p.into_inner()).texts {
            return t.clone();
        }
        let built_in = std::sync::Arc::new(I18n::new(PACKS));
        let mut cur = self.current.write().unwrap_or_else(|p| p.into_inner());
        cur.texts.get_or_insert(built_in).clone()
    }

    /// Replaces the list and the texts; a change of the list starts a new
    /// generation.
    pub fn set(&self, languages: Vec<String>, texts: std::sync::Arc<I18n>) {
        let mut cur = self.current.write().unwrap_or_else(|p| p.into_inner());
        if *cur.languages != *languages {
            cur.languages = languages.into();
            self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        }
        cur.texts = Some(texts);
    }

    /// `lang` if installed, else the default: the language of a mail to a
    /// person whose preference is known (or not).
    pub fn or_default(&self, lang: Option<&str>) -> String {
        lang.map(primary).filter(|l| self.current().iter().any(|i| i == l)).unwrap_or_else(|| DEFAULT_LANG.to_owned())
    }
}

/// The Fluent files of one language, for [`I18n::build`]: its own files
/// (a language's pack), then files whose messages replace those of the
/// same ids (a theme's overrides), each with the name problems are
/// reported under.
#[derive(Debug, Clone, Default)]
pub struct PackFiles {
    pub lang: String,
    pub files: Vec<(String, String)>,
    pub overrides: Vec<(String, String)>,
}

pub struct I18n {
    /// (language tag, bundle), in preference order for fallback.
    bundles: Vec<(String, FluentBundle<FluentResource>)>,
}

impl I18n {
    /// `sources`: (language, [ftl file contents]).
    pub fn new(sources: &[(&str, &[&str])]) -> Self {
        let mut bundles = Vec::new();
        for (lang, files) in sources {
            let id: LanguageIdentifier = lang.parse().expect("built-in language tags are valid");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Isolation marks around arguments confuse plain-text contexts
            // (titles, attributes); our templates escape values themselves.
            bundle.set_use_isolating(false);
            for src in *files {
                let res = FluentResource::try_new((*src).to_owned()).expect("built-in translation files parse");
                bundle.add_resource(res).expect("built-in translation files have no duplicate ids");
            }
            bundles.push(((*lang).to_owned(), bundle));
        }
        Self { bundles }
    }

    /// Builds the translations from files read at run time (a themes
    /// folder's packs and overrides besides the built-in ones). A file
    /// with errors is used for the messages that parse, as Fluent intends,
    /// and its problems are returned; a language whose tag does not parse
    /// is left out.
    pub fn build(packs: &[PackFiles]) -> (Self, Vec<String>) {
        let mut problems = Vec::new();
        let mut bundles = Vec::new();
        for pack in packs {
            let Ok(id) = pack.lang.parse::<LanguageIdentifier>() else {
                problems.push(format!("{}: not a language tag", pack.lang));
                continue;
            };
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(false);
            let parse = |name: &str, src: &str, problems: &mut Vec<String>| match FluentResource::try_new(src.to_owned()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    problems.extend(errors.iter().map(|e| format!("{name}: syntax error at line {}: {:?}", syntax_line(src, e), e.kind)));
                    r
                }
            };
            for (name, src) in &pack.files {
                let res = parse(name, src, &mut problems);
                if let Err(errors) = bundle.add_resource(res) {
                    problems.extend(errors.iter().map(|e| format!("{name}: {e}")));
                }
            }
            for (name, src) in &pack.overrides {
                bundle.add_resource_overriding(parse(name, src, &mut problems));
            }
            bundles.push((pack.lang.clone(), bundle));
        }
        (Self { bundles }, problems)
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.bundles.iter().map(|(l, _)| l.as_str())
    }

    /// Picks the language: the first supported of `ui_locales`, then of
    /// Accept-Language (by q-value), then French.
    pub fn negotiate(&self, ui_locales: &[String], accept_language: Option<&str>) -> String {
        let supported: Vec<&str> = self.languages().collect();
        for l in ui_locales {
            let p = primary(l);
            if supported.contains(&p.as_str()) {
                return p;
            }
        }
        if let Some(al) = accept_language {
            let mut prefs: Vec<(f32, String)> = al
                .split(',')
                .filter_map(|part| {
                    let mut it = part.trim().split(';');
                    let tag = primary(it.next()?.trim());
                    let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
                    Some((q, tag))
                })
                .collect();
            prefs.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
            for (q, tag) in prefs {
                if q > 0.0 && supported.contains(&tag.as_str()) {
                    return tag;
                }
            }
        }
        DEFAULT_LANG.to_owned()
    }

    /// The message `id` in `lang`, falling back to other languages, then to
    /// the id itself (visible, so a missing translation is noticed).
    pub fn t(&self, lang: &str, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let order = self.bundles.iter().filter(|(l, _)| l == lang).chain(self.bundles.iter().filter(|(l, _)| l != lang));
        for (_, bundle) in order {
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = vec![];
                return bundle.format_pattern(pattern, args, &mut errors).into_owned();
            }
        }
        id.to_owned()
    }

    pub fn has(&self, lang: &str, id: &str) -> bool {
        self.bundles.iter().any(|(l, b)| l == lang && b.has_message(id))
    }
}

pub fn args<'a>(pairs: &[(&'a str, Arg)]) -> FluentArgs<'a> {
    let mut a = FluentArgs::new();
    for (k, v) in pairs {
        match v {
            Arg::Text(t) => a.set(*k, FluentValue::from(t.clone())),
            Arg::Number(n) => a.set(*k, FluentValue::from(*n)),
        }
    }
    a
}

/// A message variable: text, or a number that plural selectors
/// (`[one]`, `[other]`) and exact matches (`[0]`) apply to.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

/// Which file of a check a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Reference,
    Pack,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Reference => "reference",
            Side::Pack => "pack",
        })
    }
}

/// One thing wrong with a language pack (see [`check_pack`]); displayed as
/// `trame i18n check` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackProblem {
    /// Fluent syntax, at the line where the entry that failed starts.
    Syntax {
        side: Side,
        line: usize,
        kind: String,
    },
    NoValue {
        side: Side,
        id: String,
    },
    DefinedTwice {
        side: Side,
        id: String,
    },
    /// A message of the reference the pack lacks (the pages show it in
    /// French).
    Missing(String),
    Variables {
        id: String,
        have: BTreeSet<String>,
        want: BTreeSet<String>,
    },
    Attributes {
        id: String,
        have: BTreeSet<String>,
        want: BTreeSet<String>,
    },
    /// A message the reference does not have: the pages never show it.
    Extra(String),
}

impl PackProblem {
    /// Whether it is in the reference itself rather than the pack.
    pub fn in_reference(&self) -> bool {
        matches!(
            self,
            Self::Syntax { side: Side::Reference, .. } | Self::NoValue { side: Side::Reference, .. } | Self::DefinedTwice { side: Side::Reference, .. }
        )
    }
}

impl fmt::Display for PackProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { side, line, kind } => write!(f, "{side}: syntax error at line {line}: {kind}"),
            Self::NoValue { side, id } => write!(f, "{side}: {id} has no value"),
            Self::DefinedTwice { side, id } => write!(f, "{side}: {id} is defined twice"),
            Self::Missing(id) => write!(f, "missing: {id}"),
            Self::Variables { id, have, want } => write!(f, "{id}: variables {} where the reference has {}", list(have), list(want)),
            Self::Attributes { id, have, want } => write!(f, "{id}: attributes {} where the reference has {}", list(have), list(want)),
            Self::Extra(id) => write!(f, "extra: {id} (not in the reference)"),
        }
    }
}

/// What is wrong with a language pack compared with the reference
/// (French): Fluent syntax errors, messages missing or extra, attributes
/// that differ, and variables that differ (a translation that drops
/// `{ $client }` loses information; one that invents `{ $name }` shows a
/// raw placeholder). Empty when the pack is complete. `trame i18n check`
/// and the tests run it on every shipped language.
pub fn check_pack(reference: &str, pack: &str) -> Vec<PackProblem> {
    let mut problems = Vec::new();
    let parsed = |src: &str, side: Side, problems: &mut Vec<PackProblem>| -> BTreeMap<String, MessageShape> {
        let resource = match fluent_syntax::parser::parse(src) {
            Ok(r) => r,
            Err((r, errors)) => {
                problems.extend(errors.iter().map(|e| syntax_problem(side, src, e)));
                r
            }
        };
        let mut shapes = BTreeMap::new();
        for entry in resource.body {
            if let Entry::Message(m) = entry {
                let mut shape = MessageShape::default();
                if let Some(p) = &m.value {
                    pattern_variables(p, &mut shape.variables);
                } else {
                    problems.push(PackProblem::NoValue { side, id: m.id.name.to_owned() });
                }
                for a in &m.attributes {
                    shape.attributes.insert(a.id.name.to_owned());
                    pattern_variables(&a.value, &mut shape.variables);
                }
                if shapes.insert(m.id.name.to_owned(), shape).is_some() {
                    problems.push(PackProblem::DefinedTwice { side, id: m.id.name.to_owned() });
                }
            }
        }
        shapes
    };
    let want = parsed(reference, Side::Reference, &mut problems);
    let have = parsed(pack, Side::Pack, &mut problems);
    for (id, shape) in &want {
        match have.get(id) {
            None => problems.push(PackProblem::Missing(id.clone())),
            Some(h) if h.variables != shape.variables => {
                problems.push(PackProblem::Variables { id: id.clone(), have: h.variables.clone(), want: shape.variables.clone() })
            }
            Some(h) if h.attributes != shape.attributes => {
                problems.push(PackProblem::Attributes { id: id.clone(), have: h.attributes.clone(), want: shape.attributes.clone() })
            }
            Some(_) => {}
        }
    }
    for id in have.keys().filter(|id| !want.contains_key(*id)) {
        problems.push(PackProblem::Extra(id.clone()));
    }
    problems
}

/// What is wrong with a file that overrides some messages of a language
/// (a theme's `locales/<lang>/*.ftl`): syntax errors, messages the
/// reference does not have (the pages never show them: a key renamed by
/// an upgrade), and variables or attributes that differ. Unlike a pack, it
/// need not hold every message.
pub fn check_overrides(reference: &str, overrides: &str) -> Vec<PackProblem> {
    check_pack(reference, overrides).into_iter().filter(|p| !matches!(p, PackProblem::Missing(_)) && !p.in_reference()).collect()
}

/// A Fluent syntax error of one side of a check.
fn syntax_problem(side: Side, src: &str, e: &fluent_syntax::parser::ParserError) -> PackProblem {
    PackProblem::Syntax { side, line: syntax_line(src, e), kind: format!("{:?}", e.kind) }
}

/// The line of a Fluent syntax error: where the entry that failed starts,
/// rather than where the parser gave up (often the file's end).
fn syntax_line(src: &str, e: &fluent_syntax::parser::ParserError) -> usize {
    let at = e.slice.as_ref().map_or(e.pos.start, |s| s.start);
    src[..at.min(src.len())].matches('\n').count() + 1
}

/// The primary language subtag of a tag, lowercased (`de-CH` → `de`):
/// what pages negotiate on.
fn primary(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

#[derive(Default)]
struct MessageShape {
    variables: BTreeSet<String>,
    attributes: BTreeSet<String>,
}

fn list(s: &BTreeSet<String>) -> String {
    if s.is_empty() { "none".to_owned() } else { s.iter().map(|v| format!("${v}")).collect::<Vec<_>>().join(", ") }
}

/// The variables a pattern uses (its selectors' included), by name,
/// without `$`: what a translation must keep.
pub fn variables_of(p: &Pattern<&str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    pattern_variables(p, &mut out);
    out
}

fn pattern_variables(p: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for e in &p.elements {
        if let PatternElement::Placeable { expression } = e {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(e: &Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        Expression::Inline(i) => inline_variables(i, out),
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for v in variants {
                pattern_variables(&v.value, out);
            }
        }
    }
}

fn inline_variables(i: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_variables(a, out);
            }
            for a in &arguments.named {
                inline_variables(&a.value, out);
            }
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = "hello = Bonjour { $name } !\nbye = Au revoir\ncount = { $n ->\n    [one] un\n   *[other] { $n } choses\n}\n";

    #[test]
    fn a_complete_pack_passes() {
        let pack = "hello = Hello { $name }!\nbye = Goodbye\ncount = { $n ->\n    [one] one thing\n   *[other] { $n } things\n}\n";
        assert_eq!(check_pack(REFERENCE, pack), []);
    }

    #[test]
    fn a_broken_pack_says_what_is_wrong() {
        let pack = "hello = Hello { $nom }!\ncount = { $n ->\n    [one] one\n   *[other] many\n}\nextra = Extra\nbroken = { $x\n";
        let problems: Vec<String> = check_pack(REFERENCE, pack).iter().map(ToString::to_string).collect();
        assert!(problems.iter().any(|p| p.starts_with("pack: syntax error at line 7")), "{problems:?}");
        assert!(problems.contains(&"missing: bye".to_owned()), "{problems:?}");
        assert!(problems.contains(&"hello: variables $nom where the reference has $name".to_owned()), "{problems:?}");
        assert!(problems.contains(&"extra: extra (not in the reference)".to_owned()), "{problems:?}");
        assert!(!problems.iter().any(|p| p.starts_with("count")), "a variable used only in the selector counts: {problems:?}");
    }
}
