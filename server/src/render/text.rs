//! The plain-text layout: the "Copy / print as text" blocks of the
//! goal-template page goalframe reproduces
//! (docs/frames.md) and the `all` document (docs/frames.md).

use super::out::Out;
use super::rows::Rows;
use super::template as t;
use super::Frame;

/// The `all` document: header, identity line, preamble, then each frame as
/// title, lead line and block.
pub fn document(out: &mut Out, rows: &Rows, frames: &[Frame]) {
    t::document_head(out, rows, "");
    for &f in frames {
        out.lit("\n\n");
        out.text(f.title());
        out.lit("\n\n");
        out.text(f.lead());
        out.lit("\n\n");
        frame(out, rows, f);
    }
}

/// One frame's block, with no trailing newline.
pub fn frame(out: &mut Out, rows: &Rows, f: Frame) {
    match f {
        Frame::Smart => smart(out, rows),
        Frame::Okr => okr(out, rows),
        Frame::Mbo => mbo(out, rows),
        Frame::Scorecard => scorecard(out, rows),
    }
}

fn smart(out: &mut Out, rows: &Rows) {
    for (i, item) in rows.smart.iter().enumerate() {
        out.group();
        if i > 0 {
            out.lit("\n\n");
        }
        out.lit(&format!("{}. ", i + 1));
        out.canon(item.responsibility);
        out.lit(t::LABEL_GAP);
        t::source(out, rows);
        out.lit(&format!(
            "\n   {:<W$}",
            t::SPECIFIC,
            W = t::SMART_LABEL_WIDTH
        ));
        t::specific(out, item.responsibility);
        out.lit(&format!(
            "\n   {:<W$}",
            t::MEASURABLE,
            W = t::SMART_LABEL_WIDTH
        ));
        t::measurable(out);
        if let Some(cx) = item.achievable {
            out.lit(&format!(
                "\n   {:<W$}",
                t::ACHIEVABLE_LABEL,
                W = t::SMART_LABEL_WIDTH
            ));
            t::achievable(out, cx);
        }
        out.lit(&format!(
            "\n   {:<W$}",
            t::RELEVANT,
            W = t::SMART_LABEL_WIDTH
        ));
        t::relevant(out, rows);
        out.lit(&format!(
            "\n   {:<W$}",
            t::TIME_BOUND,
            W = t::SMART_LABEL_WIDTH
        ));
        t::pieces(out, t::TIME_BOUND_ROW);
    }
}

fn okr(out: &mut Out, rows: &Rows) {
    for (i, item) in rows.okr.iter().enumerate() {
        if i > 0 {
            out.lit("\n\n");
        }
        out.lit(&format!("{} {}: ", t::OBJECTIVE, i + 1));
        out.canon(item.responsibility);
        out.lit(t::LABEL_GAP);
        t::source(out, rows);
        out.group();
        out.lit(&format!("\n  {} ", t::KR1));
        t::kr1(out, item.responsibility);
        if let Some(d) = item.kr2 {
            out.group();
            out.lit(&format!("\n  {} ", t::KR2));
            t::kr2(out, d);
        }
    }
}

fn mbo(out: &mut Out, rows: &Rows) {
    for (i, item) in rows.mbo.iter().enumerate() {
        out.group();
        if i > 0 {
            out.lit("\n\n");
        }
        out.lit(&format!("{}. {}: ", i + 1, t::AREA));
        out.canon(item.responsibility);
        out.lit(t::LABEL_GAP);
        t::mbo_source(out, rows);
        if let Some(ka) = item.standard {
            out.lit(&format!(
                "\n   {:<W$}",
                format!("{}:", t::STANDARD_LABEL),
                W = t::MBO_LABEL_WIDTH
            ));
            t::standard(out, ka);
        }
        out.lit(&format!(
            "\n   {:<W$}",
            format!("{}:", t::TARGET),
            W = t::MBO_LABEL_WIDTH
        ));
        t::pieces(out, t::MBO_DUE_ROW);
    }
}

fn scorecard(out: &mut Out, rows: &Rows) {
    let bullet = format!("\n{}", t::TEXT_BULLET);
    t::perspectives(out, rows, |out, title| out.lit(title), &bullet);
}
