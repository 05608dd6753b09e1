//! Scanning helpers the analysis passes share: the next occurrence of a
//! needle for points asked for in order, and quick white space trimming.

/// The next occurrence of a needle at or after points asked for mostly
/// in order (the next line break, the `-->` that closes a comment): found
/// once and kept until a point passes it, so a text of many points costs
/// its length once, not once for each point.
pub(super) struct Ahead<'t> {
    hay: &'t [u8],
    finder: memchr::memmem::Finder<'static>,
    /// The last search's start and what it found (`None`: nothing after).
    last: Option<(usize, Option<usize>)>,
}

impl<'t> Ahead<'t> {
    pub(super) fn new(hay: &'t [u8], needle: &'static [u8]) -> Ahead<'t> {
        Ahead {
            hay,
            finder: memchr::memmem::Finder::new(needle),
            last: None,
        }
    }

    /// Where the needle next starts at or after `from`.
    pub(super) fn at_or_after(&mut self, from: usize) -> Option<usize> {
        match self.last {
            Some((start, None)) if start <= from => return None,
            Some((start, Some(found))) if start <= from && found >= from => return Some(found),
            _ => {}
        }
        let found = self
            .finder
            .find(&self.hay[from.min(self.hay.len())..])
            .map(|i| from + i);
        self.last = Some((from, found));
        found
    }
}

/// `s.trim_start()` (Unicode white space), quicker for the usual line,
/// which starts with ASCII: its ASCII white space is skipped a byte at a
/// time, and characters are decoded only past it.
pub(super) fn trim_start(s: &str) -> &str {
    let b = s.as_bytes();
    let i = b.iter().position(|&c| !is_white_byte(c)).unwrap_or(b.len());
    match b.get(i) {
        Some(&c) if c >= 0x80 => s[i..].trim_start(),
        _ => &s[i..],
    }
}

/// Whether an ASCII byte is white space as `char::is_whitespace` has it
/// (vertical tab included, unlike `u8::is_ascii_whitespace`).
pub(super) fn is_white_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_as_the_standard_trim_does() {
        for s in [
            "",
            " ",
            "  x",
            "\t\x0b\x0c\r\n y",
            "\u{a0}z",
            " \u{3000}\u{2003} w ",
            "é",
            " \u{85}q",
            "\u{200b} zero width is no white space",
            "|a|",
            "   - **KR1.**",
        ] {
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
        }
    }
}
