//! A panic in one request's handler is a bug, but it must cost only that
//! request: it is answered with an internal error (-32603) and the server
//! goes on serving, as rust-analyzer does. The handlers keep the shared
//! state consistent between statements, and a poisoned lock is entered
//! anyway (`Backend::state`).

use std::panic::AssertUnwindSafe;
use std::task::{Context, Poll};

use futures::future::{BoxFuture, FutureExt};
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Request, Response};

/// Wraps the language server's service.
pub struct CatchPanic<S>(pub S);

impl<S> Service<Request> for CatchPanic<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let id = request.id().cloned();
        let method = request.method().to_string();
        let answer = move |panic: Box<dyn std::any::Any + Send>| {
            let said = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            crate::cli::say!("goalframe: {method} failed (a bug; please report it): {said}");
            id.map(|id| {
                let mut e = Error::new(ErrorCode::InternalError);
                e.message = format!("goalframe failed on {method}: {said}").into();
                Response::from_error(id, e)
            })
        };
        match std::panic::catch_unwind(AssertUnwindSafe(|| self.0.call(request))) {
            Ok(future) => AssertUnwindSafe(future)
                .catch_unwind()
                .map(move |r| r.unwrap_or_else(|panic| Ok(answer(panic))))
                .boxed(),
            Err(panic) => futures::future::ready(Ok(answer(panic))).boxed(),
        }
    }
}
