//! `goalframe-bench versus`: `goalframe lint` of one corpus by two builds,
//! the one measured and a base (a build from before a change), taking
//! turns so that a slow spell on a shared machine slows both alike. What
//! BENCHMARKS.md's "at most N % slower than before" rows are measured with.

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use super::{in_turn, median, ms, Out};

/// Prints the table: each build's median and fastest wall time and its
/// median CPU time over `runs` runs after one warm-up each, and how much
/// slower than the base the measured build is. The report goes to
/// /dev/null: the figure is `lint`'s own, without a reader's share.
pub fn versus(bin: &Path, base: &Path, corpus: &Path, canon: &Path, runs: usize) {
    let builds = [("base", base), ("measured", bin)];
    let lint = |b: &Path| -> Vec<OsString> {
        let mut argv: Vec<OsString> = vec![b.into()];
        argv.extend(["lint", "--fail-on", "never", "--canon"].map(OsString::from));
        argv.extend([canon.into(), corpus.into()]);
        argv
    };
    let argvs: Vec<Vec<OsString>> = builds.iter().map(|(_, b)| lint(b)).collect();
    let here = std::env::current_dir().expect("cwd");
    let cmds: Vec<(&[OsString], &Path)> = argvs
        .iter()
        .map(|a| (a.as_slice(), here.as_path()))
        .collect();
    let all = in_turn(&cmds, runs, Out::Null);
    for ((_, b), runs) in builds.iter().zip(&all) {
        for r in runs {
            assert!(
                r.status == 0,
                "{} lint failed: exit {}",
                b.display(),
                r.status
            );
        }
    }
    let runs = all[0].len();
    let median_of =
        |runs: &[super::Run], f: fn(&super::Run) -> Duration| median(runs.iter().map(f).collect());
    let walls: Vec<Duration> = all.iter().map(|r| median_of(r, |r| r.wall)).collect();
    let fastest: Vec<Duration> = all
        .iter()
        .map(|r| r.iter().map(|r| r.wall).min().expect("a run"))
        .collect();
    let cpus: Vec<Duration> = all.iter().map(|r| median_of(r, |r| r.cpu)).collect();
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
