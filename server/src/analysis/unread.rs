//! Headings that name a frame, role and level with other dashes between
//! their parts than the template's ` — ` (pandoc's own markdown writes
//! `---` for `—`; a heading typed by hand has `-`), or underlined rather
//! than marked with `#`s (old pandoc's own markdown), or indented as code.
//! They are not frame
//! headings, so the goals under them are not read: each is reported as
//! `unread-heading`, for `lint` and `export` alike, rather than lost
//! without a word.

use crate::diagnostic::Code;
use crate::render::template::SEP;
use crate::render::{Frame, ALL_TITLE};

use super::blocks::{near_heading, parse_heading_line, Block};
use super::{Analyzer, Edit, Finding, Fix};

/// pandoc's own markdown for `—` (its `smart` extension, on by default).
const PANDOC_EM_DASH: &str = "---";

/// The message and the fix of an unread heading (`block.unread`) naming
/// `whose` (`ae/P2`): ` — ` put back between its parts, a setext heading
/// written with `#`s. pandoc's own markdown gets no fix: the rest of it
/// is not read either. `None`: its line is not such a heading.
fn heading_problem(text: &str, block: &Block, whose: &str) -> Option<(String, Option<Fix>)> {
    let at = block.opener.start;
    let line = &text[block.opener.clone()];
    // A setext heading's underline, after the heading's line break.
    let underline = text[block.opener.end..block.range.end].trim();
    let (frame, gaps) = match parse_heading_line(line) {
        Some((frame, _, _)) => (frame, Vec::new()),
        None => {
            let near = near_heading(line)?;
            let odd = near
                .gaps
                .into_iter()
                .filter(|(r, _)| &line[r.clone()] != SEP);
            (near.frame, odd.collect())
        }
    };
    // A heading indented as code (`blocks::code_heading`).
    let indent = if super::blocks::indent_columns(line) >= 4 {
        line.len() - line.trim_start_matches([' ', '\t']).len()
    } else {
        0
    };
    if underline.is_empty() && gaps.is_empty() && indent == 0 {
        return None;
    }
    let title = frame.map_or(ALL_TITLE, Frame::title);
    let what = format!(
        "so it is not read as the {title} heading of `{whose}`, and the goals under it are not read"
    );
    if gaps.iter().any(|(_, d)| *d == PANDOC_EM_DASH) {
        return Some((
            format!("this heading is written as pandoc's own markdown writes one (`{PANDOC_EM_DASH}` for `—`), {what}: convert the review again with `pandoc --to gfm --wrap=none`, which keeps `—`"),
            None,
        ));
    }
    let mut edits = Vec::new();
    let mut wrong = Vec::new();
    if indent > 0 {
        wrong.push(
            "is indented four spaces or more, which markdown shows as code, not a heading"
                .to_string(),
        );
        edits.push(Edit {
            range: at..at + indent,
            new_text: String::new(),
        });
    }
    if !underline.is_empty() {
        let marks = if underline.starts_with('=') {
            "# "
        } else {
            "## "
        };
        wrong.push(format!("is underlined with `{}`", &underline[..1]));
        edits.push(Edit {
            range: at..at,
            new_text: marks.to_string(),
        });
    }
    if let Some((_, dash)) = gaps.first() {
        wrong.push(if *dash == SEP.trim() {
            format!("has `{dash}` between its parts without one space each side")
        } else {
            format!("has its parts separated by `{dash}` rather than ` — `")
        });
    }
    edits.extend(gaps.iter().map(|(r, _)| Edit {
        range: at + r.start..at + r.end,
        new_text: SEP.to_string(),
    }));
    if !underline.is_empty() {
        edits.push(Edit {
            range: block.opener.end..block.range.end,
            new_text: String::new(),
        });
    }
    let fix = Fix {
        safe: true,
        title: "Write the heading as the template does".to_string(),
        edits,
    };
    Some((
        format!("this heading {}, {what}", wrong.join(" and ")),
        Some(fix),
    ))
}

impl Analyzer<'_> {
    /// What is wrong with an unread block's heading ([`heading_problem`]),
    /// if the canon has the role and level it names (a heading naming
    /// none is not taken for a frame's).
    pub(super) fn unread_heading(
        &self,
        text: &str,
        block: &Block,
    ) -> Option<(String, Option<Fix>)> {
        let ral = self.canon.find_role_at(&block.role, &block.level)?;
        heading_problem(text, block, &format!("{}/{}", ral.role.id, ral.level.code))
    }

    /// The `unread-heading` finding, at its configured severity.
    pub(super) fn unread_finding(&self, text: &str, block: &Block) -> Option<Finding> {
        let (message, fix) = self.unread_heading(text, block)?;
        self.finding(
            Code::UnreadHeading,
            block.opener.clone(),
            message,
            fix.into_iter().collect(),
        )
    }
}
