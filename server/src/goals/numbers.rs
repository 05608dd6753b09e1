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
/// → 20, `twenty-five` → 25.
fn value_of(word: &str) -> Option<u64> {
    let at = |list: &[&str], w: &str| list.iter().position(|x| x.eq_ignore_ascii_case(w));
    if let Some(n) = at(&UNITS, word) {
        return Some(n as u64);
    }
    let (tens, unit) = match word.split_once('-') {
        Some((t, u)) => (t, Some(u)),
        None => (word, None),
    };
    let tens = 20 + 10 * at(&TENS, tens)? as u64;
    match unit {
        None => Some(tens),
        Some(u) => Some(tens + 1 + at(&UNITS[1..10], u)? as u64),
    }
}

/// The words that multiply what comes before them (`two hundred`, `a
/// dozen`, `five thousand`), and by how much.
const SCALES: [(&str, u64); 5] = [
    ("dozen", 12),
    ("hundred", 100),
    ("thousand", 1_000),
    ("million", 1_000_000),
    ("billion", 1_000_000_000),
];

fn scale_of(word: &str) -> Option<u64> {
    SCALES
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|&(_, n)| n)
}

/// Each word of `text`: a run of ASCII letters and inner hyphens with no
/// other letter or digit either side (`someone` holds no `one`), or
/// `None` for a run that is glued to one (`éone`, `one件`).
fn each_word(text: &str) -> Vec<(Range<usize>, bool)> {
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
        found.push((start..end, apart));
    }
    found
}

/// Each number written in words in `text`, with where it is and what it
/// stands for: a word (`two`, `twenty-five`) or a phrase of them with
/// single spaces between (`one hundred`, `a thousand`, `two hundred and
/// fifty`, `twenty five`, `three dozen`). A phrase that goes on in a way
/// no number does ends before the word that breaks it (`one two` is two
/// numbers; `a` and `and` are read only inside a phrase).
pub fn words(text: &str) -> Vec<(Range<usize>, u64)> {
    let all = each_word(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < all.len() {
        match phrase(text, &all[i..]) {
            Some((taken, value)) => {
                found.push((all[i].0.start..all[i + taken - 1].0.end, value));
                i += taken;
            }
            None => i += 1,
        }
    }
    found
}

/// What the word before the next one was, in a number phrase.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// A number word; `tens` if a bare tens word (`twenty`), which a
    /// unit may follow (`twenty five`).
    Number {
        tens: bool,
    },
    Hundred,
    /// `thousand`, `million` or `billion`.
    Big,
}

/// The number phrase `words` start with, if any: how many words it takes
/// and what it stands for.
fn phrase(text: &str, words: &[(Range<usize>, bool)]) -> Option<(usize, u64)> {
    let word = |k: usize| {
        words
            .get(k)
            .filter(|(_, apart)| *apart)
            .map(|(r, _)| &text[r.clone()])
    };
    // Whether word `k` follows the one before it after a single space.
    let next_to = |k: usize| {
        k > 0
            && k < words.len()
            && words[k].0.start == words[k - 1].0.end + 1
            && text.as_bytes()[words[k - 1].0.end] == b' '
    };
    let is_tens = |n: u64| (20..=90).contains(&n) && n.is_multiple_of(10);
    let first = word(0)?;
    // `a hundred`: the article counts one, only before a scale.
    let mut current = if first.eq_ignore_ascii_case("a") || first.eq_ignore_ascii_case("an") {
        word(1).filter(|_| next_to(1)).and_then(scale_of)?;
        1
    } else {
        value_of(first)?
    };
    let mut last = Last::Number {
        tens: is_tens(current) && !first.contains('-'),
    };
    // The thousands and more added up so far, the smallest of those
    // scales used (each after must be smaller), and whether `current`
    // holds a hundred already.
    let mut total = 0u64;
    let mut last_big = u64::MAX;
    let mut hundreds = false;
    let mut k = 1;
    let (mut best, mut value) = (1, current);
    while next_to(k) {
        let Some(w) = word(k) else { break };
        if let Some(scale) = scale_of(w) {
            let small = current > 0 && current < 100 && !hundreds;
            match scale {
                12 if small && matches!(last, Last::Number { .. }) => {
                    // `two dozen` ends the phrase.
                    return Some((k + 1, total + current * 12));
                }
                100 if small => {
                    current *= 100;
                    hundreds = true;
                    last = Last::Hundred;
                }
                big if big >= 1_000 && current > 0 && big < last_big => {
                    total = total.checked_add(current.checked_mul(big)?)?;
                    current = 0;
                    hundreds = false;
                    last_big = big;
                    last = Last::Big;
                }
                _ => break,
            }
            k += 1;
            (best, value) = (k, total + current);
            continue;
        }
        // `two hundred and fifty`: `and` only after a scale, before a number.
        let after_scale = matches!(last, Last::Hundred | Last::Big);
        let (w, at) = if after_scale && w.eq_ignore_ascii_case("and") && next_to(k + 1) {
            match word(k + 1) {
                Some(n) => (n, k + 1),
                None => break,
            }
        } else {
            (w, k)
        };
        let Some(n) = value_of(w) else { break };
        let fits = match last {
            Last::Number { tens } => tens && (1..=9).contains(&n),
            Last::Hundred | Last::Big => (1..=99).contains(&n),
        };
        if !fits {
            break;
        }
        current += n;
        last = Last::Number {
            tens: after_scale && is_tens(n) && !w.contains('-'),
        };
        k = at + 1;
        (best, value) = (k, total + current);
    }
    Some((best, value))
}

/// `text` with its number words in digits, if it has any: `two
/// workshops` → `2 workshops`, `one hundred calls` → `100 calls`.
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
            ("a hundred calls", Some("100 calls")),
            ("One hundred calls", Some("100 calls")),
            ("two hundred and fifty calls", Some("250 calls")),
            ("twenty five deals", Some("25 deals")),
            ("twenty-five hundred leads", Some("2500 leads")),
            ("a dozen workshops", Some("12 workshops")),
            ("three dozen", Some("36")),
            ("five thousand users", Some("5000 users")),
            ("one million two hundred thousand and five", Some("1200005")),
            ("one hundred thousand", Some("100000")),
            // What no number does ends the phrase.
            ("one two", Some("1 2")),
            ("twenty-five three", Some("25 3")),
            ("five and six", Some("5 and 6")),
            ("one hundred and", Some("100 and")),
            ("one hundred hundred", Some("100 hundred")),
            ("one thousand million", Some("1000 million")),
            ("a deal", None),
            ("hundred deals", None),
            ("zero hundred", Some("0 hundred")),
            ("one  hundred", Some("1  hundred")),
            ("two dozen hundred", Some("24 hundred")),
            ("éone", None),
            ("one件", None),
            ("(three) audits", Some("(3) audits")),
            ("", None),
        ] {
            assert_eq!(in_digits(text).as_deref(), want, "{text:?}");
        }
    }
}
