//! The markdown layout (docs/frames.md): CommonMark + GFM that renders to the
//! same words as the text form. Every frame opens with its marker comment
//! so the analysis knows the role and level of the rows below it.

use super::out::Out;
use super::rows::Rows;
use super::template as t;
use super::{Frame, Placeholder};

/// The `all` document: a top heading, the identity line, the preamble,
/// then every frame one heading level down.
pub fn document(out: &mut Out, rows: &Rows, frames: &[Frame]) {
    t::document_head(out, rows, "# ");
    for &f in frames {
        out.lit("\n\n");
        frame(out, rows, f, 2);
    }
}

/// One frame: marker, heading at `level`, lead line in italics, block.
pub fn frame(out: &mut Out, rows: &Rows, f: Frame, level: usize) {
    out.lit(&super::marker(&rows.ral, f));
    out.lit("\n");
    out.lit(&"#".repeat(level));
    out.lit(" ");
    t::heading(out, f.title(), rows);
    out.lit("\n\n*");
    out.text(f.lead());
    out.lit("*\n\n");
    match f {
        Frame::Smart => smart(out, rows),
        Frame::Okr => okr(out, rows),
        Frame::Mbo => mbo(out, rows),
        Frame::Scorecard => scorecard(out, rows, level + 1),
    }
}

/// Starts ordered item `i` (1-based) and returns the indent its nested
/// rows need: the marker's width plus one space.
fn item(out: &mut Out, i: usize) -> String {
    let marker = format!("{i}. ");
    out.lit(&marker);
    " ".repeat(marker.len())
}

/// Starts a nested row: its bullet and its label in bold, on a line of
/// its own under its item.
fn label(out: &mut Out, pad: &str, label: &str) {
    let strong = t::STRONG_MARKS[0];
    out.lit(&format!(
        "\n{pad}{}{strong}{label}{strong} ",
        t::MARKDOWN_BULLET
    ));
}

fn smart(out: &mut Out, rows: &Rows) {
    for (i, item_rows) in rows.smart.iter().enumerate() {
        out.group();
        if i > 0 {
            out.lit("\n\n");
        }
        let pad = item(out, i + 1);
        out.canon(item_rows.responsibility);
        out.lit(t::LABEL_GAP);
        t::source(out, rows);
        label(out, &pad, t::SPECIFIC);
        t::specific(out, item_rows.responsibility);
        label(out, &pad, t::MEASURABLE);
        t::measurable(out);
        if let Some(cx) = item_rows.achievable {
            label(out, &pad, t::ACHIEVABLE_LABEL);
            t::achievable(out, cx);
        }
        label(out, &pad, t::RELEVANT);
        t::relevant(out, rows);
        label(out, &pad, t::TIME_BOUND);
        t::pieces(out, t::TIME_BOUND_ROW);
    }
}

fn okr(out: &mut Out, rows: &Rows) {
    for (i, item_rows) in rows.okr.iter().enumerate() {
        if i > 0 {
            out.lit("\n\n");
        }
        let pad = item(out, i + 1);
        out.canon(item_rows.responsibility);
        out.lit(t::LABEL_GAP);
        t::source(out, rows);
        out.group();
        label(out, &pad, t::KR1);
        t::kr1(out, item_rows.responsibility);
        if let Some(d) = item_rows.kr2 {
            out.group();
            label(out, &pad, t::KR2);
            t::kr2(out, d);
        }
    }
}

fn mbo(out: &mut Out, rows: &Rows) {
    out.lit(&format!("{}\n{}", t::mbo_header(), t::mbo_rule()));
    for item in &rows.mbo {
        out.group();
        out.lit("\n| ");
        out.canon(item.responsibility);
        out.lit(" | ");
        if let Some(ka) = item.standard {
            t::standard(out, ka);
        }
        out.lit(" | ");
        out.placeholder(Placeholder::Target);
        out.lit(" | ");
        out.placeholder(Placeholder::Date);
        out.lit(" |");
    }
}

fn scorecard(out: &mut Out, rows: &Rows, level: usize) {
    let hashes = "#".repeat(level);
    t::perspectives(
        out,
        rows,
        |out, title| out.lit(&format!("{hashes} {title}\n")),
        &format!("\n{}", t::MARKDOWN_BULLET),
    );
}
