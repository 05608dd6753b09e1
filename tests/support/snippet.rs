//! The one snippet expander of the tests: what an editor inserts for an
//! LSP snippet, and where its tabstops are.

/// Expands an LSP snippet (the TextMate-style grammar of the LSP spec:
/// `$n`, `${n}`, `${n:default}` with nesting, `\$ \} \\` escapes; a bare
/// `$n` after `${n:default}` mirrors the default) to the
/// text an editor would insert, and the tabstops as (number, byte range)
/// in that text. Panics on anything malformed, which is a test failure.
pub fn expand_snippet(snippet: &str) -> (String, Vec<(u32, std::ops::Range<usize>)>) {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = String::new();
    let mut stops = Vec::new();
    let mut i = 0;
    expand_into(&chars, &mut i, &mut out, &mut stops, false);
    // A bare `$n` after `${n:default}` mirrors the default, as editors do.
    let mut defaults: std::collections::HashMap<u32, String> = Default::default();
    let mut shift: isize = 0;
    let mut fixed = Vec::new();
    for (n, r) in stops {
        let r = (r.start as isize + shift) as usize..(r.end as isize + shift) as usize;
        if r.is_empty() && n != 0 {
            if let Some(d) = defaults.get(&n) {
                out.insert_str(r.start, d);
                shift += d.len() as isize;
                fixed.push((n, r.start..r.start + d.len()));
                continue;
            }
        }
        if !r.is_empty() {
            defaults
                .entry(n)
                .or_insert_with(|| out[r.clone()].to_string());
        }
        fixed.push((n, r));
    }
    let stops = fixed;
    assert_eq!(i, chars.len(), "unbalanced snippet");
    (out, stops)
}

fn expand_into(
    c: &[char],
    i: &mut usize,
    out: &mut String,
    stops: &mut Vec<(u32, std::ops::Range<usize>)>,
    nested: bool,
) {
    while *i < c.len() {
        match c[*i] {
            '\\' if *i + 1 < c.len() && matches!(c[*i + 1], '$' | '}' | '\\') => {
                out.push(c[*i + 1]);
                *i += 2;
            }
            '}' if nested => return,
            '}' => panic!("unescaped `}}` in snippet at char {}", *i),
            '$' => {
                *i += 1;
                let braced = c.get(*i) == Some(&'{');
                if braced {
                    *i += 1;
                }
                let start = *i;
                while *i < c.len() && c[*i].is_ascii_digit() {
                    *i += 1;
                }
                assert!(
                    *i > start,
                    "`$` not followed by a tabstop number at char {start}"
                );
                let n: u32 = c[start..*i]
                    .iter()
                    .collect::<String>()
                    .parse()
                    .expect("number");
                let at = out.len();
                if braced {
                    if c.get(*i) == Some(&':') {
                        *i += 1;
                        expand_into(c, i, out, stops, true);
                    }
                    assert_eq!(c.get(*i), Some(&'}'), "unterminated tabstop");
                    *i += 1;
                }
                stops.push((n, at..out.len()));
            }
            ch => {
                out.push(ch);
                *i += 1;
            }
        }
    }
    assert!(!nested, "unterminated placeholder");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_expand_with_escapes_nesting_and_mirrors() {
        let (text, stops) = expand_snippet("a ${1:⟨date⟩} \\$5 \\} ${2:x ${3:y}} $1 ${1} $0");
        assert_eq!(text, "a ⟨date⟩ $5 } x y ⟨date⟩ ⟨date⟩ ");
        let at = |n: u32| -> Vec<&str> {
            stops
                .iter()
                .filter(|s| s.0 == n)
                .map(|s| &text[s.1.clone()])
                .collect()
        };
        assert_eq!(at(1), ["⟨date⟩", "⟨date⟩", "⟨date⟩"]);
        assert_eq!(at(2), ["x y"]);
        assert_eq!(at(3), ["y"]);
        assert_eq!(at(0), [""]);
    }
}
