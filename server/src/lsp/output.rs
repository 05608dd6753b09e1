//! Everything the language server writes goes through one writer thread,
//! whole frames at a time.
//!
//! tower-lsp turns every message into a `serde_json::Value` tree, writes
//! it and frees it; for the large answers (document symbols, folding
//! ranges, code lenses, diagnostics, workspace partial results) that costs
//! several times what computing them does (BENCHMARKS.md, "The whole
//! document and the workspace"). Those are serialised straight from their
//! typed values by [`Out`]; tower-lsp's own messages arrive through
//! [`Sink`], which hands on whole frames only, so the two never interleave
//! inside a message. Writing on a thread of its own also keeps a slow
//! client's pipe from holding up the thread that answers the editor.

use std::io::Write;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use serde::Serialize;
use tokio::io::AsyncWrite;
use tokio::sync::mpsc;
use tokio_util::sync::PollSender;
use tower_lsp_server::jsonrpc::{Error, Id};
use tower_lsp_server::ls_types::notification::Notification;

/// Messages waiting for the writer: a client that stops reading holds the
/// server back here instead of growing its memory.
const QUEUE: usize = 64;

enum Item {
    /// Whole frames, headers included (tower-lsp's).
    Frames(Vec<u8>),
    /// One message body; the writer adds its header.
    Body(Vec<u8>),
}

/// Sends messages to the writer thread.
#[derive(Clone)]
pub struct Out {
    tx: mpsc::Sender<Item>,
}

/// The writer thread, to wait for at the end.
pub struct Writer {
    done: std::sync::mpsc::Receiver<()>,
}

impl Writer {
    /// Waits, at most `limit`, for what is queued to be written; every
    /// [`Out`] and [`Sink`] must be dropped first. A client that stopped
    /// reading is not waited for longer.
    pub fn finish(self, limit: Duration) {
        let _ = self.done.recv_timeout(limit);
    }
}

/// The process's standard output for the writer thread, buffered here:
/// `std::io::stdout()` is line-buffered and looks for the last line break
/// in everything written, megabytes of JSON without one.
pub fn stdout() -> Box<dyn Write + Send> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::io::BufWriter::with_capacity(
                1 << 16,
                std::fs::File::from(fd),
            ));
        }
    }
    Box::new(std::io::stdout())
}

/// Starts the writer thread on `w`.
pub fn start(mut w: impl Write + Send + 'static) -> (Out, Writer) {
    let (tx, mut rx) = mpsc::channel::<Item>(QUEUE);
    let (done_tx, done) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let write = |w: &mut dyn Write, item: Item| match item {
            Item::Frames(bytes) => w.write_all(&bytes),
            Item::Body(body) => w
                .write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
                .and_then(|()| w.write_all(&body)),
        };
        while let Some(item) = rx.blocking_recv() {
            // Flushed when nothing else is waiting: one system call for a
            // burst of messages, and none held back.
            if write(&mut w, item).is_err() || (rx.is_empty() && w.flush().is_err()) {
                break;
            }
        }
        let _ = w.flush();
        let _ = done_tx.send(());
    });
    (Out { tx }, Writer { done })
}

#[derive(Serialize)]
struct Response<'a, T> {
    jsonrpc: &'static str,
    id: &'a Id,
    result: &'a T,
}

#[derive(Serialize)]
struct ErrorResponse<'a> {
    jsonrpc: &'static str,
    id: &'a Id,
    error: Error,
}

#[derive(Serialize)]
struct Message<'a, T> {
    jsonrpc: &'static str,
    method: &'a str,
    params: &'a T,
}

/// The body of the answer `result` to request `id`. A value that cannot be
/// written as JSON (a bug) is answered with an internal error instead.
pub fn response_body<T: Serialize>(id: &Id, result: &T) -> Vec<u8> {
    let jsonrpc = "2.0";
    serde_json::to_vec(&Response {
        jsonrpc,
        id,
        result,
    })
    .unwrap_or_else(|e| {
        let mut error = Error::internal_error();
        error.message = format!("goalframe could not write its answer: {e}").into();
        serde_json::to_vec(&ErrorResponse { jsonrpc, id, error }).unwrap_or_default()
    })
}

/// The body of the error answer to request `id` (`Id::Null` for a
/// message that could not be read).
pub fn error_body(id: &Id, error: Error) -> Vec<u8> {
    serde_json::to_vec(&ErrorResponse {
        jsonrpc: "2.0",
        id,
        error,
    })
    .unwrap_or_default()
}

/// The body of notification `N`, or `None` for params that cannot be
/// written as JSON (a bug; said on stderr).
pub fn notification_body<N: Notification>(params: &N::Params) -> Option<Vec<u8>> {
    let message = Message {
        jsonrpc: "2.0",
        method: N::METHOD,
        params,
    };
    serde_json::to_vec(&message)
        .map_err(|e| crate::cli::say!("goalframe: cannot write {}: {e}", N::METHOD))
        .ok()
}

impl Out {
    /// Queues one message body. Nothing is sent once the writer stopped
    /// (the client went away).
    pub async fn send(&self, body: Vec<u8>) {
        let _ = self.tx.send(Item::Body(body)).await;
    }

    /// Sends notification `N`.
    pub async fn notify<N: Notification>(&self, params: &N::Params) {
        if let Some(body) = notification_body::<N>(params) {
            self.send(body).await;
        }
    }

    /// The writer for tower-lsp's own messages.
    pub fn sink(&self) -> Sink {
        Sink {
            tx: PollSender::new(self.tx.clone()),
            pending: Vec::new(),
        }
    }
}

/// tower-lsp's output: bytes in, whole frames on to the writer.
pub struct Sink {
    tx: PollSender<Item>,
    /// The start of a frame whose end has not been written yet.
    pending: Vec<u8>,
}

fn gone() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the writer stopped")
}

impl AsyncWrite for Sink {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.tx.poll_reserve(cx)).map_err(|_| gone())?;
        this.pending.extend_from_slice(buf);
        let whole = goalframe::framing::whole_frames(&this.pending);
        if whole == 0 {
            this.tx.abort_send();
        } else {
            let rest = this.pending.split_off(whole);
            let frames = std::mem::replace(&mut this.pending, rest);
            this.tx
                .send_item(Item::Frames(frames))
                .map_err(|_| gone())?;
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        // The writer flushes whenever its queue runs empty.
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tokio::io::AsyncWriteExt;

    /// A `Write` the test can look into.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn direct_messages_go_between_frames_never_inside_one() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let written = Shared::default();
        let (out, writer) = start(written.clone());
        runtime.block_on(async {
            let mut sink = out.sink();
            let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
            let first = frame(r#"{"jsonrpc":"2.0","id":1,"result":null}"#);
            // Half a frame from tower-lsp, then a direct message, then the
            // rest of the frame.
            sink.write_all(&first.as_bytes()[..10]).await.unwrap();
            out.send(br#"{"direct":true}"#.to_vec()).await;
            sink.write_all(&first.as_bytes()[10..]).await.unwrap();
            drop(sink);
            drop(out);
        });
        writer.finish(Duration::from_secs(5));
        let text = String::from_utf8(written.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            text,
            "Content-Length: 15\r\n\r\n{\"direct\":true}\
             Content-Length: 38\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}"
        );
    }

    #[test]
    fn answers_carry_their_id_and_notifications_their_method() {
        let body = response_body(&Id::Number(7), &vec![1, 2]);
        assert_eq!(body, br#"{"jsonrpc":"2.0","id":7,"result":[1,2]}"#);
        use tower_lsp_server::ls_types::{notification::LogMessage, LogMessageParams, MessageType};
        let body = notification_body::<LogMessage>(&LogMessageParams {
            typ: MessageType::INFO,
            message: "hi".into(),
        })
        .unwrap();
        assert_eq!(
            body,
            br#"{"jsonrpc":"2.0","method":"window/logMessage","params":{"type":3,"message":"hi"}}"#
        );
    }
}
