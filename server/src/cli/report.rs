//! Output formats of `goalframe lint`: human (codespan-reporting), json,
//! sarif (2.1.0) and github (workflow commands). Positions are 1-based
//! lines and 1-based columns counted in Unicode scalar values.

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::json;

use goalframe::analysis::{Code, Finding, Severity};

use super::lint_cmd::{Checked, FileReport, OutputFormat, Skipped};

/// A finding with its 1-based start and end (line, column), for the
/// formats written as one document after every file is done.
pub struct Located {
    pub finding: Finding,
    pub start: (usize, usize),
    pub end: (usize, usize),
}

/// A finding's 1-based start and end (line, column).
fn span(c: &Checked, f: &Finding) -> ((usize, usize), (usize, usize)) {
    let (l0, c0) = c.lines.position(c.text, f.range.start);
    let (l1, c1) = c.lines.position(c.text, f.range.end);
    ((l0 + 1, c0 + 1), (l1 + 1, c1 + 1))
}

/// One document's part of the report, made on the worker that analysed
/// it: rendered lines for human and github, located findings for json
/// and sarif.
pub fn file_report(c: &Checked, format: OutputFormat, color: bool) -> FileReport {
    let mut counts = [0; 4];
    for f in &c.findings {
        counts[f.severity as usize] += 1;
    }
    let mut rendered = Vec::new();
    let mut located = Vec::new();
    match format {
        OutputFormat::Human => {
            // Writing to a Vec cannot fail.
            let done = if color {
                let out = &mut termcolor::Ansi::new(&mut rendered);
                super::human::file(out, &c.path, c.text, &c.lines, &c.findings)
            } else {
                let out = &mut termcolor::NoColor::new(&mut rendered);
                super::human::file(out, &c.path, c.text, &c.lines, &c.findings)
            };
            if let Err(e) = done {
                eprintln!("error: {}: rendering the report: {e}", c.path);
            }
        }
        OutputFormat::Github => github_file(&mut rendered, c),
        OutputFormat::Json | OutputFormat::Sarif => {
            located = c
                .findings
                .iter()
                .map(|f| {
                    let (start, end) = span(c, f);
                    Located {
                        finding: f.clone(),
                        start,
                        end,
                    }
                })
                .collect();
        }
    }
    FileReport {
        path: c.path.clone(),
        counts,
        rendered,
        located,
    }
}

fn counts(reports: &[FileReport]) -> [usize; 4] {
    let mut n = [0; 4];
    for r in reports {
        for (total, k) in n.iter_mut().zip(r.counts) {
            *total += k;
        }
    }
    n
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The closing line of the human format.
pub fn summary(reports: &[FileReport]) -> String {
    let [hints, infos, warnings, errors] = counts(reports);
    let files = plural(reports.len(), "file");
    if hints + infos + warnings + errors == 0 {
        return format!("{files} checked: no problems");
    }
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if infos > 0 {
        parts.push(plural(infos, "information"));
    }
    if hints > 0 {
        parts.push(plural(hints, "hint"));
    }
    format!("{files} checked: {}", parts.join(", "))
}

/// `{ "findings": [...], "summary": {...} }`; the fields are documented
/// in docs/lint.md and only ever added to.
pub fn json(out: &mut impl Write, reports: &[FileReport], skipped: &[Skipped]) -> io::Result<()> {
    let mut findings = Vec::new();
    for c in reports {
        for Located {
            finding: f,
            start: (line, column),
            end: (end_line, end_column),
        } in &c.located
        {
            let fixes: Vec<_> = f
                .fixes
                .iter()
                .map(|x| {
                    let edits: Vec<_> = x
                        .edits
                        .iter()
                        .map(|e| json!({ "byteStart": e.range.start, "byteEnd": e.range.end, "newText": e.new_text }))
                        .collect();
                    json!({ "title": x.title, "edits": edits })
                })
                .collect();
            findings.push(json!({
                "path": c.path,
                "line": line,
                "column": column,
                "endLine": end_line,
                "endColumn": end_column,
                "byteStart": f.range.start,
                "byteEnd": f.range.end,
                "code": f.code.as_str(),
                "severity": f.severity.as_str(),
                "message": f.message,
                "fixes": fixes,
            }));
        }
    }
    let [hints, infos, warnings, errors] = counts(reports);
    let skipped: Vec<_> = skipped
        .iter()
        .map(|s| json!({ "path": s.path, "reason": s.reason }))
        .collect();
    let doc = json!({
        "version": 1,
        "findings": findings,
        "summary": { "files": reports.len(), "errors": errors, "warnings": warnings, "information": infos, "hints": hints, "skipped": skipped },
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// SARIF 2.1.0 with one run, the four rules, and columns in code points.
pub fn sarif(out: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    let rules: Vec<_> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.as_str(),
                "shortDescription": { "text": c.description() },
                "defaultConfiguration": { "level": sarif_level(c.default_severity()) },
            })
        })
        .collect();
    let mut results = Vec::new();
    for c in reports {
        let uri = c.path.replace('\\', "/");
        for Located {
            finding: f,
            start: (line, column),
            end: (end_line, end_column),
        } in &c.located
        {
            results.push(json!({
                "ruleId": f.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|x| *x == f.code).unwrap_or(0),
                "level": sarif_level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": { "startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column },
                    }
                }],
            }));
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "goalframe",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

/// Escapes workflow-command data (the message).
fn gh_data(s: &str) -> Cow<'_, str> {
    if !s.contains(['%', '\r', '\n']) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
    )
}

/// Escapes workflow-command property values (file, title).
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`
/// for each finding of one file.
fn github_file(out: &mut Vec<u8>, c: &Checked) {
    let file = gh_property(&c.path);
    for f in &c.findings {
        let ((line, column), (end_line, end_column)) = span(c, f);
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information | Severity::Hint => "notice",
        };
        // Writing to a Vec cannot fail.
        let _ = writeln!(
            out,
            "::{level} file={file},line={line},col={column},endLine={end_line},endColumn={end_column},title=goalframe {}::{}",
            f.code,
            gh_data(&f.message)
        );
    }
}
