//! A canon as the files `goalframe canon import` writes (docs/canon.md):
//! `levels.json` and one `roles/<id>.json` per role, each naming the
//! schema in `$schema`, pretty-printed so that people can read and diff
//! them. Text only: writing them to disk is the caller's business.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::{Canon, Dimension, Role, RoleLevel, SCHEMA};

/// The schema's file name beside `levels.json`.
pub const SCHEMA_FILE: &str = "canon.schema.json";

/// The canon's files, one at a time (a large canon's files are written as
/// they are made, never all held at once): (path relative to the canon
/// directory, `/`-separated; JSON text ending in a newline). The schema
/// is not among them ([`SCHEMA_FILE`], [`SCHEMA`]).
pub fn files(canon: &Canon) -> impl Iterator<Item = (String, String)> + '_ {
    std::iter::once(("levels.json".to_string(), levels_file(canon))).chain(
        canon
            .roles()
            .iter()
            .map(move |role| (format!("roles/{}.json", role.id), role_file(canon, role))),
    )
}

/// The schema file to write beside the canon's files: (name, text).
pub fn schema_file() -> (&'static str, &'static str) {
    (SCHEMA_FILE, SCHEMA)
}

fn pretty<T: Serialize>(value: &T) -> String {
    // Serialising plain strings and maps cannot fail.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

#[derive(Serialize)]
struct LevelsFile<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    levels: Vec<LevelOut<'a>>,
}

#[derive(Serialize)]
struct LevelOut<'a> {
    code: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dimensions: Vec<DimensionOut<'a>>,
}

/// The fields of a [`Dimension`], in this order.
#[derive(Serialize)]
struct DimensionOut<'a> {
    name: &'a str,
    text: &'a str,
}

fn levels_file(canon: &Canon) -> String {
    pretty(&LevelsFile {
        schema: format!("./{SCHEMA_FILE}"),
        levels: canon
            .levels()
            .iter()
            .map(|l| LevelOut {
                code: &l.code,
                name: &l.name,
                dimensions: l
                    .dimensions
                    .iter()
                    .map(|Dimension { name, text }| DimensionOut { name, text })
                    .collect(),
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct RolesFile<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    roles: [RoleOut<'a>; 1],
}

#[derive(Serialize)]
struct RoleOut<'a> {
    id: &'a str,
    title: &'a str,
    family: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    levels: LevelsOut<'a>,
}

/// A role's levels: code → what it holds there, in canon order.
struct LevelsOut<'a> {
    canon: &'a Canon,
    role: &'a Role,
}

impl Serialize for LevelsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.role.levels.len()))?;
        for rl in &self.role.levels {
            map.serialize_entry(&self.canon.levels()[rl.level].code, &RoleLevelOut(rl))?;
        }
        map.end()
    }
}

struct RoleLevelOut<'a>(&'a RoleLevel);

impl Serialize for RoleLevelOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rl = self.0;
        let responsibilities: Vec<&str> = rl.responsibilities().collect();
        let fields =
            usize::from(!responsibilities.is_empty()) + usize::from(rl.rubrics().len() > 0);
        let mut map = s.serialize_map(Some(fields))?;
        if !responsibilities.is_empty() {
            map.serialize_entry("responsibilities", &responsibilities)?;
        }
        if rl.rubrics().len() > 0 {
            map.serialize_entry("rubrics", &RubricsOut(rl))?;
        }
        map.end()
    }
}

struct RubricsOut<'a>(&'a RoleLevel);

impl Serialize for RubricsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.rubrics().len()))?;
        for (key, text) in self.0.rubrics() {
            map.serialize_entry(key, text)?;
        }
        map.end()
    }
}

fn role_file(canon: &Canon, role: &Role) -> String {
    pretty(&RolesFile {
        schema: format!("../{SCHEMA_FILE}"),
        roles: [RoleOut {
            id: &role.id,
            title: &role.title,
            family: &role.family,
            aliases: &role.aliases,
            levels: LevelsOut { canon, role },
        }],
    })
}
