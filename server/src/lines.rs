//! The line index every part of goalframe places text by: byte offsets of
//! line starts, and line text without its `\n`, `\r\n` or `\r`. A lone
//! `\r` ends a line as in CommonMark and in the language server's
//! documents, so `lint`, the editor and a canon file's errors agree on old
//! Mac files too. A leaf: the canon, the analysis and the adapters use it.

/// Byte offsets where each line starts; built once per text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Default for Lines {
    /// The index of the empty text: one empty line.
    fn default() -> Lines {
        Lines {
            starts: vec![0],
            len: 0,
        }
    }
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        push_starts(text.as_bytes(), 0..text.len(), &mut starts);
        Lines {
            starts,
            len: text.len(),
        }
    }

    /// The index after `range` of the text it was built for was replaced
    /// by `new_len` bytes, `text` being the text after the edit: the lines
    /// before the edit are kept, those after it moved, and only the edit's
    /// own bytes searched (a keystroke in a 5 MB draft must not look at
    /// all of it again).
    pub fn edit(&mut self, text: &str, range: std::ops::Range<usize>, new_len: usize) {
        let (a, b) = (range.start, range.end);
        // A line start `s` is decided by the bytes at `s - 1` and `s` (a
        // `\r` ends a line unless a `\n` follows): starts before `a` stay,
        // and those after `b` only move.
        let keep = self.starts.partition_point(|&s| s < a).max(1);
        let tail = self.starts.partition_point(|&s| s <= b).max(keep);
        let bytes = text.as_bytes();
        let from = a.saturating_sub(1);
        let to = (a + new_len).min(bytes.len());
        let mut fresh = Vec::new();
        push_starts(bytes, from..to, &mut fresh);
        splice_offsets(&mut self.starts, keep..tail, fresh, b - a, new_len);
        self.len = text.len();
    }

    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// [`Lines::line_of`] for a caller visiting offsets in order: walks
    /// forward from line `from` (a few lines, where a search of the whole
    /// index would take a score of steps), searching only when `offset`
    /// lies before it.
    pub fn line_from(&self, from: usize, offset: usize) -> usize {
        if from >= self.starts.len() || self.starts[from] > offset {
            return self.line_of(offset);
        }
        let mut line = from;
        while line + 1 < self.starts.len() && self.starts[line + 1] <= offset {
            line += 1;
        }
        line
    }

    /// Byte range of line `i` without its line ending.
    pub fn range(&self, text: &str, i: usize) -> std::ops::Range<usize> {
        let start = self.starts[i];
        let mut end = self.starts.get(i + 1).map(|&n| n - 1).unwrap_or(self.len);
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    pub fn start(&self, i: usize) -> usize {
        self.starts[i]
    }

    /// Byte range of line `i` with its line ending (`\n`, `\r\n` or a
    /// lone `\r`; none on the last line): what taking the line out
    /// takes.
    pub fn with_break(&self, i: usize) -> std::ops::Range<usize> {
        self.starts[i]..self.starts.get(i + 1).copied().unwrap_or(self.len)
    }

    /// Line `i`'s line ending as written, or `\n` on the last line: what
    /// a line put in after it ends with.
    pub fn break_of<'t>(&self, text: &'t str, i: usize) -> &'t str {
        match &text[self.range(text, i).end..self.with_break(i).end] {
            "" => "\n",
            b => b,
        }
    }

    /// 0-based line and 0-based column in Unicode scalar values of byte
    /// `offset` (floored to a character boundary) — how the command line
    /// reports positions.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        (line, text[start..end].chars().count())
    }
}

/// The byte range of the line holding `offset`, without its line ending,
/// found from `offset` alone: for a caller holding a line or a short text
/// and no index. The same lines as [`Lines`] (`\n`, `\r\n` and a lone
/// `\r` end one).
pub fn line_around(text: &str, offset: usize) -> std::ops::Range<usize> {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    // A `\r` right before a `\n` is not a break of its own.
    let start = memchr::memrchr2_iter(b'\n', b'\r', &bytes[..offset])
        .find(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .map_or(0, |i| i + 1);
    let end = memchr::memchr2(b'\n', b'\r', &bytes[offset..]).map_or(bytes.len(), |i| offset + i);
    start..end
}

/// Pushes the start of each line that a break in `bytes[range]` ends: a
/// `\n`, or a `\r` not followed by one (the byte after is looked up in
/// all of `bytes`, past the range's end too).
fn push_starts(bytes: &[u8], range: std::ops::Range<usize>, out: &mut Vec<usize>) {
    let from = range.start;
    let part = &bytes[range];
    // Most text has no `\r` at all: one search proves it, and a search
    // for one byte is then quicker than for two.
    if memchr::memchr(b'\r', part).is_none() {
        out.extend(memchr::memchr_iter(b'\n', part).map(|i| from + i + 1));
    } else {
        out.extend(
            memchr::memchr2_iter(b'\n', b'\r', part)
                .map(|i| from + i)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
    }
}

/// An edit to a sorted list of offsets into a text whose `old_len` bytes
/// were replaced by `new_len`: `fresh` (the offsets found again around
/// the edit) take the place of `replaced`, and those after them move by
/// the change in length. The line index and the suppression comments'
/// offsets are kept this way.
pub(crate) fn splice_offsets(
    offsets: &mut Vec<usize>,
    replaced: std::ops::Range<usize>,
    fresh: Vec<usize>,
    old_len: usize,
    new_len: usize,
) {
    let moved = replaced.start + fresh.len();
    offsets.splice(replaced, fresh);
    if new_len != old_len {
        for s in &mut offsets[moved..] {
            *s = *s + new_len - old_len;
        }
    }
}

/// [`Lines::position`] for offsets visited mostly in order (a report's
/// findings): a column is counted on from the last one on the same line,
/// so many findings on one long line cost the line's length once, not
/// once each.
#[derive(Debug, Default, Clone)]
pub struct Cursor {
    /// The last (offset, line, column) found, if any.
    last: Option<(usize, usize, usize)>,
}

impl Cursor {
    /// 0-based line and column in Unicode scalar values, as
    /// [`Lines::position`].
    pub fn position(&mut self, lines: &Lines, text: &str, offset: usize) -> (usize, usize) {
        self.position_in(lines, text, offset, |s| s.chars().count())
    }

    /// 0-based line and column in the units `measure` counts in a piece
    /// of a line (UTF-16 code units for an LSP client, say).
    pub fn position_in(
        &mut self,
        lines: &Lines,
        text: &str,
        offset: usize,
        measure: impl Fn(&str) -> usize,
    ) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.last {
            Some((_, l, _)) => lines.line_from(l, offset),
            None => lines.line_of(offset),
        };
        let (from, column) = match self.last {
            Some((o, l, c)) if l == line && o <= offset => (o, c),
            _ => (lines.start(line), 0),
        };
        let column = column + measure(&text[from..offset]);
        self.last = Some((offset, line, column));
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_around_an_offset_is_the_index_line() {
        let mut rng = crate::analysis::testing::Rng::new(12);
        let alphabet = ["a", "\r", "\n", "\r\n", "中", "😀", " "];
        for _ in 0..3000 {
            let text: String = (0..rng.below(14))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let lines = Lines::new(&text);
            for offset in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                // Not inside a `\r\n`, which no line holds.
                if offset > 0 && text[..offset].ends_with('\r') && text[offset..].starts_with('\n')
                {
                    continue;
                }
                let want = lines.range(&text, lines.line_of(offset));
                assert_eq!(line_around(&text, offset), want, "{text:?} at {offset}");
            }
        }
    }

    #[test]
    fn an_edited_index_is_the_index_of_the_edited_text() {
        // Line breaks of every kind made and broken at the edit's edges:
        // `\r` then `\n` joined into one break, `\r\n` split in two.
        let mut rng = crate::analysis::testing::Rng::new(11);
        let alphabet = ["a", "\r", "\n", "\r\n", "中", "😀"];
        let pick = |rng: &mut crate::analysis::testing::Rng, n: usize| -> String {
            (0..n)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect()
        };
        for _ in 0..3000 {
            let n = rng.below(12);
            let mut text = pick(&mut rng, n);
            let mut lines = Lines::new(&text);
            for _ in 0..4 {
                let mut a = rng.below(text.len() + 1);
                let mut b = a + rng.below(text.len() + 1 - a);
                while !text.is_char_boundary(a) {
                    a -= 1;
                }
                while !text.is_char_boundary(b) {
                    b += 1;
                }
                let n = rng.below(4);
                let new = pick(&mut rng, n);
                text.replace_range(a..b, &new);
                lines.edit(&text, a..b, new.len());
                let fresh = Lines::new(&text);
                assert_eq!(
                    (&lines.starts, lines.len),
                    (&fresh.starts, fresh.len),
                    "{text:?} after replacing {a}..{b} with {new:?}"
                );
            }
        }
    }

    #[test]
    fn a_cursor_finds_what_position_finds_in_any_order() {
        let text = "a\n\nbc 😀 中文\r\nd\n\n😀 e\nlast";
        let lines = Lines::new(text);
        let offsets: Vec<usize> = (0..=text.len() + 1).collect();
        let mut order = offsets.clone();
        order.extend(offsets.iter().rev());
        order.extend(offsets.iter().step_by(3));
        let mut cursor = Cursor::default();
        for &o in &order {
            assert_eq!(
                cursor.position(&lines, text, o),
                lines.position(text, o),
                "{o}"
            );
        }
    }

    #[test]
    fn walking_forward_finds_the_line_a_search_finds() {
        let text = "a\n\nbc\r\nd\n\n😀 e\nlast";
        let lines = Lines::new(text);
        for from in 0..lines.count() + 2 {
            for offset in 0..=text.len() + 1 {
                assert_eq!(
                    lines.line_from(from, offset),
                    lines.line_of(offset),
                    "{from} {offset}"
                );
            }
        }
    }

    #[test]
    fn a_line_with_its_break_is_the_line_and_the_break_as_written() {
        let text = "a\nb\r\nc\rd";
        let lines = Lines::new(text);
        let taken: Vec<&str> = (0..lines.count())
            .map(|i| &text[lines.with_break(i)])
            .collect();
        assert_eq!(taken, ["a\n", "b\r\n", "c\r", "d"]);
        let breaks: Vec<&str> = (0..lines.count())
            .map(|i| lines.break_of(text, i))
            .collect();
        assert_eq!(breaks, ["\n", "\r\n", "\r", "\n"]);
    }
}
