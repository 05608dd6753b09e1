//! Goal records as table rows (docs/export.md says what each column is
//! filled from): goalframe's own `csv` layout, one row per measure, and
//! the goal import sheets of Culture Amp (one row per goal, its measures
//! as key results) and Betterworks (a `goal` row, then a `milestone` row
//! per measure). A value a document does not give is an empty cell,
//! never a made-up one.

use super::GoalRecord;

/// A table: its header, then rows of as many cells.
pub trait Layout {
    fn header(&self) -> Vec<String>;
    /// The rows of one goal.
    fn rows(&self, goal: &GoalRecord) -> Vec<Vec<String>>;
}

fn cell<S: AsRef<str>>(v: &Option<S>) -> String {
    v.as_ref()
        .map_or_else(String::new, |s| s.as_ref().to_string())
}

/// goalframe's own layout: one row per measure.
pub struct Csv;

pub const CSV_HEADER: [&str; 12] = [
    "path", "owner", "name", "role", "level", "frame", "goal", "title", "measure", "baseline",
    "target", "due",
];

impl Layout for Csv {
    fn header(&self) -> Vec<String> {
        CSV_HEADER.iter().map(|s| s.to_string()).collect()
    }

    fn rows(&self, g: &GoalRecord) -> Vec<Vec<String>> {
        g.measures
            .iter()
            .map(|m| {
                vec![
                    g.path.to_string(),
                    cell(&g.owner),
                    cell(&g.name),
                    g.role.to_string(),
                    g.level.to_string(),
                    g.frame.to_string(),
                    g.index.to_string(),
                    g.title.clone(),
                    m.label.to_string(),
                    cell(&m.baseline),
                    cell(&m.target),
                    cell(&m.due),
                ]
            })
            .collect()
    }
}

/// Culture Amp's individual goals import sheet: one row per goal, its
/// measures as key results. `key_results` is how many key result column
/// pairs the sheet has (the most measures of any goal exported).
pub struct CultureAmp {
    pub key_results: usize,
}

const CULTURE_AMP_COLUMNS: [&str; 10] = [
    "email",
    "name",
    "description",
    "visibility",
    "individual_emails",
    "due_at",
    "created_at",
    "priority",
    "status",
    "completion",
];

/// A new goal's status in Culture Amp: the goal is agreed, not started.
const CULTURE_AMP_STATUS: &str = "created";
/// A key result's completion as it starts.
const NOT_STARTED: &str = "0.0";

/// What both products show as a goal's description: where it comes from
/// in the canon and the review.
fn description(g: &GoalRecord) -> String {
    let mut d = format!("{} {} · {} goal {}", g.role, g.level, g.frame, g.index);
    if let Some(s) = &g.source {
        d.push_str(" · source: ");
        d.push_str(s);
    }
    d
}

impl Layout for CultureAmp {
    fn header(&self) -> Vec<String> {
        let mut h: Vec<String> = CULTURE_AMP_COLUMNS.iter().map(|s| s.to_string()).collect();
        for i in 1..=self.key_results {
            h.push(format!("key_result_{i}_title"));
            h.push(format!("key_result_{i}_completion"));
        }
        h
    }

    fn rows(&self, g: &GoalRecord) -> Vec<Vec<String>> {
        let mut row = vec![
            cell(&g.owner),
            g.title.clone(),
            description(g),
            String::new(),
            String::new(),
            g.due().unwrap_or_default().to_string(),
            String::new(),
            String::new(),
            CULTURE_AMP_STATUS.to_string(),
            String::new(),
        ];
        for i in 0..self.key_results {
            match g.measures.get(i) {
                Some(m) => {
                    row.push(m.summary.clone());
                    row.push(NOT_STARTED.to_string());
                }
                None => {
                    row.push(String::new());
                    row.push(String::new());
                }
            }
        }
        vec![row]
    }
}

/// Betterworks' goal upload sheet: a `goal` row, then one `milestone`
/// row per measure.
pub struct Betterworks;

pub const BETTERWORKS_HEADER: [&str; 8] = [
    "name",
    "type",
    "progress",
    "start_date",
    "end_date",
    "owner_email",
    "categories",
    "description",
];

impl Layout for Betterworks {
    fn header(&self) -> Vec<String> {
        BETTERWORKS_HEADER.iter().map(|s| s.to_string()).collect()
    }

    fn rows(&self, g: &GoalRecord) -> Vec<Vec<String>> {
        let start = cell(&g.cycle_start);
        let owner = cell(&g.owner);
        let mut rows = vec![vec![
            g.title.clone(),
            "goal".to_string(),
            String::new(),
            start.clone(),
            g.due().unwrap_or_default().to_string(),
            owner.clone(),
            String::new(),
            description(g),
        ]];
        for m in &g.measures {
            rows.push(vec![
                m.summary.clone(),
                "milestone".to_string(),
                String::new(),
                start.clone(),
                cell(&m.due),
                owner.clone(),
                String::new(),
                // Betterworks takes a description on goals only.
                String::new(),
            ]);
        }
        rows
    }
}
