//! The walk of a canon directory: which files are read, in which order,
//! and where a symbolic link loops.

use super::*;

/// The walk of one canon directory: (relative path as bytes for
/// ordering, full path) of every canon file below it. Symbolic links to
/// directories are followed, but a link back to a directory the walk is
/// inside of is a loop (reported, not followed: git stores such links, and
/// following them never ends), and a directory reached twice is read once.
pub(super) struct Walk<'a> {
    pub(super) root: &'a Path,
    pub(super) out: &'a mut Vec<(Vec<u8>, PathBuf)>,
    pub(super) errors: &'a mut Vec<CanonError>,
    /// The real paths of the directories being walked, outermost first.
    pub(super) ancestors: Vec<PathBuf>,
    pub(super) visited: std::collections::HashSet<PathBuf>,
}

impl Walk<'_> {
    pub(super) fn error(&mut self, path: &Path, message: String) {
        self.errors.push(CanonError {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            range: (0, 0),
            json_path: String::new(),
            message,
        });
    }

    pub(super) fn dir(&mut self, dir: &Path) {
        let real = match std::fs::canonicalize(dir) {
            Ok(r) => r,
            Err(e) => return self.error(dir, format!("cannot read canon directory: {e}")),
        };
        if let Some(outer) = self.ancestors.iter().find(|a| **a == real) {
            let message = format!(
                "symbolic link loop: this leads back to {}, which contains it; not followed",
                outer.display()
            );
            return self.error(dir, message);
        }
        if !self.visited.insert(real.clone()) {
            return;
        }
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(e) => e.collect(),
            Err(e) => return self.error(dir, format!("cannot read canon directory: {e}")),
        };
        // Problems are reported in path order, like the files.
        entries.sort_by_key(|e| e.as_ref().map(|e| e.file_name()).ok());
        self.ancestors.push(real);
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.error(dir, format!("cannot read canon directory: {e}"));
                    continue;
                }
            };
            let path = entry.path();
            let is_dir = match entry.file_type() {
                Ok(t) if t.is_dir() => true,
                // A link to a directory is walked; a broken link or a link
                // loop (ELOOP) is reported where it names a canon file.
                Ok(t) if t.is_symlink() => path.is_dir(),
                Ok(_) => false,
                Err(e) => {
                    self.error(&path, format!("cannot read: {e}"));
                    continue;
                }
            };
            if is_dir {
                self.dir(&path);
            } else if is_canon_file(&path) {
                let rel = path.strip_prefix(self.root).unwrap_or(&path);
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                self.out.push((key.into_bytes(), path));
            }
        }
        self.ancestors.pop();
    }
}
