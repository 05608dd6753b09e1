//! `goalframe report PATH...` (docs/report.md): where a folder of goal
//! documents stands, read as `lint` reads them. Only a small summary of
//! each document is kept, so memory does not grow with the folder's size.

use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use goalframe::analysis::{Analyzer, DocKind};
use goalframe::progress::{self, DocSummary, Report, Unread};

use super::lint_cmd::{check_one, each_in_order, start_writing, Done};
use super::report::{Checked, Skipped};
use super::{atomic, CanonArgs, EXIT_USAGE};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Files, directories (recursive, honouring .gitignore and .ignore) or
    /// globs; `-` reads standard input. Default: the current directory.
    pub paths: Vec<String>,
    /// Output format. Default: from the --output file's extension (`.html`
    /// is html, `.json` json, `.md` markdown; another is refused), else
    /// markdown.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The file name to report (and to pick markdown or text by) for
    /// standard input.
    #[arg(long, value_name = "NAME", default_value = "<stdin>.md")]
    pub stdin_filename: String,
    /// Exit 0 even when some documents could not be read (they are listed
    /// in the report either way).
    #[arg(long)]
    pub allow_skipped: bool,
    #[command(flatten)]
    pub canon: CanonArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// A GFM table, one row per document, then totals.
    Markdown,
    /// One self-contained page: inline CSS and SVG charts, nothing fetched.
    Html,
    /// The same data for dashboards (docs/report.md).
    Json,
}

/// A run over at least this many documents shows a progress bar (on a
/// terminal): smaller ones finish before it would be read.
const PROGRESS_FROM: usize = 200;

pub fn run(args: &ReportArgs) -> ExitCode {
    let format = match args.format {
        Some(f) => f,
        None => match super::format_by_name(
            "report",
            args.output.as_deref(),
            &[
                ("md", ReportFormat::Markdown),
                ("markdown", ReportFormat::Markdown),
                // A table of text, read as it is.
                ("txt", ReportFormat::Markdown),
                ("html", ReportFormat::Html),
                ("htm", ReportFormat::Html),
                ("json", ReportFormat::Json),
            ],
            ReportFormat::Markdown,
            "markdown, html or json",
            ".md, .html or .json",
        ) {
            Ok(f) => f,
            Err(e) => return super::usage(e),
        },
    };
    let (settings, canon, sources, mut skipped) =
        match start_writing(&args.canon, &args.paths, args.output.as_deref()) {
            Ok(x) => x,
            Err(code) => return code,
        };
    let analyzer = Analyzer::new(&canon, &settings);
    let progress = if sources.len() >= PROGRESS_FROM && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(sources.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents ({eta} left)")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut docs: Vec<DocSummary> = Vec::with_capacity(sources.len());
    let mut failed: Vec<Skipped> = Vec::new();
    each_in_order(
        &sources,
        &args.stdin_filename,
        |source| {
            check_one(source, &analyzer, &args.stdin_filename, |c: Checked| {
                let kind = DocKind::from_path(Path::new(&c.path));
                progress::summarize(&analyzer, &c.path, c.text, kind, &c.lines, &c.findings)
            })
        },
        |done| {
            progress.inc(1);
            match done {
                Done::Failed(s) => failed.push(s),
                Done::Skipped(s) => skipped.push(s),
                Done::Checked(d) => docs.push(d),
            }
            ControlFlow::Continue(())
        },
    );
    progress.finish_and_clear();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let unread = skipped
        .iter()
        .map(|s| Unread {
            path: s.path.clone(),
            reason: s.reason.clone(),
        })
        .collect();
    let report = Report::new(docs, unread);
    let text = match format {
        ReportFormat::Markdown => progress::markdown::render(&report),
        ReportFormat::Html => progress::html::render(&report),
        ReportFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => s + "\n",
            Err(e) => return crate::cli::usage(e),
        },
    };
    let written = match &args.output {
        Some(path) => atomic::write_file_atomically(path, |mut file| {
            file.write_all(text.as_bytes())
                .map_err(|e| format!("{}: {e}", path.display()))
        }),
        None => {
            if super::write_stdout(text.as_bytes()) != ExitCode::SUCCESS {
                return ExitCode::from(EXIT_USAGE);
            }
            Ok(())
        }
    };
    if let Err(e) = written {
        return crate::cli::usage(format!("writing the report: {e}"));
    }
    let level = if args.allow_skipped {
        "warning"
    } else {
        "error"
    };
    for s in &skipped {
        crate::cli::say!("{level}: {}: skipped: {}", s.path, s.reason);
    }
    for f in &failed {
        crate::cli::say!("error: {}: {}", f.path, f.reason);
    }
    if !failed.is_empty() || (!skipped.is_empty() && !args.allow_skipped) {
        return ExitCode::from(EXIT_USAGE);
    }
    ExitCode::SUCCESS
}
