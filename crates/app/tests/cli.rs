//! The `replique` command line: accounts from the terminal, migrations, help.

use std::process::{Command, Output};

fn replique(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_replique"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "error")
        .output()
        .expect("run replique")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn an_operator_manages_accounts_from_the_cli() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}/nested/cli.db", dir.path().display());

    let out = replique(&db, &["migrate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.path().join("nested/cli.db").exists(), "the SQLite file and its directory are created");

    let out = replique(
        &db,
        &["user", "add", "Anne@Exemple.fr", "--password", "motdepasse-solide", "--name", "Anne", "--plan", "premium"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = replique(&db, &["user", "add", "bob@exemple.fr", "--password", "motdepasse-solide"]);
    assert!(out.status.success(), "{}", text(&out));

    let out = replique(&db, &["user", "add", "anne@exemple.fr", "--password", "motdepasse-solide"]);
    assert!(!out.status.success(), "duplicate email refused");
    assert!(text(&out).contains("already exists"), "{}", text(&out));
    let out = replique(&db, &["user", "add", "carl@exemple.fr", "--password", "court"]);
    assert!(!out.status.success(), "short password refused");
    let out = replique(&db, &["user", "add", "dan@exemple.fr", "--password", "motdepasse-solide", "--plan", "gold"]);
    assert!(!out.status.success(), "unknown plan refused");
    assert!(text(&out).contains("unknown plan"), "{}", text(&out));

    let out = replique(&db, &["user", "set-plan", "bob@exemple.fr", "enterprise"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = replique(&db, &["user", "set-plan", "nobody@exemple.fr", "free"]);
    assert!(!out.status.success());

    let out = replique(&db, &["user", "list"]);
    assert!(out.status.success(), "{}", text(&out));
    let listing = String::from_utf8_lossy(&out.stdout);
    let anne = listing.lines().find(|l| l.contains("anne@exemple.fr")).expect("anne listed");
    assert!(anne.contains("premium") && anne.contains("Anne"), "{anne}");
    let bob = listing.lines().find(|l| l.contains("bob@exemple.fr")).expect("bob listed");
    assert!(bob.contains("enterprise") && bob.contains(" bob"), "{bob}");
    assert!(!listing.contains("argon2"), "hashes are never printed");
}

#[test]
fn help_explains_each_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_replique")).arg("--help").output().expect("run");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for command in ["serve", "migrate", "user"] {
        assert!(help.contains(command), "{help}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_replique")).args(["user", "--help"]).output().expect("run");
    let help = String::from_utf8_lossy(&out.stdout);
    for command in ["add", "set-plan", "list"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let out = replique("mysql://nowhere/db", &["migrate"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("unsupported database URL"), "{}", text(&out));
}

/// A refused choice says what is offered, in one line, without a backtrace even when
/// backtraces are asked for.
#[test]
fn a_sector_the_skill_does_not_offer_is_a_one_line_error_naming_those_it_does() {
    let out = Command::new(env!("CARGO_BIN_EXE_replique"))
        .args(["practice", "--skill", "decouverte_compir", "--sector", "energie", "--seed", "1"])
        .env("RUST_BACKTRACE", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("secteurs proposés : ") && err.contains("generic"), "{err}");
    assert!(!err.contains("backtrace") && !err.contains(".rs:") && err.trim().lines().count() == 1, "{err}");
}

/// `replique serve` raises its open-files soft limit to the hard limit at start and says
/// so, before it listens.
#[test]
fn serve_raises_its_open_files_limit_and_logs_it() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let dir = tempfile::tempdir().expect("tempdir");
    let hard = Command::new("sh").args(["-c", "ulimit -Hn"]).output().expect("ulimit");
    let hard = String::from_utf8_lossy(&hard.stdout).trim().to_owned();
    if hard == "unlimited" || hard.parse::<u64>().is_ok_and(|h| h <= 256) {
        eprintln!("skipped: the hard open-files limit is {hard}");
        return;
    }
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -Sn 256 && exec \"$0\" serve --addr 127.0.0.1:0", env!("CARGO_BIN_EXE_replique")])
        .env("DATABASE_URL", format!("sqlite://{}/serve.db", dir.path().display()))
        .env("REPLIQUE_DATA_DIR", dir.path())
        .env("REPLIQUE_TTS_PROVIDER", "none")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut said = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        said.push_str(&line);
        said.push('\n');
        if line.contains("listening on") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let limit = said.lines().find(|l| l.contains("open files limit")).unwrap_or_else(|| panic!("{said}"));
    assert!(limit.contains("before=256") && limit.contains(&format!("soft={hard}")), "{limit}");
}

#[test]
fn an_operator_sets_an_organisations_retention_and_runs_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}/retention.db", dir.path().display());
    let out = replique(&db, &["org", "add", "Delta"]);
    assert!(out.status.success(), "{}", text(&out));

    // Beyond the CNIL's guidance (six months, a year), or not a number: refused, nothing set.
    let out = replique(&db, &["org", "set-retention", "Delta", "--recordings-days", "200", "--analyses-days", "365"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("de 1 à 180 jours"), "{}", text(&out));
    let out = replique(&db, &["org", "set-retention", "Delta", "--recordings-days", "90", "--analyses-days", "0"]);
    assert!(!out.status.success() && text(&out).contains("analyses"), "{}", text(&out));
    let out = replique(&db, &["org", "set-retention", "Delta", "--recordings-days", "x", "--analyses-days", "30"]);
    assert!(!out.status.success());
    let out = replique(&db, &["org", "set-retention", "Nobody", "--recordings-days", "90", "--analyses-days", "200"]);
    assert!(!out.status.success() && text(&out).contains("no organisation"), "{}", text(&out));

    let out = replique(&db, &["org", "set-retention", "Delta", "--recordings-days", "90", "--analyses-days", "200"]);
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("enregistrements et transcriptions 90 jours") && said.contains("comptes inactifs 1095 jours")
    );

    let out = replique(&db, &["retention", "run", "--data-dir", &dir.path().display().to_string()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Rien à supprimer"), "{}", text(&out));
}

#[test]
fn an_operator_gives_an_identity_provider_its_scim_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}/scim.db", dir.path().display());
    let out = replique(&db, &["org", "add", "Delta"]);
    assert!(out.status.success(), "{}", text(&out));

    let token = |out: &Output| String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let out = replique(&db, &["org", "scim-token", "Delta"]);
    assert!(out.status.success(), "{}", text(&out));
    let first = token(&out);
    assert!(first.len() == 64 && first.bytes().all(|b| b.is_ascii_hexdigit()), "only the token on stdout: {first}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("/scim/v2"), "{}", text(&out));
    let out = replique(&db, &["org", "scim-token", "Delta"]);
    let second = token(&out);
    assert!(out.status.success() && second.len() == 64 && second != first, "a new token each time");

    // Stored hashed: neither token is anywhere in the database's files.
    for entry in std::fs::read_dir(dir.path()).expect("files") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        for t in [&first, &second] {
            assert!(!bytes.windows(t.len()).any(|w| w == t.as_bytes()), "a token is stored in clear");
        }
    }
    let out = replique(&db, &["org", "scim-token", "Nobody"]);
    assert!(!out.status.success() && text(&out).contains("no organisation"), "{}", text(&out));
}

#[test]
fn an_operator_sets_an_organisations_single_sign_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}/sso.db", dir.path().display());
    for org in ["Cartonnages Maréchal", "Autre"] {
        assert!(replique(&db, &["org", "add", org]).status.success());
    }
    let secret = "le-secret-du-client-4242";
    let set = |org: &str, issuer: &str, domains: &str, extra: &[&str]| {
        let mut args = vec!["org", "set-oidc", org, "--issuer", issuer, "--client-id", "replique"];
        args.extend(["--client-secret", secret, "--domains", domains]);
        args.extend(extra);
        replique(&db, &args)
    };
    let out = set(
        "Cartonnages Maréchal",
        "https://login.marechal.fr/realms/ventes",
        "Marechal.fr, cartonnages.fr",
        &["--require"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("/auth/oidc/cartonnages-marechal/login"), "{said}");
    assert!(said.contains("marechal.fr, cartonnages.fr") && said.contains("SSO obligatoire"), "{said}");
    assert!(!said.contains(secret), "the secret is never printed back");

    let out = set("Cartonnages Maréchal", "http://login.marechal.fr", "marechal.fr", &[]);
    assert!(!out.status.success(), "plain HTTP refused off this machine");
    assert!(text(&out).contains("https://"), "{}", text(&out));
    let out = set("Autre", "https://idp.autre.fr", "marechal.fr", &[]);
    assert!(!out.status.success(), "a domain belongs to one organisation");
    assert!(text(&out).contains("already another organisation"), "{}", text(&out));
    let out = set("Inconnue", "https://idp.autre.fr", "autre.fr", &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("no organisation"), "{}", text(&out));
    let out = set("Autre", "https://idp.autre.fr", "pas un domaine", &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("domaine invalide"), "{}", text(&out));
    let out = set("Autre", "https://idp.autre.fr", "autre.fr", &["--slug", "autre-sa"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("/auth/oidc/autre-sa/login"), "{}", text(&out));
}

#[test]
fn an_admin_points_an_organisation_at_its_lrs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}/lrs.db", dir.path().display());
    let out = replique(&db, &["org", "add", "Delta"]);
    assert!(out.status.success(), "{}", text(&out));
    let set = |endpoint: &str| {
        replique(
            &db,
            &["org", "set-lrs", "Delta", "--endpoint", endpoint, "--key", "replique", "--secret", "s3cret-lrs"],
        )
    };

    // A malformed endpoint is refused with a clear message, before anything is stored.
    for (bad, why) in [
        ("lrs.exemple.fr/xAPI", "is not a URL"),
        ("ftp://lrs.exemple.fr/xAPI/", "http:// or https://"),
        ("https://user:pw@lrs.exemple.fr/xAPI/", "not in the URL"),
        ("https://lrs.exemple.fr/xAPI/?x=1", "no query"),
    ] {
        let out = set(bad);
        assert!(!out.status.success(), "{bad} accepted");
        assert!(text(&out).contains(why), "{bad}: {}", text(&out));
        assert!(!text(&out).contains("s3cret-lrs"), "the secret is never printed");
    }
    let out = replique(
        &db,
        &["org", "set-lrs", "Nobody", "--endpoint", "https://lrs.exemple.fr/xAPI/", "--key", "k", "--secret", "s"],
    );
    assert!(!out.status.success() && text(&out).contains("no organisation"), "{}", text(&out));
    let out = replique(
        &db,
        &["org", "set-lrs", "Delta", "--endpoint", "https://lrs.exemple.fr/xAPI", "--key", "k", "--secret", " "],
    );
    assert!(!out.status.success() && text(&out).contains("must not be empty"), "{}", text(&out));

    let out = set("https://lrs.exemple.fr/xAPI");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("https://lrs.exemple.fr/xAPI/statements"), "{}", text(&out));
    assert!(!text(&out).contains("s3cret-lrs"), "the secret is never printed");
}
