//! Output formats of `goalframe lint`: human (human.rs), json and sarif
//! (2.1.0; serde documents, streamed) and github (workflow commands).
//! Positions are 1-based lines and 1-based columns counted in Unicode
//! scalar values.

use goalframe::quote::counted;
use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Write;
use std::ops::ControlFlow;
use std::sync::Arc;

use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_json::{json, Value};

use goalframe::analysis::outline::safe_fix;
use goalframe::analysis::{Code, Cursor, Finding, Severity};

use clap::ValueEnum;
use goalframe::analysis::Lines;
pub use goalframe::read::Encoding;

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
    /// The file itself, when the document is one: its name's own bytes
    /// make its SARIF uri (`path` shows a name that is not UTF-8 with
    /// U+FFFD in it).
    pub file: Option<&'t std::path::Path>,
    pub text: &'t str,
    pub lines: Lines,
    pub findings: Vec<Finding>,
    /// How the file's bytes hold `text`: the json report's byte offsets
    /// index the file.
    pub encoding: Encoding,
}

/// The file's byte offset of text offset `offset`. Offsets are visited
/// mostly in order, so in a UTF-16 file they are counted on from the last
/// one with `cursor`, from `line_units` (the UTF-16 units before each
/// line, built on the first offset asked for): linear in the text however
/// many findings there are.
fn file_offset(
    c: &Checked,
    line_units: &mut Vec<usize>,
    cursor: &mut Cursor,
    offset: usize,
) -> usize {
    match c.encoding {
        Encoding::Utf8 => offset,
        Encoding::Utf8Bom => offset + 3,
        Encoding::Utf16 => {
            if line_units.is_empty() {
                let (n, mut units) = (c.lines.count(), 0);
                *line_units = (0..n)
                    .map(|i| {
                        let before = units;
                        let end = if i + 1 < n {
                            c.lines.start(i + 1)
                        } else {
                            c.text.len()
                        };
                        units += utf16_len(&c.text[c.lines.start(i)..end]);
                        before
                    })
                    .collect();
            }
            let (line, column) = cursor.position_in(&c.lines, c.text, offset, utf16_len);
            2 + 2 * (line_units[line] + column)
        }
    }
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// What a worker hands to the writer for one document: its part of the
/// report already made, so the text is dropped as soon as the document
/// is done.
pub struct FileReport {
    pub counts: Counts,
    /// Its findings with a safe fix (what `lint --fix` applies).
    pub fixable: usize,
    pub part: Part,
}

/// A document's part of the report.
pub enum Part {
    /// Its human or github lines.
    Rendered(Vec<u8>),
    /// Its elements of the json findings array.
    Json(Vec<JsonFinding>),
    /// Its elements of the sarif results array.
    Sarif(Vec<SarifResult>),
    /// A document with more findings than [`HELD_FINDINGS`], kept as its
    /// findings for the writer to report a piece at a time: made whole, a
    /// report is several times the document's size (a document of nothing
    /// but placeholders made 12 bytes of human report per byte).
    Held(Box<Held>),
}

/// Above this many findings a document's report is made as it is written
/// (about 30 MB of human report), not on the worker.
const HELD_FINDINGS: usize = 1 << 16;

/// The bytes of a held report written at a time.
const HELD_CHUNK: usize = 1 << 20;

/// A document whose report the writer makes (see [`Part::Held`]).
pub struct Held {
    path: String,
    file: Option<std::path::PathBuf>,
    text: String,
    lines: Lines,
    findings: Vec<Finding>,
    encoding: Encoding,
    format: OutputFormat,
    color: bool,
}

impl Held {
    /// Hands the document to `report` as it was checked.
    fn with<R>(self, report: impl FnOnce(&Checked, OutputFormat, bool) -> R) -> R {
        let Held {
            path,
            file,
            text,
            lines,
            findings,
            encoding,
            format,
            color,
        } = self;
        let c = Checked {
            path,
            file: file.as_deref(),
            text: &text,
            lines,
            findings,
            encoding,
        };
        report(&c, format, color)
    }
}

/// A file's findings per severity, indexed by `Severity as usize`: all
/// the writer keeps of a file once its report is written.
pub type Counts = [usize; 4];

/// A file that could not be checked, and why.
#[derive(Clone, Debug)]
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
    // A `\` separates folders on Windows only: elsewhere it is part of a
    // file's name, and is encoded with the rest.
    if cfg!(windows) {
        uri_of(path.replace('\\', "/").as_bytes())
    } else {
        uri_of(path.as_bytes())
    }
}

/// [`artifact_uri`] of a checked document: from its file's own bytes
/// where it has them (a name that is not UTF-8 keeps each byte).
fn document_uri(c: &Checked) -> String {
    #[cfg(unix)]
    if let Some(file) = c.file {
        use std::os::unix::ffi::OsStrExt;
        return uri_of(file.as_os_str().as_bytes());
    }
    artifact_uri(&c.path)
}

fn uri_of(path: &[u8]) -> String {
    let encoded = path
        .split(|&b| b == b'/')
        .map(|segment| percent_encoding::percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/");
    if path.starts_with(b"/") {
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

fn counts(findings: &[Finding]) -> Counts {
    let mut counts = [0; 4];
    for f in findings {
        counts[f.severity as usize] += 1;
    }
    counts
}

/// How many of `findings` have a safe fix (what fix-all and `lint --fix`
/// take).
fn fixable(findings: &[Finding]) -> usize {
    findings.iter().filter(|f| safe_fix(f).is_some()).count()
}

/// One document's part of the report, on the worker that analysed it:
/// made there ([`file_report`]), or held for the writer when it would be
/// too large to keep whole.
pub fn part(c: Checked, format: OutputFormat, color: bool) -> FileReport {
    part_above(c, format, color, HELD_FINDINGS)
}

/// [`part`], holding documents with more than `held` findings.
fn part_above(c: Checked, format: OutputFormat, color: bool, held: usize) -> FileReport {
    if c.findings.len() <= held {
        return file_report(&c, format, color);
    }
    FileReport {
        counts: counts(&c.findings),
        fixable: fixable(&c.findings),
        part: Part::Held(Box::new(Held {
            path: c.path,
            file: c.file.map(std::path::Path::to_path_buf),
            text: c.text.to_owned(),
            lines: c.lines,
            findings: c.findings,
            encoding: c.encoding,
            format,
            color,
        })),
    }
}

/// One document's part of the report, made whole: rendered lines for
/// human and github, located findings for json and sarif.
pub fn file_report(c: &Checked, format: OutputFormat, color: bool) -> FileReport {
    let part = match format {
        OutputFormat::Human | OutputFormat::Github => {
            // A little over what a human finding takes on average (its
            // header, location, source line and carets; about 400 bytes on
            // the benchmark corpus): the buffer is not grown and copied.
            let mut rendered = match format {
                OutputFormat::Human => Vec::with_capacity(c.findings.len() * 480),
                _ => Vec::new(),
            };
            let mut lines = LineReport::new(c, format, color);
            for f in &c.findings {
                lines.finding(&mut rendered, c, f);
            }
            Part::Rendered(rendered)
        }
        OutputFormat::Json => Part::Json(json_elements(c).collect()),
        OutputFormat::Sarif => Part::Sarif(sarif_elements(c).collect()),
    };
    FileReport {
        counts: counts(&c.findings),
        fixable: fixable(&c.findings),
        part,
    }
}

/// A document's json findings, made one at a time, in order.
fn json_elements<'c>(c: &'c Checked) -> impl Iterator<Item = JsonFinding> + 'c {
    let mut at = JsonAt::default();
    let path: Arc<str> = Arc::from(c.path.as_str());
    c.findings
        .iter()
        .map(move |f| json_finding(c, &path, f, &mut at))
}

/// A document's sarif results, made one at a time, in order.
fn sarif_elements<'c>(c: &'c Checked) -> impl Iterator<Item = SarifResult> + 'c {
    let mut at = Spans::default();
    let uri: Arc<str> = Arc::from(document_uri(c));
    c.findings
        .iter()
        .map(move |f| sarif_result(c, &uri, f, &mut at))
}

/// Writes a human or github part to `out`; a held one a piece at a time.
pub fn write_lines(out: &mut impl Write, part: Part) -> std::io::Result<()> {
    let held = match part {
        Part::Rendered(rendered) => return out.write_all(&rendered),
        Part::Held(held) => held,
        Part::Json(_) | Part::Sarif(_) => return Ok(()),
    };
    held.with(|c, format, color| {
        let mut chunk = Vec::with_capacity(HELD_CHUNK + (1 << 16));
        let mut lines = LineReport::new(c, format, color);
        for f in &c.findings {
            lines.finding(&mut chunk, c, f);
            if chunk.len() >= HELD_CHUNK {
                out.write_all(&chunk)?;
                chunk.clear();
            }
        }
        out.write_all(&chunk)
    })
}

/// A document's findings as `lint --format json` lists them (the MCP
/// server's `lint_document` answers the same objects).
#[cfg(feature = "mcp")]
pub fn json_findings(c: &Checked) -> Vec<JsonFinding> {
    match file_report(c, OutputFormat::Json, false).part {
        Part::Json(v) => v,
        _ => Vec::new(),
    }
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

/// The closing line of the human format; `fixable`, the findings with a
/// safe fix, is said as cargo says what `cargo fix` would apply.
pub fn summary(files: &[Counts], fixable: usize) -> String {
    let [hints, infos, warnings, errors] = totals(files);
    let checked = counted(files.len(), "file");
    if hints + infos + warnings + errors == 0 {
        return format!("{checked} checked: no problems");
    }
    let mut parts = vec![counted(errors, "error"), counted(warnings, "warning")];
    if infos > 0 {
        parts.push(counted(infos, "note"));
    }
    if hints > 0 {
        parts.push(counted(hints, "hint"));
    }
    let fix = match fixable {
        0 => String::new(),
        n => format!(" (run `goalframe lint --fix` to fix {n} of them)"),
    };
    format!("{checked} checked: {}{fix}", parts.join(", "))
}

/// The json document's `summary`; its fields are documented in
/// docs/lint.md and only ever added to.
pub fn json_summary(files: &[Counts], skipped: &[Skipped]) -> Value {
    let [hints, infos, warnings, errors] = totals(files);
    let skipped: Vec<_> = skipped
        .iter()
        .map(|s| json!({ "path": s.path, "reason": s.reason }))
        .collect();
    json!({ "files": files.len(), "errors": errors, "warnings": warnings, "information": infos, "hints": hints, "skipped": skipped })
}

/// Runs the checks, handing each file's report to `emit` in order, until
/// `emit` says stop.
pub type Feed<'f> = dyn FnMut(&mut dyn FnMut(FileReport) -> ControlFlow<()>) + 'f;

/// The findings array of a json or sarif document, serialised as each
/// file's findings arrive: the document streams out whole without every
/// finding being held at once.
struct Findings<'a, 'f>(RefCell<&'a mut Feed<'f>>);

impl Serialize for Findings<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let mut failed = None;
        (self.0.borrow_mut())(&mut |report| {
            let done = match report.part {
                Part::Rendered(_) => Ok(()),
                Part::Json(v) => v.iter().try_for_each(|e| seq.serialize_element(e)),
                Part::Sarif(v) => v.iter().try_for_each(|e| seq.serialize_element(e)),
                // Each element made as it is written.
                Part::Held(held) => held.with(|c, format, _| match format {
                    OutputFormat::Sarif => {
                        sarif_elements(c).try_for_each(|e| seq.serialize_element(&e))
                    }
                    _ => json_elements(c).try_for_each(|e| seq.serialize_element(&e)),
                }),
            };
            match done {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    failed = Some(e);
                    ControlFlow::Break(())
                }
            }
        });
        match failed {
            Some(e) => Err(e),
            None => seq.end(),
        }
    }
}

/// A value made only when it is serialised: a summary that follows the
/// findings counts them.
struct Later<'a>(&'a dyn Fn() -> Value);

impl Serialize for Later<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.0)().serialize(s)
    }
}

#[derive(serde::Serialize)]
struct JsonDoc<'a, 'f> {
    version: u32,
    findings: Findings<'a, 'f>,
    summary: Later<'a>,
}

/// Writes the json document `{ "version", "findings", "summary" }`,
/// pretty-printed, then a line break.
pub fn write_json(
    out: &mut impl Write,
    feed: &mut Feed<'_>,
    summary: &dyn Fn() -> Value,
) -> serde_json::Result<()> {
    let doc = JsonDoc {
        version: 1,
        findings: Findings(RefCell::new(feed)),
        summary: Later(summary),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out).map_err(serde_json::Error::io)
}

/// One json finding (docs/lint.md), made on a worker: only the path and
/// the fixes are allocated, and the path once per file.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonFinding {
    path: Arc<str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    code: &'static str,
    severity: &'static str,
    message: Cow<'static, str>,
    fixes: Vec<JsonFix>,
}

#[derive(serde::Serialize)]
pub struct JsonFix {
    title: String,
    edits: Vec<JsonEdit>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonEdit {
    byte_start: usize,
    byte_end: usize,
    new_text: String,
}

/// Where the json report's findings and fixes are, as lines and columns
/// and as byte offsets into the file: one cursor for each kind of offset.
#[derive(Default)]
struct JsonAt {
    spans: Spans,
    line_units: Vec<usize>,
    starts: Cursor,
    ends: Cursor,
    edits: Cursor,
}

impl JsonAt {
    fn start(&mut self, c: &Checked, offset: usize) -> usize {
        file_offset(c, &mut self.line_units, &mut self.starts, offset)
    }

    fn end(&mut self, c: &Checked, offset: usize) -> usize {
        file_offset(c, &mut self.line_units, &mut self.ends, offset)
    }

    fn edit(&mut self, c: &Checked, offset: usize) -> usize {
        file_offset(c, &mut self.line_units, &mut self.edits, offset)
    }
}

fn json_finding(c: &Checked, path: &Arc<str>, f: &Finding, at: &mut JsonAt) -> JsonFinding {
    let ((line, column), (end_line, end_column)) = span(c, f, &mut at.spans);
    let fixes = f
        .fixes
        .iter()
        .map(|x| JsonFix {
            title: x.title.clone(),
            edits: x
                .edits
                .iter()
                .map(|e| JsonEdit {
                    byte_start: at.edit(c, e.range.start),
                    byte_end: at.edit(c, e.range.end),
                    new_text: e.new_text.clone(),
                })
                .collect(),
        })
        .collect();
    JsonFinding {
        path: path.clone(),
        line,
        column,
        end_line,
        end_column,
        byte_start: at.start(c, f.range.start),
        byte_end: at.end(c, f.range.end),
        code: f.code.as_str(),
        severity: f.severity.as_str(),
        message: f.message.clone(),
        fixes,
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

#[derive(serde::Serialize)]
struct SarifDoc<'a, 'f> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a, 'f>; 1],
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a, 'f> {
    tool: Value,
    column_kind: &'static str,
    results: Findings<'a, 'f>,
}

/// Writes SARIF 2.1.0 with one run, the rules, and columns in code
/// points, pretty-printed, then a line break.
pub fn write_sarif(out: &mut impl Write, feed: &mut Feed<'_>) -> serde_json::Result<()> {
    let rules: Vec<_> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.as_str(),
                "shortDescription": { "text": c.description() },
                "help": { "text": c.help() },
                "defaultConfiguration": { "level": sarif_level(c.default_severity()) },
            })
        })
        .collect();
    let doc = SarifDoc {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [SarifRun {
            tool: json!({ "driver": {
                "name": "goalframe",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }}),
            column_kind: "unicodeCodePoints",
            results: Findings(RefCell::new(feed)),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out).map_err(serde_json::Error::io)
}

/// One sarif result, made on a worker.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: SarifText,
    locations: [SarifLocation; 1],
}

#[derive(serde::Serialize)]
pub struct SarifText {
    text: Cow<'static, str>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifLocation {
    physical_location: SarifPhysical,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifPhysical {
    artifact_location: SarifArtifact,
    region: SarifRegion,
}

#[derive(serde::Serialize)]
pub struct SarifArtifact {
    uri: Arc<str>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn sarif_result(c: &Checked, uri: &Arc<str>, f: &Finding, at: &mut Spans) -> SarifResult {
    let ((line, column), (end_line, end_column)) = span(c, f, at);
    SarifResult {
        rule_id: f.code.as_str(),
        rule_index: Code::ALL.iter().position(|x| *x == f.code).unwrap_or(0),
        level: sarif_level(f.severity),
        message: SarifText {
            text: f.message.clone(),
        },
        locations: [SarifLocation {
            physical_location: SarifPhysical {
                artifact_location: SarifArtifact { uri: uri.clone() },
                region: SarifRegion {
                    start_line: line,
                    start_column: column,
                    end_line,
                    end_column,
                },
            },
        }],
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

/// A document's human or github lines, written a finding at a time, in
/// order: whole on a worker, or a piece at a time for a held document.
enum LineReport<'c> {
    Human(Box<super::human::Report<'c>>),
    Github(GithubLines),
}

impl<'c> LineReport<'c> {
    fn new(c: &'c Checked, format: OutputFormat, color: bool) -> Self {
        match format {
            OutputFormat::Github => LineReport::Github(GithubLines::new(c)),
            _ => LineReport::Human(Box::new(super::human::Report::new(
                color, &c.path, c.text, &c.lines,
            ))),
        }
    }

    fn finding(&mut self, out: &mut Vec<u8>, c: &Checked, f: &Finding) {
        match self {
            LineReport::Human(report) => report.finding(out, f),
            LineReport::Github(lines) => lines.finding(out, c, f),
        }
    }
}

/// `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`
/// for each finding of one file, in order.
struct GithubLines {
    file: String,
    at: Spans,
    number: itoa::Buffer,
}

impl GithubLines {
    fn new(c: &Checked) -> Self {
        GithubLines {
            file: gh_property(&c.path),
            at: Spans::default(),
            number: itoa::Buffer::new(),
        }
    }

    fn finding(&mut self, out: &mut Vec<u8>, c: &Checked, f: &Finding) {
        let ((line, column), (end_line, end_column)) = span(c, f, &mut self.at);
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information | Severity::Hint => "notice",
        };
        // Put together without `fmt`: a folder's run writes hundreds of
        // thousands of these.
        out.extend_from_slice(b"::");
        out.extend_from_slice(level.as_bytes());
        out.extend_from_slice(b" file=");
        out.extend_from_slice(self.file.as_bytes());
        for (key, n) in [
            (",line=", line),
            (",col=", column),
            (",endLine=", end_line),
            (",endColumn=", end_column),
        ] {
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(self.number.format(n).as_bytes());
        }
        out.extend_from_slice(b",title=goalframe ");
        out.extend_from_slice(f.code.as_str().as_bytes());
        out.extend_from_slice(b"::");
        out.extend_from_slice(gh_data(&f.message).as_bytes());
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use goalframe::analysis::{Analyzer, DocKind};
    use goalframe::config::Settings;

    /// The closing line counts in words a reader says: one of a kind is
    /// singular, and information findings are notes, as the human
    /// format labels them (`note[code]`), not "informations".
    #[test]
    fn the_summary_counts_in_plain_words() {
        // [hints, information, warnings, errors] per file.
        assert_eq!(summary(&[[0; 4]], 0), "1 file checked: no problems");
        assert_eq!(
            summary(&[[1, 1, 1, 1]], 0),
            "1 file checked: 1 error, 1 warning, 1 note, 1 hint"
        );
        assert_eq!(
            summary(&[[0, 2, 0, 0], [0, 1, 2, 0]], 0),
            "2 files checked: 0 errors, 2 warnings, 3 notes"
        );
        // What `lint --fix` would do is said as cargo says `cargo fix`'s.
        assert_eq!(
            summary(&[[0, 0, 3, 0]], 2),
            "1 file checked: 0 errors, 3 warnings (run `goalframe lint --fix` to fix 2 of them)"
        );
    }

    /// A SARIF uri names the file it was made from, whatever its name
    /// holds: a relative reference for a relative path, `file://` for an
    /// absolute one.
    #[test]
    fn an_artifact_uri_names_its_file() {
        for (path, uri) in [
            ("reviews/Q3 review #2.md", "reviews/Q3%20review%20%232.md"),
            ("http:x.md", "http%3Ax.md"),
            ("dir%41/a?.md", "dir%2541/a%3F.md"),
            ("/srv/a b/中.md", "file:///srv/a%20b/%E4%B8%AD.md"),
            ("a-b_c.d~e(1)+@x.md", "a-b_c.d~e(1)+@x.md"),
        ] {
            assert_eq!(artifact_uri(path), uri, "{path}");
        }
        if cfg!(unix) {
            assert_eq!(artifact_uri("a\\b.md"), "a%5Cb.md");
        }
    }

    /// The whole report of one document's part, as `lint` writes it.
    fn written(report: FileReport, format: OutputFormat) -> Vec<u8> {
        let mut out = Vec::new();
        let mut report = Some(report);
        let mut feed = |emit: &mut dyn FnMut(FileReport) -> ControlFlow<()>| {
            if let Some(r) = report.take() {
                let _ = emit(r);
            }
        };
        match format {
            OutputFormat::Human | OutputFormat::Github => {
                if let Some(r) = report.take() {
                    write_lines(&mut out, r.part).expect("written");
                }
            }
            OutputFormat::Json => write_json(&mut out, &mut feed, &|| json!({})).expect("written"),
            OutputFormat::Sarif => write_sarif(&mut out, &mut feed).expect("written"),
        }
        out
    }

    #[test]
    fn a_held_report_is_the_report_made_whole() {
        let canon = goalframe::canon::load_embedded().expect("default canon");
        let settings = Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        // Every kind of finding the draft has, fixes, CRLF, emoji and CJK
        // (columns), and enough of it that a held report is written in
        // several pieces.
        let draft = include_str!("../../../examples/review-draft.md");
        let mut text = String::new();
        while text.len() < 4 * HELD_CHUNK {
            text.push_str(draft);
            text.push_str("👩‍💻 中文 ⟨target⟩ by ⟨date⟩\r\n@nobody/p9\n");
        }
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for (format, color) in [
                (OutputFormat::Human, false),
                (OutputFormat::Human, true),
                (OutputFormat::Github, false),
                (OutputFormat::Json, false),
                (OutputFormat::Sarif, false),
            ] {
                // A name that is not UTF-8: a held SARIF part names it
                // by its bytes too.
                let file = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(
                    b"team a/review #1 \xff.md",
                );
                let checked = || Checked {
                    path: "team a/review #1 \u{fffd}.md".to_owned(),
                    file: Some(std::path::Path::new(file)),
                    text: &text,
                    lines: Lines::new(&text),
                    findings: analyzer.analyze(&text, DocKind::Markdown),
                    encoding,
                };
                let whole = part_above(checked(), format, color, usize::MAX);
                let held = part_above(checked(), format, color, 0);
                assert!(matches!(held.part, Part::Held(_)));
                assert_eq!(whole.counts, held.counts);
                let (whole, held) = (written(whole, format), written(held, format));
                assert!(
                    whole.len() > 2 * HELD_CHUNK,
                    "{format:?}: {} bytes",
                    whole.len()
                );
                assert!(
                    whole == held,
                    "{format:?} (colour {color}, {encoding:?}) differs"
                );
                if format == OutputFormat::Sarif {
                    let uri = b"team%20a/review%20%231%20%FF.md";
                    assert!(whole.windows(uri.len()).any(|w| w == uri));
                }
            }
        }
    }
}
