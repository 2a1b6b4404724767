//! The template filler: the text of a new artifact from its kind's template.
//!
//! - `{{title}}`/`{{name}}`: the work item's name — the `{name}` of a title
//!   pattern its artifacts already carry (`Specification: Magic Link`), else the
//!   words that started it, else its key in words; never another kind's title.
//! - `{{date}}` (today) and every path capture (`{{topic}}`, `{{folder}}`).
//! - `{{task_count}}`: the checkbox tasks the filled template holds, so
//!   "Total Tasks: N" is true of the file as created.
//! - the kind's `seed` placeholder: what the work starts from (the idea, a
//!   roadmap item, the previous phase's summary and a link to it).

use crate::artifact::Artifact;
use crate::artifact::sections::heading_matches;
use crate::schema::Kind;
use crate::workspace::Workspace;

/// What a new artifact is made from.
pub struct Fill<'a> {
    pub captures: &'a [(String, String)],
    /// The work item's name (`{{title}}`, `{{name}}`).
    pub name: String,
    /// Text for the kind's `seed` placeholder.
    pub seed: Option<String>,
}

/// The template of `kind` filled, or None when the kind has none.
pub fn fill(kind: &Kind, f: &Fill) -> Option<String> {
    let template = kind.template.as_ref()?;
    let mut text = template.trim_start_matches('\n').to_string();
    let mut vars: Vec<(String, String)> = f.captures.to_vec();
    vars.push(("name".into(), f.name.clone()));
    vars.push(("title".into(), f.name.clone()));
    vars.push(("date".into(), super::actions::today()));
    for (k, v) in &vars {
        text = text.replace(&format!("{{{{{k}}}}}"), v);
    }
    if text.contains("{{task_count}}") {
        let n = text.lines().filter(|l| is_task(l)).count();
        text = text.replace("{{task_count}}", &n.to_string());
    }
    if let (Some(at), Some(seed)) = (kind.seed.as_deref(), f.seed.as_deref()) {
        text = seeded(&text, kind, at, seed);
    }
    Some(text)
}

/// `- [ ] 1.1 Write tests`, `1. [ ] Feature`: a checkbox task line.
fn is_task(line: &str) -> bool {
    let t = line.trim_start();
    let rest = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))
        .or_else(|| {
            let digits = t.chars().take_while(char::is_ascii_digit).count();
            (digits > 0)
                .then(|| t.get(digits..))
                .flatten()
                .and_then(|r| r.strip_prefix(". ").or_else(|| r.strip_prefix(") ")))
        });
    rest.is_some_and(|r| r.starts_with("[ ]") || r.starts_with("[x]") || r.starts_with("[X]"))
}

/// A whole-line placeholder: `[What changes and why.]`, not a checkbox or link.
fn is_placeholder_line(line: &str) -> bool {
    let t = line.trim();
    t.len() > 2
        && t.starts_with('[')
        && t.ends_with(']')
        && !t.starts_with("[ ]")
        && !t.starts_with("[x]")
        && !t.contains("](")
}

/// `text` with the first whole-line placeholder of section `at` (a section id
/// of `kind`, or `body` for anywhere) replaced by `seed`.
fn seeded(text: &str, kind: &Kind, at: &str, seed: &str) -> String {
    let section = kind.sections.iter().find(|s| s.id == at);
    let mut inside = at == "body";
    let mut out = String::with_capacity(text.len() + seed.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if let (Some(sec), Some(h)) = (section, heading_text(t)) {
            inside = heading_matches(sec, h);
        }
        if !done && inside && is_placeholder_line(t) {
            out.push_str(seed.trim());
            out.push('\n');
            done = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `## Overview` → `Overview`.
fn heading_text(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    (1..=6)
        .contains(&hashes)
        .then(|| line.get(hashes..))
        .flatten()
        .filter(|r| r.starts_with(' '))
        .map(str::trim)
}

/// The work item's name as a human writes it: the `{name}` part of a title
/// that follows its kind's pattern (`from` first, then the item's others),
/// else the key from the captures in words (`2025-11-06-user-auth` → `User Auth`).
pub fn item_name(ws: &Workspace, from: &Artifact, captures: &[(String, String)]) -> String {
    let items = ws.items();
    let peers = items.of(&from.path).map(|i| i.artifacts.clone());
    let arts = std::iter::once(from).chain(
        peers
            .iter()
            .flatten()
            .filter(|p| **p != from.path)
            .filter_map(|p| ws.artifacts.get(p)),
    );
    for art in arts {
        let (Some(kind), Some(title)) = (ws.kind_of(art), art.title()) else {
            continue;
        };
        if let Some(n) = kind
            .title
            .patterns
            .iter()
            .find_map(|p| name_in_title(p, &title.text))
        {
            return n;
        }
    }
    words_of_key(captures.first().map_or("", |(_, v)| v.as_str()))
}

/// The `{name}` of `title` under `pattern` (`Research: {name}`), case-insensitive around it.
fn name_in_title(pattern: &str, title: &str) -> Option<String> {
    let (pre, post) = pattern.split_once("{name}")?;
    if post.contains('{') || pre.contains('{') {
        return None;
    }
    let t = title.trim();
    let head = t.get(..pre.len())?;
    if !head.eq_ignore_ascii_case(pre) {
        return None;
    }
    let rest = t.get(pre.len()..)?;
    let cut = rest.len().checked_sub(post.len())?;
    let tail = rest.get(cut..)?;
    if !tail.eq_ignore_ascii_case(post) {
        return None;
    }
    let name = rest.get(..cut)?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// `2025-11-06-user-auth` → `User Auth`.
pub fn words_of_key(raw: &str) -> String {
    raw.split('-')
        .skip_while(|w| w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The seed a new artifact takes from `source` (an earlier phase of its work
/// item): its summary, and a link to it from `path`.
pub fn seed_from(ws: &Workspace, source: &Artifact, source_text: &str, path: &str) -> String {
    let link = crate::workspace::resolve::relative_link(path, &source.path);
    let title = source.title().map_or_else(
        || source.path.rsplit('/').next().unwrap_or("").to_string(),
        |t| t.text.clone(),
    );
    match super::routes::summary(ws, source, source_text) {
        Some(s) => format!("{s}\n\nFrom [{title}]({link})."),
        None => format!("From [{title}]({link})."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_titles() {
        assert_eq!(
            name_in_title("Specification: {name}", "Specification: Magic Link"),
            Some("Magic Link".into())
        );
        assert_eq!(
            name_in_title(
                "{name} Implementation Plan",
                "Café sync implementation plan"
            ),
            Some("Café sync".into())
        );
        assert_eq!(
            name_in_title("Specification: {name}", "Specification Verification Report"),
            None
        );
        assert_eq!(words_of_key("2025-11-06-user-auth"), "User Auth");
    }

    #[test]
    fn tasks_counted_and_seed_placed_in_its_section() {
        assert!(is_task("  - [ ] 1.1 Write tests"));
        assert!(is_task("1. [ ] Feature"));
        assert!(!is_task("- [Observable result]"));
        let kind: Kind = toml::from_str(
            r#"
id = "plan"
phase = "plan"
paths = ["plans/{topic}-plan.md"]
seed = "overview"
sections = [
  { id = "scope", heading = "Scope" },
  { id = "overview", heading = "Overview" },
]
template = '''
# Plan: {{title}}

## Scope
[What.]

## Overview
Total Tasks: {{task_count}}
[What changes and why.]

- [ ] 1.0 A
  - [ ] 1.1 B
'''
"#,
        )
        .unwrap();
        let text = fill(
            &kind,
            &Fill {
                captures: &[("topic".into(), "cache".into())],
                name: "Cache — é".into(),
                seed: Some("Use Redis.\n\nFrom [R](../r.md).".into()),
            },
        )
        .unwrap();
        assert_eq!(
            text,
            "# Plan: Cache — é\n\n## Scope\n[What.]\n\n## Overview\nTotal Tasks: 2\nUse Redis.\n\nFrom [R](../r.md).\n\n- [ ] 1.0 A\n  - [ ] 1.1 B\n"
        );
    }
}
