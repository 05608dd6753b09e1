//! `goalframe-bench versus`: `goalframe lint` of one corpus by two builds,
//! the one measured and a base (a build from before a change), taking
//! turns so that a slow spell on a shared machine slows both alike. What
//! BENCHMARKS.md's "at most N % slower than before" rows are measured with.

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use super::{in_turn, median, ms, quartile, Out};

/// Prints the table: each build's median and fastest wall time and its
/// median CPU time over `runs` runs after one warm-up each, and how much
/// slower than the base the measured build is. The report goes to
/// /dev/null: the figure is `lint`'s own, without a reader's share.
///
/// Then the same change taken turn by turn: the measured run over the
/// base run of the same turn, the median and quartiles of those ratios.
/// This machine's speed drifts by tens of per cent within minutes; a
/// ratio of two runs seconds apart cancels most of that drift, where the
/// two builds' medians each carry it.
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
        "### `goalframe lint` of {} by two builds (median of {runs} runs after a warm-up, taking turns, each turn started by the other build; report to /dev/null)\n",
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
    let paired = |f: fn(&super::Run) -> Duration| {
        let r: Vec<f64> = all[0]
            .iter()
            .zip(&all[1])
            .map(|(b, m)| f(m).as_secs_f64() / f(b).as_secs_f64())
            .collect();
        let [low, mid, high] = quartiles(r).map(|q| 100.0 * (q - 1.0));
        format!("{mid:+.1} % ({low:+.1} to {high:+.1} %)")
    };
    println!("| turn by turn, measured / base | median (quartiles) |");
    println!("| --- | --- |");
    println!("| wall | {} |", paired(|r| r.wall));
    println!("| CPU | {} |", paired(|r| r.cpu));
    println!();
}

/// The first quartile, the median and the third quartile of `v` (not
/// empty), each one of its values, read by [`quartile`](crate::quartile)
/// as [`median`](crate::median) reads its middle.
fn quartiles(mut v: Vec<f64>) -> [f64; 3] {
    v.sort_by(f64::total_cmp);
    [1, 2, 3].map(|q| quartile(&v, q))
}

#[cfg(test)]
mod tests {
    use super::quartiles;
    use crate::turn_order;

    #[test]
    fn every_command_runs_once_a_turn_and_each_starts_a_turn_in_rotation() {
        let turns: Vec<Vec<usize>> = (0..4).map(|t| turn_order(t, 2).collect()).collect();
        assert_eq!(turns, [[0, 1], [1, 0], [0, 1], [1, 0]]);
        let turns: Vec<Vec<usize>> = (0..3).map(|t| turn_order(t, 3).collect()).collect();
        assert_eq!(turns, [[0, 1, 2], [1, 2, 0], [2, 0, 1]]);
    }

    #[test]
    fn quartiles_are_values_of_the_sorted_list() {
        assert_eq!(quartiles(vec![5.0, 1.0, 4.0, 2.0, 3.0]), [2.0, 3.0, 4.0]);
        assert_eq!(quartiles(vec![1.2]), [1.2, 1.2, 1.2]);
        // Thirty turns, as `versus` runs by default: ranks 7, 15 and 22,
        // the middle one where `median` reads thirty runs.
        let v: Vec<f64> = (0..30).rev().map(f64::from).collect();
        assert_eq!(quartiles(v.clone()), [7.0, 15.0, 22.0]);
        let as_durations = v
            .iter()
            .map(|&s| std::time::Duration::from_secs_f64(s))
            .collect();
        assert_eq!(crate::median(as_durations).as_secs_f64(), quartiles(v)[1]);
    }
}
