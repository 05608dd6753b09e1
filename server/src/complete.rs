//! Completion (docs/lsp.md) as plain data: what is being typed at the cursor
//! and the ranked items for it. The language server only converts these
//! to protocol types.

use std::ops::Range;

use crate::analysis::tokens;
use crate::analysis::DocKind;
use crate::canon::Canon;
use crate::render::{self, Form, Selection};

/// The most items one answer carries (docs/lsp.md).
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
    /// A preview for frames: the frame's plain-text rendering, which
    /// reads the same in every client (no markdown escapes to see, no code
    /// block that cannot wrap).
    pub documentation: Option<String>,
}

/// The answer for one cursor position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completions {
    /// Byte range every item replaces: the whole token for roles and
    /// levels; for frames, from the start of the token's line to the end
    /// of the token (see [`frame_edit`]).
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
            return Some(frames(ral, text, cursor, token.range, kind, snippets));
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

/// Where a frame goes and what surrounds it, for a token at `token` in
/// `text` (a line, or a whole document).
///
/// A frame is a block of its own: it always starts at column 0 on its own
/// line, exactly as `goalframe render` prints it, whatever the editor put
/// before the token. So the edit starts at the beginning of the token's
/// line: indentation before a token that stands alone is replaced (an
/// editor keeps a list row's indent after Enter, and would otherwise nest
/// the frame in that list), and text before the token (`Goals: @ae/p2`,
/// or a list or quote marker the author typed) is kept, re-emitted
/// without its trailing blanks, with the frame on the next line. Text
/// after the token moves to the line below the frame. Starting the edit at
/// the line's start also means no client can indent the frame by that
/// line's indentation.
pub struct FrameEdit<'t> {
    /// Byte range in `text` the item replaces.
    pub range: Range<usize>,
    /// Kept text before the token, to be followed by a line break.
    pub before: &'t str,
    /// Whether non-blank text follows the token on its line.
    pub text_after: bool,
}

pub fn frame_edit(text: &str, token: Range<usize>) -> FrameEdit<'_> {
    let line_start = crate::lines::line_around(text, token.start).start;
    let line_end = crate::lines::line_around(text, token.end).end;
    FrameEdit {
        range: line_start..token.end,
        before: text[line_start..token.start].trim_end(),
        text_after: !text[token.end..line_end].trim().is_empty(),
    }
}

fn frames(
    ral: crate::canon::RoleAtLevel,
    text: &str,
    cursor: usize,
    token: Range<usize>,
    kind: DocKind,
    snippets: bool,
) -> Completions {
    let form = Form {
        markup: kind.markup(),
        snippet: snippets,
    };
    let preview_form = Form {
        markup: crate::render::Markup::Text,
        snippet: false,
    };
    let edit = frame_edit(text, token);
    // What the client filters by: the replaced text up to the cursor, so
    // a client that matches from the edit's start (Neovim) keeps the items.
    let filter_text = &text[edit.range.start..cursor.clamp(edit.range.start, edit.range.end)];
    let items = Selection::EVERY
        .into_iter()
        .enumerate()
        .filter_map(|(i, sel)| {
            let frame = render::render_insert(ral, sel, form).ok()?;
            let preview = render::render_insert(ral, sel, preview_form).ok()?;
            let mut new_text = String::with_capacity(edit.before.len() + frame.len() + 2);
            if !edit.before.is_empty() {
                if snippets {
                    render::snippet_escape_into(&mut new_text, edit.before);
                } else {
                    new_text.push_str(edit.before);
                }
                new_text.push('\n');
            }
            new_text.push_str(&frame);
            if edit.text_after {
                new_text.push('\n');
            }
            Some(Item {
                kind: ItemKind::Frame,
                label: sel.label().to_string(),
                detail: format!("{} — {} — {}", sel.label(), ral.role.title, ral.level.code),
                new_text,
                snippet: snippets,
                filter_text: filter_text.to_string(),
                sort_text: sort_text(i),
                retrigger: false,
                documentation: Some(preview),
            })
        })
        .collect();
    Completions {
        range: edit.range,
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

        let t = "@ae/p2";
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
        assert_eq!(r.range, 0..6);
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

    /// The frame items of `text` (cursor at `$0`), as (range, new text of
    /// the SMART item, filter text).
    fn smart(text: &str, kind: DocKind, snippets: bool) -> (Range<usize>, String, String) {
        let cursor = text.find("$0").expect("a $0 cursor");
        let text = text.replace("$0", "");
        let r = complete(&text, cursor, kind, &canon(), snippets).expect("frames");
        let item = r.items.into_iter().next().expect("a SMART item");
        assert_eq!(item.kind, ItemKind::Frame);
        (r.range, item.new_text, item.filter_text)
    }

    fn rendered(kind: DocKind, snippets: bool) -> String {
        let c = canon();
        let ral = c.role_at("ae", "p2").expect("ae/p2");
        let form = Form {
            markup: kind.markup(),
            snippet: snippets,
        };
        render::render_insert(ral, Selection::One(render::Frame::Smart), form).unwrap()
    }

    #[test]
    fn a_frame_replaces_the_indentation_before_a_lone_token() {
        for kind in [DocKind::Markdown, DocKind::Text] {
            for snippets in [true, false] {
                let doc = "1. x\n   - **Time-bound:** ⟨date⟩\n\n   @ae/p2$0";
                let (range, new_text, filter) = smart(doc, kind, snippets);
                let line = doc.find("   @ae").unwrap();
                assert_eq!(range, line..line + "   @ae/p2".len());
                assert_eq!(new_text, rendered(kind, snippets), "{kind:?} {snippets}");
                assert_eq!(filter, "   @ae/p2");
            }
        }
    }

    #[test]
    fn text_before_the_token_stays_and_the_frame_starts_on_the_next_line() {
        let (range, new_text, filter) = smart("# R\n  Goals: $x @ae/p2$0", DocKind::Markdown, true);
        assert_eq!(range, 4..4 + "  Goals: $x @ae/p2".len());
        assert_eq!(
            new_text,
            format!("  Goals: \\$x\n{}", rendered(DocKind::Markdown, true))
        );
        assert_eq!(filter, "  Goals: $x @ae/p2");
        // Whatever ends the line before: a lone `\r` too.
        for eol in ["\r\n", "\r"] {
            let doc = format!("# R{eol}  Goals: $x @ae/p2$0");
            let (range, _, filter) = smart(&doc, DocKind::Markdown, true);
            assert_eq!(range.start, 3 + eol.len(), "{eol:?}");
            assert_eq!(filter, "  Goals: $x @ae/p2");
        }

        let (_, new_text, _) = smart("- @ae/p2$0", DocKind::Text, false);
        assert_eq!(new_text, format!("-\n{}", rendered(DocKind::Text, false)));
    }

    #[test]
    fn text_after_the_token_moves_below_the_frame() {
        let (range, new_text, filter) = smart("@ae/p$02 and more", DocKind::Text, false);
        assert_eq!(range, 0..6, "the token; what follows stays");
        assert_eq!(new_text, format!("{}\n", rendered(DocKind::Text, false)));
        assert_eq!(filter, "@ae/p");
    }

    #[test]
    fn the_preview_is_the_plain_text_frame() {
        let c = canon();
        let r = complete("@ae/p2", 6, DocKind::Markdown, &c, true).unwrap();
        assert_eq!(
            r.items[0].documentation.as_deref(),
            Some(rendered(DocKind::Text, false).as_str())
        );
    }
}
