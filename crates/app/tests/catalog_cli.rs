//! `replique catalog check|list|show|schema` and `REPLIQUE_CONTENT_DIR`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content")
}

fn replique(args: &[&str], content_dir: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_replique"));
    command.args(args).env_remove("REPLIQUE_CONTENT_DIR").env("RUST_BACKTRACE", "0");
    if let Some(dir) = content_dir {
        command.env("REPLIQUE_CONTENT_DIR", dir);
    }
    command.output().expect("run replique")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A copy of the shipped content in a temporary directory.
fn copy_content() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy(&content(), dir.path());
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn the_shipped_catalogue_passes_the_check() {
    let out = replique(&["catalog", "check", content().to_str().expect("path")], None);
    assert!(out.status.success(), "{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("Catalogue valide"));
}

#[test]
fn a_broken_copy_fails_the_check_with_file_and_path() {
    let dir = copy_content();
    let file = dir.path().join("templates/decouverte_compir/decouverte_compir_1.json");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replacen("\"starting_gauge\": 40", "\"starting_gauge\": \"quarante\"", 1))
        .expect("write");
    let out = replique(&["catalog", "check", dir.path().to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(
        report.contains("templates/decouverte_compir/decouverte_compir_1.json: starting_gauge: wrong type"),
        "{report}"
    );
}

#[test]
fn list_json_follows_the_contract() {
    let out = replique(&["catalog", "list", "--json"], None);
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let skill = &list["skills"][0];
    for key in ["slug", "level", "title", "templates"] {
        assert!(skill.get(key).is_some(), "skills[0].{key}");
    }
    assert!(list["sectors"][0]["personas"].as_array().is_some_and(|p| !p.is_empty()));
    assert!(list["products"].as_array().is_some_and(|p| p.iter().any(|x| x == "crm_pme")));
}

#[test]
fn show_json_gives_the_adapted_scenario() {
    let out = replique(
        &[
            "catalog",
            "show",
            "decouverte_compir_1",
            "--sector",
            "generic",
            "--level",
            "expert",
            "--seed",
            "4",
            "--json",
        ],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let scenario: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for key in [
        "prospect",
        "hidden_objections",
        "possible_objections",
        "sector_vocabulary",
        "conversion_triggers",
        "agent_context_prompt",
        "product",
    ] {
        assert!(scenario.get(key).is_some(), "{key} at the top level");
    }
    assert_eq!(scenario["level"], "expert");
    let again = replique(
        &[
            "catalog",
            "show",
            "decouverte_compir_1",
            "--sector",
            "generic",
            "--level",
            "expert",
            "--seed",
            "4",
            "--json",
        ],
        None,
    );
    assert_eq!(out.stdout, again.stdout, "the same seed gives the same scenario");
    let unknown = replique(&["catalog", "show", "nope_1", "--json"], None);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown template"));
}

#[test]
fn a_content_directory_overrides_and_extends_the_embedded_catalogue() {
    let dir = tempfile::tempdir().expect("tempdir");
    let skills = dir.path().join("skills");
    std::fs::create_dir_all(&skills).expect("mkdir");
    let original = std::fs::read_to_string(content().join("skills/ecoute_active.json")).expect("read");
    let changed = original.replacen("\"title\": \"Écoute active\"", "\"title\": \"Écoute active (version maison)\"", 1);
    assert_ne!(original, changed);
    std::fs::write(skills.join("ecoute_active.json"), changed).expect("write");
    let out = replique(&["catalog", "list", "--json"], Some(dir.path()));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("Écoute active (version maison)"));
}

#[test]
fn schemas_are_written_for_each_kind_of_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = replique(&["catalog", "schema", dir.path().to_str().expect("path")], None);
    assert!(out.status.success());
    for kind in ["skill", "sector", "product", "template"] {
        let path = dir.path().join(format!("{kind}.schema.json"));
        let generated = std::fs::read_to_string(&path).expect("schema written");
        let shipped = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../schema/{kind}.schema.json")),
        )
        .expect("schema shipped under schema/");
        assert_eq!(generated, shipped, "schema/{kind}.schema.json is up to date (run `replique catalog schema`)");
    }
}
