//! Properties of the core over generated inputs (proptest, seeded and
//! bounded so the suite stays a few seconds): the same properties the
//! fuzz targets in `fuzz/` check without bounds (see docs/reliability.md).
//!
//! - every frame rendered from any valid canon, in text and markdown, has
//!   exactly its placeholders as findings and no drift; its snippet form
//!   expands to the plain form;
//! - the analysis never panics and its findings are sorted, in range and
//!   on character boundaries, whatever the document;
//! - the incremental session fed any sequence of edits finds exactly what
//!   a full analysis of the resulting text finds;
//! - the canon loader answers any bytes with a canon or located errors;
//! - any canon exported as a table imports back equal, and any table
//!   gives a canon (whose files load, equal) or errors at cells;
//! - what `export` refuses a filled frame for, after edits made by hand,
//!   `lint` reports with the same code at the same place.

mod support;

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};
use serde_json::{json, Map, Value};

use goalframe::analysis::{analyze, Code, DocKind, Session};
use goalframe::canon::table::{self, Import, Table, COLUMNS};
use goalframe::canon::{load_embedded, load_sources, write, Canon, SourceFile};
use goalframe::config::Settings;
use goalframe::render::{self, Form, Markup, Selection};

/// Seeded, so every run checks the same cases; `PROPTEST_RNG_SEED=<n>`
/// (or `random`) explores others, and `PROPTEST_CASES` runs more.
fn config(cases: u32) -> Config {
    let base = Config::default();
    let explore = std::env::var_os("PROPTEST_RNG_SEED").is_some();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            base.cases
        } else {
            cases
        },
        rng_seed: if explore {
            base.rng_seed
        } else {
            RngSeed::Fixed(0x60a1_f4a3)
        },
        // Failures are reported with their minimal input; no file is
        // written into the source tree.
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..base
    }
}

/// Canon words: plain words, markdown and snippet metacharacters, and
/// wide characters; never a placeholder bracket, a token or a look-alike,
/// which a frame's own text may not contain.
fn words() -> impl Strategy<Value = String> + Clone {
    let piece = prop_oneof![
        Just("Manages"),
        Just("the"),
        Just("sales"),
        Just("cycle"),
        Just("$25k"),
        Just("{no exceptions}"),
        Just("|"),
        Just("*whole*"),
        Just("<stale>"),
        Just("_x_"),
        Just("`code`"),
        Just("[link](x)"),
        Just("\\"),
        Just("#1"),
        Just("1."),
        Just("-"),
        Just("&amp;"),
        Just("😀"),
        Just("中文"),
        Just("\"quoted\""),
        Just(":"),
    ];
    prop::collection::vec(piece, 1..6).prop_map(|p| p.join(" "))
}

/// A dimension or a rubric: (name or key, text).
type Named = (String, String);
/// (responsibilities, rubrics) of a role at a level.
type GenRoleLevel = (Vec<String>, Vec<Named>);
/// (code, name, dimensions)
type GenLevel = (String, String, Vec<Named>);
/// (title, family, per level: what the role holds there, if anything)
type GenRole = (String, String, Vec<Option<GenRoleLevel>>);

#[derive(Debug, Clone)]
struct GenCanon {
    levels: Vec<GenLevel>,
    roles: Vec<GenRole>,
}

fn gen_canon() -> impl Strategy<Value = GenCanon> {
    let level = (words(), prop::collection::vec((words(), words()), 0..3));
    let rubric_key = prop_oneof![
        Just("complexity/problem-solving".to_string()),
        Just("knowledge-application".to_string()),
        Just("communication".to_string()),
    ];
    let role_level = prop::option::weighted(
        0.8,
        (
            prop::collection::vec(words(), 0..3),
            prop::collection::vec((rubric_key, words()), 0..3),
        ),
    );
    (1usize..3)
        .prop_flat_map(move |n_levels| {
            (
                prop::collection::vec(level.clone(), n_levels),
                prop::collection::vec(
                    (
                        words(),
                        words(),
                        prop::collection::vec(role_level.clone(), n_levels),
                    ),
                    1..3,
                ),
            )
        })
        .prop_map(|(levels, roles)| GenCanon {
            levels: levels
                .into_iter()
                .enumerate()
                .map(|(i, (name, dims))| (format!("L{i}"), name, dims))
                .collect(),
            roles,
        })
}

impl GenCanon {
    fn files(&self) -> Vec<SourceFile> {
        let levels: Vec<Value> = self
            .levels
            .iter()
            .map(|(code, name, dims)| {
                let dims: Vec<Value> = dims
                    .iter()
                    .map(|(n, t)| json!({"name": n, "text": t}))
                    .collect();
                json!({"code": code, "name": name, "dimensions": dims})
            })
            .collect();
        let roles: Vec<Value> = self
            .roles
            .iter()
            .enumerate()
            .map(|(i, (title, family, at))| {
                let mut levels = Map::new();
                for (j, rl) in at.iter().enumerate() {
                    let Some((resp, rubrics)) = rl else { continue };
                    let rubrics: Map<String, Value> = rubrics
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect();
                    levels.insert(
                        self.levels[j].0.clone(),
                        json!({"responsibilities": resp, "rubrics": rubrics}),
                    );
                }
                if levels.is_empty() {
                    levels.insert(self.levels[0].0.clone(), json!({}));
                }
                json!({"id": format!("role-{i}"), "title": format!("{title} {i}"),
                       "family": family, "levels": levels})
            })
            .collect();
        vec![
            SourceFile {
                path: "levels.json".into(),
                bytes: serde_json::to_vec_pretty(&json!({ "levels": levels })).unwrap(),
            },
            SourceFile {
                path: "roles.json".into(),
                bytes: serde_json::to_vec(&json!({ "roles": roles })).unwrap(),
            },
        ]
    }
}

/// Byte ranges of every `⟨…⟩` in `text`, but those in the document
/// preamble, which names the placeholders rather than holding them.
fn brackets(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = text
        .find(render::PREAMBLE)
        .map_or(0, |i| i + render::PREAMBLE.len());
    while let Some(a) = text[from..].find('⟨').map(|i| from + i) {
        let b = a + text[a..].find('⟩').expect("a closing bracket") + '⟩'.len_utf8();
        out.push(a..b);
        from = b;
    }
    out
}

/// Every frame of every role level, rendered for insertion.
fn every_frame(canon: &Canon, markup: Markup, snippet: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for role in canon.roles() {
        for rl in &role.levels {
            let code = &canon.levels()[rl.level].code;
            let ral = canon.role_at(&role.id, code).expect("a role level");
            for sel in Selection::EVERY {
                if let Ok(text) = render::render_insert(ral, sel, Form { markup, snippet }) {
                    out.push((format!("{}/{code} {}", role.id, sel.label()), text));
                }
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn rendered_frames_have_exactly_their_placeholders(g in gen_canon()) {
        let canon = load_sources(g.files(), vec![]).expect("a generated canon is valid");
        let settings = Settings::default();
        for (markup, kind) in [(Markup::Text, DocKind::Text), (Markup::Markdown, DocKind::Markdown)] {
            let plain = every_frame(&canon, markup, false);
            for (what, text) in &plain {
                let found: Vec<_> = analyze(text, kind, &canon, &settings)
                    .into_iter()
                    .map(|f| (f.code, f.range))
                    .collect();
                let want: Vec<_> = brackets(text)
                    .into_iter()
                    .map(|r| (Code::UnfilledPlaceholder, r))
                    .collect();
                prop_assert_eq!(found, want, "{} ({:?}):\n{}", what, markup, text);
            }
            // The snippet form expands to exactly the plain form.
            let snippets = every_frame(&canon, markup, true);
            prop_assert_eq!(snippets.len(), plain.len());
            for ((what, snippet), (_, text)) in snippets.iter().zip(&plain) {
                let (expanded, _) = support::expand_snippet(snippet);
                prop_assert_eq!(&expanded, text, "{} ({:?})", what, markup);
            }
        }
    }
}

/// Pieces of filled goals and of a document's metadata: values typed
/// over the slots (sensible and not), the row words around them, front
/// matter and text header lines with the cycle in them. An edit here may
/// change a finding on another line (a SMART goal's two dates, the cycle
/// every date is judged against), which the session must follow.
const QUALITY_PIECES: &[&str] = &[
    "---\n",
    "---",
    "cycle_start: 2027-01-01\n",
    "cycle_end: 2027-06-30\n",
    "cycle: FY2027 H1\n",
    "owner: ana@example.com\n",
    "colour: blue\n",
    "cycle_end: 2026-12-31",
    // Keys that are not their text, and YAML's other line breaks.
    "\"c\u{f6}l\u{1F600}r\": x\r",
    "'k\u{e9}''y': [\r\n",
    "Measurable:  Move the metric this drives from 3 to 12 by 2027-06-30.",
    "   - **Measurable:** Move the metric this drives from 3 to 12 by 2027-06-30.",
    "Time-bound:  2027-06-30",
    "   - **Time-bound:** Q2 2027",
    // A goal's first line, and its row's label written otherwise.
    "1. Builds the plan.\n",
    "   - Measurable: Move the metric this drives from 3 to 12 by 2027-06-30.",
    "   - **KR1**. From 3 to 12 by 2027-06-30",
    "   - **KR3.** From 3 to 12 by 2027-06-30",
    "   - **Specific:** Deliver: \u{201c}Manages the whole sales cycle.\u{201d}",
    "Objective 1: Builds the plan.\n",
    "KR1. From 3 to 12 by 2027-06-30 — tied to: \"Manages the whole sales cycle.\"",
    "Target:   12 deals   Due: 30 June 2027",
    "| 12 deals | 2027-Q2 |",
    "  →  12 by Jun 30, 2027   [source: x]",
    " from ",
    " to ",
    " by ",
    "12 deals",
    "more deals",
    "3",
    "2027-06-30",
    "2027-02-30",
    "2028-03-31",
    "Q2 2027",
    "2027-H1",
    "end of Q2",
];

/// Document pieces that exercise every part of the analysis.
fn doc_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => block_piece(),
        1 => prop::sample::select(QUALITY_PIECES).prop_map(String::from),
    ]
}

/// Blocks, placeholders, tokens, suppressions and the characters that
/// change how lines and columns count.
fn block_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("⟨target⟩".to_string()),
        Just("⟨baseline⟩".to_string()),
        Just("⟨date".to_string()),
        Just("<target>".to_string()),
        Just("@ae/p2".to_string()),
        Just("@nobody/p9".to_string()),
        Just("@ae/".to_string()),
        Just("<!-- goalframe: account-executive-field-sales/P2 smart -->".to_string()),
        Just("<!-- goalframe: ae/P9 okr -->".to_string()),
        Just("## SMART goals — Account Executive / Field Sales — P2".to_string()),
        Just("SMART goals — Account Executive / Field Sales — P2".to_string()),
        Just("   - **Specific:** Deliver: \"Manages the whole sales cycle.\"".to_string()),
        Just("Deliver: \"".to_string()),
        Just("tied to: \"".to_string()),
        Just("\"".to_string()),
        Just("<!-- goalframe-disable-next-line -->".to_string()),
        Just("<!-- goalframe-disable -->".to_string()),
        Just("```".to_string()),
        Just("`".to_string()),
        Just("    ".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("| a | b |".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\u{feff}".to_string()),
        Just("😀".to_string()),
        Just("中文".to_string()),
        Just("e\u{301}".to_string()),
        "[ -~]{0,12}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(doc_piece(), 0..40).prop_map(|p| p.concat())
}

/// A frame with some of its rows, as a starting document to edit.
fn seeded_document() -> impl Strategy<Value = String> {
    let frames: Vec<String> = {
        let canon = load_embedded().expect("default canon");
        let mut v = every_frame(&canon, Markup::Markdown, false);
        v.extend(every_frame(&canon, Markup::Text, false));
        v.into_iter().map(|(_, t)| t).collect()
    };
    let heads = vec![
        "",
        "---\ncycle_start: 2027-01-01\ncycle_end: 2027-06-30\n---\n",
        "cycle_start: 2027-01-01\ncycle_end: 2027-06-30\n\n",
    ];
    (
        prop::sample::select(frames),
        prop::sample::select(heads),
        any::<Option<u64>>(),
        document(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(frame, head, fill_seed, extra, at)| {
            // Sometimes every slot typed over, so edits meet values.
            let frame = match fill_seed {
                Some(seed) => fill(&frame, &mut support::rng::Rng::new(seed)).0,
                None => frame,
            };
            let frame = format!("{head}{frame}");
            let mut cut = at.index(frame.len() + 1);
            while !frame.is_char_boundary(cut) {
                cut -= 1;
            }
            format!("{}{extra}{}", &frame[..cut], &frame[cut..])
        })
}

fn fresh_outline(
    analyzer: &goalframe::analysis::Analyzer,
    text: &str,
    kind: DocKind,
) -> goalframe::analysis::outline::Outline {
    analyzer.outline(text, kind, &goalframe::analysis::Lines::new(text))
}

fn check_findings(
    text: &str,
    findings: &[goalframe::analysis::Finding],
) -> Result<(), TestCaseError> {
    let mut last = 0;
    for f in findings {
        prop_assert!(
            f.range.start <= f.range.end && f.range.end <= text.len(),
            "{:?}",
            f
        );
        prop_assert!(
            text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end),
            "{:?}",
            f
        );
        prop_assert!(f.range.start >= last, "findings are sorted: {:?}", findings);
        last = f.range.start;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_document_is_analysed_without_panicking(text in document(), markdown in any::<bool>()) {
        let canon = load_embedded().expect("default canon");
        let kind = if markdown { DocKind::Markdown } else { DocKind::Text };
        let findings = analyze(&text, kind, &canon, &Settings::default());
        check_findings(&text, &findings)?;
        // What export, report and the editor's views read of it: in range
        // and on character boundaries too, the goals in order.
        let settings = cycle_2027();
        let analyzer = goalframe::analysis::Analyzer::new(&canon, &settings);
        let lines = goalframe::analysis::Lines::new(&text);
        let all = || analyzer.analyze_lines(&text, kind, &lines);
        let needs = goalframe::export::Needs { owner: true, summaries: true };
        let doc = goalframe::export::document(&analyzer, "d", &text, kind, &lines, &all, needs);
        check_findings(&text, &doc.problems)?;
        let mut last = 0;
        for g in &doc.goals {
            prop_assert!(g.range.start >= last && g.range.end <= text.len(), "{:?}", g.range);
            prop_assert!(text.is_char_boundary(g.range.start) && text.is_char_boundary(g.range.end));
            last = g.range.start;
        }
        for b in analyzer.outline(&text, kind, &lines).blocks {
            for r in [&b.opener, &b.range].into_iter().chain(b.goals.iter().map(|g| &g.range)) {
                prop_assert!(r.start <= r.end && r.end <= text.len(), "{:?}", r);
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{:?}", r);
            }
        }
    }

    #[test]
    fn the_session_agrees_with_a_full_analysis_after_any_edits(
        start in seeded_document(),
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 0usize..40, doc_piece(), any::<bool>()),
            1..12,
        ),
        markdown in any::<bool>(),
        configured_cycle in any::<bool>(),
        outline_every in 1usize..4,
    ) {
        let canon = load_embedded().expect("default canon");
        let settings = if configured_cycle { cycle_2027() } else { Settings::default() };
        let analyzer = goalframe::analysis::Analyzer::new(&canon, &settings);
        let kind = if markdown { DocKind::Markdown } else { DocKind::Text };
        let mut session = Session::new(start, kind);
        let _ = session.findings(&analyzer);
        for (i, (at, len, piece, look)) in edits.into_iter().enumerate() {
            let text = session.text();
            let mut a = at.index(text.len() + 1);
            while !text.is_char_boundary(a) {
                a -= 1;
            }
            let mut b = (a + len).min(text.len());
            while !text.is_char_boundary(b) {
                b -= 1;
            }
            session.edit(a..b, &piece);
            // Sometimes several edits arrive before the next analysis.
            if look {
                let got = session.findings(&analyzer);
                let want = analyzer.analyze(session.text(), kind);
                prop_assert_eq!(got, want, "after an edit at {}..{}:\n{:?}", a, b, session.text());
            }
            // The outline (symbols, folds, lenses) is kept apart and asked
            // for less often.
            if i % outline_every == 0 {
                let text = session.text().to_string();
                let fresh = fresh_outline(&analyzer, &text, kind);
                prop_assert_eq!(session.outline(&analyzer).outline, &fresh, "outline after an edit at {}..{}:\n{:?}", a, b, text);
            }
        }
        let got = session.findings(&analyzer);
        prop_assert_eq!(got, analyzer.analyze(session.text(), kind));
        let fresh = fresh_outline(&analyzer, session.text(), kind);
        prop_assert_eq!(session.outline(&analyzer).outline, &fresh);
    }

    #[test]
    fn any_bytes_give_a_canon_or_located_errors(
        bytes in prop::collection::vec(any::<u8>(), 0..200),
        json_like in prop::collection::vec(
            prop_oneof![
                Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"),
                Just("\"levels\""), Just("\"roles\""), Just("\"code\""), Just("\"name\""),
                Just("\"id\""), Just("\"title\""), Just("\"family\""), Just("\"P2\""),
                Just("\"responsibilities\""), Just("\"rubrics\""), Just("\"dimensions\""),
                Just("\"x\""), Just("1"), Just("null"), Just("\n"), Just("\"😀\""),
            ],
            0..60,
        ),
    ) {
        for input in [bytes, json_like.concat().into_bytes()] {
            let file = SourceFile { path: "c.json".into(), bytes: input.clone() };
            if let Err(errors) = load_sources(vec![file], vec![]) {
                prop_assert!(!errors.0.is_empty());
                for e in &errors.0 {
                    prop_assert!(e.line >= 1 && e.column >= 1, "{:?}", e);
                    prop_assert!(e.range.0 <= input.len() && e.range.1 <= input.len().max(e.range.0), "{:?}", e);
                    prop_assert!(!e.message.is_empty());
                }
            }
        }
    }
}

// --- Filled goals: sensible values are clean, one broken value is one finding

/// The date forms a value may take, for a day inside 2027.
fn date_forms(rng: &mut support::rng::Rng) -> String {
    match rng.below(6) {
        0 => format!("2027-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
        1 => format!("2027-{:02}", 1 + rng.below(12)),
        2 => format!("Q{} 2027", 1 + rng.below(4)),
        3 => format!("2027-H{}", 1 + rng.below(2)),
        4 => format!("{} June 2027", 1 + rng.below(30)),
        _ => format!("Sep {}, 2027", 1 + rng.below(30)),
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// A day written another way (ten ways) is given back in a form that
    /// reads as that day; a month as that month's last day.
    #[test]
    fn a_day_written_another_way_is_given_back_as_that_day(
        year in 1900i32..2200, month in 1u8..=12, day in 1u8..=28, way in 0u8..10,
    ) {
        use goalframe::goals::date::{parse, written_as, Day};
        let name = goalframe::goals::date::month_name(month);
        let (written, want) = match way {
            0 => (format!("{year}/{month:02}/{day:02}"), Day::new(year, month, day)),
            1 => (format!("{year}-{month}-{day}"), Day::new(year, month, day)),
            2 => (format!("{} {day} {year}", &name[..3]), Day::new(year, month, day)),
            3 => (format!("{day}th of {name}, {year}"), Day::new(year, month, day)),
            4 => (format!("{name} {year}"), Day::month_end(year, month)),
            5 => (format!("end of {} {year}", name.to_uppercase()), Day::month_end(year, month)),
            // Day and month apart only where the day cannot be a month.
            6 => (format!("{}/{month:02}/{year}", 13 + day % 16), Day::new(year, month, 13 + day % 16)),
            7 => (format!("{month:02}/{}/{year}", 13 + day % 16), Day::new(year, month, 13 + day % 16)),
            8 => (format!("{}-{year}", &name[..3]), Day::month_end(year, month)),
            _ => (format!("{year} {name} {day}"), Day::new(year, month, day)),
        };
        let form = written_as(&written);
        prop_assert!(form.is_some(), "{written}");
        prop_assert_eq!(parse(form.as_deref().unwrap_or("")), want, "{} from {}", form.as_deref().unwrap_or(""), written);
    }

    /// Whatever a value is, what it is given back as reads, and what a
    /// value without its year is given inside the cycle falls in it.
    #[test]
    fn what_any_value_is_given_back_as_reads(
        v in "[0-9A-Za-z/ .,-]{0,24}", from in 0u32..2000, days in 0u32..1500,
    ) {
        use goalframe::goals::date::{parse, written_as, written_within, Day};
        if let Some(form) = written_as(&v) {
            prop_assert!(parse(&form).is_some(), "{form} from {v:?}");
        }
        let start = Day::new(2026 + (from / 365) as i32, 1 + (from % 12) as u8, 1 + (from % 28) as u8).expect("a day");
        let end = Day::new(start.year + (days / 365) as i32, 12, 31).expect("a day");
        if let Some(form) = written_within(&v, start, end) {
            let day = parse(&form);
            prop_assert!(day.is_some_and(|d| start <= d && d <= end), "{form} from {v:?} in {start}..{end}");
        }
    }

    /// The quarters, halves and months of a one-year cycle, without their
    /// year, are each given the year inside it.
    #[test]
    fn a_period_without_its_year_is_placed_in_a_one_year_cycle(
        year in 1990i32..2100, first_month in 1u8..=12, pick in 0u8..3, n in 1u8..=12,
    ) {
        use goalframe::goals::date::{parse, written_within, Day};
        let start = Day::new(year, first_month, 1).expect("a day");
        let end = if first_month == 1 {
            Day::new(year, 12, 31)
        } else {
            Day::new(year + 1, first_month - 1, 28)
        }
        .expect("a day");
        let written = match pick {
            0 => format!("end of Q{}", 1 + n % 4),
            1 => format!("H{}", 1 + n % 2),
            _ => goalframe::goals::date::month_name(n).to_string(),
        };
        let form = written_within(&written, start, end);
        // Each period ends inside the cycle once, unless its end falls in
        // the cycle's last days, after its 28th.
        if let Some(f) = &form {
            prop_assert!(parse(f).is_some_and(|d| start <= d && d <= end), "{f}");
        } else {
            prop_assert!(first_month != 1, "{written} in {start}..{end}");
        }
    }
}

/// A slot typed over: which placeholder it was, where its value is, and
/// whether it is on a SMART row (whose two dates must agree).
struct Filled {
    which: &'static str,
    range: std::ops::Range<usize>,
    smart: bool,
}

/// `text` with every placeholder (outside the preamble) typed over with a
/// sensible value: numbers for baseline and target, one date in the
/// cycle for the whole document (so linked dates agree).
fn fill(text: &str, rng: &mut support::rng::Rng) -> (String, Vec<Filled>) {
    let date = date_forms(rng);
    let mut out = String::new();
    let mut slots = Vec::new();
    let mut from = 0;
    for r in brackets(text) {
        out.push_str(&text[from..r.start]);
        let which = match &text[r.clone()] {
            "⟨baseline⟩" => "baseline",
            "⟨target⟩" => "target",
            "⟨date⟩" => "date",
            other => panic!("a frame placeholder: {other}"),
        };
        let value = match which {
            "baseline" => format!("{} 件 now", rng.below(50)),
            "target" => format!("{} deals 😀", 50 + rng.below(50)),
            _ => date.clone(),
        };
        let line_start = text[..r.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line = &text[line_start..r.start];
        let smart = line.contains("Measurable:") || line.contains("Time-bound:");
        slots.push(Filled {
            which,
            range: out.len()..out.len() + value.len(),
            smart,
        });
        out.push_str(&value);
        from = r.end;
    }
    out.push_str(&text[from..]);
    (out, slots)
}

fn cycle_2027() -> Settings {
    let mut settings = Settings::default();
    let layer = goalframe::config::parse_toml(
        "[cycle]\nlabel = \"FY2027\"\nstart = \"2027-01-01\"\nend = \"2027-12-31\"\n",
        "goalframe.toml",
    )
    .expect("a cycle");
    settings
        .apply(&layer, None, "goalframe.toml")
        .expect("applies");
    settings
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn filled_frames_are_clean_and_one_broken_value_is_one_finding(g in gen_canon(), seed in any::<u64>()) {
        let canon = load_sources(g.files(), vec![]).expect("a generated canon is valid");
        let settings = cycle_2027();
        let mut rng = support::rng::Rng::new(seed);
        for (markup, kind) in [(Markup::Text, DocKind::Text), (Markup::Markdown, DocKind::Markdown)] {
            for (what, text) in every_frame(&canon, markup, false) {
                let (filled, slots) = fill(&text, &mut rng);
                let found = analyze(&filled, kind, &canon, &settings);
                prop_assert!(found.is_empty(), "{} ({:?}): {:?}\n{}", what, markup, found, filled);
                if slots.is_empty() {
                    continue;
                }
                // Break one value.
                let s = &slots[rng.below(slots.len())];
                let (value, code, at) = match (s.which, rng.below(2)) {
                    ("target", _) => ("more deals".to_string(), Code::UnmeasurableTarget, s.range.start),
                    ("baseline", _) => {
                        // The target of the same row follows it.
                        let t = slots.iter().find(|t| t.which == "target" && t.range.start > s.range.end).expect("a target after a baseline");
                        (filled[t.range.clone()].to_uppercase(), Code::BaselineEqualsTarget, t.range.start)
                    }
                    ("date", 0) => ("2027-02-30".to_string(), Code::InvalidDate, s.range.start),
                    ("date", _) if s.smart => {
                        // A Time-bound date that differs from its Measurable date.
                        let tb = slots.iter().position(|x| x.range == s.range).expect("this slot");
                        let time_bound = if slots.get(tb + 1).is_some_and(|n| n.which == "date" && n.smart) { tb + 1 } else { tb };
                        let s = &slots[time_bound];
                        let other = if filled[s.range.clone()].starts_with("2026") { "2027-12-31" } else { "2026-12-31" };
                        // Outside the cycle too: report only the mismatch by staying inside it.
                        let other = if other == "2026-12-31" { "2027-01-01" } else { other };
                        let other = if filled[s.range.clone()] == *other { "2027-12-30" } else { other };
                        let broken = format!("{}{}{}", &filled[..s.range.start], other, &filled[s.range.end..]);
                        let found = analyze(&broken, kind, &canon, &settings);
                        let got: Vec<_> = found.iter().map(|f| (f.code, f.range.start)).collect();
                        // Unless the document's one date already is that day.
                        let same_day = goalframe::goals::date::parse(&filled[s.range.clone()]) == goalframe::goals::date::parse(other);
                        if same_day {
                            prop_assert!(got.is_empty(), "{:?}", got);
                        } else {
                            prop_assert_eq!(got, vec![(Code::DateMismatch, s.range.start)], "{}:\n{}", what, broken);
                        }
                        continue;
                    }
                    ("date", _) => ("2028-03-31".to_string(), Code::DateOutsideCycle, s.range.start),
                    _ => unreachable!(),
                };
                let range = s.range.clone();
                let broken = format!("{}{}{}", &filled[..range.start], value, &filled[range.end..]);
                let shift = |at: usize| if at > range.start { at + value.len() - range.len() } else { at };
                let found = analyze(&broken, kind, &canon, &settings);
                let got: Vec<_> = found.iter().map(|f| (f.code, f.range.start)).collect();
                prop_assert_eq!(got, vec![(code, shift(at))], "{} ({:?}):\n{}", what, markup, broken);
            }
        }
    }
}

/// A value typed one character at a time over a placeholder, then deleted
/// one at a time: the session agrees with a full analysis at every step.
#[test]
fn the_session_agrees_while_slots_are_typed_character_by_character() {
    let canon = load_embedded().expect("default canon");
    let settings = cycle_2027();
    let analyzer = goalframe::analysis::Analyzer::new(&canon, &settings);
    let ral = canon.role_at("ae", "P2").expect("ae/P2");
    for (markup, kind) in [
        (Markup::Text, DocKind::Text),
        (Markup::Markdown, DocKind::Markdown),
    ] {
        let frame = render::render(
            ral,
            Selection::All,
            Form {
                markup,
                snippet: false,
            },
        )
        .expect("renders");
        let head = if kind == DocKind::Markdown {
            "---\ncycle_end: 2027-06-30\n---\n"
        } else {
            "cycle_end: 2027-06-30\n\n"
        };
        let mut session = Session::new(format!("{head}{frame}"), kind);
        let _ = session.findings(&analyzer);
        for (placeholder, value) in [
            ("⟨target⟩", "12 deals"),
            ("⟨date⟩", "30 June 2027"),
            ("⟨baseline⟩", "3"),
            ("⟨date⟩", "2027-Q3"),
        ] {
            let at = session.text().rfind(placeholder).expect("a placeholder");
            session.edit(at..at + placeholder.len(), "");
            let mut end = at;
            for c in value.chars() {
                session.edit(end..end, c.encode_utf8(&mut [0; 4]));
                end += c.len_utf8();
                assert_eq!(
                    session.findings(&analyzer),
                    analyzer.analyze(session.text(), kind),
                    "typing {value:?}"
                );
            }
        }
        // The cycle itself, edited: every date is judged again.
        let at = session.text().find("2027-06-30").expect("the cycle's end");
        session.edit(at + 5..at + 7, "03");
        assert_eq!(
            session.findings(&analyzer),
            analyzer.analyze(session.text(), kind)
        );
    }
}

/// A canon as a table, imported again.
fn through_table(canon: &Canon) -> Result<Canon, table::TableErrors> {
    let mut rows: Vec<[String; 9]> = Vec::new();
    table::export::<()>(canon, |cells| {
        rows.push(cells.map(String::from));
        Ok(())
    })
    .unwrap();
    let mut import = Import::new();
    import.begin(Table {
        file: "t.csv".into(),
        sheet: None,
    });
    import.header(1, &COLUMNS);
    for (i, row) in rows.iter().enumerate() {
        import.row(i + 2, row);
    }
    import.finish(vec![])
}

/// The canon's files, as `canon import` writes them, loaded.
fn reloaded(canon: &Canon) -> Canon {
    let files = write::files(canon)
        .map(|(path, text)| SourceFile {
            path,
            bytes: text.into_bytes(),
        })
        .collect();
    load_sources(files, vec![]).expect("written files load")
}

/// A table row, by [`COLUMNS`] and a tenth cell: mostly a row that could
/// be right (a role's texts, a level's dimensions, a row naming a role
/// level), sometimes with one cell replaced by anything [`cell`] gives.
fn table_row() -> impl Strategy<Value = Vec<String>> {
    let kind = prop_oneof![
        Just("responsibility"),
        Just("rubric"),
        Just("dimension"),
        Just("")
    ];
    let text = prop_oneof![
        Just("Does x."),
        Just("\"q\", $1 {x} | *y*"),
        Just("a; b, c"),
        Just("😀")
    ];
    (
        kind,
        prop::bool::ANY,
        prop_oneof![Just("P2"), Just("p2"), Just("P3")],
        prop_oneof![Just("k"), Just("knowledge-application")],
        text,
        prop::option::weighted(0.2, (0usize..10, cell())),
    )
        .prop_map(|(kind, first, level, key, text, mutation)| {
            let (role, title, aliases) = if first {
                ("r", "R", "x;y")
            } else {
                ("s", "S", "z")
            };
            let level_name = if level == "P3" { "Three" } else { "Dev" };
            let mut row: Vec<String> = match kind {
                "dimension" => ["", "", "", "", level, level_name, kind, "Scope", text, ""],
                "rubric" => [
                    role, title, "F", aliases, level, level_name, kind, key, text, "",
                ],
                "responsibility" => [
                    role, title, "F", aliases, level, level_name, kind, "", text, "",
                ],
                _ => [role, title, "F", "", level, level_name, "", "", "", ""],
            }
            .map(String::from)
            .to_vec();
            if let Some((at, cell)) = mutation {
                row[at] = cell;
            }
            row
        })
}

/// Cells a spreadsheet may hold, right and wrong.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(""),
        Just(" "),
        Just("r"),
        Just("s"),
        Just("R"),
        Just("F"),
        Just("P2"),
        Just("p2"),
        Just("P 2"),
        Just("Bad Id"),
        Just("responsibility"),
        Just("Rubric"),
        Just("dimension"),
        Just("kind"),
        Just("x"),
        Just("x;y"),
        Just("a\\;b"),
        Just("r; s"),
        Just("k"),
        Just("two\nlines"),
        Just("\"q\", $1 {x} | *y*"),
        Just("😀"),
    ]
    .prop_map(String::from)
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn any_canon_comes_back_equal_through_a_table(g in gen_canon()) {
        let canon = load_sources(g.files(), vec![]).expect("a generated canon is valid");
        let back = through_table(&canon).expect("an exported table imports");
        prop_assert_eq!(canon.levels(), back.levels());
        prop_assert_eq!(canon.roles(), back.roles());
        let again = reloaded(&back);
        prop_assert_eq!(back.levels(), again.levels());
        let mut roles = back.roles().to_vec();
        roles.sort_by(|a, b| a.id.cmp(&b.id));
        prop_assert_eq!(&roles[..], again.roles(), "files are read by role id");
    }

    #[test]
    fn any_table_gives_a_canon_or_errors_at_cells(
        order in Just(COLUMNS.to_vec()).prop_shuffle(),
        rows in prop::collection::vec(table_row(), 0..12),
    ) {
        // Each row's cells in the header's order (a mutated row may have
        // a tenth cell, under no header).
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|row| {
                let mut cells: Vec<String> = order
                    .iter()
                    .map(|c| row[COLUMNS.iter().position(|k| k == c).unwrap()].clone())
                    .collect();
                if !row[9].is_empty() {
                    cells.push(row[9].clone());
                }
                cells
            })
            .collect();
        let mut import = Import::new();
        import.begin(Table { file: "t.csv".into(), sheet: None });
        import.header(1, &order);
        for (i, row) in rows.iter().enumerate() {
            import.row(i + 2, row);
        }
        match import.finish(vec![]) {
            Ok(canon) => {
                let back = through_table(&canon).expect("its table imports");
                prop_assert_eq!(canon.levels(), back.levels());
                prop_assert_eq!(canon.roles(), back.roles());
                let again = reloaded(&canon);
                prop_assert_eq!(canon.levels(), again.levels());
            }
            Err(errors) => {
                prop_assert!(!errors.0.is_empty());
                let at: Vec<(usize, usize)> = errors.0.iter().map(|e| (e.row, e.column)).collect();
                let mut sorted = at.clone();
                sorted.sort();
                prop_assert_eq!(&at, &sorted);
                for e in &errors.0 {
                    // Row 2 is where "no rows" is reported, if there are none.
                    prop_assert!(e.row >= 1 && e.row <= rows.len().max(1) + 1, "{}", e);
                    prop_assert!(e.column >= 1 && e.column <= 11, "{}", e);
                    prop_assert!(!e.message.is_empty());
                }
            }
        }
    }
}

// --- Export: filled frames go out with exactly the values typed, under
// canon titles

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn filled_frames_export_what_was_typed_under_canon_titles(g in gen_canon(), seed in any::<u64>()) {
        use goalframe::analysis::{Analyzer, Lines};
        use goalframe::export::{self, Needs};
        let canon = load_sources(g.files(), vec![]).expect("a generated canon is valid");
        let settings = cycle_2027();
        let analyzer = Analyzer::new(&canon, &settings);
        // Every text the canon holds: a goal's title must be one of them.
        let mut texts = std::collections::HashSet::new();
        for r in canon.roles() {
            for rl in &r.levels {
                texts.extend(rl.responsibilities().map(str::to_string));
            }
        }
        for l in canon.levels() {
            texts.extend(l.dimensions.iter().map(|d| d.text.clone()));
        }
        let mut rng = support::rng::Rng::new(seed);
        for (markup, kind) in [(Markup::Text, DocKind::Text), (Markup::Markdown, DocKind::Markdown)] {
            for (what, text) in every_frame(&canon, markup, false) {
                let (filled, slots) = fill(&text, &mut rng);
                let lines = Lines::new(&filled);
                let findings = || analyzer.analyze_lines(&filled, kind, &lines);
                let doc = export::document(&analyzer, "d", &filled, kind, &lines, &findings, Needs { owner: false, summaries: true });
                prop_assert!(doc.problems.is_empty(), "{}: {:?}", what, doc.problems);
                for goal in &doc.goals {
                    prop_assert!(texts.contains(&goal.title), "{} ({:?}): title {:?} is not canon text", what, markup, goal.title);
                    for m in &goal.measures {
                        // A measure in one line holds its target as typed.
                        prop_assert!(m.summary.contains(m.target.as_deref().unwrap_or("?")), "{:?}", m);
                    }
                }
                // The values exported are the values typed, in order (the
                // SMART Time-bound date is not a measure of its own).
                let typed = |which: &str| -> Vec<String> {
                    slots.iter().filter(|s| s.which == which).map(|s| filled[s.range.clone()].to_string()).collect()
                };
                let got = |f: fn(&export::MeasureRecord) -> &Option<String>| -> Vec<String> {
                    doc.goals.iter().flat_map(|g| g.measures.iter()).filter_map(|m| f(m).clone()).collect()
                };
                prop_assert_eq!(got(|m| &m.target), typed("target"), "{}", what);
                prop_assert_eq!(got(|m| &m.baseline), typed("baseline"), "{}", what);
                let measures: usize = doc.goals.iter().map(|g| g.measures.len()).sum();
                prop_assert_eq!(measures, typed("target").len());
                // The outline (symbols, folds, lenses) shows the goals the
                // export writes, no more.
                let outline = analyzer.outline(&filled, kind, &lines);
                let shown: Vec<usize> = outline.blocks.iter().map(|b| b.goals.len()).collect();
                prop_assert_eq!(shown.iter().sum::<usize>(), doc.goals.len(), "{} ({:?}): outline {:?}", what, markup, shown);
                for m in doc.goals.iter().flat_map(|g| g.measures.iter()) {
                    prop_assert!(m.due.is_some(), "{}: {:?}", what, m);
                }
                // A frame filled in a word processor comes back with its
                // quotes curled (`“…”`): the same goals, and no finding.
                // (Only the template's pair: quotes inside canon text,
                // curled, would be canon text changed.)
                let curled: String = filled
                    .split_inclusive('\n')
                    .map(|line| {
                        // A row's quote (`Deliver: "`, `bar: "`, a scorecard
                        // bullet), not a goal's title line quoting canon.
                        let opened = line.find('"').is_some_and(|i| {
                            ["Deliver: ", "tied to: ", "rubric: ", " bar: "]
                                .iter()
                                .any(|lead| line[..i].ends_with(lead))
                                || line[..i].trim_start() == "- "
                        });
                        if !opened || line.matches('"').count() != 2 {
                            return line.to_string();
                        }
                        let mut n = 0;
                        line.chars()
                            .map(|c| match c {
                                '"' => {
                                    n += 1;
                                    if n % 2 == 1 { '\u{201c}' } else { '\u{201d}' }
                                }
                                c => c,
                            })
                            .collect::<String>()
                    })
                    .collect();
                // Another text of the same goals: no finding, and the same
                // goals out (each one's place in the document aside).
                let unplaced = |goals: &[export::GoalRecord]| -> Vec<export::GoalRecord> {
                    goals.iter().cloned().map(|g| export::GoalRecord { range: 0..0, ..g }).collect()
                };
                let reads_the_same = |other: &str| -> Result<(), TestCaseError> {
                    let lines = Lines::new(other);
                    let found = analyzer.analyze_lines(other, kind, &lines);
                    prop_assert!(found.is_empty(), "{} ({:?}): {:?}\n{}", what, markup, found, other);
                    let findings = || analyzer.analyze_lines(other, kind, &lines);
                    let again = export::document(&analyzer, "d", other, kind, &lines, &findings, Needs { owner: false, summaries: true });
                    prop_assert_eq!(unplaced(&again.goals), unplaced(&doc.goals), "{} ({:?}):\n{}", what, markup, other);
                    Ok(())
                };
                reads_the_same(&curled)?;
                if markup != Markup::Markdown {
                    continue;
                }
                // Markdown's markup around each value (emphasis, a code
                // span, a comment after it) is not part of what is read:
                // the same goals, and still no finding.
                let mut marked = String::new();
                let mut from = 0;
                for s in &slots {
                    let v = &filled[s.range.clone()];
                    marked.push_str(&filled[from..s.range.start]);
                    marked.push_str(&match rng.below(5) {
                        0 => format!("**{v}**"),
                        1 => format!("*{v}*"),
                        2 => format!("`{v}`"),
                        3 => format!("__{v}__"),
                        _ => format!("{v} <!-- as agreed -->"),
                    });
                    from = s.range.end;
                }
                marked.push_str(&filled[from..]);
                reads_the_same(&marked)?;
            }
        }
    }
}

// --- Export and lint agree: what export refuses, lint reports, after the
// edits a manager makes by hand

/// Whether `range` of `text` is the inside of one quote: a quote mark on
/// each side and none within (a canon quote restored where it stands,
/// even one pasted into another row's value).
fn inside_one_quote(text: &str, range: &std::ops::Range<usize>) -> bool {
    let mark = |c: Option<char>| matches!(c, Some('"' | '“' | '”'));
    mark(text[..range.start].chars().next_back())
        && mark(text[range.end..].chars().next())
        && !text[range.clone()].contains(['"', '“', '”'])
}

/// Calls `check` with every frame of `g`'s canon, filled, edited by hand
/// one to three times (`hand_edit`), in text and in markdown, and an
/// analyzer of the canon with a 2027 review cycle.
fn each_edited_by_hand(
    g: &GenCanon,
    seed: u64,
    mut check: impl FnMut(
        &goalframe::analysis::Analyzer,
        &str,
        DocKind,
        &str,
    ) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    let canon = load_sources(g.files(), vec![]).expect("a generated canon is valid");
    let settings = cycle_2027();
    let analyzer = goalframe::analysis::Analyzer::new(&canon, &settings);
    let mut rng = support::rng::Rng::new(seed);
    for (markup, kind) in [
        (Markup::Text, DocKind::Text),
        (Markup::Markdown, DocKind::Markdown),
    ] {
        for (what, text) in every_frame(&canon, markup, false) {
            let (filled, _) = fill(&text, &mut rng);
            let mut edited = filled;
            for _ in 0..1 + rng.below(3) {
                edited = hand_edit(&edited, &mut rng);
            }
            check(&analyzer, &what, kind, &edited)?;
        }
    }
    Ok(())
}

/// `text` with one edit a manager might make to a filled frame by hand:
/// a line taken out, copied, moved, its bold or its label's colon taken
/// off, its first letter lowered, a key result renumbered, a blank line
/// put in, its indentation changed, the whole frame pasted again, a
/// goal's number made a bullet, a heading, title, note or table row of
/// the writer's own put in, a line put in a code block, a character that
/// does not show pasted into a line.
fn hand_edit(text: &str, rng: &mut support::rng::Rng) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    if lines.is_empty() {
        return String::new();
    }
    let i = rng.below(lines.len());
    match rng.below(18) {
        0 => {
            lines.remove(i);
        }
        1 => {
            let l = lines[i].clone();
            lines.insert(i, l);
        }
        2 => {
            let l = lines[i].clone();
            let j = rng.below(lines.len() + 1);
            lines.insert(j, l);
        }
        3 => lines[i] = lines[i].replace("**", ""),
        4 => lines[i] = lines[i].replacen(":**", "**", 1),
        5 => {
            let l = &lines[i];
            if let Some(at) = l.find(|c: char| c.is_ascii_alphabetic()) {
                lines[i] = format!("{}{}", &l[..at], l[at..].to_lowercase());
            }
        }
        6 => lines[i] = lines[i].replacen(rng.pick(&["KR1", "KR2"]), "KR3", 1),
        7 if i + 1 < lines.len() => lines.swap(i, i + 1),
        8 => lines.insert(i, "\n".to_string()),
        9 => lines[i] = format!("  {}", lines[i]),
        10 => lines[i] = lines[i].trim_start().to_string(),
        11 => return format!("{text}\n{text}"),
        12 => {
            // A numbered item made a bullet, or its number's `.` a `)`.
            let l = &lines[i];
            let content = l.trim_start();
            let digits = content.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                let marker = if rng.chance(0.5) { "-" } else { "1)" };
                // The number's delimiter out (a character pasted after the
                // number may stand there).
                let rest = &content[digits..];
                let after = rest.char_indices().nth(1).map_or(rest.len(), |(at, _)| at);
                lines[i] = format!(
                    "{}{marker}{}",
                    &l[..l.len() - content.len()],
                    &rest[after..]
                );
            }
        }
        13 => lines.insert(
            i,
            rng.pick(&[
                "### Notes\n",
                "Notes\n",
                "SMART goals\n",
                "OKRs\n",
                "## MBO areas\n",
            ])
            .to_string(),
        ),
        14 => lines.insert(
            i,
            rng.pick(&[
                "\u{3000}\n",
                " \t\n",
                "Agreed with the team.\n",
                "| a | b |\n",
            ])
            .to_string(),
        ),
        15 => lines[i] = lines[i].replacen(rng.pick(&["KR1", "KR2"]), rng.pick(&["KR2", "KR1"]), 1),
        16 => {
            // A line shown as code.
            lines.insert(i + 1, "```\n".to_string());
            lines.insert(i, "```\n".to_string());
        }
        17 => {
            // A character that does not show pasted somewhere in the line.
            let l = &lines[i];
            let bounds: Vec<usize> = l.char_indices().map(|(at, _)| at).collect();
            let at = bounds[rng.below(bounds.len())];
            let c = rng.pick(&["\u{b}", "\u{1b}", "\u{202e}", "\u{200b}", "\u{2028}"]);
            lines[i] = [&l[..at], c, &l[at..]].concat();
        }
        _ => {}
    }
    lines.concat()
}

proptest! {
    #![proptest_config(config(24))]

    /// Every problem `export` refuses a document for is a `lint` finding
    /// of the same code at the same place, however the frame was edited:
    /// a team that runs `lint` in CI is never surprised by `export`.
    #[test]
    fn what_export_refuses_lint_reports_after_edits_by_hand(g in gen_canon(), seed in any::<u64>()) {
        use goalframe::analysis::Lines;
        use goalframe::export::{self, Needs};
        each_edited_by_hand(&g, seed, |analyzer, what, kind, edited| {
            let lines = Lines::new(edited);
            let found = analyzer.analyze_lines(edited, kind, &lines);
            let findings = || found.clone();
            let doc = export::document(analyzer, "d", edited, kind, &lines, &findings, Needs { owner: false, summaries: true });
            for p in &doc.problems {
                prop_assert!(
                    found.iter().any(|f| f.code == p.code && f.range == p.range),
                    "{} ({:?}): export refuses for {:?} at {:?} ({:?}), lint has {:?}\n{}",
                    what, kind, p.code, p.range, p.message,
                    found.iter().map(|f| (f.code, f.range.clone(), f.message.as_ref())).collect::<Vec<_>>(),
                    edited
                );
            }
            Ok(())
        })?;
    }

    /// Fix-all (and `lint --fix`) takes only fixes nobody needs to choose:
    /// after edits by hand, none of its edits touches a filled value the
    /// goal reader reads, but to take out a character that does not show,
    /// to make a SMART goal's Time-bound date its Measurable date, or to
    /// restore canon text inside one quote (a row pasted into a value).
    #[test]
    fn fix_all_never_rewrites_a_value_after_edits_by_hand(g in gen_canon(), seed in any::<u64>()) {
        use goalframe::analysis::{outline::fix_all, Lines};
        use goalframe::goals::slots::RowKind;
        each_edited_by_hand(&g, seed, |analyzer, what, kind, edited| {
            let edits = fix_all(analyzer.analyze(edited, kind));
            let lines = Lines::new(edited);
            let reading = analyzer.read_goals(edited, kind, &lines);
            for m in reading.goals.iter().flat_map(|g| &g.measures) {
                for v in [&m.baseline, &m.target, &m.date].into_iter().flatten() {
                    if v.text.is_none() {
                        continue;
                    }
                    for e in &edits {
                        let touches = e.range.start < v.range.end && v.range.start < e.range.end.max(e.range.start + 1);
                        let hidden_only = e.new_text.trim().is_empty()
                            && !goalframe::hidden::find(&edited[e.range.clone()]).is_empty();
                        let aligned = m.kind == RowKind::TimeBound;
                        let quote = inside_one_quote(edited, &e.range);
                        prop_assert!(
                            !touches || hidden_only || aligned || quote,
                            "{} ({:?}): fix-all edits {:?} to {:?}, over the value {:?}\n{}",
                            what, kind, &edited[e.range.clone()], e.new_text, &edited[v.range.clone()], edited
                        );
                    }
                }
            }
            Ok(())
        })?;
    }
}

/// Lines a front matter may hold: known and unknown keys, plain, quoted
/// and escaped, and YAML that does not parse.
const FRONT_MATTER_LINES: &[&str] = &[
    "owner: ana@example.com",
    "cycle_start: 2027-01-01",
    "owner:",
    "cycle_end: \t",
    "colour: blue",
    "ключ: значение",
    "\"cöl😀r\": x",
    "'k\u{e9}''y': y",
    "\"tab\\tkey\": z",
    "name: [unclosed",
    "cycle: [\u{3000}",
    "\u{3000}\u{a0}",
    "  nested: 2",
    "list:",
    ": no key",
    "\"\": quoted no key",
    "  - a",
    "# a comment ⟨target⟩",
    "",
];

proptest! {
    #![proptest_config(config(512))]

    /// Any front matter, with any of YAML's line breaks: every problem lies
    /// inside it on character boundaries and shows at least a character, an
    /// unknown plain key is placed on exactly its text, and an empty value
    /// on its key's line.
    #[test]
    fn front_matter_problems_are_placed_on_what_they_name(
        lines in prop::collection::vec(prop::sample::select(FRONT_MATTER_LINES), 0..12),
        breaks in prop::collection::vec(prop::sample::select(&["\n", "\r", "\r\n"][..]), 13),
    ) {
        let mut text = String::from("---");
        text.push_str(breaks[0]);
        for (line, brk) in lines.iter().zip(&breaks[1..]) {
            text.push_str(line);
            text.push_str(brk);
        }
        text.push_str("---\n# Goals\n");
        let Some(m) = goalframe::goals::metadata::read(&text, true) else {
            return Err(TestCaseError::fail(format!("no front matter in {text:?}")));
        };
        for p in &m.problems {
            prop_assert!(
                m.range.start <= p.range.start && p.range.end <= m.range.end,
                "{p:?} outside {:?} in {text:?}", m.range
            );
            prop_assert!(
                text.is_char_boundary(p.range.start) && text.is_char_boundary(p.range.end),
                "{p:?} in {text:?}"
            );
            prop_assert!(!p.range.is_empty(), "{p:?} shows nothing in {text:?}");
            for key in ["colour", "ключ"] {
                if p.message.starts_with(&format!("unknown metadata key `{key}`")) {
                    prop_assert_eq!(&text[p.range.clone()], key, "{:?} in {:?}", p, text);
                }
            }
            // An empty value has no text: its key's line stands for it.
            for key in ["owner", "cycle_end"] {
                if p.message.starts_with(&format!("`{key}` is empty")) {
                    prop_assert_eq!(&text[p.range.clone()], format!("{key}:"), "{:?} in {:?}", p, text);
                }
            }
        }
    }
}
