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
