//! Numbers written as English words in a goal's value (`two workshops`,
//! `zero escalations`). A target's check looks for a digit, so such a
//! target counts as having no number; this says where the words are and
//! which digits they stand for, so the message can say how to write it.

use std::ops::Range;

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The number a word stands for, case-insensitively: `two` → 2, `Twenty`
/// → 20, `twenty-five` → 25. Larger ones (`a hundred`) are not read.
fn value_of(word: &str) -> Option<u32> {
    let at = |list: &[&str], w: &str| list.iter().position(|x| x.eq_ignore_ascii_case(w));
    if let Some(n) = at(&UNITS, word) {
        return Some(n as u32);
    }
    let (tens, unit) = match word.split_once('-') {
        Some((t, u)) => (t, Some(u)),
        None => (word, None),
    };
    let tens = 20 + 10 * at(&TENS, tens)? as u32;
    match unit {
        None => Some(tens),
        Some(u) => Some(tens + 1 + at(&UNITS[1..10], u)? as u32),
    }
}

/// Each number word of `text`, with where it is and what it stands for.
/// A word is a run of ASCII letters and inner hyphens with no letter or
/// digit either side (`someone` holds no `one`).
pub fn words(text: &str) -> Vec<(Range<usize>, u32)> {
    let b = text.as_bytes();
    let glued = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'-') {
            i += 1;
        }
        let mut end = i;
        while b[end - 1] == b'-' {
            end -= 1;
        }
        // ASCII bytes bound the word, so these slices fall on characters.
        let apart = !glued(text[..start].chars().next_back()) && !glued(text[end..].chars().next());
        if let Some(n) = value_of(&text[start..end]).filter(|_| apart) {
            found.push((start..end, n));
        }
    }
    found
}

/// `text` with its number words in digits, if it has any: `two
/// workshops` → `2 workshops`.
pub fn in_digits(text: &str) -> Option<String> {
    let found = words(text);
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, n) in found {
        out.push_str(&text[at..r.start]);
        out.push_str(&n.to_string());
        at = r.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words_are_written_in_digits() {
        for (text, want) in [
            ("two workshops", Some("2 workshops")),
            ("Zero escalations", Some("0 escalations")),
            (
                "twenty-five demos, eleven of them on site",
                Some("25 demos, 11 of them on site"),
            ),
            ("Forty customers", Some("40 customers")),
            ("one-on-one with each report", None),
            ("someone else's tone", None),
            ("more deals", None),
            ("twenty-", Some("20-")),
            ("a hundred calls", None),
            ("éone", None),
            ("one件", None),
            ("(three) audits", Some("(3) audits")),
            ("", None),
        ] {
            assert_eq!(in_digits(text).as_deref(), want, "{text:?}");
        }
    }
}
