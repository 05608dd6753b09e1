//! Document analysis (docs/lsp.md): `(text, canon, settings) → findings` with
//! byte ranges and stable codes. Pure and synchronous; the language server
//! and `goalframe lint` both call [`analyze`], so the editor and the
//! command line can never disagree.

mod blocks;
mod drift;
pub mod goals;
mod invisible;
mod lacking;
mod markdown;
pub mod outline;
mod placeholders;
mod quality;
mod repeated;
mod scan;
mod session;
mod similarity;
mod suppress;
mod tables;
#[cfg(test)]
pub(crate) mod testing;
pub mod tokens;
mod unread;
mod wrapped;

use std::borrow::Cow;
use std::iter::Peekable;
use std::ops::Range;
use std::path::Path;

use crate::canon::{Canon, LookupError, RoleId, RoleLevelId};
use crate::config::Settings;
use crate::render::{self, Form, Markup, Selection};

pub use crate::diagnostic::{Code, Severity};
pub use crate::lines::{Cursor, Lines};
pub use blocks::{parse_marker, Block};
pub use placeholders::{Scanner as PlaceholderScanner, DEFAULT_LOOKALIKES};
pub use quality::DocContext;
pub use session::{Found, Outlined, Session};

/// How a document is read: markdown has code, headings and escaping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Markdown,
    Text,
}

impl DocKind {
    /// By file extension: `.md`, `.markdown` (and friends) are markdown.
    pub fn from_path(path: &Path) -> DocKind {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("md" | "markdown" | "mdown" | "mkd" | "mdx") => DocKind::Markdown,
            _ => DocKind::Text,
        }
    }

    /// By an editor's language id.
    pub fn from_language_id(id: &str) -> DocKind {
        if id.eq_ignore_ascii_case("markdown") || id.eq_ignore_ascii_case("mdx") {
            DocKind::Markdown
        } else {
            DocKind::Text
        }
    }

    pub fn markup(self) -> Markup {
        match self {
            DocKind::Markdown => Markup::Markdown,
            DocKind::Text => Markup::Text,
        }
    }
}

/// One problem in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// Byte range in the document.
    pub range: Range<usize>,
    /// Borrowed when it is always the same words (an unfilled `⟨target⟩`):
    /// a review folder has hundreds of thousands of those. Borrowed words
    /// are the analysis's own and hold no control characters (a report
    /// writes them as they are).
    pub message: Cow<'static, str>,
    /// Edits that would resolve it, best first.
    pub fixes: Vec<Fix>,
}

/// What a session's borrowed findings hold of those made afresh.
impl From<Finding> for std::borrow::Cow<'_, Finding> {
    fn from(f: Finding) -> Self {
        std::borrow::Cow::Owned(f)
    }
}

/// The first findings of a document that a client is shown
/// ([`crate::diagnostic::MAX_SHOWN`] of them for an editor or an
/// assistant), and what was left out after them.
#[derive(Debug)]
pub struct Shown<F> {
    pub findings: Vec<F>,
    pub omitted: Option<Omitted>,
}

/// The findings left out after those shown: how many, and where the
/// first of them is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Omitted {
    pub count: usize,
    pub first: Range<usize>,
}

impl<F: std::borrow::Borrow<Finding>> Shown<F> {
    /// The first `limit` of `findings`; the rest are counted, not kept.
    pub fn first(limit: usize, mut findings: impl Iterator<Item = F>) -> Shown<F> {
        let shown: Vec<F> = findings.by_ref().take(limit).collect();
        let omitted = findings.next().map(|f| Omitted {
            first: f.borrow().range.clone(),
            count: 1 + findings.count(),
        });
        Shown {
            findings: shown,
            omitted,
        }
    }

    /// How many were left out.
    pub fn omitted_count(&self) -> usize {
        self.omitted.as_ref().map_or(0, |o| o.count)
    }
}

/// What keeps a goal or a line from being read as written, as `lint`
/// and `export` both report it (lacking.rs, goals.rs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lack {
    pub range: std::ops::Range<usize>,
    pub message: String,
    pub fixes: Vec<Fix>,
}

/// A named set of edits (a quick fix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Whether fix-all (and `lint --fix`) may apply it without asking:
    /// it puts back canon text, or the template's own words, markup or
    /// layout, and touches no value but to take out a character that does
    /// not show, make a Time-bound date the goal's Measurable date, or
    /// restore canon text inside one quote (`tests/properties.rs` and the
    /// `export_agrees` fuzz target hold it to that). A fix that chooses among
    /// readings (a name the canon offers, a date written another way, a
    /// word typed twice, a row rewritten around the values found, a quote
    /// that seems to run on into the next row) is not.
    pub safe: bool,
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Replace a byte range of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// Applies non-overlapping edits to a text (for tests and for callers
/// that want the result of a fix).
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.range.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.new_text);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Line-local findings, in document order, before code and the preamble
/// are taken out.
#[derive(Debug, Clone, Default)]
struct Local {
    placeholders: Vec<Finding>,
    tokens: Vec<Finding>,
}

/// Lookups and similarity searches already done for one canon: a
/// misspelled role is ranked against every role once, not on every
/// keystroke. A caller that analyses many documents with one
/// [`Analyzer`] (a `goalframe lint` worker) keeps one and passes it to
/// [`Analyzer::analyze_reusing`]: each role named is then looked up
/// once per run rather than once per document.
#[derive(Debug, Default)]
pub struct Memo {
    lookups: Lookups,
    drift: drift::DriftMemo,
    /// The [`Analyzer::id`] these results belong to (0: none yet).
    owner: u64,
}

/// Entries a reused [`Memo`] holds before it starts afresh, so a long run
/// over ever-new misspellings cannot grow it without bound.
const MEMO_LIMIT: usize = 100_000;

/// A role as written → which role it is, or why it is none. Roles, not
/// role levels: a canon has a dozen times fewer, so the table stays in
/// the processor's cache, and a level is then one of a dozen codes.
type Lookups = std::collections::HashMap<Box<str>, Result<RoleId, LookupError>>;

impl Memo {
    fn role_at(
        &mut self,
        analyzer: &Analyzer,
        role: &str,
        level: &str,
    ) -> Result<RoleLevelId, LookupError> {
        let id = match self.lookups.get(role) {
            Some(r) => r.clone(),
            None => {
                let r = self.lookup(analyzer, role);
                self.lookups.insert(role.into(), r.clone());
                r
            }
        };
        analyzer.canon.resolve_level(id?, level)
    }

    /// What a `@role/level` token is wrong about, if anything. A token
    /// whose role is unknown and whose level is no level code of the
    /// canon is not taken for one: `@babel/core`, `@acme/hr-team` name a
    /// package or a team, not a misspelled role, and ranking the roles it
    /// could be would be wasted.
    fn token_error(&mut self, analyzer: &Analyzer, role: &str, level: &str) -> Option<LookupError> {
        let is_code = || analyzer.canon.is_level_code(level);
        match self.lookups.get(role) {
            Some(Ok(id)) => return analyzer.canon.resolve_level(*id, level).err(),
            Some(Err(e)) => return is_code().then(|| e.clone()),
            None if !is_code() && analyzer.canon.role(role).is_none() => return None,
            None => {}
        }
        match self.role_at(analyzer, role, level) {
            Err(LookupError::UnknownRole { .. }) if !is_code() => None,
            r => r.err(),
        }
    }

    /// A role this memo has not seen: the analyzer's table (shared by its
    /// threads), then the canon.
    fn lookup(&mut self, analyzer: &Analyzer, role: &str) -> Result<RoleId, LookupError> {
        let shared = analyzer
            .lookups
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(role)
            .cloned();
        shared.unwrap_or_else(|| {
            let r = analyzer.canon.resolve_role(role);
            analyzer
                .lookups
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(role.into(), r.clone());
            r
        })
    }
}

/// Everything the analysis needs besides the text, prepared once per
/// settings change rather than per keystroke.
pub struct Analyzer<'c> {
    pub canon: &'c Canon,
    pub settings: &'c Settings,
    scanner: PlaceholderScanner,
    /// Role lookups shared by every document this analyzer sees
    /// (`goalframe lint` ranks a misspelled role once per run).
    lookups: std::sync::Mutex<Lookups>,
    /// Tells a reused [`Memo`] whether its results are this analyzer's.
    id: u64,
    /// The settings' severity of each code, by `Code as usize`: looked up
    /// for each of hundreds of thousands of findings.
    severities: [Option<Severity>; Code::COUNT],
}

/// Where [`Analyzer::id`]s come from.
static ANALYZER_IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl<'c> Analyzer<'c> {
    pub fn new(canon: &'c Canon, settings: &'c Settings) -> Analyzer<'c> {
        Analyzer {
            canon,
            settings,
            scanner: PlaceholderScanner::new(&settings.placeholders),
            lookups: Default::default(),
            id: ANALYZER_IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            severities: {
                let mut by_code = [None; Code::COUNT];
                for c in Code::ALL {
                    by_code[c as usize] = settings.severity_of(c);
                }
                by_code
            },
        }
    }

    /// Every finding in `text`, sorted by position, suppressions and
    /// severity settings applied.
    pub fn analyze(&self, text: &str, kind: DocKind) -> Vec<Finding> {
        self.analyze_lines(text, kind, &Lines::new(text))
    }

    /// [`Analyzer::analyze`] for a caller that already has the text's
    /// line index (and keeps it to report positions).
    pub fn analyze_lines(&self, text: &str, kind: DocKind, lines: &Lines) -> Vec<Finding> {
        self.analyze_reusing(text, kind, lines, &mut Memo::default())
    }

    /// [`Analyzer::analyze_lines`] with lookups kept from the documents
    /// analysed before with `memo` (which starts afresh if they were
    /// another analyzer's). The findings are the same as without it.
    pub fn analyze_reusing(
        &self,
        text: &str,
        kind: DocKind,
        lines: &Lines,
        memo: &mut Memo,
    ) -> Vec<Finding> {
        if memo.owner != self.id || memo.lookups.len() + memo.drift.len() > MEMO_LIMIT {
            *memo = Memo {
                owner: self.id,
                ..Memo::default()
            };
        }
        let code = if kind == DocKind::Markdown {
            markdown::code_ranges(text, lines)
        } else {
            Vec::new()
        };
        let ctx = DocContext::read(text, kind, self.settings.cycle.as_ref());
        let local = self.local(text, 0..text.len(), memo);
        let blocks = blocks::find(text, kind, lines, &code);
        let mut in_blocks = Vec::new();
        let mut repeats = self
            .repeated_findings(lines, &blocks, |b| b)
            .into_iter()
            .peekable();
        for (i, b) in blocks.iter().enumerate() {
            let from = in_blocks.len();
            self.block_findings_into(
                text,
                kind,
                &code,
                lines,
                b,
                &ctx.cycle,
                memo,
                &mut in_blocks,
            );
            if let Some((_, r)) = repeats.next_if(|(at, _)| *at == i) {
                let at = from + repeat_at(&in_blocks[from..], &r);
                in_blocks.insert(at, r);
            }
        }
        // Room for all but the metadata's few, made once (the stream
        // cannot say how many it keeps).
        let most = local.placeholders.len() + local.tokens.len() + in_blocks.len();
        let mut out = Vec::with_capacity(most);
        out.extend(self.assemble(
            text,
            lines,
            &suppress::Directives::new(text),
            &code,
            &ctx,
            local.placeholders.into_iter(),
            local.tokens.into_iter(),
            in_blocks.into_iter(),
        ));
        debug_assert!(out.is_sorted_by(|x, y| order(x, y).is_le()));
        out
    }

    /// The line-local findings (placeholders and tokens) of `range`, which
    /// is whole lines of `text`, before code and the preamble are taken out.
    fn local(&self, text: &str, range: Range<usize>, memo: &mut Memo) -> Local {
        let base = range.start;
        let slice = &text[range];
        let mut out = Local::default();
        for hit in self.scanner.scan(slice) {
            let range = base + hit.range.start..base + hit.range.end;
            let word = &text[range.clone()];
            let message = placeholders::message(word, hit.canonical);
            out.placeholders.extend(self.finding(
                Code::UnfilledPlaceholder,
                range,
                message,
                Vec::new(),
            ));
        }
        for token in tokens::find(slice) {
            let shift = |r: Range<usize>| base + r.start..base + r.end;
            let level = shift(token.level.clone().expect("find returns complete tokens"));
            let role = shift(token.role.clone());
            if let Some(e) = memo.token_error(self, &text[role.clone()], &text[level.clone()]) {
                out.tokens
                    .extend(self.lookup_finding(e, shift(token.range.clone()), role, level));
            }
        }
        out
    }

    /// The findings of one block, sorted: its role and level, or its rows'
    /// values and its drifted quotes.
    #[allow(clippy::too_many_arguments)]
    fn block_findings(
        &self,
        text: &str,
        kind: DocKind,
        code: &[Range<usize>],
        lines: &Lines,
        block: &Block,
        cycle: &crate::goals::metadata::Cycle,
        memo: &mut Memo,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        self.block_findings_into(text, kind, code, lines, block, cycle, memo, &mut out);
        out
    }

    /// [`Analyzer::block_findings`] added to `out`.
    #[allow(clippy::too_many_arguments)]
    fn block_findings_into(
        &self,
        text: &str,
        kind: DocKind,
        code: &[Range<usize>],
        lines: &Lines,
        block: &Block,
        cycle: &crate::goals::metadata::Cycle,
        memo: &mut Memo,
        out: &mut Vec<Finding>,
    ) {
        if block.unread {
            out.extend(self.unread_finding(text, block));
            return;
        }
        let before = out.len();
        if block.wrapped {
            let body = block.opener.end..block.range.end;
            self.wrapped_findings(text, code, lines, body, out);
        }
        self.row_findings(
            text,
            kind,
            code,
            lines,
            block,
            cycle,
            &mut memo.drift.titles,
            out,
        );
        match memo.role_at(self, &block.role, &block.level) {
            Ok(id) => {
                let ral = self.canon.get(id);
                for d in drift::drift(text, kind, code, lines, block, (id, &ral), &mut memo.drift) {
                    out.extend(self.drift_finding(d, kind, &ral));
                }
            }
            Err(e) => {
                // Point at the names inside the marker or heading line.
                let opener = &text[block.opener.clone()];
                let locate = |name: &str| {
                    opener
                        .find(name)
                        .map(|i| block.opener.start + i..block.opener.start + i + name.len())
                        .unwrap_or(block.opener.clone())
                };
                let role_range = locate(&block.role);
                let level_range = opener
                    .rfind(block.level.as_str())
                    .map(|i| block.opener.start + i..block.opener.start + i + block.level.len())
                    .unwrap_or(block.opener.clone());
                out.extend(self.lookup_finding(e, block.opener.clone(), role_range, level_range));
            }
        }
        // Rows, then quotes: a few findings, put in document order here so
        // that the blocks' findings come sorted to `assemble`.
        out[before..].sort_by(order);
    }

    /// Placeholders outside code (the scanner leaves out the preamble's),
    /// tokens outside code, the metadata's findings,
    /// then the blocks' findings; in order, suppressions applied. A
    /// stream: owned findings (`F` = [`Finding`]), so a one-shot analysis
    /// moves them rather than copying; or borrowed ones (`F` =
    /// `Cow<Finding>`), so a session's keystroke copies none and collects
    /// only those it shows.
    #[allow(clippy::too_many_arguments)]
    fn assemble<'a, F: std::borrow::Borrow<Finding> + From<Finding> + 'a>(
        &self,
        text: &'a str,
        lines: &'a Lines,
        directives: &suppress::Directives,
        code: &'a [Range<usize>],
        ctx: &'a DocContext,
        placeholders: impl Iterator<Item = F> + 'a,
        tokens: impl Iterator<Item = F> + 'a,
        block_findings: impl Iterator<Item = F> + 'a,
    ) -> impl Iterator<Item = F> + 'a {
        // Nothing in code or in the metadata is a placeholder or a token.
        let kept = move |f: &F| {
            let at = f.borrow().range.start;
            !markdown::inside(code, at) && !ctx.in_metadata(at)
        };
        let mut metadata = self.metadata_findings(ctx);
        metadata.sort_by(order);
        Assembled {
            merged: Merged(
                placeholders.filter(kept).peekable(),
                tokens.filter(kept).peekable(),
                metadata.into_iter().map(F::from).peekable(),
                block_findings.peekable(),
            ),
            suppressor: suppress::Suppressor::new(text, lines, directives),
        }
    }

    /// "Insert the missing frames" fixes: for each role and level that has
    /// some frames in the document but not all, and a block touching
    /// `wanted` (the editor offers them where the cursor is).
    pub fn missing_frame_fixes(&self, text: &str, kind: DocKind, wanted: Range<usize>) -> Vec<Fix> {
        let lines = Lines::new(text);
        let code = if kind == DocKind::Markdown {
            markdown::code_ranges(text, &lines)
        } else {
            Vec::new()
        };
        let blocks = blocks::find(text, kind, &lines, &code);
        self.frame_fixes(
            text,
            kind,
            blocks::missing_frames(&blocks, self.canon, wanted),
        )
    }

    /// The fixes inserting `missing` frames (from [`blocks::missing_frames`]).
    pub(crate) fn frame_fixes(
        &self,
        text: &str,
        kind: DocKind,
        missing: Vec<(usize, crate::canon::RoleAtLevel<'_>, Vec<render::Frame>)>,
    ) -> Vec<Fix> {
        let mut fixes = Vec::new();
        for (at, ral, frames) in missing {
            let form = Form {
                markup: kind.markup(),
                snippet: false,
            };
            let mut new_text = String::new();
            if at > 0 && !text[..at].ends_with('\n') {
                new_text.push('\n');
            }
            if at > 0 && !text[..at].ends_with("\n\n") {
                new_text.push('\n');
            }
            for f in &frames {
                if let Ok(block) = render::render_insert(ral, Selection::One(*f), form) {
                    new_text.push_str(&block);
                    new_text.push_str("\n\n");
                }
            }
            if at == text.len() {
                new_text.truncate(new_text.trim_end_matches('\n').len());
                new_text.push('\n');
            }
            let names: Vec<&str> = frames.iter().map(|f| f.title()).collect();
            fixes.push(Fix {
                safe: false,
                title: format!(
                    "Insert the missing frames for {}/{}: {}",
                    ral.role.id,
                    ral.level.code,
                    names.join(", ")
                ),
                edits: vec![Edit {
                    range: at..at,
                    new_text,
                }],
            });
        }
        fixes
    }

    /// A finding at its configured severity, or `None` when its code is off.
    fn finding(
        &self,
        code: Code,
        range: Range<usize>,
        message: impl Into<Cow<'static, str>>,
        fixes: Vec<Fix>,
    ) -> Option<Finding> {
        let severity = self.severities[code as usize]?;
        Some(Finding {
            code,
            severity,
            range,
            message: message.into(),
            fixes,
        })
    }

    fn lookup_finding(
        &self,
        e: LookupError,
        range: Range<usize>,
        role: Range<usize>,
        level: Range<usize>,
    ) -> Option<Finding> {
        // Each name the canon offers replaces the one that was not found.
        let (code, names, at) = match &e {
            LookupError::UnknownRole { suggestions, .. } => (Code::UnknownRole, suggestions, role),
            LookupError::UnknownLevel { available, .. } => (Code::UnknownLevel, available, level),
        };
        let fixes = names
            .iter()
            .map(|s| Fix {
                safe: false,
                title: format!("Replace with `{s}`"),
                edits: vec![Edit {
                    range: at.clone(),
                    new_text: s.clone(),
                }],
            })
            .collect();
        self.finding(code, range, e.to_string(), fixes)
    }

    fn drift_finding(
        &self,
        d: drift::Drift,
        kind: DocKind,
        ral: &crate::canon::RoleAtLevel,
    ) -> Option<Finding> {
        let whose = format!("{}/{}", ral.role.id, ral.level.code);
        match d.closest {
            Some(closest) => {
                let mut message = format!(
                    "canon text was edited; the closest {} of {whose} is \"{closest}\"",
                    d.noun
                );
                // Only for a quote that looks like the canon text: what
                // differs, which the reader cannot see.
                if let Some(why) = invisible::difference(&d.found, &closest) {
                    message.push_str("; the two look the same: ");
                    message.push_str(&why);
                }
                let new_text = if kind == DocKind::Markdown {
                    render::markdown_escape(&closest)
                } else {
                    closest.clone()
                };
                // A quote holding more quote marks than the canon text may
                // run over into the next row (two rows on one line): what
                // the restore would replace is then more than a quote, and
                // only the writer can say.
                // (Counted by their bytes: `"`, and `“` `”` as `E2 80 9C/9D`;
                // a folder's run has hundreds of thousands of drifted quotes.)
                let marks = |s: &str| {
                    let b = s.as_bytes();
                    memchr::memchr_iter(b'"', b).count()
                        + memchr::memchr_iter(0xe2, b)
                            .filter(|&i| {
                                b.get(i + 1) == Some(&0x80)
                                    && matches!(b.get(i + 2), Some(0x9c | 0x9d))
                            })
                            .count()
                };
                let found_marks = marks(&d.found);
                let fix = Fix {
                    safe: !d.title && (found_marks == 0 || found_marks <= marks(&closest)),
                    title: "Restore the canon text".to_string(),
                    edits: vec![Edit {
                        range: d.range.clone(),
                        new_text,
                    }],
                };
                self.finding(Code::CanonDrift, d.range, message, vec![fix])
            }
            None => {
                let message = format!(
                    "quoted text is not canon: {whose} has no {} in the canon",
                    d.noun
                );
                self.finding(Code::CanonDrift, d.range, message, Vec::new())
            }
        }
    }
}

/// Where a block's `duplicate-frame` finding `repeat` (on its opener)
/// goes among the block's `own` findings: after those before it in
/// [`order`] (an unknown role's on the same marker). The full analysis
/// and an editor's session place it so.
fn repeat_at(own: &[Finding], repeat: &Finding) -> usize {
    own.partition_point(|x| order(x, repeat).is_le())
}

/// The order findings are reported in: by where they start, then by code.
fn order(
    a: &impl std::borrow::Borrow<Finding>,
    b: &impl std::borrow::Borrow<Finding>,
) -> std::cmp::Ordering {
    let (a, b) = (a.borrow(), b.borrow());
    a.range.start.cmp(&b.range.start).then(a.code.cmp(&b.code))
}

/// Four streams, each in [`order`], merged into one in order, an earlier
/// stream's findings first among equals: what a stable sort of the four
/// one after the other gives, without collecting them. (A document has
/// hundreds of thousands of findings in a folder's run.)
struct Merged<A: Iterator, B: Iterator, C: Iterator, D: Iterator>(
    Peekable<A>,
    Peekable<B>,
    Peekable<C>,
    Peekable<D>,
);

impl<F, A, B, C, D> Iterator for Merged<A, B, C, D>
where
    F: std::borrow::Borrow<Finding>,
    A: Iterator<Item = F>,
    B: Iterator<Item = F>,
    C: Iterator<Item = F>,
    D: Iterator<Item = F>,
{
    type Item = F;

    fn next(&mut self) -> Option<F> {
        let heads = [self.0.peek(), self.1.peek(), self.2.peek(), self.3.peek()];
        let mut first: Option<(usize, &F)> = None;
        for (i, head) in heads.into_iter().enumerate() {
            if let Some(h) = head {
                if first.is_none_or(|(_, f)| order(h, f).is_lt()) {
                    first = Some((i, h));
                }
            }
        }
        match first? {
            (0, _) => self.0.next(),
            (1, _) => self.1.next(),
            (2, _) => self.2.next(),
            _ => self.3.next(),
        }
    }

    /// Without merging: an editor counts what it does not show.
    fn count(self) -> usize {
        self.0.count() + self.1.count() + self.2.count() + self.3.count()
    }
}

/// [`Merged`] findings, suppressions applied.
struct Assembled<'a, M> {
    merged: M,
    suppressor: suppress::Suppressor<'a>,
}

impl<F: std::borrow::Borrow<Finding>, M: Iterator<Item = F>> Iterator for Assembled<'_, M> {
    type Item = F;

    fn next(&mut self) -> Option<F> {
        let s = &mut self.suppressor;
        self.merged.find(|f| s.keeps(f.borrow()))
    }

    fn count(self) -> usize {
        let Assembled {
            merged,
            mut suppressor,
        } = self;
        if suppressor.is_idle() {
            merged.count()
        } else {
            merged.filter(|f| suppressor.keeps(f.borrow())).count()
        }
    }
}

/// One-shot convenience: analyse a text with a canon and settings.
pub fn analyze(text: &str, kind: DocKind, canon: &Canon, settings: &Settings) -> Vec<Finding> {
    Analyzer::new(canon, settings).analyze(text, kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::{load_embedded, load_sources, SourceFile};

    /// A memo kept across documents and analyzers changes nothing: each
    /// analysis finds what a fresh one finds, even right after another
    /// canon resolved the same names the other way.
    #[test]
    fn a_reused_memo_finds_what_a_fresh_analysis_finds() {
        let embedded = load_embedded().expect("default canon");
        let levels = r#"{"levels": [{"code": "P2", "name": "Developing"}]}"#;
        let role = r#"{"roles": [{"id": "zz", "title": "Zed", "family": "F",
            "levels": {"P2": {"responsibilities": ["Manages the entire sales cycle."]}}}]}"#;
        let other = load_sources(
            vec![
                SourceFile {
                    path: "l.json".into(),
                    bytes: levels.into(),
                },
                SourceFile {
                    path: "r.json".into(),
                    bytes: role.into(),
                },
            ],
            vec![],
        )
        .expect("small canon");
        let settings = Settings::default();
        let a = Analyzer::new(&embedded, &settings);
        let b = Analyzer::new(&other, &settings);
        let docs = [
            "Calibrated against @ae/p2 and @zz/p2 and @nobody/p2 ⟨target⟩.\n",
            "<!-- goalframe: zz/P2 smart -->\n## SMART goals — Zed — P2\n\n- **Specific:** Deliver: \"Manages the whole sales cycle.\"\n",
            "<!-- goalframe: ae/P2 smart -->\n## SMART goals — Account Executive / Field Sales — P2\n\n- **Specific:** Deliver: \"Manages the whole sales cycle.\"\n",
        ];
        let mut memo = Memo::default();
        let mut differ = 0;
        for doc in docs.iter().chain(docs.iter()) {
            for analyzer in [&a, &b, &a, &b] {
                let lines = Lines::new(doc);
                let reused = analyzer.analyze_reusing(doc, DocKind::Markdown, &lines, &mut memo);
                assert_eq!(reused, analyzer.analyze(doc, DocKind::Markdown), "{doc}");
            }
            differ +=
                usize::from(a.analyze(doc, DocKind::Markdown) != b.analyze(doc, DocKind::Markdown));
        }
        // The two canons disagree on every document, so a memo that kept
        // the other analyzer's answers would be caught.
        assert_eq!(differ, 2 * docs.len());
    }
}
