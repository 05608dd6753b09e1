//! Temporary files and directories a run is writing, removed if it is
//! interrupted (Ctrl-C, `SIGTERM`, `SIGHUP`): an interrupted `export
//! --output` or `canon import` leaves nothing behind, as a failed one
//! does not.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

/// What an interrupted run exits with (128 + `SIGINT`, as a shell reports
/// a run that Ctrl-C stopped).
pub const EXIT_INTERRUPTED: i32 = 130;

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// `path` is removed if the run is interrupted while this lives.
pub struct Pending(PathBuf);

impl Pending {
    pub fn new(path: &Path) -> Pending {
        static HANDLER: Once = Once::new();
        // Only a run that writes files handles the signals; the others
        // keep the default, which ends them at once.
        HANDLER.call_once(|| {
            let _ = ctrlc::set_handler(|| {
                for path in pending().drain(..) {
                    remove(&path);
                }
                std::process::exit(EXIT_INTERRUPTED);
            });
        });
        pending().push(path.to_path_buf());
        Pending(path.to_path_buf())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut pending = pending();
        if let Some(i) = pending.iter().rposition(|p| *p == self.0) {
            pending.swap_remove(i);
        }
    }
}

fn remove(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = fs::remove_file(path);
        }
        Err(_) => {}
    }
}
