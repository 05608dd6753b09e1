//! Filled goals as records for HR systems (docs/export.md): one
//! [`GoalRecord`] per goal of a document, with the document's owner and
//! cycle, and the pre-flight problems that keep a goal from being
//! exported. Plain data; the command line writes it out.
//!
//! - [`sheets`]: the same records as rows of the `csv`, Culture Amp and
//!   Betterworks layouts.

pub mod sheets;

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use crate::analysis::goals::{Goal, Measure, Value};
use crate::analysis::{Analyzer, Code, DocContext, DocKind, Finding, Lines, Severity};
use crate::goals::date;
use crate::goals::slots::RowKind;
use crate::render::template as t;
use crate::render::Placeholder;

/// The `json` format's version: fields are only ever added.
pub const JSON_VERSION: u32 = 1;

/// One goal, as every format carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalRecord {
    pub path: String,
    pub owner: Option<String>,
    pub name: Option<String>,
    pub manager: Option<String>,
    pub cycle: Option<String>,
    pub role: String,
    pub level: String,
    pub frame: &'static str,
    pub index: usize,
    pub title: String,
    pub source: Option<String>,
    pub measures: Vec<MeasureRecord>,
    /// Not in the `json` format: the cycle's first day (Betterworks'
    /// start date).
    #[serde(skip)]
    pub cycle_start: Option<String>,
    /// Not in the `json` format: where the goal is in its document.
    #[serde(skip)]
    pub range: Range<usize>,
}

/// One measure of a goal: a row with values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureRecord {
    pub label: &'static str,
    pub baseline: Option<String>,
    pub target: Option<String>,
    /// The date resolved to an ISO day.
    pub due: Option<String>,
    /// Not in the `json` format: the row's values in its own words, with
    /// its label (`KR1. From 14 to 20 by 2027-06-30`), what a product
    /// shows as a key result or milestone.
    #[serde(skip)]
    pub summary: String,
}

impl GoalRecord {
    /// The goal's last due day: what a product with one date per goal
    /// gets.
    pub fn due(&self) -> Option<&str> {
        self.measures.iter().filter_map(|m| m.due.as_deref()).max()
    }
}

/// A document's goals and what keeps them from being exported.
#[derive(Debug, Clone, Default)]
pub struct DocExport {
    pub goals: Vec<GoalRecord>,
    /// Pre-flight problems, sorted by position: as `lint` reports them.
    pub problems: Vec<Finding>,
}

/// The codes that keep a goal from being exported (unless incomplete
/// goals are allowed).
pub const PREFLIGHT_CODES: [Code; 3] = [
    Code::UnfilledPlaceholder,
    Code::TemplateDrift,
    Code::InvalidDate,
];

/// What the export needs of a document beyond its goals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// The format names an owner for each goal (the product formats).
    pub owner: bool,
}

/// Reads `text`'s goals as records. `findings` are the document's lint
/// findings: those with a [`PREFLIGHT_CODES`] code inside a goal are its
/// problems. A slot the findings do not cover (its code is off or
/// suppressed for lint) is still a problem: export never hands on a goal
/// with a value missing unless told to.
pub fn document(
    analyzer: &Analyzer,
    path: &str,
    text: &str,
    kind: DocKind,
    lines: &Lines,
    findings: &[Finding],
    needs: Needs,
) -> DocExport {
    let ctx = DocContext::read(text, kind, analyzer.settings.cycle.as_ref());
    let meta = ctx.metadata.as_ref();
    let field = |f: fn(&crate::goals::metadata::Metadata) -> &Option<String>| {
        meta.and_then(|m| f(m).clone())
    };
    let owner = field(|m| &m.owner);
    let name = field(|m| &m.name);
    let manager = field(|m| &m.manager);
    let goals = analyzer.goals(text, kind, lines);
    let mut problems: Vec<Finding> = findings
        .iter()
        .filter(|f| PREFLIGHT_CODES.contains(&f.code))
        .filter(|f| goals.iter().any(|g| inside(&f.range, &g.range)))
        .cloned()
        .collect();
    for g in &goals {
        for m in &g.measures {
            for (range, code, message) in missing(m, text) {
                let covered = problems.iter().any(|p| overlaps(&p.range, &range));
                if !covered {
                    problems.push(Finding {
                        code,
                        severity: Severity::Error,
                        range,
                        message: Cow::Owned(message),
                        fixes: Vec::new(),
                    });
                }
            }
        }
    }
    if needs.owner && owner.is_none() && !goals.is_empty() {
        let at = meta.map_or(0, |m| m.range.start);
        problems.push(Finding {
            code: Code::InvalidMetadata,
            severity: Severity::Error,
            range: at..at,
            message: Cow::Borrowed(
                "no `owner` in the document's metadata: an HR system's import needs the goal owner's email",
            ),
            fixes: Vec::new(),
        });
    }
    problems.sort_by_key(|f| (f.range.start, f.range.end));
    let goals = goals
        .into_iter()
        .map(|g| GoalRecord {
            path: path.to_string(),
            owner: owner.clone(),
            name: name.clone(),
            manager: manager.clone(),
            cycle: ctx.cycle.label.clone(),
            cycle_start: ctx.cycle.start.map(|d| d.to_string()),
            role: canonical_role(analyzer, &g),
            level: canonical_level(analyzer, &g),
            frame: g.frame.key(),
            index: g.index,
            title: g.title,
            source: g.source,
            measures: g.measures.iter().map(measure_record).collect(),
            range: g.range,
        })
        .collect();
    DocExport { goals, problems }
}

fn inside(r: &Range<usize>, goal: &Range<usize>) -> bool {
    r.start >= goal.start && r.start < goal.end.max(goal.start + 1)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

/// The values of a measure that are not there for export, with the code
/// and words to report each by.
fn missing(m: &Measure, text: &str) -> Vec<(Range<usize>, Code, String)> {
    let label = m.label();
    if !m.readable {
        return vec![(
            m.row.clone(),
            Code::TemplateDrift,
            format!("the {label} row's template words were changed: its values cannot be read for export"),
        )];
    }
    let mut out = Vec::new();
    let named = [
        ("baseline", &m.baseline),
        ("target", &m.target),
        ("date", &m.date),
    ];
    for (what, value) in named {
        let Some(v) = value else { continue };
        match &v.text {
            None => out.push((
                v.range.clone(),
                Code::UnfilledPlaceholder,
                format!("the {label} {what} is not filled: export needs every value"),
            )),
            Some(s) if what == "date" && date::parse(s).is_none() => out.push((
                v.range.clone(),
                Code::InvalidDate,
                format!("`{}` is not a date export can read", &text[v.range.clone()]),
            )),
            Some(_) => {}
        }
    }
    out
}

fn measure_record(m: &Measure) -> MeasureRecord {
    let text = |v: &Option<Value>| v.as_ref().and_then(|v| v.text.clone());
    let typed = |p: Placeholder| {
        let v = match p {
            Placeholder::Baseline => &m.baseline,
            Placeholder::Target => &m.target,
            Placeholder::Date => &m.date,
        };
        v.as_ref().and_then(|v| v.text.as_deref())
    };
    let lead = match m.kind {
        RowKind::Kr1 => t::KR1.to_string(),
        RowKind::Kr2 => t::KR2.to_string(),
        _ => format!("{}:", m.label()),
    };
    MeasureRecord {
        summary: format!("{lead} {}", m.kind.fill(typed)),
        label: m.label(),
        baseline: text(&m.baseline),
        target: text(&m.target),
        due: m
            .date
            .as_ref()
            .and_then(|v| v.text.as_deref())
            .and_then(date::parse)
            .map(|d| d.to_string()),
    }
}

/// The role's canon id when the canon knows it (a block may name it by
/// alias or title), else as the block names it.
fn canonical_role(analyzer: &Analyzer, g: &Goal) -> String {
    analyzer
        .canon
        .role(&g.role)
        .map_or_else(|| g.role.clone(), |r| r.id.clone())
}

/// The level's canon code when the canon knows the role at it.
fn canonical_level(analyzer: &Analyzer, g: &Goal) -> String {
    analyzer
        .canon
        .role_at(&g.role, &g.level)
        .map_or_else(|_| g.level.clone(), |rl| rl.level.code.clone())
}

impl DocExport {
    /// How many of its goals a pre-flight problem keeps back (all of them
    /// when the document lacks what every goal needs, its owner).
    pub fn refused(&self) -> usize {
        if self
            .problems
            .iter()
            .any(|p| p.code == Code::InvalidMetadata)
        {
            return self.goals.len();
        }
        self.goals
            .iter()
            .filter(|g| self.problems.iter().any(|p| inside(&p.range, &g.range)))
            .count()
    }
}
