//! Syntax + kind → `Artifact`. The only place that sees a file's text and
//! its schema together; everything kind-specific is decided here once.

use crate::schema::{CodePathAction, CodePathFrom, Kind};
use crate::syntax::block::{self, Blocks};
use crate::syntax::frontmatter;
use crate::syntax::inline::{self, Inlines, LinkKind};
use crate::syntax::slug;
use crate::syntax::split;
use crate::syntax::units::{self, UnitCache};
use crate::text::{LineMap, TextRange, to_u32};

use super::commands;
use super::model::*;
use super::sections::find_section;

/// Reusable tree-sitter parsers: one pair per thread.
pub struct Parsers {
    pub block: tree_sitter::Parser,
    pub inline: inline::InlineParser,
}

impl Default for Parsers {
    fn default() -> Self {
        Parsers {
            block: block::new_parser(),
            inline: inline::new_parser(),
        }
    }
}

/// Builds the artifact of `text`; `kind` is what its path says it is. The
/// block parse goes a piece at a time (`syntax::split`): no tree of the
/// whole file is ever held.
pub fn build(
    parsers: &mut Parsers,
    path: &str,
    text: &str,
    class: Class,
    kind: Option<&Kind>,
) -> Artifact {
    let art = base(path, text, class);
    let skip = body_start(&art, text);
    let mut budget = block::Budget::default();
    match split::blocks(&mut parsers.block, text, skip, &mut budget) {
        Ok(blocks) => {
            parsers.inline.begin(budget);
            let inlines = inline_pass(parsers, text, &art.lines, &blocks);
            complete(parsers, art, text, blocks, inlines, kind)
        }
        Err(e) => abandoned_as(art, &e),
    }
}

/// The artifact of a file whose block parse spent its budget: its frontmatter only.
pub fn abandoned(path: &str, text: &str, class: Class, why: &block::ParseError) -> Artifact {
    abandoned_as(base(path, text, class), why)
}

fn abandoned_as(mut art: Artifact, why: &block::ParseError) -> Artifact {
    let block::ParseError::TooSlow = why;
    art.problem = Some(Problem {
        message: format!(
            "parsing was abandoned (its block structure took over {} units of parse work); only frontmatter was checked",
            block::BLOCK_WORK
        ),
    });
    art
}

/// Where the markdown starts: after the frontmatter. An unterminated block
/// swallows the file; the markdown after it still counts.
fn body_start(art: &Artifact, text: &str) -> u32 {
    art.frontmatter
        .as_ref()
        .filter(|f| f.error.is_none() || f.range.end < to_u32(text.len()))
        .map_or(0, |f| f.range.end)
}

/// Inline-parses the blocks' inline content that may hold a link or code.
fn inline_pass(parsers: &mut Parsers, text: &str, lines: &LineMap, blocks: &Blocks) -> Inlines {
    let mut inlines = Inlines::default();
    for ranges in &blocks.inlines {
        if inline::worth_parsing(text, ranges) {
            inline::parse_into(&mut parsers.inline, text, lines, ranges, &mut inlines);
        }
    }
    inlines
}

/// Builds the artifact from a block tree already parsed (incrementally, for
/// open documents, which also keep a cache of unchanged blocks' results).
/// The inline pass spends what the block parse left of `budget`: one budget
/// covers the whole file.
#[allow(clippy::too_many_arguments)]
pub fn build_from_tree(
    parsers: &mut Parsers,
    path: &str,
    text: &str,
    tree: &tree_sitter::Tree,
    class: Class,
    kind: Option<&Kind>,
    cache: Option<&mut UnitCache>,
    budget: block::Budget,
) -> Artifact {
    let art = base(path, text, class);
    let skip = body_start(&art, text);
    parsers.inline.begin(budget);
    let (blocks, inlines) = match cache {
        Some(cache) => units::extract(text, tree, skip, &art.lines, &mut parsers.inline, cache),
        None => {
            let blocks = block::extract(text, tree, skip);
            let inlines = inline_pass(parsers, text, &art.lines, &blocks);
            (blocks, inlines)
        }
    };
    complete(parsers, art, text, blocks, inlines, kind)
}

/// What follows extraction: the inline pass's verdict, then every fact of the kind.
fn complete(
    parsers: &mut Parsers,
    mut art: Artifact,
    text: &str,
    blocks: Blocks,
    inlines: Inlines,
    kind: Option<&Kind>,
) -> Artifact {
    let skip = body_start(&art, text);
    art.inline_skipped = parsers.inline.finish();
    fill(&mut art, text, blocks, inlines, kind);
    if kind.is_some_and(|k| k.routes.is_some()) {
        let masks = super::version::masks(&art, text);
        art.version = Some(super::version::of(text, skip, &art.sections, &masks));
    }
    // A copy of a template kept among the artifacts is not one of them.
    if matches!(art.class, Class::Known { .. } | Class::Unknown { .. })
        && super::template::made_of_placeholders(&art, text)
        && let Some(flavor) = art.class.flavor()
    {
        let flavor = flavor.to_string();
        art.class = Class::NotArtifact { flavor };
        // Its placeholder paths and status claim nothing.
        art.code_paths.clear();
        art.status = None;
        art.markers.clear();
    }
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
        art.blank = blank(text.get(body..).unwrap_or(""));
        art.status = status(art, kind);
        art.code_paths = code_paths(art, kind, text);
        let mut fenced: Vec<TextRange> = art.code_blocks.iter().map(|c| c.range).collect();
        fenced.sort_by_key(|c| c.start);
        art.blocks = super::blocks::find(art, kind, text, &fenced);
        art.requirement_ids = super::blocks::requirement_ids(art, kind, text, &fenced);
        art.citations = super::blocks::citations(art, kind, text, &fenced);
        super::code_scope::drop_abandoned(art, text);
        super::code_scope::drop_external(art, text);
    }
}

/// Whether a body holds only headings, blank lines and HTML comments.
fn blank(body: &str) -> bool {
    body.lines().map(str::trim).all(|l| {
        l.is_empty() || l.starts_with('#') || (l.starts_with("<!--") && l.ends_with("-->"))
    })
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

/// Whether words beside a path say it is scratch (`(temporary, for
/// testing)`): like a file to delete, it may be gone once the work is done.
fn says_temporary(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| {
        ["temporary", "temp", "scratch"]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
    })
}

/// Whether words beside a path say the plan will make it: `(new)`,
/// `(new file)`, `Create`, `NEW`.
fn says_create(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| {
        ["new", "create", "creates", "created", "creating"]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
    })
}

/// The action of a path at `at`: create when its line says so, or the list
/// it is in is introduced as new files (`**New files:**`, `### Files to create`).
fn action_at(art: &Artifact, text: &str, at: TextRange, action: CodePathAction) -> CodePathAction {
    if matches!(action, CodePathAction::Create | CodePathAction::Delete) {
        return action;
    }
    let start = at.start as usize;
    let end = at.end as usize;
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = text
        .get(end..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| end + i);
    // A list item's own words, then the line that introduces its list. Of
    // the words after the path only its annotation counts (`(new)`, `NEW`):
    // prose further on ("where a new-device check runs") says nothing of it.
    let lead = text.get(line_start..start).unwrap_or("");
    let after = text.get(end..line_end).unwrap_or("").trim_start();
    let note = match after.strip_prefix('(') {
        Some(inner) => inner.split(')').next().unwrap_or(""),
        None => after.split_whitespace().next().unwrap_or(""),
    };
    if says_create(lead) || says_create(note) {
        return CodePathAction::Create;
    }
    let section = art.sections.iter().rfind(|s| s.extent().contains_range(at));
    let floor = section.map_or(0, |s| s.range.end as usize);
    let before = text.get(floor.min(line_start)..line_start).unwrap_or("");
    let intro = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !is_list_item(l));
    let heading = section.map(|s| s.text.as_str());
    let introduced = match intro {
        Some(l) => l.ends_with(':') || l.ends_with(":**") || l.ends_with("**:"),
        None => false,
    };
    if (introduced && intro.is_some_and(says_create))
        || (intro.is_none() && heading.is_some_and(says_create))
    {
        return CodePathAction::Create;
    }
    action
}

fn is_list_item(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with(['-', '*', '+'])
        || l.split_once(['.', ')'])
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn code_paths(art: &Artifact, kind: &Kind, text: &str) -> Vec<CodePath> {
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
                    if super::code_scope::install_destination(text, span.range.start as usize) {
                        continue;
                    }
                    let action = action_at(art, text, widen(span.range), src.action);
                    push_path(&mut out, &span.text, span.range, action);
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
                    // `` `src/a.ts` (new) ``: the path is inside the backticks;
                    // `src/a.ts (new)`: the first word. What follows annotates it.
                    let (lead, first, rest) = match l.value.strip_prefix('`') {
                        Some(inner) => match inner.split_once('`') {
                            Some((p, rest)) => (1, p.trim(), rest),
                            None => (1, inner.trim(), ""),
                        },
                        None => {
                            let first = l.value.split_whitespace().next().unwrap_or("");
                            (0, first, l.value.get(first.len()..).unwrap_or(""))
                        }
                    };
                    if looks_like_path(first) {
                        let start = l.value_range.start + to_u32(lead);
                        // `#### 1. Create Format Command` then `**File**: …`:
                        // the heading just above says what the file is for.
                        let heading = art
                            .sections
                            .iter()
                            .rfind(|s| s.extent().contains(start))
                            .filter(|s| s.level >= 3)
                            .map_or("", |s| s.text.as_str());
                        let action = match src.action {
                            CodePathAction::Edit
                            | CodePathAction::Reference
                            | CodePathAction::Produce
                                if says_temporary(rest) =>
                            {
                                CodePathAction::Delete
                            }
                            CodePathAction::Edit
                            | CodePathAction::Reference
                            | CodePathAction::Produce
                                if says_create(rest) || says_create(heading) =>
                            {
                                CodePathAction::Create
                            }
                            a => a,
                        };
                        push_path(
                            &mut out,
                            first,
                            TextRange::new(start, start + to_u32(first.len())),
                            action,
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
                            // "Create the model in src/m.py": made by the task.
                            let action = match src.action {
                                CodePathAction::Edit
                                | CodePathAction::Reference
                                | CodePathAction::Produce
                                    if says_create(t.text.get(..i).unwrap_or("")) =>
                                {
                                    CodePathAction::Create
                                }
                                a => a,
                            };
                            push_path(&mut out, candidate, range, action);
                        }
                    }
                }
            }
        }
    }
    out
}

fn push_path(out: &mut Vec<CodePath>, raw: &str, range: TextRange, action: CodePathAction) {
    let (path, line) = split_location(raw);
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

/// `src/a.ts:12`, `src/a.ts:12-20`, `src/a.ts:12:5`, `src/a.ts#L10-L20`:
/// the path and its first line. Anything else is all path.
pub fn split_location(raw: &str) -> (&str, Option<u32>) {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    // GitHub's `#L10` and `#L10-L20` (also `#L10-20`).
    if let Some((p, frag)) = raw.rsplit_once("#L") {
        let mut parts = frag.splitn(2, '-');
        let first = parts.next().unwrap_or("");
        let second = parts.next().map(|s| s.trim_start_matches('L'));
        if digits(first) && second.is_none_or(digits) && !p.is_empty() {
            return (p, first.parse().ok());
        }
    }
    // `:12`, `:12-20`, `:12:5`: a line, a range of lines, a line and column.
    let mut path = raw;
    let mut line = None;
    for _ in 0..2 {
        let Some((p, tail)) = path.rsplit_once(':') else {
            break;
        };
        let first = tail.split('-').next().unwrap_or("");
        let range_ok = tail.split('-').count() <= 2 && tail.split('-').all(digits);
        if !range_ok || p.is_empty() {
            break;
        }
        line = first.parse().ok();
        path = p;
    }
    (path, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_not_part_of_the_path() {
        for (raw, path, line) in [
            ("src/c.ts:2", "src/c.ts", Some(2)),
            ("src/c.ts:12-20", "src/c.ts", Some(12)),
            ("src/c.ts:12:5", "src/c.ts", Some(12)),
            ("src/c.ts#L10-L20", "src/c.ts", Some(10)),
            ("src/c.ts#L10", "src/c.ts", Some(10)),
            ("src/c.ts", "src/c.ts", None),
            ("C:", "C:", None),
            ("src/c.ts#Lx", "src/c.ts#Lx", None),
        ] {
            assert_eq!(split_location(raw), (path, line), "{raw}");
        }
    }

    #[test]
    fn words_that_say_a_file_is_new() {
        assert!(says_create(" (new)"));
        assert!(says_create(" (NEW FILE)"));
        assert!(says_create("Create the model in"));
        assert!(!says_create(" (lines 1, 2)"));
        assert!(!says_create(" (small fix)"));
        assert!(!says_create("renew the token in"));
    }

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
