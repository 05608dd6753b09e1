//! What keeps rows from being read as a frame's, and what is said of it
//! by `lint` and `export` alike: an MBO table whose header row lacks an
//! outer pipe (its rows are not read), a key result the OKR frame does
//! not have (`KR3.`, found by the row reader:
//! [`read_row_or_extra`](super::slots::read_row_or_extra)).

use crate::lines::Lines;
use crate::render::template as t;

/// What is said of a key result the OKR frame does not have
/// ([`read_row_or_extra`](super::slots::read_row_or_extra)), by `lint` and `export` alike.
pub fn extra_key_result_message(label: &str) -> String {
    format!(
        "the OKR frame has two key results, `{}` and `{}`: this `{label}` row is not read, so an export would leave it out; put what it measures in one of them, or move it out of the frame",
        t::KR1,
        t::KR2
    )
}

/// Whether `line` is the MBO table's header row with an outer pipe
/// missing (`Area | Standard | Target | Due`, which a team's markdownlint
/// `table-pipe-style` asks for): its rows are not read as the frame's.
pub fn table_lacks_pipes(line: &str) -> bool {
    let s = line.trim_ascii();
    let cells = s.strip_prefix('|').unwrap_or(s);
    let cells = cells.strip_suffix('|').unwrap_or(cells);
    cells.len() + 2 != s.len() && cells.split('|').map(str::trim_ascii).eq(t::MBO_COLUMNS)
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
/// table is its lines up to an empty one or one without a `|`.
pub fn missing_pipes(text: &str, lines: &Lines, first: usize) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for i in first..lines.count() {
        let r = lines.range(text, i);
        let line = &text[r.clone()];
        let cells = line.trim_ascii();
        if cells.is_empty() || !cells.contains('|') {
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
