//! The language server's framing (`goalframe::framing`): any bytes in any
//! pieces never panic it nor make it hold more than a header's worth of
//! junk; valid frames come out whole however the input is split; and junk
//! never costs the valid frame after it. And the repair of lone surrogate
//! escapes in a body (`goalframe::json_text`) never panics, keeps its
//! length (each escape is replaced by one as long) and leaves none to
//! repair.
#![no_main]

use arbitrary::Arbitrary;
use goalframe::framing::{Decoder, Frame, MAX_HEADER};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    junk: Vec<u8>,
    bodies: Vec<Vec<u8>>,
    /// Where the bytes are split into reads.
    cuts: Vec<u16>,
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Everything `input` decodes to when read in the pieces `cuts` make.
fn decode(input: &[u8], cuts: &[u16]) -> Vec<Frame> {
    let mut d = Decoder::default();
    let mut out = Vec::new();
    let mut at = 0;
    for &c in cuts.iter().chain([&u16::MAX]) {
        let end = (at + c as usize + 1).min(input.len());
        d.push(&input[at..end]);
        at = end;
        while let Some(f) = d.next_frame() {
            out.push(f);
        }
        // Junk is never held beyond a header's worth (plus the read).
        if !out.iter().any(|f| matches!(f, Frame::Message(_))) {
            assert!(d.buffered() <= MAX_HEADER + 65_536 + input.len().min(1 << 20));
        }
        if at == input.len() {
            break;
        }
    }
    out
}

fuzz_target!(|input: Input| {
    for b in input.bodies.iter().chain([&input.junk]) {
        if let Some(repaired) = goalframe::json_text::replace_lone_surrogates(b) {
            assert_eq!(repaired.len(), b.len());
            assert_eq!(
                goalframe::json_text::replace_lone_surrogates(&repaired),
                None
            );
        }
    }

    // Valid frames alone: exactly their bodies, however split.
    let mut valid = Vec::new();
    for b in &input.bodies {
        valid.extend(frame(b));
    }
    let want: Vec<Frame> = input.bodies.iter().cloned().map(Frame::Message).collect();
    assert_eq!(decode(&valid, &input.cuts), want);

    // Junk (that names no length of its own), then a valid frame: the
    // frame comes out last, whole.
    let names_a_length = input
        .junk
        .windows(14)
        .any(|w| w.eq_ignore_ascii_case(b"content-length"));
    if !names_a_length {
        let body = input.bodies.first().cloned().unwrap_or_default();
        let mut bytes = input.junk.clone();
        bytes.extend(frame(&body));
        let out = decode(&bytes, &input.cuts);
        assert_eq!(out.last(), Some(&Frame::Message(body)), "{out:?}");
    }
});
