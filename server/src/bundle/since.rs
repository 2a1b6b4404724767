//! What changed in a bundle's sources since it was saved, section by
//! section: the lines a loaded stale digest starts with, so an agent that
//! resumes from it knows which of its facts to check against today's files.

use super::load::{Change, How};
use super::save::Reader;
use super::snapshot::Entry;

/// The note for `changed` sources (none: None), comparing each snapshot
/// copy with what `read` gives today.
pub fn note(changed: &[Change], entries: &[Entry], read: Reader) -> Option<String> {
    if changed.is_empty() {
        return None;
    }
    let mut out = String::from(
        "> **Stale bundle.** Changed since it was saved (the digest below is as saved; the files are newer):\n",
    );
    for c in changed {
        match c.how {
            How::Deleted => out.push_str(&format!("> - `{}`: deleted or moved\n", c.path)),
            How::Changed => {
                let old = entries
                    .iter()
                    .find(|e| e.path == c.path)
                    .map(|e| String::from_utf8_lossy(&e.bytes).into_owned())
                    .unwrap_or_default();
                let new = read(&c.path)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                out.push_str(&format!(
                    "> - `{}`: {}\n",
                    c.path,
                    sections_changed(&old, &new)
                ));
            }
        }
    }
    out.push('\n');
    Some(out)
}

/// `sections Scope, Open Questions changed; Risks added` for two texts.
pub fn sections_changed(old: &str, new: &str) -> String {
    let (a, b) = (split(old), split(new));
    let mut changed = Vec::new();
    let mut added = Vec::new();
    let mut removed = Vec::new();
    for (h, body) in &b {
        match a.iter().find(|(k, _)| k == h) {
            Some((_, was)) if was.trim_end() != body.trim_end() => changed.push(label(h)),
            Some(_) => {}
            None => added.push(label(h)),
        }
    }
    for (h, _) in &a {
        if !b.iter().any(|(k, _)| k == h) {
            removed.push(label(h));
        }
    }
    let mut parts = Vec::new();
    for (what, list) in [("changed", changed), ("added", added), ("removed", removed)] {
        if !list.is_empty() {
            parts.push(format!("{} {what}", list.join(", ")));
        }
    }
    if parts.is_empty() {
        "changed (whitespace or frontmatter only)".to_string()
    } else {
        parts.join("; ")
    }
}

fn label(h: &str) -> String {
    if h.is_empty() {
        "the text before the first heading".to_string()
    } else {
        format!("§ {h}")
    }
}

/// (heading text, body) per ATX heading outside code blocks; the frontmatter
/// is left out, what precedes the first heading keyed "".
fn split(text: &str) -> Vec<(String, String)> {
    let body = crate::syntax::frontmatter::parse(text)
        .and_then(|f| text.get(f.range.end as usize..))
        .unwrap_or(text);
    let mut out: Vec<(String, String)> = vec![(String::new(), String::new())];
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if let Some(f) = ["```", "~~~"].into_iter().find(|f| t.starts_with(f)) {
            fence = Some(f);
        } else if line.starts_with('#') {
            let h = line.trim_start_matches('#');
            if h.is_empty() || h.starts_with(' ') {
                out.push((h.trim().to_string(), String::new()));
                continue;
            }
        }
        if let Some((_, b)) = out.last_mut() {
            b.push_str(line.trim_end());
            b.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sections_changed;

    #[test]
    fn by_section() {
        let old = "# R\n\n## Scope\nA\n\n## Open Questions\n- q\n";
        let new = "# R\n\n## Scope\nB\n\n## Open Questions\n- q\n\n## Risks\n- r\n";
        assert_eq!(sections_changed(old, new), "§ Scope changed; § Risks added");
        assert_eq!(
            sections_changed("---\na: 1\n---\n# R\n", "---\na: 2\n---\n# R\n"),
            "changed (whitespace or frontmatter only)"
        );
        assert_eq!(
            sections_changed("# R\n## Über\nx\n", "# R\n"),
            "§ Über removed"
        );
    }
}
