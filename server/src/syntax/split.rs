//! The block parse a piece at a time. tree-sitter's block tree costs about
//! 100 bytes per node, and dense punctuation makes a node of every byte
//! (`[[[[`, `****`, `||||`), so the tree of a whole file costs up to 100 times
//! the file (10 MB of `[`: 843 MB). Extraction keeps only `Blocks`, so the
//! file is parsed in pieces cut where a top-level block starts, and each
//! piece's tree is extracted and dropped before the next is built: the tree
//! held at once is one piece's.
//!
//! A cut is safe where the parser's state is the same as at the start of a
//! document: every container and leaf block before it is closed. A line at
//! column 0 closes every container (a list item or quote needs indentation
//! or `>` to go on), unless it continues a paragraph lazily. So a cut is
//! proposed (`next_cut`) at a line starting at column 0 that
//! - follows a blank line (which ended any paragraph), or
//! - is an ATX heading or a `***` / `___` thematic break (neither can be a
//!   lazy continuation; both interrupt a paragraph), or
//! - follows a fence line at column 0 (the line after a closed fence).
//!
//! and checked (`safe_end`) on the piece's own tree: not inside a fenced code
//! block or an HTML block still open at the piece's end (a blank line ends
//! neither a fence nor HTML blocks of kinds 1–5; a heading ends no HTML block),
//! and, after a fence line, only where that line closed a top-level fence. An
//! unsafe cut grows the piece to a later one. A line of `---` or `+++` is
//! never a cut: at a document's start it would open frontmatter, and `---`
//! under a paragraph is a setext underline.
//!
//! A stretch with no safe cut (one paragraph, table or fence of megabytes)
//! is one piece, parsed within the file's shared budget (`BLOCK_WORK`) like a
//! whole file was before pieces.

use tree_sitter::{Node, ParseOptions, Parser, Point, Tree};

use super::block::{self, Blocks, Budget, ParseError};
use crate::text::to_u32;

/// A piece is grown to the first cut at or after this many bytes: large
/// enough that the per-parse overhead does not matter, small enough that
/// its tree (at most ~100 bytes a byte) stays small.
pub const PIECE_BYTES: usize = 64 * 1024;

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
            let from = start.saturating_add(want).max(skip);
            let cut = next_cut(text, from);
            let end = cut.map_or(text.len(), |c| c.at);
            let slice = text.get(start..end).unwrap_or("");
            let tree = parse_piece(parser, slice, budget)?;
            if cut.is_none_or(|c| safe_end(&tree, slice, c.after)) {
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

/// One piece's parse, spending the file's budget.
fn parse_piece(parser: &mut Parser, text: &str, budget: &mut Budget) -> Result<Tree, ParseError> {
    let mut progress = |_: &tree_sitter::ParseState| budget.spend_block();
    let bytes = text.as_bytes();
    let options = ParseOptions::new().progress_callback(&mut progress);
    let tree = parser.parse_with_options(
        &mut |i: usize, _: Point| bytes.get(i..).unwrap_or(&[]),
        None,
        Some(options),
    );
    if tree.is_none() {
        // A cancelled parse leaves the parser mid-way; reset it for the next file.
        parser.reset();
    }
    tree.ok_or(ParseError::TooSlow)
}

/// What the line before a proposed cut is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// A blank line.
    Blank,
    /// A fence line at column 0 (safe only if it closed a top-level fence).
    Fence,
    /// Any other line; the cut's own line interrupts it (a heading or a break).
    Other,
}

/// A proposed cut: the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    pub at: usize,
    pub after: After,
}

/// The first proposed cut at or after `from` (see the module's comment).
pub fn next_cut(text: &str, from: usize) -> Option<Cut> {
    let bytes = text.as_bytes();
    // The first line start at or after `from`.
    let mut at = match from {
        0 => 0,
        _ => from + bytes.get(from - 1..)?.iter().position(|&b| b == b'\n')?,
    };
    let mut prev = match at.checked_sub(1) {
        None => None,
        Some(nl) => {
            let before = bytes.get(..nl).unwrap_or(&[]);
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            Some(line_kind(bytes.get(line_start..at).unwrap_or(&[])))
        }
    };
    while at < bytes.len() {
        let rest = bytes.get(at..).unwrap_or(&[]);
        let len = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let line = rest.get(..len).unwrap_or(&[]);
        if let Some(kind) = prev
            && starts_block(line)
        {
            let after = match kind {
                Line::Blank => Some(After::Blank),
                Line::Fence => Some(After::Fence),
                Line::Other if interrupts(line) => Some(After::Other),
                Line::Other => None,
            };
            if let Some(after) = after {
                return Some(Cut { at, after });
            }
        }
        prev = Some(line_kind(line));
        at += len;
    }
    None
}

#[derive(Debug, Clone, Copy)]
enum Line {
    Blank,
    Fence,
    Other,
}

fn line_kind(line: &[u8]) -> Line {
    if line
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        Line::Blank
    } else if line.starts_with(b"```") || line.starts_with(b"~~~") {
        Line::Fence
    } else {
        Line::Other
    }
}

fn starts_block(line: &[u8]) -> bool {
    !matches!(line.first(), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
        && !line.starts_with(b"---")
        && !line.starts_with(b"+++")
}

/// An ATX heading (`#` to `######`, then a space, a tab or the line's end)
/// or a thematic break of `*` or `_` at column 0: blocks that end whatever
/// precedes them and cannot continue a paragraph.
fn interrupts(line: &[u8]) -> bool {
    let body = line.trim_ascii_end();
    let hashes = body.iter().take_while(|&&b| b == b'#').count();
    if (1..=6).contains(&hashes) {
        return matches!(body.get(hashes), None | Some(b' ' | b'\t'));
    }
    let Some(&mark @ (b'*' | b'_')) = body.first() else {
        return false;
    };
    body.iter().all(|&b| b == mark || b == b' ' || b == b'\t')
        && body.iter().filter(|&&b| b == mark).count() >= 3
}

/// Whether the piece `text` may end here: no block that the next line would
/// continue is open at its end (see the module's comment).
fn safe_end(tree: &Tree, text: &str, after: After) -> bool {
    let Some(last) = text.bytes().rposition(|b| !b.is_ascii_whitespace()) else {
        return true;
    };
    let deepest = tree.root_node().descendant_for_byte_range(last, last + 1);
    if after == After::Fence {
        // Only the closing line of a top-level fence.
        let mut node = deepest;
        while let Some(n) = node {
            if n.kind() == "fenced_code_block" {
                return fence_closed(n)
                    && n.parent()
                        .is_none_or(|p| matches!(p.kind(), "section" | "document"));
            }
            node = n.parent();
        }
        return false;
    }
    let mut node = deepest;
    while let Some(n) = node {
        let open = match n.kind() {
            "fenced_code_block" => !fence_closed(n),
            // A heading or a break does not end an HTML block of kinds 6 and 7.
            "html_block" => {
                after != After::Blank || html_open(text.get(n.byte_range()).unwrap_or(""))
            }
            _ => false,
        };
        if open {
            return false;
        }
        node = n.parent();
    }
    true
}

fn fence_closed(n: Node) -> bool {
    let mut cursor = n.walk();
    n.children(&mut cursor)
        .filter(|c| c.kind() == "fenced_code_block_delimiter")
        .count()
        >= 2
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
    use crate::text::Encoding;

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

    /// Cuts without a blank line: before headings and breaks, after
    /// fences; each checked against one whole parse.
    #[test]
    fn pieces_cut_at_headings_breaks_and_fences_extract_what_the_whole_does() {
        let texts = [
            "# A\n## B\ntext\n# C\n- item\n# D\n> quote\n# E\n    code\n# F\n",
            "para\nmore\n***\nafter\n___\n* * *\n# H\n",
            "- [ ] a\n  - [x] b\n# H\n1. one\n## H2 [l](m.md)\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n# After table\n| c |\n|---|\n***\n",
            "```\ncode\n```\ntext after\n~~~\nx\n~~~\n# H\n```\nopen\n# not a heading\n",
            "- ```\n  in item\n```\nnot after a top-level fence\n```\n# H\n",
            "<div>\n# in div\n</div>\n# out\n<!-- c -->\n# after comment\n",
            "#hashtag\n#not\ntext\n#\n##\n####### seven\n# Ünïcode 🎉 [x](y.md)\n`a`\n",
            "Title\n===\n# H\nSub\n---\n# I\n",
            "a\r\n# b\r\n***\r\nc\r\n```\r\nd\r\n```\r\ne\r\n",
            "[ref]:\n# H\n[r]: a.md\n# I\n> lazy\ncontinued\n# J\n",
        ];
        for t in texts {
            let skip = crate::syntax::frontmatter::parse(t).map_or(0, |f| f.range.end);
            assert_eq!(cut_everywhere(t, skip), whole(t, skip), "{t}");
        }
    }

    #[test]
    fn cuts_are_proposed_at_block_starts_at_column_0() {
        let t = "a\n\nb\n  \n  c\n\n---\n\nd\n";
        let cuts: Vec<usize> = std::iter::successors(next_cut(t, 0), |c| next_cut(t, c.at + 1))
            .map(|c| c.at)
            .collect();
        assert_eq!(cuts, vec![3, 18]);
        assert_eq!(next_cut(t, 4).map(|c| c.at), Some(18));
        assert_eq!(next_cut("x", 0), None);
        let t = "a\n# h\n#x\n***\n```\nb\n---\n## \n";
        let cuts: Vec<(usize, After)> =
            std::iter::successors(next_cut(t, 0), |c| next_cut(t, c.at + 1))
                .map(|c| (c.at, c.after))
                .collect();
        assert_eq!(
            cuts,
            vec![
                (2, After::Other),
                (9, After::Other),
                (17, After::Fence),
                (23, After::Other)
            ]
        );
    }

    /// 200,000 headings with no blank line between them are cut at the
    /// headings, not parsed as one stretch.
    #[test]
    fn headings_without_blank_lines_are_cut() {
        let t = "## a\n".repeat(200_000);
        let cuts = std::iter::successors(next_cut(&t, PIECE_BYTES), |c| {
            next_cut(&t, c.at + PIECE_BYTES)
        })
        .count();
        assert!(cuts >= 15, "{cuts}");
        let mut p = block::new_parser();
        let b = blocks(&mut p, &t, 0, &mut Budget::default()).unwrap();
        assert_eq!(b.headings.len(), 200_000);
    }

    /// A stretch with no cut is one piece within the file's budget: parsed
    /// when the budget holds it, abandoned only when it does not.
    #[test]
    fn a_stretch_without_a_cut_spends_the_files_budget() {
        let t = format!("# T\n\n{}\n", "[".repeat(200_000));
        let mut p = block::new_parser();
        let b = blocks(&mut p, &t, 0, &mut Budget::default()).unwrap();
        assert_eq!(b, whole(&t, 0));
        assert!(matches!(
            blocks(&mut p, &t, 0, &mut Budget::with_work(1_000, 1_000)),
            Err(ParseError::TooSlow)
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

    /// Ranges after a cut are exact in bytes, and so in UTF-16 through the
    /// line map: multi-byte text before and after a cut at a heading.
    #[test]
    fn positions_after_a_cut_are_exact_with_multibyte_text() {
        let t = "# Ünïcödé 🎉\nété 日本語 [a](b.md)\n## 第二 🎉\n🎉 [c](d.md)\n";
        let mut p = block::new_parser();
        let b = blocks_in(&mut p, t, 0, &mut Budget::default(), 1).unwrap();
        assert_eq!(b, whole(t, 0));
        let second = b.headings.get(1).unwrap();
        assert_eq!(second.text, "第二 🎉");
        let at = t.find("## 第二").unwrap();
        assert_eq!(second.range.start as usize, at);
        let lines = crate::text::LineMap::new(t);
        for (enc, end_col) in [(Encoding::Utf16, 8), (Encoding::Utf8, 14)] {
            let start = lines.position(second.text_range.start, enc);
            assert_eq!((start.line, start.col), (2, 3));
            // `第二 🎉`: 2 + 1 + 2 UTF-16 units, 3 + 3 + 1 + 4 bytes.
            let end = lines.position(second.text_range.end, enc);
            assert_eq!((end.line, end.col), (2, end_col), "{enc:?}");
        }
    }
}
