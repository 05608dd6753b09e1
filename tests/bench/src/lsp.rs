//! The language-server benchmarks: start-up, completion and diagnostics
//! after edits, timed over stdio against the built binary.

use super::*;

/// A `goalframe lsp` process driven by the tests' LSP client.
pub(super) struct Server {
    child: Child,
    client: LspClient,
}

impl Server {
    fn spawn(bin: &Path) -> Server {
        let mut child = Command::new(bin)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let mut client = LspClient::new(stdout, stdin);
        client.set_wait(Duration::from_secs(120));
        Server { child, client }
    }

    /// A server for a workspace folder (its working directory too).
    fn spawn_in(bin: &Path, dir: &Path) -> Server {
        let _ = dir;
        Server::spawn(bin)
    }

    /// `initialize` as a client that pulls diagnostics, with `folder` as
    /// its one workspace folder; then `initialized`.
    fn initialize_pulling(&mut self, options: Value, folder: &Path) {
        let folder = std::fs::canonicalize(folder).expect("corpus folder");
        let uri = format!("file://{}", folder.display());
        let id = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{ "uri": uri, "name": "corpus" }],
                "capabilities": {
                    "textDocument": {
                        "completion": { "completionItem": { "snippetSupport": true } },
                        "diagnostic": {}
                    }
                },
                "initializationOptions": options,
            }),
        );
        self.response(id);
        self.notify("initialized", json!({}));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.client.notify(method, params);
    }

    fn request(&mut self, method: &str, params: Value) -> i64 {
        self.client.send_request(method, params)
    }

    /// The response to `id` and when it arrived.
    fn response(&mut self, id: i64) -> (Instant, Value) {
        self.client.recv_timed("a response", |v| {
            v.get("method").is_none() && v["id"].as_i64() == Some(id)
        })
    }

    /// The diagnostics for `uri` at `version` and when they arrived.
    fn diagnostics(&mut self, uri: &str, version: i64) -> (Instant, Value) {
        self.client.recv_timed("diagnostics", |v| {
            v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == uri
                && v["params"]["version"].as_i64() == Some(version)
        })
    }

    fn initialize(&mut self, options: Value) -> Duration {
        let t = Instant::now();
        let id = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {
                    "textDocument": { "completion": { "completionItem": { "snippetSupport": true } } }
                },
                "initializationOptions": options,
            }),
        );
        let (at, _) = self.response(id);
        let d = at - t;
        self.notify("initialized", json!({}));
        d
    }

    fn shutdown(mut self) -> Option<f64> {
        let rss = vm_hwm_mb(self.child.id());
        let id = self.request("shutdown", Value::Null);
        self.response(id);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
        rss
    }
}

/// LSP position (UTF-16) of byte `offset` in `text`.
pub(super) fn position(text: &str, offset: usize) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].bytes().filter(|&b| b == b'\n').count();
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": character })
}

pub(super) fn change(
    uri: &str,
    version: i64,
    text: &str,
    at: usize,
    end: usize,
    new: &str,
) -> Value {
    json!({
        "textDocument": { "uri": uri, "version": version },
        "contentChanges": [{
            "range": { "start": position(text, at), "end": position(text, end) },
            "text": new,
        }],
    })
}

pub(super) fn open(s: &mut Server, uri: &str, text: &str) {
    s.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
    );
    s.diagnostics(uri, 1);
}

pub(super) fn options(canon: Option<&Path>) -> Value {
    match canon {
        Some(c) => json!({ "canon": [std::fs::canonicalize(c).expect("canon dir")] }),
        None => json!({}),
    }
}

/// Role ids of a generated canon (file names under `roles/`), sorted.
pub(super) fn role_ids(canon: &Path) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if let Some(stem) = p.file_name().and_then(|n| n.to_str()) {
                if let Some(id) = stem.strip_suffix(".json") {
                    out.push(id.to_string());
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&canon.join("roles"), &mut out);
    out.sort();
    out
}

/// Completion latency while typing tokens: each step is one keystroke
/// (an incremental change) followed by a completion request at the cursor.
pub(super) fn completion_run(
    s: &mut Server,
    ids: &[String],
    samples: usize,
) -> (Vec<Duration>, usize) {
    let uri = "file:///bench/complete.md";
    let mut text = String::from("# Goals\n\nSome notes before the token.\n\n");
    open(s, uri, &text);
    let mut version = 1;
    let mut lat = Vec::with_capacity(samples);
    let mut items_total = 0;
    let mut k = 0;
    while lat.len() < samples {
        // Type `@<id>/<level>` one character at a time, then erase it.
        let id = &ids[(k * 7919) % ids.len()];
        k += 1;
        let token = format!("@{id}/P2");
        let line_start = text.len();
        let mut typed = String::new();
        for c in token.chars() {
            let at = text.len();
            version += 1;
            let p = change(uri, version, &text, at, at, &c.to_string());
            s.notify("textDocument/didChange", p);
            text.push(c);
            typed.push(c);
            // Ask after the `@`, a few role characters, the `/` and the level.
            let n = typed.chars().count();
            let ask = n <= 4 || c == '/' || typed.ends_with("/P2") || n.is_multiple_of(5);
            if !ask {
                continue;
            }
            let t = Instant::now();
            let id = s.request(
                "textDocument/completion",
                json!({ "textDocument": { "uri": uri }, "position": position(&text, text.len()) }),
            );
            let (at, v) = s.response(id);
            lat.push(at - t);
            items_total += v["result"]["items"].as_array().map_or(0, Vec::len);
            if lat.len() >= samples {
                break;
            }
        }
        version += 1;
        let p = change(uri, version, &text, line_start, text.len(), "");
        s.notify("textDocument/didChange", p);
        text.truncate(line_start);
    }
    // Drain the diagnostics of the last change.
    s.diagnostics(uri, version);
    (lat, items_total)
}

/// Diagnostics latency after single-character edits at random places in a
/// large document: from sending `didChange` to receiving the
/// `publishDiagnostics` of that version.
pub(super) fn edit_run(s: &mut Server, doc: &str, samples: usize) -> (Vec<Duration>, usize) {
    let uri = "file:///bench/large.md";
    let mut text = doc.to_string();
    let t = Instant::now();
    open(s, uri, &text);
    eprintln!("  open + first diagnostics: {}", ms(t.elapsed()));
    let mut rng = gen::Rng::new(42);
    let mut version = 1;
    let mut lat = Vec::with_capacity(samples);
    let mut diags = 0;
    for i in 0..samples {
        // Insert a character at a random char boundary, or delete the one
        // inserted before, so the document stays about the same.
        let mut at = rng.below(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        version += 1;
        let p = change(uri, version, &text, at, at, "x");
        text.insert(at, 'x');
        let t = Instant::now();
        s.notify("textDocument/didChange", p);
        let (arrived, v) = s.diagnostics(uri, version);
        lat.push(arrived - t);
        diags = v["params"]["diagnostics"].as_array().map_or(0, Vec::len);
        if i % 2 == 1 {
            version += 1;
            let p = change(uri, version, &text, at, at + 1, "");
            text.remove(at);
            s.notify("textDocument/didChange", p);
            s.diagnostics(uri, version);
        }
    }
    (lat, diags)
}

pub(super) fn lsp_bench(
    bin: &Path,
    canons: &[PathBuf],
    doc: Option<&Path>,
    doc_canon: Option<&Path>,
    samples: usize,
) {
    println!("### Language server (`goalframe lsp` over stdio, {samples} samples per row)\n");
    println!("| measurement | canon | p50 | p99 | max | notes |");
    println!("| --- | --- | --- | --- | --- | --- |");

    // Start-up: spawn to the initialize response, default canon.
    let mut starts = Vec::new();
    let mut rss_default = None;
    for i in 0..30 {
        let t = Instant::now();
        let mut s = Server::spawn(bin);
        let _ = s.initialize(json!({}));
        starts.push(t.elapsed().min(Duration::from_secs(60)));
        if i == 29 {
            rss_default = s.shutdown();
        } else {
            s.shutdown();
        }
    }
    let (p50, p99, max) = p50_p99(starts);
    println!(
        "| start-up to initialize response | default | {} | {} | {} | 30 spawns; peak RSS {:.1} MiB |",
        ms(p50),
        ms(p99),
        ms(max),
        rss_default.unwrap_or(0.0)
    );

    let default_ids = vec![
        "account-executive-field-sales".to_string(),
        "ae".to_string(),
    ];
    let mut runs: Vec<(String, Option<&Path>, Vec<String>)> =
        vec![("default".into(), None, default_ids)];
    for c in canons {
        runs.push((c.display().to_string(), Some(c.as_path()), role_ids(c)));
    }
    for (name, dir, ids) in &runs {
        let t = Instant::now();
        let mut s = Server::spawn(bin);
        let init = s.initialize(options(*dir));
        // The canon loads in `initialized`; the first diagnostics after it
        // come once it is in place.
        let (lat, items) = completion_run(&mut s, ids, samples);
        let ready = t.elapsed();
        let rss = s.shutdown();
        let (p50, p99, max) = p50_p99(lat);
        println!(
            "| completion while typing `@role/level` | {name} | {} | {} | {} | {} items/answer on average; initialize {}; peak RSS {:.1} MiB; whole run {} |",
            ms(p50),
            ms(p99),
            ms(max),
            items / samples.max(1),
            ms(init),
            rss.unwrap_or(0.0),
            ms(ready)
        );
    }

    if let Some(doc) = doc {
        let text = std::fs::read_to_string(doc).expect("read document");
        let mut s = Server::spawn(bin);
        s.initialize(options(doc_canon));
        let (lat, diags) = edit_run(&mut s, &text, samples);
        let rss = s.shutdown();
        let (p50, p99, max) = p50_p99(lat);
        println!(
            "| diagnostics after a keystroke | {} | {} | {} | {} | {:.1} MB document, {diags} diagnostics per publish; peak RSS {:.1} MiB |",
            doc_canon.map_or("default".into(), |p| p.display().to_string()),
            ms(p50),
            ms(p99),
            ms(max),
            text.len() as f64 / 1e6,
            rss.unwrap_or(0.0)
        );
    }
    println!();
}

/// The whole-document requests after a keystroke on a large document:
/// one random keystroke, then `method` at once; from sending the change to
/// the answer (the re-analysis the keystroke starts is waited for too).
pub(super) fn views_run(
    s: &mut Server,
    doc: &str,
    samples: usize,
) -> Vec<(&'static str, Vec<Duration>, usize)> {
    let uri = "file:///bench/views.md";
    let mut text = doc.to_string();
    open(s, uri, &text);
    let mut rng = gen::Rng::new(7);
    let mut version = 1;
    let mut out = Vec::new();
    for method in [
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
        "textDocument/codeLens",
    ] {
        let mut lat = Vec::with_capacity(samples);
        let mut size = 0;
        // Without a keystroke before: what the request costs alone.
        let mut idle = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            let id = s.request(method, json!({ "textDocument": { "uri": uri } }));
            let (arrived, _) = s.response(id);
            idle.push(arrived - t);
        }
        let (p50, _, max) = p50_p99(idle);
        eprintln!(
            "  {method} with no keystroke before: p50 {}, max {}",
            ms(p50),
            ms(max)
        );
        for _ in 0..samples {
            let mut at = rng.below(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            version += 1;
            let p = change(uri, version, &text, at, at, "x");
            text.insert(at, 'x');
            let t = Instant::now();
            s.notify("textDocument/didChange", p);
            let id = s.request(method, json!({ "textDocument": { "uri": uri } }));
            let (arrived, v) = s.response(id);
            lat.push(arrived - t);
            size = v["result"].as_array().map_or(0, Vec::len);
            s.diagnostics(uri, version);
            // Take the keystroke back, so the document stays the same size.
            version += 1;
            let p = change(uri, version, &text, at, at + 1, "");
            text.remove(at);
            s.notify("textDocument/didChange", p);
            s.diagnostics(uri, version);
        }
        out.push((method, lat, size));
    }
    out
}

/// How many passes with result ids are timed (their completions pooled).
const AGAIN_PASSES: usize = 30;

/// What a `workspace/diagnostic` pass over a folder did while completion
/// was asked for on every keystroke in an open document.
pub(super) struct WorkspacePass {
    pub completion: Vec<Duration>,
    pub pass: Duration,
    pub first_partial: Option<Duration>,
    pub partials: usize,
    pub full: usize,
    pub unchanged: usize,
    pub result_ids: Vec<Value>,
}

/// One `workspace/diagnostic` pass (partial results on) over the folder
/// the server was started on, with completion requests in between.
pub(super) fn workspace_pass(s: &mut Server, previous: &[Value], ids: &[String]) -> WorkspacePass {
    let uri = "file:///bench/typing.md";
    let mut text = String::from("# Notes\n\n");
    s.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
    );
    let mut version = 1;
    let t = Instant::now();
    let pass_id = s.request(
        "workspace/diagnostic",
        json!({ "previousResultIds": previous, "partialResultToken": "bench-partial" }),
    );
    let mut completion = Vec::new();
    let mut k = 0;
    let line_start = text.len();
    let done = loop {
        // A keystroke of `@<role>/P2`, then completion at the cursor.
        let token = format!("@{}/P2 ", ids[k % ids.len()]);
        let c = token
            .chars()
            .nth(completion.len() % token.chars().count())
            .unwrap_or(' ');
        k += usize::from(c == ' ');
        let at = text.len();
        version += 1;
        s.notify(
            "textDocument/didChange",
            change(uri, version, &text, at, at, &c.to_string()),
        );
        text.push(c);
        if c == ' ' {
            version += 1;
            s.notify(
                "textDocument/didChange",
                change(uri, version, &text, line_start, text.len(), ""),
            );
            text.truncate(line_start);
        }
        let sent = Instant::now();
        let id = s.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": position(&text, text.len()) }),
        );
        let (arrived, _) = s.response(id);
        completion.push(arrived - sent);
        if let Some(i) = s.client.try_response(pass_id) {
            break i;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let pass = done.0 - t;
    let mut partials = 0;
    let mut first_partial = None;
    let (mut full, mut unchanged) = (0, 0);
    let mut result_ids = Vec::new();
    for (at, m) in s.client.drain_timed() {
        if m["method"] != "$/progress" || m["params"]["token"] != "bench-partial" {
            continue;
        }
        partials += 1;
        first_partial.get_or_insert(at - t);
        for item in m["params"]["value"]["items"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if item["kind"] == "full" {
                full += 1;
            } else {
                unchanged += 1;
            }
            result_ids.push(json!({ "uri": item["uri"], "value": item["resultId"] }));
        }
    }
    WorkspacePass {
        completion,
        pass,
        first_partial,
        partials,
        full,
        unchanged,
        result_ids,
    }
}

/// The whole-document requests on a large document, and a workspace
/// diagnostics pass over a folder while completion is timed.
pub(super) fn views_bench(
    bin: &Path,
    doc: &Path,
    doc_canon: Option<&Path>,
    corpus: Option<&Path>,
    samples: usize,
) {
    println!("### The whole document and the workspace (`goalframe lsp` over stdio)\n");
    println!("| measurement | p50 | p99 | max | notes |");
    println!("| --- | --- | --- | --- | --- |");
    let text = std::fs::read_to_string(doc).expect("read document");
    let mut s = Server::spawn(bin);
    s.initialize(options(doc_canon));
    for (method, lat, size) in views_run(&mut s, &text, samples) {
        let (p50, p99, max) = p50_p99(lat);
        println!(
            "| `{method}` after a keystroke | {} | {} | {} | {:.1} MB document, {size} top-level items; {samples} samples |",
            ms(p50),
            ms(p99),
            ms(max),
            text.len() as f64 / 1e6,
        );
    }
    s.shutdown();
    let Some(corpus) = corpus else {
        println!();
        return;
    };
    let mut s = Server::spawn_in(bin, corpus);
    s.initialize_pulling(options(doc_canon), corpus);
    let ids = vec![
        "account-executive-field-sales".to_string(),
        "ae".to_string(),
    ];
    let first = workspace_pass(&mut s, &[], &ids);
    // A pass with the result ids takes tens of milliseconds and holds a
    // few completions: it is made again and again, and the completions of
    // all of them pooled (the pass figures are the first one's).
    let mut again = workspace_pass(&mut s, &first.result_ids, &ids);
    // Each pass's first completion is sent right behind the request and
    // its 3,000 result ids, and waits for the server to read them: those
    // are shown apart too.
    let mut behind = vec![again.completion[0]];
    let mut later = again.completion[1..].to_vec();
    for _ in 1..AGAIN_PASSES {
        let more = workspace_pass(&mut s, &first.result_ids, &ids);
        behind.push(more.completion[0]);
        later.extend_from_slice(&more.completion[1..]);
        again.completion.extend(more.completion);
    }
    let rss = s.shutdown();
    let again_name = format!("again, result ids given; {AGAIN_PASSES} passes");
    for (name, p) in [("first pass", &first), (again_name.as_str(), &again)] {
        let (p50, p99, max) = p50_p99(p.completion.clone());
        println!(
            "| completion during a `workspace/diagnostic` pass ({name}) | {} | {} | {} | {} completions; pass {} over {} documents ({} full, {} unchanged) in {} partial results, the first after {}; peak RSS {:.1} MiB |",
            ms(p50),
            ms(p99),
            ms(max),
            p.completion.len(),
            ms(p.pass),
            p.full + p.unchanged,
            p.full,
            p.unchanged,
            p.partials,
            p.first_partial.map_or("-".into(), ms),
            rss.unwrap_or(0.0),
        );
    }
    let (b50, _, bmax) = p50_p99(behind);
    let (l50, l99, lmax) = p50_p99(later);
    println!(
        "| … of which the first of each pass, sent right behind the request | {} | - | {} | {AGAIN_PASSES} completions |",
        ms(b50),
        ms(bmax),
    );
    println!(
        "| … and the others | {} | {} | {} | the completions after the request was read |",
        ms(l50),
        ms(l99),
        ms(lmax),
    );
    println!();
}

/// A completion while the canon is read again: one of `canon`'s files is
/// reported changed (`didChangeWatchedFiles`), and 20 ms later, while the
/// server reads the canon, a completion is sent and timed to its answer;
/// `runs` times, each after the last reading is done.
pub(super) fn reload_bench(bin: &Path, canon: &Path, runs: usize) {
    let canon = std::fs::canonicalize(canon).expect("canon dir");
    // The first role file, in whatever folder under `roles/` it is.
    let mut changed = canon.join("roles");
    while changed.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&changed)
            .expect("a canon folder")
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        changed = entries
            .into_iter()
            .next()
            .expect("a role file under roles/");
    }
    let read_again = |v: &Value| {
        v["method"] == "window/logMessage"
            && v["params"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("canon: "))
    };
    let mut s = Server::spawn(bin);
    s.initialize(options(Some(&canon)));
    s.client.recv_where("the canon loaded", read_again);
    let uri = "file:///bench/reload.md";
    open(&mut s, uri, "@r\n");
    let mut waits = Vec::with_capacity(runs);
    for _ in 0..runs {
        s.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": format!("file://{}", changed.display()), "type": 2}]}),
        );
        std::thread::sleep(Duration::from_millis(20));
        let t = Instant::now();
        let id = s.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
        );
        let (at, _) = s.response(id);
        waits.push(at - t);
        s.client.recv_where("the canon read again", read_again);
    }
    s.shutdown();
    waits.sort();
    println!("| measurement | canon | p50 | max | runs |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| completion 20 ms after a canon file changed | {} | {} | {} | {runs} |",
        canon.display(),
        ms(quartile(&waits, 2)),
        ms(*waits.last().expect("at least one run"))
    );
}
