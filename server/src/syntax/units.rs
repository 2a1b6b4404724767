//! Re-extraction after an edit, paying only for the blocks that changed.
//!
//! A document is a run of top-level blocks (children of its sections). What
//! a block yields depends only on its kind and bytes, so results are cached
//! under a hash of both, with offsets relative to the block; an edit then
//! re-extracts (and inline-parses) just the blocks whose bytes it touched.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tree_sitter::{Node, Tree};

use super::block::{self, Blocks};
use super::inline::{self, InlineParser, Inlines};
use crate::text::{LineMap, TextRange, to_u32};

/// Results by content hash. Sections are cached whole, as the list of their
/// children's pieces, so an unchanged section costs one lookup.
#[derive(Default)]
pub struct UnitCache {
    pieces: HashMap<u64, Arc<Piece>>,
}

pub enum Piece {
    /// A block's facts, offsets relative to its start.
    Leaf(Blocks, Inlines),
    /// A section: each child's offset from the section's start, and its piece.
    Node(Vec<(u32, Arc<Piece>)>),
}

/// Blocks (all but `inlines`) and inline content of the whole document, as
/// `block::extract` plus a full inline pass would give them.
pub fn extract(
    text: &str,
    tree: &Tree,
    skip_before: u32,
    lines: &LineMap,
    inline_parser: &mut InlineParser,
    cache: &mut UnitCache,
) -> (Blocks, Inlines) {
    let mut ctx = Ctx {
        text,
        skip_before,
        lines,
        parser: inline_parser,
        cache,
        made: 0,
    };
    let (root, _) = ctx.piece(tree.root_node());
    let mut blocks = Blocks::default();
    let mut inlines = Inlines::default();
    flatten(&root, 0, &mut blocks, &mut inlines);
    // Keep only what the current document uses once enough garbage piled up.
    if ctx.made > 0 && cache.pieces.len() > 1024 && cache.pieces.len() > 2 * count(&root) {
        let mut live = HashSet::new();
        reachable(&root, &mut live);
        cache.pieces.retain(|_, p| live.contains(&Arc::as_ptr(p)));
    }
    (blocks, inlines)
}

struct Ctx<'a> {
    text: &'a str,
    skip_before: u32,
    lines: &'a LineMap,
    parser: &'a mut InlineParser,
    cache: &'a mut UnitCache,
    made: usize,
}

impl Ctx<'_> {
    /// The piece of `node`, and whether the inline budget left part of it
    /// out (such a piece is not cached: a later pass may have the time).
    /// Recursion only follows sections (at most six deep).
    fn piece(&mut self, node: Node) -> (Arc<Piece>, bool) {
        let (start, end) = (to_u32(node.start_byte()), to_u32(node.end_byte()));
        let container = matches!(node.kind(), "document" | "section");
        // Whatever overlaps the frontmatter depends on where it ends: never cached.
        let cacheable = start >= self.skip_before;
        let key = cacheable.then(|| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(node.kind().as_bytes());
            h.update(&[0]);
            h.update(TextRange::new(start, end).slice(self.text).as_bytes());
            h.digest()
        });
        if let Some(p) = key.and_then(|k| self.cache.pieces.get(&k)) {
            return (p.clone(), false);
        }
        let skipped_before = self.parser.skipped_nodes();
        let piece = if container || !cacheable {
            let mut cursor = node.walk();
            let children: Vec<Node> = node.children(&mut cursor).collect();
            let mut parts = Vec::with_capacity(children.len());
            for child in children {
                if to_u32(child.end_byte()) <= self.skip_before {
                    continue;
                }
                // A childless block straddling the frontmatter yields nothing, as in a full walk.
                if !container
                    && child.child_count() == 0
                    && to_u32(child.start_byte()) < self.skip_before
                {
                    continue;
                }
                let (p, _) = self.piece(child);
                parts.push((to_u32(child.start_byte()) - start, p));
            }
            Arc::new(Piece::Node(parts))
        } else {
            Arc::new(extract_unit(
                self.text,
                node,
                start,
                self.lines,
                self.parser,
            ))
        };
        self.made += 1;
        let partial = self.parser.skipped_nodes() != skipped_before;
        if let Some(k) = key.filter(|_| !partial) {
            self.cache.pieces.insert(k, piece.clone());
        }
        (piece, partial)
    }
}

fn flatten(piece: &Piece, base: u32, blocks: &mut Blocks, inlines: &mut Inlines) {
    match piece {
        Piece::Leaf(b, i) => {
            blocks.extend_shifted(b, base);
            inlines.extend_shifted(i, base);
        }
        Piece::Node(parts) => {
            for (off, p) in parts {
                flatten(p, base + off, blocks, inlines);
            }
        }
    }
}

fn count(piece: &Piece) -> usize {
    match piece {
        Piece::Leaf(..) => 1,
        Piece::Node(parts) => 1 + parts.iter().map(|(_, p)| count(p)).sum::<usize>(),
    }
}

fn reachable(p: &Arc<Piece>, seen: &mut HashSet<*const Piece>) {
    if !seen.insert(Arc::as_ptr(p)) {
        return;
    }
    if let Piece::Node(parts) = &**p {
        for (_, c) in parts {
            reachable(c, seen);
        }
    }
}

/// One block's facts with offsets relative to `start`.
fn extract_unit(
    text: &str,
    node: Node,
    start: u32,
    lines: &LineMap,
    inline_parser: &mut InlineParser,
) -> Piece {
    let mut b = Blocks::default();
    block::extract_node(text, node, 0, &mut b);
    let mut i = Inlines::default();
    for ranges in &b.inlines {
        if inline::worth_parsing(text, ranges) {
            inline::parse_into(inline_parser, text, lines, ranges, &mut i);
        }
    }
    b.inlines.clear();
    b.map_ranges(|r| TextRange::new(r.start.saturating_sub(start), r.end.saturating_sub(start)));
    i.map_ranges(|r| TextRange::new(r.start.saturating_sub(start), r.end.saturating_sub(start)));
    Piece::Leaf(b, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cached path must give exactly what a fresh full extraction gives,
    /// before and after edits.
    #[test]
    fn same_as_full_extraction_across_edits() {
        let mut text = String::from(
            "---\nstatus: draft\n---\n# Title\n\nPara [a](b.md) `src/x.ts`.\n\n## Two\n\n- [ ] task `/plan x.md`\n  - [x] sub\n\n```bash\n/implement p.md\n```\n\n> quote [q](q.md)\n\n| a | [t](t.md) |\n|---|---|\n\n[ref]: r.md\n\n**Status:** ok\n",
        );
        let mut bp = block::new_parser();
        let mut ip = inline::new_parser();
        let mut cache = UnitCache::default();
        let edits: [(&str, &str); 4] = [
            ("Para", "Para 😀 more"),
            ("## Two", "## Two changed"),
            ("- [ ] task", "- [x] task"),
            ("**Status:** ok", "**Status:** done\n\n# Another"),
        ];
        for step in 0..=edits.len() {
            if step > 0 {
                let (from, to) = edits[step - 1];
                text = text.replacen(from, to, 1);
            }
            let tree = block::parse(&mut bp, &text, None).unwrap();
            let lines = LineMap::new(&text);
            let skip = crate::syntax::frontmatter::parse(&text).map_or(0, |f| f.range.end);
            let full = block::extract(&text, &tree, skip);
            let mut full_inl = Inlines::default();
            for r in &full.inlines {
                if inline::worth_parsing(&text, r) {
                    inline::parse_into(&mut ip, &text, &lines, r, &mut full_inl);
                }
            }
            let (b, i) = extract(&text, &tree, skip, &lines, &mut ip, &mut cache);
            assert_eq!(
                format!("{:?}", b.headings),
                format!("{:?}", full.headings),
                "step {step}"
            );
            assert_eq!(b.tasks, full.tasks, "step {step}");
            assert_eq!(b.code_blocks, full.code_blocks);
            assert_eq!(b.link_defs, full.link_defs);
            assert_eq!(b.labels, full.labels);
            assert_eq!(i.links, full_inl.links, "step {step}");
            assert_eq!(i.code_spans, full_inl.code_spans);
        }
    }
}
