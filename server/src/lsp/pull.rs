//! Pull diagnostics (LSP 3.17, docs/lsp.md): `textDocument/diagnostic`
//! and `workspace/diagnostic` over the workspace folders' goal documents,
//! walked as `goalframe lint` walks a folder (ignore files honoured).
//!
//! Only for clients that say they pull (`textDocument.diagnostic`): they
//! get no pushed diagnostics, so nothing is shown twice; other clients
//! keep `publishDiagnostics` as before. A workspace pass runs on a blocking
//! thread and sends its reports in chunks (partial results when the client
//! gave a token): the editor's own requests are answered meanwhile.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::time::UNIX_EPOCH;

use tower_lsp_server::ls_types::notification::Notification;

use super::*;

/// The most diagnostics reported for a document of a workspace pass, which
/// nobody has open (the note on the rest says `goalframe lint` lists all):
/// a folder of drafts must not flood the editor.
pub const WORKSPACE_MAX_DIAGNOSTICS: usize = 100;

/// The identifier the server's diagnostics are pulled under.
pub const IDENTIFIER: &str = "goalframe";
/// At most this many documents per partial result (and progress report)…
const CHUNK: usize = 100;
/// …and about this many diagnostics: the editor sees results as they
/// come, and a client that reads its messages in turn never has a large
/// one to get through before the answer to its next request (with 1,000,
/// completion's p99 during a pass was 7–8 ms; with 250, under 5 ms).
const CHUNK_DIAGNOSTICS: usize = 250;

/// A batch of reports, already the whole `$/progress` message when it is
/// sent as a partial result: written on the worker, so the thread that
/// answers the editor only passes it on to the writer (`output`).
enum Batch {
    Reports(Vec<WorkspaceDocumentDiagnosticReport>),
    Message(Vec<u8>, usize),
}

/// What pulling needs besides the shared state.
#[derive(Default)]
pub struct Pull {
    /// The client pulls: no diagnostics are pushed.
    pub enabled: AtomicBool,
    /// The client takes `workspace/diagnostic/refresh`.
    refresh: AtomicBool,
    /// Bumped whenever settings or the canon change: every result id
    /// given before is stale.
    generation: AtomicU64,
}

/// `$/progress` carrying a partial result (ls-types knows only work-done
/// progress values).
enum PartialResult {}

#[derive(serde::Serialize, serde::Deserialize)]
struct PartialParams {
    token: ProgressToken,
    value: WorkspaceDiagnosticReportPartialResult,
}

impl Notification for PartialResult {
    type Params = PartialParams;
    const METHOD: &'static str = "$/progress";
}

impl Pull {
    /// Reads what the client can do; the capability to announce, if any.
    pub fn init(&self, params: &InitializeParams) -> Option<DiagnosticServerCapabilities> {
        let caps = &params.capabilities;
        let pulls = caps
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        let refresh = caps
            .workspace
            .as_ref()
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        self.enabled.store(pulls, Ordering::SeqCst);
        self.refresh.store(refresh, Ordering::SeqCst);
        pulls.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(IDENTIFIER.into()),
                inter_file_dependencies: false,
                workspace_diagnostics: true,
                work_done_progress_options: WorkDoneProgressOptions {
                    work_done_progress: Some(true),
                },
            })
        })
    }

    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::SeqCst)
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
}

/// A result id for an open document's text: the generation and a hash of
/// the text (a reopened document's versions start again).
fn text_id(generation: u64, text: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    format!("{generation}:t{:x}", h.finish())
}

/// A result id for a file on disk, from its metadata alone: an unchanged
/// file is not even read again.
fn file_id(generation: u64, meta: &std::fs::Metadata) -> String {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{generation}:f{mtime:x}:{:x}", meta.len())
}

/// A document's first findings as diagnostics (at most `limit`, and the
/// note on the rest, as pushed).
pub(super) fn diagnostics_of<F: std::borrow::Borrow<goalframe::analysis::Finding>>(
    limit: usize,
    text: &str,
    lines: &Lines,
    findings: impl Iterator<Item = F>,
    enc: Encoding,
) -> Vec<Diagnostic> {
    let mut conv = Conv::new(text, lines, enc);
    super::capped_diagnostics(&mut conv, limit, &Shown::first(limit, findings))
}

use goalframe::analysis::{Lines, Shown};

impl Backend {
    /// `textDocument/diagnostic`: an open document from the editor's copy,
    /// any other from disk.
    pub(super) async fn pull_document(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let generation = self.pull.generation();
        // From the editor's copy, without waiting on anything while the
        // state is held; else what reading it from disk needs.
        let from_disk = {
            let mut guard = self.state();
            let st = &mut *guard;
            match st.docs.get_mut(&uri) {
                Some(doc) => {
                    let id = text_id(generation, doc.session.text());
                    if params.previous_result_id.as_deref() == Some(id.as_str()) {
                        return Ok(unchanged(id).into());
                    }
                    let folder = state::folder_of(&st.folders, &uri);
                    let analyzer = Analyzer::new(&folder.canon, &folder.settings);
                    let found = doc.session.findings_shown(&analyzer, MAX_DIAGNOSTICS);
                    let mut conv = Conv::new(found.text, found.lines, st.encoding);
                    let items = super::capped_diagnostics(&mut conv, MAX_DIAGNOSTICS, &found.shown);
                    return Ok(full(id, items).into());
                }
                None => {
                    let folder = state::folder_of(&st.folders, &uri);
                    (folder.canon.clone(), folder.settings.clone(), st.encoding)
                }
            }
        };
        let (canon, settings, enc) = from_disk;
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
            return Ok(full(String::new(), Vec::new()).into());
        };
        let previous = params.previous_result_id;
        let report = tokio::task::spawn_blocking(move || {
            let analyzer = Analyzer::new(&canon, &settings);
            match check_file(
                MAX_DIAGNOSTICS,
                &path,
                generation,
                previous.as_deref(),
                &analyzer,
                enc,
            ) {
                Some(FileReport::Unchanged(id)) => unchanged(id),
                Some(FileReport::Full(id, items)) => full(id, items),
                None => full(String::new(), Vec::new()),
            }
        })
        .await
        .unwrap_or_else(|_| full(String::new(), Vec::new()));
        Ok(report.into())
    }

    /// `workspace/diagnostic`: every goal document of the workspace folders
    /// that is not open (open ones are pulled one by one), in chunks.
    pub(super) async fn pull_workspace(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let generation = self.pull.generation();
        let folders = self.state().roots();
        let (scopes, enc, open) = {
            let st = self.state();
            // A set: every file of the workspace is looked up in it.
            let open: std::collections::HashSet<PathBuf> = st
                .docs
                .keys()
                .filter_map(|u| u.to_file_path().map(|p| p.into_owned()))
                .collect();
            (st.scopes(), st.encoding, open)
        };
        // Made into paths on the pass's thread: thousands of them.
        let previous_ids = params.previous_result_ids;
        let work_done = params.work_done_progress_params.work_done_token;
        if let Some(token) = &work_done {
            self.progress(
                token,
                WorkDoneProgress::Begin(WorkDoneProgressBegin {
                    title: "goalframe: checking the workspace".into(),
                    cancellable: Some(false),
                    ..Default::default()
                }),
            )
            .await;
        }
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
        let streaming = params.partial_result_params.partial_result_token;
        // A thread of its own, at a lower priority: on a machine with few
        // cores the editor's requests get one first (BENCHMARKS.md).
        let walker = std::thread::Builder::new()
            .name("goalframe-workspace-pass".into())
            .spawn(move || {
                background_priority();
                let previous: HashMap<PathBuf, String> = previous_ids
                    .into_iter()
                    .filter_map(|p| Some((p.uri.to_file_path()?.into_owned(), p.value)))
                    .collect();
                let analyzers = scopes.analyzers();
                let mut files = Vec::new();
                for folder in &folders {
                    crate::cli::walk_documents(folder, &mut files);
                }
                files.retain(|f| !open.contains(f));
                let mut reports = Vec::new();
                let mut diagnostics = 0;
                let mut paths = files.iter().peekable();
                while let Some(path) = paths.next() {
                    let report = (|| {
                        let uri = Uri::from_file_path(path)?;
                        let previous = previous.get(path).map(String::as_str);
                        Some(
                            match check_file(
                                WORKSPACE_MAX_DIAGNOSTICS,
                                path,
                                generation,
                                previous,
                                &analyzers[scopes.index(path)],
                                enc,
                            )? {
                                FileReport::Unchanged(id) => {
                                    WorkspaceDocumentDiagnosticReport::Unchanged(
                                        WorkspaceUnchangedDocumentDiagnosticReport {
                                            uri,
                                            version: None,
                                            unchanged_document_diagnostic_report:
                                                UnchangedDocumentDiagnosticReport { result_id: id },
                                        },
                                    )
                                }
                                FileReport::Full(id, items) => {
                                    WorkspaceDocumentDiagnosticReport::Full(
                                        WorkspaceFullDocumentDiagnosticReport {
                                            uri,
                                            version: None,
                                            full_document_diagnostic_report:
                                                FullDocumentDiagnosticReport {
                                                    result_id: Some(id),
                                                    items,
                                                },
                                        },
                                    )
                                }
                            },
                        )
                    })();
                    if let Some(r) = report {
                        if let WorkspaceDocumentDiagnosticReport::Full(f) = &r {
                            diagnostics += f.full_document_diagnostic_report.items.len();
                        }
                        reports.push(r);
                    }
                    let last = paths.peek().is_none();
                    if reports.len() >= CHUNK
                        || diagnostics >= CHUNK_DIAGNOSTICS
                        || (last && !reports.is_empty())
                    {
                        let batch = std::mem::take(&mut reports);
                        diagnostics = 0;
                        let batch = match &streaming {
                            Some(token) => {
                                let n = batch.len();
                                let params = PartialParams {
                                    token: token.clone(),
                                    value: WorkspaceDiagnosticReportPartialResult { items: batch },
                                };
                                match output::notification_body::<PartialResult>(&params) {
                                    Some(body) => Batch::Message(body, n),
                                    None => continue,
                                }
                            }
                            None => Batch::Reports(batch),
                        };
                        // The request was cancelled or answered: stop.
                        if tx.blocking_send(batch).is_err() {
                            break;
                        }
                    }
                }
            });
        if let Err(e) = walker {
            let mut error = Error::internal_error();
            error.message = format!("goalframe cannot start the workspace pass: {e}").into();
            return Err(error);
        }
        let mut items = Vec::new();
        let mut done = 0;
        while let Some(batch) = rx.recv().await {
            match batch {
                Batch::Message(body, n) => {
                    done += n;
                    self.out.send(body).await
                }
                Batch::Reports(chunk) => {
                    done += chunk.len();
                    items.extend(chunk);
                }
            }
            if let Some(token) = &work_done {
                self.progress(
                    token,
                    WorkDoneProgress::Report(WorkDoneProgressReport {
                        message: Some(format!("{done} documents")),
                        ..Default::default()
                    }),
                )
                .await;
            }
        }
        if let Some(token) = &work_done {
            self.progress(
                token,
                WorkDoneProgress::End(WorkDoneProgressEnd {
                    message: Some(format!("{done} documents checked")),
                }),
            )
            .await;
        }
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }

    async fn progress(&self, token: &ProgressToken, value: WorkDoneProgress) {
        self.client
            .send_notification::<notification::Progress>(ProgressParams {
                token: token.clone(),
                value: ProgressParamsValue::WorkDone(value),
            })
            .await;
    }

    /// Settings or the canon changed: every result id is stale; a pulling
    /// client is asked to pull again.
    pub(super) async fn pull_refresh(&self) {
        self.pull.generation.fetch_add(1, Ordering::SeqCst);
        if self.pull.refresh.load(Ordering::SeqCst) {
            let refreshed = self.client.workspace_diagnostic_refresh();
            let _ = tokio::time::timeout(super::CLIENT_ANSWER_WAIT, refreshed).await;
        }
    }
}

enum FileReport {
    Unchanged(String),
    Full(String, Vec<Diagnostic>),
}

/// One file on disk: unchanged when its result id is `previous`, else
/// read and analysed. `None` when it cannot be read as a document.
fn check_file(
    limit: usize,
    path: &Path,
    generation: u64,
    previous: Option<&str>,
    analyzer: &Analyzer,
    enc: Encoding,
) -> Option<FileReport> {
    let meta = std::fs::metadata(path).ok()?;
    let id = file_id(generation, &meta);
    if previous == Some(id.as_str()) {
        return Some(FileReport::Unchanged(id));
    }
    // Read as `goalframe lint` reads it (byte order marks, UTF-16, size
    // limit, no FIFOs), so the Problems view and CI agree.
    let source = crate::cli::Source::File(path.to_path_buf());
    let items = crate::cli::read_one(&source, analyzer, "", true, |c| {
        diagnostics_of(limit, c.text, &c.lines, c.findings.iter(), enc)
    })
    .ok()?;
    Some(FileReport::Full(id, items))
}

fn full(id: String, items: Vec<Diagnostic>) -> DocumentDiagnosticReport {
    DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport {
            result_id: (!id.is_empty()).then_some(id),
            items,
        },
    })
}

fn unchanged(id: String) -> DocumentDiagnosticReport {
    DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
        related_documents: None,
        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id: id },
    })
}

/// Makes the calling thread yield to every other (Linux's `SCHED_IDLE`,
/// set per thread): the editor's requests take a core from the pass at
/// once, where a `nice` thread still kept it for a slice of the
/// scheduler's. A thread cannot raise its priority again, so only a thread
/// that ends with its work calls this.
fn background_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: a plain system call on the calling thread (id 0) with a
    // parameter it only reads; failure leaves the priority as it was,
    // which is harmless.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        libc::sched_setscheduler(0, libc::SCHED_IDLE, &param);
    }
}
