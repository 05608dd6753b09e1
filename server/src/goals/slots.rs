//! Filled rows read back: the values an author typed over a frame row's
//! `⟨baseline⟩`, `⟨target⟩` and `⟨date⟩`, found through the same row
//! definitions the renderer writes (`render::template`), in the text and
//! the markdown form.
//!
//! Where a value could hold the row's own words, a value ends at the first
//! occurrence of the words after it, except that the words before a date
//! are its last occurrence: `from 10 to 20 to 30 by Q2 by 2027-06-30`
//! reads baseline `10`, target `20 to 30 by Q2`, date `2027-06-30`. A
//! value that starts with the template's word before it or ends with the
//! one after it (`from 12 to to 20`, `20 by by Q2`) holds a word typed
//! twice, and its row is not read: which writing is the value's cannot
//! be told, and HR must not get `20 by` for a target. Values
//! are trimmed (of ASCII white space: the template's padding), and in
//! markdown read as their reader sees them ([`super::inline`]): escapes
//! undone, emphasis, code spans and comments taken for markup.

use std::borrow::Cow;
use std::ops::Range;

use super::inline;
use crate::lines::Lines;
use crate::render::template::{self as t, Piece};
use crate::render::{markdown_unescape_into, Placeholder};

/// Which row of a frame holds the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// SMART `Measurable:`: baseline, target, date.
    Measurable,
    /// SMART `Time-bound:`: the goal's date again.
    TimeBound,
    /// OKR `KR1.`: baseline, target, date.
    Kr1,
    /// OKR `KR2.`: target, date.
    Kr2,
    /// MBO: target and due date (the text form's `Target:` row, the
    /// markdown table's Target and Due cells).
    Mbo,
    /// A scorecard row: target, date.
    Scorecard,
}

impl RowKind {
    /// Every kind of row (`every_kind_is_in_all` keeps it whole).
    pub const ALL: [RowKind; 6] = [
        RowKind::Measurable,
        RowKind::TimeBound,
        RowKind::Kr1,
        RowKind::Kr2,
        RowKind::Mbo,
        RowKind::Scorecard,
    ];

    /// The row as the template writes it (`…` for canon text), for a
    /// message naming it: built from the row definitions, so it never
    /// says other words than the renderer writes.
    pub fn template(self) -> String {
        let canon = [t::QUOTE, "…", t::QUOTE].concat();
        let (lead, after) = match self {
            RowKind::Measurable => ([t::MEASURABLE, " "].concat(), String::new()),
            RowKind::TimeBound => ([t::TIME_BOUND, " "].concat(), String::new()),
            RowKind::Kr1 => (
                [t::KR1, " "].concat(),
                [t::SEP, t::TIED_TO, &canon].concat(),
            ),
            RowKind::Kr2 => (
                [t::KR2, " ", t::KR2_LEAD, "…", t::BAR, &canon, t::SEP].concat(),
                String::new(),
            ),
            RowKind::Mbo => ([t::TARGET, ": "].concat(), String::new()),
            RowKind::Scorecard => (
                [t::MARKDOWN_BULLET, &canon, t::ARROW].concat(),
                [t::SOURCE_GAP, t::SOURCE_OPEN, "…", t::SOURCE_CLOSE].concat(),
            ),
        };
        let mut out = lead;
        for piece in self.pieces() {
            match *piece {
                Piece::Words(w) => out.push_str(w),
                Piece::Slot(p) => out.push_str(p.text()),
            }
        }
        out.push_str(&after);
        out
    }

    /// The row's values in the row's own words, from its first slot on
    /// (`From 14 to 20 by 2027-06-30`): `value` gives each slot's text,
    /// `None` leaving the placeholder. Runs of white space (the text
    /// form's padding) become one space.
    pub fn fill<'v>(self, value: impl Fn(Placeholder) -> Option<&'v str>) -> String {
        let mut out = String::new();
        for piece in self.pieces() {
            match *piece {
                Piece::Words(w) => out.push_str(w),
                Piece::Slot(p) => out.push_str(value(p).unwrap_or(p.text())),
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The row's pieces from its first slot on: what a reader matches.
    fn pieces(self) -> &'static [Piece] {
        match self {
            RowKind::Measurable => t::MEASURABLE_ROW,
            RowKind::TimeBound => t::TIME_BOUND_ROW,
            RowKind::Kr1 => t::KR1_ROW,
            RowKind::Kr2 | RowKind::Scorecard => t::TARGET_BY_DATE,
            RowKind::Mbo => t::MBO_DUE_ROW,
        }
    }
}

/// One value: where it is in the document (trimmed, and inside the markup
/// around it) and what it says (read as its reader sees it; borrowed
/// unless it held an escape or markup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot<'t> {
    pub range: Range<usize>,
    pub value: Cow<'t, str>,
}

impl Slot<'_> {
    /// Whether the value is empty or only white space: its placeholder
    /// taken out and nothing written, unfilled for `lint`, the outline and
    /// the export alike. Asked of every value of a folder's run: its first
    /// bytes tell almost always (a placeholder's `⟨` too).
    #[inline]
    pub fn is_blank(&self) -> bool {
        match self.value.as_bytes() {
            [] => true,
            // (`char::is_whitespace`'s ASCII: a vertical tab too.)
            [b, ..] if b.is_ascii() => {
                matches!(b, b'\t'..=b'\r' | b' ') && self.value.trim().is_empty()
            }
            // The only starts of white space beyond ASCII: U+0085, U+00A0,
            // U+1680, U+2000 to U+205F, U+3000.
            [0xC2 | 0xE1 | 0xE3, ..] | [0xE2, 0x80 | 0x81, ..] => self.value.trim().is_empty(),
            _ => false,
        }
    }
}

/// A row's values, by slot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values<'t> {
    pub baseline: Option<Slot<'t>>,
    pub target: Option<Slot<'t>>,
    pub date: Option<Slot<'t>>,
}

impl<'t> Values<'t> {
    fn set(&mut self, which: Placeholder, slot: Slot<'t>) {
        match which {
            Placeholder::Baseline => self.baseline = Some(slot),
            Placeholder::Target => self.target = Some(slot),
            Placeholder::Date => self.date = Some(slot),
        }
    }

    /// The slots that are there, in row order.
    pub fn iter(&self) -> impl Iterator<Item = (Placeholder, &Slot<'t>)> {
        [
            (Placeholder::Baseline, &self.baseline),
            (Placeholder::Target, &self.target),
            (Placeholder::Date, &self.date),
        ]
        .into_iter()
        .filter_map(|(p, s)| s.as_ref().map(|s| (p, s)))
    }
}

/// A row with values, read from one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'t> {
    pub kind: RowKind,
    /// The row's body (after its label), in the document.
    pub body: Range<usize>,
    /// Its values, or `None` when its template words were changed so that
    /// they cannot be read.
    pub values: Option<Values<'t>>,
    /// For a row of the markdown MBO table, how many cells it has: four,
    /// or another number when a `|` typed in a value split it (then it
    /// cannot be read); 0 for every other row.
    pub cells: usize,
}

/// The value slot under byte `offset` of a document (at either end too):
/// which slot of which row, and on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotAt<'t> {
    pub line: usize,
    pub kind: RowKind,
    pub which: Placeholder,
    pub slot: Slot<'t>,
}

/// The value slot under byte `offset` of `text`, read from its line as the
/// line index has it; `None` off a row's values. What a hover and date
/// completion look at.
pub fn slot_at<'t>(
    text: &'t str,
    lines: &Lines,
    offset: usize,
    markdown: bool,
) -> Option<SlotAt<'t>> {
    let line = lines.line_of(offset.min(text.len()));
    let range = lines.range(text, line);
    let offset = offset.clamp(range.start, range.end);
    let row = read_row(&text[range.clone()], range.start, markdown)?;
    let (which, slot) = row
        .values?
        .iter()
        .find(|(_, s)| s.range.start <= offset && offset <= s.range.end)
        .map(|(which, slot)| (which, slot.clone()))?;
    Some(SlotAt {
        line,
        kind: row.kind,
        which,
        slot,
    })
}

/// Reads the line `line`, which starts at byte `at` of the document, as a
/// row with values; `None` when it is no such row. `markdown`: the line is
/// in the markdown form (escapes, bold labels, table rows).
pub fn read_row(line: &str, at: usize, markdown: bool) -> Option<Row<'_>> {
    read_as_written::<true>(line, at, markdown, &mut None)
}

/// [`read_row`], telling apart a line that is no row because it is a key
/// result the OKR frame does not have (`KR3.`, a writer's own): `Err`
/// holds its label's range in the document then, `None` for any other
/// line. Its row is not read, so its values would be left out of an
/// export without a word.
pub fn read_row_or_extra(
    line: &str,
    at: usize,
    markdown: bool,
) -> Result<Row<'_>, Option<Range<usize>>> {
    let mut extra = None;
    read_as_written::<true>(line, at, markdown, &mut extra).ok_or(extra)
}

/// A row whose values cannot be read as written, read again with the
/// template's own spacing around the words a padding surrounds (`  →  `,
/// the gap before `[source: …]`, the text form's `   Due: `): the
/// padding is layout, not words, and an editor may have made it one
/// space or a tab. The values keep their places in `line`.
#[cold]
#[inline(never)]
fn read_repadded<'t>(line: &'t str, at: usize, markdown: bool, row: Row<'t>) -> Row<'t> {
    // A markdown label as the renderer escapes it, or as a formatter left
    // it (a reader sees the same `[source: …]`).
    let escaped = crate::render::markdown_escape_inline(t::SOURCE_OPEN);
    let source = if markdown && line.contains(escaped.as_str()) {
        escaped
    } else {
        t::SOURCE_OPEN.to_string()
    };
    let due = match t::MBO_DUE_ROW {
        [_, Piece::Words(w), ..] => *w,
        _ => return row,
    };
    // (the padded words, whether the values are before their last writing)
    let padded: Vec<(String, bool)> = match row.kind {
        RowKind::Scorecard => vec![
            (t::ARROW.to_string(), true),
            ([t::SOURCE_GAP, &source].concat(), true),
        ],
        RowKind::Mbo if !markdown => vec![(due.to_string(), false)],
        _ => return row,
    };
    let mut again = line.to_string();
    // Each respacing: where its new text ends in `again`, and how many
    // bytes longer the text it replaced was.
    let mut respaced: Vec<(usize, isize)> = Vec::new();
    for (words, last) in &padded {
        let core = words.trim_ascii();
        let found = if *last {
            again.rfind(core)
        } else {
            again.find(core)
        };
        let Some(p) = found else {
            return row;
        };
        let pad_before = &words[..words.len() - words.trim_ascii_start().len()];
        let pad_after = &words[words.trim_ascii_end().len()..];
        let start = again[..p].trim_end_matches([' ', '\t']).len();
        let after = p + core.len();
        let end =
            after + (again[after..].len() - again[after..].trim_start_matches([' ', '\t']).len());
        let new = [pad_before, core, pad_after].concat();
        respaced.push((
            start + new.len(),
            (end - start) as isize - new.len() as isize,
        ));
        again = [&again[..start], &new, &again[end..]].concat();
    }
    // An offset of `again` in `line`: values lie outside the respaced
    // stretches, so each moves by what was respaced before it.
    let in_line = |o: usize| {
        respaced
            .iter()
            .rev()
            .fold(o as isize, |o, &(new_end, longer)| {
                if o >= new_end as isize {
                    o + longer
                } else {
                    o
                }
            }) as usize
    };
    let Some(Row {
        values: Some(values),
        ..
    }) = read_as_written::<false>(&again, 0, markdown, &mut None)
    else {
        return row;
    };
    let mut placed = Values::default();
    for (which, slot) in values.iter() {
        let range = in_line(slot.range.start)..in_line(slot.range.end);
        if line.get(range.clone()) != again.get(slot.range.clone()) {
            return row;
        }
        let value = match &slot.value {
            Cow::Borrowed(_) => Cow::Borrowed(&line[range.clone()]),
            Cow::Owned(v) => Cow::Owned(v.clone()),
        };
        placed.set(
            which,
            Slot {
                range: at + range.start..at + range.end,
                value,
            },
        );
    }
    Row {
        values: Some(placed),
        ..row
    }
}

/// The bytes a row's line can start with, in either form: a table's pipe,
/// a list marker, a bold label's mark.
const ROW_INITIALS: [bool; 256] = {
    let mut table = [false; 256];
    table[b'|' as usize] = true;
    let mut i = 0;
    while i < t::LIST_MARKERS.len() {
        table[t::LIST_MARKERS[i] as usize] = true;
        i += 1;
    }
    let mut i = 0;
    while i < t::STRONG_MARKS.len() {
        table[t::STRONG_MARKS[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    table
};

/// [`read_row`]; `REPAD`: a row that cannot be read is read again with
/// the template's padding ([`read_repadded`]).
fn read_as_written<'l, const REPAD: bool>(
    line: &'l str,
    at: usize,
    markdown: bool,
    extra: &mut Option<Range<usize>>,
) -> Option<Row<'l>> {
    let content = line.trim_ascii_start();
    let indent = line.len() - content.len();
    // Most lines of a block are no such row: told by their first byte (a
    // table, a bullet, a bold label, or a label's first letter).
    match content.as_bytes().first() {
        Some(&b) if ROW_INITIALS[usize::from(b)] => {}
        Some(&b) if !markdown && t::LABEL_INITIALS.contains(&b) => {}
        _ => return None,
    }
    if markdown && content.starts_with('|') {
        return table_row(content, at + indent);
    }
    let (bulleted, rest) = match t::after_list_marker(content) {
        Some(r) => (true, r),
        None => (false, content),
    };
    let row = if let Some((kind, body)) = labelled(rest, markdown) {
        let body_at = at + (line.len() - body.len());
        read_body(kind, body.trim_ascii_end(), body_at, markdown)
    } else if kr_initial(rest) {
        // (`extra`: a key result the frame does not have, its label.)
        let rest_at = at + (line.len() - rest.len());
        *extra = extra_key_result(rest).map(|l| rest_at + l.start..rest_at + l.end);
        return None;
    } else if bulleted {
        scorecard_row(rest, at + (line.len() - rest.len()), markdown)?
    } else {
        return None;
    };
    if REPAD && row.values.is_none() {
        return Some(read_repadded(line, at, markdown, row));
    }
    Some(row)
}

/// Whether `s` starts with `K` past up to two bold marks: the first
/// letter of a key result's label (`KR3.`, `**KR3.**`).
#[inline(always)]
fn kr_initial(s: &str) -> bool {
    let k = t::KR1.as_bytes()[0];
    match s.as_bytes() {
        [c, ..] if *c == k => true,
        [b'*' | b'_', c, ..] if *c == k => true,
        [b'*' | b'_', b'*' | b'_', c, ..] => *c == k,
        _ => false,
    }
}

/// A key result label the OKR frame does not have (`KR3.` and on, in any
/// bold) at the start of `s`: its range in `s`. Few lines come here (no
/// row, and past the first-byte test).
#[inline(never)]
fn extra_key_result(s: &str) -> Option<Range<usize>> {
    let name = s.trim_start_matches(['*', '_']);
    // `KR`, as the template's labels write it.
    let lead = t::KR1.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let digits = name.strip_prefix(lead)?;
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    let number: u32 = digits[..n].parse().ok()?;
    let after = &digits[n..];
    let after = after.strip_prefix(['.', ':']).unwrap_or(after);
    let after = after.trim_start_matches(['*', '_']);
    let spaced = after.is_empty() || after.starts_with([' ', '\t']);
    (number > 2 && spaced).then(|| 0..s.len() - after.len())
}

/// A row label (`Measurable:`, `**KR1.**`, …) at the start of `s`: the
/// row and what follows the label and its padding.
fn labelled(s: &str, markdown: bool) -> Option<(RowKind, &str)> {
    // Markdown labels are bold, in either mark, the same each side.
    let [strong, strong_alt] = t::STRONG_MARKS;
    let found = if !markdown {
        label_closed_by(s, "")
    } else if let Some(name) = s.strip_prefix(strong) {
        label_closed_by(name, strong)
    } else {
        label_closed_by(s.strip_prefix(strong_alt)?, strong_alt)
    };
    // The text form's MBO row: `Target:` padded.
    let found = found.or_else(|| {
        let r = s.strip_prefix(t::TARGET)?.strip_prefix(':')?;
        (!markdown).then_some((RowKind::Mbo, r))
    });
    let (kind, after) = found?;
    // A label is followed by white space (or the end of the line).
    (after.is_empty() || after.starts_with([' ', '\t'])).then(|| (kind, after.trim_ascii_start()))
}

/// The label of a row with values at the start of `name` (past a bold
/// label's opening mark), closed by `mark`, and what follows it. Inlined
/// so that each call compares a mark known when compiled.
#[inline(always)]
fn label_closed_by<'s>(name: &'s str, mark: &str) -> Option<(RowKind, &'s str)> {
    // Most bullets are other rows (`**Specific:**`): told by the label's
    // first letter.
    if !name
        .as_bytes()
        .first()
        .is_some_and(|b| t::LABEL_INITIALS.contains(b))
    {
        return None;
    }
    const LABELS: [(&str, RowKind); 4] = [
        (t::MEASURABLE, RowKind::Measurable),
        (t::TIME_BOUND, RowKind::TimeBound),
        (t::KR1, RowKind::Kr1),
        (t::KR2, RowKind::Kr2),
    ];
    LABELS
        .iter()
        .find_map(|&(label, kind)| Some((kind, name.strip_prefix(label)?.strip_prefix(mark)?)))
}

fn read_body(kind: RowKind, body: &str, at: usize, markdown: bool) -> Row<'_> {
    let span = at..at + body.len();
    let values = match kind {
        RowKind::Kr1 => {
            // The values end where ` — tied to: "` begins: a value may
            // hold a dash of its own (`20 deals — stretch 25`).
            find_where(body, t::SEP, |i| {
                body[i + t::SEP.len()..].starts_with(t::TIED_TO)
            })
            .and_then(|i| slots(kind.pieces(), &body[..i], at, markdown))
        }
        RowKind::Kr2 => {
            // `Evidence at this level's <name> bar: "<text>" — ` then the
            // values: the last dash after a quote (a value may hold a dash
            // of its own, and canon text a quote and a dash).
            body.strip_prefix(t::KR2_LEAD)
                .and_then(|_| {
                    rfind_where(body, t::SEP, |i| {
                        body[..i].ends_with(t::QUOTE) || body[..i].ends_with(t::CURLY_CLOSE)
                    })
                })
                .and_then(|i| {
                    let from = i + t::SEP.len();
                    slots(kind.pieces(), &body[from..], at + from, markdown)
                })
        }
        _ => slots(kind.pieces(), body, at, markdown),
    };
    Row {
        kind,
        body: span,
        values,
        cells: 0,
    }
}

/// A scorecard row (after its bullet): `"<text>"  →  T by D   [source: …]`
/// or `Meets the … bar: "<text>"  →  T by D   [source: …]`. Other bullet
/// lines are not rows.
fn scorecard_row(s: &str, at: usize, markdown: bool) -> Option<Row<'_>> {
    let s = s.trim_ascii_end();
    let opens_quote = |s: &str| {
        s.starts_with(t::QUOTE)
            || s.starts_with(t::CURLY_OPEN)
            || s.starts_with(t::CALIBRATION_LEAD)
    };
    // Most bullets are other rows (`**Specific:**`): told by their ends.
    if !s.ends_with(']') {
        // A row whose source label was taken off is still a row, one whose
        // values cannot be told from what follows them: the goal must not
        // go missing without a word.
        return (opens_quote(s) && find(s, t::ARROW).is_some()).then(|| Row {
            kind: RowKind::Scorecard,
            body: at..at + s.len(),
            values: None,
            cells: 0,
        });
    }
    if !opens_quote(s) {
        return None;
    }
    // In markdown the renderer escapes the label's bracket (`\[source: …\]`);
    // a formatter may take the escape out (mdformat, remark), and a reader
    // sees the same label either way.
    let source = rfind(s, t::SOURCE_OPEN).map(|i| {
        if markdown && i > 0 && s.as_bytes()[i - 1] == b'\\' {
            i - 1
        } else {
            i
        }
    })?;
    let before = s[..source].strip_suffix(t::SOURCE_GAP);
    let values = before.and_then(|v| {
        let i = rfind(v, t::ARROW)?;
        let from = i + t::ARROW.len();
        slots(RowKind::Scorecard.pieces(), &v[from..], at + from, markdown)
    });
    Some(Row {
        kind: RowKind::Scorecard,
        body: at..at + s.len(),
        values,
        cells: 0,
    })
}

/// Where the cells of a table line `inner` (inside its outer pipes) part:
/// each `|` not escaped by a backslash (canon text escapes its pipes),
/// found with memchr (a row's long canon cells are not walked bytewise).
pub fn cell_pipes(inner: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = inner.as_bytes();
    memchr::memchr_iter(b'|', bytes).filter(move |&i| i == 0 || bytes[i - 1] != b'\\')
}

/// A markdown MBO table row: `| Area | Standard | Target | Due |` with
/// values in the last two cells. The header and delimiter rows and tables
/// of another shape are not rows; a row of the MBO table split into more
/// cells or fewer (a `|` typed in a value, a cell taken out) is one that
/// cannot be read.
fn table_row(s: &str, at: usize) -> Option<Row<'_>> {
    let s = s.trim_ascii_end();
    let inner = s.strip_prefix('|')?.strip_suffix('|')?;
    let mut cells: [Range<usize>; 4] = Default::default();
    let mut n = 0;
    let mut start = 0;
    for i in cell_pipes(inner).chain(std::iter::once(inner.len())) {
        if n < 4 {
            cells[n] = start..i;
        }
        n += 1;
        start = i + 1;
    }
    let cell = |i: usize| inner[cells[i].clone()].trim_ascii();
    if n != 4 {
        // The MBO table's: its second cell is the standard (or empty, for
        // a level without the rubric).
        let standard = n > 2 && (cell(1).is_empty() || cell(1).starts_with(t::STANDARD.trim_end()));
        return standard.then(|| Row {
            kind: RowKind::Mbo,
            body: at..at + s.len(),
            values: None,
            cells: n,
        });
    }
    if cell(2) == t::TARGET || cell(2).starts_with("---") {
        return None;
    }
    let base = at + 1;
    let mut values = Values::default();
    for (i, which) in [(2, Placeholder::Target), (3, Placeholder::Date)] {
        let raw = &inner[cells[i].clone()];
        values.set(which, slot(raw, base + cells[i].start, true));
    }
    Some(Row {
        kind: RowKind::Mbo,
        body: at..at + s.len(),
        values: Some(values),
        cells: 4,
    })
}

/// Matches `s` (at byte `at`) against a row's pieces: `None` when its
/// words are not the template's.
fn slots<'t>(pieces: &[Piece], s: &'t str, at: usize, markdown: bool) -> Option<Values<'t>> {
    let mut values = Values::default();
    // Words after the last slot end the row.
    let (mut pieces, mut s) = (pieces, s.trim_ascii_end());
    while let [rest @ .., Piece::Words(w)] = pieces {
        s = s.strip_suffix(w)?;
        pieces = rest;
    }
    let mut from = 0;
    let mut i = 0;
    while i < pieces.len() {
        match pieces[i] {
            Piece::Words(w) => {
                if !s[from..].starts_with(w) {
                    return None;
                }
                from += w.len();
                i += 1;
            }
            Piece::Slot(which) => {
                let end = match pieces.get(i + 1) {
                    None => s.len(),
                    Some(Piece::Words(w)) => {
                        let rest = &s[from..];
                        let found = if pieces.get(i + 2) == Some(&Piece::Slot(Placeholder::Date)) {
                            rfind(rest, w)
                        } else {
                            find(rest, w)
                        };
                        from + found?
                    }
                    // Two slots in a row: not a row this reader knows.
                    Some(Piece::Slot(_)) => return None,
                };
                // The template's word typed again with the value (`to to
                // 20`, `20 deals by by Q2`): which of the two writings is
                // the template's cannot be told. Told by a byte at each end
                // first, as most values neither start nor end like a word
                // next to a slot.
                let raw = &s.as_bytes()[from..end];
                if let (Some(&first), Some(&last)) = (raw.first(), raw.last()) {
                    let (opens, closes) = &*EDGE_BYTES;
                    if (opens[first as usize] || closes[last as usize])
                        && repeats_word(raw.trim_ascii(), pieces, i)
                    {
                        return None;
                    }
                }
                values.set(which, slot(&s[from..end], at + from, markdown));
                from = end;
                i += 1;
            }
        }
    }
    Some(values)
}

/// The bytes a value starts with when it may start with the word before
/// its slot (`f`, `F` for `from`), and those it ends with when it may end
/// with the word after it (`y`, `Y` for `by`); a space either way, as a
/// value is trimmed only after. From the rows' own pieces.
static EDGE_BYTES: std::sync::LazyLock<([bool; 256], [bool; 256])> =
    std::sync::LazyLock::new(|| {
        let (mut opens, mut closes) = ([false; 256], [false; 256]);
        let mark = |table: &mut [bool; 256], b: Option<u8>| {
            for b in b.into_iter().chain([b' ']) {
                table[b.to_ascii_lowercase() as usize] = true;
                table[b.to_ascii_uppercase() as usize] = true;
            }
        };
        for pieces in RowKind::ALL.map(RowKind::pieces) {
            for (i, p) in pieces.iter().enumerate() {
                let Piece::Words(w) = *p else { continue };
                if i > 0 {
                    mark(&mut closes, edge_word(w, false).bytes().last());
                }
                if i + 1 < pieces.len() {
                    mark(&mut opens, edge_word(w, true).bytes().next());
                }
            }
        }
        (opens, closes)
    });

/// Whether value `v` of slot `pieces[i]` starts with the last word of the
/// template's words before it or ends with the first word of those after
/// it, in any case: a word of the template typed twice.
#[cold]
#[inline(never)]
fn repeats_word(v: &[u8], pieces: &[Piece], i: usize) -> bool {
    let opens = |word: &str| {
        let w = word.as_bytes();
        v.len() >= w.len()
            && v[..w.len()].eq_ignore_ascii_case(w)
            && v.get(w.len()).is_none_or(|b| *b == b' ')
    };
    let closes = |word: &str| {
        let w = word.as_bytes();
        v.len() >= w.len()
            && v[v.len() - w.len()..].eq_ignore_ascii_case(w)
            && (v.len() == w.len() || v[v.len() - w.len() - 1] == b' ')
    };
    let before = i.checked_sub(1).map(|b| &pieces[b]);
    matches!(before, Some(Piece::Words(w)) if opens(edge_word(w, true)))
        || matches!(pieces.get(i + 1), Some(Piece::Words(w)) if closes(edge_word(w, false)))
}

/// The last word of template words (`from` of `… drives from `), or the
/// first (`by` of ` by `).
fn edge_word(w: &str, last: bool) -> &str {
    let mut words = w.split_ascii_whitespace();
    let word = if last {
        words.next_back()
    } else {
        words.next()
    };
    word.unwrap_or_default()
}

/// Where words of the template are typed twice in a row that cannot be
/// read (`from from 12 to to 20 deals by 2027-06-30`): each such word and
/// the range in `line` of its second writing with the white space before
/// it, when taking them all out makes the row read. `reads` says whether
/// a line reads.
pub fn doubled_words(
    kind: RowKind,
    line: &str,
    reads: impl Fn(&str) -> bool,
) -> Vec<(&'static str, Range<usize>)> {
    let lower = line.to_ascii_lowercase();
    let mut found: Vec<(&'static str, Range<usize>)> = Vec::new();
    let words = kind.pieces().iter().flat_map(|p| match *p {
        Piece::Words(w) => w.split_ascii_whitespace().collect::<Vec<_>>(),
        Piece::Slot(_) => Vec::new(),
    });
    for word in words {
        let w = word.to_ascii_lowercase();
        for (at, _) in lower.match_indices(&w) {
            // The word, white space, the word again, then a space or the
            // end; each word on its own.
            let first_end = at + w.len();
            let rest = &lower[first_end..];
            let second = first_end + (rest.len() - rest.trim_ascii_start().len());
            let end = second + w.len();
            let alone = |from: usize, to: usize| {
                (from == 0 || lower.as_bytes()[from - 1] == b' ')
                    && lower.as_bytes().get(to).is_none_or(|b| *b == b' ')
            };
            if second > first_end
                && lower[second..].starts_with(&w)
                && alone(at, first_end)
                && alone(second, end)
                && !found
                    .iter()
                    .any(|(_, r)| r.start < end && first_end < r.end)
            {
                found.push((word, first_end..end));
            }
        }
    }
    found.sort_by_key(|(_, r)| r.start);
    let mut without = String::with_capacity(line.len());
    let mut from = 0;
    for (_, r) in &found {
        without.push_str(&line[from..r.start]);
        from = r.end;
    }
    without.push_str(&line[from..]);
    if found.is_empty() || !reads(&without) {
        return Vec::new();
    }
    found
}

// Rows are short and the words searched for are a few bytes: candidates
// are found by the words' first byte that is not a space (spaces are a
// row's commonest byte), without building a searcher for each search.
fn anchor(needle: &[u8]) -> Option<usize> {
    needle
        .iter()
        .position(|&b| b != b' ')
        .or((!needle.is_empty()).then_some(0))
}

fn find(haystack: &str, needle: &str) -> Option<usize> {
    find_where(haystack, needle, |_| true)
}

fn rfind(haystack: &str, needle: &str) -> Option<usize> {
    rfind_where(haystack, needle, |_| true)
}

/// The first occurrence of `needle` at which `and` holds.
fn find_where(haystack: &str, needle: &str, and: impl Fn(usize) -> bool) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let k = anchor(n)?;
    memchr::memchr_iter(n[k], h)
        .filter_map(|p| p.checked_sub(k))
        .find(|&i| h[i..].starts_with(n) && and(i))
}

/// The last occurrence of `needle` at which `and` holds.
fn rfind_where(haystack: &str, needle: &str, and: impl Fn(usize) -> bool) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let k = anchor(n)?;
    memchr::memrchr_iter(n[k], h)
        .filter_map(|p| p.checked_sub(k))
        .find(|&i| h[i..].starts_with(n) && and(i))
}

/// Whether markdown text may hold an escape, an entity or markup: a
/// backslash, an `&`, a `*`, a `_`, a backtick or a `<`. Most values hold
/// none.
fn may_be_marked_up(s: &[u8]) -> bool {
    // A value is a few bytes: a table, one load a byte, beats a vector
    // search's set-up.
    const MARKUP: [bool; 256] = {
        let mut t = [false; 256];
        let mut i = 0;
        let bytes = b"\\&*_`<";
        while i < bytes.len() {
            t[bytes[i] as usize] = true;
            i += 1;
        }
        t
    };
    s.iter().any(|&b| MARKUP[b as usize])
}

/// One value: trimmed, and in markdown read as its reader sees it (escapes
/// undone; emphasis, code spans and comments are markup, `inline`).
/// `markdown`: the value is in the markdown form.
// Inlined: returned from a call, a slot was written to the stack a word
// at a time and read back in wider moves, which stalled every row (8 %
// of reading the rows of the benchmark corpus).
#[inline(always)]
fn slot(raw: &str, at: usize, markdown: bool) -> Slot<'_> {
    let trimmed = raw.trim_ascii();
    let start = at + (trimmed.as_ptr() as usize - raw.as_ptr() as usize);
    // Most values hold neither an escape nor markup.
    if markdown && may_be_marked_up(trimmed.as_bytes()) {
        return read_marked_up(trimmed, start);
    }
    Slot {
        range: start..start + trimmed.len(),
        value: Cow::Borrowed(trimmed),
    }
}

/// A markdown value that may hold an escape or markup, at byte `start`.
#[cold]
#[inline(never)]
fn read_marked_up(trimmed: &str, start: usize) -> Slot<'_> {
    if inline::may_hold_markup(trimmed) || inline::may_hold_entity(trimmed) {
        let (text, span) = inline::read(trimmed);
        return Slot {
            range: start + span.start..start + span.end,
            value: Cow::Owned(text),
        };
    }
    let value = if trimmed.contains(['\\', '&']) {
        let mut out = String::new();
        markdown_unescape_into(trimmed, &mut out);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(trimmed)
    };
    Slot {
        range: start..start + trimmed.len(),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (slot, value) of every slot the line has, or `None` for a row
    /// whose words changed; `Err(())` for a line that is no row.
    fn read(line: &str, markdown: bool) -> Result<Option<Vec<(Placeholder, String)>>, ()> {
        let row = read_row(line, 0, markdown).ok_or(())?;
        Ok(row.values.map(|v| {
            v.iter()
                .map(|(p, s)| {
                    assert_eq!(line[s.range.clone()].trim(), &line[s.range.clone()]);
                    (p, s.value.to_string())
                })
                .collect()
        }))
    }

    fn vals(v: &[(Placeholder, &str)]) -> Result<Option<Vec<(Placeholder, String)>>, ()> {
        Ok(Some(v.iter().map(|(p, s)| (*p, s.to_string())).collect()))
    }

    use Placeholder::{Baseline as B, Date as D, Target as T};

    #[test]
    fn every_row_reads_in_both_forms() {
        let text = [
            ("   Measurable:  Move the metric this drives from 12 to 20 deals by 2027-06-30.", vals(&[(B, "12"), (T, "20 deals"), (D, "2027-06-30")])),
            ("   Time-bound:  Q2 2027", vals(&[(D, "Q2 2027")])),
            ("  KR1. From 3 to 5 by 2027-H1 — tied to: \"x — tied to: y\"", vals(&[(B, "3"), (T, "5"), (D, "2027-H1")])),
            ("  KR2. Evidence at this level's scope bar: \"a\" — b\" — 4 reviews by 2027-06", vals(&[(T, "4 reviews"), (D, "2027-06")])),
            ("  KR1. From 2 — 3 days to 1 day by 2027-H1 — tied to: \"x\"", vals(&[(B, "2 — 3 days"), (T, "1 day"), (D, "2027-H1")])),
            ("  KR2. Evidence at this level's scope bar: \"a\" — 4 reviews — stretch 5 by 2027-06", vals(&[(T, "4 reviews — stretch 5"), (D, "2027-06")])),
            ("   Target:   90% on time   Due: 30 June 2027", vals(&[(T, "90% on time"), (D, "30 June 2027")])),
            ("  - \"Manages x.\"  →  20 by Q2 2027   [source: JFM responsibility (P2)]", vals(&[(T, "20"), (D, "Q2 2027")])),
            ("  - Meets the scope bar: \"y\"  →  3 by 2027-06-30   [source: level dimension (Scope)]", vals(&[(T, "3"), (D, "2027-06-30")])),
            // The padding is layout: an editor may have made it one space
            // or a tab, or taken it out after `Due:`.
            ("   Target: 90% on time Due: 30 June 2027", vals(&[(T, "90% on time"), (D, "30 June 2027")])),
            ("   Target:   90% on time\tDue:30 June 2027", vals(&[(T, "90% on time"), (D, "30 June 2027")])),
            ("  - \"Manages x.\" → 20 by Q2 2027 [source: JFM responsibility (P2)]", vals(&[(T, "20"), (D, "Q2 2027")])),
            ("  - Meets the scope bar: \"y\"\t→\t3 by 2027-06-30\t[source: x]", vals(&[(T, "3"), (D, "2027-06-30")])),
            ("  - \"Grow 3 by 2027.\"→3 by 2027-06-30 [source: x]", vals(&[(T, "3"), (D, "2027-06-30")])),
        ];
        for (line, want) in text {
            assert_eq!(read(line, false), want, "{line}");
        }
        let markdown = [
            (
                "   - **Measurable:** Move the metric this drives from 1\\* to 2 by 2027-06-30.",
                vals(&[(B, "1*"), (T, "2"), (D, "2027-06-30")]),
            ),
            (
                "   - **Time-bound:** 2027-06-30",
                vals(&[(D, "2027-06-30")]),
            ),
            (
                "   - **KR1.** From ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩ — tied to: \"x\"",
                vals(&[(B, "⟨baseline⟩"), (T, "⟨target⟩"), (D, "⟨date⟩")]),
            ),
            (
                "   - **KR1.** From **12** to **20** deals — stretch 25 by 2027-05-31 — tied to: \"x\"",
                vals(&[(B, "12"), (T, "20 deals — stretch 25"), (D, "2027-05-31")]),
            ),
            (
                "| Area \\| x | Standard | 12 deals | 2027-Q2 |",
                vals(&[(T, "12 deals"), (D, "2027-Q2")]),
            ),
            (
                "- \"Manages x.\" → **20** by Q2 2027 \\[source: JFM responsibility (P2)\\]",
                vals(&[(T, "20"), (D, "Q2 2027")]),
            ),
            (
                "- \"Manages x.\"  →  20 by Q2 2027   \\[source: JFM responsibility (P2)\\]",
                vals(&[(T, "20"), (D, "Q2 2027")]),
            ),
            // Markdown's other ways of writing a list item and bold.
            (
                "    *   __Measurable:__ Move the metric this drives from 1 to 2 by 2027-06-30.",
                vals(&[(B, "1"), (T, "2"), (D, "2027-06-30")]),
            ),
            (
                "+\t\"Manages x.\" → 20 by Q2 2027 \\[source: JFM responsibility (P2)\\]",
                vals(&[(T, "20"), (D, "Q2 2027")]),
            ),
            // The label's escapes taken out by a formatter (mdformat).
            (
                "- \"Manages x.\"  →  20 by Q2 2027   [source: JFM responsibility (P2)]",
                vals(&[(T, "20"), (D, "Q2 2027")]),
            ),
            (
                "- \"Manages x.\" → 20 by Q2 2027 [source: JFM responsibility (P2)]",
                vals(&[(T, "20"), (D, "Q2 2027")]),
            ),
        ];
        for (line, want) in markdown {
            assert_eq!(read(line, true), want, "{line}");
        }
    }

    /// A key result the OKR frame does not have is told apart from the
    /// lines that are no row, in either form; the frame's own are rows.
    #[test]
    fn key_results_the_frame_does_not_have() {
        for (line, md, want) in [
            (
                "   - **KR3.** From 1 to 2 by 2027-06-30",
                true,
                Some("**KR3.**"),
            ),
            ("   * __KR4:__ 2 demos", true, Some("__KR4:__")),
            ("- KR10 more", true, Some("KR10")),
            ("  KR3. From 1 to 2 by 2027-06-30", false, Some("KR3.")),
            ("   - **KR2** notes", true, None),
            ("   - KR3x", true, None),
            ("   - **Keep** it", true, None),
            ("   - Keep KRs current", true, None),
            ("  KR", false, None),
        ] {
            let got = match read_row_or_extra(line, 10, md) {
                Ok(_) => panic!("{line:?} is no row"),
                Err(extra) => extra.map(|r| &line[r.start - 10..r.end - 10]),
            };
            assert_eq!(got, want, "{line:?}");
        }
        for line in ["   - **KR1.** From 1 to 2 by 2027-06-30", "  KR2. Evidence"] {
            let md = line.contains('*');
            assert!(read_row_or_extra(line, 0, md).is_ok(), "{line:?}");
        }
    }

    #[test]
    fn every_kind_is_in_all() {
        // A kind added to the enum stops this match compiling until it is
        // given its place in `ALL`.
        for (i, kind) in RowKind::ALL.into_iter().enumerate() {
            let place = match kind {
                RowKind::Measurable => 0,
                RowKind::TimeBound => 1,
                RowKind::Kr1 => 2,
                RowKind::Kr2 => 3,
                RowKind::Mbo => 4,
                RowKind::Scorecard => 5,
            };
            assert_eq!(place, i, "{kind:?}");
        }
    }

    #[test]
    fn templates_are_named_as_the_renderer_writes_them() {
        assert_eq!(
            RowKind::Measurable.template(),
            "Measurable: Move the metric this drives from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩."
        );
        assert_eq!(RowKind::TimeBound.template(), "Time-bound: ⟨date⟩");
        assert_eq!(
            RowKind::Kr1.template(),
            "KR1. From ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩ — tied to: \"…\""
        );
        assert_eq!(
            RowKind::Kr2.template(),
            "KR2. Evidence at this level's … bar: \"…\" — ⟨target⟩ by ⟨date⟩"
        );
        assert_eq!(RowKind::Mbo.template(), "Target: ⟨target⟩   Due: ⟨date⟩");
        assert_eq!(
            RowKind::Scorecard.template(),
            "- \"…\"  →  ⟨target⟩ by ⟨date⟩   [source: …]"
        );
    }

    #[test]
    fn every_text_label_starts_with_a_listed_initial() {
        for label in [t::MEASURABLE, t::TIME_BOUND, t::KR1, t::KR2, t::TARGET] {
            assert!(t::LABEL_INITIALS.contains(&label.as_bytes()[0]), "{label}");
        }
    }

    #[test]
    fn the_separator_rule_reads_values_that_hold_the_words() {
        assert_eq!(
            read("   Measurable:  Move the metric this drives from 10 to 20 to 30 by Q2 by 2027-06-30.", false),
            vals(&[(B, "10"), (T, "20 to 30 by Q2"), (D, "2027-06-30")])
        );
    }

    #[test]
    fn changed_words_make_a_row_that_cannot_be_read() {
        for (line, markdown) in [
            (
                "   Measurable:  Grow the pipeline from 10 to 20 by 2027-06-30.",
                false,
            ),
            (
                "   Measurable:  Move the metric this drives from 10 up to 20 by 2027-06-30",
                false,
            ),
            ("   - **KR1.** From 3 until 5 by Q2 — tied to: \"x\"", true),
            ("   - **KR1.** From 3 to 5 by Q2 — linked to: \"x\"", true),
            (
                "  KR2. Proof at this level's scope bar: \"a\" — 4 by Q2",
                false,
            ),
            (
                "  - \"Manages x.\"  ->  20 by Q2 2027   [source: JFM responsibility (P2)]",
                false,
            ),
            ("   Target:   90%   Due by: 2027-06-30", false),
            // A `|` typed in a value splits a row of the MBO table; a cell
            // taken out leaves it short.
            (
                "| Area | Consistent with this level's jfm knowledge-application rubric: \"x\" | 20 | 25 deals | 2027-06-30 |",
                true,
            ),
            ("| Area |  | 20 deals |", true),
            // A scorecard row without its source label.
            ("  - \"Manages x.\"  →  20 by Q2 2027", false),
            ("- Meets the scope bar: \"y\"  →  3 by 2027-06-30", true),
            // A word of the template typed again with a value.
            (
                "   Measurable:  Move the metric this drives from 10 to to 20 by 2027-06-30.",
                false,
            ),
            (
                "   - **Measurable:** Move the metric this drives from From 10 to 20 by 2027-06-30.",
                true,
            ),
            ("   - **KR1.** From 3 to 5 by by Q2 2027 — tied to: \"x\"", true),
            ("   - **KR1.** From 3 to TO 5 by Q2 2027 — tied to: \"x\"", true),
            ("- \"Manages x.\"  →  20 by by 2027-06-30   \\[source: y\\]", true),
            ("   Target:   90%   Due:   Due: 2027-06-30", false),
        ] {
            assert_eq!(read(line, markdown), Ok(None), "{line}");
        }
    }

    /// A row read again with the template's padding keeps its values'
    /// places in the line as written, even where the same text stands
    /// before them.
    #[test]
    fn tidied_padding_keeps_values_in_place() {
        for (line, markdown) in [
            (
                "  - \"Grow 3 by 2027.\"\t→ 3 by 2027 by 2027-06-30 [source: x]",
                false,
            ),
            (
                "- \"Grow 3 by 2027.\" → 3 by 2027 by 2027-06-30 \\[source: x\\]",
                true,
            ),
            ("   Target: 3 Due:\t2027-06-30", false),
        ] {
            let row = read_row(line, 100, markdown).expect("a row");
            let values = row.values.expect("read");
            let target = values.target.expect("a target");
            let date = values.date.expect("a date");
            let at = |r: &Range<usize>| &line[r.start - 100..r.end - 100];
            assert_eq!(at(&target.range), target.value, "{line}");
            assert_eq!(at(&date.range), "2027-06-30", "{line}");
            // The target after the arrow or label, not the `3` of the quote.
            let after = line.find('→').or(line.find(':')).unwrap_or(0);
            assert!(target.range.start - 100 > after, "{line}");
        }
    }

    /// A row with a word of the template typed twice names the words and
    /// where the second writing of each is; taking them out makes it read.
    #[test]
    fn words_typed_twice_are_found() {
        let reads = |l: &str| read(l, false).is_ok_and(|r| r.is_some());
        for (line, words, fixed) in [
            (
                "   Measurable:  Move the metric this drives from from 12 to to 20 deals by by 2027-06-30.",
                &["from", "to", "by"][..],
                "   Measurable:  Move the metric this drives from 12 to 20 deals by 2027-06-30.",
            ),
            (
                "  KR1. From 3 to 5 by  BY Q2 2027 — tied to: \"x\"",
                &["by"][..],
                "  KR1. From 3 to 5 by Q2 2027 — tied to: \"x\"",
            ),
        ] {
            let kind = read_row(line, 0, false).map(|r| r.kind).unwrap();
            let found = doubled_words(kind, line, reads);
            let named: Vec<&str> = found.iter().map(|(w, _)| *w).collect();
            assert_eq!(named, words, "{line}");
            let mut out = line.to_string();
            for (_, r) in found.iter().rev() {
                out.replace_range(r.clone(), "");
            }
            assert_eq!(out, fixed);
        }
        // No word twice, or not one that makes the row read.
        for line in [
            "   Measurable:  Move the metric this drives from 12 to 20 by 2027-06-30.",
            "   Measurable:  Grow the pipeline from from 10 to 20 by 2027-06-30.",
            "   Measurable:  Move the metric this drives from 12 to 20 by 2027-06-30 or so",
        ] {
            let kind = read_row(line, 0, false).map(|r| r.kind).unwrap();
            assert_eq!(doubled_words(kind, line, reads), Vec::new(), "{line}");
        }
    }

    #[test]
    fn a_blank_value_is_white_space_of_any_kind() {
        let blank = |v: &str| {
            Slot {
                range: 0..v.len(),
                value: Cow::Borrowed(v),
            }
            .is_blank()
        };
        for v in [
            "",
            " ",
            "\t",
            "\u{a0}",
            "\u{85}",
            "\u{1680}",
            "\u{2003}",
            "\u{202f}",
            "\u{205f}",
            "\u{3000}",
            "\u{a0} \u{3000}",
        ] {
            assert!(blank(v), "{v:?}");
            assert_eq!(blank(v), v.trim().is_empty());
        }
        // Every character, alone and before a letter.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(blank(&c.to_string()), c.is_whitespace(), "{c:?}");
            assert!(!blank(&format!("{c}x")), "{c:?}");
        }
        for v in [
            "20",
            "⟨target⟩",
            "目标",
            "\u{2014}",
            "\u{2060}",
            "\u{a0}x",
            "¼",
            "ሀ",
            "〇",
            " x",
        ] {
            assert!(!blank(v), "{v:?}");
        }
    }

    #[test]
    fn other_lines_are_not_rows() {
        for (line, markdown) in [
            ("Targets for Q2 are in the appendix.", false),
            (
                "- Which CRM report do we take the pipeline baseline from?",
                true,
            ),
            ("   - **Specific:** Deliver: \"x\"", true),
            ("| Area | Standard | Target | Due |", true),
            ("| --- | --- | --- | --- |", true),
            ("| a | b |", true),
            ("| a | b | c | d | e |", true),
            ("- \"a quote\" of mine", true),
            ("Measurable:yes", false),
            // Bold is `**` or `__` on both sides, not one of each.
            (
                "   - **Measurable:__ Move the metric this drives from 1 to 2 by 3.",
                true,
            ),
            (
                "   -**Measurable:** Move the metric this drives from 1 to 2 by 3.",
                true,
            ),
        ] {
            assert_eq!(read(line, markdown), Err(()), "{line}");
        }
    }
}
