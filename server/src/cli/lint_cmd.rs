//! `goalframe lint [PATH...]` (docs/lint.md): find goal documents, analyse them
//! in parallel with the same [`Analyzer`] the language server uses, and
//! report in a deterministic order (path, then position).

use std::cell::RefCell;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use goalframe::analysis::{Analyzer, DocKind, Lines, Memo, Severity};
use goalframe::canon::Canon;
use goalframe::config::Settings;
use goalframe::parallel::{par_ordered, Panicked};

use super::inputs::{collect, Source};
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
    /// Apply the safe fixes to the files (restore edited canon text, copy
    /// a goal's Measurable date into its Time-bound row), as the editor's
    /// fix-all does, then report what is left.
    #[arg(long)]
    pub fix: bool,
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
    /// Findings with a safe fix, over every document.
    fixable: usize,
    skipped: Vec<Skipped>,
    failed: Vec<Skipped>,
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
    if args.fix && args.paths.iter().any(|p| p == "-") {
        return usage("--fix writes the files it fixes; standard input (`-`) is no file");
    }
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
        fixable: 0,
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
                    let part = |c: Checked<'_>| report::part(c, args.format, color);
                    match args.fix {
                        true => super::fix::fix(checked, &analyzer, part),
                        false => (part(checked), None),
                    }
                })
            },
            |done| {
                let mut t = tally.borrow_mut();
                match done {
                    Done::Failed(s) => t.failed.push(s),
                    Done::Skipped(s) => t.skipped.push(s),
                    Done::Checked((r, fixed)) => {
                        if let Some(f) = fixed {
                            say!("{}", f.said());
                        }
                        t.counts.push(r.counts);
                        t.fixable += r.fixable;
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
                    let t = tally.borrow();
                    // After `--fix`, what is left with a fix is what could
                    // not be written (a UTF-16 file), said on its own line.
                    let fixable = if args.fix { 0 } else { t.fixable };
                    writeln!(out, "{}", report::summary(&t.counts, fixable))
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
        ..
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
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Err(Skipped {
            path,
            reason: goalframe::read::nul_bytes_reason(head).into(),
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
            .map(|p| Source::File(std::path::PathBuf::from(p)))
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
