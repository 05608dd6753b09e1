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

/// The first control character in `s` (C0, DEL, C1), a tab aside: what
/// canon text may not hold (a line break would split a text's row in every frame, an escape sequence or a
/// bell reach documents and terminals as it is).
pub fn control_in(s: &str) -> Option<char> {
    // C0 and DEL are one byte each; C1 (U+0080–U+009F) starts with 0xC2.
    // Folded without stopping early, so that the compiler takes the bytes
    // many at a time: every text of a canon passes here.
    let candidate = s.bytes().fold(false, |seen, b| {
        seen | (b < 0x20) | (b == 0x7F) | (b == 0xC2)
    });
    if !candidate {
        return None;
    }
    s.chars().find(|c| c.is_control() && *c != '\t')
}

/// Whether `s` holds a character [`shown_as`] replaces.
pub fn any_shown_otherwise(s: &str) -> bool {
    control_in(s).is_some() || crate::hidden::any(s)
}

/// `s` with every character [`shown_as`] replaces replaced.
pub fn shown_plainly(s: &str) -> Cow<'_, str> {
    if !any_shown_otherwise(s) {
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

    /// What is refused as a control character is shown by its picture;
    /// what is shown otherwise is that and what `hidden` names.
    #[test]
    fn the_controls_found_are_the_controls_shown() {
        let every = (0..0x3_0000).filter_map(char::from_u32);
        for c in every {
            let s = format!("a{c}b");
            let control = c.is_control() && c != '\t';
            assert_eq!(control_in(&s).is_some(), control, "{c:?}");
            let otherwise = control || crate::hidden::kind(c).is_some();
            assert_eq!(shown_as(c).is_some(), otherwise, "{c:?}");
            assert_eq!(any_shown_otherwise(&s), otherwise, "{c:?}");
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
