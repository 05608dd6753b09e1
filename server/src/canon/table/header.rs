//! The header row of a canon table: which column is where, and which
//! rows above it are titles rather than the header.

use super::{
    did_you_mean, is_blank, quote, quote_list, Col, Current, Import, Pos, Slot, ALL, COLUMNS,
};

impl Import {
    /// A row of the current table as a reader finds it (`row`, 1-based, as
    /// the sheet numbers it): the header while none has been taken (blank
    /// rows and titles above it passed over), then the table's rows.
    pub fn offer<S: AsRef<str>>(&mut self, row: usize, cells: &[S]) {
        if self.has_header() {
            self.row(row, cells);
        } else if cells.iter().any(|c| !is_blank(c.as_ref())) {
            self.header(row, cells);
        }
    }

    /// Whether the current table's header has been taken.
    pub fn has_header(&self) -> bool {
        self.current.is_some()
    }

    /// The current table is over: one without a header says so.
    pub fn end_table(&mut self) {
        if !self.has_header() {
            self.header::<&str>(1, &[]);
        }
    }

    /// The current table's first row with content (`row`, 1-based;
    /// `cells` empty when the table holds no row at all): its header,
    /// unless it is a title above it — one cell that names no column
    /// (`Job architecture 2026`), as HR sheets often open with; a header
    /// names eight columns at least. After a title, the next row with
    /// content is the header's to take ([`Import::offer`]).
    pub fn header<S: AsRef<str>>(&mut self, row: usize, cells: &[S]) {
        let Some(t) = self.tables.len().checked_sub(1) else {
            return;
        };
        let at = |column: usize| Pos {
            table: t,
            row,
            column,
        };
        let mut filled =
            (cells.iter().map(AsRef::as_ref).enumerate()).filter(|(_, c)| !is_blank(c));
        if let (Some((i, only)), None) = (filled.next(), filled.next()) {
            let names_columns =
                COLUMNS.contains(&normalise_header(only).as_str()) || separator(only).is_some();
            if !names_columns {
                // Kept as a message shows it: a title may be any size.
                self.title_row
                    .get_or_insert_with(|| (at(i + 1), quote(only.trim()).into_owned()));
                return;
            }
        }
        let mut slots = Vec::with_capacity(cells.len());
        let mut index = [None; 9];
        if cells.iter().all(|c| is_blank(c.as_ref())) {
            let (at, what) = match self.title_row.take() {
                Some((pos, title)) => (pos, format!("`{title}` is a title, and no row below it")),
                None => (at(1), "the first row".to_string()),
            };
            self.err(
                at,
                format!(
                    "no header row: {what} names the columns ({})",
                    COLUMNS.join(", ")
                ),
            );
            self.current = Some(Current {
                table: t,
                slots,
                index,
            });
            return;
        }
        for (i, cell) in cells.iter().enumerate() {
            let cell = cell.as_ref();
            if is_blank(cell) {
                slots.push(Slot::Unnamed);
                continue;
            }
            let name = normalise_header(cell);
            match ALL.iter().find(|c| c.name() == name) {
                Some(&col) if index[col as usize].is_some() => {
                    self.err(at(i + 1), format!("column `{}` appears twice", col.name()));
                    slots.push(Slot::Unknown);
                }
                Some(&col) => {
                    index[col as usize] = Some(i);
                    slots.push(Slot::Column);
                }
                None => {
                    let mut message = format!("unknown column `{}`", quote(cell.trim()));
                    if let Some(sep) = separator(cell) {
                        let sep = if sep == '\t' { "tabs" } else { "`;`" };
                        message.push_str(&format!(
                            "; its cells seem to be separated by {sep}: save the table as CSV with commas, or as .xlsx"
                        ));
                        self.err(at(i + 1), message);
                        slots.push(Slot::Unknown);
                        continue;
                    }
                    match did_you_mean(&name, &COLUMNS) {
                        Some(s) => message.push_str(&format!("; did you mean `{s}`?")),
                        None => message.push_str(&format!(
                            "; the columns are {}",
                            quote_list(&COLUMNS.map(String::from))
                        )),
                    }
                    self.err(at(i + 1), message);
                    slots.push(Slot::Unknown);
                }
            }
        }
        // `aliases` may be left out; every other column is needed.
        for col in ALL {
            if col != Col::Aliases && index[col as usize].is_none() {
                self.err(
                    at(cells.len() + 1),
                    format!("missing column `{}`", col.name()),
                );
            }
        }
        self.current = Some(Current {
            table: t,
            slots,
            index,
        });
    }
}

/// The header names a column may also be written as: case, spaces and
/// hyphens aside (`Level Name`, `level-name`).
fn normalise_header(cell: &str) -> String {
    cell.trim()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '-' {
                '_'
            } else {
                c
            }
        })
        .collect::<String>()
        .to_lowercase()
}

/// What separates the column names of a header saved as one cell, as some
/// spreadsheets save "CSV" (`role;title;…`, or tabs): a separator that
/// parts two names of columns or more.
fn separator(cell: &str) -> Option<char> {
    [';', '\t'].into_iter().find(|&sep| {
        cell.split(sep)
            .filter(|part| COLUMNS.contains(&normalise_header(part).as_str()))
            .count()
            >= 2
    })
}
