//! Unfilled placeholders: `⟨word⟩` in any spelling of the word, and the
//! look-alikes people type instead (`<target>`, `{{date}}`, …), plus any
//! the settings add.

use std::ops::Range;

use aho_corasick::AhoCorasick;

/// The look-alikes flagged besides `⟨…⟩` (SPEC §4).
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

/// The longest `⟨…⟩` content still taken as a placeholder.
const MAX_WORD_CHARS: usize = 40;

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
    lookalike_count: usize,
}

impl Scanner {
    pub fn new(extra: &[String]) -> Scanner {
        let mut patterns: Vec<&str> = DEFAULT_LOOKALIKES.to_vec();
        patterns.extend(extra.iter().map(String::as_str).filter(|s| !s.is_empty()));
        let lookalike_count = patterns.len();
        patterns.push("⟨");
        let matcher = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("settings bound the look-alikes (config::MAX_PLACEHOLDERS), so the automaton stays small");
        Scanner {
            matcher,
            lookalike_count,
        }
    }

    /// Every placeholder in `text`, in order.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        for m in self.matcher.find_iter(text) {
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
        }
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
