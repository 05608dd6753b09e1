//! Loading and validating canon files (docs/canon.md).
//!
//! Every problem is collected (not just the first) with its file, line,
//! column and JSON path, and a canon with any error is never returned: the
//! caller either gets a whole [`Canon`] or the list of what is wrong.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jsonc_parser::ast::{Array, Object, ObjectPropName, Value};

use super::{Canon, Dimension, Level, LevelTexts, Role, RoleLevel};

mod json;
mod merge;
mod parse;
#[cfg(test)]
mod tests;
mod walk;

use merge::*;
pub(crate) use parse::is_slug;
use parse::*;
use walk::*;

/// One canon file's name (as shown in errors) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// One located problem in a canon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonError {
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte range in the file, for editors that underline it.
    pub range: (usize, usize),
    /// `roles[0].levels.P2.responsibilities[3]`; empty for the whole file.
    pub json_path: String,
    pub message: String,
}

impl fmt::Display for CanonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.json_path.is_empty() {
            write!(f, "{}: ", crate::quote::quote(&self.json_path))?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in one load, in file then position order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonErrors(pub Vec<CanonError>);

impl fmt::Display for CanonErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::canon::write_lines(f, &self.0)
    }
}

impl std::error::Error for CanonErrors {}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_canon.rs"));
}

/// The default canon's files, as `canon/` holds them: (path relative to
/// the canon directory, text). What `goalframe canon init` starts from.
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    embedded::FILES
}

/// The default canon compiled into the binary (docs/canon.md).
pub fn load_embedded() -> Result<Canon, CanonErrors> {
    let files = embedded::FILES
        .iter()
        .map(|(rel, text)| SourceFile {
            path: format!("<embedded>/{rel}"),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    load_sources(files, vec!["<embedded>".to_string()])
}

/// The canon a configuration names: its directories, or the embedded
/// default when it names none. What every command and the language server
/// load, so they always agree.
pub fn load_configured(dirs: &[PathBuf]) -> Result<Canon, CanonErrors> {
    if dirs.is_empty() {
        load_embedded()
    } else {
        load_dirs(dirs)
    }
}

/// Loads and merges canon directories, in the order given; inside each,
/// every `*.json` but `*.schema.json`, in byte order of relative path. A
/// directory named twice (or by two paths that lead to it) is read once.
pub fn load_dirs(dirs: &[PathBuf]) -> Result<Canon, CanonErrors> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    let mut seen_dirs = std::collections::HashSet::new();
    let dir_error = |dir: &Path, message: String| CanonError {
        file: dir.display().to_string(),
        line: 1,
        column: 1,
        range: (0, 0),
        json_path: String::new(),
        message,
    };
    for dir in dirs {
        match std::fs::canonicalize(dir) {
            Ok(real) => {
                if !seen_dirs.insert(real) {
                    continue;
                }
            }
            Err(e) => {
                errors.push(dir_error(dir, format!("cannot read canon directory: {e}")));
                continue;
            }
        }
        if !dir.is_dir() {
            errors.push(dir_error(dir, not_a_directory(dir)));
            continue;
        }
        let mut found = Vec::new();
        let mut walk = Walk {
            root: dir,
            out: &mut found,
            errors: &mut errors,
            ancestors: Vec::new(),
            visited: std::collections::HashSet::new(),
        };
        walk.dir(dir);
        if found.is_empty() {
            errors.push(dir_error(
                dir,
                "no canon files (*.json) in this directory".to_string(),
            ));
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        files.extend(found.into_iter().map(|(_, path)| path));
    }
    // The files are split in runs, one per core. This thread reads,
    // checks and merges the first run one file at a time; the others read
    // and check theirs, and this thread merges them, in order, once it is
    // done and they have finished (so the result and the errors are a
    // load's one file after another). A run's pieces are allocated on its
    // own thread and freed here only after it has ended: merging while
    // others allocate made the allocator's locks cost more than parsing
    // on several cores saves. Each file's JSON is dropped once parsed.
    let mut b = Builder::default();
    // One at a time until some level is defined (`levels.json` sorts
    // first): every thread then resolves its roles' levels as it parses
    // them, and keeps no locations for them.
    let mut files = &files[..];
    while let [path, rest @ ..] = files {
        if !b.code_index.is_empty() {
            break;
        }
        let parsed = read_and_parse(path, &b.code_index);
        add(&mut b, &mut errors, parsed);
        files = rest;
    }
    let known = b.code_index.clone();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, files.len().div_ceil(MIN_FILES_PER_THREAD).max(1));
    let run = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let mut runs = files.chunks(run);
        let first = runs.next().unwrap_or_default();
        let known = &known;
        let others: Vec<_> = runs
            .map(|r| {
                scope.spawn(move || {
                    r.iter()
                        .map(|p| read_and_parse(p, known))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for path in first {
            add(&mut b, &mut errors, read_and_parse(path, known));
        }
        for handle in others {
            match handle.join() {
                Ok(parsed) => {
                    for outcome in parsed {
                        add(&mut b, &mut errors, outcome);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    let sources = dirs.iter().map(|d| d.display().to_string()).collect();
    match b.finish(sources) {
        Ok(canon) if errors.is_empty() => Ok(canon),
        Ok(_) => Err(CanonErrors(errors)),
        Err(CanonErrors(more)) => {
            errors.extend(more);
            Err(CanonErrors(errors))
        }
    }
}

/// Merges a file [`read_and_parse`] read and checked, or keeps why it
/// could not be read (such errors come before the canon's own).
fn add(
    b: &mut Builder,
    errors: &mut Vec<CanonError>,
    outcome: Result<(String, FileParse), CanonError>,
) {
    match outcome {
        Ok((path, parsed)) => b.merge(path, parsed),
        Err(e) => errors.push(e),
    }
}

/// Fewer files than this per thread are not worth a thread.
const MIN_FILES_PER_THREAD: usize = 16;

/// Reads and checks one canon file on its own ([`parse_file`]).
fn read_and_parse(
    path: &Path,
    known: &HashMap<String, usize>,
) -> Result<(String, FileParse), CanonError> {
    let shown = path.display().to_string();
    match crate::read::read_regular(path, crate::read::CANON_FILE_LIMIT) {
        Ok(bytes) => {
            let parsed = parse_file(
                &SourceFile {
                    path: shown.clone(),
                    bytes,
                },
                known,
            );
            Ok((shown, parsed))
        }
        Err(e) => Err(CanonError {
            file: shown,
            line: 1,
            column: 1,
            range: (0, 0),
            json_path: String::new(),
            message: format!("cannot read: {e}"),
        }),
    }
}

/// Whether a path is a canon file by the rule in docs/canon.md.
pub fn is_canon_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.ends_with(".json") && !name.ends_with(".schema.json")
}

/// Validates and merges already-read canon files.
pub fn load_sources(files: Vec<SourceFile>, sources: Vec<String>) -> Result<Canon, CanonErrors> {
    let mut b = Builder::default();
    for file in &files {
        b.file(file);
    }
    b.finish(sources)
}

/// Why a canon path that is a file is refused, with the way to use it
/// when it is a spreadsheet or one canon file: a canon is a directory.
fn not_a_directory(path: &Path) -> String {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv" | "xlsx") => {
            // The command as it can be pasted into a shell.
            let name = path.display().to_string();
            let plain = |c: char| c.is_ascii_alphanumeric() || "._/-+,:@".contains(c);
            let name = if name.chars().all(plain) {
                name
            } else {
                format!("'{}'", name.replace('\'', r"'\''"))
            };
            format!(
                "not a directory: a canon is a directory of JSON files; to make one from this spreadsheet, run `goalframe canon import {name} --out DIR`"
            )
        }
        Some("json" | "jsonc") => {
            "not a directory: a canon is a directory of JSON files; name the directory that holds this file".to_string()
        }
        _ => "not a directory".to_string(),
    }
}

/// The known name closest to a misspelled one, if any is close enough.
pub(crate) fn did_you_mean<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = name.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&lower, &k.to_lowercase()), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}
