//! Completion (SPEC §3) as plain data: what is being typed at the cursor
//! and the ranked items for it. The language server only converts these
//! to protocol types.

use std::ops::Range;

use crate::analysis::tokens;
use crate::analysis::DocKind;
use crate::canon::Canon;
use crate::render::{self, Form, Selection};

/// The most items one answer carries (SPEC §3).
pub const MAX_ITEMS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Role,
    Level,
    Frame,
}

/// One completion item; `new_text` replaces [`Completions::range`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    pub label: String,
    pub detail: String,
    pub new_text: String,
    /// Whether `new_text` uses snippet syntax.
    pub snippet: bool,
    /// What the client filters by as the user keeps typing.
    pub filter_text: String,
    /// Keeps the server's ranking in the client.
    pub sort_text: String,
    /// Accepting it should open completion again (roles and levels).
    pub retrigger: bool,
    /// A preview (markdown), for frames.
    pub documentation: Option<String>,
}

/// The answer for one cursor position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completions {
    /// Byte range of the whole token, which every item replaces.
    pub range: Range<usize>,
    pub items: Vec<Item>,
    /// Further typing must recompute the list: it was cut at
    /// [`MAX_ITEMS`], or (levels) completing the token turns it into frames.
    pub incomplete: bool,
}

/// Completions for the token around byte `cursor`, or `None` when the
/// cursor is not in a token.
pub fn complete(
    text: &str,
    cursor: usize,
    kind: DocKind,
    canon: &Canon,
    snippets: bool,
) -> Option<Completions> {
    let token = tokens::at_cursor(text, cursor)?;
    let typed = &text[token.range.start..cursor.clamp(token.range.start, token.range.end)];
    let role_text = &text[token.role.clone()];
    let Some(level_range) = token.level.clone() else {
        return Some(roles(canon, role_text, typed, token.range));
    };
    let role = canon.role(role_text)?;
    let level_text = &text[level_range];
    if let Ok(ral) = canon.level_of(role, level_text) {
        if !level_text.is_empty() {
            return Some(frames(ral, typed, kind, snippets, token.range));
        }
    }
    Some(levels(canon, role, role_text, level_text, token.range))
}

fn sort_text(i: usize) -> String {
    format!("{i:04}")
}

/// A role or level item: plain text that re-opens completion once accepted.
fn step_item(
    kind: ItemKind,
    rank: usize,
    label: String,
    detail: String,
    new_text: String,
    filter_text: String,
) -> Item {
    Item {
        kind,
        label,
        detail,
        new_text,
        snippet: false,
        filter_text,
        sort_text: sort_text(rank),
        retrigger: true,
        documentation: None,
    }
}

fn roles(canon: &Canon, query: &str, typed: &str, range: Range<usize>) -> Completions {
    let m = canon.search_roles(query, MAX_ITEMS);
    let items = m
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let codes: Vec<&str> = r
                .levels
                .iter()
                .map(|rl| canon.levels()[rl.level].code.as_str())
                .collect();
            // A name the user may be typing, so the client's own filter
            // keeps the item as they type on.
            let key = std::iter::once(&r.id)
                .chain(r.aliases.iter())
                .find(|k| k.to_lowercase().starts_with(&query.to_lowercase()))
                .map(|k| format!("@{k}"))
                .unwrap_or_else(|| typed.to_string());
            step_item(
                ItemKind::Role,
                i,
                r.title.clone(),
                format!("{} · levels {}", r.family, codes.join(", ")),
                format!("@{}/", r.id),
                key,
            )
        })
        .collect();
    Completions {
        range,
        items,
        incomplete: m.truncated,
    }
}

fn levels(
    canon: &Canon,
    role: &crate::canon::Role,
    role_text: &str,
    query: &str,
    range: Range<usize>,
) -> Completions {
    let q = query.to_lowercase();
    let mut matching: Vec<&crate::canon::RoleLevel> = role
        .levels
        .iter()
        .filter(|rl| canon.levels()[rl.level].code.to_lowercase().starts_with(&q))
        .collect();
    if matching.is_empty() {
        matching = role.levels.iter().collect();
    }
    // Typing on turns a level prefix into a complete token, whose items are
    // frames: the client must ask again rather than filter this list.
    let incomplete = true;
    let items = matching
        .into_iter()
        .take(MAX_ITEMS)
        .enumerate()
        .map(|(i, rl)| {
            let level = &canon.levels()[rl.level];
            // Keep the case the user typed so case-sensitive clients match.
            let shown = match level.code.get(query.len()..) {
                Some(rest) if level.code.to_lowercase().starts_with(&q) => format!("{query}{rest}"),
                _ => level.code.clone(),
            };
            let detail = format!(
                "{}: {} responsibilities, {} dimensions",
                role.title,
                rl.responsibilities().len(),
                level.dimensions.len()
            );
            step_item(
                ItemKind::Level,
                i,
                format!("{} — {}", level.code, level.name),
                detail,
                format!("@{}/{}", role.id, level.code),
                format!("@{role_text}/{shown}"),
            )
        })
        .collect();
    Completions {
        range,
        items,
        incomplete,
    }
}

fn frames(
    ral: crate::canon::RoleAtLevel,
    typed: &str,
    kind: DocKind,
    snippets: bool,
    range: Range<usize>,
) -> Completions {
    let form = Form {
        markup: kind.markup(),
        snippet: snippets,
    };
    let preview_form = Form {
        markup: kind.markup(),
        snippet: false,
    };
    let items = Selection::EVERY
        .into_iter()
        .enumerate()
        .filter_map(|(i, sel)| {
            let new_text = render::render_insert(ral, sel, form).ok()?;
            let preview = render::render_insert(ral, sel, preview_form).ok()?;
            let documentation = match kind {
                DocKind::Markdown => preview,
                DocKind::Text => format!("```text\n{preview}\n```"),
            };
            Some(Item {
                kind: ItemKind::Frame,
                label: sel.label().to_string(),
                detail: format!("{} — {} — {}", sel.label(), ral.role.title, ral.level.code),
                new_text,
                snippet: snippets,
                filter_text: typed.to_string(),
                sort_text: sort_text(i),
                retrigger: false,
                documentation: Some(documentation),
            })
        })
        .collect();
    Completions {
        range,
        items,
        incomplete: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon() -> Canon {
        crate::canon::load_embedded().expect("default canon")
    }

    #[test]
    fn role_then_level_then_frames() {
        let c = canon();
        let r = complete("x @a", 4, DocKind::Markdown, &c, true).unwrap();
        assert_eq!(r.range, 2..4);
        assert_eq!(r.items[0].new_text, "@account-executive-field-sales/");
        assert!(r.items[0].retrigger);

        let t = "@account-executive-field-sales/";
        let r = complete(t, t.len(), DocKind::Markdown, &c, true).unwrap();
        assert_eq!(r.items[0].label, "P2 — Developing Professional");
        assert_eq!(r.items[0].new_text, "@account-executive-field-sales/P2");

        let t = "- @ae/p2";
        let r = complete(t, t.len(), DocKind::Markdown, &c, true).unwrap();
        let labels: Vec<&str> = r.items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "SMART goals",
                "OKRs",
                "MBO areas",
                "Scorecard",
                "All frames"
            ]
        );
        assert_eq!(r.range, 2..8);
        assert!(r.items[0].new_text.starts_with(
            "<!-- goalframe: account-executive-field-sales/P2 smart -->\n## SMART goals"
        ));
        assert!(r.items[0].new_text.contains("${1:⟨baseline⟩}"));
        assert_eq!(r.items[0].filter_text, "@ae/p2");

        let r = complete(t, t.len(), DocKind::Text, &c, false).unwrap();
        assert!(r.items[0]
            .new_text
            .starts_with("SMART goals — Account Executive / Field Sales — P2\n\n1. Manages"));
        assert!(!r.items[0].new_text.contains("${"));
        assert!(complete("plain words", 5, DocKind::Text, &c, false).is_none());
    }
}
