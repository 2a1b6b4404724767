//! Folding ranges: sections, frontmatter, fenced code blocks (by line).

use crate::artifact::Artifact;
use crate::text::Encoding;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub start_line: u32,
    pub end_line: u32,
    pub kind: FoldKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    Section,
    Frontmatter,
    Code,
}

pub fn folds(art: &Artifact) -> Vec<Fold> {
    let line = |offset: u32| art.lines.position(offset, Encoding::Utf8).line;
    // The line holding the last character of a range, not the one after its newline.
    let last_line = |start: u32, end: u32| line(end.saturating_sub(1).max(start));
    let mut out = Vec::new();
    if let Some(fm) = &art.frontmatter {
        out.push(Fold {
            start_line: line(fm.range.start),
            end_line: last_line(fm.range.start, fm.range.end),
            kind: FoldKind::Frontmatter,
        });
    }
    let blank = |l: u32| art.lines.line_end(l) == art.lines.line_start(l);
    for s in &art.sections {
        let start_line = line(s.range.start);
        // Trailing blank lines belong to no section.
        let mut end_line = last_line(s.range.start, s.end);
        while end_line > start_line && blank(end_line) {
            end_line -= 1;
        }
        out.push(Fold {
            start_line,
            end_line,
            kind: FoldKind::Section,
        });
    }
    for c in &art.code_blocks {
        out.push(Fold {
            start_line: line(c.range.start),
            end_line: last_line(c.range.start, c.range.end),
            kind: FoldKind::Code,
        });
    }
    out.retain(|f| f.end_line > f.start_line);
    out.sort_by_key(|f| (f.start_line, f.end_line));
    out
}
