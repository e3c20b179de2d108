//! `trame i18n check|export|import`: the translators' workflow. A
//! language pack is compared with the reference (French), the check CI
//! runs on every shipped language and a translator runs on a pack in
//! progress; a pack goes out to a translation platform or editor as a
//! gettext catalogue (or a Fluent file) and comes back as a Fluent pack in
//! the themes folder, where a running server picks it up.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, anyhow, bail};
use fluent_syntax::ast::{Entry, Identifier, Message, Pattern, Resource};
use polib::catalog::Catalog;
use polib::message::Message as PoMessage;
use polib::metadata::CatalogMetadata;
use trame_app::i18n::{PackProblem, check_overrides, check_pack, is_pack_name, variables_of};
use trame_settings::Config;
use trame_web::themes::folder;

use crate::cli::{I18nCommand, PackFormat};

pub fn run(command: &I18nCommand, config: &Config) -> anyhow::Result<()> {
    let installed = Installed::read(config.themes_dir.as_deref());
    match command {
        I18nCommand::Check { lang, file } => check(&installed, lang.as_deref(), file.as_deref()),
        I18nCommand::Export { lang, format, out } => export(&installed, lang, *format, out.as_deref()),
        I18nCommand::Import { lang, file, format, out } => {
            let out = match (out, &config.themes_dir) {
                (Some(o), _) => o.clone(),
                (None, Some(dir)) => dir.join(folder::LOCALES).join(lang).join("main.ftl"),
                (None, None) => bail!("no themes_dir is set: set it (where the server reads language packs) or give --out"),
            };
            import(&installed, lang, file, *format, &out)
        }
    }
}

/// The packs this installation has: the built-in ones and the themes
/// folder's (a new language, or overrides of a built-in one's messages).
struct Installed {
    reference: String,
    packs: BTreeMap<String, Pack>,
    order: Vec<String>,
}

/// A language's files: its built-in ones (none for a language the folder
/// adds), then the folder's (name, text).
#[derive(Default)]
struct Pack {
    built_in: Vec<String>,
    folder: Vec<(String, String)>,
}

impl Installed {
    fn read(themes_dir: Option<&Path>) -> Self {
        let built_in = trame_web::built_in_locales();
        let reference = built_in[0].1.join("\n");
        let mut packs = BTreeMap::new();
        let mut order = Vec::new();
        for (lang, files) in built_in {
            packs.insert((*lang).to_owned(), Pack { built_in: files.iter().map(|s| (*s).to_owned()).collect(), folder: Vec::new() });
            order.push((*lang).to_owned());
        }
        if let Some(dir) = themes_dir {
            for (lang, files) in folder::read(dir).locales {
                if !packs.contains_key(&lang) {
                    order.push(lang.clone());
                }
                packs.entry(lang).or_default().folder.extend(files);
            }
        }
        Self { reference, packs, order }
    }

    /// The language's messages as the pages show them: its own files, each
    /// later file's messages replacing earlier ones of the same id.
    fn units(&self, lang: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if let Some(pack) = self.packs.get(lang) {
            for src in pack.built_in.iter().chain(pack.folder.iter().map(|(_, s)| s)) {
                for (k, v) in units(src) {
                    out.insert(k, v);
                }
            }
        }
        out
    }
}

/// Problems as `trame i18n check` prints them.
fn texts(problems: Vec<PackProblem>) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

fn check(installed: &Installed, lang: Option<&str>, file: Option<&Path>) -> anyhow::Result<()> {
    let reference = &installed.reference;
    // (name, problems)
    let mut results: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
        results.push((lang.map_or_else(|| path.display().to_string(), str::to_owned), texts(check_pack(reference, &text))));
    } else {
        let langs: Vec<&String> = match lang {
            Some(l) => vec![
                installed
                    .order
                    .iter()
                    .find(|o| *o == l)
                    .ok_or_else(|| anyhow!("--lang {l}: not an installed language ({}); give --file to check a new pack", installed.order.join(", ")))?,
            ],
            None => installed.order.iter().collect(),
        };
        for l in langs {
            let Pack { built_in, folder } = &installed.packs[l];
            let mut problems = Vec::new();
            if built_in.is_empty() {
                // A language the folder adds: its files together are the pack.
                let pack = folder.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>().join("\n");
                problems.extend(texts(check_pack(reference, &pack)));
            } else {
                problems.extend(texts(check_pack(reference, &built_in.join("\n"))));
                for (name, src) in folder {
                    problems.extend(check_overrides(reference, src).into_iter().map(|p| format!("{name}: {p}")));
                }
            }
            results.push((l.clone(), problems));
        }
    }
    let mut failed = 0;
    for (name, problems) in results {
        if problems.is_empty() {
            println!("{name}: complete");
        } else {
            failed += 1;
            println!("{name}: {} problem(s)", problems.len());
            for p in problems {
                println!("  {p}");
            }
        }
    }
    if failed > 0 {
        bail!("{failed} language pack(s) with problems");
    }
    Ok(())
}

fn export(installed: &Installed, lang: &str, format: PackFormat, out: Option<&Path>) -> anyhow::Result<()> {
    if !is_pack_name(lang) {
        bail!("--lang {lang}: a language is two or three lowercase letters (ISO 639), as de or oc");
    }
    let reference = units(&installed.reference);
    let target = installed.units(lang);
    let text = match format {
        PackFormat::Po => to_po(lang, &reference, &target)?,
        PackFormat::Ftl => to_ftl(lang, &reference, &target),
    };
    match out {
        Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    let done = reference.iter().filter(|(k, _)| target.contains_key(k)).count();
    eprintln!("{lang}: {done} of {} messages translated", reference.len());
    Ok(())
}

fn import(installed: &Installed, lang: &str, file: &Path, format: Option<PackFormat>, out: &Path) -> anyhow::Result<()> {
    if !is_pack_name(lang) {
        bail!("--lang {lang}: a language is two or three lowercase letters (ISO 639), as de or oc");
    }
    let format = match format {
        Some(f) => f,
        None if file.extension().is_some_and(|e| e == "po") => PackFormat::Po,
        None if file.extension().is_some_and(|e| e == "ftl") => PackFormat::Ftl,
        None => bail!("{}: say --format po or --format ftl", file.display()),
    };
    let translated: BTreeMap<String, String> = match format {
        PackFormat::Po => from_po(file)?,
        PackFormat::Ftl => {
            let src = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
            let syntax: Vec<String> = check_overrides("", &src).iter().filter(|p| matches!(p, PackProblem::Syntax { .. })).map(ToString::to_string).collect();
            if !syntax.is_empty() {
                bail!("{}: {}", file.display(), syntax.join("; "));
            }
            units(&src).into_iter().collect()
        }
    };
    let reference = units(&installed.reference);
    let unused: Vec<&String> = translated.keys().filter(|k| !reference.iter().any(|(r, _)| r == *k)).collect();
    for k in &unused {
        eprintln!("left out: {k} (no longer a message of the pages)");
    }
    let pack = to_ftl_translated(lang, &reference, &translated);
    let problems = check_pack(&installed.reference, &pack);
    let (missing, wrong): (Vec<PackProblem>, Vec<PackProblem>) = problems.into_iter().partition(|p| matches!(p, PackProblem::Missing(_)));
    if !wrong.is_empty() {
        bail!("{}: not imported: {}", file.display(), texts(wrong).join("; "));
    }
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(out, &pack).with_context(|| format!("cannot write {}", out.display()))?;
    for m in &missing {
        if let PackProblem::Missing(id) = m {
            eprintln!("untranslated (shown in French): {id}");
        }
    }
    println!("{lang}: {} message(s) written to {}, {} untranslated", reference.len() - missing.len(), out.display(), missing.len());
    Ok(())
}

/// Every translatable unit of a Fluent source, by key: a message's value
/// (`id`) and each attribute (`id.attr`), as Fluent source text without
/// its indentation (what a translator edits).
fn units(src: &str) -> Vec<(String, String)> {
    let resource = match fluent_syntax::parser::parse(src) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let mut out = Vec::new();
    for entry in resource.body {
        if let Entry::Message(m) = entry {
            if let Some(v) = &m.value {
                out.push((m.id.name.to_owned(), pattern_source(v)));
            }
            for a in &m.attributes {
                out.push((format!("{}.{}", m.id.name, a.id.name), pattern_source(&a.value)));
            }
        }
    }
    out
}

/// A pattern as Fluent source: serialised as the value of a message, then
/// taken out of it (a multiline pattern loses the four spaces of
/// indentation it has under its message).
fn pattern_source(p: &Pattern<&str>) -> String {
    let message = Message { id: Identifier { name: "x" }, value: Some(p.clone()), attributes: Vec::new(), comment: None };
    let text = fluent_syntax::serializer::serialize(&Resource { body: vec![Entry::Message(message)] });
    let rest = text.strip_prefix("x =").unwrap_or(&text).trim_end_matches('\n');
    match rest.strip_prefix(' ') {
        Some(single) => single.to_owned(),
        None => rest.trim_start_matches('\n').lines().map(|l| l.strip_prefix("    ").unwrap_or(l)).collect::<Vec<_>>().join("\n"),
    }
}

/// `key = pattern` as Fluent source, at the indentation of a message
/// (`indent` 0) or of an attribute (4).
fn fluent_line(name: &str, pattern: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let inner = " ".repeat(indent + 4);
    if pattern.contains('\n') {
        let body: Vec<String> = pattern.lines().map(|l| if l.is_empty() { String::new() } else { format!("{inner}{l}") }).collect();
        format!("{pad}{name} =\n{}\n", body.join("\n"))
    } else {
        format!("{pad}{name} = {pattern}\n")
    }
}

/// The pack of the translated units, in the reference's order; messages
/// whose value is untranslated are left out (the pages show them in
/// French).
fn to_ftl_translated(lang: &str, reference: &[(String, String)], translated: &BTreeMap<String, String>) -> String {
    let mut out = format!("# Trame: the {lang} language pack (imported by trame i18n import).\n\n");
    for (key, _) in reference {
        match key.split_once('.') {
            None => {
                if let Some(v) = translated.get(key) {
                    out.push_str(&fluent_line(key, v, 0));
                }
            }
            Some((id, attr)) => {
                if translated.contains_key(id)
                    && let Some(v) = translated.get(key)
                {
                    out.push_str(&fluent_line(&format!(".{attr}"), v, 4));
                }
            }
        }
    }
    out
}

/// A Fluent file for translators: the translation where there is one, the
/// French text commented out after a `# untranslated` line otherwise.
fn to_ftl(lang: &str, reference: &[(String, String)], target: &BTreeMap<String, String>) -> String {
    let mut out = format!(
        "# Trame: the {lang} language pack. Translate each message commented out under \"untranslated\" (remove the # signs);\n# keep {{ $variables }} as they are. Check with: trame i18n check --lang {lang} --file <this file>\n\n"
    );
    for (key, fr) in reference {
        let (name, indent, id) = match key.split_once('.') {
            None => (key.clone(), 0, key.as_str()),
            Some((id, attr)) => (format!(".{attr}"), 4, id),
        };
        match target.get(key) {
            Some(t) if target.contains_key(id) => out.push_str(&fluent_line(&name, t, indent)),
            _ => {
                out.push_str(&format!("# untranslated: {key}\n"));
                for l in fluent_line(&name, fr, indent).lines() {
                    out.push_str(&format!("# {l}\n"));
                }
            }
        }
    }
    out
}

fn to_po(lang: &str, reference: &[(String, String)], target: &BTreeMap<String, String>) -> anyhow::Result<String> {
    let mut metadata = CatalogMetadata::new();
    metadata.project_id_version = "Trame".into();
    metadata.language = lang.into();
    metadata.mime_version = "1.0".into();
    metadata.content_type = "text/plain; charset=UTF-8".into();
    metadata.content_transfer_encoding = "8bit".into();
    let mut catalog = Catalog::new(metadata);
    for (key, fr) in reference {
        let vars = variables(fr);
        let mut note = String::from("Fluent syntax: keep { $variables } and { $n -> [one] … *[other] … } selectors as they are.");
        if !vars.is_empty() {
            note = format!("Variables: {}. {note}", vars.join(", "));
        }
        let msgstr = if lang == "fr" { Some(fr.clone()) } else { target.get(key).cloned() };
        catalog.append_or_update(
            PoMessage::build_singular()
                .with_msgctxt(key.clone())
                .with_msgid(fr.clone())
                .with_msgstr(msgstr.unwrap_or_default())
                .with_extracted_comments(note)
                .done(),
        );
    }
    let mut buf = std::io::BufWriter::new(Vec::new());
    polib::po_file::write(&catalog, &mut buf)?;
    Ok(String::from_utf8(buf.into_inner()?)?)
}

fn from_po(file: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let catalog = polib::po_file::parse(file).map_err(|e| anyhow!("{}: {e}", file.display()))?;
    let mut out = BTreeMap::new();
    for m in catalog.messages() {
        let Some(key) = m.msgctxt() else { continue };
        if m.is_fuzzy() || !m.is_translated() {
            continue;
        }
        if let Ok(s) = m.msgstr()
            && !s.trim().is_empty()
        {
            out.insert(key.to_owned(), s.to_owned());
        }
    }
    Ok(out)
}

/// The `$variables` a pattern's source uses, for translators' notes: read
/// from its Fluent syntax tree, as the pack check reads them.
fn variables(src: &str) -> Vec<String> {
    let message = fluent_line("x", src, 0);
    let resource = fluent_syntax::parser::parse(message.as_str()).unwrap_or_else(|(r, _)| r);
    let pattern = resource.body.iter().find_map(|e| match e {
        Entry::Message(m) => m.value.as_ref(),
        _ => None,
    });
    pattern.map(|p| variables_of(p).into_iter().map(|v| format!("${v}")).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const REFERENCE: &str = "hello = Bonjour { $name } !\ncount =\n    { $n ->\n        [one] une chose\n       *[other] { $n } choses\n    }\nbutton = Envoyer\n    .title = Envoyer le formulaire\n";

    #[test]
    fn patterns_come_out_and_go_back_unchanged() {
        let u = units(REFERENCE);
        let keys: Vec<&str> = u.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["hello", "count", "button", "button.title"]);
        assert_eq!(u[0].1, "Bonjour { $name } !");
        assert!(u[1].1.starts_with("{ $n ->\n    [one] une chose"), "{:?}", u[1].1);
        let all: BTreeMap<String, String> = u.iter().cloned().collect();
        let pack = to_ftl_translated("fr", &u, &all);
        assert_eq!(check_pack(REFERENCE, &pack), [], "{pack}");
        assert_eq!(units(&pack), u);
    }

    #[test]
    fn a_po_catalogue_round_trips_and_untranslated_messages_stay_out() {
        let u = units(REFERENCE);
        let mut de = BTreeMap::new();
        de.insert("hello".to_owned(), "Hallo { $name }!".to_owned());
        de.insert("button".to_owned(), "Senden".to_owned());
        de.insert("button.title".to_owned(), "Formular senden".to_owned());
        let po = to_po("de", &u, &de).unwrap();
        assert!(po.contains("msgctxt \"hello\""), "{po}");
        assert!(po.contains("Variables: $name"), "{po}");
        // Read from the syntax tree: a selector's variable once, a `$` in
        // the text is no variable.
        assert_eq!(variables(&u[1].1), ["$n"]);
        assert_eq!(variables("5 $ de frais pour { $name } et { $count }"), ["$count", "$name"]);
        let dir = tempfile_dir();
        let path = dir.join("de.po");
        std::fs::write(&path, po).unwrap();
        let back = from_po(&path).unwrap();
        assert_eq!(back, de, "the untranslated `count` has an empty msgstr and is not read back");
        let pack = to_ftl_translated("de", &u, &back);
        assert_eq!(check_pack(REFERENCE, &pack), [PackProblem::Missing("count".into())]);
    }

    #[test]
    fn an_ftl_export_marks_what_is_untranslated_and_stays_valid() {
        let u = units(REFERENCE);
        let mut de = BTreeMap::new();
        de.insert("hello".to_owned(), "Hallo { $name }!".to_owned());
        let ftl = to_ftl("de", &u, &de);
        assert!(ftl.contains("# untranslated: count\n# count =\n"), "{ftl}");
        assert!(ftl.contains("hello = Hallo { $name }!\n"));
        assert!(check_overrides(REFERENCE, &ftl).is_empty(), "{ftl}");
    }

    fn tempfile_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "trame-i18n-{}-{}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
