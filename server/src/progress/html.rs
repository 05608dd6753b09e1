//! The report as one self-contained HTML page: inline CSS and SVG, no
//! script, no font or image fetched, so it opens from a mail attachment or
//! a CI artefact and prints as it shows. A summary chart (documents by
//! status, slots filled, findings by code) above a table with a
//! completion bar per document.

use std::fmt::Write as _;

use super::{DocSummary, Report, Status};
use crate::quote::counted;

/// Text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn color(s: Status) -> &'static str {
    match s {
        Status::Ready => "#2e7d32",
        Status::InProgress => "#e0a000",
        Status::NotStarted => "#9e9e9e",
    }
}

const STYLE: &str = "\
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d1d1f;margin:2rem auto;max-width:72rem;padding:0 1rem}\
h1{font-size:1.6rem;margin:0 0 .25rem}\
.lead{color:#555;margin:0 0 1.5rem}\
.charts{display:flex;flex-wrap:wrap;gap:2rem;margin-bottom:2rem}\
figure{margin:0}\
figcaption{font-weight:600;margin-bottom:.4rem}\
table{border-collapse:collapse;width:100%}\
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #e3e3e3;vertical-align:top}\
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:#555}\
td.n{text-align:right;font-variant-numeric:tabular-nums}\
tfoot td{font-weight:600;border-top:2px solid #bbb}\
.status{display:inline-block;padding:0 .5rem;border-radius:1rem;color:#fff;font-size:.85rem;white-space:nowrap}\
.path{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9rem;word-break:break-all}\
.bar{vertical-align:middle;margin-right:.4rem}\
.codes{font-size:.85rem;color:#555;white-space:nowrap}\
td.slots{white-space:nowrap}\
@media print{body{margin:0;max-width:none;font-size:11px}.charts{break-inside:avoid}tr{break-inside:avoid}}";

/// A completion bar, `width` wide.
fn bar(share: f64, width: u32, fill: &str) -> String {
    let w = (share.clamp(0.0, 1.0) * f64::from(width)).round();
    format!(
        "<svg class=\"bar\" width=\"{width}\" height=\"10\" viewBox=\"0 0 {width} 10\" role=\"img\" aria-label=\"{pct}% filled\">\
<rect width=\"{width}\" height=\"10\" rx=\"3\" fill=\"#e6e6e6\"/><rect width=\"{w}\" height=\"10\" rx=\"3\" fill=\"{fill}\"/></svg>",
        pct = (share * 100.0).round()
    )
}

/// Documents by status as one stacked bar with a legend.
fn status_chart(r: &Report, out: &mut String) {
    const W: f64 = 360.0;
    let t = &r.totals;
    let total = t.documents.max(1) as f64;
    let _ = write!(
        out,
        "<figure id=\"summary-chart\"><figcaption>Documents by status</figcaption>\
<svg width=\"{W}\" height=\"96\" viewBox=\"0 0 {W} 96\" role=\"img\" aria-label=\"documents by status\">"
    );
    let mut x = 0.0;
    for s in Status::ALL {
        let n = t.count(s);
        let w = n as f64 / total * W;
        if n > 0 {
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"0\" width=\"{w:.1}\" height=\"28\" fill=\"{}\"><title>{} {}</title></rect>",
                color(s),
                n,
                s.label()
            );
        }
        x += w;
    }
    for (i, s) in Status::ALL.into_iter().enumerate() {
        let y = 44 + i * 17;
        let _ = write!(
            out,
            "<rect x=\"0\" y=\"{y}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/>\
<text x=\"18\" y=\"{}\" font-size=\"12\">{} {}</text>",
            color(s),
            y + 10,
            t.count(s),
            s.label()
        );
    }
    out.push_str("</svg></figure>");
    let share = if t.slots_total == 0 {
        0.0
    } else {
        t.slots_filled as f64 / t.slots_total as f64
    };
    let _ = write!(
        out,
        "<figure><figcaption>Slots filled</figcaption>{}<div>{} of {} ({}%)</div></figure>",
        bar(share, 240, color(Status::Ready)),
        t.slots_filled,
        t.slots_total,
        (share * 100.0).round()
    );
    if !t.findings.is_empty() {
        let most = t.findings.values().copied().max().unwrap_or(1).max(1) as f64;
        let h = t.findings.len() * 18;
        let _ = write!(
            out,
            "<figure><figcaption>Findings by code</figcaption>\
<svg width=\"420\" height=\"{h}\" viewBox=\"0 0 420 {h}\" role=\"img\" aria-label=\"findings by code\">"
        );
        for (i, (code, n)) in t.findings.iter().enumerate() {
            let y = i * 18;
            let w = (*n as f64 / most * 200.0).max(1.0);
            let _ = write!(
                out,
                "<text x=\"170\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
<rect x=\"176\" y=\"{}\" width=\"{w:.1}\" height=\"12\" rx=\"2\" fill=\"#c62828\"/>\
<text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{n}</text>",
                y + 11,
                esc(code),
                y + 1,
                176.0 + w + 4.0,
                y + 11
            );
        }
        out.push_str("</svg></figure>");
    }
}

fn row(d: &DocSummary, out: &mut String) {
    let findings = if d.findings.is_empty() {
        "—".to_string()
    } else {
        d.findings
            .iter()
            .map(|(c, n)| format!("{} {n}", esc(c)))
            .collect::<Vec<_>>()
            .join("<br>")
    };
    let _ = write!(
        out,
        "<tr><td class=\"path\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
<td class=\"slots\">{}{} of {}</td><td class=\"codes\">{findings}</td>\
<td><span class=\"status\" style=\"background:{}\">{}</span></td></tr>",
        esc(&d.path),
        esc(d.who().unwrap_or("—")),
        esc(&d.role_levels().join(", ")),
        esc(&d.frames().join(", ")),
        d.goals,
        bar(d.share(), 100, color(d.status)),
        d.slots_filled,
        d.slots_total,
        color(d.status),
        d.status.label()
    );
}

pub fn render(r: &Report) -> String {
    let t = &r.totals;
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Goal documents — goalframe report</title><style>",
    );
    out.push_str(STYLE);
    out.push_str("</style></head><body><h1>Goal documents</h1>");
    let _ = write!(
        out,
        "<p class=\"lead\">{} · {} · {} ready, {} in progress, {} not started</p>",
        counted(t.documents, "document"),
        counted(t.goals, "goal"),
        t.count(Status::Ready),
        t.count(Status::InProgress),
        t.count(Status::NotStarted)
    );
    out.push_str("<div class=\"charts\">");
    status_chart(r, &mut out);
    out.push_str("</div>");
    out.push_str(
        "<table><thead><tr><th>Document</th><th>Owner</th><th>Role/level</th><th>Frames</th>\
<th>Goals</th><th>Slots filled</th><th>Findings</th><th>Status</th></tr></thead><tbody>",
    );
    for d in &r.documents {
        row(d, &mut out);
    }
    let share = if t.slots_total == 0 {
        0.0
    } else {
        t.slots_filled as f64 / t.slots_total as f64
    };
    let _ = write!(
        out,
        "</tbody><tfoot><tr><td>Totals</td><td></td><td></td><td></td><td class=\"n\">{}</td>\
<td class=\"slots\">{}{} of {}</td><td class=\"codes\">{}</td><td></td></tr></tfoot></table>",
        t.goals,
        bar(share, 100, color(Status::Ready)),
        t.slots_filled,
        t.slots_total,
        t.findings.values().sum::<usize>()
    );
    // In a list, what a document says stands inside a line of other
    // text: each piece is isolated (`<bdi>`), so that U+202E in a file name
    // reorders only that name. A table's cells are isolated already.
    if !r.shared_owners.is_empty() {
        out.push_str("<h2>One person's goals for a cycle in several documents</h2><p class=\"lead\">A copy left in the folder reaches the HR system twice.</p><ul>");
        for shared in &r.shared_owners {
            let paths: Vec<String> = shared
                .paths
                .iter()
                .map(|p| format!("<bdi class=\"path\">{}</bdi>", esc(p)))
                .collect();
            let _ = write!(
                out,
                "<li><bdi>{}</bdi>, {}: {}</li>",
                esc(&shared.owner),
                esc(shared.cycle_shown()),
                paths.join(", ")
            );
        }
        out.push_str("</ul>");
    }
    if !r.skipped.is_empty() {
        out.push_str("<h2>Not read</h2><ul>");
        for s in &r.skipped {
            let _ = write!(
                out,
                "<li><bdi class=\"path\">{}</bdi>: {}</li>",
                esc(&s.path),
                esc(&s.reason)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</body></html>\n");
    out
}
