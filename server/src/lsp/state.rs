//! The server's state: open documents, the settings layers and the canon
//! in use. Plain synchronous code behind one `std::sync::Mutex`, so every
//! notification's effect is applied, in arrival order, before its handler
//! first awaits (tower-lsp runs handlers concurrently; an edit applied after
//! an await could be overtaken by the next one).

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use goalframe::analysis::{DocKind, Session};
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
    /// changes each ending before the one before it starts (many cursors,
    /// a replace-all: editors send them from the bottom up) is placed in
    /// the text as it was and applied at once: one at a time, each moved
    /// the whole text after it, and 16,000 changes to a 5 MB draft took a
    /// second.
    pub fn apply_all(&mut self, changes: &[TextDocumentContentChangeEvent], enc: Encoding) {
        let mut rest = changes;
        while let Some(first) = rest.first() {
            let (text, lines) = (self.session.text(), self.session.lines());
            let mut run: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
            // The previous change's start: its position and its offset.
            let mut last: Option<(tower_lsp_server::ls_types::Position, usize)> = None;
            for c in rest {
                let Some(range) = c.range else { break };
                let (start, end) = if (range.start.line, range.start.character)
                    <= (range.end.line, range.end.character)
                {
                    (range.start, range.end)
                } else {
                    (range.end, range.start)
                };
                let (a, split_a) = locate(text, lines, start, enc);
                let (b, split_b) = locate(text, lines, end, enc);
                // Strictly before the previous start, or at exactly its
                // position inside its line: where it lands does not depend
                // on what the previous change did (past a line's end, the
                // end it is taken as moves with what was typed there).
                let apart = last.is_none_or(|(prev, at)| {
                    b < at || (end == prev && within_line(text, lines, end, enc))
                });
                if split_a || split_b || !apart {
                    break;
                }
                run.push((a..b, c.text.as_str()));
                last = Some((start, a));
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
            init_layer: Layer::default(),
            init_error: None,
            folders: vec![Folder::new(None)],
            canon_error_files: BTreeSet::new(),
        }
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
    /// again.
    pub fn recompute(&mut self, force: bool) -> Vec<CanonOutcome> {
        let mut outcomes = Vec::with_capacity(self.folders.len());
        for i in 0..self.folders.len() {
            let (done, rest) = self.folders.split_at_mut(i);
            let folder = &mut rest[0];
            let outcome =
                folder.recompute(&self.init_layer, self.init_error.as_ref(), force, |dirs| {
                    done.iter()
                        .find(|f| f.canon_dirs == dirs && f.canon_errors.is_empty())
                        .map(|f| f.canon.clone())
                });
            outcomes.push(outcome);
        }
        outcomes
    }

    /// Whether a changed path is one the server watches, for any folder.
    pub fn watches(&self, path: &std::path::Path) -> bool {
        self.folders.iter().any(|f| f.watches(path))
    }
}

impl Folder {
    pub fn new(root: Option<PathBuf>) -> Folder {
        let canon =
            canon::load_embedded().expect("the embedded canon is validated by the test suite");
        Folder {
            root,
            toml_layer: None,
            config_above: Vec::new(),
            pulled_layer: None,
            toml_error: None,
            pulled_error: None,
            settings_errors: Vec::new(),
            settings: Settings::default(),
            canon: Arc::new(canon),
            canon_dirs: Vec::new(),
            canon_errors: Vec::new(),
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

    /// Layers the settings again and reloads the canon if its directories
    /// changed (or `force`), unless `shared` has it loaded already. A
    /// canon that fails to load never replaces the one in use.
    fn recompute(
        &mut self,
        init_layer: &Layer,
        init_error: Option<&String>,
        force: bool,
        shared: impl FnOnce(&[PathBuf]) -> Option<Arc<Canon>>,
    ) -> CanonOutcome {
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
            return CanonOutcome::Unchanged;
        }
        self.canon_dirs = self.settings.canon.clone();
        let loaded = match shared(&self.canon_dirs) {
            Some(canon) => Ok(canon),
            None => canon::load_configured(&self.settings.canon).map(Arc::new),
        };
        match loaded {
            Ok(c) => {
                self.canon = c;
                self.canon_errors.clear();
                CanonOutcome::Ok
            }
            Err(e) => {
                self.canon_errors = e.0.clone();
                CanonOutcome::Kept(e.0)
            }
        }
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

    /// A notification's changes applied together leave the text they leave
    /// one at a time: runs from the bottom up (many cursors, a
    /// replace-all), with changes at the same place, past a line's end,
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
            "<!-- goalframe-disable -->",
        ];
        let start = "😀 a ⟨target⟩\n中文 @ae/p2\r\n\n𝄞b😀 <!-- goalframe-disable-line -->\nlast";
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
                // From the bottom up, mostly: positions drawn, then sorted.
                let mut points: Vec<(u32, u32)> = (0..2 * (1 + rng.below(30)))
                    .map(|_| (rng.below(lines as usize + 1) as u32, rng.below(14) as u32))
                    .collect();
                points.sort_unstable_by(|x, y| y.cmp(x));
                let mut changes: Vec<TextDocumentContentChangeEvent> = points
                    .chunks(2)
                    .map(|p| {
                        let (end, start) = (p[0], p[1]);
                        let (start, end) = if rng.below(8) == 0 {
                            (end, start)
                        } else {
                            (start, end)
                        };
                        TextDocumentContentChangeEvent {
                            range: Some(Range::new(
                                Position::new(start.0, start.1),
                                Position::new(end.0, end.1),
                            )),
                            range_length: None,
                            text: PIECES[rng.below(PIECES.len())].to_string(),
                        }
                    })
                    .collect();
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
}
