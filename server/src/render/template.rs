//! The fixed template wording around canon text (docs/frames.md), written once
//! and shared by the text and markdown layouts. Template words go through
//! [`Out::text`], canon through [`Out::canon`], so each markup escapes them
//! its own way.

use crate::canon::Dimension;

use super::out::Out;
use super::rows::Rows;
use super::Placeholder::{self, Baseline, Date, Target};

// The words that stand right before quoted canon text. The analysis finds
// quotes by them (`analysis::blocks`), so they are written here only: each
// ends in `: ` and is followed by [`QUOTE`].

/// SMART `Specific:` row: `Deliver: "<responsibility>"`.
pub const DELIVER: &str = "Deliver: ";
/// OKR `KR1.` row: `… — tied to: "<responsibility>"`.
pub const TIED_TO: &str = "tied to: ";
/// SMART `Achievable:` row: `…rubric: "<complexity rubric>"`.
pub const ACHIEVABLE: &str = "Scoped to this level's jfm complexity/problem-solving rubric: ";
/// MBO `Standard:` row: `…rubric: "<knowledge rubric>"`.
pub const STANDARD: &str = "Consistent with this level's jfm knowledge-application rubric: ";
/// OKR `KR2.` and scorecard calibration rows: `… <dimension> bar: "<text>"`.
pub const BAR: &str = " bar: ";
/// Opens and closes quoted canon text.
pub const QUOTE: &str = "\"";
/// Between parts of a heading, identity line or row.
pub const SEP: &str = " — ";
/// Between a scorecard row's quote and its target.
pub const ARROW: &str = "  →  ";

// Row labels, shared by the text and markdown layouts (which add their
// own punctuation and padding).

pub const SPECIFIC: &str = "Specific:";
pub const MEASURABLE: &str = "Measurable:";
pub const ACHIEVABLE_LABEL: &str = "Achievable:";
pub const RELEVANT: &str = "Relevant:";
pub const TIME_BOUND: &str = "Time-bound:";
pub const OBJECTIVE: &str = "Objective";
pub const KR1: &str = "KR1.";
pub const KR2: &str = "KR2.";
pub const AREA: &str = "Area";
pub const STANDARD_LABEL: &str = "Standard";
pub const TARGET: &str = "Target";
pub const DUE: &str = "Due";
/// A scorecard row's bullet, in the text and the markdown layout.
pub const TEXT_BULLET: &str = "  - ";
pub const MARKDOWN_BULLET: &str = "- ";
/// The first letters of the labels of the rows that hold values (text
/// form): `Measurable:`, `Time-bound:`, `KR1.`, `KR2.`, `Target:`.
pub const LABEL_INITIALS: &[u8] = b"MTK";
/// Text-form labels are padded to line their values up.
pub const SMART_LABEL_WIDTH: usize = 13;
pub const MBO_LABEL_WIDTH: usize = 10;

// The rows that hold values: fixed words and the slots between them. The
// renderer writes them and the analysis reads filled rows back through
// them (`goals::slots`), so a row reworded here is read the new way.

/// A piece of a row that holds values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Fixed template words.
    Words(&'static str),
    /// Where a value goes (a placeholder until it is filled).
    Slot(Placeholder),
}

use Piece::{Slot, Words};

/// SMART `Measurable:` row body.
pub const MEASURABLE_ROW: &[Piece] = &[
    Words("Move the metric this drives from "),
    Slot(Baseline),
    Words(" to "),
    Slot(Target),
    Words(" by "),
    Slot(Date),
    Words("."),
];
/// SMART `Time-bound:` row body.
pub const TIME_BOUND_ROW: &[Piece] = &[Slot(Date)];
/// OKR `KR1.` body, before ` — tied to: "<responsibility>"`.
pub const KR1_ROW: &[Piece] = &[
    Words("From "),
    Slot(Baseline),
    Words(" to "),
    Slot(Target),
    Words(" by "),
    Slot(Date),
];
/// OKR `KR2.` body's first words (then the dimension and its quote).
pub const KR2_LEAD: &str = "Evidence at this level's ";
/// The values of an OKR `KR2.` row (after its quote and ` — `) and of a
/// scorecard row (after its arrow).
pub const TARGET_BY_DATE: &[Piece] = &[Slot(Target), Words(" by "), Slot(Date)];
/// The text form's MBO `Target:` row body.
pub const MBO_DUE_ROW: &[Piece] = &[Slot(Target), Words("   Due: "), Slot(Date)];
/// A scorecard `Role calibration` row's first words.
pub const CALIBRATION_LEAD: &str = "Meets the ";
/// Opens a row's source label; what follows the values of a scorecard
/// row (after [`SOURCE_GAP`]).
pub const SOURCE_OPEN: &str = "[source: ";
/// Between a scorecard row's values and its source label.
pub const SOURCE_GAP: &str = "   ";

/// Writes a row's pieces.
pub fn pieces(out: &mut Out, row: &[Piece]) {
    for piece in row {
        match *piece {
            Words(w) => out.text(w),
            Slot(p) => out.placeholder(p),
        }
    }
}

/// `[source: JFM responsibility (<code>)]`.
pub fn source(out: &mut Out, rows: &Rows) {
    out.text(SOURCE_OPEN);
    out.text("JFM responsibility (");
    out.canon(&rows.ral.level.code);
    out.text(")]");
}

/// `[source: JFM responsibility (<code>) — reused, no distinct responsibility content]`.
pub fn mbo_source(out: &mut Out, rows: &Rows) {
    out.text(SOURCE_OPEN);
    out.text("JFM responsibility (");
    out.canon(&rows.ral.level.code);
    out.text(") — reused, no distinct responsibility content]");
}

/// `[source: level dimension (<name>)]`.
pub fn dimension_source(out: &mut Out, d: &Dimension) {
    out.text(SOURCE_OPEN);
    out.text("level dimension (");
    out.canon(&d.name);
    out.text(")]");
}

/// `"<canon>"`.
pub fn quoted(out: &mut Out, s: &str) {
    out.text(QUOTE);
    out.canon(s);
    out.text(QUOTE);
}

/// SMART `Specific:` row body.
pub fn specific(out: &mut Out, responsibility: &str) {
    out.text(DELIVER);
    quoted(out, responsibility);
}

/// SMART `Measurable:` row body.
pub fn measurable(out: &mut Out) {
    pieces(out, MEASURABLE_ROW);
}

/// SMART `Achievable:` row body.
pub fn achievable(out: &mut Out, cx: &str) {
    out.text(ACHIEVABLE);
    quoted(out, cx);
}

/// SMART `Relevant:` row body.
pub fn relevant(out: &mut Out, rows: &Rows) {
    let ral = &rows.ral;
    out.text("Advances the ");
    out.canon(&ral.role.family);
    out.text(" · ");
    out.canon(&ral.role.title);
    out.text(" mandate for a ");
    out.canon(&ral.level.code);
    out.text(SEP);
    out.canon(&ral.level.name);
    out.text(".");
}

/// OKR `KR1.` body.
pub fn kr1(out: &mut Out, responsibility: &str) {
    pieces(out, KR1_ROW);
    out.text(SEP);
    out.text(TIED_TO);
    quoted(out, responsibility);
}

/// OKR `KR2.` body.
pub fn kr2(out: &mut Out, d: &Dimension) {
    out.text(KR2_LEAD);
    out.canon(&d.name.to_lowercase());
    out.text(BAR);
    quoted(out, &d.text);
    out.text(SEP);
    target_by_date(out);
}

/// MBO `Standard:` body.
pub fn standard(out: &mut Out, ka: &str) {
    out.text(STANDARD);
    quoted(out, ka);
}

/// `⟨target⟩ by ⟨date⟩`.
pub fn target_by_date(out: &mut Out) {
    pieces(out, TARGET_BY_DATE);
}

/// A scorecard `Internal process` row body.
pub fn internal_row(out: &mut Out, rows: &Rows, responsibility: &str) {
    quoted(out, responsibility);
    out.text(ARROW);
    target_by_date(out);
    out.text(SOURCE_GAP);
    source(out, rows);
}

/// A scorecard `Role calibration` row body.
pub fn calibration_row(out: &mut Out, d: &Dimension) {
    out.text(CALIBRATION_LEAD);
    out.canon(&d.name.to_lowercase());
    out.text(BAR);
    quoted(out, &d.text);
    out.text(ARROW);
    target_by_date(out);
    out.text(SOURCE_GAP);
    dimension_source(out, d);
}

/// The scorecard's perspectives, each omitted when it has no rows: a
/// heading (written by the layout) and one `bullet`-led row per item.
pub fn perspectives(out: &mut Out, rows: &Rows, heading: impl Fn(&mut Out, &str), bullet: &str) {
    if !rows.internal.is_empty() {
        heading(out, "Internal process");
        for r in &rows.internal {
            out.group();
            out.lit(bullet);
            internal_row(out, rows, r);
        }
    }
    if !rows.calibration.is_empty() {
        if !rows.internal.is_empty() {
            out.lit("\n\n");
        }
        heading(out, "Role calibration");
        for d in &rows.calibration {
            out.group();
            out.lit(bullet);
            calibration_row(out, d);
        }
    }
}

/// The head of the `all` document (docs/frames.md): the `Goal templates`
/// heading (after `prefix`, the markup's heading mark), the identity line
/// and the preamble.
pub fn document_head(out: &mut Out, rows: &Rows, prefix: &str) {
    out.lit(prefix);
    heading(out, super::ALL_TITLE, rows);
    out.lit("\n\n");
    identity(out, rows);
    out.lit("\n\n");
    out.text(super::PREAMBLE);
}

/// `<family> · <title> · <code> — <name>`.
pub fn identity(out: &mut Out, rows: &Rows) {
    let ral = &rows.ral;
    out.canon(&ral.role.family);
    out.text(" · ");
    out.canon(&ral.role.title);
    out.text(" · ");
    out.canon(&ral.level.code);
    out.text(SEP);
    out.canon(&ral.level.name);
}

/// `<title> — <R.title> — <L.code>`.
pub fn heading(out: &mut Out, title: &str, rows: &Rows) {
    out.text(title);
    out.text(SEP);
    out.canon(&rows.ral.role.title);
    out.text(SEP);
    out.canon(&rows.ral.level.code);
}
