//! `goalframe-bench`: generates the synthetic inputs, drives the built
//! `goalframe lsp` over stdio, and compares `goalframe lint` with `rg` and
//! `markdownlint-cli2` on the same corpus. Prints markdown tables; see
//! BENCHMARKS.md for the commands (`tests/bench/run.sh` runs everything).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use serde_json::{json, Value};

use goalframe_bench::gen;

// Only part of the client is used here.
mod lsp;
#[allow(dead_code)]
#[path = "../../support/lsp_client.rs"]
mod lsp_client;
mod versus;
use lsp::*;
use lsp_client::LspClient;

#[derive(Parser)]
#[command(about = "goalframe's generators and end-to-end benchmarks")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Writes a synthetic canon of ROLES × LEVELS role-levels to OUT.
    GenCanon {
        out: PathBuf,
        #[arg(long, default_value_t = 1000)]
        roles: usize,
        #[arg(long, default_value_t = 12)]
        levels: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Writes a synthetic review corpus for the canon ROLES × LEVELS to OUT.
    GenCorpus {
        out: PathBuf,
        #[arg(long, default_value_t = 1000)]
        roles: usize,
        #[arg(long, default_value_t = 12)]
        levels: usize,
        #[arg(long, default_value_t = 3000)]
        docs: usize,
        #[arg(long, default_value_t = 2)]
        min_kb: usize,
        #[arg(long, default_value_t = 2048)]
        max_kb: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Writes one document of SIZE_KB to OUT (markdown unless it ends in .txt).
    GenDoc {
        out: PathBuf,
        #[arg(long, default_value_t = 1000)]
        roles: usize,
        #[arg(long, default_value_t = 12)]
        levels: usize,
        #[arg(long)]
        size_kb: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// The end-to-end language-server benchmark.
    /// The whole-document requests (outline, folding, code lens) after
    /// keystrokes on a large document, and completion while a
    /// `workspace/diagnostic` pass runs over a folder.
    LspViews {
        #[arg(long, default_value = "target/release/goalframe")]
        bin: PathBuf,
        #[arg(long)]
        doc: PathBuf,
        #[arg(long)]
        doc_canon: Option<PathBuf>,
        /// A folder of documents for the workspace pass (`gen-corpus`).
        #[arg(long)]
        corpus: Option<PathBuf>,
        #[arg(long, default_value_t = 300)]
        samples: usize,
    },
    /// A completion while a changed canon is read again.
    LspReload {
        #[arg(long, default_value = "target/release/goalframe")]
        bin: PathBuf,
        #[arg(long)]
        canon: PathBuf,
        #[arg(long, default_value_t = 10)]
        runs: usize,
    },
    Lsp {
        /// The built binary (release).
        #[arg(long, default_value = "target/release/goalframe")]
        bin: PathBuf,
        /// A generated canon for the completion and large-document runs
        /// (`gen-canon`); the default canon is always measured too.
        #[arg(long)]
        canon: Vec<PathBuf>,
        /// A large document for the diagnostics-after-edit run (`gen-doc`).
        #[arg(long)]
        doc: Option<PathBuf>,
        /// The canon the document was generated against.
        #[arg(long)]
        doc_canon: Option<PathBuf>,
        #[arg(long, default_value_t = 500)]
        samples: usize,
    },
    /// In-process: keystrokes at random places in a document, analysed
    /// incrementally (the server's `Session`) and in full.
    Edits {
        doc: PathBuf,
        #[arg(long)]
        canon: Option<PathBuf>,
        #[arg(long, default_value_t = 1000)]
        samples: usize,
        /// Instead of timing: edits that change structure (fences, markers,
        /// headings, quotes…), each checked against a full analysis.
        #[arg(long)]
        verify: bool,
    },
    /// In-process: full analysis of every document of a folder, one
    /// thread, files already in memory (analysis throughput without I/O,
    /// walking or reporting).
    Analyze {
        dir: PathBuf,
        #[arg(long)]
        canon: PathBuf,
        #[arg(long, default_value_t = 1)]
        runs: usize,
    },
    /// Canon load time and peak RSS of `goalframe canon check` per canon.
    Load {
        #[arg(long, default_value = "target/release/goalframe")]
        bin: PathBuf,
        canons: Vec<PathBuf>,
    },
    /// `goalframe lint` of one corpus by this build and by a base build
    /// (from before a change), taking turns: how much slower or faster.
    Versus {
        #[arg(long, default_value = "target/release/goalframe")]
        bin: PathBuf,
        /// The base build's `goalframe`.
        #[arg(long)]
        base: PathBuf,
        #[arg(long)]
        corpus: PathBuf,
        #[arg(long)]
        canon: PathBuf,
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// `goalframe lint` vs `rg` vs `markdownlint-cli2` on one corpus.
    Compare {
        #[arg(long, default_value = "target/release/goalframe")]
        bin: PathBuf,
        #[arg(long)]
        corpus: PathBuf,
        #[arg(long)]
        canon: PathBuf,
        #[arg(long, default_value = "rg")]
        rg: PathBuf,
        /// The markdownlint-cli2 executable (its `bin` script).
        #[arg(long)]
        markdownlint: Option<PathBuf>,
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
}

fn main() {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::GenCanon {
            out,
            roles,
            levels,
            seed,
        } => {
            let c = gen::canon(gen::CanonSpec {
                roles,
                levels,
                seed,
            });
            c.write(&out).expect("write canon");
            eprintln!(
                "{}: {} roles, {} role-levels, {} files, {:.1} MB",
                out.display(),
                c.roles.len(),
                c.role_levels(),
                c.files.len(),
                c.bytes() as f64 / 1e6
            );
        }
        Cmd::GenCorpus {
            out,
            roles,
            levels,
            docs,
            min_kb,
            max_kb,
            seed,
        } => {
            let spec = gen::CorpusSpec {
                docs,
                min_bytes: min_kb * 1024,
                max_bytes: max_kb * 1024,
                seed,
            };
            let (n, bytes) = with_renderer(roles, levels, seed, |roles, render| {
                gen::corpus(&out, spec, roles, render).expect("write corpus")
            });
            eprintln!(
                "{}: {n} documents, {:.1} MB",
                out.display(),
                bytes as f64 / 1e6
            );
        }
        Cmd::GenDoc {
            out,
            roles,
            levels,
            size_kb,
            seed,
        } => {
            let markdown = out.extension().is_none_or(|e| e != "txt");
            let text = with_renderer(roles, levels, seed, |roles, render| {
                gen::document(
                    &mut gen::Rng::new(seed),
                    size_kb * 1024,
                    markdown,
                    roles,
                    render,
                )
            });
            if let Some(p) = out.parent() {
                std::fs::create_dir_all(p).expect("mkdir");
            }
            std::fs::write(&out, &text).expect("write doc");
            eprintln!("{}: {:.2} MB", out.display(), text.len() as f64 / 1e6);
        }
        Cmd::Lsp {
            bin,
            canon,
            doc,
            doc_canon,
            samples,
        } => lsp_bench(&bin, &canon, doc.as_deref(), doc_canon.as_deref(), samples),
        Cmd::LspViews {
            bin,
            doc,
            doc_canon,
            corpus,
            samples,
        } => views_bench(&bin, &doc, doc_canon.as_deref(), corpus.as_deref(), samples),
        Cmd::LspReload { bin, canon, runs } => reload_bench(&bin, &canon, runs),
        Cmd::Load { bin, canons } => load_bench(&bin, &canons),
        Cmd::Analyze { dir, canon, runs } => analyze_bench(&dir, &canon, runs),
        Cmd::Edits {
            doc,
            canon,
            samples,
            verify,
        } => edits_bench(&doc, canon.as_deref(), samples, verify),
        Cmd::Versus {
            bin,
            base,
            corpus,
            canon,
            runs,
        } => versus::versus(&bin, &base, &corpus, &canon, runs),
        Cmd::Compare {
            bin,
            corpus,
            canon,
            rg,
            markdownlint,
            runs,
        } => compare(&bin, &corpus, &canon, &rg, markdownlint.as_deref(), runs),
    }
}

// ---------------------------------------------------------------- stats

/// Generates the canon ROLES × LEVELS, loads it, and hands its roles and a
/// renderer over it to `f` (the renderer borrows the loaded canon).
fn with_renderer<R>(
    roles: usize,
    levels: usize,
    seed: u64,
    f: impl FnOnce(&[gen::GenRole], &dyn Fn(&str, &str, &str, bool) -> Option<String>) -> R,
) -> R {
    let c = gen::canon(gen::CanonSpec {
        roles,
        levels,
        seed,
    });
    let canon = goalframe_bench::load(&c);
    let render = goalframe_bench::renderer(&canon);
    f(&c.roles, &render)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> String {
    let m = d.as_secs_f64() * 1e3;
    if m < 1.0 {
        format!("{m:.3} ms")
    } else if m < 100.0 {
        format!("{m:.2} ms")
    } else {
        format!("{m:.0} ms")
    }
}

fn p50_p99(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (
        percentile(&v, 0.5),
        percentile(&v, 0.99),
        *v.last().unwrap_or(&Duration::ZERO),
    )
}

/// Peak resident set of a process, from /proc (kB → MB).
fn vm_hwm_mb(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

// ------------------------------------------------------ processes timed

struct Run {
    wall: Duration,
    /// User and system time, as `/usr/bin/time` counts them.
    cpu: Duration,
    rss_mb: f64,
    /// Lines written to standard output; 0 when it went to /dev/null.
    out_lines: u64,
    status: i32,
}

/// Where a timed command's standard output goes.
#[derive(Clone, Copy)]
enum Out {
    /// Drained through a pipe and its lines counted: what a reader of the
    /// output pays for (ripgrep stops at the first match when it sees
    /// /dev/null).
    Pipe,
    /// /dev/null: the command alone (goalframe writes its report all the
    /// same).
    Null,
}

/// Runs `argv` in `cwd` under `/usr/bin/time` (for the peak RSS and the
/// CPU time), its standard output sent to `out`.
fn timed(argv: &[std::ffi::OsString], cwd: &Path, out: Out) -> Run {
    let times = std::env::temp_dir().join(format!("goalframe-bench.{}.time", std::process::id()));
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%M %U %S", "-o"])
        .arg(&times)
        .args(argv)
        .current_dir(cwd)
        .stderr(Stdio::null())
        .stdout(match out {
            Out::Pipe => Stdio::piped(),
            Out::Null => Stdio::null(),
        });
    let t = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {argv:?}: {e}"));
    let mut lines = 0u64;
    if let Some(mut stdout) = child.stdout.take() {
        // Read and counted as `wc -l` would (large reads, `memchr`), so the
        // reader takes as little as it can from the tool on a small machine.
        let mut buf = vec![0u8; 1 << 20];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64,
            }
        }
    }
    let status = child.wait().expect("wait");
    let wall = t.elapsed();
    // The last line is the format's ("Command exited with non-zero
    // status" may come before it): peak RSS in kB, user and system seconds.
    let said = std::fs::read_to_string(&times).unwrap_or_default();
    let _ = std::fs::remove_file(&times);
    let fields: Vec<f64> = said
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let (rss_kb, cpu) = match fields[..] {
        [kb, user, system] => (kb, user + system),
        _ => panic!("/usr/bin/time wrote {said:?} for {argv:?}"),
    };
    Run {
        wall,
        cpu: Duration::from_secs_f64(cpu),
        rss_mb: rss_kb / 1024.0,
        out_lines: lines,
        status: status.code().unwrap_or(-1),
    }
}

/// Each command run once to warm up, then `runs` times (at least once)
/// in turn, command after command, so that a slow spell on a shared
/// machine slows every command alike rather than the one that happened
/// to be running. Each turn starts one command further on: on this
/// machine a run straight after another is a few per cent slower, and
/// the rotation spreads that over every command. The timed runs of each
/// command, in its order.
fn in_turn(cmds: &[(&[std::ffi::OsString], &Path)], runs: usize, out: Out) -> Vec<Vec<Run>> {
    for (argv, cwd) in cmds {
        timed(argv, cwd, out);
    }
    let mut all: Vec<Vec<Run>> = cmds.iter().map(|_| Vec::new()).collect();
    for turn in 0..runs.max(1) {
        for i in turn_order(turn, cmds.len()) {
            let (argv, cwd) = cmds[i];
            all[i].push(timed(argv, cwd, out));
        }
    }
    all
}

/// The order of `n` commands in turn `turn`: all of them, starting one
/// further on each turn.
fn turn_order(turn: usize, n: usize) -> impl Iterator<Item = usize> {
    (0..n).map(move |k| (turn + k) % n)
}

/// The value of `sorted` (not empty) at quartile `q` (1, 2 or 3): the one
/// at rank `len × q / 4`. A build's median and `versus`'s turn-by-turn
/// quartiles are both read here, so they are read at the same rank.
fn quartile<T: Copy>(sorted: &[T], q: usize) -> T {
    sorted[sorted.len() * q / 4]
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    quartile(&v, 2)
}

/// The placeholder pattern every tool looks for: `⟨word⟩` and the default
/// look-alikes (docs/lsp.md).
const PATTERN: &str = r"⟨[^⟨⟩\r\n]{1,40}⟩|<(target|baseline|date)>|〈(target|baseline|date)〉|\{\{(target|baseline|date)\}\}";

const MARKDOWNLINT_RULE: &str = "markdownlint/goalframe-placeholders.cjs";

fn compare(
    bin: &Path,
    corpus: &Path,
    canon: &Path,
    rg: &Path,
    markdownlint: Option<&Path>,
    runs: usize,
) {
    let files = walk_count(corpus);
    println!(
        "### `goalframe lint` vs `rg` vs `markdownlint-cli2` ({} files, {:.1} MB; median of {runs} runs after a warm-up, the tools taking turns; markdownlint-cli2 one run)\n",
        files.0,
        files.1 as f64 / 1e6
    );
    let os = |s: &str| std::ffi::OsString::from(s);
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let corpus = abs(corpus);
    let lint: Vec<std::ffi::OsString> = vec![
        abs(bin).into(),
        os("lint"),
        os("--fail-on"),
        os("never"),
        os("--canon"),
        abs(canon).into(),
        corpus.clone().into(),
    ];
    let rg: Vec<std::ffi::OsString> = vec![
        abs(rg).into(),
        os("-n"),
        os("--no-heading"),
        os("-g"),
        os("*.md"),
        os("-g"),
        os("*.txt"),
        os("-e"),
        os(PATTERN),
        corpus.clone().into(),
    ];
    let here = std::env::current_dir().expect("cwd");
    let mut lint_github = lint.clone();
    lint_github.insert(2, os("--format"));
    lint_github.insert(3, os("github"));
    let mut tools: Vec<(&str, Vec<std::ffi::OsString>, PathBuf)> = vec![
        ("goalframe lint", lint, here.clone()),
        ("rg", rg, here.clone()),
        ("goalframe lint --format github", lint_github, here),
    ];
    if let Some(mdl) = markdownlint {
        let rule = Path::new(env!("CARGO_MANIFEST_DIR")).join(MARKDOWNLINT_RULE);
        let config = std::env::temp_dir().join("goalframe-bench.markdownlint-cli2.jsonc");
        std::fs::write(
            &config,
            serde_json::to_string_pretty(&json!({
                "config": { "default": false, "goalframe-placeholders": true },
                "customRules": [rule],
                "noProgress": true,
            }))
            .expect("json"),
        )
        .expect("write markdownlint config");
        let argv = vec![
            abs(mdl).into(),
            os("--config"),
            config.into(),
            os("**/*.md"),
            os("**/*.txt"),
        ];
        tools.push(("markdownlint-cli2", argv, corpus.clone()));
    }
    // The fast tools take turns (`in_turn`). markdownlint-cli2 takes
    // minutes: one run, last, the files already in the page cache from the
    // others' warm-ups.
    let fast: Vec<(&[std::ffi::OsString], &Path)> = tools
        .iter()
        .filter(|t| t.0 != "markdownlint-cli2")
        .map(|(_, argv, cwd)| (argv.as_slice(), cwd.as_path()))
        .collect();
    let mut timed_runs = in_turn(&fast, runs, Out::Pipe).into_iter();
    let mut results = Vec::new();
    for (name, argv, cwd) in &tools {
        let runs = match *name {
            "markdownlint-cli2" => vec![timed(argv, cwd, Out::Pipe)],
            _ => timed_runs.next().expect("a fast tool's runs"),
        };
        let wall = median(runs.iter().map(|r| r.wall).collect());
        let last = runs.into_iter().last().expect("at least one run");
        eprintln!("  {name}: {}", ms(wall));
        results.push((*name, wall, last));
    }
    let rg_wall = results[1].1.as_secs_f64();
    println!("| tool | wall (median) | vs rg | peak RSS | output lines | exit |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, wall, last) in &results {
        println!(
            "| {name} | {} | {:.2}× | {:.0} MiB | {} | {} |",
            ms(*wall),
            wall.as_secs_f64() / rg_wall,
            last.rss_mb,
            last.out_lines,
            last.status
        );
    }
    let lint_wall = results[0].1.as_secs_f64();
    println!();
    println!(
        "- `goalframe lint` / `rg` = **{:.2}×** (bound ≤ 4×)",
        lint_wall / rg_wall
    );
    if let Some((_, w, _)) = results.iter().find(|r| r.0 == "markdownlint-cli2") {
        println!(
            "- `markdownlint-cli2` / `goalframe lint` = **{:.1}×** (target ≥ 20×)",
            w.as_secs_f64() / lint_wall
        );
    }
    println!();
}

/// Every file below `dir` whose extension is one of `exts`, with its size.
fn files_below(dir: &Path, exts: &[&str]) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)) {
                let size = e.metadata().map_or(0, |m| m.len());
                out.push((p, size));
            }
        }
    }
    out
}

/// How many review documents are below `dir`, and their bytes.
fn walk_count(dir: &Path) -> (usize, u64) {
    let files = files_below(dir, &["md", "txt"]);
    (files.len(), files.iter().map(|(_, n)| n).sum())
}

// ------------------------------------------------------------ canon load

fn load_bench(bin: &Path, canons: &[PathBuf]) {
    println!("### Canon load (`goalframe canon check`, best of 3)\n");
    println!("| canon | role-levels | JSON | wall | peak RSS |");
    println!("| --- | --- | --- | --- | --- |");
    for c in canons {
        let mut best: Option<(Duration, f64)> = None;
        let mut role_levels = String::new();
        for _ in 0..3 {
            // /usr/bin/time -f reports the peak RSS of the child.
            let t = Instant::now();
            let out = Command::new("/usr/bin/time")
                .args(["-f", "%M"])
                .arg(bin)
                .args(["canon", "check", "--canon"])
                .arg(c)
                .output();
            let wall = t.elapsed();
            let (rss, summary) = match out {
                Ok(o) => {
                    let err = String::from_utf8_lossy(&o.stderr).to_string();
                    let kb: f64 = err
                        .lines()
                        .last()
                        .and_then(|l| l.trim().parse().ok())
                        .unwrap_or(0.0);
                    // "canon ok: R roles, L levels, N role-levels from …"
                    let out = String::from_utf8_lossy(&o.stdout).to_string();
                    let n = out
                        .split(", ")
                        .find_map(|p| {
                            p.strip_suffix(" role-levels from").or(p
                                .split(" role-levels")
                                .next()
                                .filter(|_| p.contains("role-levels")))
                        })
                        .unwrap_or("?")
                        .to_string();
                    (kb / 1024.0, n)
                }
                Err(e) => panic!("cannot run /usr/bin/time: {e}"),
            };
            role_levels = summary.lines().next().unwrap_or("").to_string();
            if best.is_none_or(|(w, _)| wall < w) {
                best = Some((wall, rss));
            }
        }
        let (wall, rss) = best.expect("three runs");
        let bytes = walk_json(c);
        println!(
            "| {} | {role_levels} | {:.1} MB | {} | {rss:.1} MiB |",
            c.display(),
            bytes as f64 / 1e6,
            ms(wall)
        );
    }
    println!();
}

fn walk_json(dir: &Path) -> u64 {
    files_below(dir, &["json"]).iter().map(|(_, n)| n).sum()
}

// ------------------------------------------------- in-process analysis

fn analyze_bench(dir: &Path, canon: &Path, runs: usize) {
    use goalframe::analysis::{Analyzer, DocKind, Lines, Memo};
    let canon = goalframe::canon::load_dirs(&[canon.to_path_buf()]).expect("canon loads");
    let settings = goalframe::config::Settings::default();
    let docs: Vec<(DocKind, String)> = files_below(dir, &["md", "txt"])
        .into_iter()
        .filter_map(|(p, _)| Some((DocKind::from_path(&p), std::fs::read_to_string(&p).ok()?)))
        .collect();
    let bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
    for _ in 0..runs {
        let analyzer = Analyzer::new(&canon, &settings);
        // As a `goalframe lint` worker does: a line index per document,
        // lookups kept from one document to the next.
        let mut memo = Memo::default();
        let t = Instant::now();
        let findings: usize = docs
            .iter()
            .map(|(k, t)| {
                analyzer
                    .analyze_reusing(t, *k, &Lines::new(t), &mut memo)
                    .len()
            })
            .sum();
        let d = t.elapsed();
        println!(
            "{} documents, {:.1} MB, {findings} findings: {} ({:.0} MB/s, one thread)",
            docs.len(),
            bytes as f64 / 1e6,
            ms(d),
            bytes as f64 / 1e6 / d.as_secs_f64()
        );
    }
}

// ------------------------------------------------------ in-process edits

fn edits_bench(doc: &Path, canon: Option<&Path>, samples: usize, verify: bool) {
    use goalframe::analysis::{Analyzer, DocKind, Session};
    let canon = match canon {
        Some(c) => goalframe::canon::load_dirs(&[c.to_path_buf()]).expect("canon loads"),
        None => goalframe::canon::load_embedded().expect("default canon"),
    };
    let settings = goalframe::config::Settings::default();
    let analyzer = Analyzer::new(&canon, &settings);
    let text = std::fs::read_to_string(doc).expect("read document");
    let kind = DocKind::from_path(doc);
    let t = Instant::now();
    let full = analyzer.analyze(&text, kind);
    let full_time = t.elapsed();
    let mut session = Session::new(text, kind);
    let t = Instant::now();
    session.findings(&analyzer);
    let first = t.elapsed();
    if verify {
        const PIECES: &[&str] = &[
            "\n",
            "\n\n",
            "`",
            "```\n",
            "~~~\n",
            "    ",
            "<!--",
            "-->",
            "## ",
            "- ",
            "⟨target⟩",
            "\"",
            "x",
            "中文😀",
            "\n<!-- goalframe-disable -->\n",
            "@nobody/P2",
        ];
        let mut rng = gen::Rng::new(7);
        for step in 0..samples {
            let len = session.text().len();
            let mut a = rng.below(len + 1);
            while !session.text().is_char_boundary(a) {
                a -= 1;
            }
            let mut b = (a + rng.below(8)).min(len);
            while !session.text().is_char_boundary(b) {
                b += 1;
            }
            let piece = PIECES[rng.below(PIECES.len())];
            session.edit(a..b, piece);
            let got = session.findings(&analyzer);
            let want = analyzer.analyze(session.text(), kind);
            assert!(got == want, "step {step}: incremental differs from full");
        }
        println!("{samples} structural edits: incremental == full after each");
        return;
    }
    let mut rng = gen::Rng::new(42);
    let mut lat = Vec::new();
    let mut slow: Vec<(Duration, String)> = Vec::new();
    for i in 0..samples {
        let mut at = rng.below(session.text().len());
        while !session.text().is_char_boundary(at) {
            at -= 1;
        }
        let t = Instant::now();
        session.edit(at..at, "x");
        session.findings(&analyzer);
        let d = t.elapsed();
        lat.push(d);
        let ls = session.text()[..at].rfind('\n').map_or(0, |i| i + 1);
        let le = session.text()[at..]
            .find('\n')
            .map_or(session.text().len(), |i| at + i);
        slow.push((d, session.text()[ls..le].chars().take(80).collect()));
        if i % 2 == 1 {
            session.edit(at..at + 1, "");
            session.findings(&analyzer);
        }
    }
    slow.sort_by_key(|x| std::cmp::Reverse(x.0));
    let (p50, p99, max) = p50_p99(lat);
    println!(
        "{} KB, {} findings: full analysis {}, session's first {}, keystroke p50 {} p99 {} max {}",
        session.text().len() / 1024,
        full.len(),
        ms(full_time),
        ms(first),
        ms(p50),
        ms(p99),
        ms(max)
    );
    for (d, line) in slow.iter().take(5) {
        eprintln!("  slow: {} on {line:?}", ms(*d));
    }
}
