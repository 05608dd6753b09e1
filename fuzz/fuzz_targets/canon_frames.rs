//! Render → analyse round trip on any valid canon: every frame freshly
//! rendered, in text and markdown, has exactly its placeholders as
//! findings and no drift, token or block error.
#![no_main]

use goalframe::analysis::{analyze, Code, DocKind};
use goalframe::canon::load_sources;
use goalframe::config::Settings;
use goalframe::render::Markup;
use goalframe_fuzz::{brackets, every_frame, GenCanon};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|g: GenCanon| {
    let canon = load_sources(g.files(), vec![]).expect("a generated canon is valid");
    let settings = Settings::default();
    for (markup, kind) in [
        (Markup::Text, DocKind::Text),
        (Markup::Markdown, DocKind::Markdown),
    ] {
        for (what, text) in every_frame(&canon, markup) {
            let found: Vec<_> = analyze(&text, kind, &canon, &settings)
                .into_iter()
                .map(|f| (f.code, f.range))
                .collect();
            let want: Vec<_> = brackets(&text)
                .into_iter()
                .map(|r| (Code::UnfilledPlaceholder, r))
                .collect();
            assert_eq!(found, want, "{what} ({markup:?}):\n{text}");
        }
    }
});
