//! Who a goal document is for and which review cycle it belongs to
//! (docs/frames.md, "Document metadata"): YAML front matter at the top of
//! a markdown document (`---` … `---`), or `key: value` lines at the top
//! of a text document, ended by the first line that is not one.
//!
//! Keys: `owner` and `manager` (email addresses), `name`, `cycle` (a
//! label), `cycle_start` and `cycle_end` (dates in any form
//! [`super::date`] reads). Every problem is kept with its byte range: an
//! unknown key (with the known key it is closest to), a value that is not
//! an email or a date, a cycle that ends before it starts, YAML that does
//! not parse.

use std::ops::Range;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::date::{self, Day};
use crate::diagnostic::Code;
use crate::quote::quote;

/// The keys a document's metadata may set.
pub const KEYS: [&str; 6] = [
    "owner",
    "name",
    "manager",
    "cycle",
    "cycle_start",
    "cycle_end",
];

/// A review cycle: a label, its first and its last day (each optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cycle {
    pub label: Option<String>,
    pub start: Option<Day>,
    pub end: Option<Day>,
}

impl Cycle {
    /// This cycle, with what it leaves unset taken from `folder` (the
    /// document's own metadata wins, field by field).
    pub fn or(&self, folder: Option<&Cycle>) -> Cycle {
        let Some(f) = folder else {
            return self.clone();
        };
        Cycle {
            label: self.label.clone().or_else(|| f.label.clone()),
            start: self.start.or(f.start),
            end: self.end.or(f.end),
        }
    }

    /// How a message names the cycle: its label, else the day it starts
    /// (`the cycle from 2027-01-01`); `None` when it has neither.
    pub fn named(&self) -> Option<String> {
        self.label
            .clone()
            .or_else(|| Some(format!("the cycle from {}", self.start?)))
    }

    /// Whether `day` falls inside the cycle (always, when it has no ends).
    pub fn contains(&self, day: Day) -> bool {
        self.start.is_none_or(|s| day >= s) && self.end.is_none_or(|e| day <= e)
    }

    /// `value`, a date of no form, in one that reads
    /// ([`date::written_as`]), or, when it names no year, with the year
    /// that puts it inside this cycle ([`date::written_within`]); then
    /// with the words that say where the year came from.
    pub fn written(&self, value: &str) -> Option<(String, &'static str)> {
        date::written_as(value).map(|f| (f, "")).or_else(|| {
            let (start, end) = (self.start?, self.end?);
            date::written_within(value, start, end)
                .map(|f| (f, ", the one inside the review cycle"))
        })
    }

    /// What a message adds for a date of no form: how to write it, if
    /// [`Cycle::written`] knows.
    pub fn write_it_as(&self, value: &str) -> Option<String> {
        self.written(value).map(|(f, why)| date::advice(&f, why))
    }
}

/// One problem with the metadata, where it is in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `invalid-metadata`, or `hidden-character` for a value holding one.
    pub code: Code,
    pub range: Range<usize>,
    pub message: String,
    /// The keys this problem leaves unset (every key, when the front
    /// matter does not parse): what explains a missing `owner`.
    pub unset: &'static [&'static str],
    /// What to write over `range` instead, where the problem says it
    /// (the key meant, the address inside `Lee <lee@example.com>`): the
    /// editor's quick fix.
    pub instead: Option<String>,
}

/// A document's metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The whole front matter (fences included) or the header lines, with
    /// their line endings: nothing in it is a placeholder, token or row.
    pub range: Range<usize>,
    pub owner: Option<String>,
    pub name: Option<String>,
    pub manager: Option<String>,
    pub cycle: Cycle,
    pub problems: Vec<Problem>,
}

/// The metadata at the top of `text`, if it has any. `markdown`: front
/// matter; otherwise header lines.
pub fn read(text: &str, markdown: bool) -> Option<Metadata> {
    if markdown {
        front_matter(text)
    } else {
        header_lines(text)
    }
}

/// The line at `at`: its content (without the line ending) and where the
/// next line starts.
fn line_at(text: &str, at: usize) -> (&str, usize) {
    let rest = &text[at..];
    match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
        Some(i) => {
            let end = if rest[i..].starts_with("\r\n") {
                i + 2
            } else {
                i + 1
            };
            (&rest[..i], at + end)
        }
        None => (rest, text.len()),
    }
}

/// Whether a markdown document's first line opens front matter (which is
/// front matter only once a later line closes it).
pub fn opens_front_matter(text: &str) -> bool {
    line_at(text, 0).0.trim_end() == "---"
}

/// A line that closes front matter.
fn is_closing_fence(line: &str) -> bool {
    matches!(line.trim_end(), "---" | "...")
}

/// Whether any line after the first that overlaps `range` (its ends
/// included) is a closing fence: where an edit can close front matter
/// that nothing closed before.
pub fn closing_fence_in(text: &str, range: Range<usize>) -> bool {
    let mut at =
        memchr::memrchr2(b'\n', b'\r', &text.as_bytes()[..range.start]).map_or(0, |i| i + 1);
    while at <= range.end && at < text.len() {
        let (line, next) = line_at(text, at);
        if at > 0 && is_closing_fence(line) {
            return true;
        }
        at = next;
    }
    false
}

fn front_matter(text: &str) -> Option<Metadata> {
    if !opens_front_matter(text) {
        return None;
    }
    let body_start = line_at(text, 0).1;
    let mut at = body_start;
    let body_end = loop {
        if at >= text.len() {
            // No closing fence: a thematic break, not front matter.
            return None;
        }
        let (line, next) = line_at(text, at);
        if is_closing_fence(line) {
            break (at, next);
        }
        at = next;
    };
    let mut m = Metadata {
        range: 0..body_end.1,
        ..Metadata::default()
    };
    // The closing fence comes along for ranges only: an error at the end
    // of the YAML (an unclosed `[`) is shown on the fence that ended it.
    let shown = &text[body_start..body_end.1];
    yaml(shown, body_end.0 - body_start, body_start, &mut m);
    Some(m)
}

/// Events with their positions, as the parser gives them.
#[derive(Default)]
struct Events(Vec<(Event, Marker)>);

impl MarkedEventReceiver for Events {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        self.0.push((ev, mark));
    }
}

/// Byte offsets in `body` of the parser's positions (characters from its
/// start; its lines would need YAML's line breaks, a lone `\r` among
/// them), counted on from the last one asked for: the marks asked for come
/// in order, so a long front matter costs its length once, not once per key.
struct Offsets<'a> {
    body: &'a str,
    chars: usize,
    bytes: usize,
}

impl<'a> Offsets<'a> {
    fn new(body: &'a str) -> Offsets<'a> {
        Offsets {
            body,
            chars: 0,
            bytes: 0,
        }
    }

    fn of(&mut self, mark: &Marker) -> usize {
        let want = mark.index();
        if want < self.chars {
            (self.chars, self.bytes) = (0, 0);
        }
        for c in self.body[self.bytes..].chars() {
            if self.chars == want {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }
}

/// The rest of the line from `at`, less trailing spaces and tabs (YAML's
/// white space: an ideographic space is text to it, so it is kept). When
/// that is nothing, the character at `at` whole, so the range is never
/// empty where there is a character to show.
fn to_line_end(body: &str, at: usize) -> Range<usize> {
    let at = at.min(body.len());
    let (line, _) = line_at(body, at);
    let end = at + line.trim_end_matches([' ', '\t']).len();
    if end > at {
        return at..end;
    }
    at..at + body[at..].chars().next().map_or(0, char::len_utf8)
}

fn yaml(shown: &str, body_len: usize, base: usize, m: &mut Metadata) {
    let body = &shown[..body_len];
    let mut events = Events::default();
    let mut parser = Parser::new_from_str(body);
    let mut offsets = Offsets::new(body);
    if let Err(e) = parser.load(&mut events, false) {
        let range = to_line_end(shown, offsets.of(e.marker()));
        m.problems.push(Problem {
            code: Code::InvalidMetadata,
            range: base + range.start..base + range.end,
            message: format!("front matter is not valid YAML: {}", e.info()),
            unset: &KEYS,
            instead: None,
        });
        return;
    }
    let events = events.0;
    // StreamStart, then (DocumentStart, MappingStart, pairs, MappingEnd,
    // DocumentEnd) when there is anything at all.
    let mut i = events
        .iter()
        .position(|(e, _)| matches!(e, Event::DocumentStart))
        .map_or(events.len(), |i| i + 1);
    match events.get(i) {
        Some((Event::MappingStart(..), _)) => i += 1,
        Some((Event::Scalar(s, ..), _)) if s.is_empty() => return,
        Some((Event::DocumentEnd | Event::StreamEnd, _)) | None => return,
        Some((_, mark)) => {
            let at = offsets.of(mark);
            let r = to_line_end(shown, at);
            m.problems.push(Problem {
                code: Code::InvalidMetadata,
                range: base + r.start..base + r.end,
                message: "front matter must be `key: value` lines".into(),
                unset: &KEYS,
                instead: None,
            });
            return;
        }
    }
    let mut seen: Vec<&'static str> = Vec::new();
    // Made at the first alias, if there is one.
    let mut anchors = None;
    while let Some((ev, mark)) = events.get(i) {
        let key = match ev {
            Event::MappingEnd => break,
            Event::Scalar(k, ..) => k.clone(),
            _ => {
                let at = offsets.of(mark);
                let r = to_line_end(shown, at);
                m.problems.push(Problem {
                    code: Code::InvalidMetadata,
                    range: base + r.start..base + r.end,
                    message: "front matter keys are plain words".into(),
                    // What follows is not read.
                    unset: &KEYS,
                    instead: None,
                });
                return;
            }
        };
        let key_at = offsets.of(mark);
        // A plain key is its text; a quoted or escaped one is not, so its
        // line stands for it.
        let key_range = if !key.is_empty() && body[key_at..].starts_with(key.as_str()) {
            base + key_at..base + key_at + key.len()
        } else {
            let r = to_line_end(shown, key_at);
            base + r.start..base + r.end
        };
        i += 1;
        let Some((value_ev, value_mark)) = events.get(i) else {
            break;
        };
        // An empty plain value (`owner:`) has no text: the parser marks
        // whatever comes next, often the next key's line, so the key's own
        // line stands for it.
        let empty = matches!(value_ev, Event::Scalar(v, TScalarStyle::Plain, ..) if v.is_empty());
        let value_range = {
            let r = to_line_end(
                shown,
                if empty {
                    key_at
                } else {
                    offsets.of(value_mark)
                },
            );
            base + r.start..base + r.end
        };
        // A nested list or map: skip it whole.
        let value = match value_ev {
            Event::Scalar(v, ..) => {
                i += 1;
                Some(v.clone())
            }
            // `manager: *lead`, where `owner: &lead …` named a value
            // above: YAML's value is the one named. (An alias of a list
            // or map is one too.)
            Event::Alias(id) => {
                i += 1;
                let anchors = anchors.get_or_insert_with(|| scalar_anchors(&events));
                anchors
                    .binary_search_by_key(id, |(a, _)| *a)
                    .ok()
                    .map(|k| anchors[k].1.to_string())
            }
            _ => {
                let mut depth = 0usize;
                while let Some((e, _)) = events.get(i) {
                    i += 1;
                    match e {
                        Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
                        Event::SequenceEnd | Event::MappingEnd => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ if depth == 0 => break,
                        _ => {}
                    }
                }
                None
            }
        };
        set(m, &mut seen, &key, key_range, value, value_range);
    }
}

/// The scalars that have an anchor (`&lead`), by its id: the parser
/// numbers anchors as they come, so the list is in the ids' order.
fn scalar_anchors(events: &[(Event, Marker)]) -> Vec<(usize, &str)> {
    events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Scalar(v, _, anchor, _) if *anchor > 0 => Some((*anchor, v.as_str())),
            _ => None,
        })
        .collect()
}

fn header_lines(text: &str) -> Option<Metadata> {
    let mut m = Metadata::default();
    let mut seen: Vec<&'static str> = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let (line, next) = line_at(text, at);
        let Some((key, value)) = header_line(line) else {
            break;
        };
        let value_start = at + line.len() - line[key.len() + 1..].trim_start().len();
        let value = value.trim_end();
        // An empty value has no text; the line (`owner:`) stands for it.
        let value_range = if value.is_empty() {
            at..at + line.trim_end().len()
        } else {
            value_start..value_start + value.len()
        };
        set(
            &mut m,
            &mut seen,
            key,
            at..at + key.len(),
            Some(value.to_string()),
            value_range,
        );
        at = next;
        m.range.end = next;
    }
    if m.range.end == 0 {
        return None;
    }
    Some(m)
}

/// `key: value` with a lower-case word for a key.
fn header_line(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let mut chars = key.chars();
    let word = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    (word && (value.is_empty() || value.starts_with([' ', '\t'])))
        .then(|| (key, value.trim_start()))
}

/// Takes one `key: value`.
fn set(
    m: &mut Metadata,
    seen: &mut Vec<&'static str>,
    key: &str,
    key_range: Range<usize>,
    value: Option<String>,
    value_range: Range<usize>,
) {
    // What the last problem says to write instead, set once it is made.
    let mut instead = None;
    // `unset`: the keys a problem leaves unset (none for an unknown key or
    // a second value; the key itself otherwise).
    let mut problem = |range: Range<usize>, message: String, unset: &'static [&'static str]| {
        m.problems.push(Problem {
            code: Code::InvalidMetadata,
            range,
            message,
            unset,
            instead: None,
        })
    };
    let Some(i) = KEYS.iter().position(|k| *k == key) else {
        if key.is_empty() {
            problem(
                key_range,
                format!("a metadata key is empty; known keys: {}", KEYS.join(", ")),
                &[],
            );
            return;
        }
        let meant = crate::canon::did_you_mean(key, &KEYS);
        let hint = meant
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_else(|| format!("; known keys: {}", KEYS.join(", ")));
        problem(
            key_range,
            format!("unknown metadata key `{}`{hint}", quote(key)),
            &[],
        );
        if let (Some(k), Some(p)) = (meant, m.problems.last_mut()) {
            p.instead = Some(k.to_string());
        }
        return;
    };
    let known = KEYS[i];
    if seen.contains(&known) {
        // The first value stays.
        problem(key_range, format!("`{known}` is set twice"), &[]);
        return;
    }
    let this = &KEYS[i..=i];
    seen.push(known);
    let Some(value) = value.map(|v| v.trim().to_string()) else {
        problem(
            value_range.clone(),
            format!("`{known}` takes one value, not a list or a map"),
            this,
        );
        return;
    };
    // A value holding a character that does not show is not taken: it
    // would reach the HR system as it is.
    let found = crate::hidden::find(&value);
    if !found.is_empty() {
        m.problems.push(Problem {
            code: Code::HiddenCharacter,
            message: crate::hidden::message(&format!("`{known}`"), &value, &found),
            range: value_range,
            unset: this,
            instead: None,
        });
        return;
    }
    // An empty value sets nothing, so `goalframe.toml`'s cycle still holds;
    // a key that needs a form says what it is waiting for.
    if value.is_empty() {
        let form = match known {
            "owner" | "manager" => "an email address such as lee.moreno@example.com",
            "cycle_start" | "cycle_end" => "a date such as 2027-06-30",
            _ => return,
        };
        problem(
            value_range,
            format!("`{known}` is empty; it takes {form}"),
            this,
        );
        return;
    }
    match known {
        "owner" | "manager" => {
            if is_email(&value) {
                if known == "owner" {
                    m.owner = Some(value);
                } else {
                    m.manager = Some(value);
                }
            } else {
                // `Lee Moreno <lee@example.com>` as a mail program copies
                // it, `mailto:lee@example.com` as a link does: the address
                // inside is what was meant.
                let inside = address_in(&value);
                let write = inside.map_or(String::new(), |a| format!("; write `{a}`"));
                problem(value_range.clone(), format!("`{known}` is an email address such as lee.moreno@example.com, not `{}`{write}", quote(&value)), this);
                instead = inside.map(str::to_string);
            }
        }
        "name" => m.name = Some(value),
        "cycle" => m.cycle.label = Some(value),
        _ => match date::read(&value) {
            Ok(day) if known == "cycle_start" => m.cycle.start = Some(day),
            Ok(day) => m.cycle.end = Some(day),
            Err(why) => problem(
                value_range.clone(),
                match date::no_such_day(&quote(&value), why) {
                    Some(no_day) => format!("`{known}`: {no_day}"),
                    None => match date::write_it_as(&value) {
                        Some(how) => format!("`{known}` is a date, not `{}`: {how}", quote(&value)),
                        None => format!("`{known}` is a date (2027-06-30, 2027-06, 2027-Q2, H1 2027, 30 June 2027), not `{}`", quote(&value)),
                    },
                },
                this,
            ),
        },
    }
    if known == "cycle_end" {
        if let (Some(s), Some(e)) = (m.cycle.start, m.cycle.end) {
            if e < s {
                m.cycle.end = None;
                problem(
                    value_range,
                    format!("the cycle ends ({e}) before it starts ({s})"),
                    this,
                );
            }
        }
    }
    if let (Some(instead), Some(p)) = (instead, m.problems.last_mut()) {
        p.instead = Some(instead);
    }
}

/// `local@domain.tld`: what a person would call an email address, not
/// RFC 5322's every corner. The local part takes letters, digits and the
/// punctuation RFC 5322 allows there unquoted (`.`, `+`, `-`, `_`, `'`
/// among it); the domain letters, digits and `-`, in two or more labels.
/// An HR system's import takes nothing else: not
/// `mailto:lee@example.com`, nor `Lee <lee@example.com>`.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.chars().all(in_local_part)
        && domain.split('.').count() >= 2
        && domain
            .split('.')
            .all(|label| !label.is_empty() && label.chars().all(in_domain))
}

fn in_local_part(c: char) -> bool {
    c.is_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c)
}

fn in_domain(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// The one email address inside `value` that is not one itself
/// (`Lee <lee@example.com>`, `mailto:lee@example.com`), if there is one.
fn address_in(value: &str) -> Option<&str> {
    let (before, after) = value.split_once('@')?;
    if after.contains('@') {
        return None;
    }
    // Back from the `@` to what cannot be in an address (`<`, `:`, a
    // space), then past what starts no address though it may be inside
    // one (`'lee@…'` quoted, but `o'brien@…`).
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| in_local_part(c))
        .last()
        .map_or(before.len(), |(i, _)| i);
    let start = before.len()
        - before[start..]
            .trim_start_matches(['\'', '/', '=', '.'])
            .len();
    let end = before.len()
        + 1
        + after
            .char_indices()
            .find(|&(_, c)| !(in_domain(c) || c == '.'))
            .map_or(after.len(), |(i, _)| i);
    let found = value[start..end].trim_end_matches('.');
    is_email(found).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str, markdown: bool) -> Vec<(String, String)> {
        read(text, markdown)
            .expect("metadata")
            .problems
            .into_iter()
            .map(|p| (text[p.range].to_string(), p.message))
            .collect()
    }

    #[test]
    fn front_matter_is_read_with_its_cycle() {
        let text = "---\nowner: lee.moreno@example.com\nname: Lee Moreno 李\nmanager: sam@example.com\ncycle: FY2027 H1\ncycle_start: 2027-01-01\ncycle_end: H1 2027\n---\n# Goals\n";
        let m = read(text, true).expect("front matter");
        assert_eq!(
            &text[m.range.clone()],
            &text[..text.find("# Goals").unwrap()]
        );
        assert_eq!(m.owner.as_deref(), Some("lee.moreno@example.com"));
        assert_eq!(m.name.as_deref(), Some("Lee Moreno 李"));
        assert_eq!(m.cycle.label.as_deref(), Some("FY2027 H1"));
        assert_eq!(m.cycle.start, Day::new(2027, 1, 1));
        assert_eq!(m.cycle.end, Day::new(2027, 6, 30));
        assert!(m.problems.is_empty(), "{:?}", m.problems);
    }

    /// An alias (`*lead`) is the value its anchor (`&lead`) names, as YAML
    /// reads it; an alias of a list is still a list, and one that names
    /// nothing is not read (the parser reports it).
    #[test]
    fn an_alias_is_the_value_it_names() {
        let text = "---\nowner: &lead lee.moreno@example.com\nteam: &t [a, b]\nmanager: *lead\nname: *t\n---\n";
        let m = read(text, true).expect("front matter");
        assert_eq!(m.owner.as_deref(), Some("lee.moreno@example.com"));
        assert_eq!(m.manager.as_deref(), Some("lee.moreno@example.com"));
        assert_eq!(
            problems(text, true),
            [
                ("team".to_string(), "unknown metadata key `team`; known keys: owner, name, manager, cycle, cycle_start, cycle_end".to_string()),
                ("*t".to_string(), "`name` takes one value, not a list or a map".to_string()),
            ]
        );
        // Anchors named again: the nearest one above counts.
        let again = "---\nowner: &a x@example.com\ncycle: &a FY2027 H1\nmanager: *a\n---\n";
        let m = read(again, true).expect("front matter");
        assert_eq!(m.manager, None);
        assert!(
            m.problems
                .iter()
                .any(|p| p.message.contains("not `FY2027 H1`")),
            "{:?}",
            m.problems
        );
    }

    #[test]
    fn problems_are_located_on_their_key_or_value() {
        let text = "---\r\nownr: 李 <x>\r\nowner: not an email\r\ncycle_start: 2027-07-01\r\ncycle_end: 2027-02-30\r\nmanager: [a, b]\r\n---\r\n";
        assert_eq!(
            problems(text, true),
            [
                ("ownr".to_string(), "unknown metadata key `ownr`; did you mean `owner`?".to_string()),
                ("not an email".to_string(), "`owner` is an email address such as lee.moreno@example.com, not `not an email`".to_string()),
                ("2027-02-30".to_string(), "`cycle_end`: `2027-02-30` is not a day: February 2027 has 28 days".to_string()),
                ("[a, b]".to_string(), "`manager` takes one value, not a list or a map".to_string()),
            ]
        );
        let no_form = "---\ncycle_end: end of June\n---\n";
        assert_eq!(
            problems(no_form, true),
            [(
                "end of June".to_string(),
                "`cycle_end` is a date (2027-06-30, 2027-06, 2027-Q2, H1 2027, 30 June 2027), not `end of June`".to_string()
            )]
        );
        let written_otherwise = "---\ncycle_end: June 30th, 2027\n---\n";
        assert_eq!(
            problems(written_otherwise, true),
            [(
                "June 30th, 2027".to_string(),
                "`cycle_end` is a date, not `June 30th, 2027`: write it as `2027-06-30`"
                    .to_string()
            )]
        );
        let ends_early = "---\ncycle_start: 2027-07-01\ncycle_end: 2027-06-30\n---\n";
        assert_eq!(
            problems(ends_early, true),
            [(
                "2027-06-30".to_string(),
                "the cycle ends (2027-06-30) before it starts (2027-07-01)".to_string()
            )]
        );
    }

    #[test]
    fn yaml_errors_are_located() {
        let text = "---\nowner: a@b.co\nname: \"unclosed\n---\nx\n";
        let p = problems(text, true);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].1.starts_with("front matter is not valid YAML"),
            "{p:?}"
        );
        // Found at the end of the YAML: shown on the fence that ended it.
        let p = problems("---\nname: [unclosed\n---\n# Goals\n", true);
        assert_eq!(p[0].0, "---", "{p:?}");
    }

    /// YAML counts a lone `\r` as a line break, as the analysis does; the
    /// parser's positions were read by `\n` alone, so a front matter with
    /// old Mac line ends put its problems lines further down, and a key's
    /// length added there could end inside a character.
    #[test]
    fn problems_are_located_with_every_line_break_and_quoted_keys() {
        let text = "---\r\rcolour: blue\r\nowner: x\rname: [\r---\r# Goals\n";
        let m = read(text, true).expect("front matter");
        assert_eq!(
            &text[m.range.clone()],
            "---\r\rcolour: blue\r\nowner: x\rname: [\r---\r"
        );
        let p = problems(text, true);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].1.contains("not valid YAML"), "{p:?}");
        let p = problems("---\r\ra: 1\r\n  b: 2\rc: 3\r---\r", true);
        assert_eq!(p[0].0, ": 2", "{p:?}");
        let p = problems("---\r\rcolour: blue\r\nowner: x\r---\r", true);
        assert_eq!(p[0].0, "colour", "{p:?}");
        assert_eq!(p[1].0, "x", "{p:?}");
        // A quoted key is not its text: its line stands for it, whole
        // characters only.
        let p = problems("---\n\"é\u{1F600}\": x\n'ké''y': y\n---\n", true);
        assert_eq!(p[0].0, "\"é\u{1F600}\": x", "{p:?}");
        assert_eq!(p[1].0, "'ké''y': y", "{p:?}");
        // An error found at white space that is more than one byte: that
        // character, whole.
        let p = problems(
            "---\nowner: a@b.co\n\u{3000}\u{a0}\n\u{3000}\u{a0}\n---\n",
            true,
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].1.contains("not valid YAML"), "{p:?}");
    }

    /// An empty plain value has no text of its own: YAML marks what comes
    /// next, which put `owner:`'s problem on the next key's line. And a line
    /// of wide white space alone is text to YAML, so its problem is that
    /// character, not an empty range.
    #[test]
    fn empty_values_are_placed_on_their_key_line_and_set_nothing() {
        let text = "---\nowner:\n\nname: x\ncycle_end:   \ncycle:\n---\n";
        let m = read(text, true).expect("front matter");
        assert_eq!(
            problems(text, true),
            [
                (
                    "owner:".to_string(),
                    "`owner` is empty; it takes an email address such as lee.moreno@example.com"
                        .to_string()
                ),
                (
                    "cycle_end:".to_string(),
                    "`cycle_end` is empty; it takes a date such as 2027-06-30".to_string()
                ),
            ]
        );
        // An empty cycle label leaves the folder's in place.
        assert_eq!(m.cycle.label, None);
        let p = problems("owner:\t\ncycle_start: \n\nGoals\n", false);
        assert_eq!(p[0].0, "owner:", "{p:?}");
        assert_eq!(p[1].0, "cycle_start:", "{p:?}");
        // An empty key, plain or quoted: its line.
        let p = problems("---\n: x\n\"\": y\n---\n", true);
        assert_eq!(p[0].0, ": x", "{p:?}");
        assert!(p[0].1.starts_with("a metadata key is empty"), "{p:?}");
        assert_eq!(p[1].0, "\"\": y", "{p:?}");
        assert_eq!(read(": x\n\nGoals\n", false), None);
        let p = problems("---\n\u{3000}\n---\n", true);
        assert_eq!(
            p,
            [(
                "\u{3000}".to_string(),
                "front matter must be `key: value` lines".to_string()
            )]
        );
    }

    #[test]
    fn header_lines_end_at_the_first_other_line() {
        let text = "owner: lee@example.com\ncycle_end: Q2 2027\ncolour: blue\n\nGoals: more\n";
        let m = read(text, false).expect("header lines");
        assert_eq!(
            &text[m.range.clone()],
            "owner: lee@example.com\ncycle_end: Q2 2027\ncolour: blue\n"
        );
        assert_eq!(m.cycle.end, Day::new(2027, 6, 30));
        assert_eq!(problems(text, false)[0].0, "colour");
        assert_eq!(read("Goals: more\nowner: a@b.co\n", false), None);
        assert_eq!(read("# Title\n", true), None);
        assert_eq!(read("---\nno closing fence\n", true), None);
    }

    #[test]
    fn emails_are_what_people_write() {
        for ok in ["a@b.co", "lee.moreno+hr@example.co.uk"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@b.co",
            "a@b..co",
            "a b@c.co",
            "a@b@c.co",
            "mailto:a@b.co",
            "<a@b.co>",
            "Lee <a@b.co>",
            "a@b.co;",
            "a@b.co,c@d.co",
            "a@b_c.co",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        // What a mail program or a link wraps an address in is found.
        for (value, inside) in [
            (
                "Lee Moreno <lee.moreno@example.com>",
                Some("lee.moreno@example.com"),
            ),
            ("mailto:lee@example.com", Some("lee@example.com")),
            ("lee@example.com;", Some("lee@example.com")),
            ("(lee+hr@example.co.uk)", Some("lee+hr@example.co.uk")),
            ("lee@example.com.", Some("lee@example.com")),
            (
                "Dara O'Brien <o'brien@example.com>",
                Some("o'brien@example.com"),
            ),
            ("'lee@example.com'", Some("lee@example.com")),
            ("a@b.co, c@d.co", None),
            ("Lee <lee@example>", None),
            ("no address", None),
        ] {
            assert_eq!(address_in(value), inside, "{value}");
        }
    }
}
