//! End-to-end tests of `goalframe lsp` over real stdio against the built
//! binary: a whole editing session (complete, accept, fill a placeholder,
//! shut down), random incremental edits checked against the core analysis,
//! and malformed JSON-RPC. Every read has a timeout, so a hung server fails
//! the test instead of blocking it.

mod support;

use std::io::{Read, Write};
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use support::lsp_client::{frame, pos, range_of, LspClient, WAIT};
use support::lsp_text::{core_diagnostics, end_placeholder, position, random_edit, Enc};
use support::rng::Rng;
use support::{bin, expand_snippet};

/// A `goalframe lsp` process and the test client on its stdin and stdout.
struct Session {
    child: Child,
    client: LspClient,
}

impl Deref for Session {
    type Target = LspClient;
    fn deref(&self) -> &LspClient {
        &self.client
    }
}

impl DerefMut for Session {
    fn deref_mut(&mut self) -> &mut LspClient {
        &mut self.client
    }
}

impl Session {
    fn start(args: &[&str]) -> Session {
        let dir = support::scratch("lsp");
        let mut child = Command::new(bin())
            .args(args)
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start goalframe lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let mut err_pipe = child.stderr.take().expect("stderr");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err_pipe.read_to_string(&mut s);
            sink.lock().unwrap().push_str(&s);
        });
        let mut client = LspClient::new(stdout, stdin);
        client.on_failure(move || format!("stderr: {}", stderr.lock().unwrap()));
        Session { child, client }
    }

    /// `initialize` with these client capabilities, then `initialized`.
    fn initialize(&mut self, capabilities: Value) -> Value {
        self.client
            .initialize(json!({"processId": null, "rootUri": null, "capabilities": capabilities}))
    }

    /// `shutdown`, `exit`, and the process's exit code (bounded wait).
    fn shut_down(mut self) -> Option<i32> {
        self.client.shut_down();
        self.wait_exit()
    }

    fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// LSP ranges of every `⟨…⟩` in `text`, computed by the test.
fn placeholder_ranges(text: &str, enc: Enc) -> Vec<((u32, u32), (u32, u32))> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(a) = text[from..].find('⟨').map(|i| from + i) {
        let b = a + text[a..].find('⟩').expect("closing bracket") + '⟩'.len_utf8();
        out.push((position(text, a, enc), position(text, b, enc)));
        from = b;
    }
    out
}

fn editing_session(args: &[&str]) {
    let mut s = Session::start(args);
    let caps = json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}
    });
    let init = s.initialize(caps);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["serverInfo"]["name"], "goalframe");

    let uri = "file:///work/goals.md";
    let mut doc = String::from("# Goals 😀 中文\n\n@ae/p2\n\nNotes.\n");
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": doc}}),
    );
    assert!(s.diagnostics(uri, 1).is_empty());

    // Complete at the end of `@ae/p2`.
    let token = doc.find("@ae/p2").unwrap();
    let (start, end) = (
        position(&doc, token, Enc::Utf16),
        position(&doc, token + 6, Enc::Utf16),
    );
    assert_eq!((start, end), ((2, 0), (2, 6)));
    let list = s.call(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": pos(end),
               "context": {"triggerKind": 1}}),
    );
    let smart = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "SMART goals")
        .unwrap_or_else(|| panic!("a SMART item: {list}"))
        .clone();
    assert_eq!(smart["insertTextFormat"], 2);
    assert_eq!(range_of(&smart["textEdit"]["range"]), (start, end));
    let (inserted, stops) = expand_snippet(smart["textEdit"]["newText"].as_str().unwrap());
    assert!(
        inserted.starts_with("<!-- goalframe: account-executive-field-sales/P2 smart -->\n"),
        "{inserted}"
    );
    assert!(!stops.is_empty());

    // Accept: the editor applies the edit and reports it incrementally.
    doc.replace_range(token..token + 6, &inserted);
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": pos(start), "end": pos(end)}, "text": inserted}]}),
    );
    let d = s.diagnostics(uri, 2);
    let expected = placeholder_ranges(&doc, Enc::Utf16);
    assert_eq!(expected.len(), 5 * 4, "4 placeholders per SMART item");
    let got: Vec<_> = d.iter().map(|x| range_of(&x["range"])).collect();
    assert_eq!(got, expected);
    assert!(
        d.iter().all(|x| x["code"] == "unfilled-placeholder"),
        "{d:?}"
    );

    // Fill the first ⟨target⟩.
    let at = doc.find("⟨target⟩").unwrap();
    let (a, b) = (
        position(&doc, at, Enc::Utf16),
        position(&doc, at + "⟨target⟩".len(), Enc::Utf16),
    );
    doc.replace_range(at..at + "⟨target⟩".len(), "25 closed deals");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [{"range": {"start": pos(a), "end": pos(b)}, "text": "25 closed deals"}]}),
    );
    let d = s.diagnostics(uri, 3);
    assert_eq!(d.len(), expected.len() - 1);
    let got: Vec<_> = d.iter().map(|x| range_of(&x["range"])).collect();
    assert_eq!(got, placeholder_ranges(&doc, Enc::Utf16));

    assert_eq!(s.shut_down(), Some(0));
}

#[test]
fn editing_session_over_stdio_with_lsp() {
    editing_session(&["lsp"]);
}

#[test]
fn editing_session_over_stdio_with_lsp_dash_dash_stdio() {
    editing_session(&["lsp", "--stdio"]);
}

/// 400 random incremental edits back-to-back; the final diagnostics must
/// be the core analysis of the client's text, at the client's positions.
fn random_edits_over_stdio(encodings: Option<&[&str]>, enc: Enc, seed: u64) {
    let mut s = Session::start(&["lsp"]);
    let mut caps = json!({});
    if let Some(e) = encodings {
        caps["general"] = json!({ "positionEncodings": e });
    }
    let init = s.initialize(caps);
    assert_eq!(init["capabilities"]["positionEncoding"], enc.name());
    let uri = "file:///work/random.txt";
    let mut doc = String::from("⟨x⟩ start 中文\n😀 line ⟨x⟩\r\nend @ae/p9");
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": doc}}),
    );
    let seed = std::env::var("GOALFRAME_LSP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(seed);
    let mut rng = Rng::new(seed);
    for v in 2..=401 {
        let e = random_edit(&mut rng, &mut doc, enc);
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v},
                   "contentChanges": [{"range": {"start": pos(e.start), "end": pos(e.end)}, "text": e.text}]}),
        );
    }
    // And a placeholder at a known place: the end.
    let end = position(&doc, doc.len(), enc);
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 402},
               "contentChanges": [{"range": {"start": pos(end), "end": pos(end)}, "text": "⟨end⟩"}]}),
    );
    doc.push_str("⟨end⟩");
    let d = s.diagnostics(uri, 402);
    let expected = core_diagnostics(&doc, enc);
    let got: Vec<_> = d
        .iter()
        .map(|x| {
            let (a, b) = range_of(&x["range"]);
            (x["code"].as_str().unwrap().to_string(), a, b)
        })
        .collect();
    assert_eq!(got, expected, "{enc:?} seed {seed:#x}; client text {doc:?}");
    let at_end = end_placeholder(&doc, enc);
    assert_eq!(got.last(), Some(&at_end), "{enc:?} seed {seed:#x}: {doc:?}");
    assert_eq!(s.shut_down(), Some(0));
}

#[test]
fn random_edits_over_stdio_in_utf16_match_the_core_analysis() {
    random_edits_over_stdio(None, Enc::Utf16, 0xe2e_0016);
}

#[test]
fn random_edits_over_stdio_in_utf8_match_the_core_analysis() {
    random_edits_over_stdio(Some(&["utf-8"]), Enc::Utf8, 0xe2e_0008);
}

/// After each malformed message the server answers (or ignores it) and
/// still serves the next valid request.
#[test]
fn malformed_json_rpc_gets_errors_and_the_server_keeps_serving() {
    let mut s = Session::start(&["lsp"]);
    s.initialize(json!({}));
    let uri = "file:///work/m.md";
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "@ae/p2"}}),
    );
    let still_serving = |s: &mut Session, case: &str| {
        let r = s.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos((0, 6))}),
        );
        assert_eq!(
            r["result"]["items"][0]["label"], "SMART goals",
            "after {case}: {r}"
        );
    };
    let null_id_error = |s: &mut Session, case: &str, code: i64| {
        let r = s.recv_where(&format!("the error for {case}"), |m| {
            m.get("method").is_none() && m["id"].is_null()
        });
        assert_eq!(r["error"]["code"], code, "{case}: {r}");
    };

    // 1. A header without Content-Length (misspelled), then garbage.
    s.send_raw(b"Content-Lenght: 7\r\n\r\ngarbage");
    null_id_error(&mut s, "a bad header", -32700);
    still_serving(&mut s, "a bad header");

    // 2. A non-numeric Content-Length.
    s.send_raw(b"Content-Length: twelve\r\n\r\n{}");
    null_id_error(&mut s, "a non-numeric length", -32700);
    still_serving(&mut s, "a non-numeric length");

    // 3. A well-framed body that is not JSON.
    s.send_raw(&frame(br#"{"jsonrpc": "2.0", "id": 99, "method": "#));
    null_id_error(&mut s, "invalid JSON", -32700);
    still_serving(&mut s, "invalid JSON");

    // 4. JSON that is not a JSON-RPC message.
    s.send_raw(&frame(br#"{"hello": "world"}"#));
    null_id_error(&mut s, "a non-message", -32600);
    still_serving(&mut s, "a non-message");

    // 5. An unknown method: MethodNotFound naming it.
    let r = s.request("goalframe/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    assert_eq!(r["error"]["data"], "goalframe/noSuchMethod", "{r}");
    still_serving(&mut s, "an unknown method");

    // 6. Completion with the wrong params: InvalidParams.
    let r = s.request(
        "textDocument/completion",
        json!({"textDocument": 5, "position": "here"}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = s.request("textDocument/completion", Value::Null);
    assert_eq!(r["error"]["code"], -32602, "{r}");
    still_serving(&mut s, "wrong completion params");

    // 7. An unknown notification is ignored.
    s.notify("goalframe/whatever", json!({"x": 1}));
    still_serving(&mut s, "an unknown notification");

    assert_eq!(s.shut_down(), Some(0));
}

/// Every request the server answers, given params of the wrong shape,
/// for a document it does not have, or with positions and ranges far
/// outside the document (reversed, past its end, at u32::MAX), gets a
/// result or an error that is not a caught panic, and the server keeps
/// serving; the same for notifications.
/// A JavaScript client writes a lone surrogate (a string cut in the
/// middle of an emoji) as `\ud83d`, which no Rust string holds: the
/// document is opened and changed with U+FFFD there, one UTF-16 unit as
/// the surrogate was, so the client's positions still fit.
#[test]
fn a_lone_surrogate_from_a_javascript_client_is_read_as_a_replacement_character() {
    let mut s = Session::start(&["lsp"]);
    s.initialize(json!({}));
    let uri = "file:///work/cut.md";
    s.send_raw(&frame(
        br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///work/cut.md","languageId":"markdown","version":1,"text":"Goal \ud83d: \u27e8target\u27e9\n"}}}"#,
    ));
    let d = s.diagnostics(uri, 1);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(range_of(&d[0]["range"]), ((0, 8), (0, 16)), "{d:?}");
    // A change that writes another one, before the placeholder.
    s.send_raw(&frame(
        br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///work/cut.md","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"\ude00\ud83d\ude00"}]}}"#,
    ));
    let d = s.diagnostics(uri, 2);
    assert_eq!(range_of(&d[0]["range"]), ((0, 11), (0, 19)), "{d:?}");
    // The placeholder is where the client has it.
    let h = s.hover(uri, (0, 12));
    assert_eq!(range_of(&h["range"]), ((0, 11), (0, 19)), "{h}");
    assert_eq!(s.shut_down(), Some(0));
}

#[test]
fn every_method_answers_odd_params_and_the_server_keeps_serving() {
    let mut s = Session::start(&["lsp"]);
    s.initialize(json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"diagnostic": {}},
    }));
    let uri = "file:///work/odd.md";
    let text = "---\ncycle_end: 2027-06-30\n---\n@ae/p2 😀 中文\n<!-- goalframe: ae/P2 smart -->\n1. x ⟨target⟩ by 2027-02-30\n";
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let max = u32::MAX;
    let far = json!({"line": max, "character": max});
    let positions = [
        json!({"line": 3, "character": 8}),
        json!({"line": 3, "character": 9999}),
        far.clone(),
        json!({"line": -1, "character": 0}),
        Value::Null,
    ];
    let ranges = [
        json!({"start": {"line": 5, "character": 0}, "end": {"line": 1, "character": 0}}),
        json!({"start": {"line": 0, "character": 0}, "end": far}),
        json!({"start": far, "end": far}),
    ];
    let docs = [
        json!({"uri": uri}),
        json!({"uri": "file:///work/never-opened.md"}),
        json!({"uri": "not a uri"}),
        json!(5),
    ];
    let mut params = vec![Value::Null, json!(5), json!("x"), json!([]), json!({})];
    for doc in &docs {
        for p in &positions {
            params.push(json!({"textDocument": doc, "position": p}));
        }
        for r in &ranges {
            params.push(
                json!({"textDocument": doc, "range": r, "context": {"diagnostics": [
                    {"range": r, "message": "m", "code": "date-mismatch", "data": 5}
                ]}}),
            );
        }
    }
    let mut requests: Vec<(&str, Value)> = Vec::new();
    for method in [
        "textDocument/completion",
        "textDocument/hover",
        "textDocument/codeAction",
        "textDocument/codeLens",
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
        "textDocument/diagnostic",
        "workspace/diagnostic",
    ] {
        requests.extend(params.iter().map(|p| (method, p.clone())));
    }
    requests.push((
        "workspace/diagnostic",
        json!({"previousResultIds": [{"uri": "bad", "value": 5}]}),
    ));
    for command in [
        "goalframe.render",
        "goalframe.canon",
        "goalframe.export",
        "goalframe.nextPlaceholder",
        "goalframe.nope",
    ] {
        for arguments in [
            Value::Null,
            json!([]),
            json!([null]),
            json!([1, 2, 3]),
            json!([{"uri": uri, "position": far}]),
            json!([uri, far]),
            json!(["ae", "P2", "nope"]),
        ] {
            requests.push((
                "workspace/executeCommand",
                json!({"command": command, "arguments": arguments}),
            ));
        }
    }
    for (method, p) in &requests {
        let r = s.request(method, p.clone());
        assert!(
            r.get("result").is_some() || r.get("error").is_some(),
            "{method} {p}: {r}"
        );
        let message = r["error"]["message"].as_str().unwrap_or_default();
        assert!(
            !message.starts_with("goalframe failed on"),
            "{method} {p}: a caught panic: {r}"
        );
    }
    for change in [
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": ranges[0], "text": "x"}]}),
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"range": ranges[2], "text": "y"}]}),
        json!({"textDocument": {"uri": uri, "version": 1}, "contentChanges": [{"range": ranges[1], "text": "z"}]}),
        json!({"textDocument": {"uri": "file:///work/never-opened.md", "version": 5}, "contentChanges": [{"text": "x"}]}),
        json!({"textDocument": {"uri": uri, "version": 6}, "contentChanges": []}),
        json!(5),
    ] {
        s.notify("textDocument/didChange", change);
    }
    for (method, p) in [
        ("workspace/didChangeConfiguration", json!(5)),
        (
            "workspace/didChangeConfiguration",
            json!({"settings": {"goalframe": {"canon": ["/dev/zero"], "severity": {"x": "y"}}}}),
        ),
        (
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": "bad", "type": 99}]}),
        ),
        (
            "textDocument/didClose",
            json!({"textDocument": {"uri": "file:///work/never-opened.md"}}),
        ),
        ("$/cancelRequest", json!({"id": "x"})),
    ] {
        s.notify(method, p);
    }
    // Still serving, with the document as the edits left it.
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos((0, 0))}),
    );
    assert!(r.get("error").is_none(), "{r}");
    assert_eq!(s.shut_down(), Some(0));
}

#[test]
fn exit_codes_follow_the_protocol() {
    // `exit` without `shutdown`: exit code 1 (LSP 3.17, `exit`).
    let mut s = Session::start(&["lsp"]);
    s.initialize(json!({}));
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(), Some(1));

    // stdin closed without `exit`: the server ends, and not with success.
    let mut s = Session::start(&["lsp", "--stdio"]);
    s.initialize(json!({}));
    s.close();
    assert_eq!(s.wait_exit(), Some(1));

    // `shutdown` then the end of input: 0.
    let mut s = Session::start(&["lsp"]);
    s.initialize(json!({}));
    assert!(s.request("shutdown", Value::Null)["result"].is_null());
    s.close();
    assert_eq!(s.wait_exit(), Some(0));
}

/// The lifecycle around `initialize` and `shutdown`, as tower-lsp enforces
/// it, holds in the shipped binary.
#[test]
fn requests_outside_the_initialized_state_get_errors() {
    let mut s = Session::start(&["lsp"]);
    let hover = json!({"textDocument": {"uri": "file:///work/x.md"}, "position": pos((0, 0))});
    // A malformed message is a parse error whatever the server's state,
    // with what was wrong, and does not end the server.
    let parse_error = |s: &mut Session, when: &str| {
        s.send_raw(&frame(b"{not json"));
        let r = s.recv_where(&format!("the error for invalid JSON {when}"), |m| {
            m.get("method").is_none() && m["id"].is_null()
        });
        assert_eq!(r["error"]["code"], -32700, "{when}: {r}");
        assert!(
            r["error"]["data"]
                .as_str()
                .is_some_and(|why| why.starts_with("invalid JSON")),
            "{when}: {r}"
        );
    };
    // Before `initialize`: ServerNotInitialized.
    let r = s.request("textDocument/hover", hover.clone());
    assert_eq!(r["error"]["code"], -32002, "{r}");
    parse_error(&mut s, "before initialize");
    s.initialize(json!({}));
    // A second `initialize`: InvalidRequest.
    let r = s.request("initialize", json!({"capabilities": {}}));
    assert_eq!(r["error"]["code"], -32600, "{r}");
    assert!(s.call("textDocument/hover", hover.clone()).is_null());
    // After `shutdown`: InvalidRequest, then `exit` ends with 0.
    assert!(s.call("shutdown", Value::Null).is_null());
    let r = s.request("textDocument/hover", hover);
    assert_eq!(r["error"]["code"], -32600, "{r}");
    parse_error(&mut s, "after shutdown");
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(), Some(0));
}

/// Documents the editor and the command line must judge identically:
/// the examples, and edge cases of every code in both markups.
fn agreement_corpus() -> Vec<(String, String)> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut docs = Vec::new();
    for name in ["review-draft.md", "review-filled.md"] {
        let text = std::fs::read_to_string(repo.join("examples").join(name)).unwrap();
        docs.push((name.to_string(), text));
    }
    let draft = docs[0].1.clone();
    docs.push(("draft-crlf.md".into(), draft.replace('\n', "\r\n")));
    docs.push((
        "edge.md".into(),
        "# 😀 Review 中文\n\n`⟨code⟩` ⟨target⟩ 🎉⟨date⟩ <baseline> {{date}}\n\n@ae/p9 @nobody/p2 @ae/p2\n\n<!-- goalframe-disable-next-line -->\n⟨hidden⟩\n\n```\n⟨fenced⟩\n```\n".into(),
    ));
    let okr = std::process::Command::new(bin())
        .args(["render", "ae", "p2", "--frame", "okr", "--format", "text"])
        .output()
        .unwrap();
    let okr = String::from_utf8(okr.stdout).unwrap();
    let text_doc = format!(
        "OKRs — Account Executive / Field Sales — P2\n\n{}",
        okr.replacen("tied to: \"Manages", "tied to: \"Runs", 1)
    );
    docs.push(("plain.txt".into(), text_doc));
    docs
}

/// (code, severity, byte start, byte end, message) of LSP diagnostics.
type Judged = Vec<(String, String, usize, usize, String)>;

#[test]
fn the_editor_and_the_command_line_agree() {
    let docs = agreement_corpus();
    let dir = support::scratch("agree");
    for (name, text) in &docs {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let lint = Command::new(bin())
        .args(["lint", ".", "--format", "json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let lint: Value = serde_json::from_slice(&lint.stdout).expect("lint json");
    let severity_name =
        |n: u64| ["", "error", "warning", "information", "hint"][n as usize].to_string();
    for (encodings, enc) in [
        (json!(["utf-8"]), Enc::Utf8),
        (json!(["utf-16"]), Enc::Utf16),
    ] {
        let mut s = Session::start(&["lsp"]);
        s.initialize(json!({"general": {"positionEncodings": encodings}}));
        for (name, text) in &docs {
            let uri = format!("file:///agree/{name}");
            let language = if name.ends_with(".md") {
                "markdown"
            } else {
                "plaintext"
            };
            s.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
            );
            let editor: Judged = s
                .diagnostics(&uri, 1)
                .iter()
                .map(|d| {
                    let ((l0, c0), (l1, c1)) = range_of(&d["range"]);
                    (
                        d["code"].as_str().unwrap().to_string(),
                        severity_name(d["severity"].as_u64().unwrap()),
                        support::lsp_text::offset(text, l0, c0, enc),
                        support::lsp_text::offset(text, l1, c1, enc),
                        d["message"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            let cli: Judged = lint["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["path"] == name.as_str())
                .map(|f| {
                    (
                        f["code"].as_str().unwrap().to_string(),
                        f["severity"].as_str().unwrap().to_string(),
                        f["byteStart"].as_u64().unwrap() as usize,
                        f["byteEnd"].as_u64().unwrap() as usize,
                        f["message"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            assert!(
                !cli.is_empty() || name == "review-filled.md",
                "{name}: the corpus exercises findings"
            );
            assert_eq!(editor, cli, "{name} ({})", enc.name());
        }
        assert_eq!(s.shut_down(), Some(0));
    }
}

/// `goalframe render ae p2 --frame <frame> --format <format>` without its
/// final line break, and with the heading line a text-document insertion
/// starts with.
fn cli_frame(frame: &str, title: &str, markdown: bool) -> String {
    let format = if markdown { "markdown" } else { "text" };
    let out = support::run(&["render", "ae", "p2", "--frame", frame, "--format", format]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let body = support::stdout(&out);
    let body = body.strip_suffix('\n').unwrap_or(&body);
    if markdown {
        body.to_string()
    } else {
        format!("{title} — Account Executive / Field Sales — P2\n\n{body}")
    }
}

/// One frame after another, as a user writes them: Enter below a frame's
/// last (indented) row keeps that indentation, the next token is typed
/// there, and the frame still lands at column 0 exactly as rendered; a
/// token after text on its line starts its frame on the next line. The
/// client applies each edit as given (`insertTextMode` asIs).
fn frames_in_a_row(enc: Enc, markdown: bool) {
    let mut s = Session::start(&["lsp"]);
    let encodings: &[&str] = match enc {
        Enc::Utf8 => &["utf-8", "utf-16"],
        Enc::Utf16 => &["utf-16"],
    };
    let init = s.initialize(json!({
        "general": {"positionEncodings": encodings},
        "textDocument": {"completion": {"completionItem": {
            "snippetSupport": true, "insertTextModeSupport": {"valueSet": [1, 2]}}}}
    }));
    assert_eq!(init["capabilities"]["positionEncoding"], enc.name());
    let (uri, language) = if markdown {
        ("file:///work/row.md", "markdown")
    } else {
        ("file:///work/row.txt", "plaintext")
    };
    let mut doc = String::from("# Notes 😀 中文\n\n");
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": doc}}),
    );
    let mut version = 1;
    let mut type_and_accept = |s: &mut Session, doc: &mut String, typed: &str, label: &str| {
        // Type at the end of the document.
        let end = position(doc, doc.len(), enc);
        doc.push_str(typed);
        version += 1;
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": pos(end), "end": pos(end)}, "text": typed}]}),
        );
        let cursor = position(doc, doc.len(), enc);
        let list = s.call(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(cursor),
                   "context": {"triggerKind": 1}}),
        );
        let item = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["label"] == label)
            .unwrap_or_else(|| panic!("a {label} item: {list}"))
            .clone();
        assert_eq!(item["insertTextMode"], 1, "asIs: {item}");
        assert_eq!(item["documentation"]["kind"], "plaintext", "{item}");
        let range = range_of(&item["textEdit"]["range"]);
        assert_eq!(range.0 .1, 0, "the edit starts at the line's start: {item}");
        assert_eq!(range.1, cursor, "the edit ends at the token's end");
        // The client filters by the replaced text up to the cursor.
        let line_start = support::lsp_text::offset(doc, range.0 .0, 0, enc);
        assert_eq!(item["filterText"], doc[line_start..]);
        let (inserted, _) = expand_snippet(item["textEdit"]["newText"].as_str().unwrap());
        doc.replace_range(line_start.., &inserted);
        version += 1;
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": pos(range.0), "end": pos(range.1)},
                                       "text": inserted}]}),
        );
        s.diagnostics(uri, version)
    };
    type_and_accept(&mut s, &mut doc, "@ae/p2", "SMART goals");
    // Enter, Enter: the editor keeps the last row's indentation on the
    // line the token is typed on (and drops it from the empty line).
    let last = doc.lines().last().unwrap();
    let indent = last.len() - last.trim_start().len();
    assert!(indent > 0, "the SMART frame ends with an indented row");
    let typed = format!("\n\n{}@ae/p2", " ".repeat(indent));
    type_and_accept(&mut s, &mut doc, &typed, "MBO areas");
    let d = type_and_accept(&mut s, &mut doc, "\n\nGoals 中文: @ae/p2", "OKRs");

    let want = format!(
        "# Notes 😀 中文\n\n{}\n\n{}\n\nGoals 中文:\n{}",
        cli_frame("smart", "SMART goals", markdown),
        cli_frame("mbo", "MBO areas", markdown),
        cli_frame("okr", "OKRs", markdown),
    );
    assert_eq!(doc, want);
    assert!(
        d.iter().all(|x| x["code"] == "unfilled-placeholder"),
        "only placeholders are reported: {d:?}"
    );
    assert_eq!(s.shut_down(), Some(0));
}

#[test]
fn frames_in_a_row_land_verbatim_markdown_utf16() {
    frames_in_a_row(Enc::Utf16, true);
}

#[test]
fn frames_in_a_row_land_verbatim_markdown_utf8() {
    frames_in_a_row(Enc::Utf8, true);
}

#[test]
fn frames_in_a_row_land_verbatim_text_utf16() {
    frames_in_a_row(Enc::Utf16, false);
}

#[test]
fn frames_in_a_row_land_verbatim_text_utf8() {
    frames_in_a_row(Enc::Utf8, false);
}

/// The default canon's levels: a canon folder the server loads, beside
/// what each test puts in it.
const LEVELS: &str = include_str!("../canon/levels.json");

/// A canon directory holding a symbolic link loop, named in
/// `initializationOptions`: initialize answers (the loop is reported, not
/// followed) and the server serves with the embedded canon.
#[test]
fn a_canon_with_a_symlink_loop_does_not_stop_initialize() {
    let dir = support::canon_dir("lsp-loop", &[("levels.json", LEVELS)]);
    std::os::unix::fs::symlink(".", dir.join("a")).unwrap();
    let mut s = Session::start(&["lsp"]);
    let r = s.call(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"canon": [dir.to_str().unwrap()]}}),
    );
    assert_eq!(r["serverInfo"]["name"], "goalframe");
    s.notify("initialized", json!({}));
    let uri = "file:///work/loop.md";
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "@ae/p2"}}),
    );
    let list = s.call(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": pos((0, 6))}),
    );
    assert_eq!(list["items"][0]["label"], "SMART goals", "{list}");
    assert_eq!(s.shut_down(), Some(0));
}

/// A canon directory holding a FIFO named like a canon file: the load
/// reports it, and the server places that error on the FIFO's path
/// without opening it (an open would wait for a writer forever), then
/// serves with the embedded canon.
#[test]
fn a_fifo_in_the_canon_is_reported_and_never_opened() {
    let dir = support::canon_dir("lsp-fifo", &[("levels.json", LEVELS)]);
    let fifo = dir.join("pipe.json");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success(), "mkfifo failed");
    let mut s = Session::start(&["lsp"]);
    s.client.initialize(
        json!({"processId": null, "rootUri": null, "capabilities": {},
                               "initializationOptions": {"canon": [dir.to_str().unwrap()]}}),
    );
    let diags = s.diagnostics_where(&format!("file://{}", fifo.display()), None, |_| true);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let message = diags[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("named pipe (FIFO)"), "{message}");
    let uri = "file:///work/fifo.md";
    s.open(uri, "markdown", 1, "@ae/p2");
    let list = s.completion(uri, (0, 6));
    assert_eq!(list["items"][0]["label"], "SMART goals", "{list}");
    assert_eq!(s.shut_down(), Some(0));
}

/// A client that never answers the server's own requests
/// (`workspace/configuration`, `client/registerCapability`) nor reads what
/// the server writes, then sends shutdown and exit (or not) and closes
/// stdin: the server ends.
#[test]
fn the_server_exits_on_end_of_input_whatever_is_pending() {
    let root = support::scratch("lsp-pending");
    std::fs::write(root.join("goalframe.toml"), "placeholders = [\"TBD\"]\n").unwrap();
    let root_uri = format!("file://{}", root.display());
    for exit_first in [true, false] {
        let mut child = Command::new(bin())
            .arg("lsp")
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start goalframe lsp");
        let mut stdin = child.stdin.take().unwrap();
        let mut send = |v: Value| stdin.write_all(&frame(v.to_string().as_bytes())).unwrap();
        send(
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": "w"}],
            "capabilities": {"workspace": {"configuration": true,
                "didChangeWatchedFiles": {"dynamicRegistration": true}}}}}),
        );
        send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": format!("{root_uri}/a.md"), "languageId": "markdown", "version": 1,
             "text": "⟨target⟩ @ae/p2\n".repeat(20_000)}}}),
        );
        if exit_first {
            send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
            send(json!({"jsonrpc": "2.0", "method": "exit"}));
        }
        // Let the server send its request, which is never answered.
        std::thread::sleep(Duration::from_millis(300));
        drop(stdin);
        // Its stdout is never read either: the server is blocked writing
        // the diagnostics of a large document, and must still end.
        let deadline = Instant::now() + WAIT;
        while child.try_wait().expect("wait").is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("the server is still running (exit first: {exit_first})");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Framing faults that used to lose the next valid request: each gets a
/// -32700 and the request right after it is answered.
#[test]
fn malformed_headers_are_answered_and_the_next_request_is_not_lost() {
    let mut s = Session::start(&["lsp"]);
    s.initialize(json!({}));
    let cases: [(&str, &[u8]); 4] = [
        ("an LF-only header", b"Content-Length: 2\n\n{}"),
        (
            "a header without its blank line",
            b"Content-Length: 2\r\n{}",
        ),
        ("binary junk", b"\x00\x01\xffjunk\r\n\x7f"),
        (
            "a length over the cap",
            b"Content-Length: 4294967296\r\n\r\n{\"jsonrpc\"",
        ),
    ];
    for (case, bytes) in cases {
        s.send_raw(bytes);
        let r = s.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": "file:///none.md"}, "position": pos((0, 0))}),
        );
        assert!(
            r.get("error").is_none(),
            "{case}: the next request was lost or failed: {r}"
        );
        let e = s.recv_where(&format!("the error for {case}"), |m| {
            m.get("method").is_none() && m["id"].is_null()
        });
        assert_eq!(e["error"]["code"], -32700, "{case}: {e}");
    }
    // A `$/` request is answered with MethodNotFound.
    let r = s.request("$/unknownRequest", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
}

/// A document with more findings than the cap: the first 1000 are
/// published at their exact ranges (many on one line, after emoji), then
/// one saying how many more there are; closing it clears them.
#[test]
fn diagnostics_are_capped_with_a_summary() {
    for (encodings, enc) in [(&["utf-16"][..], Enc::Utf16), (&["utf-8"][..], Enc::Utf8)] {
        let mut s = Session::start(&["lsp"]);
        s.initialize(json!({"general": {"positionEncodings": encodings}}));
        let uri = "file:///work/many.md";
        let doc = format!(
            "😀 中文 {}\n{}",
            "⟨target⟩ 😀 ".repeat(1200),
            "⟨date⟩\n".repeat(300)
        );
        s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": doc}}),
        );
        let d = s.diagnostics(uri, 1);
        assert_eq!(d.len(), 1001);
        let want = placeholder_ranges(&doc, enc);
        let got: Vec<_> = d[..1000].iter().map(|x| range_of(&x["range"])).collect();
        assert_eq!(got, want[..1000]);
        assert_eq!(d[1000]["code"], "too-many-findings");
        assert_eq!(range_of(&d[1000]["range"]), want[1000]);
        let message = d[1000]["message"].as_str().unwrap();
        assert!(message.starts_with("500 more findings"), "{message}");
        s.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        let cleared = s.recv_where("the diagnostics cleared", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|a| a.is_empty())
        });
        assert!(cleared["params"]["version"].is_null());
        assert_eq!(s.shut_down(), Some(0));
    }
}

/// A finding as (code, line, column, end line, end column), 1-based,
/// columns in code points.
type Located = (String, u64, u64, u64, u64);
/// A way to save a document: (name, line ending, encoder).
type Variant = (&'static str, &'static str, fn(&str) -> Vec<u8>);

/// Lines of `text` as both lint and the server break them: at `\n`,
/// `\r\n` and a lone `\r`.
fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['\n', '\r']) {
        lines.push(&rest[..i]);
        let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + skip..];
    }
    lines.push(rest);
    lines
}

/// The same document saved with every line ending and encoding: `lint`
/// (reading the bytes) and the server (given the text, as an editor
/// decodes it) report the same findings at the same line and column.
#[test]
fn lint_and_the_server_agree_on_every_line_ending_and_encoding() {
    let rendered = support::run(&["render", "ae", "p2", "--frame", "smart", "--format", "text"]);
    let body = support::stdout(&rendered).replace(
        "Manages the entire sales cycle from initial contact",
        "Manages the whole sales cycle from first contact",
    );
    let doc = format!(
        "Notes 😀 中文 for @nobody/p2\n\nSMART goals — Account Executive / Field Sales — P2\n\n{body}"
    );
    let dir = support::scratch("agree");
    let mut s = Session::start(&["lsp"]);
    s.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}));
    let variants: [Variant; 6] = [
        ("lf", "\n", |t| t.as_bytes().to_vec()),
        ("crlf", "\r\n", |t| t.as_bytes().to_vec()),
        ("cr", "\r", |t| t.as_bytes().to_vec()),
        ("bom", "\n", |t| support::encoded_file(t, "utf8bom")),
        ("utf16le", "\r\n", |t| support::encoded_file(t, "utf16le")),
        ("utf16be", "\n", |t| support::encoded_file(t, "utf16be")),
    ];
    let mut first: Option<Vec<Located>> = None;
    for (i, (name, eol, encode)) in variants.into_iter().enumerate() {
        let text = doc.replace('\n', eol);
        let file = dir.join(format!("{name}.txt"));
        std::fs::write(&file, encode(&text)).unwrap();
        let o = support::run(&["lint", file.to_str().unwrap(), "--format", "json"]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", support::stderr(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        let linted: Vec<Located> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let n = |k: &str| f[k].as_u64().unwrap();
                (
                    f["code"].as_str().unwrap().to_string(),
                    n("line"),
                    n("column"),
                    n("endLine"),
                    n("endColumn"),
                )
            })
            .collect();
        assert!(
            linted.iter().any(|f| f.0 == "canon-drift"),
            "{name}: {linted:?}"
        );
        assert!(
            linted.iter().any(|f| f.0 == "unknown-role"),
            "{name}: {linted:?}"
        );

        let uri = format!("file:///work/{name}.txt");
        s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
        );
        let lines = split_lines(&text);
        // UTF-16 position → 1-based (line, column in code points).
        let at = |p: &Value| -> (u64, u64) {
            let line = p["line"].as_u64().unwrap() as usize;
            let units = p["character"].as_u64().unwrap() as usize;
            let mut seen = 0;
            let column = lines[line]
                .chars()
                .take_while(|c| {
                    seen += c.len_utf16();
                    seen <= units
                })
                .count();
            (line as u64 + 1, column as u64 + 1)
        };
        let served: Vec<Located> = s
            .diagnostics(&uri, 1)
            .iter()
            .map(|d| {
                let (a, b) = (at(&d["range"]["start"]), at(&d["range"]["end"]));
                (d["code"].as_str().unwrap().to_string(), a.0, a.1, b.0, b.1)
            })
            .collect();
        assert_eq!(linted, served, "{name}: lint and the server disagree");
        match &first {
            None => first = Some(linted),
            Some(f) => assert_eq!(&linted, f, "{name} differs from {}", i),
        }
    }
    assert_eq!(s.shut_down(), Some(0));
}

/// `goalframe.export` over stdio: refused with the pre-flight problems as
/// diagnostics and nothing written (an existing file kept), then the same
/// bytes as `goalframe export` for the workspace and for one open
/// document, whose unsaved text is what is exported.
#[test]
fn the_export_command_writes_what_the_command_line_writes() {
    let ws = support::scratch("export-ws");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    for name in ["review-draft.md", "review-filled.md"] {
        std::fs::copy(examples.join(name), ws.join(name)).unwrap();
    }
    // A document saved as UTF-16 with its byte order mark: read from disk
    // as the command line reads it, not skipped.
    let filled_text = std::fs::read_to_string(examples.join("review-filled.md")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(filled_text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(ws.join("review-utf16.md"), utf16).unwrap();
    let cli = |args: &[&str]| {
        let o = Command::new(bin())
            .args(args)
            .current_dir(&ws)
            .output()
            .unwrap();
        (o.status.code(), o.stdout)
    };
    let file_uri = |name: &str| format!("file://{}", ws.join(name).display());
    let mut s = Session::start(&["lsp"]);
    s.client.initialize_and_settle(json!({
        "processId": null,
        "rootUri": file_uri(""),
        "workspaceFolders": [{"uri": file_uri(""), "name": "ws"}],
        "capabilities": {},
    }));
    let export = |s: &mut Session, args: Value| {
        s.request(
            "workspace/executeCommand",
            json!({"command": "goalframe.export", "arguments": [args]}),
        )
    };

    // The draft has unfilled goals: nothing is written, the old file stays.
    std::fs::write(ws.join("goals.csv"), "old\n").unwrap();
    let refused = export(&mut s, json!({"format": "csv", "output": "goals.csv"}));
    let r = &refused["result"];
    assert_eq!(r["written"], false, "{refused}");
    assert!(r["refusedGoals"].as_u64().unwrap() > 0, "{refused}");
    let problems = r["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{refused}");
    assert_eq!(problems[0]["uri"], file_uri("review-draft.md"));
    let codes: Vec<&str> = problems[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"unfilled-placeholder"), "{codes:?}");
    assert_eq!(
        std::fs::read_to_string(ws.join("goals.csv")).unwrap(),
        "old\n"
    );
    assert_eq!(
        cli(&["export", "--format", "csv"]).0,
        Some(1),
        "the command line refuses too"
    );

    // Incomplete goals allowed: the workspace, as `goalframe export` in it.
    for format in ["json", "csv", "culture-amp", "betterworks"] {
        let out = ws.join(format!("all.{format}"));
        let done = export(
            &mut s,
            json!({"format": format, "output": out.display().to_string(), "allowIncomplete": true}),
        );
        assert_eq!(done["result"]["written"], true, "{done}");
        assert_eq!(done["result"]["skipped"], json!([]), "{done}");
        assert_eq!(done["result"]["documents"], 3, "{done}");
        let (code, expected) = cli(&["export", "--allow-incomplete", "--format", format]);
        assert_eq!(code, Some(0));
        assert_eq!(std::fs::read(&out).unwrap(), expected, "{format}");
        // The filled review and its UTF-16 copy are one person's goals
        // for one cycle: said as the command line says it.
        assert_eq!(
            done["result"]["sharedOwners"],
            json!([{"owner": "dana.whitfield@example.com", "cycle": "FY2027 H1",
                    "paths": ["review-filled.md", "review-utf16.md"]}]),
            "{done}"
        );
        let said = Command::new(bin())
            .args(["export", "--allow-incomplete", "--format", format])
            .current_dir(&ws)
            .output()
            .unwrap()
            .stderr;
        let warning = format!(
            "warning: {}\n",
            done["result"]["warnings"][0].as_str().unwrap()
        );
        assert!(
            String::from_utf8_lossy(&said).contains(&warning),
            "{warning} in {}",
            String::from_utf8_lossy(&said)
        );
    }

    // No format: the output's name says it, as on the command line.
    let out = ws.join("named.csv");
    let done = export(
        &mut s,
        json!({"output": out.display().to_string(), "allowIncomplete": true}),
    );
    assert_eq!(done["result"]["format"], "csv", "{done}");
    let (_, expected) = cli(&["export", "--allow-incomplete", "--format", "csv"]);
    assert_eq!(std::fs::read(&out).unwrap(), expected);

    // One open document, from the editor's copy: the draft's buffer holds
    // the filled review, so it exports although the draft on disk would not.
    let filled = std::fs::read_to_string(ws.join("review-filled.md")).unwrap();
    s.open(&file_uri("review-draft.md"), "markdown", 1, &filled);
    let done = export(
        &mut s,
        json!({"format": "culture-amp", "output": file_uri("one.csv"), "uri": file_uri("review-draft.md")}),
    );
    assert_eq!(done["result"]["written"], true, "{done}");
    assert_eq!(done["result"]["documents"], 1, "{done}");
    let (code, expected) = cli(&["export", "review-filled.md", "--format", "culture-amp"]);
    assert_eq!(code, Some(0));
    let got = String::from_utf8(std::fs::read(ws.join("one.csv")).unwrap()).unwrap();
    // The same goals; only the document's name differs.
    let expected = String::from_utf8(expected)
        .unwrap()
        .replace("review-filled.md", "review-draft.md");
    assert_eq!(got, expected);

    // Bad arguments are errors, and the server goes on.
    let bad = export(&mut s, json!({"format": "xlsx", "output": "x"}));
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown format `xlsx`"),
        "{bad}"
    );
    // Without a format, a name that says another is refused, as on the
    // command line.
    let bad = export(&mut s, json!({"output": file_uri("goals.xlsx")}));
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .ends_with("goals.xlsx: the file's name says `.xlsx`, which `export` does not write; name the format with --format json, csv, culture-amp or betterworks, or name the file .json or .csv"),
        "{bad}"
    );
    assert!(!ws.join("goals.xlsx").exists());
    let bad = export(&mut s, json!({"format": "csv"}));
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("needs { output"),
        "{bad}"
    );
    let bad = export(
        &mut s,
        json!({"format": "csv", "output": ws.display().to_string(), "allowIncomplete": true}),
    );
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("is a directory"),
        "{bad}"
    );
    // A named pipe is refused at once: the export waited, on a thread of
    // its own, for a reader that never came, and the request went
    // unanswered.
    let fifo = ws.join("pipe.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()));
    let bad = export(
        &mut s,
        json!({"output": fifo.display().to_string(), "allowIncomplete": true}),
    );
    let said = bad["error"]["message"].as_str().unwrap_or_default();
    assert!(
        said.ends_with("pipe.csv is a named pipe (FIFO); goalframe.export writes a file"),
        "{bad}"
    );
    std::fs::remove_file(&fifo).unwrap();
    // A misspelt key is named, not passed over: `URI` would have made an
    // export of one document the whole workspace's.
    let bad = export(
        &mut s,
        json!({"format": "json", "output": "one.json", "URI": file_uri("review-filled.md")}),
    );
    let said = bad["error"]["message"].as_str().unwrap_or_default();
    assert!(said.contains("goalframe.export takes no `URI`"), "{bad}");
    let bad = s.request(
        "workspace/executeCommand",
        json!({"command": "goalframe.render", "arguments": [{"role": "ae", "level": "p2", "frames": "okr"}]}),
    );
    let said = bad["error"]["message"].as_str().unwrap_or_default();
    assert!(said.contains("goalframe.render takes no `frames`"), "{bad}");
    for (command, args) in [
        (
            "goalframe.canon",
            json!({"url": file_uri("review-filled.md")}),
        ),
        (
            "goalframe.nextPlaceholder",
            json!({"uri": file_uri("review-filled.md"), "pos": {"line": 0, "character": 0}}),
        ),
    ] {
        let bad = s.request(
            "workspace/executeCommand",
            json!({"command": command, "arguments": [args]}),
        );
        let said = bad["error"]["message"].as_str().unwrap_or_default();
        assert!(said.starts_with(&format!("{command} takes no `")), "{bad}");
    }
    // A document that is no file, or that cannot be read: nothing is
    // exported, and the earlier export stays (it used to be replaced by an
    // empty one, with the document listed as skipped).
    std::fs::write(ws.join("kept.json"), "the earlier export\n").unwrap();
    s.open("untitled:Untitled-1", "markdown", 1, &filled);
    let bad = export(
        &mut s,
        json!({"output": "kept.json", "uri": "untitled:Untitled-1", "allowIncomplete": true}),
    );
    let said = bad["error"]["message"].as_str().unwrap_or_default();
    assert!(said.contains("is not a file; save the document"), "{bad}");
    let bad = export(
        &mut s,
        json!({"output": "kept.json", "uri": file_uri("gone.md"), "allowIncomplete": true}),
    );
    let said = bad["error"]["message"].as_str().unwrap_or_default();
    assert!(said.starts_with("nothing was exported: gone.md: "), "{bad}");
    assert_eq!(
        std::fs::read_to_string(ws.join("kept.json")).unwrap(),
        "the earlier export\n"
    );
    // An output that is one of the documents read is refused, and the
    // document kept.
    let draft = std::fs::read(ws.join("review-draft.md")).unwrap();
    let bad = export(
        &mut s,
        json!({"format": "json", "output": "review-draft.md", "allowIncomplete": true}),
    );
    let said = bad["error"]["message"].as_str().unwrap_or_default();
    assert!(said.contains("one of the documents read"), "{bad}");
    assert_eq!(std::fs::read(ws.join("review-draft.md")).unwrap(), draft);
    assert_eq!(s.shut_down(), Some(0));
}
