//! `goalframe render ROLE LEVEL`: print a frame (docs/lint.md).

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use goalframe::analysis::tokens;
use goalframe::canon::Canon;
use goalframe::quote;
use goalframe::render::{self, Form, Markup, Selection};

use super::{settings_and_canon, usage, CanonArgs};

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// Role id, alias or title (case-insensitive); or the role and level as
    /// a document's token writes them (`@ae/p2`, `ae/p2`), with no LEVEL.
    pub role: String,
    /// Level code (case-insensitive).
    pub level: Option<String>,
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

/// The role and level asked for: two arguments, or one written as a
/// document's token (`@ae/p2`, `ae/p2`), read by the documents' own token
/// rule so that what works in a review works here.
fn role_and_level(role: &str, level: Option<&str>) -> Result<(String, String), String> {
    if let Some(level) = level {
        return Ok((role.to_owned(), level.to_owned()));
    }
    let token = format!("@{}", role.strip_prefix('@').unwrap_or(role));
    match tokens::parse_at(&token, 0) {
        Some(t) if t.range.end == token.len() && !t.role.is_empty() => match t.level {
            Some(l) if !l.is_empty() => Ok((token[t.role].to_owned(), token[l].to_owned())),
            _ => Err(no_level(role, false)),
        },
        _ => Err(no_level(role, role.contains('/'))),
    }
}

fn no_level(role: &str, not_a_token: bool) -> String {
    if not_a_token {
        // A title may hold a slash ("Account Executive / Field Sales").
        format!(
            "`{}` is not a role and level as a token writes them (`ae/P2`, `@ae/P2`); a role named by its title takes its level after it: `goalframe render \"Account Executive / Field Sales\" P2`",
            quote::quote(role)
        )
    } else {
        format!(
            "no level for `{}`: give it after the role (`goalframe render ae P2`) or as a token writes it (`goalframe render ae/P2`)",
            quote::quote(role)
        )
    }
}

pub fn run(args: &RenderArgs) -> ExitCode {
    let (role, level) = match role_and_level(&args.role, args.level.as_deref()) {
        Ok(x) => x,
        Err(e) => return usage(e),
    };
    let (_, canon) = match settings_and_canon(&args.canon) {
        Ok(x) => x,
        Err(code) => return code,
    };
    match frame_text(&canon, &role, &level, args.frame, args.format.form()) {
        Ok(text) => super::write_stdout(text.as_bytes()),
        Err(RenderError::Lookup(e)) => usage(e),
        Err(RenderError::Empty(e)) => {
            say!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
