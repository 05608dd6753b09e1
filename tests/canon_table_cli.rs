//! End-to-end tests of `goalframe canon import|export|init` (docs/canon.md,
//! "From a spreadsheet") against the built binary: round trips through
//! CSV and xlsx that render every frame byte for byte as before, a
//! workbook written by another program (openpyxl, installed into
//! `.test-cache/` on first use), every error at its cell, and the atomic,
//! refuse-unless-forced writing of directories.

mod support;

// The benchmarks' canon generator (it brings its own copy of the seeded
// generator that `support` also has).
#[allow(clippy::duplicate_mod)]
#[path = "bench/src/gen.rs"]
mod gen;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::*;

fn ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Every file below `dir`: (relative path, contents), in path order.
fn files_below(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .expect("below")
                    .display()
                    .to_string();
                out.push((rel, std::fs::read(&path).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Everything `render` prints (and its exit code) for every role at every
/// level, in both forms: what a canon means to its users.
fn renders(canon: &[&Path], pairs: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (role, level) in pairs {
        for format in ["text", "markdown"] {
            let mut args = vec!["render", role, level, "--frame", "all", "--format", format];
            for c in canon {
                args.extend(["--canon", s(c)]);
            }
            let o = run(&args);
            out.push(format!(
                "{role} {level} {format} exit {:?}\n{}{}",
                o.status.code(),
                stdout(&o),
                stderr(&o)
            ));
        }
    }
    out
}

/// (role id, level code) of every role level, from `canon list`.
fn role_levels(canon: &Path) -> Vec<(String, String)> {
    let o = run(&["canon", "list", "--canon", s(canon)]);
    ok(&o, "canon list");
    let mut pairs = Vec::new();
    let mut role = String::new();
    for line in stdout(&o).lines() {
        if let Some(level) = line.strip_prefix("  ") {
            let code = level.split('\t').next().expect("code");
            pairs.push((role.clone(), code.to_string()));
        } else {
            role = line.split('\t').next().expect("id").to_string();
        }
    }
    pairs
}

fn export(canon: Option<&Path>, format: &str, output: &Path) {
    let mut args = vec!["canon", "export", "--format", format, "--output", s(output)];
    if let Some(c) = canon {
        args.extend(["--canon", s(c)]);
    }
    ok(&run(&args), "canon export");
}

/// Without `--format`, the output file's name says the format; a name
/// that says nothing is refused, and standard output takes CSV.
#[test]
fn canon_export_takes_its_format_from_the_output_s_name() {
    let dir = scratch("canon-export-named");
    let run_out = |args: &[&str]| run(&[&["canon", "export"], args].concat());
    let csv = run_out(&["--format", "csv"]);
    ok(&csv, "csv to stdout");
    ok(&run_out(&[]), "no format to stdout");
    assert_eq!(run_out(&[]).stdout, csv.stdout);
    let to = |name: &str| dir.join(name);
    ok(&run_out(&["-o", s(&to("c.csv"))]), "c.csv");
    // A file's byte-order mark aside, the same table.
    let file = std::fs::read(to("c.csv")).unwrap();
    assert_eq!(file.strip_prefix(b"\xEF\xBB\xBF").unwrap(), &csv.stdout[..]);
    ok(&run_out(&["-o", s(&to("c.XLSX"))]), "c.XLSX");
    assert!(std::fs::read(to("c.XLSX"))
        .unwrap()
        .starts_with(b"PK\x03\x04"));
    let o = run_out(&["-o", s(&to("c.txt"))]);
    assert_said(&o, 2, "name the format with --format csv or --format xlsx");
    assert!(!to("c.txt").exists());
}

/// A spreadsheet or a canon file given where a canon directory goes is
/// refused with the way to use it: the command that imports the sheet
/// (quoted for a shell when its name needs it), or the directory to name.
#[test]
fn a_spreadsheet_given_as_the_canon_says_how_to_import_it() {
    let dir = scratch("canon-as-sheet");
    ok(
        &run_in(&dir, &["canon", "export", "-o", "my canon.csv"]),
        "export",
    );
    std::fs::write(dir.join("roles.json"), "{}").unwrap();
    let o = run_in(&dir, &["canon", "check", "--canon", "my canon.csv"]);
    assert_said(
        &o,
        2,
        "my canon.csv:1:1: not a directory: a canon is a directory of JSON files; to make one from this spreadsheet, run `goalframe canon import 'my canon.csv' --out DIR`",
    );
    let o = run_in(&dir, &["lint", "--canon", "roles.json", "."]);
    assert_said(&o, 2, "roles.json:1:1: not a directory: a canon is a directory of JSON files; name the directory that holds this file");
    // The command it gives works.
    ok(
        &run_in(&dir, &["canon", "import", "my canon.csv", "--out", "c"]),
        "import",
    );
    ok(&run_in(&dir, &["canon", "check", "--canon", "c"]), "check");
}

fn import(files: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["canon", "import"];
    args.extend(files.iter().map(|f| s(f)));
    args.extend(["--out", s(out)]);
    args.extend(extra);
    run(&args)
}

/// `canon list`, one block per role (its line and its levels' lines),
/// sorted: what a canon holds, whatever the order of its files.
fn listing(canon: Option<&Path>) -> Vec<String> {
    let mut args = vec!["canon", "list"];
    if let Some(c) = canon {
        args.extend(["--canon", s(c)]);
    }
    let o = run(&args);
    ok(&o, "canon list");
    let mut blocks: Vec<String> = Vec::new();
    for line in stdout(&o).lines() {
        match blocks.last_mut() {
            Some(block) if line.starts_with("  ") => {
                block.push_str(line);
                block.push('\n');
            }
            _ => blocks.push(format!("{line}\n")),
        }
    }
    blocks.sort();
    blocks
}

/// The rows of a CSV export that define levels (no role), in order.
fn level_rows(table: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(table).unwrap();
    text.lines()
        .filter(|l| l.starts_with(','))
        .map(String::from)
        .collect()
}

/// Exports `canon` (None: the default) to CSV and xlsx, imports each, and
/// checks the canon written: it passes `canon check`, renders every frame
/// of every role level byte for byte as the original does, lists the same
/// roles and levels, defines the levels in the same order, and exports
/// and imports again to the very same files. (Its roles are in the order
/// of their files, `roles/<id>.json`: by id.)
fn assert_round_trips(name: &str, canon: Option<&Path>) {
    let dir = scratch(name);
    let original: Vec<&Path> = canon.into_iter().collect();
    let pairs = match canon {
        Some(c) => role_levels(c),
        None => vec![("account-executive-field-sales".into(), "P2".into())],
    };
    assert!(!pairs.is_empty());
    let before = renders(&original, &pairs);
    let first = dir.join("first.csv");
    export(canon, "csv", &first);
    for format in ["csv", "xlsx"] {
        let table = dir.join(format!("canon.{format}"));
        export(canon, format, &table);
        let out = dir.join(format!("from-{format}"));
        ok(&import(&[&table], &out, &[]), "canon import");
        ok(&run(&["canon", "check", "--canon", s(&out)]), "canon check");
        let after = renders(&[&out], &pairs);
        for (b, a) in before.iter().zip(&after) {
            assert_eq!(b, a, "{name} via {format}");
        }
        assert_eq!(listing(canon), listing(Some(&out)), "{name} via {format}");
        let again = dir.join(format!("again-{format}.{format}"));
        export(Some(&out), format, &again);
        let again_csv = dir.join(format!("again-{format}.csv"));
        export(Some(&out), "csv", &again_csv);
        assert_eq!(
            level_rows(&first),
            level_rows(&again_csv),
            "{name} via {format}"
        );
        let twice = dir.join(format!("twice-{format}"));
        ok(&import(&[&again], &twice, &[]), "canon import again");
        assert!(
            files_below(&out) == files_below(&twice),
            "{name} via {format}: not stable"
        );
    }
}

/// A canon with every omission: a level with no dimensions, a role level
/// with no responsibilities, one with nothing, roles without rubrics and
/// without levels; `;` in aliases, quotes, commas, and the characters
/// markdown and snippets escape.
const EDGES: &[(&str, &str)] = &[
    (
        "levels.json",
        r#"{"levels": [
  {"code": "P1", "name": "Entry, \"quoted\""},
  {"code": "3", "name": "Three", "dimensions": [{"name": "Scope", "text": "a; b, c | d * e < f $ {g} `h` \\i"}]},
  {"code": "M1", "name": "Manager", "dimensions": [{"name": "Span", "text": "Leads ${1:x} and $0"}]}
]}"#,
    ),
    (
        "roles/a.json",
        r#"{"roles": [
  {"id": "r-a", "title": "A \"one\", first", "family": "F; G", "aliases": ["x;y", "back\\slash", "plain"],
   "levels": {"3": {"rubrics": {"knowledge-application": "Only a rubric, $1 {x} <b>"}},
              "P1": {},
              "m1": {"responsibilities": ["Does =1+1, \"quoted\"", "Leads | pipes *stars* <tags> ${2} }"]}}},
  {"id": "r-b", "title": "B", "family": "F", "levels": {}},
  {"id": "r-c", "title": "C", "family": "F",
   "levels": {"P1": {"rubrics": {"complexity/problem-solving": "Solves; \"things\"", "other key": "x"},
                     "responsibilities": ["after the rubric"]}}}
]}"#,
    ),
];

#[test]
fn the_default_canon_round_trips_through_csv_and_xlsx() {
    assert_round_trips("rt-default", None);
}

#[test]
fn a_canon_with_every_omission_and_odd_characters_round_trips() {
    let canon = canon_dir("edges", EDGES);
    let pairs = role_levels(&canon);
    // The cases are there: r-a has three levels, r-b none, r-c one.
    assert_eq!(pairs.len(), 4, "{pairs:?}");
    assert_round_trips("rt-edges", Some(&canon));
}

#[test]
fn a_generated_canon_round_trips() {
    // Six levels: the sixth has no dimensions; some role levels lack a
    // rubric or both.
    let c = gen::canon(gen::CanonSpec {
        roles: 6,
        levels: 6,
        seed: 17,
    });
    let dir = scratch("gen");
    c.write(&dir).expect("write canon");
    assert_round_trips("rt-gen", Some(&dir));
}

// ------------------------------------------------------------- openpyxl

/// A Python with openpyxl, in a venv under `.test-cache/` (installed from
/// PyPI on first use, into a temporary name then moved into place).
fn openpyxl() -> PathBuf {
    static PYTHON: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.test-cache");
            let venv = cache.join("openpyxl-3.1.5");
            let python = venv.join("bin/python");
            if !python.exists() {
                let partial = cache.join(format!("openpyxl-3.1.5.partial-{}", std::process::id()));
                let _ = std::fs::remove_dir_all(&partial);
                std::fs::create_dir_all(&cache).expect("mkdir .test-cache");
                let sh = |cmd: &mut std::process::Command| {
                    let o = cmd.output().expect("run");
                    assert!(
                        o.status.success(),
                        "{cmd:?}: {}",
                        String::from_utf8_lossy(&o.stderr)
                    );
                };
                sh(std::process::Command::new("python3").args(["-m", "venv", s(&partial)]));
                sh(std::process::Command::new(partial.join("bin/pip")).args([
                    "install",
                    "-q",
                    "--disable-pip-version-check",
                    "openpyxl==3.1.5",
                ]));
                // Another test process may have won the race: either copy works.
                if std::fs::rename(&partial, &venv).is_err() {
                    let _ = std::fs::remove_dir_all(&partial);
                }
            }
            python
        })
        .clone()
}

fn python(script: &str, args: &[&str]) -> String {
    let o = std::process::Command::new(openpyxl())
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        o.status.success(),
        "python: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8")
}

/// A workbook as an HR team might have it: a notes sheet first, the canon
/// on the second (under a title, unless broken rows are asked for),
/// headers upper-case and shuffled, blank rows, a level
/// code typed as a number; when asked, broken rows from row 8 on (an
/// error cell, a date, a formula never computed (openpyxl saves no
/// results) and a time among them).
const WRITE_WORKBOOK: &str = r##"
import sys, openpyxl
path, broken = sys.argv[1], sys.argv[2] == "broken"
wb = openpyxl.Workbook()
notes = wb.active
notes.title = "Notes"
notes["A1"] = "Canon for 2026; see the second sheet."
ws = wb.create_sheet("Canon 2026")
if not broken:
    ws.append([None, "Job architecture 2026"])
    ws.append([])
ws.append(["TEXT", "KIND", "LEVEL", "Role", "NAME", "LEVEL_NAME", "TITLE", "FAMILY", "ALIASES"])
ws.append(["Defined deliverables", "dimension", 3, None, "Scope", "Three", None, None, None])
ws.append([])
ws.append(["Owns a pipeline; \"quoted\", $1 {x} | *y* <z>", "responsibility", 3, "qa-lead", None, None, "QA Lead", "Quality", "qa; test lead"])
ws.append([None, None, None, None, None, None, None, None, None])
ws.append(["Applies judgement", "rubric", 3, "qa-lead", "complexity/problem-solving", None, None, None, None])
ws.append(["Second level", "responsibility", 4.0, "qa-lead", None, "Four", None, None, None])
if broken:
    import datetime
    ws.append(["x", "responsibilities", 3, "qa-lead", None, None, "QA Lead", "Quality", None])
    ws.append(["y", "rubric", 3, "qa-lead", None, None, "QA Boss", None, None])
    ws.append(["#N/A", "responsibility", 3, "qa-lead", None, None, None, None, None])
    ws.append(["z", "responsibility", datetime.date(2026, 1, 2), "qa-lead", None, None, None, None, None])
    ws.append(['=CONCAT("a", "b")', "responsibility", 3, "qa-lead", None, None, None, None, None])
    ws.append([datetime.time(10, 30), "responsibility", 3, "qa-lead", None, None, None, None, None])
wb.save(path)
"##;

/// The same canon as a CSV file, written by hand.
const SAME_AS_CSV: &str = "role,title,family,aliases,level,level_name,kind,name,text\n\
,,,,3,Three,dimension,Scope,Defined deliverables\n\
qa-lead,QA Lead,Quality,qa; test lead,3,,responsibility,,\"Owns a pipeline; \"\"quoted\"\", $1 {x} | *y* <z>\"\n\
qa-lead,,,,3,,rubric,complexity/problem-solving,Applies judgement\n\
qa-lead,,,,4,Four,responsibility,,Second level\n";

#[test]
fn a_workbook_from_openpyxl_imports_like_the_same_csv() {
    let dir = scratch("openpyxl");
    let xlsx = dir.join("hr.xlsx");
    python(WRITE_WORKBOOK, &[s(&xlsx), "ok"]);
    let csv = dir.join("same.csv");
    std::fs::write(&csv, SAME_AS_CSV).unwrap();

    let from_xlsx = dir.join("from-xlsx");
    ok(
        &import(&[&xlsx], &from_xlsx, &["--sheet", "Canon 2026"]),
        "import xlsx",
    );
    let from_csv = dir.join("from-csv");
    ok(&import(&[&csv], &from_csv, &[]), "import csv");
    assert_eq!(files_below(&from_xlsx), files_below(&from_csv));
    // A workbook with macros is an .xlsx workbook to a reader.
    let xlsm = dir.join("hr.xlsm");
    std::fs::copy(&xlsx, &xlsm).unwrap();
    let from_xlsm = dir.join("from-xlsm");
    ok(
        &import(&[&xlsm], &from_xlsm, &["--sheet", "Canon 2026"]),
        "import xlsm",
    );
    assert_eq!(files_below(&from_xlsm), files_below(&from_csv));
    let levels = std::fs::read_to_string(from_xlsx.join("levels.json")).unwrap();
    assert!(levels.contains("\"code\": \"3\""), "{levels}");
    assert!(levels.contains("\"code\": \"4\""), "{levels}");
    let o = run(&[
        "render",
        "qa",
        "3",
        "--frame",
        "smart",
        "--canon",
        s(&from_xlsx),
    ]);
    ok(&o, "render");
    assert!(stdout(&o).contains("Owns a pipeline; \"quoted\", $1 {x} | *y* <z>"));

    // The first sheet is read without --sheet: it is no canon table.
    let o = import(&[&xlsx], &dir.join("first-sheet"), &[]);
    assert_said(
        &o,
        2,
        &format!(
            "{}[Notes]!A1: no header row: `Canon for 2026; see the second sheet.` is a title, and no row below it names the columns (role, title, family, aliases, level, level_name, kind, name, text)",
            s(&xlsx)
        ),
    );
    assert_said(
        &o,
        2,
        &format!(
            "{}[Notes]!A1: the workbook's first sheet holds no canon table; its sheets are `Notes` or `Canon 2026`: name the one to read with --sheet",
            s(&xlsx)
        ),
    );
    let o = import(&[&xlsx], &dir.join("no-sheet"), &["--sheet", "Canon"]);
    assert_said(
        &o,
        2,
        "no sheet `Canon`; its sheets are `Notes` or `Canon 2026`",
    );
    assert!(!dir.join("first-sheet").exists() && !dir.join("no-sheet").exists());
}

#[test]
fn workbook_errors_name_the_sheet_and_cell() {
    let dir = scratch("openpyxl-errors");
    let xlsx = dir.join("hr.xlsx");
    python(WRITE_WORKBOOK, &[s(&xlsx), "broken"]);
    let out = dir.join("out");
    let o = import(&[&xlsx], &out, &["--sheet", "Canon 2026"]);
    assert_eq!(o.status.code(), Some(2));
    let f = s(&xlsx);
    assert_eq!(
        stderr(&o),
        format!(
            "error: {f}[Canon 2026]!B8: unknown kind `responsibilities`; did you mean `responsibility`?\n\
             error: {f}[Canon 2026]!E9: missing `name`: the rubric's key, such as `knowledge-application`\n\
             error: {f}[Canon 2026]!G9: role `qa-lead` has title `QA Lead` at {f}[Canon 2026]!G4; this row says `QA Boss`\n\
             error: {f}[Canon 2026]!A10: the cell's formula gives an error (#N/A)\n\
             error: {f}[Canon 2026]!C11: a date or time: canon text is text; format the cell as Text and type it again\n\
             error: {f}[Canon 2026]!A12: the cell's formula has no saved result (the program that wrote the workbook did not compute it); open and save the workbook in a spreadsheet program, or type the text\n\
             error: {f}[Canon 2026]!A13: a date or time: canon text is text; format the cell as Text and type it again\n\
             error: 7 problems; nothing was written\n"
        )
    );
    assert!(!out.exists());
}

/// An HR sheet with a role's cell merged over its rows shows the role on
/// each, but the file holds it in the first cell alone: each row read
/// without it says why, and where the value is.
#[test]
fn a_merged_cell_read_as_empty_is_named() {
    let dir = scratch("openpyxl-merged");
    let xlsx = dir.join("hr.xlsx");
    python(
        r#"
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Canon"
ws.append(["role", "title", "family", "aliases", "level", "level_name", "kind", "name", "text"])
ws.append([None, None, None, None, "P2", "Dev", "dimension", "Scope", "Small things"])
ws.append(["qa-lead", "QA Lead", "Quality", None, "P2", None, "responsibility", None, "One"])
ws.append([None, None, None, None, "P2", None, "responsibility", None, "Two"])
ws.merge_cells("A3:A4")
wb.save(sys.argv[1])
"#,
        &[s(&xlsx)],
    );
    let out = dir.join("out");
    let o = import(&[&xlsx], &out, &[]);
    let f = s(&xlsx);
    assert_said(
        &o,
        2,
        &format!("error: {f}[Canon]!A4: missing `role`: the role it belongs to; the cell is part of the merged cell A3:A4, whose value belongs to A3 alone: unmerge it and fill in each row\nerror: 1 problem; nothing was written"),
    );
    assert!(!out.exists());
}

#[test]
fn our_workbook_has_a_bold_frozen_header_sized_columns_and_text_cells() {
    let dir = scratch("our-xlsx");
    let xlsx = dir.join("canon.xlsx");
    export(None, "xlsx", &xlsx);
    let report = python(
        r#"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(ws.title, ws.freeze_panes)
print([c.value for c in ws[1]])
print(all(c.font.b for c in ws[1]))
print(ws.column_dimensions["A"].width > 20, ws.column_dimensions["I"].width > 60)
print({c.data_type for row in ws.iter_rows(min_row=2) for c in row if c.value is not None})
print(ws.max_row)
"#,
        &[s(&xlsx)],
    );
    assert_eq!(
        report,
        "canon A2\n\
         ['role', 'title', 'family', 'aliases', 'level', 'level_name', 'kind', 'name', 'text']\n\
         True\n\
         True True\n\
         {'s'}\n\
         14\n"
    );
}

// ----------------------------------------------------------------- errors

#[test]
fn csv_errors_are_reported_at_once_as_file_row_column_and_nothing_is_written() {
    let dir = scratch("csv-errors");
    let csv = dir.join("hr.csv");
    // A byte-order mark, CRLF line ends, blank lines, a quoted cell that
    // spans lines: rows are counted as a spreadsheet shows them.
    let text = "\u{feff}Role,Title,Family,Level,Level Name,Kind,Name,Text,Notes\r\n\
        \r\n\
        ae,AE,Sales,P2,Dev,responsibility,,Sells.,\r\n\
        ae,AE,Sales,P2,,responsibilty,,x,\r\n\
        ae,Account Exec,Sales,P2,,responsibility,,\"two\r\nlines\",\r\n\
        \r\n\
        ae,,,P2,,rubric,,,\r\n\
        ,,,P2,Developing,dimension,Scope,x,\r\n\
        ux,UX,Design,P2,,dimension,Scope,x,\r\n\
        ,,,P3,,dimension,Scope,y,\r\n\
        Bad_Id,B,F,P2,,responsibility,,x,\r\n\
        ae,,,P2,,,,x,n\r\n\
        ae,,,P 2,,responsibility,,x,";
    std::fs::write(&csv, text).unwrap();
    let out = dir.join("out");
    let o = import(&[&csv], &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let f = s(&csv);
    let expected = [
        "1:9: unknown column `Notes`; the columns are `role`, `title`, `family`, `aliases`, `level`, `level_name`, `kind`, `name` or `text`",
        "4:6: unknown kind `responsibilty`; did you mean `responsibility`?",
        "5:2: role `ae` has title `AE` at {f}:3:2; this row says `Account Exec`",
        "5:8: line break in a cell: each canon text is one line",
        "7:7: missing `name`: the rubric's key, such as `knowledge-application`",
        "7:8: missing `text`: the canon text",
        "8:5: level `P2` is named `Dev` at {f}:3:5; this row says `Developing`",
        "9:1: a dimension row names no role: dimensions belong to a level",
        "10:4: level `P3` has no name: give its `level_name` on one of its rows",
        "11:1: role id `Bad_Id` is not a slug: use lower-case letters, digits and `-`, starting with a letter or digit",
        "12:6: missing `kind`: one of `responsibility`, `rubric` or `dimension`",
        "13:4: level code `P 2` has white space or `/`; tokens like `@role/P 2` could not name it",
    ];
    let mut want = String::new();
    for e in expected {
        want.push_str(&format!("error: {f}:{}\n", e.replace("{f}", f)));
    }
    want.push_str("error: 12 problems; nothing was written\n");
    assert_eq!(stderr(&o), want);
    assert!(!out.exists());
    // No temporary directory is left next to it either.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("hr.csv")]);
}

#[test]
fn a_cell_that_is_not_utf8_is_reported_at_its_cell() {
    let dir = scratch("latin1");
    let csv = dir.join("latin1.csv");
    let mut bytes = b"role,title,family,level,level_name,kind,name,text\n".to_vec();
    bytes.extend_from_slice(b"r,R,F,P2,Dev,responsibility,,Caf\xe9\n");
    std::fs::write(&csv, bytes).unwrap();
    let o = import(&[&csv], &dir.join("out"), &[]);
    refused_for(
        &o,
        &format!(
            "{}:2:8: not valid UTF-8 (as Excel's \"CSV (Comma delimited)\" writes an accent or a dash): save the sheet as \"CSV UTF-8 (Comma delimited)\"",
            s(&csv)
        ),
    );
}

/// `o` is an import refused for one problem, `problem`, and nothing else.
fn refused_for(o: &Output, problem: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    assert_eq!(
        stderr(o),
        format!("error: {problem}\nerror: 1 problem; nothing was written\n")
    );
}

/// A CSV file saved as UTF-16 (with its mark, either byte order) is one
/// problem that says so, not a header of NULs and a problem in every cell.
#[test]
fn a_utf16_csv_file_is_named_for_what_it_is() {
    let dir = scratch("utf16");
    let text =
        "role,title,family,level,level_name,kind,name,text\nr,R,F,P2,Dev,responsibility,,Café\n";
    for (name, mark, be) in [
        ("le.csv", [0xFF, 0xFE], false),
        ("be.csv", [0xFE, 0xFF], true),
    ] {
        let csv = dir.join(name);
        let mut bytes = mark.to_vec();
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        std::fs::write(&csv, bytes).unwrap();
        let o = import(&[&csv], &dir.join("out"), &[]);
        refused_for(
            &o,
            &format!(
                "{}: UTF-16 (by its byte order mark), which `canon import` does not read: save the sheet as \"CSV UTF-8 (Comma delimited)\" or as .xlsx",
                s(&csv)
            ),
        );
        assert!(!dir.join("out").exists());
    }
}

#[test]
fn files_that_are_not_tables_are_refused() {
    let dir = scratch("not-tables");
    let json = dir.join("canon.json");
    std::fs::write(&json, "{}").unwrap();
    let o = import(&[&json], &dir.join("out"), &[]);
    assert_said(&o, 2, "not a .csv or .xlsx file");
    // Other spreadsheets are named, with what to save them as.
    for (name, what) in [
        ("hr.ods", "an OpenDocument spreadsheet"),
        ("hr.XLS", "an Excel 97-2003 workbook"),
        ("hr.numbers", "a Numbers spreadsheet"),
    ] {
        let other = dir.join(name);
        std::fs::write(&other, "").unwrap();
        let o = import(&[&other], &dir.join("out"), &[]);
        assert_eq!(
            stderr(&o),
            format!("error: {}: {what}, which `canon import` does not read: save it as an .xlsx workbook or as \"CSV UTF-8 (Comma delimited)\"\n", s(&other))
        );
        assert_eq!(o.status.code(), Some(2));
    }
    // A file named .xlsx that is no zip archive says what it is instead
    // of the zip reader's words, and is the one problem: no "no rows" at
    // no table after it.
    let fake = dir.join("fake.xlsx");
    for (bytes, says) in [
        (&b"role,title\n"[..], "not an .xlsx workbook: every .xlsx file is a zip archive, and this one is not (a CSV file named .xlsx?)"),
        (b"", "an empty file, not an .xlsx workbook"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "an Excel 97-2003 workbook (or one protected by a password) named .xlsx, which `canon import` does not read: save it in Excel as an .xlsx workbook, without a password"),
    ] {
        std::fs::write(&fake, bytes).unwrap();
        let o = import(&[&fake], &dir.join("out"), &[]);
        refused_for(&o, &format!("{}: {says}", s(&fake)));
    }
    let csv = dir.join("t.csv");
    std::fs::write(&csv, "").unwrap();
    let o = import(&[&csv], &dir.join("out"), &["--sheet", "x"]);
    assert_said(&o, 2, "no .xlsx file is given");
    let o = import(&[&csv], &dir.join("out"), &[]);
    assert_said(&o, 2, &format!("{}:1:1: no header row", s(&csv)));
    assert!(!dir.join("out").exists());
}

/// Makes the workbook at `book` state that its part `part` unpacks to
/// `size` bytes: in its central directory entry, and in its local header
/// too if `local`.
fn state_unpacked_size(book: &Path, part: &str, size: u32, local: bool) {
    let mut bytes = std::fs::read(book).unwrap();
    // Each central directory entry: its signature, the unpacked size at
    // +24, the name's length at +28, the local header's offset at +42 (its
    // unpacked size at +22) and the name at +46.
    let mut patched = 0;
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        let h = at + i;
        let len = u16::from_le_bytes([bytes[h + 28], bytes[h + 29]]) as usize;
        if &bytes[h + 46..h + 46 + len] == part.as_bytes() {
            bytes[h + 24..h + 28].copy_from_slice(&size.to_le_bytes());
            if local {
                let l = u32::from_le_bytes(bytes[h + 42..h + 46].try_into().unwrap()) as usize;
                bytes[l + 22..l + 26].copy_from_slice(&size.to_le_bytes());
            }
            patched += 1;
        }
        at = h + 4;
    }
    assert_eq!(patched, 1, "{part}'s entry");
    std::fs::write(book, &bytes).unwrap();
}

/// A workbook of a few kilobytes whose sheet says it unpacks to 2 GiB (as
/// a zip bomb's does, or a sheet far past any canon) is refused before it
/// is read: calamine would hold its text in memory whole. A sheet that
/// unpacks to more than it says (a bomb that passes that check by
/// understating its size) is stopped by the zip reader at the size it
/// states, before the rest is unpacked.
#[test]
fn a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_read() {
    for (name, size, local, said) in [
        // The central directory alone: what the sizes are checked by.
        (
            "xlsx-bomb",
            0x8000_0000,
            false,
            "canon.xlsx: the workbook unpacks to more than 1024 MiB (its part xl/worksheets/sheet1.xml alone to 2048 MiB)",
        ),
        (
            "xlsx-understated",
            100,
            true,
            "larger than its declared uncompressed size",
        ),
    ] {
        let dir = scratch(name);
        let book = dir.join("canon.xlsx");
        export(None, "xlsx", &book);
        state_unpacked_size(&book, "xl/worksheets/sheet1.xml", size, local);
        let o = import(&[&book], &dir.join("out"), &[]);
        assert_said(&o, 2, said);
        assert!(!dir.join("out").exists());
    }
}

// ------------------------------------------------- --force and atomicity

fn good_csv(dir: &Path, text: &str) -> PathBuf {
    let csv = dir.join("good.csv");
    std::fs::write(
        &csv,
        format!(
            "role,title,family,level,level_name,kind,name,text\n\
             r,R,F,P2,Dev,responsibility,,{text}\n"
        ),
    )
    .unwrap();
    csv
}

#[test]
fn a_non_empty_out_is_replaced_only_with_force_and_only_by_a_complete_canon() {
    let dir = scratch("force");
    let out = dir.join("canon");
    std::fs::create_dir_all(out.join("roles")).unwrap();
    std::fs::write(out.join("roles/old.json"), "old").unwrap();
    std::fs::write(out.join("notes.txt"), "keep?").unwrap();
    let before = files_below(&out);

    let csv = good_csv(&dir, "New text.");
    let o = import(&[&csv], &out, &[]);
    assert_said(&o, 2, "is not empty; pass --force");
    assert_eq!(files_below(&out), before);

    // A failing import with --force leaves the old directory as it was.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "role,title,family,level,level_name,kind,name,text\nr,R,F,P2,Dev,rubric,,x\n",
    )
    .unwrap();
    let o = import(&[&bad], &out, &["--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(files_below(&out), before);

    // With --force, a good import replaces it whole.
    let o = import(&[&csv], &out, &["--force"]);
    ok(&o, "import --force");
    let names: Vec<String> = files_below(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["canon.schema.json", "levels.json", "roles/r.json"]);
    let role = std::fs::read_to_string(out.join("roles/r.json")).unwrap();
    assert!(
        role.starts_with("{\n  \"$schema\": \"../canon.schema.json\",\n  \"roles\": [\n"),
        "{role}"
    );
    assert!(role.contains("\"New text.\""));
    // Nothing but the canon and its source is left in the parent.
    let mut left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["bad.csv", "canon", "good.csv"]);
    // An empty directory needs no --force.
    let empty = dir.join("empty");
    std::fs::create_dir(&empty).unwrap();
    ok(
        &import(&[&csv], &empty, &[]),
        "import into an empty directory",
    );
    // --force never replaces the folder the spreadsheet is in.
    let o = import(&[&csv], &dir, &["--force"]);
    assert_said(&o, 2, "which --force would replace");
    assert!(csv.exists());
}

#[test]
fn several_files_make_one_canon_in_order() {
    let dir = scratch("several");
    let levels = dir.join("levels.csv");
    std::fs::write(&levels, "level,level_name,kind,name,text,role,title,family\nP2,Dev,dimension,Scope,Small things,,,\n").unwrap();
    let roles = good_csv(&dir, "Does things.");
    let out = dir.join("out");
    let o = import(&[&levels, &roles], &out, &[]);
    ok(&o, "import two files");
    assert_eq!(
        stdout(&o),
        format!("wrote {}: 1 role, 1 level, 1 role-level\n", s(&out))
    );
    let o = run(&["render", "r", "p2", "--frame", "okr", "--canon", s(&out)]);
    ok(&o, "render");
    assert!(stdout(&o).contains("Small things"), "{}", stdout(&o));
}

// ----------------------------------------------------------------- export

#[test]
fn export_writes_csv_to_stdout_or_a_file_and_xlsx_only_to_a_file() {
    let o = run(&["canon", "export", "--format", "csv"]);
    ok(&o, "export to stdout");
    let table = stdout(&o);
    assert!(table.starts_with("role,title,family,aliases,level,level_name,kind,name,text\n,,,,P2,Developing Professional,dimension,Scope,"), "{table}");
    assert_eq!(table.lines().count(), 14);
    let dir = scratch("export");
    let file = dir.join("canon.csv");
    export(None, "csv", &file);
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "a file starts with a byte-order mark"
    );
    assert_eq!(&bytes[3..], table.as_bytes());
    let o = run(&["canon", "export", "--format", "xlsx"]);
    assert_said(&o, 2, "--format xlsx needs --output");
    // A canon with errors is reported, and nothing is written.
    let broken = canon_dir(
        "broken",
        &[("levels.json", "{\"levels\": [{\"code\": \"P2\"}]}")],
    );
    let out = dir.join("broken.csv");
    let o = run(&[
        "canon",
        "export",
        "--format",
        "csv",
        "--canon",
        s(&broken),
        "--output",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

/// A canon text longer than a sheet's cell holds (32,767 UTF-16 code
/// units: 20,000 emoji are 40,000) is refused by the xlsx export, at its
/// row and with its role and level, before anything is written (the
/// workbook library's own error named nothing); CSV, which has no such
/// limit, takes it and reads back the same.
#[test]
fn a_text_too_long_for_a_cell_is_named_and_the_workbook_not_written() {
    let dir = scratch("export-long-cell");
    let text = "😀".repeat(20_000);
    let canon = dir.join("canon");
    ok(
        &import(&[&good_csv(&dir, &text)], &canon, &[]),
        "import a long text",
    );
    let book = dir.join("canon.xlsx");
    std::fs::write(&book, "an older export").unwrap();
    let o = run(&[
        "canon",
        "export",
        "--canon",
        s(&canon),
        "--output",
        s(&book),
    ]);
    assert_said(
        &o,
        2,
        "the `text` of role `r` at level `P2` (row 3) is 40000 characters long: a cell of a sheet holds at most 32,767 characters (an emoji counts as two); export to csv",
    );
    assert_eq!(std::fs::read(&book).unwrap(), b"an older export");
    let table = dir.join("canon.csv");
    export(Some(&canon), "csv", &table);
    let again = dir.join("again");
    ok(&import(&[&table], &again, &[]), "import the export");
    assert_eq!(files_below(&again), files_below(&canon));
}

// ------------------------------------------------------------------- init

#[test]
fn init_writes_a_starter_canon_that_checks_and_refuses_a_non_empty_dir() {
    let dir = scratch("init");
    let canon = dir.join("hr-canon");
    let o = run(&["canon", "init", s(&canon)]);
    ok(&o, "canon init");
    let names: Vec<String> = files_below(&canon).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "README.md",
            "canon.schema.json",
            "levels.json",
            "roles/account-executive-field-sales.json"
        ]
    );
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../canon");
    for f in [
        "canon.schema.json",
        "levels.json",
        "roles/account-executive-field-sales.json",
    ] {
        assert_eq!(
            std::fs::read(canon.join(f)).unwrap(),
            std::fs::read(repo.join(f)).unwrap(),
            "{f}"
        );
    }
    let readme = std::fs::read_to_string(canon.join("README.md")).unwrap();
    assert!(readme.contains("goalframe canon import"), "{readme}");
    let o = run(&["canon", "check", "--canon", s(&canon)]);
    ok(&o, "canon check");
    assert_eq!(
        renders(&[&canon], &[("ae".into(), "P2".into())]),
        renders(&[], &[("ae".into(), "P2".into())])
    );
    // Refused, with the way out it names, which `init` takes (it named
    // `--force` and did not take it).
    std::fs::write(canon.join("notes.txt"), "mine\n").unwrap();
    let o = run(&["canon", "init", s(&canon)]);
    assert_said(&o, 2, "is not empty; pass --force to replace it");
    assert!(canon.join("notes.txt").exists());
    ok(
        &run(&["canon", "init", "--force", s(&canon)]),
        "canon init --force",
    );
    assert!(!canon.join("notes.txt").exists());
    ok(
        &run(&["canon", "check", "--canon", s(&canon)]),
        "canon check",
    );
}

/// A canon replaced with `--force` is never missing, not for an instant:
/// a server or a CI job reading it meanwhile finds the old canon or the
/// new one. (It was moved aside, then the new one moved in: a watcher
/// polling the path saw it missing between the two.) On Linux the two
/// directories are swapped in one step.
#[cfg(target_os = "linux")]
#[test]
fn a_canon_replaced_with_force_is_never_missing() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let dir = scratch("canon-swap");
    let canon = dir.join("hr-canon");
    ok(&run(&["canon", "init", s(&canon)]), "canon init");
    let (done, missing, looks) = (
        AtomicBool::new(false),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                if std::fs::symlink_metadata(&canon).is_err() {
                    missing.fetch_add(1, Ordering::Relaxed);
                }
                looks.fetch_add(1, Ordering::Relaxed);
            }
        });
        for _ in 0..30 {
            ok(
                &run(&["canon", "init", "--force", s(&canon)]),
                "canon init --force",
            );
        }
        done.store(true, Ordering::Relaxed);
    });
    assert!(looks.load(Ordering::Relaxed) > 1000, "the watcher ran");
    assert_eq!(missing.load(Ordering::Relaxed), 0, "the canon was missing");
    // Nothing is left beside it.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["hr-canon"]);
    ok(
        &run(&["canon", "check", "--canon", s(&canon)]),
        "canon check",
    );
}

/// `canon export` refuses an output its canon would read as one of its
/// own files (which it would replace, or break the next load with), and
/// nothing is written; beside the canon, or not named as a canon file,
/// is fine.
#[test]
fn canon_export_does_not_write_into_the_canon_it_exports() {
    let dir = scratch("canon-export-into-itself");
    let canon = dir.join("hr-canon");
    ok(&run(&["canon", "init", s(&canon)]), "canon init");
    let before = files_below(&canon);
    let export_to = |flag: &str, target: &Path| {
        let args = ["canon", "export", "--canon", s(&canon), "--format", "csv"];
        run(&[&args[..], &[flag, s(target)]].concat())
    };
    for out in ["levels.json", "roles/new.json", "./roles/../levels.json"] {
        let o = export_to("--output", &canon.join(out));
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("inside the canon directory"),
            "{out}: {}",
            stderr(&o)
        );
        assert_eq!(files_below(&canon), before, "{out}");
    }
    export(Some(&canon), "csv", &dir.join("canon.json"));
    let o = export_to("-o", &canon.join("canon.csv"));
    ok(&o, "canon export -o");
    ok(
        &run(&["canon", "check", "--canon", s(&canon)]),
        "canon check",
    );
}
