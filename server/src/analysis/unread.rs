//! Headings that name a frame, role and level with other dashes between
//! their parts than the template's ` — ` (pandoc's own markdown writes
//! `---` for `—`; a heading typed by hand has `-`). They are not frame
//! headings, so the goals under them are not read: each is reported as
//! `unread-heading`, for `lint` and `export` alike, rather than lost
//! without a word.

use std::ops::Range;

use crate::diagnostic::Code;
use crate::render::template::SEP;
use crate::render::{Frame, ALL_TITLE};

use super::blocks::{near_heading, Block};
use super::{Analyzer, Edit, Finding, Fix};

/// pandoc's own markdown for `—` (its `smart` extension, on by default).
const PANDOC_EM_DASH: &str = "---";

/// The message and, where putting ` — ` back is all it takes, the fix of
/// an unread heading (`block.unread`) naming `whose` (`ae/P2`). `None`:
/// its line is not such a heading.
fn heading_problem(text: &str, block: &Block, whose: &str) -> Option<(String, Option<Fix>)> {
    let at = block.opener.start;
    let line = &text[block.opener.clone()];
    let near = near_heading(line)?;
    let title = near.frame.map_or(ALL_TITLE, Frame::title);
    let odd: Vec<&(Range<usize>, &str)> = near
        .gaps
        .iter()
        .filter(|(r, _)| &line[r.clone()] != SEP)
        .collect();
    let (_, dash) = odd.first()?;
    let what = format!("so it is not read as the {title} heading of `{whose}`, and the goals under it are not read");
    if near.gaps.iter().any(|(_, d)| *d == PANDOC_EM_DASH) {
        return Some((
            format!("this heading is written as pandoc's own markdown writes one (`{PANDOC_EM_DASH}` for `—`), {what}: convert the review again with `pandoc --to gfm --wrap=none`, which keeps `—`"),
            None,
        ));
    }
    let how = if *dash == SEP.trim() {
        format!("`{dash}` without one space each side")
    } else {
        format!("`{dash}` rather than ` — `")
    };
    let fix = Fix {
        title: "Separate the heading's parts with ` — `".to_string(),
        edits: odd
            .iter()
            .map(|(r, _)| Edit {
                range: at + r.start..at + r.end,
                new_text: SEP.to_string(),
            })
            .collect(),
    };
    Some((
        format!("this heading's parts are separated by {how}, {what}"),
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
