//! What the fuzz targets share: structured inputs built from fuzzer
//! bytes, and the properties every input must keep (the same ones
//! tests/properties.rs checks on a bounded, seeded sample).

use std::sync::LazyLock;

use arbitrary::Arbitrary;
use goalframe::analysis::{Analyzer, Finding, Session};
use goalframe::canon::{load_embedded, Canon, SourceFile};
use goalframe::config::Settings;
use goalframe::render::{self, Form, Markup, Selection};
use serde_json::{json, Map, Value};

static CANON: LazyLock<Canon> = LazyLock::new(|| load_embedded().expect("default canon"));
static SETTINGS: LazyLock<Settings> = LazyLock::new(Settings::default);

/// One analyzer for every input: building its searchers for each would
/// cost more than analysing a small document.
pub fn analyzer() -> &'static Analyzer<'static> {
    static ANALYZER: LazyLock<Analyzer<'static>> =
        LazyLock::new(|| Analyzer::new(&CANON, &SETTINGS));
    &ANALYZER
}

/// Canon words: plain words, markdown and snippet metacharacters and wide
/// characters; never a placeholder bracket, a token or a look-alike,
/// which canon text rendered into a frame may not contain.
const WORDS: &[&str] = &[
    "Manages",
    "the",
    "sales",
    "cycle",
    "$25k",
    "{no exceptions}",
    "|",
    "*whole*",
    "<stale>",
    "_x_",
    "`code`",
    "[link](x)",
    "\\",
    "#1",
    "1.",
    "-",
    "&amp;",
    "😀",
    "中文",
    "\"quoted\"",
    ":",
    "+",
    "=",
    "~",
    ">",
    "&#32;",
    "\" |",
    "e\u{301}",
];

/// Some canon words, joined by spaces (never empty).
#[derive(Debug, Clone)]
pub struct Words(pub String);

impl<'a> Arbitrary<'a> for Words {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = u.int_in_range(1..=6)?;
        let mut parts = Vec::with_capacity(n);
        for _ in 0..n {
            parts.push(*u.choose(WORDS)?);
        }
        Ok(Words(parts.join(" ")))
    }
}

#[derive(Debug, Clone, Arbitrary)]
pub struct GenLevel {
    pub name: Words,
    pub dimensions: Vec<(Words, Words)>,
}

#[derive(Debug, Clone, Arbitrary)]
pub enum RubricKey {
    Complexity,
    Knowledge,
    Other,
}

#[derive(Debug, Clone, Arbitrary)]
pub struct GenRoleLevel {
    pub responsibilities: Vec<Words>,
    pub rubrics: Vec<(RubricKey, Words)>,
}

#[derive(Debug, Clone, Arbitrary)]
pub struct GenRole {
    pub title: Words,
    pub family: Words,
    pub aliases: Vec<Words>,
    /// What the role holds at each level, by index (missing: not held).
    pub levels: Vec<Option<GenRoleLevel>>,
}

/// A valid canon by construction: unique level codes and role ids, every
/// role held at one level at least.
#[derive(Debug, Clone, Arbitrary)]
pub struct GenCanon {
    pub levels: Vec<GenLevel>,
    pub roles: Vec<GenRole>,
}

impl GenCanon {
    pub fn files(&self) -> Vec<SourceFile> {
        let n_levels = self.levels.len().clamp(1, 4);
        let levels: Vec<Value> = (0..n_levels)
            .map(|i| match self.levels.get(i) {
                Some(l) => json!({
                    "code": format!("L{i}"),
                    "name": l.name.0,
                    "dimensions": l.dimensions.iter().take(4)
                        .map(|(n, t)| json!({"name": n.0, "text": t.0}))
                        .collect::<Vec<_>>(),
                }),
                None => json!({"code": format!("L{i}"), "name": "Level"}),
            })
            .collect();
        let roles: Vec<Value> = self
            .roles
            .iter()
            .take(4)
            .enumerate()
            .map(|(i, r)| {
                let mut held = Map::new();
                for (j, rl) in r.levels.iter().take(n_levels).enumerate() {
                    let Some(rl) = rl else { continue };
                    let rubrics: Map<String, Value> = rl
                        .rubrics
                        .iter()
                        .map(|(k, t)| {
                            let key = match k {
                                RubricKey::Complexity => "complexity/problem-solving",
                                RubricKey::Knowledge => "knowledge-application",
                                RubricKey::Other => "communication",
                            };
                            (key.to_string(), Value::String(t.0.clone()))
                        })
                        .collect();
                    let resp: Vec<&str> = rl
                        .responsibilities
                        .iter()
                        .take(4)
                        .map(|w| w.0.as_str())
                        .collect();
                    held.insert(
                        format!("L{j}"),
                        json!({"responsibilities": resp, "rubrics": rubrics}),
                    );
                }
                if held.is_empty() {
                    held.insert("L0".into(), json!({}));
                }
                // Aliases are unique across roles by their role number.
                let aliases: Vec<String> = r
                    .aliases
                    .iter()
                    .take(2)
                    .enumerate()
                    .map(|(k, _)| format!("alias-{i}-{k}"))
                    .collect();
                json!({"id": format!("role-{i}"), "title": format!("{} {i}", r.title.0),
                       "family": r.family.0, "aliases": aliases, "levels": held})
            })
            .collect();
        vec![
            SourceFile {
                path: "levels.json".into(),
                bytes: serde_json::to_vec_pretty(&json!({ "levels": levels })).expect("json"),
            },
            SourceFile {
                path: "roles.json".into(),
                bytes: serde_json::to_vec(&json!({ "roles": roles })).expect("json"),
            },
        ]
    }
}

/// Every frame of every role level, rendered for insertion: (what, text).
pub fn every_frame(canon: &Canon, markup: Markup) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for role in canon.roles() {
        for rl in &role.levels {
            let code = &canon.levels()[rl.level].code;
            let ral = canon
                .role_at(&role.id, code)
                .expect("a role level of the canon");
            let form = Form {
                markup,
                snippet: false,
            };
            for sel in Selection::EVERY {
                if let Ok(text) = render::render_insert(ral, sel, form) {
                    out.push((format!("{}/{code} {}", role.id, sel.label()), text));
                }
            }
        }
    }
    out
}

/// Byte ranges of every `⟨…⟩` in `text` after the document preamble
/// (which names the placeholders rather than holding them).
pub fn brackets(text: &str) -> Vec<std::ops::Range<usize>> {
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

/// Findings are sorted, inside the text and on character boundaries.
pub fn check_findings(text: &str, findings: &[Finding]) {
    let mut last = 0;
    for f in findings {
        assert!(
            f.range.start <= f.range.end && f.range.end <= text.len(),
            "{f:?}"
        );
        assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
        assert!(f.range.start >= last, "unsorted: {findings:?}");
        last = f.range.start;
    }
}

/// Document pieces that reach every part of the analysis.
pub const DOC_PIECES: &[&str] = &[
    "⟨target⟩",
    "⟨baseline⟩",
    "⟨date",
    "<target>",
    "@ae/p2",
    "@nobody/p9",
    "@ae/",
    "<!-- goalframe: account-executive-field-sales/P2 smart -->",
    "<!-- goalframe: ae/P9 okr -->",
    "## SMART goals — Account Executive / Field Sales — P2",
    "SMART goals — Account Executive / Field Sales — P2",
    "   - **Specific:** Deliver: \"Manages the whole sales cycle.\"",
    "Deliver: \"",
    "tied to: \"",
    "\"",
    "<!-- goalframe-disable-next-line -->",
    "<!-- goalframe-disable -->",
    "```",
    "`",
    "    ",
    "> ",
    "- ",
    "| a | b |",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    // Characters that do not show, pasted with a value.
    "\u{b}",
    "\u{1b}[31m",
    "\u{202e}",
    "\u{200b}",
    "\u{2028}",
    "\u{85}",
    // ... and typed as their markdown entities.
    "&#x202E;",
    "&shy;",
    "&#11;",
    "😀",
    "中文",
    "e\u{301}",
    " ",
    "x",
    // Filled goals and the document's metadata: an edit here may change a
    // finding on another line (a SMART goal's two dates, the cycle).
    "---\n",
    "...\n",
    "cycle_start: 2027-01-01\n",
    "cycle_end: 2027-06-30\n",
    "owner: ana@example.com\n",
    "colour: blue\n",
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
    " by ",
    " to ",
    "more deals",
    "2027-02-30",
    "2028-03-31",
    // Markdown written another way (formatters, converters): other list
    // markers and bold, `1)` items, closed headings, headings without
    // markers, labels without their escapes, rows wrapped over lines.
    "1) ",
    "* ",
    "-   ",
    "__Measurable:__ ",
    " ##",
    "# Goal templates — Account Executive / Field Sales — P2",
    "## OKRs — Someone Else — P2",
    "  \\[source: JFM responsibility (P2)\\]",
    " [source: x]",
    "\n     ",
    // Headings with other dashes between their parts (pandoc's own
    // markdown, typed by hand): reported, not read.
    "## SMART goals --- Account Executive / Field Sales --- P2",
    "# Goal templates - ae - P2",
    " \u{2013} ",
    "\u{2014}",
    "\nSMART goals — Account Executive / Field Sales — P2\n---\n",
    "\n===",
    // An MBO table without its outer pipes: reported, with a fix.
    "\nArea | Standard | Target | Due\n--- | --- | --- | ---\nx | y | 12 deals | 2027-Q2\n",
    // A row of dashes among a table's rows, a table of the writer's own,
    // and text right under a row: what fix-all must not lose values over.
    "| --- | --- | --- | --- |\n",
    "| Metric | Baseline | Target | Due |\n",
    "     (see the dashboard)\n",
];

/// Every frame of ae/P2 in `markup`, each placeholder filled.
pub fn filled_review(markup: Markup) -> String {
    let form = Form {
        markup,
        snippet: false,
    };
    let rl = CANON
        .role_at("ae", "P2")
        .expect("ae/P2 in the default canon");
    render::render(rl, Selection::All, form)
        .expect("every frame of ae/P2")
        .replace("⟨baseline⟩", "12")
        .replace("⟨target⟩", "20 deals")
        .replace("⟨date⟩", "2027-06-30")
}

/// A document made of pieces and free text.
#[derive(Debug, Clone)]
pub struct Doc(pub String);

impl<'a> Arbitrary<'a> for Doc {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let mut s = String::new();
        for _ in 0..u.int_in_range(0..=60)? {
            if u.ratio(1, 4)? {
                s.push_str(<&str>::arbitrary(u)?);
            } else {
                s.push_str(u.choose(DOC_PIECES)?);
            }
        }
        Ok(Doc(s))
    }
}

/// One edit: where (a fraction of the text), how much to replace, with
/// what, and whether to look at the findings and the outline afterwards.
#[derive(Debug, Clone, Arbitrary)]
pub struct GenEdit {
    pub at: u16,
    pub len: u8,
    pub text: Doc,
    pub look: bool,
    /// Whether to compare the outline afterwards (asked for apart from
    /// the findings, as a client asks for symbols apart from diagnostics).
    pub outline: bool,
}

/// Applies `e` to the session on character boundaries.
pub fn apply(session: &mut Session, e: &GenEdit) {
    let text = session.text();
    let mut a = (e.at as usize * (text.len() + 1)) / (u16::MAX as usize + 1);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (a + e.len as usize).min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    session.edit(a..b, &e.text.0);
}
