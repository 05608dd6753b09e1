//! The LSP requests and notifications, each a thin call into the library.

use super::*;

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
        let versioned_edits = ws
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false);
        let diagnostic_provider = self.pull.init(&params);
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
        // Every folder the client names, else its root, else none.
        #[allow(deprecated)]
        let roots: Vec<PathBuf> = match params.workspace_folders.as_deref() {
            Some(folders) if !folders.is_empty() => folders
                .iter()
                .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
                .collect(),
            _ => params
                .root_uri
                .as_ref()
                .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
                .into_iter()
                .collect(),
        };
        {
            let mut st = self.state();
            st.encoding = enc;
            st.snippets = snippets;
            st.versioned_edits = versioned_edits;
            st.folders = if roots.is_empty() {
                vec![Folder::new(None)]
            } else {
                roots.into_iter().map(|r| Folder::new(Some(r))).collect()
            };
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
            let outcomes = st.recompute(true);
            for (folder, outcome) in st.folders.iter_mut().zip(outcomes) {
                folder.startup = Some(outcome);
            }
        }
        // From here on (tower-lsp marks the server initialized in the same
        // poll) the views may be answered beside tower-lsp (`direct`).
        self.ready.store(true, Ordering::SeqCst);
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
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::from(outline::FIX_ALL_KIND),
                        ]),
                        ..Default::default()
                    },
                )),
                diagnostic_provider,
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                // Each folder has its own settings and canon; folders
                // come and go.
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![
                        CMD_RENDER.into(),
                        CMD_CANON.into(),
                        export::CMD_EXPORT.into(),
                    ],
                    ..Default::default()
                }),
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let pulled = self.pull_configuration();
        tokio::pin!(pulled);
        // A client slow to answer (or one that never does) must not leave
        // the canon unreported and its files unwatched: go on with what
        // is known, and apply its answer when it comes.
        if tokio::time::timeout(super::CLIENT_ANSWER_WAIT, &mut pulled)
            .await
            .is_err()
        {
            self.settings_changed(false).await;
            pulled.await;
        }
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
            doc.apply_all(&params.content_changes, enc);
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
        self.publish_diagnostics(uri, Vec::new(), None).await;
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
            // Pushed settings have no folder: every folder's.
            for f in &mut self.state().folders {
                f.set_pulled(parsed.clone());
            }
        }
        self.settings_changed(false).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: &[WorkspaceFolder]| -> Vec<PathBuf> {
            folders
                .iter()
                .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
                .collect()
        };
        {
            let mut st = self.state();
            st.change_folders(&paths(&params.event.added), &paths(&params.event.removed));
        }
        // The new folders' `goalframe.toml` applies at once, as at start-up;
        // their editor settings come on top when the client answers. A
        // client slow to answer, or one that never does, must not leave
        // their documents on the default canon.
        self.settings_changed(false).await;
        self.pull_configuration().await;
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
        let (text, lines) = (doc.session.text(), doc.session.lines());
        let offset = position::to_offset(text, lines, pos.position, st.encoding);
        let line_range = lines.range(text, lines.line_of(offset));
        let line_start = line_range.start;
        let line = &text[line_range];
        let cursor = offset - line_start;
        let canon = &state::folder_of(&st.folders, &pos.text_document.uri).canon;
        let Some(c) = goalframe::complete::complete(line, cursor, doc.kind, canon, st.snippets)
        else {
            return Ok(outline::date_completion(
                text,
                lines,
                offset,
                doc.kind,
                &st,
                &pos.text_document.uri,
            ));
        };
        let range = Conv::new(text, lines, st.encoding)
            .range(line_start + c.range.start..line_start + c.range.end);
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
        let mut guard = self.state();
        let st = &mut *guard;
        let Some(doc) = st.docs.get_mut(&pos.text_document.uri) else {
            return Ok(None);
        };
        let offset = {
            let (text, lines) = (doc.session.text(), doc.session.lines());
            position::to_offset(text, lines, pos.position, st.encoding)
        };
        // A token or a marker names a role; elsewhere a finding under the
        // cursor is explained by its rule (the session's cached analysis).
        let markdown = doc.kind == DocKind::Markdown;
        let folder = state::folder_of(&st.folders, &pos.text_document.uri);
        let token = goalframe::hover::hover(
            doc.session.text(),
            doc.session.lines(),
            offset,
            &folder.canon,
        );
        let h = match token {
            Some(h) => h,
            None => {
                let analyzer = Analyzer::new(&folder.canon, &folder.settings);
                // A filled value of a goal (a row of the writer's own table
                // is not read): how it was read, and the rule behind any
                // finding on it.
                let slot = goalframe::hover::slot(
                    doc.session.text(),
                    doc.session.lines(),
                    offset,
                    markdown,
                    folder.settings.cycle.as_ref(),
                )
                .filter(|_| doc.session.outline(&analyzer).outline.holds_slot(offset));
                let finding = doc.session.finding_at(&analyzer, offset);
                match (slot, finding) {
                    (Some(mut h), f) => {
                        if let Some(f) = f {
                            h.markdown = format!(
                                "{}\n\n---\n\n{}",
                                h.markdown,
                                goalframe::hover::finding(&f).markdown
                            );
                        }
                        h
                    }
                    (None, Some(f)) => goalframe::hover::finding(&f),
                    (None, None) => return Ok(None),
                }
            }
        };
        let (text, lines) = (doc.session.text(), doc.session.lines());
        let mut conv = Conv::new(text, lines, st.encoding);
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: Some(conv.range(h.range)),
        }))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let only = params.context.only.as_deref();
        let mut actions = Vec::new();
        if outline::wants_fix_all(only) {
            actions.extend(self.fix_all_action(&uri));
        }
        if !outline::wants_quickfix(only) {
            return Ok(Some(actions));
        }
        let mut guard = self.state();
        let st = &mut *guard;
        let Some(doc) = st.docs.get_mut(&uri) else {
            return Ok(None);
        };
        let wanted = {
            let (text, lines) = (doc.session.text(), doc.session.lines());
            let a = position::to_offset(text, lines, params.range.start, st.encoding);
            let b = position::to_offset(text, lines, params.range.end, st.encoding);
            // A reversed range is the range it spans, as for an edit.
            a.min(b)..a.max(b)
        };
        // From the session's analysis (a code action comes with every
        // move of the cursor); at most the findings an editor shows.
        let folder = state::folder_of(&st.folders, &uri);
        let analyzer = Analyzer::new(&folder.canon, &folder.settings);
        let found = doc
            .session
            .findings_touching(&analyzer, wanted.clone(), MAX_DIAGNOSTICS);
        let version = st.versioned_edits.then_some(doc.version);
        let mut conv = Conv::new(found.text, found.lines, st.encoding);
        for f in &found.shown.findings {
            let diag = conv.diagnostic(f);
            for (i, fix) in f.fixes.iter().enumerate() {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(conv.workspace_edit(&uri, version, &fix.edits)),
                    is_preferred: Some(i == 0),
                    ..Default::default()
                }));
            }
        }
        let fixes = doc.session.missing_frame_fixes(&analyzer, wanted);
        let mut conv = Conv::new(doc.session.text(), doc.session.lines(), st.encoding);
        for fix in fixes {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(conv.workspace_edit(&uri, version, &fix.edits)),
                ..Default::default()
            }));
        }
        Ok(Some(actions))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        match params.command.as_str() {
            CMD_RENDER => self.render_command(&params.arguments).map(Some),
            CMD_CANON => self.canon_command(&params.arguments).map(Some),
            export::CMD_EXPORT => self.export_command(&params.arguments).await.map(Some),
            outline::CMD_NEXT_PLACEHOLDER => {
                self.next_placeholder_command(&params.arguments).map(Some)
            }
            // A client-side command some clients (nvim-cmp) forward to the
            // server after a role or level item; there is nothing to do.
            CMD_TRIGGER_SUGGEST => Ok(None),
            other => Err(Error::invalid_params(format!(
                "unknown command `{}`; expected {CMD_RENDER}, {CMD_CANON}, {} or {}",
                goalframe::quote::quote(other),
                export::CMD_EXPORT,
                outline::CMD_NEXT_PLACEHOLDER
            ))),
        }
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = &params.text_document.uri;
        Ok(views::typed(views::View::Symbols, &self.state, uri))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let uri = &params.text_document.uri;
        Ok(views::typed(views::View::Folding, &self.state, uri))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = &params.text_document.uri;
        Ok(views::typed(views::View::Lenses, &self.state, uri))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        self.pull_document(params).await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        self.pull_workspace(params).await
    }
}
