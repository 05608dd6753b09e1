//! Writing a directory or a file so that no one ever sees half of it: it
//! is written under a temporary name next to the target and renamed into
//! place once complete (docs/canon.md, "Atomic writes").

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Why a target may not be written.
pub fn check_target_dir(out: &Path, force: bool) -> Result<(), String> {
    let shown = out.display();
    if out.file_name().is_none() {
        return Err(format!(
            "{shown}: name the directory to write (not `.`, `..` or `/`)"
        ));
    }
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{shown}: {e}")),
        Ok(meta) if meta.file_type().is_symlink() => Err(format!(
            "{shown} is a symbolic link; name the directory itself"
        )),
        Ok(meta) if !meta.is_dir() => Err(format!(
            "{shown} exists and is {}, not a directory",
            goalframe::read::kind_of(&meta)
        )),
        Ok(_) => {
            let empty = fs::read_dir(out)
                .map_err(|e| format!("{shown}: {e}"))?
                .next()
                .is_none();
            if empty || force {
                Ok(())
            } else {
                Err(format!(
                    "{shown} is not empty; pass --force to replace it and everything in it"
                ))
            }
        }
    }
}

/// The directory a target's temporary copy is made in: its parent
/// (created if missing), so that the final rename stays on one file system.
fn parent_of(target: &Path) -> Result<PathBuf, String> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    Ok(parent)
}

fn temp_name(target: &Path, what: &str) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.{what}-{}", std::process::id())
}

/// A directory being written under a temporary name next to its target.
pub struct NewDir {
    target: PathBuf,
    temp: PathBuf,
    done: bool,
}

impl NewDir {
    pub fn create(target: &Path) -> Result<NewDir, String> {
        let temp = parent_of(target)?.join(temp_name(target, "new"));
        let _ = fs::remove_dir_all(&temp);
        fs::create_dir(&temp).map_err(|e| format!("{}: {e}", temp.display()))?;
        Ok(NewDir {
            target: target.to_path_buf(),
            temp,
            done: false,
        })
    }

    /// Where the files go until [`NewDir::install`].
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Writes one file, `rel` being `/`-separated.
    pub fn write(&self, rel: &str, text: &[u8]) -> Result<(), String> {
        let path = self.temp.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        write_file(&path, text).map_err(|e| format!("{}: {e}", self.shown(rel)))
    }

    /// `rel` as it will be named once installed.
    fn shown(&self, rel: &str) -> String {
        self.target.join(rel).display().to_string()
    }

    /// Puts the complete directory in place of the target. A target that
    /// exists (checked by [`check_target_dir`]) is moved aside first and
    /// removed only once the new directory is in its place; if that fails,
    /// it is moved back.
    pub fn install(mut self) -> Result<(), String> {
        let shown = self.target.display().to_string();
        sync_dir(&self.temp);
        let existing = fs::symlink_metadata(&self.target).is_ok();
        let empty = existing && fs::read_dir(&self.target).is_ok_and(|mut d| d.next().is_none());
        if !existing || empty {
            if empty {
                fs::remove_dir(&self.target).map_err(|e| format!("{shown}: {e}"))?;
            }
            fs::rename(&self.temp, &self.target).map_err(|e| format!("{shown}: {e}"))?;
        } else {
            let old = parent_of(&self.target)?.join(temp_name(&self.target, "old"));
            let _ = fs::remove_dir_all(&old);
            fs::rename(&self.target, &old).map_err(|e| format!("{shown}: {e}"))?;
            if let Err(e) = fs::rename(&self.temp, &self.target) {
                let _ = fs::rename(&old, &self.target);
                return Err(format!("{shown}: {e}"));
            }
            fs::remove_dir_all(&old)
                .map_err(|e| format!("{}: removing the replaced directory: {e}", old.display()))?;
        }
        if let Some(parent) = self.target.parent() {
            sync_dir(parent);
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for NewDir {
    /// A directory never installed is removed.
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// Writes a new file. (Not synced one by one: a canon has thousands of
/// files; the rename is what makes the whole visible at once.)
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    fs::File::create_new(path)?.write_all(bytes)
}

/// Best effort: a directory's entries reach the disk.
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `target` by handing `write` a temporary path next to it, then
/// renaming that over the target. Nothing is left behind on failure.
pub fn write_file_atomically(
    target: &Path,
    write: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    if fs::metadata(target).is_ok_and(|m| m.is_dir()) {
        return Err(format!("{} is a directory", target.display()));
    }
    let temp = parent_of(target)?.join(temp_name(target, "new"));
    let outcome = write(&temp).and_then(|()| {
        if let Ok(f) = fs::File::open(&temp) {
            let _ = f.sync_all();
        }
        fs::rename(&temp, target).map_err(|e| format!("{}: {e}", target.display()))
    });
    if outcome.is_err() {
        let _ = fs::remove_file(&temp);
    }
    outcome
}
