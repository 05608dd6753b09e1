//! What the analysis needs to know of markdown structure: where code is
//! (code spans, fenced and indented code blocks are documentation, never
//! goals), found by a real CommonMark parser rather than guessed.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Sorted, disjoint byte ranges of code in a markdown document.
pub fn code_ranges(text: &str) -> Vec<Range<usize>> {
    if !may_have_code(text) {
        return Vec::new();
    }
    parse(text, 0).code
}

/// Code can only exist where a backtick, a tilde fence or an indented
/// line is; most goal documents have none of them, so the parse is skipped.
pub fn may_have_code(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2(b'`', b'~', bytes).is_some()
        || memchr::memmem::find(bytes, b"\n    ").is_some()
        || memchr::memchr(b'\t', bytes).is_some()
}

/// What one parse of a document (or of a slice of it that starts where
/// the whole document's parse starts a top-level block) found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Code ranges, sorted and disjoint, in document offsets.
    pub code: Vec<Range<usize>>,
    /// Sync points: offsets where a top-level block starts at column 0
    /// of a line that follows a blank line. Every container and leaf
    /// block is closed there, so a parse that starts at a sync point sees
    /// exactly what the whole document's parse sees from it on — what
    /// lets an edit re-parse only the region around it.
    pub syncs: Vec<usize>,
}

/// Parses `slice`, which starts at document offset `base`.
pub fn parse(slice: &str, base: usize) -> Parsed {
    let mut out = Parsed::default();
    let mut depth = 0usize;
    let mut code_depth = 0usize;
    for (event, range) in Parser::new_ext(
        slice,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .into_offset_iter()
    {
        let top = depth == 0;
        match &event {
            Event::Start(tag) => {
                if top && is_sync(slice, range.start) {
                    out.syncs.push(base + range.start);
                }
                if matches!(tag, Tag::CodeBlock(_)) {
                    if code_depth == 0 {
                        out.code.push(base + range.start..base + range.end);
                    }
                    code_depth += 1;
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if matches!(end, pulldown_cmark::TagEnd::CodeBlock) {
                    code_depth = code_depth.saturating_sub(1);
                }
            }
            Event::Rule if top && is_sync(slice, range.start) => out.syncs.push(base + range.start),
            Event::Code(_) if code_depth == 0 => {
                out.code.push(base + range.start..base + range.end)
            }
            _ => {}
        }
    }
    out.code.sort_by_key(|r| r.start);
    out
}

/// Whether a block starting at `at` starts a line, at column 0, after a
/// blank line (or at the start of the text).
pub fn is_sync(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    if at >= bytes.len() || matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
        return false;
    }
    if at == 0 {
        return true;
    }
    if bytes[at - 1] != b'\n' {
        return false;
    }
    // The line before: blank (only spaces and tabs) and itself preceded
    // by a line break (or the start).
    let before = &bytes[..at - 1];
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    before[line_start..]
        .iter()
        .all(|&b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// Undoes the escaping goalframe's markdown form applies to canon text
/// (backslash escapes of ASCII punctuation and the few character
/// references it writes), so quoted text compares with the canon.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            if let Some(&(_, n)) = chars.peek() {
                if n.is_ascii_punctuation() {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        } else if c == '&' {
            let rest = &s[i..];
            if let Some((entity, ch)) = [
                ("&#32;", ' '),
                ("&amp;", '&'),
                ("&lt;", '<'),
                ("&gt;", '>'),
                ("&quot;", '"'),
            ]
            .iter()
            .find(|(e, _)| rest.starts_with(e))
            {
                out.push(*ch);
                for _ in 1..entity.len() {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Whether `offset` falls inside one of the sorted `ranges`.
pub fn inside(ranges: &[Range<usize>], offset: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= offset);
    ranges.get(i).is_some_and(|r| r.start <= offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_spans_and_fences() {
        let t = "a `⟨x⟩` b\n\n```\n⟨y⟩\n```\n\n⟨z⟩\n";
        let r = code_ranges(t);
        assert_eq!(r.len(), 2);
        assert!(inside(&r, t.find("⟨x⟩").unwrap()));
        assert!(inside(&r, t.find("⟨y⟩").unwrap()));
        assert!(!inside(&r, t.find("⟨z⟩").unwrap()));
    }

    #[test]
    fn unescape_reverses_escape() {
        for s in [
            "a*b_c [d] <e> | `f` \\ g & h # $",
            "- lead",
            "12. x",
            " pad ",
        ] {
            assert_eq!(unescape(&crate::render::markdown_escape(s)), s);
        }
    }
}
