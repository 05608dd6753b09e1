//! The whole-document views (document symbols, folding ranges, code
//! lenses) answered beside tower-lsp: their answers run to megabytes on a
//! large review, and tower-lsp's `Value` tree cost several times the work
//! itself (see `output`). This service sits in front of tower-lsp's: it
//! takes those requests once the server is initialized and until
//! `shutdown`, writes the answer (`views.rs`) through the server's writer
//! (`output`), and gives tower-lsp nothing to answer. Everything else,
//! and those requests outside that window or with bad params, goes to
//! tower-lsp as before, which answers them the same way (the handlers in
//! `handlers.rs` call the same functions).
//!
//! Order is kept as tower-lsp keeps it: the answer is computed when its
//! future first runs, after the edits that came before it were applied.

use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use tower::Service;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::ls_types::TextDocumentIdentifier;
use tower_lsp_server::{ExitedError, LspService};

use super::views::{self, View};
use super::Backend;

/// The requests answered here.
fn view_of(method: &str) -> Option<View> {
    match method {
        "textDocument/documentSymbol" => Some(View::Symbols),
        "textDocument/foldingRange" => Some(View::Folding),
        "textDocument/codeLens" => Some(View::Lenses),
        _ => None,
    }
}

/// See the module documentation.
pub struct Direct {
    inner: LspService<Backend>,
    /// `shutdown` was seen: from here on tower-lsp refuses requests.
    closing: bool,
}

impl Direct {
    pub fn new(inner: LspService<Backend>) -> Direct {
        Direct {
            inner,
            closing: false,
        }
    }

    pub fn backend(&self) -> &Backend {
        self.inner.inner()
    }

    /// The future answering `req` here, if it is taken here.
    fn take(
        &self,
        req: &Request,
    ) -> Option<BoxFuture<'static, Result<Option<Response>, ExitedError>>> {
        let view = view_of(req.method())?;
        let id = req.id()?.clone();
        let backend = self.backend();
        if self.closing || !backend.ready.load(Ordering::SeqCst) {
            return None;
        }
        let document = req.params()?.get("textDocument")?;
        let uri = serde_json::from_value::<TextDocumentIdentifier>(document.clone())
            .ok()?
            .uri;
        let (state, out) = (backend.state.clone(), backend.out.clone());
        Some(Box::pin(async move {
            let body = views::answer(view, &state, &uri, &id);
            out.send(body).await;
            Ok(None)
        }))
    }
}

impl Service<Request> for Direct {
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<'static, Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.method() == "shutdown" {
            self.closing = true;
        }
        match self.take(&req) {
            Some(answer) => answer,
            None => self.inner.call(req),
        }
    }
}
