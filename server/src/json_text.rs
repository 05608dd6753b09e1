//! Repairs to JSON text from clients, before it is read.
//!
//! JavaScript strings may hold a lone UTF-16 surrogate (a string cut in
//! the middle of an emoji, say), and `JSON.stringify` writes one as an
//! escape such as `\ud83d`. serde_json refuses such an escape, and with it
//! the whole message: a `didOpen` would be lost, an MCP request left with
//! no answer its client could match. The servers read the message with
//! each lone surrogate as U+FFFD instead, as an encoder to UTF-8 writes
//! it; it is one UTF-16 unit, as the surrogate was, so positions stay
//! where the client has them. Only a message that failed to parse is
//! looked at.

/// `json` with every `\uXXXX` escape of a lone surrogate replaced by
/// `\ufffd`; `None` when there is none. A surrogate pair is left as it
/// is, and so is text that is no JSON (its parse fails again as before).
pub fn replace_lone_surrogates(json: &[u8]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    // `json[..copied]` is in `out`.
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = json.get(at..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let slash = at + found;
        if json.get(slash + 1) != Some(&b'u') {
            // `\\`, `\"`, `\n`, …: two bytes, whatever follows.
            at = slash + 2;
            continue;
        }
        at = slash + 6;
        let Some(unit) = unit_at(json, slash) else {
            at = slash + 2;
            continue;
        };
        let lone = match unit {
            0xD800..=0xDBFF => match unit_at(json, slash + 6) {
                Some(0xDC00..=0xDFFF) => {
                    at = slash + 12;
                    false
                }
                _ => true,
            },
            0xDC00..=0xDFFF => true,
            _ => false,
        };
        if lone {
            let o = out.get_or_insert_with(|| Vec::with_capacity(json.len()));
            o.extend_from_slice(&json[copied..slash]);
            o.extend_from_slice(b"\\ufffd");
            copied = at;
        }
    }
    out.map(|mut o| {
        o.extend_from_slice(&json[copied..]);
        o
    })
}

/// The code unit of a `\uXXXX` escape starting at `at`.
fn unit_at(json: &[u8], at: usize) -> Option<u16> {
    let escape = json.get(at..at + 6)?;
    if &escape[..2] != b"\\u" {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..]).ok()?;
    u16::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::replace_lone_surrogates as fix;

    fn fixed(json: &str) -> Option<String> {
        fix(json.as_bytes()).map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn lone_surrogates_become_the_replacement_character() {
        assert_eq!(fixed(r#"["a\ud800b"]"#).as_deref(), Some(r#"["a\ufffdb"]"#));
        assert_eq!(fixed(r#"["\uDC00"]"#).as_deref(), Some(r#"["\ufffd"]"#));
        // A high surrogate followed by another high one, or by a lone
        // escape of something else: both lone.
        assert_eq!(
            fixed(r#"["\ud83d\ud83d\u0041"]"#).as_deref(),
            Some(r#"["\ufffd\ufffd\u0041"]"#)
        );
        // At the very end, cut short.
        assert_eq!(fixed(r#"["\ud83d"#).as_deref(), Some(r#"["\ufffd"#));
        // What is read is what a client's UTF-8 encoder would have sent.
        let v: Vec<String> = serde_json::from_slice(&fix(br#"["x\ud83dy"]"#).unwrap()).unwrap();
        assert_eq!(v, ["x\u{FFFD}y"]);
    }

    /// JSON as `JSON.stringify` writes a JavaScript string of any UTF-16
    /// units: pairs as characters or (where `escape_pairs`) escapes, lone
    /// surrogates, quotes, backslashes and controls as escapes.
    fn stringify(units: &[u16], escape_pairs: bool) -> String {
        let mut out = String::from("\"");
        let mut i = 0;
        while i < units.len() {
            let u = units[i];
            let pair = (0xD800..0xDC00).contains(&u)
                && units
                    .get(i + 1)
                    .is_some_and(|l| (0xDC00..0xE000).contains(l));
            if pair && !escape_pairs {
                out.extend(char::decode_utf16([u, units[i + 1]]).map(|c| c.unwrap()));
                i += 2;
                continue;
            }
            match char::from_u32(u32::from(u)) {
                Some('"') => out.push_str("\\\""),
                Some('\\') => out.push_str("\\\\"),
                Some(c) if c >= ' ' => out.push(c),
                _ => out.push_str(&format!("\\u{u:04x}")),
            }
            i += 1;
        }
        out.push('"');
        out
    }

    proptest::proptest! {
        // Seeded, as tests/properties.rs is; no failure file is written
        // into the source tree.
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 2000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x75_f0),
            failure_persistence: None,
            ..Default::default()
        })]
        /// Whatever units a client's string holds, the server reads what
        /// a UTF-8 encoder makes of them: each lone surrogate one U+FFFD.
        #[test]
        fn any_client_string_is_read_as_its_lossy_utf8(
            units in proptest::collection::vec(
                proptest::prop_oneof![
                    0xD800u16..0xE000,
                    proptest::sample::select(vec![0x22u16, 0x5C, 0x75, 0x0A, 0x41, 0x30, 0x27E8, 0xFFFD]),
                    proptest::arbitrary::any::<u16>(),
                ],
                0..24,
            ),
            escape_pairs in proptest::arbitrary::any::<bool>(),
        ) {
            let json = stringify(&units, escape_pairs);
            let repaired = fix(json.as_bytes()).unwrap_or_else(|| json.clone().into_bytes());
            let read: String = serde_json::from_slice(&repaired).unwrap();
            proptest::prop_assert_eq!(read, String::from_utf16_lossy(&units), "{}", json);
        }
    }

    #[test]
    fn pairs_escaped_backslashes_and_plain_text_are_left_alone() {
        assert_eq!(fixed(r#"["\ud83d\ude00", "\u00e9", "plain"]"#), None);
        // `\\ud800` is a backslash and the letters `ud800`.
        assert_eq!(fixed(r#"["\\ud800"]"#), None);
        assert_eq!(fixed(r#"["\\\ud800"]"#).as_deref(), Some(r#"["\\\ufffd"]"#));
        // Escapes that are no escapes are left to the parser to refuse.
        assert_eq!(fixed(r#"["\uZZZZ", "\u12", "\"#), None);
        assert_eq!(fixed(""), None);
        assert_eq!(fixed("\\"), None);
        assert_eq!(fixed("\\u"), None);
    }
}
