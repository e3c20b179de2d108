//! `trame i18n check`: a language pack compared with the reference
//! (French), the check CI runs on every shipped language and a
//! translator runs on a pack in progress.

use anyhow::{anyhow, bail};
use trame_app::i18n::check_pack;

use crate::cli::I18nCommand;

pub fn run(command: &I18nCommand) -> anyhow::Result<()> {
    match command {
        I18nCommand::Check { lang, file } => check(lang.as_deref(), file.as_deref()),
    }
}

fn check(lang: Option<&str>, file: Option<&std::path::Path>) -> anyhow::Result<()> {
    let built_in = trame_web::built_in_locales();
    let reference = built_in.first().map(|(_, files)| files.join("\n")).ok_or_else(|| anyhow!("no built-in language"))?;
    let packs: Vec<(String, String)> = match (lang, file) {
        (_, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
            vec![(lang.map_or_else(|| path.display().to_string(), str::to_owned), text)]
        }
        (Some(l), None) => {
            let (_, files) = built_in.iter().find(|(b, _)| *b == l).ok_or_else(|| {
                anyhow!(
                    "--lang {l}: not a built-in language ({}); give --file to check a new pack",
                    built_in.iter().map(|(b, _)| *b).collect::<Vec<_>>().join(", ")
                )
            })?;
            vec![(l.to_owned(), files.join("\n"))]
        }
        (None, None) => built_in.iter().map(|(l, files)| ((*l).to_owned(), files.join("\n"))).collect(),
    };
    let mut failed = 0;
    for (name, text) in &packs {
        let problems = check_pack(&reference, text);
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
