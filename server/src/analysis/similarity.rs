//! Which canon text an edited quote came from: normalised Levenshtein,
//! exact but bounded (banded, compared by the ends of long texts).

/// How similar (normalised Levenshtein) an edited quote must stay to a
/// canon text for that text to be named as the one it came from.
pub(super) const SIMILAR: f64 = 0.5;

/// The canon text most similar to `found` (normalised Levenshtein) and
/// its score; on a tie the later one, as `Iterator::max_by` picks.
///
/// Exact, but most candidates are ruled out cheaply: a lower bound of the
/// best score comes from the candidate sharing the longest prefix and
/// suffix with `found` (an edited text keeps most of both), and every
/// candidate only has to be compared up to the edit distance that could
/// still reach the best score so far (a banded computation that stops as
/// soon as the distance exceeds it).
pub(super) fn best_match(found: &str, all: &[&str]) -> Option<(f64, usize)> {
    // Most canon text is ASCII and short: its bytes are its characters,
    // compared where they are (a light edit of a quote costs a few
    // microseconds, and copying every candidate into characters was a
    // third of that).
    let whole = |s: &str| s.len() <= 2 * COMPARED_END && s.is_ascii();
    if whole(found) && all.iter().all(|c| whole(c)) {
        let cands: Vec<&[u8]> = all.iter().map(|c| c.as_bytes()).collect();
        return closest(found.as_bytes(), &cands);
    }
    // Characters, for edit distances; one buffer for all the candidates.
    let mut f: Vec<char> = Vec::with_capacity(found.len().min(2 * COMPARED_END));
    push_compared(&mut f, found);
    let mut chars: Vec<char> = Vec::with_capacity(all.iter().map(|c| c.len()).sum());
    let mut ends = Vec::with_capacity(all.len());
    for c in all {
        push_compared(&mut chars, c);
        ends.push(chars.len());
    }
    let cands: Vec<&[char]> = ends
        .iter()
        .scan(0, |start, &end| {
            let c = &chars[*start..end];
            *start = end;
            Some(c)
        })
        .collect();
    closest(&f, &cands)
}

/// [`best_match`] over the compared characters (or bytes, for ASCII).
fn closest<T: Copy + PartialEq>(f: &[T], cands: &[&[T]]) -> Option<(f64, usize)> {
    let score = |lev: usize, m: usize| {
        let longest = f.len().max(m);
        if longest == 0 {
            1.0
        } else {
            1.0 - (lev as f64) / (longest as f64)
        }
    };
    // With a shared prefix and suffix of `shared` characters (together at
    // most the shorter length), the rest is at most `longest - shared`
    // edits: a score the best candidate reaches.
    let seed = cands
        .iter()
        .map(|c| {
            let (p, s) = affixes(f, c);
            let shared = (p + s).min(f.len().min(c.len()));
            score(f.len().max(c.len()) - shared, c.len())
        })
        .max_by(f64::total_cmp)?;
    let mut best: Option<(f64, usize)> = None;
    // The two rows of the distance table, reused from candidate to candidate.
    let mut rows = (Vec::new(), Vec::new());
    for (i, c) in cands.iter().enumerate() {
        let floor = best.map_or(seed, |(b, _)| b.max(seed));
        let longest = f.len().max(c.len());
        // score >= floor needs lev <= (1 - floor) * longest; one more for
        // floating-point rounding, then the exact score decides.
        let k = ((1.0 - floor) * longest as f64).floor() as usize + 1;
        let Some(lev) = levenshtein_within(f, c, k, &mut rows) else {
            continue;
        };
        let s = score(lev, c.len());
        if s >= floor && best.is_none_or(|(b, _)| s >= b) {
            best = Some((s, i));
        }
    }
    best
}

/// Texts are compared by their first and last this many characters: a
/// canon sentence is a few hundred characters and compares whole, but an
/// edit distance is quadratic, and a 20 KB quote against 20 KB canon texts
/// must not cost minutes. An edited text keeps most of its start and end,
/// so the closest canon text is still found.
const COMPARED_END: usize = 1000;

/// Appends the characters of `s` that are compared: all of them, or the
/// first and last [`COMPARED_END`] of a longer text.
fn push_compared(out: &mut Vec<char>, s: &str) {
    let n = s.chars().count();
    if n <= 2 * COMPARED_END {
        out.extend(s.chars());
    } else {
        out.extend(s.chars().take(COMPARED_END));
        out.extend(s.chars().skip(n - COMPARED_END));
    }
}

/// The lengths of the longest common prefix and suffix of `a` and `b`
/// (they may overlap).
fn affixes<T: PartialEq>(a: &[T], b: &[T]) -> (usize, usize) {
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let s = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (p, s)
}

/// The Levenshtein distance of `a` and `b` if it is at most `k`, else
/// `None`. A shared prefix and suffix cost nothing and are skipped; only
/// the diagonal band of width `2k + 1` of the rest is computed.
/// `rows`: the table's two rows, kept by the caller.
fn levenshtein_within<T: PartialEq>(
    a: &[T],
    b: &[T],
    k: usize,
    (prev, cur): &mut (Vec<usize>, Vec<usize>),
) -> Option<usize> {
    let (p, _) = affixes(a, b);
    let (a, b) = (&a[p..], &b[p..]);
    let (_, s) = affixes(a, b);
    let (a, b) = (&a[..a.len() - s], &b[..b.len() - s]);
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    let inf = k + 1;
    prev.clear();
    prev.extend((0..=m).map(|j| j.min(inf)));
    cur.clear();
    cur.resize(m + 1, inf);
    for i in 1..=n {
        let jlo = if i > k { i - k } else { 1 };
        let jhi = (i + k).min(m);
        cur[0] = i.min(inf);
        if jlo > 1 {
            cur[jlo - 1] = inf;
        }
        let mut row_min = if jlo == 1 { cur[0] } else { inf };
        for j in jlo..=jhi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let v = (prev[j - 1] + cost)
                .min(prev[j] + 1)
                .min(cur[j - 1] + 1)
                .min(inf);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if jhi < m {
            cur[jhi + 1] = inf;
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    (prev[m] <= k).then_some(prev[m])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Huge quotes are compared by their ends: the closest of three
    /// 20,000-character canon texts is still found, and texts under the
    /// cap compare whole as before.
    #[test]
    fn huge_texts_are_compared_by_their_ends() {
        let text = |c: char, n: usize| -> String {
            (0..n).map(|i| if i % 7 == 0 { ' ' } else { c }).collect()
        };
        let all = [text('a', 20_000), text('b', 20_000), text('c', 20_000)];
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let mut edited = all[1].to_string();
        edited.insert_str(10_000, " an edit in the middle ");
        edited.replace_range(0..3, "xyz");
        let (score, i) = best_match(&edited, &all).expect("a closest text");
        assert_eq!(i, 1);
        assert!(score > 0.99, "{score}");
        // Under the cap: exact, as before.
        let (score, i) = best_match("abcd", &["abce", "zzzz"]).unwrap();
        assert_eq!((i, score), (0, 0.75));
    }

    #[test]
    fn best_match_agrees_with_a_plain_search() {
        let all = [
            "Manages the entire sales cycle.",
            "Maintains an accurate pipeline.",
            "Manages the entire sales cycle!",
            "",
            "x",
            "Prepares contracts 中文 😀 and order forms.",
        ];
        for found in [
            "Manages the whole sales cycle.",
            "Maintains an accurate pipeline",
            "",
            "y",
            "Prepares contracts 中文 and order forms.",
            "completely different words here",
            "Manages the entire sales cycle.",
        ] {
            let plain = all
                .iter()
                .enumerate()
                .map(|(i, c)| (strsim::normalized_levenshtein(found, c), i))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            assert_eq!(best_match(found, &all), plain, "{found:?}");
        }
        let a: Vec<char> = "kitten".chars().collect();
        let b: Vec<char> = "sitting".chars().collect();
        let rows = &mut (Vec::new(), Vec::new());
        assert_eq!(levenshtein_within(&a, &b, 3, rows), Some(3));
        assert_eq!(levenshtein_within(&a, &b, 2, rows), None);
        assert_eq!(levenshtein_within(b"kitten", b"sitting", 3, rows), Some(3));
        // Random texts and candidate lists, ties and multi-byte characters
        // included.
        let mut rng = crate::analysis::testing::Rng::new(11);
        // ASCII pieces first: the first 6,000 texts draw from those only,
        // which are compared by bytes.
        let alphabet = ["a", "b", "c", " ", "ab", "the ", "中", "😀"];
        let ascii = 6;
        let mut made = 0;
        let mut text = |rng: &mut crate::analysis::testing::Rng| {
            made += 1;
            let letters = if made < 6000 { ascii } else { alphabet.len() };
            (0..rng.below(12))
                .map(|_| alphabet[rng.below(letters)])
                .collect::<String>()
        };
        for _ in 0..3000 {
            let found = text(&mut rng);
            let all: Vec<String> = (0..1 + rng.below(6)).map(|_| text(&mut rng)).collect();
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            let plain = all
                .iter()
                .enumerate()
                .map(|(i, c)| (strsim::normalized_levenshtein(&found, c), i))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            assert_eq!(best_match(&found, &all), plain, "{found:?} in {all:?}");
        }
    }
}
