//! One canon file read and checked on its own: JSON with comments, every
//! problem with its line, column and JSON path.

use super::*;
use crate::lines::{Cursor, Lines};
use crate::quote::quote;

#[derive(Debug, Clone)]
pub(super) struct Loc {
    /// Shared by every location in one file (a large canon has hundreds of
    /// thousands of them).
    pub(super) file: std::sync::Arc<str>,
    pub(super) range: (usize, usize),
    pub(super) line: usize,
    pub(super) column: usize,
    pub(super) path: String,
}

/// Per-file context: its text and a line index for positions.
pub(super) struct FileCtx<'a> {
    pub(super) path: std::sync::Arc<str>,
    pub(super) text: &'a str,
    /// Built on the first location asked for.
    lines: std::cell::OnceCell<Lines>,
    /// Locations are asked for mostly in file order, so each column is
    /// counted on from the last one rather than from its line's start: a
    /// canon written on one line (`jq -c`) costs what a pretty-printed one
    /// does, not the square of its line.
    cursor: std::cell::RefCell<Cursor>,
}

impl<'a> FileCtx<'a> {
    pub(super) fn new(path: std::sync::Arc<str>, text: &'a str) -> Self {
        FileCtx {
            path,
            text,
            lines: std::cell::OnceCell::new(),
            cursor: std::cell::RefCell::new(Cursor::default()),
        }
    }

    pub(super) fn loc(&self, range: (usize, usize), json_path: &str) -> Loc {
        let lines = self.lines.get_or_init(|| Lines::new(self.text));
        let (line, column) = self.cursor.borrow_mut().position(lines, self.text, range.0);
        Loc {
            file: self.path.clone(),
            range,
            line: line + 1,
            column: column + 1,
            path: json_path.to_string(),
        }
    }
}

pub(super) const TOP_KEYS: &[&str] = &["$schema", "levels", "roles"];
pub(super) const LEVEL_KEYS: &[&str] = &["code", "name", "dimensions"];
pub(super) const DIMENSION_KEYS: &[&str] = &["name", "text"];
pub(super) const ROLE_KEYS: &[&str] = &["id", "title", "family", "aliases", "levels"];
pub(super) const ROLE_LEVEL_KEYS: &[&str] = &["responsibilities", "rubrics"];

pub(super) fn push_err(errors: &mut Vec<CanonError>, loc: Loc, message: impl Into<String>) {
    errors.push(CanonError {
        file: loc.file.to_string(),
        line: loc.line,
        column: loc.column,
        range: loc.range,
        json_path: loc.path,
        message: message.into(),
    });
}

/// One file's levels and roles, checked on their own but not yet against
/// the other files: what [`parse_file`] hands to the [`Builder`].
#[derive(Default)]
pub(super) struct FileParse {
    pub(super) errors: Vec<CanonError>,
    /// Each level with where its code is, for a duplicate in another file.
    pub(super) levels: Vec<(Level, Loc)>,
    pub(super) roles: Vec<ParsedRole>,
    /// This file's rubric keys, each stored once (the builder then keeps
    /// one copy for the whole canon).
    pub(super) rubric_keys: HashMap<String, Arc<str>>,
}

/// A complete, well-formed role as one file defines it.
pub(super) struct ParsedRole {
    pub(super) role: Role,
    pub(super) id_loc: Loc,
    pub(super) alias_locs: Vec<Loc>,
    pub(super) level_keys: Vec<(String, Loc)>,
    pub(super) levels_path: String,
    pub(super) level_data: Vec<LevelData>,
}

/// Checks one file on its own: everything but what needs the other files
/// (duplicates across files, level codes defined elsewhere), which the
/// [`Builder`] checks as it merges the results in file order.
/// `known`: level codes (lower-cased) already defined by the files before
/// it, whose roles' levels then resolve here rather than in the merge.
pub(super) fn parse_file(file: &SourceFile, known: &HashMap<String, usize>) -> FileParse {
    let mut p = FileParse::default();
    p.file(file, known);
    p
}

/// Moves a role's parsed levels into it when every one of their codes is
/// in `code_index`, dropping the locations kept for an undefined code.
pub(super) fn resolve_levels(
    code_index: &HashMap<String, usize>,
    role: &mut Role,
    level_keys: &mut Vec<(String, Loc)>,
    level_data: &mut Vec<LevelData>,
) {
    let resolved: Option<Vec<usize>> = level_keys
        .iter()
        .map(|(code, _)| code_index.get(&code.to_lowercase()).copied())
        .collect();
    if let Some(indexes) = resolved {
        role.levels.reserve_exact(indexes.len());
        for (level, mut rl) in indexes.into_iter().zip(std::mem::take(level_data)) {
            rl.level = level;
            role.levels.push(rl);
        }
        *level_keys = Vec::new();
    }
}

impl FileParse {
    pub(super) fn err(&mut self, loc: Loc, message: impl Into<String>) {
        push_err(&mut self.errors, loc, message);
    }

    pub(super) fn file(&mut self, file: &SourceFile, known: &HashMap<String, usize>) {
        let text = match std::str::from_utf8(&file.bytes) {
            Ok(t) => t,
            Err(_) if crate::read::utf16_marked(&file.bytes) => {
                self.errors.push(CanonError {
                    file: file.path.clone(),
                    line: 1,
                    column: 1,
                    range: (0, 2),
                    json_path: String::new(),
                    message:
                        "UTF-16 (by its byte order mark); a canon file is UTF-8: save it as UTF-8"
                            .to_string(),
                });
                return;
            }
            Err(e) => {
                let valid = &file.bytes[..e.valid_up_to()];
                let valid = std::str::from_utf8(valid).unwrap_or_default();
                let (line, column) = Lines::new(valid).position(valid, valid.len());
                self.errors.push(CanonError {
                    file: file.path.clone(),
                    line: line + 1,
                    column: column + 1,
                    range: (e.valid_up_to(), e.valid_up_to() + 1),
                    json_path: String::new(),
                    message: "not valid UTF-8".to_string(),
                });
                return;
            }
        };
        let ctx = FileCtx::new(file.path.as_str().into(), text);
        // A UTF-8 byte order mark, as Windows editors save one, is read as
        // the white space it is (JSON's RFC lets a reader ignore it): three
        // spaces in its place keep every byte where it was, and places are
        // still counted in the file as it is.
        let spaced;
        let json = match text.strip_prefix('\u{feff}') {
            Some(rest) => {
                spaced = format!("   {rest}");
                spaced.as_str()
            }
            None => text,
        };
        let root = match super::json::parse(json) {
            Ok(Some(root)) => root,
            Ok(None) => {
                let loc = ctx.loc((0, 0), "");
                self.err(loc, "empty file: a canon file is a JSON object");
                return;
            }
            Err(e) => {
                let r = e.range();
                let loc = ctx.loc((r.start, r.end), "");
                self.err(loc, format!("invalid JSON: {}", e.kind()));
                return;
            }
        };
        let Some(obj) = self.object(&ctx, &root, "") else {
            return;
        };
        for prop in self.props(&ctx, obj, "", TOP_KEYS) {
            match prop.0 {
                "$schema" => {
                    self.string(&ctx, prop.1, &prop.2);
                }
                "levels" => {
                    if let Some(arr) = self.array(&ctx, prop.1, &prop.2) {
                        self.levels(&ctx, arr, &prop.2);
                    }
                }
                "roles" => {
                    if let Some(arr) = self.array(&ctx, prop.1, &prop.2) {
                        self.roles(&ctx, arr, &prop.2, known);
                    }
                }
                _ => {}
            }
        }
    }

    /// The known properties of an object as (key, value, json path); reports
    /// unknown keys (with a suggestion) and duplicate keys.
    pub(super) fn props<'v, 'a>(
        &mut self,
        ctx: &FileCtx,
        obj: &'v Object<'a>,
        path: &str,
        known: &'static [&'static str],
    ) -> Vec<(&'static str, &'v Value<'a>, String)> {
        let mut out: Vec<(&'static str, &'v Value<'a>, String)> = Vec::new();
        for p in &obj.properties {
            let (name, range) = match &p.name {
                ObjectPropName::String(s) => (s.value.as_ref(), (s.range.start, s.range.end)),
                ObjectPropName::Word(w) => (w.value, (w.range.start, w.range.end)),
            };
            let child = join_key(path, name);
            match known.iter().find(|k| **k == name) {
                Some(k) => {
                    if out.iter().any(|(seen, _, _)| seen == k) {
                        let loc = ctx.loc(range, &child);
                        self.err(loc, format!("duplicate key `{}`", quote(name)));
                    } else {
                        out.push((k, &p.value, child));
                    }
                }
                None => {
                    let loc = ctx.loc(range, &child);
                    let mut msg = format!("unknown key `{}`", quote(name));
                    if let Some(s) = did_you_mean(name, known) {
                        msg.push_str(&format!("; did you mean `{s}`?"));
                    } else {
                        msg.push_str(&format!(
                            "; expected one of {}",
                            super::super::quote_list(
                                &known.iter().map(|k| k.to_string()).collect::<Vec<_>>()
                            )
                        ));
                    }
                    self.err(loc, msg);
                }
            }
        }
        out
    }

    pub(super) fn require(
        &mut self,
        ctx: &FileCtx,
        obj: &Object,
        path: &str,
        present: &[(&str, &Value, String)],
        required: &[&str],
    ) -> bool {
        let mut ok = true;
        for r in required {
            if !present.iter().any(|(k, _, _)| k == r) {
                let loc = ctx.loc((obj.range.start, obj.range.start + 1), path);
                self.err(loc, format!("missing required key `{r}`"));
                ok = false;
            }
        }
        ok
    }

    pub(super) fn object<'v, 'a>(
        &mut self,
        ctx: &FileCtx,
        v: &'v Value<'a>,
        path: &str,
    ) -> Option<&'v Object<'a>> {
        match v {
            Value::Object(o) => Some(o),
            other => {
                self.type_error(ctx, other, path, "an object");
                None
            }
        }
    }

    pub(super) fn array<'v, 'a>(
        &mut self,
        ctx: &FileCtx,
        v: &'v Value<'a>,
        path: &str,
    ) -> Option<&'v Array<'a>> {
        match v {
            Value::Array(a) => Some(a),
            other => {
                self.type_error(ctx, other, path, "an array");
                None
            }
        }
    }

    /// A canon string: non-empty, one line.
    pub(super) fn string(&mut self, ctx: &FileCtx, v: &Value, path: &str) -> Option<String> {
        match v {
            Value::StringLit(s) => {
                let loc = || ctx.loc((s.range.start, s.range.end), path);
                if s.value.trim().is_empty() {
                    self.err(loc(), "empty string");
                    None
                } else if let Some(c) = crate::quote::unshown_in(&s.value) {
                    self.err(
                        loc(),
                        crate::canon::unshown_message(c, "canon text", "string"),
                    );
                    None
                } else {
                    Some(s.value.to_string())
                }
            }
            other => {
                self.type_error(ctx, other, path, "a string");
                None
            }
        }
    }

    pub(super) fn type_error(&mut self, ctx: &FileCtx, v: &Value, path: &str, expected: &str) {
        let (range, found) = match v {
            Value::StringLit(s) => (s.range, "a string"),
            Value::NumberLit(n) => (n.range, "a number"),
            Value::BooleanLit(b) => (b.range, "a boolean"),
            Value::Object(o) => (o.range, "an object"),
            Value::Array(a) => (a.range, "an array"),
            Value::NullKeyword(n) => (n.range, "null"),
        };
        let loc = ctx.loc((range.start, range.end), path);
        self.err(loc, format!("expected {expected}, found {found}"));
    }

    pub(super) fn levels(&mut self, ctx: &FileCtx, arr: &Array, path: &str) {
        for (i, v) in arr.elements.iter().enumerate() {
            let lpath = format!("{path}[{i}]");
            let Some(obj) = self.object(ctx, v, &lpath) else {
                continue;
            };
            let props = self.props(ctx, obj, &lpath, LEVEL_KEYS);
            let complete = self.require(ctx, obj, &lpath, &props, &["code", "name"]);
            let (mut code, mut name, mut dims, mut code_range) = (None, None, Vec::new(), (0, 0));
            for (k, v, p) in &props {
                match *k {
                    "code" => {
                        code_range = value_range(v);
                        code = self.string(ctx, v, p).filter(|c| {
                            let ok = !c.contains(|ch: char| ch.is_whitespace() || ch == '/');
                            if !ok {
                                let loc = ctx.loc(code_range, p);
                                let c = quote(c);
                                self.err(loc, format!("level code `{c}` has white space or `/`; tokens like `@role/{c}` could not name it"));
                            }
                            ok
                        });
                    }
                    "name" => name = self.string(ctx, v, p),
                    "dimensions" => {
                        if let Some(a) = self.array(ctx, v, p) {
                            dims = self.dimensions(ctx, a, p);
                        }
                    }
                    _ => {}
                }
            }
            if let (true, Some(code), Some(name)) = (complete, code, name) {
                let loc = ctx.loc(code_range, &join_key(&lpath, "code"));
                self.levels.push((
                    Level {
                        code,
                        name,
                        dimensions: dims,
                    },
                    loc,
                ));
            }
        }
    }

    pub(super) fn dimensions(&mut self, ctx: &FileCtx, arr: &Array, path: &str) -> Vec<Dimension> {
        let mut out = Vec::new();
        for (i, v) in arr.elements.iter().enumerate() {
            let dpath = format!("{path}[{i}]");
            let Some(obj) = self.object(ctx, v, &dpath) else {
                continue;
            };
            let props = self.props(ctx, obj, &dpath, DIMENSION_KEYS);
            self.require(ctx, obj, &dpath, &props, &["name", "text"]);
            let (mut name, mut text) = (None, None);
            for (k, v, p) in &props {
                match *k {
                    "name" => name = self.string(ctx, v, p),
                    "text" => text = self.string(ctx, v, p),
                    _ => {}
                }
            }
            if let (Some(name), Some(text)) = (name, text) {
                out.push(Dimension { name, text });
            }
        }
        out
    }

    pub(super) fn roles(
        &mut self,
        ctx: &FileCtx,
        arr: &Array,
        path: &str,
        known: &HashMap<String, usize>,
    ) {
        for (i, v) in arr.elements.iter().enumerate() {
            let rpath = format!("{path}[{i}]");
            let Some(obj) = self.object(ctx, v, &rpath) else {
                continue;
            };
            let props = self.props(ctx, obj, &rpath, ROLE_KEYS);
            let complete = self.require(
                ctx,
                obj,
                &rpath,
                &props,
                &["id", "title", "family", "levels"],
            );
            let mut role = Role {
                id: String::new(),
                title: String::new(),
                family: String::new(),
                aliases: vec![],
                levels: vec![],
            };
            let mut ok = complete;
            let mut id_loc = None;
            let mut alias_locs = Vec::new();
            let mut level_keys = Vec::new();
            let mut many_levels: Option<std::collections::HashSet<String>> = None;
            let mut levels_path = String::new();
            let mut level_data = Vec::new();
            for (k, v, p) in &props {
                match *k {
                    "id" => match self.string(ctx, v, p) {
                        Some(id) if is_slug(&id) => {
                            id_loc = Some(ctx.loc(value_range(v), p));
                            role.id = id;
                        }
                        Some(id) => {
                            let loc = ctx.loc(value_range(v), p);
                            self.err(loc, format!("role id `{}` is not a slug: use lower-case letters, digits and `-`, starting with a letter or digit", quote(&id)));
                            ok = false;
                        }
                        None => ok = false,
                    },
                    "title" => {
                        role.title = self.string(ctx, v, p).unwrap_or_else(|| {
                            ok = false;
                            String::new()
                        })
                    }
                    "family" => {
                        role.family = self.string(ctx, v, p).unwrap_or_else(|| {
                            ok = false;
                            String::new()
                        })
                    }
                    "aliases" => {
                        if let Some(a) = self.array(ctx, v, p) {
                            for (j, av) in a.elements.iter().enumerate() {
                                let apath = format!("{p}[{j}]");
                                if let Some(alias) = self.string(ctx, av, &apath) {
                                    alias_locs.push(ctx.loc(value_range(av), &apath));
                                    role.aliases.push(alias);
                                }
                            }
                        }
                    }
                    "levels" => {
                        if let Some(o) = self.object(ctx, v, p) {
                            for lp in &o.properties {
                                let (code, range) = match &lp.name {
                                    ObjectPropName::String(s) => {
                                        (s.value.to_string(), (s.range.start, s.range.end))
                                    }
                                    ObjectPropName::Word(w) => {
                                        (w.value.to_string(), (w.range.start, w.range.end))
                                    }
                                };
                                let lpath = join_key(p, &code);
                                let seen = match &many_levels {
                                    Some(codes) => codes.contains(&code.to_ascii_lowercase()),
                                    None => level_keys.iter().any(|(c, _): &(String, Loc)| {
                                        c.eq_ignore_ascii_case(&code)
                                    }),
                                };
                                if seen {
                                    let loc = ctx.loc(range, &lpath);
                                    self.err(
                                        loc,
                                        format!("duplicate level `{}` in this role", quote(&code)),
                                    );
                                    continue;
                                }
                                level_data.push(self.role_level(ctx, &lp.value, &lpath));
                                if let Some(codes) = &mut many_levels {
                                    codes.insert(code.to_ascii_lowercase());
                                }
                                level_keys.push((code, ctx.loc(range, "")));
                                // A role has a dozen levels; past that the
                                // codes get a set, or each new one looked
                                // through them all (80,000 took 12 s).
                                if many_levels.is_none() && level_keys.len() > 32 {
                                    many_levels = Some(
                                        level_keys
                                            .iter()
                                            .map(|(c, _)| c.to_ascii_lowercase())
                                            .collect(),
                                    );
                                }
                                levels_path.clone_from(p);
                            }
                        }
                    }
                    _ => {}
                }
            }
            if !ok {
                continue;
            }
            let Some(id_loc) = id_loc else { continue };
            // Levels of earlier files (`levels.json` sorts before `roles/`)
            // resolve now: the locations kept for errors go at once.
            resolve_levels(known, &mut role, &mut level_keys, &mut level_data);
            self.roles.push(ParsedRole {
                role,
                id_loc,
                alias_locs,
                level_keys,
                levels_path,
                level_data,
            });
        }
    }

    /// The one shared copy of a rubric key.
    pub(super) fn intern(&mut self, key: &str) -> Arc<str> {
        intern(&mut self.rubric_keys, key)
    }

    pub(super) fn role_level(&mut self, ctx: &FileCtx, v: &Value, path: &str) -> LevelData {
        let mut texts = LevelTexts::default();
        let Some(obj) = self.object(ctx, v, path) else {
            return RoleLevel::new(UNRESOLVED, texts);
        };
        for (k, v, p) in self.props(ctx, obj, path, ROLE_LEVEL_KEYS) {
            match k {
                "responsibilities" => {
                    if let Some(a) = self.array(ctx, v, &p) {
                        texts.reserve(a.elements.len(), text_bytes(&a.elements));
                        for (i, rv) in a.elements.iter().enumerate() {
                            // The JSON path is only built for an error.
                            if let Some(s) = plain_string(rv) {
                                texts.push_responsibility(s);
                            } else if let Some(s) = self.string(ctx, rv, &format!("{p}[{i}]")) {
                                texts.push_responsibility(&s);
                            }
                        }
                    }
                }
                "rubrics" => {
                    if let Some(o) = self.object(ctx, v, &p) {
                        let values = o.properties.iter().map(|rp| &rp.value);
                        texts.reserve(o.properties.len(), text_bytes(values));
                        for rp in &o.properties {
                            let name = rp.name.as_str();
                            if texts.has_rubric(name) {
                                let rpath = join_key(&p, name);
                                let loc = ctx.loc(value_range(&rp.value), &rpath);
                                self.err(loc, format!("duplicate rubric `{}`", quote(name)));
                            } else if let Some(s) = plain_string(&rp.value) {
                                texts.push_rubric(self.intern(name), s);
                            } else if let Some(s) = self.string(ctx, &rp.value, &join_key(&p, name))
                            {
                                texts.push_rubric(self.intern(name), &s);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        RoleLevel::new(UNRESOLVED, texts)
    }
}

/// A string value that [`FileParse::string`] accepts without an error
/// (non-empty, one line of printable text), without building its JSON
/// path.
pub(super) fn plain_string<'v>(v: &'v Value) -> Option<&'v str> {
    match v {
        Value::StringLit(s)
            if crate::quote::unshown_in(&s.value).is_none() && !s.value.trim().is_empty() =>
        {
            Some(&s.value)
        }
        _ => None,
    }
}

/// The bytes of the string values among `values`, to size a buffer once.
pub(super) fn text_bytes<'v, 'a: 'v>(values: impl IntoIterator<Item = &'v Value<'a>>) -> usize {
    values
        .into_iter()
        .map(|v| match v {
            Value::StringLit(s) => s.value.len(),
            _ => 0,
        })
        .sum()
}

pub(super) fn value_range(v: &Value) -> (usize, usize) {
    let r = match v {
        Value::StringLit(s) => s.range,
        Value::NumberLit(n) => n.range,
        Value::BooleanLit(b) => b.range,
        Value::Object(o) => o.range,
        Value::Array(a) => a.range,
        Value::NullKeyword(n) => n.range,
    };
    (r.start, r.end)
}

/// `roles[0].levels.P2`; keys that are not plain words are quoted.
pub(super) fn join_key(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (true, false) => format!("[{key:?}]"),
        (false, true) => format!("{path}.{key}"),
        (false, false) => format!("{path}[{key:?}]"),
    }
}

pub(crate) fn is_slug(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
