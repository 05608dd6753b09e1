//! Settings (docs/lsp.md): one shape for `goalframe.toml`, the server's
//! `initializationOptions` and `workspace/didChangeConfiguration`, layered
//! embedded defaults < `goalframe.toml` < editor settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Code, Severity};
use crate::goals::date::Day;
pub use crate::goals::metadata::Cycle;
use crate::quote::quote;

/// The name of the workspace configuration file.
pub const CONFIG_FILE: &str = "goalframe.toml";

/// Bounds on the configured look-alikes, which keep the matcher built
/// from them small (and its construction infallible).
pub const MAX_PLACEHOLDERS: usize = 1000;
pub const MAX_PLACEHOLDER_LEN: usize = 200;

/// One layer of settings as written by the user; absent keys leave the
/// layer below in force.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Canon directories; relative ones are resolved against `base`.
    pub canon: Option<Vec<String>>,
    /// Extra look-alike placeholder tokens to flag.
    pub placeholders: Option<Vec<String>>,
    /// Code → `error|warning|information|hint|off`.
    pub severity: Option<BTreeMap<String, String>>,
    /// The review cycle of the documents below (`[cycle]`).
    pub cycle: Option<CycleLayer>,
}

/// `[cycle]`: a label and the first and last day (any date form).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleLayer {
    pub label: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// The effective settings after layering.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Empty: the embedded default canon.
    pub canon: Vec<PathBuf>,
    pub placeholders: Vec<String>,
    /// Per-code overrides; codes not listed keep their default severity.
    pub severity: BTreeMap<Code, Option<Severity>>,
    /// The review cycle set for a folder; a document's own metadata wins.
    pub cycle: Option<Cycle>,
}

/// A settings problem, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct ConfigError {
    pub origin: String,
    pub message: String,
}

/// Which setting a [`Settings::apply`] error is about: its keys from the
/// top, and whether the key itself (not its value) is what is wrong.
type Culprit = (Vec<String>, bool, String);

impl Settings {
    /// Applies one layer on top; relative canon paths resolve against
    /// `base` (the file's folder, or the workspace root for editor settings).
    pub fn apply(
        &mut self,
        layer: &Layer,
        base: Option<&Path>,
        origin: &str,
    ) -> Result<(), ConfigError> {
        self.apply_layer(layer, base)
            .map_err(|(_, _, message)| ConfigError {
                origin: origin.to_string(),
                message,
            })
    }

    fn apply_layer(&mut self, layer: &Layer, base: Option<&Path>) -> Result<(), Culprit> {
        let at = |keys: &[&str], key: bool, message: String| -> Culprit {
            (keys.iter().map(|k| k.to_string()).collect(), key, message)
        };
        if let Some(dirs) = &layer.canon {
            // An empty path would be the settings' own folder.
            if dirs.iter().any(|d| d.trim().is_empty()) {
                return Err(at(
                    &["canon"],
                    false,
                    "`canon` takes canon directories; one of them is an empty path".to_string(),
                ));
            }
            self.canon = dirs
                .iter()
                .map(|d| {
                    let p = PathBuf::from(d);
                    match base {
                        Some(b) if p.is_relative() => b.join(p),
                        _ => p,
                    }
                })
                .collect();
        }
        if let Some(p) = &layer.placeholders {
            if p.len() > MAX_PLACEHOLDERS
                || p.iter()
                    .any(|x| x.trim().is_empty() || x.len() > MAX_PLACEHOLDER_LEN)
            {
                // A blank one would flag every run of spaces.
                return Err(at(&["placeholders"], false, format!(
                    "`placeholders` takes at most {MAX_PLACEHOLDERS} strings that are not blank, of at most {MAX_PLACEHOLDER_LEN} bytes"
                )));
            }
            self.placeholders = p.clone();
        }
        if let Some(sev) = &layer.severity {
            for (name, level) in sev {
                let code: Code = name.parse().map_err(|e| at(&["severity", name], true, e))?;
                let level = Severity::parse_setting(level)
                    .map_err(|e| at(&["severity", name], false, e))?;
                self.severity.insert(code, level);
            }
        }
        if let Some(c) = &layer.cycle {
            let day = |key: &str, v: &Option<String>| -> Result<Option<Day>, Culprit> {
                v.as_deref()
                    .map(|v| {
                        use crate::goals::date;
                        date::read(v).map_err(|why| {
                            let message = match date::no_such_day(&quote(v), why) {
                                Some(no_day) => format!("cycle.{key}: {no_day}"),
                                None => match date::write_it_as(v) {
                                    Some(how) => format!("cycle.{key}: `{}` is not a date; {how}", quote(v)),
                                    None => format!("cycle.{key}: `{}` is not a date (e.g. 2027-06-30, 2027-Q2, H1 2027)", quote(v)),
                                },
                            };
                            at(&["cycle", key], false, message)
                        })
                    })
                    .transpose()
            };
            let cycle = Cycle {
                label: c.label.clone(),
                start: day("start", &c.start)?,
                end: day("end", &c.end)?,
            };
            if let (Some(a), Some(b)) = (cycle.start, cycle.end) {
                if b < a {
                    return Err(at(
                        &["cycle", "end"],
                        false,
                        format!("cycle: end {b} is before start {a}"),
                    ));
                }
            }
            self.cycle = Some(cycle);
        }
        Ok(())
    }

    /// The severity a code is reported at, or `None` when it is off.
    pub fn severity_of(&self, code: Code) -> Option<Severity> {
        self.severity
            .get(&code)
            .copied()
            .unwrap_or(Some(code.default_severity()))
    }
}

/// Parses `goalframe.toml`. The error is one line, where and what (the
/// TOML reader's own full form quotes the source line under it: several
/// lines in an editor's message, and the whole of a 1 MiB line).
pub fn parse_toml(text: &str, origin: &str) -> Result<Layer, ConfigError> {
    let layer = parse_toml_layer(text, origin)?;
    // A value the file holds but goalframe cannot take is named at its
    // line and column too, as the TOML reader names a syntax error.
    if let Err((keys, key, message)) = Settings::default().apply_layer(&layer, None) {
        let message = match locate(text, &keys, key) {
            Some((line, column)) => format!("at line {line}, column {column}: {message}"),
            None => message,
        };
        return Err(ConfigError {
            origin: origin.to_string(),
            message,
        });
    }
    Ok(layer)
}

/// The line and column (from 1, in characters) of setting `keys` in a
/// TOML text: of its key, or of its value.
fn locate(text: &str, keys: &[String], key: bool) -> Option<(usize, usize)> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut table = root.get_ref();
    let mut found = None;
    for (i, name) in keys.iter().enumerate() {
        let (k, v) = table.iter().find(|(k, _)| k.get_ref() == name)?;
        if i + 1 == keys.len() {
            found = Some(if key { k.span().start } else { v.span().start });
        } else if let DeValue::Table(t) = v.get_ref() {
            table = t;
        } else {
            return None;
        }
    }
    let (line, column) = crate::lines::Lines::new(text).position(text, found?);
    Some((line + 1, column + 1))
}

fn parse_toml_layer(text: &str, origin: &str) -> Result<Layer, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let full = e.to_string();
        let at = full.lines().next().unwrap_or_default().trim_end();
        let what = e.message().trim_end();
        ConfigError {
            origin: origin.to_string(),
            message: if at.is_empty() || at == what {
                what.to_string()
            } else {
                format!("{at}: {what}")
            },
        }
    })
}

/// Parses an editor's settings object (`null` means no settings).
pub fn parse_json(value: &serde_json::Value, origin: &str) -> Result<Layer, ConfigError> {
    let kind = match value {
        serde_json::Value::Null => return Ok(Layer::default()),
        serde_json::Value::Object(_) => None,
        serde_json::Value::Array(_) => Some("an array"),
        serde_json::Value::String(_) => Some("a string"),
        serde_json::Value::Number(_) => Some("a number"),
        serde_json::Value::Bool(_) => Some("a boolean"),
    };
    if let Some(kind) = kind {
        return Err(ConfigError {
            origin: origin.to_string(),
            message: format!(
                "settings must be an object such as {{\"canon\": [\"hr-canon\"]}}, not {kind}"
            ),
        });
    }
    serde_json::from_value(value.clone()).map_err(|e| ConfigError {
        origin: origin.to_string(),
        message: e.to_string(),
    })
}

/// Where `goalframe.toml` was looked for: in `start`, then each folder
/// above it, with symbolic links resolved (as `cd -P` and git see them),
/// nearest first, up to the first that has one. A review opened or linted
/// from a team's subfolder gets the repository's settings, as Vale,
/// rustfmt and ruff find theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSearch {
    /// The folders looked in, nearest first (`start` as given).
    pub folders: Vec<PathBuf>,
    /// The index in `folders` of the one holding `goalframe.toml`.
    pub found: Option<usize>,
}

impl ConfigSearch {
    pub fn new(start: &Path) -> ConfigSearch {
        let mut folders = vec![start.to_path_buf()];
        if let Ok(real) = std::fs::canonicalize(start) {
            folders.extend(real.ancestors().skip(1).map(Path::to_path_buf));
        }
        // Whatever stands at the name stops the search, so a file that
        // cannot be read is an error rather than passed over for one
        // further up; a folder that cannot be searched is passed over.
        let found = folders
            .iter()
            .position(|f| std::fs::symlink_metadata(f.join(CONFIG_FILE)).is_ok());
        folders.truncate(found.map_or(folders.len(), |i| i + 1));
        ConfigSearch { folders, found }
    }

    /// The folders above `start` that were looked in: a `goalframe.toml`
    /// made, changed or removed in one of them changes the settings.
    pub fn above(&self) -> &[PathBuf] {
        &self.folders[1.min(self.folders.len())..]
    }

    /// Reads the file found, if any.
    pub fn read(&self) -> Result<Option<(Layer, PathBuf)>, ConfigError> {
        let Some(i) = self.found else { return Ok(None) };
        let path = self.folders[i].join(CONFIG_FILE);
        match crate::read::read_regular_text(&path, crate::read::CONFIG_LIMIT) {
            Ok(text) => parse_toml(&text, &path.display().to_string()).map(|l| Some((l, path))),
            Err(e) => Err(ConfigError {
                origin: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_override_in_order_and_resolve_relative_canon() {
        let file = parse_toml(
            "canon = [\"hr\"]\n[severity]\ncanon-drift = \"error\"\n",
            "goalframe.toml",
        )
        .unwrap();
        let editor = parse_json(
            &serde_json::json!({"severity": {"unfilled-placeholder": "off"}}),
            "editor",
        )
        .unwrap();
        let mut s = Settings::default();
        s.apply(&file, Some(Path::new("/ws")), "goalframe.toml")
            .unwrap();
        s.apply(&editor, Some(Path::new("/ws")), "editor").unwrap();
        assert_eq!(s.canon, vec![PathBuf::from("/ws/hr")]);
        assert_eq!(s.severity_of(Code::CanonDrift), Some(Severity::Error));
        assert_eq!(s.severity_of(Code::UnfilledPlaceholder), None);
        assert_eq!(s.severity_of(Code::UnknownRole), Some(Severity::Error));
    }

    /// The nearest file wins, found through the folders a symbolic link
    /// really lies in; the folders above that were looked in are those
    /// up to it.
    #[test]
    fn the_nearest_goalframe_toml_is_found_above_a_folder() {
        let ws = std::env::temp_dir().join(format!("goalframe-config-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&ws);
        std::fs::create_dir_all(ws.join("a/b/c")).unwrap();
        let ws = std::fs::canonicalize(&ws).unwrap();
        std::fs::write(ws.join(CONFIG_FILE), "placeholders = [\"TOP\"]\n").unwrap();
        std::fs::write(ws.join("a").join(CONFIG_FILE), "placeholders = [\"A\"]\n").unwrap();
        let found = |start: &Path| {
            let search = ConfigSearch::new(start);
            let (layer, path) = search.read().unwrap().unwrap();
            (layer.placeholders.unwrap(), path, search.above().to_vec())
        };
        let (p, path, above) = found(&ws.join("a/b/c"));
        assert_eq!(p, ["A"]);
        assert_eq!(path, ws.join("a").join(CONFIG_FILE));
        assert_eq!(above, [ws.join("a/b"), ws.join("a")]);
        // In the folder itself: its path as given, nothing above watched.
        let (p, path, above) = found(&ws.join("a"));
        assert_eq!(
            (p, path),
            (vec!["A".to_string()], ws.join("a").join(CONFIG_FILE))
        );
        assert!(above.is_empty());
        // `ws/link` is `ws/a/b`: above it lies `ws/a`, not `ws`.
        std::os::unix::fs::symlink(ws.join("a/b"), ws.join("link")).unwrap();
        assert_eq!(found(&ws.join("link")).0, ["A"]);
        let _ = std::fs::remove_dir_all(&ws);
    }

    #[test]
    fn bad_settings_say_what_and_where() {
        let e = parse_toml("canon = 3\n", "goalframe.toml").unwrap_err();
        assert!(e.to_string().starts_with("goalframe.toml: "), "{e}");
        // One line: where, then what, without the source line quoted.
        let long = format!("a = [\nb = {}\n", "1".repeat(5000));
        let e = parse_toml(&long, "goalframe.toml").unwrap_err().to_string();
        assert_eq!(
            e,
            "goalframe.toml: TOML parse error at line 2, column 3: unexpected `=` in array, expected value, `]`"
        );
        // A value goalframe cannot take: where it is, in characters from 1.
        let cases = [
            (
                "[severity]\nunfilled-placeholder = \"loud\"\n",
                "at line 2, column 24: unknown severity `loud`",
            ),
            (
                "# é\n[severity]\n\"nope\" = \"error\"\n",
                "at line 3, column 1: unknown diagnostic code `nope`",
            ),
            (
                "[cycle]\nlabel = \"é\"\nend = \"2026-01-01\"\nstart = \"2027-01-01\"\n",
                "at line 3, column 7: cycle: end 2026-01-01 is before start 2027-01-01",
            ),
            (
                "cycle = { label = \"ü\", start = \"soon\" }\n",
                "at line 1, column 32: cycle.start: `soon` is not a date",
            ),
            (
                "[cycle]\nend = \"2027/06/30\"\n",
                "at line 2, column 7: cycle.end: `2027/06/30` is not a date; write it as `2027-06-30`",
            ),
            (
                "placeholders = [\"\"]\n",
                "at line 1, column 16: `placeholders` takes",
            ),
            (
                "placeholders = [\"TBD\", \"  \"]\n",
                "at line 1, column 16: `placeholders` takes at most 1000 strings that are not blank",
            ),
            // An empty canon path was the settings' own folder.
            (
                "canon = [\"hr\", \" \"]\n",
                "at line 1, column 9: `canon` takes canon directories; one of them is an empty path",
            ),
            (
                "[cycle]\nend = \"2027-02-30\"\n",
                "at line 2, column 7: cycle.end: `2027-02-30` is not a day: February 2027 has 28 days",
            ),
        ];
        for (text, said) in cases {
            let e = parse_toml(text, "goalframe.toml").unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("goalframe.toml: {said}")),
                "{text:?}: {e}"
            );
        }
        let layer = parse_json(
            &serde_json::json!({"severity": {"nope": "error"}}),
            "editor",
        )
        .unwrap();
        let e = Settings::default()
            .apply(&layer, None, "editor")
            .unwrap_err();
        assert_eq!(e.to_string(), "editor: unknown diagnostic code `nope`; expected `unfilled-placeholder`, `unknown-role`, `unknown-level`, `canon-drift`, `unmeasurable-target`, `invalid-date`, `date-outside-cycle`, `date-mismatch`, `baseline-equals-target`, `template-drift`, `wrapped-row`, `unread-heading`, `duplicate-frame`, `invalid-metadata` or `hidden-character`");
        assert!(parse_json(&serde_json::Value::Null, "editor").unwrap() == Layer::default());
        let layer = parse_json(&serde_json::json!({"placeholders": [""]}), "editor").unwrap();
        let e = Settings::default()
            .apply(&layer, None, "editor")
            .unwrap_err();
        assert!(
            e.to_string().starts_with(
                "editor: `placeholders` takes at most 1000 strings that are not blank"
            ),
            "{e}"
        );
    }
}
