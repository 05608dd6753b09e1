//! Suppression comments, as markdownlint has them:
//! `<!-- goalframe-disable CODE... -->` … `<!-- goalframe-enable CODE... -->`,
//! `<!-- goalframe-disable-next-line CODE... -->` and
//! `<!-- goalframe-disable-line CODE... -->`; no codes means every code.

use super::lines::Lines;
use super::{Code, Finding};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Directive {
    Disable,
    Enable,
    DisableNextLine,
    DisableLine,
}

/// (line, directive, codes it names: all when every entry is true).
type Event = (usize, Directive, [bool; Code::COUNT]);

fn parse(comment: &str) -> Option<(Directive, [bool; Code::COUNT])> {
    let body = comment
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let mut words = body.split_whitespace();
    let d = match words.next()? {
        "goalframe-disable" => Directive::Disable,
        "goalframe-enable" => Directive::Enable,
        "goalframe-disable-next-line" => Directive::DisableNextLine,
        "goalframe-disable-line" => Directive::DisableLine,
        _ => return None,
    };
    let mut codes = [false; Code::COUNT];
    let mut any = false;
    for w in words {
        if let Ok(c) = w.parse::<Code>() {
            codes[c as usize] = true;
            any = true;
        }
    }
    Some((d, if any { codes } else { [true; Code::COUNT] }))
}

/// The directives of a document, in order.
fn events(text: &str, lines: &Lines) -> Vec<Event> {
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(text.as_bytes(), b"<!-- goalframe-") {
        let Some(len) = text[at..].find("-->") else {
            continue;
        };
        if let Some((d, codes)) = parse(&text[at..at + len + 3]) {
            out.push((lines.line_of(at), d, codes));
        }
    }
    out
}

/// Drops the findings a suppression comment covers. `findings` must be
/// sorted by start offset.
pub fn apply<F: std::borrow::Borrow<Finding>>(
    text: &str,
    lines: &Lines,
    findings: Vec<F>,
) -> Vec<F> {
    if memchr::memmem::find(text.as_bytes(), b"<!-- goalframe-").is_none() {
        return findings;
    }
    let events = events(text, lines);
    // Line-scoped directives: (line they silence, code).
    let mut silenced = std::collections::HashSet::new();
    for &(line, d, codes) in &events {
        let target = match d {
            Directive::DisableNextLine => line + 1,
            Directive::DisableLine => line,
            Directive::Disable | Directive::Enable => continue,
        };
        for (c, on) in codes.iter().enumerate() {
            if *on {
                silenced.insert((target, c));
            }
        }
    }
    // Block directives take effect from their own line on.
    let mut disabled = [false; Code::COUNT];
    let mut next = 0;
    findings
        .into_iter()
        .filter(|f| {
            let f = f.borrow();
            let line = lines.line_of(f.range.start);
            while next < events.len() && events[next].0 <= line {
                let (_, d, codes) = events[next];
                for (slot, on) in disabled.iter_mut().zip(codes) {
                    match (on, d) {
                        (true, Directive::Disable) => *slot = true,
                        (true, Directive::Enable) => *slot = false,
                        _ => {}
                    }
                }
                next += 1;
            }
            let code = f.code as usize;
            !(disabled[code] || silenced.contains(&(line, code)))
        })
        .collect()
}
