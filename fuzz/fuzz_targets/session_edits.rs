//! The incremental session fed any sequence of edits finds exactly what a
//! full analysis of the resulting text finds, and outlines it as a fresh
//! outline does, after every edit it is asked about.
#![no_main]

use goalframe::analysis::{DocKind, Lines, Session};
use goalframe_fuzz::{analyzer, apply, Doc, GenEdit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, Doc, Vec<GenEdit>)| {
    let (markdown, start, edits) = input;
    let kind = if markdown {
        DocKind::Markdown
    } else {
        DocKind::Text
    };
    let analyzer = analyzer();
    let mut session = Session::new(start.0, kind);
    let _ = session.findings(analyzer);
    for e in edits.iter().take(32) {
        apply(&mut session, e);
        if e.look {
            let got = session.findings(analyzer);
            let want = analyzer.analyze(session.text(), kind);
            assert_eq!(got, want, "{:?}", session.text());
        }
        if e.outline {
            let text = session.text().to_string();
            let fresh = analyzer.outline(&text, kind, &Lines::new(&text));
            assert_eq!(session.outline(analyzer).outline, &fresh, "{text:?}");
        }
    }
    let got = session.findings(analyzer);
    assert_eq!(
        got,
        analyzer.analyze(session.text(), kind),
        "{:?}",
        session.text()
    );
});
