//! The themes pages are drawn with: the built-in default theme
//! ([`builtin`]), and what a themes folder ([`folder`]) adds or replaces,
//! per installation (languages) and per tenant (templates, assets,
//! messages). Anything not overridden comes from the built-in theme, so an
//! upgrade brings new pages and messages while the overrides keep working;
//! `trame theme check` ([`check`]) says which overrides to look at again.
//!
//! A node reads the folder at start and again whenever it changes
//! ([`Themes::reload_if_changed`], polled by `trame serve`): the new set
//! replaces the old one at once, without a restart.

pub mod builtin;
pub mod check;
pub mod folder;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use minijinja::value::Kwargs;
use minijinja::{Environment, Value};
use trame_app::i18n::{I18n, Installed, PackFiles};

pub use folder::Asset;

/// One theme: the templates and messages of the pages of one tenant (or
/// of every tenant without overrides), and the tenant's own assets.
pub struct Theme {
    env: Environment<'static>,
    pub i18n: Arc<I18n>,
    /// The templates the folder replaced (the others are built in).
    pub overridden: BTreeSet<String>,
    pub assets: HashMap<String, Asset>,
    /// The digest of each asset, for its address and ETag.
    pub asset_versions: HashMap<String, String>,
}

impl Theme {
    pub fn render(&self, template: &str, ctx: &Value) -> Result<String, minijinja::Error> {
        self.env.get_template(template)?.render(ctx)
    }

    /// Renders with any chain of undefined values allowed: what
    /// `trame theme check` does with its sample context, which cannot hold
    /// every page's variables (a template's own mistakes, an unknown
    /// template, filter or function, still fail).
    pub fn render_sample(&self, template: &str, ctx: &Value) -> Result<String, minijinja::Error> {
        let mut env = self.env.clone();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        env.get_template(template)?.render(ctx)
    }

    /// The tenant's own stylesheet (`static/theme.css`), linked by every
    /// page after the default one, with its version.
    pub fn style(&self) -> Option<&str> {
        self.asset_versions.get("theme.css").map(String::as_str)
    }
}

/// The themes as read at one moment.
pub struct Loaded {
    fingerprint: Option<u64>,
    /// The theme of tenants without overrides: built in, with the
    /// folder's languages.
    pub base: Arc<Theme>,
    /// By tenant slug, those with a folder.
    pub tenants: HashMap<String, Arc<Theme>>,
    /// Each installed language and its name in itself (`language-name`
    /// of its own pack), built-in ones first: the switcher's list.
    pub languages: Vec<(String, String)>,
    /// What the folder holds that could not be used.
    pub problems: Vec<String>,
}

impl Loaded {
    pub fn theme(&self, slug: Option<&str>) -> &Arc<Theme> {
        slug.and_then(|s| self.tenants.get(s)).unwrap_or(&self.base)
    }
}

pub struct Themes {
    dir: Option<PathBuf>,
    /// Where the installed languages are published for discovery.
    installed: Arc<Installed>,
    current: RwLock<Arc<Loaded>>,
}

impl Themes {
    /// The built-in theme only.
    pub fn default_theme() -> Self {
        Self::load(None, Arc::default())
    }

    /// The built-in theme and, when `dir` is set, the themes folder; what
    /// the folder holds that cannot be used is logged and left out.
    pub fn load(dir: Option<PathBuf>, installed: Arc<Installed>) -> Self {
        let loaded = build(dir.as_deref());
        log_problems(&loaded.problems);
        installed.set(loaded.languages.iter().map(|(l, _)| l.clone()).collect(), loaded.base.i18n.clone());
        Self { dir, installed, current: RwLock::new(Arc::new(loaded)) }
    }

    pub fn current(&self) -> Arc<Loaded> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Reads the folder again if it changed since it was last read;
    /// returns whether it did. File reads: call it off the async workers.
    pub fn reload_if_changed(&self) -> bool {
        let Some(dir) = &self.dir else { return false };
        if self.current().fingerprint == Some(folder::fingerprint(dir)) {
            return false;
        }
        let loaded = build(Some(dir));
        tracing::info!(problems = loaded.problems.len(), "the themes folder changed: themes reloaded");
        log_problems(&loaded.problems);
        self.installed.set(loaded.languages.iter().map(|(l, _)| l.clone()).collect(), loaded.base.i18n.clone());
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(loaded);
        true
    }

    /// Whether `lang` is installed; the installed tag if so.
    pub fn installed(&self, lang: &str) -> Option<String> {
        self.current().languages.iter().find(|(l, _)| l == lang).map(|(l, _)| l.clone())
    }

    /// Picks the page's language among those installed (see
    /// [`I18n::negotiate`]).
    pub fn negotiate(&self, ui_locales: &[String], accept_language: Option<&str>) -> String {
        self.current().base.i18n.negotiate(ui_locales, accept_language)
    }

    /// Renders `template` with the built-in theme and the folder's
    /// languages (tests, and pages outside any tenant).
    pub fn render(&self, template: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.current().base.render(template, &ctx)
    }

    /// A built-in asset (`/_trame/assets/<name>`, shared by every tenant).
    pub fn asset(&self, name: &str) -> Option<(&'static str, &'static str)> {
        builtin::ASSETS.iter().find(|(n, _, _)| *n == name).map(|(_, ct, body)| (*ct, *body))
    }

    /// An asset of the tenant's folder, with its version.
    pub fn tenant_asset(&self, slug: &str, name: &str) -> Option<(Asset, String)> {
        let loaded = self.current();
        let theme = loaded.tenants.get(slug)?;
        Some((theme.assets.get(name)?.clone(), theme.asset_versions.get(name)?.clone()))
    }
}

fn log_problems(problems: &[String]) {
    for p in problems {
        tracing::warn!(problem = %p, "themes folder: left out (trame theme check says more)");
    }
}

/// Reads the folder (if any) and builds every theme.
pub fn build(dir: Option<&std::path::Path>) -> Loaded {
    let fingerprint = dir.map(folder::fingerprint);
    let mut folder = dir.map(folder::read).unwrap_or_default();
    let mut problems = std::mem::take(&mut folder.problems);
    let packs = installation_packs(&folder);
    let (i18n, p) = I18n::build(&packs);
    problems.extend(p);
    let i18n = Arc::new(i18n);
    let languages: Vec<(String, String)> = i18n.languages().map(|l| (l.to_owned(), i18n.t(l, "language-name", None))).collect();
    let (env, _, p) = environment(i18n.clone(), &Default::default());
    problems.extend(p);
    let base = Arc::new(Theme { env, i18n, overridden: BTreeSet::new(), assets: HashMap::new(), asset_versions: HashMap::new() });
    let mut tenants = HashMap::new();
    for (slug, files) in folder.tenants {
        let i18n = if files.locales.is_empty() {
            base.i18n.clone()
        } else {
            let mut packs = packs.clone();
            for (lang, overrides) in files.locales {
                match packs.iter_mut().find(|p| p.lang == lang) {
                    Some(p) => p.overrides.extend(overrides),
                    None => problems.push(format!("{slug}/locales/{lang}: not an installed language: left out")),
                }
            }
            let (i18n, p) = I18n::build(&packs);
            problems.extend(p);
            Arc::new(i18n)
        };
        let (env, overridden, p) = environment(i18n.clone(), &files.templates);
        problems.extend(p);
        let asset_versions = files.assets.iter().map(|(n, a)| (n.clone(), digest(&a.body))).collect();
        tenants.insert(slug, Arc::new(Theme { env, i18n, overridden, assets: files.assets.into_iter().collect(), asset_versions }));
    }
    Loaded { fingerprint, base, tenants, languages, problems }
}

/// The built-in packs, each with the folder's overrides of its messages,
/// then the folder's own languages.
fn installation_packs(folder: &folder::Folder) -> Vec<PackFiles> {
    let mut packs: Vec<PackFiles> = builtin::LOCALES
        .iter()
        .map(|(lang, files)| PackFiles {
            lang: (*lang).to_owned(),
            files: files.iter().enumerate().map(|(i, src)| (format!("built-in {lang} #{i}"), (*src).to_owned())).collect(),
            overrides: Vec::new(),
        })
        .collect();
    for (lang, files) in &folder.locales {
        match packs.iter_mut().find(|p| &p.lang == lang) {
            Some(p) => p.overrides.extend(files.iter().cloned()),
            None => packs.push(PackFiles { lang: lang.clone(), files: files.clone(), overrides: Vec::new() }),
        }
    }
    packs
}

fn digest(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// The template environment: the built-in templates, replaced by
/// `overrides` (name → (file, source)) where they parse; the `t` and `dir`
/// functions over `i18n`. Returns it, the templates replaced and what
/// could not be used.
fn environment(i18n: Arc<I18n>, overrides: &std::collections::BTreeMap<String, (String, String)>) -> (Environment<'static>, BTreeSet<String>, Vec<String>) {
    let mut problems = Vec::new();
    let mut replaced = BTreeSet::new();
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    for (name, src) in builtin::TEMPLATES {
        env.add_template(name, src).expect("built-in templates parse");
    }
    for (name, (file, src)) in overrides {
        // A template that does not parse is not added: the built-in one
        // stays.
        match env.add_template_owned(name.clone(), src.clone()) {
            Ok(()) => {
                replaced.insert(name.clone());
            }
            Err(e) => problems.push(format!("{file}: {e}: the built-in template is used")),
        }
    }
    // dir="{{ dir(lang) }}": right to left for Arabic.
    env.add_function("dir", |lang: String| if trame_app::i18n::is_rtl(&lang) { "rtl" } else { "ltr" });
    // {{ t("message-id", name=value) }}: the page's language comes from
    // the `lang` variable every page context carries.
    env.add_function("t", move |state: &minijinja::State, id: String, kwargs: Kwargs| -> Result<String, minijinja::Error> {
        let lang = state.lookup("lang").and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| trame_app::i18n::DEFAULT_LANG.into());
        let mut pairs = Vec::new();
        for k in kwargs.args() {
            let v: Value = kwargs.get(k)?;
            // Numbers stay numbers, for the plural forms.
            let arg = match v.as_i64() {
                Some(n) if v.kind() == minijinja::value::ValueKind::Number => trame_app::i18n::Arg::Number(n),
                _ => trame_app::i18n::Arg::Text(v.to_string()),
            };
            pairs.push((k, arg));
        }
        let a = trame_app::i18n::args(&pairs);
        Ok(i18n.t(&lang, &id, if pairs.is_empty() { None } else { Some(&a) }))
    });
    (env, replaced, problems)
}
