//! `goalframe lint [PATH...]` (SPEC §5): find goal documents, analyse them
//! in parallel with the same [`Analyzer`] the language server uses, and
//! report in a deterministic order (path, then position).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::{Args, ValueEnum};

use goalframe::analysis::{Analyzer, DocKind, Finding, Lines, Severity};

use super::report;
use super::{settings_and_canon, CanonArgs, EXIT_USAGE};

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
    #[command(flatten)]
    pub canon: CanonArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// file:line:col, code, message, the source line underlined, a summary.
    Human,
    /// One JSON object with every finding (documented in docs/lint.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=…`).
    Github,
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

/// Extensions linted when walking directories.
const EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// One document that was read.
pub struct Checked {
    /// As shown in reports: relative to the current directory when given so.
    pub path: String,
    pub text: String,
    pub lines: Lines,
    pub findings: Vec<Finding>,
}

/// A file that could not be checked, and why.
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// Where a document comes from.
enum Source {
    Stdin,
    File(PathBuf),
}

pub fn run(args: &LintArgs) -> ExitCode {
    let (settings, canon) = match settings_and_canon(&args.canon) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let (sources, mut skipped) = match collect(&args.paths) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let analyzer = Analyzer::new(&canon, &settings);
    let (checked, unreadable) = check_all(&sources, &analyzer, &args.stdin_filename);
    skipped.extend(unreadable);
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    for s in &skipped {
        eprintln!("warning: {}: skipped: {}", s.path, s.reason);
    }
    // Buffered: a large report is millions of lines, and a locked stdout
    // alone is line-buffered (one write per line).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = match args.format {
        OutputFormat::Human => report::human(&mut out, &checked, args.color.enabled()),
        OutputFormat::Json => report::json(&mut out, &checked, &skipped),
        OutputFormat::Sarif => report::sarif(&mut out, &checked),
        OutputFormat::Github => report::github(&mut out, &checked),
    };
    let written = written.and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing the report: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| {
        checked
            .iter()
            .flat_map(|c| &c.findings)
            .any(|f| f.severity >= t)
    });
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Expands the arguments into documents, sorted by path and deduplicated;
/// also returns arguments that named nothing.
fn collect(args: &[String]) -> Result<(Vec<Source>, Vec<Skipped>), String> {
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
        let path = Path::new(arg);
        if path.is_file() {
            files.push(path.to_path_buf());
        } else if path.is_dir() {
            walk(path, None, &mut files)?;
        } else if arg.contains(['*', '?', '[', '{']) {
            let glob = globset::GlobBuilder::new(arg)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("bad glob `{arg}`: {e}"))?;
            let matcher = glob.compile_matcher();
            let base = glob_base(arg);
            let before = files.len();
            walk(&base, Some(&matcher), &mut files)?;
            if files.len() == before {
                skipped.push(Skipped {
                    path: arg.clone(),
                    reason: "no file matches this glob".into(),
                });
            }
        } else {
            return Err(format!("{arg}: no such file or directory"));
        }
    }
    files.sort();
    files.dedup();
    let mut sources: Vec<Source> = files.into_iter().map(Source::File).collect();
    if stdin {
        sources.push(Source::Stdin);
    }
    Ok((sources, skipped))
}

/// The folder a glob's fixed leading components name (`docs/**/*.md` →
/// `docs`), where the walk starts.
fn glob_base(glob: &str) -> PathBuf {
    let mut base = PathBuf::new();
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

/// Walks a directory the way ripgrep does (hidden files and ignored paths
/// skipped), keeping goal documents, or the files a glob matches.
fn walk(
    dir: &Path,
    glob: Option<&globset::GlobMatcher>,
    out: &mut Vec<PathBuf>,
) -> Result<(), String> {
    for entry in ignore::WalkBuilder::new(dir).require_git(false).build() {
        let entry = entry.map_err(|e| e.to_string())?;
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
    Ok(())
}

/// Applies `f` to every item on as many threads as there are cores,
/// keeping the items' order in the results.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        for w in workers {
            // A worker only panics on a bug; its items stay unreported
            // rather than taking the other files' results down with it.
            for (i, r) in w.join().unwrap_or_default() {
                slots[i] = Some(r);
            }
        }
    });
    slots.into_iter().flatten().collect()
}

/// Reads and analyses every source in parallel; results keep the
/// sources' order.
fn check_all(
    sources: &[Source],
    analyzer: &Analyzer,
    stdin_name: &str,
) -> (Vec<Checked>, Vec<Skipped>) {
    let mut checked = Vec::new();
    let mut skipped = Vec::new();
    for r in par_map(sources, |source| check_one(source, analyzer, stdin_name)) {
        match r {
            Ok(c) => checked.push(c),
            Err(s) => skipped.push(s),
        }
    }
    (checked, skipped)
}

fn check_one(source: &Source, analyzer: &Analyzer, stdin_name: &str) -> Result<Checked, Skipped> {
    let (path, bytes) = match source {
        Source::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Skipped {
                    path: stdin_name.to_string(),
                    reason: e.to_string(),
                })?;
            (stdin_name.to_string(), buf)
        }
        Source::File(p) => {
            let shown = p.display().to_string();
            let bytes = std::fs::read(p).map_err(|e| Skipped {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
            (shown, bytes)
        }
    };
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err(Skipped {
            path,
            reason: "binary file (it has NUL bytes)".into(),
        });
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let lines = Lines::new(prefix);
            let (line, col) = lines.position(prefix, valid);
            return Err(Skipped {
                path,
                reason: format!("not valid UTF-8 at {}:{} (byte {valid})", line + 1, col + 1),
            });
        }
    };
    let kind = DocKind::from_path(Path::new(&path));
    let findings = analyzer.analyze(&text, kind);
    let lines = Lines::new(&text);
    Ok(Checked {
        path,
        text,
        lines,
        findings,
    })
}
