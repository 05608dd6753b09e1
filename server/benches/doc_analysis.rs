//! Document analysis: throughput per MB from 10 KB to 10 MB, and one
//! keystroke plus re-analysis on a large document (what the language
//! server does on every change).

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use goalframe::analysis::{Analyzer, DocKind, Session};
use goalframe::config::Settings;

fn per_mb(c: &mut Criterion) {
    let (gen, files) = common::canon_files(834);
    let canon = common::load(files);
    let settings = Settings::default();
    let analyzer = Analyzer::new(&canon, &settings);
    let mut g = c.benchmark_group("analysis");
    g.sample_size(10);
    for kb in [10usize, 100, 1024, 10 * 1024] {
        for (kind, markdown) in [(DocKind::Markdown, true), (DocKind::Text, false)] {
            let doc = common::document(&gen, &canon, kb * 1024, markdown);
            g.throughput(Throughput::Bytes(doc.len() as u64));
            let name = if markdown { "markdown" } else { "text" };
            g.bench_with_input(BenchmarkId::new(name, format!("{kb}KB")), &doc, |b, doc| {
                b.iter(|| analyzer.analyze(doc, kind).len())
            });
        }
    }
    g.finish();
}

/// One keystroke in a 5 MB markdown document and the findings after it:
/// the incremental session the language server keeps, against a full
/// re-analysis of the edited text.
fn edit(c: &mut Criterion) {
    let (gen, files) = common::canon_files(834);
    let canon = common::load(files);
    let settings = Settings::default();
    let analyzer = Analyzer::new(&canon, &settings);
    let doc = common::document(&gen, &canon, 5 * 1024 * 1024, true);
    let mut g = c.benchmark_group("edit_5MB");
    g.sample_size(20);
    let mut session = Session::new(doc.clone(), DocKind::Markdown);
    session.findings(&analyzer);
    let mut rng = common::gen::Rng::new(3);
    g.bench_function("incremental", |b| {
        b.iter(|| {
            let mut at = rng.below(session.text().len());
            while !session.text().is_char_boundary(at) {
                at -= 1;
            }
            session.edit(at..at, "x");
            let n = session.findings(&analyzer).len();
            session.edit(at..at + 1, "");
            n + session.findings(&analyzer).len()
        })
    });
    let mut text = doc.clone();
    g.bench_function("full", |b| {
        b.iter(|| {
            let mut at = rng.below(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert(at, 'x');
            let n = analyzer.analyze(&text, DocKind::Markdown).len();
            text.remove(at);
            n + analyzer.analyze(&text, DocKind::Markdown).len()
        })
    });
    g.finish();
}

criterion_group!(benches, per_mb, edit);
criterion_main!(benches);
