//! Fixtures in the style of rust-analyzer's: a document written with its
//! marks in place — `$0` for the cursor, `⟦…⟧` around ranges — and
//! snapshots of what was found, drawn under the lines it was found on, for
//! `expect-test` (`UPDATE_EXPECT=1` rewrites the expectations in the test
//! sources, and the golden files through [`assert_golden`]).

use std::ops::Range;
use std::path::Path;

/// A document with its marks taken out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    pub text: String,
    /// Byte offset of `$0`, if the fixture has one.
    pub cursor: Option<usize>,
    /// Byte ranges marked `⟦…⟧`, in order.
    pub ranges: Vec<Range<usize>>,
}

impl Fixture {
    /// The cursor, which this fixture must have.
    pub fn cursor(&self) -> usize {
        self.cursor.expect("the fixture has a `$0` cursor")
    }
}

/// Takes `$0` (at most one) and `⟦…⟧` (not nested) out of `src`.
pub fn fixture(src: &str) -> Fixture {
    let mut text = String::with_capacity(src.len());
    let mut cursor = None;
    let mut ranges = Vec::new();
    let mut open = None;
    let mut rest = src;
    while let Some((i, c)) = rest
        .char_indices()
        .find(|&(i, c)| c == '⟦' || c == '⟧' || (c == '$' && rest[i..].starts_with("$0")))
    {
        text.push_str(&rest[..i]);
        let skip = match c {
            '$' => {
                assert!(cursor.is_none(), "two `$0` cursors in the fixture");
                cursor = Some(text.len());
                2
            }
            '⟦' => {
                assert!(open.is_none(), "nested `⟦` in the fixture");
                open = Some(text.len());
                c.len_utf8()
            }
            _ => {
                let start = open.take().expect("`⟧` without `⟦` in the fixture");
                ranges.push(start..text.len());
                c.len_utf8()
            }
        };
        rest = &rest[i + skip..];
    }
    assert!(open.is_none(), "`⟦` without `⟧` in the fixture");
    text.push_str(rest);
    Fixture {
        text,
        cursor,
        ranges,
    }
}

/// `text` with each span drawn under the line it starts on:
/// `^^^^ label` (carets counted in characters; a span running past its
/// line is drawn to the line's end). Lines without a span are kept, so a
/// snapshot reads like the document.
pub fn annotate(text: &str, spans: &[(Range<usize>, String)]) -> String {
    let mut spans: Vec<&(Range<usize>, String)> = spans.iter().collect();
    spans.sort_by_key(|s| (s.0.start, s.0.end));
    let mut out = String::new();
    let mut next = spans.iter().peekable();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        out.push_str(body);
        out.push('\n');
        while let Some(s) =
            next.next_if(|s| s.0.start < end || (s.0.start == end && end == text.len()))
        {
            let from = s.0.start - start;
            let to = (s.0.end - start).min(body.len()).max(from);
            let pad = body[..from.min(body.len())].chars().count();
            let width = body.get(from..to).map_or(0, |t| t.chars().count()).max(1);
            out.push_str(&format!(
                "{}{} {}\n",
                " ".repeat(pad),
                "^".repeat(width),
                s.1
            ));
        }
        start = end;
    }
    for s in next {
        out.push_str(&format!("^ {} (at the end)\n", s.1));
    }
    out
}

/// Whether this run rewrites expectations instead of checking them.
pub fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

/// Compares `actual` with the golden file `tests/golden/<name>` byte for
/// byte; with `UPDATE_EXPECT=1`, writes it instead.
pub fn assert_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/golden")
        .join(name);
    if updating() {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output first at line {}:\n  golden: {:?}\n  output: {:?}\n\
             (rerun with UPDATE_EXPECT=1 to rewrite the golden file, then review the diff)",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_come_out_and_say_where_they_were() {
        let f = fixture("a ⟦中文⟧ b$0 ⟦😀⟧");
        assert_eq!(f.text, "a 中文 b 😀");
        assert_eq!(f.cursor, Some("a 中文 b".len()));
        assert_eq!(&f.text[f.ranges[0].clone()], "中文");
        assert_eq!(&f.text[f.ranges[1].clone()], "😀");
        let shown = annotate(
            &f.text,
            &[
                (f.ranges[0].clone(), "x".into()),
                (f.ranges[1].clone(), "y".into()),
            ],
        );
        assert_eq!(shown, "a 中文 b 😀\n  ^^ x\n       ^ y\n");
    }
}
