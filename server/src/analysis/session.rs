//! Incremental analysis of one open document: what the language server
//! keeps between keystrokes so that an edit re-does only the work it
//! touched. The findings are always exactly [`Analyzer::analyze`]'s for the
//! current text (the tests check this on random edits); only the cost
//! differs.
//!
//! Between two [`Session::findings`] calls the edits are summed up as one
//! changed window. Everything cached before it is kept as is, everything
//! after it is shifted, and only the window is looked at again:
//!
//! - markdown code: re-parsed from the last sync point before the window
//!   (a top-level block after a blank line, where the parser's state is
//!   fresh) up to the first old sync point after it where the new parse
//!   starts a top-level block too (see [`markdown::Parsed`]);
//! - placeholders and tokens: re-scanned on the window's lines only;
//! - goalframe blocks: re-scanned from the last marker comment before the
//!   touched region to the first one after it (a marker always closes the
//!   open block and opens a new one), and drift is checked again only in
//!   blocks whose text or code changed;
//! - misspelled roles and edited quotes are ranked against the canon once
//!   per distinct text, not once per keystroke.

use std::borrow::Cow;
use std::ops::Range;

use crate::config::Settings;

use super::blocks::{self, Block};
use super::markdown::{self, Parsed};
use super::suppress::Directives;
use super::{Analyzer, DocContext, DocKind, Finding, Fix, Local, Memo};
use crate::lines::Lines;

/// An open document and what its last analysis found.
pub struct Session {
    text: String,
    /// The text's line index, kept current: the language server converts
    /// every position with it.
    lines: Lines,
    /// Where the text's suppression comments start, kept current.
    directives: Directives,
    kind: DocKind,
    /// The edits since the last analysis, as one window.
    pending: Option<Window>,
    cache: Option<Cache>,
    /// The edits since the last outline, and that outline with the block
    /// each entry was read from: a block the edits did not touch keeps its
    /// outline.
    outline_pending: Vec<Window>,
    outline_cache: OutlineCache,
}

/// A session's findings with the text and line index their ranges are in.
pub struct Found<'a> {
    pub shown: super::Shown<Cow<'a, Finding>>,
    pub text: &'a str,
    pub lines: &'a Lines,
}

/// A session's outline with the text and line index its ranges are in.
pub struct Outlined<'a> {
    pub outline: &'a super::outline::Outline,
    pub text: &'a str,
    pub lines: &'a Lines,
    /// For each block, a number that stays the same while the block is
    /// kept (moved, perhaps, by edits before it, but not read again) and
    /// that no other block of any session ever gets: what a cache of a
    /// block's protocol form (the language server's symbols) is keyed by.
    pub serials: &'a [u64],
}

/// A fresh serial for [`Outlined::serials`].
fn next_serial() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

#[derive(Default)]
struct OutlineCache {
    /// The outline is the current text's (no edit, canon or settings
    /// change since it was made).
    current: bool,
    /// `outline.blocks[i]` was read from `keys[i]`.
    keys: Vec<Block>,
    serials: Vec<u64>,
    outline: super::outline::Outline,
}

impl OutlineCache {
    fn clear(&mut self) {
        *self = OutlineCache::default();
    }
}

/// Old `start..old_end` became `start..new_end`; what follows moved by
/// `new_end - old_end`.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: usize,
    old_end: usize,
    new_end: usize,
}

impl Window {
    /// Where an old offset outside the window is now.
    fn map(&self, at: usize) -> usize {
        if at < self.start {
            at
        } else {
            at + self.new_end - self.old_end
        }
    }
}

struct Cache {
    /// What the cache was computed with: the canon's generation and the
    /// settings.
    canon: u64,
    settings: Settings,
    /// Markdown only; `None` when the document cannot hold code.
    parsed: Option<Parsed>,
    local: Local,
    /// The metadata and the cycle: an edit that may change them (see
    /// [`DocContext::changed_by`]) is analysed afresh.
    ctx: DocContext,
    blocks: Vec<(Block, Vec<Finding>)>,
    memo: Memo,
}

fn shift_finding(f: &mut Finding, w: &Window) {
    f.range = w.map(f.range.start)..w.map(f.range.end);
    for fix in &mut f.fixes {
        for e in &mut fix.edits {
            e.range = w.map(e.range.start)..w.map(e.range.end);
        }
    }
}

/// Whether placeholders and tokens lie each in one line: extra look-alikes
/// could span lines, and then nothing is line-local.
fn line_local(analyzer: &Analyzer) -> bool {
    !analyzer
        .settings
        .placeholders
        .iter()
        .any(|p| p.contains(['\n', '\r']))
}

/// From this many edits at once, [`Session::edit_many`] makes the text
/// afresh rather than editing it in place once an edit.
const EDITS_APART: usize = 8;

/// The most windows the outline keeps apart (see [`Session::edit`]).
const OUTLINE_WINDOWS: usize = 8;

/// `pending` (in original offsets) followed by replacing the current
/// `a..b` with `len` bytes, as one window: `pending` in current offsets is
/// `start..new_end`; the union with `a..b`, mapped back.
fn compose(pending: Option<Window>, a: usize, b: usize, len: usize) -> Window {
    match pending {
        None => Window {
            start: a,
            old_end: b,
            new_end: a + len,
        },
        Some(w) => {
            let cur_end = w.new_end.max(b);
            Window {
                start: w.start.min(a),
                old_end: cur_end + w.old_end - w.new_end,
                new_end: cur_end + len - (b - a),
            }
        }
    }
}

fn shift_block(b: &mut Block, w: &Window) {
    b.opener = w.map(b.opener.start)..w.map(b.opener.end);
    b.range = w.map(b.range.start)..w.map(b.range.end);
}

impl Session {
    pub fn new(text: String, kind: DocKind) -> Session {
        Session {
            lines: Lines::new(&text),
            directives: Directives::new(&text),
            text,
            kind,
            pending: None,
            cache: None,
            outline_pending: Vec::new(),
            outline_cache: OutlineCache::default(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The current text's line index.
    pub fn lines(&self) -> &Lines {
        &self.lines
    }

    /// Replaces the whole text (a full-document change).
    pub fn set_text(&mut self, text: String) {
        self.lines = Lines::new(&text);
        self.directives = Directives::new(&text);
        self.text = text;
        self.cache = None;
        self.pending = None;
        self.outline_cache.clear();
        self.outline_pending.clear();
    }

    /// Replaces the byte range `range` (on character boundaries) with
    /// `new_text`.
    pub fn edit(&mut self, range: Range<usize>, new_text: &str) {
        let (a, b) = (range.start.min(range.end), range.start.max(range.end));
        self.text.replace_range(a..b, new_text);
        self.lines.edit(&self.text, a..b, new_text.len());
        self.directives.edit(&self.text, a..b, new_text.len());
        let len = new_text.len();
        self.pending = Some(compose(self.pending, a, b, len));
        // The outline is asked for less often than the analysis runs, and
        // edits far apart (typing here, then there) must not make it
        // re-read everything between them: one window per place edited,
        // merged when an edit touches the last one, and at most a few
        // (a client that never asks must not make the list grow).
        self.outline_changed(a, b, len);
    }

    /// [`Session::edit`] for each of `edits` in turn, each ending at or
    /// before the start of the one before it (as an editor sends the
    /// edits of many cursors, or of a replace-all: from the bottom up, so
    /// each is in the offsets of the text as it was). The text, its line
    /// index and its suppression comments are made once, not once an edit:
    /// each edit moved all the text after it.
    pub fn edit_many(&mut self, edits: &[(Range<usize>, &str)]) {
        let ordered = edits.windows(2).all(|w| w[1].0.end <= w[0].0.start)
            && edits.iter().all(|(r, _)| r.start <= r.end);
        if !ordered || edits.len() < EDITS_APART {
            for (r, new_text) in edits {
                self.edit(r.clone(), new_text);
            }
            return;
        }
        let grown: usize = edits.iter().map(|(_, t)| t.len()).sum();
        let mut text = String::with_capacity(self.text.len() + grown);
        let mut at = 0;
        for (r, new_text) in edits.iter().rev() {
            text.push_str(&self.text[at..r.start]);
            text.push_str(new_text);
            at = r.end;
        }
        text.push_str(&self.text[at..]);
        for (r, new_text) in edits {
            self.pending = Some(compose(self.pending, r.start, r.end, new_text.len()));
            self.outline_changed(r.start, r.end, new_text.len());
        }
        self.lines = Lines::new(&text);
        self.directives = Directives::new(&text);
        self.text = text;
    }

    /// Records for the outline that the current `a..b` became `len` bytes.
    fn outline_changed(&mut self, a: usize, b: usize, len: usize) {
        let full = self.outline_pending.len() >= OUTLINE_WINDOWS;
        match self.outline_pending.last_mut() {
            Some(last) if full || (a <= last.new_end && b >= last.start) => {
                *last = compose(Some(*last), a, b, len);
            }
            _ => self.outline_pending.push(compose(None, a, b, len)),
        }
    }

    /// The findings for the current text, exactly as
    /// [`Analyzer::analyze`] gives them.
    pub fn findings(&mut self, analyzer: &Analyzer) -> Vec<Finding> {
        self.findings_shown(analyzer, usize::MAX)
            .shown
            .findings
            .into_iter()
            .map(Cow::into_owned)
            .collect()
    }

    /// The first `limit` of [`Session::findings`], and how many are left
    /// out, without copying them: those the session keeps are lent, and
    /// the rest are counted, not collected (a keystroke in a draft of a
    /// million placeholders must cost no more than the thousand the
    /// editor is shown).
    pub fn findings_shown(&mut self, analyzer: &Analyzer, limit: usize) -> Found<'_> {
        self.sync(analyzer);
        let this = &*self;
        Found {
            shown: super::Shown::first(limit, this.assembled(analyzer)),
            text: &this.text,
            lines: &this.lines,
        }
    }

    /// [`Session::findings_shown`] of the findings touching `wanted` (at
    /// either end too): a code action's.
    pub fn findings_touching(
        &mut self,
        analyzer: &Analyzer,
        wanted: Range<usize>,
        limit: usize,
    ) -> Found<'_> {
        self.sync(analyzer);
        let this = &*self;
        let touching = this
            .assembled_from(analyzer, wanted.start)
            .take_while(|f| f.range.start <= wanted.end)
            .filter(|f| wanted.start <= f.range.end);
        Found {
            shown: super::Shown::first(limit, touching),
            text: &this.text,
            lines: &this.lines,
        }
    }

    /// [`Analyzer::missing_frame_fixes`] from the blocks the session keeps.
    pub fn missing_frame_fixes(&mut self, analyzer: &Analyzer, wanted: Range<usize>) -> Vec<Fix> {
        self.sync(analyzer);
        let c = self.cache.as_ref().expect("analysed");
        let blocks = c.blocks.iter().map(|(b, _)| b);
        let missing = blocks::missing_frames(blocks, analyzer.canon, wanted);
        analyzer.frame_fixes(&self.text, self.kind, missing)
    }

    /// The first finding whose range holds `offset` (at either end too),
    /// as found in [`Session::findings`].
    pub fn finding_at(&mut self, analyzer: &Analyzer, offset: usize) -> Option<Finding> {
        self.sync(analyzer);
        self.assembled_from(analyzer, offset)
            .take_while(|f| f.range.start <= offset)
            .find(|f| offset <= f.range.end)
            .map(Cow::into_owned)
    }

    /// The cached findings, in order, suppressions applied: call
    /// [`Session::sync`] first.
    fn assembled<'a>(&'a self, analyzer: &Analyzer) -> impl Iterator<Item = Cow<'a, Finding>> {
        self.assembled_from(analyzer, 0)
    }

    /// [`Session::assembled`] without those that end before `from` (and
    /// perhaps with a few more): what a code action or a hover there needs,
    /// without walking every finding above it. A placeholder or a token
    /// lies in one line (unless an extra look-alike holds a line break),
    /// and a block's findings in the block.
    fn assembled_from<'a>(
        &'a self,
        analyzer: &Analyzer,
        from: usize,
    ) -> impl Iterator<Item = Cow<'a, Finding>> {
        let c = self.cache.as_ref().expect("analysed");
        let code = c.parsed.as_ref().map_or(&[][..], |p| &p.code[..]);
        let line_start = if line_local(analyzer) {
            self.lines.range(&self.text, self.lines.line_of(from)).start
        } else {
            0
        };
        let local = |list: &'a [Finding]| {
            list[list.partition_point(|f| f.range.start < line_start)..]
                .iter()
                .map(Cow::Borrowed)
        };
        let start = c.blocks.partition_point(|(b, _)| b.range.end < from);
        // A block's `duplicate-frame` names an earlier block: found over
        // them all, kept from `start` on, each among its block's own on
        // its opener (after an unknown role's there).
        let mut repeats = analyzer
            .repeated_findings(&self.lines, &c.blocks, |(b, _)| b)
            .into_iter()
            .filter(move |(i, _)| *i >= start)
            .peekable();
        let blocks = c.blocks[start..]
            .iter()
            .enumerate()
            .flat_map(move |(k, (_, f))| {
                let repeat = repeats.next_if(|(i, _)| *i == start + k).map(|(_, r)| r);
                let before = repeat.as_ref().map_or(0, |r| super::repeat_at(f, r));
                f[..before]
                    .iter()
                    .map(Cow::Borrowed)
                    .chain(repeat.map(Cow::Owned))
                    .chain(f[before..].iter().map(Cow::Borrowed))
            });
        analyzer.assemble(
            &self.text,
            &self.lines,
            &self.directives,
            code,
            &c.ctx,
            local(&c.local.placeholders),
            local(&c.local.tokens),
            blocks,
        )
    }

    /// The outline of the current text (exactly [`Analyzer::outline`]'s),
    /// from the blocks and code the analysis keeps: after a keystroke only
    /// what the keystroke touched is parsed again.
    pub fn outline(&mut self, analyzer: &Analyzer) -> Outlined<'_> {
        self.sync(analyzer);
        let c = self.cache.as_ref().expect("analysed");
        let windows = std::mem::take(&mut self.outline_pending);
        if windows.is_empty() && self.outline_cache.current {
            return self.outlined();
        }
        let code = c.parsed.as_ref().map_or(&[][..], |p| &p.code[..]);
        // Old outlines of blocks wholly before the edits, or wholly after
        // them (shifted), are kept when the block is found the same again.
        let OutlineCache {
            keys,
            outline,
            serials,
            ..
        } = std::mem::take(&mut self.outline_cache);
        let mut old = keys
            .into_iter()
            .zip(outline.blocks.into_iter().zip(serials))
            .filter_map(|(mut b, (mut o, serial))| {
                // Each window is in the offsets the ones before it left.
                for w in &windows {
                    if b.range.start > w.old_end {
                        shift_block(&mut b, w);
                        o.shift(w.new_end as isize - w.old_end as isize);
                    } else if b.range.end >= w.start {
                        return None;
                    }
                }
                Some((b, (o, serial)))
            })
            .peekable();
        let md = self.kind == DocKind::Markdown;
        let mut fresh = OutlineCache {
            current: true,
            keys: Vec::with_capacity(c.blocks.len()),
            serials: Vec::with_capacity(c.blocks.len()),
            outline: super::outline::Outline {
                blocks: Vec::with_capacity(c.blocks.len()),
            },
        };
        // An unread heading holds no goals (as in `Analyzer::outline`).
        for (b, _) in c.blocks.iter().filter(|(b, _)| !b.unread) {
            while old
                .peek()
                .is_some_and(|(o, _)| o.range.start < b.range.start)
            {
                old.next();
            }
            let (key, (block, serial)) = match old.peek() {
                Some((o, _)) if o == b => old.next().expect("peeked"),
                _ => (
                    b.clone(),
                    (
                        analyzer.outline_block(&self.text, md, &self.lines, code, b),
                        next_serial(),
                    ),
                ),
            };
            fresh.keys.push(key);
            fresh.serials.push(serial);
            fresh.outline.blocks.push(block);
        }
        self.outline_cache = fresh;
        self.outlined()
    }

    fn outlined(&self) -> Outlined<'_> {
        Outlined {
            outline: &self.outline_cache.outline,
            text: &self.text,
            lines: &self.lines,
            serials: &self.outline_cache.serials,
        }
    }

    /// Brings the cache up to date with the text, the canon and the
    /// settings.
    fn sync(&mut self, analyzer: &Analyzer) {
        let canon = analyzer.canon.generation();
        let valid = self
            .cache
            .as_ref()
            .is_some_and(|c| c.canon == canon && c.settings == *analyzer.settings)
            && line_local(analyzer);
        // Lent to the passes, which take the session mutably.
        let lines = std::mem::take(&mut self.lines);
        let pending = self.pending.take();
        let metadata_changed = match (self.cache.as_mut(), pending) {
            (Some(c), Some(w)) => c.ctx.changed_by(&self.text, self.kind, w.start..w.new_end),
            _ => false,
        };
        match (valid, pending) {
            (true, Some(_)) if metadata_changed => self.full(analyzer, &lines),
            (true, Some(w)) => self.update(analyzer, &lines, w),
            (true, None) => {}
            (false, _) => self.full(analyzer, &lines),
        }
        self.lines = lines;
    }

    fn full(&mut self, analyzer: &Analyzer, lines: &Lines) {
        // The canon or the settings (extra look-alikes) may have changed.
        self.outline_cache.clear();
        self.outline_pending.clear();
        let text = &self.text;
        let mut memo = Memo::default();
        let parsed = (self.kind == DocKind::Markdown && markdown::may_have_code(text))
            .then(|| markdown::parse(text, 0));
        let code = parsed.as_ref().map_or(&[][..], |p| &p.code[..]);
        let ctx = DocContext::read(text, self.kind, analyzer.settings.cycle.as_ref());
        let local = analyzer.local(text, 0..text.len(), &mut memo);
        let blocks = blocks::find(text, self.kind, lines, code)
            .into_iter()
            .map(|b| {
                let f = analyzer
                    .block_findings(text, self.kind, code, lines, &b, &ctx.cycle, &mut memo);
                (b, f)
            })
            .collect();
        self.cache = Some(Cache {
            canon: analyzer.canon.generation(),
            settings: analyzer.settings.clone(),
            parsed,
            local,
            ctx,
            blocks,
            memo,
        });
    }

    fn update(&mut self, analyzer: &Analyzer, lines: &Lines, w: Window) {
        let text = &self.text;
        let kind = self.kind;
        let mut c = self.cache.take().expect("valid cache");

        // Code, and the region `touched` where it may have changed.
        let (parsed, touched) = if kind != DocKind::Markdown {
            (None, w.start..w.new_end)
        } else if !markdown::may_have_code(text) {
            let had = c.parsed.as_ref().is_some_and(|p| !p.code.is_empty());
            (
                None,
                if had {
                    0..text.len()
                } else {
                    w.start..w.new_end
                },
            )
        } else {
            match c.parsed.take() {
                Some(old) => update_code(old, text, &w),
                None => (Some(markdown::parse(text, 0)), 0..text.len()),
            }
        };
        let code = parsed.as_ref().map_or(&[][..], |p| &p.code[..]);
        // Code that changed beyond the edit (a fence opened or closed far
        // from it) changes what the blocks there hold: their outlines are
        // made again too, as if that stretch had been edited.
        let code_beyond =
            (touched.start < w.start || touched.end > w.new_end).then(|| touched.clone());

        // Placeholders and tokens on the window's lines.
        let line_start = text[..w.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end_new = text[w.new_end..]
            .find('\n')
            .map_or(text.len(), |i| w.new_end + i);
        let line_end_old = line_end_new + w.old_end - w.new_end;
        let fresh = analyzer.local(text, line_start..line_end_new, &mut c.memo);
        for (old, new) in [
            (&mut c.local.placeholders, fresh.placeholders),
            (&mut c.local.tokens, fresh.tokens),
        ] {
            let before = old.partition_point(|f| f.range.start < line_start);
            let after = old.partition_point(|f| f.range.start <= line_end_old);
            for f in &mut old[after..] {
                shift_finding(f, &w);
            }
            // In place: the findings after the edit move in memory only
            // when the edit changed how many there are before them.
            old.splice(before..after, new);
        }

        // Blocks: re-scan from the last marker before `touched` to the
        // first old marker after it.
        let lo = touched.start.min(w.start);
        let hi = touched.end.max(w.new_end);
        let delta_map = |at: usize| at + w.old_end - w.new_end; // new → old, past the window
        let reset = c
            .blocks
            .iter()
            .rposition(|(b, _)| b.by_marker && b.opener.end < lo)
            .unwrap_or(0);
        let first_line = match c.blocks.get(reset) {
            Some((b, _)) if b.by_marker && b.opener.end < lo => lines.line_of(b.opener.start),
            _ => 0,
        };
        let keep_before = if first_line == 0 { 0 } else { reset };
        let old_markers: Vec<usize> = c
            .blocks
            .iter()
            .filter(|(b, _)| b.by_marker)
            .map(|(b, _)| b.opener.start)
            .collect();
        let (scanned, stop) = blocks::find_from(text, kind, lines, code, first_line, |p| {
            p >= hi && old_markers.binary_search(&delta_map(p)).is_ok()
        });
        let mut old_blocks = std::mem::take(&mut c.blocks);
        let tail_from = match stop {
            Some(p) => old_blocks.partition_point(|(b, _)| b.opener.start < delta_map(p)),
            None => old_blocks.len(),
        };
        let mut tail = old_blocks.split_off(tail_from);
        let middle = old_blocks.split_off(keep_before);
        let mut blocks_out = old_blocks;
        // Old blocks of the re-scanned stretch whose text and code did not
        // change keep their findings.
        let mut reusable = middle
            .into_iter()
            .filter(|(b, _)| b.range.end <= lo || b.range.start >= hi + w.old_end - w.new_end)
            .map(|(mut b, mut f)| {
                if b.range.start >= lo {
                    shift_block(&mut b, &w);
                    for x in &mut f {
                        shift_finding(x, &w);
                    }
                }
                (b, f)
            })
            .peekable();
        for b in scanned {
            // Both lists are in document order.
            while reusable
                .peek()
                .is_some_and(|(o, _)| o.range.start < b.range.start)
            {
                reusable.next();
            }
            let unchanged = b.range.end <= lo || b.range.start >= hi;
            let reused = if unchanged && reusable.peek().is_some_and(|(o, _)| *o == b) {
                reusable.next().map(|(_, f)| f)
            } else {
                None
            };
            let findings = match reused {
                Some(f) => f,
                None => {
                    analyzer.block_findings(text, kind, code, lines, &b, &c.ctx.cycle, &mut c.memo)
                }
            };
            blocks_out.push((b, findings));
        }
        for (b, f) in &mut tail {
            shift_block(b, &w);
            for x in f.iter_mut() {
                shift_finding(x, &w);
            }
        }
        blocks_out.append(&mut tail);
        c.blocks = blocks_out;
        c.parsed = parsed;
        self.cache = Some(c);
        if let Some(r) = code_beyond {
            self.outline_changed(r.start, r.end, r.len());
        }
    }
}

/// The code of the edited text from the old parse: re-parses from the last
/// sync point before the window to the first old sync point after it at
/// which the new parse starts a top-level block too. Returns the new parse
/// and the region that was re-parsed.
fn update_code(old: Parsed, text: &str, w: &Window) -> (Option<Parsed>, Range<usize>) {
    let delta_new = |at: usize| at + w.new_end - w.old_end;
    let edit_line = text[..w.start].rfind('\n').map_or(0, |i| i + 1);
    let si = old.syncs.partition_point(|&s| s < edit_line);
    let s = if si == 0 { 0 } else { old.syncs[si - 1] };
    let keep = if si == 0 { 0 } else { si - 1 };
    // Old sync points whose blank line before them is untouched.
    let first_cand = old.syncs.partition_point(|&c| c < w.old_end + 2);
    let mut span = 0usize;
    let mut found = None;
    for (ci, &c) in old.syncs.iter().enumerate().skip(first_cand) {
        let blank_start = old_prev_line_start(text, delta_new(c));
        if blank_start < delta_new(w.old_end) + 1 {
            continue;
        }
        let cn = delta_new(c);
        if cn - s < 2 * span {
            continue;
        }
        span = cn - s;
        if !markdown::is_sync(text, cn) {
            continue;
        }
        let end = text[cn..].find('\n').map_or(text.len(), |i| cn + i + 1);
        let p = markdown::parse(&text[s..end], s);
        if p.syncs.binary_search(&cn).is_ok() {
            found = Some((ci, cn, p));
            break;
        }
    }
    let (ci, cn, p) = match found {
        Some(x) => x,
        None => {
            let p = markdown::parse(&text[s..], s);
            (old.syncs.len(), text.len(), p)
        }
    };
    let mut code: Vec<Range<usize>> = old
        .code
        .iter()
        .take_while(|r| r.end <= s)
        .cloned()
        .collect();
    code.extend(p.code.into_iter().filter(|r| r.start < cn));
    let old_c = old.syncs.get(ci).copied().unwrap_or(usize::MAX);
    code.extend(
        old.code
            .iter()
            .filter(|r| r.start >= old_c)
            .map(|r| delta_new(r.start)..delta_new(r.end)),
    );
    let mut syncs: Vec<usize> = old.syncs[..keep].to_vec();
    syncs.extend(p.syncs.into_iter().filter(|&x| x < cn));
    syncs.extend(
        old.syncs[ci.min(old.syncs.len())..]
            .iter()
            .map(|&x| delta_new(x)),
    );
    let open_at_end = false;
    (
        Some(Parsed {
            code,
            syncs,
            open_at_end,
        }),
        s..cn,
    )
}

/// The start of the line before the line starting at `at`.
fn old_prev_line_start(text: &str, at: usize) -> usize {
    if at < 2 {
        return 0;
    }
    text[..at - 1].rfind('\n').map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::Rng;
    use crate::canon::load_embedded;

    /// Pieces whose insertion or removal changes code, blocks, tokens,
    /// placeholders and drift in every way the analysis knows.
    const PIECES: &[&str] = &[
        "\n",
        "\n\n",
        "`",
        "```\n",
        "~~~",
        "    ",
        "\t",
        "<!--",
        "-->",
        "# ",
        "## ",
        "- ",
        "> ",
        "⟨target⟩",
        "⟨",
        "⟩",
        "<date>",
        "{{baseline}}",
        "@ae/p2",
        "@zz/p2",
        "@ae/p9",
        "\"",
        "Deliver: \"",
        "x",
        "really ",
        "中文",
        "😀",
        "|",
        "\n<!-- goalframe: ae/P2 smart -->\n",
        "\n<!-- goalframe-disable-next-line -->\n",
        "\n## SMART goals — Account Executive / Field Sales — P2\n",
        "\n## OKRs - Account Executive / Field Sales - P2\n",
        " --- ",
        "\u{2013}",
        "\nOKRs — Account Executive / Field Sales — P2\n---\n",
        "\n===\n",
        "\n---\n",
        "[a]: /u\n",
        "1. ",
        "\r\n",
    ];

    fn seed_doc() -> String {
        let canon = load_embedded().expect("default canon");
        let ral = canon.role_at("ae", "P2").expect("seed");
        let md = crate::render::render_insert(
            ral,
            crate::render::Selection::All,
            crate::render::Form {
                markup: crate::render::Markup::Markdown,
                snippet: false,
            },
        )
        .expect("render");
        let drifted = md.replacen("Manages the entire", "Manages the whole", 1);
        format!(
            "# Review 😀\n\nNotes with `⟨target⟩` and @ae/p2 and @nobody/p2.\n\n{md}\n\n```\n⟨date⟩\n```\n\n- a\n\n  b ⟨baseline⟩\n\n{drifted}\n\n> quote ⟨x⟩\n\n    indented ⟨target⟩\n\ntext 中文 <target>\n"
        )
    }

    fn check(kind: DocKind, seed: u64, steps: usize) {
        let canon = load_embedded().expect("default canon");
        let settings = Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        let mut rng = Rng::new(seed);
        let mut session = Session::new(seed_doc(), kind);
        assert_eq!(
            session.findings(&analyzer),
            analyzer.analyze(session.text(), kind)
        );
        for step in 0..steps {
            // One to three edits between two analyses.
            for _ in 0..1 + rng.below(3) {
                let len = session.text().len();
                let mut a = rng.below(len + 1);
                while !session.text().is_char_boundary(a) {
                    a -= 1;
                }
                let mut b = (a + rng.below(12)).min(len);
                if rng.below(2) == 0 {
                    b = a;
                }
                while !session.text().is_char_boundary(b) {
                    b += 1;
                }
                let piece = if rng.below(4) == 0 {
                    ""
                } else {
                    PIECES[rng.below(PIECES.len())]
                };
                session.edit(a..b, piece);
            }
            let want = analyzer.analyze(session.text(), kind);
            let got = session.findings(&analyzer);
            assert_eq!(
                got,
                want,
                "{kind:?} seed {seed} step {step}: incremental differs from full on\n{}",
                session.text()
            );
            // What an editor is shown: the first of them and a count of
            // the rest, and the one under a hover.
            let limit = rng.below(want.len() + 2);
            let found = session.findings_shown(&analyzer, limit);
            let shown: Vec<&Finding> = found.shown.findings.iter().map(|f| f.as_ref()).collect();
            let omitted = want.get(limit).map(|f| super::super::Omitted {
                count: want.len() - limit,
                first: f.range.clone(),
            });
            assert_eq!(shown, want.iter().take(limit).collect::<Vec<_>>());
            assert_eq!(found.shown.omitted, omitted, "seed {seed} step {step}");
            let at = rng.below(session.text().len() + 1);
            let under = want
                .iter()
                .find(|f| f.range.start <= at && at <= f.range.end);
            assert_eq!(session.finding_at(&analyzer, at).as_ref(), under);
            // And those a code action's range touches.
            let to = (at + rng.below(80)).min(session.text().len());
            let touching: Vec<&Finding> = want
                .iter()
                .filter(|f| f.range.start <= to && at <= f.range.end)
                .collect();
            let found = session.findings_touching(&analyzer, at..to, usize::MAX);
            let got: Vec<&Finding> = found.shown.findings.iter().map(|f| f.as_ref()).collect();
            assert_eq!(got, touching, "seed {seed} step {step} at {at}..{to}");
        }
    }

    /// Many edits at once, from the bottom up, leave what they leave one at
    /// a time: the text, its index, and the findings and outline a full
    /// analysis gives.
    #[test]
    fn many_edits_at_once_are_the_edits_one_at_a_time() {
        let canon = load_embedded().expect("default canon");
        let settings = Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        for seed in 0..24 {
            let kind = if seed % 3 == 0 {
                DocKind::Text
            } else {
                DocKind::Markdown
            };
            let mut rng = Rng::new(seed);
            let mut one = Session::new(seed_doc(), kind);
            let mut many = Session::new(seed_doc(), kind);
            for step in 0..12 {
                let mut edits: Vec<(Range<usize>, &str)> = Vec::new();
                let mut below = one.text().len();
                for _ in 0..1 + rng.below(40) {
                    let mut b = rng.below(below + 1);
                    while !one.text().is_char_boundary(b) {
                        b -= 1;
                    }
                    let mut a = b - rng.below(b.min(9) + 1);
                    while !one.text().is_char_boundary(a) {
                        a -= 1;
                    }
                    let piece = PIECES[rng.below(PIECES.len())];
                    edits.push((a..b, if rng.below(4) == 0 { "" } else { piece }));
                    below = a;
                }
                for (r, t) in &edits {
                    one.edit(r.clone(), t);
                }
                many.edit_many(&edits);
                assert_eq!(one.text(), many.text(), "seed {seed} step {step}");
                assert_eq!(one.lines(), many.lines());
                let want = analyzer.analyze(many.text(), kind);
                assert_eq!(many.findings(&analyzer), want, "seed {seed} step {step}");
                let fresh = analyzer.outline(many.text(), kind, &Lines::new(many.text()));
                assert_eq!(many.outline(&analyzer).outline, &fresh);
            }
        }
    }

    /// Typing in the first line of a document without metadata (its title)
    /// is not analysed afresh, but the first line's end moves: an edit
    /// beyond where it was, that makes the line open front matter, must
    /// still be seen.
    #[test]
    fn a_first_line_that_grew_and_then_opens_front_matter_is_seen() {
        let canon = crate::canon::load_embedded().expect("default canon");
        let settings = crate::config::Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        let mut session = Session::new("a\nowner: ⟨target⟩\n---\n".into(), DocKind::Markdown);
        let full = |s: &Session| analyzer.analyze(s.text(), DocKind::Markdown);
        assert_eq!(session.findings(&analyzer).len(), 1, "the placeholder");
        session.edit(0..0, "---bc");
        assert_eq!(session.findings(&analyzer), full(&session));
        session.edit(3..6, "");
        assert_eq!(session.text(), "---\nowner: ⟨target⟩\n---\n");
        assert_eq!(session.findings(&analyzer), full(&session));
        // Read as front matter now: its value, not a placeholder.
        let codes: Vec<crate::diagnostic::Code> = full(&session).iter().map(|f| f.code).collect();
        assert_eq!(codes, [crate::diagnostic::Code::InvalidMetadata]);
    }

    /// Found by the `session_edits` fuzz target: an indented code block
    /// on a markdown document's first line, or in a list item's first line,
    /// was not seen as code.
    #[test]
    fn a_document_that_opens_with_indented_code_is_analysed_as_in_full() {
        let canon = crate::canon::load_embedded().expect("default canon");
        let settings = crate::config::Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        for text in [
            "    ⟨target⟩",
            "    ⟨target⟩\n\nx ⟨date⟩",
            "x\r    ⟨target⟩",
            "-     ⟨target⟩",
            "> -     ⟨target⟩",
        ] {
            let mut session = Session::new(text.to_string(), DocKind::Markdown);
            let want = analyzer.analyze(text, DocKind::Markdown);
            assert_eq!(session.findings(&analyzer), want, "{text:?}");
        }
    }

    /// Found by the property test once its pieces held front matter: a
    /// markdown document opening with `---` that nothing closed got a
    /// closing line far below, which made everything above it front matter
    /// (its placeholders no longer findings, its YAML judged), and the
    /// session, looking only near the top, kept the old findings.
    #[test]
    fn a_line_that_closes_front_matter_far_below_is_seen() {
        let canon = crate::canon::load_embedded().expect("default canon");
        let settings = crate::config::Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        for (text, insert, before) in [
            ("---\nowner: a\n\nx ⟨target⟩\n\ny ⟨date⟩\n", "---\n", "y "),
            (
                "---\r\nowner: [\r\n\r\nx ⟨target⟩\r\ny ⟨date⟩\r\n",
                "...\r\n",
                "y ",
            ),
            ("---\nx ⟨target⟩\n--\ny ⟨date⟩\n", "-", "\ny "),
        ] {
            let mut session = Session::new(text.to_string(), DocKind::Markdown);
            let _ = session.findings(&analyzer);
            let at = text.find(before).expect("the place");
            session.edit(at..at, insert);
            let want = analyzer.analyze(session.text(), DocKind::Markdown);
            assert_eq!(session.findings(&analyzer), want, "{:?}", session.text());
            let x = text.find('x').expect("x");
            assert!(
                want.iter()
                    .all(|f| f.code != super::super::Code::UnfilledPlaceholder || f.range.start > x),
                "the placeholder above the fence is front matter now: {want:?}"
            );
        }
    }

    /// Found by the property test once it compared outlines too: an edit
    /// that changes the code far below it (here, joining `<!--` to the
    /// line before it, so it no longer opens an HTML block, and the fence
    /// below opens code) changes what a block there holds, though the
    /// block itself is found the same; the session kept its old outline.
    #[test]
    fn code_that_changes_below_an_edit_is_outlined_again() {
        let canon = crate::canon::load_embedded().expect("default canon");
        let settings = crate::config::Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        let fresh = |t: &str| analyzer.outline(t, DocKind::Markdown, &Lines::new(t));
        let text = "# Review\n\nIntro\n<!--\n## SMART goals — Account Executive / Field Sales — P2\n```\n1. Area: x\n";
        let mut session = Session::new(text.to_string(), DocKind::Markdown);
        let _ = session.findings(&analyzer);
        assert_eq!(session.outline(&analyzer).outline, &fresh(text));
        let at = text.find("\n<").expect("the line before the comment");
        session.edit(at..at + 1, "");
        let _ = session.findings(&analyzer);
        let now = session.text().to_string();
        assert_ne!(fresh(&now), fresh(text), "the edit changes the outline");
        assert_eq!(session.outline(&analyzer).outline, &fresh(&now));
    }

    #[test]
    fn incremental_equals_full_on_random_edits() {
        for seed in 0..8 {
            check(DocKind::Markdown, seed, 50);
        }
        for seed in 0..4 {
            check(DocKind::Text, seed, 40);
        }
    }
}
