//! The digest: the sections each source's kind marks as essential
//! (`essential_sections`), under one heading per source: the first lines of
//! each, whole code blocks, completed tasks left out (the snapshot keeps
//! everything).

use crate::artifact::Artifact;
use crate::artifact::sections::find_section;
use crate::text::TextRange;
use crate::workspace::Workspace;

/// One source as the digest sees it.
pub struct Part<'a> {
    pub art: &'a Artifact,
    pub text: &'a str,
}

/// The digest body (everything after the frontmatter) for `parts`.
/// `digest` is the digest's root-relative path: links copied from a source
/// are rewritten to resolve from there.
pub fn body(
    ws: &Workspace,
    name: &str,
    digest: &str,
    parts: &[Part],
    snapshot: &str,
    date: &str,
) -> String {
    let mut out = format!("# Bundle: {name}\n\n");
    let files = if parts.len() == 1 {
        "artifact"
    } else {
        "artifacts"
    };
    out.push_str(&format!(
        "Digest of {} {files} saved {date}: essential sections, completed tasks left out. \
         Full sources: `{snapshot}`.\n",
        parts.len()
    ));
    out.push_str("\n## Executive Summary\n\n");
    for p in parts {
        out.push_str(&format!("- {}\n", summary_line(ws, p.art)));
    }
    for p in parts {
        out.push('\n');
        out.push_str(&source_part(ws, p, digest));
    }
    out
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

fn source_part(ws: &Workspace, p: &Part, digest: &str) -> String {
    let art = p.art;
    let mut out = format!("## {}\n\nSource: `{}`\n", title_of(art), art.path);
    let kind = ws.kind_of(art);
    let essential: Vec<&str> = kind.map_or_else(Vec::new, |k| {
        k.essential_sections.iter().map(String::as_str).collect()
    });
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
            let shifted = section_text(art, p.text, extent, shift, &relinks);
            let shifted = shifted.trim_matches('\n');
            if !shifted.is_empty() {
                out.push('\n');
                out.push_str(shifted);
                out.push('\n');
            }
        }
    }
    if taken.is_empty() {
        out.push_str(&fallback(art, p.text, kind.is_none()));
    }
    out
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

/// The text of `extent` with headings inside it moved `shift` levels down
/// and checked tasks (with what is nested under them) left out.
fn section_text(
    art: &Artifact,
    text: &str,
    extent: TextRange,
    shift: u8,
    relinks: &[(TextRange, String)],
) -> String {
    let headings: Vec<u32> = art
        .sections
        .iter()
        .filter(|s| extent.contains_range(s.range))
        .map(|s| s.range.start)
        .collect();
    let done: Vec<(u32, u32)> = art
        .tasks
        .iter()
        .filter(|t| t.checked && extent.contains_range(t.range))
        .map(|t| (t.range.start, t.indent))
        .collect();
    let mut out = String::new();
    let mut omitted = 0usize;
    let mut kept = 0usize;
    let mut cut = 0usize;
    let mut fence: Option<&str> = None;
    let mut skip_deeper_than: Option<usize> = None;
    let mut pos = extent.start as usize;
    let slice = text
        .get(extent.start as usize..extent.end as usize)
        .unwrap_or("");
    for line in slice.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(indent) = skip_deeper_than {
            if !line.trim().is_empty() && lead > indent {
                continue;
            }
            skip_deeper_than = None;
        }
        let line_range = TextRange::from_usize(start, pos);
        if let Some(&(_, indent)) = done.iter().find(|(s, _)| line_range.contains(*s)) {
            omitted += 1;
            skip_deeper_than = Some(indent as usize);
            continue;
        }
        // A digest, not a copy: the first lines of each section, never cut
        // inside a code block (those carry the commands to run next).
        let trimmed = line.trim_start();
        let opens_or_closes = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        if kept >= SECTION_LINES && fence.is_none() {
            if !line.trim().is_empty() {
                cut += 1;
            }
            continue;
        }
        match (fence, opens_or_closes) {
            (None, Some(f)) => fence = Some(f),
            (Some(f), Some(g)) if f == g => fence = None,
            _ => {}
        }
        if !line.trim().is_empty() {
            kept += 1;
        }
        if shift > 0 && line.starts_with('#') && headings.iter().any(|&h| line_range.contains(h)) {
            let hashes = line.len() - line.trim_start_matches('#').len();
            let add = usize::from(shift).min(6usize.saturating_sub(hashes));
            out.push_str(&"#".repeat(add));
        }
        out.push_str(&relinked(line, start, relinks));
    }
    let mut notes = Vec::new();
    if omitted > 0 {
        let tasks = if omitted == 1 { "task" } else { "tasks" };
        notes.push(format!("{omitted} completed {tasks} left out"));
    }
    if cut > 0 {
        let lines = if cut == 1 { "line" } else { "lines" };
        notes.push(format!("{cut} more {lines} in the snapshot"));
    }
    if !notes.is_empty() {
        out = out.trim_end_matches('\n').to_string();
        out.push_str(&format!("\n\n_{}._\n", notes.join("; ")));
    }
    out
}

/// Non-blank lines kept of each essential section.
const SECTION_LINES: usize = 10;

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

/// `line` (which starts at byte `start` of the source) with the link
/// destinations inside it replaced.
fn relinked(line: &str, start: usize, relinks: &[(TextRange, String)]) -> String {
    let end = start + line.len();
    let mut inside: Vec<&(TextRange, String)> = relinks
        .iter()
        .filter(|(r, _)| r.start as usize >= start && r.end as usize <= end)
        .collect();
    if inside.is_empty() {
        return line.to_string();
    }
    inside.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = line.to_string();
    for (r, new) in inside {
        let (s, e) = (r.start as usize - start, r.end as usize - start);
        if out.is_char_boundary(s) && out.is_char_boundary(e) && s <= e {
            out.replace_range(s..e, new);
        }
    }
    out
}
