//! Writing a directory or a file so that no one ever sees half of it: it
//! is written under a temporary name next to the target and renamed into
//! place once complete (docs/canon.md, "Atomic writes").

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::interrupt::Pending;

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

/// The most bytes a file name may have (ext4, XFS, Btrfs, APFS, NTFS's
/// UTF-16 units aside).
const NAME_MAX: usize = 255;

/// `.NAME.WHAT-PID`, cut to fit [`NAME_MAX`]: a target whose own name is
/// near the limit could not be written at all. A cut name keeps a hash of
/// the whole, so that two long names cut alike still differ.
fn temp_name(target: &Path, what: &str) -> String {
    use std::hash::{Hash as _, Hasher as _};
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tail = format!(".{what}-{}", std::process::id());
    if 1 + name.len() + tail.len() <= NAME_MAX {
        return format!(".{name}{tail}");
    }
    let mut hash = std::hash::DefaultHasher::new();
    name.hash(&mut hash);
    let mark = format!("~{:016x}", hash.finish());
    let mut cut = NAME_MAX - 1 - mark.len() - tail.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(".{}{mark}{tail}", &name[..cut])
}

/// A directory being written under a temporary name next to its target.
pub struct NewDir {
    target: PathBuf,
    temp: PathBuf,
    done: bool,
    _pending: Pending,
}

impl NewDir {
    pub fn create(target: &Path) -> Result<NewDir, String> {
        let temp = parent_of(target)?.join(temp_name(target, "new"));
        let _ = fs::remove_dir_all(&temp);
        let pending = Pending::new(&temp);
        fs::create_dir(&temp).map_err(|e| format!("{}: {e}", temp.display()))?;
        Ok(NewDir {
            _pending: pending,
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
    /// exists (checked by [`check_target_dir`]) is swapped with the new
    /// directory in one step where the system can (Linux), so that no
    /// moment sees neither, and the old one removed from the temporary
    /// name. Elsewhere it is moved aside first and removed only once the
    /// new directory is in its place; if that fails, it is moved back.
    pub fn install(mut self) -> Result<(), String> {
        let shown = self.target.display().to_string();
        sync_dir(&self.temp);
        let existing = fs::symlink_metadata(&self.target).is_ok();
        // Where the directory replaced is once the new one is in place.
        let replaced = if existing && exchange(&self.temp, &self.target).is_ok() {
            // Under the temporary name, which an interrupted run removes.
            Some(self.temp.clone())
        } else if !existing || fs::read_dir(&self.target).is_ok_and(|mut d| d.next().is_none()) {
            if existing {
                fs::remove_dir(&self.target).map_err(|e| format!("{shown}: {e}"))?;
            }
            fs::rename(&self.temp, &self.target).map_err(|e| format!("{shown}: {e}"))?;
            None
        } else {
            let old = parent_of(&self.target)?.join(temp_name(&self.target, "old"));
            let _ = fs::remove_dir_all(&old);
            fs::rename(&self.target, &old).map_err(|e| format!("{shown}: {e}"))?;
            if let Err(e) = fs::rename(&self.temp, &self.target) {
                let _ = fs::rename(&old, &self.target);
                return Err(format!("{shown}: {e}"));
            }
            Some(old)
        };
        if let Some(old) = replaced {
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

/// Swaps two paths in one step (Linux's `renameat2` with
/// `RENAME_EXCHANGE`). An error where the system or the file system
/// cannot; the caller then moves them one at a time.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt as _;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes());
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two NUL-terminated paths that live across the call, which
    // only reads them; the flags are the kernel's own constant.
    let done = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
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

/// How an output file is put in place, by what its path names now.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A regular file, or nothing yet: written under a temporary name in
    /// this path's directory and renamed over it. For a symbolic link,
    /// the file it leads to (the link stays a link).
    Replace(PathBuf),
    /// A pipe, a device (`/dev/null`, a terminal) or a socket, or a link
    /// to an open file of this process (`/dev/stdout`, `/dev/fd/N`,
    /// `/proc/self/fd/N`): nothing can be renamed over it, and replacing
    /// the link would lose where the output was meant to go. Written into
    /// once complete.
    Into,
}

/// Links into `/proc` stand for a process's open files: `/dev/stdout` →
/// `/proc/self/fd/1` → `pipe:[…]` or the file the shell opened, perhaps
/// for appending. Following them by name would replace that file.
fn names_an_open_file(path: &Path) -> bool {
    path.starts_with("/proc") || path.starts_with("/dev/fd")
}

/// What `target` is, symbolic links followed (40 at most, as the kernel
/// does).
fn target_kind(target: &Path) -> Result<Target, String> {
    let shown = target.display();
    // `out/` names a directory whether or not it exists: a file cannot be
    // renamed to it.
    let text = target.as_os_str().as_encoded_bytes();
    if target.file_name().is_none() || text.ends_with(b"/") {
        return Err(format!("{shown} names a directory; name the file to write"));
    }
    let mut path = target.to_path_buf();
    for _ in 0..40 {
        if names_an_open_file(&path) {
            return Ok(Target::Into);
        }
        let meta = match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && path == target => {
                return Ok(Target::Replace(path))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(format!(
                    "{shown} is a symbolic link to {}, which does not exist",
                    path.display()
                ))
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
            Ok(meta) => meta,
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            let link = fs::read_link(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            // A relative link is read from the link's own directory.
            path = match path.parent() {
                Some(dir) => dir.join(link),
                None => link,
            };
        } else if kind.is_dir() {
            return Err(format!("{} is a directory", path.display()));
        } else if kind.is_file() {
            return Ok(Target::Replace(path));
        } else {
            return Ok(Target::Into);
        }
    }
    Err(format!("{shown}: too many levels of symbolic links"))
}

/// Refuses, before a run reads anything, an output it could not write (a
/// directory, a link that leads nowhere) or that is one of the documents
/// it reads: that one would be read as a review, then replaced by the
/// export or the report, and the review lost. (A report kept in the
/// folder it reports on is such a document from its second run on.)
pub fn check_not_read<'a>(
    output: &Path,
    read: impl IntoIterator<Item = &'a Path>,
) -> Result<(), String> {
    // What cannot be written at all is said now too, before anything is
    // read, rather than once the whole run is done.
    let Target::Replace(target) = target_kind(output)? else {
        return Ok(());
    };
    let Some(id) = goalframe::read::file_id(&target) else {
        return Ok(());
    };
    let Some(doc) = read
        .into_iter()
        .find(|doc| goalframe::read::file_id(doc).as_ref() == Some(&id))
    else {
        return Ok(());
    };
    let which = if doc == output {
        String::new()
    } else {
        format!(" (`{}`)", doc.display())
    };
    Err(format!(
        "{} is one of the documents read{which}, which the output would replace; name another file, or keep it out of the documents with an .ignore file",
        output.display()
    ))
}

/// Refuses a `canon export` output that the canon it exports would read
/// as one of its own files (a `.json` name inside one of its
/// directories): the export would replace a role's file, or break the
/// canon's next load.
#[cfg(feature = "spreadsheets")]
pub fn check_not_in_canon(output: &Path, dirs: &[PathBuf]) -> Result<(), String> {
    let Ok(Target::Replace(target)) = target_kind(output) else {
        return Ok(());
    };
    if !goalframe::canon::is_canon_file(&target) {
        return Ok(());
    }
    let Some(parent) = target
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .and_then(|p| fs::canonicalize(p).ok())
    else {
        return Ok(());
    };
    match dirs
        .iter()
        .find(|d| fs::canonicalize(d).is_ok_and(|d| parent.starts_with(d)))
    {
        Some(dir) => Err(format!(
            "{} is inside the canon directory {}, where it would be read as a canon file; name a file outside it",
            output.display(),
            dir.display()
        )),
        None => Ok(()),
    }
}

/// Writes `target` by handing `write` a temporary file next to it, then
/// renaming that over the target. Nothing is left behind on failure. A
/// target nothing can be renamed over ([`Target::Into`]) is written into
/// from a temporary file once `write` has succeeded, so a refused or
/// failed run sends it nothing either. `write` gets the file open and
/// empty; it may not name the path, so no writer can make it anew with
/// other permissions.
pub fn write_file_atomically(
    target: &Path,
    write: impl FnOnce(fs::File) -> Result<(), String>,
) -> Result<(), String> {
    let target = match target_kind(target)? {
        Target::Replace(path) => path,
        Target::Into => return write_into(target, write),
    };
    let temp = parent_of(&target)?.join(temp_name(&target, "new"));
    // Left by an earlier run that was killed and had this process's id:
    // no running process can own it.
    let _ = fs::remove_file(&temp);
    let _pending = Pending::new(&temp);
    // The file it replaces keeps its permissions, from the first byte
    // written: an export made private (`chmod 600`) must not be readable
    // by everyone, not even while it is written.
    let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
    let outcome = create_temp(&temp, mode_of(permissions.as_ref()))
        .and_then(write)
        .and_then(|()| {
            // Once more: the umask may have taken bits the file had.
            if let Some(p) = permissions {
                fs::set_permissions(&temp, p).map_err(|e| format!("{}: {e}", temp.display()))?;
            }
            if let Ok(f) = fs::File::open(&temp) {
                let _ = f.sync_all();
            }
            fs::rename(&temp, &target).map_err(|e| format!("{}: {e}", target.display()))
        });
    if outcome.is_err() {
        let _ = fs::remove_file(&temp);
    }
    outcome
}

/// A new temporary file with the permission bits `mode` (less the
/// umask, as for any new file).
fn create_temp(path: &Path, mode: u32) -> Result<fs::File, String> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    options
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The permission bits of `permissions`, or a new file's.
fn mode_of(permissions: Option<&fs::Permissions>) -> u32 {
    #[cfg(unix)]
    return permissions.map_or(0o666, |p| {
        std::os::unix::fs::PermissionsExt::mode(p) & 0o777
    });
    #[cfg(not(unix))]
    {
        // Not used: `create_temp` sets no mode there.
        let _ = permissions;
        0o666
    }
}

/// [`write_file_atomically`] for a [`Target::Into`]: written to a
/// temporary file first (its owner's alone: goals are personal data, and
/// the temporary directory is everyone's), then copied into `target`.
fn write_into(
    target: &Path,
    write: impl FnOnce(fs::File) -> Result<(), String>,
) -> Result<(), String> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = std::env::temp_dir().join(format!("goalframe-{}-{n}.out", std::process::id()));
    let _pending = Pending::new(&temp);
    let outcome = create_temp(&temp, 0o600).and_then(write).and_then(|()| {
        let shown = |e: io::Error| format!("{}: {e}", target.display());
        let mut from = fs::File::open(&temp).map_err(|e| format!("{}: {e}", temp.display()))?;
        let mut into = fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(target)
            .map_err(shown)?;
        io::copy(&mut from, &mut into).map_err(shown)?;
        into.flush().map_err(shown)
    });
    let _ = fs::remove_file(&temp);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_the_file_they_lead_to() {
        let dir = std::env::temp_dir().join(format!("goalframe-atomic-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        let file = dir.join("sub/export.json");
        fs::write(&file, "old").unwrap();
        std::os::unix::fs::symlink("sub/export.json", dir.join("latest.json")).unwrap();
        std::os::unix::fs::symlink("latest.json", dir.join("again.json")).unwrap();
        std::os::unix::fs::symlink("missing.json", dir.join("dangling.json")).unwrap();
        std::os::unix::fs::symlink("loop.json", dir.join("loop.json")).unwrap();
        assert_eq!(
            target_kind(&dir.join("again.json")),
            Ok(Target::Replace(dir.join("sub/export.json")))
        );
        assert_eq!(
            target_kind(&dir.join("new.json")),
            Ok(Target::Replace(dir.join("new.json")))
        );
        let err = target_kind(&dir.join("dangling.json")).unwrap_err();
        assert!(err.contains("which does not exist"), "{err}");
        let err = target_kind(&dir.join("loop.json")).unwrap_err();
        assert!(err.contains("too many levels"), "{err}");
        let err = target_kind(&dir.join("sub")).unwrap_err();
        assert!(err.ends_with("is a directory"), "{err}");
        // Written through the link: the link stays, the file it names is
        // replaced.
        write_file_atomically(&dir.join("again.json"), |mut f| {
            f.write_all(b"new").map_err(|e| e.to_string())
        })
        .unwrap();
        assert!(fs::symlink_metadata(dir.join("latest.json"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&file).unwrap(), "new");
        // A temporary file a killed run with this process id left behind
        // is no obstacle.
        let stale = dir.join(temp_name(&dir.join("out.json"), "new"));
        fs::write(&stale, "half").unwrap();
        write_file_atomically(&dir.join("out.json"), |mut f| {
            f.write_all(b"whole").map_err(|e| e.to_string())
        })
        .unwrap();
        assert_eq!(fs::read_to_string(dir.join("out.json")).unwrap(), "whole");
        assert!(!stale.exists());
        // A file made private stays private once replaced, and is never
        // readable by others while its replacement is written.
        use std::os::unix::fs::PermissionsExt;
        let mode = |f: &fs::File| f.metadata().unwrap().permissions().mode() & 0o777;
        fs::set_permissions(dir.join("out.json"), fs::Permissions::from_mode(0o600)).unwrap();
        write_file_atomically(&dir.join("out.json"), |mut f| {
            assert_eq!(mode(&f), 0o600, "while written");
            f.write_all(b"again").map_err(|e| e.to_string())
        })
        .unwrap();
        let out = fs::File::open(dir.join("out.json")).unwrap();
        assert_eq!(mode(&out), 0o600);
        // A new file is made as any other is (the umask decides).
        write_file_atomically(&dir.join("fresh.json"), |mut f| {
            f.write_all(b"x").map_err(|e| e.to_string())
        })
        .unwrap();
        let plain = dir.join("plain");
        fs::write(&plain, "").unwrap();
        assert_eq!(
            mode(&fs::File::open(dir.join("fresh.json")).unwrap()),
            mode(&fs::File::open(&plain).unwrap())
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A name near the system's limit still leaves room for the
    /// temporary one, and two such names cut alike stay apart.
    #[test]
    fn a_temporary_name_fits_beside_a_long_name() {
        let long = |end: &str| Path::new("dir").join(format!("{}{end}", "目".repeat(82)));
        let (a, b) = (long("a.csv"), long("b.csv"));
        assert_eq!(a.file_name().unwrap().len(), 251);
        let (ta, tb) = (temp_name(&a, "new"), temp_name(&b, "new"));
        assert!(ta.len() <= NAME_MAX && tb.len() <= NAME_MAX, "{ta}");
        assert_ne!(ta, tb);
        assert!(ta.starts_with(".目目") && ta.ends_with(&format!(".new-{}", std::process::id())));
        assert_eq!(
            temp_name(Path::new("goals.csv"), "new"),
            format!(".goals.csv.new-{}", std::process::id())
        );
    }

    #[test]
    fn devices_and_the_process_s_own_files_are_written_into() {
        for special in ["/dev/null", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            assert_eq!(
                target_kind(Path::new(special)),
                Ok(Target::Into),
                "{special}"
            );
        }
        write_file_atomically(Path::new("/dev/null"), |mut f| {
            f.write_all(b"bytes").map_err(|e| e.to_string())
        })
        .unwrap();
        assert!(Path::new("/dev/null")
            .metadata()
            .is_ok_and(|m| !m.is_file()));
        // A device that fails the copy: the error names it.
        let err = write_file_atomically(Path::new("/dev/full"), |mut f| {
            f.write_all(b"bytes").map_err(|e| e.to_string())
        })
        .unwrap_err();
        assert!(err.starts_with("/dev/full: "), "{err}");
        // A refused run sends nothing, and leaves no temporary file.
        let before = temp_files();
        let err = write_file_atomically(Path::new("/dev/full"), |mut f| {
            // The temporary copy of what a device is sent is its owner's alone.
            #[cfg(unix)]
            assert_eq!(
                std::os::unix::fs::PermissionsExt::mode(&f.metadata().unwrap().permissions())
                    & 0o777,
                0o600
            );
            f.write_all(b"half").map_err(|e| e.to_string())?;
            Err("refused".to_string())
        })
        .unwrap_err();
        assert_eq!(err, "refused");
        assert_eq!(temp_files(), before);
    }

    fn temp_files() -> Vec<PathBuf> {
        let mine = format!("goalframe-{}-", std::process::id());
        let mut v: Vec<_> = fs::read_dir(std::env::temp_dir())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&mine))
            .map(|e| e.path())
            .collect();
        v.sort();
        v
    }
}
