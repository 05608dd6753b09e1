//! goalframe blocks: the stretches of a document that hold rows of one
//! role and level, found by marker comments (markdown) and heading lines
//! (`Goal templates — <title> — <code>`, or a frame title in its place).
//! Inside them, quoted canon text is checked for drift (drift.rs).

use std::ops::Range;

use crate::canon::Canon;
use crate::render::{Frame, ALL_TITLE};

use super::markdown;
use super::scan::trim_start;
use super::DocKind;
use crate::lines::Lines;

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
    /// Holds a line that goes on from the one before it: a row a
    /// formatter may have wrapped (`wrapped.rs`), looked for only then.
    pub wrapped: bool,
    /// A heading that names a frame, role and level with another dash
    /// between its parts (`near_heading`), or underlined (a setext
    /// heading), where a frame heading would have opened a block: the
    /// block is that line alone, or it and its underline, read for its
    /// `unread-heading` finding and nothing else (no goals, no rows).
    pub unread: bool,
}

/// A marker comment: `<!-- goalframe: <role>/<level> <frame> -->`.
pub fn parse_marker(line: &str) -> Option<(&str, &str, Option<Frame>)> {
    use crate::render::template::{COMMENT_CLOSE, COMMENT_OPEN, MARKER_KEY};
    let inner = line
        .trim()
        .strip_prefix(COMMENT_OPEN)?
        .strip_suffix(COMMENT_CLOSE)?
        .trim();
    let rest = inner.strip_prefix(MARKER_KEY)?.trim();
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
pub fn parse_heading_line(line: &str) -> Option<(Option<Frame>, &str, &str)> {
    use crate::render::template::SEP;
    /// The last ` — `, found without building a searcher for each heading.
    static LAST_SEP: std::sync::LazyLock<memchr::memmem::FinderRev<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::FinderRev::new(SEP));
    let body = heading_text(line);
    // The text before the first ` — ` must be a title; no title holds
    // ` — ` or starts another, so it is the title the line starts with.
    let (frame, rest) = TITLES
        .into_iter()
        .find_map(|(frame, title)| Some((frame, body.strip_prefix(title)?.strip_prefix(SEP)?)))?;
    let at = LAST_SEP.rfind(rest)?;
    let (role, code) = (&rest[..at], &rest[at + SEP.len()..]);
    Some((frame, role.trim(), code.trim()))
}

/// The titles a heading line can start with, and the frame of each
/// (`None`: `Goal templates`, the whole document's).
const TITLES: [(Option<Frame>, &str); 5] = [
    (None, ALL_TITLE),
    (Some(Frame::Smart), Frame::Smart.title()),
    (Some(Frame::Okr), Frame::Okr.title()),
    (Some(Frame::Mbo), Frame::Mbo.title()),
    (Some(Frame::Scorecard), Frame::Scorecard.title()),
];

/// The dashes a heading may have between its parts in place of the
/// template's ` — `: pandoc's own markdown writes `—` as `---` (and `–`
/// as `--`); a heading typed by hand has `-` or `–`. Longest first.
const OTHER_DASHES: [&str; 5] = ["---", "--", "-", "\u{2014}", "\u{2013}"];

/// A heading line that names a frame, role and level as a frame heading
/// does, with other dashes between its parts (`## SMART goals --- <role>
/// --- <level>`), in one of which the template's ` — ` is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearHeading<'a> {
    pub frame: Option<Frame>,
    pub role: &'a str,
    pub level: &'a str,
    /// The gaps between title and role and between role and level, as
    /// byte ranges of the line, with the dash each holds.
    pub gaps: [(Range<usize>, &'a str); 2],
}

/// Reads a line that is not a frame heading ([`parse_heading_line`]) as
/// one with other dashes between its parts. An ASCII dash needs a space
/// each side (`Quota-Carrying` is a word); a role may hold dashes, a
/// level code not. Out of line: met only at headings that are not a
/// frame's.
#[inline(never)]
pub fn near_heading(line: &str) -> Option<NearHeading<'_>> {
    let body = heading_text(line);
    // `heading_text` returns a part of `line`.
    let base = body.as_ptr() as usize - line.as_ptr() as usize;
    let (frame, title) = TITLES
        .into_iter()
        .find(|(_, title)| body.starts_with(title))?;
    let first = gap_after(&body[title.len()..])?;
    let rest_at = title.len() + first.0.end;
    let rest = &body[rest_at..];
    let second = last_gap(rest)?;
    let role = rest[..second.0.start].trim();
    let level = rest[second.0.end..].trim();
    if role.is_empty() || level.is_empty() || level.contains(char::is_whitespace) {
        return None;
    }
    let shift = |r: Range<usize>, by: usize| base + by + r.start..base + by + r.end;
    Some(NearHeading {
        frame,
        role,
        level,
        gaps: [
            (shift(first.0, title.len()), first.1),
            (shift(second.0, rest_at), second.1),
        ],
    })
}

/// Spaces, one of [`OTHER_DASHES`] and spaces at the start of `s`: their
/// range and the dash.
fn gap_after(s: &str) -> Option<(Range<usize>, &str)> {
    let dash_at = s.len() - s.trim_start_matches([' ', '\t']).len();
    let dash = OTHER_DASHES
        .into_iter()
        .find(|d| s[dash_at..].starts_with(d))?;
    let after = &s[dash_at + dash.len()..];
    let end = s.len() - after.trim_start_matches([' ', '\t']).len();
    gap_is_spaced(dash, dash_at > 0, end > dash_at + dash.len())
        .then(|| (0..end, &s[dash_at..dash_at + dash.len()]))
}

/// The last gap of `s` ([`gap_after`]'s kind), and the dash it holds.
fn last_gap(s: &str) -> Option<(Range<usize>, &str)> {
    let mut end = s.len();
    while let Some(i) = s[..end].rfind(['-', '\u{2014}', '\u{2013}']) {
        let c = s[i..].chars().next()?;
        let run_end = i + c.len_utf8();
        let run_start = s[..run_end].trim_end_matches(c).len();
        let dash = &s[run_start..run_end];
        let start = s[..run_start].trim_end_matches([' ', '\t']).len();
        let gap_end = s.len() - s[run_end..].trim_start_matches([' ', '\t']).len();
        if OTHER_DASHES.contains(&dash) && gap_is_spaced(dash, start < run_start, gap_end > run_end)
        {
            return Some((start..gap_end, dash));
        }
        end = run_start;
    }
    None
}

/// An ASCII dash between two parts has a space each side; `—` and `–`
/// need none.
fn gap_is_spaced(dash: &str, before: bool, after: bool) -> bool {
    !dash.starts_with('-') || (before && after)
}

/// A heading's text: without its `#`s, and without the closing ones an
/// ATX heading may have (`## SMART goals — … ##`, a style markdownlint
/// can enforce). `## C#` keeps its `#`: a closing run follows a space.
pub fn heading_text(line: &str) -> &str {
    let body = line.trim_start().trim_start_matches('#').trim();
    let open = body.trim_end_matches('#');
    if open.len() < body.len() && (open.is_empty() || open.ends_with([' ', '\t'])) {
        open.trim_end()
    } else {
        body
    }
}

/// Whether a heading line (`Goal templates — …`, `SMART goals — …`) can
/// start with this byte.
fn starts_a_title(b: u8) -> bool {
    TITLES.iter().any(|(_, title)| title.as_bytes()[0] == b)
}

/// Whether a frame heading written otherwise than the template's is worth
/// reporting: a markdown `Goal templates` heading holds no goals of its
/// own (each frame's section has its heading); a text one is the only
/// line naming its role and level.
fn holds_goals(frame: Option<Frame>, kind: DocKind) -> bool {
    frame.is_some() || kind == DocKind::Text
}

/// Whether a heading's text (after any `#`s) may start with a title: most
/// headings that are not a frame's (`### Internal process`) do not.
fn names_a_title_first(line: &str) -> bool {
    line.bytes()
        .find(|&b| !matches!(b, b'#' | b' ' | b'\t'))
        .is_some_and(starts_a_title)
}

/// What a line of markdown code names, if it is a frame heading indented
/// four spaces or more (a tab counts as four): an indented code block to
/// markdown (a fenced block's lines are left alone: an example there is
/// the writer's). Out of line: code is rare.
#[cold]
#[inline(never)]
fn code_heading(line: &str) -> Option<(Option<Frame>, &str, &str)> {
    let body = line.trim_start_matches([' ', '\t']);
    if indent_columns(line) < 4 || heading_rank(body).is_none() {
        return None;
    }
    parse_heading_line(body)
        .or_else(|| near_heading(body).map(|n| (n.frame, n.role, n.level)))
        .filter(|(frame, _, _)| holds_goals(*frame, DocKind::Markdown))
}

/// The columns of `line`'s indentation (a tab to the next multiple of 4).
pub fn indent_columns(line: &str) -> usize {
    line.bytes()
        .map_while(|b| match b {
            b' ' => Some(1),
            b'\t' => Some(4),
            _ => None,
        })
        .fold(0, |col, w| if w == 4 { col / 4 * 4 + 4 } else { col + w })
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

/// Line `i`, an underline (`===` or `---`), under a line of text that
/// starts a paragraph (after an empty line, a comment's end or the
/// start) makes it a heading (setext): that line's range and the rank.
fn setext_line(
    text: &str,
    lines: &Lines,
    code: &[Range<usize>],
    first: usize,
    i: usize,
) -> Option<(Range<usize>, usize)> {
    let under = lines.range(text, i);
    let underline = text[under.clone()].trim_end();
    let mark = *underline.as_bytes().first()?;
    if i <= first || underline.bytes().any(|b| b != mark) {
        return None;
    }
    let above = lines.range(text, i - 1);
    let b = *text.as_bytes().get(above.start)?;
    // Not a list item, a quote, a table row, a fence, an HTML block or
    // a heading of its own; no indentation (a list item's paragraph).
    if b.is_ascii_whitespace()
        || b.is_ascii_digit()
        || b"#>-*+|`~<=".contains(&b)
        || markdown::inside(code, above.start)
    {
        return None;
    }
    let before = if i - 1 > first {
        text[lines.range(text, i - 2)].trim()
    } else {
        ""
    };
    (before.is_empty() || before.ends_with(crate::render::template::COMMENT_CLOSE))
        .then_some((above, if mark == b'=' { 1 } else { 2 }))
}

/// A setext heading at line `i` (its underline), if it is one: it ends
/// the open block as a `#` heading of its rank would, or is a marker
/// block's own heading; where a frame heading would open a block, or a
/// frame's section of an `all` block, one naming a frame, role and level
/// is an unread block of its two lines (old pandoc's own markdown writes
/// headings so). Out of line: most underlines are none.
#[inline(never)]
fn setext(
    open: &mut Option<(Block, Option<usize>)>,
    blocks: &mut Vec<Block>,
    text: &str,
    lines: &Lines,
    code: &[Range<usize>],
    first: usize,
    i: usize,
) {
    // Most lines that start so are list items (`- "…" → …`): their
    // second byte rules them out.
    let (bytes, at) = (text.as_bytes(), lines.start(i));
    if bytes
        .get(at + 1)
        .is_some_and(|&n| n != bytes[at] && n != b'\n' && n != b'\r')
    {
        return;
    }
    let Some((above, rank)) = setext_line(text, lines, code, first, i) else {
        return;
    };
    match open {
        Some((block, own @ None)) if block.by_marker => {
            // The first heading after a marker is the frame's own.
            *own = Some(rank);
            return;
        }
        Some((_, Some(br))) if rank <= *br => {
            let (mut block, _) = open.take().expect("open");
            block.range.end = above.start;
            blocks.push(block);
        }
        _ => {}
    }
    if open.as_ref().is_some_and(|(o, _)| o.frame.is_some()) {
        return;
    }
    let line = &text[above.clone()];
    let Some((frame, role, level)) =
        parse_heading_line(line).or_else(|| near_heading(line).map(|n| (n.frame, n.role, n.level)))
    else {
        return;
    };
    if !holds_goals(frame, DocKind::Markdown) {
        return;
    }
    if let Some((mut o, _)) = open.take() {
        o.range.end = above.start;
        blocks.push(o);
    }
    let range = above.start..lines.range(text, i).end;
    blocks.push(Block::unread(
        above,
        range,
        (frame, role, level),
        DocKind::Markdown,
    ));
}

impl Block {
    /// An unread block (its `unread` field): a frame heading written
    /// otherwise, `opener`, over `range` (its line, or its line and its
    /// underline), naming `frame`, `role` and `level` as written.
    fn unread(
        opener: Range<usize>,
        range: Range<usize>,
        (frame, role, level): (Option<Frame>, &str, &str),
        kind: DocKind,
    ) -> Block {
        Block {
            opener,
            range,
            role: as_read(role, kind),
            level: as_read(level, kind),
            frame,
            by_marker: false,
            wrapped: false,
            unread: true,
        }
    }
}

/// Whether `header`, a heading line inside `block`, names another role or
/// level than the heading that opened it: in an `all` document whose
/// marker comments were lost (a trip through a word processor), headings
/// are all that tell one role's goals from the next. Both are headings,
/// compared as written. Out of line: most lines of a document pass by.
#[inline(never)]
fn names_another(text: &str, block: &Block, header: (Option<Frame>, &str, &str)) -> bool {
    let (_, role, level) = header;
    !block.by_marker
        && parse_heading_line(&text[block.opener.clone()])
            .is_some_and(|(_, r, l)| (r, l) != (role, level))
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
            Some(&b) if b > b' ' && b < 0x7f && !may_matter(b) => {
                // An underline makes the line above a heading (setext): it
                // ends a block and names a marker block's rank as a `#`
                // one does, and a frame's is reported.
                if (b == b'-' || b == b'=') && kind == DocKind::Markdown {
                    setext(&mut open, &mut blocks, text, lines, code, first, i);
                }
                continue;
            }
            // An empty line (a third of a document) opens nothing.
            Some(b'\n' | b'\r') | None => continue,
            _ => {}
        }
        let r = lines.range(text, i);
        let line = &text[r.clone()];
        match trim_start(line).as_bytes().first() {
            Some(&b) if may_matter(b) => {}
            first => {
                // An indented line that may go on from the one before (a
                // wrapped row): not one of the nested rows' list items.
                let may_go_on = |b: u8| {
                    !crate::render::template::LIST_MARKERS.contains(&b)
                        && matches!(line.as_bytes().first(), Some(b' ' | b'\t'))
                };
                if let Some((block, _)) = open.as_mut().filter(|_| kind == DocKind::Markdown) {
                    block.wrapped = block.wrapped
                        || (first.is_some_and(|&b| may_go_on(b))
                            && super::wrapped::continues(text, lines, i, line)
                            && !markdown::inside(code, r.start));
                }
                continue;
            }
        }
        if kind == DocKind::Markdown && markdown::inside(code, r.start) {
            // A frame heading indented as code, where a frame heading
            // would open a block or an `all` block's section: markdown
            // shows it as code, and the goals under it are not read.
            let named = code_heading(line).filter(|_| {
                open.as_ref().is_none_or(|(b, _)| b.frame.is_none())
                    && !markdown::in_fence(text, code, r.start)
            });
            if let Some(named) = named {
                if let Some((mut block, _)) = open.take() {
                    block.range.end = r.start;
                    blocks.push(block);
                }
                blocks.push(Block::unread(r.clone(), r.clone(), named, kind));
            }
            continue;
        }
        let rank = if kind == DocKind::Markdown {
            heading_rank(line)
        } else {
            None
        };
        let starts_with_marker =
            trim_start(line).starts_with(crate::render::template::COMMENT_OPEN);
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

        let ends_open = open.as_ref().is_some_and(|(block, block_rank)| {
            marker.is_some()
                || (kind == DocKind::Text && header.is_some())
                || header.is_some_and(|h| names_another(text, block, h))
                || matches!((rank, *block_rank), (Some(hr), Some(br)) if hr <= br)
        });
        // A heading with other dashes between its parts is reported where
        // a frame heading would open a block, or a frame's section of an
        // `all` block (whose goals it would lose), and ends that block.
        // It ends no other: whether it names a role is the canon's to say,
        // and a block ended by a line that names none would lose its rows
        // without a word.
        let near = match (marker, header) {
            (None, None)
                if (kind == DocKind::Text || rank.is_some())
                    && names_a_title_first(line)
                    && (ends_open || open.as_ref().is_none_or(|(b, _)| b.frame.is_none())) =>
            {
                near_heading(line)
                    .map(|n| (n.frame, n.role, n.level))
                    .filter(|(frame, _, _)| holds_goals(*frame, kind))
            }
            _ => None,
        };
        if let Some((block, block_rank)) = open.as_mut() {
            let ends = ends_open || near.is_some();
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
        if let Some(named) = near {
            blocks.push(Block::unread(r.clone(), r.clone(), named, kind));
        }
        let opened = match (marker, header) {
            (Some((role, level, frame)), _) => Some((role, level, frame, None, true)),
            (None, Some((frame, role, level))) if open.is_none() => {
                Some((role, level, frame, rank, false))
            }
            _ => None,
        };
        if let Some((role, level, frame, rank, by_marker)) = opened {
            // A markdown heading holds the role title escaped.
            let unescape = |s: &str| match by_marker {
                false => as_read(s, kind),
                true => s.to_string(),
            };
            let b = Block {
                opener: r.clone(),
                range: r.start..text.len(),
                role: unescape(role),
                level: unescape(level),
                frame,
                by_marker,
                wrapped: false,
                unread: false,
            };
            open = Some((b, rank));
        }
    }
    if let Some((b, _)) = open {
        blocks.push(b);
    }
    (blocks, None)
}

/// A part of a heading as it reads: in markdown, its escapes undone.
fn as_read(s: &str, kind: DocKind) -> String {
    if kind != DocKind::Markdown {
        return s.to_string();
    }
    let mut out = String::new();
    markdown::unescape_into(s, &mut out);
    out
}

/// For each role and level with a block touching `wanted` and some frames
/// in the document but not all, the frames it lacks and where to insert
/// them (the end of its last block). Linear in the blocks: a document of
/// every role in the canon looked each one up in a list of the others.
pub fn missing_frames<'a, 'c>(
    blocks: impl IntoIterator<Item = &'a Block>,
    canon: &'c Canon,
    wanted: std::ops::Range<usize>,
) -> Vec<(usize, crate::canon::RoleAtLevel<'c>, Vec<Frame>)> {
    struct Group<'c> {
        ral: crate::canon::RoleAtLevel<'c>,
        present: Vec<Option<Frame>>,
        end: usize,
        touched: bool,
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut index: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for b in blocks.into_iter().filter(|b| !b.unread) {
        // A code action comes with every move of the cursor: no looking
        // for the roles an unknown one could be.
        let Some(ral) = canon.find_role_at(&b.role, &b.level) else {
            continue;
        };
        let touched = b.range.start <= wanted.end && wanted.start <= b.range.end;
        let key = (ral.role.id.as_str(), ral.level.code.as_str());
        match index.get(&key) {
            Some(&i) => {
                let g = &mut groups[i];
                g.present.push(b.frame);
                g.end = g.end.max(b.range.end);
                g.touched |= touched;
            }
            None => {
                index.insert(key, groups.len());
                groups.push(Group {
                    ral,
                    present: vec![b.frame],
                    end: b.range.end,
                    touched,
                });
            }
        }
    }
    let mut out = Vec::new();
    for g in groups {
        if !g.touched || g.present.contains(&None) {
            continue;
        }
        let rows = crate::render::Rows::new(g.ral);
        let missing: Vec<Frame> = Frame::ALL
            .into_iter()
            .filter(|f| !g.present.contains(&Some(*f)) && rows.has(*f))
            .collect();
        if !missing.is_empty() {
            out.push((g.end, g.ral, missing));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Heading lines read as the plain definition reads them: the text
    /// before the first ` — ` is a title, the role is up to the last one.
    #[test]
    fn heading_lines_parse_as_the_definition_says() {
        fn plain(line: &str) -> Option<(Option<Frame>, &str, &str)> {
            let body = line.trim_start_matches('#').trim();
            // A closing run of `#`s, after a space, is not the heading's.
            let body = match body.rsplit_once(' ') {
                Some((head, run)) if !run.is_empty() && run.bytes().all(|b| b == b'#') => {
                    head.trim_end()
                }
                _ if body.bytes().all(|b| b == b'#') => "",
                _ => body,
            };
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
        assert_eq!(
            parse_heading_line("## OKRs — A — P2 ##"),
            Some((Some(Frame::Okr), "A", "P2"))
        );
        for (line, text) in [
            ("## Scorecard ##", "Scorecard"),
            ("## Scorecard #  ", "Scorecard"),
            ("## C#", "C#"),
            ("# #", ""),
            ("### ###", ""),
        ] {
            assert_eq!(heading_text(line), text, "{line:?}");
        }
    }

    #[test]
    fn the_titles_are_the_document_s_and_every_frame_s() {
        let every = std::iter::once((None, ALL_TITLE))
            .chain(Frame::ALL.into_iter().map(|f| (Some(f), f.title())));
        assert!(TITLES.into_iter().eq(every));
    }

    #[test]
    fn headings_with_other_dashes_are_near_headings() {
        /// (frame, role, level, each gap as written with its dash)
        type Read<'a> = (Option<Frame>, &'a str, &'a str, [(String, String); 2]);
        fn read(line: &str) -> Option<Read<'_>> {
            near_heading(line).map(|n| {
                let gaps = n.gaps.map(|(r, d)| (line[r].to_string(), d.to_string()));
                (n.frame, n.role, n.level, gaps)
            })
        }
        let gap = |g: &str, d: &str| (g.to_string(), d.to_string());
        assert_eq!(
            read("## OKRs --- Sales - EMEA / Field --- P2 ##"),
            Some((
                Some(Frame::Okr),
                "Sales - EMEA / Field",
                "P2",
                [gap(" --- ", "---"), gap(" --- ", "---")]
            ))
        );
        assert_eq!(
            read("Goal templates\u{2014}Quota-Carrying Sales \u{2013} IC-3"),
            Some((
                None,
                "Quota-Carrying Sales",
                "IC-3",
                [gap("\u{2014}", "\u{2014}"), gap(" \u{2013} ", "\u{2013}")]
            ))
        );
        assert_eq!(
            read("# Scorecard \u{2014} A -\tP2").map(|r| r.3),
            Some([gap(" \u{2014} ", "\u{2014}"), gap(" -\t", "-")])
        );
        for line in [
            "## SMART goals-A-P2",
            "## SMART goals - A -",
            "## SMART goals - A - P 2",
            "## SMART goals ---- A ---- P2",
            "## SMART goals - - P2",
            "## My goals - A - P2",
            "## SMART goals",
        ] {
            assert_eq!(read(line), None, "{line:?}");
        }
    }

    #[test]
    fn an_underlined_heading_is_a_heading_of_its_rank() {
        // A marker block's own heading underlined: its `###` sections stay
        // in it, and an underlined heading of the same rank ends it.
        let t = "<!-- goalframe: ae/P2 scorecard -->\nScorecard — T — P2\n---\n\n### Internal\n\n- a\n\n### Role calibration\n\n- b\n\nNotes\n-----\n\nmine\n";
        let lines = Lines::new(t);
        let b = find(t, DocKind::Markdown, &lines, &[]);
        assert_eq!(b.len(), 1);
        assert!(
            t[b[0].range.clone()].ends_with("- b\n\n"),
            "{:?}",
            &t[b[0].range.clone()]
        );
        // Not a heading: text under a list item, or over a blank line.
        for t in [
            "- OKRs — T — P2\n---\n",
            "OKRs — T — P2\n\n---\n",
            "x\nOKRs — T — P2\n---\n",
        ] {
            assert_eq!(
                find(t, DocKind::Markdown, &Lines::new(t), &[]),
                Vec::new(),
                "{t:?}"
            );
        }
        let t = "OKRs — T — P2\n===\n";
        let b = find(t, DocKind::Markdown, &Lines::new(t), &[]);
        assert_eq!(
            (b.len(), b[0].unread, &t[b[0].range.clone()]),
            (1, true, "OKRs — T — P2\n===")
        );
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
