//! The MCP server's tools and prompt (docs/mcp.md). Inputs are typed
//! structs whose JSON Schemas rmcp derives; results are structured JSON
//! with a readable text, or a tool error (`isError`) that says what was
//! wrong the way the command line says it.

use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::model::{CallToolResult, ContentBlock, GetPromptResult, PromptMessage};
use rmcp::schemars::{self, JsonSchema};
use rmcp::{prompt, prompt_router, tool, tool_router, ErrorData};
use serde::{Deserialize, Serialize};

use goalframe::analysis::{DocKind, Lines, Shown};
use goalframe::canon::Canon;
use goalframe::diagnostic::MAX_SHOWN;
use goalframe::export::{Needs, JSON_VERSION, WHERE_GOALS_ARE};
use goalframe::render::{Form, Markup, Selection};

use crate::cli::export_cmd::document_goals;
use crate::cli::render_cmd::{frame_text, RenderError};
use crate::cli::report::{json_findings, Checked};

use super::{Goalframe, TEXT_LIMIT};

pub const INSTRUCTIONS: &str = "goalframe holds the organisation's job architecture (the canon: roles, \
levels, responsibilities, rubrics) and its goal templates. Never write goal wording yourself: look the \
role up (list_roles, describe_role), render the frame (render_frame), fill only the ⟨baseline⟩, \
⟨target⟩ and ⟨date⟩ placeholders, keep every quoted canon text exactly as it is, then call \
lint_document and fix what it reports. export_goals shows the goals as the HR export will read them.";

/// How many roles `list_roles` gives without a `limit`.
const DEFAULT_LIMIT: usize = 20;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRolesArgs {
    // Each field's doc comment is its schema's description, line breaks
    // kept: one line each.
    /// What to look for: a role id, alias or words of its title (as after `@` in an editor). Without it, the roles in canon order.
    pub query: Option<String>,
    /// At most this many roles (default 20; at least 1).
    #[schemars(range(min = 1))]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RoleSummary {
    pub id: String,
    pub title: String,
    pub family: String,
    pub aliases: Vec<String>,
    /// Level codes, in the canon's order.
    pub levels: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RoleList {
    pub roles: Vec<RoleSummary>,
    /// More roles matched than were given.
    pub truncated: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DescribeRoleArgs {
    /// A role id, alias or title.
    pub role: String,
    /// One level code; without it, every level of the role.
    pub level: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Dimension {
    pub name: String,
    pub text: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Rubric {
    pub key: String,
    pub text: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct LevelDescription {
    pub code: String,
    pub name: String,
    pub responsibilities: Vec<String>,
    pub rubrics: Vec<Rubric>,
    pub dimensions: Vec<Dimension>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RoleDescription {
    pub id: String,
    pub title: String,
    pub family: String,
    pub aliases: Vec<String>,
    pub levels: Vec<LevelDescription>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenderFrameArgs {
    /// A role id, alias or title.
    pub role: String,
    /// A level code.
    pub level: String,
    /// `smart`, `okr`, `mbo`, `scorecard` or `all`.
    pub frame: String,
    /// `markdown` (default) or `text`.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentArgs {
    /// The document's text.
    pub text: String,
    /// Its file name: `.md`/`.markdown` is markdown, anything else text (default `<stdin>.md`, as `lint -` reports it).
    pub filename: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftGoalsArgs {
    /// A role id, alias or title.
    pub role: String,
    /// A level code.
    pub level: String,
    /// `smart`, `okr`, `mbo`, `scorecard` or `all`.
    pub frame: String,
}

/// The roles matching `query` (all, in canon order, without one), ranked
/// as completion ranks them.
pub fn role_list(canon: &Canon, query: Option<&str>, limit: usize) -> RoleList {
    let summary = |r: &goalframe::canon::Role| RoleSummary {
        id: r.id.clone(),
        title: r.title.clone(),
        family: r.family.clone(),
        aliases: r.aliases.clone(),
        levels: r
            .levels
            .iter()
            .map(|rl| canon.levels()[rl.level].code.clone())
            .collect(),
    };
    match query.map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => {
            let found = canon.search_roles(q, limit);
            RoleList {
                roles: found.roles.into_iter().map(summary).collect(),
                truncated: found.truncated,
            }
        }
        None => RoleList {
            roles: canon.roles().iter().take(limit).map(summary).collect(),
            truncated: canon.roles().len() > limit,
        },
    }
}

/// A role (at one level, or all of them), verbatim; the error says what
/// exists instead, as `goalframe render` does.
pub fn describe(canon: &Canon, role: &str, level: Option<&str>) -> Result<RoleDescription, String> {
    let Some(r) = canon.role(role) else {
        return Err(canon.resolve_role(role).err().map_or_else(
            || format!("unknown role `{}`", goalframe::quote::quote(role)),
            |e| e.to_string(),
        ));
    };
    let levels = match level {
        Some(code) => vec![canon.level_of(r, code).map_err(|e| e.to_string())?],
        None => r
            .levels
            .iter()
            .filter_map(|rl| canon.level_of(r, &canon.levels()[rl.level].code).ok())
            .collect(),
    };
    Ok(RoleDescription {
        id: r.id.clone(),
        title: r.title.clone(),
        family: r.family.clone(),
        aliases: r.aliases.clone(),
        levels: levels
            .into_iter()
            .map(|ral| LevelDescription {
                code: ral.level.code.clone(),
                name: ral.level.name.clone(),
                responsibilities: ral.at.responsibilities().map(str::to_string).collect(),
                rubrics: ral
                    .at
                    .rubrics()
                    .map(|(k, t)| Rubric {
                        key: k.to_string(),
                        text: t.to_string(),
                    })
                    .collect(),
                dimensions: ral
                    .level
                    .dimensions
                    .iter()
                    .map(|d| Dimension {
                        name: d.name.clone(),
                        text: d.text.clone(),
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// A tool error: the words, as the command line would say them.
fn failed(message: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message.into())])
}

/// The frame, or why not.
fn frame(
    canon: &Canon,
    role: &str,
    level: &str,
    frame: &str,
    format: Option<&str>,
) -> Result<String, String> {
    let selection: Selection = frame.parse()?;
    let markup = match format.unwrap_or("markdown") {
        "markdown" => Markup::Markdown,
        "text" => Markup::Text,
        other => {
            return Err(format!(
                "unknown format `{}`; expected markdown or text",
                goalframe::quote::quote(other)
            ))
        }
    };
    let form = Form {
        markup,
        snippet: false,
    };
    frame_text(canon, role, level, selection, form).map_err(|e| match e {
        RenderError::Lookup(m) | RenderError::Empty(m) => m,
    })
}

/// The path a document given to a tool is reported by, once its size is
/// checked.
fn document(args: &DocumentArgs) -> Result<String, String> {
    if args.text.len() > TEXT_LIMIT {
        return Err(format!(
            "the document is {} bytes; goalframe takes documents of at most {} MiB here",
            args.text.len(),
            TEXT_LIMIT >> 20
        ));
    }
    Ok(args
        .filename
        .clone()
        .unwrap_or_else(|| "<stdin>.md".to_string()))
}

#[tool_router(vis = "pub(super)")]
impl Goalframe {
    #[tool(
        description = "Roles of the canon matching a query (id, alias or title words), ranked as the editor's completion ranks them: id, title, family, aliases and level codes."
    )]
    fn list_roles(&self, Parameters(args): Parameters<ListRolesArgs>) -> Json<RoleList> {
        let limit = args.limit.map_or(DEFAULT_LIMIT, |n| n as usize).max(1);
        Json(role_list(&self.canon(), args.query.as_deref(), limit))
    }

    #[tool(
        description = "A role's levels with their responsibilities, rubrics and dimensions, verbatim canon text: the only wording a goal may quote."
    )]
    fn describe_role(
        &self,
        Parameters(args): Parameters<DescribeRoleArgs>,
    ) -> Result<Json<RoleDescription>, String> {
        // An `Err` is answered as a tool error with these words.
        describe(&self.canon(), &args.role, args.level.as_deref()).map(Json)
    }

    #[tool(
        description = "The goal frame for a role at a level, exactly as `goalframe render` prints it: canon text in fixed templates, with ⟨baseline⟩, ⟨target⟩ and ⟨date⟩ to fill."
    )]
    fn render_frame(&self, Parameters(args): Parameters<RenderFrameArgs>) -> CallToolResult {
        match frame(
            &self.canon(),
            &args.role,
            &args.level,
            &args.frame,
            args.format.as_deref(),
        ) {
            Ok(text) => CallToolResult::success(vec![ContentBlock::text(text)]),
            Err(e) => failed(e),
        }
    }

    #[tool(
        description = "Checks a goal document as `goalframe lint --format json` does: unfilled placeholders, edited canon text, unknown roles, and goal quality (targets without a number, bad or out-of-cycle dates, …). Fix every finding before a person sees the draft."
    )]
    async fn lint_document(&self, Parameters(args): Parameters<DocumentArgs>) -> CallToolResult {
        let path = match document(&args) {
            Ok(p) => p,
            Err(e) => return failed(e),
        };
        let found = self
            .worker
            .run(move |analyzer, memo| {
                let (text, encoding) = goalframe::read::without_bom(args.text);
                let kind = DocKind::from_path(std::path::Path::new(&path));
                let lines = Lines::new(&text);
                let findings = analyzer.analyze_reusing(&text, kind, &lines, memo);
                let shown = Shown::first(MAX_SHOWN, findings.into_iter());
                let omitted = shown.omitted_count();
                let found = json_findings(&Checked {
                    path,
                    file: None,
                    text: &text,
                    lines,
                    findings: shown.findings,
                    // Offsets index the text as the client sent it.
                    encoding,
                });
                (found, omitted)
            })
            .await;
        match found {
            // The text is the same JSON, compact, for hosts that show text only.
            Ok((found, omitted)) => CallToolResult::structured(
                serde_json::json!({ "findings": found, "omitted": omitted }),
            ),
            Err(e) => failed(e),
        }
    }

    #[tool(
        description = "The goals of a document as `goalframe export --format json` writes them (values still missing are null), with the pre-flight problems that would stop the export, whether it is ready, and a warning when the text holds no goals."
    )]
    async fn export_goals(&self, Parameters(args): Parameters<DocumentArgs>) -> CallToolResult {
        let path = match document(&args) {
            Ok(p) => p,
            Err(e) => return failed(e),
        };
        let exported = self
            .worker
            .run(move |analyzer, _| {
                let (text, encoding) = goalframe::read::without_bom(args.text);
                let lines = Lines::new(&text);
                let needs = Needs {
                    owner: false,
                    summaries: false,
                };
                let doc = document_goals(analyzer, &path, &text, &lines, needs, false);
                let shown = Shown::first(MAX_SHOWN, doc.problems.into_iter());
                let omitted = shown.omitted_count();
                let problems = json_findings(&Checked {
                    path,
                    file: None,
                    text: &text,
                    lines,
                    findings: shown.findings,
                    encoding,
                });
                // What `goalframe export` says on standard error: an
                // assistant told `ready` with no goals would think the
                // text ready to submit.
                let warnings: Vec<String> = if doc.goals.is_empty() {
                    vec![format!("no goals in the text; {WHERE_GOALS_ARE}")]
                } else {
                    Vec::new()
                };
                serde_json::json!({
                    "version": JSON_VERSION,
                    "goals": doc.goals,
                    "warnings": warnings,
                    "ready": problems.is_empty(),
                    "problems": problems,
                    "problemsOmitted": omitted,
                })
            })
            .await;
        match exported {
            Ok(value) => CallToolResult::structured(value),
            Err(e) => failed(e),
        }
    }
}

#[prompt_router(vis = "pub(super)")]
impl Goalframe {
    // The description is given whole: a doc comment's line break would
    // reach the client inside the sentence.
    #[prompt(
        name = "draft_goals",
        description = "A goal frame to fill for a role at a level, with the rules that keep it canon."
    )]
    fn draft_goals(
        &self,
        Parameters(args): Parameters<DraftGoalsArgs>,
    ) -> Result<GetPromptResult, ErrorData> {
        let text = frame(
            &self.canon(),
            &args.role,
            &args.level,
            &args.frame,
            Some("markdown"),
        )
        .map_err(|e| ErrorData::invalid_params(e, None))?;
        let rules = "Draft these goals by filling only the ⟨baseline⟩, ⟨target⟩ and ⟨date⟩ \
placeholders below: a baseline and a target one can count, and a date such as 2027-06-30 or 2027-Q2. \
Keep every quoted canon text, heading, label and marker comment exactly as it is; add no goals and no \
wording of your own. Then call the lint_document tool with the whole document and fix everything it \
reports.";
        let message = format!("{rules}\n\n{text}");
        Ok(GetPromptResult::new(vec![PromptMessage::new_text(
            rmcp::model::Role::User,
            message,
        )])
        .with_description(format!(
            "Goals for {} at {} ({}), from the canon",
            args.role, args.level, args.frame
        )))
    }
}
