//! A value typed in markdown, read as its reader sees it: emphasis
//! (`**20** deals`), code spans (`` `2027-06-30` ``) and HTML comments
//! (`2027-06-30 <!-- agreed with Sam -->`) are markup, not part of the
//! value. Links, images and other HTML are kept as typed: what they stand
//! for is more than their text. Escapes and entities are undone.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Whether a value may hold markup this module reads (a byte test, for
/// every value of a folder's run): `*`, `_`, a backtick, or an HTML
/// comment's `<!--`.
pub fn may_hold_markup(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().any(|&c| matches!(c, b'*' | b'_' | b'`'))
        || memchr::memchr_iter(b'<', b).any(|i| b[i..].starts_with(b"<!--"))
}

/// Whether a value may hold an entity other than the escapes the
/// renderer writes (`&#x202E;`, `&shy;`): an `&` before a `#` or a
/// letter, and a `;` after it. Markdown shows the character an entity
/// stands for, and so the value is read.
pub fn may_hold_entity(s: &str) -> bool {
    let b = s.as_bytes();
    // (One look for the last `;`: a `;` after each `&` would be looked
    // for over the rest of a long value again and again.)
    let Some(last) = memchr::memrchr(b';', b) else {
        return false;
    };
    memchr::memchr_iter(b'&', &b[..last]).any(|i| {
        b.get(i + 1)
            .is_some_and(|&n| n == b'#' || n.is_ascii_alphabetic())
    })
}

/// The text of a trimmed markdown value as a reader sees it, trimmed, and
/// where it is: the span of that text within `s` when markup only stands
/// around it (`**June 2027**`, `2027-06 <!-- x -->`), so that an edit of
/// the value keeps the markup; all of `s` otherwise.
pub fn read(s: &str) -> (String, Range<usize>) {
    let (text, span) = parse(s);
    let text = text.trim_ascii().to_string();
    // Only markup (a comment), or markup inside the text (`**20** deals`):
    // the value is all of `s`.
    let Some(span) = span else {
        return (text, 0..s.len());
    };
    let typed = &s[span.clone()];
    let trimmed = typed.trim_ascii();
    let start = span.start + (trimmed.as_ptr() as usize - typed.as_ptr() as usize);
    (text, start..start + trimmed.len())
}

/// The text of a markdown value as its reader sees it (not trimmed), and
/// where that text came from in `s` when it came from one stretch of it
/// (markup only around it).
fn parse(s: &str) -> (String, Option<Range<usize>>) {
    // A value stands inside a line, after a space: read alone, `- 5` would
    // be a list and `<!-- x --> 5` an HTML block. A lead of a word and a
    // space gives it that place; what the lead's bytes make is dropped.
    const LEAD: &str = "x ";
    let source = [LEAD, s].concat();
    let mut text = String::new();
    // Where the text came from in `s`: its first and last byte.
    let mut span: Option<Range<usize>> = None;
    // Where the last piece ended, and whether markup stood between two
    // pieces.
    let (mut end, mut gap) = (None, false);
    let mut took = |text: &mut String, piece: &str, at: Range<usize>| {
        // (The lead's own text.)
        if piece.is_empty() {
            return;
        }
        text.push_str(piece);
        // White space between pieces of markup is not where text is.
        if piece.trim_ascii().is_empty() {
            if end == Some(at.start) {
                end = Some(at.end);
            }
            return;
        }
        gap |= end.is_some_and(|e| e < at.start);
        end = Some(at.end);
        span = Some(match span.take() {
            None => at,
            Some(r) => r.start.min(at.start)..r.end.max(at.end),
        });
    };
    // Inside a link or an image: its source was taken whole.
    let mut skip_to = 0;
    for (event, at) in Parser::new_ext(&source, Options::empty()).into_offset_iter() {
        if at.start < skip_to {
            continue;
        }
        // Bytes of the lead, then the offsets in `s`.
        let cut = LEAD.len().saturating_sub(at.start);
        let at = at.start.max(LEAD.len()) - LEAD.len()..at.end.max(LEAD.len()) - LEAD.len();
        match event {
            Event::Text(t) => {
                // An escape's text is placed after its backslash.
                let b = s.as_bytes();
                let escaped = at.start > 0
                    && b[at.start - 1] == b'\\'
                    && b.get(at.start).is_some_and(u8::is_ascii_punctuation);
                let at = if escaped { at.start - 1..at.end } else { at };
                took(&mut text, t.get(cut..).unwrap_or(""), at)
            }
            Event::Code(c) => {
                // The span of the code's own text, inside its backticks.
                let inner = s[at.clone()]
                    .find(&*c)
                    .map_or(at.clone(), |i| at.start + i..at.start + i + c.len());
                took(&mut text, &c, inner);
            }
            Event::Html(h) | Event::InlineHtml(h) if h.starts_with("<!--") => {}
            Event::Start(Tag::Paragraph | Tag::Emphasis | Tag::Strong) | Event::End(_) => {}
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                skip_to = at.end + LEAD.len();
                took(&mut text, &s[at.clone()], at);
            }
            // Anything else (other HTML, something this reader does not
            // know): as typed.
            _ => took(&mut text, &s[at.clone()], at),
        }
    }
    (text, span.filter(|_| !gap))
}

/// The entity `s` starts with (`&#x202E;`, `&shy;`, `&amp;`), if it is
/// one markdown knows: its length, and the text it stands for.
fn entity(s: &str) -> Option<(usize, String)> {
    // The longest entity markdown knows is 33 bytes.
    const LONGEST: usize = 40;
    let semi = s.as_bytes().iter().take(LONGEST).position(|&b| b == b';')?;
    let typed = &s[..=semi];
    let (text, _) = parse(typed);
    (text != typed).then_some((typed.len(), text))
}

/// The markdown entities in `typed` (a value as typed) that stand for a
/// character that does not show, with the character: `&#x202E;`,
/// `&#8238;`, `&shy;`. Each is read as markdown reads it.
#[cold]
pub fn hidden_entities(typed: &str) -> Vec<(Range<usize>, char)> {
    let mut out = Vec::new();
    for (at, _) in typed.match_indices('&') {
        let Some((len, text)) = entity(&typed[at..]) else {
            continue;
        };
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if crate::hidden::kind(c).is_some() {
                out.push((at..at + len, c));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> (String, &str) {
        let (text, span) = read(s);
        (text, &s[span])
    }

    #[test]
    fn markup_around_a_value_is_not_part_of_it() {
        for (typed, text, span) in [
            ("**2027-06-30**", "2027-06-30", "2027-06-30"),
            ("*June 2027*", "June 2027", "June 2027"),
            ("__20 deals__", "20 deals", "20 deals"),
            ("***Q2 2027***", "Q2 2027", "Q2 2027"),
            ("`2027-06-30`", "2027-06-30", "2027-06-30"),
            ("``a ` b``", "a ` b", "a ` b"),
            (
                "2027-06-30 <!-- agreed with Sam -->",
                "2027-06-30",
                "2027-06-30",
            ),
            ("<!-- ok --> **20** <!-- x -->", "20", "20"),
            ("**1\\* deal**", "1* deal", "1\\* deal"),
        ] {
            assert_eq!(value(typed), (text.to_string(), span), "{typed}");
        }
    }

    #[test]
    fn markup_inside_a_value_leaves_it_whole() {
        for (typed, text) in [
            ("**20** deals", "20 deals"),
            ("from `12` to 20", "from 12 to 20"),
            ("20 deals <!-- x --> a quarter", "20 deals  a quarter"),
            (
                "[5 deals](https://crm/q2) signed",
                "[5 deals](https://crm/q2) signed",
            ),
            ("*5* ![chart](c.png)", "5 ![chart](c.png)"),
        ] {
            assert_eq!(value(typed), (text.to_string(), typed), "{typed}");
        }
    }

    #[test]
    fn entities_are_undone_as_markdown_undoes_them() {
        for (typed, text, span) in [
            ("1&#x202E;2", "1\u{202e}2", "1&#x202E;2"),
            ("**&#10216;date&#10217;**", "⟨date⟩", "&#10216;date&#10217;"),
            ("*R&amp;D &shy;x*", "R&D \u{ad}x", "R&amp;D &shy;x"),
            // An escaped `&` starts no entity; an unknown name is text.
            ("*\\&shy; &nope;*", "&shy; &nope;", "\\&shy; &nope;"),
            ("*a\\*b*", "a*b", "a\\*b"),
            ("`&shy;`", "&shy;", "&shy;"),
        ] {
            assert_eq!(value(typed), (text.to_string(), span), "{typed}");
        }
        assert_eq!(
            hidden_entities("a&shy;b &#x202E; &amp; &#32; &#8203;"),
            vec![(1..6, '\u{ad}'), (8..16, '\u{202e}'), (29..36, '\u{200b}')]
        );
        assert!(may_hold_entity("1&#x202E;2") && may_hold_entity("a &shy;"));
        assert!(!may_hold_entity("R&D 5") && !may_hold_entity("a & b;"));
    }

    #[test]
    fn what_is_no_markup_stays_as_typed() {
        for typed in [
            "snake_case_metric 40",
            "5 * 3 per week",
            "a_b and c*d",
            "<b>20</b> deals",
            "< 2 h",
        ] {
            assert_eq!(value(typed), (typed.to_string(), typed), "{typed}");
        }
        // A comment alone is an empty value, placed on the comment.
        assert_eq!(value("<!-- later -->"), (String::new(), "<!-- later -->"));
    }

    #[test]
    fn a_value_is_read_where_it_stands_inside_a_line() {
        // Alone, each would be a block: a list, a heading, a rule, a quote,
        // an HTML block.
        for (typed, text) in [
            ("- 5 *deals*", "- 5 deals"),
            ("# 3", "# 3"),
            ("1. *x*", "1. x"),
            ("> 20 `x`", "> 20 x"),
            ("<!-- ok --> 5", "5"),
        ] {
            assert_eq!(read(typed).0, text, "{typed}");
        }
    }

    #[test]
    fn the_byte_test_lets_plain_values_go() {
        assert!(!may_hold_markup("12 deals by 2027-06-30 < 2 h"));
        for s in ["**x**", "a_b", "`x`", "x <!-- y -->"] {
            assert!(may_hold_markup(s), "{s}");
        }
    }
}
