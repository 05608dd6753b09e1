//! goalframe blocks: the stretches of a document that hold rows of one
//! role and level, found by marker comments (markdown) and heading lines
//! (`Goal templates — <title> — <code>`, or a frame title in its place).
//! Inside them, quoted canon text is checked for drift (docs/lsp.md).

use std::collections::HashMap;
use std::ops::Range;

use crate::canon::{Canon, RoleAtLevel, RUBRIC_COMPLEXITY, RUBRIC_KNOWLEDGE};
use crate::render::{Frame, ALL_TITLE};

use super::lines::Lines;
use super::markdown;
use super::DocKind;

/// What a block holds: a role at a level, and one frame or all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The marker or heading line that opens it.
    pub opener: Range<usize>,
    /// From the opener to the start of whatever ends it.
    pub range: Range<usize>,
    pub role: String,
    pub level: String,
    /// `None`: the `all` document's header, which holds every frame.
    pub frame: Option<Frame>,
    /// Opened by a marker comment (rather than a heading line).
    pub by_marker: bool,
}

/// A marker comment: `<!-- goalframe: <role>/<level> <frame> -->`.
pub fn parse_marker(line: &str) -> Option<(&str, &str, Option<Frame>)> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let rest = inner.strip_prefix("goalframe:")?.trim();
    let mut parts = rest.split_whitespace();
    let (role, level) = parts.next()?.split_once('/')?;
    let frame = match parts.next() {
        None | Some("all") => None,
        Some(f) => Some(Frame::ALL.into_iter().find(|x| x.key() == f)?),
    };
    (parts.next().is_none() && !role.is_empty() && !level.is_empty())
        .then_some((role, level, frame))
}

/// A heading line `<title> — <R.title> — <L.code>` (after any `#`s):
/// (frame or `None` for `Goal templates`, role title, level code).
fn parse_heading_line(line: &str) -> Option<(Option<Frame>, &str, &str)> {
    use crate::render::template::SEP;
    /// The last ` — `, found without building a searcher for each heading.
    static LAST_SEP: std::sync::LazyLock<memchr::memmem::FinderRev<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::FinderRev::new(SEP));
    let body = line.trim_start_matches('#').trim();
    // The text before the first ` — ` must be a title; no title holds
    // ` — ` or starts another, so it is the title the line starts with.
    let (frame, rest) = std::iter::once((None, ALL_TITLE))
        .chain(Frame::ALL.into_iter().map(|f| (Some(f), f.title())))
        .find_map(|(frame, title)| Some((frame, body.strip_prefix(title)?.strip_prefix(SEP)?)))?;
    let at = LAST_SEP.rfind(rest)?;
    let (role, code) = (&rest[..at], &rest[at + SEP.len()..]);
    Some((frame, role.trim(), code.trim()))
}

/// Whether a heading line (`Goal templates — …`, `SMART goals — …`) can
/// start with this byte.
fn starts_a_title(b: u8) -> bool {
    ALL_TITLE.as_bytes()[0] == b || Frame::ALL.iter().any(|f| f.title().as_bytes()[0] == b)
}

/// The rank of an ATX heading (`## x` → 2), if the line is one.
fn heading_rank(line: &str) -> Option<usize> {
    let t = line
        .strip_prefix("   ")
        .or_else(|| line.strip_prefix("  "))
        .or_else(|| line.strip_prefix(' '))
        .unwrap_or(line);
    let n = t.bytes().take_while(|&b| b == b'#').count();
    ((1..=6).contains(&n) && matches!(t.as_bytes().get(n), None | Some(b' ') | Some(b'\t')))
        .then_some(n)
}

/// Finds every block. `code` ranges (markdown code) hold none.
pub fn find(text: &str, kind: DocKind, lines: &Lines, code: &[Range<usize>]) -> Vec<Block> {
    find_from(text, kind, lines, code, 0, |_| false).0
}

/// Scans from line `first` (whose state must be fresh: the start of the
/// document or a marker line) and stops before the first marker line at
/// offset `p` for which `stop(p)` holds, returning the blocks found and
/// that offset. A marker line always closes the open block and opens a
/// new one, so what follows it does not depend on what came before.
pub fn find_from(
    text: &str,
    kind: DocKind,
    lines: &Lines,
    code: &[Range<usize>],
    first: usize,
    stop: impl Fn(usize) -> bool,
) -> (Vec<Block>, Option<usize>) {
    let mut blocks: Vec<Block> = Vec::new();
    // The open block and the rank of the heading that opened it (or of
    // the first heading after its marker).
    let mut open: Option<(Block, Option<usize>)> = None;
    let bytes = text.as_bytes();
    for i in first..lines.count() {
        // Only a heading, a marker comment or (in plain text) a line that
        // starts with a frame title can open or close a block. Most lines
        // start with a visible ASCII byte: that byte decides, unread rest.
        let may_matter = |b: u8| match b {
            b'#' | b'<' => true,
            b => kind == DocKind::Text && starts_a_title(b),
        };
        match bytes.get(lines.start(i)) {
            Some(&b) if b > b' ' && b < 0x7f && !may_matter(b) => continue,
            _ => {}
        }
        let r = lines.range(text, i);
        let line = &text[r.clone()];
        match line.trim_start().as_bytes().first() {
            Some(&b) if may_matter(b) => {}
            _ => continue,
        }
        if kind == DocKind::Markdown && markdown::inside(code, r.start) {
            continue;
        }
        let rank = if kind == DocKind::Markdown {
            heading_rank(line)
        } else {
            None
        };
        let starts_with_marker = line.trim_start().starts_with("<!--");
        let marker = if starts_with_marker {
            parse_marker(line)
        } else {
            None
        };
        if marker.is_some() && i > first && stop(r.start) {
            if let Some((mut block, _)) = open.take() {
                block.range.end = r.start;
                blocks.push(block);
            }
            return (blocks, Some(r.start));
        }
        let header = if marker.is_none() && (kind == DocKind::Text || rank.is_some()) {
            parse_heading_line(line)
        } else {
            None
        };

        if let Some((block, block_rank)) = open.as_mut() {
            let ends = marker.is_some()
                || (kind == DocKind::Text && header.is_some())
                || matches!((rank, *block_rank), (Some(hr), Some(br)) if hr <= br);
            if ends {
                block.range.end = r.start;
                blocks.push(open.take().map(|(b, _)| b).expect("open block"));
            } else if let (Some(hr), None) = (rank, *block_rank) {
                // The first heading after a marker is the frame's own.
                *block_rank = Some(hr);
                continue;
            }
        }
        // A marker always opens a block; a heading line only outside one.
        let opened = match (marker, header) {
            (Some((role, level, frame)), _) => Some((role, level, frame, None, true)),
            (None, Some((frame, role, level))) if open.is_none() => {
                Some((role, level, frame, rank, false))
            }
            _ => None,
        };
        if let Some((role, level, frame, rank, by_marker)) = opened {
            // A markdown heading holds the role title escaped.
            let unescape = |s: &str| match (by_marker, kind) {
                (false, DocKind::Markdown) => {
                    let mut out = String::new();
                    markdown::unescape_into(s, &mut out);
                    out
                }
                _ => s.to_string(),
            };
            let b = Block {
                opener: r.clone(),
                range: r.start..text.len(),
                role: unescape(role),
                level: unescape(level),
                frame,
                by_marker,
            };
            open = Some((b, rank));
        }
    }
    if let Some((b, _)) = open {
        blocks.push(b);
    }
    (blocks, None)
}

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

/// The words before each kind of quoted row, as the templates write them
/// (with the opening quote), and which canon text the row holds.
struct Opener {
    words: String,
    quote: Quote,
    /// The rubric a rubric row names.
    rubric: Option<&'static str>,
}

const OPENER_COUNT: usize = 5;

static OPENERS: std::sync::LazyLock<[Opener; OPENER_COUNT]> = std::sync::LazyLock::new(|| {
    use crate::render::template::{ACHIEVABLE, BAR, DELIVER, QUOTE, STANDARD, TIED_TO};
    let opener = |words: &str, quote, rubric| Opener {
        words: format!("{words}{QUOTE}"),
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

/// The quoted canon texts on one line: (kind, byte range of the text
/// between the quotes), found by the fixed template words before them.
fn quotes(line: &str, kind: DocKind, out: &mut Vec<(Quote, Row, Range<usize>)>) {
    out.clear();
    let openers = &*OPENERS;
    // Every opener ends in `: "` (a test holds the templates to it): one
    // pass over the quotes finds each opener's first occurrence, as
    // `line.find(open)` would.
    let mut first = [None; OPENER_COUNT];
    let bytes = line.as_bytes();
    for p in memchr::memchr_iter(b'"', bytes) {
        if p < 2 || &bytes[p - 2..p] != b": " {
            continue;
        }
        let head = &line[..p + 1];
        for (slot, open) in first.iter_mut().zip(openers) {
            if slot.is_none() && head.ends_with(&open.words) {
                *slot = Some(head.len() - open.words.len());
            }
        }
    }
    for (i, open) in openers.iter().enumerate() {
        if let Some(at) = first[i] {
            let start = at + open.words.len();
            if let Some(end) = closing_quote(line, start) {
                let row = match open.rubric {
                    Some(key) => Row::Rubric(key),
                    None => Row::Nth(i),
                };
                out.push((open.quote, row, start..end));
            }
        }
    }
    // A scorecard row: the layout's bullet, then the quote. (In text, a
    // line of canon text may start with `- "`; the bullet is indented.)
    use crate::render::template::{MARKDOWN_BULLET, QUOTE, TEXT_BULLET};
    let bullet = match kind {
        DocKind::Markdown => MARKDOWN_BULLET,
        DocKind::Text => TEXT_BULLET,
    };
    if let Some(rest) = line
        .strip_prefix(bullet)
        .and_then(|r| r.strip_prefix(QUOTE))
    {
        let start = line.len() - rest.len();
        if let Some(end) = closing_quote(line, start) {
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

/// The `"` that closes a quote opened before `start`: the last one that is
/// followed by the end of the line or by the template text that follows
/// quotes (` — `, `  →`, and ` |` in a table row only: elsewhere ` |` can
/// be canon text, e.g. in a row's `[source: …]` label).
fn closing_quote(line: &str, start: usize) -> Option<usize> {
    use crate::render::template::{ARROW, SEP};
    let table_row = line.trim_start().starts_with('|');
    // From the end: the first that qualifies is the last one.
    let bytes = line.as_bytes();
    let mut end = bytes.len();
    while let Some(i) = memchr::memrchr(b'"', &bytes[start..end]) {
        let at = start + i;
        let after = &line[at + 1..];
        if after.trim_end().is_empty()
            || after.starts_with(SEP)
            || after.starts_with(ARROW.trim_end())
            || (table_row && after.starts_with(" |"))
        {
            return Some(at);
        }
        end = at;
    }
    None
}

/// How similar (normalised Levenshtein) an edited quote must stay to a
/// canon text for that text to be named as the one it came from.
const SIMILAR: f64 = 0.5;

/// Best matches already computed: (role level, quote kind, quoted text)
/// → the most similar canon text and its score. Valid for one canon.
#[derive(Debug, Default)]
pub struct DriftMemo {
    closest: HashMap<(usize, u8, String), Option<(f64, usize)>>,
    /// Buffers reused from block to block.
    quotes: Vec<(Quote, Row, Range<usize>)>,
    unescaped: String,
}

impl DriftMemo {
    pub fn len(&self) -> usize {
        self.closest.len()
    }
}

/// The canon text most similar to `found` (normalised Levenshtein) and
/// its score; on a tie the later one, as `Iterator::max_by` picks.
///
/// Exact, but most candidates are ruled out cheaply: a lower bound of the
/// best score comes from the candidate sharing the longest prefix and
/// suffix with `found` (an edited text keeps most of both), and every
/// candidate only has to be compared up to the edit distance that could
/// still reach the best score so far (a banded computation that stops as
/// soon as the distance exceeds it).
fn best_match(found: &str, all: &[&str]) -> Option<(f64, usize)> {
    // Characters, for edit distances; one buffer for all the candidates.
    let mut f: Vec<char> = Vec::with_capacity(found.len().min(2 * COMPARED_END));
    push_compared(&mut f, found);
    let mut chars: Vec<char> = Vec::with_capacity(all.iter().map(|c| c.len()).sum());
    let mut ends = Vec::with_capacity(all.len());
    for c in all {
        push_compared(&mut chars, c);
        ends.push(chars.len());
    }
    let cands: Vec<&[char]> = ends
        .iter()
        .scan(0, |start, &end| {
            let c = &chars[*start..end];
            *start = end;
            Some(c)
        })
        .collect();
    let score = |lev: usize, m: usize| {
        let longest = f.len().max(m);
        if longest == 0 {
            1.0
        } else {
            1.0 - (lev as f64) / (longest as f64)
        }
    };
    // With a shared prefix and suffix of `shared` characters (together at
    // most the shorter length), the rest is at most `longest - shared`
    // edits: a score the best candidate reaches.
    let seed = cands
        .iter()
        .map(|c| {
            let (p, s) = affixes(&f, c);
            let shared = (p + s).min(f.len().min(c.len()));
            score(f.len().max(c.len()) - shared, c.len())
        })
        .max_by(f64::total_cmp)?;
    let mut best: Option<(f64, usize)> = None;
    for (i, c) in cands.iter().enumerate() {
        let floor = best.map_or(seed, |(b, _)| b.max(seed));
        let longest = f.len().max(c.len());
        // score >= floor needs lev <= (1 - floor) * longest; one more for
        // floating-point rounding, then the exact score decides.
        let k = ((1.0 - floor) * longest as f64).floor() as usize + 1;
        let Some(lev) = levenshtein_within(&f, c, k) else {
            continue;
        };
        let s = score(lev, c.len());
        if s >= floor && best.is_none_or(|(b, _)| s >= b) {
            best = Some((s, i));
        }
    }
    best
}

/// Texts are compared by their first and last this many characters: a
/// canon sentence is a few hundred characters and compares whole, but an
/// edit distance is quadratic, and a 20 KB quote against 20 KB canon texts
/// must not cost minutes. An edited text keeps most of its start and end,
/// so the closest canon text is still found.
const COMPARED_END: usize = 1000;

/// Appends the characters of `s` that are compared: all of them, or the
/// first and last [`COMPARED_END`] of a longer text.
fn push_compared(out: &mut Vec<char>, s: &str) {
    let n = s.chars().count();
    if n <= 2 * COMPARED_END {
        out.extend(s.chars());
    } else {
        out.extend(s.chars().take(COMPARED_END));
        out.extend(s.chars().skip(n - COMPARED_END));
    }
}

/// The lengths of the longest common prefix and suffix of `a` and `b`
/// (they may overlap).
fn affixes(a: &[char], b: &[char]) -> (usize, usize) {
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let s = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (p, s)
}

/// The Levenshtein distance of `a` and `b` if it is at most `k`, else
/// `None`. A shared prefix and suffix cost nothing and are skipped; only
/// the diagonal band of width `2k + 1` of the rest is computed.
fn levenshtein_within(a: &[char], b: &[char], k: usize) -> Option<usize> {
    let (p, _) = affixes(a, b);
    let (a, b) = (&a[p..], &b[p..]);
    let (_, s) = affixes(a, b);
    let (a, b) = (&a[..a.len() - s], &b[..b.len() - s]);
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    let inf = k + 1;
    let mut prev: Vec<usize> = (0..=m).map(|j| j.min(inf)).collect();
    let mut cur = vec![inf; m + 1];
    for i in 1..=n {
        let jlo = if i > k { i - k } else { 1 };
        let jhi = (i + k).min(m);
        cur[0] = i.min(inf);
        if jlo > 1 {
            cur[jlo - 1] = inf;
        }
        let mut row_min = if jlo == 1 { cur[0] } else { inf };
        for j in jlo..=jhi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let v = (prev[j - 1] + cost)
                .min(prev[j] + 1)
                .min(cur[j - 1] + 1)
                .min(inf);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if jhi < m {
            cur[jhi + 1] = inf;
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m] <= k).then_some(prev[m])
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
}

/// The drifted quotes inside one block whose role and level resolved.
pub fn drift(
    text: &str,
    kind: DocKind,
    code: &[Range<usize>],
    lines: &Lines,
    block: &Block,
    ral: &RoleAtLevel,
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
    // The canon texts are far away in memory: fetched at once.
    ral.at.warm();
    let mut out = Vec::new();
    let DriftMemo {
        closest: memo,
        quotes: found_quotes,
        unescaped,
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
    while at < end {
        let Some(q) = memchr::memchr(b'"', &bytes[at..end]) else {
            break;
        };
        let q = at + q;
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
        quotes(row_text, kind, found_quotes);
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
            let key = (ral.at as *const _ as usize, q as u8, found);
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
            });
        }
    }
    out
}

/// For each role and level with some frames in the document but not all,
/// the frames it lacks and where to insert them (the end of its last block).
pub fn missing_frames(blocks: &[Block], canon: &Canon) -> Vec<(usize, String, String, Vec<Frame>)> {
    let mut groups: Vec<(String, String, Vec<Option<Frame>>, usize)> = Vec::new();
    for b in blocks {
        let Ok(ral) = canon.role_at(&b.role, &b.level) else {
            continue;
        };
        let (id, code) = (ral.role.id.clone(), ral.level.code.clone());
        match groups.iter_mut().find(|g| g.0 == id && g.1 == code) {
            Some(g) => {
                g.2.push(b.frame);
                g.3 = g.3.max(b.range.end);
            }
            None => groups.push((id, code, vec![b.frame], b.range.end)),
        }
    }
    let mut out = Vec::new();
    for (id, code, present, end) in groups {
        if present.contains(&None) {
            continue;
        }
        let Ok(ral) = canon.role_at(&id, &code) else {
            continue;
        };
        let rows = crate::render::Rows::new(ral);
        let missing: Vec<Frame> = Frame::ALL
            .into_iter()
            .filter(|f| !present.contains(&Some(*f)) && rows.has(*f))
            .collect();
        if !missing.is_empty() {
            out.push((end, id, code, missing));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Huge quotes are compared by their ends: the closest of three
    /// 20,000-character canon texts is still found, and texts under the
    /// cap compare whole as before.
    #[test]
    fn huge_texts_are_compared_by_their_ends() {
        let text = |c: char, n: usize| -> String {
            (0..n).map(|i| if i % 7 == 0 { ' ' } else { c }).collect()
        };
        let all = [text('a', 20_000), text('b', 20_000), text('c', 20_000)];
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let mut edited = all[1].to_string();
        edited.insert_str(10_000, " an edit in the middle ");
        edited.replace_range(0..3, "xyz");
        let (score, i) = best_match(&edited, &all).expect("a closest text");
        assert_eq!(i, 1);
        assert!(score > 0.99, "{score}");
        // Under the cap: exact, as before.
        let (score, i) = best_match("abcd", &["abce", "zzzz"]).unwrap();
        assert_eq!((i, score), (0, 0.75));
    }

    /// The quote search's fast path: every opener ends in `: "`.
    #[test]
    fn every_opener_ends_in_a_colon_space_and_a_quote() {
        for open in OPENERS.iter() {
            assert!(open.words.ends_with(": \""), "{:?}", open.words);
        }
    }

    /// Every quoted canon text of every frame, once edited, is reported
    /// as drift at exactly its quote: the analysis finds quotes by the
    /// templates' own words. tests/run.sh also runs this on a copy of the
    /// sources whose template words are reworded.
    #[test]
    fn drift_follows_the_template_words() {
        use crate::analysis::{Analyzer, Code, DocKind};
        use crate::render::{render, template::QUOTE, Form, Markup, Selection};
        let canon = crate::canon::load_embedded().expect("default canon");
        let settings = crate::config::Settings::default();
        let analyzer = Analyzer::new(&canon, &settings);
        let ral = canon.role_at("ae", "P2").expect("ae/P2");
        let mut texts: Vec<&str> = ral.at.responsibilities().collect();
        texts.extend(ral.at.rubrics().map(|(_, t)| t));
        texts.extend(ral.level.dimensions.iter().map(|d| d.text.as_str()));
        for (markup, kind) in [
            (Markup::Text, DocKind::Text),
            (Markup::Markdown, DocKind::Markdown),
        ] {
            let form = Form {
                markup,
                snippet: false,
            };
            let doc = render(ral, Selection::All, form).expect("every frame");
            let mut quoted = 0;
            for text in &texts {
                let needle = format!("{QUOTE}{text}{QUOTE}");
                for (at, _) in doc.match_indices(&needle) {
                    quoted += 1;
                    let start = at + QUOTE.len();
                    let mut edited = doc.clone();
                    edited.insert_str(start + text.len(), " (edited)");
                    let drift: Vec<_> = analyzer
                        .analyze(&edited, kind)
                        .into_iter()
                        .filter(|f| f.code == Code::CanonDrift)
                        .map(|f| f.range)
                        .collect();
                    let end = start + text.len() + " (edited)".len();
                    assert_eq!(drift, vec![start..end], "{markup:?}, quote at {at}");
                }
            }
            // Each frame quotes canon text: SMART, OKR, MBO and scorecard rows.
            assert!(
                quoted >= 4 * texts.len().min(4),
                "{markup:?}: {quoted} quotes"
            );
        }
    }

    /// Heading lines read as the plain definition reads them: the text
    /// before the first ` — ` is a title, the role is up to the last one.
    #[test]
    fn heading_lines_parse_as_the_definition_says() {
        fn plain(line: &str) -> Option<(Option<Frame>, &str, &str)> {
            let body = line.trim_start_matches('#').trim();
            let (title, rest) = body.split_once(" — ")?;
            let (role, code) = rest.rsplit_once(" — ")?;
            let frame = if title == ALL_TITLE {
                None
            } else {
                Some(Frame::ALL.into_iter().find(|f| f.title() == title)?)
            };
            Some((frame, role.trim(), code.trim()))
        }
        let pieces: Vec<&str> = [
            ALL_TITLE,
            " — ",
            "—",
            " —",
            "— ",
            " ",
            "#",
            "## ",
            "x",
            "Ops / Sales",
            "P2",
            "中文",
            "😀",
        ]
        .into_iter()
        .chain(Frame::ALL.iter().map(|f| f.title()))
        .collect();
        let mut rng = crate::analysis::testing::Rng::new(7);
        let mut found = 0;
        for _ in 0..50_000 {
            // Half start like a heading line, to reach the rest of it.
            let mut line =
                String::from(["", "## Scorecard — ", "# Goal templates — "][rng.range(0, 2)]);
            for _ in 0..rng.range(1, 7) {
                line.push_str(pieces[rng.range(0, pieces.len() - 1)]);
            }
            assert_eq!(parse_heading_line(&line), plain(&line), "{line:?}");
            found += usize::from(plain(&line).is_some());
        }
        assert!(found > 2_000, "{found}");
    }

    #[test]
    fn markers_and_heading_lines_parse() {
        assert_eq!(
            parse_marker("<!-- goalframe: ae/P2 smart -->"),
            Some(("ae", "P2", Some(Frame::Smart)))
        );
        assert_eq!(parse_marker("<!-- goalframe: ae/P2 bogus -->"), None);
        assert_eq!(
            parse_heading_line("## OKRs — Account Executive / Field Sales — P2"),
            Some((Some(Frame::Okr), "Account Executive / Field Sales", "P2"))
        );
        assert_eq!(
            parse_heading_line("Goal templates — A — P2"),
            Some((None, "A", "P2"))
        );
        assert_eq!(parse_heading_line("My goals — A — P2"), None);
    }

    #[test]
    fn best_match_agrees_with_a_plain_search() {
        let all = [
            "Manages the entire sales cycle.",
            "Maintains an accurate pipeline.",
            "Manages the entire sales cycle!",
            "",
            "x",
            "Prepares contracts 中文 😀 and order forms.",
        ];
        for found in [
            "Manages the whole sales cycle.",
            "Maintains an accurate pipeline",
            "",
            "y",
            "Prepares contracts 中文 and order forms.",
            "completely different words here",
            "Manages the entire sales cycle.",
        ] {
            let plain = all
                .iter()
                .enumerate()
                .map(|(i, c)| (strsim::normalized_levenshtein(found, c), i))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            assert_eq!(best_match(found, &all), plain, "{found:?}");
        }
        let a: Vec<char> = "kitten".chars().collect();
        let b: Vec<char> = "sitting".chars().collect();
        assert_eq!(levenshtein_within(&a, &b, 3), Some(3));
        assert_eq!(levenshtein_within(&a, &b, 2), None);
        // Random texts and candidate lists, ties and multi-byte characters
        // included.
        let mut rng = crate::analysis::testing::Rng::new(11);
        let alphabet = ["a", "b", "c", " ", "中", "😀", "ab", "the "];
        let text = |rng: &mut crate::analysis::testing::Rng| {
            (0..rng.below(12))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect::<String>()
        };
        for _ in 0..3000 {
            let found = text(&mut rng);
            let all: Vec<String> = (0..1 + rng.below(6)).map(|_| text(&mut rng)).collect();
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            let plain = all
                .iter()
                .enumerate()
                .map(|(i, c)| (strsim::normalized_levenshtein(&found, c), i))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            assert_eq!(best_match(&found, &all), plain, "{found:?} in {all:?}");
        }
    }

    #[test]
    fn quotes_end_at_the_template_that_follows_them() {
        let l = "  - Meets the scope bar: \"a \"b\" c\"  →  ⟨target⟩ by ⟨date⟩";
        let mut q = Vec::new();
        quotes(l, DocKind::Text, &mut q);
        assert_eq!(q.len(), 1);
        assert_eq!(&l[q[0].2.clone()], "a \"b\" c");
        let row = "| x | Consistent with this level's jfm knowledge-application rubric: \"k\" | ⟨target⟩ | ⟨date⟩ |";
        quotes(row, DocKind::Markdown, &mut q);
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
                    let table_row = line.trim_start().starts_with('|');
                    after.trim_end().is_empty()
                        || [" — ", "  →"].iter().any(|t| after.starts_with(t))
                        || (table_row && after.starts_with(" |"))
                })
                // Front to back, keeping the last: the definition.
                .fold(None, |_, at| Some(at))
        };
        let mut rng = crate::analysis::testing::Rng::new(5);
        let pieces = [
            "\"", "a", " — ", "  →", " |", " ", "中", "\" |", "x\"", "| ",
        ];
        for _ in 0..5000 {
            let mut line = String::new();
            for _ in 0..rng.below(10) {
                line.push_str(pieces[rng.below(pieces.len())]);
            }
            for start in (0..=line.len()).filter(|&i| line.is_char_boundary(i)) {
                assert_eq!(
                    closing_quote(&line, start),
                    last_qualifying(&line, start),
                    "{line:?} from {start}"
                );
            }
        }
    }

    #[test]
    fn markdown_blocks_end_at_a_heading_of_the_same_rank() {
        let t = "# Review\n<!-- goalframe: ae/P2 smart -->\n## SMART goals — T — P2\n### sub\ntext\n## Next\nafter\n";
        let lines = Lines::new(t);
        let b = find(t, DocKind::Markdown, &lines, &[]);
        assert_eq!(b.len(), 1);
        assert_eq!(
            &t[b[0].range.clone()],
            "<!-- goalframe: ae/P2 smart -->\n## SMART goals — T — P2\n### sub\ntext\n"
        );
    }
}
