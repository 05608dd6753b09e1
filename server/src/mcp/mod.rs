//! `goalframe mcp` (docs/mcp.md): a Model Context Protocol server on
//! stdio, built on rmcp, so that an AI assistant drafts goals from the
//! canon and checks them as CI will. A thin adapter: every answer is made
//! by the same functions as the command line's (`render_cmd::frame_text`,
//! `report::json_findings`, `export_cmd::document_goals`), so the two can
//! never disagree.

mod reload;
mod tools;
mod transport;

use std::process::ExitCode;
use std::sync::Arc;

use rmcp::model::{
    Implementation, ListResourceTemplatesResult, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};

use goalframe::analysis::{Analyzer, Memo};
use goalframe::canon::Canon;
use goalframe::config::Settings;

use crate::cli::{settings_and_canon_searched, usage, CanonArgs};

/// The largest document `lint_document` and `export_goals` take, in
/// bytes: a goal document is kilobytes; more is a mistake, answered with a
/// tool error rather than held.
pub const TEXT_LIMIT: usize = 16 << 20;

/// The longest message read, in bytes: room for a document at
/// [`TEXT_LIMIT`] with every character escaped, so that an oversized
/// document gets its tool error. (A longer line is skipped, not held, and
/// answered with Invalid Request.)
const LINE_LIMIT: usize = 6 * TEXT_LIMIT;

/// The URI of the role list, and the template of one role's.
const ROLES_URI: &str = "goalframe://roles";
const ROLE_URI: &str = "goalframe://role/";

/// The server: the canon in use, the thread that analyses documents (with
/// that canon and the settings), and rmcp's routers for its tools and
/// prompt.
#[derive(Clone)]
pub struct Goalframe {
    /// Swapped whole when the canon or settings files change and load
    /// (`reload`); a canon that fails to load never replaces it.
    canon: Arc<std::sync::RwLock<Arc<Canon>>>,
    worker: Arc<Worker>,
    tool_router: rmcp::handler::server::router::tool::ToolRouter<Goalframe>,
    prompt_router: rmcp::handler::server::router::prompt::PromptRouter<Goalframe>,
}

/// Runs the server on stdin and stdout until the client closes stdin.
pub fn run_stdio(args: &CanonArgs) -> ExitCode {
    let (settings, canon, folders) = match settings_and_canon_searched(args) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let watched = settings.clone();
    let server = Goalframe::new(canon, settings);
    // Follows the canon and settings files while the session lasts.
    reload::follow(args.clone(), &watched, folders, server.clone());
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return usage(format!("starting the MCP server: {e}")),
    };
    let served = runtime.block_on(async move {
        let (sink, stream, writer) =
            transport::lines(tokio::io::stdin(), tokio::io::stdout(), LINE_LIMIT);
        let transport = rmcp::transport::sink_stream::SinkStreamTransport::new(sink, stream);
        let served = async {
            let service = server.serve(transport).await.map_err(|e| e.to_string())?;
            service.waiting().await.map_err(|e| e.to_string())?;
            Ok::<(), String>(())
        }
        .await;
        // What is still to be written goes out before the process ends.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), writer).await;
        served
    });
    // A read of stdin may still be blocked on the runtime's blocking pool
    // (the session ended on an error): do not wait for it.
    runtime.shutdown_background();
    match served {
        Ok(()) => ExitCode::SUCCESS,
        // The client went away before the handshake: nothing to serve.
        Err(e) if e.contains("connection closed") => ExitCode::SUCCESS,
        Err(e) => usage(format!("the MCP session ended: {e}")),
    }
}

impl Goalframe {
    pub fn new(canon: Canon, settings: Settings) -> Goalframe {
        let canon = Arc::new(canon);
        Goalframe {
            worker: Arc::new(Worker::start(canon.clone(), Arc::new(settings))),
            canon: Arc::new(std::sync::RwLock::new(canon)),
            tool_router: Self::tool_router(),
            prompt_router: Self::prompt_router(),
        }
    }

    /// The canon in use.
    fn canon(&self) -> Arc<Canon> {
        self.canon.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts a canon and settings that loaded in use: the analysis thread's
    /// next job sees them, as does every lookup from now on.
    fn replace(&self, canon: Arc<Canon>, settings: Settings) {
        self.worker.replace(canon.clone(), Arc::new(settings));
        *self.canon.write().unwrap_or_else(|e| e.into_inner()) = canon;
    }
}

/// A job for the analysis thread.
type Job = Box<dyn FnOnce(&Analyzer, &mut Memo) + Send>;

/// What the analysis thread is sent: a job, or the canon and settings to
/// use from the next job on.
enum Work {
    Job(Job),
    Use(Arc<Canon>, Arc<Settings>),
}

/// One [`Analyzer`] for the whole session (until the canon changes), on a
/// thread of its own, with the [`Memo`] `lint` keeps across documents: a
/// role named in every draft (or a misspelled one, ranked against the
/// whole canon) is looked up once per canon, not once per call.
pub struct Worker {
    jobs: std::sync::mpsc::Sender<Work>,
}

impl Worker {
    fn start(canon: Arc<Canon>, settings: Arc<Settings>) -> Worker {
        let (tx, rx) = std::sync::mpsc::channel::<Work>();
        std::thread::spawn(move || {
            let mut using = (canon, settings);
            loop {
                let (canon, settings) = &using;
                let analyzer = Analyzer::new(canon, settings);
                let mut memo = Memo::default();
                let next = loop {
                    match rx.recv() {
                        Ok(Work::Job(job)) => {
                            // A panic (a bug) fails that call alone: its
                            // answer channel is dropped, and the memo is
                            // started afresh.
                            let done =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    job(&analyzer, &mut memo)
                                }));
                            if done.is_err() {
                                memo = Memo::default();
                            }
                        }
                        Ok(Work::Use(canon, settings)) => break (canon, settings),
                        Err(_) => return,
                    }
                };
                drop(analyzer);
                using = next;
            }
        });
        Worker { jobs: tx }
    }

    /// The canon and settings for the jobs sent after this.
    fn replace(&self, canon: Arc<Canon>, settings: Arc<Settings>) {
        let _ = self.jobs.send(Work::Use(canon, settings));
    }

    /// Runs `f` on the analysis thread and waits for its result without
    /// holding up the session.
    pub async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Analyzer, &mut Memo) -> R + Send + 'static,
    ) -> Result<R, String> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |a, m| {
            let _ = tx.send(f(a, m));
        });
        self.jobs
            .send(Work::Job(job))
            .map_err(|_| "the analysis thread is gone".to_string())?;
        rx.await.map_err(|_| {
            "goalframe failed on this document; this is a bug, please report it".to_string()
        })
    }
}

#[rmcp::tool_handler(router = self.tool_router)]
#[rmcp::prompt_handler(router = self.prompt_router)]
impl ServerHandler for Goalframe {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_prompts()
                .enable_resources()
                .build(),
        )
        .with_server_info(Implementation::new("goalframe", env!("CARGO_PKG_VERSION")))
        .with_instructions(tools::INSTRUCTIONS)
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        // One resource for the list; a role's own is reached through the
        // template, so a canon of thousands of roles is not listed whole.
        let roles = Resource::new(ROLES_URI, "roles")
            .with_title("Roles and levels of the canon")
            .with_description(
                "Every role with its id, title, family, aliases and level codes (JSON).",
            )
            .with_mime_type("application/json");
        Ok(ListResourcesResult {
            resources: vec![roles],
            ..Default::default()
        })
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        let role = ResourceTemplate::new(format!("{ROLE_URI}{{id}}"), "role")
            .with_title("One role, verbatim canon")
            .with_description("A role's levels, responsibilities, rubrics and dimensions, as describe_role gives them (JSON).")
            .with_mime_type("application/json");
        Ok(ListResourceTemplatesResult {
            resource_templates: vec![role],
            ..Default::default()
        })
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let uri = request.uri.as_str();
        let value = if uri == ROLES_URI {
            serde_json::to_value(tools::role_list(&self.canon(), None, usize::MAX))
        } else if let Some(id) = uri.strip_prefix(ROLE_URI) {
            let described = tools::describe(&self.canon(), id, None)
                .map_err(|e| ErrorData::resource_not_found(e, None))?;
            serde_json::to_value(described)
        } else {
            return Err(ErrorData::resource_not_found(
                format!(
                    "no resource `{}`; goalframe has {ROLES_URI} and {ROLE_URI}{{id}}",
                    goalframe::quote::quote(uri)
                ),
                None,
            ));
        };
        let text = value
            .and_then(|v| serde_json::to_string_pretty(&v))
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        let contents = ResourceContents::text(text, uri).with_mime_type("application/json");
        Ok(ReadResourceResult::new(vec![contents]).into())
    }
}
