//! LSP base-protocol framing (`Content-Length: N\r\n\r\n` + N bytes), as a
//! decoder without IO: bytes are pushed in as they arrive, frames come out.
//! The language server's stdin pump runs it; being plain code, it is unit
//! tested and fuzzed (`fuzz/`, target `lsp_framing`).
//!
//! Bad input never stops the decoder nor costs a following message:
//! anything that is no header (binary junk, LF-only line ends, a header
//! without its blank line) comes out as one [`Frame::Malformed`] once the
//! next `Content-Length` line arrives, and the message it starts is read as
//! usual. A header with a bad or missing length, or a length over
//! [`MAX_MESSAGE`], is malformed and the decoder skips to the next
//! `Content-Length` (the body's end is unknown). It never buffers more
//! than a header's worth of junk or one message.

const HEADER_END: &[u8] = b"\r\n\r\n";
const LENGTH: &[u8] = b"Content-Length";

/// The largest message accepted (a 50 MB review opened in full is a
/// 50 MB `didOpen`); a larger `Content-Length` is refused at once rather
/// than buffered.
pub const MAX_MESSAGE: usize = 256 << 20;
/// A header block is a few dozen bytes; this much without its end is junk.
pub const MAX_HEADER: usize = 64 << 10;

/// What the decoder found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A message body, exactly the bytes its header announced.
    Message(Vec<u8>),
    /// Input that was no valid frame, and why.
    Malformed(String),
}

/// See the module documentation.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// After a bad header the body's end is unknown: skip to the next
    /// `Content-Length`.
    resync: bool,
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

impl Decoder {
    /// Adds bytes that arrived.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes held, waiting for the rest of a frame.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// The next frame, or `None` until more bytes are pushed.
    pub fn next_frame(&mut self) -> Option<Frame> {
        let malformed = |why: &str| Some(Frame::Malformed(why.to_string()));
        if self.resync {
            match find(&self.buf, LENGTH) {
                Some(i) => {
                    self.buf.drain(..i);
                    self.resync = false;
                }
                None => {
                    // Keep a tail that may be the start of the header name.
                    let keep = self.buf.len().min(LENGTH.len() - 1);
                    self.buf.drain(..self.buf.len() - keep);
                    return None;
                }
            }
        }
        let header_end = find(&self.buf, HEADER_END);
        // Another `Content-Length` before this header's end: what came
        // before it was no header. (Looked for in the header alone: a
        // large body arrives in many pieces, and searching all of it
        // again for each made reading it quadratic.)
        let head = &self.buf[..header_end.unwrap_or(self.buf.len())];
        let next = head.get(1..).and_then(|b| find(b, LENGTH)).map(|i| i + 1);
        if let Some(n) = next {
            if !other_header_lines(&self.buf[..n]) {
                self.buf.drain(..n);
                return malformed("malformed message header");
            }
        }
        let Some(end) = header_end else {
            if self.buf.len() > MAX_HEADER {
                self.resync = true;
                return malformed("no message header");
            }
            return None;
        };
        match content_length(&self.buf[..end]) {
            Some(len) if len > MAX_MESSAGE => {
                self.buf.drain(..end + 4);
                self.resync = true;
                Some(Frame::Malformed(format!(
                    "message too large: {len} bytes (the most is {} MiB)",
                    MAX_MESSAGE >> 20
                )))
            }
            Some(len) if self.buf.len() >= end + 4 + len => {
                let body = self.buf[end + 4..end + 4 + len].to_vec();
                self.buf.drain(..end + 4 + len);
                Some(Frame::Message(body))
            }
            Some(_) => None, // the rest of the body is still to come
            None => {
                self.buf.drain(..end + 4);
                self.resync = true;
                malformed("missing or invalid Content-Length header")
            }
        }
    }
}

/// The length of the whole frames at the start of `buf`: how much of a
/// well-formed stream (the server's own output) can be written out before
/// another message goes between, without splitting one. Bytes that are no
/// frame at all count as whole, so they are never held back.
pub fn whole_frames(buf: &[u8]) -> usize {
    let mut at = 0;
    while let Some(end) = find(&buf[at..], HEADER_END) {
        let Some(len) = content_length(&buf[at..at + end]) else {
            return buf.len();
        };
        let next = at + end + HEADER_END.len() + len;
        if next > buf.len() {
            break;
        }
        at = next;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    /// Everything, fed in pieces of `step` bytes.
    fn decode(input: &[u8], step: usize) -> Vec<Frame> {
        let mut d = Decoder::default();
        let mut out = Vec::new();
        for chunk in input.chunks(step.max(1)) {
            d.push(chunk);
            while let Some(f) = d.next_frame() {
                out.push(f);
            }
        }
        out
    }

    #[test]
    fn every_fault_costs_one_error_and_not_the_next_message() {
        let ok = |b: &str| Frame::Message(b.as_bytes().to_vec());
        for junk in [
            &b"Content-Length: 2\n\n{}"[..],
            b"Content-Length: 2\r\n{}",
            b"\x00\x01\xffjunk\r\n\x7f",
            b"Content-Lenght: 7\r\n\r\ngarbage",
            b"Content-Length: 4294967296\r\n\r\n{\"jsonrpc\"",
        ] {
            let mut input = frame("{\"a\":1}");
            input.extend_from_slice(junk);
            input.extend(frame("{\"b\":2}"));
            for step in [1, 3, 64, 4096] {
                let out = decode(&input, step);
                assert_eq!(
                    out.len(),
                    3,
                    "{:?} in steps of {step}: {out:?}",
                    String::from_utf8_lossy(junk)
                );
                assert_eq!(out[0], ok("{\"a\":1}"));
                assert!(matches!(out[1], Frame::Malformed(_)), "{out:?}");
                assert_eq!(out[2], ok("{\"b\":2}"));
            }
        }
    }

    #[test]
    fn other_header_fields_are_allowed() {
        let input = b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(decode(input, 5), [Frame::Message(b"{}".to_vec())]);
    }

    #[test]
    fn whole_frames_end_where_the_last_complete_message_ends() {
        let (a, b) = (frame("{\"a\":1}"), frame("{\"bb\":22}"));
        let both = [a.clone(), b.clone()].concat();
        assert_eq!(whole_frames(&both), both.len());
        for cut in 0..both.len() {
            let want = if cut < a.len() {
                0
            } else if cut < both.len() {
                a.len()
            } else {
                both.len()
            };
            assert_eq!(whole_frames(&both[..cut]), want, "cut at {cut}");
        }
        let junk = b"no header\r\n\r\n";
        assert_eq!(whole_frames(junk), junk.len());
    }
}
