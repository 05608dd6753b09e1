//! `goalframe canon import|export` (docs/canon.md, "From a spreadsheet";
//! feature `spreadsheets`): the adapter between `.csv`/`.xlsx` files and
//! canon directories. The rows ↔ canon conversion itself is the library's
//! (`goalframe::canon::table`); this module reads and writes the files.

use goalframe::quote::counted;
use std::borrow::Cow;
use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use goalframe::canon::table::{self, Import, Table, COLUMNS};
use goalframe::canon::{self, Canon};

use super::atomic::{self, NewDir};
use super::canon_init::verify;
use super::{settings_and_canon, usage, CanonArgs, EXIT_USAGE};

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The .csv or .xlsx files, read in order into one canon.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The canon directory to write (levels.json, roles/<id>.json).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The sheet of the .xlsx files to read; default: each one's first.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Replace a non-empty --out directory, and everything in it.
    #[arg(long)]
    pub force: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub canon: CanonArgs,
    /// The table's format. Default: from the --output file's extension
    /// (`.csv`, `.xlsx`), or csv on standard output.
    #[arg(long, value_enum)]
    pub format: Option<SheetFormat>,
    /// The file to write; default (csv only): standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

// ------------------------------------------------------------------ import

/// What Excel calls a CSV file in UTF-8 (its plain "CSV (Comma
/// delimited)" writes the computer's own code page).
macro_rules! utf8_csv {
    () => {
        "\"CSV UTF-8 (Comma delimited)\""
    };
}

pub fn import(args: &ImportArgs) -> ExitCode {
    if let Err(e) = atomic::check_target_dir(&args.out, args.force) {
        return usage(e);
    }
    if args.force {
        if let Some(inside) = args.files.iter().find(|f| is_inside(f, &args.out)) {
            return usage(format!(
                "{} is inside {}, which --force would replace; write the canon elsewhere",
                inside.display(),
                args.out.display()
            ));
        }
    }
    let mut kinds = Vec::with_capacity(args.files.len());
    for file in &args.files {
        match readable_format(file) {
            Ok(kind) => kinds.push(kind),
            Err(why) => return usage(format!("{}: {why}", file.display())),
        }
    }
    if args.sheet.is_some() && !kinds.contains(&SheetFormat::Xlsx) {
        return usage("--sheet names a sheet of an .xlsx file, and no .xlsx file is given");
    }
    let mut rows = Import::new();
    let mut unreadable = 0;
    for (file, kind) in args.files.iter().zip(kinds) {
        let read = match kind {
            SheetFormat::Csv => read_csv(file, &mut rows),
            SheetFormat::Xlsx => read_xlsx(file, args.sheet.as_deref(), &mut rows),
        };
        if let Err(e) = read {
            say!("error: {}: {e}", file.display());
            unreadable += 1;
        }
    }
    // Nothing was read: "no rows" would only repeat that, at no table.
    if unreadable == args.files.len() {
        return nothing_written(unreadable);
    }
    let sources = args.files.iter().map(|f| f.display().to_string()).collect();
    let canon = match (rows.finish(sources), unreadable) {
        (Ok(canon), 0) => canon,
        (Ok(_), n) => return nothing_written(n),
        (Err(errors), n) => {
            for e in &errors.0 {
                say!("error: {e}");
            }
            return nothing_written(errors.0.len() + n);
        }
    };
    match write_canon(&args.out, &canon) {
        Ok(()) => super::write_stdout(
            format!("wrote {}: {}\n", args.out.display(), canon.size()).as_bytes(),
        ),
        Err(e) => usage(format!("{e}; nothing was written")),
    }
}

fn nothing_written(problems: usize) -> ExitCode {
    say!(
        "error: {}; nothing was written",
        counted(problems, "problem")
    );
    ExitCode::from(EXIT_USAGE)
}

/// Whether `file` is below `dir` (both as they really are on disk).
fn is_inside(file: &Path, dir: &Path) -> bool {
    match (std::fs::canonicalize(file), std::fs::canonicalize(dir)) {
        (Ok(f), Ok(d)) => f.starts_with(d),
        _ => false,
    }
}

fn format_of(file: &Path) -> Option<SheetFormat> {
    match super::output_extension(Some(file))?.as_str() {
        "csv" => Some(SheetFormat::Csv),
        "xlsx" => Some(SheetFormat::Xlsx),
        _ => None,
    }
}

/// The table format `canon import` reads `file` as, by its name: a
/// workbook with macros (`.xlsm`, as many HR workbooks are) is an .xlsx
/// workbook to a reader; or what to save another spreadsheet as.
fn readable_format(file: &Path) -> Result<SheetFormat, String> {
    let ext = super::output_extension(Some(file)).unwrap_or_default();
    if ext == "xlsm" {
        return Ok(SheetFormat::Xlsx);
    }
    format_of(file).ok_or_else(|| {
        let what = match ext.as_str() {
            "xls" => "an Excel 97-2003 workbook",
            "xlsb" => "an Excel binary workbook",
            "ods" => "an OpenDocument spreadsheet",
            "numbers" => "a Numbers spreadsheet",
            "tsv" | "tab" | "txt" => "a text file",
            _ => return "not a .csv or .xlsx file".to_string(),
        };
        format!(
            "{what}, which `canon import` does not read: save it as an .xlsx workbook or as {}",
            utf8_csv!()
        )
    })
}

/// Opens a file the user named, refusing what is not a regular file (a
/// FIFO would block forever).
fn open_regular(path: &Path) -> Result<std::fs::File, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(format!(
            "{}, not a regular file",
            goalframe::read::kind_of(&meta)
        ));
    }
    std::fs::File::open(path).map_err(|e| e.to_string())
}

/// The most a workbook's parts may unpack to, all told. calamine holds a
/// sheet's shared strings in memory whole: a few megabytes of workbook
/// that unpack to gigabytes (a zip bomb, or a sheet far past any canon)
/// would take the memory of the machine.
const XLSX_UNPACKED_LIMIT: u64 = 1 << 30;

/// Refuses a workbook whose parts say they unpack to more than
/// [`XLSX_UNPACKED_LIMIT`]. A part that understates its size is stopped
/// by the zip reader once it passes the size it states.
fn check_unpacked_size(mut file: std::fs::File) -> Result<(), String> {
    use std::io::{Read as _, Seek as _};
    // An .xlsx workbook is a zip archive; the zip reader's complaint
    // about what is not one says nothing a person can act on.
    let mut magic = [0u8; 4];
    let start = file
        .read(&mut magic)
        .and_then(|n| file.rewind().map(|()| &magic[..n]))
        .map_err(|e| e.to_string())?;
    if start != b"PK\x03\x04" {
        return Err(if start.is_empty() {
            "an empty file, not an .xlsx workbook".to_string()
        } else if start == b"\xD0\xCF\x11\xE0" {
            // The compound file of Excel 97-2003 (or a password-protected
            // workbook, which Excel keeps in one too).
            "an Excel 97-2003 workbook (or one protected by a password) named .xlsx, which `canon import` does not read: save it in Excel as an .xlsx workbook, without a password".to_string()
        } else {
            "not an .xlsx workbook: every .xlsx file is a zip archive, and this one is not (a CSV file named .xlsx?)".to_string()
        });
    }
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| format!("not an .xlsx workbook: {e}"))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| e.to_string())?;
        total = total.saturating_add(part.size());
        if total > XLSX_UNPACKED_LIMIT {
            return Err(format!(
                "the workbook unpacks to more than {} MiB (its part {} alone to {} MiB); a canon sheet is far smaller",
                XLSX_UNPACKED_LIMIT >> 20,
                part.name().unwrap_or_default(),
                part.size() >> 20
            ));
        }
    }
    Ok(())
}

/// A cell of a CSV file that is not UTF-8, as Excel's plain "CSV" writes
/// any accent or dash.
const NOT_UTF8: &str = concat!(
    "not valid UTF-8 (as Excel's \"CSV (Comma delimited)\" writes an accent or a dash): save the sheet as ",
    utf8_csv!()
);

/// Reads a CSV file (UTF-8, with or without a byte-order mark; lines
/// ending in LF or CRLF) into `rows`, numbering rows as a spreadsheet
/// does: a blank line is a row, and a cell holding a line break does not
/// start a new one.
fn read_csv(path: &Path, rows: &mut Import) -> Result<(), String> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let mut file = open_regular(path)?;
    // Whether the last line has a line end: if not, the last record is
    // one line shorter than the reader's count suggests.
    let mut len = file.metadata().map_err(|e| e.to_string())?.len();
    let mut last = [0u8];
    if len > 0 {
        file.seek(SeekFrom::End(-1))
            .and_then(|_| file.read_exact(&mut last))
            .and_then(|()| file.rewind())
            .map_err(|e| e.to_string())?;
    }
    let mut input = std::io::BufReader::with_capacity(1 << 16, file);
    let start = input.fill_buf().map_err(|e| e.to_string())?;
    // Read as UTF-8, every cell would be a problem, and the header a
    // title of NULs: one line says what the file is instead.
    if goalframe::read::utf16_marked(start) {
        return Err(format!(
            "UTF-16 (by its byte order mark), which `canon import` does not read: save the sheet as {} or as .xlsx",
            utf8_csv!()
        ));
    }
    if start.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
        len -= 3;
    }
    // Records end at LF only (a CR before it is cut below), so that the
    // reader has consumed each record's line end when it returns it, and
    // its line count tells where the record began.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(input);
    rows.begin(Table {
        file: path.display().to_string(),
        sheet: None,
    });
    let mut record = csv::ByteRecord::new();
    // Line breaks inside the cells read so far: lines, but not rows.
    let mut inner = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(e.to_string()),
        }
        let breaks: u64 = record
            .iter()
            .map(|f| memchr::memchr_iter(b'\n', f).count() as u64)
            .sum();
        // The line after the record (1-based), less its own lines.
        let after = reader.position().line();
        let ended = u64::from(reader.position().byte() < len || last[0] == b'\n');
        let first_line = after - breaks - ended;
        let row = (first_line - inner) as usize;
        inner += breaks;
        let last = record.len().saturating_sub(1);
        let mut cells = Vec::with_capacity(record.len());
        let mut bad = false;
        for (i, field) in record.iter().enumerate() {
            let field = match field {
                [rest @ .., b'\r'] if i == last => rest,
                _ => field,
            };
            match simdutf8::basic::from_utf8(field) {
                Ok(s) => cells.push(s),
                Err(_) => {
                    rows.cell_error(row, i + 1, NOT_UTF8);
                    bad = true;
                    cells.push("");
                }
            }
        }
        // A row with a cell that is not UTF-8 is reported at that cell,
        // and read no further; a header's such cell reads as empty.
        if !(bad && rows.has_header()) {
            rows.offer(row, &cells);
        }
    }
    rows.end_table();
    Ok(())
}

/// Reads one sheet of an .xlsx workbook into `rows`, a row at a time.
fn read_xlsx(path: &Path, sheet: Option<&str>, rows: &mut Import) -> Result<(), String> {
    use calamine::{DataRef, Reader as _, Xlsx};
    check_unpacked_size(open_regular(path)?)?;
    let mut workbook: Xlsx<_> =
        calamine::open_workbook(path).map_err(|e: calamine::XlsxError| e.to_string())?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => match names.iter().find(|n| *n == wanted) {
            Some(n) => n.clone(),
            None => {
                let listed: Vec<String> = names.clone();
                return Err(format!(
                    "no sheet `{}`; its sheets are {}",
                    goalframe::quote::quote(wanted),
                    canon::quote_list(&listed)
                ));
            }
        },
        None => names
            .first()
            .cloned()
            .ok_or_else(|| "the workbook has no sheet".to_string())?,
    };
    rows.begin(Table {
        file: path.display().to_string(),
        sheet: Some(name.clone()),
    });
    let mut cells_in = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| e.to_string())?;
    let mut cells: Vec<Cow<'_, str>> = Vec::new();
    let mut current: Option<u32> = None;
    let mut bad = false;
    let flush = |row: u32, cells: &[Cow<'_, str>], bad: bool, rows: &mut Import| {
        if !(bad && rows.has_header()) {
            rows.offer(row as usize + 1, cells);
        }
    };
    loop {
        // With each cell's formula, if any: one whose result was never
        // computed (a workbook written by a program, not a spreadsheet)
        // would otherwise read as an empty cell.
        let cell = match cells_in.next_cell_with_formula_metadata() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => return Err(e.to_string()),
        };
        let (r, c) = cell.pos;
        if current != Some(r) {
            if let Some(prev) = current {
                flush(prev, &cells, bad, rows);
            }
            cells.clear();
            bad = false;
            current = Some(r);
        }
        let text: Cow<'_, str> = match cell.value {
            DataRef::SharedString(s) => Cow::Borrowed(s),
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cow::Owned(s),
            DataRef::Int(i) => Cow::Owned(i.to_string()),
            DataRef::Float(f) => Cow::Owned(number(f)),
            DataRef::Bool(b) => Cow::Borrowed(if b { "TRUE" } else { "FALSE" }),
            DataRef::Empty if cell.formula.is_some() => {
                rows.cell_error(
                    r as usize + 1,
                    c as usize + 1,
                    "the cell's formula has no saved result (the program that wrote the workbook did not compute it); open and save the workbook in a spreadsheet program, or type the text",
                );
                bad = true;
                Cow::Borrowed("")
            }
            DataRef::Empty => Cow::Borrowed(""),
            DataRef::DateTime(_) => {
                rows.cell_error(
                    r as usize + 1,
                    c as usize + 1,
                    "a date or time: canon text is text; format the cell as Text and type it again",
                );
                bad = true;
                Cow::Borrowed("")
            }
            DataRef::Error(e) => {
                rows.cell_error(
                    r as usize + 1,
                    c as usize + 1,
                    format!("the cell's formula gives an error ({e})"),
                );
                bad = true;
                Cow::Borrowed("")
            }
        };
        let c = c as usize;
        if cells.len() <= c {
            cells.resize(c + 1, Cow::Borrowed(""));
        }
        cells[c] = text;
    }
    if let Some(prev) = current {
        flush(prev, &cells, bad, rows);
    }
    let found = rows.has_header();
    rows.end_table();
    if !found {
        // The first sheet, read because none was named, is most often a
        // cover sheet of notes.
        if sheet.is_none() && names.len() > 1 {
            rows.cell_error(
                1,
                1,
                format!(
                    "the workbook's first sheet holds no canon table; its sheets are {}: name the one to read with --sheet",
                    canon::quote_list(&names)
                ),
            );
        }
    }
    drop(cells);
    drop(cells_in);
    // A merged cell's value is its first cell's alone, though the sheet
    // shows it over all: the likeliest reason for a cell read as empty.
    // Found only when there is a problem to explain, as it means reading
    // the sheet again.
    if rows.current_has_errors() {
        if let Ok(merged) = workbook.merge_cells_by_sheet_name(&name) {
            let merged: Vec<_> = merged
                .iter()
                .map(|d| {
                    let (r0, c0) = d.start;
                    let (r1, c1) = d.end;
                    let one = |n: u32| n as usize + 1;
                    [one(r0), one(r1), one(c0), one(c1)]
                })
                .collect();
            rows.explain_merged(&merged);
        }
    }
    Ok(())
}

/// A number cell as a person reads it: `3`, not `3.0`; `2.5`.
pub fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Writes the canon's files (and its schema) to `out`, atomically.
fn write_canon(out: &Path, canon: &Canon) -> Result<(), String> {
    write_canon_within(out, canon, goalframe::read::CANON_FILE_LIMIT)
}

/// [`write_canon`], each file at most `limit` bytes. The import holds a
/// role's texts to that bound, but JSON's escapes and keys come on top: a
/// file that passes it could not be read back, so none is written.
fn write_canon_within(out: &Path, canon: &Canon, limit: u64) -> Result<(), String> {
    let dir = NewDir::create(out)?;
    for (rel, text) in canon::write::files(canon) {
        if text.len() as u64 > limit {
            return Err(format!(
                "{rel} would be {} bytes, more than the {} MiB a canon file may hold (its texts with JSON's escapes); shorten the role's texts",
                text.len(),
                limit >> 20
            ));
        }
        dir.write(&rel, text.as_bytes())?;
    }
    let (schema, text) = canon::write::schema_file();
    dir.write(schema, text.as_bytes())?;
    verify(dir.path())?;
    dir.install()
}

// ------------------------------------------------------------------ export

/// The most rows a sheet of an .xlsx workbook holds.
const XLSX_ROWS: usize = 1 << 20;
/// The most characters (UTF-16 code units) a cell of a sheet holds.
const XLSX_CELL: usize = 32_767;

pub fn export(args: &ExportArgs) -> ExitCode {
    // The same names import reads its files by.
    let from_name = args.output.as_deref().and_then(format_of);
    // To standard output only CSV can go.
    let default = args.output.is_none().then_some(SheetFormat::Csv);
    let Some(format) = args.format.or(from_name).or(default) else {
        let out = args.output.as_deref().unwrap_or(Path::new(""));
        return usage(format!(
            "{}: name the format with --format csv or --format xlsx (the file's name does not say)",
            out.display()
        ));
    };
    if format == SheetFormat::Xlsx && args.output.is_none() {
        return usage(
            "--format xlsx needs --output FILE (a workbook is not written to a terminal)",
        );
    }
    let (settings, canon) = match settings_and_canon(&args.canon) {
        Ok(sc) => sc,
        Err(code) => return code,
    };
    if let Some(out) = &args.output {
        if let Err(e) = atomic::check_not_in_canon(out, &settings.canon) {
            return usage(e);
        }
    }
    let written = match (&args.output, format) {
        (None, _) => return export_csv_stdout(&canon),
        // Errors name the file asked for, not the temporary one written.
        (Some(path), format) => atomic::write_file_atomically(path, |file| {
            match format {
                SheetFormat::Csv => export_csv_file(&canon, file),
                SheetFormat::Xlsx => export_xlsx(&canon, file, path),
            }
            .map_err(|e| format!("{}: {e}", path.display()))
        }),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => usage(format!("{e}; nothing was written")),
    }
}

fn csv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

fn write_rows<W: std::io::Write>(canon: &Canon, out: &mut csv::Writer<W>) -> csv::Result<()> {
    out.write_record(COLUMNS)?;
    table::export(canon, |cells| out.write_record(cells))?;
    out.flush()?;
    Ok(())
}

/// To a file: with a byte-order mark, so that a spreadsheet opening it
/// reads UTF-8 (import accepts it with or without one).
fn export_csv_file(canon: &Canon, mut file: std::fs::File) -> Result<(), String> {
    file.write_all(b"\xEF\xBB\xBF").map_err(|e| e.to_string())?;
    let mut out = csv_writer(std::io::BufWriter::with_capacity(1 << 16, file));
    write_rows(canon, &mut out).map_err(|e| e.to_string())
}

fn export_csv_stdout(canon: &Canon) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = csv_writer(std::io::BufWriter::with_capacity(1 << 16, stdout.lock()));
    match write_rows(canon, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => match e.kind() {
            csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe => {
                ExitCode::SUCCESS
            }
            _ => usage(format!("writing to standard output: {e}")),
        },
    }
}

/// Into `file`, which will be `path`.
fn export_xlsx(canon: &Canon, file: std::fs::File, path: &Path) -> Result<(), String> {
    use rust_xlsxwriter::{Format, Workbook};
    // Column widths (in characters, capped), the row count and the cells
    // too long for a sheet, first: the workbook is written only if it
    // all fits.
    let mut widths = COLUMNS.map(|c| c.chars().count());
    let mut count = 0usize;
    let mut too_long: Vec<String> = Vec::new();
    let _ = table::export::<()>(canon, |cells| {
        count += 1;
        for (i, (w, cell)) in widths.iter_mut().zip(cells).enumerate() {
            *w = (*w).max(cell.chars().count());
            if cell.len() > XLSX_CELL {
                let units = cell.encode_utf16().count();
                if units > XLSX_CELL {
                    let whose = match (cells[0], cells[4]) {
                        ("", level) => format!("level `{level}`"),
                        (role, "") => format!("role `{role}`"),
                        (role, level) => format!("role `{role}` at level `{level}`"),
                    };
                    // The header is row 1.
                    too_long.push(format!(
                        "the `{}` of {whose} (row {}) is {units} characters long",
                        COLUMNS[i],
                        count + 1,
                    ));
                }
            }
        }
        Ok(())
    });
    if count >= XLSX_ROWS {
        return Err(format!(
            "{count} rows do not fit a sheet ({} at most); export to csv",
            XLSX_ROWS - 1
        ));
    }
    if let Some(first) = too_long.first() {
        let more = match too_long.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more cell)".to_string(),
            n => format!(" (and {n} more cells)"),
        };
        return Err(format!(
            "{first}{more}: a cell of a sheet holds at most 32,767 characters (an emoji counts as two); export to csv"
        ));
    }
    let mut workbook = Workbook::new();
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        // Its row-by-row spill file goes next to the output.
        workbook.set_tempdir(dir).map_err(|e| e.to_string())?;
    }
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(|e| e.to_string())?;
    sheet.set_name("canon").map_err(|e| e.to_string())?;
    for (i, w) in widths.iter().enumerate() {
        let cap = if COLUMNS[i] == "text" { 120 } else { 50 };
        sheet
            .set_column_width(i as u16, ((*w).min(cap) + 2) as f64)
            .map_err(|e| e.to_string())?;
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    for (i, name) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, i as u16, *name, &bold)
            .map_err(|e| e.to_string())?;
    }
    let mut row = 0u32;
    table::export(canon, |cells| {
        row += 1;
        for (i, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(row, i as u16, *cell)?;
            }
        }
        Ok::<(), rust_xlsxwriter::XlsxError>(())
    })
    .map_err(|e| e.to_string())?;
    workbook.save_to_writer(file).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_canon_file_over_the_limit_is_an_error_and_nothing_is_written() {
        let canon = canon::load_embedded().expect("embedded canon");
        let (largest, size) = canon::write::files(&canon)
            .map(|(rel, text)| (rel, text.len() as u64))
            .max_by_key(|f| f.1)
            .expect("files");
        let tmp =
            std::env::temp_dir().join(format!("goalframe-canon-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).expect("scratch folder");
        let out = tmp.join("canon");
        let e = write_canon_within(&out, &canon, size - 1).expect_err("over the limit");
        assert!(
            e.starts_with(&format!("{largest} would be {size} bytes")),
            "{e}"
        );
        assert_eq!(
            std::fs::read_dir(&tmp).expect("read").count(),
            0,
            "left behind"
        );
        write_canon_within(&out, &canon, size).expect("at the limit");
        assert!(out.join(&largest).is_file());
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
