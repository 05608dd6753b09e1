//! Command-line interface (docs/lint.md), built with clap. Each subcommand is a
//! small module that loads what it needs and calls the library.

/// Writes a line to standard error, ignoring failure: a closed or full
/// stderr must not turn into a panic.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let message = crate::cli::for_stderr(&format!($($t)*));
        let _ = writeln!(std::io::stderr(), "{message}");
    }};
}

/// A message for standard error with its control characters (from file
/// names or document text) shown as pictures, line breaks kept.
pub fn for_stderr(s: &str) -> String {
    s.split('\n')
        .map(|line| human::for_terminal(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}
pub(crate) use say;

/// The extension of a file's name, lower-cased: where `export`, `report`
/// and `canon export` take their format from when `--format` is not given
/// (`goals.csv` is CSV, not the default JSON under a CSV name), and what
/// `canon import` reads a file as.
pub(crate) fn output_extension(output: Option<&std::path::Path>) -> Option<String> {
    let ext = output?.extension()?.to_str()?;
    Some(ext.to_ascii_lowercase())
}

/// The format a command without `--format` writes to `output`: the one
/// its extension names in `names`, else (no extension, or standard
/// output) `default`. An extension that names none of the command's
/// formats is refused, naming `formats` (`--format`'s values) and `files`
/// (the extensions it reads): `goals.xlsx` held JSON, which a spreadsheet
/// program will not open, and nothing said so.
pub(crate) fn format_by_name<F: Copy>(
    command: &str,
    output: Option<&std::path::Path>,
    names: &[(&str, F)],
    default: F,
    formats: &str,
    files: &str,
) -> Result<F, String> {
    let Some(ext) = output_extension(output) else {
        return Ok(default);
    };
    if let Some(&(_, f)) = names.iter().find(|(n, _)| *n == ext) {
        return Ok(f);
    }
    Err(format!(
        "{}: the file's name says `.{}`, which `{command}` does not write; name the format with --format {formats}, or name the file {files}",
        output.unwrap_or(std::path::Path::new("")).display(),
        goalframe::quote::quote(&ext)
    ))
}

pub(crate) mod atomic;
mod canon_cmd;
mod canon_init;
#[cfg(feature = "spreadsheets")]
mod canon_table;
pub(crate) mod export_cmd;
mod fix;
mod human;
mod inputs;
pub(crate) mod interrupt;
mod lint_cmd;
#[cfg(feature = "lsp")]
pub(crate) use inputs::{walk_documents, Source};
#[cfg(feature = "lsp")]
pub(crate) use lint_cmd::read_one;
pub(crate) mod render_cmd;
pub(crate) mod report;
mod report_cmd;

use goalframe::quote::counted;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use goalframe::canon::{self, Canon, CanonErrors};
use goalframe::config::{self, Settings};

/// Exit code for usage, configuration and canon errors (docs/lint.md).
pub const EXIT_USAGE: u8 = 2;

/// The command line's own commands; `main` adds the servers beside them
/// (which use this module, so this module does not start them).
#[derive(Subcommand)]
pub enum Command {
    /// Print a frame for a role at a level.
    Render(render_cmd::RenderArgs),
    /// Check goal documents: placeholders, unknown roles and levels, canon drift,
    /// goal quality.
    Lint(lint_cmd::LintArgs),
    /// Write the goals of documents out for an HR system, if they are finished.
    Export(export_cmd::ExportArgs),
    /// Where a folder of goal documents stands: goals, slots filled, findings, status.
    Report(report_cmd::ReportArgs),
    /// List, check, import, export or start a canon.
    Canon {
        #[command(subcommand)]
        command: canon_cmd::CanonCommand,
    },
}

impl Command {
    pub fn run(self) -> ExitCode {
        match self {
            Command::Render(args) => render_cmd::run(&args),
            Command::Lint(args) => lint_cmd::run(&args),
            Command::Export(args) => export_cmd::run(&args),
            Command::Report(args) => report_cmd::run(&args),
            Command::Canon { command } => canon_cmd::run(&command),
        }
    }
}

/// Where the canon comes from: `--canon` (repeatable), else the
/// configuration file, else the embedded default.
#[derive(Args, Debug, Clone, Default)]
pub struct CanonArgs {
    /// A canon directory; may repeat. Overrides the configuration.
    #[arg(long = "canon", value_name = "DIR")]
    pub canon: Vec<PathBuf>,
    /// A goalframe.toml to use instead of the nearest one (in the current
    /// directory or above it).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl CanonArgs {
    /// The effective settings: `goalframe.toml` (from `--config`, else the
    /// nearest in the current directory or above it), then `--canon` on
    /// top; and the folders the file was looked for in (`--config`'s, else
    /// the current directory and those above it up to the one holding
    /// it). A server that follows the settings watches those folders: from
    /// the same search, they are where the settings it read were found.
    pub fn settings(&self) -> (Result<Settings, String>, Vec<PathBuf>) {
        match &self.config {
            Some(path) => {
                let folder = folder_of(path).to_path_buf();
                let layer = goalframe::read::read_regular_text(path, goalframe::read::CONFIG_LIMIT)
                    .map_err(|e| format!("{}: {e}", path.display()))
                    .and_then(|text| {
                        config::parse_toml(&text, &path.display().to_string())
                            .map_err(|e| e.to_string())
                    })
                    .map(|layer| Some((layer, path.clone())));
                (self.settings_from(layer), vec![folder])
            }
            None => {
                let search = config::ConfigSearch::new(std::path::Path::new("."));
                let layer = search.read().map_err(|e| e.to_string());
                (self.settings_from(layer), search.folders)
            }
        }
    }

    /// The settings of `layer` (a settings file read, and its path), then
    /// `--canon` on top.
    fn settings_from(
        &self,
        layer: Result<Option<(config::Layer, PathBuf)>, String>,
    ) -> Result<Settings, String> {
        let mut settings = Settings::default();
        let layer = layer?;
        if let Some((layer, path)) = layer {
            settings
                .apply(&layer, Some(folder_of(&path)), &path.display().to_string())
                .map_err(|e| e.to_string())?;
        }
        if !self.canon.is_empty() {
            settings.canon = self.canon.clone();
        }
        Ok(settings)
    }
}

/// The folder a settings file is in, which its relative paths start from:
/// its parent, or `.` for a bare file name.
fn folder_of(file: &std::path::Path) -> &std::path::Path {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    }
}

/// `error: MESSAGE` on standard error, and exit 2.
pub fn usage(message: impl std::fmt::Display) -> ExitCode {
    say!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// Writes a command's output to standard output. A closed pipe (`| head`)
/// is a quiet success; any other failure (a full disk) is an error, since
/// the output was lost.
pub fn write_stdout(bytes: &[u8]) -> ExitCode {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => usage(format!("writing to standard output: {e}")),
    }
}

/// Prints canon errors the way `canon check` does and returns exit 2.
pub fn report_canon_errors(errors: &CanonErrors) -> ExitCode {
    for e in &errors.0 {
        say!("error: {e}");
    }
    say!(
        "error: the canon has {}; nothing was loaded",
        counted(errors.0.len(), "problem")
    );
    ExitCode::from(EXIT_USAGE)
}

/// Settings, then canon, or the exit code that reports why not.
pub fn settings_and_canon(args: &CanonArgs) -> Result<(Settings, Canon), ExitCode> {
    settings_and_canon_searched(args).map(|(settings, canon, _)| (settings, canon))
}

/// [`settings_and_canon`], and the folders the settings file was looked
/// for in (see [`CanonArgs::settings`]).
pub fn settings_and_canon_searched(
    args: &CanonArgs,
) -> Result<(Settings, Canon, Vec<PathBuf>), ExitCode> {
    let (settings, folders) = args.settings();
    let settings = settings.map_err(usage)?;
    let canon = canon::load_configured(&settings.canon).map_err(|e| report_canon_errors(&e))?;
    Ok((settings, canon, folders))
}
