//! Role/level tokens (docs/lsp.md): `@<role>/<level>`, e.g. `@ae/p2`. Used by
//! the diagnostics (unknown roles and levels) and by completion (what is
//! being typed at the cursor).

use std::ops::Range;

/// A token in a document; ranges are byte offsets into the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// From the `@` to the end of the level (or of the role, if no `/`).
    pub range: Range<usize>,
    pub role: Range<usize>,
    /// After the `/`; empty when nothing follows the slash yet.
    pub level: Option<Range<usize>>,
}

fn is_role_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

fn is_level_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.'
}

/// Whether an `@` at `at` can start a token: not inside a word, an
/// e-mail address or a path (`https://medium.com/@pm/launch-notes` names
/// a writer, not the role `pm`).
fn can_start(bytes: &[u8], at: usize) -> bool {
    at == 0 || !(is_level_char(bytes[at - 1]) || matches!(bytes[at - 1], b'@' | b'/'))
}

/// Parses the token whose `@` is at `at`, allowing an empty role or level
/// (what completion sees while the user types).
pub fn parse_at(text: &str, at: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'@') || !can_start(bytes, at) {
        return None;
    }
    let role_start = at + 1;
    let mut i = role_start;
    while i < bytes.len() && is_role_char(bytes[i]) {
        i += 1;
    }
    let role = role_start..i;
    if bytes.get(i) != Some(&b'/') {
        return Some(Token {
            range: at..i,
            role,
            level: None,
        });
    }
    let level_start = i + 1;
    let mut j = level_start;
    while j < bytes.len() && is_level_char(bytes[j]) {
        j += 1;
    }
    // A sentence's full stop is not part of the level.
    while j > level_start && matches!(bytes[j - 1], b'.' | b'-') {
        j -= 1;
    }
    Some(Token {
        range: at..j,
        role,
        level: Some(level_start..j),
    })
}

/// Every complete token (`@role/level`, both parts non-empty) in `text`.
pub fn find(text: &str) -> Vec<Token> {
    memchr::memchr_iter(b'@', text.as_bytes())
        .filter_map(|at| parse_at(text, at))
        .filter(|t| !t.role.is_empty() && t.level.as_ref().is_some_and(|l| !l.is_empty()))
        .collect()
}

/// The token being typed with the cursor at byte `cursor`: the nearest
/// `@` before it on the same line with only token characters between.
pub fn at_cursor(text: &str, cursor: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    let cursor = cursor.min(bytes.len());
    let mut i = cursor;
    let mut slashes = 0;
    while i > 0 {
        let c = bytes[i - 1];
        if c == b'@' {
            let t = parse_at(text, i - 1)?;
            return (t.range.end >= cursor).then_some(t);
        }
        if c == b'/' {
            slashes += 1;
            if slashes > 1 {
                return None;
            }
        } else if !is_level_char(c) {
            return None;
        }
        i -= 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s<'a>(t: &'a str, r: &Range<usize>) -> &'a str {
        &t[r.clone()]
    }

    #[test]
    fn finds_complete_tokens_not_emails() {
        let t = "see @ae/p2. and bob@ae/p2 and @ae and @ae/ and (@x-y/L3) and https://medium.com/@ae/p2-notes";
        let found: Vec<&str> = find(t).iter().map(|k| s(t, &k.range)).collect();
        assert_eq!(found, ["@ae/p2", "@x-y/L3"]);
    }

    #[test]
    fn cursor_inside_or_after_a_token() {
        let t = "x @ae/p2 y";
        let k = at_cursor(t, 8).unwrap();
        assert_eq!(s(t, &k.range), "@ae/p2");
        let k = at_cursor(t, 5).unwrap();
        assert_eq!(
            s(t, &k.range),
            "@ae/p2",
            "the whole token, also what follows the cursor"
        );
        let t2 = "x @a";
        let k = at_cursor(t2, 4).unwrap();
        assert_eq!((s(t2, &k.role), k.level), ("a", None));
        let t3 = "x @ae/";
        let k = at_cursor(t3, 6).unwrap();
        assert_eq!(k.level, Some(6..6));
        assert!(at_cursor("x @ae/p2 y", 10).is_none());
        assert!(at_cursor("a@b", 3).is_none());
    }
}
