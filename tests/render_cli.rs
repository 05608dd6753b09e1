//! End-to-end tests of `goalframe render` and `goalframe canon` against the
//! built binary: the seed's blocks byte for byte, the omission rules (docs/frames.md) on
//! canons the binary has never seen, markdown through a real CommonMark
//! parser, snippets expanded back, and canon errors with locations.

mod support;

use support::*;

const FRAMES: [&str; 4] = ["smart", "okr", "mbo", "scorecard"];

#[test]
fn each_frame_equals_the_seed_block_byte_for_byte() {
    for f in FRAMES {
        let o = run(&[
            "render",
            "account-executive-field-sales",
            "P2",
            "--frame",
            f,
            "--format",
            "text",
        ]);
        assert!(o.status.success(), "{f}: {}", stderr(&o));
        assert_eq!(stdout(&o), golden(&format!("seed-{f}.txt")), "frame {f}");
    }
}

#[test]
fn all_is_the_section_2_2_document() {
    let o = run(&["render", "ae", "p2", "--frame", "all"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), golden("seed-all.txt"));
    let o = run(&[
        "render",
        "Account Executive / Field Sales",
        "P2",
        "--format",
        "markdown",
    ]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), golden("seed-all.md"));
}

#[test]
fn the_all_document_is_built_from_the_seed_blocks() {
    let doc = golden("seed-all.txt");
    let mut expected = String::from("Goal templates — Account Executive / Field Sales — P2\n\nDirect Sales / Quota-Carrying Sales · Account Executive / Field Sales · P2 — Developing Professional\n\n");
    expected.push_str(goalframe::render::PREAMBLE);
    for (f, title, lead) in [
        ("smart", "SMART goals", "One row per canon core output / responsibility this level owns."),
        ("okr", "OKRs", "Objectives from this level's core outputs; key results only where a real dimension or capability backs them."),
        ("mbo", "MBO areas", "Key result areas from this level's responsibilities, each with a standard grounded in the canon leveling rubric where one exists."),
        ("scorecard", "Scorecard", "Only perspectives with real canon backing are shown — no Financial or Customer perspective, since nothing in the canon grounds business-financial or customer measures for a role alone."),
    ] {
        expected.push_str(&format!("\n\n{title}\n\n{lead}\n\n{}", golden(&format!("seed-{f}.txt")).trim_end_matches('\n')));
    }
    expected.push('\n');
    assert_eq!(doc, expected);
}

#[test]
fn version_and_help() {
    let o = run(&["--version"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        format!("goalframe {}\n", env!("CARGO_PKG_VERSION"))
    );
    let o = run(&["--help"]);
    assert!(o.status.success());
    let help = stdout(&o);
    for cmd in ["render", "canon"] {
        assert!(help.contains(cmd), "help lists {cmd}: {help}");
    }
}

#[test]
fn unknown_role_or_level_exits_2_with_suggestions() {
    let o = run(&["render", "account-executiv-field-sales", "P2"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: unknown role `account-executiv-field-sales`; did you mean `account-executive-field-sales`?\n");
    assert!(o.stdout.is_empty());
    let o = run(&["render", "ae", "P9"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: role `account-executive-field-sales` has no level `P9`; its levels are `P2`\n"
    );
    let o = run(&["render", "ae", "P2", "--frame", "bogus"]);
    assert_eq!(o.status.code(), Some(2));
}

/// A role and level written as a review's token (`@ae/p2`) are one
/// argument; what the token rule does not read is refused with the way to
/// write it.
#[test]
fn a_token_names_the_role_and_level() {
    let two = run(&["render", "ae", "p2", "--frame", "okr"]);
    assert!(two.status.success());
    for token in ["@ae/p2", "ae/P2", "@account-executive-field-sales/p2"] {
        let o = run(&["render", token, "--frame", "okr"]);
        assert!(o.status.success(), "{token}: {}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&two), "{token}");
    }
    let o = run(&["render", "ae/p9"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: role `account-executive-field-sales` has no level `p9`; its levels are `P2`\n"
    );
    for (arg, says) in [
        ("ae", "error: no level for `ae`: give it after the role"),
        ("ae/", "error: no level for `ae/`: give it after the role"),
        ("ae/p2.", "error: `ae/p2.` is not a role and level as a token writes them"),
        (
            "Account Executive / Field Sales",
            "error: `Account Executive / Field Sales` is not a role and level as a token writes them",
        ),
    ] {
        let o = run(&["render", arg]);
        assert_eq!(o.status.code(), Some(2), "{arg}");
        assert!(stderr(&o).starts_with(says), "{arg}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
}

const LEVELS: &str = r#"{"levels": [
  {"code": "L1", "name": "One", "dimensions": [{"name": "Scope", "text": "S1"}, {"name": "Decision Rights", "text": "D1"}]},
  {"code": "L2", "name": "Two"},
  {"code": "L3", "name": "Three", "dimensions": [{"name": "A", "text": "a"}, {"name": "B", "text": "b"}, {"name": "C", "text": "c"}]}
]}"#;

const ROLE: &str = r#"{"roles": [{"id": "r", "title": "Role T", "family": "Fam", "levels": {
  "L1": {"responsibilities": ["x1", "x2", "x3"]},
  "L2": {"responsibilities": ["y1"], "rubrics": {"complexity/problem-solving": "CX", "knowledge-application": "KA"}},
  "L3": {"rubrics": {"knowledge-application": "KA3"}}
}}]}"#;

fn test_canon() -> std::path::PathBuf {
    canon_dir(
        "omission",
        &[("levels.json", LEVELS), ("roles/r.json", ROLE)],
    )
}

fn render_with(
    canon: &std::path::Path,
    level: &str,
    frame: &str,
    format: &str,
) -> std::process::Output {
    run(&[
        "render",
        "r",
        level,
        "--frame",
        frame,
        "--format",
        format,
        "--canon",
        canon.to_str().expect("utf-8 path"),
    ])
}

#[test]
fn omission_no_rubrics_and_fewer_dimensions_than_responsibilities() {
    let canon = test_canon();
    let o = render_with(&canon, "L1", "smart", "text");
    assert_eq!(
        stdout(&o),
        "1. x1  [source: JFM responsibility (L1)]\n   Specific:    Deliver: \"x1\"\n   Measurable:  Move the metric this drives from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩.\n   Relevant:    Advances the Fam · Role T mandate for a L1 — One.\n   Time-bound:  ⟨date⟩\n\n\
         2. x2  [source: JFM responsibility (L1)]\n   Specific:    Deliver: \"x2\"\n   Measurable:  Move the metric this drives from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩.\n   Relevant:    Advances the Fam · Role T mandate for a L1 — One.\n   Time-bound:  ⟨date⟩\n\n\
         3. x3  [source: JFM responsibility (L1)]\n   Specific:    Deliver: \"x3\"\n   Measurable:  Move the metric this drives from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩.\n   Relevant:    Advances the Fam · Role T mandate for a L1 — One.\n   Time-bound:  ⟨date⟩\n"
    );
    // KR2 wraps around the two dimensions: d1, d2, d1; names lower-cased.
    let o = render_with(&canon, "L1", "okr", "text");
    assert_eq!(
        stdout(&o),
        "Objective 1: x1  [source: JFM responsibility (L1)]\n  KR1. From ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩ — tied to: \"x1\"\n  KR2. Evidence at this level's scope bar: \"S1\" — ⟨target⟩ by ⟨date⟩\n\n\
         Objective 2: x2  [source: JFM responsibility (L1)]\n  KR1. From ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩ — tied to: \"x2\"\n  KR2. Evidence at this level's decision rights bar: \"D1\" — ⟨target⟩ by ⟨date⟩\n\n\
         Objective 3: x3  [source: JFM responsibility (L1)]\n  KR1. From ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩ — tied to: \"x3\"\n  KR2. Evidence at this level's scope bar: \"S1\" — ⟨target⟩ by ⟨date⟩\n"
    );
    let o = render_with(&canon, "L1", "mbo", "text");
    assert_eq!(
        stdout(&o),
        "1. Area: x1  [source: JFM responsibility (L1) — reused, no distinct responsibility content]\n   Target:   ⟨target⟩   Due: ⟨date⟩\n\n\
         2. Area: x2  [source: JFM responsibility (L1) — reused, no distinct responsibility content]\n   Target:   ⟨target⟩   Due: ⟨date⟩\n\n\
         3. Area: x3  [source: JFM responsibility (L1) — reused, no distinct responsibility content]\n   Target:   ⟨target⟩   Due: ⟨date⟩\n"
    );
    // The markdown table keeps its Standard column, empty.
    let o = render_with(&canon, "L1", "mbo", "markdown");
    assert_eq!(
        stdout(&o),
        "<!-- goalframe: r/L1 mbo -->\n## MBO areas — Role T — L1\n\n*Key result areas from this level's responsibilities, each with a standard grounded in the canon leveling rubric where one exists.*\n\n\
         | Area | Standard | Target | Due |\n| --- | --- | --- | --- |\n| x1 |  | ⟨target⟩ | ⟨date⟩ |\n| x2 |  | ⟨target⟩ | ⟨date⟩ |\n| x3 |  | ⟨target⟩ | ⟨date⟩ |\n"
    );
}

#[test]
fn omission_no_dimensions() {
    let canon = test_canon();
    let o = render_with(&canon, "L2", "okr", "text");
    assert_eq!(stdout(&o), "Objective 1: y1  [source: JFM responsibility (L2)]\n  KR1. From ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩ — tied to: \"y1\"\n");
    let o = render_with(&canon, "L2", "scorecard", "text");
    assert_eq!(
        stdout(&o),
        "Internal process\n  - \"y1\"  →  ⟨target⟩ by ⟨date⟩   [source: JFM responsibility (L2)]\n"
    );
    let o = render_with(&canon, "L2", "smart", "text");
    assert_eq!(
        stdout(&o),
        "1. y1  [source: JFM responsibility (L2)]\n   Specific:    Deliver: \"y1\"\n   Measurable:  Move the metric this drives from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩.\n   Achievable:  Scoped to this level's jfm complexity/problem-solving rubric: \"CX\"\n   Relevant:    Advances the Fam · Role T mandate for a L2 — Two.\n   Time-bound:  ⟨date⟩\n"
    );
    let o = render_with(&canon, "L2", "mbo", "text");
    assert_eq!(
        stdout(&o),
        "1. Area: y1  [source: JFM responsibility (L2) — reused, no distinct responsibility content]\n   Standard: Consistent with this level's jfm knowledge-application rubric: \"KA\"\n   Target:   ⟨target⟩   Due: ⟨date⟩\n"
    );
}

#[test]
fn omission_no_responsibilities_and_more_dimensions() {
    let canon = test_canon();
    for f in ["smart", "okr", "mbo"] {
        let o = render_with(&canon, "L3", f, "text");
        assert_eq!(o.status.code(), Some(1), "{f}");
        assert!(o.stdout.is_empty());
        assert!(stderr(&o).contains("no rows for the"), "{}", stderr(&o));
    }
    let o = render_with(&canon, "L3", "scorecard", "text");
    let scorecard = "Role calibration\n  - Meets the a bar: \"a\"  →  ⟨target⟩ by ⟨date⟩   [source: level dimension (A)]\n  - Meets the b bar: \"b\"  →  ⟨target⟩ by ⟨date⟩   [source: level dimension (B)]\n  - Meets the c bar: \"c\"  →  ⟨target⟩ by ⟨date⟩   [source: level dimension (C)]\n";
    assert_eq!(stdout(&o), scorecard);
    // `all` holds only the frames with rows.
    let o = render_with(&canon, "L3", "all", "text");
    let expected = format!(
        "Goal templates — Role T — L3\n\nFam · Role T · L3 — Three\n\n{}\n\nScorecard\n\n{}\n\n{scorecard}",
        goalframe::render::PREAMBLE,
        goalframe::render::Frame::Scorecard.lead()
    );
    assert_eq!(stdout(&o), expected);
    // More dimensions than responsibilities: KR2 takes them in order.
    let more = canon_dir(
        "more-dims",
        &[
            ("levels.json", LEVELS),
            (
                "r.json",
                r#"{"roles": [{"id": "r", "title": "T", "family": "F", "levels": {"L3": {"responsibilities": ["z1"]}}}]}"#,
            ),
        ],
    );
    let o = render_with(&more, "L3", "okr", "text");
    assert_eq!(stdout(&o), "Objective 1: z1  [source: JFM responsibility (L3)]\n  KR1. From ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩ — tied to: \"z1\"\n  KR2. Evidence at this level's a bar: \"a\" — ⟨target⟩ by ⟨date⟩\n");
    // Nothing at all: even `all` has nothing to render.
    let empty = canon_dir(
        "empty",
        &[
            ("l.json", r#"{"levels": [{"code": "E", "name": "Empty"}]}"#),
            (
                "r.json",
                r#"{"roles": [{"id": "e", "title": "E", "family": "F", "levels": {"E": {}}}]}"#,
            ),
        ],
    );
    let o = run(&["render", "e", "E", "--canon", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn canon_check_reports_every_problem_with_a_location() {
    let dir = canon_dir(
        "broken",
        &[
            ("levels.json", "{\"levels\": [{\"code\": \"P1\", \"name\": \"One\"}]}\n"),
            ("roles/a.json", "{\"roles\": [\n  {\"id\": \"a\", \"title\": \"A\", \"family\": \"F\",\n   \"levels\": {\"P1\": {\"responsibilites\": [\"x\"]}}}\n]}\n"),
            ("roles/b.json", "{\"roles\": [{\"id\": \"a\", \"title\": \"B\", \"family\": \"F\", \"levels\": {\"P7\": {}}}]}\n"),
            ("canon.schema.json", "not even json: schema files are skipped"),
        ],
    );
    let o = run(&["canon", "check", "--canon", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let d = dir.display();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            format!("error: {d}/roles/a.json:3:22: roles[0].levels.P1.responsibilites: unknown key `responsibilites`; did you mean `responsibilities`?").as_str(),
            format!("error: {d}/roles/b.json:1:19: roles[0].id: duplicate role id `a`; first defined at {d}/roles/a.json:2:10").as_str(),
            format!("error: {d}/roles/b.json:1:64: roles[0].levels.P7: level `P7` is not defined by any canon file").as_str(),
            "error: the canon has 3 problems; nothing was loaded",
        ]
    );
    let o = run(&["canon", "check"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "canon ok: 1 role, 1 level, 1 role-level from <embedded>\n"
    );
}

#[test]
fn canon_list_and_canon_from_goalframe_toml() {
    let o = run(&["canon", "list"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "account-executive-field-sales\tAccount Executive / Field Sales\tDirect Sales / Quota-Carrying Sales\taliases: ae, account executive, field sales\n  P2\tDeveloping Professional\t5 responsibilities, 6 dimensions, 2 rubrics\n"
    );
    let ws = scratch("ws");
    let canon = canon_dir(
        "ws-canon",
        &[("levels.json", LEVELS), ("roles/r.json", ROLE)],
    );
    std::fs::write(
        ws.join("goalframe.toml"),
        format!("canon = [{:?}]\n", canon.display().to_string()),
    )
    .unwrap();
    let ws_canon = "r\tRole T\tFam\n  L1\tOne\t3 responsibilities, 2 dimensions, 0 rubrics\n";
    let o = run_in(&ws, &["canon", "list"]);
    assert!(stdout(&o).starts_with(ws_canon), "{}", stdout(&o));

    // From a team's subfolder, the nearest `goalframe.toml` above it.
    let team = ws.join("reviews/team-a");
    std::fs::create_dir_all(&team).unwrap();
    let o = run_in(&team, &["canon", "list"]);
    assert!(stdout(&o).starts_with(ws_canon), "{}", stdout(&o));
    // One in between is nearer, and wins (its canon relative to it).
    std::fs::write(ws.join("reviews/goalframe.toml"), "canon = []\n").unwrap();
    let o = run_in(&team, &["canon", "check"]);
    assert_eq!(
        stdout(&o),
        "canon ok: 1 role, 1 level, 1 role-level from <embedded>\n"
    );
    // Whatever stands at the name stops the search: a folder there is an
    // error naming it, not a reason to read the one further up.
    std::fs::remove_file(ws.join("reviews/goalframe.toml")).unwrap();
    std::fs::create_dir(ws.join("reviews/goalframe.toml")).unwrap();
    let o = run_in(&team, &["canon", "list"]);
    assert_eq!(o.status.code(), Some(2));
    let real = std::fs::canonicalize(ws.join("reviews")).unwrap();
    assert_eq!(
        stderr(&o),
        format!(
            "error: {}: not a regular file: it is a directory\n",
            real.join("goalframe.toml").display()
        )
    );
    // `--config FILE`: a relative canon is relative to FILE's folder, also
    // when FILE is named bare from that folder.
    let folder = canon.parent().unwrap();
    let name = canon.file_name().unwrap().to_str().unwrap();
    std::fs::write(folder.join("team.toml"), format!("canon = [{name:?}]\n")).unwrap();
    let cfg = folder.join("team.toml");
    let o = run_in(&ws, &["canon", "list", "--config", cfg.to_str().unwrap()]);
    assert!(stdout(&o).starts_with(ws_canon), "{}", stderr(&o));
    let o = run_in(folder, &["canon", "list", "--config", "team.toml"]);
    assert!(stdout(&o).starts_with(ws_canon), "{}", stderr(&o));
}

/// Canon text full of markdown and snippet metacharacters.
const NASTY: &[&str] = &[
    "Own *all* `deploys` <b>now</b> | [link](http://x) & \\escape_me $HOME {x} ~~gone~~ #tag",
    "- starts like a list item",
    "1. starts like an ordered item",
    "# starts like a heading > and a quote",
    "ends with a backslash \\",
    "$1 and ${2:x} and } and \\$",
];

fn nasty_canon() -> std::path::PathBuf {
    let resp = serde_json::to_string(NASTY).unwrap();
    let role = format!(
        r#"{{"roles": [{{"id": "n", "title": "Title *with* [meta] | chars", "family": "Fam_ily <x>", "levels": {{"L1": {{"responsibilities": {resp}, "rubrics": {{"complexity/problem-solving": "cx `code` *em*", "knowledge-application": "ka | pipe \\ back"}}}}}}}}]}}"#
    );
    let levels = r#"{"levels": [{"code": "L1", "name": "Na*me*", "dimensions": [{"name": "Sco_pe", "text": "bar <with> [meta] $ }"}]}]}"#;
    canon_dir("nasty", &[("levels.json", levels), ("r.json", &role)])
}

/// The plain text a CommonMark + GFM renderer shows for `md`, one string
/// per block (paragraph, list item line, table cell, heading), and the
/// inline markup events it produced.
fn rendered_blocks(md: &str) -> (Vec<String>, Vec<String>) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut blocks = Vec::new();
    let mut markup = Vec::new();
    let mut cur = String::new();
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Text(t) => cur.push_str(&t),
            Event::SoftBreak | Event::HardBreak => cur.push('\n'),
            Event::Start(Tag::Strong)
            | Event::End(TagEnd::Strong)
            | Event::Start(Tag::Emphasis)
            | Event::End(TagEnd::Emphasis) => {}
            Event::Start(
                t @ (Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Strikethrough
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)),
            ) => markup.push(format!("{t:?}")),
            Event::Code(c) | Event::InlineHtml(c) => markup.push(format!("inline {c}")),
            Event::Start(_) | Event::End(_) if !cur.is_empty() => {
                blocks.push(std::mem::take(&mut cur))
            }
            _ => {}
        }
    }
    if !cur.is_empty() {
        blocks.push(cur);
    }
    (blocks, markup)
}

#[test]
fn markdown_renders_to_exactly_the_canon_words() {
    let canon = nasty_canon();
    for f in FRAMES {
        let md = stdout(&render_with_role(&canon, "n", "L1", f, "markdown"));
        let (blocks, markup) = rendered_blocks(&md);
        assert!(
            markup.is_empty(),
            "{f}: canon text turned into markup {markup:?}\n{md}"
        );
        let text = blocks.join("\n");
        for s in NASTY {
            assert!(
                text.contains(s),
                "{f}: `{s}` not rendered verbatim in\n{text}"
            );
        }
        assert!(
            blocks
                .iter()
                .any(|b| b.contains("Title *with* [meta] | chars")),
            "{f}: title"
        );
        // Every line of the plain-text form appears as rendered text, apart
        // from its layout (labels, numbering, indentation).
        let plain = stdout(&render_with_role(&canon, "n", "L1", f, "text"));
        for line in plain.lines().filter(|l| l.contains('"')) {
            let quoted = &line[line.find('"').unwrap()..=line.rfind('"').unwrap()];
            assert!(
                text.contains(quoted),
                "{f}: {quoted} missing from rendered markdown"
            );
        }
    }
    let md = stdout(&render_with_role(&canon, "n", "L1", "smart", "markdown"));
    let (blocks, _) = rendered_blocks(&md);
    assert_eq!(blocks[0], "SMART goals — Title *with* [meta] | chars — L1");
    assert_eq!(
        blocks[2],
        format!("{}  [source: JFM responsibility (L1)]", NASTY[0])
    );
}

fn render_with_role(
    canon: &std::path::Path,
    role: &str,
    level: &str,
    frame: &str,
    format: &str,
) -> std::process::Output {
    let o = run(&[
        "render",
        role,
        level,
        "--frame",
        frame,
        "--format",
        format,
        "--canon",
        canon.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

#[test]
fn snippets_expand_back_to_the_plain_forms() {
    let canon = nasty_canon();
    for f in FRAMES.iter().chain(["all"].iter()) {
        for (snip, plain) in [("snippet", "text"), ("markdown-snippet", "markdown")] {
            let s = stdout(&render_with_role(&canon, "n", "L1", f, snip));
            let p = stdout(&render_with_role(&canon, "n", "L1", f, plain));
            let (expanded, stops) = expand_snippet(s.trim_end_matches('\n'));
            assert_eq!(format!("{expanded}\n"), p, "{f} {snip}");
            assert_eq!(stops.last().map(|s| s.0), Some(0), "{f}: ends with $0");
            assert_eq!(
                stops.last().unwrap().1.start,
                expanded.len(),
                "{f}: $0 at the end"
            );
            // Every tabstop's default is a placeholder; numbers ascend in
            // document order as first seen.
            let mut max = 0;
            for (n, r) in &stops[..stops.len() - 1] {
                assert!(
                    ["⟨baseline⟩", "⟨target⟩", "⟨date⟩"].contains(&&expanded[r.clone()]),
                    "{f}: tabstop {n} holds {}",
                    &expanded[r.clone()]
                );
                assert!(*n <= max + 1, "{f}: tabstop {n} out of order");
                max = max.max(*n);
            }
        }
    }
}

#[test]
fn snippet_tabstops_are_linked_within_a_row_group_only() {
    let o = run(&[
        "render", "ae", "P2", "--frame", "smart", "--format", "snippet",
    ]);
    let s = stdout(&o);
    let first_item: &str = s.split("\n\n").next().unwrap();
    assert!(first_item.contains("from ${1:⟨baseline⟩} to ${2:⟨target⟩} by ${3:⟨date⟩}."));
    assert!(first_item.ends_with("Time-bound:  $3"), "{first_item}");
    let second: &str = s.split("\n\n").nth(1).unwrap();
    assert!(second.contains("from ${4:⟨baseline⟩} to ${5:⟨target⟩} by ${6:⟨date⟩}."));
    let o = run(&[
        "render", "ae", "P2", "--frame", "okr", "--format", "snippet",
    ]);
    let s = stdout(&o);
    assert!(s.contains("KR1. From ${1:⟨baseline⟩} to ${2:⟨target⟩} by ${3:⟨date⟩}"));
    assert!(
        s.contains("bar: \"Defined deliverables / small features\" — ${4:⟨target⟩} by ${5:⟨date⟩}")
    );
    assert!(s.trim_end().ends_with("$0"));
}
