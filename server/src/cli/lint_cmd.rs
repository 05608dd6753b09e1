//! `goalframe lint [PATH...]` (docs/lint.md): find goal documents, analyse them
//! in parallel with the same [`Analyzer`] the language server uses, and
//! report in a deterministic order (path, then position).

use std::cell::RefCell;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use goalframe::analysis::{Analyzer, DocKind, Lines, Memo, Severity};
use goalframe::canon::Canon;
use goalframe::config::Settings;
use goalframe::parallel::{par_ordered, Panicked};

use super::report::{self, Checked, Counts, FileReport, OutputFormat, Skipped};
use super::{settings_and_canon, usage, CanonArgs, EXIT_USAGE};

#[derive(Args, Debug)]
pub struct LintArgs {
    /// Files, directories (recursive, honouring .gitignore and .ignore) or
    /// globs; `-` reads standard input. Default: the current directory.
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// When to colour the human format.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// The file name to report (and to pick markdown or text by) for
    /// standard input.
    #[arg(long, value_name = "NAME", default_value = "<stdin>.md")]
    pub stdin_filename: String,
    /// Exit 0 even when some documents could not be checked (binary, not
    /// UTF-8, not a regular file, a glob matching nothing). Without it such
    /// a run exits 2: CI must not pass documents it never read.
    #[arg(long)]
    pub allow_skipped: bool,
    #[command(flatten)]
    pub canon: CanonArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// When standard output is a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

impl Color {
    fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

/// What a lint run keeps of the files it went through.
struct Tally {
    counts: Vec<Counts>,
    skipped: Vec<Skipped>,
    failed: Vec<Skipped>,
}

/// Extensions linted when walking directories.
const EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Where a document comes from.
pub(crate) enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    pub(crate) fn file(&self) -> Option<&Path> {
        match self {
            Source::File(p) => Some(p),
            Source::Stdin => None,
        }
    }
}

/// What became of one document on the worker pool.
pub(crate) enum Done<R> {
    Checked(R),
    /// It could not be read (binary, not UTF-8, not a regular file, …).
    Skipped(Skipped),
    /// Its check panicked (a bug): named as such, and the run fails
    /// whatever `--allow-skipped` says.
    Failed(Skipped),
}

/// Checks every source on the worker pool and hands what became of each
/// to `take`, in path order, until it says stop: `lint`, `export` and
/// `report` name a document they could not check alike.
pub(crate) fn each_in_order<R: Send>(
    sources: &[Source],
    stdin_name: &str,
    check: impl Fn(&Source) -> Result<R, Skipped> + Sync,
    mut take: impl FnMut(Done<R>) -> ControlFlow<()>,
) {
    let mut handed_out = 0;
    par_ordered(sources, check, |result| {
        let source = &sources[handed_out];
        handed_out += 1;
        take(match result {
            Ok(Ok(r)) => Done::Checked(r),
            Ok(Err(s)) => Done::Skipped(s),
            Err(Panicked(said)) => Done::Failed(Skipped {
                path: match source {
                    Source::Stdin => stdin_name.to_owned(),
                    Source::File(p) => p.display().to_string(),
                },
                reason: format!(
                    "goalframe failed on this document ({said}); this is a bug, please report it"
                ),
            }),
        })
    });
}

/// What a run over documents starts from: the settings and the canon,
/// and the documents named by `paths` (and those that cannot be checked).
pub(crate) type Start = (Settings, Canon, Vec<Source>, Vec<Skipped>);

/// Loads the canon while the paths are walked, on another thread: a
/// large canon takes tens of milliseconds, a folder's walk several, and
/// neither needs the other. A broken canon is reported first, as if the
/// walk had not begun.
pub(crate) fn start(canon: &CanonArgs, paths: &[String]) -> Result<Start, ExitCode> {
    let (loaded, walked) = std::thread::scope(|s| {
        let walk = s.spawn(|| collect(paths));
        let loaded = settings_and_canon(canon);
        // The walk only fails by returning an error: a panic there is a
        // bug, raised again here.
        let walked = walk.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (loaded, walked)
    });
    let (settings, canon) = loaded?;
    let (sources, skipped) = walked.map_err(usage)?;
    Ok((settings, canon, sources, skipped))
}

/// [`start`] for `export` and `report`: their `--output` may not be one
/// of the documents they read.
pub(crate) fn start_writing(
    canon: &CanonArgs,
    paths: &[String],
    output: Option<&Path>,
) -> Result<Start, ExitCode> {
    let started = start(canon, paths)?;
    if let Some(out) = output {
        super::atomic::check_not_read(out, started.2.iter().filter_map(Source::file))
            .map_err(usage)?;
    }
    Ok(started)
}

pub fn run(args: &LintArgs) -> ExitCode {
    let (settings, canon, sources, skipped) = match start(&args.canon, &args.paths) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let analyzer = Analyzer::new(&canon, &settings);
    let color = args.format == OutputFormat::Human && args.color.enabled();
    // Buffered: a large report is millions of lines, and a locked stdout
    // alone is line-buffered (one write per line).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // What the run keeps of the files: their counts, and those it could
    // not check (documents whose analysis panicked are never counted as
    // checked).
    let tally = RefCell::new(Tally {
        counts: Vec::new(),
        skipped,
        failed: Vec::new(),
    });
    // Documents are read, analysed and rendered on worker threads; each
    // report is handed to `sink` here, in path order, as soon as it is
    // ready, until `sink` says stop.
    let run_pool = |sink: &mut dyn FnMut(FileReport) -> ControlFlow<()>| {
        each_in_order(
            &sources,
            &args.stdin_filename,
            |source| {
                check_one(source, &analyzer, &args.stdin_filename, |checked| {
                    report::part(checked, args.format, color)
                })
            },
            |done| {
                let mut t = tally.borrow_mut();
                match done {
                    Done::Failed(s) => t.failed.push(s),
                    Done::Skipped(s) => t.skipped.push(s),
                    Done::Checked(r) => {
                        t.counts.push(r.counts);
                        drop(t);
                        return sink(r);
                    }
                }
                ControlFlow::Continue(())
            },
        );
    };
    // A failed write stops the run (`goalframe lint | head`: nobody reads
    // the rest).
    let written: std::io::Result<()> = match args.format {
        OutputFormat::Human | OutputFormat::Github => {
            let mut written = Ok(());
            run_pool(&mut |r| {
                written = report::write_lines(&mut out, r.part);
                match written {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(_) => ControlFlow::Break(()),
                }
            });
            written.and_then(|()| match args.format {
                OutputFormat::Human => {
                    writeln!(out, "{}", report::summary(&tally.borrow().counts))
                }
                _ => Ok(()),
            })
        }
        // json and sarif are one document each, streamed as the files'
        // findings arrive.
        OutputFormat::Json => report::write_json(&mut out, &mut |emit| run_pool(emit), &|| {
            let mut t = tally.borrow_mut();
            t.skipped.sort_by(|a, b| a.path.cmp(&b.path));
            report::json_summary(&t.counts, &t.skipped)
        })
        .map_err(std::io::Error::from),
        OutputFormat::Sarif => {
            report::write_sarif(&mut out, &mut |emit| run_pool(emit)).map_err(std::io::Error::from)
        }
    };
    let Tally {
        counts,
        mut skipped,
        failed,
    } = tally.into_inner();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let level = if args.allow_skipped {
        "warning"
    } else {
        "error"
    };
    for s in &skipped {
        say!("{level}: {}: skipped: {}", s.path, s.reason);
    }
    let written = written.and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return usage(format!("writing to standard output: {e}"));
        }
    }
    for f in &failed {
        say!("error: {}: {}", f.path, f.reason);
    }
    if !failed.is_empty() {
        return ExitCode::from(EXIT_USAGE);
    }
    if !skipped.is_empty() && !args.allow_skipped {
        say!(
            "error: {} path{} not checked; pass --allow-skipped to accept that",
            skipped.len(),
            if skipped.len() == 1 { " was" } else { "s were" }
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| {
        counts
            .iter()
            .any(|c| c[t as usize..].iter().any(|&n| n > 0))
    });
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Expands the arguments into documents, sorted by path and deduplicated;
/// also returns arguments that named nothing.
pub(crate) fn collect(args: &[String]) -> Result<(Vec<Source>, Vec<Skipped>), String> {
    let args: Vec<String> = if args.is_empty() {
        vec![".".to_string()]
    } else {
        args.to_vec()
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stdin = false;
    let mut skipped = Vec::new();
    for arg in &args {
        if arg == "-" {
            stdin = true;
            continue;
        }
        if arg.is_empty() {
            return Err("an empty path was given".to_string());
        }
        let path = Path::new(arg);
        if path.is_file() {
            files.push(path.to_path_buf());
        } else if path.is_dir() {
            walk(path, None, &mut files, &mut skipped);
        } else if arg.contains(['*', '?', '[', '{']) {
            let glob = globset::GlobBuilder::new(arg)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("bad glob `{}`: {e}", goalframe::quote::quote(arg)))?;
            let matcher = glob.compile_matcher();
            let base = glob_base(arg);
            let before = files.len();
            walk(&base, Some(&matcher), &mut files, &mut skipped);
            if files.len() == before {
                let reason = match left_out_matches(&base, &matcher) {
                    0 => "no file matches this glob".to_string(),
                    n => {
                        let (is, them) = if n == 1 {
                            ("is", "it")
                        } else {
                            ("are", "them")
                        };
                        format!("no file matches this glob except {n} that {is} hidden or ignored (.gitignore, .ignore); name {them} to check {them}")
                    }
                };
                skipped.push(Skipped {
                    path: arg.clone(),
                    reason,
                });
            }
        } else {
            // Not a file or a directory: say what it is instead.
            match std::fs::metadata(path) {
                Ok(meta) => skipped.push(Skipped {
                    path: arg.clone(),
                    reason: format!(
                        "not a regular file: it is {}",
                        goalframe::read::kind_of(&meta)
                    ),
                }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(format!("{arg}: no such file or directory"))
                }
                Err(e) => return Err(format!("{arg}: {e}")),
            }
        }
    }
    files.sort();
    files.dedup();
    // One file named twice in two spellings (`a.md`, `./a.md`, its full
    // path) is read once: an export must not list its goals twice. One
    // path or folder cannot name a file twice, so a single argument needs
    // no look at the files.
    if args.len() > 1 {
        let mut seen = std::collections::HashSet::new();
        files.retain(|f| goalframe::read::file_id(f).is_none_or(|id| seen.insert(id)));
    }
    let mut sources: Vec<Source> = files.into_iter().map(Source::File).collect();
    if stdin {
        sources.push(Source::Stdin);
    }
    Ok((sources, skipped))
}

/// The folder a glob's fixed leading components name (`docs/**/*.md` →
/// `docs`), where the walk starts.
fn glob_base(glob: &str) -> PathBuf {
    // An absolute glob's base is absolute too.
    let mut base = if glob.starts_with('/') {
        PathBuf::from("/")
    } else {
        PathBuf::new()
    };
    for part in glob.split('/') {
        if part.contains(['*', '?', '[', '{']) {
            break;
        }
        base.push(part);
    }
    if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    }
}

/// The goal documents (`.md`, `.markdown`, `.txt`) under `dir`, walked as
/// `lint` walks a folder; for the language server's workspace pass, which
/// passes over what it cannot walk.
#[cfg(feature = "lsp")]
pub(crate) fn walk_documents(dir: &Path, out: &mut Vec<PathBuf>) {
    walk(dir, None, out, &mut Vec::new());
}

/// Walks a directory the way ripgrep does (hidden files and ignored paths
/// skipped), keeping goal documents, or the files a glob matches.
fn walk(
    dir: &Path,
    glob: Option<&globset::GlobMatcher>,
    out: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) {
    // The walk reads each folder's ignore files whole, and its parents':
    // one that is a named pipe would hang it, a link to `/dev/zero` fill
    // the memory. A folder with such a file is passed over and named.
    let governing = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut above = governing.ancestors().enumerate();
    if let Some((i, mut bad)) = above.find_map(|(i, d)| Some((i, unreadable_ignore_file(d)?))) {
        if i == 0 {
            bad.path = shown(dir);
        }
        skipped.push(bad);
        return;
    }
    let passed_over = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let noted = passed_over.clone();
    // Looked at, and said, once a run.
    static GLOBAL: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let global = GLOBAL.get_or_init(|| {
        let why = unreadable_git_config();
        if let Some(why) = &why {
            super::say!("warning: git's global ignore file is not read: {why}");
        }
        why
    });
    let walk = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .git_global(global.is_none())
        .filter_entry(move |e| {
            let bad = e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && unreadable_ignore_file(e.path())
                    .is_some_and(|bad| noted.lock().map(|mut v| v.push(bad)).is_ok());
            !bad
        })
        .build();
    for entry in walk {
        // What cannot be read (a folder without permission, a path too
        // long) is named and passed over, as ripgrep does: the rest of
        // the folder is still checked.
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                skipped.push(unwalkable(dir, &e));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let path = path.strip_prefix("./").unwrap_or(path);
        let keep = match glob {
            Some(m) => m.is_match(path),
            None => path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())),
        };
        if keep {
            out.push(path.to_path_buf());
        }
    }
    if let Ok(mut v) = passed_over.lock() {
        skipped.append(&mut v);
    };
}

/// Why git's config files, which the walk reads whole to find the global
/// ignore file's name, cannot be read safely: one that is a pipe, a device
/// (but `/dev/null`, which `GIT_CONFIG_GLOBAL` often names) or a socket.
fn unreadable_git_config() -> Option<String> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    #[allow(deprecated)] // as the walk finds it
    let home = std::env::home_dir();
    let xdg = var("XDG_CONFIG_HOME").or_else(|| home.as_ref().map(|h| h.join(".config")));
    let read = [
        var("GIT_CONFIG_GLOBAL"),
        home.map(|h| h.join(".gitconfig")),
        xdg.map(|x| x.join("git/config")),
        Some(var("GIT_CONFIG_SYSTEM").unwrap_or_else(|| PathBuf::from("/etc/gitconfig"))),
    ];
    read.into_iter().flatten().find_map(|path| {
        let meta = std::fs::metadata(&path).ok()?;
        let null = || std::fs::canonicalize(&path).is_ok_and(|p| p == Path::new("/dev/null"));
        (!meta.is_file() && !meta.is_dir() && !null()).then(|| {
            format!(
                "{} is {}, not a regular file",
                path.display(),
                goalframe::read::kind_of(&meta)
            )
        })
    })
}

/// The ignore files the walk reads in a folder.
const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", ".git/info/exclude"];

/// `dir`, as a skipped path, if one of its ignore files is there but is
/// a pipe, a device or a socket (followed through links).
fn unreadable_ignore_file(dir: &Path) -> Option<Skipped> {
    IGNORE_FILES.iter().find_map(|name| {
        let meta = std::fs::metadata(dir.join(name)).ok()?;
        // A folder of that name is an error the walk reports itself.
        (!meta.is_file() && !meta.is_dir()).then(|| Skipped {
            path: shown(dir),
            reason: format!(
                "its ignore file {name} is {}, not a regular file; the folder is not checked",
                goalframe::read::kind_of(&meta)
            ),
        })
    })
}

/// How many files below `dir` match `glob` among those the walk leaves
/// out (hidden, or in an ignore file): said when a glob matched nothing
/// else, since a shell's glob would have named them.
fn left_out_matches(dir: &Path, glob: &globset::GlobMatcher) -> usize {
    ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter(|e| glob.is_match(e.path().strip_prefix("./").unwrap_or(e.path())))
        .count()
}

/// A part of a folder the walk could not read, as a skipped path: the
/// path the error names (or the folder walked) and the error itself.
fn unwalkable(dir: &Path, e: &ignore::Error) -> Skipped {
    let mut path = dir;
    let mut inner = e;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = p;
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err
            }
            _ => break,
        }
    }
    // The innermost cause: the walk's own words for an I/O error repeat
    // the path.
    let mut cause: &dyn std::error::Error = match inner {
        ignore::Error::Io(err) => err,
        other => other,
    };
    while let Some(deeper) = cause.source() {
        cause = deeper;
    }
    Skipped {
        path: shown(path),
        reason: cause.to_string(),
    }
}

/// A path as a skipped one is named: without a leading `./` (but `.`
/// itself stays `.`).
fn shown(path: &Path) -> String {
    match path.strip_prefix("./") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.display().to_string(),
        _ => path.display().to_string(),
    }
}

thread_local! {
    /// Each worker reads every document into the same buffer: no fresh
    /// pages to fault in for each file.
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// And keeps its role and level lookups from one document to the next.
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
}

/// Reads, analyses and reports one document (`render` makes what the
/// command keeps of it: lint's report, export's records).
pub(crate) fn check_one<R>(
    source: &Source,
    analyzer: &Analyzer,
    stdin_name: &str,
    render: impl FnOnce(Checked) -> R,
) -> Result<R, Skipped> {
    read_one(source, analyzer, stdin_name, true, render)
}

/// [`check_one`], with the analysis left to `render` unless `analyze`
/// (the findings are then empty).
pub(crate) fn read_one<R>(
    source: &Source,
    analyzer: &Analyzer,
    stdin_name: &str,
    analyze: bool,
    render: impl FnOnce(Checked) -> R,
) -> Result<R, Skipped> {
    READ_BUFFER.with_borrow_mut(|buf| {
        buf.clear();
        let checked = read_into(source, stdin_name, buf).and_then(|path| {
            let encoding = goalframe::read::decode_bom(buf).map_err(|reason| Skipped {
                path: path.clone(),
                reason,
            })?;
            let text = text_of(path.clone(), buf)?;
            let kind = DocKind::from_path(Path::new(&path));
            let lines = Lines::new(text);
            let findings = if analyze {
                MEMO.with_borrow_mut(|memo| analyzer.analyze_reusing(text, kind, &lines, memo))
            } else {
                Vec::new()
            };
            Ok(render(Checked {
                path,
                file: source.file(),
                text,
                lines,
                findings,
                encoding,
            }))
        });
        // One huge document must not keep its memory for the rest of the run.
        if buf.capacity() > 64 << 20 {
            *buf = Vec::new();
        }
        checked
    })
}

/// Reads a document into `buf`; returns the path to report it by.
fn read_into(source: &Source, stdin_name: &str, buf: &mut Vec<u8>) -> Result<String, Skipped> {
    match source {
        Source::Stdin => {
            let limit = goalframe::read::DOCUMENT_LIMIT;
            goalframe::read::read_at_most(std::io::stdin().lock(), limit, buf).map_err(|e| {
                Skipped {
                    path: stdin_name.to_string(),
                    reason: e.to_string(),
                }
            })?;
            Ok(stdin_name.to_string())
        }
        Source::File(p) => {
            let shown = p.display().to_string();
            goalframe::read::read_regular_into(p, goalframe::read::DOCUMENT_LIMIT, buf).map_err(
                |e| Skipped {
                    path: shown.clone(),
                    reason: e.to_string(),
                },
            )?;
            Ok(shown)
        }
    }
}

/// The document's text, unless it is binary or not UTF-8.
fn text_of(path: String, bytes: &[u8]) -> Result<&str, Skipped> {
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err(Skipped {
            path,
            reason: "binary file (it has NUL bytes)".into(),
        });
    }
    // The SIMD check first: a review folder is hundreds of megabytes of
    // valid text, and std's check is several times slower on non-ASCII.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| Skipped {
        path,
        reason: goalframe::read::utf8_fault(bytes, e.valid_up_to()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document whose check panics (a bug) is named with its path and
    /// said to be a bug, in its place among the others, which are still
    /// checked; one that could not be read stays a skipped path.
    #[test]
    fn a_check_that_panics_is_named_in_its_place() {
        let sources: Vec<Source> = ["a.md", "b.md", "c.md", "d.md"]
            .iter()
            .map(|p| Source::File(PathBuf::from(p)))
            .chain([Source::Stdin])
            .collect();
        let mut seen = Vec::new();
        each_in_order(
            &sources,
            "<stdin>.md",
            |source| match source {
                Source::File(p) if p.ends_with("b.md") => panic!("a test panic"),
                Source::File(p) if p.ends_with("c.md") => Err(Skipped {
                    path: "c.md".into(),
                    reason: "binary file".into(),
                }),
                Source::Stdin => panic!("another"),
                Source::File(p) => Ok(p.display().to_string()),
            },
            |done| {
                seen.push(match done {
                    Done::Checked(p) => format!("checked {p}"),
                    Done::Skipped(s) => format!("skipped {}: {}", s.path, s.reason),
                    Done::Failed(s) => format!("failed {}: {}", s.path, s.reason),
                });
                ControlFlow::Continue(())
            },
        );
        let bug = "; this is a bug, please report it";
        assert_eq!(
            seen,
            [
                "checked a.md".to_string(),
                format!("failed b.md: goalframe failed on this document (a test panic){bug}"),
                "skipped c.md: binary file".to_string(),
                "checked d.md".to_string(),
                format!("failed <stdin>.md: goalframe failed on this document (another){bug}"),
            ]
        );
    }
}
