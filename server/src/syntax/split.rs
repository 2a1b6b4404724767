//! The block parse a piece at a time. tree-sitter's block tree costs about
//! 100 bytes per node, and dense punctuation makes a node of every byte
//! (`[[[[`, `****`, `||||`), so the tree of a whole file costs up to 100 times
//! the file (10 MB of `[`: 843 MB). Extraction keeps only `Blocks`, so the
//! file is parsed in pieces cut where a top-level block starts after a blank
//! line, and each piece's tree is extracted and dropped before the next is
//! built: the tree held at once is one piece's, whatever the file's size.
//!
//! A cut is safe where the parser's state is the same as at the start of a
//! document. After a blank line, a line starting at column 0 closes every
//! container (a list item or quote needs indentation or `>` to go on, and
//! laziness only continues a paragraph, which the blank line ended), except
//! the blocks a blank line does not end: a fenced code block and HTML blocks
//! of kinds 1–5 (`<script`, `<!--`, …). Those are seen in the piece's own tree
//! (open at its end), and the piece is then grown to a later cut. A line of
//! `---` or `+++` is never a cut: at a document's start it would open
//! frontmatter.

use std::ops::ControlFlow;

use tree_sitter::{ParseOptions, Parser, Point, Tree};

use super::block::{self, Blocks, Budget, ParseError};
use crate::text::to_u32;

/// A piece is grown to the first cut at or after this many bytes: large
/// enough that the per-parse overhead does not matter, small enough that
/// its tree (at most ~100 bytes a byte) stays small.
pub const PIECE_BYTES: usize = 64 * 1024;
/// The work one piece's parse may spend (`block::Budget` units). A piece is
/// larger than `PIECE_BYTES` only when no cut comes sooner: one block of that
/// size (a paragraph, table or code block with no blank line to cut at). The
/// densest text builds at most ~50 nodes a unit, so this holds one tree to
/// about a million nodes (~100 MB); honest text reaches it with 1 MB of
/// prose or 0.7 MB of table in one block.
pub const PIECE_WORK: u64 = 20_000;

/// The blocks of `text` (as `block::extract` of a whole parse gives them),
/// parsed piece by piece; `skip_before` is where the frontmatter ends.
pub fn blocks(
    parser: &mut Parser,
    text: &str,
    skip_before: u32,
    budget: &mut Budget,
) -> Result<Blocks, ParseError> {
    blocks_in(parser, text, skip_before, budget, PIECE_BYTES)
}

/// `blocks` with pieces of `piece` bytes (tests cut at every chance).
pub fn blocks_in(
    parser: &mut Parser,
    text: &str,
    skip_before: u32,
    budget: &mut Budget,
    piece: usize,
) -> Result<Blocks, ParseError> {
    let mut out = Blocks::default();
    let skip = skip_before as usize;
    let mut start = 0;
    while start < text.len() {
        let mut want = piece.max(1);
        let (end, tree) = loop {
            // No cut inside the frontmatter: it holds blank lines and lines at column 0.
            let from = (start + want).max(skip);
            let end = next_cut(text, from).unwrap_or(text.len());
            let slice = text.get(start..end).unwrap_or("");
            let tree = parse_piece(parser, slice, budget)?;
            if end == text.len() || !ends_open(&tree, slice) {
                break (end, tree);
            }
            // A fence or an HTML block is still open: cut further on.
            want = want.saturating_mul(2);
        };
        let slice = text.get(start..end).unwrap_or("");
        let mut part = block::extract(slice, &tree, skip_before.saturating_sub(to_u32(start)));
        drop(tree);
        let by = to_u32(start);
        part.map_ranges(|r| r.shift(by));
        out.append(part);
        start = end;
    }
    Ok(out)
}

/// One piece's parse, within the file's budget and `PIECE_WORK`.
fn parse_piece(parser: &mut Parser, text: &str, budget: &mut Budget) -> Result<Tree, ParseError> {
    let mut piece_left = PIECE_WORK;
    let mut too_large = false;
    let mut progress = |_: &tree_sitter::ParseState| {
        if piece_left == 0 {
            too_large = true;
            return ControlFlow::Break(());
        }
        piece_left -= 1;
        budget.spend_block()
    };
    let bytes = text.as_bytes();
    let options = ParseOptions::new().progress_callback(&mut progress);
    let tree = parser.parse_with_options(
        &mut |i: usize, _: Point| bytes.get(i..).unwrap_or(&[]),
        None,
        Some(options),
    );
    match tree {
        Some(tree) => Ok(tree),
        None => {
            // A cancelled parse leaves the parser mid-way; reset it for the next file.
            parser.reset();
            Err(if too_large {
                ParseError::BlockTooLarge
            } else {
                ParseError::TooSlow
            })
        }
    }
}

/// The first cut at or after `from`: the start of a line that begins at
/// column 0, follows a blank line, and is not `---` or `+++`.
pub fn next_cut(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // The first line start at or after `from`.
    let mut at = match from {
        0 => 0,
        _ => from + bytes.get(from - 1..)?.iter().position(|&b| b == b'\n')?,
    };
    let mut prev_blank = at > 0 && {
        let before = bytes.get(..at - 1).unwrap_or(&[]);
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        blank(bytes.get(line_start..at).unwrap_or(&[]))
    };
    while at < bytes.len() {
        let rest = bytes.get(at..).unwrap_or(&[]);
        let len = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let line = rest.get(..len).unwrap_or(&[]);
        if prev_blank && at > 0 && starts_block(line) {
            return Some(at);
        }
        prev_blank = blank(line);
        at += len;
    }
    None
}

fn blank(line: &[u8]) -> bool {
    line.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

fn starts_block(line: &[u8]) -> bool {
    !matches!(line.first(), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
        && !line.starts_with(b"---")
        && !line.starts_with(b"+++")
}

/// Whether a block that a blank line does not end is still open at the end
/// of `text` (a fenced code block or an HTML block of kinds 1–5 holding its
/// last non-blank byte).
fn ends_open(tree: &Tree, text: &str) -> bool {
    let Some(last) = text.bytes().rposition(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    let mut node = tree.root_node().descendant_for_byte_range(last, last + 1);
    while let Some(n) = node {
        let open = match n.kind() {
            "fenced_code_block" => {
                let mut cursor = n.walk();
                n.children(&mut cursor)
                    .filter(|c| c.kind() == "fenced_code_block_delimiter")
                    .count()
                    < 2
            }
            "html_block" => html_open(text.get(n.byte_range()).unwrap_or("")),
            _ => false,
        };
        if open {
            return true;
        }
        node = n.parent();
    }
    false
}

/// Whether an HTML block of kinds 1–5 lacks its end (those end at a given
/// string, not at a blank line); any other HTML block ends at a blank line.
fn html_open(block: &str) -> bool {
    let lower = block.trim_start().to_ascii_lowercase();
    let ends = |open: &str, close: &str| {
        lower
            .get(open.len()..)
            .is_some_and(|rest| !rest.contains(close))
    };
    for tag in ["script", "pre", "style", "textarea"] {
        if lower
            .strip_prefix('<')
            .and_then(|r| r.strip_prefix(tag))
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\n', '\r', '>']))
        {
            return ends(tag, &format!("</{tag}>"));
        }
    }
    if lower.starts_with("<!--") {
        ends("<!--", "-->")
    } else if lower.starts_with("<![cdata[") {
        ends("<![cdata[", "]]>")
    } else if lower.starts_with("<?") {
        ends("<?", "?>")
    } else if lower
        .strip_prefix("<!")
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_alphabetic()))
    {
        ends("<!", ">")
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One parse of the whole text, as before pieces.
    fn whole(text: &str, skip: u32) -> Blocks {
        let mut p = block::new_parser();
        let tree = block::parse(&mut p, text, None).unwrap();
        block::extract(text, &tree, skip)
    }

    fn cut_everywhere(text: &str, skip: u32) -> Blocks {
        let mut p = block::new_parser();
        blocks_in(&mut p, text, skip, &mut Budget::default(), 1).unwrap()
    }

    /// Cutting at every chance gives what one parse of the whole gives.
    #[test]
    fn pieces_extract_what_the_whole_does() {
        let texts = [
            "---\ntitle: x\n\nstatus: draft\n---\n# Title\n\nText [a](b.md).\n\n## Two\n\n- [ ] task\n\n- [x] done\n  more\n\n  - [ ] nested\n\nEnd\n",
            "# Code\n\n```md\n# not a heading\n\nstill code\n\n- [ ] not a task\n```\n\n# After\n",
            "~~~~\n```\n\n# inside\n\n```\n~~~~\n\n# Out\n",
            "<!--\n\n# hidden\n\n-->\n\n# Shown\n\n<script>\n\nx\n\n</script>\n\n# Also\n",
            "<div>\n\n# in div\n\n</div>\n\n| a | b |\n|---|---|\n| [x](y.md) | `z` |\n\n# T\n",
            "> quote\n\n> again\n\n    indented\n\n    code\n\n[ref]: ../a.md\n\n**Status:** Done\n\n---\n\nSetext\n===\n\n+++\n",
            "- a\n\n  ```\n\nx\n```\n\n# in fence\n\n```\n\n# out\n",
            "1. one\n\n2. two\n   - [ ] deep [l](m.md)\n\ntext\n\n\n\n\n# Ünïcode 🎉\n\nend without newline",
            "```\nunclosed fence\n\n# not a heading\n",
        ];
        for t in texts {
            let skip = crate::syntax::frontmatter::parse(t).map_or(0, |f| f.range.end);
            assert_eq!(cut_everywhere(t, skip), whole(t, skip), "{t}");
        }
    }

    #[test]
    fn cuts_follow_a_blank_line_at_column_0() {
        let t = "a\n\nb\n  \n  c\n\n---\n\nd\n";
        let cuts: Vec<usize> =
            std::iter::successors(next_cut(t, 0), |&c| next_cut(t, c + 1)).collect();
        assert_eq!(cuts, vec![3, 18]);
        assert_eq!(next_cut(t, 4), Some(18));
        assert_eq!(next_cut("x", 0), None);
    }

    /// A block with no cut in it spends its own share, not the whole file's.
    #[test]
    fn one_block_past_its_share_is_too_large() {
        let t = format!("# T\n\n{}\n", "[".repeat(1_000_000));
        let mut p = block::new_parser();
        let mut budget = Budget::default();
        assert!(matches!(
            blocks(&mut p, &t, 0, &mut budget),
            Err(ParseError::BlockTooLarge)
        ));
        // The same text in paragraphs a blank line apart is parsed.
        let t = format!(
            "# T\n\n{}",
            format!("{}\n\n", "[".repeat(10_000)).repeat(100)
        );
        let b = blocks(&mut p, &t, 0, &mut Budget::default()).unwrap();
        assert_eq!(b.inlines.len(), 101);
        assert_eq!(b, whole(&t, 0));
    }
}
