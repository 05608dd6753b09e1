//! The whole-document requests over real stdio against the built binary:
//! document symbols, folding ranges, the progress code lens and
//! `goalframe.nextPlaceholder`, `source.fixAll.goalframe`, and pull
//! diagnostics (document and workspace), in utf-8 and utf-16 with emoji and
//! CJK. Every read has a timeout, so a hung server fails the test.

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use support::lsp_client::{init_params, pos, range_of, LspClient};
use support::lsp_text::{apply_edits, position, Enc};
use support::{bin, run_in};

const SMART_ROW: &str = "from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩";

/// A `goalframe lsp` process and the test client on its pipes.
fn start(dir: &Path) -> (Child, LspClient) {
    let mut child = Command::new(bin())
        .arg("lsp")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start goalframe lsp");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    (child, LspClient::new(stdout, stdin))
}

fn smart(dir: &Path) -> String {
    let out = run_in(
        dir,
        &[
            "render", "ae", "p2", "--frame", "smart", "--format", "markdown",
        ],
    );
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn outline_lens_jump_and_fix_all_over_stdio_in_both_encodings() {
    let dir = support::scratch("lsp-document");
    let frame = smart(&dir);
    // The first goal: baseline filled with emoji and CJK, the Time-bound
    // date differing from the Measurable one.
    let text = format!(
        "# 😀 年度\n\n{}",
        frame
            .replacen(SMART_ROW, "from 😀中文 3 to ⟨target⟩ by 2027-06-30", 1)
            .replacen("**Time-bound:** ⟨date⟩", "**Time-bound:** 2027-05-31", 1)
    );
    for (offered, enc) in [
        (Some(&["utf-8", "utf-16"][..]), Enc::Utf8),
        (None, Enc::Utf16),
    ] {
        let (mut child, mut c) = start(&dir);
        c.initialize_and_settle(init_params(offered, true));
        let uri = "file:///w/review.md";
        c.open(uri, "markdown", 1, &text);
        c.diagnostics(uri, 1);
        let doc = json!({"textDocument": {"uri": uri}});

        let symbols = c.call("textDocument/documentSymbol", doc.clone());
        assert_eq!(
            symbols[0]["name"],
            "SMART goals — Account Executive / Field Sales — P2"
        );
        assert_eq!(symbols[0]["detail"], "3 of 20 filled");
        assert_eq!(symbols[0]["children"].as_array().unwrap().len(), 5);
        assert_eq!(symbols[0]["children"][0]["detail"], "3 of 4 filled");

        let folds = c.call("textDocument/foldingRange", doc.clone());
        assert_eq!(
            folds.as_array().unwrap().len(),
            6,
            "the block and its five goals"
        );

        let lenses = c.call("textDocument/codeLens", doc.clone());
        assert_eq!(lenses[0]["command"]["title"], "3 of 20 placeholders filled");
        let r = c.call(
            "workspace/executeCommand",
            json!({"command": "goalframe.nextPlaceholder", "arguments": lenses[0]["command"]["arguments"]}),
        );
        let at = text.find("⟨target⟩").unwrap();
        let expected = (
            position(&text, at, enc),
            position(&text, at + "⟨target⟩".len(), enc),
        );
        assert_eq!(range_of(&r["range"]), expected, "{enc:?}");

        let actions = c.call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": pos((0, 0)), "end": pos((0, 0))},
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        );
        assert_eq!(actions[0]["kind"], "source.fixAll.goalframe");
        let edits: Vec<_> = actions[0]["edit"]["changes"][uri]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let (s, t) = range_of(&e["range"]);
                (s, t, e["newText"].as_str().unwrap().to_string())
            })
            .collect();
        let fixed = apply_edits(&text, &edits, enc);
        assert!(fixed.contains("**Time-bound:** 2027-06-30"), "{enc:?}");
        assert!(!fixed.contains("2027-05-31"));
        c.shut_down();
        let _ = child.wait();
    }
}

#[test]
fn pull_diagnostics_over_stdio_list_an_unopened_file() {
    let dir = support::scratch("lsp-pull");
    std::fs::write(dir.join("carol.md"), "# Carol 😀\n\n中文 ⟨target⟩\n").unwrap();
    std::fs::write(dir.join("skip.md"), "⟨target⟩\n").unwrap();
    std::fs::write(dir.join(".gitignore"), "skip.md\n").unwrap();
    let (mut child, mut c) = start(&dir);
    let mut params = init_params(Some(&["utf-8"]), true);
    params["capabilities"]["textDocument"]["diagnostic"] = json!({});
    let root = format!("file://{}", dir.display());
    params["workspaceFolders"] = json!([{"uri": root, "name": "w"}]);
    let init = c.initialize(params);
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    let r = c.call("workspace/diagnostic", json!({"previousResultIds": []}));
    let items: &Vec<Value> = r["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{r}");
    assert!(items[0]["uri"].as_str().unwrap().ends_with("/carol.md"));
    let text = std::fs::read_to_string(dir.join("carol.md")).unwrap();
    let at = text.find('⟨').unwrap();
    assert_eq!(
        range_of(&items[0]["items"][0]["range"]),
        (
            position(&text, at, Enc::Utf8),
            position(&text, at + "⟨target⟩".len(), Enc::Utf8)
        )
    );
    let again = c.call(
        "workspace/diagnostic",
        json!({"previousResultIds": [{"uri": items[0]["uri"], "value": items[0]["resultId"]}]}),
    );
    assert_eq!(again["items"][0]["kind"], "unchanged");
    c.shut_down();
    let _ = child.wait();
}

#[test]
fn date_completion_and_slot_hover_over_stdio() {
    let dir = support::scratch("lsp-dates");
    let frame = smart(&dir);
    let text = format!(
        "---\ncycle: FY2027 H1\ncycle_start: 2027-01-01\ncycle_end: 2027-06-30\n---\n# 😀 年度\n\n{}",
        frame.replacen(SMART_ROW, "from 中文 1 to 20 deals by 2027-05-31", 1)
    );
    for (offered, enc) in [(Some(&["utf-8"][..]), Enc::Utf8), (None, Enc::Utf16)] {
        let (mut child, mut c) = start(&dir);
        c.initialize_and_settle(init_params(offered, true));
        let uri = "file:///w/dates.md";
        c.open(uri, "markdown", 1, &text);
        c.diagnostics(uri, 1);
        let at = text.find("**Time-bound:** ⟨date⟩").unwrap() + "**Time-bound:** ".len() + 3;
        let r = c.completion(uri, position(&text, at, enc));
        assert_eq!(r["items"][0]["label"], "2027-05-31 — the goal's other date");
        assert_eq!(
            r["items"][1]["label"],
            "2027-06-30 — end of cycle FY2027 H1"
        );
        let at = text.find("20 deals").unwrap();
        let h = c.hover(uri, position(&text, at + 1, enc));
        assert_eq!(h["contents"]["value"], "target: 20 deals");
        assert_eq!(
            range_of(&h["range"]),
            (
                position(&text, at, enc),
                position(&text, at + "20 deals".len(), enc)
            )
        );
        let at = text.find("2027-05-31").unwrap();
        let h = c.hover(uri, position(&text, at, enc));
        assert!(
            h["contents"]["value"]
                .as_str()
                .unwrap()
                .starts_with("due 2027-05-31 — end of May 2027"),
            "{h}"
        );
        c.shut_down();
        let _ = child.wait();
    }
}
