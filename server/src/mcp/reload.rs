//! Following the canon and settings files while a session lasts (an
//! assistant's session may last for days while HR edits the canon). When
//! they change on disk they are read again, exactly as at the start, and
//! what loads is put in use; what does not is reported on standard error
//! and the canon in use stays, so the session goes on.

use goalframe::quote::counted;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use goalframe::canon;
use goalframe::config::{self, Settings};

use super::Goalframe;
use crate::cli::{say, CanonArgs};
use crate::watch::{keep_watching, Changed, FileWatch};

/// Watches what `args` and `settings` read (the settings file looked for
/// in `folders`), from now on, and puts what loads after a change in
/// `server`'s hands, on a thread of its own.
pub fn follow(args: CanonArgs, settings: &Settings, folders: Vec<PathBuf>, server: Goalframe) {
    let (tx, rx) = std::sync::mpsc::channel::<BTreeSet<PathBuf>>();
    let again = tx.clone();
    let changed: Changed = Arc::new(move |paths| tx.send(paths).is_ok());
    let names = names(&args);
    let mut targets = targets(&folders, settings);
    let mut watch: Option<FileWatch> = None;
    if let Err(e) = keep_watching(&mut watch, targets.clone(), &names, &changed) {
        say!("warning: the canon and settings files are not followed: {e}");
    }
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Changes told while the last load ran are all seen by this one.
            while rx.try_recv().is_ok() {}
            // Settings that read name what to watch (for a canon that did
            // not load, its fix); else the last that did.
            let errors = match load(&args) {
                Loaded::Both(settings, canon, folders) => {
                    say!("goalframe: canon: {}", canon.summary());
                    targets = self::targets(&folders, &settings);
                    server.replace(canon, settings);
                    Vec::new()
                }
                Loaded::CanonFailed(settings, errors, folders) => {
                    targets = self::targets(&folders, &settings);
                    errors
                }
                Loaded::SettingsFailed(error) => vec![error],
            };
            for e in &errors {
                say!("error: {e}");
            }
            if !errors.is_empty() {
                say!(
                    "error: the canon or settings did not load ({}); the canon in use stays",
                    counted(errors.len(), "problem")
                );
            }
            match keep_watching(&mut watch, targets.clone(), &names, &changed) {
                Ok(appeared) if !appeared.is_empty() => {
                    let _ = again.send(appeared.into_iter().collect());
                }
                Ok(_) => {}
                Err(e) => say!("warning: the canon and settings files are not followed: {e}"),
            }
        }
    });
}

/// What reading the settings and canon again gave, with the folders the
/// settings file was looked for in.
enum Loaded {
    Both(Settings, Arc<canon::Canon>, Vec<PathBuf>),
    /// The settings read; the canon they name did not load.
    CanonFailed(Settings, Vec<String>, Vec<PathBuf>),
    SettingsFailed(String),
}

/// Settings and canon read as at the start.
fn load(args: &CanonArgs) -> Loaded {
    let (settings, folders) = args.settings();
    let settings = match settings {
        Ok(s) => s,
        Err(e) => return Loaded::SettingsFailed(e),
    };
    match canon::load_configured(&settings.canon) {
        Ok(canon) => Loaded::Both(settings, Arc::new(canon), folders),
        Err(e) => Loaded::CanonFailed(
            settings,
            e.0.iter().map(|e| e.to_string()).collect(),
            folders,
        ),
    }
}

/// The settings file's name: `--config`'s, else `goalframe.toml`.
fn names(args: &CanonArgs) -> Vec<OsString> {
    let name = args
        .config
        .as_deref()
        .and_then(Path::file_name)
        .map_or_else(|| config::CONFIG_FILE.into(), OsString::from);
    vec![name]
}

/// (folder, recursively): each folder the settings file was looked for in
/// (`--config`'s, else the search's), and each canon directory. Absolute,
/// as the watch reports them.
fn targets(settings_folders: &[PathBuf], settings: &Settings) -> Vec<(PathBuf, bool)> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    settings_folders
        .iter()
        .map(|f| (absolute(f), false))
        .chain(settings.canon.iter().map(|d| (absolute(d), true)))
        .collect()
}
