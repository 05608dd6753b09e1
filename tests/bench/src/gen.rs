//! Deterministic synthetic inputs for goalframe's benchmarks: a canon of
//! N roles × M levels and review documents that mix filled goals,
//! placeholders, drifted canon lines, emoji and CJK text.
//!
//! Only `std` and `serde_json`, so the Criterion benches in `server/benches`
//! can include this file with `#[path]` and generate the same inputs as the
//! `goalframe-bench` binary. Same seed, same bytes, on every machine.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

// The one seeded generator of the tests and benchmarks.
#[path = "../../support/rng.rs"]
mod rng;
pub use rng::Rng;

// ---------------------------------------------------------------- canon

const FAMILIES: &[&str] = &[
    "Direct Sales / Quota-Carrying Sales",
    "Software Engineering",
    "Data & Analytics",
    "Product Management",
    "Customer Success",
    "Finance & Accounting",
    "People Operations",
    "Marketing",
    "Legal & Compliance",
    "Supply Chain / Logistics",
    "Information Security",
    "Design & Research",
    "Facilities & Workplace",
    "Clinical Operations",
    "Manufacturing",
    "Procurement",
];

const DOMAINS: &[&str] = &[
    "Account",
    "Platform",
    "Data",
    "Product",
    "Customer",
    "Revenue",
    "Payroll",
    "Brand",
    "Contract",
    "Logistics",
    "Security",
    "Research",
    "Workplace",
    "Clinical",
    "Plant",
    "Sourcing",
    "Channel",
    "Field",
    "Cloud",
    "Mobile",
    "Partner",
    "Treasury",
    "Talent",
    "Content",
    "Privacy",
    "Warehouse",
    "Identity",
    "Service",
    "Quality",
    "Vendor",
    "Pricing",
    "Growth",
];

const FUNCTIONS: &[&str] = &[
    "Executive",
    "Engineer",
    "Analyst",
    "Manager",
    "Specialist",
    "Coordinator",
    "Consultant",
    "Architect",
    "Administrator",
    "Scientist",
    "Designer",
    "Strategist",
    "Planner",
    "Advisor",
    "Operator",
    "Lead",
    "Associate",
    "Officer",
    "Partner",
    "Technician",
];

const SPECIALTIES: &[&str] = &[
    "",
    "Field Sales",
    "Inside Sales",
    "Operations",
    "Reliability",
    "Enablement",
    "Governance",
    "Automation",
    "Insights",
    "Onboarding",
    "Forecasting",
    "Localisation",
    "Integrations",
    "Quality",
    "Compliance",
    "Experience",
    "Tooling",
    "Programs",
    "Accounts",
    "Risk",
];

const LEVEL_NAMES: &[&str] = &[
    "Entry Professional",
    "Developing Professional",
    "Career Professional",
    "Advanced Professional",
    "Expert",
    "Principal",
    "Team Lead",
    "Manager",
    "Senior Manager",
    "Director",
    "Senior Director",
    "Vice President",
    "Senior Vice President",
    "Executive",
];

const DIMENSIONS: &[(&str, &[&str])] = &[
    (
        "Scope",
        &[
            "Defined deliverables / small features",
            "Whole features or a service area",
            "Several related systems or a product line",
            "A business unit's portfolio",
        ],
    ),
    (
        "Autonomy",
        &[
            "Close supervision; work is reviewed daily",
            "General supervision; reviewed at milestones",
            "Sets own priorities within team goals",
            "Sets direction for others",
        ],
    ),
    (
        "Complexity",
        &[
            "Routine problems with clear procedures",
            "Some non-routine problems; applies established patterns",
            "Ambiguous problems that need new approaches",
            "Novel problems without precedent in the organisation",
        ],
    ),
    (
        "Impact",
        &[
            "Own and immediate-team deliverables",
            "The team's results and adjacent teams",
            "A department's results",
            "Company-wide outcomes",
        ],
    ),
    (
        "Decision rights",
        &[
            "Routine technical choices within guidance",
            "Design choices within a service",
            "Budget and staffing choices for a group",
        ],
    ),
    (
        "Leadership",
        &[
            "May guide interns",
            "Mentors junior colleagues",
            "Leads a team of specialists",
            "Leads leaders",
        ],
    ),
];

const VERBS: &[&str] = &[
    "Manages",
    "Maintains",
    "Prepares",
    "Monitors",
    "Designs",
    "Coordinates",
    "Builds",
    "Owns",
    "Reviews",
    "Drives",
    "Negotiates",
    "Analyses",
    "Documents",
    "Delivers",
    "Improves",
    "Plans",
    "Recommends",
    "Resolves",
    "Tracks",
    "Presents",
    "Supports",
    "Audits",
    "Forecasts",
    "Configures",
];

const OBJECTS: &[&str] = &[
    "the entire sales cycle",
    "an accurate pipeline",
    "service-level objectives",
    "quarterly forecasts",
    "customer onboarding plans",
    "data quality checks",
    "vendor contracts and order forms",
    "release checklists",
    "incident post-mortems",
    "pricing proposals",
    "the team's operating budget",
    "access reviews",
    "training material",
    "capacity plans",
    "dashboards and weekly reports",
    "regulatory filings",
    "supplier scorecards",
    "experiment designs",
    "roadmap priorities",
    "escalations from key accounts",
];

const CONTEXTS: &[&str] = &[
    "from initial contact to closing deals",
    "on smaller, shorter-cycle SMB opportunities",
    "with limited stakeholders",
    "within defined guidelines",
    "so that company-wide forecasting remains precise",
    "in line with the published policy",
    "across two or more regions",
    "for internal and external customers",
    "using the standard tooling (CRM, ERP & BI)",
    "under general supervision",
    "with measurable quality targets",
    "and escalates risks early",
    "to resolve problems after the sale",
    "while keeping audit evidence complete",
    "for products at every lifecycle stage",
    "and shares results with the wider team",
];

const RUBRIC_CX: &[&str] = &[
    "Exercises moderate judgment in familiar contexts; resolves common questions and structures straightforward work",
    "Solves ambiguous problems by weighing several options; anticipates second-order effects",
    "Works on routine problems with established procedures and asks for help with exceptions",
    "Frames novel problems for others and sets the approach a team follows",
];

const RUBRIC_KA: &[&str] = &[
    "Applies developing knowledge of the full cycle, product fit and pricing with defined procedures",
    "Applies broad knowledge of the discipline and adapts practice to new situations",
    "Applies deep expertise and is consulted by peers across the organisation",
    "Applies foundational knowledge under guidance while learning the discipline",
];

/// What the canon generator is asked for.
#[derive(Debug, Clone, Copy)]
pub struct CanonSpec {
    pub roles: usize,
    pub levels: usize,
    pub seed: u64,
}

/// One generated role, as the corpus generator needs it.
#[derive(Debug, Clone)]
pub struct GenRole {
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    /// Level codes this role has (every level of the canon).
    pub levels: Vec<String>,
}

/// A generated canon: its files (path relative to the canon directory,
/// JSON text) and the roles, for generating documents against it.
#[derive(Debug, Clone)]
pub struct GenCanon {
    pub files: Vec<(String, String)>,
    pub roles: Vec<GenRole>,
    pub level_codes: Vec<String>,
}

impl GenCanon {
    pub fn role_levels(&self) -> usize {
        self.roles.iter().map(|r| r.levels.len()).sum()
    }

    pub fn bytes(&self) -> usize {
        self.files.iter().map(|(_, t)| t.len()).sum()
    }

    /// Writes the files below `dir` (which is created).
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        for (rel, text) in &self.files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, text)?;
        }
        Ok(())
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn level_code(i: usize) -> String {
    // P1..P6, then M1..M6, then E1..: the shape of a real ladder.
    match i {
        0..=5 => format!("P{}", i + 1),
        6..=11 => format!("M{}", i - 5),
        _ => format!("E{}", i - 11),
    }
}

/// A responsibility of realistic length (roughly 60 to 200 characters).
fn sentence(rng: &mut Rng) -> String {
    let mut s = format!("{} {}", rng.pick(VERBS), rng.pick(OBJECTS));
    let clauses = rng.range(1, 3);
    for i in 0..clauses {
        s.push(' ');
        s.push_str(rng.pick(CONTEXTS));
        if i + 1 < clauses && rng.chance(0.5) {
            s.push_str(", and");
        }
    }
    if rng.chance(0.15) {
        // Characters markdown escaping has to handle.
        s.push_str(&format!(
            " (tier *{}* | <{}>)",
            rng.range(1, 4),
            rng.range(10, 99)
        ));
    }
    s.push('.');
    s
}

/// A canon of `roles` × `levels` role-levels: 5–9 responsibilities each,
/// some role-levels without one or both rubrics, some levels without
/// dimensions. One file per role, grouped by family, like `canon/`.
pub fn canon(spec: CanonSpec) -> GenCanon {
    let mut rng = Rng::new(spec.seed);
    let level_codes: Vec<String> = (0..spec.levels).map(level_code).collect();
    let mut levels = Vec::new();
    for (i, code) in level_codes.iter().enumerate() {
        let name = LEVEL_NAMES[i % LEVEL_NAMES.len()];
        let mut lv = serde_json::json!({ "code": code, "name": name });
        // Every sixth level has no dimensions (docs/frames.md: no KR2, no calibration).
        if i % 6 != 5 {
            let n = rng.range(2, DIMENSIONS.len());
            let dims: Vec<serde_json::Value> = DIMENSIONS[..n]
                .iter()
                .map(|(name, texts)| {
                    serde_json::json!({ "name": name, "text": texts[(i / 3).min(texts.len() - 1)] })
                })
                .collect();
            lv["dimensions"] = serde_json::Value::Array(dims);
        }
        levels.push(lv);
    }
    let mut files = vec![(
        "levels.json".to_string(),
        serde_json::to_string_pretty(&serde_json::json!({ "levels": levels })).expect("json")
            + "\n",
    )];

    let combos = DOMAINS.len() * FUNCTIONS.len() * SPECIALTIES.len();
    // A stride coprime with `combos` spreads consecutive roles over the table.
    let stride = 7919usize;
    let mut roles = Vec::with_capacity(spec.roles);
    for i in 0..spec.roles {
        let k = (i * stride) % combos;
        let (d, f, s) = (
            k % DOMAINS.len(),
            (k / DOMAINS.len()) % FUNCTIONS.len(),
            k / (DOMAINS.len() * FUNCTIONS.len()),
        );
        let mut title = format!("{} {}", DOMAINS[d], FUNCTIONS[f]);
        if !SPECIALTIES[s].is_empty() {
            title = format!("{title} / {}", SPECIALTIES[s]);
        }
        let round = i / combos;
        if round > 0 {
            title = format!("{title} {}", round + 1);
        }
        let id = slug(&title);
        let family = FAMILIES[(d + f) % FAMILIES.len()];
        let initials: String = title
            .split(|c: char| !c.is_alphanumeric())
            .filter_map(|w| w.chars().next())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let aliases = if rng.chance(0.4) {
            vec![format!("{initials}-{i}")]
        } else {
            Vec::new()
        };
        let mut role_levels = serde_json::Map::new();
        for (li, code) in level_codes.iter().enumerate() {
            let n = rng.range(5, 9);
            let resp: Vec<String> = (0..n).map(|_| sentence(&mut rng)).collect();
            let mut rl = serde_json::json!({ "responsibilities": resp });
            let mut rubrics = serde_json::Map::new();
            if !rng.chance(0.1) {
                rubrics.insert(
                    "complexity/problem-solving".into(),
                    RUBRIC_CX[(li + i) % RUBRIC_CX.len()].into(),
                );
            }
            if !rng.chance(0.1) {
                rubrics.insert(
                    "knowledge-application".into(),
                    RUBRIC_KA[(li * 3 + i) % RUBRIC_KA.len()].into(),
                );
            }
            if !rubrics.is_empty() {
                rl["rubrics"] = serde_json::Value::Object(rubrics);
            }
            role_levels.insert(code.clone(), rl);
        }
        let mut role = serde_json::json!({
            "id": id,
            "title": title,
            "family": family,
            "levels": role_levels,
        });
        if !aliases.is_empty() {
            role["aliases"] = serde_json::json!(aliases);
        }
        let text = serde_json::to_string_pretty(&serde_json::json!({ "roles": [role] }))
            .expect("json")
            + "\n";
        files.push((format!("roles/{}/{id}.json", slug(family)), text));
        roles.push(GenRole {
            id,
            title,
            aliases,
            levels: level_codes.clone(),
        });
    }
    GenCanon {
        files,
        roles,
        level_codes,
    }
}

// --------------------------------------------------------------- corpus

/// Renders one frame for the corpus: (role id, level code, frame key
/// `smart|okr|mbo|scorecard|all`, markdown?) → the text an editor would
/// insert, or `None` when the frame has no rows.
pub type Render<'a> = dyn Fn(&str, &str, &str, bool) -> Option<String> + 'a;

const PROSE: &[&str] = &[
    "This half the team focused on shortening the sales cycle and on cleaner hand-offs to customer success.",
    "We agreed to revisit the targets after the Q3 planning offsite; numbers below are the current best estimate.",
    "Feedback from peers was consistently positive about responsiveness and the quality of written updates.",
    "The main risk is the dependency on the platform migration, which slipped by two sprints.",
    "Growth areas: delegating more of the reporting work, and presenting to senior stakeholders with less preparation.",
    "Manager note: calibrated against the level rubric with the skip-level manager on the 14th.",
];

const CJK: &[&str] = &[
    "本期目标：提高客户续约率，并缩短销售周期。",
    "四半期ごとに進捗を確認し、必要に応じて目標を見直します。",
    "팀 전체의 협업 방식을 개선하고 문서화 수준을 높입니다.",
    "关键结果需要与部门的年度计划保持一致，避免重复投入。",
    "顧客満足度調査の結果を次回のレビューで共有する予定です。",
];

const EMOJI: &[&str] = &["🎯", "🚀", "✅", "📈", "🤝", "⚠️", "🧭", "💡", "👩🏽‍💻", "🇯🇵"];

const TARGETS: &[&str] = &[
    "25%",
    "$1.2M",
    "12 deals",
    "95% on time",
    "3 launches",
    "4.5/5",
    "< 2 h",
];
const BASELINES: &[&str] = &[
    "18%",
    "$0.8M",
    "7 deals",
    "81% on time",
    "1 launch",
    "3.9/5",
    "6 h",
];
const DATES: &[&str] = &[
    "2026-03-31",
    "2026-06-30",
    "2026-09-30",
    "2026-12-31",
    "end of Q2",
];

/// What the corpus generator is asked for.
#[derive(Debug, Clone, Copy)]
pub struct CorpusSpec {
    pub docs: usize,
    pub min_bytes: usize,
    pub max_bytes: usize,
    pub seed: u64,
}

/// A document size between `min` and `max`: heavily skewed to small
/// documents (most reviews are a few KB) with a long tail to `max`.
pub fn doc_size(rng: &mut Rng, min: usize, max: usize) -> usize {
    let u = rng.unit();
    let ratio = max as f64 / min as f64;
    (min as f64 * ratio.powf(u * u * u)) as usize
}

/// Fills most placeholders of a rendered frame, drifts a few quoted canon
/// lines, and leaves the rest for the linter to find.
fn fill_frame(rng: &mut Rng, frame: &str, fill: f64, drift: f64, out: &mut String) {
    for line in frame.split_inclusive('\n') {
        let mut line = line.to_string();
        if rng.chance(drift) {
            // Reword one word inside a quote: canon drift.
            if let Some(q) = line.find(": \"").or_else(|| line.find("- \"")) {
                let rest = &line[q + 3..];
                if let Some(sp) = rest.find(' ') {
                    let at = q + 3 + sp;
                    line.insert_str(at, " really");
                }
            }
        }
        for (ph, values) in [
            ("⟨target⟩", TARGETS),
            ("⟨baseline⟩", BASELINES),
            ("⟨date⟩", DATES),
        ] {
            while let Some(at) = line.find(ph) {
                if !rng.chance(fill) {
                    // Leave it (and the ones after it on this line).
                    break;
                }
                line.replace_range(at..at + ph.len(), rng.pick(values));
            }
        }
        out.push_str(&line);
    }
}

fn prose(rng: &mut Rng, roles: &[GenRole], out: &mut String) {
    let n = rng.range(2, 5);
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        match rng.below(10) {
            0..=5 => out.push_str(rng.pick(PROSE)),
            6 | 7 => out.push_str(rng.pick(CJK)),
            8 => {
                let r = rng.pick_ref(roles);
                let lv = rng.pick_ref(&r.levels);
                let _ = write!(
                    out,
                    "Calibrated against @{}/{} {}.",
                    r.id,
                    lv,
                    rng.pick(EMOJI)
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "Stretch: reach {} by {} {}",
                    rng.pick(TARGETS),
                    rng.pick(DATES),
                    rng.pick(EMOJI)
                );
            }
        }
    }
    out.push_str("\n\n");
}

/// One review document of about `size` bytes (at least one section).
pub fn document(
    rng: &mut Rng,
    size: usize,
    markdown: bool,
    roles: &[GenRole],
    render: &Render,
) -> String {
    const FRAMES: &[&str] = &["smart", "okr", "mbo", "scorecard", "smart", "okr", "all"];
    let mut out = String::with_capacity(size + 4096);
    let person = rng.range(1000, 9999);
    if markdown {
        let _ = writeln!(out, "# Review {person} — 2026 H1 {}\n", rng.pick(EMOJI));
    } else {
        let _ = writeln!(out, "Review {person} — 2026 H1\n");
    }
    // Drafts leave more placeholders than finished reviews.
    let draft = rng.chance(0.3);
    let fill = if draft { 0.5 } else { 0.97 };
    loop {
        match rng.below(20) {
            0..=7 => {
                let r = rng.pick_ref(roles);
                let lv = rng.pick_ref(&r.levels);
                let frame = rng.pick(FRAMES);
                if let Some(text) = render(&r.id, lv, frame, markdown) {
                    fill_frame(rng, &text, fill, 0.02, &mut out);
                    out.push_str("\n\n");
                }
            }
            8..=12 => prose(rng, roles, &mut out),
            13 if markdown => {
                out.push_str(
                    "```text\nTemplate: ⟨target⟩ by ⟨date⟩ (example, not a goal)\n```\n\n",
                );
            }
            14 if markdown => {
                let _ = writeln!(
                    out,
                    "Use `⟨target⟩` for numbers you do not know yet; ask in #reviews {}.\n",
                    rng.pick(EMOJI)
                );
            }
            15 if markdown => {
                out.push_str("| Metric | Baseline | Target | Due |\n| --- | --- | --- | --- |\n");
                for _ in 0..rng.range(2, 6) {
                    let t = if rng.chance(fill) {
                        rng.pick(TARGETS).to_string()
                    } else {
                        "⟨target⟩".to_string()
                    };
                    let _ = writeln!(
                        out,
                        "| {} | {} | {t} | {} |",
                        rng.pick(OBJECTS),
                        rng.pick(BASELINES),
                        rng.pick(DATES)
                    );
                }
                out.push('\n');
            }
            16 => {
                // Look-alikes and a token naming no role.
                let _ = writeln!(
                    out,
                    "TODO {}: confirm <target> with finance; see @unknown-role-{}/P2 and {}.\n",
                    rng.pick(EMOJI),
                    rng.below(100),
                    rng.pick(CJK)
                );
            }
            _ => {
                for _ in 0..rng.range(2, 5) {
                    let _ = writeln!(out, "- {} {}", rng.pick(EMOJI), rng.pick(PROSE));
                }
                out.push('\n');
            }
        }
        if out.len() >= size {
            break;
        }
    }
    out
}

/// Writes `spec.docs` documents below `dir` (`team-NN/review-NNNNN.md`,
/// one in five as `.txt`); returns (files, bytes).
pub fn corpus(
    dir: &Path,
    spec: CorpusSpec,
    roles: &[GenRole],
    render: &Render,
) -> std::io::Result<(usize, u64)> {
    let mut rng = Rng::new(spec.seed);
    let mut bytes = 0u64;
    for i in 0..spec.docs {
        let size = doc_size(&mut rng, spec.min_bytes, spec.max_bytes);
        let markdown = i % 5 != 4;
        let text = document(&mut rng, size, markdown, roles, render);
        let team = dir.join(format!("team-{:02}", i % 50));
        std::fs::create_dir_all(&team)?;
        let ext = if markdown { "md" } else { "txt" };
        std::fs::write(team.join(format!("review-{i:05}.{ext}")), &text)?;
        bytes += text.len() as u64;
    }
    Ok((spec.docs, bytes))
}
