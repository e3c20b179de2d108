//! `trame theme check`: what an operator should look at in a themes
//! folder, typically after an upgrade. A template override whose built-in
//! template changed since it was written (its stamp names an older
//! version), or that has no stamp; templates, pages or messages that fail
//! to parse or render; message overrides of ids the built-in pack no
//! longer has, or with other variables; files left out.

use std::path::Path;

use minijinja::{Value, context};

use super::{builtin, folder};

/// One finding, about a file or a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub problem: bool,
    pub text: String,
}

impl Finding {
    fn problem(text: String) -> Self {
        Self { problem: true, text }
    }
    fn note(text: String) -> Self {
        Self { problem: false, text }
    }
}

/// Checks the folder `dir`, or only what concerns the tenant `only`.
pub fn check(dir: &Path, only: Option<&str>) -> Vec<Finding> {
    let mut out = Vec::new();
    let loaded = super::build(Some(dir));
    let folder = folder::read(dir);
    let concerns = |text: &str| only.is_none_or(|slug| text.starts_with(&format!("{slug}/")) || text.starts_with(&format!("{slug}:")));
    // What could not be used at all, as `trame serve` logs it.
    out.extend(loaded.problems.iter().filter(|p| concerns(p) || (only.is_none() && !p.contains('/'))).map(|p| Finding::problem(p.clone())));
    let reference = builtin::LOCALES[0].1.join("\n");
    if only.is_none() {
        for (lang, files) in &folder.locales {
            let built_in = builtin::LOCALES.iter().any(|(l, _)| l == lang);
            if built_in {
                for (file, src) in files {
                    out.extend(trame_app::i18n::check_overrides(&reference, src).into_iter().map(|p| Finding::problem(format!("{file}: {p}"))));
                }
            } else {
                let pack = files.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>().join("\n");
                out.extend(trame_app::i18n::check_pack(&reference, &pack).into_iter().map(|p| Finding::problem(format!("locales/{lang}: {p}"))));
            }
        }
    }
    for (slug, files) in folder.tenants.iter().filter(|(s, _)| only.is_none_or(|o| o == *s)) {
        if trame_core::ids::TenantSlug::parse(slug).is_err() {
            out.push(Finding::problem(format!("{slug}: not a tenant slug (lowercase letters, digits and dashes): no tenant uses this folder")));
            continue;
        }
        for (name, (file, src)) in &files.templates {
            match (builtin::version(name), builtin::stamped_version(name, src)) {
                (None, _) => out.push(Finding::note(format!("{file}: not a built-in template: used where another template includes it"))),
                (Some(_), None) => out.push(Finding::problem(format!(
                    "{file}: no version stamp, so whether {name} changed since cannot be told; once it matches the built-in one, make its first line: {}",
                    builtin::stamp(name).unwrap_or_default()
                ))),
                (Some(now), Some(was)) if now != was => out.push(Finding::problem(format!(
                    "{file}: the built-in {name} changed since this override was written (based on {was}, built-in now {now}): compare them (`trame theme init --tenant {slug} {name} --force` writes the new one), then update the stamp"
                ))),
                (Some(_), Some(_)) => {}
            }
        }
        for overrides in files.locales.values() {
            for (file, src) in overrides {
                out.extend(trame_app::i18n::check_overrides(&reference, src).into_iter().map(|p| Finding::problem(format!("{file}: {p}"))));
            }
        }
        // Every page, in every language, as this tenant's theme draws it.
        let theme = loaded.theme(Some(slug));
        for (lang, _) in &loaded.languages {
            for (template, _) in builtin::TEMPLATES {
                if let Err(e) = theme.render_sample(template, &sample(lang, slug)) {
                    out.push(Finding::problem(format!("{slug}: {template} in {lang} does not render: {e:#}")));
                }
            }
        }
    }
    out
}

/// A page context with what every page has (language, tenant, a title
/// and message) and the rest left undefined, which templates must bear
/// (a page shows only what it is given).
pub fn sample(lang: &str, slug: &str) -> Value {
    context! {
        lang => lang,
        tenant => context! {
            name => format!("Tenant {slug}"),
            home => "https://example.org/",
            legal_notice => "https://example.org/legal",
            privacy => "https://example.org/privacy",
            accessibility => "https://example.org/a11y",
            accessibility_status => "partial",
            contact => "https://example.org/contact",
            transparency => format!("/{slug}/transparence"),
            language => format!("/{slug}/language"),
        },
        languages => vec![context! { code => "fr", name => "Français", href => "/language?set=fr", current => true }],
        title => "error-title",
        message => "error-not-found",
        is_error => true,
        base => format!("/{slug}"),
        interaction => "sample",
        csrf => "sample",
        client_name => "Service",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_page_renders_with_the_sample_context() {
        let loaded = super::super::build(None);
        for (lang, _) in &loaded.languages {
            for (template, _) in builtin::TEMPLATES {
                if let Err(e) = loaded.base.render_sample(template, &sample(lang, "ville")) {
                    panic!("{template} in {lang}: {e:#}");
                }
            }
        }
    }
}
