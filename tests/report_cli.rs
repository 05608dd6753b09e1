//! End-to-end tests of `goalframe report` against the built binary:
//! goldens of every format on `examples/`, the three statuses, totals,
//! order, unreadable documents, a self-contained HTML page and atomic
//! output. (tests/report/run.sh opens the page in a real browser.)

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::*;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn every_format_matches_its_golden_file() {
    for (format, ext) in [("markdown", "md"), ("json", "json"), ("html", "html")] {
        let o = run_in(&repo(), &["report", "examples/", "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{format}: {}", stderr(&o));
        fixture::assert_golden(&format!("report-examples.{ext}"), &stdout(&o));
    }
}

/// A folder with one document in each state, named so that path order
/// differs from the order they were written in.
fn three_states() -> PathBuf {
    let dir = scratch("report-states");
    let render = |format: &str| {
        let o = run(&["render", "ae", "p2", "--frame", "smart", "--format", format]);
        stdout(&o)
    };
    let fill = |s: &str| {
        s.replace("⟨baseline⟩", "4 deals")
            .replace("⟨target⟩", "6 deals")
            .replace("⟨date⟩", "2027-06-30")
    };
    std::fs::create_dir_all(dir.join("team")).unwrap();
    std::fs::write(dir.join("zoe.md"), render("markdown")).unwrap();
    std::fs::write(
        dir.join("team/ana.txt"),
        // The text block under the heading line that marks it as one.
        format!(
            "name: Ana Ruiz\n\nSMART goals — Account Executive / Field Sales — P2\n\n{}",
            fill(&render("text"))
        ),
    )
    .unwrap();
    let half = fill(&render("markdown")).replacen("6 deals", "⟨target⟩", 1);
    std::fs::write(
        dir.join("bo.md"),
        format!("---\nowner: bo@example.com\n---\n{half}"),
    )
    .unwrap();
    dir
}

#[test]
fn each_document_gets_its_status_and_the_totals_add_up() {
    let dir = three_states();
    let o = run_in(&dir, &["report", ".", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let docs = v["documents"].as_array().unwrap();
    let paths: Vec<&str> = docs.iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["bo.md", "team/ana.txt", "zoe.md"]);
    let status: Vec<&str> = docs.iter().map(|d| d["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["in progress", "ready", "not started"]);
    // SMART: five goals, each with Measurable's three slots and Time-bound's one.
    for d in docs {
        assert_eq!(d["goals"], 5);
        assert_eq!(d["slots_total"], 20);
        assert_eq!(d["blocks"][0]["frame"], "smart");
        assert_eq!(d["blocks"][0]["role"], "account-executive-field-sales");
    }
    assert_eq!(docs[0]["slots_filled"], 19);
    assert_eq!(docs[0]["owner"], "bo@example.com");
    assert_eq!(docs[0]["findings"]["unfilled-placeholder"], 1);
    assert_eq!(docs[1]["name"], "Ana Ruiz");
    assert_eq!(docs[2]["findings"]["unfilled-placeholder"], 20);
    let t = &v["totals"];
    assert_eq!(t["documents"], 3);
    assert_eq!(t["goals"], 15);
    assert_eq!(t["slots_filled"], 39);
    assert_eq!(t["slots_total"], 60);
    assert_eq!(t["findings"]["unfilled-placeholder"], 21);
    assert_eq!(t["status"]["ready"], 1);
    assert_eq!(t["status"]["in progress"], 1);
    assert_eq!(t["status"]["not started"], 1);
    // Filled goals under headings that are not read (typed with `-` for
    // ` — `) are not counted, but the document is not one nobody began.
    let zoe = std::fs::read_to_string(dir.join("zoe.md")).unwrap();
    let typed = zoe
        .lines()
        .filter(|l| !l.starts_with("<!-- goalframe:"))
        .map(|l| match l.starts_with("## ") {
            true => l.replace(" — ", " - "),
            false => l
                .replace("⟨baseline⟩", "4")
                .replace("⟨target⟩", "6")
                .replace("⟨date⟩", "2027-06-30"),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("zoe.md"), typed).unwrap();
    let o = run_in(&dir, &["report", "zoe.md", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let zoe = &v["documents"][0];
    assert_eq!(
        (&zoe["goals"], &zoe["findings"]["unread-heading"]),
        (&Value::from(0), &Value::from(1)),
        "{zoe}"
    );
    assert_eq!(zoe["status"], "in progress", "{zoe}");
    // A finding other than a placeholder keeps a filled document from
    // being ready.
    let text = std::fs::read_to_string(dir.join("team/ana.txt")).unwrap();
    std::fs::write(
        dir.join("team/ana.txt"),
        text.replace("6 deals", "more deals"),
    )
    .unwrap();
    let o = run_in(&dir, &["report", "team", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["documents"][0]["status"], "in progress");
    assert_eq!(v["documents"][0]["findings"]["unmeasurable-target"], 5);
}

#[test]
fn the_html_page_is_self_contained_and_escapes_what_documents_say() {
    let dir = three_states();
    std::fs::write(
        dir.join("bo.md"),
        "---\nname: <script>alert(1)</script> & Bo\n---\n# Notes\n",
    )
    .unwrap();
    let o = run_in(&dir, &["report", ".", "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = stdout(&o);
    for fetch in [
        "<script", "src=", "href=", "url(", "@import", "<link", "http:", "https:",
    ] {
        assert!(!html.contains(fetch), "the page has {fetch}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Bo"));
    assert!(html.contains("id=\"summary-chart\""));
    for path in ["bo.md", "team/ana.txt", "zoe.md"] {
        assert!(html.contains(path), "{path}");
    }
    assert!(html.contains("@media print"));
}

/// The markdown table goes to job summaries and wikis: what a document
/// says (its path, its owner's name) must come out of a real markdown
/// reader as that text, not as a tag, a link or emphasis.
#[test]
fn the_markdown_table_shows_what_documents_say_as_text() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let dir = three_states();
    let path = "<img src=x> *a*_b_ [l](u) `c` ~~d~~ & \\ | #1.md";
    let name = "<script>alert(1)</script> | *Bo* & [x](y) \\`";
    std::fs::write(
        dir.join(path),
        format!("---\nname: '{name}'\n---\n# Notes\n"),
    )
    .unwrap();
    let o = run_in(&dir, &["report", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    let mut rows: Vec<Vec<String>> = Vec::new();
    for event in Parser::new_ext(&md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => {
                if let Some(r) = rows.last_mut() {
                    r.push(String::new())
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = rows.last_mut().and_then(|r| r.last_mut()) {
                    c.push_str(&t)
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in\n{md}"),
            Event::Start(
                t @ (Tag::Emphasis
                | Tag::Strong
                | Tag::Link { .. }
                | Tag::Strikethrough
                | Tag::Image { .. }),
            ) => panic!("{t:?} in\n{md}"),
            Event::End(TagEnd::Table) => break,
            _ => {}
        }
    }
    let row = rows
        .iter()
        .find(|r| r.first().is_some_and(|c| c.starts_with("<img")))
        .unwrap_or_else(|| panic!("no row for {path:?} in\n{md}"));
    assert_eq!(row[0], path);
    assert_eq!(row[1], name);
    assert_eq!(row.len(), 8, "{row:?}");
}

/// Without `--format`, the output file's name says the format (`-o
/// status.html` wrote the markdown table); `--format` still decides.
#[test]
fn the_output_s_name_says_the_format_unless_format_is_given() {
    let dir = three_states();
    let outside = scratch("report-named-output");
    let stdout_of = |format: &str| run_in(&dir, &["report", ".", "--format", format]).stdout;
    for (out, args, format) in [
        ("status.html", &[][..], "html"),
        ("status.HTM", &[], "html"),
        ("status.json", &[], "json"),
        ("status.md", &[], "markdown"),
        ("status.txt", &[], "markdown"),
        ("kept.html", &["--format", "markdown"], "markdown"),
    ] {
        // Outside the folder reported on, which would read a `.md` back.
        let to = outside.join(out);
        let to = to.to_str().unwrap();
        let o = run_in(&dir, &[&["report", "."], args, &["-o", to]].concat());
        assert_eq!(o.status.code(), Some(0), "{out}: {}", stderr(&o));
        assert_eq!(std::fs::read(to).unwrap(), stdout_of(format), "{out}");
    }
    // A name that says another format is refused before anything is read
    // (`-o status.pdf` held the markdown table); a name without an
    // extension gets markdown.
    let to = outside.join("status.pdf");
    let o = run_in(&dir, &["report", ".", "-o", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!("error: {}: the file's name says `.pdf`, which `report` does not write; name the format with --format markdown, html or json, or name the file .md, .html or .json\n", to.display())
    );
    assert!(!to.exists());
    let to = outside.join("status");
    let o = run_in(&dir, &["report", ".", "-o", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read(&to).unwrap(), stdout_of("markdown"));
}

/// The table is printed to a terminal by default: an escape sequence in
/// a file name is shown by its control pictures, never sent raw (`\e]0;…`
/// would retitle the terminal, `\e[2J` clear it); a name holding one is
/// not taken, and counted as `hidden-character`. U+202E in a name would
/// show the rest of its row backwards: it is shown as `�`.
#[test]
fn the_markdown_table_sends_no_control_character_to_the_terminal() {
    let dir = three_states();
    std::fs::write(
        dir.join("red\u{1b}[31m.md"),
        "---\nname: \"Bo\\e]0;owned\\a\\u009b2J\"\n---\n# Notes\n",
    )
    .unwrap();
    std::fs::write(dir.join("\u{202e}dm.txt"), "# Notes\n").unwrap();
    let o = run_in(&dir, &["report", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    let raw: Vec<char> = md
        .chars()
        .filter(|&c| c != '\n' && (c.is_control() || goalframe::hidden::kind(c).is_some()))
        .collect();
    assert!(raw.is_empty(), "{raw:?} in\n{md}");
    assert!(md.contains("| �dm.txt | — |"), "{md}");
    assert!(
        md.contains("| red␛\\[31m.md | — |  |  | 0 | 0 of 0 | hidden-character 1 |"),
        "{md}"
    );
}

/// One person's goals for one cycle in two documents (a copy left in the
/// folder) are listed in every format, as `export` names them: the HR
/// system would get them twice.
#[test]
fn one_person_s_goals_for_a_cycle_in_two_documents_are_listed() {
    let dir = three_states();
    let bo = std::fs::read_to_string(dir.join("bo.md")).unwrap();
    std::fs::write(dir.join("bo (copy).md"), bo.replacen("bo@", "Bo@", 1)).unwrap();
    let o = run_in(&dir, &["report", ".", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["shared_owners"],
        serde_json::json!([{"owner": "Bo@example.com", "cycle": null, "paths": ["bo (copy).md", "bo.md"]}])
    );
    let md = stdout(&run_in(&dir, &["report", "."]));
    assert!(
        md.contains("\n- Bo@example.com, no cycle named: bo (copy).md, bo.md\n"),
        "{md}"
    );
    let page = stdout(&run_in(&dir, &["report", ".", "--format", "html"]));
    assert!(
        page.contains("<li><bdi>Bo@example.com</bdi>, no cycle named: <bdi class=\"path\">bo (copy).md</bdi>, <bdi class=\"path\">bo.md</bdi></li>"),
        "{page}"
    );
    // Without the copy, none.
    std::fs::remove_file(dir.join("bo (copy).md")).unwrap();
    let o = run_in(&dir, &["report", ".", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["shared_owners"], serde_json::json!([]));
}

#[test]
fn unreadable_documents_are_listed_and_fail_the_run_unless_allowed() {
    let dir = three_states();
    std::fs::write(dir.join("bin.md"), b"\0\0").unwrap();
    let o = run_in(&dir, &["report", "."]);
    assert_said(&o, 2, "error: bin.md: skipped: binary file");
    assert!(stdout(&o).contains("**Not read:**\n\n- bin.md: binary file"));
    let o = run_in(
        &dir,
        &["report", ".", "--allow-skipped", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["skipped"][0]["path"], "bin.md");
    assert_eq!(v["totals"]["documents"], 3);
}

#[test]
fn the_output_file_is_replaced_whole_or_not_at_all() {
    let dir = three_states();
    let o = run_in(&dir, &["report", ".", "--output", "r.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first = std::fs::read_to_string(dir.join("r.md")).unwrap();
    assert!(first.starts_with("# Goal documents\n"));
    assert!(o.stdout.is_empty());
    // A run that fails (a canon that does not load) leaves it as it was.
    let bad = canon_dir("report-bad-canon", &[("roles/x.jsonc", "{ nope")]);
    let o = run_in(
        &dir,
        &[
            "report",
            ".",
            "--output",
            "r.md",
            "--canon",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.join("r.md")).unwrap(), first);
    // An output path that is a folder is an error, not a panic.
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let o = run_in(&dir, &["report", ".", "--output", "out"]);
    assert_said(&o, 2, "is a directory");
}
