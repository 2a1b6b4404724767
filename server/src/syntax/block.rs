//! The block tree: parse with tree-sitter-md's block grammar and pull out the
//! owned facts every later layer uses. No tree outlives this module's callers.

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tree_sitter::{Node, ParseOptions, Parser, Point, Tree};

use crate::text::{TextRange, to_u32};

/// The work one file's parse may do, block parse and inline pass together,
/// in units of tree-sitter progress calls. tree-sitter calls a parse's
/// progress callback once per 100 parse actions (`OP_COUNT_PER_PARSER_CALLBACK_CHECK`
/// in its `parser.c`); each call spends one unit, and so does each inline
/// parse started. A count of work, not a clock: the same file gets the same
/// findings on an idle machine and on a loaded one. Measured
/// (`calibrate_parse_work`, docs/reliability.md): honest artifacts spend
/// about 25,000 units per MB, tables 107,000, so this is some 16 MB of prose
/// or 3.7 MB of tables, and a few seconds of an idle core.
pub const PARSE_WORK: u64 = 400_000;
/// Of `PARSE_WORK`, what the block parse may spend. Its tree is what stays
/// in memory (inline trees are dropped node by node), and the densest
/// punctuation builds one node (~120 bytes) per 30 units spent, so this caps
/// the tree at about 5 million nodes, ~600 MB, whatever the file. Honest
/// prose spends ~18,500 units per MB here, tables ~27,000.
pub const BLOCK_WORK: u64 = 150_000;
/// A wall-clock backstop behind `PARSE_WORK`: only a stretch between two
/// progress calls far slower than measured would reach it.
pub const PARSE_BACKSTOP: Duration = Duration::from_secs(60);
/// Text kept for a task or label value; rules never need more.
const MAX_TEXT: usize = 512;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Blocks {
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    pub tasks: Vec<Task>,
    pub link_defs: Vec<LinkDef>,
    pub labels: Vec<Label>,
    /// Inline content (paragraphs, heading text, table cells), each as the
    /// byte ranges tree-sitter's inline grammar must see.
    #[serde(skip)]
    pub inlines: Vec<Vec<TextRange>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heading {
    pub level: u8,
    /// The heading's text, trimmed, closing `#`s removed.
    pub text: String,
    /// The whole heading (both lines of a setext heading).
    pub range: TextRange,
    pub text_range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeBlock {
    /// The info string's first word (`bash`), "" when none.
    pub lang: String,
    pub range: TextRange,
    pub content: TextRange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub checked: bool,
    /// The `[ ]` / `[x]` marker.
    pub marker: TextRange,
    /// From the marker to the end of its line.
    pub range: TextRange,
    pub text: String,
    pub text_range: TextRange,
    /// Column of the list marker: larger means nested deeper.
    pub indent: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkDef {
    /// Normalized label (case-folded, whitespace collapsed).
    pub label: String,
    pub dest: String,
    pub range: TextRange,
    pub dest_range: TextRange,
}

/// A `**Label:** value` or `Label: value` line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub name: String,
    pub bold: bool,
    pub name_range: TextRange,
    pub value: String,
    pub value_range: TextRange,
}

#[derive(Debug)]
pub enum ParseError {
    /// The block parse spent its share (`BLOCK_WORK`) or the file's budget.
    TooSlow,
}

pub fn new_parser() -> Parser {
    let mut parser = Parser::new();
    // The grammar is compiled in and its ABI checked by the tree-sitter build; this cannot fail.
    let _ = parser.set_language(&tree_sitter_md::LANGUAGE.into());
    parser
}

/// What is left of one file's parse budget (`PARSE_WORK`, `PARSE_BACKSTOP`).
/// The block parse spends from it first, the inline pass the rest.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    left: u64,
    /// What the block parse may still spend (`BLOCK_WORK`).
    block_left: u64,
    backstop: Instant,
}

impl Default for Budget {
    fn default() -> Self {
        Self::with_work(PARSE_WORK, BLOCK_WORK)
    }
}

impl Budget {
    /// A budget of `work` units, of which the block parse may spend `block`
    /// (tests give small ones).
    pub fn with_work(work: u64, block: u64) -> Self {
        Budget {
            left: work,
            block_left: block.min(work),
            backstop: Instant::now() + PARSE_BACKSTOP,
        }
    }

    /// Spends one unit of the block parse's share.
    pub(super) fn spend_block(&mut self) -> ControlFlow<()> {
        if self.block_left == 0 {
            return ControlFlow::Break(());
        }
        self.block_left -= 1;
        self.spend(1)
    }

    /// Spends `units`; `Break` once nothing is left.
    pub fn spend(&mut self, units: u64) -> ControlFlow<()> {
        if self.spent() {
            return ControlFlow::Break(());
        }
        self.left = self.left.saturating_sub(units);
        ControlFlow::Continue(())
    }

    pub fn spent(&self) -> bool {
        self.left == 0 || Instant::now() >= self.backstop
    }

    /// Units left.
    pub fn left(&self) -> u64 {
        self.left
    }
}

/// Parses (or re-parses, given the edited old tree) the block structure.
pub fn parse(parser: &mut Parser, text: &str, old: Option<&Tree>) -> Result<Tree, ParseError> {
    parse_within(parser, text, old, &mut Budget::default())
}

/// `parse`, abandoned when `budget` is spent (what is left, the file's
/// inline pass then spends).
pub fn parse_within(
    parser: &mut Parser,
    text: &str,
    old: Option<&Tree>,
    budget: &mut Budget,
) -> Result<Tree, ParseError> {
    let mut progress = |_: &tree_sitter::ParseState| budget.spend_block();
    let bytes = text.as_bytes();
    let options = ParseOptions::new().progress_callback(&mut progress);
    let tree = parser.parse_with_options(
        &mut |i: usize, _: Point| bytes.get(i..).unwrap_or(&[]),
        old,
        Some(options),
    );
    // A cancelled parse leaves the parser mid-way; reset it for the next file.
    if tree.is_none() {
        parser.reset();
    }
    tree.ok_or(ParseError::TooSlow)
}

/// Walks the tree once, iteratively (deeply nested input must not overflow the stack).
pub fn extract(text: &str, tree: &Tree, skip_before: u32) -> Blocks {
    let mut out = Blocks::default();
    extract_node(text, tree.root_node(), skip_before, &mut out);
    out
}

/// Extracts the subtree under `root` into `out`, in document order.
pub fn extract_node(text: &str, root: Node, skip_before: u32, out: &mut Blocks) {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let (start, end) = (to_u32(node.start_byte()), to_u32(node.end_byte()));
        let descend = if end <= skip_before {
            false
        } else if start < skip_before {
            true
        } else {
            visit(text, node, out)
        };
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

impl Blocks {
    /// Applies `f` to every range held.
    pub fn map_ranges(&mut self, f: impl Fn(TextRange) -> TextRange) {
        for h in &mut self.headings {
            h.range = f(h.range);
            h.text_range = f(h.text_range);
        }
        for c in &mut self.code_blocks {
            c.range = f(c.range);
            c.content = f(c.content);
        }
        for t in &mut self.tasks {
            t.marker = f(t.marker);
            t.range = f(t.range);
            t.text_range = f(t.text_range);
        }
        for d in &mut self.link_defs {
            d.range = f(d.range);
            d.dest_range = f(d.dest_range);
        }
        for l in &mut self.labels {
            l.name_range = f(l.name_range);
            l.value_range = f(l.value_range);
        }
        for i in &mut self.inlines {
            for r in i.iter_mut() {
                *r = f(*r);
            }
        }
    }

    /// Appends copies of `other`'s facts moved `by` bytes later (all but `inlines`).
    pub fn extend_shifted(&mut self, other: &Blocks, by: u32) {
        let s = |r: TextRange| r.shift(by);
        self.headings.extend(other.headings.iter().map(|h| Heading {
            range: s(h.range),
            text_range: s(h.text_range),
            ..h.clone()
        }));
        self.code_blocks
            .extend(other.code_blocks.iter().map(|c| CodeBlock {
                range: s(c.range),
                content: s(c.content),
                lang: c.lang.clone(),
            }));
        self.tasks.extend(other.tasks.iter().map(|t| Task {
            marker: s(t.marker),
            range: s(t.range),
            text_range: s(t.text_range),
            ..t.clone()
        }));
        self.link_defs
            .extend(other.link_defs.iter().map(|d| LinkDef {
                range: s(d.range),
                dest_range: s(d.dest_range),
                ..d.clone()
            }));
        self.labels.extend(other.labels.iter().map(|l| Label {
            name_range: s(l.name_range),
            value_range: s(l.value_range),
            ..l.clone()
        }));
        // `inlines` only feed inline parsing, which cached units have done already.
    }

    pub fn append(&mut self, other: Blocks) {
        self.headings.extend(other.headings);
        self.code_blocks.extend(other.code_blocks);
        self.tasks.extend(other.tasks);
        self.link_defs.extend(other.link_defs);
        self.labels.extend(other.labels);
        self.inlines.extend(other.inlines);
    }
}

/// Records what `node` says; returns whether its children are worth visiting.
fn visit(text: &str, node: Node, out: &mut Blocks) -> bool {
    match node.kind() {
        "minus_metadata" | "plus_metadata" | "html_block" | "indented_code_block" => false,
        "atx_heading" => {
            atx_heading(text, node, out);
            false
        }
        "setext_heading" => {
            setext_heading(text, node, out);
            false
        }
        "fenced_code_block" => {
            code_block(text, node, out);
            false
        }
        "link_reference_definition" => {
            link_def(text, node, out);
            false
        }
        "list_item" => {
            task(text, node, out);
            true
        }
        "inline" | "pipe_table_cell" => {
            let ranges = inline_ranges(node);
            labels(text, &ranges, out);
            out.inlines.push(ranges);
            false
        }
        _ => true,
    }
}

fn range(node: Node) -> TextRange {
    TextRange::from_usize(node.start_byte(), node.end_byte())
}

/// The inline grammar must not see block markers (`>` of a quote, list
/// indentation) that sit inside a paragraph; they are the named children.
fn inline_ranges(node: Node) -> Vec<TextRange> {
    let mut ranges = Vec::new();
    let mut start = node.start_byte();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.start_byte() > start {
            ranges.push(TextRange::from_usize(start, child.start_byte()));
        }
        start = child.end_byte();
    }
    if node.end_byte() > start {
        ranges.push(TextRange::from_usize(start, node.end_byte()));
    }
    ranges
}

fn atx_heading(text: &str, node: Node, out: &mut Blocks) {
    let mut cursor = node.walk();
    let level = node
        .children(&mut cursor)
        .find_map(|ch| match ch.kind() {
            "atx_h1_marker" => Some(1),
            "atx_h2_marker" => Some(2),
            "atx_h3_marker" => Some(3),
            "atx_h4_marker" => Some(4),
            "atx_h5_marker" => Some(5),
            "atx_h6_marker" => Some(6),
            _ => None,
        })
        .unwrap_or(1);
    let content = node.child_by_field_name("heading_content");
    let (heading_text, text_range) = match content {
        Some(c) => heading_text(text, range(c)),
        None => (String::new(), TextRange::empty(node.end_byte() as u32)),
    };
    if let Some(c) = content {
        let ranges = inline_ranges(c);
        out.inlines.push(ranges);
    }
    out.headings.push(Heading {
        level,
        text: heading_text,
        range: trim_newline(text, range(node)),
        text_range,
    });
}

fn setext_heading(text: &str, node: Node, out: &mut Blocks) {
    let mut cursor = node.walk();
    let mut level = 1;
    let mut content = None;
    for child in node.children(&mut cursor) {
        match child.kind() {
            "setext_h2_underline" => level = 2,
            "paragraph" => content = Some(child),
            _ => {}
        }
    }
    let (heading_text, text_range) = match content {
        Some(c) => heading_text(text, trim_newline(text, range(c))),
        None => (String::new(), TextRange::empty(node.start_byte() as u32)),
    };
    out.headings.push(Heading {
        level,
        text: heading_text,
        range: trim_newline(text, range(node)),
        text_range,
    });
}

/// Trims the text and an ATX closing sequence (`## Title ##`).
fn heading_text(text: &str, r: TextRange) -> (String, TextRange) {
    let raw = r.slice(text);
    let lead = raw.len() - raw.trim_start().len();
    let mut body = raw.trim();
    let without_closing = body.trim_end_matches('#');
    if without_closing.len() != body.len()
        && (without_closing.is_empty() || without_closing.ends_with([' ', '\t']))
    {
        body = without_closing.trim_end();
    }
    let start = r.start + to_u32(lead);
    (
        body.to_string(),
        TextRange::new(start, start + to_u32(body.len())),
    )
}

fn trim_newline(text: &str, r: TextRange) -> TextRange {
    let s = r.slice(text);
    let trimmed = s.trim_end_matches(['\n', '\r']);
    TextRange::new(r.start, r.start + to_u32(trimmed.len()))
}

fn code_block(text: &str, node: Node, out: &mut Blocks) {
    let mut cursor = node.walk();
    let mut lang = String::new();
    let mut content = None;
    for child in node.children(&mut cursor) {
        match child.kind() {
            "info_string" => {
                lang = range(child)
                    .slice(text)
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
            }
            "code_fence_content" => content = Some(range(child)),
            _ => {}
        }
    }
    out.code_blocks.push(CodeBlock {
        lang,
        range: trim_newline(text, range(node)),
        content: content.unwrap_or(TextRange::empty(node.end_byte() as u32)),
    });
}

fn link_def(text: &str, node: Node, out: &mut Blocks) {
    let mut cursor = node.walk();
    let mut label = None;
    let mut dest = None;
    for child in node.children(&mut cursor) {
        match child.kind() {
            "link_label" => label = Some(range(child)),
            "link_destination" => dest = Some(range(child)),
            _ => {}
        }
    }
    if let (Some(label), Some(dest)) = (label, dest) {
        let raw_dest = dest.slice(text);
        // `- [SEGMENT]: [DESCRIPTION]` in templates parses as a definition; it is a placeholder.
        if raw_dest.starts_with('[') {
            return;
        }
        out.link_defs.push(LinkDef {
            label: normalize_label(label.slice(text)),
            dest: raw_dest
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string(),
            range: trim_newline(text, range(node)),
            dest_range: dest,
        });
    }
}

/// CommonMark label matching: case-insensitive, inner whitespace collapsed.
pub fn normalize_label(label: &str) -> String {
    let inner = label.trim().trim_start_matches('[').trim_end_matches(']');
    inner
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn task(text: &str, node: Node, out: &mut Blocks) {
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        let checked = match child.kind() {
            "task_list_marker_checked" => true,
            "task_list_marker_unchecked" => false,
            _ => continue,
        };
        let marker = range(child);
        let rest = text.get(marker.end as usize..).unwrap_or("");
        let line_len = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = rest.get(..line_len).unwrap_or("");
        let lead = line.len() - line.trim_start().len();
        let text_start = marker.end + to_u32(lead);
        let task_text = clip(line.trim());
        out.tasks.push(Task {
            checked,
            marker,
            range: TextRange::new(marker.start, marker.end + to_u32(line_len)),
            text_range: TextRange::new(text_start, text_start + to_u32(task_text.len())),
            text: task_text,
            indent: to_u32(node.start_position().column),
        });
        return;
    }
}

fn clip(s: &str) -> String {
    if s.len() <= MAX_TEXT {
        return s.to_string();
    }
    let mut end = MAX_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("").to_string()
}

/// Finds `**Label:** value`, `**Label**: value` and `Label: value` lines.
fn labels(text: &str, ranges: &[TextRange], out: &mut Blocks) {
    for r in ranges {
        let chunk = r.slice(text);
        let mut line_start = 0usize;
        for line in chunk.split_inclusive('\n') {
            let abs = r.start as usize + line_start;
            line_start += line.len();
            if let Some(label) = label_line(line.trim_end_matches(['\n', '\r']), abs) {
                out.labels.push(label);
            }
        }
    }
}

fn label_line(line: &str, abs: usize) -> Option<Label> {
    let lead = line.len() - line.trim_start().len();
    let body = line.get(lead..)?;
    let (name, name_off, after, bold) = if let Some(inner) = body.strip_prefix("**") {
        let close = inner.find("**")?;
        let name = inner.get(..close)?;
        let after = inner.get(close + 2..)?;
        let (name, after) = match name.strip_suffix(':') {
            Some(n) => (n, after),
            None => (name, after.strip_prefix(':')?),
        };
        (name, lead + 2, after, true)
    } else {
        let colon = body.find(": ")?;
        let name = body.get(..colon)?;
        let words = name.split_whitespace().count();
        let first = name.chars().next()?;
        if words == 0 || words > 4 || !first.is_uppercase() || name.contains(['*', '`', '[', '|']) {
            return None;
        }
        (name, lead, body.get(colon + 1..)?, false)
    };
    let name = name.trim();
    if name.is_empty() || name.len() > 80 {
        return None;
    }
    let value_lead = after.len() - after.trim_start().len();
    let value = after.trim();
    let value_start = abs + line.len() - after.len() + value_lead;
    Some(Label {
        name: name.to_string(),
        bold,
        name_range: TextRange::from_usize(abs + name_off, abs + name_off + name.len()),
        value: clip(value),
        value_range: TextRange::from_usize(value_start, value_start + value.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Blocks {
        let mut p = new_parser();
        let tree = parse(&mut p, text, None).unwrap();
        extract(text, &tree, 0)
    }

    /// The budget counts work: one text spends the same units every time
    /// (30 per KB of `[`), and a budget, or a block share, one unit short of
    /// that abandons it.
    #[test]
    fn the_block_parse_spends_counted_work() {
        let t = "[".repeat(100_000);
        let mut p = new_parser();
        let spent = |p: &mut Parser| {
            let mut b = Budget::default();
            parse_within(p, &t, None, &mut b).unwrap();
            PARSE_WORK - b.left()
        };
        let first = spent(&mut p);
        assert_eq!(first, spent(&mut p));
        assert!((2_900..=3_100).contains(&first), "{first}");
        let mut short = Budget::with_work(first - 1, first - 1);
        assert!(parse_within(&mut p, &t, None, &mut short).is_err());
        assert!(short.spent());
        // The block parse's share runs out first, the file's budget left.
        let mut capped = Budget::with_work(10 * first, first - 1);
        assert!(parse_within(&mut p, &t, None, &mut capped).is_err());
        assert!(!capped.spent());
        // The parser is clean again after an abandoned parse.
        assert_eq!(spent(&mut p), first);
    }

    #[test]
    fn headings_levels_and_text() {
        let t = "# Title ##\n\n## Goal:\n\nSetext\n------\n";
        let b = blocks(t);
        let got: Vec<_> = b
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str()))
            .collect();
        assert_eq!(got, vec![(1, "Title"), (2, "Goal:"), (2, "Setext")]);
        assert_eq!(b.headings[0].text_range.slice(t), "Title");
        assert_eq!(b.headings[0].range.slice(t), "# Title ##");
    }

    #[test]
    fn tasks_code_defs_labels() {
        let t = "- [ ] 1.0 Do it\n  - [x] 1.1 Sub\n\n```bash\n/plan x.md\n```\n\n[ref]: ../a.md\n\n**Status:** ✅ Passed\nOverall Status: Done\n";
        let b = blocks(t);
        assert_eq!(b.tasks.len(), 2);
        assert!(!b.tasks[0].checked && b.tasks[1].checked);
        assert_eq!(b.tasks[1].text, "1.1 Sub");
        assert!(b.tasks[1].indent > b.tasks[0].indent);
        assert_eq!(b.code_blocks[0].lang, "bash");
        assert_eq!(b.code_blocks[0].content.slice(t), "/plan x.md\n");
        assert_eq!(b.link_defs[0].label, "ref");
        assert_eq!(b.link_defs[0].dest, "../a.md");
        let l = &b.labels[0];
        assert_eq!(
            (l.name.as_str(), l.value.as_str(), l.bold),
            ("Status", "✅ Passed", true)
        );
        assert_eq!(l.value_range.slice(t), "✅ Passed");
        assert_eq!(b.labels[1].name, "Overall Status");
    }

    #[test]
    fn frontmatter_is_skipped() {
        let t = "---\ntitle: x\n---\n# Real\n";
        let b = blocks(t);
        assert_eq!(b.headings.len(), 1);
    }
}
