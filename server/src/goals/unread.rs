//! What keeps rows from being read as a frame's, and what is said of it
//! by `lint` and `export` alike: an MBO table whose header row lacks an
//! outer pipe (its rows are not read), an MBO row outside its table or
//! the MBO table under another frame's title, a
//! key result the OKR frame does not have (`KR3.`, found by the row
//! reader: [`read_row_or_extra`](super::slots::read_row_or_extra)), a row
//! run into the line of the row before it.

use crate::lines::Lines;
use crate::render::template as t;
use crate::render::Frame;

/// What is said of a key result the OKR frame does not have
/// ([`read_row_or_extra`](super::slots::read_row_or_extra)), by `lint` and `export` alike.
pub fn extra_key_result_message(label: &str) -> String {
    format!(
        "the OKR frame has two key results, `{}` and `{}`: this `{label}` row is not read, so an export would leave it out; put what it measures in one of them, or move it out of the frame",
        t::KR1,
        t::KR2
    )
}

/// Where a second row of a frame starts on `line`, run into it (a line
/// break lost: `… — Developing Professional.  - **Time-bound:** 2027-06-30`),
/// and its label: in markdown a row's bold label after white space (and
/// a list marker, if it kept one), in text a row's label after two spaces
/// or more. The line's own row is its own. The second row is not read, so
/// its values would be left out without a word. Asked of every line of a
/// frame's body: a search for `**` (or two spaces) rules almost all out.
pub fn run_in_row(line: &str, markdown: bool) -> Option<(usize, &'static str)> {
    /// Two spaces, found by a searcher built once (a line's own would cost
    /// more than the search).
    static TWO_SPACES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("  "));
    let b = line.as_bytes();
    let own = b.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    let label_at = |at: usize| {
        t::ROW_LABELS
            .into_iter()
            .find(|l| b[at..].starts_with(l.as_bytes()))
    };
    if markdown {
        // A bold label's marks: `**` or `__`.
        for p in memchr::memchr2_iter(b'*', b'_', b) {
            let mark = b[p];
            if b.get(p + 1) != Some(&mark) || (p > 0 && b[p - 1] == mark) {
                continue;
            }
            let Some(label) = label_at(p + 2) else {
                continue;
            };
            if !b[p + 2 + label.len()..].starts_with(&[mark, mark]) {
                continue;
            }
            // Before the label: white space, then a list marker or not.
            let before = line[..p].trim_end_matches([' ', '\t']);
            let start = match before.as_bytes().last() {
                Some(m) if t::LIST_MARKERS.contains(m) && before.len() < p => before.len() - 1,
                _ => p,
            };
            let head = line[..start].trim_end_matches([' ', '\t']);
            if head.len() > own && head.len() < start {
                return Some((start, label));
            }
        }
        return None;
    }
    for p in TWO_SPACES.find_iter(b) {
        let rest = &line[p + 2..];
        let at = line.len() - rest.trim_start_matches(' ').len();
        if at > own {
            if let Some(label) = label_at(at) {
                return Some((at, label));
            }
        }
    }
    None
}

/// What is said of a row run into another's line ([`run_in_row`]), by
/// `lint` and `export` alike.
pub fn run_in_row_message(label: &str) -> String {
    format!(
        "this `{label}` row is run into the line of the row before it (a line break lost), so it is not read, and an export would leave it out: put it on a line of its own"
    )
}

/// Whether `line` is the MBO table's header row with an outer pipe
/// missing (`Area | Standard | Target | Due`, which a team's markdownlint
/// `table-pipe-style` asks for): its rows are not read as the frame's.
pub fn table_lacks_pipes(line: &str) -> bool {
    let (s, cells) = row_cells(line);
    cells.len() + 2 != s.len() && header_cells(cells)
}

/// Whether `line` is the MBO table's header row (`| Area | Standard |
/// Target | Due |`), its outer pipes there or not.
pub fn is_mbo_header(line: &str) -> bool {
    header_cells(row_cells(line).1)
}

/// `line` trimmed, and what stands inside its outer pipes (those it has).
fn row_cells(line: &str) -> (&str, &str) {
    let s = line.trim();
    let cells = s.strip_prefix('|').unwrap_or(s);
    (s, cells.strip_suffix('|').unwrap_or(cells))
}

/// Whether `cells` (a row inside its outer pipes) are the MBO table's
/// columns.
fn header_cells(cells: &str) -> bool {
    cells.split('|').map(str::trim).eq(t::MBO_COLUMNS)
}

/// What is said of the MBO table's header row in the block of another
/// frame (`frame`'s), by `lint` and `export` alike: its rows are the
/// writer's there, and the areas would be left out of an export.
pub fn misplaced_table_message(frame: Frame) -> String {
    format!(
        "this is the MBO table's header row, but the table stands under the `{}` title, so its areas are not read; the `{}` frame's marker or heading may be missing above it",
        frame.title(),
        Frame::Mbo.title()
    )
}

/// What is said of an MBO table an outer pipe of whose header row is
/// missing ([`table_lacks_pipes`]), by `lint` and `export` alike.
pub fn unpiped_table_message() -> String {
    format!(
        "this MBO table's rows lack their outer pipes, so they are not read as the frame's and its goals are not read; the header row is `{}`",
        t::mbo_header()
    )
}

/// Where the lines of the table whose header row is line `first` of `text`
/// lack an outer pipe, and the text each needs there (`| `, ` |`). The
/// table is its lines up to an empty one, one without a `|`, or one that
/// starts a block of markdown's own (a heading, a quote, a fence, an HTML
/// line, a list item), which ends a table as it ends a paragraph: a
/// heading holding a `|` is the next block's, and piping it would unmake
/// it.
pub fn missing_pipes(text: &str, lines: &Lines, first: usize) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for i in first..lines.count() {
        let r = lines.range(text, i);
        let line = &text[r.clone()];
        let cells = line.trim_ascii();
        let own_block = i > first
            && (cells.starts_with(['#', '>', '<', '`', '~'])
                || t::after_list_marker(cells).is_some()
                || t::after_item_number(cells).is_some());
        if cells.is_empty() || !cells.contains('|') || own_block {
            break;
        }
        if !cells.starts_with('|') {
            out.push((r.start + (line.len() - line.trim_ascii_start().len()), "| "));
        }
        if !cells.ends_with('|') {
            out.push((r.start + line.trim_ascii_end().len(), " |"));
        }
    }
    out
}

/// What is said of an MBO row right under its table's header row, with no
/// row of dashes between them.
pub fn unruled_table_message() -> String {
    format!(
        "this MBO row stands right under the table's header row, with no row of dashes (`{}`) between them, so markdown shows the table as text and its values, and those of the rows under it, are not read",
        t::mbo_rule()
    )
}

/// What is said of a markdown MBO row of values that stands where a
/// table's header row would, and of the rows right under it, by `lint`
/// and `export` alike: markdown shows them as text. `after_table`: blank
/// lines part them from the table above.
pub fn outside_table_message(after_table: bool) -> String {
    if after_table {
        "this MBO row, and any right under it, is cut off from its table by the blank line above it, so markdown shows them as text and their values are not read; take the blank line out".to_string()
    } else {
        format!(
            "this MBO row, and any right under it, is not in a table: no header row (`{}`) and row of dashes stand above it, so markdown shows them as text and their values are not read",
            t::mbo_header()
        )
    }
}
