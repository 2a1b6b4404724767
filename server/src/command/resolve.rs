//! What an `artifact` argument names. Agents write plain file names
//! (`/plan k8s-upgrade-research.md`) relative to wherever they happen to be,
//! so a name is tried relative to the document, to its flavor folder and to
//! the root, then looked up by file name; an artifact of a required kind wins
//! over any other file of the same name.

use crate::artifact::Artifact;
use crate::workspace::Workspace;

#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// An artifact of one of the required kinds (or any artifact, when none are required).
    Found(String),
    /// Only artifacts of other kinds have that name.
    WrongKind {
        path: String,
        kind: Option<String>,
    },
    NotFound,
}

pub fn artifact(ws: &Workspace, from: &Artifact, word: &str, kinds: &[String]) -> Resolved {
    let word = word.trim_start_matches("./");
    let with_md = if word.ends_with(".md") {
        word.to_string()
    } else {
        format!("{word}.md")
    };
    let mut candidates: Vec<String> = Vec::new();
    for w in [word, with_md.as_str()] {
        candidates.extend(crate::workspace::resolve::target(ws, &from.path, w));
        if let Some(base) = ws.flavor_base(from) {
            candidates.push(format!("{base}{w}"));
        }
        candidates.push(w.trim_start_matches('/').to_string());
    }
    // By file name, anywhere: the document's own flavor first.
    let file = with_md.rsplit('/').next().unwrap_or(&with_md);
    let items = ws.items();
    let mut by_name: Vec<&Artifact> = items
        .named(file)
        .iter()
        .filter_map(|p| ws.artifacts.get(p))
        .filter(|a| a.path.ends_with(&with_md))
        .collect();
    by_name.sort_by_key(|a| a.class.flavor() != from.class.flavor());
    candidates.extend(by_name.iter().map(|a| a.path.clone()));

    let wanted = |a: &Artifact| {
        kinds.is_empty() || a.class.kind().is_some_and(|k| kinds.iter().any(|x| x == k))
    };
    let existing: Vec<&Artifact> = candidates
        .iter()
        .filter_map(|p| ws.artifacts.get(p))
        // A bundle is named like what it digests (`x-research.md`): it never
        // stands in for the artifact unless a bundle is what is asked for.
        .filter(|a| {
            !crate::bundle::index::is_bundle(a)
                || kinds.iter().any(|k| k == crate::bundle::index::KIND)
        })
        .collect();
    if let Some(a) = existing.iter().find(|a| wanted(a)) {
        return Resolved::Found(a.path.clone());
    }
    match existing.first() {
        Some(a) => Resolved::WrongKind {
            path: a.path.clone(),
            kind: a.class.kind().map(str::to_string),
        },
        None => Resolved::NotFound,
    }
}
