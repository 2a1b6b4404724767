//! Inline content: links and code spans, parsed by tree-sitter-md's inline
//! grammar only for the inline nodes that can hold one.
//!
//! The inline pass costs about twice the block pass, and most paragraphs
//! hold neither a link nor code, so a byte test picks the nodes worth it.
//!
//! Hostile text costs far more: a paragraph of `[` takes tree-sitter's
//! inline grammar ~10 µs and ~400 bytes of memory per byte. So a node over
//! `MAX_NODE` is not parsed, and all of one file's inline parses share the
//! file's parse budget (`block::Budget`); what is left out is recorded (`Skipped`) and
//! reported as `artifact-partial`, never silently dropped.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use tree_sitter::{Node, ParseOptions, Parser, Point, Range};

use super::block::Budget;
use crate::text::{LineMap, TextRange, to_u32};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Inlines {
    pub links: Vec<Link>,
    pub code_spans: Vec<CodeSpan>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LinkKind {
    Inline,
    Image,
    /// `[text][label]` or `[label][]`: resolved through a definition.
    Reference,
    Autolink,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub kind: LinkKind,
    /// The destination as written (angle brackets removed); for reference
    /// links, empty until resolved against a definition.
    pub dest: String,
    /// Normalized label of a reference link.
    pub label: Option<String>,
    pub range: TextRange,
    /// The destination (or label) text, where a fix would edit.
    pub dest_range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeSpan {
    pub text: String,
    /// The content between the backticks.
    pub range: TextRange,
}

/// Code spans longer than this are code, not a path or a command.
const MAX_SPAN: usize = 300;

impl Inlines {
    pub fn map_ranges(&mut self, f: impl Fn(TextRange) -> TextRange) {
        for l in &mut self.links {
            l.range = f(l.range);
            l.dest_range = f(l.dest_range);
        }
        for c in &mut self.code_spans {
            c.range = f(c.range);
        }
    }

    /// Appends copies of `other`'s links and spans moved `by` bytes later.
    pub fn extend_shifted(&mut self, other: &Inlines, by: u32) {
        self.links.extend(other.links.iter().map(|l| Link {
            range: l.range.shift(by),
            dest_range: l.dest_range.shift(by),
            ..l.clone()
        }));
        self.code_spans
            .extend(other.code_spans.iter().map(|c| CodeSpan {
                range: c.range.shift(by),
                text: c.text.clone(),
            }));
    }

    pub fn append(&mut self, other: Inlines) {
        self.links.extend(other.links);
        self.code_spans.extend(other.code_spans);
    }
}

/// An inline node (paragraph, heading text, table cell) with more text than
/// this, whitespace not counted, is not parsed: no honest one has, and its
/// tree would cost hundreds of times its size. (Whitespace is cheap to parse
/// and deep nesting indents lines by thousands of spaces.)
pub const MAX_NODE: usize = 64 << 10;

/// Why inline content was left unparsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SkipReason {
    /// The node holds more than `MAX_NODE` bytes of text.
    TooLong,
    /// The file's parse budget (`block::PARSE_WORK`) was spent.
    OutOfTime,
}

/// The inline content one file's pass left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    /// The first line of the first node not parsed.
    pub first: TextRange,
    pub reason: SkipReason,
    /// Nodes not parsed, in all.
    pub nodes: u32,
}

/// tree-sitter's inline parser and the budget of the file being parsed.
pub struct InlineParser {
    parser: Parser,
    budget: Option<Budget>,
    skipped: Option<Skipped>,
    skipped_nodes: u32,
}

impl InlineParser {
    /// Starts a file whose inline parses share what is left of `budget`.
    pub fn begin(&mut self, budget: Budget) {
        self.budget = Some(budget);
        self.skipped = None;
        self.skipped_nodes = 0;
    }

    /// Ends the file: what its inline pass left out, if anything.
    pub fn finish(&mut self) -> Option<Skipped> {
        self.budget = None;
        self.skipped_nodes = 0;
        self.skipped.take()
    }

    /// Nodes skipped since `begin`: callers caching results compare it.
    pub fn skipped_nodes(&self) -> u32 {
        self.skipped_nodes
    }

    fn out_of_time(&self) -> bool {
        self.budget.is_some_and(|b| b.spent())
    }

    /// Units of the file's budget left (`None` outside `begin`…`finish`).
    pub fn work_left(&self) -> Option<u64> {
        self.budget.map(|b| b.left())
    }

    fn skip(&mut self, first: TextRange, reason: SkipReason) {
        self.skipped_nodes = self.skipped_nodes.saturating_add(1);
        match self.skipped.as_mut() {
            Some(s) => s.nodes = s.nodes.saturating_add(1),
            None => {
                self.skipped = Some(Skipped {
                    first,
                    reason,
                    nodes: 1,
                })
            }
        }
    }
}

pub fn new_parser() -> InlineParser {
    let mut parser = Parser::new();
    // Compiled-in grammar, ABI checked at build time: cannot fail.
    let _ = parser.set_language(&tree_sitter_md::INLINE_LANGUAGE.into());
    InlineParser {
        parser,
        budget: None,
        skipped: None,
        skipped_nodes: 0,
    }
}

/// Whether an inline node could hold a link or a code span.
pub fn worth_parsing(text: &str, ranges: &[TextRange]) -> bool {
    ranges.iter().any(|r| {
        r.slice(text)
            .bytes()
            .any(|b| matches!(b, b'[' | b'<' | b'`'))
    })
}

pub fn parse_into(
    inline: &mut InlineParser,
    text: &str,
    lines: &LineMap,
    ranges: &[TextRange],
    out: &mut Inlines,
) {
    let (Some(first), Some(last)) = (ranges.first(), ranges.last()) else {
        return;
    };
    // Parse only the node's own span: handing tree-sitter the whole document
    // makes every small parse pay for its size. Offsets are rebased after.
    let base = first.start;
    let whole = TextRange::new(base, last.end);
    let span = whole.slice(text);
    let first_line = TextRange::new(base, base + to_u32(span.find('\n').unwrap_or(span.len())));
    let weight: usize = ranges
        .iter()
        .map(|r| {
            r.slice(text)
                .bytes()
                .filter(|b| !b.is_ascii_whitespace())
                .count()
        })
        .sum();
    if weight > MAX_NODE {
        inline.skip(first_line, SkipReason::TooLong);
        return;
    }
    if inline.out_of_time() {
        inline.skip(first_line, SkipReason::OutOfTime);
        return;
    }
    let InlineParser { parser, budget, .. } = inline;
    // Starting a parse is work too: many small nodes, none of which reaches
    // a progress call, still spend the budget.
    if let Some(b) = budget.as_mut() {
        let _ = b.spend(1);
    }
    let origin = point(lines, base);
    let ts_ranges: Vec<Range> = ranges
        .iter()
        .map(|r| Range {
            start_byte: (r.start - base) as usize,
            end_byte: (r.end - base) as usize,
            start_point: rebase(point(lines, r.start), origin),
            end_point: rebase(point(lines, r.end), origin),
        })
        .collect();
    if parser.set_included_ranges(&ts_ranges).is_err() {
        return;
    }
    let mut progress = |_: &tree_sitter::ParseState| match budget.as_mut() {
        Some(b) => b.spend(1),
        None => ControlFlow::Continue(()),
    };
    let bytes = span.as_bytes();
    let tree = parser.parse_with_options(
        &mut |i: usize, _: Point| bytes.get(i..).unwrap_or(&[]),
        None,
        Some(ParseOptions::new().progress_callback(&mut progress)),
    );
    let Some(tree) = tree else {
        // Cancelled mid-way: the parser must start clean on the next node.
        parser.reset();
        inline.skip(first_line, SkipReason::OutOfTime);
        return;
    };
    let mut local = Inlines::default();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        if visit(span, node, &mut local) && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    for mut link in local.links {
        link.range = link.range.shift(base);
        link.dest_range = link.dest_range.shift(base);
        out.links.push(link);
    }
    for mut span in local.code_spans {
        span.range = span.range.shift(base);
        out.code_spans.push(span);
    }
}

fn rebase(p: Point, origin: Point) -> Point {
    if p.row == origin.row {
        Point {
            row: 0,
            column: p.column.saturating_sub(origin.column),
        }
    } else {
        Point {
            row: p.row - origin.row,
            column: p.column,
        }
    }
}

fn point(lines: &LineMap, offset: u32) -> Point {
    let p = lines.position(offset, crate::text::Encoding::Utf8);
    Point {
        row: p.line as usize,
        column: p.col as usize,
    }
}

fn range(node: Node) -> TextRange {
    TextRange::from_usize(node.start_byte(), node.end_byte())
}

fn child<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    (0..node.child_count()).find_map(|i| node.child(i).filter(|c| c.kind() == kind))
}

fn visit(text: &str, node: Node, out: &mut Inlines) -> bool {
    match node.kind() {
        "inline_link" | "image" => {
            let kind = if node.kind() == "image" {
                LinkKind::Image
            } else {
                LinkKind::Inline
            };
            let dest = child(node, "link_destination").map(range);
            let dest_range = dest.unwrap_or(TextRange::empty(to_u32(node.end_byte())));
            out.links.push(Link {
                kind,
                dest: unbracket(dest_range.slice(text)),
                label: None,
                range: range(node),
                dest_range,
            });
            // Link text may itself hold code spans worth seeing.
            true
        }
        "full_reference_link" | "collapsed_reference_link" => {
            let label_node = child(node, "link_label").or_else(|| child(node, "link_text"));
            let label_range = label_node.map_or(range(node), range);
            out.links.push(Link {
                kind: LinkKind::Reference,
                dest: String::new(),
                label: Some(super::block::normalize_label(label_range.slice(text))),
                range: range(node),
                dest_range: label_range,
            });
            true
        }
        "uri_autolink" => {
            let r = range(node);
            out.links.push(Link {
                kind: LinkKind::Autolink,
                dest: unbracket(r.slice(text)),
                label: None,
                range: r,
                dest_range: TextRange::new(r.start + 1, r.end.saturating_sub(1).max(r.start + 1)),
            });
            false
        }
        "code_span" => {
            let r = range(node);
            let raw = r.slice(text);
            let ticks = raw.len() - raw.trim_start_matches('`').len();
            let inner_start = r.start + to_u32(ticks);
            let inner_end = r.end.saturating_sub(to_u32(ticks)).max(inner_start);
            let inner = TextRange::new(inner_start, inner_end);
            let content = inner.slice(text);
            if content.len() <= MAX_SPAN {
                let lead = content.len() - content.trim_start().len();
                let trimmed = content.trim();
                let start = inner.start + to_u32(lead);
                out.code_spans.push(CodeSpan {
                    text: trimmed.to_string(),
                    range: TextRange::new(start, start + to_u32(trimmed.len())),
                });
            }
            false
        }
        _ => true,
    }
}

fn unbracket(s: &str) -> String {
    let s = s.trim();
    s.strip_prefix('<')
        .and_then(|x| x.strip_suffix('>'))
        .unwrap_or(s)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::block;

    fn inlines(text: &str) -> Inlines {
        let mut bp = block::new_parser();
        let tree = block::parse(&mut bp, text, None).unwrap();
        let b = block::extract(text, &tree, 0);
        let lines = LineMap::new(text);
        let mut ip = new_parser();
        let mut out = Inlines::default();
        for r in &b.inlines {
            if worth_parsing(text, r) {
                parse_into(&mut ip, text, &lines, r, &mut out);
            }
        }
        out
    }

    #[test]
    fn links_of_every_kind() {
        let t = "See [a](../x.md#top), [b][ref], [c][], <https://e.com> and ![i](img.png).\n\n> quoted [q](q.md)\n\n[ref]: y.md\n[c]: z.md\n";
        let i = inlines(t);
        let got: Vec<_> = i
            .links
            .iter()
            .map(|l| (l.kind.clone(), l.dest.clone(), l.label.clone()))
            .collect();
        assert_eq!(got[0], (LinkKind::Inline, "../x.md#top".into(), None));
        assert_eq!(
            got[1],
            (LinkKind::Reference, String::new(), Some("ref".into()))
        );
        assert_eq!(
            got[2],
            (LinkKind::Reference, String::new(), Some("c".into()))
        );
        assert_eq!(got[3], (LinkKind::Autolink, "https://e.com".into(), None));
        assert_eq!(got[4].0, LinkKind::Image);
        assert_eq!(got[5].1, "q.md");
        assert_eq!(i.links[0].range.slice(t), "[a](../x.md#top)");
        assert_eq!(i.links[0].dest_range.slice(t), "../x.md#top");
    }

    #[test]
    fn a_node_over_the_cap_is_skipped_and_recorded() {
        // 5 MB of `[` once cost 2 GB and 30 s here; now it is not parsed.
        let big = "[".repeat(MAX_NODE + 1);
        let t = format!("# T\n\nSee [a](a.md).\n\n{big}\nsecond line\n\nThen [b](b.md).\n");
        let mut bp = block::new_parser();
        let tree = block::parse(&mut bp, &t, None).unwrap();
        let b = block::extract(&t, &tree, 0);
        let lines = LineMap::new(&t);
        let mut ip = new_parser();
        ip.begin(block::Budget::default());
        let mut out = Inlines::default();
        for r in &b.inlines {
            parse_into(&mut ip, &t, &lines, r, &mut out);
        }
        let skipped = ip.finish().unwrap();
        let dests: Vec<_> = out.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, vec!["a.md", "b.md"]);
        assert_eq!((skipped.reason, skipped.nodes), (SkipReason::TooLong, 1));
        // Its first line, not the whole node, is where the finding sits.
        assert_eq!(skipped.first.slice(&t), big);
        assert_eq!(ip.finish(), None, "finish starts the next file clean");
    }

    const TWO_LINKS: &str = "See [a](a.md).\n\nAnd [b](b.md).\n";

    /// The destinations `ip` reads in `TWO_LINKS`, within its budget.
    fn two_links(ip: &mut InlineParser) -> Vec<String> {
        let t = TWO_LINKS;
        let mut bp = block::new_parser();
        let tree = block::parse(&mut bp, t, None).unwrap();
        let b = block::extract(t, &tree, 0);
        let lines = LineMap::new(t);
        let mut out = Inlines::default();
        for r in &b.inlines {
            parse_into(ip, t, &lines, r, &mut out);
        }
        out.links.into_iter().map(|l| l.dest).collect()
    }

    /// Counted work, not time: a budget of one unit is spent by starting the
    /// first node's parse (too small to reach a progress call), so that node
    /// is read and the second is not, on any machine at any load.
    #[test]
    fn the_budget_is_counted_in_work() {
        let mut ip = new_parser();
        ip.begin(block::Budget::with_work(1, 1));
        assert_eq!(two_links(&mut ip), vec!["a.md"]);
        let skipped = ip.finish().unwrap();
        assert_eq!((skipped.reason, skipped.nodes), (SkipReason::OutOfTime, 1));
        assert_eq!(skipped.first.slice(TWO_LINKS), "And [b](b.md).");
    }

    /// Calibration of `block::PARSE_WORK` (run by hand, `--ignored --nocapture`).
    #[test]
    #[ignore]
    fn calibrate_parse_work() {
        let corpus = std::env::var("CORPUS").unwrap_or_default();
        let mut honest = String::new();
        let mut dirs = vec![std::path::PathBuf::from(&corpus)];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "md") && honest.len() < 2_000_000 {
                    honest.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
                    honest.push_str("\n\n");
                }
            }
        }
        while !honest.is_empty() && honest.len() < 2_000_000 {
            let again = honest.clone();
            honest.push_str(&again);
        }
        let cases = vec![
            ("honest 2MB", honest),
            (
                "table 1MB",
                format!(
                    "| a | b | c |\n|---|---|---|\n{}",
                    "| x | `y` | [z](z.md) |\n".repeat(40_000)
                ),
            ),
            ("tasks 1MB", "- [ ] do **this** with `x`\n".repeat(36_000)),
            ("[ 5MB", "[".repeat(5_000_000)),
            ("[ 1MB", format!("x {}", "[".repeat(1_000_000))),
            ("40x60k [", vec!["[".repeat(60_000); 40].join("\n\n")),
            ("![ 1MB", format!("x {}", "![".repeat(500_000))),
            ("< 1MB", format!("x {}", "<".repeat(1_000_000))),
            ("* 1MB", format!("x {}", "*".repeat(1_000_000))),
            ("| 1MB", format!("x {}", "|".repeat(1_000_000))),
            ("> 1MB", ">".repeat(1_000_000)),
        ];
        for (name, t) in cases {
            let started = std::time::Instant::now();
            let mut budget = block::Budget::with_work(u64::MAX / 2, u64::MAX / 2);
            let mut bp = block::new_parser();
            let Ok(tree) = block::parse_within(&mut bp, &t, None, &mut budget) else {
                continue;
            };
            let block_work = u64::MAX / 2 - budget.left();
            let block_time = started.elapsed();
            let b = block::extract(&t, &tree, 0);
            let lines = LineMap::new(&t);
            let mut ip = new_parser();
            ip.begin(budget);
            let mut out = Inlines::default();
            for r in &b.inlines {
                if worth_parsing(&t, r) {
                    parse_into(&mut ip, &t, &lines, r, &mut out);
                }
            }
            let all = u64::MAX / 2 - ip.work_left().unwrap_or(0);
            eprintln!(
                "{name}: block {block_work} units {block_time:?}; all {all} units {:?}; nodes {}",
                started.elapsed(),
                tree.root_node().descendant_count()
            );
        }
    }

    #[test]
    fn nothing_is_parsed_once_the_budget_is_spent() {
        let mut ip = new_parser();
        ip.begin(block::Budget::with_work(0, 0));
        assert!(two_links(&mut ip).is_empty());
        let skipped = ip.finish().unwrap();
        assert_eq!((skipped.reason, skipped.nodes), (SkipReason::OutOfTime, 2));
        assert_eq!(skipped.first.slice(TWO_LINKS), "See [a](a.md).");
        // Without a budget (after `finish`), the same parser parses again.
        assert_eq!(two_links(&mut ip).len(), 2);
    }

    #[test]
    fn code_spans_in_headings_lists_and_emoji_text() {
        let t = "## Use `src/a.ts` 😀\n\n- run `` /plan x.md `` now\n";
        let i = inlines(t);
        let spans: Vec<_> = i.code_spans.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(spans, vec!["src/a.ts", "/plan x.md"]);
        assert_eq!(i.code_spans[1].range.slice(t), "/plan x.md");
    }
}
