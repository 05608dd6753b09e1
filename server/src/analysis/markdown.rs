//! What the analysis needs to know of markdown structure: where code is
//! (code spans, fenced and indented code blocks are documentation, never
//! goals), found by a real CommonMark parser rather than guessed.

use std::ops::Range;

use super::scan::Ahead;
use crate::lines::Lines;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Sorted, disjoint byte ranges of code in a markdown document: what one
/// CommonMark parse of the whole text finds, but only the stretches that
/// can hold code are parsed (a review's code is a few spans among
/// megabytes of prose and tables; see [`stretches`]).
pub fn code_ranges(text: &str, lines: &Lines) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // Sorted and disjoint: each is parsed once.
    for stretch in stretches(text, lines) {
        let start = stretch.start;
        let slice = &text[start..stretch.end];
        let parsed = parse(slice, start);
        let open = stretch.end < text.len() && parsed.open_at_end;
        // A link reference definition in a stretch can turn a bracketed
        // label with a backtick elsewhere into a link, and a fence or a
        // raw HTML block left open runs over the following paragraphs: in
        // both cases what follows depends on this stretch, so the rest of
        // the document is parsed with it.
        if open || memchr::memmem::find(slice.as_bytes(), b"]:").is_some() {
            out.extend(parse(&text[start..], start).code);
            return out;
        }
        out.extend(parsed.code);
    }
    out
}

/// The stretches of `text` that need a CommonMark parse to know where
/// code is, sorted and disjoint: groups of whole paragraphs between sync points (a line
/// at column 0 after a blank line, see [`is_sync`]) holding a byte that
/// code needs (a backtick, a `~` fence, a tab, a carriage return alone)
/// or a construct that can hide what follows it from the parser (four
/// spaces of indentation, a raw HTML block that may run past a blank line:
/// `<!--` without `-->` on its line, `<!`, `<?`, `<script`, `<pre`,
/// `<style`, `<textarea`).
///
/// Everything outside them is code-free and leaves the parser where a
/// fresh parse starts: a line at column 0 after a blank line closes every
/// container, and none of those constructs is in them. Stretches that
/// touch are merged; [`code_ranges`] widens one to the end of the text
/// when its parse shows something left open.
pub fn stretches(text: &str, lines: &Lines) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out: Vec<Range<usize>> = Vec::new();
    for at in risky_offsets(bytes, lines) {
        if out.last().is_some_and(|r| at < r.end) {
            continue;
        }
        let start = sync_before(text, at);
        let end = sync_after(text, at);
        match out.last_mut() {
            Some(last) if last.end >= start => last.end = end,
            _ => out.push(start..end),
        }
    }
    out
}

/// Offsets of the bytes that make a paragraph group need a parse (see
/// [`stretches`]), sorted.
fn risky_offsets(bytes: &[u8], lines: &Lines) -> Vec<usize> {
    let mut out: Vec<usize> = memchr::memchr3_iter(b'`', b'~', b'\t', bytes).collect();
    out.extend(memchr::memchr_iter(b'\r', bytes).filter(|&i| bytes.get(i + 1) != Some(&b'\n')));
    // Four spaces before a line's text (after any container markers):
    // indented code, or something that must not be guessed at. Found from
    // each line's start: a search for four spaces stops at every pair of
    // spaces three apart, which English has every few words.
    for i in 0..lines.count() {
        let mut spaces = 0;
        for (at, &b) in bytes.iter().enumerate().skip(lines.start(i)) {
            match b {
                b' ' => spaces += 1,
                b'>' | b'-' | b'*' | b'+' | b'.' | b')' | b'0'..=b'9' => spaces = 0,
                _ => break,
            }
            if spaces == 4 {
                out.push(at - 3);
                break;
            }
        }
    }
    // Kept between openings: a line of many `<!--` costs its length once.
    let (mut breaks, mut closes) = (Ahead::new(bytes, b"\n"), Ahead::new(bytes, b"-->"));
    for at in memchr::memchr_iter(b'<', bytes) {
        let rest = &bytes[at + 1..];
        let risky = if rest.starts_with(b"!--") {
            let line_end = breaks.at_or_after(at).unwrap_or(bytes.len());
            // Closed on its own line: a comment, no block to worry about.
            closes.at_or_after(at + 4).is_none_or(|c| c + 3 > line_end)
        } else if rest.starts_with(b"!") || rest.starts_with(b"?") {
            true
        } else {
            ["script", "pre", "style", "textarea"].iter().any(|tag| {
                rest.len() >= tag.len() && rest[..tag.len()].eq_ignore_ascii_case(tag.as_bytes())
            })
        };
        if risky {
            out.push(at);
        }
    }
    out.sort_unstable();
    out
}

/// The sync point at or before the line holding `at` (or 0).
fn sync_before(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut line = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    while line > 0 && !is_sync(text, line) {
        line = memchr::memrchr(b'\n', &bytes[..line - 1]).map_or(0, |i| i + 1);
    }
    line
}

/// The first sync point after the line holding `at` (or the text's end).
fn sync_after(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut from = at;
    while let Some(nl) = memchr::memchr(b'\n', &bytes[from..]) {
        let line = from + nl + 1;
        if is_sync(text, line) {
            return line;
        }
        from = line;
    }
    text.len()
}

/// Code can only exist where a backtick, a tilde fence or an indented
/// line is; most goal documents have none of them, so the parse is skipped.
pub fn may_have_code(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2(b'`', b'~', bytes).is_some()
        // Indented code: at a line's start, but also after a list marker
        // (`-     x`) or a quote marker, so any four spaces.
        || memchr::memmem::find(bytes, b"    ").is_some()
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
    /// A fenced code block or a raw HTML block runs to the end of the
    /// slice, blank lines included: the slice ended inside it, and text
    /// after the slice may belong to it.
    pub open_at_end: bool,
}

/// Parses `slice`, which starts at document offset `base`.
pub fn parse(slice: &str, base: usize) -> Parsed {
    let mut out = Parsed::default();
    let mut depth = 0usize;
    let mut code_depth = 0usize;
    // Past the last line with text: a block reaching beyond it swallowed
    // the slice's trailing blank lines, which only an open block does.
    let content_end = slice.trim_end_matches([' ', '\t', '\r', '\n']).len();
    let content_end = memchr::memchr(b'\n', &slice.as_bytes()[content_end..])
        .map_or(slice.len(), |i| content_end + i + 1);
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
                if matches!(tag, Tag::CodeBlock(_) | Tag::HtmlBlock) && range.end > content_end {
                    out.open_at_end = true;
                }
                if matches!(tag, Tag::CodeBlock(_)) {
                    if code_depth == 0 {
                        // From its line's start when only white space is
                        // before it (an indented block starts at its text):
                        // readers ask whether a line starts in code.
                        let before = &slice.as_bytes()[..range.start];
                        let indent = before
                            .iter()
                            .rev()
                            .take_while(|b| matches!(b, b' ' | b'\t'))
                            .count();
                        let at_line_start =
                            before.len() == indent || before[before.len() - indent - 1] == b'\n';
                        let start = if at_line_start {
                            range.start - indent
                        } else {
                            range.start
                        };
                        out.code.push(base + start..base + range.end);
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

/// Whether byte `at` of `text` is in a fenced code block (of the `code`
/// ranges [`code_ranges`] finds), not an indented one or a code span.
pub fn in_fence(text: &str, code: &[Range<usize>], at: usize) -> bool {
    let i = code.partition_point(|r| r.end <= at);
    code.get(i).is_some_and(|r| {
        let first = text[r.start..].trim_start_matches([' ', '\t']);
        r.start <= at && (first.starts_with("```") || first.starts_with("~~~"))
    })
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

pub use crate::render::markdown_unescape_into as unescape_into;

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
        let r = code_ranges(t, &Lines::new(t));
        assert_eq!(r.len(), 2);
        assert!(inside(&r, t.find("⟨x⟩").unwrap()));
        assert!(inside(&r, t.find("⟨y⟩").unwrap()));
        assert!(!inside(&r, t.find("⟨z⟩").unwrap()));
    }

    /// Pieces of markdown that open, close or hide code, and plain text
    /// between them.
    const PIECES: &[&str] = &[
        "\n",
        "\n\n",
        "\n\n",
        "text ",
        "more words ",
        "`x`",
        "`",
        "``",
        "```\n",
        "~~~\n",
        "````\n",
        "  ```\n",
        "- ```\n",
        "> ```\n",
        "> ",
        "- ",
        "1. ",
        "  - ",
        "    ",
        "     ",
        "-     c",
        "\t",
        "\r",
        "\r\n",
        "<!--",
        "-->",
        "<!-- goalframe: ae/P2 smart -->",
        "<!-->",
        "<pre>",
        "</pre>",
        "<SCRIPT>",
        "</script>",
        "<?php",
        "?>",
        "<!DOCTYPE",
        "<![CDATA[",
        "]]>",
        "<div>",
        "</div>",
        "<target>",
        "[a]: /u\n",
        "[`a`]: /u\n",
        "[t][`a`]",
        "[`a`]",
        "|a|b|\n|-|-|\n",
        "~~s~~",
        "# h\n",
        "x\n===\n",
        "\\`",
        "⟨target⟩",
        "中文😀",
    ];

    #[test]
    fn stretches_find_what_a_whole_parse_finds() {
        let mut rng = crate::analysis::testing::Rng::new(1);
        for case in 0..20_000 {
            let mut doc = String::new();
            for _ in 0..rng.below(40) {
                doc.push_str(PIECES[rng.below(PIECES.len())]);
            }
            assert_eq!(
                code_ranges(&doc, &Lines::new(&doc)),
                parse(&doc, 0).code,
                "case {case}: {doc:?}"
            );
        }
    }

    #[test]
    fn plain_paragraphs_are_not_parsed() {
        let t =
            "Intro ⟨target⟩.\n\n| a | b |\n|---|---|\n| x | y |\n\nSee `code` here.\n\n- list\n";
        let s = stretches(t, &Lines::new(t));
        assert_eq!(s.len(), 1);
        assert_eq!(&t[s[0].clone()], "See `code` here.\n\n");
    }

    #[test]
    fn unescape_reverses_escape() {
        for s in [
            "a*b_c [d] <e> | `f` \\ g & h # $",
            "- lead",
            "12. x",
            " pad ",
        ] {
            let mut out = String::new();
            unescape_into(&crate::render::markdown_escape(s), &mut out);
            assert_eq!(out, s);
        }
        // What is not an escape goalframe writes stays as it is.
        for (escaped, plain) in [
            ("a\\b \\* &amp;&x; &#32\\", "a\\b * &&x; &#32\\"),
            ("\\\\\\&lt;&lt;", "\\&lt;<"),
            ("&quot;中文&gt;", "\"中文>"),
        ] {
            let mut out = String::new();
            unescape_into(escaped, &mut out);
            assert_eq!(out, plain, "{escaped:?}");
        }
    }
}
