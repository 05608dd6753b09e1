//! stdin → the tower-lsp server, one well-formed message at a time.
//!
//! tower-lsp stops reading at the first frame it cannot decode (tokio-util's
//! `FramedRead` ends its stream after a decoder error), so one bad header or
//! body from a client ended the server. This pump checks every frame first:
//! a valid message goes through unchanged; a bad one never reaches the
//! server, and the pump answers it itself, through the server's writer,
//! with the JSON-RPC error the client should get (`-32700` Parse error,
//! `-32600` Invalid request, `-32601` for a `$/` request). Answered here
//! rather than by the server, the error is the same before `initialize`
//! and after `shutdown`, where tower-lsp would answer any request with
//! "not initialized" or "invalid request" instead.

use goalframe::framing::{Decoder, Frame};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

use super::output::{self, Out};

/// What becomes of one frame.
enum Checked {
    /// Handed to the server as it came.
    Pass(Vec<u8>),
    /// Answered with this error; the server never sees it.
    Refuse(Id, Error),
}

fn refused(id: Id, code: ErrorCode, reason: String) -> Checked {
    let mut e = Error::new(code);
    e.data = Some(reason.into());
    Checked::Refuse(id, e)
}

/// What to do with a frame body. Read straight into tower-lsp's own
/// message types, as its decoder reads them, with no `Value` tree of the
/// whole message first: a `didOpen` of a large draft or a workspace
/// pass's thousands of result ids must not be parsed several times over
/// before the server sees them.
fn checked(body: Vec<u8>) -> Checked {
    if let Ok(request) = serde_json::from_slice::<Request>(&body) {
        return match request.id() {
            // LSP: a `$/` request the server does not know is answered
            // with MethodNotFound (notifications are ignored).
            Some(id) if request.method().starts_with("$/") && *id != Id::Null => {
                let method = serde_json::to_string(request.method()).unwrap_or_default();
                refused(
                    id.clone(),
                    ErrorCode::MethodNotFound,
                    format!("unknown method {method}"),
                )
            }
            _ => Checked::Pass(body),
        };
    }
    if serde_json::from_slice::<Response>(&body).is_ok() {
        return Checked::Pass(body);
    }
    // A lone surrogate (`\ud83d`) a JavaScript client wrote: read as U+FFFD
    // rather than the message lost.
    if let Some(repaired) = goalframe::json_text::replace_lone_surrogates(&body) {
        return checked(repaired);
    }
    match serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
        Err(e) => refused(
            Id::Null,
            ErrorCode::ParseError,
            format!("invalid JSON: {e}"),
        ),
        Ok(_) => refused(
            Id::Null,
            ErrorCode::InvalidRequest,
            "not a JSON-RPC request, notification or response".to_string(),
        ),
    }
}

async fn send<W: AsyncWrite + Unpin>(out: &mut W, body: &[u8]) -> std::io::Result<()> {
    out.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .await?;
    out.write_all(body).await?;
    out.flush().await
}

/// Stdin, read on a plain thread, so that no read is left pending in the
/// runtime's blocking pool after `exit` (dropping the runtime would wait
/// for it, i.e. for the client to write or close stdin). `handle` is the
/// runtime the returned stream is read on.
pub fn stdin_reader(handle: tokio::runtime::Handle) -> DuplexStream {
    let (mut tx, rx) = tokio::io::duplex(64 * 1024);
    std::thread::spawn(move || {
        use std::io::Read;
        let mut stdin = std::io::stdin().lock();
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            match stdin.read(&mut chunk) {
                Ok(0) => return,
                Ok(n) => {
                    if handle.block_on(tx.write_all(&chunk[..n])).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
    });
    rx
}

/// Copies framed messages from `input` to `output` until either ends,
/// answering malformed ones through `out` (see the module docs; the
/// framing itself is `goalframe::framing`), and puts the server's own
/// messages to itself (`injected`: what its file watcher saw, see `watch`)
/// between them.
pub async fn pump<R, W>(
    mut input: R,
    mut output: W,
    mut injected: tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    out: Out,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut decoder = Decoder::default();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        while let Some(frame) = decoder.next_frame() {
            let checked = match frame {
                Frame::Message(body) => checked(body),
                Frame::Malformed(why) => refused(Id::Null, ErrorCode::ParseError, why),
            };
            match checked {
                Checked::Pass(body) => {
                    if send(&mut output, &body).await.is_err() {
                        return;
                    }
                }
                Checked::Refuse(id, error) => out.send(output::error_body(&id, error)).await,
            }
        }
        // Both are cancel safe: a read that loses the race read nothing.
        tokio::select! {
            read = input.read(&mut chunk) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => decoder.push(&chunk[..n]),
            },
            Some(body) = injected.recv() => {
                if send(&mut output, &body).await.is_err() {
                    return;
                }
            }
        }
    }
}
