//! The canon as one table, the form HR teams keep it in (docs/canon.md,
//! "From a spreadsheet"): one row per canon text, with the columns
//! [`COLUMNS`]. Rows in, a [`Canon`] out ([`Import`]); a canon in, rows out
//! ([`export`]).
//!
//! Plain data both ways: reading `.csv` and `.xlsx` files and writing
//! directories is the command line's business. Every problem is a
//! [`TableError`] naming its file, row and column as a spreadsheet shows
//! them, and a table with any problem gives no canon.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::load::did_you_mean;
use super::{quote_list, Canon, Dimension, Level, LevelTexts, Role, RoleLevel, ROLE_TEXT_LIMIT};
use crate::quote::quote;

/// The table's columns, in the order `canon export` writes them.
pub const COLUMNS: [&str; 9] = [
    "role",
    "title",
    "family",
    "aliases",
    "level",
    "level_name",
    "kind",
    "name",
    "text",
];

/// The values of the `kind` column.
pub const KINDS: [&str; 3] = ["responsibility", "rubric", "dimension"];

/// What separates aliases in the `aliases` column (`\;` is a `;` inside
/// one, `\\` a backslash).
pub const ALIAS_SEPARATOR: char = ';';

/// A column of the table, by its position in [`COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Role = 0,
    Title,
    Family,
    Aliases,
    Level,
    LevelName,
    Kind,
    Name,
    Text,
}

const ALL: [Col; 9] = [
    Col::Role,
    Col::Title,
    Col::Family,
    Col::Aliases,
    Col::Level,
    Col::LevelName,
    Col::Kind,
    Col::Name,
    Col::Text,
];

impl Col {
    fn name(self) -> &'static str {
        COLUMNS[self as usize]
    }
}

/// One table's name as positions are written: `file:12:3` for a CSV
/// file, `file[Sheet]!C12` for a sheet of a workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub file: String,
    /// The sheet, for a workbook.
    pub sheet: Option<String>,
}

/// Where a cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    /// Index into [`Import::tables`].
    table: usize,
    /// 1-based, as a spreadsheet numbers rows (its first is row 1).
    row: usize,
    /// 1-based.
    column: usize,
}

/// One problem in a table, at a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    pub table: Table,
    /// 1-based, as a spreadsheet numbers rows (its first is row 1).
    pub row: usize,
    /// 1-based (`A` is 1).
    pub column: usize,
    pub message: String,
}

impl TableError {
    /// `file:12:3`, or `file[Sheet]!C12` for a workbook.
    pub fn location(&self) -> String {
        location(&self.table, self.row, self.column)
    }
}

fn location(table: &Table, row: usize, column: usize) -> String {
    match &table.sheet {
        Some(sheet) => format!("{}[{sheet}]!{}{row}", table.file, column_letters(column)),
        None => format!("{}:{row}:{column}", table.file),
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// Every problem of one import, in table, row and column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableErrors(pub Vec<TableError>);

impl fmt::Display for TableErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::canon::write_lines(f, &self.0)
    }
}

impl std::error::Error for TableErrors {}

/// `A`, …, `Z`, `AA`, … for a 1-based column number.
pub fn column_letters(column: usize) -> String {
    let mut n = column;
    let mut letters = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        letters.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Aliases as the `aliases` column writes them: `ae; field sales`.
pub fn join_aliases(aliases: &[String]) -> String {
    let mut out = String::new();
    for (i, alias) in aliases.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        for c in alias.chars() {
            if c == '\\' || c == ALIAS_SEPARATOR {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The aliases of an `aliases` cell: split at `;` (not at `\;`), each
/// trimmed, empty ones dropped.
pub fn split_aliases(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some(&'\\') | Some(&ALIAS_SEPARATOR)) => {
                current.extend(chars.next());
            }
            ALIAS_SEPARATOR => {
                push_alias(&mut out, &current);
                current.clear();
            }
            c => current.push(c),
        }
    }
    push_alias(&mut out, &current);
    out
}

fn push_alias(out: &mut Vec<String>, alias: &str) {
    let alias = alias.trim();
    if !alias.is_empty() {
        out.push(alias.to_string());
    }
}

/// What a column holds for one row, from a header.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Column,
    /// A header this importer does not know (already reported).
    Unknown,
    /// An empty header cell: a value below it is an error.
    Unnamed,
}

/// The table being read: its header's columns.
struct Current {
    table: usize,
    slots: Vec<Slot>,
    /// Where each known column is (0-based), if the header has it.
    index: [Option<usize>; 9],
}

/// A value first given at some cell, which later rows must agree with.
struct Given<T> {
    value: T,
    at: Pos,
}

struct RoleEntry {
    id: String,
    /// The role cell of its first row.
    first: Pos,
    title: Option<Given<String>>,
    family: Option<Given<String>>,
    aliases: Option<Given<Vec<String>>>,
    /// (index into `Import::levels`, its texts, in the order first seen).
    levels: Vec<(usize, LevelTexts)>,
    /// Bytes of text over its levels.
    text: usize,
}

struct LevelEntry {
    code: String,
    /// The level cell of its first row.
    first: Pos,
    name: Option<Given<String>>,
    dimensions: Vec<Dimension>,
}

/// Rows in, a canon out. Start each table with [`Import::begin`], give
/// its header row to [`Import::header`], then its rows, in order, to
/// [`Import::row`]; then [`Import::finish`]. Tables are read one after another into one canon,
/// and row order is canon order.
#[derive(Default)]
pub struct Import {
    tables: Vec<Table>,
    current: Option<Current>,
    errors: Vec<(Pos, String)>,
    roles: Vec<RoleEntry>,
    role_index: HashMap<String, usize>,
    levels: Vec<LevelEntry>,
    /// Lower-cased code → index into `levels`.
    level_index: HashMap<String, usize>,
    /// Role ids and level codes already reported as malformed (once each).
    reported: std::collections::HashSet<String>,
    rubric_keys: HashMap<String, Arc<str>>,
    /// (role, level) → index into that role's `levels`: rows of one role
    /// level need not be together, and a role may have any number of
    /// levels (looking through them for each row cost their square).
    role_levels: HashMap<(usize, usize), usize>,
    /// Rows with content, over all tables.
    rows: usize,
    /// The most text a role may hold if not [`ROLE_TEXT_LIMIT`] (a test's).
    text_limit: Option<usize>,
    /// The current table's first title row, above its header: where, and
    /// its text (named if no header follows it).
    title_row: Option<(Pos, String)>,
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl Import {
    pub fn new() -> Import {
        Import::default()
    }

    fn err(&mut self, at: Pos, message: impl Into<String>) {
        self.errors.push((at, message.into()));
    }

    /// Starts a table; its header row comes next ([`Import::header`]).
    pub fn begin(&mut self, table: Table) {
        self.tables.push(table);
        self.current = None;
        self.title_row = None;
    }

    /// An error the reader found at a cell of the current table (a cell
    /// that is not UTF-8, a formula error); `column` is 1-based.
    pub fn cell_error(&mut self, row: usize, column: usize, message: impl Into<String>) {
        let table = self.tables.len().saturating_sub(1);
        self.err(Pos { table, row, column }, message);
    }

    /// One row of the current table (`row`, 1-based, as a spreadsheet
    /// numbers it). A row whose cells are all blank is skipped.
    pub fn row<S: AsRef<str>>(&mut self, row: usize, cells: &[S]) {
        let Some(current) = self.current.take() else {
            return;
        };
        self.row_in(&current, row, cells);
        self.current = Some(current);
    }

    fn row_in<S: AsRef<str>>(&mut self, current: &Current, row: usize, cells: &[S]) {
        if cells.iter().all(|c| is_blank(c.as_ref())) {
            return;
        }
        self.rows += 1;
        let table = current.table;
        let at = |col: usize| Pos {
            table,
            row,
            column: col + 1,
        };
        let errors_before = self.errors.len();
        // Cells outside the known columns, and line breaks anywhere.
        for (i, cell) in cells.iter().enumerate() {
            let cell = cell.as_ref();
            match current.slots.get(i) {
                Some(Slot::Column) => {
                    if let Some(c) = crate::quote::unshown_in(cell) {
                        self.err(at(i), crate::canon::unshown_message(c, "a cell", "text"));
                    }
                }
                Some(Slot::Unknown) => {}
                Some(Slot::Unnamed) | None => {
                    if !is_blank(cell) {
                        self.err(at(i), "a value in a column with no header");
                    }
                }
            }
        }
        let get = |col: Col| -> (&str, Pos) {
            match current.index[col as usize] {
                Some(i) => (cells.get(i).map_or("", |c| c.as_ref()), at(i)),
                // A missing column is reported at the header; its cells
                // are empty, and errors about them point at the row's
                // first cell.
                None => ("", at(0)),
            }
        };
        let (role, role_at) = get(Col::Role);
        let (title, title_at) = get(Col::Title);
        let (family, family_at) = get(Col::Family);
        let (aliases, aliases_at) = get(Col::Aliases);
        let (level, level_at) = get(Col::Level);
        let (level_name, level_name_at) = get(Col::LevelName);
        let (kind, kind_at) = get(Col::Kind);
        let (name, name_at) = get(Col::Name);
        let (text, text_at) = get(Col::Text);
        let (role, level, kind_word) = (role.trim(), level.trim(), kind.trim());

        // The role: its id, and what this row says of it.
        let role_entry = if role.is_empty() {
            for (value, pos, col) in [
                (title, title_at, Col::Title),
                (family, family_at, Col::Family),
                (aliases, aliases_at, Col::Aliases),
            ] {
                if !is_blank(value) {
                    self.err(
                        pos,
                        format!("`{}` is given but `role` is empty", col.name()),
                    );
                }
            }
            None
        } else if !super::load::is_slug(role) {
            if self.reported.insert(format!("role\0{role}")) {
                self.err(
                    role_at,
                    format!("role id `{}` is not a slug: use lower-case letters, digits and `-`, starting with a letter or digit", quote(role)),
                );
            }
            None
        } else {
            let r = self.role_entry(role, role_at);
            self.agree_text(r, Col::Title, title, title_at);
            self.agree_text(r, Col::Family, family, family_at);
            if !is_blank(aliases) {
                let list = split_aliases(aliases);
                let entry = &mut self.roles[r];
                match &entry.aliases {
                    None => {
                        entry.aliases = Some(Given {
                            value: list,
                            at: aliases_at,
                        })
                    }
                    Some(first) if first.value != list => {
                        let message = format!(
                            "role `{}` has aliases `{}` at {}; this row says `{}`",
                            quote(&entry.id),
                            quote(&join_aliases(&first.value)),
                            pos_text(&self.tables, first.at),
                            quote(&join_aliases(&list))
                        );
                        self.err(aliases_at, message);
                    }
                    Some(_) => {}
                }
            }
            Some(r)
        };

        // The level, and its name.
        let level_entry = if level.is_empty() {
            if !is_blank(level_name) {
                self.err(level_name_at, "`level_name` is given but `level` is empty");
            }
            None
        } else if level.contains(|c: char| c.is_whitespace() || c == '/') {
            if self.reported.insert(format!("level\0{level}")) {
                self.err(
                    level_at,
                    {
                        let level = quote(level);
                        format!("level code `{level}` has white space or `/`; tokens like `@role/{level}` could not name it")
                    },
                );
            }
            None
        } else {
            let l = self.level_entry(level, level_at);
            if !is_blank(level_name) {
                let entry = &mut self.levels[l];
                match &entry.name {
                    None => {
                        entry.name = Some(Given {
                            value: level_name.to_string(),
                            at: level_name_at,
                        })
                    }
                    Some(first) if first.value != level_name => {
                        let message = format!(
                            "level `{}` is named `{}` at {}; this row says `{}`",
                            quote(&entry.code),
                            quote(&first.value),
                            pos_text(&self.tables, first.at),
                            quote(level_name)
                        );
                        self.err(level_name_at, message);
                    }
                    Some(_) => {}
                }
            }
            Some(l)
        };

        // What the row holds.
        let kind = if kind_word.is_empty() {
            None
        } else {
            match KINDS.iter().position(|k| k.eq_ignore_ascii_case(kind_word)) {
                Some(k) => Some(k),
                None => {
                    let mut message = format!("unknown kind `{}`", quote(kind_word));
                    match did_you_mean(kind_word, &KINDS) {
                        Some(s) => message.push_str(&format!("; did you mean `{s}`?")),
                        None => message.push_str(&format!(
                            "; a kind is {}",
                            quote_list(&KINDS.map(String::from))
                        )),
                    }
                    self.err(kind_at, message);
                    return;
                }
            }
        };
        let need = |this: &mut Import, value: &str, pos: Pos, col: Col, what: &str| {
            if is_blank(value) {
                this.err(pos, format!("missing `{}`: {what}", col.name()));
            }
        };
        match kind {
            None => {
                // A row with no kind names a role, a level or a role at
                // a level that holds no text (docs/canon.md).
                if !is_blank(name) || !is_blank(text) {
                    self.err(
                        kind_at,
                        format!(
                            "missing `kind`: one of {}",
                            quote_list(&KINDS.map(String::from))
                        ),
                    );
                }
                if self.errors.len() == errors_before {
                    if let (Some(r), Some(l)) = (role_entry, level_entry) {
                        self.role_level(r, l);
                    }
                }
            }
            Some(k) if KINDS[k] == "dimension" => {
                if !role.is_empty() {
                    self.err(
                        role_at,
                        "a dimension row names no role: dimensions belong to a level",
                    );
                }
                need(
                    self,
                    level,
                    level_at,
                    Col::Level,
                    "the level the dimension is of",
                );
                need(
                    self,
                    name,
                    name_at,
                    Col::Name,
                    "the dimension's name, such as `Scope`",
                );
                need(self, text, text_at, Col::Text, "the dimension's text");
                if self.errors.len() == errors_before {
                    if let Some(l) = level_entry {
                        self.levels[l].dimensions.push(Dimension {
                            name: name.to_string(),
                            text: text.to_string(),
                        });
                    }
                }
            }
            Some(k) => {
                let rubric = KINDS[k] == "rubric";
                need(self, role, role_at, Col::Role, "the role it belongs to");
                need(self, level, level_at, Col::Level, "the level it belongs to");
                if rubric {
                    need(
                        self,
                        name,
                        name_at,
                        Col::Name,
                        "the rubric's key, such as `knowledge-application`",
                    );
                } else if !is_blank(name) {
                    self.err(
                        name_at,
                        "a responsibility has no `name`; is the kind `rubric`?",
                    );
                }
                need(self, text, text_at, Col::Text, "the canon text");
                if let (Some(r), Some(l)) = (role_entry, level_entry) {
                    let at = self.role_level(r, l);
                    if rubric && !is_blank(name) && self.roles[r].levels[at].1.has_rubric(name) {
                        let message = format!(
                            "rubric `{}` of role `{}` at level `{}` is given twice",
                            quote(name),
                            quote(role),
                            quote(&self.levels[l].code)
                        );
                        self.err(name_at, message);
                    }
                    let limit = self.text_limit.unwrap_or(ROLE_TEXT_LIMIT);
                    if self.roles[r].text + text.len() > limit {
                        let (role, mib) = (quote(role), limit >> 20);
                        let message = format!("role `{role}` holds more than {mib} MiB of text with this row: more than one canon file may hold");
                        self.err(text_at, message);
                    }
                    if self.errors.len() == errors_before {
                        self.roles[r].text += text.len();
                        if rubric {
                            let key = self.intern(name);
                            self.roles[r].levels[at].1.push_rubric(key, text);
                        } else {
                            self.roles[r].levels[at].1.push_responsibility(text);
                        }
                    }
                }
            }
        }
    }

    fn role_entry(&mut self, id: &str, at: Pos) -> usize {
        if let Some(last) = self.roles.last() {
            // Rows of one role usually follow each other.
            if last.id == id {
                return self.roles.len() - 1;
            }
        }
        if let Some(&i) = self.role_index.get(id) {
            return i;
        }
        let i = self.roles.len();
        self.role_index.insert(id.to_string(), i);
        self.roles.push(RoleEntry {
            id: id.to_string(),
            first: at,
            title: None,
            family: None,
            aliases: None,
            levels: Vec::new(),
            text: 0,
        });
        i
    }

    fn level_entry(&mut self, code: &str, at: Pos) -> usize {
        let key = code.to_lowercase();
        if let Some(&i) = self.level_index.get(&key) {
            return i;
        }
        let i = self.levels.len();
        self.level_index.insert(key, i);
        self.levels.push(LevelEntry {
            code: code.to_string(),
            first: at,
            name: None,
            dimensions: Vec::new(),
        });
        i
    }

    /// Where role `r`'s texts at level `l` are, made on first sight.
    fn role_level(&mut self, r: usize, l: usize) -> usize {
        let levels = &mut self.roles[r].levels;
        // Rows come level by level, as an export writes them.
        if levels.last().is_some_and(|(x, _)| *x == l) {
            return levels.len() - 1;
        }
        *self.role_levels.entry((r, l)).or_insert_with(|| {
            levels.push((l, LevelTexts::default()));
            levels.len() - 1
        })
    }

    /// Records the role's title or family, or reports a row that disagrees.
    fn agree_text(&mut self, r: usize, col: Col, value: &str, at: Pos) {
        if is_blank(value) {
            return;
        }
        let entry = &mut self.roles[r];
        let slot = match col {
            Col::Title => &mut entry.title,
            _ => &mut entry.family,
        };
        match slot {
            None => {
                *slot = Some(Given {
                    value: value.to_string(),
                    at,
                })
            }
            Some(first) if first.value != value => {
                let message = format!(
                    "role `{}` has {} `{}` at {}; this row says `{}`",
                    quote(&entry.id),
                    col.name(),
                    quote(&first.value),
                    pos_text(&self.tables, first.at),
                    quote(value),
                );
                self.err(at, message);
            }
            Some(_) => {}
        }
    }

    fn intern(&mut self, key: &str) -> Arc<str> {
        if let Some(k) = self.rubric_keys.get(key) {
            return k.clone();
        }
        let k: Arc<str> = Arc::from(key);
        self.rubric_keys.insert(key.to_string(), k.clone());
        k
    }

    /// The canon the rows make, or every problem found, in table, row and
    /// column order. `sources` is what the canon says it came from.
    pub fn finish(mut self, sources: Vec<String>) -> Result<Canon, TableErrors> {
        if self.rows == 0 && self.errors.is_empty() {
            let at = Pos {
                table: 0,
                row: 2,
                column: 1,
            };
            if self.tables.is_empty() {
                self.tables.push(Table {
                    file: "<no table>".into(),
                    sheet: None,
                });
            }
            self.err(at, "no rows: the table holds no canon text");
        }
        let mut levels = Vec::with_capacity(self.levels.len());
        for entry in std::mem::take(&mut self.levels) {
            match entry.name {
                Some(name) => levels.push(Level {
                    code: entry.code,
                    name: name.value,
                    dimensions: entry.dimensions,
                }),
                None => self.err(
                    entry.first,
                    format!(
                        "level `{}` has no name: give its `level_name` on one of its rows",
                        quote(&entry.code)
                    ),
                ),
            }
        }
        // An id or alias names one role only (the loader's rule).
        let mut names: HashMap<String, (usize, Pos)> = HashMap::new();
        let mut roles = Vec::with_capacity(self.roles.len());
        let entries = std::mem::take(&mut self.roles);
        for (r, entry) in entries.into_iter().enumerate() {
            let aliases = entry.aliases.map(|a| (a.value, a.at));
            let alias_at = aliases.as_ref().map(|a| a.1);
            let aliases = aliases.map(|a| a.0).unwrap_or_default();
            for (name, at) in std::iter::once((entry.id.as_str(), entry.first)).chain(
                aliases
                    .iter()
                    .map(|a| (a.as_str(), alias_at.unwrap_or(entry.first))),
            ) {
                let lower = name.to_lowercase();
                match names.get(&lower) {
                    Some(&(other, _)) if other == r => {}
                    Some(&(other, first)) => {
                        let other_id = &roles_or_pending(&roles, other);
                        let message = format!(
                            "`{}` names two roles: `{}` (at {}) and `{}`",
                            quote(name),
                            quote(other_id),
                            pos_text(&self.tables, first),
                            quote(&entry.id)
                        );
                        self.err(at, message);
                    }
                    None => {
                        names.insert(lower, (r, at));
                    }
                }
            }
            let (title, family) = match (entry.title, entry.family) {
                (Some(t), Some(f)) => (t.value, f.value),
                (t, f) => {
                    for (missing, col) in [(t.is_none(), Col::Title), (f.is_none(), Col::Family)] {
                        if missing {
                            self.err(
                                entry.first,
                                format!(
                                    "role `{}` has no {}: give its `{}` on one of its rows",
                                    quote(&entry.id),
                                    col.name(),
                                    col.name()
                                ),
                            );
                        }
                    }
                    (String::new(), String::new())
                }
            };
            roles.push(Role {
                id: entry.id,
                title,
                family,
                aliases,
                levels: entry
                    .levels
                    .into_iter()
                    .map(|(l, texts)| RoleLevel::new(l, texts))
                    .collect(),
            });
        }
        if !self.errors.is_empty() {
            let mut errors = std::mem::take(&mut self.errors);
            errors.sort_by_key(|(p, _)| (p.table, p.row, p.column));
            return Err(TableErrors(
                errors
                    .into_iter()
                    .map(|(p, message)| TableError {
                        table: self.tables[p.table].clone(),
                        row: p.row,
                        column: p.column,
                        message,
                    })
                    .collect(),
            ));
        }
        Ok(Canon::new(levels, roles, sources))
    }
}

fn pos_text(tables: &[Table], pos: Pos) -> String {
    location(&tables[pos.table], pos.row, pos.column)
}

/// The id of role `i` of those built so far.
fn roles_or_pending(roles: &[Role], i: usize) -> String {
    roles.get(i).map(|r| r.id.clone()).unwrap_or_default()
}

mod header;
mod merged;
mod rows_out;
pub use rows_out::export;

#[cfg(test)]
mod tests;
