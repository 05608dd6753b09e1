//! The merge of checked files, in load order: duplicates across files,
//! level codes defined in another file, and the finished [`Canon`].

use super::*;
use crate::quote::quote;

/// Where a definition came from, for "first defined at" notes.
#[derive(Debug, Clone)]
pub(super) struct Origin {
    pub(super) file: String,
    pub(super) line: usize,
    pub(super) column: usize,
}

/// A role level as parsed: its responsibilities and rubrics, already laid
/// out as the canon keeps them (on the thread that parsed the file), its
/// level not yet resolved (`level` is [`UNRESOLVED`]).
pub(super) type LevelData = RoleLevel;

/// The level of a [`LevelData`] until its code is resolved.
pub(super) const UNRESOLVED: usize = usize::MAX;

/// A role as parsed, before level codes are resolved across files.
pub(super) struct PendingRole {
    pub(super) role: Role,
    /// (code as written, location of the key, json path) per role level.
    /// Their locations have an empty `path`: it is `levels_path` joined
    /// with the code, built only for an error.
    pub(super) level_keys: Vec<(String, Loc)>,
    pub(super) levels_path: String,
    pub(super) level_data: Vec<LevelData>,
    /// False for a duplicate id: its levels are still checked, but it is
    /// not part of the canon (which is not built anyway).
    pub(super) keep: bool,
}

#[derive(Default)]
pub(super) struct Builder {
    pub(super) errors: Vec<CanonError>,
    pub(super) levels: Vec<Level>,
    pub(super) level_origin: HashMap<String, Origin>,
    pub(super) roles: Vec<PendingRole>,
    pub(super) role_origin: HashMap<String, Origin>,
    /// Lower-cased id or alias → (role id, origin).
    pub(super) names: HashMap<String, (String, Origin)>,
    /// File names in load order, to report errors file by file.
    pub(super) file_order: Vec<String>,
    /// Lower-cased level code → index in `levels`, as levels are defined.
    pub(super) code_index: HashMap<String, usize>,
    /// Rubric keys seen so far, each stored once.
    pub(super) rubric_keys: HashMap<String, Arc<str>>,
}

/// The copy of `key` kept in `keys`, made on first sight: rubric keys are
/// a handful of names, each stored once.
pub(super) fn intern(keys: &mut HashMap<String, Arc<str>>, key: &str) -> Arc<str> {
    if let Some(k) = keys.get(key) {
        return k.clone();
    }
    let k: Arc<str> = Arc::from(key);
    keys.insert(key.to_string(), k.clone());
    k
}

impl Builder {
    pub(super) fn err(&mut self, loc: Loc, message: impl Into<String>) {
        push_err(&mut self.errors, loc, message);
    }

    /// Checks one file on its own, then against the files before it.
    pub(super) fn file(&mut self, file: &SourceFile) {
        let parsed = parse_file(file, &self.code_index);
        self.merge(file.path.clone(), parsed);
    }

    /// Adds a file checked on its own ([`parse_file`]) to the files before
    /// it: level codes, role ids and names defined twice are found here.
    pub(super) fn merge(&mut self, path: String, parsed: FileParse) {
        let FileParse {
            errors,
            levels,
            roles,
            rubric_keys: _,
        } = parsed;
        self.file_order.push(path);
        self.errors.extend(errors);
        for (level, loc) in levels {
            let key = level.code.to_lowercase();
            if let Some(first) = self.level_origin.get(&key) {
                let message = format!(
                    "duplicate level code `{}`; first defined at {}:{}:{}",
                    quote(&level.code),
                    first.file,
                    first.line,
                    first.column
                );
                self.err(loc, message);
            } else {
                self.level_origin.insert(
                    key.clone(),
                    Origin {
                        file: loc.file.to_string(),
                        line: loc.line,
                        column: loc.column,
                    },
                );
                self.code_index.insert(key, self.levels.len());
                self.levels.push(level);
            }
        }
        for ParsedRole {
            mut role,
            id_loc,
            alias_locs,
            mut level_keys,
            levels_path,
            mut level_data,
        } in roles
        {
            for rl in &mut level_data {
                for key in rl.rubric_keys_mut() {
                    *key = self.intern(key);
                }
            }
            // Levels defined since it was parsed resolve now.
            if !level_keys.is_empty() {
                resolve_levels(
                    &self.code_index,
                    &mut role,
                    &mut level_keys,
                    &mut level_data,
                );
            }
            let key = role.id.to_lowercase();
            if let Some(first) = self.role_origin.get(&key).cloned() {
                self.err(
                    id_loc,
                    format!(
                        "duplicate role id `{}`; first defined at {}:{}:{}",
                        quote(&role.id),
                        first.file,
                        first.line,
                        first.column
                    ),
                );
                self.roles.push(PendingRole {
                    role,
                    level_keys,
                    levels_path,
                    level_data,
                    keep: false,
                });
                continue;
            }
            self.role_origin.insert(
                key,
                Origin {
                    file: id_loc.file.to_string(),
                    line: id_loc.line,
                    column: id_loc.column,
                },
            );
            for (name, loc) in std::iter::once((role.id.clone(), id_loc))
                .chain(role.aliases.iter().cloned().zip(alias_locs))
            {
                let lower = name.to_lowercase();
                match self.names.get(&lower).cloned() {
                    Some((other, _)) if other == role.id => {}
                    Some((other, first)) => {
                        self.err(
                            loc,
                            format!(
                                "`{}` names two roles: `{}` (at {}:{}:{}) and `{}`",
                                quote(&name),
                                quote(&other),
                                first.file,
                                first.line,
                                first.column,
                                quote(&role.id)
                            ),
                        );
                    }
                    None => {
                        self.names.insert(
                            lower,
                            (
                                role.id.clone(),
                                Origin {
                                    file: loc.file.to_string(),
                                    line: loc.line,
                                    column: loc.column,
                                },
                            ),
                        );
                    }
                }
            }
            self.roles.push(PendingRole {
                role,
                level_keys,
                levels_path,
                level_data,
                keep: true,
            });
        }
    }

    /// The one shared copy of a rubric key.
    pub(super) fn intern(&mut self, key: &str) -> Arc<str> {
        intern(&mut self.rubric_keys, key)
    }

    /// Resolves role level codes against every loaded level, then builds
    /// the canon, or returns every error found.
    pub(super) fn finish(mut self, sources: Vec<String>) -> Result<Canon, CanonErrors> {
        let code_index: HashMap<String, usize> = self
            .levels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.code.to_lowercase(), i))
            .collect();
        let pending = std::mem::take(&mut self.roles);
        let mut roles = Vec::with_capacity(pending.len());
        for PendingRole {
            mut role,
            level_keys,
            levels_path,
            level_data,
            keep,
        } in pending
        {
            role.levels.reserve_exact(level_keys.len());
            for ((code, mut loc), mut rl) in level_keys.into_iter().zip(level_data) {
                loc.path = join_key(&levels_path, &code);
                match code_index.get(&code.to_lowercase()) {
                    Some(&level) => {
                        rl.level = level;
                        role.levels.push(rl);
                    }
                    None => {
                        let mut msg =
                            format!("level `{}` is not defined by any canon file", quote(&code));
                        let codes: Vec<&str> =
                            self.levels.iter().map(|l| l.code.as_str()).collect();
                        if let Some(s) = did_you_mean(&code, &codes) {
                            msg.push_str(&format!("; did you mean `{s}`?"));
                        }
                        self.err(loc, msg);
                    }
                }
            }
            if keep {
                roles.push(role);
            }
        }
        if self.errors.is_empty() {
            // What only error messages needed goes before the indexes are
            // built (a large canon's peak memory is here).
            self.names = HashMap::new();
            self.role_origin = HashMap::new();
            self.level_origin = HashMap::new();
            self.file_order = Vec::new();
            Ok(Canon::new(self.levels, roles, sources))
        } else {
            let order = &self.file_order;
            let rank = |f: &str| order.iter().position(|o| o == f).unwrap_or(usize::MAX);
            self.errors.sort_by_key(|e| (rank(&e.file), e.range.0));
            Err(CanonErrors(self.errors))
        }
    }
}
