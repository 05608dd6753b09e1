//! The markdown tables of a block, as the goal reader reads them
//! (`goals.rs`): which tables are the frame's, where the one being read
//! stands line by line, which are the writer's own, and the lines not
//! read where they stand, said as `lint` reports them.

use crate::goals::slots::RowKind;
use crate::goals::unread::{is_mbo_header, table_lacks_pipes};
use crate::render::template as t;
use crate::render::Frame;

use super::{Edit, Fix, Lack, Lines};

/// Whether `line` (trimmed), no row of the frame's, is the MBO table's
/// header row where table rows are not the frame's ([`frame_tables`]):
/// the MBO table under another frame's title, whose areas would be left
/// out.
pub fn misplaced_header(line: &str, md: bool, tables: bool, row: Option<RowKind>) -> bool {
    md && !tables && row.is_none() && line.starts_with('|') && is_mbo_header(line)
}

/// A line the goal reader does not read where it stands, which `lint`
/// reports in the reader's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    No,
    /// An MBO row cut off from its table (`cut_off_row`).
    CutOff,
    /// An MBO row right under a header row without the row of dashes
    /// (`unruled_row`).
    Unruled,
    /// The MBO table under another frame's title (`misplaced_table`).
    Misplaced,
    /// A row of a table of the writer's own: not read, and not judged
    /// (`lint` says of it only what it says of any text).
    Own,
    /// The header row of a table read as the MBO table though it is
    /// headed otherwise (`renamed_header`): its rows are read as areas.
    Renamed,
    /// The header row of a table of the writer's own joined to the MBO
    /// table ([`glued_header`], `glued_table`).
    Glued,
    /// A row of dashes among the MBO table's rows ([`stray_rule`],
    /// `stray_rule_lack`): it hides no area.
    Stray,
    /// A row of a table of the writer's own that holds a standard in its
    /// second cell (`own_area`): an MBO area, by the look of it, which is
    /// not read.
    OwnArea,
}

impl Unread {
    /// What is said of an MBO row `line` [`outside_table`] in a table at
    /// `table`: it is reported where it stands in a header row's place,
    /// or right under a header row without its row of dashes; one in a
    /// table without its outer pipes is reported at the header; one in a
    /// table of the writer's own only if it holds a standard, as an area
    /// does.
    pub fn outside(table: Table, line: &str) -> Unread {
        match table {
            Table::Before => Unread::CutOff,
            Table::Header => Unread::Unruled,
            Table::Rows | Table::Unpiped | Table::Misplaced => Unread::No,
            Table::Own if second_cell(line).is_some_and(holds_standard) => Unread::OwnArea,
            Table::Own => Unread::Own,
        }
    }

    /// What is said of an MBO row `line` in a table outside an MBO
    /// section (a metrics table under the OKRs): nothing, unless it stands
    /// in a frame's `section`, outside the MBO table misplaced there
    /// (`table`: reported at its header), and its second cell starts with
    /// the template's words for a standard, as an area's does. (A quote
    /// alone is no sign there: a writer's table may well quote something.)
    pub fn elsewhere(line: &str, section: Option<Frame>, table: Table) -> Unread {
        match second_cell(line) {
            Some(c)
                if section.is_some()
                    && table != Table::Misplaced
                    && c.starts_with(t::STANDARD.trim_end()) =>
            {
                Unread::OwnArea
            }
            _ => Unread::Own,
        }
    }

    /// As reported, for line `i` of `text` in a section of `section`.
    pub fn lack(self, text: &str, lines: &Lines, i: usize, section: Option<Frame>) -> Option<Lack> {
        match self {
            Unread::No | Unread::Own => None,
            Unread::CutOff => cut_off_row(text, lines, i),
            Unread::Unruled => unruled_row(text, lines, i),
            Unread::Misplaced => Some(misplaced_table(text, lines, i, section)),
            Unread::Renamed => Some(renamed_header(text, lines, i)),
            Unread::Glued => Some(glued_table(text, lines, i)),
            Unread::Stray => Some(stray_rule_lack(text, lines, i)),
            Unread::OwnArea => Some(own_area(text, lines, i)),
        }
    }
}

/// Whether markdown table rows are the frame's in `section`: in an MBO
/// section. A table elsewhere in a block (a metrics table under the
/// OKRs) is the writer's own: its rows are no goals and no goal's rows.
pub fn frame_tables(md: bool, section: Option<Frame>) -> bool {
    md && section == Some(Frame::Mbo)
}

/// `row`, the kind a line reads as, as the frame reads it in `section`:
/// an MBO row of values in a markdown table outside an MBO section is a
/// row of the writer's own ([`frame_tables`]).
pub fn frame_row(row: Option<RowKind>, md: bool, section: Option<Frame>) -> Option<RowKind> {
    row.filter(|&k| !(md && k == RowKind::Mbo) || frame_tables(md, section))
}

/// The markdown tables of a block's MBO section as read so far: where the
/// one being read stands, and whether the MBO table was read before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tables {
    pub at: Table,
    /// A table headed as the MBO table was read: a table after it headed
    /// otherwise is the writer's own (`| Metric | Baseline | Target | Due
    /// |`). Before it, a table headed otherwise is read as the MBO table
    /// (its header renamed), so that no area goes missing without a word.
    mbo_read: bool,
}

impl Tables {
    /// Its header row, `content`, read: the table is the MBO table, the
    /// writer's own (headed otherwise below the MBO table), or one
    /// without its outer pipes.
    pub fn header(&mut self, content: &str) {
        let mbo = is_mbo_header(content);
        self.at = if !mbo && self.mbo_read {
            Table::Own
        } else if table_lacks_pipes(content) {
            Table::Unpiped
        } else {
            Table::Header
        };
        self.mbo_read |= mbo;
    }

    /// A blank line ends the table being read.
    pub fn end(&mut self) {
        self.at = Table::Before;
    }

    /// A table of the writer's own joined to the MBO table starts here
    /// ([`glued_header`]): its rows are not read.
    pub fn glued(&mut self) {
        self.at = Table::Own;
    }

    /// The MBO table's header row under another frame's title
    /// ([`misplaced_header`]) was read: the table is reported there.
    pub fn misplaced(&mut self) {
        self.at = Table::Misplaced;
    }
}

/// Where a markdown table stands, line by line (a blank line ends it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Table {
    /// No header row read.
    #[default]
    Before,
    /// After its header row, before its row of dashes: without that row
    /// markdown shows the lines as text, so a row here is not read.
    Header,
    /// After its header row and row of dashes: its rows are read.
    Rows,
    /// After a header row an outer pipe of which is missing: reported
    /// there, and its rows are not read.
    Unpiped,
    /// A table of the writer's own (below the MBO table: `Tables::mbo_read`;
    /// joined to it: [`glued_header`]): its rows are no goals and no
    /// goal's rows, and nothing is said of them.
    Own,
    /// The MBO table under another frame's title (`misplaced_table`): it
    /// is reported at its header row, and nothing is said of its rows.
    Misplaced,
}

/// Whether `line`, read as a row of `row`'s kind, is a markdown MBO row
/// of values that is not read where it stands: where a table's header row
/// would be (`Table::Before`), between the header row and a row of dashes
/// not there (`Table::Header`: markdown shows both as text), in a table
/// whose header row lacks an outer pipe, or in a table of the writer's
/// own. It starts no goal and is no goal's row. `tables`: [`frame_tables`].
pub fn outside_table(line: &str, tables: bool, row: Option<RowKind>, table: Table) -> bool {
    tables
        && table != Table::Rows
        && row == Some(RowKind::Mbo)
        && line.trim_start().starts_with('|')
}

/// Whether `line` (ending at byte `end` of `text`), which reads as a
/// markdown MBO row of values (`row`) where a table's header row would be,
/// is that header row: a row of dashes stands right under it. A table of
/// the writer's own (`| Metric | Now | Goal | When |`) is headed so; an
/// MBO row cut off from its table has none under it ([`outside_table`]).
pub fn header_read_as_row(
    text: &str,
    line: &str,
    end: usize,
    tables: bool,
    row: Option<RowKind>,
    table: Table,
) -> bool {
    tables
        && table == Table::Before
        && row == Some(RowKind::Mbo)
        && line.trim_start().starts_with('|')
        && ruled_below(text, end)
}

/// Whether `line` (ending at byte `end` of `text`), among the rows of the
/// MBO table, is the header row of a table of the writer's own joined to
/// it without a blank line between: a row of dashes stands right under
/// it. Markdown shows the two as one table; the rows under it are not
/// read as areas (`glued_table`). An area's row (its standard in its
/// second cell: [`reads_as_area`]) is none: the row of dashes under it is
/// a stray one ([`stray_rule`]), and the areas under it are read. Asked
/// of every area's row: the next line's first bytes tell almost always.
pub fn glued_header(text: &str, line: &str, end: usize, tables: bool, table: Table) -> bool {
    tables
        && table == Table::Rows
        && line.trim_start().starts_with('|')
        && ruled_below(text, end)
        && !reads_as_area(line)
}

/// Whether the table line `line` is an MBO area's row by its second
/// cell: the standard the template writes there, or nothing (a level
/// without the rubric), or a quote (the standard's words edited around
/// its canon text). A header row of the writer's own names a column
/// there.
fn reads_as_area(line: &str) -> bool {
    second_cell(line).is_some_and(|c| c.is_empty() || holds_standard(c))
}

/// Whether a table's second cell `cell` holds a standard: the template's
/// words, or a quote. (An empty one may be a writer's row as well.)
fn holds_standard(cell: &str) -> bool {
    cell.starts_with(t::STANDARD.trim_end())
        || cell.contains(t::QUOTE)
        || cell.contains(t::CURLY_OPEN)
}

/// The second cell of the table line `line`, trimmed (pipes escaped with
/// a backslash are the cells' text).
fn second_cell(line: &str) -> Option<&str> {
    let inner = line.trim().trim_start_matches('|');
    let mut pipes = crate::goals::slots::cell_pipes(inner);
    let (a, b) = (pipes.next()?, pipes.next()?);
    Some(inner[a + 1..b].trim())
}

/// Whether `line` is a row of dashes among the rows of the MBO table
/// (`table`: [`Table::Rows`]; `tables`: [`frame_tables`]). Markdown
/// shows it as a row of `---` cells, not as a rule (`stray_rule_lack`).
pub fn stray_rule(line: &str, tables: bool, table: Table) -> bool {
    tables && table == Table::Rows && {
        let trimmed = line.trim();
        trimmed.starts_with('|') && is_rule(trimmed.trim_matches('|'))
    }
}

/// Whether the line after the one ending at byte `end` of `text` is a
/// markdown table's row of dashes.
fn ruled_below(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let Some(rest) = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
    else {
        return false;
    };
    let next = rest.trim_start_matches([' ', '\t']);
    let Some(cells) = next.strip_prefix('|') else {
        return false;
    };
    // A row of dashes starts `| ---` or `| :--`; a row of values hardly.
    if !cells
        .trim_start_matches([' ', '\t'])
        .starts_with(['-', ':'])
    {
        return false;
    }
    let next = next.split('\n').next().unwrap_or("").trim();
    is_rule(next.trim_matches('|'))
}

/// Whether `inner` (a table line inside its outer pipes) is a row of
/// dashes: every cell dashes and colons.
pub(super) fn is_rule(inner: &str) -> bool {
    inner.split('|').all(|c| {
        let c = c.trim();
        !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
    })
}

/// An MBO row right under its table's header row, with no row of dashes
/// between them (line `i`): markdown shows the table as text. Reported
/// there, once a table (the rows under it are not read either), with the
/// fix that puts the row of dashes back.
fn unruled_row(text: &str, lines: &Lines, i: usize) -> Option<Lack> {
    let line = |j: usize| text[lines.range(text, j)].trim();
    // Line `i - 1` is the header row: the first of the table's lines.
    let header = i.checked_sub(1)?;
    if !line(header).starts_with('|') || (header > 0 && line(header - 1).starts_with('|')) {
        return None;
    }
    let range = lines.range(text, i);
    let mut edits = vec![Edit {
        range: range.start..range.start,
        new_text: [&t::mbo_rule(), lines.break_of(text, header)].concat(),
    }];
    // A row moved above the row of dashes: the row of dashes moves up.
    let mut j = i + 1;
    while j < lines.count() && line(j).starts_with('|') {
        if is_rule(line(j).trim_matches('|')) {
            edits.push(Edit {
                range: lines.with_break(j),
                new_text: String::new(),
            });
            break;
        }
        j += 1;
    }
    Some(Lack {
        range: range.clone(),
        message: crate::goals::unread::unruled_table_message(),
        fixes: vec![Fix {
            safe: true,
            title: "Put the row of dashes under the header row".to_string(),
            edits,
        }],
    })
}

/// A markdown MBO row of values standing where its table's header row
/// would ([`outside_table`]), line `i` of `text`, as
/// reported: the first of such rows in a run (those under it go with
/// it), with the fix that takes out the blank lines parting it from the
/// table above, or else puts the table's header row and row of dashes
/// above it.
fn cut_off_row(text: &str, lines: &Lines, i: usize) -> Option<Lack> {
    let line = |j: usize| text[lines.range(text, j)].trim();
    if i > 0 && line(i - 1).starts_with('|') {
        return None;
    }
    let mut first_blank = i;
    while first_blank > 0 && line(first_blank - 1).is_empty() {
        first_blank -= 1;
    }
    let after_table = first_blank < i && first_blank > 0 && line(first_blank - 1).starts_with('|');
    let range = lines.range(text, i);
    let fix = if after_table {
        Fix {
            safe: true,
            title: "Take out the blank line above the row".to_string(),
            edits: vec![Edit {
                range: lines.start(first_blank)..lines.start(i),
                new_text: String::new(),
            }],
        }
    } else {
        let nl = lines.break_of(text, i);
        // A table starts after a blank line.
        let gap = if first_blank == i && i > 0 { nl } else { "" };
        Fix {
            safe: true,
            title: "Put the table's header row above the row".to_string(),
            edits: vec![Edit {
                range: range.start..range.start,
                new_text: format!("{gap}{}{nl}{}{nl}", t::mbo_header(), t::mbo_rule()),
            }],
        }
    };
    Some(Lack {
        range,
        message: crate::goals::unread::outside_table_message(after_table),
        fixes: vec![fix],
    })
}

/// The MBO table's header row, line `i` of `text`, under the title of
/// `section`, another frame's, as reported.
fn misplaced_table(text: &str, lines: &Lines, i: usize, section: Option<Frame>) -> Lack {
    Lack {
        range: lines.range(text, i),
        message: crate::goals::unread::misplaced_table_message(section.unwrap_or(Frame::Smart)),
        fixes: Vec::new(),
    }
}

/// The header row, line `i` of `text`, of a table of the writer's own
/// joined to the MBO table above it ([`glued_header`]), as reported, with
/// the fix that puts a blank line between the two. Markdown shows one
/// table: its rows would pass for areas to a reader, and they are not
/// read as such, so `export` refuses the document until they are parted.
fn glued_table(text: &str, lines: &Lines, i: usize) -> Lack {
    let range = lines.range(text, i);
    // Rows under it that read as areas: the "header" may be an area
    // whose standard was rewritten, and parting the tables would leave
    // those areas unread without a word. Offered then, not fix-all's.
    let areas_below = (i + 2..lines.count())
        .map(|j| &text[lines.range(text, j)])
        .take_while(|l| l.trim_start().starts_with('|'))
        .any(|l| second_cell(l).is_some_and(holds_standard));
    let mut message = "this is the header row of a table of your own, joined to the MBO table above it: markdown shows the two as one table, but its rows are not read as areas; put a blank line above it".to_string();
    if areas_below {
        message.push_str(", or, if it is an area whose standard was rewritten (rows under it hold a standard), write the standard back and take out the row of dashes under it");
    }
    Lack {
        range: range.clone(),
        message,
        fixes: vec![Fix {
            safe: !areas_below,
            title: "Put a blank line above the table".to_string(),
            edits: vec![Edit {
                range: range.start..range.start,
                new_text: lines.break_of(text, i).to_string(),
            }],
        }],
    }
}

/// A row of dashes, line `i` of `text`, among the MBO table's rows
/// ([`stray_rule`]), as reported, with the fix that takes it out. The
/// areas around it are read; only the table shows a row of dashes.
fn stray_rule_lack(text: &str, lines: &Lines, i: usize) -> Lack {
    Lack {
        range: lines.range(text, i),
        message: "this row of dashes stands among the MBO table's rows: markdown shows it as a row of `---` cells, not as a rule; take it out".to_string(),
        fixes: vec![Fix {
            safe: true,
            title: "Take out the row of dashes".to_string(),
            edits: vec![Edit {
                range: lines.with_break(i),
                new_text: String::new(),
            }],
        }],
    }
}

/// A row, line `i` of `text`, of a table of the writer's own that holds a
/// standard as an MBO area does (an area put below the MBO table, or
/// left under a header parted from it), as reported: it is not read, so
/// `export` would leave it out. No fix: where it belongs is the writer's.
fn own_area(text: &str, lines: &Lines, i: usize) -> Lack {
    Lack {
        range: lines.range(text, i),
        message: "this row holds a standard as an MBO area does, but it stands in a table of your own (below the MBO table, under a header row of its own, or under another frame's title), so it is not read as an area and would be left out of an export; move it into the MBO table".to_string(),
        fixes: Vec::new(),
    }
}

/// The header row, line `i` of `text`, of the first table under the MBO
/// title, headed otherwise than the MBO table (`Tables::mbo_read`): its
/// rows are read (and exported) as areas, which the writer may not know.
/// The header is restored only when asked, and only where the table has
/// the MBO table's four columns: the table may be the writer's own.
fn renamed_header(text: &str, lines: &Lines, i: usize) -> Lack {
    let range = lines.range(text, i);
    let line = &text[range.clone()];
    let header = t::mbo_header();
    let columns = line.trim().trim_matches('|').split('|').count();
    let fixes = if columns == t::MBO_COLUMNS.len() {
        let start = range.start + line.len() - line.trim_start().len();
        vec![Fix {
            safe: false,
            title: "Restore the MBO table's header row".to_string(),
            edits: vec![Edit {
                range: start..range.start + line.trim_end().len(),
                new_text: header.clone(),
            }],
        }]
    } else {
        Vec::new()
    };
    Lack {
        range,
        message: format!(
            "this table is read as the MBO table, so its rows are exported as MBO areas, but its header row is not the MBO table's `{header}`: restore the header, or, if the table is your own, put it below the MBO table"
        ),
        fixes,
    }
}
