//! Dates as goal documents write them (docs/frames.md, "Filled goals"),
//! each resolved to one calendar day: `2027-06-30`; `2027-06` (the month's
//! last day); `2027-Q2` or `Q2 2027` (the quarter's last day); `2027-H1` or
//! `H1 2027` (the half's last day); `30 June 2027`, `30 Jun 2027`;
//! `June 30, 2027`, `Jun 30, 2027`. Case does not matter; anything else is
//! not a date.

use std::fmt;

/// One calendar day (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Day {
    /// The day, if it exists (`2027-02-30` does not).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Day { year, month, day })
    }

    /// The last day of `month` in `year`.
    pub fn month_end(year: i32, month: u8) -> Option<Day> {
        (1..=12)
            .contains(&month)
            .then(|| Day::new(year, month, days_in_month(year, month)))
            .flatten()
    }

    /// The last day of quarter `q` (1–4).
    pub fn quarter_end(year: i32, q: u8) -> Option<Day> {
        (1..=4)
            .contains(&q)
            .then(|| Day::month_end(year, q * 3))
            .flatten()
    }

    /// The last day of half `h` (1–2).
    pub fn half_end(year: i32, h: u8) -> Option<Day> {
        (1..=2)
            .contains(&h)
            .then(|| Day::month_end(year, h * 6))
            .flatten()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month's English name (`month` 1–12).
pub fn month_name(month: u8) -> &'static str {
    MONTHS[usize::from(month.clamp(1, 12) - 1)]
}

/// A month by its English name or the name's first three letters.
fn month_named(s: &str) -> Option<u8> {
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(s) || (s.len() == 3 && m[..3].eq_ignore_ascii_case(s)))
        .map(|i| i as u8 + 1)
}

/// Exactly `n` ASCII digits.
fn digits(s: &str, n: usize) -> Option<u32> {
    if s.len() != n {
        return None;
    }
    s.bytes().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// One or two ASCII digits (a day of the month).
fn day_number(s: &str) -> Option<u8> {
    match s.len() {
        1 | 2 => digits(s, s.len()).map(|d| d as u8),
        _ => None,
    }
}

/// `Q2` / `H1` (any case): the letter and the number.
fn period(s: &str) -> Option<(u8, u8)> {
    let b = s.as_bytes();
    (b.len() == 2 && b[1].is_ascii_digit()).then(|| (b[0].to_ascii_uppercase(), b[1] - b'0'))
}

fn period_end(year: i32, (kind, n): (u8, u8)) -> Result<Day, NotADay> {
    match kind {
        b'Q' => Day::quarter_end(year, n).ok_or(NotADay::Period(kind)),
        b'H' => Day::half_end(year, n).ok_or(NotADay::Period(kind)),
        _ => Err(NotADay::Form),
    }
}

/// The day a date value stands for, or `None` when it is none of the
/// forms above (surrounding white space is ignored).
pub fn parse(value: &str) -> Option<Day> {
    read(value).ok()
}

/// Why a value is no day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotADay {
    /// None of the forms.
    Form,
    /// One of the forms, naming a month the year does not have.
    Month,
    /// One of the forms, naming a day its month does not have.
    Day { year: i32, month: u8, days: u8 },
    /// `Q5`, `H3`: a quarter or half the year does not have.
    Period(u8),
}

impl fmt::Display for NotADay {
    /// What the calendar says of it, for a message (empty for [`NotADay::Form`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            NotADay::Form => Ok(()),
            NotADay::Month => f.write_str("a year has 12 months"),
            NotADay::Day { year, month, days } => {
                write!(f, "{} {year} has {days} days", month_name(month))
            }
            NotADay::Period(b'Q') => f.write_str("a year has four quarters"),
            NotADay::Period(_) => f.write_str("a year has two halves"),
        }
    }
}

/// What a message says of `value` (as quoted) that is of one of the
/// forms but names no day (`` `2027-02-29` is not a day: February 2027 has
/// 28 days ``); `None` for a value of none of the forms, which each message
/// words for its place.
pub fn no_such_day(quoted: &str, why: NotADay) -> Option<String> {
    (why != NotADay::Form).then(|| format!("`{quoted}` is not a day: {why}"))
}

/// [`parse`], saying why a value is no day: none of the forms, or one of
/// them naming what the calendar does not have (`2027-02-29`).
pub fn read(value: &str) -> Result<Day, NotADay> {
    let form = |o: Option<u32>| o.ok_or(NotADay::Form);
    // The common form first, without splitting anything.
    let v = value.trim_ascii();
    let b = v.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        // The dashes are ASCII, so the slices fall on characters.
        return on(
            form(digits(&v[..4], 4))? as i32,
            form(digits(&v[5..7], 2))? as u8,
            form(digits(&v[8..], 2))? as u8,
        );
    }
    let mut words = value.split_ascii_whitespace();
    let (a, b, c) = (
        words.next().ok_or(NotADay::Form)?,
        words.next(),
        words.next(),
    );
    if words.next().is_some() {
        return Err(NotADay::Form);
    }
    match (b, c) {
        (None, _) => {
            let mut parts = a.split('-');
            let year = form(parts.next().and_then(|y| digits(y, 4)))? as i32;
            let (m, d) = (parts.next().ok_or(NotADay::Form)?, parts.next());
            if parts.next().is_some() {
                return Err(NotADay::Form);
            }
            match d {
                Some(d) => on(year, form(digits(m, 2))? as u8, form(digits(d, 2))? as u8),
                None if m.as_bytes().first().is_some_and(u8::is_ascii_digit) => {
                    let month = form(digits(m, 2))? as u8;
                    Day::month_end(year, month).ok_or(NotADay::Month)
                }
                None => period_end(year, period(m).ok_or(NotADay::Form)?),
            }
        }
        // `Q2 2027`, `H1 2027`
        (Some(y), None) => {
            let p = period(a).ok_or(NotADay::Form)?;
            period_end(form(digits(y, 4))? as i32, p)
        }
        // `30 June 2027` or `June 30, 2027`
        (Some(b), Some(y)) => {
            let year = form(digits(y, 4))? as i32;
            let (month, day) = match day_number(a) {
                Some(day) => (month_named(b), day),
                None => {
                    let day = b.strip_suffix(',').and_then(day_number);
                    (month_named(a), day.ok_or(NotADay::Form)?)
                }
            };
            on(year, month.ok_or(NotADay::Form)?, day)
        }
    }
}

/// A date written in a form goalframe does not read, in one it does, when
/// it names one day, month, quarter or half and no other: `June 2027` →
/// `2027-06`; `Jun 30 2027`, `30th June 2027`, `2027/06/30` and
/// `30/06/2027` → `2027-06-30`; `end of Q2 2027` → `Q2 2027`. `None` for
/// anything else, `03/04/2027` among it (day and month either way round)
/// and `end of Q2` (which year?). A month, quarter or half stays one:
/// goalframe reads it as its last day, as a deadline means it.
pub fn written_as(value: &str) -> Option<String> {
    let v = value.trim();
    // Each form given names its year: a value without four digits in a
    // row (`end of Q2`, the commonest on a folder's run) is let go at once.
    if !has_year(v) {
        return None;
    }
    // A sentence's full stop after the date (`Time-bound: 2027-06-30.`).
    let v = v.strip_suffix('.').map_or(v, str::trim_end);
    let bare = without_deadline_words(v);
    if let Some(b) = bare.or(Some(v)).filter(|b| read(b).is_ok()) {
        return Some(b.to_string());
    }
    let v = bare.unwrap_or(v);
    let form = numbered(v).or_else(|| worded(v))?;
    debug_assert!(read(&form).is_ok(), "{form}");
    Some(form)
}

/// Four digits in a row: what each form given names its year by.
fn has_year(v: &str) -> bool {
    v.as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit))
}

/// The date after a deadline's words (`end of`, `by`), if it has them.
fn without_deadline_words(v: &str) -> Option<&str> {
    [
        "by the end of ",
        "by end of ",
        "the end of ",
        "end of ",
        "by ",
    ]
    .iter()
    .find_map(|p| {
        v.get(..p.len())
            .filter(|head| head.eq_ignore_ascii_case(p))
            .map(|_| v[p.len()..].trim())
    })
}

/// A date written without its year (`end of Q2`, `June 30`, `30/06`), in
/// a form that reads, where it fits one day of the review cycle
/// `start..=end` and no other: `end of Q2` in the cycle 2027-01-01 to
/// 2027-06-30 is `Q2 2027`; in a cycle from July 2026 to June 2027,
/// `Q4` is `Q4 2026`. A cycle of more than four calendar years offers
/// nothing: the search is a few candidates, not a calendar.
pub fn written_within(value: &str, start: Day, end: Day) -> Option<String> {
    let v = value.trim();
    if end < start || end.year - start.year > 3 || v.is_empty() || v.len() > 40 || has_year(v) {
        return None;
    }
    let v = v.strip_suffix('.').map_or(v, str::trim_end);
    let v = without_deadline_words(v).unwrap_or(v);
    // `30/06` takes its year after the same separator, words after a space.
    let sep = v
        .bytes()
        .find(|b| matches!(b, b'/' | b'.' | b'-'))
        .filter(|_| {
            v.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'/' | b'.' | b'-'))
        })
        .map_or(' ', char::from);
    let mut found: Option<String> = None;
    for year in start.year..=end.year {
        let candidate = format!("{v}{sep}{year}");
        let form = if read(&candidate).is_ok() {
            Some(candidate)
        } else {
            written_as(&candidate)
        };
        let Some(form) = form else { continue };
        if read(&form).is_ok_and(|d| start <= d && d <= end) && found.replace(form).is_some() {
            // Two years fit: which one is the writer's.
            return None;
        }
    }
    found
}

/// The words a message gives a form in (`write it as `2027-06``), with
/// `why`, where the form's year came from (empty, or a clause).
pub fn advice(form: &str, why: &str) -> String {
    ["write it as `", form, "`", why].concat()
}

/// What a message adds for a value of no form: how to write it, if
/// [`written_as`] knows.
pub fn write_it_as(value: &str) -> Option<String> {
    written_as(value).map(|f| advice(&f, ""))
}

fn year_of(s: &str) -> Option<i32> {
    digits(s, 4).map(|y| y as i32)
}

fn iso(year: i32, month: u8, day: u8) -> Option<String> {
    Day::new(year, month, day).map(|d| d.to_string())
}

fn year_month(year: i32, month: u8) -> Option<String> {
    Day::month_end(year, month).map(|_| format!("{year:04}-{month:02}"))
}

/// `Q2`, `h1`: a quarter or half (not `06`, whose first byte is no
/// letter); and the other way round, as finance writes them (`2Q`, `1H`).
fn period_of(s: &str) -> Option<(u8, u8)> {
    let b = s.as_bytes();
    let turned =
        (b.len() == 2 && b[0].is_ascii_digit()).then(|| (b[1].to_ascii_uppercase(), b[0] - b'0'));
    period(s)
        .or(turned)
        .filter(|(kind, _)| matches!(kind, b'Q' | b'H'))
}

/// A year and, in the other part, a quarter, a half or a month (`month`
/// reads it: a number, a name), in either order: `2027 Q2`, `Jun-2027`.
fn year_and_period(a: &str, b: &str, month: impl Fn(&str) -> Option<u8>) -> Option<String> {
    let (year, other) = match (year_of(a), year_of(b)) {
        (Some(year), None) => (year, b),
        (None, Some(year)) => (year, a),
        _ => return None,
    };
    match period_of(other) {
        Some(p) => year_period(year, p),
        None => year_month(year, month(other)?),
    }
}

fn year_period(year: i32, (kind, n): (u8, u8)) -> Option<String> {
    period_end(year, (kind, n))
        .ok()
        .map(|_| format!("{year:04}-{}{n}", kind as char))
}

/// `2027/06/30`, `2027.6.30`, `30-06-2027`, `06/30/2027`, `2027/06`,
/// `6/2027`, `2027/Q2`, `Q2/2027`, `Jun-2027`, `30-Jun-2027`: numbers
/// with one separator (and a month's name among them, as spreadsheets
/// write it).
fn numbered(v: &str) -> Option<String> {
    let sep = v.bytes().find(|b| matches!(b, b'/' | b'.' | b'-'))? as char;
    let mut parts = v.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next());
    if parts.next().is_some() {
        return None;
    }
    match c {
        Some(c) => {
            // `30-Jun-2027` and `2027-Jun-30`: a month's name is the month.
            if let Some(m) = month_named(b) {
                return match year_of(a) {
                    Some(year) => iso(year, m, day_number(c)?),
                    None => iso(year_of(c)?, m, day_number(a)?),
                };
            }
            if let Some(year) = year_of(a) {
                return iso(year, day_number(b)?, day_number(c)?);
            }
            let (year, x, y) = (year_of(c)?, day_number(a)?, day_number(b)?);
            // Day first or month first: only a reading of one day is taken.
            match (iso(year, y, x), iso(year, x, y)) {
                (Some(p), Some(q)) => (p == q).then_some(p),
                (p, q) => p.or(q),
            }
        }
        None => year_and_period(a, b, |w| day_number(w).or_else(|| month_named(w))),
    }
}

/// `June 2027`, `2027 June`, `2027 Q2`, `1H 2027`, `Jun 30 2027`, `30th
/// of June, 2027`, `Sept. 9th 2027`, `2027 June 30`: words, commas and
/// ordinals.
fn worded(v: &str) -> Option<String> {
    let mut words = v
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("of"));
    let (a, b, c) = (words.next()?, words.next()?, words.next());
    if words.next().is_some() {
        return None;
    }
    let month = |w: &str| {
        let w = w.strip_suffix('.').unwrap_or(w);
        month_named(w).or_else(|| w.eq_ignore_ascii_case("sept").then_some(9))
    };
    let day = |w: &str| {
        let n = w.len().checked_sub(2).filter(|&n| {
            w.is_char_boundary(n)
                && ["st", "nd", "rd", "th"]
                    .iter()
                    .any(|s| w[n..].eq_ignore_ascii_case(s))
        });
        day_number(n.map_or(w, |n| &w[..n]))
    };
    match c {
        None => year_and_period(a, b, month),
        Some(c) => {
            // The year last, or first (`2027 June 30`).
            let (year, a, b) = match year_of(c) {
                Some(year) => (year, a, b),
                None => (year_of(a)?, b, c),
            };
            match (day(a), month(b)) {
                (Some(d), Some(m)) => iso(year, m, d),
                _ => iso(year, month(a)?, day(b)?),
            }
        }
    }
}

/// The day, or what the calendar says against it.
fn on(year: i32, month: u8, day: u8) -> Result<Day, NotADay> {
    if !(1..=12).contains(&month) {
        return Err(NotADay::Month);
    }
    Day::new(year, month, day).ok_or(NotADay::Day {
        year,
        month,
        days: days_in_month(year, month),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<String> {
        parse(s).map(|d| d.to_string())
    }

    #[test]
    fn every_form_resolves_to_its_day() {
        for (input, want) in [
            ("2027-06-30", "2027-06-30"),
            ("  2027-06-30 ", "2027-06-30"),
            ("2027-06", "2027-06-30"),
            ("2027-02", "2027-02-28"),
            ("2028-02", "2028-02-29"),
            ("2027-Q1", "2027-03-31"),
            ("2027-q2", "2027-06-30"),
            ("Q3 2027", "2027-09-30"),
            ("q4 2027", "2027-12-31"),
            ("2027-H1", "2027-06-30"),
            ("H2 2027", "2027-12-31"),
            ("30 June 2027", "2027-06-30"),
            ("1 Jan 2027", "2027-01-01"),
            ("June 30, 2027", "2027-06-30"),
            ("sep 9, 2027", "2027-09-09"),
            ("29 February 2028", "2028-02-29"),
            ("2000-02-29", "2000-02-29"),
        ] {
            assert_eq!(day(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn what_is_not_a_day_is_refused() {
        for input in [
            "",
            "soon",
            "2027-02-30",
            "2027-02-29",
            "1900-02-29",
            "2027-13-01",
            "2027-00",
            "2027-6-30",
            "27-06-30",
            "2027-Q5",
            "Q0 2027",
            "2027-H3",
            "31 April 2027",
            "June 31, 2027",
            "June 30 2027",
            "30 Juni 2027",
            "30 Ju 2027",
            "Q2 27",
            "end of Q2",
            "2027-06-30 or so",
            "２０２７-06-30",
        ] {
            assert_eq!(day(input), None, "{input:?}");
        }
    }

    /// A value of one of the forms that names no day says what the
    /// calendar has instead; any other says nothing more.
    #[test]
    fn a_day_the_calendar_does_not_have_is_named() {
        for (input, why) in [
            ("2027-02-29", "February 2027 has 28 days"),
            ("1900-02-29", "February 1900 has 28 days"),
            ("2027-02-30", "February 2027 has 28 days"),
            ("31 April 2027", "April 2027 has 30 days"),
            ("June 31, 2027", "June 2027 has 30 days"),
            ("2027-06-00", "June 2027 has 30 days"),
            ("2027-13-01", "a year has 12 months"),
            ("2027-00", "a year has 12 months"),
            ("2027-Q5", "a year has four quarters"),
            ("Q0 2027", "a year has four quarters"),
            ("2027-H3", "a year has two halves"),
        ] {
            assert_eq!(
                read(input).map_err(|e| e.to_string()),
                Err(why.to_string()),
                "{input}"
            );
        }
        for input in [
            "",
            "soon",
            "2027-6-30",
            "30 Juni 2027",
            "2027-X1",
            "end of Q2",
        ] {
            assert_eq!(read(input), Err(NotADay::Form), "{input:?}");
        }
    }

    /// Dates of no form that name one day, month, quarter or half are
    /// written in one; each form given reads back to what was meant.
    #[test]
    fn a_date_of_no_form_is_written_in_one_where_it_names_one_day() {
        for (input, want) in [
            ("June 2027", "2027-06"),
            ("jun. 2027", "2027-06"),
            ("2027 June", "2027-06"),
            ("Sept 2027", "2027-09"),
            ("end of June 2027", "2027-06"),
            ("By the end of Q2 2027", "Q2 2027"),
            ("end of 2027-Q3", "2027-Q3"),
            ("by 30 June 2027", "30 June 2027"),
            ("2027 Q2", "2027-Q2"),
            ("2027/q2", "2027-Q2"),
            ("H1/2027", "2027-H1"),
            ("Jun 30 2027", "2027-06-30"),
            ("June 30th, 2027", "2027-06-30"),
            ("30th of June, 2027", "2027-06-30"),
            ("1st Jan 2027", "2027-01-01"),
            ("Sept. 9 2027", "2027-09-09"),
            ("2027/06/30", "2027-06-30"),
            ("2027.6.3", "2027-06-03"),
            ("2027-6-30", "2027-06-30"),
            ("30/06/2027", "2027-06-30"),
            ("06/30/2027", "2027-06-30"),
            ("30.06.2027", "2027-06-30"),
            ("05/05/2027", "2027-05-05"),
            ("2027/06", "2027-06"),
            ("6/2027", "2027-06"),
            ("2027-06-30.", "2027-06-30"),
            ("by 30 June 2027.", "30 June 2027"),
            ("June 2027.", "2027-06"),
            ("Jun-2027", "2027-06"),
            ("2027-June", "2027-06"),
            ("2027 June 30", "2027-06-30"),
            ("2027, 30 June", "2027-06-30"),
            ("1H 2027", "2027-H1"),
            ("2q 2027", "2027-Q2"),
            ("2027 2Q", "2027-Q2"),
            ("30-Jun-2027", "2027-06-30"),
            ("1-sep-2027", "2027-09-01"),
            ("2027-Jun-30", "2027-06-30"),
            ("30/June/2027", "2027-06-30"),
        ] {
            let form = written_as(input);
            assert_eq!(form.as_deref(), Some(want), "{input}");
            assert!(read(want).is_ok(), "{want} reads");
        }
        for input in [
            "",
            "soon",
            "end of Q2",
            "03/04/2027",
            "31/04/2027",
            "2027/13/01",
            "13/2027",
            "2027",
            "end of 2027",
            "FY27 Q2",
            "Q5 2027",
            "June",
            "30 June",
            "June 31 2027",
            "the 30th",
            "30 Juni 2027",
            "2027-06-30 or so",
            "1/2/3/2027",
            "２０２７/06/30",
            "end of é",
            "31st",
            "Jun-27",
            "2Q27",
            "5Q 2027",
            "2027 June 30 2028",
            "2027 June 2028",
            "31-Jun-2027",
            "30-Jun-27",
            "Jun-30-2027x",
        ] {
            assert_eq!(written_as(input), None, "{input:?}");
        }
    }

    /// A date without its year is given the year that puts it inside the
    /// review cycle, where one does and no other.
    #[test]
    fn a_date_without_its_year_takes_the_one_inside_the_cycle() {
        let day = |y, m, d| Day::new(y, m, d).expect("a day");
        let h1 = (day(2027, 1, 1), day(2027, 6, 30));
        let fiscal = (day(2026, 7, 1), day(2027, 6, 30));
        let two_years = (day(2026, 1, 1), day(2027, 12, 31));
        for (cycle, input, want) in [
            (h1, "end of Q2", Some("Q2 2027")),
            (h1, "Q1", Some("Q1 2027")),
            (h1, "by end of June", Some("2027-06")),
            (h1, "June 30", Some("2027-06-30")),
            (h1, "30th of June", Some("2027-06-30")),
            (h1, "30/06", Some("2027-06-30")),
            (h1, "H1", Some("H1 2027")),
            (h1, "end of Q2.", Some("Q2 2027")),
            (h1, "end of Q3", None),
            (h1, "03/04", None),
            (h1, "soon", None),
            (h1, "Q2 2027", None),
            (fiscal, "end of Q4", Some("Q4 2026")),
            (fiscal, "end of Q2", Some("Q2 2027")),
            (fiscal, "31 December", Some("31 December 2026")),
            (two_years, "end of Q2", None),
        ] {
            assert_eq!(
                written_within(input, cycle.0, cycle.1).as_deref(),
                want,
                "{input}"
            );
        }
        assert_eq!(
            written_within("Q2", h1.0, day(2040, 1, 1)),
            None,
            "a cycle of many years"
        );
    }

    #[test]
    fn quarters_and_halves_end_where_the_calendar_says() {
        assert_eq!(Day::quarter_end(2027, 1), Day::new(2027, 3, 31));
        assert_eq!(Day::half_end(2027, 1), Day::new(2027, 6, 30));
        assert!(Day::new(2027, 6, 30) < Day::new(2027, 7, 1));
    }
}
