//! `goalframe export PATH...` (docs/export.md): the goals of documents,
//! read as `lint` reads them, written out for an HR system — after a
//! pre-flight check that refuses goals that are not finished.

use goalframe::quote::counted;
use std::cell::RefCell;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use goalframe::analysis::{Analyzer, DocKind};
use goalframe::export::sheets::{Betterworks, Csv, CultureAmp, Layout};
use goalframe::export::{self, DocExport, GoalRecord, Needs};

use super::lint_cmd::{each_in_order, read_one, start_writing, Done};
use super::report::{Checked, Skipped};
use super::{atomic, CanonArgs, EXIT_USAGE};

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Files, directories (recursive, honouring .gitignore and .ignore) or
    /// globs; `-` reads standard input. Default: the current directory.
    pub paths: Vec<String>,
    /// Output format. Default: from the --output file's extension (`.csv`
    /// is csv, `.json` json; another is refused), else json.
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Export goals that still have unfilled or unreadable values (those
    /// values are empty) instead of refusing.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// The file name to report (and to pick markdown or text by) for
    /// standard input.
    #[arg(long, value_name = "NAME", default_value = "<stdin>.md")]
    pub stdin_filename: String,
    /// Go on when some documents could not be read (as `lint` does).
    #[arg(long)]
    pub allow_skipped: bool,
    #[command(flatten)]
    pub canon: CanonArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// goalframe's versioned JSON (docs/export.md).
    Json,
    /// One row per measure (RFC 4180).
    Csv,
    /// Culture Amp's individual goals import sheet.
    CultureAmp,
    /// Betterworks' goal and milestone upload sheet.
    Betterworks,
}

impl ExportFormat {
    /// The format asked for, or the one `output`'s name says, or JSON
    /// for a name without an extension; a name that says another format
    /// is refused.
    pub fn chosen(
        asked: Option<ExportFormat>,
        output: Option<&Path>,
    ) -> Result<ExportFormat, String> {
        match asked {
            Some(f) => Ok(f),
            None => super::format_by_name(
                "export",
                output,
                &[("csv", ExportFormat::Csv), ("json", ExportFormat::Json)],
                ExportFormat::Json,
                "json, csv, culture-amp or betterworks",
                ".json or .csv",
            ),
        }
    }

    /// The name a person picks it by (the editors' format pickers).
    #[cfg(feature = "lsp")]
    pub(crate) fn label(self) -> &'static str {
        match self {
            ExportFormat::Json => "JSON",
            ExportFormat::Csv => "CSV",
            ExportFormat::CultureAmp => "Culture Amp",
            ExportFormat::Betterworks => "Betterworks",
        }
    }

    /// The file name extension of its output.
    #[cfg(feature = "lsp")]
    pub(crate) fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            _ => "csv",
        }
    }

    pub(crate) fn needs(self) -> Needs {
        let product = matches!(self, ExportFormat::CultureAmp | ExportFormat::Betterworks);
        Needs {
            owner: product,
            summaries: product,
        }
    }
}

/// The most measures one goal has in any frame (an OKR objective's two
/// key results): the Culture Amp sheet's key result columns.
const MOST_MEASURES: usize = 2;

/// What the run makes of one document, on the worker that read it.
struct Outcome {
    /// Its goals, already in the output format (made on the worker: the
    /// writer only copies bytes).
    rendered: Vec<u8>,
    goals: usize,
    /// Pre-flight problems, already in lint's human format.
    problems: Vec<u8>,
    refused: usize,
    /// It has problems outside its goals' lines (its metadata).
    blocked: bool,
    /// Whose goals they are, and for which cycle, when it has any.
    whose: Option<(String, Option<String>)>,
    path: String,
}

/// Reads the documents, handing each one's goals to the sink in order.
type Pool<'p> = dyn Fn(&mut dyn FnMut(&Outcome) -> std::io::Result<()>) -> std::io::Result<()> + 'p;

/// What the run keeps of the documents it went through.
#[derive(Default)]
struct Tally {
    skipped: Vec<Skipped>,
    failed: Vec<Skipped>,
    refused_goals: usize,
    refused_docs: usize,
    /// Documents read, and the goals found in them.
    documents: usize,
    goals: usize,
    /// Each document's owner and cycle, when it has goals and an owner.
    owners: Vec<(String, String, Option<String>)>,
}

/// Why nothing was written.
enum Stop {
    /// Pre-flight refused goals, or documents could not be read.
    Refused,
    Io(String),
    /// Standard output's reader went away: not an error (as for every
    /// command that writes to standard output).
    Closed,
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Stop {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Stop::Closed
        } else {
            Stop::Io(e.to_string())
        }
    }
}

pub fn run(args: &ExportArgs) -> ExitCode {
    let format = match ExportFormat::chosen(args.format, args.output.as_deref()) {
        Ok(f) => f,
        Err(e) => return super::usage(e),
    };
    let (settings, canon, sources, skipped) =
        match start_writing(&args.canon, &args.paths, args.output.as_deref()) {
            Ok(x) => x,
            Err(code) => return code,
        };
    let analyzer = Analyzer::new(&canon, &settings);
    let needs = format.needs();
    let tally = RefCell::new(Tally {
        skipped,
        ..Tally::default()
    });
    // Whether what was read may be written out: no goal refused, and every
    // document read (or `--allow-skipped`).
    let passes = || {
        let t = tally.borrow();
        t.failed.is_empty()
            && (t.skipped.is_empty() || args.allow_skipped)
            && (t.refused_docs == 0 || args.allow_incomplete)
    };
    // Reads every document in order, handing its goals to `emit` while the
    // run still passes; pre-flight problems go to standard error.
    let run_pool = |emit: &mut dyn FnMut(&Outcome) -> std::io::Result<()>| -> std::io::Result<()> {
        let mut written = Ok(());
        each_in_order(
            &sources,
            &args.stdin_filename,
            |source| {
                read_one(
                    source,
                    &analyzer,
                    &args.stdin_filename,
                    false,
                    |c: Checked| outcome(&analyzer, &c, format, needs, args.allow_incomplete),
                )
            },
            |done| {
                let mut t = tally.borrow_mut();
                match done {
                    Done::Failed(s) => t.failed.push(s),
                    Done::Skipped(s) => t.skipped.push(s),
                    Done::Checked(o) => {
                        let _ = std::io::stderr().write_all(&o.problems);
                        if let Some((owner, cycle)) = &o.whose {
                            t.owners
                                .push((o.path.clone(), owner.clone(), cycle.clone()));
                        }
                        t.documents += 1;
                        t.goals += o.goals;
                        if o.refused > 0 || o.blocked {
                            t.refused_goals += o.refused;
                            t.refused_docs += 1;
                        }
                        drop(t);
                        if passes() {
                            written = emit(&o);
                        }
                    }
                }
                if written.is_ok() {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            },
        );
        written
    };
    let skipped_sorted = || {
        let mut t = tally.borrow_mut();
        t.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        t.skipped.clone()
    };
    let write = |out: &mut dyn Write| -> Result<(), Stop> {
        write_all(format, out, &run_pool, &skipped_sorted)?;
        if passes() {
            Ok(())
        } else {
            Err(Stop::Refused)
        }
    };
    let outcome = match &args.output {
        Some(path) => {
            let mut stop = None;
            let installed = atomic::write_file_atomically(path, |file| {
                let mut out = std::io::BufWriter::new(file);
                let done = write(&mut out).and_then(|()| out.flush().map_err(Stop::from));
                done.map_err(|e| {
                    stop = Some(e);
                    String::new()
                })
            });
            match (installed, stop) {
                (Ok(()), _) => Ok(()),
                (Err(_), Some(s)) => Err(s),
                (Err(e), None) => Err(Stop::Io(e)),
            }
            .map_err(|s| match s {
                Stop::Io(e) => Stop::Io(format!("writing {}: {e}", path.display())),
                // Only a pipe breaks, and the file was not one.
                Stop::Closed => Stop::Io(format!("writing {}: broken pipe", path.display())),
                s => s,
            })
        }
        // Incomplete goals allowed: streamed, so memory stays flat however
        // many goals there are.
        None if args.allow_incomplete => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match write(&mut out).and_then(|()| out.flush().map_err(Stop::from)) {
                Err(Stop::Closed) => Ok(()),
                Err(Stop::Io(e)) => Err(Stop::Io(format!("writing to standard output: {e}"))),
                other => other,
            }
        }
        // Held until the pre-flight check has passed.
        None => {
            let mut buf = Vec::new();
            write(&mut buf).and_then(|()| {
                if super::write_stdout(&buf) == ExitCode::SUCCESS {
                    Ok(())
                } else {
                    Err(Stop::Io(String::new()))
                }
            })
        }
    };
    let t = tally.into_inner();
    let level = if args.allow_skipped {
        "warning"
    } else {
        "error"
    };
    for s in &t.skipped {
        say!("{level}: {}: skipped: {}", s.path, s.reason);
    }
    for f in &t.failed {
        say!("error: {}: {}", f.path, f.reason);
    }
    // The same person's goals for one cycle in two documents: a copy of a
    // review left in the folder reaches the HR system twice. Someone may
    // keep two on purpose, so it is said, not refused.
    let owners = t
        .owners
        .iter()
        .map(|(path, owner, cycle)| (path.as_str(), owner.as_str(), cycle.as_deref()));
    for shared in export::shared_owners(owners) {
        say!("warning: {}", shared.warning());
    }
    match outcome {
        Ok(()) | Err(Stop::Closed) => {
            // An empty export is most often goals written where goalframe
            // does not read them (a bare `render` block with no heading
            // line): an HR import of it would load nothing, and say so
            // far from here.
            if t.goals == 0 && t.documents > 0 {
                say!(
                    "warning: no goals in the {} read; {}",
                    if t.documents == 1 {
                        "document".to_string()
                    } else {
                        counted(t.documents, "document")
                    },
                    goalframe::export::WHERE_GOALS_ARE
                );
            } else if t.documents == 0 && t.skipped.is_empty() && t.failed.is_empty() {
                // A folder of `.docx` files, or the wrong folder.
                say!(
                    "warning: no goals: no document goalframe reads (.{}) was found",
                    super::inputs::EXTENSIONS.join(", .")
                );
            }
            ExitCode::SUCCESS
        }
        Err(Stop::Io(e)) => {
            if !e.is_empty() {
                say!("error: {e}");
            }
            ExitCode::from(EXIT_USAGE)
        }
        Err(Stop::Refused) => {
            if !t.failed.is_empty() {
                return ExitCode::from(EXIT_USAGE);
            }
            if !t.skipped.is_empty() && !args.allow_skipped {
                say!(
                    "error: {} path{} not read; nothing was exported (pass --allow-skipped to export the rest)",
                    t.skipped.len(),
                    if t.skipped.len() == 1 { " was" } else { "s were" }
                );
                return ExitCode::from(EXIT_USAGE);
            }
            if t.refused_goals == 0 {
                // Every goal read was ready: what stopped the run is goals
                // that were not read (`unread-heading`, an MBO table
                // without its outer pipes, a `KR3.`, a frame repeated).
                say!(
                    "error: {} {} goals that are not read; nothing was exported (pass --allow-incomplete to export the goals that were read)",
                    counted(t.refused_docs, "document"),
                    if t.refused_docs == 1 { "has" } else { "have" }
                );
            } else {
                say!(
                    "error: {} in {} {} not ready for export; nothing was exported (pass --allow-incomplete to export them with empty values)",
                    counted(t.refused_goals, "goal"),
                    counted(t.refused_docs, "document"),
                    if t.refused_goals == 1 { "is" } else { "are" }
                );
            }
            ExitCode::from(1)
        }
    }
}

/// One document's goals and pre-flight problems, as `export` reads them
/// (the MCP server's `export_goals` reads a draft the same way). The
/// analysis that names the problems runs only when a goal lacks
/// something, and not at all when incomplete goals are allowed.
pub fn document_goals(
    analyzer: &Analyzer,
    path: &str,
    text: &str,
    lines: &goalframe::analysis::Lines,
    needs: Needs,
    allow_incomplete: bool,
) -> DocExport {
    let kind = DocKind::from_path(Path::new(path));
    export::document(
        analyzer,
        path,
        text,
        kind,
        lines,
        &|| {
            if allow_incomplete {
                Vec::new()
            } else {
                analyzer.analyze_lines(text, kind, lines)
            }
        },
        needs,
    )
}

/// The goals and pre-flight problems of one document.
fn outcome(
    analyzer: &Analyzer,
    c: &Checked,
    format: ExportFormat,
    needs: Needs,
    allow_incomplete: bool,
) -> Outcome {
    let doc = document_goals(analyzer, &c.path, c.text, &c.lines, needs, allow_incomplete);
    let refused = doc.refused();
    let DocExport {
        goals,
        problems,
        whose,
    } = doc;
    let blocked = !problems.is_empty();
    let problems = if problems.is_empty() {
        Vec::new()
    } else if allow_incomplete {
        // Exported anyway: one line says so; `lint` has the details.
        let line = if refused == 0 {
            format!(
                "warning: {}: goals that are not read were left out ({}; `goalframe lint` lists them)\n",
                c.path,
                counted(problems.len(), "problem"),
            )
        } else {
            format!(
                "warning: {}: {} exported with values missing ({}; `goalframe lint` lists them)\n",
                c.path,
                counted(refused, "goal"),
                counted(problems.len(), "problem"),
            )
        };
        crate::cli::for_stderr(&line).into_bytes()
    } else {
        debug_assert!(c.findings.is_empty());
        let mut shown = Vec::new();
        super::human::file(&mut shown, false, &c.path, c.text, &c.lines, &problems);
        shown
    };
    // Serialising a record cannot fail (string keys, no maps of other
    // keys); the bytes are in memory.
    let rendered = render(format, &goals).unwrap_or_default();
    Outcome {
        rendered,
        goals: goals.len(),
        problems,
        refused,
        blocked,
        whose,
        path: c.path.clone(),
    }
}

/// The layout of a sheet format.
fn layout(format: ExportFormat) -> Box<dyn Layout> {
    match format {
        ExportFormat::CultureAmp => Box::new(CultureAmp {
            key_results: MOST_MEASURES,
        }),
        ExportFormat::Betterworks => Box::new(Betterworks),
        _ => Box::new(Csv),
    }
}

/// One document's goals in the output format: for `json`, its elements
/// of the `goals` array, indented as they stand in it and joined by
/// commas; for a sheet, its rows.
fn render(format: ExportFormat, goals: &[GoalRecord]) -> std::io::Result<Vec<u8>> {
    if goals.is_empty() {
        return Ok(Vec::new());
    }
    if format == ExportFormat::Json {
        // `[[…]]` puts the records two levels deep, as in the document;
        // its brackets are taken off again.
        // Sized for a typical record, so the buffer seldom grows.
        let mut pretty = Vec::with_capacity(goals.len() * 1024);
        serde_json::to_writer_pretty(&mut pretty, &[goals])?;
        let (open, close) = (b"[\n  [\n".len(), b"\n  ]\n]".len());
        pretty.truncate(pretty.len() - close);
        pretty.drain(..open);
        return Ok(pretty);
    }
    let layout = layout(format);
    let mut w = csv::Writer::from_writer(Vec::new());
    for g in goals {
        for row in layout.rows(g) {
            w.write_record(&row)?;
        }
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// The whole output for documents whose goals were read already (the
/// language server's `goalframe.export`), byte for byte what [`run`]
/// writes for the same documents.
#[cfg(feature = "lsp")]
pub(crate) fn write_documents(
    format: ExportFormat,
    out: &mut dyn Write,
    docs: &[Vec<GoalRecord>],
) -> std::io::Result<()> {
    let pool = |emit: &mut dyn FnMut(&Outcome) -> std::io::Result<()>| -> std::io::Result<()> {
        for goals in docs {
            emit(&Outcome {
                rendered: render(format, goals)?,
                goals: goals.len(),
                problems: Vec::new(),
                refused: 0,
                blocked: false,
                whose: None,
                path: String::new(),
            })?;
        }
        Ok(())
    };
    write_all(format, out, &pool, &Vec::new)
}

fn write_all(
    format: ExportFormat,
    out: &mut dyn Write,
    run_pool: &Pool<'_>,
    skipped: &dyn Fn() -> Vec<Skipped>,
) -> std::io::Result<()> {
    match format {
        ExportFormat::Json => {
            write!(
                out,
                "{{\n  \"version\": {},\n  \"goals\": [",
                export::JSON_VERSION
            )?;
            let mut first = true;
            run_pool(&mut |o| {
                if o.goals == 0 {
                    return Ok(());
                }
                out.write_all(if first { b"\n" } else { b",\n" })?;
                first = false;
                out.write_all(&o.rendered)
            })?;
            out.write_all(if first { b"],\n" } else { b"\n  ],\n" })?;
            let skipped: Vec<serde_json::Value> = skipped()
                .into_iter()
                .map(|s| serde_json::json!({"path": s.path, "reason": s.reason}))
                .collect();
            let skipped = serde_json::to_string_pretty(&skipped).map_err(std::io::Error::from)?;
            let skipped = skipped.replace('\n', "\n  ");
            writeln!(out, "  \"skipped\": {skipped}\n}}")
        }
        _ => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(layout(format).header())?;
            w.flush()?;
            drop(w);
            run_pool(&mut |o| out.write_all(&o.rendered))
        }
    }
}
