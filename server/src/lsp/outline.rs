//! The code lens's next-placeholder command, the `source.fixAll.goalframe`
//! action and date completion (docs/lsp.md), from the library's
//! [`goalframe::analysis::outline`]; the views themselves (symbols,
//! folding ranges, lenses) are written in `views.rs`.

use super::*;
use goalframe::quote::counted;

use goalframe::analysis::outline;

/// The client command the code lens runs, and the server command that
/// answers where the next unfilled placeholder is.
pub const CMD_NEXT_PLACEHOLDER: &str = "goalframe.nextPlaceholder";
/// The code action kind of "fix all".
pub const FIX_ALL_KIND: &str = "source.fixAll.goalframe";

impl Backend {
    /// `goalframe.nextPlaceholder { uri, position }`: the location of the
    /// next unfilled placeholder after the position (wrapping), or null.
    pub(super) fn next_placeholder_command(&self, args: &[Value]) -> Result<Value> {
        let arg = args.first().cloned().unwrap_or(Value::Null);
        super::commands::only_keys(CMD_NEXT_PLACEHOLDER, &arg, &["uri", "position"])?;
        let usage = "goalframe.nextPlaceholder needs { uri, position: { line, character } }";
        let uri: Uri = arg
            .get("uri")
            .and_then(Value::as_str)
            .and_then(|u| u.parse().ok())
            .ok_or_else(|| Error::invalid_params(usage))?;
        let position: Position = arg
            .get("position")
            .cloned()
            .and_then(|p| serde_json::from_value(p).ok())
            .ok_or_else(|| Error::invalid_params(usage))?;
        let mut guard = self.state();
        let st = &mut *guard;
        let Some(doc) = st.docs.get_mut(&uri) else {
            return Err(Error::invalid_params(format!(
                "goalframe.nextPlaceholder: `{}` is not open",
                goalframe::quote::quote(uri.as_str())
            )));
        };
        let folder = state::folder_of(&st.folders, &uri);
        let analyzer = Analyzer::new(&folder.canon, &folder.settings);
        let view = doc.session.outline(&analyzer);
        let (outline, text, lines) = (view.outline, view.text, view.lines);
        let offset = position::to_offset(text, lines, position, st.encoding);
        let next = outline.next_unfilled(offset);
        Ok(match next {
            Some(r) => {
                let range = Conv::new(text, lines, st.encoding).range(r);
                json!(Location { uri, range })
            }
            None => Value::Null,
        })
    }

    /// The `source.fixAll.goalframe` action, when the document has
    /// anything it would fix.
    pub(super) fn fix_all_action(&self, uri: &Uri) -> Option<CodeActionOrCommand> {
        let mut guard = self.state();
        let st = &mut *guard;
        let doc = st.docs.get_mut(uri)?;
        let folder = state::folder_of(&st.folders, uri);
        let analyzer = Analyzer::new(&folder.canon, &folder.settings);
        let found = doc.session.findings_shown(&analyzer, usize::MAX);
        let edits = outline::fix_all(found.shown.findings.iter().map(|f| f.as_ref()));
        if edits.is_empty() {
            return None;
        }
        let version = st.versioned_edits.then_some(doc.version);
        let mut conv = Conv::new(found.text, found.lines, st.encoding);
        Some(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!(
                "Fix all safe goalframe problems ({})",
                counted(edits.len(), "edit")
            ),
            kind: Some(CodeActionKind::from(FIX_ALL_KIND)),
            edit: Some(conv.workspace_edit(uri, version, &edits)),
            ..Default::default()
        }))
    }
}

/// Whether a code action request's `only` asks for (or allows) fix-all:
/// `source`, `source.fixAll` and `source.fixAll.goalframe` all do.
pub fn wants_fix_all(only: Option<&[CodeActionKind]>) -> bool {
    match only {
        None => false,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            FIX_ALL_KIND == k || FIX_ALL_KIND.starts_with(&format!("{k}."))
        }),
    }
}

/// Whether a code action request wants quick fixes (no `only`, or one
/// that includes `quickfix`).
pub fn wants_quickfix(only: Option<&[CodeActionKind]>) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| k.as_str() == "quickfix"),
    }
}

/// Completion inside a date slot: the cycle's end, its quarters' ends and
/// the goal's other date, replacing the slot (docs/lsp.md).
pub fn date_completion(
    text: &str,
    lines: &goalframe::analysis::Lines,
    offset: usize,
    kind: DocKind,
    st: &State,
    uri: &Uri,
) -> Option<CompletionResponse> {
    let settings = &state::folder_of(&st.folders, uri).settings;
    let ctx = goalframe::analysis::DocContext::read(text, kind, settings.cycle.as_ref());
    let markdown = kind == DocKind::Markdown;
    let (range, items) =
        goalframe::goals::suggest::date_items(text, lines, offset, markdown, &ctx.cycle)?;
    let typed = &text[range.clone()];
    let lsp_range = Conv::new(text, lines, st.encoding).range(range);
    let items = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| CompletionItem {
            label: item.label,
            kind: Some(CompletionItemKind::VALUE),
            sort_text: Some(format!("{i:03}")),
            // A placeholder is replaced whole: it filters as itself.
            filter_text: Some(if typed.contains('⟨') {
                format!("{typed}{}", item.value)
            } else {
                item.value.clone()
            }),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: lsp_range,
                new_text: item.value,
            })),
            ..Default::default()
        })
        .collect();
    Some(CompletionResponse::List(CompletionList {
        is_incomplete: false,
        items,
    }))
}
