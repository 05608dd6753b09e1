//! Frames (docs/frames.md): one set of rows per role and level (`rows.rs`), laid
//! out as plain text (`text.rs`) or markdown (`markdown.rs`), each optionally
//! as an LSP snippet. The form is a parameter, never a copy of the logic.

mod markdown;
mod out;
mod rows;
pub(crate) mod template;
mod text;

use std::fmt;
use std::str::FromStr;

use crate::canon::RoleAtLevel;

pub use out::{
    markdown_escape, markdown_escape_inline, markdown_unescape_into, snippet_escape_into,
};
pub use rows::Rows;

/// One goal-setting method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frame {
    Smart,
    Okr,
    Mbo,
    Scorecard,
}

impl Frame {
    /// The four frames in the order `all` renders them.
    pub const ALL: [Frame; 4] = [Frame::Smart, Frame::Okr, Frame::Mbo, Frame::Scorecard];

    /// The name used on the command line, in markers and in commands.
    pub fn key(self) -> &'static str {
        match self {
            Frame::Smart => "smart",
            Frame::Okr => "okr",
            Frame::Mbo => "mbo",
            Frame::Scorecard => "scorecard",
        }
    }

    /// The title (docs/frames.md).
    pub const fn title(self) -> &'static str {
        template::title(self)
    }

    /// The lead line (docs/frames.md).
    pub fn lead(self) -> &'static str {
        template::lead(self)
    }
}

pub use template::{ALL_TITLE, PREAMBLE};

/// One frame or all four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selection {
    One(Frame),
    All,
}

impl Selection {
    /// Every selection, in the order completion offers them.
    pub const EVERY: [Selection; 5] = [
        Selection::One(Frame::Smart),
        Selection::One(Frame::Okr),
        Selection::One(Frame::Mbo),
        Selection::One(Frame::Scorecard),
        Selection::All,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Selection::One(f) => f.key(),
            Selection::All => "all",
        }
    }

    /// The completion label: the frame title, or `All frames`.
    pub fn label(self) -> &'static str {
        match self {
            Selection::One(f) => f.title(),
            Selection::All => "All frames",
        }
    }
}

impl FromStr for Selection {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "all" => Ok(Selection::All),
            other => Frame::ALL
                .into_iter()
                .find(|f| f.key() == other)
                .map(Selection::One)
                .ok_or_else(|| {
                    format!(
                        "unknown frame `{}`; expected smart, okr, mbo, scorecard or all",
                        crate::quote::quote(s)
                    )
                }),
        }
    }
}

impl fmt::Display for Selection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The markup a frame is laid out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Markup {
    Text,
    Markdown,
}

/// A complete output form: markup, and whether placeholders are tabstops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Form {
    pub markup: Markup,
    pub snippet: bool,
}

/// The three placeholders a frame leaves for the manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placeholder {
    Baseline = 0,
    Target = 1,
    Date = 2,
}

impl Placeholder {
    pub const ALL: [Placeholder; 3] = [
        Placeholder::Baseline,
        Placeholder::Target,
        Placeholder::Date,
    ];

    /// `⟨baseline⟩`, `⟨target⟩`, `⟨date⟩` (U+27E8, U+27E9).
    pub fn text(self) -> &'static str {
        match self {
            Placeholder::Baseline => "⟨baseline⟩",
            Placeholder::Target => "⟨target⟩",
            Placeholder::Date => "⟨date⟩",
        }
    }
}

/// Why nothing was rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("the canon has no rows for the {frame} frame of `{role}` at `{level}` (no responsibilities or dimensions); nothing to render")]
    Empty {
        frame: Selection,
        role: String,
        level: String,
    },
}

/// The marker comment that opens every markdown frame (docs/frames.md) and
/// tells the analysis which role and level the rows below belong to.
pub fn marker(ral: &RoleAtLevel, frame: Frame) -> String {
    use template::{COMMENT_CLOSE, COMMENT_OPEN, MARKER_KEY};
    format!(
        "{COMMENT_OPEN} {MARKER_KEY} {}/{} {} {COMMENT_CLOSE}",
        ral.role.id,
        ral.level.code,
        frame.key()
    )
}

/// Renders a selection exactly as docs/frames.md says: in text form a single
/// frame is the bare block (what `goalframe render` prints), `all` the
/// whole document.
pub fn render(ral: RoleAtLevel, selection: Selection, form: Form) -> Result<String, RenderError> {
    render_with(ral, selection, form, false)
}

/// Renders what an editor inserts for a token (docs/lsp.md): like [`render`],
/// but a single text frame is preceded by its heading line and an empty
/// line, so the analysis can find the block again.
pub fn render_insert(
    ral: RoleAtLevel,
    selection: Selection,
    form: Form,
) -> Result<String, RenderError> {
    render_with(ral, selection, form, true)
}

fn render_with(
    ral: RoleAtLevel,
    selection: Selection,
    form: Form,
    titled: bool,
) -> Result<String, RenderError> {
    let rows = Rows::new(ral);
    let frames: Vec<Frame> = match selection {
        Selection::One(f) => vec![f],
        Selection::All => Frame::ALL.to_vec(),
    };
    let present: Vec<Frame> = frames.into_iter().filter(|&f| rows.has(f)).collect();
    if present.is_empty() {
        return Err(RenderError::Empty {
            frame: selection,
            role: ral.role.id.clone(),
            level: ral.level.code.clone(),
        });
    }
    let mut out = out::Out::new(form.markup, form.snippet);
    match (form.markup, selection) {
        (Markup::Text, Selection::One(f)) => {
            if titled {
                template::heading(&mut out, f.title(), &rows);
                out.lit("\n\n");
            }
            text::frame(&mut out, &rows, f);
        }
        (Markup::Text, Selection::All) => text::document(&mut out, &rows, &present),
        (Markup::Markdown, Selection::One(f)) => markdown::frame(&mut out, &rows, f, 2),
        (Markup::Markdown, Selection::All) => markdown::document(&mut out, &rows, &present),
    }
    Ok(out.finish())
}
