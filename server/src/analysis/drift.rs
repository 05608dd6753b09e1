//! Drift: quoted canon text inside a block that no longer matches the
//! canon, found by the template words before each quote, with the canon
//! text it most likely was.

use std::collections::HashMap;
use std::ops::Range;

use crate::canon::{RoleAtLevel, RoleLevelId, RUBRIC_COMPLEXITY, RUBRIC_KNOWLEDGE};

use super::blocks::Block;
use super::markdown;
use super::scan::trim_start;
use super::similarity::{best_match, SIMILAR};
use super::DocKind;
use crate::lines::Lines;
use crate::render::template::{after_list_marker, CURLY_CLOSE, CURLY_OPEN, QUOTE, TEXT_BULLET};

/// Which canon strings a quoted row may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    Responsibility,
    Rubric,
    Dimension,
}

impl Quote {
    fn noun(self) -> &'static str {
        match self {
            Quote::Responsibility => "responsibility",
            Quote::Rubric => "rubric",
            Quote::Dimension => "level dimension",
        }
    }
}

/// The words before each kind of quoted row's opening quote, as the
/// templates write them, and which canon text the row holds.
struct Opener {
    /// The words before the opening quote mark (`Deliver: `).
    lead: String,
    /// The byte before the words' `: `: a quote after another byte is not
    /// this opener's, found without comparing the words.
    key: u8,
    quote: Quote,
    /// The rubric a rubric row names.
    rubric: Option<&'static str>,
}

const OPENER_COUNT: usize = 5;

static OPENERS: std::sync::LazyLock<[Opener; OPENER_COUNT]> = std::sync::LazyLock::new(|| {
    use crate::render::template::{ACHIEVABLE, BAR, DELIVER, STANDARD, TIED_TO};
    let opener = |lead: &str, quote, rubric| Opener {
        key: lead.len().checked_sub(3).map_or(0, |i| lead.as_bytes()[i]),
        lead: lead.to_string(),
        quote,
        rubric,
    };
    [
        opener(DELIVER, Quote::Responsibility, None),
        opener(TIED_TO, Quote::Responsibility, None),
        opener(ACHIEVABLE, Quote::Rubric, Some(RUBRIC_COMPLEXITY)),
        opener(STANDARD, Quote::Rubric, Some(RUBRIC_KNOWLEDGE)),
        opener(BAR, Quote::Dimension, None),
    ]
});

/// The last byte of `“` (E2 80 9C), the opening quote a word processor
/// puts for `"`.
const CURLY_LAST: u8 = CURLY_OPEN.as_bytes()[CURLY_OPEN.len() - 1];

/// The opening and closing quote marks: `"` and `"`, or (`CURLY`, a
/// block of typographic quotes) `“` and `”`. Their last bytes are what
/// the searches look for.
const fn marks(curly: bool) -> (&'static str, &'static str) {
    if curly {
        (CURLY_OPEN, CURLY_CLOSE)
    } else {
        (QUOTE, QUOTE)
    }
}

/// The quoted canon texts on one line: (kind, byte range of the text
/// between the quotes), found by the fixed template words before them.
/// `CURLY`: the quotes are typographic (`“…”`). `from`: the line has no
/// opening mark before it (the caller found its first).
fn quotes<const CURLY: bool>(
    line: &str,
    from: usize,
    kind: DocKind,
    out: &mut Vec<(Quote, Row, Range<usize>)>,
) {
    out.clear();
    let openers = &*OPENERS;
    let (open_mark, _) = marks(CURLY);
    let last = open_mark.as_bytes()[open_mark.len() - 1];
    // Every opener's words end in `: ` (a test holds the templates to it):
    // one pass over the quote marks finds each opener's first occurrence,
    // as `line.find(open)` would.
    let mut first = [None; OPENER_COUNT];
    let bytes = line.as_bytes();
    for p in memchr::memchr_iter(last, &bytes[from..]).map(|p| p + from) {
        // Where the mark starts, after the opener's words and their `: `.
        let Some(mark) = (p + 1).checked_sub(open_mark.len()) else {
            continue;
        };
        if mark < 3
            || &bytes[mark - 2..mark] != b": "
            || (CURLY && !bytes[mark..].starts_with(open_mark.as_bytes()))
        {
            continue;
        }
        let head = &line[..mark];
        let key = bytes[mark - 3];
        for (slot, open) in first.iter_mut().zip(openers) {
            if slot.is_none() && open.key == key && head.ends_with(&open.lead) {
                *slot = Some(p + 1);
            }
        }
    }
    for (i, open) in openers.iter().enumerate() {
        if let Some(start) = first[i] {
            // A quote closes before the next opener's mark: two rows run
            // into one line (`… bar: "…" — 20 by … KR1. … tied to: "…"`)
            // hold two quotes, not one from the first mark to the last.
            // Where none closes so (`… tied to: "…"  - **KR2.** … bar:
            // "…" — …`), the quote is taken to run on to the last, and
            // its restore is left to the writer (`mod.rs`: its marks).
            let next = first.iter().flatten().filter(|&&s| s > start).min();
            let limit = next.map_or(line.len(), |&s| s - open_mark.len());
            let end = closing_quote::<CURLY>(line, start, limit)
                .or_else(|| closing_quote::<CURLY>(line, start, line.len()));
            if let Some(end) = end {
                let row = match open.rubric {
                    Some(key) => Row::Rubric(key),
                    None => Row::Nth(i),
                };
                out.push((open.quote, row, start..end));
            }
        }
    }
    // A scorecard row: the layout's bullet (in markdown, any list
    // marker), then the quote. (In text, a line of canon text may start
    // with `- "`; the bullet is indented.)
    let after_bullet = match kind {
        DocKind::Markdown => after_list_marker(line),
        DocKind::Text => line.strip_prefix(TEXT_BULLET),
    };
    if let Some(rest) = after_bullet.and_then(|r| r.strip_prefix(open_mark)) {
        let start = line.len() - rest.len();
        if let Some(end) = closing_quote::<CURLY>(line, start, line.len()) {
            out.push((Quote::Responsibility, Row::Nth(openers.len()), start..end));
        }
    }
}

/// Which canon text a quoted row stood for when it was inserted: the
/// rubric its template names, or the n-th text of its kind (rows keep the
/// canon's order), counted per row template within a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Rubric(&'static str),
    Nth(usize),
}

/// The `"` that closes a quote opened before `start` (`”` for `CURLY`):
/// the last one before byte `limit` that is followed by the end of the
/// line or by the template text that follows quotes (` — `, `  →`, and
/// ` |` in a table row only: elsewhere ` |` can be canon text, e.g. in a
/// row's `[source: …]` label).
fn closing_quote<const CURLY: bool>(line: &str, start: usize, limit: usize) -> Option<usize> {
    use crate::render::template::{ARROW_MARK, SEP};
    let table_row = trim_start(line).starts_with('|');
    let (_, close) = marks(CURLY);
    let last = close.as_bytes()[close.len() - 1];
    // From the end: the first that qualifies is the last one.
    let bytes = line.as_bytes();
    let mut end = limit;
    while let Some(i) = memchr::memrchr(last, &bytes[start..end]) {
        end = start + i;
        let Some(at) = (start + i + 1)
            .checked_sub(close.len())
            .filter(|&at| at >= start)
        else {
            continue;
        };
        if CURLY && !bytes[at..].starts_with(close.as_bytes()) {
            continue;
        }
        let after = &line[at + close.len()..];
        // The arrow's padding and a table cell's are layout (a formatter
        // makes the one a single space and pads the other to its column).
        let next = || after.trim_start_matches([' ', '\t']);
        if after.trim_end().is_empty()
            || after.starts_with(SEP)
            || next().starts_with(ARROW_MARK)
            || (table_row && next().starts_with('|'))
        {
            return Some(at);
        }
    }
    None
}

/// Best matches already computed: (role level, quote kind, quoted text)
/// → the most similar canon text and its score. Valid for one canon (its
/// owner, a [`super::Memo`], starts afresh with another analyzer).
#[derive(Debug, Default)]
pub struct DriftMemo {
    closest: HashMap<(RoleLevelId, u8, String), Option<(f64, usize)>>,
    /// Buffers reused from block to block.
    quotes: Vec<(Quote, Row, Range<usize>)>,
    unescaped: String,
    /// The block's goals whose titles are unquoted canon text (found by
    /// the row pass).
    pub(super) titles: Vec<super::lacking::Title>,
}

impl DriftMemo {
    pub fn len(&self) -> usize {
        self.closest.len()
    }
}

/// A quoted text that is not canon: where, and the closest canon text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub range: Range<usize>,
    pub found: String,
    /// The closest canon text of this kind, or `None` when the role level
    /// has none of this kind.
    pub closest: Option<String>,
    pub noun: &'static str,
    /// A goal's title rather than a quote: its restore is offered, never
    /// applied by `lint --fix` (a title the writer reworded is their
    /// words, and only they can say it was meant).
    pub title: bool,
}

/// The drifted quotes inside one block whose role and level resolved.
pub fn drift(
    text: &str,
    kind: DocKind,
    code: &[Range<usize>],
    lines: &Lines,
    block: &Block,
    (id, ral): (RoleLevelId, &RoleAtLevel),
    memo: &mut DriftMemo,
) -> Vec<Drift> {
    // The canon texts a quote of each kind may hold (listed only for a
    // quote that is not one of them: most blocks have none).
    let texts = |q: Quote| -> Vec<&str> {
        match q {
            Quote::Responsibility => ral.at.responsibilities().collect(),
            Quote::Rubric => ral.at.rubrics().map(|(_, v)| v).collect(),
            Quote::Dimension => ral
                .level
                .dimensions
                .iter()
                .map(|d| d.text.as_str())
                .collect(),
        }
    };
    let is_canon = |q: Quote, found: &str| match q {
        Quote::Responsibility => ral.at.responsibilities().any(|c| c == found),
        Quote::Rubric => ral.at.rubrics().any(|(_, c)| c == found),
        Quote::Dimension => ral.level.dimensions.iter().any(|d| d.text == found),
    };
    let mut out = Vec::new();
    let DriftMemo {
        closest: memo,
        quotes: found_quotes,
        unescaped,
        titles,
    } = memo;
    // Quoted rows seen so far in this block, per row template: each
    // opener, then the scorecard bullet row.
    let mut seen = [0usize; OPENER_COUNT + 1];
    // Only lines with a quote can hold a quoted row: jump from quote to
    // quote rather than walking every line. `at` is always a line start;
    // the line and code cursors only move forward.
    let bytes = text.as_bytes();
    let mut line = lines.line_of(block.range.start);
    let mut code_at = code.partition_point(|c| c.end <= block.range.start);
    let opener_end = lines.range(text, line).end;
    let end = block.range.end.max(opener_end).min(text.len());
    let mut at = block.range.start;
    // A block of typographic quotes (a frame filled in a word processor
    // and pasted back) has not one `"`: it looks for `“` alone.
    let curly = memchr::memchr(b'"', &bytes[at.min(end)..end]).is_none();
    while at < end {
        // In a block of straight quotes, a row a word processor curled
        // (pasted back from a document) is read by its own marks. (Both
        // marks are looked for in the one pass between quotes: a pass
        // of its own over the block to tell whether it holds a `“` cost
        // more.)
        let found = if curly {
            memchr::memchr(CURLY_LAST, &bytes[at..end])
        } else {
            memchr::memchr2(b'"', CURLY_LAST, &bytes[at..end])
        };
        let Some(q) = found else {
            break;
        };
        let q = at + q;
        let row_curly = bytes[q] == CURLY_LAST;
        // The byte of `“` ends other characters too.
        if row_curly && !bytes[..=q].ends_with(CURLY_OPEN.as_bytes()) {
            at = q + 1;
            continue;
        }
        line = lines.line_from(line, q);
        let r = lines.range(text, line);
        at = if line + 1 < lines.count() {
            lines.start(line + 1)
        } else {
            text.len()
        };
        if kind == DocKind::Markdown {
            while code.get(code_at).is_some_and(|c| c.end <= r.start) {
                code_at += 1;
            }
            if code.get(code_at).is_some_and(|c| c.start <= r.start) {
                continue;
            }
        }
        let row_text = &text[r.clone()];
        if row_curly {
            quotes::<true>(row_text, q - r.start, kind, found_quotes);
            // A straight quote after curly marks typed in a value.
            // (None in a block of curled quotes alone.)
            let mark = (!curly).then(|| memchr::memchr(b'"', &bytes[q..r.end]));
            if let Some(s) = mark.flatten() {
                let mut straight = Vec::new();
                quotes::<false>(row_text, q + s - r.start, kind, &mut straight);
                found_quotes.append(&mut straight);
            }
        } else {
            quotes::<false>(row_text, q - r.start, kind, found_quotes);
        }
        for (q, row, qr) in found_quotes.drain(..) {
            let nth = match row {
                Row::Nth(template) => {
                    let n = seen[template];
                    seen[template] += 1;
                    Some(n)
                }
                Row::Rubric(_) => None,
            };
            let raw = &row_text[qr.clone()];
            // Most quotes are verbatim and hold nothing to unescape.
            let escaped =
                kind == DocKind::Markdown && memchr::memchr2(b'\\', b'&', raw.as_bytes()).is_some();
            let found = if escaped {
                markdown::unescape_into(raw, unescaped);
                unescaped.as_str()
            } else {
                raw
            };
            // A handful of texts per kind: a scan beats hashing them.
            if is_canon(q, found) {
                continue;
            }
            let found = found.to_string();
            let all = texts(q);
            let key = (id, q as u8, found);
            let best = memo
                .entry(key.clone())
                .or_insert_with(|| best_match(&key.2, &all))
                .map(|(score, i)| (score, all[i]));
            let found = key.2;
            // A light edit is named by similarity; a rewrite by the row it
            // replaced, which similarity cannot know.
            let by_position = match row {
                Row::Rubric(key) => ral.at.rubric(key),
                Row::Nth(_) => nth.and_then(|n| (!all.is_empty()).then(|| all[n % all.len()])),
            };
            let closest = match (best, by_position) {
                (Some((score, c)), _) if score >= SIMILAR => Some(c),
                (_, Some(c)) => Some(c),
                (best, None) => best.map(|(_, c)| c),
            };
            out.push(Drift {
                range: r.start + qr.start..r.start + qr.end,
                found,
                closest: closest.map(str::to_string),
                noun: q.noun(),
                title: false,
            });
        }
    }
    // A goal's title is the responsibility it is built on, unquoted: an
    // edited one reached the HR system as the goal's title. `nth`: how
    // many goals of each frame came before (an `all` block has each frame
    // once).
    let mut nth = [0usize; 4];
    let count = ral.at.responsibilities().len();
    for title in titles.iter() {
        let n = nth[title.frame as usize];
        nth[title.frame as usize] += 1;
        let line = &title.line;
        // The n-th goal of a frame is built on the n-th responsibility:
        // looked at first.
        let place = n.checked_rem(count);
        let at_place = place.and_then(|k| ral.at.responsibilities().nth(k));
        if let Some(rest) = title_rest(&text[line.clone()], title.table_row) {
            let is = |t: &str| title_is(rest, t, title.table_row, kind == DocKind::Markdown);
            if at_place.is_some_and(is)
                || ral
                    .at
                    .responsibilities()
                    .enumerate()
                    .any(|(i, t)| Some(i) != place && is(t))
            {
                continue;
            }
        }
        // A title a formatter wrapped onto the next line is
        // `wrapped-row`'s: its words were not changed.
        if block.wrapped && super::wrapped::wraps_on(text, code, lines, lines.line_of(line.start)) {
            continue;
        }
        let Some(tr) = super::goals::title_in(&text[line.clone()], title.table_row) else {
            continue;
        };
        let range = line.start + tr.start..line.start + tr.end;
        let raw = &text[range.clone()];
        let found = if kind == DocKind::Markdown
            && memchr::memchr2(b'\\', b'&', raw.as_bytes()).is_some()
        {
            markdown::unescape_into(raw, unescaped);
            unescaped.as_str()
        } else {
            raw
        };
        if is_canon(Quote::Responsibility, found) || found.is_empty() {
            continue;
        }
        // A light edit is named by similarity; a rewrite by the goal's
        // place, as a quote's is.
        let all = texts(Quote::Responsibility);
        let key = (id, Quote::Responsibility as u8, found.to_string());
        let best = memo
            .entry(key.clone())
            .or_insert_with(|| best_match(&key.2, &all))
            .map(|(score, i)| (score, all[i]));
        let closest = match best {
            Some((score, c)) if score >= SIMILAR => Some(c),
            _ => at_place,
        };
        out.push(Drift {
            range,
            found: found.to_string(),
            closest: closest.map(str::to_string),
            noun: Quote::Responsibility.noun(),
            title: true,
        });
    }
    out
}

/// What follows the item number of `line`, a goal's first line (or
/// `Area: `, `Objective N: `, or a table row's first pipe): where its
/// title starts, if it is written as the renderer writes it, which almost
/// every title is ([`title_is`] tells it without reading the line as the
/// goal reader does; anything else is read in full).
fn title_rest(line: &str, table_row: bool) -> Option<&str> {
    let content = line.trim_ascii_start();
    if table_row {
        return content.strip_prefix('|').map(str::trim_ascii_start);
    }
    super::goals::after_title_lead(content)
}

/// Whether `rest` ([`title_rest`]) is the canon text `t` as the title,
/// then only white space before the `[source: …]` note (or the cell's
/// end, or the line's). In markdown, a metacharacter of `t` may be
/// escaped in `rest` (`\*`), as the renderer escapes it.
#[inline]
fn title_is(rest: &str, t: &str, table_row: bool, markdown: bool) -> bool {
    use crate::render::template::SOURCE_OPEN;
    let Some(after) = strip_canon(rest, t, markdown) else {
        return false;
    };
    let gap = after.trim_ascii_start();
    if table_row {
        return gap.starts_with('|') && gap.len() < after.len();
    }
    // The note's opener: `[source: `, or `\[source: ` in markdown.
    let note = gap.strip_prefix('\\').unwrap_or(gap);
    gap.is_empty() || (note.starts_with(SOURCE_OPEN) && gap.len() < after.len())
}

/// `rest` after the canon text `t` at its start, if it is there: as it
/// is, or (in markdown) with a backslash before an ASCII punctuation
/// character of `t`, as escaping writes it.
#[inline]
fn strip_canon<'r>(rest: &'r str, t: &str, markdown: bool) -> Option<&'r str> {
    if let Some(after) = rest.strip_prefix(t) {
        return Some(after);
    }
    if !markdown {
        return None;
    }
    let (r, t) = (rest.as_bytes(), t.as_bytes());
    let (mut i, mut j) = (0, 0);
    while j < t.len() {
        match r.get(i) {
            Some(&c) if c == t[j] => {
                i += 1;
                j += 1;
            }
            Some(b'\\') if t[j].is_ascii_punctuation() && r.get(i + 1) == Some(&t[j]) => {
                i += 2;
                j += 1;
            }
            _ => return None,
        }
    }
    // Whole characters on both sides: the bytes matched one for one,
    // backslashes aside.
    rest.get(i..)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Analyzer, Code, Finding};

    /// The default canon's `ae/P2` and its whole document, rendered in
    /// each markup, with an analyzer: what the drift tests edit.
    fn each_rendered(mut test: impl FnMut(&Analyzer, &RoleAtLevel, DocKind, &str)) {
        use crate::render::{render, Form, Markup, Selection};
        let canon = crate::canon::load_embedded().expect("default canon");
        let settings = crate::config::Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        let ral = canon.role_at("ae", "P2").expect("ae/P2");
        for (markup, kind) in [
            (Markup::Text, DocKind::Text),
            (Markup::Markdown, DocKind::Markdown),
        ] {
            let form = Form {
                markup,
                snippet: false,
            };
            let doc = render(ral, Selection::All, form).expect("every frame");
            test(&analyzer, &ral, kind, &doc);
        }
    }

    /// The `canon-drift` findings of `text`.
    fn drift_in(analyzer: &Analyzer, text: &str, kind: DocKind) -> Vec<Finding> {
        let mut found = analyzer.analyze(text, kind);
        found.retain(|f| f.code == Code::CanonDrift);
        found
    }

    /// The quote search's fast path: every opener's words end in `: `.
    #[test]
    fn every_opener_ends_in_a_colon_and_a_space() {
        for open in OPENERS.iter() {
            assert!(open.lead.ends_with(": "), "{:?}", open.lead);
            assert_eq!(open.key, open.lead.as_bytes()[open.lead.len() - 3]);
        }
    }

    /// Every goal's title (a SMART item's, an objective's, an area's, a
    /// row of the MBO table's), once edited, is reported as drift at
    /// exactly the title, naming the responsibility, with a fix that
    /// restores it and that `lint --fix` does not take; the rendered
    /// frames have none. (An edited title went to the HR system as the
    /// goal's title, and nothing said so.)
    #[test]
    fn every_goal_title_edited_is_drift_at_its_title() {
        each_rendered(|analyzer, ral, kind, doc| {
            let texts: Vec<&str> = ral.at.responsibilities().collect();
            assert_eq!(drift_in(analyzer, doc, kind), vec![], "{kind:?}");
            let mut titles = 0;
            for (i, line) in doc.lines().enumerate() {
                // A title is a responsibility not inside a quote.
                let Some(text) = texts
                    .iter()
                    .find(|t| line.find(*t).is_some_and(|at| !line[..at].ends_with('"')))
                else {
                    continue;
                };
                titles += 1;
                let line_start: usize = doc.lines().take(i).map(|l| l.len() + 1).sum();
                let at = line_start + line.find(text).expect("found");
                let word = text.find(' ').expect("a space");
                let mut edited = doc.to_string();
                edited.insert_str(at + word, " (edited)");
                let found = drift_in(analyzer, &edited, kind);
                let range = at..at + text.len() + " (edited)".len();
                assert_eq!(found.len(), 1, "{kind:?}: {line}");
                assert_eq!(found[0].range, range, "{kind:?}: {line}");
                assert!(found[0].message.contains(text), "{}", found[0].message);
                let fix = &found[0].fixes[0];
                assert!(!fix.safe, "a title's restore is the writer's to take");
                let restored = crate::analysis::apply_edits(&edited, &fix.edits);
                assert_eq!(restored, doc, "{kind:?}: {line}");
            }
            // SMART, OKR and MBO each title a goal by each responsibility.
            assert_eq!(titles, 3 * texts.len(), "{kind:?}");
        });
    }

    /// The writer's own numbered list or table under a frame (next steps,
    /// a table of their own metrics) holds no titles: the list is goals
    /// without their rows, said as such; the table is not the MBO table.
    #[test]
    fn the_writers_own_lists_and_tables_are_no_titles() {
        use crate::render::{render, Form, Markup, Selection};
        let canon = crate::canon::load_embedded().expect("default canon");
        let settings = crate::config::Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        let ral = canon.role_at("ae", "P2").expect("ae/P2");
        let form = Form {
            markup: Markup::Markdown,
            snippet: false,
        };
        for frame in [
            Selection::One(crate::render::Frame::Smart),
            Selection::One(crate::render::Frame::Mbo),
        ] {
            let mut doc = render(ral, frame, form).expect("a frame");
            doc.push_str("\n\nNext steps:\n\n1. Call the client about renewal.\n\n| Metric | Baseline | Target | Due |\n| --- | --- | --- | --- |\n| access reviews | 3.9/5 | 12 deals | 2026-06-30 |\n");
            assert_eq!(
                drift_in(&analyzer, &doc, DocKind::Markdown),
                vec![],
                "{frame:?}"
            );
        }
    }

    /// Every quoted canon text of every frame, once edited, is reported
    /// as drift at exactly its quote: the analysis finds quotes by the
    /// templates' own words. tests/run.sh also runs this on a copy of the
    /// sources whose template words are reworded.
    #[test]
    fn drift_follows_the_template_words() {
        use crate::render::template::QUOTE;
        each_rendered(|analyzer, ral, kind, doc| {
            let mut texts: Vec<&str> = ral.at.responsibilities().collect();
            texts.extend(ral.at.rubrics().map(|(_, t)| t));
            texts.extend(ral.level.dimensions.iter().map(|d| d.text.as_str()));
            let mut quoted = 0;
            for text in &texts {
                let needle = format!("{QUOTE}{text}{QUOTE}");
                for (at, _) in doc.match_indices(&needle) {
                    quoted += 1;
                    let start = at + QUOTE.len();
                    let mut edited = doc.to_string();
                    edited.insert_str(start + text.len(), " (edited)");
                    let drift: Vec<_> = drift_in(analyzer, &edited, kind)
                        .into_iter()
                        .map(|f| f.range)
                        .collect();
                    let end = start + text.len() + " (edited)".len();
                    assert_eq!(drift, vec![start..end], "{kind:?}, quote at {at}");
                }
            }
            // Each frame quotes canon text: SMART, OKR, MBO and scorecard rows.
            assert!(
                quoted >= 4 * texts.len().min(4),
                "{kind:?}: {quoted} quotes"
            );
        });
    }

    #[test]
    fn quotes_end_at_the_template_that_follows_them() {
        let l = "  - Meets the scope bar: \"a \"b\" c\"  →  ⟨target⟩ by ⟨date⟩";
        let mut q = Vec::new();
        quotes::<false>(l, 0, DocKind::Text, &mut q);
        assert_eq!(q.len(), 1);
        assert_eq!(&l[q[0].2.clone()], "a \"b\" c");
        let row = "| x | Consistent with this level's jfm knowledge-application rubric: \"k\" | ⟨target⟩ | ⟨date⟩ |";
        quotes::<false>(row, 0, DocKind::Markdown, &mut q);
        assert_eq!(&row[q[0].2.clone()], "k");
        assert_eq!(q[0].1, Row::Rubric(RUBRIC_KNOWLEDGE));
    }

    #[test]
    fn the_closing_quote_is_the_last_one_followed_by_template_text() {
        // The plain definition, for comparison.
        let last_qualifying = |line: &str, start: usize| {
            line[start..]
                .match_indices('"')
                .map(|(i, _)| start + i)
                .filter(|&at| {
                    let after = &line[at + 1..];
                    // The arrow's and a cell's padding is layout.
                    let next = after.trim_start_matches([' ', '\t']);
                    let table_row = line.trim_start().starts_with('|');
                    after.trim_end().is_empty()
                        || after.starts_with(" — ")
                        || next.starts_with('→')
                        || (table_row && next.starts_with('|'))
                })
                // Front to back, keeping the last: the definition.
                .fold(None, |_, at| Some(at))
        };
        let mut rng = crate::analysis::testing::Rng::new(5);
        let pieces = [
            "\"", "a", " — ", "  →", " |", " ", "中", "\" |", "x\"", "| ", "→", "\t",
        ];
        for _ in 0..5000 {
            let mut line = String::new();
            for _ in 0..rng.below(10) {
                line.push_str(pieces[rng.below(pieces.len())]);
            }
            for start in (0..=line.len()).filter(|&i| line.is_char_boundary(i)) {
                assert_eq!(
                    closing_quote::<false>(&line, start, line.len()),
                    last_qualifying(&line, start),
                    "{line:?} from {start}"
                );
            }
            // The same with typographic quotes: `”` closes (and `“`, or
            // a character sharing its bytes, never does).
            let curled = line
                .replace('"', "\u{201d}")
                .replace('a', "\u{201c}")
                .replace('中', "\u{1f51d}");
            let as_straight = curled.replace('\u{201d}', "\"");
            for start in (0..=curled.len()).filter(|&i| curled.is_char_boundary(i)) {
                let got = closing_quote::<true>(&curled, start, curled.len());
                if let Some(at) = got {
                    assert!(
                        curled[at..].starts_with('\u{201d}'),
                        "{curled:?} from {start}"
                    );
                }
                // Counted in characters before the mark, it is the straight
                // line's answer.
                let chars = |s: &str, at: usize| s[..at].chars().count();
                let from = as_straight
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([as_straight.len()])
                    .nth(chars(&curled, start))
                    .unwrap_or(as_straight.len());
                let want = last_qualifying(&as_straight, from);
                assert_eq!(
                    got.map(|at| chars(&curled, at)),
                    want.map(|at| chars(&as_straight, at)),
                    "{curled:?} from {start}"
                );
            }
        }
    }

    #[test]
    fn typographic_quotes_are_quotes() {
        let mut q = Vec::new();
        let l = "   Specific:    Deliver: \u{201c}Own the plan.\u{201d}";
        quotes::<true>(l, 0, DocKind::Text, &mut q);
        assert_eq!(q.len(), 1);
        assert_eq!(&l[q[0].2.clone()], "Own the plan.");
        let bullet = "- \u{201c}Own it.\u{201d}  →  ⟨target⟩ by ⟨date⟩   \\[source: x\\]";
        quotes::<true>(bullet, 0, DocKind::Markdown, &mut q);
        assert_eq!(&bullet[q[0].2.clone()], "Own it.");
        // A straight quote is not a typographic one, nor the other way.
        quotes::<true>("Deliver: \"x\"", 0, DocKind::Text, &mut q);
        assert!(q.is_empty());
        quotes::<false>("Deliver: \u{201c}x\u{201d}", 0, DocKind::Text, &mut q);
        assert!(q.is_empty());
    }
}
