//! stdin → the tower-lsp server, one well-formed message at a time.
//!
//! tower-lsp stops reading at the first frame it cannot decode (tokio-util's
//! `FramedRead` ends its stream after a decoder error), so one bad header or
//! body from a client ended the server. This pump checks every frame first:
//! a valid message goes through unchanged; a bad one is replaced by a
//! request to [`INVALID_MESSAGE`] with id `null`, which the server answers
//! with the JSON-RPC error the client should get (`-32700` Parse error or
//! `-32600` Invalid request), and it keeps serving.

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Request, Response};

/// The internal method a malformed message is turned into.
pub const INVALID_MESSAGE: &str = "goalframe/$invalidMessage";

const HEADER_END: &[u8] = b"\r\n\r\n";
const LENGTH: &[u8] = b"Content-Length";

/// The error for an [`INVALID_MESSAGE`] request.
pub fn invalid_message_error(params: &Value) -> Error {
    let code = ErrorCode::from(params["code"].as_i64().unwrap_or(-32700));
    let mut e = Error::new(code);
    if let Some(why) = params["reason"].as_str() {
        e.data = Some(Value::String(why.to_string()));
    }
    e
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// `Content-Length` of a header block, if it has a valid one.
fn content_length(head: &[u8]) -> Option<usize> {
    let head = std::str::from_utf8(head).ok()?;
    let mut len = None;
    for line in head.split("\r\n") {
        let (name, value) = line.split_once(':')?;
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            len = Some(value.trim().parse().ok()?);
        }
    }
    len
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

/// The largest message accepted (a 50 MB review opened in full is a
/// 50 MB `didOpen`); a larger `Content-Length` is refused at once rather
/// than buffered.
pub const MAX_MESSAGE: usize = 256 << 20;
/// A header block is a few dozen bytes; this much without its end is junk.
const MAX_HEADER: usize = 64 << 10;

/// Whether `prefix` is complete header lines (`Name: value\r\n`) other
/// than `Content-Length`: what may precede a `Content-Length` line.
fn other_header_lines(prefix: &[u8]) -> bool {
    let mut rest = prefix;
    while !rest.is_empty() {
        let Some(end) = find(rest, b"\r\n") else {
            return false;
        };
        let line = &rest[..end];
        let named = line.iter().position(|&b| b == b':').is_some_and(|i| i > 0);
        let printable = line
            .iter()
            .all(|&b| b == b'\t' || (b' '..0x7f).contains(&b));
        if !named || !printable || line.starts_with(LENGTH) {
            return false;
        }
        rest = &rest[end + 2..];
    }
    true
}

/// What to hand the server for a frame body.
fn checked(body: &[u8]) -> Vec<u8> {
    match serde_json::from_slice::<Value>(body) {
        Err(e) => substitute(-32700, &format!("invalid JSON: {e}")),
        Ok(v)
            if v["method"].as_str().is_some_and(|m| m.starts_with("$/"))
                && v.get("id").is_some_and(|id| !id.is_null()) =>
        {
            // LSP: a `$/` request the server does not know is answered
            // with MethodNotFound (notifications are ignored).
            let reason = format!("unknown method {}", v["method"]);
            substitute_for(&v["id"], -32601, &reason)
        }
        Ok(v) => {
            let is_message = serde_json::from_value::<Response>(v.clone()).is_ok()
                || serde_json::from_value::<Request>(v).is_ok();
            if is_message {
                body.to_vec()
            } else {
                substitute(-32600, "not a JSON-RPC request, notification or response")
            }
        }
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
/// replacing malformed ones (see the module docs).
pub async fn pump<R, W>(mut input: R, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    // After a bad header the body's end is unknown: skip to the next
    // `Content-Length`, as tower-lsp does, even if it arrives later.
    let mut resync = false;
    loop {
        if resync {
            match find(&buf, LENGTH) {
                Some(i) => {
                    buf.drain(..i);
                    resync = false;
                }
                None => {
                    // Keep a tail that may be the start of the header name.
                    let keep = buf.len().min(LENGTH.len() - 1);
                    buf.drain(..buf.len() - keep);
                }
            }
        }
        let header_end = find(&buf, HEADER_END);
        if !resync {
            // Another `Content-Length` before this header's end: what came
            // before it was no header (binary junk, LF-only line ends, a
            // header without its blank line). Answer it, and read the
            // next message from there rather than losing it.
            let next = buf.get(1..).and_then(|b| find(b, LENGTH)).map(|i| i + 1);
            if let Some(n) = next.filter(|&n| header_end.is_none_or(|end| n < end)) {
                if !other_header_lines(&buf[..n]) {
                    buf.drain(..n);
                    let body = substitute(-32700, "malformed message header");
                    if send(&mut output, &body).await.is_err() {
                        return;
                    }
                    continue;
                }
            }
            if header_end.is_none() && buf.len() > MAX_HEADER {
                resync = true;
                let body = substitute(-32700, "no message header");
                if send(&mut output, &body).await.is_err() {
                    return;
                }
                continue;
            }
        }
        // A whole frame in the buffer?
        if let (false, Some(end)) = (resync, header_end) {
            match content_length(&buf[..end]) {
                Some(len) if len > MAX_MESSAGE => {
                    buf.drain(..end + 4);
                    resync = true;
                    let reason = format!(
                        "message too large: {len} bytes (the most is {} MiB)",
                        MAX_MESSAGE >> 20
                    );
                    if send(&mut output, &substitute(-32700, &reason))
                        .await
                        .is_err()
                    {
                        return;
                    }
                    continue;
                }
                Some(len) if buf.len() >= end + 4 + len => {
                    let body = checked(&buf[end + 4..end + 4 + len]);
                    buf.drain(..end + 4 + len);
                    if send(&mut output, &body).await.is_err() {
                        return;
                    }
                    continue;
                }
                Some(_) => {} // wait for the rest of the body
                None => {
                    buf.drain(..end + 4);
                    resync = true;
                    let body = substitute(-32700, "missing or invalid Content-Length header");
                    if send(&mut output, &body).await.is_err() {
                        return;
                    }
                    continue;
                }
            }
        }
        match input.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}
