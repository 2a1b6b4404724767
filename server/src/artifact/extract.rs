//! Syntax + kind → `Artifact`. The only place that sees a file's text and
//! its schema together; everything kind-specific is decided here once.

use crate::schema::{CodePathFrom, Kind};
use crate::syntax::block::{self, Blocks};
use crate::syntax::frontmatter;
use crate::syntax::inline::{self, Inlines, LinkKind};
use crate::syntax::slug;
use crate::syntax::units::{self, UnitCache};
use crate::text::{LineMap, TextRange, to_u32};

use super::commands;
use super::model::*;
use super::sections::find_section;

/// Reusable tree-sitter parsers: one pair per thread.
pub struct Parsers {
    pub block: tree_sitter::Parser,
    pub inline: tree_sitter::Parser,
}

impl Default for Parsers {
    fn default() -> Self {
        Parsers {
            block: block::new_parser(),
            inline: inline::new_parser(),
        }
    }
}

/// Builds the artifact of `text`; `kind` is what its path says it is.
pub fn build(
    parsers: &mut Parsers,
    path: &str,
    text: &str,
    class: Class,
    kind: Option<&Kind>,
) -> Artifact {
    match block::parse(&mut parsers.block, text, None) {
        Ok(tree) => build_from_tree(parsers, path, text, &tree, class, kind, None),
        Err(block::ParseError::TooSlow) => {
            let mut art = base(path, text, class);
            art.problem = Some(Problem {
                message: "parsing took too long and was abandoned; only frontmatter was checked"
                    .into(),
            });
            art
        }
    }
}

/// Builds the artifact from a block tree already parsed (incrementally, for
/// open documents, which also keep a cache of unchanged blocks' results).
pub fn build_from_tree(
    parsers: &mut Parsers,
    path: &str,
    text: &str,
    tree: &tree_sitter::Tree,
    class: Class,
    kind: Option<&Kind>,
    cache: Option<&mut UnitCache>,
) -> Artifact {
    let mut art = base(path, text, class);
    // An unterminated block swallows the file; the markdown after it still counts.
    let skip = art
        .frontmatter
        .as_ref()
        .filter(|f| f.error.is_none() || f.range.end < to_u32(text.len()))
        .map_or(0, |f| f.range.end);
    let (blocks, inlines) = match cache {
        Some(cache) => units::extract(text, tree, skip, &art.lines, &mut parsers.inline, cache),
        None => {
            let blocks = block::extract(text, tree, skip);
            let mut inlines = Inlines::default();
            for ranges in &blocks.inlines {
                if inline::worth_parsing(text, ranges) {
                    inline::parse_into(&mut parsers.inline, text, &art.lines, ranges, &mut inlines);
                }
            }
            (blocks, inlines)
        }
    };
    fill(&mut art, text, blocks, inlines, kind);
    art
}

/// The bytes' SHA-256, as context bundles record their sources.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

fn base(path: &str, text: &str, class: Class) -> Artifact {
    Artifact {
        path: path.to_string(),
        class,
        hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        sha256: sha256(text.as_bytes()),
        frontmatter: frontmatter::parse(text),
        lines: LineMap::new(text),
        ..Artifact::default()
    }
}

fn fill(art: &mut Artifact, text: &str, blocks: Blocks, inlines: Inlines, kind: Option<&Kind>) {
    art.sections = sections(&blocks, to_u32(text.len()));
    art.commands = commands::find(text, &blocks.code_blocks, &inlines.code_spans);
    art.links = resolve_references(inlines.links, &blocks.link_defs);
    art.link_defs = blocks.link_defs;
    art.tasks = blocks.tasks;
    art.labels = blocks.labels;
    if let Some(kind) = kind.filter(|k| !k.markers.is_empty()) {
        let body = art.frontmatter.as_ref().map_or(0, |f| f.range.end as usize);
        let code: Vec<TextRange> = blocks
            .code_blocks
            .iter()
            .map(|c| c.range)
            .chain(inlines.code_spans.iter().map(|c| widen(c.range)))
            .collect();
        art.markers = super::markers::find(text, kind, body, &code);
    }
    art.code_blocks = blocks.code_blocks;
    art.path_spans = inlines
        .code_spans
        .into_iter()
        .filter(|c| looks_like_path(&c.text))
        .collect();
    if let Some(kind) = kind {
        let body = art.frontmatter.as_ref().map_or(0, |f| f.range.end as usize);
        art.placeholders = super::placeholders::find(text, kind, body);
        art.status = status(art, kind);
        art.code_paths = code_paths(art, kind);
    }
}

/// A code span's content range grown by one byte each side, over its backticks.
fn widen(r: TextRange) -> TextRange {
    TextRange::new(r.start.saturating_sub(1), r.end + 1)
}

fn sections(blocks: &Blocks, len: u32) -> Vec<SectionNode> {
    let texts: Vec<&str> = blocks.headings.iter().map(|h| h.text.as_str()).collect();
    let slugs = slug::slugs(texts);
    let mut out: Vec<SectionNode> = blocks
        .headings
        .iter()
        .zip(slugs)
        .map(|(h, slug)| SectionNode {
            level: h.level,
            text: h.text.clone(),
            slug,
            range: h.range,
            text_range: h.text_range,
            end: len,
        })
        .collect();
    // A section ends where the next heading of its level or higher begins.
    let mut open: Vec<usize> = Vec::new();
    for i in 0..out.len() {
        let (level, start) = match out.get(i) {
            Some(s) => (s.level, s.range.start),
            None => continue,
        };
        while let Some(&j) = open.last() {
            match out.get_mut(j) {
                Some(prev) if prev.level >= level => {
                    prev.end = start;
                    open.pop();
                }
                _ => break,
            }
        }
        open.push(i);
    }
    out
}

fn resolve_references(mut links: Vec<inline::Link>, defs: &[block::LinkDef]) -> Vec<inline::Link> {
    for link in &mut links {
        if link.kind == LinkKind::Reference
            && let Some(label) = &link.label
            && let Some(def) = defs.iter().find(|d| &d.label == label)
        {
            link.dest = def.dest.clone();
        }
    }
    links
}

/// `src/auth/login.ts`, `infrastructure/x.yaml:12`, `src/auth/` — not prose or code.
pub fn looks_like_path(s: &str) -> bool {
    if s.is_empty() || s.len() > 200 || s.contains(char::is_whitespace) {
        return false;
    }
    if s.starts_with('/') && !s.get(1..).unwrap_or("").contains('/') {
        return false; // a slash command, not a path
    }
    if s.contains("://")
        || s.contains(['(', ')', '{', '}', '=', '<', '>', '"', '\'', ',', ';', '$'])
    {
        return false;
    }
    let path = s.split(':').next().unwrap_or(s);
    let file = path.rsplit('/').next().unwrap_or(path);
    path.contains('/')
        || file.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
        })
}

fn status(art: &Artifact, kind: &Kind) -> Option<Status> {
    let rule = kind.status.as_ref()?;
    if let (Some(field), Some(fm)) = (&rule.field, &art.frontmatter)
        && let Some(f) = fm.get(field)
        && let Some(value) = f.value.as_text()
    {
        return Some(Status {
            value,
            range: f.value_range,
            source: "frontmatter".into(),
        });
    }
    art.labels
        .iter()
        .find(|l| {
            rule.label
                .iter()
                .any(|name| name.eq_ignore_ascii_case(&l.name))
                && !l.value.is_empty()
        })
        .map(|l| Status {
            value: l.value.clone(),
            range: l.value_range,
            source: l.name.clone(),
        })
}

fn code_paths(art: &Artifact, kind: &Kind) -> Vec<CodePath> {
    let mut out = Vec::new();
    for src in &kind.code_paths {
        match src.from {
            CodePathFrom::Field => {
                let Some(f) = src
                    .field
                    .as_ref()
                    .and_then(|name| art.frontmatter.as_ref()?.get(name))
                else {
                    continue;
                };
                for (p, range) in f.text_items() {
                    push_path(&mut out, &p, range, src.action);
                }
            }
            CodePathFrom::SectionCode => {
                let Some(extent) = src
                    .section
                    .as_ref()
                    .and_then(|id| find_section(art, kind, id))
                    .map(|s| s.extent())
                else {
                    continue;
                };
                for span in art
                    .path_spans
                    .iter()
                    .filter(|c| extent.contains_range(c.range))
                {
                    push_path(&mut out, &span.text, span.range, src.action);
                }
            }
            CodePathFrom::Label => {
                let Some(label) = &src.label else { continue };
                // Only bold labels: `File: x` in prose is not a declaration.
                for l in art
                    .labels
                    .iter()
                    .filter(|l| l.bold && l.name.eq_ignore_ascii_case(label))
                {
                    let v = l.value.trim_matches('`');
                    let lead = l.value.len() - l.value.trim_start_matches('`').len();
                    let first = v.split_whitespace().next().unwrap_or("");
                    if looks_like_path(first) {
                        let start = l.value_range.start + to_u32(lead);
                        push_path(
                            &mut out,
                            first,
                            TextRange::new(start, start + to_u32(first.len())),
                            src.action,
                        );
                    }
                }
            }
            CodePathFrom::TaskSuffix => {
                for t in &art.tasks {
                    if let Some(i) = t.text.rfind(" in ") {
                        let tail = t
                            .text
                            .get(i + 4..)
                            .unwrap_or("")
                            .trim_end_matches(['.', ')']);
                        let candidate = tail.trim_matches('`');
                        if looks_like_path(candidate) && candidate.contains('/') {
                            let offset = t.text.len() - t.text.get(i + 4..).unwrap_or("").len();
                            let lead = tail.len() - tail.trim_start_matches('`').len();
                            let start = t.text_range.start + to_u32(offset + lead);
                            let range = TextRange::new(start, start + to_u32(candidate.len()));
                            push_path(&mut out, candidate, range, src.action);
                        }
                    }
                }
            }
        }
    }
    out
}

fn push_path(
    out: &mut Vec<CodePath>,
    raw: &str,
    range: TextRange,
    action: crate::schema::CodePathAction,
) {
    let (path, line) = match raw.rsplit_once(':') {
        Some((p, l)) if l.chars().all(|c| c.is_ascii_digit()) && !l.is_empty() => {
            (p, l.parse().ok())
        }
        _ => (raw, None),
    };
    let path = path.trim_start_matches("./").to_string();
    // A place is declared once: the first source that reads it (files to
    // create) wins over a broader one (the whole Changes Required section).
    if path.is_empty() || out.iter().any(|c| c.range == range) {
        return;
    }
    out.push(CodePath {
        path,
        line,
        range,
        action,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_vs_prose() {
        for p in [
            "src/auth/login.ts",
            "infra/x.yaml:12",
            "src/auth/",
            "Makefile.toml",
            "README.md",
        ] {
            assert!(looks_like_path(p), "{p}");
        }
        for p in [
            "/plan",
            "npm run build",
            "fn(x)",
            "https://x.y/z",
            "e.g.",
            "v1.2",
            "1.5",
        ] {
            assert!(!looks_like_path(p), "{p}");
        }
    }
}
