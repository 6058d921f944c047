//! Embeds every JSON file under the workspace's `content/` directory into the crate, so the
//! binary carries its catalogue and the core stays free of runtime IO.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let content = manifest.join("../../content").canonicalize().expect("content/ exists at the workspace root");
    println!("cargo:rerun-if-changed={}", content.display());

    let mut files = Vec::new();
    collect(&content, &mut files);
    files.sort();

    let mut out = String::from(
        "/// Every catalogue file, as (path relative to `content/`, contents).\npub static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&content).expect("file is under content/");
        let rel = rel.to_string_lossy().replace('\\', "/");
        writeln!(out, "    ({rel:?}, include_str!({:?})),", file.display().to_string()).expect("write to String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_content.rs");
    std::fs::write(dest, out).expect("write embedded_content.rs");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("read content directory");
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}
