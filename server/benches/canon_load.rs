//! Canon load and index build, and completion ranking, from the default
//! canon up to 100,000 role-levels.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use goalframe::analysis::DocKind;
use goalframe::complete::{complete, MAX_ITEMS};

/// Roles × 12 levels: ~1k, ~10k and ~100k role-levels.
const SIZES: &[usize] = &[84, 834, 8334];

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("canon_load");
    g.sample_size(10);
    g.bench_function("default", |b| {
        b.iter(|| goalframe::canon::load_embedded().expect("default canon"))
    });
    for &roles in SIZES {
        let (gen, files) = common::canon_files(roles);
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_with_input(
            BenchmarkId::new("role_levels", gen.role_levels()),
            &files,
            |b, files| b.iter(|| common::load(files.clone())),
        );
    }
    g.finish();
}

fn ranking(c: &mut Criterion) {
    let mut g = c.benchmark_group("completion");
    let default = goalframe::canon::load_embedded().expect("default canon");
    let mut canons = vec![("default".to_string(), default, vec!["ae".to_string()])];
    for &roles in SIZES {
        let (gen, files) = common::canon_files(roles);
        let ids = gen.roles.iter().step_by(97).map(|r| r.id.clone()).collect();
        canons.push((gen.role_levels().to_string(), common::load(files), ids));
    }
    for (name, canon, ids) in &canons {
        // What the user has typed so far: `@`, a prefix, a fuzzy run, a
        // whole id, the level list and the frames.
        let mut queries: Vec<String> = vec!["@".into(), "@d".into(), "@pla".into(), "@dte".into()];
        for id in ids.iter().take(4) {
            queries.push(format!("@{}", &id[..id.len().min(6)]));
            queries.push(format!("@{id}/"));
            queries.push(format!("@{id}/P2"));
        }
        g.bench_function(BenchmarkId::new("roles_levels_frames", name), |b| {
            b.iter(|| {
                let mut n = 0;
                for q in &queries {
                    if let Some(r) = complete(q, q.len(), DocKind::Markdown, canon, true) {
                        n += r.items.len();
                    }
                }
                assert!(n > 0 && n <= queries.len() * MAX_ITEMS);
                n
            })
        });
        g.bench_function(BenchmarkId::new("search_at_only", name), |b| {
            b.iter(|| canon.search_roles("", MAX_ITEMS).roles.len())
        });
    }
    g.finish();
}

criterion_group!(benches, load, ranking);
criterion_main!(benches);
