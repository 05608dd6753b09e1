//! The outline of a goal document, for an editor's outline, folding and
//! progress lenses: its goalframe blocks, the goals in each, and the
//! slots (`⟨baseline⟩`, `⟨target⟩`, `⟨date⟩`) still to fill. Byte ranges
//! only, no protocol types; also the "fix all" set of safe edits.
//!
//! A goal is a numbered item of a frame (`1. …`), a markdown table's
//! data row (MBO) or a scorecard row; it runs to the next goal, heading
//! or the end of its block. Its slots are the values of the frame rows
//! inside it, read back as the quality checks read them.

use std::ops::Range;

use crate::goals::slots::{read_row, RowKind};

use super::goals::{block_line, goal_line};
use super::tables::{
    frame_row, frame_tables, glued_header, header_read_as_row, outside_table, Tables,
};
use super::{blocks, markdown, Analyzer, DocKind, Edit, Finding, Fix, Lines};

/// The longest goal name shown, in characters (an ellipsis follows).
pub const GOAL_NAME_CHARS: usize = 60;

/// A document's blocks, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub blocks: Vec<OutlineBlock>,
}

/// One goalframe block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineBlock {
    /// Its heading (`SMART goals — … — P2`), or the marker's words.
    pub name: String,
    /// `role/level frame` (the frame left out for an `all` block).
    pub detail: String,
    /// The role and level as the block names them, and its frame
    /// (`None`: an `all` block).
    pub role: String,
    pub level: String,
    pub frame: Option<crate::render::Frame>,
    /// The marker or heading line that opens it.
    pub opener: Range<usize>,
    /// From its opener to the end of its last non-blank line.
    pub range: Range<usize>,
    pub goals: Vec<OutlineGoal>,
    /// Every slot of its goals, in order.
    pub slots: Vec<SlotState>,
}

/// One goal of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineGoal {
    /// Its canon text, shortened to [`GOAL_NAME_CHARS`].
    pub name: String,
    /// The line that starts it.
    pub first_line: Range<usize>,
    /// From its first line to the end of its last non-blank line.
    pub range: Range<usize>,
    pub filled: usize,
    pub total: usize,
}

/// A value slot of a frame row and whether it is filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotState {
    pub range: Range<usize>,
    pub filled: bool,
}

impl OutlineBlock {
    /// Moves every range by `delta` bytes (the text before it changed).
    pub fn shift(&mut self, delta: isize) {
        let at = |x: &mut usize| *x = x.saturating_add_signed(delta);
        let range = |r: &mut Range<usize>| {
            at(&mut r.start);
            at(&mut r.end);
        };
        range(&mut self.opener);
        range(&mut self.range);
        for g in &mut self.goals {
            range(&mut g.first_line);
            range(&mut g.range);
        }
        for s in &mut self.slots {
            range(&mut s.range);
        }
    }

    /// How many of its slots are filled.
    pub fn filled(&self) -> usize {
        self.slots.iter().filter(|s| s.filled).count()
    }
}

impl Outline {
    /// The first unfilled slot starting after `offset`, else the first one
    /// of the document (wrapping); `None` when every slot is filled.
    pub fn next_unfilled(&self, offset: usize) -> Option<Range<usize>> {
        let mut unfilled = self
            .blocks
            .iter()
            .flat_map(|b| b.slots.iter())
            .filter(|s| !s.filled)
            .map(|s| s.range.clone());
        let first = unfilled.next()?;
        if first.start > offset {
            return Some(first);
        }
        unfilled.find(|r| r.start > offset).or(Some(first))
    }

    /// Whether byte `offset` is on a value slot of a goal (its ends
    /// included): what a hover may explain. A table of the writer's own
    /// reads like the MBO table's rows, but no goal holds it.
    pub fn holds_slot(&self, offset: usize) -> bool {
        let b = self.blocks.partition_point(|b| b.range.end < offset);
        self.blocks.get(b).is_some_and(|b| {
            let i = b.slots.partition_point(|s| s.range.end < offset);
            b.slots.get(i).is_some_and(|s| s.range.start <= offset)
        })
    }
}

impl Analyzer<'_> {
    /// The outline of `text`: one pass over its lines.
    pub fn outline(&self, text: &str, kind: DocKind, lines: &Lines) -> Outline {
        let md = kind == DocKind::Markdown;
        let code = if md {
            markdown::code_ranges(text, lines)
        } else {
            Vec::new()
        };
        let found = blocks::find(text, kind, lines, &code);
        self.outline_with(text, kind, lines, &code, found.iter())
    }

    /// The outline from the document's code ranges and blocks, already
    /// found (an open document's [`super::Session`] keeps them).
    pub fn outline_with<'b>(
        &self,
        text: &str,
        kind: DocKind,
        lines: &Lines,
        code: &[Range<usize>],
        blocks: impl Iterator<Item = &'b blocks::Block>,
    ) -> Outline {
        let md = kind == DocKind::Markdown;
        // An unread heading holds no goals: the outline shows what is read.
        let blocks = blocks
            .filter(|b| !b.unread)
            .map(|b| self.outline_block(text, md, lines, code, b))
            .collect();
        Outline { blocks }
    }

    pub(super) fn outline_block(
        &self,
        text: &str,
        md: bool,
        lines: &Lines,
        code: &[Range<usize>],
        block: &blocks::Block,
    ) -> OutlineBlock {
        let mut name = None;
        let mut goals: Vec<OutlineGoal> = Vec::new();
        let mut slots = Vec::new();
        // The end of the last non-blank line seen, of the block and of the
        // open goal.
        let mut block_end = block.opener.end;
        let mut table = Tables::default();
        // The frame of an `all` block's section, and whether the last goal
        // may still grow.
        let mut section = block.frame;
        let mut open = false;
        let first = lines.line_of(block.opener.end.min(text.len()));
        let mut i = first;
        while i < lines.count() && lines.start(i) < block.range.end {
            let r = lines.range(text, i);
            i += 1;
            if r.start < block.opener.end {
                continue;
            }
            let line = &text[r.clone()];
            if line.trim().is_empty() {
                table.end();
                continue;
            }
            block_end = r.end;
            if md && markdown::inside(code, r.start) {
                continue;
            }
            let read = block_line(line.trim(), md, block.frame, &mut section);
            if let Some(h) = read.heading {
                if name.is_none() && block.by_marker {
                    name = Some(h.to_string());
                }
            }
            if !read.in_body {
                open = false;
                continue;
            }
            let tables = frame_tables(md, section);
            let row = read_row(line, r.start, md)
                .filter(|w| frame_row(Some(w.kind), md, section).is_some())
                .filter(|w| !header_read_as_row(text, line, r.end, tables, Some(w.kind), table.at));
            // A table joined to the MBO table, a row cut off from its table:
            // not read (goals.rs).
            if glued_header(text, line, r.end, tables, table.at) {
                table.glued();
                open = false;
                continue;
            }
            if outside_table(line, tables, row.as_ref().map(|r| r.kind), table.at) {
                continue;
            }
            let starts_goal = goal_start(line, tables, row.as_ref().map(|r| r.kind), &mut table);
            if let Some(goal_name) = starts_goal {
                goals.push(OutlineGoal {
                    name: goal_name,
                    first_line: r.clone(),
                    range: r.clone(),
                    filled: 0,
                    total: 0,
                });
                open = true;
            }
            let goal = goals.last_mut().filter(|_| open);
            if let Some(g) = goal {
                g.range.end = r.end;
            }
            let Some(values) = row.and_then(|row| row.values) else {
                continue;
            };
            for (_, slot) in values.iter() {
                // As `lint` and the export judge it.
                let filled = self.is_filled(text, slot, code);
                // An empty slot (the placeholder deleted) points at where
                // it was: still something to fill.
                slots.push(SlotState {
                    range: slot.range.clone(),
                    filled,
                });
                if let Some(g) = goals.last_mut().filter(|_| open) {
                    g.total += 1;
                    g.filled += usize::from(filled);
                }
            }
        }
        let frame = block
            .frame
            .map(|f| format!(" {}", f.key()))
            .unwrap_or_default();
        let detail = format!("{}/{}{frame}", block.role, block.level);
        let name = name.unwrap_or_else(|| {
            let opener = text[block.opener.clone()].trim();
            if block.by_marker {
                detail.clone()
            } else {
                blocks::heading_text(opener).to_string()
            }
        });
        OutlineBlock {
            name,
            detail,
            role: block.role.clone(),
            level: block.level.clone(),
            frame: block.frame,
            opener: block.opener.clone(),
            range: block.opener.start..block_end.max(block.opener.end),
            goals,
            slots,
        }
    }
}

/// Whether `line` starts a goal, and its name (see [`goal_line`]).
fn goal_start(
    line: &str,
    tables: bool,
    row: Option<RowKind>,
    table: &mut Tables,
) -> Option<String> {
    goal_line(line, tables, row, table).map(|g| shorten(g.label))
}

/// `s` in at most [`GOAL_NAME_CHARS`] characters, markdown escapes undone.
fn shorten(s: &str) -> String {
    let mut plain = String::new();
    markdown::unescape_into(s.trim(), &mut plain);
    let plain = plain.trim();
    match plain.char_indices().nth(GOAL_NAME_CHARS) {
        None => plain.to_string(),
        Some((at, _)) => format!("{}…", plain[..at].trim_end()),
    }
}

/// The fix fix-all takes for `f`, if it has one: its first, when that
/// one is [`Fix::safe`] (it puts back canon text, aligns a date with the
/// goal's own other date, joins a wrapped row, writes a heading, a row's
/// label or an MBO table's header, pipes or lines as the template does,
/// or takes out of a value characters that do not show). A finding whose
/// first fix is a choice is left to a person, whatever its others.
pub fn safe_fix(f: &Finding) -> Option<&Fix> {
    f.fixes.first().filter(|x| x.safe)
}

/// Every safe fix of `findings` (in order) at once: the first fix of each
/// finding when it is safe, skipping any whose edits overlap one already
/// taken. Edits in document order.
pub fn fix_all<F: std::borrow::Borrow<Finding>>(
    findings: impl IntoIterator<Item = F>,
) -> Vec<Edit> {
    fix_all_counted(findings).0
}

/// [`fix_all`], and how many fixes it took (a joined row is one fix of
/// several edits).
pub fn fix_all_counted<F: std::borrow::Borrow<Finding>>(
    findings: impl IntoIterator<Item = F>,
) -> (Vec<Edit>, usize) {
    let mut edits: Vec<Edit> = Vec::new();
    let mut taken = Taken::default();
    let mut fixes = 0;
    for f in findings {
        let Some(fix) = safe_fix(f.borrow()) else {
            continue;
        };
        if !fix.edits.iter().any(|e| taken.overlaps(&e.range)) {
            for e in &fix.edits {
                taken.insert(&e.range);
            }
            edits.extend(fix.edits.iter().cloned());
            fixes += 1;
        }
    }
    edits.sort_by_key(|e| e.range.start);
    (edits, fixes)
}

/// The stretches of text the edits taken so far cover, each as at least
/// one byte (an insertion claims the byte it goes before): kept apart and
/// in order, so whether an edit overlaps one is a lookup, not a search
/// of every edit taken (a save fixing 30,000 dates looked through them
/// all for each).
#[derive(Default)]
struct Taken(std::collections::BTreeMap<usize, usize>);

impl Taken {
    fn claimed(r: &Range<usize>) -> (usize, usize) {
        (r.start, r.end.max(r.start + 1))
    }

    fn overlaps(&self, r: &Range<usize>) -> bool {
        let (start, end) = Self::claimed(r);
        // Apart and in order: the last stretch starting before `end` is
        // the one that reaches furthest.
        self.0
            .range(..end)
            .next_back()
            .is_some_and(|(_, &to)| to > start)
    }

    fn insert(&mut self, r: &Range<usize>) {
        let (mut start, mut end) = Self::claimed(r);
        while let Some((&from, &to)) = self.0.range(..end).next_back() {
            if to <= start {
                break;
            }
            self.0.remove(&from);
            start = start.min(from);
            end = end.max(to);
        }
        self.0.insert(start, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Code;
    use crate::config::Settings;
    use crate::render::{self, Form, Markup, Selection};

    /// Every frame of ae/P2 in a form, outlined: blocks, goals, counts.
    fn outlined(markup: Markup, kind: DocKind) -> String {
        let canon = crate::canon::load_embedded().expect("embedded canon");
        let ral = canon.role_at("ae", "P2").expect("ae/P2");
        let form = Form {
            markup,
            snippet: false,
        };
        let text = render::render(ral, Selection::All, form).expect("render");
        let settings = Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        let outline = analyzer.outline(&text, kind, &Lines::new(&text));
        let mut out = String::new();
        for b in &outline.blocks {
            out.push_str(&format!(
                "{} ({}) {}/{}\n",
                b.name,
                b.detail,
                b.filled(),
                b.slots.len()
            ));
            for g in &b.goals {
                out.push_str(&format!("  {} {}/{}\n", g.name, g.filled, g.total));
            }
        }
        out
    }

    #[test]
    fn every_frame_in_markdown_has_its_goals_and_slots() {
        expect_test::expect![[r#"
            Goal templates — Account Executive / Field Sales — P2 (Account Executive / Field Sales/P2) 0/0
            SMART goals — Account Executive / Field Sales — P2 (account-executive-field-sales/P2 smart) 0/20
              Manages the entire sales cycle from initial contact to closi… 0/4
              Recommends products based on customers' needs and estimates… 0/4
              Maintains an accurate sales pipeline so that company-wide fo… 0/4
              Prepares sales contracts and order forms and consults with c… 0/4
              Monitors market conditions and competitors' products and per… 0/4
            OKRs — Account Executive / Field Sales — P2 (account-executive-field-sales/P2 okr) 0/25
              Manages the entire sales cycle from initial contact to closi… 0/5
              Recommends products based on customers' needs and estimates… 0/5
              Maintains an accurate sales pipeline so that company-wide fo… 0/5
              Prepares sales contracts and order forms and consults with c… 0/5
              Monitors market conditions and competitors' products and per… 0/5
            MBO areas — Account Executive / Field Sales — P2 (account-executive-field-sales/P2 mbo) 0/10
              Manages the entire sales cycle from initial contact to closi… 0/2
              Recommends products based on customers' needs and estimates… 0/2
              Maintains an accurate sales pipeline so that company-wide fo… 0/2
              Prepares sales contracts and order forms and consults with c… 0/2
              Monitors market conditions and competitors' products and per… 0/2
            Scorecard — Account Executive / Field Sales — P2 (account-executive-field-sales/P2 scorecard) 0/22
              Manages the entire sales cycle from initial contact to closi… 0/2
              Recommends products based on customers' needs and estimates… 0/2
              Maintains an accurate sales pipeline so that company-wide fo… 0/2
              Prepares sales contracts and order forms and consults with c… 0/2
              Monitors market conditions and competitors' products and per… 0/2
              Meets the scope bar: "Defined deliverables / small features" 0/2
              Meets the autonomy bar: "General supervision; reviewed at mi… 0/2
              Meets the complexity bar: "Some non-routine problems; applie… 0/2
              Meets the impact bar: "Own and immediate-team deliverables" 0/2
              Meets the decision rights bar: "Routine technical choices wi… 0/2
              Meets the leadership bar: "May guide interns" 0/2
        "#]].assert_eq(&outlined(Markup::Markdown, DocKind::Markdown));
    }

    #[test]
    fn the_text_form_is_one_block_with_every_goal() {
        expect_test::expect![[r#"
            Goal templates — Account Executive / Field Sales — P2 (Account Executive / Field Sales/P2) 0/77
              Manages the entire sales cycle from initial contact to closi… 0/4
              Recommends products based on customers' needs and estimates… 0/4
              Maintains an accurate sales pipeline so that company-wide fo… 0/4
              Prepares sales contracts and order forms and consults with c… 0/4
              Monitors market conditions and competitors' products and per… 0/4
              Manages the entire sales cycle from initial contact to closi… 0/5
              Recommends products based on customers' needs and estimates… 0/5
              Maintains an accurate sales pipeline so that company-wide fo… 0/5
              Prepares sales contracts and order forms and consults with c… 0/5
              Monitors market conditions and competitors' products and per… 0/5
              Manages the entire sales cycle from initial contact to closi… 0/2
              Recommends products based on customers' needs and estimates… 0/2
              Maintains an accurate sales pipeline so that company-wide fo… 0/2
              Prepares sales contracts and order forms and consults with c… 0/2
              Monitors market conditions and competitors' products and per… 0/2
              Manages the entire sales cycle from initial contact to closi… 0/2
              Recommends products based on customers' needs and estimates… 0/2
              Maintains an accurate sales pipeline so that company-wide fo… 0/2
              Prepares sales contracts and order forms and consults with c… 0/2
              Monitors market conditions and competitors' products and per… 0/2
              Meets the scope bar: "Defined deliverables / small features" 0/2
              Meets the autonomy bar: "General supervision; reviewed at mi… 0/2
              Meets the complexity bar: "Some non-routine problems; applie… 0/2
              Meets the impact bar: "Own and immediate-team deliverables" 0/2
              Meets the decision rights bar: "Routine technical choices wi… 0/2
              Meets the leadership bar: "May guide interns" 0/2
        "#]].assert_eq(&outlined(Markup::Text, DocKind::Text));
    }

    #[test]
    fn a_session_outlines_as_a_fresh_analysis_after_edits() {
        let canon = crate::canon::load_embedded().expect("embedded canon");
        let ral = canon.role_at("ae", "P2").expect("ae/P2");
        let form = Form {
            markup: Markup::Markdown,
            snippet: false,
        };
        let text = render::render(ral, Selection::All, form).expect("render");
        let settings = Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        let mut session = crate::analysis::Session::new(text.clone(), DocKind::Markdown);
        let _ = session.findings(&analyzer);
        let mut rng = crate::analysis::testing::Rng::new(9);
        for _ in 0..300 {
            // Several edits, here and there, between two outlines (the
            // session keeps a window per place, up to a limit).
            for _ in 0..1 + rng.below(12) {
                let t = session.text().to_string();
                let floor = |mut at: usize| {
                    while !t.is_char_boundary(at) {
                        at -= 1;
                    }
                    at
                };
                let at = floor(rng.below(t.len()));
                let end = floor((at + rng.below(4)).min(t.len())).max(at);
                let piece = [
                    "x",
                    "\n",
                    "⟨target⟩",
                    "12",
                    "\n<!-- goalframe: ae/P2 okr -->\n",
                    "1. ",
                    "",
                ][rng.below(7)];
                session.edit(at..end, piece);
            }
            if rng.below(3) == 0 {
                let _ = session.findings(&analyzer);
            }
            let t = session.text().to_string();
            let fresh = analyzer.outline(&t, DocKind::Markdown, &Lines::new(&t));
            assert_eq!(session.outline(&analyzer).outline, &fresh);
            // Asked again with no edit between: the kept outline.
            if rng.below(2) == 0 {
                assert_eq!(session.outline(&analyzer).outline, &fresh);
            }
        }
    }

    #[test]
    fn next_unfilled_wraps_and_fix_all_skips_overlaps() {
        let slot = |r: Range<usize>, filled| SlotState { range: r, filled };
        let outline = Outline {
            blocks: vec![OutlineBlock {
                name: String::new(),
                detail: String::new(),
                role: String::new(),
                level: String::new(),
                frame: None,
                opener: 0..1,
                range: 0..100,
                goals: Vec::new(),
                slots: vec![slot(10..12, false), slot(20..22, true), slot(30..32, false)],
            }],
        };
        assert_eq!(outline.next_unfilled(0), Some(10..12));
        assert_eq!(outline.next_unfilled(10), Some(30..32));
        assert_eq!(outline.next_unfilled(30), Some(10..12));
        assert_eq!(Outline::default().next_unfilled(5), None);
        let finding = |code, r: Range<usize>, new: &str| Finding {
            code,
            severity: crate::diagnostic::Severity::Warning,
            range: r.clone(),
            message: "m".into(),
            fixes: vec![crate::analysis::Fix {
                safe: code != Code::UnknownRole,
                title: "t".into(),
                edits: vec![Edit {
                    range: r,
                    new_text: new.into(),
                }],
            }],
        };
        let edits = fix_all(&[
            finding(Code::DateMismatch, 40..50, "b"),
            finding(Code::CanonDrift, 0..10, "a"),
            finding(Code::CanonDrift, 5..15, "overlapping"),
            finding(Code::UnknownRole, 60..70, "not safe"),
        ]);
        let texts: Vec<&str> = edits.iter().map(|e| e.new_text.as_str()).collect();
        assert_eq!(texts, ["a", "b"]);
    }

    /// Fix-all takes the same edits as looking through every edit taken
    /// for each, on random overlapping fixes (insertions, several edits a
    /// fix, unsafe codes).
    #[test]
    fn fix_all_takes_what_looking_through_every_edit_taken_would() {
        fn naive(findings: &[Finding]) -> Vec<Edit> {
            let mut edits: Vec<Edit> = Vec::new();
            for f in findings {
                let Some(fix) = f.fixes.first().filter(|x| x.safe) else {
                    continue;
                };
                let overlaps = fix.edits.iter().any(|e| {
                    edits.iter().any(|t| {
                        e.range.start < t.range.end.max(t.range.start + 1)
                            && t.range.start < e.range.end.max(e.range.start + 1)
                    })
                });
                if !overlaps {
                    edits.extend(fix.edits.iter().cloned());
                }
            }
            edits.sort_by_key(|e| e.range.start);
            edits
        }
        let mut rng = crate::analysis::testing::Rng::new(11);
        let codes = [Code::DateMismatch, Code::CanonDrift, Code::UnknownRole];
        for _ in 0..2000 {
            let findings: Vec<Finding> = (0..rng.below(25))
                .map(|i| {
                    let edits = (0..1 + rng.below(3))
                        .map(|_| {
                            let start = rng.below(80);
                            Edit {
                                range: start..start + rng.below(6),
                                new_text: i.to_string(),
                            }
                        })
                        .collect();
                    let code = codes[rng.below(codes.len())];
                    Finding {
                        code,
                        severity: crate::diagnostic::Severity::Warning,
                        range: 0..1,
                        message: "m".into(),
                        fixes: vec![crate::analysis::Fix {
                            safe: code != Code::UnknownRole,
                            title: "t".into(),
                            edits,
                        }],
                    }
                })
                .collect();
            assert_eq!(fix_all(&findings), naive(&findings), "{findings:?}");
        }
    }
}
