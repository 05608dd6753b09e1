//! Any document, markdown or text, free or built from pieces the analysis
//! looks for: findings sorted, in range, on character boundaries; never a
//! panic.
#![no_main]

use goalframe::analysis::DocKind;
use goalframe_fuzz::{analyzer, check_findings, Doc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, Doc, &[u8])| {
    let (markdown, doc, raw) = input;
    let kind = if markdown {
        DocKind::Markdown
    } else {
        DocKind::Text
    };
    for text in [doc.0, String::from_utf8_lossy(raw).into_owned()] {
        let findings = analyzer().analyze(&text, kind);
        check_findings(&text, &findings);
    }
});
