//! `goalframe lsp`: the language server (docs/lsp.md) on
//! tower-lsp-server over stdio. The only module that knows LSP types: it
//! converts positions and ropes to the core's plain text and byte offsets,
//! calls the library, and converts back.

mod convert;
mod panics;
mod position;
mod state;
#[cfg(test)]
mod tests;
mod transport;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use goalframe::analysis::{Analyzer, Cursor, DocKind};
use goalframe::canon::Canon;
use goalframe::render::{self, Form, Markup, Selection};

use convert::Conv;
use position::Encoding;
use state::{CanonOutcome, Doc, State};

/// Commands the server executes (`workspace/executeCommand`).
pub const CMD_RENDER: &str = "goalframe.render";
pub const CMD_CANON: &str = "goalframe.canon";
/// The client command that re-opens completion after a role or level.
const CMD_TRIGGER_SUGGEST: &str = "editor.action.triggerSuggest";
const WATCH_REGISTRATION: &str = "goalframe-watch";
/// The most diagnostics published for one document (docs/lsp.md).
pub const MAX_DIAGNOSTICS: usize = 1000;

/// The language server as a service: the backend, the stand-in method for
/// malformed messages, and panics answered per request.
pub fn service() -> (
    panics::CatchPanic<LspService<Backend>>,
    tower_lsp_server::ClientSocket,
) {
    let builder = LspService::build(Backend::new)
        .custom_method(transport::INVALID_MESSAGE, Backend::invalid_message);
    // A request whose handler panics, for the tests of `panics`.
    #[cfg(test)]
    let builder = builder.custom_method("goalframe/testPanic", Backend::test_panic);
    let (service, socket) = builder.finish();
    (panics::CatchPanic(service), socket)
}

/// Serves LSP on stdin/stdout until `exit`.
pub fn run_stdio() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            crate::cli::say!("error: cannot start the language server runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let shut_down = runtime.block_on(async {
        let (service, socket) = service();
        let shut_down = service.0.inner().shut_down.clone();
        // Malformed frames are answered with an error instead of ending
        // the server (see `transport`).
        let (to_server, server_input) = tokio::io::duplex(64 * 1024);
        let stdin = transport::stdin_reader(tokio::runtime::Handle::current());
        let mut pump = tokio::spawn(transport::pump(stdin, to_server));
        let serve = Server::new(server_input, tokio::io::stdout(), socket).serve(service);
        tokio::pin!(serve);
        tokio::select! {
            () = &mut serve => {}
            _ = &mut pump => {
                // Stdin ended: the server finishes what it can, briefly,
                // then stops, even while its own request to the client
                // (which will never answer now) is pending.
                let _ = tokio::time::timeout(std::time::Duration::from_millis(500), &mut serve).await;
            }
        }
        pump.abort();
        shut_down.load(Ordering::SeqCst)
    });
    // A write to stdout that a client stopped reading may still be
    // blocked on the runtime's blocking pool: do not wait for it.
    runtime.shutdown_background();
    // LSP: 0 after `shutdown` then `exit`, 1 when `exit` (or the end of
    // input) came without `shutdown`.
    if shut_down {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// The language server: a client handle and the shared state.
pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    /// What the client can do, fixed at `initialize`.
    caps: Mutex<ClientCaps>,
    /// Whether `shutdown` was received (the exit code depends on it).
    shut_down: Arc<AtomicBool>,
    /// The canon directories the registered file watchers cover, once
    /// registered.
    watching: Mutex<Option<Vec<PathBuf>>>,
}

#[derive(Default, Clone, Copy)]
struct ClientCaps {
    pull_configuration: bool,
    watch_files: bool,
    /// The client takes `RelativePattern`s: no glob escaping of paths.
    relative_patterns: bool,
}

/// Which document version to publish diagnostics for.
struct Snapshot {
    uri: Uri,
    version: i32,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::new())),
            caps: Mutex::new(ClientCaps::default()),
            shut_down: Arc::new(AtomicBool::new(false)),
            watching: Mutex::new(None),
        }
    }

    #[cfg(test)]
    async fn test_panic(&self, _: Value) -> Result<()> {
        let _held = self.state();
        panic!("a test panic");
    }

    /// Answers a malformed message that `transport` replaced.
    async fn invalid_message(&self, params: Value) -> Result<()> {
        Err(transport::invalid_message_error(&params))
    }

    /// The state, even if a panicking handler poisoned the lock: the state
    /// is always consistent between statements, so keep serving.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn caps(&self) -> ClientCaps {
        *self.caps.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn log(&self, typ: MessageType, message: impl std::fmt::Display) {
        crate::cli::say!("goalframe: {message}");
        self.client.log_message(typ, message).await;
    }

    /// Analyses a snapshot and publishes its diagnostics, unless the
    /// document moved on meanwhile (a newer change publishes its own).
    /// The document's [`goalframe::analysis::Session`] re-analyses only
    /// what the edits since its last analysis touched.
    async fn publish(&self, snap: Snapshot) {
        let diagnostics = {
            let mut guard = self.state();
            let st = &mut *guard;
            let doc = match st.docs.get_mut(&snap.uri) {
                Some(doc) if doc.version == snap.version => doc,
                _ => return,
            };
            // The session's cache knows the canon it was computed with
            // (by its generation) and starts afresh with another.
            let analyzer = Analyzer::new(&st.canon, &st.settings);
            let findings = doc.session.findings(&analyzer);
            let conv = Conv::new(&doc.rope, st.encoding);
            let text = doc.session.text();
            // At most MAX_DIAGNOSTICS, and one more saying what was left
            // out: a document with a million placeholders must not cost a
            // client hundreds of megabytes per keystroke.
            let shown = &findings[..findings.len().min(MAX_DIAGNOSTICS)];
            // Positions from a line index of the text (which breaks lines
            // where the rope does: `\n`, `\r\n`, a lone `\r`), cheaper
            // than the rope's for thousands of findings, each counted on
            // from the last (findings come in order), so many on one line
            // cost that line once.
            let mut diagnostics: Vec<Diagnostic> = if shown.len() > 64 {
                let lines = goalframe::analysis::Lines::new(text);
                let utf16 = st.encoding == position::Encoding::Utf16;
                let measure = |s: &str| {
                    if utf16 {
                        s.chars().map(char::len_utf16).sum()
                    } else {
                        s.len()
                    }
                };
                let (mut starts, mut ends) = (Cursor::default(), Cursor::default());
                let pos = |cursor: &mut Cursor, offset: usize| {
                    let (line, character) = cursor.position_in(&lines, text, offset, measure);
                    Position::new(line as u32, character as u32)
                };
                shown
                    .iter()
                    .map(|f| {
                        let a = pos(&mut starts, f.range.start);
                        let b = pos(&mut ends, f.range.end);
                        conv.diagnostic_at(f, Range::new(a, b))
                    })
                    .collect()
            } else {
                shown.iter().map(|f| conv.diagnostic(f)).collect()
            };
            if let Some(first) = findings.get(MAX_DIAGNOSTICS) {
                let more = findings.len() - MAX_DIAGNOSTICS;
                diagnostics.push(Diagnostic {
                    range: conv.range(first.range.clone()),
                    severity: Some(DiagnosticSeverity::INFORMATION),
                    code: Some(NumberOrString::String("too-many-findings".into())),
                    source: Some("goalframe".into()),
                    message: format!(
                        "{more} more finding{} from here on are not shown: the editor shows the first {MAX_DIAGNOSTICS} of a document; `goalframe lint` lists them all",
                        if more == 1 { "" } else { "s" }
                    ),
                    ..Default::default()
                });
            }
            diagnostics
        };
        self.client
            .publish_diagnostics(snap.uri, diagnostics, Some(snap.version))
            .await;
    }

    fn snapshot(st: &State, uri: &Uri) -> Option<Snapshot> {
        st.docs.get(uri).map(|d| Snapshot {
            uri: uri.clone(),
            version: d.version,
        })
    }

    async fn publish_all(&self) {
        let snaps: Vec<Snapshot> = {
            let st = self.state();
            st.docs
                .keys()
                .filter_map(|u| Self::snapshot(&st, u))
                .collect()
        };
        for s in snaps {
            self.publish(s).await;
        }
    }

    /// Pulls `workspace/configuration` (section `goalframe`), if the client
    /// can answer it.
    async fn pull_configuration(&self) {
        if !self.caps().pull_configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("goalframe".to_string()),
        };
        match self.client.configuration(vec![item]).await {
            Ok(values) => {
                let value = values.into_iter().next().unwrap_or(Value::Null);
                let parsed = state::editor_layer(&value, "workspace/configuration");
                self.state().set_pulled(parsed);
            }
            Err(e) => {
                self.log(
                    MessageType::WARNING,
                    format!("workspace/configuration failed: {e}"),
                )
                .await
            }
        }
    }

    /// Re-layers settings, reloads the canon if needed, reports problems,
    /// re-registers watchers and republishes every document.
    async fn settings_changed(&self, force_canon: bool) {
        let (outcome, settings_errors, dirs, canon_summary) = {
            let mut st = self.state();
            let outcome = match st.recompute(force_canon) {
                CanonOutcome::Unchanged => st.startup.take().unwrap_or(CanonOutcome::Unchanged),
                loaded => {
                    st.startup = None;
                    loaded
                }
            };
            let summary = format!(
                "{} roles, {} role-levels from {}",
                st.canon.roles().len(),
                st.canon.role_level_count(),
                st.canon.sources().join(", ")
            );
            (
                outcome,
                st.settings_errors.clone(),
                st.settings.canon.clone(),
                summary,
            )
        };
        for e in &settings_errors {
            self.client
                .show_message(MessageType::ERROR, format!("goalframe settings: {e}"))
                .await;
            self.log(MessageType::ERROR, format!("settings: {e}")).await;
        }
        match outcome {
            CanonOutcome::Unchanged => {}
            CanonOutcome::Ok => {
                self.log(MessageType::INFO, format!("canon: {canon_summary}"))
                    .await
            }
            CanonOutcome::Kept(errors) => {
                let first = errors.first().map(|e| e.to_string()).unwrap_or_default();
                let msg = format!(
                    "the canon has {} problem{}; keeping the last good canon ({canon_summary}). First: {first}",
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" }
                );
                // The log adds its own `goalframe: ` on stderr.
                self.client
                    .show_message(MessageType::ERROR, format!("goalframe: {msg}"))
                    .await;
                self.log(MessageType::ERROR, &msg).await;
            }
        }
        self.publish_canon_errors().await;
        self.register_watchers(&dirs).await;
        self.publish_all().await;
    }

    /// Diagnostics on the canon files of the last failed load; clears the
    /// files that no longer have any.
    async fn publish_canon_errors(&self) {
        let (errors, previous, enc) = {
            let st = self.state();
            (
                st.canon_errors.clone(),
                st.canon_error_files.clone(),
                st.encoding,
            )
        };
        let mut by_file: std::collections::BTreeMap<PathBuf, Vec<goalframe::canon::CanonError>> =
            Default::default();
        for e in errors {
            by_file.entry(PathBuf::from(&e.file)).or_default().push(e);
        }
        for path in previous.iter().filter(|p| !by_file.contains_key(*p)) {
            if let Some(uri) = Uri::from_file_path(path) {
                self.client.publish_diagnostics(uri, Vec::new(), None).await;
            }
        }
        for (path, errs) in &by_file {
            let Some(uri) = Uri::from_file_path(path) else {
                continue;
            };
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let rope = ropey::Rope::from_str(&text);
            let conv = Conv::new(&rope, enc);
            let diags = errs.iter().map(|e| conv.canon_diagnostic(e)).collect();
            self.client.publish_diagnostics(uri, diags, None).await;
        }
        self.state().canon_error_files = by_file.into_keys().collect();
    }

    /// (Re-)registers file watchers for `goalframe.toml` and the canon
    /// directories, when the client supports dynamic registration.
    async fn register_watchers(&self, dirs: &[PathBuf]) {
        let caps = self.caps();
        if !caps.watch_files {
            return;
        }
        let previous = {
            let mut watching = self.watching.lock().unwrap_or_else(|e| e.into_inner());
            if watching.as_deref() == Some(dirs) {
                return;
            }
            watching.replace(dirs.to_vec())
        };
        let mut watchers = vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String(format!("**/{}", goalframe::config::CONFIG_FILE)),
            kind: None,
        }];
        for d in dirs {
            let relative = if caps.relative_patterns {
                Uri::from_file_path(d)
            } else {
                None
            };
            let glob_pattern = match relative {
                Some(base) => GlobPattern::Relative(RelativePattern {
                    base_uri: OneOf::Right(base),
                    pattern: "**/*.json".into(),
                }),
                None => GlobPattern::String(format!(
                    "{}/**/*.json",
                    glob_escape(&d.display().to_string())
                )),
            };
            watchers.push(FileSystemWatcher {
                glob_pattern,
                kind: None,
            });
        }
        if previous.is_some() {
            let _ = self
                .client
                .unregister_capability(vec![Unregistration {
                    id: WATCH_REGISTRATION.into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                }])
                .await;
        }
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let reg = Registration {
            id: WATCH_REGISTRATION.into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(e) = self.client.register_capability(vec![reg]).await {
            self.log(
                MessageType::WARNING,
                format!("could not watch canon files: {e}"),
            )
            .await;
        }
    }

    fn render_command(&self, args: &[Value]) -> Result<Value> {
        let arg = args.first().cloned().unwrap_or(Value::Null);
        let field = |k: &str| arg.get(k).and_then(Value::as_str);
        let role = field("role")
            .ok_or_else(|| Error::invalid_params("goalframe.render needs { role, level }"))?;
        let level = field("level")
            .ok_or_else(|| Error::invalid_params("goalframe.render needs { role, level }"))?;
        let selection: Selection = field("frame")
            .unwrap_or("all")
            .parse()
            .map_err(Error::invalid_params)?;
        let markup = match field("form").unwrap_or("markdown") {
            "markdown" => Markup::Markdown,
            "text" => Markup::Text,
            other => {
                return Err(Error::invalid_params(format!(
                    "unknown form `{other}`; expected text or markdown"
                )))
            }
        };
        let snippet = arg.get("snippet").and_then(Value::as_bool).unwrap_or(false);
        let canon: Arc<Canon> = self.state().canon.clone();
        let ral = canon
            .role_at(role, level)
            .map_err(|e| Error::invalid_params(e.to_string()))?;
        let text = render::render_insert(ral, selection, Form { markup, snippet })
            .map_err(|e| Error::invalid_params(e.to_string()))?;
        Ok(Value::String(text))
    }

    fn canon_command(&self) -> Value {
        let st = self.state();
        let canon = &st.canon;
        let roles: Vec<Value> = canon
            .roles()
            .iter()
            .map(|r| {
                let levels: Vec<Value> = r
                    .levels
                    .iter()
                    .map(|rl| {
                        let l = &canon.levels()[rl.level];
                        json!({ "code": l.code, "name": l.name })
                    })
                    .collect();
                json!({ "id": r.id, "title": r.title, "family": r.family, "aliases": r.aliases, "levels": levels })
            })
            .collect();
        let errors: Vec<Value> =
            st.canon_errors.iter().map(|e| json!({ "file": e.file, "line": e.line, "column": e.column, "message": e.to_string() })).collect();
        // The editors' frame pickers list these, so a frame is named in one
        // place (render) and never typed in TypeScript or Lua.
        let frames: Vec<Value> = Selection::EVERY
            .iter()
            .map(|s| json!({ "id": s.key(), "label": s.label() }))
            .collect();
        json!({
            "sources": canon.sources(),
            "frames": frames,
            "roles": roles,
            "roleCount": canon.roles().len(),
            "roleLevelCount": canon.role_level_count(),
            "errors": errors,
            "settingsErrors": st.settings_errors,
        })
    }
}

/// Escapes the glob metacharacters of a literal path (LSP glob syntax:
/// `*`, `?`, `[…]`, `{…}`) by putting each opener in a character class;
/// `]` and `}` are literal once nothing opened them.
fn glob_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '*' | '?' | '[' | '{' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

fn doc_kind(uri: &Uri, language_id: &str) -> DocKind {
    let by_path = uri
        .to_file_path()
        .map(|p| goalframe::analysis::DocKind::from_path(&p));
    match (DocKind::from_language_id(language_id), by_path) {
        (DocKind::Markdown, _) | (_, Some(DocKind::Markdown)) => DocKind::Markdown,
        _ => DocKind::Text,
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let enc = Encoding::negotiate(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let snippets = caps
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        let ws = caps.workspace.as_ref();
        *self.caps.lock().unwrap_or_else(|e| e.into_inner()) = ClientCaps {
            pull_configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
            watch_files: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            relative_patterns: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.relative_pattern_support)
                .unwrap_or(false),
        };
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .and_then(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .or_else(|| {
                params
                    .root_uri
                    .as_ref()
                    .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
            });
        {
            let mut st = self.state();
            st.encoding = enc;
            st.snippets = snippets;
            st.root = root;
            match state::editor_layer(
                params
                    .initialization_options
                    .as_ref()
                    .unwrap_or(&Value::Null),
                "initializationOptions",
            ) {
                Ok(layer) => st.init_layer = layer,
                Err(e) => st.init_error = Some(e),
            }
            st.read_toml();
            // The canon the settings name is in use from the first request.
            let outcome = st.recompute(true);
            st.startup = Some(outcome);
        }
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "goalframe".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(enc.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["@".into(), "/".into()]),
                    resolve_provider: Some(false),
                    ..Default::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![CMD_RENDER.into(), CMD_CANON.into()],
                    ..Default::default()
                }),
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.pull_configuration().await;
        self.settings_changed(false).await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let snap = {
            let mut st = self.state();
            let kind = doc_kind(&td.uri, &td.language_id);
            st.docs
                .insert(td.uri.clone(), Doc::new(td.text, td.version, kind));
            Self::snapshot(&st, &td.uri)
        };
        if let Some(s) = snap {
            self.publish(s).await;
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Applied before the first await: changes land in arrival order.
        let uri = params.text_document.uri;
        let snap = {
            let mut st = self.state();
            let enc = st.encoding;
            let Some(doc) = st.docs.get_mut(&uri) else {
                return;
            };
            for change in &params.content_changes {
                doc.apply(change, enc);
            }
            doc.version = params.text_document.version;
            Self::snapshot(&st, &uri)
        };
        if let Some(s) = snap {
            self.publish(s).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state().docs.remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if self.caps().pull_configuration {
            self.pull_configuration().await;
        } else {
            // Push-style clients send the settings themselves, either as
            // `{ "goalframe": {...} }` or as the object itself.
            let value = params
                .settings
                .get("goalframe")
                .cloned()
                .unwrap_or(params.settings);
            let parsed = state::editor_layer(&value, "workspace/didChangeConfiguration");
            self.state().set_pulled(parsed);
        }
        self.settings_changed(false).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let relevant = {
            let st = self.state();
            params
                .changes
                .iter()
                .filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned()))
                .any(|p| st.watches(&p))
        };
        if relevant {
            self.state().read_toml();
            self.settings_changed(true).await;
        }
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        let st = self.state();
        let Some(doc) = st.docs.get(&pos.text_document.uri) else {
            return Ok(None);
        };
        // Clamped like every position: past the end of a line or of the
        // document is that end.
        let offset = position::to_offset(&doc.rope, pos.position, st.encoding);
        let line_no = doc.rope.byte_to_line(offset);
        let line_start = doc.rope.line_to_byte(line_no);
        let line = doc.rope.line(line_no).to_string();
        let line = line.trim_end_matches(['\n', '\r']);
        let cursor = offset - line_start;
        let Some(c) = goalframe::complete::complete(line, cursor, doc.kind, &st.canon, st.snippets)
        else {
            return Ok(None);
        };
        let conv = Conv::new(&doc.rope, st.encoding);
        let range = conv.range(line_start + c.range.start..line_start + c.range.end);
        let items = c
            .items
            .into_iter()
            .map(|i| convert::completion_item(i, range, CMD_TRIGGER_SUGGEST))
            .collect();
        Ok(Some(CompletionResponse::List(CompletionList {
            is_incomplete: c.incomplete,
            items,
        })))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let st = self.state();
        let Some(doc) = st.docs.get(&pos.text_document.uri) else {
            return Ok(None);
        };
        let text = doc.session.text();
        let offset = position::to_offset(&doc.rope, pos.position, st.encoding);
        let Some(h) = goalframe::hover::hover(text, offset, &st.canon) else {
            return Ok(None);
        };
        let conv = Conv::new(&doc.rope, st.encoding);
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: Some(conv.range(h.range)),
        }))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let st = self.state();
        let uri = params.text_document.uri;
        let Some(doc) = st.docs.get(&uri) else {
            return Ok(None);
        };
        let text = doc.session.text();
        let conv = Conv::new(&doc.rope, st.encoding);
        let wanted = position::to_offset(&doc.rope, params.range.start, st.encoding)
            ..position::to_offset(&doc.rope, params.range.end, st.encoding);
        let analyzer = Analyzer::new(&st.canon, &st.settings);
        let mut actions = Vec::new();
        for f in analyzer.analyze(text, doc.kind) {
            let touches = f.range.start <= wanted.end && wanted.start <= f.range.end;
            if !touches {
                continue;
            }
            let diag = conv.diagnostic(&f);
            for (i, fix) in f.fixes.iter().enumerate() {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(conv.workspace_edit(&uri, &fix.edits)),
                    is_preferred: Some(i == 0),
                    ..Default::default()
                }));
            }
        }
        for fix in analyzer.missing_frame_fixes(text, doc.kind) {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(conv.workspace_edit(&uri, &fix.edits)),
                ..Default::default()
            }));
        }
        Ok(Some(actions))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        match params.command.as_str() {
            CMD_RENDER => self.render_command(&params.arguments).map(Some),
            CMD_CANON => Ok(Some(self.canon_command())),
            // A client-side command some clients (nvim-cmp) forward to the
            // server after a role or level item; there is nothing to do.
            CMD_TRIGGER_SUGGEST => Ok(None),
            other => Err(Error::invalid_params(format!(
                "unknown command `{other}`; expected {CMD_RENDER} or {CMD_CANON}"
            ))),
        }
    }
}
