//! Goal quality: the values typed over a block's placeholders, read back
//! through the frame templates (`goals::slots`) and judged — a target one
//! can count, a date goalframe can read and that falls in the review
//! cycle, a SMART goal with one date, a baseline that differs from its
//! target, rows whose template words are intact — and the document's
//! metadata (`goals::metadata`).

use std::ops::Range;

use crate::goals::date::{self, Day};
use crate::goals::metadata::{Cycle, Metadata};
use crate::goals::numbers;
use crate::goals::slots::{doubled_words, read_row, read_row_or_extra, RowKind, Slot, Values};
use crate::goals::unread::{
    extra_key_result_message, missing_pipes, run_in_row, run_in_row_message, table_lacks_pipes,
    unpiped_table_message,
};
use crate::hidden;
use crate::quote::quote;
use crate::render::template::{self as t, Piece};
use crate::render::{markdown_escape_inline, Frame, Placeholder};

use super::blocks::Block;
use super::lacking::Tally;
use super::markdown;
use super::scan::is_white_byte;
use super::tables::Unread;
use super::{Analyzer, Code, DocKind, Edit, Finding, Fix};
use crate::lines::Lines;

/// What the whole document sets for its rows: its metadata, the cycle
/// that applies (its own, else the folder's), and where an edit starts to
/// be able to change them.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    pub metadata: Option<Metadata>,
    pub cycle: Cycle,
    /// An edit that starts at or before this offset may change the
    /// metadata (it touches it, or the line after it, which could become
    /// one of its lines).
    pub guard: usize,
    /// A markdown document that opens with `---` which no line closes: a
    /// closing line made anywhere below turns all above it into front
    /// matter.
    pub unclosed: bool,
}

impl DocContext {
    pub fn read(text: &str, kind: DocKind, folder: Option<&Cycle>) -> DocContext {
        let metadata = crate::goals::metadata::read(text, kind == DocKind::Markdown);
        let end = metadata.as_ref().map_or(0, |m| m.range.end);
        // The end of the line that follows (or, with no metadata, of the
        // first line).
        let guard = memchr::memchr2(b'\n', b'\r', &text.as_bytes()[end..])
            .map_or(text.len(), |i| end + i + 1);
        let cycle = metadata
            .as_ref()
            .map_or_else(Cycle::default, |m| m.cycle.clone())
            .or(folder);
        let unclosed = kind == DocKind::Markdown
            && metadata.is_none()
            && crate::goals::metadata::opens_front_matter(text);
        DocContext {
            metadata,
            cycle,
            guard,
            unclosed,
        }
    }

    /// Whether replacing what the context was read from at `edited` (the
    /// new text's offsets) may have changed the metadata or the cycle.
    /// `text` is the new text, of a document of `kind`. When it is not
    /// (typing in the first line of a document without metadata, such as
    /// its title), the context is brought up to the new text.
    pub fn changed_by(&mut self, text: &str, kind: DocKind, edited: Range<usize>) -> bool {
        if self.unclosed && crate::goals::metadata::closing_fence_in(text, edited.clone()) {
            return true;
        }
        if edited.start > self.guard {
            return false;
        }
        // No metadata before: none after either unless the new first lines
        // start some, which reading them tells (only they are read).
        if self.metadata.is_none() && !self.unclosed {
            let now = DocContext::read(text, kind, None);
            if now.metadata.is_none() && !now.unclosed {
                self.guard = now.guard;
                return false;
            }
        }
        true
    }

    /// Whether `offset` is inside the metadata (nothing there is a
    /// placeholder or a token).
    pub fn in_metadata(&self, offset: usize) -> bool {
        self.metadata
            .as_ref()
            .is_some_and(|m| m.range.contains(&offset))
    }
}

/// Case and white space do not make two values differ.
fn same_value(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        // Most values are ASCII: compared a byte at a time.
        fn norm(s: &str) -> impl Iterator<Item = u8> + '_ {
            s.bytes()
                .filter(|&c| !is_white_byte(c))
                .map(|c| c.to_ascii_lowercase())
        }
        return norm(a).eq(norm(b));
    }
    same_text(a, b)
}

/// [`same_value`] for any text.
fn same_text(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
    }
    norm(a).eq(norm(b))
}

fn describe(cycle: &Cycle) -> String {
    let label = cycle
        .label
        .as_deref()
        .map(|l| format!("{l} "))
        .unwrap_or_default();
    match (cycle.start, cycle.end) {
        (Some(s), Some(e)) => format!("the review cycle {label}({s} to {e})"),
        (Some(s), None) => format!("the review cycle {label}(from {s})"),
        (None, Some(e)) => format!("the review cycle {label}(until {e})"),
        (None, None) => "the review cycle".to_string(),
    }
}

impl Analyzer<'_> {
    /// Whether a value is still (or holds) a placeholder: then only
    /// `unfilled-placeholder` speaks of it.
    pub fn holds_placeholder(&self, raw: &str) -> bool {
        self.scanner.any(raw)
    }

    /// Whether the value at `range` of `text` holds a placeholder outside
    /// markdown's `code` (one in a code span is documentation, no
    /// placeholder: the value is judged, and exported, as written).
    pub fn value_holds_placeholder(
        &self,
        text: &str,
        range: Range<usize>,
        code: &[Range<usize>],
    ) -> bool {
        self.scanner
            .any_outside(&text[range.clone()], range.start, code)
    }

    /// Whether a slot of `text` is filled: neither blank (its placeholder
    /// taken out, nothing written) nor holding a placeholder outside
    /// `code`. The one rule of `lint`, the outline and the export.
    #[inline(always)]
    pub(super) fn is_filled(&self, text: &str, s: &Slot, code: &[Range<usize>]) -> bool {
        !s.is_blank()
            && !self.value_holds_placeholder(text, s.range.clone(), code)
            && !self.disguised(text, s)
    }

    /// Whether a value as read holds a placeholder its typed text does
    /// not: one typed as entities (`&#10216;target&#10217;`, as `pandoc
    /// --ascii` writes it). It is unfilled, as the placeholder itself is.
    #[inline(always)]
    fn disguised(&self, text: &str, s: &Slot) -> bool {
        // Only a value read otherwise than typed (rare) is looked at.
        matches!(s.value, std::borrow::Cow::Owned(_)) && self.disguised_in(text, s)
    }

    #[cold]
    #[inline(never)]
    fn disguised_in(&self, text: &str, s: &Slot) -> bool {
        self.holds_placeholder(&s.value) && !self.holds_placeholder(&text[s.range.clone()])
    }

    /// `unfilled-placeholder` on each value of a row that is empty: its
    /// placeholder taken out and nothing written (`from  to 20 deals`),
    /// or a placeholder typed as entities ([`Self::disguised`]). The
    /// export refuses it as unfilled; `lint` passed it.
    #[cold]
    #[inline(never)]
    fn emptied(&self, text: &str, values: &Values, out: &mut Vec<Finding>) {
        let named = [
            (Placeholder::Baseline, &values.baseline),
            (Placeholder::Target, &values.target),
            (Placeholder::Date, &values.date),
        ];
        for (which, slot) in named {
            let Some(s) = slot.as_ref() else { continue };
            let placeholder = which.text();
            let name = placeholder.trim_matches(['⟨', '⟩']);
            let message = if s.is_blank() {
                Some(format!(
                    "the {name} is empty: write it where {placeholder} stood"
                ))
            } else if self.disguised(text, s) {
                Some(format!(
                    "the {name} reads as a placeholder, `{}`, typed as entities: write the {name} there",
                    quote(&s.value)
                ))
            } else {
                None
            };
            if let Some(message) = message {
                out.extend(self.finding(
                    Code::UnfilledPlaceholder,
                    s.range.clone(),
                    message,
                    Vec::new(),
                ));
            }
        }
    }

    /// `hidden-character` on each filled value of a row that holds one.
    #[cold]
    #[inline(never)]
    fn hidden_findings(
        &self,
        text: &str,
        code: &[Range<usize>],
        values: &Values,
        out: &mut Vec<Finding>,
    ) {
        let named = [
            ("the baseline", &values.baseline),
            ("the target", &values.target),
            ("the date", &values.date),
        ];
        for (what, slot) in named {
            let Some(s) = slot.as_ref() else { continue };
            if hidden::any(&s.value) && !self.value_holds_placeholder(text, s.range.clone(), code) {
                out.extend(self.hidden_finding(text, what, s));
            }
        }
    }

    /// `hidden-character` on a filled value: the finding, with a fix that
    /// takes the characters out where they are typed, or the markdown
    /// entities that stand for them (`&#x202E;`, `&shy;`).
    fn hidden_finding(&self, text: &str, what: &str, s: &Slot) -> Option<Finding> {
        let read = hidden::find(&s.value);
        let message = hidden::message(what, &s.value, &read);
        let typed = &text[s.range.clone()];
        let mut found = hidden::find(typed);
        if found.len() < read.len() {
            // Only where the entities account for every character the
            // value was read with (one in a code span is no entity).
            let entities = crate::goals::inline::hidden_entities(typed);
            if found.len() + entities.len() == read.len() {
                found.extend(entities);
                found.sort_by_key(|(at, _)| at.start);
            }
        }
        let edits: Vec<Edit> = found
            .into_iter()
            .map(|(at, c)| Edit {
                new_text: hidden::replacement(typed, at.clone(), c).to_string(),
                range: s.range.start + at.start..s.range.start + at.end,
            })
            .collect();
        let fixes = if edits.is_empty() {
            Vec::new()
        } else {
            let title = if edits.len() == 1 {
                "Take out the character that does not show"
            } else {
                "Take out the characters that do not show"
            };
            vec![Fix {
                safe: true,
                title: title.to_string(),
                edits,
            }]
        };
        self.finding(Code::HiddenCharacter, s.range.clone(), message, fixes)
    }

    /// The metadata's problems.
    pub(super) fn metadata_findings(&self, ctx: &DocContext) -> Vec<Finding> {
        let Some(m) = &ctx.metadata else {
            return Vec::new();
        };
        m.problems
            .iter()
            .filter_map(|p| {
                // Only the writer knows it was meant: offered, never applied
                // by `lint --fix`.
                let fixes = p.instead.iter().map(|instead| Fix {
                    safe: false,
                    title: format!("Write `{}`", quote(instead)),
                    edits: vec![Edit {
                        range: p.range.clone(),
                        new_text: instead.clone(),
                    }],
                });
                self.finding(p.code, p.range.clone(), p.message.clone(), fixes.collect())
            })
            .collect()
    }

    /// `template-drift` on line `i` if it is the MBO table's header row
    /// with an outer pipe missing, with the fix that pipes the table.
    #[inline(never)]
    fn unpiped_table(
        &self,
        text: &str,
        code: &[Range<usize>],
        lines: &Lines,
        i: usize,
        out: &mut Vec<Finding>,
    ) {
        let range = lines.range(text, i);
        if !table_lacks_pipes(&text[range.clone()]) || markdown::inside(code, range.start) {
            return;
        }
        let fix = Fix {
            safe: true,
            title: "Write the table with its outer pipes".to_string(),
            edits: missing_pipes(text, lines, i)
                .into_iter()
                .map(|(at, pipe)| Edit {
                    range: at..at,
                    new_text: pipe.to_string(),
                })
                .collect(),
        };
        out.extend(self.finding(
            Code::TemplateDrift,
            range,
            unpiped_table_message(),
            vec![fix],
        ));
    }

    /// `template-drift` on the label of a key result the OKR frame does
    /// not have (`KR3.`), whose label is at `range`.
    #[inline(never)]
    fn extra_key_result(
        &self,
        text: &str,
        code: &[Range<usize>],
        line_start: usize,
        range: Range<usize>,
        out: &mut Vec<Finding>,
    ) {
        // A line is code where it starts, as the goal reader takes it.
        if markdown::inside(code, line_start) {
            return;
        }
        let message = extra_key_result_message(&text[range.clone()]);
        out.extend(self.finding(Code::TemplateDrift, range, message, Vec::new()));
    }

    /// `template-drift` on a row run into line `range`'s row at `at`
    /// ([`run_in_row`]), where the goal reader would have read it: in a
    /// frame's section, outside code and headings.
    #[cold]
    #[inline(never)]
    fn run_in(
        &self,
        text: &str,
        code: &[Range<usize>],
        range: Range<usize>,
        (at, label): (usize, &str),
        tally: &Tally,
        out: &mut Vec<Finding>,
    ) {
        let line = &text[range.clone()];
        if tally.section().is_none()
            || line.trim_start().starts_with('#')
            || markdown::inside(code, range.start)
        {
            return;
        }
        let end = range.start + line.trim_end().len();
        let message = run_in_row_message(label);
        out.extend(self.finding(
            Code::TemplateDrift,
            range.start + at..end,
            message,
            Vec::new(),
        ));
    }

    /// The findings of the rows with values in one block.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn row_findings(
        &self,
        text: &str,
        kind: DocKind,
        code: &[Range<usize>],
        lines: &Lines,
        block: &Block,
        cycle: &Cycle,
        titles: &mut Vec<super::lacking::Title>,
        out: &mut Vec<Finding>,
    ) {
        let markdown = kind == DocKind::Markdown;
        // Whether the block can hold a markdown MBO table.
        let mbo_table = markdown && block.frame.is_none_or(|f| f == Frame::Mbo);
        // The date of the SMART item's Measurable row, for its Time-bound row.
        let mut measurable: Option<(Range<usize>, Option<Day>)> = None;
        let first = lines.line_of(block.opener.end.min(text.len()));
        // Goals' first lines and their rows (lacking.rs).
        let mut tally = Tally::new(text, markdown, code, block.frame, block.opener.end, titles);
        let mut i = first;
        while i < lines.count() && lines.start(i) < block.range.end {
            let range = lines.range(text, i);
            i += 1;
            if range.start < block.opener.end {
                continue;
            }
            if let Some((at, label)) = run_in_row(&text[range.clone()], markdown) {
                self.run_in(text, code, range.clone(), (at, label), &tally, out);
            }
            // Most lines are no row (told by their first byte): code is
            // looked up only for those that are.
            let row = match read_row_or_extra(&text[range.clone()], range.start, markdown) {
                Ok(row) => row,
                Err(Some(label)) => {
                    self.extra_key_result(text, code, range.start, label, out);
                    continue;
                }
                Err(None) => {
                    // An MBO table's header row (`Area | …`, `| Area | …`).
                    if mbo_table && matches!(text.as_bytes().get(range.start), Some(b'A' | b'|')) {
                        self.unpiped_table(text, code, lines, i - 1, out);
                    }
                    let unread = tally.line(range.clone());
                    if unread != Unread::No {
                        self.unread_line(text, lines, i - 1, unread, tally.section(), out);
                    }
                    continue;
                }
            };
            if markdown::inside(code, range.start) {
                continue;
            }
            let unread = tally.row(range.clone(), row.kind);
            if unread != Unread::No {
                self.unread_line(text, lines, i - 1, unread, tally.section(), out);
            }
            // A row of the writer's own table, or a table's header row:
            // no goal reads it.
            if matches!(
                unread,
                Unread::Own | Unread::OwnArea | Unread::Renamed | Unread::Glued
            ) {
                continue;
            }
            let Some(values) = row.values else {
                if row.kind == RowKind::Measurable {
                    measurable = None;
                }
                let line = &text[range.clone()];
                // A row wrapped over the lines after it is `wrapped-row`'s
                // (wrapped.rs): its words were not changed.
                if block.wrapped && super::wrapped::wraps_on(text, code, lines, i - 1) {
                    continue;
                }
                let reads =
                    |seen: &str| read_row(seen, 0, markdown).is_some_and(|r| r.values.is_some());
                // A word of the template typed again next to it (`to to 20`):
                // the fix takes the second one out.
                let twice = doubled_words(row.kind, line, reads);
                if !twice.is_empty() {
                    let words: Vec<&str> = twice.iter().map(|(w, _)| *w).collect();
                    let which = crate::canon::quoted_list(&words, "and");
                    let is = if words.len() == 1 { "is" } else { "are each" };
                    let message = format!(
                        "the template's {which} {is} written twice, so which writing belongs to a value cannot be told and the values cannot be read; the row is `{}`",
                        row.kind.template()
                    );
                    let fix = Fix {
                        safe: false,
                        title: format!("Remove the second {which}"),
                        edits: twice
                            .iter()
                            .map(|(_, r)| Edit {
                                range: range.start + r.start..range.start + r.end,
                                new_text: String::new(),
                            })
                            .collect(),
                    };
                    out.extend(self.finding(Code::TemplateDrift, row.body, message, vec![fix]));
                    continue;
                }
                let fixes = self.restore_fix(text, row.kind, row.body.clone(), markdown);
                let message = if row.kind == RowKind::Mbo && markdown {
                    format!(
                        "this row of the MBO table has {} cells where the table has {} ({}), so its values cannot be read; a `|` inside a value is written `\\|`",
                        row.cells,
                        t::MBO_COLUMNS.len(),
                        t::MBO_COLUMNS.join(" | ")
                    )
                } else {
                    // A row that looks like the template, and differs only
                    // in what a reader cannot see, says what.
                    let unseen = super::invisible::in_row(line, reads);
                    let why = unseen.map_or(String::new(), |why| format!(": {why}"));
                    format!(
                        "the template words of this row were changed, so its values cannot be read{why}; the row is `{}`",
                        row.kind.template()
                    )
                };
                out.extend(self.finding(Code::TemplateDrift, row.body, message, fixes));
                continue;
            };
            // A value emptied (its placeholder taken out, nothing written)
            // is unfilled, as the export has it, and is judged no further.
            let filled = |s: &Option<Slot>| -> Option<Range<usize>> {
                s.as_ref()
                    .filter(|s| self.is_filled(text, s, code))
                    .map(|s| s.range.clone())
            };
            let on = |code: Code| self.severities[code as usize].is_some();
            // Placed among the row's other findings once they are made
            // (a value's other codes come first).
            let row_from = out.len();
            let mut placed = Vec::new();
            let slots = [&values.baseline, &values.target, &values.date];
            let unfilled = |s: &Slot| s.is_blank() || self.disguised(text, s);
            if slots.iter().any(|s| s.as_ref().is_some_and(unfilled)) {
                self.emptied(text, &values, &mut placed);
            }
            // Each value is looked at for a placeholder once. A date
            // goalframe reads holds no bracket and no default look-alike:
            // unless the settings add look-alikes, it is not looked at.
            let parsed = values.date.as_ref().map(|s| (s, date::read(&s.value)));
            let date_range = match &parsed {
                Some((s, Ok(_))) if self.scanner.defaults_only() => Some(s.range.clone()),
                _ => filled(&values.date),
            };
            let target = filled(&values.target);
            // Filled values only: an unfilled one is not looked at again.
            let holds = |s: &Option<Slot>| s.as_ref().is_some_and(|s| hidden::any(&s.value));
            if on(Code::HiddenCharacter)
                && ((target.is_some() && holds(&values.target))
                    || (date_range.is_some() && holds(&values.date))
                    || holds(&values.baseline))
            {
                self.hidden_findings(text, code, &values, &mut placed);
            }
            if let Some(r) = target.clone().filter(|_| on(Code::UnmeasurableTarget)) {
                let v = values.target.as_ref().map_or("", |s| &s.value);
                if !v.chars().any(char::is_numeric) {
                    let mut fixes = Vec::new();
                    let message = {
                        let mut message = [
                            "the target `",
                            &quote(v),
                            "` has no number in it: a target must be something one can count",
                        ]
                        .concat();
                        // `two workshops` counts: its number only needs
                        // digits. The fix edits the words as typed (a
                        // markdown value may hold escapes around them).
                        if let Some(digits) = numbers::in_digits(v) {
                            let edits: Vec<Edit> = numbers::words(&text[r.clone()])
                                .into_iter()
                                .map(|(w, n)| Edit {
                                    range: r.start + w.start..r.start + w.end,
                                    new_text: n.to_string(),
                                })
                                .collect();
                            message.push_str(&format!(
                                "; write the number in digits: `{}`",
                                quote(&digits)
                            ));
                            if !edits.is_empty() {
                                fixes.push(Fix {
                                    safe: false,
                                    title: format!("Write `{}`", quote(&digits)),
                                    edits,
                                });
                            }
                        }
                        message
                    };
                    out.extend(self.finding(Code::UnmeasurableTarget, r, message, fixes));
                }
            }
            // Both filled (the baseline looked at only when it matters).
            let both = if on(Code::BaselineEqualsTarget) && values.baseline.is_some() {
                target
                    .clone()
                    .filter(|_| filled(&values.baseline).is_some())
            } else {
                None
            };
            if let Some(r) = both {
                let (b, tv) = (
                    values.baseline.as_ref().map_or("", |s| &s.value),
                    values.target.as_ref().map_or("", |s| &s.value),
                );
                if !tv.is_empty() && same_value(b, tv) {
                    let message = format!(
                        "the baseline and the target are both `{}`: the goal asks for no change",
                        quote(tv)
                    );
                    out.extend(self.finding(Code::BaselineEqualsTarget, r, message, Vec::new()));
                }
            }
            let day = match date_range {
                None => None,
                Some(r) => {
                    let v = values.date.as_ref().map_or("", |s| &s.value);
                    let read = parsed
                        .as_ref()
                        .map_or(Err(date::NotADay::Form), |(_, d)| *d);
                    match read {
                        Err(_) if !on(Code::InvalidDate) => Some((r, None)),
                        Err(why) => {
                            let mut fixes = Vec::new();
                            let message = {
                                let quoted = quote(v);
                                date::no_such_day(&quoted, why).unwrap_or_else(|| {
                                    // Put together rather than formatted: a
                                    // folder's run writes hundreds of thousands.
                                    // Without its year, the review cycle may say which.
                                    match cycle.written(v) {
                                        Some((form, why)) => {
                                            let message = ["`", &quoted, "` is not a date goalframe can read; ", &date::advice(&form, why)].concat();
                                            fixes.push(Fix {
                                                safe: false,
                                                title: ["Write `", &form, "`"].concat(),
                                                edits: vec![Edit {
                                                    range: r.clone(),
                                                    new_text: form,
                                                }],
                                            });
                                            message
                                        }
                                        None => ["`", &quoted, "` is not a date goalframe can read (e.g. 2027-06-30, 2027-06, 2027-Q2, H1 2027, 30 June 2027)"].concat(),
                                    }
                                })
                            };
                            out.extend(self.finding(Code::InvalidDate, r.clone(), message, fixes));
                            Some((r, None))
                        }
                        Ok(d) => {
                            if !cycle.contains(d) && on(Code::DateOutsideCycle) {
                                let shown = if v == d.to_string() {
                                    String::new()
                                } else {
                                    format!(" ({d})")
                                };
                                let message =
                                    format!("`{}`{shown} is outside {}", quote(v), describe(cycle));
                                out.extend(self.finding(
                                    Code::DateOutsideCycle,
                                    r.clone(),
                                    message,
                                    Vec::new(),
                                ));
                            }
                            Some((r, Some(d)))
                        }
                    }
                }
            };
            match row.kind {
                RowKind::Measurable => measurable = day,
                RowKind::TimeBound => {
                    if let (Some((m_range, Some(m_day))), Some((t_range, Some(t_day)))) =
                        (measurable.take(), day)
                    {
                        if m_day != t_day && on(Code::DateMismatch) {
                            let m_text = &text[m_range];
                            let message = [
                                "the Time-bound date `",
                                &text[t_range.clone()],
                                "` differs from the Measurable date `",
                                m_text,
                                "`: a SMART goal has one date",
                            ]
                            .concat();
                            let fix = Fix {
                                safe: true,
                                title: ["Use the Measurable date `", m_text, "`"].concat(),
                                edits: vec![Edit {
                                    range: t_range.clone(),
                                    new_text: m_text.to_string(),
                                }],
                            };
                            out.extend(self.finding(
                                Code::DateMismatch,
                                t_range,
                                message,
                                vec![fix],
                            ));
                        }
                    }
                }
                _ => {}
            }
            if !placed.is_empty() {
                out.extend(placed);
                out[row_from..].sort_by(super::order);
            }
        }
        if !tally.agrees() {
            self.lacking_findings(text, kind, code, lines, block, out);
        }
    }

    /// `template-drift` on line `i`, which the goal reader does not read
    /// where it stands (`unread`), in its words.
    #[cold]
    #[inline(never)]
    fn unread_line(
        &self,
        text: &str,
        lines: &Lines,
        i: usize,
        unread: Unread,
        section: Option<Frame>,
        out: &mut Vec<Finding>,
    ) {
        if let Some(lack) = unread.lack(text, lines, i, section) {
            out.extend(self.finding(Code::TemplateDrift, lack.range, lack.message, lack.fixes));
        }
    }

    /// "Restore the template row" for a row whose whole body is its
    /// pieces: the row rewritten from the template, with the values that
    /// can still be found in it (`from … to … by …`) and placeholders for
    /// the rest.
    fn restore_fix(
        &self,
        text: &str,
        kind: RowKind,
        body: Range<usize>,
        markdown: bool,
    ) -> Vec<Fix> {
        let pieces = match kind {
            RowKind::Measurable => t::MEASURABLE_ROW,
            RowKind::Mbo if !markdown => t::MBO_DUE_ROW,
            _ => return Vec::new(),
        };
        // Values are looked for in the row as a reader sees it: a no-break
        // space before a value must not make it part of the one before.
        let old = super::invisible::plain_spaces(&text[body.clone()]);
        let found = loose_values(old.trim_end_matches('.'), pieces);
        let mut new_text = String::new();
        for piece in pieces {
            match *piece {
                Piece::Words(w) if markdown => new_text.push_str(&markdown_escape_inline(w)),
                Piece::Words(w) => new_text.push_str(w),
                Piece::Slot(p) => {
                    let v = match p {
                        Placeholder::Baseline => found.0,
                        Placeholder::Target => found.1,
                        Placeholder::Date => found.2,
                    };
                    match v {
                        Some(v) => new_text.push_str(v),
                        None => new_text.push_str(p.text()),
                    }
                }
            }
        }
        vec![Fix {
            safe: false,
            title: "Restore the template row, keeping the values found in it".to_string(),
            edits: vec![Edit {
                range: body,
                new_text,
            }],
        }]
    }
}

/// The last word before `slot` in a row's pieces, with the spaces around
/// it (` from `, ` to `, ` by `, ` Due: `): what still marks a value in a
/// row whose other words were changed.
fn separator(pieces: &[Piece], slot: Placeholder) -> Option<&'static str> {
    let i = pieces.iter().position(|p| *p == Piece::Slot(slot))?;
    let Piece::Words(w) = *pieces.get(i.checked_sub(1)?)? else {
        return None;
    };
    Some(&w[w.trim_end().rfind(' ').unwrap_or(0)..])
}

/// Baseline, target and date found in a reworded row by its separators
/// alone (the words before each slot of `pieces`: `… from B to T by D`,
/// `… T   Due: D`); the ones not found are `None`. Values that still hold
/// placeholders count as not found.
fn loose_values<'s>(
    s: &'s str,
    pieces: &[Piece],
) -> (Option<&'s str>, Option<&'s str>, Option<&'s str>) {
    fn keep(v: &str) -> Option<&str> {
        let v = v.trim();
        (!v.is_empty() && !v.contains('⟨')).then_some(v)
    }
    let date_at =
        separator(pieces, Placeholder::Date).and_then(|sep| s.rfind(sep).map(|i| (i, sep.len())));
    let (before_date, date) = match date_at {
        Some((i, n)) => (&s[..i], keep(&s[i + n..])),
        None => (s, None),
    };
    // The baseline's word, in any case (a reworded row may start with it).
    let lower = before_date.to_lowercase();
    let from = separator(pieces, Placeholder::Baseline).and_then(|sep| {
        let sep = sep.trim_start();
        lower
            .rfind(sep)
            .filter(|_| lower.len() == before_date.len())
            .map(|i| i + sep.len())
    });
    let to = separator(pieces, Placeholder::Target);
    match from {
        Some(f) => {
            let rest = &before_date[f..];
            match to.and_then(|sep| rest.find(sep).map(|i| (i, sep.len()))) {
                Some((t, n)) => (keep(&rest[..t]), keep(&rest[t + n..]), date),
                None => (None, keep(rest), date),
            }
        }
        None => (None, keep(before_date.trim_start_matches(':')), date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A date goalframe reads is judged without a look for placeholders
    /// only while the look-alikes are the default ones: one the settings
    /// add may itself read as a date, and then only it is reported.
    #[test]
    fn an_added_look_alike_that_reads_as_a_date_is_still_a_placeholder() {
        use crate::analysis::{analyze, Code, DocKind};
        let canon = crate::canon::load_embedded().expect("default canon");
        let doc = "<!-- goalframe: ae/P2 smart -->\n## SMART goals — Account Executive / Field Sales — P2\n\n- **Time-bound:** 2099-12-31\n";
        let codes = |settings: &crate::config::Settings| -> Vec<Code> {
            analyze(doc, DocKind::Markdown, &canon, settings)
                .iter()
                .map(|f| f.code)
                .filter(|c| matches!(c, Code::UnfilledPlaceholder | Code::DateOutsideCycle))
                .collect()
        };
        let mut settings = crate::config::Settings {
            cycle: Some(Cycle {
                label: None,
                start: date::parse("2027-01-01"),
                end: date::parse("2027-12-31"),
            }),
            ..Default::default()
        };
        assert_eq!(codes(&settings), [Code::DateOutsideCycle]);
        settings.placeholders = vec!["2099-12-31".to_string()];
        assert_eq!(codes(&settings), [Code::UnfilledPlaceholder]);
    }

    #[test]
    fn values_compare_without_case_or_white_space() {
        assert!(same_value("20 Deals", "20deals"));
        // The ASCII path agrees with the one for any text, on every
        // ASCII byte (white space, controls, case) in pairs of values.
        let bytes: Vec<char> = (0u8..0x80).map(char::from).collect();
        for &x in &bytes {
            for &y in &bytes {
                for (a, b) in [
                    (format!("2{x}0"), format!("2{y}0")),
                    (format!("{x}A{y}"), "a".to_string()),
                    (format!("{x}"), String::new()),
                ] {
                    assert_eq!(same_value(&a, &b), same_text(&a, &b), "{a:?} {b:?}");
                }
            }
        }
        assert!(!same_value("20", "25"));
    }

    #[test]
    fn separators_are_the_words_before_each_slot() {
        assert_eq!(
            separator(t::MEASURABLE_ROW, Placeholder::Baseline),
            Some(" from ")
        );
        assert_eq!(
            separator(t::MEASURABLE_ROW, Placeholder::Target),
            Some(" to ")
        );
        assert_eq!(
            separator(t::MEASURABLE_ROW, Placeholder::Date),
            Some(" by ")
        );
        assert_eq!(separator(t::MBO_DUE_ROW, Placeholder::Date), Some(" Due: "));
        assert_eq!(separator(t::MBO_DUE_ROW, Placeholder::Target), None);
    }

    #[test]
    fn reworded_rows_give_up_the_values_they_still_hold() {
        assert_eq!(
            loose_values(
                "Grow the pipeline from 12 to 20 by 2027-06-30",
                t::MEASURABLE_ROW
            ),
            (Some("12"), Some("20"), Some("2027-06-30"))
        );
        assert_eq!(
            loose_values("Grow it to ⟨target⟩ by Q2 2027", t::MEASURABLE_ROW),
            (None, None, Some("Q2 2027"))
        );
        assert_eq!(
            loose_values("something else", t::MEASURABLE_ROW),
            (None, Some("something else"), None)
        );
    }
}
