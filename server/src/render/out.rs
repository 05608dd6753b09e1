//! The output sink every layout writes through. It knows the two things
//! that differ between forms at the character level — how canon text is
//! escaped (markdown) and how placeholders are written (snippet tabstops) —
//! so the layouts never do.

use super::{Markup, Placeholder};

/// Accumulates one rendering.
pub struct Out {
    buf: String,
    markup: Markup,
    snippet: bool,
    next_tabstop: u32,
    /// The tabstop each placeholder has in the current row group.
    group: [Option<u32>; 3],
}

impl Out {
    pub fn new(markup: Markup, snippet: bool) -> Out {
        Out {
            buf: String::new(),
            markup,
            snippet,
            next_tabstop: 1,
            group: [None; 3],
        }
    }

    /// Fixed template text, written as is (already valid in the markup).
    pub fn lit(&mut self, s: &str) {
        if self.snippet {
            snippet_escape_into(&mut self.buf, s);
        } else {
            self.buf.push_str(s);
        }
    }

    /// Fixed template words that must read the same in every markup:
    /// escaped for markdown's inline syntax (e.g. `[source: …]`).
    pub fn text(&mut self, s: &str) {
        match self.markup {
            Markup::Text => self.lit(s),
            Markup::Markdown => {
                let escaped = markdown_escape_inline(s);
                self.lit(&escaped);
            }
        }
    }

    /// Canon text, escaped so that it renders (markdown) and expands
    /// (snippet) to exactly itself wherever a layout puts it.
    pub fn canon(&mut self, s: &str) {
        match self.markup {
            Markup::Text => self.lit(s),
            Markup::Markdown => {
                let escaped = markdown_escape(s);
                self.lit(&escaped);
            }
        }
    }

    /// A placeholder: the bare `⟨word⟩`, or a tabstop defaulting to it,
    /// linked to the same placeholder in the current row group.
    pub fn placeholder(&mut self, p: Placeholder) {
        if !self.snippet {
            self.buf.push_str(p.text());
            return;
        }
        // The first occurrence in a row group carries the default; later
        // ones are mirrors (`$3`), which every snippet engine links.
        match self.group[p as usize] {
            Some(n) => self.buf.push_str(&format!("${n}")),
            None => {
                let n = self.next_tabstop;
                self.next_tabstop += 1;
                self.group[p as usize] = Some(n);
                self.buf.push_str(&format!("${{{n}:{}}}", p.text()));
            }
        }
    }

    /// Starts a new row group: the same placeholder after this is a new
    /// tabstop (docs/frames.md).
    pub fn group(&mut self) {
        self.group = [None; 3];
    }

    /// The rendering; snippets end with the final tabstop `$0`.
    pub fn finish(mut self) -> String {
        if self.snippet {
            self.buf.push_str("$0");
        }
        self.buf
    }
}

/// Escapes `$`, `}` and `\` so that snippet expansion yields the text.
pub fn snippet_escape_into(buf: &mut String, s: &str) {
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\') {
            buf.push('\\');
        }
        buf.push(c);
    }
}

/// Undoes the escaping goalframe's markdown form applies to canon text
/// (backslash escapes of ASCII punctuation and the few character
/// references it writes), so quoted text compares with the canon. Into
/// `out` (cleared first): the caller reuses one buffer.
pub fn markdown_unescape_into(s: &str, out: &mut String) {
    const ENTITIES: [(&str, char); 5] = [
        ("&#32;", ' '),
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
    ];
    out.clear();
    let bytes = s.as_bytes();
    // Runs between escapes are copied whole.
    let (mut copied, mut at) = (0, 0);
    while let Some(i) = memchr::memchr2(b'\\', b'&', &bytes[at..]) {
        let i = at + i;
        let undone = if bytes[i] == b'\\' {
            bytes
                .get(i + 1)
                .filter(|n| n.is_ascii_punctuation())
                .map(|&n| (n as char, 2))
        } else {
            ENTITIES
                .iter()
                .find(|(e, _)| s[i..].starts_with(e))
                .map(|&(e, ch)| (ch, e.len()))
        };
        match undone {
            Some((ch, len)) => {
                out.push_str(&s[copied..i]);
                out.push(ch);
                copied = i + len;
                at = copied;
            }
            None => at = i + 1,
        }
    }
    out.push_str(&s[copied..]);
}

/// Escapes canon text for CommonMark + GFM so that it renders to exactly
/// itself wherever a layout puts it inline (list items, table cells,
/// headings, emphasis-free paragraphs).
///
/// Inline metacharacters are always backslash-escaped (`$` too, for
/// renderers with math); characters that
/// only matter at the start of a block (`-`, `+`, `=`, `1.`) are escaped
/// there; spaces at either end, which markdown would strip, become
/// character references.
pub fn markdown_escape(s: &str) -> String {
    escape(s, true)
}

/// Escapes only markdown's inline metacharacters, for template text in
/// the middle of a line.
pub fn markdown_escape_inline(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, block_start: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    if !block_start {
        push_escaped(&mut out, s, usize::MAX);
        return out;
    }
    let body = s.trim_matches(' ');
    let lead = s.len() - s.trim_start_matches(' ').len();
    let trail = if body.is_empty() {
        0
    } else {
        s.len() - s.trim_end_matches(' ').len()
    };
    out.push_str(&"&#32;".repeat(lead));
    if body.starts_with(['-', '+', '=']) {
        out.push('\\');
    }
    let digits = body.chars().take_while(|c| c.is_ascii_digit()).count();
    let marker_at = if digits > 0 && body[digits..].starts_with(['.', ')']) {
        digits
    } else {
        usize::MAX
    };
    push_escaped(&mut out, body, marker_at);
    out.push_str(&"&#32;".repeat(trail));
    out
}

/// Pushes `s` with inline metacharacters escaped, and the character at
/// byte `marker_at` (an ordered-list marker's `.` or `)`) too.
fn push_escaped(out: &mut String, s: &str, marker_at: usize) {
    for (i, c) in s.char_indices() {
        if i == marker_at
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '$'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabstops_link_within_a_group_and_not_across() {
        let mut o = Out::new(Markup::Text, true);
        o.placeholder(Placeholder::Baseline);
        o.placeholder(Placeholder::Date);
        o.placeholder(Placeholder::Date);
        o.group();
        o.placeholder(Placeholder::Date);
        o.lit("$}\\");
        assert_eq!(
            o.finish(),
            "${1:⟨baseline⟩}${2:⟨date⟩}$2${3:⟨date⟩}\\$\\}\\\\$0"
        );
    }

    #[test]
    fn markdown_escape_handles_block_starts_and_edges() {
        assert_eq!(markdown_escape("- a_b"), "\\- a\\_b");
        assert_eq!(markdown_escape("12. x"), "12\\. x");
        assert_eq!(markdown_escape(" x "), "&#32;x&#32;");
        assert_eq!(markdown_escape("a-b. c"), "a-b. c");
    }
}
