//! Dates to offer in a date slot (`⟨date⟩`, or a date being typed over
//! it): the review cycle's end, the ends of the quarters within the cycle,
//! and the goal's other date when it is set. Labelled for a completion
//! list: `2027-06-30 — end of cycle FY2027 H1`.

use std::ops::Range;

use super::date::{self, Day};
use super::metadata::Cycle;
use super::slots::{read_row, slot_at, RowKind};
use crate::lines::Lines;
use crate::render::Placeholder;

/// One date to offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateItem {
    pub value: String,
    pub label: String,
}

/// How many lines above a Time-bound row its goal's Measurable row may be.
const GOAL_LINES: usize = 8;

/// The date slot under `offset` of `text` (the byte range to replace) and
/// the dates to offer there; `None` outside a date slot.
pub fn date_items(
    text: &str,
    lines: &Lines,
    offset: usize,
    markdown: bool,
    cycle: &Cycle,
) -> Option<(Range<usize>, Vec<DateItem>)> {
    let at = slot_at(text, lines, offset, markdown).filter(|a| a.which == Placeholder::Date)?;
    let mut items: Vec<DateItem> = Vec::new();
    let mut push = |day: Day, why: String| {
        let value = day.to_string();
        if !items.iter().any(|i| i.value == value) {
            items.push(DateItem {
                label: format!("{value} — {why}"),
                value,
            });
        }
    };
    // The goal's other date: the Measurable row's for a Time-bound row,
    // the Time-bound row's for a Measurable row.
    let other = match at.kind {
        RowKind::TimeBound => other_date(text, lines, at.line, RowKind::Measurable, markdown, true),
        RowKind::Measurable => {
            other_date(text, lines, at.line, RowKind::TimeBound, markdown, false)
        }
        _ => None,
    };
    if let Some(day) = other {
        push(day, "the goal's other date".to_string());
    }
    if let Some(end) = cycle.end {
        let name = cycle
            .label
            .as_deref()
            .map_or(String::new(), |l| format!(" {l}"));
        push(end, format!("end of cycle{name}"));
    }
    if let (Some(first), Some(last)) = (cycle.start, cycle.end) {
        let mut y = first.year;
        let mut q = first.month.div_ceil(3);
        while let Some(day) = Day::quarter_end(y, q) {
            if day > last {
                break;
            }
            if day >= first {
                push(day, format!("end of Q{q} {y}"));
            }
            (y, q) = if q == 4 { (y + 1, 1) } else { (y, q + 1) };
        }
    }
    (!items.is_empty()).then_some((at.slot.range, items))
}

/// The date of the nearest `kind` row within [`GOAL_LINES`] lines before
/// (or after) line `from`, if it is set.
fn other_date(
    text: &str,
    lines: &Lines,
    from: usize,
    kind: RowKind,
    markdown: bool,
    before: bool,
) -> Option<Day> {
    let near: Vec<usize> = if before {
        (from.saturating_sub(GOAL_LINES)..from).rev().collect()
    } else {
        (from + 1..(from + 1 + GOAL_LINES).min(lines.count())).collect()
    };
    near.into_iter().find_map(|i| {
        let range = lines.range(text, i);
        let row = read_row(&text[range.clone()], range.start, markdown)?;
        if row.kind != kind {
            return None;
        }
        date::parse(&row.values?.date?.value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slot under the cursor and the goal's other date are found by
    /// the line index, whatever ends the lines: a lone `\r` ends one, as
    /// everywhere else in goalframe (it once read a whole old Mac file as
    /// one line, and offered nothing).
    #[test]
    fn a_date_slot_is_found_whatever_ends_the_lines() {
        let cycle = Cycle::default();
        for eol in ["\n", "\r\n", "\r"] {
            let text = [
                "1. Manages the sales cycle.",
                "   - **Measurable:** Move the metric this drives from 1 to 2 by 2027-06-30.",
                "   - **Time-bound:** ⟨date⟩",
                "",
            ]
            .join(eol);
            let lines = Lines::new(&text);
            let at = text.find("⟨date⟩").expect("slot") + 3;
            let (range, items) = date_items(&text, &lines, at, true, &cycle)
                .unwrap_or_else(|| panic!("a date slot with {eol:?}"));
            assert_eq!(&text[range], "⟨date⟩");
            assert_eq!(items[0].label, "2027-06-30 — the goal's other date");
            // From the Measurable row, the Time-bound row below it has no
            // date yet: the cycle's end is all there is to offer.
            let cycle = Cycle {
                end: date::parse("2027-12-31"),
                ..Cycle::default()
            };
            let at = text.find("2027-06-30").expect("date");
            let (range, items) = date_items(&text, &lines, at, true, &cycle).expect("slot");
            assert_eq!(&text[range], "2027-06-30");
            let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
            assert_eq!(labels, ["2027-12-31 — end of cycle"]);
        }
    }
}
