//! Dates to offer in a date slot (`⟨date⟩`, or a date being typed over
//! it): the review cycle's end, the ends of the quarters within the cycle,
//! and the goal's other date when it is set. Labelled for a completion
//! list: `2027-06-30 — end of cycle FY2027 H1`.

use std::ops::Range;

use super::date::{self, Day};
use super::metadata::Cycle;
use super::slots::{read_row, RowKind};
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
    offset: usize,
    markdown: bool,
    cycle: &Cycle,
) -> Option<(Range<usize>, Vec<DateItem>)> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[start..end]
        .strip_suffix('\r')
        .unwrap_or(&text[start..end]);
    let row = read_row(line, start, markdown)?;
    let values = row.values?;
    let (_, slot) = values.iter().find(|(p, s)| {
        *p == Placeholder::Date && s.range.start <= offset && offset <= s.range.end
    })?;
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
    let other = match row.kind {
        RowKind::TimeBound => other_date(text, start, RowKind::Measurable, markdown, true),
        RowKind::Measurable => other_date(text, end, RowKind::TimeBound, markdown, false),
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
    (!items.is_empty()).then(|| (slot.range.clone(), items))
}

/// The date of the nearest `kind` row within [`GOAL_LINES`] lines before
/// (or after) byte `from`, if it is set.
fn other_date(text: &str, from: usize, kind: RowKind, markdown: bool, before: bool) -> Option<Day> {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    if before {
        let mut end = from.saturating_sub(1);
        for _ in 0..GOAL_LINES {
            if end == 0 {
                break;
            }
            let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
            lines.push((start, &text[start..end]));
            end = start.saturating_sub(1);
        }
    } else {
        let mut start = (from + 1).min(text.len());
        for _ in 0..GOAL_LINES {
            if start >= text.len() {
                break;
            }
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            lines.push((start, &text[start..end]));
            start = end + 1;
        }
    }
    lines.into_iter().find_map(|(at, line)| {
        let row = read_row(line.strip_suffix('\r').unwrap_or(line), at, markdown)?;
        if row.kind != kind {
            return None;
        }
        date::parse(&row.values?.date?.value)
    })
}
