//! A goal without the row that holds its values: a SMART item without its
//! `Measurable:` row, an OKR objective without `KR1.`, a text-form MBO
//! area without `Target:`. Its values cannot be read, so `export` refuses
//! it; `lint` reports it by the same rule ([`Analyzer::lacking_row`]), so
//! a review `lint` passes is one `export` takes. Most often the row is
//! there with its label written otherwise (`Measurable:` without its bold,
//! `**Measurable**:`), and the fix writes the label as the template does.
//!
//! `lint` does not read a block as goals (a second pass over every
//! block): while it reads the rows it follows each goal's first line and
//! the rows after it ([`Tally`]), and reads as goals only a block where a
//! goal may lack its row or hold one twice. On the way it tells the lines
//! the reader does not read where they stand ([`Unread`]).

use std::ops::Range;

use crate::diagnostic::Code;
use crate::goals::slots::RowKind;
use crate::goals::unread::is_mbo_header;
use crate::render::template as t;
use crate::render::Frame;

use super::goals::{Goal, Reading};
use super::tables::{misplaced_header, outside_table, Table, Tables, Unread};
use super::{blocks::Block, Analyzer, DocKind, Edit, Finding, Fix, Lack, Lines};

/// A block's goals as `lint` reads its rows: where each goal starts and
/// ends and which kinds of row with values it holds, told as the goal
/// reader tells them (its own `block_line`, `goal_start` and
/// `table_line`, called only for the few lines that can start or end a
/// goal: a number, a heading, a table's pipe, a frame title's first
/// letter, a scorecard or MBO row). Per goal, not counted over
/// the block: a goal without its row and another with that row twice (or
/// a row above the first goal) would balance a count.
pub(super) struct Tally<'a> {
    text: &'a str,
    md: bool,
    code: &'a [Range<usize>],
    /// The block's frame, and the frame of the section being read.
    frame: Option<Frame>,
    section: Option<Frame>,
    /// Where the markdown table being read stands.
    table: Tables,
    /// Whether a goal is being read, what it needs (its frame's row that
    /// opens its values), and the kinds of row it holds so far.
    open: bool,
    needs: u8,
    seen: u8,
    /// A goal without its row of values, or with one twice.
    odd: bool,
    /// The first line of each goal whose title is canon text unquoted (a
    /// numbered item, an objective, an area), whether it is a table row,
    /// and its section's frame: `drift.rs` holds each title to the canon.
    titles: &'a mut Vec<Title>,
    /// The title of the goal being read, noted once the goal proves to
    /// have its row of values: a numbered list of the writer's own under a
    /// frame (`1. Call the client`) is a goal without its rows, which is
    /// said as such, and its words are not taken for a changed title.
    pending: Option<Title>,
}

/// The first line of a goal whose title is unquoted canon text.
#[derive(Debug, Clone)]
pub(super) struct Title {
    pub line: Range<usize>,
    /// A row of the markdown MBO table (its title is the first cell).
    pub table_row: bool,
    /// The frame of its section: the n-th goal of a frame is built on the
    /// n-th responsibility.
    pub frame: Frame,
}

const fn bit(kind: RowKind) -> u8 {
    1 << kind as u8
}

/// Every kind but `Time-bound:`, which repeats the goal's date and is no
/// measure (the rows [`Analyzer::doubled_row`] compares).
const MEASURES: u8 = !bit(RowKind::TimeBound) & ((1 << RowKind::ALL.len()) - 1);

impl<'a> Tally<'a> {
    /// For the block of `frame` whose lines start at byte `from`.
    pub fn new(
        text: &'a str,
        md: bool,
        code: &'a [Range<usize>],
        frame: Option<Frame>,
        from: usize,
        titles: &'a mut Vec<Title>,
    ) -> Self {
        titles.clear();
        // Markdown's code from the block on (the lines come in order).
        let code = if md {
            &code[code.partition_point(|r| r.end <= from)..]
        } else {
            &[]
        };
        Tally {
            text,
            md,
            code,
            frame,
            section: frame,
            table: Tables::default(),
            open: false,
            needs: 0,
            seen: 0,
            odd: false,
            titles,
            pending: None,
        }
    }

    /// Reads a line of the block that is no row (`range`, without its
    /// line break). Most lines are told by their first byte. Whether it
    /// is the MBO table's header row under another frame's title
    /// ([`misplaced_table`]).
    #[inline(always)]
    pub fn line(&mut self, range: Range<usize>) -> Unread {
        let b = &self.text.as_bytes()[range.clone()];
        let Some(&first) = b.first() else {
            self.table.end();
            return Unread::No;
        };
        let mut lead = LEAD[usize::from(first)];
        if lead == Lead::Nothing {
            return Unread::No;
        }
        let mut at = 0;
        if lead == Lead::Space {
            // What follows the white space tells.
            at = 1;
            loop {
                let Some(&next) = b.get(at) else {
                    self.table.end();
                    return Unread::No;
                };
                lead = LEAD[usize::from(next)];
                if lead != Lead::Space {
                    break;
                }
                at += 1;
            }
        }
        let indent = at;
        let may = match lead {
            // A numbered item: a goal wherever the section has goals
            // (`goal_start`), unless it is in code.
            Lead::Digit => {
                if indent < 2
                    && self.section.is_some()
                    && t::after_item_number(&self.text[range.start + at..range.end]).is_some()
                    && !self.in_code(range.start)
                {
                    self.start_goal();
                    self.title(range.clone(), false);
                }
                false
            }
            Lead::Hash if self.md => {
                // A heading ends the goal; in an `all` block, a frame's
                // heading starts its section (`block_line`), and its text
                // starts with a title.
                let titled = || {
                    let heading =
                        super::blocks::heading_text(&self.text[range.start + at..range.end]);
                    heading
                        .as_bytes()
                        .first()
                        .is_some_and(|&h| might_be_title(h))
                };
                if self.frame.is_some() || !titled() {
                    if !self.in_code(range.start) {
                        self.end();
                        self.open = false;
                    }
                    false
                } else {
                    true
                }
            }
            // A table's rows are goals only in an MBO section; the MBO
            // table elsewhere is reported.
            Lead::Pipe if super::tables::frame_tables(self.md, self.section) => true,
            Lead::Pipe => {
                let content = &self.text[range.start + at..range.end];
                let misplaced = self.section.is_some()
                    && misplaced_header(content, self.md, false, None)
                    && !self.in_code(range.start);
                return if misplaced {
                    self.table.misplaced();
                    Unread::Misplaced
                } else {
                    Unread::No
                };
            }
            // A frame title, `Objective N:`.
            Lead::Title => {
                let content = &self.text[range.start + at..range.end];
                (indent < 2 && content.starts_with(t::OBJECTIVE)) || is_title(content)
            }
            // White space other than ASCII (U+00A0, U+2000…, U+3000): the
            // reader trims it.
            Lead::Unicode => self.text[range.start + at..]
                .chars()
                .next()
                .is_some_and(char::is_whitespace),
            _ => false,
        };
        if may {
            return self.structural(range, None);
        }
        Unread::No
    }

    /// Reads a row with values of `kind` (`range`: its line): whether it
    /// is an MBO row outside its table, which is not read.
    #[inline(always)]
    pub fn row(&mut self, range: Range<usize>, kind: RowKind) -> Unread {
        // A row indented as a list item's content is its goal's. A
        // scorecard row is a goal of its own, a markdown MBO table row may
        // be one, and a row less indented may be an item: the reader's
        // rules tell.
        let deep = matches!(
            &self.text.as_bytes()[range.clone()],
            [b' ' | b'\t', b' ' | b'\t', ..]
        );
        if deep && kind != RowKind::Scorecard && !(self.md && kind == RowKind::Mbo) {
            self.add(kind);
            return Unread::No;
        }
        // A markdown MBO row: a goal of the table it is in, if the
        // section's tables are the frame's (`goal_start`).
        if self.md && kind == RowKind::Mbo {
            let content = self.text[range.clone()].trim_start();
            if content.starts_with('|') {
                // Outside an MBO section, a table is the writer's own;
                // a row in it with the template's standard is an area put
                // under another frame's title.
                if !super::tables::frame_tables(self.md, self.section) {
                    return Unread::elsewhere(content, self.section, self.table.at);
                }
                // A table's header row whose cells read as a row: no row.
                let end = range.end;
                if super::tables::header_read_as_row(
                    self.text,
                    content,
                    end,
                    true,
                    Some(kind),
                    self.table.at,
                ) {
                    return match self.structural(range, None) {
                        Unread::No => Unread::Own,
                        unread => unread,
                    };
                }
                if super::tables::glued_header(self.text, content, end, true, self.table.at) {
                    return self.glued();
                }
                if outside_table(content, true, Some(kind), self.table.at) {
                    return Unread::outside(self.table.at, content);
                }
                // A row whose first cell holds more than dashes and colons
                // is no row of dashes: a goal (`table_line`).
                let first = content
                    .strip_prefix('|')
                    .map(|r| r.trim_start().as_bytes().first());
                if !matches!(first, Some(Some(b'-' | b':')))
                    || super::goals::table_line(content, Some(kind), &mut self.table).is_some()
                {
                    self.start_goal();
                    self.title(range.clone(), true);
                }
                self.add(kind);
                return Unread::No;
            }
        }
        // A scorecard row (a list item or a quote: no heading, no table
        // row) is a goal wherever the section has goals.
        if kind == RowKind::Scorecard {
            if self.section.is_some() {
                self.start_goal();
                self.add(kind);
            }
            return Unread::No;
        }
        self.structural(range, Some(kind))
    }

    /// The frame of the section being read.
    pub fn section(&self) -> Option<Frame> {
        self.section
    }

    /// Whether byte `at` (at or after the last asked about) is in
    /// markdown code, which the reader skips.
    #[inline(always)]
    fn in_code(&mut self, at: usize) -> bool {
        while let Some((r, rest)) = self.code.split_first() {
            if r.end > at {
                return r.start <= at;
            }
            self.code = rest;
        }
        false
    }

    /// Notes the first line of the goal just started, whose title is
    /// canon text ([`Tally::end`] keeps it if the goal has its row).
    #[inline(always)]
    fn title(&mut self, line: Range<usize>, table_row: bool) {
        self.pending = Some(Title {
            line,
            table_row,
            frame: self.section.unwrap_or(Frame::Smart),
        });
    }

    /// A goal's first line: the goal before it is done.
    #[inline(always)]
    fn start_goal(&mut self) {
        self.end();
        self.open = true;
        self.seen = 0;
        self.needs = match self.section.unwrap_or(Frame::Smart) {
            Frame::Okr => bit(RowKind::Kr1),
            _ => MEASURES,
        };
    }

    /// A line that may start or end a goal, read by the goal reader's
    /// rules (`row`: the kind of row it is, if it is one). Whether it is
    /// a line not read where it stands.
    #[cold]
    #[inline(never)]
    fn structural(&mut self, range: Range<usize>, row: Option<RowKind>) -> Unread {
        let line = &self.text[range.clone()];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            self.table.end();
            return Unread::No;
        }
        if self.in_code(range.start) {
            return Unread::No;
        }
        // Only a heading or a frame title is other than the section's
        // body (`block_line`).
        let c = trimmed.as_bytes()[0];
        let in_body = if c == b'#' || might_be_title(c) {
            super::goals::block_line(trimmed, self.md, self.frame, &mut self.section).in_body
        } else {
            self.section.is_some()
        };
        if !in_body {
            self.end();
            self.open = false;
            return Unread::No;
        }
        let tables = super::tables::frame_tables(self.md, self.section);
        let row = super::tables::frame_row(row, self.md, self.section);
        if misplaced_header(trimmed, self.md, tables, row) {
            self.table.misplaced();
            return Unread::Misplaced;
        }
        if super::tables::glued_header(self.text, line, range.end, tables, self.table.at) {
            return self.glued();
        }
        if outside_table(line, tables, row, self.table.at) {
            return Unread::outside(self.table.at, line);
        }
        if super::tables::stray_rule(line, tables, self.table.at) {
            return Unread::Stray;
        }
        // The header row of a table in a section whose tables are the
        // frame's, headed otherwise than the MBO table and still read as
        // it (`table_line`): its rows are areas.
        let header = tables && self.table.at == Table::Before && trimmed.starts_with('|');
        let start = super::goals::goal_start(line, tables, row, &mut self.table);
        if header && self.table.at == Table::Header && !is_mbo_header(trimmed) {
            return Unread::Renamed;
        }
        match start {
            Some(super::goals::GoalStart::Titled(_)) => {
                self.start_goal();
                self.title(range, false);
            }
            Some(super::goals::GoalStart::TableRow(_)) => {
                self.start_goal();
                self.title(range, true);
            }
            Some(super::goals::GoalStart::Scorecard(_)) => self.start_goal(),
            None => {}
        }
        if let Some(kind) = row {
            self.add(kind);
        }
        Unread::No
    }

    /// The header row of a table of the writer's own joined to the MBO
    /// table: the last area ends above it, and the rows under it are not
    /// read.
    #[cold]
    fn glued(&mut self) -> Unread {
        self.end();
        self.open = false;
        self.table.glued();
        Unread::Glued
    }

    #[inline(always)]
    fn add(&mut self, kind: RowKind) {
        if !self.open {
            return;
        }
        let b = bit(kind);
        if self.seen & b & MEASURES != 0 {
            self.odd = true;
        }
        self.seen |= b;
    }

    /// The goal being read is done: it must hold the row it needs.
    fn end(&mut self) {
        if self.open && self.seen & self.needs == 0 {
            self.odd = true;
        }
        if let Some(title) = self.pending.take() {
            if self.open && self.seen & self.needs != 0 {
                self.titles.push(title);
            }
        }
    }

    /// Whether every goal has its row of values and none holds one
    /// twice, as far as the block's lines tell.
    pub fn agrees(mut self) -> bool {
        self.end();
        !self.odd
    }
}

/// Whether a line whose first letter is `b` may be a frame title
/// (`SMART goals`, `OKRs`, `MBO areas`, `Scorecard`) or `Objective N:`.
#[inline(always)]
fn might_be_title(b: u8) -> bool {
    LEAD[usize::from(b)] == Lead::Title
}

/// What a line's first byte (after its white space) may make of it for
/// the goal reader: most bytes nothing ([`Tally::line`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lead {
    Nothing,
    Space,
    Digit,
    Hash,
    Pipe,
    /// The first letter of a frame title or `Objective`.
    Title,
    /// The first byte of white space other than ASCII (U+00A0, U+2000…,
    /// U+3000), which the reader trims.
    Unicode,
}

static LEAD: [Lead; 256] = {
    let mut table = [Lead::Nothing; 256];
    let spaces = [b'\t', b'\x0b', b'\x0c', b'\r', b' '];
    let mut i = 0;
    while i < spaces.len() {
        table[spaces[i] as usize] = Lead::Space;
        i += 1;
    }
    let mut d = b'0';
    while d <= b'9' {
        table[d as usize] = Lead::Digit;
        d += 1;
    }
    table[b'#' as usize] = Lead::Hash;
    table[b'|' as usize] = Lead::Pipe;
    table[t::OBJECTIVE.as_bytes()[0] as usize] = Lead::Title;
    let mut f = 0;
    while f < Frame::ALL.len() {
        table[Frame::ALL[f].title().as_bytes()[0] as usize] = Lead::Title;
        f += 1;
    }
    let unicode = [0xC2, 0xE1, 0xE2, 0xE3];
    let mut u = 0;
    while u < unicode.len() {
        table[unicode[u]] = Lead::Unicode;
        u += 1;
    }
    table
};

/// Whether `content` (its line from its first letter) is a frame title,
/// as `block_line` takes it.
#[cold]
#[inline(never)]
fn is_title(content: &str) -> bool {
    super::goals::title_frame(content.trim_end()).is_some()
}

/// The row a goal of `frame` cannot do without.
fn needed(frame: Frame) -> RowKind {
    match frame {
        Frame::Smart => RowKind::Measurable,
        Frame::Okr => RowKind::Kr1,
        Frame::Mbo => RowKind::Mbo,
        Frame::Scorecard => RowKind::Scorecard,
    }
}

/// The frame whose goals hold rows of `kind`.
fn frame_of(kind: RowKind) -> Frame {
    match kind {
        RowKind::Measurable | RowKind::TimeBound => Frame::Smart,
        RowKind::Kr1 | RowKind::Kr2 => Frame::Okr,
        RowKind::Mbo => Frame::Mbo,
        RowKind::Scorecard => Frame::Scorecard,
    }
}

/// The row's label as the text form writes it (`Measurable:`, `KR1.`,
/// `Target:`), from the row's template.
fn label(kind: RowKind) -> String {
    let template = kind.template();
    template.split(' ').next().unwrap_or_default().to_string()
}

/// Where `s` starts with `label` written otherwise: its letters in any
/// case, with emphasis marks (`*`, `_`) around or inside it, its closing
/// `:` or `.` left out; followed by white space. The length it takes.
fn loose_label(s: &str, label: &str) -> Option<usize> {
    let (b, l) = (s.as_bytes(), label.as_bytes());
    let (mut i, mut matched) = (0, 0);
    while matched < l.len() {
        match b.get(i) {
            Some(b'*' | b'_') => i += 1,
            Some(c) if c.eq_ignore_ascii_case(&l[matched]) => {
                i += 1;
                matched += 1;
            }
            // Only the label's closing punctuation may be left out.
            _ if matched == l.len() - 1 && matches!(l[matched], b':' | b'.') => matched += 1,
            _ => return None,
        }
    }
    while matches!(b.get(i), Some(b'*' | b'_')) {
        i += 1;
    }
    // Never the label as the template writes it (that row is read).
    let ends = b.get(i).is_none_or(|c| matches!(c, b' ' | b'\t'));
    (ends && i > 0).then_some(i)
}

impl Analyzer<'_> {
    /// What keeps `goal`'s rows from going to an HR system as they are:
    /// the row of values it lacks ([`Analyzer::lacking_row`]), else a row
    /// it has twice ([`Analyzer::doubled_row`]). The one rule `lint` and
    /// `export` both apply.
    pub fn row_problem(
        &self,
        text: &str,
        kind: DocKind,
        lines: &Lines,
        goal: &Goal,
    ) -> Option<Lack> {
        self.lacking_row(text, kind, lines, goal)
            .or_else(|| self.doubled_row(lines, goal))
    }

    /// The second of two rows of one kind in `goal` (a `Measurable:` row
    /// copied to be edited, the old one left): both would be exported as
    /// its measures. On the later row's body, saying how far above it the
    /// earlier is.
    pub fn doubled_row(&self, lines: &Lines, goal: &Goal) -> Option<Lack> {
        let rows = &goal.measures;
        // (`Time-bound:` repeats the goal's date: it is no measure. A row
        // that cannot be read is `template-drift`'s already.)
        let counted = |m: &&super::goals::Measure| m.readable && m.kind != RowKind::TimeBound;
        let (first, second) = rows.iter().enumerate().find_map(|(i, m)| {
            if !counted(&m) {
                return None;
            }
            let first = rows[..i]
                .iter()
                .filter(counted)
                .find(|p| p.kind == m.kind)?;
            Some((first, m))
        })?;
        // Where the first is, counted from the second: a line number would
        // go stale in an editor's session, which keeps a block's findings
        // while lines are put in above it.
        let above = match lines.line_of(second.row.start) - lines.line_of(first.row.start) {
            1 => "on the line above".to_string(),
            n => format!("{n} lines above"),
        };
        Some(Lack {
            range: second.row.clone(),
            message: format!(
                "this goal has its `{}` row twice (the first is {above}), so both would be exported as its measures; keep one",
                label(second.kind)
            ),
            fixes: Vec::new(),
        })
    }

    /// `goal` without the row that holds its values, if it lacks it: on
    /// the row whose label is written otherwise, with the fix that writes
    /// it as the template does; else on the goal's first line.
    pub fn lacking_row(
        &self,
        text: &str,
        kind: DocKind,
        lines: &Lines,
        goal: &Goal,
    ) -> Option<Lack> {
        let needs = needed(goal.frame);
        let lacks = if goal.frame == Frame::Okr {
            !goal.measures.iter().any(|m| m.kind == RowKind::Kr1)
        } else {
            goal.measures.iter().all(|m| m.kind == RowKind::TimeBound)
        };
        if !lacks {
            return None;
        }
        let md = kind == DocKind::Markdown;
        let label = label(needs);
        let written = if md {
            [t::STRONG_MARKS[0], &label, t::STRONG_MARKS[0]].concat()
        } else {
            label.clone()
        };
        let body = &text[goal.range.clone()];
        let mut at = goal.range.start;
        for line in body.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let content = line.trim_start();
            let rest = if md {
                match t::after_list_marker(content) {
                    Some(r) => r,
                    None => continue,
                }
            } else {
                content
            };
            let Some(len) = loose_label(rest, &label) else {
                continue;
            };
            let from = start + (line.len() - rest.len());
            let range = from..from + len;
            if text[range.clone()] == written {
                continue;
            }
            return Some(Lack {
                message: format!(
                    "this row's label is written `{}`, not `{written}`, so the row is not read and the goal's values cannot be exported",
                    &text[range.clone()]
                ),
                fixes: vec![Fix {
                    safe: true,
                    title: format!("Write the label `{written}`"),
                    edits: vec![Edit {
                        range: range.clone(),
                        new_text: written.clone(),
                    }],
                }],
                range,
            });
        }
        let first_line = body
            .find(['\n', '\r'])
            .map_or(goal.range.end, |i| goal.range.start + i);
        // The MBO table's header row typed again: read as an area without
        // its values.
        if goal.frame == Frame::Mbo && is_mbo_header(&text[goal.range.start..first_line]) {
            return Some(Lack {
                range: goal.range.start..first_line,
                message: "this is the MBO table's header row again, so it is read as an area without its values; take it out".to_string(),
                fixes: vec![Fix {
                    safe: true,
                    title: "Take out the header row typed again".to_string(),
                    edits: vec![Edit {
                        range: lines.with_break(lines.line_of(goal.range.start)),
                        new_text: String::new(),
                    }],
                }],
            });
        }
        // Rows of another frame's (an MBO area's `Target:` read under the
        // OKRs): the title of its own section was taken out.
        let other = goal
            .measures
            .iter()
            .map(|m| frame_of(m.kind))
            .find(|&f| f != goal.frame);
        let message = match other {
            Some(f) => format!(
                "this goal has no `{label}` row, so its values cannot be exported: it is read under the `{}` title, but its rows are those of the `{}` frame, whose title may be missing above it",
                goal.frame.title(),
                f.title(),
            ),
            None => format!(
                "this goal has no `{label}` row, so its values cannot be exported; the row is `{}`",
                needs.template()
            ),
        };
        Some(Lack {
            range: goal.range.start..first_line,
            message,
            fixes: Vec::new(),
        })
    }

    /// The goals of `block` that lack their row of values or have one
    /// twice, reported: for a block whose [`Tally`] did not agree.
    #[cold]
    #[inline(never)]
    pub(super) fn lacking_findings(
        &self,
        text: &str,
        kind: DocKind,
        code: &[Range<usize>],
        lines: &Lines,
        block: &Block,
        out: &mut Vec<Finding>,
    ) {
        let mut reading = Reading::default();
        self.block_goals(
            text,
            kind == DocKind::Markdown,
            lines,
            code,
            block,
            &mut reading,
        );
        for goal in &reading.goals {
            if let Some(lack) = self.row_problem(text, kind, lines, goal) {
                out.extend(self.finding(Code::TemplateDrift, lack.range, lack.message, lack.fixes));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::loose_label;

    #[test]
    fn labels_written_otherwise() {
        for (s, len) in [
            ("Measurable: Move", Some(11)),
            ("**Measurable**: Move", Some(15)),
            ("*Measurable:* Move", Some(13)),
            ("__measurable:__ Move", Some(15)),
            ("**Measurable** Move", Some(14)),
            ("Measurable", Some(10)),
            ("Measurable:Move", None),
            ("Measurables: Move", None),
            ("Measure: Move", None),
            ("Move the metric", None),
        ] {
            assert_eq!(loose_label(s, "Measurable:"), len, "{s}");
        }
        assert_eq!(loose_label("kr1 From", "KR1."), Some(3));
        assert_eq!(loose_label("KR2. From", "KR1."), None);
    }
}
