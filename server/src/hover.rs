//! Hover (as plain data): what a token or marker under the cursor names,
//! described from the canon in markdown.

use std::ops::Range;

use crate::analysis::{parse_marker, tokens, Finding, Lines};
use crate::canon::{Canon, RoleAtLevel};
use crate::quote::quote;
use crate::render::markdown_escape;

/// A hover card: markdown text and the byte range it describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub range: Range<usize>,
    pub markdown: String,
}

/// The hover for a finding: the rule behind it and how to satisfy it.
pub fn finding(f: &Finding) -> Hover {
    Hover {
        range: f.range.clone(),
        markdown: format!(
            "**{}** ({})\n\n{}\n\n{}",
            f.code,
            f.severity,
            f.code.description(),
            f.code.help()
        ),
    }
}

/// The hover for byte `offset`: a `@role/level` token or a
/// `<!-- goalframe: … -->` marker naming a known role and level. `lines`
/// is the text's line index (the editor's copy keeps one: a hover must
/// not index a large draft again).
pub fn hover(text: &str, lines: &Lines, offset: usize, canon: &Canon) -> Option<Hover> {
    let offset = offset.min(text.len());
    if let Some(t) = tokens::at_cursor(text, offset) {
        let level = t.level.clone()?;
        let ral = canon.find_role_at(&text[t.role.clone()], &text[level])?;
        return Some(Hover {
            range: t.range,
            markdown: describe(&ral),
        });
    }
    let r = lines.range(text, lines.line_of(offset));
    let (role, level, _) = parse_marker(&text[r.clone()])?;
    let ral = canon.find_role_at(role, level)?;
    Some(Hover {
        range: r,
        markdown: describe(&ral),
    })
}

/// Role, family, level name, dimensions and every rubric, as markdown.
pub fn describe(ral: &RoleAtLevel) -> String {
    let e = markdown_escape;
    let mut s = format!(
        "**{}** (`{}`) · {}\n\n**{} — {}**",
        e(&ral.role.title),
        ral.role.id,
        e(&ral.role.family),
        e(&ral.level.code),
        e(&ral.level.name)
    );
    if !ral.level.dimensions.is_empty() {
        s.push_str("\n\n| Dimension | Bar |\n| --- | --- |");
        for d in &ral.level.dimensions {
            s.push_str(&format!("\n| {} | {} |", e(&d.name), e(&d.text)));
        }
    }
    if ral.at.rubrics().len() > 0 {
        s.push_str("\n\nRubrics:");
        for (k, v) in ral.at.rubrics() {
            s.push_str(&format!("\n- **{}**: {}", e(k), e(v)));
        }
    }
    s.push_str(&format!(
        "\n\n{} responsibilities",
        ral.at.responsibilities().len()
    ));
    s
}

/// The hover for a filled value slot of a frame row under `offset`: how
/// goalframe read it (`due 2027-06-30 — end of Q2 2027`, `target: 20
/// closed SMB deals per quarter`). `None` on anything else, and on a slot
/// still holding a placeholder. `folder_cycle` is the review cycle of the
/// document's folder: the document's own, read only for a date of no
/// form, can say the year of a date written without one.
pub fn slot(
    text: &str,
    lines: &Lines,
    offset: usize,
    markdown: bool,
    folder_cycle: Option<&crate::goals::metadata::Cycle>,
) -> Option<Hover> {
    use crate::analysis::{DocContext, DocKind};
    use crate::goals::date::{self, Day};
    use crate::render::Placeholder;
    let kind = if markdown {
        DocKind::Markdown
    } else {
        DocKind::Text
    };
    let crate::goals::slots::SlotAt { which, slot, .. } =
        crate::goals::slots::slot_at(text, lines, offset, markdown)?;
    let value = slot.value.trim();
    if value.is_empty() || value.contains('⟨') {
        return None;
    }
    let markdown = match which {
        Placeholder::Date => match date::read(value) {
            Ok(day) => {
                let q = day.month.div_ceil(3);
                let what = if Day::quarter_end(day.year, q) == Some(day) {
                    format!(" — end of Q{q} {}", day.year)
                } else if Day::month_end(day.year, day.month) == Some(day) {
                    let month = date::month_name(day.month);
                    format!(" — end of {month} {}", day.year)
                } else {
                    String::new()
                };
                format!("due {day}{what}")
            }
            Err(date::NotADay::Form) => format!(
                "date `{}`: not a date goalframe can read{}",
                markdown_escape(&quote(value)),
                DocContext::read(text, kind, folder_cycle)
                    .cycle
                    .write_it_as(value)
                    .map_or(String::new(), |h| format!("; {h}"))
            ),
            Err(why) => format!(
                "date `{}`: not a day ({why})",
                markdown_escape(&quote(value))
            ),
        },
        Placeholder::Target => format!("target: {}", markdown_escape(&quote(value))),
        Placeholder::Baseline => format!("baseline: {}", markdown_escape(&quote(value))),
    };
    Some(Hover {
        range: slot.range.clone(),
        markdown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goals::date::Day;
    use crate::goals::metadata::Cycle;

    /// A filled slot is read on its line as the line index has it: a lone
    /// `\r` ends a line too.
    #[test]
    fn a_slot_is_read_whatever_ends_the_lines() {
        for eol in ["\n", "\r\n", "\r"] {
            let text = [
                "1. Manages the sales cycle.",
                "   - **Time-bound:** 2027-06-30",
                "   - **Relevant:** x",
            ]
            .join(eol);
            let lines = Lines::new(&text);
            let at = text.find("2027").expect("date") + 2;
            let h = slot(&text, &lines, at, true, None)
                .unwrap_or_else(|| panic!("a hover with {eol:?}"));
            assert_eq!(&text[h.range.clone()], "2027-06-30");
            assert!(h.markdown.contains("2027-06-30"), "{}", h.markdown);
        }
    }

    /// A value inside its markdown (bold, a code span, a comment after it)
    /// is read and placed as its reader sees it.
    #[test]
    fn a_value_inside_its_markup_is_read_without_it() {
        for typed in [
            "**2027-06-30**",
            "`2027-06-30`",
            "2027-06-30 <!-- agreed -->",
        ] {
            let text = format!("1. Manages the sales cycle.\n   - **Time-bound:** {typed}\n");
            let at = text.find("06-30").expect("the value");
            let h = slot(&text, &Lines::new(&text), at, true, None).expect("a hover");
            assert_eq!(&text[h.range.clone()], "2027-06-30", "{typed}");
            assert!(h.markdown.starts_with("due 2027-06-30"), "{}", h.markdown);
        }
    }

    /// A date that is no day says why: none of the forms, or a form
    /// naming a day the calendar lacks.
    #[test]
    fn a_date_that_is_no_day_says_why() {
        for (value, said) in [
            (
                "end of Q2",
                "date `end of Q2`: not a date goalframe can read",
            ),
            (
                "2027-02-29",
                "date `2027-02-29`: not a day (February 2027 has 28 days)",
            ),
            (
                "Q2/2027",
                "date `Q2/2027`: not a date goalframe can read; write it as `2027-Q2`",
            ),
        ] {
            let text = format!("1. Manages the sales cycle.\n   - **Time-bound:** {value}\n");
            let at = text.find(value).expect("the value");
            let h = slot(&text, &Lines::new(&text), at, true, None).expect("a hover");
            assert_eq!(h.markdown, said);
        }
        // Without its year, the cycle says which: the folder's, or the
        // document's own, which wins.
        let said = |year| {
            format!("date `end of Q2`: not a date goalframe can read; write it as `Q2 {year}`, the one inside the review cycle")
        };
        let text = "1. Manages the sales cycle.\n   - **Time-bound:** end of Q2\n";
        let h1 = Cycle {
            label: None,
            start: Day::new(2027, 1, 1),
            end: Day::new(2027, 6, 30),
        };
        let at = text.find("end of").expect("the value");
        let h = slot(text, &Lines::new(text), at, true, Some(&h1)).expect("a hover");
        assert_eq!(h.markdown, said(2027));
        let own = format!("---\ncycle_start: 2028-01-01\ncycle_end: 2028-06-30\n---\n{text}");
        let at = own.find("end of").expect("the value");
        let h = slot(&own, &Lines::new(&own), at, true, Some(&h1)).expect("a hover");
        assert_eq!(h.markdown, said(2028));
    }
}
