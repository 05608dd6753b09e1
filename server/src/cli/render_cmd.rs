//! `goalframe render ROLE LEVEL`: print a frame (docs/lint.md).

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use goalframe::canon::Canon;
use goalframe::render::{self, Form, Markup, Selection};

use super::{settings_and_canon, usage, CanonArgs};

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// Role id, alias or title (case-insensitive).
    pub role: String,
    /// Level code (case-insensitive).
    pub level: String,
    /// Which frame: smart, okr, mbo, scorecard or all.
    #[arg(long, default_value = "all", value_parser = clap::value_parser!(Selection))]
    pub frame: Selection,
    /// Output form.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub canon: CanonArgs,
}

/// Output forms: the two markups, each optionally as an LSP snippet.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    /// Plain text with ⟨…⟩ placeholders as LSP snippet tabstops.
    Snippet,
    /// Markdown with ⟨…⟩ placeholders as LSP snippet tabstops.
    MarkdownSnippet,
}

impl Format {
    pub fn form(self) -> Form {
        match self {
            Format::Text => Form {
                markup: Markup::Text,
                snippet: false,
            },
            Format::Markdown => Form {
                markup: Markup::Markdown,
                snippet: false,
            },
            Format::Snippet => Form {
                markup: Markup::Text,
                snippet: true,
            },
            Format::MarkdownSnippet => Form {
                markup: Markup::Markdown,
                snippet: true,
            },
        }
    }
}

/// Why a frame was not printed: a role or level the canon lacks (a usage
/// error, with the closest names), or a frame it has no rows for.
pub enum RenderError {
    Lookup(String),
    Empty(String),
}

/// Exactly what `goalframe render` prints (the MCP server's `render_frame`
/// answers the same bytes).
pub fn frame_text(
    canon: &Canon,
    role: &str,
    level: &str,
    frame: Selection,
    form: Form,
) -> Result<String, RenderError> {
    let ral = canon
        .role_at(role, level)
        .map_err(|e| RenderError::Lookup(e.to_string()))?;
    let mut text =
        render::render(ral, frame, form).map_err(|e| RenderError::Empty(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

pub fn run(args: &RenderArgs) -> ExitCode {
    let (_, canon) = match settings_and_canon(&args.canon) {
        Ok(x) => x,
        Err(code) => return code,
    };
    match frame_text(
        &canon,
        &args.role,
        &args.level,
        args.frame,
        args.format.form(),
    ) {
        Ok(text) => super::write_stdout(text.as_bytes()),
        Err(RenderError::Lookup(e)) => usage(e),
        Err(RenderError::Empty(e)) => {
            say!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
