//! The servers' own watch of the settings and canon files (the language
//! server's for what its client cannot watch, the MCP server's always):
//! which folders to watch, from where while one is not there yet, and one
//! save's events gathered into one change.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;

/// What is told of a change: the paths changed. It answers `false` once
/// no one listens, which ends the watch's thread.
pub type Changed = Arc<dyn Fn(BTreeSet<PathBuf>) -> bool + Send + Sync>;

/// How long changes are gathered before they are told: an editor saving
/// a file makes several events (a temporary file, a rename).
const QUIET: std::time::Duration = std::time::Duration::from_millis(50);

/// A running watch; it ends (and its thread) when dropped.
pub struct FileWatch {
    /// (folder, recursively): the folders of the settings files, not
    /// recursively, and the canon directories, recursively.
    targets: Vec<(PathBuf, bool)>,
    /// What is watched for them (`watch_points`).
    points: Vec<(PathBuf, bool)>,
    _watcher: notify::RecommendedWatcher,
}

/// Keeps `current` watching `targets` (none when empty), restarted only
/// when what must be watched changed. A settings file counts by its name
/// (`names`), a canon file (`canon::is_canon_file`) under a canon
/// directory; a canon directory, or a folder on the way to one, that
/// comes or goes counts too. Returns the canon directories that came
/// since the last watch: they may have filled before their own watch
/// began, so the caller reads them once more.
pub fn keep_watching(
    current: &mut Option<FileWatch>,
    targets: Vec<(PathBuf, bool)>,
    names: &[OsString],
    changed: &Changed,
) -> notify::Result<Vec<PathBuf>> {
    let points = watch_points(&targets);
    if current.as_ref().is_some_and(|w| w.points == points) {
        return Ok(Vec::new());
    }
    let appeared: Vec<PathBuf> = current
        .as_ref()
        .map(|old| {
            targets
                .iter()
                .filter(|(t, recursive)| {
                    *recursive
                        && points.contains(&(t.clone(), true))
                        && old.targets.iter().any(|(o, _)| o == t)
                        && !old.points.contains(&(t.clone(), true))
                })
                .map(|(t, _)| t.clone())
                .collect()
        })
        .unwrap_or_default();
    // The old watch ends (and its thread) before the new one starts.
    *current = None;
    if !targets.is_empty() {
        *current = Some(FileWatch::start(
            targets,
            points,
            names.to_vec(),
            changed.clone(),
        )?);
    }
    Ok(appeared)
}

/// Where each wanted folder is watched from: itself once it is there,
/// else the nearest folder above it that is, not recursively, until it
/// comes; one watch per folder, recursive if any wants it so.
fn watch_points(targets: &[(PathBuf, bool)]) -> Vec<(PathBuf, bool)> {
    let mut points = BTreeMap::<PathBuf, bool>::new();
    for (dir, recursive) in targets {
        let point = if dir.is_dir() {
            Some((dir.clone(), *recursive))
        } else {
            dir.ancestors()
                .skip(1)
                .find(|a| !a.as_os_str().is_empty() && a.is_dir())
                .map(|a| (a.to_path_buf(), false))
        };
        if let Some((path, recursive)) = point {
            *points.entry(path).or_default() |= recursive;
        }
    }
    points.into_iter().collect()
}

impl FileWatch {
    /// The folders wanted, (folder, recursively).
    #[cfg(feature = "lsp")]
    pub fn targets(&self) -> &[(PathBuf, bool)] {
        &self.targets
    }

    fn start(
        targets: Vec<(PathBuf, bool)>,
        points: Vec<(PathBuf, bool)>,
        names: Vec<OsString>,
        changed: Changed,
    ) -> notify::Result<FileWatch> {
        use notify::Watcher as _;
        let (seen, gathered) = std::sync::mpsc::channel::<PathBuf>();
        let canon_dirs: Vec<PathBuf> = targets
            .iter()
            .filter(|(_, recursive)| *recursive)
            .map(|(d, _)| d.clone())
            .collect();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                if event.kind.is_access() {
                    return;
                }
                for path in event.paths {
                    let named = path
                        .file_name()
                        .is_some_and(|n| names.iter().any(|m| m == n));
                    // A canon file as the loader reads one (not a schema).
                    let canon_file = goalframe::canon::is_canon_file(&path);
                    if named
                        || canon_dirs
                            .iter()
                            .any(|d| d.starts_with(&path) || (canon_file && path.starts_with(d)))
                    {
                        let _ = seen.send(path);
                    }
                }
            })?;
        for (dir, recursive) in &points {
            let mode = if *recursive {
                notify::RecursiveMode::Recursive
            } else {
                notify::RecursiveMode::NonRecursive
            };
            // Gone since the points were found: the next change of
            // settings or canon looks again.
            if let Err(e) = watcher.watch(dir, mode) {
                if dir.is_dir() {
                    return Err(e);
                }
            }
        }
        // Ends when the watcher, and with it `seen`, is dropped, or when
        // no one listens.
        std::thread::spawn(move || {
            while let Ok(first) = gathered.recv() {
                let mut paths = BTreeSet::from([first]);
                while let Ok(more) = gathered.recv_timeout(QUIET) {
                    paths.insert(more);
                }
                if !changed(paths) {
                    return;
                }
            }
        });
        Ok(FileWatch {
            targets,
            points,
            _watcher: watcher,
        })
    }
}
