//! `duplicate-frame`: a block that repeats a frame of a role and level
//! that an earlier block of the document holds (the SMART frame pasted
//! twice, a draft kept above its final version). Its goals would reach
//! the HR system twice, and which copy is meant only the writer knows:
//! `lint` reports the later copy, and the export refuses the document
//! (with `--allow-incomplete`, it leaves the later copy out).
//!
//! Blocks of one frame are compared by the canon id their role's name
//! finds, as a marker writes it, and by their level without case: a copy
//! pasted from a rendered view lost its marker comment (`<!-- goalframe:
//! account-executive-field-sales/P2 smart -->`) and its heading names the
//! role by its title, and a marker typed by hand may name it by an alias
//! (`ae/p2`). A role the canon does not know is compared as written. An
//! `all` block's frames are its sections, which are not compared (a text
//! document is one such block).

use std::ops::Range;

use crate::canon::{same_code, Canon};
use crate::diagnostic::Code;
use crate::render::Frame;

use super::{Analyzer, Block, Finding, Lines};

/// Each block of `blocks` (`block` gives it) that repeats an earlier
/// one's frame, in block order: its index, its opener, and what is said
/// of it, by `lint` and `export` alike (whatever `lint`'s severity).
pub(super) fn repeated<T>(
    canon: &Canon,
    lines: &Lines,
    blocks: &[T],
    block: impl Fn(&T) -> &Block,
) -> Vec<(usize, Range<usize>, String)> {
    if blocks.len() < 2 {
        return Vec::new();
    }
    repeats(canon, blocks.iter().map(&block))
        .into_iter()
        .map(|(i, earlier)| {
            let (b, e) = (block(&blocks[i]), block(&blocks[earlier]));
            let message = repeat_message(b, lines.line_of(e.opener.start) + 1);
            (i, b.opener.clone(), message)
        })
        .collect()
}

/// A block's role and level, as compared.
type Names<'b> = (&'b str, &'b str);

/// For each block (by index) that repeats an earlier one's frame, the
/// index of the earliest such block, in block order.
fn repeats<'b>(canon: &'b Canon, blocks: impl Iterator<Item = &'b Block>) -> Vec<(usize, usize)> {
    // The role by the canon's id, which a rendered marker holds (a heading
    // names it by its title, a marker typed by hand perhaps by an alias);
    // the level as written, compared as the canon's codes are, without
    // case. A document names a few roles: each is looked up once.
    let mut seen: Vec<(&'b str, &'b str)> = Vec::new();
    let mut names = |b: &'b Block| -> Names<'b> {
        let written = b.role.as_str();
        let role = match seen.iter().find(|(w, _)| *w == written) {
            Some(&(_, id)) => id,
            None => {
                let id = canon.role(written).map_or(written, |r| r.id.as_str());
                seen.push((written, id));
                id
            }
        };
        (role, b.level.as_str())
    };
    // Each block's frame and names as one number, sorted: equal numbers
    // are compared by their names. (A document has a few dozen blocks:
    // sorting numbers costs a fraction of hashing or sorting the names.)
    let mut keys: Vec<(u64, usize, Option<Frame>, Names)> = blocks
        .enumerate()
        .filter(|(_, b)| !b.unread && b.frame.is_some())
        .map(|(i, b)| {
            let (role, level) = names(b);
            (fingerprint(b.frame, role, level), i, b.frame, (role, level))
        })
        .collect();
    if keys.len() < 2 {
        return Vec::new();
    }
    keys.sort_unstable_by_key(|&(f, i, _, _)| (f, i));
    let mut out = Vec::new();
    let mut run = 0;
    for (k, &(f, i, frame, who)) in keys.iter().enumerate() {
        if keys[run].0 != f {
            run = k;
        }
        // The earliest block of the same number, frame and names, if not
        // this one (found at once: numbers of other names hardly ever
        // meet).
        let earlier = keys[run..k]
            .iter()
            .find(|&&(_, _, g, w)| g == frame && w.0 == who.0 && same_code(w.1, who.1));
        if let Some(&(_, first, _, _)) = earlier {
            out.push((i, first));
        }
    }
    out.sort_unstable();
    out
}

/// A block's frame, role and level as a number: from their lengths and
/// their first and last bytes (names that differ mostly differ there;
/// equal numbers are compared in full). The level's bytes are folded as
/// ASCII letters' case is (`p2` and `P2` are one level).
fn fingerprint(frame: Option<Frame>, role: &str, level: &str) -> u64 {
    fn ends(s: &str, fold: u8) -> u64 {
        let s = s.as_bytes();
        let len = (s.len() as u64) << 56;
        let folds = u64::from_le_bytes([fold; 8]);
        match (s.first_chunk::<8>(), s.last_chunk::<8>()) {
            (Some(a), Some(z)) => {
                (u64::from_le_bytes(*a) | folds)
                    ^ (u64::from_le_bytes(*z) | folds).rotate_left(29)
                    ^ len
            }
            _ => s.iter().fold(len, |h, &x| h << 8 | u64::from(x | fold)),
        }
    }
    let frame = frame.map_or(0, |f| f as u64 + 1);
    (ends(role, 0).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ ends(level, 0x20)).rotate_left(7) ^ frame
}

impl Analyzer<'_> {
    /// The `duplicate-frame` findings of `blocks`, by block index, in
    /// block order: on the later block's opener.
    pub(super) fn repeated_findings<T>(
        &self,
        lines: &Lines,
        blocks: &[T],
        block: impl Fn(&T) -> &Block,
    ) -> Vec<(usize, Finding)> {
        repeated(self.canon, lines, blocks, block)
            .into_iter()
            .filter_map(|(i, range, message)| {
                self.finding(Code::DuplicateFrame, range, message, Vec::new())
                    .map(|f| (i, f))
            })
            .collect()
    }
}

/// What is said of `block`, which repeats the block at line `line`
/// (1-based).
fn repeat_message(block: &Block, line: usize) -> String {
    let title = block.frame.map_or("", Frame::title);
    format!(
        "this block repeats the {title} of `{}/{}` that the block at line {line} holds, so their goals would be exported twice; keep one copy",
        block.role, block.level
    )
}
