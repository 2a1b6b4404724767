//! Which of the paths an artifact names are files of this repository that the
//! work will make or keep: not those of a phase the artifact says was dropped
//! (`❌ Phase 1: Format command (removed as redundant)`), not a place
//! something is installed to outside it (`Must be installed via HACS or manual
//! copy to `custom_templates/``), and not a file of a dependency the artifact
//! itself calls external (`**External Dependency Handling**` naming the
//! `cheapest-energy-hours` macro, elsewhere used as `cheapest_energy_hours.jinja`).

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

/// Whether a heading says what it heads will not be done: crossed out
/// (`~~Requirement 4~~`, `❌ …`) or annotated (`Requirement 12: CA provider
/// — DESCOPED`, `(removed)`). Such a block keeps its number and is not
/// judged as a live one.
pub fn heading_dropped(heading: &str) -> bool {
    let (rest, crossed) = strip_marks(heading.trim());
    crossed || annotated_dropped(rest)
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

/// Words that, in a heading or a bold label, say what is under it comes from
/// outside the repository. Not `external` alone: `## External API
/// Integration` lists the repository's own files.
const EXTERNAL: [&str; 5] = [
    "external dependenc",
    "external librar",
    "external package",
    "third-party",
    "third party",
];

/// Removes from `art.code_paths` what the artifact names as an external
/// dependency: a code span under a heading or a bold label saying External
/// dependencies or Third-party, and a bare file name elsewhere
/// whose stem is one of those names (`cheapest_energy_hours.jinja` for the
/// `cheapest-energy-hours` macro; `-` and `_` alike, case ignored).
pub fn drop_external(art: &mut Artifact, text: &str) {
    if art.code_paths.is_empty() {
        return;
    }
    let names = external_names(text);
    if names.is_empty() {
        return;
    }
    art.code_paths.retain(|cp: &CodePath| {
        let bare = !cp.path.trim_end_matches('/').contains(['/', '\\']);
        !(names.contains(&fold(&cp.path)) || bare && names.contains(&fold(stem(&cp.path))))
    });
}

/// The code spans the text names as external dependencies, folded.
fn external_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    // The level of the heading that opened an external part, and whether the
    // current bold label says external.
    let mut heading: Option<usize> = None;
    let mut label = false;
    let mut fence: Option<char> = None;
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(c) = t.chars().next().filter(|c| *c == '`' || *c == '~')
            && t.starts_with(&c.to_string().repeat(3))
        {
            fence = match fence {
                None => Some(c),
                Some(f) if f == c => None,
                other => other,
            };
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let hashes = t.len() - t.trim_start_matches('#').len();
        if (1..=6).contains(&hashes)
            && t.get(hashes..)
                .is_some_and(|r| r.is_empty() || r.starts_with(' '))
        {
            label = false;
            if heading.is_some_and(|h| hashes <= h) {
                heading = None;
            }
            if heading.is_none() && says_external(t) {
                heading = Some(hashes);
            }
            continue;
        }
        if is_label(t) {
            label = says_external(t);
        }
        if heading.is_some() || label {
            names.extend(
                t.split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(fold),
            );
        }
    }
    names
}

/// Whether a heading or label says external, in its words (not in a code
/// span: `src/external/api.ts`).
fn says_external(line: &str) -> bool {
    let words: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
    let l = words.to_lowercase();
    EXTERNAL.iter().any(|w| l.contains(w))
}

/// A line that is a bold label alone: `**External Dependency Handling**`,
/// `**Dependencies:**`.
fn is_label(line: &str) -> bool {
    let t = line.trim_end().trim_end_matches(':').trim_end();
    t.len() > 4 && t.starts_with("**") && t.ends_with("**")
}

/// A file name without its last extension: `a.b.jinja` → `a.b`.
fn stem(path: &str) -> &str {
    let name = path.trim_end_matches('/');
    match name.rfind('.') {
        Some(i) if i > 0 => name.get(..i).unwrap_or(name),
        _ => name,
    }
}

fn fold(name: &str) -> String {
    name.trim_end_matches('/').to_lowercase().replace('-', "_")
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
        assert!(heading_dropped("Requirement 12: `ca_provider` — DESCOPED"));
        assert!(heading_dropped("~~Requirement 4: Export~~"));
        assert!(heading_dropped("Requirement 5 (removed)"));
        assert!(!heading_dropped("Requirement 6: Removed items are listed"));
        assert!(!heading_dropped("Requirement 7 - Export"));
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
    fn external_dependencies() {
        let t = "**External Dependency Handling**\n- Document the `cheapest-energy-hours` Jinja macro\n\n**Entity Setup**\n- Create `sensor.py`\n";
        assert_eq!(external_names(t), vec!["cheapest_energy_hours"]);
        let t =
            "## External Dependencies\n### Python Libraries\n- `httpx`\n## Design\n- `src/a.py`\n";
        assert_eq!(external_names(t), vec!["httpx"]);
        let t = "```\n## External Dependencies\n`x`\n```\n**Third-party (`ü`):**\n- `ünï-lib`\n## B\n- `b.py`\n";
        assert_eq!(external_names(t), vec!["ü", "ünï_lib"]);
        let t = "## External API Integration\n- `src/external/api.ts`\n**`src/external/b.ts`**\n- `c.ts`\n";
        assert!(external_names(t).is_empty());
        assert_eq!(stem("cheapest_energy_hours.jinja"), "cheapest_energy_hours");
        assert_eq!(stem("a.b.py"), "a.b");
        assert_eq!(stem(".env"), ".env");
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
