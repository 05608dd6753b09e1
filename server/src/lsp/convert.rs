//! Core types → LSP types: findings to diagnostics, completion items, and
//! byte-range edits to workspace edits, in the negotiated encoding.

use std::collections::HashMap;
use std::ops::Range as Bytes;

use goalframe::analysis::Lines;
use tower_lsp_server::ls_types::*;

use goalframe::analysis::{Edit, Finding, Severity};
use goalframe::canon::CanonError;
use goalframe::complete::{Item, ItemKind};

use super::position::{Encoding, Positions};

/// Converts byte offsets of one document (through [`Positions`]: in
/// order, each line is counted once).
pub struct Conv<'a> {
    positions: Positions<'a>,
}

impl<'a> Conv<'a> {
    pub fn new(text: &'a str, lines: &'a Lines, enc: Encoding) -> Conv<'a> {
        Conv {
            positions: Positions::new(text, lines, enc),
        }
    }

    pub fn range(&mut self, r: Bytes<usize>) -> Range {
        self.positions.range(r)
    }

    pub fn diagnostic(&mut self, f: &Finding) -> Diagnostic {
        let range = self.range(f.range.clone());
        Diagnostic {
            range,
            severity: Some(severity(f.severity)),
            code: Some(NumberOrString::String(f.code.as_str().to_string())),
            source: Some("goalframe".to_string()),
            message: f.message.to_string(),
            ..Default::default()
        }
    }

    /// A canon error as a diagnostic on the canon file itself.
    pub fn canon_diagnostic(&mut self, e: &CanonError) -> Diagnostic {
        let message = if e.json_path.is_empty() {
            e.message.clone()
        } else {
            format!("{}: {}", e.json_path, e.message)
        };
        Diagnostic {
            range: self.range(e.range.0..e.range.1.max(e.range.0)),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("canon-error".to_string())),
            source: Some("goalframe".to_string()),
            message,
            ..Default::default()
        }
    }

    /// `edits` to the document at `uri`: for `version` of it when the
    /// client takes versioned edits (it then refuses them if the document
    /// has changed since), else as plain changes.
    pub fn workspace_edit(
        &mut self,
        uri: &Uri,
        version: Option<i32>,
        edits: &[Edit],
    ) -> WorkspaceEdit {
        let edits: Vec<TextEdit> = edits
            .iter()
            .map(|e| TextEdit {
                range: self.range(e.range.clone()),
                new_text: e.new_text.clone(),
            })
            .collect();
        match version {
            Some(version) => WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: Some(version),
                    },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                }])),
                ..Default::default()
            },
            None => WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), edits)])),
                ..Default::default()
            },
        }
    }
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// A completion item replacing `range` (the whole token).
pub fn completion_item(i: Item, range: Range, retrigger_command: &str) -> CompletionItem {
    let kind = match i.kind {
        ItemKind::Role => CompletionItemKind::MODULE,
        ItemKind::Level => CompletionItemKind::ENUM_MEMBER,
        ItemKind::Frame => CompletionItemKind::SNIPPET,
    };
    CompletionItem {
        label: i.label,
        kind: Some(kind),
        detail: Some(i.detail),
        // Plain text: clients wrap it, and show no markdown escapes.
        documentation: i.documentation.map(|d| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::PlainText,
                value: d,
            })
        }),
        // A frame is inserted exactly as rendered: the client must not add
        // the line's indentation to its lines (LSP 3.16 `insertTextMode`).
        insert_text_mode: (i.kind == ItemKind::Frame).then_some(InsertTextMode::AS_IS),
        sort_text: Some(i.sort_text),
        filter_text: Some(i.filter_text),
        insert_text_format: Some(if i.snippet {
            InsertTextFormat::SNIPPET
        } else {
            InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range,
            new_text: i.new_text,
        })),
        command: i.retrigger.then(|| Command {
            title: "Suggest".into(),
            command: retrigger_command.into(),
            arguments: None,
        }),
        ..Default::default()
    }
}
