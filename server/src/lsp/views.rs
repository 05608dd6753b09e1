//! The whole-document views (docs/lsp.md): `textDocument/documentSymbol`
//! (each block a symbol named by its heading, its goals the children,
//! detail `N of M filled`), `textDocument/foldingRange` (each block and
//! goal) and `textDocument/codeLens` (`N of M placeholders filled` on each
//! block's first line).
//!
//! On a large review the answers run to megabytes and used to cost more
//! than everything else a keystroke does. So each block's part of them is
//! kept per document in protocol form, with lines counted from the block's
//! first line, keyed by the session's serial for the block
//! ([`goalframe::analysis::Outlined::serials`]): after a keystroke only the
//! blocks the session read again are converted, and the answers are
//! written straight into the JSON-RPC message (names escaped once, when
//! the block was converted).

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::Id;

use goalframe::analysis::outline::OutlineBlock;

use super::*;

/// `SymbolKind` numbers (LSP): a block, and a goal.
const NAMESPACE: u32 = 3;
const OBJECT: u32 = 19;

/// A range with its lines counted from the block's first line.
#[derive(Clone, Copy)]
struct Rel {
    start: (u32, u32),
    end: (u32, u32),
}

impl Rel {
    fn of(r: Range, base: u32) -> Rel {
        Rel {
            start: (r.start.line.saturating_sub(base), r.start.character),
            end: (r.end.line.saturating_sub(base), r.end.character),
        }
    }
}

/// One symbol, ready to write.
struct Symbol {
    /// The name as a JSON string (quoted and escaped).
    name: Box<str>,
    filled: usize,
    total: usize,
    range: Rel,
    selection: Rel,
}

/// A block's symbol and its goals' (their ranges are the folding ranges
/// too, the block's selection the code lens's).
struct BlockView {
    block: Symbol,
    goals: Vec<Symbol>,
    /// Whether the block has slots (the `all` document's header has none,
    /// and no progress to show).
    has_slots: bool,
    /// Each view's part for this block as last written, with the line the
    /// block started on then: most keystrokes add no line, and the block's
    /// bytes are copied as they are instead of written again.
    written: [Option<(u32, Box<[u8]>)>; 3],
}

/// The blocks' views of one open document, by serial.
#[derive(Default)]
pub struct ViewCache {
    blocks: HashMap<u64, BlockView>,
    /// The last answer's length for each view: the next is about as long,
    /// and its buffer is not grown and copied on the way.
    lengths: [usize; 3],
}

fn json_string(s: &str) -> Box<str> {
    serde_json::to_string(s)
        .unwrap_or_default()
        .into_boxed_str()
}

impl BlockView {
    /// Converts a block read afresh (`convs` are asked in document order).
    fn new(b: &OutlineBlock, [blocks, firsts, goals]: &mut [Conv<'_>; 3]) -> BlockView {
        let goals: Vec<(Range, Range)> = b
            .goals
            .iter()
            .map(|g| {
                (
                    goals.range(g.range.clone()),
                    firsts.range(g.first_line.clone()),
                )
            })
            .collect();
        let selection = firsts.range(b.opener.clone());
        let base = selection.start.line;
        BlockView {
            has_slots: !b.slots.is_empty(),
            written: Default::default(),
            block: Symbol {
                name: json_string(&b.name),
                filled: b.filled(),
                total: b.slots.len(),
                range: Rel::of(blocks.range(b.range.clone()), base),
                selection: Rel::of(selection, base),
            },
            goals: b
                .goals
                .iter()
                .zip(goals)
                .map(|(g, (range, selection))| Symbol {
                    name: json_string(if g.name.is_empty() { "goal" } else { &g.name }),
                    filled: g.filled,
                    total: g.total,
                    range: Rel::of(range, base),
                    selection: Rel::of(selection, base),
                })
                .collect(),
        }
    }

    /// The block's part of `view` (its items, comma-separated; empty for
    /// none), with the block starting on line `base`: written again only
    /// when the block has moved since.
    fn part(&mut self, view: View, base: u32, uri: &str) -> &[u8] {
        let slot = view as usize;
        if !matches!(&self.written[slot], Some((b, _)) if *b == base) {
            let mut out = Vec::new();
            let mut w = Writer {
                out: &mut out,
                numbers: itoa::Buffer::new(),
            };
            match view {
                View::Symbols => w.symbols(self, base),
                View::Folding => w.folds(self, base),
                View::Lenses if self.has_slots => w.lens(self, base, uri),
                View::Lenses => {}
            }
            self.written[slot] = Some((base, out.into_boxed_slice()));
        }
        self.written[slot].as_ref().map_or(&[], |(_, bytes)| bytes)
    }
}

/// Writes JSON by hand: numbers and pre-escaped strings only.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
    numbers: itoa::Buffer,
}

impl Writer<'_> {
    fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    fn number(&mut self, n: impl itoa::Integer) {
        let s = self.numbers.format(n);
        self.out.extend_from_slice(s.as_bytes());
    }

    fn position(&mut self, (line, character): (u32, u32), base: u32) {
        self.raw("{\"line\":");
        self.number(line + base);
        self.raw(",\"character\":");
        self.number(character);
        self.raw("}");
    }

    fn range(&mut self, r: Rel, base: u32) {
        self.raw("{\"start\":");
        self.position(r.start, base);
        self.raw(",\"end\":");
        self.position(r.end, base);
        self.raw("}");
    }

    /// A `DocumentSymbol` up to (not including) its `children` and `}`.
    fn symbol(&mut self, s: &Symbol, kind: u32, base: u32) {
        self.raw("{\"name\":");
        self.raw(&s.name);
        self.raw(",\"detail\":\"");
        self.number(s.filled);
        self.raw(" of ");
        self.number(s.total);
        self.raw(" filled\",\"kind\":");
        self.number(kind);
        self.raw(",\"range\":");
        self.range(s.range, base);
        self.raw(",\"selectionRange\":");
        self.range(s.selection, base);
    }

    fn symbols(&mut self, b: &BlockView, base: u32) {
        self.symbol(&b.block, NAMESPACE, base);
        self.raw(",\"children\":[");
        for (i, g) in b.goals.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.symbol(g, OBJECT, base);
            self.raw("}");
        }
        self.raw("]}");
    }

    /// A folding range per symbol that spans lines.
    fn folds(&mut self, b: &BlockView, base: u32) {
        let mut first = true;
        for r in std::iter::once(&b.block).chain(&b.goals).map(|s| s.range) {
            if r.end.0 > r.start.0 {
                if !std::mem::take(&mut first) {
                    self.raw(",");
                }
                self.raw("{\"startLine\":");
                self.number(r.start.0 + base);
                self.raw(",\"endLine\":");
                self.number(r.end.0 + base);
                self.raw(",\"kind\":\"region\"}");
            }
        }
    }

    /// The block's progress lens; `uri` is a JSON string.
    fn lens(&mut self, b: &BlockView, base: u32, uri: &str) {
        let (filled, total) = (b.block.filled, b.block.total);
        self.raw("{\"range\":");
        self.range(b.block.selection, base);
        self.raw(",\"command\":{\"title\":\"");
        self.number(filled);
        self.raw(" of ");
        self.number(total);
        self.raw(if total == 1 {
            " placeholder filled\""
        } else {
            " placeholders filled\""
        });
        self.raw(",\"command\":\"");
        self.raw(outline::CMD_NEXT_PLACEHOLDER);
        self.raw("\",\"arguments\":[{\"uri\":");
        self.raw(uri);
        self.raw(",\"position\":");
        self.position(b.block.selection.start, base);
        self.raw("}]}}");
    }
}

/// The views answered here.
#[derive(Clone, Copy, Debug)]
pub enum View {
    Symbols,
    Folding,
    Lenses,
}

/// The whole answer to request `id` for `view`: the document's symbols,
/// folding ranges or code lenses, or `null` when it is not open.
pub fn answer(view: View, state: &Mutex<State>, uri: &Uri, id: &Id) -> Vec<u8> {
    let mut guard = state::lock(state);
    let st = &mut *guard;
    let enc = st.encoding;
    let folder = state::folder_of(&st.folders, uri);
    let analyzer = Analyzer::new(&folder.canon, &folder.settings);
    let Some(doc) = st.docs.get_mut(uri) else {
        return super::output::response_body(id, &Value::Null);
    };
    let outlined = doc.session.outline(&analyzer);
    let (text, lines) = (outlined.text, outlined.lines);
    let mut convs = [
        Conv::new(text, lines, enc),
        Conv::new(text, lines, enc),
        Conv::new(text, lines, enc),
    ];
    let uri_json = json_string(uri.as_str());
    let mut kept = std::mem::take(&mut doc.views.blocks);
    let blocks = &outlined.outline.blocks;
    let length = &mut doc.views.lengths[view as usize];
    let mut out = Vec::with_capacity(*length + 64);
    out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":");
    if serde_json::to_writer(&mut out, id).is_err() {
        out.extend_from_slice(b"null");
    }
    out.extend_from_slice(b",\"result\":[");
    let mut first = true;
    for (b, serial) in blocks.iter().zip(outlined.serials) {
        let mut block = kept
            .remove(serial)
            .unwrap_or_else(|| BlockView::new(b, &mut convs));
        // Lines before the block may have come or gone since it was
        // converted; its own lines are as they were.
        let base = lines.line_of(b.opener.start) as u32;
        let part = block.part(view, base, &uri_json);
        if !part.is_empty() {
            if !std::mem::take(&mut first) {
                out.push(b',');
            }
            out.extend_from_slice(part);
        }
        doc.views.blocks.insert(*serial, block);
    }
    out.extend_from_slice(b"]}");
    *length = out.len();
    out
}

/// The same answer as protocol types, for tower-lsp's own handlers
/// (`direct` leaves them only requests it cannot take).
pub fn typed<T: serde::de::DeserializeOwned>(
    view: View,
    state: &Mutex<State>,
    uri: &Uri,
) -> Option<T> {
    let body = answer(view, state, uri, &Id::Null);
    serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|mut v| serde_json::from_value(v["result"].take()).ok())
}
