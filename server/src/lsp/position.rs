//! LSP positions ↔ byte offsets, in the negotiated encoding (LSP 3.17
//! `positionEncoding`): `utf-8` when the client offers it, else `utf-16`.
//! Every conversion in the server goes through here, and every one clamps:
//! a position past the end of a line or of the document is the end, never
//! a panic.

use ropey::{Rope, RopeSlice};
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
}

/// Characters of a line's ending (`\n`, `\r\n` or `\r`).
fn eol_chars(line: RopeSlice) -> usize {
    let n = line.len_chars();
    match (
        n.checked_sub(2).map(|i| line.char(i)),
        n.checked_sub(1).map(|i| line.char(i)),
    ) {
        (Some('\r'), Some('\n')) => 2,
        (_, Some('\n' | '\r')) => 1,
        _ => 0,
    }
}

/// The byte offset of `pos`, clamped to the line's end and the document's.
pub fn to_offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start_char = rope.line_to_char(line);
    let slice = rope.line(line);
    let end_char = start_char + slice.len_chars() - eol_chars(slice);
    let char_idx = match enc {
        Encoding::Utf16 => {
            let start = rope.char_to_utf16_cu(start_char);
            let end = rope.char_to_utf16_cu(end_char);
            rope.utf16_cu_to_char((start + pos.character as usize).min(end))
        }
        Encoding::Utf8 => {
            let start = rope.char_to_byte(start_char);
            let end = rope.char_to_byte(end_char);
            // Inside a multi-byte character: the character's start.
            rope.byte_to_char((start + pos.character as usize).min(end))
        }
    };
    rope.char_to_byte(char_idx.min(end_char))
}

/// The position of byte `offset` (clamped, and floored to a character).
pub fn to_position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let char_idx = rope.byte_to_char(offset.min(rope.len_bytes()));
    let line = rope.char_to_line(char_idx);
    let line_start = rope.line_to_char(line);
    let character = match enc {
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.char_to_byte(line_start),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start),
    };
    Position::new(line as u32, character as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a😀b⟨target⟩\r\n中文 @ae/p2\nlast";

    #[test]
    fn round_trips_on_astral_and_cjk_text_in_both_encodings() {
        let rope = Rope::from_str(TEXT);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for (offset, _) in TEXT.char_indices() {
                if TEXT[..offset].ends_with('\r') {
                    continue; // inside a \r\n: not a position of its own
                }
                let p = to_position(&rope, offset, enc);
                assert_eq!(to_offset(&rope, p, enc), offset, "{enc:?} {offset} {p:?}");
            }
        }
        let at = TEXT.find('⟨').unwrap();
        assert_eq!(to_position(&rope, at, Encoding::Utf16), Position::new(0, 4));
        assert_eq!(to_position(&rope, at, Encoding::Utf8), Position::new(0, 6));
        let at = TEXT.find('@').unwrap();
        assert_eq!(to_position(&rope, at, Encoding::Utf16), Position::new(1, 3));
        assert_eq!(to_position(&rope, at, Encoding::Utf8), Position::new(1, 7));
    }

    #[test]
    fn clamps_out_of_range_and_mid_character_positions() {
        let rope = Rope::from_str(TEXT);
        let eol = TEXT.find('\r').unwrap();
        assert_eq!(
            to_offset(&rope, Position::new(0, 999), Encoding::Utf16),
            eol
        );
        assert_eq!(
            to_offset(&rope, Position::new(99, 0), Encoding::Utf8),
            TEXT.len()
        );
        // Between the two halves of 😀's surrogate pair: the emoji's start.
        assert_eq!(to_offset(&rope, Position::new(0, 2), Encoding::Utf16), 1);
        // Inside 😀's four bytes.
        assert_eq!(to_offset(&rope, Position::new(0, 3), Encoding::Utf8), 1);
        assert_eq!(
            to_position(&rope, 10_000, Encoding::Utf8),
            Position::new(2, 4)
        );
    }
}
