//! `trame theme check|init`: the themes folder (`themes_dir`) from the
//! operator's side. See `trame_web::themes` for what the folder holds.

use anyhow::{Context as _, bail};
use trame_settings::Config;
use trame_web::themes::{builtin, check};

use crate::cli::ThemeCommand;

pub fn run(command: &ThemeCommand, config: &Config) -> anyhow::Result<()> {
    let Some(dir) = config.themes_dir.as_deref() else {
        bail!("no themes_dir is set: set it in trame.toml or TRAME_THEMES_DIR to the folder of theme overrides");
    };
    match command {
        ThemeCommand::Check { tenant } => {
            let findings = check::check(dir, tenant.as_deref());
            let problems = findings.iter().filter(|f| f.problem).count();
            for f in &findings {
                println!("{} {}", if f.problem { "problem:" } else { "note:" }, f.text);
            }
            if problems > 0 {
                bail!("{problems} problem(s) in {}", dir.display());
            }
            println!("{}: no problem", dir.display());
            Ok(())
        }
        ThemeCommand::Init { tenant, templates, force } => {
            if trame_core::ids::TenantSlug::parse(tenant).is_err() {
                bail!("--tenant {tenant}: not a tenant slug");
            }
            if templates.is_empty() {
                println!("built-in templates:");
                for (name, _) in builtin::TEMPLATES {
                    println!("  {name}");
                }
                return Ok(());
            }
            let target = dir.join(tenant).join("templates");
            for name in templates {
                let (Some(src), Some(stamp)) = (builtin::template(name), builtin::stamp(name)) else {
                    bail!("{name}: not a built-in template (trame theme init --tenant {tenant} lists them)");
                };
                let path = target.join(name);
                if path.exists() && !force {
                    bail!("{}: already overridden (--force replaces it)", path.display());
                }
                std::fs::create_dir_all(&target).with_context(|| format!("cannot create {}", target.display()))?;
                std::fs::write(&path, format!("{stamp}\n{src}")).with_context(|| format!("cannot write {}", path.display()))?;
                println!("{}: written from the built-in {name}", path.display());
            }
            Ok(())
        }
    }
}
