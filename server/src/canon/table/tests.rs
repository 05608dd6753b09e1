use super::*;
use crate::canon::{load_embedded, load_sources, write, SourceFile};

fn table(file: &str) -> Table {
    Table {
        file: file.to_string(),
        sheet: None,
    }
}

/// Imports one table: `rows[0]` is the header, row 1.
fn import(rows: &[Vec<&str>]) -> Result<Canon, TableErrors> {
    let mut import = Import::new();
    import.begin(table("t.csv"));
    import.header(1, &rows[0]);
    for (i, row) in rows[1..].iter().enumerate() {
        import.row(i + 2, row);
    }
    import.finish(vec!["t.csv".into()])
}

fn exported(canon: &Canon) -> Vec<Vec<String>> {
    let mut rows = vec![COLUMNS.map(String::from).to_vec()];
    export::<()>(canon, |cells| {
        rows.push(cells.iter().map(|c| c.to_string()).collect());
        Ok(())
    })
    .unwrap();
    rows
}

fn round_trip(canon: &Canon) -> Canon {
    let rows = exported(canon);
    let rows: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    import(&rows).unwrap_or_else(|e| panic!("{e}"))
}

/// The written files load back into the same canon.
fn reload(canon: &Canon) -> Canon {
    let files = write::files(canon)
        .map(|(path, text)| SourceFile {
            path,
            bytes: text.into_bytes(),
        })
        .collect();
    load_sources(files, vec!["written".into()]).unwrap_or_else(|e| panic!("{e}"))
}

fn errors(rows: &[Vec<&str>]) -> Vec<String> {
    match import(rows) {
        Ok(_) => panic!("no error"),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

const EDGES: &str = r#"{"levels": [
  {"code": "P1", "name": "Entry, \"quoted\""},
  {"code": "3", "name": "Three", "dimensions": [{"name": "Scope", "text": "a; b, c | d * e < f $ {g}"}]},
  {"code": "M1", "name": "Manager"}
], "roles": [
  {"id": "r-a", "title": "A \"one\", first", "family": "F; G", "aliases": ["x;y", "back\\slash", "end\\", "plain"],
   "levels": {"3": {"rubrics": {"knowledge-application": "Only a rubric, $1 {x}"}},
              "P1": {},
              "m1": {"responsibilities": ["Does =1+1", "Leads | pipes *stars* <tags>"]}}},
  {"id": "r-b", "title": "B", "family": "F", "levels": {}},
  {"id": "r-c", "title": "C", "family": "F",
   "levels": {"P1": {"rubrics": {"other key": "x"}, "responsibilities": ["after the rubric"]}}}
]}"#;

fn edges() -> Canon {
    load_sources(
        vec![SourceFile {
            path: "edges.json".into(),
            bytes: EDGES.as_bytes().to_vec(),
        }],
        vec!["edges".into()],
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn same(a: &Canon, b: &Canon) {
    assert_eq!(a.levels(), b.levels());
    assert_eq!(a.roles(), b.roles());
}

#[test]
fn the_default_canon_round_trips() {
    let canon = load_embedded().unwrap();
    let back = round_trip(&canon);
    same(&canon, &back);
    same(&canon, &reload(&back));
}

#[test]
fn every_omission_and_odd_character_round_trips() {
    let canon = edges();
    // What the canon holds, so that the test covers what it says.
    assert!(canon.levels()[0].dimensions.is_empty());
    assert!(canon.roles()[1].levels.is_empty());
    assert_eq!(canon.roles()[0].levels[1].responsibilities().len(), 0);
    assert_eq!(canon.roles()[0].levels[1].rubrics().len(), 0);
    let back = round_trip(&canon);
    same(&canon, &back);
    same(&canon, &reload(&back));
    assert_eq!(
        back.roles()[0].aliases,
        ["x;y", "back\\slash", "end\\", "plain"]
    );
    // The level written `m1` in the role is the level `M1`.
    assert_eq!(back.levels()[back.roles()[0].levels[2].level].code, "M1");
}

#[test]
fn the_table_is_levels_first_then_roles_with_their_details_once() {
    let rows = exported(&edges());
    let text: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
    assert_eq!(
        text[..6],
        [
            "role,title,family,aliases,level,level_name,kind,name,text",
            ",,,,P1,Entry, \"quoted\",,,",
            ",,,,3,Three,dimension,Scope,a; b, c | d * e < f $ {g}",
            ",,,,M1,Manager,,,",
            "r-a,A \"one\", first,F; G,x\\;y; back\\\\slash; end\\\\; plain,3,,rubric,knowledge-application,Only a rubric, $1 {x}",
            "r-a,,,,P1,,,,",
        ]
    );
    assert_eq!(text[8], "r-b,B,F,,,,,,");
}

#[test]
fn aliases_split_at_unescaped_semicolons() {
    assert_eq!(split_aliases("ae; field sales ;;"), ["ae", "field sales"]);
    assert_eq!(split_aliases(r"a\;b;c\\;d\x"), ["a;b", r"c\", r"d\x"]);
    let odd = vec!["a;b".to_string(), r"c\".to_string(), r"\;".to_string()];
    assert_eq!(split_aliases(&join_aliases(&odd)), odd);
}

#[test]
fn column_letters_count_like_a_spreadsheet() {
    let letters: Vec<String> = [1, 9, 26, 27, 52, 53, 702, 703]
        .into_iter()
        .map(column_letters)
        .collect();
    assert_eq!(letters, ["A", "I", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
}

#[test]
fn headers_in_any_order_and_case_and_blank_rows() {
    let canon = import(&[
        vec![
            "TEXT",
            "Kind",
            "Level Name",
            "level",
            "Role",
            "title",
            "FAMILY",
            "name",
        ],
        vec!["Scope text", "Dimension", "Dev", "p2", "", "", "", "Scope"],
        vec!["", "", "", "", "", "", "", ""],
        vec!["Does it.", "RESPONSIBILITY", "", "P2", "r", "R", "F", ""],
    ])
    .unwrap();
    assert_eq!(canon.levels()[0].code, "p2");
    let rl = canon.role_at("r", "P2").unwrap();
    assert_eq!(rl.at.responsibilities().collect::<Vec<_>>(), ["Does it."]);
    assert_eq!(rl.level.dimensions[0].text, "Scope text");
}

#[test]
fn every_problem_is_reported_at_its_cell() {
    let header = COLUMNS.to_vec();
    let got = errors(&[
        header,
        //    role   title family aliases level  lname  kind   name   text
        vec!["r", "R", "F", "", "P2", "Dev", "responsibility", "", "ok"],
        vec![
            "r",
            "Other",
            "G",
            "",
            "P2",
            "Else",
            "responsibility",
            "",
            "x",
        ],
        vec!["r", "", "", "q", "P2", "", "responsibilty", "", "x"],
        vec!["r", "", "", "other", "P2", "", "rubric", "", ""],
        vec!["r", "", "", "", "P2", "", "responsibility", "k", "x"],
        vec!["s", "S", "F", "", "P2", "", "dimension", "Scope", "t"],
        vec!["", "T", "", "", "", "L", "", "", "x"],
        vec![
            "Bad Id",
            "",
            "",
            "",
            "P 2",
            "",
            "responsibility",
            "",
            "x\ny",
        ],
        vec!["t", "T", "F", "q", "P3", "", "responsibility", "", "x"],
        vec!["t", "", "", "", "P2", "", "rubric", "k", "x"],
        vec!["t", "", "", "", "P2", "", "rubric", "k", "y"],
        vec!["", "", "", "", "", "", "", "", "", "stray"],
        vec![
            "t",
            "",
            "",
            "",
            "P2",
            "",
            "responsibility",
            "",
            "bell \u{7}",
        ],
        vec![
            "t",
            "",
            "",
            "",
            "P2",
            "",
            "responsibility",
            "",
            "Owns cus\u{ad}tomer renewals",
        ],
    ]);
    let expected = [
        "t.csv:3:2: role `r` has title `R` at t.csv:2:2; this row says `Other`",
        "t.csv:3:3: role `r` has family `F` at t.csv:2:3; this row says `G`",
        "t.csv:3:6: level `P2` is named `Dev` at t.csv:2:6; this row says `Else`",
        "t.csv:5:4: role `r` has aliases `q` at t.csv:4:4; this row says `other`",
        "t.csv:4:7: unknown kind `responsibilty`; did you mean `responsibility`?",
        "t.csv:5:8: missing `name`: the rubric's key, such as `knowledge-application`",
        "t.csv:5:9: missing `text`: the canon text",
        "t.csv:6:8: a responsibility has no `name`; is the kind `rubric`?",
        "t.csv:7:1: a dimension row names no role: dimensions belong to a level",
        "t.csv:8:2: `title` is given but `role` is empty",
        "t.csv:8:6: `level_name` is given but `level` is empty",
        "t.csv:8:7: missing `kind`: one of `responsibility`, `rubric` or `dimension`",
        "t.csv:9:1: role id `Bad Id` is not a slug: use lower-case letters, digits and `-`, starting with a letter or digit",
        "t.csv:9:5: level code `P 2` has white space or `/`; tokens like `@role/P 2` could not name it",
        "t.csv:9:9: line break in a cell: each canon text is one line",
        "t.csv:10:4: `q` names two roles: `r` (at t.csv:4:4) and `t`",
        "t.csv:10:5: level `P3` has no name: give its `level_name` on one of its rows",
        "t.csv:12:8: rubric `k` of role `t` at level `P2` is given twice",
        "t.csv:13:10: a value in a column with no header",
        "t.csv:14:9: control character U+0007 in a cell: each canon text is printable text",
        "t.csv:15:9: U+00AD SOFT HYPHEN in a cell, which takes no room: each canon text is text that shows, and every review built from it would carry it unseen",
    ];
    // Sorted by row, then column: the aliases disagreement on row 5
    // comes after row 4's kind.
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected.sort_by_key(|e| {
        let mut parts = e.split(':').skip(1).map(|n| n.parse::<usize>().unwrap());
        (parts.next().unwrap(), parts.next().unwrap())
    });
    assert_eq!(got, expected);
}

#[test]
fn header_problems() {
    let got = errors(&[
        vec![
            "role",
            "Titel",
            "family",
            "level",
            "level_name",
            "kind",
            "kind",
            "text",
            "notes",
        ],
        vec!["r", "R", "F", "P2", "L", "responsibility", "", "x", ""],
    ]);
    assert_eq!(
        got,
        [
            "t.csv:1:2: unknown column `Titel`; did you mean `title`?",
            "t.csv:1:7: column `kind` appears twice",
            "t.csv:1:9: unknown column `notes`; the columns are `role`, `title`, `family`, `aliases`, `level`, `level_name`, `kind`, `name` or `text`",
            "t.csv:1:10: missing column `title`",
            "t.csv:1:10: missing column `name`",
            "t.csv:2:1: role `r` has no title: give its `title` on one of its rows",
        ]
    );
    let empty: Vec<&str> = Vec::new();
    assert_eq!(
        errors(&[empty]),
        ["t.csv:1:1: no header row: the first row names the columns (role, title, family, aliases, level, level_name, kind, name, text)"]
    );
    assert_eq!(
        errors(&[COLUMNS.to_vec()]),
        ["t.csv:2:1: no rows: the table holds no canon text"]
    );
}

#[test]
fn workbook_positions_name_the_sheet_and_column_letters() {
    let mut import = Import::new();
    import.begin(Table {
        file: "hr.xlsx".into(),
        sheet: Some("Roles 2026".into()),
    });
    import.header(3, &COLUMNS);
    import.row(30, &["r", "R", "F", "", "P2", "L", "rubric", "k", ""]);
    let e = import.finish(vec![]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "hr.xlsx[Roles 2026]!I30: missing `text`: the canon text"
    );
}

#[test]
fn tables_are_read_one_after_another_into_one_canon() {
    let mut import = Import::new();
    import.begin(table("levels.csv"));
    import.header(
        1,
        &[
            "level",
            "level_name",
            "kind",
            "name",
            "text",
            "role",
            "title",
            "family",
        ],
    );
    import.row(2, &["P2", "Dev", "dimension", "Scope", "s", "", "", ""]);
    import.begin(table("roles.csv"));
    import.header(1, &COLUMNS);
    import.row(2, &["r", "R", "F", "", "P2", "", "responsibility", "", "x"]);
    import.row(3, &["r", "", "", "", "P9", "", "responsibility", "", "y"]);
    let e = import.finish(vec![]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "roles.csv:3:5: level `P9` has no name: give its `level_name` on one of its rows"
    );
}

#[test]
fn a_table_split_by_semicolons_says_so() {
    let got = errors(&[vec!["role;title;family;level;level_name;kind;name;text"]]);
    assert_eq!(
        got[0],
        "t.csv:1:1: unknown column `role;title;family;level;level_name;kind;name;text`; its cells seem to be separated by `;`: save the table as CSV with commas, or as .xlsx"
    );
}

/// Rows of a role level need not be together: however many levels a role
/// has and however its rows are interleaved, each text lands in its own
/// role level in row order, and a rubric given twice is still found.
#[test]
fn interleaved_rows_of_many_levels_land_in_their_role_levels() {
    let n = 50;
    let codes: Vec<String> = (0..n).map(|i| format!("L{i}")).collect();
    let texts: Vec<(String, String)> = (0..2)
        .flat_map(|pass| {
            codes
                .iter()
                .map(move |c| (c.clone(), format!("{c} text {pass}.")))
        })
        .collect();
    let mut rows: Vec<Vec<&str>> = vec![COLUMNS.to_vec()];
    for c in &codes {
        rows.push(vec!["", "", "", "", c, "Name", "dimension", "Scope", "x"]);
    }
    rows.push(vec!["r", "R", "F", "", "L0", "", "rubric", "k", "first"]);
    for (c, t) in &texts {
        rows.push(vec!["r", "", "", "", c, "", "responsibility", "", t]);
    }
    let canon = import(&rows).unwrap_or_else(|e| panic!("{e}"));
    for c in &codes {
        let ral = canon.role_at("r", c).expect("role level");
        assert_eq!(
            ral.at.responsibilities().collect::<Vec<_>>(),
            [format!("{c} text 0."), format!("{c} text 1.")],
            "{c}"
        );
    }
    rows.push(vec!["r", "", "", "", "L0", "", "rubric", "k", "again"]);
    let e = errors(&rows);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("rubric"), "{e:?}");
}

/// A role whose texts would pass what one canon file may hold is an error
/// at the text that passes it: the role's file could not be read back (and
/// its role levels' text ends would not fit in 32 bits).
#[test]
fn a_role_with_more_text_than_a_canon_file_is_an_error_at_that_text() {
    // The limit made small: a cell of hundreds of megabytes takes seconds
    // to check in a debug build.
    let mut import = Import::new();
    import.text_limit = Some(2 << 20);
    let half = "x".repeat(1 << 20);
    import.begin(table("t.csv"));
    import.header(1, &COLUMNS);
    import.row(
        2,
        &["r", "R", "F", "", "P2", "Dev", "responsibility", "", &half],
    );
    // Up to the limit, over the role's levels, is a canon.
    import.row(3, &["r", "", "", "", "P3", "Senior", "rubric", "k", &half]);
    import.row(4, &["r", "", "", "", "P2", "", "responsibility", "", "x"]);
    // Another role holds its own.
    import.row(5, &["s", "S", "F", "", "P2", "", "responsibility", "", "y"]);
    let e = import.finish(vec![]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.csv:4:9: role `r` holds more than 2 MiB of text with this row: more than one canon file may hold"
    );
}

/// A problem at a cell inside a merged cell (not its first) says so; one
/// at a merged cell's first cell, or outside every merged cell, does not.
/// Merged cells spanning columns count for each column they cover.
#[test]
fn a_problem_inside_a_merged_cell_says_where_its_value_is() {
    let mut import = Import::new();
    import.begin(Table {
        file: "hr.xlsx".into(),
        sheet: Some("Canon".into()),
    });
    assert!(!import.current_has_errors());
    for (row, column) in [(4, 1), (5, 1), (3, 1), (9, 1), (7, 3), (12, 2)] {
        import.cell_error(row, column, "missing");
    }
    assert!(import.current_has_errors());
    // A3:A5, B7:D8, and one to the right of every problem.
    import.explain_merged(&[[3, 5, 1, 1], [7, 8, 2, 4], [1, 40, 9, 9]]);
    let said: Vec<String> = match import.finish(vec![]) {
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
        Ok(_) => panic!("errors were given"),
    };
    let merged = |cell: &str, first: &str| {
        format!("hr.xlsx[Canon]!{cell}: missing; the cell is part of the merged cell {first}, whose value belongs to {} alone: unmerge it and fill in each row", &first[..first.find(':').unwrap()])
    };
    assert_eq!(
        said,
        [
            "hr.xlsx[Canon]!A3: missing".to_string(),
            merged("A4", "A3:A5"),
            merged("A5", "A3:A5"),
            merged("C7", "B7:D8"),
            "hr.xlsx[Canon]!A9: missing".to_string(),
            "hr.xlsx[Canon]!B12: missing".to_string(),
        ]
    );
}

/// Imports one table as the readers do: every row offered, in order.
fn offered(rows: &[Vec<&str>]) -> Result<Canon, TableErrors> {
    let mut import = Import::new();
    import.begin(table("t.csv"));
    for (i, row) in rows.iter().enumerate() {
        import.offer(i + 1, row);
    }
    import.end_table();
    import.finish(vec!["t.csv".into()])
}

/// HR sheets often open with a title and a note above the header: rows of
/// one cell that names no column are passed over, and rows are still
/// numbered as the sheet shows them. A row of two cells or more, or one
/// cell naming a column (or several, split by `;`), is the header.
#[test]
fn title_rows_above_the_header_are_passed_over() {
    let body = vec![
        "ae",
        "AE",
        "Sales",
        "",
        "P2",
        "Two",
        "responsibility",
        "",
        "Sells",
    ];
    let rows = vec![
        vec!["", "Job architecture 2026"],
        vec![],
        vec!["Owned by HR"],
        COLUMNS.to_vec(),
        body.clone(),
    ];
    let canon = offered(&rows).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(canon.roles().len(), 1);
    // A broken row is placed on the row the sheet shows.
    let mut broken = rows.clone();
    broken.push(vec!["ae", "", "", "", "P2", "", "responsibilty", "", "x"]);
    let said = match offered(&broken) {
        Ok(_) => panic!("no error"),
        Err(e) => e.0[0].to_string(),
    };
    assert!(said.starts_with("t.csv:6:7: unknown kind"), "{said}");

    let first = |row: Vec<&str>| match offered(&[row, COLUMNS.to_vec(), body.clone()]) {
        Ok(_) => "imported".to_string(),
        Err(e) => e.0[0].to_string(),
    };
    assert_eq!(
        first(vec!["Job architecture", "2026"]),
        "t.csv:1:1: unknown column `Job architecture`; the columns are `role`, `title`, `family`, `aliases`, `level`, `level_name`, `kind`, `name` or `text`"
    );
    assert_eq!(first(vec!["Role"]), "t.csv:1:2: missing column `title`");
    assert!(first(vec!["role;title"]).contains("seem to be separated by `;`"));
    assert_eq!(first(vec!["", "", "Notes"]), "imported");
    // Titles and no header below them.
    let said = match offered(&[vec![], vec!["", "Canon 2026, see the next sheet"]]) {
        Ok(_) => panic!("no error"),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
    };
    assert_eq!(
        said,
        ["t.csv:2:2: no header row: `Canon 2026, see the next sheet` is a title, and no row below it names the columns (role, title, family, aliases, level, level_name, kind, name, text)"]
    );
}
