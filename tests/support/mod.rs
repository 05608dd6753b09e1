//! Helpers shared by the end-to-end tests: running the built binary,
//! scratch canons on disk, and an LSP snippet expander.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The `goalframe` binary cargo built for these tests.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_goalframe")
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

/// Expands an LSP snippet (the TextMate-style grammar of the LSP spec:
/// `$n`, `${n}`, `${n:default}` with nesting, `\$ \} \\` escapes; a bare
/// `$n` after `${n:default}` mirrors the default) to the
/// text an editor would insert, and the tabstops as (number, byte range)
/// in that text. Panics on anything malformed, which is a test failure.
pub fn expand_snippet(snippet: &str) -> (String, Vec<(u32, std::ops::Range<usize>)>) {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = String::new();
    let mut stops = Vec::new();
    let mut i = 0;
    expand_into(&chars, &mut i, &mut out, &mut stops, false);
    // A bare `$n` after `${n:default}` mirrors the default, as editors do.
    let mut defaults: std::collections::HashMap<u32, String> = Default::default();
    let mut shift: isize = 0;
    let mut fixed = Vec::new();
    for (n, r) in stops {
        let r = (r.start as isize + shift) as usize..(r.end as isize + shift) as usize;
        if r.is_empty() && n != 0 {
            if let Some(d) = defaults.get(&n) {
                out.insert_str(r.start, d);
                shift += d.len() as isize;
                fixed.push((n, r.start..r.start + d.len()));
                continue;
            }
        }
        if !r.is_empty() {
            defaults
                .entry(n)
                .or_insert_with(|| out[r.clone()].to_string());
        }
        fixed.push((n, r));
    }
    let stops = fixed;
    assert_eq!(i, chars.len(), "unbalanced snippet");
    (out, stops)
}

fn expand_into(
    c: &[char],
    i: &mut usize,
    out: &mut String,
    stops: &mut Vec<(u32, std::ops::Range<usize>)>,
    nested: bool,
) {
    while *i < c.len() {
        match c[*i] {
            '\\' if *i + 1 < c.len() && matches!(c[*i + 1], '$' | '}' | '\\') => {
                out.push(c[*i + 1]);
                *i += 2;
            }
            '}' if nested => return,
            '}' => panic!("unescaped `}}` in snippet at char {}", *i),
            '$' => {
                *i += 1;
                let braced = c.get(*i) == Some(&'{');
                if braced {
                    *i += 1;
                }
                let start = *i;
                while *i < c.len() && c[*i].is_ascii_digit() {
                    *i += 1;
                }
                assert!(
                    *i > start,
                    "`$` not followed by a tabstop number at char {start}"
                );
                let n: u32 = c[start..*i]
                    .iter()
                    .collect::<String>()
                    .parse()
                    .expect("number");
                let at = out.len();
                if braced {
                    if c.get(*i) == Some(&':') {
                        *i += 1;
                        expand_into(c, i, out, stops, true);
                    }
                    assert_eq!(c.get(*i), Some(&'}'), "unterminated tabstop");
                    *i += 1;
                }
                stops.push((n, at..out.len()));
            }
            ch => {
                out.push(ch);
                *i += 1;
            }
        }
    }
    assert!(!nested, "unterminated placeholder");
}
