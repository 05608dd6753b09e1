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
use std::sync::Arc;

use serde::Serialize;

use crate::analysis::goals::{Goal, Measure, Value};
use crate::analysis::{Analyzer, Code, DocContext, DocKind, Finding, Lines, Severity};
use crate::goals::date;
use crate::goals::slots::RowKind;
use crate::hidden;
use crate::quote::{counted, quote};
use crate::render::template as t;
use crate::render::Placeholder;

/// The `json` format's version: fields are only ever added.
pub const JSON_VERSION: u32 = 1;

/// Where goals are read from, said wherever an export finds none: most
/// often they were written where goalframe does not read them (a bare
/// `render --frame` block, with no heading line naming its role and
/// level), and an HR import of the empty export would load nothing.
pub const WHERE_GOALS_ARE: &str =
    "goals are read from goalframe blocks, each under the heading that names its role and level";

/// One goal, as every format carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalRecord {
    // Shared by every goal of a document (or block): one allocation each.
    pub path: Arc<str>,
    pub owner: Option<Arc<str>>,
    pub name: Option<Arc<str>>,
    pub manager: Option<Arc<str>>,
    pub cycle: Option<Arc<str>>,
    pub role: Arc<str>,
    pub level: Arc<str>,
    pub frame: &'static str,
    pub index: usize,
    pub title: String,
    pub source: Option<String>,
    pub measures: Vec<MeasureRecord>,
    /// Not in the `json` format: the cycle's first day (Betterworks'
    /// start date).
    #[serde(skip)]
    pub cycle_start: Option<Arc<str>>,
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
    /// shows as a key result or milestone (empty unless
    /// [`Needs::summaries`]).
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
    /// Pre-flight problems, sorted by position: as `lint` reports them,
    /// each an error.
    pub problems: Vec<Finding>,
    /// Whose goals they are and for which cycle ([`Cycle::named`]), when
    /// the document has goals and an owner.
    ///
    /// [`Cycle::named`]: crate::goals::metadata::Cycle::named
    pub whose: Option<(String, Option<String>)>,
}

/// A person whose goals for one cycle come from more than one document: a
/// copy of a review left in the folder would reach the HR system twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedOwner {
    /// As the first of the documents writes it.
    pub owner: String,
    pub cycle: Option<String>,
    /// In the order they were read.
    pub paths: Vec<String>,
}

impl SharedOwner {
    /// The cycle as `report`'s lists name it.
    pub fn cycle_shown(&self) -> &str {
        self.cycle.as_deref().unwrap_or("no cycle named")
    }

    /// What `export` says of it.
    pub fn warning(&self) -> String {
        const SHOWN: usize = 5;
        let mut paths = self.paths[..self.paths.len().min(SHOWN)].join(", ");
        if self.paths.len() > SHOWN {
            paths.push_str(&format!(" and {} more", self.paths.len() - SHOWN));
        }
        let cycle = match &self.cycle {
            Some(c) => format!("for {c}"),
            None => "with no cycle named".to_string(),
        };
        format!(
            "the goals of {} {cycle} come from {}: {paths}; the HR system takes them all, so a copy left in the folder gives them twice",
            self.owner,
            counted(self.paths.len(), "document"),
        )
    }
}

/// The people whose goals for one cycle come from more than one of
/// `docs` (path, owner, cycle), in the order first read. Owners are email
/// addresses, compared without case.
pub fn shared_owners<'a>(
    docs: impl IntoIterator<Item = (&'a str, &'a str, Option<&'a str>)>,
) -> Vec<SharedOwner> {
    let mut all: Vec<SharedOwner> = Vec::new();
    let mut at: std::collections::HashMap<(String, Option<&str>), usize> = Default::default();
    for (path, owner, cycle) in docs {
        let i = *at.entry((owner.to_lowercase(), cycle)).or_insert_with(|| {
            all.push(SharedOwner {
                owner: owner.to_string(),
                cycle: cycle.map(str::to_string),
                paths: Vec::new(),
            });
            all.len() - 1
        });
        all[i].paths.push(path.to_string());
    }
    all.retain(|s| s.paths.len() > 1);
    all
}

/// The codes that keep a goal from being exported (unless incomplete
/// goals are allowed).
pub const PREFLIGHT_CODES: [Code; 5] = [
    Code::UnfilledPlaceholder,
    Code::TemplateDrift,
    Code::WrappedRow,
    Code::InvalidDate,
    Code::HiddenCharacter,
];

/// What the export needs of a document beyond its goals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// The format names an owner for each goal (the product formats).
    pub owner: bool,
    /// The format shows each measure in one line ([`MeasureRecord::summary`]).
    pub summaries: bool,
}

/// Reads `text`'s goals as records. When a goal lacks a value or holds a
/// placeholder, `findings` gives the document's lint findings (only then:
/// a finished document is not analysed again): those with a
/// [`PREFLIGHT_CODES`] code inside a goal are its problems. A value the
/// findings do not cover (its code is off or suppressed for lint) is
/// still a problem: export never hands on a goal with a value missing
/// unless told to.
pub fn document(
    analyzer: &Analyzer,
    path: &str,
    text: &str,
    kind: DocKind,
    lines: &Lines,
    findings: &dyn Fn() -> Vec<Finding>,
    needs: Needs,
) -> DocExport {
    let ctx = DocContext::read(text, kind, analyzer.settings.cycle.as_ref());
    let meta = ctx.metadata.as_ref();
    let field = |f: fn(&crate::goals::metadata::Metadata) -> &Option<String>| {
        meta.and_then(|m| f(m).as_deref()).map(Arc::from)
    };
    let owner = field(|m| &m.owner);
    let name = field(|m| &m.name);
    let manager = field(|m| &m.manager);
    let crate::analysis::goals::Reading { goals, unread } = analyzer.read_goals(text, kind, lines);
    let gaps = goals.iter().any(|g| {
        analyzer.holds_placeholder(&text[g.range.clone()])
            || g.measures
                .iter()
                .any(|m| !missing(m, text, &ctx.cycle).is_empty())
    });
    let findings = if gaps { findings() } else { Vec::new() };
    // Findings and goals are both in document order: one sweep over each
    // (a large document has thousands of both).
    let mut problems: Vec<Finding> = Vec::new();
    let mut gi = 0;
    for f in findings
        .iter()
        .filter(|f| PREFLIGHT_CODES.contains(&f.code))
    {
        while gi < goals.len() && goal_end(&goals[gi].range) <= f.range.start {
            gi += 1;
        }
        if goals.get(gi).is_some_and(|g| inside(&f.range, &g.range)) {
            // An error here, whatever its severity for `lint`: it stops
            // the export.
            problems.push(Finding {
                severity: Severity::Error,
                ..f.clone()
            });
        }
    }
    let found = problems.len();
    let mut pi = 0;
    for g in &goals {
        for m in &g.measures {
            for (range, code, message) in missing(m, text, &ctx.cycle) {
                // The lint findings before this value are behind it for
                // good: values come in order.
                while pi < found && goal_end(&problems[pi].range) <= range.start {
                    pi += 1;
                }
                let covered = problems[pi..found]
                    .iter()
                    .take_while(|p| p.range.start < goal_end(&range))
                    .any(|p| overlaps(&p.range, &range));
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
    // A goal whose row of values was taken out (or its label written
    // otherwise) has nothing to export, or, an objective without its KR1,
    // not its main key result; one with a row twice would send both. It
    // must not reach an HR system so. `lint`
    // reports it by the same rule, and its finding is among the problems
    // when the findings were asked for.
    for g in &goals {
        if let Some(lack) = analyzer.row_problem(text, kind, lines, g) {
            let reported = problems[..found]
                .iter()
                .any(|p| p.code == Code::TemplateDrift && p.range == lack.range);
            if !reported {
                problems.push(Finding {
                    code: Code::TemplateDrift,
                    severity: Severity::Error,
                    range: lack.range,
                    message: Cow::Owned(lack.message),
                    fixes: Vec::new(),
                });
            }
        }
    }
    // Goals that are not read (under a heading written otherwise, in a
    // table without its outer pipes, a `KR3.`, a frame repeated) would be
    // lost or sent twice without a word. (A `KR3.` lies in a goal: its
    // `lint` finding may be among the problems already.)
    for (code, range, message) in unread {
        if !problems[..found]
            .iter()
            .any(|p| p.code == code && p.range == range)
        {
            problems.push(Finding {
                code,
                severity: Severity::Error,
                range,
                message: Cow::Owned(message),
                fixes: Vec::new(),
            });
        }
    }
    // A metadata value holding a character that does not show was not
    // taken (`lint` reports it in the same words).
    if !goals.is_empty() {
        for p in meta.iter().flat_map(|m| &m.problems) {
            if p.code == Code::HiddenCharacter {
                problems.push(Finding {
                    code: p.code,
                    severity: Severity::Error,
                    range: p.range.clone(),
                    message: Cow::Owned(p.message.clone()),
                    fixes: Vec::new(),
                });
            }
        }
    }
    if needs.owner && owner.is_none() && !goals.is_empty() {
        const NEEDED: &str = "an HR system's import needs the goal owner's email";
        // An `owner` that was written but not read is shown where it went
        // wrong, not as a missing one.
        let lost = meta.and_then(|m| m.problems.iter().find(|p| p.unset.contains(&"owner")));
        // One that holds a hidden character is among the problems already.
        let hidden = lost.is_some_and(|p| p.code == Code::HiddenCharacter);
        let (range, message) = match lost {
            Some(p) if p.unset.len() > 1 => (
                p.range.clone(),
                Cow::Owned(format!(
                    "{}, so its `owner` cannot be read: {NEEDED}",
                    p.message
                )),
            ),
            Some(p) => (
                p.range.clone(),
                Cow::Owned(format!("{}: {NEEDED}", p.message)),
            ),
            None => {
                let at = meta.map_or(0, |m| m.range.start);
                (
                    at..at,
                    Cow::Owned(format!("no `owner` in the document's metadata: {NEEDED}")),
                )
            }
        };
        if !hidden {
            problems.push(Finding {
                code: Code::InvalidMetadata,
                severity: Severity::Error,
                range,
                message,
                fixes: Vec::new(),
            });
        }
    }
    problems.sort_by_key(|f| (f.range.start, f.range.end));
    let path: Arc<str> = Arc::from(path);
    let cycle: Option<Arc<str>> = ctx.cycle.label.as_deref().map(Arc::from);
    let cycle_start: Option<Arc<str>> = ctx.cycle.start.map(|d| Arc::from(d.to_string()));
    // Goals of one block name the same role and level: looked up once.
    // (role and level as written, then as the canon names them)
    type Named = (Arc<str>, Arc<str>, Arc<str>, Arc<str>);
    let mut named: Option<Named> = None;
    let goals: Vec<GoalRecord> = goals
        .into_iter()
        .map(|g| {
            let (role, level) = match &named {
                Some((r, l, role, level)) if **r == *g.role && **l == *g.level => {
                    (role.clone(), level.clone())
                }
                _ => {
                    let role = Arc::from(canonical_role(analyzer, &g));
                    let level = Arc::from(canonical_level(analyzer, &g));
                    named = Some((
                        g.role.clone(),
                        g.level.clone(),
                        Arc::clone(&role),
                        Arc::clone(&level),
                    ));
                    (role, level)
                }
            };
            GoalRecord {
                path: path.clone(),
                owner: owner.clone(),
                name: name.clone(),
                manager: manager.clone(),
                cycle: cycle.clone(),
                cycle_start: cycle_start.clone(),
                role,
                level,
                frame: g.frame.key(),
                index: g.index,
                measures: g
                    .measures
                    .into_iter()
                    .filter(|m| m.kind != RowKind::TimeBound)
                    .map(|m| measure_record(m, needs.summaries))
                    .collect(),
                title: g.title,
                source: g.source,
                range: g.range,
            }
        })
        .collect();
    let whose = owner
        .filter(|_| !goals.is_empty())
        .map(|o| (o.to_string(), ctx.cycle.named()));
    DocExport {
        goals,
        problems,
        whose,
    }
}

/// Where a range ends, an empty one counting as one byte (a deleted
/// value still has a place).
fn goal_end(r: &Range<usize>) -> usize {
    r.end.max(r.start + 1)
}

fn inside(r: &Range<usize>, goal: &Range<usize>) -> bool {
    r.start >= goal.start && r.start < goal_end(goal)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < goal_end(b) && b.start < goal_end(a)
}

/// The values of a measure that are not there for export, with the code
/// and words to report each by.
fn missing(
    m: &Measure,
    text: &str,
    cycle: &crate::goals::metadata::Cycle,
) -> Vec<(Range<usize>, Code, String)> {
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
        if let Some(s) = v.text.as_deref() {
            let found = hidden::find(s);
            if !found.is_empty() {
                out.push((
                    v.range.clone(),
                    Code::HiddenCharacter,
                    hidden::message(&format!("the {label} {what}"), s, &found),
                ));
            }
        }
        match &v.text {
            None => out.push((
                v.range.clone(),
                Code::UnfilledPlaceholder,
                format!("the {label} {what} is not filled: export needs every value"),
            )),
            Some(s) if what == "date" => {
                if let Err(why) = date::read(s) {
                    let quoted = quote(&text[v.range.clone()]);
                    out.push((
                        v.range.clone(),
                        Code::InvalidDate,
                        date::no_such_day(&quoted, why).unwrap_or_else(|| {
                            let how = cycle
                                .write_it_as(s)
                                .map_or(String::new(), |h| format!("; {h}"));
                            format!("`{quoted}` is not a date export can read{how}")
                        }),
                    ))
                }
            }
            Some(_) => {}
        }
    }
    out
}

fn measure_record(mut m: Measure, summary: bool) -> MeasureRecord {
    // A value holding a character that does not show is not handed on
    // (an export of incomplete goals leaves it empty, as an unfilled one).
    for v in [&mut m.baseline, &mut m.target, &mut m.date] {
        if let Some(v) = v.as_mut() {
            if v.text.as_deref().is_some_and(hidden::any) {
                v.text = None;
            }
        }
    }
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
        _ if !summary => String::new(),
        _ => format!("{}:", m.label()),
    };
    let summary = if summary {
        format!("{lead} {}", m.kind.fill(typed))
    } else {
        String::new()
    };
    let due = m
        .date
        .as_ref()
        .and_then(|v| v.text.as_deref())
        .and_then(date::parse)
        .map(|d| d.to_string());
    let text = |v: Option<Value>| v.and_then(|v| v.text);
    MeasureRecord {
        summary,
        label: m.label(),
        baseline: text(m.baseline),
        target: text(m.target),
        due,
    }
}

/// The role's canon id when the canon knows it (a block may name it by
/// alias or title), else as the block names it.
fn canonical_role(analyzer: &Analyzer, g: &Goal) -> String {
    analyzer
        .canon
        .role(&g.role)
        .map_or_else(|| g.role.to_string(), |r| r.id.clone())
}

/// The level's canon code when the canon knows the role at it.
fn canonical_level(analyzer: &Analyzer, g: &Goal) -> String {
    analyzer
        .canon
        .find_role_at(&g.role, &g.level)
        .map_or_else(|| g.level.to_string(), |rl| rl.level.code.clone())
}

impl DocExport {
    /// How many of its goals a pre-flight problem keeps back (all of them
    /// when the document lacks what every goal needs, its owner).
    pub fn refused(&self) -> usize {
        // A value's hidden character lies in its goal; one before the
        // first goal is the metadata's, which every goal carries.
        let first = self.goals.first().map_or(0, |g| g.range.start);
        if self.problems.iter().any(|p| {
            p.code == Code::InvalidMetadata
                || (p.code == Code::HiddenCharacter && p.range.start < first)
        }) {
            return self.goals.len();
        }
        // Both in document order: one sweep.
        let mut pi = 0;
        let mut refused = 0;
        for g in &self.goals {
            while pi < self.problems.len() && self.problems[pi].range.start < g.range.start {
                pi += 1;
            }
            refused += usize::from(
                self.problems
                    .get(pi)
                    .is_some_and(|p| inside(&p.range, &g.range)),
            );
        }
        refused
    }
}
