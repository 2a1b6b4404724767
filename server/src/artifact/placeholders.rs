//! Template placeholders left in an artifact: lines of its kind's template
//! that hold bracketed placeholder text (`[What needs solving, and why now.]`,
//! `**Researcher:** [name or agent]`) and are still there, word for word.
//! An artifact that keeps them was never filled in, whatever its status says.

use std::collections::HashSet;

use crate::schema::Kind;
use crate::text::TextRange;

/// Ranges of the lines of `text` (after `body_start`) that are untouched
/// placeholder lines of `kind`'s template.
pub fn find(text: &str, kind: &Kind, body_start: usize) -> Vec<TextRange> {
    let Some(template) = &kind.template else {
        return Vec::new();
    };
    let wanted: HashSet<String> = template
        .lines()
        .filter(|l| !l.contains("{{") && has_placeholder(l))
        .map(normalize)
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = 0usize;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        if start >= body_start && wanted.contains(&normalize(line)) {
            let content = line.trim_end_matches(['\n', '\r']);
            let lead = content.len() - content.trim_start().len();
            out.push(TextRange::from_usize(start + lead, start + content.len()));
        }
        start = end;
    }
    out
}

/// Trimmed, with checkboxes all alike, so ticking a template line does not fill it.
fn normalize(line: &str) -> String {
    line.trim().replace("[x]", "[ ]").replace("[X]", "[ ]")
}

/// Whether a template line holds `[words]` that is neither a checkbox nor a link.
fn has_placeholder(line: &str) -> bool {
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find(']') else {
            return false;
        };
        let inner = after.get(..close).unwrap_or("");
        let next = after.get(close + 1..).unwrap_or("");
        let is_link = next.starts_with('(') || next.starts_with('[');
        let is_checkbox = matches!(inner, " " | "x" | "X");
        if !is_link && !is_checkbox && inner.chars().any(char::is_alphabetic) {
            return true;
        }
        rest = next;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_lines() {
        assert!(has_placeholder("[What needs solving.]"));
        assert!(has_placeholder("**Researcher:** [name or agent]"));
        assert!(has_placeholder("- [ ] Task Group 1: [Title]"));
        assert!(!has_placeholder("- [ ] Approach validated"));
        assert!(!has_placeholder("See [the docs](x.md)."));
        assert!(!has_placeholder("- [x] done"));
        assert_eq!(
            normalize("  - [x] Task Group 1: [Title]\n"),
            "- [ ] Task Group 1: [Title]"
        );
    }
}
