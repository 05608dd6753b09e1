//! In-process tests of the language server: the real `Backend` behind
//! tower-lsp's `Server`, on its own thread and runtime, driven over an
//! in-memory pipe with real JSON-RPC framing by the one test client the
//! stdio tests use too (`tests/support/lsp_client.rs`). Expected positions
//! are computed by the test from the strings (`tests/support/lsp_text.rs`),
//! never by the server's own conversion code.

use std::io::Write;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio_util::io::SyncIoBridge;

use goalframe::analysis::DocKind;
use goalframe::render::{self, Form, Frame, Markup, Selection};

use super::state::State;

// The binary includes the benchmarks' generator too, and with it the one
// seeded generator this module includes: the same file twice, harmless.
#[allow(clippy::duplicate_mod)]
#[path = "../../../tests/support/mod.rs"]
pub(super) mod support;
use support::expand_snippet;
use support::fixture::{fixture, Fixture};
use support::lsp_client::{
    frame, init_params, pos, range, range_of, read_message, LspClient, WAIT,
};
use support::lsp_text::{
    apply_edits, core_diagnostics, end_placeholder, position, random_edit, random_edit_with, Enc,
};
use support::rng::Rng;

pub(super) const SMART_MARKER: &str = "<!-- goalframe: account-executive-field-sales/P2 smart -->";

/// The test client connected to a server of its own, with a handle on the
/// server's state for exact comparisons.
pub(super) struct TestClient {
    client: LspClient,
    state: Arc<Mutex<State>>,
}

impl Deref for TestClient {
    type Target = LspClient;
    fn deref(&self) -> &LspClient {
        &self.client
    }
}

impl DerefMut for TestClient {
    fn deref_mut(&mut self) -> &mut LspClient {
        &mut self.client
    }
}

impl TestClient {
    pub(super) fn start() -> TestClient {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the server");
        let handle = runtime.handle().clone();
        // The server as `goalframe lsp` runs it: the stdin pump, tower-lsp
        // and the writer thread (`output`), over the pipe.
        let (read, write) = tokio::io::split(server_end);
        let (out, _writer) =
            super::output::start(SyncIoBridge::new_with_handle(write, handle.clone()));
        let (service, socket) = super::service(out.clone());
        let state = service.0.backend().state.clone();
        std::thread::spawn(move || {
            runtime.block_on(super::serve(read, service, socket, &out));
        });
        // The pipe is in memory: the client's blocking reads and writes
        // only wait for the server's task, which its own thread drives.
        let (read, write) = tokio::io::split(client_end);
        let client = LspClient::new(
            SyncIoBridge::new_with_handle(read, handle.clone()),
            SyncIoBridge::new_with_handle(write, handle),
        );
        TestClient { client, state }
    }

    /// `initialize`, `initialized`, and the server's settings applied.
    fn initialize(&mut self, params: Value) -> Value {
        self.client.initialize_and_settle(params)
    }

    /// The server's copy of a document.
    pub(super) fn server_text(&self, uri: &str) -> Option<String> {
        let st = self.state.lock().unwrap();
        st.docs
            .iter()
            .find(|(u, _)| u.as_str() == uri)
            .map(|(_, d)| d.session.text().to_string())
    }
}

/// The LSP range of the `n`-th occurrence of `needle` in `text`.
pub(super) fn find_range(text: &str, needle: &str, n: usize, enc: Enc) -> ((u32, u32), (u32, u32)) {
    let at = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} #{n} in {text:?}"))
        .0;
    (
        position(text, at, enc),
        position(text, at + needle.len(), enc),
    )
}

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

pub(super) fn started(encodings: Option<&[&str]>, snippets: bool) -> TestClient {
    let mut c = TestClient::start();
    c.initialize(init_params(encodings, snippets));
    c
}

pub(super) fn embedded_text(frame: Frame, markup: Markup) -> String {
    let canon = goalframe::canon::load_embedded().expect("embedded canon");
    let ral = canon.role_at("ae", "P2").expect("ae/P2");
    render::render_insert(
        ral,
        Selection::One(frame),
        Form {
            markup,
            snippet: false,
        },
    )
    .expect("render")
}

#[test]
fn initialize_negotiates_the_position_encoding_and_announces_capabilities() {
    for (offered, expected) in [
        (Some(&["utf-8", "utf-16"][..]), "utf-8"),
        (Some(&["utf-16", "utf-8"][..]), "utf-8"),
        (Some(&["utf-16"][..]), "utf-16"),
        (Some(&["utf-32"][..]), "utf-16"),
        (None, "utf-16"),
    ] {
        let mut c = TestClient::start();
        let r = c.call("initialize", init_params(offered, true));
        let caps = &r["capabilities"];
        assert_eq!(caps["positionEncoding"], expected, "offered {offered:?}");
        assert_eq!(caps["textDocumentSync"]["change"], 2);
        assert_eq!(caps["textDocumentSync"]["openClose"], true);
        assert_eq!(
            caps["completionProvider"]["triggerCharacters"],
            json!(["@", "/"])
        );
        assert_eq!(caps["hoverProvider"], true);
        assert_eq!(
            caps["codeActionProvider"]["codeActionKinds"],
            json!(["quickfix", "source.fixAll.goalframe"])
        );
        assert_eq!(
            caps["executeCommandProvider"]["commands"],
            json!(["goalframe.render", "goalframe.canon", "goalframe.export"])
        );
        assert_eq!(
            r["serverInfo"],
            json!({"name": "goalframe", "version": env!("CARGO_PKG_VERSION")})
        );
    }
}

#[test]
fn placeholder_columns_are_exact_after_emoji_and_cjk_in_both_encodings() {
    let text = "x\r\n😀中文 ⟨target⟩ and 🎉⟨date⟩\n";
    for (offered, enc) in [
        (Some(&["utf-8", "utf-16"][..]), Enc::Utf8),
        (None, Enc::Utf16),
    ] {
        let mut c = started(offered, true);
        c.open("file:///w/cols.md", "markdown", 1, text);
        let diags = c.diagnostics("file:///w/cols.md", 1);
        let expected: Vec<_> = ["⟨target⟩", "⟨date⟩"]
            .iter()
            .map(|p| {
                let at = text.find(p).unwrap();
                let line_start = text[..at].rfind('\n').unwrap() + 1;
                let before = &text[line_start..at];
                let (a, b) = match enc {
                    Enc::Utf8 => (before.len(), before.len() + p.len()),
                    Enc::Utf16 => (
                        before.encode_utf16().count(),
                        before.encode_utf16().count() + p.encode_utf16().count(),
                    ),
                };
                ((1, a as u32), (1, b as u32))
            })
            .collect();
        let got: Vec<_> = diags.iter().map(|d| range_of(&d["range"])).collect();
        assert_eq!(got, expected, "{enc:?}");
        assert_eq!(codes(&diags), ["unfilled-placeholder"; 2]);
        // The brief's worked example, spelled out.
        let start = got[0].0 .1;
        assert_eq!(start, if enc == Enc::Utf8 { 11 } else { 5 });
        for d in &diags {
            assert_eq!(d["source"], "goalframe");
            assert_eq!(d["severity"], 2);
        }
    }
}

#[test]
fn completion_offers_roles_then_levels_then_frames_in_markdown() {
    let mut c = started(Some(&["utf-16"]), true);
    let uri = "file:///w/goals.md";
    let text = "# Plan 😀\n\nrole 中文 @a\nlevel @ae/\n\n@ae/p2\n";
    c.open(uri, "markdown", 1, text);

    // Roles after `@`.
    let (s, e) = find_range(text, "@a", 0, Enc::Utf16);
    let r = c.completion(uri, e);
    let item = &r["items"][0];
    assert_eq!(item["label"], "Account Executive / Field Sales");
    assert_eq!(item["kind"], 9, "Module");
    assert_eq!(
        item["detail"],
        "Direct Sales / Quota-Carrying Sales · levels P2"
    );
    assert_eq!(
        item["textEdit"]["newText"],
        "@account-executive-field-sales/"
    );
    assert_eq!(range_of(&item["textEdit"]["range"]), (s, e));
    assert_eq!(item["command"]["command"], "editor.action.triggerSuggest");
    assert_eq!(r["isIncomplete"], false);

    // Levels after `@ae/`.
    let (s, e) = find_range(text, "@ae/", 0, Enc::Utf16);
    let r = c.completion(uri, e);
    let item = &r["items"][0];
    assert_eq!(item["label"], "P2 — Developing Professional");
    assert_eq!(
        item["textEdit"]["newText"],
        "@account-executive-field-sales/P2"
    );
    assert_eq!(range_of(&item["textEdit"]["range"]), (s, e));
    assert_eq!(item["command"]["command"], "editor.action.triggerSuggest");

    // Frames after `@ae/p2`.
    let (s, e) = find_range(text, "@ae/p2", 0, Enc::Utf16);
    let r = c.completion(uri, e);
    let items = r["items"].as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "SMART goals",
            "OKRs",
            "MBO areas",
            "Scorecard",
            "All frames"
        ]
    );
    for i in items {
        assert_eq!(i["insertTextFormat"], 2, "{}", i["label"]);
        assert_eq!(range_of(&i["textEdit"]["range"]), (s, e), "{}", i["label"]);
        assert_eq!(i["filterText"], "@ae/p2");
        assert!(i.get("command").is_none(), "frames do not retrigger");
    }
    let smart = items[0]["textEdit"]["newText"].as_str().unwrap();
    assert!(smart.contains("${1:⟨baseline⟩}"), "{smart}");
    let expanded = expand_snippet(smart).0;
    assert!(
        expanded.starts_with(&format!("{SMART_MARKER}\n")),
        "{expanded}"
    );
    assert_eq!(expanded, embedded_text(Frame::Smart, Markup::Markdown));
    // The cursor may sit anywhere inside the token: same range, same items.
    let mid = (e.0, e.1 - 2);
    let r = c.completion(uri, mid);
    assert_eq!(range_of(&r["items"][0]["textEdit"]["range"]), (s, e));
}

#[test]
fn clients_without_snippets_get_plain_text_and_text_documents_get_the_text_form() {
    let mut c = started(None, false);
    let md = "file:///w/a.md";
    c.open(md, "markdown", 1, "@ae/p2");
    let r = c.completion(md, (0, 6));
    let smart = &r["items"][0];
    assert_eq!(smart["insertTextFormat"], 1);
    let new_text = smart["textEdit"]["newText"].as_str().unwrap();
    assert!(!new_text.contains("${"), "{new_text}");
    assert_eq!(new_text, embedded_text(Frame::Smart, Markup::Markdown));

    let txt = "file:///w/notes.txt";
    c.open(txt, "plaintext", 1, "goals: @ae/p2");
    let r = c.completion(txt, (0, 13));
    let smart = &r["items"][0];
    // Text before the token stays; the frame starts on the next line.
    assert_eq!(range_of(&smart["textEdit"]["range"]), ((0, 0), (0, 13)));
    let new_text = smart["textEdit"]["newText"].as_str().unwrap();
    let new_text = new_text
        .strip_prefix("goals:\n")
        .unwrap_or_else(|| panic!("{new_text}"));
    assert!(
        new_text.starts_with("SMART goals — Account Executive / Field Sales — P2\n\n"),
        "{new_text}"
    );
    assert_eq!(new_text, embedded_text(Frame::Smart, Markup::Text));
    assert!(!new_text.contains("<!--"));

    // Snippet client, plain-text document: text form as a snippet.
    let mut c = started(None, true);
    c.open(txt, "plaintext", 1, "@ae/p2");
    let r = c.completion(txt, (0, 6));
    let smart = &r["items"][0];
    assert_eq!(smart["insertTextFormat"], 2);
    let expanded = expand_snippet(smart["textEdit"]["newText"].as_str().unwrap()).0;
    assert_eq!(expanded, embedded_text(Frame::Smart, Markup::Text));
}

#[test]
fn diagnostics_carry_the_version_and_are_cleared_on_close() {
    let mut c = started(None, true);
    let uri = "file:///w/v.md";
    c.open(uri, "markdown", 7, "⟨target⟩ @nobody/p2 @ae/p9\n");
    let d = c.diagnostics(uri, 7);
    assert_eq!(
        codes(&d),
        ["unfilled-placeholder", "unknown-role", "unknown-level"]
    );
    assert_eq!(d[1]["severity"], 1);
    assert_eq!(range_of(&d[1]["range"]), ((0, 9), (0, 19)));
    assert!(d[2]["message"].as_str().unwrap().contains("P2"), "{}", d[2]);

    // Fill the placeholder: version 8 has one diagnostic fewer.
    c.change(uri, 8, (0, 0), (0, 8), "12");
    let d = c.diagnostics(uri, 8);
    assert_eq!(codes(&d), ["unknown-role", "unknown-level"]);
    assert_eq!(range_of(&d[0]["range"]), ((0, 3), (0, 13)));

    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let d = c.diagnostics_where(uri, None, |_| true);
    assert!(d.is_empty());
    assert!(c.server_text(uri).is_none());
}

#[test]
fn hover_describes_tokens_and_marker_lines() {
    let mut c = started(None, true);
    let uri = "file:///w/h.md";
    let text = format!("😀 @ae/p2 here\n{SMART_MARKER}\n");
    c.open(uri, "markdown", 1, &text);
    let h = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos((0, 5))}),
    );
    assert_eq!(h["contents"]["kind"], "markdown");
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("Account Executive / Field Sales"), "{md}");
    assert!(md.contains("P2 — Developing Professional"), "{md}");
    assert!(md.contains("Defined deliverables / small features"), "{md}");
    assert_eq!(
        range_of(&h["range"]),
        find_range(&text, "@ae/p2", 0, Enc::Utf16)
    );

    let h = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos((1, 20))}),
    );
    assert!(h["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Account Executive / Field Sales"));
    assert_eq!(h["range"]["start"], pos((1, 0)));
    assert_eq!(h["range"]["end"]["line"], 1);

    // Plain words: no hover.
    let h = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos((0, 12))}),
    );
    assert!(h.is_null());
}

#[test]
fn execute_command_renders_and_describes_the_canon() {
    let mut c = started(None, true);
    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.render",
                   "arguments": [{"role": "ae", "level": "p2", "frame": "smart", "form": "text"}]}),
    );
    let text = r.as_str().unwrap();
    assert!(text.starts_with("SMART goals — Account Executive / Field Sales — P2\n\n1. Manages"));
    assert_eq!(text, embedded_text(Frame::Smart, Markup::Text));

    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.render",
                   "arguments": [{"role": "Account Executive / Field Sales", "level": "P2",
                                  "frame": "okr", "snippet": true}]}),
    );
    let snippet = r.as_str().unwrap();
    assert!(snippet.contains("${"));
    assert_eq!(
        expand_snippet(snippet).0,
        embedded_text(Frame::Okr, Markup::Markdown)
    );

    let r = c.request(
        "workspace/executeCommand",
        json!({"command": "goalframe.render",
                   "arguments": [{"role": "account-executiv-field-sales", "level": "P2"}]}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("account-executive-field-sales"));

    let r = c.request(
        "workspace/executeCommand",
        json!({"command": "goalframe.nope", "arguments": []}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");

    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.canon", "arguments": []}),
    );
    assert_eq!(r["sources"], json!(["<embedded>"]));
    assert_eq!(r["roleCount"], 1);
    assert_eq!(r["roleLevelCount"], 1);
    assert_eq!(r["errors"], json!([]));
    // The frames the editors' pickers offer, in completion's order, each
    // a key `goalframe.render` accepts.
    let frames: Vec<(String, String)> = r["frames"]
        .as_array()
        .expect("frames")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().into(),
                f["label"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        frames,
        Selection::EVERY
            .iter()
            .map(|s| (s.key().to_string(), s.label().to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(frames.last().map(|f| f.0.as_str()), Some("all"));
    // The export formats the pickers offer: the command line's names.
    let formats: Vec<(&str, &str, &str)> = r["exportFormats"]
        .as_array()
        .expect("exportFormats")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap(),
                f["label"].as_str().unwrap(),
                f["extension"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        formats,
        [
            ("json", "JSON", "json"),
            ("csv", "CSV", "csv"),
            ("culture-amp", "Culture Amp", "csv"),
            ("betterworks", "Betterworks", "csv")
        ]
    );
    for (id, _) in &frames {
        let rendered = c.call(
            "workspace/executeCommand",
            json!({"command": "goalframe.render",
                       "arguments": [{"role": "ae", "level": "p2", "frame": id}]}),
        );
        assert!(
            rendered.as_str().is_some_and(|t| !t.is_empty()),
            "{id}: {rendered}"
        );
    }
    let role = &r["roles"][0];
    assert_eq!(role["id"], "account-executive-field-sales");
    assert_eq!(role["title"], "Account Executive / Field Sales");
    assert_eq!(role["family"], "Direct Sales / Quota-Carrying Sales");
    assert_eq!(
        role["aliases"],
        json!(["ae", "account executive", "field sales"])
    );
    assert_eq!(
        role["levels"],
        json!([{"code": "P2", "name": "Developing Professional"}])
    );
}

/// Applies a `WorkspaceEdit` (the `changes` form) for `uri` to `text`.
fn apply_workspace_edit(text: &str, edit: &Value, uri: &str, enc: Enc) -> String {
    let edits: Vec<_> = edit["changes"][uri]
        .as_array()
        .unwrap_or_else(|| panic!("edit for {uri}: {edit}"))
        .iter()
        .map(|e| {
            let (s, t) = range_of(&e["range"]);
            (s, t, e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    apply_edits(text, &edits, enc)
}

#[test]
fn quick_fix_replaces_an_unknown_role_and_the_diagnostic_goes_away() {
    for (offered, enc) in [(Some(&["utf-8"][..]), Enc::Utf8), (None, Enc::Utf16)] {
        let mut c = started(offered, true);
        let uri = "file:///w/fix.md";
        let text = "中文 😀 goals for @acount-executive-field-sales/P2 and @ae/P7\n";
        c.open(uri, "markdown", 1, text);
        let d = c.diagnostics(uri, 1);
        assert_eq!(codes(&d), ["unknown-role", "unknown-level"], "{enc:?}");
        let token = "@acount-executive-field-sales/P2";
        assert_eq!(range_of(&d[0]["range"]), find_range(text, token, 0, enc));

        let actions = c.call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d[0]["range"],
                       "context": {"diagnostics": [d[0]]}}),
        );
        let fix = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["isPreferred"] == true)
            .unwrap_or_else(|| panic!("a preferred quick fix: {actions}"));
        assert_eq!(fix["kind"], "quickfix");
        assert_eq!(fix["diagnostics"][0]["code"], "unknown-role");
        let fixed = apply_workspace_edit(text, &fix["edit"], uri, enc);
        assert_eq!(
            fixed,
            "中文 😀 goals for @account-executive-field-sales/P2 and @ae/P7\n"
        );
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
        );
        let d = c.diagnostics(uri, 2);
        assert_eq!(codes(&d), ["unknown-level"]);

        // And the level fix for the other one.
        let actions = c.call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d[0]["range"],
                       "context": {"diagnostics": d}}),
        );
        let fix = &actions[0];
        assert_eq!(fix["title"], "Replace with `P2`");
        let fixed2 = apply_workspace_edit(&fixed, &fix["edit"], uri, enc);
        assert!(fixed2.ends_with("@ae/P2\n"), "{fixed2}");
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": fixed2}]}),
        );
        assert!(c.diagnostics(uri, 3).is_empty());
    }
}

/// A client that takes versioned edits (`documentChanges`: VS Code,
/// Neovim, eglot) gets each fix for the version it was made from, so that
/// one chosen after more typing is refused rather than applied at the
/// wrong place; the edits are those of the plain form.
#[test]
fn fixes_name_the_document_version_they_were_made_for() {
    let mut c = TestClient::start();
    let mut params = init_params(None, true);
    params["capabilities"]["workspace"] = json!({"workspaceEdit": {"documentChanges": true}});
    c.initialize(params);
    let uri = "file:///w/versioned.md";
    // A quick fix (the role's name) and a safe one (a zero-width space
    // in a filled baseline), for the quick fix and fix-all.
    let smart = embedded_text(Frame::Smart, Markup::Markdown).replacen(
        "from ⟨baseline⟩",
        "from 1\u{200b}2 deals",
        1,
    );
    let text = format!("goals for @acount-executive-field-sales/P2\n\n{smart}");
    c.open(uri, "markdown", 1, &text);
    c.diagnostics(uri, 1);
    let text = format!("中文 😀\n{text}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 7}, "contentChanges": [{"text": text}]}),
    );
    let d = c.diagnostics(uri, 7);
    assert_eq!(codes(&d)[0], "unknown-role");
    assert!(codes(&d).contains(&"hidden-character"), "{d:?}");
    let fixed = [
        text.replacen("@acount", "@account", 1),
        text.replacen('\u{200b}', "", 1),
    ];
    for (only, fixed) in [json!(["quickfix"]), json!(["source.fixAll"])]
        .iter()
        .zip(fixed)
    {
        let actions = c.call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d[0]["range"],
                   "context": {"diagnostics": [d[0]], "only": only}}),
        );
        let edit = &actions[0]["edit"];
        assert!(edit.get("changes").is_none(), "{edit}");
        let change = &edit["documentChanges"][0];
        assert_eq!(
            change["textDocument"],
            json!({"uri": uri, "version": 7}),
            "{only}"
        );
        let plain = json!({"changes": {uri: change["edits"]}});
        assert_eq!(
            apply_workspace_edit(&text, &plain, uri, Enc::Utf16),
            fixed,
            "{only}"
        );
    }
}

/// "Insert the missing frames" is offered where the cursor is in a block
/// of that role and level, and nowhere else (it was offered for every
/// role and level in the document on every move of the cursor: 96 MB of
/// actions in a document of 12,000 role levels).
#[test]
fn the_missing_frames_are_offered_in_a_block_of_their_role_only() {
    let mut c = started(None, true);
    let uri = "file:///w/missing.md";
    let okr = embedded_text(Frame::Okr, Markup::Markdown);
    let text = format!("# Review\n\nNotes first.\n\n{okr}\n\n## Notes\n\nNotes after.\n");
    c.open(uri, "markdown", 1, &text);
    c.diagnostics(uri, 1);
    let titles = |c: &mut TestClient, line: u32, to: u32| -> Vec<String> {
        let actions = c.call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range((line, 0), (to, 0)),
                       "context": {"diagnostics": []}}),
        );
        actions
            .as_array()
            .expect("actions")
            .iter()
            .map(|a| a["title"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let insert = "Insert the missing frames for account-executive-field-sales/P2: SMART goals, MBO areas, Scorecard";
    let lines = text.lines().count() as u32;
    assert_eq!(titles(&mut c, 2, 2), Vec::<String>::new(), "on the notes");
    assert_eq!(titles(&mut c, 6, 6), [insert], "in the block");
    assert_eq!(titles(&mut c, lines - 1, lines - 1), Vec::<String>::new());
    // A range, either way round, that reaches into the block.
    assert_eq!(titles(&mut c, 2, 5), [insert]);
    assert_eq!(titles(&mut c, 5, 2), [insert]);
}

#[test]
fn out_of_range_positions_are_clamped_and_never_crash() {
    let mut c = started(None, true);
    let uri = "file:///w/oor.md";
    c.open(uri, "markdown", 1, "first 😀\nlevel @ae/");
    c.diagnostics(uri, 1);

    // Past the end of the document: the document's end, after `@ae/`.
    let r = c.completion(uri, (999, 999));
    assert_eq!(
        r["items"][0]["label"], "P2 — Developing Professional",
        "{r}"
    );
    assert_eq!(
        range_of(&r["items"][0]["textEdit"]["range"]),
        ((1, 6), (1, 10))
    );
    // Inside 😀's surrogate pair (UTF-16 unit 7 of `first 😀`): no token,
    // no crash.
    let r = c.completion(uri, (0, 7));
    assert!(r.is_null(), "{r}");
    // Past the end of line 1: the line's end, i.e. after `@ae/`.
    let r = c.completion(uri, (1, 999));
    assert_eq!(r["items"][0]["label"], "P2 — Developing Professional");
    assert_eq!(
        range_of(&r["items"][0]["textEdit"]["range"]),
        ((1, 6), (1, 10))
    );
    let h = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos((999, 999))}),
    );
    assert!(h.is_null());
    let a = c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range((999, 999), (1000, 0)),
                   "context": {"diagnostics": []}}),
    );
    assert!(a.as_array().is_some());

    // Edits past the end of a line / of the document land at the end.
    c.change(uri, 2, (0, 999), (0, 999), " ⟨x⟩");
    c.change(uri, 3, (999, 999), (999, 999), "p2");
    let d = c.diagnostics(uri, 3);
    assert_eq!(c.server_text(uri).unwrap(), "first 😀 ⟨x⟩\nlevel @ae/p2");
    assert_eq!(codes(&d), ["unfilled-placeholder"]);
    assert_eq!(range_of(&d[0]["range"]), ((0, 9), (0, 12)));
    // A reversed range is taken as the range it spans.
    c.change(uri, 4, (0, 12), (0, 8), "");
    c.diagnostics(uri, 4);
    assert_eq!(c.server_text(uri).unwrap(), "first 😀\nlevel @ae/p2");
    // Requests for documents the server never saw.
    let r = c.completion("file:///w/never.md", (0, 0));
    assert!(r.is_null());
    // Still serving.
    let r = c.completion(uri, (1, 12));
    assert_eq!(r["items"][0]["label"], "SMART goals");
}

#[test]
fn settings_from_initialization_options() {
    let mut c = TestClient::start();
    let mut params = init_params(None, true);
    params["initializationOptions"] = json!({"severity": {"unfilled-placeholder": "off"}});
    c.initialize(params);
    let uri = "file:///w/s.md";
    c.open(uri, "markdown", 1, "⟨target⟩ by ⟨date⟩ for @nobody/p2\n");
    let d = c.diagnostics(uri, 1);
    assert_eq!(codes(&d), ["unknown-role"]);

    // Options the server cannot use are reported, and it still works with
    // its defaults.
    let mut c = TestClient::start();
    let mut params = init_params(None, true);
    params["initializationOptions"] = json!({"severity": {"unfilled-placeholder": "loud"}});
    c.initialize(params);
    let m = c.recv_where("showMessage about initializationOptions", |m| {
        m["method"] == "window/showMessage"
    });
    assert_eq!(m["params"]["type"], 1);
    let msg = m["params"]["message"].as_str().unwrap();
    assert!(
        msg.contains("initializationOptions") && msg.contains("loud"),
        "{msg}"
    );
    c.open(uri, "markdown", 1, "⟨target⟩\n");
    assert_eq!(codes(&c.diagnostics(uri, 1)), ["unfilled-placeholder"]);

    // Without the option, the same document has both placeholders.
    let mut c = started(None, true);
    c.open(uri, "markdown", 1, "⟨target⟩ by ⟨date⟩ for @nobody/p2\n");
    let d = c.diagnostics(uri, 1);
    assert_eq!(
        codes(&d),
        [
            "unfilled-placeholder",
            "unfilled-placeholder",
            "unknown-role"
        ]
    );
}

#[test]
fn settings_pulled_with_workspace_configuration() {
    let mut c = TestClient::start();
    c.set_config(json!({"severity": {"unfilled-placeholder": "off", "unknown-role": "hint"}}));
    let mut params = init_params(None, true);
    params["capabilities"]["workspace"] = json!({"configuration": true});
    c.initialize(params);
    let asked = c.configuration_request();
    assert_eq!(asked["params"]["items"][0]["section"], "goalframe");

    let uri = "file:///w/pull.md";
    c.open(uri, "markdown", 1, "⟨target⟩ @nobody/p2\n");
    let d = c.diagnostics(uri, 1);
    assert_eq!(codes(&d), ["unknown-role"]);
    assert_eq!(d[0]["severity"], 4);

    // The user changes the settings: the server pulls again and republishes.
    c.set_config(json!({"severity": {"unknown-role": "off"}}));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let d = c.diagnostics_where(uri, Some(1), |d| {
        d.iter().any(|x| x["code"] == "unfilled-placeholder")
    });
    assert_eq!(codes(&d), ["unfilled-placeholder"]);

    // `null` means no settings at all: defaults again.
    c.set_config(Value::Null);
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    let d = c.diagnostics_where(uri, Some(1), |d| d.len() == 2);
    assert_eq!(codes(&d), ["unfilled-placeholder", "unknown-role"]);
}

#[test]
fn settings_pushed_with_did_change_configuration() {
    let mut c = started(None, true);
    let uri = "file:///w/push.md";
    c.open(uri, "markdown", 1, "⟨target⟩ @nobody/p2\n");
    let d = c.diagnostics(uri, 1);
    assert_eq!(codes(&d), ["unfilled-placeholder", "unknown-role"]);

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"goalframe": {"severity": {"unfilled-placeholder": "off"}}}}),
    );
    let d = c.diagnostics_where(uri, Some(1), |d| d.len() == 1);
    assert_eq!(codes(&d), ["unknown-role"]);

    // The settings object itself is accepted too; a new placeholder
    // look-alike is flagged at "error".
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"placeholders": ["TBD"],
                            "severity": {"unfilled-placeholder": "error"}}}),
    );
    c.change(uri, 2, (1, 0), (1, 0), "TBD");
    let d = c.diagnostics_where(uri, Some(2), |d| {
        d.iter()
            .filter(|x| x["code"] == "unfilled-placeholder")
            .count()
            == 2
    });
    assert_eq!(
        codes(&d),
        [
            "unfilled-placeholder",
            "unknown-role",
            "unfilled-placeholder"
        ]
    );
    assert_eq!(d[0]["severity"], 1);
    assert_eq!(range_of(&d[2]["range"]), ((1, 0), (1, 3)));

    // A bad setting is reported to the user, not fatal.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"severity": {"no-such-code": "error"}}}),
    );
    let m = c.recv_where("showMessage about the bad setting", |m| {
        m["method"] == "window/showMessage"
    });
    assert_eq!(m["params"]["type"], 1);
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-code"),
        "{m}"
    );
    let r = c.completion(uri, (0, 19));
    assert!(r.is_null() || r["items"].is_array());
}

/// The random tests' seed: `default`, or `GOALFRAME_LSP_SEED=<n>` to
/// explore other sequences (a failure names its seed, to replay it).
fn seed_from_env(default: u64) -> u64 {
    std::env::var("GOALFRAME_LSP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// 400 random incremental edits sent back-to-back, then the server's
/// text must equal the client's.
fn random_edits_keep_the_server_text_identical(offered: Option<&[&str]>, enc: Enc, seed: u64) {
    let seed = seed_from_env(seed);
    let mut c = started(offered, true);
    let uri = "file:///w/random.txt";
    let mut doc = String::from("start ⟨x⟩ 中文\n😀 line\r\nend");
    c.open(uri, "plaintext", 1, &doc);
    let mut rng = Rng::new(seed);
    for v in 2..=401 {
        let e = random_edit(&mut rng, &mut doc, enc);
        c.change(uri, v, e.start, e.end, &e.text);
    }
    // And a placeholder at a known place: the end.
    let end = position(&doc, doc.len(), enc);
    c.change(uri, 402, end, end, "⟨end⟩");
    doc.push_str("⟨end⟩");
    // The final version's diagnostics mean every change was applied.
    let d = c.diagnostics(uri, 402);
    // Diagnostics were published in version order, so an editor showing
    // the last ones it received shows the current ones. (A round trip
    // first, so anything published late has arrived.)
    let before = c.stashed();
    c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.canon"}),
    );
    let all = c.drain();
    let version = |m: &Value| {
        (m["method"] == "textDocument/publishDiagnostics")
            .then(|| m["params"]["version"].as_i64().unwrap())
    };
    let in_arrival_order: Vec<i64> = all[..before]
        .iter()
        .filter_map(version)
        .chain([402])
        .chain(all[before..].iter().filter_map(version))
        .collect();
    assert!(
        in_arrival_order.windows(2).all(|w| w[0] < w[1]),
        "{enc:?}: versions published out of order: {in_arrival_order:?}"
    );
    let server = c.server_text(uri).unwrap();
    assert!(
        server == doc,
        "{enc:?} seed {seed}: the server's text differs\nserver: {server:?}\nclient: {doc:?}"
    );
    // And its diagnostics are the core analysis of that text.
    let expected = core_diagnostics(&doc, enc);
    let got: Vec<_> = d
        .iter()
        .map(|x| {
            let (s, e) = range_of(&x["range"]);
            (x["code"].as_str().unwrap().to_string(), s, e)
        })
        .collect();
    assert_eq!(got, expected, "{enc:?} seed {seed}");
    let at_end = end_placeholder(&doc, enc);
    assert_eq!(got.last(), Some(&at_end), "{enc:?} seed {seed}: {doc:?}");
}

#[test]
fn random_incremental_edits_in_utf16_keep_server_and_client_in_sync() {
    random_edits_keep_the_server_text_identical(None, Enc::Utf16, 0x5eed_0016);
}

#[test]
fn random_incremental_edits_in_utf8_keep_server_and_client_in_sync() {
    random_edits_keep_the_server_text_identical(Some(&["utf-8", "utf-16"]), Enc::Utf8, 0x5eed_0008);
}

/// What the markdown edits insert: block structure (markers, headings,
/// fences, quotes) besides the usual emoji, CJK and line endings.
const MARKDOWN_PIECES: &[&str] = &[
    "😀",
    "中文",
    "a",
    " ",
    "\n",
    "\r\n",
    "\n\n",
    "⟨target⟩",
    "⟨",
    "\"",
    "Deliver: \"",
    "# ",
    "## ",
    "```\n",
    "<!-- goalframe: account-executive-field-sales/P2 okr -->\n",
    "<!-- goalframe-disable-next-line -->\n",
    "@ae/p2",
    "@ae/p9 ",
    "@aee/p2 ",
    "*",
    "\\",
    "|",
];

/// After every one of 150 random edits to a markdown goal document, the
/// published diagnostics equal a from-scratch core analysis of the
/// client's text: whatever the server caches between edits, it never
/// shows stale or misplaced findings.
#[test]
fn diagnostics_after_every_edit_equal_a_full_analysis() {
    let mut c = started(None, true);
    let uri = "file:///w/live.md";
    let mut doc = format!(
        "# Team goals 😀\n\n{}\n\nNotes 中文 ⟨date⟩\n\n{}\n",
        embedded_text(Frame::Smart, Markup::Markdown),
        embedded_text(Frame::Scorecard, Markup::Markdown)
    );
    c.open(uri, "markdown", 1, &doc);
    let canon = goalframe::canon::load_embedded().unwrap();
    let settings = goalframe::config::Settings::default();
    let seed = seed_from_env(0x11fe);
    let mut rng = Rng::new(seed);
    let mut seen_codes = std::collections::BTreeSet::new();
    for v in 1..=151 {
        if v > 1 {
            let e = random_edit_with(&mut rng, &mut doc, Enc::Utf16, MARKDOWN_PIECES);
            c.change(uri, v, e.start, e.end, &e.text);
        }
        let d = c.diagnostics(uri, v);
        let expected: Vec<_> =
            goalframe::analysis::analyze(&doc, DocKind::Markdown, &canon, &settings)
                .iter()
                .map(|f| {
                    (
                        f.code.as_str().to_string(),
                        position(&doc, f.range.start, Enc::Utf16),
                        position(&doc, f.range.end, Enc::Utf16),
                        f.message.to_string(),
                    )
                })
                .collect();
        let got: Vec<_> = d
            .iter()
            .map(|x| {
                let (a, b) = range_of(&x["range"]);
                (
                    x["code"].as_str().unwrap().to_string(),
                    a,
                    b,
                    x["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(got, expected, "seed {seed}, version {v}; text {doc:?}");
        seen_codes.extend(expected.into_iter().map(|f| f.0));
    }
    assert_eq!(c.server_text(uri).unwrap(), doc);
    // The edits exercised more than placeholders.
    assert!(seen_codes.len() >= 4, "{seen_codes:?}");
}

// --- Canon reload -------------------------------------------------------

fn scratch(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir()
        .join("goalframe-lsp-tests")
        .join(format!(
            "{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn file_uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

const LEVELS: &str = r#"{"levels": [{"code": "L1", "name": "Level One",
  "dimensions": [{"name": "Scope", "text": "Small things"}]}]}"#;

fn role_json(title: &str, responsibility: &str) -> String {
    format!(
        r#"{{
  "roles": [
    {{
      "id": "widget-maker",
      "title": "{title}",
      "family": "Making",
      "aliases": ["wm"],
      "levels": {{ "L1": {{ "responsibilities": ["{responsibility}"] }} }}
    }}
  ]
}}
"#
    )
}

/// A canon file with more problems than an editor shows gets the first
/// 1,000 and a note on the rest, as a document does (a canon of 100,000
/// broken entries was one 22 MB message).
#[test]
fn a_canon_file_with_many_problems_gets_the_first_thousand_and_a_count() {
    let root = scratch("canon-many-problems");
    std::fs::create_dir_all(root.join("canon/roles")).unwrap();
    std::fs::write(root.join("canon/levels.json"), LEVELS).unwrap();
    let roles: Vec<String> = (0..1200)
        .map(|i| {
            format!(
                r#"{{"id": "r{i}", "title": "R{i}", "family": "F", "levels": {{"Z9": {{"responsibilities": ["x"]}}}}}}"#
            )
        })
        .collect();
    let role_file = root.join("canon/roles/many.json");
    std::fs::write(
        &role_file,
        format!("{{\"roles\": [\n{}\n]}}\n", roles.join(",\n")),
    )
    .unwrap();
    let mut c = TestClient::start();
    c.initialize(json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {},
        "initializationOptions": {"canon": [root.join("canon")]}
    }));
    let d = c.diagnostics_where(&file_uri(&role_file), None, |d| !d.is_empty());
    assert_eq!(d.len(), 1001);
    assert!(d[..1000].iter().all(|d| d["code"] == "canon-error"));
    assert_eq!(d[1000]["code"], "too-many-findings");
    let message = d[1000]["message"].as_str().unwrap();
    assert!(message.starts_with("200 more canon problems"), "{message}");
    assert!(message.contains("`goalframe canon check`"), "{message}");
    // At the first one left out: the 1,001st role's line.
    assert_eq!(d[1000]["range"]["start"]["line"], 1001);
}

#[test]
fn canon_reloads_on_watched_file_changes_and_keeps_the_last_good_canon() {
    let root = scratch("canon-reload");
    std::fs::write(root.join("goalframe.toml"), "canon = [\"canon\"]\n").unwrap();
    std::fs::create_dir_all(root.join("canon/roles")).unwrap();
    std::fs::write(root.join("canon/levels.json"), LEVELS).unwrap();
    let role_file = root.join("canon/roles/widget.json");
    std::fs::write(&role_file, role_json("Widget Maker", "Makes widgets.")).unwrap();

    let mut c = TestClient::start();
    c.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&root),
        "workspaceFolders": [{"uri": file_uri(&root), "name": "ws"}],
        "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": false}}}
        }
    }));
    let reg = c.recv_where("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    let r = &reg["params"]["registrations"][0];
    assert_eq!(r["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = r["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    let canon_glob = format!("{}/**/*.json", root.join("canon").display());
    assert_eq!(globs, ["**/goalframe.toml", canon_glob.as_str()]);

    let uri = "file:///w/team.md";
    c.open(uri, "markdown", 1, "@wm\n@wm/L1\n");
    let r = c.completion(uri, (0, 3));
    assert_eq!(r["items"][0]["label"], "Widget Maker");
    let r = c.completion(uri, (1, 6));
    assert!(r["items"][0]["textEdit"]["newText"]
        .as_str()
        .unwrap()
        .contains("Makes widgets."));

    // A new title and responsibility on disk: completions follow, no restart.
    std::fs::write(&role_file, role_json("Gadget Maker", "Makes gadgets.")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&role_file), "type": 2}]}),
    );
    c.recv_where("reload log line", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap()
                .starts_with("canon: ")
    });
    let r = c.completion(uri, (0, 3));
    assert_eq!(r["items"][0]["label"], "Gadget Maker");
    let r = c.completion(uri, (1, 6));
    let smart = r["items"][0]["textEdit"]["newText"].as_str().unwrap();
    assert!(smart.contains("Makes gadgets."), "{smart}");
    assert!(!smart.contains("Makes widgets."));

    // A misspelled key: the load fails, the last good canon stays.
    let broken = role_json("Gadget Maker", "Makes gadgets.").replace("\"title\"", "\"titel\"");
    std::fs::write(&role_file, &broken).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&role_file), "type": 2}]}),
    );
    let shown = c.recv_where("showMessage for the broken canon", |m| {
        m["method"] == "window/showMessage"
    });
    assert_eq!(shown["params"]["type"], 1);
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("keeping the last good canon"),
        "{shown}"
    );
    let role_uri = file_uri(&role_file);
    let d = c.diagnostics_where(&role_uri, None, |d| !d.is_empty());
    let bad_line = broken.lines().position(|l| l.contains("titel")).unwrap() as u32;
    let col = broken
        .lines()
        .nth(bad_line as usize)
        .unwrap()
        .find("\"titel\"")
        .unwrap() as u32;
    // Two problems: the unknown key (with a suggestion) and the missing one.
    let misspelled = d
        .iter()
        .find(|x| x["message"].as_str().unwrap().contains("titel"))
        .unwrap_or_else(|| panic!("a diagnostic on the misspelled key: {d:?}"));
    assert_eq!(misspelled["range"]["start"], pos((bad_line, col)), "{d:?}");
    assert_eq!(misspelled["code"], "canon-error");
    assert_eq!(misspelled["severity"], 1);
    assert!(
        misspelled["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `title`?"),
        "{d:?}"
    );
    assert!(d.iter().any(|x| x["message"]
        .as_str()
        .unwrap()
        .contains("missing required key `title`")));

    let r = c.completion(uri, (0, 3));
    assert_eq!(r["items"][0]["label"], "Gadget Maker");
    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.canon", "arguments": []}),
    );
    assert_eq!(r["roles"][0]["title"], "Gadget Maker");
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{r}");
    let e = errors
        .iter()
        .find(|e| e["message"].as_str().unwrap().contains("titel"))
        .unwrap_or_else(|| panic!("the misspelled key in errors: {r}"));
    assert_eq!(e["file"], role_file.display().to_string());
    assert_eq!(e["line"], bad_line as u64 + 1);
    assert_eq!(e["column"], col as u64 + 1);

    // Fixed again: the canon file's diagnostics are cleared.
    std::fs::write(&role_file, role_json("Gizmo Maker", "Makes gizmos.")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&role_file), "type": 2}]}),
    );
    let d = c.diagnostics_where(&role_uri, None, |d| d.is_empty());
    assert!(d.is_empty());
    let r = c.completion(uri, (0, 3));
    assert_eq!(r["items"][0]["label"], "Gizmo Maker");
    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.canon", "arguments": []}),
    );
    assert_eq!(r["errors"], json!([]));

    // `goalframe.toml` itself is watched: point it at another canon.
    std::fs::create_dir_all(root.join("canon2")).unwrap();
    std::fs::write(root.join("canon2/levels.json"), LEVELS).unwrap();
    std::fs::write(
        root.join("canon2/roles.json"),
        role_json("Doohickey Maker", "Makes doohickeys.")
            .replace("widget-maker", "doohickey-maker"),
    )
    .unwrap();
    std::fs::write(root.join("goalframe.toml"), "canon = [\"canon2\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("goalframe.toml")), "type": 2}]}),
    );
    let canon2_glob = format!("{}/**/*.json", root.join("canon2").display());
    c.recv_where("watchers for the new canon", |m| {
        m["method"] == "client/registerCapability"
            && m["params"]["registrations"][0]["registerOptions"]["watchers"][1]["globPattern"]
                == canon2_glob.as_str()
    });
    let r = c.completion(uri, (0, 3));
    assert_eq!(r["items"][0]["label"], "Doohickey Maker");
    assert_eq!(r["items"][0]["textEdit"]["newText"], "@doohickey-maker/");

    // `goalframe.toml` broken: the last good settings (and canon) stay,
    // and the error is reported, labelled with the file.
    std::fs::write(root.join("goalframe.toml"), "canon = [\"canon2\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("goalframe.toml")), "type": 2}]}),
    );
    let r = loop {
        let r = c.call(
            "workspace/executeCommand",
            json!({"command": "goalframe.canon", "arguments": []}),
        );
        if !r["settingsErrors"].as_array().is_some_and(|e| e.is_empty()) {
            break r;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let error = r["settingsErrors"][0].as_str().unwrap().to_string();
    assert!(error.contains("goalframe.toml"), "{error}");
    assert!(
        error.contains("the last settings that loaded stay in use"),
        "{error}"
    );
    let r = c.completion(uri, (0, 3));
    assert_eq!(
        r["items"][0]["label"], "Doohickey Maker",
        "the canon fell back"
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// A client that watches well (VS Code: dynamic registration, relative
/// patterns) is not asked to watch a canon directory that is not there:
/// the server watches for it from the folder above, reads it when it
/// comes, then hands it to the client (and reads it once more, for what
/// was written between).
#[test]
fn a_canon_directory_that_comes_later_is_watched_for_then_handed_to_the_client() {
    let root = scratch("canon-comes-later");
    std::fs::write(root.join("goalframe.toml"), "canon = [\"hr/canon\"]\n").unwrap();
    let (mut c, first) = watching_client(&root, true);
    assert_eq!(first, json!([{"globPattern": "**/goalframe.toml"}]));
    let uri = "file:///w/later.md";
    c.open(uri, "markdown", 1, "@wm\n");
    let canon = root.join("hr/canon");
    until(
        &mut c,
        uri,
        &|| write_canon(&canon, "Widget Maker"),
        "Widget Maker",
    );
    let pattern = json!({"globPattern": {"baseUri": file_uri(&std::fs::canonicalize(&canon).unwrap()), "pattern": "**/*.json"}});
    let (handed_at, reg) = c.recv_timed("the canon handed to the client", |m| {
        m["method"] == "client/registerCapability"
            && watchers(m).as_array().is_some_and(|w| w.len() == 2)
    });
    assert_eq!(
        watchers(&reg)[1]["globPattern"]["pattern"],
        pattern["globPattern"]["pattern"]
    );
    assert!(watchers(&reg)[1]["globPattern"]["baseUri"]
        .as_str()
        .is_some_and(|u| u.ends_with("/hr/canon")));
    // Read once more once the client has it: a canon load logged after
    // the hand-over (the load that found it came before).
    loop {
        let (at, _) = c.recv_timed("the canon read again after the hand-over", |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("canon: "))
        });
        if at > handed_at {
            break;
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// A workspace of several folders: each document is analysed with the
/// settings and canon of the innermost folder holding it (its
/// `goalframe.toml`, the settings pulled for it), else the first
/// folder's; commands take a document's folder; folders come and go.
#[test]
fn each_workspace_folder_has_its_own_settings_and_canon() {
    let ws = scratch("multi-root");
    for (dir, title) in [
        ("hr", "Widget Maker"),
        ("sales", "Gadget Maker"),
        ("ops", "Doohickey Maker"),
    ] {
        let root = ws.join(dir);
        std::fs::create_dir_all(root.join("canon")).unwrap();
        std::fs::write(root.join("canon/levels.json"), LEVELS).unwrap();
        std::fs::write(root.join("canon/roles.json"), role_json(title, "Makes.")).unwrap();
        std::fs::write(root.join("goalframe.toml"), "canon = [\"canon\"]\n").unwrap();
    }
    let (hr, sales, ops) = (ws.join("hr"), ws.join("sales"), ws.join("ops"));
    let mut c = TestClient::start();
    c.set_config(json!({
        "scoped": {file_uri(&sales): {"severity": {"unknown-role": "hint"}}},
        "default": null
    }));
    c.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&hr),
        "workspaceFolders": [
            {"uri": file_uri(&hr), "name": "hr"},
            {"uri": file_uri(&sales), "name": "sales"}
        ],
        "capabilities": {
            "workspace": {"configuration": true, "workspaceFolders": true},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": false}}}
        }
    }));
    let asked = c.configuration_request();
    let scopes: Vec<Value> = asked["params"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["scopeUri"].clone())
        .collect();
    assert_eq!(scopes, [json!(file_uri(&hr)), json!(file_uri(&sales))]);
    let in_hr = file_uri(&hr.join("a.md"));
    let in_sales = file_uri(&sales.join("team/b.md"));
    let in_ops = file_uri(&ops.join("c.md"));
    let elsewhere = "file:///w/d.md";
    for uri in [&in_hr, &in_sales, &in_ops, elsewhere] {
        c.open(uri, "markdown", 1, "@wm @nobody/L1\n");
    }
    // The settings pulled for a folder are its own.
    let severity = |c: &mut TestClient, uri: &str, want: i64| {
        c.diagnostics_where(uri, Some(1), |d| {
            d.iter()
                .any(|x| x["code"] == "unknown-role" && x["severity"] == want)
        });
    };
    severity(&mut c, &in_sales, 4);
    severity(&mut c, &in_hr, 1);
    until(&mut c, &in_hr, &|| {}, "Widget Maker");
    until(&mut c, &in_sales, &|| {}, "Gadget Maker");
    // Outside every folder (and in one not yet added): the first's.
    until(&mut c, elsewhere, &|| {}, "Widget Maker");
    assert_eq!(first_label(&mut c, &in_ops), "Widget Maker");
    // Commands name a document's folder.
    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.canon", "arguments": [{"uri": in_sales}]}),
    );
    assert_eq!(r["roles"][0]["title"], "Gadget Maker");
    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.canon", "arguments": []}),
    );
    assert_eq!(r["roles"][0]["title"], "Widget Maker");
    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.render", "arguments": [
            {"role": "wm", "level": "L1", "frame": "smart", "uri": in_sales}]}),
    );
    assert!(r.as_str().unwrap().contains("Gadget Maker"), "{r}");
    // A folder added: its documents take its canon; one removed: its
    // documents go back to the first folder's.
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(&ops), "name": "ops"}], "removed": []}}),
    );
    until(&mut c, &in_ops, &|| {}, "Doohickey Maker");
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [{"uri": file_uri(&sales), "name": "sales"}]}}),
    );
    until(&mut c, &in_sales, &|| {}, "Widget Maker");
    assert_eq!(first_label(&mut c, &in_ops), "Doohickey Maker");
    let _ = std::fs::remove_dir_all(&ws);
}

/// Settings answered late go to the folders they were asked for: a folder
/// removed and another added meanwhile (as many as before) must not take
/// the removed one's settings, and a folder still there takes its own.
#[test]
fn settings_answered_after_folders_changed_go_to_the_folders_asked_for() {
    let ws = scratch("late-settings");
    let (hr, sales, ops) = (ws.join("hr"), ws.join("sales"), ws.join("ops"));
    for root in [&hr, &sales, &ops] {
        std::fs::create_dir_all(root).unwrap();
    }
    let mut c = TestClient::start();
    c.hold("workspace/configuration");
    // Not waiting for the canon: it is applied once the settings are in.
    c.client.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&hr),
        "workspaceFolders": [
            {"uri": file_uri(&hr), "name": "hr"},
            {"uri": file_uri(&sales), "name": "sales"}
        ],
        "capabilities": {"workspace": {"configuration": true, "workspaceFolders": true}}
    }));
    let first = c.configuration_request();
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {
            "added": [{"uri": file_uri(&ops), "name": "ops"}],
            "removed": [{"uri": file_uri(&sales), "name": "sales"}]
        }}),
    );
    let second = c.configuration_request();
    let scopes = |m: &Value| -> Vec<Value> {
        let items = m["params"]["items"].as_array().unwrap();
        items.iter().map(|i| i["scopeUri"].clone()).collect()
    };
    assert_eq!(
        scopes(&second),
        [json!(file_uri(&hr)), json!(file_uri(&ops))]
    );
    let (in_hr, in_ops) = (file_uri(&hr.join("a.md")), file_uri(&ops.join("c.md")));
    c.open(&in_hr, "markdown", 1, "@nobody/P2\n");
    c.open(&in_ops, "markdown", 1, "@nobody/P2\n");
    // The first question answered only now: hr's and the removed sales's.
    let severity = |level: &str| json!({"severity": {"unknown-role": level}});
    c.answer(&first, json!([severity("hint"), severity("information")]));
    let unknown_role = |d: &[Value]| d.iter().find(|x| x["code"] == "unknown-role").cloned();
    c.diagnostics_where(&in_hr, Some(1), |d| {
        unknown_role(d).is_some_and(|x| x["severity"] == 4)
    });
    c.change(&in_ops, 2, (0, 0), (0, 0), " ");
    let ops_now = c.diagnostics_where(&in_ops, Some(2), |d| unknown_role(d).is_some());
    assert_eq!(
        unknown_role(&ops_now).unwrap()["severity"],
        1,
        "ops took sales's settings: {ops_now:?}"
    );
    let _ = std::fs::remove_dir_all(&ws);
}

/// An answer to an older settings question that comes after a newer
/// one's is stale: the newer settings stay.
#[test]
fn a_settings_answer_overtaken_by_a_newer_one_is_not_applied() {
    let ws = scratch("stale-settings");
    let mut c = TestClient::start();
    c.hold("workspace/configuration");
    c.client.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&ws),
        "capabilities": {"workspace": {"configuration": true}}
    }));
    let first = c.configuration_request();
    let doc = file_uri(&ws.join("a.md"));
    c.open(&doc, "markdown", 1, "@nobody/P2\n");
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let second = c.configuration_request();
    let severity = |level: &str| json!([{"severity": {"unknown-role": level}}]);
    let unknown_role = |d: &[Value]| -> Option<Value> {
        let found = d.iter().find(|x| x["code"] == "unknown-role");
        found.map(|x| x["severity"].clone())
    };
    c.answer(&second, severity("hint"));
    c.diagnostics_where(&doc, Some(1), |d| unknown_role(d) == Some(json!(4)));
    c.answer(&first, severity("information"));
    let after = c.diagnostics_where(
        &doc,
        Some(1),
        |d| matches!(unknown_role(d), Some(s) if s == 3 || s == 4),
    );
    assert_eq!(
        unknown_role(&after),
        Some(json!(4)),
        "the older answer won: {after:?}"
    );
    let _ = std::fs::remove_dir_all(&ws);
}

/// A folder holding three canons, `a`, `b` and `c`, each of one role.
fn three_canons(name: &str) -> PathBuf {
    let root = scratch(name);
    for (dir, title) in [
        ("a", "Widget Maker"),
        ("b", "Gadget Maker"),
        ("c", "Doohickey Maker"),
    ] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
        std::fs::write(root.join(dir).join("levels.json"), LEVELS).unwrap();
        std::fs::write(
            root.join(dir).join("roles.json"),
            role_json(title, "Makes."),
        )
        .unwrap();
    }
    root
}

/// Initializes `c` as a client that registers watchers, in `root`, with
/// its canon `a` ([`three_canons`]).
fn watching_from(c: &mut TestClient, root: &Path) {
    c.initialize(json!({
        "processId": null,
        "rootUri": file_uri(root),
        "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
        "initializationOptions": {"canon": [root.join("a")]}
    }));
}

/// Two settings changes handled at once tell the client their watchers
/// one after the other: an unregistration and its registration are
/// answered before the next change's are sent, and the last registration
/// is the latest settings'.
#[test]
fn watchers_are_registered_one_settings_change_at_a_time() {
    let root = three_canons("watch-in-turn");
    let mut c = TestClient::start();
    watching_from(&mut c, &root);
    let is = |m: &Value, method: &str| m["method"] == method;
    c.recv_where("the first watchers", |m| is(m, "client/registerCapability"));
    c.hold("client/unregisterCapability");
    c.hold("client/registerCapability");
    for dir in ["b", "c"] {
        c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"goalframe": {"canon": [root.join(dir)]}}}),
        );
    }
    let watch_requests =
        |m: &Value| is(m, "client/unregisterCapability") || is(m, "client/registerCapability");
    let latest = format!("{}/**/*.json", root.join("c").display());
    let mut last_globs = Vec::new();
    // Each request the client holds is the only one outstanding.
    while !last_globs.contains(&latest) {
        let asked = c.recv_where("a watcher request", watch_requests);
        std::thread::sleep(Duration::from_millis(300));
        let meanwhile: Vec<Value> = c.drain().into_iter().filter(watch_requests).collect();
        assert!(
            meanwhile.is_empty(),
            "sent before {asked} was answered: {meanwhile:?}"
        );
        if is(&asked, "client/registerCapability") {
            let watchers = &asked["params"]["registrations"][0]["registerOptions"]["watchers"];
            last_globs = watchers
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["globPattern"].as_str().unwrap().to_string())
                .collect();
        }
        c.answer(&asked, Value::Null);
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// A client that never answers the watchers' requests does not hold up
/// diagnostics: each settings change is published all the same.
#[test]
fn diagnostics_do_not_wait_for_the_watchers_requests_to_be_answered() {
    let root = three_canons("watch-unanswered");
    let mut c = TestClient::start();
    c.hold("client/unregisterCapability");
    c.hold("client/registerCapability");
    watching_from(&mut c, &root);
    let doc = file_uri(&root.join("r.md"));
    c.open(&doc, "markdown", 1, "@nobody/L1\n");
    for (dir, level, severity) in [("b", "hint", 4), ("c", "information", 3)] {
        c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"goalframe": {
                "canon": [root.join(dir)],
                "severity": {"unknown-role": level}
            }}}),
        );
        c.diagnostics_where(&doc, Some(1), |d| {
            d.iter()
                .any(|x| x["code"] == "unknown-role" && x["severity"] == severity)
        });
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// A client that pulls diagnostics and never answers
/// `workspace/diagnostic/refresh` does not hold up the watchers: each
/// settings change still registers its own.
#[test]
fn an_unanswered_diagnostics_refresh_does_not_hold_up_the_watchers() {
    let root = three_canons("refresh-unanswered");
    let mut c = TestClient::start();
    c.hold("workspace/diagnostic/refresh");
    c.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&root),
        "capabilities": {
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {
                "diagnostics": {"refreshSupport": true},
                "didChangeWatchedFiles": {"dynamicRegistration": true}
            }
        },
        "initializationOptions": {"canon": [root.join("a")]}
    }));
    let watches = |m: &Value, dir: &str| {
        let glob = format!("{}/**/*.json", root.join(dir).display());
        m["method"] == "client/registerCapability"
            && m["params"]["registrations"][0]["registerOptions"]["watchers"]
                .as_array()
                .is_some_and(|w| w.iter().any(|w| w["globPattern"] == glob.as_str()))
    };
    c.recv_where("the first watchers", |m| watches(m, "a"));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"goalframe": {"canon": [root.join("b")]}}}),
    );
    c.recv_where("the new canon's watchers", |m| watches(m, "b"));
    let _ = std::fs::remove_dir_all(&root);
}

/// A client that does not answer the settings question at start-up still
/// gets its files watched and the canon applied; its answer, when it
/// comes, applies then.
#[test]
fn a_settings_question_unanswered_at_start_up_holds_nothing_up() {
    let root = three_canons("startup-unanswered");
    let mut c = TestClient::start();
    c.hold("workspace/configuration");
    c.client.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&root),
        "capabilities": {"workspace": {
            "configuration": true,
            "didChangeWatchedFiles": {"dynamicRegistration": true}
        }},
        "initializationOptions": {"canon": [root.join("a")]}
    }));
    let asked = c.configuration_request();
    c.recv_where("the watchers", |m| {
        m["method"] == "client/registerCapability"
    });
    let doc = file_uri(&root.join("r.md"));
    c.open(&doc, "markdown", 1, "@nobody/L1\n");
    c.answer(&asked, json!([{"severity": {"unknown-role": "hint"}}]));
    c.diagnostics_where(&doc, Some(1), |d| {
        d.iter()
            .any(|x| x["code"] == "unknown-role" && x["severity"] == 4)
    });
    let _ = std::fs::remove_dir_all(&root);
}

/// A canon read again after its files changed is read away from the
/// state: a request sent meanwhile is answered before the canon is in (a
/// 100,000 role-level canon takes a fifth of a second to read, and
/// nothing was answered while it was read).
#[test]
fn requests_are_answered_while_a_changed_canon_is_read() {
    let root = scratch("slow-reload");
    let canon = root.join("canon");
    std::fs::create_dir_all(canon.join("roles")).unwrap();
    std::fs::write(canon.join("levels.json"), LEVELS).unwrap();
    // Enough roles that a test build takes a while to read them.
    for file in 0..20 {
        let roles: Vec<Value> = (0..1_000)
            .map(|i| {
                json!({
                    "id": format!("role-{file}-{i}"),
                    "title": format!("Role {file} {i}"),
                    "family": "Making",
                    "levels": {"L1": {"responsibilities": [format!("Makes thing {i}.")]}}
                })
            })
            .collect();
        let path = canon.join(format!("roles/r{file}.json"));
        std::fs::write(path, json!({ "roles": roles }).to_string()).unwrap();
    }
    let mut c = TestClient::start();
    c.initialize(json!({
        "processId": null,
        "rootUri": file_uri(&root),
        "capabilities": {},
        "initializationOptions": {"canon": [canon]}
    }));
    let doc = file_uri(&root.join("r.md"));
    c.open(&doc, "markdown", 1, "@role-3-1\n");
    c.drain();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&canon.join("roles/r0.json")), "type": 2}]}),
    );
    // Sent once the server is reading (it takes a test build a third of
    // a second and more).
    std::thread::sleep(Duration::from_millis(100));
    let id = c.send_request(
        "textDocument/completion",
        json!({"textDocument": {"uri": doc}, "position": pos((0, 3))}),
    );
    let (answered, _) = c.recv_timed("the completion", |m| {
        m.get("method").is_none() && m["id"] == json!(id)
    });
    let (read, _) = c.recv_timed("the canon read again", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.starts_with("canon: "))
    });
    assert!(answered < read, "the completion waited for the canon");
    let _ = std::fs::remove_dir_all(&root);
}

/// A folder added to a window that started with none takes its
/// `goalframe.toml` (and canon) at once: the settings pulled for it only
/// come on top, and a client slow to answer (or one that never does) must
/// not leave its documents on the default canon.
#[test]
fn a_folder_added_takes_its_goalframe_toml_before_its_settings_are_answered() {
    let ws = scratch("added-folder-unanswered");
    let hr = ws.join("hr");
    std::fs::create_dir_all(hr.join("canon")).unwrap();
    std::fs::write(hr.join("canon/levels.json"), LEVELS).unwrap();
    std::fs::write(
        hr.join("canon/roles.json"),
        role_json("Widget Maker", "Makes."),
    )
    .unwrap();
    std::fs::write(hr.join("goalframe.toml"), "canon = [\"canon\"]\n").unwrap();
    let mut c = TestClient::start();
    c.initialize(json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {"workspace": {"configuration": true, "workspaceFolders": true}}
    }));
    c.configuration_request();
    c.hold("workspace/configuration");
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(&hr), "name": "hr"}], "removed": []}}),
    );
    let doc = file_uri(&hr.join("a.md"));
    c.open(&doc, "markdown", 1, "@wm @nobody/L1\n");
    until(&mut c, &doc, &|| {}, "Widget Maker");
    let _ = std::fs::remove_dir_all(&ws);
}

/// A broken canon is read when the server starts and when its files
/// change, not again each time the settings are layered: a severity
/// changed in the editor neither re-reads it nor shows its error again.
#[test]
fn a_broken_canon_is_not_read_again_for_a_settings_change() {
    let root = scratch("broken-canon-once");
    std::fs::write(root.join("levels.json"), LEVELS).unwrap();
    std::fs::write(
        root.join("roles.json"),
        role_json("Widget Maker", "Makes.").replace("\"title\"", "\"titel\""),
    )
    .unwrap();
    let mut c = TestClient::start();
    let mut params = init_params(None, false);
    params["initializationOptions"] = json!({"canon": [root.display().to_string()]});
    c.initialize(params);
    let keeping = |m: &Value| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("keeping the last good canon"))
    };
    c.recv_where("the broken canon's message", keeping);
    let uri = "file:///w/once.md";
    c.open(uri, "markdown", 1, "⟨target⟩\n");
    assert_eq!(codes(&c.diagnostics(uri, 1)), ["unfilled-placeholder"]);
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"severity": {"unfilled-placeholder": "off"}}}),
    );
    c.diagnostics_where(uri, Some(1), |d| d.is_empty());
    let again: Vec<Value> = c.drain().into_iter().filter(keeping).collect();
    assert!(again.is_empty(), "{again:?}");
    // Still reported, and read again once its file changes.
    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.canon", "arguments": []}),
    );
    assert!(
        r["errors"].to_string().contains("unknown key `titel`"),
        "{r}"
    );
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("roles.json")), "type": 2}]}),
    );
    c.recv_where("the broken canon's message, read again", keeping);
    let _ = std::fs::remove_dir_all(&root);
}

/// A workspace opened on a team's subfolder gets the nearest
/// `goalframe.toml` above it, and watches it there; one made nearer wins,
/// and when it goes the one above is back.
#[test]
fn settings_come_from_the_nearest_goalframe_toml_above_the_workspace() {
    let repo = scratch("nearest-settings");
    for (dir, title) in [("canon", "Widget Maker"), ("team/canon", "Gadget Maker")] {
        std::fs::create_dir_all(repo.join(dir)).unwrap();
        std::fs::write(repo.join(dir).join("levels.json"), LEVELS).unwrap();
        std::fs::write(
            repo.join(dir).join("roles.json"),
            role_json(title, "Makes."),
        )
        .unwrap();
    }
    std::fs::write(repo.join("goalframe.toml"), "canon = [\"canon\"]\n").unwrap();
    let root = repo.join("team");
    let real_repo = std::fs::canonicalize(&repo).unwrap();

    let (mut c, first) = watching_client(&root, true);
    // The workspace's own, then the folder above where it was found
    // (relative to it: VS Code watches outside the workspace only so),
    // then the canon it names.
    let above =
        json!({"globPattern": {"baseUri": file_uri(&real_repo), "pattern": "goalframe.toml"}});
    let canon = json!({"globPattern": {"baseUri": file_uri(&real_repo.join("canon")), "pattern": "**/*.json"}});
    assert_eq!(
        first,
        json!([{"globPattern": "**/goalframe.toml"}, above, canon])
    );
    let uri = "file:///w/team.md";
    c.open(uri, "markdown", 1, "@wm\n");
    let r = c.completion(uri, (0, 3));
    assert_eq!(r["items"][0]["label"], "Widget Maker");

    // The team's own settings, nearer: they win, and nothing above is
    // watched any more.
    std::fs::write(root.join("goalframe.toml"), "canon = [\"canon\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("goalframe.toml")), "type": 1}]}),
    );
    let reg = c.recv_where("watchers without the folder above", |m| {
        m["method"] == "client/registerCapability"
            && watchers(m).as_array().is_some_and(|w| w.len() == 2)
    });
    assert_eq!(
        watchers(&reg)[1]["globPattern"]["baseUri"],
        file_uri(&root.join("canon"))
    );
    let r = c.completion(uri, (0, 3));
    assert_eq!(r["items"][0]["label"], "Gadget Maker");

    // Gone again: the repository's settings are back.
    std::fs::remove_file(root.join("goalframe.toml")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("goalframe.toml")), "type": 3}]}),
    );
    let reg = c.recv_where("watchers with the folder above", |m| {
        m["method"] == "client/registerCapability"
            && watchers(m).as_array().is_some_and(|w| w.len() == 3)
    });
    assert_eq!(watchers(&reg)[1], above);
    let r = c.completion(uri, (0, 3));
    assert_eq!(r["items"][0]["label"], "Widget Maker");
    let _ = std::fs::remove_dir_all(&repo);
}

/// A client that cannot watch files (Neovim on Linux offers no dynamic
/// registration) still sees a canon file and `goalframe.toml` edited on
/// disk: the server watches them itself and reloads, with no message from
/// the client.
#[test]
fn the_server_watches_the_canon_and_settings_when_the_client_cannot() {
    let root = scratch("server-watch");
    std::fs::write(root.join("goalframe.toml"), "canon = [\"canon\"]\n").unwrap();
    for (dir, title) in [("canon", "Widget Maker"), ("canon2", "Doohickey Maker")] {
        std::fs::create_dir_all(root.join(dir).join("roles")).unwrap();
        std::fs::write(root.join(dir).join("levels.json"), LEVELS).unwrap();
        let role = role_json(title, "Makes.")
            .replace("widget-maker", &title.to_lowercase().replace(' ', "-"));
        std::fs::write(root.join(dir).join("roles/r.json"), role).unwrap();
    }
    let role_file = root.join("canon/roles/r.json");
    let mut c = TestClient::start();
    c.initialize(json!({"processId": null, "rootUri": file_uri(&root), "capabilities": {}}));
    let uri = "file:///w/team.md";
    c.open(uri, "markdown", 1, "@wm\n");
    assert_eq!(first_label(&mut c, uri), "Widget Maker");
    until(
        &mut c,
        uri,
        &|| std::fs::write(&role_file, role_json("Gadget Maker", "Makes.")).unwrap(),
        "Gadget Maker",
    );
    until(
        &mut c,
        uri,
        &|| std::fs::write(root.join("goalframe.toml"), "canon = [\"canon2\"]\n").unwrap(),
        "Doohickey Maker",
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// A canon directory (made, with the folders on the way) of the levels and
/// one role titled `title`, in `roles/r.json`.
fn write_canon(dir: &Path, title: &str) {
    std::fs::create_dir_all(dir.join("roles")).unwrap();
    std::fs::write(dir.join("levels.json"), LEVELS).unwrap();
    std::fs::write(dir.join("roles/r.json"), role_json(title, "Makes.")).unwrap();
}

/// A client that registers file watchers, taking relative patterns (as
/// VS Code) or not (as eglot), started on the workspace `root`; with the
/// watchers the server first asked it for.
fn watching_client(root: &Path, relative: bool) -> (TestClient, Value) {
    let mut c = TestClient::start();
    c.initialize(json!({
        "processId": null,
        "rootUri": file_uri(root),
        "workspaceFolders": [{"uri": file_uri(root), "name": "ws"}],
        "capabilities": {
            "workspace": {"didChangeWatchedFiles": {
                "dynamicRegistration": true, "relativePatternSupport": relative}},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": false}}}
        }
    }));
    let reg = c.recv_where("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    (c, watchers(&reg))
}

/// The watchers a `client/registerCapability` asks for.
fn watchers(m: &Value) -> Value {
    m["params"]["registrations"][0]["registerOptions"]["watchers"].clone()
}

/// The first completion label at the end of `@wm` on `uri`'s first line.
fn first_label(c: &mut TestClient, uri: &str) -> Value {
    c.completion(uri, (0, 3))["items"][0]["label"].clone()
}

/// Writes until the server, watching files itself, offers `want` first:
/// it starts watching once the client is initialized, which a write may
/// come before.
fn until(c: &mut TestClient, uri: &str, write: &dyn Fn(), want: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        write();
        let wait = Instant::now() + Duration::from_secs(1);
        while Instant::now() < wait {
            if first_label(c, uri) == want {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(Instant::now() < deadline, "the server never saw {want:?}");
    }
}

/// A client that watches only its project's folders and takes no
/// relative patterns (eglot): the server watches the `goalframe.toml`
/// above the workspace and a canon outside it itself, and a canon
/// directory that is not there yet from the folder above it, so each is
/// seen when it comes or changes.
#[test]
fn the_server_watches_what_the_client_cannot_see_and_a_canon_that_comes_later() {
    let repo = scratch("server-watch-outside");
    let root = repo.join("team");
    std::fs::create_dir_all(&root).unwrap();
    // Not watched for anything else: only a watch from here sees `hr` come.
    std::fs::create_dir_all(repo.join("shared")).unwrap();
    std::fs::write(
        repo.join("goalframe.toml"),
        "canon = [\"shared/hr/canon\"]\n",
    )
    .unwrap();
    let (mut c, first) = watching_client(&root, false);
    // The client is asked for the workspace's own settings only.
    assert_eq!(first, json!([{"globPattern": "**/goalframe.toml"}]));
    let uri = "file:///w/team.md";
    c.open(uri, "markdown", 1, "@wm\n");
    assert_ne!(first_label(&mut c, uri), "Widget Maker");
    // The canon comes: a folder on the way, the canon directory, its files.
    let canon = repo.join("shared/hr/canon");
    until(
        &mut c,
        uri,
        &|| write_canon(&canon, "Widget Maker"),
        "Widget Maker",
    );
    until(
        &mut c,
        uri,
        &|| {
            std::fs::write(
                canon.join("roles/r.json"),
                role_json("Gadget Maker", "Makes."),
            )
            .unwrap()
        },
        "Gadget Maker",
    );
    // The settings above the workspace change.
    std::fs::create_dir_all(repo.join("canon2")).unwrap();
    std::fs::write(repo.join("canon2/levels.json"), LEVELS).unwrap();
    std::fs::write(
        repo.join("canon2/r.json"),
        role_json("Doohickey Maker", "Makes.").replace("widget-maker", "doohickey-maker"),
    )
    .unwrap();
    until(
        &mut c,
        uri,
        &|| std::fs::write(repo.join("goalframe.toml"), "canon = [\"canon2\"]\n").unwrap(),
        "Doohickey Maker",
    );
    let _ = std::fs::remove_dir_all(&repo);
}

/// Settings that are not an object get a message saying what they must be.
#[test]
fn settings_that_are_not_an_object_are_explained() {
    let mut c = TestClient::start();
    let mut params = init_params(None, false);
    params["initializationOptions"] = json!([]);
    c.initialize(params);
    let r = c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.canon", "arguments": []}),
    );
    assert_eq!(
        r["settingsErrors"],
        json!(["initializationOptions: settings must be an object such as {\"canon\": [\"hr-canon\"]}, not an array"])
    );
}

// --- The stdin pump (malformed input) ----------------------------------

/// Frames fed to `transport::pump` one byte at a time (the worst split a
/// pipe can produce): valid messages pass to the server unchanged,
/// malformed ones never reach it and are answered through the writer with
/// the right JSON-RPC error, and framing recovers after a bad header even
/// when the garbage arrives separately.
#[test]
fn the_stdin_pump_answers_malformed_frames_and_resynchronises() {
    use super::transport::pump;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the pump");
    let handle = runtime.handle().clone();
    let (feed, input) = tokio::io::duplex(8);
    let (output, from_pump) = tokio::io::duplex(64 * 1024);
    let (answers, from_writer) = tokio::io::duplex(64 * 1024);
    let (out, writer) =
        super::output::start(SyncIoBridge::new_with_handle(answers, handle.clone()));
    let (_, injected) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        runtime.block_on(pump(input, output, injected, out));
        writer.finish(WAIT);
    });
    let first = json!({"jsonrpc": "2.0", "id": 1, "method": "a", "params": {"t": "😀\r\n"}});
    let last = json!({"jsonrpc": "2.0", "method": "b"});
    let reply = json!({"jsonrpc": "2.0", "id": 7, "result": null});
    let message = |v: &Value| frame(v.to_string().as_bytes());
    let mut bytes = message(&first);
    bytes.extend_from_slice(b"Content-Lenght: 3\r\n\r\nxyz");
    bytes.extend_from_slice(b"Content-Length: many\r\n\r\n{}");
    bytes.extend_from_slice(&message(&reply));
    bytes.extend_from_slice(b"Content-Length: 4\r\n\r\n{bad");
    bytes.extend_from_slice(b"Content-Length: 9\r\n\r\n[1, 2, 3]");
    bytes.extend_from_slice(&message(
        &json!({"jsonrpc": "2.0", "id": 8, "method": "$/x"}),
    ));
    bytes.extend_from_slice(&message(&last));
    let feeding = handle.clone();
    std::thread::spawn(move || {
        let mut w = SyncIoBridge::new_with_handle(feed, feeding);
        for b in bytes {
            w.write_all(&[b]).unwrap();
        }
    });
    // Each side read on a thread of its own, so a pump that never ends
    // fails the test.
    let read_all = |from: tokio::io::DuplexStream, handle: tokio::runtime::Handle| {
        let (done, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = std::io::BufReader::new(SyncIoBridge::new_with_handle(from, handle));
            let mut got = Vec::new();
            while let Some(m) = read_message(&mut r) {
                got.push(m);
            }
            let _ = done.send(got);
        });
        result
    };
    let to_server = read_all(from_pump, handle.clone());
    let answered = read_all(from_writer, handle);
    let to_server = to_server
        .recv_timeout(WAIT)
        .expect("the pump ends when its input ends");
    assert_eq!(to_server, [first, reply, last]);
    let answered = answered
        .recv_timeout(WAIT)
        .expect("the writer ends when the pump does");
    let codes: Vec<_> = answered
        .iter()
        .map(|m| (m["id"].clone(), m["error"]["code"].clone()))
        .collect();
    assert_eq!(
        codes,
        [
            (Value::Null, json!(-32700)),
            (Value::Null, json!(-32700)),
            (Value::Null, json!(-32700)),
            (Value::Null, json!(-32600)),
            (json!(8), json!(-32601)),
        ],
        "{answered:#?}"
    );
    assert_eq!(answered[0]["error"]["message"], "Parse error");
    assert!(
        answered[2]["error"]["data"]
            .as_str()
            .is_some_and(|why| why.starts_with("invalid JSON")),
        "{}",
        answered[2]
    );
}

#[test]
fn canon_paths_are_escaped_in_watcher_globs() {
    assert_eq!(
        super::watch::glob_escape("/srv/hr [2026]/canon{a,b}*?"),
        "/srv/hr [[]2026]/canon[{]a,b}[*][?]"
    );
    assert_eq!(super::watch::glob_escape("/plain/path"), "/plain/path");
}

/// A panic in one request's handler answers that request with -32603,
/// and the server goes on serving (its state lock poisoned and entered).
#[test]
fn a_panicking_handler_answers_its_request_and_the_server_serves_on() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut c = started(None, true);
    let r = c.request("goalframe/testPanic", json!({}));
    std::panic::set_hook(hook);
    assert_eq!(r["error"]["code"], -32603, "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("a test panic"),
        "{r}"
    );
    let uri = "file:///w/after.md";
    c.open(uri, "markdown", 1, "@ae/p2");
    let r = c.completion(uri, (0, 6));
    assert_eq!(r["items"][0]["label"], "SMART goals");
}

// --- Snapshots: a fixture with a `$0` cursor in, what the editor shows out

/// The server's answer to `method` at the fixture's cursor, in a fresh
/// markdown document (UTF-8 positions).
fn at_cursor(src: &str, method: &str, language: &str) -> (Fixture, Value) {
    let f = fixture(src);
    let mut c = started(Some(&["utf-8"]), true);
    let uri = if language == "markdown" {
        "file:///w/snapshot.md"
    } else {
        "file:///w/snapshot.txt"
    };
    c.open(uri, language, 1, &f.text);
    c.diagnostics(uri, 1);
    let at = position(&f.text, f.cursor(), Enc::Utf8);
    let answer = c.call(
        method,
        json!({"textDocument": {"uri": uri}, "position": pos(at)}),
    );
    (f, answer)
}

/// A completion list as the editor's menu shows it: one item a line
/// (label, detail, kind), with the text it would replace and what its
/// edit inserts first.
fn check_completion(src: &str, expect: expect_test::Expect) {
    let (f, list) = at_cursor(src, "textDocument/completion", "markdown");
    let mut shown = String::new();
    for item in list["items"].as_array().expect("a completion list") {
        let edit = &item["textEdit"];
        let (a, b) = range_of(&edit["range"]);
        let replaced = &f.text[support::lsp_text::offset(&f.text, a.0, a.1, Enc::Utf8)
            ..support::lsp_text::offset(&f.text, b.0, b.1, Enc::Utf8)];
        let first = edit["newText"]
            .as_str()
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("");
        shown.push_str(&format!(
            "{} | {} | kind {} | replaces {replaced:?} | {first}\n",
            item["label"].as_str().unwrap_or("?"),
            item["detail"].as_str().unwrap_or(""),
            item["kind"],
        ));
    }
    expect.assert_eq(&shown);
}

/// The hover's markdown at the cursor, with the range it covers marked.
fn check_hover(src: &str, expect: expect_test::Expect) {
    let (f, hover) = at_cursor(src, "textDocument/hover", "markdown");
    let (a, b) = range_of(&hover["range"]);
    let covered = &f.text[support::lsp_text::offset(&f.text, a.0, a.1, Enc::Utf8)
        ..support::lsp_text::offset(&f.text, b.0, b.1, Enc::Utf8)];
    let body = hover["contents"]["value"]
        .as_str()
        .expect("markdown contents");
    expect.assert_eq(&format!("covers {covered:?}\n{body}\n"));
}

#[test]
fn snapshot_completion_after_a_role_and_level() {
    check_completion(
        "# 目標 😀\n\n@ae/p2$0\n",
        expect_test::expect![[r#"
        SMART goals | SMART goals — Account Executive / Field Sales — P2 | kind 15 | replaces "@ae/p2" | <!-- goalframe: account-executive-field-sales/P2 smart -->
        OKRs | OKRs — Account Executive / Field Sales — P2 | kind 15 | replaces "@ae/p2" | <!-- goalframe: account-executive-field-sales/P2 okr -->
        MBO areas | MBO areas — Account Executive / Field Sales — P2 | kind 15 | replaces "@ae/p2" | <!-- goalframe: account-executive-field-sales/P2 mbo -->
        Scorecard | Scorecard — Account Executive / Field Sales — P2 | kind 15 | replaces "@ae/p2" | <!-- goalframe: account-executive-field-sales/P2 scorecard -->
        All frames | All frames — Account Executive / Field Sales — P2 | kind 15 | replaces "@ae/p2" | # Goal templates — Account Executive / Field Sales — P2
    "#]],
    );
}

#[test]
fn snapshot_completion_of_a_role() {
    check_completion(
        "Goals 🎉: @acc$0",
        expect_test::expect![[r#"
        Account Executive / Field Sales | Direct Sales / Quota-Carrying Sales · levels P2 | kind 9 | replaces "@acc" | @account-executive-field-sales/
    "#]],
    );
}

#[test]
fn snapshot_hover_on_a_token() {
    check_hover(
        "中文 @ae/p$02 text",
        expect_test::expect![[r#"
        covers "@ae/p2"
        **Account Executive / Field Sales** (`account-executive-field-sales`) · Direct Sales / Quota-Carrying Sales

        **P2 — Developing Professional**

        | Dimension | Bar |
        | --- | --- |
        | Scope | Defined deliverables / small features |
        | Autonomy | General supervision; reviewed at milestones |
        | Complexity | Some non-routine problems; applies established patterns |
        | Impact | Own and immediate-team deliverables |
        | Decision rights | Routine technical choices within guidance |
        | Leadership | May guide interns |

        Rubrics:
        - **complexity/problem-solving**: Exercises moderate judgment in familiar selling contexts; resolves customer questions and structures straightforward quotes and contracts.
        - **knowledge-application**: Applies developing knowledge of the full sales cycle, product fit, and pricing to close conventional SMB deals with defined procedures.

        5 responsibilities
    "#]],
    );
}

// --- Goal quality over the protocol ----------------------------------

/// A text SMART frame filled with problems, in values holding emoji and
/// CJK, and header lines with a cycle.
fn filled_text_smart() -> String {
    let frame = embedded_text(Frame::Smart, Markup::Text);
    let frame = frame
        .replacen(
            "from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩.",
            "from 12 件 😀 to more 😀 deals by 2027-06-30.",
            1,
        )
        .replacen("Time-bound:  ⟨date⟩", "Time-bound:  2027-05-31", 1)
        .replacen(
            "from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩.",
            "from 中文 3 to 中文 3 by 2027-02-30.",
            1,
        )
        .replacen("Time-bound:  ⟨date⟩", "Time-bound:  2027-09-30", 1);
    format!("owner: lee@example.com\ncycle_start: 2027-01-01\ncycle_end: 2027-06-30\nname: @nobody/p9 ⟨x⟩\n\n{frame}\n")
}

#[test]
fn quality_diagnostics_are_exact_in_both_encodings() {
    let doc = filled_text_smart();
    for (offered, enc) in [(Some(&["utf-8"][..]), Enc::Utf8), (None, Enc::Utf16)] {
        let mut c = started(offered, true);
        c.open("file:///w/q.txt", "plaintext", 1, &doc);
        let got: Vec<_> = c
            .diagnostics("file:///w/q.txt", 1)
            .iter()
            .map(|d| {
                let (a, b) = range_of(&d["range"]);
                (d["code"].as_str().unwrap().to_string(), a, b)
            })
            .collect();
        assert_eq!(got, core_diagnostics(&doc, enc), "{enc:?}");
        let codes: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        for code in [
            "unmeasurable-target",
            "date-mismatch",
            "baseline-equals-target",
            "invalid-date",
            "date-outside-cycle",
        ] {
            assert!(codes.contains(&code), "{code}: {codes:?}");
        }
        // Nothing from the header lines, though one holds a token and a
        // placeholder.
        assert!(got.iter().all(|g| g.1 .0 >= 5), "{got:?}");
    }
}

#[test]
fn snapshot_hover_on_a_quality_finding() {
    let doc = filled_text_smart();
    let at = doc.find("more 😀").unwrap() + 2;
    let src = format!("{}$0{}", &doc[..at], &doc[at..]);
    let (_, hover) = at_cursor(&src, "textDocument/hover", "plaintext");
    expect_test::expect![[r#"
        target: more 😀 deals

        ---

        **unmeasurable-target** (warning)

        A filled target has no digit in it, so nobody can count whether it was met.

        A target must be something one can count: write the number (`20 closed deals`, `95 %`), not a direction (`more deals`)."#]].assert_eq(hover["contents"]["value"].as_str().unwrap());
}

/// A value of the MBO table is explained; the same cell of a table of the
/// writer's own below it is no goal's (`lint` does not judge it), so it
/// has no hover saying it is no date.
#[test]
fn a_hover_explains_a_goal_s_value_and_not_a_table_of_the_writer_s_own() {
    let frame = embedded_text(Frame::Mbo, Markup::Markdown)
        .replace("⟨target⟩", "20 deals")
        .replace("⟨date⟩", "2027-06-30");
    let own = "| Metric | Baseline | Target | Due |\n| --- | --- | --- | --- |\n| calls 😀 | 3 | 12 | end of Q2 |\n";
    let doc = format!("{frame}\n\n{own}");
    let area = doc.find("2027-06-30").unwrap() + 3;
    let (_, hover) = at_cursor(
        &format!("{}$0{}", &doc[..area], &doc[area..]),
        "textDocument/hover",
        "markdown",
    );
    assert_eq!(
        hover["contents"]["value"].as_str(),
        Some("due 2027-06-30 — end of Q2 2027")
    );
    let cell = doc.find("end of Q2").unwrap() + 2;
    let (_, hover) = at_cursor(
        &format!("{}$0{}", &doc[..cell], &doc[cell..]),
        "textDocument/hover",
        "markdown",
    );
    assert!(hover.is_null(), "{hover}");
}

#[test]
fn a_frame_completed_below_front_matter_lands_below_it() {
    let mut c = started(Some(&["utf-8"]), true);
    let doc = "---\nowner: lee@example.com\nname: \"@nobody/p9 ⟨x⟩\"\n---\n@ae/p2";
    c.open("file:///w/fm.md", "markdown", 1, doc);
    assert_eq!(c.diagnostics("file:///w/fm.md", 1), Vec::<Value>::new());
    let list = c.completion("file:///w/fm.md", (4, 6));
    let smart = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "SMART goals")
        .expect("a SMART item")
        .clone();
    assert_eq!(range_of(&smart["textEdit"]["range"]), ((4, 0), (4, 6)));
    let inserted = expand_snippet(smart["textEdit"]["newText"].as_str().unwrap()).0;
    assert!(inserted.starts_with(SMART_MARKER), "{inserted}");
}
