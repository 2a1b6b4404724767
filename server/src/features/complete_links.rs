//! Completion inside a markdown link destination: paths relative to the
//! document (or to the root after a leading `/`), then the headings of the
//! target after `#`.

use crate::artifact::Artifact;
use crate::text::{TextRange, to_u32};
use crate::workspace::Workspace;
use crate::workspace::fs::list_dir;
use crate::workspace::resolve::target as link_target;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkItemKind {
    File,
    Folder,
    Heading,
}

/// One proposal: `insert` replaces `replace` (what was typed of this name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkItem {
    pub label: String,
    pub kind: LinkItemKind,
    pub detail: Option<String>,
    pub insert: String,
    pub replace: TextRange,
}

/// Link-destination completions at `offset` of the document `text`; empty
/// outside a link destination (`[text](…` or a definition `[label]: …`).
pub fn complete(ws: &Workspace, art: &Artifact, text: &str, offset: u32) -> Vec<LinkItem> {
    let Some(typed) = typed_destination(text, offset as usize) else {
        return Vec::new();
    };
    if let Some((path_part, fragment)) = typed.split_once('#') {
        return headings(ws, art, path_part, fragment, offset);
    }
    paths(ws, art, typed, offset)
}

/// What was typed of the destination before `offset`, if it is inside one.
fn typed_destination(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    let line = before.rsplit('\n').next().unwrap_or(before);
    if let Some(i) = line.rfind("](") {
        let typed = line.get(i + 2..)?;
        let typed = typed.strip_prefix('<').unwrap_or(typed);
        if !typed.contains([')', ' ', '>']) {
            return Some(typed);
        }
    }
    // A reference definition: `[label]: dest` at the start of the line.
    let trimmed = line.trim_start();
    if trimmed.starts_with('[')
        && let Some(i) = trimmed.find("]: ")
    {
        let typed = trimmed.get(i + 3..)?.trim_start();
        if !typed.contains(' ') {
            return Some(typed);
        }
    }
    None
}

fn paths(ws: &Workspace, art: &Artifact, typed: &str, offset: u32) -> Vec<LinkItem> {
    let (dir_part, name) = match typed.rfind('/') {
        Some(i) => (
            typed.get(..=i).unwrap_or(""),
            typed.get(i + 1..).unwrap_or(""),
        ),
        None => ("", typed),
    };
    let dir = match dir_part.strip_prefix('/') {
        Some(from_root) => crate::workspace::resolve::normalize(&ws.root.join(from_root)),
        None => {
            let home = std::path::Path::new(&art.path)
                .parent()
                .unwrap_or(std::path::Path::new(""));
            crate::workspace::resolve::normalize(&ws.root.join(home).join(dir_part))
        }
    };
    // Never list outside the workspace.
    if !dir.starts_with(&ws.root) {
        return Vec::new();
    }
    let replace = TextRange::new(offset.saturating_sub(to_u32(name.len())), offset);
    let mut out = Vec::new();
    if dir != ws.root && !dir_part.starts_with('/') {
        out.push(LinkItem {
            label: "../".into(),
            kind: LinkItemKind::Folder,
            detail: Some("parent folder".into()),
            insert: "../".into(),
            replace,
        });
    }
    let own = art.path.rsplit('/').next().unwrap_or("");
    for (entry, is_dir) in list_dir(&dir) {
        if !is_dir && dir_part.is_empty() && entry == own {
            continue; // the document itself: `#` alone links within it
        }
        let (label, kind) = if is_dir {
            (format!("{entry}/"), LinkItemKind::Folder)
        } else {
            (entry.clone(), LinkItemKind::File)
        };
        let rel = crate::workspace::scan_relative(&ws.root, &dir.join(&entry));
        let detail = rel
            .as_ref()
            .and_then(|r| ws.artifacts.get(r))
            .and_then(|a| a.title().map(|t| t.text.clone()));
        out.push(LinkItem {
            insert: label.clone(),
            label,
            kind,
            detail,
            replace,
        });
    }
    out
}

fn headings(
    ws: &Workspace,
    art: &Artifact,
    path_part: &str,
    fragment: &str,
    offset: u32,
) -> Vec<LinkItem> {
    let replace = TextRange::new(offset.saturating_sub(to_u32(fragment.len())), offset);
    let slugs: Vec<(String, String)> = if path_part.is_empty() {
        art.sections
            .iter()
            .map(|s| (s.slug.clone(), s.text.clone()))
            .collect()
    } else {
        let Some(target) = link_target(ws, &art.path, path_part) else {
            return Vec::new();
        };
        let markdown = target.ends_with(".md") || target.ends_with(".markdown");
        match ws.artifacts.get(&target) {
            Some(a) => a
                .sections
                .iter()
                .map(|s| (s.slug.clone(), s.text.clone()))
                .collect(),
            None if !markdown => return Vec::new(),
            None => ws
                .fs
                .heading_slugs(&ws.root.join(&target))
                .iter()
                .map(|s| (s.clone(), s.clone()))
                .collect(),
        }
    };
    slugs
        .into_iter()
        .filter(|(slug, _)| !slug.is_empty())
        .map(|(slug, heading)| LinkItem {
            label: slug.clone(),
            kind: LinkItemKind::Heading,
            detail: Some(heading),
            insert: slug,
            replace,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::typed_destination;

    #[test]
    fn inside_a_destination() {
        assert_eq!(typed_destination("see [x](../pl", 13), Some("../pl"));
        assert_eq!(typed_destination("see [x](a.md#ro", 15), Some("a.md#ro"));
        assert_eq!(typed_destination("[x](a.md) and", 14), None);
        assert_eq!(typed_destination("[ref]: ../r", 11), Some("../r"));
        assert_eq!(typed_destination("plain text", 5), None);
    }
}
