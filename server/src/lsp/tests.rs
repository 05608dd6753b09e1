//! In-process tests of the language server: the real `Backend` behind
//! tower-lsp's `Server`, over `tokio::io::duplex` pipes with real JSON-RPC
//! framing, driven by a small test client that answers the server's own
//! requests (`workspace/configuration`, `client/(un)registerCapability`)
//! and collects what it publishes. Expected positions are computed by the
//! test from the strings (`tests/support/lsp_text.rs`), never by the
//! server's own conversion code.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::Server;

use goalframe::analysis::DocKind;
use goalframe::render::{self, Form, Frame, Markup, Selection};

use super::state::State;

#[path = "../../../tests/support/lsp_text.rs"]
mod lsp_text;
use lsp_text::{
    apply_edits, core_diagnostics, end_placeholder, expand_snippet_text, header_length, position,
    random_edit, random_edit_with, Enc, Rng,
};

/// Every wait is bounded: a hang fails the test instead of blocking it.
const WAIT: Duration = Duration::from_secs(20);

const SMART_MARKER: &str = "<!-- goalframe: account-executive-field-sales/P2 smart -->";

fn frame_bytes(msg: &Value) -> Vec<u8> {
    let body = msg.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Reads one framed message; `None` at end of stream.
async fn read_message<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some(n) = header_length(line) {
            len = Some(n);
        }
    }
    let mut body = vec![0; len.expect("server sent Content-Length")];
    r.read_exact(&mut body).await.ok()?;
    Some(serde_json::from_slice(&body).expect("server sent JSON"))
}

/// A JSON-RPC peer playing the editor.
struct TestClient {
    out: mpsc::UnboundedSender<Vec<u8>>,
    inbox: mpsc::UnboundedReceiver<Value>,
    /// Messages read while waiting for something else, in arrival order.
    stash: VecDeque<Value>,
    next_id: i64,
    /// What the client answers to `workspace/configuration` (per item).
    config: Arc<Mutex<Value>>,
    /// The server's state, for exact comparisons.
    state: Arc<Mutex<State>>,
}

impl TestClient {
    fn start() -> TestClient {
        let (service, socket) = super::service();
        let state = service.0.inner().state.clone();
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (server_read, server_write) = tokio::io::split(server_end);
        tokio::spawn(Server::new(server_read, server_write, socket).serve(service));

        let (client_read, mut client_write) = tokio::io::split(client_end);
        let (out, mut out_rx) = mpsc::unbounded_channel::<Vec<u8>>();
        tokio::spawn(async move {
            while let Some(bytes) = out_rx.recv().await {
                if client_write.write_all(&bytes).await.is_err() {
                    break;
                }
            }
        });
        let (in_tx, inbox) = mpsc::unbounded_channel();
        let config = Arc::new(Mutex::new(Value::Null));
        let (reply, answers) = (out.clone(), config.clone());
        tokio::spawn(async move {
            let mut r = BufReader::new(client_read);
            while let Some(msg) = read_message(&mut r).await {
                // A request from the server: answer it at once, so the
                // server never waits on the test's reading pace.
                if let (Some(method), Some(id)) = (msg["method"].as_str(), msg.get("id")) {
                    let result = match method {
                        "workspace/configuration" => {
                            let n = msg["params"]["items"].as_array().map_or(1, Vec::len);
                            let v = answers.lock().unwrap().clone();
                            Value::Array(vec![v; n])
                        }
                        _ => Value::Null,
                    };
                    let _ = reply.send(frame_bytes(
                        &json!({"jsonrpc": "2.0", "id": id, "result": result}),
                    ));
                }
                if in_tx.send(msg).is_err() {
                    break;
                }
            }
        });
        TestClient {
            out,
            inbox,
            stash: VecDeque::new(),
            next_id: 0,
            config,
            state,
        }
    }

    fn set_config(&self, v: Value) {
        *self.config.lock().unwrap() = v;
    }

    fn notify(&self, method: &str, params: Value) {
        self.out
            .send(frame_bytes(
                &json!({"jsonrpc": "2.0", "method": method, "params": params}),
            ))
            .expect("server connection open");
    }

    /// Sends a request and returns the whole response message.
    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.out
            .send(frame_bytes(
                &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
            ))
            .expect("server connection open");
        self.recv_where(&format!("response to {method} #{id}"), |m| {
            m.get("method").is_none() && m["id"] == json!(id)
        })
        .await
    }

    /// The result of a request that must succeed.
    async fn call(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params).await;
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// The first message (stashed or new) matching `pred`; others are kept.
    async fn recv_where(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.stash.iter().position(&pred) {
            return self.stash.remove(i).expect("index in range");
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.inbox.recv()).await {
                Ok(Some(m)) if pred(&m) => return m,
                Ok(Some(m)) => self.stash.push_back(m),
                Ok(None) => panic!("server closed the connection while waiting for {what}"),
                Err(_) => panic!(
                    "timed out waiting for {what}; received meanwhile: {:#?}",
                    self.stash
                ),
            }
        }
    }

    /// The next `publishDiagnostics` for `uri` with `version` whose
    /// diagnostics satisfy `pred`.
    async fn diagnostics_where(
        &mut self,
        uri: &str,
        version: Option<i64>,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let m = self
            .recv_where(&format!("diagnostics for {uri} v{version:?}"), |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"].as_i64() == version
                    && pred(m["params"]["diagnostics"].as_array().expect("array"))
            })
            .await;
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        self.diagnostics_where(uri, Some(version), |_| true).await
    }

    /// `initialize` then `initialized`, and waits until the server has
    /// applied its settings and canon (its `canon:` log line), so later
    /// documents are analysed with them.
    async fn initialize(&mut self, params: Value) -> Value {
        let result = self.call("initialize", params).await;
        self.notify("initialized", json!({}));
        self.recv_where("the server's canon log line", |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("canon: ") || s.contains("keeping the last"))
        })
        .await;
        result
    }

    fn open(&self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        );
    }

    fn change(&self, uri: &str, version: i64, start: (u32, u32), end: (u32, u32), text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": range(start, end), "text": text}]
            }),
        );
    }

    async fn completion(&mut self, uri: &str, at: (u32, u32)) -> Value {
        self.call(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(at)}),
        )
        .await
    }

    /// The server's copy of a document.
    fn server_text(&self, uri: &str) -> Option<String> {
        let st = self.state.lock().unwrap();
        st.docs
            .iter()
            .find(|(u, _)| u.as_str() == uri)
            .map(|(_, d)| d.rope.to_string())
    }
}

fn pos(p: (u32, u32)) -> Value {
    json!({"line": p.0, "character": p.1})
}

fn range(a: (u32, u32), b: (u32, u32)) -> Value {
    json!({"start": pos(a), "end": pos(b)})
}

fn pair(p: &Value) -> (u32, u32) {
    (
        p["line"].as_u64().expect("line") as u32,
        p["character"].as_u64().expect("character") as u32,
    )
}

fn range_of(v: &Value) -> ((u32, u32), (u32, u32)) {
    (pair(&v["start"]), pair(&v["end"]))
}

/// The LSP range of the `n`-th occurrence of `needle` in `text`.
fn find_range(text: &str, needle: &str, n: usize, enc: Enc) -> ((u32, u32), (u32, u32)) {
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

fn init_params(encodings: Option<&[&str]>, snippets: bool) -> Value {
    let mut caps = json!({
        "textDocument": {"completion": {"completionItem": {"snippetSupport": snippets}}}
    });
    if let Some(e) = encodings {
        caps["general"] = json!({ "positionEncodings": e });
    }
    json!({"processId": null, "rootUri": null, "capabilities": caps})
}

async fn started(encodings: Option<&[&str]>, snippets: bool) -> TestClient {
    let mut c = TestClient::start();
    c.initialize(init_params(encodings, snippets)).await;
    c
}

fn embedded_text(frame: Frame, markup: Markup) -> String {
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

#[tokio::test]
async fn initialize_negotiates_the_position_encoding_and_announces_capabilities() {
    for (offered, expected) in [
        (Some(&["utf-8", "utf-16"][..]), "utf-8"),
        (Some(&["utf-16", "utf-8"][..]), "utf-8"),
        (Some(&["utf-16"][..]), "utf-16"),
        (Some(&["utf-32"][..]), "utf-16"),
        (None, "utf-16"),
    ] {
        let mut c = TestClient::start();
        let r = c.call("initialize", init_params(offered, true)).await;
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
            json!(["quickfix"])
        );
        assert_eq!(
            caps["executeCommandProvider"]["commands"],
            json!(["goalframe.render", "goalframe.canon"])
        );
        assert_eq!(
            r["serverInfo"],
            json!({"name": "goalframe", "version": env!("CARGO_PKG_VERSION")})
        );
    }
}

#[tokio::test]
async fn placeholder_columns_are_exact_after_emoji_and_cjk_in_both_encodings() {
    let text = "x\r\n😀中文 ⟨target⟩ and 🎉⟨date⟩\n";
    for (offered, enc) in [
        (Some(&["utf-8", "utf-16"][..]), Enc::Utf8),
        (None, Enc::Utf16),
    ] {
        let mut c = started(offered, true).await;
        c.open("file:///w/cols.md", "markdown", 1, text);
        let diags = c.diagnostics("file:///w/cols.md", 1).await;
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

#[tokio::test]
async fn completion_offers_roles_then_levels_then_frames_in_markdown() {
    let mut c = started(Some(&["utf-16"]), true).await;
    let uri = "file:///w/goals.md";
    let text = "# Plan 😀\n\nrole 中文 @a\nlevel @ae/\n\n@ae/p2\n";
    c.open(uri, "markdown", 1, text);

    // Roles after `@`.
    let (s, e) = find_range(text, "@a", 0, Enc::Utf16);
    let r = c.completion(uri, e).await;
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
    let r = c.completion(uri, e).await;
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
    let r = c.completion(uri, e).await;
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
    let expanded = expand_snippet_text(smart);
    assert!(
        expanded.starts_with(&format!("{SMART_MARKER}\n")),
        "{expanded}"
    );
    assert_eq!(expanded, embedded_text(Frame::Smart, Markup::Markdown));
    // The cursor may sit anywhere inside the token: same range, same items.
    let mid = (e.0, e.1 - 2);
    let r = c.completion(uri, mid).await;
    assert_eq!(range_of(&r["items"][0]["textEdit"]["range"]), (s, e));
}

#[tokio::test]
async fn clients_without_snippets_get_plain_text_and_text_documents_get_the_text_form() {
    let mut c = started(None, false).await;
    let md = "file:///w/a.md";
    c.open(md, "markdown", 1, "@ae/p2");
    let r = c.completion(md, (0, 6)).await;
    let smart = &r["items"][0];
    assert_eq!(smart["insertTextFormat"], 1);
    let new_text = smart["textEdit"]["newText"].as_str().unwrap();
    assert!(!new_text.contains("${"), "{new_text}");
    assert_eq!(new_text, embedded_text(Frame::Smart, Markup::Markdown));

    let txt = "file:///w/notes.txt";
    c.open(txt, "plaintext", 1, "goals: @ae/p2");
    let r = c.completion(txt, (0, 13)).await;
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
    let mut c = started(None, true).await;
    c.open(txt, "plaintext", 1, "@ae/p2");
    let r = c.completion(txt, (0, 6)).await;
    let smart = &r["items"][0];
    assert_eq!(smart["insertTextFormat"], 2);
    let expanded = expand_snippet_text(smart["textEdit"]["newText"].as_str().unwrap());
    assert_eq!(expanded, embedded_text(Frame::Smart, Markup::Text));
}

#[tokio::test]
async fn diagnostics_carry_the_version_and_are_cleared_on_close() {
    let mut c = started(None, true).await;
    let uri = "file:///w/v.md";
    c.open(uri, "markdown", 7, "⟨target⟩ @nobody/p2 @ae/p9\n");
    let d = c.diagnostics(uri, 7).await;
    assert_eq!(
        codes(&d),
        ["unfilled-placeholder", "unknown-role", "unknown-level"]
    );
    assert_eq!(d[1]["severity"], 1);
    assert_eq!(range_of(&d[1]["range"]), ((0, 9), (0, 19)));
    assert!(d[2]["message"].as_str().unwrap().contains("P2"), "{}", d[2]);

    // Fill the placeholder: version 8 has one diagnostic fewer.
    c.change(uri, 8, (0, 0), (0, 8), "12");
    let d = c.diagnostics(uri, 8).await;
    assert_eq!(codes(&d), ["unknown-role", "unknown-level"]);
    assert_eq!(range_of(&d[0]["range"]), ((0, 3), (0, 13)));

    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let d = c.diagnostics_where(uri, None, |_| true).await;
    assert!(d.is_empty());
    assert!(c.server_text(uri).is_none());
}

#[tokio::test]
async fn hover_describes_tokens_and_marker_lines() {
    let mut c = started(None, true).await;
    let uri = "file:///w/h.md";
    let text = format!("😀 @ae/p2 here\n{SMART_MARKER}\n");
    c.open(uri, "markdown", 1, &text);
    let h = c
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos((0, 5))}),
        )
        .await;
    assert_eq!(h["contents"]["kind"], "markdown");
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("Account Executive / Field Sales"), "{md}");
    assert!(md.contains("P2 — Developing Professional"), "{md}");
    assert!(md.contains("Defined deliverables / small features"), "{md}");
    assert_eq!(
        range_of(&h["range"]),
        find_range(&text, "@ae/p2", 0, Enc::Utf16)
    );

    let h = c
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos((1, 20))}),
        )
        .await;
    assert!(h["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Account Executive / Field Sales"));
    assert_eq!(h["range"]["start"], pos((1, 0)));
    assert_eq!(h["range"]["end"]["line"], 1);

    // Plain words: no hover.
    let h = c
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos((0, 12))}),
        )
        .await;
    assert!(h.is_null());
}

#[tokio::test]
async fn execute_command_renders_and_describes_the_canon() {
    let mut c = started(None, true).await;
    let r = c
        .call(
            "workspace/executeCommand",
            json!({"command": "goalframe.render",
                   "arguments": [{"role": "ae", "level": "p2", "frame": "smart", "form": "text"}]}),
        )
        .await;
    let text = r.as_str().unwrap();
    assert!(text.starts_with("SMART goals — Account Executive / Field Sales — P2\n\n1. Manages"));
    assert_eq!(text, embedded_text(Frame::Smart, Markup::Text));

    let r = c
        .call(
            "workspace/executeCommand",
            json!({"command": "goalframe.render",
                   "arguments": [{"role": "Account Executive / Field Sales", "level": "P2",
                                  "frame": "okr", "snippet": true}]}),
        )
        .await;
    let snippet = r.as_str().unwrap();
    assert!(snippet.contains("${"));
    assert_eq!(
        expand_snippet_text(snippet),
        embedded_text(Frame::Okr, Markup::Markdown)
    );

    let r = c
        .request(
            "workspace/executeCommand",
            json!({"command": "goalframe.render",
                   "arguments": [{"role": "account-executiv-field-sales", "level": "P2"}]}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("account-executive-field-sales"));

    let r = c
        .request(
            "workspace/executeCommand",
            json!({"command": "goalframe.nope", "arguments": []}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32602, "{r}");

    let r = c
        .call(
            "workspace/executeCommand",
            json!({"command": "goalframe.canon", "arguments": []}),
        )
        .await;
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
    for (id, _) in &frames {
        let rendered = c
            .call(
                "workspace/executeCommand",
                json!({"command": "goalframe.render",
                       "arguments": [{"role": "ae", "level": "p2", "frame": id}]}),
            )
            .await;
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

#[tokio::test]
async fn quick_fix_replaces_an_unknown_role_and_the_diagnostic_goes_away() {
    for (offered, enc) in [(Some(&["utf-8"][..]), Enc::Utf8), (None, Enc::Utf16)] {
        let mut c = started(offered, true).await;
        let uri = "file:///w/fix.md";
        let text = "中文 😀 goals for @acount-executive-field-sales/P2 and @ae/P7\n";
        c.open(uri, "markdown", 1, text);
        let d = c.diagnostics(uri, 1).await;
        assert_eq!(codes(&d), ["unknown-role", "unknown-level"], "{enc:?}");
        let token = "@acount-executive-field-sales/P2";
        assert_eq!(range_of(&d[0]["range"]), find_range(text, token, 0, enc));

        let actions = c
            .call(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": d[0]["range"],
                       "context": {"diagnostics": [d[0]]}}),
            )
            .await;
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
        let d = c.diagnostics(uri, 2).await;
        assert_eq!(codes(&d), ["unknown-level"]);

        // And the level fix for the other one.
        let actions = c
            .call(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": d[0]["range"],
                       "context": {"diagnostics": d}}),
            )
            .await;
        let fix = &actions[0];
        assert_eq!(fix["title"], "Replace with `P2`");
        let fixed2 = apply_workspace_edit(&fixed, &fix["edit"], uri, enc);
        assert!(fixed2.ends_with("@ae/P2\n"), "{fixed2}");
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": fixed2}]}),
        );
        assert!(c.diagnostics(uri, 3).await.is_empty());
    }
}

#[tokio::test]
async fn out_of_range_positions_are_clamped_and_never_crash() {
    let mut c = started(None, true).await;
    let uri = "file:///w/oor.md";
    c.open(uri, "markdown", 1, "first 😀\nlevel @ae/");
    c.diagnostics(uri, 1).await;

    // Past the end of the document: the document's end, after `@ae/`.
    let r = c.completion(uri, (999, 999)).await;
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
    let r = c.completion(uri, (0, 7)).await;
    assert!(r.is_null(), "{r}");
    // Past the end of line 1: the line's end, i.e. after `@ae/`.
    let r = c.completion(uri, (1, 999)).await;
    assert_eq!(r["items"][0]["label"], "P2 — Developing Professional");
    assert_eq!(
        range_of(&r["items"][0]["textEdit"]["range"]),
        ((1, 6), (1, 10))
    );
    let h = c
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos((999, 999))}),
        )
        .await;
    assert!(h.is_null());
    let a = c
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range((999, 999), (1000, 0)),
                   "context": {"diagnostics": []}}),
        )
        .await;
    assert!(a.as_array().is_some());

    // Edits past the end of a line / of the document land at the end.
    c.change(uri, 2, (0, 999), (0, 999), " ⟨x⟩");
    c.change(uri, 3, (999, 999), (999, 999), "p2");
    let d = c.diagnostics(uri, 3).await;
    assert_eq!(c.server_text(uri).unwrap(), "first 😀 ⟨x⟩\nlevel @ae/p2");
    assert_eq!(codes(&d), ["unfilled-placeholder"]);
    assert_eq!(range_of(&d[0]["range"]), ((0, 9), (0, 12)));
    // A reversed range is taken as the range it spans.
    c.change(uri, 4, (0, 12), (0, 8), "");
    c.diagnostics(uri, 4).await;
    assert_eq!(c.server_text(uri).unwrap(), "first 😀\nlevel @ae/p2");
    // Requests for documents the server never saw.
    let r = c.completion("file:///w/never.md", (0, 0)).await;
    assert!(r.is_null());
    // Still serving.
    let r = c.completion(uri, (1, 12)).await;
    assert_eq!(r["items"][0]["label"], "SMART goals");
}

#[tokio::test]
async fn settings_from_initialization_options() {
    let mut c = TestClient::start();
    let mut params = init_params(None, true);
    params["initializationOptions"] = json!({"severity": {"unfilled-placeholder": "off"}});
    c.initialize(params).await;
    let uri = "file:///w/s.md";
    c.open(uri, "markdown", 1, "⟨target⟩ by ⟨date⟩ for @nobody/p2\n");
    let d = c.diagnostics(uri, 1).await;
    assert_eq!(codes(&d), ["unknown-role"]);

    // Options the server cannot use are reported, and it still works with
    // its defaults.
    let mut c = TestClient::start();
    let mut params = init_params(None, true);
    params["initializationOptions"] = json!({"severity": {"unfilled-placeholder": "loud"}});
    c.initialize(params).await;
    let m = c
        .recv_where("showMessage about initializationOptions", |m| {
            m["method"] == "window/showMessage"
        })
        .await;
    assert_eq!(m["params"]["type"], 1);
    let msg = m["params"]["message"].as_str().unwrap();
    assert!(
        msg.contains("initializationOptions") && msg.contains("loud"),
        "{msg}"
    );
    c.open(uri, "markdown", 1, "⟨target⟩\n");
    assert_eq!(
        codes(&c.diagnostics(uri, 1).await),
        ["unfilled-placeholder"]
    );

    // Without the option, the same document has both placeholders.
    let mut c = started(None, true).await;
    c.open(uri, "markdown", 1, "⟨target⟩ by ⟨date⟩ for @nobody/p2\n");
    let d = c.diagnostics(uri, 1).await;
    assert_eq!(
        codes(&d),
        [
            "unfilled-placeholder",
            "unfilled-placeholder",
            "unknown-role"
        ]
    );
}

#[tokio::test]
async fn settings_pulled_with_workspace_configuration() {
    let mut c = TestClient::start();
    c.set_config(json!({"severity": {"unfilled-placeholder": "off", "unknown-role": "hint"}}));
    let mut params = init_params(None, true);
    params["capabilities"]["workspace"] = json!({"configuration": true});
    c.initialize(params).await;
    let asked = c
        .recv_where("workspace/configuration request", |m| {
            m["method"] == "workspace/configuration"
        })
        .await;
    assert_eq!(asked["params"]["items"][0]["section"], "goalframe");

    let uri = "file:///w/pull.md";
    c.open(uri, "markdown", 1, "⟨target⟩ @nobody/p2\n");
    let d = c.diagnostics(uri, 1).await;
    assert_eq!(codes(&d), ["unknown-role"]);
    assert_eq!(d[0]["severity"], 4);

    // The user changes the settings: the server pulls again and republishes.
    c.set_config(json!({"severity": {"unknown-role": "off"}}));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let d = c
        .diagnostics_where(uri, Some(1), |d| {
            d.iter().any(|x| x["code"] == "unfilled-placeholder")
        })
        .await;
    assert_eq!(codes(&d), ["unfilled-placeholder"]);

    // `null` means no settings at all: defaults again.
    c.set_config(Value::Null);
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    let d = c.diagnostics_where(uri, Some(1), |d| d.len() == 2).await;
    assert_eq!(codes(&d), ["unfilled-placeholder", "unknown-role"]);
}

#[tokio::test]
async fn settings_pushed_with_did_change_configuration() {
    let mut c = started(None, true).await;
    let uri = "file:///w/push.md";
    c.open(uri, "markdown", 1, "⟨target⟩ @nobody/p2\n");
    let d = c.diagnostics(uri, 1).await;
    assert_eq!(codes(&d), ["unfilled-placeholder", "unknown-role"]);

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"goalframe": {"severity": {"unfilled-placeholder": "off"}}}}),
    );
    let d = c.diagnostics_where(uri, Some(1), |d| d.len() == 1).await;
    assert_eq!(codes(&d), ["unknown-role"]);

    // The settings object itself is accepted too; a new placeholder
    // look-alike is flagged at "error".
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"placeholders": ["TBD"],
                            "severity": {"unfilled-placeholder": "error"}}}),
    );
    c.change(uri, 2, (1, 0), (1, 0), "TBD");
    let d = c
        .diagnostics_where(uri, Some(2), |d| {
            d.iter()
                .filter(|x| x["code"] == "unfilled-placeholder")
                .count()
                == 2
        })
        .await;
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
    let m = c
        .recv_where("showMessage about the bad setting", |m| {
            m["method"] == "window/showMessage"
        })
        .await;
    assert_eq!(m["params"]["type"], 1);
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-code"),
        "{m}"
    );
    let r = c.completion(uri, (0, 19)).await;
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
async fn random_edits_keep_the_server_text_identical(
    offered: Option<&[&str]>,
    enc: Enc,
    seed: u64,
) {
    let seed = seed_from_env(seed);
    let mut c = started(offered, true).await;
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
    let d = c.diagnostics(uri, 402).await;
    // Diagnostics were published in version order, so an editor showing
    // the last ones it received shows the current ones. (A round trip
    // first, so anything published late has arrived.)
    let before = c.stash.len();
    c.call(
        "workspace/executeCommand",
        json!({"command": "goalframe.canon"}),
    )
    .await;
    while let Ok(m) = c.inbox.try_recv() {
        c.stash.push_back(m);
    }
    let version = |m: &Value| {
        (m["method"] == "textDocument/publishDiagnostics")
            .then(|| m["params"]["version"].as_i64().unwrap())
    };
    let in_arrival_order: Vec<i64> = c
        .stash
        .iter()
        .take(before)
        .filter_map(version)
        .chain([402])
        .chain(c.stash.iter().skip(before).filter_map(version))
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

#[tokio::test]
async fn random_incremental_edits_in_utf16_keep_server_and_client_in_sync() {
    random_edits_keep_the_server_text_identical(None, Enc::Utf16, 0x5eed_0016).await;
}

#[tokio::test]
async fn random_incremental_edits_in_utf8_keep_server_and_client_in_sync() {
    random_edits_keep_the_server_text_identical(Some(&["utf-8", "utf-16"]), Enc::Utf8, 0x5eed_0008)
        .await;
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
#[tokio::test]
async fn diagnostics_after_every_edit_equal_a_full_analysis() {
    let mut c = started(None, true).await;
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
        let d = c.diagnostics(uri, v).await;
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

#[tokio::test]
async fn canon_reloads_on_watched_file_changes_and_keeps_the_last_good_canon() {
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
    }))
    .await;
    let reg = c
        .recv_where("client/registerCapability", |m| {
            m["method"] == "client/registerCapability"
        })
        .await;
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
    let r = c.completion(uri, (0, 3)).await;
    assert_eq!(r["items"][0]["label"], "Widget Maker");
    let r = c.completion(uri, (1, 6)).await;
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
    })
    .await;
    let r = c.completion(uri, (0, 3)).await;
    assert_eq!(r["items"][0]["label"], "Gadget Maker");
    let r = c.completion(uri, (1, 6)).await;
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
    let shown = c
        .recv_where("showMessage for the broken canon", |m| {
            m["method"] == "window/showMessage"
        })
        .await;
    assert_eq!(shown["params"]["type"], 1);
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("keeping the last good canon"),
        "{shown}"
    );
    let role_uri = file_uri(&role_file);
    let d = c
        .diagnostics_where(&role_uri, None, |d| !d.is_empty())
        .await;
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

    let r = c.completion(uri, (0, 3)).await;
    assert_eq!(r["items"][0]["label"], "Gadget Maker");
    let r = c
        .call(
            "workspace/executeCommand",
            json!({"command": "goalframe.canon", "arguments": []}),
        )
        .await;
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
    let d = c.diagnostics_where(&role_uri, None, |d| d.is_empty()).await;
    assert!(d.is_empty());
    let r = c.completion(uri, (0, 3)).await;
    assert_eq!(r["items"][0]["label"], "Gizmo Maker");
    let r = c
        .call(
            "workspace/executeCommand",
            json!({"command": "goalframe.canon", "arguments": []}),
        )
        .await;
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
    })
    .await;
    let r = c.completion(uri, (0, 3)).await;
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
        let r = c
            .call(
                "workspace/executeCommand",
                json!({"command": "goalframe.canon", "arguments": []}),
            )
            .await;
        if !r["settingsErrors"].as_array().is_some_and(|e| e.is_empty()) {
            break r;
        }
        tokio::task::yield_now().await;
    };
    let error = r["settingsErrors"][0].as_str().unwrap().to_string();
    assert!(error.contains("goalframe.toml"), "{error}");
    assert!(
        error.contains("the last settings that loaded stay in use"),
        "{error}"
    );
    let r = c.completion(uri, (0, 3)).await;
    assert_eq!(
        r["items"][0]["label"], "Doohickey Maker",
        "the canon fell back"
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// Settings that are not an object get a message saying what they must be.
#[tokio::test]
async fn settings_that_are_not_an_object_are_explained() {
    let mut c = TestClient::start();
    let mut params = init_params(None, false);
    params["initializationOptions"] = json!([]);
    c.initialize(params).await;
    let r = c
        .call(
            "workspace/executeCommand",
            json!({"command": "goalframe.canon", "arguments": []}),
        )
        .await;
    assert_eq!(
        r["settingsErrors"],
        json!(["initializationOptions: settings must be an object such as {\"canon\": [\"hr-canon\"]}, not an array"])
    );
}

// --- The stdin pump (malformed input) ----------------------------------

/// Frames fed to `transport::pump` one byte at a time (the worst split a
/// pipe can produce): valid messages pass unchanged, malformed ones become
/// the stand-in request that yields the right JSON-RPC error, and framing
/// recovers after a bad header even when the garbage arrives separately.
#[tokio::test]
async fn the_stdin_pump_replaces_malformed_frames_and_resynchronises() {
    use super::transport::{pump, INVALID_MESSAGE};
    let (mut feed, input) = tokio::io::duplex(8);
    let (output, from_pump) = tokio::io::duplex(64 * 1024);
    tokio::spawn(pump(input, output));
    let first = json!({"jsonrpc": "2.0", "id": 1, "method": "a", "params": {"t": "😀\r\n"}});
    let last = json!({"jsonrpc": "2.0", "method": "b"});
    let reply = json!({"jsonrpc": "2.0", "id": 7, "result": null});
    let mut bytes = frame_bytes(&first);
    bytes.extend_from_slice(b"Content-Lenght: 3\r\n\r\nxyz");
    bytes.extend_from_slice(b"Content-Length: many\r\n\r\n{}");
    bytes.extend_from_slice(&frame_bytes(&reply));
    bytes.extend_from_slice(b"Content-Length: 4\r\n\r\n{bad");
    bytes.extend_from_slice(b"Content-Length: 9\r\n\r\n[1, 2, 3]");
    bytes.extend_from_slice(&frame_bytes(&last));
    tokio::spawn(async move {
        for b in bytes {
            feed.write_all(&[b]).await.unwrap();
        }
    });
    let mut r = BufReader::new(from_pump);
    let mut got = Vec::new();
    while let Some(m) = tokio::time::timeout(WAIT, read_message(&mut r))
        .await
        .expect("the pump ends when its input ends")
    {
        got.push(m);
    }
    let stand_in = |code: i64| {
        move |m: &Value| {
            m["method"] == INVALID_MESSAGE && m["id"].is_null() && m["params"]["code"] == code
        }
    };
    assert_eq!(got.len(), 7, "{got:#?}");
    assert_eq!(got[0], first);
    assert!(stand_in(-32700)(&got[1]), "bad header name: {}", got[1]);
    assert!(stand_in(-32700)(&got[2]), "bad length: {}", got[2]);
    assert_eq!(got[3], reply);
    assert!(stand_in(-32700)(&got[4]), "invalid JSON: {}", got[4]);
    assert!(stand_in(-32600)(&got[5]), "not a message: {}", got[5]);
    assert_eq!(got[6], last);
    let e = super::transport::invalid_message_error(&got[5]["params"]);
    assert_eq!(e.code.code(), -32600);
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
#[tokio::test]
async fn a_panicking_handler_answers_its_request_and_the_server_serves_on() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut c = started(None, true).await;
    let r = c.request("goalframe/testPanic", json!({})).await;
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
    let r = c.completion(uri, (0, 6)).await;
    assert_eq!(r["items"][0]["label"], "SMART goals");
}
