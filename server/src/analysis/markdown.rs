//! What the analysis needs to know of markdown structure: where code is
//! (code spans, fenced and indented code blocks are documentation, never
//! goals), found by a real CommonMark parser rather than guessed.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Sorted, disjoint byte ranges of code in a markdown document.
pub fn code_ranges(text: &str) -> Vec<Range<usize>> {
    // Code can only exist where a backtick, a tilde fence or an indented
    // line is; most goal documents have none of them, so skip the parse.
    let bytes = text.as_bytes();
    if memchr::memchr2(b'`', b'~', bytes).is_none()
        && memchr::memmem::find(bytes, b"\n    ").is_none()
        && memchr::memchr(b'\t', bytes).is_none()
    {
        return Vec::new();
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut depth = 0usize;
    for (event, range) in
        Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
            .into_offset_iter()
    {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                if depth == 0 {
                    out.push(range);
                }
                depth += 1;
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => depth = depth.saturating_sub(1),
            Event::Code(_) if depth == 0 => out.push(range),
            _ => {}
        }
    }
    out.sort_by_key(|r| r.start);
    out
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
