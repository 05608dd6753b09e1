//! Inputs shared by the Criterion benches: the deterministic generators of
//! `tests/bench/src/gen.rs` (included, so the library needs no extra
//! dependency) and helpers to load and render with them.

#![allow(dead_code)]

#[path = "../../../tests/bench/src/gen.rs"]
pub mod gen;

use goalframe::canon::{load_sources, Canon, SourceFile};
use goalframe::render::{self, Form, Markup, Selection};

/// The canon files of `roles` × 12 levels, as the loader reads them.
pub fn canon_files(roles: usize) -> (gen::GenCanon, Vec<SourceFile>) {
    let g = gen::canon(gen::CanonSpec {
        roles,
        levels: 12,
        seed: 1,
    });
    let files = g
        .files
        .iter()
        .map(|(rel, text)| SourceFile {
            path: rel.clone(),
            bytes: text.clone().into_bytes(),
        })
        .collect();
    (g, files)
}

pub fn load(files: Vec<SourceFile>) -> Canon {
    load_sources(files, vec!["<generated>".into()]).expect("generated canon loads")
}

/// A review document of `bytes` against a generated canon.
pub fn document(g: &gen::GenCanon, canon: &Canon, bytes: usize, markdown: bool) -> String {
    let render = |role: &str, level: &str, frame: &str, md: bool| {
        let ral = canon.role_at(role, level).ok()?;
        let sel: Selection = frame.parse().ok()?;
        let markup = if md { Markup::Markdown } else { Markup::Text };
        render::render_insert(
            ral,
            sel,
            Form {
                markup,
                snippet: false,
            },
        )
        .ok()
    };
    gen::document(&mut gen::Rng::new(7), bytes, markdown, &g.roles, &render)
}
