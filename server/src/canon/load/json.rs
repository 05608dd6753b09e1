//! Canon files as tools write them, read quickly: strict JSON with JSON's
//! own white space and strings without escapes, read into the same tree
//! jsonc-parser builds (ranges included), several times faster than its
//! character-by-character scanner. Anything else (an escape, other white
//! space, a syntax error) is not read here: [`read`] says `None` and the
//! loader asks jsonc-parser, which reads it exactly and locates its errors.
//! A test holds the two to the same trees, and this reader to accepting
//! nothing jsonc-parser rejects.

use std::borrow::Cow;

use jsonc_parser::ast::{
    Array, BooleanLit, NullKeyword, NumberLit, Object, ObjectProp, ObjectPropName, StringLit, Value,
};
use jsonc_parser::common::Range;
use jsonc_parser::{CollectOptions, ParseOptions};

/// The JSON a canon file must be: jsonc-parser's options for it.
pub(super) fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// `text`'s tree, or its error, exactly as jsonc-parser reads it with
/// [`strict`] options: by [`read`] when it can, else by jsonc-parser.
pub(super) fn parse(text: &str) -> Result<Option<Value<'_>>, jsonc_parser::errors::ParseError> {
    match read(text) {
        Some(v) => Ok(Some(v)),
        None => {
            jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict()).map(|p| p.value)
        }
    }
}

/// The tree of `text` when it is JSON of the common shape, else `None`.
pub(super) fn read(text: &str) -> Option<Value<'_>> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    r.space();
    let v = r.value()?;
    r.space();
    (r.at == r.bytes.len()).then_some(v)
}

/// Deeper than this is left to jsonc-parser (no canon nests so deep).
const MAX_DEPTH: usize = 64;

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// A value. What follows it is looked at by the caller (a comma, a
    /// closing bracket, the end): text that runs on (`truex`, `01`) is
    /// not read here.
    fn value(&mut self) -> Option<Value<'a>> {
        match self.peek()? {
            b'{' => self.object().map(Value::Object),
            b'[' => self.array().map(Value::Array),
            b'"' => self.string().map(Value::StringLit),
            b't' => self
                .word("true")
                .map(|range| Value::BooleanLit(BooleanLit { range, value: true })),
            b'f' => self.word("false").map(|range| {
                Value::BooleanLit(BooleanLit {
                    range,
                    value: false,
                })
            }),
            b'n' => self
                .word("null")
                .map(|range| Value::NullKeyword(NullKeyword { range })),
            b'-' | b'0'..=b'9' => self.number().map(Value::NumberLit),
            _ => None,
        }
    }

    fn word(&mut self, word: &str) -> Option<Range> {
        let start = self.at;
        if !self.bytes[start..].starts_with(word.as_bytes()) {
            return None;
        }
        let end = start + word.len();
        self.at = end;
        Some(Range::new(start, end))
    }

    /// A string without escapes (its text borrowed, as jsonc-parser
    /// borrows it).
    fn string(&mut self) -> Option<StringLit<'a>> {
        let start = self.at;
        let body = start + 1;
        let len = memchr::memchr2(b'"', b'\\', &self.bytes[body..])?;
        if self.bytes[body + len] != b'"' {
            return None;
        }
        self.at = body + len + 1;
        Some(StringLit {
            range: Range::new(start, self.at),
            value: Cow::Borrowed(&self.text[body..body + len]),
        })
    }

    /// A number as JSON writes it: `-`, an integer part without leading
    /// zeros, a fraction and an exponent.
    fn number(&mut self) -> Option<NumberLit<'a>> {
        let b = self.bytes;
        let digits = |mut i: usize| {
            let from = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            (i > from).then_some(i)
        };
        let start = self.at;
        let mut i = start + usize::from(b[start] == b'-');
        i = match b.get(i)? {
            b'0' => i + 1,
            b'1'..=b'9' => digits(i)?,
            _ => return None,
        };
        if b.get(i) == Some(&b'.') {
            i = digits(i + 1)?;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            i = digits(i)?;
        }
        self.at = i;
        Some(NumberLit {
            range: Range::new(start, i),
            value: &self.text[start..i],
        })
    }

    fn object(&mut self) -> Option<Object<'a>> {
        let mut properties = Vec::new();
        let range = self.sequence(b'}', |r| {
            if r.peek() != Some(b'"') {
                return None;
            }
            let name = r.string()?;
            r.space();
            if r.peek() != Some(b':') {
                return None;
            }
            r.at += 1;
            r.space();
            let value = r.value()?;
            properties.push(ObjectProp {
                range: Range::new(name.range.start, r.at),
                name: ObjectPropName::String(name),
                value,
            });
            Some(())
        })?;
        Some(Object { range, properties })
    }

    fn array(&mut self) -> Option<Array<'a>> {
        let mut elements = Vec::new();
        let range = self.sequence(b']', |r| {
            elements.push(r.value()?);
            Some(())
        })?;
        Some(Array { range, elements })
    }

    /// An object or an array from its opening bracket at `self.at` to
    /// `close`: `item` reads each member, and commas come between them
    /// (none after the last). Its range, brackets included.
    fn sequence(
        &mut self,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<Range> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let start = self.at;
        self.at += 1;
        self.space();
        if self.peek() == Some(close) {
            self.at += 1;
        } else {
            loop {
                item(self)?;
                self.space();
                match self.peek()? {
                    b',' => {
                        self.at += 1;
                        self.space();
                    }
                    b if b == close => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(Range::new(start, self.at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::Rng;

    fn jsonc(text: &str) -> Option<Value<'_>> {
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict())
            .ok()
            .and_then(|p| p.value)
    }

    /// Every canon file the project ships or tests with is read here, to
    /// the tree jsonc-parser builds.
    #[test]
    fn canon_files_read_as_jsonc_parser_reads_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["canon", "tests", "examples"] {
            let walk = ignore::WalkBuilder::new(root.join(dir))
                .hidden(false)
                .build();
            files.extend(
                walk.flatten()
                    .map(|e| e.into_path())
                    .filter(|p| p.extension().is_some_and(|e| e == "json")),
            );
        }
        assert!(files.len() >= 5, "{files:?}");
        let mut read_here = 0;
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            let fast = read(&text);
            if fast.is_some() {
                read_here += 1;
                assert_eq!(fast, jsonc(&text), "{}", f.display());
            }
        }
        assert!(
            read_here * 2 > files.len(),
            "{read_here} of {}",
            files.len()
        );
    }

    /// A random JSON text: values of every kind, white space of JSON's
    /// four kinds between tokens.
    fn random_json(rng: &mut Rng, depth: usize, out: &mut String) {
        const SPACE: [&str; 6] = ["", "", " ", "\n  ", "\t", "\r\n"];
        const STRINGS: [&str; 6] = [
            "",
            "a",
            "Manages the sales cycle.",
            "é中😀",
            "p2",
            "x y\u{1}",
        ];
        const NUMBERS: [&str; 8] = ["0", "-0", "12", "-3.25", "1e9", "2.5E-3", "0.0", "1E+2"];
        let kind = if depth > 3 {
            2 + rng.below(4)
        } else {
            rng.below(6)
        };
        // Up to three members between brackets, commas between them and
        // white space around each; `name` writes an object member's name.
        let sequence = |rng: &mut Rng, out: &mut String, open, close, name: bool| {
            out.push(open);
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(SPACE[rng.below(SPACE.len())]);
                if name {
                    out.push('"');
                    out.push_str(STRINGS[rng.below(STRINGS.len())]);
                    out.push('"');
                    out.push_str(SPACE[rng.below(SPACE.len())]);
                    out.push(':');
                    out.push_str(SPACE[rng.below(SPACE.len())]);
                }
                random_json(rng, depth + 1, out);
                out.push_str(SPACE[rng.below(SPACE.len())]);
            }
            out.push(close);
        };
        match kind {
            0 => sequence(rng, out, '{', '}', true),
            1 => sequence(rng, out, '[', ']', false),
            2 => {
                out.push('"');
                out.push_str(STRINGS[rng.below(STRINGS.len())]);
                out.push('"');
            }
            3 => out.push_str(NUMBERS[rng.below(NUMBERS.len())]),
            4 => out.push_str(["true", "false"][rng.below(2)]),
            _ => out.push_str("null"),
        }
    }

    /// Valid JSON is read here, to jsonc-parser's tree; text broken or
    /// bent anywhere is either read to jsonc-parser's tree too, or left
    /// to it, and never read here when jsonc-parser rejects it.
    #[test]
    fn reads_what_jsonc_parser_reads_and_nothing_it_rejects() {
        const NOISE: [&str; 20] = [
            "\\", "\\n", ",", "}", "]", "{", "[", "\"", ":", " ", "\u{a0}", "\u{b}", "x", "0", "-",
            ".", "e", "//", "\u{feff}", "truex",
        ];
        let mut rng = Rng::new(7);
        let (mut bent, mut rejected) = (0, 0);
        for _ in 0..20_000 {
            let mut text = String::new();
            text.push_str(["", " ", "\n"][rng.below(3)]);
            random_json(&mut rng, 0, &mut text);
            assert_eq!(read(&text), jsonc(&text), "{text:?}");
            assert!(read(&text).is_some(), "{text:?}");
            // One piece of noise at a character boundary, or a cut.
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let at = bounds[rng.below(bounds.len())];
            let mut broken = text.clone();
            if rng.below(4) == 0 {
                broken.truncate(at);
            } else {
                broken.insert_str(at, NOISE[rng.below(NOISE.len())]);
            }
            let theirs = jsonc_parser::parse_to_ast(&broken, &CollectOptions::default(), &strict());
            match read(&broken) {
                Some(ours) => {
                    bent += 1;
                    let theirs = theirs.unwrap_or_else(|e| panic!("{broken:?}: {e}"));
                    assert_eq!(Some(ours), theirs.value, "{broken:?}");
                }
                None => rejected += usize::from(theirs.is_err()),
            }
        }
        assert!(bent > 1_000 && rejected > 1_000, "{bent} {rejected}");
    }
}
