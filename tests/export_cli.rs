//! End-to-end tests of `goalframe export` against the built binary:
//! goldens of every format on `examples/` and on documents with every
//! frame (text and markdown, LF and CRLF), the CSV read back by a CSV
//! reader, the JSON checked against its documented schema, each
//! pre-flight refusal with nothing written, and atomic output.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::*;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const FORMATS: [&str; 4] = ["json", "csv", "culture-amp", "betterworks"];

fn ext(format: &str) -> &'static str {
    if format == "json" {
        "json"
    } else {
        "csv"
    }
}

/// A whole rendered document (every frame) with each placeholder of its
/// rows filled by a valid value (the lead line that names the
/// placeholders stays as it is).
fn filled(format: &str) -> String {
    let o = run(&["render", "ae", "p2", "--format", format]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
        .split_inclusive('\n')
        .map(|line| {
            if line.contains("are placeholders") {
                line.to_string()
            } else {
                line.replace("⟨baseline⟩", "4 deals a month")
                    .replace("⟨target⟩", "6 deals a month")
                    .replace("⟨date⟩", "2027-Q2")
            }
        })
        .collect()
}

const FRONT_MATTER: &str = "---\nowner: ana@example.com\nname: Ana Ruiz\nmanager: sam@example.com\ncycle: FY2027 H1\ncycle_start: 2027-01-01\ncycle_end: 2027-06-30\n---\n";
const HEADER_LINES: &str = "owner: ana@example.com\nname: Ana Ruiz\ncycle: FY2027 H1\ncycle_start: 2027-01-01\ncycle_end: 2027-06-30\n\n";

/// A folder with the filled document in both forms.
fn filled_folder() -> PathBuf {
    let dir = scratch("export-filled");
    std::fs::write(
        dir.join("ana.md"),
        format!("{FRONT_MATTER}{}", filled("markdown")),
    )
    .unwrap();
    std::fs::write(
        dir.join("ana.txt"),
        format!("{HEADER_LINES}{}", filled("text")),
    )
    .unwrap();
    dir
}

#[test]
fn every_format_matches_its_golden_file() {
    for format in FORMATS {
        // The finished example alone passes pre-flight.
        let o = run_in(
            &repo(),
            &["export", "examples/review-filled.md", "--format", format],
        );
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{format}: {}", stderr(&o));
        fixture::assert_golden(
            &format!("export-filled.{format}.{}", ext(format)),
            &stdout(&o),
        );
        // Every frame, in both forms.
        let dir = filled_folder();
        let o = run_in(&dir, &["export", ".", "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        fixture::assert_golden(
            &format!("export-frames.{format}.{}", ext(format)),
            &stdout(&o),
        );
    }
    // The draft too, with what it lacks left empty.
    let o = run_in(&repo(), &["export", "examples/", "--allow-incomplete"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    fixture::assert_golden("export-examples-incomplete.json", &stdout(&o));
}

#[test]
fn crlf_and_lf_documents_export_the_same_goals() {
    let dir = filled_folder();
    let lf = run_in(&dir, &["export", "ana.md", "ana.txt"]);
    for name in ["ana.md", "ana.txt"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        std::fs::write(dir.join(name), text.replace('\n', "\r\n")).unwrap();
    }
    let crlf = run_in(&dir, &["export", "ana.md", "ana.txt"]);
    assert_eq!(crlf.status.code(), Some(0), "{}", stderr(&crlf));
    assert_eq!(stdout(&lf), stdout(&crlf));
}

#[test]
fn every_frame_gives_its_goals_and_measures() {
    let dir = filled_folder();
    let o = run_in(&dir, &["export", "ana.md", "ana.txt"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let goals = v["goals"].as_array().unwrap();
    for path in ["ana.md", "ana.txt"] {
        let of = |frame: &str| {
            goals
                .iter()
                .filter(|g| g["path"] == path && g["frame"] == frame)
                .collect::<Vec<_>>()
        };
        // The default canon's AE P2: five responsibilities, six dimensions.
        assert_eq!(of("smart").len(), 5, "{path}");
        assert_eq!(of("okr").len(), 5, "{path}");
        assert_eq!(of("mbo").len(), 5, "{path}");
        assert_eq!(of("scorecard").len(), 11, "{path}");
        for g in of("okr") {
            let labels: Vec<&str> = g["measures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["label"].as_str().unwrap())
                .collect();
            assert_eq!(labels, ["KR1", "KR2"]);
        }
        for g in goals.iter().filter(|g| g["path"] == path) {
            assert_eq!(g["owner"], "ana@example.com");
            assert_eq!(g["cycle"], "FY2027 H1");
            for m in g["measures"].as_array().unwrap() {
                assert_eq!(m["target"], "6 deals a month");
                // `2027-Q2` resolved to the quarter's last day.
                assert_eq!(m["due"], "2027-06-30");
            }
        }
        // Indexes count within each frame.
        let idx: Vec<u64> = of("scorecard")
            .iter()
            .map(|g| g["index"].as_u64().unwrap())
            .collect();
        assert_eq!(idx, (1..=11).collect::<Vec<_>>());
    }
    // The scorecard's calibration rows are titled by their quoted text.
    assert!(goals
        .iter()
        .any(|g| g["title"] == "Defined deliverables / small features"));
}

#[test]
fn the_csv_reads_back_with_a_csv_reader() {
    let dir = filled_folder();
    for format in ["csv", "culture-amp", "betterworks"] {
        let o = run_in(&dir, &["export", ".", "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let mut r = csv::ReaderBuilder::new().from_reader(o.stdout.as_slice());
        let header = r.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|row| row.len() == header.len()));
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        match format {
            "csv" => {
                // One row per measure: OKR objectives have two.
                let okr = rows.iter().filter(|r| &r[col("frame")] == "okr").count();
                assert_eq!(okr, 2 * 5 * 2);
                // Commas inside canon text survive quoting.
                assert!(rows.iter().any(|r| r[col("title")].contains(", ")));
            }
            "culture-amp" => {
                assert!(rows.iter().all(|r| &r[col("email")] == "ana@example.com"));
                assert!(rows
                    .iter()
                    .all(|r| &r[col("due_at")] == "2027-06-30" && &r[col("status")] == "created"));
                assert!(rows
                    .iter()
                    .any(|r| r[col("key_result_2_title")]
                        .starts_with("KR2. 6 deals a month by 2027-Q2")));
            }
            _ => {
                let goals = rows.iter().filter(|r| &r[col("type")] == "goal").count();
                let milestones = rows
                    .iter()
                    .filter(|r| &r[col("type")] == "milestone")
                    .count();
                assert_eq!(goals, 2 * 26);
                assert_eq!(milestones, 2 * (5 + 10 + 5 + 11));
                assert!(rows.iter().all(|r| &r[col("start_date")] == "2027-01-01"));
            }
        }
    }
}

/// Checks `v` against the subset of JSON Schema docs/export.schema.json
/// uses: type (one or a list), properties, required,
/// additionalProperties: false, items, enum, const, minimum.
fn check(schema: &Value, v: &Value, at: &str) {
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().map(|x| x.as_str().unwrap()).collect(),
            _ => panic!("bad schema type at {at}"),
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "null" => v.is_null(),
            _ => panic!("type {t}"),
        });
        assert!(ok, "{at}: {v} is not {types:?}");
    }
    if let Some(c) = schema.get("const") {
        assert_eq!(c, v, "{at}");
    }
    if let Some(e) = schema.get("enum") {
        assert!(e.as_array().unwrap().contains(v), "{at}: {v} not in {e}");
    }
    if let Some(m) = schema.get("minimum") {
        assert!(v.as_u64().unwrap() >= m.as_u64().unwrap(), "{at}");
    }
    if let (Some(props), Some(obj)) = (schema.get("properties"), v.as_object()) {
        let props = props.as_object().unwrap();
        for r in schema["required"].as_array().into_iter().flatten() {
            assert!(obj.contains_key(r.as_str().unwrap()), "{at}: {r} missing");
        }
        if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
            for k in obj.keys() {
                assert!(props.contains_key(k), "{at}: {k} not in the schema");
            }
        }
        for (k, sub) in props {
            if let Some(x) = obj.get(k) {
                check(sub, x, &format!("{at}.{k}"));
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(items, x, &format!("{at}[{i}]"));
        }
    }
}

#[test]
fn the_json_follows_its_documented_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("docs/export.schema.json")).unwrap(),
    )
    .unwrap();
    let dir = filled_folder();
    std::fs::write(dir.join("bin.md"), b"\0\0binary").unwrap();
    let o = run_in(&dir, &["export", ".", "--allow-skipped"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    check(&schema, &v, "$");
    assert_eq!(v["skipped"][0]["path"], "bin.md");
    let o = run_in(&repo(), &["export", "examples/", "--allow-incomplete"]);
    check(&schema, &serde_json::from_slice(&o.stdout).unwrap(), "$");
    // A schema that checks nothing would pass anything: it refuses a
    // record with a field it does not know.
    let mut bad = v.clone();
    bad["goals"][0]["extra"] = Value::Bool(true);
    assert!(std::panic::catch_unwind(|| check(&schema, &bad, "$")).is_err());
}

/// An edit to a document.
type Change = Box<dyn Fn(String) -> String>;

/// One filled markdown goal document with `change` applied.
fn refused_by(change: impl Fn(String) -> String, format: &str) -> (std::process::Output, PathBuf) {
    let dir = scratch("export-refused");
    let doc = change(format!("{FRONT_MATTER}{}", filled("markdown")));
    std::fs::write(dir.join("doc.md"), doc).unwrap();
    std::fs::write(dir.join("out.json"), "the earlier export\n").unwrap();
    let o = run_in(
        &dir,
        &[
            "export", "doc.md", "--format", format, "--output", "out.json",
        ],
    );
    (o, dir)
}

#[test]
fn pre_flight_refuses_each_kind_of_unfinished_goal_and_writes_nothing() {
    /// `d` without the first line that holds `words`.
    fn without_the_line_of(d: &str, words: &str) -> String {
        let at = d.find(words).expect("the row");
        let start = d[..at].rfind('\n').expect("its line") + 1;
        let end = at + d[at..].find('\n').expect("its end") + 1;
        format!("{}{}", &d[..start], &d[end..])
    }
    let cases: [(&str, &str, Change); 12] = [
        (
            "unfilled-placeholder",
            "json",
            Box::new(|d: String| d.replacen("6 deals a month", "⟨target⟩", 1)),
        ),
        (
            "template-drift",
            "json",
            Box::new(|d: String| d.replacen("Move the metric this drives from", "Grow from", 1)),
        ),
        (
            "invalid-date",
            "csv",
            Box::new(|d: String| d.replacen("2027-Q2", "2027-02-30", 1)),
        ),
        // A SMART goal whose Measurable row was taken out has nothing to
        // export, and is not sent without a measure.
        (
            "template-drift",
            "json",
            Box::new(|d: String| without_the_line_of(&d, "**Measurable:**")),
        ),
        // An OKR objective whose KR1 row was taken out, its KR2 left: not
        // sent with its main key result missing.
        (
            "template-drift",
            "csv",
            Box::new(|d: String| {
                let cut = without_the_line_of(&d, "**KR1.**");
                // Where the KR1 row's label stood, the KR2 row's now does.
                let at = d.find("**KR1.**").expect("a KR1 row");
                assert!(
                    cut[at..].trim_start().starts_with("**KR2.**"),
                    "a KR2 row follows"
                );
                cut
            }),
        ),
        // A `|` typed in a value of the MBO table splits its row, and a
        // scorecard row without its source label: neither goal may go out
        // without its values, nor go missing.
        (
            "template-drift",
            "json",
            Box::new(|d: String| d.replacen("| 6 deals a month |", "| 6 | 8 deals a month |", 1)),
        ),
        (
            "template-drift",
            "csv",
            Box::new(|d: String| {
                let at = d
                    .find("→  6 deals a month by 2027-Q2")
                    .expect("a scorecard row");
                let end = at + d[at..].find('\n').expect("its end");
                let cut = at + d[at..end].find("2027-Q2").expect("its date") + "2027-Q2".len();
                format!("{}{}", &d[..cut], &d[end..])
            }),
        ),
        // A date typed as `by 2027-Q2` after the row's own `by`: the
        // target would go out as `6 deals a month by`.
        (
            "template-drift",
            "csv",
            Box::new(|d: String| {
                d.replacen(
                    "6 deals a month by 2027-Q2",
                    "6 deals a month by by 2027-Q2",
                    1,
                )
            }),
        ),
        // A key result the OKR frame does not have: not read, so it would
        // be left out of the export without a word.
        (
            "template-drift",
            "betterworks",
            Box::new(|d: String| {
                let at = d.find("   - **KR2.**").expect("a KR2 row");
                let row = "   - **KR3.** From 2 demos to 4 demos by 2027-Q2\n";
                [&d[..at], row, &d[at..]].concat()
            }),
        ),
        // A goal's Measurable row twice: both would go out as measures.
        (
            "template-drift",
            "csv",
            Box::new(|d: String| {
                let at = d.find("   - **Measurable:**").expect("a Measurable row");
                let end = at + d[at..].find('\n').expect("its end") + 1;
                [&d[..end], &d[at..end], &d[end..]].concat()
            }),
        ),
        // The SMART frame pasted twice: its goals would go out twice.
        (
            "duplicate-frame",
            "csv",
            Box::new(|d: String| {
                let at = d
                    .find("<!-- goalframe: account-executive-field-sales/P2 smart -->")
                    .expect("a SMART block");
                let end = at + d[at..].find("\n\n<!--").expect("the next block") + 2;
                format!("{d}\n{}", &d[at..end])
            }),
        ),
        (
            "invalid-metadata",
            "culture-amp",
            Box::new(|d: String| d.replace("owner: ana@example.com\n", "")),
        ),
    ];
    for (code, format, change) in cases {
        let (o, dir) = refused_by(change, format);
        assert_eq!(o.status.code(), Some(1), "{code}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("[{code}]")), "{code}: {err}");
        assert!(err.contains("nothing was exported"), "{err}");
        if code == "invalid-date" {
            // A date of one of the forms that names no day says why.
            let why = "`2027-02-30` is not a day: February 2027 has 28 days";
            assert!(err.contains(why), "{err}");
        }
        assert!(o.stdout.is_empty());
        // The file that was there is untouched, and no temporary is left.
        assert_eq!(
            std::fs::read_to_string(dir.join("out.json")).unwrap(),
            "the earlier export\n"
        );
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{code}: {names:?}");
    }
    // Without an owner, goalframe's own formats still export.
    let (o, dir) = refused_by(|d| d.replace("owner: ana@example.com\n", ""), "json");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&std::fs::read(dir.join("out.json")).unwrap()).unwrap();
    assert_eq!(v["goals"][0]["owner"], Value::Null);
}

/// A frame heading with other dashes than ` — ` between its parts, and
/// no marker comment above it, leaves the goals under it unread: the
/// export stops (it exited 0 with those goals missing), and with
/// `--allow-incomplete` it writes the goals that were read and says that
/// the others were left out.
#[test]
fn a_heading_that_is_not_read_stops_the_export() {
    let dir = scratch("export-unread-heading");
    let doc = format!("{FRONT_MATTER}{}", filled("markdown"));
    let marker = "<!-- goalframe: account-executive-field-sales/P2 okr -->\n";
    let heading = "## OKRs — Account Executive / Field Sales — P2";
    assert!(doc.contains(marker) && doc.contains(heading), "{doc}");
    let doc = doc.replacen(marker, "", 1).replacen(
        heading,
        "## OKRs \u{2013} Account Executive / Field Sales \u{2013} P2",
        1,
    );
    std::fs::write(dir.join("doc.md"), doc).unwrap();
    let o = run_in(&dir, &["export", "doc.md"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(err.contains("error[unread-heading]: this heading has its parts separated by `\u{2013}` rather than ` — `, so it is not read as the OKRs heading of `account-executive-field-sales/P2`"), "{err}");
    assert!(
        err.contains("error: 1 document has goals that are not read; nothing was exported"),
        "{err}"
    );
    let o = run_in(&dir, &["export", "doc.md", "--allow-incomplete"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: doc.md: goals that are not read were left out (1 problem;"),
        "{err}"
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let frames: std::collections::BTreeSet<&str> = v["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["frame"].as_str().unwrap())
        .collect();
    assert_eq!(frames, ["mbo", "scorecard", "smart"].into());
}

/// An `owner` that is written but cannot be read is shown where it went
/// wrong, with why, not reported as missing at the top of the document.
#[test]
fn an_owner_that_cannot_be_read_is_shown_where_it_went_wrong() {
    for (owner, shown, says) in [
        (
            "owner: bob\n",
            "bob",
            "not `bob`: an HR system's import needs",
        ),
        ("owner:\n", "owner:", "`owner` is empty"),
        (
            "owner: [ana@example.com]\n",
            "[ana@example.com]",
            "takes one value",
        ),
        ("owner: \"ana\n", "\"ana", "not valid YAML"),
    ] {
        let (o, _) = refused_by(
            |d| d.replace("owner: ana@example.com\n", owner),
            "betterworks",
        );
        assert_eq!(o.status.code(), Some(1), "{owner}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(says), "{owner}: {err}");
        assert!(!err.contains("no `owner`"), "{owner}: {err}");
        // Underlined under the line that holds it, the document's second.
        let under = err
            .lines()
            .skip_while(|l| !l.starts_with("2 │"))
            .nth(1)
            .unwrap_or_else(|| panic!("{owner}: {err}"));
        let line = err.lines().find(|l| l.starts_with("2 │")).unwrap();
        let col = line.find(shown).unwrap_or_else(|| panic!("{owner}: {err}"));
        assert_eq!(under.find('^'), Some(col), "{owner}: {err}");
        assert_eq!(
            under.matches('^').count(),
            shown.chars().count(),
            "{owner}: {err}"
        );
    }
}

#[test]
fn allow_incomplete_exports_the_missing_values_as_null() {
    let dir = scratch("export-incomplete");
    let doc = format!("{FRONT_MATTER}{}", filled("markdown"))
        .replacen("6 deals a month", "⟨target⟩", 1)
        .replacen("2027-Q2", "2027-02-30", 1);
    std::fs::write(dir.join("doc.md"), doc).unwrap();
    let o = run_in(&dir, &["export", "doc.md", "--allow-incomplete"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The document is named, with how many goals lack values.
    assert!(
        stderr(&o).contains("warning: doc.md: 1 goal exported with values missing (2 problems;"),
        "{}",
        stderr(&o)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let m = &v["goals"][0]["measures"][0];
    assert_eq!(m["target"], Value::Null);
    assert_eq!(m["baseline"], "4 deals a month");
    assert_eq!(m["due"], Value::Null);
}

/// A value's markdown is markup, not part of the value an HR system gets:
/// a document whose values are bold, in code spans and followed by
/// comments exports the same goals as the same document without them.
#[test]
fn values_go_out_without_their_markdown() {
    let plain = scratch("export-plain-values");
    let marked = scratch("export-marked-up-values");
    let doc = format!("{FRONT_MATTER}{}", filled("markdown"));
    std::fs::write(plain.join("ana.md"), &doc).unwrap();
    let marked_up = doc
        .replace("4 deals a month", "**4** deals a month")
        .replace("6 deals a month", "*6 deals a month* <!-- stretch: 8 -->")
        .replace("2027-Q2", "`2027-Q2`");
    assert_ne!(marked_up, doc);
    std::fs::write(marked.join("ana.md"), &marked_up).unwrap();
    let lint = run_in(&marked, &["lint", "ana.md"]);
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    for format in ["json", "csv"] {
        let a = run_in(&plain, &["export", "ana.md", "--format", format]);
        let b = run_in(&marked, &["export", "ana.md", "--format", format]);
        assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
        assert_eq!(stdout(&b), stdout(&a), "{format}: {}", stderr(&b));
    }
}

/// A date export cannot read stops it even with `invalid-date` turned off
/// (export's own check), and says how to write it: without its year, the
/// one inside the document's cycle, as `lint` says.
#[test]
fn export_s_own_date_check_says_how_to_write_the_date() {
    let dir = scratch("export-own-date");
    let doc = format!("{FRONT_MATTER}{}", filled("markdown")).replacen("2027-Q2", "end of Q2", 1);
    std::fs::write(dir.join("doc.md"), &doc).unwrap();
    let said = "`end of Q2` is not a date export can read; write it as `Q2 2027`, the one inside the review cycle";
    std::fs::write(
        dir.join("goalframe.toml"),
        "[severity]\ninvalid-date = \"off\"\n",
    )
    .unwrap();
    assert_said(&run_in(&dir, &["export", "doc.md"]), 1, said);
    // With the code on, the analysis's finding says the same of the date.
    std::fs::remove_file(dir.join("goalframe.toml")).unwrap();
    let lint = run_in(&dir, &["lint", "doc.md"]);
    assert!(
        stdout(&lint).contains("`end of Q2` is not a date goalframe can read; write it as `Q2 2027`, the one inside the review cycle"),
        "{}",
        stdout(&lint)
    );
}

#[test]
fn a_suppressed_placeholder_still_stops_the_export() {
    let dir = scratch("export-suppressed");
    let doc = format!(
        "{FRONT_MATTER}<!-- goalframe-disable unfilled-placeholder -->\n{}",
        filled("markdown").replacen("6 deals a month", "⟨target⟩", 1)
    );
    std::fs::write(dir.join("doc.md"), doc).unwrap();
    let lint = run_in(&dir, &["lint", "doc.md"]);
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    let o = run_in(&dir, &["export", "doc.md"]);
    assert_said(&o, 1, "[unfilled-placeholder]");
}

#[test]
fn documents_without_metadata_or_goals_and_unreadable_files() {
    let dir = scratch("export-plain");
    std::fs::write(dir.join("plain.txt"), filled("text")).unwrap();
    std::fs::write(dir.join("notes.md"), "# Notes\n\nNo goals here.\n").unwrap();
    std::fs::write(dir.join("bin.md"), b"\0\0").unwrap();
    // A document that cannot be read stops the export, as it stops lint.
    let o = run_in(&dir, &["export", ".", "--output", "out.json"]);
    assert_said(&o, 2, "bin.md: skipped: binary file");
    assert!(!dir.join("out.json").exists());
    let o = run_in(&dir, &["export", ".", "--allow-skipped"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let goals = v["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 26);
    assert!(goals
        .iter()
        .all(|g| g["path"] == "plain.txt" && g["owner"].is_null()));
    // No goals at all: an empty, valid export, and a warning saying
    // where goals are read from. The documents with goals get none.
    assert!(!stderr(&o).contains("no goals"), "{}", stderr(&o));
    let o = run_in(&dir, &["export", "notes.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "{\n  \"version\": 1,\n  \"goals\": [],\n  \"skipped\": []\n}\n"
    );
    assert_eq!(
        stderr(&o),
        "warning: no goals in the document read; goals are read from goalframe blocks, each under the heading that names its role and level\n"
    );
    // The commonest way to get there: a frame from `render`, which prints
    // the block alone, appended to a review.
    let block = run_in(&dir, &["render", "ae", "p2", "--frame", "smart"]);
    std::fs::write(dir.join("bare.txt"), &block.stdout).unwrap();
    let o = run_in(&dir, &["export", "bare.txt", "notes.md", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("warning: no goals in the 2 documents read; "),
        "{}",
        stderr(&o)
    );
    // No document at all: the wrong folder, or one of word-processor files.
    let none = scratch("export-none");
    std::fs::write(none.join("review.docx"), "PK").unwrap();
    let o = run_in(&none, &["export", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "warning: no goals: no document goalframe reads (.md, .markdown, .txt) was found\n"
    );
}

#[test]
fn usage_and_canon_errors_exit_2() {
    let o = run(&["export", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["export", "missing.md"]);
    assert_said(&o, 2, "missing.md: no such file or directory");
    let bad = canon_dir("export-bad-canon", &[("roles/x.jsonc", "{ nope")]);
    let o = run(&["export", "--canon", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// `--output` that names no regular file: through a link to standard
/// output the export goes to standard output and the link stays; into a
/// named pipe its reader gets the export and the pipe stays a pipe;
/// through a link to a file, that file is replaced and the link kept.
/// (Each used to be replaced by a regular file.)
#[cfg(unix)]
/// Without `--format`, the output file's name says the format: `-o
/// goals.csv` wrote JSON under a CSV name. `--format` still decides when
/// given, and a name that says nothing leaves JSON.
#[test]
fn the_output_s_name_says_the_format_unless_format_is_given() {
    let dir = filled_folder();
    let written = |args: &[&str], out: &str| {
        let o = run_in(&dir, &[&["export", "."], args, &["-o", out]].concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read(dir.join(out)).unwrap()
    };
    let stdout_of = |format: &str| run_in(&dir, &["export", ".", "--format", format]).stdout;
    assert_eq!(written(&[], "goals.csv"), stdout_of("csv"));
    assert_eq!(written(&[], "GOALS.CSV"), stdout_of("csv"));
    assert_eq!(written(&[], "goals.json"), stdout_of("json"));
    assert_eq!(written(&[], "goals"), stdout_of("json"));
    // A name that says a format export does not write is refused before
    // anything is read: `goals.xlsx` held JSON, which a spreadsheet
    // program will not open.
    for (out, ext) in [
        ("goals.xlsx", "xlsx"),
        ("goals.out", "out"),
        ("Goals.PDF", "pdf"),
    ] {
        let o = run_in(&dir, &["export", ".", "-o", out]);
        assert_eq!(
            stderr(&o),
            format!("error: {out}: the file's name says `.{ext}`, which `export` does not write; name the format with --format json, csv, culture-amp or betterworks, or name the file .json or .csv\n")
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(!dir.join(out).exists());
    }
    assert_eq!(
        written(&["--format", "json"], "goals.out"),
        stdout_of("json")
    );
    assert_eq!(
        written(&["--format", "json"], "kept.csv"),
        stdout_of("json")
    );
    let sheet = written(&["--format", "culture-amp"], "ca.csv");
    assert_eq!(sheet, stdout_of("culture-amp"));
    // An output that names a directory, or leads nowhere, is refused
    // before anything is read (`out/` ran the whole export, then failed
    // with "Not a directory").
    std::os::unix::fs::symlink("gone/x.csv", dir.join("dangling.csv")).unwrap();
    for (out, said) in [
        (
            "out/",
            "error: out/ names a directory; name the file to write\n",
        ),
        (
            "..",
            "error: .. names a directory; name the file to write\n",
        ),
        (
            "dangling.csv",
            "error: dangling.csv is a symbolic link to gone/x.csv, which does not exist\n",
        ),
    ] {
        let o = run_in(&dir, &["export", ".", "-o", out]);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert_eq!(stderr(&o), said);
    }
    assert!(!dir.join("out").exists());
    // A name near the system's 255-byte limit (its temporary name did not
    // fit, and nothing could be written).
    let long = format!("{}.csv", "g".repeat(250));
    assert_eq!(written(&[], &long), stdout_of("csv"));
}

#[test]
fn output_into_a_pipe_or_through_a_link() {
    use std::os::unix::fs::{symlink, FileTypeExt};
    let dir = scratch("export-output-kinds");
    let doc = format!("{FRONT_MATTER}{}", filled("markdown"));
    std::fs::write(dir.join("doc.md"), doc).unwrap();
    let exported = |out: &str| {
        let o = run_in(&dir, &["export", "doc.md", "--output", out]);
        assert_eq!(o.status.code(), Some(0), "{out}: {}", stderr(&o));
        o.stdout
    };
    exported("plain.json");
    let plain = std::fs::read(dir.join("plain.json")).unwrap();
    assert!(plain.starts_with(b"{"));
    let is_link = |name: &str| {
        std::fs::symlink_metadata(dir.join(name))
            .unwrap()
            .file_type()
            .is_symlink()
    };

    symlink("/dev/stdout", dir.join("stdout.json")).unwrap();
    assert_eq!(exported("stdout.json"), plain);
    assert!(is_link("stdout.json"));

    let fifo = dir.join("pipe.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo))
    };
    assert!(exported("pipe.json").is_empty());
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the pipe was replaced: {kind:?}");
    assert_eq!(reader.join().unwrap().unwrap(), plain);

    std::fs::create_dir(dir.join("2027")).unwrap();
    std::fs::write(dir.join("2027/h1.json"), "the earlier export\n").unwrap();
    symlink("2027/h1.json", dir.join("latest.json")).unwrap();
    exported("latest.json");
    assert!(is_link("latest.json"));
    assert_eq!(std::fs::read(dir.join("2027/h1.json")).unwrap(), plain);
}

/// An `--output` that is one of the documents read is refused before
/// anything is read or written, whether it is named, found in a folder or
/// reached through a link; `report` the same. (The review used to be
/// replaced by the export.)
#[cfg(unix)]
#[test]
fn an_output_that_is_a_document_read_is_refused() {
    let dir = scratch("export-over-a-document");
    let doc = format!("{FRONT_MATTER}{}", filled("markdown"));
    std::fs::create_dir(dir.join("reviews")).unwrap();
    std::fs::write(dir.join("reviews/ana.md"), &doc).unwrap();
    std::os::unix::fs::symlink("reviews/ana.md", dir.join("link.md")).unwrap();
    for args in [
        &[
            "export",
            "reviews/ana.md",
            "--format",
            "json",
            "--output",
            "reviews/ana.md",
        ][..],
        &[
            "export",
            "reviews",
            "--format",
            "json",
            "--output",
            "reviews/ana.md",
        ],
        &[
            "export", "reviews", "--format", "csv", "--output", "link.md",
        ],
        &[
            "export",
            "reviews",
            "--format",
            "json",
            "--output",
            "./reviews/../reviews/ana.md",
        ],
        &["report", "reviews", "--output", "reviews/ana.md"],
    ] {
        let o = run_in(&dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("one of the documents read"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("reviews/ana.md")).unwrap(),
            doc
        );
    }
    // Beside the documents, or a report's new file among them, is fine.
    for args in [
        &["export", "reviews", "--output", "reviews/goals.json"][..],
        &["report", "reviews", "--output", "reviews/status.md"],
    ] {
        let o = run_in(&dir, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
}

/// Interrupted while it writes (here, waiting for standard input), an
/// export removes its temporary file, leaves the earlier export as it
/// was, and exits 130. (The temporary file used to stay behind.)
#[cfg(unix)]
#[test]
fn an_interrupted_export_leaves_no_temporary_file() {
    use std::process::{Command, Stdio};
    let dir = scratch("export-interrupted");
    std::fs::write(dir.join("goals.json"), "the earlier export\n").unwrap();
    let mut child = Command::new(bin())
        .args([
            "export",
            "-",
            "--allow-incomplete",
            "--output",
            "goals.json",
        ])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let temp = dir.join(format!(".goals.json.new-{}", child.id()));
    let waited = std::time::Instant::now();
    while !temp.exists() {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(20),
            "no temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    assert!(killed.is_ok_and(|s| s.success()));
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert!(!temp.exists(), "the temporary file was left behind");
    assert_eq!(
        std::fs::read_to_string(dir.join("goals.json")).unwrap(),
        "the earlier export\n"
    );
}

/// One document named twice in two spellings, or by a path and its
/// folder, is read once: its goals are exported once, and `lint` counts
/// one file. (They were exported twice.)
#[test]
fn a_document_named_twice_is_read_once() {
    let dir = scratch("export-named-twice");
    let doc = format!("{FRONT_MATTER}{}", filled("markdown"));
    std::fs::create_dir(dir.join("reviews")).unwrap();
    std::fs::write(dir.join("reviews/ana.md"), doc).unwrap();
    let full = dir.join("reviews/ana.md").display().to_string();
    // The goals, each without the path it was read by (the spelling that
    // sorts first names the document).
    let goals = |o: &std::process::Output| -> Vec<Value> {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        let mut goals = v["goals"].as_array().expect("goals").clone();
        for g in &mut goals {
            g.as_object_mut().expect("a goal").remove("path");
        }
        goals
    };
    let once = goals(&run_in(&dir, &["export", "reviews/ana.md"]));
    assert!(!once.is_empty());
    for args in [
        &["export", "reviews/ana.md", "./reviews/ana.md"][..],
        &["export", "reviews/ana.md", &full],
        &["export", "reviews", "./reviews/../reviews/ana.md"],
    ] {
        let twice = goals(&run_in(&dir, args));
        assert_eq!(twice.len(), once.len(), "{args:?}");
        assert!(twice == once, "{args:?}: the same goals");
    }
    let o = run_in(&dir, &["lint", "reviews/ana.md", &full, "reviews"]);
    assert!(
        stdout(&o).ends_with("1 file checked: no problems\n"),
        "{}",
        stdout(&o)
    );
}

/// Each `code` finding of a human report `out` at `severity`: its code,
/// message and place, as each command shows them.
fn shown(out: &str, severity: &str, code: &str) -> Vec<String> {
    out.split("\n\n")
        .filter(|f| f.starts_with(&format!("{severity}[{code}]")))
        .map(|f| {
            let mut lines = f.lines();
            let head = lines.next().unwrap();
            let at = lines.next().unwrap().trim();
            format!("{} {at}", &head[severity.len()..])
        })
        .collect()
}

/// A goal whose row of values is not read (its label written without its
/// bold, or the row taken out) was refused by `export` while `lint`
/// passed the review, so a CI check gave no warning of it. `lint` now
/// reports it where `export` does, in the same words.
#[test]
fn lint_reports_the_goal_export_refuses_for_its_missing_row() {
    let dir = scratch("export-lacking-row");
    let doc = format!("{FRONT_MATTER}{}", filled("markdown"));
    for (name, doc) in [
        (
            "unbolded",
            doc.replacen("**Measurable:**", "Measurable:", 1),
        ),
        ("colon", doc.replacen("**KR1.**", "**KR1**.", 1)),
        ("taken-out", {
            let at = doc.find("   - **Measurable:**").unwrap();
            let end = at + doc[at..].find('\n').unwrap() + 1;
            [&doc[..at], &doc[end..]].concat()
        }),
        // A blank line after the MBO table's row of dashes: its first
        // area was read as the table's header and lost (export exited 0).
        (
            "cut-off",
            doc.replacen(
                "| --- | --- | --- | --- |\n",
                "| --- | --- | --- | --- |\n\n",
                1,
            ),
        ),
        // The MBO block's marker and heading taken out: its table stands
        // under the OKRs' heading.
        ("misplaced", {
            doc.split_inclusive('\n')
                .filter(|l| !l.starts_with("## MBO areas") && !l.contains("P2 mbo -->"))
                .collect()
        }),
    ] {
        let file = format!("{name}.md");
        std::fs::write(dir.join(&file), &doc).unwrap();
        let export = run_in(&dir, &["export", &file]);
        assert_eq!(export.status.code(), Some(1), "{name}: {}", stderr(&export));
        let lint = run_in(&dir, &["lint", &file]);
        assert_eq!(lint.status.code(), Some(1), "{name}: {}", stdout(&lint));
        let exported = shown(&stderr(&export), "error", "template-drift");
        assert_eq!(exported.len(), 1, "{name}: {}", stderr(&export));
        assert_eq!(
            shown(&stdout(&lint), "warning", "template-drift"),
            exported,
            "{name}"
        );
    }
}

/// A table of the writer's own under the OKRs (a metrics table) is no
/// goal: `lint` passes the review and `export` sends its goals, no more.
#[test]
fn a_table_of_the_writers_own_is_not_exported() {
    let dir = scratch("export-own-table");
    let doc = format!("{FRONT_MATTER}{}", filled("markdown"));
    std::fs::write(dir.join("plain.md"), &doc).unwrap();
    let at = doc
        .find("<!-- goalframe: account-executive-field-sales/P2 mbo -->")
        .unwrap();
    let table = "| Metric | Baseline | Target | Due |\n| --- | --- | --- | --- |\n| win rate | 18% | 25% | 2027-06-30 |\n\n";
    std::fs::write(
        dir.join("table.md"),
        [&doc[..at], table, &doc[at..]].concat(),
    )
    .unwrap();
    let lint = run_in(&dir, &["lint", "table.md"]);
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    let csv = |file: &str| {
        let o = run_in(&dir, &["export", "--format", "csv", file]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
        stdout(&o).replace(file, "doc")
    };
    assert_eq!(csv("table.md"), csv("plain.md"));
}

/// A `KR3.` lies inside its goal: when the document's findings are asked
/// for (another goal has a gap), its `lint` finding is among the export's
/// problems, and it is shown once, not once more as not read.
#[test]
fn a_key_result_not_read_is_shown_once() {
    let dir = scratch("export-kr3-once");
    let doc = format!("{FRONT_MATTER}{}", filled("markdown"));
    let at = doc.find("   - **KR2.**").expect("a KR2 row");
    let row = "   - **KR3.** From 2 demos to 4 demos by 2027-Q2\n";
    let doc = [&doc[..at], row, &doc[at..]]
        .concat()
        .replacen("6 deals a month", "⟨target⟩", 1);
    std::fs::write(dir.join("doc.md"), doc).unwrap();
    let o = run_in(&dir, &["export", "doc.md"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(
        err.matches("this `**KR3.**` row is not read").count(),
        1,
        "{err}"
    );
    assert!(err.contains("[unfilled-placeholder]"), "{err}");
}

/// A target pasted with a word processor's line break and a right-to-left
/// override: `export` refuses it where `lint` reports it; with
/// `--allow-incomplete` that target's cell is empty (a CSV parser reads
/// no hidden character in any cell); after `lint --fix` the export is the
/// clean review's, byte for byte.
#[test]
fn a_value_with_a_character_that_does_not_show_is_refused_then_fixed() {
    let dir = scratch("export-hidden");
    let clean = format!("{FRONT_MATTER}{}", filled("markdown"));
    std::fs::write(dir.join("clean.md"), &clean).unwrap();
    let pasted = clean.replacen("to 6 deals a month", "to 6\u{b}deals a\u{202e} month", 1);
    assert_ne!(pasted, clean);
    std::fs::write(dir.join("ana.md"), &pasted).unwrap();
    let export = run_in(&dir, &["export", "--format", "csv", "ana.md"]);
    assert_eq!(export.status.code(), Some(1), "{}", stderr(&export));
    assert!(stdout(&export).is_empty());
    let lint = run_in(&dir, &["lint", "ana.md"]);
    assert_eq!(lint.status.code(), Some(1), "{}", stdout(&lint));
    // Printed as `lint` prints it, as an error: it stops the export.
    let exported = shown(&stderr(&export), "error", "hidden-character");
    assert_eq!(exported.len(), 1, "{}", stderr(&export));
    assert!(
        exported[0].contains("U+000B LINE TABULATION at character 2"),
        "{exported:?}"
    );
    assert_eq!(
        shown(&stdout(&lint), "warning", "hidden-character"),
        exported
    );
    // The terminal is shown where the characters stand, never the
    // characters: U+202E would show the rest of the line backwards.
    for out in [stderr(&export), stdout(&lint)] {
        assert!(!out.contains(['\u{b}', '\u{202e}']), "{out:?}");
        assert!(out.contains("to 6␋deals a� month"), "{out}");
    }

    let anyway = run_in(
        &dir,
        &["export", "--format", "csv", "--allow-incomplete", "ana.md"],
    );
    assert_eq!(anyway.status.code(), Some(0), "{}", stderr(&anyway));
    let mut r = csv::ReaderBuilder::new().from_reader(anyway.stdout.as_slice());
    let head = r.headers().unwrap().clone();
    let target = head.iter().position(|h| h == "target").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(&rows[0][target], "", "{:?}", rows[0]);
    assert_eq!(&rows[1][target], "6 deals a month");
    for row in &rows {
        for cell in row {
            assert!(!goalframe::hidden::any(cell), "{cell:?}");
        }
    }

    let fix = run_in(&dir, &["lint", "--fix", "ana.md"]);
    assert_eq!(fix.status.code(), Some(0), "{}", stderr(&fix));
    assert_eq!(std::fs::read_to_string(dir.join("ana.md")).unwrap(), clean);
}

/// One person's goals for one cycle in two documents (a copy of the review
/// left in the folder) would reach the HR system twice: the export says
/// so, naming both, and still exports (someone may keep two on purpose).
/// Owners are compared as email addresses are, without case; another
/// cycle, or another person, is not a copy.
#[test]
fn one_owner_s_goals_for_a_cycle_in_two_documents_are_named() {
    let dir = scratch("export-owner-twice");
    let review = format!("{FRONT_MATTER}{}", filled("markdown"));
    std::fs::write(dir.join("ana.md"), &review).unwrap();
    let copy = review.replacen("ana@example.com", "Ana@Example.com", 1);
    std::fs::write(dir.join("ana (copy).md"), copy).unwrap();
    let next = review.replacen("FY2027 H1", "FY2027 H2", 1);
    std::fs::write(dir.join("ana-h2.md"), next).unwrap();
    let other = review.replacen("ana@example.com", "bo@example.com", 1);
    std::fs::write(dir.join("bo.md"), other).unwrap();
    let o = run_in(&dir, &["export", "--format", "csv", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "warning: the goals of Ana@Example.com for FY2027 H1 come from 2 documents: ana (copy).md, ana.md; the HR system takes them all, so a copy left in the folder gives them twice\n"
    );
    let rows = csv::Reader::from_reader(o.stdout.as_slice())
        .records()
        .count();
    let one = run_in(&dir, &["export", "--format", "csv", "bo.md"]);
    let per_document = csv::Reader::from_reader(one.stdout.as_slice())
        .records()
        .count();
    assert_eq!(rows, 4 * per_document);
    assert!(stderr(&one).is_empty(), "{}", stderr(&one));
}

/// A review whose row labels lost their bold and whose MBO table lost its
/// outer pipes (a trip through a word processor and a formatter): `export`
/// refuses it, one `lint --fix` puts the template's words and pipes back,
/// and the export is then the clean review's, byte for byte.
#[test]
fn lint_fix_puts_back_what_a_word_processor_took_and_export_passes() {
    let dir = scratch("export-fix-template");
    let clean = format!("{FRONT_MATTER}{}", filled("markdown"));
    std::fs::write(dir.join("clean.md"), &clean).unwrap();
    let want = run_in(&dir, &["export", "--format", "csv", "clean.md"]);
    assert_eq!(want.status.code(), Some(0), "{}", stderr(&want));
    let damaged: String = clean
        .replace("**Measurable:**", "Measurable:")
        .split_inclusive('\n')
        .map(
            |l| match l.strip_prefix("| ").and_then(|l| l.strip_suffix(" |\n")) {
                Some(inner) => format!("{inner}\n"),
                None => l.to_string(),
            },
        )
        .collect();
    assert_ne!(damaged, clean);
    std::fs::write(dir.join("clean.md"), &damaged).unwrap();
    let refused = run_in(&dir, &["export", "--format", "csv", "clean.md"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let fix = run_in(&dir, &["lint", "--fix", "clean.md"]);
    assert_eq!(
        fix.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&fix),
        stderr(&fix)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("clean.md")).unwrap(),
        clean
    );
    let again = run_in(&dir, &["export", "--format", "csv", "clean.md"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(again.stdout, want.stdout);
}
