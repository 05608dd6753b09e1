//! Unfilled placeholders: `⟨word⟩` in any spelling of the word, and the
//! look-alikes people type instead (`<target>`, `{{date}}`, …), plus any
//! the settings add.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::render::{Placeholder, PREAMBLE};

/// The look-alikes flagged besides `⟨…⟩` (docs/lsp.md).
pub const DEFAULT_LOOKALIKES: &[&str] = &[
    "<target>",
    "<baseline>",
    "<date>",
    "〈target〉",
    "〈baseline〉",
    "〈date〉",
    "{{target}}",
    "{{baseline}}",
    "{{date}}",
];

/// What a finding says of an unfilled placeholder (or look-alike) `word`:
/// borrowed for the usual words (the template's placeholders and the
/// default look-alikes), the same for hundreds of thousands of findings in
/// a review folder.
pub fn message(word: &str, canonical: bool) -> Cow<'static, str> {
    fn say(word: &str, canonical: bool) -> String {
        if canonical {
            format!("unfilled placeholder {word}")
        } else {
            format!("unfilled placeholder look-alike `{word}`")
        }
    }
    /// (word, canonical, message) of the usual words, made once.
    static USUAL: LazyLock<Vec<(&str, bool, String)>> = LazyLock::new(|| {
        let canonical = Placeholder::ALL.iter().map(|p| (p.text(), true));
        let lookalikes = DEFAULT_LOOKALIKES.iter().map(|w| (*w, false));
        canonical
            .chain(lookalikes)
            .map(|(w, c)| (w, c, say(w, c)))
            .collect()
    });
    match USUAL.iter().find(|(w, c, _)| *c == canonical && *w == word) {
        Some((_, _, m)) => Cow::Borrowed(m.as_str()),
        None => Cow::Owned(say(word, canonical)),
    }
}

/// The longest `⟨…⟩` content still taken as a placeholder.
const MAX_WORD_CHARS: usize = 40;

/// A placeholder's opening bracket.
const BRACKET: &str = "⟨";

/// One placeholder occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Covers the brackets.
    pub range: Range<usize>,
    /// False for a look-alike.
    pub canonical: bool,
}

/// A compiled scanner for one set of extra look-alikes.
pub struct Scanner {
    matcher: AhoCorasick,
    /// The bytes any pattern starts with: text without them holds none.
    first_bytes: [bool; 256],
    lookalike_count: usize,
    /// Per pattern, where in the preamble a match of it can start (it
    /// occurs there, or runs on past the preamble's end): a hit is in a
    /// preamble when the preamble's text is found that far before it.
    in_preamble: Vec<Vec<usize>>,
    /// Per pattern, whether it starts and whether it ends with a letter or
    /// digit: there a match must not run on into a word. `TBD` is not
    /// flagged in `TBDs`, nor `xx` in `Exxon`.
    word_ends: Vec<(bool, bool)>,
    /// Whether any pattern has such an end (the default ones are all
    /// bracketed, and need no look around them).
    bounded: bool,
}

/// Whether `c` is part of a word, where a look-alike must not begin or end.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Scanner {
    pub fn new(extra: &[String]) -> Scanner {
        let mut patterns: Vec<&str> = DEFAULT_LOOKALIKES.to_vec();
        patterns.extend(extra.iter().map(String::as_str).filter(|s| !s.is_empty()));
        let lookalike_count = patterns.len();
        patterns.push(BRACKET);
        let mut first_bytes = [false; 256];
        for p in &patterns {
            if let Some(&b) = p.as_bytes().first() {
                first_bytes[b as usize] = true;
            }
        }
        let matcher = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("settings bound the look-alikes (config::MAX_PLACEHOLDERS), so the automaton stays small");
        let in_preamble = patterns
            .iter()
            .map(|p| {
                (0..PREAMBLE.len())
                    .filter(|&o| PREAMBLE.is_char_boundary(o))
                    .filter(|&o| PREAMBLE[o..].starts_with(p) || p.starts_with(&PREAMBLE[o..]))
                    .collect()
            })
            .collect();
        let word_ends: Vec<(bool, bool)> = patterns
            .iter()
            .map(|p| {
                let starts = p.chars().next().is_some_and(is_word);
                (starts, p.chars().next_back().is_some_and(is_word))
            })
            .collect();
        let bounded = word_ends.iter().any(|&(a, z)| a || z);
        Scanner {
            matcher,
            first_bytes,
            lookalike_count,
            in_preamble,
            word_ends,
            bounded,
        }
    }

    /// Calls `f` with each match in `text`, leftmost first, until it says
    /// to stop, leaving out a match that begins or ends inside a word; the
    /// search goes on from the character after such a match's start, where
    /// another pattern may begin. Returns whether `f` stopped it.
    fn each_match(&self, text: &str, mut f: impl FnMut(aho_corasick::Match) -> bool) -> bool {
        if !self.bounded {
            return self.matcher.find_iter(text).any(f);
        }
        let mut at = 0;
        while let Some(m) = self
            .matcher
            .find(aho_corasick::Input::new(text).span(at..text.len()))
        {
            let (starts, ends) = self.word_ends[m.pattern().as_usize()];
            let inside = (starts && text[..m.start()].chars().next_back().is_some_and(is_word))
                || (ends && text[m.end()..].chars().next().is_some_and(is_word));
            if !inside {
                if f(m) {
                    return true;
                }
                at = m.end();
            } else {
                at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
        }
        false
    }

    /// Whether the settings add no look-alikes to the default ones.
    pub fn defaults_only(&self) -> bool {
        self.lookalike_count == DEFAULT_LOOKALIKES.len()
    }

    /// Whether `text` holds a placeholder bracket or a look-alike at all
    /// (a value typed over a slot that is still one is not judged).
    pub fn any(&self, text: &str) -> bool {
        self.any_outside(text, 0, &[])
    }

    /// Whether `text`, which starts at byte `at` of its document, holds a
    /// placeholder bracket or a look-alike outside `code` (markdown's code
    /// spans and blocks, which are documentation: [`Scanner::scan`]'s
    /// hits there are no findings).
    pub fn any_outside(&self, text: &str, at: usize, code: &[Range<usize>]) -> bool {
        // Values are short and seldom hold a pattern's first byte; when
        // one does, it is most often a slot's own unfilled bracket. No
        // pattern starts before the first such byte, which begins a
        // character. A bracket is a placeholder only when closed as
        // [`Scanner::scan`] takes it (`⟨date` half deleted is not one).
        let bytes = text.as_bytes();
        let Some(i) = bytes.iter().position(|&b| self.first_bytes[b as usize]) else {
            return false;
        };
        let outside = |start: usize| code.is_empty() || !super::markdown::inside(code, at + start);
        if bytes[i..].starts_with(BRACKET.as_bytes()) && outside(i) {
            // Most often the slot's own placeholder, whole.
            let slot = Placeholder::ALL
                .iter()
                .any(|p| bytes[i..].starts_with(p.text().as_bytes()));
            if slot || closing(text, i + BRACKET.len()).is_some() {
                return true;
            }
        }
        // From the first such byte, but with the character before it in
        // view, which a look-alike must not run on from.
        let from = text[..i]
            .chars()
            .next_back()
            .map_or(i, |c| i - c.len_utf8());
        let rest = &text[from..];
        self.each_match(rest, |m| {
            (m.pattern().as_usize() < self.lookalike_count || closing(rest, m.end()).is_some())
                && outside(from + m.start())
        })
    }

    /// Every placeholder in `text`, in order, but those in a preamble.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.each_match(text, |m| {
            // The preamble names the placeholders it explains: none of its
            // text is a finding. It is one line, so a window of whole
            // lines holds every preamble it touches.
            let in_preamble = self.in_preamble[m.pattern().as_usize()].iter().any(|&o| {
                m.start() >= o
                    && text
                        .get(m.start() - o..)
                        .is_some_and(|t| t.starts_with(PREAMBLE))
            });
            if in_preamble {
                return false;
            }
            if m.pattern().as_usize() < self.lookalike_count {
                hits.push(Hit {
                    range: m.start()..m.end(),
                    canonical: false,
                });
            } else if let Some(end) = closing(text, m.end()) {
                hits.push(Hit {
                    range: m.start()..end,
                    canonical: true,
                });
            }
            false
        });
        hits
    }
}

/// The end of `⟨word⟩` whose word starts at `from`: a `⟩` on the same line
/// after 1 to 40 characters with no other bracket between.
fn closing(text: &str, from: usize) -> Option<usize> {
    let rest = &text[from..];
    for (n, (i, c)) in rest.char_indices().enumerate() {
        match c {
            '⟩' if n > 0 => return Some(from + i + c.len_utf8()),
            '⟩' | '⟨' | '\n' | '\r' => return None,
            _ if n >= MAX_WORD_CHARS => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_the_word_as_written() {
        let words = DEFAULT_LOOKALIKES.iter().copied().chain([
            "⟨target⟩",
            "⟨baseline⟩",
            "⟨date⟩",
            "⟨owner⟩",
            "TBD",
            "⟨Target⟩",
        ]);
        for word in words {
            for canonical in [true, false] {
                let want = if canonical {
                    format!("unfilled placeholder {word}")
                } else {
                    format!("unfilled placeholder look-alike `{word}`")
                };
                assert_eq!(message(word, canonical), want);
            }
        }
        assert!(matches!(message("⟨date⟩", true), Cow::Borrowed(_)));
        assert!(matches!(message("{{date}}", false), Cow::Borrowed(_)));
    }

    /// The scanner leaves out what lies in a preamble exactly as the plain
    /// definition does: every hit, less those starting inside a place
    /// where the whole preamble text occurs.
    #[test]
    fn hits_in_a_preamble_are_those_a_search_for_it_finds() {
        let extra: Vec<String> = ["AI", "canon", "field.~~", "~These", "TBD", "⟩ / ⟨"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let scanner = Scanner::new(&extra);
        let half = &PREAMBLE[..PREAMBLE.len() / 2];
        let pieces = [
            PREAMBLE,
            PREAMBLE,
            half,
            "⟨target⟩",
            "<date>",
            "AI",
            "TBD",
            "~",
            "~~",
            " ",
            "\n",
            "x",
            "These",
            "field.",
            "中文",
            "⟨",
        ];
        let mut rng = crate::analysis::testing::Rng::new(11);
        let mut dropped = 0;
        for _ in 0..3_000 {
            let mut text = String::new();
            for _ in 0..rng.range(1, 8) {
                text.push_str(pieces[rng.below(pieces.len())]);
            }
            let plain = Scanner {
                in_preamble: scanner.in_preamble.iter().map(|_| Vec::new()).collect(),
                matcher: scanner.matcher.clone(),
                lookalike_count: scanner.lookalike_count,
                first_bytes: scanner.first_bytes,
                word_ends: scanner.word_ends.clone(),
                bounded: scanner.bounded,
            };
            let preambles: Vec<Range<usize>> = text
                .match_indices(PREAMBLE)
                .map(|(at, _)| at..at + PREAMBLE.len())
                .collect();
            let want: Vec<Hit> = plain
                .scan(&text)
                .into_iter()
                .filter(|h| !preambles.iter().any(|p| p.contains(&h.range.start)))
                .collect();
            let got = scanner.scan(&text);
            dropped += plain.scan(&text).len() - got.len();
            assert_eq!(got, want, "{text:?}");
        }
        assert!(dropped > 1_000, "{dropped}");
    }

    /// A look-alike from the settings that begins or ends with a letter
    /// or digit is a word of its own: `TBD` is not flagged in `TBDs`, nor
    /// `xx` in `Exxon` (each was). Its bracketed ends need no such look.
    #[test]
    fn a_lookalike_from_the_settings_is_a_word_of_its_own() {
        let extra: Vec<String> = ["TBD", "xx", "[x]", "x%", "é"].map(String::from).to_vec();
        let s = Scanner::new(&extra);
        fn found<'t>(s: &Scanner, text: &'t str) -> Vec<&'t str> {
            s.scan(text)
                .iter()
                .map(|h| &text[h.range.clone()])
                .collect()
        }
        assert_eq!(
            found(
                &s,
                "TBD, TBDs Exxon xx _TBD (TBD) TBD. 中TBD 𝔸xx [x]y y[x] 5x% x%y é éé"
            ),
            ["TBD", "xx", "TBD", "TBD", "[x]", "[x]", "x%", "é"]
        );
        // A match left out does not hide one that starts inside it.
        let s = Scanner::new(&["a-b".to_string(), "-b!".to_string()]);
        assert_eq!(found(&s, "xa-b!"), ["-b!"]);
        // A value is judged by the same rule.
        let s = Scanner::new(&extra);
        assert!(!s.any("Exxon and TBDs"));
        assert!(s.any("Exxon and TBD"));
        assert!(s.any("xx"));
        assert!(!s.any("éxx"));
    }

    #[test]
    fn finds_canonical_other_words_and_lookalikes() {
        let s = Scanner::new(&["TBD".to_string()]);
        let t = "⟨target⟩ ⟨owner name⟩ <date> {{baseline}} 〈target〉 TBD ⟨⟩ ⟨open\n⟩";
        let found: Vec<&str> = s.scan(t).iter().map(|h| &t[h.range.clone()]).collect();
        assert_eq!(
            found,
            [
                "⟨target⟩",
                "⟨owner name⟩",
                "<date>",
                "{{baseline}}",
                "〈target〉",
                "TBD"
            ]
        );
    }
}
