//! The digest: the sections each source's kind marks as essential
//! (`essential_sections`), under one heading per source: the first lines of
//! each, whole code blocks, completed tasks left out (the snapshot keeps
//! everything).

use crate::artifact::Artifact;
use crate::artifact::sections::find_section;
use crate::schema::{DigestRole, Kind};
use crate::text::TextRange;
use crate::workspace::Workspace;

use super::condense::{Input, Skip, body_lines, condense, file_name, lines, relinked};

/// One source as the digest sees it.
pub struct Part<'a> {
    pub art: &'a Artifact,
    pub text: &'a str,
}

/// The digest body (everything after the frontmatter) and the essential
/// items of its sources, which it holds whole.
pub struct Digest {
    pub body: String,
    pub items: Vec<String>,
}

/// The digest of `parts`. `digest` is the digest's root-relative path:
/// links copied from a source are rewritten to resolve from there.
pub fn body(
    ws: &Workspace,
    name: &str,
    digest: &str,
    parts: &[Part],
    snapshot: &str,
    date: &str,
) -> Digest {
    let mut out = format!("# Bundle: {name}\n\n");
    let files = if parts.len() == 1 {
        "artifact"
    } else {
        "artifacts"
    };
    out.push_str(&format!(
        "Digest of {} {files} saved {date}: essential sections whole, the rest as `file` § \
         heading pointers into the snapshot `{snapshot}`.\n",
        parts.len()
    ));
    out.push_str("\n## Executive Summary\n\n");
    for p in parts {
        out.push_str(&format!("- {}\n", summary_line(ws, p.art)));
    }
    let mut items = Vec::new();
    for p in parts {
        out.push('\n');
        let (text, its) = source_part(ws, p, digest);
        out.push_str(&text);
        items.extend(its);
    }
    Digest { body: out, items }
}

fn title_of(art: &Artifact) -> String {
    art.title().map_or_else(
        || art.path.rsplit('/').next().unwrap_or(&art.path).to_string(),
        |t| t.text.clone(),
    )
}

/// `**Title** (`path`): plan, Approved.`
fn summary_line(ws: &Workspace, art: &Artifact) -> String {
    let mut s = format!("**{}** (`{}`)", title_of(art), art.path);
    let kind = ws.kind_of(art).map(|k| {
        if k.name.is_empty() {
            k.id.clone()
        } else {
            k.name.clone()
        }
    });
    let status = art.status.as_ref().map(|s| s.value.clone());
    match (kind, status) {
        (Some(k), Some(st)) => s.push_str(&format!(": {}, {st}", k.to_lowercase())),
        (Some(k), None) => s.push_str(&format!(": {}", k.to_lowercase())),
        (None, Some(st)) => s.push_str(&format!(": {st}")),
        (None, None) => {}
    }
    s
}

/// One source's part of the digest, and the essential items it holds.
fn source_part(ws: &Workspace, p: &Part, digest: &str) -> (String, Vec<String>) {
    let art = p.art;
    let mut out = format!("## {}\n\nSource: `{}`\n", title_of(art), art.path);
    let mut items = Vec::new();
    let kind = ws.kind_of(art);
    let roles = roles(art, kind);
    let mut essential: Vec<&str> = kind.map_or_else(Vec::new, |k| {
        k.essential_sections.iter().map(String::as_str).collect()
    });
    if let Some(k) = kind {
        essential.extend(
            k.sections
                .iter()
                .filter(|s| s.digest == Some(DigestRole::Whole))
                .map(|s| s.id.as_str()),
        );
    }
    let mut taken: Vec<TextRange> = Vec::new();
    let relinks = relinks(ws, art, digest);
    if let Some(kind) = kind {
        for id in &essential {
            let Some(sec) = find_section(art, kind, id) else {
                continue;
            };
            let extent = if sec.level == 1 {
                // The title's own text: what comes before its first subsection.
                let end = art
                    .sections
                    .iter()
                    .find(|s| s.range.start > sec.range.start)
                    .map_or(sec.end, |s| s.range.start);
                TextRange::new(sec.range.end, end)
            } else {
                sec.extent()
            };
            if taken.iter().any(|t| t.contains_range(extent)) {
                continue;
            }
            taken.push(extent);
            // Source `##` sections become `###` under the source's heading.
            let shift = if sec.level == 1 {
                0
            } else {
                3u8.saturating_sub(sec.level)
            };
            let skips: Vec<Skip> = roles
                .iter()
                .filter(|(r, role, _)| {
                    *role != DigestRole::Whole && extent.contains_range(*r) && *r != extent
                })
                .map(|(r, role, h)| Skip {
                    extent: *r,
                    heading: h.clone(),
                    point: *role == DigestRole::Pointer,
                })
                .collect();
            let c = condense(
                &Input {
                    art,
                    text: p.text,
                    extent,
                    shift,
                    relinks: &relinks,
                    skips: &skips,
                },
                &sec.text,
            );
            let t = c.text.trim_matches('\n');
            // A section left with its heading only (its commands dropped) says nothing.
            let bare = !t.contains('\n') && t.starts_with('#');
            if !t.is_empty() && !bare {
                out.push('\n');
                out.push_str(t);
                out.push('\n');
            }
            items.extend(c.items);
        }
    }
    if taken.is_empty() {
        out.push_str(&fallback(art, p.text, kind.is_none()));
    }
    let (rest, open) = elsewhere(art, p.text, &taken, &roles, &relinks);
    out.push_str(&rest);
    items.extend(open);
    (out, items)
}

/// A source whose kind names no essential section (or that has none of
/// them): its title's text, or the start of the file.
fn fallback(art: &Artifact, text: &str, unknown: bool) -> String {
    let start = art.frontmatter.as_ref().map_or(0, |f| f.range.end as usize);
    let end = art
        .sections
        .iter()
        .find(|s| s.level >= 2)
        .map_or(text.len(), |s| s.range.start as usize);
    let intro = text
        .get(start..end)
        .unwrap_or("")
        .lines()
        .filter(|l| !l.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n");
    let intro = intro.trim();
    let why = if unknown {
        "not an artifact of a known kind"
    } else {
        "none of its kind's essential sections are present"
    };
    if intro.is_empty() {
        format!("\n_Only in the snapshot ({why})._\n")
    } else {
        format!("\n{intro}\n\n_The rest is in the snapshot ({why})._\n")
    }
}

/// Each declared section's extent, role in the digest and heading text.
fn roles(art: &Artifact, kind: Option<&Kind>) -> Vec<(TextRange, DigestRole, String)> {
    let Some(kind) = kind else {
        return Vec::new();
    };
    crate::artifact::sections::matched(art, kind)
        .into_iter()
        .filter_map(|(si, ni)| {
            let role = kind.sections.get(si)?.digest?;
            let node = art.sections.get(ni)?;
            Some((node.extent(), role, node.text.clone()))
        })
        .collect()
}

/// The sections the digest does not keep, one pointer line each (file and
/// heading), with the open tasks they hold kept whole under it: an open task
/// is work to resume wherever it is written.
fn elsewhere(
    art: &Artifact,
    text: &str,
    taken: &[TextRange],
    roles: &[(TextRange, DigestRole, String)],
    relinks: &[(TextRange, String)],
) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut items = Vec::new();
    let mut covered: Vec<TextRange> = taken.to_vec();
    for sec in art.sections.iter().filter(|s| s.level >= 2) {
        let extent = sec.extent();
        if covered.iter().any(|t| t.contains_range(sec.range)) {
            continue;
        }
        covered.push(extent);
        let role = roles
            .iter()
            .find(|(r, _, _)| *r == extent)
            .map(|(_, role, _)| *role);
        if role == Some(DigestRole::Drop) {
            continue;
        }
        out.push_str(&format!(
            "- {} ({}): `{}` § {}\n",
            sec.text,
            lines(body_lines(text, extent)),
            file_name(&art.path),
            sec.text
        ));
        for t in art
            .tasks
            .iter()
            .filter(|t| !t.checked && extent.contains_range(t.range))
        {
            let line_start = text
                .get(..t.range.start as usize)
                .and_then(|b| b.rfind('\n'))
                .map_or(0, |i| i + 1);
            let line_end = text
                .get(t.range.end as usize..)
                .and_then(|a| a.find('\n'))
                .map_or(text.len(), |i| t.range.end as usize + i + 1);
            let Some(line) = text.get(line_start..line_end) else {
                continue;
            };
            let kept = relinked(line, line_start, relinks);
            items.push(kept.trim().to_string());
            // Nested under the pointer, its own `- [ ]` marker kept.
            out.push_str("  ");
            out.push_str(kept.trim_start());
            if !kept.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    if out.is_empty() {
        return (out, items);
    }
    (format!("\n### Elsewhere in the source\n\n{out}"), items)
}

/// For every local link of the source, its destination as seen from the
/// digest: `(range of the destination, new destination)`.
fn relinks(ws: &Workspace, art: &Artifact, digest: &str) -> Vec<(TextRange, String)> {
    let dests = art
        .links
        .iter()
        .map(|l| (&l.dest, l.dest_range, l.label.is_none()))
        .chain(art.link_defs.iter().map(|d| (&d.dest, d.dest_range, true)));
    let mut out = Vec::new();
    for (dest, range, inline) in dests {
        if !inline
            || dest.is_empty()
            || crate::workspace::resolve::is_external(dest)
            || dest.starts_with('/')
        {
            continue;
        }
        let Some(target) = crate::workspace::resolve::target(ws, &art.path, dest) else {
            continue;
        };
        let anchor = dest.find('#').and_then(|i| dest.get(i..)).unwrap_or("");
        let rel = crate::workspace::resolve::relative_link(digest, &target);
        let new = format!("{rel}{anchor}");
        let new = if new.contains(' ') {
            format!("<{new}>")
        } else {
            new
        };
        out.push((range, new));
    }
    out
}
