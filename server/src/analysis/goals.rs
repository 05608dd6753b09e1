//! The goals of a document, read back for export (docs/export.md): each
//! SMART item, OKR objective, MBO area and scorecard row with its title
//! (the canon text it is built on), its source note and its measures —
//! the rows that hold a baseline, a target and a date — with the values
//! typed over their placeholders. Byte ranges only, no output format.
//!
//! The goal lines are told apart as the outline tells them (`outline.rs`
//! shares [`goal_line`]); the values are read through the same row
//! definitions the renderer writes (`goals::slots`).

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::Code;
use crate::goals::slots::{read_row_or_extra, RowKind, Slot, Values};
use crate::goals::unread::{
    extra_key_result_message, is_mbo_header, run_in_row, run_in_row_message, table_lacks_pipes,
    unpiped_table_message,
};
use crate::render::template as t;
use crate::render::{markdown_escape_inline, Frame};

use super::tables::{
    frame_row, frame_tables, glued_header, header_read_as_row, is_rule, misplaced_header,
    outside_table, Table, Tables, Unread,
};
use super::{blocks, markdown, Analyzer, DocKind, Lines};

/// What a non-blank line of a block is, before it is read as a goal.
pub struct BlockLine<'l> {
    /// A markdown heading's text.
    pub heading: Option<&'l str>,
    /// The line is in a frame's body, where a goal may start or go on; a
    /// heading or section title ends the goal before it.
    pub in_body: bool,
}

/// Reads `trimmed`, a non-blank line of a block of frame `frame`: a
/// section title (`SMART goals`, or `## SMART goals`) sets `section`, the
/// frame of what follows in an `all` block; an `all` block's identity and
/// lead lines come before its first section, and no goal starts there.
/// `section` starts as the block's frame. The outline reads blocks through
/// it too, so that both see the same goals.
pub fn block_line<'l>(
    trimmed: &'l str,
    md: bool,
    frame: Option<Frame>,
    section: &mut Option<Frame>,
) -> BlockLine<'l> {
    let heading = if md && trimmed.starts_with('#') {
        Some(blocks::heading_text(trimmed))
    } else {
        None
    };
    let title = heading.unwrap_or(trimmed);
    // A markdown section is also its frame's heading line (`## SMART goals
    // — <role> — <level>`): an `all` document whose marker comments were
    // lost (a trip through a word processor) has only its headings left.
    let heading_frame = heading
        .and_then(|_| blocks::parse_heading_line(trimmed))
        .and_then(|(f, _, _)| f);
    if let Some(f) = heading_frame.or_else(|| title_frame(title)) {
        if frame.is_none() {
            *section = Some(f);
        }
        return BlockLine {
            heading,
            in_body: false,
        };
    }
    BlockLine {
        heading,
        in_body: heading.is_none() && section.is_some(),
    }
}

/// A document's goals as read, and what keeps some from being read.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub goals: Vec<Goal>,
    /// What keeps goals from being read, as `lint` reports it: a frame's
    /// heading written otherwise (`unread-heading`), an MBO table without
    /// its outer pipes or a key result the frame does not have
    /// (`template-drift`), a block repeating an earlier one's frame
    /// (`duplicate-frame`, whose goals are not read).
    pub unread: Vec<(Code, Range<usize>, String)>,
}

/// One goal of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    /// The role and level as the block names them (shared by its goals).
    pub role: Arc<str>,
    pub level: Arc<str>,
    pub frame: Frame,
    /// 1-based, within its frame in its block.
    pub index: usize,
    /// The canon text the goal is built on, markdown escapes undone.
    pub title: String,
    /// What its `[source: …]` note says, if it has one.
    pub source: Option<String>,
    /// From its first line to the end of its last non-blank line.
    pub range: Range<usize>,
    /// Its rows with values, in order: the measures, and a SMART goal's
    /// `Time-bound` row (its date again, not a measure of its own).
    pub measures: Vec<Measure>,
}

/// A row of a goal that holds values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub kind: RowKind,
    /// The row's body in the document.
    pub row: Range<usize>,
    /// `false`: its template words were changed, so no value can be read.
    pub readable: bool,
    pub baseline: Option<Value>,
    pub target: Option<Value>,
    pub date: Option<Value>,
}

/// A slot's value: where it is and, when it is filled, what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub range: Range<usize>,
    /// `None` while it holds a placeholder or nothing.
    pub text: Option<String>,
}

impl Measure {
    /// The label HR systems see for the measure: the row's own label.
    pub fn label(&self) -> &'static str {
        // The labels without their punctuation.
        let (label, punct) = match self.kind {
            RowKind::Measurable => (t::MEASURABLE, ':'),
            RowKind::TimeBound => (t::TIME_BOUND, ':'),
            RowKind::Kr1 => (t::KR1, '.'),
            RowKind::Kr2 => (t::KR2, '.'),
            RowKind::Mbo | RowKind::Scorecard => return t::TARGET,
        };
        label.strip_suffix(punct).unwrap_or(label)
    }

    /// The slots it has, filled or not, in row order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        [&self.baseline, &self.target, &self.date]
            .into_iter()
            .flatten()
    }
}

/// A line that starts a goal: its title and source note as written
/// (markdown escapes still in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoalLine<'l> {
    /// The canon text it is built on.
    pub title: &'l str,
    /// What an outline names it by: the title, except that a scorecard
    /// calibration row keeps its words before the quote.
    pub label: &'l str,
    pub source: Option<&'l str>,
}

/// The frame whose title `title` is (a section's title line, trimmed,
/// or a heading's text).
pub fn title_frame(title: &str) -> Option<Frame> {
    Frame::ALL.into_iter().find(|f| f.title() == title)
}

/// Whether `line` starts a goal: a numbered item (indented less than a
/// list's content; `Area: ` and the text form's `Objective N: ` taken
/// off), a markdown table's data row (its first cell), or a scorecard row
/// (its quoted canon text). `table` carries a table's state from line to
/// line; `row` is the line read as a row of values; `tables`: whether
/// table rows are the frame's (`tables::frame_tables`).
pub fn goal_line<'l>(
    line: &'l str,
    tables: bool,
    row: Option<RowKind>,
    table: &mut Tables,
) -> Option<GoalLine<'l>> {
    Some(match goal_start(line, tables, row, table)? {
        GoalStart::TableRow(inner) => {
            // The first cell ends at the first pipe not escaped.
            let end = crate::goals::slots::cell_pipes(inner)
                .next()
                .unwrap_or(inner.len());
            let title = inner[..end].trim();
            GoalLine {
                title,
                label: title,
                source: None,
            }
        }
        GoalStart::Scorecard(body) => {
            let (before, source) = split_source(body);
            // The values follow the last arrow; the quote ends right before it
            // and opens the row (`"<text>"`) or follows its lead words
            // (`Meets the <dimension> bar: "<text>"`).
            // (The arrow's padding is layout: a tidied row has one space.)
            let before = before
                .rfind(t::ARROW_MARK)
                .map_or(before, |at| &before[..at])
                .trim_end();
            // Typographic quotes (`“…”`, from a word processor) are quotes too.
            let (open_mark, close_mark) = if before.ends_with(t::CURLY_CLOSE) {
                (t::CURLY_OPEN, t::CURLY_CLOSE)
            } else {
                (t::QUOTE, t::QUOTE)
            };
            let open = if before.starts_with(open_mark) {
                Some(open_mark.len())
            } else {
                let bar = [t::BAR, open_mark].concat();
                before
                    .strip_prefix(t::CALIBRATION_LEAD)
                    .and_then(|rest| rest.find(&bar))
                    .map(|at| t::CALIBRATION_LEAD.len() + at + bar.len())
            };
            let quoted = open
                .filter(|&o| before.len() >= o + close_mark.len() && before.ends_with(close_mark))
                .map(|o| &before[o..before.len() - close_mark.len()]);
            let label = match quoted {
                Some(q) if before.starts_with(open_mark) => q,
                _ => before,
            };
            GoalLine {
                title: quoted.unwrap_or(before).trim(),
                label: label.trim(),
                source,
            }
        }
        GoalStart::Titled(rest) => {
            let (title, source) = split_source(rest);
            GoalLine {
                title: title.trim(),
                label: title.trim(),
                source,
            }
        }
    })
}

/// Where in `line`, the first line of a goal whose title is unquoted
/// canon text (a numbered item, an objective, an area; a row of the MBO
/// table if `table_row`), its title is: what `drift.rs` holds to the
/// canon, as the export writes it.
pub fn title_in(line: &str, table_row: bool) -> Option<Range<usize>> {
    // The header row typed again is `template-drift`'s, not an area's.
    if table_row && is_mbo_header(line.trim_start()) {
        return None;
    }
    let mut table = Tables::default();
    if table_row {
        table.at = Table::Rows;
    }
    let g = goal_line(line, table_row, None, &mut table)?;
    let start = g.title.as_ptr() as usize - line.as_ptr() as usize;
    Some(start..start + g.title.len())
}

/// A line that starts a goal, before its title is read ([`goal_start`]).
pub enum GoalStart<'l> {
    /// A table's data row: what is inside its outer pipes.
    TableRow(&'l str),
    /// A scorecard row: what follows its list marker.
    Scorecard(&'l str),
    /// A numbered item or a text-form objective: what follows its number
    /// (and an MBO area's `Area: `).
    Titled(&'l str),
}

/// Whether `line` starts a goal ([`goal_line`], without reading its
/// title: what `lint` asks of each line).
pub fn goal_start<'l>(
    line: &'l str,
    tables: bool,
    row: Option<RowKind>,
    table: &mut Tables,
) -> Option<GoalStart<'l>> {
    let content = line.trim_start();
    let indent = line.len() - content.len();
    if tables && content.starts_with('|') {
        return table_line(content, row, table);
    }
    if row == Some(RowKind::Scorecard) {
        let body = t::after_list_marker(content)
            .unwrap_or(content)
            .trim_start();
        return Some(GoalStart::Scorecard(body));
    }
    if indent >= 2 {
        return None;
    }
    after_title_lead(content).map(GoalStart::Titled)
}

/// Where the title of a goal whose first line is `content` (from its
/// first character) starts: after the text form's `Objective N: `, or a
/// numbered item's number (and an MBO area's `Area: `).
pub fn after_title_lead(content: &str) -> Option<&str> {
    // The text form's OKR objectives: `Objective 1: …`.
    if let Some(rest) = content
        .strip_prefix(t::OBJECTIVE)
        .and_then(|r| r.strip_prefix(' '))
    {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Some(title) = rest[digits..].strip_prefix(": ").filter(|_| digits > 0) {
            return Some(title);
        }
    }
    let rest = t::after_item_number(content)?;
    Some(
        rest.strip_prefix(t::AREA)
            .and_then(|r| r.strip_prefix(": "))
            .unwrap_or(rest),
    )
}

/// A line of a markdown table whose rows are the frame's (`content`: the
/// line from its first `|`), as [`goal_start`] reads it: the header row
/// sets the table's state, the row of dashes is skipped, each other row
/// starts a goal, unless it is `tables::outside_table` or the table is the
/// writer's own (`Tables::mbo_read`).
pub fn table_line<'l>(
    content: &'l str,
    row: Option<RowKind>,
    table: &mut Tables,
) -> Option<GoalStart<'l>> {
    if outside_table(content, true, row, table.at) {
        return None;
    }
    let inner = content.trim_end().trim_matches('|');
    match table.at {
        Table::Before => {
            table.header(content);
            return None;
        }
        Table::Header => {
            if is_rule(inner) {
                table.at = Table::Rows;
                return None;
            }
            // The header row typed again: an area without its values, as
            // among the table's rows, which `lint` names for what it is.
            return is_mbo_header(content).then_some(GoalStart::TableRow(inner));
        }
        Table::Unpiped | Table::Own | Table::Misplaced => return None,
        Table::Rows => {}
    }
    (!is_rule(inner)).then_some(GoalStart::TableRow(inner))
}

/// Where the last `open` (a label's opener, `[source: ` or `\[source: `)
/// in `s` starts: found by its bracket, which a goal's line holds few of
/// (every goal's line is searched: `lint` holds each title to the canon;
/// a substring search cost a sixth of that).
fn rfind_opener(s: &str, open: &str) -> Option<usize> {
    let bracket = open.find('[')?;
    let bytes = s.as_bytes();
    memchr::memrchr_iter(b'[', bytes)
        .filter_map(|p| p.checked_sub(bracket))
        .find(|&at| bytes[at..].starts_with(open.as_bytes()))
}

/// A goal line's text and what its `[source: …]` note says (escaped
/// brackets in markdown), found by the templates' words.
fn split_source(s: &str) -> (&str, Option<&str>) {
    use t::{SOURCE_CLOSE, SOURCE_OPEN};
    /// (opener, closer) of a label: as markdown escapes it, then as text.
    static FORMS: std::sync::LazyLock<[(String, String); 2]> = std::sync::LazyLock::new(|| {
        [
            (
                markdown_escape_inline(SOURCE_OPEN),
                markdown_escape_inline(SOURCE_CLOSE),
            ),
            (SOURCE_OPEN.to_string(), SOURCE_CLOSE.to_string()),
        ]
    });
    let s = s.trim_end();
    for (open, close) in FORMS.iter() {
        // After the label's gap, or any white space: the gap is layout.
        let Some(at) = rfind_opener(s, open) else {
            continue;
        };
        let text = &s[..at];
        if text.len() > text.trim_end().len() {
            let note = &s[at + open.len()..];
            // remark escapes the opening bracket and not the closing one.
            let note = note
                .strip_suffix(close.as_str())
                .or_else(|| note.strip_suffix(SOURCE_CLOSE))
                .unwrap_or(note);
            return (text.trim_end(), Some(note));
        }
    }
    (s, None)
}

impl Analyzer<'_> {
    /// Every goal of `text`, in document order.
    pub fn goals(&self, text: &str, kind: DocKind, lines: &Lines) -> Vec<Goal> {
        self.read_goals(text, kind, lines).goals
    }

    /// Every goal of `text`, and what keeps goals from being read.
    pub fn read_goals(&self, text: &str, kind: DocKind, lines: &Lines) -> Reading {
        let md = kind == DocKind::Markdown;
        let code = if md {
            markdown::code_ranges(text, lines)
        } else {
            Vec::new()
        };
        let mut reading = Reading::default();
        let blocks = blocks::find(text, kind, lines, &code);
        // A block repeating an earlier one's frame is not read: its goals
        // would reach the HR system twice (`duplicate-frame`).
        let mut repeats = super::repeated::repeated(self.canon, lines, &blocks, |b| b)
            .into_iter()
            .peekable();
        for (i, block) in blocks.iter().enumerate() {
            if let Some((_, range, message)) = repeats.next_if(|(at, _, _)| *at == i) {
                reading.unread.push((Code::DuplicateFrame, range, message));
                continue;
            }
            if block.unread {
                if let Some((message, _)) = self.unread_heading(text, block) {
                    reading
                        .unread
                        .push((Code::UnreadHeading, block.opener.clone(), message));
                }
                continue;
            }
            self.block_goals(text, md, lines, &code, block, &mut reading);
        }
        reading
    }

    pub(super) fn block_goals(
        &self,
        text: &str,
        md: bool,
        lines: &Lines,
        code: &[Range<usize>],
        block: &blocks::Block,
        reading: &mut Reading,
    ) {
        let out = &mut reading.goals;
        let first_goal = out.len();
        let (role, level): (Arc<str>, Arc<str>) = (
            Arc::from(block.role.as_str()),
            Arc::from(block.level.as_str()),
        );
        // The frame of an `all` block's section (its title line).
        let mut section = block.frame;
        let mut table = Tables::default();
        // Whether the last goal may still grow (a heading or section title
        // ends it).
        let mut open = false;
        let mut i = lines.line_of(block.opener.end.min(text.len()));
        while i < lines.count() && lines.start(i) < block.range.end {
            let r = lines.range(text, i);
            i += 1;
            if r.start < block.opener.end {
                continue;
            }
            let line = &text[r.clone()];
            let trimmed = line.trim();
            if trimmed.is_empty() {
                table.end();
                continue;
            }
            if md && markdown::inside(code, r.start) {
                continue;
            }
            if !block_line(trimmed, md, block.frame, &mut section).in_body {
                open = false;
                continue;
            }
            // A row run into the line of the row before it is not read.
            if let Some((at, label)) = run_in_row(line, md) {
                if section.is_some() && !trimmed.starts_with('#') {
                    let end = r.start + line.trim_end().len();
                    let message = run_in_row_message(label);
                    reading
                        .unread
                        .push((Code::TemplateDrift, r.start + at..end, message));
                }
            }
            if md
                && section == Some(Frame::Mbo)
                && table.at == Table::Before
                && table_lacks_pipes(trimmed)
            {
                reading
                    .unread
                    .push((Code::TemplateDrift, r.clone(), unpiped_table_message()));
            }
            let row = match read_row_or_extra(line, r.start, md) {
                Ok(row) => Some(row),
                Err(extra) => {
                    // A key result the frame does not have is not read.
                    if let Some(label) = extra {
                        let message = extra_key_result_message(&text[label.clone()]);
                        reading.unread.push((Code::TemplateDrift, label, message));
                    }
                    None
                }
            };
            let tables = frame_tables(md, section);
            // An MBO row in a table under another frame's title is the
            // writer's own, unless it holds a standard as an area does.
            let elsewhere = match &row {
                Some(w) if md && !tables && w.kind == RowKind::Mbo && trimmed.starts_with('|') => {
                    Unread::elsewhere(line, section, table.at)
                }
                _ => Unread::No,
            };
            let row = row
                .filter(|r| frame_row(Some(r.kind), md, section).is_some())
                .filter(|w| !header_read_as_row(text, line, r.end, tables, Some(w.kind), table.at));
            // Lines not read where they stand: the MBO table under another
            // frame's title, an MBO row outside its table.
            let kind = row.as_ref().map(|r| r.kind);
            let unread = if misplaced_header(trimmed, md, tables, kind) {
                table.misplaced();
                Some(Unread::Misplaced)
            } else if glued_header(text, line, r.end, tables, table.at) {
                // The last area ends above it.
                table.glued();
                open = false;
                Some(Unread::Glued)
            } else if outside_table(line, tables, kind, table.at) {
                Some(Unread::outside(table.at, line))
            } else if elsewhere == Unread::OwnArea {
                Some(elsewhere)
            } else {
                None
            };
            if let Some(unread) = unread {
                if let Some(lack) = unread.lack(text, lines, i - 1, section) {
                    reading
                        .unread
                        .push((Code::TemplateDrift, lack.range, lack.message));
                }
                continue;
            }
            if let Some(g) = goal_line(line, tables, kind, &mut table) {
                let plain = |s: &str| {
                    if md {
                        let mut plain = String::new();
                        markdown::unescape_into(s, &mut plain);
                        plain
                    } else {
                        s.to_string()
                    }
                };
                out.push(Goal {
                    role: role.clone(),
                    level: level.clone(),
                    frame: section.unwrap_or(Frame::Smart),
                    index: 0,
                    title: plain(g.title),
                    source: g.source.map(plain),
                    range: r.clone(),
                    measures: Vec::new(),
                });
                open = true;
            }
            let Some(goal) = out[first_goal..].last_mut().filter(|_| open) else {
                continue;
            };
            goal.range.end = r.end;
            let Some(row) = row else { continue };
            goal.measures
                .push(self.measure(text, code, row.kind, row.body, row.values));
        }
        // Number the goals within each frame of the block.
        let mut counts = [0usize; Frame::ALL.len()];
        for g in &mut out[first_goal..] {
            let n = &mut counts[Frame::ALL.iter().position(|&f| f == g.frame).unwrap_or(0)];
            *n += 1;
            g.index = *n;
        }
    }

    fn measure(
        &self,
        text: &str,
        code: &[Range<usize>],
        kind: RowKind,
        row: Range<usize>,
        values: Option<Values<'_>>,
    ) -> Measure {
        let value = |s: Option<Slot<'_>>| {
            s.map(|s| {
                // As `lint` judges it.
                let filled = self.is_filled(text, &s, code);
                Value {
                    range: s.range,
                    text: filled.then(|| s.value.trim().to_string()),
                }
            })
        };
        match values {
            Some(v) => Measure {
                kind,
                row,
                readable: true,
                baseline: value(v.baseline),
                target: value(v.target),
                date: value(v.date),
            },
            None => Measure {
                kind,
                row,
                readable: false,
                baseline: None,
                target: None,
                date: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::render::template::{SOURCE_CLOSE, SOURCE_OPEN};
    use crate::render::Frame;

    /// Every goal of every frame, text and markdown, has the source label
    /// the renderer wrote for it: the goals are read by the templates'
    /// own words. tests/run.sh also runs this on a copy of the sources
    /// whose template words are reworded.
    #[test]
    fn goal_sources_follow_the_template_words() {
        use crate::analysis::{Analyzer, DocKind, Lines};
        use crate::render::{render, Form, Markup, Selection};
        let canon = crate::canon::load_embedded().expect("default canon");
        let settings = crate::config::Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        let ral = canon.role_at("ae", "P2").expect("ae/P2");
        let form = |markup| Form {
            markup,
            snippet: false,
        };
        let text = render(ral, Selection::All, form(Markup::Text)).expect("every frame");
        let markdown = render(ral, Selection::All, form(Markup::Markdown)).expect("every frame");
        let sources = |doc: &str, kind| -> Vec<(Frame, Option<String>)> {
            let goals = analyzer.goals(doc, kind, &Lines::new(doc));
            goals.into_iter().map(|g| (g.frame, g.source)).collect()
        };
        let from_text = sources(&text, DocKind::Text);
        // Every frame's goals: SMART and OKR items, MBO areas, scorecard rows.
        for frame in Frame::ALL {
            assert!(from_text.iter().any(|(f, _)| *f == frame), "{frame:?}");
        }
        for (_, source) in &from_text {
            let source = source.as_deref().expect("every goal has a source label");
            let label = format!("{SOURCE_OPEN}{source}{SOURCE_CLOSE}");
            assert!(text.contains(&label), "{label:?} is not in {text}");
        }
        // The same in markdown, but for the MBO table's areas: it has no
        // column for the label.
        let without_mbo: Vec<_> = from_text
            .into_iter()
            .map(|(f, s)| (f, s.filter(|_| f != Frame::Mbo)))
            .collect();
        assert_eq!(sources(&markdown, DocKind::Markdown), without_mbo);
    }
}
