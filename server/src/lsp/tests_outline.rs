//! In-process tests of the whole-document requests: document symbols,
//! folding ranges, the progress code lens, `goalframe.nextPlaceholder`
//! and `source.fixAll.goalframe` (a wrapped row joined too), in utf-8 and utf-16 with emoji and CJK.
//! Expected positions come from the strings (`tests/support/lsp_text.rs`).

use serde_json::{json, Value};

use goalframe::render::{Frame, Markup};

use super::tests::support::fixture::annotate;
use super::tests::support::lsp_client::{pos, range_of};
use super::tests::support::lsp_text::{apply_edits, offset, position, Enc, Pos};
use super::tests::{embedded_text, find_range, started, TestClient};

const URI: &str = "file:///w/review.md";

/// The whole-document views, as `direct.rs` takes them.
const VIEWS: [&str; 3] = [
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/codeLens",
];

/// Both encodings: (offered, negotiated).
const ENCODINGS: [(Option<&[&str]>, Enc); 2] =
    [(Some(&["utf-8", "utf-16"]), Enc::Utf8), (None, Enc::Utf16)];

/// A review: a heading with emoji and CJK, then ae/P2's SMART and OKR
/// blocks; the first goal's baseline and dates are filled (with emoji and
/// CJK in the baseline), its target is not.
fn review() -> String {
    let smart = embedded_text(Frame::Smart, Markup::Markdown);
    let okr = embedded_text(Frame::Okr, Markup::Markdown);
    let smart = smart
        .replacen(
            "from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩",
            "from 😀中文 3 deals to ⟨target⟩ by 2027-06-30",
            1,
        )
        .replacen("**Time-bound:** ⟨date⟩", "**Time-bound:** 2027-06-30", 1);
    format!("# 😀 年度 review\n\n{smart}\n\n{okr}\n")
}

fn open(enc_offered: Option<&[&str]>, text: &str) -> TestClient {
    let mut c = started(enc_offered, true);
    c.open(URI, "markdown", 1, text);
    c.diagnostics(URI, 1);
    c
}

fn doc_param() -> Value {
    json!({"textDocument": {"uri": URI}})
}

/// A range's byte offsets, from its LSP positions.
fn bytes(text: &str, r: &Value, enc: Enc) -> std::ops::Range<usize> {
    let ((l0, c0), (l1, c1)) = range_of(r);
    offset(text, l0, c0, enc)..offset(text, l1, c1, enc)
}

#[test]
fn document_symbols_are_blocks_with_their_goals_in_both_encodings() {
    let text = review();
    let mut seen = Vec::new();
    for (offered, enc) in ENCODINGS {
        let mut c = open(offered, &text);
        let r = c.call("textDocument/documentSymbol", doc_param());
        let blocks = r.as_array().expect("symbols");
        let mut out = String::new();
        for b in blocks {
            let range = bytes(&text, &b["range"], enc);
            let sel = bytes(&text, &b["selectionRange"], enc);
            assert_eq!(
                &text[sel.clone()],
                &text[sel.start..text[sel.start..].find('\n').unwrap() + sel.start]
            );
            out.push_str(&format!(
                "{} [{}] kind {} lines {}..{}\n",
                b["name"].as_str().unwrap(),
                b["detail"].as_str().unwrap(),
                b["kind"],
                text[..range.start].matches('\n').count(),
                text[..range.end].matches('\n').count(),
            ));
            for g in b["children"].as_array().unwrap() {
                let gr = bytes(&text, &g["range"], enc);
                assert!(
                    range.start <= gr.start && gr.end <= range.end,
                    "goal inside its block"
                );
                out.push_str(&format!(
                    "  {} [{}] starts {:?}\n",
                    g["name"].as_str().unwrap(),
                    g["detail"].as_str().unwrap(),
                    &text[gr.start..gr.start + 3],
                ));
            }
        }
        seen.push(out);
    }
    assert_eq!(seen[0], seen[1], "the same symbols in utf-8 and utf-16");
    expect_test::expect![[r#"
        SMART goals — Account Executive / Field Sales — P2 [3 of 20 filled] kind 3 lines 2..40
          Manages the entire sales cycle from initial contact to closi… [3 of 4 filled] starts "1. "
          Recommends products based on customers' needs and estimates… [0 of 4 filled] starts "2. "
          Maintains an accurate sales pipeline so that company-wide fo… [0 of 4 filled] starts "3. "
          Prepares sales contracts and order forms and consults with c… [0 of 4 filled] starts "4. "
          Monitors market conditions and competitors' products and per… [0 of 4 filled] starts "5. "
        OKRs — Account Executive / Field Sales — P2 [0 of 25 filled] kind 3 lines 42..65
          Manages the entire sales cycle from initial contact to closi… [0 of 5 filled] starts "1. "
          Recommends products based on customers' needs and estimates… [0 of 5 filled] starts "2. "
          Maintains an accurate sales pipeline so that company-wide fo… [0 of 5 filled] starts "3. "
          Prepares sales contracts and order forms and consults with c… [0 of 5 filled] starts "4. "
          Monitors market conditions and competitors' products and per… [0 of 5 filled] starts "5. "
    "#]]
    .assert_eq(&seen[0]);
}

#[test]
fn folding_ranges_cover_each_block_and_goal() {
    let text = review();
    let mut c = open(None, &text);
    let r = c.call("textDocument/foldingRange", doc_param());
    let folds: Vec<(u64, u64)> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    let spans: Vec<_> = folds
        .iter()
        .map(|&(a, b)| {
            let start = offset(&text, a as u32, 0, Enc::Utf16);
            (start..start + 1, format!("fold to line {b}"))
        })
        .collect();
    let shown: String = annotate(&text, &spans)
        .lines()
        .filter(|l| {
            l.contains("fold to")
                || l.starts_with("<!--")
                || l.starts_with("1.")
                || l.starts_with("2.")
        })
        .map(|l| format!("{}\n", l.chars().take(40).collect::<String>()))
        .collect();
    expect_test::expect![[r#"
        <!-- goalframe: account-executive-field-
        ^ fold to line 40
        1. Manages the entire sales cycle from i
        ^ fold to line 12
        2. Recommends products based on customer
        ^ fold to line 19
        ^ fold to line 26
        ^ fold to line 33
        ^ fold to line 40
        <!-- goalframe: account-executive-field-
        ^ fold to line 65
        1. Manages the entire sales cycle from i
        ^ fold to line 49
        2. Recommends products based on customer
        ^ fold to line 53
        ^ fold to line 57
        ^ fold to line 61
        ^ fold to line 65
    "#]]
    .assert_eq(&shown);
}

#[test]
fn code_lens_counts_filled_placeholders_and_the_command_finds_the_next_one() {
    let text = review();
    for (offered, enc) in ENCODINGS {
        let mut c = open(offered, &text);
        let r = c.call("textDocument/codeLens", doc_param());
        let lenses = r.as_array().unwrap();
        let titles: Vec<&str> = lenses
            .iter()
            .map(|l| l["command"]["title"].as_str().unwrap())
            .collect();
        // SMART: 5 goals × (baseline, target, date, time-bound date), 3 filled.
        // OKR: 5 goals × (KR1: 3, KR2: 2), none filled.
        assert_eq!(
            titles,
            [
                "17 of 20 placeholders filled".replace("17", "3"),
                "0 of 25 placeholders filled".into()
            ],
            "{enc:?}"
        );
        for l in lenses {
            assert_eq!(l["command"]["command"], "goalframe.nextPlaceholder");
            let at = bytes(&text, &l["range"], enc);
            assert!(text[at].starts_with("<!-- goalframe:"));
        }
        // From the lens (the SMART block's first line): the first goal's
        // target, after emoji and CJK on its line.
        let args = lenses[0]["command"]["arguments"].clone();
        let r = c.call(
            "workspace/executeCommand",
            json!({"command": "goalframe.nextPlaceholder", "arguments": args}),
        );
        assert_eq!(r["uri"], URI);
        let expected = find_range(&text, "⟨target⟩", 0, enc);
        assert_eq!(range_of(&r["range"]), expected, "{enc:?}");
        // From there on: the next goal's baseline.
        let r = c.call(
            "workspace/executeCommand",
            json!({"command": "goalframe.nextPlaceholder", "arguments": [{"uri": URI, "position": pos(expected.0)}]}),
        );
        assert_eq!(
            range_of(&r["range"]),
            find_range(&text, "⟨baseline⟩", 0, enc)
        );
        // From the last placeholder: wraps to the first.
        let last = text.rfind("⟨date⟩").unwrap();
        let r = c.call(
            "workspace/executeCommand",
            json!({"command": "goalframe.nextPlaceholder", "arguments": [{"uri": URI, "position": pos(position(&text, last, enc))}]}),
        );
        assert_eq!(range_of(&r["range"]), expected, "wraps, {enc:?}");
        // Bad arguments are an error, not a panic.
        let id = c.send_request(
            "workspace/executeCommand",
            json!({"command": "goalframe.nextPlaceholder", "arguments": [{"uri": 3}]}),
        );
        let resp = c.response(id);
        assert_eq!(resp["error"]["code"], -32602, "{resp}");
    }
}

#[test]
fn next_placeholder_is_null_when_all_are_filled() {
    let text = "<!-- goalframe: account-executive-field-sales/P2 smart -->\n## SMART goals — Account Executive / Field Sales — P2\n\n1. x\n   - **Measurable:** Move the metric this drives from 1 to 2 by 2027-06-30.\n   - **Time-bound:** 2027-06-30\n";
    let mut c = open(None, text);
    let r = c.call("textDocument/codeLens", doc_param());
    assert_eq!(r[0]["command"]["title"], "4 of 4 placeholders filled");
    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.nextPlaceholder", "arguments": [{"uri": URI, "position": pos((0, 0))}]}),
    );
    assert_eq!(r, Value::Null);
}

/// The edits of the one fix-all action offered for the document, asked
/// for with `only: ["source.fixAll"]` as Neovim and VS Code's save do.
fn fix_all_edits(c: &mut TestClient) -> Vec<(Pos, Pos, String)> {
    let r = c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": pos((0, 0)), "end": pos((0, 0))},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = r.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{r}");
    assert_eq!(actions[0]["kind"], "source.fixAll.goalframe");
    actions[0]["edit"]["changes"][URI]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let (start, end) = range_of(&e["range"]);
            (start, end, e["newText"].as_str().unwrap().to_string())
        })
        .collect()
}

/// A row a formatter wrapped is joined by fix-all: each edit runs from the
/// end of one line to the text of the next, after emoji and CJK.
#[test]
fn fix_all_joins_a_wrapped_row() {
    let smart = embedded_text(Frame::Smart, Markup::Markdown)
        .replacen(
            "from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩",
            "from 😀 1 to 中文 2 by 2027-06-30",
            1,
        )
        .replacen("**Time-bound:** ⟨date⟩", "**Time-bound:** 2027-06-30", 1);
    let wrapped = smart.replacen(" to 中文 2 by", "\n     to 中文 2\n     by", 1);
    assert_ne!(wrapped, smart);
    let text = format!("# 😀 年度\n\n{wrapped}\n");
    for (offered, enc) in ENCODINGS {
        let mut c = open(offered, &text);
        let edits = fix_all_edits(&mut c);
        assert_eq!(edits.len(), 2, "{enc:?}");
        assert!(edits.iter().all(|e| e.0 .0 + 1 == e.1 .0), "{edits:?}");
        let fixed = apply_edits(&text, &edits, enc);
        assert_eq!(fixed, format!("# 😀 年度\n\n{smart}\n"), "{enc:?}");
    }
}

/// A frame heading underlined and typed with `–` between its parts, its
/// marker comment lost, is written as the template does by fix-all: `## `
/// put before it, ` — ` for each `–`, and the underline taken out, in
/// utf-8 and utf-16, after emoji and CJK.
#[test]
fn fix_all_writes_an_unread_heading_as_the_template_does() {
    let smart = embedded_text(Frame::Smart, Markup::Markdown);
    let marker = smart.lines().next().unwrap().to_string();
    assert!(marker.starts_with("<!-- goalframe:"), "{smart}");
    let unmarked = smart.replacen(&format!("{marker}\n"), "", 1);
    let heading = unmarked.lines().next().unwrap().to_string();
    let title = heading.strip_prefix("## ").unwrap();
    let typed = format!("{}\n---", title.replace(" — ", " \u{2013} "));
    let text = format!("# 😀 年度\n\n{}\n", unmarked.replacen(&heading, &typed, 1));
    let want = format!("# 😀 年度\n\n{unmarked}\n");
    for (offered, enc) in ENCODINGS {
        let mut c = open(offered, &text);
        let edits = fix_all_edits(&mut c);
        assert_eq!(edits.len(), 4, "{enc:?}: {edits:?}");
        assert_eq!(apply_edits(&text, &edits, enc), want, "{enc:?}");
    }
}

#[test]
fn fix_all_restores_canon_text_and_aligns_dates_in_one_edit_set() {
    let smart = embedded_text(Frame::Smart, Markup::Markdown);
    // Canon text edited in the first goal's Specific row, and its dates
    // disagree; emoji and CJK on the lines before.
    let quote_start = smart.find("Deliver: \"").unwrap() + "Deliver: \"".len();
    let word = &smart[quote_start..quote_start + 7];
    let drifted = smart.replacen(
        &format!("Deliver: \"{word}"),
        &format!("Deliver: \"{word}X"),
        1,
    );
    let drifted = drifted
        .replacen(
            "from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩",
            "from 😀 1 to 中文 2 by 2027-06-30",
            1,
        )
        .replacen("**Time-bound:** ⟨date⟩", "**Time-bound:** 2027-05-31", 1);
    let text = format!("# 😀 年度\n\n{drifted}\n");
    for (offered, enc) in ENCODINGS {
        let mut c = open(offered, &text);
        let edits = fix_all_edits(&mut c);
        assert_eq!(edits.len(), 2, "{enc:?}");
        let fixed = apply_edits(&text, &edits, enc);
        let expected = format!(
            "# 😀 年度\n\n{}\n",
            smart
                .replacen(
                    "from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩",
                    "from 😀 1 to 中文 2 by 2027-06-30",
                    1
                )
                .replacen("**Time-bound:** ⟨date⟩", "**Time-bound:** 2027-06-30", 1)
        );
        assert_eq!(fixed, expected, "{enc:?}");
        // Quick fixes only: no fix-all among them.
        let r = c.call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": pos((0, 0)), "end": pos((0, 0))},
                   "context": {"diagnostics": [], "only": ["quickfix"]}}),
        );
        assert!(
            r.as_array()
                .unwrap()
                .iter()
                .all(|a| a["kind"] == "quickfix"),
            "{r}"
        );
        // Nothing to fix: no action.
        c.open("file:///w/clean.md", "markdown", 1, &expected);
        let r = c.call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": "file:///w/clean.md"}, "range": {"start": pos((0, 0)), "end": pos((0, 0))},
                   "context": {"diagnostics": [], "only": ["source.fixAll.goalframe"]}}),
        );
        assert_eq!(r, json!([]));
    }
}

#[test]
fn the_requests_are_announced() {
    let mut c = TestClient::start();
    let r = c.call(
        "initialize",
        super::tests::support::lsp_client::init_params(None, true),
    );
    let caps = &r["capabilities"];
    assert_eq!(caps["documentSymbolProvider"], true);
    assert_eq!(caps["foldingRangeProvider"], true);
    assert_eq!(caps["codeLensProvider"]["resolveProvider"], false);
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll.goalframe"])
    );
}

#[test]
fn hover_on_a_filled_slot_says_how_it_was_read() {
    let smart = embedded_text(Frame::Smart, Markup::Markdown);
    let text = format!(
        "# 😀 年度\n\n{}",
        smart
            .replacen(
                "from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩",
                "from 中文 12 deals to 20 closed SMB deals per quarter by 2027-06-30",
                1
            )
            .replacen("**Time-bound:** ⟨date⟩", "**Time-bound:** 2027-05-31", 1)
    );
    for (offered, enc) in ENCODINGS {
        let mut c = open(offered, &text);
        let mut seen = Vec::new();
        for (needle, n) in [
            ("20 closed SMB deals per quarter", 0),
            ("中文 12 deals", 0),
            ("2027-06-30", 0),
            ("2027-05-31", 0),
        ] {
            let (s, e) = find_range(&text, needle, n, enc);
            let r = c.hover(URI, ((s.0), s.1 + 1));
            assert_eq!(range_of(&r["range"]), (s, e), "{needle} {enc:?}");
            seen.push(
                r["contents"]["value"]
                    .as_str()
                    .unwrap()
                    .lines()
                    .next()
                    .unwrap()
                    .to_string(),
            );
        }
        let expected = "target: 20 closed SMB deals per quarter\nbaseline: 中文 12 deals\ndue 2027-06-30 — end of Q2 2027\ndue 2027-05-31 — end of May 2027";
        assert_eq!(seen.join("\n"), expected, "{enc:?}");
        // A placeholder is not a filled slot: its finding explains it.
        let (s, _) = find_range(&text, "⟨", 0, enc);
        let r = c.hover(URI, s);
        assert!(
            r["contents"]["value"]
                .as_str()
                .unwrap()
                .contains("unfilled-placeholder"),
            "{r}"
        );
    }
}

/// The hover on a date without its year names the one the document's
/// cycle puts it in, as the finding's message does.
#[test]
fn hover_on_a_date_without_its_year_gives_the_year_of_the_cycle() {
    let smart = embedded_text(Frame::Smart, Markup::Markdown);
    let text = format!(
        "---\ncycle_start: 2027-01-01\ncycle_end: 2027-06-30\n---\n# 😀 年度\n\n{}",
        smart.replacen("**Time-bound:** ⟨date⟩", "**Time-bound:** end of Q2", 1)
    );
    for (offered, enc) in ENCODINGS {
        let mut c = open(offered, &text);
        let (s, e) = find_range(&text, "end of Q2", 0, enc);
        let r = c.hover(URI, (s.0, s.1 + 1));
        assert_eq!(range_of(&r["range"]), (s, e), "{enc:?}");
        let said = r["contents"]["value"].as_str().unwrap_or_default();
        assert!(
            said.starts_with("date `end of Q2`: not a date goalframe can read; write it as `Q2 2027`, the one inside the review cycle"),
            "{said}"
        );
    }
}

#[test]
fn completion_in_a_date_slot_offers_the_cycle_its_quarters_and_the_other_date() {
    let smart = embedded_text(Frame::Smart, Markup::Markdown);
    let text = format!(
        "---\ncycle: FY2027 H1\ncycle_start: 2027-01-01\ncycle_end: 2027-06-30\n---\n# 😀 年度\n\n{}",
        smart.replacen("from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩", "from 中文 1 to 2 by 2027-05-31", 1)
    );
    let time_bound = text.find("**Time-bound:** ⟨date⟩").unwrap() + "**Time-bound:** ".len();
    for (offered, enc) in ENCODINGS {
        let mut c = open(offered, &text);
        let (s, e) = (
            position(&text, time_bound, enc),
            position(&text, time_bound + "⟨date⟩".len(), enc),
        );
        let r = c.completion(URI, (s.0, s.1 + 1));
        let labels: Vec<&str> = r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap())
            .collect();
        assert_eq!(
            labels,
            [
                "2027-05-31 — the goal's other date",
                "2027-06-30 — end of cycle FY2027 H1",
                "2027-03-31 — end of Q1 2027",
            ],
            "{enc:?}"
        );
        let item = &r["items"][1];
        assert_eq!(item["textEdit"]["newText"], "2027-06-30");
        assert_eq!(range_of(&item["textEdit"]["range"]), (s, e), "{enc:?}");
        // A date being typed over the Measurable row's slot: the same
        // dates, replacing what was typed.
        let typed = text.find("2027-05-31").unwrap();
        let r = c.completion(URI, position(&text, typed + 4, enc));
        let values: Vec<&str> = r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["textEdit"]["newText"].as_str().unwrap())
            .collect();
        assert_eq!(values, ["2027-06-30", "2027-03-31"], "{enc:?}");
    }
}

/// The views are answered beside tower-lsp (`direct`) only between a
/// successful `initialize` and `shutdown`; outside that window, and for
/// bad params, they get tower-lsp's errors as every other request does.
/// Inside it, each answer reflects every edit sent before it.
#[test]
fn views_follow_the_edits_before_them_and_the_servers_lifecycle() {
    let mut c = TestClient::start();
    for method in VIEWS {
        let r = c.request(method, doc_param());
        assert_eq!(
            r["error"]["code"],
            json!(-32002),
            "{method} before initialize: {r}"
        );
    }
    c.initialize(super::tests::support::lsp_client::init_params(None, true));
    for method in VIEWS {
        let r = c.request(method, json!({"textDocument": 42}));
        assert_eq!(
            r["error"]["code"],
            json!(-32602),
            "{method} with bad params: {r}"
        );
        let r = c.request(
            method,
            json!({"textDocument": {"uri": "file:///w/closed.md"}}),
        );
        assert_eq!(
            r["result"],
            Value::Null,
            "{method} on a closed document: {r}"
        );
    }
    // Open an empty document, then, without waiting, insert a block and
    // ask at once: the answer must see the block.
    c.open(URI, "markdown", 1, "");
    let text = review();
    c.change(URI, 2, (0, 0), (0, 0), &text);
    let ids: Vec<i64> = VIEWS
        .iter()
        .map(|m| c.send_request(m, doc_param()))
        .collect();
    for (method, id) in VIEWS.iter().zip(ids) {
        let r = c.response(id);
        let n = r["result"].as_array().map_or(0, Vec::len);
        assert!(n > 0, "{method} after the edit saw no block: {r}");
    }
    let r = c.request("shutdown", Value::Null);
    assert!(r.get("error").is_none(), "{r}");
    for method in VIEWS {
        let r = c.request(method, doc_param());
        assert_eq!(
            r["error"]["code"],
            json!(-32600),
            "{method} after shutdown: {r}"
        );
    }
}

/// What the views keep per block (`views.rs`) stays exact through edits
/// before, inside and between blocks: after each, every view equals a
/// fresh server's for the same text, in both encodings.
#[test]
fn views_after_edits_equal_a_fresh_servers() {
    let text = format!("{}\n{}", review(), review());
    for (offered, _) in ENCODINGS {
        let mut c = open(offered, &text);
        let _ = c.call("textDocument/documentSymbol", doc_param());
        type Edit = ((u32, u32), (u32, u32), &'static str);
        let edits: [Edit; 6] = [
            // Lines inserted above every block: all move down.
            ((0, 0), (0, 0), "😀 intro\n\nmore 中文\n"),
            // Inside the first goal's text.
            ((14, 2), (14, 2), "x"),
            // A line break in the middle of the document.
            ((40, 0), (40, 0), "\n\n"),
            // Lines removed near the top.
            ((0, 0), (2, 0), ""),
            // Typing in two places before asking.
            ((20, 0), (20, 0), "y"),
            ((60, 0), (60, 0), "## New heading\n"),
        ];
        for (version, (a, b, new)) in edits.into_iter().enumerate() {
            c.change(URI, version as i64 + 2, a, b, new);
            // Answered after the edit (in order), so the text read next
            // is the edited one.
            let answers = VIEWS.map(|m| c.call(m, doc_param()));
            let now = c.server_text(URI).expect("open");
            let mut fresh = started(offered, true);
            fresh.open(URI, "markdown", 1, &now);
            for (method, got) in VIEWS.into_iter().zip(answers) {
                let want = fresh.call(method, doc_param());
                assert_eq!(
                    got, want,
                    "{method} after edit {version} ({a:?}..{b:?} {new:?})"
                );
                assert!(got.as_array().is_some_and(|s| s.len() >= 4), "{got}");
            }
        }
    }
}
