//! Which of the paths an artifact names are files of this repository that the
//! work will make or keep: not those of a phase the artifact says was dropped
//! (`❌ Phase 1: Format command (removed as redundant)`), and not a place
//! something is installed to outside it (`Must be installed via HACS or manual
//! copy to `custom_templates/``).

use super::model::{Artifact, CodePath};

/// Words that, in a phase's own annotation, say it will not be done.
const DROPPED: [&str; 10] = [
    "removed",
    "dropped",
    "skipped",
    "cancelled",
    "canceled",
    "descoped",
    "abandoned",
    "deferred",
    "postponed",
    "obsolete",
];

/// Marks before a phase that cross it out.
const CROSSED: [&str; 5] = ["❌", "🚫", "✗", "✘", "~~"];

/// Removes from `art.code_paths` the paths under the heading of a phase that
/// `text` says was dropped.
pub fn drop_abandoned(art: &mut Artifact, text: &str) {
    if art.code_paths.is_empty() {
        return;
    }
    let dropped: Vec<&str> = text.lines().filter_map(dropped_phase).collect();
    if dropped.is_empty() {
        return;
    }
    let sections = &art.sections;
    art.code_paths.retain(|cp: &CodePath| {
        // The nearest enclosing heading that names a phase says which it is in.
        let phase = sections
            .iter()
            .filter(|s| s.level >= 2 && s.extent().contains_range(cp.range))
            .rev()
            .find_map(|s| phase_number(strip_marks(&s.text).0));
        !phase.is_some_and(|n| dropped.contains(&n))
    });
}

/// The number of the phase a line says was dropped: `- ❌ Phase 1: Format
/// command (removed as redundant)`, `## ~~Phase 2: Export~~`, `Phase 3 —
/// skipped`. A phase heading with no such mark (`## Phase 1: Format`) is none.
fn dropped_phase(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let line = line.trim_start_matches('#').trim_start();
    let line = strip_list_marker(line);
    let (rest, crossed) = strip_marks(line);
    let number = phase_number(rest)?;
    let after = rest
        .get("phase".len()..)
        .unwrap_or("")
        .trim_start()
        .get(number.len()..)
        .unwrap_or("");
    if crossed || annotated_dropped(after) {
        Some(number)
    } else {
        None
    }
}

/// Whether the words after a phase's name say it was dropped: inside a
/// parenthesis (`(removed as redundant)`) or right after a dash (`— skipped`).
fn annotated_dropped(after: &str) -> bool {
    let in_parens = after
        .split('(')
        .skip(1)
        .filter_map(|p| p.split(')').next())
        .any(first_word_dropped);
    let after_dash = [" - ", " – ", " — "]
        .iter()
        .filter_map(|d| after.split_once(d).map(|(_, rest)| rest))
        .any(first_word_dropped);
    in_parens || after_dash
}

fn first_word_dropped(s: &str) -> bool {
    s.split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .is_some_and(|w| DROPPED.iter().any(|d| w.eq_ignore_ascii_case(d)))
}

/// `Phase 12…` → `12`.
fn phase_number(s: &str) -> Option<&str> {
    let head = s.get(..5)?;
    if !head.eq_ignore_ascii_case("phase") {
        return None;
    }
    let rest = s.get(5..)?.trim_start();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    (digits > 0).then(|| rest.get(..digits)).flatten()
}

fn strip_list_marker(line: &str) -> &str {
    if let Some(rest) = line.strip_prefix(['-', '*', '+']) {
        return rest.trim_start();
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    match line.get(digits..).and_then(|r| r.strip_prefix(['.', ')'])) {
        Some(rest) if digits > 0 => rest.trim_start(),
        _ => line,
    }
}

/// The text without leading emphasis, checkmarks and crossing marks, and
/// whether one of those crossed it out.
fn strip_marks(mut s: &str) -> (&str, bool) {
    let mut crossed = false;
    loop {
        let t = s.trim_start();
        if let Some(mark) = CROSSED.iter().find(|m| t.starts_with(**m)) {
            crossed = true;
            s = t.get(mark.len()..).unwrap_or("");
        } else if let Some(rest) = t.strip_prefix("**").or_else(|| t.strip_prefix("✅")) {
            s = rest;
        } else {
            return (t, crossed);
        }
    }
}

/// Whether the path at byte `start` of `text` is where something is
/// installed outside the repository: its line says so (`install`,
/// `installed`) and the path follows `to`, `into` or `under` (`copy to
/// `custom_templates/``), not `by` (`installed by `scripts/setup.sh``).
pub fn install_destination(text: &str, start: usize) -> bool {
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let lead = text.get(line_start..start).unwrap_or("");
    let lead = lead.trim_end_matches('`').trim_end();
    let installs = lead
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.to_ascii_lowercase().starts_with("install"));
    let last = lead
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    installs
        && ["to", "into", "under"]
            .iter()
            .any(|p| last.eq_ignore_ascii_case(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_said_dropped() {
        assert_eq!(
            dropped_phase("   - ❌ Phase 1: Format command (removed as redundant)"),
            Some("1")
        );
        assert_eq!(dropped_phase("## ~~Phase 2: Export~~"), Some("2"));
        assert_eq!(dropped_phase("- Phase 3 — skipped for now"), Some("3"));
        assert_eq!(
            dropped_phase("3. **Phase 12** (deferred to v2)"),
            Some("12")
        );
        assert_eq!(
            dropped_phase("## Phase 1: Format Command Implementation"),
            None
        );
        assert_eq!(dropped_phase("- ✅ Phase 2: Review command"), None);
        assert_eq!(dropped_phase("## Phase 2: Remove the old API"), None);
        assert_eq!(dropped_phase("Phase 1 removed the old API"), None);
        assert_eq!(dropped_phase("## Phase 4 (Cleanup)"), None);
        assert_eq!(dropped_phase("Phases: 1 (removed)"), None);
    }

    #[test]
    fn install_destinations() {
        let t = "- Must be installed via HACS or manual copy to `custom_templates/`\n";
        assert!(install_destination(t, t.find("custom_").unwrap()));
        let t = "- Installed by `scripts/setup.sh`\n";
        assert!(!install_destination(t, t.find("scripts").unwrap()));
        let t = "- Copy the macro to `custom_templates/`\n";
        assert!(!install_destination(t, t.find("custom_").unwrap()));
        let t = "First line installs\n- Copy to `a/b.txt`\n";
        assert!(!install_destination(t, t.find("a/b").unwrap()));
        let t = "- 安装 `x`, installs into `ü/é.txt`\n";
        assert!(install_destination(t, t.find("ü/").unwrap()));
    }
}
