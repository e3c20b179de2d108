//! The operator CLI, run as a real process, on the embedded defaults and on
//! PostgreSQL.

use std::os::unix::fs::PermissionsExt;

use crate::common::{Install, secret_of};

async fn installs() -> Vec<(&'static str, Install)> {
    vec![("embedded", Install::embedded()), ("postgres", Install::scaled_out().await)]
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A refused command exits non-zero with one `error:` line on stderr.
fn assert_refused(out: &std::process::Output, needle: &str) {
    assert!(!out.status.success(), "expected failure, got success: {}", String::from_utf8_lossy(&out.stdout));
    let text = stderr(out);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "one error line expected: {}", stderr(out));
    assert!(errors[0].contains(needle), "error {:?} should mention {needle:?}", errors[0]);
    let message = errors[0].strip_prefix("error: ").unwrap_or(errors[0]);
    assert!(!message.starts_with(char::is_uppercase), "error {:?} should start in lower case", errors[0]);
}

#[tokio::test]
async fn first_command_initializes_storage_with_a_default_tenant() {
    let i = Install::embedded();
    let out = i.ok(&["tenant", "list"]);
    let default = out.lines().find(|l| l.starts_with("default ")).expect("default tenant listed");
    assert!(default.contains(&i.public_url), "{default}");
    let key = i.dir.path.join("data/master.key");
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(i.dir.path.join("data/trame.db").exists());
    // Idempotent: a second command neither recreates the key nor the tenant.
    let key_before = std::fs::read(&key).unwrap();
    assert_eq!(i.ok(&["tenant", "list"]).lines().filter(|l| l.starts_with("default ")).count(), 1);
    assert_eq!(std::fs::read(&key).unwrap(), key_before);
    assert!(i.ok(&["migrate"]).contains("up to date"));
}

#[tokio::test]
async fn tenants_clients_users_and_keys() {
    for (name, i) in installs().await {
        let out = i.ok(&["tenant", "add", "ville", "--display-name", "Ville d'Exemple"]);
        assert!(out.contains(&format!("{}/ville", i.public_url)), "{name}: {out}");
        i.ok(&["tenant", "add", "metropole", "--issuer", "https://login.metropole.example"]);
        let list = i.ok(&["tenant", "list"]);
        assert!(list.contains("https://login.metropole.example") && list.contains("Ville d'Exemple"), "{name}: {list}");

        let out = i.ok(&[
            "client",
            "add",
            "--tenant",
            "ville",
            "--client-id",
            "portail",
            "--redirect-uri",
            "https://portail.example/cb",
            "--redirect-uri",
            "https://portail.example/cb2",
            "--scope",
            "openid email",
        ]);
        let secret = secret_of(&out);
        assert!(secret.len() >= 43, "{name}: generated secret too short");
        let list = i.ok(&["client", "list", "--tenant", "ville"]);
        assert!(list.contains("portail") && list.contains("https://portail.example/cb2"), "{name}: {list}");
        assert!(!list.contains(&secret), "{name}: the secret is shown once only");

        let out = i.ok_with_input(
            &["client", "add", "--tenant", "ville", "--client-id", "chosen", "--redirect-uri", "https://a.example/cb", "--secret-stdin"],
            "s3cret-s3cret-s3cret-s3cret-s3cret\n",
        );
        assert!(!out.contains("client_secret:"), "{name}: a secret given on stdin is not echoed");
        i.ok(&["client", "add", "--tenant", "ville", "--client-id", "signed-userinfo", "--redirect-uri", "https://s.example/cb", "--userinfo-alg", "ES256"]);
        assert!(
            !i.cli(&["client", "add", "--tenant", "ville", "--client-id", "unsigned", "--redirect-uri", "https://u.example/cb", "--userinfo-alg", "none"])
                .status
                .success(),
            "{name}: alg none refused"
        );
        let out = i.ok(&["client", "add", "--tenant", "ville", "--client-id", "spa", "--public", "--redirect-uri", "https://spa.example/cb"]);
        assert!(out.contains("auth_method: none") && !out.contains("client_secret"), "{name}: {out}");

        i.ok(&["client", "remove", "--tenant", "ville", "--client-id", "spa"]);
        assert_refused(&i.cli(&["client", "remove", "--tenant", "ville", "--client-id", "spa"]), "not found");

        let out = i.ok_with_input(
            &["user", "add", "--tenant", "ville", "--username", "Camille", "--email", "camille@example.fr", "--given-name", "Camille", "--password-stdin"],
            "un mot de passe long\n",
        );
        assert!(out.contains("Camille"), "{name}: {out}");
        i.ok(&["user", "add", "--tenant", "ville", "--username", "dominique", "--phone-number", "+33 6 12 34 56 78", "--address-country", "FR"]);
        assert_refused(&i.cli(&["user", "add", "--tenant", "ville", "--username", "camille"]), "already exists");
        // A name that only looks the same (capital I for l, Cyrillic а) is taken too.
        assert_refused(&i.cli(&["user", "add", "--tenant", "ville", "--username", "CamiIle"]), "looks the same");
        assert_refused(&i.cli(&["user", "add", "--tenant", "ville", "--username", "c\u{430}mille"]), "looks the same");
        i.ok_with_input(&["user", "set-password", "--tenant", "ville", "--username", "camille"], "un autre mot de passe\n");
        assert_refused(&i.cli_with_input(&["user", "set-password", "--tenant", "ville", "--username", "nobody"], "whatever-long-password\n"), "not found");
        assert!(i.ok(&["user", "list", "--tenant", "ville"]).contains("camille@example.fr"), "{name}");
        // Every list also speaks JSON, one object per line.
        let json_lines = |args: &[&str]| -> Vec<serde_json::Value> {
            i.ok(args).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: {e}: {l}"))).collect()
        };
        assert!(json_lines(&["user", "list", "--tenant", "ville", "--json"]).iter().any(|u| u["email"] == "camille@example.fr"), "{name}");
        assert!(json_lines(&["tenant", "list", "--json"]).iter().any(|t| t["slug"] == "ville" && t["issuer"].as_str().is_some()), "{name}");
        assert!(
            json_lines(&["client", "list", "--tenant", "ville", "--json"])
                .iter()
                .any(|c| c["client_id"] == "portail" && c["redirect_uris"].as_array().is_some_and(|u| u.iter().any(|u| u == "https://portail.example/cb2"))),
            "{name}"
        );
        assert_eq!(json_lines(&["keys", "list", "--tenant", "ville", "--json"]).iter().filter(|k| k["status"] == "active").count(), 1, "{name}");

        // The account's life: shown, disabled, enabled, erased, each in the audit trail.
        let shown = i.ok(&["user", "show", "--tenant", "ville", "--username", "dominique", "--json"]);
        let shown: serde_json::Value = serde_json::from_str(shown.trim()).unwrap_or_else(|e| panic!("{name}: {e}: {shown}"));
        assert_eq!(shown["phone_number"], "+33612345678", "{name}: {shown}");
        assert_eq!(shown["address"]["country"], "FR", "{name}: {shown}");
        assert!(shown["disabled_at"].is_null(), "{name}: {shown}");
        assert!(i.ok(&["user", "disable", "--tenant", "ville", "--username", "dominique"]).contains("disabled"), "{name}");
        assert!(i.ok(&["user", "show", "--tenant", "ville", "--username", "dominique"]).contains("disabled since"), "{name}");
        i.ok(&["user", "enable", "--tenant", "ville", "--username", "dominique"]);
        assert!(i.ok(&["user", "end-sessions", "--tenant", "ville", "--username", "dominique"]).contains("0 session(s)"), "{name}");
        assert_refused(&i.cli(&["user", "remove", "--tenant", "ville", "--username", "dominique"]), "--yes");
        assert!(i.ok(&["user", "show", "--tenant", "ville", "--username", "dominique"]).contains("dominique"), "{name}: not erased without --yes");
        i.ok(&["user", "remove", "--tenant", "ville", "--username", "dominique", "--yes"]);
        assert_refused(&i.cli(&["user", "show", "--tenant", "ville", "--username", "dominique"]), "no user");
        let trail = i.ok(&["audit", "list", "--tenant", "ville", "--json"]);
        let actions: Vec<String> =
            trail.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["action"].as_str().unwrap().to_owned()).collect();
        for a in ["user.created", "user.disabled", "user.enabled", "user.sessions_ended", "user.removed"] {
            assert!(actions.iter().any(|x| x == a), "{name}: {a} in {actions:?}");
        }
        assert!(trail.contains("\"actor\":\"cli:"), "{name}: {trail}");
        assert_refused(&i.cli(&["audit", "list", "--since", "yesterday"]), "--since");
        assert!(i.ok(&["audit", "list", "--since", "2000-01-01", "--action", "user.removed"]).contains("user.removed"), "{name}");

        let before = i.ok(&["keys", "list", "--tenant", "ville"]);
        assert_eq!(before.lines().filter(|l| l.contains("active")).count(), 1, "{name}: {before}");
        let out = i.ok(&["keys", "rotate", "--tenant", "ville", "--alg", "EdDSA"]);
        assert!(out.contains("EdDSA"), "{name}: {out}");
        let out = i.ok(&["keys", "rotate", "--tenant", "ville", "--delay", "3600"]);
        let kid = out.split_whitespace().nth(3).unwrap().trim_end_matches(',').to_owned();
        let after = i.ok(&["keys", "list", "--tenant", "ville"]);
        let row = after.lines().find(|l| l.starts_with(&kid)).unwrap_or_else(|| panic!("{name}: {kid} in {after}"));
        assert!(row.contains("next"), "{name}: {row}");
    }
}

#[tokio::test]
async fn bad_arguments_are_refused_and_nothing_is_written() {
    for (name, i) in installs().await {
        i.ok(&["tenant", "list"]);
        let clients_before = i.ok(&["client", "list"]);
        let tenants_before = i.ok(&["tenant", "list"]);
        let cases: Vec<(Vec<&str>, &str, &str)> = vec![
            (vec!["tenant", "add", "Bad Slug"], "", "slug"),
            (vec!["tenant", "add", "x", "--issuer", "ftp://x.example"], "", "issuer"),
            (vec!["tenant", "add", "default"], "", "already exists"),
            (vec!["tenant", "add", "jwks"], "", "reserved"),
            (vec!["user", "add", "--username", "camille@ville-b.fr"], "", "address"),
            (vec!["user", "add", "--username", "ali\u{200b}ce"], "", "invisible"),
            (vec!["user", "add", "--username", "bob", "--phone-number", "06 12 34 56 78"], "", "--phone-number"),
            (vec!["user", "add", "--username", "bob", "--address-locality", "Trame\u{7}"], "", "--address-locality"),
            (vec!["tenant", "set", "default", "--usernames", "emails"], "", "--usernames"),
            (vec!["tenant", "add", "federation"], "", "reserved"),
            (vec!["tenant", "set", "default", "--credential-upgrade", "sometimes"], "", "--credential-upgrade"),
            (vec!["client", "add", "--tenant", "nope", "--client-id", "a", "--redirect-uri", "https://a.example/cb"], "", "no tenant"),
            (vec!["client", "add", "--client-id", "a", "--redirect-uri", "http://evil.example/cb"], "", "http is allowed only"),
            (vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb#frag"], "", "fragment"),
            (vec!["client", "add", "--client-id", "a"], "", "--redirect-uri: at least one redirect URI is required"),
            (
                vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb", "--sector-identifier-uri", "http://a.example/s.json"],
                "",
                "--sector-identifier-uri",
            ),
            (
                vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb", "--sector-identifier-uri", "https://127.0.0.1:9/s.json"],
                "",
                "could not be fetched",
            ),
            (
                vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb", "--backchannel-logout-uri", "http://a.example/bc"],
                "",
                "--backchannel-logout-uri",
            ),
            (
                vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb", "--frontchannel-logout-uri", "https://b.example/fc"],
                "",
                "--frontchannel-logout-uri",
            ),
            (vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb", "--policy-uri", "javascript:alert(1)"], "", "--policy-uri"),
            (vec!["client", "token", "--days", "0"], "", "--days"),
            (vec!["client", "token", "--uses", "0"], "", "--uses"),
            (vec!["client", "token", "--tenant", "nowhere"], "", "nowhere"),
            (vec!["tenant", "set", "default", "--dynamic-registration", "sometimes"], "", "--dynamic-registration"),
            (vec!["tenant", "set", "default", "--dynamic-client-pkce", "maybe"], "", "--dynamic-client-pkce"),
            (
                vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb", "--public", "--auth-method", "client_secret_basic"],
                "",
                "--public",
            ),
            (vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb", "--auth-method", "private_key_jwt"], "", "jwks"),
            (vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb", "--secret-stdin"], "short\n", "at least 32"),
            (vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb", "--secret-stdin"], "", "standard input"),
            (vec!["client", "add", "--client-id", "a", "--public", "--grant-type", "client_credentials"], "", "confidential"),
            (vec!["client", "add", "--client-id", "a", "--redirect-uri", "https://a.example/cb", "--scope", "openid \"bad\""], "", "--scope"),
            (
                vec![
                    "client",
                    "add",
                    "--client-id",
                    "a",
                    "--redirect-uri",
                    "https://a.example/cb",
                    "--redirect-uri",
                    "https://b.example/cb",
                    "--subject-type",
                    "pairwise",
                ],
                "",
                "pairwise",
            ),
            (vec!["user", "add", "--username", "bob", "--email", "not-an-address"], "", "--email"),
            (vec!["user", "add", "--username", "bob", "--password-stdin"], "short\n", "8"),
            (vec!["keys", "rotate", "--delay=-5"], "", "--delay"),
        ];
        for (args, input, needle) in cases {
            let out = i.cli_with_input(&args, input);
            assert_refused(&out, needle);
            let _ = name;
        }
        // clap's own refusals (unknown flag, bad enum value) also exit non-zero.
        assert!(!i.cli(&["client", "add", "--client-id", "a", "--auth-method", "magic"]).status.success());
        assert!(!i.cli(&["keys", "rotate", "--alg", "HS256"]).status.success());
        assert_eq!(i.ok(&["client", "list"]), clients_before, "{name}: no client was written");
        assert_eq!(i.ok(&["tenant", "list"]), tenants_before, "{name}: no tenant was written");
        assert!(!i.ok(&["user", "list"]).contains("bob"), "{name}: no user was written");
    }
}

#[tokio::test]
async fn a_wrong_master_key_is_reported_not_used() {
    let i = Install::embedded();
    i.ok(&["tenant", "list"]);
    let key = i.dir.path.join("data/master.key");
    std::fs::remove_file(&key).unwrap();
    let other = Install::embedded();
    other.ok(&["tenant", "list"]);
    std::fs::copy(other.dir.path.join("data/master.key"), &key).unwrap();
    assert_refused(&i.cli(&["tenant", "list"]), "master key");
}

#[tokio::test]
async fn check_config_names_the_bad_keys() {
    let i = Install::embedded();
    let file = i.dir.path.join("trame.toml");
    std::fs::write(&file, "listen = \"nowhere\"\npublic_url = \"ftp://x\"\nlog_format = \"xml\"\ncolour = \"blue\"\n").unwrap();
    let out = i.cli(&["--config", file.to_str().unwrap(), "check-config"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    // figment stops at the first type error; the unknown key is reported by name.
    assert!(text.contains("colour") || text.contains("log_format"), "{text}");

    // (listen and public_url come from the environment here, which wins.)
    std::fs::write(&file, "redis_url = \"http://nowhere\"\ntrusted_proxies = [\"10.0.0.0/8\", \"proxy\"]\n").unwrap();
    let out = i.cli(&["--config", file.to_str().unwrap(), "check-config"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success() && text.contains("redis_url:") && text.contains("trusted_proxies:"), "{text}");

    std::fs::write(&file, "log_format = \"json\"\n").unwrap();
    let out = i.cli(&["--config", file.to_str().unwrap(), "check-config"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("configuration OK"));

    let out = i.cli(&["--config", "/nonexistent.toml", "check-config"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stdout).contains("--config"));

    // The services a configuration names are tried.
    let mut bad = Install::embedded();
    bad.extra_env.insert("TRAME_DATABASE_URL".into(), "postgres://postgres@127.0.0.1:1/none".into());
    let out = bad.cli(&["check-config"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stdout).contains("database_url"));
}

#[tokio::test]
async fn sign_up_settings_and_invitations() {
    for (name, i) in installs().await {
        let list = i.ok(&["tenant", "list"]);
        assert!(list.lines().any(|l| l.starts_with("default ") && l.contains("closed")), "{name}: sign-up closed by default: {list}");
        let out = i.ok(&["tenant", "set", "default", "--registration", "invite", "--counter-policy", "allow", "--acr-rule", "eidas3=hwk+user"]);
        assert!(out.contains("registration invite") && out.contains("counter policy allow") && out.contains("eidas3=hwk+user"), "{name}: {out}");
        // Only what is given changes.
        let out = i.ok(&["tenant", "set", "default", "--registration", "open"]);
        assert!(out.contains("registration open") && out.contains("counter policy allow") && out.contains("eidas3=hwk+user"), "{name}: {out}");
        assert_refused(&i.cli(&["tenant", "set", "default", "--registration", "sometimes"]), "--registration");
        assert_refused(&i.cli(&["tenant", "set", "default", "--counter-policy", "maybe"]), "--counter-policy");
        assert_refused(&i.cli(&["tenant", "set", "default", "--acr-rule", "eidas9=pwd"]), "--acr-rule");
        assert_refused(&i.cli(&["tenant", "set", "default", "--acr-rule", "eidas2=pin"]), "--acr-rule");
        assert_refused(&i.cli(&["tenant", "set", "nowhere", "--registration", "open"]), "nowhere");
        assert!(i.ok(&["tenant", "list"]).contains("open"), "{name}: refusals changed nothing");

        let out = i.cli(&["user", "invite", "--email", "camille@example.fr"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let link = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        assert!(link.starts_with(&format!("{}/signup?invitation=", i.public_url)), "{name}: {link}");
        assert!(stderr(&out).contains("registration 'open'"), "{name}: a note when the tenant does not use invitations");
        let token = link.split("invitation=").nth(1).unwrap();
        assert_eq!(token.len(), 43, "{name}: 256-bit token");
        let other = i.ok(&["user", "invite"]);
        assert_ne!(other.trim(), link, "{name}: each invitation is new");
        assert_refused(&i.cli(&["user", "invite", "--email", "not-an-address"]), "--email");
        assert_refused(&i.cli(&["user", "invite", "--days", "0"]), "--days");
        assert_refused(&i.cli(&["user", "invite", "--tenant", "nowhere"]), "nowhere");
    }
}

#[tokio::test]
async fn dynamic_registration_settings_and_initial_access_tokens() {
    for (name, i) in installs().await {
        let out = i.cli(&["client", "token", "--days", "2", "--uses", "3"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let printed = String::from_utf8_lossy(&out.stdout).into_owned();
        let token = printed.lines().find_map(|l| l.strip_prefix("initial_access_token: ")).unwrap_or_else(|| panic!("{name}: {printed}"));
        assert_eq!(token.len(), 43, "{name}: 256-bit token");
        let endpoint = printed.lines().find_map(|l| l.strip_prefix("registration_endpoint: ")).unwrap_or_else(|| panic!("{name}: {printed}"));
        assert!(endpoint.starts_with(&i.public_url) && endpoint.ends_with("/register"), "{name}: {endpoint}");
        assert!(stderr(&out).contains("dynamic registration is closed"), "{name}: a note when the tenant does not take tokens");
        let out = i.ok(&["tenant", "set", "default", "--dynamic-registration", "token", "--dynamic-client-pkce", "optional"]);
        assert!(out.contains("dynamic registration token (pkce optional)"), "{name}: {out}");
        let out = i.cli(&["client", "token"]);
        assert!(out.status.success() && !stderr(&out).contains("note:"), "{name}: {}", stderr(&out));
    }
}

#[tokio::test]
async fn refresh_reuse_grace_flag() {
    for (name, i) in installs().await {
        i.ok(&["client", "add", "--client-id", "app", "--redirect-uri", "https://app.example/cb", "--refresh-reuse-grace", "20"]);
        let out = i.ok(&["client", "set", "--client-id", "app"]);
        assert!(out.contains("client app: unchanged") && out.contains("refresh reuse grace: 20s"), "{name}: stored by add: {out}");
        // `set` is `update`, kept for the scripts written before it.
        let out = i.ok(&["client", "set", "--client-id", "app", "--refresh-reuse-grace", "60"]);
        assert!(out.contains("refresh reuse grace: 60s"), "{name}: {out}");
        assert!(i.ok(&["client", "show", "--client-id", "app"]).contains("refresh reuse grace: 60s"), "{name}: kept");
        i.ok(&["client", "add", "--client-id", "plain", "--redirect-uri", "https://plain.example/cb"]);
        assert!(i.ok(&["client", "show", "--client-id", "plain"]).contains("refresh reuse grace: 0s"), "{name}: 0 by default");

        assert_refused(&i.cli(&["client", "set", "--client-id", "app", "--refresh-reuse-grace", "61"]), "--refresh-reuse-grace");
        assert!(i.ok(&["client", "show", "--client-id", "app"]).contains("refresh reuse grace: 60s"), "{name}: a refusal writes nothing");
        assert_refused(
            &i.cli(&["client", "add", "--client-id", "long", "--redirect-uri", "https://l.example/cb", "--refresh-reuse-grace", "61"]),
            "--refresh-reuse-grace",
        );
        let m2m = ["client", "add", "--client-id", "m2m", "--grant-type", "client_credentials", "--scope", "api", "--refresh-reuse-grace", "5"];
        assert_refused(&i.cli(&m2m), "refresh_token grant");
        assert_refused(&i.cli(&["client", "set", "--client-id", "nobody", "--refresh-reuse-grace", "5"]), "nobody");
        assert!(!i.cli(&["client", "set", "--client-id", "app", "--refresh-reuse-grace", "soon"]).status.success(), "{name}: not a number");
        assert!(!i.ok(&["client", "list"]).contains("long"), "{name}: refused clients are not created");
    }
}

/// `client update` changes only what it is given, under the rules of
/// `client add`; `client show` lists every setting.
#[tokio::test]
async fn client_update_and_show() {
    for (name, i) in installs().await {
        let out = i.ok(&["client", "add", "--client-id", "portail", "--name", "Portail", "--redirect-uri", "https://portail.example/cb", "--skip-consent"]);
        let first_secret = secret_of(&out);
        let show = |id: &str| -> serde_json::Value {
            let out = i.ok(&["client", "show", "--client-id", id, "--json"]);
            serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{name}: {e}: {out}"))
        };
        let c = show("portail");
        assert_eq!(
            (c["client_name"].as_str(), c["skip_consent"].as_bool(), c["pkce"].as_str()),
            (Some("Portail"), Some(true), Some("required")),
            "{name}: {c}"
        );
        assert_eq!(c["has_secret"], true, "{name}: {c}");
        assert!(c.get("post_logout_redirect_uris").is_none(), "{name}: {c}");

        // The quick-start case: a post-logout redirect URI added later.
        let out = i.ok(&["client", "update", "--client-id", "portail", "--add-post-logout-redirect-uri", "https://portail.example/bye"]);
        assert!(out.contains("client portail: updated") && out.contains("post-logout redirect uris: https://portail.example/bye"), "{name}: {out}");
        assert!(!out.contains("client_secret:"), "{name}: the secret stays: {out}");
        let c = show("portail");
        assert_eq!(c["post_logout_redirect_uris"], serde_json::json!(["https://portail.example/bye"]), "{name}: {c}");
        assert_eq!((c["client_name"].as_str(), c["skip_consent"].as_bool()), (Some("Portail"), Some(true)), "{name}: the rest is kept: {c}");

        let out = i.ok(&[
            "client",
            "update",
            "--client-id",
            "portail",
            "--add-redirect-uri",
            "https://portail.example/cb2",
            "--remove-redirect-uri",
            "https://portail.example/cb",
            "--name",
            "",
            "--skip-consent",
            "false",
            "--scope",
            "openid email",
            "--policy-uri",
            "https://portail.example/privacy",
            "--backchannel-logout-uri",
            "https://portail.example/bcl",
            "--id-token-alg",
            "RS256",
        ]);
        assert!(out.contains("updated"), "{name}: {out}");
        let c = show("portail");
        assert_eq!(c["redirect_uris"], serde_json::json!(["https://portail.example/cb2"]), "{name}: {c}");
        assert!(c.get("client_name").is_none(), "{name}: an empty value clears: {c}");
        assert_eq!(c["skip_consent"], false, "{name}: {c}");
        assert_eq!(c["scope"], "email openid", "{name}: {c}");
        assert_eq!(c["policy_uri"], "https://portail.example/privacy", "{name}: {c}");
        assert_eq!(c["backchannel_logout_uri"], "https://portail.example/bcl", "{name}: {c}");
        assert_eq!(c["id_token_signed_response_alg"], "RS256", "{name}: {c}");
        let text = i.ok(&["client", "show", "--client-id", "portail"]);
        for label in
            ["redirect uris:", "grant types:", "scopes:", "auth method: client_secret_basic", "subject type: pairwise", "pkce: required", "skip consent: no"]
        {
            assert!(text.contains(label), "{name}: {label} in {text}");
        }
        for label in
            ["id token alg: RS256", "back-channel logout: https://portail.example/bcl", "policy uri:", "refresh reuse grace: 0s", "registered by: the operator"]
        {
            assert!(text.contains(label), "{name}: {label} in {text}");
        }

        // The rules of `client add`, named by the flag; a refusal writes nothing.
        assert_refused(&i.cli(&["client", "update", "--client-id", "portail", "--redirect-uri", "http://portail.example/cb"]), "--redirect-uri");
        assert_refused(&i.cli(&["client", "update", "--client-id", "portail", "--remove-redirect-uri", "https://nowhere.example/cb"]), "--remove-redirect-uri");
        assert_refused(&i.cli(&["client", "update", "--client-id", "portail", "--grant-type", "client_credentials", "--refresh-reuse-grace", "5"]), "refresh");
        assert_refused(&i.cli(&["client", "update", "--client-id", "nobody", "--name", "x"]), "client 'nobody' not found");
        assert_refused(&i.cli(&["client", "show", "--client-id", "nobody"]), "client 'nobody' not found");
        assert_refused(&i.cli_with_input(&["client", "update", "--client-id", "portail", "--secret-stdin"], "short\n"), "at least 32");
        assert_eq!(show("portail")["redirect_uris"], serde_json::json!(["https://portail.example/cb2"]), "{name}");

        // A new secret, shown once; the old one stops working.
        let out = i.ok(&["client", "update", "--client-id", "portail", "--rotate-secret"]);
        let second = secret_of(&out);
        assert!(second != first_secret && second.len() >= 43, "{name}: {out}");
        // A public client has no secret to rotate.
        i.ok(&["client", "update", "--client-id", "portail", "--public"]);
        let c = show("portail");
        assert_eq!((c["token_endpoint_auth_method"].as_str(), c["has_secret"].as_bool()), (Some("none"), Some(false)), "{name}: {c}");
        assert_refused(&i.cli(&["client", "update", "--client-id", "portail", "--rotate-secret"]), "would use no secret");
        // Back to a confidential client: a secret is issued at once.
        let out = i.ok(&["client", "update", "--client-id", "portail", "--auth-method", "client_secret_post"]);
        assert!(secret_of(&out).len() >= 43, "{name}: {out}");

        let trail = i.ok(&["audit", "list", "--action", "client.updated"]);
        assert_eq!(trail.lines().count(), 5, "{name}: one record per change, none for a refusal: {trail}");
    }
}

/// One rule, two doors: the operator's `client add` and a relying party's
/// `POST /register` go through the same application function
/// (`trame_app::clients::settle`), so the same metadata is refused through
/// both, for the same reason.
#[tokio::test]
async fn the_cli_and_registration_refuse_the_same_redirect_uris() {
    let i = Install::embedded();
    i.ok(&["tenant", "set", "default", "--dynamic-registration", "open"]);
    let server = i.serve().await;
    let http = crate::common::http();
    for (uri, reason) in [("https://a.example/cb#frag", "fragment"), ("http://a.example/cb", "http is allowed only")] {
        let out = i.cli(&["client", "add", "--client-id", "door", "--redirect-uri", uri]);
        assert_refused(&out, reason);
        let cli_error = stderr(&out);
        let res = http
            .post(format!("{}/register", server.base()))
            .header("content-type", "application/json")
            .body(serde_json::json!({ "redirect_uris": [uri] }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{uri}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"], "invalid_redirect_uri", "{uri}: {body}");
        let description = body["error_description"].as_str().unwrap_or_default();
        assert!(description.contains(reason), "{uri}: {description}");
        // The CLI names its flag where the web names the metadata field;
        // the reason after it is the same text.
        let reason_text = description.split_once(": ").map_or(description, |(_, r)| r);
        assert!(cli_error.contains(reason_text), "{uri}: the CLI says {cli_error:?}, registration says {description:?}");
    }
    assert!(!i.ok(&["client", "list"]).contains("door"), "nothing was written");
}

#[tokio::test]
async fn administration_roles_and_the_api_document() {
    for (name, i) in installs().await {
        i.ok(&["tenant", "add", "ville"]);
        i.ok(&["user", "add", "--username", "operatrice"]);
        i.ok(&["user", "add", "--tenant", "ville", "--username", "agent"]);
        assert!(i.ok(&["admin", "grant", "operatrice", "--role", "operator"]).contains("is now operator"), "{name}");
        assert!(i.ok(&["admin", "grant", "operatrice", "--role", "operator"]).contains("already"), "{name}");
        i.ok(&["admin", "grant", "agent", "--tenant", "ville", "--role", "auditor"]);
        assert_refused(&i.cli(&["admin", "grant", "agent", "--tenant", "ville", "--role", "operator"]), "default tenant");
        assert_refused(&i.cli(&["admin", "grant", "nobody", "--tenant", "ville", "--role", "tenant-admin"]), "no such account");
        assert_refused(&i.cli(&["admin", "grant", "--role", "auditor"]), "required");
        let listed = i.ok(&["admin", "list", "--json"]);
        let rows: Vec<serde_json::Value> = listed.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert!(rows.iter().any(|r| r["holder"] == "operatrice" && r["role"] == "operator" && r["tenant"] == "default"), "{name}: {listed}");
        assert!(rows.iter().any(|r| r["holder"] == "agent" && r["role"] == "auditor" && r["tenant"] == "ville"), "{name}: {listed}");
        // The last operator keeps the role and the account.
        assert_refused(&i.cli(&["admin", "revoke", "operatrice", "--role", "operator"]), "last operator");
        assert_refused(&i.cli(&["user", "remove", "--username", "operatrice", "--yes"]), "last operator");
        assert_refused(&i.cli(&["user", "disable", "--username", "operatrice"]), "last operator");
        assert!(i.ok(&["admin", "revoke", "agent", "--tenant", "ville", "--role", "auditor"]).contains("no longer"), "{name}");
        assert!(i.ok(&["admin", "list", "--tenant", "ville"]).trim().is_empty(), "{name}");
        let trail = i.ok(&["audit", "list", "--action", "role.granted"]);
        assert_eq!(trail.lines().count(), 2, "{name}: {trail}");
        // The admin API's document names the tenant's own addresses.
        let doc: serde_json::Value = serde_json::from_str(&i.ok(&["admin", "openapi", "--tenant", "ville"])).unwrap();
        assert_eq!(doc["servers"][0]["url"], format!("{}/ville/admin/api/v1", i.public_url), "{name}");
    }
}

/// `user set` changes the fields given, with the rules of `user add`; an
/// empty value clears a field.
#[tokio::test]
async fn user_set_changes_only_the_fields_given() {
    for (name, i) in installs().await {
        i.ok(&[
            "user",
            "add",
            "--username",
            "camille",
            "--email",
            "camille@example.fr",
            "--given-name",
            "Camille",
            "--address-locality",
            "Lyon",
            "--address-country",
            "FR",
        ]);
        let show = || -> serde_json::Value {
            let out = i.ok(&["user", "show", "--username", "camille", "--json"]);
            serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{name}: {e}: {out}"))
        };
        let out = i.ok(&[
            "user",
            "set",
            "--username",
            "camille",
            "--family-name",
            "Martin",
            "--phone-number",
            "+33 6 12 34 56 78",
            "--phone-number-verified",
            "true",
            "--address-locality",
            "Paris",
        ]);
        assert!(out.contains("family name: Martin"), "{name}: the account is shown after the change: {out}");
        let u = show();
        assert_eq!(
            (u["family_name"].as_str(), u["given_name"].as_str(), u["email"].as_str()),
            (Some("Martin"), Some("Camille"), Some("camille@example.fr")),
            "{name}: {u}"
        );
        assert_eq!((u["phone_number"].as_str(), u["phone_number_verified"].as_bool()), (Some("+33612345678"), Some(true)), "{name}: {u}");
        assert_eq!((u["address"]["locality"].as_str(), u["address"]["country"].as_str()), (Some("Paris"), Some("FR")), "{name}: the other fields stay: {u}");

        i.ok(&["user", "set", "--username", "camille", "--given-name", "", "--address-country", ""]);
        let u = show();
        assert!(u["given_name"].is_null() && u["address"]["country"].is_null(), "{name}: an empty value clears: {u}");
        assert_eq!(u["address"]["locality"], "Paris", "{name}: {u}");

        i.ok(&["user", "set", "--username", "camille", "--email", "c.martin@example.fr"]);
        assert_eq!((show()["email"].as_str(), show()["email_verified"].as_bool()), (Some("c.martin@example.fr"), Some(false)), "{name}");

        assert_refused(&i.cli(&["user", "set", "--username", "camille", "--email", "not an address"]), "--email");
        assert_refused(&i.cli(&["user", "set", "--username", "camille", "--phone-number", "call me"]), "--phone-number");
        assert_refused(&i.cli(&["user", "set", "--username", "nobody", "--given-name", "X"]), "no user 'nobody'");
        assert!(!i.cli(&["user", "set", "--username", "camille", "--phone-number-verified", "maybe"]).status.success(), "{name}");
        assert_eq!(show()["email"], "c.martin@example.fr", "{name}: a refusal writes nothing");
        let trail = i.ok(&["audit", "list", "--action", "user.updated"]);
        assert_eq!(trail.lines().count(), 3, "{name}: {trail}");
    }
}

/// `tenant update` changes the issuer or the display name, never to
/// another tenant's issuer; `tenant remove --yes` takes everything of the
/// tenant away, and nothing of the others.
#[tokio::test]
async fn tenant_update_and_remove() {
    for (name, i) in installs().await {
        i.ok(&["tenant", "add", "ville", "--display-name", "Ville"]);
        i.ok(&["tenant", "add", "autre"]);
        i.ok(&["client", "add", "--tenant", "ville", "--client-id", "portail", "--redirect-uri", "https://portail.example/cb"]);
        i.ok(&["user", "add", "--tenant", "ville", "--username", "camille"]);
        i.ok(&["admin", "grant", "camille", "--tenant", "ville", "--role", "tenant-admin"]);
        i.ok(&["client", "add", "--tenant", "autre", "--client-id", "portail", "--redirect-uri", "https://autre.example/cb"]);
        i.ok(&["user", "add", "--tenant", "autre", "--username", "dominique"]);

        let out = i.ok(&["tenant", "update", "ville", "--display-name", "Ville de Test"]);
        assert!(out.contains("display name Ville de Test") && !out.contains("reconfigure"), "{name}: {out}");
        let out = i.ok(&["tenant", "update", "ville", "--issuer", "https://login.ville.example/"]);
        assert!(out.contains("issuer https://login.ville.example,") && out.contains("reconfigure every relying party"), "{name}: {out}");
        let tenants = i.ok(&["tenant", "list", "--json"]);
        assert!(tenants.contains(r#""issuer":"https://login.ville.example""#) && tenants.contains("Ville de Test"), "{name}: {tenants}");

        assert_refused(&i.cli(&["tenant", "update", "autre", "--issuer", "https://login.ville.example"]), "belongs to tenant ville");
        assert_refused(&i.cli(&["tenant", "update", "autre", "--issuer", "ftp://autre.example"]), "--issuer");
        assert_refused(&i.cli(&["tenant", "update", "autre", "--display-name", " "]), "--display-name");
        assert_refused(&i.cli(&["tenant", "update", "nobody", "--display-name", "X"]), "no tenant 'nobody'");
        assert_refused(&i.cli(&["tenant", "update", "autre"]), "nothing to change");
        assert_refused(&i.cli(&["tenant", "remove", "ville"]), "--yes");
        assert_refused(&i.cli(&["tenant", "remove", "default", "--yes"]), "default tenant");
        assert_refused(&i.cli(&["tenant", "remove", "nobody", "--yes"]), "no tenant 'nobody'");
        assert!(i.ok(&["user", "list", "--tenant", "ville"]).contains("camille"), "{name}: nothing removed without --yes");

        let out = i.ok(&["tenant", "remove", "ville", "--yes"]);
        assert!(out.contains("tenant ville removed"), "{name}: {out}");
        assert!(!i.ok(&["tenant", "list"]).contains("ville"), "{name}");
        assert_refused(&i.cli(&["user", "list", "--tenant", "ville"]), "no tenant 'ville'");
        assert!(i.ok(&["user", "list", "--tenant", "autre"]).contains("dominique"), "{name}: other tenants keep theirs");
        assert!(i.ok(&["client", "list", "--tenant", "autre"]).contains("portail"), "{name}");
        assert!(!i.ok(&["admin", "list"]).contains("camille"), "{name}: its roles went with it");
        // Its audit records went with it; the installation's stay.
        assert_eq!(i.ok(&["audit", "list", "--action", "user.created"]).lines().count(), 1, "{name}: only autre's account");
        assert_eq!(i.ok(&["audit", "list", "--action", "client.created"]).lines().count(), 1, "{name}");
        let removed = i.ok(&["audit", "list", "--action", "tenant.removed"]);
        assert!(removed.contains("tenant:ville"), "{name}: {removed}");
        assert_eq!(i.ok(&["audit", "list", "--action", "tenant.updated"]).lines().count(), 2, "{name}");
        // The slug and the issuer are free again.
        i.ok(&["tenant", "add", "ville", "--issuer", "https://login.ville.example"]);
    }
}

/// The default tenant's issuer follows `public_url` at start, unless the
/// operator set it; a command run with other settings says so and changes
/// nothing; `check-config` prints the issuer in force.
#[tokio::test]
async fn the_default_tenant_follows_public_url_unless_set() {
    let mut i = Install::embedded();
    let first = i.public_url.clone();
    i.ok(&["tenant", "list"]);
    let default_issuer = |i: &Install| -> String {
        let out = i.ok(&["tenant", "list", "--json"]);
        let t = out.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).find(|t| t["slug"] == "default").expect("default tenant");
        t["issuer"].as_str().unwrap().to_owned()
    };
    let moved = format!("http://127.0.0.1:{}", i.port);
    i.public_url = moved.clone();

    let out = i.cli(&["tenant", "list"]);
    assert!(out.status.success() && stderr(&out).contains(&format!("warning: public_url is {moved}")), "{}", stderr(&out));
    assert_eq!(default_issuer(&i), first, "a command does not move the issuer");
    let check = i.ok(&["check-config"]);
    assert!(check.contains(&format!("issuer of the default tenant: {moved} (public_url, replacing")), "{check}");

    {
        let server = i.serve().await;
        assert!(server.log_text().contains("follows public_url"), "{}", server.log_text());
    }
    assert_eq!(default_issuer(&i), moved, "the server moved it");
    let out = i.cli(&["tenant", "list"]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    assert!(i.ok(&["check-config"]).contains(&format!("configuration OK: listen 127.0.0.1:{}, issuer {moved},", i.port)));

    // Set explicitly, it stays whatever public_url says.
    let out = i.ok(&["tenant", "update", "default", "--issuer", "https://id.example.org"]);
    assert!(out.contains("no longer follows public_url"), "{out}");
    let out = i.cli(&["tenant", "list"]);
    assert!(stderr(&out).contains("set explicitly, is https://id.example.org"), "{}", stderr(&out));
    assert!(i.ok(&["check-config"]).contains("issuer of the default tenant: https://id.example.org (set explicitly"));
    {
        let server = i.serve().await;
        assert!(server.log_text().contains("stays in force"), "{}", server.log_text());
    }
    assert_eq!(default_issuer(&i), "https://id.example.org");
}

/// `user reset-credentials --yes` removes every credential of the account
/// and ends its sessions through the same function as the admin API; the
/// last operator keeps its own.
#[tokio::test]
async fn user_reset_credentials() {
    for (name, i) in installs().await {
        i.ok(&["tenant", "add", "ville"]);
        i.ok_with_input(
            &["user", "add", "--tenant", "ville", "--username", "camille", "--email", "camille@example.fr", "--password-stdin"],
            "un mot de passe assez long\n",
        );
        assert!(i.ok(&["user", "show", "--tenant", "ville", "--username", "camille"]).contains("password: yes"), "{name}");
        assert_refused(&i.cli(&["user", "reset-credentials", "--tenant", "ville", "--username", "camille"]), "--yes");
        assert!(i.ok(&["user", "show", "--tenant", "ville", "--username", "camille"]).contains("password: yes"), "{name}: nothing removed without --yes");
        let out = i.ok(&["user", "reset-credentials", "--tenant", "ville", "--username", "camille", "--yes"]);
        assert!(
            out.contains("credentials of camille reset: 0 passkey(s), password removed, TOTP none, 0 recovery code(s) removed; 0 session(s) ended"),
            "{name}: {out}"
        );
        assert!(out.contains("no recovery link was sent: the account has no verified e-mail address"), "{name}: {out}");
        assert!(out.contains("trame user set-password --tenant ville"), "{name}: {out}");
        assert!(i.ok(&["user", "show", "--tenant", "ville", "--username", "camille"]).contains("password: no"), "{name}");
        assert_refused(&i.cli(&["user", "reset-credentials", "--tenant", "ville", "--username", "nobody", "--yes"]), "no user 'nobody'");
        let trail = i.ok(&["audit", "list", "--tenant", "ville", "--action", "user.credentials_reset", "--json"]);
        let record: serde_json::Value = serde_json::from_str(trail.lines().next().unwrap_or_else(|| panic!("{name}: no record"))).unwrap();
        assert!(record["actor"].as_str().unwrap().starts_with("cli:"), "{name}: {record}");
        assert_eq!(record["detail"]["password"], true, "{name}: {record}");
        assert!(!trail.contains("camille"), "{name}: no username in the trail");

        i.ok_with_input(&["user", "add", "--username", "operatrice", "--password-stdin"], "un mot de passe assez long\n");
        i.ok(&["admin", "grant", "operatrice", "--role", "operator"]);
        assert_refused(&i.cli(&["user", "reset-credentials", "--username", "operatrice", "--yes"]), "last operator");
        assert!(i.ok(&["user", "show", "--username", "operatrice"]).contains("password: yes"), "{name}");
    }
}

#[tokio::test]
async fn a_tenants_branding_is_checked_set_shown_and_cleared() {
    for (name, i) in installs().await {
        let dir = &i.dir.path;
        let logo = dir.join("logo.svg");
        std::fs::write(
            &logo,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script><rect width="10" height="10" fill="#1e3a8a"/></svg>"##,
        )
        .unwrap();
        let with_text = dir.join("text.svg");
        std::fs::write(&with_text, r#"<svg xmlns="http://www.w3.org/2000/svg"><text>Ville</text></svg>"#).unwrap();
        let not_image = dir.join("logo.gif");
        std::fs::write(&not_image, b"GIF89a").unwrap();
        // Each refusal names its option, and nothing is written.
        assert_refused(&i.cli(&["tenant", "set", "default", "--primary-color", "#ffff00"]), "--primary-color");
        assert_refused(&i.cli(&["tenant", "set", "default", "--primary-color", "blue"]), "--primary-color");
        assert_refused(&i.cli(&["tenant", "set", "default", "--privacy-url", "http://ville.example/donnees"]), "--privacy-url");
        assert_refused(&i.cli(&["tenant", "set", "default", "--contact-url", "javascript:alert(1)"]), "--contact-url");
        assert_refused(&i.cli(&["tenant", "set", "default", "--accessibility-status", "mostly"]), "--accessibility-status");
        assert_refused(&i.cli(&["tenant", "set", "default", "--logo-file", with_text.to_str().unwrap()]), "paths");
        assert_refused(&i.cli(&["tenant", "set", "default", "--logo-file", not_image.to_str().unwrap()]), "--logo-file");
        assert_refused(&i.cli(&["tenant", "set", "default", "--logo-file", "/nonexistent/logo.svg"]), "--logo-file");
        // A valid change alongside a refused one changes nothing either.
        assert_refused(&i.cli(&["tenant", "set", "default", "--registration", "open", "--primary-color", "#ffff00"]), "--primary-color");
        let shown = i.ok(&["tenant", "set", "default"]);
        assert!(shown.contains("registration closed") && shown.contains("logo none") && shown.contains("accessibility none"), "{name}: {shown}");

        let out = i.ok(&[
            "tenant",
            "set",
            "default",
            "--display-name",
            "Ville d'Exemple",
            "--logo-file",
            logo.to_str().unwrap(),
            "--primary-color",
            "#1E3A8A",
            "--privacy-url",
            "https://ville.example/donnees",
            "--contact-url",
            "mailto:mairie@ville.example",
            "--accessibility-status",
            "partial",
        ]);
        for part in [
            "display name Ville d'Exemple",
            "logo image/svg+xml",
            "primary colour #1e3a8a",
            "personal data https://ville.example/donnees",
            "accessibility partial",
        ] {
            assert!(out.contains(part), "{name}: {part} in {out}");
        }
        // An empty value removes a link; --no-logo the logo.
        let out = i.ok(&["tenant", "set", "default", "--privacy-url", "", "--no-logo"]);
        assert!(out.contains("personal data none") && out.contains("logo none") && out.contains("primary colour #1e3a8a"), "{name}: {out}");
        let trail = i.ok(&["audit", "list", "--tenant", "default"]);
        assert!(trail.contains("tenant.branding_changed"), "{name}: {trail}");
    }
}

#[tokio::test]
async fn language_packs_are_checked() {
    let i = Install::embedded();
    let out = i.ok(&["i18n", "check"]);
    for lang in ["fr", "en", "de", "es", "it", "pt", "ar"] {
        assert!(out.contains(&format!("{lang}: complete")), "{out}");
    }
    assert!(i.ok(&["i18n", "check", "--lang", "ar"]).contains("ar: complete"));
    assert_refused(&i.cli(&["i18n", "check", "--lang", "xx"]), "not an installed language");
    // A pack in progress: one message missing, one with a variable renamed,
    // one broken.
    let pack = i.dir.path.join("main.ftl");
    std::fs::write(&pack, "sign-in-title = Anmelden\nsign-in-intro = Weiter zu { $dienst }.\nbroken = { $x\n").unwrap();
    let out = i.cli(&["i18n", "check", "--lang", "xx", "--file", pack.to_str().unwrap()]);
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("missing: username-label"), "{report}");
    assert!(report.contains("sign-in-intro: variables $dienst where the reference has $client"), "{report}");
    assert!(report.contains("syntax error"), "{report}");
}

/// A translator's round trip without Rust: the German pack exported as a
/// gettext catalogue, a new language (Breton) exported with nothing
/// translated, two of its messages translated in the catalogue and
/// imported into the themes folder, where `i18n check` finds it
/// incomplete; a catalogue that renames a variable is refused.
#[tokio::test]
async fn a_language_pack_goes_out_and_comes_back() {
    let mut i = Install::embedded();
    let themes = i.dir.path.join("themes");
    std::fs::create_dir_all(&themes).unwrap();
    i.extra_env.insert("TRAME_THEMES_DIR".into(), themes.display().to_string());
    let de = i.ok(&["i18n", "export", "--lang", "de"]);
    assert!(de.contains("msgctxt \"sign-in-title\"") && de.contains("msgstr \"Anmeldung\""), "{}", &de[..2000.min(de.len())]);
    let po = i.dir.path.join("br.po");
    i.ok(&["i18n", "export", "--lang", "br", "--out", po.to_str().unwrap()]);
    let catalogue = std::fs::read_to_string(&po).unwrap();
    assert!(catalogue.contains("msgctxt \"language-name\"\nmsgid \"Français\"\nmsgstr \"\""), "untranslated: {}", &catalogue[..1500.min(catalogue.len())]);
    let translated = catalogue
        .replace("msgctxt \"language-name\"\nmsgid \"Français\"\nmsgstr \"\"", "msgctxt \"language-name\"\nmsgid \"Français\"\nmsgstr \"Brezhoneg\"")
        .replace("msgctxt \"sign-in-title\"\nmsgid \"Connexion\"\nmsgstr \"\"", "msgctxt \"sign-in-title\"\nmsgid \"Connexion\"\nmsgstr \"Kevreañ\"");
    assert_ne!(translated, catalogue, "the test's msgids are the reference's");
    std::fs::write(&po, &translated).unwrap();
    let out = i.cli(&["i18n", "import", "--lang", "br", "--file", po.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("br: 2 message(s) written"), "{}", String::from_utf8_lossy(&out.stdout));
    let pack = std::fs::read_to_string(themes.join("locales/br/main.ftl")).unwrap();
    assert!(pack.contains("language-name = Brezhoneg\n") && pack.contains("sign-in-title = Kevreañ\n"), "{pack}");
    // Installed, and incomplete.
    let check = i.cli(&["i18n", "check", "--lang", "br"]);
    assert!(!check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout).contains("missing: username-label"));
    // A variable renamed by the translator: refused, nothing written.
    let bad = translated.replace("msgstr \"Kevreañ\"", "msgstr \"Kevreañ { $servij }\"");
    std::fs::write(&po, bad).unwrap();
    assert_refused(&i.cli(&["i18n", "import", "--lang", "br", "--file", po.to_str().unwrap()]), "sign-in-title: variables $servij");
    assert_eq!(std::fs::read_to_string(themes.join("locales/br/main.ftl")).unwrap(), pack);
    assert_refused(&i.cli(&["i18n", "export", "--lang", "Breton"]), "two or three lowercase letters");
}

/// An override of one template and one message for a tenant: checked
/// clean when written from the current built-in template, then reported
/// once the built-in template is not the one it was written from (an
/// upgrade: here its stamp names an older version), and a message
/// override of an id the pages no longer have is reported.
#[tokio::test]
async fn theme_check_reports_what_an_upgrade_changed() {
    let mut i = Install::embedded();
    assert_refused(&i.cli(&["theme", "check"]), "no themes_dir is set");
    let themes = i.dir.path.join("themes");
    std::fs::create_dir_all(&themes).unwrap();
    i.extra_env.insert("TRAME_THEMES_DIR".into(), themes.display().to_string());
    assert!(i.ok(&["theme", "init", "--tenant", "ville"]).contains("login.html"), "the built-in names are listed");
    i.ok(&["theme", "init", "--tenant", "ville", "login.html"]);
    assert_refused(&i.cli(&["theme", "init", "--tenant", "ville", "login.html"]), "already overridden");
    assert_refused(&i.cli(&["theme", "init", "--tenant", "ville", "nothing.html"]), "not a built-in template");
    let login = themes.join("ville/templates/login.html");
    let written = std::fs::read_to_string(&login).unwrap();
    assert!(written.starts_with("{# trame-theme: based on login.html "), "{}", &written[..100]);
    std::fs::write(&login, written.replace("{% block main %}", "{% block main %}<p>Mairie de Ville</p>")).unwrap();
    std::fs::create_dir_all(themes.join("ville/locales/fr")).unwrap();
    std::fs::write(themes.join("ville/locales/fr/ville.ftl"), "sign-in-title = Connexion à la mairie\n").unwrap();
    let out = i.ok(&["theme", "check"]);
    assert!(out.contains("no problem"), "{out}");

    // The upgrade.
    let stamp_line = written.lines().next().unwrap().to_owned();
    let old = "{# trame-theme: based on login.html 000000000000 #}";
    std::fs::write(&login, std::fs::read_to_string(&login).unwrap().replace(&stamp_line, old)).unwrap();
    std::fs::write(themes.join("ville/locales/fr/ville.ftl"), "sign-in-title = Connexion à la mairie\nsign-in-old-title = Ancien titre\n").unwrap();
    let out = i.cli(&["theme", "check", "--tenant", "ville"]);
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("ville/templates/login.html: the built-in login.html changed since this override was written (based on 000000000000"), "{report}");
    assert!(report.contains("ville/locales/fr/ville.ftl: extra: sign-in-old-title"), "{report}");
    // A template that fails to render in some language is reported too.
    std::fs::write(&login, format!("{stamp_line}\n{{% extends \"base.html\" %}}{{% block main %}}{{% include \"missing.html\" %}}{{% endblock %}}")).unwrap();
    let report = String::from_utf8_lossy(&i.cli(&["theme", "check"]).stdout).into_owned();
    assert!(report.contains("ville: login.html in fr does not render"), "{report}");
}

/// New tenants give the clients their operator adds pairwise subjects
/// unless the client or the tenant asks for public ones; a client keeps
/// its subject type when the tenant's default changes.
#[tokio::test]
async fn clients_get_the_tenants_default_subject_type() {
    for (name, i) in installs().await {
        i.ok(&["tenant", "add", "ville"]);
        let subject_type = |client: &str| -> String {
            let out = i.ok(&["client", "show", "--tenant", "ville", "--client-id", client]);
            out.lines().find(|l| l.contains("subject type")).unwrap_or_default().to_owned()
        };
        let tenants = i.ok(&["tenant", "list", "--json"]);
        assert!(tenants.lines().any(|l| l.contains(r#""slug":"ville""#) && l.contains(r#""default_subject_type":"pairwise""#)), "{name}: {tenants}");
        i.ok(&["client", "add", "--tenant", "ville", "--client-id", "portail", "--redirect-uri", "https://portail.example/cb"]);
        assert!(subject_type("portail").contains("pairwise"), "{name}: {}", subject_type("portail"));
        i.ok(&["client", "add", "--tenant", "ville", "--client-id", "annuaire", "--redirect-uri", "https://a.example/cb", "--subject-type", "public"]);
        assert!(subject_type("annuaire").contains("public"), "{name}");
        // Several redirect hosts need a sector under pairwise: the error says how out.
        let two_hosts =
            ["client", "add", "--tenant", "ville", "--client-id", "deux", "--redirect-uri", "https://a.example/cb", "--redirect-uri", "https://b.example/cb"];
        assert_refused(&i.cli(&two_hosts), "or subject_type public");

        let out = i.ok(&["tenant", "set", "ville", "--default-subject-type", "public"]);
        assert!(out.contains("default subject type public"), "{name}: {out}");
        i.ok(&two_hosts);
        assert!(subject_type("deux").contains("public"), "{name}");
        assert!(subject_type("portail").contains("pairwise"), "{name}: existing clients keep theirs");
        assert!(!i.cli(&["tenant", "set", "ville", "--default-subject-type", "secret"]).status.success(), "{name}");
    }
}

/// A tenant's pages write times in its time zone: Europe/Paris unless its
/// operator names another of the IANA database; an unknown name is refused
/// saying what is expected, and changes nothing.
#[tokio::test]
async fn a_tenant_has_a_time_zone() {
    for (name, i) in installs().await {
        i.ok(&["tenant", "add", "ville"]);
        let tenants = i.ok(&["tenant", "list", "--json"]);
        assert!(tenants.lines().any(|l| l.contains(r#""slug":"ville""#) && l.contains(r#""time_zone":"Europe/Paris""#)), "{name}: {tenants}");
        let out = i.ok(&["tenant", "set", "ville", "--time-zone", "Indian/Reunion"]);
        assert!(out.contains("time zone Indian/Reunion"), "{name}: {out}");
        assert_refused(
            &i.cli(&["tenant", "set", "ville", "--time-zone", "Europe/Lutece"]),
            "--time-zone: 'Europe/Lutece' is not a time zone of the IANA database",
        );
        assert_refused(&i.cli(&["tenant", "set", "ville", "--time-zone", "CET-1CEST"]), "--time-zone");
        let out = i.ok(&["tenant", "set", "ville"]);
        assert!(out.contains("time zone Indian/Reunion"), "{name}: the refusals changed nothing: {out}");
    }
}

/// `client add --protocol cas`: a CAS service with its service URLs,
/// attributes and level; refused settings name their flag and write
/// nothing; `client update` replaces the CAS lists.
#[tokio::test]
async fn cas_services() {
    for (name, i) in installs().await {
        let out = i.ok(&[
            "client",
            "add",
            "--client-id",
            "glpi",
            "--name",
            "GLPI",
            "--protocol",
            "cas",
            "--service-url",
            "https://glpi.ville.fr/index.php",
            "--service-url-prefix",
            "https://glpi.ville.fr/front/",
            "--attribute",
            "email",
            "--attribute",
            "given_name",
            "--acr-value",
            "eidas2",
        ]);
        assert!(out.contains("auth_method: none") && !out.contains("client_secret"), "{name}: a CAS service has no secret: {out}");
        let shown = i.ok(&["client", "show", "--client-id", "glpi"]);
        for part in ["service https://glpi.ville.fr/index.php", "prefix https://glpi.ville.fr/front/", "user: username", "attributes: email given_name"] {
            assert!(shown.contains(part), "{name}: {part}: {shown}");
        }
        assert!(shown.contains("default acr values: eidas2"), "{name}: {shown}");
        let json: serde_json::Value = serde_json::from_str(i.ok(&["client", "show", "--client-id", "glpi", "--json"]).trim()).unwrap();
        assert_eq!(json["cas"]["service_urls"], serde_json::json!(["https://glpi.ville.fr/index.php"]), "{name}: {json}");
        assert_eq!(json["grant_types"], serde_json::json!([]), "{name}: {json}");

        let out = i.ok(&["client", "update", "--client-id", "glpi", "--attribute", "family_name", "--cas-user", "subject"]);
        assert!(out.contains("attributes: family_name") && out.contains("user: subject"), "{name}: {out}");
        assert!(out.contains("service https://glpi.ville.fr/index.php"), "{name}: lists not given are kept: {out}");

        let refused: [(&[&str], &str); 6] = [
            (&["--protocol", "cas"], "--service-url"),
            (&["--protocol", "cas", "--service-url", "http://glpi.ville.fr/"], "--service-url"),
            (&["--protocol", "cas", "--service-url-prefix", "https://glpi.ville.fr/app"], "--service-url-prefix"),
            (&["--protocol", "cas", "--service-url", "https://a.fr/", "--attribute", "password"], "--attribute"),
            (&["--service-url", "https://a.fr/"], "--protocol cas"),
            (&["--protocol", "cas", "--service-url", "https://a.fr/", "--acr-value", "eidas 2"], "--acr-value"),
        ];
        for (flags, needle) in refused {
            let mut args = vec!["client", "add", "--client-id", "refused"];
            args.extend_from_slice(flags);
            assert_refused(&i.cli(&args), needle);
        }
        assert!(!i.ok(&["client", "list"]).contains("refused"), "{name}: refused clients are not created");
        i.ok(&["client", "add", "--client-id", "oidc", "--redirect-uri", "https://o.example/cb"]);
        assert_refused(&i.cli(&["client", "update", "--client-id", "oidc", "--service-url", "https://a.fr/"]), "not one");
    }
}

/// `trame directory`: a real OpenLDAP directory added in one command (its
/// CA, StartTLS, the service account's password on standard input), after
/// Trame bound to it; refused settings and a wrong password store nothing;
/// `list` never shows the password; `test` looks an agent up as a sign-in
/// would; `sync` and `remove`.
#[tokio::test]
async fn directories() {
    use trame_testkit::directory::{BASE_DN, JEANNE, LOCKED, SERVICE_DN, SERVICE_PASSWORD, TestDirectory};
    let ldap = TestDirectory::start();
    let ca = ldap.ca_file.to_str().unwrap();
    for (name, i) in installs().await {
        let add = |extra: &[&str], password: &str| {
            let mut args =
                vec!["directory", "add", "--preset", "openldap", "--bind-dn", SERVICE_DN, "--base-dn", BASE_DN, "--bind-password-stdin", "--ca-file", ca];
            args.extend_from_slice(extra);
            i.cli_with_input(&args, &format!("{password}\n"))
        };
        let refused: [(&[&str], &str, &str); 5] = [
            (&["--url", &ldap.ldap_url], SERVICE_PASSWORD, "--url"),
            (&["--url", &ldap.ldaps_url, "--starttls"], SERVICE_PASSWORD, "--starttls"),
            (&["--url", &ldap.ldaps_url, "--user-filter", "(uid=jdupont)"], SERVICE_PASSWORD, "--user-filter"),
            (&["--url", &ldap.ldaps_url, "--user-filter", "(&(uid={username})"], SERVICE_PASSWORD, "--user-filter"),
            (&["--url", &ldap.ldaps_url], "wrong-password", "not added"),
        ];
        for (args, password, needle) in refused {
            assert_refused(&add(args, password), needle);
        }
        assert!(i.ok(&["directory", "list", "--json"]).trim().is_empty(), "{name}: nothing stored");

        let out = add(&["--url", &ldap.ldap_url, "--starttls"], SERVICE_PASSWORD);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(String::from_utf8_lossy(&out.stdout).contains("directory directory added"), "{name}");
        assert_refused(&add(&["--url", &ldap.ldap_url, "--starttls"], SERVICE_PASSWORD), "exists already");
        let table = i.ok(&["directory", "list"]);
        assert!(table.contains(&format!("{} (StartTLS)", ldap.ldap_url)) && table.contains(BASE_DN), "{name}: {table}");
        let json: serde_json::Value = serde_json::from_str(i.ok(&["directory", "list", "--json"]).trim()).unwrap();
        assert_eq!(
            (json["transport"].as_str(), json["custom_ca"].as_bool(), json["username_attribute"].as_str()),
            (Some("start_tls"), Some(true), Some("uid")),
            "{name}: {json}"
        );
        assert!(!json.to_string().contains(SERVICE_PASSWORD), "{name}: the password is never shown");

        let found = i.ok(&["directory", "test", "--username", JEANNE.uid]);
        assert!(found.contains("found: username jdupont") && found.contains(&format!("email: {}", JEANNE.email)), "{name}: {found}");
        assert_refused(&i.cli(&["directory", "test", "--username", LOCKED.uid]), "the disabled filter (pwdAccountLockedTime=*) excludes it");
        assert_refused(&i.cli(&["directory", "test", "--username", "*"]), "no active entry");
        assert!(i.ok(&["directory", "test"]).contains("is readable"), "{name}");
        assert!(i.ok(&["directory", "sync"]).contains("0 account(s) checked, 0 disabled"), "{name}");
        let audit = i.ok(&["audit", "list", "--action", "directory.added"]);
        assert!(audit.contains("directory:directory"), "{name}: {audit}");
        assert!(i.ok(&["directory", "remove"]).contains("removed"), "{name}");
        assert_refused(&i.cli(&["directory", "remove"]), "no directory");
    }
}
