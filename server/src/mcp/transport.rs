//! stdin and stdout around rmcp, so that a line that is not JSON gets the
//! JSON-RPC answer it is owed.
//!
//! rmcp's stdio transport drops such a line silently; JSON-RPC 2.0 answers
//! it with a Parse error (`-32700`) whose id is `null`. Every line is
//! checked here first (syntax only, nothing is built): JSON goes on to
//! rmcp unchanged, anything else is answered here. The answers and rmcp's
//! own messages reach stdout whole lines at a time, never interleaved.

use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

/// The halves rmcp reads from and writes to, and the task that joins them
/// to `input` and `output`; it ends when rmcp has written its last line
/// after `input` ended.
pub fn checked<I, O>(
    input: I,
    output: O,
    line_limit: usize,
) -> (DuplexStream, DuplexStream, tokio::task::JoinHandle<()>)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (mut to_rmcp, rmcp_in) = tokio::io::duplex(1 << 16);
    let (rmcp_out, from_rmcp) = tokio::io::duplex(1 << 16);
    let (answers, mut answered) = mpsc::unbounded_channel::<Vec<u8>>();
    tokio::spawn(async move {
        let mut input = BufReader::with_capacity(1 << 16, input);
        let mut line = Vec::new();
        loop {
            line.clear();
            match read_line(&mut input, &mut line, line_limit).await {
                Ok(Line::End) | Err(_) => break,
                Ok(Line::TooLong) => {
                    let _ = answers.send(error(
                        -32600,
                        "Invalid Request",
                        &format!("a message is at most {line_limit} bytes"),
                    ));
                }
                Ok(Line::Read) => {
                    let text = line.trim_ascii();
                    if text.is_empty() {
                        continue;
                    }
                    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(text) {
                        let _ = answers.send(error(-32700, "Parse error", &e.to_string()));
                        continue;
                    }
                    if to_rmcp.write_all(&line).await.is_err() {
                        break;
                    }
                }
            }
        }
        // End of input: rmcp sees it and ends the session.
        let _ = to_rmcp.shutdown().await;
    });
    let writer = tokio::spawn(async move {
        let mut output = output;
        let mut from_rmcp = BufReader::with_capacity(1 << 16, from_rmcp);
        let mut line = Vec::new();
        let mut rmcp_open = true;
        loop {
            tokio::select! {
                read = from_rmcp.read_until(b'\n', &mut line), if rmcp_open => {
                    match read {
                        Ok(0) | Err(_) => rmcp_open = false,
                        Ok(_) => {
                            if output.write_all(&line).await.is_err() || output.flush().await.is_err() {
                                return;
                            }
                            line.clear();
                        }
                    }
                }
                answer = answered.recv() => match answer {
                    Some(a) => {
                        if output.write_all(&a).await.is_err() || output.flush().await.is_err() {
                            return;
                        }
                    }
                    None if !rmcp_open => return,
                    None => {
                        // The pump is done; what rmcp still says goes out.
                        while let Ok(n) = from_rmcp.read_until(b'\n', &mut line).await {
                            if n == 0 || output.write_all(&line).await.is_err() {
                                break;
                            }
                            line.clear();
                        }
                        let _ = output.flush().await;
                        return;
                    }
                },
            }
        }
    });
    (rmcp_in, rmcp_out, writer)
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

fn error(code: i64, message: &str, data: &str) -> Vec<u8> {
    let mut line = json!({"jsonrpc": "2.0", "id": null,
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
