//! Settings pulled from the client, the canon they name, and the file
//! watchers that reload it.

use super::*;
use goalframe::quote::counted;

impl Backend {
    /// Pulls `workspace/configuration` (section `goalframe`) for each
    /// folder (its `scopeUri`), if the client can answer it.
    pub(super) async fn pull_configuration(&self) {
        if !self.caps().pull_configuration {
            return;
        }
        let (asked, pull): (Vec<Option<PathBuf>>, u64) = {
            let mut st = self.state();
            st.pulls += 1;
            (
                st.folders.iter().map(|f| f.root.clone()).collect(),
                st.pulls,
            )
        };
        let items: Vec<ConfigurationItem> = asked
            .iter()
            .map(|root| ConfigurationItem {
                scope_uri: root.as_deref().and_then(Uri::from_file_path),
                section: Some("goalframe".to_string()),
            })
            .collect();
        match self.client.configuration(items).await {
            Ok(values) => {
                let mut st = self.state();
                // The answers go by the folder each was asked for: folders
                // may have come or gone meanwhile (a new one is pulled when
                // it is added). An answer overtaken by a later question's
                // is stale.
                let mut answers: Vec<(Option<PathBuf>, Value)> = asked
                    .into_iter()
                    .zip(values.into_iter().chain(std::iter::repeat(Value::Null)))
                    .collect();
                for f in &mut st.folders {
                    let Some(i) = answers.iter().position(|(root, _)| *root == f.root) else {
                        continue;
                    };
                    let (_, value) = answers.swap_remove(i);
                    if f.pulled_by < pull {
                        f.set_pulled(state::editor_layer(&value, "workspace/configuration"));
                        f.pulled_by = pull;
                    }
                }
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

    /// Re-layers settings, reloads the canons if needed, reports problems,
    /// re-registers watchers and republishes every document.
    pub(super) async fn settings_changed(&self, force_canon: bool) {
        let (planned, loads) = self.state().plan(force_canon);
        // Read on a thread of its own, the state free meanwhile: a large
        // canon takes a while, and edits and requests go on being answered.
        let (loads, read) = if loads.is_empty() {
            (loads, Vec::new())
        } else {
            tokio::task::spawn_blocking(move || {
                let read = state::read_canons(&loads);
                (loads, read)
            })
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
        };
        let (reports, settings_errors) = {
            let mut st = self.state();
            let outcomes = st.install(planned, &loads, read);
            let several = st.folders.len() > 1;
            let mut reports = Vec::new();
            for (f, outcome) in st.folders.iter_mut().zip(outcomes) {
                let outcome = match outcome {
                    CanonOutcome::Unchanged => f.startup.take().unwrap_or(CanonOutcome::Unchanged),
                    loaded => {
                        f.startup = None;
                        loaded
                    }
                };
                let mut summary = f.canon.summary();
                if several {
                    summary.push_str(&format!(", for the folder {}", f.label()));
                }
                reports.push((outcome, summary));
            }
            let mut settings_errors: Vec<String> = Vec::new();
            for f in &st.folders {
                for e in &f.settings_errors {
                    if !settings_errors.contains(e) {
                        settings_errors.push(e.clone());
                    }
                }
            }
            (reports, settings_errors)
        };
        for e in &settings_errors {
            self.client
                .show_message(MessageType::ERROR, format!("goalframe settings: {e}"))
                .await;
            self.log(MessageType::ERROR, format!("settings: {e}")).await;
        }
        for (outcome, canon_summary) in reports {
            match outcome {
                CanonOutcome::Unchanged => {}
                CanonOutcome::Ok => {
                    self.log(MessageType::INFO, format!("canon: {canon_summary}"))
                        .await
                }
                CanonOutcome::Kept(errors) => {
                    let first = errors.first().map(|e| e.to_string()).unwrap_or_default();
                    let msg = format!(
                        "the canon has {}; keeping the last good canon ({canon_summary}). First: {first}",
                        counted(errors.len(), "problem")
                    );
                    // The log adds its own `goalframe: ` on stderr.
                    self.client
                        .show_message(MessageType::ERROR, format!("goalframe: {msg}"))
                        .await;
                    self.log(MessageType::ERROR, &msg).await;
                }
            }
        }
        self.publish_canon_errors().await;
        // Diagnostics first: they never wait on the client's answers.
        self.publish_all().await;
        self.register_watchers().await;
    }

    /// Diagnostics on the canon files of the last failed load; clears the
    /// files that no longer have any.
    pub(super) async fn publish_canon_errors(&self) {
        let _one_at_a_time = self.canon_publishing.lock().await;
        let (errors, previous, enc) = {
            let st = self.state();
            // Folders naming the same canon have the same errors: once.
            let mut errors: Vec<goalframe::canon::CanonError> = Vec::new();
            for f in &st.folders {
                for e in &f.canon_errors {
                    if !errors.contains(e) {
                        errors.push(e.clone());
                    }
                }
            }
            (errors, st.canon_error_files.clone(), st.encoding)
        };
        let mut by_file: std::collections::BTreeMap<PathBuf, Vec<goalframe::canon::CanonError>> =
            Default::default();
        for e in errors {
            by_file.entry(PathBuf::from(&e.file)).or_default().push(e);
        }
        for path in previous.iter().filter(|p| !by_file.contains_key(*p)) {
            if let Some(uri) = Uri::from_file_path(path) {
                self.publish_diagnostics(uri, Vec::new(), None).await;
            }
        }
        for (path, errs) in &by_file {
            let Some(uri) = Uri::from_file_path(path) else {
                continue;
            };
            // Read as the load read it: a FIFO or device the load refused
            // would block an open or a read here forever.
            let text = goalframe::read::read_regular_text(path, goalframe::read::CANON_FILE_LIMIT)
                .unwrap_or_default();
            let lines = goalframe::analysis::Lines::new(&text);
            let mut conv = Conv::new(&text, &lines, enc);
            // As many as a document shows: a canon of 100,000 broken
            // entries was a 22 MB message.
            let mut diags: Vec<Diagnostic> = errs
                .iter()
                .take(MAX_DIAGNOSTICS)
                .map(|e| conv.canon_diagnostic(e))
                .collect();
            if let Some(e) = errs.get(MAX_DIAGNOSTICS) {
                let range = conv.range(e.range.0..e.range.1.max(e.range.0));
                let more = errs.len() - MAX_DIAGNOSTICS;
                diags.push(too_many(
                    range,
                    more,
                    MAX_DIAGNOSTICS,
                    "canon problem",
                    "goalframe canon check",
                ));
            }
            self.publish_diagnostics(uri, diags, None).await;
        }
        self.state().canon_error_files = by_file.into_keys().collect();
    }

    /// Watches `goalframe.toml` (in the workspace, and in each folder above
    /// it that it was looked for in) and the canon directories. The client
    /// is asked to watch what it can be relied on to see; the server
    /// watches the rest itself (see `server_sees`).
    pub(super) async fn register_watchers(&self) {
        // What to watch is read once the lock is held, so the last call
        // registers the latest settings, whatever order calls come in.
        let mut watching = self.watching.lock().await;
        let (dirs, above, roots) = self.state().watched();
        let caps = self.caps();
        // Decided once for each folder (it looks at the disk): a folder
        // that came or went between two looks would be watched by both or
        // by neither.
        let (our_above, above): (Vec<&PathBuf>, Vec<&PathBuf>) =
            above.iter().partition(|d| server_sees(caps, &roots, d));
        let (our_dirs, dirs): (Vec<&PathBuf>, Vec<&PathBuf>) =
            dirs.iter().partition(|d| server_sees(caps, &roots, d));
        // Canon directories the server watched itself, to know which pass
        // to the client below.
        let watched_before: Vec<PathBuf> = self
            .server_watch
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|w| {
                w.targets()
                    .iter()
                    .filter(|t| t.1)
                    .map(|t| t.0.clone())
                    .collect()
            })
            .unwrap_or_default();
        let targets: Vec<(PathBuf, bool)> = roots
            .iter()
            .filter(|_| !caps.watch_files)
            .map(|r| (r.clone(), false))
            .chain(our_above.iter().map(|d| ((*d).clone(), false)))
            .chain(our_dirs.iter().map(|d| ((*d).clone(), true)))
            .collect();
        if let Some(e) = self.watch_itself(targets) {
            self.log(
                MessageType::WARNING,
                format!("could not watch the settings and canon files: {e}"),
            )
            .await;
        }
        if !caps.watch_files {
            return;
        }
        // A folder and what to watch in it: a pattern relative to it where
        // the client takes those (VS Code watches outside the workspace
        // only so), else one glob of the whole path.
        let under = |d: &&PathBuf, pattern: &str| {
            let relative = if caps.relative_patterns {
                Uri::from_file_path(d)
            } else {
                None
            };
            let glob_pattern = match relative {
                Some(base) => GlobPattern::Relative(RelativePattern {
                    base_uri: OneOf::Right(base),
                    pattern: pattern.into(),
                }),
                None => GlobPattern::String(format!(
                    "{}/{pattern}",
                    glob_escape(&d.display().to_string()).trim_end_matches('/')
                )),
            };
            FileSystemWatcher {
                glob_pattern,
                kind: None,
            }
        };
        let mut watchers = vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String(format!("**/{}", goalframe::config::CONFIG_FILE)),
            kind: None,
        }];
        watchers.extend(
            above
                .iter()
                .map(|d| under(d, goalframe::config::CONFIG_FILE)),
        );
        watchers.extend(dirs.iter().map(|d| under(d, "**/*.json")));
        if watching.as_ref() == Some(&watchers) {
            return;
        }
        if watching.replace(watchers.clone()).is_some() {
            let unregistered = self.client.unregister_capability(vec![Unregistration {
                id: WATCH_REGISTRATION.into(),
                method: "workspace/didChangeWatchedFiles".into(),
            }]);
            // A client that never answers holds up only its own watchers.
            let _ = tokio::time::timeout(CLIENT_ANSWER_WAIT, unregistered).await;
        }
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let reg = Registration {
            id: WATCH_REGISTRATION.into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        let registered = self.client.register_capability(vec![reg]);
        let failed = match tokio::time::timeout(CLIENT_ANSWER_WAIT, registered).await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some(format!(
                "no answer to client/registerCapability in {} s",
                CLIENT_ANSWER_WAIT.as_secs()
            )),
        };
        if let Some(e) = failed {
            self.log(
                MessageType::WARNING,
                format!("could not watch the settings and canon files: {e}"),
            )
            .await;
        }
        // A canon directory the server watched for until it came, now the
        // client's: what was written between the server's last look and
        // the client's watch is read now.
        let handed: Vec<&PathBuf> = dirs
            .iter()
            .filter(|d| watched_before.contains(d))
            .copied()
            .collect();
        if !handed.is_empty() {
            let _ = self.inject.send(changed_message(handed));
        }
    }
}

impl Backend {
    /// Starts (or restarts, when what it must watch changed) the server's
    /// own watch of `targets`, (folder, recursively); none when empty.
    /// What it sees is sent to the server as the
    /// `workspace/didChangeWatchedFiles` a client would send, so both
    /// take one way.
    fn watch_itself(&self, targets: Vec<(PathBuf, bool)>) -> Option<notify::Error> {
        let inject = self.inject.clone();
        let changed: crate::watch::Changed =
            std::sync::Arc::new(move |paths| inject.send(changed_message(&paths)).is_ok());
        let names = [goalframe::config::CONFIG_FILE.into()];
        let mut current = self.server_watch.lock().unwrap_or_else(|e| e.into_inner());
        match crate::watch::keep_watching(&mut current, targets, &names, &changed) {
            Ok(appeared) => {
                if !appeared.is_empty() {
                    let _ = self.inject.send(changed_message(&appeared));
                }
                None
            }
            Err(e) => Some(e),
        }
    }
}

/// Whether the server watches folder `d` itself rather than ask the
/// client: when the client cannot watch at all (Neovim on Linux); when
/// `d` is outside the workspace folders and the client takes no `RelativePattern`
/// (eglot watches only the folders of the project's files, and VS Code
/// outside the workspace only by a relative pattern); and while `d` is not
/// there, because a client watching a folder's files need not see the
/// folder come.
fn server_sees(caps: ClientCaps, roots: &[PathBuf], d: &std::path::Path) -> bool {
    !caps.watch_files
        || !d.is_dir()
        || (!caps.relative_patterns && !roots.iter().any(|r| d.starts_with(r)))
}

/// The `workspace/didChangeWatchedFiles` a client would send for `paths`.
fn changed_message<'a>(paths: impl IntoIterator<Item = &'a PathBuf>) -> Vec<u8> {
    let changes: Vec<Value> = paths
        .into_iter()
        .filter_map(Uri::from_file_path)
        .map(|uri| json!({"uri": uri, "type": 2}))
        .collect();
    json!({
        "jsonrpc": "2.0",
        "method": "workspace/didChangeWatchedFiles",
        "params": {"changes": changes},
    })
    .to_string()
    .into_bytes()
}

/// Escapes the glob metacharacters of a literal path (LSP glob syntax:
/// `*`, `?`, `[…]`, `{…}`) by putting each opener in a character class;
/// `]` and `}` are literal once nothing opened them.
pub(super) fn glob_escape(path: &str) -> String {
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
