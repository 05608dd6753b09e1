//! Embeds the default canon (`../canon`) in the binary, so a `goalframe`
//! copied anywhere works with no files beside it (docs/canon.md).

use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let canon_dir = manifest.join("..").join("canon");
    println!("cargo:rerun-if-changed={}", canon_dir.display());

    let mut files = Vec::new();
    collect(&canon_dir, &canon_dir, &mut files);
    files.sort();

    let mut out = String::from("/// The default canon's files: (path relative to `canon/`, contents).\npub static FILES: &[(&str, &str)] = &[\n");
    for rel in &files {
        let abs = canon_dir.join(rel);
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            rel,
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_canon.rs");
    fs::write(dest, out).expect("write embedded_canon.rs");
}

/// Collects canon files as `/`-separated relative paths, the same rule the
/// runtime loader uses: every `*.json` except `*.schema.json`.
fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name.ends_with(".json") && !name.ends_with(".schema.json") {
                let rel = path.strip_prefix(root).expect("below root");
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.push(rel.join("/"));
            }
        }
    }
}
