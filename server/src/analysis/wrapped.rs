//! Rows a formatter wrapped over several lines (docs/frames.md): pandoc
//! wraps at 72 columns unless told `--wrap=none`, Prettier with
//! `proseWrap: always`. goalframe reads a row from one line, so a wrapped
//! row would be read as changed words, or not at all (a scorecard row,
//! a quote left open); it is reported instead, with a fix that joins it.
//! Markdown renders a line break inside a paragraph as a space, so the
//! joined row reads the same to a reader: the fix is one fix-all takes.
//!
//! Only markdown: a line break in the text form is the writer's.

use std::ops::Range;

use crate::goals::date;
use crate::goals::slots::read_row;
use crate::render::template as t;

use super::{markdown, Analyzer, Code, Edit, Finding, Fix, Lines};

/// Whether `content` (a line without its indentation) starts something of
/// its own in markdown rather than going on from the line before: a list
/// item, a heading, a table row, a quote, a fence, an HTML block or a
/// thematic break.
fn starts_its_own(content: &str) -> bool {
    let bare_marker = |s: &str| {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        matches!(s.as_bytes(), [m] if t::LIST_MARKERS.contains(m))
            || (n > 0 && s.len() == n + 1 && t::ORDERED_DELIMITERS.contains(&s.as_bytes()[n]))
    };
    t::after_list_marker(content).is_some()
        || t::after_item_number(content).is_some()
        || bare_marker(content.trim_end())
        || content.starts_with(['#', '|', '>', '<', '`', '~'])
        || content
            .trim_end()
            .bytes()
            .all(|b| matches!(b, b'-' | b'=' | b'*' | b'_' | b' ' | b'\t'))
}

/// The length of `line`'s indentation (spaces and tabs).
fn indent(line: &str) -> usize {
    line.bytes()
        .take_while(|&b| b == b' ' || b == b'\t')
        .count()
}

/// Whether line `i` (`line`, its text) goes on from the line before it:
/// indented, not blank, starting nothing of its own, after a line of text
/// (not blank, not a heading, an HTML line or a table row).
pub fn continues(text: &str, lines: &Lines, i: usize, line: &str) -> bool {
    let content = &line[indent(line)..];
    if i == 0 || content.len() == line.len() || content.trim_end().is_empty() {
        return false;
    }
    if starts_its_own(content) {
        return false;
    }
    let before = text[lines.range(text, i - 1)].trim();
    !before.is_empty() && !before.starts_with(['#', '<', '|'])
}

/// Whether row line `i` is one `wrapped-row` reports: one of a frame's
/// rows, going on over the line after it (outside code). Its words are
/// then not reported as changed.
pub(super) fn wraps_on(text: &str, code: &[Range<usize>], lines: &Lines, i: usize) -> bool {
    let line = &text[lines.range(text, i)];
    if i + 1 >= lines.count() || !is_row(&line[indent(line)..]) {
        return false;
    }
    let next = lines.range(text, i + 1);
    continues(text, lines, i + 1, &text[next.clone()]) && !markdown::inside(code, next.start)
}

/// Whether `content` (a line of a block without its indentation) is one
/// of a frame's rows: a numbered goal line, or a list item holding one of
/// the template's bold labels, a quote or a calibration row's words. (A
/// note of the writer's own, `- **Notes:** …`, is not.)
fn is_row(content: &str) -> bool {
    if t::after_item_number(content).is_some() {
        return true;
    }
    t::after_list_marker(content).is_some_and(|rest| {
        let labelled = t::STRONG_MARKS.iter().any(|m| {
            rest.strip_prefix(m)
                .is_some_and(|r| t::ROW_LABELS.iter().any(|l| r.starts_with(l)))
        });
        labelled
            || rest.starts_with(t::QUOTE)
            || rest.starts_with(t::CURLY_OPEN)
            || rest.starts_with(t::CALIBRATION_LEAD)
    })
}

impl Analyzer<'_> {
    /// A `wrapped-row` finding for each row of a block's `body` (from the
    /// end of its opener to its end) that goes on over the lines after
    /// it, with the fix that joins them.
    pub(super) fn wrapped_findings(
        &self,
        text: &str,
        code: &[Range<usize>],
        lines: &Lines,
        body: Range<usize>,
        out: &mut Vec<Finding>,
    ) {
        let mut i = lines.line_of(body.start.min(text.len()));
        while i < lines.count() && lines.start(i) < body.end {
            let r = lines.range(text, i);
            i += 1;
            let line = &text[r.clone()];
            let content = &line[indent(line)..];
            if r.start < body.start
                || markdown::inside(code, r.start)
                || !wraps_on(text, code, lines, i - 1)
            {
                continue;
            }
            // The line breaks to join: from the end of one line's text to
            // the start of the next one's.
            let mut breaks: Vec<Range<usize>> = Vec::new();
            let mut end = r.start + line.trim_end().len();
            while i < lines.count() && lines.start(i) < body.end {
                let next = lines.range(text, i);
                let next_line = &text[next.clone()];
                if !continues(text, lines, i, next_line) || markdown::inside(code, next.start) {
                    break;
                }
                breaks.push(end..next.start + indent(next_line));
                end = next.start + next_line.trim_end().len();
                i += 1;
            }
            if breaks.is_empty() {
                continue;
            }
            let start = r.start + (line.len() - content.len());
            if let Some(apart) = apart_finding(text, lines, r.clone(), &breaks) {
                out.extend(self.finding(Code::WrappedRow, start..end, apart.0, vec![apart.1]));
                continue;
            }
            let message = format!(
                "this row is wrapped over {} lines, so it is not read as the template's: a row is one line (pandoc wraps lines unless given `--wrap=none`, Prettier with `proseWrap: always`)",
                breaks.len() + 1
            );
            let fix = Fix {
                safe: true,
                title: "Join the row into one line".to_string(),
                edits: breaks
                    .into_iter()
                    .map(|range| Edit {
                        range,
                        new_text: " ".to_string(),
                    })
                    .collect(),
            };
            out.extend(self.finding(Code::WrappedRow, start..end, message, vec![fix]));
        }
    }
}

/// For a row (`row`: its line's range) whose values read from its line
/// but would not read with the lines under it joined to it at `breaks`
/// (`2027-06-30. (see the dashboard)`), or whose date would then name no
/// day (`2027-06-30 (agreed with Sam)`): those lines are the writer's text
/// right under a whole row, not the rest of a row a formatter wrapped.
/// Markdown still shows them as one paragraph; joining them would leave
/// the values unread, so the fix offered (never fix-all's) puts a blank
/// line between.
#[cold]
fn apart_finding(
    text: &str,
    lines: &Lines,
    row: Range<usize>,
    breaks: &[Range<usize>],
) -> Option<(String, Fix)> {
    // Whether a row reads, and then whether its date names a day: a row
    // ending in its date (`Time-bound:`, a key result) still reads joined
    // to a note, but the note is then in the date.
    let reads = |s: &str| {
        let values = read_row(s, 0, true)?.values?;
        Some(values.date.is_some_and(|d| date::parse(&d.value).is_some()))
    };
    let alone = reads(&text[row.clone()])?;
    let mut joined = String::new();
    let mut at = row.start;
    for b in breaks {
        joined.push_str(&text[at..b.start]);
        joined.push(' ');
        at = b.end;
    }
    let last = lines.line_of(at);
    joined.push_str(&text[at..lines.range(text, last).end]);
    if reads(&joined).is_some_and(|a_day| a_day || !alone) {
        return None;
    }
    let next = lines.start(lines.line_of(breaks[0].end));
    let message = "the text under this row goes on from it (markdown shows them as one paragraph), but the row is read from its own line, and joined to that text its values would not read as they do now: put a blank line between them, or move the text".to_string();
    let fix = Fix {
        safe: false,
        title: "Put a blank line under the row".to_string(),
        edits: vec![Edit {
            range: next..next,
            new_text: lines.break_of(text, lines.line_of(row.start)).to_string(),
        }],
    };
    Some((message, fix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_goes_on_from_a_line_of_text_unless_it_starts_its_own() {
        for (doc, want) in [
            ("- **Measurable:** from 1\n  to 2", true),
            ("1.  Manages the\n    cycle.", true),
            ("x\n\tgoes on", true),
            ("x\nnot indented", false),
            ("x\n\n  after a blank line", false),
            ("## Heading\n  text", false),
            ("<!-- c -->\n  text", false),
            ("| a | b |\n  text", false),
            ("x\n  - a new item", false),
            ("x\n  * a new item", false),
            ("x\n  2) a new item", false),
            ("x\n  ---", false),
            ("x\n  ```", false),
            ("x\n  > quoted", false),
            ("x\n  -", false),
            ("x\n   ", false),
        ] {
            let lines = Lines::new(doc);
            let line = &doc[lines.range(doc, 1)];
            assert_eq!(continues(doc, &lines, 1, line), want, "{doc:?}");
        }
    }
}
