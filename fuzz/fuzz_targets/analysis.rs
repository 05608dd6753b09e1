//! Any document, markdown or text, free or built from pieces the analysis
//! looks for: findings sorted, in range, on character boundaries; never a
//! panic.
#![no_main]

use goalframe::analysis::{analyze, DocKind};
use goalframe::canon::{load_embedded, Canon};
use goalframe::config::Settings;
use goalframe_fuzz::{check_findings, Doc};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static CANON: LazyLock<Canon> = LazyLock::new(|| load_embedded().expect("default canon"));

fuzz_target!(|input: (bool, Doc, &[u8])| {
    let (markdown, doc, raw) = input;
    let kind = if markdown {
        DocKind::Markdown
    } else {
        DocKind::Text
    };
    let settings = Settings::default();
    for text in [doc.0, String::from_utf8_lossy(raw).into_owned()] {
        let findings = analyze(&text, kind, &CANON, &settings);
        check_findings(&text, &findings);
    }
});
