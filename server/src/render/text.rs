//! The plain-text layout: the seed page's "Copy / print as text" blocks
//! (SPEC §2.1) and the `all` document (SPEC §2.2).

use super::out::Out;
use super::rows::Rows;
use super::template as t;
use super::{Frame, Placeholder};

/// The §2.2 document: header, identity line, preamble, then each frame as
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

/// One frame's §2.1 block, with no trailing newline.
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
        out.lit("  ");
        t::source(out, rows);
        out.lit("\n   Specific:    ");
        t::specific(out, item.responsibility);
        out.lit("\n   Measurable:  ");
        t::measurable(out);
        if let Some(cx) = item.achievable {
            out.lit("\n   Achievable:  ");
            t::achievable(out, cx);
        }
        out.lit("\n   Relevant:    ");
        t::relevant(out, rows);
        out.lit("\n   Time-bound:  ");
        out.placeholder(Placeholder::Date);
    }
}

fn okr(out: &mut Out, rows: &Rows) {
    for (i, item) in rows.okr.iter().enumerate() {
        if i > 0 {
            out.lit("\n\n");
        }
        out.lit(&format!("Objective {}: ", i + 1));
        out.canon(item.responsibility);
        out.lit("  ");
        t::source(out, rows);
        out.group();
        out.lit("\n  KR1. ");
        t::kr1(out, item.responsibility);
        if let Some(d) = item.kr2 {
            out.group();
            out.lit("\n  KR2. ");
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
        out.lit(&format!("{}. Area: ", i + 1));
        out.canon(item.responsibility);
        out.lit("  ");
        t::mbo_source(out, rows);
        if let Some(ka) = item.standard {
            out.lit("\n   Standard: ");
            t::standard(out, ka);
        }
        out.lit("\n   Target:   ");
        out.placeholder(Placeholder::Target);
        out.lit("   Due: ");
        out.placeholder(Placeholder::Date);
    }
}

fn scorecard(out: &mut Out, rows: &Rows) {
    t::perspectives(out, rows, |out, title| out.lit(title), "\n  - ");
}
