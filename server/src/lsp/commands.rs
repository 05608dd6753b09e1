//! `workspace/executeCommand`: the commands the editors call.

use clap::ValueEnum;

use crate::cli::export_cmd::ExportFormat;

use super::*;

/// A command takes only its own keys: a misspelt one (`URI`,
/// `allowincomplete`) is an error naming it, not passed over (an export
/// of one document would become the whole workspace's).
pub(super) fn only_keys(command: &str, arg: &Value, known: &[&str]) -> Result<()> {
    let Some(unknown) = arg
        .as_object()
        .and_then(|o| o.keys().find(|k| !known.contains(&k.as_str())))
    else {
        return Ok(());
    };
    Err(Error::invalid_params(format!(
        "{command} takes no `{}`; it takes {}",
        goalframe::quote::quote(unknown),
        known.join(", ")
    )))
}

impl Backend {
    pub(super) fn render_command(&self, args: &[Value]) -> Result<Value> {
        let arg = args.first().cloned().unwrap_or(Value::Null);
        only_keys(
            CMD_RENDER,
            &arg,
            &["role", "level", "frame", "form", "snippet", "uri"],
        )?;
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
                    "unknown form `{}`; expected text or markdown",
                    goalframe::quote::quote(other)
                )))
            }
        };
        let snippet = arg.get("snippet").and_then(Value::as_bool).unwrap_or(false);
        let canon: Arc<Canon> = self.state().folder_named(field("uri")).canon.clone();
        let ral = canon
            .role_at(role, level)
            .map_err(|e| Error::invalid_params(e.to_string()))?;
        let text = render::render_insert(ral, selection, Form { markup, snippet })
            .map_err(|e| Error::invalid_params(e.to_string()))?;
        Ok(Value::String(text))
    }

    /// The canon in use for a document (`{ uri }`, else the first
    /// folder's), its errors and the settings' problems.
    pub(super) fn canon_command(&self, args: &[Value]) -> Result<Value> {
        if let Some(arg) = args.first() {
            only_keys(CMD_CANON, arg, &["uri"])?;
        }
        let st = self.state();
        let uri = args
            .first()
            .and_then(|a| a.get("uri"))
            .and_then(Value::as_str);
        let folder = st.folder_named(uri);
        let canon = &folder.canon;
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
            folder.canon_errors.iter().map(|e| json!({ "file": e.file, "line": e.line, "column": e.column, "message": e.to_string() })).collect();
        // The editors' frame pickers list these, so a frame is named in one
        // place (render) and never typed in TypeScript or Lua.
        let frames: Vec<Value> = Selection::EVERY
            .iter()
            .map(|s| json!({ "id": s.key(), "label": s.label() }))
            .collect();
        // The formats of `goalframe.export`, named here for the same reason.
        let export_formats: Vec<Value> = ExportFormat::value_variants()
            .iter()
            .filter_map(|f| {
                let v = f.to_possible_value()?;
                Some(json!({
                    "id": v.get_name(),
                    "label": f.label(),
                    "extension": f.extension(),
                    "description": v.get_help().map(|h| h.to_string()),
                }))
            })
            .collect();
        Ok(json!({
            "sources": canon.sources(),
            "frames": frames,
            "exportFormats": export_formats,
            "roles": roles,
            "roleCount": canon.roles().len(),
            "roleLevelCount": canon.role_level_count(),
            "errors": errors,
            "settingsErrors": folder.settings_errors,
        }))
    }
}
