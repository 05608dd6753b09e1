//! Where a folder of goal documents stands (docs/report.md): per document
//! its owner, blocks, goals, slots filled of total, findings per code and
//! a status; then totals. Plain data and pure renderers; the command line
//! reads the documents and writes the result.
//!
//! - [`markdown`]: a table for a pull request or a wiki page.
//! - [`html`]: one self-contained page with a bar per document and a
//!   summary chart.

pub mod html;
pub mod markdown;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::{Analyzer, Code, DocContext, DocKind, Finding, Lines, Severity};
use crate::export::{shared_owners, SharedOwner};

/// The `json` format's version: fields are only ever added.
pub const JSON_VERSION: u32 = 1;

/// How far a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Status {
    /// No slot filled (or no goals at all), and no frame heading unread.
    #[serde(rename = "not started")]
    NotStarted,
    #[serde(rename = "in progress")]
    InProgress,
    /// Every slot filled and no finding at warning or above.
    #[serde(rename = "ready")]
    Ready,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Ready, Status::InProgress, Status::NotStarted];

    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::InProgress => "in progress",
            Status::Ready => "ready",
        }
    }
}

/// One block of a document: a role at a level, and its frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockRef {
    pub role: String,
    pub level: String,
    /// `all` for a block that holds every frame.
    pub frame: &'static str,
}

/// One document's standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocSummary {
    pub path: String,
    pub owner: Option<String>,
    pub name: Option<String>,
    /// The review cycle's label, else the day it starts.
    pub cycle: Option<String>,
    pub blocks: Vec<BlockRef>,
    pub goals: usize,
    pub slots_filled: usize,
    pub slots_total: usize,
    /// Findings of any severity, by code.
    pub findings: BTreeMap<&'static str, usize>,
    pub status: Status,
}

impl DocSummary {
    /// Who the document is for: its name, else its owner, else nothing.
    pub fn who(&self) -> Option<&str> {
        self.name.as_deref().or(self.owner.as_deref())
    }

    /// The distinct `role/level` pairs of its blocks, in order.
    pub fn role_levels(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for b in &self.blocks {
            let rl = format!("{}/{}", b.role, b.level);
            if !out.contains(&rl) {
                out.push(rl);
            }
        }
        out
    }

    /// The distinct frames of its blocks, in order.
    pub fn frames(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for b in &self.blocks {
            if !out.contains(&b.frame) {
                out.push(b.frame);
            }
        }
        out
    }

    /// Filled slots as a share of all, 0 to 1 (0 without slots).
    pub fn share(&self) -> f64 {
        if self.slots_total == 0 {
            0.0
        } else {
            self.slots_filled as f64 / self.slots_total as f64
        }
    }
}

/// The sums over every document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub documents: usize,
    pub goals: usize,
    pub slots_filled: usize,
    pub slots_total: usize,
    pub findings: BTreeMap<&'static str, usize>,
    /// Documents per status.
    pub status: BTreeMap<&'static str, usize>,
}

impl Totals {
    pub fn of(docs: &[DocSummary]) -> Totals {
        let mut t = Totals {
            documents: docs.len(),
            ..Totals::default()
        };
        for s in Status::ALL {
            t.status.insert(s.label(), 0);
        }
        for d in docs {
            t.goals += d.goals;
            t.slots_filled += d.slots_filled;
            t.slots_total += d.slots_total;
            for (code, n) in &d.findings {
                *t.findings.entry(code).or_default() += n;
            }
            *t.status.entry(d.status.label()).or_default() += 1;
        }
        t
    }

    pub fn count(&self, s: Status) -> usize {
        self.status.get(s.label()).copied().unwrap_or(0)
    }
}

/// A document that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unread {
    pub path: String,
    pub reason: String,
}

/// The whole report, as the `json` format writes it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub documents: Vec<DocSummary>,
    pub totals: Totals,
    pub skipped: Vec<Unread>,
    /// The people whose goals for one cycle are in more than one document.
    pub shared_owners: Vec<SharedOwner>,
}

impl Report {
    pub fn new(documents: Vec<DocSummary>, skipped: Vec<Unread>) -> Report {
        let totals = Totals::of(&documents);
        let shared_owners = shared_owners(
            documents
                .iter()
                .filter(|d| d.goals > 0)
                .filter_map(|d| Some((d.path.as_str(), d.owner.as_deref()?, d.cycle.as_deref()))),
        );
        Report {
            version: JSON_VERSION,
            documents,
            totals,
            skipped,
            shared_owners,
        }
    }
}

/// One document's standing, from its text and its lint findings.
pub fn summarize(
    analyzer: &Analyzer,
    path: &str,
    text: &str,
    kind: DocKind,
    lines: &Lines,
    findings: &[Finding],
) -> DocSummary {
    let ctx = DocContext::read(text, kind, analyzer.settings.cycle.as_ref());
    let meta = ctx.metadata.as_ref();
    let outline = analyzer.outline(text, kind, lines);
    let blocks = outline
        .blocks
        .iter()
        .map(|b| BlockRef {
            role: analyzer
                .canon
                .role(&b.role)
                .map_or_else(|| b.role.clone(), |r| r.id.clone()),
            level: analyzer
                .canon
                .find_role_at(&b.role, &b.level)
                .map_or_else(|| b.level.clone(), |rl| rl.level.code.clone()),
            frame: b.frame.map_or("all", |f| f.key()),
        })
        .collect();
    let goals = outline.blocks.iter().map(|b| b.goals.len()).sum();
    let slots_total: usize = outline.blocks.iter().map(|b| b.slots.len()).sum();
    let slots_filled = outline.blocks.iter().map(|b| b.filled()).sum();
    let mut by_code = BTreeMap::new();
    for f in findings {
        *by_code.entry(f.code.as_str()).or_default() += 1;
    }
    let serious = findings.iter().any(|f| f.severity >= Severity::Warning);
    // A document whose frames' headings are not read has goals that are
    // not counted: it is not one nobody began.
    let unread = findings.iter().any(|f| f.code == Code::UnreadHeading);
    let status = if slots_filled == 0 && !unread {
        Status::NotStarted
    } else if slots_filled == slots_total && !serious {
        Status::Ready
    } else {
        Status::InProgress
    };
    DocSummary {
        path: path.to_string(),
        owner: meta.and_then(|m| m.owner.clone()),
        name: meta.and_then(|m| m.name.clone()),
        cycle: ctx.cycle.named(),
        blocks,
        goals,
        slots_filled,
        slots_total,
        findings: by_code,
        status,
    }
}
