//! The one LSP test client: the editor's side of a JSON-RPC connection
//! with real base-protocol framing, over any byte streams. The stdio tests
//! and the benchmarks connect it to the built binary's stdin and stdout;
//! the in-process tests connect it to the server over an in-memory pipe.
//!
//! A reader thread takes every message as it arrives (stamped with its
//! arrival time, for the benchmarks), answers the server's own requests at
//! once (`workspace/configuration` with what the test set, anything else
//! with `null`), so the server never waits on the test's pace. Every wait
//! is bounded: a hung server fails the test instead of blocking it.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long a wait lasts before the test fails (unless set otherwise).
pub const WAIT: Duration = Duration::from_secs(20);

type Writer = Arc<Mutex<Option<Box<dyn Write + Send>>>>;

/// `body` with its `Content-Length` header.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// One header line of a message from the server (line ending removed):
/// `Some(length)` for `Content-Length`, `None` for another header. Only
/// headers may appear on the server's stdout: a stray log line there
/// breaks clients, so anything else fails the test.
pub fn header_length(line: &str) -> Option<usize> {
    assert!(
        line.starts_with("Content-Length: ") || line.starts_with("Content-Type: "),
        "not a JSON-RPC header: {line:?}"
    );
    line.strip_prefix("Content-Length: ")
        .map(|v| v.parse().expect("the server sent a numeric Content-Length"))
}

/// Reads one framed message; `None` at the end of the stream.
pub fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let body = read_frame(r)?;
    Some(serde_json::from_slice(&body).expect("the server sent JSON"))
}

/// Reads one frame's body; `None` at the end of the stream.
pub fn read_frame(r: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
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
    let mut body = vec![0; len.expect("the server sent Content-Length")];
    r.read_exact(&mut body).ok()?;
    Some(body)
}

/// The LSP position `{line, character}`.
pub fn pos(p: (u32, u32)) -> Value {
    json!({"line": p.0, "character": p.1})
}

/// The LSP range from `a` to `b`.
pub fn range(a: (u32, u32), b: (u32, u32)) -> Value {
    json!({"start": pos(a), "end": pos(b)})
}

/// (line, character) of an LSP position.
pub fn pair(p: &Value) -> (u32, u32) {
    (
        p["line"].as_u64().expect("line") as u32,
        p["character"].as_u64().expect("character") as u32,
    )
}

/// (start, end) of an LSP range.
pub fn range_of(v: &Value) -> ((u32, u32), (u32, u32)) {
    (pair(&v["start"]), pair(&v["end"]))
}

/// `initialize` parameters: the position encodings offered (none: the
/// client predates LSP 3.17) and whether completion snippets are
/// supported.
pub fn init_params(encodings: Option<&[&str]>, snippets: bool) -> Value {
    let mut caps = json!({
        "textDocument": {"completion": {"completionItem": {"snippetSupport": snippets}}}
    });
    if let Some(e) = encodings {
        caps["general"] = json!({ "positionEncodings": e });
    }
    json!({"processId": null, "rootUri": null, "capabilities": caps})
}

/// A JSON-RPC peer playing the editor.
pub struct LspClient {
    writer: Writer,
    inbox: Receiver<(Instant, Value)>,
    /// Messages read while waiting for something else, in arrival order.
    stash: VecDeque<(Instant, Value)>,
    next_id: i64,
    /// What the client answers to `workspace/configuration` (per item).
    config: Arc<Mutex<Value>>,
    /// Methods of the server's requests left unanswered ([`LspClient::hold`]).
    held: Arc<Mutex<Vec<String>>>,
    /// Said when a wait fails, e.g. the server's stderr.
    context: Box<dyn Fn() -> String + Send>,
    /// How long a wait lasts before it fails.
    wait: Duration,
}

impl LspClient {
    /// A client reading the server's messages from `from` and writing its
    /// own to `to`.
    pub fn new(from: impl Read + Send + 'static, to: impl Write + Send + 'static) -> LspClient {
        let writer: Writer = Arc::new(Mutex::new(Some(Box::new(to))));
        let config = Arc::new(Mutex::new(Value::Null));
        let held: Arc<Mutex<Vec<String>>> = Arc::default();
        let (tx, inbox) = mpsc::channel();
        let (reply, answers, holding) = (writer.clone(), config.clone(), held.clone());
        std::thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 16, from);
            while let Some(body) = read_frame(&mut r) {
                // When the whole message had arrived, before it is parsed.
                let at = Instant::now();
                let msg: Value = serde_json::from_slice(&body).expect("the server sent JSON");
                let unanswered = msg["method"]
                    .as_str()
                    .is_some_and(|m| holding.lock().unwrap().iter().any(|h| h == m));
                if let (Some(method), Some(id), false) =
                    (msg["method"].as_str(), msg.get("id"), unanswered)
                {
                    let result = match method {
                        // Per item: the value set for its `scopeUri`
                        // (`{"scoped": {uri: value}, "default": value}`),
                        // else the value set.
                        "workspace/configuration" => {
                            let set = answers.lock().unwrap().clone();
                            let items = msg["params"]["items"].as_array().cloned();
                            let items = items.unwrap_or_else(|| vec![Value::Null]);
                            let answer = |item: &Value| match set.get("scoped") {
                                Some(scoped) => item["scopeUri"]
                                    .as_str()
                                    .and_then(|u| scoped.get(u))
                                    .unwrap_or(&set["default"])
                                    .clone(),
                                None => set.clone(),
                            };
                            Value::Array(items.iter().map(answer).collect())
                        }
                        _ => Value::Null,
                    };
                    let answer = json!({"jsonrpc": "2.0", "id": id, "result": result});
                    if let Some(w) = reply.lock().unwrap().as_mut() {
                        let _ = w.write_all(&frame(answer.to_string().as_bytes()));
                        let _ = w.flush();
                    }
                }
                if tx.send((at, msg)).is_err() {
                    break;
                }
            }
        });
        LspClient {
            writer,
            inbox,
            stash: VecDeque::new(),
            next_id: 0,
            config,
            held,
            context: Box::new(String::new),
            wait: WAIT,
        }
    }

    /// How long waits last from now on (the benchmarks wait longer than
    /// tests do).
    pub fn set_wait(&mut self, wait: Duration) {
        self.wait = wait;
    }

    /// What a failed wait adds to its message (e.g. the server's stderr).
    pub fn on_failure(&mut self, context: impl Fn() -> String + Send + 'static) {
        self.context = Box::new(context);
    }

    /// What the client answers to `workspace/configuration` from now on:
    /// the same for every item, or per folder as
    /// `{"scoped": {uri: value}, "default": value}` (to leave it
    /// unanswered, as a client slow to answer or one that never does,
    /// [`LspClient::hold`] it).
    pub fn set_config(&self, v: Value) {
        *self.config.lock().unwrap() = v;
    }

    /// Leaves the server's `method` requests unanswered from now on, for
    /// the test to answer ([`LspClient::answer`]) when it chooses.
    pub fn hold(&self, method: &str) {
        self.held.lock().unwrap().push(method.to_string());
    }

    /// The next `workspace/configuration` request the server sent.
    pub fn configuration_request(&mut self) -> Value {
        self.recv_where("a workspace/configuration request", |m| {
            m["method"] == "workspace/configuration"
        })
    }

    /// Answers the server's request `request` with `result`.
    pub fn answer(&self, request: &Value, result: Value) {
        self.send(&json!({"jsonrpc": "2.0", "id": request["id"], "result": result}));
    }

    /// Writes bytes as they are: malformed frames included.
    pub fn send_raw(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap();
        let w = w.as_mut().expect("the connection to the server is open");
        w.write_all(bytes).expect("write to the server");
        w.flush().expect("flush");
    }

    /// Closes the connection to the server (its stdin, say).
    pub fn close(&self) {
        self.writer.lock().unwrap().take();
    }

    pub fn send(&self, msg: &Value) {
        self.send_raw(&frame(msg.to_string().as_bytes()));
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request; its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and returns the whole response message.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// The response to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        self.recv_where(&format!("the response to #{id}"), |m| {
            m.get("method").is_none() && m["id"] == json!(id)
        })
    }

    /// The result of a request that must succeed.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// The first message (stashed or new) matching `pred`; others are kept.
    pub fn recv_where(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.recv_timed(what, pred).1
    }

    /// As [`LspClient::recv_where`], with the time the message arrived.
    pub fn recv_timed(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> (Instant, Value) {
        match self.recv_within(self.wait, &pred) {
            Ok(m) => m,
            Err(closed) => panic!(
                "{} while waiting for {what}; {}received meanwhile: {:#?}",
                if closed {
                    "the server closed the connection"
                } else {
                    "timed out"
                },
                {
                    let c = (self.context)();
                    if c.is_empty() {
                        c
                    } else {
                        format!("{c}; ")
                    }
                },
                self.stash.iter().map(|m| &m.1).collect::<Vec<_>>()
            ),
        }
    }

    /// `Err(true)` when the server closed the connection, `Err(false)` on
    /// time-out.
    fn recv_within(
        &mut self,
        wait: Duration,
        pred: &dyn Fn(&Value) -> bool,
    ) -> Result<(Instant, Value), bool> {
        if let Some(i) = self.stash.iter().position(|m| pred(&m.1)) {
            return Ok(self.stash.remove(i).expect("index in range"));
        }
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.inbox.recv_timeout(left) {
                Ok(m) if pred(&m.1) => return Ok(m),
                Ok(m) => self.stash.push_back(m),
                Err(RecvTimeoutError::Timeout) => return Err(false),
                Err(RecvTimeoutError::Disconnected) => return Err(true),
            }
        }
    }

    /// How many messages waits have set aside so far (those [`drain`]
    /// returns first).
    ///
    /// [`drain`]: LspClient::drain
    pub fn stashed(&self) -> usize {
        self.stash.len()
    }

    /// The response to request `id` if it has arrived, without waiting,
    /// with when it arrived.
    pub fn try_response(&mut self, id: i64) -> Option<(Instant, Value)> {
        while let Ok(m) = self.inbox.try_recv() {
            self.stash.push_back(m);
        }
        let i = self
            .stash
            .iter()
            .position(|m| m.1.get("method").is_none() && m.1["id"] == json!(id))?;
        self.stash.remove(i)
    }

    /// As [`LspClient::drain`], with when each message arrived.
    pub fn drain_timed(&mut self) -> Vec<(Instant, Value)> {
        while let Ok(m) = self.inbox.try_recv() {
            self.stash.push_back(m);
        }
        self.stash.drain(..).collect()
    }

    /// Every message received so far that no wait took, in order.
    pub fn drain(&mut self) -> Vec<Value> {
        while let Ok(m) = self.inbox.try_recv() {
            self.stash.push_back(m);
        }
        self.stash.drain(..).map(|m| m.1).collect()
    }

    /// The next `publishDiagnostics` for `uri` with `version` whose
    /// diagnostics satisfy `pred`.
    pub fn diagnostics_where(
        &mut self,
        uri: &str,
        version: Option<i64>,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let m = self.recv_where(&format!("diagnostics for {uri} v{version:?}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].as_i64() == version
                && pred(m["params"]["diagnostics"].as_array().expect("array"))
        });
        m["params"]["diagnostics"]
            .as_array()
            .expect("array")
            .clone()
    }

    /// The next diagnostics for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        self.diagnostics_where(uri, Some(version), |_| true)
    }

    /// `initialize` then `initialized`; the `initialize` result.
    pub fn initialize(&mut self, params: Value) -> Value {
        let result = self.call("initialize", params);
        self.notify("initialized", json!({}));
        result
    }

    /// As [`LspClient::initialize`], then waits until the server has
    /// applied its settings and canon (its `canon:` log line), so later
    /// documents are analysed with them.
    pub fn initialize_and_settle(&mut self, params: Value) -> Value {
        let result = self.initialize(params);
        self.recv_where("the server's canon log line", |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("canon: ") || s.contains("keeping the last"))
        });
        result
    }

    pub fn open(&self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        );
    }

    /// One incremental change: `start..end` replaced by `text`.
    pub fn change(&self, uri: &str, version: i64, start: (u32, u32), end: (u32, u32), text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": range(start, end), "text": text}]
            }),
        );
    }

    pub fn completion(&mut self, uri: &str, at: (u32, u32)) -> Value {
        self.call(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(at)}),
        )
    }

    pub fn hover(&mut self, uri: &str, at: (u32, u32)) -> Value {
        self.call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(at)}),
        )
    }

    /// `shutdown` (which must answer `null`), then `exit`.
    pub fn shut_down(&mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        assert!(r["result"].is_null(), "{r}");
        self.notify("exit", Value::Null);
    }
}
