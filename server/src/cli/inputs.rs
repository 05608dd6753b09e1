//! The documents a command's paths name (docs/lint.md, "Documents that
//! could not be checked"): files, folders walked as ripgrep walks them
//! (hidden files and ignored paths left out), globs, `-` for standard
//! input; and, as skipped paths, what names nothing or cannot be read.

use std::path::{Path, PathBuf};

use super::report::Skipped;

/// Extensions linted when walking directories.
pub(crate) const EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Where a document comes from.
pub(crate) enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    pub(crate) fn file(&self) -> Option<&Path> {
        match self {
            Source::File(p) => Some(p),
            Source::Stdin => None,
        }
    }
}

/// Expands the arguments into documents, sorted by path and deduplicated;
/// also returns arguments that named nothing.
pub(crate) fn collect(args: &[String]) -> Result<(Vec<Source>, Vec<Skipped>), String> {
    let args: Vec<String> = if args.is_empty() {
        vec![".".to_string()]
    } else {
        args.to_vec()
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stdin = false;
    let mut skipped = Vec::new();
    for arg in &args {
        if arg == "-" {
            stdin = true;
            continue;
        }
        if arg.is_empty() {
            return Err("an empty path was given".to_string());
        }
        let path = Path::new(arg);
        if path.is_file() {
            files.push(path.to_path_buf());
        } else if path.is_dir() {
            walk(path, None, &mut files, &mut skipped);
        } else if arg.contains(['*', '?', '[', '{']) {
            let glob = globset::GlobBuilder::new(arg)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("bad glob `{}`: {e}", goalframe::quote::quote(arg)))?;
            let matcher = glob.compile_matcher();
            let base = glob_base(arg);
            if !base.is_dir() {
                // Walked, it would be a second problem for one argument,
                // in the system's words.
                skipped.push(Skipped {
                    path: arg.clone(),
                    reason: format!(
                        "no file matches this glob: there is no folder {}",
                        base.display()
                    ),
                });
                continue;
            }
            let before = files.len();
            walk(&base, Some(&matcher), &mut files, &mut skipped);
            if files.len() == before {
                let reason = match left_out_matches(&base, &matcher) {
                    0 => "no file matches this glob".to_string(),
                    n => {
                        let (is, them) = if n == 1 {
                            ("is", "it")
                        } else {
                            ("are", "them")
                        };
                        format!("no file matches this glob except {n} that {is} hidden or ignored (.gitignore, .ignore); name {them} to check {them}")
                    }
                };
                skipped.push(Skipped {
                    path: arg.clone(),
                    reason,
                });
            }
        } else {
            // Not a file or a directory: say what it is instead.
            match std::fs::metadata(path) {
                Ok(meta) => skipped.push(Skipped {
                    path: arg.clone(),
                    reason: format!(
                        "not a regular file: it is {}",
                        goalframe::read::kind_of(&meta)
                    ),
                }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    // A link whose file is gone is there to be seen, and
                    // "no such file" would not say which is missing.
                    return Err(match std::fs::read_link(path) {
                        Ok(to) => format!(
                            "{arg} is a symbolic link to {}, which does not exist",
                            to.display()
                        ),
                        Err(_) => format!("{arg}: no such file or directory"),
                    });
                }
                Err(e) => return Err(format!("{arg}: {e}")),
            }
        }
    }
    files.sort();
    files.dedup();
    // One file named twice in two spellings (`a.md`, `./a.md`, its full
    // path) is read once: an export must not list its goals twice. One
    // path or folder cannot name a file twice, so a single argument needs
    // no look at the files.
    if args.len() > 1 {
        let mut seen = std::collections::HashSet::new();
        files.retain(|f| goalframe::read::file_id(f).is_none_or(|id| seen.insert(id)));
    }
    let mut sources: Vec<Source> = files.into_iter().map(Source::File).collect();
    if stdin {
        sources.push(Source::Stdin);
    }
    Ok((sources, skipped))
}

/// The folder a glob's fixed leading components name (`docs/**/*.md` →
/// `docs`), where the walk starts.
fn glob_base(glob: &str) -> PathBuf {
    // An absolute glob's base is absolute too.
    let mut base = if glob.starts_with('/') {
        PathBuf::from("/")
    } else {
        PathBuf::new()
    };
    for part in glob.split('/') {
        if part.contains(['*', '?', '[', '{']) {
            break;
        }
        base.push(part);
    }
    if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    }
}

/// The goal documents (`.md`, `.markdown`, `.txt`) under `dir`, walked as
/// `lint` walks a folder; for the language server's workspace pass, which
/// passes over what it cannot walk.
#[cfg(feature = "lsp")]
pub(crate) fn walk_documents(dir: &Path, out: &mut Vec<PathBuf>) {
    walk(dir, None, out, &mut Vec::new());
}

/// Walks a directory the way ripgrep does (hidden files and ignored paths
/// skipped), keeping goal documents, or the files a glob matches.
fn walk(
    dir: &Path,
    glob: Option<&globset::GlobMatcher>,
    out: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) {
    // The walk reads each folder's ignore files whole, and its parents':
    // one that is a named pipe would hang it, a link to `/dev/zero` fill
    // the memory. A folder with such a file is passed over and named.
    let governing = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut above = governing.ancestors().enumerate();
    if let Some((i, mut bad)) = above.find_map(|(i, d)| Some((i, unreadable_ignore_file(d)?))) {
        if i == 0 {
            bad.path = shown(dir);
        }
        skipped.push(bad);
        return;
    }
    let passed_over = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let noted = passed_over.clone();
    // Looked at, and said, once a run.
    static GLOBAL: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let global = GLOBAL.get_or_init(|| {
        let why = unreadable_git_config();
        if let Some(why) = &why {
            super::say!("warning: git's global ignore file is not read: {why}");
        }
        why
    });
    let walk = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .git_global(global.is_none())
        .filter_entry(move |e| {
            let bad = e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && unreadable_ignore_file(e.path())
                    .is_some_and(|bad| noted.lock().map(|mut v| v.push(bad)).is_ok());
            !bad
        })
        .build();
    for entry in walk {
        // What cannot be read (a folder without permission, a path too
        // long) is named and passed over, as ripgrep does: the rest of
        // the folder is still checked.
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                skipped.push(unwalkable(dir, &e));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let path = path.strip_prefix("./").unwrap_or(path);
        let keep = match glob {
            Some(m) => m.is_match(path),
            None => path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())),
        };
        if keep {
            out.push(path.to_path_buf());
        }
    }
    if let Ok(mut v) = passed_over.lock() {
        skipped.append(&mut v);
    };
}

/// Why git's config files, which the walk reads whole to find the global
/// ignore file's name, cannot be read safely: one that is a pipe, a device
/// (but `/dev/null`, which `GIT_CONFIG_GLOBAL` often names) or a socket.
fn unreadable_git_config() -> Option<String> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    #[allow(deprecated)] // as the walk finds it
    let home = std::env::home_dir();
    let xdg = var("XDG_CONFIG_HOME").or_else(|| home.as_ref().map(|h| h.join(".config")));
    let read = [
        var("GIT_CONFIG_GLOBAL"),
        home.map(|h| h.join(".gitconfig")),
        xdg.map(|x| x.join("git/config")),
        Some(var("GIT_CONFIG_SYSTEM").unwrap_or_else(|| PathBuf::from("/etc/gitconfig"))),
    ];
    read.into_iter().flatten().find_map(|path| {
        let kind = goalframe::read::special_kind(&std::fs::metadata(&path).ok()?)?;
        let null = std::fs::canonicalize(&path).is_ok_and(|p| p == Path::new("/dev/null"));
        (!null).then(|| format!("{} is {kind}, not a regular file", path.display()))
    })
}

/// The ignore files the walk reads in a folder.
const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", ".git/info/exclude"];

/// `dir`, as a skipped path, if one of its ignore files is there but is
/// a pipe, a device or a socket (followed through links).
fn unreadable_ignore_file(dir: &Path) -> Option<Skipped> {
    IGNORE_FILES.iter().find_map(|name| {
        // A folder of that name is an error the walk reports itself.
        let kind = goalframe::read::special_kind(&std::fs::metadata(dir.join(name)).ok()?)?;
        Some(Skipped {
            path: shown(dir),
            reason: format!(
                "its ignore file {name} is {kind}, not a regular file; the folder is not checked"
            ),
        })
    })
}

/// How many files below `dir` match `glob` among those the walk leaves
/// out (hidden, or in an ignore file): said when a glob matched nothing
/// else, since a shell's glob would have named them.
fn left_out_matches(dir: &Path, glob: &globset::GlobMatcher) -> usize {
    ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter(|e| glob.is_match(e.path().strip_prefix("./").unwrap_or(e.path())))
        .count()
}

/// A part of a folder the walk could not read, as a skipped path: the
/// path the error names (or the folder walked) and the error itself.
fn unwalkable(dir: &Path, e: &ignore::Error) -> Skipped {
    let mut path = dir;
    let mut inner = e;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = p;
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err
            }
            _ => break,
        }
    }
    // The innermost cause: the walk's own words for an I/O error repeat
    // the path.
    let mut cause: &dyn std::error::Error = match inner {
        ignore::Error::Io(err) => err,
        other => other,
    };
    while let Some(deeper) = cause.source() {
        cause = deeper;
    }
    Skipped {
        path: shown(path),
        reason: cause.to_string(),
    }
}

/// A path as a skipped one is named: without a leading `./` (but `.`
/// itself stays `.`).
fn shown(path: &Path) -> String {
    match path.strip_prefix("./") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.display().to_string(),
        _ => path.display().to_string(),
    }
}
