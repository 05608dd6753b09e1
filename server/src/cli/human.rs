//! The human format of `goalframe lint`: rustc-style reports laid out
//! exactly as codespan-reporting lays out a diagnostic with one label on
//! one line and notes (the tests compare the two byte for byte, with and
//! without colour), but written a run of text at a time straight into the
//! report's buffer. codespan-reporting writes each character through
//! `fmt`, which made the report of a review folder cost more than reading
//! and analysing it.
//!
//! ```text
//! warning[unfilled-placeholder]: unfilled placeholder ⟨target⟩
//!    ┌─ review.md:14:69
//!    │
//! 14 │    - **Measurable:** Move the metric from ⟨baseline⟩ to ⟨target⟩.
//!    │                                                         ^^^^^^^^
//! ```

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use termcolor::{Color, ColorSpec, WriteColor};
use unicode_width::UnicodeWidthChar;

use goalframe::analysis::{Code, Cursor, Finding, Lines, Severity};
use goalframe::hidden;
use goalframe::quote::shown_as;

/// Columns between tab stops when a tab is shown.
const TAB_WIDTH: usize = 4;

/// The escape sequences of one severity's report: the bytes termcolor
/// writes for codespan-reporting's default colours, made once; all empty
/// without colour.
#[derive(Default)]
struct Styles {
    header: Vec<u8>,
    header_message: Vec<u8>,
    label: Vec<u8>,
    border: Vec<u8>,
    reset: Vec<u8>,
}

impl Styles {
    fn of(severity: Severity) -> Styles {
        let color = match severity {
            Severity::Error => Color::Red,
            Severity::Warning => Color::Yellow,
            Severity::Information => Color::Green,
            Severity::Hint => Color::Cyan,
        };
        let mut header_message = ColorSpec::new();
        header_message.set_bold(true).set_intense(true);
        let mut header = header_message.clone();
        header.set_fg(Some(color));
        let mut label = ColorSpec::new();
        label.set_fg(Some(color));
        let mut border = ColorSpec::new();
        border.set_fg(Some(Color::Cyan));
        let bytes = |spec: Option<&ColorSpec>| {
            let mut out = termcolor::Ansi::new(Vec::new());
            // Writing to a Vec cannot fail.
            let _ = match spec {
                Some(spec) => out.set_color(spec),
                None => out.reset(),
            };
            out.into_inner()
        };
        Styles {
            header: bytes(Some(&header)),
            header_message: bytes(Some(&header_message)),
            label: bytes(Some(&label)),
            border: bytes(Some(&border)),
            reset: bytes(None),
        }
    }

    /// Each severity's styles, by `Severity as usize`.
    fn all(color: bool) -> &'static [Styles; 4] {
        // In the order of the enum, so that `as usize` indexes them.
        static COLOURED: LazyLock<[Styles; 4]> = LazyLock::new(|| {
            [
                Severity::Hint,
                Severity::Information,
                Severity::Warning,
                Severity::Error,
            ]
            .map(Styles::of)
        });
        static PLAIN: LazyLock<[Styles; 4]> = LazyLock::new(Default::default);
        if color {
            &COLOURED
        } else {
            &PLAIN
        }
    }
}

/// The name a severity has in a report header.
fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "note",
        Severity::Hint => "help",
    }
}

/// What is known of the line the last finding was on: the next finding
/// is often on the same one (a row's target and its date).
struct LineFacts {
    index: usize,
    controls: bool,
    tabs: bool,
}

/// The runs of bytes every finding of one document writes alike for one
/// severity and gutter width, put together once: a finding is then a few
/// runs rather than a score of small pieces.
struct Frame {
    pad: usize,
    /// `   ┌─ path:`
    location: Vec<u8>,
    /// `   │` and the line break.
    empty: Vec<u8>,
    /// `   │ `, before the carets.
    under: Vec<u8>,
    /// ` │ ` after the source line's number.
    number_tail: Vec<u8>,
}

impl Frame {
    fn new(styles: &Styles, path: &str, pad: usize) -> Frame {
        let gutter = |out: &mut Vec<u8>| write_repeated(out, b' ', pad + 1);
        let border = |out: &mut Vec<u8>| {
            out.extend_from_slice(&styles.border);
            out.extend_from_slice("│".as_bytes());
            out.extend_from_slice(&styles.reset);
        };
        let mut location = Vec::new();
        gutter(&mut location);
        location.extend_from_slice(&styles.border);
        location.extend_from_slice("┌─".as_bytes());
        location.extend_from_slice(&styles.reset);
        location.push(b' ');
        location.extend_from_slice(path.as_bytes());
        location.push(b':');
        let mut empty = Vec::new();
        gutter(&mut empty);
        border(&mut empty);
        empty.push(b'\n');
        let mut under = Vec::new();
        gutter(&mut under);
        border(&mut under);
        under.push(b' ');
        let mut number_tail = styles.reset.clone();
        number_tail.push(b' ');
        border(&mut number_tail);
        number_tail.push(b' ');
        Frame {
            pad,
            location,
            empty,
            under,
            number_tail,
        }
    }
}

/// Writes one document's findings to `out`, in colour or not. Each range
/// is shown on the line it starts on (the analysis never reports a range
/// across lines).
pub fn file(
    out: &mut Vec<u8>,
    color: bool,
    path: &str,
    text: &str,
    lines: &Lines,
    findings: &[Finding],
) {
    let mut report = Report::new(color, path, text, lines);
    for f in findings {
        report.finding(out, f);
    }
}

/// One document's report, written a finding at a time, in order: what
/// [`file`] does, for a writer that empties `out` between findings (a
/// document with millions of findings is not held as one report).
pub struct Report<'d> {
    styles: &'static [Styles; 4],
    path: Cow<'d, str>,
    text: &'d str,
    lines: &'d Lines,
    notes: Vec<String>,
    // Findings come in order: their lines and columns are found walking
    // forward.
    line: usize,
    cursor: Cursor,
    facts: Option<LineFacts>,
    // By severity, the frame of the last gutter width used; by severity
    // and code, the header up to the message (`warning[code]: `).
    frames: [Option<Frame>; 4],
    heads: Vec<Option<Vec<u8>>>,
}

impl<'d> Report<'d> {
    pub fn new(color: bool, path: &'d str, text: &'d str, lines: &'d Lines) -> Self {
        Report {
            styles: Styles::all(color),
            path: for_terminal(path),
            text,
            lines,
            notes: Vec::new(),
            line: 0,
            cursor: Cursor::default(),
            facts: None,
            frames: Default::default(),
            heads: vec![None; 4 * Code::COUNT],
        }
    }

    /// Writes the next finding.
    pub fn finding(&mut self, out: &mut Vec<u8>, f: &Finding) {
        let text = self.text;
        // Reused strings: a report is hundreds of thousands of findings.
        let shown = f.fixes.len().min(3);
        if self.notes.len() < shown {
            self.notes.resize_with(shown, String::new);
        }
        for (note, fix) in self.notes.iter_mut().zip(&f.fixes) {
            note.clear();
            note.push_str("fix: ");
            note.push_str(&fix.title);
        }
        self.line = self
            .lines
            .line_from(self.line, f.range.start.min(text.len()));
        let styles = &self.styles[f.severity as usize];
        let pad = (self.line + 1).ilog10() as usize + 1;
        let frame = match &mut self.frames[f.severity as usize] {
            Some(frame) if frame.pad == pad => frame,
            slot => slot.insert(Frame::new(styles, &self.path, pad)),
        };
        let head = self.heads[f.severity as usize * Code::COUNT + f.code as usize]
            .get_or_insert_with(|| {
                let mut head = styles.header.clone();
                head.extend_from_slice(severity_name(f.severity).as_bytes());
                head.push(b'[');
                head.extend_from_slice(f.code.as_str().as_bytes());
                head.push(b']');
                head.extend_from_slice(&styles.header_message);
                head.extend_from_slice(b": ");
                head
            });
        let at = At {
            index: self.line,
            cursor: &mut self.cursor,
            facts: &mut self.facts,
        };
        finding(
            out,
            styles,
            frame,
            head,
            text,
            self.lines,
            at,
            f,
            &self.notes[..shown],
        );
    }
}

/// A source line longer than this (in bytes) is shown as an excerpt
/// around the label, as rustc does: a report must not copy a megabyte line
/// once per finding on it.
const LONG_LINE: usize = 512;
/// Bytes of context shown on each side of the label in an excerpt.
const CONTEXT: usize = 120;
/// The most of a label an excerpt shows.
const LONG_LABEL: usize = 240;
const ELLIPSIS: &str = "…";

/// `source` with `label` (byte offsets in it), or an excerpt of a long
/// line around the label with `…` where it was cut, and the label's
/// offsets in what is shown.
fn excerpt<'s>(source: &'s str, label: &Range<usize>) -> (Cow<'s, str>, Range<usize>) {
    if source.len() <= LONG_LINE {
        return (Cow::Borrowed(source), label.clone());
    }
    let floor = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let label_start = floor(label.start);
    let label_end = ceil(label.end.min(label_start + LONG_LABEL)).max(label_start);
    let from = floor(label_start.saturating_sub(CONTEXT));
    let to = ceil(label_end + CONTEXT);
    let mut shown = String::with_capacity(to - from + 2 * ELLIPSIS.len());
    if from > 0 {
        shown.push_str(ELLIPSIS);
    }
    let shift = shown.len();
    shown.push_str(&source[from..to]);
    if to < source.len() {
        shown.push_str(ELLIPSIS);
    }
    // A label past the line's end (its line break) keeps pointing there.
    let end = if label.end > source.len() && to == source.len() {
        label.end - from + shift
    } else {
        label_end - from + shift
    };
    (Cow::Owned(shown), label_start - from + shift..end)
}

/// Whether `s` holds a character [`shown_as`] replaces, and whether it
/// holds a tab, in one pass. Every shown source line is checked, so only
/// the stretches that may hold either ([`hidden::each_stretch`]) are
/// looked at byte by byte.
fn controls_and_tabs(s: &str) -> (bool, bool) {
    let b = s.as_bytes();
    let (mut controls, mut tabs) = (false, false);
    hidden::each_stretch::<()>(b, |from, to| {
        for i in from..to {
            match b[i] {
                b'\t' => tabs = true,
                // A line end too: a message may hold one.
                b'\n' | b'\r' => controls = true,
                _ => controls |= hidden::starts_at(b, i),
            }
        }
        std::ops::ControlFlow::Continue(())
    });
    (controls, tabs)
}

/// `s` with every character [`shown_as`] replaces replaced (a control
/// but tab by its picture).
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    goalframe::quote::shown_plainly(s)
}

/// [`for_terminal`] for a source line, moving `label` (byte offsets in it)
/// along.
fn visible_controls(source: &str, label: Range<usize>) -> (Cow<'_, str>, Range<usize>) {
    if goalframe::quote::unshown_in(source).is_none() {
        return (Cow::Borrowed(source), label);
    }
    let mut shown = String::with_capacity(source.len() + 16);
    let (mut start, mut end) = (None, None);
    for (i, c) in source.char_indices() {
        if i >= label.start && start.is_none() {
            start = Some(shown.len());
        }
        if i >= label.end && end.is_none() {
            end = Some(shown.len());
        }
        shown.push(shown_as(c).unwrap_or(c));
    }
    let past = |at: usize| shown.len() + at.saturating_sub(source.len());
    let start = start.unwrap_or_else(|| past(label.start));
    let end = end.unwrap_or_else(|| past(label.end));
    (Cow::Owned(shown), start..end)
}

/// The line a finding's range starts on (0-based), and what the report
/// carries from finding to finding to find its column and to show it.
struct At<'a> {
    index: usize,
    cursor: &'a mut Cursor,
    facts: &'a mut Option<LineFacts>,
}

/// One finding, where its range starts.
#[allow(clippy::too_many_arguments)]
fn finding(
    out: &mut Vec<u8>,
    styles: &Styles,
    frame: &Frame,
    head: &[u8],
    text: &str,
    lines: &Lines,
    At {
        index,
        cursor,
        facts,
    }: At,
    f: &Finding,
    notes: &[String],
) {
    out.extend_from_slice(head);
    // A borrowed message is one of the analysis's fixed texts, which hold
    // no control characters; one made for this finding may quote the
    // document.
    match &f.message {
        Cow::Borrowed(m) => {
            debug_assert!(goalframe::quote::unshown_in(m).is_none());
            out.extend_from_slice(m.as_bytes());
        }
        Cow::Owned(m) => out.extend_from_slice(for_terminal(m).as_bytes()),
    }
    out.extend_from_slice(&styles.reset);
    out.push(b'\n');

    let start = f.range.start.min(text.len());
    let line_start = lines.start(index);
    let line_end = if index + 1 < lines.count() {
        lines.start(index + 1)
    } else {
        text.len()
    };
    let source = text[line_start..line_end].trim_end_matches(['\n', '\r', '\0']);
    // Whether the line holds controls or tabs, looked at once per line:
    // an excerpt of a line without them has none either.
    let known = facts.as_ref().filter(|k| k.index == index);
    let (controls, tabs) = match known {
        Some(k) => (k.controls, k.tabs),
        None => {
            let (controls, tabs) = controls_and_tabs(source);
            let k = LineFacts {
                index,
                controls,
                tabs,
            };
            let both = (k.controls, k.tabs);
            *facts = Some(k);
            both
        }
    };
    let number = index + 1;
    // At least one caret, even for an empty range.
    let label_start = start - line_start;
    let label_end = (f.range.end.clamp(start, line_end) - line_start).max(label_start + 1);
    let (source, label) = excerpt(source, &(label_start..label_end));
    let whole = matches!(source, Cow::Borrowed(_));
    let (source, label) = if controls {
        visible_controls(&source, label)
    } else {
        (Cow::Borrowed(&*source), label)
    };
    let source = &*source;
    let cells = Cells::new(source, &label);
    // The column is the characters before the range: counted by the cells
    // when the line is shown as it is and the range starts on it (not in
    // its line break), else in the document.
    let column = if whole && !controls && label_start <= source.len() {
        cells.chars_before + 1
    } else {
        cursor.position(lines, text, start).1 + 1
    };

    // The line's number, written twice.
    let mut digits = itoa::Buffer::new();
    let number = digits.format(number).as_bytes();
    out.extend_from_slice(&frame.location);
    out.extend_from_slice(number);
    out.push(b':');
    write_number(out, column);
    out.push(b'\n');
    out.extend_from_slice(&frame.empty);

    // The source line, the label's characters in its colour.
    out.extend_from_slice(&styles.border);
    out.extend_from_slice(number);
    out.extend_from_slice(&frame.number_tail);
    let mut column = 0;
    write_shown(out, &source[..cells.label_bytes.start], tabs, &mut column);
    if !cells.label_bytes.is_empty() {
        out.extend_from_slice(&styles.label);
        write_shown(out, &source[cells.label_bytes.clone()], tabs, &mut column);
        out.extend_from_slice(&styles.reset);
    }
    write_shown(out, &source[cells.label_bytes.end..], tabs, &mut column);
    out.push(b'\n');

    // The carets under it.
    out.extend_from_slice(&frame.under);
    write_repeated(out, b' ', cells.before);
    if cells.touched {
        out.extend_from_slice(&styles.label);
        write_repeated(out, b'^', cells.carets);
        out.extend_from_slice(&styles.reset);
    }
    out.push(b'\n');

    if !notes.is_empty() {
        out.extend_from_slice(&frame.empty);
    }
    for note in notes {
        for (i, line) in note.lines().enumerate() {
            write_repeated(out, b' ', frame.pad + 1);
            if i == 0 {
                out.extend_from_slice(&styles.border);
                out.push(b'=');
                out.extend_from_slice(&styles.reset);
            } else {
                out.push(b' ');
            }
            out.push(b' ');
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
    }
    out.push(b'\n');
}

/// Where a label falls on a shown line: the bytes of the characters it
/// touches, and the columns before it and under it.
struct Cells {
    label_bytes: Range<usize>,
    /// Characters before the label.
    chars_before: usize,
    before: usize,
    carets: usize,
    /// The label touches a character or the column after the line (its
    /// colour is set even when that is zero columns wide).
    touched: bool,
}

impl Cells {
    fn new(source: &str, label: &Range<usize>) -> Cells {
        let touches = |at: usize, len: usize| at.max(label.start) < (at + len).min(label.end);
        let mut column = 0;
        let mut before = 0;
        let mut chars_before = 0;
        let mut carets = 0;
        let mut label_bytes: Option<Range<usize>> = None;
        let mut rest = source;
        let mut at = 0;
        while !rest.is_empty() && at < label.end {
            // A run of printable ASCII is one column per byte.
            let run = printable_ascii_run(&rest.as_bytes()[..rest.len().min(label.end - at)]);
            if run > 0 {
                let (pre, inside) = if at >= label.start {
                    (0, run)
                } else {
                    let pre = (label.start - at).min(run);
                    (pre, run - pre)
                };
                before += pre;
                chars_before += pre;
                if inside > 0 {
                    let first = at + pre;
                    let range = label_bytes.get_or_insert(first..first);
                    range.end = at + run;
                    carets += inside;
                }
                column += run;
                at += run;
                rest = &rest[run..];
                continue;
            }
            let Some(ch) = rest.chars().next() else {
                break;
            };
            let width = if ch == '\t' {
                TAB_WIDTH - column % TAB_WIDTH
            } else {
                ch.width().unwrap_or(0)
            };
            if touches(at, ch.len_utf8()) {
                let range = label_bytes.get_or_insert(at..at);
                range.end = at + ch.len_utf8();
                carets += width;
            } else {
                before += width;
                chars_before += 1;
            }
            column += width;
            at += ch.len_utf8();
            rest = &rest[ch.len_utf8()..];
        }
        // The column after the line's end, for a label that reaches it.
        let after_end = touches(source.len(), 1);
        if after_end {
            carets += 1;
        } else if source.len() < label.end {
            before += 1;
        }
        Cells {
            touched: after_end || label_bytes.is_some(),
            label_bytes: label_bytes.unwrap_or(source.len()..source.len()),
            chars_before,
            before,
            carets,
        }
    }
}

/// How many bytes `bytes` starts with that are printable ASCII (`' '`
/// to `'~'`), eight at a time while it can: source lines are long.
fn printable_ascii_run(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut n = 0;
    for word in bytes.chunks_exact(8) {
        let mut w = [0; 8];
        w.copy_from_slice(word);
        let x = u64::from_ne_bytes(w);
        // With no byte of 0x80 or more, adding 1 carries into a high bit
        // only from 0x7f, and subtracting 0x20 leaves one only below 0x20.
        let unprintable = x & HIGH != 0
            || x.wrapping_add(ONES) & HIGH != 0
            || x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0;
        if unprintable {
            break;
        }
        n += 8;
    }
    n + bytes[n..]
        .iter()
        .take_while(|b| (0x20..0x7f).contains(*b))
        .count()
}

/// Writes a piece of a shown line. With `tabs` (the line has some), each
/// tab becomes spaces to the next tab stop, counted in columns from the
/// line's start (`column`, carried from piece to piece).
fn write_shown(out: &mut Vec<u8>, text: &str, tabs: bool, column: &mut usize) {
    if !tabs {
        return out.extend_from_slice(text.as_bytes());
    }
    let mut from = 0;
    for (i, ch) in text.char_indices() {
        if ch == '\t' {
            out.extend_from_slice(&text.as_bytes()[from..i]);
            let width = TAB_WIDTH - *column % TAB_WIDTH;
            write_repeated(out, b' ', width);
            *column += width;
            from = i + 1;
        } else {
            *column += ch.width().unwrap_or(0);
        }
    }
    out.extend_from_slice(&text.as_bytes()[from..]);
}

/// A number in decimal, without `fmt`.
fn write_number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn write_repeated(out: &mut Vec<u8>, byte: u8, n: usize) {
    out.resize(out.len() + n, byte);
}

#[cfg(test)]
mod tests {
    use super::*;
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFile;
    use codespan_reporting::term::{self, Config};
    use goalframe::analysis::{Code, Fix};

    /// The report codespan-reporting writes for the same finding.
    fn oracle<W: WriteColor>(out: &mut W, path: &str, text: &str, f: &Finding) {
        let file = SimpleFile::new(path, text);
        let d = match f.severity {
            Severity::Error => Diagnostic::error(),
            Severity::Warning => Diagnostic::warning(),
            Severity::Information => Diagnostic::note(),
            Severity::Hint => Diagnostic::help(),
        };
        let notes = f
            .fixes
            .iter()
            .take(3)
            .map(|x| format!("fix: {}", x.title))
            .collect();
        let d = d
            .with_code(f.code.as_str())
            .with_message(f.message.to_string())
            .with_labels(vec![Label::primary((), f.range.clone())])
            .with_notes(notes);
        term::emit_to_write_style(out, &Config::default(), &file, &d).expect("codespan renders");
    }

    /// Our report of `findings` and codespan-reporting's, one after the
    /// other, with colour or without.
    fn both(text: &str, lines: &Lines, findings: &[Finding], color: bool) -> (Vec<u8>, Vec<u8>) {
        let make = || {
            if color {
                termcolor::Buffer::ansi()
            } else {
                termcolor::Buffer::no_color()
            }
        };
        let mut ours = Vec::new();
        file(&mut ours, color, "d.md", text, lines, findings);
        let mut theirs = make();
        for f in findings {
            oracle(&mut theirs, "d.md", text, f);
        }
        (ours, theirs.into_inner())
    }

    #[test]
    fn reports_match_codespan_byte_for_byte() {
        const PIECES: &[&str] = &[
            "a",
            "word ",
            "⟨target⟩",
            "\t",
            "  ",
            "中文",
            "😀",
            "👩‍💻",
            "🇫🇷",
            "é",
            "e\u{301}",
            "\u{200d}",
            "—",
            "\"",
            "|",
            "x\ty",
            "Manages the entire sales cycle.",
            // Control characters are shown as their pictures, and those
            // that do not show (U+202E, a zero-width space) as `�`, not
            // raw as codespan-reporting writes them: see the test below.
        ];
        // A lone `\r` ends a line for goalframe (not for codespan).
        const ENDINGS: &[&str] = &["\n", "\r\n", "", "\0\n"];
        let mut rng = crate::gen::Rng::new(3);
        for case in 0..10_000 {
            let mut text = String::new();
            for _ in 0..rng.below(30) {
                let mut line = String::new();
                for _ in 0..rng.below(12) {
                    line.push_str(PIECES[rng.below(PIECES.len())]);
                }
                text.push_str(&line);
                text.push_str(ENDINGS[rng.below(ENDINGS.len())]);
            }
            // A range on character boundaries inside one line.
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let start = bounds[rng.below(bounds.len())];
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let ends: Vec<usize> = bounds
                .iter()
                .copied()
                .filter(|&b| b >= start && b <= line_end)
                .collect();
            let end = ends[rng.below(ends.len())];
            let severity = [
                Severity::Error,
                Severity::Warning,
                Severity::Information,
                Severity::Hint,
            ][rng.below(4)];
            let fixes = (0..rng.below(4))
                .map(|i| Fix {
                    safe: false,
                    title: format!("Replace with `x{i}`"),
                    edits: Vec::new(),
                })
                .collect();
            let f = Finding {
                code: Code::ALL[rng.below(4)],
                severity,
                range: start..end,
                message: "unfilled placeholder ⟨target⟩".into(),
                fixes,
            };
            let lines = Lines::new(&text);
            // Now and then a second finding later in the document, of the
            // same or another severity and code (the report reuses what it
            // made for each): one report of both is the two reports one
            // after the other.
            let mut findings = vec![f];
            if rng.below(3) == 0 {
                let later: Vec<usize> = bounds.iter().copied().filter(|&b| b >= start).collect();
                let at = later[rng.below(later.len())];
                let (severity, code) = if rng.below(2) == 0 {
                    (findings[0].severity, findings[0].code)
                } else {
                    (
                        [Severity::Error, Severity::Hint][rng.below(2)],
                        Code::ALL[rng.below(Code::COUNT)],
                    )
                };
                findings.push(Finding {
                    range: at..at,
                    severity,
                    code,
                    ..findings[0].clone()
                });
            }
            for color in [false, true] {
                let (ours, theirs) = both(&text, &lines, &findings, color);
                assert_eq!(
                    String::from_utf8_lossy(&ours),
                    String::from_utf8_lossy(&theirs),
                    "case {case} (colour {color}), range {start}..{end} of {text:?}"
                );
            }
        }
    }

    /// The word-at-a-time scan finds exactly what a byte-by-byte one
    /// finds: each control at each offset of a word, and near misses.
    #[test]
    fn control_scan_agrees_with_a_byte_scan() {
        let naive = |s: &str| s.chars().any(|c| shown_as(c).is_some());
        let fillers = ["abcdefghijklmnopq", "éèñ⟨target⟩日本語😀", "\t\t x \t"];
        let probes = [
            "\u{0}", "\u{1b}", "\u{1f}", "\u{7f}", "\u{80}", "\u{9f}", "\u{a0}", "\u{c2}", "Â",
            " ", "\t", "~", "\n", "\u{ad}", "\u{ae}", "\u{200b}", "\u{200c}", "\u{200d}",
            "\u{2014}", "\u{2028}", "\u{202e}", "\u{202f}", "\u{2060}", "\u{2065}", "\u{2069}",
            "\u{fefe}", "\u{feff}", "\u{ffbf}", "\u{ff0c}", "\u{200a}", "\u{2061}", "\u{9f}x",
        ];
        for filler in fillers {
            for probe in probes {
                for at in 0..=filler.len() {
                    if !filler.is_char_boundary(at) {
                        continue;
                    }
                    let s = format!("{}{probe}{}", &filler[..at], &filler[at..]);
                    assert_eq!(controls_and_tabs(&s).0, naive(&s), "{s:?}");
                    assert_eq!(
                        goalframe::quote::unshown_in(&s).is_some(),
                        naive(&s),
                        "{s:?}"
                    );
                    assert_eq!(controls_and_tabs(&s).1, s.contains('\t'), "{s:?}");
                }
            }
        }
    }

    /// Escapes in a file name or a document reach the terminal as
    /// pictures, never raw; the carets still sit under the range.
    #[test]
    fn control_characters_are_shown_as_pictures() {
        let text = "a\u{1b}]0;owned\u{7}b ⟨target⟩\u{1b}[2J\n";
        let start = text.find('⟨').unwrap();
        let f = Finding {
            code: goalframe::analysis::Code::UnfilledPlaceholder,
            severity: Severity::Warning,
            range: start..start + "⟨target⟩".len(),
            message: "unfilled placeholder ⟨target⟩".into(),
            fixes: vec![],
        };
        let mut out = Vec::new();
        let lines = Lines::new(text);
        file(&mut out, false, "x\u{1b}[2J.md", text, &lines, &[f]);
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("┌─ x␛[2J.md:1:14\n"), "{out}");
        assert!(out.contains("1 │ a␛]0;owned␇b ⟨target⟩␛[2J\n"), "{out}");
        assert!(
            out.contains(&format!("  │ {}^^^^^^^^\n", " ".repeat(13))),
            "{out}"
        );
    }

    /// A character that does not show reaches the terminal as `�`: U+202E
    /// would show the rest of the line (and the carets' text) backwards,
    /// a zero-width space would leave a caret under nothing.
    #[test]
    fn characters_that_do_not_show_are_shown_as_replacement_characters() {
        let text = "from 3\u{200b} quotes to \u{202e}20 deals\u{202c} by June\n";
        let start = text.find('\u{202e}').unwrap();
        let end = text.find(" by").unwrap();
        let f = Finding {
            code: goalframe::analysis::Code::HiddenCharacter,
            severity: Severity::Warning,
            range: start..end,
            message: format!("the target \"{}\" holds U+202E", &text[start..end]).into(),
            fixes: vec![],
        };
        let mut out = Vec::new();
        let lines = Lines::new(text);
        file(&mut out, false, "\u{202e}dm.exe", text, &lines, &[f]);
        let out = String::from_utf8(out).unwrap();
        for c in ['\u{200b}', '\u{202e}', '\u{202c}'] {
            assert!(!out.contains(c), "{c:?} in {out:?}");
        }
        assert!(
            out.contains("the target \"�20 deals�\" holds U+202E"),
            "{out}"
        );
        assert!(out.contains("┌─ �dm.exe:1:19\n"), "{out}");
        assert!(
            out.contains("1 │ from 3� quotes to �20 deals� by June\n"),
            "{out}"
        );
        assert!(
            out.contains(&format!("  │ {}{}\n", " ".repeat(18), "^".repeat(10))),
            "{out}"
        );
    }
}
