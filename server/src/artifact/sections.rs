//! Matching headings to a kind's declared sections.
//!
//! Real headings drift: "## 1. Overview", "## 🎯 Goal:", "## goal". A heading
//! matches a section when, normalized, it equals the heading or an alias and
//! sits at the declared level (inside the parent section, for sub-sections).

use crate::schema::{Kind, Section};

use super::model::{Artifact, SectionNode};

/// Lowercase, leading numbering / emoji / punctuation and a trailing colon removed.
pub fn normalize(heading: &str) -> String {
    let mut s = heading.trim();
    // Leading emoji and symbols.
    s = s.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(');
    // Leading numbering: "1.", "1)", "2.3", "IV." is left alone.
    let digits = s.len()
        - s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .len();
    if digits > 0 {
        let rest = s.get(digits..).unwrap_or("");
        let rest = rest.strip_prefix(')').unwrap_or(rest);
        if rest.starts_with(char::is_whitespace) {
            s = rest.trim_start();
        }
    }
    let s = s.trim_end().trim_end_matches(':').trim_end();
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub fn heading_matches(section: &Section, text: &str) -> bool {
    let n = normalize(text);
    normalize(&section.heading) == n || section.aliases.iter().any(|a| normalize(a) == n)
}

/// The headings matching each declared section: `(section index, node index)` in document order.
pub fn matched(art: &Artifact, kind: &Kind) -> Vec<(usize, usize)> {
    // Normalize the schema's spellings once, not per comparison.
    let names: Vec<Vec<String>> = kind
        .sections
        .iter()
        .map(|s| {
            std::iter::once(&s.heading)
                .chain(&s.aliases)
                .map(|h| normalize(h))
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for (ni, node) in art.sections.iter().enumerate() {
        let text = normalize(&node.text);
        for (si, sec) in kind.sections.iter().enumerate() {
            if sec.level != node.level || !names.get(si).is_some_and(|n| n.contains(&text)) {
                continue;
            }
            if let Some(parent) = &sec.parent
                && !inside_parent(art, kind, node, parent)
            {
                continue;
            }
            out.push((si, ni));
            break;
        }
    }
    out
}

fn inside_parent(art: &Artifact, kind: &Kind, node: &SectionNode, parent: &str) -> bool {
    let Some(psec) = kind.sections.iter().find(|s| s.id == parent) else {
        return false;
    };
    // The nearest enclosing heading of the parent's level.
    art.sections
        .iter()
        .filter(|p| {
            p.level == psec.level && p.range.start < node.range.start && node.range.start < p.end
        })
        .any(|p| heading_matches(psec, &p.text))
}

/// The heading for section `id` of `kind`, if present.
pub fn find_section<'a>(art: &'a Artifact, kind: &Kind, id: &str) -> Option<&'a SectionNode> {
    let si = kind.sections.iter().position(|s| s.id == id)?;
    matched(art, kind)
        .into_iter()
        .find(|&(s, _)| s == si)
        .and_then(|(_, n)| art.sections.get(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drifted_headings_normalize() {
        assert_eq!(normalize("1. Overview"), "overview");
        assert_eq!(normalize("🎯 Goal:"), "goal");
        assert_eq!(normalize("  Key   Findings "), "key findings");
        assert_eq!(normalize("2) Scope"), "scope");
        assert_eq!(normalize("1.5x Speed"), "1.5x speed");
        assert_eq!(normalize("Phase 1: Setup"), "phase 1: setup");
    }
}
