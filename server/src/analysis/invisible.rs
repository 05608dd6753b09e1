//! Differences a reader cannot see. A quote pasted from a word processor
//! or a web page often differs from the canon only by a no-break space,
//! a zero-width character or accents composed another way (`é` as `e`
//! and a combining accent, as some macOS tools write it). Drift stays
//! byte for byte — the canon is quoted exactly — but a message that
//! names a "closest" text looking identical to the quote must say what
//! differs, or nobody can find it.

use unicode_normalization::UnicodeNormalization;

/// Characters that take no room: a quote holding one looks like one
/// without it. Its name ([`crate::hidden::name`]).
fn zero_width(c: char) -> Option<&'static str> {
    matches!(
        c,
        '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
    .then(|| crate::hidden::name(c))
    .flatten()
}

/// Spaces that look like the plain one, and their names.
fn space_like(c: char) -> Option<&'static str> {
    matches!(c, '\u{00a0}' | '\u{2007}' | '\u{202f}')
        .then(|| crate::hidden::name(c))
        .flatten()
}

/// `s` as a reader sees it: composed accents, no zero-width characters,
/// plain spaces.
fn as_seen(s: &str) -> impl Iterator<Item = char> + '_ {
    s.nfc()
        .filter(|&c| zero_width(c).is_none())
        .map(|c| if space_like(c).is_some() { ' ' } else { c })
}

/// When `found` differs from `canon` only in what a reader cannot see,
/// what the first such difference is (`None` for a visible edit, or
/// none at all). Characters are counted from 1 in the quote.
pub(super) fn difference(found: &str, canon: &str) -> Option<String> {
    // ASCII has nothing a reader cannot see (and most edits are ASCII).
    let ascii = found.is_ascii() && canon.is_ascii();
    if ascii || found == canon || !as_seen(found).eq(as_seen(canon)) {
        return None;
    }
    let (mut f, mut c) = (found.chars().peekable(), canon.chars().peekable());
    let mut n = 0;
    loop {
        n += 1;
        match (f.next(), c.peek().copied()) {
            (Some(a), Some(b)) if a == b => {
                c.next();
            }
            (Some(a), _) if zero_width(a).is_some() => {
                let name = zero_width(a).unwrap_or_default();
                return Some(format!(
                    "the quote holds an invisible U+{:04X} {name} at character {n}",
                    a as u32
                ));
            }
            (Some(a), Some(' ')) if space_like(a).is_some() => {
                let name = space_like(a).unwrap_or_default();
                return Some(format!(
                    "the quote has U+{:04X} {name} at character {n} where the canon has a plain space",
                    a as u32
                ));
            }
            (_, Some(b)) if zero_width(b).is_some() => {
                let name = zero_width(b).unwrap_or_default();
                return Some(format!(
                    "the canon holds an invisible U+{:04X} {name} at character {n} that the quote lacks",
                    b as u32
                ));
            }
            (_, Some(b)) if space_like(b).is_some() => {
                let name = space_like(b).unwrap_or_default();
                return Some(format!(
                    "the canon has U+{:04X} {name} at character {n} where the quote has a plain space",
                    b as u32
                ));
            }
            // What is left is composition: the same letters and accents,
            // encoded another way.
            _ => {
                return Some(format!(
                    "from character {n} on, the quote's accented letters are encoded another way than the canon's (Unicode {} form)",
                    if found.nfc().eq(found.chars()) {
                        "composed"
                    } else {
                        "decomposed"
                    }
                ))
            }
        }
    }
}

/// `s` with plain spaces for the spaces that look like one, and without
/// the characters that take no room (accents as they are).
pub(super) fn plain_spaces(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii()
        || !s
            .chars()
            .any(|c| zero_width(c).is_some() || space_like(c).is_some())
    {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .filter(|&c| zero_width(c).is_none())
        .map(|c| if space_like(c).is_some() { ' ' } else { c })
        .collect()
}

/// When a row of values that cannot be read would read as a reader sees
/// it (`read`, given the row so), what it holds that the reader cannot
/// see, where the template has a plain space or nothing: a row typed
/// with a no-break space (macOS types one with Option-Space) looks like
/// the template. Characters are counted from 1 in the line.
pub(super) fn in_row(row: &str, read: impl Fn(&str) -> bool) -> Option<String> {
    if row.is_ascii() {
        return None;
    }
    let (n, c) = row
        .chars()
        .enumerate()
        .find(|&(_, c)| zero_width(c).is_some() || space_like(c).is_some())?;
    if !read(&plain_spaces(row)) {
        return None;
    }
    let n = n + 1;
    Some(match (zero_width(c), space_like(c)) {
        (Some(name), _) => format!(
            "it holds an invisible U+{:04X} {name} at character {n} of the line",
            c as u32
        ),
        (_, name) => format!(
            "it has U+{:04X} {} at character {n} of the line where the template has a plain space",
            c as u32,
            name.unwrap_or_default()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::{difference, in_row, space_like, zero_width};

    #[test]
    fn every_character_looked_for_has_its_name() {
        for c in [
            '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
        ] {
            assert!(zero_width(c).is_some(), "{:04X}", c as u32);
        }
        for c in ['\u{a0}', '\u{2007}', '\u{202f}'] {
            assert!(space_like(c).is_some(), "{:04X}", c as u32);
        }
    }

    #[test]
    fn what_a_reader_cannot_see_in_a_row_is_named() {
        let reads = |s: &str| !s.contains(['\u{a0}', '\u{200b}']) && s.contains(" by ");
        assert_eq!(
            in_row("from 12 to 20 by\u{a0}2027-06-30", reads).as_deref(),
            Some("it has U+00A0 NO-BREAK SPACE at character 17 of the line where the template has a plain space")
        );
        assert_eq!(
            in_row("from 12 to 20\u{200b} by 2027", reads).as_deref(),
            Some("it holds an invisible U+200B ZERO WIDTH SPACE at character 14 of the line")
        );
        // A row changed in what can be seen too: nothing to name.
        assert_eq!(in_row("from 12 to 20 until\u{a0}2027", reads), None);
        assert_eq!(in_row("from 12 to 20 by 2027", reads), None);
    }

    #[test]
    fn what_a_reader_cannot_see_is_named() {
        let canon = "Own the café territory plan";
        for (found, said) in [
            (
                "Own the\u{a0}café territory plan",
                "the quote has U+00A0 NO-BREAK SPACE at character 8 where the canon has a plain space",
            ),
            (
                "Own the café terri\u{200b}tory plan",
                "the quote holds an invisible U+200B ZERO WIDTH SPACE at character 19",
            ),
            (
                "\u{feff}Own the café territory plan",
                "the quote holds an invisible U+FEFF ZERO WIDTH NO-BREAK SPACE at character 1",
            ),
            (
                "Own the cafe\u{301} territory plan",
                "from character 12 on, the quote's accented letters are encoded another way than the canon's (Unicode decomposed form)",
            ),
        ] {
            assert_eq!(difference(found, canon).as_deref(), Some(said), "{found:?}");
        }
        // The other way round: the canon holds what cannot be seen.
        assert_eq!(
            difference("Own the café territory plan", "Own the\u{202f}café territory plan")
                .as_deref(),
            Some("the canon has U+202F NARROW NO-BREAK SPACE at character 8 where the quote has a plain space")
        );
        assert_eq!(
            difference("Own the cafe\u{301}", "Own the café").as_deref(),
            Some("from character 12 on, the quote's accented letters are encoded another way than the canon's (Unicode decomposed form)")
        );
        assert_eq!(
            difference("Own the café", "Own the cafe\u{301}").as_deref(),
            Some("from character 12 on, the quote's accented letters are encoded another way than the canon's (Unicode composed form)")
        );
        // A visible edit, or none, has nothing to add.
        assert_eq!(difference("Own the cafe territory plan", canon), None);
        assert_eq!(difference("Own the\u{a0}cafe territory plan", canon), None);
        assert_eq!(difference(canon, canon), None);
    }
}
