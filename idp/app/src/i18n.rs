//! Translations with Fluent. Every visible string goes through here; French
//! is the default, English the fallback for any missing message.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

pub const DEFAULT_LANG: &str = "fr";

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

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.bundles.iter().map(|(l, _)| l.as_str())
    }

    /// Picks the language: the first supported of `ui_locales`, then of
    /// Accept-Language (by q-value), then French.
    pub fn negotiate(&self, ui_locales: &[String], accept_language: Option<&str>) -> String {
        let supported: Vec<&str> = self.languages().collect();
        let primary = |tag: &str| tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
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
