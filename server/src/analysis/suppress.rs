//! Suppression comments, as markdownlint has them:
//! `<!-- goalframe-disable CODE... -->` … `<!-- goalframe-enable CODE... -->`,
//! `<!-- goalframe-disable-next-line CODE... -->` and
//! `<!-- goalframe-disable-line CODE... -->`; no codes means every code.

use super::scan::Ahead;
use super::{Code, Finding};
use crate::lines::{splice_offsets, Lines};

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

/// How every directive starts.
const OPENER: &[u8] = b"<!-- goalframe-";

/// Where the text's directives start (offsets of [`OPENER`], in order).
/// A session keeps them across edits, so a keystroke in a large draft
/// does not search all of it for a comment again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directives(Vec<usize>);

/// Where [`OPENER`] occurs in `bytes`. Found by its `<`, which prose
/// seldom holds: quicker than a substring search, whose byte-pair
/// prefilter stops at every block marker and on common letters. (Its
/// occurrences cannot overlap: `<` is only its first byte.)
fn openers(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'<', bytes).filter(|&i| bytes[i..].starts_with(OPENER))
}

impl Directives {
    pub fn new(text: &str) -> Directives {
        Directives(openers(text.as_bytes()).collect())
    }

    /// After `range` of the text they were found in was replaced by
    /// `new_len` bytes (`text` is the text after): openers before the
    /// edit stay, those after it move, and only the edit's surroundings
    /// are searched.
    pub fn edit(&mut self, text: &str, range: std::ops::Range<usize>, new_len: usize) {
        let (a, b) = (range.start, range.end);
        let p = OPENER.len();
        // An opener ending before the edit, or starting after it, is
        // intact; one across its edges is looked for again.
        let keep = self.0.partition_point(|&s| s + p <= a);
        let tail = self.0.partition_point(|&s| s < b).max(keep);
        // Every opener that overlaps the new bytes, and none that starts
        // after them (those moved).
        let from = a.saturating_sub(p - 1);
        let to = (a + new_len + p - 1).min(text.len());
        let fresh: Vec<usize> = openers(&text.as_bytes()[from..to])
            .map(|i| i + from)
            .collect();
        splice_offsets(&mut self.0, keep..tail, fresh, b - a, new_len);
    }
}

/// The directives of a document, in order.
fn events(text: &str, lines: &Lines, directives: &Directives) -> Vec<Event> {
    let mut out = Vec::new();
    // Kept between openers: many with no close cost the text's length once.
    let mut closes = Ahead::new(text.as_bytes(), b"-->");
    for &at in &directives.0 {
        // None after this opener: none after the later ones either.
        let Some(close) = closes.at_or_after(at) else {
            break;
        };
        if let Some((d, codes)) = parse(&text[at..close + 3]) {
            out.push((lines.line_of(at), d, codes));
        }
    }
    out
}

/// Drops the findings a suppression comment covers, one at a time:
/// they must be asked about in order of their start offsets. A stream,
/// so an editor shown the first thousand findings of a large draft does
/// not have all of them collected to have them filtered.
pub struct Suppressor<'a> {
    lines: &'a Lines,
    events: Vec<Event>,
    /// Line-scoped directives: (line they silence, code).
    silenced: std::collections::HashSet<(usize, usize)>,
    /// Block directives in force, by code.
    disabled: [bool; Code::COUNT],
    /// The first event not yet in force.
    next: usize,
}

impl<'a> Suppressor<'a> {
    pub fn new(text: &str, lines: &'a Lines, directives: &Directives) -> Suppressor<'a> {
        let events = if directives.0.is_empty() {
            Vec::new()
        } else {
            events(text, lines, directives)
        };
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
        Suppressor {
            lines,
            events,
            silenced,
            disabled: [false; Code::COUNT],
            next: 0,
        }
    }

    /// Whether the document has no directives (every finding is kept).
    pub fn is_idle(&self) -> bool {
        self.events.is_empty()
    }

    /// Whether `f`, the next finding in order, is kept.
    pub fn keeps(&mut self, f: &Finding) -> bool {
        if self.events.is_empty() {
            return true;
        }
        let line = self.lines.line_of(f.range.start);
        // Block directives take effect from their own line on.
        while let Some(&(at, d, codes)) = self.events.get(self.next) {
            if at > line {
                break;
            }
            for (slot, on) in self.disabled.iter_mut().zip(codes) {
                match (on, d) {
                    (true, Directive::Disable) => *slot = true,
                    (true, Directive::Enable) => *slot = false,
                    _ => {}
                }
            }
            self.next += 1;
        }
        let code = f.code as usize;
        !(self.disabled[code] || self.silenced.contains(&(line, code)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edited_directives_are_the_edited_texts() {
        // Openers made and broken at the edit's edges, typed a piece at a
        // time, and deleted.
        let mut rng = super::super::testing::Rng::new(5);
        let pieces = [
            "<!-- goalframe-",
            "<!--",
            " goal",
            "frame-",
            "x",
            "\n",
            "<!-- goalframe-<!-- goalframe-",
        ];
        let pick = |rng: &mut super::super::testing::Rng, n: usize| -> String {
            (0..n).map(|_| pieces[rng.below(pieces.len())]).collect()
        };
        let mut made = 0;
        for _ in 0..3000 {
            let n = rng.below(6);
            let mut text = pick(&mut rng, n);
            let mut directives = Directives::new(&text);
            for _ in 0..4 {
                let a = rng.below(text.len() + 1);
                let b = a + rng.below(text.len() + 1 - a);
                let n = rng.below(3);
                let new = pick(&mut rng, n);
                text.replace_range(a..b, &new);
                directives.edit(&text, a..b, new.len());
                let fresh = Directives::new(&text);
                made += fresh.0.len();
                assert_eq!(
                    directives, fresh,
                    "{text:?} after replacing {a}..{b} with {new:?}"
                );
            }
        }
        assert!(made > 1000, "the edits made openers: {made}");
    }

    /// Each directive runs to the first `-->` after its opener, however
    /// many openers share it or have none (the close is kept between them
    /// rather than searched for from each, which cost the square of the
    /// text's length on a line of unclosed openers).
    #[test]
    fn each_directive_ends_at_the_first_close_after_it() {
        let reference = |text: &str| -> Vec<Event> {
            let lines = Lines::new(text);
            Directives::new(text)
                .0
                .iter()
                .filter_map(|&at| {
                    let len = text[at..].find("-->")?;
                    let (d, codes) = parse(&text[at..at + len + 3])?;
                    Some((lines.line_of(at), d, codes))
                })
                .collect()
        };
        let pieces = [
            "<!-- goalframe-disable ",
            "<!-- goalframe-enable",
            "<!-- goalframe-disable-line ",
            "<!-- goalframe-disable-next-line",
            " unfilled-placeholder ",
            "-->",
            "--",
            ">",
            "\n",
            "x",
        ];
        let mut rng = super::super::testing::Rng::new(6);
        let mut found = 0;
        for _ in 0..5000 {
            let text: String = (0..rng.below(12))
                .map(|_| pieces[rng.below(pieces.len())])
                .collect();
            let want = reference(&text);
            found += want.len();
            assert_eq!(
                events(&text, &Lines::new(&text), &Directives::new(&text)),
                want,
                "{text:?}"
            );
        }
        assert!(found > 2000, "directives read: {found}");
        // One at the very start of the text.
        let t = "<!-- goalframe-disable -->";
        assert_eq!(events(t, &Lines::new(t), &Directives::new(t)).len(), 1);
    }
}
