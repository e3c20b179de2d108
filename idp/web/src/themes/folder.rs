//! Reading a themes folder (the `themes_dir` setting):
//!
//! ```text
//! <themes_dir>/locales/<lang>/*.ftl          a language pack, or overrides of a built-in language's messages
//! <themes_dir>/<slug>/templates/<name>.html  replaces the built-in template <name>.html for tenant <slug>
//! <themes_dir>/<slug>/static/<file>          served at <issuer>/brand/static/<file> (theme.css is linked by every page)
//! <themes_dir>/<slug>/locales/<lang>/*.ftl   overrides messages of an installed language for tenant <slug>
//! ```
//!
//! Everything is read into memory at once (a folder of a few files per
//! tenant); what cannot be used is left out and said, so one bad file
//! never takes the pages down. Only plain names, one level deep: nothing
//! outside the folder is read through a name.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Larger files are left out: a template or a message file is a few
/// kilobytes, an asset a few hundred.
const MAX_TEXT: u64 = 256 * 1024;
const MAX_ASSET: u64 = 2 * 1024 * 1024;

/// The folder holding installation-wide languages, not a tenant's.
pub const LOCALES: &str = "locales";

#[derive(Debug, Default)]
pub struct Folder {
    /// Per language, its files (name for messages, contents).
    pub locales: BTreeMap<String, Vec<(String, String)>>,
    pub tenants: BTreeMap<String, TenantFiles>,
    /// What was left out, and why.
    pub problems: Vec<String>,
}

#[derive(Debug, Default)]
pub struct TenantFiles {
    /// Template name → (file name for messages, source).
    pub templates: BTreeMap<String, (String, String)>,
    pub assets: BTreeMap<String, Asset>,
    pub locales: BTreeMap<String, Vec<(String, String)>>,
}

#[derive(Debug, Clone)]
pub struct Asset {
    pub content_type: &'static str,
    pub body: axum::body::Bytes,
}

/// The content type of an asset by its extension; other files are not
/// served.
pub fn content_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// A name that can be served and read safely: letters, digits, `.`, `_`
/// and `-`, not starting with a dot (no hidden files, no `..`).
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 100 && !name.starts_with('.') && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

pub fn read(dir: &Path) -> Folder {
    let mut folder = Folder::default();
    let shown = |p: &Path| p.strip_prefix(dir).unwrap_or(p).display().to_string();
    for (name, path) in entries(dir, &mut folder.problems) {
        if !path.is_dir() {
            continue;
        }
        if name == LOCALES {
            folder.locales = read_locales(&path, &shown, &mut folder.problems);
            continue;
        }
        let mut files = TenantFiles::default();
        let templates = path.join("templates");
        if templates.is_dir() {
            for (file, p) in entries(&templates, &mut folder.problems) {
                if file.ends_with(".html") && is_plain_name(&file) {
                    if let Some(src) = read_text(&p, &shown, &mut folder.problems) {
                        files.templates.insert(file.clone(), (shown(&p), src));
                    }
                } else {
                    folder.problems.push(format!("{}: not a template (a plain name ending in .html): left out", shown(&p)));
                }
            }
        }
        let statics = path.join("static");
        if statics.is_dir() {
            for (file, p) in entries(&statics, &mut folder.problems) {
                match (is_plain_name(&file), content_type(&file)) {
                    (true, Some(ct)) => match read_bytes(&p, MAX_ASSET) {
                        Ok(body) => {
                            files.assets.insert(file, Asset { content_type: ct, body: body.into() });
                        }
                        Err(why) => folder.problems.push(format!("{}: {why}: left out", shown(&p))),
                    },
                    _ => folder.problems.push(format!("{}: not an asset Trame serves (css, js, images, fonts, txt, plain names): left out", shown(&p))),
                }
            }
        }
        let locales = path.join(LOCALES);
        if locales.is_dir() {
            files.locales = read_locales(&locales, &shown, &mut folder.problems);
        }
        folder.tenants.insert(name, files);
    }
    folder
}

/// `<dir>/<lang>/*.ftl`, for the languages named as packs are.
fn read_locales(dir: &Path, shown: &dyn Fn(&Path) -> String, problems: &mut Vec<String>) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out = BTreeMap::new();
    for (lang, path) in entries(dir, problems) {
        if !path.is_dir() {
            continue;
        }
        if !trame_app::i18n::is_pack_name(&lang) {
            problems.push(format!("{}: not a language (two or three lowercase letters, as `br` or `oc`): left out", shown(&path)));
            continue;
        }
        let mut files = Vec::new();
        for (file, p) in entries(&path, problems) {
            if file.ends_with(".ftl") && is_plain_name(&file) {
                if let Some(src) = read_text(&p, shown, problems) {
                    files.push((shown(&p), src));
                }
            } else {
                problems.push(format!("{}: not a Fluent file (.ftl): left out", shown(&p)));
            }
        }
        out.insert(lang, files);
    }
    out
}

/// The entries of `dir` by name, sorted (the same order on every node).
fn entries(dir: &Path, problems: &mut Vec<String>) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            for e in rd.flatten() {
                match e.file_name().into_string() {
                    Ok(name) if !name.starts_with('.') => out.push((name, e.path())),
                    Ok(_) => {}
                    Err(_) => problems.push(format!("{}: a name that is not UTF-8: left out", e.path().display())),
                }
            }
        }
        Err(e) => problems.push(format!("{}: {e}", dir.display())),
    }
    out.sort();
    out
}

fn read_text(p: &Path, shown: &dyn Fn(&Path) -> String, problems: &mut Vec<String>) -> Option<String> {
    match read_bytes(p, MAX_TEXT).map(String::from_utf8) {
        Ok(Ok(s)) => Some(s),
        Ok(Err(_)) => {
            problems.push(format!("{}: not UTF-8 text: left out", shown(p)));
            None
        }
        Err(why) => {
            problems.push(format!("{}: {why}: left out", shown(p)));
            None
        }
    }
}

fn read_bytes(p: &Path, max: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(p).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a file".into());
    }
    if meta.len() > max {
        return Err(format!("larger than {} KiB", max / 1024));
    }
    std::fs::read(p).map_err(|e| e.to_string())
}

/// A digest of what the folder holds (names, sizes, modification times),
/// cheap enough to compute every few seconds: a reload happens when it
/// changes.
pub fn fingerprint(dir: &Path) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    fn walk(dir: &Path, depth: u8, h: &mut impl Hasher) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        let mut items: Vec<_> = rd.flatten().collect();
        items.sort_by_key(|e| e.file_name());
        for e in items {
            e.file_name().hash(h);
            if let Ok(m) = std::fs::metadata(e.path()) {
                m.len().hash(h);
                m.modified().ok().hash(h);
                if m.is_dir() && depth < 4 {
                    walk(&e.path(), depth + 1, h);
                }
            }
        }
    }
    walk(dir, 0, &mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_read() {
        for ok in ["login.html", "theme.css", "logo-2.svg", "a_b.png"] {
            assert!(is_plain_name(ok), "{ok}");
        }
        for bad in ["", ".hidden", "..", "../x", "a/b", "a\\b", "é.css", "a b.css"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
        assert_eq!(content_type("theme.CSS"), Some("text/css; charset=utf-8"));
        assert_eq!(content_type("run.sh"), None);
        assert_eq!(content_type("noextension"), None);
    }
}
