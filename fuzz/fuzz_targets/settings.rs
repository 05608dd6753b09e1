//! Any text as `goalframe.toml`: settings that apply, or one line of
//! error that names the file, never a panic; a value that cannot be taken
//! is placed at a line and column that lie inside the text.
#![no_main]

use goalframe::config::{parse_toml, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_toml(text, "goalframe.toml") {
        // What the reader accepts, the settings take.
        Ok(layer) => {
            let mut settings = Settings::default();
            let applied =
                settings.apply(&layer, Some(std::path::Path::new("/ws")), "goalframe.toml");
            assert!(applied.is_ok(), "{text:?}: {applied:?}");
        }
        Err(e) => {
            let said = e.to_string();
            assert!(said.starts_with("goalframe.toml: "), "{said}");
            assert!(!said.contains('\n'), "{said:?}");
            if let Some(place) = e.message.strip_prefix("at line ") {
                let (line, rest) = place.split_once(", column ").expect("line, column");
                let column = rest.split_once(':').expect("column:").0;
                let (line, column): (usize, usize) =
                    (line.parse().expect("line"), column.parse().expect("column"));
                let lines: Vec<&str> = text.split('\n').collect();
                assert!((1..=lines.len()).contains(&line), "{said}");
                let width = lines[line - 1].chars().count();
                assert!((1..=width + 1).contains(&column), "{said}");
            }
        }
    }
});
