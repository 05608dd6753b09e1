//! `goalframe lsp`: the language server (docs/lsp.md) on
//! tower-lsp-server over stdio. The only module that knows LSP types: it
//! converts positions to the core's byte offsets,
//! calls the library, and converts back.

mod commands;
mod convert;
mod direct;
mod export;
mod handlers;
mod outline;
mod output;
mod panics;
mod position;
mod pull;
mod state;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_outline;
#[cfg(test)]
mod tests_pull;
mod transport;
mod views;
mod watch;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use goalframe::analysis::{Analyzer, DocKind};
use goalframe::canon::Canon;
use goalframe::render::{self, Form, Markup, Selection};

use convert::Conv;
use position::Encoding;
use state::{CanonOutcome, Doc, Folder, State};

/// Commands the server executes (`workspace/executeCommand`).
pub const CMD_RENDER: &str = "goalframe.render";
pub const CMD_CANON: &str = "goalframe.canon";
/// The client command that re-opens completion after a role or level.
const CMD_TRIGGER_SUGGEST: &str = "editor.action.triggerSuggest";
const WATCH_REGISTRATION: &str = "goalframe-watch";
/// The most diagnostics published for one document (docs/lsp.md).
pub const MAX_DIAGNOSTICS: usize = goalframe::diagnostic::MAX_SHOWN;

/// The language server as a service: the backend, the stand-in method for
/// malformed messages, the views answered beside tower-lsp, and panics
/// answered per request. `out` is where every message is written.
pub fn service(
    out: output::Out,
) -> (
    panics::CatchPanic<direct::Direct>,
    tower_lsp_server::ClientSocket,
) {
    let builder = LspService::build(move |client| Backend::new(client, out));
    // A request whose handler panics, for the tests of `panics`.
    #[cfg(test)]
    let builder = builder.custom_method("goalframe/testPanic", Backend::test_panic);
    let (service, socket) = builder.finish();
    (panics::CatchPanic(direct::Direct::new(service)), socket)
}

/// Serves LSP on `input` until `exit` or its end, writing through `out`
/// (the same wiring for stdio and the in-process tests); whether
/// `shutdown` came first.
pub async fn serve(
    input: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    service: panics::CatchPanic<direct::Direct>,
    socket: tower_lsp_server::ClientSocket,
    out: &output::Out,
) -> bool {
    let shut_down = service.0.backend().shut_down.clone();
    let injected = service
        .0
        .backend()
        .injected
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .unwrap_or_else(|| tokio::sync::mpsc::unbounded_channel().1);
    // Malformed frames are answered with an error instead of ending
    // the server (see `transport`).
    let (to_server, server_input) = tokio::io::duplex(64 * 1024);
    let mut pump = tokio::spawn(transport::pump(input, to_server, injected, out.clone()));
    let serve = Server::new(server_input, out.sink(), socket).serve(service);
    tokio::pin!(serve);
    tokio::select! {
        () = &mut serve => {}
        _ = &mut pump => {
            // The input ended: the server finishes what it can, briefly,
            // then stops, even while its own request to the client
            // (which will never answer now) is pending.
            let _ = tokio::time::timeout(std::time::Duration::from_millis(500), &mut serve).await;
        }
    }
    pump.abort();
    shut_down.load(Ordering::SeqCst)
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
    let (out, writer) = output::start(output::stdout());
    let shut_down = runtime.block_on(async {
        let (service, socket) = service(out.clone());
        let stdin = transport::stdin_reader(tokio::runtime::Handle::current());
        serve(stdin, service, socket, &out).await
    });
    // What is still queued is written, unless the client stopped reading.
    drop(out);
    runtime.shutdown_background();
    writer.finish(std::time::Duration::from_millis(500));
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
    /// The file watchers registered, once registered. Held (an async
    /// lock) from reading what to watch until the client has been told:
    /// two settings changes handled at once would otherwise interleave
    /// their unregistering and registering, the client would be given one
    /// id twice, and the older list could be the one it kept.
    watching: tokio::sync::Mutex<Option<Vec<FileSystemWatcher>>>,
    /// Held while the canon files' diagnostics are read and published, for
    /// the same reason: an older round's must not come after a newer's.
    canon_publishing: tokio::sync::Mutex<()>,
    /// The server's own file watcher, for a client that cannot watch.
    server_watch: Mutex<Option<crate::watch::FileWatch>>,
    /// Messages the server sends itself (what its watcher saw), read
    /// between the client's by `transport::pump`; the receiving end until
    /// `serve` takes it.
    inject: tokio::sync::mpsc::UnboundedSender<Vec<u8>>,
    injected: Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>>>,
    /// Pull diagnostics, for clients that pull.
    pull: pull::Pull,
    /// Set once `initialize` succeeded (see `direct`).
    ready: AtomicBool,
    /// Messages written without tower-lsp's `Value` (see `output`).
    out: output::Out,
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
    pub fn new(client: Client, out: output::Out) -> Backend {
        let (inject, injected) = tokio::sync::mpsc::unbounded_channel();
        Backend {
            server_watch: Mutex::new(None),
            inject,
            injected: Mutex::new(Some(injected)),
            client,
            ready: AtomicBool::new(false),
            out,
            state: Arc::new(Mutex::new(State::new())),
            caps: Mutex::new(ClientCaps::default()),
            shut_down: Arc::new(AtomicBool::new(false)),
            watching: tokio::sync::Mutex::new(None),
            canon_publishing: tokio::sync::Mutex::new(()),
            pull: pull::Pull::default(),
        }
    }

    #[cfg(test)]
    async fn test_panic(&self, _: Value) -> Result<()> {
        let _held = self.state();
        panic!("a test panic");
    }

    /// The state, even if a panicking handler poisoned the lock: the state
    /// is always consistent between statements, so keep serving.
    fn state(&self) -> MutexGuard<'_, State> {
        state::lock(&self.state)
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
        // A client that pulls asks for them itself.
        if self.pull.enabled() {
            return;
        }
        // Requests that came with the edit (the outline, a lens, a
        // completion) are answered first: the editor waits on those, and
        // a burst of edits is published once, for the last.
        tokio::task::yield_now().await;
        let diagnostics = {
            let mut guard = self.state();
            let st = &mut *guard;
            let doc = match st.docs.get_mut(&snap.uri) {
                Some(doc) if doc.version == snap.version => doc,
                _ => return,
            };
            // The session's cache knows the canon it was computed with
            // (by its generation) and starts afresh with another.
            let folder = state::folder_of(&st.folders, &snap.uri);
            let analyzer = Analyzer::new(&folder.canon, &folder.settings);
            let found = doc.session.findings_shown(&analyzer, MAX_DIAGNOSTICS);
            let mut conv = Conv::new(found.text, found.lines, st.encoding);
            capped_diagnostics(&mut conv, MAX_DIAGNOSTICS, &found.shown)
        };
        self.publish_diagnostics(snap.uri, diagnostics, Some(snap.version))
            .await;
    }

    /// Every `publishDiagnostics` goes this one way (through `output`), so
    /// a document's diagnostics arrive in the order they were made.
    async fn publish_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams::new(uri, diagnostics, version);
        self.out
            .notify::<notification::PublishDiagnostics>(&params)
            .await;
    }

    fn snapshot(st: &State, uri: &Uri) -> Option<Snapshot> {
        st.docs.get(uri).map(|d| Snapshot {
            uri: uri.clone(),
            version: d.version,
        })
    }

    async fn publish_all(&self) {
        if self.pull.enabled() {
            self.pull_refresh().await;
            return;
        }
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
}

/// How long the server waits for the client's answer to a request before
/// it goes on: a client that never answers must not hold up the settings
/// changes after it. An answer nothing needs (a watcher registration, a
/// diagnostics refresh) is given up then; the settings asked for at
/// start-up are still waited for, after the server has gone on without
/// them. Shorter in tests that leave them unanswered.
pub(super) const CLIENT_ANSWER_WAIT: std::time::Duration = if cfg!(test) {
    std::time::Duration::from_secs(2)
} else {
    std::time::Duration::from_secs(5)
};

pub(super) fn doc_kind(uri: &Uri, language_id: &str) -> DocKind {
    let by_path = uri
        .to_file_path()
        .map(|p| goalframe::analysis::DocKind::from_path(&p));
    match (DocKind::from_language_id(language_id), by_path) {
        (DocKind::Markdown, _) | (_, Some(DocKind::Markdown)) => DocKind::Markdown,
        _ => DocKind::Text,
    }
}

/// A document's first findings as diagnostics (at most `limit`,
/// [`MAX_DIAGNOSTICS`] for a document in the editor), and
/// one more saying what was left out (a document with a million
/// placeholders must not cost a client hundreds of megabytes per
/// keystroke). Findings come in order, so their positions are counted on
/// from the last one.
fn capped_diagnostics<F: std::borrow::Borrow<goalframe::analysis::Finding>>(
    conv: &mut Conv<'_>,
    limit: usize,
    shown: &goalframe::analysis::Shown<F>,
) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = shown
        .findings
        .iter()
        .map(|f| conv.diagnostic(f.borrow()))
        .collect();
    if let Some(omitted) = &shown.omitted {
        let range = conv.range(omitted.first.clone());
        diagnostics.push(too_many(
            range,
            omitted.count,
            limit,
            "finding",
            "goalframe lint",
        ));
    }
    diagnostics
}

/// The diagnostic that stands for the `more` a file's first `limit` left
/// out (`what`s: findings, canon problems), at the first of them, naming
/// the `command` that lists them all.
fn too_many(range: Range, more: usize, limit: usize, what: &str, command: &str) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String("too-many-findings".into())),
        source: Some("goalframe".into()),
        message: format!(
            "{more} more {what}{} from here on are not shown: the editor shows the first {limit} of a file; `{command}` lists them all",
            if more == 1 { "" } else { "s" }
        ),
        ..Default::default()
    }
}
