//! How a message quotes what someone typed: whole when it is short, else
//! its start and its end around `…`. A value pasted into a date slot, a
//! megabyte token or a 400 MB spreadsheet cell must not make a message
//! (or an error line in CI) of the same size. And how a message counts:
//! `1 role`, `2 roles`.

use std::borrow::Cow;

/// `n` and a noun, plural unless `n` is one: `1 role`, `3 role-levels`.
/// Every noun a message counts takes `s`.
pub fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// What a character is shown as where a terminal may show it: a control
/// character by its Unicode control picture (`␛` for ESC), a C1 control
/// and every other character [`crate::hidden`] names (U+202E, a
/// zero-width space) by `�`; `None` for a tab and every other character,
/// shown as it is. A document or a file name must not reach a terminal
/// raw: `\e]0;…` would retitle it, `\e[2J` clear it, U+202E show the
/// rest of the line backwards, and a zero-width space leave a caret under
/// nothing.
pub fn shown_as(c: char) -> Option<char> {
    match c {
        '\t' => None,
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        c if crate::hidden::kind(c).is_some() => Some('\u{fffd}'),
        _ => None,
    }
}

/// The first character of `s` that [`shown_as`] replaces: a control
/// character but tab (a line break ends a line, an escape sequence or a
/// bell reaches a terminal as it is) or one [`crate::hidden`] names
/// (U+202E, a zero-width space). Canon text may hold none: a line break
/// would split a text's row in every frame, and every review built from
/// the canon would carry the rest unseen.
pub fn unshown_in(s: &str) -> Option<char> {
    let b = s.as_bytes();
    // Printable ASCII holds none: told first, folded without stopping
    // early so that the compiler takes many bytes at a time (every text
    // of a canon passes here).
    if !b
        .iter()
        .fold(false, |seen, &x| seen | !(0x20..0x7f).contains(&x))
    {
        return None;
    }
    let at = crate::hidden::find_where(b, |i| {
        matches!(b[i], b'\n' | b'\r') || crate::hidden::starts_at(b, i)
    })?;
    // A character starts there: the bytes found never stand inside one.
    s[at..].chars().next()
}

/// `s` with every character [`shown_as`] replaces replaced.
pub fn shown_plainly(s: &str) -> Cow<'_, str> {
    if unshown_in(s).is_none() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| shown_as(c).unwrap_or(c)).collect())
}

/// The most characters a quoted value shows.
pub const QUOTE_CHARS: usize = 80;
/// Of those, the characters kept from the end (the rest from the start,
/// and one for the `…`).
const TAIL_CHARS: usize = 19;

/// `value` as a message quotes it: itself when it has at most
/// [`QUOTE_CHARS`] characters, else its first 60 and last 19 characters
/// around `…`. Looks at no more of `value` than it shows.
pub fn quote(value: &str) -> Cow<'_, str> {
    // Where the characters start, walked once: the one after the head,
    // then the one after the first `QUOTE_CHARS` (if any, it is too long).
    let mut starts = value.char_indices().map(|(i, _)| i);
    let head = QUOTE_CHARS - TAIL_CHARS - 1;
    let (Some(head_end), Some(_)) = (starts.nth(head), starts.nth(QUOTE_CHARS - head - 1)) else {
        return Cow::Borrowed(value);
    };
    let tail_start = value
        .char_indices()
        .rev()
        .nth(TAIL_CHARS - 1)
        .map_or(0, |(i, _)| i);
    Cow::Owned(format!("{}…{}", &value[..head_end], &value[tail_start..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is found is what is shown otherwise: controls but tab, and
    /// what `hidden` names.
    #[test]
    fn the_characters_found_are_the_characters_shown_otherwise() {
        let every = (0..0x3_0000).filter_map(char::from_u32);
        for c in every {
            let s = format!("a{c}b");
            let otherwise = (c.is_control() && c != '\t') || crate::hidden::kind(c).is_some();
            assert_eq!(shown_as(c).is_some(), otherwise, "{c:?}");
            assert_eq!(unshown_in(&s), otherwise.then_some(c), "{c:?}");
            assert_eq!(
                unshown_in(&format!("{s}\u{202e}")),
                Some(if otherwise { c } else { '\u{202e}' })
            );
            assert_eq!(shown_plainly(&s).contains(c), !otherwise, "{c:?}");
        }
    }

    #[test]
    fn short_values_are_quoted_whole_and_long_ones_by_their_ends() {
        let exact = "é".repeat(QUOTE_CHARS);
        assert!(matches!(quote(&exact), Cow::Borrowed(_)));
        assert_eq!(quote("2027-02-30"), "2027-02-30");
        let long = format!(
            "{}{}{}",
            "😀".repeat(60),
            "x".repeat(1_000_000),
            "中".repeat(19)
        );
        let q = quote(&long);
        assert_eq!(q, format!("{}…{}", "😀".repeat(60), "中".repeat(19)));
        assert_eq!(q.chars().count(), QUOTE_CHARS);
        // One character more than fits is shortened too.
        let over = "a".repeat(QUOTE_CHARS + 1);
        assert_eq!(quote(&over).chars().count(), QUOTE_CHARS);
    }
}
