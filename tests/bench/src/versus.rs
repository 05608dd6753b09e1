//! `goalframe-bench versus`: `goalframe lint` of one corpus by two builds,
//! the one measured and a base (a build from before a change), taking
//! turns so that a slow spell on a shared machine slows both alike. What
//! BENCHMARKS.md's "at most N % slower than before" rows are measured with.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{median, ms};

/// One run: its wall time and the CPU time (user + system) it used.
struct Run {
    wall: Duration,
    cpu: Duration,
}

/// Runs `bin lint --fail-on never --canon CANON CORPUS` with the report
/// written to /dev/null (goalframe writes it all the same), under
/// `/usr/bin/time` for the CPU time.
fn run(bin: &Path, corpus: &Path, canon: &Path) -> Run {
    let times = std::env::temp_dir().join(format!("goalframe-bench-versus.{}", std::process::id()));
    let start = Instant::now();
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%U %S", "-o"])
        .arg(&times)
        .arg(bin)
        .args(["lint", "--fail-on", "never", "--canon"])
        .arg(canon)
        .arg(corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    let wall = start.elapsed();
    assert!(status.success(), "{} lint failed: {status}", bin.display());
    let said = std::fs::read_to_string(&times).expect("the times /usr/bin/time wrote");
    let _ = std::fs::remove_file(&times);
    let cpu: f64 = said
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .map(|s| s.parse::<f64>().expect("a number of seconds"))
        .sum();
    Run {
        wall,
        cpu: Duration::from_secs_f64(cpu),
    }
}

/// Prints the table: each build's median and fastest wall time and its
/// median CPU time over `runs` runs after one warm-up each, and how much
/// slower than the base the measured build is.
pub fn versus(bin: &Path, base: &Path, corpus: &Path, canon: &Path, runs: usize) {
    let runs = runs.max(1);
    let builds = [("base", base), ("measured", bin)];
    for (_, b) in builds {
        run(b, corpus, canon);
    }
    let mut walls = [Vec::new(), Vec::new()];
    let mut cpus = [Vec::new(), Vec::new()];
    for _ in 0..runs {
        for (i, (_, b)) in builds.iter().enumerate() {
            let r = run(b, corpus, canon);
            walls[i].push(r.wall);
            cpus[i].push(r.cpu);
        }
    }
    let fastest: Vec<Duration> = walls
        .iter()
        .map(|w| *w.iter().min().expect("a run"))
        .collect();
    let walls: Vec<Duration> = walls.into_iter().map(median).collect();
    let cpus: Vec<Duration> = cpus.into_iter().map(median).collect();
    println!(
        "### `goalframe lint` of {} by two builds (median of {runs} runs after a warm-up, taking turns; report to /dev/null)\n",
        corpus.display()
    );
    println!(
        "| build | wall (median) | wall (fastest) | CPU (median) | vs base, wall | vs base, CPU |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    let change = |now: Duration, before: Duration| {
        format!(
            "{:+.1} %",
            100.0 * (now.as_secs_f64() / before.as_secs_f64() - 1.0)
        )
    };
    for (i, (name, b)) in builds.iter().enumerate() {
        println!(
            "| {name} (`{}`) | {} | {} | {} | {} | {} |",
            b.display(),
            ms(walls[i]),
            ms(fastest[i]),
            ms(cpus[i]),
            change(walls[i], walls[0]),
            change(cpus[i], cpus[0]),
        );
    }
    println!();
}
