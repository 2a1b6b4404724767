//! link-broken: relative file links, `#anchor`s (GitHub slugs) and
//! reference links whose definition is missing.

use std::collections::HashMap;

use crate::artifact::Artifact;
use crate::syntax::inline::{Link, LinkKind};
use crate::workspace::{Workspace, fs::Entry};

use super::Sink;

pub use crate::workspace::resolve::{is_external, normalize, percent_decode, resolve, target};

pub fn check(ws: &Workspace, art: &Artifact, sink: &mut Sink) {
    // One answer per target within a file: long documents repeat their links.
    let mut seen: HashMap<String, Option<String>> = HashMap::new();
    for link in &art.links {
        let verdict = match seen.get(&link.dest) {
            Some(v) if link.kind != LinkKind::Reference => v.clone(),
            _ => {
                let v = problem(ws, art, link);
                seen.insert(link.dest.clone(), v.clone());
                v
            }
        };
        if let Some(msg) = verdict {
            // The cause is what is wrong: one missing file, however it is linked.
            let cause = msg.clone();
            sink.push_once("link-broken", &cause, link.range, msg);
        }
    }
    for def in &art.link_defs {
        let fake = Link {
            kind: LinkKind::Inline,
            dest: def.dest.clone(),
            label: None,
            range: def.range,
            dest_range: def.dest_range,
        };
        if let Some(msg) = problem(ws, art, &fake) {
            sink.push("link-broken", def.range, msg);
        }
    }
}

fn problem(ws: &Workspace, art: &Artifact, link: &Link) -> Option<String> {
    if link.kind == LinkKind::Reference && link.dest.is_empty() {
        let label = link.label.as_deref().unwrap_or("");
        return Some(format!("no link definition `[{label}]: …` in this file"));
    }
    // Reference links were resolved through their definition, which is checked itself.
    if link.kind == LinkKind::Reference {
        return None;
    }
    let dest = link.dest.trim();
    if dest.is_empty() || is_external(dest) {
        return None;
    }
    let (path_part, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let path_part = percent_decode(path_part);
    if path_part.is_empty() {
        let fragment = fragment.unwrap_or("");
        if fragment.is_empty() || has_slug(art.sections.iter().map(|s| s.slug.as_str()), fragment) {
            return None;
        }
        return Some(format!(
            "no heading `#{fragment}` in this file{}",
            suggest(art.sections.iter().map(|s| s.slug.as_str()), fragment)
        ));
    }
    let target = resolve(&ws.root, &art.path, &path_part)?;
    match ws.fs.probe(&target) {
        // Neither read nor said to exist: a repository learns nothing of
        // the files around it.
        Entry::Outside => Some(format!("`{path_part}` {}", crate::workspace::read::OUTSIDE)),
        Entry::Missing => {
            let shown = path_part.as_str();
            Some(format!("`{shown}` does not exist"))
        }
        Entry::Dir => None,
        Entry::File => {
            let fragment = fragment.filter(|f| !f.is_empty())?;
            if !is_markdown(&path_part) {
                return None;
            }
            let rel = crate::workspace::scan_relative(&ws.root, &target);
            let slugs: Vec<String> = match rel.as_ref().and_then(|r| ws.artifacts.get(r)) {
                Some(a) => a.sections.iter().map(|s| s.slug.clone()).collect(),
                None => ws.fs.heading_slugs(&target).to_vec(),
            };
            if has_slug(slugs.iter().map(String::as_str), fragment) {
                None
            } else {
                Some(format!(
                    "no heading `#{fragment}` in `{path_part}`{}",
                    suggest(slugs.iter().map(String::as_str), fragment)
                ))
            }
        }
    }
}

fn has_slug<'a>(mut slugs: impl Iterator<Item = &'a str>, fragment: &str) -> bool {
    let f = percent_decode(fragment).to_lowercase();
    slugs.any(|s| s == f)
}

fn suggest<'a>(slugs: impl Iterator<Item = &'a str>, fragment: &str) -> String {
    super::closest(fragment, slugs)
        .map(|s| format!("; did you mean `#{s}`?"))
        .unwrap_or_default()
}

fn is_markdown(p: &str) -> bool {
    let l = p.to_ascii_lowercase();
    l.ends_with(".md") || l.ends_with(".markdown")
}
