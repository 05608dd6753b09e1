//! Output formats of `goalframe lint`: human (codespan-reporting), json,
//! sarif (2.1.0) and github (workflow commands). Positions are 1-based
//! lines and 1-based columns counted in Unicode scalar values.

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::json;

use goalframe::analysis::{Code, Cursor, Finding, Severity};

use clap::ValueEnum;
use goalframe::analysis::Lines;

// What a lint run hands the report: kept here, where the formats need
// them, so the report does not depend on the command that runs it.

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// file:line:col, code, message, the source line underlined, a summary.
    Human,
    /// One JSON object with every finding (documented in docs/lint.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=…`).
    Github,
}

/// One document that was read and analysed, on the worker that did it.
pub struct Checked<'t> {
    /// As shown in reports: relative to the current directory when given so.
    pub path: String,
    pub text: &'t str,
    pub lines: Lines,
    pub findings: Vec<Finding>,
}

/// What a worker hands to the writer for one document: its part of the
/// report already rendered, so the text is dropped as soon as the
/// document is done.
pub struct FileReport {
    pub counts: Counts,
    /// This document's human or github lines, or its elements of the
    /// json or sarif findings array.
    pub rendered: Vec<u8>,
}

/// A file's findings per severity, indexed by `Severity as usize`: all
/// the writer keeps of a file once its report is written.
pub type Counts = [usize; 4];

/// A file that could not be checked, and why.
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// The characters a URI path segment keeps as they are (RFC 3986
/// `unreserved`, and the sub-delimiters and `@` that cannot be mistaken
/// for anything else); everything else is percent-encoded, `:` too, so
/// that `http:x.md` stays a relative reference, and `#`, `?` and `%`, so
/// that `Q3 review #2.md` and `dir%41` name those files.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@');

/// A SARIF `artifactLocation.uri` for a reported path: a relative
/// reference for a relative path, a `file://` URI for an absolute one,
/// each segment percent-encoded.
pub fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let encoded = path
        .split('/')
        .map(|segment| percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/");
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// Where a document's findings are, found walking forward through it
/// (one cursor for starts, one for ends): linear in the document however
/// many findings share a line.
#[derive(Default)]
struct Spans {
    starts: Cursor,
    ends: Cursor,
}

/// A finding's 1-based start and end (line, column).
fn span(c: &Checked, f: &Finding, at: &mut Spans) -> ((usize, usize), (usize, usize)) {
    let (l0, c0) = at.starts.position(&c.lines, c.text, f.range.start);
    let (l1, c1) = at.ends.position(&c.lines, c.text, f.range.end);
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
    match format {
        OutputFormat::Human => {
            // About what a finding takes (its header, location, source line
            // and carets): the buffer is not grown and copied a dozen times.
            rendered.reserve(c.findings.len() * 400);
            // Writing to a Vec cannot fail.
            let done = if color {
                let out = &mut termcolor::Ansi::new(&mut rendered);
                super::human::file(out, &c.path, c.text, &c.lines, &c.findings)
            } else {
                let out = &mut termcolor::NoColor::new(&mut rendered);
                super::human::file(out, &c.path, c.text, &c.lines, &c.findings)
            };
            if let Err(e) = done {
                say!("error: {}: rendering the report: {e}", c.path);
            }
        }
        OutputFormat::Github => github_file(&mut rendered, c),
        OutputFormat::Json => {
            let mut at = Spans::default();
            elements(
                &mut rendered,
                c.findings.iter().map(|f| json_finding(c, f, &mut at)),
                JSON_DEPTH,
            )
        }
        OutputFormat::Sarif => {
            let mut at = Spans::default();
            elements(
                &mut rendered,
                c.findings.iter().map(|f| sarif_result(c, f, &mut at)),
                SARIF_DEPTH,
            )
        }
    }
    FileReport { counts, rendered }
}

fn totals(files: &[Counts]) -> Counts {
    let mut n = [0; 4];
    for c in files {
        for (total, k) in n.iter_mut().zip(c) {
            *total += k;
        }
    }
    n
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The closing line of the human format.
pub fn summary(files: &[Counts]) -> String {
    let [hints, infos, warnings, errors] = totals(files);
    let checked = plural(files.len(), "file");
    if hints + infos + warnings + errors == 0 {
        return format!("{checked} checked: no problems");
    }
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if infos > 0 {
        parts.push(plural(infos, "information"));
    }
    if hints > 0 {
        parts.push(plural(hints, "hint"));
    }
    format!("{checked} checked: {}", parts.join(", "))
}

/// `{ "findings": [...], "summary": {...} }`; the fields are documented
/// in docs/lint.md and only ever added to.
pub fn json_doc(files: &[Counts], skipped: &[Skipped]) -> serde_json::Value {
    let [hints, infos, warnings, errors] = totals(files);
    let skipped: Vec<_> = skipped
        .iter()
        .map(|s| json!({ "path": s.path, "reason": s.reason }))
        .collect();
    json!({
        "version": 1,
        "findings": [SPLICE],
        "summary": { "files": files.len(), "errors": errors, "warnings": warnings, "information": infos, "hints": hints, "skipped": skipped },
    })
}

/// One json finding.
fn json_finding(c: &Checked, f: &Finding, at: &mut Spans) -> serde_json::Value {
    let ((line, column), (end_line, end_column)) = span(c, f, at);
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
    json!({
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
    })
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// SARIF 2.1.0 with one run, the four rules, and columns in code points;
/// the results are spliced in (see [`Spliced`]).
pub fn sarif_doc() -> serde_json::Value {
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
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "goalframe",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": [SPLICE],
        }],
    })
}

/// One sarif result.
fn sarif_result(c: &Checked, f: &Finding, at: &mut Spans) -> serde_json::Value {
    let ((line, column), (end_line, end_column)) = span(c, f, at);
    json!({
        "ruleId": f.code.as_str(),
        "ruleIndex": Code::ALL.iter().position(|x| *x == f.code).unwrap_or(0),
        "level": sarif_level(f.severity),
        "message": { "text": f.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": artifact_uri(&c.path) },
                "region": { "startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column },
            }
        }],
    })
}

/// Stands in the one array of a json or sarif document that holds the
/// findings, which the workers have already written.
const SPLICE: &str = "\u{0}goalframe findings\u{0}";

/// How deep the findings array's elements sit in the pretty-printed
/// document (`"findings"` and sarif's `"results"`).
const JSON_DEPTH: usize = 2;
const SARIF_DEPTH: usize = 4;

/// One file's elements of the findings array, pretty-printed at `depth`
/// and separated by commas, as serde_json prints them inside the document.
fn elements(out: &mut Vec<u8>, values: impl Iterator<Item = serde_json::Value>, depth: usize) {
    let indent = "  ".repeat(depth);
    let mut one = Vec::new();
    for (i, v) in values.enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        one.clear();
        // A Value always serialises.
        let _ = serde_json::to_writer_pretty(&mut one, &v);
        // Strings cannot hold a raw line break, so every line break is
        // the printer's: indent each line.
        for (j, line) in one.split(|&b| b == b'\n').enumerate() {
            if j > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(indent.as_bytes());
            out.extend_from_slice(line);
        }
    }
}

/// Writes a json or sarif document whose findings array the workers fill:
/// each file's elements are written as they come, and the rest of the
/// document, summary included, at the end. Byte for byte what printing
/// the whole document would give, without holding every finding at once.
pub struct Spliced {
    /// The document up to its findings array's `[`.
    prefix: String,
    any: bool,
}

impl Spliced {
    /// For a document shaped like `doc` (the findings array holds only
    /// [`SPLICE`], and everything before it is already final).
    pub fn new(doc: &serde_json::Value) -> Spliced {
        let (whole, open, _) = Self::print(doc);
        Spliced {
            prefix: whole[..open + 1].to_string(),
            any: false,
        }
    }

    /// The pretty-printed document, the offset of its findings array's `[`
    /// and of the line break before its `]`.
    fn print(doc: &serde_json::Value) -> (String, usize, usize) {
        // A Value always serialises, and SPLICE is in it.
        let whole = serde_json::to_string_pretty(doc).unwrap_or_default();
        let marker = serde_json::to_string(SPLICE).unwrap_or_default();
        let at = whole.find(&marker).unwrap_or(0);
        let open = whole[..at].rfind('[').unwrap_or(0);
        let close = at + whole[at..].find(']').unwrap_or(0);
        let before_close = whole[..close].rfind('\n').unwrap_or(close);
        (whole, open, before_close)
    }

    /// One file's elements (nothing for a file without findings).
    pub fn add(&mut self, out: &mut impl Write, elements: &[u8]) -> io::Result<()> {
        if elements.is_empty() {
            return Ok(());
        }
        if self.any {
            out.write_all(b",\n")?;
        } else {
            out.write_all(self.prefix.as_bytes())?;
            out.write_all(b"\n")?;
            self.any = true;
        }
        out.write_all(elements)
    }

    /// The rest of `doc` (its summary is final now) and a line break.
    pub fn finish(self, out: &mut impl Write, doc: &serde_json::Value) -> io::Result<()> {
        let (whole, open, before_close) = Self::print(doc);
        if self.any {
            out.write_all(&whole.as_bytes()[before_close..])?;
        } else {
            // No findings: an empty array prints as `[]`.
            let close = before_close + whole[before_close..].find(']').unwrap_or(0);
            out.write_all(&whole.as_bytes()[..open + 1])?;
            out.write_all(&whole.as_bytes()[close..])?;
        }
        writeln!(out)
    }
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
    let mut at = Spans::default();
    for f in &c.findings {
        let ((line, column), (end_line, end_column)) = span(c, f, &mut at);
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn spliced_documents_print_as_the_whole_document_would() {
        let json_like = |findings: Vec<Value>| json!({ "version": 1, "findings": findings, "summary": { "files": 2 } });
        let sarif_like = |results: Vec<Value>| json!({ "version": "2.1.0", "runs": [{ "tool": { "rules": [] }, "results": results }] });
        /// A document with the given findings, and how deep they sit.
        type Shape<'a> = (&'a dyn Fn(Vec<Value>) -> Value, usize);
        let shapes: [Shape; 2] = [(&json_like, JSON_DEPTH), (&sarif_like, SARIF_DEPTH)];
        for (shape, depth) in shapes {
            for files in 0..4 {
                for per_file in 0..3 {
                    let mut spliced = Spliced::new(&shape(vec![json!(SPLICE)]));
                    let (mut out, mut all) = (Vec::new(), Vec::new());
                    for file in 0..files {
                        let values: Vec<Value> = (0..per_file)
                            .map(|i| json!({ "file": file, "i": i, "nested": [1, { "text": "a\nb \"q\"" }], "empty": {} }))
                            .collect();
                        let mut part = Vec::new();
                        elements(&mut part, values.iter().cloned(), depth);
                        spliced.add(&mut out, &part).expect("writes");
                        all.extend(values);
                    }
                    spliced
                        .finish(&mut out, &shape(vec![json!(SPLICE)]))
                        .expect("writes");
                    let want = serde_json::to_string_pretty(&shape(all)).expect("prints") + "\n";
                    assert_eq!(
                        String::from_utf8_lossy(&out),
                        want,
                        "{files} files × {per_file}"
                    );
                }
            }
        }
    }
}
