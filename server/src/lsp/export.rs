//! `goalframe.export` (docs/lsp.md): the goals of the current document or
//! of the workspace written to a file, as `goalframe export` writes them,
//! after the same pre-flight check. Open documents are read from the
//! editor's copy, unsaved changes included; the rest from disk.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use goalframe::analysis::Lines;
use goalframe::export::GoalRecord;

use crate::cli::export_cmd::{document_goals, write_documents, ExportFormat};
use crate::cli::{self, read_one};

use super::pull::diagnostics_of;
use super::*;

pub const CMD_EXPORT: &str = "goalframe.export";

/// One document to export: the path its goals name, where it is, and the
/// editor's text when it is open.
struct Source {
    name: String,
    path: PathBuf,
    open: Option<String>,
}

/// What one run found, before anything is written.
struct Found {
    format: ExportFormat,
    allow_incomplete: bool,
    enc: position::Encoding,
    goals: Vec<Vec<GoalRecord>>,
    count: usize,
    refused_goals: usize,
    refused_docs: usize,
    problems: Vec<Value>,
    skipped: Vec<Value>,
    /// Each document's name, owner and cycle, when it has goals and an
    /// owner.
    owners: Vec<(String, String, Option<String>)>,
}

impl Found {
    /// One document's goals, and its pre-flight problems as diagnostics.
    fn add(&mut self, analyzer: &Analyzer, name: &str, path: &Path, text: &str, lines: &Lines) {
        let doc = document_goals(
            analyzer,
            name,
            text,
            lines,
            self.format.needs(),
            self.allow_incomplete,
        );
        if !doc.problems.is_empty() {
            self.refused_goals += doc.refused();
            self.refused_docs += 1;
            if let Some(uri) = Uri::from_file_path(path) {
                let diagnostics =
                    diagnostics_of(MAX_DIAGNOSTICS, text, lines, doc.problems.iter(), self.enc);
                self.problems
                    .push(json!({ "uri": uri, "diagnostics": diagnostics }));
            }
        }
        if let Some((owner, cycle)) = doc.whose {
            self.owners.push((name.to_string(), owner, cycle));
        }
        self.count += doc.goals.len();
        self.goals.push(doc.goals);
    }
}

impl Backend {
    pub(super) async fn export_command(&self, args: &[Value]) -> Result<Value> {
        let arg = args.first().cloned().unwrap_or(Value::Null);
        super::commands::only_keys(
            CMD_EXPORT,
            &arg,
            &["output", "format", "uri", "allowIncomplete"],
        )?;
        let field = |k: &str| arg.get(k).and_then(Value::as_str);
        let asked = match field("format") {
            None => None,
            Some(f) => Some(ExportFormat::from_str(f, true).map_err(|_| {
                Error::invalid_params(format!(
                    "unknown format `{}`; expected json, csv, culture-amp or betterworks",
                    goalframe::quote::quote(f)
                ))
            })?),
        };
        let allow_incomplete = arg
            .get("allowIncomplete")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let folders = self.state().roots();
        let output = field("output")
            .map(|o| path_of(o, folders.first()))
            .ok_or_else(|| {
                Error::invalid_params(format!(
                    "{CMD_EXPORT} needs {{ output, format?, uri?, allowIncomplete? }}"
                ))
            })??;
        // As on the command line: the output's name says it (a name that
        // says another format is refused), else JSON.
        let format = ExportFormat::chosen(asked, Some(&output)).map_err(Error::invalid_params)?;
        // A pipe or a device would hold the request until something read
        // it, on a thread of its own; the editors export to files.
        if let Some(kind) = std::fs::metadata(&output)
            .ok()
            .and_then(|m| goalframe::read::special_kind(&m))
        {
            return Err(Error::invalid_params(format!(
                "{} is {kind}; {CMD_EXPORT} writes a file",
                output.display()
            )));
        }
        let document = match field("uri") {
            Some(u) => Some(document_path(u, folders.first())?),
            None => None,
        };
        if document.is_none() && folders.is_empty() {
            return Err(Error::invalid_params(
                "no workspace folder to export; pass the document's `uri`",
            ));
        }
        let (scopes, enc, open) = {
            let st = self.state();
            let open: HashMap<PathBuf, String> = st
                .docs
                .iter()
                .filter_map(|(u, d)| {
                    let p = u.to_file_path()?.into_owned();
                    let wanted = document.as_ref().is_none_or(|w| *w == p);
                    wanted.then(|| (p, d.session.text().to_string()))
                })
                .collect();
            (st.scopes(), st.encoding, open)
        };
        let job = tokio::task::spawn_blocking(move || -> std::result::Result<Value, String> {
            let analyzers = scopes.analyzers();
            let mut found = Found {
                format,
                allow_incomplete,
                enc,
                goals: Vec::new(),
                count: 0,
                refused_goals: 0,
                refused_docs: 0,
                problems: Vec::new(),
                skipped: Vec::new(),
                owners: Vec::new(),
            };
            let sources = sources(document.as_deref(), &folders, open);
            crate::cli::atomic::check_not_read(&output, sources.iter().map(|s| s.path.as_path()))?;
            for s in sources {
                // Each document with its own folder's canon and settings.
                let analyzer = &analyzers[scopes.index(&s.path)];
                match s.open {
                    Some(text) => found.add(analyzer, &s.name, &s.path, &text, &Lines::new(&text)),
                    // Read as `goalframe export` reads it (byte order
                    // marks, UTF-16, binary files), so the file is its.
                    None => {
                        let read = read_one(
                            &cli::Source::File(s.path.clone()),
                            analyzer,
                            "",
                            false,
                            |c| found.add(analyzer, &s.name, &s.path, c.text, &c.lines),
                        );
                        if let Err(skipped) = read {
                            found
                                .skipped
                                .push(json!({ "path": s.name, "reason": skipped.reason }));
                        }
                    }
                }
            }
            // One document asked for and not read: there is nothing to
            // export, and an empty file must not replace an earlier export.
            if let (Some(_), Some(skipped)) = (&document, found.skipped.first()) {
                return Err(format!(
                    "{}: {}",
                    skipped["path"].as_str().unwrap_or_default(),
                    skipped["reason"].as_str().unwrap_or_default()
                ));
            }
            let written = found.refused_docs == 0 || allow_incomplete;
            if written {
                crate::cli::atomic::write_file_atomically(&output, |file| {
                    let mut out = std::io::BufWriter::new(file);
                    write_documents(format, &mut out, &found.goals)
                        .and_then(|()| out.flush())
                        .map_err(|e| format!("{}: {e}", output.display()))
                })?;
            }
            // As `goalframe export` says them (docs/export.md).
            let shared = goalframe::export::shared_owners(
                found
                    .owners
                    .iter()
                    .map(|(name, owner, cycle)| (name.as_str(), owner.as_str(), cycle.as_deref())),
            );
            let warnings: Vec<String> = shared.iter().map(|s| s.warning()).collect();
            Ok(json!({
                "written": written,
                "output": output,
                "format": format.to_possible_value().map(|v| v.get_name().to_string()),
                "documents": found.goals.len(),
                "goals": found.count,
                "refusedGoals": found.refused_goals,
                "refusedDocuments": found.refused_docs,
                "problems": found.problems,
                "skipped": found.skipped,
                "sharedOwners": shared,
                "warnings": warnings,
            }))
        });
        match job.await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(Error {
                code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
                message: format!("nothing was exported: {e}").into(),
                data: None,
            }),
            Err(_) => Err(Error::internal_error()),
        }
    }
}

/// The document `uri` names: a `file:` URI or a path. A document of
/// another scheme (an editor's `untitled:` buffer) has no file to read
/// its goals from, nor a name to give them.
fn document_path(s: &str, root: Option<&PathBuf>) -> Result<PathBuf> {
    match s.parse::<Uri>() {
        Ok(u) if !s.starts_with("file:") && u.scheme().as_str().len() > 1 => {
            Err(Error::invalid_params(format!(
                "`{}` is not a file; save the document to export its goals",
                goalframe::quote::quote(s)
            )))
        }
        _ => path_of(s, root),
    }
}

/// A path or `file:` URI from the client; a relative path is taken from
/// the first workspace folder, as the settings' paths are.
fn path_of(s: &str, root: Option<&PathBuf>) -> Result<PathBuf> {
    if s.starts_with("file:") {
        return s
            .parse::<Uri>()
            .ok()
            .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
            .ok_or_else(|| {
                Error::invalid_params(format!(
                    "`{}` is not a file URI",
                    goalframe::quote::quote(s)
                ))
            });
    }
    let p = PathBuf::from(s);
    Ok(match root {
        Some(r) if p.is_relative() => r.join(p),
        _ => p,
    })
}

/// The documents to export, in path order, each named as `goalframe
/// export` run in its workspace folder names it.
fn sources(
    document: Option<&Path>,
    folders: &[PathBuf],
    mut open: HashMap<PathBuf, String>,
) -> Vec<Source> {
    let mut files = Vec::new();
    match document {
        Some(d) => files.push(d.to_path_buf()),
        None => {
            for f in folders {
                crate::cli::walk_documents(f, &mut files);
            }
            files.sort();
            files.dedup();
        }
    }
    files
        .into_iter()
        .map(|path| {
            let name = folders
                .iter()
                .find_map(|f| path.strip_prefix(f).ok())
                .unwrap_or(&path)
                .display()
                .to_string();
            let open = open.remove(&path);
            Source { name, path, open }
        })
        .collect()
}
