//! A canon out as rows of the table ([`export`]); [`super::Import`] reads
//! them back into an equal canon.

use super::{join_aliases, Canon};

/// The canon as rows of [`super::COLUMNS`], in canon order, handed to `row` one
/// at a time: each level's dimensions (or one row naming a level that has
/// none), then each role's texts, level by level, responsibilities then
/// rubrics (or one row naming a role level that holds none, or a role
/// that has no level). A role's title, family and aliases are on its
/// first row, a level's name on its first; [`super::Import`] reads them back
/// into an equal canon.
pub fn export<E>(canon: &Canon, mut row: impl FnMut(&[&str; 9]) -> Result<(), E>) -> Result<(), E> {
    for level in canon.levels() {
        if level.dimensions.is_empty() {
            row(&["", "", "", "", &level.code, &level.name, "", "", ""])?;
        }
        for (i, d) in level.dimensions.iter().enumerate() {
            let name = if i == 0 { level.name.as_str() } else { "" };
            row(&[
                "",
                "",
                "",
                "",
                &level.code,
                name,
                "dimension",
                &d.name,
                &d.text,
            ])?;
        }
    }
    for role in canon.roles() {
        let aliases = join_aliases(&role.aliases);
        let mut first = true;
        let about = |first: &mut bool| -> [&str; 4] {
            if std::mem::take(first) {
                [&role.id, &role.title, &role.family, &aliases]
            } else {
                [&role.id, "", "", ""]
            }
        };
        if role.levels.is_empty() {
            let [id, title, family, aliases] = about(&mut first);
            row(&[id, title, family, aliases, "", "", "", "", ""])?;
        }
        for rl in &role.levels {
            let code = canon.levels()[rl.level].code.as_str();
            if rl.responsibilities().len() == 0 && rl.rubrics().len() == 0 {
                let [id, title, family, aliases] = about(&mut first);
                row(&[id, title, family, aliases, code, "", "", "", ""])?;
            }
            for text in rl.responsibilities() {
                let [id, title, family, aliases] = about(&mut first);
                row(&[
                    id,
                    title,
                    family,
                    aliases,
                    code,
                    "",
                    "responsibility",
                    "",
                    text,
                ])?;
            }
            for (key, text) in rl.rubrics() {
                let [id, title, family, aliases] = about(&mut first);
                row(&[id, title, family, aliases, code, "", "rubric", key, text])?;
            }
        }
    }
    Ok(())
}
