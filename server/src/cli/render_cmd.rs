//! `goalframe render ROLE LEVEL`: print a frame (docs/lint.md).

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use goalframe::render::{self, Form, Markup, Selection};

use super::{settings_and_canon, CanonArgs, EXIT_USAGE};

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
    fn form(self) -> Form {
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

pub fn run(args: &RenderArgs) -> ExitCode {
    let (_, canon) = match settings_and_canon(&args.canon) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let ral = match canon.role_at(&args.role, &args.level) {
        Ok(r) => r,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match render::render(ral, args.frame, args.format.form()) {
        Ok(mut text) => {
            text.push('\n');
            super::write_stdout(text.as_bytes())
        }
        Err(e) => {
            say!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
