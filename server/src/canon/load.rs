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
use jsonc_parser::{CollectOptions, ParseOptions};

use super::{Canon, Dimension, Level, LevelTexts, Role, RoleLevel};

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
            write!(f, "{}: ", self.json_path)?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in one load, in file then position order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonErrors(pub Vec<CanonError>);

impl fmt::Display for CanonErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CanonErrors {}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_canon.rs"));
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
            errors.push(dir_error(dir, "not a directory".to_string()));
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

/// The copy of `key` kept in `keys`, made on first sight: rubric keys are
/// a handful of names, each stored once.
fn intern(keys: &mut HashMap<String, Arc<str>>, key: &str) -> Arc<str> {
    if let Some(k) = keys.get(key) {
        return k.clone();
    }
    let k: Arc<str> = Arc::from(key);
    keys.insert(key.to_string(), k.clone());
    k
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

/// The walk of one canon directory: (relative path as bytes for
/// ordering, full path) of every canon file below it. Symbolic links to
/// directories are followed, but a link back to a directory the walk is
/// inside of is a loop (reported, not followed: git stores such links, and
/// following them never ends), and a directory reached twice is read once.
struct Walk<'a> {
    root: &'a Path,
    out: &'a mut Vec<(Vec<u8>, PathBuf)>,
    errors: &'a mut Vec<CanonError>,
    /// The real paths of the directories being walked, outermost first.
    ancestors: Vec<PathBuf>,
    visited: std::collections::HashSet<PathBuf>,
}

impl Walk<'_> {
    fn error(&mut self, path: &Path, message: String) {
        self.errors.push(CanonError {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            range: (0, 0),
            json_path: String::new(),
            message,
        });
    }

    fn dir(&mut self, dir: &Path) {
        let real = match std::fs::canonicalize(dir) {
            Ok(r) => r,
            Err(e) => return self.error(dir, format!("cannot read canon directory: {e}")),
        };
        if let Some(outer) = self.ancestors.iter().find(|a| **a == real) {
            let message = format!(
                "symbolic link loop: this leads back to {}, which contains it; not followed",
                outer.display()
            );
            return self.error(dir, message);
        }
        if !self.visited.insert(real.clone()) {
            return;
        }
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(e) => e.collect(),
            Err(e) => return self.error(dir, format!("cannot read canon directory: {e}")),
        };
        // Problems are reported in path order, like the files.
        entries.sort_by_key(|e| e.as_ref().map(|e| e.file_name()).ok());
        self.ancestors.push(real);
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.error(dir, format!("cannot read canon directory: {e}"));
                    continue;
                }
            };
            let path = entry.path();
            let is_dir = match entry.file_type() {
                Ok(t) if t.is_dir() => true,
                // A link to a directory is walked; a broken link or a link
                // loop (ELOOP) is reported where it names a canon file.
                Ok(t) if t.is_symlink() => path.is_dir(),
                Ok(_) => false,
                Err(e) => {
                    self.error(&path, format!("cannot read: {e}"));
                    continue;
                }
            };
            if is_dir {
                self.dir(&path);
            } else if is_canon_file(&path) {
                let rel = path.strip_prefix(self.root).unwrap_or(&path);
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                self.out.push((key.into_bytes(), path));
            }
        }
        self.ancestors.pop();
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

/// Where a definition came from, for "first defined at" notes.
#[derive(Debug, Clone)]
struct Origin {
    file: String,
    line: usize,
    column: usize,
}

/// A role level as parsed: its responsibilities and rubrics, already laid
/// out as the canon keeps them (on the thread that parsed the file), its
/// level not yet resolved (`level` is [`UNRESOLVED`]).
type LevelData = RoleLevel;

/// The level of a [`LevelData`] until its code is resolved.
const UNRESOLVED: usize = usize::MAX;

/// A role as parsed, before level codes are resolved across files.
struct PendingRole {
    role: Role,
    /// (code as written, location of the key, json path) per role level.
    /// Their locations have an empty `path`: it is `levels_path` joined
    /// with the code, built only for an error.
    level_keys: Vec<(String, Loc)>,
    levels_path: String,
    level_data: Vec<LevelData>,
    /// False for a duplicate id: its levels are still checked, but it is
    /// not part of the canon (which is not built anyway).
    keep: bool,
}

#[derive(Debug, Clone)]
struct Loc {
    /// Shared by every location in one file (a large canon has hundreds of
    /// thousands of them).
    file: std::sync::Arc<str>,
    range: (usize, usize),
    line: usize,
    column: usize,
    path: String,
}

#[derive(Default)]
struct Builder {
    errors: Vec<CanonError>,
    levels: Vec<Level>,
    level_origin: HashMap<String, Origin>,
    roles: Vec<PendingRole>,
    role_origin: HashMap<String, Origin>,
    /// Lower-cased id or alias → (role id, origin).
    names: HashMap<String, (String, Origin)>,
    /// File names in load order, to report errors file by file.
    file_order: Vec<String>,
    /// Lower-cased level code → index in `levels`, as levels are defined.
    code_index: HashMap<String, usize>,
    /// Rubric keys seen so far, each stored once.
    rubric_keys: HashMap<String, Arc<str>>,
}

/// Per-file context: its text and a line index for positions.
struct FileCtx<'a> {
    path: std::sync::Arc<str>,
    text: &'a str,
    /// Built on the first location asked for.
    line_starts: std::cell::OnceCell<Vec<usize>>,
    /// The last location found: (byte offset, 0-based line, 1-based
    /// column). Locations are asked for mostly in file order, so each
    /// column is counted on from the last one rather than from its line's
    /// start: a canon written on one line (`jq -c`) costs what a
    /// pretty-printed one does, not the square of its line.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl FileCtx<'_> {
    fn loc(&self, range: (usize, usize), json_path: &str) -> Loc {
        let starts = self.line_starts.get_or_init(|| line_starts(self.text));
        let offset = range.0.min(self.text.len());
        let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let (last_offset, last_line, last_column) = self.last.get();
        let from = if last_line == line && last_offset <= offset {
            (last_offset, last_column)
        } else {
            (starts.get(line).copied().unwrap_or(0), 1)
        };
        let column = from.1
            + self
                .text
                .get(from.0..offset)
                .map_or(0, |s| s.chars().count());
        self.last.set((offset, line, column));
        Loc {
            file: self.path.clone(),
            range,
            line: line + 1,
            column,
            path: json_path.to_string(),
        }
    }
}

/// (1-based line, 1-based column in characters) of `offset`.
fn line_col(text: &str, line_starts: &[usize], offset: usize) -> (usize, usize) {
    let line = line_starts
        .partition_point(|&s| s <= offset)
        .saturating_sub(1);
    let start = line_starts.get(line).copied().unwrap_or(0);
    let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
    (line + 1, column)
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

const TOP_KEYS: &[&str] = &["$schema", "levels", "roles"];
const LEVEL_KEYS: &[&str] = &["code", "name", "dimensions"];
const DIMENSION_KEYS: &[&str] = &["name", "text"];
const ROLE_KEYS: &[&str] = &["id", "title", "family", "aliases", "levels"];
const ROLE_LEVEL_KEYS: &[&str] = &["responsibilities", "rubrics"];

fn push_err(errors: &mut Vec<CanonError>, loc: Loc, message: impl Into<String>) {
    errors.push(CanonError {
        file: loc.file.to_string(),
        line: loc.line,
        column: loc.column,
        range: loc.range,
        json_path: loc.path,
        message: message.into(),
    });
}

/// One file's levels and roles, checked on their own but not yet against
/// the other files: what [`parse_file`] hands to the [`Builder`].
#[derive(Default)]
struct FileParse {
    errors: Vec<CanonError>,
    /// Each level with where its code is, for a duplicate in another file.
    levels: Vec<(Level, Loc)>,
    roles: Vec<ParsedRole>,
    /// This file's rubric keys, each stored once (the builder then keeps
    /// one copy for the whole canon).
    rubric_keys: HashMap<String, Arc<str>>,
}

/// A complete, well-formed role as one file defines it.
struct ParsedRole {
    role: Role,
    id_loc: Loc,
    alias_locs: Vec<Loc>,
    level_keys: Vec<(String, Loc)>,
    levels_path: String,
    level_data: Vec<LevelData>,
}

/// Checks one file on its own: everything but what needs the other files
/// (duplicates across files, level codes defined elsewhere), which the
/// [`Builder`] checks as it merges the results in file order.
/// `known`: level codes (lower-cased) already defined by the files before
/// it, whose roles' levels then resolve here rather than in the merge.
fn parse_file(file: &SourceFile, known: &HashMap<String, usize>) -> FileParse {
    let mut p = FileParse::default();
    p.file(file, known);
    p
}

/// Moves a role's parsed levels into it when every one of their codes is
/// in `code_index`, dropping the locations kept for an undefined code.
fn resolve_levels(
    code_index: &HashMap<String, usize>,
    role: &mut Role,
    level_keys: &mut Vec<(String, Loc)>,
    level_data: &mut Vec<LevelData>,
) {
    let resolved: Option<Vec<usize>> = level_keys
        .iter()
        .map(|(code, _)| code_index.get(&code.to_lowercase()).copied())
        .collect();
    if let Some(indexes) = resolved {
        role.levels.reserve_exact(indexes.len());
        for (level, mut rl) in indexes.into_iter().zip(std::mem::take(level_data)) {
            rl.level = level;
            role.levels.push(rl);
        }
        *level_keys = Vec::new();
    }
}

impl FileParse {
    fn err(&mut self, loc: Loc, message: impl Into<String>) {
        push_err(&mut self.errors, loc, message);
    }

    fn file(&mut self, file: &SourceFile, known: &HashMap<String, usize>) {
        let text = match std::str::from_utf8(&file.bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = &file.bytes[..e.valid_up_to()];
                let valid = std::str::from_utf8(valid).unwrap_or_default();
                let starts = line_starts(valid);
                let (line, column) = line_col(valid, &starts, valid.len());
                self.errors.push(CanonError {
                    file: file.path.clone(),
                    line,
                    column,
                    range: (e.valid_up_to(), e.valid_up_to() + 1),
                    json_path: String::new(),
                    message: "not valid UTF-8".to_string(),
                });
                return;
            }
        };
        let ctx = FileCtx {
            path: file.path.as_str().into(),
            text,
            line_starts: std::cell::OnceCell::new(),
            last: std::cell::Cell::new((0, 0, 1)),
        };
        let strict = ParseOptions {
            allow_comments: false,
            allow_loose_object_property_names: false,
            allow_trailing_commas: false,
            allow_missing_commas: false,
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        let parsed = match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict) {
            Ok(p) => p,
            Err(e) => {
                let r = e.range();
                let loc = ctx.loc((r.start, r.end), "");
                self.err(loc, format!("invalid JSON: {}", e.kind()));
                return;
            }
        };
        let Some(root) = parsed.value else {
            let loc = ctx.loc((0, 0), "");
            self.err(loc, "empty file: a canon file is a JSON object");
            return;
        };
        let Some(obj) = self.object(&ctx, &root, "") else {
            return;
        };
        for prop in self.props(&ctx, obj, "", TOP_KEYS) {
            match prop.0 {
                "$schema" => {
                    self.string(&ctx, prop.1, &prop.2);
                }
                "levels" => {
                    if let Some(arr) = self.array(&ctx, prop.1, &prop.2) {
                        self.levels(&ctx, arr, &prop.2);
                    }
                }
                "roles" => {
                    if let Some(arr) = self.array(&ctx, prop.1, &prop.2) {
                        self.roles(&ctx, arr, &prop.2, known);
                    }
                }
                _ => {}
            }
        }
    }

    /// The known properties of an object as (key, value, json path); reports
    /// unknown keys (with a suggestion) and duplicate keys.
    fn props<'v, 'a>(
        &mut self,
        ctx: &FileCtx,
        obj: &'v Object<'a>,
        path: &str,
        known: &'static [&'static str],
    ) -> Vec<(&'static str, &'v Value<'a>, String)> {
        let mut out: Vec<(&'static str, &'v Value<'a>, String)> = Vec::new();
        for p in &obj.properties {
            let (name, range) = match &p.name {
                ObjectPropName::String(s) => (s.value.as_ref(), (s.range.start, s.range.end)),
                ObjectPropName::Word(w) => (w.value, (w.range.start, w.range.end)),
            };
            let child = join_key(path, name);
            match known.iter().find(|k| **k == name) {
                Some(k) => {
                    if out.iter().any(|(seen, _, _)| seen == k) {
                        let loc = ctx.loc(range, &child);
                        self.err(loc, format!("duplicate key `{name}`"));
                    } else {
                        out.push((k, &p.value, child));
                    }
                }
                None => {
                    let loc = ctx.loc(range, &child);
                    let mut msg = format!("unknown key `{name}`");
                    if let Some(s) = did_you_mean(name, known) {
                        msg.push_str(&format!("; did you mean `{s}`?"));
                    } else {
                        msg.push_str(&format!(
                            "; expected one of {}",
                            super::quote_list(
                                &known.iter().map(|k| k.to_string()).collect::<Vec<_>>()
                            )
                        ));
                    }
                    self.err(loc, msg);
                }
            }
        }
        out
    }

    fn require(
        &mut self,
        ctx: &FileCtx,
        obj: &Object,
        path: &str,
        present: &[(&str, &Value, String)],
        required: &[&str],
    ) -> bool {
        let mut ok = true;
        for r in required {
            if !present.iter().any(|(k, _, _)| k == r) {
                let loc = ctx.loc((obj.range.start, obj.range.start + 1), path);
                self.err(loc, format!("missing required key `{r}`"));
                ok = false;
            }
        }
        ok
    }

    fn object<'v, 'a>(
        &mut self,
        ctx: &FileCtx,
        v: &'v Value<'a>,
        path: &str,
    ) -> Option<&'v Object<'a>> {
        match v {
            Value::Object(o) => Some(o),
            other => {
                self.type_error(ctx, other, path, "an object");
                None
            }
        }
    }

    fn array<'v, 'a>(
        &mut self,
        ctx: &FileCtx,
        v: &'v Value<'a>,
        path: &str,
    ) -> Option<&'v Array<'a>> {
        match v {
            Value::Array(a) => Some(a),
            other => {
                self.type_error(ctx, other, path, "an array");
                None
            }
        }
    }

    /// A canon string: non-empty, one line.
    fn string(&mut self, ctx: &FileCtx, v: &Value, path: &str) -> Option<String> {
        match v {
            Value::StringLit(s) => {
                let loc = || ctx.loc((s.range.start, s.range.end), path);
                if s.value.trim().is_empty() {
                    self.err(loc(), "empty string");
                    None
                } else if s.value.contains(['\n', '\r']) {
                    self.err(
                        loc(),
                        "line break in canon text: each canon string is one line",
                    );
                    None
                } else {
                    Some(s.value.to_string())
                }
            }
            other => {
                self.type_error(ctx, other, path, "a string");
                None
            }
        }
    }

    fn type_error(&mut self, ctx: &FileCtx, v: &Value, path: &str, expected: &str) {
        let (range, found) = match v {
            Value::StringLit(s) => (s.range, "a string"),
            Value::NumberLit(n) => (n.range, "a number"),
            Value::BooleanLit(b) => (b.range, "a boolean"),
            Value::Object(o) => (o.range, "an object"),
            Value::Array(a) => (a.range, "an array"),
            Value::NullKeyword(n) => (n.range, "null"),
        };
        let loc = ctx.loc((range.start, range.end), path);
        self.err(loc, format!("expected {expected}, found {found}"));
    }

    fn levels(&mut self, ctx: &FileCtx, arr: &Array, path: &str) {
        for (i, v) in arr.elements.iter().enumerate() {
            let lpath = format!("{path}[{i}]");
            let Some(obj) = self.object(ctx, v, &lpath) else {
                continue;
            };
            let props = self.props(ctx, obj, &lpath, LEVEL_KEYS);
            let complete = self.require(ctx, obj, &lpath, &props, &["code", "name"]);
            let (mut code, mut name, mut dims, mut code_range) = (None, None, Vec::new(), (0, 0));
            for (k, v, p) in &props {
                match *k {
                    "code" => {
                        code_range = value_range(v);
                        code = self.string(ctx, v, p).filter(|c| {
                            let ok = !c.contains(|ch: char| ch.is_whitespace() || ch == '/');
                            if !ok {
                                let loc = ctx.loc(code_range, p);
                                self.err(loc, format!("level code `{c}` has white space or `/`; tokens like `@role/{c}` could not name it"));
                            }
                            ok
                        });
                    }
                    "name" => name = self.string(ctx, v, p),
                    "dimensions" => {
                        if let Some(a) = self.array(ctx, v, p) {
                            dims = self.dimensions(ctx, a, p);
                        }
                    }
                    _ => {}
                }
            }
            if let (true, Some(code), Some(name)) = (complete, code, name) {
                let loc = ctx.loc(code_range, &join_key(&lpath, "code"));
                self.levels.push((
                    Level {
                        code,
                        name,
                        dimensions: dims,
                    },
                    loc,
                ));
            }
        }
    }

    fn dimensions(&mut self, ctx: &FileCtx, arr: &Array, path: &str) -> Vec<Dimension> {
        let mut out = Vec::new();
        for (i, v) in arr.elements.iter().enumerate() {
            let dpath = format!("{path}[{i}]");
            let Some(obj) = self.object(ctx, v, &dpath) else {
                continue;
            };
            let props = self.props(ctx, obj, &dpath, DIMENSION_KEYS);
            self.require(ctx, obj, &dpath, &props, &["name", "text"]);
            let (mut name, mut text) = (None, None);
            for (k, v, p) in &props {
                match *k {
                    "name" => name = self.string(ctx, v, p),
                    "text" => text = self.string(ctx, v, p),
                    _ => {}
                }
            }
            if let (Some(name), Some(text)) = (name, text) {
                out.push(Dimension { name, text });
            }
        }
        out
    }

    fn roles(&mut self, ctx: &FileCtx, arr: &Array, path: &str, known: &HashMap<String, usize>) {
        for (i, v) in arr.elements.iter().enumerate() {
            let rpath = format!("{path}[{i}]");
            let Some(obj) = self.object(ctx, v, &rpath) else {
                continue;
            };
            let props = self.props(ctx, obj, &rpath, ROLE_KEYS);
            let complete = self.require(
                ctx,
                obj,
                &rpath,
                &props,
                &["id", "title", "family", "levels"],
            );
            let mut role = Role {
                id: String::new(),
                title: String::new(),
                family: String::new(),
                aliases: vec![],
                levels: vec![],
            };
            let mut ok = complete;
            let mut id_loc = None;
            let mut alias_locs = Vec::new();
            let mut level_keys = Vec::new();
            let mut levels_path = String::new();
            let mut level_data = Vec::new();
            for (k, v, p) in &props {
                match *k {
                    "id" => match self.string(ctx, v, p) {
                        Some(id) if is_slug(&id) => {
                            id_loc = Some(ctx.loc(value_range(v), p));
                            role.id = id;
                        }
                        Some(id) => {
                            let loc = ctx.loc(value_range(v), p);
                            self.err(loc, format!("role id `{id}` is not a slug: use lower-case letters, digits and `-`, starting with a letter or digit"));
                            ok = false;
                        }
                        None => ok = false,
                    },
                    "title" => {
                        role.title = self.string(ctx, v, p).unwrap_or_else(|| {
                            ok = false;
                            String::new()
                        })
                    }
                    "family" => {
                        role.family = self.string(ctx, v, p).unwrap_or_else(|| {
                            ok = false;
                            String::new()
                        })
                    }
                    "aliases" => {
                        if let Some(a) = self.array(ctx, v, p) {
                            for (j, av) in a.elements.iter().enumerate() {
                                let apath = format!("{p}[{j}]");
                                if let Some(alias) = self.string(ctx, av, &apath) {
                                    alias_locs.push(ctx.loc(value_range(av), &apath));
                                    role.aliases.push(alias);
                                }
                            }
                        }
                    }
                    "levels" => {
                        if let Some(o) = self.object(ctx, v, p) {
                            for lp in &o.properties {
                                let (code, range) = match &lp.name {
                                    ObjectPropName::String(s) => {
                                        (s.value.to_string(), (s.range.start, s.range.end))
                                    }
                                    ObjectPropName::Word(w) => {
                                        (w.value.to_string(), (w.range.start, w.range.end))
                                    }
                                };
                                let lpath = join_key(p, &code);
                                if level_keys
                                    .iter()
                                    .any(|(c, _): &(String, Loc)| c.eq_ignore_ascii_case(&code))
                                {
                                    let loc = ctx.loc(range, &lpath);
                                    self.err(loc, format!("duplicate level `{code}` in this role"));
                                    continue;
                                }
                                level_data.push(self.role_level(ctx, &lp.value, &lpath));
                                level_keys.push((code, ctx.loc(range, "")));
                                levels_path.clone_from(p);
                            }
                        }
                    }
                    _ => {}
                }
            }
            if !ok {
                continue;
            }
            let Some(id_loc) = id_loc else { continue };
            // Levels of earlier files (`levels.json` sorts before `roles/`)
            // resolve now: the locations kept for errors go at once.
            resolve_levels(known, &mut role, &mut level_keys, &mut level_data);
            self.roles.push(ParsedRole {
                role,
                id_loc,
                alias_locs,
                level_keys,
                levels_path,
                level_data,
            });
        }
    }

    /// The one shared copy of a rubric key.
    fn intern(&mut self, key: &str) -> Arc<str> {
        intern(&mut self.rubric_keys, key)
    }

    fn role_level(&mut self, ctx: &FileCtx, v: &Value, path: &str) -> LevelData {
        let mut texts = LevelTexts::default();
        let Some(obj) = self.object(ctx, v, path) else {
            return RoleLevel::new(UNRESOLVED, texts);
        };
        for (k, v, p) in self.props(ctx, obj, path, ROLE_LEVEL_KEYS) {
            match k {
                "responsibilities" => {
                    if let Some(a) = self.array(ctx, v, &p) {
                        texts.reserve(a.elements.len(), text_bytes(&a.elements));
                        for (i, rv) in a.elements.iter().enumerate() {
                            // The JSON path is only built for an error.
                            if let Some(s) = plain_string(rv) {
                                texts.push_responsibility(s);
                            } else if let Some(s) = self.string(ctx, rv, &format!("{p}[{i}]")) {
                                texts.push_responsibility(&s);
                            }
                        }
                    }
                }
                "rubrics" => {
                    if let Some(o) = self.object(ctx, v, &p) {
                        let values = o.properties.iter().map(|rp| &rp.value);
                        texts.reserve(o.properties.len(), text_bytes(values));
                        for rp in &o.properties {
                            let name = rp.name.as_str();
                            if texts.has_rubric(name) {
                                let rpath = join_key(&p, name);
                                let loc = ctx.loc(value_range(&rp.value), &rpath);
                                self.err(loc, format!("duplicate rubric `{name}`"));
                            } else if let Some(s) = plain_string(&rp.value) {
                                texts.push_rubric(self.intern(name), s);
                            } else if let Some(s) = self.string(ctx, &rp.value, &join_key(&p, name))
                            {
                                texts.push_rubric(self.intern(name), &s);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        RoleLevel::new(UNRESOLVED, texts)
    }
}

impl Builder {
    fn err(&mut self, loc: Loc, message: impl Into<String>) {
        push_err(&mut self.errors, loc, message);
    }

    /// Checks one file on its own, then against the files before it.
    fn file(&mut self, file: &SourceFile) {
        let parsed = parse_file(file, &self.code_index);
        self.merge(file.path.clone(), parsed);
    }

    /// Adds a file checked on its own ([`parse_file`]) to the files before
    /// it: level codes, role ids and names defined twice are found here.
    fn merge(&mut self, path: String, parsed: FileParse) {
        let FileParse {
            errors,
            levels,
            roles,
            rubric_keys: _,
        } = parsed;
        self.file_order.push(path);
        self.errors.extend(errors);
        for (level, loc) in levels {
            let key = level.code.to_lowercase();
            if let Some(first) = self.level_origin.get(&key) {
                let message = format!(
                    "duplicate level code `{}`; first defined at {}:{}:{}",
                    level.code, first.file, first.line, first.column
                );
                self.err(loc, message);
            } else {
                self.level_origin.insert(
                    key.clone(),
                    Origin {
                        file: loc.file.to_string(),
                        line: loc.line,
                        column: loc.column,
                    },
                );
                self.code_index.insert(key, self.levels.len());
                self.levels.push(level);
            }
        }
        for ParsedRole {
            mut role,
            id_loc,
            alias_locs,
            mut level_keys,
            levels_path,
            mut level_data,
        } in roles
        {
            for rl in &mut level_data {
                for key in rl.rubric_keys_mut() {
                    *key = self.intern(key);
                }
            }
            // Levels defined since it was parsed resolve now.
            if !level_keys.is_empty() {
                resolve_levels(
                    &self.code_index,
                    &mut role,
                    &mut level_keys,
                    &mut level_data,
                );
            }
            let key = role.id.to_lowercase();
            if let Some(first) = self.role_origin.get(&key).cloned() {
                self.err(
                    id_loc,
                    format!(
                        "duplicate role id `{}`; first defined at {}:{}:{}",
                        role.id, first.file, first.line, first.column
                    ),
                );
                self.roles.push(PendingRole {
                    role,
                    level_keys,
                    levels_path,
                    level_data,
                    keep: false,
                });
                continue;
            }
            self.role_origin.insert(
                key,
                Origin {
                    file: id_loc.file.to_string(),
                    line: id_loc.line,
                    column: id_loc.column,
                },
            );
            for (name, loc) in std::iter::once((role.id.clone(), id_loc))
                .chain(role.aliases.iter().cloned().zip(alias_locs))
            {
                let lower = name.to_lowercase();
                match self.names.get(&lower).cloned() {
                    Some((other, _)) if other == role.id => {}
                    Some((other, first)) => {
                        self.err(
                            loc,
                            format!(
                                "`{name}` names two roles: `{other}` (at {}:{}:{}) and `{}`",
                                first.file, first.line, first.column, role.id
                            ),
                        );
                    }
                    None => {
                        self.names.insert(
                            lower,
                            (
                                role.id.clone(),
                                Origin {
                                    file: loc.file.to_string(),
                                    line: loc.line,
                                    column: loc.column,
                                },
                            ),
                        );
                    }
                }
            }
            self.roles.push(PendingRole {
                role,
                level_keys,
                levels_path,
                level_data,
                keep: true,
            });
        }
    }

    /// The one shared copy of a rubric key.
    fn intern(&mut self, key: &str) -> Arc<str> {
        intern(&mut self.rubric_keys, key)
    }

    /// Resolves role level codes against every loaded level, then builds
    /// the canon, or returns every error found.
    fn finish(mut self, sources: Vec<String>) -> Result<Canon, CanonErrors> {
        let code_index: HashMap<String, usize> = self
            .levels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.code.to_lowercase(), i))
            .collect();
        let pending = std::mem::take(&mut self.roles);
        let mut roles = Vec::with_capacity(pending.len());
        for PendingRole {
            mut role,
            level_keys,
            levels_path,
            level_data,
            keep,
        } in pending
        {
            role.levels.reserve_exact(level_keys.len());
            for ((code, mut loc), mut rl) in level_keys.into_iter().zip(level_data) {
                loc.path = join_key(&levels_path, &code);
                match code_index.get(&code.to_lowercase()) {
                    Some(&level) => {
                        rl.level = level;
                        role.levels.push(rl);
                    }
                    None => {
                        let mut msg = format!("level `{code}` is not defined by any canon file");
                        let codes: Vec<&str> =
                            self.levels.iter().map(|l| l.code.as_str()).collect();
                        if let Some(s) = did_you_mean(&code, &codes) {
                            msg.push_str(&format!("; did you mean `{s}`?"));
                        }
                        self.err(loc, msg);
                    }
                }
            }
            if keep {
                roles.push(role);
            }
        }
        if self.errors.is_empty() {
            // What only error messages needed goes before the indexes are
            // built (a large canon's peak memory is here).
            self.names = HashMap::new();
            self.role_origin = HashMap::new();
            self.level_origin = HashMap::new();
            self.file_order = Vec::new();
            Ok(Canon::new(self.levels, roles, sources))
        } else {
            let order = &self.file_order;
            let rank = |f: &str| order.iter().position(|o| o == f).unwrap_or(usize::MAX);
            self.errors.sort_by_key(|e| (rank(&e.file), e.range.0));
            Err(CanonErrors(self.errors))
        }
    }
}

/// A string value that [`FileParse::string`] accepts without an error
/// (non-empty, one line), without building its JSON path.
fn plain_string<'v>(v: &'v Value) -> Option<&'v str> {
    match v {
        Value::StringLit(s)
            if memchr::memchr2(b'\n', b'\r', s.value.as_bytes()).is_none()
                && !s.value.trim().is_empty() =>
        {
            Some(&s.value)
        }
        _ => None,
    }
}

/// The bytes of the string values among `values`, to size a buffer once.
fn text_bytes<'v, 'a: 'v>(values: impl IntoIterator<Item = &'v Value<'a>>) -> usize {
    values
        .into_iter()
        .map(|v| match v {
            Value::StringLit(s) => s.value.len(),
            _ => 0,
        })
        .sum()
}

fn value_range(v: &Value) -> (usize, usize) {
    let r = match v {
        Value::StringLit(s) => s.range,
        Value::NumberLit(n) => n.range,
        Value::BooleanLit(b) => b.range,
        Value::Object(o) => o.range,
        Value::Array(a) => a.range,
        Value::NullKeyword(n) => n.range,
    };
    (r.start, r.end)
}

/// `roles[0].levels.P2`; keys that are not plain words are quoted.
fn join_key(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (true, false) => format!("[{key:?}]"),
        (false, true) => format!("{path}.{key}"),
        (false, false) => format!("{path}[{key:?}]"),
    }
}

fn is_slug(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns counted on from the last location equal columns counted
    /// from the line's start, in any order of offsets.
    #[test]
    fn locations_counted_on_equal_locations_counted_afresh() {
        let text = "{\"a\": \"é😀\", \"b\": [1, 2]}\n  {\"中文\": 3} x\n\n\"last\"";
        let starts = line_starts(text);
        let ctx = FileCtx {
            path: "t.json".into(),
            text,
            line_starts: std::cell::OnceCell::new(),
            last: std::cell::Cell::new((0, 0, 1)),
        };
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let mut order = offsets.clone();
        order.extend(offsets.iter().rev());
        order.extend(offsets.iter().step_by(3));
        for &o in &order {
            let loc = ctx.loc((o, o), "");
            assert_eq!(
                (loc.line, loc.column),
                line_col(text, &starts, o),
                "offset {o}"
            );
        }
    }

    fn load(files: &[(&str, &str)]) -> Result<Canon, CanonErrors> {
        let files = files
            .iter()
            .map(|(p, t)| SourceFile {
                path: p.to_string(),
                bytes: t.as_bytes().to_vec(),
            })
            .collect();
        load_sources(files, vec!["test".into()])
    }

    const LEVELS: &str = r#"{"levels": [{"code": "P2", "name": "Developing"}]}"#;

    #[test]
    fn embedded_canon_loads() {
        let canon = load_embedded().expect("default canon is valid");
        let ral = canon.role_at("AE", "p2").expect("seed role and level");
        assert_eq!(ral.role.id, "account-executive-field-sales");
        assert_eq!(ral.level.code, "P2");
        assert_eq!(ral.at.responsibilities().len(), 5);
        assert!(canon.role("Account Executive / Field Sales").is_some());
    }

    #[test]
    fn misspelled_key_duplicate_id_and_undefined_level_are_all_reported() {
        let role = r#"{
  "roles": [
    { "id": "a", "title": "A", "family": "F",
      "levels": { "P2": { "responsibilites": ["x"] } } }
  ]
}"#;
        let dup = r#"{"roles": [{"id": "a", "title": "A2", "family": "F", "levels": {"P9": {}}}]}"#;
        let errs = load(&[("levels.json", LEVELS), ("a.json", role), ("b.json", dup)])
            .unwrap_err()
            .0;
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 3, "{text:#?}");
        assert_eq!(text[0], "a.json:4:27: roles[0].levels.P2.responsibilites: unknown key `responsibilites`; did you mean `responsibilities`?");
        assert_eq!(
            text[1],
            "b.json:1:19: roles[0].id: duplicate role id `a`; first defined at a.json:3:13"
        );
        assert!(
            text[2].starts_with(
                "b.json:1:65: roles[0].levels.P9: level `P9` is not defined by any canon file"
            ),
            "{}",
            text[2]
        );
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let t = "{\"levels\": [{\"code\": \"P2\", \"name\": \"Développeur ⟨x⟩\", \"bogus\": 1}]}";
        let errs = load(&[("l.json", t)]).unwrap_err().0;
        assert_eq!(errs[0].to_string(), "l.json:1:55: levels[0].bogus: unknown key `bogus`; expected one of `code`, `name` or `dimensions`");
    }

    #[test]
    fn syntax_errors_types_empties_and_invalid_utf8() {
        let errs = load(&[
            ("a.json", "{\"levels\": [\n  {\"code\": \"P1\",}\n]}"),
            ("b.json", r#"{"roles": 3}"#),
            ("c.json", r#"{"levels": [{"code": "", "name": "N"}]}"#),
        ])
        .unwrap_err()
        .0;
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(
            text[0].starts_with("a.json:2:16: invalid JSON"),
            "{text:#?}"
        );
        assert_eq!(
            text[1],
            "b.json:1:11: roles: expected an array, found a number"
        );
        assert_eq!(text[2], "c.json:1:22: levels[0].code: empty string");

        let bad = SourceFile {
            path: "d.json".into(),
            bytes: b"{\n \"levels\": \xff}".to_vec(),
        };
        let errs = load_sources(vec![bad], vec![]).unwrap_err().0;
        assert_eq!(errs[0].to_string(), "d.json:2:12: not valid UTF-8");
    }

    #[test]
    fn alias_naming_two_roles_and_missing_keys() {
        let roles = r#"{"roles": [
 {"id": "a", "title": "A", "family": "F", "aliases": ["x"], "levels": {}},
 {"id": "b", "title": "B", "family": "F", "aliases": ["X"], "levels": {}},
 {"id": "c", "family": "F", "levels": {}}
]}"#;
        let errs = load(&[("r.json", roles)]).unwrap_err().0;
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:#?}");
        assert_eq!(
            text[0],
            "r.json:3:55: roles[1].aliases[0]: `X` names two roles: `a` (at r.json:2:55) and `b`"
        );
        assert_eq!(
            text[1],
            "r.json:4:2: roles[2]: missing required key `title`"
        );
    }

    #[test]
    fn level_codes_match_case_insensitively_and_print_as_written() {
        let role = r#"{"roles": [{"id": "a", "title": "A", "family": "F", "levels": {"p2": {}}}]}"#;
        let canon = load(&[("l.json", LEVELS), ("r.json", role)]).expect("loads");
        let ral = canon.role_at("a", "P2").expect("found");
        assert_eq!(ral.level.code, "P2");
        let err = canon.role_at("a", "P3").unwrap_err();
        assert_eq!(
            err.to_string(),
            "role `a` has no level `P3`; its levels are `P2`"
        );
        let err = canon.role_at("b", "P2").unwrap_err();
        assert_eq!(err.to_string(), "unknown role `b`");
    }

    /// A canon directory written to a fresh scratch folder.
    fn write_dir(name: &str, files: &[(String, Vec<u8>)]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("goalframe-load-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (rel, bytes) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("in a folder")).expect("mkdir");
            std::fs::write(path, bytes).expect("write");
        }
        dir
    }

    /// `load_dirs` finds in a directory what `load_sources` finds in the
    /// same files, problems across files ("first defined at") included.
    #[test]
    fn a_directory_loads_as_its_files_do() {
        let role = |id: &str, alias: &str, level: &str| {
            format!(
                r#"{{"roles": [{{"id": "{id}", "title": "T {id}", "family": "F", "aliases": ["{alias}"],
  "levels": {{"{level}": {{"responsibilities": ["Does {id}."], "rubrics": {{"k": "R {id}"}}}}}}}}]}}"#
            )
        };
        let mut files: Vec<(String, Vec<u8>)> = vec![
            ("levels.json".into(), LEVELS.into()),
            (
                "more-levels.json".into(),
                br#"{"levels": [{"code": "p2", "name": "Again"}, {"code": "M1", "name": "Lead"}]}"#
                    .to_vec(),
            ),
        ];
        for i in 0..120 {
            let (id, alias, level) = match i % 10 {
                // The same id as an earlier file, an alias naming another
                // role, a level no file defines.
                3 => (format!("r{}", i - 1), format!("x{i}"), "P2"),
                5 => (format!("r{i}"), format!("r{}", i - 1), "M1"),
                7 => (format!("r{i}"), format!("x{i}"), "Q7"),
                _ => (format!("r{i}"), format!("x{i}"), "P2"),
            };
            let mut bytes = role(&id, &alias, level).into_bytes();
            match i % 40 {
                11 => bytes.truncate(bytes.len() / 2),
                21 => bytes.extend_from_slice(b"\xff"),
                _ => {}
            }
            files.push((format!("roles/f{}/r{i:03}.json", i % 4), bytes));
        }
        let dir = write_dir("errors", &files);
        let parallel = load_dirs(std::slice::from_ref(&dir)).unwrap_err().0;
        // The same files, in the loader's order, one after another.
        let mut serial_files: Vec<SourceFile> = files
            .iter()
            .map(|(rel, bytes)| SourceFile {
                path: dir.join(rel).display().to_string(),
                bytes: bytes.clone(),
            })
            .collect();
        serial_files.sort_by(|a, b| a.path.cmp(&b.path));
        let serial = load_sources(serial_files, vec![]).unwrap_err().0;
        assert!(parallel.len() > 30, "{parallel:#?}");
        for needle in [
            "first defined at",
            "names two roles",
            "not defined by any canon file",
            "invalid JSON",
            "not valid UTF-8",
            "duplicate level code",
        ] {
            assert!(
                parallel.iter().any(|e| e.message.contains(needle)),
                "no `{needle}` in {parallel:#?}"
            );
        }
        assert_eq!(parallel, serial);

        // And a valid canon comes out the same.
        let valid: Vec<(String, Vec<u8>)> =
            std::iter::once(("levels.json".to_string(), LEVELS.as_bytes().to_vec()))
                .chain((0..50).map(|i| {
                    (
                        format!("roles/r{i:02}.json"),
                        role(&format!("r{i}"), &format!("x{i}"), "P2").into_bytes(),
                    )
                }))
                .collect();
        let dir = write_dir("valid", &valid);
        let parallel = load_dirs(std::slice::from_ref(&dir)).expect("valid");
        let serial = load_sources(
            valid
                .iter()
                .map(|(rel, bytes)| SourceFile {
                    path: rel.clone(),
                    bytes: bytes.clone(),
                })
                .collect(),
            vec![],
        )
        .expect("valid");
        assert_eq!(parallel.levels(), serial.levels());
        assert_eq!(parallel.roles(), serial.roles());
        assert_eq!(parallel.roles().len(), 50);
    }

    /// A role level's texts come out the same whichever a file lists
    /// first, responsibilities or rubrics.
    #[test]
    fn rubrics_listed_first_are_kept_after_responsibilities() {
        let first = r#"{"roles": [{"id": "a", "title": "A", "family": "F", "levels": {"P2": {
            "rubrics": {"k1": "Rubric one.", "k2": "Rubric two 中文."},
            "responsibilities": ["One.", "Two 😀.", "Three."]}}}]}"#;
        let last = r#"{"roles": [{"id": "a", "title": "A", "family": "F", "levels": {"P2": {
            "responsibilities": ["One.", "Two 😀.", "Three."],
            "rubrics": {"k1": "Rubric one.", "k2": "Rubric two 中文."}}}}]}"#;
        let a = load(&[("l.json", LEVELS), ("r.json", first)]).expect("loads");
        let b = load(&[("l.json", LEVELS), ("r.json", last)]).expect("loads");
        let ral = a.role_at("a", "P2").expect("found");
        assert_eq!(
            ral.at.responsibilities().collect::<Vec<_>>(),
            ["One.", "Two 😀.", "Three."]
        );
        assert_eq!(
            ral.at.rubrics().collect::<Vec<_>>(),
            [("k1", "Rubric one."), ("k2", "Rubric two 中文.")]
        );
        assert_eq!(ral.at.rubric("k2"), Some("Rubric two 中文."));
        assert_eq!(ral.at.rubric("k3"), None);
        assert_eq!(a.roles(), b.roles());
    }
}
