//! `goalframe lint --fix` (docs/lint.md): the safe fixes the editor's
//! fix-all applies ([`fix_all_counted`]: canon text restored, a goal's
//! Measurable date copied into its Time-bound row, a wrapped row joined,
//! a frame's heading written as the template does) written into the
//! documents, then the report of what is left. The same function as the
//! editor's, so the two can never disagree.

use std::io::Write;

use goalframe::analysis::outline::fix_all_counted;
use goalframe::analysis::{apply_edits, Analyzer, DocKind, Lines};
use goalframe::quote::counted;
use goalframe::read::Encoding;

use super::atomic;
use super::report::Checked;

/// What `--fix` did to one document: how many problems it fixed, or why
/// it left the file as it was (the run goes on).
pub(crate) struct Fixed {
    path: String,
    outcome: Result<usize, String>,
}

impl Fixed {
    /// The line standard error gets for it.
    pub(crate) fn said(&self) -> String {
        match &self.outcome {
            Ok(n) => format!("{}: fixed {}", self.path, counted(*n, "problem")),
            Err(why) => format!("warning: {}: not fixed: {why}", self.path),
        }
    }
}

/// Applies `checked`'s safe fixes to its file and hands `report` the
/// document as it then is (its text and findings after the fixes), or
/// as it was when there was nothing to fix or it could not be written.
pub(crate) fn fix<R>(
    checked: Checked,
    analyzer: &Analyzer,
    report: impl for<'t> FnOnce(Checked<'t>) -> R,
) -> (R, Option<Fixed>) {
    // Each fix taken is one problem fixed (a joined row is several edits).
    let (edits, fixes) = fix_all_counted(&checked.findings);
    if edits.is_empty() {
        return (report(checked), None);
    }
    let Some(file) = checked.file else {
        // Standard input: `--fix` with `-` is refused before the run.
        return (report(checked), None);
    };
    let bom: &[u8] = match checked.encoding {
        Encoding::Utf8 => b"",
        Encoding::Utf8Bom => b"\xEF\xBB\xBF",
        // Written back as UTF-8 it would change its encoding, and its
        // byte order is not kept: an editor fixes it.
        Encoding::Utf16 => {
            let left = Fixed {
                path: checked.path.clone(),
                outcome: Err("it is UTF-16; fix it in an editor".to_string()),
            };
            return (report(checked), Some(left));
        }
    };
    let fixed = apply_edits(checked.text, &edits);
    match write_back(file, checked.text, bom, &fixed) {
        Err(why) => {
            let path = checked.path.clone();
            (
                report(checked),
                Some(Fixed {
                    path,
                    outcome: Err(why),
                }),
            )
        }
        Ok(()) => {
            let kind = DocKind::from_path(file);
            let lines = Lines::new(&fixed);
            let findings = analyzer.analyze_lines(&fixed, kind, &lines);
            let done = Fixed {
                path: checked.path.clone(),
                outcome: Ok(fixes),
            };
            let after = Checked {
                text: &fixed,
                lines,
                findings,
                ..checked
            };
            (report(after), Some(done))
        }
    }
}

/// Replaces the file's text `was` by `text` (after `bom`), unless the
/// file changed since it was read: an editor that saved it meanwhile must
/// not lose what it saved.
fn write_back(file: &std::path::Path, was: &str, bom: &[u8], text: &str) -> Result<(), String> {
    let meta = std::fs::metadata(file).map_err(|e| e.to_string())?;
    // Renaming over a file needs only its folder to be writable: a file
    // made read-only is left alone, as an editor would.
    if meta.permissions().readonly() {
        return Err("it is read-only".to_string());
    }
    // Read as it was read the first time: a regular file, to the limit
    // (what replaced it meanwhile may be a pipe, which would never end).
    let now = goalframe::read::read_regular(file, goalframe::read::DOCUMENT_LIMIT)
        .map_err(|e| e.to_string())?;
    if now.strip_prefix(bom) != Some(was.as_bytes()) {
        return Err("it changed while it was checked".to_string());
    }
    atomic::write_file_atomically(file, |mut f| {
        f.write_all(bom)
            .and_then(|()| f.write_all(text.as_bytes()))
            .map_err(|e| format!("writing {}: {e}", file.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::write_back;

    /// A file saved by an editor between the check and the write keeps
    /// what the editor saved.
    #[test]
    fn a_file_that_changed_since_it_was_read_is_left_alone() {
        let dir = std::env::temp_dir().join(format!("goalframe-fix-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("review.md");
        std::fs::write(&file, "saved by the editor").unwrap();
        assert_eq!(
            write_back(&file, "as it was read", b"", "fixed"),
            Err("it changed while it was checked".to_string())
        );
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "saved by the editor"
        );
        // As it was read (after its mark): written, mark first.
        std::fs::write(&file, "\u{feff}as it was read").unwrap();
        assert_eq!(
            write_back(&file, "as it was read", b"\xEF\xBB\xBF", "fixed"),
            Ok(())
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "\u{feff}fixed");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
