//! Blocks, requirement ids and citations: the parts of a file that a
//! kind's `blocks`, `requirements` and `cites` name. Found here, where the
//! text is at hand; judged by `rules/blocks.rs` and `rules/trace.rs`.

use serde::{Deserialize, Serialize};

use crate::schema::{Kind, regexes};
use crate::text::{TextRange, to_u32};

use super::model::{Artifact, SectionNode};
use super::sections::matched;

/// One heading that matched a kind's block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockUse {
    /// The block's id in the kind.
    pub block: String,
    /// Its name (the heading's `name` group), trimmed.
    pub name: String,
    /// The heading line.
    pub range: TextRange,
    /// Where the block ends: the next heading of its level or higher.
    pub end: u32,
    /// The declared section it is in, if any.
    pub section: Option<String>,
    /// The keywords of the block's rules found in its own text.
    pub keywords: Vec<String>,
    /// Numbered items (`1. WHEN …`) in the block: number and line.
    pub items: Vec<(String, TextRange)>,
}

impl BlockUse {
    pub fn extent(&self) -> TextRange {
        TextRange::new(self.range.start, self.end)
    }
}

/// A requirement id the file declares, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementId {
    pub id: String,
    pub range: TextRange,
}

/// A requirement id the file cites, and the task it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    pub id: String,
    pub range: TextRange,
    /// Index into `Artifact::tasks` of the task above it.
    pub task: Option<usize>,
}

/// Whether the heading of block `b` says it was dropped (`Requirement 12:
/// … — DESCOPED`, `~~…~~`): it keeps its number and is not judged.
/// Sections are in document order: found by binary search, so checking
/// every block of a file stays linear.
pub fn dropped(art: &Artifact, b: &BlockUse) -> bool {
    let at = art
        .sections
        .partition_point(|s| s.range.start < b.range.start);
    art.sections
        .get(at)
        .filter(|s| s.range.start == b.range.start)
        .is_some_and(|s| super::code_scope::heading_dropped(&s.text))
}

/// The blocks of `art` that `kind` declares. `code` (here and below) is the
/// fenced blocks in document order.
pub fn find(art: &Artifact, kind: &Kind, text: &str, code: &[TextRange]) -> Vec<BlockUse> {
    if kind.blocks.is_empty() {
        return Vec::new();
    }
    let declared: Vec<(u8, TextRange, &str)> = matched(art, kind)
        .into_iter()
        .filter_map(|(si, ni)| {
            let node = art.sections.get(ni)?;
            Some((
                node.level,
                node.extent(),
                kind.sections.get(si)?.id.as_str(),
            ))
        })
        .collect();
    // Heading starts in order, to find the next heading after a block in
    // log time: a file of 100,000 requirements is not 10^10 comparisons.
    let mut starts: Vec<u32> = art.sections.iter().map(|s| s.range.start).collect();
    starts.sort_unstable();
    let mut out = Vec::new();
    for node in &art.sections {
        let Some((def, name)) = kind
            .blocks
            .iter()
            .filter(|b| b.level == node.level)
            .find_map(|b| {
                let caps = regexes::get(&b.heading)?.captures(node.text.trim())?;
                let name = caps.name("name").or_else(|| caps.get(0))?.as_str().trim();
                Some((b, name.to_string()))
            })
        else {
            continue;
        };
        // The innermost declared section around the heading.
        let section = declared
            .iter()
            .filter(|(_, extent, _)| {
                extent.start < node.range.start && node.range.start < extent.end
            })
            .max_by_key(|(level, _, _)| *level)
            .map(|(_, _, id)| id.to_string());
        if !def.sections.is_empty() && !section.as_ref().is_some_and(|s| def.sections.contains(s)) {
            continue;
        }
        let own_end = starts
            .get(starts.partition_point(|&s| s < node.range.end))
            .copied()
            .unwrap_or(node.end)
            .min(node.end);
        let own = outside(text, TextRange::new(node.range.end, own_end), code);
        let mut keywords: Vec<String> = Vec::new();
        for k in def.rules.iter().flat_map(|r| &r.keywords) {
            if !keywords.contains(k) && own.iter().any(|part| has_word(part, k)) {
                keywords.push(k.clone());
            }
        }
        out.push(BlockUse {
            block: def.id.clone(),
            name,
            range: node.range,
            end: node.end,
            section,
            keywords,
            items: items(text, node, code),
        });
    }
    out
}

/// The requirement ids `art` declares under `kind.requirements`.
pub fn requirement_ids(
    art: &Artifact,
    kind: &Kind,
    text: &str,
    code: &[TextRange],
) -> Vec<RequirementId> {
    let Some(rule) = &kind.requirements else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(block) = &rule.block {
        for b in art.blocks.iter().filter(|b| &b.block == block) {
            out.push(RequirementId {
                id: b.name.clone(),
                range: b.range,
            });
            if rule.items {
                for (n, range) in &b.items {
                    out.push(RequirementId {
                        id: format!("{}.{n}", b.name),
                        range: *range,
                    });
                }
            }
        }
    }
    if let Some(re) = rule.pattern.as_deref().and_then(regexes::get) {
        let mut seen: std::collections::HashSet<String> =
            out.iter().map(|r| r.id.clone()).collect();
        for (id, range) in group_matches(art, text, code, &re) {
            if seen.insert(id.clone()) {
                out.push(RequirementId { id, range });
            }
        }
    }
    out
}

/// The requirement ids `art` cites under `kind.cites`.
pub fn citations(art: &Artifact, kind: &Kind, text: &str, code: &[TextRange]) -> Vec<Citation> {
    let Some((rule, re)) = kind
        .cites
        .as_ref()
        .and_then(|c| Some((c, regexes::get(&c.pattern)?)))
    else {
        return Vec::new();
    };
    let id = rule.id.as_deref().and_then(regexes::get);
    let mut out = Vec::new();
    for (list, range) in group_matches(art, text, code, &re) {
        // Tasks are in document order: the last one starting before it.
        let task = art
            .tasks
            .partition_point(|t| t.range.start <= range.start)
            .checked_sub(1);
        for (id, s, e) in super::citations::ids(&list, rule, id.as_ref()) {
            out.push(Citation {
                id,
                range: TextRange::new(range.start + to_u32(s), range.start + to_u32(e)),
                task,
            });
        }
    }
    out
}

/// Every match of `re`'s first group (else the whole match) in the body
/// outside code, with its range.
fn group_matches(
    art: &Artifact,
    text: &str,
    code: &[TextRange],
    re: &regex::Regex,
) -> Vec<(String, TextRange)> {
    let body = art.frontmatter.as_ref().map_or(0, |f| f.range.end);
    let mut out = Vec::new();
    for (offset, part) in outside_at(text, TextRange::new(body, to_u32(text.len())), code) {
        for caps in re.captures_iter(part) {
            // The first group that took part: a pattern may give one
            // alternative per way of citing, each with its own group.
            if let Some(g) = caps.iter().skip(1).flatten().next().or_else(|| caps.get(0)) {
                let start = offset + to_u32(g.start());
                out.push((
                    g.as_str().to_string(),
                    TextRange::new(start, start + to_u32(g.len())),
                ));
            }
        }
    }
    out
}

/// Numbered list items in a block, outside code: `1. WHEN …`, `2) …`.
fn items(text: &str, node: &SectionNode, code: &[TextRange]) -> Vec<(String, TextRange)> {
    let mut out = Vec::new();
    for (offset, part) in outside_at(text, TextRange::new(node.range.end, node.end), code) {
        let mut at = 0usize;
        for line in part.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let trimmed = line.trim_start();
            let digits: String = trimmed.chars().take_while(char::is_ascii_digit).collect();
            let rest = trimmed.get(digits.len()..).unwrap_or("");
            if digits.is_empty() || !(rest.starts_with(". ") || rest.starts_with(") ")) {
                continue;
            }
            let lead = line.len() - trimmed.len();
            let content = line.trim_end();
            let s = offset + to_u32(start + lead);
            out.push((
                digits,
                TextRange::new(s, offset + to_u32(start + content.len())),
            ));
        }
    }
    out
}

/// The parts of `range` outside the `code` ranges.
fn outside<'t>(text: &'t str, range: TextRange, code: &[TextRange]) -> Vec<&'t str> {
    outside_at(text, range, code)
        .into_iter()
        .map(|(_, s)| s)
        .collect()
}

/// `code` is sorted by start and its ranges do not overlap (fenced blocks):
/// the ones in `range` are found by binary search, not by a scan per block.
fn outside_at<'t>(text: &'t str, range: TextRange, code: &[TextRange]) -> Vec<(u32, &'t str)> {
    let first = code.partition_point(|c| c.end <= range.start);
    let cuts = code
        .get(first..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.start < range.end);
    let mut out = Vec::new();
    let mut at = range.start;
    for c in cuts {
        if c.start > at {
            out.push((at, TextRange::new(at, c.start).slice(text)));
        }
        at = at.max(c.end);
    }
    if at < range.end {
        out.push((at, TextRange::new(at, range.end).slice(text)));
    }
    out
}

/// `word` in `text` as a whole word: no letter, digit or `_` either side.
fn has_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
    text.match_indices(word).any(|(i, _)| {
        edge(text.get(..i).and_then(|s| s.chars().next_back()))
            && edge(text.get(i + word.len()..).and_then(|s| s.chars().next()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_whole_words() {
        assert!(has_word("The system SHALL log", "SHALL"));
        assert!(has_word("SHALL.", "SHALL"));
        assert!(!has_word("MUSTER the troops", "MUST"));
        assert!(!has_word("shall", "SHALL"));
        assert!(has_word("é MUST é", "MUST"));
    }
}
