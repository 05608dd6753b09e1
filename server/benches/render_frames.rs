//! Rendering each frame in each form for the seed's role and level.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

use goalframe::render::{render_insert, Form, Markup, Selection};

fn frames(c: &mut Criterion) {
    let canon = goalframe::canon::load_embedded().expect("default canon");
    let ral = canon.role_at("ae", "P2").expect("seed role");
    let mut g = c.benchmark_group("render");
    for sel in Selection::EVERY {
        for (form_name, markup, snippet) in [
            ("text", Markup::Text, false),
            ("markdown", Markup::Markdown, false),
            ("snippet", Markup::Text, true),
            ("markdown-snippet", Markup::Markdown, true),
        ] {
            let form = Form { markup, snippet };
            g.bench_function(BenchmarkId::new(sel.key(), form_name), |b| {
                b.iter(|| render_insert(ral, sel, form).expect("renders").len())
            });
        }
    }
    g.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
