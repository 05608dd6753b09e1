//! The server's state: open documents, the settings layers and the canon
//! in use. Plain synchronous code behind one `std::sync::Mutex`, so every
//! notification's effect is applied, in arrival order, before its handler
//! first awaits (tower-lsp runs handlers concurrently; an edit applied after
//! an await could be overtaken by the next one).

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use goalframe::analysis::{DocKind, Lines, Session};
use goalframe::canon::{self, Canon, CanonError};
use goalframe::config::{self, Layer, Settings};

use super::position::{locate, to_offset, within_line, Encoding};

/// The state, even if a panicking handler poisoned the lock: the state
/// is always consistent between statements, so keep serving.
pub fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// One open document.
pub struct Doc {
    pub version: i32,
    pub kind: DocKind,
    /// The text, its line index (for positions), and what its last
    /// analysis found.
    pub session: Session,
    /// Its blocks' part of the whole-document views, as last answered.
    pub views: super::views::ViewCache,
}

impl Doc {
    pub fn new(text: String, version: i32, kind: DocKind) -> Doc {
        Doc {
            version,
            kind,
            session: Session::new(text, kind),
            views: Default::default(),
        }
    }

    /// Applies a notification's content changes, in order. A run of
    /// changes that do not overlap is placed in the text as it was and
    /// applied at once: one at a time, each moved the whole text after it,
    /// and 16,000 changes to a 5 MB draft took a second. Editors send a
    /// replace-all (or many cursors) from the bottom up, each change ending
    /// before the one before it starts (`bottom_up`); eglot sends one from
    /// the top down, each starting after the text the one before put in
    /// (`top_down`).
    pub fn apply_all(&mut self, changes: &[TextDocumentContentChangeEvent], enc: Encoding) {
        let mut rest = changes;
        while let Some(first) = rest.first() {
            let (text, lines) = (self.session.text(), self.session.lines());
            // A keystroke is one change: no run to look for.
            let mut run = Vec::new();
            if rest.len() > 1 {
                run = bottom_up(text, lines, rest, enc);
                if run.len() < 2 {
                    run = top_down(text, lines, rest, enc);
                    // As `edit_many` takes them: from the bottom up.
                    run.reverse();
                }
            }
            if run.len() > 1 {
                let n = run.len();
                self.session.edit_many(&run);
                rest = &rest[n..];
            } else {
                self.apply(first, enc);
                rest = &rest[1..];
            }
        }
    }

    /// Applies one content change (incremental or whole-document).
    pub fn apply(&mut self, change: &TextDocumentContentChangeEvent, enc: Encoding) {
        match change.range {
            None => self.session.set_text(change.text.clone()),
            Some(range) => {
                if enc == Encoding::Utf16 {
                    // An end between a surrogate pair's halves leaves the
                    // client with a lone surrogate, which it would send as
                    // U+FFFD (`goalframe::json_text`): the character
                    // becomes two of those, so each unit the client counts
                    // is still one unit here and later positions still fit.
                    for end in [range.end, range.start] {
                        let (text, lines) = (self.session.text(), self.session.lines());
                        if let (at, true) = locate(text, lines, end, enc) {
                            self.session.edit(at..at + 4, "\u{FFFD}\u{FFFD}");
                        }
                    }
                }
                let (text, lines) = (self.session.text(), self.session.lines());
                let a = to_offset(text, lines, range.start, enc);
                let b = to_offset(text, lines, range.end, enc);
                self.session.edit(a.min(b)..a.max(b), &change.text);
            }
        }
    }
}

/// A change's range, start first (a reversed range is the range it spans).
fn span(range: Range) -> (Position, Position) {
    if (range.start.line, range.start.character) <= (range.end.line, range.end.character) {
        (range.start, range.end)
    } else {
        (range.end, range.start)
    }
}

/// The changes from the start of `changes` each ending before the one
/// before it starts, placed in `text`.
fn bottom_up<'c>(
    text: &str,
    lines: &Lines,
    changes: &'c [TextDocumentContentChangeEvent],
    enc: Encoding,
) -> Vec<(std::ops::Range<usize>, &'c str)> {
    let mut run = Vec::new();
    // The previous change's start: its position and its offset, and
    // whether it joins a `\r` before it to a `\n`.
    let mut last: Option<(Position, usize, bool)> = None;
    for c in changes {
        let Some(range) = c.range else { break };
        let (start, end) = span(range);
        let (a, split_a) = locate(text, lines, start, enc);
        let (b, split_b) = locate(text, lines, end, enc);
        // Strictly before the previous start, or at exactly its position
        // inside its line: where it lands does not depend on what the
        // previous change did (past a line's end, the end it is taken as
        // moves with what was typed there; at the start of a line after a
        // lone `\r`, a `\n` the previous change joins to it moves the
        // line's start).
        let apart = last.is_none_or(|(prev, at, joined)| {
            b < at || (end == prev && !joined && within_line(text, lines, end, enc))
        });
        if split_a || split_b || !apart {
            break;
        }
        run.push((a..b, c.text.as_str()));
        last = Some((start, a, joins(text, a..b, &c.text)));
    }
    run
}

/// Whether putting `t` in place of `text[r]` joins a `\r` before it to a
/// `\n` (its own first, or the one after `r`): two line breaks become one.
fn joins(text: &str, r: std::ops::Range<usize>, t: &str) -> bool {
    text[..r.start].ends_with('\r')
        && (t.starts_with('\n') || (t.is_empty() && text[r.end..].starts_with('\n')))
}

/// The changes from the start of `changes` each starting at or after the
/// end of the text the one before put in, placed in `text` (in order).
/// Each position after the first change's is taken back through the one
/// before it: a line below its end is the same line of `text`, shifted by
/// the lines it added or took; on its end's line, the rest of that line
/// of `text` follows it. The run ends where that could be wrong: a
/// position past its line's end (clamped), inside a character, a change
/// holding a `\r` or one that could join a `\r` before it to a `\n`
/// after it (a line break more or less).
fn top_down<'c>(
    text: &str,
    lines: &Lines,
    changes: &'c [TextDocumentContentChangeEvent],
    enc: Encoding,
) -> Vec<(std::ops::Range<usize>, &'c str)> {
    let mut run = Vec::new();
    // The previous change: where the text it put in ends, in the client's
    // positions, and where its range ended in `text`.
    let mut last: Option<(Position, Position)> = None;
    for c in changes {
        let Some(range) = c.range else { break };
        let (start, end) = span(range);
        let back = |p: Position| -> Option<Position> {
            let Some((put_end, was_end)) = last else {
                return Some(p);
            };
            if p.line > put_end.line {
                Some(Position::new(
                    p.line - put_end.line + was_end.line,
                    p.character,
                ))
            } else if p.line == put_end.line && p.character >= put_end.character {
                let character = was_end
                    .character
                    .checked_add(p.character - put_end.character)?;
                Some(Position::new(was_end.line, character))
            } else {
                None
            }
        };
        let (Some(from), Some(to)) = (back(start), back(end)) else {
            break;
        };
        if !(within_line(text, lines, from, enc) && within_line(text, lines, to, enc)) {
            break;
        }
        let (a, split_a) = locate(text, lines, from, enc);
        let (b, split_b) = locate(text, lines, to, enc);
        let t = c.text.as_str();
        if split_a || split_b || t.contains('\r') || joins(text, a..b, t) {
            break;
        }
        let put_end = match t.rfind('\n') {
            Some(i) => Position::new(
                start.line.saturating_add(t.matches('\n').count() as u32),
                enc.len(&t[i + 1..]) as u32,
            ),
            None => Position::new(
                start.line,
                start.character.saturating_add(enc.len(t) as u32),
            ),
        };
        run.push((a..b, t));
        last = Some((put_end, to));
    }
    run
}

/// What a configuration change did to the canon.
pub enum CanonOutcome {
    /// The canon directories did not change; nothing was loaded.
    Unchanged,
    /// Loaded; nothing to report.
    Ok,
    /// The new canon failed; the previous one stays in use.
    Kept(Vec<CanonError>),
}

/// Everything the server knows.
pub struct State {
    pub docs: HashMap<Uri, Doc>,
    pub encoding: Encoding,
    pub snippets: bool,
    /// The client takes edits that name the document version they were
    /// made for (`documentChanges`), and refuses them once the document
    /// has moved on: a fix chosen after more typing is not applied at
    /// the wrong place.
    pub versioned_edits: bool,
    /// `initializationOptions`, a layer of every folder's settings.
    pub init_layer: Layer,
    pub init_error: Option<String>,
    /// The workspace folders, in the client's order, never none: without
    /// any, one without a root. Each document is analysed with the
    /// settings and canon of the innermost folder holding it, else the
    /// first's (`folder_of`).
    pub folders: Vec<Folder>,
    /// Canon files that currently carry error diagnostics.
    pub canon_error_files: BTreeSet<PathBuf>,
    /// How many `workspace/configuration` requests have been sent: each
    /// answer is applied only over older ones (`Folder::pulled_by`).
    pub pulls: u64,
}

/// The folder whose settings and canon `uri` is analysed with: the
/// innermost holding it, else the first. (A function of the folders
/// alone, so a document may be borrowed from the state beside it.)
pub fn folder_of<'a>(folders: &'a [Folder], uri: &Uri) -> &'a Folder {
    &folders[folder_index(folders, uri.to_file_path().as_deref())]
}

fn folder_index(folders: &[Folder], path: Option<&std::path::Path>) -> usize {
    innermost(folders.iter().map(|f| f.root.as_deref()), path)
}

/// The index of the innermost of `roots` holding `path`, else 0.
fn innermost<'a>(
    roots: impl Iterator<Item = Option<&'a std::path::Path>>,
    path: Option<&std::path::Path>,
) -> usize {
    let Some(path) = path else { return 0 };
    roots
        .enumerate()
        .filter_map(|(i, root)| {
            let root = root?;
            path.starts_with(root)
                .then_some((root.components().count(), i))
        })
        .max_by_key(|&(depth, i)| (depth, std::cmp::Reverse(i)))
        .map_or(0, |(_, i)| i)
}

/// Each folder's root, canon and settings, taken from the state so that
/// files are analysed on another thread, each with its folder's.
pub struct Scopes(Vec<(Option<PathBuf>, Arc<Canon>, Settings)>);

impl Scopes {
    /// One analyzer per folder, in the folders' order.
    pub fn analyzers(&self) -> Vec<goalframe::analysis::Analyzer<'_>> {
        self.0
            .iter()
            .map(|(_, canon, settings)| goalframe::analysis::Analyzer::new(canon, settings))
            .collect()
    }

    /// The index of the folder a file is analysed with.
    pub fn index(&self, path: &std::path::Path) -> usize {
        innermost(
            self.0.iter().map(|(root, _, _)| root.as_deref()),
            Some(path),
        )
    }
}

/// One workspace folder: its settings and the canon they name.
pub struct Folder {
    pub root: Option<PathBuf>,
    /// Layers, lowest first: `goalframe.toml`, then editor settings
    /// (`State::init_layer`, then `pulled_layer`).
    pub toml_layer: Option<(Layer, PathBuf)>,
    /// The folders above the root that `goalframe.toml` was looked for
    /// in (up to the one it was found in): watched, as the root is.
    pub config_above: Vec<PathBuf>,
    pub pulled_layer: Option<Layer>,
    /// The request (`State::pulls`) whose answer `pulled_layer` is: an
    /// answer to an older one that comes later is stale.
    pub pulled_by: u64,
    /// Why each layer failed to parse, if it did.
    pub toml_error: Option<String>,
    pub pulled_error: Option<String>,
    /// Problems with the settings themselves, shown to the user.
    pub settings_errors: Vec<String>,
    pub settings: Settings,
    pub canon: Arc<Canon>,
    /// The canon directories last loaded, whether the load succeeded
    /// (`canon` is theirs; empty: embedded) or not (`canon_errors`): a
    /// broken canon is read again when its files change, not each time
    /// the settings are layered again.
    pub canon_dirs: Vec<PathBuf>,
    /// Errors of the last load that failed (empty when `canon` is current).
    pub canon_errors: Vec<CanonError>,
    /// How many canon loads were planned for the folder, and the number of
    /// the last one installed: a load read away from the state is installed
    /// only if no newer one was planned meanwhile (`State::install`).
    pub loads_planned: u64,
    pub load_installed: u64,
    /// What loading the canon in `initialize` did, reported to the user
    /// once the client is `initialized` and can be told.
    pub startup: Option<CanonOutcome>,
}

impl State {
    pub fn new() -> State {
        State {
            docs: HashMap::new(),
            encoding: Encoding::Utf16,
            snippets: false,
            versioned_edits: false,
            init_layer: Layer::default(),
            init_error: None,
            folders: vec![Folder::new(None)],
            canon_error_files: BTreeSet::new(),
            pulls: 0,
        }
    }

    /// What the folders' settings name to watch, each list sorted and
    /// without repeats: (canon directories, folders above a root that
    /// `goalframe.toml` was looked for in, roots).
    pub fn watched(&self) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<PathBuf>) {
        let (mut dirs, mut above, mut roots) = (Vec::new(), Vec::new(), Vec::new());
        for f in &self.folders {
            dirs.extend(f.settings.canon.iter().cloned());
            above.extend(f.config_above.iter().cloned());
            roots.extend(f.root.iter().cloned());
        }
        for list in [&mut dirs, &mut above, &mut roots] {
            list.sort();
            list.dedup();
        }
        (dirs, above, roots)
    }

    /// Folders added and removed by the client (their settings read;
    /// their canons loaded by the next `recompute`). Without any left,
    /// the folder without a root is back.
    pub fn change_folders(&mut self, added: &[PathBuf], removed: &[PathBuf]) {
        // The editor settings pushed to every folder (a client that does
        // not pull sends them once), until a new folder's own are pulled.
        let editor = (
            self.folders[0].pulled_layer.clone(),
            self.folders[0].pulled_error.clone(),
        );
        self.folders
            .retain(|f| f.root.as_ref().is_some_and(|r| !removed.contains(r)));
        for root in added {
            if !self.folders.iter().any(|f| f.root.as_ref() == Some(root)) {
                let mut folder = Folder::new(Some(root.clone()));
                (folder.pulled_layer, folder.pulled_error) = editor.clone();
                folder.read_toml();
                self.folders.push(folder);
            }
        }
        if self.folders.is_empty() {
            self.folders.push(Folder::new(None));
        }
    }

    /// The workspace folders' roots, in order.
    pub fn roots(&self) -> Vec<PathBuf> {
        self.folders.iter().filter_map(|f| f.root.clone()).collect()
    }

    /// The folder of a command's `uri` argument (a document's), else the
    /// first.
    pub fn folder_named(&self, uri: Option<&str>) -> &Folder {
        match uri.and_then(|u| u.parse::<Uri>().ok()) {
            Some(uri) => folder_of(&self.folders, &uri),
            None => &self.folders[0],
        }
    }

    /// What analysing files away from the state needs (`Scopes`).
    pub fn scopes(&self) -> Scopes {
        Scopes(
            self.folders
                .iter()
                .map(|f| (f.root.clone(), f.canon.clone(), f.settings.clone()))
                .collect(),
        )
    }

    /// Re-reads every folder's nearest `goalframe.toml`.
    pub fn read_toml(&mut self) {
        for f in &mut self.folders {
            f.read_toml();
        }
    }

    /// Layers every folder's settings again and reloads the canons whose
    /// directories changed (or all, with `force`); a canon already loaded
    /// from the same directories by another folder is shared, not read
    /// again. In place: [`State::plan`], the reading, [`State::install`].
    pub fn recompute(&mut self, force: bool) -> Vec<CanonOutcome> {
        let (planned, loads) = self.plan(force);
        let read = read_canons(&loads);
        self.install(planned, &loads, read)
    }

    /// The first half of [`State::recompute`]: the settings layered again,
    /// the folders whose canon needs no reading done, and the canons to
    /// read (away from the state: a large canon takes a while, and nothing
    /// else is answered while the state is held).
    pub fn plan(&mut self, force: bool) -> (Planned, Vec<CanonLoad>) {
        let mut planned = Vec::with_capacity(self.folders.len());
        let mut loads: Vec<CanonLoad> = Vec::new();
        for i in 0..self.folders.len() {
            let (others, rest) = self.folders.split_at_mut(i);
            let folder = &mut rest[0];
            let Some(dirs) = folder.relayer(&self.init_layer, self.init_error.as_ref(), force)
            else {
                planned.push((folder.root.clone(), CanonOutcome::Unchanged));
                continue;
            };
            // Read in this round already, or loaded by a folder with
            // nothing pending (unless every canon is read again).
            let reading = loads.iter().any(|l| l.dirs == dirs);
            let loaded = others.iter().find(|f| {
                f.canon_dirs == dirs
                    && f.canon_errors.is_empty()
                    && f.load_installed == f.loads_planned
            });
            if dirs.is_empty() || (!force && !reading && loaded.is_some()) {
                folder.canon = match loaded {
                    Some(f) if !dirs.is_empty() => f.canon.clone(),
                    _ => embedded(),
                };
                folder.canon_errors.clear();
                // A load still being read for the folder is stale now.
                folder.loads_planned += 1;
                folder.load_installed = folder.loads_planned;
                planned.push((folder.root.clone(), CanonOutcome::Ok));
                continue;
            }
            folder.loads_planned += 1;
            loads.push(CanonLoad {
                root: folder.root.clone(),
                dirs,
                number: folder.loads_planned,
            });
        }
        (planned, loads)
    }

    /// The second half of [`State::recompute`]: each canon read is
    /// installed in its folder unless a newer load was planned for it
    /// meanwhile (that one reports). A canon that failed never replaces
    /// the one in use. The outcomes are in the order of the folders now.
    pub fn install(
        &mut self,
        mut planned: Planned,
        loads: &[CanonLoad],
        read: ReadCanons,
    ) -> Vec<CanonOutcome> {
        for load in loads {
            let Some(f) = self.folders.iter_mut().find(|f| f.root == load.root) else {
                continue;
            };
            if f.loads_planned != load.number {
                continue;
            }
            let Some((_, result)) = read.iter().find(|(dirs, _)| *dirs == load.dirs) else {
                continue;
            };
            f.load_installed = load.number;
            let outcome = match result {
                Ok(c) => {
                    f.canon = c.clone();
                    f.canon_errors.clear();
                    CanonOutcome::Ok
                }
                Err(e) => {
                    f.canon_errors = e.clone();
                    CanonOutcome::Kept(e.clone())
                }
            };
            planned.push((load.root.clone(), outcome));
        }
        self.folders
            .iter()
            .map(|f| {
                let i = planned.iter().rposition(|(root, _)| *root == f.root);
                i.map_or(CanonOutcome::Unchanged, |i| planned.swap_remove(i).1)
            })
            .collect()
    }

    /// Whether a changed path is one the server watches, for any folder.
    pub fn watches(&self, path: &std::path::Path) -> bool {
        self.folders.iter().any(|f| f.watches(path))
    }
}

/// What [`State::plan`] settled without reading, by folder root.
pub type Planned = Vec<(Option<PathBuf>, CanonOutcome)>;

/// A canon a folder's settings name, to be read ([`read_canons`]).
pub struct CanonLoad {
    root: Option<PathBuf>,
    dirs: Vec<PathBuf>,
    /// The folder's `loads_planned` when this was planned.
    number: u64,
}

/// Canons read ([`read_canons`]): each set of directories, and the canon
/// or why it failed.
pub type ReadCanons = Vec<(Vec<PathBuf>, Result<Arc<Canon>, Vec<CanonError>>)>;

/// Reads each set of canon directories the loads name, once.
pub fn read_canons(loads: &[CanonLoad]) -> ReadCanons {
    let mut read = ReadCanons::new();
    for load in loads {
        if !read.iter().any(|(dirs, _)| *dirs == load.dirs) {
            let result = canon::load_dirs(&load.dirs).map(Arc::new).map_err(|e| e.0);
            read.push((load.dirs.clone(), result));
        }
    }
    read
}

/// The embedded default canon, read once for the whole session: it is
/// built into the binary, so every folder without a canon of its own
/// shares it, and a reload never reads it again.
fn embedded() -> Arc<Canon> {
    static EMBEDDED: std::sync::OnceLock<Arc<Canon>> = std::sync::OnceLock::new();
    EMBEDDED
        .get_or_init(|| {
            Arc::new(
                canon::load_embedded().expect("the embedded canon is validated by the test suite"),
            )
        })
        .clone()
}

impl Folder {
    pub fn new(root: Option<PathBuf>) -> Folder {
        let canon = embedded();
        Folder {
            root,
            toml_layer: None,
            config_above: Vec::new(),
            pulled_layer: None,
            pulled_by: 0,
            toml_error: None,
            pulled_error: None,
            settings_errors: Vec::new(),
            settings: Settings::default(),
            canon,
            canon_dirs: Vec::new(),
            canon_errors: Vec::new(),
            loads_planned: 0,
            load_installed: 0,
            startup: None,
        }
    }

    /// Re-reads the nearest `goalframe.toml`: in the folder's root or the
    /// nearest folder above it.
    /// A file that no longer parses keeps the last settings that did (as
    /// a broken canon keeps the last good canon), and its error is shown.
    pub fn read_toml(&mut self) {
        let Some(root) = &self.root else {
            self.toml_layer = None;
            self.toml_error = None;
            self.config_above.clear();
            return;
        };
        let search = config::ConfigSearch::new(root);
        self.config_above = search.above().to_vec();
        match search.read() {
            Ok(layer) => {
                self.toml_layer = layer;
                self.toml_error = None;
            }
            Err(e) => self.toml_error = Some(kept(e.to_string(), self.toml_layer.is_some())),
        }
    }

    /// Applies settings the client sent: good ones replace the last, bad
    /// ones are reported and leave the last good ones in use.
    pub fn set_pulled(&mut self, parsed: Result<Layer, String>) {
        match parsed {
            Ok(layer) => {
                self.pulled_layer = Some(layer);
                self.pulled_error = None;
            }
            Err(e) => self.pulled_error = Some(kept(e, self.pulled_layer.is_some())),
        }
    }

    /// Layers the settings again: the canon directories to load, if they
    /// changed (or `force`), else `None`.
    fn relayer(
        &mut self,
        init_layer: &Layer,
        init_error: Option<&String>,
        force: bool,
    ) -> Option<Vec<PathBuf>> {
        let mut settings = Settings::default();
        let mut errors: Vec<String> = [
            self.toml_error.as_ref(),
            init_error,
            self.pulled_error.as_ref(),
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        if let Some((layer, path)) = &self.toml_layer {
            let base = path.parent().map(PathBuf::from);
            if let Err(e) = settings.apply(layer, base.as_deref(), &path.display().to_string()) {
                errors.push(e.to_string());
            }
        }
        let root = self.root.clone();
        for (layer, origin) in [
            (Some(init_layer), "initializationOptions"),
            (self.pulled_layer.as_ref(), "workspace/configuration"),
        ] {
            if let Some(layer) = layer {
                if let Err(e) = settings.apply(layer, root.as_deref(), origin) {
                    errors.push(e.to_string());
                }
            }
        }
        self.settings_errors = errors;
        let dirs_changed = settings.canon != self.canon_dirs;
        self.settings = settings;
        if !(dirs_changed || force) {
            return None;
        }
        self.canon_dirs = self.settings.canon.clone();
        Some(self.canon_dirs.clone())
    }

    /// Whether a changed path is one the server watches: the settings
    /// file, a canon file under a configured canon directory, or a canon
    /// directory or a folder on the way to one (come or gone).
    pub fn watches(&self, path: &std::path::Path) -> bool {
        path.file_name().is_some_and(|n| n == config::CONFIG_FILE)
            || self
                .settings
                .canon
                .iter()
                .any(|d| d.starts_with(path) || (canon::is_canon_file(path) && path.starts_with(d)))
    }

    /// The folder's name in a message: its root, or nothing without one.
    pub fn label(&self) -> String {
        self.root
            .as_ref()
            .map(|r| r.display().to_string())
            .unwrap_or_default()
    }
}

/// An error message, saying whether the last good settings stay.
pub fn kept(error: String, had_good: bool) -> String {
    if had_good {
        format!("{error} (the last settings that loaded stay in use)")
    } else {
        error
    }
}

/// Parses an editor settings value into a layer, or the error to show
/// (labelled by where the settings came from).
pub fn editor_layer(value: &serde_json::Value, origin: &str) -> Result<Layer, String> {
    config::parse_json(value, origin).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::tests::support::rng::Rng;
    use tower_lsp_server::ls_types::{Position, Range};

    /// A client holding UTF-16 units, as VS Code does, that edits anywhere,
    /// between a surrogate pair's halves too: after every edit the server's
    /// text has the client's units, each one or U+FFFD (where the client
    /// has a lone surrogate, or halves it paired again), so every position
    /// the client sends next still means the same place.
    #[test]
    fn edits_between_surrogate_halves_keep_every_utf16_unit_in_place() {
        const PIECES: &[&str] = &["", "x", "😀", "\n", "é", "𝄞", "\u{FFFD}", "⟨target⟩ "];
        for seed in 0..400u64 {
            let start = "😀 a\n😀😀 ⟨target⟩\n𝄞b😀";
            let mut client: Vec<u16> = start.encode_utf16().collect();
            let mut doc = Doc::new(start.to_string(), 1, DocKind::Markdown);
            let mut rng = Rng::new(0x5u64 << 32 | seed);
            for step in 0..60 {
                let lines: Vec<usize> = std::iter::once(0)
                    .chain(
                        client
                            .iter()
                            .enumerate()
                            .filter(|(_, &u)| u == 0x0A)
                            .map(|(i, _)| i + 1),
                    )
                    .collect();
                let line_len = |l: usize| {
                    let end = lines.get(l + 1).map_or(client.len(), |&n| n - 1);
                    end - lines[l]
                };
                let mut at = || {
                    let l = rng.below(lines.len());
                    (l, rng.below(line_len(l) + 1))
                };
                let (mut a, mut b) = (at(), at());
                if b < a {
                    std::mem::swap(&mut a, &mut b);
                }
                let text = PIECES[rng.below(PIECES.len())];
                let (ia, ib) = (lines[a.0] + a.1, lines[b.0] + b.1);
                client.splice(ia..ib, text.encode_utf16());
                let pos = |(l, c): (usize, usize)| Position::new(l as u32, c as u32);
                doc.apply(
                    &TextDocumentContentChangeEvent {
                        range: Some(Range::new(pos(a), pos(b))),
                        range_length: None,
                        text: text.to_string(),
                    },
                    Encoding::Utf16,
                );
                let server: Vec<u16> = doc.session.text().encode_utf16().collect();
                assert_eq!(server.len(), client.len(), "seed {seed} step {step}");
                for (i, (&s, &c)) in server.iter().zip(&client).enumerate() {
                    assert!(
                        s == c || s == 0xFFFD,
                        "seed {seed} step {step} unit {i}: {s:#x} for {c:#x}"
                    );
                }
            }
        }
    }

    /// Two changes from the bottom up, the lower putting a `\n` right
    /// after a lone `\r` (which makes the two one line break), the upper
    /// ending where the lower starts: that line's start moved past the
    /// `\n`, so the upper takes the `\r\n` whole, as one at a time.
    #[test]
    fn a_change_joining_a_lone_cr_to_a_newline_moves_the_line_start_below_it() {
        let changes = [((1, 0), (1, 0), "\n"), ((0, 1), (1, 0), "x")].map(|(a, b, t)| {
            TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(a.0, a.1), Position::new(b.0, b.1))),
                range_length: None,
                text: t.to_string(),
            }
        });
        let mut together = Doc::new("a\rb".into(), 1, DocKind::Markdown);
        together.apply_all(&changes, Encoding::Utf16);
        assert_eq!(together.session.text(), "axb");
    }

    /// eglot's replace-all (each change in the text the ones before left,
    /// from the top down) is placed in the text as it was, all at once,
    /// and leaves what the changes leave one at a time.
    #[test]
    fn a_replace_all_from_the_top_down_is_one_run() {
        let line = "⟨target⟩ by ⟨date⟩ 😀 ⟨target⟩\n";
        let text = line.repeat(50);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            // Each `⟨target⟩` becomes `25 %\n`: later lines shift down
            // by the breaks put in, later columns on a line by the text.
            let mut changes = Vec::new();
            let mut apart = Doc::new(text.clone(), 1, DocKind::Markdown);
            loop {
                let t = apart.session.text();
                let Some(at) = t.find("⟨target⟩") else {
                    break;
                };
                let lines = apart.session.lines();
                let row = lines.line_of(at);
                let col = enc.len(&t[lines.start(row)..at]) as u32;
                let end = col + enc.len("⟨target⟩") as u32;
                let c = TextDocumentContentChangeEvent {
                    range: Some(Range::new(
                        Position::new(row as u32, col),
                        Position::new(row as u32, end),
                    )),
                    range_length: None,
                    text: "25 %\n".into(),
                };
                apart.apply(&c, enc);
                changes.push(c);
            }
            let together = Doc::new(text.clone(), 1, DocKind::Markdown);
            let run = top_down(
                together.session.text(),
                together.session.lines(),
                &changes,
                enc,
            );
            assert_eq!(run.len(), 100);
            let mut together = together;
            together.apply_all(&changes, enc);
            assert_eq!(together.session.text(), apart.session.text());
        }
    }

    /// A notification's changes applied together leave the text they leave
    /// one at a time: runs from the bottom up (many cursors, a
    /// replace-all) and from the top down (eglot's replace-all), with changes at the same place, past a line's end,
    /// past the document's end, reversed, between a surrogate pair's
    /// halves, and out of order, in both encodings.
    #[test]
    fn changes_applied_together_are_the_changes_one_at_a_time() {
        const PIECES: &[&str] = &[
            "",
            "x",
            "😀",
            "\n",
            "é",
            "中文",
            "\r\n",
            "\r",
            "a\rb",
            "<!-- goalframe-disable -->",
        ];
        let start =
            "😀 a ⟨target⟩\n中文 @ae/p2\r\n\n𝄞b😀 <!-- goalframe-disable-line -->\r\nold mac\rlast";
        for seed in 0..300u64 {
            let mut rng = Rng::new(0x7u64 << 32 | seed);
            let enc = if seed % 2 == 0 {
                Encoding::Utf16
            } else {
                Encoding::Utf8
            };
            let mut together = Doc::new(start.repeat(1 + rng.below(4)), 1, DocKind::Markdown);
            let mut apart = Doc::new(together.session.text().to_string(), 1, DocKind::Markdown);
            for step in 0..6 {
                let lines = together.session.lines().count() as u32;
                let change = |start: (u32, u32), end: (u32, u32), text: &str| {
                    TextDocumentContentChangeEvent {
                        range: Some(Range::new(
                            Position::new(start.0, start.1),
                            Position::new(end.0, end.1),
                        )),
                        range_length: None,
                        text: text.to_string(),
                    }
                };
                let mut changes: Vec<TextDocumentContentChangeEvent> = if rng.below(2) == 0 {
                    // From the bottom up, mostly: positions drawn, then sorted.
                    let mut points: Vec<(u32, u32)> = (0..2 * (1 + rng.below(30)))
                        .map(|_| (rng.below(lines as usize + 1) as u32, rng.below(14) as u32))
                        .collect();
                    points.sort_unstable_by(|x, y| y.cmp(x));
                    points
                        .chunks(2)
                        .map(|p| {
                            let (end, start) = (p[0], p[1]);
                            let text = PIECES[rng.below(PIECES.len())];
                            if rng.below(8) == 0 {
                                change(end, start, text)
                            } else {
                                change(start, end, text)
                            }
                        })
                        .collect()
                } else {
                    // From the top down, mostly (as eglot sends a
                    // replace-all): each change at or after where the text
                    // the one before put in ends, as the client counts.
                    let mut at = (rng.below(2) as u32, rng.below(6) as u32);
                    (0..1 + rng.below(30))
                        .map(|_| {
                            let start = match rng.below(6) {
                                0 => (at.0 + 1 + rng.below(2) as u32, rng.below(8) as u32),
                                1 => (at.0, at.1.saturating_sub(1)),
                                _ => (at.0, at.1 + rng.below(5) as u32),
                            };
                            let end = match rng.below(4) {
                                0 => (start.0 + 1, rng.below(6) as u32),
                                _ => (start.0, start.1 + rng.below(4) as u32),
                            };
                            let text = PIECES[rng.below(PIECES.len())];
                            at = match text.rfind('\n') {
                                Some(i) => (
                                    start.0 + text.matches('\n').count() as u32,
                                    enc.len(&text[i + 1..]) as u32,
                                ),
                                None => (start.0, start.1 + enc.len(text) as u32),
                            };
                            if rng.below(10) == 0 {
                                change(end, start, text)
                            } else {
                                change(start, end, text)
                            }
                        })
                        .collect()
                };
                if rng.below(5) == 0 {
                    let i = rng.below(changes.len());
                    let j = rng.below(changes.len());
                    changes.swap(i, j);
                }
                together.apply_all(&changes, enc);
                for c in &changes {
                    apart.apply(c, enc);
                }
                assert_eq!(
                    together.session.text(),
                    apart.session.text(),
                    "seed {seed} step {step}: {changes:?}"
                );
                assert_eq!(together.session.lines(), apart.session.lines());
            }
        }
    }

    /// A canon read for settings that were replaced while it was read is
    /// stale: it is not installed over what the newer settings chose (here
    /// the embedded canon, chosen without reading).
    #[test]
    fn a_canon_read_for_replaced_settings_is_not_installed() {
        let dir = std::env::temp_dir().join(format!("goalframe-stale-load-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (rel, text) in canon::embedded_files() {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let layer = |v: serde_json::Value| editor_layer(&v, "test").expect("a layer");
        let mut st = State::new();
        st.init_layer = layer(serde_json::json!({"canon": [dir]}));
        let (planned, loads) = st.plan(false);
        assert_eq!(loads.len(), 1);
        // The settings change back while the canon is read.
        st.init_layer = layer(serde_json::json!({"canon": []}));
        let (again, none) = st.plan(false);
        assert!(none.is_empty());
        st.install(again, &none, Vec::new());
        let read = read_canons(&loads);
        assert!(read[0].1.is_ok());
        let outcomes = st.install(planned, &loads, read);
        assert!(matches!(outcomes[..], [CanonOutcome::Unchanged]));
        assert!(Arc::ptr_eq(&st.folders[0].canon, &embedded()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
