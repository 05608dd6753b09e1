//! stdin and stdout around rmcp: lines in, messages out, and the JSON-RPC
//! answer every malformed line is owed.
//!
//! rmcp's own stdio transport drops a line that is not JSON, and answers
//! well-formed JSON of the wrong shape (`"params": 5`) with an error that
//! has no `id`, even when the request's id is plain to read: the client
//! waits for its answer for ever. So the lines are read and parsed here,
//! once, and rmcp is handed messages (its sink-and-stream transport):
//!
//! - not JSON: Parse error (`-32700`), id `null`;
//! - a request (a method and a readable id) whose params do not fit its
//!   method: Invalid params (`-32602`) with that id;
//! - a notification or a response that does not fit: nothing, as
//!   neither is ever answered (and rmcp ignores notifications it does not
//!   know);
//! - anything else that is no JSON-RPC message: Invalid Request
//!   (`-32600`), with the id where one can be read, else `null`.
//!
//! rmcp's messages and these answers go out through one writer, whole
//! lines at a time, in order.

use futures::channel::mpsc;
use futures::{Sink, SinkExt, Stream};
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

/// Why a message for the client could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("the output is closed")]
    Closed(#[from] mpsc::SendError),
    #[error("writing a message as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// How many parsed messages wait for rmcp before the reading stops.
const QUEUE: usize = 16;

/// The sink rmcp writes its messages to, the stream it reads the client's
/// from, and the task that writes to `output`; that task ends when every
/// line has been written after `input` ended and rmcp let go of its sink.
pub fn lines<I, O>(
    input: I,
    output: O,
    line_limit: usize,
) -> (
    impl Sink<ServerJsonRpcMessage, Error = SendError> + Send + Unpin + 'static,
    impl Stream<Item = ClientJsonRpcMessage> + Send + Unpin + 'static,
    tokio::task::JoinHandle<()>,
)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (out, mut written) = mpsc::unbounded::<Vec<u8>>();
    let (mut to_rmcp, messages) = mpsc::channel::<ClientJsonRpcMessage>(QUEUE);
    let answers = out.clone();
    tokio::spawn(async move {
        let mut input = BufReader::with_capacity(1 << 16, input);
        let mut line = Vec::new();
        loop {
            line.clear();
            let text = match read_line(&mut input, &mut line, line_limit).await {
                Ok(Line::End) | Err(_) => break,
                Ok(Line::TooLong) => {
                    let data = format!("a message is at most {line_limit} bytes");
                    let _ = answers.unbounded_send(error(
                        Value::Null,
                        -32600,
                        "Invalid Request",
                        &data,
                    ));
                    continue;
                }
                Ok(Line::Read) => line.trim_ascii(),
            };
            let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
            if text.is_empty() {
                continue;
            }
            match read_message(text) {
                Ok(message) => {
                    if to_rmcp.send(message).await.is_err() {
                        break;
                    }
                }
                Err((text, e)) => {
                    if let Some(answer) = misfit(&text, &e) {
                        let _ = answers.unbounded_send(answer);
                    }
                }
            }
        }
        // Dropping `to_rmcp` ends rmcp's stream, and so the session.
    });
    let writer = tokio::spawn(async move {
        use futures::StreamExt;
        let mut output = output;
        while let Some(line) = written.next().await {
            if output.write_all(&line).await.is_err() || output.flush().await.is_err() {
                return;
            }
        }
    });
    let sink = out
        .sink_map_err(SendError::from)
        .with(|message: ServerJsonRpcMessage| {
            futures::future::ready(
                serde_json::to_vec(&message)
                    .map(|mut line| {
                        line.push(b'\n');
                        line
                    })
                    .map_err(SendError::from),
            )
        });
    (sink, messages, writer)
}

/// A line as rmcp's message, or the text it failed on and why. A lone
/// surrogate (`\ud83d`) a JavaScript client wrote is read as U+FFFD rather
/// than the request left unanswered.
fn read_message(
    text: &[u8],
) -> Result<ClientJsonRpcMessage, (std::borrow::Cow<'_, [u8]>, serde_json::Error)> {
    match serde_json::from_slice(text) {
        Ok(message) => Ok(message),
        Err(e) => match goalframe::json_text::replace_lone_surrogates(text) {
            None => Err((text.into(), e)),
            Some(repaired) => serde_json::from_slice(&repaired).map_err(|e| (repaired.into(), e)),
        },
    }
}

/// The answer a line that is JSON but no message rmcp reads is owed, if
/// any (see the module's comment).
fn misfit(text: &[u8], e: &serde_json::Error) -> Option<Vec<u8>> {
    if matches!(
        e.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    ) {
        return Some(error(Value::Null, -32700, "Parse error", &e.to_string()));
    }
    // Read again, loosely, to find the id and what is wrong (a cold path).
    let value: Value = serde_json::from_slice(text).unwrap_or(Value::Null);
    let id = match value.get("id") {
        Some(id @ Value::String(_)) => id.clone(),
        Some(id @ Value::Number(n)) if n.is_i64() => id.clone(),
        _ => Value::Null,
    };
    let invalid = |why: &str| Some(error(id.clone(), -32600, "Invalid Request", why));
    if !value.is_object() {
        return invalid("a message is a JSON object (batches are not taken)");
    }
    if value.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid("a message has \"jsonrpc\": \"2.0\"");
    }
    if value.get("id").is_some() && id.is_null() {
        return invalid("an id is a string or a whole number");
    }
    if value.get("method").is_some_and(|m| !m.is_string()) {
        return invalid("a method is a string");
    }
    let Some(method) = value.get("method").and_then(Value::as_str) else {
        if value.get("result").is_some() || value.get("error").is_some() {
            // A response (to a request of the server's): never answered.
            return None;
        }
        return invalid("a message has a method (a request or notification), or an id and a result or an error (a response)");
    };
    if id.is_null() {
        // A notification: never answered, even when it does not fit.
        return None;
    }
    let why = match value.get("params") {
        Some(Value::Object(_)) | None => e.to_string(),
        Some(_) => "params are an object".to_string(),
    };
    Some(error(
        id,
        -32602,
        "Invalid params",
        &format!("`{}`: {why}", goalframe::quote::quote(method)),
    ))
}

enum Line {
    Read,
    TooLong,
    End,
}

/// The next line into `buf`, newline included; a line over `limit` is
/// skipped to its end instead of held.
async fn read_line<R: AsyncBufReadExt + Unpin>(
    r: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Line> {
    let mut too_long = false;
    loop {
        let chunk = r.fill_buf().await?;
        if chunk.is_empty() {
            return Ok(if too_long {
                Line::TooLong
            } else if buf.is_empty() {
                Line::End
            } else {
                Line::Read
            });
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() + take > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(take);
        if done {
            return Ok(if too_long { Line::TooLong } else { Line::Read });
        }
    }
}

fn error(id: Value, code: i64, message: &str, data: &str) -> Vec<u8> {
    let mut line = json!({"jsonrpc": "2.0", "id": id,
                          "error": {"code": code, "message": message, "data": data}})
    .to_string()
    .into_bytes();
    line.push(b'\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: usize) -> Vec<String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut r = BufReader::with_capacity(4, input);
            let mut out = Vec::new();
            loop {
                let mut buf = Vec::new();
                match read_line(&mut r, &mut buf, limit).await.unwrap() {
                    Line::End => return out,
                    Line::TooLong => out.push("<too long>".to_string()),
                    Line::Read => out.push(String::from_utf8(buf).unwrap()),
                }
            }
        })
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_to_its_end_and_the_next_is_read() {
        assert_eq!(
            lines(b"{}\n[1,2,3,4,5,6,7,8]\n{\"a\":1}\nlast", 10),
            ["{}\n", "<too long>", "{\"a\":1}\n", "last"]
        );
        assert_eq!(lines(b"0123456789abc", 10), ["<too long>"]);
        assert_eq!(lines(b"", 10), Vec::<String>::new());
    }
}
