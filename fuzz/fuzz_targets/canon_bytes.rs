//! Any bytes, as one to three canon files: a canon or located errors,
//! never a panic; a canon that loads renders every frame.
#![no_main]

use goalframe::canon::{load_sources, SourceFile};
use goalframe::render::Markup;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // 0xff never appears in UTF-8: it splits the input into files.
    let files: Vec<SourceFile> = data
        .split(|&b| b == 0xff)
        .take(3)
        .enumerate()
        .map(|(i, bytes)| SourceFile {
            path: format!("f{i}.json"),
            bytes: bytes.to_vec(),
        })
        .collect();
    let sizes: Vec<usize> = files.iter().map(|f| f.bytes.len()).collect();
    match load_sources(files, vec![]) {
        Ok(canon) => {
            for markup in [Markup::Text, Markup::Markdown] {
                goalframe_fuzz::every_frame(&canon, markup);
            }
        }
        Err(errors) => {
            assert!(!errors.0.is_empty());
            for e in &errors.0 {
                assert!(e.line >= 1 && e.column >= 1, "{e:?}");
                assert!(!e.message.is_empty(), "{e:?}");
                let size = e
                    .file
                    .strip_prefix('f')
                    .and_then(|n| n.strip_suffix(".json"))
                    .and_then(|n| n.parse::<usize>().ok())
                    .and_then(|n| sizes.get(n).copied());
                if let Some(size) = size {
                    assert!(
                        e.range.0 <= size && e.range.1 <= size.max(e.range.0),
                        "{e:?}"
                    );
                }
            }
        }
    }
});
