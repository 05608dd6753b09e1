//! Benchmark support for goalframe: deterministic generators of synthetic
//! canons and review corpora ([`gen`]). The `goalframe-bench` binary adds
//! the end-to-end language-server benchmark and the comparison with `rg`
//! and `markdownlint-cli2`; BENCHMARKS.md at the repository root says how
//! to run them.

pub mod gen;

/// Renders frames with the goalframe library, for [`gen::document`].
pub fn renderer(
    canon: &goalframe::canon::Canon,
) -> impl Fn(&str, &str, &str, bool) -> Option<String> + '_ {
    use goalframe::render::{self, Form, Markup, Selection};
    move |role, level, frame, markdown| {
        let ral = canon.role_at(role, level).ok()?;
        let sel: Selection = frame.parse().ok()?;
        let form = Form {
            markup: if markdown {
                Markup::Markdown
            } else {
                Markup::Text
            },
            snippet: false,
        };
        render::render_insert(ral, sel, form).ok()
    }
}

/// Loads a generated canon from memory with the goalframe library.
pub fn load(canon: &gen::GenCanon) -> goalframe::canon::Canon {
    let files = canon
        .files
        .iter()
        .map(|(rel, text)| goalframe::canon::SourceFile {
            path: rel.clone(),
            bytes: text.clone().into_bytes(),
        })
        .collect();
    goalframe::canon::load_sources(files, vec!["<generated>".into()])
        .unwrap_or_else(|e| panic!("generated canon does not load: {e}"))
}

#[cfg(test)]
mod tests {
    use super::gen;

    #[test]
    fn generators_are_deterministic_and_the_canon_loads() {
        let spec = gen::CanonSpec {
            roles: 30,
            levels: 12,
            seed: 7,
        };
        let a = gen::canon(spec);
        let b = gen::canon(spec);
        assert_eq!(a.files, b.files);
        assert_eq!(a.role_levels(), 360);
        let canon = super::load(&a);
        let render = super::renderer(&canon);
        let doc = |seed| gen::document(&mut gen::Rng::new(seed), 20_000, true, &a.roles, &render);
        assert_eq!(doc(3), doc(3));
        assert!(doc(3).len() >= 20_000);
    }
}
