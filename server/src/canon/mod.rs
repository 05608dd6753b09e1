//! The canon: the organisation's job architecture (docs/canon.md), loaded once
//! into an immutable, indexed [`Canon`]. Everything goalframe inserts is
//! canon text or a fixed template around it, so this model is the single
//! source of every word the renderer writes.
//!
//! Knows nothing of documents, editors or output forms.

mod load;
mod search;
pub mod table;
pub mod write;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::quote::{counted, quote};

pub(crate) use load::did_you_mean;

/// Writes each problem of a list on its own line: the message of every
/// error that collects problems (a canon load, a table import).
pub(crate) fn write_lines<T: std::fmt::Display>(
    f: &mut std::fmt::Formatter<'_>,
    items: &[T],
) -> std::fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            writeln!(f)?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}
pub use load::{
    embedded_files, is_canon_file, load_configured, load_dirs, load_embedded, load_sources,
    CanonError, CanonErrors, SourceFile,
};
pub use search::RoleMatches;

/// What [`crate::quote::unshown_in`] found in canon text, said of `what`
/// ("canon text", "a cell"), each canon `unit` being one line of text
/// that shows.
pub fn unshown_message(c: char, what: &str, unit: &str) -> String {
    match c {
        '\n' | '\r' => format!("line break in {what}: each canon {unit} is one line"),
        c if c.is_control() => format!(
            "control character U+{:04X} in {what}: each canon {unit} is printable text",
            c as u32
        ),
        c => format!(
            "{} in {what}, {}: each canon {unit} is text that shows, and every review built from it would carry it unseen",
            crate::hidden::shown(c),
            crate::hidden::why(c)
        ),
    }
}

/// The canon's JSON Schema (`canon/canon.schema.json`), which canon files
/// name in `$schema` so that editors check them as they are edited.
pub const SCHEMA: &str = include_str!("../../../canon/canon.schema.json");

/// The rubric key the SMART `Achievable:` row quotes (docs/frames.md, "CX").
pub const RUBRIC_COMPLEXITY: &str = "complexity/problem-solving";
/// The rubric key the MBO `Standard:` row quotes (docs/frames.md, "KA").
pub const RUBRIC_KNOWLEDGE: &str = "knowledge-application";

/// A level definition shared by every role that has it (`P2`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// The code as written in the canon; matched case-insensitively.
    pub code: String,
    pub name: String,
    /// Ordered; KR2 rows and the Role calibration perspective use them.
    pub dimensions: Vec<Dimension>,
}

/// One named bar of a level (`Scope`: "Defined deliverables / small features").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub name: String,
    pub text: String,
}

/// A role with the levels it is defined at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Slug, `[a-z0-9][a-z0-9-]*`; what tokens and markers name.
    pub id: String,
    pub title: String,
    pub family: String,
    pub aliases: Vec<String>,
    /// In the order the canon file lists them.
    pub levels: Vec<RoleLevel>,
}

/// What one role owns at one level: its responsibilities and rubrics.
///
/// The texts lie one after another in one string, responsibilities first,
/// rather than one allocation each: a large canon holds a million of them,
/// and checking a block of a document reads all of its role level's texts,
/// which is then one read from memory rather than a dozen scattered ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLevel {
    /// Index into [`Canon::levels`].
    pub level: usize,
    joined: Box<str>,
    /// Where each text ends in `joined`: responsibilities, then rubrics.
    /// 32 bits: a role holds at most [`ROLE_TEXT_LIMIT`].
    ends: Box<[u32]>,
    responsibilities: usize,
    /// One per rubric, in file order (hover shows every rubric). Shared
    /// between role levels: a canon uses a handful of keys.
    rubric_keys: Box<[Arc<str>]>,
}

/// A role level's texts while its canon file is read, in file order
/// (which almost always lists responsibilities first).
#[derive(Debug, Clone, Default)]
pub(crate) struct LevelTexts {
    joined: String,
    /// (end in `joined`, rubric key or `None` for a responsibility).
    texts: Vec<(usize, Option<Arc<str>>)>,
    /// The rubric keys, once there are more than a role level usually
    /// has: looking each new one up in the list cost the square of their
    /// number (200,000 rubrics took 42 s to check).
    keys: Option<std::collections::HashSet<Arc<str>>>,
}

/// How many texts a role level holds before its rubric keys get a set.
const FEW_TEXTS: usize = 32;

/// The most text one role may hold, over all its levels: what one canon
/// file may hold, since a role is read from one file (a spreadsheet's
/// roles are held to it when imported, so that the canon written can be
/// read back). A role level's text ends then fit in 32 bits, which takes a
/// few megabytes off a canon of 100,000 role levels.
pub const ROLE_TEXT_LIMIT: usize = crate::read::CANON_FILE_LIMIT as usize;

impl LevelTexts {
    /// Room for `bytes` more of text in `count` more texts.
    pub fn reserve(&mut self, count: usize, bytes: usize) {
        self.texts.reserve_exact(count);
        self.joined.reserve_exact(bytes);
    }

    pub fn push_responsibility(&mut self, text: &str) {
        self.joined.push_str(text);
        self.texts.push((self.joined.len(), None));
    }

    pub fn push_rubric(&mut self, key: Arc<str>, text: &str) {
        self.joined.push_str(text);
        if let Some(keys) = &mut self.keys {
            keys.insert(key.clone());
        }
        self.texts.push((self.joined.len(), Some(key)));
        if self.keys.is_none() && self.texts.len() > FEW_TEXTS {
            self.keys = Some(self.texts.iter().filter_map(|(_, k)| k.clone()).collect());
        }
    }

    pub fn has_rubric(&self, key: &str) -> bool {
        match &self.keys {
            Some(keys) => keys.contains(key),
            None => self.texts.iter().any(|(_, k)| k.as_deref() == Some(key)),
        }
    }
}

impl RoleLevel {
    pub(crate) fn new(level: usize, texts: LevelTexts) -> RoleLevel {
        let LevelTexts { joined, texts, .. } = texts;
        // Every canon file is read up to the same limit, and an import
        // reports a role that would pass it.
        assert!(
            joined.len() <= ROLE_TEXT_LIMIT,
            "a role holds at most ROLE_TEXT_LIMIT bytes of text"
        );
        let end = |e: usize| e as u32;
        let responsibilities = texts.iter().filter(|(_, k)| k.is_none()).count();
        let in_order = texts[..responsibilities].iter().all(|(_, k)| k.is_none());
        let (joined, ends) = if in_order {
            (
                joined,
                texts.iter().map(|(e, _)| end(*e)).collect::<Vec<_>>(),
            )
        } else {
            // Rubrics listed first: responsibilities are moved before them.
            let mut all = String::with_capacity(joined.len());
            let mut ends = Vec::with_capacity(texts.len());
            let start_of = |i: usize| if i == 0 { 0 } else { texts[i - 1].0 };
            let order = (0..texts.len())
                .filter(|&i| texts[i].1.is_none())
                .chain((0..texts.len()).filter(|&i| texts[i].1.is_some()));
            for i in order {
                all.push_str(&joined[start_of(i)..texts[i].0]);
                ends.push(end(all.len()));
            }
            (all, ends)
        };
        RoleLevel {
            level,
            joined: joined.into_boxed_str(),
            ends: ends.into_boxed_slice(),
            responsibilities,
            rubric_keys: texts.into_iter().filter_map(|(_, k)| k).collect(),
        }
    }

    /// The rubric keys, to swap for copies shared by the whole canon.
    pub(crate) fn rubric_keys_mut(&mut self) -> &mut [Arc<str>] {
        &mut self.rubric_keys
    }

    fn text(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.joined[start..self.ends[i] as usize]
    }

    /// In canon order.
    pub fn responsibilities(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        (0..self.responsibilities).map(|i| self.text(i))
    }

    /// (key, text) in file order.
    pub fn rubrics(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + Clone + '_ {
        self.rubric_keys
            .iter()
            .enumerate()
            .map(|(i, k)| (&**k, self.text(self.responsibilities + i)))
    }

    /// The rubric text under `key`, if the canon has it.
    pub fn rubric(&self, key: &str) -> Option<&str> {
        self.rubrics().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// A role at one of its levels: everything a frame is rendered from.
#[derive(Debug, Clone, Copy)]
pub struct RoleAtLevel<'c> {
    pub role: &'c Role,
    pub level: &'c Level,
    pub at: &'c RoleLevel,
}

/// A role, by position in one canon (see [`Canon::resolve_role`]);
/// meaningless with another canon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleId(usize);

/// A role at one of its levels, by position in one canon (see
/// [`Canon::resolve`]); meaningless with another canon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoleLevelId {
    role: usize,
    at: usize,
}

/// Why a role or level name did not resolve, with what to suggest instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// No role has this id, alias or title; `suggestions` are the closest ids.
    UnknownRole {
        name: String,
        suggestions: Vec<String>,
    },
    /// The role exists but not at this level; `available` are its level codes.
    UnknownLevel {
        role: String,
        level: String,
        available: Vec<String>,
    },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::UnknownRole { name, suggestions } => {
                write!(f, "unknown role `{}`", quote(name))?;
                if !suggestions.is_empty() {
                    write!(f, "; did you mean {}?", quote_list(suggestions))?;
                }
                Ok(())
            }
            LookupError::UnknownLevel {
                role,
                level,
                available,
            } => {
                write!(f, "role `{role}` has no level `{}`", quote(level))?;
                if available.is_empty() {
                    write!(f, "; it defines no levels")
                } else {
                    write!(f, "; its levels are {}", quote_list(available))
                }
            }
        }
    }
}

impl std::error::Error for LookupError {}

/// `a`, `b` or `c` — how suggestions are listed in messages.
pub fn quote_list(items: &[String]) -> String {
    quoted_list(items, "or")
}

/// `a`, `b` and `c` (or another `conjunction`): items quoted and listed
/// for a message.
pub fn quoted_list(items: &[impl AsRef<str>], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!(
            "{} {conjunction} {}",
            quoted[..n - 1].join(", "),
            quoted[n - 1]
        ),
    }
}

/// Whether a level code as written names `code` (case-insensitively).
pub(crate) fn same_code(code: &str, wanted: &str) -> bool {
    if code.is_ascii() && wanted.is_ascii() {
        code.eq_ignore_ascii_case(wanted)
    } else {
        code.to_lowercase() == wanted.to_lowercase()
    }
}

/// A loaded, validated canon with its lookup indexes. Immutable: a reload
/// builds a new one, so a server can keep the last good canon when a new
/// load fails.
#[derive(Debug, Clone)]
pub struct Canon {
    levels: Vec<Level>,
    roles: Vec<Role>,
    /// Lower-cased id and aliases → role index (unique by validation).
    by_name: HashMap<String, usize>,
    /// Lower-cased titles → role index, only titles no other role shares.
    by_title: HashMap<String, usize>,
    /// Where it came from, for status displays (`<embedded>` or directories).
    sources: Vec<String>,
    search: search::SearchIndex,
    /// Per role, the [`Canon::levels`] index of each of its levels, side
    /// by side: resolving a level reads a dozen numbers, not a dozen role
    /// levels far apart in memory.
    level_ids: Vec<Box<[u32]>>,
    /// Unique to this canon among all loaded by the process: what a cache
    /// of results computed with a canon is keyed by (an address could be
    /// reused by the next canon).
    generation: u64,
}

/// Where [`Canon::generation`]s come from.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Canon {
    fn new(levels: Vec<Level>, roles: Vec<Role>, sources: Vec<String>) -> Canon {
        let mut by_name = HashMap::new();
        for (i, role) in roles.iter().enumerate() {
            by_name.insert(role.id.to_lowercase(), i);
            for alias in &role.aliases {
                by_name.insert(alias.to_lowercase(), i);
            }
        }
        let mut title_count: HashMap<String, (usize, usize)> = HashMap::new();
        for (i, role) in roles.iter().enumerate() {
            title_count
                .entry(role.title.to_lowercase())
                .or_insert((i, 0))
                .1 += 1;
        }
        let by_title = title_count
            .into_iter()
            .filter(|(_, (_, n))| *n == 1)
            .map(|(t, (i, _))| (t, i))
            .collect();
        let search = search::SearchIndex::build(&roles);
        let level_ids = roles
            .iter()
            .map(|r| r.levels.iter().map(|rl| rl.level as u32).collect())
            .collect();
        Canon {
            levels,
            roles,
            by_name,
            by_title,
            sources,
            search,
            level_ids,
            generation: GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// See the field: distinct for every canon loaded.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Every level definition, in load order.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// Every role, in load order.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Where this canon was loaded from.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// How many (role, level) pairs the canon defines.
    pub fn role_level_count(&self) -> usize {
        self.roles.iter().map(|r| r.levels.len()).sum()
    }

    /// What a server says of a canon it loaded: "N roles, M role-levels
    /// from SOURCES".
    pub fn summary(&self) -> String {
        format!(
            "{}, {} from {}",
            counted(self.roles.len(), "role"),
            counted(self.role_level_count(), "role-level"),
            self.sources.join(", ")
        )
    }

    /// "N roles, M levels, K role-levels": what the command line says of
    /// a canon it checked or wrote.
    pub fn size(&self) -> String {
        format!(
            "{}, {}, {}",
            counted(self.roles.len(), "role"),
            counted(self.levels.len(), "level"),
            counted(self.role_level_count(), "role-level")
        )
    }

    /// A role by id, alias or title, case-insensitively.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.role_index(name).map(|i| &self.roles[i])
    }

    fn role_index(&self, name: &str) -> Option<usize> {
        let key = name.trim().to_lowercase();
        self.by_name
            .get(&key)
            .or_else(|| self.by_title.get(&key))
            .copied()
    }

    /// Whether `name` is the code of one of the canon's levels, at any
    /// role (case-insensitively).
    pub fn is_level_code(&self, name: &str) -> bool {
        let wanted = name.trim();
        self.levels.iter().any(|l| same_code(&l.code, wanted))
    }

    /// The role at one of its levels; the error says what exists instead.
    pub fn role_at(&self, role: &str, level: &str) -> Result<RoleAtLevel<'_>, LookupError> {
        self.resolve(role, level).map(|id| self.get(id))
    }

    /// Where the role at one of its levels is in this canon: what a memo
    /// keeps instead of a borrow.
    pub fn resolve(&self, role: &str, level: &str) -> Result<RoleLevelId, LookupError> {
        self.resolve_level(self.resolve_role(role)?, level)
    }

    /// The first half of [`Canon::resolve`]: the role, by id, alias or
    /// title. A canon has far fewer roles than role levels, so this is
    /// what a memo keeps.
    pub fn resolve_role(&self, role: &str) -> Result<RoleId, LookupError> {
        self.role_index(role)
            .map(RoleId)
            .ok_or_else(|| LookupError::UnknownRole {
                name: role.to_string(),
                suggestions: self.closest_roles(role, 3),
            })
    }

    /// The second half of [`Canon::resolve`]: one of a role's levels, by
    /// code (a dozen to compare).
    pub fn resolve_level(&self, role: RoleId, level: &str) -> Result<RoleLevelId, LookupError> {
        // Which level it is (codes are unique, case-insensitively), then
        // where it is among the role's.
        let wanted = level.trim();
        let at = self
            .levels
            .iter()
            .position(|l| same_code(&l.code, wanted))
            .and_then(|l| self.level_ids[role.0].iter().position(|&x| x as usize == l));
        match at {
            Some(at) => Ok(RoleLevelId { role: role.0, at }),
            None => self
                .level_index(&self.roles[role.0], level)
                .map(|at| RoleLevelId { role: role.0, at }),
        }
    }

    /// [`Canon::role_at`] for a caller that only asks whether the canon
    /// has them: `None` for a role or a level it lacks, without looking
    /// for the roles the name could be (which `role_at`'s error does, over
    /// every role: seconds over thousands of unknown roles).
    pub fn find_role_at(&self, role: &str, level: &str) -> Option<RoleAtLevel<'_>> {
        let role = RoleId(self.role_index(role)?);
        self.resolve_level(role, level).ok().map(|id| self.get(id))
    }

    /// The role at a level [`Canon::resolve`] found in this canon.
    pub fn get(&self, id: RoleLevelId) -> RoleAtLevel<'_> {
        let role = &self.roles[id.role];
        let at = &role.levels[id.at];
        RoleAtLevel {
            role,
            level: &self.levels[at.level],
            at,
        }
    }

    /// `role` at `level`, for a role already resolved.
    pub fn level_of<'c>(
        &'c self,
        role: &'c Role,
        level: &str,
    ) -> Result<RoleAtLevel<'c>, LookupError> {
        let at = &role.levels[self.level_index(role, level)?];
        Ok(RoleAtLevel {
            role,
            level: &self.levels[at.level],
            at,
        })
    }

    /// Which of `role`'s levels is `level` (case-insensitive).
    fn level_index(&self, role: &Role, level: &str) -> Result<usize, LookupError> {
        let wanted = level.trim();
        role.levels
            .iter()
            .position(|rl| same_code(&self.levels[rl.level].code, wanted))
            .ok_or_else(|| LookupError::UnknownLevel {
                role: role.id.clone(),
                level: level.to_string(),
                available: role
                    .levels
                    .iter()
                    .map(|rl| self.levels[rl.level].code.clone())
                    .collect(),
            })
    }

    /// The role ids closest to a misspelled name, best first.
    pub fn closest_roles(&self, name: &str, limit: usize) -> Vec<String> {
        // Over the search index's lower-cased names: no allocation per role.
        self.search
            .closest(&self.roles, name, limit)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// Roles matching what the user typed after `@`, ranked exact id/alias
    /// first, then prefix, then fuzzy, at most `limit` of them.
    pub fn search_roles(&self, query: &str, limit: usize) -> RoleMatches<'_> {
        self.search.query(&self.roles, query, limit)
    }
}
