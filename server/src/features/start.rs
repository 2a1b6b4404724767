//! Starting a work item from a command line that names it in words:
//! `/research "Kubernetes upgrade strategy"`, `/shape-spec magic-link sign-in`.
//! The command's phase (flavor data) says which kind to create; its path
//! pattern, filled with the words as a slug (dated when the capture's shape
//! asks for a date), says where; its template, with the words as the title and
//! as the first placeholder paragraph, says what.

use crate::artifact::Artifact;
use crate::schema::{Flavor, fill};
use crate::workspace::Workspace;

use super::actions::{Action, ActionKind, FileOp, fix_folder_name, today};

/// "Start `<file>`" for a free-text command of `flavor` whose phase is `phase`.
pub fn start_work(
    ws: &Workspace,
    art: &Artifact,
    flavor: &Flavor,
    phase: &str,
    words: &str,
) -> Option<Action> {
    let idea = words.trim().trim_matches(['"', '\'']).trim();
    let slug = slug(idea)?;
    let kind = flavor
        .def
        .kinds
        .iter()
        .find(|k| k.phase == phase && k.template.is_some())?;
    let pattern = kind.paths.iter().find(|p| !p.contains('*'))?;
    let captures: Vec<(String, String)> = names(pattern)
        .into_iter()
        .map(|name| {
            let plain = vec![(name.clone(), slug.clone())];
            let value = if flavor.capture_problems(&plain).is_empty() {
                slug.clone()
            } else {
                fix_folder_name(&slug)
            };
            (name, value)
        })
        .collect();
    if !flavor.capture_problems(&captures).is_empty() {
        return None;
    }
    let rel = fill(pattern, &captures);
    // The flavor folder of the document when it is this flavor's, else the flavor's own.
    let base = if art.class.flavor() == Some(flavor.def.flavor.name.as_str()) {
        ws.flavor_base(art)?
    } else {
        return None;
    };
    let path = format!("{base}{rel}");
    if ws.artifacts.contains_key(&path) || ws.root.join(&path).exists() {
        return None;
    }
    let text = seeded(kind.template.as_deref()?, idea, &captures);
    Some(Action {
        title: format!("Start {}: create {path}", kind_title(kind)),
        kind: ActionKind::Refactor,
        ops: vec![FileOp::Create { path, text }],
        fixes: Vec::new(),
    })
}

fn kind_title(kind: &crate::schema::Kind) -> String {
    if kind.name.is_empty() {
        kind.id.clone()
    } else {
        kind.name.clone()
    }
}

/// The template filled: captures, `{{title}}`/`{{name}}` = the words, today's
/// date, and the first whole-line placeholder (`[The feature description…]`)
/// replaced by the words, so the idea is carried into the new artifact.
fn seeded(template: &str, idea: &str, captures: &[(String, String)]) -> String {
    let mut text = template.trim_start_matches('\n').to_string();
    let mut vars: Vec<(String, String)> = captures.to_vec();
    vars.push(("title".into(), idea.to_string()));
    vars.push(("name".into(), idea.to_string()));
    vars.push(("date".into(), today()));
    for (k, v) in &vars {
        text = text.replace(&format!("{{{{{k}}}}}"), v);
    }
    let mut out = String::with_capacity(text.len() + idea.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if !done && t.starts_with('[') && t.ends_with(']') && !t.starts_with("[ ]") {
            out.push_str(idea);
            out.push('\n');
            done = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `{folder}` names in a path pattern.
fn names(pattern: &str) -> Vec<String> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
        .collect()
}

/// `Kubernetes upgrade strategy!` → `kubernetes-upgrade-strategy` (at most five words).
fn slug(s: &str) -> Option<String> {
    let lower: String = s
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = lower.split_whitespace().take(5).collect();
    (!words.is_empty()).then(|| words.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_seeds() {
        assert_eq!(
            slug("\"Kubernetes upgrade strategy!\"").as_deref(),
            Some("kubernetes-upgrade-strategy")
        );
        assert_eq!(slug("  "), None);
        let t = seeded(
            "# Research: {{title}}\n\n## Problem\n[What needs solving.]\n\n## Scope\n[What.]\n",
            "Cache layer",
            &[],
        );
        assert_eq!(
            t,
            "# Research: Cache layer\n\n## Problem\nCache layer\n\n## Scope\n[What.]\n"
        );
    }
}
