//! Client-side text bookkeeping for the language-server tests: LSP
//! positions computed independently of the server (lines end at `\n`,
//! `\r\n` or `\r`; characters counted in UTF-8 bytes or UTF-16 code
//! units) and random edits.

use super::rng::Rng;

/// The position encoding a test client negotiated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
}

impl Enc {
    pub fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
        }
    }

    /// Length of `s` in this encoding's units.
    pub fn len(self, s: &str) -> usize {
        match self {
            Enc::Utf8 => s.len(),
            Enc::Utf16 => s.encode_utf16().count(),
        }
    }
}

/// Byte offsets where lines start (LSP: `\n`, `\r\n` and `\r` end lines).
pub fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
            }
            b'\r' | b'\n' => {
                starts.push(i + 1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    starts
}

/// The LSP position (line, character) of byte `offset`.
pub fn position(text: &str, offset: usize, enc: Enc) -> (u32, u32) {
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let ch = enc.len(&text[starts[line]..offset]);
    (line as u32, ch as u32)
}

/// The byte offset of an exact (valid) LSP position.
pub fn offset(text: &str, line: u32, character: u32, enc: Enc) -> usize {
    let starts = line_starts(text);
    let start = starts[line as usize];
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units == character as usize {
            return start + i;
        }
        assert!(
            c != '\n' && c != '\r',
            "position {line}:{character} is past its line"
        );
        units += match enc {
            Enc::Utf8 => c.len_utf8(),
            Enc::Utf16 => c.len_utf16(),
        };
    }
    assert_eq!(units, character as usize, "position inside a character");
    text.len()
}

/// Offsets a client may put a cursor at: character boundaries, except
/// between the `\r` and `\n` of a `\r\n`.
pub fn valid_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .filter(|&i| !(i > 0 && text.as_bytes()[i - 1] == b'\r' && text[i..].starts_with('\n')))
        .collect()
}

/// What random edits insert: astral emoji (surrogate pairs in UTF-16),
/// CJK (3 UTF-8 bytes), ASCII, both line endings, placeholder brackets.
pub const PIECES: &[&str] = &[
    "😀", "中文", "a", "bc", " ", "\n", "\r\n", "⟨x⟩", "⟨", "⟩", "é", "@ae/p2", "🎉x", "\r",
];

/// One incremental edit: replace `start..end` (positions in the text
/// before the edit) with `text`.
#[derive(Debug, Clone)]
pub struct RandomEdit {
    pub start: (u32, u32),
    pub end: (u32, u32),
    pub text: String,
}

/// Picks an insert, delete or replacement at random valid positions of
/// `doc`, applies it to `doc` and returns it in `enc` positions.
pub fn random_edit(rng: &mut Rng, doc: &mut String, enc: Enc) -> RandomEdit {
    random_edit_with(rng, doc, enc, PIECES)
}

/// [`random_edit`] inserting from `pieces`.
pub fn random_edit_with(rng: &mut Rng, doc: &mut String, enc: Enc, pieces: &[&str]) -> RandomEdit {
    let offsets = valid_offsets(doc);
    let i = rng.below(offsets.len());
    let kind = rng.below(3); // 0 insert, 1 delete, 2 replace
    let j = if kind == 0 {
        i
    } else {
        (i + 1 + rng.below(6)).min(offsets.len() - 1)
    };
    let (a, b) = (offsets[i], offsets[j]);
    let mut text = String::new();
    if kind != 1 {
        for _ in 0..1 + rng.below(3) {
            text.push_str(pieces[rng.below(pieces.len())]);
        }
    }
    let edit = RandomEdit {
        start: position(doc, a, enc),
        end: position(doc, b, enc),
        text,
    };
    doc.replace_range(a..b, &edit.text);
    edit
}

/// A position as (line, character).
pub type Pos = (u32, u32);

/// Applies LSP text edits (ranges in `enc`, relative to the original
/// text, non-overlapping) to `text`.
pub fn apply_edits(text: &str, edits: &[(Pos, Pos, String)], enc: Enc) -> String {
    let mut byte_edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|(s, e, t)| {
            (
                offset(text, s.0, s.1, enc),
                offset(text, e.0, e.1, enc),
                t.as_str(),
            )
        })
        .collect();
    byte_edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (a, b, t) in byte_edits {
        out.replace_range(a..b, t);
    }
    out
}

/// (code, start, end) of a diagnostic, positions in the client's encoding.
pub type Judged = (String, (u32, u32), (u32, u32));

/// What the core analysis says of a plain-text document with the default
/// canon and settings, as LSP positions: what the server must publish.
pub fn core_diagnostics(doc: &str, enc: Enc) -> Vec<Judged> {
    let canon = goalframe::canon::load_embedded().expect("default canon");
    let settings = goalframe::config::Settings::default();
    goalframe::analysis::analyze(doc, goalframe::analysis::DocKind::Text, &canon, &settings)
        .iter()
        .map(|f| {
            (
                f.code.as_str().to_string(),
                position(doc, f.range.start, enc),
                position(doc, f.range.end, enc),
            )
        })
        .collect()
}

/// The diagnostic for a `⟨end⟩` placeholder closing `doc`.
pub fn end_placeholder(doc: &str, enc: Enc) -> Judged {
    (
        "unfilled-placeholder".to_string(),
        position(doc, doc.len() - "⟨end⟩".len(), enc),
        position(doc, doc.len(), enc),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_follow_lsp_line_endings_and_units() {
        let t = "😀中文 ⟨target⟩\r\nb\rc\n";
        let at = t.find('⟨').unwrap();
        assert_eq!(position(t, at, Enc::Utf16), (0, 5));
        assert_eq!(position(t, at, Enc::Utf8), (0, 11));
        assert_eq!(position(t, t.find('b').unwrap(), Enc::Utf8), (1, 0));
        assert_eq!(position(t, t.find('c').unwrap(), Enc::Utf8), (2, 0));
        assert_eq!(position(t, t.len(), Enc::Utf16), (3, 0));
        for enc in [Enc::Utf8, Enc::Utf16] {
            for o in valid_offsets(t) {
                let (l, c) = position(t, o, enc);
                assert_eq!(offset(t, l, c, enc), o);
            }
        }
    }
}
