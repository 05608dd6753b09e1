//! A goal without the row that holds its values: a SMART item without its
//! `Measurable:` row, an OKR objective without `KR1.`, a text-form MBO
//! area without `Target:`. Its values cannot be read, so `export` refuses
//! it; `lint` reports it by the same rule ([`Analyzer::lacking_row`]), so
//! a review `lint` passes is one `export` takes. Most often the row is
//! there with its label written otherwise (`Measurable:` without its bold,
//! `**Measurable**:`), and the fix writes the label as the template does.
//!
//! `lint` does not read a block as goals (a second pass over every
//! block): while it reads the rows it counts the goals' first lines and
//! the rows that hold their values ([`Tally`]), and reads as goals only a
//! block whose counts do not agree.

use std::ops::Range;

use crate::diagnostic::Code;
use crate::goals::slots::RowKind;
use crate::render::template as t;
use crate::render::Frame;

use super::goals::{Goal, Reading};
use super::{blocks::Block, Analyzer, DocKind, Edit, Finding, Fix, Lines};

/// What a block's lines were, counted as `lint` reads its rows: goals'
/// first lines (a numbered SMART goal, markdown OKR objective or
/// text-form MBO area; a text-form `Objective N:`) and each kind of row
/// with values.
#[derive(Debug, Default)]
pub(super) struct Tally {
    items: u32,
    rows: [u32; RowKind::ALL.len()],
}

impl Tally {
    /// Counts a line that is no row, starting at byte `at` of `text`, if
    /// it is a numbered item's first line.
    #[inline(always)]
    pub fn line(&mut self, text: &[u8], at: usize) {
        // A goal's number starts the line or follows one space (as the
        // goal reader takes it): most lines are told by their first byte.
        let mut i = at + usize::from(text.get(at) == Some(&b' '));
        if !text.get(i).is_some_and(u8::is_ascii_digit) {
            // The text form's objectives: `Objective 1: …`.
            if text.get(at) == Some(&t::OBJECTIVE.as_bytes()[0]) && objective(&text[at..]) {
                self.items += 1;
            }
            return;
        }
        while text.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        // `1. ` or `1) ` (`t::after_item_number`, read on bytes).
        if text
            .get(i)
            .is_some_and(|d| t::ORDERED_DELIMITERS.contains(d))
            && matches!(text.get(i + 1), Some(b' ' | b'\t'))
        {
            self.items += 1;
        }
    }

    #[inline(always)]
    pub fn row(&mut self, kind: RowKind) {
        self.rows[kind as usize] += 1;
    }

    /// Whether every goal's first line may have its row: as many items
    /// as rows that open a goal's values (SMART's `Measurable:`, OKR's
    /// `KR1.`, and in text, MBO's `Target:`, its areas being numbered
    /// items too), and no `Time-bound:` or `KR2.` row more than the rows
    /// they follow. (A canon level without scope bars has fewer `KR2.`
    /// rows, never more.)
    pub fn agrees(&self, markdown: bool) -> bool {
        let n = |k: RowKind| self.rows[k as usize];
        let opening =
            n(RowKind::Measurable) + n(RowKind::Kr1) + if markdown { 0 } else { n(RowKind::Mbo) };
        self.items == opening
            && n(RowKind::TimeBound) <= n(RowKind::Measurable)
            && n(RowKind::Kr2) <= n(RowKind::Kr1)
    }
}

/// Whether `line` (its bytes on) starts as a text-form objective does:
/// `Objective 1: ` (as the goal reader takes it).
#[cold]
#[inline(never)]
fn objective(line: &[u8]) -> bool {
    let Some(rest) = line
        .strip_prefix(t::OBJECTIVE.as_bytes())
        .and_then(|r| r.strip_prefix(b" "))
    else {
        return false;
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && rest[digits..].starts_with(b": ")
}

/// A goal without its row of values, as reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lack {
    pub range: Range<usize>,
    pub message: String,
    pub fixes: Vec<Fix>,
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
        self.lacking_row(text, kind, goal)
            .or_else(|| self.doubled_row(lines, goal))
    }

    /// The second of two rows of one kind in `goal` (a `Measurable:` row
    /// copied to be edited, the old one left): both would be exported as
    /// its measures. On the later row's body, naming the earlier's line.
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
        let line = lines.line_of(first.row.start) + 1;
        Some(Lack {
            range: second.row.clone(),
            message: format!(
                "this goal has its `{}` row twice (the first on line {line}), so both would be exported as its measures; keep one",
                label(second.kind)
            ),
            fixes: Vec::new(),
        })
    }

    /// `goal` without the row that holds its values, if it lacks it: on
    /// the row whose label is written otherwise, with the fix that writes
    /// it as the template does; else on the goal's first line.
    pub fn lacking_row(&self, text: &str, kind: DocKind, goal: &Goal) -> Option<Lack> {
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
        Some(Lack {
            range: goal.range.start..first_line,
            message: format!(
                "this goal has no `{label}` row, so its values cannot be exported; the row is `{}`",
                needs.template()
            ),
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
