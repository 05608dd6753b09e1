//! LSP positions ↔ byte offsets, in the negotiated encoding (LSP 3.17
//! `positionEncoding`): `utf-8` when the client offers it, else `utf-16`.
//! Every conversion in the server goes through here, and every one clamps:
//! a position past the end of a line or of the document is the end, never
//! a panic.

use goalframe::analysis::{Cursor, Lines};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// Picks `utf-8` if the client lists it, else the mandatory `utf-16`.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// The length of `s` in this encoding's code units.
    pub fn len(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            // One unit per character (std counts them a word at a time)
            // and a second for a character past U+FFFF (lead byte 0xF0 and
            // up), which only text that is not all ASCII can hold.
            Encoding::Utf16 => match s.chars().count() {
                n if n == s.len() => n,
                n => n + s.bytes().filter(|&b| b >= 0xF0).count(),
            },
        }
    }
}

/// The byte offset of `pos` in `text` (`lines` its index), clamped to the
/// line's end and the document's; a position inside a character (between
/// a surrogate pair's halves, inside a UTF-8 sequence) is its start. (An
/// edit splits a pair instead: `state::Doc::apply`.)
pub fn to_offset(text: &str, lines: &Lines, pos: Position, enc: Encoding) -> usize {
    locate(text, lines, pos, enc).0
}

/// [`to_offset`], and whether `pos` fell inside the character there.
pub fn locate(text: &str, lines: &Lines, pos: Position, enc: Encoding) -> (usize, bool) {
    let line = pos.line as usize;
    if line >= lines.count() {
        return (text.len(), false);
    }
    let range = lines.range(text, line);
    let wanted = pos.character as usize;
    if enc == Encoding::Utf8 {
        let mut at = range.start + wanted.min(range.len());
        let inside = !text.is_char_boundary(at);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        return (at, inside);
    }
    // A character's UTF-16 units counted at its first byte (a second one
    // for a lead byte of 0xF0 and up; none for a continuation byte). A
    // long line is passed over 64 bytes at a time while every character
    // starting in them ends by `wanted`: a keystroke at the end of a
    // 5 MB line decoded it a character at a time.
    let units_of = |b: u8| u8::from((b as i8) >= -64) + u8::from(b >= 0xF0);
    let bytes = &text.as_bytes()[range.clone()];
    let (mut units, mut from) = (0, 0);
    for chunk in bytes.chunks_exact(64) {
        // At most 128: summed in bytes, which the compiler vectorises.
        let n = usize::from(chunk.iter().fold(0u8, |n, &b| n + units_of(b)));
        if units + n > wanted {
            break;
        }
        units += n;
        from += chunk.len();
    }
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        let n = units_of(b);
        if n == 0 {
            continue; // inside a character
        }
        if units == wanted {
            return (range.start + i, false);
        }
        units += usize::from(n);
        if units > wanted {
            return (range.start + i, true);
        }
    }
    (range.end, false)
}

/// Whether `pos` is a place in its line (its end included), not past it
/// or past the document's end, where it would be clamped.
pub fn within_line(text: &str, lines: &Lines, pos: Position, enc: Encoding) -> bool {
    let line = pos.line as usize;
    line < lines.count() && pos.character as usize <= enc.len(&text[lines.range(text, line)])
}

/// Byte offsets → positions, counted on from the last one asked for (one
/// cursor for starts, one for ends): a document's findings, in order, cost
/// each line once however many share it; any other order costs the
/// line's length per position.
pub struct Positions<'a> {
    text: &'a str,
    lines: &'a Lines,
    enc: Encoding,
    starts: Cursor,
    ends: Cursor,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str, lines: &'a Lines, enc: Encoding) -> Positions<'a> {
        Positions {
            text,
            lines,
            enc,
            starts: Cursor::default(),
            ends: Cursor::default(),
        }
    }

    /// The range of bytes `r` (offsets clamped, and floored to a
    /// character).
    pub fn range(&mut self, r: std::ops::Range<usize>) -> tower_lsp_server::ls_types::Range {
        let start = Self::at(&mut self.starts, self.text, self.lines, self.enc, r.start);
        let end = Self::at(&mut self.ends, self.text, self.lines, self.enc, r.end);
        tower_lsp_server::ls_types::Range::new(start, end)
    }

    fn at(
        cursor: &mut Cursor,
        text: &str,
        lines: &Lines,
        enc: Encoding,
        offset: usize,
    ) -> Position {
        let (line, character) = cursor.position_in(lines, text, offset, |s| enc.len(s));
        Position::new(line as u32, character as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a😀b⟨target⟩\r\n中文 @ae/p2\nlast";

    #[test]
    fn round_trips_on_astral_and_cjk_text_in_both_encodings() {
        let lines = Lines::new(TEXT);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let mut positions = Positions::new(TEXT, &lines, enc);
            for (offset, _) in TEXT.char_indices() {
                if TEXT[..offset].ends_with('\r') {
                    continue; // inside a \r\n: not a position of its own
                }
                let p = positions.range(offset..offset).start;
                assert_eq!(
                    to_offset(TEXT, &lines, p, enc),
                    offset,
                    "{enc:?} {offset} {p:?}"
                );
            }
        }
        let mut utf16 = Positions::new(TEXT, &lines, Encoding::Utf16);
        let mut utf8 = Positions::new(TEXT, &lines, Encoding::Utf8);
        let at = TEXT.find('⟨').unwrap();
        assert_eq!(utf16.range(at..at).start, Position::new(0, 4));
        assert_eq!(utf8.range(at..at).start, Position::new(0, 6));
        let at = TEXT.find('@').unwrap();
        assert_eq!(utf16.range(at..at).start, Position::new(1, 3));
        assert_eq!(utf8.range(at..at).start, Position::new(1, 7));
        // Backwards too.
        assert_eq!(utf16.range(1..at).start, Position::new(0, 1));
    }

    /// Every position of lines long enough to be passed over in pieces
    /// lands where counting a character at a time lands, in both
    /// encodings, inside characters and past the end too.
    #[test]
    fn a_long_line_is_located_as_a_character_at_a_time_would() {
        fn slow(line: &str, wanted: usize, enc: Encoding) -> (usize, bool) {
            let mut units = 0;
            for (i, c) in line.char_indices() {
                if units == wanted {
                    return (i, false);
                }
                units += match enc {
                    Encoding::Utf8 => c.len_utf8(),
                    Encoding::Utf16 => c.len_utf16(),
                };
                if units > wanted {
                    return (i, true);
                }
            }
            (line.len(), false)
        }
        let pieces = ["a", "é", "中", "😀", "\u{10FFFF}", " ", "⟨x⟩"];
        let mut seed = 7u64;
        for _ in 0..60 {
            let mut line = String::new();
            for _ in 0..(seed % 300) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                line.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let text = format!("first\n{line}\r\nlast");
            let lines = Lines::new(&text);
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                for wanted in 0..enc.len(&line) + 3 {
                    let (at, inside) = slow(&line, wanted, enc);
                    let pos = Position::new(1, wanted as u32);
                    assert_eq!(
                        locate(&text, &lines, pos, enc),
                        (6 + at, inside),
                        "{enc:?} {wanted} {line:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn utf16_length_counts_surrogate_pairs() {
        for s in [
            "",
            "abc",
            "é",
            "中文",
            "😀",
            "a😀b⟨target⟩中\r\n",
            "\u{10FFFF}\u{FFFF}",
        ] {
            let want: usize = s.chars().map(char::len_utf16).sum();
            assert_eq!(Encoding::Utf16.len(s), want, "{s:?}");
            assert_eq!(Encoding::Utf8.len(s), s.len());
        }
    }

    #[test]
    fn clamps_out_of_range_and_mid_character_positions() {
        let lines = Lines::new(TEXT);
        let eol = TEXT.find('\r').unwrap();
        let offset = |l, c, enc| to_offset(TEXT, &lines, Position::new(l, c), enc);
        assert_eq!(offset(0, 999, Encoding::Utf16), eol);
        assert_eq!(offset(99, 0, Encoding::Utf8), TEXT.len());
        // Between the two halves of 😀's surrogate pair: the emoji's start.
        assert_eq!(offset(0, 2, Encoding::Utf16), 1);
        // Inside 😀's four bytes.
        assert_eq!(offset(0, 3, Encoding::Utf8), 1);
        let mut utf8 = Positions::new(TEXT, &lines, Encoding::Utf8);
        assert_eq!(utf8.range(10_000..10_000).end, Position::new(2, 4));
    }
}
