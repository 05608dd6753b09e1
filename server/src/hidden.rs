//! Characters that do not show where they stand, or change how the text
//! around them shows: control characters (a word processor's line break,
//! U+000B, pasted into a value; a terminal's colour codes), the
//! characters that reorder text (U+202E RIGHT-TO-LEFT OVERRIDE makes
//! `20` show as `02`), line separators no editor breaks the line at, and
//! spaces and hyphens that take no room. In a value they reach the HR
//! system as they are; the writer, who cannot see them, cannot know.
//!
//! Left out on purpose: the joiners (U+200C, U+200D), which emoji and
//! several scripts need, and the marks that set a direction without
//! reordering (U+200E, U+200F, U+061C), which right-to-left text needs.

use std::ops::{ControlFlow, Range};

/// Why a character that does not show matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// C0 (tab and the line ends aside), DEL or C1.
    Control,
    /// An embedding, override or isolate of the bidirectional algorithm.
    Reorders,
    /// U+2028, U+2029: a line break to some programs, none to others.
    Separator,
    /// Takes no room: a zero-width space, word joiner, soft hyphen, or a
    /// byte order mark inside the text.
    NoRoom,
}

/// Whether `c` is a hidden character, and its kind.
pub fn kind(c: char) -> Option<Kind> {
    Some(match c {
        // A line end shows as one: a row is one line, and front matter's
        // block scalars (`name: |`) hold line breaks on purpose.
        '\t' | '\n' | '\r' => return None,
        '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Kind::Control,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => Kind::Reorders,
        '\u{2028}' | '\u{2029}' => Kind::Separator,
        '\u{ad}' | '\u{200b}' | '\u{2060}' | '\u{feff}' => Kind::NoRoom,
        _ => return None,
    })
}

/// Whether `s` holds a hidden character (every value of a folder's run
/// is asked).
pub fn any(s: &str) -> bool {
    let b = s.as_bytes();
    find_where(b, |i| starts_at(b, i)).is_some()
}

/// The first byte of `b` at which `stop` holds, asked only of the bytes
/// of [`each_stretch`].
#[inline]
pub fn find_where(b: &[u8], stop: impl Fn(usize) -> bool) -> Option<usize> {
    each_stretch(b, |from, to| match (from..to).find(|&i| stop(i)) {
        Some(i) => ControlFlow::Break(i),
        None => ControlFlow::Continue(()),
    })
}

/// Hands `look` each stretch of `b` (from, to) that may hold a byte below
/// a space (a tab, a line end, a control character), DEL, or the start of
/// a hidden character, until it breaks: all of a `b` shorter than eight
/// bytes, else each word of eight bytes that may hold one. Eight bytes
/// are looked at at once: values, the source lines `lint` shows and canon
/// texts all pass here, and most are printable ASCII; the rest are mostly
/// `⟨`, `—`, `’`, `é` and CJK text, told apart by their bytes without
/// decoding. (A loop, not an iterator: chained and flattened, the
/// compiler left a folder's run 2–4 % slower.)
#[inline(always)]
pub fn each_stretch<B>(
    b: &[u8],
    mut look: impl FnMut(usize, usize) -> ControlFlow<B>,
) -> Option<B> {
    if b.len() < 8 {
        return look(0, b.len()).break_value();
    }
    for at in (0..b.len() / 8).map(|k| 8 * k) {
        if word_may_hold(b, at) {
            if let ControlFlow::Break(x) = look(at, at + 8) {
                return Some(x);
            }
        }
    }
    // The last word overlaps the one before it when the length is not a
    // multiple of eight.
    let last = b.len() - 8;
    if !b.len().is_multiple_of(8) && word_may_hold(b, last) {
        return look(last, b.len()).break_value();
    }
    None
}

const ONES: u64 = u64::from_ne_bytes([1; 8]);
const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);

/// A high bit set in each byte of `v` below `n` (n ≤ 0x80); exact as to
/// whether there is one.
#[inline(always)]
fn below(v: u64, n: u8) -> u64 {
    v.wrapping_sub(ONES * u64::from(n)) & !v & HIGH
}

/// A high bit set in each byte of `v` that is `n`; exact as to whether
/// there is one.
#[inline(always)]
fn is(v: u64, n: u8) -> u64 {
    below(v ^ (ONES * u64::from(n)), 1)
}

/// Whether the eight bytes of `b` from `at` may hold a byte below a
/// space, DEL, or the start of a hidden character.
#[inline(always)]
pub fn word_may_hold(b: &[u8], at: usize) -> bool {
    let mut bytes = [0; 8];
    bytes.copy_from_slice(&b[at..at + 8]);
    // Little-endian, so that `v >> 8` puts each byte where the one before
    // it was.
    let v = u64::from_le_bytes(bytes);
    // Most words are printable ASCII (no high bit, none below 0x20, none
    // 0x7f): one cheaper test passes them.
    if (v | v.wrapping_add(ONES) | below(v, 0x20)) & HIGH == 0 {
        return false;
    }
    // `E2` starts `⟨`, `—`, `’` and `…` too: only `E2 80` or `E2 81` then
    // `8B`, `A0`, or `A6`–`AF` may be one; `E2` in the word's last two
    // bytes is told by the bytes after it.
    let (second, third) = (v >> 8, v >> 16);
    let e2 = is(v, 0xe2)
        & is(second & !ONES, 0x80)
        & (is(third, 0x8b)
            | is(third, 0xa0)
            | is(third & !(ONES * 7), 0xa8)
            | is(third & !ONES, 0xa6));
    below(v, 0x20) | is(v, 0x7f) | is(v, 0xc2) | e2 | is(v, 0xef) != 0
        || (v >> 48 & 0xff == 0xe2 || v >> 56 == 0xe2)
            && (starts_at(b, at + 6) || starts_at(b, at + 7))
}

/// Whether a hidden character starts at byte `i` of UTF-8 `b`, told by
/// its bytes without decoding.
#[inline]
pub fn starts_at(b: &[u8], i: usize) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let Some(&first) = b.get(i) else {
        return false;
    };
    match first {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1f | 0x7f => true,
        // U+0080–U+009F, U+00AD
        0xc2 => matches!(at(i + 1), 0x80..=0x9f | 0xad),
        // U+200B, U+2028–U+202E; U+2060, U+2066–U+2069
        0xe2 => match at(i + 1) {
            0x80 => matches!(at(i + 2), 0x8b | 0xa8..=0xae),
            0x81 => matches!(at(i + 2), 0xa0 | 0xa6..=0xa9),
            _ => false,
        },
        // U+FEFF
        0xef => at(i + 1) == 0xbb && at(i + 2) == 0xbf,
        _ => false,
    }
}

/// The hidden characters of `s`: where each is (bytes of `s`) and what.
pub fn find(s: &str) -> Vec<(Range<usize>, char)> {
    if !any(s) {
        return Vec::new();
    }
    s.char_indices()
        .filter(|&(_, c)| kind(c).is_some())
        .map(|(i, c)| (i..i + c.len_utf8(), c))
        .collect()
}

/// The Unicode name of the characters that have one worth giving in a
/// message: the hidden characters', and the joiners and spaces that look
/// like others (which drift's messages name).
pub fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "NO-BREAK SPACE",
        '\u{2007}' => "FIGURE SPACE",
        '\u{200c}' => "ZERO WIDTH NON-JOINER",
        '\u{200d}' => "ZERO WIDTH JOINER",
        '\u{202f}' => "NARROW NO-BREAK SPACE",
        '\u{b}' => "LINE TABULATION",
        '\u{c}' => "FORM FEED",
        '\u{1b}' => "ESCAPE",
        '\u{7f}' => "DELETE",
        '\u{85}' => "NEXT LINE",
        '\u{ad}' => "SOFT HYPHEN",
        '\u{200b}' => "ZERO WIDTH SPACE",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{202a}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202b}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202c}' => "POP DIRECTIONAL FORMATTING",
        '\u{202d}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202e}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{feff}' => "ZERO WIDTH NO-BREAK SPACE",
        _ => return None,
    })
}

/// How a message names `c`: `U+202E RIGHT-TO-LEFT OVERRIDE`, `U+0007`.
pub fn shown(c: char) -> String {
    match name(c) {
        Some(n) => format!("U+{:04X} {n}", c as u32),
        None => format!("U+{:04X}", c as u32),
    }
}

/// Why a message names hidden character `c`, after its name.
pub fn why(c: char) -> &'static str {
    match kind(c) {
        Some(Kind::Reorders) => {
            "which does not show but changes the order the text after it shows in"
        }
        Some(Kind::Separator) => "a line break to some programs and none to others",
        Some(Kind::NoRoom) => "which takes no room",
        _ => "a control character, which does not show",
    }
}

/// The message for `what` (`the target`, `` `name` ``) holding the hidden
/// characters `found` of `value` (its text as read).
pub fn message(what: &str, value: &str, found: &[(Range<usize>, char)]) -> String {
    let Some((at, c)) = found.first() else {
        return format!("{what} holds a character that does not show");
    };
    let n = value[..at.start].chars().count() + 1;
    let why = why(*c);
    let more = match found.len() {
        1 => String::new(),
        2 => ", and one more such character".to_string(),
        k => format!(", and {} more such characters", k - 1),
    };
    format!(
        "{what} holds {} at character {n}, {why}{more}: it would reach the HR system as it is",
        shown(*c)
    )
}

/// What takes the place of a hidden character in the fix: a space for
/// one that breaks a line (a word processor's line break stood between
/// two words) unless a space is already beside it; nothing for the rest.
pub fn replacement(text: &str, at: Range<usize>, c: char) -> &'static str {
    let breaks = matches!(c, '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}');
    let spaced = |o: Option<char>| o.is_none_or(char::is_whitespace);
    if breaks
        && !spaced(text[..at.start].chars().next_back())
        && !spaced(text[at.end..].chars().next())
    {
        " "
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_test_is_the_table() {
        // Every character, alone and at each place of a longer value (the
        // words of eight bytes, the last one overlapping), is found by its
        // bytes exactly when the table names it.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let one = c.encode_utf8(&mut buf);
            assert_eq!(any(one), kind(c).is_some(), "{:04X}", c as u32);
        }
        for c in [
            '\u{1}', '\u{7f}', '\u{85}', '\u{202e}', '\u{feff}', '\t', '\n', '⟨', '—', '·',
        ] {
            for len in 0..20 {
                for at in 0..=len {
                    let s: String = "a".repeat(at) + &c.to_string() + &"b".repeat(len - at);
                    assert_eq!(any(&s), kind(c).is_some(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn tabs_joiners_and_direction_marks_are_no_hidden_characters() {
        for c in [
            '\t', '\n', '\r', ' ', '\u{200c}', '\u{200d}', '\u{200e}', '\u{200f}', '\u{a0}', 'é',
            '👨',
        ] {
            assert_eq!(kind(c), None, "{:04X}", c as u32);
        }
        assert!(!any("20 deals 👨\u{200d}👩\u{200d}👧 per quarter\t"));
    }

    #[test]
    fn the_message_names_the_first_and_counts_the_rest() {
        let v = "20\u{202e} closed\u{7} deals\u{1b}";
        let found = find(v);
        assert_eq!(found.len(), 3);
        assert_eq!(
            message("the target", v, &found),
            "the target holds U+202E RIGHT-TO-LEFT OVERRIDE at character 3, which does not show but changes the order the text after it shows in, and 2 more such characters: it would reach the HR system as it is"
        );
        assert_eq!(
            message("`name`", "Dana\u{7}", &find("Dana\u{7}")),
            "`name` holds U+0007 at character 5, a control character, which does not show: it would reach the HR system as it is"
        );
    }

    #[test]
    fn a_line_break_becomes_a_space_between_words() {
        let t = "closed\u{b}deals, closed \u{b}deals, a\u{7}b";
        let r: Vec<&str> = find(t)
            .into_iter()
            .map(|(at, c)| replacement(t, at, c))
            .collect();
        assert_eq!(r, [" ", "", ""]);
    }
}
