//! stdin → the tower-lsp server, one well-formed message at a time.
//!
//! tower-lsp stops reading at the first frame it cannot decode (tokio-util's
//! `FramedRead` ends its stream after a decoder error), so one bad header or
//! body from a client ended the server. This pump checks every frame first:
//! a valid message goes through unchanged; a bad one is replaced by a
//! request to [`INVALID_MESSAGE`] with id `null`, which the server answers
//! with the JSON-RPC error the client should get (`-32700` Parse error or
//! `-32600` Invalid request), and it keeps serving.

use goalframe::framing::{Decoder, Frame};
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

/// The internal method a malformed message is turned into.
pub const INVALID_MESSAGE: &str = "goalframe/$invalidMessage";

/// The error for an [`INVALID_MESSAGE`] request.
pub fn invalid_message_error(params: &Value) -> Error {
    let code = ErrorCode::from(params["code"].as_i64().unwrap_or(-32700));
    let mut e = Error::new(code);
    if let Some(why) = params["reason"].as_str() {
        e.data = Some(Value::String(why.to_string()));
    }
    e
}

/// The request that stands in for a malformed message.
fn substitute(code: i64, reason: &str) -> Vec<u8> {
    substitute_for(&Value::Null, code, reason)
}

/// The request that stands in for a message the server must refuse, with
/// the id the error is to carry.
fn substitute_for(id: &Value, code: i64, reason: &str) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "id": id, "method": INVALID_MESSAGE,
           "params": {"code": code, "reason": reason}})
    .to_string()
    .into_bytes()
}

/// What to hand the server for a frame body. Read straight into
/// tower-lsp's own message types, as its decoder reads them, with no
/// `Value` tree of the whole message first: a `didOpen` of a large draft
/// or a workspace pass's thousands of result ids must not be parsed
/// several times over before the server sees them.
fn checked(body: &[u8]) -> Vec<u8> {
    if let Ok(request) = serde_json::from_slice::<Request>(body) {
        return match request.id() {
            // LSP: a `$/` request the server does not know is answered
            // with MethodNotFound (notifications are ignored).
            Some(id) if request.method().starts_with("$/") && *id != Id::Null => {
                let method = serde_json::to_string(request.method()).unwrap_or_default();
                let reason = format!("unknown method {method}");
                substitute_for(
                    &serde_json::to_value(id).unwrap_or(Value::Null),
                    -32601,
                    &reason,
                )
            }
            _ => body.to_vec(),
        };
    }
    if serde_json::from_slice::<Response>(body).is_ok() {
        return body.to_vec();
    }
    // A lone surrogate (`\ud83d`) a JavaScript client wrote: read as U+FFFD
    // rather than the message lost.
    if let Some(repaired) = goalframe::json_text::replace_lone_surrogates(body) {
        return checked(&repaired);
    }
    match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        Err(e) => substitute(-32700, &format!("invalid JSON: {e}")),
        Ok(_) => substitute(-32600, "not a JSON-RPC request, notification or response"),
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
/// replacing malformed ones (see the module docs; the framing itself is
/// `goalframe::framing`), and puts the server's own messages to itself
/// (`injected`: what its file watcher saw, see `watch`) between them.
pub async fn pump<R, W>(
    mut input: R,
    mut output: W,
    mut injected: tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut decoder = Decoder::default();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        while let Some(frame) = decoder.next_frame() {
            let body = match frame {
                Frame::Message(body) => checked(&body),
                Frame::Malformed(why) => substitute(-32700, &why),
            };
            if send(&mut output, &body).await.is_err() {
                return;
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
