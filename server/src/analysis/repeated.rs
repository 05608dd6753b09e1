//! `duplicate-frame`: a block that repeats a frame of a role and level
//! that an earlier block of the document holds (the SMART frame pasted
//! twice, a draft kept above its final version). Its goals would reach
//! the HR system twice, and which copy is meant only the writer knows:
//! `lint` reports the later copy, and the export refuses the document
//! (with `--allow-incomplete`, it leaves the later copy out).
//!
//! Blocks of one frame are compared by the role and level as written: a
//! pasted copy is written the same. An `all` block's frames are its
//! sections, which are not compared (a text document is one such block).

use std::ops::Range;

use crate::diagnostic::Code;
use crate::render::Frame;

use super::{Analyzer, Block, Finding, Lines};

/// Each block of `blocks` (`block` gives it) that repeats an earlier
/// one's frame, in block order: its index, its opener, and what is said
/// of it, by `lint` and `export` alike (whatever `lint`'s severity).
pub(super) fn repeated<T>(
    lines: &Lines,
    blocks: &[T],
    block: impl Fn(&T) -> &Block,
) -> Vec<(usize, Range<usize>, String)> {
    if blocks.len() < 2 {
        return Vec::new();
    }
    repeats(blocks.iter().map(&block))
        .into_iter()
        .map(|(i, earlier)| {
            let (b, e) = (block(&blocks[i]), block(&blocks[earlier]));
            let message = repeat_message(b, lines.line_of(e.opener.start) + 1);
            (i, b.opener.clone(), message)
        })
        .collect()
}

/// For each block (by index) that repeats an earlier one's frame, the
/// index of the earliest such block, in block order.
fn repeats<'b>(blocks: impl Iterator<Item = &'b Block>) -> Vec<(usize, usize)> {
    // Each block's frame and names as one number, sorted: equal numbers
    // are compared by their names. (A document has a few dozen blocks:
    // sorting numbers costs a fraction of hashing or sorting the names.)
    let mut keys: Vec<(u64, usize, &Block)> = blocks
        .enumerate()
        .filter(|(_, b)| !b.unread && b.frame.is_some())
        .map(|(i, b)| (fingerprint(b), i, b))
        .collect();
    if keys.len() < 2 {
        return Vec::new();
    }
    keys.sort_unstable_by_key(|&(f, i, _)| (f, i));
    let same = |a: &Block, b: &Block| a.frame == b.frame && a.role == b.role && a.level == b.level;
    let mut out = Vec::new();
    let mut run = 0;
    for (k, &(f, i, b)) in keys.iter().enumerate() {
        if keys[run].0 != f {
            run = k;
        }
        // The earliest block of the same number and names, if not this
        // one (found at once: numbers of other names hardly ever meet).
        let earlier = keys[run..k].iter().find(|(_, _, a)| same(a, b));
        if let Some(&(_, first, _)) = earlier {
            out.push((i, first));
        }
    }
    out.sort_unstable();
    out
}

/// A block's frame, role and level as written, as a number: from their
/// lengths and their first and last bytes (names that differ mostly
/// differ there; equal numbers are compared in full).
fn fingerprint(b: &Block) -> u64 {
    fn ends(s: &str) -> u64 {
        let s = s.as_bytes();
        let len = (s.len() as u64) << 56;
        match (s.first_chunk::<8>(), s.last_chunk::<8>()) {
            (Some(a), Some(z)) => {
                u64::from_le_bytes(*a) ^ u64::from_le_bytes(*z).rotate_left(29) ^ len
            }
            _ => s.iter().fold(len, |h, &x| h << 8 | u64::from(x)),
        }
    }
    let frame = b.frame.map_or(0, |f| f as u64 + 1);
    (ends(&b.role).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ ends(&b.level)).rotate_left(7) ^ frame
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
        repeated(lines, blocks, block)
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
