//! Every problem `export` refuses a document for is a `lint` finding of
//! the same code at the same place: a review of every frame, filled in,
//! then edited line by line (lines taken out, copied, replaced, pieces
//! put in or pasted into a line), in either form; unless the writer turned `lint` off
//! somewhere with a suppression comment. And fix-all (`lint --fix`)
//! touches no value the export reads, but to take out a character that
//! does not show or restore canon text inside one quote, and loses none
//! without a word: every value read before it is read after it, or
//! `export` refuses the fixed document.
#![no_main]

use goalframe::analysis::goals::{Reading, Value};
use goalframe::analysis::{apply_edits, outline::fix_all, DocKind, Lines};
use goalframe::export::{self, Needs};
use goalframe::goals::slots::RowKind;
use goalframe::render::Markup;
use goalframe_fuzz::{analyzer, filled_review, Doc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, Vec<(u16, u8, Doc)>)| {
    let (markdown, edits) = input;
    let (kind, markup) = if markdown {
        (DocKind::Markdown, Markup::Markdown)
    } else {
        (DocKind::Text, Markup::Text)
    };
    let mut lines: Vec<String> = filled_review(markup)
        .split_inclusive('\n')
        .map(str::to_string)
        .collect();
    for (at, op, piece) in edits.iter().take(8) {
        let i = usize::from(*at) % (lines.len() + 1);
        match (op % 5, i < lines.len()) {
            (0, true) => {
                lines.remove(i);
            }
            (1, true) => {
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            (2, true) => lines[i] = piece.0.clone(),
            (3, true) => {
                // Pasted into the line, at a character of it.
                let line = &lines[i];
                let at = line
                    .char_indices()
                    .map(|(b, _)| b)
                    .nth(usize::from(*op / 5) % line.chars().count().max(1))
                    .unwrap_or(0);
                lines[i] = [&line[..at], &piece.0, &line[at..]].concat();
            }
            _ => lines.insert(i, piece.0.clone()),
        }
    }
    let text = lines.concat();
    // What the writer turned `lint` off for, `export` still refuses: it
    // never sends a goal with a value missing unless told to.
    if text.contains("goalframe-disable") {
        return;
    }
    let analyzer = analyzer();
    let lines = Lines::new(&text);
    let found = analyzer.analyze_lines(&text, kind, &lines);
    let findings = || found.clone();
    let needs = Needs {
        owner: false,
        summaries: true,
    };
    let reading = analyzer.read_goals(&text, kind, &lines);
    let values = values_read(&reading);
    let edits = fix_all(&found);
    for e in &edits {
        // A character that does not show, or the markdown entity that
        // stands for one, taken out.
        let taken = &text[e.range.clone()];
        let hidden_only = e.new_text.trim().is_empty()
            && (!goalframe::hidden::find(taken).is_empty()
                || !goalframe::goals::inline::hidden_entities(taken).is_empty());
        let quote = inside_one_quote(&text, &e.range);
        for v in &values {
            let touches =
                e.range.start < v.range.end && v.range.start < e.range.end.max(e.range.start + 1);
            assert!(
                !touches || hidden_only || quote,
                "fix-all edits {:?} to {:?} over the value {:?}\n{text}",
                &text[e.range.clone()],
                e.new_text,
                &text[v.range.clone()]
            );
        }
    }
    // A value fix-all leaves unread is lost without a word unless
    // `export` then refuses the document.
    if !edits.is_empty() {
        let fixed = apply_edits(&text, &edits);
        let fixed_lines = Lines::new(&fixed);
        let after = analyzer.read_goals(&fixed, kind, &fixed_lines);
        let refused = || {
            let found = analyzer.analyze_lines(&fixed, kind, &fixed_lines);
            let findings = || found.clone();
            let doc = export::document(analyzer, "d", &fixed, kind, &fixed_lines, &findings, needs);
            !doc.problems.is_empty()
        };
        assert!(
            values_read(&after).len() >= values.len() || refused(),
            "fix-all leaves {} of the {} values read, and export takes the rest\n{text}\n---\n{fixed}",
            values_read(&after).len(),
            values.len()
        );
    }
    let doc = export::document(analyzer, "d", &text, kind, &lines, &findings, needs);
    for p in &doc.problems {
        assert!(
            found.iter().any(|f| f.code == p.code && f.range == p.range),
            "export refuses for {:?} at {:?} ({}), lint has {:?}\n{text}",
            p.code,
            p.range,
            p.message,
            found
                .iter()
                .map(|f| (f.code, f.range.clone()))
                .collect::<Vec<_>>()
        );
    }
});

/// The filled values of the goals read, but the Time-bound rows' (a copy
/// of the Measurable row's date, which fix-all writes).
fn values_read(reading: &Reading) -> Vec<&Value> {
    reading
        .goals
        .iter()
        .flat_map(|g| &g.measures)
        .filter(|m| m.kind != RowKind::TimeBound)
        .flat_map(|m| [&m.baseline, &m.target, &m.date])
        .flatten()
        .filter(|v| v.text.is_some())
        .collect()
}

/// Whether `range` of `text` is the inside of one quote: a quote mark on
/// each side and none within (a canon quote restored where it stands,
/// even one pasted into another row's value).
fn inside_one_quote(text: &str, range: &std::ops::Range<usize>) -> bool {
    let mark = |c: Option<char>| matches!(c, Some('"' | '“' | '”'));
    mark(text[..range.start].chars().next_back())
        && mark(text[range.end..].chars().next())
        && !text[range.clone()].contains(['"', '“', '”'])
}
