//! link-broken: relative file links, `#anchor`s (GitHub slugs) and
//! reference links whose definition is missing.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::artifact::Artifact;
use crate::syntax::inline::{Link, LinkKind};
use crate::workspace::{Workspace, fs::Entry};

use super::Sink;

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
            sink.push("link-broken", link.range, msg);
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
    match ws.fs.entry(&target) {
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

pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    // A scheme: letters, then ':' before any '/' (`https:`, `mailto:`, `vscode:`).
    match dest.find(':') {
        Some(i) => {
            let scheme = dest.get(..i).unwrap_or("");
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn is_markdown(p: &str) -> bool {
    let l = p.to_ascii_lowercase();
    l.ends_with(".md") || l.ends_with(".markdown")
}

/// The file a link points to; `/x` is relative to the root, as on GitHub.
pub fn resolve(root: &Path, from: &str, dest: &str) -> Option<PathBuf> {
    let base: PathBuf = if let Some(abs) = dest.strip_prefix('/') {
        return Some(normalize(&root.join(abs)));
    } else {
        let dir = Path::new(from).parent().unwrap_or(Path::new(""));
        root.join(dir)
    };
    Some(normalize(&base.join(dest)))
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The root-relative file a link in `from` points to, if it is a local link.
pub fn target(ws: &Workspace, from: &str, dest: &str) -> Option<String> {
    let dest = dest.trim();
    if dest.is_empty() || is_external(dest) {
        return None;
    }
    let path = dest.split('#').next()?.split('?').next()?;
    if path.is_empty() {
        return Some(from.to_string());
    }
    let full = resolve(&ws.root, from, &percent_decode(path))?;
    ws.relative(&full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn externals_and_decoding() {
        assert!(is_external("https://x.y"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("C:x"));
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn resolution() {
        let r = resolve(Path::new("/w"), "agentops/x/plans/p.md", "../research/r.md").unwrap();
        assert_eq!(r, PathBuf::from("/w/agentops/x/research/r.md"));
        let r = resolve(Path::new("/w"), "a/b.md", "/src/x.ts").unwrap();
        assert_eq!(r, PathBuf::from("/w/src/x.ts"));
    }
}
