//! The test-support module every test includes (the end-to-end tests as
//! `mod support;`, the server's in-process tests by path): running the
//! built binary, scratch folders and canons, golden files, the one LSP
//! test client, the one snippet expander, the one seeded generator, and
//! fixtures with cursor and range marks.

#![allow(dead_code)]

pub mod fixture;
pub mod lsp_client;
pub mod lsp_text;
pub mod rng;
pub mod snippet;

#[allow(unused_imports)]
pub use snippet::expand_snippet;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The `goalframe` binary cargo built for these tests.
pub fn bin() -> &'static str {
    // Set for integration tests, not for the binary's own unit tests.
    match option_env!("CARGO_BIN_EXE_goalframe") {
        Some(path) => path,
        None => panic!("only the end-to-end tests run the built binary"),
    }
}

/// Runs the binary with `args` in `cwd`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run goalframe")
}

/// Runs the binary with `args` in an empty folder (no goalframe.toml).
pub fn run(args: &[&str]) -> Output {
    let dir = scratch("run");
    run_in(&dir, args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// Asserts that the run `o` exited with `code` and that its standard
/// error says `said`, showing the whole of it otherwise: how a test states
/// that an input was refused.
#[track_caller]
pub fn assert_said(o: &Output, code: i32, said: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert!(err.contains(said), "expected {said:?} in:\n{err}");
}

/// A fresh empty folder under the target dir's temp space.
pub fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join("goalframe-tests").join(format!(
        "{}-{}-{}",
        name,
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Writes `files` (relative path, contents) into a fresh canon folder.
pub fn canon_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write canon file");
    }
    dir
}

/// The golden file under `tests/golden/`.
pub fn golden(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/golden")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The byte order mark a document saved in `encoding` starts with:
/// `utf8` (none), `utf8bom`, `utf16le` or `utf16be`.
pub fn mark(encoding: &str) -> &'static [u8] {
    match encoding {
        "utf8bom" => b"\xEF\xBB\xBF",
        "utf16le" => b"\xFF\xFE",
        "utf16be" => b"\xFE\xFF",
        _ => b"",
    }
}

/// `text` in `encoding`, without the mark (what an edit puts into a file).
pub fn encode(text: &str, encoding: &str) -> Vec<u8> {
    match encoding {
        "utf16le" => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        "utf16be" => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        _ => text.as_bytes().to_vec(),
    }
}

/// A file holding `text` in `encoding`: its mark, then the text.
pub fn encoded_file(text: &str, encoding: &str) -> Vec<u8> {
    [mark(encoding), &encode(text, encoding)].concat()
}

/// Bytes in `encoding`, without the mark, back to text.
pub fn decode(bytes: &[u8], encoding: &str) -> String {
    let unit = |c: &[u8]| match encoding {
        "utf16be" => u16::from_be_bytes([c[0], c[1]]),
        _ => u16::from_le_bytes([c[0], c[1]]),
    };
    match encoding {
        "utf16le" | "utf16be" => {
            String::from_utf16(&bytes.chunks(2).map(unit).collect::<Vec<_>>()).expect("UTF-16")
        }
        _ => String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}
