//! The fixed template wording around canon text (SPEC §2.1), written once
//! and shared by the text and markdown layouts. Template words go through
//! [`Out::text`], canon through [`Out::canon`], so each markup escapes them
//! its own way.

use crate::canon::Dimension;

use super::out::Out;
use super::rows::Rows;
use super::Placeholder::{Baseline, Date, Target};

/// `[source: JFM responsibility (<code>)]`.
pub fn source(out: &mut Out, rows: &Rows) {
    out.text("[source: JFM responsibility (");
    out.canon(&rows.ral.level.code);
    out.text(")]");
}

/// `[source: JFM responsibility (<code>) — reused, no distinct responsibility content]`.
pub fn mbo_source(out: &mut Out, rows: &Rows) {
    out.text("[source: JFM responsibility (");
    out.canon(&rows.ral.level.code);
    out.text(") — reused, no distinct responsibility content]");
}

/// `[source: level dimension (<name>)]`.
pub fn dimension_source(out: &mut Out, d: &Dimension) {
    out.text("[source: level dimension (");
    out.canon(&d.name);
    out.text(")]");
}

/// `"<canon>"`.
pub fn quoted(out: &mut Out, s: &str) {
    out.text("\"");
    out.canon(s);
    out.text("\"");
}

/// SMART `Specific:` row body.
pub fn specific(out: &mut Out, responsibility: &str) {
    out.text("Deliver: ");
    quoted(out, responsibility);
}

/// SMART `Measurable:` row body.
pub fn measurable(out: &mut Out) {
    out.text("Move the metric this drives from ");
    out.placeholder(Baseline);
    out.text(" to ");
    out.placeholder(Target);
    out.text(" by ");
    out.placeholder(Date);
    out.text(".");
}

/// SMART `Achievable:` row body.
pub fn achievable(out: &mut Out, cx: &str) {
    out.text("Scoped to this level's jfm complexity/problem-solving rubric: ");
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
    out.text(" — ");
    out.canon(&ral.level.name);
    out.text(".");
}

/// OKR `KR1.` body.
pub fn kr1(out: &mut Out, responsibility: &str) {
    out.text("From ");
    out.placeholder(Baseline);
    out.text(" to ");
    out.placeholder(Target);
    out.text(" by ");
    out.placeholder(Date);
    out.text(" — tied to: ");
    quoted(out, responsibility);
}

/// OKR `KR2.` body.
pub fn kr2(out: &mut Out, d: &Dimension) {
    out.text("Evidence at this level's ");
    out.canon(&d.name.to_lowercase());
    out.text(" bar: ");
    quoted(out, &d.text);
    out.text(" — ");
    target_by_date(out);
}

/// MBO `Standard:` body.
pub fn standard(out: &mut Out, ka: &str) {
    out.text("Consistent with this level's jfm knowledge-application rubric: ");
    quoted(out, ka);
}

/// `⟨target⟩ by ⟨date⟩`.
pub fn target_by_date(out: &mut Out) {
    out.placeholder(Target);
    out.text(" by ");
    out.placeholder(Date);
}

/// A scorecard `Internal process` row body.
pub fn internal_row(out: &mut Out, rows: &Rows, responsibility: &str) {
    quoted(out, responsibility);
    out.text("  →  ");
    target_by_date(out);
    out.text("   ");
    source(out, rows);
}

/// A scorecard `Role calibration` row body.
pub fn calibration_row(out: &mut Out, d: &Dimension) {
    out.text("Meets the ");
    out.canon(&d.name.to_lowercase());
    out.text(" bar: ");
    quoted(out, &d.text);
    out.text("  →  ");
    target_by_date(out);
    out.text("   ");
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

/// The head of the `all` document (SPEC §2.2): the `Goal templates`
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
    out.text(" — ");
    out.canon(&ral.level.name);
}

/// `<title> — <R.title> — <L.code>`.
pub fn heading(out: &mut Out, title: &str, rows: &Rows) {
    out.text(title);
    out.text(" — ");
    out.canon(&rows.ral.role.title);
    out.text(" — ");
    out.canon(&rows.ral.level.code);
}
