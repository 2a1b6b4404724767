//! Matching headings to a kind's declared sections.
//!
//! Real headings drift: "## 1. Overview", "## 🎯 Goal:", "## goal". A heading
//! matches a section when, normalized, it equals the heading or an alias and
//! sits at the declared level (inside the parent section, for sub-sections).

use crate::schema::{Kind, Section};

use super::model::{Artifact, SectionNode};

/// Lowercase, leading numbering / emoji / punctuation, a trailing colon
/// (ASCII or full-width) and a trailing annotation in parentheses
/// (`*(mandatory)*`, `(REVISED Feb 2026)`, `（复查）`) removed.
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
    let s = strip_annotation(s.trim_end());
    let s = s.trim_end_matches([':', '：']).trim_end();
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The text without one trailing parenthesized annotation, emphasis
/// marks around it included, when text remains before it.
fn strip_annotation(s: &str) -> &str {
    let t = s.trim_end_matches(['*', '_']).trim_end();
    let (open, close) = if t.ends_with(')') {
        ('(', ')')
    } else if t.ends_with('）') {
        ('（', '）')
    } else {
        return s;
    };
    let Some(body) = t.strip_suffix(close) else {
        return s;
    };
    let Some(i) = body.rfind(open) else {
        return s;
    };
    let before = body
        .get(..i)
        .unwrap_or("")
        .trim_end_matches(['*', '_'])
        .trim_end();
    if before.chars().any(char::is_alphanumeric) {
        before
    } else {
        s
    }
}

/// Whether a title matches a pattern such as `Specification: {name}`, each
/// `{…}` standing for some text, compared as headings are.
pub fn title_matches(pattern: &str, title: &str) -> bool {
    let title = normalize(title);
    let mut parts: Vec<String> = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        parts.push(rest.get(..open).unwrap_or("").to_lowercase());
        rest = match rest.get(open..).and_then(|r| r.find('}')) {
            Some(close) => rest.get(open + close + 1..).unwrap_or(""),
            None => "",
        };
    }
    let last = normalize(rest);
    let free = !parts.is_empty();
    if !free {
        return normalize(pattern) == title;
    }
    let mut at = 0;
    for (i, p) in parts.iter().enumerate() {
        let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
        let p = p.replace('：', ":");
        let hay = title.replace('：', ":");
        let Some(found) = hay.get(at..).and_then(|h| h.find(p.as_str())) else {
            return false;
        };
        if i == 0 && found != 0 {
            return false;
        }
        at += found + p.len();
    }
    last.is_empty()
        || title
            .get(at..)
            .is_some_and(|t| t.trim_end().ends_with(&last))
}

/// Whether the artifact shows enough of its kind's template for the
/// template's checks to apply at their own severity (`evidence`).
pub fn follows_template(art: &Artifact, kind: &Kind) -> bool {
    let Some(e) = &kind.evidence else {
        return true;
    };
    if e.title
        && let Some(t) = art.title()
        && kind
            .title
            .patterns
            .iter()
            .any(|p| title_matches(p, &t.text))
    {
        return true;
    }
    if e.sections == 0 {
        return !e.title;
    }
    let found = matched(art, kind);
    let mut ids: Vec<usize> = found.iter().map(|&(s, _)| s).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len() >= e.sections && (!e.most || shows_most(art, kind, &found))
}

/// Whether the template's sections are most of the file's headings at the
/// template's top level, or most of the template's top-level sections are in
/// the file (a file written from the template may add many of its own). A
/// heading naming a section already named (`## Goal` then `## Context`, two
/// spellings of one section) counts as the file's own.
fn shows_most(art: &Artifact, kind: &Kind, found: &[(usize, usize)]) -> bool {
    let top: Vec<&Section> = kind
        .sections
        .iter()
        .filter(|s| s.parent.is_none())
        .collect();
    let at_top = |level: u8| top.iter().any(|s| s.level == level);
    let own = art.sections.iter().filter(|n| at_top(n.level)).count();
    let mut seen: Vec<usize> = Vec::new();
    for &(si, ni) in found {
        let top_level = art.sections.get(ni).is_some_and(|n| at_top(n.level))
            && kind.sections.get(si).is_some_and(|s| s.parent.is_none());
        if top_level && !seen.contains(&si) {
            seen.push(si);
        }
    }
    seen.len() * 2 > own || seen.len() * 2 > top.len()
}

pub fn heading_matches(section: &Section, text: &str) -> bool {
    let names: Vec<String> = std::iter::once(&section.heading)
        .chain(&section.aliases)
        .map(|h| normalize(h))
        .collect();
    let n = normalize(text);
    names.contains(&n) || before_subtitle(text).is_some_and(|h| names.contains(&h))
}

/// The heading before a subtitle set off by a dash, normalized: `Out of
/// Scope (V1) - Deprioritized to V2` is the Out of Scope section. None when
/// there is no such dash.
fn before_subtitle(heading: &str) -> Option<String> {
    let cut = [" - ", " – ", " — "]
        .iter()
        .filter_map(|d| heading.find(d))
        .min()?;
    let head = normalize(heading.get(..cut)?);
    (!head.is_empty()).then_some(head)
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
        // The whole heading first; only when it names no section, the part
        // before a subtitle.
        let whole = normalize(&node.text);
        let head = before_subtitle(&node.text);
        let found = [Some(whole), head].into_iter().flatten().find_map(|text| {
            kind.sections.iter().enumerate().position(|(si, sec)| {
                sec.level == node.level
                    && names.get(si).is_some_and(|n| n.contains(&text))
                    && sec
                        .parent
                        .as_ref()
                        .is_none_or(|parent| inside_parent(art, kind, node, parent))
            })
        });
        if let Some(si) = found {
            out.push((si, ni));
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
        assert_eq!(
            normalize("User Scenarios & Testing *(mandatory)*"),
            "user scenarios & testing"
        );
        assert_eq!(
            normalize("Execution Order (REVISED Feb 2026)"),
            "execution order"
        );
        assert_eq!(normalize("宪法检查（Phase 1 设计后复查）"), "宪法检查");
        assert_eq!(normalize("格式："), "格式");
        assert_eq!(normalize("(Optional)"), "(optional)");
    }

    #[test]
    fn subtitles_after_a_dash() {
        assert_eq!(
            before_subtitle("Out of Scope (V1) - Deprioritized to V2").as_deref(),
            Some("out of scope")
        );
        assert_eq!(
            before_subtitle("範圍外 — 第二版").as_deref(),
            Some("範圍外")
        );
        assert_eq!(before_subtitle("Out-of-band checks"), None);
        assert_eq!(before_subtitle(" - only a subtitle"), None);
    }

    #[test]
    fn titles_match_patterns() {
        assert!(title_matches(
            "Specification: {name}",
            "Specification: wger MCP"
        ));
        assert!(title_matches(
            "Specification: {name}",
            "🚀 specification:  Wger"
        ));
        assert!(!title_matches(
            "Specification: {name}",
            "Spec Requirements Document"
        ));
        assert!(title_matches(
            "{name} Implementation Plan",
            "Triage Command Implementation Plan"
        ));
        assert!(title_matches(
            "Spec Requirements Document",
            "Spec Requirements Document"
        ));
        assert!(title_matches(
            "Implementation Plan: {name}",
            "Implementation Plan：数据库"
        ));
        assert!(!title_matches("Tasks: {name}", "Spec Tasks"));
    }
}
