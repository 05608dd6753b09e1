//! Output formats of `goalframe lint`: human (codespan-reporting), json,
//! sarif (2.1.0) and github (workflow commands). Positions are 1-based
//! lines and 1-based columns counted in Unicode scalar values.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use serde_json::json;
use termcolor::WriteColor;

use goalframe::analysis::{Code, Finding, Severity};

use super::lint_cmd::{Checked, Skipped};

/// A finding's 1-based start and end (line, column).
fn span(c: &Checked, f: &Finding) -> ((usize, usize), (usize, usize)) {
    let (l0, c0) = c.lines.position(&c.text, f.range.start);
    let (l1, c1) = c.lines.position(&c.text, f.range.end);
    ((l0 + 1, c0 + 1), (l1 + 1, c1 + 1))
}

fn counts(checked: &[Checked]) -> [usize; 4] {
    let mut n = [0; 4];
    for f in checked.iter().flat_map(|c| &c.findings) {
        n[f.severity as usize] += 1;
    }
    n
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The closing line of the human format.
pub fn summary(checked: &[Checked]) -> String {
    let [hints, infos, warnings, errors] = counts(checked);
    let files = plural(checked.len(), "file");
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

/// rustc-style reports: severity[code]: message, the `path:line:col`
/// header, the source line with the range underlined, then a summary line.
/// Each file's report is rendered on a worker thread; they are written in
/// path order.
pub fn human(out: &mut impl Write, checked: &[Checked], color: bool) -> io::Result<()> {
    let reports = super::lint_cmd::par_map(checked, |c| {
        let mut buf = Vec::new();
        let rendered = if color {
            human_file(&mut termcolor::Ansi::new(&mut buf), c)
        } else {
            human_file(&mut termcolor::NoColor::new(&mut buf), c)
        };
        rendered.map(|()| buf)
    });
    for r in reports {
        out.write_all(&r?)?;
    }
    writeln!(out, "{}", summary(checked))
}

/// One file's diagnostics, rendered by codespan-reporting.
fn human_file<W: WriteColor>(out: &mut W, c: &Checked) -> io::Result<()> {
    if c.findings.is_empty() {
        return Ok(());
    }
    let config = Config::default();
    let file = SimpleFile::new(c.path.as_str(), c.text.as_str());
    for f in &c.findings {
        let d = match f.severity {
            Severity::Error => Diagnostic::error(),
            Severity::Warning => Diagnostic::warning(),
            Severity::Information => Diagnostic::note(),
            Severity::Hint => Diagnostic::help(),
        };
        let notes = f
            .fixes
            .iter()
            .take(3)
            .map(|x| format!("fix: {}", x.title))
            .collect();
        let d = d
            .with_code(f.code.as_str())
            .with_message(&f.message)
            .with_labels(vec![Label::primary((), f.range.clone())])
            .with_notes(notes);
        term::emit_to_write_style(out, &config, &file, &d).map_err(|e| match e {
            codespan_reporting::files::Error::Io(e) => e,
            other => io::Error::other(other),
        })?;
    }
    Ok(())
}

/// `{ "findings": [...], "summary": {...} }`; the fields are documented
/// in docs/lint.md and only ever added to.
pub fn json(out: &mut impl Write, checked: &[Checked], skipped: &[Skipped]) -> io::Result<()> {
    let mut findings = Vec::new();
    for c in checked {
        for f in &c.findings {
            let ((line, column), (end_line, end_column)) = span(c, f);
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
    let [hints, infos, warnings, errors] = counts(checked);
    let skipped: Vec<_> = skipped
        .iter()
        .map(|s| json!({ "path": s.path, "reason": s.reason }))
        .collect();
    let doc = json!({
        "version": 1,
        "findings": findings,
        "summary": { "files": checked.len(), "errors": errors, "warnings": warnings, "information": infos, "hints": hints, "skipped": skipped },
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
pub fn sarif(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
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
    for c in checked {
        let uri = c.path.replace('\\', "/");
        for f in &c.findings {
            let ((line, column), (end_line, end_column)) = span(c, f);
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
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes workflow-command property values (file, title).
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
pub fn github(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    for c in checked {
        for f in &c.findings {
            let ((line, column), (end_line, end_column)) = span(c, f);
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information | Severity::Hint => "notice",
            };
            writeln!(
                out,
                "::{level} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}",
                gh_property(&c.path),
                gh_property(&format!("goalframe {}", f.code)),
                gh_data(&f.message)
            )?;
        }
    }
    Ok(())
}
