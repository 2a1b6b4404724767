//! Whether a file is a template rather than an artifact: a repository keeps
//! its own copies of the templates among the artifacts (`plan-template.md`,
//! `specs/000-template/spec.md`), their names and dates still placeholders.

use super::Artifact;

/// A title or frontmatter made of placeholders: `# Feature Specification:
/// [FEATURE NAME]`, `# 実装計画: [FEATURE]`, `# Research: {{topic}}`,
/// `date: YYYY-MM-DD HH:MM:SS`.
pub fn made_of_placeholders(art: &Artifact, text: &str) -> bool {
    let front = art.frontmatter.as_ref().map_or("", |f| f.range.slice(text));
    if front.contains("YYYY-MM-DD") {
        return true;
    }
    art.title().is_some_and(|t| placeholder_title(&t.text))
}

fn placeholder_title(title: &str) -> bool {
    if title.contains("YYYY-MM-DD") || title.contains("{{") {
        return true;
    }
    // The name after the title's label is a bracketed placeholder as a whole
    // (`: [機能名]`), or an all-capitals bracket stands anywhere (`[FEATURE]`).
    let name = title
        .rsplit_once([':', '：'])
        .map_or(title, |(_, n)| n)
        .trim();
    if name.len() > 2 && name.starts_with('[') && name.ends_with(']') && !name.contains("](") {
        return true;
    }
    let mut rest = title;
    while let Some(open) = rest.find('[') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find(']') else { break };
        let inner = after.get(..close).unwrap_or("");
        let letters = inner.chars().filter(char::is_ascii_alphabetic).count();
        if letters >= 3 && !inner.chars().any(|c| c.is_lowercase()) {
            return true;
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    false
}

#[cfg(test)]
mod tests {
    use super::placeholder_title;

    #[test]
    fn placeholder_titles() {
        for t in [
            "Feature Specification: [FEATURE NAME]",
            "Implementation Plan: [FEATURE]",
            "実装計画: [FEATURE]",
            "機能仕様書: [機能名]",
            "Research: {{topic}}",
            "YYYY-MM-DD Handoff",
            "Tasks: [FEATURE NAME] [###-feature-name]",
        ] {
            assert!(placeholder_title(t), "{t}");
        }
        for t in [
            "Feature Specification: Photo albums",
            "Plan: fix [CI] flakiness",
            "Research: [link](x.md)",
            "Implementation Plan: OAuth [draft]",
            "Spec Requirements Document",
        ] {
            assert!(!placeholder_title(t), "{t}");
        }
    }
}
