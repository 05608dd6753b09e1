//! The report as a markdown table (GFM), one row per document, then the
//! totals.

use std::fmt::Write as _;

use super::{DocSummary, Report, Status};
use crate::quote::{counted, shown_plainly};
use crate::render::markdown_escape_inline;

/// A table cell: what a document says (a path, a name) shown as text,
/// never as markup: an HTML tag, `*` or `[` are escaped as everywhere
/// goalframe writes markdown; line breaks flattened; any other control
/// character shown by its picture, and U+202E and the other characters
/// that do not show by `�` (the table is printed to a terminal by
/// default, and a file name may hold an escape sequence).
fn cell(s: &str) -> String {
    markdown_escape_inline(&shown_plainly(&s.replace(['\n', '\r'], " ")))
}

fn findings(d: &std::collections::BTreeMap<&'static str, usize>) -> String {
    if d.is_empty() {
        return "—".to_string();
    }
    d.iter()
        .map(|(code, n)| format!("{code} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn row(d: &DocSummary) -> String {
    format!(
        "| {} | {} | {} | {} | {} | {} of {} | {} | {} |",
        cell(&d.path),
        cell(d.who().unwrap_or("—")),
        cell(&d.role_levels().join(", ")),
        d.frames().join(", "),
        d.goals,
        d.slots_filled,
        d.slots_total,
        findings(&d.findings),
        d.status.label(),
    )
}

pub fn render(r: &Report) -> String {
    let mut out = String::from("# Goal documents\n\n");
    out.push_str(
        "| document | owner | role/level | frames | goals | slots filled | findings | status |\n",
    );
    out.push_str("| --- | --- | --- | --- | ---: | ---: | --- | --- |\n");
    for d in &r.documents {
        out.push_str(&row(d));
        out.push('\n');
    }
    let t = &r.totals;
    let _ = write!(
        out,
        "\n**Totals:** {}, {}, {} of {} slots filled; ",
        counted(t.documents, "document"),
        counted(t.goals, "goal"),
        t.slots_filled,
        t.slots_total,
    );
    let statuses: Vec<String> = Status::ALL
        .iter()
        .map(|&s| format!("{} {}", t.count(s), s.label()))
        .collect();
    out.push_str(&statuses.join(", "));
    out.push_str(".\n");
    if !t.findings.is_empty() {
        let _ = writeln!(out, "\n**Findings:** {}.", findings(&t.findings));
    }
    if !r.shared_owners.is_empty() {
        out.push_str("\n**One person's goals for a cycle in several documents** (a copy left in the folder reaches the HR system twice):\n\n");
        for shared in &r.shared_owners {
            let paths: Vec<String> = shared.paths.iter().map(|p| cell(p)).collect();
            let _ = writeln!(
                out,
                "- {}, {}: {}",
                cell(&shared.owner),
                cell(shared.cycle_shown()),
                paths.join(", ")
            );
        }
    }
    if !r.skipped.is_empty() {
        out.push_str("\n**Not read:**\n\n");
        for s in &r.skipped {
            let _ = writeln!(out, "- {}: {}", cell(&s.path), cell(&s.reason));
        }
    }
    out
}
