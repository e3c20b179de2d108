//! The settings file (`trame.toml`, read by `trame_settings::Config`) and
//! the `TRAME_*` variables: the input is TOML, then optionally a line
//! `#ENV NAME=value` per variable.
//!
//! Invariants: loading never panics; an error names at least one problem,
//! each with a key; accepted settings hold what validation promises (a
//! usable database URL and Redis URL, a non-empty Redis prefix, TLS files
//! in pairs).
#![no_main]
use libfuzzer_sys::fuzz_target;
use trame_settings::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let env: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| l.strip_prefix("#ENV "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    match Config::from_toml(text, &env) {
        Ok(c) => {
            assert!(c.database_url.starts_with("sqlite:") || c.database_url.starts_with("postgres://") || c.database_url.starts_with("postgresql://"));
            assert!(c.redis_url.as_deref().is_none_or(|r| r.starts_with("redis://") || r.starts_with("rediss://") || r.starts_with("redis+unix://")));
            assert!(!c.redis_prefix.is_empty());
            assert!(!c.public_url.as_str().ends_with('/'));
        }
        Err(e) => {
            assert!(!e.0.is_empty(), "an error without a problem");
            assert!(e.0.iter().all(|p| !p.key.is_empty()));
            let _ = e.to_string();
            // `smtp://u:PASSWORD@host`: the problem about smtp_url never shows the password.
            if let Some(secret) = text.lines().find_map(|l| l.trim().strip_prefix("smtp_url = \"smtp://u:")).and_then(|r| r.split('@').next())
                && secret.len() >= 8
            {
                assert!(e.0.iter().filter(|p| p.key == "smtp_url").all(|p| !p.message.contains(secret)), "the SMTP password was echoed");
            }
        }
    }
});
