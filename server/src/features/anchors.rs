//! Headings as link targets: the `#anchor` links pointing at a heading (its
//! references), and renaming a heading together with every such link.

use crate::artifact::Artifact;
use crate::rules::links::{percent_decode, target as link_target};
use crate::syntax::inline::LinkKind;
use crate::syntax::slug;
use crate::text::TextRange;
use crate::workspace::Workspace;

use super::actions::FileOp;

/// The heading whose line holds `offset`, by index into `art.sections`.
pub fn heading_at(art: &Artifact, offset: u32) -> Option<usize> {
    art.sections
        .iter()
        .position(|s| s.range.contains(offset) || s.range.end == offset)
}

/// The heading text a rename replaces (`textDocument/prepareRename`).
pub fn prepare(art: &Artifact, offset: u32) -> Option<TextRange> {
    let s = art.sections.get(heading_at(art, offset)?)?;
    (!s.text_range.is_empty()).then_some(s.text_range)
}

/// A link to a heading: where it is, and the range of its fragment (after `#`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorLink {
    pub path: String,
    pub link: TextRange,
    pub fragment: TextRange,
}

/// Every link in the workspace to heading `index` of `art`.
pub fn links_to(ws: &Workspace, art: &Artifact, index: usize) -> Vec<AnchorLink> {
    let Some(slug) = art.sections.get(index).map(|s| s.slug.as_str()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let sources = std::iter::once(art).chain(ws.artifacts.values().filter(|a| a.path != art.path));
    for a in sources {
        let inline = a
            .links
            .iter()
            .filter(|l| matches!(l.kind, LinkKind::Inline | LinkKind::Image))
            .map(|l| (l.dest.as_str(), l.range, l.dest_range));
        let defs = a
            .link_defs
            .iter()
            .map(|d| (d.dest.as_str(), d.range, d.dest_range));
        for (dest, range, dest_range) in inline.chain(defs) {
            let Some((path_part, fragment)) = dest.split_once('#') else {
                continue;
            };
            if percent_decode(fragment).to_lowercase() != slug {
                continue;
            }
            let same = path_part.is_empty() && a.path == art.path;
            if !same && link_target(ws, &a.path, dest).as_deref() != Some(art.path.as_str()) {
                continue;
            }
            // The fragment sits at the end of the destination (before a `>`).
            let bracketed = dest_range.len() as usize == dest.len() + 2;
            let end = dest_range.end - u32::from(bracketed);
            let start = end.saturating_sub(crate::text::to_u32(fragment.len()));
            out.push(AnchorLink {
                path: a.path.clone(),
                link: range,
                fragment: TextRange::new(start, end),
            });
        }
    }
    out
}

/// Renames the heading at `offset` to `new_text`, and every link to it.
/// None when there is no heading there or the new text is empty.
pub fn rename(ws: &Workspace, art: &Artifact, offset: u32, new_text: &str) -> Option<Vec<FileOp>> {
    let index = heading_at(art, offset)?;
    let heading = art.sections.get(index)?;
    let new_text = new_text.trim();
    if new_text.is_empty() || new_text.contains('\n') {
        return None;
    }
    let texts = art.sections.iter().enumerate().map(|(i, s)| {
        if i == index {
            new_text
        } else {
            s.text.as_str()
        }
    });
    let new_slug = slug::slugs(texts).into_iter().nth(index)?;
    let mut by_file: Vec<(String, Vec<(TextRange, String)>)> = vec![(
        art.path.clone(),
        vec![(heading.text_range, new_text.to_string())],
    )];
    for l in links_to(ws, art, index) {
        let edit = (l.fragment, new_slug.clone());
        match by_file.iter_mut().find(|(p, _)| *p == l.path) {
            Some((_, edits)) => edits.push(edit),
            None => by_file.push((l.path, vec![edit])),
        }
    }
    Some(
        by_file
            .into_iter()
            .map(|(path, edits)| FileOp::Edit { path, edits })
            .collect(),
    )
}
